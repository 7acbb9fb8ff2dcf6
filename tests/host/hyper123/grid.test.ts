// Round-trip grid: the flight compressor (build/lib.wasm) against the independent ground
// decoder on small synthetic cubes: every local-sum type, full and reduced prediction, P = 0..15,
// BSQ / BIL / BIP / other interleaving depths, D = 2..16, signed and unsigned, odd sizes.
// Conformance claimed: round trip (lossless: exact; near-lossless: within m_z(t)), in addition
// to the Salinas-A size checks against the external references (salinas.test.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadFlightLib } from "../../../host/obc/lib.ts";
import { compressHyper123, hyper123Defaults, type Hyper123Params } from "../../../host/commands/hyper123.ts";
import { decodeHyper123 } from "../../../host/ground/hyper123-decoder.ts";

const lib = loadFlightLib();

/** Deterministic xorshift32. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
}

type Kind = "smooth" | "noise" | "min" | "max" | "edges";
/** A BSQ cube of D-bit samples with spatial and spectral correlation (or an extreme pattern). */
function synth(nx: number, ny: number, nz: number, d: number, signed: boolean, kind: Kind, seed: number): Int32Array {
  const r = rng(seed);
  const lo = signed ? -(2 ** (d - 1)) : 0, hi = signed ? 2 ** (d - 1) - 1 : 2 ** d - 1;
  const out = new Int32Array(nx * ny * nz);
  const span = hi - lo;
  for (let z = 0; z < nz; z++) for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
    let v: number;
    if (kind === "min") v = lo;
    else if (kind === "max") v = hi;
    else if (kind === "noise") v = lo + Math.floor(r() * (span + 1));
    else if (kind === "edges") v = r() < 0.5 ? lo : hi;
    else v = lo + span * (0.5 + 0.3 * Math.sin(x * 0.7 + z * 0.2) * Math.cos(y * 0.5) + 0.1 * Math.sin(z * 0.9)) + (r() - 0.5) * span * 0.05;
    out[(z * ny + y) * nx + x] = Math.max(lo, Math.min(hi, Math.round(v)));
  }
  return out;
}

function roundTrip(p: Hyper123Params, kind: Kind, seed: number): number {
  const cube = synth(p.nx, p.ny, p.nz, p.d, p.signed, kind, seed);
  const words = p.signed ? Int16Array.from(cube) : Uint16Array.from(cube);
  const s = compressHyper123(lib, p, words as Uint16Array);
  const dec = decodeHyper123(s);
  assert.equal(dec.usedBytes, s.length, "stream length");
  assert.equal(s.length % p.wordBytes, 0, "output word padding");
  let worst = 0;
  for (let i = 0; i < cube.length; i++) {
    const e = Math.abs(dec.samples[i] - cube[i]);
    const lim = dec.maxError ? dec.maxError[i] : 0;
    if (e > lim) assert.fail(`sample ${i}: |${dec.samples[i]} - ${cube[i]}| > ${lim} (${JSON.stringify({ ...p, absTable: null, relTable: null })}, ${kind})`);
    if (e > worst) worst = e;
  }
  return worst;
}

const SIZES: [number, number, number][] = [[1, 1, 1], [1, 9, 1], [9, 1, 4], [1, 6, 5], [5, 4, 3], [13, 7, 17], [2, 3, 16], [31, 2, 2]];
const ORDERS: [Hyper123Params["order"], number][] = [["bsq", 0], ["bi", 1], ["bi", -1], ["bi", 2]];

test("[123.0-B-2 §4.4] lossless round trip over local sums × full/reduced × orders × signedness × sizes, D = 2..16", () => {
  let n = 0;
  for (const [nx, ny, nz] of SIZES) for (let ls = 0; ls < 4; ls++) for (const reduced of [false, true]) for (const [order, m] of ORDERS) for (const signed of [false, true]) {
    if (nx === 1 && (!reduced || ls < 2)) continue;              // Nx = 1: reduced mode, column-oriented sums (§4.3, §4.4)
    const d = 2 + (n % 15);
    const p: Hyper123Params = { ...hyper123Defaults(nx, ny, nz), d, signed, order, m: m < 0 ? nz : Math.min(m, nz),
      reduced, localSum: ls, p: (n * 7) % 16, k: Math.min(n % 8, d - 2), omega: 4 + (n % 16), wordBytes: 1 + (n % 8) };
    p.r = Math.max(32, d + p.omega + 2) + (n % 3 === 0 ? 0 : (n % (65 - Math.max(32, d + p.omega + 2))));
    roundTrip(p, (["smooth", "noise", "min", "max", "edges"] as Kind[])[n % 5], n + 1);
    n++;
  }
  assert.ok(n >= 368, `${n} combinations`);
});

test("[123.0-B-2 §4.3] lossless round trip for every P = 0..15, full and reduced, 16-bit signed and unsigned", () => {
  for (let pp = 0; pp <= 15; pp++) for (const reduced of [false, true]) for (const signed of [false, true]) {
    const p: Hyper123Params = { ...hyper123Defaults(6, 5, 18), p: pp, reduced, signed, d: 16 };
    roundTrip(p, "smooth", pp + 100);
  }
});

test("[123.0-B-2 §4.6.2] weight update scaling exponent: every t_inc, ν_min..ν_max and small Ω with R = 64 and R minimal", () => {
  let n = 0;
  for (let tl = 4; tl <= 11; tl++) for (const [numin, numax] of [[-6, -6], [-6, 9], [-1, 3], [9, 9], [0, 5]]) {
    const omega = 4 + (n % 16), d = 8 + (n % 9);
    const p: Hyper123Params = { ...hyper123Defaults(24, 12, 4), d, k: Math.min(7, d - 2), tIncLog: tl, nuMin: numin, nuMax: numax, omega,
      r: n % 2 ? 64 : Math.max(32, d + omega + 2) };
    roundTrip(p, n % 2 ? "smooth" : "noise", n + 200);
    n++;
  }
});

test("[123.0-B-2 §5.4.3.2] sample-adaptive coder parameters: U_max 8..32, γ0, γ*, K over their ranges", () => {
  let n = 0;
  for (const umax of [8, 9, 16, 18, 31, 32]) for (const [g0, gs] of [[1, 4], [1, 11], [3, 4], [8, 9], [5, 11]]) {
    const d = [2, 3, 8, 12, 16][n % 5];
    const p: Hyper123Params = { ...hyper123Defaults(11, 6, 5), d, uMax: umax, gamma0: g0, gammaStar: gs, k: n % (Math.min(d - 2, 14) + 1) };
    roundTrip(p, (["noise", "smooth", "edges"] as Kind[])[n % 3], n + 300);
    n++;
  }
});

test("[123.0-B-2 §4.8] near-lossless round trips stay within the limits: absolute, relative, both; band-independent and band-dependent", () => {
  let n = 0;
  for (const fidelity of [1, 2, 3]) for (const dep of [false, true]) for (const [theta, phi, psi] of [[0, 0, 0], [4, 4, 4], [2, 3, 1], [4, 15, 15]]) for (const signed of [false, true]) {
    const nz = 7, d = 10 + (n % 7);
    const p: Hyper123Params = { ...hyper123Defaults(9, 8, nz), d, signed, fidelity, order: n % 2 ? "bsq" : "bi", m: 1 + (n % nz),
      reduced: n % 3 === 0, localSum: n % 4, p: n % 4,
      absBits: 5, absLimit: n % 32, absTable: dep ? Array.from({ length: nz }, (_, z) => (z * 5 + n) % 32) : null,
      relBits: 9, relLimit: (n * 37) % 512, relTable: dep ? Array.from({ length: nz }, (_, z) => (z * 71 + n) % 512) : null,
      repFlag: theta > 0 || phi > 0, theta, phi, psi };
    roundTrip(p, (["smooth", "noise", "edges"] as Kind[])[n % 3], n + 400);
    n++;
  }
});

test("[123.0-B-2 §4.9] lossless with damping φ > 0: sample representatives differ from the samples, reconstruction still exact", () => {
  for (const phi of [1, 7, 15]) {
    const p: Hyper123Params = { ...hyper123Defaults(10, 9, 6), repFlag: true, theta: 4, phi, psi: 0 };
    assert.equal(roundTrip(p, "smooth", phi), 0);
  }
});

test("[123.0-B-2 §5.4.3.4] block-adaptive round trips: J = 8..64, RSI, restricted options for D ≤ 4, every order, near-lossless", () => {
  let n = 0;
  for (const j of [8, 16, 32, 64]) for (const rsi of [1, 3, 64, 4096]) for (const [order, m] of ORDERS) {
    const [nx, ny, nz] = SIZES[n % SIZES.length];
    const d = 2 + (n % 15);
    const p: Hyper123Params = { ...hyper123Defaults(nx, ny, nz), coder: "block-adaptive", blockSize: j, rsi, restricted: d <= 4 && n % 2 === 0,
      d, k: 0, signed: n % 3 === 0, order, m: m < 0 ? nz : Math.min(m, nz), reduced: nx === 1 || n % 2 === 1, localSum: nx === 1 ? 2 + (n % 2) : n % 4,
      p: n % 16, wordBytes: 1 + (n % 4), fidelity: n % 4 === 3 ? 1 : 0, absLimit: d > 2 ? 2 : 1, absBits: Math.min(2, d - 1) };
    roundTrip(p, (["smooth", "noise", "min", "edges"] as Kind[])[n % 4], n + 500);
    n++;
  }
});

function oneByteChunks(coder: Hyper123Params["coder"]): void {
  const p: Hyper123Params = { ...hyper123Defaults(7, 5, 4), d: 12, wordBytes: 3, order: "bi", m: 2, coder };
  const cube = Uint16Array.from(synth(7, 5, 4, 12, false, "noise", 9));
  const whole = compressHyper123(lib, p, cube);
  // the same through the raw ABI with a one-byte output buffer
  const e = lib.exports;
  const blk = new Int32Array(e.hyp123ParamCount());
  const vals = [7, 5, 4, 12, 0, 0, 2, 3, 0, 3, 0, 0, 32, 13, 6, -1, 3, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 18, 6, 1, 7, 0, 0, 0, 16, 4096, 0];
  blk.set(vals);
  if (coder === "block-adaptive") blk[8] = 2;
  if (coder === "hybrid") blk[8] = 1;
  blk[41] = -1;
  const pp = lib.alloc(blk.length * 4); lib.u8().set(new Uint8Array(blk.buffer), pp);
  const len = e.hyp123StateLen(pp); const st = lib.alloc(len);
  assert.equal(e.hyp123Init(st, len, pp), 0);
  const out = lib.alloc(64); const bytes: number[] = [];
  const h = e.hyp123Header(st, pp, out, 64);
  for (let i = 0; i < h; i++) bytes.push(lib.u8()[out + i]);
  const line = lib.alloc(7 * 4 * 2);
  for (let y = 0; y < 5; y++) {
    const v = new Uint16Array(lib.memory.buffer, line, 28);
    for (let z = 0; z < 4; z++) for (let x = 0; x < 7; x++) v[z * 7 + x] = cube[(z * 5 + y) * 7 + x];
    assert.equal(e.hyp123PushLine(st, line), 0);
    for (let guard = 0; guard < 10000 && (e.hyp123Pending(st) || (y === 4 && !e.hyp123Done(st))); guard++) {
      const n = e.hyp123Drain(st, out, 1);
      assert.ok(n === 0 || n === 1);
      if (n) bytes.push(lib.u8()[out]);
    }
  }
  assert.deepEqual(Uint8Array.from(bytes), whole);
}
test("[123.0-B-2 §5.4.3.1] sample-adaptive: one-byte output chunks give the same stream as one big buffer", () => oneByteChunks("sample-adaptive"));
test("[123.0-B-2 §5.4.3.1] hybrid: one-byte output chunks give the same stream as one big buffer", () => oneByteChunks("hybrid"));
test("[123.0-B-2 §5.4.3.1] block-adaptive: one-byte output chunks give the same stream as one big buffer", () => oneByteChunks("block-adaptive"));

test("[123.0-B-2 §4.6.3.3] custom weight initialisation with Λ = default weights + 1 (Q = Ω + 3) gives the default body", () => {
  for (const reduced of [false, true]) {
    const nx = 8, ny = 6, nz = 7, P = 3, omega = 13;
    const base: Hyper123Params = { ...hyper123Defaults(nx, ny, nz), p: P, reduced, omega };
    const lambda: number[][] = [];
    for (let z = 0; z < nz; z++) {
      const row: number[] = reduced ? [] : [1, 1, 1];
      let v = Math.floor(7 * 2 ** omega / 8);
      for (let i = 0; i < Math.min(z, P); i++) { row.push(v + 1); v = Math.floor(v / 8); }
      lambda.push(row);
    }
    const cube = Uint16Array.from(synth(nx, ny, nz, 16, false, "smooth", 77));
    const a = compressHyper123(lib, base, cube);
    const b = compressHyper123(lib, { ...base, weightInit: { q: omega + 3, lambda } }, cube);
    const ha = decodeHyper123(a).header.bodyOffset, hb = decodeHyper123(b).header.bodyOffset;
    assert.deepEqual(b.subarray(hb), a.subarray(ha));
    const zeros = Array.from({ length: nz }, (_, z) => new Array(Math.min(z, P) + 1).fill(0));
    const c = compressHyper123(lib, { ...base, weightOffsets: zeros }, cube);
    assert.deepEqual(c.subarray(decodeHyper123(c).header.bodyOffset), a.subarray(ha));
  }
});

test("[123.0-B-2 §4.10.3] weight exponent offsets and custom weights: lossless and near-lossless round trips", () => {
  let n = 0;
  for (const reduced of [false, true]) for (const q of [3, 8, 16]) for (const fidelity of [0, 1]) {
    const nx = 9, ny = 7, nz = 6, P = 2 + (n % 3), omega = 8 + (n % 6);
    const r = rng(n + 900);
    const lambda = Array.from({ length: nz }, (_, z) => Array.from({ length: Math.min(z, P) + (reduced ? 0 : 3) }, () => Math.floor(r() * 2 ** q) - 2 ** (q - 1)));
    const offsets = Array.from({ length: nz }, (_, z) => Array.from({ length: Math.min(z, P) + 1 }, () => Math.floor(r() * 12) - 6));
    const p: Hyper123Params = { ...hyper123Defaults(nx, ny, nz), p: P, reduced, omega, weightInit: q <= omega + 3 ? { q, lambda } : null,
      weightOffsets: offsets, fidelity, absLimit: 3, absBits: 2, order: n % 2 ? "bsq" : "bi", m: 2 };
    roundTrip(p, n % 2 ? "smooth" : "noise", n + 950);
    n++;
  }
});

test("[123.0-B-2 §4.8.2.3] periodic error-limit updating: limits per period in the body, both coders, within limits", () => {
  let n = 0;
  for (const coder of ["sample-adaptive", "block-adaptive"] as const) for (const u of [0, 1, 3]) for (const fidelity of [1, 2, 3]) for (const dep of [false, true]) {
    const nx = 7, ny = 9, nz = 5;
    const periods = Math.ceil(ny / 2 ** u);
    const r = rng(n + 1200);
    const periodLimits = Array.from({ length: periods }, () => ({
      abs: fidelity !== 2 ? Array.from({ length: dep ? nz : 1 }, () => Math.floor(r() * 16)) : undefined,
      rel: fidelity !== 1 ? Array.from({ length: dep ? nz : 1 }, () => Math.floor(r() * 512)) : undefined,
    }));
    const p: Hyper123Params = { ...hyper123Defaults(nx, ny, nz), coder, order: "bi", m: 1 + (n % nz), fidelity, periodExp: u, periodLimits,
      absBits: 4, relBits: 9, absTable: null, relTable: null, absLimit: 0, relLimit: 0,
      // band dependence comes from the value counts: mark it through the (unused) tables
      repFlag: n % 2 === 0, theta: 3, phi: 2, psi: 3 };
    if (dep) { p.absTable = fidelity !== 2 ? new Array(nz).fill(0) : null; p.relTable = fidelity !== 1 ? new Array(nz).fill(0) : null; }
    roundTrip(p, n % 2 ? "smooth" : "noise", n + 1300);
    n++;
  }
});

test("[123.0-B-2 §5.4.3.3] hybrid coder round trips (backward ground decoding): sizes, orders, D, signed, U_max / γ0 / γ*, near-lossless, periodic limits", () => {
  let n = 0;
  for (const [nx, ny, nz] of SIZES) for (const [order, m] of ORDERS) for (const kind of ["smooth", "noise", "min", "edges"] as Kind[]) {
    const d = 2 + (n % 15);
    const g0 = 1 + (n % 8), gs = Math.max(4, g0 + 1) + (n % 3);
    const near = n % 3 === 1;
    const p: Hyper123Params = { ...hyper123Defaults(nx, ny, nz), coder: "hybrid", d, signed: n % 2 === 1, order, m: m < 0 ? nz : Math.min(m, nz),
      reduced: nx === 1 || n % 2 === 0, localSum: nx === 1 ? 2 + (n % 2) : n % 4, p: n % 16, uMax: 8 + (n % 25), gamma0: g0, gammaStar: Math.min(gs, 11),
      wordBytes: 1 + (n % 8), fidelity: near ? 1 : 0, absLimit: Math.min((n % 4) + 1, 2 ** Math.min(3, d - 1) - 1), absBits: Math.min(3, d - 1),
      periodExp: near && order === "bi" && n % 2 === 0 ? n % 3 : -1, periodLimits: null };
    if (p.periodExp >= 0) p.periodLimits = Array.from({ length: Math.ceil(ny / 2 ** p.periodExp) }, (_, k) => ({ abs: [Math.min(k % 5, 2 ** p.absBits - 1)] }));
    roundTrip(p, kind, n + 1500);
    n++;
  }
  assert.ok(n >= 100);
});

test("[123.0-B-2 §4.9] band-dependent damping and offset tables, per-band accumulator initialisation: round trips", () => {
  let n = 0;
  for (const coder of ["sample-adaptive", "hybrid", "block-adaptive"] as const) for (const fidelity of [0, 1, 3]) {
    const nz = 6, theta = 1 + (n % 4), r = rng(n + 2000);
    const p: Hyper123Params = { ...hyper123Defaults(8, 7, nz), coder, fidelity, absLimit: 3, absBits: 2, relLimit: 90, relBits: 8,
      repFlag: true, theta, phiTable: Array.from({ length: nz }, () => Math.floor(r() * 2 ** theta)),
      psiTable: fidelity ? Array.from({ length: nz }, () => Math.floor(r() * 2 ** theta)) : null,
      kTable: coder === "sample-adaptive" ? Array.from({ length: nz }, () => Math.floor(r() * 15)) : null };
    roundTrip(p, n % 2 ? "smooth" : "noise", n + 2100);
    n++;
  }
});
