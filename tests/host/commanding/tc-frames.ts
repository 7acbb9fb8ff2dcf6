// Test inputs for the commanding tests, built from the layouts in the README ("Commanding the
// payload") and the interface notes, not from the flight code: a TC transfer frame (232.0-B-4
// §4.1: 5-octet primary header, data field, FECF) whose data field is an SDLS security header
// (SPI, ARSN), the PUS packets and the MAC (the first 16 octets of HMAC-SHA-256 by node:crypto,
// host/commanding/sdls.ts), in a bus record of type 4. The image authenticates them with the key
// in the flash directory that `commandingFlashDir` provisions.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc16 } from "../../../host/util/crc16.ts";
import { encodeRecord, RecordType } from "../../../host/obc/bus.ts";
import { sdlsMac, keyStore } from "../../../host/commanding/sdls.ts";

/** The mission MAC key of the commanding tests (SPI 1). */
export const TEST_MAC_KEY = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff);
/** ARSNs rise from frame to frame unless a test gives one (a repeated ARSN is a replay). */
let nextArsn = 1;

/** A fresh flash directory holding keys.bin with TEST_MAC_KEY under SPI 1 (the image's "/flash"). */
export function commandingFlashDir(): string {
  const d = mkdtempSync(join(tmpdir(), "tengri-cmd-flash-"));
  writeFileSync(join(d, "keys.bin"), keyStore([{ spi: 1, key: TEST_MAC_KEY }]));
  return d;
}

export interface FrameOptions { scid: number; vcid?: number; seq?: number; spi?: number; arsn?: number; version?: number; ctrl?: boolean; lengthDelta?: number; badFecf?: boolean; badMac?: boolean; key?: Uint8Array }

export function tcFrame(packets: Uint8Array[], o: FrameOptions): Uint8Array {
  const dataLen = packets.reduce((a, p) => a + p.length, 0);
  const len = 5 + 6 + dataLen + 16 + 2;
  const f = new Uint8Array(len);
  const dv = new DataView(f.buffer);
  dv.setUint16(0, ((o.version ?? 0) << 14) | (0 << 13) | ((o.ctrl ? 1 : 0) << 12) | (o.scid & 0x3ff));
  dv.setUint16(2, ((o.vcid ?? 1) << 10) | ((len - 1 + (o.lengthDelta ?? 0)) & 0x3ff));
  f[4] = (o.seq ?? 0) & 0xff;
  dv.setUint16(5, o.spi ?? 1);
  dv.setUint32(7, o.arsn ?? nextArsn++);
  let at = 11;
  for (const p of packets) { f.set(p, at); at += p.length; }
  f.set(sdlsMac(o.key ?? TEST_MAC_KEY, f.subarray(0, 5), f.subarray(5, 11), f.subarray(11, at)), at);
  if (o.badMac) f[at] ^= 1;
  dv.setUint16(len - 2, crc16(f.subarray(0, len - 2)) ^ (o.badFecf ? 1 : 0));
  return f;
}

export function tcRecord(packets: Uint8Array[], o: FrameOptions): Uint8Array {
  return encodeRecord(RecordType.Telecommand, tcFrame(packets, o));
}
