import { framerConfigure, framerBufferLen, framerSlotFor, framerPut, framerIsFull, framerClose, framerCarrySpill, framerPadIdle, framerIdleFrame, framerZoneLen, framerSetOcf, framerOcf, FRAME_TM, FRAME_AOS } from "../../../assembly/frame/framer";
import { clcwCheck, OCF_NO_CLCW } from "../../../assembly/frame/clcw";
import { crc16 } from "../../../assembly/util/crc16";
import { detailField, detailFound } from "../../../assembly/abi/control";
import { packPrimaryHeader, SEQ_UNSEGMENTED } from "../../../assembly/packet/space-packet";
import { OK, E_FRAME_BAD_CONFIG, E_BUS_BAD_CLCW } from "../../../assembly/abi/status";

function carve(len: i32): usize { return heap.alloc(<usize>len); }
function hexAt(p: usize, bytes: u8[]): bool {
  for (let i = 0; i < bytes.length; i++) if (load<u8>(p + <usize>i) != bytes[i]) return false;
  return true;
}

describe("TM transfer frames (golden vectors A and C of shared/vectors)", () => {
  it("[132.0-B-3 §4.1.2] golden A: header, one packet filling the data field, FECF 5A 9C", () => {
    const buf = carve(framerBufferLen(223));
    expect<i32>(framerConfigure(FRAME_TM, 0x0AB, 223, true, false, 0, 7, 0, buf)).toBe(OK);
    expect<i32>(framerZoneLen()).toBe(215);
    const slot = framerSlotFor(1);
    const pkt = carve(215);
    packPrimaryHeader(pkt, 0x010, true, SEQ_UNSEGMENTED, 0, 209);
    for (let i = 0; i < 209; i++) store<u8>(pkt + 6 + <usize>i, <u8>i);
    expect<i32>(framerPut(slot, pkt, 215, true)).toBe(215);
    expect<bool>(framerIsFull(slot)).toBe(true);
    const f = framerClose(slot);
    expect<bool>(hexAt(f, [0x0A, 0xB2, 0x00, 0x00, 0x18, 0x00, 0x08, 0x10, 0xC0, 0x00, 0x00, 0xD0, 0x00, 0x01])).toBe(true);
    expect<u8>(load<u8>(f + 221)).toBe(0x5A);
    expect<u8>(load<u8>(f + 222)).toBe(0x9C);
  });

  it("[132.0-B-3 §4.1.2.7.6.5] golden C: idle frame on VC 7 after frame A, MC count 1, FHP 0x7FE, FECF 5E C9", () => {
    const f = framerIdleFrame();
    expect<bool>(hexAt(f, [0x0A, 0xBE, 0x01, 0x00, 0x1F, 0xFE, 0x55, 0x55])).toBe(true);
    expect<u8>(load<u8>(f + 220)).toBe(0x55);
    expect<u8>(load<u8>(f + 221)).toBe(0x5E);
    expect<u8>(load<u8>(f + 222)).toBe(0xC9);
  });

  it("[132.0-B-3 §4.1.2.7.6.3] first header pointer: packet spanning frames, FHP of the next frame points past the continuation", () => {
    const buf = carve(framerBufferLen(64));
    expect<i32>(framerConfigure(FRAME_TM, 5, 64, true, false, 0, 7, 0, buf)).toBe(OK);
    const zone = framerZoneLen();                  // 64 - 6 - 2 = 56
    expect<i32>(zone).toBe(56);
    const slot = framerSlotFor(2);
    const pkt = carve(100);
    packPrimaryHeader(pkt, 0x20, false, SEQ_UNSEGMENTED, 0, 64);   // 70 octets
    expect<i32>(framerPut(slot, pkt, 70, true)).toBe(56);
    let f = framerClose(slot);
    expect<u32>((<u32>load<u8>(f + 4) << 8 | load<u8>(f + 5)) & 0x7FF).toBe(0);
    expect<i32>(framerPut(slot, pkt + 56, 14, false)).toBe(14);
    expect<i32>(framerPut(slot, pkt, 70, true)).toBe(42);
    f = framerClose(slot);
    expect<u32>((<u32>load<u8>(f + 4) << 8 | load<u8>(f + 5)) & 0x7FF).toBe(14);
    // A frame that only continues a packet: FHP 0x7FF (§4.1.2.7.6.4).
    framerPut(slot, pkt, 56, false);
    f = framerClose(slot);
    expect<u32>((<u32>load<u8>(f + 4) << 8 | load<u8>(f + 5)) & 0x7FF).toBe(0x7FF);
  });

  it("[132.0-B-3 §4.1.2.5] master and virtual channel frame counters wrap at 256", () => {
    const buf = carve(framerBufferLen(64));
    framerConfigure(FRAME_TM, 5, 64, false, false, 0, 7, 254, buf);
    const slot = framerSlotFor(3);
    const pkt = carve(64);
    for (let i = 0; i < 4; i++) {
      framerPadIdle(slot);
      const f = framerClose(slot);
      framerCarrySpill(slot);
      expect<u8>(load<u8>(f + 2)).toBe(<u8>(254 + i));
      expect<u8>(load<u8>(f + 3)).toBe(<u8>(254 + i));
    }
  });

  it("[133.0-B-2 §4.1.3.3.4.4] padding with an idle packet shorter than 7 octets spills into the next frame", () => {
    const buf = carve(framerBufferLen(64));
    framerConfigure(FRAME_TM, 5, 64, false, false, 0, 7, 0, buf);
    const slot = framerSlotFor(1);
    const pkt = carve(64);
    packPrimaryHeader(pkt, 0x20, false, SEQ_UNSEGMENTED, 0, 52);   // 58 of 58 - 3
    framerPut(slot, pkt, 55, true);                  // 3 octets left in a 58-octet zone
    framerPadIdle(slot);
    let f = framerClose(slot);
    expect<u8>(load<u8>(f + 6 + 55)).toBe(0x07);     // idle packet header starts: APID 0x7FF
    expect<u8>(load<u8>(f + 6 + 56)).toBe(0xFF);
    framerCarrySpill(slot);
    // The next frame starts with the 4 spilled octets; the next packet's FHP is 4.
    framerPut(slot, pkt, 10, true);
    framerPadIdle(slot);
    f = framerClose(slot);
    expect<u32>((<u32>load<u8>(f + 4) << 8 | load<u8>(f + 5)) & 0x7FF).toBe(4);
  });

  it("[132.0-B-3 §4.1.1] configuration limits: TM frame over 2048 octets, SCID over 10 bits, VCID over 3 bits refused", () => {
    const buf = carve(framerBufferLen(64));
    expect<i32>(framerConfigure(FRAME_TM, 5, 2049, true, false, 0, 7, 0, buf)).toBe(E_FRAME_BAD_CONFIG);
    expect<i32>(framerConfigure(FRAME_TM, 0x400, 64, true, false, 0, 7, 0, buf)).toBe(E_FRAME_BAD_CONFIG);
    expect<i32>(framerConfigure(FRAME_TM, 5, 64, true, false, 0, 8, 0, buf)).toBe(E_FRAME_BAD_CONFIG);
    expect<i32>(framerConfigure(9, 5, 64, true, false, 0, 7, 0, buf)).toBe(E_FRAME_BAD_CONFIG);
  });

  it("[132.0-B-3 §4.1.5] OCF: flag set in the header and a CLCW before the FECF", () => {
    const buf = carve(framerBufferLen(64));
    framerConfigure(FRAME_TM, 5, 64, true, true, 0, 7, 0, buf);
    expect<i32>(framerZoneLen()).toBe(64 - 6 - 4 - 2);
    const f = framerIdleFrame();
    expect<u8>(load<u8>(f + 1) & 1).toBe(1);
    expect<u8>(load<u8>(f + 58)).toBe(0x01);
  });
});

describe("AOS transfer frames (golden vector B)", () => {
  it("[732.0-B-4 §4.1.2] golden B: SCID 157, VCID 16, VC count 1, M_PDU FHP 0, one idle packet of 884 octets", () => {
    const buf = carve(framerBufferLen(892));
    expect<i32>(framerConfigure(FRAME_AOS, 157, 892, false, false, 0, 63, 1, buf)).toBe(OK);
    const slot = framerSlotFor(16);
    framerPadIdle(slot);
    const f = framerClose(slot);
    expect<bool>(hexAt(f, [0x67, 0x50, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x07, 0xFF, 0xC0, 0x00, 0x03, 0x6D, 0x55])).toBe(true);
    expect<u8>(load<u8>(f + 891)).toBe(0x55);
  });

  it("[732.0-B-4 §4.1.2.4] the 24-bit virtual channel frame count wraps to 0", () => {
    const buf = carve(framerBufferLen(892));
    framerConfigure(FRAME_AOS, 157, 892, false, false, 0, 63, 0xFFFFFF, buf);
    const slot = framerSlotFor(16);
    framerPadIdle(slot);
    let f = framerClose(slot);
    expect<bool>(hexAt(f + 2, [0xFF, 0xFF, 0xFF])).toBe(true);
    framerPadIdle(slot);
    f = framerClose(slot);
    expect<bool>(hexAt(f + 2, [0x00, 0x00, 0x00])).toBe(true);
  });

  it("[732.0-B-4 §4.1.2.3] idle frames use VCID 63 and a TM-style idle VCID is refused for AOS", () => {
    const buf = carve(framerBufferLen(892));
    expect<i32>(framerConfigure(FRAME_AOS, 157, 892, false, false, 0, 7, 0, buf)).toBe(E_FRAME_BAD_CONFIG);
    framerConfigure(FRAME_AOS, 157, 892, false, false, 0, 63, 0, buf);
    const f = framerIdleFrame();
    expect<u8>(load<u8>(f + 1) & 0x3F).toBe(63);
  });
});

function ocfAt(f: usize, at: i32): u32 {
  return (<u32>load<u8>(f + <usize>at) << 24) | (<u32>load<u8>(f + <usize>at + 1) << 16) | (<u32>load<u8>(f + <usize>at + 2) << 8) | <u32>load<u8>(f + <usize>at + 3);
}
function fecfOk(f: usize, len: i32): bool {
  return crc16(f, <usize>(len - 2), 0xFFFF) == ((<u32>load<u8>(f + <usize>(len - 2)) << 8) | <u32>load<u8>(f + <usize>(len - 1)));
}

// A CLCW of dariol83/ccsds's ClcwBuilderTest (COP-1, VCID 0, no RF, lockout, FARM-B 3, report value
// 137: 01 00 A6 89) and one of the payload's FARM-1 (VCID 1, retransmit, V(R) 5: 01 04 08 05).
const CLCW_DARIO: u32 = 0x0100A689;
const CLCW_FARM: u32 = 0x01040805;

describe("the CLCW in the OCF (232.0-B-4 §4.2, bus record type 5)", () => {
  it("[tengri §clcw] [232.0-B-4 §4.2.1.2] [232.0-B-4 §4.2.1.3] clcwCheck: a version-0 type-0 word is a CLCW; control word type 1 and versions 1..3 are refused naming the field and the word", () => {
    expect<i32>(clcwCheck(CLCW_DARIO)).toBe(OK);
    expect<i32>(clcwCheck(CLCW_FARM)).toBe(OK);
    expect<i32>(clcwCheck(OCF_NO_CLCW)).toBe(OK);
    expect<i32>(clcwCheck(0x00000000)).toBe(OK);
    expect<i32>(clcwCheck(0x7FFFFFFF & ~0x60000000)).toBe(OK);      // every other bit set: still a CLCW
    expect<i32>(clcwCheck(0x80000000 | CLCW_FARM)).toBe(E_BUS_BAD_CLCW);
    expect<i32>(detailField()).toBe(0);
    expect<i32>(detailFound()).toBe(<i32>(0x80000000 | CLCW_FARM));
    for (let v: u32 = 1; v < 4; v++) {
      expect<i32>(clcwCheck((v << 29) | CLCW_FARM)).toBe(E_BUS_BAD_CLCW);
      expect<i32>(detailField()).toBe(1);
    }
  });

  it("[tengri §clcw] [132.0-B-3 §4.1.5] TM: before any CLCW the OCF is 01 00 00 00 (the value of every earlier build); after framerSetOcf every data and idle frame carries the CLCW, the header's OCF flag set and the FECF over it; a new configuration starts again from 01 00 00 00", () => {
    const buf = carve(framerBufferLen(64));
    expect<i32>(framerConfigure(FRAME_TM, 5, 64, true, true, 0, 7, 0, buf)).toBe(OK);
    expect<u32>(framerOcf()).toBe(0x01000000);
    const slot = framerSlotFor(1);
    framerPadIdle(slot);
    let f = framerClose(slot);
    framerCarrySpill(slot);
    expect<u32>(ocfAt(f, 58)).toBe(0x01000000);
    framerSetOcf(CLCW_FARM);
    for (let i = 0; i < 3; i++) {
      framerPadIdle(slot);
      f = framerClose(slot);
      framerCarrySpill(slot);
      expect<u8>(load<u8>(f + 1) & 1).toBe(1);                  // §4.1.2.4: OCF flag
      expect<u32>(ocfAt(f, 58)).toBe(CLCW_FARM);
      expect<bool>(fecfOk(f, 64)).toBe(true);
    }
    f = framerIdleFrame();
    expect<u32>(ocfAt(f, 58)).toBe(CLCW_FARM);
    expect<bool>(fecfOk(f, 64)).toBe(true);
    framerSetOcf(CLCW_DARIO);
    f = framerIdleFrame();
    expect<bool>(hexAt(f + 58, [0x01, 0x00, 0xA6, 0x89])).toBe(true);
    framerConfigure(FRAME_TM, 5, 64, true, true, 0, 7, 0, buf);
    f = framerIdleFrame();
    expect<u32>(ocfAt(f, 58)).toBe(OCF_NO_CLCW);
  });

  it("[tengri §clcw] [732.0-B-4 §4.1.5] AOS (no OCF flag in the header: the OCF is a property of the physical channel): the CLCW sits before the FECF of data frames and of the idle channel's frames", () => {
    const buf = carve(framerBufferLen(128));
    expect<i32>(framerConfigure(FRAME_AOS, 157, 128, true, true, 0, 63, 0, buf)).toBe(OK);
    expect<i32>(framerZoneLen()).toBe(128 - 6 - 2 - 4 - 2);
    const slot = framerSlotFor(16);
    framerPadIdle(slot);
    let f = framerClose(slot);
    framerCarrySpill(slot);
    expect<u32>(ocfAt(f, 122)).toBe(0x01000000);
    framerSetOcf(CLCW_DARIO);
    framerPadIdle(slot);
    f = framerClose(slot);
    expect<bool>(hexAt(f, [0x67, 0x50])).toBe(true);               // SCID 157, VCID 16: the header has no OCF flag to set
    expect<u32>(ocfAt(f, 122)).toBe(CLCW_DARIO);
    expect<bool>(fecfOk(f, 128)).toBe(true);
    f = framerIdleFrame();
    expect<u8>(load<u8>(f + 1) & 0x3F).toBe(63);
    expect<u32>(ocfAt(f, 122)).toBe(CLCW_DARIO);
    expect<bool>(fecfOk(f, 128)).toBe(true);
  });

  it("[tengri §clcw] [132.0-B-3 §4.1.2] [732.0-B-4 §4.1.2] golden A, B and C are byte-identical after a CLCW arrives: their profiles have no OCF", () => {
    let buf = carve(framerBufferLen(223));
    framerConfigure(FRAME_TM, 0x0AB, 223, true, false, 0, 7, 0, buf);
    framerSetOcf(CLCW_FARM);
    const slot = framerSlotFor(1);
    const pkt = carve(215);
    packPrimaryHeader(pkt, 0x010, true, SEQ_UNSEGMENTED, 0, 209);
    for (let i = 0; i < 209; i++) store<u8>(pkt + 6 + <usize>i, <u8>i);
    framerPut(slot, pkt, 215, true);
    let f = framerClose(slot);
    expect<bool>(hexAt(f, [0x0A, 0xB2, 0x00, 0x00, 0x18, 0x00, 0x08, 0x10, 0xC0, 0x00, 0x00, 0xD0, 0x00, 0x01])).toBe(true);
    expect<u8>(load<u8>(f + 220)).toBe(0xD0);                      // the packet's last octet, not an OCF
    expect<bool>(hexAt(f + 221, [0x5A, 0x9C])).toBe(true);
    f = framerIdleFrame();
    expect<bool>(hexAt(f, [0x0A, 0xBE, 0x01, 0x00, 0x1F, 0xFE, 0x55, 0x55])).toBe(true);
    expect<u8>(load<u8>(f + 220)).toBe(0x55);
    expect<bool>(hexAt(f + 221, [0x5E, 0xC9])).toBe(true);
    buf = carve(framerBufferLen(892));
    framerConfigure(FRAME_AOS, 157, 892, false, false, 0, 63, 1, buf);
    framerSetOcf(CLCW_DARIO);
    const s16 = framerSlotFor(16);
    framerPadIdle(s16);
    f = framerClose(s16);
    expect<bool>(hexAt(f, [0x67, 0x50, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x07, 0xFF, 0xC0, 0x00, 0x03, 0x6D, 0x55])).toBe(true);
    expect<bool>(hexAt(f + 888, [0x55, 0x55, 0x55, 0x55])).toBe(true);
  });
});
