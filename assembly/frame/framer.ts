// Packet-to-frame multiplexer for fixed-length TM (132.0-B-3) and AOS (732.0-B-4) transfer
// frames carrying space packets: each virtual channel fills its own frame; packets span
// frames (132.0-B-3 §4.1.4 TM / M_PDU, 732.0-B-4 §4.1.4.2 AOS), the first header pointer marks the first packet
// start, idle packets pad a frame that must leave early, idle frames fill an idle link.
// Memory: the caller carves frameLen × (MAX_SLOTS + 1) bytes at boot and passes it in.
import { crc16 } from "../util/crc16";
import { storeU16BE, storeU32BE, fillBytes, copyBytes } from "../util/be";
import { OCF_NO_CLCW } from "./clcw";
import { packTmHeader, TM_HEADER_LEN, FHP_NO_PACKET_START, FHP_IDLE_ONLY } from "./tm-header";
import { packAosHeader, packMpduHeader, AOS_HEADER_LEN, MPDU_HEADER_LEN, AOS_IDLE_VCID, AOS_VC_COUNT_MASK } from "./aos-header";
import { packPrimaryHeader, PRIMARY_HEADER_LEN, IDLE_APID, SEQ_UNSEGMENTED } from "../packet/space-packet";
import { OK, E_FRAME_BAD_CONFIG } from "../abi/status";

export const FRAME_TM: i32 = 0;
export const FRAME_AOS: i32 = 1;
export const MAX_SLOTS: i32 = 8;
export const OCF_LEN: i32 = 4;
export const FECF_LEN: i32 = 2;
export const IDLE_FILL: u8 = 0x55;
const MIN_IDLE_PACKET: i32 = PRIMARY_HEADER_LEN + 1;

// Configuration (copied once at configure).
let frameType: i32 = FRAME_TM;
let scid: u32 = 0;
let frameLen: i32 = 0;
let hasFecf: bool = false;
let hasOcf: bool = false;
let zoneOffset: i32 = 0;          // where the packet zone starts in the frame
let zoneLen: i32 = 0;             // packet zone octets per frame
let idleVcid: u32 = 7;
let bufBase: usize = 0;
let slotCount: i32 = 0;
let mcCount: u32 = 0;             // TM master channel frame count
let idleSlot: i32 = -1;
let idleSeqCount: u32 = 0;
let ocfWord: u32 = OCF_NO_CLCW;   // the OCF of every frame closed from now on (framerSetOcf)

// Per-slot state, static.
const slotVcid = memory.data(MAX_SLOTS * 4);
const slotVcCount = memory.data(MAX_SLOTS * 4);
const slotFill = memory.data(MAX_SLOTS * 4);
const slotFhp = memory.data(MAX_SLOTS * 4);
const slotSpillLen = memory.data(MAX_SLOTS * 4);
const slotSpill = memory.data(MAX_SLOTS * 8);
const counters = memory.data(16);  // frames emitted: data, idle; idle packets

@inline function geti(base: usize, slot: i32): i32 { return load<i32>(base + (<usize>slot << 2)); }
@inline function seti(base: usize, slot: i32, v: i32): void { store<i32>(base + (<usize>slot << 2), v); }
@inline function frameOf(slot: i32): usize { return bufBase + <usize>slot * <usize>frameLen; }

/** Octets of frame buffer the caller must carve for framerConfigure. */
export function framerBufferLen(len: i32): i32 { return len * (MAX_SLOTS + 1); }

/**
 * Sets the physical channel up. For AOS, insertZoneLen octets of insert zone follow the
 * header (filled with zeros). initialCount presets every frame counter (to resume after a reboot
 * or to test wrap-around). Returns OK or E_FRAME_BAD_CONFIG.
 */
export function framerConfigure(type: i32, spacecraftId: u32, len: i32, fecf: bool, ocf: bool, insertZoneLen: i32, idleVc: u32, initialCount: u32, buf: usize): i32 {
  if (type != FRAME_TM && type != FRAME_AOS) return E_FRAME_BAD_CONFIG;
  if (buf == 0 || len < 16 || len > 65535 || insertZoneLen < 0) return E_FRAME_BAD_CONFIG;
  if (type == FRAME_TM && (len > 2048 || spacecraftId > 0x3FF || idleVc > 7 || insertZoneLen != 0)) return E_FRAME_BAD_CONFIG; // 132.0-B-3 §4.1.1 frame length, §4.1.2.2.3 SCID 10 bits, §4.1.2.3 VCID 3 bits
  if (type == FRAME_AOS && (spacecraftId > 0xFF || idleVc > 63)) return E_FRAME_BAD_CONFIG;
  frameType = type; scid = spacecraftId; frameLen = len; hasFecf = fecf; hasOcf = ocf;
  zoneOffset = type == FRAME_TM ? TM_HEADER_LEN : AOS_HEADER_LEN + insertZoneLen + MPDU_HEADER_LEN;
  zoneLen = len - zoneOffset - (ocf ? OCF_LEN : 0) - (fecf ? FECF_LEN : 0);
  if (zoneLen < MIN_IDLE_PACKET + 1) return E_FRAME_BAD_CONFIG;
  idleVcid = type == FRAME_AOS ? AOS_IDLE_VCID : idleVc;
  if (type == FRAME_AOS && idleVc != AOS_IDLE_VCID) return E_FRAME_BAD_CONFIG; // 732.0-B-4 §4.1.2.3: idle VC is 63
  bufBase = buf;
  slotCount = 0;
  mcCount = initialCount & 0xFF;
  idleSeqCount = 0;
  ocfWord = OCF_NO_CLCW;
  for (let s = 0; s < MAX_SLOTS; s++) {
    seti(slotVcid, s, -1); seti(slotVcCount, s, <i32>initialCount);
    seti(slotFill, s, 0); seti(slotFhp, s, <i32>FHP_NO_PACKET_START); seti(slotSpillLen, s, 0);
  }
  store<u64>(counters, 0); store<u64>(counters, 0, 8);
  fillBytes(buf, 0, <usize>framerBufferLen(len));
  idleSlot = framerSlotFor(idleVcid);
  return idleSlot < 0 ? E_FRAME_BAD_CONFIG : OK;
}

/** The slot of a virtual channel, registering it on first use; −1 when all slots are taken. */
export function framerSlotFor(vcid: u32): i32 {
  for (let s = 0; s < slotCount; s++) if (geti(slotVcid, s) == <i32>vcid) return s;
  if (slotCount >= MAX_SLOTS) return -1;
  const s = slotCount++;
  seti(slotVcid, s, <i32>vcid);
  return s;
}

export function framerZoneLen(): i32 { return zoneLen; }

/**
 * The word every frame closed from now on carries in its OCF (the latest CLCW of the OBC's FARM-1,
 * checked by clcwCheck); frames without an OCF (profile) are unchanged. framerConfigure resets it
 * to OCF_NO_CLCW.
 */
export function framerSetOcf(word: u32): void { ocfWord = word; }
export function framerOcf(): u32 { return ocfWord; }
export function framerFrameLen(): i32 { return frameLen; }
@inline export function framerIsFull(slot: i32): bool { return geti(slotFill, slot) >= zoneLen; }
@inline export function framerIsEmpty(slot: i32): bool { return geti(slotFill, slot) == 0; }
export function framerDataFrames(): u32 { return load<u32>(counters); }
export function framerIdleFrames(): u32 { return load<u32>(counters, 4); }
export function framerIdlePackets(): u32 { return load<u32>(counters, 8); }

/**
 * Copies up to len octets of packet stream into the slot's frame; packetStart says that src
 * begins a packet (for the first header pointer). Returns octets taken (< len when the frame
 * filled up: close it and put the rest).
 */
export function framerPut(slot: i32, src: usize, len: i32, packetStart: bool): i32 {
  const fill = geti(slotFill, slot);
  let n = zoneLen - fill;
  if (n > len) n = len;
  if (n <= 0) return 0;
  if (packetStart && geti(slotFhp, slot) == <i32>FHP_NO_PACKET_START) seti(slotFhp, slot, fill); // 132.0-B-3 §4.1.2.7.6.3
  copyBytes(frameOf(slot) + <usize>(zoneOffset + fill), src, <usize>n);
  seti(slotFill, slot, fill + n);
  return n;
}

/**
 * Pads the rest of the slot's frame with one idle packet (APID 0x7FF, 133.0-B-2 §4.1.3.3.4.4)
 * so that it can leave now. When fewer octets remain than the smallest packet (7), the idle
 * packet spills into the next frame of the same channel.
 */
export function framerPadIdle(slot: i32): void {
  const fill = geti(slotFill, slot);
  const rest = zoneLen - fill;
  if (rest <= 0) return;
  const pktLen = rest >= MIN_IDLE_PACKET ? rest : MIN_IDLE_PACKET;
  const hdr = memory.data(PRIMARY_HEADER_LEN + 8);
  packPrimaryHeader(hdr, IDLE_APID, false, SEQ_UNSEGMENTED, idleSeqCount, pktLen - PRIMARY_HEADER_LEN);
  idleSeqCount = (idleSeqCount + 1) & 0x3FFF;
  fillBytes(hdr + PRIMARY_HEADER_LEN, IDLE_FILL, 8);
  store<u32>(counters, load<u32>(counters, 8) + 1, 8);
  const zone = frameOf(slot) + <usize>zoneOffset;
  if (geti(slotFhp, slot) == <i32>FHP_NO_PACKET_START) seti(slotFhp, slot, fill);
  if (pktLen == rest) {
    copyBytes(zone + <usize>fill, hdr, <usize>(rest < PRIMARY_HEADER_LEN ? rest : PRIMARY_HEADER_LEN));
    fillBytes(zone + <usize>(fill + PRIMARY_HEADER_LEN), IDLE_FILL, <usize>(rest - PRIMARY_HEADER_LEN));
  } else {
    copyBytes(zone + <usize>fill, hdr, <usize>rest);
    const spill = MIN_IDLE_PACKET - rest;       // 1..6 octets continue in the next frame
    copyBytes(slotSpill + (<usize>slot << 3), hdr + <usize>rest, <usize>spill);
    seti(slotSpillLen, slot, spill);
  }
  seti(slotFill, slot, zoneLen);
}

/**
 * Completes the slot's full frame in place (header, OCF, FECF) and returns its pointer; it
 * stays valid until the next framerPut/framerClose on this slot. The slot starts a new frame.
 */
export function framerClose(slot: i32): usize {
  const f = frameOf(slot);
  const vcid = <u32>geti(slotVcid, slot);
  const vcCount = <u32>geti(slotVcCount, slot);
  const fhp = <u32>geti(slotFhp, slot);
  if (frameType == FRAME_TM) {
    packTmHeader(f, scid, vcid, hasOcf, mcCount, vcCount, fhp);
    mcCount = (mcCount + 1) & 0xFF;                  // 132.0-B-3 §4.1.2.5
    seti(slotVcCount, slot, <i32>((vcCount + 1) & 0xFF));
  } else {
    packAosHeader(f, scid, vcid, vcCount);
    packMpduHeader(f + <usize>(zoneOffset - MPDU_HEADER_LEN), fhp);
    seti(slotVcCount, slot, <i32>((vcCount + 1) & AOS_VC_COUNT_MASK)); // 732.0-B-4 §4.1.2.4
  }
  finishTrailer(f);
  store<u32>(counters, load<u32>(counters) + 1);
  // The next frame of this channel: carry a spilled idle packet tail, if any.
  seti(slotFill, slot, 0);
  seti(slotFhp, slot, <i32>FHP_NO_PACKET_START);
  return f;
}

/**
 * The slot's frame, closed for output, is copied out by the caller before it calls this:
 * starts the next frame with any spilled idle-packet tail.
 */
export function framerCarrySpill(slot: i32): void {
  const spill = geti(slotSpillLen, slot);
  if (spill == 0) return;
  seti(slotSpillLen, slot, 0);
  framerPut(slot, slotSpill + (<usize>slot << 3), spill, false);
}

/** Builds an idle frame (TM: idle VC, FHP 0x7FE; AOS: VCID 63) and returns its pointer. */
export function framerIdleFrame(): usize {
  const f = bufBase + <usize>MAX_SLOTS * <usize>frameLen;
  const vcCount = <u32>geti(slotVcCount, idleSlot);
  if (frameType == FRAME_TM) {
    packTmHeader(f, scid, idleVcid, hasOcf, mcCount, vcCount, FHP_IDLE_ONLY); // §4.1.2.7.6.5
    mcCount = (mcCount + 1) & 0xFF;
    seti(slotVcCount, idleSlot, <i32>((vcCount + 1) & 0xFF));
    fillBytes(f + <usize>TM_HEADER_LEN, IDLE_FILL, <usize>zoneLen);
  } else {
    packAosHeader(f, scid, AOS_IDLE_VCID, vcCount);
    seti(slotVcCount, idleSlot, <i32>((vcCount + 1) & AOS_VC_COUNT_MASK));
    // 732.0-B-4 §4.1.4.1.4: the idle channel's data field is idle data (no M_PDU header).
    fillBytes(f + <usize>AOS_HEADER_LEN, IDLE_FILL, <usize>(zoneOffset - AOS_HEADER_LEN + zoneLen));
  }
  finishTrailer(f);
  store<u32>(counters, load<u32>(counters, 4) + 1, 4);
  return f;
}

function finishTrailer(f: usize): void {
  let end = frameLen;
  if (hasFecf) end -= FECF_LEN;
  if (hasOcf) {
    // 132.0-B-3 §4.1.5 / 732.0-B-4 §4.1.5: the OCF, a CLCW (232.0-B-4 §4.2): the OBC's latest, or
    // OCF_NO_CLCW (version 00, COP-1 in effect, all flags clear) before the first one.
    storeU32BE(f + <usize>(end - OCF_LEN), ocfWord);
  }
  if (hasFecf) storeU16BE(f + <usize>end, crc16(f, <usize>end, 0xFFFF));   // 132.0-B-3 §4.1.6
}
