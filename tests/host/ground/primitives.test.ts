import { test } from "node:test";
import assert from "node:assert/strict";
import { crc16 } from "../../../host/ground/crc16.ts";
import { pnSequence, Derandomizer } from "../../../host/ground/derandomize.ts";
import { RsCodec, GF_EXP, GF_LOG, CONV_TO_DUAL, DUAL_TO_CONV, gfMul } from "../../../host/ground/reed-solomon.ts";
import { decodeCuc, CucError } from "../../../host/ground/cuc.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex").toUpperCase();

test("[132.0-B-3 §4.1.6] FECF CRC-16/CCITT-FALSE check value of '123456789' is 29B1", () => {
  assert.equal(crc16(new TextEncoder().encode("123456789")), 0x29b1);
  // Bit-serial reference from the polynomial, on random lengths and offsets.
  const ref = (b: Uint8Array) => { let c = 0xffff; for (const x of b) { c ^= x << 8; for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff; } return c; };
  for (let n = 0; n < 40; n++) {
    const b = new Uint8Array(n * 7 + 1).map((_, i) => (i * 37 + n) & 255);
    assert.equal(crc16(b), ref(b));
    assert.equal(crc16(b, 1, b.length), ref(b.subarray(1)));
  }
});

test("[131.0-B-5 §10.4.3] pseudo-randomizer sequence starts FF 48 0E C0 9A 0D 70 BC 8E 2C 93 AD A7 B7 46 CE, period 255", () => {
  const pn = pnSequence(255 * 3);
  assert.equal(hex(pn.subarray(0, 16)), "FF480EC09A0D70BC8E2C93ADA7B746CE");
  assert.deepEqual(pn.subarray(255, 510), pn.subarray(0, 255));
  // The word path and the byte path give the same result at any alignment.
  for (const len of [1, 3, 259, 1279]) {
    const d = new Derandomizer(len);
    const a = new Uint8Array(len + 3).fill(0xa5);
    d.apply(a, 1);
    for (let i = 0; i < len; i++) assert.equal(a[1 + i], 0xa5 ^ pn[i % 255]);
  }
});

test("[131.0-B-5 §4.3.3] GF(2^8) tables regenerated from F(x) = x^8+x^7+x^2+x+1", () => {
  // Carry-less multiply modulo 0x187, independent of the log tables.
  const slowMul = (a: number, b: number) => { let r = 0; for (let i = 0; i < 8; i++) if (b & (1 << i)) r ^= a << i; for (let i = 15; i >= 8; i--) if (r & (1 << i)) r ^= 0x187 << (i - 8); return r; };
  let x = 1;
  const seen = new Set<number>();
  for (let i = 0; i < 255; i++) { assert.equal(GF_EXP[i], x); assert.equal(GF_LOG[x], i); seen.add(x); x = slowMul(x, 2); }
  assert.equal(x, 1);
  assert.equal(seen.size, 255);
  for (let a = 0; a < 256; a += 7) for (let b = 0; b < 256; b += 5) assert.equal(gfMul(a, b), slowMul(a, b));
});

test("[131.0-B-5 §4.3.4] generator polynomials have 2E consecutive roots α^(11j), j from 112 (E=16) and 120 (E=8)", () => {
  for (const E of [16, 8] as const) {
    const c = new RsCodec(E);
    const evalAt = (v: number) => { let acc = 0; for (const g of c.gen) acc = gfMul(acc, v) ^ g; return acc; };
    for (let j = c.fcr; j < c.fcr + 2 * E; j++) assert.equal(evalAt(GF_EXP[(11 * j) % 255]), 0);
    assert.notEqual(evalAt(GF_EXP[(11 * (c.fcr - 1)) % 255]), 0);
    // Symmetric generator (131.0-B-5 §4.3.4: the CCSDS code's g(x) is self-reciprocal).
    for (let i = 0; i <= 2 * E; i++) assert.equal(c.gen[i], c.gen[2 * E - i]);
  }
});

test("[131.0-B-5 §4.3.9] dual basis: RS(255,223) parity of 00..DE begins 4F FB 92 DD (conventional basis gives 2F BD 4F B4)", () => {
  const c = new RsCodec(16);
  const data = new Uint8Array(223).map((_, i) => i);
  const p = new Uint8Array(32);
  c.encode(data, p);
  assert.equal(hex(p.subarray(0, 4)), "4FFB92DD");
  // Conventional basis: encode the data taken as conventional symbols and compare before mapping.
  const conv = new Uint8Array(223).map((_, i) => CONV_TO_DUAL[i]);
  c.encode(conv, p);
  assert.equal(hex(p.subarray(0, 4).map((v) => DUAL_TO_CONV[v])), "2FBD4FB4");
  for (let v = 0; v < 256; v++) assert.equal(DUAL_TO_CONV[CONV_TO_DUAL[v]], v);
});

test("[131.0-B-5 §4.3.1] RS decoder corrects up to E random symbol errors and flags E+1..E+4 (shortened codes too)", () => {
  let seed = 1;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) & 0xffffff;
  for (const E of [16, 8] as const) {
    const c = new RsCodec(E);
    for (let trial = 0; trial < 300; trial++) {
      const k = 255 - 2 * E - (trial % 3 === 0 ? rnd() % 150 : 0);
      const data = new Uint8Array(k).map(() => rnd() & 255), par = new Uint8Array(2 * E);
      c.encode(data, par);
      const cw = new Uint8Array(k + 2 * E);
      cw.set(data); cw.set(par, k);
      const nerr = 1 + (trial % (E + 4));
      const rx = cw.slice(), pos = new Set<number>();
      while (pos.size < nerr) pos.add(rnd() % cw.length);
      for (const q of pos) rx[q] ^= 1 + (rnd() % 255);
      const base = 256 - cw.length;
      c.work.set(rx, base);
      const r = c.decode(cw.length);
      const out = c.work.slice(base);
      if (nerr <= E) { assert.equal(r, nerr); assert.deepEqual(out, cw); }
      else assert.ok(r < 0 || hex(out) !== hex(cw), "beyond E must be flagged (or miscorrected into another codeword)");
      if (r >= 0) { c.work.set(out, base); assert.equal(c.decode(cw.length), 0, "anything accepted is a codeword"); }
    }
  }
});

test("[301.0-B-4 §3.2] CUC with P-field 0x1E: 4 coarse + 2 fine octets, 1958 epoch", () => {
  const b = new Uint8Array([0xaa, 0x1e, 0x00, 0x01, 0x00, 0x02, 0x80, 0x00]);
  const t = decodeCuc(b, 1);
  assert.equal(t.coarse, 65538); assert.equal(t.fine, 0x8000); assert.equal(t.seconds, 65538.5);
  assert.equal(t.coarseOctets, 4); assert.equal(t.fineOctets, 2); assert.equal(t.length, 7); assert.equal(t.timeCodeId, 1);
  const t2 = decodeCuc(new Uint8Array([0x1d, 1, 2, 3, 4, 0x40]), 0); // 4 coarse, 1 fine
  assert.equal(t2.coarse, 0x01020304); assert.equal(t2.seconds, 0x01020304 + 0.25);
  const t3 = decodeCuc(new Uint8Array([0x10, 9]), 0); // 1 coarse, no fine
  assert.equal(t3.seconds, 9);
  assert.throws(() => decodeCuc(new Uint8Array([0x1e, 0, 0]), 0), (e: unknown) => e instanceof CucError && e.reason === "truncated");
  assert.throws(() => decodeCuc(new Uint8Array([0x9e, 0, 0, 0, 0, 0, 0]), 0), (e: unknown) => e instanceof CucError && e.reason === "extension-unsupported");
  assert.throws(() => decodeCuc(new Uint8Array([0x4e, 0, 0, 0, 0, 0, 0]), 0), (e: unknown) => e instanceof CucError && e.reason === "not-cuc");
  assert.throws(() => decodeCuc(new Uint8Array([]), 0), CucError);
});
