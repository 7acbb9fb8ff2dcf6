// The ground decoder's AC bit-plane path (stages 1-4, every code option, gaggles, segments,
// truncation inside planes) on streams from the test-only encoder in ./bpe-encoder.ts, which is
// written from the literal text of 4.5.3.1 (types and tmax), not from the decoder's state flags.
// Runs without the external encoders; tests/reference/ccsds122-decoder.test.ts checks conformance.
import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeCcsds122 } from "../../../host/ground/ccsds122/decoder.ts";
import { encodeCcsds122, type EncodeOptions } from "./bpe-encoder.ts";

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
}

/** a scene-like image: smooth gradients, a few edges, noise; in range for bits/signed */
function scene(w: number, h: number, bits: number, signed: boolean, seed: number): Int32Array {
  const r = rng(seed);
  const lo = signed ? -(2 ** (bits - 1)) : 0, hi = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  const out = new Int32Array(w * h);
  const fx = 0.05 + r() * 0.2, fy = 0.03 + r() * 0.2;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    let v = 0.5 + 0.25 * Math.sin(x * fx) * Math.cos(y * fy) + (x > w / 2 ? 0.15 : 0) + (r() - 0.5) * 0.04;
    v = lo + v * (hi - lo);
    out[y * w + x] = Math.max(lo, Math.min(hi, Math.round(v)));
  }
  return out;
}

function psnr(a: Int32Array, b: Int32Array, bits: number): number {
  let se = 0;
  for (let i = 0; i < a.length; i++) se += (a[i] - b[i]) ** 2;
  return se === 0 ? Infinity : 10 * Math.log10(((2 ** bits - 1) ** 2) / (se / a.length));
}

const LOSSLESS: EncodeOptions[] = [
  { width: 17, height: 17, bits: 8, signed: false, dwt: "integer", S: 16 },
  { width: 45, height: 30, bits: 12, signed: false, dwt: "integer", S: 16 },
  { width: 64, height: 40, bits: 12, signed: true, dwt: "integer", S: 20 },
  { width: 33, height: 27, bits: 16, signed: false, dwt: "integer", S: 17 },
  { width: 40, height: 24, bits: 20, signed: true, dwt: "integer", S: 16 },
  { width: 24, height: 24, bits: 2, signed: false, dwt: "integer", S: 16 },
];

for (const o of LOSSLESS) {
  test(`[122.0-B-2 §4.5] round trip ${o.width}x${o.height} ${o.signed ? "signed" : "unsigned"} ${o.bits}-bit integer DWT S=${o.S}: bit-exact through stages 0-4`, () => {
    const img = scene(o.width, o.height, o.bits, o.signed, o.width * 31 + o.bits);
    const s = encodeCcsds122(img, o);
    const r = decodeCcsds122(s, { width: o.width, height: o.height });
    assert.ok(r.ok, r.ok ? "" : `${r.error} @${r.offset}`);
    assert.equal(r.truncated, false);
    let bad = -1;
    for (let i = 0; i < img.length && bad < 0; i++) if (r.pixels[i] !== img[i]) bad = i;
    assert.equal(bad, -1, bad >= 0 ? `pixel ${bad}: ${r.pixels[bad]} != ${img[bad]}` : "");
  });
}

test("[122.0-B-2 §3.3.1] round trip, float DWT, all planes: every pixel within 1", () => {
  const o: EncodeOptions = { width: 50, height: 35, bits: 12, signed: false, dwt: "float", S: 16 };
  const img = scene(o.width, o.height, o.bits, false, 5);
  const r = decodeCcsds122(encodeCcsds122(img, o));
  assert.ok(r.ok, r.ok ? "" : r.error);
  let maxe = 0;
  for (let i = 0; i < img.length; i++) maxe = Math.max(maxe, Math.abs(r.pixels[i] - img[i]));
  assert.ok(maxe <= 1, `max error ${maxe}`);
});

test("[122.0-B-2 §4.2.3] quality limits: BitPlaneStop/StageStop and SegByteLimit give ok, flagged, monotone-in-budget PSNR", () => {
  const base: EncodeOptions = { width: 64, height: 64, bits: 12, signed: false, dwt: "integer", S: 16 };
  const img = scene(64, 64, 12, false, 77);
  const q = (o: Partial<EncodeOptions>): number => {
    const r = decodeCcsds122(encodeCcsds122(img, { ...base, ...o }), { width: 64, height: 64 });
    assert.ok(r.ok, r.ok ? "" : `${JSON.stringify(o)}: ${r.error}`);
    return psnr(img, r.pixels, 12);
  };
  const planes = [6, 4, 2].map((p) => q({ bitPlaneStop: p }));
  assert.ok(planes[0] < planes[1] && planes[1] < planes[2], `BitPlaneStop 6/4/2: ${planes}`);
  const stages = [0, 1, 2, 3].map((s) => q({ bitPlaneStop: 3, stageStop: s }));
  for (let i = 1; i < 4; i++) assert.ok(stages[i] >= stages[i - 1], `StageStop: ${stages}`);
  const limits = [40, 80, 160, 320].map((l) => q({ segByteLimit: l }));
  for (let i = 1; i < 4; i++) assert.ok(limits[i] > limits[i - 1], `SegByteLimit: ${limits}`);
  assert.ok(limits[0] > 20, `40-byte segments: ${limits[0]} dB`);
  const dc = q({ dcStop: true });
  assert.ok(dc > 15 && dc < limits[0], `DCStop ${dc}`);
});

test("[122.0-B-2 §4.5] a segment cut at every byte of its bit planes (SegByteLimit) decodes, flagged, and more bytes never hurt much", () => {
  const o: EncodeOptions = { width: 32, height: 32, bits: 10, signed: false, dwt: "integer", S: 16 };
  const img = scene(32, 32, 10, false, 3);
  const full = encodeCcsds122(img, o);
  let prev = 0;
  for (let lim = 24; lim < full.length; lim += 3) {
    const r = decodeCcsds122(encodeCcsds122(img, { ...o, segByteLimit: lim }));
    assert.ok(r.ok, r.ok ? "" : `limit ${lim}: ${r.error}`);
    const p = psnr(img, r.pixels, 10);
    assert.ok(p >= prev - 1.5, `limit ${lim}: ${p} dB after ${prev}`);
    prev = Math.max(prev, p);
  }
});

test("[122.0-B-2 §4.5] fuzz: 2000 bit-flipped and cut AC streams never throw and always answer", () => {
  const r = rng(1220);
  const streams = LOSSLESS.slice(0, 4).map((o, i) => encodeCcsds122(scene(o.width, o.height, o.bits, o.signed, i), o));
  for (let i = 0; i < 2000; i++) {
    const s = Uint8Array.from(streams[i % streams.length]);
    const flips = 1 + Math.floor(r() * 4);
    for (let f = 0; f < flips; f++) { const b = 20 * 8 + Math.floor(r() * (s.length - 20) * 8); s[b >> 3] ^= 0x80 >> (b & 7); }
    const cut = i % 3 === 0 ? s.subarray(0, Math.floor(r() * s.length)) : s;
    let out: ReturnType<typeof decodeCcsds122> | undefined;
    assert.doesNotThrow(() => { out = decodeCcsds122(cut, { partial: i % 2 === 0 }); });
    if (out && !out.ok) {
      assert.ok(!/internal decoder error/.test(out.error), out.error);
      assert.ok(out.offset >= 0 && out.offset <= cut.length);
    }
  }
});
