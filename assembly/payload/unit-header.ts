// The unit header that every packet of a compressed unit carries (CCSDS 121 units and tiles,
// the cloud mask, CCSDS 123 segments), so that every packet is self-describing:
//   CUC (7) of the unit's first line | first line u32 | line count u16 (final in the last
//   segment) | first pixel u16 | pixel count u16 | coder u8 (1 = CCSDS 121, 2 = CCSDS 123) |
//   coded bits per sample n u8 | J u8 | flags u8 (libaec's: 8 preprocess, 16 restricted) |
//   RSI u16 | octet offset u32 | requantization shift k u8 (0: lossless; k > 0: the unit codes
//   v >> k with n − k bits and the ground restores (v' << k) + 2^(k−1), an error of at most
//   2^(k−1) — cloud-screening "degrade")
import { storeU16BE, storeU32BE } from "../util/be";
import { packCuc } from "../packet/cuc";
import { UNIT_HEADER_LEN } from "../abi/contract";

export const UNIT_HDR_LEN: i32 = UNIT_HEADER_LEN;   // 28 (contract "unitHeader")
export const UNIT_CODER_CCSDS121: u8 = 1;
export const UNIT_CODER_CCSDS123: u8 = 2;

/** Writes a unit header from explicit fields (coder 1; a CCSDS 123 segment overwrites octet 17). */
export function packUnitHeader(dst: usize, coarse: u32, fine: u32, firstLine: u32, lines: i32, firstPixel: i32, count: i32, codedBits: i32, J: i32, flags: i32, rsi: i32, offset: u32, shift: i32): void {
  packCuc(dst, coarse, fine);
  storeU32BE(dst + 7, firstLine);
  storeU16BE(dst + 11, <u32>lines);
  storeU16BE(dst + 13, <u32>firstPixel);
  storeU16BE(dst + 15, <u32>count);
  store<u8>(dst + 17, UNIT_CODER_CCSDS121);
  store<u8>(dst + 18, <u8>codedBits);
  store<u8>(dst + 19, <u8>J);
  store<u8>(dst + 20, <u8>flags);
  storeU16BE(dst + 21, <u32>rsi);
  storeU32BE(dst + 23, offset);
  store<u8>(dst + 27, <u8>shift);
}
