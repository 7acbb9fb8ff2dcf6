// Reed-Solomon decoding of 131.0-B-5 §4 (RS(255,223) E=16 and RS(255,239) E=8) in the
// Berlekamp dual basis, written for the ground independently of the flight encoder.
//
// Clean codewords are recognised fast: the remainder c(x)·x^2E mod g(x) is computed eight
// symbols at a time with per-position tables that already fold in the dual-basis conversion
// (every step is GF(2)-linear), and a zero remainder means a valid codeword. Otherwise the
// syndromes come from that remainder (32 evaluations of a degree-31 polynomial instead of 255),
// then Berlekamp–Massey, a Chien search limited to the transmitted (shortened) length, Forney,
// and a re-check of the corrected codeword before it is accepted.

/** Field polynomial F(x) = x^8 + x^7 + x^2 + x + 1 (131.0-B-5 §4.3.3). */
export const RS_FIELD_POLY = 0x187;
/** Code generator roots are powers of α^11 (131.0-B-5 §4.3.4). */
export const RS_ROOT_STEP = 11;
/** Dual-basis transformation: z_k = Tr(x·β^k), β = α^117, z_0 the most significant bit (131.0-B-5 §4.3.9, Annex F). */
export const RS_DUAL_BETA_LOG = 117;

// ---- GF(2^8) arithmetic (131.0-B-5 §4.3.3) ----
/** α^i for i < 768 (sums of three logs need no reduction); zero from EXP_ZERO on. */
export const GF_EXP = new Uint8Array(1280);
/** A "log of zero": GF_EXP[EXP_ZERO + x] = 0 for any x < 512. */
const EXP_ZERO = 768;
export const GF_LOG = new Int32Array(256);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    GF_EXP[i] = x;
    GF_LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= RS_FIELD_POLY;
  }
  for (let i = 255; i < EXP_ZERO; i++) GF_EXP[i] = GF_EXP[i - 255];
  GF_LOG[0] = -1;
}
export function gfMul(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : GF_EXP[GF_LOG[a] + GF_LOG[b]];
}
function gfTrace(a: number): number {
  let s = 0, t = a;
  for (let i = 0; i < 8; i++) { s ^= t; t = gfMul(t, t); }
  return s & 1;
}

/** Conventional (α-power) representation → dual basis, and back. */
export const CONV_TO_DUAL = new Uint8Array(256);
export const DUAL_TO_CONV = new Uint8Array(256);
{
  const beta = GF_EXP[RS_DUAL_BETA_LOG];
  for (let v = 0; v < 256; v++) {
    let z = 0, bk = 1;
    for (let k = 0; k < 8; k++) {
      z |= gfTrace(gfMul(v, bk)) << (7 - k); // 131.0-B-5 §4.3.9: z_0 first (MSB)
      bk = gfMul(bk, beta);
    }
    CONV_TO_DUAL[v] = z;
    DUAL_TO_CONV[z] = v;
  }
}

/** CHIEN_POW[k·256 + p] = log of α^(−11pk), for k ≤ 32, p < 256. */
const CHIEN_POW = new Uint8Array(33 * 256);
for (let k = 0; k <= 32; k++) {
  const step = (255 - ((RS_ROOT_STEP * k) % 255)) % 255;
  for (let p = 0, l = 0; p < 256; p++, l = (l + step) % 255) CHIEN_POW[(k << 8) + p] = l;
}

if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) throw new Error("reed-solomon.ts assumes a little-endian host");

export class RsConfigError extends Error {
  constructor(readonly field: string, readonly value: number) {
    super(`invalid Reed-Solomon parameter ${field} = ${value}`);
    this.name = "RsConfigError";
  }
}

/** One codec per E; decode() works on a codeword staged in `work`. Not re-entrant. */
export class RsCodec {
  readonly nroots: number;
  /** First consecutive root exponent of α^11: 112 for E=16, 120 for E=8 (131.0-B-5 §4.3.4). */
  readonly fcr: number;
  /** g(x), conventional basis, g[0] = 1 the x^2E coefficient. */
  readonly gen: Uint8Array;
  /** Staging buffer: a codeword of ncw symbols sits at work[256 − ncw, 256) (see stageOffset()). */
  readonly work: Uint8Array;
  private readonly work32: Int32Array;
  /** table[((k*256 + f) * nw) + w]: dual(f·x^(2E+7-k) mod g) packed in nw little-endian words. */
  private readonly table: Int32Array;
  private readonly nw: number;
  private readonly rem: Int32Array;
  private readonly remBytes: Uint8Array;
  private readonly remConv = new Uint8Array(32);
  // Decoder scratch.
  private readonly synd: Int32Array;
  private readonly lambda: Int32Array;
  private readonly bPoly: Int32Array;
  private readonly tPoly: Int32Array;
  private readonly omega: Int32Array;
  private readonly rootPos: Int32Array;
  private readonly rootLoc: Int32Array;
  /** (255 − 11k mod 255): log step of the Chien term of degree k. */
  private readonly negStep: Int32Array;
  /** Horner tables for the syndromes: synMul[j*256 + a] = a·α^(r_j). */
  private readonly synMul: Uint8Array;
  /** log of α^(−r_j·2E), the x^2E factor removed from R(α^r_j). */
  private readonly synFix: Int32Array;
  private readonly rootLogs: Int32Array;

  constructor(readonly E: 8 | 16) {
    if (E !== 8 && E !== 16) throw new RsConfigError("E", E);
    const n = (this.nroots = 2 * E);
    this.fcr = E === 16 ? 112 : 120;
    const g = new Uint8Array(n + 1);
    g[0] = 1;
    let deg = 0;
    for (let j = this.fcr; j < this.fcr + n; j++) {
      const root = GF_EXP[(RS_ROOT_STEP * j) % 255];
      deg++;
      for (let i = deg; i > 0; i--) g[i] ^= gfMul(g[i - 1], root);
    }
    this.gen = g;
    this.rootLogs = new Int32Array(n);
    for (let j = 0; j < n; j++) this.rootLogs[j] = (RS_ROOT_STEP * (this.fcr + j)) % 255;
    const nw = (this.nw = n >>> 2);
    this.table = new Int32Array(8 * 256 * nw);
    // Remainder of x^m mod g for m = n .. n+7, conventional, r[0] = coefficient of x^(n-1).
    const xm = new Uint8Array(n);
    const rows: Uint8Array[] = [];
    // x^n mod g = g without its leading term (characteristic 2).
    for (let i = 0; i < n; i++) xm[i] = g[i + 1];
    rows.push(xm.slice());
    for (let m = 1; m < 8; m++) {
      const top = xm[0];
      for (let i = 0; i < n - 1; i++) xm[i] = xm[i + 1] ^ gfMul(top, g[i + 1]);
      xm[n - 1] = gfMul(top, g[n]);
      rows.push(xm.slice());
    }
    const bytes = new Uint8Array(this.table.buffer);
    for (let k = 0; k < 8; k++) {
      const row = rows[7 - k]; // symbol k of an 8-symbol chunk multiplies x^(n+7-k)
      for (let f = 0; f < 256; f++) {
        const fc = DUAL_TO_CONV[f];
        const base = (k * 256 + f) * nw * 4;
        for (let i = 0; i < n; i++) bytes[base + i] = CONV_TO_DUAL[gfMul(fc, row[i])];
      }
    }
    this.work32 = new Int32Array(64);
    this.work = new Uint8Array(this.work32.buffer);
    this.rem = new Int32Array(nw);
    this.remBytes = new Uint8Array(this.rem.buffer);
    this.synd = new Int32Array(n);
    this.lambda = new Int32Array(n + 1);
    this.bPoly = new Int32Array(n + 1);
    this.tPoly = new Int32Array(n + 1);
    this.omega = new Int32Array(n + 1);
    this.rootPos = new Int32Array(E);
    this.rootLoc = new Int32Array(E);
    this.negStep = new Int32Array(n + 1);
    for (let k = 0; k <= n; k++) this.negStep[k] = (255 - ((RS_ROOT_STEP * k) % 255)) % 255;
    this.synMul = new Uint8Array(n * 256);
    this.synFix = new Int32Array(n);
    for (let j = 0; j < n; j++) {
      const r = this.rootLogs[j];
      for (let a = 1; a < 256; a++) this.synMul[j * 256 + a] = GF_EXP[GF_LOG[a] + r];
      this.synFix[j] = (255 * 4 - ((r * n) % 255)) % 255;
    }
  }

  /** Offset in `work` where a codeword of `ncw` symbols must be staged (front-padded with zeros to a multiple of 8). */
  stageOffset(ncw: number): number {
    return 256 - ncw;
  }

  /**
   * Remainder c(x)·x^2E mod g(x) of work[start, 256), dual basis, into this.rem.
   * `start` must be a multiple of 8. Returns true when zero (a valid codeword).
   */
  private remainder(start: number): boolean {
    const t = this.table, w = this.work32;
    if (this.nw === 8) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
      for (let p = start >>> 2; p < 64; p += 2) {
        const a = s0 ^ w[p], b = s1 ^ w[p + 1];
        let i0 = (a & 255) << 3, i1 = (256 + ((a >>> 8) & 255)) << 3, i2 = (512 + ((a >>> 16) & 255)) << 3, i3 = (768 + (a >>> 24)) << 3;
        let i4 = (1024 + (b & 255)) << 3, i5 = (1280 + ((b >>> 8) & 255)) << 3, i6 = (1536 + ((b >>> 16) & 255)) << 3, i7 = (1792 + (b >>> 24)) << 3;
        s0 = s2 ^ t[i0] ^ t[i1] ^ t[i2] ^ t[i3] ^ t[i4] ^ t[i5] ^ t[i6] ^ t[i7];
        s1 = s3 ^ t[i0 + 1] ^ t[i1 + 1] ^ t[i2 + 1] ^ t[i3 + 1] ^ t[i4 + 1] ^ t[i5 + 1] ^ t[i6 + 1] ^ t[i7 + 1];
        s2 = s4 ^ t[i0 + 2] ^ t[i1 + 2] ^ t[i2 + 2] ^ t[i3 + 2] ^ t[i4 + 2] ^ t[i5 + 2] ^ t[i6 + 2] ^ t[i7 + 2];
        s3 = s5 ^ t[i0 + 3] ^ t[i1 + 3] ^ t[i2 + 3] ^ t[i3 + 3] ^ t[i4 + 3] ^ t[i5 + 3] ^ t[i6 + 3] ^ t[i7 + 3];
        s4 = s6 ^ t[i0 + 4] ^ t[i1 + 4] ^ t[i2 + 4] ^ t[i3 + 4] ^ t[i4 + 4] ^ t[i5 + 4] ^ t[i6 + 4] ^ t[i7 + 4];
        s5 = s7 ^ t[i0 + 5] ^ t[i1 + 5] ^ t[i2 + 5] ^ t[i3 + 5] ^ t[i4 + 5] ^ t[i5 + 5] ^ t[i6 + 5] ^ t[i7 + 5];
        s6 = t[i0 + 6] ^ t[i1 + 6] ^ t[i2 + 6] ^ t[i3 + 6] ^ t[i4 + 6] ^ t[i5 + 6] ^ t[i6 + 6] ^ t[i7 + 6];
        s7 = t[i0 + 7] ^ t[i1 + 7] ^ t[i2 + 7] ^ t[i3 + 7] ^ t[i4 + 7] ^ t[i5 + 7] ^ t[i6 + 7] ^ t[i7 + 7];
      }
      const r = this.rem;
      r[0] = s0; r[1] = s1; r[2] = s2; r[3] = s3; r[4] = s4; r[5] = s5; r[6] = s6; r[7] = s7;
      return (s0 | s1 | s2 | s3 | s4 | s5 | s6 | s7) === 0;
    }
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let p = start >>> 2; p < 64; p += 2) {
      const a = s0 ^ w[p], b = s1 ^ w[p + 1];
      const i0 = (a & 255) << 2, i1 = (256 + ((a >>> 8) & 255)) << 2, i2 = (512 + ((a >>> 16) & 255)) << 2, i3 = (768 + (a >>> 24)) << 2;
      const i4 = (1024 + (b & 255)) << 2, i5 = (1280 + ((b >>> 8) & 255)) << 2, i6 = (1536 + ((b >>> 16) & 255)) << 2, i7 = (1792 + (b >>> 24)) << 2;
      s0 = s2 ^ t[i0] ^ t[i1] ^ t[i2] ^ t[i3] ^ t[i4] ^ t[i5] ^ t[i6] ^ t[i7];
      s1 = s3 ^ t[i0 + 1] ^ t[i1 + 1] ^ t[i2 + 1] ^ t[i3 + 1] ^ t[i4 + 1] ^ t[i5 + 1] ^ t[i6 + 1] ^ t[i7 + 1];
      s2 = t[i0 + 2] ^ t[i1 + 2] ^ t[i2 + 2] ^ t[i3 + 2] ^ t[i4 + 2] ^ t[i5 + 2] ^ t[i6 + 2] ^ t[i7 + 2];
      s3 = t[i0 + 3] ^ t[i1 + 3] ^ t[i2 + 3] ^ t[i3 + 3] ^ t[i4 + 3] ^ t[i5 + 3] ^ t[i6 + 3] ^ t[i7 + 3];
    }
    const r = this.rem;
    r[0] = s0; r[1] = s1; r[2] = s2; r[3] = s3;
    return (s0 | s1 | s2 | s3) === 0;
  }

  /**
   * Encoder (for test streams and benches): dual-basis parity of `data` (k symbols, k ≤ 255−2E)
   * into parity[0, 2E). Uses `work`, so it must not interleave with a staged decode.
   */
  encode(data: Uint8Array, parity: Uint8Array): void {
    const k = data.length, n = this.nroots;
    if (k < 1 || k > 255 - n) throw new RsConfigError("k", k);
    const start = (256 - k) & ~7;
    this.work.fill(0, start, 256 - k);
    this.work.set(data, 256 - k);
    this.remainder(start); // m(x)·x^2E mod g(x) = the parity (131.0-B-5 §4.3.4)
    parity.set(this.remBytes.subarray(0, n));
  }

  /**
   * Checks and corrects the codeword of `ncw` symbols (virtual fill excluded) staged at
   * work[256 − ncw, 256), dual basis. Returns the number of symbols corrected (0 for a clean
   * codeword) or -1 when uncorrectable (then `work` is left as received). Corrections are
   * applied in `work`; lastIdx/lastVal hold, for the first `returned` entries, each corrected
   * symbol's index from the first transmitted symbol and the dual-basis XOR applied.
   */
  decode(ncw: number): number {
    const start = (256 - ncw) & ~7;
    for (let i = start; i < 256 - ncw; i++) this.work[i] = 0;
    if (this.remainder(start)) return 0;
    const n = this.nroots, E = this.E;
    // Syndromes S_j = c(α^(11(fcr+j))) = R(α^r_j)·α^(−r_j·n) since g(α^r_j) = 0 (131.0-B-5 §4.3.4).
    const rb = this.remBytes, s = this.synd, rc = this.remConv, sm = this.synMul, fix = this.synFix;
    for (let i = 0; i < n; i++) rc[i] = DUAL_TO_CONV[rb[i]];
    let any = 0;
    for (let j = 0; j < n; j += 4) {
      // Four independent Horner chains at once (n is a multiple of 4).
      const o0 = j << 8, o1 = o0 + 256, o2 = o0 + 512, o3 = o0 + 768;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      for (let i = 0; i < n; i++) {
        const c = rc[i];
        a0 = sm[o0 + a0] ^ c; a1 = sm[o1 + a1] ^ c; a2 = sm[o2 + a2] ^ c; a3 = sm[o3 + a3] ^ c;
      }
      const v0 = a0 === 0 ? 0 : GF_EXP[GF_LOG[a0] + fix[j]], v1 = a1 === 0 ? 0 : GF_EXP[GF_LOG[a1] + fix[j + 1]];
      const v2 = a2 === 0 ? 0 : GF_EXP[GF_LOG[a2] + fix[j + 2]], v3 = a3 === 0 ? 0 : GF_EXP[GF_LOG[a3] + fix[j + 3]];
      s[j] = v0; s[j + 1] = v1; s[j + 2] = v2; s[j + 3] = v3;
      any |= v0 | v1 | v2 | v3;
    }
    if (any === 0) return -1; // nonzero remainder but zero syndromes cannot happen; be safe
    // Berlekamp–Massey: Λ(x) = Π(1 − X_l x), X_l = α^(11·p_l).
    const L = this.lambda, B = this.bPoly, T = this.tPoly;
    L.fill(0); B.fill(0);
    L[0] = 1; B[0] = 1;
    let deg = 0, m = 1, bDisc = 1, degB = 0;
    for (let r = 0; r < n; r++) {
      let d = s[r];
      for (let i = 1; i <= deg; i++) {
        const li = L[i], si = s[r - i];
        if (li !== 0 && si !== 0) d ^= GF_EXP[GF_LOG[li] + GF_LOG[si]];
      }
      if (d === 0) { m++; continue; }
      const coef = GF_LOG[d] + 255 - GF_LOG[bDisc]; // d / b
      const top = Math.min(n, m + degB);
      if (2 * deg <= r) {
        for (let i = 0; i <= deg; i++) T[i] = L[i];
        const oldDeg = deg;
        for (let i = m; i <= top; i++) { const b = B[i - m]; if (b !== 0) L[i] ^= GF_EXP[coef + GF_LOG[b]]; }
        deg = r + 1 - deg;
        for (let i = 0; i <= oldDeg; i++) B[i] = T[i];
        for (let i = oldDeg + 1; i <= degB; i++) B[i] = 0;
        degB = oldDeg;
        bDisc = d;
        m = 1;
      } else {
        for (let i = m; i <= top; i++) { const b = B[i - m]; if (b !== 0) L[i] ^= GF_EXP[coef + GF_LOG[b]]; }
        m++;
      }
    }
    if (deg > E) return -1;
    for (let i = deg + 1; i <= n; i++) if (L[i] !== 0) return -1;
    // Chien search over the transmitted positions only: p = 0 .. ncw−1 (degree of the symbol);
    // Λ(α^(−11p)) = Σ Λ_k α^(−11pk). Roots beyond ncw would be in the virtual fill: reject.
    const found = this.chien(L, deg, ncw);
    if (found !== deg || deg === 0) return -1;
    // Ω(x) = S(x)Λ(x) mod x^2E.
    const pos = this.rootPos, loc = this.rootLoc;
    const O = this.omega;
    for (let i = 0; i < deg; i++) {
      let acc = 0;
      for (let k = 0; k <= i; k++) if (L[k] !== 0 && s[i - k] !== 0) acc ^= GF_EXP[GF_LOG[L[k]] + GF_LOG[s[i - k]]];
      O[i] = acc;
    }
    // Forney: e_l = X_l^(1−fcr) Ω(X_l^−1) / Λ'(X_l^−1).
    const work = this.work;
    for (let l = 0; l < found; l++) {
      const xl = loc[l];
      const xinv = (255 - xl) % 255;
      let num = 0;
      for (let i = deg - 1; i >= 0; i--) num = (num === 0 ? 0 : GF_EXP[GF_LOG[num] + xinv]) ^ O[i];
      let den = 0;
      for (let k = 1; k <= deg; k += 2) if (L[k] !== 0) den ^= GF_EXP[GF_LOG[L[k]] + ((xinv * (k - 1)) % 255)];
      if (num === 0 || den === 0) return -1;
      const e = GF_EXP[GF_LOG[num] + 255 - GF_LOG[den] + ((xl * ((1 - this.fcr + 255 * 2) % 255)) % 255)];
      const idx = 256 - 1 - pos[l]; // symbol of degree p sits at the end minus p
      const ed = CONV_TO_DUAL[e];
      work[idx] ^= ed;
      this.lastVal[l] = ed;
      this.lastIdx[l] = ncw - 1 - pos[l];
    }
    // Second line of defence: the corrected word must be a codeword.
    if (!this.remainder(start)) {
      for (let l = 0; l < found; l++) work[256 - 1 - pos[l]] ^= this.lastVal[l];
      return -1;
    }
    return found;
  }
  /**
   * Chien search over the transmitted positions only: p = 0 .. ncw−1 (the symbol's degree);
   * Λ(α^(−11p)) = Σ Λ_k α^(−11pk). Roots in the virtual fill are never searched, so they show
   * as missing roots. Term by term over all positions (tight inner loop), then a zero scan.
   * Returns the number of roots, or -1 when more than deg were found.
   */
  private chien(L: Int32Array, deg: number, ncw: number): number {
    const acc = this.chienAcc, EXP = GF_EXP, PT = CHIEN_POW;
    acc.fill(1, 0, ncw); // Λ_0 = 1
    // Four, then two terms per pass: acc[p] ^= Σ Λ_k α^(−11pk), PT[k·256 + p] = log α^(−11pk);
    // a zero coefficient uses the "log of zero" so the loops stay branch-free.
    let k = 1;
    for (; k + 3 <= deg; k += 4) {
      const l0 = L[k] === 0 ? EXP_ZERO : GF_LOG[L[k]], l1 = L[k + 1] === 0 ? EXP_ZERO : GF_LOG[L[k + 1]];
      const l2 = L[k + 2] === 0 ? EXP_ZERO : GF_LOG[L[k + 2]], l3 = L[k + 3] === 0 ? EXP_ZERO : GF_LOG[L[k + 3]];
      const b0 = k << 8, b1 = b0 + 256, b2 = b0 + 512, b3 = b0 + 768;
      for (let p = 0; p < ncw; p++) acc[p] ^= EXP[l0 + PT[b0 + p]] ^ EXP[l1 + PT[b1 + p]] ^ EXP[l2 + PT[b2 + p]] ^ EXP[l3 + PT[b3 + p]];
    }
    for (; k + 1 <= deg; k += 2) {
      const a = L[k], b = L[k + 1];
      if (a === 0 && b === 0) continue;
      const la = a === 0 ? EXP_ZERO : GF_LOG[a], lb = b === 0 ? EXP_ZERO : GF_LOG[b];
      const ba = k << 8, bb = (k + 1) << 8;
      for (let p = 0; p < ncw; p++) acc[p] ^= EXP[la + PT[ba + p]] ^ EXP[lb + PT[bb + p]];
    }
    if (k === deg && L[k] !== 0) {
      const la = GF_LOG[L[k]], ba = k << 8;
      for (let p = 0; p < ncw; p++) acc[p] ^= EXP[la + PT[ba + p]];
    }
    const pos = this.rootPos, loc = this.rootLoc;
    let found = 0;
    for (let p = 0; p < ncw; p++) {
      if (acc[p] === 0) {
        if (found === deg) return -1;
        pos[found] = p;
        loc[found] = (RS_ROOT_STEP * p) % 255; // log of X_l
        found++;
      }
    }
    return found;
  }
  private readonly chienAcc = new Uint8Array(256);

  /** Index (from the first transmitted symbol) of each symbol corrected by the last decode(). */
  readonly lastIdx = new Int32Array(16);
  /** Dual-basis XOR applied to each corrected symbol by the last decode(). */
  readonly lastVal = new Int32Array(16);
}
