import { test } from "node:test";
import assert from "node:assert/strict";
import { Channel, ChannelError, type ChannelOptions } from "../../../host/downlink/channel.ts";

function pattern(n: number, seed = 1): Uint8Array {
  const b = new Uint8Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1103515245) + 12345) | 0; b[i] = s >>> 24; }
  return b;
}

function run(o: ChannelOptions, input: Uint8Array, chunk = input.length): { out: Uint8Array; ch: Channel } {
  const ch = new Channel(o);
  const parts: Uint8Array[] = [];
  for (let i = 0; i < input.length; i += chunk) parts.push(...ch.push(input.subarray(i, i + chunk)));
  parts.push(...ch.end());
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let k = 0;
  for (const p of parts) { out.set(p, k); k += p.length; }
  return { out, ch };
}

const popcount = (v: number) => { let c = 0; while (v) { c += v & 1; v >>>= 1; } return c; };
function bitDiff(a: Uint8Array, b: Uint8Array): number {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) d += popcount(a[i] ^ b[i]);
  return d;
}

test("BER 0 and no impairments: the stream passes unchanged", () => {
  const input = pattern(100_003);
  const { out, ch } = run({ seed: 1, caduLen: 1279 }, input, 4096);
  assert.deepEqual(out, input);
  assert.deepEqual(ch.stats, { bytes: input.length, bitErrors: 0, bursts: 0, dropped: 0, slips: 0 });
});

test("random bit errors: count within 4σ of N·BER, equal to the flipped bits, spread over bit positions", () => {
  const input = pattern(4_000_000);
  const ber = 1e-3;
  const { out, ch } = run({ seed: 7, ber, caduLen: 1279 }, input, 65536);
  const n = input.length * 8, mean = n * ber, sd = Math.sqrt(n * ber * (1 - ber));
  const d = bitDiff(out, input);
  assert.equal(d, ch.stats.bitErrors);
  assert.ok(Math.abs(d - mean) < 4 * sd, `${d} errors, expected ${mean} ± ${4 * sd}`);
  // Errors spread over the 8 bit positions evenly (each about 1/8).
  const perBit = new Array(8).fill(0);
  for (let i = 0; i < out.length; i++) { const x = out[i] ^ input[i]; for (let b = 0; b < 8; b++) if (x & (1 << b)) perBit[b]++; }
  for (const c of perBit) assert.ok(Math.abs(c - d / 8) < 5 * Math.sqrt(d / 8), `bit position counts ${perBit}`);
  // At 1e-4 over 40 MB: fast (geometric gaps), and still on target.
  const big = new Uint8Array(40_000_000);
  const r = run({ seed: 3, ber: 1e-4, caduLen: 1279 }, big, 1 << 20);
  const m2 = big.length * 8 * 1e-4;
  assert.ok(Math.abs(r.ch.stats.bitErrors - m2) < 4 * Math.sqrt(m2));
  let ones = 0;
  for (const v of r.out) if (v) ones += popcount(v);
  assert.equal(ones, r.ch.stats.bitErrors);
});

test("determinism: same seed same output whatever the chunking; another seed differs", () => {
  const input = pattern(50_000);
  const o = { seed: 11, ber: 2e-3, burstEvery: 5000, burstLen: 12, caduLen: 1024, slipBitsAt: [{ cadu: 20, bits: 3 }], dropCadus: [5] };
  const a = run(o, input).out;
  assert.deepEqual(run(o, input, 1).out, a);
  assert.deepEqual(run(o, input, 1000).out, a);
  assert.notDeepEqual(run({ ...o, seed: 12 }, input).out, a);
});

test("dropping CADUs removes exactly their bytes", () => {
  const L = 892 + 4 + 128;
  const input = pattern(L * 10 + 100);
  const { out, ch } = run({ seed: 1, caduLen: L, dropCadus: [0, 3, 4, 10] }, input, 333);
  const keep = [1, 2, 5, 6, 7, 8, 9].map((k) => input.subarray(k * L, (k + 1) * L));
  const expected = new Uint8Array([...keep.flatMap((k) => [...k])]);
  assert.deepEqual(out, expected); // index 10 is the trailing partial CADU: dropped too
  assert.equal(ch.stats.dropped, 4);
});

test("bursts: counted, each corrupts burstLen consecutive bytes, mean spacing as configured", () => {
  const input = pattern(2_000_000);
  const burstEvery = 10_000, burstLen = 8;
  const { out, ch } = run({ seed: 5, burstEvery, burstLen, caduLen: 1279 }, input, 50_000);
  const expect = input.length / (burstEvery + burstLen);
  assert.ok(Math.abs(ch.stats.bursts - expect) < 4 * Math.sqrt(expect), `${ch.stats.bursts} bursts, expected ~${expect}`);
  // Every corrupted byte belongs to a run of exactly burstLen (bursts do not overlap).
  let runs = 0, bad = 0;
  for (let i = 0; i < out.length;) {
    if (out[i] === input[i]) { i++; continue; }
    let j = i;
    while (j < out.length && j - i < burstLen && out[j] !== input[j]) j++;
    assert.equal(j - i, burstLen, `burst at ${i} is ${j - i} bytes`);
    runs++; bad += j - i; i = j;
  }
  assert.equal(runs, ch.stats.bursts);
  assert.equal(bitDiff(out, input), ch.stats.bitErrors);
});

function bitAt(b: Uint8Array, i: number) { return (b[i >>> 3] >>> (7 - (i & 7))) & 1; }

test("bit slips: inserted or deleted bits at a CADU boundary or inside shift the rest of the stream", () => {
  const L = 100;
  const input = pattern(L * 8);
  for (const [cadu, bits, atByte] of [[2, 3, 0], [2, -5, 0], [1, 11, 40], [4, -17, 7]]) {
    const { out, ch } = run({ seed: 2, caduLen: L, slipBitsAt: [{ cadu, bits, atByte }] }, input, 77);
    assert.equal(ch.stats.slips, 1);
    const at = (cadu * L + atByte) * 8;
    const totalBits = input.length * 8 + bits;
    assert.equal(out.length, Math.ceil(totalBits / 8));
    for (let i = 0; i < at; i++) assert.equal(bitAt(out, i), bitAt(input, i));
    const from = bits > 0 ? at + bits : at; // after the slip, output bit o ↔ input bit o − bits
    for (let o = from; o < totalBits; o += 7) assert.equal(bitAt(out, o), bitAt(input, o - bits), `slip ${bits}@${cadu}:${atByte}, bit ${o}`);
  }
});

test("bad options are typed errors", () => {
  assert.throws(() => new Channel({ seed: 1, caduLen: 0 }), (e: unknown) => e instanceof ChannelError && e.field === "caduLen");
  assert.throws(() => new Channel({ seed: 1, caduLen: 10, ber: 2 }), (e: unknown) => e instanceof ChannelError && e.field === "ber");
  assert.throws(() => new Channel({ seed: 1, caduLen: 10, slipBitsAt: [{ cadu: 1, bits: 0 }] }), ChannelError);
  assert.throws(() => new Channel({ seed: 1, caduLen: 10, slipBitsAt: [{ cadu: 1, bits: 1, atByte: 10 }] }), ChannelError);
});

test("fuzz: random options and chunkings keep lengths consistent (input − dropped bytes ± slipped bits)", () => {
  let s = 99;
  const rnd = (n: number) => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s % n; };
  for (let i = 0; i < 200; i++) {
    const caduLen = 1 + rnd(300), len = rnd(5000);
    const o: ChannelOptions = { seed: rnd(1000), caduLen, ber: rnd(2) ? rnd(100) / 1000 : undefined };
    if (rnd(2)) { o.burstEvery = 1 + rnd(500); o.burstLen = 1 + rnd(40); }
    if (rnd(2)) o.dropCadus = Array.from({ length: rnd(5) }, () => rnd(30));
    if (rnd(2)) o.slipBitsAt = Array.from({ length: 1 + rnd(3) }, () => ({ cadu: rnd(30), bits: (rnd(2) ? 1 : -1) * (1 + rnd(20)), atByte: rnd(caduLen) }));
    const input = pattern(len, i + 1);
    const { out, ch } = run(o, input, 1 + rnd(700));
    const nCadu = Math.ceil(len / caduLen);
    const drops = new Set((o.dropCadus ?? []).filter((k) => k < nCadu));
    let keptBytes = len;
    for (const k of drops) keptBytes -= Math.min(caduLen, len - k * caduLen);
    let slipBits = 0;
    for (const sl of o.slipBitsAt ?? []) {
      const cLen = Math.min(caduLen, len - sl.cadu * caduLen);
      if (sl.cadu < nCadu && !drops.has(sl.cadu) && (sl.atByte ?? 0) < cLen) slipBits += sl.bits;
    }
    assert.equal(ch.stats.dropped, drops.size, `case ${i}`);
    // Deletions can only eat bits that follow them: the bound is the kept stream.
    const bits = Math.max(0, keptBytes * 8 + slipBits);
    if (slipBits >= 0) assert.equal(out.length, Math.ceil(bits / 8), `case ${i}`);
    else assert.ok(out.length <= keptBytes && out.length >= Math.floor(bits / 8), `case ${i}: ${out.length} vs ${bits / 8}`);
  }
});
