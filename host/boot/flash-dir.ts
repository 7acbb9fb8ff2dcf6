// The emulated payload flash: a host directory (host/boot/README.md gives the layout), handed to
// the flight image as the WASI preopen /flash, and the boot state the bootloader keeps in it.
//
// boot.bin: two copies of one 16-octet record, copy A at 0, copy B at 16, big-endian:
//   0 "TGBT"   4 u8 format = 1   5 u8 active slot (0 = a, 1 = b)   6 u8 trial slot (0xFF none)
//   7 u8 trial boots so far      8 u32 highest confirmed version    12 u16 CRC-16/CCITT-FALSE of 0..11
//   14 u16 reserved (0)
// Written copy A first, then copy B, each with an fsync. The reader takes copy A when its CRC
// holds, else copy B: a power loss while A is written leaves B (the old state) valid; one
// while B is written leaves A (the new state) valid; between the two, A (new) wins. Either
// way a valid state survives, and the next write repairs the other copy. Both lost: the
// bootloader rebuilds the state from the slots (bootloader.ts).
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { crc16 } from "../util/crc16.ts";

export const FLASH_FILES = {
  slotA: "slot-a.img", slotB: "slot-b.img", boot: "boot.bin", rom: "bootrom.key", keys: "keys.bin",
  sdls: "sdls-state.bin", upload: "upload.img", confirm: "confirm", bootRequest: "boot-request",
} as const;

export type Slot = 0 | 1;
export const NO_TRIAL = 0xff;
export const slotName = (s: Slot) => (s === 0 ? "a" : "b");
export const slotFile = (s: Slot) => (s === 0 ? FLASH_FILES.slotA : FLASH_FILES.slotB);
export const otherSlot = (s: Slot): Slot => (s === 0 ? 1 : 0);

export interface BootState { active: Slot; trial: Slot | typeof NO_TRIAL; trialBoots: number; highestConfirmed: number }

const MAGIC = [0x54, 0x47, 0x42, 0x54];
export const BOOT_RECORD_LEN = 16;
export const BOOT_FORMAT = 1;

export function encodeBootRecord(s: BootState): Uint8Array {
  const b = new Uint8Array(BOOT_RECORD_LEN);
  const dv = new DataView(b.buffer);
  b.set(MAGIC, 0);
  b[4] = BOOT_FORMAT; b[5] = s.active; b[6] = s.trial; b[7] = s.trialBoots;
  dv.setUint32(8, s.highestConfirmed);
  dv.setUint16(12, crc16(b.subarray(0, 12)));
  return b;
}

/** One copy, or null when it is short, of another magic or format, out of range or fails its CRC. */
export function decodeBootRecord(b: Uint8Array): BootState | null {
  if (b.length < 14) return null;
  for (let i = 0; i < 4; i++) if (b[i] !== MAGIC[i]) return null;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (dv.getUint16(12) !== crc16(b.subarray(0, 12))) return null;
  if (b[4] !== BOOT_FORMAT || b[5] > 1 || (b[6] > 1 && b[6] !== NO_TRIAL) || b[6] === b[5]) return null;
  return { active: b[5] as Slot, trial: b[6] as Slot | typeof NO_TRIAL, trialBoots: b[7], highestConfirmed: dv.getUint32(8) };
}

/** Which copy was used: "a", "b", or null when neither holds. */
export function readBootState(dir: string): { state: BootState | null; copy: "a" | "b" | null; bothValid: boolean } {
  let b: Uint8Array;
  try { b = readFileSync(join(dir, FLASH_FILES.boot)); } catch { return { state: null, copy: null, bothValid: false }; }
  const a = decodeBootRecord(b.subarray(0, BOOT_RECORD_LEN));
  const bb = decodeBootRecord(b.subarray(BOOT_RECORD_LEN, 2 * BOOT_RECORD_LEN));
  const same = a !== null && bb !== null && JSON.stringify(a) === JSON.stringify(bb);
  if (a) return { state: a, copy: "a", bothValid: same };
  if (bb) return { state: bb, copy: "b", bothValid: false };
  return { state: null, copy: null, bothValid: false };
}

/** Thrown by a FlashWriter whose power budget ran out: the write stopped part-way (fault tests). */
export class PowerLoss extends Error {
  constructor(readonly file: string) { super(`power lost while writing ${file}`); this.name = "PowerLoss"; }
}

/**
 * Every write the bootloader makes to flash, in order, with an optional power budget: after
 * `budget` octets the write in progress stops where it is (the octets before the cut reach the
 * file) and PowerLoss is thrown. Renames are atomic (a directory entry), as on a flash file system.
 */
export class FlashWriter {
  written = 0;
  constructor(readonly dir: string, private budget = Infinity) {}
  private put(fd: number, bytes: Uint8Array, pos: number, name: string): void {
    const left = this.budget - this.written;
    const n = Math.max(0, Math.min(bytes.length, left));
    if (n) writeSync(fd, bytes, 0, n, pos);
    this.written += n;
    fsyncSync(fd);
    if (n < bytes.length) throw new PowerLoss(name);
  }
  /** Writes `bytes` at `offset` in place (the file is created when missing). */
  writeAt(name: string, offset: number, bytes: Uint8Array): void {
    const path = join(this.dir, name);
    const fd = openSync(path, existsSync(path) ? "r+" : "w+");
    try { this.put(fd, bytes, offset, name); } finally { closeSync(fd); }
  }
  /** Replaces a file whole: written to NAME.new, then renamed over NAME. */
  replace(name: string, bytes: Uint8Array): void {
    const tmp = join(this.dir, name + ".new");
    const fd = openSync(tmp, "w");
    try { this.put(fd, bytes, 0, name + ".new"); } finally { closeSync(fd); }
    renameSync(tmp, join(this.dir, name));
    this.syncDir();
  }
  remove(name: string): void {
    try { unlinkSync(join(this.dir, name)); } catch { /* already gone */ }
    this.syncDir();
  }
  private syncDir(): void {
    try { const fd = openSync(this.dir, "r"); try { fsyncSync(fd); } finally { closeSync(fd); } } catch { /* not supported */ }
  }
  /** boot.bin: copy A, then copy B. */
  writeBootState(s: BootState): void {
    const r = encodeBootRecord(s);
    this.writeAt(FLASH_FILES.boot, 0, r);
    this.writeAt(FLASH_FILES.boot, BOOT_RECORD_LEN, r);
  }
}

/** keys.bin: one record per key, SPI (u16) ‖ key length (u8) ‖ key (cmd-interfaces.md §SDLS). */
export function encodeKeyStore(keys: { spi: number; key: Uint8Array }[]): Uint8Array {
  const out: number[] = [];
  for (const k of keys) {
    if (!Number.isInteger(k.spi) || k.spi < 0 || k.spi > 0xffff) throw new RangeError(`SPI must be in 0..65535, got ${k.spi}`);
    if (k.key.length < 1 || k.key.length > 255) throw new RangeError(`a key is 1..255 octets, got ${k.key.length}`);
    out.push(k.spi >> 8, k.spi & 0xff, k.key.length, ...k.key);
  }
  return Uint8Array.from(out);
}
