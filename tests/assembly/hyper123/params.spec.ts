// Every refusal of the CCSDS 123 parameter check (hypCheckParams), one parameter at a time from a
// valid block, at both ends of each range: the index returned names the offending parameter.
import { hypCheckParams, PRM_COUNT, PRM_NX, PRM_NY, PRM_NZ, PRM_D, PRM_SIGNED, PRM_ORDER, PRM_M, PRM_B, PRM_CODER, PRM_P,
  PRM_REDUCED, PRM_LSUM, PRM_R, PRM_OMEGA, PRM_TINC_LOG, PRM_NU_MIN, PRM_NU_MAX, PRM_FIDELITY, PRM_ABS_DEP, PRM_ABS_BITS, PRM_ABS,
  PRM_REL_DEP, PRM_REL_BITS, PRM_REL, PRM_REP_FLAG, PRM_THETA, PRM_PHI, PRM_PSI, PRM_UMAX, PRM_GSTAR, PRM_G0, PRM_K, PRM_USER,
  PRM_ABS_TABLE, PRM_REL_TABLE, PRM_BA_J, PRM_BA_RSI, PRM_BA_RESTRICTED, PRM_WINIT_Q, PRM_WINIT_TABLE, PRM_WEO_TABLE, PRM_PERIOD_U,
  PRM_PHI_TABLE, PRM_PSI_TABLE, PRM_K_TABLE } from "../../../assembly/compress/hyper123/params";

const PRM = heap.alloc(PRM_COUNT * 4);
const TAB = heap.alloc(256);
const NZ = 3;

function set(i: i32, v: i32): void { store<i32>(PRM + (<usize>i << 2), v); }
/** A valid block: 8 × 4 × 3, D = 16, BI, full prediction P = 3, lossless, sample-adaptive coder. */
function valid(): void {
  for (let i = 0; i < PRM_COUNT; i++) set(i, 0);
  set(PRM_PERIOD_U, -1);
  set(PRM_NX, 8); set(PRM_NY, 4); set(PRM_NZ, NZ); set(PRM_D, 16); set(PRM_ORDER, 1); set(PRM_M, 1); set(PRM_B, 1);
  set(PRM_P, 3); set(PRM_R, 32); set(PRM_OMEGA, 13); set(PRM_TINC_LOG, 6); set(PRM_NU_MIN, -1); set(PRM_NU_MAX, 3);
  set(PRM_UMAX, 18); set(PRM_GSTAR, 6); set(PRM_G0, 1); set(PRM_K, 7);
}
function check(): i32 { return hypCheckParams(PRM); }
/** From a valid block, parameter i set to v is refused as `expected`. */
function refused(i: i32, v: i32, expected: i32): void { valid(); set(i, v); expect<i32>(check()).toBe(expected); }
function table16(n: i32, v: u16, last: u16): i32 {
  for (let z = 0; z < n; z++) store<u16>(TAB + (<usize>z << 1), z == n - 1 ? last : v);
  return <i32>TAB;
}
function table32(n: i32, v: i32, last: i32): i32 {
  for (let z = 0; z < n; z++) store<i32>(TAB + (<usize>z << 2), z == n - 1 ? last : v);
  return <i32>TAB;
}

describe("hyper123 parameter check", () => {
  it("[123.0-B-2 §4.1] the valid block passes (-1)", () => {
    valid();
    expect<i32>(check()).toBe(-1);
  });

  it("[123.0-B-2 §4.1] Nx, Ny, Nz 1..65535; D 2..16; signed and order are flags", () => {
    refused(PRM_NX, 0, PRM_NX); refused(PRM_NX, 65536, PRM_NX);
    refused(PRM_NY, 0, PRM_NY); refused(PRM_NY, 65536, PRM_NY);
    refused(PRM_NZ, 0, PRM_NZ); refused(PRM_NZ, 65536, PRM_NZ);
    refused(PRM_D, 1, PRM_D); refused(PRM_D, 17, PRM_D);
    refused(PRM_SIGNED, 2, PRM_SIGNED); refused(PRM_SIGNED, -1, PRM_SIGNED);
    refused(PRM_ORDER, 2, PRM_ORDER);
  });

  it("[123.0-B-2 §5.3.2] BIL/BI: M 1..Nz; B 1..8; coder 0..2", () => {
    valid(); set(PRM_ORDER, 0); set(PRM_M, 0); expect<i32>(check()).toBe(PRM_M);
    valid(); set(PRM_ORDER, 0); set(PRM_M, NZ + 1); expect<i32>(check()).toBe(PRM_M);
    valid(); set(PRM_ORDER, 0); set(PRM_M, NZ); expect<i32>(check()).toBe(-1);
    refused(PRM_B, 0, PRM_B); refused(PRM_B, 9, PRM_B);
    refused(PRM_CODER, -1, PRM_CODER); refused(PRM_CODER, 3, PRM_CODER);
  });

  it("[123.0-B-2 §5.4.4] block-adaptive coder: J in {8, 16, 32, 64}, r 1..4096, restricted only for D ≤ 4; user data 0..255", () => {
    const ba = (j: i32, rsi: i32, rs: i32, d: i32, user: i32, expected: i32): void => {
      valid(); set(PRM_CODER, 2); set(PRM_BA_J, j); set(PRM_BA_RSI, rsi); set(PRM_BA_RESTRICTED, rs); set(PRM_D, d); set(PRM_USER, user);
      expect<i32>(check()).toBe(expected);
    };
    ba(7, 1, 0, 16, 0, PRM_BA_J);
    ba(16, 0, 0, 16, 0, PRM_BA_RSI);
    ba(16, 4097, 0, 16, 0, PRM_BA_RSI);
    ba(32, 1, 2, 16, 0, PRM_BA_RESTRICTED);
    ba(32, 1, 1, 16, 0, PRM_BA_RESTRICTED);
    ba(8, 4096, 1, 4, 0, -1);
    ba(64, 1, 0, 16, 255, -1);
    ba(64, 1, 0, 16, 256, PRM_USER);
    ba(64, 1, 0, 16, -1, PRM_USER);
  });

  it("[123.0-B-2 §4.3, §4.4] P 0..15; reduced is a flag and Nx = 1 needs it; local sums 0..3, column-oriented when Nx = 1", () => {
    refused(PRM_P, -1, PRM_P); refused(PRM_P, 16, PRM_P);
    refused(PRM_REDUCED, 2, PRM_REDUCED);
    refused(PRM_NX, 1, PRM_REDUCED);
    refused(PRM_LSUM, 4, PRM_LSUM);
    valid(); set(PRM_NX, 1); set(PRM_REDUCED, 1); set(PRM_LSUM, 1); expect<i32>(check()).toBe(PRM_LSUM);
    valid(); set(PRM_NX, 1); set(PRM_REDUCED, 1); set(PRM_LSUM, 2); expect<i32>(check()).toBe(-1);
  });

  it("[123.0-B-2 §4.6.1.2, §4.7.2] Ω 4..19; max(32, D + Ω + 2) ≤ R ≤ 64", () => {
    refused(PRM_OMEGA, 3, PRM_OMEGA); refused(PRM_OMEGA, 20, PRM_OMEGA);
    refused(PRM_R, 31, PRM_R); refused(PRM_R, 65, PRM_R);
    valid(); set(PRM_OMEGA, 19); expect<i32>(check()).toBe(PRM_R);      // D + Ω + 2 = 37 > 32
    valid(); set(PRM_OMEGA, 19); set(PRM_R, 37); expect<i32>(check()).toBe(-1);
  });

  it("[123.0-B-2 §4.6.3] custom weight initialisation: Q 3..Ω+3, a table given, every weight in Q bits signed", () => {
    refused(PRM_WINIT_Q, 2, PRM_WINIT_Q); refused(PRM_WINIT_Q, 17, PRM_WINIT_Q);
    refused(PRM_WINIT_Q, 5, PRM_WINIT_TABLE);                                   // no table
    const n = NZ * (3 + 3);   // rows of P + 3; band z reads min(z, P) + 3 of them: the last one read is n − 2
    valid(); set(PRM_WINIT_Q, 5); set(PRM_WINIT_TABLE, table32(n, -16, 15)); expect<i32>(check()).toBe(-1);
    valid(); set(PRM_WINIT_Q, 5); set(PRM_WINIT_TABLE, table32(n - 1, 0, 16)); expect<i32>(check()).toBe(PRM_WINIT_TABLE);
    valid(); set(PRM_WINIT_Q, 5); set(PRM_WINIT_TABLE, table32(n - 1, 0, -17)); expect<i32>(check()).toBe(PRM_WINIT_TABLE);
  });

  it("[123.0-B-2 §4.6.4.2] weight update exponent offsets −6..5", () => {
    const n = NZ * (3 + 1);
    valid(); set(PRM_WEO_TABLE, table32(n, -6, 5)); expect<i32>(check()).toBe(-1);
    valid(); set(PRM_WEO_TABLE, table32(n, 0, 6)); expect<i32>(check()).toBe(PRM_WEO_TABLE);
    valid(); set(PRM_WEO_TABLE, table32(n, 0, -7)); expect<i32>(check()).toBe(PRM_WEO_TABLE);
  });

  it("[123.0-B-2 §4.6.4.2] t_inc 2^4..2^11; −6 ≤ ν_min ≤ ν_max ≤ 9; fidelity 0..3", () => {
    refused(PRM_TINC_LOG, 3, PRM_TINC_LOG); refused(PRM_TINC_LOG, 12, PRM_TINC_LOG);
    refused(PRM_NU_MIN, -7, PRM_NU_MIN); refused(PRM_NU_MIN, 10, PRM_NU_MIN);
    refused(PRM_NU_MAX, -2, PRM_NU_MAX); refused(PRM_NU_MAX, 10, PRM_NU_MAX);
    refused(PRM_FIDELITY, 4, PRM_FIDELITY);
  });

  it("[123.0-B-2 §4.8.2.3] periodic limits: period −1..9, only near-lossless and BSQ; methods and bit depths checked per kind", () => {
    refused(PRM_PERIOD_U, -2, PRM_PERIOD_U); refused(PRM_PERIOD_U, 10, PRM_PERIOD_U);
    refused(PRM_PERIOD_U, 0, PRM_PERIOD_U);                                   // lossless
    valid(); set(PRM_PERIOD_U, 0); set(PRM_FIDELITY, 1); expect<i32>(check()).toBe(PRM_PERIOD_U);   // BI, not BSQ
    const per = (fid: i32, ab: i32, ad: i32, rb: i32, rd: i32, expected: i32): void => {
      valid(); set(PRM_ORDER, 0); set(PRM_M, 1); set(PRM_PERIOD_U, 2); set(PRM_FIDELITY, fid);
      set(PRM_ABS_BITS, ab); set(PRM_ABS_DEP, ad); set(PRM_REL_BITS, rb); set(PRM_REL_DEP, rd);
      expect<i32>(check()).toBe(expected);
    };
    per(1, 0, 0, 0, 0, PRM_ABS_BITS);
    per(1, 16, 0, 0, 0, PRM_ABS_BITS);
    per(1, 4, 2, 0, 0, PRM_ABS_DEP);
    per(1, 4, 1, 0, 0, -1);
    per(2, 0, 0, 0, 0, PRM_REL_BITS);
    per(2, 0, 0, 16, 0, PRM_REL_BITS);
    per(2, 0, 0, 4, 2, PRM_REL_DEP);
    per(3, 15, 0, 15, 1, -1);
  });

  it("[123.0-B-2 §4.8.2.1] absolute limits: bit depth 1..min(D−1, 16), band-independent value or a table of values within it", () => {
    const abs = (bits: i32, dep: i32, a: i32, tab: i32, expected: i32): void => {
      valid(); set(PRM_FIDELITY, 1); set(PRM_ABS_BITS, bits); set(PRM_ABS_DEP, dep); set(PRM_ABS, a); set(PRM_ABS_TABLE, tab);
      expect<i32>(check()).toBe(expected);
    };
    abs(0, 0, 0, 0, PRM_ABS_BITS);
    abs(16, 0, 0, 0, PRM_ABS_BITS);
    abs(4, 2, 0, 0, PRM_ABS_DEP);
    abs(4, 0, 16, 0, PRM_ABS);
    abs(4, 0, -1, 0, PRM_ABS);
    abs(4, 0, 15, 0, -1);
    abs(4, 1, 0, 0, PRM_ABS_TABLE);
    abs(4, 1, 0, table16(NZ, 15, 16), PRM_ABS_TABLE);
    abs(4, 1, 0, table16(NZ, 0, 15), -1);
  });

  it("[123.0-B-2 §4.8.2.2] relative limits: the same rules for the relative error", () => {
    const rel = (bits: i32, dep: i32, a: i32, tab: i32, expected: i32): void => {
      valid(); set(PRM_FIDELITY, 2); set(PRM_REL_BITS, bits); set(PRM_REL_DEP, dep); set(PRM_REL, a); set(PRM_REL_TABLE, tab);
      expect<i32>(check()).toBe(expected);
    };
    rel(0, 0, 0, 0, PRM_REL_BITS);
    rel(16, 0, 0, 0, PRM_REL_BITS);
    rel(3, 2, 0, 0, PRM_REL_DEP);
    rel(3, 0, 8, 0, PRM_REL);
    rel(3, 0, 7, 0, -1);
    rel(3, 1, 0, 0, PRM_REL_TABLE);
    rel(3, 1, 0, table16(NZ, 7, 8), PRM_REL_TABLE);
    rel(3, 1, 0, table16(NZ, 0, 7), -1);
  });

  it("[123.0-B-2 §4.9] sample representative: θ 0..4, φ and ψ below 2^θ, ψ = 0 when lossless; tables only with the flag", () => {
    refused(PRM_REP_FLAG, 2, PRM_REP_FLAG);
    const rep = (fid: i32, th: i32, phi: i32, psi: i32, pt: i32, st: i32, expected: i32): void => {
      valid(); set(PRM_REP_FLAG, 1); set(PRM_FIDELITY, fid); if (fid == 1) { set(PRM_ABS_BITS, 4); set(PRM_ABS, 1); }
      set(PRM_THETA, th); set(PRM_PHI, phi); set(PRM_PSI, psi); set(PRM_PHI_TABLE, pt); set(PRM_PSI_TABLE, st);
      expect<i32>(check()).toBe(expected);
    };
    rep(0, 5, 0, 0, 0, 0, PRM_THETA);
    rep(0, -1, 0, 0, 0, 0, PRM_THETA);
    rep(0, 2, 4, 0, 0, 0, PRM_PHI);
    rep(1, 2, 3, 4, 0, 0, PRM_PSI);
    rep(0, 2, 3, 1, 0, 0, PRM_PSI);
    rep(1, 2, 3, 3, 0, 0, -1);
    rep(0, 2, 0, 0, table16(NZ, 3, 4), 0, PRM_PHI_TABLE);
    rep(0, 2, 0, 0, table16(NZ, 3, 3), 0, -1);
    rep(0, 2, 0, 0, 0, table16(NZ, 0, 1), PRM_PSI_TABLE);
    rep(1, 2, 0, 0, 0, table16(NZ, 3, 4), PRM_PSI_TABLE);
    rep(1, 2, 0, 0, 0, table16(NZ, 3, 3), -1);
    valid(); set(PRM_PHI_TABLE, <i32>TAB); expect<i32>(check()).toBe(PRM_PHI_TABLE);
    valid(); set(PRM_PSI_TABLE, <i32>TAB); expect<i32>(check()).toBe(PRM_PSI_TABLE);
  });

  it("[123.0-B-2 §5.4.3.2] sample-adaptive coder: U_max 8..32, γ0 1..8, γ* max(4, γ0+1)..11, K ≤ min(D−2, 14) or a table; user data 0..255", () => {
    refused(PRM_UMAX, 7, PRM_UMAX); refused(PRM_UMAX, 33, PRM_UMAX);
    refused(PRM_G0, 0, PRM_G0); refused(PRM_G0, 9, PRM_G0);
    refused(PRM_GSTAR, 3, PRM_GSTAR); refused(PRM_GSTAR, 12, PRM_GSTAR);
    valid(); set(PRM_G0, 5); set(PRM_GSTAR, 5); expect<i32>(check()).toBe(PRM_GSTAR);
    valid(); set(PRM_G0, 5); set(PRM_GSTAR, 6); expect<i32>(check()).toBe(-1);
    refused(PRM_K, -1, PRM_K); refused(PRM_K, 15, PRM_K);
    refused(PRM_K, 14, -1);
    valid(); set(PRM_D, 8); set(PRM_K, 7); expect<i32>(check()).toBe(PRM_K);     // D − 2 = 6
    valid(); set(PRM_K_TABLE, table16(NZ, 14, 15)); expect<i32>(check()).toBe(PRM_K_TABLE);
    valid(); set(PRM_K_TABLE, table16(NZ, 0, 14)); set(PRM_K, 99); expect<i32>(check()).toBe(-1);
    valid(); set(PRM_CODER, 1); set(PRM_K, 99); expect<i32>(check()).toBe(-1);   // hybrid: no K
    refused(PRM_USER, 256, PRM_USER);
  });
});
