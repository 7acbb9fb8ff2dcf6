// Panchromatic packetizer: pan lines (bus record type 6, their own geometry: panRatio × the
// pixels and the line rate of the bands) through the CCSDS 122.0-B-2 strip encoder
// (compress/ccsds122: Integer DWT without limit when lossless, Float DWT at SegByteLimit octets
// per segment on a budget), every coded segment in its own packet(s) on the pan APID of the
// image virtual channel. The pass is one CCSDS 122 image; the encoder keeps a window of 136
// lines, so memory is bounded by the line width, not the pass.
// With cloud screening, the bands decide for the pan under them: pan lines wait in a ring until
// the tile row of their band line is decided (screening.ts calls panTileRow), and the pan pixels
// under a dropped tile (k× its columns and lines) are set to 0 before coding: they cost almost
// nothing in the CCSDS 122 stream and are counted (panTilesDropped, in every pan packet). A pan
// line whose band line is not decided when the ring is full is coded as it is (counted).
// Pan packet secondary header (PAN_SEC_HDR_LEN octets):
//   CUC (7) of the last pan line taken | segment index u32 | segment length u32 (octets) |
//   offset u32 of this packet's data in the segment | pan lines taken u32 | pan tiles dropped u32
// A segment longer than a packet is split on octets with the sequence flags first/continuation/
// last (133.0-B-2 §4.1.3.4.2.2), so the ground knows every segment's length and where each piece
// belongs even when a packet is lost.
import { Config, PAN_LOSSLESS } from "../abi/config-table";
import { P_TILE_SIZE, P_GROW_PX } from "../screen/screener";
import { OK } from "../abi/status";
import { loadU32BE, storeU32BE, copyBytes } from "../util/be";
import { packCuc, CUC_LEN } from "../packet/cuc";
import { SEQ_UNSEGMENTED, SEQ_FIRST, SEQ_CONTINUATION, SEQ_LAST } from "../packet/space-packet";
import {
  C122_WIDTH, C122_BIT_DEPTH, C122_SIGNED, C122_DWT, C122_S, C122_SEG_BYTE_LIMIT, C122_DC_STOP, C122_BITPLANE_STOP, C122_STAGE_STOP, C122_USE_FILL,
  C122_OPT_DC, C122_OPT_AC, C122_WORD_BYTES, C122_CUSTOM_WT, C122_WEIGHTS, C122_TRANSPOSE, C122_ALL_PARTS, C122_SAMPLE_BYTES, C122_PARAM_COUNT,
  c122StateLen, c122Init, c122PushLine, c122End, c122OutPtr, c122OutSegments, c122OutSegmentLen, c122Drained, c122Lines,
} from "../compress/ccsds122/encoder";
import { carve, carveLen } from "./carve";
import { packetDataPtr, sendImagePacket, SEQ_PAN } from "./downlink";
import { unpackLineSamples } from "./bus-record";
import * as hk from "./housekeeping";

export const PAN_SEC_HDR_LEN: i32 = CUC_LEN + 20;
/** Tile rows of decisions kept (a pan line waits for at most the row of its band line). */
const DEC_ROWS: i32 = 4;

/** The encoder's parameter block (static: filled from the table at check and configure). */
const params: usize = memory.data(C122_PARAM_COUNT * 4);
let linePtr: usize = 0;        // one pan line, native u16
let segIndex: u32 = 0;         // segments sent
let lastCoarse: u32 = 0, lastFine: u32 = 0;
let ended = false;
/** Pan lines coded, pan lines filled in for missing ones, encoder refusals (counted, never silent). */
export let panLinesCoded: u32 = 0;
export let panLinesFilled: u32 = 0;
export let panEncoderErrors: u32 = 0;
export let panLastStatus: i32 = 0;
/** Screening of the pan: tiles dropped under the bands' decisions, lines coded without a decision. */
export let panTilesDropped: u32 = 0;
export let panLinesUnscreened: u32 = 0;
// The ring of pan lines waiting for their band line's tile row (screening only).
let ring: usize = 0, ringDepth = 0, linesIn: u32 = 0, released: u32 = 0, screened = false;
let tileSide = 0, ratio = 1, width = 0;
// Decided tile rows: band rows [decRow0, decRow0 + decLines) and one octet per column (1: drop).
let decRow0: usize = 0, decLines: usize = 0, decDrop: usize = 0, decCols = 0, decCount: u32 = 0;
let decidedRows: u32 = 0;      // band rows whose tile row is decided

@inline function setPrm(i: i32, v: i32): void { store<i32>(params + (<usize>i << 2), v); }

/** The CCSDS 122 parameters of the table's pan block. */
function fillParams(c: Config): void {
  for (let i = 0; i < C122_PARAM_COUNT; i++) setPrm(i, 0);
  const lossless = c.panCompression == PAN_LOSSLESS;
  setPrm(C122_WIDTH, c.panPixels); setPrm(C122_BIT_DEPTH, c.panBitDepth); setPrm(C122_SIGNED, 0);
  setPrm(C122_DWT, lossless ? 1 : 0);                 // 122.0-B-2 §3.3: lossless needs the Integer DWT
  setPrm(C122_S, c.panS); setPrm(C122_SEG_BYTE_LIMIT, lossless ? 0 : c.panSegBytes);
  setPrm(C122_STAGE_STOP, 3); setPrm(C122_OPT_DC, 1); setPrm(C122_OPT_AC, 1); setPrm(C122_WORD_BYTES, 1);
  setPrm(C122_SAMPLE_BYTES, 2);
}

/** Octets the pan stage carves (0 without a pan channel); −1 when the encoder refuses the parameters. */
@inline function scrWord(c: Config, i: i32): i32 { return <i32>loadU32BE(c.screenBlockPtr + 24 + (<usize>i << 2)); }
/** Pan lines the ring holds: k × (tile + growth + 4) band lines' worth. */
function ringLines(c: Config): i64 { return <i64>c.panRatio * (<i64>scrWord(c, P_TILE_SIZE) + <i64>scrWord(c, P_GROW_PX) + 4); }
function colsOf(c: Config): i32 { const t = scrWord(c, P_TILE_SIZE); return (c.pixels + t - 1) / t; }

export function panMemory(c: Config): i64 {
  if (!c.pan) return 0;
  fillParams(c);
  const st = c122StateLen(params);
  if (st < 0) return -1;
  let n = carveLen(st) + carveLen(<i64>(2 * c.panPixels));
  if (c.screen) n += carveLen(ringLines(c) * 2 * <i64>c.panPixels) + 3 * carveLen(<i64>DEC_ROWS * 4) + carveLen(<i64>DEC_ROWS * <i64>colsOf(c));
  return n;
}

export function panConfigure(c: Config): i32 {
  segIndex = 0; panLinesCoded = 0; panLinesFilled = 0; panEncoderErrors = 0; panLastStatus = 0; ended = false;
  if (!c.pan) return OK;
  fillParams(c);
  const len = c122StateLen(params);
  const state = carve(len);
  linePtr = carve(<i64>(2 * c.panPixels));
  panTilesDropped = 0; panLinesUnscreened = 0; linesIn = 0; released = 0; decCount = 0; decidedRows = 0;
  screened = c.screen;
  ratio = c.panRatio; width = c.panPixels;
  if (screened) {
    tileSide = scrWord(c, P_TILE_SIZE);
    ringDepth = <i32>ringLines(c);
    ring = carve(<i64>ringDepth * 2 * <i64>c.panPixels);
    decRow0 = carve(<i64>DEC_ROWS * 4); decLines = carve(<i64>DEC_ROWS * 4); carve(<i64>DEC_ROWS * 4);
    decCols = colsOf(c);
    decDrop = carve(<i64>DEC_ROWS * <i64>decCols);
  }
  return c122Init(state, len, params);
}

/**
 * Screening (screening.ts, when a tile row's decisions are final): band rows [row0, row0 + lines)
 * are decided; drops points at one octet per tile column (1: dropped). Pan lines under them leave.
 */
export function panTileRow(c: Config, row0: i32, lines: i32, drops: usize): void {
  if (!c.pan || !screened || ended) return;
  const slot = <usize>(decCount % <u32>DEC_ROWS);
  store<i32>(decRow0 + (slot << 2), row0); store<i32>(decLines + (slot << 2), lines);
  for (let i = 0; i < decCols; i++) store<u8>(decDrop + slot * <usize>decCols + <usize>i, load<u8>(drops + <usize>i));
  decCount++;
  decidedRows = <u32>(row0 + lines);
  releaseDecided(c, false);
}

/** Codes the waiting pan lines whose band line is decided (all of them when `all`), in order. */
function releaseDecided(c: Config, all: bool): void {
  while (released < linesIn) {                        // bounded: the ring's lines
    const m = released / <u32>ratio;                   // the band row under this pan line
    if (m >= decidedRows && !all) break;
    const line = ring + <usize>(released % <u32>ringDepth) * <usize>(2 * width);
    if (m < decidedRows) applyDrops(line, <i32>m); else panLinesUnscreened++;
    push(c, line);
    released++;
  }
}

/** Zeroes the pan pixels under the dropped tiles of band row m's tile row (one of the last DEC_ROWS). */
function applyDrops(line: usize, m: i32): void {
  const n = decCount < <u32>DEC_ROWS ? <i32>decCount : DEC_ROWS;
  for (let j = 0; j < n; j++) {
    const slot = <usize>((decCount - 1 - <u32>j) % <u32>DEC_ROWS);
    const r0 = load<i32>(decRow0 + (slot << 2)), nl = load<i32>(decLines + (slot << 2));
    if (m < r0 || m >= r0 + nl) continue;
    const first = m == r0 && <u32>(released % <u32>ratio) == 0;   // the tile row's first pan line: count its drops once
    const span = tileSide * ratio;
    for (let col = 0; col < decCols; col++) {
      if (load<u8>(decDrop + slot * <usize>decCols + <usize>col) == 0) continue;
      const x0 = col * span;
      let x1 = x0 + span; if (x1 > width) x1 = width;
      for (let x = x0; x < x1; x++) store<u16>(line + (<usize>x << 1), 0);
      if (first) panTilesDropped++;
    }
    return;
  }
}

/** Sends every coded segment waiting in the encoder, each in packets of at most maxPacketLen. */
function sendSegments(c: Config): void {
  const n = c122OutSegments();
  let src = c122OutPtr();
  const userMax = c.maxPacketLen - PAN_SEC_HDR_LEN;
  for (let s = 0; s < n; s++) {                      // bounded: the segments of one push
    const len = c122OutSegmentLen(s);
    let off = 0;
    while (off < len) {                              // bounded: len / userMax packets
      let count = len - off;
      if (count > userMax) count = userMax;
      const first = off == 0, last = off + count >= len;
      const flags: u32 = first ? (last ? SEQ_UNSEGMENTED : SEQ_FIRST) : (last ? SEQ_LAST : SEQ_CONTINUATION);
      const sh = packetDataPtr();
      packCuc(sh, lastCoarse, lastFine);
      storeU32BE(sh + 7, segIndex); storeU32BE(sh + 11, <u32>len); storeU32BE(sh + 15, <u32>off); storeU32BE(sh + 19, <u32>c122Lines()); storeU32BE(sh + 23, panTilesDropped);
      copyBytes(sh + <usize>PAN_SEC_HDR_LEN, src + <usize>off, <usize>count);
      sendImagePacket(c.panApid, flags, c.bands + SEQ_PAN, PAN_SEC_HDR_LEN + count);
      hk.hkInc(hk.HK_PACKETS_SENT);
      off += count;
    }
    src += <usize>len;
    segIndex++;
  }
  c122Drained();
}

function push(c: Config, line: usize): void {
  const st = c122PushLine(line);
  if (st < 0) { panEncoderErrors++; panLastStatus = st; hk.hkSetLastStatus(st); return; }
  panLinesCoded++;
  if (st > 0) sendSegments(c);
}

/**
 * One accepted pan line (checkPanLine passed): samples unpacked (clipped to the depth, counted),
 * coded; `missing` lines lost on the bus before it are first filled with a copy of it, so that
 * the image keeps its geometry (counted).
 */
export function codePanLine(c: Config, samples: usize, missing: u32, coarse: u32, fine: u32): void {
  if (ended) return;
  lastCoarse = coarse; lastFine = fine;
  unpackLineSamples(linePtr, samples, c.panPixels, c.panBitDepth);
  for (let i: u32 = 0; i < missing; i++) { take(c, linePtr); panLinesFilled++; }   // bounded by maxLineJump · panRatio
  take(c, linePtr);
}

/** A pan line in order: coded now, or (screening) into the ring until its band row is decided. */
function take(c: Config, line: usize): void {
  if (!screened) { push(c, line); return; }
  if (linesIn - released >= <u32>ringDepth) releaseOldest(c);
  copyBytes(ring + <usize>(linesIn % <u32>ringDepth) * <usize>(2 * width), line, <usize>(2 * width));
  linesIn++;
  releaseDecided(c, false);
}

/** The ring is full: the oldest line leaves as its decision stands (none yet: coded as it is, counted). */
function releaseOldest(c: Config): void {
  const m = released / <u32>ratio;
  const line = ring + <usize>(released % <u32>ringDepth) * <usize>(2 * width);
  if (m < decidedRows) applyDrops(line, <i32>m); else panLinesUnscreened++;
  push(c, line);
  released++;
}

/** End of pass: the last strips and segment (one step). Returns false when done. */
export function panEndStep(c: Config): bool {
  if (!c.pan || ended) return false;
  if (screened) releaseDecided(c, true);             // every band row is decided by now (screening ended first)
  ended = true;
  if (c122Lines() == 0) return false;               // no pan line: no image
  const st = c122End();
  if (st < 0) { panEncoderErrors++; panLastStatus = st; hk.hkSetLastStatus(st); return false; }
  sendSegments(c);
  return false;
}

/** Segments sent so far. */
export function panSegmentsSent(): u32 { return segIndex; }
