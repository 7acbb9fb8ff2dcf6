// Thin ABI layer of sync/ and the CRC for the library build (build/lib.wasm): numbers and
// pointers only. The *Many functions loop over n contiguous frames so that benchmarks measure
// the codec, not the JS→WASM call.
import { crc16 } from "../util/crc16";
import { randomize } from "../sync/randomizer";
import { rsEncode } from "../sync/reed-solomon";
import { caduEncode, caduLen } from "../sync/cadu";

export function syncCrc16(ptr: usize, len: i32, crc: u32): u32 { return crc16(ptr, <usize>len, crc); }
export function syncRandomize(ptr: usize, len: i32): void { randomize(ptr, <usize>len); }
export function syncRsEncode(framePtr: usize, frameLen: i32, depth: i32, e: i32, parityPtr: usize): i32 {
  return rsEncode(framePtr, frameLen, depth, e, parityPtr);
}
export function syncCaduLen(frameLen: i32, depth: i32, e: i32): i32 { return caduLen(frameLen, depth, e); }
export function syncCaduEncode(framePtr: usize, frameLen: i32, depth: i32, e: i32, randomizerOn: bool, outPtr: usize): i32 {
  return caduEncode(framePtr, frameLen, depth, e, randomizerOn, outPtr);
}

/** n frames of frameLen bytes at framesPtr; parity of frame i at parityPtr + i·2E·I. */
export function syncRsEncodeMany(framesPtr: usize, frameLen: i32, depth: i32, e: i32, parityPtr: usize, n: i32): i32 {
  const parityLen = <usize>(2 * e * depth);
  for (let i = 0; i < n; i++) {
    const st = rsEncode(framesPtr + <usize>i * <usize>frameLen, frameLen, depth, e, parityPtr + <usize>i * parityLen);
    if (st < 0) return st;
  }
  return n;
}

/** CRC-16 (preset 0xFFFF) of n buffers of len bytes each; returns the XOR of the results. */
export function syncCrc16Many(ptr: usize, len: i32, n: i32): u32 {
  let acc: u32 = 0;
  for (let i = 0; i < n; i++) acc ^= crc16(ptr + <usize>i * <usize>len, <usize>len, 0xffff);
  return acc;
}

/** Randomizes n buffers of len bytes each in place. */
export function syncRandomizeMany(ptr: usize, len: i32, n: i32): void {
  for (let i = 0; i < n; i++) randomize(ptr + <usize>i * <usize>len, <usize>len);
}
