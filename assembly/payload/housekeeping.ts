// Housekeeping counters and the housekeeping packet's user data (layout in the README,
// "Housekeeping packet"). All counters are u32 and wrap.
import { storeU32BE } from "../util/be";
import {
  HK_VERSION, HOUSEKEEPING_LEN, HOUSEKEEPING_OFF_VERSION, HOUSEKEEPING_OFF_STATE, HOUSEKEEPING_OFF_LAST_STATUS, HOUSEKEEPING_OFF_CONFIG_STATUS, HOUSEKEEPING_OFF_RECORDS_ACCEPTED, HOUSEKEEPING_OFF_PRODUCT_MODE, HKC_COUNT,
  HKC_RECORDS_ACCEPTED, HKC_LINES_ACCEPTED, HKC_REJECTED_BAD_SYNC, HKC_REJECTED_BAD_CRC, HKC_REJECTED_BAD_LENGTH, HKC_REJECTED_BAD_TYPE, HKC_REJECTED_BAD_LINE, HKC_REJECTED_LINE_JUMP, HKC_REJECTED_TIME_JUMP, HKC_REJECTED_NO_CONFIG, HKC_BYTES_SKIPPED, HKC_LINES_MISSING, HKC_SAMPLES_CLIPPED, HKC_PACKETS_SENT, HKC_DATA_FRAMES, HKC_IDLE_FRAMES, HKC_IDLE_PACKETS, HKC_CADUS, HKC_BACKLOG_FRAMES, HKC_MEMORY_BYTES, HKC_HEAP_USED_BYTES, HKC_LAST_LINE_COUNTER, HKC_HK_SEQUENCE, HKC_TILES_KEPT, HKC_TILES_DEGRADED, HKC_TILES_DROPPED, HKC_FRAMES_OVERFLOWED, HKC_LINES_DROPPED_STOPPED, HKC_PUS_ACCEPTED, HKC_PUS_REJECTED, HKC_PUS_FAILED, HKC_PARAM_CHANGES,
  HOUSEKEEPING_OFF_BOOT_SLOT, HOUSEKEEPING_OFF_BOOT_VERSION, HOUSEKEEPING_OFF_BOOT_ON_TRIAL, HOUSEKEEPING_OFF_BOOT_TRIAL_ATTEMPT, HOUSEKEEPING_OFF_BOOT_TRIAL_MAX, HOUSEKEEPING_OFF_BOOT_COUNT, HOUSEKEEPING_OFF_BOOT_OUTCOME,
} from "../abi/contract";

export { HK_VERSION };
/** Octets of the housekeeping user data (after the CUC). */
export const HK_DATA_LEN: i32 = HOUSEKEEPING_LEN - HOUSEKEEPING_OFF_VERSION;

export const STATE_WAITING_CONFIG: u8 = 0;
export const STATE_ACQUIRING: u8 = 1;
export const STATE_ENDED: u8 = 2;
export const STATE_STOPPED: u8 = 3;   // acquisition stopped by ST[8]: lines counted and dropped

// Counter indices: the contract's (host/contract/contract.json "housekeeping"), in packet order.
export const HK_RECORDS_ACCEPTED: i32 = HKC_RECORDS_ACCEPTED;
export const HK_LINES_ACCEPTED: i32 = HKC_LINES_ACCEPTED;
export const HK_REJ_SYNC: i32 = HKC_REJECTED_BAD_SYNC;
export const HK_REJ_CRC: i32 = HKC_REJECTED_BAD_CRC;
export const HK_REJ_LENGTH: i32 = HKC_REJECTED_BAD_LENGTH;
export const HK_REJ_TYPE: i32 = HKC_REJECTED_BAD_TYPE;
export const HK_REJ_LINE: i32 = HKC_REJECTED_BAD_LINE;
export const HK_REJ_LINE_JUMP: i32 = HKC_REJECTED_LINE_JUMP;
export const HK_REJ_TIME_JUMP: i32 = HKC_REJECTED_TIME_JUMP;
export const HK_REJ_NO_CONFIG: i32 = HKC_REJECTED_NO_CONFIG;
export const HK_BYTES_SKIPPED: i32 = HKC_BYTES_SKIPPED;
export const HK_LINES_MISSING: i32 = HKC_LINES_MISSING;
export const HK_SAMPLES_CLIPPED: i32 = HKC_SAMPLES_CLIPPED;
export const HK_PACKETS_SENT: i32 = HKC_PACKETS_SENT;
export const HK_DATA_FRAMES: i32 = HKC_DATA_FRAMES;
export const HK_IDLE_FRAMES: i32 = HKC_IDLE_FRAMES;
export const HK_IDLE_PACKETS: i32 = HKC_IDLE_PACKETS;
export const HK_CADUS: i32 = HKC_CADUS;
export const HK_BACKLOG_FRAMES: i32 = HKC_BACKLOG_FRAMES;
export const HK_MEMORY_BYTES: i32 = HKC_MEMORY_BYTES;
export const HK_HEAP_USED: i32 = HKC_HEAP_USED_BYTES;
export const HK_LAST_LINE: i32 = HKC_LAST_LINE_COUNTER;
export const HK_SEQUENCE: i32 = HKC_HK_SEQUENCE;
export const HK_TILES_KEPT: i32 = HKC_TILES_KEPT;
export const HK_TILES_DEGRADED: i32 = HKC_TILES_DEGRADED;
export const HK_TILES_DROPPED: i32 = HKC_TILES_DROPPED;
export const HK_FRAMES_OVERFLOW: i32 = HKC_FRAMES_OVERFLOWED;
export const HK_LINES_DROPPED_STOPPED: i32 = HKC_LINES_DROPPED_STOPPED;
export const HK_PUS_ACCEPTED: i32 = HKC_PUS_ACCEPTED;
export const HK_PUS_REJECTED: i32 = HKC_PUS_REJECTED;
export const HK_PUS_FAILED: i32 = HKC_PUS_FAILED;
export const HK_PARAM_CHANGES: i32 = HKC_PARAM_CHANGES;
export const HK_COUNTERS: i32 = HKC_COUNT;

export const hkCounters: usize = memory.data(HK_COUNTERS * 4);
export let hkState: u8 = STATE_WAITING_CONFIG;
export let hkLastStatus: i32 = 0;
export let hkConfigStatus: i32 = 0;
export let hkProductMode: u8 = 0;

@inline export function hkInc(index: i32): void {
  const p = hkCounters + (<usize>index << 2);
  store<u32>(p, load<u32>(p) + 1);
}
@inline export function hkAdd(index: i32, n: u32): void {
  const p = hkCounters + (<usize>index << 2);
  store<u32>(p, load<u32>(p) + n);
}
@inline export function hkSet(index: i32, v: u32): void { store<u32>(hkCounters + (<usize>index << 2), v); }
@inline export function hkGet(index: i32): u32 { return load<u32>(hkCounters + (<usize>index << 2)); }
// How this boot came about (v3, the bootloader's boot record: assembly/command/boot-record.ts).
// Unknown until a valid record is read: 0xFF (u8) and 0xFFFFFFFF (u32).
export const BOOT_UNKNOWN_U8: u8 = 0xFF;
export const BOOT_UNKNOWN_U32: u32 = 0xFFFFFFFF;
export let hkBootSlot: u8 = BOOT_UNKNOWN_U8;
export let hkBootVersion: u32 = BOOT_UNKNOWN_U32;
export let hkBootOnTrial: u8 = BOOT_UNKNOWN_U8;
export let hkBootTrialAttempt: u8 = BOOT_UNKNOWN_U8;
export let hkBootTrialMax: u8 = BOOT_UNKNOWN_U8;
export let hkBootCount: u32 = BOOT_UNKNOWN_U32;
export let hkBootOutcome: u8 = BOOT_UNKNOWN_U8;
/** The boot fields of housekeeping (every one 0xFF… = unknown when the record was refused). */
export function hkSetBoot(slot: u8, version: u32, onTrial: u8, attempt: u8, max: u8, count: u32, outcome: u8): void {
  hkBootSlot = slot; hkBootVersion = version; hkBootOnTrial = onTrial; hkBootTrialAttempt = attempt;
  hkBootTrialMax = max; hkBootCount = count; hkBootOutcome = outcome;
}
export function hkSetState(s: u8): void { hkState = s; }
export function hkSetLastStatus(s: i32): void { hkLastStatus = s; }
export function hkSetConfigStatus(s: i32): void { hkConfigStatus = s; }
export function hkSetProductMode(m: u8): void { hkProductMode = m; }

/** Writes the HK user data (HK_DATA_LEN octets, the contract's layout after the CUC) at ptr. */
export function packHousekeeping(ptr: usize): void {
  const u = HOUSEKEEPING_OFF_VERSION;
  store<u8>(ptr, HK_VERSION);
  store<u8>(ptr + <usize>(HOUSEKEEPING_OFF_STATE - u), hkState);
  store<u16>(ptr + <usize>(HOUSEKEEPING_OFF_STATE - u + 1), 0);
  storeU32BE(ptr + <usize>(HOUSEKEEPING_OFF_LAST_STATUS - u), <u32>hkLastStatus);
  storeU32BE(ptr + <usize>(HOUSEKEEPING_OFF_CONFIG_STATUS - u), <u32>hkConfigStatus);
  const c = ptr + <usize>(HOUSEKEEPING_OFF_RECORDS_ACCEPTED - u);
  for (let i = 0; i < HK_COUNTERS; i++) storeU32BE(c + (<usize>i << 2), hkGet(i));
  store<u8>(ptr + <usize>(HOUSEKEEPING_OFF_BOOT_SLOT - u), hkBootSlot);
  storeU32BE(ptr + <usize>(HOUSEKEEPING_OFF_BOOT_VERSION - u), hkBootVersion);
  store<u8>(ptr + <usize>(HOUSEKEEPING_OFF_BOOT_ON_TRIAL - u), hkBootOnTrial);
  store<u8>(ptr + <usize>(HOUSEKEEPING_OFF_BOOT_TRIAL_ATTEMPT - u), hkBootTrialAttempt);
  store<u8>(ptr + <usize>(HOUSEKEEPING_OFF_BOOT_TRIAL_MAX - u), hkBootTrialMax);
  storeU32BE(ptr + <usize>(HOUSEKEEPING_OFF_BOOT_COUNT - u), hkBootCount);
  store<u8>(ptr + <usize>(HOUSEKEEPING_OFF_BOOT_OUTCOME - u), hkBootOutcome);
  store<u8>(ptr + <usize>(HOUSEKEEPING_OFF_PRODUCT_MODE - u), hkProductMode);
}
