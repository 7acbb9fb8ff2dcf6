// CCSDS 123.0-B-2 compressor: adaptive linear predictor (§4) and sample-adaptive entropy coder
// (§5.4.3.2), streaming one image line (Nz bands × Nx pixels, BIL) at a time. The predictor
// runs in the imager's natural order; its outputs do not depend on the encoding order, which
// only decides the order of the codewords (§5.4.2). State lives in one caller-carved block:
// memory ∝ Nz × Nx for band-interleaved output; BSQ output must hold every mapped index of the
// image (Nz × Ny × Nx × 2 bytes) until the last line, because its first codeword after band 0
// needs the last line of band 0.
import { E_HYP_BAD_PARAM, E_HYP_BAD_SAMPLE, E_HYP_BAD_STATE, E_HYP_NO_MEMORY, E_NULL } from "../../abi/status";
import { prm, hypCheckParams, hypSetBadParam, PRM_COUNT, PRM_NX, PRM_NY, PRM_NZ, PRM_D, PRM_SIGNED, PRM_ORDER, PRM_M,
  PRM_B, PRM_P, PRM_REDUCED, PRM_LSUM, PRM_R, PRM_OMEGA, PRM_TINC_LOG, PRM_NU_MIN, PRM_NU_MAX, PRM_FIDELITY,
  PRM_ABS_DEP, PRM_ABS, PRM_REL_DEP, PRM_REL, PRM_REP_FLAG, PRM_THETA, PRM_PHI, PRM_PSI, PRM_UMAX, PRM_GSTAR,
  PRM_G0, PRM_K, PRM_ABS_TABLE, PRM_REL_TABLE, PRM_CODER, PRM_BA_J, PRM_BA_RSI, PRM_BA_RESTRICTED, PRM_WINIT_Q,
  PRM_WINIT_TABLE, PRM_WEO_TABLE, PRM_PERIOD_U, PRM_ABS_BITS, PRM_REL_BITS, PRM_PHI_TABLE, PRM_PSI_TABLE, PRM_K_TABLE } from "./params";
import { hypWriteHeader } from "./header";
import { HYB_LIMIT, HYB_THRESHOLD, HYB_ROOT, HYB_TABLE } from "./hybrid-tables";
import { aecInit, aecEncode16, aecEndUnit, aecMaxOutLen, AEC_STATE_LEN, AEC_RESTRICTED } from "../aec121/encoder";

// ---- state block layout (byte offsets) ----
const S_MAGIC = 0;      // 0x31323348 when initialised
const S_NX = 4, S_NY = 8, S_NZ = 12, S_D = 16, S_SIGNED = 20, S_ORDER = 24, S_M = 28, S_B = 32;
const S_P = 36, S_REDUCED = 40, S_LSUM = 44, S_R = 48, S_OMEGA = 52, S_TINC_LOG = 56, S_NU_MIN = 60, S_NU_MAX = 64;
const S_FID = 68, S_THETA = 72, S_PHI = 76, S_PSI = 80, S_UMAX = 84, S_GSTAR = 88, S_NEAR = 92;
const S_SMIN = 96, S_SMAX = 100, S_SMID = 104, S_CMAX = 108;
const S_Y = 112;        // lines pushed so far
const S_EY = 116;       // drain: line (BI) being emitted
const S_EA = 120;       // drain: outer position (BI group start band / BSQ band)
const S_EB = 124;       // drain: middle position (BI x / BSQ t)
const S_EC = 128;       // drain: inner position (BI band)
const S_PENDING = 132;  // 1 while mapped indices wait to be emitted
const S_DONE = 136;     // 1 once the body is padded and flushed
const S_NBITS = 140;    // bits waiting in the accumulator
const S_ACC = 144;      // u64 bit accumulator
const S_TOTAL = 152;    // bytes emitted (header included), for the output word padding
const S_HDRLEN = 156;
const S_W = 160, S_SIGMA = 164, S_GAMMA = 168, S_REP0 = 172, S_REP1 = 176, S_DC = 180, S_DBUF = 184;
const S_MABS = 188, S_MREL = 192, S_U = 196;
const S_STAGE_LEN = 200; // bytes waiting in the stage
const S_STAGE_OFF = 204; // first of them
const S_CODER = 208;     // 0 sample-adaptive, 2 block-adaptive
const S_AEC = 212;       // block-adaptive: CCSDS 121 coder state
const S_BAORD = 216;     // block-adaptive: line reordered for BI with 1 < M
const S_BAJ = 220;       // block-adaptive: J
const S_FED = 224;       // block-adaptive: mapped indices fed to the 121 coder so far
const S_WEO = 228;       // 1 when weight exponent offsets are in use
const S_XI = 232;        // weight exponent offsets per band and weight component (i32, CMAX per band)
const S_PU = 236;        // periodic error-limit updating: u, or −1
const S_LIM_FRESH = 240; // limits set for the period that starts at the next line
const S_LIM_N = 244;     // limit values to emit before the current line's codewords (0: none)
const S_LIM_POS = 248;   // of which emitted
const S_LIM_NABS = 252;  // the first S_LIM_NABS are absolute limits (D_A bits), the rest relative (D_R bits)
const S_LIM_PTR = 1104;  // pointer to the emission buffer (2·Nz u16)
const S_ABITS = 1108, S_RBITS = 1112, S_ADEP = 1116, S_RDEP = 1120;
const S_HYB_NODE = 1124;   // hybrid: current trie node of each of the 16 low-entropy codes (i32 × 16)
const S_HYB_TAIL = 1188;
const S_PHIZ = 1192;       // per-band damping φ_z (i32 × Nz)
const S_PSIZ = 1196;       // per-band offset ψ_z (i32 × Nz)   // hybrid: items of the image tail emitted (16 flush words, then Nz accumulators)
const S_STAGE = 256;     // stage for callers whose buffer has too little room left
const STAGE_CAP = 32;    // sample-adaptive needs 16 bytes of room per codeword
const STAGE_CAP_BA = 720; // block-adaptive: aecMaxOutLen(1) with J = 64, n = 16 is under 700
const S_FIELDS = 1280;
const MAGIC: i32 = 0x31323348;

@inline function gi(st: usize, o: i32): i32 { return load<i32>(st + <usize>o); }
@inline function si(st: usize, o: i32, v: i32): void { store<i32>(st + <usize>o, v); }
@inline function gp(st: usize, o: i32): usize { return <usize>load<u32>(st + <usize>o); }
@inline function align8(n: i64): i64 { return (n + 7) & ~7; }

/** Bytes of state the parameter block needs (≥ 0), or E_HYP_BAD_PARAM (hyp123LastBadParam
 *  names the parameter). */
export function hypStateLen(p: usize): i64 {
  if (p == 0) return E_NULL;
  const bad = hypCheckParams(p);
  if (bad >= 0) { hypSetBadParam(bad); return E_HYP_BAD_PARAM; }
  const nx = <i64>prm(p, PRM_NX), ny = <i64>prm(p, PRM_NY), nz = <i64>prm(p, PRM_NZ);
  const cmax = <i64>(prm(p, PRM_P) + 3);
  let n: i64 = S_FIELDS;
  n += align8(nz * cmax * 4);          // weights
  n += align8(nz * 4) * 4;             // Σ, Γ, m_abs, m_rel
  n += align8(nx * nz * 4) * 3;        // two lines of sample representatives, central differences
  n += align8(cmax * 4);               // local difference vector scratch
  n += align8(prm(p, PRM_ORDER) == 1 ? nx * ny * nz * 2 : nx * nz * 2); // mapped indices
  if (prm(p, PRM_CODER) == 2) n += align8(<i64>AEC_STATE_LEN) + align8(nx * nz * 2);
  if (prm(p, PRM_WEO_TABLE) != 0) n += align8(nz * cmax * 4);
  n += align8(nz * 4);                 // periodic error limits to emit
  n += align8(nz * 4) * 2;             // φ_z, ψ_z
  return n;
}

/** Initialises the state block for the parameter block p. */
export function hypInit(st: usize, stLen: i64, p: usize): i32 {
  if (st == 0 || p == 0) return E_NULL;
  const need = hypStateLen(p);
  if (need < 0) return <i32>need;
  if (stLen < need) return E_HYP_NO_MEMORY;
  const nx = prm(p, PRM_NX), ny = prm(p, PRM_NY), nz = prm(p, PRM_NZ), d = prm(p, PRM_D), pp = prm(p, PRM_P);
  si(st, S_NX, nx); si(st, S_NY, ny); si(st, S_NZ, nz); si(st, S_D, d);
  const signed = prm(p, PRM_SIGNED);
  si(st, S_SIGNED, signed); si(st, S_ORDER, prm(p, PRM_ORDER)); si(st, S_M, prm(p, PRM_M)); si(st, S_B, prm(p, PRM_B));
  si(st, S_P, pp); si(st, S_REDUCED, prm(p, PRM_REDUCED)); si(st, S_LSUM, prm(p, PRM_LSUM)); si(st, S_R, prm(p, PRM_R));
  const omega = prm(p, PRM_OMEGA);
  si(st, S_OMEGA, omega); si(st, S_TINC_LOG, prm(p, PRM_TINC_LOG)); si(st, S_NU_MIN, prm(p, PRM_NU_MIN)); si(st, S_NU_MAX, prm(p, PRM_NU_MAX));
  const fid = prm(p, PRM_FIDELITY), rep = prm(p, PRM_REP_FLAG);
  si(st, S_FID, fid);
  si(st, S_THETA, rep ? prm(p, PRM_THETA) : 0); si(st, S_PHI, rep ? prm(p, PRM_PHI) : 0); si(st, S_PSI, rep ? prm(p, PRM_PSI) : 0);
  si(st, S_NEAR, fid != 0 || (rep != 0 && prm(p, PRM_PHI) != 0) ? 1 : 0);
  si(st, S_UMAX, prm(p, PRM_UMAX)); si(st, S_GSTAR, prm(p, PRM_GSTAR));
  // §4.2: sample limits
  const smin = signed ? -(1 << (d - 1)) : 0, smax = signed ? (1 << (d - 1)) - 1 : (1 << d) - 1, smid = signed ? 0 : 1 << (d - 1);
  si(st, S_SMIN, smin); si(st, S_SMAX, smax); si(st, S_SMID, smid);
  const cmax = pp + 3;
  si(st, S_CMAX, cmax);
  // carve the arrays
  let q: usize = st + S_FIELDS;
  si(st, S_W, <i32>q); q += <usize>align8(<i64>nz * cmax * 4);
  si(st, S_SIGMA, <i32>q); q += <usize>align8(<i64>nz * 4);
  si(st, S_GAMMA, <i32>q); q += <usize>align8(<i64>nz * 4);
  si(st, S_MABS, <i32>q); q += <usize>align8(<i64>nz * 4);
  si(st, S_MREL, <i32>q); q += <usize>align8(<i64>nz * 4);
  si(st, S_REP0, <i32>q); q += <usize>align8(<i64>nx * nz * 4);
  si(st, S_REP1, <i32>q); q += <usize>align8(<i64>nx * nz * 4);
  si(st, S_DC, <i32>q); q += <usize>align8(<i64>nx * nz * 4);
  si(st, S_U, <i32>q); q += <usize>align8(<i64>cmax * 4);
  si(st, S_DBUF, <i32>q);
  q += <usize>align8(prm(p, PRM_ORDER) == 1 ? <i64>nx * ny * nz * 2 : <i64>nx * nz * 2);
  const coder = prm(p, PRM_CODER);
  si(st, S_CODER, coder); si(st, S_FED, 0);
  if (coder == 2) q += <usize>align8(<i64>AEC_STATE_LEN) + <usize>align8(<i64>nx * nz * 2);
  // §4.10.3 weight exponent offsets: intraband for the three directional weights, interband per band
  const weoTab = <usize>prm(p, PRM_WEO_TABLE);
  si(st, S_WEO, weoTab != 0 ? 1 : 0);
  si(st, S_XI, <i32>q);
  const limPtr = q + (weoTab != 0 ? <usize>align8(<i64>nz * cmax * 4) : 0);
  si(st, S_LIM_PTR, <i32>limPtr);
  const phiz = limPtr + <usize>align8(<i64>nz * 4), psiz = phiz + <usize>align8(<i64>nz * 4);
  si(st, S_PHIZ, <i32>phiz); si(st, S_PSIZ, <i32>psiz);
  // §4.9 damping and offset per band (band-independent values, or the tables)
  let anyPhi = false;
  const phiTab = <usize>prm(p, PRM_PHI_TABLE), psiTab = <usize>prm(p, PRM_PSI_TABLE);
  for (let z = 0; z < nz; z++) {
    const ph = rep == 0 ? 0 : (phiTab != 0 ? <i32>load<u16>(phiTab + (<usize>z << 1)) : prm(p, PRM_PHI));
    const ps = rep == 0 ? 0 : (psiTab != 0 ? <i32>load<u16>(psiTab + (<usize>z << 1)) : prm(p, PRM_PSI));
    store<i32>(phiz + (<usize>z << 2), ph); store<i32>(psiz + (<usize>z << 2), ps);
    if (ph != 0) anyPhi = true;
  }
  si(st, S_NEAR, fid != 0 || anyPhi ? 1 : 0);
  si(st, S_PU, prm(p, PRM_PERIOD_U)); si(st, S_LIM_FRESH, 0); si(st, S_LIM_N, 0); si(st, S_LIM_POS, 0); si(st, S_LIM_NABS, 0);
  si(st, S_ABITS, prm(p, PRM_ABS_BITS)); si(st, S_RBITS, prm(p, PRM_REL_BITS));
  si(st, S_ADEP, prm(p, PRM_ABS_DEP)); si(st, S_RDEP, prm(p, PRM_REL_DEP));
  if (weoTab != 0) {
    const full0 = prm(p, PRM_REDUCED) == 0;
    for (let z = 0; z < nz; z++) {
      const xi = q + <usize>(z * cmax * 4);
      const off0 = full0 ? 3 : 0;
      for (let i = 0; i < cmax; i++) store<i32>(xi + <usize>(i << 2), 0);
      if (full0) for (let i = 0; i < 3; i++) store<i32>(xi + <usize>(i << 2), load<i32>(weoTab + (<usize>(z * (pp + 1)) << 2)));
      for (let i = 0; i < pp; i++) store<i32>(xi + <usize>((off0 + i) << 2), load<i32>(weoTab + (<usize>(z * (pp + 1) + 1 + i) << 2)));
    }
  }
  if (coder == 2) {
    const qa = gp(st, S_DBUF) + <usize>align8(prm(p, PRM_ORDER) == 1 ? <i64>nx * ny * nz * 2 : <i64>nx * nz * 2);
    si(st, S_AEC, <i32>qa);
    si(st, S_BAORD, <i32>(qa + <usize>align8(<i64>AEC_STATE_LEN)));
    si(st, S_BAJ, prm(p, PRM_BA_J));
    // §5.4.3.4: the CCSDS 121 coder without its preprocessor, n = D
    const r = aecInit(gp(st, S_AEC), d, prm(p, PRM_BA_J), prm(p, PRM_BA_RSI), prm(p, PRM_BA_RESTRICTED) ? AEC_RESTRICTED : 0);
    if (r < 0) return E_HYP_BAD_PARAM;
  }
  // §4.6.3.2 default weight initialisation: ω(1) = ⌊7/8·2^Ω⌋, ω(i) = ⌊ω(i−1)/8⌋; directional 0
  const full = prm(p, PRM_REDUCED) == 0;
  const wbase = gp(st, S_W);
  for (let z = 0; z < nz; z++) {
    const w = wbase + <usize>(z * cmax * 4);
    for (let i = 0; i < cmax; i++) store<i32>(w + <usize>(i << 2), 0);
    const pz = z < pp ? z : pp;
    const off = full ? 3 : 0;
    const wq = prm(p, PRM_WINIT_Q);
    if (wq != 0) {
      // §4.6.3.3 custom: ω(1) = 2^(Ω+3−Q)·Λ + ⌊2^(Ω+2−Q)⌋ − 1
      const tab = <usize>prm(p, PRM_WINIT_TABLE) + (<usize>(z * cmax) << 2);
      const half = omega + 2 - wq >= 0 ? 1 << (omega + 2 - wq) : 0;
      for (let i = 0; i < off + pz; i++) store<i32>(w + <usize>(i << 2), (load<i32>(tab + <usize>(i << 2)) << (omega + 3 - wq)) + half - 1);
      continue;
    }
    let v = (7 << omega) >> 3;
    for (let i = 0; i < pz; i++) { store<i32>(w + <usize>((off + i) << 2), v); v >>= 3; }
  }
  // §5.4.3.2.2: Γ(1) = 2^γ0, Σz(1) = ⌊(3·2^(k'+6) − 49)·Γ(1)/2^7⌋ with k' from K (eq. 56)
  const g0 = prm(p, PRM_G0), kk = prm(p, PRM_K);
  const kp = kk <= 30 - d ? kk : 2 * kk + d - 30;
  const gamma1 = 1 << g0;
  // hybrid (§5.4.3.3.2): Γ(0) = 2^γ0 and an initial accumulator 4·Γ(0), updated from t = 1 on
  const sigma1 = coder == 1 ? 4 * gamma1 : <i32>(((<i64>3 * (<i64>1 << (kp + 6)) - 49) * gamma1) >> 7);
  const kTab = <usize>prm(p, PRM_K_TABLE);
  for (let i = 0; i < 16; i++) store<i32>(st + S_HYB_NODE + <usize>(i << 2), <i32>load<u32>(HYB_ROOT + (<usize>i << 2)));
  si(st, S_HYB_TAIL, 0);
  const sg = gp(st, S_SIGMA), gg = gp(st, S_GAMMA), ma = gp(st, S_MABS), mr = gp(st, S_MREL);
  const absTab = <usize>prm(p, PRM_ABS_TABLE), relTab = <usize>prm(p, PRM_REL_TABLE);
  for (let z = 0; z < nz; z++) {
    const zo = <usize>(z << 2);
    let s1 = sigma1;
    if (kTab != 0 && coder == 0) {
      // §5.4.3.2.2 per-band k''_z
      const k2 = <i32>load<u16>(kTab + (<usize>z << 1));
      const k1 = k2 <= 30 - d ? k2 : 2 * k2 + d - 30;
      s1 = <i32>(((<i64>3 * (<i64>1 << (k1 + 6)) - 49) * gamma1) >> 7);
    }
    store<i32>(sg + zo, s1); store<i32>(gg + zo, gamma1);
    // §4.8.2.1 error limits: absolute a_z, relative r_z (band-independent or from the tables)
    let a = 0, r = 0x7FFFFFFF;
    const periodic = prm(p, PRM_PERIOD_U) >= 0;                  // then set by hypSetLimits
    if ((fid == 1 || fid == 3) && !periodic) a = prm(p, PRM_ABS_DEP) == 0 ? prm(p, PRM_ABS) : <i32>load<u16>(absTab + ((<usize>z) << 1));
    if ((fid == 2 || fid == 3) && !periodic) r = prm(p, PRM_REL_DEP) == 0 ? prm(p, PRM_REL) : <i32>load<u16>(relTab + ((<usize>z) << 1));
    if (fid == 2) a = 0x7FFFFFFF;
    store<i32>(ma + zo, a); store<i32>(mr + zo, r);
  }
  si(st, S_Y, 0); si(st, S_EY, 0); si(st, S_EA, 0); si(st, S_EB, 0); si(st, S_EC, 0);
  si(st, S_PENDING, 0); si(st, S_DONE, 0); si(st, S_NBITS, 0); store<u64>(st + S_ACC, 0);
  si(st, S_TOTAL, 0); si(st, S_HDRLEN, 0); si(st, S_STAGE_LEN, 0); si(st, S_STAGE_OFF, 0);
  si(st, S_MAGIC, MAGIC);
  return 0;
}

/** Writes the header (§5.3) for the parameters the state was initialised with. p must be the
 *  same parameter block. Returns its length, or -3 (E_OUT_FULL) when cap is too small. */
export function hypHeader(st: usize, p: usize, out: usize, cap: i32): i32 {
  if (st == 0 || p == 0 || out == 0) return E_NULL;
  if (gi(st, S_MAGIC) != MAGIC || gi(st, S_TOTAL) != 0) return E_HYP_BAD_STATE;
  const n = hypWriteHeader(p, out, cap);
  if (n < 0) return -3;
  si(st, S_TOTAL, n); si(st, S_HDRLEN, n);
  return n;
}

// ---- predictor (§4) ----

/** Predicts one band of one line. full: full prediction mode (§4.3); near: quantizer and
 *  sample representatives in play (§4.8, §4.9), else the lossless shortcut s'' = s' = s. */
@inline function bandLine(st: usize, z: i32, y: i32, line: usize, full: bool, near: bool): i32 {
  const nx = gi(st, S_NX), nz = gi(st, S_NZ), d = gi(st, S_D), omega = gi(st, S_OMEGA);
  const smin = gi(st, S_SMIN), smax = gi(st, S_SMAX), smid = gi(st, S_SMID);
  const pp = gi(st, S_P), pz = z < pp ? z : pp;             // P*_z = min(z, P) (§4.3)
  const cmax = gi(st, S_CMAX), lsum = gi(st, S_LSUM), signed = gi(st, S_SIGNED);
  const numin = gi(st, S_NU_MIN), numax = gi(st, S_NU_MAX), tinc = gi(st, S_TINC_LOG);
  const rshift = <i64>(64 - gi(st, S_R));
  const nxz = <usize>(nx << 2);
  const lineOdd = (y & 1) != 0;
  const curBase = lineOdd ? gp(st, S_REP1) : gp(st, S_REP0);
  const prevBase = lineOdd ? gp(st, S_REP0) : gp(st, S_REP1);
  const cur = curBase + <usize>z * nxz, prev = prevBase + <usize>z * nxz, curLow = cur - nxz;
  // central local differences pixel-major: band z of column x at dc + x·Nz·4 (see dcAt)
  const nz4 = <usize>(nz << 2), dc = gp(st, S_DC) + (<usize>z << 2);
  const w = gp(st, S_W) + <usize>(z * cmax * 4);
  const uv = gp(st, S_U);
  const src = line + <usize>(z * nx * 2);
  const order = gi(st, S_ORDER);
  const weo = gi(st, S_WEO) != 0;
  const dst = order == 1 ? gp(st, S_DBUF) + (<usize>z * <usize>gi(st, S_NY) + <usize>y) * <usize>(nx * 2)
                         : gp(st, S_DBUF) + <usize>(z * nx * 2);
  const ma = load<i32>(gp(st, S_MABS) + <usize>(z << 2)), mr = load<i32>(gp(st, S_MREL) + <usize>(z << 2));
  const theta = gi(st, S_THETA), fid = gi(st, S_FID);
  const phi = load<i32>(gp(st, S_PHIZ) + (<usize>z << 2)), psi = load<i32>(gp(st, S_PSIZ) + (<usize>z << 2));
  const off = full ? 3 : 0;
  const c = pz + off;
  const hrLo = (<i64>smin) << (omega + 2), hrHi = ((<i64>smax) << (omega + 2)) + ((<i64>1) << (omega + 1));
  const mid4 = <i64>(4 * smid);
  const rhoBase = d - omega;
  let x = 0;
  const t0 = y * nx;
  if (y == 0) {
    // §4.7.1 t = 0: s̃z(0) = 2·s''z−1(0) when P* > 0, else 2·s_mid; no quantization (§4.8.1)
    let s = signed ? <i32>load<i16>(src) : <i32>load<u16>(src);
    if (s < smin || s > smax) return E_HYP_BAD_SAMPLE;
    const st2 = pz > 0 ? 2 * load<i32>(curLow) : 2 * smid;
    const sh = st2 >> 1;
    const q = s - sh;
    const th = sh - smin < smax - sh ? sh - smin : smax - sh;  // §4.11 θ at t = 0
    const aq = q < 0 ? -q : q;
    const dm = aq > th ? aq + th : (((st2 & 1) == 0 ? q : -q) >= 0 ? 2 * aq : 2 * aq - 1);
    store<u16>(dst, <u16>dm);
    store<i32>(cur, s);
    store<i32>(dc, 0);
    x = 1;
  }
  for (; x < nx; x++) {
    const xo = <usize>(x << 2);
    const s = signed ? <i32>load<i16>(src + <usize>(x << 1)) : <i32>load<u16>(src + <usize>(x << 1));
    if (s < smin || s > smax) return E_HYP_BAD_SAMPLE;
    // §4.4 local sum σz(x,y)
    let sigma: i32;
    if (y > 0) {
      const n0 = load<i32>(prev + xo);
      if (lsum >= 2) sigma = 4 * n0;                              // column-oriented, y > 0
      else if (x == 0) sigma = 2 * (n0 + load<i32>(prev + xo + 4));
      else if (x == nx - 1) sigma = lsum == 0 ? load<i32>(cur + xo - 4) + load<i32>(prev + xo - 4) + 2 * n0
                                              : 2 * (load<i32>(prev + xo - 4) + n0);
      else sigma = lsum == 0 ? load<i32>(cur + xo - 4) + load<i32>(prev + xo - 4) + n0 + load<i32>(prev + xo + 4)
                             : load<i32>(prev + xo - 4) + 2 * n0 + load<i32>(prev + xo + 4);
    } else {
      if ((lsum & 1) == 0) sigma = 4 * load<i32>(cur + xo - 4);   // wide: 4·s''(x−1, 0)
      else sigma = z > 0 ? 4 * load<i32>(curLow + xo - 4) : 4 * smid; // narrow: band z−1, or s_mid
    }
    // §4.5 local differences and §4.7.1 predicted central local difference d̂ = Wᵀ U
    let dhat: i64 = 0;
    let dN = 0, dW = 0, dNW = 0;
    if (full) {
      if (y > 0) {
        const n0 = load<i32>(prev + xo);
        dN = 4 * n0 - sigma;
        if (x > 0) { dW = 4 * load<i32>(cur + xo - 4) - sigma; dNW = 4 * load<i32>(prev + xo - 4) - sigma; }
        else { dW = dN; dNW = dN; }
      }
      dhat = <i64>load<i32>(w) * dN + <i64>load<i32>(w, 4) * dW + <i64>load<i32>(w, 8) * dNW;
    }
    const dcx = dc + <usize>x * nz4;
    let dp = dcx;
    for (let i = 0; i < pz; i++) {
      dp -= 4;
      const u = load<i32>(dp);
      store<i32>(uv + <usize>(i << 2), u);
      dhat += <i64>load<i32>(w + <usize>((off + i) << 2)) * u;
    }
    // §4.7.2 high-resolution predicted sample, with the R-bit register wrap mod*_R
    let v = dhat + ((<i64>sigma - mid4) << omega);
    v = (v << rshift) >> rshift;
    let hr = v + ((<i64>smid) << (omega + 2)) + ((<i64>1) << (omega + 1));
    hr = hr < hrLo ? hrLo : (hr > hrHi ? hrHi : hr);
    const stl = <i32>(hr >> (omega + 1));                          // §4.7.3 s̃z(t)
    const sh = stl >> 1;                                           // §4.7.4 ŝz(t)
    const delta = s - sh;                                          // §4.8.1 Δz(t)
    let q: i32, sp: i32, srep: i32, th: i32;
    if (near) {
      // §4.8.2 maximum error mz(t)
      let m = ma;
      if (fid >= 2) { const ash = sh < 0 ? -sh : sh; const mrel = <i32>((<i64>mr * ash) >> d); if (mrel < m) m = mrel; }
      const m2 = 2 * m + 1;
      const ad = delta < 0 ? -delta : delta;
      q = (ad + m) / m2; if (delta < 0) q = -q;                    // §4.8.1 quantizer index
      sp = sh + q * m2; sp = sp < smin ? smin : (sp > smax ? smax : sp); // §4.9 clipped bin centre s'
      // §4.9 double-resolution sample representative and sample representative s''
      const sq: i64 = q > 0 ? 1 : (q < 0 ? -1 : 0);
      const a1 = ((<i64>sp) << omega) - ((sq * m * psi) << (omega - theta));
      const num = ((<i64>4 * ((1 << theta) - phi)) * a1) + <i64>phi * hr - ((<i64>phi) << (omega + 1));
      const sdr = <i32>(num >> (omega + theta + 1));
      srep = (sdr + 1) >> 1;
      const lo = (sh - smin + m) / m2, hi = (smax - sh + m) / m2;   // §4.11 θ
      th = lo < hi ? lo : hi;
    } else {
      q = delta; sp = s; srep = s;
      th = sh - smin < smax - sh ? sh - smin : smax - sh;
    }
    // §4.11 mapped quantizer index δz(t)
    const aq = q < 0 ? -q : q;
    const dm = aq > th ? aq + th : (((stl & 1) == 0 ? q : -q) >= 0 ? 2 * aq : 2 * aq - 1);
    store<u16>(dst + <usize>(x << 1), <u16>dm);
    store<i32>(cur + xo, srep);
    store<i32>(dcx, 4 * srep - sigma);                            // §4.5 central local difference
    // §4.10 weight update with scaling exponent ρ(t)
    const e = 2 * sp - stl;                                        // §4.10.1 e = 2s' − s̃
    let rho = numin + ((t0 + x - nx) >> tinc);
    rho = (rho < numin ? numin : (rho > numax ? numax : rho)) + rhoBase;
    const wmax = (1 << (omega + 2)) - 1, wmin = -(1 << (omega + 2));
    if (weo) {
      // §4.10.3: exponent ρ(t) + ς per weight component
      const xi = gp(st, S_XI) + <usize>(z * cmax * 4);
      for (let i = 0; i < c; i++) {
        const ui = i < off ? (i == 0 ? dN : (i == 1 ? dW : dNW)) : load<i32>(uv + <usize>((i - off) << 2));
        const a = e >= 0 ? ui : -ui;
        const sh = rho + load<i32>(xi + <usize>(i << 2));
        const wp = w + <usize>(i << 2);
        const wi = load<i32>(wp) + (sh >= 0 ? ((a + (1 << sh)) >> (sh + 1)) : (((a << -sh) + 1) >> 1));
        store<i32>(wp, wi < wmin ? wmin : (wi > wmax ? wmax : wi));
      }
    } else if (rho >= 0) {
      const half = 1 << rho, sh1 = rho + 1;
      if (full) {
        let w0 = load<i32>(w) + (((e >= 0 ? dN : -dN) + half) >> sh1);
        let w1 = load<i32>(w, 4) + (((e >= 0 ? dW : -dW) + half) >> sh1);
        let w2 = load<i32>(w, 8) + (((e >= 0 ? dNW : -dNW) + half) >> sh1);
        store<i32>(w, w0 < wmin ? wmin : (w0 > wmax ? wmax : w0));
        store<i32>(w, w1 < wmin ? wmin : (w1 > wmax ? wmax : w1), 4);
        store<i32>(w, w2 < wmin ? wmin : (w2 > wmax ? wmax : w2), 8);
      }
      for (let i = 0; i < pz; i++) {
        const u = load<i32>(uv + <usize>(i << 2));
        const wp = w + <usize>((off + i) << 2);
        const wi = load<i32>(wp) + (((e >= 0 ? u : -u) + half) >> sh1);
        store<i32>(wp, wi < wmin ? wmin : (wi > wmax ? wmax : wi));
      }
    } else {
      const ls = -rho;
      if (full) {
        let w0 = load<i32>(w) + ((((e >= 0 ? dN : -dN) << ls) + 1) >> 1);
        let w1 = load<i32>(w, 4) + ((((e >= 0 ? dW : -dW) << ls) + 1) >> 1);
        let w2 = load<i32>(w, 8) + ((((e >= 0 ? dNW : -dNW) << ls) + 1) >> 1);
        store<i32>(w, w0 < wmin ? wmin : (w0 > wmax ? wmax : w0));
        store<i32>(w, w1 < wmin ? wmin : (w1 > wmax ? wmax : w1), 4);
        store<i32>(w, w2 < wmin ? wmin : (w2 > wmax ? wmax : w2), 8);
      }
      for (let i = 0; i < pz; i++) {
        const u = load<i32>(uv + <usize>(i << 2));
        const wp = w + <usize>((off + i) << 2);
        const wi = load<i32>(wp) + ((((e >= 0 ? u : -u) << ls) + 1) >> 1);
        store<i32>(wp, wi < wmin ? wmin : (wi > wmax ? wmax : wi));
      }
    }
  }
  return 0;
}

function bandFullLossless(st: usize, z: i32, y: i32, line: usize): i32 { return bandLine(st, z, y, line, true, false); }
function bandReducedLossless(st: usize, z: i32, y: i32, line: usize): i32 { return bandLine(st, z, y, line, false, false); }
function bandFullNear(st: usize, z: i32, y: i32, line: usize): i32 { return bandLine(st, z, y, line, true, true); }
function bandReducedNear(st: usize, z: i32, y: i32, line: usize): i32 { return bandLine(st, z, y, line, false, true); }

/** The flight configuration's hot path, bit-exact with bandLine(full, lossless): P = 3, full
 *  prediction, wide neighbour-oriented local sums, no weight exponent offsets, a band z ≥ 3
 *  (P*_z = 3) of a line y > 0. T is the sample word (u16, or i16 for signed samples). The six
 *  weights, the neighbours and the interband differences live in locals along the line.
 *  V is the width of the §4.7.2 register arithmetic: i32 when R = 32, where the wrap mod*_R keeps
 *  the low 32 bits of d̂ + (σ − 4s_mid)·2^Ω and wrapping 32-bit products and sums give exactly
 *  those bits (no 64-bit multiply, no sign extensions); i64 for R > 32. Unsigned samples have
 *  s_min = 0 (a constant, one register fewer). */
function bandFullLosslessP3<T, V>(st: usize, z: i32, y: i32, line: usize): i32 {
  const nx = gi(st, S_NX), omega = gi(st, S_OMEGA);
  const smin = isSigned<T>() ? gi(st, S_SMIN) : 0, smax = gi(st, S_SMAX), smid = gi(st, S_SMID);
  const d = gi(st, S_D);
  const numin = gi(st, S_NU_MIN), numax = gi(st, S_NU_MAX), tinc = gi(st, S_TINC_LOG);
  const rshift = <i64>(64 - gi(st, S_R));
  const nxz = <usize>(nx << 2);
  const lineOdd = (y & 1) != 0;
  const cur = (lineOdd ? gp(st, S_REP1) : gp(st, S_REP0)) + <usize>z * nxz;
  const prev = (lineOdd ? gp(st, S_REP0) : gp(st, S_REP1)) + <usize>z * nxz;
  // §4.5 central differences of bands z−3, z−2, z−1 and z of column x: four consecutive words
  // (pixel-major layout, see bandLine), one address stream with constant offsets
  const nz4 = <usize>(gi(st, S_NZ) << 2);
  const dq = gp(st, S_DC) + (<usize>(z - 3) << 2);
  const wp = gp(st, S_W) + <usize>(z * gi(st, S_CMAX) * 4);
  const src = line + <usize>(z * nx * 2);
  const dst = gi(st, S_ORDER) == 1 ? gp(st, S_DBUF) + (<usize>z * <usize>gi(st, S_NY) + <usize>y) * <usize>(nx * 2)
                                   : gp(st, S_DBUF) + <usize>(z * nx * 2);
  // §4.7.2 constants: the high-resolution offset and its clipping range, s_mid term of the sum
  const hrOff = ((<i64>smid) << (omega + 2)) + ((<i64>1) << (omega + 1));
  const hrLo = (<i64>smin) << (omega + 2), hrHi = ((<i64>smax) << (omega + 2)) + ((<i64>1) << (omega + 1));
  const mid4 = 4 * smid;
  const sh1r = omega + 1;
  const rhoBase = d - omega;
  const wmax = (1 << (omega + 2)) - 1, wmin = -(1 << (omega + 2)), wsh = <u32>(omega + 3);
  // §4.6 weight vector: directional N, W, NW, then bands z−1, z−2, z−3
  let w0 = load<i32>(wp), w1 = load<i32>(wp, 4), w2 = load<i32>(wp, 8);
  let w3 = load<i32>(wp, 12), w4 = load<i32>(wp, 16), w5 = load<i32>(wp, 20);
  const tBase = y * nx - nx;                                     // t − Nx at x = 0 (≥ 0 here)
  const last = nx - 1;
  let sW = 0, sNW = 0;                                           // s''(x−1, y), s''(x−1, y−1)
  let sN = load<i32>(prev);                                      // s''(x, y−1)
  let x = 0, bad = 0;
  while (x < nx) {
    // §4.10.2 ρ(t) is constant while ⌊(t − Nx)/t_inc⌋ is: one run of x at a time
    const k = (tBase + x) >> tinc;
    let xEnd = ((k + 1) << tinc) - tBase;
    if (xEnd > nx) xEnd = nx;
    let rho = numin + k;
    rho = (rho < numin ? numin : (rho > numax ? numax : rho)) + rhoBase;
    const lsh = -rho, half = rho >= 0 ? 1 << rho : 0, rsh = rho + 1;
    for (; x < xEnd; x++) {
      const xo = <usize>(x << 2);
      const s = <i32>load<T>(src + <usize>(x << 1));
      bad |= s - smin;                                             // bits ≥ D: s outside [smin, smax]
      // §4.4 wide neighbour-oriented local sum, y > 0; §4.5 directional local differences
      let sigma: i32, dN: i32, dW: i32, dNW: i32;
      const n0 = sN;
      if (x == 0) {
        const ne = load<i32>(prev, 4);
        sigma = 2 * (n0 + ne);
        dN = 4 * n0 - sigma; dW = dN; dNW = dN;
        sN = ne;
      } else {
        if (x == last) sigma = sW + sNW + 2 * n0;
        else { const ne = load<i32>(prev + xo, 4); sigma = sW + sNW + n0 + ne; sN = ne; }
        dN = 4 * n0 - sigma; dW = 4 * sW - sigma; dNW = 4 * sNW - sigma;
      }
      sNW = n0;
      const dqx = dq + <usize>x * nz4;
      const u3 = load<i32>(dqx), u2 = load<i32>(dqx, 4), u1 = load<i32>(dqx, 8);
      store<i32>(cur + xo, s);
      store<i32>(dqx, 4 * s - sigma, 12);                          // §4.5 central local difference
      sW = s;
      // §4.7.1 predicted central local difference d̂ = Wᵀ U
      // §4.7.2 high-resolution predicted sample with the R-bit register wrap mod*_R, clipped
      let v: i64;
      if (sizeof<V>() == 4) {
        v = <i64>(w0 * dN + w1 * dW + w2 * dNW + w3 * u1 + w4 * u2 + w5 * u3 + ((sigma - mid4) << omega));
      } else {
        const dhat = <i64>w0 * dN + <i64>w1 * dW + <i64>w2 * dNW + <i64>w3 * u1 + <i64>w4 * u2 + <i64>w5 * u3;
        v = dhat + ((<i64>(sigma - mid4)) << omega);
        v = (v << rshift) >> rshift;
      }
      let hr = v + hrOff;
      hr = hr < hrLo ? hrLo : (hr > hrHi ? hrHi : hr);
      const stl = <i32>(hr >> sh1r);                               // §4.7.3 s̃z(t)
      const sh = stl >> 1;                                         // §4.7.4 ŝz(t)
      const q = s - sh;                                            // §4.8.1 lossless: q = Δz(t)
      // §4.11 mapped quantizer index δz(t)
      const th0 = sh - smin, th1 = smax - sh;
      const th = th0 < th1 ? th0 : th1;
      const aq = q < 0 ? -q : q;
      const qs = (stl & 1) == 0 ? q : -q;
      const dm = aq > th ? aq + th : (qs >= 0 ? 2 * aq : 2 * aq - 1);
      store<u16>(dst + <usize>(x << 1), <u16>dm);
      // §4.10 weight update: e = 2s' − s̃ (§4.10.1), a = sign(e)·u
      const sgn = (2 * s - stl) >> 31;                             // −1 when e < 0, else 0
      if (rho >= 0) {
        // (±u + 2^ρ) >> (ρ+1): for −u, ⌊(2^ρ − u)/2^(ρ+1)⌋ = ~((u − 2^ρ − 1) >> (ρ+1)), and
        // −2^ρ − 1 = ~2^ρ: so ((u + (2^ρ ^ sgn)) >> (ρ+1)) ^ sgn for both signs
        const hs = half ^ sgn;
        w0 += ((dN + hs) >> rsh) ^ sgn; w1 += ((dW + hs) >> rsh) ^ sgn; w2 += ((dNW + hs) >> rsh) ^ sgn;
        w3 += ((u1 + hs) >> rsh) ^ sgn; w4 += ((u2 + hs) >> rsh) ^ sgn; w5 += ((u3 + hs) >> rsh) ^ sgn;
      } else {
        const a0 = (dN ^ sgn) - sgn, a1 = (dW ^ sgn) - sgn, a2 = (dNW ^ sgn) - sgn;
        const a3 = (u1 ^ sgn) - sgn, a4 = (u2 ^ sgn) - sgn, a5 = (u3 ^ sgn) - sgn;
        w0 += ((a0 << lsh) + 1) >> 1; w1 += ((a1 << lsh) + 1) >> 1; w2 += ((a2 << lsh) + 1) >> 1;
        w3 += ((a3 << lsh) + 1) >> 1; w4 += ((a4 << lsh) + 1) >> 1; w5 += ((a5 << lsh) + 1) >> 1;
      }
      // §4.10.4 clipping to [ω_min, ω_max] = [−2^(Ω+2), 2^(Ω+2) − 1], rarely needed: one test for
      // all six, ω − ω_min < 2^(Ω+3) (unsigned) for each
      if ((<u32>((w0 - wmin) | (w1 - wmin) | (w2 - wmin) | (w3 - wmin) | (w4 - wmin) | (w5 - wmin)) >> wsh) != 0) {
        w0 = w0 < wmin ? wmin : (w0 > wmax ? wmax : w0); w1 = w1 < wmin ? wmin : (w1 > wmax ? wmax : w1);
        w2 = w2 < wmin ? wmin : (w2 > wmax ? wmax : w2); w3 = w3 < wmin ? wmin : (w3 > wmax ? wmax : w3);
        w4 = w4 < wmin ? wmin : (w4 > wmax ? wmax : w4); w5 = w5 < wmin ? wmin : (w5 > wmax ? wmax : w5);
      }
    }
  }
  // §4.2 a sample out of range: nothing of this band kept that a later push would read without
  // rewriting it first; the general path redoes the band and stops where the original stops
  if ((<u32>bad >> <u32>d) != 0) return bandFullLossless(st, z, y, line);
  store<i32>(wp, w0); store<i32>(wp, w1, 4); store<i32>(wp, w2, 8);
  store<i32>(wp, w3, 12); store<i32>(wp, w4, 16); store<i32>(wp, w5, 20);
  return 0;
}

/** §4.8.2.3 periodic error-limit updating: sets the limits for the update period that starts at
 *  the next line (call before every 2^u-th line, first line included). absPtr / relPtr: u16
 *  values, one (band-independent) or Nz (band-dependent), for the limits in use (else 0).
 *  They are coded in the body ahead of that line's codewords (§5.4.3.1). */
export function hypSetLimits(st: usize, absPtr: usize, relPtr: usize): i32 {
  if (st == 0) return E_NULL;
  if (gi(st, S_MAGIC) != MAGIC) return E_HYP_BAD_STATE;
  const pu = gi(st, S_PU), y = gi(st, S_Y), nz = gi(st, S_NZ), fid = gi(st, S_FID);
  if (pu < 0 || (y & ((1 << pu) - 1)) != 0 || y >= gi(st, S_NY) || gi(st, S_LIM_N) > gi(st, S_LIM_POS)) return E_HYP_BAD_STATE;
  const useAbs = fid == 1 || fid == 3, useRel = fid >= 2;
  if ((useAbs && absPtr == 0) || (useRel && relPtr == 0)) return E_NULL;
  const na = useAbs ? (gi(st, S_ADEP) != 0 ? nz : 1) : 0, nr = useRel ? (gi(st, S_RDEP) != 0 ? nz : 1) : 0;
  const amax = (1 << gi(st, S_ABITS)) - 1, rmax = (1 << gi(st, S_RBITS)) - 1;
  for (let i = 0; i < na; i++) if (<i32>load<u16>(absPtr + (<usize>i << 1)) > amax) return E_HYP_BAD_PARAM;
  for (let i = 0; i < nr; i++) if (<i32>load<u16>(relPtr + (<usize>i << 1)) > rmax) return E_HYP_BAD_PARAM;
  const buf = gp(st, S_LIM_PTR), ma = gp(st, S_MABS), mr = gp(st, S_MREL);
  for (let i = 0; i < na; i++) store<u16>(buf + (<usize>i << 1), load<u16>(absPtr + (<usize>i << 1)));
  for (let i = 0; i < nr; i++) store<u16>(buf + (<usize>(na + i) << 1), load<u16>(relPtr + (<usize>i << 1)));
  for (let z = 0; z < nz; z++) {
    const zo = <usize>(z << 2);
    if (useAbs) store<i32>(ma + zo, <i32>load<u16>(absPtr + (<usize>(na == 1 ? 0 : z) << 1)));
    else store<i32>(ma + zo, 0x7FFFFFFF);
    if (useRel) store<i32>(mr + zo, <i32>load<u16>(relPtr + (<usize>(nr == 1 ? 0 : z) << 1)));
  }
  si(st, S_LIM_NABS, na); si(st, S_LIM_N, 0); si(st, S_LIM_POS, 0);
  si(st, S_LIM_FRESH, na + nr);
  return 0;
}

/** Pushes one line: Nz × Nx samples, BIL (band-major), 16-bit little-endian words (two's
 *  complement when signed). Returns 0, or E_HYP_BAD_SAMPLE / E_HYP_BAD_STATE. For BI output
 *  the line's codewords must be drained (hypDrain) before the next push. */
export function hypPushLine(st: usize, line: usize): i32 {
  if (st == 0 || line == 0) return E_NULL;
  if (gi(st, S_MAGIC) != MAGIC) return E_HYP_BAD_STATE;
  const y = gi(st, S_Y), ny = gi(st, S_NY), nz = gi(st, S_NZ);
  if (y >= ny || gi(st, S_PENDING) != 0 || gi(st, S_TOTAL) == 0) return E_HYP_BAD_STATE;
  const pu = gi(st, S_PU);
  if (pu >= 0) {
    // §4.8.2.3: a new period needs its limits; they go out ahead of this line's codewords
    if ((y & ((1 << pu) - 1)) == 0) {
      if (gi(st, S_LIM_FRESH) == 0) return E_HYP_BAD_STATE;
      si(st, S_LIM_N, gi(st, S_LIM_FRESH)); si(st, S_LIM_POS, 0); si(st, S_LIM_FRESH, 0);
    } else { si(st, S_LIM_N, 0); si(st, S_LIM_POS, 0); }
  }
  const full = gi(st, S_REDUCED) == 0, near = gi(st, S_NEAR) != 0;
  // the flight configuration (P = 3, full, lossless, wide neighbour-oriented, no offsets)
  const fastP3 = full && !near && y > 0 && gi(st, S_P) == 3 && gi(st, S_LSUM) == 0 && gi(st, S_WEO) == 0;
  const signed = gi(st, S_SIGNED) != 0, r32 = gi(st, S_R) == 32;
  for (let z = 0; z < nz; z++) {
    let r: i32;
    if (fastP3 && z >= 3) {
      if (r32) r = signed ? bandFullLosslessP3<i16, i32>(st, z, y, line) : bandFullLosslessP3<u16, i32>(st, z, y, line);
      else r = signed ? bandFullLosslessP3<i16, i64>(st, z, y, line) : bandFullLosslessP3<u16, i64>(st, z, y, line);
    }
    else if (full) r = near ? bandFullNear(st, z, y, line) : bandFullLossless(st, z, y, line);
    else r = near ? bandReducedNear(st, z, y, line) : bandReducedLossless(st, z, y, line);
    if (r < 0) return r;
  }
  si(st, S_Y, y + 1);
  if (gi(st, S_ORDER) == 0) { si(st, S_PENDING, 1); si(st, S_EY, y); si(st, S_EA, 0); si(st, S_EB, 0); si(st, S_EC, 0); }
  else if (y + 1 == ny) { si(st, S_PENDING, 1); si(st, S_EA, 0); si(st, S_EB, 0); }
  return 0;
}

// ---- sample-adaptive entropy coder (§5.4.3.2) ----

/** Emits pending codewords into out[0..cap): returns the bytes written (≥ 0; any cap works,
 *  one byte too). Call until hypPending() is 0 (and, after the last line, until hypDone() is
 *  1: the last call flushes the fill bits that pad the image to whole B-byte words, §5.4.3.1). */
export function hypDrain(st: usize, out: usize, cap: i32): i32 {
  if (st == 0 || (out == 0 && cap != 0)) return E_NULL;
  if (gi(st, S_MAGIC) != MAGIC) return E_HYP_BAD_STATE;
  if (cap < 0) return E_HYP_BAD_PARAM;
  let o = out;
  const end = out + <usize>cap;
  o = unstage(st, o, end);
  if (gi(st, S_STAGE_LEN) != 0) return <i32>(o - out);
  const ba = gi(st, S_CODER) == 2, hyb = gi(st, S_CODER) == 1;
  if (ba) o = codeBA(st, o, end);
  else if (hyb) { if (end - o >= 32) o = codeHyb(st, o, end); }
  else if (end - o >= 16) o = code(st, o, end);
  if (o < end && (gi(st, S_PENDING) != 0 || (gi(st, S_Y) == gi(st, S_NY) && gi(st, S_DONE) == 0))) {
    // little room left: code into the stage and hand out what fits
    const stage = st + S_STAGE;
    const n = <i32>((ba ? codeBA(st, stage, stage + STAGE_CAP_BA) : (hyb ? codeHyb(st, stage, stage + 64) : code(st, stage, stage + STAGE_CAP))) - stage);
    if (n < 0) return n;
    si(st, S_STAGE_OFF, 0); si(st, S_STAGE_LEN, n);
    o = unstage(st, o, end);
  }
  return <i32>(o - out);
}

function unstage(st: usize, o: usize, end: usize): usize {
  let len = gi(st, S_STAGE_LEN), off = gi(st, S_STAGE_OFF);
  while (len > 0 && o < end) { store<u8>(o, load<u8>(st + S_STAGE + <usize>off)); o++; off++; len--; }
  si(st, S_STAGE_LEN, len); si(st, S_STAGE_OFF, off);
  return o;
}

// ---- hybrid entropy coder (§5.4.3.3) ----
// Trie entries of hybrid-tables.ts: a leaf (complete input codeword) has HYB_LEAF set and holds
// its output word as (length << HYB_LEN_SHIFT) | bits; a flush word has the same packing.
const HYB_LEAF: u32 = 0x80000000;
const HYB_LEN_SHIFT: u32 = 24;
const HYB_LEN_MASK: u32 = 0x7F;
const HYB_BITS_MASK: u32 = 0xFFFFFF;
// The bit writer lives in globals while codeHyb runs (one image at a time).
let hAcc: u64 = 0, hN: i32 = 0, hO: usize = 0;
@inline function hPut(v: u32, len: i32): void {
  hAcc = (hAcc << len) | <u64>v; hN += len;
  if (hN >= 32) { hN -= 32; store<u32>(hO, bswap<u32>(<u32>(hAcc >> hN))); hO += 4; }
}

/** One mapped index δz(t) of the hybrid coder, t > 0: accumulator update (with the rescaling
 *  bit), then a high-entropy reversed GPO2 codeword or a symbol of a low-entropy code. */
@inline function hybSample(st: usize, z: i32, dm: i32, d: i32, umax: i32, glim: i32, kcap: i32): void {
  const zo = <usize>(z << 2);
  const sp = gp(st, S_SIGMA) + zo, gpz = gp(st, S_GAMMA) + zo;
  let sig = load<i32>(sp), gam = load<i32>(gpz);
  // §5.4.3.3.2 accumulator and counter, the current index included
  if (gam == glim) { hPut(<u32>(sig & 1), 1); sig = (sig + 4 * dm + 1) >> 1; gam = (gam + 1) >> 1; }
  else { sig += 4 * dm; gam++; }
  store<i32>(sp, sig); store<i32>(gpz, gam);
  const s14 = (<i64>sig) << 14;
  if (s14 >= <i64>load<u32>(HYB_THRESHOLD) * gam) {
    // §5.4.3.3.3 high-entropy: k = min(⌊log2((Σ̃ + ⌊49Γ/2^5⌋)/Γ)⌋ − 2, max(D − 2, 2))
    const val = <u64>sig + <u64>((49 * gam) >> 5);
    let kk = <i32>clz<u64>(<u64>gam) - <i32>clz<u64>(val);
    if ((<u64>gam << kk) > val) kk--;
    let k = kk - 2;
    if (k > kcap) k = kcap;
    const u = dm >> k;
    if (u < umax) { hPut(<u32>(((dm & ((1 << k) - 1)) << 1) | 1), k + 1); hPut(0, u); }  // reversed GPO2
    else { hPut(<u32>dm, d); hPut(0, umax); }
  } else {
    // §5.4.3.3.4 low-entropy: code i, the largest with Σ̃·2^14 < T_i·Γ
    let i = 15;
    while (s14 >= <i64>load<u32>(HYB_THRESHOLD + (<usize>i << 2)) * gam) i--;
    const lim = <i32>load<u8>(HYB_LIMIT + <usize>i);
    let sym = dm;
    if (dm > lim) {
      sym = lim + 1;                                             // escape X, residual reversed GPO2 k = 0
      const r = dm - lim - 1;
      if (r < umax) { hPut(1, 1); hPut(0, r); } else { hPut(<u32>r, d); hPut(0, umax); }
    }
    const np = st + S_HYB_NODE + (<usize>i << 2);
    const node = load<i32>(np);
    const e = load<u32>(HYB_TABLE + (<usize>(node + 1 + sym) << 2));
    if ((e & HYB_LEAF) != 0) {
      hPut((e & HYB_BITS_MASK), <i32>((e >> HYB_LEN_SHIFT) & HYB_LEN_MASK)); // complete input codeword: its output word
      store<i32>(np, <i32>load<u32>(HYB_ROOT + (<usize>i << 2)));
    } else store<i32>(np, <i32>e);
  }
}

/** Hybrid coding of the pending indices in encoding order, then (after the last line) the
 *  image tail: the 16 flush words and the final accumulators (§5.4.3.3.5). */
function codeHyb(st: usize, out: usize, end: usize): usize {
  hAcc = load<u64>(st + S_ACC); hN = gi(st, S_NBITS); hO = out;
  const nx = gi(st, S_NX), ny = gi(st, S_NY), nz = gi(st, S_NZ), d = gi(st, S_D);
  const umax = gi(st, S_UMAX), gstar = gi(st, S_GSTAR), glim = (1 << gstar) - 1, kcap = d - 2 > 2 ? d - 2 : 2;
  const dbuf = gp(st, S_DBUF);
  let limStop = false;
  if (gi(st, S_PENDING) != 0 && gi(st, S_LIM_N) > gi(st, S_LIM_POS)) {
    let i = gi(st, S_LIM_POS);
    const nl = gi(st, S_LIM_N), na = gi(st, S_LIM_NABS), ab = gi(st, S_ABITS), rb = gi(st, S_RBITS), lb = gp(st, S_LIM_PTR);
    for (; i < nl; i++) {
      if (hO + 32 > end) { limStop = true; break; }
      hPut(<u32>load<u16>(lb + (<usize>i << 1)), i < na ? ab : rb);
    }
    si(st, S_LIM_POS, i);
  }
  if (gi(st, S_PENDING) != 0 && !limStop) {
    let stop = false;
    if (gi(st, S_ORDER) == 1) {
      let z = gi(st, S_EA), t = gi(st, S_EB);
      const nt = nx * ny;
      for (; z < nz; z++) {
        const src = dbuf + <usize>z * <usize>nt * 2;
        for (; t < nt; t++) {
          if (hO + 32 > end) { stop = true; break; }
          const dm = <i32>load<u16>(src + (<usize>t << 1));
          if (t == 0) hPut(<u32>dm, d); else hybSample(st, z, dm, d, umax, glim, kcap);
        }
        if (stop) break;
        t = 0;
      }
      si(st, S_EA, z); si(st, S_EB, t);
    } else {
      const mm = gi(st, S_M), y = gi(st, S_EY), t0 = y * nx;
      let g = gi(st, S_EA), x = gi(st, S_EB), z = gi(st, S_EC);
      for (; g < nz; g += mm) {
        const gend = g + mm < nz ? g + mm : nz;
        if (z < g) z = g;
        for (; x < nx; x++) {
          for (; z < gend; z++) {
            if (hO + 32 > end) { stop = true; break; }
            const dm = <i32>load<u16>(dbuf + (<usize>(z * nx + x) << 1));
            if (t0 + x == 0) hPut(<u32>dm, d); else hybSample(st, z, dm, d, umax, glim, kcap);
          }
          if (stop) break;
          z = g;
        }
        if (stop) break;
        x = 0; z = g + mm;
      }
      si(st, S_EA, g); si(st, S_EB, x); si(st, S_EC, z);
    }
    if (!stop) si(st, S_PENDING, 0);
  }
  if (gi(st, S_PENDING) == 0 && gi(st, S_Y) == ny && gi(st, S_DONE) == 0) {
      // §5.4.3.3.5 image tail: flush word of each code's active prefix, Σ̃z in 2 + D + γ* bits, a '1'
    let item = gi(st, S_HYB_TAIL);
    for (; item < 16 + nz; item++) {
      if (hO + 32 > end) break;
      if (item < 16) {
        const fl = load<u32>(HYB_TABLE + (<usize>load<i32>(st + S_HYB_NODE + (<usize>item << 2)) << 2));
        hPut((fl & HYB_BITS_MASK), <i32>((fl >> HYB_LEN_SHIFT) & HYB_LEN_MASK));
      } else hPut(<u32>load<i32>(gp(st, S_SIGMA) + (<usize>(item - 16) << 2)), 2 + d + gstar);
    }
    si(st, S_HYB_TAIL, item);
    if (item == 16 + nz && hO + 32 <= end) {
      hPut(1, 1);                                                // the tail ends with a '1' bit
      while (hN >= 8) { hN -= 8; store<u8>(hO, <u8>(hAcc >> hN)); hO++; }
      if (hN > 0) { store<u8>(hO, <u8>(hAcc << (8 - hN))); hO++; hN = 0; }
      const b = gi(st, S_B);
      let total = gi(st, S_TOTAL) + <i32>(hO - out);
      while (total % b != 0) { store<u8>(hO, 0); hO++; total++; }
      si(st, S_DONE, 1);
    }
  }
  store<u64>(st + S_ACC, hAcc);
  si(st, S_NBITS, hN);
  si(st, S_TOTAL, gi(st, S_TOTAL) + <i32>(hO - out));
  return hO;
}

/** Block-adaptive coding (§5.4.3.4): the pending mapped indices, in encoding order, go to the
 *  CCSDS 121 coder in runs as long as the room allows; after the last line, the final block is
 *  completed with zeros, the coder closed and the image padded to whole B-byte words. */
function codeBA(st: usize, out: usize, end: usize): usize {
  let o = out;
  const aec = gp(st, S_AEC);
  const nx = gi(st, S_NX), ny = gi(st, S_NY), nz = gi(st, S_NZ);
  if (gi(st, S_PENDING) != 0) {
    let src: usize, count: i32;
    if (gi(st, S_ORDER) == 1) { src = gp(st, S_DBUF); count = nx * ny * nz; }
    else {
      count = nx * nz;
      const mm = gi(st, S_M);
      src = gp(st, S_DBUF);
      if (mm > 1) {
        const dst = gp(st, S_BAORD);
        if (gi(st, S_EB) == 0) {
          // §5.4.2.2 band-interleaved order: groups of M bands, x outer, band inner
          let i = 0;
          for (let g = 0; g < nz; g += mm) {
            const ge = g + mm < nz ? g + mm : nz;
            for (let x = 0; x < nx; x++) for (let z = g; z < ge; z++) { store<u16>(dst + (<usize>i << 1), load<u16>(src + (<usize>(z * nx + x) << 1))); i++; }
          }
        }
        src = dst;
      }
    }
    // §5.4.3.4 periodic error limits go to the 121 coder ahead of the line's indices
    let lp = gi(st, S_LIM_POS);
    const ln = gi(st, S_LIM_N);
    while (lp < ln) {
      let chunk = ln - lp;
      while (chunk > 0 && <usize>aecMaxOutLen(aec, chunk) > end - o) chunk >>= 1;
      if (chunk == 0) break;
      const nw = aecEncode16(aec, gp(st, S_LIM_PTR) + (<usize>lp << 1), chunk, o, <i32>(end - o));
      if (nw < 0) break;
      o += <usize>nw; lp += chunk;
      si(st, S_FED, gi(st, S_FED) + chunk);
    }
    si(st, S_LIM_POS, lp);
    let pos = lp < ln ? count : gi(st, S_EB);
    if (lp < ln) { si(st, S_TOTAL, gi(st, S_TOTAL) + <i32>(o - out)); return o; }
    while (pos < count) {
      let chunk = count - pos < 4096 ? count - pos : 4096;
      while (chunk > 0 && <usize>aecMaxOutLen(aec, chunk) > end - o) chunk >>= 1;
      if (chunk == 0) break;
      const n = aecEncode16(aec, src + (<usize>pos << 1), chunk, o, <i32>(end - o));
      if (n < 0) break;
      o += <usize>n; pos += chunk;
      si(st, S_FED, gi(st, S_FED) + chunk);
    }
    si(st, S_EB, pos);
    if (pos == count) { si(st, S_PENDING, 0); si(st, S_EB, 0); }
  }
  if (gi(st, S_PENDING) == 0 && gi(st, S_Y) == ny && gi(st, S_DONE) == 0) {
    const j = gi(st, S_BAJ), fed = gi(st, S_FED);
    const fill = (j - fed % j) % j;
    const zeros = st + S_STAGE + <usize>STAGE_CAP_BA;        // 128 zero bytes after the stage
    for (let i = 0; i < 128; i++) store<u8>(zeros + <usize>i, 0);
    if (<usize>aecMaxOutLen(aec, fill) + 8 <= end - o) {
      if (fill > 0) { const n = aecEncode16(aec, zeros, fill, o, <i32>(end - o)); if (n >= 0) o += <usize>n; }
      const n = aecEndUnit(aec, o, <i32>(end - o));
      if (n >= 0) {
        o += <usize>n;
        const b = gi(st, S_B);
        let total = gi(st, S_TOTAL) + <i32>(o - out);
        while (total % b != 0) { store<u8>(o, 0); o++; total++; }
        si(st, S_DONE, 1);
      }
    }
  }
  si(st, S_TOTAL, gi(st, S_TOTAL) + <i32>(o - out));
  return o;
}

/** The coding loop: writes codewords to [o, end) while 16 bytes are free; returns the new o. */
function code(st: usize, out: usize, end: usize): usize {
  let o = out;
  let acc = load<u64>(st + S_ACC);
  let n = gi(st, S_NBITS);
  const nx = gi(st, S_NX), ny = gi(st, S_NY), nz = gi(st, S_NZ), d = gi(st, S_D);
  const umax = gi(st, S_UMAX), glim = (1 << gi(st, S_GSTAR)) - 1, kmax = d - 2;
  const sg = gp(st, S_SIGMA), gg = gp(st, S_GAMMA), dbuf = gp(st, S_DBUF);
  let limStop = false;
  if (gi(st, S_PENDING) != 0 && gi(st, S_LIM_N) > gi(st, S_LIM_POS)) {
    // §5.4.3.1 periodic error limits, D_A / D_R bits each, ahead of the line
    let i = gi(st, S_LIM_POS);
    const nl = gi(st, S_LIM_N), na = gi(st, S_LIM_NABS), ab = gi(st, S_ABITS), rb = gi(st, S_RBITS), lb = gp(st, S_LIM_PTR);
    for (; i < nl; i++) {
      if (o + 16 > end) { limStop = true; break; }
      const bits = i < na ? ab : rb;
      acc = (acc << bits) | <u64>load<u16>(lb + (<usize>i << 1)); n += bits;
      if (n >= 32) { n -= 32; store<u32>(o, bswap<u32>(<u32>(acc >> n))); o += 4; }
    }
    si(st, S_LIM_POS, i);
  }
  if (gi(st, S_PENDING) != 0 && !limStop) {
    const bsq = gi(st, S_ORDER) == 1;
    if (bsq || gi(st, S_M) == 1) {
      // BSQ: band by band, t = 0 .. NxNy − 1; BIL (M = 1): band by band along the line
      let z = gi(st, S_EA), t = gi(st, S_EB);
      const nt = bsq ? nx * ny : nx;
      const t0 = bsq ? 0 : gi(st, S_EY) * nx;
      let stop = false;
      for (; z < nz; z++) {
        let sigma = load<i32>(sg + <usize>(z << 2)), gamma = load<i32>(gg + <usize>(z << 2));
        const src = dbuf + <usize>z * <usize>nt * 2;
        while (t < nt) {
          if (o + 16 > end) { stop = true; break; }
          if (t0 + t == 0) {
            acc = (acc << d) | <u64>load<u16>(src); n += d;        // §5.4.3.2.1: δz(0) in D bits
            if (n >= 32) { n -= 32; store<u32>(o, bswap<u32>(<u32>(acc >> n))); o += 4; }
            t++;
            continue;
          }
          // a run of codewords that all find the 16 free bytes: each writes at most 8
          const room = (end - o - 16) >> 3;
          const tEnd = <usize>(nt - t) <= room ? nt : t + <i32>room + 1;
          for (; t < tEnd; t++) {
            const dm = <i32>load<u16>(src + (<usize>t << 1));
            // §5.4.3.2.3 code selection: largest k ≤ D−2 with Γ·2^k ≤ Σ + ⌊49Γ/2^7⌋
            // (branch-free: a negative bit-length difference leaves k < 0, clipped to 0 below)
            const lim = sigma + ((49 * gamma) >> 7);
            let k = <i32>clz<u32>(gamma) - <i32>clz<u32>(lim);
            k -= <i32>((<u32>gamma << (<u32>k & 31)) > <u32>lim);
            k = k < 0 ? 0 : (k > kmax ? kmax : k);
            const u = dm >> k;
            if (u < umax) {
              const len = u + 1 + k;
              const val = <u64>((1 << k) | (dm & ((1 << k) - 1)));
              if (len <= 32) { acc = (acc << len) | val; n += len; }
              else {
                acc <<= u; n += u;
                if (n >= 32) { n -= 32; store<u32>(o, bswap<u32>(<u32>(acc >> n))); o += 4; }
                acc = (acc << (k + 1)) | val; n += k + 1;
              }
            } else {
              acc <<= umax; n += umax;
              if (n >= 32) { n -= 32; store<u32>(o, bswap<u32>(<u32>(acc >> n))); o += 4; }
              acc = (acc << d) | <u64>dm; n += d;
            }
            // §5.4.3.2.2 adaptation
            if (gamma < glim) { sigma += dm; gamma++; }
            else { sigma = (sigma + dm + 1) >> 1; gamma = (gamma + 1) >> 1; }
            // whole 32-bit word out when n ≥ 32, without a branch: the word is always stored, o
            // only moves on when it is complete (a partial word is rewritten later)
            const f = n >> 5;
            n -= f << 5;
            store<u32>(o, bswap<u32>(<u32>(acc >> <u64>n)));
            o += <usize>(f << 2);
          }
        }
        store<i32>(sg + <usize>(z << 2), sigma); store<i32>(gg + <usize>(z << 2), gamma);
        if (stop) break;
        t = 0;
      }
      si(st, S_EA, z); si(st, S_EB, t);
      if (!stop) si(st, S_PENDING, 0);
    } else {
      // BI: bands in groups of M; in each group, x outer and band inner (§5.4.2.2)
      const mm = gi(st, S_M), y = gi(st, S_EY), t0 = y * nx;
      let g = gi(st, S_EA), x = gi(st, S_EB), z = gi(st, S_EC);
      let stop = false;
      for (; g < nz; g += mm) {
        const gend = g + mm < nz ? g + mm : nz;
        if (z < g) z = g;
        for (; x < nx; x++) {
          const t = t0 + x;
          for (; z < gend; z++) {
            if (o + 16 > end) { stop = true; break; }
            const dm = <i32>load<u16>(dbuf + (<usize>(z * nx + x) << 1));
            if (t == 0) {
              acc = (acc << d) | <u64>dm; n += d;
            } else {
              const zo = <usize>(z << 2);
              let sigma = load<i32>(sg + zo), gamma = load<i32>(gg + zo);
              const lim = sigma + ((49 * gamma) >> 7);
              let k = 0;
              if (2 * gamma <= lim) {
                k = <i32>clz<u32>(gamma) - <i32>clz<u32>(lim);
                if ((gamma << k) > lim) k--;
                if (k > kmax) k = kmax;
              }
              const u = dm >> k;
              if (u < umax) {
                const len = u + 1 + k;
                const val = <u64>((1 << k) | (dm & ((1 << k) - 1)));
                if (len <= 32) { acc = (acc << len) | val; n += len; }
                else {
                  acc <<= u; n += u;
                  if (n >= 32) { n -= 32; store<u32>(o, bswap<u32>(<u32>(acc >> n))); o += 4; }
                  acc = (acc << (k + 1)) | val; n += k + 1;
                }
              } else {
                acc <<= umax; n += umax;
                if (n >= 32) { n -= 32; store<u32>(o, bswap<u32>(<u32>(acc >> n))); o += 4; }
                acc = (acc << d) | <u64>dm; n += d;
              }
              if (gamma < glim) { sigma += dm; gamma++; }
              else { sigma = (sigma + dm + 1) >> 1; gamma = (gamma + 1) >> 1; }
              store<i32>(sg + zo, sigma); store<i32>(gg + zo, gamma);
            }
            if (n >= 32) { n -= 32; store<u32>(o, bswap<u32>(<u32>(acc >> n))); o += 4; }
          }
          if (stop) break;
          z = g;
        }
        if (stop) break;
        x = 0;
        z = g + mm;
      }
      si(st, S_EA, g); si(st, S_EB, x); si(st, S_EC, z);
      if (!stop) si(st, S_PENDING, 0);
    }
  }
  // after the last line: whole bytes out, then fill to a multiple of B bytes (§5.4.3.1)
  if (gi(st, S_PENDING) == 0 && gi(st, S_Y) == ny && gi(st, S_DONE) == 0 && o + 16 <= end) {
    while (n >= 8) { n -= 8; store<u8>(o, <u8>(acc >> n)); o++; }
    if (n > 0) { store<u8>(o, <u8>(acc << (8 - n))); o++; n = 0; }
    const b = gi(st, S_B);
    let total = gi(st, S_TOTAL) + <i32>(o - out);
    while (total % b != 0) { store<u8>(o, 0); o++; total++; }
    si(st, S_DONE, 1);
  }
  store<u64>(st + S_ACC, acc);
  si(st, S_NBITS, n);
  si(st, S_TOTAL, gi(st, S_TOTAL) + <i32>(o - out));
  return o;
}

/** 1 while codewords wait to be drained, 0 otherwise. */
export function hypPending(st: usize): i32 { return gi(st, S_PENDING); }
/** 1 once the whole image is compressed and flushed. */
export function hypDone(st: usize): i32 { return gi(st, S_DONE) != 0 && gi(st, S_STAGE_LEN) == 0 ? 1 : 0; }
/** Bytes emitted so far, header included. */
export function hypTotal(st: usize): i32 { return gi(st, S_TOTAL); }
export { PRM_COUNT };
