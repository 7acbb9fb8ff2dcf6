// CCSDS 122.0-B-2 §4.5.3.2-§4.5.3.3: word-to-symbol mappings (tables 4-12, 4-13, 4-14) and the
// variable-length codes of the symbols (tables 4-15, 4-16, 4-17) with their option IDs (table
// 4-18). Static data; tests/assembly/ccsds122/tables.spec.ts checks each code set is prefix-free
// and complete (Kraft sum 1) and the mappings are permutations.

// Table 4-12: two-bit words.
export const MAP2: usize = memory.data<u8>([0, 2, 1, 3]);
// Table 4-13: three-bit words, general column (typesb[P], typesb[Ci], typesb[Hij], tranG, tranHi)
// and the tranD column (000 cannot occur; mapped to 0, never used).
export const MAP3: usize = memory.data<u8>([1, 4, 0, 5, 2, 6, 3, 7]);
export const MAP3D: usize = memory.data<u8>([0, 3, 0, 4, 1, 5, 2, 6]);
// Table 4-14: four-bit words, typesb[Ci] column and typesb[Hij]/tranHi column (0000 cannot occur).
export const MAP4C: usize = memory.data<u8>([10, 1, 3, 6, 2, 5, 9, 12, 0, 8, 7, 13, 4, 14, 11, 15]);
export const MAP4H: usize = memory.data<u8>([0, 1, 3, 6, 2, 5, 9, 11, 0, 8, 7, 12, 4, 13, 10, 14]);

// Codes: for word length L and option o, symbol s: value CODE_V[...] in CODE_L[...] bits.
// Layout: 2-bit words options 0..1 at [0, 8); 3-bit options 0..2 (2 = uncoded) at [8, 32);
// 4-bit options 0..3 (3 = uncoded) at [32, 96). Index = base + o·(2^L) + s.
export const CODE_L: usize = memory.data<u8>([
  // 2-bit, option 0 (table 4-15)
  1, 2, 3, 3,
  // 2-bit, uncoded
  2, 2, 2, 2,
  // 3-bit, option 0 (table 4-16)
  1, 2, 3, 5, 5, 5, 6, 6,
  // 3-bit, option 1
  2, 2, 3, 3, 4, 4, 4, 4,
  // 3-bit, uncoded
  3, 3, 3, 3, 3, 3, 3, 3,
  // 4-bit, option 0 (table 4-17)
  1, 2, 3, 4, 7, 7, 7, 7, 8, 8, 8, 8, 8, 8, 8, 8,
  // 4-bit, option 1
  2, 2, 3, 3, 4, 4, 6, 6, 6, 6, 6, 6, 7, 7, 7, 7,
  // 4-bit, option 2
  3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5,
  // 4-bit, uncoded
  4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
]);
export const CODE_V: usize = memory.data<u8>([
  1, 1, 1, 0,
  0, 1, 2, 3,
  1, 1, 1, 0, 1, 2, 6, 7,
  2, 3, 2, 3, 2, 3, 0, 1,
  0, 1, 2, 3, 4, 5, 6, 7,
  1, 1, 1, 1, 0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15,
  2, 3, 2, 3, 2, 3, 0, 1, 2, 3, 4, 5, 12, 13, 14, 15,
  4, 5, 6, 7, 4, 5, 6, 7, 4, 5, 6, 7, 0, 1, 2, 3,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
]);
/** Base index in CODE_L/CODE_V of word length L (2..4). */
@inline export function codeBase(len: i32): i32 { return len == 2 ? 0 : len == 3 ? 8 : 32; }
/** Number of options (uncoded last) per word length, and their ID bits (table 4-18). */
@inline export function optCount(len: i32): i32 { return len == 2 ? 2 : len == 3 ? 3 : 4; }
@inline export function idBits(len: i32): i32 { return len == 2 ? 1 : 2; }
/** ID value of option o for word length L: the uncoded option is all ones (table 4-18). */
@inline export function idValue(len: i32, o: i32): i32 { return len == 3 && o == 2 ? 3 : o; }
