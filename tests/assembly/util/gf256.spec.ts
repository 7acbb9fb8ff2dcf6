// GF(2^8) and basis tables regenerated independently from their definitions.
import { GF_POLY, gfExpTable, gfLogTable, gfMul, gfToConvTable, gfToDualTable } from "../../../assembly/util/gf256";

// Carry-less multiply then reduce by F(x) bit by bit: no tables.
function slowMul(a: u32, b: u32): u32 {
  let r: u32 = 0;
  for (let i = 0; i < 8; i++) if ((b >> i) & 1) r ^= a << i;
  for (let i = 15; i >= 8; i--) if ((r >> i) & 1) r ^= 0x187 << (i - 8);
  return r;
}
function slowPow(a: u32, n: i32): u32 {
  let r: u32 = 1;
  for (let i = 0; i < n; i++) r = slowMul(r, a);
  return r;
}
// Tr(z) = z + z^2 + z^4 + … + z^128, an element of GF(2).
function trace(z: u32): u32 {
  let t: u32 = 0;
  let s = z;
  for (let i = 0; i < 8; i++) { t ^= s; s = slowMul(s, s); }
  return t; // 0 or 1
}
// The 131.0-B-5 §4.3.9 matrices, written out row by row as printed.
const CONV_TO_DUAL_MATRIX = "10001101 11101111 11101100 10000110 11111010 10011001 10101111 01111011";
const DUAL_TO_CONV_MATRIX = "11000101 01000010 00101110 11111101 11110000 01111001 10101100 11001100";
// row-vector × matrix over GF(2); vector bit i (i = 0 first) is the byte's bit 7-i.
function matMul(m: string, v: u32): u32 {
  let out: u32 = 0;
  for (let i = 0; i < 8; i++) {
    if (!((v >> (7 - i)) & 1)) continue;
    for (let j = 0; j < 8; j++) if (m.charCodeAt(i * 9 + j) == 49) out ^= 1 << (7 - j);
  }
  return out;
}

describe("gf256", () => {
  it("[131.0-B-5 §4.3.3] exp and log tables regenerated from F(x) = x^8+x^7+x^2+x+1", () => {
    expect<u32>(GF_POLY).toBe(0x187);
    const ex = gfExpTable();
    const lg = gfLogTable();
    let bad = 0;
    let a: u32 = 1;
    for (let i = 0; i < 255; i++) {
      if (<u32>load<u8>(ex + <usize>i) != a) bad++;
      if (<u32>load<u8>(ex + <usize>(i + 255)) != a) bad++;
      if (<i32>load<u8>(lg + <usize>a) != i) bad++;
      a = slowMul(a, 2);
    }
    expect<u32>(a).toBe(1); // α has order 255: F(x) is primitive
    expect<i32>(bad).toBe(0);
    // The exported table has 512 entries, every one α^(i mod 255): 510 and 511 too.
    expect<u32>(load<u8>(ex + 510)).toBe(1);
    expect<u32>(load<u8>(ex + 511)).toBe(2);
  });

  it("[131.0-B-5 §4.3.3] gfMul equals the carry-less product reduced by F(x) for all pairs", () => {
    let bad = 0;
    for (let a: u32 = 0; a < 256; a++) for (let b: u32 = 0; b < 256; b++) if (gfMul(a, b) != slowMul(a, b)) bad++;
    expect<i32>(bad).toBe(0);
  });

  it("[131.0-B-5 §4.3.9] conventional↔dual tables regenerated from the two printed matrices, and inverse to each other", () => {
    const toDual = gfToDualTable();
    const toConv = gfToConvTable();
    let bad = 0;
    for (let v: u32 = 0; v < 256; v++) {
      if (<u32>load<u8>(toDual + <usize>v) != matMul(CONV_TO_DUAL_MATRIX, v)) bad++;
      if (<u32>load<u8>(toConv + <usize>v) != matMul(DUAL_TO_CONV_MATRIX, v)) bad++;
      if (<u32>load<u8>(toConv + <usize>load<u8>(toDual + <usize>v)) != v) bad++;
    }
    expect<i32>(bad).toBe(0);
  });

  it("[131.0-B-5 §4.3.9] dual basis bits equal the trace definition z_j = Tr(x·β^j), β = α^117", () => {
    const toDual = gfToDualTable();
    let bad = 0;
    for (let x: u32 = 0; x < 256; x++) {
      let z: u32 = 0;
      for (let j = 0; j < 8; j++) z |= trace(slowMul(x, slowPow(2, 117 * j % 255))) << (7 - j); // z0 is the MSB
      if (<u32>load<u8>(toDual + <usize>x) != z) bad++;
    }
    expect<i32>(bad).toBe(0);
  });
});
