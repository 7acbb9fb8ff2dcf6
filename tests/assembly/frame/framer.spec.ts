import { framerConfigure, framerBufferLen, framerSlotFor, framerPut, framerIsFull, framerClose, framerCarrySpill, framerPadIdle, framerIdleFrame, framerZoneLen, FRAME_TM, FRAME_AOS } from "../../../assembly/frame/framer";
import { packPrimaryHeader, SEQ_UNSEGMENTED } from "../../../assembly/packet/space-packet";
import { OK, E_FRAME_BAD_CONFIG } from "../../../assembly/abi/status";

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
