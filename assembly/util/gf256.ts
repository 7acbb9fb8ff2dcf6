// GF(2^8) arithmetic for the CCSDS Reed-Solomon codes (131.0-B-5 §4), and the conversion
// between the conventional basis (1, α, …, α^7) and the Berlekamp dual basis used on the wire.
// Tables are static data filled once at first use (gf256Init); no allocation.

// 131.0-B-5 §4.3.3: field generator F(x) = x^8 + x^7 + x^2 + x + 1.
export const GF_POLY: u32 = 0x187;

// 131.0-B-5 §4.3.9: conventional → dual basis, [z0 … z7] = [u7 … u0] · T_α^-1 (the first
// matrix of §4.3.9). Row i multiplies u(7-i); within a row, the most significant bit is the
// z0 column. A byte's most significant bit is u7 (conventional) or z0 (dual, sent first).
const CONV_TO_DUAL_ROWS: usize = memory.data<u8>([0x8d, 0xef, 0xec, 0x86, 0xfa, 0x99, 0xaf, 0x7b]);
// 131.0-B-5 §4.3.9: dual → conventional, [u7 … u0] = [z0 … z7] · T_α (the second matrix).
// Row i multiplies z(i); within a row the most significant bit is the u7 column.
const DUAL_TO_CONV_ROWS: usize = memory.data<u8>([0xc5, 0x42, 0x2e, 0xfd, 0xf0, 0x79, 0xac, 0xcc]);

// exp[i] = α^i for i in 0..509 (doubled so a sum of two logs needs no reduction);
// log[a] = i with α^i = a for a != 0 (log[0] is unused and left 0).
const GF_EXP: usize = memory.data(512);
const GF_LOG: usize = memory.data(256);
const TO_DUAL: usize = memory.data(256);
const TO_CONV: usize = memory.data(256);
let gfReady = false;

/** Fills the field and basis tables (idempotent, cheap to call again). */
export function gf256Init(): void {
  if (gfReady) return;
  let x: u32 = 1;
  for (let i = 0; i < 255; i++) {
    store<u8>(GF_EXP + <usize>i, <u8>x);
    store<u8>(GF_EXP + <usize>(i + 255), <u8>x);
    store<u8>(GF_LOG + <usize>x, <u8>i);
    x <<= 1;
    if (x & 0x100) x ^= GF_POLY; // 131.0-B-5 §4.3.3
  }
  store<u8>(GF_EXP + 510, 1);
  store<u8>(GF_EXP + 511, load<u8>(GF_EXP + 1));
  for (let v: u32 = 0; v < 256; v++) {
    let d: u32 = 0;
    let c: u32 = 0;
    for (let k: u32 = 0; k < 8; k++) {
      // bit k of a conventional byte is u(k): row 7-k of the first matrix (§4.3.9)
      if ((v >> k) & 1) d ^= <u32>load<u8>(CONV_TO_DUAL_ROWS + <usize>(7 - k));
      // bit k of a dual byte is z(7-k): row 7-k of the second matrix (§4.3.9)
      if ((v >> k) & 1) c ^= <u32>load<u8>(DUAL_TO_CONV_ROWS + <usize>(7 - k));
    }
    store<u8>(TO_DUAL + <usize>v, <u8>d);
    store<u8>(TO_CONV + <usize>v, <u8>c);
  }
  gfReady = true;
}

/** Address of the 512-entry α^i table (for table builders and tests). */
export function gfExpTable(): usize { gf256Init(); return GF_EXP; }
/** Address of the 256-entry log table. */
export function gfLogTable(): usize { gf256Init(); return GF_LOG; }
/** Address of the 256-entry conventional → dual basis table. */
export function gfToDualTable(): usize { gf256Init(); return TO_DUAL; }
/** Address of the 256-entry dual → conventional basis table. */
export function gfToConvTable(): usize { gf256Init(); return TO_CONV; }

/** α^i for 0 <= i < 510. Call gf256Init() first. */
// @ts-ignore: decorator
@inline export function gfExp(i: u32): u32 { return <u32>load<u8>(GF_EXP + <usize>i); }
/** log_α(a) for a != 0. Call gf256Init() first. */
// @ts-ignore: decorator
@inline export function gfLog(a: u32): u32 { return <u32>load<u8>(GF_LOG + <usize>a); }

/** a·b in GF(2^8) (conventional basis). Call gf256Init() first. */
export function gfMul(a: u32, b: u32): u32 {
  if (a == 0 || b == 0) return 0;
  return gfExp(gfLog(a) + gfLog(b));
}

/** Conventional → dual basis (131.0-B-5 §4.3.9). Call gf256Init() first. */
// @ts-ignore: decorator
@inline export function gfToDual(a: u32): u32 { return <u32>load<u8>(TO_DUAL + <usize>a); }
/** Dual → conventional basis (131.0-B-5 §4.3.9). Call gf256Init() first. */
// @ts-ignore: decorator
@inline export function gfToConv(a: u32): u32 { return <u32>load<u8>(TO_CONV + <usize>a); }
