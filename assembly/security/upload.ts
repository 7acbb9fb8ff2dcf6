// In-flight software upload into the flash directory, and the image's side of the trial boot
// (README "Authenticated commands", "Upload"). Only upload.img, boot-request and confirm are ever
// written; the slots and boot.bin only read.
//
// Rules (each refusal counted in housekeeping uploadRejected, status in the control block):
// - uploadStart(total): 1 ≤ total ≤ the slot limit (uploadSetSlotLimit; default UPLOAD_SLOT_MAX).
//   upload.img is created or emptied; an upload already open is abandoned (a new start restarts).
// - uploadSegment(offset, ptr, len): 1 ≤ len ≤ UPLOAD_SEGMENT_MAX, segments strictly in order and
//   contiguous: offset must equal the octets written so far (a repeat, an overlap, a gap or an
//   out-of-order segment is refused with E_UPL_ORDER and changes nothing; the ground resends from
//   the next expected offset, which the control block's `expected` gives), offset + len ≤ total.
// - uploadEnd(sha): every declared octet written, then upload.img is read back from flash in
//   chunks and its SHA-256 compared with the declared one: only then is the upload complete.
//   A mismatch closes the upload (a new start is needed).
// - requestTrialBoot(): only after a complete upload: writes boot-request (the declared SHA-256);
//   the caller then exits with EXIT_REBOOT (72) for the bootloader.
// - trialBoot(): boot.bin says a trial slot is set (the image runs on trial).
// - confirmSelf(): only on trial: writes confirm (the SHA-256 of the running slot's wasm).
// - imageDigest(out): SHA-256 of the running slot's wasm, read from its TGRIMG container in flash.
//
// boot.bin (owned by the bootloader; read here): magic "TGBT" (4) ‖ u8 format = 1 ‖ u8 active slot
// (0 = a, 1 = b) ‖ u8 trial slot (0xFF none) ‖ u8 trial boots so far ‖ u32 highest confirmed
// version ‖ CRC-16/CCITT-FALSE (2) over the 12 octets before it; big-endian.
import { OK, E_NULL, E_BAD_LENGTH, E_UPL_STATE, E_UPL_BOUNDS, E_UPL_ORDER, E_UPL_DIGEST, E_BOOT_STATE } from "../abi/status";
import { HKC_UPLOAD_REJECTED } from "../abi/contract";
import { setDetail } from "../abi/control";
import { hkInc } from "../payload/housekeeping";
import { crc16 } from "../util/crc16";
import { loadU16BE, loadU32BE } from "../util/be";
import { sha256Init, sha256Update, sha256Final, SHA256_CTX_LEN, SHA256_LEN } from "./sha256";
import { flashOpen, flashRead, flashWrite, flashClose, flashReadFile, flashWriteFile,
  FILE_UPLOAD, FILE_BOOT, FILE_CONFIRM, FILE_BOOT_REQUEST, FILE_SLOT_A, FILE_SLOT_B } from "./flash";

/** Default slot size: the largest image an upload may carry (octets of the TGRIMG container). */
export const UPLOAD_SLOT_MAX: u32 = 4 << 20;
/** Largest segment (it arrives in one TC frame: 1024 − headers). */
export const UPLOAD_SEGMENT_MAX: i32 = 1024;
/** boot.bin: two copies of one 16-octet record (host/boot/README.md "boot.bin"): copy A at 0, copy B at 16. */
export const BOOT_BIN_LEN: i32 = 32;
const BOOT_COPY_LEN: i32 = 16;
const BOOT_MAGIC: u32 = 0x54474254;       // "TGBT"
const IMG_HEADER_MIN: i32 = 128;
const CHUNK: i32 = 512;

const STATE_IDLE: i32 = 0;
const STATE_OPEN: i32 = 1;
const STATE_COMPLETE: i32 = 2;

const CTX: usize = memory.data(SHA256_CTX_LEN);
const BUF: usize = memory.data(CHUNK);
const DIGEST: usize = memory.data(SHA256_LEN);    // the declared digest of the complete upload
const BOOT: usize = memory.data(32);
const SELF: usize = memory.data(SHA256_LEN);      // the running image's digest (confirm)
const IMG_MAGIC: usize = memory.data<u8>([0x54, 0x47, 0x52, 0x49, 0x4d, 0x47, 0x00, 0x01]);

let state: i32 = STATE_IDLE;
let fd: i32 = -1;
let total: u32 = 0;
let written: u32 = 0;
let slotLimit: u32 = UPLOAD_SLOT_MAX;

function refuse(status: i32, found: i32, expected: i32, offset: i32): i32 {
  hkInc(HKC_UPLOAD_REJECTED);
  return setDetail(status, 0, found, expected, offset);
}
function closeUpload(): void { flashClose(fd); fd = -1; }

/** Sets the slot size (the profile's figure) an upload may not exceed. */
export function uploadSetSlotLimit(len: u32): i32 {
  if (len == 0) return setDetail(E_BAD_LENGTH, 0, 0, 1, 0);
  slotLimit = len;
  return OK;
}

export function uploadStart(totalLen: u32): i32 {
  if (totalLen == 0 || totalLen > slotLimit) return refuse(E_UPL_BOUNDS, <i32>totalLen, <i32>slotLimit, 0);
  if (state == STATE_OPEN) closeUpload();
  state = STATE_IDLE;
  const f = flashOpen(FILE_UPLOAD, true, true, true);
  if (f < 0) { hkInc(HKC_UPLOAD_REJECTED); return f; }
  fd = f;
  total = totalLen;
  written = 0;
  state = STATE_OPEN;
  return OK;
}

export function uploadSegment(offset: u32, ptr: usize, len: i32): i32 {
  if (state != STATE_OPEN) return refuse(E_UPL_STATE, state, STATE_OPEN, <i32>offset);
  if (ptr == 0) return refuse(E_NULL, 0, 0, <i32>offset);
  if (len <= 0 || len > UPLOAD_SEGMENT_MAX) return refuse(E_BAD_LENGTH, len, UPLOAD_SEGMENT_MAX, <i32>offset);
  if (offset != written) return refuse(E_UPL_ORDER, <i32>offset, <i32>written, <i32>offset);
  if (<u64>offset + <u64>len > <u64>total) return refuse(E_UPL_BOUNDS, <i32>(offset + <u32>len), <i32>total, <i32>offset);
  const st = flashWrite(fd, <u64>offset, ptr, len);
  if (st != OK) { hkInc(HKC_UPLOAD_REJECTED); return st; }   // nothing counted as written: resend
  written += <u32>len;
  return OK;
}

/** SHA-256 of `len` octets of flash file f from offset `from`, into outPtr. OK or a flash status. */
function digestFile(f: i32, from: u64, len: u32, outPtr: usize): i32 {
  const h = flashOpen(f, false, false, false);
  if (h < 0) return h;
  sha256Init(CTX);
  let done: u32 = 0;
  // Bounded: len ≤ 2^32, CHUNK octets a round, and a short read ends it.
  while (done < len) {
    const want = <i32>min<u32>(<u32>CHUNK, len - done);
    const n = flashRead(h, from + <u64>done, BUF, want);
    if (n < 0) { flashClose(h); return n; }
    if (n < want) { flashClose(h); return setDetail(E_BOOT_STATE, f, <i32>(done + <u32>n), <i32>len, <i32>done); }
    sha256Update(CTX, BUF, <usize>n);
    done += <u32>n;
  }
  flashClose(h);
  sha256Final(CTX, outPtr);
  return OK;
}

export function uploadEnd(shaPtr: usize): i32 {
  if (state != STATE_OPEN) return refuse(E_UPL_STATE, state, STATE_OPEN, 0);
  if (shaPtr == 0) return refuse(E_NULL, 0, 0, 0);
  if (written != total) return refuse(E_UPL_BOUNDS, <i32>written, <i32>total, <i32>written);
  closeUpload();
  state = STATE_IDLE;
  const st = digestFile(FILE_UPLOAD, 0, total, BUF + <usize>(CHUNK - SHA256_LEN));
  if (st != OK) { hkInc(HKC_UPLOAD_REJECTED); return st; }
  let diff: u32 = 0;
  for (let i = 0; i < SHA256_LEN; i++) diff |= <u32>(load<u8>(shaPtr + <usize>i) ^ load<u8>(BUF + <usize>(CHUNK - SHA256_LEN + i)));
  if (diff != 0) return refuse(E_UPL_DIGEST, 0, 0, 0);
  for (let i = 0; i < SHA256_LEN; i++) store<u8>(DIGEST + <usize>i, load<u8>(shaPtr + <usize>i));
  state = STATE_COMPLETE;
  return OK;
}

export function requestTrialBoot(): i32 {
  if (state != STATE_COMPLETE) return refuse(E_UPL_STATE, state, STATE_COMPLETE, 0);
  const st = flashWriteFile(FILE_BOOT_REQUEST, DIGEST, SHA256_LEN);
  if (st != OK) { hkInc(HKC_UPLOAD_REJECTED); return st; }
  return OK;
}

/** True when the 16-octet copy at p is valid: magic, format, active slot, trial slot, CRC (host/boot/README.md). */
function bootCopyValid(p: usize): bool {
  if (loadU32BE(p) != BOOT_MAGIC || load<u8>(p + 4) != 1 || load<u8>(p + 5) > 1) return false;
  const trial = load<u8>(p + 6);
  if (trial != 0xff && (trial > 1 || trial == load<u8>(p + 5))) return false;
  return crc16(p, 12, 0xffff) == loadU16BE(p + 12);
}

/**
 * Reads boot.bin and leaves its valid copy (A, else B — the bootloader's rule) at BOOT.
 * OK or E_BOOT_STATE / a flash status.
 */
function readBoot(): i32 {
  const n = flashReadFile(FILE_BOOT, BOOT, BOOT_BIN_LEN);
  if (n < 0) return n;
  // The bootloader's rule (host/boot/flash-dir.ts readBootState): a copy counts when its 14
  // checked octets are present and valid; octets past the two copies are ignored.
  if (n >= 14 && bootCopyValid(BOOT)) return OK;
  if (n < BOOT_COPY_LEN + 14 || !bootCopyValid(BOOT + <usize>BOOT_COPY_LEN)) return setDetail(E_BOOT_STATE, FILE_BOOT, n, BOOT_BIN_LEN, 0);
  for (let i = 0; i < BOOT_COPY_LEN; i++) store<u8>(BOOT + <usize>i, load<u8>(BOOT + <usize>(BOOT_COPY_LEN + i)));
  return OK;
}

/** True when boot.bin is valid and names a trial slot: the image runs on trial. */
export function trialBoot(): bool {
  return readBoot() == OK && load<u8>(BOOT + 6) != 0xff;
}

/** SHA-256 of the running slot's wasm (the trial slot on trial, else the active slot) at outPtr. */
export function imageDigest(outPtr: usize): i32 {
  if (outPtr == 0) return E_NULL;
  const st = readBoot();
  if (st != OK) return st;
  const trial = load<u8>(BOOT + 6);
  const slot = trial != 0xff ? trial : load<u8>(BOOT + 5);
  const f = slot == 0 ? FILE_SLOT_A : FILE_SLOT_B;
  const n = flashReadFile(f, BUF, 16);
  if (n < 0) return n;
  if (n < 16) return setDetail(E_BOOT_STATE, f, n, 16, 0);
  for (let i = 0; i < 8; i++) if (load<u8>(BUF + <usize>i) != load<u8>(IMG_MAGIC + <usize>i)) return setDetail(E_BOOT_STATE, f, i, 0, i);
  const headerLen = <i32>loadU16BE(BUF + 10);
  const wasmLen = loadU32BE(BUF + 12);
  if (headerLen < IMG_HEADER_MIN || wasmLen == 0 || wasmLen > slotLimit) return setDetail(E_BOOT_STATE, f, headerLen, IMG_HEADER_MIN, 10);
  return digestFile(f, <u64>headerLen, wasmLen, outPtr);
}

/** On trial only: writes confirm with the SHA-256 of the running wasm (the bootloader makes the slot permanent). */
export function confirmSelf(): i32 {
  if (!trialBoot()) return refuse(E_UPL_STATE, 0, 1, 0);
  const st = imageDigest(SELF);
  if (st != OK) { hkInc(HKC_UPLOAD_REJECTED); return st; }
  const w = flashWriteFile(FILE_CONFIRM, SELF, SHA256_LEN);
  if (w != OK) hkInc(HKC_UPLOAD_REJECTED);
  return w;
}

/** Octets written so far by the open upload (the next expected offset), for reports and tests. */
export function uploadWritten(): u32 { return written; }
