// CCSDS 121 units packetizer. A unit is one band × unitLines lines × one column of unitPixels
// pixels, coded as an independent CCSDS 121.0-B-3 stream (the reference sample interval
// restarts at every unit: 121.0-B-3 §4.3), so a lost packet loses only its own unit. A unit's
// coded octets leave in space packets as soon as a packet's worth is ready (segmented with the
// sequence flags, 133.0-B-2 §4.1.3.4.2), each packet carrying the unit header (unit-header.ts).
import { Config, bandApid } from "../abi/config-table";
import { OFF_BIT_DEPTH as F_BIT_DEPTH } from "../abi/contract";
import { aecCheckConfig, aecInit, aecStartUnit, aecEncode16, aecEndUnit, aecMaxOutLenOf, AEC_STATE_LEN } from "../compress/aec121/encoder";
import { copyBytes } from "../util/be";
import { OK, E_CFG_BAD_VALUE, E_AEC_BAD_BITS, E_AEC_BAD_BLOCK, E_AEC_BAD_RSI } from "../abi/status";
import { setDetail } from "../abi/control";
import * as hk from "./housekeeping";
import { carve, carveLen, carveState, carveStateLen } from "./carve";
import { UNIT_HDR_LEN, packUnitHeader } from "./unit-header";
import { packetDataPtr, sendUnitPacket } from "./downlink";
import { unpackLineSamples } from "./bus-record";

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

@unmanaged class Units {
  recs: usize;           // U_REC octets per unit
  columns: i32;
  colPixels: i32;
  pixelsPerLine: i32;
  unitLines: i32;
  depth: i32;
  blockJ: i32;
  rsiBlocks: i32;
  aecFlags: i32;
  segPayload: i32;       // coded octets per packet
  outCap: i32;           // octets of each unit's coded-octet buffer
  lineBuf: usize;        // one band line as native u16
}

let u: Units = changetype<Units>(0);

@inline function rec(index: i32): usize { return u.recs + <usize>index * <usize>U_REC; }

function columnPixels(c: Config): i32 { return c.unitPixels == 0 || c.unitPixels > c.pixels ? c.pixels : c.unitPixels; }
function unitCount(c: Config): i64 { const colPx = columnPixels(c); return <i64>c.bands * ((<i64>c.pixels + colPx - 1) / colPx); }
function unitOutLen(c: Config): i64 { return <i64>(c.maxPacketLen - UNIT_HDR_LEN) + aecMaxOutLenOf(c.bitDepth, c.aecJ, c.aecFlags, columnPixels(c)) + 64; }

/** Checks the CCSDS 121 options with the coder's own rules (parseConfig checks them too); OK or −402 naming the field. */
export function unitsCheck(c: Config, codecOffset: i32): i32 {
  const s = aecCheckConfig(c.bitDepth, c.aecJ, c.aecRsi, c.aecFlags);
  if (s == OK) return OK;
  if (s == E_AEC_BAD_BITS) return setDetail(E_CFG_BAD_VALUE, F_BIT_DEPTH, c.bitDepth, 16, F_BIT_DEPTH);
  if (s == E_AEC_BAD_BLOCK) return setDetail(E_CFG_BAD_VALUE, codecOffset + 1, c.aecJ, 16, codecOffset + 1);
  if (s == E_AEC_BAD_RSI) return setDetail(E_CFG_BAD_VALUE, codecOffset + 4, c.aecRsi, 4096, codecOffset + 4);
  return setDetail(E_CFG_BAD_VALUE, codecOffset + 2, c.aecFlags, 8, codecOffset + 2);   // flags, restricted with n > 4
}

/** Octets the unit coder carves for a configuration unitsCheck accepted. */
export function unitsMemory(c: Config): i64 {
  const n = unitCount(c);
  return carveStateLen<Units>() + carveLen(n * U_REC) + carveLen(2 * <i64>c.pixels + 16)
    + n * (carveLen(<i64>AEC_STATE_LEN) + carveLen(unitOutLen(c)));
}

/** Carves and initialises the coder of every unit (checked by unitsCheck: cannot fail, but the status is kept). */
export function unitsConfigure(c: Config): i32 {
  u = carveState<Units>();
  u.colPixels = columnPixels(c);
  u.columns = (c.pixels + u.colPixels - 1) / u.colPixels;
  u.pixelsPerLine = c.pixels; u.unitLines = c.unitLines; u.depth = c.bitDepth; u.blockJ = c.aecJ; u.rsiBlocks = c.aecRsi; u.aecFlags = c.aecFlags;
  u.segPayload = c.maxPacketLen - UNIT_HDR_LEN;
  u.outCap = <i32>unitOutLen(c);
  const n = c.bands * u.columns;
  u.recs = carve(<i64>n * U_REC);
  u.lineBuf = carve(2 * <i64>c.pixels + 16);
  for (let i = 0; i < n; i++) {
    const r = rec(i);
    const st = carve(AEC_STATE_LEN);
    const s = aecInit(st, c.bitDepth, c.aecJ, c.aecRsi, c.aecFlags);
    if (s != OK) return s;
    store<usize>(r, st, U_STATE);
    store<usize>(r, carve(u.outCap), U_OUT);
    store<i32>(r, 0, U_FILL); store<u32>(r, 0, U_OFFSET); store<i32>(r, 0, U_LINES);
  }
  return OK;
}

/** Writes the unit header of unit `index` at dst (for the segment at the current offset). */
function unitHeader(index: i32, dst: usize): void {
  const r = rec(index);
  const col = index % u.columns;
  const first = col * u.colPixels;
  let count = u.pixelsPerLine - first;
  if (count > u.colPixels) count = u.colPixels;
  packUnitHeader(dst, load<u32>(r, U_COARSE), load<u32>(r, U_FINE), load<u32>(r, U_FIRST_LINE), load<i32>(r, U_LINES), first, count, u.depth, u.blockJ, u.aecFlags, u.rsiBlocks, load<u32>(r, U_OFFSET), 0);
}

/**
 * Codes the band line in lineBuf (native u16) into the units of `band`. Returns OK or a coder
 * status. Starts units on their first line.
 */
function unitsCodeLine(band: i32, line: u32, coarse: u32, fine: u32): i32 {
  const columns = u.columns;
  for (let c = 0; c < columns; c++) {
    const r = rec(band * columns + c);
    const st = load<usize>(r, U_STATE);
    if (load<i32>(r, U_LINES) == 0) {
      aecStartUnit(st);
      store<u32>(r, line, U_FIRST_LINE); store<u32>(r, coarse, U_COARSE); store<u32>(r, fine, U_FINE);
      store<u32>(r, 0, U_OFFSET);
    }
    const first = c * u.colPixels;
    let count = u.pixelsPerLine - first;
    if (count > u.colPixels) count = u.colPixels;
    const fill = load<i32>(r, U_FILL);
    const n = aecEncode16(st, u.lineBuf + <usize>(2 * first), count, load<usize>(r, U_OUT) + <usize>fill, u.outCap - fill);
    if (n < 0) return n;
    store<i32>(r, fill + n, U_FILL);
    store<i32>(r, load<i32>(r, U_LINES) + 1, U_LINES);
  }
  return OK;
}

/** One packet of unit `index`: len octets from the front of its buffer. */
function sendSegment(c: Config, band: i32, index: i32, len: i32, last: bool): void {
  const r = rec(index);
  unitHeader(index, packetDataPtr());
  const out = load<usize>(r, U_OUT);
  const offset = load<u32>(r, U_OFFSET);
  sendUnitPacket(bandApid(c, band), band, out, len, offset == 0, last);
  const fill = load<i32>(r, U_FILL);
  copyBytes(out, out + <usize>len, <usize>(fill - len));
  store<i32>(r, fill - len, U_FILL);
  store<u32>(r, offset + <u32>len, U_OFFSET);
}

/** Closes unit `index` (last partial block, byte padding) and sends what is left of it. */
function finishUnit(c: Config, band: i32, index: i32): void {
  const r = rec(index);
  const fill = load<i32>(r, U_FILL);
  const n = aecEndUnit(load<usize>(r, U_STATE), load<usize>(r, U_OUT) + <usize>fill, u.outCap - fill);
  if (n < 0) hk.hkSetLastStatus(n); else store<i32>(r, fill + n, U_FILL);
  const seg = u.segPayload;
  while (load<i32>(r, U_FILL) > seg) sendSegment(c, band, index, seg, false);   // bounded: each sends seg octets
  sendSegment(c, band, index, load<i32>(r, U_FILL), true);
  store<i32>(r, 0, U_LINES); store<i32>(r, 0, U_FILL);       // the next line starts a new unit
}

/** CCSDS 121 mode: each band line is coded into its units; full segments and closed units leave. */
export function codeLine121(c: Config, samples: usize, counter: u32, coarse: u32, fine: u32): void {
  const bands = c.bands, pixels = c.pixels;
  const lb = u.lineBuf;
  const cols = u.columns;
  for (let b = 0; b < bands; b++) {
    unpackLineSamples(lb, samples + <usize>(2 * b * pixels), pixels, c.bitDepth);
    const s = unitsCodeLine(b, counter, coarse, fine);
    if (s != OK) { hk.hkSetLastStatus(s); continue; }
    for (let col = 0; col < cols; col++) {
      const x = b * cols + col;
      while (load<i32>(rec(x), U_FILL) >= u.segPayload) sendSegment(c, b, x, u.segPayload, false);
      if (load<i32>(rec(x), U_LINES) >= u.unitLines) finishUnit(c, b, x);
    }
  }
}

/** Whether every unit is closed (the next line starts new units): a unit boundary (ST[20], ST[8]). */
export function unitsAtBoundary(c: Config): bool {
  const n = c.bands * u.columns;
  for (let x = 0; x < n; x++) if (load<i32>(rec(x), U_LINES) != 0) return false;
  return true;
}

/**
 * At a unit boundary, the CCSDS 121 options of the configuration in force (changed by ST[20])
 * for every unit that starts from now on. The table was checked whole and needs the buffers
 * already carved (the caller checked the memory need is unchanged).
 */
export function unitsReparam(c: Config): i32 {
  u.blockJ = c.aecJ; u.rsiBlocks = c.aecRsi; u.aecFlags = c.aecFlags;
  const n = c.bands * u.columns;
  for (let x = 0; x < n; x++) {
    const s = aecInit(load<usize>(rec(x), U_STATE), c.bitDepth, c.aecJ, c.aecRsi, c.aecFlags);
    if (s != OK) return s;
  }
  return OK;
}

/** End of pass: closes one open unit. Returns false when none is left. */
export function unitsEndStep(c: Config): bool {
  const cols = u.columns;
  for (let x = 0; x < c.bands * cols; x++) {
    if (load<i32>(rec(x), U_LINES) > 0) { finishUnit(c, x / cols, x); return true; }
  }
  return false;
}
