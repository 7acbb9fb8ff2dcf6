// The emulated payload flash: a host directory the runtime hands to the image as the WASI
// preopen named "/flash" (node:wasi `preopens`, iwasm `--map-dir=/flash::DIR`). Only the files
// named below can be opened (a fixed table, no path from outside ever reaches path_open), and
// only through these functions. With no such preopen every call returns E_FLASH_NONE and the
// image runs on (commanding refused as unauthenticated, uploads refused).
// WASI preview1 imports used: fd_prestat_get, fd_prestat_dir_name, path_open, fd_pread,
// fd_pwrite, fd_close (host/obc/image.ts ALLOWED_IMPORTS).
import { OK, E_FLASH_NONE, E_FLASH_IO, E_BAD_LENGTH } from "../abi/status";
import { setDetail } from "../abi/control";

@external("wasi_snapshot_preview1", "fd_prestat_get")
declare function wasiPrestatGet(fd: u32, bufPtr: usize): u16;
@external("wasi_snapshot_preview1", "fd_prestat_dir_name")
declare function wasiPrestatDirName(fd: u32, pathPtr: usize, pathLen: usize): u16;
@external("wasi_snapshot_preview1", "path_open")
declare function wasiPathOpen(dirFd: u32, dirFlags: u32, pathPtr: usize, pathLen: usize, oFlags: u16,
  rightsBase: u64, rightsInheriting: u64, fdFlags: u16, fdPtr: usize): u16;
@external("wasi_snapshot_preview1", "fd_pread")
declare function wasiPread(fd: u32, iovsPtr: usize, iovsLen: usize, offset: u64, nPtr: usize): u16;
@external("wasi_snapshot_preview1", "fd_pwrite")
declare function wasiPwrite(fd: u32, iovsPtr: usize, iovsLen: usize, offset: u64, nPtr: usize): u16;
@external("wasi_snapshot_preview1", "fd_close")
declare function wasiClose(fd: u32): u16;

// Files of the flash directory (the layout is the bootloader's, README "Authenticated commands").
export const FILE_KEYS: i32 = 0;
export const FILE_SDLS_STATE: i32 = 1;
export const FILE_UPLOAD: i32 = 2;
export const FILE_BOOT: i32 = 3;
export const FILE_CONFIRM: i32 = 4;
export const FILE_BOOT_REQUEST: i32 = 5;
export const FILE_SLOT_A: i32 = 6;
export const FILE_SLOT_B: i32 = 7;
export const FILE_BOOT_RECORD: i32 = 8;
const NAMES: usize = memory.data<u8>([
  0x6b, 0x65, 0x79, 0x73, 0x2e, 0x62, 0x69, 0x6e,                                                 // keys.bin (0, 8)
  0x73, 0x64, 0x6c, 0x73, 0x2d, 0x73, 0x74, 0x61, 0x74, 0x65, 0x2e, 0x62, 0x69, 0x6e,             // sdls-state.bin (8, 14)
  0x75, 0x70, 0x6c, 0x6f, 0x61, 0x64, 0x2e, 0x69, 0x6d, 0x67,                                     // upload.img (22, 10)
  0x62, 0x6f, 0x6f, 0x74, 0x2e, 0x62, 0x69, 0x6e,                                                 // boot.bin (32, 8)
  0x63, 0x6f, 0x6e, 0x66, 0x69, 0x72, 0x6d,                                                       // confirm (40, 7)
  0x62, 0x6f, 0x6f, 0x74, 0x2d, 0x72, 0x65, 0x71, 0x75, 0x65, 0x73, 0x74,                         // boot-request (47, 12)
  0x73, 0x6c, 0x6f, 0x74, 0x2d, 0x61, 0x2e, 0x69, 0x6d, 0x67,                                     // slot-a.img (59, 10)
  0x73, 0x6c, 0x6f, 0x74, 0x2d, 0x62, 0x2e, 0x69, 0x6d, 0x67,                                     // slot-b.img (69, 10)
  0x62, 0x6f, 0x6f, 0x74, 0x2d, 0x72, 0x65, 0x63, 0x6f, 0x72, 0x64, 0x2e, 0x62, 0x69, 0x6e,       // boot-record.bin (79, 15)
]);
const NAME_AT: usize = memory.data<u8>([0, 8, 22, 32, 40, 47, 59, 69, 79, 94]);
const FLASH_DIR: usize = memory.data<u8>([0x2f, 0x66, 0x6c, 0x61, 0x73, 0x68]); // "/flash"

// path_open oflags and rights (WASI preview1).
const O_CREAT: u16 = 1;
const O_TRUNC: u16 = 8;
const RIGHTS_READ: u64 = (1 << 1) | (1 << 2) | (1 << 5) | (1 << 21);   // fd_read, fd_seek, fd_tell, fd_filestat_get
const RIGHTS_WRITE: u64 = (1 << 6);                                      // fd_write
const ERRNO_BADF: u16 = 8;
const MAX_PREOPENS: u32 = 32;

const SCRATCH: usize = memory.data(16);      // prestat / iovec / nread / opened fd
const DIR_NAME: usize = memory.data(16);
let flashFd: i32 = -2;                        // -2 not looked up yet, -1 none

/** The fd of the "/flash" preopen (looked up once: preopens are fds 3, 4, … until EBADF), or −1. */
export function flashDirFd(): i32 {
  if (flashFd != -2) return flashFd;
  flashFd = -1;
  for (let fd: u32 = 3; fd < 3 + MAX_PREOPENS; fd++) {
    const e = wasiPrestatGet(fd, SCRATCH);
    if (e == ERRNO_BADF) break;
    if (e != 0 || load<u8>(SCRATCH) != 0) continue;           // not a directory preopen
    let n = <usize>load<u32>(SCRATCH, 4);
    if (n < 5 || n > 16) continue;
    if (wasiPrestatDirName(fd, DIR_NAME, n) != 0) continue;
    while (n > 1 && load<u8>(DIR_NAME + n - 1) == 0x2f) n--;   // "/flash/" is "/flash"
    // "/flash" or "flash" (iwasm --dir=flash names it without the slash)
    const skip: usize = load<u8>(DIR_NAME) == 0x2f ? 0 : 1;
    if (n + skip != 6) continue;
    let same = true;
    for (let i: usize = skip; i < 6; i++) if (load<u8>(DIR_NAME + i - skip) != load<u8>(FLASH_DIR + i)) same = false;
    if (same) { flashFd = <i32>fd; break; }
  }
  return flashFd;
}

export function flashPresent(): bool { return flashDirFd() >= 0; }

/** Forgets the preopen lookup (tests that swap the WASI instance's directory). */
export function flashReset(): void { flashFd = -2; }

/**
 * Opens flash file `file` (FILE_*): forWrite adds write rights, create creates it if absent,
 * truncate empties it. Returns the fd (≥ 0), E_FLASH_NONE, or E_FLASH_IO (found: the errno).
 */
export function flashOpen(file: i32, forWrite: bool, create: bool, truncate: bool): i32 {
  if (file < FILE_KEYS || file > FILE_BOOT_RECORD) return setDetail(E_BAD_LENGTH, 0, file, FILE_BOOT_RECORD, 0);
  const dir = flashDirFd();
  if (dir < 0) return setDetail(E_FLASH_NONE, file, 0, 0, 0);
  const at = <usize>load<u8>(NAME_AT + <usize>file);
  const len = <usize>load<u8>(NAME_AT + <usize>file + 1) - at;
  let oflags: u16 = 0;
  if (create) oflags |= O_CREAT;
  if (truncate) oflags |= O_TRUNC;
  const rights = forWrite ? RIGHTS_READ | RIGHTS_WRITE : RIGHTS_READ;
  const e = wasiPathOpen(<u32>dir, 0, NAMES + at, len, oflags, rights, 0, 0, SCRATCH + 8);
  if (e != 0) return setDetail(E_FLASH_IO, file, <i32>e, 0, 0);
  return <i32>load<u32>(SCRATCH, 8);
}

/** Reads up to len octets at offset into ptr (short only at the end of the file). Count or E_FLASH_IO. */
export function flashRead(fd: i32, offset: u64, ptr: usize, len: i32): i32 {
  if (len < 0) return E_BAD_LENGTH;
  let got: i32 = 0;
  // Bounded: each round either advances or ends (a runtime may return fewer octets than asked).
  for (let round = 0; round < 64 && got < len; round++) {
    store<u32>(SCRATCH, <u32>(ptr + <usize>got));
    store<u32>(SCRATCH, <u32>(len - got), 4);
    const e = wasiPread(<u32>fd, SCRATCH, 1, offset + <u64>got, SCRATCH + 8);
    if (e != 0) return setDetail(E_FLASH_IO, -1, <i32>e, 0, got);
    const n = <i32>load<u32>(SCRATCH, 8);
    if (n <= 0) break;
    got += n;
  }
  return got;
}

/** Writes len octets from ptr at offset. OK or E_FLASH_IO (a short write that makes no progress). */
export function flashWrite(fd: i32, offset: u64, ptr: usize, len: i32): i32 {
  if (len < 0) return E_BAD_LENGTH;
  let put: i32 = 0;
  for (let round = 0; round < 64 && put < len; round++) {
    store<u32>(SCRATCH, <u32>(ptr + <usize>put));
    store<u32>(SCRATCH, <u32>(len - put), 4);
    const e = wasiPwrite(<u32>fd, SCRATCH, 1, offset + <u64>put, SCRATCH + 8);
    if (e != 0) return setDetail(E_FLASH_IO, -1, <i32>e, 0, put);
    const n = <i32>load<u32>(SCRATCH, 8);
    if (n <= 0) return setDetail(E_FLASH_IO, -1, 0, len, put);
    put += n;
  }
  return put == len ? OK : setDetail(E_FLASH_IO, -1, put, len, put);
}

export function flashClose(fd: i32): void { if (fd >= 0) wasiClose(<u32>fd); }

/** Writes a whole small file (created or truncated): OK, E_FLASH_NONE or E_FLASH_IO. */
export function flashWriteFile(file: i32, ptr: usize, len: i32): i32 {
  const fd = flashOpen(file, true, true, true);
  if (fd < 0) return fd;
  const st = flashWrite(fd, 0, ptr, len);
  flashClose(fd);
  return st;
}

/** Reads at most cap octets of a small file into ptr: the count, E_FLASH_NONE or E_FLASH_IO (absent: errno 44). */
export function flashReadFile(file: i32, ptr: usize, cap: i32): i32 {
  const fd = flashOpen(file, false, false, false);
  if (fd < 0) return fd;
  const n = flashRead(fd, 0, ptr, cap);
  flashClose(fd);
  return n;
}
