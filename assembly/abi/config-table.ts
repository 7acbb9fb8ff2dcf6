// The boot configuration table (binary, big-endian, versioned, CRC-protected), compiled by the
// host from the hardware profile (host/obc/config-table.ts). Flight software never parses JSON.
// Layout, version 1 (offsets in octets):
//   0 u16 version            2 u16 tableLen (octets, CRC included)
//   4 u16 SCID               6 u8 frame type (0 TM, 1 AOS)   7 u8 flags (b0 FECF, b1 OCF, b2 randomizer)
//   8 u16 frame length      10 u8 RS E (0, 8, 16)           11 u8 RS depth I
//  12 u8 image VCID         13 u8 HK VCID                   14 u8 idle VCID   15 u8 bands
//  16 u16 pixels per line   18 u8 bit depth                 19 u8 compression (0 raw)
//  20 u16 HK APID           22 u16 HK every N lines (0: only at boot and end)
//  24 u32 max packet data field length
//  28 u32 RAM bytes (the OBC's; the image refuses a configuration that needs more)
//  32 u32 downlink bit rate [bit/s]
//  36 u32 initial frame count (preset of every frame counter)
//  40 u16 initial packet sequence count   42 u16 AOS insert zone length
//  44 u16 max line counter jump accepted  46 u16 max idle frames per line record
//  48 u16 APID of band 0 … band (bands−1)
//  then the codec block (CODEC_BLOCK_LEN octets), at c = 48 + 2·bands:
//   c+0 u8 coder (0 raw, 1 CCSDS 121)   c+1 u8 J (block size)   c+2 u8 flags (libaec's: 8 preprocess, 16 restricted)
//   c+3 u8 reserved   c+4 u16 RSI (blocks)   c+6 u16 unit lines   c+8 u16 unit pixels (0: whole line)   c+10 u16 reserved
//  then the screening block (SCREEN_FIXED_LEN + 12·bands octets), at s = c + 12:
//   s+0 u8 enabled   s+1 u8 degrade shift k (0..7)   s+2 u16 tile statistics APID   s+4 u16 mask APID
//   s+6 u8 TAI−UTC seconds   s+7 u8 thumbnail factor (2..64)
//   s+8 i32 pass start latitude (µdeg)   s+12 i32 start longitude (µdeg)   s+16 i32 heading (µdeg)
//   s+20 u32 ground speed (mm/s)   s+24 18 × i32 screener parameters (assembly/screen/screener.ts P_*)
//   s+96 per band: f32 gain, f32 offset (radiance = gain·DN + offset), f32 ESUN at 1 AU
//  then the CCSDS 123 block (HYPER_BLOCK_LEN octets): the compressor's parameter words
//   (assembly/compress/hyper123/params.ts PRM_*, i32 each; table pointers must be 0), used when
//   the coder is 2; Ny is the segment length (the codec block's unit lines)
//  end−2 u16 CRC-16/CCITT-FALSE over all preceding octets
import { loadU16BE, loadU32BE } from "../util/be";
import { crc16 } from "../util/crc16";
import { setDetail } from "./control";
import { OK, E_CFG_BAD_CRC, E_CFG_BAD_VERSION, E_CFG_BAD_VALUE, E_BAD_LENGTH } from "./status";

export const CONFIG_VERSION: u32 = 4;
export const HYPER_PARAMS: i32 = 45;
export const HYPER_BLOCK_LEN: i32 = HYPER_PARAMS * 4;
export const CODER_CCSDS123: i32 = 2;
export const SCREEN_FIXED_LEN: i32 = 96;
export const SCREEN_PARAMS: i32 = 18;
export const CODEC_BLOCK_LEN: i32 = 12;
export const CODER_RAW: i32 = 0;
export const CODER_CCSDS121: i32 = 1;
export const CONFIG_FIXED_LEN: i32 = 48;
export const MAX_BANDS: i32 = 255;

// Field identifiers reported in the control block (the offset of the field in the table).
export const F_VERSION: i32 = 0;
export const F_TABLE_LEN: i32 = 2;
export const F_SCID: i32 = 4;
export const F_FRAME_TYPE: i32 = 6;
export const F_FLAGS: i32 = 7;
export const F_FRAME_LEN: i32 = 8;
export const F_RS_E: i32 = 10;
export const F_RS_DEPTH: i32 = 11;
export const F_IMAGE_VCID: i32 = 12;
export const F_HK_VCID: i32 = 13;
export const F_IDLE_VCID: i32 = 14;
export const F_BANDS: i32 = 15;
export const F_PIXELS: i32 = 16;
export const F_BIT_DEPTH: i32 = 18;
export const F_COMPRESSION: i32 = 19;
export const F_HK_APID: i32 = 20;
export const F_MAX_PACKET: i32 = 24;
export const F_RAM: i32 = 28;
export const F_RATE: i32 = 32;
export const F_APIDS: i32 = 48;
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
}

function bad(field: i32, found: i32, expected: i32): i32 {
  return setDetail(E_CFG_BAD_VALUE, field, found, expected, field);
}

/** Validates every field before applying any (never half-applied). Returns OK or a status. */
export function parseConfig(ptr: usize, len: i32, cfg: Config): i32 {
  if (len < CONFIG_FIXED_LEN + 2) return setDetail(E_BAD_LENGTH, F_TABLE_LEN, len, CONFIG_FIXED_LEN + 2, 0);
  const version = loadU16BE(ptr);
  if (version != CONFIG_VERSION) return setDetail(E_CFG_BAD_VERSION, F_VERSION, <i32>version, <i32>CONFIG_VERSION, 0);
  const tableLen = <i32>loadU16BE(ptr + 2);
  if (tableLen != len) return setDetail(E_BAD_LENGTH, F_TABLE_LEN, tableLen, len, 2);
  const crcAt = len - 2;
  const want = loadU16BE(ptr + <usize>crcAt);
  const got = crc16(ptr, <usize>crcAt, 0xFFFF);
  if (want != got) return setDetail(E_CFG_BAD_CRC, F_CRC, <i32>got, <i32>want, crcAt);

  const frameType = <i32>load<u8>(ptr + 6);
  const flags = <u32>load<u8>(ptr + 7);
  const scid = loadU16BE(ptr + 4);
  const frameLen = <i32>loadU16BE(ptr + 8);
  const rsE = <i32>load<u8>(ptr + 10);
  const rsDepth = <i32>load<u8>(ptr + 11);
  const imageVcid = <u32>load<u8>(ptr + 12);
  const hkVcid = <u32>load<u8>(ptr + 13);
  const idleVcid = <u32>load<u8>(ptr + 14);
  const bands = <i32>load<u8>(ptr + 15);
  const pixels = <i32>loadU16BE(ptr + 16);
  const bitDepth = <i32>load<u8>(ptr + 18);
  const compression = <i32>load<u8>(ptr + 19);
  const hkApid = loadU16BE(ptr + 20);
  const maxPacketLen = <i32>loadU32BE(ptr + 24);
  const ram = loadU32BE(ptr + 28);
  const rate = loadU32BE(ptr + 32);
  const insertZoneLen = <i32>loadU16BE(ptr + 42);

  if (frameType != 0 && frameType != 1) return bad(F_FRAME_TYPE, frameType, 1);
  if ((flags & ~(FLAG_FECF | FLAG_OCF | FLAG_RANDOMIZER)) != 0) return bad(F_FLAGS, <i32>flags, 7);
  const maxVcid: u32 = frameType == 0 ? 7 : 63;
  if (scid > (frameType == 0 ? <u32>0x3FF : <u32>0xFF)) return bad(F_SCID, <i32>scid, frameType == 0 ? 0x3FF : 0xFF);
  if (rsE != 0 && rsE != 8 && rsE != 16) return bad(F_RS_E, rsE, 16);
  if (!(rsDepth == 1 || rsDepth == 2 || rsDepth == 3 || rsDepth == 4 || rsDepth == 5 || rsDepth == 8)) return bad(F_RS_DEPTH, rsDepth, 1); // 131.0-B-5 §4.3.5
  if (frameLen < 32 || (frameType == 0 && frameLen > 2048)) return bad(F_FRAME_LEN, frameLen, 2048);
  if (rsE != 0 && (frameLen % rsDepth != 0 || frameLen / rsDepth > 255 - 2 * rsE)) return bad(F_FRAME_LEN, frameLen, rsDepth * (255 - 2 * rsE));
  if (imageVcid > maxVcid) return bad(F_IMAGE_VCID, <i32>imageVcid, <i32>maxVcid);
  if (hkVcid > maxVcid) return bad(F_HK_VCID, <i32>hkVcid, <i32>maxVcid);
  if (idleVcid > maxVcid || (frameType == 1 && idleVcid != 63)) return bad(F_IDLE_VCID, <i32>idleVcid, <i32>maxVcid);
  if (idleVcid == imageVcid || idleVcid == hkVcid) return bad(F_IDLE_VCID, <i32>idleVcid, -1);
  if (bands < 1) return bad(F_BANDS, bands, 1);
  const expectLen = CONFIG_FIXED_LEN + 2 * bands + CODEC_BLOCK_LEN + SCREEN_FIXED_LEN + 12 * bands + HYPER_BLOCK_LEN + 2;
  if (len != expectLen) return setDetail(E_BAD_LENGTH, F_TABLE_LEN, len, expectLen, 2);
  if (pixels < 1) return bad(F_PIXELS, pixels, 1);
  if (bitDepth < 1 || bitDepth > 16) return bad(F_BIT_DEPTH, bitDepth, 16);
  if (hkApid >= 0x7FF) return bad(F_HK_APID, <i32>hkApid, 0x7FE);
  if (maxPacketLen < 64 || maxPacketLen > 65536) return bad(F_MAX_PACKET, maxPacketLen, 65536);
  if (ram < 65536) return bad(F_RAM, <i32>ram, 65536);
  if (rate == 0) return bad(F_RATE, 0, 1);
  if (frameType == 0 && insertZoneLen != 0) return bad(42, insertZoneLen, 0);
  for (let b = 0; b < bands; b++) {
    const apid = loadU16BE(ptr + <usize>(CONFIG_FIXED_LEN + 2 * b));
    if (apid >= 0x7FF || apid == hkApid) return bad(F_APIDS + 2 * b, <i32>apid, 0x7FE);
    for (let c = 0; c < b; c++) {
      if (loadU16BE(ptr + <usize>(CONFIG_FIXED_LEN + 2 * c)) == apid) return bad(F_APIDS + 2 * b, <i32>apid, -1);
    }
  }
  // Codec block.
  const cb = ptr + <usize>(CONFIG_FIXED_LEN + 2 * bands);
  const coder = <i32>load<u8>(cb);
  const aecJ = <i32>load<u8>(cb + 1);
  const aecFlags = <i32>load<u8>(cb + 2);
  const aecRsi = <i32>loadU16BE(cb + 4);
  const unitLines = <i32>loadU16BE(cb + 6);
  const unitPixels = <i32>loadU16BE(cb + 8);
  const fc = CONFIG_FIXED_LEN + 2 * bands;
  if (coder != CODER_RAW && coder != CODER_CCSDS121 && coder != CODER_CCSDS123) return bad(fc, coder, CODER_CCSDS123);
  if (compression != coder) return bad(F_COMPRESSION, compression, coder);
  if (coder == CODER_CCSDS121) {
    if (aecJ != 8 && aecJ != 16 && aecJ != 32 && aecJ != 64) return bad(fc + 1, aecJ, 16);     // 121.0-B-3 §3.1.1
    if ((aecFlags & ~(8 | 16)) != 0 || ((aecFlags & 16) != 0 && bitDepth > 4)) return bad(fc + 2, aecFlags, 8); // §5.1.2
    if (aecRsi < 1 || aecRsi > 4096) return bad(fc + 4, aecRsi, 4096);                          // §4.3
    if (unitLines < 1) return bad(fc + 6, unitLines, 1);
    if (unitPixels < 0 || unitPixels > pixels || (unitPixels != 0 && unitPixels < aecJ)) return bad(fc + 8, unitPixels, pixels);
    if (maxPacketLen < 128) return bad(F_MAX_PACKET, maxPacketLen, 128);
  }
  // Screening block (the screener checks its own parameter words when it is initialised).
  const sb = cb + <usize>CODEC_BLOCK_LEN;
  const fs = fc + CODEC_BLOCK_LEN;
  const screen = <i32>load<u8>(sb);
  const shift = <i32>load<u8>(sb + 1);
  const statsApid = loadU16BE(sb + 2);
  const maskApid = loadU16BE(sb + 4);
  const thumb = <i32>load<u8>(sb + 7);
  if (screen > 1) return bad(fs, screen, 1);
  if (screen == 1) {
    if (shift > 7 || shift >= bitDepth) return bad(fs + 1, shift, 7);
    if (statsApid >= 0x7FF || statsApid == hkApid) return bad(fs + 2, <i32>statsApid, 0x7FE);
    if (maskApid >= 0x7FF || maskApid == hkApid || maskApid == statsApid) return bad(fs + 4, <i32>maskApid, 0x7FE);
    for (let b = 0; b < bands; b++) {
      const a = loadU16BE(ptr + <usize>(CONFIG_FIXED_LEN + 2 * b));
      if (a == statsApid || a == maskApid) return bad(F_APIDS + 2 * b, <i32>a, -1);
    }
    if (thumb < 2 || thumb > 64) return bad(fs + 7, thumb, 8);
    if (bands < 3) return bad(F_BANDS, bands, 3);
    if (coder == CODER_CCSDS123) return bad(fs, screen, 0);            // screening tiles are coded with CCSDS 121
  }
  const hb = sb + <usize>(SCREEN_FIXED_LEN + 12 * bands);
  if (coder == CODER_CCSDS123) {
    if (unitLines < 1) return bad(fc + 6, unitLines, 1);
    // The compressor checks its own parameters at boot; the geometry must be the line's.
    if (<i32>loadU32BE(hb) != pixels || <i32>loadU32BE(hb + 8) != bands || <i32>loadU32BE(hb + 4) != unitLines || <i32>loadU32BE(hb + 12) != bitDepth) return bad(fs + SCREEN_FIXED_LEN + 12 * bands, 0, 0);
    for (let i = 33; i < HYPER_PARAMS; i++) {
      if (i == 35 || i == 36 || i == 37 || i == 38 || i == 41) continue;          // scalars, not table pointers
      if (loadU32BE(hb + <usize>(4 * i)) != 0) return bad(fs + SCREEN_FIXED_LEN + 12 * bands + 4 * i, 1, 0);
    }
    if (<i32>loadU32BE(hb + 4 * 38) != 0 || <i32>loadU32BE(hb + 4 * 41) != -1) return bad(fs + SCREEN_FIXED_LEN + 12 * bands + 4 * 38, 1, 0);
  }
  // All valid: apply.
  cfg.scid = scid; cfg.frameType = frameType;
  cfg.fecf = (flags & FLAG_FECF) != 0; cfg.ocf = (flags & FLAG_OCF) != 0; cfg.randomizer = (flags & FLAG_RANDOMIZER) != 0;
  cfg.frameLen = frameLen; cfg.rsE = rsE; cfg.rsDepth = rsDepth;
  cfg.imageVcid = imageVcid; cfg.hkVcid = hkVcid; cfg.idleVcid = idleVcid;
  cfg.bands = bands; cfg.pixels = pixels; cfg.bitDepth = bitDepth; cfg.compression = compression;
  cfg.hkApid = hkApid; cfg.hkEveryLines = loadU16BE(ptr + 22);
  cfg.maxPacketLen = maxPacketLen; cfg.ramBytes = ram; cfg.bitRate = rate;
  cfg.initialFrameCount = loadU32BE(ptr + 36); cfg.initialPacketCount = loadU16BE(ptr + 40) & 0x3FFF;
  cfg.insertZoneLen = insertZoneLen;
  cfg.maxLineJump = loadU16BE(ptr + 44); cfg.maxIdlePerLine = loadU16BE(ptr + 46);
  cfg.apidsPtr = ptr + <usize>CONFIG_FIXED_LEN;
  cfg.aecJ = aecJ; cfg.aecFlags = aecFlags; cfg.aecRsi = aecRsi; cfg.unitLines = unitLines; cfg.unitPixels = unitPixels;
  cfg.screen = screen == 1; cfg.degradeShift = shift; cfg.statsApid = statsApid; cfg.maskApid = maskApid;
  cfg.taiUtc = <i32>load<u8>(sb + 6); cfg.thumbFactor = thumb;
  cfg.lat0Deg = <f64><i32>loadU32BE(sb + 8) * 1e-6;
  cfg.lon0Deg = <f64><i32>loadU32BE(sb + 12) * 1e-6;
  cfg.headingDeg = <f64><i32>loadU32BE(sb + 16) * 1e-6;
  cfg.groundSpeedMps = <f64>loadU32BE(sb + 20) * 1e-3;
  cfg.screenBlockPtr = sb;
  cfg.hyperBlockPtr = hb;
  return OK;
}

@inline export function bandApid(cfg: Config, band: i32): u32 { return loadU16BE(cfg.apidsPtr + <usize>(2 * band)); }
