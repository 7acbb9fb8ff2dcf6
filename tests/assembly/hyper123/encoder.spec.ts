// CCSDS 123.0-B-2 flight compressor: header bits, hand-derived codewords from the standard's
// equations, parameter and sample checks. (Full-size conformance: tests/host/hyper123.)
import { hypStateLen, hypInit, hypHeader, hypPushLine, hypDrain, hypPending, hypDone, hypSetLimits } from "../../../assembly/compress/hyper123/encoder";
import { HYB_LIMIT, HYB_THRESHOLD, HYB_ROOT, HYB_TABLE } from "../../../assembly/compress/hyper123/hybrid-tables";
import { hypLastBadParam, PRM_COUNT, PRM_NX, PRM_NY, PRM_NZ, PRM_D, PRM_SIGNED, PRM_ORDER, PRM_M, PRM_B, PRM_P,
  PRM_REDUCED, PRM_LSUM, PRM_R, PRM_OMEGA, PRM_TINC_LOG, PRM_NU_MIN, PRM_NU_MAX, PRM_UMAX, PRM_GSTAR, PRM_G0, PRM_K, PRM_CODER,
  PRM_FIDELITY, PRM_ABS_BITS, PRM_PERIOD_U } from "../../../assembly/compress/hyper123/params";
import { E_HYP_BAD_PARAM, E_HYP_BAD_SAMPLE, E_HYP_BAD_STATE } from "../../../assembly/abi/status";

const PRM = heap.alloc(PRM_COUNT * 4);
const STATE = heap.alloc(1 << 16);
const OUT = heap.alloc(4096);
const LINE = heap.alloc(1024);

function set(i: i32, v: i32): void { store<i32>(PRM + (<usize>i << 2), v); }
/** The parameter set of the Salinas-A reference measurements, for an Nx × Ny × Nz image. */
function reference(nx: i32, ny: i32, nz: i32): void {
  for (let i = 0; i < PRM_COUNT; i++) set(i, 0);
  set(PRM_PERIOD_U, -1);
  set(PRM_NX, nx); set(PRM_NY, ny); set(PRM_NZ, nz); set(PRM_D, 16); set(PRM_ORDER, 1); set(PRM_M, 1); set(PRM_B, 1);
  set(PRM_P, 3); set(PRM_R, 32); set(PRM_OMEGA, 13); set(PRM_TINC_LOG, 6); set(PRM_NU_MIN, -1); set(PRM_NU_MAX, 3);
  set(PRM_UMAX, 18); set(PRM_GSTAR, 6); set(PRM_G0, 1); set(PRM_K, 7);
}
/** Compresses one-line images (Ny = 1) whose BIL line is in LINE; returns the body length. */
function compressOneLine(): i32 {
  const len = hypStateLen(PRM);
  // (every state of these small images fits the 64 KiB STATE block)
  expect<bool>(len > 0 && len <= (1 << 16)).toBe(true);
  expect<i32>(hypInit(STATE, len, PRM)).toBe(0);
  const h = hypHeader(STATE, PRM, OUT, 4096);
  expect<i32>(hypPushLine(STATE, LINE)).toBe(0);
  let n = 0;
  while (hypPending(STATE) != 0 || hypDone(STATE) == 0) n += hypDrain(STATE, OUT + <usize>(h + n), 4096 - h - n);
  return n;
}

describe("hyper123 header", () => {
  it("[123.0-B-2 §5.3.2] image, predictor and sample-adaptive coder metadata of the Salinas-A set, bit for bit", () => {
    reference(86, 83, 224);
    const len = hypStateLen(PRM);
    const big = heap.alloc(<usize>len);                 // BSQ keeps every mapped index: ~3.2 MB
    expect<i32>(hypInit(big, len, PRM)).toBe(0);
    // 12 bytes image metadata, 5 bytes predictor primary structure, 2 bytes entropy coder:
    // D = 16 → field 0; BSQ → order 1, M field 0; B = 1; P = 3; R = 32; Ω−4 = 9; log2 t_inc−4 = 2;
    // ν+6 = 5, 9; U_max = 18, γ*−4 = 2, γ0 = 1, K = 7 (worked by hand from tables 5-3, 5-6, 5-13)
    const want: u8[] = [0x00, 0x00, 0x56, 0x00, 0x53, 0x00, 0xE0, 0x01, 0x00, 0x00, 0x08, 0x00,
                        0x0C, 0x20, 0x92, 0x59, 0x00, 0x92, 0x2E];
    expect<i32>(hypHeader(big, PRM, OUT, 4096)).toBe(want.length);
    for (let i = 0; i < want.length; i++) expect<u8>(load<u8>(OUT + <usize>i)).toBe(want[i]);
  });

  it("[123.0-B-2 §5.3.2.2] the header is written once, before any line", () => {
    reference(4, 2, 3);
    expect<i32>(hypInit(STATE, hypStateLen(PRM), PRM)).toBe(0);
    expect<i32>(hypPushLine(STATE, LINE)).toBe(E_HYP_BAD_STATE);
    expect<i32>(hypHeader(STATE, PRM, OUT, 4)).toBe(-3);      // too small: E_OUT_FULL
    expect<bool>(hypHeader(STATE, PRM, OUT, 4096) > 0).toBe(true);
    expect<i32>(hypHeader(STATE, PRM, OUT, 4096)).toBe(E_HYP_BAD_STATE);
  });
});

describe("hyper123 predictor and coder", () => {
  it("[123.0-B-2 §5.4.3.2] 2 × 1 × 1, D = 8: δ(0) = 4 raw in D bits, δ(1) = 1 with k = D − 2 → 0x04 0x82", () => {
    // t = 0: s̃ = 2·s_mid = 256, ŝ = 128, s = 130 → q = 2, θ = 127, s̃ even → δ = 4 (§4.11).
    // t = 1: σ = 4·130 (§4.4, y = 0), d̂ = 0 (reduced, P = 0), š = 4276224 → s̃ = 261, ŝ = 130;
    // s = 131 → q = 1, s̃ odd → δ = 1. K = 6: Γ = 2, Σ = ⌊(3·2^12 − 49)·2/2^7⌋ = 191 → largest k
    // ≤ D − 2 with 2·2^k ≤ 191 is 6: codeword "1" + "000001". Body 00000100 1000001(0) = 0x04 0x82.
    reference(2, 1, 1);
    set(PRM_D, 8); set(PRM_P, 0); set(PRM_REDUCED, 1); set(PRM_K, 6);
    store<u16>(LINE, 130); store<u16>(LINE + 2, 131);
    const h = 19;
    expect<i32>(compressOneLine()).toBe(2);
    expect<u8>(load<u8>(OUT + h)).toBe(0x04);
    expect<u8>(load<u8>(OUT + h + 1)).toBe(0x82);
  });

  it("[123.0-B-2 §4.7.3] t = 0 predicts from the previous band when P* > 0; §4.11 maps |q| > θ to |q| + θ", () => {
    // 1 × 1 × 2, D = 4, reduced, column local sums. Band 0: s̃ = 16, ŝ = 8, s = 3 → q = −5,
    // θ = 7, s̃ even and q < 0 → δ = 9. Band 1: s̃ = 2·3, ŝ = 3, s = 9 → q = 6 > θ = 3 → δ = 9.
    reference(1, 1, 2);
    set(PRM_D, 4); set(PRM_P, 1); set(PRM_REDUCED, 1); set(PRM_LSUM, 2); set(PRM_K, 2);
    store<u16>(LINE, 3); store<u16>(LINE + 2, 9);
    expect<i32>(compressOneLine()).toBe(1);
    expect<u8>(load<u8>(OUT + 19)).toBe(0x99);
  });

  it("[123.0-B-2 §4.2] a sample outside [s_min, s_max] is refused", () => {
    reference(2, 1, 1);
    set(PRM_D, 8); set(PRM_P, 0); set(PRM_REDUCED, 1); set(PRM_K, 6);
    const len = hypStateLen(PRM);
    expect<i32>(hypInit(STATE, len, PRM)).toBe(0);
    hypHeader(STATE, PRM, OUT, 4096);
    store<u16>(LINE, 10); store<u16>(LINE + 2, 256);
    expect<i32>(hypPushLine(STATE, LINE)).toBe(E_HYP_BAD_SAMPLE);
  });
});

describe("hyper123 parameters", () => {
  it("[123.0-B-2 §4.7.2] R below max(32, D + Ω + 2) is refused and named", () => {
    reference(8, 8, 8);
    set(PRM_OMEGA, 19); set(PRM_R, 36);                 // D + Ω + 2 = 37
    expect<i64>(hypStateLen(PRM)).toBe(E_HYP_BAD_PARAM);
    expect<i32>(hypLastBadParam()).toBe(PRM_R);
    set(PRM_R, 37);
    expect<bool>(hypStateLen(PRM) > 0).toBe(true);
  });

  it("[123.0-B-2 §4.3] full prediction needs Nx > 1; P is 0..15", () => {
    reference(1, 8, 8);
    set(PRM_LSUM, 2);
    expect<i64>(hypStateLen(PRM)).toBe(E_HYP_BAD_PARAM);
    expect<i32>(hypLastBadParam()).toBe(PRM_REDUCED);
    reference(8, 8, 8); set(PRM_P, 16);
    expect<i64>(hypStateLen(PRM)).toBe(E_HYP_BAD_PARAM);
    expect<i32>(hypLastBadParam()).toBe(PRM_P);
  });

  it("[123.0-B-2 §5.4.3.2] U_max 8..32, γ0 1..8, γ* max(4, γ0+1)..11, K ≤ min(D − 2, 14)", () => {
    reference(8, 8, 8); set(PRM_UMAX, 7);
    expect<i64>(hypStateLen(PRM)).toBe(E_HYP_BAD_PARAM); expect<i32>(hypLastBadParam()).toBe(PRM_UMAX);
    reference(8, 8, 8); set(PRM_G0, 6); set(PRM_GSTAR, 6);
    expect<i64>(hypStateLen(PRM)).toBe(E_HYP_BAD_PARAM); expect<i32>(hypLastBadParam()).toBe(PRM_GSTAR);
    reference(8, 8, 8); set(PRM_D, 8); set(PRM_K, 7);
    expect<i64>(hypStateLen(PRM)).toBe(E_HYP_BAD_PARAM); expect<i32>(hypLastBadParam()).toBe(PRM_K);
  });

  it("[123.0-B-2 §5.4.2] BI memory is independent of Ny; BSQ holds the whole image of mapped indices", () => {
    reference(86, 10, 224); set(PRM_ORDER, 0);
    const a = hypStateLen(PRM);
    set(PRM_NY, 10000);
    expect<i64>(hypStateLen(PRM)).toBe(a);
    set(PRM_ORDER, 1);
    expect<bool>(hypStateLen(PRM) > <i64>86 * 10000 * 224 * 2).toBe(true);
  });
});

describe("hyper123 hybrid coder and periodic limits", () => {
  it("[123.0-B-2 §5.4.3.3] low-entropy code tables: table 5-16 limits and thresholds, code 0 maps input codeword 00 to 5'h19", () => {
    expect<u8>(load<u8>(HYB_LIMIT)).toBe(12);
    expect<u8>(load<u8>(HYB_LIMIT + 15)).toBe(0);
    expect<u32>(load<u32>(HYB_THRESHOLD)).toBe(303336);
    expect<u32>(load<u32>(HYB_THRESHOLD + 60)).toBe(408);
    const root = load<u32>(HYB_ROOT);
    const child = load<u32>(HYB_TABLE + (<usize>(root + 1) << 2));
    expect<bool>(child < 0x80000000).toBe(true);
    expect<u32>(load<u32>(HYB_TABLE + (<usize>(child + 1) << 2))).toBe(0x80000000 | (5 << 24) | 0x19);
  });

  it("[123.0-B-2 §5.3.4.3] hybrid header: U_max, γ* − 4, γ0, then five reserved bits", () => {
    reference(86, 83, 224);
    set(PRM_CODER, 1); set(PRM_ORDER, 0);               // BI: a small state
    expect<i32>(hypInit(STATE, hypStateLen(PRM), PRM)).toBe(0);
    expect<i32>(hypHeader(STATE, PRM, OUT, 4096)).toBe(19);
    expect<u8>(load<u8>(OUT + 17)).toBe(0x92);      // 10010 010
    expect<u8>(load<u8>(OUT + 18)).toBe(0x20);      // 001 00000
  });

  it("[123.0-B-2 §4.8.2.3] periodic limits: needed before each period's first line, refused inside a period", () => {
    reference(4, 4, 2);
    set(PRM_ORDER, 0); set(PRM_FIDELITY, 1); set(PRM_ABS_BITS, 3); set(PRM_PERIOD_U, 1);
    const len = hypStateLen(PRM);
    expect<i32>(hypInit(STATE, len, PRM)).toBe(0);
    hypHeader(STATE, PRM, OUT, 4096);
    for (let i = 0; i < 8; i++) store<u16>(LINE + (<usize>i << 1), <u16>(1000 + i));
    expect<i32>(hypPushLine(STATE, LINE)).toBe(E_HYP_BAD_STATE);   // no limits yet
    const lim = heap.alloc(2);
    store<u16>(lim, 9);
    expect<i32>(hypSetLimits(STATE, lim, 0)).toBe(E_HYP_BAD_PARAM);  // 9 > 2^3 − 1
    store<u16>(lim, 3);
    expect<i32>(hypSetLimits(STATE, lim, 0)).toBe(0);
    expect<i32>(hypPushLine(STATE, LINE)).toBe(0);
    while (hypPending(STATE) != 0) hypDrain(STATE, OUT, 4096);
    expect<i32>(hypSetLimits(STATE, lim, 0)).toBe(E_HYP_BAD_STATE);  // line 1 is inside the period
    expect<i32>(hypPushLine(STATE, LINE)).toBe(0);
  });
});
