// SDLS ProcessSecurity (CCSDS 355.0-B-2 §3.4.2) for the authentication-only security association
// of the payload's TC virtual channel, with the mission's managed parameters (README
// "Authenticated commands"): security header SPI (2) ‖ ARSN (4), no IV, no pad length; trailer
// MAC (16) = the first 16 octets of HMAC-SHA-256(key of the SA, frame primary header (5) ‖
// security header ‖ packet octets); anti-replay: accepted only when last < ARSN ≤ last + window.
//
// The frame given to sdlsProcess is the whole TC transfer frame (232.0-B-4 §4.1): primary header
// (5) ‖ frame data field ‖ FECF (2). Checks, in this order, each counted once:
//   1. frame: length 5 + 22 + 1 … 1024, version 00, frame length field = length − 1, FECF → E_TC_FRAME (tcRejFrame)
//   2. key store loaded and SPI known → E_TC_AUTH / E_TC_SPI (tcRejAuth)
//   3. MAC, compared in constant time (every octet, no early exit) → E_TC_AUTH (tcRejAuth)
//   4. ARSN in (last, last + window] → E_TC_REPLAY (tcRejReplay)
//   5. the new last ARSN written to flash (sdls-state.bin) BEFORE the frame is accepted: a frame
//      is accepted only once its ARSN is durable, so a power loss during the write leaves a frame
//      that was never accepted, and no accepted frame can be replayed after a reboot → E_FLASH_IO
// Only after all five: tcAccepted, sdlsDataPtr/sdlsDataLen give the packet octets.
//
// keys.bin: records SPI (u16) ‖ key length (u8, = 32) ‖ key, at most SDLS_MAX_SA; SPI 0 and
// 0xFFFF (reserved), a duplicate SPI, another key length or a trailing partial record make the
// whole store invalid (E_TC_KEYS: every TC refused as unauthenticated).
// sdls-state.bin: two copies of SDLS_STATE_COPY_LEN octets at offsets 0 and SDLS_STATE_COPY_LEN:
//   magic "TGSS" (4) ‖ u32 sequence ‖ u8 SA count ‖ SDLS_MAX_SA × (SPI u16 ‖ last ARSN u32) ‖ CRC-16 (2)
// (CRC-16/CCITT-FALSE over the preceding octets). Each write goes to the copy not holding the
// newest state and carries sequence + 1; at boot the valid copy with the newest sequence wins
// (serial-number order). A torn write spoils at most the copy being written; a torn very first
// write (no valid copy, file shorter than two copies) means nothing was ever accepted.
import { OK, E_BAD_LENGTH, E_TC_FRAME, E_TC_SPI, E_TC_AUTH, E_TC_REPLAY, E_TC_KEYS, E_TC_STATE, E_FLASH_NONE, E_FLASH_IO } from "../abi/status";
import { HKC_TC_ACCEPTED, HKC_TC_REJ_AUTH, HKC_TC_REJ_REPLAY, HKC_TC_REJ_FRAME } from "../abi/contract";
import { setDetail, detailFound } from "../abi/control";
import { hkInc } from "../payload/housekeeping";
import { crc16 } from "../util/crc16";
import { loadU16BE, loadU32BE, storeU16BE, storeU32BE } from "../util/be";
import { hmacSha256 } from "./hmac";
import { flashReadFile, flashOpen, flashWrite, flashClose, FILE_KEYS, FILE_SDLS_STATE } from "./flash";

export const SDLS_MAX_SA: i32 = 8;
export const SDLS_KEY_LEN: i32 = 32;
export const SDLS_HEADER_LEN: i32 = 6;
export const SDLS_MAC_LEN: i32 = 16;
export const SDLS_OVERHEAD: i32 = SDLS_HEADER_LEN + SDLS_MAC_LEN;
export const TC_PRIMARY_HEADER_LEN: i32 = 5;
export const TC_FECF_LEN: i32 = 2;
export const TC_MAX_FRAME_LEN: i32 = 1024;
export const SDLS_DEFAULT_WINDOW: u32 = 1024;
export const SDLS_STATE_COPY_LEN: i32 = 64;
const KEY_RECORD_LEN: i32 = 3 + SDLS_KEY_LEN;
const KEYS_FILE_MAX: i32 = SDLS_MAX_SA * KEY_RECORD_LEN;
const STATE_MAGIC: u32 = 0x54475353; // "TGSS"
const ERRNO_NOENT: i32 = 44;
const STATE_BODY_LEN: i32 = 9 + SDLS_MAX_SA * 6;   // CRC follows

// Security associations, carved at load: SPI, key, last ARSN.
const SA_SPI: usize = memory.data(SDLS_MAX_SA * 4);
const SA_ARSN: usize = memory.data(SDLS_MAX_SA * 4);
const SA_KEY: usize = memory.data(SDLS_MAX_SA * SDLS_KEY_LEN);
const FILE_BUF: usize = memory.data(KEYS_FILE_MAX + 1);
const STATE_BUF: usize = memory.data(SDLS_STATE_COPY_LEN * 2);
const MAC_BUF: usize = memory.data(32);

let saCount: i32 = 0;
let keysReady: bool = false;          // a valid key store and SA state are loaded
let stateSeq: u32 = 0;                // sequence of the newest state copy on flash
let stateCopy: i32 = 1;               // the copy holding it (the next write goes to the other)
let arsnWindow: u32 = SDLS_DEFAULT_WINDOW;

/** The packet octets between the security header and trailer of the last accepted frame. */
export let sdlsDataPtr: usize = 0;
export let sdlsDataLen: i32 = 0;

/** Sets the anti-replay window (managed parameter, 1 … 2^31; default 1024). */
export function sdlsSetWindow(w: u32): i32 {
  if (w == 0 || w > 0x80000000) return setDetail(E_BAD_LENGTH, 0, <i32>w, 0x80000000, 0);
  arsnWindow = w;
  return OK;
}

function saIndex(spi: u32): i32 {
  for (let i = 0; i < saCount; i++) if (load<u32>(SA_SPI + (<usize>i << 2)) == spi) return i;
  return -1;
}

/** Parses keys.bin (n octets in FILE_BUF). OK or E_TC_KEYS (field: record, found: offset). */
function parseKeys(n: i32): i32 {
  if (n <= 0 || n > KEYS_FILE_MAX || n % KEY_RECORD_LEN != 0) return setDetail(E_TC_KEYS, -1, n, KEYS_FILE_MAX, 0);
  const count = n / KEY_RECORD_LEN;
  for (let r = 0; r < count; r++) {
    const p = FILE_BUF + <usize>(r * KEY_RECORD_LEN);
    const spi = loadU16BE(p);
    if (spi == 0 || spi == 0xffff || load<u8>(p + 2) != <u8>SDLS_KEY_LEN) return setDetail(E_TC_KEYS, r, <i32>spi, SDLS_KEY_LEN, r * KEY_RECORD_LEN);
    for (let q = 0; q < r; q++) if (load<u32>(SA_SPI + (<usize>q << 2)) == spi) return setDetail(E_TC_KEYS, r, <i32>spi, 0, r * KEY_RECORD_LEN);
    store<u32>(SA_SPI + (<usize>r << 2), spi);
    store<u32>(SA_ARSN + (<usize>r << 2), 0);
    const k = SA_KEY + <usize>(r * SDLS_KEY_LEN);
    for (let i = 0; i < SDLS_KEY_LEN; i++) store<u8>(k + <usize>i, load<u8>(p + 3 + <usize>i));
    saCount = r + 1;
  }
  return OK;
}

function copyValid(p: usize): bool {
  if (loadU32BE(p) != STATE_MAGIC) return false;
  if (<i32>load<u8>(p + 8) > SDLS_MAX_SA) return false;
  return crc16(p, <usize>STATE_BODY_LEN, 0xffff) == loadU16BE(p + <usize>STATE_BODY_LEN);
}

/** Applies a valid state copy at p to the SAs: every SA of the key store must be in it (or E_TC_STATE). */
function applyState(p: usize): i32 {
  const n = <i32>load<u8>(p + 8);
  for (let i = 0; i < saCount; i++) {
    const spi = load<u32>(SA_SPI + (<usize>i << 2));
    let found = false;
    for (let j = 0; j < n; j++) {
      const e = p + 9 + <usize>(j * 6);
      if (loadU16BE(e) == spi) { store<u32>(SA_ARSN + (<usize>i << 2), loadU32BE(e + 2)); found = true; }
    }
    // An SA added to the key store since the state was written starts at ARSN 0; only a state
    // that lost an SA it had is suspicious, and that cannot be told apart here: accept.
    if (!found) store<u32>(SA_ARSN + (<usize>i << 2), 0);
  }
  return OK;
}

/**
 * Boot: loads keys.bin and sdls-state.bin. OK; or E_FLASH_NONE / E_TC_KEYS / E_TC_STATE /
 * E_FLASH_IO, after which every TC is refused as unauthenticated (counted by sdlsProcess).
 * A missing sdls-state.bin (first boot after provisioning) starts every SA at ARSN 0; a present
 * one with no valid copy is refused (fail secure: the last ARSN is unknown).
 */
export function sdlsBoot(): i32 {
  keysReady = false;
  saCount = 0;
  stateSeq = 0;
  stateCopy = 1;
  sdlsDataPtr = 0; sdlsDataLen = 0;
  for (let i = 0; i < SDLS_MAX_SA * SDLS_KEY_LEN; i++) store<u8>(SA_KEY + <usize>i, 0);
  const n = flashReadFile(FILE_KEYS, FILE_BUF, KEYS_FILE_MAX + 1);
  if (n == E_FLASH_NONE) return n;
  if (n < 0) return setDetail(E_TC_KEYS, -1, 0, 0, 0);   // absent or unreadable key store
  const st = parseKeys(n);
  if (st != OK) { saCount = 0; return st; }
  const m = flashReadFile(FILE_SDLS_STATE, STATE_BUF, SDLS_STATE_COPY_LEN * 2);
  if (m < 0) {
    // errno 44 (ENOENT): never written yet. Anything else: unreadable, refuse.
    if (m == E_FLASH_IO && detailFound() == ERRNO_NOENT) { keysReady = true; return OK; }
    saCount = 0;
    return setDetail(E_TC_STATE, -1, m, 0, 0);
  }
  if (m == 0) { keysReady = true; return OK; }            // created, never completed: nothing accepted yet
  const a = m >= SDLS_STATE_COPY_LEN && copyValid(STATE_BUF);
  const b = m >= SDLS_STATE_COPY_LEN * 2 && copyValid(STATE_BUF + <usize>SDLS_STATE_COPY_LEN);
  if (!a && !b) {
    // The first write goes to copy 0 and the second makes the file whole; copy 0 is rewritten only
    // once copy 1 is valid. So no valid copy in a file shorter than two copies is the very first
    // write torn: no frame was ever accepted (a frame is accepted only after its state is written)
    // and every SA starts at ARSN 0. No valid copy in a whole file is damage: refuse everything.
    if (m < SDLS_STATE_COPY_LEN * 2) { keysReady = true; return OK; }
    saCount = 0;
    return setDetail(E_TC_STATE, -1, m, SDLS_STATE_COPY_LEN * 2, 0);
  }
  let use = 0;
  if (a && b) use = <i32>(loadU32BE(STATE_BUF + <usize>SDLS_STATE_COPY_LEN + 4) - loadU32BE(STATE_BUF + 4)) > 0 ? 1 : 0;
  else use = a ? 0 : 1;
  const p = STATE_BUF + <usize>(use * SDLS_STATE_COPY_LEN);
  stateSeq = loadU32BE(p + 4);
  stateCopy = use;
  applyState(p);
  keysReady = true;
  return OK;
}

/** Writes the SA state (all SAs, last ARSNs as in memory) to the copy not holding the newest. */
function persistState(): i32 {
  const next = stateCopy ^ 1;
  const p = STATE_BUF + <usize>(next * SDLS_STATE_COPY_LEN);
  for (let i = 0; i < SDLS_STATE_COPY_LEN; i++) store<u8>(p + <usize>i, 0);
  storeU32BE(p, STATE_MAGIC);
  storeU32BE(p + 4, stateSeq + 1);
  store<u8>(p + 8, <u8>saCount);
  for (let i = 0; i < saCount; i++) {
    const e = p + 9 + <usize>(i * 6);
    storeU16BE(e, load<u32>(SA_SPI + (<usize>i << 2)));
    storeU32BE(e + 2, load<u32>(SA_ARSN + (<usize>i << 2)));
  }
  storeU16BE(p + <usize>STATE_BODY_LEN, crc16(p, <usize>STATE_BODY_LEN, 0xffff));
  const fd = flashOpen(FILE_SDLS_STATE, true, true, false);
  if (fd < 0) return fd;
  const st = flashWrite(fd, <u64>(next * SDLS_STATE_COPY_LEN), p, SDLS_STATE_COPY_LEN);
  flashClose(fd);
  if (st != OK) return st;
  stateSeq++;
  stateCopy = next;
  return OK;
}

/**
 * ProcessSecurity of one whole TC transfer frame (header, data field, FECF) at framePtr.
 * OK (sdlsDataPtr/sdlsDataLen set to the packet octets) or E_TC_FRAME, E_TC_SPI, E_TC_AUTH,
 * E_TC_REPLAY, E_FLASH_IO / E_FLASH_NONE (the ARSN could not be made durable: refused), each
 * counted in housekeeping; the control block gives the detail.
 */
export function sdlsProcess(framePtr: usize, frameLen: i32): i32 {
  sdlsDataPtr = 0; sdlsDataLen = 0;
  // 1. the frame (232.0-B-4 §4.1.2, §4.1.4)
  const minLen = TC_PRIMARY_HEADER_LEN + SDLS_OVERHEAD + 1 + TC_FECF_LEN;
  if (framePtr == 0 || frameLen < minLen || frameLen > TC_MAX_FRAME_LEN) { hkInc(HKC_TC_REJ_FRAME); return setDetail(E_TC_FRAME, 0, frameLen, TC_MAX_FRAME_LEN, 0); }
  const h0 = <u32>load<u8>(framePtr);
  if ((h0 >>> 6) != 0) { hkInc(HKC_TC_REJ_FRAME); return setDetail(E_TC_FRAME, 1, <i32>(h0 >>> 6), 0, 0); }          // version '00' (§4.1.2.2)
  const lengthField = loadU16BE(framePtr + 2) & 0x3ff;                                                                   // §4.1.2.7
  if (<i32>lengthField != frameLen - 1) { hkInc(HKC_TC_REJ_FRAME); return setDetail(E_TC_FRAME, 2, <i32>lengthField, frameLen - 1, 2); }
  const bodyLen = frameLen - TC_FECF_LEN;
  const fecf = loadU16BE(framePtr + <usize>bodyLen);                                                                      // §4.1.4.2
  const crc = crc16(framePtr, <usize>bodyLen, 0xffff);
  if (fecf != crc) { hkInc(HKC_TC_REJ_FRAME); return setDetail(E_TC_FRAME, 3, <i32>fecf, <i32>crc, bodyLen); }
  // 2. the security association (355.0-B-2 §3.4.2.2)
  if (!keysReady) { hkInc(HKC_TC_REJ_AUTH); return setDetail(E_TC_AUTH, 0, 0, 0, 0); }
  const sh = framePtr + <usize>TC_PRIMARY_HEADER_LEN;
  const spi = loadU16BE(sh);
  const sa = saIndex(spi);
  if (sa < 0) { hkInc(HKC_TC_REJ_AUTH); return setDetail(E_TC_SPI, 0, <i32>spi, 0, TC_PRIMARY_HEADER_LEN); }
  const arsn = loadU32BE(sh + 2);
  // 3. the MAC (§3.4.2.4): over primary header ‖ security header ‖ packets, constant time
  const macAt = bodyLen - SDLS_MAC_LEN;
  hmacSha256(SA_KEY + <usize>(sa * SDLS_KEY_LEN), SDLS_KEY_LEN, framePtr, macAt, MAC_BUF);
  let diff: u32 = 0;
  for (let i = 0; i < SDLS_MAC_LEN; i++) diff |= <u32>(load<u8>(MAC_BUF + <usize>i) ^ load<u8>(framePtr + <usize>(macAt + i)));
  for (let i = 0; i < 32; i++) store<u8>(MAC_BUF + <usize>i, 0);
  if (diff != 0) { hkInc(HKC_TC_REJ_AUTH); return setDetail(E_TC_AUTH, 1, 0, 0, macAt); }
  // 4. anti-replay (§3.4.2.5): last < ARSN ≤ last + window, in 64-bit so the window never wraps
  const last = load<u32>(SA_ARSN + (<usize>sa << 2));
  if (arsn <= last || <u64>arsn > <u64>last + <u64>arsnWindow) { hkInc(HKC_TC_REJ_REPLAY); return setDetail(E_TC_REPLAY, 0, <i32>arsn, <i32>last, TC_PRIMARY_HEADER_LEN + 2); }
  // 5. durable before accepted: the ARSN is consumed in memory even when the write fails, so the
  //    frame cannot be tried again in this boot either.
  store<u32>(SA_ARSN + (<usize>sa << 2), arsn);
  const st = persistState();
  if (st != OK) { hkInc(HKC_TC_REJ_REPLAY); return st; }
  hkInc(HKC_TC_ACCEPTED);
  sdlsDataPtr = sh + <usize>SDLS_HEADER_LEN;
  sdlsDataLen = macAt - TC_PRIMARY_HEADER_LEN - SDLS_HEADER_LEN;
  return OK;
}

/** The last accepted ARSN of the SA with this SPI, or −1 when there is none (for housekeeping and tests). */
export function sdlsLastArsn(spi: u32): i64 {
  const sa = saIndex(spi);
  return sa < 0 ? -1 : <i64>load<u32>(SA_ARSN + (<usize>sa << 2));
}
