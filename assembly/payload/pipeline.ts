// The payload pipeline: the only module that knows the order of the stages and runs the frame
// clock. Each product has its own packetizer module:
//   bus record → line checks → raw image packets (raw-lines.ts) | CCSDS 121 units (aec-units.ts)
//   | cloud screening statistics, mask and tiles (screening.ts) | CCSDS 123 segments
//   (ccsds123-segments.ts) → packets, frames and CADUs (downlink.ts) → the output buffer, which
//   flight.ts drains to the transmitter.
// Configuration is checked whole before anything is applied (configCheck: every field, every
// cross-block rule, the exact memory need), then memory is grown once and every buffer carved.
// The transmitter is modelled by a frame clock driven by the line time tags: when the link
// has spare capacity, partial frames leave padded with an idle packet and idle frames fill
// the rest; when it has none, frames leave only when full and the backlog is reported.
import { Config, parseConfig, CODER_CCSDS121, CODER_CCSDS123, modeBit } from "../abi/config-table";
import { OFF_RAM_BYTES as F_RAM, OFF_TABLE_LEN as F_TABLE_LEN } from "../abi/contract";
import { OK, E_PUS_PARAM_MEMORY, E_BAD_LENGTH, E_CFG_BAD_VALUE, E_CFG_NO_MEMORY, E_BUS_BAD_LINE, E_BUS_LINE_JUMP, E_BUS_TIME_JUMP } from "../abi/status";
import { setDetail, detailFound, detailExpected } from "../abi/control";
import { loadU32BE, loadU16BE, copyBytes } from "../util/be";
import { framerIsEmpty, framerIdleFrame, framerDataFrames, framerIdleFrames, framerIdlePackets } from "../frame/framer";
import { rsInit } from "../sync/reed-solomon";
import { randomizerInit } from "../sync/randomizer";
import { crc16Init } from "../util/crc16";
import { packCuc, CUC_LEN } from "../packet/cuc";
import { LINE_HEADER_LEN, RECORD_HEADER_LEN, RECORD_CRC_LEN } from "./bus-record";
import * as hk from "./housekeeping";
import { carve, carveLen, carveState, carveStateLen, heapTop, MAX_CARVE } from "./carve";
import { dl, downlinkMemory, downlinkConfigure, emit, flushSlot, packetDataPtr, sendHkPacket, SEQ_HK } from "./downlink";
import { rawLinesConfigure, sendRawLine } from "./raw-lines";
import { unitsCheck, unitsMemory, unitsConfigure, codeLine121, unitsEndStep, unitsAtBoundary, unitsReparam } from "./aec-units";
import { screeningCheck, screeningMemory, screeningConfigure, screenLine, screeningEndStep, tilesKept, tilesDegraded, tilesDropped, screeningAtBoundary, screeningReparam, screeningTile } from "./screening";
import { segmentsCheck, segmentsMemory, segmentsConfigure, codeLine123, segmentsEndStep, segmentsAtBoundary } from "./ccsds123-segments";
import { panMemory, panConfigure, codePanLine, panEndStep } from "./pan-segments";
import { panchromaticBlockAt, OFF_PAN_PIXELS } from "../abi/contract";

/** Housekeeping packet secondary header: CUC only. */
export const HK_SEC_HDR_LEN: i32 = CUC_LEN;
/** The boot buffer: the largest configuration record fits it (flight.ts). */
export const BOOT_BUF_LEN: i32 = 4096;
/** Octets the bump-pointer readings after carving may take (flight.ts logs and housekeeping). */
const TOP_READINGS: i64 = 64;
/**
 * The heap the image may use before its configuration (static data, the boot buffer): the RAM
 * rule is need + BOOT_HEAP ≤ the table's RAM, the same in the image and in lib.wasm's
 * configCheck, whatever either build's own heap base is (a test checks the image's is below).
 */
export const BOOT_HEAP: i64 = 65536;

/** The configuration in force (valid once configure returned OK). */
export const cfg = new Config();
/** The configuration being checked: a table is parsed here first, and copied only when all of it is valid. */
const scratch = new Config();
/** Memory need of the last table configCheck accepted (octets beyond the heap top it was given). */
let lastNeed: i64 = 0;

@unmanaged class Pipeline {
  tablePtr: usize;       // the kept copy of the configuration table
  inputPtr: usize;       // the line input buffer (two line records)
  inputCap: i32;
  started: bool;
  lastCounter: u32;
  firstCounter: u32;     // the first line of the pass: the origin of the product grid (ST[8] start)
  t0: f64;
  lastTime: f64;
  creditSkip: f64;       // frame clock credits given up in gaps of imaging
  lastCoarse: u32;
  lastFine: u32;
  heapUsedAtBoot: u32;
  tableLen: i32;
  candPtr: usize;        // ST[20]: the candidate table waiting for its unit or tile boundary
  workPtr: usize;        // ST[20]: the table being checked
  needInForce: i64;      // memory need of the table in force (a candidate must need the same buffers)
  mode: i32;             // the product mode in force (ST[8] function 3 switches it at a product boundary)
  panStarted: bool;      // the pan channel's own line checks (bus record type 6)
  lastPanCounter: u32;
  lastPanTime: f64;
}

let p: Pipeline = changetype<Pipeline>(0);

export function maxLinePayload(c: Config): i32 {
  const ms = LINE_HEADER_LEN + 2 * c.bands * c.pixels;
  const pan = c.pan ? LINE_HEADER_LEN + 2 * c.panPixels : 0;
  return pan > ms ? pan : ms;
}
export function maxRecordLen(c: Config): i32 { return RECORD_HEADER_LEN + maxLinePayload(c) + RECORD_CRC_LEN; }
function inputLen(c: Config): i32 { const n = 2 * maxRecordLen(c); return n < BOOT_BUF_LEN ? BOOT_BUF_LEN : n; }

/** Whether the configuration may run product mode m (the boot mode, or one ST[8] may switch to). */
@inline function allows(c: Config, mode: i32): bool { return (c.modes & modeBit(mode)) != 0; }

/**
 * Octets every buffer of the pass takes for a configuration whose blocks were checked: the stage
 * of every product mode the table allows is carved at boot, so a switch allocates nothing.
 */
function memoryNeeded(c: Config, tableLen: i32): i64 {
  const stage: i64 = c.screen ? screeningMemory(c)
    : (allows(c, CODER_CCSDS121) ? unitsMemory(c) : 0) + (allows(c, CODER_CCSDS123) ? segmentsMemory(c) : 0);
  return carveStateLen<Pipeline>() + 3 * carveLen(tableLen) + downlinkMemory(c) + stage + panMemory(c) + carveLen(inputLen(c)) + TOP_READINGS;
}

/**
 * Checks a configuration table whole, applying nothing: every field (parseConfig), the
 * cross-block rules of the stage it selects, and the memory it needs (with BOOT_HEAP) against
 * the table's RAM. OK (configMemoryNeeded() then gives the need) or a status with detail.
 */
export function configCheck(tableSrc: usize, tableLen: i32): i32 {
  crc16Init();
  lastNeed = 0;
  const status = parseConfig(tableSrc, tableLen, scratch);
  // A table length that disagrees with the record or the band count is an impossible value of
  // the length field (−402, field 2), like every other refused field.
  if (status == E_BAD_LENGTH) return setDetail(E_CFG_BAD_VALUE, F_TABLE_LEN, detailFound(), detailExpected(), F_TABLE_LEN);
  if (status != OK) return status;
  const codecOffset = 48 + 2 * scratch.bands;
  let s = OK;
  if (scratch.screen) s = screeningCheck(scratch);
  else {
    if (allows(scratch, CODER_CCSDS121)) s = unitsCheck(scratch, codecOffset);
    if (s == OK && allows(scratch, CODER_CCSDS123)) s = segmentsCheck(scratch);
  }
  if (s != OK) return s;
  // The pan encoder takes every value the table's ranges allow; refused all the same if not.
  if (panMemory(scratch) < 0) return setDetail(E_CFG_BAD_VALUE, panchromaticBlockAt(scratch.bands) + OFF_PAN_PIXELS, scratch.panPixels, 17, panchromaticBlockAt(scratch.bands) + OFF_PAN_PIXELS);
  const need = memoryNeeded(scratch, tableLen);
  if (need > MAX_CARVE) return setDetail(E_CFG_NO_MEMORY, F_RAM, clampI32(need), <i32>MAX_CARVE, F_RAM);
  if (BOOT_HEAP + need > <i64>scratch.ramBytes) return setDetail(E_CFG_NO_MEMORY, F_RAM, <i32>need, clampI32(<i64>scratch.ramBytes - BOOT_HEAP), F_RAM);
  lastNeed = need;
  return OK;
}

@inline function clampI32(v: i64): i32 { return v > 0x7FFFFFFF ? 0x7FFFFFFF : v < -0x7FFFFFFF ? -0x7FFFFFFF : <i32>v; }

/** Memory need (octets) of the last table configCheck accepted; 0 when it refused one. */
export function configMemoryNeeded(): i64 { return lastNeed; }

/**
 * Grows linear memory once so that `end` octets are addressable. Returns OK, or −403 with the
 * need and what the runtime gave (the module's memory maximum bounds it on every runtime).
 */
function growTo(end: i64, base: usize, need: i64): i32 {
  const have = <i64>memory.size() << 16;
  if (end <= have) return OK;
  const pages = <i32>((end - have + 0xFFFF) >> 16);
  if (memory.grow(pages) >= 0) return OK;
  // Refused: find what the runtime allows (bounded halving), to name the figure.
  let step = pages >> 1;
  for (let i = 0; i < 32 && step > 0; i++) {
    if (memory.grow(step) < 0) step >>= 1;
  }
  const avail = (<i64>memory.size() << 16) - <i64>base;
  return setDetail(E_CFG_NO_MEMORY, F_RAM, clampI32(need), clampI32(avail), F_RAM);
}

/**
 * Checks a configuration table whole (configCheck), grows memory once to hold everything the
 * pass needs, then keeps a copy of the table, applies it and carves every buffer. Nothing is
 * applied or carved unless the whole table is valid and its memory available.
 */
export function configure(tableSrc: usize, tableLen: i32): i32 {
  // Static tables are filled at boot, not at first use in the middle of a pass.
  crc16Init(); rsInit(); randomizerInit();
  const base = heapTop();
  const s = configCheck(tableSrc, tableLen);
  if (s != OK) return s;
  const need = lastNeed;
  const g = growTo(<i64>base + need, base, need);
  if (g != OK) return g;
  p = carveState<Pipeline>();
  p.tablePtr = carve(tableLen);
  copyBytes(p.tablePtr, tableSrc, <usize>tableLen);
  parseConfig(p.tablePtr, tableLen, cfg);              // accepted above: cfg points into the kept copy
  let st = downlinkConfigure(cfg);
  if (st != OK) return st;
  rawLinesConfigure(cfg);
  if (cfg.screen) st = screeningConfigure(cfg);
  else {
    if (allows(cfg, CODER_CCSDS123)) st = segmentsConfigure(cfg);
    if (st == OK && allows(cfg, CODER_CCSDS121)) st = unitsConfigure(cfg);
  }
  if (st != OK) return st;
  p.mode = cfg.compression;
  hk.hkSetProductMode(<u8>cfg.compression);
  st = panConfigure(cfg);
  if (st != OK) return st;
  p.panStarted = false;
  p.inputCap = inputLen(cfg);
  p.inputPtr = carve(p.inputCap);
  p.started = false; p.creditSkip = 0;
  p.tableLen = tableLen; p.needInForce = need;
  p.candPtr = carve(tableLen); p.workPtr = carve(tableLen);
  return OK;
}

// ---- telecommands (assembly/command/) ---------------------------------------------------

/** The table in force, the ST[20] candidate and work buffers (tableLen octets each). */
export function tablePtr(): usize { return p.tablePtr; }
export function tableLen(): i32 { return p.tableLen; }
export function candidatePtr(): usize { return p.candPtr; }
export function workPtr(): usize { return p.workPtr; }
/** The time tag of the last line accepted (reports carry it, as housekeeping does). */
export function lastCoarse(): u32 { return p.lastCoarse; }
export function lastFine(): u32 { return p.lastFine; }

/**
 * Checks a candidate table exactly as a configuration table is checked (configCheck: every
 * field, every cross-field rule, the memory need), and that it needs the very buffers carved for
 * the table in force. OK or the refusal status, detail in the control block.
 */
export function candidateCheck(ptr: usize): i32 {
  const s = configCheck(ptr, p.tableLen);
  if (s != OK) return s;
  if (lastNeed != p.needInForce) return setDetail(E_PUS_PARAM_MEMORY, F_RAM, clampI32(lastNeed), clampI32(p.needInForce), F_RAM);
  return OK;
}

/** Whether the next line starts a new unit, tile row or segment of the product in force. */
export function atProductBoundary(): bool {
  if (cfg.screen) return screeningAtBoundary();
  if (p.mode == CODER_CCSDS121) return unitsAtBoundary(cfg);
  if (p.mode == CODER_CCSDS123) return segmentsAtBoundary();
  return true;
}

/** Lines per row of the product grid: a tile row, a CCSDS 121 unit row, a CCSDS 123 segment, a raw line. */
export function productGridLines(): u32 {
  if (cfg.screen) return <u32>screeningTile();
  if (p.mode == CODER_CCSDS121 || p.mode == CODER_CCSDS123) return cfg.unitLines > 0 ? <u32>cfg.unitLines : 1;
  return 1;
}

/**
 * Whether a line of this counter starts a row of the product grid: rows of productGridLines()
 * lines counted from the first line of the pass (modulo 2^32), as the ground cuts them. Before
 * the first line every counter does.
 */
export function onProductGrid(counter: u32): bool {
  if (!p.started) return true;
  return (counter - p.firstCounter) % productGridLines() == 0;
}

/** The counter of the last line that passed the line checks (processed or dropped). */
export function lastLineCounter(): u32 { return p.lastCounter; }

/** The product mode in force (0 raw, 1 CCSDS 121, 2 CCSDS 123). */
export function productMode(): i32 { return p.mode; }

/** Whether the table in force allows product mode m (0…2, checked at acceptance): its buffers were carved at boot. */
export function productModeAllowed(mode: i32): bool { return allows(cfg, mode); }

/**
 * At a product boundary (atProductBoundary: nothing of the old mode is open), the next line is
 * coded in mode m, which productModeAllowed accepted: its stage was carved at boot and its
 * units or segment start afresh on that line.
 */
export function switchProductMode(mode: i32): void {
  p.mode = mode;
  hk.hkSetProductMode(<u8>mode);
}

/**
 * At a product boundary: the checked candidate becomes the table in force (copied over the kept
 * copy, parsed again) and the stage takes its new options for what starts from now on.
 */
export function applyCandidate(): i32 {
  copyBytes(p.tablePtr, p.candPtr, <usize>p.tableLen);
  const s = parseConfig(p.tablePtr, p.tableLen, cfg);
  if (s != OK) return s;
  if (cfg.screen) return screeningReparam(cfg);
  if (allows(cfg, CODER_CCSDS121)) return unitsReparam(cfg);   // at a boundary of every mode: no unit is open
  return OK;
}

/**
 * A line that passed checkLine while acquisition is stopped (ST[8]): dropped, but its counter and
 * time tag advance the line checks (no false jump when acquisition restarts) and the frame clock
 * keeps running, so that reports and idle frames still leave.
 */
export function dropLine(payload: usize): void {
  const counter = loadU32BE(payload);
  const coarse = loadU32BE(payload + 4);
  const fine = loadU32BE(payload + 8);
  const t = timeOf(coarse, fine);
  if (!p.started) { p.started = true; p.t0 = t; p.firstCounter = counter; }
  p.lastCounter = counter; p.lastTime = t; p.lastCoarse = coarse; p.lastFine = fine;
  hk.hkInc(hk.HK_LINES_DROPPED_STOPPED);
  hk.hkSet(hk.HK_LAST_LINE, counter);
  transmitterTick(t);
}

/** The line input buffer carved at configuration, and its length. */
export function inputPtr(): usize { return p.inputPtr; }
export function inputCap(): i32 { return p.inputCap; }

export function setHeapUsed(bytes: u32): void { p.heapUsedAtBoot = bytes; }

// ---- output ---------------------------------------------------------------------------

export function outputPtr(): usize { return dl.outPtr; }
export function outputLen(): i32 { return dl.outLen; }
export function outputDrained(): void { dl.outLen = 0; }

// ---- lines ----------------------------------------------------------------------------

/** f64 → i32 without a trap (WebAssembly 1.0 float-to-int conversions trap out of range): saturates, NaN → 0. */
function satI32(x: f64): i32 { return x != x ? 0 : x >= 2147483647.0 ? 2147483647 : x <= -2147483648.0 ? -2147483648 : <i32>x; }

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
  if (p.started) {
    const jump = counter - p.lastCounter;             // modulo 2^32
    if (jump == 0 || jump > cfg.maxLineJump) return setDetail(E_BUS_LINE_JUMP, 0, <i32>counter, <i32>(p.lastCounter + 1), 0);
    if (t < p.lastTime) return setDetail(E_BUS_TIME_JUMP, 4, satI32(t - p.lastTime), 0, 4);   // seconds backwards
  }
  return OK;
}

/** Processes an accepted line record (checkLine returned OK): the stage of the product, then the frame clock. */
export function processLine(payload: usize): void {
  const counter = loadU32BE(payload);
  const coarse = loadU32BE(payload + 4);
  const fine = loadU32BE(payload + 8);
  const t = timeOf(coarse, fine);
  if (!p.started) { p.started = true; p.t0 = t; p.firstCounter = counter; }
  else if (counter - p.lastCounter > 1) hk.hkAdd(hk.HK_LINES_MISSING, counter - p.lastCounter - 1);
  p.lastCounter = counter; p.lastTime = t; p.lastCoarse = coarse; p.lastFine = fine;
  hk.hkInc(hk.HK_LINES_ACCEPTED);
  hk.hkSet(hk.HK_LAST_LINE, counter);

  const samples = payload + <usize>LINE_HEADER_LEN;
  if (cfg.screen) screenLine(cfg, samples, counter, coarse, fine, t);
  else if (p.mode == CODER_CCSDS123) codeLine123(cfg, samples, counter, coarse, fine);
  else if (p.mode == CODER_CCSDS121) codeLine121(cfg, samples, counter, coarse, fine);
  else sendRawLine(cfg, samples, counter, coarse, fine);
  if (cfg.hkEveryLines != 0 && hk.hkGet(hk.HK_LINES_ACCEPTED) % cfg.hkEveryLines == 0) sendHousekeeping();
  transmitterTick(t);
}

// ---- pan lines (bus record type 6) -------------------------------------------------------

/** Checks a pan line record against the table's pan block and the pan channel's own counter and time. */
export function checkPanLine(payload: usize, len: i32): i32 {
  if (!cfg.pan) return setDetail(E_BUS_BAD_LINE, 12, 1, 0, 12);          // no pan channel configured
  if (len < LINE_HEADER_LEN) return setDetail(E_BUS_BAD_LINE, 0, len, LINE_HEADER_LEN, 0);
  const bands = <i32>loadU16BE(payload + 12);
  const pixels = <i32>loadU16BE(payload + 14);
  const depth = <i32>load<u8>(payload + 16);
  if (bands != 1) return setDetail(E_BUS_BAD_LINE, 12, bands, 1, 12);
  if (pixels != cfg.panPixels) return setDetail(E_BUS_BAD_LINE, 14, pixels, cfg.panPixels, 14);
  if (depth != cfg.panBitDepth) return setDetail(E_BUS_BAD_LINE, 16, depth, cfg.panBitDepth, 16);
  if (len != LINE_HEADER_LEN + 2 * pixels) return setDetail(E_BUS_BAD_LINE, 0, len, LINE_HEADER_LEN + 2 * pixels, 0);
  const counter = loadU32BE(payload);
  const t = timeOf(loadU32BE(payload + 4), loadU32BE(payload + 8));
  if (p.panStarted) {
    const jump = counter - p.lastPanCounter;
    if (jump == 0 || jump > cfg.maxLineJump * <u32>cfg.panRatio) return setDetail(E_BUS_LINE_JUMP, 0, <i32>counter, <i32>(p.lastPanCounter + 1), 0);
    if (t < p.lastPanTime) return setDetail(E_BUS_TIME_JUMP, 4, satI32(t - p.lastPanTime), 0, 4);
  }
  return OK;
}

/** Processes an accepted pan line: coded (lines missing before it filled), then the frame clock. */
export function processPanLine(payload: usize): void {
  const counter = loadU32BE(payload);
  const coarse = loadU32BE(payload + 4);
  const fine = loadU32BE(payload + 8);
  const t = timeOf(coarse, fine);
  if (!p.started) { p.started = true; p.t0 = t; }
  let missing: u32 = 0;
  if (p.panStarted && counter - p.lastPanCounter > 1) { missing = counter - p.lastPanCounter - 1; hk.hkAdd(hk.HK_LINES_MISSING, missing); }
  p.panStarted = true; p.lastPanCounter = counter; p.lastPanTime = t;
  codePanLine(cfg, payload + <usize>LINE_HEADER_LEN, missing, coarse, fine);
  if (t > p.lastTime) { p.lastTime = t; p.lastCoarse = coarse; p.lastFine = fine; }
  transmitterTick(t);
}

/** A pan line while acquisition is stopped (ST[8]): dropped and counted; its counter and time advance the checks. */
export function dropPanLine(payload: usize): void {
  const counter = loadU32BE(payload);
  const t = timeOf(loadU32BE(payload + 4), loadU32BE(payload + 8));
  if (!p.started) { p.started = true; p.t0 = t; }
  p.panStarted = true; p.lastPanCounter = counter; p.lastPanTime = t;
  hk.hkInc(hk.HK_LINES_DROPPED_STOPPED);
  transmitterTick(t);
}

/** The frame clock: what the transmitter could have sent by time t, at the configured rate. */
function transmitterTick(t: f64): void {
  const credits = Math.floor((t - p.t0) * <f64>cfg.bitRate / <f64>(dl.caduLen * 8)) + 1.0 - p.creditSkip;
  let spare = credits - <f64>dl.caduCount;
  if (spare <= 0) {
    hk.hkSet(hk.HK_BACKLOG_FRAMES, <u32>satI32(-spare));
    return;
  }
  hk.hkSet(hk.HK_BACKLOG_FRAMES, 0);
  // Spare capacity: partial frames leave now (padded), then idle frames.
  flushSlot(dl.imageSlot);
  flushSlot(dl.hkSlot);
  spare = credits - <f64>dl.caduCount;
  let idle: i32 = 0;
  const cap = <i32>cfg.maxIdlePerLine;
  while (spare >= 1 && idle < cap) { emit(framerIdleFrame()); spare -= 1; idle++; }
  if (spare >= 1) p.creditSkip += Math.floor(spare);   // a gap in imaging: the link's idle time is not owed later
}

export function sendHousekeeping(): void {
  hk.hkInc(hk.HK_SEQUENCE);
  refreshHousekeeping();
  const sh = packetDataPtr();
  packCuc(sh, p.lastCoarse, p.lastFine);
  hk.packHousekeeping(sh + <usize>HK_SEC_HDR_LEN);
  sendHkPacket(cfg.hkApid, cfg.bands + SEQ_HK, HK_SEC_HDR_LEN + hk.HK_DATA_LEN);
}

/** Brings the housekeeping counters kept elsewhere (framer, downlink, memory, tiles) up to date. */
export function refreshHousekeeping(): void {
  hk.hkSet(hk.HK_DATA_FRAMES, framerDataFrames());
  hk.hkSet(hk.HK_IDLE_FRAMES, framerIdleFrames());
  hk.hkSet(hk.HK_IDLE_PACKETS, framerIdlePackets());
  hk.hkSet(hk.HK_CADUS, <u32>dl.caduCount);
  hk.hkSet(hk.HK_MEMORY_BYTES, <u32>memory.size() << 16);
  hk.hkSet(hk.HK_HEAP_USED, p.heapUsedAtBoot);
  hk.hkSet(hk.HK_TILES_KEPT, tilesKept);
  hk.hkSet(hk.HK_TILES_DEGRADED, tilesDegraded);
  hk.hkSet(hk.HK_TILES_DROPPED, tilesDropped);
}

/**
 * End of pass, one bounded step at a time so that the caller can drain the output between
 * steps: the screener's delay line, the open CCSDS 121 units, a short last CCSDS 123 segment
 * padded line by line, then the final housekeeping and every partial frame. Returns true while
 * steps remain.
 */
export function endPassStep(): bool {
  if (cfg.screen) { if (screeningEndStep(cfg)) return true; }
  else if (p.mode == CODER_CCSDS121) { if (unitsEndStep(cfg)) return true; }
  else if (p.mode == CODER_CCSDS123) { if (segmentsEndStep(cfg)) return true; }
  if (panEndStep(cfg)) return true;
  endPass();
  return false;
}

/** End of pass: final housekeeping, then every partial frame leaves padded. */
function endPass(): void {
  hk.hkSetState(hk.STATE_ENDED);
  sendHousekeeping();
  flushSlot(dl.imageSlot);
  flushSlot(dl.hkSlot);
  // A spilled idle-packet tail may have opened one more frame on a channel.
  flushSlot(dl.imageSlot);
  flushSlot(dl.hkSlot);
}
