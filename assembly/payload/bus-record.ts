// Payload bus records (stdin of the flight image; format in the README):
//   0 u32 sync 0x54474252 ("TGBR")   4 u8 type   5 u8 version (1)   6 u32 payload length
//  10 payload   10+len u16 CRC-16/CCITT-FALSE over octets [0, 10+len)
// All big-endian. The scanner never trusts a length before the CRC confirms it: after any
// failure it resumes the search for a sync word one octet further on, so nothing valid is lost.
import { loadU32BE, loadU16BE } from "../util/be";
import { BUS_RECORD_VERSION } from "../abi/contract";
import { crc16 } from "../util/crc16";
import * as hk from "./housekeeping";
import { E_BUS_BAD_SYNC, E_BUS_BAD_CRC, E_BUS_BAD_LENGTH, E_BUS_BAD_TYPE, E_NEED_INPUT } from "../abi/status";

export const RECORD_SYNC: u32 = 0x54474252;
export const RECORD_HEADER_LEN: i32 = 10;
export const RECORD_CRC_LEN: i32 = 2;
export const RECORD_VERSION: u32 = BUS_RECORD_VERSION;
export const REC_CONFIG: i32 = 1;
export const REC_LINE: i32 = 2;
export const REC_END: i32 = 3;
/** One TC transfer frame (232.0-B-4) as the OBC accepted it: README, "Commanding the payload". */
export const REC_TC: i32 = 4;
/** The OBC's CLCW (232.0-B-4 §4.2), 4 octets, for the OCF of every frame from then on: README, "The CLCW in the downlink". */
export const REC_CLCW: i32 = 5;
/** The payload of a CLCW record: exactly the 4-octet word. */
export const CLCW_RECORD_LEN: i32 = 4;
/** A line of the panchromatic channel at its own geometry (table block panchromatic): the line payload with bands = 1. */
export const REC_PAN: i32 = 6;
/** The largest TC transfer frame (232.0-B-4 §4.1.2.7: frame length field + 1 ≤ 1024). */
export const TC_FRAME_MAX_LEN: i32 = 1024;

// Line record payload: counter u32, time coarse u32, time fine u32 (2^-32 s), bands u16,
// pixels u16, bit depth u8, flags u8, then bands × pixels u16 samples, band-interleaved by line.
export const LINE_HEADER_LEN: i32 = 18;

// Result of the last scan.
export let recType: i32 = 0;
export let recPayloadPtr: usize = 0;
export let recPayloadLen: i32 = 0;
/** Octets to drop from the front of the buffer after the scan (record or garbage). */
export let recConsumed: i32 = 0;

/**
 * Looks for one record at the front of buf[0, avail). Returns the record type (> 0) with the
 * recXxx globals set; E_NEED_INPUT when more octets are needed (recConsumed octets of garbage
 * may be dropped meanwhile); or a rejection status with recConsumed octets to drop.
 */
export function scanRecord(buf: usize, avail: i32, maxPayload: i32): i32 {
  recConsumed = 0;
  if (avail < 4) return E_NEED_INPUT;
  if (loadU32BE(buf) != RECORD_SYNC) {
    // Skip to the next octet that could start a sync word.
    let i = 1;
    while (i <= avail - 4 && loadU32BE(buf + <usize>i) != RECORD_SYNC) i++;
    if (i > avail - 4) {
      // Keep the last 3 octets: they may be the start of a sync word.
      recConsumed = avail - 3;
      return E_BUS_BAD_SYNC;
    }
    recConsumed = i;
    return E_BUS_BAD_SYNC;
  }
  if (avail < RECORD_HEADER_LEN) return E_NEED_INPUT;
  const type = <i32>load<u8>(buf + 4);
  const version = <u32>load<u8>(buf + 5);
  const len = loadU32BE(buf + 6);
  if (version != RECORD_VERSION || type < REC_CONFIG || type > REC_PAN) { recConsumed = 1; return E_BUS_BAD_TYPE; }
  if (type == REC_CLCW ? len != <u32>CLCW_RECORD_LEN : len > <u32>(type == REC_TC ? TC_FRAME_MAX_LEN : maxPayload)) { recConsumed = 1; return E_BUS_BAD_LENGTH; }
  const total = RECORD_HEADER_LEN + <i32>len + RECORD_CRC_LEN;
  if (avail < total) return E_NEED_INPUT;
  const crcAt = RECORD_HEADER_LEN + <i32>len;
  if (crc16(buf, <usize>crcAt, 0xFFFF) != loadU16BE(buf + <usize>crcAt)) { recConsumed = 1; return E_BUS_BAD_CRC; }
  recType = type;
  recPayloadPtr = buf + <usize>RECORD_HEADER_LEN;
  recPayloadLen = <i32>len;
  recConsumed = total;
  return type;
}

/**
 * Copies n line samples from the bus (u16 big-endian) to native u16 at dst, clipped to bitDepth
 * bits; clipped samples are counted in housekeeping. The one unpacking loop of every packetizer.
 */
export function unpackLineSamples(dst: usize, src: usize, n: i32, bitDepth: i32): void {
  const maxV: u32 = (1 << <u32>bitDepth) - 1;
  let clipped: u32 = 0;
  // Four samples per step in one 64-bit word (byte swap within each 16-bit lane); a word with
  // a sample above maxV is clipped sample by sample. Same result, a quarter of the steps.
  const lane: u64 = maxV <= 0xffff ? <u64>maxV : 0xffff;
  const over: u64 = ~(lane * 0x0001000100010001);
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const o = <usize>i << 1;
    const w = load<u64>(src + o);
    const v = ((w & 0x00ff00ff00ff00ff) << 8) | ((w >> 8) & 0x00ff00ff00ff00ff);
    if ((v & over) == 0) { store<u64>(dst + o, v); continue; }
    for (let j = 0; j < 4; j++) {
      let x = <u32>(v >> (<u64>j << 4)) & 0xffff;
      if (x > maxV) { x = maxV; clipped++; }
      store<u16>(dst + o + (<usize>j << 1), <u16>x);
    }
  }
  for (; i < n; i++) {
    let v = <u32>bswap<u16>(load<u16>(src + (<usize>i << 1)));
    if (v > maxV) { v = maxV; clipped++; }
    store<u16>(dst + (<usize>i << 1), <u16>v);
  }
  if (clipped != 0) hk.hkAdd(hk.HK_SAMPLES_CLIPPED, clipped);
}
