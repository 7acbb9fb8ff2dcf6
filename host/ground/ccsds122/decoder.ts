// Ground decoder for CCSDS 122.0-B-2 (Image Data Compression: 9/7 DWT + bit-plane encoder).
// Independent of the flight encoder (assembly/compress/ccsds122): it is the ground oracle.
// See README.md beside this file for what is decoded, the limits and the reconstruction rule.
//
// decodeCcsds122() never throws and never loops or allocates beyond documented limits:
// every header field is checked; a bad stream yields {ok:false, error naming the field, offset}.

import { inverseDwt } from "./dwt.ts";

export interface Ccsds122SegmentHeader {
  /** byte offset of the segment in the stream */
  offset: number;
  /** coded length of the segment in bytes (header included) as consumed by the decoder */
  length: number;
  startImg: boolean;
  endImg: boolean;
  segmentCount: number;
  bitDepthDC: number;
  bitDepthAC: number;
  part2: boolean;
  part3: boolean;
  part4: boolean;
  /** blocks decoded in this segment */
  blocks: number;
  /** the segment stopped at SegByteLimit (or at the end of the stream, with opts.partial) before coding finished */
  truncated: boolean;
}

export interface Ccsds122Params {
  padRows: number;
  segByteLimit: number;
  dcStop: boolean;
  bitPlaneStop: number;
  stageStop: number;
  useFill: boolean;
  blocksPerSegment: number;
  optDCSelect: boolean;
  optACSelect: boolean;
  dwt: "integer" | "float";
  signed: boolean;
  pixelBitDepth: number;
  imageWidth: number;
  transpose: boolean;
  codeWordBytes: number;
  customWeights: boolean;
  /** weight exponents (bit shifts) used: LL3, HL3, LH3, HH3, HL2, LH2, HH2, HL1, LH1, HH1 */
  shifts: number[];
}

export interface Ccsds122Headers {
  params: Ccsds122Params;
  segments: Ccsds122SegmentHeader[];
}

export type Ccsds122Result =
  | {
      ok: true;
      width: number;
      height: number;
      bitDepth: number;
      signed: boolean;
      /** row-major, width * height */
      pixels: Int32Array;
      segments: number;
      /** at least one segment stopped before its coding finished (SegByteLimit, or a cut stream with opts.partial) */
      truncated: boolean;
      headers: Ccsds122Headers;
    }
  | { ok: false; error: string; offset: number };

export interface Ccsds122DecodeOptions {
  /** Expected image width; an ImageWidth that differs is an error. */
  width?: number;
  /** Expected image height (the stream has no height field): fixes the block count of a final
   * segment that does not restate S, and a decoded height that differs is an error. */
  height?: number;
  /** Upper bound on decoded pixels (padded), default 2^25 (peak memory about 19 bytes per pixel); a stream claiming more is rejected. */
  maxPixels?: number;
  /** Accept a stream that ends mid-segment or before the segment with EndImgFlag (default false: error). */
  partial?: boolean;
  /** Reconstruction of bit planes that were not decoded: "midpoint" (default) or "zero". */
  reconstruction?: "midpoint" | "zero";
}

/** Documented limits. */
export const CCSDS122_LIMITS = {
  maxPixelsDefault: 1 << 25,
  maxWidth: (1 << 20) - 1,
  minWidth: 17,
  /** table 3-1: 25 (integer DWT), 27 (float, unsigned), 28 (float, signed) */
  maxPixelBitDepth: 28,
  maxSegments: 1 << 20,
};

// ---------------------------------------------------------------------------------------
// Internal control flow: a Stop is thrown by the bit reader when a read passes the end of
// the segment's readable bytes; a Bad carries a format error. Both are caught in this module.

class Stop { }
class Bad {
  constructor(readonly msg: string, readonly bitPos: number) { }
}
const STOP = new Stop();

class Bits {
  pos: number; // bit position
  end: number; // bit position of the end of readable data
  constructor(readonly buf: Uint8Array, startByte: number, endByte: number) {
    this.pos = startByte * 8;
    this.end = endByte * 8;
  }
  bit(): number {
    if (this.pos >= this.end) throw STOP;
    const p = this.pos++;
    return (this.buf[p >> 3] >> (7 - (p & 7))) & 1;
  }
  read(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 2 + this.bit();
    return v;
  }
  /** count zeros up to the terminating one; more than max zeros is a format error */
  fs(max: number, what: string): number {
    let z = 0;
    while (this.bit() === 0) {
      z++;
      if (z > max) throw new Bad(`${what}: fundamental-sequence codeword longer than any valid value`, this.pos);
    }
    return z;
  }
}

// ---------------------------------------------------------------------------------------
// Entropy coding of the 2-, 3- and 4-bit words of stages 1-3 (section 4.5.3.3)

// word -> symbol mappings; the inverse tables are built below
const MAP2 = [0, 2, 1, 3];
const MAP3 = [1, 4, 0, 5, 2, 6, 3, 7];
const MAP3_TRAND = [-1, 3, 0, 4, 1, 5, 2, 6]; // tran_D of length 3 is never 000
const MAP4_TYPEC = [10, 1, 3, 6, 2, 5, 9, 12, 0, 8, 7, 13, 4, 14, 11, 15];
const MAP4_TYPEH = [-1, 1, 3, 6, 2, 5, 9, 11, 0, 8, 7, 12, 4, 13, 10, 14]; // types_b[H_ij] / tran_H_i of length 4 never 0000
function invert(m: number[]): Int8Array {
  const r = new Int8Array(16).fill(-1);
  m.forEach((s, w) => { if (s >= 0) r[s] = w; });
  return r;
}
const INV2 = invert(MAP2), INV3 = invert(MAP3), INV3D = invert(MAP3_TRAND);
const INV4C = invert(MAP4_TYPEC), INV4H = invert(MAP4_TYPEH);

const enum WordKind { Generic, TranD, TypeC, TypeH }

/** Decode the symbol of an L-bit word (L = 2,3,4) with code option opt (3 = uncoded). */
function readSymbol(bits: Bits, len: number, opt: number): number {
  if (opt === 3) return bits.read(len);
  if (len === 2) {
    // option 0: 1, 01, 001, 000
    if (bits.bit()) return 0;
    if (bits.bit()) return 1;
    return bits.bit() ? 2 : 3;
  }
  if (len === 3) {
    if (opt === 0) {
      if (bits.bit()) return 0;
      if (bits.bit()) return 1;
      if (bits.bit()) return 2;
      // 000 then: 00 -> 3, 01 -> 4, 10 -> 5, 11x -> 6/7
      const a = bits.read(2);
      if (a < 3) return 3 + a;
      return 6 + bits.bit();
    }
    // option 1: 10,11 -> 0,1; 010,011 -> 2,3; 0010,0011 -> 4,5; 0000,0001 -> 6,7
    if (bits.bit()) return bits.bit();
    if (bits.bit()) return 2 + bits.bit();
    if (bits.bit()) return 4 + bits.bit();
    return 6 + bits.bit();
  }
  // len 4
  if (opt === 0) {
    for (let s = 0; s < 4; s++) if (bits.bit()) return s;
    // 0000 then: 1xxx -> 8..15 (value = 1xxx), 0xx -> 4..7
    if (bits.bit()) return 8 + bits.read(3);
    return 4 + bits.read(2);
  }
  if (opt === 1) {
    if (bits.bit()) return bits.bit();             // 1x -> 0,1
    if (bits.bit()) return 2 + bits.bit();         // 01x -> 2,3
    if (bits.bit()) return 4 + bits.bit();         // 001x -> 4,5
    // 000 then: 0xx -> 6 + xx (6..9), 10x -> 10,11, 11xx... -> 12..15
    const a = bits.bit();
    if (a === 0) return 6 + bits.read(2);
    const b = bits.bit();
    if (b === 0) return 10 + bits.bit();
    return 12 + bits.read(2);
  }
  // opt 2: 1xx -> 0..3, 01xx -> 4..7, 001xx -> 8..11, 000xx -> 12..15
  if (bits.bit()) return bits.read(2);
  if (bits.bit()) return 4 + bits.read(2);
  if (bits.bit()) return 8 + bits.read(2);
  return 12 + bits.read(2);
}

// ---------------------------------------------------------------------------------------
// Block coefficient indexing (64 per block): 0 DC; 1..3 parents p_i (i: 0 HL, 1 LH, 2 HH);
// 4 + 4i + j children c_ij (j: raster order in the 2x2); 16 + 16i + 4j + k grandchildren
// (the 2x2 H_ij under child j, k raster order).

const PAR = (i: number): number => 1 + i;
const CHI = (i: number, j: number): number => 4 + 4 * i + j;
const GCH = (i: number, j: number, k: number): number => 16 + 16 * i + 4 * j + k;

/** shifts index: 0 LL3, 1 HL3, 2 LH3, 3 HH3, 4 HL2, 5 LH2, 6 HH2, 7 HL1, 8 LH1, 9 HH1 */
function shiftOf(idx: number, shifts: number[]): number {
  if (idx === 0) return shifts[0];
  if (idx < 4) return shifts[1 + (idx - 1)];
  if (idx < 16) return shifts[4 + ((idx - 4) >> 2)];
  return shifts[7 + ((idx - 16) >> 4)];
}

interface SegState {
  S: number;
  dc: Float64Array;       // DC value (two's complement integer, known bits)
  dcLow: Int8Array;       // lowest DC bit plane known
  mag: Int32Array;        // 64*S magnitudes (weighted domain)
  neg: Uint8Array;        // 64*S sign
  sigPlane: Int8Array;    // plane at which the coefficient became significant, -1 if not
  low: Int8Array;         // lowest plane decoded for a significant coefficient
}

interface Ctx {
  p: Ccsds122Params;
  shifts: number[];
}

/** Decode the quantized DC values or the AC bit depths of a segment (4.3.2 / 4.4). */
function decodeDpcm(bits: Bits, S: number, N: number, signed: boolean, out: Int32Array, what: string): void {
  const xmin = signed ? -(2 ** (N - 1)) : 0;
  const xmax = signed ? 2 ** (N - 1) - 1 : 2 ** N - 1;
  if (N === 1 && signed) {
    for (let m = 0; m < S; m++) out[m] = bits.bit() ? -1 : 0;
    return;
  }
  let idLen: number, maxK: number;
  if (N === 2) { idLen = 1; maxK = 0; }
  else if (N <= 4) { idLen = 2; maxK = 2; }
  else if (N <= 8) { idLen = 3; maxK = 6; }
  else { idLen = 4; maxK = 8; }
  const uncoded = (1 << idLen) - 1;
  const mapped = new Int32Array(16);
  const maxMapped = 2 ** N - 1;
  for (let g = 0; g < S; g += 16) {
    const n = Math.min(16, S - g);
    const k = bits.read(idLen);
    if (k !== uncoded && k > maxK) throw new Bad(`${what}: code option ${k} not defined for N=${N}`, bits.pos);
    for (let t = 0; t < n; t++) {
      const m = g + t;
      if (m === 0 || k === uncoded) mapped[t] = bits.read(N);
      else mapped[t] = bits.fs(maxMapped >>> k, what) * 2 ** k;
    }
    if (k !== uncoded) {
      for (let t = 0; t < n; t++) if (g + t !== 0) mapped[t] += bits.read(k);
    }
    for (let t = 0; t < n; t++) {
      const m = g + t;
      if (m === 0) {
        let v = mapped[0];
        if (signed && v >= 2 ** (N - 1)) v -= 2 ** N;
        out[0] = v;
        continue;
      }
      const prev = out[m - 1];
      const d = mapped[t];
      if (d > maxMapped) throw new Bad(`${what}: mapped value ${d} exceeds ${N}-bit range`, bits.pos);
      const theta = Math.min(prev - xmin, xmax - prev);
      let delta: number;
      if (d <= 2 * theta) delta = (d & 1) === 0 ? d / 2 : -(d + 1) / 2;
      else delta = theta === prev - xmin ? d - theta : -(d - theta);
      const v = prev + delta;
      if (v < xmin || v > xmax) throw new Bad(`${what}: decoded value ${v} outside the ${N}-bit range`, bits.pos);
      out[m] = v;
    }
  }
}

/** Decodes one segment's coded data after its header. Throws Stop on the end of readable data. */
function decodeSegmentData(bits: Bits, ctx: Ctx, st: SegState, bdDC: number, bdAC: number, status: { stage: string }): void {
  const { p, shifts } = ctx;
  const S = st.S;
  const integer = p.dwt === "integer";
  const sLL = shifts[0];
  // 4.3.1: quantization of the DC coefficients
  let qp: number;
  const r = bdDC - (1 + (bdAC >> 1));
  if (bdDC <= 3) qp = 0;
  else if (r <= 1) qp = bdDC - 3;
  else if (r > 10) qp = bdDC - 10;
  else qp = 1 + (bdAC >> 1);
  const q = integer ? Math.max(qp, sLL) : qp;
  const N = Math.max(bdDC - q, 1);
  if (N > 10) throw new Bad(`BitDepthDC: ${bdDC} gives N=${N} > 10 bits per quantized DC value`, bits.pos);
  status.stage = "DC";
  const cq = new Int32Array(S);
  decodeDpcm(bits, S, N, true, cq, "DC coding");
  for (let m = 0; m < S; m++) { st.dc[m] = cq[m] * 2 ** q; st.dcLow[m] = q; }
  // 4.3.3: additional DC bit planes
  const addLow = integer ? Math.max(bdAC, sLL) : bdAC;
  for (let b = q - 1; b >= addLow; b--) {
    for (let m = 0; m < S; m++) { if (bits.bit()) st.dc[m] += 2 ** b; st.dcLow[m] = b; }
  }
  if (p.dcStop) return;
  // 4.4 a): BitDepthAC 0, nothing more; 4.2.3.2.3 note: BitPlaneStop > BitDepthAC-1 ends the segment here too
  if (bdAC === 0 || p.bitPlaneStop > bdAC - 1) return;
  // 4.4: AC bit depths per block
  status.stage = "AC bit depths";
  const bdBlk = new Int32Array(S);
  if (bdAC === 1) {
    for (let m = 0; m < S; m++) bdBlk[m] = bits.bit(); // 4.4 b): one bit each
  } else {
    let Nac = 0;
    while (bdAC >> Nac > 0) Nac++;
    decodeDpcm(bits, S, Nac, false, bdBlk, "BitDepthAC_Block coding");
  }
  for (let m = 0; m < S; m++) if (bdBlk[m] > bdAC) throw new Bad(`BitDepthAC_Block: block ${m} claims ${bdBlk[m]} > BitDepthAC ${bdAC}`, bits.pos);

  const sh = new Int8Array(64);
  for (let i = 0; i < 64; i++) sh[i] = shiftOf(i, shifts);
  // set significance state
  const Bsig = new Uint8Array(S), Dsig = new Uint8Array(S * 3), Gsig = new Uint8Array(S * 3), Hsig = new Uint8Array(S * 12);
  const minShC = [0, 1, 2].map((i) => sh[CHI(i, 0)]);
  const minShG = [0, 1, 2].map((i) => sh[GCH(i, 0, 0)]);
  const minShD = [0, 1, 2].map((i) => Math.min(minShC[i], minShG[i]));
  const minShB = Math.min(...minShD);
  const nG = Math.ceil(S / 16);
  const opts = new Int8Array(nG * 3);
  const { mag, neg, sigPlane, low } = st;
  const idx = new Int32Array(4);

  // reads one word over coefficients idx[0..len) (insignificant, coded); sets significance
  const typeWord = (base: number, len: number, b: number, kind: WordKind, g: number): void => {
    if (len === 0) return;
    const w = readWord(len, kind, g);
    let ones = 0;
    for (let t = 0; t < len; t++) {
      if ((w >> (len - 1 - t)) & 1) {
        const c = base + idx[t];
        mag[c] = pw; sigPlane[c] = b; low[c] = b; ones++;
        idx[t] = -1 - idx[t]; // mark for sign
      }
    }
    for (let t = 0; t < len; t++) {
      if (idx[t] < 0) { const c = base + (-1 - idx[t]); neg[c] = bits.bit(); }
    }
    void ones;
  };
  const readWord = (len: number, kind: WordKind, g: number): number => {
    if (len === 1) return bits.bit();
    const oi = g * 3 + (len - 2);
    if (opts[oi] < 0) {
      const o = len === 2 ? (bits.bit() ? 3 : 0) : bits.read(2);
      if (len === 3 && o === 2) throw new Bad("code option ID 10 is not defined for 3-bit words", bits.pos);
      opts[oi] = o;
    }
    const sym = readSymbol(bits, len, opts[oi]);
    let w: number;
    if (len === 2) w = INV2[sym];
    else if (len === 3) w = kind === WordKind.TranD ? INV3D[sym] : INV3[sym];
    else w = kind === WordKind.TypeC ? INV4C[sym] : kind === WordKind.TypeH ? INV4H[sym] : INV4H[sym];
    if (w < 0) throw new Bad(`${len}-bit word: symbol ${sym} not defined for this word`, bits.pos);
    return w;
  };
  const sel = new Int32Array(4);

  const stopPlane = p.bitPlaneStop;
  let pw = 0;
  for (let b = bdAC - 1; b >= 0; b--) {
    if (b < stopPlane) break;
    pw = 2 ** b;
    const last = b === stopPlane && p.stageStop < 3 ? p.stageStop : 3; // last stage coded in this plane (0-based stage index - 1)
    // stage 0
    status.stage = `plane ${b} stage 0`;
    if (b < q && (!integer || b >= sLL)) {
      for (let m = 0; m < S; m++) { if (bits.bit()) st.dc[m] += 2 ** b; st.dcLow[m] = b; }
    }
    opts.fill(-1);
    // stage 1: parents
    status.stage = `plane ${b} stage 1`;
    for (let m = 0; m < S; m++) {
      if (bdBlk[m] <= b) continue;
      const base = m * 64;
      let len = 0;
      for (let i = 0; i < 3; i++) { const c = PAR(i); if (sigPlane[base + c] < 0 && sh[c] <= b) idx[len++] = c; }
      typeWord(base, len, b, WordKind.Generic, m >> 4);
    }
    if (last === 0) break;
    // stage 2: tran_B, tran_D, types_b[C_i]
    status.stage = `plane ${b} stage 2`;
    for (let m = 0; m < S; m++) {
      if (bdBlk[m] <= b) continue;
      const base = m * 64, g = m >> 4;
      if (!Bsig[m]) {
        if (minShB > b) continue;
        if (!bits.bit()) continue;
        Bsig[m] = 1;
      }
      let nf = 0;
      for (let i = 0; i < 3; i++) if (!Dsig[m * 3 + i] && minShD[i] <= b) sel[nf++] = i;
      if (nf) {
        const w = readWord(nf, WordKind.TranD, g);
        for (let t = 0; t < nf; t++) if ((w >> (nf - 1 - t)) & 1) Dsig[m * 3 + sel[t]] = 1;
      }
      for (let i = 0; i < 3; i++) {
        if (!Dsig[m * 3 + i]) continue;
        let len = 0;
        for (let j = 0; j < 4; j++) { const c = CHI(i, j); if (sigPlane[base + c] < 0 && sh[c] <= b) idx[len++] = c; }
        typeWord(base, len, b, WordKind.TypeC, g);
      }
    }
    if (last === 1) break;
    // stage 3: tran_G, tran_H_i, types_b[H_ij]
    status.stage = `plane ${b} stage 3`;
    for (let m = 0; m < S; m++) {
      if (bdBlk[m] <= b) continue;
      const base = m * 64, g = m >> 4;
      let nf = 0;
      for (let i = 0; i < 3; i++) if (Dsig[m * 3 + i] && !Gsig[m * 3 + i] && minShG[i] <= b) sel[nf++] = i;
      if (nf) {
        const w = readWord(nf, WordKind.Generic, g);
        for (let t = 0; t < nf; t++) if ((w >> (nf - 1 - t)) & 1) Gsig[m * 3 + sel[t]] = 1;
      }
      for (let i = 0; i < 3; i++) {
        if (!Gsig[m * 3 + i] || minShG[i] > b) continue;
        let nh = 0;
        for (let j = 0; j < 4; j++) if (!Hsig[m * 12 + i * 4 + j]) sel[nh++] = j;
        if (nh) {
          const w = readWord(nh, WordKind.TypeH, g);
          for (let t = 0; t < nh; t++) if ((w >> (nh - 1 - t)) & 1) Hsig[m * 12 + i * 4 + sel[t]] = 1;
        }
      }
      for (let i = 0; i < 3; i++) {
        if (!Gsig[m * 3 + i]) continue;
        for (let j = 0; j < 4; j++) {
          if (!Hsig[m * 12 + i * 4 + j]) continue;
          let len = 0;
          for (let k = 0; k < 4; k++) { const c = GCH(i, j, k); if (sigPlane[base + c] < 0 && sh[c] <= b) idx[len++] = c; }
          typeWord(base, len, b, WordKind.TypeH, g);
        }
      }
    }
    if (last === 2) break;
    // stage 4: refinement
    status.stage = `plane ${b} stage 4`;
    for (let m = 0; m < S; m++) {
      if (bdBlk[m] <= b + 1) continue; // nothing significant before this plane
      const base = m * 64;
      for (let c = 1; c < 64; c++) {
        const cc = base + c;
        if (sigPlane[cc] > b && sh[c] <= b) { if (bits.bit()) mag[cc] += pw; low[cc] = b; }
      }
    }
  }
}

/** Reconstructed (unweighted) value of coefficient c of block m: undecoded planes at their mid-point or zero. */
function coefValue(st: SegState, m: number, c: number, shifts: number[], mid: boolean): number {
  const k = m * 64 + c;
  let mg = st.mag[k];
  if (mg === 0) return 0;
  const s = shiftOf(c, shifts);
  const lo = st.low[k];
  if (lo > s && mid) mg += Math.floor((2 ** lo - 1) / 2 / 2 ** s) * 2 ** s;
  const v = mg / 2 ** s;
  return st.neg[k] ? -v : v;
}

function u(buf: Uint8Array, bitPos: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) { const p = bitPos + i; v = v * 2 + ((buf[p >> 3] >> (7 - (p & 7))) & 1); }
  return v;
}

const DEFAULT_INT_SHIFTS = [3, 3, 3, 2, 2, 2, 1, 1, 1, 0];

export function decodeCcsds122(stream: Uint8Array, opts: Ccsds122DecodeOptions = {}): Ccsds122Result {
  try {
    return decodeInner(stream, opts);
  } catch (e) {
    if (e instanceof Bad) return { ok: false, error: e.msg, offset: e.bitPos >> 3 };
    return { ok: false, error: `internal decoder error: ${(e as Error)?.message ?? String(e)}`, offset: 0 };
  }
}

function decodeInner(stream: Uint8Array, opts: Ccsds122DecodeOptions): Ccsds122Result {
  const maxPixels = opts.maxPixels ?? CCSDS122_LIMITS.maxPixelsDefault;
  const recon = opts.reconstruction ?? "midpoint";
  const fail = (error: string, offset: number): Ccsds122Result => ({ ok: false, error, offset });
  let p: Ccsds122Params | null = null;
  let pos = 0;
  const segs: Ccsds122SegmentHeader[] = [];
  const segStates: SegState[] = [];
  let totalBlocks = 0;
  let ended = false;
  let anyTrunc = false;
  let blocksPerRow = 0;
  // provisional Part 2/3 values until the first segment supplies them
  while (!ended) {
    if (pos >= stream.length) {
      if (opts.partial && segs.length > 0) { anyTrunc = true; break; }
      return fail(segs.length === 0 ? "stream: empty, no segment header" : `EndImgFlag: stream ends after segment ${segs.length - 1} without a segment flagged EndImgFlag`, pos);
    }
    if (segs.length >= CCSDS122_LIMITS.maxSegments) return fail(`SegmentCount: more than ${CCSDS122_LIMITS.maxSegments} segments`, pos);
    const segStart = pos;
    const need = (n: number, field: string): Ccsds122Result | null =>
      pos + n > stream.length ? fail(`${field}: stream ends inside the segment header (segment ${segs.length})`, pos) : null;
    let e = need(3, "Header Part 1A"); if (e) return e;
    const b0 = pos * 8;
    const startImg = u(stream, b0, 1) === 1, endImg = u(stream, b0 + 1, 1) === 1;
    const segmentCount = u(stream, b0 + 2, 8), bdDC = u(stream, b0 + 10, 5), bdAC = u(stream, b0 + 15, 5);
    const res1 = u(stream, b0 + 20, 1);
    const f2 = u(stream, b0 + 21, 1) === 1, f3 = u(stream, b0 + 22, 1) === 1, f4 = u(stream, b0 + 23, 1) === 1;
    if (segs.length === 0 && !startImg) return fail("StartImgFlag: first segment does not have StartImgFlag set", pos);
    if (segs.length > 0 && startImg) return fail(`StartImgFlag: set in segment ${segs.length}, not the first`, pos);
    if (segmentCount !== (segs.length & 255)) return fail(`SegmentCount: ${segmentCount}, expected ${segs.length & 255}`, pos);
    if (res1 !== 0) return fail("Header Part 1A: reserved bit set", pos);
    if (bdDC === 0) return fail("BitDepthDC: 0 (at least 1 bit)", pos);
    pos += 3;
    let padRows = 0;
    if (endImg) {
      e = need(1, "Header Part 1B"); if (e) return e;
      padRows = u(stream, pos * 8, 3);
      if (u(stream, pos * 8 + 3, 5) !== 0) return fail("Header Part 1B: reserved bits set", pos);
      pos += 1;
    }
    if (segs.length === 0 && !(f2 && f3 && f4)) {
      return fail(`Part${!f2 ? 2 : !f3 ? 3 : 4}Flag: the first segment must carry header parts 2, 3 and 4`, segStart);
    }
    const np: Ccsds122Params = p ? { ...p, shifts: [...p.shifts] } : ({} as Ccsds122Params);
    if (f2) {
      e = need(5, "Header Part 2"); if (e) return e;
      const bp = pos * 8;
      np.segByteLimit = u(stream, bp, 27);
      np.dcStop = u(stream, bp + 27, 1) === 1;
      np.bitPlaneStop = u(stream, bp + 28, 5);
      np.stageStop = u(stream, bp + 33, 2);
      np.useFill = u(stream, bp + 35, 1) === 1;
      if (u(stream, bp + 36, 4) !== 0) return fail("Header Part 2: reserved bits set", pos);
      if (np.useFill && np.segByteLimit === 0) return fail("UseFill: set while SegByteLimit is 0", pos);
      pos += 5;
    }
    if (f3) {
      e = need(3, "Header Part 3"); if (e) return e;
      const bp = pos * 8;
      np.blocksPerSegment = u(stream, bp, 20) || 1 << 20; // S mod 2^20 (4.2.4.2.1)
      np.optDCSelect = u(stream, bp + 20, 1) === 1;
      np.optACSelect = u(stream, bp + 21, 1) === 1;
      if (u(stream, bp + 22, 2) !== 0) return fail("Header Part 3: reserved bits set", pos);
      pos += 3;
    }
    if (f4) {
      e = need(8, "Header Part 4"); if (e) return e;
      const bp = pos * 8;
      const dwtInt = u(stream, bp, 1) === 1;
      if (u(stream, bp + 1, 1) !== 0) return fail("Header Part 4: reserved bit 1 set", pos);
      const ext = u(stream, bp + 2, 1);
      const signedPix = u(stream, bp + 3, 1) === 1;
      const pbd = u(stream, bp + 4, 4);
      const width = u(stream, bp + 8, 20) || 1 << 20; // width mod 2^20 (4.2.5.2.6)
      const transpose = u(stream, bp + 28, 1) === 1;
      const cwl = u(stream, bp + 29, 3);
      const custom = u(stream, bp + 32, 1) === 1;
      // weights in header order: HH1 HL1 LH1 HH2 HL2 LH2 HH3 HL3 LH3 LL3
      const wt: number[] = [];
      for (let i = 0; i < 10; i++) wt.push(u(stream, bp + 33 + 2 * i, 2));
      if (u(stream, bp + 53, 11) !== 0) return fail("Header Part 4: reserved bits set", pos);
      const depth = ext ? 16 + pbd : pbd === 0 ? 16 : pbd;
      // table 3-1: integer DWT 25 bits, float DWT 27 (unsigned) / 28 (signed)
      const maxDepth = dwtInt ? 25 : signedPix ? 28 : 27;
      if (depth > maxDepth) return fail(`PixelBitDepth: ${depth} bits exceeds ${maxDepth} for ${signedPix ? "signed" : "unsigned"} pixels with the ${dwtInt ? "integer" : "float"} DWT (table 3-1)`, pos);
      if (opts.width !== undefined && width !== opts.width) return fail(`ImageWidth: ${width} in the stream, ${opts.width} expected`, pos);
      if (p && (width !== p.imageWidth || depth !== p.pixelBitDepth || signedPix !== p.signed || (dwtInt ? "integer" : "float") !== p.dwt)) {
        return fail(`Header Part 4: segment ${segs.length} changes ImageWidth/PixelBitDepth/SignedPixels/DWTtype within an image`, pos);
      }
      np.dwt = dwtInt ? "integer" : "float";
      np.signed = signedPix;
      np.pixelBitDepth = depth;
      np.imageWidth = width;
      np.transpose = transpose;
      np.codeWordBytes = 1 + (cwl >> 1) + 4 * (cwl & 1);
      np.customWeights = custom;
      if (!custom && wt.some((x) => x !== 0)) return fail("CustomWtFlag: 0 but the custom subband weight fields are not all zeros (4.2.5.2.10 c)", pos);
      // 3.9 / 4.1: BitShift of each subband; the float DWT does not scale subbands (BitShift 0)
      np.shifts = !dwtInt ? new Array(10).fill(0) : custom ? [wt[9], wt[7], wt[8], wt[6], wt[4], wt[5], wt[3], wt[1], wt[2], wt[0]] : [...DEFAULT_INT_SHIFTS];
      pos += 8;
    }
    np.padRows = padRows;
    p = np;
    if (p.segByteLimit > 0 && p.segByteLimit % p.codeWordBytes !== 0) return fail(`SegByteLimit: ${p.segByteLimit} is not a multiple of the ${p.codeWordBytes}-byte code word`, segStart + 3);
    if (p.segByteLimit > 0 && pos - segStart > p.segByteLimit) return fail(`SegByteLimit: ${p.segByteLimit} is smaller than the segment header`, segStart + 3);
    // BitDepthAC sanity: a bit-plane stop above the AC depth is legal (nothing of the AC is coded)
    if (bdAC > 0 && bdAC > p.pixelBitDepth + 12) return fail(`BitDepthAC: ${bdAC} impossible for ${p.pixelBitDepth}-bit pixels`, segStart);
    if (bdDC > p.pixelBitDepth + 14) return fail(`BitDepthDC: ${bdDC} impossible for ${p.pixelBitDepth}-bit pixels`, segStart);
    if (p.blocksPerSegment < 16 && !endImg) return fail(`S: ${p.blocksPerSegment} blocks in segment ${segs.length}; fewer than 16 only in the final segment (3.4)`, segStart);
    const wPad = (p.imageWidth + 7) & ~7;
    blocksPerRow = wPad >> 3;
    const pp = p;
    type Attempt = { st: SegState; truncated: boolean; cut: boolean; end: number } | { fail: Ccsds122Result };
    const attempt = (S: number): Attempt => {
      // every block costs at least one bit of DC coding: a claim beyond 8 blocks per remaining byte is refused before allocation
      const avail = (pp.segByteLimit > 0 ? Math.min(segStart + pp.segByteLimit, stream.length) : stream.length) - pos;
      if (S > 8 * avail && !opts.partial) {
        return { fail: fail(`S: segment ${segs.length} claims ${S} blocks but the stream ends ${avail} bytes later (at least 1 bit per block)`, segStart) };
      }
      if ((totalBlocks + S) * 64 > maxPixels) {
        return { fail: fail(`S: segment ${segs.length} brings the image to ${(totalBlocks + S) * 64} pixels, above the limit of ${maxPixels}`, segStart) };
      }
      const st: SegState = {
        S,
        dc: new Float64Array(S), dcLow: new Int8Array(S).fill(31),
        mag: new Int32Array(S * 64), neg: new Uint8Array(S * 64), sigPlane: new Int8Array(S * 64).fill(-1), low: new Int8Array(S * 64),
      };
      const limitEnd = pp.segByteLimit > 0 ? Math.min(segStart + pp.segByteLimit, stream.length) : stream.length;
      const bits = new Bits(stream, pos, limitEnd);
      const status = { stage: "header" };
      let truncated = false, cut = false;
      try {
        decodeSegmentData(bits, { p: pp, shifts: pp.shifts }, st, bdDC, bdAC, status);
      } catch (x) {
        if (x instanceof Bad) return { fail: fail(`segment ${segs.length}: ${x.msg}`, x.bitPos >> 3) };
        if (!(x instanceof Stop)) throw x;
        truncated = true;
        const byLimit = pp.segByteLimit > 0 && segStart + pp.segByteLimit <= stream.length;
        if (!byLimit) {
          if (!opts.partial) return { fail: fail(`segment ${segs.length}: stream ends in ${status.stage} (no SegByteLimit reached)`, stream.length) };
          cut = true;
        }
      }
      let end: number;
      if (truncated) end = limitEnd;
      else {
        const usedBytes = Math.ceil(bits.pos / 8) - segStart;
        const cw = pp.codeWordBytes;
        end = segStart + Math.ceil(usedBytes / cw) * cw;
        if (pp.useFill) end = segStart + pp.segByteLimit;
        if (end > stream.length) {
          if (!opts.partial && !endImg) return { fail: fail(`segment ${segs.length}: code-word padding runs past the end of the stream`, stream.length) };
          end = stream.length;
        }
      }
      return { st, truncated, cut, end };
    };
    let S = p.blocksPerSegment;
    let a: Attempt | null = null;
    if (endImg && !f3 && segs.length > 0 && opts.height !== undefined) {
      // the caller knows the height: the final segment holds the blocks that remain
      const bpr = ((p.imageWidth + 7) & ~7) >> 3;
      const rest = bpr * Math.ceil(opts.height / 8) - totalBlocks;
      if (rest >= 1 && rest <= S) { S = rest; a = attempt(S); }
    }
    if (!a && endImg && !f3 && segs.length > 0) {
      // The final segment without Part 3: it may hold fewer than S blocks (an encoder such as
      // Skooogi's does not restate S). Candidates complete the last block row; the first one
      // whose decoding ends exactly at the end of the stream (within a code word) is taken.
      const bpr = ((p.imageWidth + 7) & ~7) >> 3;
      let n = (bpr - (totalBlocks % bpr)) % bpr;
      if (n === 0) n = bpr;
      for (let tries = 0; n < S && tries < 64; n += bpr, tries++) {
        const t = attempt(n);
        if (!("fail" in t) && !t.truncated && stream.length - t.end < p.codeWordBytes) { a = t; S = n; break; }
      }
    }
    if (!a) a = attempt(S);
    if ("fail" in a) return a.fail;
    const { st, truncated, end } = a;
    if (truncated) anyTrunc = true;
    segs.push({ offset: segStart, length: end - segStart, startImg, endImg, segmentCount, bitDepthDC: bdDC, bitDepthAC: bdAC, part2: f2, part3: f3, part4: f4, blocks: S, truncated });
    segStates.push(st);
    totalBlocks += S;
    pos = end;
    if (endImg) ended = true;
  }
  if (!p) return fail("stream: no segment", 0);
  // geometry
  const wPad = blocksPerRow * 8;
  const blockRows = Math.ceil(totalBlocks / blocksPerRow);
  if (totalBlocks % blocksPerRow !== 0 && ended) {
    return fail(`S: the image has ${totalBlocks} blocks, not a multiple of ${blocksPerRow} blocks per row (ImageWidth ${p.imageWidth})`, segs[segs.length - 1].offset);
  }
  const hPad = blockRows * 8;
  const height = hPad - (ended ? p.padRows : 0);
  if (height <= 0) return fail(`PadRows: ${p.padRows} leaves no image rows`, segs[segs.length - 1].offset);
  if (opts.height !== undefined && ended && height !== opts.height) {
    return fail(`PadRows: the stream decodes to ${height} rows (${totalBlocks} blocks, PadRows ${p.padRows}), ${opts.height} expected`, segs[segs.length - 1].offset);
  }
  // scatter coefficients into the Mallat layout, in the weighted domain, then unweight
  const img = new Float64Array(wPad * hPad);
  const w8 = wPad >> 3, h8 = hPad >> 3;
  const shifts = p.shifts;
  const mid = recon === "midpoint";
  let blk = 0;
  for (const st of segStates) {
    for (let m = 0; m < st.S; m++, blk++) {
      const br = Math.floor(blk / blocksPerRow), bc = blk % blocksPerRow;
      if (br >= h8) break;
      // DC
      let dc = st.dc[m];
      const dl = st.dcLow[m];
      const dcShift = shifts[0];
      if (dl > dcShift && dl < 31 && recon === "midpoint") dc += Math.floor((2 ** dl - 1) / 2 / 2 ** dcShift) * 2 ** dcShift;
      if (dl === 31) dc = 0;
      img[br * wPad + bc] = dc / 2 ** dcShift;
      for (let i = 0; i < 3; i++) {
        // subband origins: level 3 parents, level 2 children, level 1 grandchildren
        const rowHigh = i === 0 ? 0 : 1, colHigh = i === 1 ? 0 : 1; // HL: right, LH: below, HH: both
        const r3 = rowHigh * h8, c3 = colHigh * w8, r2 = 2 * r3, c2 = 2 * c3, r1 = 4 * r3, c1 = 4 * c3;
        img[(r3 + br) * wPad + c3 + bc] = coefValue(st, m, PAR(i), shifts, mid);
        for (let j = 0; j < 4; j++) {
          const cr = 2 * br + (j >> 1), ccol = 2 * bc + (j & 1);
          img[(r2 + cr) * wPad + c2 + ccol] = coefValue(st, m, CHI(i, j), shifts, mid);
          for (let k = 0; k < 4; k++) {
            img[(r1 + 2 * cr + (k >> 1)) * wPad + c1 + 2 * ccol + (k & 1)] = coefValue(st, m, GCH(i, j, k), shifts, mid);
          }
        }
      }
    }
  }
  inverseDwt(img, wPad, hPad, p.dwt);
  const width = p.imageWidth;
  const lo = p.signed ? -(2 ** (p.pixelBitDepth - 1)) : 0;
  const hi = p.signed ? 2 ** (p.pixelBitDepth - 1) - 1 : 2 ** p.pixelBitDepth - 1;
  let outW = width, outH = height;
  const pixels = new Int32Array(width * height);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      let v = Math.round(img[r * wPad + c]);
      if (v < lo) v = lo; else if (v > hi) v = hi;
      pixels[r * width + c] = v;
    }
  }
  let out = pixels;
  if (p.transpose) {
    out = new Int32Array(width * height);
    for (let r = 0; r < height; r++) for (let c = 0; c < width; c++) out[c * height + r] = pixels[r * width + c];
    outW = height; outH = width;
  }
  return {
    ok: true, width: outW, height: outH, bitDepth: p.pixelBitDepth, signed: p.signed, pixels: out,
    segments: segs.length, truncated: anyTrunc, headers: { params: p, segments: segs },
  };
}
