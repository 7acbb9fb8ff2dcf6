// The payload pipeline: the only module that knows the order of the stages.
//   bus record → line checks → space packets (133.0-B-2, raw samples packed MSB first)
//   → TM/AOS frames per virtual channel (132.0-B-3 / 732.0-B-4) → RS + randomizer + ASM
//   (131.0-B-5) → CADUs in the output buffer, which flight.ts drains to the transmitter.
// The transmitter is modelled by a frame clock driven by the line time tags: when the link
// has spare capacity, partial frames leave padded with an idle packet and idle frames fill
// the rest; when it has none, frames leave only when full and the backlog is reported.
import { Config, parseConfig, bandApid } from "../abi/config-table";
import { OK, E_CFG_NO_MEMORY, E_BUS_BAD_LINE, E_BUS_LINE_JUMP, E_BUS_TIME_JUMP, E_OUT_FULL, E_FRAME_BAD_CONFIG } from "../abi/status";
import { setDetail } from "../abi/control";
import { loadU32BE, loadU16BE, storeU16BE, storeU32BE, copyBytes } from "../util/be";
import { packPrimaryHeader, PRIMARY_HEADER_LEN, SEQ_UNSEGMENTED, SEQ_FIRST, SEQ_CONTINUATION, SEQ_LAST } from "../packet/space-packet";
import { packCuc, CUC_LEN } from "../packet/cuc";
import { framerConfigure, framerBufferLen, framerSlotFor, framerPut, framerIsFull, framerIsEmpty, framerClose, framerCarrySpill, framerPadIdle, framerIdleFrame, framerDataFrames, framerIdleFrames, framerIdlePackets } from "../frame/framer";
import { caduEncode, caduLen } from "../sync/cadu";
import { rsInit } from "../sync/reed-solomon";
import { randomizerInit } from "../sync/randomizer";
import { crc16Init } from "../util/crc16";
import { LINE_HEADER_LEN, RECORD_HEADER_LEN, RECORD_CRC_LEN } from "./bus-record";
import * as hk from "./housekeeping";
import { CODER_CCSDS121 } from "../abi/config-table";
import { screenCheckParams, screenWorkspaceLen, screenInit, screenSetCalibration, screenSetSun, screenPushLine, screenFlush, screenTileRowDone, screenTileCols, screenTilePtr, screenLinesOut, P_TILE_SIZE, P_GROW_PX, P_COUNT, TILE_WORDS, T_DECISION, T_REASON, DECIDE_KEEP, DECIDE_DEGRADE, DECIDE_DROP, CLASS_CLOUD } from "../screen/screener";
import { aecInit, aecEncode16, aecEndUnit, aecMaxOutLen, AEC_STATE_LEN } from "../compress/aec121/encoder";
import { sunForLine, sunElevationDeg, sunDistanceAu } from "./sun";
import { SCREEN_FIXED_LEN, SCREEN_PARAMS, CODER_CCSDS123, HYPER_PARAMS } from "../abi/config-table";
import { hypStateLen, hypInit, hypHeader, hypPushLine, hypDrain, hypPending, hypDone } from "../compress/hyper123/encoder";
import { packUnitHeader } from "./aec-units";
import { unitMemory, unitsConfigure, unitColumns, unitLineBuffer, unitHeader, unitsCodeLine, unitSegmentReady, unitComplete, unitOpen, unitSegmentPayload, unitOutPtr, unitFill, unitOffset, unitConsumed, unitClose, unitReset, UNIT_HDR_LEN } from "./aec-units";

/** Image packet secondary header: CUC (7) | line counter u32 | first pixel u16 | pixel count u16 | bit depth u8. */
export const IMAGE_SEC_HDR_LEN: i32 = CUC_LEN + 4 + 2 + 2 + 1;
/** Housekeeping packet secondary header: CUC only. */
export const HK_SEC_HDR_LEN: i32 = CUC_LEN;

export const cfg = new Config();

let tablePtr: usize = 0;
let packPtr: usize = 0;          // packet header + secondary header + packed samples
let outPtr: usize = 0;
let outCap: i32 = 0;
let outLen: i32 = 0;
let cadu: i32 = 0;
let imageSlot: i32 = 0;
let hkSlot: i32 = 0;
let segPixels: i32 = 0;          // pixels per packet (multiple of 8), pixels when unsegmented
let seqCounts: usize = 0;        // u16 per band, + 1 for HK
let started: bool = false;
let lastCounter: u32 = 0;
let t0: f64 = 0;
let lastTime: f64 = 0;
let creditSkip: f64 = 0;
let caduCount: u64 = 0;
let lastCoarse: u32 = 0;
let lastFine: u32 = 0;
let heapUsedAtBoot: u32 = 0;

export function maxLinePayload(c: Config): i32 { return LINE_HEADER_LEN + 2 * c.bands * c.pixels; }
export function maxRecordLen(c: Config): i32 { return RECORD_HEADER_LEN + maxLinePayload(c) + RECORD_CRC_LEN; }

/**
 * Octets of working memory the configuration needs beyond what is already in use: the input
 * buffer (two records), the packet buffer, the frame buffers and the output buffer.
 */
export function memoryNeeded(c: Config, tableLen: i32): i32 {
  const input = 2 * maxRecordLen(c) < 4096 ? 4096 : 2 * maxRecordLen(c);
  const codec = c.screen ? screenMemory(c) : c.compression == CODER_CCSDS121 ? unitMemory(c.bands, c.pixels, c.unitPixels, c.maxPacketLen)
    : c.compression == CODER_CCSDS123 ? hyperMemory(c) : 0;
  return tableLen + input + c.maxPacketLen + 64 + framerBufferLen(c.frameLen) + outBufferLen(c) + 4 * (c.bands + 3) + 256 + codec;
}

function outBufferLen(c: Config): i32 {
  const zone = c.frameLen - 8;                       // a lower bound of the packet zone
  let lineBytes = c.bands * (((c.pixels * c.bitDepth + 7) >> 3) + 64) + 64;
  if (c.screen) {
    // A whole tile row leaves at once when its decisions are known.
    lineBytes *= 64 + 2;
    lineBytes += 2 * c.pixels + 4096;
  } else if (c.compression == CODER_CCSDS123) {
    // A segment's end releases its last packet beside the line's own codewords.
    lineBytes += c.maxPacketLen + 4096;
  } else if (c.compression == CODER_CCSDS121) {
    // Closing every unit on the same line can release up to a packet per unit beyond the line's own octets.
    const colPx = c.unitPixels == 0 || c.unitPixels > c.pixels ? c.pixels : c.unitPixels;
    lineBytes += c.bands * ((c.pixels + colPx - 1) / colPx) * (c.maxPacketLen + 64);
  }
  const frames = lineBytes / zone + 2 * c.bands + 8 + <i32>c.maxIdlePerLine + 4;
  return frames * caduLen(c.frameLen, c.rsDepth, c.rsE);
}

/**
 * Applies a configuration table (copied into its own buffer) and carves every buffer of the
 * pass. inputBufPtr receives the line input buffer (2 records). Returns OK or a status.
 */
export function configure(tableSrc: usize, tableLen: i32, heapBase: u32, ramLimit: u32): i32 {
  // Static tables are filled at boot, not at first use in the middle of a pass.
  crc16Init(); rsInit(); randomizerInit();
  const status = parseConfig(tableSrc, tableLen, cfg);
  if (status != OK) return status;
  const need = memoryNeeded(cfg, tableLen);
  if (<u64>heapBase + <u64>need > <u64>cfg.ramBytes || <u64>heapBase + <u64>need > <u64>ramLimit) {
    return setDetail(E_CFG_NO_MEMORY, 28, need, <i32>cfg.ramBytes - <i32>heapBase, 0);
  }
  tablePtr = heap.alloc(<usize>tableLen);
  copyBytes(tablePtr, tableSrc, <usize>tableLen);
  parseConfig(tablePtr, tableLen, cfg);              // re-point cfg.apidsPtr at the kept copy
  packPtr = heap.alloc(<usize>(cfg.maxPacketLen + 64));
  const frames = heap.alloc(<usize>framerBufferLen(cfg.frameLen));
  outCap = outBufferLen(cfg);
  outPtr = heap.alloc(<usize>outCap);
  seqCounts = heap.alloc(<usize>(4 * (cfg.bands + 3)));   // bands, HK, mask, tile statistics
  for (let b = 0; b < cfg.bands + 3; b++) store<u32>(seqCounts + (<usize>b << 2), cfg.initialPacketCount);
  const fs = framerConfigure(cfg.frameType, cfg.scid, cfg.frameLen, cfg.fecf, cfg.ocf, cfg.insertZoneLen, cfg.idleVcid, cfg.initialFrameCount, frames);
  if (fs != OK) return setDetail(E_FRAME_BAD_CONFIG, 8, cfg.frameLen, 0, 0);
  imageSlot = framerSlotFor(cfg.imageVcid);
  hkSlot = framerSlotFor(cfg.hkVcid);
  cadu = caduLen(cfg.frameLen, cfg.rsDepth, cfg.rsE);
  const userMax = cfg.maxPacketLen - IMAGE_SEC_HDR_LEN;
  const lineBits = cfg.pixels * cfg.bitDepth;
  if (lineBits <= userMax * 8) segPixels = cfg.pixels;
  else segPixels = ((userMax * 8) / cfg.bitDepth) & ~7;   // whole octets per segment
  if (cfg.screen) {
    const ss = screeningConfigure();
    if (ss != OK) return ss;
  } else if (cfg.compression == CODER_CCSDS123) {
    const hs = hyperConfigure();
    if (hs != OK) return hs;
  } else if (cfg.compression == CODER_CCSDS121) {
    const us = unitsConfigure(cfg.bands, cfg.pixels, cfg.bitDepth, cfg.unitPixels, cfg.unitLines, cfg.aecJ, cfg.aecRsi, cfg.aecFlags, cfg.maxPacketLen);
    if (us != OK) return setDetail(us, 19, cfg.compression, 0, 0);
  }
  started = false; outLen = 0; caduCount = 0; creditSkip = 0;
  return OK;
}

export function setHeapUsed(bytes: u32): void { heapUsedAtBoot = bytes; }

// ---- output ---------------------------------------------------------------------------

export function outputPtr(): usize { return outPtr; }
export function outputLen(): i32 { return outLen; }
export function outputDrained(): void { outLen = 0; }

function emit(framePtr: usize): void {
  if (outLen + cadu > outCap) {                       // impossible by sizing: counted, never silent
    hk.hkSetLastStatus(E_OUT_FULL);
    hk.hkInc(hk.HK_FRAMES_OVERFLOW);
    return;
  }
  const n = caduEncode(framePtr, cfg.frameLen, cfg.rsDepth, cfg.rsE, cfg.randomizer, outPtr + <usize>outLen);
  if (n < 0) { hk.hkSetLastStatus(n); return; }
  outLen += n;
  caduCount++;
}

function closeAndEmit(slot: i32): void {
  emit(framerClose(slot));
  framerCarrySpill(slot);
}

/** Puts len octets of packet stream on a channel, emitting every frame that fills up. */
function putStream(slot: i32, src: usize, len: i32, packetStart: bool): void {
  let p = src;
  let rest = len;
  let start = packetStart;
  while (rest > 0) {                                  // bounded: one pass per frame filled
    const n = framerPut(slot, p, rest, start);
    p += <usize>n; rest -= n; start = false;
    if (framerIsFull(slot)) closeAndEmit(slot);
  }
}

function nextSeq(index: i32): u32 {
  const p = seqCounts + (<usize>index << 2);
  const s = load<u32>(p);
  store<u32>(p, (s + 1) & 0x3FFF);                  // 133.0-B-2 §4.1.3.4.3.3: modulo 16384
  return s;
}

// ---- lines ----------------------------------------------------------------------------

/**
 * Packs count samples (u16 big-endian in the record) at bitDepth bits, MSB first, into dst.
 * Returns octets written; samples above the bit depth are clipped and counted.
 */
function packSamples(dst: usize, src: usize, count: i32, bitDepth: i32): i32 {
  const maxV: u32 = (1 << <u32>bitDepth) - 1;
  let acc: u64 = 0;
  let bits: i32 = 0;
  let o: usize = dst;
  let clipped: u32 = 0;
  for (let i = 0; i < count; i++) {
    let v = <u32>bswap<u16>(load<u16>(src + (<usize>i << 1)));
    if (v > maxV) { v = maxV; clipped++; }
    acc = (acc << <u64>bitDepth) | <u64>v;
    bits += bitDepth;
    if (bits >= 32) {                                  // flush whole octets, keep < 8 bits
      bits -= 32;
      store<u32>(o, bswap<u32>(<u32>(acc >> <u64>bits)));
      o += 4;
    }
  }
  while (bits >= 8) { bits -= 8; store<u8>(o, <u8>(acc >> <u64>bits)); o++; }
  if (bits > 0) { store<u8>(o, <u8>(acc << <u64>(8 - bits))); o++; }   // zero padding
  if (clipped != 0) hk.hkAdd(hk.HK_SAMPLES_CLIPPED, clipped);
  return <i32>(o - dst);
}

@inline function timeOf(coarse: u32, fine: u32): f64 { return <f64>coarse + <f64>fine * (1.0 / 4294967296.0); }

/** Checks a line record against the configuration. Returns OK or a rejection status. */
export function checkLine(payload: usize, len: i32): i32 {
  if (len < LINE_HEADER_LEN) return setDetail(E_BUS_BAD_LINE, 0, len, LINE_HEADER_LEN, 0);
  const bands = <i32>loadU16BE(payload + 12);
  const pixels = <i32>loadU16BE(payload + 14);
  const depth = <i32>load<u8>(payload + 16);
  if (bands != cfg.bands) return setDetail(E_BUS_BAD_LINE, 12, bands, cfg.bands, 12);
  if (pixels != cfg.pixels) return setDetail(E_BUS_BAD_LINE, 14, pixels, cfg.pixels, 14);
  if (depth != cfg.bitDepth) return setDetail(E_BUS_BAD_LINE, 16, depth, cfg.bitDepth, 16);
  if (len != LINE_HEADER_LEN + 2 * bands * pixels) return setDetail(E_BUS_BAD_LINE, 0, len, LINE_HEADER_LEN + 2 * bands * pixels, 0);
  const counter = loadU32BE(payload);
  const t = timeOf(loadU32BE(payload + 4), loadU32BE(payload + 8));
  if (started) {
    const jump = counter - lastCounter;               // modulo 2^32
    if (jump == 0 || jump > cfg.maxLineJump) return setDetail(E_BUS_LINE_JUMP, 0, <i32>counter, <i32>(lastCounter + 1), 0);
    if (t < lastTime) return setDetail(E_BUS_TIME_JUMP, 4, <i32>(t - lastTime), 0, 4);
  }
  return OK;
}

/** Processes an accepted line record (checkLine returned OK). */
export function processLine(payload: usize): void {
  const counter = loadU32BE(payload);
  const coarse = loadU32BE(payload + 4);
  const fine = loadU32BE(payload + 8);
  const t = timeOf(coarse, fine);
  if (!started) { started = true; t0 = t; }
  else if (counter - lastCounter > 1) hk.hkAdd(hk.HK_LINES_MISSING, counter - lastCounter - 1);
  lastCounter = counter; lastTime = t; lastCoarse = coarse; lastFine = fine;
  hk.hkInc(hk.HK_LINES_ACCEPTED);
  hk.hkSet(hk.HK_LAST_LINE, counter);

  const samples = payload + <usize>LINE_HEADER_LEN;
  if (cfg.screen) screenLine(samples, counter, coarse, fine, t);
  else if (cfg.compression == CODER_CCSDS123) codeLine123(samples, counter, coarse, fine);
  else if (cfg.compression == CODER_CCSDS121) codeLine121(samples, counter, coarse, fine);
  else sendRawLine(samples, counter, coarse, fine);
  if (cfg.hkEveryLines != 0 && hk.hkGet(hk.HK_LINES_ACCEPTED) % cfg.hkEveryLines == 0) sendHousekeeping();
  transmitterTick(t);
}

/** Raw mode: each band line in its own packet(s), samples packed at the bit depth. */
function sendRawLine(samples: usize, counter: u32, coarse: u32, fine: u32): void {
  const bands = cfg.bands, pixels = cfg.pixels, depth = cfg.bitDepth, seg = segPixels;
  for (let b = 0; b < bands; b++) {
    const apid = bandApid(cfg, b);
    const bandPtr = samples + <usize>(2 * b * pixels);
    let first = 0;
    while (first < pixels) {                          // bounded: pixels / seg segments
      let count = pixels - first;
      if (count > seg) count = seg;
      const last = first + count >= pixels;
      const flags: u32 = first == 0 ? (last ? SEQ_UNSEGMENTED : SEQ_FIRST) : (last ? SEQ_LAST : SEQ_CONTINUATION); // §4.1.3.4.2.2
      const sh = packPtr + <usize>PRIMARY_HEADER_LEN;
      packCuc(sh, coarse, fine);
      storeU32BE(sh + 7, counter);
      storeU16BE(sh + 11, <u32>first);
      storeU16BE(sh + 13, <u32>count);
      store<u8>(sh + 15, <u8>depth);
      const userLen = packSamples(sh + <usize>IMAGE_SEC_HDR_LEN, bandPtr + <usize>(2 * first), count, depth);
      packPrimaryHeader(packPtr, apid, true, flags, nextSeq(b), IMAGE_SEC_HDR_LEN + userLen);
      putStream(imageSlot, packPtr, PRIMARY_HEADER_LEN + IMAGE_SEC_HDR_LEN + userLen, true);
      hk.hkInc(hk.HK_PACKETS_SENT);
      first += count;
    }
  }
}

/** CCSDS 121 mode: each band line is coded into its units; full segments and closed units leave. */
function codeLine121(samples: usize, counter: u32, coarse: u32, fine: u32): void {
  const bands = cfg.bands, pixels = cfg.pixels;
  const maxV: u32 = (1 << <u32>cfg.bitDepth) - 1;
  const lb = unitLineBuffer();
  const cols = unitColumns();
  for (let b = 0; b < bands; b++) {
    const src = samples + <usize>(2 * b * pixels);
    let clipped: u32 = 0;
    for (let i = 0; i < pixels; i++) {                 // big-endian on the bus → native, clipped to n bits
      let v = <u32>bswap<u16>(load<u16>(src + (<usize>i << 1)));
      if (v > maxV) { v = maxV; clipped++; }
      store<u16>(lb + (<usize>i << 1), <u16>v);
    }
    if (clipped != 0) hk.hkAdd(hk.HK_SAMPLES_CLIPPED, clipped);
    const s = unitsCodeLine(b, counter, coarse, fine);
    if (s != OK) { hk.hkSetLastStatus(s); continue; }
    for (let c = 0; c < cols; c++) {
      const u = b * cols + c;
      while (unitSegmentReady(u)) sendSegment(b, u, unitSegmentPayload(), false);
      if (unitComplete(u)) finishUnit(b, u);
    }
  }
}

function finishUnit(band: i32, u: i32): void {
  const s = unitClose(u);
  if (s < 0) hk.hkSetLastStatus(s);
  const seg = unitSegmentPayload();
  while (unitFill(u) > seg) sendSegment(band, u, seg, false);
  sendSegment(band, u, unitFill(u), true);
  unitReset(u);
}

function sendSegment(band: i32, u: i32, len: i32, last: bool): void {
  unitHeader(u, packPtr + <usize>PRIMARY_HEADER_LEN);
  sendUnitPacket(bandApid(cfg, band), band, unitOutPtr(u), len, unitOffset(u) == 0, last);
  unitConsumed(u, len);
}

/**
 * One packet of a compressed unit on the image channel: the unit header is already written
 * after the primary header in the packet buffer; len octets of coded data follow it. The
 * sequence flags say where the packet stands in its unit (133.0-B-2 §4.1.3.4.2.2).
 */
function sendUnitPacket(apid: u32, seqIndex: i32, data: usize, len: i32, first: bool, last: bool): void {
  const flags: u32 = first ? (last ? SEQ_UNSEGMENTED : SEQ_FIRST) : (last ? SEQ_LAST : SEQ_CONTINUATION);
  copyBytes(packPtr + <usize>(PRIMARY_HEADER_LEN + UNIT_HDR_LEN), data, <usize>len);
  packPrimaryHeader(packPtr, apid, true, flags, nextSeq(seqIndex), UNIT_HDR_LEN + len);
  putStream(imageSlot, packPtr, PRIMARY_HEADER_LEN + UNIT_HDR_LEN + len, true);
  hk.hkInc(hk.HK_PACKETS_SENT);
}

/** The frame clock: what the transmitter could have sent by time t, at the configured rate. */
function transmitterTick(t: f64): void {
  const credits = Math.floor((t - t0) * <f64>cfg.bitRate / <f64>(cadu * 8)) + 1.0 - creditSkip;
  let spare = credits - <f64>caduCount;
  if (spare <= 0) {
    hk.hkSet(hk.HK_BACKLOG_FRAMES, <u32>(<i32>(-spare)));
    return;
  }
  hk.hkSet(hk.HK_BACKLOG_FRAMES, 0);
  // Spare capacity: partial frames leave now (padded), then idle frames.
  if (!framerIsEmpty(imageSlot)) { framerPadIdle(imageSlot); closeAndEmit(imageSlot); }
  if (!framerIsEmpty(hkSlot)) { framerPadIdle(hkSlot); closeAndEmit(hkSlot); }
  spare = credits - <f64>caduCount;
  let idle: i32 = 0;
  const cap = <i32>cfg.maxIdlePerLine;
  while (spare >= 1 && idle < cap) { emit(framerIdleFrame()); spare -= 1; idle++; }
  if (spare >= 1) creditSkip += Math.floor(spare);   // a gap in imaging: the link's idle time is not owed later
}

export function sendHousekeeping(): void {
  hk.hkInc(hk.HK_SEQUENCE);
  hk.hkSet(hk.HK_DATA_FRAMES, framerDataFrames());
  hk.hkSet(hk.HK_IDLE_FRAMES, framerIdleFrames());
  hk.hkSet(hk.HK_IDLE_PACKETS, framerIdlePackets());
  hk.hkSet(hk.HK_CADUS, <u32>caduCount);
  hk.hkSet(hk.HK_MEMORY_BYTES, <u32>memory.size() << 16);
  hk.hkSet(hk.HK_HEAP_USED, heapUsedAtBoot);
  hk.hkSet(hk.HK_TILES_KEPT, tilesKept);
  hk.hkSet(hk.HK_TILES_DEGRADED, tilesDegraded);
  hk.hkSet(hk.HK_TILES_DROPPED, tilesDropped);
  const sh = packPtr + <usize>PRIMARY_HEADER_LEN;
  packCuc(sh, lastCoarse, lastFine);
  hk.packHousekeeping(sh + <usize>HK_SEC_HDR_LEN);
  const dataLen = HK_SEC_HDR_LEN + hk.HK_DATA_LEN;
  packPrimaryHeader(packPtr, cfg.hkApid, true, SEQ_UNSEGMENTED, nextSeq(cfg.bands), dataLen);
  putStream(hkSlot, packPtr, PRIMARY_HEADER_LEN + dataLen, true);
}

/** End of pass: final housekeeping, then every partial frame leaves padded. */
let scrFlushed = false;

/**
 * End of pass, one bounded step at a time so that the caller can drain the output between
 * steps: the screener's delay line, then a short last CCSDS 123 segment padded line by line,
 * then the final housekeeping and every partial frame. Returns true while steps remain.
 */
export function endPassStep(): bool {
  if (cfg.screen && !scrFlushed) {
    const r = screenFlush(scrClass);
    if (r >= 0) classLineReady(r); else scrFlushed = true;
    return true;
  }
  if (cfg.compression == CODER_CCSDS121 && !cfg.screen) {
    // Close the open units, one per step.
    const cols = unitColumns();
    for (let u = 0; u < cfg.bands * cols; u++) {
      if (unitOpen(u)) { finishUnit(u / cols, u); return true; }
    }
  }
  if (cfg.compression == CODER_CCSDS123 && hypLines > 0) {
    // A short last segment: repeat its last line up to the segment length (cheap to code);
    // the unit header tells the ground how many lines are real.
    if (hypLines < cfg.unitLines) { const real = hypReal; pushHyperLine(); hypReal = real; }
    else finishHyperSegment();
    return true;
  }
  endPass();
  return false;
}

/** End of pass: final housekeeping, then every partial frame leaves padded. */
function endPass(): void {
  hk.hkSetState(hk.STATE_ENDED);
  sendHousekeeping();
  if (!framerIsEmpty(imageSlot)) { framerPadIdle(imageSlot); closeAndEmit(imageSlot); }
  if (!framerIsEmpty(hkSlot)) { framerPadIdle(hkSlot); closeAndEmit(hkSlot); }
  // A spilled idle-packet tail may have opened one more frame on a channel.
  if (!framerIsEmpty(imageSlot)) { framerPadIdle(imageSlot); closeAndEmit(imageSlot); }
  if (!framerIsEmpty(hkSlot)) { framerPadIdle(hkSlot); closeAndEmit(hkSlot); }
}


// ---- cloud screening stage ---------------------------------------------------------------
// Lines wait in a ring while the screener (assembly/screen/) classifies them; when a tile row's
// decisions are known its tiles leave as the policy says: keep (CCSDS 121 lossless, or raw
// segments in raw mode), degrade (CCSDS 121 of v >> k: error ≤ 2^(k−1)) or drop (only the tile's
// statistics and a thumbnail leave). Every tile's statistics go on the statistics APID before
// its data; the cloud mask (1 bit per pixel, CCSDS 121 with n = 1) goes on the mask APID, one
// unit per tile row.
// Tile statistics packet (user data after a CUC of the tile row's first line):
//   tile row u32 | first line u32 | lines u16 | first pixel u16 | pixel count u16 |
//   6 × u32 pixel counts (clear, cloud, uncertain-bright, saturated, missing, unjudged) |
//   decision u8 (0 keep, 1 degrade, 2 drop) | reason u8 | thumbnail factor f u8 | bands u8 |
//   thumbnail (dropped tiles only): per band ⌈lines/f⌉ × ⌈count/f⌉ octets, the top 8 bits of
//   each f × f block's mean.
const SCR_MASK_BITS: i32 = 1;
const SCR_MASK_FLAGS: i32 = 8 | 16;          // preprocessing + restricted code options (n = 1 ≤ 4)
export const TILE_STATS_FIXED: i32 = CUC_LEN + 4 + 4 + 2 + 2 + 2 + 24 + 4;

let scrRing: usize = 0;
let scrMeta: usize = 0;           // per ring slot: counter u32, coarse u32, fine u32
let scrDepth: i32 = 0;
let scrLineBytes: i32 = 0;
let scrClass: usize = 0;
let scrParams: usize = 0;
let scrTile: i32 = 0;
let scrIn: i32 = 0;               // lines pushed
let scrRowsDone: i32 = -1;        // last tile row handled
let tileState: usize = 0;
let tileOut: usize = 0;
let tileCap: i32 = 0;
let tileShiftBuf: usize = 0;
let maskState: usize = 0;
let maskOut: usize = 0;
let maskCap: i32 = 0;
let maskFill: i32 = 0;
let maskOffset: u32 = 0;
let maskLines: i32 = 0;
let maskLine: usize = 0;
let scrSegPayload: i32 = 0;
let scrT0: f64 = 0;
let tilesKept: u32 = 0, tilesDegraded: u32 = 0, tilesDropped: u32 = 0;

function screenMemory(c: Config): i32 {
  const tile = loadParamBE(c, P_TILE_SIZE), g = loadParamBE(c, P_GROW_PX);
  const depth = tile + g + 1;
  const lineBytes = 2 * c.bands * c.pixels;
  const cols = (c.pixels + tile - 1) / (tile < 1 ? 1 : tile);
  const ws = ((g + 1) * c.pixels + 7) + c.pixels * 8 + 4096 * 4 + cols * TILE_WORDS * 4 + 9 * 8 + c.pixels + 64;
  const seg = c.maxPacketLen;
  return depth * (lineBytes + 12) + c.pixels + P_COUNT * 4 + ws + 2 * AEC_STATE_LEN
    + (seg + (tile * 32 + 16) * 2 + 1024) + (seg + (c.pixels * 2 + 16) * 2 + 1024) + 2 * tile + 2 * c.pixels + 256;
}

@inline function loadParamBE(c: Config, i: i32): i32 { return <i32>loadU32BE(c.screenBlockPtr + 24 + (<usize>i << 2)); }

function screeningConfigure(): i32 {
  scrParams = heap.alloc(<usize>(P_COUNT * 4));
  for (let i = 0; i < SCREEN_PARAMS; i++) store<i32>(scrParams + (<usize>i << 2), loadParamBE(cfg, i));
  const chk = screenCheckParams(scrParams);
  if (chk != OK) return setDetail(chk, 48 + 2 * cfg.bands + 12 + 24, 0, 0, 0);
  if (load<i32>(scrParams + (16 << 2)) != cfg.bands || load<i32>(scrParams + (17 << 2)) != cfg.pixels) return setDetail(chk, 48 + 2 * cfg.bands + 12 + 24 + 64, 0, 0, 0);
  const wsLen = screenWorkspaceLen(scrParams);
  const ws = heap.alloc(<usize>wsLen);
  const si = screenInit(scrParams, ws, wsLen);
  if (si != OK) return si;
  const cal = cfg.screenBlockPtr + <usize>SCREEN_FIXED_LEN;
  for (let b = 0; b < cfg.bands; b++) {
    const q = cal + <usize>(12 * b);
    screenSetCalibration(b, <f64>reinterpret<f32>(loadU32BE(q)), <f64>reinterpret<f32>(loadU32BE(q + 4)), <f64>reinterpret<f32>(loadU32BE(q + 8)));
  }
  scrTile = load<i32>(scrParams + (<usize>P_TILE_SIZE << 2));
  scrDepth = scrTile + load<i32>(scrParams + (<usize>P_GROW_PX << 2)) + 1;
  scrLineBytes = 2 * cfg.bands * cfg.pixels;
  scrRing = heap.alloc(<usize>(scrDepth * scrLineBytes));
  scrMeta = heap.alloc(<usize>(scrDepth * 12));
  scrClass = heap.alloc(<usize>cfg.pixels);
  scrSegPayload = cfg.maxPacketLen - UNIT_HDR_LEN;
  tileState = heap.alloc(<usize>AEC_STATE_LEN);
  const J = cfg.aecJ == 0 ? 16 : cfg.aecJ, rsi = cfg.aecRsi == 0 ? 128 : cfg.aecRsi;
  let st = aecInit(tileState, cfg.bitDepth, J, rsi, cfg.aecFlags);
  if (st != OK) return st;
  tileCap = scrSegPayload + aecMaxOutLen(tileState, scrTile) + 64;
  tileOut = heap.alloc(<usize>tileCap);
  tileShiftBuf = heap.alloc(<usize>(2 * scrTile + 16));
  maskState = heap.alloc(<usize>AEC_STATE_LEN);
  st = aecInit(maskState, SCR_MASK_BITS, 16, rsi, SCR_MASK_FLAGS);
  if (st != OK) return st;
  maskCap = scrSegPayload + aecMaxOutLen(maskState, cfg.pixels) + 64;
  maskOut = heap.alloc(<usize>maskCap);
  maskLine = heap.alloc(<usize>(2 * cfg.pixels + 16));
  scrIn = 0; scrRowsDone = -1; maskFill = 0; maskOffset = 0; maskLines = 0;
  return OK;
}

@inline function ringSlot(line: i32): usize { return scrRing + <usize>((line % scrDepth) * scrLineBytes); }
@inline function metaSlot(line: i32): usize { return scrMeta + <usize>((line % scrDepth) * 12); }

function screenLine(samples: usize, counter: u32, coarse: u32, fine: u32, t: f64): void {
  if (scrIn == 0) scrT0 = t;
  const slot = ringSlot(scrIn);
  const n = cfg.bands * cfg.pixels;
  const maxV: u32 = (1 << <u32>cfg.bitDepth) - 1;
  let clipped: u32 = 0;
  for (let i = 0; i < n; i++) {                          // bus big-endian → native, clipped to n bits
    let v = <u32>bswap<u16>(load<u16>(samples + (<usize>i << 1)));
    if (v > maxV) { v = maxV; clipped++; }
    store<u16>(slot + (<usize>i << 1), <u16>v);
  }
  if (clipped != 0) hk.hkAdd(hk.HK_SAMPLES_CLIPPED, clipped);
  const m = metaSlot(scrIn);
  store<u32>(m, counter); store<u32>(m, coarse, 4); store<u32>(m, fine, 8);
  sunForLine(t, t - scrT0, cfg.taiUtc, cfg.lat0Deg, cfg.lon0Deg, cfg.headingDeg, cfg.groundSpeedMps);
  screenSetSun(sunElevationDeg, sunDistanceAu);             // night or bad calibration: tiles kept (status in the screener)
  scrIn++;
  const r = screenPushLine(slot, scrLineBytes, scrClass);
  if (r >= 0) classLineReady(r);
}


/** A class line is out: it joins the tile row's mask; a finished tile row leaves. */
function classLineReady(row: i32): void {
  const px = cfg.pixels;
  for (let i = 0; i < px; i++) store<u16>(maskLine + (<usize>i << 1), load<u8>(scrClass + <usize>i) == CLASS_CLOUD ? 1 : 0);
  if (maskLines == 0) aecStartUnitMask();
  const w = aecEncode16(maskState, maskLine, px, maskOut + <usize>maskFill, maskCap - maskFill);
  if (w < 0) hk.hkSetLastStatus(w); else maskFill += w;
  maskLines++;
  const row0 = row - maskLines + 1;
  while (maskFill >= scrSegPayload) sendMaskSegment(row0, scrSegPayload, false);
  const done = screenTileRowDone();
  if (done > scrRowsDone) {
    scrRowsDone = done;
    const w2 = aecEndUnit(maskState, maskOut + <usize>maskFill, maskCap - maskFill);
    if (w2 < 0) hk.hkSetLastStatus(w2); else maskFill += w2;
    while (maskFill > scrSegPayload) sendMaskSegment(row0, scrSegPayload, false);
    sendMaskSegment(row0, maskFill, true);
    maskLines = 0; maskOffset = 0;
    sendTileRow(done, row0, row - row0 + 1);
  }
}

function aecStartUnitMask(): void {
  const rsi = cfg.aecRsi == 0 ? 128 : cfg.aecRsi;
  aecInit(maskState, SCR_MASK_BITS, 16, rsi, SCR_MASK_FLAGS);
  maskFill = 0; maskOffset = 0;
}

function sendMaskSegment(row0: i32, len: i32, last: bool): void {
  const m = metaSlot(row0);
  const rsi = cfg.aecRsi == 0 ? 128 : cfg.aecRsi;
  packUnitHeader(packPtr + <usize>PRIMARY_HEADER_LEN, load<u32>(m, 4), load<u32>(m, 8), load<u32>(m), maskLines, 0, cfg.pixels, SCR_MASK_BITS, 16, SCR_MASK_FLAGS, rsi, maskOffset, 0);
  sendUnitPacket(cfg.maskApid, cfg.bands + 1, maskOut, len, maskOffset == 0, last);
  copyBytes(maskOut, maskOut + <usize>len, <usize>(maskFill - len));
  maskFill -= len;
  maskOffset += <u32>len;
}

/** The tile row's statistics, then each tile's data as its decision says. */
function sendTileRow(tileRow: i32, row0: i32, lines: i32): void {
  const cols = screenTileCols();
  const recs = screenTilePtr();
  for (let c = 0; c < cols; c++) {
    const r = recs + <usize>(c * TILE_WORDS * 4);
    const decision = load<i32>(r + (<usize>T_DECISION << 2));
    const x0 = c * scrTile;
    let count = cfg.pixels - x0;
    if (count > scrTile) count = scrTile;
    sendTileStats(tileRow, row0, lines, x0, count, r, decision);
    if (decision == DECIDE_DROP) { tilesDropped++; continue; }
    const shift = decision == DECIDE_DEGRADE && cfg.compression == CODER_CCSDS121 ? cfg.degradeShift : 0;
    if (decision == DECIDE_DEGRADE) tilesDegraded++; else tilesKept++;
    for (let b = 0; b < cfg.bands; b++) {
      if (cfg.compression == CODER_CCSDS121) sendTile121(b, row0, lines, x0, count, shift);
      else sendTileRaw(b, row0, lines, x0, count);
    }
  }
}

function sendTileStats(tileRow: i32, row0: i32, lines: i32, x0: i32, count: i32, rec: usize, decision: i32): void {
  const m = metaSlot(row0);
  const sh = packPtr + <usize>PRIMARY_HEADER_LEN;
  packCuc(sh, load<u32>(m, 4), load<u32>(m, 8));
  storeU32BE(sh + 7, <u32>tileRow);
  storeU32BE(sh + 11, load<u32>(m));
  storeU16BE(sh + 15, <u32>lines);
  storeU16BE(sh + 17, <u32>x0);
  storeU16BE(sh + 19, <u32>count);
  for (let i = 0; i < 6; i++) storeU32BE(sh + 21 + (<usize>i << 2), <u32>load<i32>(rec + (<usize>i << 2)));
  store<u8>(sh + 45, <u8>decision);
  store<u8>(sh + 46, <u8>load<i32>(rec + (<usize>T_REASON << 2)));
  const f = cfg.thumbFactor;
  store<u8>(sh + 47, <u8>f);
  store<u8>(sh + 48, <u8>cfg.bands);
  let len = TILE_STATS_FIXED;
  if (decision == DECIDE_DROP) {
    const th = (lines + f - 1) / f, tw = (count + f - 1) / f;
    if (len + cfg.bands * th * tw <= cfg.maxPacketLen) {  // a thumbnail that does not fit one packet is not sent
      let o = sh + <usize>len;
      const shiftTop = cfg.bitDepth > 8 ? cfg.bitDepth - 8 : 0;
      for (let b = 0; b < cfg.bands; b++) {
        for (let ty = 0; ty < th; ty++) {
          for (let tx = 0; tx < tw; tx++) {
            let sum: u32 = 0, nPix: u32 = 0;
            for (let y = ty * f; y < (ty + 1) * f && y < lines; y++) {
              const row = ringSlot(row0 + y) + <usize>(2 * (b * cfg.pixels + x0));
              for (let x = tx * f; x < (tx + 1) * f && x < count; x++) { sum += <u32>load<u16>(row + (<usize>x << 1)); nPix++; }
            }
            store<u8>(o++, <u8>((sum / nPix) >> <u32>shiftTop));
          }
        }
      }
      len += cfg.bands * th * tw;
    }
  }
  packPrimaryHeader(packPtr, cfg.statsApid, true, SEQ_UNSEGMENTED, nextSeq(cfg.bands + 2), len);
  putStream(imageSlot, packPtr, PRIMARY_HEADER_LEN + len, true);
}

function sendTile121(band: i32, row0: i32, lines: i32, x0: i32, count: i32, shift: i32): void {
  const J = cfg.aecJ == 0 ? 16 : cfg.aecJ, rsi = cfg.aecRsi == 0 ? 128 : cfg.aecRsi;
  const st = aecInit(tileState, cfg.bitDepth - shift, J, rsi, cfg.aecFlags);
  if (st != OK) { hk.hkSetLastStatus(st); return; }
  let fill = 0;
  let offset: u32 = 0;
  const m = metaSlot(row0);
  const coarse = load<u32>(m, 4), fine = load<u32>(m, 8), line0 = load<u32>(m);
  for (let y = 0; y < lines; y++) {
    let src = ringSlot(row0 + y) + <usize>(2 * (band * cfg.pixels + x0));
    if (shift > 0) {
      for (let i = 0; i < count; i++) store<u16>(tileShiftBuf + (<usize>i << 1), load<u16>(src + (<usize>i << 1)) >> <u16>shift);
      src = tileShiftBuf;
    }
    const w = aecEncode16(tileState, src, count, tileOut + <usize>fill, tileCap - fill);
    if (w < 0) { hk.hkSetLastStatus(w); return; }
    fill += w;
    while (fill >= scrSegPayload) { sendTileSegment(band, coarse, fine, line0, y + 1, x0, count, shift, offset, scrSegPayload, false, fill); fill -= scrSegPayload; offset += <u32>scrSegPayload; }
  }
  const w2 = aecEndUnit(tileState, tileOut + <usize>fill, tileCap - fill);
  if (w2 < 0) { hk.hkSetLastStatus(w2); return; }
  fill += w2;
  while (fill > scrSegPayload) { sendTileSegment(band, coarse, fine, line0, lines, x0, count, shift, offset, scrSegPayload, false, fill); fill -= scrSegPayload; offset += <u32>scrSegPayload; }
  sendTileSegment(band, coarse, fine, line0, lines, x0, count, shift, offset, fill, true, fill);
}

function sendTileSegment(band: i32, coarse: u32, fine: u32, line0: u32, lines: i32, x0: i32, count: i32, shift: i32, offset: u32, len: i32, last: bool, fill: i32): void {
  const J = cfg.aecJ == 0 ? 16 : cfg.aecJ, rsi = cfg.aecRsi == 0 ? 128 : cfg.aecRsi;
  packUnitHeader(packPtr + <usize>PRIMARY_HEADER_LEN, coarse, fine, line0, lines, x0, count, cfg.bitDepth - shift, J, cfg.aecFlags, rsi, offset, shift);
  sendUnitPacket(bandApid(cfg, band), band, tileOut, len, offset == 0, last);
  copyBytes(tileOut, tileOut + <usize>len, <usize>(fill - len));
}

/** Raw mode: each line of the tile in its own segment packet (the raw image packet format). */
function sendTileRaw(band: i32, row0: i32, lines: i32, x0: i32, count: i32): void {
  const depth = cfg.bitDepth;
  for (let y = 0; y < lines; y++) {
    const m = metaSlot(row0 + y);
    const src = ringSlot(row0 + y) + <usize>(2 * (band * cfg.pixels + x0));
    const sh = packPtr + <usize>PRIMARY_HEADER_LEN;
    packCuc(sh, load<u32>(m, 4), load<u32>(m, 8));
    storeU32BE(sh + 7, load<u32>(m));
    storeU16BE(sh + 11, <u32>x0);
    storeU16BE(sh + 13, <u32>count);
    store<u8>(sh + 15, <u8>depth);
    // The ring holds native samples: swap to big-endian in place for the packer, then back.
    for (let i = 0; i < count; i++) store<u16>(src + (<usize>i << 1), bswap<u16>(load<u16>(src + (<usize>i << 1))));
    const userLen = packSamples(sh + <usize>IMAGE_SEC_HDR_LEN, src, count, depth);
    for (let i = 0; i < count; i++) store<u16>(src + (<usize>i << 1), bswap<u16>(load<u16>(src + (<usize>i << 1))));
    packPrimaryHeader(packPtr, bandApid(cfg, band), true, SEQ_UNSEGMENTED, nextSeq(band), IMAGE_SEC_HDR_LEN + userLen);
    putStream(imageSlot, packPtr, PRIMARY_HEADER_LEN + IMAGE_SEC_HDR_LEN + userLen, true);
    hk.hkInc(hk.HK_PACKETS_SENT);
  }
}


// ---- CCSDS 123 segments ---------------------------------------------------------------------
// The image is cut into segments of unitLines lines × all bands × all pixels, each compressed
// independently with CCSDS 123.0-B-2 (its own header: a complete, self-describing image), in
// band-interleaved-by-line order as the imager delivers, so that a lost packet costs one segment.
// The stream leaves in packets on the first band's APID, each with the unit header (coder 2).
const CODER_123_ID: i32 = 2;
let hypParams: usize = 0;
let hypState: usize = 0;
let hypStateBytes: i64 = 0;
let hypOut: usize = 0;
let hypCap: i32 = 0;
let hypFill: i32 = 0;
let hypOffset: u32 = 0;
let hypLines: i32 = 0;     // lines pushed into the current segment
let hypReal: i32 = 0;      // real (not padding) lines of the current segment
let hypLine: usize = 0;
let hypFirst: u32 = 0, hypCoarse: u32 = 0, hypFine: u32 = 0;

@inline function hyperParamBE(c: Config, i: i32): i32 { return <i32>loadU32BE(c.hyperBlockPtr + (<usize>i << 2)); }

function hyperMemory(c: Config): i32 {
  // The state size depends on the parameters; bound it from the geometry (BIL order):
  // weights, accumulators, two lines of representatives and differences, one line of indices.
  const nx = c.pixels, nz = c.bands, cm = hyperParamBE(c, 9) + 3;
  const state = 1280 + 8 + nz * cm * 4 + 8 + 4 * (nz * 4 + 8) + 3 * (nx * nz * 4 + 8) + cm * 4 + 8 + nx * nz * 2 + 8
    + (hyperParamBE(c, 8) == 2 ? 1024 + nx * nz * 2 + 16 : 0) + nz * 4 * 3 + 64 + nz * cm * 4;
  return state + HYPER_PARAMS * 4 + 2 * nx * nz + 16 + c.maxPacketLen + 8192 + 256;
}

function hyperConfigure(): i32 {
  hypParams = heap.alloc(<usize>(HYPER_PARAMS * 4));
  for (let i = 0; i < HYPER_PARAMS; i++) store<i32>(hypParams + (<usize>i << 2), hyperParamBE(cfg, i));
  hypStateBytes = hypStateLen(hypParams);
  if (hypStateBytes < 0) return setDetail(<i32>hypStateBytes, 19, cfg.compression, 0, 0);
  hypState = heap.alloc(<usize>hypStateBytes);
  hypCap = cfg.maxPacketLen - UNIT_HDR_LEN + 8192;
  hypOut = heap.alloc(<usize>hypCap);
  hypLine = heap.alloc(<usize>(2 * cfg.bands * cfg.pixels + 16));
  const s = hypInit(hypState, hypStateBytes, hypParams);      // checks every parameter now, at boot
  if (s != OK) return setDetail(s, 19, cfg.compression, 0, 0);
  hypLines = 0; hypReal = 0; hypFill = 0; hypOffset = 0;
  return OK;
}

function codeLine123(samples: usize, counter: u32, coarse: u32, fine: u32): void {
  const n = cfg.bands * cfg.pixels;
  const maxV: u32 = (1 << <u32>cfg.bitDepth) - 1;
  let clipped: u32 = 0;
  for (let i = 0; i < n; i++) {                         // bus big-endian → native, clipped to D bits
    let v = <u32>bswap<u16>(load<u16>(samples + (<usize>i << 1)));
    if (v > maxV) { v = maxV; clipped++; }
    store<u16>(hypLine + (<usize>i << 1), <u16>v);
  }
  if (clipped != 0) hk.hkAdd(hk.HK_SAMPLES_CLIPPED, clipped);
  if (hypLines == 0) { hypFirst = counter; hypCoarse = coarse; hypFine = fine; }
  pushHyperLine();
  hypReal = hypLines;
  if (hypLines == cfg.unitLines) finishHyperSegment();
}

function pushHyperLine(): void {
  if (hypLines == 0) {
    let s = hypInit(hypState, hypStateBytes, hypParams);
    if (s != OK) { hk.hkSetLastStatus(s); return; }
    s = hypHeader(hypState, hypParams, hypOut + <usize>hypFill, hypCap - hypFill);   // 123.0-B-2 §5.3
    if (s < 0) { hk.hkSetLastStatus(s); return; }
    hypFill += s;
    hypOffset = 0;
  }
  const s = hypPushLine(hypState, hypLine);
  if (s < 0) hk.hkSetLastStatus(s);
  hypLines++;
  drainHyper(false);
}

/** Moves pending codewords into the output, sending every full packet. Bounded: each pass writes or sends. */
function drainHyper(final: bool): void {
  const seg = cfg.maxPacketLen - UNIT_HDR_LEN;
  for (let guard = 0; guard < 1 << 24; guard++) {
    if (hypFill >= seg) { sendHyperSegment(seg, false); continue; }
    const more = final ? hypDone(hypState) == 0 : hypPending(hypState) != 0;
    if (!more) break;
    const w = hypDrain(hypState, hypOut + <usize>hypFill, hypCap - hypFill);
    if (w < 0) { hk.hkSetLastStatus(w); break; }
    hypFill += w;
    if (w == 0 && hypFill < seg) break;                  // nothing more to write
  }
}

function finishHyperSegment(): void {
  drainHyper(true);
  const seg = cfg.maxPacketLen - UNIT_HDR_LEN;
  while (hypFill > seg) sendHyperSegment(seg, false);
  sendHyperSegment(hypFill, true);
  hypLines = 0; hypReal = 0; hypFill = 0; hypOffset = 0;
}

function sendHyperSegment(len: i32, last: bool): void {
  const sh = packPtr + <usize>PRIMARY_HEADER_LEN;
  packUnitHeader(sh, hypCoarse, hypFine, hypFirst, hypReal, 0, cfg.pixels, cfg.bitDepth, 0, 0, 0, hypOffset, 0);
  store<u8>(sh + 17, <u8>CODER_123_ID);
  sendUnitPacket(bandApid(cfg, 0), 0, hypOut, len, hypOffset == 0, last);
  copyBytes(hypOut, hypOut + <usize>len, <usize>(hypFill - len));
  hypFill -= len;
  hypOffset += <u32>len;
}
