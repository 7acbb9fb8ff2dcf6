// Housekeeping counters and the housekeeping packet's user data (layout in the README,
// "Housekeeping packet"). All counters are u32 and wrap.
import { storeU32BE } from "../util/be";

export const HK_VERSION: u8 = 1;
export const HK_DATA_LEN: i32 = 12 + 4 * 27;

export const STATE_WAITING_CONFIG: u8 = 0;
export const STATE_ACQUIRING: u8 = 1;
export const STATE_ENDED: u8 = 2;

// Counter indices (each a u32 in hkCounters; the packet carries them in this order from offset 12).
export const HK_RECORDS_ACCEPTED: i32 = 0;
export const HK_LINES_ACCEPTED: i32 = 1;
export const HK_REJ_SYNC: i32 = 2;
export const HK_REJ_CRC: i32 = 3;
export const HK_REJ_LENGTH: i32 = 4;
export const HK_REJ_TYPE: i32 = 5;
export const HK_REJ_LINE: i32 = 6;
export const HK_REJ_LINE_JUMP: i32 = 7;
export const HK_REJ_TIME_JUMP: i32 = 8;
export const HK_REJ_NO_CONFIG: i32 = 9;
export const HK_BYTES_SKIPPED: i32 = 10;
export const HK_LINES_MISSING: i32 = 11;
export const HK_SAMPLES_CLIPPED: i32 = 12;
export const HK_PACKETS_SENT: i32 = 13;
export const HK_DATA_FRAMES: i32 = 14;
export const HK_IDLE_FRAMES: i32 = 15;
export const HK_IDLE_PACKETS: i32 = 16;
export const HK_CADUS: i32 = 17;
export const HK_BACKLOG_FRAMES: i32 = 18;
export const HK_MEMORY_BYTES: i32 = 19;
export const HK_HEAP_USED: i32 = 20;
export const HK_LAST_LINE: i32 = 21;
export const HK_SEQUENCE: i32 = 22;
export const HK_TILES_KEPT: i32 = 23;
export const HK_TILES_DEGRADED: i32 = 24;
export const HK_TILES_DROPPED: i32 = 25;
export const HK_FRAMES_OVERFLOW: i32 = 26;    // frames lost because the output buffer was full (must stay 0)
export const HK_COUNTERS: i32 = 27;

export const hkCounters: usize = memory.data(HK_COUNTERS * 4);
export let hkState: u8 = STATE_WAITING_CONFIG;
export let hkLastStatus: i32 = 0;
export let hkConfigStatus: i32 = 0;

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
export function hkSetState(s: u8): void { hkState = s; }
export function hkSetLastStatus(s: i32): void { hkLastStatus = s; }
export function hkSetConfigStatus(s: i32): void { hkConfigStatus = s; }

/** Writes the HK user data (HK_DATA_LEN octets) at ptr. */
export function packHousekeeping(ptr: usize): void {
  store<u8>(ptr, HK_VERSION);
  store<u8>(ptr + 1, hkState);
  store<u16>(ptr + 2, 0);
  storeU32BE(ptr + 4, <u32>hkLastStatus);
  storeU32BE(ptr + 8, <u32>hkConfigStatus);
  for (let i = 0; i < HK_COUNTERS; i++) storeU32BE(ptr + 12 + (<usize>i << 2), hkGet(i));
}
