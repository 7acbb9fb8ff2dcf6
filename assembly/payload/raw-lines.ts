// Raw mode packetizer: each band line in its own image packet(s) on the band's APID, samples
// packed MSB first at the bit depth (133.0-B-2, secondary header below). A line larger than
// the maximum packet is segmented on whole octets (sequence flags first/continuation/last),
// each segment with its own secondary header, so a lost segment loses only its pixels.
// Image packet secondary header: CUC (7) | line counter u32 | first pixel u16 | pixel count u16 | bit depth u8.
import { Config, bandApid } from "../abi/config-table";
import { storeU16BE, storeU32BE } from "../util/be";
import { SEQ_UNSEGMENTED, SEQ_FIRST, SEQ_CONTINUATION, SEQ_LAST } from "../packet/space-packet";
import { packCuc, CUC_LEN } from "../packet/cuc";
import { packetDataPtr, sendImagePacket } from "./downlink";
import * as hk from "./housekeeping";

export const IMAGE_SEC_HDR_LEN: i32 = CUC_LEN + 4 + 2 + 2 + 1;

/** Pixels per image packet: a multiple of 8 when the line is segmented, else the whole line. */
let segPixels: i32 = 0;

/** The segment length for a configuration (checkRawLines refused a packet too short for 8 pixels). */
function segmentPixels(c: Config): i32 {
  const userMax = c.maxPacketLen - IMAGE_SEC_HDR_LEN;
  if (<i64>c.pixels * <i64>c.bitDepth <= <i64>userMax * 8) return c.pixels;
  return ((userMax * 8) / c.bitDepth) & ~7;              // whole octets per segment
}

export function rawLinesConfigure(c: Config): void { segPixels = segmentPixels(c); }

/**
 * Packs count samples (u16 big-endian at src) at bitDepth bits, MSB first, into dst.
 * Returns octets written; samples above the bit depth are clipped and counted.
 */
export function packSamples(dst: usize, src: usize, count: i32, bitDepth: i32): i32 {
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

/**
 * One image packet: the secondary header and count samples (u16 big-endian at src) of a band
 * line from pixel `first`, with the given sequence flags (133.0-B-2 §4.1.3.4.2.2).
 */
export function sendImageSegment(c: Config, band: i32, src: usize, counter: u32, coarse: u32, fine: u32, first: i32, count: i32, flags: u32): void {
  const sh = packetDataPtr();
  packCuc(sh, coarse, fine);
  storeU32BE(sh + 7, counter);
  storeU16BE(sh + 11, <u32>first);
  storeU16BE(sh + 13, <u32>count);
  store<u8>(sh + 15, <u8>c.bitDepth);
  const userLen = packSamples(sh + <usize>IMAGE_SEC_HDR_LEN, src, count, c.bitDepth);
  sendImagePacket(bandApid(c, band), flags, band, IMAGE_SEC_HDR_LEN + userLen);
  hk.hkInc(hk.HK_PACKETS_SENT);
}

/** Raw mode: each band line in its own packet(s). */
export function sendRawLine(c: Config, samples: usize, counter: u32, coarse: u32, fine: u32): void {
  const bands = c.bands, pixels = c.pixels, seg = segPixels;
  for (let b = 0; b < bands; b++) {
    const bandPtr = samples + <usize>(2 * b * pixels);
    let first = 0;
    while (first < pixels) {                          // bounded: pixels / seg segments (seg ≥ 8)
      let count = pixels - first;
      if (count > seg) count = seg;
      const last = first + count >= pixels;
      const flags: u32 = first == 0 ? (last ? SEQ_UNSEGMENTED : SEQ_FIRST) : (last ? SEQ_LAST : SEQ_CONTINUATION); // §4.1.3.4.2.2
      sendImageSegment(c, b, bandPtr + <usize>(2 * first), counter, coarse, fine, first, count, flags);
      first += count;
    }
  }
}
