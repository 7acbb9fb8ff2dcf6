// CCSDS 301.0-B-4 §3.2 CCSDS Unsegmented time Code (CUC): a P-field followed by a T-field of
// 4 coarse octets (seconds) and 2 fine octets (2^-16 s), 1958-01-01 TAI epoch (Level 1).

export const CUC_LEN: i32 = 7;   // P-field (1) + T-field (4 + 2)

// P-field (§3.2.2): extension (1) | time code ID (3) | coarse octets − 1 (2) | fine octets (2).
export const P_EXT_SHIFT: u32 = 7;
export const P_ID_SHIFT: u32 = 4;
export const P_ID_MASK: u32 = 0x7;
export const P_COARSE_SHIFT: u32 = 2;
export const P_COARSE_MASK: u32 = 0x3;
export const P_FINE_SHIFT: u32 = 0;
export const P_FINE_MASK: u32 = 0x3;
export const TIME_CODE_ID_1958: u32 = 1;          // "001": 1958 January 1 epoch, TAI (Level 1)
export const COARSE_OCTETS: u32 = 4;
export const FINE_OCTETS: u32 = 2;

export const P_FIELD_VALUE: u32 =
  ((<u32>0 & 1) << P_EXT_SHIFT) |
  ((TIME_CODE_ID_1958 & P_ID_MASK) << P_ID_SHIFT) |
  (((COARSE_OCTETS - 1) & P_COARSE_MASK) << P_COARSE_SHIFT) |
  ((FINE_OCTETS & P_FINE_MASK) << P_FINE_SHIFT); // 0x1E

/**
 * Writes P-field + T-field at ptr. coarse: whole seconds since the epoch; fine32: fraction of
 * a second in units of 2^-32 s, truncated to the 2 fine octets carried (2^-16 s).
 */
export function packCuc(ptr: usize, coarse: u32, fine32: u32): void {
  store<u8>(ptr, <u8>P_FIELD_VALUE);
  store<u32>(ptr + 1, bswap<u32>(coarse));
  store<u8>(ptr + 5, <u8>(fine32 >>> 24));
  store<u8>(ptr + 6, <u8>(fine32 >>> 16));
}
