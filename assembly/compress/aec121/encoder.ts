// CCSDS 121.0-B-3 adaptive entropy encoder with the unit-delay preprocessor.
// Streaming: samples arrive in runs of any length (a line of one band), whole blocks of J
// are coded as soon as they are complete, a partial block is carried in the state. No
// allocation: the state lives in caller memory (AEC_STATE_LEN bytes), the output goes into a
// caller buffer. A "unit" is an independent coded stream: aecStartUnit resets the predictor,
// the RSI position, the k estimate and the bit writer; aecEndUnit closes it on a byte boundary.
//
// Code option selection follows libaec's rules (121.0-B-3 §3.6 leaves ties free), so that our
// streams are byte-identical to libaec's for the same options.
import {
  OK, E_NULL, E_BAD_LENGTH, E_OUT_FULL,
  E_AEC_BAD_BITS, E_AEC_BAD_BLOCK, E_AEC_BAD_RSI, E_AEC_BAD_RESTRICTED, E_AEC_BAD_FLAGS, E_AEC_BAD_STATE,
} from "../../abi/status";
import { put, putFs, bwFlushBytes, bwPadByte, bwAcc, bwFill, bwOut, bwSet } from "./bit-writer";
import { mapBlock, copyBlock, fsLo, fsMid, fsHi } from "./preprocessor";

// Option flags (same bit values as libaec's aec_stream.flags).
export const AEC_SIGNED: i32 = 1;       // two's complement samples (121.0-B-3 §4.4)
export const AEC_PREPROCESS: i32 = 8;   // unit-delay predictor + mapper on (121.0-B-3 §4.2)
export const AEC_RESTRICTED: i32 = 16;  // restricted code option set, n <= 4 (121.0-B-3 §5.1.2)
export const AEC_PAD_RSI: i32 = 32;     // pad each RSI to a byte boundary (121.0-B-3 §5.1.4)
const AEC_KNOWN_FLAGS: i32 = (AEC_SIGNED | AEC_PREPROCESS | AEC_RESTRICTED | AEC_PAD_RSI);

export const AEC_J_MAX: i32 = 64;
export const AEC_RSI_MAX: i32 = 4096;
const SEGMENT_BLOCKS: i32 = 64;         // zero-block segment length s (121.0-B-3 §3.4.3)
const ROS_FS: u64 = 4;                  // FS value of the remainder-of-segment codeword (121.0-B-3 §3.4.3)
const STATE_MAGIC: i32 = 0x41454331;    // "AEC1"
// Option identifiers (121.0-B-3 §5.1.2, table 5-1): an all-zero ID is followed by one selector
// bit (0 zero-block, 1 second extension); ID = k + 1 selects split k; the all-ones ID is no compression.
const LE_SELECT_ZERO_BLOCK: u64 = 0;
const LE_SELECT_SECOND_EXT: u64 = 1;

@unmanaged
class AecState {
  magic: i32;
  n: i32;
  blockSize: i32;
  rsi: i32;
  flags: i32;
  idLen: i32;
  kmax: i32;
  k: i32;             // last chosen split position: start of the next search
  blockInRsi: i32;    // blocks coded in the current RSI (0: the next block carries the reference)
  zeroRun: i32;       // pending all-zero blocks
  zeroRef: i32;       // the pending run starts with a reference sample
  zeroRefSample: u32;
  partial: i32;       // samples waiting in rawBuf
  xmin: i64;
  xmax: i64;
  prev: i64;          // predictor state: the previous sample value (121.0-B-3 §4.2)
  acc: u64;           // bit writer
  fill: i32;
  pad: i32;
}

const HDR_LEN: i32 = 128;
const RAW_OFF: i32 = HDR_LEN;                 // J u32 raw samples (partial block)
const D_OFF: i32 = HDR_LEN + AEC_J_MAX * 4;   // J u32 mapped samples of the current block
/** Bytes of state to carve once per encoder (any configuration). */
export const AEC_STATE_LEN: i32 = D_OFF + AEC_J_MAX * 4;

/** Validate a configuration; OK or the E_AEC_* code naming the bad option. */
export function aecCheckConfig(n: i32, blockSize: i32, rsi: i32, flags: i32): i32 {
  if (n < 1 || n > 32) return E_AEC_BAD_BITS;                                   // 121.0-B-3 §5.1.1
  if (blockSize != 8 && blockSize != 16 && blockSize != 32 && blockSize != 64) return E_AEC_BAD_BLOCK; // 121.0-B-3 §3.1.1
  if (rsi < 1 || rsi > AEC_RSI_MAX) return E_AEC_BAD_RSI;                       // 121.0-B-3 §4.3.1
  if ((flags & ~AEC_KNOWN_FLAGS) != 0) return E_AEC_BAD_FLAGS;
  if ((flags & AEC_RESTRICTED) != 0 && n > 4) return E_AEC_BAD_RESTRICTED;     // 121.0-B-3 §5.1.2
  return OK;
}

/** Option identifier length in bits (121.0-B-3 §5.1.2, table 5-1). */
export function aecIdLen(n: i32, restricted: bool): i32 {
  if (restricted && n <= 2) return 1;
  if (restricted && n <= 4) return 2;
  if (n <= 8) return 3;
  if (n <= 16) return 4;
  return 5;
}

export function aecInit(statePtr: usize, n: i32, blockSize: i32, rsi: i32, flags: i32): i32 {
  if (statePtr == 0) return E_NULL;
  if (offsetof<AecState>() > <usize>HDR_LEN) return E_AEC_BAD_STATE; // layout guard (folded at compile time)
  const st = changetype<AecState>(statePtr);
  st.magic = 0;
  const c = aecCheckConfig(n, blockSize, rsi, flags);
  if (c < 0) return c;
  st.n = n;
  st.blockSize = blockSize;
  st.rsi = rsi;
  st.flags = flags;
  st.idLen = aecIdLen(n, (flags & AEC_RESTRICTED) != 0);
  st.kmax = (1 << st.idLen) - 3;                       // split options k = 1 .. 2^idLen - 3 (table 5-1)
  if ((flags & AEC_SIGNED) != 0) {
    st.xmin = -(<i64>1 << (n - 1));                   // 121.0-B-3 §4.4.2
    st.xmax = (<i64>1 << (n - 1)) - 1;
  } else {
    st.xmin = 0;
    st.xmax = (<i64>1 << n) - 1;
  }
  st.magic = STATE_MAGIC;
  aecStartUnit(statePtr);
  return OK;
}

/** Start a new independent unit: predictor, RSI position, k estimate and bit writer reset. */
export function aecStartUnit(statePtr: usize): i32 {
  if (statePtr == 0) return E_NULL;
  const st = changetype<AecState>(statePtr);
  if (st.magic != STATE_MAGIC) return E_AEC_BAD_STATE;
  st.k = 0;
  st.blockInRsi = 0;
  st.zeroRun = 0;
  st.zeroRef = 0;
  st.zeroRefSample = 0;
  st.partial = 0;
  st.prev = 0;
  st.acc = 0;
  st.fill = 0;
  return OK;
}

/** Bits per sample of an initialised state (E_AEC_BAD_STATE otherwise). */
export function aecBitsPerSample(statePtr: usize): i32 {
  if (statePtr == 0) return E_NULL;
  const st = changetype<AecState>(statePtr);
  return st.magic == STATE_MAGIC ? st.n : E_AEC_BAD_STATE;
}

/** Upper bound of the bytes one call may write for `count` more samples (incl. aecEndUnit). */
export function aecMaxOutLen(statePtr: usize, count: i32): i32 {
  if (statePtr == 0) return E_NULL;
  const st = changetype<AecState>(statePtr);
  if (st.magic != STATE_MAGIC || count < 0) return E_AEC_BAD_STATE;
  const bytes = aecMaxOutLenOf(st.n, st.blockSize, st.flags, count);
  return bytes > 0x7fffffff ? E_BAD_LENGTH : <i32>bytes;
}

/** aecMaxOutLen for a configuration aecCheckConfig accepted, without a state (memory sizing). */
export function aecMaxOutLenOf(n: i32, blockSize: i32, flags: i32, count: i64): i64 {
  const idLen = aecIdLen(n, (flags & AEC_RESTRICTED) != 0);
  const blocks = count / blockSize + 2;
  // per block at most: ID + extra bit + reference + J uncompressed samples + 7 RSI fill bits;
  // plus a pending zero-block CDS (ID + bit + reference + FS of up to 65 bits) and byte padding.
  const bits = blocks * (<i64>(blockSize + 1) * n + idLen + 8) + (idLen + 1 + n + 66) + 16;
  return (bits + 7) >> 3;
}

/** Code `count` unsigned 16-bit containers (n <= 16). Returns bytes written to out. */
export function aecEncode16(statePtr: usize, samplesPtr: usize, count: i32, outPtr: usize, outCap: i32): i32 {
  return encodeRun<u16>(statePtr, samplesPtr, count, outPtr, outCap);
}

/** Code `count` 32-bit containers (any n). Returns bytes written to out. */
export function aecEncode32(statePtr: usize, samplesPtr: usize, count: i32, outPtr: usize, outCap: i32): i32 {
  return encodeRun<u32>(statePtr, samplesPtr, count, outPtr, outCap);
}

/** Close the unit: code a partial block padded with its last sample, end a pending zero run
 *  (remainder of segment), pad to a byte boundary. Returns bytes written. The state is then
 *  at the start of a new unit (as after aecStartUnit). */
export function aecEndUnit(statePtr: usize, outPtr: usize, outCap: i32): i32 {
  if (statePtr == 0 || outPtr == 0) return E_NULL;
  const st = changetype<AecState>(statePtr);
  if (st.magic != STATE_MAGIC) return E_AEC_BAD_STATE;
  const need = aecMaxOutLen(statePtr, 0);
  if (outCap < need) return E_OUT_FULL;
  bwSet(st.acc, st.fill, outPtr);
  const J = st.blockSize;
  const raw = statePtr + <usize>RAW_OFF;
  if (st.partial > 0) {
    // A partial last block is filled with its last sample (as libaec does; the decoder gets
    // whole blocks and the caller knows the true sample count).
    const last = load<u32>(raw + (<usize>(st.partial - 1) << 2));
    for (let i = st.partial; i < J; i++) store<u32>(raw + (<usize>i << 2), last);
    st.partial = 0;
    codeBlock<u32>(st, statePtr, raw, true);
  } else if (st.zeroRun > 0) {
    emitZeroRun(st, true);                             // 121.0-B-3 §3.4.3: ROS at end of data
  }
  bwPadByte();                                         // 121.0-B-3 §5.1.4: fill bits of the last byte
  bwFlushBytes();
  const written = <i32>(bwOut - outPtr);
  st.acc = bwAcc;
  st.fill = bwFill;
  st.blockInRsi = 0;
  st.k = 0;
  return written;
}

// ---------------------------------------------------------------------------------------

function encodeRun<T>(statePtr: usize, samplesPtr: usize, count: i32, outPtr: usize, outCap: i32): i32 {
  if (statePtr == 0 || outPtr == 0 || (samplesPtr == 0 && count > 0)) return E_NULL;
  const st = changetype<AecState>(statePtr);
  if (st.magic != STATE_MAGIC) return E_AEC_BAD_STATE;
  if (sizeof<T>() == 2 && st.n > 16) return E_AEC_BAD_STATE;
  if (count < 0) return E_BAD_LENGTH;
  const need = aecMaxOutLen(statePtr, count);
  if (need < 0) return need;
  if (outCap < need) return E_OUT_FULL;
  bwSet(st.acc, st.fill, outPtr);
  const J = st.blockSize;
  const raw = statePtr + <usize>RAW_OFF;
  let src = samplesPtr;
  let left = count;
  // Top up a partial block first.
  if (st.partial > 0) {
    let p = st.partial;
    while (p < J && left > 0) {
      store<u32>(raw + (<usize>p << 2), <u32>load<T>(src));
      src += sizeof<T>();
      p++;
      left--;
    }
    st.partial = p;
    if (p == J) {
      st.partial = 0;
      codeBlock<u32>(st, statePtr, raw, false);
    }
  }
  // Whole blocks straight from the caller's buffer.
  const blockBytes = <usize>J * sizeof<T>();
  while (left >= J) {
    codeBlock<T>(st, statePtr, src, false);
    src += blockBytes;
    left -= J;
  }
  // Keep the tail.
  for (let i = 0; i < left; i++) {
    store<u32>(raw + (<usize>i << 2), <u32>load<T>(src));
    src += sizeof<T>();
  }
  if (left > 0) st.partial = left;
  bwFlushBytes();
  st.acc = bwAcc;
  st.fill = bwFill;
  return <i32>(bwOut - outPtr);
}

/** Emit the pending run of all-zero blocks as one zero-block CDS (121.0-B-3 §3.4.3). */
function emitZeroRun(st: AecState, atBoundary: bool): void {
  const idLen = st.idLen;
  put(LE_SELECT_ZERO_BLOCK, idLen + 1);                // ID 0...0 + '0': zero-block (table 5-1)
  if (st.zeroRef != 0) put(<u64>st.zeroRefSample, st.n); // 121.0-B-3 §5.1.3: reference first
  const z = st.zeroRun;
  if (atBoundary && z > 4) putFs(ROS_FS);              // remainder of segment, >= 5 blocks
  else if (z >= 5) putFs(<u64>z);                      // 5..63 blocks: FS(z)
  else putFs(<u64>(z - 1));                            // 1..4 blocks: FS(z - 1)
  st.zeroRun = 0;
  st.zeroRef = 0;
}

/** Preprocess and code one block of J samples at src (containers of type T). */
function codeBlock<T>(st: AecState, statePtr: usize, src: usize, lastOfUnit: bool): void {
  const J = st.blockSize;
  const n = st.n;
  const d = statePtr + <usize>D_OFF;
  const ref = st.blockInRsi == 0 && (st.flags & AEC_PREPROCESS) != 0;
  let refSample: u32 = 0;
  let sum: u64;
  // 16-bit containers: the mapping pass also sums d >> k for the three split options codeNonZero
  // looks at first (k - 1, k, k + 1 around the last choice), saving it a pass over the block.
  const kLo = st.k > 0 ? st.k - 1 : 0;
  let fsDone = false;
  if ((st.flags & AEC_PREPROCESS) != 0) {
    if ((st.flags & AEC_SIGNED) != 0) {
      sum = mapBlock<T, i64>(st.prev, st.xmin, st.xmax, n, src, d, J, ref, kLo);
    } else {
      sum = mapBlock<T, u64>(st.prev, st.xmin, st.xmax, n, src, d, J, ref, kLo);
    }
    fsDone = sizeof<T>() == 2;
    const mask: u32 = <u32>(<u64>0xffffffff >> (32 - n));
    if (ref) refSample = <u32>load<T>(src) & mask;     // 121.0-B-3 §4.3: reference sample, n bits
    // new predictor state: the last sample of the block
    const lastRaw = <u64>load<T>(src + <usize>(J - 1) * sizeof<T>());
    const sh = <u64>(64 - n);
    st.prev = (st.flags & AEC_SIGNED) != 0 ? (<i64>(lastRaw << sh) >> sh) : <i64>((lastRaw << sh) >> sh);
  } else {
    sum = copyBlock<T>(n, src, d, J);
  }
  st.blockInRsi++;
  const rsiEnd = st.blockInRsi == st.rsi || lastOfUnit;
  if (sum == 0) {
    // All-zero block (the reference, if any, is carried separately) (121.0-B-3 §3.4.3)
    if (st.zeroRun == 0) {
      st.zeroRef = ref ? 1 : 0;
      st.zeroRefSample = refSample;
    }
    st.zeroRun++;
    if (rsiEnd || (st.blockInRsi % SEGMENT_BLOCKS) == 0) emitZeroRun(st, true);
  } else {
    if (st.zeroRun > 0) emitZeroRun(st, false);
    codeNonZero(st, d, J, n, ref, refSample, sum, fsDone);
  }
  if (rsiEnd) {
    if ((st.flags & AEC_PAD_RSI) != 0) bwPadByte();   // 121.0-B-3 §5.1.4 RSI padding option
    st.blockInRsi = 0;
  }
}

/** Sum of d[i] >> k over the block: FS bits without the terminating ones. */
@inline
function blockFs(d: usize, J: i32, k: i32): u64 {
  let s: u64 = 0;
  const end = d + (<usize>J << 2);
  for (let p = d; p < end; p += 8) {
    s += <u64>(load<u32>(p) >>> k) + <u64>(load<u32>(p, 4) >>> k);
  }
  return s;
}

/** Choose and emit the code option for a block with at least one nonzero mapped sample.
 *  Inlined (as emitSplit): a call per block costs an interpreter more than the block's sums. */
// @ts-ignore: decorator
@inline
function codeNonZero(st: AecState, d: usize, J: i32, n: i32, ref: bool, refSample: u32, sum0: u64, fsDone: bool): void {
  const idLen = st.idLen;
  const thisBs = <u64>(J - (ref ? 1 : 0));
  const uncompLen: u64 = thisBs * <u64>n;              // 121.0-B-3 §3.5
  // --- split-sample: length for the best k, searched from the previous k (121.0-B-3 §3.3)
  let splitLen: u64 = u64.MAX_VALUE;
  let kBest = 0;
  if (idLen > 1) {
    const kmax = st.kmax;
    const k0 = st.k;
    let k = k0;
    let lenMin: u64 = u64.MAX_VALUE;
    let kMin = k;
    let noTurn = k == 0;
    let up = true;
    // FS lengths for k0 - 1, k0, k0 + 1 in one pass: the search rarely needs others
    const kLo = k0 > 0 ? k0 - 1 : 0;
    let fsA: u64 = 0, fsB: u64 = 0, fsC: u64 = 0;
    if (fsDone) {
      fsA = <u64>fsLo; fsB = <u64>fsMid; fsC = <u64>fsHi;
    } else {
      const end = d + (<usize>J << 2);
      const k1 = kLo + 1, k2 = kLo + 2;
      for (let p = d; p < end; p += 4) {
        const v = load<u32>(p);
        fsA += <u64>(v >>> kLo);
        fsB += <u64>(v >>> k1);
        fsC += <u64>(v >>> k2);
      }
    }
    for (let guard = 0; guard < 80; guard++) {
      const kr = k - kLo;
      const fs = kr == 0 ? fsA : kr == 1 ? fsB : kr == 2 ? fsC : blockFs(d, J, k);
      const len = fs + thisBs * <u64>(k + 1);
      if (len < lenMin) {
        if (lenMin != u64.MAX_VALUE) noTurn = true;
        lenMin = len;
        kMin = k;
        if (up) {
          if (fs < thisBs || k >= kmax) {
            if (noTurn) break;
            k = k0 - 1;
            up = false;
            noTurn = true;
          } else {
            k++;
          }
        } else {
          if (fs >= thisBs || k == 0) break;
          k--;
        }
      } else {
        if (noTurn) break;
        k = k0 - 1;
        up = false;
        noTurn = true;
      }
    }
    st.k = kMin;
    kBest = kMin;
    splitLen = lenMin;
  }
  // --- second extension (121.0-B-3 §3.4.2): only worth computing when it can win.
  // Lower bound: each pair codes at least d_a + d_b + 1 bits.
  let seLen: u64 = u64.MAX_VALUE;
  const seLow: u64 = sum0 + (<u64>J >> 1) + 1;
  const bestOther = splitLen < uncompLen ? splitLen : uncompLen;
  if (seLow <= bestOther) {
    let len: u64 = 1;
    for (let i = 0; i < J; i += 2) {
      const a = <u64>load<u32>(d + (<usize>i << 2));
      const b = <u64>load<u32>(d + (<usize>i << 2), 4);
      const s = a + b;
      if (s > 90) { len = u64.MAX_VALUE; break; }     // pair alone exceeds any uncompressed block
      len += ((s * (s + 1)) >> 1) + b + 1;
      if (len > uncompLen) { len = u64.MAX_VALUE; break; }
    }
    seLen = len;
  }
  // --- selection (ties as libaec: split < uncompressed and split < SE; else uncompressed <= SE)
  if (splitLen < uncompLen) {
    if (splitLen < seLen) emitSplit(st, d, J, n, kBest, ref, refSample);
    else emitSe(st, d, J, n, ref, refSample);
  } else {
    if (uncompLen <= seLen) emitUncompressed(st, d, J, n, ref, refSample);
    else emitSe(st, d, J, n, ref, refSample);
  }
}

// @ts-ignore: decorator
@inline
function emitSplit(st: AecState, d: usize, J: i32, n: i32, k: i32, ref: bool, refSample: u32): void {
  put(<u64>(k + 1), st.idLen);                        // ID = k + 1; k = 0 is FS (table 5-1)
  if (ref) put(<u64>refSample, n);                     // 121.0-B-3 §5.1.3
  const start = d + (ref ? 4 : 0);
  const end = d + (<usize>J << 2);
  // FS codewords of the k-shifted samples (121.0-B-3 §3.2, §3.3). Two codewords at a time
  // when both are at most 16 bits long (q zeros and a one each: together the value
  // 2^(q1+1) + 1 on q0 + q1 + 2 <= 32 bits); an odd sample count starts with one alone.
  let acc = bwAcc;
  let fill = bwFill;
  let out = bwOut;
  let p = start;
  for (let r = <i32>((end - start) >> 2) & 1; r > 0; r--, p += 4) {   // an odd count: the first alone
    let q = load<u32>(p) >>> k;
    while (q >= 32) {
      acc <<= 32;
      store<u32>(out, bswap<u32>(<u32>(acc >> <u64>fill)));
      out += 4;
      q -= 32;
    }
    const b = <i32>q + 1;
    acc = (acc << <u64>b) | 1;
    fill += b;
    if (fill >= 32) {
      fill -= 32;
      store<u32>(out, bswap<u32>(<u32>(acc >> <u64>fill)));
      out += 4;
    }
  }
  for (; p < end; p += 8) {
    const q0 = load<u32>(p) >>> k, q1 = load<u32>(p, 4) >>> k;
    if ((q0 | q1) < 16) {
      const b = <i32>(q0 + q1) + 2;
      acc = (acc << <u64>b) | ((<u64>2 << <u64>q1) | 1);
      fill += b;
      if (fill >= 32) {
        fill -= 32;
        store<u32>(out, bswap<u32>(<u32>(acc >> <u64>fill)));
        out += 4;
      }
      continue;
    }
    for (let j = 0; j < 2; j++) {                      // a long codeword in the pair: one at a time
      let q = j == 0 ? q0 : q1;
      while (q >= 32) {
        acc <<= 32;
        store<u32>(out, bswap<u32>(<u32>(acc >> <u64>fill)));
        out += 4;
        q -= 32;
      }
      const b = <i32>q + 1;
      acc = (acc << <u64>b) | 1;
      fill += b;
      if (fill >= 32) {
        fill -= 32;
        store<u32>(out, bswap<u32>(<u32>(acc >> <u64>fill)));
        out += 4;
      }
    }
  }
  // k least significant bits of each sample, after all FS codewords (121.0-B-3 §3.3.2): four
  // at a time for k <= 8, two for k <= 16, after the (count mod 4 or 2) first ones alone.
  if (k > 0) {
    const kk = <u64>k;
    const mask: u32 = (<u32>1 << k) - 1;
    const count = <i32>((end - start) >> 2);
    const group = k <= 8 ? 4 : (k <= 16 ? 2 : 1);
    const singles = group == 1 ? count : count & (group - 1);
    let p = start;
    const sEnd = start + (<usize>singles << 2);
    for (; p < sEnd; p += 4) {
      acc = (acc << kk) | <u64>(load<u32>(p) & mask);
      fill += k;
      if (fill >= 32) {
        fill -= 32;
        store<u32>(out, bswap<u32>(<u32>(acc >> <u64>fill)));
        out += 4;
      }
    }
    if (group == 4) {
      const k4 = k << 2, kk4 = <u64>k4, k2 = k << 1, k3 = k2 + k;
      for (; p < end; p += 16) {
        const v = ((load<u32>(p) & mask) << k3) | ((load<u32>(p, 4) & mask) << k2) | ((load<u32>(p, 8) & mask) << k) | (load<u32>(p, 12) & mask);
        acc = (acc << kk4) | <u64>v;
        fill += k4;
        if (fill >= 32) {
          fill -= 32;
          store<u32>(out, bswap<u32>(<u32>(acc >> <u64>fill)));
          out += 4;
        }
      }
    } else if (group == 2) {
      const k2 = k << 1, kk2 = <u64>k2;
      for (; p < end; p += 8) {
        acc = (acc << kk2) | <u64>(((load<u32>(p) & mask) << k) | (load<u32>(p, 4) & mask));
        fill += k2;
        if (fill >= 32) {
          fill -= 32;
          store<u32>(out, bswap<u32>(<u32>(acc >> <u64>fill)));
          out += 4;
        }
      }
    }
  }
  bwSet(acc, fill, out);
}

function emitSe(st: AecState, d: usize, J: i32, n: i32, ref: bool, refSample: u32): void {
  put(LE_SELECT_SECOND_EXT, st.idLen + 1);             // ID 0...0 + '1': second extension
  if (ref) put(<u64>refSample, n);
  // pairs (d0, d1), (d2, d3) ...; with a reference d0 is 0 (121.0-B-3 §3.4.2)
  for (let i = 0; i < J; i += 2) {
    const a = <u64>load<u32>(d + (<usize>i << 2));
    const b = <u64>load<u32>(d + (<usize>i << 2), 4);
    const s = a + b;
    putFs(((s * (s + 1)) >> 1) + b);
  }
}

function emitUncompressed(st: AecState, d: usize, J: i32, n: i32, ref: bool, refSample: u32): void {
  put(<u64>((1 << st.idLen) - 1), st.idLen);           // ID all ones: no compression (table 5-1)
  let i = 0;
  if (ref) { put(<u64>refSample, n); i = 1; }          // reference, then J - 1 mapped samples
  for (; i < J; i++) put(<u64>load<u32>(d + (<usize>i << 2)), n); // 121.0-B-3 §3.5
}
