// Library ABI of the packetizer and framer (packet/, frame/) for host tests and benches.
import { framerConfigure, framerBufferLen, framerSlotFor, framerPut, framerIsFull, framerClose, framerCarrySpill, framerPadIdle, framerIdleFrame, framerZoneLen } from "../frame/framer";
import { packPrimaryHeader } from "../packet/space-packet";
import { caduEncode } from "../sync/cadu";

export function frameBufferLen(frameLen: i32): i32 { return framerBufferLen(frameLen); }
export function frameConfigure(type: i32, scid: u32, len: i32, fecf: bool, ocf: bool, insertZoneLen: i32, idleVcid: u32, initialCount: u32, buf: usize): i32 {
  return framerConfigure(type, scid, len, fecf, ocf, insertZoneLen, idleVcid, initialCount, buf);
}
export function frameSlot(vcid: u32): i32 { return framerSlotFor(vcid); }
export function framePut(slot: i32, src: usize, len: i32, packetStart: bool): i32 { return framerPut(slot, src, len, packetStart); }
export function frameIsFull(slot: i32): bool { return framerIsFull(slot); }
export function frameClose(slot: i32): usize { return framerClose(slot); }
export function frameCarrySpill(slot: i32): void { framerCarrySpill(slot); }
export function framePadIdle(slot: i32): void { framerPadIdle(slot); }
export function frameIdle(): usize { return framerIdleFrame(); }
export function frameZoneLen(): i32 { return framerZoneLen(); }
export function packetHeader(ptr: usize, apid: u32, secHdr: bool, seqFlags: u32, seqCount: u32, dataLen: i32): void {
  packPrimaryHeader(ptr, apid, secHdr, seqFlags, seqCount, dataLen);
}

/**
 * The flight framing chain for benchmarks: packets of pktLen octets (APID 0x100) through the
 * framer and the CADU coder, n packets; returns CADUs written to out (wrapping in outCap).
 */
export function frameChainRun(pkt: usize, pktLen: i32, n: i32, frameLen: i32, depth: i32, e: i32, randomizerOn: bool, out: usize, outCap: i32): i32 {
  const slot = framerSlotFor(1);
  let o = 0, cadus = 0;
  for (let i = 0; i < n; i++) {
    packPrimaryHeader(pkt, 0x100, true, 3, <u32>i & 0x3FFF, pktLen - 6);
    let p = pkt, rest = pktLen, start = true;
    while (rest > 0) {
      const k = framerPut(slot, p, rest, start);
      p += <usize>k; rest -= k; start = false;
      if (framerIsFull(slot)) {
        const c = caduEncode(framerClose(slot), frameLen, depth, e, randomizerOn, out + <usize>o);
        framerCarrySpill(slot);
        o += c; cadus++;
        if (o + c > outCap) o = 0;
      }
    }
  }
  return cadus;
}
