// CCSDS 122.0-B-2 flight encoder: code tables, the integer DWT equations, the segment header
// fields, parameter checks and statuses. (Stream conformance against the reference software:
// tests/reference/ccsds122-encoder.test.ts.)
import { MAP2, MAP3, MAP3D, MAP4C, MAP4H, CODE_L, CODE_V, codeBase, optCount } from "../../../assembly/compress/ccsds122/tables";
import { dwt1dInt, dwt1dFloat } from "../../../assembly/compress/ccsds122/dwt";
import { c122StateLen, c122Init, c122PushLine, c122End, c122OutPtr, c122OutLen, c122Drained, c122LastBadParam,
  C122_PARAM_COUNT, C122_WIDTH, C122_BIT_DEPTH, C122_DWT, C122_S, C122_SEG_BYTE_LIMIT, C122_STAGE_STOP, C122_WORD_BYTES,
  C122_OPT_DC, C122_OPT_AC, C122_SAMPLE_BYTES, C122_USE_FILL, C122_WEIGHTS, C122_BITPLANE_STOP, C122_CUSTOM_WT } from "../../../assembly/compress/ccsds122/encoder";
import { E_C122_BAD_PARAM, E_C122_BAD_STATE, E_C122_BAD_SAMPLE, E_C122_TOO_FEW_LINES, E_C122_NO_MEMORY } from "../../../assembly/abi/status";

const PRM = heap.alloc(C122_PARAM_COUNT * 4);
const LINE = heap.alloc(4096);
const X = heap.alloc(256), Y = heap.alloc(256);
function set(i: i32, v: i32): void { store<i32>(PRM + (<usize>i << 2), v); }
function defaults(w: i32, d: i32): void {
  for (let i = 0; i < C122_PARAM_COUNT; i++) set(i, 0);
  set(C122_WIDTH, w); set(C122_BIT_DEPTH, d); set(C122_DWT, 1); set(C122_S, 16); set(C122_STAGE_STOP, 3);
  set(C122_WORD_BYTES, 1); set(C122_OPT_DC, 1); set(C122_OPT_AC, 1); set(C122_SAMPLE_BYTES, 2);
}
/** Bits [pos, pos+n) of the output, MSB first. */
function bits(p: usize, pos: i32, n: i32): i32 {
  let v = 0;
  for (let i = 0; i < n; i++) v = (v << 1) | ((load<u8>(p + <usize>((pos + i) >> 3)) >> (7 - ((pos + i) & 7))) & 1);
  return v;
}

describe("[122.0-B-2 §4.5.3.3] variable-length codes", () => {
  it("[122.0-B-2 §4.5.3.3] every code option of tables 4-15..4-17 is prefix-free and complete (Kraft sum 1)", () => {
    for (let len = 2; len <= 4; len++) {
      const span = 1 << len, base = codeBase(len);
      for (let o = 0; o < optCount(len); o++) {
        let kraft: f64 = 0;
        for (let s = 0; s < span; s++) {
          const l = <i32>load<u8>(CODE_L + <usize>(base + o * span + s)), v = <i32>load<u8>(CODE_V + <usize>(base + o * span + s));
          expect<bool>(v < (1 << l)).toBe(true);
          kraft += Math.pow(2, -<f64>l);
          for (let t = 0; t < span; t++) {
            if (t == s) continue;
            const lt = <i32>load<u8>(CODE_L + <usize>(base + o * span + t)), vt = <i32>load<u8>(CODE_V + <usize>(base + o * span + t));
            // no codeword is a prefix of another
            if (lt >= l) expect<bool>((vt >> (lt - l)) == v).toBe(false);
          }
        }
        expect<f64>(kraft).toBe(1.0);
      }
    }
  });
  it("[122.0-B-2 §4.5.3.2] word-to-symbol mappings (tables 4-12..4-14) are permutations of the possible words", () => {
    let seen = 0;
    for (let w = 0; w < 4; w++) seen |= 1 << load<u8>(MAP2 + w);
    expect<i32>(seen).toBe(0xF);
    seen = 0; for (let w = 0; w < 8; w++) seen |= 1 << load<u8>(MAP3 + w);
    expect<i32>(seen).toBe(0xFF);
    seen = 0; for (let w = 1; w < 8; w++) seen |= 1 << load<u8>(MAP3D + w);  // tranD: 000 impossible
    expect<i32>(seen).toBe(0x7F);
    seen = 0; for (let w = 0; w < 16; w++) seen |= 1 << load<u8>(MAP4C + w);
    expect<i32>(seen).toBe(0xFFFF);
    seen = 0; for (let w = 1; w < 16; w++) seen |= 1 << load<u8>(MAP4H + w);  // 0000 impossible
    expect<i32>(seen).toBe(0x7FFF);
  });
});

describe("[122.0-B-2 §3.3] one-level DWT", () => {
  it("[122.0-B-2 §3.3.2] integer DWT (eq. 4-5) of a constant is that constant and zero detail; of a ramp, zero detail", () => {
    for (let i = 0; i < 16; i++) store<i32>(X + (<usize>i << 2), 1000);
    dwt1dInt(X, Y, 16);
    for (let j = 0; j < 8; j++) { expect<i32>(load<i32>(Y + (<usize>j << 2))).toBe(1000); expect<i32>(load<i32>(Y + (<usize>(8 + j) << 2))).toBe(0); }
    for (let i = 0; i < 16; i++) store<i32>(X + (<usize>i << 2), 3 * i);
    dwt1dInt(X, Y, 16);
    // interior high-pass of a ramp: x_{2j+1} − floor((9·(2·3·2j + 6) − (2·3·2j + 6) + 8)/16) = 0
    for (let j = 1; j < 6; j++) expect<i32>(load<i32>(Y + (<usize>(8 + j) << 2))).toBe(0);
  });
  it("[122.0-B-2 §3.3.2] integer DWT matches equations 4-5 on a hand-computed vector", () => {
    // x = 10, 20, 5, 7, 30, 1 (2N = 6)
    const x: StaticArray<i32> = [10, 20, 5, 7, 30, 1];
    for (let i = 0; i < 6; i++) store<i32>(X + (<usize>i << 2), x[i]);
    dwt1dInt(X, Y, 6);
    // D0 = 20 − floor(9/16(10+5) − 1/16(5+30) + 1/2) = 20 − floor(8.4375 − 2.1875 + .5) = 20 − 6 = 14
    // D1 = 7 − floor(9/16(5+30) − 1/16(10+30) + 1/2) = 7 − floor(19.6875 − 2.5 + .5) = 7 − 17 = −10
    // D2 = 1 − floor(9/8·30 − 1/8·5 + 1/2) = 1 − floor(33.75 − .625 + .5) = 1 − 33 = −32
    // C0 = 10 − floor(−14/2 + 1/2) = 10 + 7 = 17; C1 = 5 − floor(−(14 − 10)/4 + 1/2) = 5 − (−1) = 6;
    // C2 = 30 − floor(−(−10 − 32)/4 + 1/2) = 30 − 11 = 19
    expect<i32>(load<i32>(Y, 12)).toBe(14); expect<i32>(load<i32>(Y, 16)).toBe(-10); expect<i32>(load<i32>(Y, 20)).toBe(-32);
    expect<i32>(load<i32>(Y, 0)).toBe(17); expect<i32>(load<i32>(Y, 4)).toBe(6); expect<i32>(load<i32>(Y, 8)).toBe(19);
  });
  it("[122.0-B-2 §3.3.1] float DWT: the low-pass taps sum to √2, the high-pass taps to 0", () => {
    for (let i = 0; i < 16; i++) store<f64>(X + (<usize>i << 3), 1.0);
    dwt1dFloat(X, Y, 16);
    expect<f64>(Math.abs(load<f64>(Y) - Math.SQRT2) < 1e-6).toBe(true);
    expect<f64>(Math.abs(load<f64>(Y, 8 * 8)) < 1e-9).toBe(true);
  });
});

describe("[122.0-B-2 §4.2] encoder statuses and header", () => {
  it("[122.0-B-2 §3.2.4 §4.2] hostile parameters are refused, naming the field", () => {
    defaults(16, 12);
    expect<i64>(c122StateLen(PRM)).toBe(-1); expect<i32>(c122LastBadParam()).toBe(C122_WIDTH);
    defaults(64, 17);
    expect<i64>(c122StateLen(PRM)).toBe(-1); expect<i32>(c122LastBadParam()).toBe(C122_BIT_DEPTH);
    defaults(64, 12); set(C122_S, 15);
    expect<i64>(c122StateLen(PRM)).toBe(-1); expect<i32>(c122LastBadParam()).toBe(C122_S);
    defaults(64, 12); set(C122_WORD_BYTES, 4); set(C122_SEG_BYTE_LIMIT, 1002);
    expect<i64>(c122StateLen(PRM)).toBe(-1); expect<i32>(c122LastBadParam()).toBe(C122_SEG_BYTE_LIMIT);
    defaults(64, 12); set(C122_USE_FILL, 1);
    expect<i64>(c122StateLen(PRM)).toBe(-1); expect<i32>(c122LastBadParam()).toBe(C122_USE_FILL);
    defaults(64, 12); set(C122_WEIGHTS, 5);
    expect<i64>(c122StateLen(PRM)).toBe(-1); expect<i32>(c122LastBadParam()).toBe(C122_WEIGHTS);
    defaults(64, 12); set(C122_CUSTOM_WT, 1); set(C122_DWT, 0);  // Float DWT subbands are not scaled (§3.9.2)
    expect<i64>(c122StateLen(PRM)).toBe(-1); expect<i32>(c122LastBadParam()).toBe(C122_CUSTOM_WT);
    defaults(64, 12); set(C122_BITPLANE_STOP, 32);
    expect<i64>(c122StateLen(PRM)).toBe(-1); expect<i32>(c122LastBadParam()).toBe(C122_BITPLANE_STOP);
    expect<i32>(c122Init(heap.alloc(64), 64, PRM)).toBe(E_C122_BAD_PARAM);
  });
  it("[122.0-B-2 §4.2] a too small state area, a bad pixel, too few lines and a call out of order are statuses", () => {
    defaults(24, 12);
    const len = c122StateLen(PRM);
    expect<bool>(len > 0).toBe(true);
    const st = heap.alloc(<usize>len);
    expect<i32>(c122Init(st, len - 1, PRM)).toBe(E_C122_NO_MEMORY);
    expect<i32>(c122PushLine(LINE)).toBe(E_C122_BAD_STATE);  // not configured
    expect<i32>(c122Init(st, len, PRM)).toBe(0);
    for (let x = 0; x < 24; x++) store<u16>(LINE + (<usize>x << 1), 4096);  // 12-bit: 4096 is out of range
    expect<i32>(c122PushLine(LINE)).toBe(E_C122_BAD_SAMPLE);
    for (let x = 0; x < 24; x++) store<u16>(LINE + (<usize>x << 1), <u16>(x * 100));
    for (let y = 0; y < 16; y++) expect<i32>(c122PushLine(LINE)).toBe(0);
    expect<i32>(c122End()).toBe(E_C122_TOO_FEW_LINES);  // 16 < 17 lines
    expect<i32>(c122PushLine(LINE)).toBe(0);
    expect<bool>(c122End() > 0).toBe(true);
    expect<i32>(c122End()).toBe(E_C122_BAD_STATE);       // output not taken, image ended
    c122Drained();
    expect<i32>(c122PushLine(LINE)).toBe(E_C122_BAD_STATE);
  });
  it("[122.0-B-2 §4.2.2 §4.2.5 §4.4] a constant 17 × 17 image: one segment, flags, bit depths, PadRows, width; no AC data", () => {
    defaults(17, 12);
    const len = c122StateLen(PRM);
    const st = heap.alloc(<usize>len);
    expect<i32>(c122Init(st, len, PRM)).toBe(0);
    for (let x = 0; x < 17; x++) store<u16>(LINE + (<usize>x << 1), 100);
    for (let y = 0; y < 17; y++) expect<i32>(c122PushLine(LINE)).toBe(0);
    const n = c122End();
    const o = c122OutPtr();
    expect<i32>(bits(o, 0, 1)).toBe(1);            // StartImgFlag
    expect<i32>(bits(o, 1, 1)).toBe(1);            // EndImgFlag
    expect<i32>(bits(o, 2, 8)).toBe(0);            // SegmentCount
    // DC = 100 · 8 (the LL3 weight, table 3-4) = 800 for a constant image: 11 bits two's complement
    expect<i32>(bits(o, 10, 5)).toBe(11);          // BitDepthDC
    expect<i32>(bits(o, 15, 5)).toBe(0);           // BitDepthAC: every AC coefficient is 0
    expect<i32>(bits(o, 21, 3)).toBe(7);           // Parts 2, 3, 4 present
    expect<i32>(bits(o, 24, 3)).toBe(7);           // PadRows: 17 → 24
    const p4 = 32 + 40 + 24;
    expect<i32>(bits(o, p4, 1)).toBe(1);           // Integer DWT
    expect<i32>(bits(o, p4 + 4, 4)).toBe(12);      // PixelBitDepth
    expect<i32>(bits(o, p4 + 8, 20)).toBe(17);     // ImageWidth
    expect<i32>(bits(o, 32 + 40, 20)).toBe(9);     // Part 3 S: the segment's 9 blocks
    // header 20 bytes; 9 DC values: q' = 1 + ⌊0/2⌋ = 1 (table 4-8), q = max(q', BitShift(LL3)) = 3,
    // N = 8: ID, reference, 8 zero differences (k = 0); no AC bit depths (§4.4 a)
    expect<bool>(n > 20 && n < 40).toBe(true);
    c122Drained();
  });
});
