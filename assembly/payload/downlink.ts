// The downlink side shared by every packetizer: the packet buffer, the space packet sequence
// counts, the packet-to-frame multiplexer and the output buffer of CADUs (131.0-B-5) that
// flight.ts drains to the transmitter.
//   packet (133.0-B-2) → frame of its virtual channel (132.0-B-3 / 732.0-B-4) → RS, randomizer,
//   ASM → CADU in the output buffer.
import { Config } from "../abi/config-table";
import { OK, E_OUT_FULL, E_FRAME_BAD_CONFIG } from "../abi/status";
import { setDetail } from "../abi/control";
import { copyBytes, storeU16BE, loadU32BE } from "../util/be";
import { P_TILE_SIZE } from "../screen/screener";
import { crc16 } from "../util/crc16";
import { packPrimaryHeader, PRIMARY_HEADER_LEN, SEQ_UNSEGMENTED, SEQ_FIRST, SEQ_CONTINUATION, SEQ_LAST } from "../packet/space-packet";
import { framerConfigure, framerBufferLen, framerSlotFor, framerPut, framerIsFull, framerIsEmpty, framerClose, framerCarrySpill, framerPadIdle, framerIdleFrame } from "../frame/framer";
import { caduEncode, caduLen } from "../sync/cadu";
import { CODER_CCSDS121, CODER_CCSDS123 } from "../abi/config-table";
import { carve, carveLen, carveState, carveStateLen } from "./carve";
import { UNIT_HDR_LEN } from "./unit-header";
import * as hk from "./housekeeping";

/** Sequence count slots: one per band, then housekeeping, mask, tile statistics. */
export const SEQ_HK: i32 = 0;     // + bands
export const SEQ_MASK: i32 = 1;   // + bands
export const SEQ_STATS: i32 = 2;  // + bands
export const SEQ_REPORT: i32 = 3; // + bands: PUS-C reports (assembly/command/)
export const SEQ_PAN: i32 = 4;    // + bands: the pan CCSDS 122 segments (pan-segments.ts)
const SEQ_SLOTS: i32 = 5;

@unmanaged export class Downlink {
  packPtr: usize;          // packet header + secondary header + user data of the packet being built
  outPtr: usize;           // CADUs waiting for the transmitter
  outCap: i32;
  outLen: i32;
  caduLen: i32;
  imageSlot: i32;          // framer slot of the image virtual channel
  hkSlot: i32;             // framer slot of the housekeeping virtual channel
  seqCounts: usize;        // u32 per sequence count slot
  caduCount: u64;          // CADUs emitted (data and idle)
  frameLen: i32;
  rsDepth: i32;
  rsE: i32;
  randomizer: bool;
}

export let dl: Downlink = changetype<Downlink>(0);

/** Octets of the output buffer: the CADUs one line record can release, with room to spare. */
function outBufferLen(c: Config): i64 {
  const zone: i64 = c.frameLen - 8;                       // a lower bound of the packet zone
  let lineBytes: i64 = <i64>c.bands * ((<i64>c.pixels * c.bitDepth + 7) / 8 + 64) + 64;
  if (c.screen) {
    // A whole tile row leaves at once when its decisions are known.
    lineBytes *= 64 + 2;
    lineBytes += 2 * <i64>c.pixels + 4096;
  } else {
    // Sized for the largest of the product modes the table allows (ST[8] switches among them).
    let extra: i64 = 0;
    if ((c.modes & (1 << CODER_CCSDS123)) != 0) {
      // A segment's end releases its last packet beside the line's own codewords.
      extra = <i64>c.maxPacketLen + 4096;
    }
    if ((c.modes & (1 << CODER_CCSDS121)) != 0) {
      // Closing every unit on the same line can release up to a packet per unit beyond the line's own octets.
      const colPx: i64 = c.unitPixels == 0 || c.unitPixels > c.pixels ? c.pixels : c.unitPixels;
      const units: i64 = <i64>c.bands * ((<i64>c.pixels + colPx - 1) / colPx) * (<i64>c.maxPacketLen + 64);
      if (units > extra) extra = units;
    }
    lineBytes += extra;
  }
  if (c.pan) {
    // A pan line can complete a strip: every segment of it leaves at once (the CCSDS 122 encoder's
    // output bound: 2·⌈w/S⌉ + 2 segments of at most S·352 + 64 octets, or SegByteLimit), each
    // packet with its header.
    const w8: i64 = (<i64>c.panPixels + 7) & ~7;
    let segs: i64 = 2 * ((w8 + c.panS - 1) / c.panS) + 2;
    // With screening a decided tile row releases k × tile pan lines at once: that many strips.
    if (c.screen) segs *= (<i64>c.panRatio * <i64>loadU32BE(c.screenBlockPtr + 24 + (<usize>P_TILE_SIZE << 2)) + 63) / 64 + 1;
    const segMax: i64 = c.panSegBytes != 0 ? <i64>c.panSegBytes : <i64>c.panS * 352 + 64;
    const packets: i64 = segs * (segMax / <i64>(c.maxPacketLen - 32) + 1);
    lineBytes += segs * segMax + packets * 64;
  }
  const frames = lineBytes / zone + 2 * <i64>c.bands + 8 + <i64>c.maxIdlePerLine + 4;
  return frames * <i64>caduLen(c.frameLen, c.rsDepth, c.rsE);
}

/** The packet buffer: the largest image packet, or a PUS-C report (at most REPORT_MAX_LEN octets). */
function packBufferLen(c: Config): i64 { return <i64>(c.maxPacketLen > REPORT_MAX_LEN ? c.maxPacketLen : REPORT_MAX_LEN) + 64; }
function seqCountsLen(c: Config): i64 { return 4 * (<i64>c.bands + SEQ_SLOTS); }
/** Octets of a PUS-C report's packet data field at most (assembly/command/reports.ts). */
export const REPORT_MAX_LEN: i32 = 512;

/** Octets the downlink carves for a configuration that parseConfig accepted. */
export function downlinkMemory(c: Config): i64 {
  return carveStateLen<Downlink>() + carveLen(packBufferLen(c)) + carveLen(<i64>framerBufferLen(c.frameLen))
    + carveLen(outBufferLen(c)) + carveLen(seqCountsLen(c));
}

/** Carves and sets up the downlink (the configuration was checked whole: cannot fail but is checked). */
export function downlinkConfigure(c: Config): i32 {
  dl = carveState<Downlink>();
  dl.packPtr = carve(packBufferLen(c));
  const frames = carve(<i64>framerBufferLen(c.frameLen));
  dl.outCap = <i32>outBufferLen(c);
  dl.outPtr = carve(<i64>dl.outCap);
  dl.seqCounts = carve(seqCountsLen(c));
  for (let b = 0; b < c.bands + SEQ_SLOTS; b++) store<u32>(dl.seqCounts + (<usize>b << 2), c.initialPacketCount);
  const fs = framerConfigure(c.frameType, c.scid, c.frameLen, c.fecf, c.ocf, c.insertZoneLen, c.idleVcid, c.initialFrameCount, frames);
  if (fs != OK) return setDetail(E_FRAME_BAD_CONFIG, 8, c.frameLen, 0, 0);
  dl.imageSlot = framerSlotFor(c.imageVcid);
  dl.hkSlot = framerSlotFor(c.hkVcid);
  dl.frameLen = c.frameLen; dl.rsDepth = c.rsDepth; dl.rsE = c.rsE; dl.randomizer = c.randomizer;
  dl.caduLen = caduLen(c.frameLen, c.rsDepth, c.rsE);
  dl.outLen = 0; dl.caduCount = 0;
  return OK;
}

/** One frame out as a CADU into the output buffer. */
export function emit(framePtr: usize): void {
  if (dl.outLen + dl.caduLen > dl.outCap) {           // impossible by sizing: counted, never silent
    hk.hkSetLastStatus(E_OUT_FULL);
    hk.hkInc(hk.HK_FRAMES_OVERFLOW);
    return;
  }
  const n = caduEncode(framePtr, dl.frameLen, dl.rsDepth, dl.rsE, dl.randomizer, dl.outPtr + <usize>dl.outLen);
  if (n < 0) { hk.hkSetLastStatus(n); return; }
  dl.outLen += n;
  dl.caduCount++;
}

export function closeAndEmit(slot: i32): void {
  emit(framerClose(slot));
  framerCarrySpill(slot);
}

/** A partial frame of the slot leaves now, padded with an idle packet. */
export function flushSlot(slot: i32): void {
  if (!framerIsEmpty(slot)) { framerPadIdle(slot); closeAndEmit(slot); }
}

/** Puts len octets of packet stream on a channel, emitting every frame that fills up. */
export function putStream(slot: i32, src: usize, len: i32, packetStart: bool): void {
  let p = src;
  let rest = len;
  let start = packetStart;
  while (rest > 0) {                                  // bounded: one pass per frame filled
    const n = framerPut(slot, p, rest, start);
    p += <usize>n; rest -= n; start = false;
    if (framerIsFull(slot)) closeAndEmit(slot);
  }
}

export function nextSeq(index: i32): u32 {
  const p = dl.seqCounts + (<usize>index << 2);
  const s = load<u32>(p);
  store<u32>(p, (s + 1) & 0x3FFF);                  // 133.0-B-2 §4.1.3.4.3.3: modulo 16384
  return s;
}

/** The packet being built: primary header at dl.packPtr, its data field after it. */
@inline export function packetDataPtr(): usize { return dl.packPtr + <usize>PRIMARY_HEADER_LEN; }

/** The packet in the packet buffer (data field of dataLen octets already written) leaves on the image channel. */
export function sendImagePacket(apid: u32, flags: u32, seqIndex: i32, dataLen: i32): void {
  packPrimaryHeader(dl.packPtr, apid, true, flags, nextSeq(seqIndex), dataLen);
  putStream(dl.imageSlot, dl.packPtr, PRIMARY_HEADER_LEN + dataLen, true);
}

/**
 * One packet of a compressed unit on the image channel: the unit header is already written
 * after the primary header in the packet buffer; len octets of coded data follow it. The
 * sequence flags say where the packet stands in its unit (133.0-B-2 §4.1.3.4.2.2).
 */
export function sendUnitPacket(apid: u32, seqIndex: i32, data: usize, len: i32, first: bool, last: bool): void {
  const flags: u32 = first ? (last ? SEQ_UNSEGMENTED : SEQ_FIRST) : (last ? SEQ_LAST : SEQ_CONTINUATION);
  copyBytes(dl.packPtr + <usize>(PRIMARY_HEADER_LEN + UNIT_HDR_LEN), data, <usize>len);
  sendImagePacket(apid, flags, seqIndex, UNIT_HDR_LEN + len);
  hk.hkInc(hk.HK_PACKETS_SENT);
}

/**
 * A PUS-C report (data field of dataLen octets already written, its last two octets left for the
 * packet error control) on the housekeeping channel: CRC-16/CCITT-FALSE over the whole packet
 * but the PEC itself (ECSS-E-ST-70-41C §7.4.3.1).
 */
export function sendReportPacket(apid: u32, seqIndex: i32, dataLen: i32): void {
  packPrimaryHeader(dl.packPtr, apid, true, SEQ_UNSEGMENTED, nextSeq(seqIndex), dataLen);
  const pecAt = PRIMARY_HEADER_LEN + dataLen - 2;
  storeU16BE(dl.packPtr + <usize>pecAt, crc16(dl.packPtr, <usize>pecAt, 0xFFFF));
  putStream(dl.hkSlot, dl.packPtr, PRIMARY_HEADER_LEN + dataLen, true);
}

/** The housekeeping packet (data field of dataLen octets already written) on its own channel. */
export function sendHkPacket(apid: u32, seqIndex: i32, dataLen: i32): void {
  packPrimaryHeader(dl.packPtr, apid, true, SEQ_UNSEGMENTED, nextSeq(seqIndex), dataLen);
  putStream(dl.hkSlot, dl.packPtr, PRIMARY_HEADER_LEN + dataLen, true);
}
