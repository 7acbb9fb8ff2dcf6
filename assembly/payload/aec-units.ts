// CCSDS 121 compressed units for the pipeline. A unit is one band × unitLines lines × one
// column of unitPixels pixels, coded as an independent CCSDS 121.0-B-3 stream (the reference
// sample interval restarts at every unit: 121.0-B-3 §4.3), so a lost packet loses only its
// own unit. A unit's coded octets leave in space packets as soon as a packet's worth is ready
// (segmented with the sequence flags, 133.0-B-2 §4.1.3.4.2), each packet carrying the unit
// header below so that every packet is self-describing:
//   CUC (7) of the unit's first line | first line u32 | line count u16 (final in the last
//   segment) | first pixel u16 | pixel count u16 | coder u8 (1 = CCSDS 121) | bit depth n u8 |
//   J u8 | flags u8 (libaec's: 8 preprocess, 16 restricted) | RSI u16 | octet offset u32 |
//   requantization shift k u8 (0: lossless; k > 0: the unit codes v >> k with n − k bits and the
//   ground restores (v' << k) + 2^(k−1), an error of at most 2^(k−1) — cloud-screening "degrade")
import { aecInit, aecStartUnit, aecEncode16, aecEndUnit, aecMaxOutLen, AEC_STATE_LEN } from "../compress/aec121/encoder";
import { storeU16BE, storeU32BE, copyBytes } from "../util/be";
import { packCuc, CUC_LEN } from "../packet/cuc";
import { OK } from "../abi/status";

export const UNIT_HDR_LEN: i32 = CUC_LEN + 4 + 2 + 2 + 2 + 1 + 1 + 1 + 1 + 2 + 4 + 1;   // 28
export const CODER_CCSDS121: u8 = 1;

// Per-unit record (one per band × column), little-endian fields in carved memory.
const U_STATE = 0;       // usize: encoder state
const U_OUT = 4;         // usize: coded-octet buffer
const U_FILL = 8;        // i32: octets waiting in the buffer
const U_OFFSET = 12;     // u32: octets of this unit already sent
const U_FIRST_LINE = 16; // u32
const U_LINES = 20;      // i32: lines coded in the current unit
const U_COARSE = 24;     // u32 time of the first line
const U_FINE = 28;       // u32
const U_REC = 32;

let units: usize = 0;
let columns: i32 = 0;
let colPixels: i32 = 0;
let pixelsPerLine: i32 = 0;
let unitLines: i32 = 0;
let depth: i32 = 0;
let blockJ: i32 = 0;
let rsiBlocks: i32 = 0;
let aecFlags: i32 = 0;
let segPayload: i32 = 0;
let outCap: i32 = 0;
let lineBuf: usize = 0;     // one band line as native u16

@inline function rec(index: i32): usize { return units + <usize>index * <usize>U_REC; }

/** Octets of memory the unit coder needs for a configuration. */
export function unitMemory(bands: i32, pixels: i32, unitPx: i32, maxPacketLen: i32): i32 {
  const colPx = unitPx == 0 || unitPx > pixels ? pixels : unitPx;
  const cols = (pixels + colPx - 1) / colPx;
  const worst = (colPx * 32 + 16) * 2 + 1024;             // bound of one call's output (aecMaxOutLen) with slack
  const per = AEC_STATE_LEN + (maxPacketLen - UNIT_HDR_LEN) + worst + U_REC + 16;
  return bands * cols * per + 2 * pixels + 64;
}

/**
 * Carves and initialises the coder of every unit. Returns OK or the coder's status naming the
 * bad option (E_AEC_*).
 */
export function unitsConfigure(bands: i32, pixels: i32, bitDepth: i32, unitPx: i32, lines: i32, J: i32, rsi: i32, flags: i32, maxPacketLen: i32): i32 {
  colPixels = unitPx == 0 || unitPx > pixels ? pixels : unitPx;
  columns = (pixels + colPixels - 1) / colPixels;
  pixelsPerLine = pixels; unitLines = lines; depth = bitDepth; blockJ = J; rsiBlocks = rsi; aecFlags = flags;
  segPayload = maxPacketLen - UNIT_HDR_LEN;
  const n = bands * columns;
  units = heap.alloc(<usize>(n * U_REC));
  lineBuf = heap.alloc(<usize>(2 * pixels + 16));
  for (let i = 0; i < n; i++) {
    const r = rec(i);
    const st = heap.alloc(<usize>AEC_STATE_LEN);
    const s = aecInit(st, bitDepth, J, rsi, flags);
    if (s != OK) return s;
    if (i == 0) outCap = segPayload + aecMaxOutLen(st, colPixels) + 64;
    store<usize>(r, st, U_STATE);
    store<usize>(r, heap.alloc(<usize>outCap), U_OUT);
    store<i32>(r, 0, U_FILL); store<u32>(r, 0, U_OFFSET); store<i32>(r, 0, U_LINES);
  }
  return OK;
}

export function unitColumns(): i32 { return columns; }
export function unitLineBuffer(): usize { return lineBuf; }

/** Writes the unit header of unit `index` at dst (for the segment at the current offset). */
export function unitHeader(index: i32, dst: usize): void {
  const r = rec(index);
  const col = index % columns;
  const first = col * colPixels;
  let count = pixelsPerLine - first;
  if (count > colPixels) count = colPixels;
  packUnitHeader(dst, load<u32>(r, U_COARSE), load<u32>(r, U_FINE), load<u32>(r, U_FIRST_LINE), load<i32>(r, U_LINES), first, count, depth, blockJ, aecFlags, rsiBlocks, load<u32>(r, U_OFFSET), 0);
}

/** Writes a unit header from explicit fields (every compressed unit: 121 units and tiles, the mask, 123 segments). */
export function packUnitHeader(dst: usize, coarse: u32, fine: u32, firstLine: u32, lines: i32, firstPixel: i32, count: i32, codedBits: i32, J: i32, flags: i32, rsi: i32, offset: u32, shift: i32): void {
  packCuc(dst, coarse, fine);
  storeU32BE(dst + 7, firstLine);
  storeU16BE(dst + 11, <u32>lines);
  storeU16BE(dst + 13, <u32>firstPixel);
  storeU16BE(dst + 15, <u32>count);
  store<u8>(dst + 17, CODER_CCSDS121);
  store<u8>(dst + 18, <u8>codedBits);
  store<u8>(dst + 19, <u8>J);
  store<u8>(dst + 20, <u8>flags);
  storeU16BE(dst + 21, <u32>rsi);
  storeU32BE(dst + 23, offset);
  store<u8>(dst + 27, <u8>shift);
}

/**
 * Codes the band line in unitLineBuffer() (native u16) into the units of `band`. Returns OK or
 * a coder status. Starts units on their first line.
 */
export function unitsCodeLine(band: i32, line: u32, coarse: u32, fine: u32): i32 {
  for (let c = 0; c < columns; c++) {
    const r = rec(band * columns + c);
    const st = load<usize>(r, U_STATE);
    if (load<i32>(r, U_LINES) == 0) {
      aecStartUnit(st);
      store<u32>(r, line, U_FIRST_LINE); store<u32>(r, coarse, U_COARSE); store<u32>(r, fine, U_FINE);
      store<u32>(r, 0, U_OFFSET);
    }
    const first = c * colPixels;
    let count = pixelsPerLine - first;
    if (count > colPixels) count = colPixels;
    const fill = load<i32>(r, U_FILL);
    const n = aecEncode16(st, lineBuf + <usize>(2 * first), count, load<usize>(r, U_OUT) + <usize>fill, outCap - fill);
    if (n < 0) return n;
    store<i32>(r, fill + n, U_FILL);
    store<i32>(r, load<i32>(r, U_LINES) + 1, U_LINES);
  }
  return OK;
}

/** True when unit `index` has a full segment waiting. */
@inline export function unitSegmentReady(index: i32): bool { return load<i32>(rec(index), U_FILL) >= segPayload; }
/** True when unit `index` has coded all its lines. */
@inline export function unitComplete(index: i32): bool { return load<i32>(rec(index), U_LINES) >= unitLines; }
@inline export function unitOpen(index: i32): bool { return load<i32>(rec(index), U_LINES) > 0; }
export function unitSegmentPayload(): i32 { return segPayload; }
export function unitOutPtr(index: i32): usize { return load<usize>(rec(index), U_OUT); }
export function unitFill(index: i32): i32 { return load<i32>(rec(index), U_FILL); }
export function unitOffset(index: i32): u32 { return load<u32>(rec(index), U_OFFSET); }

/** Drops `len` octets (just sent) from the front of the unit's buffer. */
export function unitConsumed(index: i32, len: i32): void {
  const r = rec(index);
  const fill = load<i32>(r, U_FILL);
  const out = load<usize>(r, U_OUT);
  copyBytes(out, out + <usize>len, <usize>(fill - len));
  store<i32>(r, fill - len, U_FILL);
  store<u32>(r, load<u32>(r, U_OFFSET) + <u32>len, U_OFFSET);
}

/** Closes unit `index` (last partial block, byte padding). Returns octets added or a status. */
export function unitClose(index: i32): i32 {
  const r = rec(index);
  const fill = load<i32>(r, U_FILL);
  const n = aecEndUnit(load<usize>(r, U_STATE), load<usize>(r, U_OUT) + <usize>fill, outCap - fill);
  if (n < 0) return n;
  store<i32>(r, fill + n, U_FILL);
  return n;
}

/** After the last segment of a unit left: the next line starts a new unit. */
export function unitReset(index: i32): void {
  const r = rec(index);
  store<i32>(r, 0, U_LINES); store<i32>(r, 0, U_FILL);
}
