// CCSDS 122.0-B-2 §4: the Bit Plane Encoder. Codes one segment of S blocks (each block: 64 i32
// coefficients after subband scaling, layout below) into a byte buffer: segment header (§4.2),
// quantized DC coefficients (§4.3.2), additional DC bit planes (§4.3.3), AC bit depths (§4.4),
// then bit planes with stages 0-4 (§4.5), stopping at the quality limit (DCStop, BitPlaneStop,
// StageStop) or at SegByteLimit bytes (rate control), whichever comes first; then fill (§4.2.3.2.5).
//
// Block layout (64 i32): [0] DC; [1..3] parents p0 (HL3), p1 (LH3), p2 (HH3); [4 + 4i + k]
// children C_i; [16 + 16i + 4j + k] grandchildren H_ij; members in table 4-1 order.
// No allocation: every array is carved by the caller (encoder.ts); bounded loops; no recursion.
import { MAP2, MAP3, MAP3D, MAP4C, MAP4H, CODE_L, CODE_V, codeBase, optCount, idBits, idValue } from "./tables";

// ---- configuration of the segment coder (set by encoder.ts) ---------------------------------
export let cfgSegByteLimit: i32 = 0;   // bytes, multiple of the code word length
export let cfgDcStop: i32 = 0;
export let cfgBitPlaneStop: i32 = 0;
export let cfgStageStop: i32 = 3;      // 0 stage 1 ... 3 stage 4
export let cfgUseFill: i32 = 0;
export let cfgOptDc: i32 = 1;          // 1 optimum, 0 heuristic (§4.3.2.11)
export let cfgOptAc: i32 = 1;
export let cfgWordBytes: i32 = 1;
export let cfgDwtInt: i32 = 1;
export let cfgSigned: i32 = 0;
export let cfgBitDepth: i32 = 8;
export let cfgWidth: i32 = 0;
export let cfgTranspose: i32 = 0;
export let cfgCustomWt: i32 = 0;
export let cfgWeights: i32 = 0;        // 10 two-bit fields, HH1 in bits 0-1 ... LL3 in bits 18-19
export let cfgAllParts: i32 = 0;       // 1: Parts 2-4 in every segment, 0: in the first only
export let cfgS: i32 = 16;
// BitShift of the subbands (§4.1): family i parent/children/grandchildren, and LL3.
export const SHIFT_P: usize = memory.data(12);
export const SHIFT_C: usize = memory.data(12);
export const SHIFT_G: usize = memory.data(12);
export let shiftLL3: i32 = 0;

export function bpeConfigure(segByteLimit: i32, dcStop: i32, bpStop: i32, stageStop: i32, useFill: i32, optDc: i32, optAc: i32,
  wordBytes: i32, dwtInt: i32, signed: i32, bitDepth: i32, width: i32, transpose: i32, customWt: i32, weights: i32, allParts: i32, s: i32): void {
  cfgSegByteLimit = segByteLimit; cfgDcStop = dcStop; cfgBitPlaneStop = bpStop; cfgStageStop = stageStop; cfgUseFill = useFill;
  cfgOptDc = optDc; cfgOptAc = optAc; cfgWordBytes = wordBytes; cfgDwtInt = dwtInt; cfgSigned = signed; cfgBitDepth = bitDepth;
  cfgWidth = width; cfgTranspose = transpose; cfgCustomWt = customWt; cfgWeights = weights; cfgAllParts = allParts; cfgS = s;
  // Weight exponents: custom (header order HH1 HL1 LH1 HH2 HL2 LH2 HH3 HL3 LH3 LL3; Integer DWT
  // only, encoder.ts refuses them with the Float DWT), else table 3-4 for the Integer DWT, else
  // none (Float DWT, §3.9.2, §4.1).
  // Table 3-4: HH1 0, HL1 1, LH1 1, HH2 1, HL2 2, LH2 2, HH3 2, HL3 3, LH3 3, LL3 3.
  const std = (1 << 2) | (1 << 4) | (1 << 6) | (2 << 8) | (2 << 10) | (2 << 12) | (3 << 14) | (3 << 16) | (3 << 18);
  const w = customWt ? weights : dwtInt ? std : 0;
  store<i32>(SHIFT_G, (w >> 2) & 3); store<i32>(SHIFT_G, (w >> 4) & 3, 4); store<i32>(SHIFT_G, w & 3, 8);
  store<i32>(SHIFT_C, (w >> 8) & 3); store<i32>(SHIFT_C, (w >> 10) & 3, 4); store<i32>(SHIFT_C, (w >> 6) & 3, 8);
  store<i32>(SHIFT_P, (w >> 14) & 3); store<i32>(SHIFT_P, (w >> 16) & 3, 4); store<i32>(SHIFT_P, (w >> 12) & 3, 8);
  shiftLL3 = (w >> 18) & 3;
  sG0 = (w >> 2) & 3; sG1 = (w >> 4) & 3; sG2 = w & 3;
  sC0 = (w >> 8) & 3; sC1 = (w >> 10) & 3; sC2 = (w >> 6) & 3;
  sP0 = (w >> 14) & 3; sP1 = (w >> 16) & 3; sP2 = (w >> 12) & 3;
  let mn = sC0; if (sC1 < mn) mn = sC1; if (sC2 < mn) mn = sC2; if (sG0 < mn) mn = sG0; if (sG1 < mn) mn = sG1; if (sG2 < mn) mn = sG2;
  minShB = mn;
}

// ---- bit writer (MSB first) with the segment byte limit ------------------------------------
let outBase: usize = 0;
let outPos: i32 = 0;       // bytes written
let outLimit: i32 = 0;     // byte limit of this segment
let acc: u64 = 0;
let accBits: i32 = 0;
let full: bool = false;    // the byte limit was reached: later bits are dropped

@inline function put(v: u32, n: i32): void {
  // n <= 32
  acc = (acc << <u64>n) | (<u64>v & ((<u64>1 << <u64>n) - 1));
  accBits += n;
  if (accBits >= 32) flush32();
}
function flush32(): void {
  while (accBits >= 8) {
    if (outPos >= outLimit) { full = true; accBits = 0; return; }
    accBits -= 8;
    store<u8>(outBase + <usize>outPos, <u8>(acc >> <u64>accBits));
    outPos++;
  }
}
/** Flushes whole bytes; then the partial byte padded with zeros (if room). */
function flushAll(): void {
  flush32();
  if (accBits > 0 && !full) {
    if (outPos >= outLimit) { full = true; } else {
      store<u8>(outBase + <usize>outPos, <u8>(acc << <u64>(8 - accBits)));
      outPos++;
    }
  }
  accBits = 0; acc = 0;
}
/** True when the byte limit is reached (whole bytes written plus pending bits). */
@inline function atLimit(): bool { return full || outPos + (accBits >> 3) >= outLimit; }

// ---- segment data (pointers set by encoder.ts) ----------------------------------------------
let blk: usize = 0;        // S blocks × 64 i32
let nBlk: i32 = 0;
let bdBlk: usize = 0;      // u8 per block: BitDepthAC_Block
let aux: usize = 0;        // per block 18 u32 maxima: maxC[3], maxG[3], maxH[12]
let gopt: usize = 0;       // per gaggle 3 u8: option for 2-, 3-, 4-bit words
let gid: usize = 0;        // per gaggle u8: bit L set when the ID of length L was sent (this plane)
let dcq: usize = 0;        // per block i32: quantized DC / mapped values scratch

/** Bytes of scratch the segment coder needs for S blocks (besides the blocks themselves). */
export function bpeScratchLen(s: i32): i32 { return s * (84 + WB_STRIDE) + 64; }

@inline function absu(x: i32): u32 { return <u32>(x < 0 ? -x : x); }
@inline function bitlen(x: u32): i32 { return 32 - <i32>clz(x); }

// ---- DPCM coding of DC coefficients and AC bit depths (§4.3.2, §4.4) -------------------------
/** Codes n values at vals (i32) with N-bit representation; signedVals: DC (two's complement,
 *  x_min = -2^(N-1)) or AC bit depth (x_min = 0); heuristic: table 4-10 selection. */
function codeDpcm(vals: usize, n: i32, N: i32, signedVals: bool, heuristic: bool): void {
  if (N == 1) {
    for (let m = 0; m < n; m++) put(<u32>load<i32>(vals + (<usize>m << 2)) & 1, 1);
    return;
  }
  const xmin: i32 = signedVals ? -(1 << (N - 1)) : 0;
  const xmax: i32 = signedVals ? (1 << (N - 1)) - 1 : (1 << N) - 1;
  const idb = N == 2 ? 1 : N <= 4 ? 2 : N <= 8 ? 3 : 4;
  const kmax = N == 2 ? 0 : N <= 4 ? 2 : N <= 8 ? 6 : 8;
  const mask: u32 = N >= 32 ? 0xFFFFFFFF : ((<u32>1 << <u32>N) - 1);
  // Mapped differences δ_m (equation 19) into dcq[m] (m >= 1).
  let prev = load<i32>(vals);
  for (let m = 1; m < n; m++) {
    const c = load<i32>(vals + (<usize>m << 2));
    const d = c - prev;
    const a = prev - xmin, bb = xmax - prev;
    const theta = a < bb ? a : bb;
    let md: i32;
    if (d >= 0 && d <= theta) md = d << 1;
    else if (d < 0 && -d <= theta) md = ((-d) << 1) - 1;
    else md = theta + (d < 0 ? -d : d);
    store<i32>(dcq + (<usize>m << 2), md);
    prev = c;
  }
  for (let g0 = 0; g0 < n; g0 += 16) {
    const first = g0 == 0;
    const lo = first ? 1 : g0;
    const hi = g0 + 16 < n ? g0 + 16 : n;
    const J = hi - lo;
    // Code option: optimum (§4.3.2.13: uncoded on ties, else the smallest k) or heuristic.
    let best = -1; // -1: uncoded
    if (!heuristic) {
      let bestLen: i64 = <i64>J * N;
      for (let k = 0; k <= kmax; k++) {
        let len: i64 = 0;
        for (let m = lo; m < hi; m++) len += <i64>((<u32>load<i32>(dcq + (<usize>m << 2)) >> <u32>k) + 1 + <u32>k);
        if (len < bestLen) { bestLen = len; best = k; }
      }
    } else if (J > 0) {
      let sum: i64 = 0;
      for (let m = lo; m < hi; m++) sum += <i64>load<i32>(dcq + (<usize>m << 2));
      const JJ = <i64>J;
      if (64 * sum >= 23 * JJ * (<i64>1 << N)) best = -1;
      else if (207 * JJ > 128 * sum) best = 0;
      else if (JJ * (<i64>1 << (N + 5)) <= 128 * sum + 49 * JJ) best = N - 2;
      else {
        best = 0;
        for (let k = N - 2; k >= 0; k--) if (JJ * (<i64>1 << (k + 7)) <= 128 * sum + 49 * JJ) { best = k; break; }
      }
      if (best > kmax) best = kmax;
    }
    put(best < 0 ? (<u32>1 << <u32>idb) - 1 : <u32>best, idb);
    if (first) put(<u32>load<i32>(vals) & mask, N);
    if (best < 0) {
      for (let m = lo; m < hi; m++) put(<u32>load<i32>(dcq + (<usize>m << 2)), N);
    } else {
      const k = best;
      for (let m = lo; m < hi; m++) {
        let z = <u32>load<i32>(dcq + (<usize>m << 2)) >> <u32>k;
        while (z >= 32) { put(0, 32); z -= 32; }
        put(1, <i32>z + 1);
      }
      if (k > 0) for (let m = lo; m < hi; m++) put(<u32>load<i32>(dcq + (<usize>m << 2)), k);
    }
    if (atLimit()) return;
  }
}

// ---- stages 1-3: words generated once per plane, then emitted in stage order ---------------
// Each block's words of stages 1-3 at the current plane go to its slot of the word buffer (WB_STRIDE
// bytes: 3 stage counts, then u16 entries: bits 0-3 symbol (coded) or value (raw), 4-6 length,
// bit 7 coded). The coded words' symbols are counted per gaggle (HIST) to choose the code option
// of each word length (§4.5.3.3.4-5) before anything of the plane is emitted.
const WB_STRIDE: i32 = 96;         // 4 + 2·46 (at most 2 + 6 + 38 words per block and plane)
let wb: usize = 0;                 // word buffer, S slots
let wp: usize = 0;                 // write pointer into the current slot
const HIST: usize = memory.data(4 * 28); // i32 counts: 2-bit symbols [0,4), 3-bit [4,12), 4-bit [12,28)
let sP0 = 0, sP1 = 0, sP2 = 0, sC0 = 0, sC1 = 0, sC2 = 0, sG0 = 0, sG1 = 0, sG2 = 0, minShB = 0;

const K_GEN: i32 = 0, K_TRAND: i32 = 1, K_C: i32 = 2, K_H: i32 = 3;

@inline function raw(w: u32, len: i32): void {
  if (len == 0) return;
  store<u16>(wp, <u16>(w | (<u32>len << 4)));
  wp += 2;
}
/** A word of stages 1-3: one bit raw (§4.5.3.2.1), longer ones mapped to a symbol and counted. */
function word(w: u32, len: i32, kind: i32): void {
  if (len <= 1) { raw(w, len); return; }
  let sym: i32, h: i32;
  if (len == 2) { sym = load<u8>(MAP2 + w); h = 0; }
  else if (len == 3) { sym = kind == K_TRAND ? load<u8>(MAP3D + w) : load<u8>(MAP3 + w); h = 4; }
  else { sym = kind == K_C ? load<u8>(MAP4C + w) : load<u8>(MAP4H + w); h = 12; }
  const hp = HIST + (<usize>(h + sym) << 2);
  store<i32>(hp, load<i32>(hp) + 1);
  store<u16>(wp, <u16>(<u32>sym | (<u32>len << 4) | 0x80));
  wp += 2;
}
@inline function shC(i: i32): i32 { return i == 0 ? sC0 : i == 1 ? sC1 : sC2; }
@inline function shG(i: i32): i32 { return i == 0 ? sG0 : i == 1 ? sG1 : sG2; }
@inline function shP(i: i32): i32 { return i == 0 ? sP0 : i == 1 ? sP1 : sP2; }

/** Types and signs words of the 4 coefficients at cp (children, or grandchildren H_ij), without
 *  branches per coefficient: m = |x| >> b is 0 or 1 for a coefficient not yet selected (its bit
 *  joins the types word), 1 for one selected now (its sign joins the signs word). */
@inline function quad(cp: usize, b: i32, two: u32, kind4: i32): void {
  let w: u32 = 0, n: u32 = 0, sw: u32 = 0, sn: u32 = 0;
  for (let k = 0; k < 4; k++) {
    const x = load<i32>(cp + (<usize>k << 2));
    const sg = x >> 31;
    const m = <u32>((x ^ sg) - sg) >> <u32>b;
    const inc = <u32>(m < 2), t1 = <u32>(m == 1);
    w = (w << inc) | (m & inc); n += inc;
    sw = (sw << t1) | (<u32>sg & t1); sn += t1;
  }
  word(w, <i32>n, n == 4 ? kind4 : K_GEN);
  raw(sw, <i32>sn);
}

/** The words of stages 1, 2 and 3 of block m at bit plane b (§4.5.3.1.8) into its slot. */
function genWords(m: i32, b: i32): void {
  const bp = blk + (<usize>m << 8);
  const ap = aux + <usize>(m * 72);
  const slot = wb + <usize>(m * WB_STRIDE);
  const bit: u32 = <u32>1 << <u32>b;
  const two: u32 = bit << 1;  // b <= 30 (coefficients below 2^31)
  wp = slot + 4;
  // Stage 1: typesb[P], signsb[P].
  {
    let w: u32 = 0, n = 0, sw: u32 = 0, sn = 0;
    for (let i = 0; i < 3; i++) {
      if (b < shP(i)) continue;
      const x = load<i32>(bp + (<usize>(1 + i) << 2));
      const sg = x >> 31;
      const m = <u32>((x ^ sg) - sg) >> <u32>b;
      const inc = <u32>(m < 2), t1 = <u32>(m == 1);
      w = (w << inc) | (m & inc); n += <i32>inc;
      sw = (sw << t1) | (<u32>sg & t1); sn += <i32>t1;
    }
    word(w, n, K_GEN); raw(sw, sn);
  }
  store<u8>(slot, <u8>((wp - slot - 4) >> 1));
  const s2 = wp;
  // Stage 2.
  const md0 = max3(load<u32>(ap), load<u32>(ap, 12)), md1 = max3(load<u32>(ap, 4), load<u32>(ap, 16)), md2 = max3(load<u32>(ap, 8), load<u32>(ap, 20));
  let maxB = md0 > md1 ? md0 : md1; if (md2 > maxB) maxB = md2;
  const allNeg = b < minShB;          // tmax(B) = -1
  const prevB = maxB >= two;           // tranB was 1 at a more significant plane
  let tranB = 1;
  if (!prevB && !allNeg) { tranB = maxB >= bit ? 1 : 0; raw(<u32>tranB, 1); }
  if (tranB != 0 && !allNeg) {
    let w: u32 = 0, n = 0;
    for (let i = 0; i < 3; i++) {
      const md = i == 0 ? md0 : i == 1 ? md1 : md2;
      if (md >= two) continue;                  // tmax(Di) was 1 at a more significant plane
      if (b < shC(i) && b < shG(i)) continue;   // tmax(Di) = -1
      w = (w << 1) | <u32>(md >= bit); n++;
    }
    word(w, n, K_TRAND);
  }
  for (let i = 0; i < 3; i++) {
    const md = i == 0 ? md0 : i == 1 ? md1 : md2;
    if (md < bit || b < shC(i)) continue;      // tmax(Di) > 0 now or before; children coded
    quad(bp + (<usize>(4 + 4 * i) << 2), b, two, K_C);
  }
  store<u8>(slot, <u8>((wp - s2) >> 1), 1);
  const s3 = wp;
  // Stage 3, unless tranB = 0 or tmax(B) = -1.
  if (tranB != 0 && !allNeg) {
    let w: u32 = 0, n = 0;
    for (let i = 0; i < 3; i++) {
      const md = i == 0 ? md0 : i == 1 ? md1 : md2;
      const mg = load<u32>(ap + (<usize>(3 + i) << 2));
      if (md < bit || b < shG(i) || mg >= two) continue;  // only tmax(Gi) in {0, 1}
      w = (w << 1) | <u32>(mg >= bit); n++;
    }
    word(w, n, K_GEN);
    for (let i = 0; i < 3; i++) {
      const mg = load<u32>(ap + (<usize>(3 + i) << 2));
      if (mg < bit || b < shG(i)) continue;
      let tw: u32 = 0, tn = 0;
      const hp = ap + (<usize>(6 + 4 * i) << 2);
      for (let j = 0; j < 4; j++) {
        const mh = load<u32>(hp + (<usize>j << 2));
        if (mh >= two) continue;
        tw = (tw << 1) | <u32>(mh >= bit); tn++;
      }
      word(tw, tn, tn == 4 ? K_H : K_GEN);
    }
    for (let i = 0; i < 3; i++) {
      const mg = load<u32>(ap + (<usize>(3 + i) << 2));
      if (mg < bit || b < shG(i)) continue;
      const hp = ap + (<usize>(6 + 4 * i) << 2);
      for (let j = 0; j < 4; j++) {
        if (load<u32>(hp + (<usize>j << 2)) < bit) continue;
        quad(bp + (<usize>(16 + 16 * i + 4 * j) << 2), b, two, K_H);
      }
    }
  }
  store<u8>(slot, <u8>((wp - s3) >> 1), 2);
}
@inline function max3(a: u32, b: u32): u32 { return a > b ? a : b; }

/** Emits the stage st (1..3) words of block m (gaggle g): IDs before a length's first codeword. */
function emitWords(m: i32, st: i32): void {
  const slot = wb + <usize>(m * WB_STRIDE);
  let p = slot + 4;
  if (st >= 2) p += <usize>load<u8>(slot) << 1;
  if (st == 3) p += <usize>load<u8>(slot, 1) << 1;
  const cnt = <i32>load<u8>(slot + <usize>(st - 1));
  const g = m >> 4;
  for (let k = 0; k < cnt; k++) {
    const e = <u32>load<u16>(p + (<usize>k << 1));
    const len = <i32>((e >> 4) & 7);
    if ((e & 0x80) == 0) { put(e & 15, len); continue; }
    const sym = <i32>(e & 15);
    const o = <i32>load<u8>(gopt + <usize>(g * 3 + len - 2));
    const idp = gid + <usize>g;
    const sent = <i32>load<u8>(idp);
    if ((sent & (1 << len)) == 0) {  // §4.5.3.3.6: the ID precedes the first codeword of its length
      store<u8>(idp, <u8>(sent | (1 << len)));
      put(<u32>idValue(len, o), idBits(len));
    }
    const ix = <usize>(codeBase(len) + o * (1 << len) + sym);
    put(<u32>load<u8>(CODE_V + ix), <i32>load<u8>(CODE_L + ix));
  }
}

/** Stage 4 (§4.5.4): refinement bits of type-2 coefficients of block m (branch-free per
 *  coefficient: m = |x| >> b >= 2 marks a coefficient selected before, its bit b is m & 1). */
function stage4(m: i32, b: i32): void {
  const bp = blk + (<usize>m << 8);
  const ap = aux + <usize>(m * 72);
  const two: u32 = <u32>2 << <u32>b;
  let w: u32 = 0, n: u32 = 0;
  for (let i = 0; i < 3; i++) {
    if (b < shP(i)) continue;
    const x = load<i32>(bp + (<usize>(1 + i) << 2));
    const sg = x >> 31;
    const v = <u32>((x ^ sg) - sg) >> <u32>b;
    const r = <u32>(v >= 2);
    w = (w << r) | (v & r); n += r;
  }
  for (let i = 0; i < 3; i++) {
    if (b < shC(i) || load<u32>(ap + (<usize>i << 2)) < two) continue;
    const cp = bp + (<usize>(4 + 4 * i) << 2);
    for (let k = 0; k < 4; k++) {
      const x = load<i32>(cp + (<usize>k << 2));
      const sg = x >> 31;
      const v = <u32>((x ^ sg) - sg) >> <u32>b;
      const r = <u32>(v >= 2);
      w = (w << r) | (v & r); n += r;
    }
  }
  put(w, <i32>n);
  for (let i = 0; i < 3; i++) {
    if (b < shG(i) || load<u32>(ap + (<usize>(3 + i) << 2)) < two) continue;
    w = 0; n = 0;
    const gp = bp + (<usize>(16 + 16 * i) << 2);
    for (let k = 0; k < 16; k++) {
      const x = load<i32>(gp + (<usize>k << 2));
      const sg = x >> 31;
      const v = <u32>((x ^ sg) - sg) >> <u32>b;
      const r = <u32>(v >= 2);
      w = (w << r) | (v & r); n += r;
    }
    put(w, <i32>n);
  }
}

/** Generates the plane's words of every block and chooses each gaggle's code options from them
 *  (§4.5.3.3.4: over all the words, whatever the quality limit; §4.5.3.3.5: uncoded on ties, else
 *  the smallest option). */
function planeWords(b: i32): void {
  const ng = (nBlk + 15) >> 4;
  for (let g = 0; g < ng; g++) {
    for (let i = 0; i < 28; i++) store<i32>(HIST + (<usize>i << 2), 0);
    const hi = (g + 1) * 16 < nBlk ? (g + 1) * 16 : nBlk;
    for (let m = g * 16; m < hi; m++) {
      if (b >= <i32>load<u8>(bdBlk + <usize>m)) continue;
      genWords(m, b);
    }
    for (let len = 2; len <= 4; len++) {
      const nopt = optCount(len), span = 1 << len, base = codeBase(len);
      const hb = HIST + (<usize>(len == 2 ? 0 : len == 3 ? 4 : 12) << 2);
      let best = nopt - 1, bestLen = 0x7FFFFFFF;
      for (let o = nopt - 1; o >= 0; o--) {  // uncoded first: it keeps ties
        let l = 0;
        for (let sy = 0; sy < span; sy++) l += load<i32>(hb + (<usize>sy << 2)) * <i32>load<u8>(CODE_L + <usize>(base + o * span + sy));
        if (o == nopt - 1) { bestLen = l; best = o; }
        else if (l <= bestLen && (l < bestLen || best != nopt - 1)) { bestLen = l; best = o; }
      }
      store<u8>(gopt + <usize>(g * 3 + len - 2), <u8>best);
    }
    store<u8>(gid + <usize>g, 0);
  }
}

// ---- the segment ----------------------------------------------------------------------------
/**
 * Codes blocks [0, n) at blocksPtr into out (capacity cap bytes). first/last: the segment is the
 * image's first/last; segCount: SegmentCount; padRows: PadRows of the last segment.
 * scratch: bpeScratchLen(S) bytes. Returns the coded segment's length in bytes.
 */
export function bpeSegment(blocksPtr: usize, n: i32, scratch: usize, out: usize, cap: i32, first: bool, last: bool, segCount: i32, padRows: i32): i32 {
  blk = blocksPtr; nBlk = n;
  bdBlk = scratch; aux = (scratch + <usize>n + 7) & ~<usize>3;
  gopt = aux + <usize>(n * 72); gid = gopt + <usize>(((n + 15) >> 4) * 3);
  dcq = (gid + <usize>((n + 15) >> 4) + 7) & ~<usize>3;
  wb = dcq + (<usize>n << 3);
  outBase = out; outPos = 0; acc = 0; accBits = 0; full = false;
  const limit = cfgSegByteLimit < cap ? cfgSegByteLimit : cap;
  outLimit = limit;

  // Bit depths (equations 12-14) and the maxima of each block's sets.
  let bdDc = 1, bdAc = 0;
  for (let m = 0; m < n; m++) {
    const bp = blk + (<usize>m << 8);
    const dc = load<i32>(bp);
    const nb = 1 + bitlen(<u32>(dc < 0 ? ~dc : dc));
    if (nb > bdDc) bdDc = nb;
    const ap = aux + <usize>(m * 72);
    let mx: u32 = absu(load<i32>(bp, 4));
    let t = absu(load<i32>(bp, 8)); if (t > mx) mx = t;
    t = absu(load<i32>(bp, 12)); if (t > mx) mx = t;
    for (let i = 0; i < 3; i++) {
      let mc: u32 = 0;
      for (let k = 0; k < 4; k++) { const a = absu(load<i32>(bp + (<usize>(4 + 4 * i + k) << 2))); if (a > mc) mc = a; }
      store<u32>(ap + (<usize>i << 2), mc);
      let mg: u32 = 0;
      for (let j = 0; j < 4; j++) {
        let mh: u32 = 0;
        for (let k = 0; k < 4; k++) { const a = absu(load<i32>(bp + (<usize>(16 + 16 * i + 4 * j + k) << 2))); if (a > mh) mh = a; }
        store<u32>(ap + (<usize>(6 + 4 * i + j) << 2), mh);
        if (mh > mg) mg = mh;
      }
      store<u32>(ap + (<usize>(3 + i) << 2), mg);
      if (mc > mx) mx = mc;
      if (mg > mx) mx = mg;
    }
    const bd = bitlen(mx);
    store<u8>(bdBlk + <usize>m, <u8>bd);
    if (bd > bdAc) bdAc = bd;
  }

  // Segment header (§4.2).
  const parts = first || cfgAllParts != 0;
  const part3 = parts || (last && n != cfgS);
  put(first ? 1 : 0, 1); put(last ? 1 : 0, 1); put(<u32>(segCount & 255), 8);
  put(<u32>(bdDc & 31), 5); put(<u32>bdAc, 5); put(0, 1);
  put(parts ? 1 : 0, 1); put(part3 ? 1 : 0, 1); put(parts ? 1 : 0, 1);
  if (last) { put(<u32>padRows, 3); put(0, 5); }
  if (parts) {
    put(<u32>cfgSegByteLimit, 27); put(<u32>cfgDcStop, 1); put(<u32>cfgBitPlaneStop, 5); put(<u32>cfgStageStop, 2);
    put(<u32>cfgUseFill, 1); put(0, 4);
  }
  if (part3) { put(<u32>(last ? n : cfgS) & 0xFFFFF, 20); put(<u32>cfgOptDc, 1); put(<u32>cfgOptAc, 1); put(0, 2); }
  if (parts) {
    put(<u32>cfgDwtInt, 1); put(0, 1); put(cfgBitDepth > 16 ? 1 : 0, 1); put(<u32>cfgSigned, 1); put(<u32>(cfgBitDepth & 15), 4);
    put(<u32>cfgWidth & 0xFFFFF, 20); put(<u32>cfgTranspose, 1);
    const wb = cfgWordBytes - 1;
    put(<u32>(((wb & 3) << 1) | (wb >> 2)), 3);
    put(<u32>cfgCustomWt, 1);
    // Custom weight fields HH1 first (bits 33-34) ... LL3 (bits 51-52).
    for (let i = 0; i < 10; i++) put(cfgCustomWt ? <u32>((cfgWeights >> (2 * i)) & 3) : 0, 2);
    put(0, 11);
  }

  // Quantization of the DC coefficients (§4.3.1, table 4-8).
  let qq: i32;
  const half = 1 + (bdAc >> 1);
  if (bdDc <= 3) qq = 0;
  else if (bdDc - half <= 1) qq = bdDc - 3;
  else if (bdDc - half > 10) qq = bdDc - 10;
  else qq = half;
  const q = qq > shiftLL3 ? qq : shiftLL3;
  const N = bdDc - q > 1 ? bdDc - q : 1;
  // Quantized DCs into the scratch right after dcq's mapped values: reuse the block DC slots via vals.
  const vals = dcq + (<usize>n << 2);
  for (let m = 0; m < n; m++) store<i32>(vals + (<usize>m << 2), load<i32>(blk + (<usize>m << 8)) >> q);
  codeDpcm(vals, n, N, true, cfgOptDc == 0);
  // Additional DC bit planes (§4.3.3).
  const dcLow = bdAc > shiftLL3 ? bdAc : shiftLL3;
  for (let b = q - 1; b >= dcLow; b--) {
    for (let m = 0; m < n; m++) put(<u32>(load<i32>(blk + (<usize>m << 8)) >> b) & 1, 1);
  }
  // BitPlaneStop above the top AC plane: the segment ends after the DC coefficients (§4.2.3.2.3 note).
  if (cfgDcStop == 0 && bdAc > 0 && cfgBitPlaneStop <= bdAc - 1 && !atLimit()) {
    // AC bit depths (§4.4).
    if (bdAc == 1) {
      for (let m = 0; m < n; m++) put(<u32>load<u8>(bdBlk + <usize>m), 1);
    } else {
      for (let m = 0; m < n; m++) store<i32>(vals + (<usize>m << 2), <i32>load<u8>(bdBlk + <usize>m));
      codeDpcm(vals, n, bitlen(<u32>bdAc), false, cfgOptAc == 0);
    }
    // Bit planes (§4.5).
    for (let b = bdAc - 1; b >= 0; b--) {
      if (atLimit()) break;
      const stopHere = b == cfgBitPlaneStop;
      if (b < cfgBitPlaneStop) break;
      // Stage 0: DC bit b when b < q (and above the scaling zeros).
      if (b < q && b >= shiftLL3) for (let m = 0; m < n; m++) put(<u32>(load<i32>(blk + (<usize>m << 8)) >> b) & 1, 1);
      planeWords(b);
      let lastStage = stopHere ? cfgStageStop + 1 : 4;
      for (let st = 1; st <= 3 && st <= lastStage; st++) {
        for (let m = 0; m < n; m++) {
          if (b >= <i32>load<u8>(bdBlk + <usize>m)) continue;
          emitWords(m, st);
        }
        if (atLimit()) break;
      }
      if (lastStage == 4 && !atLimit()) {
        for (let m = 0; m < n; m++) if (b < <i32>load<u8>(bdBlk + <usize>m)) stage4(m, b);
      }
      if (stopHere) break;
    }
  }
  flushAll();
  // Fill (§4.2.3.2.5): to SegByteLimit with UseFill, else to the next code word boundary.
  let end = outPos;
  if (cfgUseFill) end = limit;
  else { const wb = cfgWordBytes; const r = end % wb; if (r) end += wb - r; if (end > limit) end = limit; }
  for (let i = outPos; i < end; i++) store<u8>(out + <usize>i, 0);
  return end;
}
