// CCSDS 122.0-B-2 ground decoder (host/ground/ccsds122): what can be proved without the
// external encoders (those are in tests/reference/ccsds122-decoder.test.ts):
//  - the inverse DWTs invert the forward ones (integer: exactly; float: to 1e-6);
//  - DC-only streams written here field by field from the standard (header parts 1-4, quantized
//    DC coefficients with the uncoded and the k = 0 code options, additional DC bit planes, several
//    segments, PadRows, widths not multiple of 8, signed/unsigned, 1 to 20 bits) decode to the
//    constant image they encode;
//  - hostile inputs: every header field made inconsistent gives {ok:false} naming the field;
//    huge ImageWidth x S claims are refused before allocation; truncation at every byte and random
//    bit flips never throw.
import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeCcsds122, CCSDS122_LIMITS } from "../../../host/ground/ccsds122/decoder.ts";
import { forwardDwt, inverseDwt } from "../../../host/ground/ccsds122/dwt.ts";

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
}

class BitWriter {
  bytes: number[] = [];
  n = 0;
  put(v: number, len: number): void {
    for (let i = len - 1; i >= 0; i--) {
      const bit = Math.floor(v / 2 ** i) & 1;
      if ((this.n & 7) === 0) this.bytes.push(0);
      if (bit) this.bytes[this.bytes.length - 1] |= 0x80 >> (this.n & 7);
      this.n++;
    }
  }
  align(): void { while (this.n & 7) this.put(0, 1); }
}

interface DcOnly {
  width: number; height: number; bits: number; signed: boolean; value: number;
  dwt: "integer" | "float"; S: number; k0?: boolean;
  /** custom weights (CustomWtFlag 1): exponent of LL3 (other subbands 0) */
  customLL3?: number;
  /** code word bytes (CodeWordLength), default 1 */
  cw?: number;
  /** SegByteLimit with UseFill */
  fill?: number;
  transpose?: boolean;
}

/** Header fields a test may override, by name. */
type Over = Partial<Record<string, number>>;

function bitsTwos(v: number): number {
  // bits needed for v in two's complement
  let n = 1;
  while (v < -(2 ** (n - 1)) || v > 2 ** (n - 1) - 1) n++;
  return n;
}

/** Encodes a constant image as CCSDS 122 segments with BitDepthAC = 0 (DC coefficients only). */
function dcOnlyStream(c: DcOnly, over: Over = {}, segOver: (seg: number) => Over = () => ({})): Uint8Array {
  const wPad = Math.ceil(c.width / 8) * 8, hPad = Math.ceil(c.height / 8) * 8;
  const blocks = (wPad / 8) * (hPad / 8);
  const wLL = c.dwt === "integer" ? (c.customLL3 ?? 3) : 0;
  // LL3 of a constant image: the integer DWT keeps v, then the weight 2^wLL; the float DWT's gain is (sqrt 2)^6 = 8
  const dc = c.dwt === "integer" ? c.value * 2 ** wLL : 8 * c.value;
  const bdDC = bitsTwos(dc);
  const integer = c.dwt === "integer";
  const qp = bdDC <= 3 ? 0 : bdDC - 1 <= 1 ? bdDC - 3 : bdDC - 1 > 10 ? bdDC - 10 : 1;
  const q = integer ? Math.max(qp, wLL) : qp;
  const N = Math.max(bdDC - q, 1);
  const cq = Math.floor(dc / 2 ** q);
  const w = new BitWriter();
  const nseg = Math.ceil(blocks / c.S);
  for (let s = 0; s < nseg; s++) {
    const o = { ...over, ...segOver(s) };
    const f = (name: string, def: number): number => (o[name] ?? def);
    const S = Math.min(c.S, blocks - s * c.S);
    const last = s === nseg - 1;
    const segStart = w.bytes.length;
    w.put(f("StartImgFlag", s === 0 ? 1 : 0), 1);
    w.put(f("EndImgFlag", last ? 1 : 0), 1);
    w.put(f("SegmentCount", s & 255), 8);
    w.put(f("BitDepthDC", bdDC), 5);
    w.put(f("BitDepthAC", 0), 5);
    w.put(f("Reserved1A", 0), 1);
    const p2 = f("Part2Flag", s === 0 ? 1 : 0), p3 = f("Part3Flag", s === 0 || last ? 1 : 0), p4 = f("Part4Flag", s === 0 ? 1 : 0);
    w.put(p2, 1); w.put(p3, 1); w.put(p4, 1);
    if (last) { w.put(f("PadRows", hPad - c.height), 3); w.put(f("Reserved1B", 0), 5); }
    if (p2) {
      w.put(f("SegByteLimit", c.fill ?? 0), 27); w.put(f("DCStop", 0), 1); w.put(f("BitPlaneStop", 0), 5);
      w.put(f("StageStop", 3), 2); w.put(f("UseFill", c.fill ? 1 : 0), 1); w.put(f("Reserved2", 0), 4);
    }
    if (p3) { w.put(f("S", S), 20); w.put(1, 1); w.put(1, 1); w.put(f("Reserved3", 0), 2); }
    if (p4) {
      w.put(integer ? 1 : 0, 1); w.put(f("Reserved4a", 0), 1);
      const ext = c.bits > 16 ? 1 : 0;
      w.put(f("ExtendedPixelBitDepthFlag", ext), 1); w.put(c.signed ? 1 : 0, 1);
      w.put(f("PixelBitDepth", c.bits % 16), 4); w.put(f("ImageWidth", c.width), 20);
      const cw = c.cw ?? 1;
      w.put(c.transpose ? 1 : 0, 1); w.put(f("CodeWordLength", ((cw - 1) % 4) * 2 + (cw > 4 ? 1 : 0)), 3);
      w.put(c.customLL3 !== undefined ? 1 : 0, 1);
      w.put(f("Weights", c.customLL3 ?? 0), 20); w.put(f("Reserved4b", 0), 11);
    }
    // 4.3.2 quantized DC: all equal, so the mapped differences are 0
    if (N === 1) {
      for (let m = 0; m < S; m++) w.put(cq & 1, 1);
    } else {
      const idLen = N === 2 ? 1 : N <= 4 ? 2 : N <= 8 ? 3 : 4;
      for (let g = 0; g < S; g += 16) {
        const n = Math.min(16, S - g);
        if (c.k0) {
          w.put(0, idLen); // k = 0: reference raw, then FS codeword "1" for each zero difference
          for (let t = 0; t < n; t++) { if (g + t === 0) w.put(cq < 0 ? cq + 2 ** N : cq, N); else w.put(1, 1); }
        } else {
          w.put(2 ** idLen - 1, idLen); // uncoded
          for (let t = 0; t < n; t++) { if (g + t === 0) w.put(cq < 0 ? cq + 2 ** N : cq, N); else w.put(0, N); }
        }
      }
    }
    // 4.3.3 additional DC bit planes, q-1 down to max(BitDepthAC, weight of LL3)
    const lowest = integer ? wLL : 0;
    for (let b = q - 1; b >= lowest; b--) for (let m = 0; m < S; m++) w.put(Math.floor((dc - cq * 2 ** q) / 2 ** b) & 1, 1);
    w.align();
    const cwb = c.cw ?? 1;
    while ((w.bytes.length - segStart) % cwb !== 0) w.put(0, 8);
    if (c.fill) {
      if (w.bytes.length - segStart > c.fill) { w.bytes.length = segStart + c.fill; w.n = w.bytes.length * 8; } // rate control: cut at SegByteLimit
      while (w.bytes.length - segStart < c.fill) w.put(0, 8);
    }
  }
  return new Uint8Array(w.bytes);
}

test("[122.0-B-2 §3.3.2] integer 9/7 DWT: the inverse undoes the forward exactly (3 levels, 24x24, 40x64, 256x16)", () => {
  const r = rng(7);
  for (const [w, h] of [[24, 24], [40, 64], [256, 16]]) {
    const img = new Float64Array(w * h);
    for (let i = 0; i < img.length; i++) img[i] = Math.floor(r() * 65536) - 32768;
    const t = Float64Array.from(img);
    forwardDwt(t, w, h, "integer");
    for (let i = 0; i < t.length; i++) assert.ok(Number.isInteger(t[i]), "integer coefficients");
    inverseDwt(t, w, h, "integer");
    assert.deepEqual(t, img, `${w}x${h}`);
  }
});

test("[122.0-B-2 §3.3.1] float 9/7 DWT: the inverse undoes the forward to 1e-6; a constant image has LL3 = 8 x value and zero detail", () => {
  const r = rng(9);
  const w = 48, h = 32;
  const img = new Float64Array(w * h);
  for (let i = 0; i < img.length; i++) img[i] = r() * 4096;
  const t = Float64Array.from(img);
  forwardDwt(t, w, h, "float");
  inverseDwt(t, w, h, "float");
  let maxe = 0;
  for (let i = 0; i < t.length; i++) maxe = Math.max(maxe, Math.abs(t[i] - img[i]));
  assert.ok(maxe < 1e-6, `max error ${maxe}`);
  const cst = new Float64Array(w * h).fill(100);
  forwardDwt(cst, w, h, "float");
  assert.ok(Math.abs(cst[0] - 800) < 1e-6, `LL3 ${cst[0]}`);
  assert.ok(Math.abs(cst[w - 1]) < 1e-6, "HL1 zero");
});

const CASES: DcOnly[] = [
  { width: 17, height: 17, bits: 8, signed: false, value: 200, dwt: "integer", S: 256 },
  { width: 130, height: 40, bits: 12, signed: false, value: 3000, dwt: "integer", S: 16 },
  { width: 64, height: 64, bits: 16, signed: false, value: 65535, dwt: "integer", S: 16 },
  { width: 100, height: 50, bits: 12, signed: true, value: -1234, dwt: "integer", S: 20, k0: true },
  { width: 24, height: 24, bits: 1, signed: false, value: 1, dwt: "integer", S: 16 },
  { width: 64, height: 64, bits: 1, signed: false, value: 0, dwt: "float", S: 17 },
  { width: 57, height: 23, bits: 20, signed: false, value: 1_000_000, dwt: "integer", S: 16 },
  { width: 40, height: 40, bits: 25, signed: true, value: -(2 ** 24), dwt: "integer", S: 25 },
  { width: 48, height: 17, bits: 28, signed: true, value: 2 ** 27 - 1, dwt: "float", S: 16 },
  { width: 70, height: 30, bits: 12, signed: false, value: 777, dwt: "integer", S: 16, customLL3: 0 },
  { width: 70, height: 30, bits: 12, signed: false, value: 777, dwt: "integer", S: 16, customLL3: 2, cw: 4 },
  { width: 64, height: 48, bits: 10, signed: false, value: 300, dwt: "integer", S: 16, cw: 7 },
  { width: 64, height: 48, bits: 10, signed: false, value: 301, dwt: "float", S: 16, fill: 64 },
  { width: 50, height: 21, bits: 8, signed: false, value: 99, dwt: "integer", S: 16, transpose: true },
  { width: 30, height: 41, bits: 10, signed: true, value: -512, dwt: "float", S: 20, k0: true },
];

for (const c of CASES) {
  const extras = [c.k0 ? "k=0 option" : "", c.customLL3 !== undefined ? `custom weight LL3 2^${c.customLL3}` : "", c.cw ? `${8 * c.cw}-bit code words` : "", c.fill ? `UseFill to ${c.fill} bytes` : "", c.transpose ? "TransposeImg" : ""].filter(Boolean).join(", ");
  test(`[122.0-B-2 §4.2-4.3] DC-only stream ${c.width}x${c.height} ${c.signed ? "signed" : "unsigned"} ${c.bits}-bit ${c.dwt} S=${c.S}${extras ? ` (${extras})` : ""} decodes to the constant ${c.value}`, () => {
    const s = dcOnlyStream(c);
    const r = decodeCcsds122(s, { width: c.width });
    assert.ok(r.ok, r.ok ? "" : `${r.error} @${r.offset}`);
    assert.equal(r.width, c.transpose ? c.height : c.width);
    assert.equal(r.height, c.transpose ? c.width : c.height);
    assert.equal(r.bitDepth, c.bits);
    assert.equal(r.signed, c.signed);
    assert.equal(r.segments, Math.ceil((Math.ceil(c.width / 8) * Math.ceil(c.height / 8)) / c.S));
    assert.equal(r.truncated, false);
    assert.ok(r.pixels.every((v) => v === c.value), `first pixels ${Array.from(r.pixels.subarray(0, 4))}`);
  });
}

const BASE: DcOnly = { width: 130, height: 40, bits: 12, signed: false, value: 3000, dwt: "integer", S: 16 }; // 85 blocks, 6 segments

const HOSTILE: Array<{ what: string; over?: Over; seg?: (s: number) => Over; opts?: { width?: number }; field: RegExp }> = [
  { what: "StartImgFlag cleared in the first segment", over: {}, seg: (s) => (s === 0 ? { StartImgFlag: 0 } : {}), field: /StartImgFlag/ },
  { what: "StartImgFlag set in a later segment", seg: (s) => (s === 2 ? { StartImgFlag: 1 } : {}), field: /StartImgFlag/ },
  { what: "SegmentCount skipping a value", seg: (s) => (s === 3 ? { SegmentCount: 9 } : {}), field: /SegmentCount/ },
  { what: "reserved bit of Part 1A set", seg: (s) => (s === 1 ? { Reserved1A: 1 } : {}), field: /Part 1A: reserved/ },
  { what: "reserved bits of Part 1B set", over: { Reserved1B: 5 }, field: /Part 1B: reserved/ },
  { what: "Part 2 missing in the first segment", seg: (s) => (s === 0 ? { Part2Flag: 0 } : {}), field: /Part2Flag/ },
  { what: "Part 4 missing in the first segment", seg: (s) => (s === 0 ? { Part4Flag: 0 } : {}), field: /Part4Flag/ },
  { what: "BitDepthDC 0", seg: (s) => (s === 0 ? { BitDepthDC: 0 } : {}), field: /BitDepthDC/ },
  { what: "S = 0 (2^20 blocks) in a short stream", seg: (s) => (s === 0 ? { S: 0 } : {}), field: /^S: segment 0 claims 1048576 blocks/ },
  { what: "S below 16 in a segment that is not the final one", seg: (s) => (s === 1 ? { Part3Flag: 1, S: 15 } : {}), field: /^S: 15 blocks in segment 1/ },
  { what: "PixelBitDepth 26 with the integer DWT (table 3-1 limit 25)", over: { ExtendedPixelBitDepthFlag: 1, PixelBitDepth: 10 }, field: /PixelBitDepth: 26 bits exceeds 25/ },
  { what: "reserved bits of Part 2 set", over: { Reserved2: 3 }, field: /Part 2: reserved/ },
  { what: "UseFill without SegByteLimit", over: { UseFill: 1 }, field: /UseFill/ },
  { what: "SegByteLimit not a multiple of the 16-bit code word", over: { SegByteLimit: 101, CodeWordLength: 2 }, field: /SegByteLimit/ },
  { what: "SegByteLimit smaller than the header", over: { SegByteLimit: 8 }, field: /SegByteLimit/ },
  { what: "PixelBitDepth 31 (extended flag, 15)", over: { ExtendedPixelBitDepthFlag: 1, PixelBitDepth: 15 }, field: /PixelBitDepth/ },
  { what: "ImageWidth 0 (2^20 pixels) with 85 blocks", over: { ImageWidth: 0 }, field: /ImageWidth 1048576/ },
  { what: "ImageWidth not the expected one", opts: { width: 131 }, field: /ImageWidth: 130 .*131/ },
  { what: "reserved bits of Part 4 set", over: { Reserved4b: 1 }, field: /Part 4: reserved/ },
  { what: "weight fields set while CustomWtFlag is 0", over: { Weights: 5 }, field: /CustomWtFlag/ },
  { what: "S in the last segment leaving a partial block row", seg: (s) => (s === 5 ? { S: 2 } : {}), field: /^S: the image has/ },
  { what: "BitDepthAC beyond what the pixel depth allows", seg: (s) => (s === 0 ? { BitDepthAC: 31 } : {}), field: /BitDepthAC/ },
];

for (const h of HOSTILE) {
  test(`[122.0-B-2 §4.2] hostile header: ${h.what} -> {ok:false} naming the field`, () => {
    const s = dcOnlyStream(BASE, h.over ?? {}, h.seg ?? (() => ({})));
    const r = decodeCcsds122(s, h.opts);
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.match(r.error, h.field);
      assert.ok(r.offset >= 0 && r.offset <= s.length, `offset ${r.offset}`);
    }
  });
}

test("[122.0-B-2 §4.2.3.2.1] SegByteLimit cuts the first segment inside its additional DC bit planes, UseFill pads the others: ok, truncated, mid-point reconstruction within 1 of the value", () => {
  const c: DcOnly = { width: 64, height: 48, bits: 10, signed: false, value: 301, dwt: "float", S: 16, fill: 44 };
  const s = dcOnlyStream(c);
  const r = decodeCcsds122(s);
  assert.ok(r.ok, r.ok ? "" : r.error);
  assert.equal(r.truncated, true);
  // the first segment (19 header bytes) is cut at SegByteLimit; the others fit and are filled to it (UseFill)
  assert.deepEqual(r.headers.segments.map((g) => [g.length, g.truncated]), [[44, true], [44, false], [44, false]]);
  let maxe = 0;
  for (const v of r.pixels) maxe = Math.max(maxe, Math.abs(v - c.value));
  assert.ok(maxe <= 1, `max error ${maxe}`);
  const z = decodeCcsds122(s, { reconstruction: "zero" });
  assert.ok(z.ok);
  let maxz = 0;
  for (const v of z.pixels) maxz = Math.max(maxz, Math.abs(v - c.value));
  assert.ok(maxz >= maxe, `zero fill ${maxz} is no better than mid-point ${maxe}`);
});

test("[122.0-B-2 §3.4] a final segment that does not restate S (Part 3 absent) holds the remaining blocks: inferred from the stream end, or from opts.height", () => {
  const c: DcOnly = { width: 130, height: 40, bits: 12, signed: false, value: 1111, dwt: "integer", S: 16 }; // 85 blocks: 5 x 16 + 5
  const s = dcOnlyStream(c, {}, (g) => (g === 5 ? { Part3Flag: 0 } : {}));
  for (const opts of [{}, { height: 40 }]) {
    const r = decodeCcsds122(s, opts);
    assert.ok(r.ok, r.ok ? "" : r.error);
    assert.equal(r.height, 40);
    assert.equal(r.headers.segments[5].blocks, 5);
    assert.ok(r.pixels.every((v) => v === 1111));
  }
  const wrong = decodeCcsds122(dcOnlyStream(c), { height: 41 });
  assert.equal(wrong.ok, false);
  if (!wrong.ok) assert.match(wrong.error, /^PadRows: the stream decodes to 40 rows .* 41 expected/);
});

test("[122.0-B-2 §4.2.5] hostile: ImageWidth 2^20-1 with S = 2^20-1 is refused before allocation (maxPixels), and a caller limit is honoured", () => {
  const big = dcOnlyStream({ ...BASE, width: 64 }, { ImageWidth: (1 << 20) - 1, S: (1 << 20) - 1 });
  const before = process.memoryUsage().rss;
  const r = decodeCcsds122(big);
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.error, /^S: segment 0 claims 1048575 blocks but the stream ends \d+ bytes later/);
  assert.ok(process.memoryUsage().rss - before < 200 * 1024 * 1024, "no large allocation");
  const small = decodeCcsds122(dcOnlyStream(BASE), { maxPixels: 500 });
  assert.equal(small.ok, false);
  if (!small.ok) assert.match(small.error, /above the limit of 500/);
  assert.equal(CCSDS122_LIMITS.maxPixelsDefault, 1 << 25);
});

test("[122.0-B-2 §4.2] hostile: every prefix of a 6-segment stream is an error naming where it stopped (strict) and never throws (partial)", () => {
  const s = dcOnlyStream(BASE);
  for (let cut = 0; cut < s.length; cut++) {
    const part = s.subarray(0, cut);
    const r = decodeCcsds122(part);
    assert.equal(r.ok, false, `prefix ${cut}`);
    if (!r.ok) assert.match(r.error, /(stream: empty|Header Part|EndImgFlag|stream ends)/, `prefix ${cut}: ${r.error}`);
    const p = decodeCcsds122(part, { partial: true });
    if (p.ok) assert.equal(p.truncated, true);
  }
});

test("[122.0-B-2 §4] fuzz: 3000 streams with random bit flips or random bytes never throw and answer ok or a located error", () => {
  const r = rng(122);
  const base = [dcOnlyStream(BASE), dcOnlyStream(CASES[3]), dcOnlyStream(CASES[6])];
  for (let i = 0; i < 3000; i++) {
    let s: Uint8Array;
    if (i % 10 === 9) {
      s = new Uint8Array(Math.floor(r() * 200));
      for (let j = 0; j < s.length; j++) s[j] = Math.floor(r() * 256);
    } else {
      s = Uint8Array.from(base[i % 3]);
      const flips = 1 + Math.floor(r() * 6);
      for (let f = 0; f < flips; f++) { const b = Math.floor(r() * s.length * 8); s[b >> 3] ^= 0x80 >> (b & 7); }
    }
    let res;
    assert.doesNotThrow(() => { res = decodeCcsds122(s, { maxPixels: 1 << 20 }); });
    const out = res as unknown as ReturnType<typeof decodeCcsds122>;
    if (!out.ok) {
      assert.equal(typeof out.error, "string");
      assert.ok(!/internal decoder error/.test(out.error), out.error);
      assert.ok(out.offset >= 0 && out.offset <= s.length, `offset ${out.offset} of ${s.length}`);
    } else {
      assert.equal(out.pixels.length, out.width * out.height);
    }
  }
});
