// CCSDS 123.0-B-2 §5.3 header: image metadata (§5.3.2), predictor metadata (§5.3.3) and
// sample-adaptive entropy coder metadata (§5.3.4.2), written MSB first. Every field has a
// named width; the fields are packed in the order of the standard's tables 5-2..5-12.
import { prm, PRM_NX, PRM_NY, PRM_NZ, PRM_D, PRM_SIGNED, PRM_ORDER, PRM_M, PRM_B, PRM_CODER, PRM_P,
  PRM_REDUCED, PRM_LSUM, PRM_R, PRM_OMEGA, PRM_TINC_LOG, PRM_NU_MIN, PRM_NU_MAX, PRM_FIDELITY,
  PRM_ABS_DEP, PRM_ABS_BITS, PRM_ABS, PRM_REL_DEP, PRM_REL_BITS, PRM_REL, PRM_REP_FLAG, PRM_THETA,
  PRM_PHI, PRM_PSI, PRM_UMAX, PRM_GSTAR, PRM_G0, PRM_K, PRM_USER, PRM_ABS_TABLE, PRM_REL_TABLE,
  PRM_BA_J, PRM_BA_RSI, PRM_BA_RESTRICTED, PRM_WINIT_Q, PRM_WINIT_TABLE, PRM_WEO_TABLE, PRM_PERIOD_U,
  PRM_PHI_TABLE, PRM_PSI_TABLE, PRM_K_TABLE } from "./params";

// Field widths in bits (§5.3.2.2 table 5-3, essential subpart of the image metadata).
export const HDR_USER_BITS: i32 = 8;
export const HDR_SIZE_BITS: i32 = 16;        // X, Y, Z size: N mod 2^16
export const HDR_SAMPLE_TYPE_BITS: i32 = 1;
export const HDR_RESERVED1_BITS: i32 = 1;
export const HDR_LARGE_D_BITS: i32 = 1;
export const HDR_D_BITS: i32 = 4;            // D mod 16
export const HDR_ORDER_BITS: i32 = 1;        // 0 BI, 1 BSQ
export const HDR_DEPTH_BITS: i32 = 16;       // M mod 2^16 (0 for BSQ)
export const HDR_RESERVED2_BITS: i32 = 2;
export const HDR_WORD_BITS: i32 = 3;         // B mod 8
export const HDR_CODER_BITS: i32 = 2;        // 0 sample-adaptive, 1 hybrid, 2 block-adaptive
export const HDR_FIDELITY_BITS: i32 = 2;
export const HDR_SUPP_COUNT_BITS: i32 = 4;
// Predictor primary structure (§5.3.3.2 table 5-6).
export const HDR_REP_FLAG_BITS: i32 = 1;
export const HDR_P_BITS: i32 = 4;
export const HDR_MODE_BITS: i32 = 1;         // 0 full, 1 reduced
export const HDR_WEO_FLAG_BITS: i32 = 1;     // weight exponent offsets not all zero
export const HDR_LSUM_BITS: i32 = 2;
export const HDR_R_BITS: i32 = 6;            // R mod 64
export const HDR_OMEGA_BITS: i32 = 4;        // Ω − 4
export const HDR_TINC_BITS: i32 = 4;         // log2 t_inc − 4
export const HDR_NU_BITS: i32 = 4;           // ν + 6
export const HDR_WEO_TABLE_BITS: i32 = 1;
export const HDR_WINIT_METHOD_BITS: i32 = 1;
export const HDR_WINIT_TABLE_BITS: i32 = 1;
export const HDR_WINIT_Q_BITS: i32 = 5;
// Quantization (§5.3.3.3) and sample representative (§5.3.3.4) subparts.
export const HDR_PERIODIC_FLAG_BITS: i32 = 1;
export const HDR_PERIOD_U_BITS: i32 = 4;
export const HDR_LIMIT_METHOD_BITS: i32 = 1;
export const HDR_LIMIT_DEPTH_BITS: i32 = 4;  // D_A or D_R mod 16
export const HDR_THETA_BITS: i32 = 3;
export const HDR_VARY_FLAG_BITS: i32 = 1;
export const HDR_TABLE_FLAG_BITS: i32 = 1;
export const HDR_FIXED_REP_BITS: i32 = 4;    // fixed φ or ψ
// Sample-adaptive entropy coder (§5.3.4.2 table 5-13).
export const HDR_UMAX_BITS: i32 = 5;         // U_max mod 32
export const HDR_GSTAR_BITS: i32 = 3;        // γ* − 4
export const HDR_G0_BITS: i32 = 3;           // γ0 mod 8
export const HDR_K_BITS: i32 = 4;
export const HDR_ACC_TABLE_BITS: i32 = 1;
// Block-adaptive entropy coder (§5.3.4.3 table 5-15).
export const HDR_BLOCK_SIZE_BITS: i32 = 2;   // 0: J = 8, 1: 16, 2: 32, 3: 64
export const HDR_RESTRICTED_BITS: i32 = 1;
export const HDR_RSI_BITS: i32 = 12;         // r mod 2^12

// A tiny MSB-first bit writer for the header (not hot).
let hp: usize = 0, hend: usize = 0, hacc: u32 = 0, hn: i32 = 0, hovf: bool = false;
function put(v: i32, bits: i32): void {
  for (let i = bits - 1; i >= 0; i--) {
    hacc = (hacc << 1) | ((<u32>v >>> (<u32>i)) & 1);
    if (++hn == 8) { if (hp < hend) store<u8>(hp, <u8>hacc); else hovf = true; hp++; hacc = 0; hn = 0; }
  }
}
function fill(): void { while (hn != 0) put(0, 1); }  // fill bits to the next byte (§5.3.1)

/** Writes the header for the parameter block p; returns its length in bytes, or -1 when cap is
 *  too small (nothing useful written). */
export function hypWriteHeader(p: usize, out: usize, cap: i32): i32 {
  hp = out; hend = out + <usize>cap; hacc = 0; hn = 0; hovf = false;
  const d = prm(p, PRM_D), order = prm(p, PRM_ORDER), nz = prm(p, PRM_NZ), fid = prm(p, PRM_FIDELITY);
  // §5.3.2.2 essential subpart
  put(prm(p, PRM_USER), HDR_USER_BITS);
  put(prm(p, PRM_NX) & 0xFFFF, HDR_SIZE_BITS);
  put(prm(p, PRM_NY) & 0xFFFF, HDR_SIZE_BITS);
  put(nz & 0xFFFF, HDR_SIZE_BITS);
  put(prm(p, PRM_SIGNED), HDR_SAMPLE_TYPE_BITS);
  put(0, HDR_RESERVED1_BITS);
  put(d > 16 ? 1 : 0, HDR_LARGE_D_BITS);
  put(d & 15, HDR_D_BITS);
  put(order, HDR_ORDER_BITS);
  put(order == 1 ? 0 : (prm(p, PRM_M) & 0xFFFF), HDR_DEPTH_BITS);
  put(0, HDR_RESERVED2_BITS);
  put(prm(p, PRM_B) & 7, HDR_WORD_BITS);
  put(prm(p, PRM_CODER), HDR_CODER_BITS);
  put(0, 1);
  put(fid, HDR_FIDELITY_BITS);
  put(0, 2);
  put(0, HDR_SUPP_COUNT_BITS);                 // no supplementary information tables
  // §5.3.3.2 predictor primary structure
  const rep = prm(p, PRM_REP_FLAG);
  put(0, 1);
  put(rep, HDR_REP_FLAG_BITS);
  put(prm(p, PRM_P), HDR_P_BITS);
  put(prm(p, PRM_REDUCED), HDR_MODE_BITS);
  const wq = prm(p, PRM_WINIT_Q), weo = prm(p, PRM_WEO_TABLE) != 0 ? 1 : 0;
  put(weo, HDR_WEO_FLAG_BITS);                 // weight exponent offsets given (§4.10.3)
  put(prm(p, PRM_LSUM), HDR_LSUM_BITS);
  put(prm(p, PRM_R) & 63, HDR_R_BITS);
  put(prm(p, PRM_OMEGA) - 4, HDR_OMEGA_BITS);
  put(prm(p, PRM_TINC_LOG) - 4, HDR_TINC_BITS);
  put(prm(p, PRM_NU_MIN) + 6, HDR_NU_BITS);
  put(prm(p, PRM_NU_MAX) + 6, HDR_NU_BITS);
  put(weo, HDR_WEO_TABLE_BITS);                // the offset table, when used, is in the header
  put(wq != 0 ? 1 : 0, HDR_WINIT_METHOD_BITS); // 0 default (§4.6.3.2), 1 custom (§4.6.3.3)
  put(wq != 0 ? 1 : 0, HDR_WINIT_TABLE_BITS);  // the custom table, when used, is in the header
  put(wq, HDR_WINIT_Q_BITS);
  // §5.3.3.2 weight tables subpart: per band, in weight-vector order, Q-bit / 4-bit two's complement
  const pp = prm(p, PRM_P), full = prm(p, PRM_REDUCED) == 0;
  if (wq != 0) {
    const tp = <usize>prm(p, PRM_WINIT_TABLE);
    for (let z = 0; z < nz; z++) {
      const cz = (z < pp ? z : pp) + (full ? 3 : 0);
      for (let i = 0; i < cz; i++) put(load<i32>(tp + ((<usize>(z * (pp + 3) + i)) << 2)) & ((1 << wq) - 1), wq);
    }
    fill();
  }
  if (weo != 0) {
    const tp = <usize>prm(p, PRM_WEO_TABLE);
    for (let z = 0; z < nz; z++) {
      const pz = z < pp ? z : pp;
      for (let i = full ? 0 : 1; i <= pz; i++) put(load<i32>(tp + ((<usize>(z * (pp + 1) + i)) << 2)) & 15, 4);
    }
    fill();
  }
  // §5.3.3.3 quantization subpart
  if (fid != 0) {
    const pu = prm(p, PRM_PERIOD_U);
    if (order == 0) { put(0, 1); put(pu >= 0 ? 1 : 0, HDR_PERIODIC_FLAG_BITS); put(0, 2); put(pu >= 0 ? pu : 0, HDR_PERIOD_U_BITS); }
    if (fid != 2) {
      const bits = prm(p, PRM_ABS_BITS), dep = prm(p, PRM_ABS_DEP);
      put(0, 1); put(dep, HDR_LIMIT_METHOD_BITS); put(0, 2); put(bits & 15, HDR_LIMIT_DEPTH_BITS);
      if (pu >= 0) {}                           // values in the body, each period (§5.4.3.1)
      else if (dep == 0) put(prm(p, PRM_ABS), bits);
      else { const tp = <usize>prm(p, PRM_ABS_TABLE); for (let z = 0; z < nz; z++) put(<i32>load<u16>(tp + ((<usize>z) << 1)), bits); }
      fill();
    }
    if (fid != 1) {
      const bits = prm(p, PRM_REL_BITS), dep = prm(p, PRM_REL_DEP);
      put(0, 1); put(dep, HDR_LIMIT_METHOD_BITS); put(0, 2); put(bits & 15, HDR_LIMIT_DEPTH_BITS);
      if (pu >= 0) {}
      else if (dep == 0) put(prm(p, PRM_REL), bits);
      else { const tp = <usize>prm(p, PRM_REL_TABLE); for (let z = 0; z < nz; z++) put(<i32>load<u16>(tp + ((<usize>z) << 1)), bits); }
      fill();
    }
  }
  // §5.3.3.4 sample representative subpart (band-independent φ and ψ)
  if (rep == 1) {
    put(0, 5); put(prm(p, PRM_THETA), HDR_THETA_BITS);
    const th = prm(p, PRM_THETA), pt = <usize>prm(p, PRM_PHI_TABLE), st = <usize>prm(p, PRM_PSI_TABLE);
    const pv = pt != 0 ? 1 : 0, sv = st != 0 ? 1 : 0;                // band-varying: the table in the header
    put(0, 1); put(pv, HDR_VARY_FLAG_BITS); put(pv, HDR_TABLE_FLAG_BITS); put(0, 1); put(pv ? 0 : prm(p, PRM_PHI), HDR_FIXED_REP_BITS);
    put(0, 1); put(sv, HDR_VARY_FLAG_BITS); put(sv, HDR_TABLE_FLAG_BITS); put(0, 1); put(sv ? 0 : prm(p, PRM_PSI), HDR_FIXED_REP_BITS);
    if (pv) { for (let z = 0; z < nz; z++) put(<i32>load<u16>(pt + (<usize>z << 1)), th); fill(); }   // damping table, Θ bits each
    if (sv) { for (let z = 0; z < nz; z++) put(<i32>load<u16>(st + (<usize>z << 1)), th); fill(); }   // offset table
  }
  if (prm(p, PRM_CODER) == 2) {
    // §5.3.4.3 block-adaptive entropy coder
    const j = prm(p, PRM_BA_J);
    put(0, 1);
    put(j == 8 ? 0 : (j == 16 ? 1 : (j == 32 ? 2 : 3)), HDR_BLOCK_SIZE_BITS);
    put(prm(p, PRM_BA_RESTRICTED), HDR_RESTRICTED_BITS);
    put(prm(p, PRM_BA_RSI) & 0xFFF, HDR_RSI_BITS);
    return hovf ? -1 : <i32>(hp - out);
  }
  // §5.3.4.2 sample-adaptive (and §5.3.4.3 hybrid) entropy coder
  put(prm(p, PRM_UMAX) & 31, HDR_UMAX_BITS);
  put(prm(p, PRM_GSTAR) - 4, HDR_GSTAR_BITS);
  put(prm(p, PRM_G0) & 7, HDR_G0_BITS);
  if (prm(p, PRM_CODER) == 1) { put(0, 5); return hovf ? -1 : <i32>(hp - out); }  // hybrid: 5 reserved bits
  const kt = <usize>prm(p, PRM_K_TABLE);
  put(kt != 0 ? 15 : prm(p, PRM_K), HDR_K_BITS);              // 15: per-band k''_z table follows
  put(kt != 0 ? 1 : 0, HDR_ACC_TABLE_BITS);
  if (kt != 0) for (let z = 0; z < nz; z++) put(<i32>load<u16>(kt + (<usize>z << 1)), HDR_K_BITS);
  fill();
  return hovf ? -1 : <i32>(hp - out);
}
