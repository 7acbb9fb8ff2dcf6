// Frame error control field: CRC-16/CCITT-FALSE (132.0-B-3 §4.1.6, 732.0-B-4 §4.1.6).
// Polynomial 0x1021, register preset 0xFFFF, no reflection, no final XOR. Ground-side,
// written independently of the flight code.

export const CRC16_POLY = 0x1021;
export const CRC16_INIT = 0xffff;

/** 8 tables of 256 entries for slicing-by-2 (table t = byte followed by t zero bytes). */
const TABLE = buildTable();

function buildTable(): Uint16Array {
  const t = new Uint16Array(512);
  for (let b = 0; b < 256; b++) {
    let c = b << 8;
    for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ CRC16_POLY) & 0xffff : (c << 1) & 0xffff;
    t[b] = c;
  }
  for (let b = 0; b < 256; b++) t[256 + b] = ((t[b] << 8) & 0xffff) ^ t[t[b] >>> 8];
  return t;
}

/** CRC-16/CCITT-FALSE over bytes[start, end), continuing from `crc`. */
export function crc16(bytes: Uint8Array, start = 0, end = bytes.length, crc = CRC16_INIT): number {
  const t = TABLE;
  let c = crc & 0xffff;
  let i = start;
  // Two bytes per step: c' = T1[(c>>8)^b0] ^ T0[(c&0xff)^b1]  (slicing-by-2).
  for (; i + 1 < end; i += 2) {
    c = t[256 + ((c >>> 8) ^ bytes[i])] ^ t[(c & 0xff) ^ bytes[i + 1]];
  }
  if (i < end) c = ((c << 8) & 0xffff) ^ t[(c >>> 8) ^ bytes[i]];
  return c;
}
