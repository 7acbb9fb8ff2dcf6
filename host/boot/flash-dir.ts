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
  bootRecord: "boot-record.bin",
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

// boot-record.bin: the bootloader's decision handed to the image it boots (host/boot/README.md
// "boot-record.bin"). One 24-octet record, big-endian, rewritten at every boot and after every
// exit of the image that confirmed it or asked for an update:
//   0 "TGBR"  4 u8 format = 1  5 u8 slot booted (0 a, 1 b)  6 u8 on trial (0/1)
//   7 u8 trial attempt (1..max on trial, 0 not)  8 u8 trial max (1..255)
//   9 u8 outcome of the previous boot (BOOT_OUTCOMES)  10 u8 its detail
//   11 u8 outcome of this boot so far (0 while it runs)  12 u32 image version  16 u32 boot count
//   20 u8 detail of this boot's outcome  21 u8 reserved (0)  22 u16 CRC-16/CCITT-FALSE of 0..21
/** The contract's housekeeping bootOutcome codes (host/contract/contract.json), by name. */
export const BOOT_OUTCOMES = {
  normal: 0, confirmed: 1, "trial-failed": 2, "fell-back": 3, "trial-invalid": 4, recovery: 5, "upload-accepted": 6,
  "rejected-signature": 7, "rejected-digest": 8, "rejected-profile": 9, "rejected-rollback": 10, "rejected-other": 11, "state-rebuilt": 12,
} as const;
export type BootOutcome = keyof typeof BOOT_OUTCOMES;
export const BOOT_OUTCOME_MAX = 12;
/** Detail codes of a refusal or an invalid image (the bootloader's reason strings). */
export const BOOT_REASONS = ["", "missing", "container", "unsigned", "key", "signature", "profile", "rollback", "request", "state", "trial-pending", "upload-missing", "upload-digest", "slot-write"] as const;
export const reasonCode = (r: string | undefined): number => Math.max(0, BOOT_REASONS.indexOf((r ?? "") as never));

export interface BootRecord {
  slot: Slot; onTrial: boolean; trialAttempt: number; trialMax: number;
  prevOutcome: BootOutcome; prevDetail: number;
  outcome: BootOutcome; detail: number;
  version: number; bootCount: number;
}
const RECORD_MAGIC = [0x54, 0x47, 0x42, 0x52];   // "TGBR"
export const BOOT_RECORD_FILE_LEN = 24;
export const BOOT_RECORD_FORMAT = 1;
const outcomeName = (c: number): BootOutcome | null => (Object.entries(BOOT_OUTCOMES).find(([, v]) => v === c)?.[0] as BootOutcome) ?? null;

export function encodeBootRecordFile(r: BootRecord): Uint8Array {
  const b = new Uint8Array(BOOT_RECORD_FILE_LEN);
  const dv = new DataView(b.buffer);
  b.set(RECORD_MAGIC, 0);
  b[4] = BOOT_RECORD_FORMAT; b[5] = r.slot; b[6] = r.onTrial ? 1 : 0; b[7] = r.trialAttempt; b[8] = r.trialMax;
  b[9] = BOOT_OUTCOMES[r.prevOutcome]; b[10] = r.prevDetail; b[11] = BOOT_OUTCOMES[r.outcome];
  dv.setUint32(12, r.version >>> 0); dv.setUint32(16, r.bootCount >>> 0);
  b[20] = r.detail;
  dv.setUint16(22, crc16(b.subarray(0, 22)));
  return b;
}

/** The record, or null with the check that failed (the image's checks: assembly/command/boot-record.ts). */
export function decodeBootRecordFile(b: Uint8Array): { record: BootRecord; error?: undefined } | { record: null; error: string } {
  if (b.length < BOOT_RECORD_FILE_LEN) return { record: null, error: `${b.length} octets, not ${BOOT_RECORD_FILE_LEN}` };
  for (let i = 0; i < 4; i++) if (b[i] !== RECORD_MAGIC[i]) return { record: null, error: "magic is not TGBR" };
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (dv.getUint16(22) !== crc16(b.subarray(0, 22))) return { record: null, error: "CRC fails" };
  if (b[4] !== BOOT_RECORD_FORMAT) return { record: null, error: `format ${b[4]} is not known (${BOOT_RECORD_FORMAT})` };
  if (b[5] > 1) return { record: null, error: `slot ${b[5]} out of range (0..1)` };
  if (b[6] > 1) return { record: null, error: `on-trial flag ${b[6]} out of range (0..1)` };
  if (b[8] < 1) return { record: null, error: "trial max 0" };
  if (b[6] === 1 ? b[7] < 1 || b[7] > b[8] : b[7] !== 0) return { record: null, error: `trial attempt ${b[7]} of ${b[8]} (on trial ${b[6]})` };
  const prev = outcomeName(b[9]), cur = outcomeName(b[11]);
  if (!prev || !cur) return { record: null, error: `outcome ${prev ? b[11] : b[9]} is not known` };
  return { record: { slot: b[5] as Slot, onTrial: b[6] === 1, trialAttempt: b[7], trialMax: b[8], prevOutcome: prev, prevDetail: b[10], outcome: cur, detail: b[20], version: dv.getUint32(12), bootCount: dv.getUint32(16) } };
}

export function readBootRecord(dir: string): ReturnType<typeof decodeBootRecordFile> {
  let b: Uint8Array;
  try { b = readFileSync(join(dir, FLASH_FILES.bootRecord)); } catch { return { record: null, error: "absent" }; }
  return decodeBootRecordFile(b);
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
