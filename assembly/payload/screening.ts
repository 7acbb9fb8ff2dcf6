// Cloud screening products: lines wait in a ring while the screener (assembly/screen/)
// classifies them; when a tile row's decisions are known its tiles leave as the policy says:
// keep (CCSDS 121 lossless, or raw segments in raw mode), degrade (CCSDS 121 of v >> k: error
// ≤ 2^(k−1)) or drop (only the tile's statistics and a thumbnail leave). Every tile's
// statistics go on the statistics APID before its data; the class mask (2 bits per pixel: 0 clear
// or other, 1 cloud, 2 bright not cloud; CCSDS 121 with n = 2) goes on the mask APID, one unit per tile row.
// Tile statistics packet (user data after a CUC of the tile row's first line):
//   tile row u32 | first line u32 | lines u16 | first pixel u16 | pixel count u16 |
//   7 × u32 pixel counts (clear, cloud, uncertain-bright, saturated, missing, unjudged, bright not cloud) |
//   decision u8 (0 keep, 1 degrade, 2 drop) | reason u8 | thumbnail factor f u8 | bands u8 |
//   thumbnail (dropped tiles only): per band ⌈lines/f⌉ × ⌈count/f⌉ octets, the top 8 bits of
//   each f × f block's mean.
import { Config, bandApid, CODER_CCSDS121, SCREEN_FIXED_LEN, SCREEN_PARAMS, CONFIG_FIXED_LEN, CODEC_BLOCK_LEN } from "../abi/config-table";
import { OFF_MAX_PACKET_DATA_LEN as F_MAX_PACKET, TILE_STATISTICS_FIXED_LEN } from "../abi/contract";
import { OK, E_CFG_BAD_VALUE } from "../abi/status";
import { setDetail } from "../abi/control";
import { loadU32BE, storeU16BE, storeU32BE, copyBytes } from "../util/be";
import { SEQ_UNSEGMENTED } from "../packet/space-packet";
import { packCuc } from "../packet/cuc";
import { screenSetThresholds, screenCheckParams, screenBadParam, screenWorkspaceLen, screenInit, screenSetCalibration, screenSetSun, screenPushLine, screenFlush, screenTileRowDone, screenTileCols, screenTilePtr,
  P_TILE_SIZE, P_GROW_PX, P_NBANDS, P_WIDTH, P_COUNT, P_DEGRADE_FRAC, TILE_WORDS, T_DECISION, T_REASON, T_BRIGHT, DECIDE_KEEP, DECIDE_DEGRADE, DECIDE_DROP, CLASS_CLOUD, CLASS_BRIGHT } from "../screen/screener";
import { aecCheckConfig, aecInit, aecEncode16, aecEndUnit, aecMaxOutLenOf, AEC_STATE_LEN } from "../compress/aec121/encoder";
import { sunForLine, sunElevationDeg, sunDistanceAu } from "./sun";
import * as hk from "./housekeeping";
import { carve, carveLen, carveState, carveStateLen } from "./carve";
import { UNIT_HDR_LEN, packUnitHeader } from "./unit-header";
import { packetDataPtr, sendImagePacket, sendUnitPacket, SEQ_MASK, SEQ_STATS } from "./downlink";
import { sendImageSegment, IMAGE_SEC_HDR_LEN } from "./raw-lines";
import { unpackLineSamples } from "./bus-record";
import { panTileRow } from "./pan-segments";

const MASK_BITS: i32 = 2;            // 0 clear (or not judged), 1 cloud, 2 bright not cloud
const MASK_FLAGS: i32 = 8 | 16;          // preprocessing + restricted code options (n = 2 ≤ 4)
const MASK_J: i32 = 16;
export const TILE_STATS_FIXED: i32 = TILE_STATISTICS_FIXED_LEN;   // 53 (contract "tileStatistics")

@unmanaged class Screening {
  params: usize;          // the screener's parameter words (native i32)
  ring: usize;            // depth lines of native u16 samples
  meta: usize;            // per ring slot: counter u32, coarse u32, fine u32
  depth: i32;
  lineBytes: i32;
  classLine: usize;       // one class line (u8 per pixel)
  tile: i32;              // tile side
  linesIn: i32;           // lines pushed
  rowsDone: i32;          // last tile row handled
  tileState: usize;
  tileOut: usize;
  tileCap: i32;
  tileShiftBuf: usize;
  maskState: usize;
  maskOut: usize;
  maskCap: i32;
  maskFill: i32;
  maskOffset: u32;
  maskLines: i32;
  maskLine: usize;
  segPayload: i32;
  t0: f64;
  flushed: bool;
  J: i32;                 // CCSDS 121 block size and RSI of the tiles and the mask
  rsi: i32;
  panDrops: usize;        // one octet per tile column of the row just decided (1: dropped), for the pan
}

let s: Screening = changetype<Screening>(0);
/** Tiles kept, degraded and dropped (housekeeping). */
export let tilesKept: u32 = 0, tilesDegraded: u32 = 0, tilesDropped: u32 = 0;
/** The parameter words of the table being checked, native (the screener reads them so). */
const checkParams = memory.data(P_COUNT * 4);

@inline function paramWord(c: Config, i: i32): i32 { return <i32>loadU32BE(c.screenBlockPtr + 24 + (<usize>i << 2)); }
@inline function blockJ(c: Config): i32 { return c.aecJ == 0 ? 16 : c.aecJ; }
@inline function blockRsi(c: Config): i32 { return c.aecRsi == 0 ? 128 : c.aecRsi; }

/**
 * Checks the screening block against the rest of the table: the screener's parameter words, the
 * band count and line width they repeat, the CCSDS 121 options of tiles and mask, and (raw mode)
 * that a tile line fits one packet. OK or −402 with the field's offset, found and expected.
 */
export function screeningCheck(c: Config): i32 {
  const sb = CONFIG_FIXED_LEN + 2 * c.bands + CODEC_BLOCK_LEN;     // offset of the screening block
  const pw = sb + 24;                                              // offset of the parameter words
  for (let i = 0; i < SCREEN_PARAMS; i++) store<i32>(checkParams + (<usize>i << 2), paramWord(c, i));
  if (paramWord(c, P_NBANDS) != c.bands) return setDetail(E_CFG_BAD_VALUE, pw + 4 * P_NBANDS, paramWord(c, P_NBANDS), c.bands, pw + 4 * P_NBANDS);
  if (paramWord(c, P_WIDTH) != c.pixels) return setDetail(E_CFG_BAD_VALUE, pw + 4 * P_WIDTH, paramWord(c, P_WIDTH), c.pixels, pw + 4 * P_WIDTH);
  if (screenCheckParams(checkParams) != OK) {
    const bad = screenBadParam();
    return setDetail(E_CFG_BAD_VALUE, pw + 4 * bad, paramWord(c, bad), 0, pw + 4 * bad);
  }
  const cb = CONFIG_FIXED_LEN + 2 * c.bands;
  if (aecCheckConfig(c.bitDepth, blockJ(c), blockRsi(c), c.aecFlags) != OK) return setDetail(E_CFG_BAD_VALUE, cb + 1, c.aecJ, 16, cb + 1);
  if (aecCheckConfig(MASK_BITS, MASK_J, blockRsi(c), MASK_FLAGS) != OK) return setDetail(E_CFG_BAD_VALUE, cb + 4, c.aecRsi, 128, cb + 4);
  if (c.compression != CODER_CCSDS121) {
    const tile = paramWord(c, P_TILE_SIZE);
    const px = tile < c.pixels ? tile : c.pixels;
    const need = IMAGE_SEC_HDR_LEN + (px * c.bitDepth + 7) / 8;
    if (need > c.maxPacketLen) return setDetail(E_CFG_BAD_VALUE, F_MAX_PACKET, c.maxPacketLen, need, F_MAX_PACKET);
  }
  if (TILE_STATS_FIXED > c.maxPacketLen) return setDetail(E_CFG_BAD_VALUE, F_MAX_PACKET, c.maxPacketLen, TILE_STATS_FIXED, F_MAX_PACKET);
  return OK;
}

function ringDepth(c: Config): i64 { return <i64>paramWord(c, P_TILE_SIZE) + <i64>paramWord(c, P_GROW_PX) + 1; }
function tileOutLen(c: Config): i64 { return <i64>(c.maxPacketLen - UNIT_HDR_LEN) + aecMaxOutLenOf(c.bitDepth, blockJ(c), c.aecFlags, paramWord(c, P_TILE_SIZE)) + 64; }
function maskOutLen(c: Config): i64 { return <i64>(c.maxPacketLen - UNIT_HDR_LEN) + aecMaxOutLenOf(MASK_BITS, MASK_J, MASK_FLAGS, c.pixels) + 64; }

/** Octets the screening stage carves for a configuration screeningCheck accepted. */
export function screeningMemory(c: Config): i64 {
  for (let i = 0; i < SCREEN_PARAMS; i++) store<i32>(checkParams + (<usize>i << 2), paramWord(c, i));
  const depth = ringDepth(c);
  return carveStateLen<Screening>() + carveLen(P_COUNT * 4) + carveLen(<i64>screenWorkspaceLen(checkParams))
    + carveLen(depth * 2 * <i64>c.bands * <i64>c.pixels) + carveLen(depth * 12) + carveLen(<i64>c.pixels)
    + carveLen(AEC_STATE_LEN) + carveLen(tileOutLen(c)) + carveLen(2 * <i64>paramWord(c, P_TILE_SIZE) + 16)
    + carveLen(AEC_STATE_LEN) + carveLen(maskOutLen(c)) + carveLen(2 * <i64>c.pixels + 16) + carveLen(<i64>c.pixels);
}

/** Carves and initialises the screening stage (checked by screeningCheck: cannot fail, but every status is kept). */
export function screeningConfigure(c: Config): i32 {
  s = carveState<Screening>();
  s.params = carve(P_COUNT * 4);
  for (let i = 0; i < SCREEN_PARAMS; i++) store<i32>(s.params + (<usize>i << 2), paramWord(c, i));
  const wsLen = screenWorkspaceLen(s.params);
  if (wsLen < 0) return wsLen;
  const ws = carve(wsLen);
  const si = screenInit(s.params, ws, wsLen);
  if (si != OK) return si;
  const cal = c.screenBlockPtr + <usize>SCREEN_FIXED_LEN;
  for (let b = 0; b < c.bands; b++) {
    const q = cal + <usize>(12 * b);
    screenSetCalibration(b, <f64>reinterpret<f32>(loadU32BE(q)), <f64>reinterpret<f32>(loadU32BE(q + 4)), <f64>reinterpret<f32>(loadU32BE(q + 8)));
  }
  s.tile = load<i32>(s.params + (<usize>P_TILE_SIZE << 2));
  s.depth = <i32>ringDepth(c);
  s.lineBytes = 2 * c.bands * c.pixels;
  s.ring = carve(<i64>s.depth * s.lineBytes);
  s.meta = carve(<i64>s.depth * 12);
  s.classLine = carve(c.pixels);
  s.panDrops = carve(c.pixels);
  s.segPayload = c.maxPacketLen - UNIT_HDR_LEN;
  s.J = blockJ(c); s.rsi = blockRsi(c);
  s.tileState = carve(AEC_STATE_LEN);
  let st = aecInit(s.tileState, c.bitDepth, s.J, s.rsi, c.aecFlags);
  if (st != OK) return st;
  s.tileCap = <i32>tileOutLen(c);
  s.tileOut = carve(s.tileCap);
  s.tileShiftBuf = carve(2 * <i64>s.tile + 16);
  s.maskState = carve(AEC_STATE_LEN);
  st = aecInit(s.maskState, MASK_BITS, MASK_J, s.rsi, MASK_FLAGS);
  if (st != OK) return st;
  s.maskCap = <i32>maskOutLen(c);
  s.maskOut = carve(s.maskCap);
  s.maskLine = carve(2 * <i64>c.pixels + 16);
  s.linesIn = 0; s.rowsDone = -1; s.maskFill = 0; s.maskOffset = 0; s.maskLines = 0; s.flushed = false;
  return OK;
}

@inline function ringSlot(line: i32): usize { return s.ring + <usize>((line % s.depth) * s.lineBytes); }
@inline function metaSlot(line: i32): usize { return s.meta + <usize>((line % s.depth) * 12); }

/** Whether the next line starts a tile row (ST[20] thresholds and ST[8] stop take effect there). */
export function screeningAtBoundary(): bool { return s.linesIn % s.tile == 0; }
/** The tile side: lines per tile row. */
export function screeningTile(): i32 { return s.tile; }

/**
 * At a tile-row boundary, the screening thresholds and tile coding options of the configuration
 * in force (changed by ST[20]): every line of the next tile row is classified with the new
 * thresholds; each tile is coded whole with the options in force when its row is decided.
 */
export function screeningReparam(c: Config): i32 {
  for (let i = 0; i < SCREEN_PARAMS; i++) store<i32>(s.params + (<usize>i << 2), paramWord(c, i));
  s.J = blockJ(c); s.rsi = blockRsi(c);
  return screenSetThresholds(s.params);
}

/** A line into the ring and the screener; a class line that comes out joins its tile row. */
export function screenLine(c: Config, samples: usize, counter: u32, coarse: u32, fine: u32, t: f64): void {
  if (s.linesIn == 0) s.t0 = t;
  const slot = ringSlot(s.linesIn);
  unpackLineSamples(slot, samples, c.bands * c.pixels, c.bitDepth);
  const m = metaSlot(s.linesIn);
  store<u32>(m, counter); store<u32>(m, coarse, 4); store<u32>(m, fine, 8);
  sunForLine(t, t - s.t0, c.taiUtc, c.lat0Deg, c.lon0Deg, c.headingDeg, c.groundSpeedMps);
  screenSetSun(sunElevationDeg, sunDistanceAu);             // night or bad calibration: tiles kept (status in the screener)
  s.linesIn++;
  const r = screenPushLine(slot, s.lineBytes, s.classLine);
  if (r >= 0) classLineReady(c, r);
}

/** End of pass: one delayed class line out of the screener. Returns false when none is left. */
export function screeningEndStep(c: Config): bool {
  if (s.flushed) return false;
  const r = screenFlush(s.classLine);
  if (r >= 0) classLineReady(c, r); else s.flushed = true;
  return true;
}

/** A class line is out: it joins the tile row's mask; a finished tile row leaves. */
function classLineReady(c: Config, row: i32): void {
  const px = c.pixels;
  for (let i = 0; i < px; i++) {
    const k = load<u8>(s.classLine + <usize>i);
    store<u16>(s.maskLine + (<usize>i << 1), k == CLASS_CLOUD ? 1 : k == CLASS_BRIGHT ? 2 : 0);
  }
  if (s.maskLines == 0) { aecInit(s.maskState, MASK_BITS, MASK_J, s.rsi, MASK_FLAGS); s.maskFill = 0; s.maskOffset = 0; }
  const w = aecEncode16(s.maskState, s.maskLine, px, s.maskOut + <usize>s.maskFill, s.maskCap - s.maskFill);
  if (w < 0) hk.hkSetLastStatus(w); else s.maskFill += w;
  s.maskLines++;
  const row0 = row - s.maskLines + 1;
  while (s.maskFill >= s.segPayload) sendMaskSegment(c, row0, s.segPayload, false);
  const done = screenTileRowDone();
  if (done > s.rowsDone) {
    s.rowsDone = done;
    const w2 = aecEndUnit(s.maskState, s.maskOut + <usize>s.maskFill, s.maskCap - s.maskFill);
    if (w2 < 0) hk.hkSetLastStatus(w2); else s.maskFill += w2;
    while (s.maskFill > s.segPayload) sendMaskSegment(c, row0, s.segPayload, false);
    sendMaskSegment(c, row0, s.maskFill, true);
    s.maskLines = 0; s.maskOffset = 0;
    sendTileRow(c, done, row0, row - row0 + 1);
  }
}

function sendMaskSegment(c: Config, row0: i32, len: i32, last: bool): void {
  const m = metaSlot(row0);
  packUnitHeader(packetDataPtr(), load<u32>(m, 4), load<u32>(m, 8), load<u32>(m), s.maskLines, 0, c.pixels, MASK_BITS, MASK_J, MASK_FLAGS, s.rsi, s.maskOffset, 0);
  sendUnitPacket(c.maskApid, c.bands + SEQ_MASK, s.maskOut, len, s.maskOffset == 0, last);
  copyBytes(s.maskOut, s.maskOut + <usize>len, <usize>(s.maskFill - len));
  s.maskFill -= len;
  s.maskOffset += <u32>len;
}

/** The tile row's statistics, then each tile's data as its decision says. */
function sendTileRow(c: Config, tileRow: i32, row0: i32, lines: i32): void {
  const cols = screenTileCols();
  const recs = screenTilePtr();
  for (let col = 0; col < cols; col++) {
    const r = recs + <usize>(col * TILE_WORDS * 4);
    let decision = load<i32>(r + (<usize>T_DECISION << 2));
    // Bright, not cloud (snow, ice) is never dropped as cloud; when the link is short (frames
    // behind the transmitter clock), a kept tile whose bright-not-cloud share reaches the degrade
    // fraction is degraded instead, and its statistics say so.
    if (decision == DECIDE_KEEP && hk.hkGet(hk.HK_BACKLOG_FRAMES) > 0 && brightShareDegrades(r)) decision = DECIDE_DEGRADE;
    const x0 = col * s.tile;
    let count = c.pixels - x0;
    if (count > s.tile) count = s.tile;
    sendTileStats(c, tileRow, row0, lines, x0, count, r, decision);
    store<u8>(s.panDrops + <usize>col, decision == DECIDE_DROP ? 1 : 0);
    if (decision == DECIDE_DROP) { tilesDropped++; continue; }
    const shift = decision == DECIDE_DEGRADE && c.compression == CODER_CCSDS121 ? c.degradeShift : 0;
    if (decision == DECIDE_DEGRADE) tilesDegraded++; else tilesKept++;
    for (let b = 0; b < c.bands; b++) {
      if (c.compression == CODER_CCSDS121) sendTile121(c, b, row0, lines, x0, count, shift);
      else sendTileRaw(c, b, row0, lines, x0, count);
    }
  }
  panTileRow(c, row0, lines, s.panDrops);           // the pan under this tile row follows the decisions
}

/** Whether a tile record's bright-not-cloud pixels reach the degrade fraction of its valid pixels. */
function brightShareDegrades(rec: usize): bool {
  const bright = <i64>load<i32>(rec + (<usize>T_BRIGHT << 2));
  if (bright == 0) return false;
  const valid = <i64>load<i32>(rec) + <i64>load<i32>(rec, 4) + <i64>load<i32>(rec, 8) + bright; // clear, cloud, uncertain, bright
  return (bright << 16) >= <i64>load<i32>(s.params + (<usize>P_DEGRADE_FRAC << 2)) * valid;
}

function sendTileStats(c: Config, tileRow: i32, row0: i32, lines: i32, x0: i32, count: i32, rec: usize, decision: i32): void {
  const m = metaSlot(row0);
  const sh = packetDataPtr();
  packCuc(sh, load<u32>(m, 4), load<u32>(m, 8));
  storeU32BE(sh + 7, <u32>tileRow);
  storeU32BE(sh + 11, load<u32>(m));
  storeU16BE(sh + 15, <u32>lines);
  storeU16BE(sh + 17, <u32>x0);
  storeU16BE(sh + 19, <u32>count);
  for (let i = 0; i < 6; i++) storeU32BE(sh + 21 + (<usize>i << 2), <u32>load<i32>(rec + (<usize>i << 2)));
  storeU32BE(sh + 45, <u32>load<i32>(rec + (<usize>T_BRIGHT << 2)));
  store<u8>(sh + 49, <u8>decision);
  store<u8>(sh + 50, <u8>load<i32>(rec + (<usize>T_REASON << 2)));
  const f = c.thumbFactor;
  store<u8>(sh + 51, <u8>f);
  store<u8>(sh + 52, <u8>c.bands);
  let len = TILE_STATS_FIXED;
  if (decision == DECIDE_DROP) {
    const th = (lines + f - 1) / f, tw = (count + f - 1) / f;
    if (len + c.bands * th * tw <= c.maxPacketLen) {  // a thumbnail that does not fit one packet is not sent
      let o = sh + <usize>len;
      const shiftTop = c.bitDepth > 8 ? c.bitDepth - 8 : 0;
      for (let b = 0; b < c.bands; b++) {
        for (let ty = 0; ty < th; ty++) {
          for (let tx = 0; tx < tw; tx++) {
            let sum: u32 = 0, nPix: u32 = 0;
            for (let y = ty * f; y < (ty + 1) * f && y < lines; y++) {
              const row = ringSlot(row0 + y) + <usize>(2 * (b * c.pixels + x0));
              for (let x = tx * f; x < (tx + 1) * f && x < count; x++) { sum += <u32>load<u16>(row + (<usize>x << 1)); nPix++; }
            }
            store<u8>(o++, <u8>((sum / nPix) >> <u32>shiftTop));
          }
        }
      }
      len += c.bands * th * tw;
    }
  }
  sendImagePacket(c.statsApid, SEQ_UNSEGMENTED, c.bands + SEQ_STATS, len);
}

function sendTile121(c: Config, band: i32, row0: i32, lines: i32, x0: i32, count: i32, shift: i32): void {
  const st = aecInit(s.tileState, c.bitDepth - shift, s.J, s.rsi, c.aecFlags);
  if (st != OK) { hk.hkSetLastStatus(st); return; }
  let fill = 0;
  let offset: u32 = 0;
  const m = metaSlot(row0);
  const coarse = load<u32>(m, 4), fine = load<u32>(m, 8), line0 = load<u32>(m);
  const seg = s.segPayload;
  for (let y = 0; y < lines; y++) {
    let src = ringSlot(row0 + y) + <usize>(2 * (band * c.pixels + x0));
    if (shift > 0) {
      for (let i = 0; i < count; i++) store<u16>(s.tileShiftBuf + (<usize>i << 1), load<u16>(src + (<usize>i << 1)) >> <u16>shift);
      src = s.tileShiftBuf;
    }
    const w = aecEncode16(s.tileState, src, count, s.tileOut + <usize>fill, s.tileCap - fill);
    if (w < 0) { hk.hkSetLastStatus(w); return; }
    fill += w;
    while (fill >= seg) { sendTileSegment(c, band, coarse, fine, line0, y + 1, x0, count, shift, offset, seg, false, fill); fill -= seg; offset += <u32>seg; }
  }
  const w2 = aecEndUnit(s.tileState, s.tileOut + <usize>fill, s.tileCap - fill);
  if (w2 < 0) { hk.hkSetLastStatus(w2); return; }
  fill += w2;
  while (fill > seg) { sendTileSegment(c, band, coarse, fine, line0, lines, x0, count, shift, offset, seg, false, fill); fill -= seg; offset += <u32>seg; }
  sendTileSegment(c, band, coarse, fine, line0, lines, x0, count, shift, offset, fill, true, fill);
}

function sendTileSegment(c: Config, band: i32, coarse: u32, fine: u32, line0: u32, lines: i32, x0: i32, count: i32, shift: i32, offset: u32, len: i32, last: bool, fill: i32): void {
  packUnitHeader(packetDataPtr(), coarse, fine, line0, lines, x0, count, c.bitDepth - shift, s.J, c.aecFlags, s.rsi, offset, shift);
  sendUnitPacket(bandApid(c, band), band, s.tileOut, len, offset == 0, last);
  copyBytes(s.tileOut, s.tileOut + <usize>len, <usize>(fill - len));
}

/** Raw mode: each line of the tile in its own segment packet (the raw image packet format). */
function sendTileRaw(c: Config, band: i32, row0: i32, lines: i32, x0: i32, count: i32): void {
  for (let y = 0; y < lines; y++) {
    const m = metaSlot(row0 + y);
    const src = ringSlot(row0 + y) + <usize>(2 * (band * c.pixels + x0));
    // The ring holds native samples: swap to big-endian in place for the packer, then back.
    for (let i = 0; i < count; i++) store<u16>(src + (<usize>i << 1), bswap<u16>(load<u16>(src + (<usize>i << 1))));
    sendImageSegment(c, band, src, load<u32>(m), load<u32>(m, 4), load<u32>(m, 8), x0, count, SEQ_UNSEGMENTED);
    for (let i = 0; i < count; i++) store<u16>(src + (<usize>i << 1), bswap<u16>(load<u16>(src + (<usize>i << 1))));
  }
}
