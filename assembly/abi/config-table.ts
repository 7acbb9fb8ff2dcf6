// The boot configuration table (binary, big-endian, versioned, CRC-protected), compiled by the
// host from the hardware profile (host/obc/config-table.ts). Flight software never parses JSON.
// The layout, every field's allowed values and the version are defined once, in
// host/contract/contract.json, and generated into ./contract.ts (offsets, checkConfigFields) and
// the README. This file adds the rules that span fields, then applies the table.
import { loadU16BE, loadU32BE } from "../util/be";
import { crc16 } from "../util/crc16";
import { setDetail } from "./control";
import { OK, E_CFG_BAD_CRC, E_CFG_BAD_VERSION, E_CFG_BAD_VALUE, E_BAD_LENGTH } from "./status";
import {
  CONFIG_VERSION, FIXED_LEN, CODEC_LEN, SCREENING_LEN, CCSDS123_LEN, CALIBRATION_STRIDE, APIDS_STRIDE, configTableLen, checkConfigFields,
  codecBlockAt, screeningBlockAt, ccsds123BlockAt, apidsBlockAt, commandingBlockAt, COMMANDING_LEN, OFF_TC_APID, OFF_REPORT_APID, OFF_TC_VCID, OFF_MODES,
  OFF_VERSION, OFF_TABLE_LEN, OFF_SCID, OFF_FRAME_TYPE, OFF_LINK_FLAGS, OFF_FRAME_LENGTH, OFF_RS_E, OFF_RS_DEPTH, OFF_IMAGE_VCID, OFF_HK_VCID,
  OFF_IDLE_VCID, OFF_BANDS, OFF_PIXELS, OFF_BIT_DEPTH, OFF_COMPRESSION, OFF_HK_APID, OFF_HK_EVERY_LINES, OFF_MAX_PACKET_DATA_LEN, OFF_RAM_BYTES,
  OFF_DOWNLINK_BIT_RATE, OFF_INITIAL_FRAME_COUNT, OFF_INITIAL_PACKET_COUNT, OFF_INSERT_ZONE_LEN, OFF_MAX_LINE_JUMP, OFF_MAX_IDLE_PER_LINE,
  OFF_CODER, OFF_AEC_BLOCK_SIZE, OFF_AEC_FLAGS, OFF_AEC_RSI, OFF_UNIT_LINES, OFF_UNIT_PIXELS,
  OFF_SCREEN_ENABLED, OFF_DEGRADE_SHIFT, OFF_STATS_APID, OFF_MASK_APID, OFF_TAI_UTC, OFF_THUMBNAIL_FACTOR, OFF_START_LAT, OFF_START_LON,
  OFF_HEADING, OFF_GROUND_SPEED, OFF_SCR_BANDS, OFF_SCR_WIDTH, OFF_SCR_SAT_DN,
  OFF_HYP_NX, OFF_HYP_NY, OFF_HYP_NZ, OFF_HYP_D,
  panchromaticBlockAt, PANCHROMATIC_LEN, OFF_PAN_ENABLED, OFF_PAN_BIT_DEPTH, OFF_PAN_RATIO, OFF_PAN_COMPRESSION, OFF_PAN_PIXELS, OFF_PAN_APID,
  OFF_PAN_SEGMENT_BLOCKS, OFF_PAN_SEGMENT_BYTES,
} from "./contract";

export { CONFIG_VERSION };
export const HYPER_PARAMS: i32 = CCSDS123_LEN / 4;
export const HYPER_BLOCK_LEN: i32 = CCSDS123_LEN;
export const SCREEN_FIXED_LEN: i32 = SCREENING_LEN;
export const SCREEN_PARAMS: i32 = 24;  // P_COUNT of assembly/screen/screener.ts
export const CODEC_BLOCK_LEN: i32 = CODEC_LEN;
export const CONFIG_FIXED_LEN: i32 = FIXED_LEN;
export const CODER_RAW: i32 = 0;
export const CODER_CCSDS121: i32 = 1;
export const CODER_CCSDS123: i32 = 2;
/** Bit of product mode m in the commanding block's `modes` (1 << m). */
@inline export function modeBit(mode: i32): i32 { return 1 << mode; }
export const MODES_ALL: i32 = 7;
/** Pan compression (table field panCompression): CCSDS 122 lossless, or at a byte budget per segment. */
export const PAN_LOSSLESS: i32 = 0;
export const PAN_BUDGET: i32 = 1;
/** Smallest SegByteLimit of a budget (122.0-B-2 §4.2.3.2.2; the encoder's own floor). */
export const PAN_MIN_SEG_BYTES: i32 = 20;
export const MAX_BANDS: i32 = 255;
/** The largest legal table (255 bands), CRC included. */
export const MAX_CONFIG_TABLE_LEN: i32 = FIXED_LEN + APIDS_STRIDE * MAX_BANDS + CODEC_LEN + SCREENING_LEN + CALIBRATION_STRIDE * MAX_BANDS + CCSDS123_LEN + COMMANDING_LEN + PANCHROMATIC_LEN + 2;
export const F_CRC: i32 = -1;

export const FLAG_FECF: u32 = 1;
export const FLAG_OCF: u32 = 2;
export const FLAG_RANDOMIZER: u32 = 4;

export class Config {
  scid: u32 = 0;
  frameType: i32 = 0;
  fecf: bool = false;
  ocf: bool = false;
  randomizer: bool = false;
  frameLen: i32 = 0;
  rsE: i32 = 0;
  rsDepth: i32 = 1;
  imageVcid: u32 = 0;
  hkVcid: u32 = 0;
  idleVcid: u32 = 0;
  bands: i32 = 0;
  pixels: i32 = 0;
  bitDepth: i32 = 0;
  compression: i32 = 0;
  hkApid: u32 = 0;
  hkEveryLines: u32 = 0;
  maxPacketLen: i32 = 0;
  ramBytes: u32 = 0;
  bitRate: u32 = 0;
  initialFrameCount: u32 = 0;
  initialPacketCount: u32 = 0;
  insertZoneLen: i32 = 0;
  maxLineJump: u32 = 0;
  maxIdlePerLine: u32 = 0;
  apidsPtr: usize = 0;          // points into the table copy (u16 BE per band)
  aecJ: i32 = 0;
  aecFlags: i32 = 0;
  aecRsi: i32 = 0;
  unitLines: i32 = 0;
  unitPixels: i32 = 0;
  screen: bool = false;
  degradeShift: i32 = 0;
  statsApid: u32 = 0;
  maskApid: u32 = 0;
  taiUtc: i32 = 37;
  thumbFactor: i32 = 8;
  lat0Deg: f64 = 0;
  lon0Deg: f64 = 0;
  headingDeg: f64 = 0;
  groundSpeedMps: f64 = 0;
  screenBlockPtr: usize = 0;    // the screening block in the table copy
  hyperBlockPtr: usize = 0;     // the CCSDS 123 parameter words (big-endian) in the table copy
  tcApid: u32 = 192;            // commanding: the payload's telecommand APID
  reportApid: u32 = 1920;       // commanding: the APID of the PUS-C reports (housekeeping VC)
  tcVcid: u32 = 1;              // commanding: the virtual channel of the payload's TC frames
  modes: i32 = 0;               // commanding: product modes ST[8] may switch to (bit 1 << mode); holds the boot mode
  pan: bool = false;            // a panchromatic channel at its own geometry (bus record type 6)
  panBitDepth: i32 = 0;
  panRatio: i32 = 0;            // k: pan lines per MS line, pan pixels per MS pixel
  panCompression: i32 = 0;      // PAN_LOSSLESS or PAN_BUDGET
  panPixels: i32 = 0;
  panApid: u32 = 0;
  panS: i32 = 0;                // CCSDS 122 blocks per segment
  panSegBytes: i32 = 0;         // CCSDS 122 SegByteLimit (0: lossless, no limit)
}

function bad(field: i32, found: i32, expected: i32): i32 {
  return setDetail(E_CFG_BAD_VALUE, field, found, expected, field);
}

/**
 * Validates the whole table before applying any of it (never half-applied): length, version, CRC,
 * every field's range (contract.ts), then the rules that span fields. Returns OK or a status with
 * the field's offset, the value found and a limit in the control block.
 */
export function parseConfig(ptr: usize, len: i32, cfg: Config): i32 {
  if (len < FIXED_LEN + 2) return setDetail(E_BAD_LENGTH, OFF_TABLE_LEN, len, FIXED_LEN + 2, 0);
  const version = loadU16BE(ptr + <usize>OFF_VERSION);
  if (version != CONFIG_VERSION) return setDetail(E_CFG_BAD_VERSION, OFF_VERSION, <i32>version, <i32>CONFIG_VERSION, 0);
  const tableLen = <i32>loadU16BE(ptr + <usize>OFF_TABLE_LEN);
  if (tableLen != len) return setDetail(E_BAD_LENGTH, OFF_TABLE_LEN, tableLen, len, OFF_TABLE_LEN);
  const crcAt = len - 2;
  const want = loadU16BE(ptr + <usize>crcAt);
  const got = crc16(ptr, <usize>crcAt, 0xFFFF);
  if (want != got) return setDetail(E_CFG_BAD_CRC, F_CRC, <i32>got, <i32>want, crcAt);
  const bands = <i32>load<u8>(ptr + <usize>OFF_BANDS);
  if (bands < 1) return bad(OFF_BANDS, bands, 1);
  const expectLen = configTableLen(bands);
  if (len != expectLen) return setDetail(E_BAD_LENGTH, OFF_TABLE_LEN, len, expectLen, OFF_TABLE_LEN);
  const ranges = checkConfigFields(ptr, bands);
  if (ranges != OK) return ranges;

  const frameType = <i32>load<u8>(ptr + <usize>OFF_FRAME_TYPE);
  const flags = <u32>load<u8>(ptr + <usize>OFF_LINK_FLAGS);
  const scid = loadU16BE(ptr + <usize>OFF_SCID);
  const frameLen = <i32>loadU16BE(ptr + <usize>OFF_FRAME_LENGTH);
  const rsE = <i32>load<u8>(ptr + <usize>OFF_RS_E);
  const rsDepth = <i32>load<u8>(ptr + <usize>OFF_RS_DEPTH);
  const imageVcid = <u32>load<u8>(ptr + <usize>OFF_IMAGE_VCID);
  const hkVcid = <u32>load<u8>(ptr + <usize>OFF_HK_VCID);
  const idleVcid = <u32>load<u8>(ptr + <usize>OFF_IDLE_VCID);
  const pixels = <i32>loadU16BE(ptr + <usize>OFF_PIXELS);
  const bitDepth = <i32>load<u8>(ptr + <usize>OFF_BIT_DEPTH);
  const compression = <i32>load<u8>(ptr + <usize>OFF_COMPRESSION);
  const hkApid = loadU16BE(ptr + <usize>OFF_HK_APID);
  const maxPacketLen = <i32>loadU32BE(ptr + <usize>OFF_MAX_PACKET_DATA_LEN);
  const insertZoneLen = <i32>loadU16BE(ptr + <usize>OFF_INSERT_ZONE_LEN);

  // Link: field widths per frame type, Reed-Solomon lengths, virtual channels.
  const maxVcid: u32 = frameType == 0 ? 7 : 63;
  if (frameType == 1 && scid > 0xFF) return bad(OFF_SCID, <i32>scid, 0xFF);                       // 732.0-B-4 §4.1.2.3
  if (frameType == 0 && frameLen > 2048) return bad(OFF_FRAME_LENGTH, frameLen, 2048);             // 132.0-B-3 §4.1.4
  if (rsE != 0 && (frameLen % rsDepth != 0 || frameLen / rsDepth > 255 - 2 * rsE)) return bad(OFF_FRAME_LENGTH, frameLen, rsDepth * (255 - 2 * rsE)); // 131.0-B-5 §4.3
  if (imageVcid > maxVcid) return bad(OFF_IMAGE_VCID, <i32>imageVcid, <i32>maxVcid);
  if (hkVcid > maxVcid) return bad(OFF_HK_VCID, <i32>hkVcid, <i32>maxVcid);
  if (idleVcid > maxVcid || (frameType == 1 && idleVcid != 63)) return bad(OFF_IDLE_VCID, <i32>idleVcid, <i32>maxVcid);
  if (idleVcid == imageVcid || idleVcid == hkVcid) return bad(OFF_IDLE_VCID, <i32>idleVcid, -1);
  if (frameType == 0 && insertZoneLen != 0) return bad(OFF_INSERT_ZONE_LEN, insertZoneLen, 0);
  // The frame must hold its headers, trailers and at least one octet of data.
  const overhead = 6 + insertZoneLen + ((flags & FLAG_OCF) != 0 ? 4 : 0) + ((flags & FLAG_FECF) != 0 ? 2 : 0) + (frameType == 1 ? 2 : 0);
  if (frameLen <= overhead) return bad(OFF_FRAME_LENGTH, frameLen, overhead + 1);
  const ab = ptr + <usize>apidsBlockAt(bands);
  for (let b = 0; b < bands; b++) {
    const apid = loadU16BE(ab + <usize>(APIDS_STRIDE * b));
    if (apid == hkApid) return bad(apidsBlockAt(bands) + APIDS_STRIDE * b, <i32>apid, -1);
    for (let c = 0; c < b; c++) {
      if (loadU16BE(ab + <usize>(APIDS_STRIDE * c)) == apid) return bad(apidsBlockAt(bands) + APIDS_STRIDE * b, <i32>apid, -1);
    }
  }
  // Codec block.
  const fc = codecBlockAt(bands);
  const cb = ptr + <usize>fc;
  const coder = <i32>load<u8>(cb + <usize>OFF_CODER);
  const aecJ = <i32>load<u8>(cb + <usize>OFF_AEC_BLOCK_SIZE);
  const aecFlags = <i32>load<u8>(cb + <usize>OFF_AEC_FLAGS);
  const aecRsi = <i32>loadU16BE(cb + <usize>OFF_AEC_RSI);
  const unitLines = <i32>loadU16BE(cb + <usize>OFF_UNIT_LINES);
  const unitPixels = <i32>loadU16BE(cb + <usize>OFF_UNIT_PIXELS);
  if (compression != coder) return bad(OFF_COMPRESSION, compression, coder);
  // Product modes (version 7): the boot mode is one of them; every rule of a mode holds for each
  // mode the table allows, since ST[8] may switch to it in flight. Screening runs its own product
  // (tiles of CCSDS 121 units) and switches to none.
  const fm = commandingBlockAt(bands);
  const modesField = <i32>load<u8>(ptr + <usize>(fm + OFF_MODES));
  const modes = modesField == 0 ? modeBit(coder) : modesField;                                   // 0: the boot mode only (as before version 7)
  if ((modes & modeBit(coder)) == 0) return bad(fm + OFF_MODES, modes, modes | modeBit(coder));
  if (<i32>load<u8>(ptr + <usize>(screeningBlockAt(bands) + OFF_SCREEN_ENABLED)) == 1 && modes != modeBit(coder)) return bad(fm + OFF_MODES, modes, modeBit(coder));
  if ((modes & modeBit(CODER_CCSDS121)) != 0) {
    if ((aecFlags & 16) != 0 && bitDepth > 4) return bad(fc + OFF_AEC_FLAGS, aecFlags, 8);          // 121.0-B-3 §5.1.2
    if (unitPixels > pixels || (unitPixels != 0 && unitPixels < aecJ)) return bad(fc + OFF_UNIT_PIXELS, unitPixels, pixels);
    if (maxPacketLen < 128) return bad(OFF_MAX_PACKET_DATA_LEN, maxPacketLen, 128);
  }
  // Screening block: the screener's words must describe this table's line.
  const fs = screeningBlockAt(bands);
  const sb = ptr + <usize>fs;
  const screen = <i32>load<u8>(sb + <usize>OFF_SCREEN_ENABLED);
  const shift = <i32>load<u8>(sb + <usize>OFF_DEGRADE_SHIFT);
  const statsApid = loadU16BE(sb + <usize>OFF_STATS_APID);
  const maskApid = loadU16BE(sb + <usize>OFF_MASK_APID);
  const thumb = <i32>load<u8>(sb + <usize>OFF_THUMBNAIL_FACTOR);
  if (screen == 1) {
    if (bands < 3) return bad(OFF_BANDS, bands, 3);
    if (coder == CODER_CCSDS123) return bad(fs + OFF_SCREEN_ENABLED, screen, 0);                    // screening tiles are coded with CCSDS 121
    if (shift >= bitDepth) return bad(fs + OFF_DEGRADE_SHIFT, shift, bitDepth - 1);
    if (statsApid == hkApid) return bad(fs + OFF_STATS_APID, <i32>statsApid, -1);
    if (maskApid == hkApid || maskApid == statsApid) return bad(fs + OFF_MASK_APID, <i32>maskApid, -1);
    for (let b = 0; b < bands; b++) {
      const a = loadU16BE(ab + <usize>(APIDS_STRIDE * b));
      if (a == statsApid || a == maskApid) return bad(apidsBlockAt(bands) + APIDS_STRIDE * b, <i32>a, -1);
    }
    const nb = <i32>loadU32BE(sb + <usize>OFF_SCR_BANDS), w = <i32>loadU32BE(sb + <usize>OFF_SCR_WIDTH);
    if (nb != bands) return bad(fs + OFF_SCR_BANDS, nb, bands);
    if (w != pixels) return bad(fs + OFF_SCR_WIDTH, w, pixels);
    const sat = <i32>loadU32BE(sb + <usize>OFF_SCR_SAT_DN);
    if (sat > (1 << bitDepth) - 1) return bad(fs + OFF_SCR_SAT_DN, sat, (1 << bitDepth) - 1);
  }
  // CCSDS 123 block: the compressor checks its own parameters at boot; the geometry must be the line's.
  const fh = ccsds123BlockAt(bands);
  const hb = ptr + <usize>fh;
  if ((modes & modeBit(CODER_CCSDS123)) != 0) {
    if (<i32>loadU32BE(hb + <usize>OFF_HYP_NX) != pixels) return bad(fh + OFF_HYP_NX, <i32>loadU32BE(hb + <usize>OFF_HYP_NX), pixels);
    if (<i32>loadU32BE(hb + <usize>OFF_HYP_NY) != unitLines) return bad(fh + OFF_HYP_NY, <i32>loadU32BE(hb + <usize>OFF_HYP_NY), unitLines);
    if (<i32>loadU32BE(hb + <usize>OFF_HYP_NZ) != bands) return bad(fh + OFF_HYP_NZ, <i32>loadU32BE(hb + <usize>OFF_HYP_NZ), bands);
    if (<i32>loadU32BE(hb + <usize>OFF_HYP_D) != bitDepth) return bad(fh + OFF_HYP_D, <i32>loadU32BE(hb + <usize>OFF_HYP_D), bitDepth);
  }
  // Commanding block: the reports share the downlink with the products, on their own APID.
  const reportApid = loadU16BE(ptr + <usize>(fm + OFF_REPORT_APID));
  if (reportApid == hkApid || (screen == 1 && (reportApid == statsApid || reportApid == maskApid))) return bad(fm + OFF_REPORT_APID, <i32>reportApid, -1);
  for (let b = 0; b < bands; b++) {
    if (loadU16BE(ab + <usize>(APIDS_STRIDE * b)) == reportApid) return bad(fm + OFF_REPORT_APID, <i32>reportApid, -1);
  }
  // Panchromatic block: its geometry is the MS line's times k; its APID is its own.
  const fp = panchromaticBlockAt(bands);
  const pb = ptr + <usize>fp;
  const pan = <i32>load<u8>(pb + <usize>OFF_PAN_ENABLED);
  const panRatio = <i32>load<u8>(pb + <usize>OFF_PAN_RATIO);
  const panPixels = <i32>loadU16BE(pb + <usize>OFF_PAN_PIXELS);
  const panCompression = <i32>load<u8>(pb + <usize>OFF_PAN_COMPRESSION);
  const panApid = loadU16BE(pb + <usize>OFF_PAN_APID);
  const panSegBytes = <i32>loadU32BE(pb + <usize>OFF_PAN_SEGMENT_BYTES);
  if (pan == 1) {
    if (panPixels != panRatio * pixels) return bad(fp + OFF_PAN_PIXELS, panPixels, panRatio * pixels);
    if (panCompression == PAN_LOSSLESS && panSegBytes != 0) return bad(fp + OFF_PAN_SEGMENT_BYTES, panSegBytes, 0);
    if (panCompression == PAN_BUDGET && panSegBytes < PAN_MIN_SEG_BYTES) return bad(fp + OFF_PAN_SEGMENT_BYTES, panSegBytes, PAN_MIN_SEG_BYTES);
    if (panApid == hkApid || panApid == reportApid || (screen == 1 && (panApid == statsApid || panApid == maskApid))) return bad(fp + OFF_PAN_APID, <i32>panApid, -1);
    for (let b = 0; b < bands; b++) {
      if (loadU16BE(ab + <usize>(APIDS_STRIDE * b)) == panApid) return bad(fp + OFF_PAN_APID, <i32>panApid, -1);
    }
  }
  // All valid: apply.
  cfg.scid = scid; cfg.frameType = frameType;
  cfg.fecf = (flags & FLAG_FECF) != 0; cfg.ocf = (flags & FLAG_OCF) != 0; cfg.randomizer = (flags & FLAG_RANDOMIZER) != 0;
  cfg.frameLen = frameLen; cfg.rsE = rsE; cfg.rsDepth = rsDepth;
  cfg.imageVcid = imageVcid; cfg.hkVcid = hkVcid; cfg.idleVcid = idleVcid;
  cfg.bands = bands; cfg.pixels = pixels; cfg.bitDepth = bitDepth; cfg.compression = compression;
  cfg.hkApid = hkApid; cfg.hkEveryLines = loadU16BE(ptr + <usize>OFF_HK_EVERY_LINES);
  cfg.maxPacketLen = maxPacketLen; cfg.ramBytes = loadU32BE(ptr + <usize>OFF_RAM_BYTES); cfg.bitRate = loadU32BE(ptr + <usize>OFF_DOWNLINK_BIT_RATE);
  cfg.initialFrameCount = loadU32BE(ptr + <usize>OFF_INITIAL_FRAME_COUNT); cfg.initialPacketCount = loadU16BE(ptr + <usize>OFF_INITIAL_PACKET_COUNT);
  cfg.insertZoneLen = insertZoneLen;
  cfg.maxLineJump = loadU16BE(ptr + <usize>OFF_MAX_LINE_JUMP); cfg.maxIdlePerLine = loadU16BE(ptr + <usize>OFF_MAX_IDLE_PER_LINE);
  cfg.apidsPtr = ab;
  cfg.aecJ = aecJ; cfg.aecFlags = aecFlags; cfg.aecRsi = aecRsi; cfg.unitLines = unitLines; cfg.unitPixels = unitPixels;
  cfg.screen = screen == 1; cfg.degradeShift = shift; cfg.statsApid = statsApid; cfg.maskApid = maskApid;
  cfg.taiUtc = <i32>load<u8>(sb + <usize>OFF_TAI_UTC); cfg.thumbFactor = thumb;
  cfg.lat0Deg = <f64><i32>loadU32BE(sb + <usize>OFF_START_LAT) * 1e-6;
  cfg.lon0Deg = <f64><i32>loadU32BE(sb + <usize>OFF_START_LON) * 1e-6;
  cfg.headingDeg = <f64><i32>loadU32BE(sb + <usize>OFF_HEADING) * 1e-6;
  cfg.groundSpeedMps = <f64>loadU32BE(sb + <usize>OFF_GROUND_SPEED) * 1e-3;
  cfg.screenBlockPtr = sb;
  cfg.hyperBlockPtr = hb;
  cfg.tcApid = loadU16BE(ptr + <usize>(fm + OFF_TC_APID)); cfg.reportApid = reportApid;
  cfg.tcVcid = <u32>load<u8>(ptr + <usize>(fm + OFF_TC_VCID));
  cfg.modes = modes;
  cfg.pan = pan == 1; cfg.panBitDepth = <i32>load<u8>(pb + <usize>OFF_PAN_BIT_DEPTH); cfg.panRatio = panRatio;
  cfg.panCompression = panCompression; cfg.panPixels = panPixels; cfg.panApid = panApid;
  cfg.panS = <i32>loadU16BE(pb + <usize>OFF_PAN_SEGMENT_BLOCKS); cfg.panSegBytes = panSegBytes;
  return OK;
}

@inline export function bandApid(cfg: Config, band: i32): u32 { return loadU16BE(cfg.apidsPtr + <usize>(2 * band)); }
