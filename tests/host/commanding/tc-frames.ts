// Test inputs for the commanding tests, built from the layouts in the README ("Commanding the
// payload") and the interface notes, not from the flight code: a TC transfer frame (232.0-B-4
// §4.1: 5-octet primary header, data field, FECF) whose data field is an SDLS security header
// (SPI, any ARSN), the PUS packets and 16 zero octets of MAC, in a bus record of type 4.
import { crc16 } from "../../../host/util/crc16.ts";
import { encodeRecord, RecordType } from "../../../host/obc/bus.ts";

export interface FrameOptions { scid: number; vcid?: number; seq?: number; spi?: number; arsn?: number; version?: number; ctrl?: boolean; lengthDelta?: number; badFecf?: boolean }

export function tcFrame(packets: Uint8Array[], o: FrameOptions): Uint8Array {
  const dataLen = packets.reduce((a, p) => a + p.length, 0);
  const len = 5 + 6 + dataLen + 16 + 2;
  const f = new Uint8Array(len);
  const dv = new DataView(f.buffer);
  dv.setUint16(0, ((o.version ?? 0) << 14) | (0 << 13) | ((o.ctrl ? 1 : 0) << 12) | (o.scid & 0x3ff));
  dv.setUint16(2, ((o.vcid ?? 1) << 10) | ((len - 1 + (o.lengthDelta ?? 0)) & 0x3ff));
  f[4] = (o.seq ?? 0) & 0xff;
  dv.setUint16(5, o.spi ?? 1);
  dv.setUint32(7, o.arsn ?? 1);
  let at = 11;
  for (const p of packets) { f.set(p, at); at += p.length; }
  // 16 zero octets of MAC at [at, at + 16): the flight image's placeholder does not verify it.
  dv.setUint16(len - 2, crc16(f.subarray(0, len - 2)) ^ (o.badFecf ? 1 : 0));
  return f;
}

export function tcRecord(packets: Uint8Array[], o: FrameOptions): Uint8Array {
  return encodeRecord(RecordType.Telecommand, tcFrame(packets, o));
}
