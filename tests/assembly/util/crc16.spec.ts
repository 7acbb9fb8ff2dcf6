// CRC-16 of the FECF checked against a bit-serial CRC written from the polynomial.
import { CRC16_POLY, crc16, crc16Table } from "../../../assembly/util/crc16";

const BUF = heap.alloc(1200);
const CHECK = heap.alloc(16);

// MSB-first bit-serial division by x^16 + x^12 + x^5 + 1, no tables.
function bitCrc(ptr: usize, len: i32, crc: u32): u32 {
  let r = crc & 0xffff;
  for (let i = 0; i < len; i++) {
    const byte = <u32>load<u8>(ptr + <usize>i);
    for (let b = 7; b >= 0; b--) {
      const top = ((r >> 15) ^ (byte >> <u32>b)) & 1;
      r = (r << 1) & 0xffff;
      if (top) r ^= 0x1021;
    }
  }
  return r;
}

function fill(seed: u32, len: i32): void {
  let s = seed;
  for (let i = 0; i < len; i++) { s ^= s << 13; s ^= s >> 17; s ^= s << 5; store<u8>(BUF + <usize>i, <u8>s); }
}

describe("crc16", () => {
  it("[132.0-B-3 §4.1.6] CRC-16 of the ASCII check string 123456789 from preset 0xFFFF is 0x29B1 (no reflection, no final XOR)", () => {
    for (let i = 0; i < 9; i++) store<u8>(CHECK + <usize>i, <u8>(0x31 + i)); // ASCII "123456789"
    expect<u32>(crc16(CHECK, 9, 0xffff)).toBe(0x29b1);
    expect<u32>(bitCrc(CHECK, 9, 0xffff)).toBe(0x29b1);
  });

  it("[132.0-B-3 §4.1.6] byte table regenerated bit by bit from the polynomial 0x1021", () => {
    expect<u32>(CRC16_POLY).toBe(0x1021);
    const t0 = crc16Table(0);
    let bad = 0;
    for (let v: u32 = 0; v < 256; v++) {
      store<u8>(BUF, <u8>v);
      if (<u32>load<u16>(t0 + (<usize>v << 1)) != bitCrc(BUF, 1, 0)) bad++;
    }
    expect<i32>(bad).toBe(0);
  });

  it("[132.0-B-3 §4.1.6] slice-by-8 tables: entry v of table k is the CRC of v followed by k zero bytes", () => {
    let bad = 0;
    for (let k = 0; k < 8; k++) {
      const t = crc16Table(k);
      for (let v: u32 = 0; v < 256; v++) {
        for (let i = 0; i <= k; i++) store<u8>(BUF + <usize>i, 0);
        store<u8>(BUF, <u8>v);
        if (<u32>load<u16>(t + (<usize>v << 1)) != bitCrc(BUF, k + 1, 0)) bad++;
      }
    }
    expect<i32>(bad).toBe(0);
  });

  it("[132.0-B-3 §4.1.6] equals the bit-serial CRC for every length 0..1100, unaligned starts and chained calls", () => {
    fill(0x1234567, 1200);
    let bad = 0;
    for (let len = 0; len <= 1100; len++) {
      const off = <usize>(len % 7);
      const want = bitCrc(BUF + off, len, 0xffff);
      if (crc16(BUF + off, <usize>len, 0xffff) != want) bad++;
      const split = <usize>(len / 3);
      const part = crc16(BUF + off, split, 0xffff);
      if (crc16(BUF + off + split, <usize>len - split, part) != want) bad++;
    }
    expect<i32>(bad).toBe(0);
  });
});
