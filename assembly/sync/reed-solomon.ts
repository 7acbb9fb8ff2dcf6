// CCSDS 131.0-B-5 §4 Reed-Solomon encoder: RS(255,223) (E = 16) and RS(255,239) (E = 8) over
// GF(2^8)/0x187, symbols in the Berlekamp dual basis, interleaving depth I ∈ {1,2,3,4,5,8},
// shortened codeblocks by virtual fill.
//
// How it is fast: the LFSR register stays in the dual basis the whole time. The basis change
// is GF(2)-linear, so feedback = data ^ register[0] can be formed in the dual basis, and one
// 256-row table maps each dual-basis feedback byte f to the 2E dual-basis bytes
// dual(conv(f)·g_k): no per-byte basis conversion, no log/exp. The 2E-byte register is held
// in 64-bit locals and shifted a byte at a time. Each codeword of an interleaved frame is a
// strided pass over the frame (frame byte j belongs to codeword j mod I).
import { OK, E_BAD_LENGTH, E_NULL, E_RS_BAD_E, E_RS_BAD_DEPTH, E_RS_BAD_FRAME_LEN, E_RS_OVERLAP } from "../abi/status";
import { gf256Init, gfExp, gfMul, gfToConv, gfToDual } from "../util/gf256";

// 131.0-B-5 §4.3.4: roots of g(x) are α^(11·j) for j = 128-E … 127+E.
const RS_PRIM_STEP: u32 = 11;
const RS_ROOT_BASE: u32 = 128;
// 131.0-B-5 §4.3.1, §4.3.2: n = 255 symbols of J = 8 bits.
const RS_N: i32 = 255;

// Generator coefficients, conventional basis, g[0] (constant term) … g[2E] = 1.
const GEN16: usize = memory.data(33);
const GEN8: usize = memory.data(17);
// Parity rows: for each dual-basis feedback f, 2E dual-basis bytes (register order, byte 0 is
// the first parity symbol sent).
const ROWS16: usize = memory.data(256 * 32, 8);
const ROWS8: usize = memory.data(256 * 16, 8);
let rsReady = false;

function buildGenerator(gen: usize, e: u32): void {
  const nroots: u32 = 2 * e;
  for (let i: u32 = 0; i <= nroots; i++) store<u8>(gen + <usize>i, 0);
  store<u8>(gen, 1);
  for (let j: u32 = 0; j < nroots; j++) {
    // multiply by (x + root), root = α^(11·(128-E+j)) (131.0-B-5 §4.3.4)
    const root = gfExp((RS_PRIM_STEP * (RS_ROOT_BASE - e + j)) % 255);
    for (let i: i32 = <i32>j + 1; i > 0; i--) {
      const v = <u32>load<u8>(gen + <usize>(i - 1)) ^ gfMul(root, <u32>load<u8>(gen + <usize>i));
      store<u8>(gen + <usize>i, <u8>v);
    }
    store<u8>(gen, <u8>gfMul(root, <u32>load<u8>(gen)));
  }
}

function buildRows(rows: usize, gen: usize, nroots: u32): void {
  for (let f: u32 = 0; f < 256; f++) {
    const fc = gfToConv(f);
    for (let k: u32 = 0; k < nroots; k++) {
      // register byte k gets f·g[2E-1-k], converted to the dual basis (131.0-B-5 §4.3.9)
      const g = <u32>load<u8>(gen + <usize>(nroots - 1 - k));
      store<u8>(rows + <usize>(f * nroots + k), <u8>gfToDual(gfMul(fc, g)));
    }
  }
}

/** Builds the generator polynomials and parity tables (idempotent). */
export function rsInit(): void {
  if (rsReady) return;
  gf256Init();
  buildGenerator(GEN16, 16);
  buildGenerator(GEN8, 8);
  buildRows(ROWS16, GEN16, 32);
  buildRows(ROWS8, GEN8, 16);
  rsReady = true;
}

/** Address of g(x)'s 2E+1 conventional-basis coefficients, constant term first. */
export function rsGenerator(e: i32): usize { rsInit(); return e == 8 ? GEN8 : GEN16; }
/** Address of the 256 × 2E dual-basis parity rows. */
export function rsRows(e: i32): usize { rsInit(); return e == 8 ? ROWS8 : ROWS16; }

/** Status of a parameter set: OK, E_RS_BAD_E, E_RS_BAD_DEPTH or E_RS_BAD_FRAME_LEN. */
export function rsCheck(frameLen: i32, depth: i32, e: i32): i32 {
  if (e != 16 && e != 8) return E_RS_BAD_E; // 131.0-B-5 §4.3.1
  // 131.0-B-5 §4.3.5: I = 1, 2, 3, 4, 5 or 8
  if (depth < 1 || depth > 8 || depth == 6 || depth == 7) return E_RS_BAD_DEPTH;
  if (frameLen <= 0 || frameLen % depth != 0) return E_RS_BAD_FRAME_LEN;
  if (frameLen / depth > RS_N - 2 * e) return E_RS_BAD_FRAME_LEN; // 131.0-B-5 §4.3.7: fill Q >= 0
  return OK;
}

/**
 * Computes the 2E·I check symbols of a frame of frameLen bytes (dual basis) and writes them
 * at parityPtr, interleaved like the frame: parity byte k of codeword c at
 * parityPtr + k·I + c (131.0-B-5 §4.3.5, §4.3.8). A frame shorter than I·(255-2E) is a
 * shortened codeblock: the virtual fill is leading zeros, which leave the register at zero
 * (131.0-B-5 §4.3.7). Returns OK or a status: E_RS_* for bad parameters, E_RS_OVERLAP when
 * the frame and parity buffers overlap, E_BAD_LENGTH when a buffer runs past linear memory.
 */
export function rsEncode(framePtr: usize, frameLen: i32, depth: i32, e: i32, parityPtr: usize): i32 {
  const st = rsCheck(frameLen, depth, e);
  if (st != OK) return st;
  if (framePtr == 0 || parityPtr == 0) return E_NULL;
  const parityLen = <usize>(2 * e * depth);
  if (!inMemory(framePtr, <usize>frameLen) || !inMemory(parityPtr, parityLen)) return E_BAD_LENGTH;
  if (overlap(framePtr, <usize>frameLen, parityPtr, parityLen)) return E_RS_OVERLAP;
  rsInit();
  if (e == 16) encode16(framePtr, <usize>frameLen, <usize>depth, parityPtr);
  else encode8(framePtr, <usize>frameLen, <usize>depth, parityPtr);
  return OK;
}

function encode16(framePtr: usize, frameLen: usize, depth: usize, parityPtr: usize): void {
  const end = framePtr + frameLen;
  let c: usize = 0;
  // Two codewords per pass when I >= 2: two independent LFSR chains overlap in the CPU.
  for (; c + 1 < depth; c += 2) {
    let a0: u64 = 0, a1: u64 = 0, a2: u64 = 0, a3: u64 = 0;
    let b0: u64 = 0, b1: u64 = 0, b2: u64 = 0, b3: u64 = 0;
    for (let p = framePtr + c; p < end; p += depth) {
      // 131.0-B-5 §4.3.5 (symbol interleaving, figure in §4.4.1): frame byte j goes to codeword j mod I
      const ta = ROWS16 + (<usize>((<u32>load<u8>(p) ^ <u32>a0) & 0xff) << 5);
      const tb = ROWS16 + (<usize>((<u32>load<u8>(p, 1) ^ <u32>b0) & 0xff) << 5);
      a0 = ((a0 >> 8) | (a1 << 56)) ^ load<u64>(ta);
      b0 = ((b0 >> 8) | (b1 << 56)) ^ load<u64>(tb);
      a1 = ((a1 >> 8) | (a2 << 56)) ^ load<u64>(ta, 8);
      b1 = ((b1 >> 8) | (b2 << 56)) ^ load<u64>(tb, 8);
      a2 = ((a2 >> 8) | (a3 << 56)) ^ load<u64>(ta, 16);
      b2 = ((b2 >> 8) | (b3 << 56)) ^ load<u64>(tb, 16);
      a3 = (a3 >> 8) ^ load<u64>(ta, 24);
      b3 = (b3 >> 8) ^ load<u64>(tb, 24);
    }
    const q = parityPtr + c;
    storeStrided(q, a0, depth); storeStrided(q + 8 * depth, a1, depth);
    storeStrided(q + 16 * depth, a2, depth); storeStrided(q + 24 * depth, a3, depth);
    storeStrided(q + 1, b0, depth); storeStrided(q + 1 + 8 * depth, b1, depth);
    storeStrided(q + 1 + 16 * depth, b2, depth); storeStrided(q + 1 + 24 * depth, b3, depth);
  }
  if (c < depth) {
    let w0: u64 = 0, w1: u64 = 0, w2: u64 = 0, w3: u64 = 0;
    for (let p = framePtr + c; p < end; p += depth) {
      const t = ROWS16 + (<usize>((<u32>load<u8>(p) ^ <u32>w0) & 0xff) << 5);
      w0 = ((w0 >> 8) | (w1 << 56)) ^ load<u64>(t);
      w1 = ((w1 >> 8) | (w2 << 56)) ^ load<u64>(t, 8);
      w2 = ((w2 >> 8) | (w3 << 56)) ^ load<u64>(t, 16);
      w3 = (w3 >> 8) ^ load<u64>(t, 24);
    }
    if (depth == 1) {
      store<u64>(parityPtr, w0); store<u64>(parityPtr, w1, 8);
      store<u64>(parityPtr, w2, 16); store<u64>(parityPtr, w3, 24);
    } else {
      const q = parityPtr + c;
      storeStrided(q, w0, depth); storeStrided(q + 8 * depth, w1, depth);
      storeStrided(q + 16 * depth, w2, depth); storeStrided(q + 24 * depth, w3, depth);
    }
  }
}

function encode8(framePtr: usize, frameLen: usize, depth: usize, parityPtr: usize): void {
  const end = framePtr + frameLen;
  for (let c: usize = 0; c < depth; c++) {
    let w0: u64 = 0, w1: u64 = 0;
    for (let p = framePtr + c; p < end; p += depth) {
      const t = ROWS8 + (<usize>((<u32>load<u8>(p) ^ <u32>w0) & 0xff) << 4);
      w0 = ((w0 >> 8) | (w1 << 56)) ^ load<u64>(t);
      w1 = (w1 >> 8) ^ load<u64>(t, 8);
    }
    if (depth == 1) {
      store<u64>(parityPtr, w0); store<u64>(parityPtr, w1, 8);
    } else {
      const q = parityPtr + c;
      storeStrided(q, w0, depth); storeStrided(q + 8 * depth, w1, depth);
    }
  }
}

/** True when [ptr, ptr+len) lies inside linear memory (checked once at entry, so no trap). */
export function inMemory(ptr: usize, len: usize): bool {
  const top = <usize>memory.size() << 16;
  return ptr <= top && len <= top - ptr;
}

/** True when [a, a+aLen) and [b, b+bLen) share a byte. */
export function overlap(a: usize, aLen: usize, b: usize, bLen: usize): bool {
  return a < b + bLen && b < a + aLen;
}

// @ts-ignore: decorator
@inline function storeStrided(q: usize, w: u64, depth: usize): void {
  for (let k: usize = 0; k < 8; k++) {
    store<u8>(q + k * depth, <u8>(w >> (k << 3)));
  }
}
