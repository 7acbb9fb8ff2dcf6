// The ground decoders' fast paths (issue 12 item 3) give what their general paths give: the
// CCSDS 123 lossless reconstruction in 32-bit integers (and its specialised P = 3 row interior)
// against the general reconstruction in floating point, over the parameters either path takes;
// the decoding pool against the decoder; the CCSDS 121 whole-stream decode that reads the
// caller's bytes in place and reuses buffers. Independent references: the NTNU-model streams
// (tests/host/hyper123/vectors.test.ts), libaec (tests/interop/libaec.test.ts) and Salinas-A.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadFlightLib } from "../../../host/obc/lib.ts";
import { compressHyper123, hyper123Defaults, type Hyper123Params } from "../../../host/commands/hyper123.ts";
import { checkedHeader, decodeHyper123, entropyDecodeHyper123, reconstructGeneral, reconstructLossless, Hyper123DecodeError } from "../../../host/ground/hyper123-decoder.ts";
import { Hyper123DecodePool } from "../../../host/ground/hyper123-pool.ts";
import { aec121Decode, Aec121StreamDecoder } from "../../../host/ground/aec121-decoder.ts";

const lib = loadFlightLib();

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
}

/** A correlated cube (or noise, or the extremes) of D-bit samples, BSQ. */
function cube(p: Hyper123Params, seed: number, kind: number): Int32Array {
  const r = rng(seed), lo = p.signed ? -(2 ** (p.d - 1)) : 0, hi = p.signed ? 2 ** (p.d - 1) - 1 : 2 ** p.d - 1, span = hi - lo;
  const out = new Int32Array(p.nx * p.ny * p.nz);
  for (let z = 0; z < p.nz; z++) for (let y = 0; y < p.ny; y++) for (let x = 0; x < p.nx; x++) {
    let v: number;
    if (kind === 0) v = lo + span * (0.5 + 0.3 * Math.sin(x * 0.7 + z * 0.2) * Math.cos(y * 0.5) + 0.1 * Math.sin(z * 0.9)) + (r() - 0.5) * span * 0.05;
    else if (kind === 1) v = lo + Math.floor(r() * (span + 1));
    else v = r() < 0.5 ? lo : hi;
    out[(z * p.ny + y) * p.nx + x] = Math.max(lo, Math.min(hi, Math.round(v)));
  }
  return out;
}

function compress(p: Hyper123Params, c: Int32Array): Uint8Array {
  return compressHyper123(lib, p, (p.signed ? Int16Array.from(c) : Uint16Array.from(c)) as Uint16Array);
}

test("[tengri §ground-speed] CCSDS 123 lossless reconstruction: the 32-bit integer path equals the general floating-point path and the original, over P, local sums, full/reduced, D, Ω, R, ρ and sizes", () => {
  let n = 0, intPath = 0;
  const sizes: [number, number, number][] = [[17, 6, 7], [3, 5, 6], [40, 4, 5], [2, 3, 4], [9, 9, 9]];
  for (const [nx, ny, nz] of sizes) for (let ls = 0; ls < 4; ls++) for (const reduced of [false, true]) for (const pp of [0, 1, 2, 3, 5]) {
    const d = 2 + ((n * 5) % 15), omega = 4 + ((n * 3) % (n % 5 === 4 ? 16 : Math.min(16, 26 - d))), signed = n % 3 === 1;
    const p: Hyper123Params = { ...hyper123Defaults(nx, ny, nz), d, signed, reduced, localSum: ls, p: pp, omega, k: Math.min(n % 8, d - 2),
      r: n % 8 === 5 ? 64 : Math.max(32, d + omega + 2), tIncLog: 4 + (n % 8), nuMin: [-1, 0, -6, 2][n % 4], nuMax: [3, 5, 9, 2][n % 4],
      order: n % 2 ? "bsq" : "bi", m: 1 + (n % nz) };
    const c = cube(p, n + 1, n % 3);
    const s = compress(p, c);
    const h = checkedHeader(s);
    const delta = new Int32Array(nx * ny * nz);
    const { limits } = entropyDecodeHyper123(s, h, delta);
    const fast = new Int32Array(delta.length);
    reconstructLossless(h, delta, fast, 0, nz);
    const general = reconstructGeneral(h, delta, limits).samples;
    assert.deepEqual(fast, general, `parameters ${JSON.stringify(p)}`);
    assert.deepEqual(fast, c, `original, parameters ${JSON.stringify(p)}`);
    if (h.r <= 32 && d + omega <= 29) intPath++;
    n++;
  }
  assert.ok(n === 200 && intPath >= 140, `${n} sets, ${intPath} on the integer path`);
});

test("[tengri §ground-speed] CCSDS 123 the P = 3 row interior at the edges of the arithmetic: D = 16 with Ω = 13 (D + Ω = 29), extreme samples, BSQ and BIL", () => {
  for (const [d, omega] of [[16, 13], [15, 14], [16, 12], [12, 17]]) for (let kind = 0; kind < 3; kind++) for (const signed of [false, true]) {
    const p: Hyper123Params = { ...hyper123Defaults(23, 5, 6), d, omega, signed, r: 32, order: kind === 1 ? "bi" : "bsq", m: 1 };
    const c = cube(p, d * 7 + kind, kind);
    const s = compress(p, c);
    const h = checkedHeader(s);
    const delta = new Int32Array(c.length);
    const { limits } = entropyDecodeHyper123(s, h, delta);
    assert.deepEqual(decodeHyper123(s).samples, c);
    assert.deepEqual(reconstructGeneral(h, delta, limits).samples, c);
  }
});

test("[tengri §ground-speed] CCSDS 123 decoding pool: streams decoded on worker threads equal the decoder's, in order; a bad stream rejects with its own error, the others decode", async () => {
  const streams: Uint8Array[] = [], cubes: Int32Array[] = [];
  for (let i = 0; i < 5; i++) {
    const p: Hyper123Params = { ...hyper123Defaults(30 + i, 7, 9), d: 10 + i, order: i % 2 ? "bi" : "bsq", m: 1, coder: i === 4 ? "hybrid" : "sample-adaptive" };
    const c = cube(p, 40 + i, i % 3);
    cubes.push(c);
    streams.push(compress(p, c));
  }
  const pool = new Hyper123DecodePool(2);
  try {
    const got = await pool.decodeAll(streams);
    got.forEach((d, i) => {
      const ref = decodeHyper123(streams[i]);
      assert.deepEqual(d.samples, cubes[i], `stream ${i}`);
      assert.deepEqual(d.header, ref.header);
      assert.equal(d.usedBytes, ref.usedBytes);
    });
    const bad = streams[1].slice(0, streams[1].length >> 1);
    let want: unknown;
    try { decodeHyper123(bad); } catch (e) { want = e; }
    assert.ok(want instanceof Hyper123DecodeError);
    const res = await Promise.allSettled([pool.decode(streams[0]), pool.decode(bad), pool.decode(streams[2])]);
    assert.equal(res[0].status, "fulfilled");
    assert.equal(res[2].status, "fulfilled");
    assert.ok(res[1].status === "rejected" && res[1].reason instanceof Hyper123DecodeError);
    const e = (res[1] as PromiseRejectedResult).reason as Hyper123DecodeError;
    const w = want as Hyper123DecodeError;
    assert.deepEqual([e.code, e.field, e.value, e.bitOffset], [w.code, w.field, w.value, w.bitOffset]);
  } finally { await pool.close(); }
  assert.throws(() => new Hyper123DecodePool(0), RangeError);
});

test("[tengri §ground-speed] CCSDS 121 whole-stream decode: the caller's bytes are read in place and left unchanged, buffers reused across decodes, a caller's output buffer filled, the decoder usable after", () => {
  // 12-bit samples, J = 16, RSI = 8: coded by the flight encoder
  const e = lib.exports;
  const N = 5000;
  const samples = new Uint16Array(N).map((_, i) => (2048 + 900 * Math.sin(i / 37) + ((i * 7919) % 23)) & 4095);
  const st = lib.alloc(e.aec121StateLen()), inPtr = lib.alloc(N * 2);
  lib.u8().set(new Uint8Array(samples.buffer), inPtr);
  e.aec121Init(st, 12, 16, 8, 8);
  const cap = e.aec121MaxOutLen(st, N), outPtr = lib.alloc(cap);
  e.aec121StartUnit(st);
  let o = outPtr + e.aec121Encode16(st, inPtr, N, outPtr, cap);
  o += e.aec121EndUnit(st, o, cap);
  const stream = lib.u8().slice(outPtr, o);
  const copy = stream.slice();
  const opts = { bitsPerSample: 12, blockSize: 16, rsi: 8 };
  // large, small, large again: the word buffer handed from one decode to the next
  for (const len of [N, 100, N]) {
    const enc = len === N ? stream : (() => {
      e.aec121StartUnit(st);
      let q = outPtr + e.aec121Encode16(st, inPtr, len, outPtr, cap);
      q += e.aec121EndUnit(st, q, cap);
      return lib.u8().slice(outPtr, q);
    })();
    const got = aec121Decode(enc, opts, { expectedSamples: len });
    assert.deepEqual(Array.from(got.subarray(0, len)), Array.from(samples.subarray(0, len)), `${len} samples`);
  }
  assert.deepEqual(stream, copy, "the caller's stream is not written");
  const into = new Int32Array(N + 64);
  const got = aec121Decode(stream, opts, { output: into });
  assert.equal(got.buffer, into.buffer, "the caller's output buffer is used");
  assert.deepEqual(Array.from(got.subarray(0, N)), Array.from(samples));
  const small = new Int32Array(10);
  assert.deepEqual(Array.from(aec121Decode(stream, opts, { output: small }).subarray(0, N)), Array.from(samples), "a buffer too small is replaced");
  // after a whole-stream decode the decoder still takes (fill) bytes without touching the stream
  const d = new Aec121StreamDecoder(opts, { expectedSamples: N });
  assert.deepEqual(Array.from(d.decodeAll(stream).subarray(0, N)), Array.from(samples));
  assert.equal(d.push(new Uint8Array(2)).length, 0);
  assert.equal(d.end().length, 0);
  assert.deepEqual(stream, copy, "the caller's stream is not written");
});
