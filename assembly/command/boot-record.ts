// How this boot came about: the bootloader's boot record (host/boot/README.md "boot-record.bin"),
// read from the flash directory at boot, checked, published in housekeeping (v3: bootSlot ..
// bootOutcome) and as ST[5] events 9..15 (assembly/command/events.ts) once the configuration is
// accepted, the first moment a report can leave.
//
// boot-record.bin, 24 octets, big-endian:
//   0 "TGBR"  4 u8 format = 1  5 u8 slot booted (0 a, 1 b)  6 u8 on trial (0/1)
//   7 u8 trial attempt (1..max on trial, 0 not)  8 u8 trial max (1..255)
//   9 u8 outcome of the previous boot (0..BOOT_OUTCOME_MAX)  10 u8 its detail
//   11 u8 outcome of this boot so far (0..BOOT_OUTCOME_MAX; the bootloader's, after the exit)
//   12 u32 image version  16 u32 boot count  20 u8 detail of this boot's outcome  21 u8 reserved
//   22 u16 CRC-16/CCITT-FALSE of octets 0..21
// A record that is short, of another magic or format, fails its CRC, or holds a value out of range
// (a hostile record with a correct CRC included) is refused: E_BOOT_STATE (control block: field
// FILE_BOOT_RECORD, found = the check that failed, offset = the octet), event 15, housekeeping
// lastStatus, and every boot field reported unknown (0xFF / 0xFFFFFFFF). Never a trap.
// Without a /flash preopen, or without boot-record.bin in it (a pass not booted by the bootloader,
// which writes the record before every boot), the fields stay unknown and no boot event is raised:
// such a pass sends exactly what it sent before. An empty, short or unreadable record is refused.
import { OK, E_BOOT_STATE, E_FLASH_NONE, E_FLASH_IO } from "../abi/status";
import { setDetail, detailFound } from "../abi/control";
import { crc16 } from "../util/crc16";
import { loadU16BE, loadU32BE } from "../util/be";
import * as hk from "../payload/housekeeping";
import { flashReadFile, FILE_BOOT_RECORD } from "../security/flash";
import { eventRaise, EV_BOOTED, EV_BOOTED_TRIAL, EV_CONFIRMED, EV_FELL_BACK, EV_UPLOAD_ACCEPTED, EV_UPLOAD_REJECTED, EV_BOOT_RECORD_INVALID } from "./events";

export const BOOT_RECORD_LEN: i32 = 24;
const BOOT_RECORD_MAGIC: u32 = 0x54474252;   // "TGBR"
const BOOT_RECORD_FORMAT: u8 = 1;

// Outcome codes (the contract's housekeeping bootOutcome enum).
export const OUTCOME_NORMAL: u8 = 0;
export const OUTCOME_CONFIRMED: u8 = 1;
export const OUTCOME_TRIAL_FAILED: u8 = 2;
export const OUTCOME_FELL_BACK: u8 = 3;
export const OUTCOME_TRIAL_INVALID: u8 = 4;
export const OUTCOME_RECOVERY: u8 = 5;
export const OUTCOME_UPLOAD_ACCEPTED: u8 = 6;
export const OUTCOME_REJECTED_SIGNATURE: u8 = 7;
export const OUTCOME_REJECTED_OTHER: u8 = 11;
export const BOOT_OUTCOME_MAX: u8 = 12;

// The check a refused record failed (event 15's count, the control block's found).
export const REC_OK: i32 = 0;
export const REC_UNREADABLE: i32 = 1;
export const REC_SHORT: i32 = 2;
export const REC_MAGIC: i32 = 3;
export const REC_CRC: i32 = 4;
export const REC_FORMAT: i32 = 5;
export const REC_SLOT: i32 = 6;
export const REC_TRIAL_FLAG: i32 = 7;
export const REC_TRIAL_MAX: i32 = 8;
export const REC_ATTEMPT: i32 = 9;
export const REC_OUTCOME: i32 = 10;

const BUF: usize = memory.data(BOOT_RECORD_LEN + 8);
const ERRNO_NOENT: i32 = 44;                  // WASI errno of an absent file

let loaded: bool = false;       // a record was looked for in a flash directory (events are due)
let check: i32 = REC_OK;        // REC_OK, or the check the record failed
let prevOutcome: u8 = 0;
let prevDetail: u8 = 0;

/** REC_OK when the `len` octets at ptr are a valid boot record, else the check that failed. */
export function bootRecordCheck(ptr: usize, len: i32): i32 {
  if (len < BOOT_RECORD_LEN) return REC_SHORT;
  if (loadU32BE(ptr) != BOOT_RECORD_MAGIC) return REC_MAGIC;
  if (crc16(ptr, 22, 0xffff) != loadU16BE(ptr + 22)) return REC_CRC;
  if (load<u8>(ptr + 4) != BOOT_RECORD_FORMAT) return REC_FORMAT;
  if (load<u8>(ptr + 5) > 1) return REC_SLOT;
  const onTrial = load<u8>(ptr + 6);
  if (onTrial > 1) return REC_TRIAL_FLAG;
  const attempt = load<u8>(ptr + 7), max = load<u8>(ptr + 8);
  if (max == 0) return REC_TRIAL_MAX;
  if (onTrial == 1 ? attempt == 0 || attempt > max : attempt != 0) return REC_ATTEMPT;
  if (load<u8>(ptr + 9) > BOOT_OUTCOME_MAX || load<u8>(ptr + 11) > BOOT_OUTCOME_MAX) return REC_OUTCOME;
  return REC_OK;
}

/** The octet a failed check is about (the control block's offset). */
function checkOffset(c: i32): i32 {
  return c == REC_MAGIC ? 0 : c == REC_CRC ? 22 : c == REC_FORMAT ? 4 : c == REC_SLOT ? 5 : c == REC_TRIAL_FLAG ? 6
    : c == REC_TRIAL_MAX ? 8 : c == REC_ATTEMPT ? 7 : c == REC_OUTCOME ? 9 : 0;
}

/**
 * Takes the record at ptr (len octets): a valid one sets housekeeping's boot fields, a refused one
 * sets them unknown. OK or E_BOOT_STATE (with the detail). Also the seam of the as-pect specs.
 */
export function bootRecordTake(ptr: usize, len: i32): i32 {
  loaded = true;
  check = bootRecordCheck(ptr, len);
  if (check != REC_OK) {
    prevOutcome = hk.BOOT_UNKNOWN_U8; prevDetail = 0;
    hk.hkSetBoot(hk.BOOT_UNKNOWN_U8, hk.BOOT_UNKNOWN_U32, hk.BOOT_UNKNOWN_U8, hk.BOOT_UNKNOWN_U8, hk.BOOT_UNKNOWN_U8, hk.BOOT_UNKNOWN_U32, hk.BOOT_UNKNOWN_U8);
    hk.hkSetLastStatus(E_BOOT_STATE);
    return setDetail(E_BOOT_STATE, FILE_BOOT_RECORD, check, REC_OK, checkOffset(check));
  }
  prevOutcome = load<u8>(ptr + 9);
  prevDetail = load<u8>(ptr + 10);
  hk.hkSetBoot(load<u8>(ptr + 5), loadU32BE(ptr + 12), load<u8>(ptr + 6), load<u8>(ptr + 7), load<u8>(ptr + 8), loadU32BE(ptr + 16), prevOutcome);
  return OK;
}

/**
 * At boot: reads boot-record.bin from the flash directory and takes it. OK, E_FLASH_NONE (no
 * flash or no record: nothing to report) or E_BOOT_STATE (unreadable or refused: event 15 follows).
 */
export function bootRecordLoad(): i32 {
  const n = flashReadFile(FILE_BOOT_RECORD, BUF, BOOT_RECORD_LEN + 8);
  // No flash, or a flash without boot-record.bin (a run not started by the bootloader, which
  // writes it before every boot): nothing to report, the fields stay unknown.
  if (n == E_FLASH_NONE || (n == E_FLASH_IO && detailFound() == ERRNO_NOENT)) { loaded = false; return E_FLASH_NONE; }
  if (n < 0) {
    loaded = true; check = REC_UNREADABLE;
    prevOutcome = hk.BOOT_UNKNOWN_U8; prevDetail = 0;
    hk.hkSetBoot(hk.BOOT_UNKNOWN_U8, hk.BOOT_UNKNOWN_U32, hk.BOOT_UNKNOWN_U8, hk.BOOT_UNKNOWN_U8, hk.BOOT_UNKNOWN_U8, hk.BOOT_UNKNOWN_U32, hk.BOOT_UNKNOWN_U8);
    hk.hkSetLastStatus(E_BOOT_STATE);
    return setDetail(E_BOOT_STATE, FILE_BOOT_RECORD, REC_UNREADABLE, REC_OK, 0);
  }
  return bootRecordTake(BUF, n);
}

/** The check the record failed (REC_OK when valid or not looked for). */
export function bootRecordCheckFailed(): i32 { return check; }

/**
 * The boot's events, once a report can leave (after the configuration is accepted), in order:
 * 15 (record refused), then 12 / 13 / 14 for the previous boot's outcome, then 9 or 10.
 */
export function bootEventsRaise(): void {
  if (!loaded) return;
  if (check != REC_OK) {
    eventRaise(EV_BOOT_RECORD_INVALID, E_BOOT_STATE, <u32>check);
    eventRaise(EV_BOOTED, <i32>hk.BOOT_UNKNOWN_U8, hk.BOOT_UNKNOWN_U32);
    return;
  }
  const o = prevOutcome;
  if (o == OUTCOME_FELL_BACK || o == OUTCOME_TRIAL_INVALID || o == OUTCOME_RECOVERY) eventRaise(EV_FELL_BACK, <i32>o, <u32>prevDetail);
  else if (o == OUTCOME_UPLOAD_ACCEPTED) eventRaise(EV_UPLOAD_ACCEPTED, <i32>o, hk.hkBootVersion);
  else if (o >= OUTCOME_REJECTED_SIGNATURE && o <= OUTCOME_REJECTED_OTHER) eventRaise(EV_UPLOAD_REJECTED, <i32>o, <u32>prevDetail);
  if (hk.hkBootOnTrial == 1) eventRaise(EV_BOOTED_TRIAL, <i32>o, <u32>hk.hkBootTrialAttempt);
  else eventRaise(EV_BOOTED, <i32>o, hk.hkBootCount);
}

/** The image on trial wrote its confirmation (status OK) or could not (its status): event 11. */
export function bootConfirmEvent(status: i32): void {
  eventRaise(EV_CONFIRMED, status, <u32>hk.hkBootTrialAttempt);
}

/** Forgets the record (specs). */
export function bootRecordReset(): void {
  loaded = false; check = REC_OK; prevOutcome = 0; prevDetail = 0;
  hk.hkSetBoot(hk.BOOT_UNKNOWN_U8, hk.BOOT_UNKNOWN_U32, hk.BOOT_UNKNOWN_U8, hk.BOOT_UNKNOWN_U8, hk.BOOT_UNKNOWN_U8, hk.BOOT_UNKNOWN_U32, hk.BOOT_UNKNOWN_U8);
}
