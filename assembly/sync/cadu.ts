// CCSDS 131.0-B-5 channel access data unit: attached sync marker (§9.3.1, §9.4) followed by the
// codeblock (transfer frame ‖ Reed-Solomon check symbols, §4.3.8), pseudo-randomized from
// the first frame byte (§10.2.2, §10.3), never over the ASM. e = 0 means no Reed-Solomon coding.
import { E_BAD_LENGTH, E_NULL, E_RS_BAD_DEPTH, E_RS_BAD_FRAME_LEN, E_RS_OVERLAP, OK } from "../abi/status";
import { inMemory, overlap, rsCheck, rsEncode } from "./reed-solomon";
import { randomize } from "./randomizer";

// 131.0-B-5 §9.3.1: the 32-bit ASM for uncoded and Reed-Solomon coded data, 1ACFFC1D.
export const ASM_WORD: u32 = 0x1acffc1d;
export const ASM_LEN: i32 = 4;
// Largest uncoded frame accepted: a generous bound (TM and AOS frames are at most 2048 octets).
const MAX_UNCODED_LEN: i32 = 65536;

/** CADU length in bytes for a frame of frameLen bytes, or an E_RS_* status. */
export function caduLen(frameLen: i32, depth: i32, e: i32): i32 {
  if (e == 0) {
    if (depth < 1 || depth > 8 || depth == 6 || depth == 7) return E_RS_BAD_DEPTH;
    if (frameLen <= 0 || frameLen > MAX_UNCODED_LEN) return E_RS_BAD_FRAME_LEN;
    return ASM_LEN + frameLen;
  }
  const st = rsCheck(frameLen, depth, e);
  if (st != OK) return st;
  return ASM_LEN + frameLen + 2 * e * depth; // 131.0-B-5 §4.3.8: 2EI check symbols trail the frame
}

/**
 * Writes ASM ‖ randomize(frame ‖ parity) at outPtr (caduLen bytes) and returns the CADU
 * length, or a status (E_RS_OVERLAP when the frame and the CADU buffers overlap).
 */
export function caduEncode(framePtr: usize, frameLen: i32, depth: i32, e: i32, randomizerOn: bool, outPtr: usize): i32 {
  const len = caduLen(frameLen, depth, e);
  if (len < 0) return len;
  if (framePtr == 0 || outPtr == 0) return E_NULL;
  if (!inMemory(framePtr, <usize>frameLen) || !inMemory(outPtr, <usize>len)) return E_BAD_LENGTH;
  if (overlap(framePtr, <usize>frameLen, outPtr, <usize>len)) return E_RS_OVERLAP;
  // 131.0-B-5 §9.4: the ASM immediately precedes the codeblock, most significant byte first
  store<u8>(outPtr, <u8>(ASM_WORD >> 24));
  store<u8>(outPtr, <u8>(ASM_WORD >> 16), 1);
  store<u8>(outPtr, <u8>(ASM_WORD >> 8), 2);
  store<u8>(outPtr, <u8>ASM_WORD, 3);
  const body = outPtr + <usize>ASM_LEN;
  copyBytes(body, framePtr, <usize>frameLen);
  if (e != 0) {
    // 131.0-B-5 §4.3.8: the check symbols follow the frame in the codeblock
    const st = rsEncode(framePtr, frameLen, depth, e, body + <usize>frameLen);
    if (st != OK) return st;
  }
  // 131.0-B-5 §10.2.2, §10.3: randomizer over the whole codeblock after RS encoding, not the ASM
  if (randomizerOn) randomize(body, <usize>(len - ASM_LEN));
  return len;
}

function copyBytes(dst: usize, src: usize, len: usize): void {
  const words = len & ~(<usize>7);
  let i: usize = 0;
  for (; i < words; i += 8) store<u64>(dst + i, load<u64>(src + i));
  for (; i < len; i++) store<u8>(dst + i, load<u8>(src + i));
}
