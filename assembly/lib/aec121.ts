// Thin library ABI of the CCSDS 121.0-B-3 encoder (numbers and pointers only).
import {
  AEC_STATE_LEN, aecCheckConfig, aecBitsPerSample, aecInit, aecStartUnit, aecMaxOutLen, aecEncode16, aecEncode32, aecEndUnit,
} from "../compress/aec121/encoder";
import { aecUnpackSamples } from "../compress/aec121/storage";

export function aec121StateLen(): i32 { return AEC_STATE_LEN; }
export function aec121CheckConfig(n: i32, blockSize: i32, rsi: i32, flags: i32): i32 { return aecCheckConfig(n, blockSize, rsi, flags); }
export function aec121Init(statePtr: usize, n: i32, blockSize: i32, rsi: i32, flags: i32): i32 { return aecInit(statePtr, n, blockSize, rsi, flags); }
export function aec121StartUnit(statePtr: usize): i32 { return aecStartUnit(statePtr); }
export function aec121MaxOutLen(statePtr: usize, count: i32): i32 { return aecMaxOutLen(statePtr, count); }
export function aec121Encode16(statePtr: usize, samplesPtr: usize, count: i32, outPtr: usize, outCap: i32): i32 {
  return aecEncode16(statePtr, samplesPtr, count, outPtr, outCap);
}
export function aec121Encode32(statePtr: usize, samplesPtr: usize, count: i32, outPtr: usize, outCap: i32): i32 {
  return aecEncode32(statePtr, samplesPtr, count, outPtr, outCap);
}
export function aec121EndUnit(statePtr: usize, outPtr: usize, outCap: i32): i32 { return aecEndUnit(statePtr, outPtr, outCap); }
/** One whole unit in one call: start, code `count` samples (u16 containers if n <= 16, else
 *  u32), end. Returns the bytes written. */
export function aec121EncodeUnit(statePtr: usize, samplesPtr: usize, count: i32, outPtr: usize, outCap: i32): i32 {
  const s = aecStartUnit(statePtr);
  if (s < 0) return s;
  const wide = aecBitsPerSample(statePtr) > 16;
  const w = wide ? aecEncode32(statePtr, samplesPtr, count, outPtr, outCap) : aecEncode16(statePtr, samplesPtr, count, outPtr, outCap);
  if (w < 0) return w;
  const e = aecEndUnit(statePtr, outPtr + <usize>w, outCap - w);
  return e < 0 ? e : w + e;
}
/** Stored samples (1..4 bytes each, MSB first when msb != 0) → u16 (containerBytes 2) or u32
 *  (4) containers, for aec121Encode16/32. Returns count or an error status. */
export function aec121Unpack(src: usize, storeBytes: i32, msb: i32, count: i32, dst: usize, containerBytes: i32): i32 {
  return aecUnpackSamples(src, storeBytes, msb != 0, count, dst, containerBytes);
}
