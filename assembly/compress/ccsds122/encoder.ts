// CCSDS 122.0-B-2 strip-based encoder in imager order: configure once (every buffer carved from
// the caller's state area), then one line at a time, then end. Memory is bounded by a strip,
// not the image: a window of at most 136 lines (twice: the lines and their transform; the 64-line strip of 8 block rows, 32 lines of
// DWT support above and below, 8 lines of bottom padding) plus one segment of S blocks.
//
// Exactness of the strip DWT: the window [s, e) of a strip starts on a multiple of 8 (same
// lifting phase at every level) and reaches 32 lines beyond the strip on both sides where the
// image goes on; a wrong mirror at a window edge that is not an image edge corrupts at most 4
// level-3 rows (2 level-1, 3 level-2 rows) next to it, all outside the strip, so the strip's
// coefficients equal the whole-frame DWT's (tests/reference/ccsds122-encoder.test.ts compares the
// two bit for bit).
//
// One encoder per instance (module state); statuses from assembly/abi/status.ts.
import { dwt2dInt, dwt2dFloat } from "./dwt";
import { bpeConfigure, bpeSegment, bpeScratchLen, SHIFT_P, SHIFT_C, SHIFT_G, shiftLL3 } from "./bpe";
import { OK, E_NULL } from "../../abi/status";
import { E_C122_BAD_PARAM, E_C122_BAD_STATE, E_C122_NO_MEMORY, E_C122_BAD_SAMPLE, E_C122_TOO_FEW_LINES } from "../../abi/status";
import { copyBytes } from "../../util/be";

// Parameter block: i32 words.
export const C122_WIDTH: i32 = 0;          // image width, 17..65536 pixels (§3.2.4)
export const C122_BIT_DEPTH: i32 = 1;      // pixel bit depth 1..16
export const C122_SIGNED: i32 = 2;         // 0 unsigned, 1 signed pixels
export const C122_DWT: i32 = 3;            // 1 Integer DWT (lossless possible), 0 Float DWT
export const C122_S: i32 = 4;              // blocks per segment, 16..65536 (last segment fewer)
export const C122_SEG_BYTE_LIMIT: i32 = 5; // bytes per coded segment incl. header; 0: no limit
export const C122_DC_STOP: i32 = 6;        // 1: stop after the DC coefficients
export const C122_BITPLANE_STOP: i32 = 7;  // 0..31
export const C122_STAGE_STOP: i32 = 8;     // 0..3 (stage 1..4)
export const C122_USE_FILL: i32 = 9;       // 1: fill each segment to SegByteLimit
export const C122_OPT_DC: i32 = 10;        // 1 optimum, 0 heuristic code option selection
export const C122_OPT_AC: i32 = 11;
export const C122_WORD_BYTES: i32 = 12;    // code word length 1..8 bytes
export const C122_CUSTOM_WT: i32 = 13;     // 1: custom subband weights
export const C122_WEIGHTS: i32 = 14;       // 10 two-bit exponents, HH1 in bits 0-1 ... LL3 in bits 18-19
export const C122_TRANSPOSE: i32 = 15;     // TransposeImg header flag
export const C122_ALL_PARTS: i32 = 16;     // 1: header Parts 2-4 in every segment
export const C122_SAMPLE_BYTES: i32 = 17;  // input sample width: 1, 2 or 4 bytes, little-endian
export const C122_PARAM_COUNT: i32 = 18;

const WIN: i32 = 136;          // window lines
const STRIP: i32 = 64;         // lines per strip (8 block rows)
const MARGIN: i32 = 32;        // DWT support kept on each side
const BLOCK_BOUND: i32 = 352;  // bytes a block can take in a coded segment, at most (see README)
const MAX_SEG_LIMIT: i32 = (1 << 27) - 1;

let lastBad: i32 = -1;
export function c122LastBadParam(): i32 { return lastBad; }

// Configuration.
let ready = false, ended = false;
let width = 0, w8 = 0, bitDepth = 0, signed = 0, dwtInt = 1, S = 16, sampleBytes = 2;
let segLimit = 0, segCap = 0, useFill = 0;
// Carved areas.
let lineBuf: usize = 0, work: usize = 0, vt: usize = 0, tmp: usize = 0, blocks: usize = 0, scratch: usize = 0, out: usize = 0;
let outCap = 0, blockCap = 0;
// The length of every segment waiting in the output (a packetizer sends segment by segment).
let segLens: usize = 0, segLensCap = 0, outSegs = 0;
// Progress.
let rowsIn = 0, bufStart = 0, nextStrip = 0, pending = 0, segCount = 0, outLen = 0, padRows = 0, hPad = 0;
let firstSeg = true;

@inline function prm(p: usize, i: i32): i32 { return load<i32>(p + (<usize>i << 2)); }

/** Checks the parameter block; returns the index of the first bad parameter or -1. */
export function c122CheckParams(p: usize): i32 {
  const w = prm(p, C122_WIDTH);
  if (w < 17 || w > 65536) return C122_WIDTH;
  const d = prm(p, C122_BIT_DEPTH);
  if (d < 1 || d > 16) return C122_BIT_DEPTH;
  if (<u32>prm(p, C122_SIGNED) > 1) return C122_SIGNED;
  if (<u32>prm(p, C122_DWT) > 1) return C122_DWT;
  const s = prm(p, C122_S);
  if (s < 16 || s > 65536) return C122_S;
  const wb = prm(p, C122_WORD_BYTES);
  if (wb < 1 || wb > 8) return C122_WORD_BYTES;
  const lim = prm(p, C122_SEG_BYTE_LIMIT);
  if (lim != 0 && (lim < 20 || lim > MAX_SEG_LIMIT || lim % wb != 0)) return C122_SEG_BYTE_LIMIT;
  if (<u32>prm(p, C122_DC_STOP) > 1) return C122_DC_STOP;
  if (<u32>prm(p, C122_BITPLANE_STOP) > 31) return C122_BITPLANE_STOP;
  if (<u32>prm(p, C122_STAGE_STOP) > 3) return C122_STAGE_STOP;
  if (<u32>prm(p, C122_USE_FILL) > 1 || (prm(p, C122_USE_FILL) == 1 && lim == 0)) return C122_USE_FILL;
  if (<u32>prm(p, C122_OPT_DC) > 1) return C122_OPT_DC;
  if (<u32>prm(p, C122_OPT_AC) > 1) return C122_OPT_AC;
  // Custom weights scale Integer DWT subbands only: Float DWT subbands are not scaled (§3.9.2, §4.1).
  if (<u32>prm(p, C122_CUSTOM_WT) > 1 || (prm(p, C122_CUSTOM_WT) == 1 && prm(p, C122_DWT) == 0)) return C122_CUSTOM_WT;
  if (<u32>prm(p, C122_WEIGHTS) >= (1 << 20) || (prm(p, C122_CUSTOM_WT) == 0 && prm(p, C122_WEIGHTS) != 0)) return C122_WEIGHTS;
  if (<u32>prm(p, C122_TRANSPOSE) > 1) return C122_TRANSPOSE;
  if (<u32>prm(p, C122_ALL_PARTS) > 1) return C122_ALL_PARTS;
  const sb = prm(p, C122_SAMPLE_BYTES);
  if (sb != 1 && sb != 2 && sb != 4) return C122_SAMPLE_BYTES;
  if (sb == 1 && d > 8) return C122_SAMPLE_BYTES;
  return -1;
}

/** Bytes of state the encoder needs for these parameters (f64: may exceed 2^31); -1 if bad. */
export function c122StateLen(p: usize): i64 {
  const bad = c122CheckParams(p);
  lastBad = bad;
  if (bad >= 0) return -1;
  return layout(p, 0, false);
}

/** Carves the areas from base (or only sums them when !apply); returns the total length. */
function layout(p: usize, base: usize, apply: bool): i64 {
  const w = (prm(p, C122_WIDTH) + 7) & ~7;
  const s = prm(p, C122_S);
  const lim = prm(p, C122_SEG_BYTE_LIMIT), wb = prm(p, C122_WORD_BYTES);
  const bound: i64 = (<i64>s * BLOCK_BOUND + 64 + wb) / wb * wb;
  const cap: i64 = lim != 0 && (prm(p, C122_USE_FILL) == 1 || <i64>lim < bound) ? <i64>lim : bound;
  const perPush: i64 = 2 * ((<i64>w + s - 1) / s) + 2;
  let off: i64 = 0;
  const lineLen: i64 = <i64>WIN * w * 4;
  const workLen: i64 = <i64>WIN * w * 8;
  const tmpLen: i64 = 2 * <i64>(w > WIN ? w : WIN) * 8;
  const blkCap: i64 = <i64>s + w;
  const blkLen: i64 = blkCap * 256;
  const scrLen: i64 = <i64>bpeScratchLen(s);
  const outLen_: i64 = perPush * cap;
  if (apply) {
    lineBuf = base + <usize>off;
  }
  off += (lineLen + 15) & ~15;
  if (apply) work = base + <usize>off;
  off += (workLen + 15) & ~15;
  if (apply) vt = base + <usize>off;
  off += (workLen + 15) & ~15;
  if (apply) tmp = base + <usize>off;
  off += (tmpLen + 15) & ~15;
  if (apply) { blocks = base + <usize>off; blockCap = <i32>blkCap; }
  off += (blkLen + 15) & ~15;
  if (apply) scratch = base + <usize>off;
  off += (scrLen + 15) & ~15;
  if (apply) { out = base + <usize>off; outCap = <i32>outLen_; segCap = <i32>cap; }
  off += (outLen_ + 15) & ~15;
  if (apply) { segLens = base + <usize>off; segLensCap = <i32>perPush; }
  off += (perPush * 4 + 15) & ~15;
  return off + 16;
}

/** Configures the encoder in the state area [state, state + stateLen). */
export function c122Init(state: usize, stateLen: i64, p: usize): i32 {
  ready = false;
  if (p == 0 || state == 0) return E_NULL;
  const bad = c122CheckParams(p);
  lastBad = bad;
  if (bad >= 0) return E_C122_BAD_PARAM;
  const need = layout(p, 0, false);
  if (stateLen < need || need > 0x7FFFFFFF) return E_C122_NO_MEMORY;
  const base = (state + 15) & ~<usize>15;
  layout(p, base, true);
  width = prm(p, C122_WIDTH); w8 = (width + 7) & ~7; bitDepth = prm(p, C122_BIT_DEPTH); signed = prm(p, C122_SIGNED);
  dwtInt = prm(p, C122_DWT); S = prm(p, C122_S); sampleBytes = prm(p, C122_SAMPLE_BYTES); useFill = prm(p, C122_USE_FILL);
  const wb = prm(p, C122_WORD_BYTES);
  let lim = prm(p, C122_SEG_BYTE_LIMIT);
  if (lim == 0) lim = MAX_SEG_LIMIT / wb * wb;
  segLimit = lim;
  bpeConfigure(lim, prm(p, C122_DC_STOP), prm(p, C122_BITPLANE_STOP), prm(p, C122_STAGE_STOP), useFill, prm(p, C122_OPT_DC), prm(p, C122_OPT_AC),
    wb, dwtInt, signed, bitDepth, width, prm(p, C122_TRANSPOSE), prm(p, C122_CUSTOM_WT), prm(p, C122_WEIGHTS), prm(p, C122_ALL_PARTS), S);
  rowsIn = 0; bufStart = 0; nextStrip = 0; pending = 0; segCount = 0; outLen = 0; outSegs = 0; padRows = 0; hPad = 0; firstSeg = true; ended = false;
  ready = true;
  return OK;
}

/** Output bytes waiting to be taken (coded segments, whole). */
export function c122OutPtr(): usize { return out; }
export function c122OutLen(): i32 { return outLen; }
/** The caller took the output. */
export function c122Drained(): void { outLen = 0; outSegs = 0; }
/** Segments waiting in the output (whole, in order), and the length in octets of the i-th. */
export function c122OutSegments(): i32 { return outSegs; }
export function c122OutSegmentLen(i: i32): i32 { return i >= 0 && i < outSegs ? load<i32>(segLens + (<usize>i << 2)) : 0; }
export function c122Segments(): i32 { return segCount; }
export function c122Lines(): i32 { return rowsIn; }

/** Pushes one image line (width samples of sampleBytes, little-endian). Returns the number of
 *  output bytes waiting (take them, then c122Drained) or a negative status. */
export function c122PushLine(line: usize): i32 {
  if (!ready || ended || outLen != 0) return E_C122_BAD_STATE;
  if (line == 0) return E_NULL;
  const row = lineBuf + (<usize>((rowsIn - bufStart) * w8) << 2);
  const lo: i32 = signed ? -(1 << (bitDepth - 1)) : 0;
  const hi: i32 = signed ? (1 << (bitDepth - 1)) - 1 : (1 << bitDepth) - 1;
  let bad = false;
  if (sampleBytes == 2) {
    for (let x = 0; x < width; x++) {
      const u = <i32>load<u16>(line + (<usize>x << 1));
      const v = signed ? (u << 16) >> 16 : u;
      bad = bad || v < lo || v > hi;
      store<i32>(row + (<usize>x << 2), v);
    }
  } else if (sampleBytes == 1) {
    for (let x = 0; x < width; x++) {
      const u = <i32>load<u8>(line + <usize>x);
      const v = signed ? (u << 24) >> 24 : u;
      bad = bad || v < lo || v > hi;
      store<i32>(row + (<usize>x << 2), v);
    }
  } else {
    for (let x = 0; x < width; x++) {
      const v = load<i32>(line + (<usize>x << 2));
      bad = bad || v < lo || v > hi;
      store<i32>(row + (<usize>x << 2), v);
    }
  }
  if (bad) return E_C122_BAD_SAMPLE;  // the line is not taken
  // §3.2.5 a): pad columns with copies of the right-most column.
  const last = load<i32>(row + (<usize>(width - 1) << 2));
  for (let x = width; x < w8; x++) store<i32>(row + (<usize>x << 2), last);
  rowsIn++;
  if (rowsIn == STRIP * nextStrip + STRIP + MARGIN) {
    const st = strip(nextStrip, false);
    if (st < 0) return st;
    nextStrip++;
  }
  return outLen;
}

/** Ends the image: pads rows (§3.2.5 b), codes the remaining strips and the last segment. */
export function c122End(): i32 {
  if (!ready || ended || outLen != 0) return E_C122_BAD_STATE;
  if (rowsIn < 17) return E_C122_TOO_FEW_LINES;
  ended = true;
  hPad = (rowsIn + 7) & ~7;
  padRows = hPad - rowsIn;
  const lastRow = lineBuf + (<usize>((rowsIn - 1 - bufStart) * w8) << 2);
  for (let r = rowsIn; r < hPad; r++) {
    const row = lineBuf + (<usize>((r - bufStart) * w8) << 2);
    for (let x = 0; x < w8; x++) store<i32>(row + (<usize>x << 2), load<i32>(lastRow + (<usize>x << 2)));
  }
  for (let k = 0; k < 4 && STRIP * nextStrip < hPad; k++) {
    const st = strip(nextStrip, true);
    if (st < 0) return st;
    nextStrip++;
  }
  if (pending > 0) {
    const st = segment(pending, true);
    if (st < 0) return st;
  }
  return outLen;
}

/** DWT of strip k's window, its blocks appended to the pending ones, full segments coded. */
function strip(k: i32, final: bool): i32 {
  const s0 = STRIP * k - MARGIN > 0 ? STRIP * k - MARGIN : 0;
  let e = STRIP * k + STRIP + MARGIN;
  if (final && e > hPad) e = hPad;
  const lw = e - s0;
  const off = s0 - bufStart;
  // Window into the work area and the 3-level DWT.
  if (dwtInt) {
    const n = lw * w8;
    const src = lineBuf + (<usize>(off * w8) << 2);
    for (let i = 0; i < n; i++) store<i32>(work + (<usize>i << 2), load<i32>(src + (<usize>i << 2)));
    dwt2dInt(work, w8, w8, lw, tmp, vt);
  } else {
    const n = lw * w8;
    const src = lineBuf + (<usize>(off * w8) << 2);
    for (let i = 0; i < n; i++) store<f64>(work + (<usize>i << 3), <f64>load<i32>(src + (<usize>i << 2)));
    dwt2dFloat(work, w8, w8, lw, tmp, vt);
  }
  // Blocks of the strip's block rows (§4.1, table 4-1).
  const r0 = (STRIP * k) >> 3;
  let r1lim = r0 + (STRIP >> 3);
  if (final && r1lim > (hPad >> 3)) r1lim = hPad >> 3;
  const w3 = w8 >> 3, h3 = lw >> 3, w2 = w8 >> 2, h2 = lw >> 2, w1 = w8 >> 1, h1 = lw >> 1;
  const sP0 = load<i32>(SHIFT_P), sP1 = load<i32>(SHIFT_P, 4), sP2 = load<i32>(SHIFT_P, 8);
  for (let R = r0; R < r1lim; R++) {
    const r = R - (s0 >> 3);
    for (let c = 0; c < w3; c++) {
      if (pending >= blockCap) return E_C122_BAD_STATE; // cannot happen: S + w8 blocks carved
      const bp = blocks + (<usize>pending << 8);
      store<i32>(bp, coef(r, c) << shiftLL3);
      store<i32>(bp, coef(r, w3 + c) << sP0, 4);
      store<i32>(bp, coef(h3 + r, c) << sP1, 8);
      store<i32>(bp, coef(h3 + r, w3 + c) << sP2, 12);
      for (let i = 0; i < 3; i++) {
        // Family i: 0 HL (top right), 1 LH (bottom left), 2 HH (bottom right).
        const y2 = i == 0 ? 0 : h2, x2 = i == 1 ? 0 : w2;
        const sc = load<i32>(SHIFT_C + (<usize>i << 2));
        for (let k2 = 0; k2 < 4; k2++) store<i32>(bp + (<usize>(4 + 4 * i + k2) << 2), coef(y2 + 2 * r + (k2 >> 1), x2 + 2 * c + (k2 & 1)) << sc);
        const y1 = i == 0 ? 0 : h1, x1 = i == 1 ? 0 : w1;
        const sg = load<i32>(SHIFT_G + (<usize>i << 2));
        for (let j = 0; j < 4; j++) for (let k2 = 0; k2 < 4; k2++)
          store<i32>(bp + (<usize>(16 + 16 * i + 4 * j + k2) << 2), coef(y1 + 4 * r + 2 * (j >> 1) + (k2 >> 1), x1 + 4 * c + 2 * (j & 1) + (k2 & 1)) << sg);
      }
      pending++;
    }
  }
  while (pending > S) {
    const st = segment(S, false);
    if (st < 0) return st;
  }
  // Keep the lines the next strip's window needs.
  const keep = STRIP * (k + 1) - MARGIN;
  if (keep > bufStart) {
    const drop = keep - bufStart;
    const n = (rowsIn > hPad ? rowsIn : hPad) - keep;
    if (n > 0) copyBytes(lineBuf, lineBuf + (<usize>(drop * w8) << 2), <usize>(n * w8) << 2);   // dst < src: a forward copy is right
    bufStart = keep;
  }
  return OK;
}

/** Coefficient (row, col) of the transformed window, rounded when Float (§4.1). */
@inline function coef(r: i32, c: i32): i32 {
  if (dwtInt) return load<i32>(work + (<usize>(r * w8 + c) << 2));
  return <i32>Math.floor(load<f64>(work + (<usize>(r * w8 + c) << 3)) + 0.5);
}

/** Codes the first n pending blocks as one segment into the output. */
function segment(n: i32, last: bool): i32 {
  if (outLen + segCap > outCap) return E_C122_BAD_STATE; // cannot happen: carved for a push
  const len = bpeSegment(blocks, n, scratch, out + <usize>outLen, segCap, firstSeg, last, segCount, padRows);
  outLen += len;
  if (outSegs < segLensCap) { store<i32>(segLens + (<usize>outSegs << 2), len); outSegs++; }  // always: segLensCap segments fit a push
  firstSeg = false;
  segCount++;
  pending -= n;
  if (pending > 0) copyBytes(blocks, blocks + (<usize>n << 8), <usize>pending << 8);   // dst < src
  return OK;
}
