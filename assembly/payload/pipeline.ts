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
import { framerConfigure, framerBufferLen, framerSlotFor, framerPut, framerIsFull, framerIsEmpty, framerClose, framerCarrySpill, framerPadIdle, framerIdleFrame, framerZoneLen, framerDataFrames, framerIdleFrames, framerIdlePackets, FRAME_TM } from "../frame/framer";
import { caduEncode, caduLen } from "../sync/cadu";
import { rsInit } from "../sync/reed-solomon";
import { randomizerInit } from "../sync/randomizer";
import { crc16Init } from "../util/crc16";
import { LINE_HEADER_LEN, RECORD_HEADER_LEN, RECORD_CRC_LEN } from "./bus-record";
import * as hk from "./housekeeping";
import { CODER_CCSDS121 } from "../abi/config-table";
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
  const codec = c.compression == CODER_CCSDS121 ? unitMemory(c.bands, c.pixels, c.unitPixels, c.maxPacketLen) : 0;
  return tableLen + input + c.maxPacketLen + 64 + framerBufferLen(c.frameLen) + outBufferLen(c) + 4 * (c.bands + 1) + 256 + codec;
}

function outBufferLen(c: Config): i32 {
  const zone = c.frameLen - 8;                       // a lower bound of the packet zone
  let lineBytes = c.bands * (((c.pixels * c.bitDepth + 7) >> 3) + 64) + 64;
  if (c.compression == CODER_CCSDS121) {
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
  seqCounts = heap.alloc(<usize>(4 * (cfg.bands + 1)));
  for (let b = 0; b <= cfg.bands; b++) store<u32>(seqCounts + (<usize>b << 2), cfg.initialPacketCount);
  const fs = framerConfigure(cfg.frameType, cfg.scid, cfg.frameLen, cfg.fecf, cfg.ocf, cfg.insertZoneLen, cfg.idleVcid, cfg.initialFrameCount, frames);
  if (fs != OK) return setDetail(E_FRAME_BAD_CONFIG, 8, cfg.frameLen, 0, 0);
  imageSlot = framerSlotFor(cfg.imageVcid);
  hkSlot = framerSlotFor(cfg.hkVcid);
  cadu = caduLen(cfg.frameLen, cfg.rsDepth, cfg.rsE);
  const userMax = cfg.maxPacketLen - IMAGE_SEC_HDR_LEN;
  const lineBits = cfg.pixels * cfg.bitDepth;
  if (lineBits <= userMax * 8) segPixels = cfg.pixels;
  else segPixels = ((userMax * 8) / cfg.bitDepth) & ~7;   // whole octets per segment
  if (cfg.compression == CODER_CCSDS121) {
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
  if (outLen + cadu > outCap) { hk.hkSetLastStatus(E_OUT_FULL); return; } // impossible by sizing; counted
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
  if (cfg.compression == CODER_CCSDS121) codeLine121(samples, counter, coarse, fine);
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
  const first = unitOffset(u) == 0;
  const flags: u32 = first ? (last ? SEQ_UNSEGMENTED : SEQ_FIRST) : (last ? SEQ_LAST : SEQ_CONTINUATION); // 133.0-B-2 §4.1.3.4.2.2
  const sh = packPtr + <usize>PRIMARY_HEADER_LEN;
  unitHeader(u, sh);
  copyBytes(sh + <usize>UNIT_HDR_LEN, unitOutPtr(u), <usize>len);
  packPrimaryHeader(packPtr, bandApid(cfg, band), true, flags, nextSeq(band), UNIT_HDR_LEN + len);
  putStream(imageSlot, packPtr, PRIMARY_HEADER_LEN + UNIT_HDR_LEN + len, true);
  hk.hkInc(hk.HK_PACKETS_SENT);
  unitConsumed(u, len);
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
  const sh = packPtr + <usize>PRIMARY_HEADER_LEN;
  packCuc(sh, lastCoarse, lastFine);
  hk.packHousekeeping(sh + <usize>HK_SEC_HDR_LEN);
  const dataLen = HK_SEC_HDR_LEN + hk.HK_DATA_LEN;
  packPrimaryHeader(packPtr, cfg.hkApid, true, SEQ_UNSEGMENTED, nextSeq(cfg.bands), dataLen);
  putStream(hkSlot, packPtr, PRIMARY_HEADER_LEN + dataLen, true);
}

/** End of pass: final housekeeping, then every partial frame leaves padded. */
export function endPass(): void {
  hk.hkSetState(hk.STATE_ENDED);
  if (cfg.compression == CODER_CCSDS121) {
    const cols = unitColumns();
    for (let b = 0; b < cfg.bands; b++) for (let c = 0; c < cols; c++) if (unitOpen(b * cols + c)) finishUnit(b, b * cols + c);
  }
  sendHousekeeping();
  if (!framerIsEmpty(imageSlot)) { framerPadIdle(imageSlot); closeAndEmit(imageSlot); }
  if (!framerIsEmpty(hkSlot)) { framerPadIdle(hkSlot); closeAndEmit(hkSlot); }
  // A spilled idle-packet tail may have opened one more frame on a channel.
  if (!framerIsEmpty(imageSlot)) { framerPadIdle(imageSlot); closeAndEmit(imageSlot); }
  if (!framerIsEmpty(hkSlot)) { framerPadIdle(hkSlot); closeAndEmit(hkSlot); }
}

export function frameTypeIsTm(): bool { return cfg.frameType == FRAME_TM; }
export function caduLength(): i32 { return cadu; }
export function zoneLength(): i32 { return framerZoneLen(); }
