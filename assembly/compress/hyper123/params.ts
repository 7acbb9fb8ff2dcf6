// CCSDS 123.0-B-2 compressor parameters: the i32 parameter block the caller fills (one word
// per parameter, indices below), the sample limits of §4.2, and the parameter checks.
// A parameter given in the standard's value (not its header encoding): Ω, not Ω − 4.

// Word indices: the contract's (host/contract/contract.json, the configuration table's ccsds123 block).
export { PRM_NX, PRM_NY, PRM_NZ, PRM_D, PRM_SIGNED, PRM_ORDER, PRM_M, PRM_B, PRM_CODER, PRM_P, PRM_REDUCED, PRM_LSUM, PRM_R, PRM_OMEGA, PRM_TINC_LOG, PRM_NU_MIN, PRM_NU_MAX, PRM_FIDELITY, PRM_ABS_DEP, PRM_ABS_BITS, PRM_ABS, PRM_REL_DEP, PRM_REL_BITS, PRM_REL, PRM_REP_FLAG, PRM_THETA, PRM_PHI, PRM_PSI, PRM_UMAX, PRM_GSTAR, PRM_G0, PRM_K, PRM_USER, PRM_ABS_TABLE, PRM_REL_TABLE, PRM_BA_J, PRM_BA_RSI, PRM_BA_RESTRICTED, PRM_WINIT_Q, PRM_WINIT_TABLE, PRM_WEO_TABLE, PRM_PERIOD_U, PRM_PHI_TABLE, PRM_PSI_TABLE, PRM_K_TABLE } from "../../abi/contract";
import { PRM_NX, PRM_NY, PRM_NZ, PRM_D, PRM_SIGNED, PRM_ORDER, PRM_M, PRM_B, PRM_CODER, PRM_P, PRM_REDUCED, PRM_LSUM, PRM_R, PRM_OMEGA, PRM_TINC_LOG, PRM_NU_MIN, PRM_NU_MAX, PRM_FIDELITY, PRM_ABS_DEP, PRM_ABS_BITS, PRM_ABS, PRM_REL_DEP, PRM_REL_BITS, PRM_REL, PRM_REP_FLAG, PRM_THETA, PRM_PHI, PRM_PSI, PRM_UMAX, PRM_GSTAR, PRM_G0, PRM_K, PRM_USER, PRM_ABS_TABLE, PRM_REL_TABLE, PRM_BA_J, PRM_BA_RSI, PRM_BA_RESTRICTED, PRM_WINIT_Q, PRM_WINIT_TABLE, PRM_WEO_TABLE, PRM_PERIOD_U, PRM_PHI_TABLE, PRM_PSI_TABLE, PRM_K_TABLE } from "../../abi/contract";
export const PRM_COUNT: i32 = 45;

// Named errors of the parameter check: the index of the offending parameter is kept here.
let lastBadParam: i32 = -1;
export function hypLastBadParam(): i32 { return lastBadParam; }
export function hypSetBadParam(i: i32): void { lastBadParam = i; }

@inline export function prm(p: usize, i: i32): i32 { return load<i32>(p + ((<usize>i) << 2)); }

/** Checks the parameter block against 123.0-B-2's ranges; returns the index of the first bad
 *  parameter or -1. */
export function hypCheckParams(p: usize): i32 {
  const nx = prm(p, PRM_NX), ny = prm(p, PRM_NY), nz = prm(p, PRM_NZ), d = prm(p, PRM_D);
  if (nx < 1 || nx > 65535) return PRM_NX;
  if (ny < 1 || ny > 65535) return PRM_NY;
  if (nz < 1 || nz > 65535) return PRM_NZ;
  if (d < 2 || d > 16) return PRM_D;
  if (<u32>prm(p, PRM_SIGNED) > 1) return PRM_SIGNED;
  const order = prm(p, PRM_ORDER);
  if (<u32>order > 1) return PRM_ORDER;
  const m = prm(p, PRM_M);
  if (order == 0 && (m < 1 || m > nz)) return PRM_M;
  const b = prm(p, PRM_B);
  if (b < 1 || b > 8) return PRM_B;
  const coder = prm(p, PRM_CODER);
  if (coder < 0 || coder > 2) return PRM_CODER;
  if (coder == 2) {
    const j = prm(p, PRM_BA_J);
    if (j != 8 && j != 16 && j != 32 && j != 64) return PRM_BA_J;
    const rsi = prm(p, PRM_BA_RSI);
    if (rsi < 1 || rsi > 4096) return PRM_BA_RSI;
    const rs = prm(p, PRM_BA_RESTRICTED);
    if (<u32>rs > 1 || (rs == 1 && d > 4)) return PRM_BA_RESTRICTED;
  }
  const pp = prm(p, PRM_P);
  if (pp < 0 || pp > 15) return PRM_P;
  const reduced = prm(p, PRM_REDUCED);
  if (<u32>reduced > 1) return PRM_REDUCED;
  if (reduced == 0 && nx == 1) return PRM_REDUCED;           // full mode needs Nx > 1 (§4.3)
  const lsum = prm(p, PRM_LSUM);
  if (<u32>lsum > 3) return PRM_LSUM;
  if (lsum < 2 && nx == 1) return PRM_LSUM;                     // Nx = 1: column-oriented local sums only (§4.4)
  const omega = prm(p, PRM_OMEGA);
  if (omega < 4 || omega > 19) return PRM_OMEGA;
  const r = prm(p, PRM_R);
  const rmin = d + omega + 2 > 32 ? d + omega + 2 : 32;       // §4.7.2: max{32, D+Ω+2} ≤ R ≤ 64
  if (r < rmin || r > 64) return PRM_R;
  const q = prm(p, PRM_WINIT_Q);
  if (q != 0) {
    if (q < 3 || q > omega + 3) return PRM_WINIT_Q;
    const tp = <usize>prm(p, PRM_WINIT_TABLE);
    if (tp == 0) return PRM_WINIT_TABLE;
    const pp0 = prm(p, PRM_P), full0 = prm(p, PRM_REDUCED) == 0;
    for (let z = 0; z < nz; z++) {
      const cz = (z < pp0 ? z : pp0) + (full0 ? 3 : 0);
      for (let i = 0; i < cz; i++) {
        const v = load<i32>(tp + ((<usize>(z * (pp0 + 3) + i)) << 2));
        if (v < -(1 << (q - 1)) || v > (1 << (q - 1)) - 1) return PRM_WINIT_TABLE;
      }
    }
  }
  const wt = <usize>prm(p, PRM_WEO_TABLE);
  if (wt != 0) {
    const pp0 = prm(p, PRM_P);
    for (let z = 0; z < nz; z++) for (let i = 0; i <= pp0; i++) {
      const v = load<i32>(wt + ((<usize>(z * (pp0 + 1) + i)) << 2));
      if (v < -6 || v > 5) return PRM_WEO_TABLE;
    }
  }
  const tl = prm(p, PRM_TINC_LOG);
  if (tl < 4 || tl > 11) return PRM_TINC_LOG;
  const numin = prm(p, PRM_NU_MIN), numax = prm(p, PRM_NU_MAX);
  if (numin < -6 || numin > 9) return PRM_NU_MIN;
  if (numax < numin || numax > 9) return PRM_NU_MAX;
  const fid = prm(p, PRM_FIDELITY);
  if (<u32>fid > 3) return PRM_FIDELITY;
  const dmax = d - 1 < 16 ? d - 1 : 16;
  const pu = prm(p, PRM_PERIOD_U);
  if (pu < -1 || pu > 9 || (pu >= 0 && (fid == 0 || order != 0))) return PRM_PERIOD_U;
  if (pu >= 0) {
    // limits arrive per period: only the methods and bit depths are checked here
    if (fid != 2) { const b0 = prm(p, PRM_ABS_BITS); if (b0 < 1 || b0 > dmax) return PRM_ABS_BITS; if (<u32>prm(p, PRM_ABS_DEP) > 1) return PRM_ABS_DEP; }
    if (fid != 1) { const b1 = prm(p, PRM_REL_BITS); if (b1 < 1 || b1 > dmax) return PRM_REL_BITS; if (<u32>prm(p, PRM_REL_DEP) > 1) return PRM_REL_DEP; }
  } else if (fid == 1 || fid == 3) {
    const bits = prm(p, PRM_ABS_BITS);
    if (bits < 1 || bits > dmax) return PRM_ABS_BITS;
    const dep = prm(p, PRM_ABS_DEP);
    if (<u32>dep > 1) return PRM_ABS_DEP;
    if (dep == 0) { const a = prm(p, PRM_ABS); if (a < 0 || a > (1 << bits) - 1) return PRM_ABS; }
    else {
      const tp = <usize>prm(p, PRM_ABS_TABLE);
      if (tp == 0) return PRM_ABS_TABLE;
      for (let z = 0; z < nz; z++) if (<i32>load<u16>(tp + ((<usize>z) << 1)) > (1 << bits) - 1) return PRM_ABS_TABLE;
    }
  }
  if (pu < 0 && (fid == 2 || fid == 3)) {
    const bits = prm(p, PRM_REL_BITS);
    if (bits < 1 || bits > dmax) return PRM_REL_BITS;
    const dep = prm(p, PRM_REL_DEP);
    if (<u32>dep > 1) return PRM_REL_DEP;
    if (dep == 0) { const a = prm(p, PRM_REL); if (a < 0 || a > (1 << bits) - 1) return PRM_REL; }
    else {
      const tp = <usize>prm(p, PRM_REL_TABLE);
      if (tp == 0) return PRM_REL_TABLE;
      for (let z = 0; z < nz; z++) if (<i32>load<u16>(tp + ((<usize>z) << 1)) > (1 << bits) - 1) return PRM_REL_TABLE;
    }
  }
  const rep = prm(p, PRM_REP_FLAG);
  if (<u32>rep > 1) return PRM_REP_FLAG;
  if (rep == 1) {
    const th = prm(p, PRM_THETA);
    if (th < 0 || th > 4) return PRM_THETA;
    const phi = prm(p, PRM_PHI), psi = prm(p, PRM_PSI);
    if (phi < 0 || phi > (1 << th) - 1) return PRM_PHI;
    if (psi < 0 || psi > (1 << th) - 1) return PRM_PSI;
    if (fid == 0 && psi != 0) return PRM_PSI;                 // ψ = 0 when lossless (§4.9)
    const pt = <usize>prm(p, PRM_PHI_TABLE), st = <usize>prm(p, PRM_PSI_TABLE);
    for (let z = 0; pt != 0 && z < nz; z++) if (<i32>load<u16>(pt + (<usize>z << 1)) > (1 << th) - 1) return PRM_PHI_TABLE;
    for (let z = 0; st != 0 && z < nz; z++) {
      const v = <i32>load<u16>(st + (<usize>z << 1));
      if (v > (1 << th) - 1 || (fid == 0 && v != 0)) return PRM_PSI_TABLE;
    }
  } else if (prm(p, PRM_PHI_TABLE) != 0 || prm(p, PRM_PSI_TABLE) != 0) {
    return prm(p, PRM_PHI_TABLE) != 0 ? PRM_PHI_TABLE : PRM_PSI_TABLE;   // tables need the representative subpart
  }
  if (coder == 2) return prm(p, PRM_USER) >= 0 && prm(p, PRM_USER) <= 255 ? -1 : PRM_USER;
  const umax = prm(p, PRM_UMAX);
  if (umax < 8 || umax > 32) return PRM_UMAX;
  const g0 = prm(p, PRM_G0);
  if (g0 < 1 || g0 > 8) return PRM_G0;
  const gs = prm(p, PRM_GSTAR);
  if (gs < (g0 + 1 > 4 ? g0 + 1 : 4) || gs > 11) return PRM_GSTAR;
  const k = prm(p, PRM_K);
  const kt = <usize>prm(p, PRM_K_TABLE);
  if (coder == 0 && kt == 0 && (k < 0 || k > (d - 2 < 14 ? d - 2 : 14))) return PRM_K;  // hybrid: no K
  for (let z = 0; coder == 0 && kt != 0 && z < nz; z++) if (<i32>load<u16>(kt + (<usize>z << 1)) > (d - 2 < 14 ? d - 2 : 14)) return PRM_K_TABLE;
  if (<u32>prm(p, PRM_USER) > 255) return PRM_USER;
  return -1;
}
