// CRC-16/CCITT-FALSE for the Frame Error Control Field (132.0-B-3 §4.1.6, 732.0-B-4 §4.1.6):
// generator x^16 + x^12 + x^5 + 1 (0x1021), register preset to all ones by the caller, no
// reflection, no final XOR. Slice-by-8: eight 256-entry u16 tables in static data, filled once
// at first use (crc16Init); table k gives the register contribution of a byte followed by k
// zero bytes.

// 132.0-B-3 §4.1.6.2: generator polynomial x^16 + x^12 + x^5 + 1.
export const CRC16_POLY: u32 = 0x1021;
const CRC16_SLICES: i32 = 8;
const CRC16_TABLES: usize = memory.data(8 * 256 * 2, 8);
let crcReady = false;

/** Fills the slice-by-8 tables (idempotent). */
export function crc16Init(): void {
  if (crcReady) return;
  for (let v: u32 = 0; v < 256; v++) {
    let r: u32 = v << 8;
    for (let b = 0; b < 8; b++) r = (r & 0x8000) ? ((r << 1) ^ CRC16_POLY) : (r << 1);
    store<u16>(CRC16_TABLES + (<usize>v << 1), <u16>r);
  }
  for (let k = 1; k < CRC16_SLICES; k++) {
    const prev = CRC16_TABLES + (<usize>(k - 1) << 9);
    const cur = CRC16_TABLES + (<usize>k << 9);
    for (let v: usize = 0; v < 256; v++) {
      const p = <u32>load<u16>(prev + (v << 1));
      const r = ((p << 8) & 0xffff) ^ <u32>load<u16>(CRC16_TABLES + (<usize>(p >> 8) << 1));
      store<u16>(cur + (v << 1), <u16>r);
    }
  }
  crcReady = true;
}

/** Address of table k (0..7) of 256 u16 entries; table 0 is the classic byte table. */
export function crc16Table(k: i32): usize { crc16Init(); return CRC16_TABLES + (<usize>k << 9); }

// Entry of table k for the byte of v at bit `bit` (0, 8, 16 or 24): its byte offset is the byte
// times 2, i.e. (v >> (bit - 1)) & 0x1fe, one shift and one mask (the table address is a constant
// the optimizer folds). 32-bit halves of the 8-byte word: no 64-bit shifts.
// @ts-ignore: decorator
@inline function tab(k: usize, v: u32, bit: u32): u32 {
  const i = bit == 0 ? (v << 1) & 0x1fe : (v >> (bit - 1)) & 0x1fe;
  return <u32>load<u16>(CRC16_TABLES + (k << 9) + <usize>i);
}

/**
 * Updates the CRC register `crc` (low 16 bits) over len bytes at ptr and returns it.
 * Start a new FECF with crc = 0xFFFF (132.0-B-3 §4.1.6.2: shift register preset to all ones); the result is the FECF value.
 */
export function crc16(ptr: usize, len: usize, crc: u32): u32 {
  crc16Init();
  let r: u32 = crc & 0xffff;
  let p = ptr;
  const blocks = p + (len & ~(<usize>7));
  const end = ptr + len;
  while (p < blocks) {
    // bytes b0..b7 in memory order, b0 in the low byte of lo; the register meets b0 and b1
    const lo = load<u32>(p) ^ (((r >> 8) & 0xff) | ((r & 0xff) << 8));
    const hi = load<u32>(p, 4);
    r = tab(7, lo, 0) ^ tab(6, lo, 8) ^ tab(5, lo, 16) ^ tab(4, lo, 24)
      ^ tab(3, hi, 0) ^ tab(2, hi, 8) ^ tab(1, hi, 16) ^ tab(0, hi, 24);
    p += 8;
  }
  while (p < end) {
    r = ((r << 8) & 0xffff) ^ tab(0, (r >> 8) ^ <u32>load<u8>(p), 0);
    p++;
  }
  return r;
}
