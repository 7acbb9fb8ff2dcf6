// The library build's framing layer (assembly/lib/frame.ts, used by the host and the benchmarks).
import { frameBufferLen, frameConfigure, frameSlot, framePut, frameIsFull, frameClose, frameCarrySpill, frameZoneLen, frameChainRun } from "../../../assembly/lib/frame";
import { FRAME_TM } from "../../../assembly/frame/framer";
import { OK } from "../../../assembly/abi/status";

describe("lib frame layer", () => {
  it("[132.0-B-3 §4.1.4] TM, 223 octets with FECF: a 215-octet data field; filling it makes the frame full; the spill carries on", () => {
    const buf = heap.alloc(frameBufferLen(223));
    expect<i32>(frameConfigure(FRAME_TM, 0x0AB, 223, true, false, 0, 7, 0, buf)).toBe(OK);
    expect<i32>(frameZoneLen()).toBe(215);
    const slot = frameSlot(1);
    const pkt = heap.alloc(300);
    expect<i32>(framePut(slot, pkt, 200, true)).toBe(200);
    expect<bool>(frameIsFull(slot)).toBe(false);
    expect<i32>(framePut(slot, pkt, 15, false)).toBe(15);
    expect<bool>(frameIsFull(slot)).toBe(true);
    expect<bool>(frameClose(slot) != 0).toBe(true);
    frameCarrySpill(slot);
    expect<bool>(frameIsFull(slot)).toBe(false);
  });

  it("[131.0-B-5 §4.3] the framing chain: 10 packets of 100 octets fill 4 frames of 215 data octets → 4 CADUs of 259 octets, the output wrapping", () => {
    const buf = heap.alloc(frameBufferLen(223));
    expect<i32>(frameConfigure(FRAME_TM, 0x0AB, 223, true, false, 0, 7, 0, buf)).toBe(OK);
    const pkt = heap.alloc(100);
    const out = heap.alloc(2 * 259);
    expect<i32>(frameChainRun(pkt, 100, 10, 223, 1, 16, true, out, 2 * 259)).toBe(4);
    expect<u32>(load<u32>(out)).toBe(bswap<u32>(0x1ACFFC1D));    // the attached sync marker
  });
});
