// Pseudo-randomizer checked against a Fibonacci LFSR written from h(x) and the published start.
import { randomize, randomizerTable } from "../../../assembly/sync/randomizer";

const BUF = heap.alloc(1024);
const EXPECT16 = heap.alloc(16);

// Independent generator: a 1-bit-at-a-time register whose taps read h(x) = x^8+x^7+x^5+x^3+1
// as "bit n+8 = XOR of bits n+7, n+5, n+3, n" over an 8-bit window, window preset to ones.
const bits = new StaticArray<u8>(255 * 8 + 8);
let bitsReady = false;
function refByte(i: i32): u32 {
  if (!bitsReady) {
    for (let n = 0; n < 8; n++) bits[n] = 1;
    for (let n = 0; n + 8 < 255 * 8 + 8; n++) bits[n + 8] = bits[n + 7] ^ bits[n + 5] ^ bits[n + 3] ^ bits[n];
    bitsReady = true;
  }
  let v: u32 = 0;
  const k = i % 255;
  for (let b = 0; b < 8; b++) v = (v << 1) | <u32>bits[k * 8 + b];
  return v;
}

describe("randomizer", () => {
  it("[131.0-B-5 §10.4.2] the sequence regenerated from h(x) = x^8+x^7+x^5+x^3+1 with all-ones preset", () => {
    const seq = randomizerTable();
    let bad = 0;
    for (let i = 0; i < 255; i++) if (<u32>load<u8>(seq + <usize>i) != refByte(i)) bad++;
    expect<i32>(bad).toBe(0);
  });

  it("[131.0-B-5 §10.4.3] sequence begins FF 48 0E C0 9A 0D 70 BC 8E 2C 93 AD A7 B7 46 CE", () => {
    const want: u8[] = [0xff, 0x48, 0x0e, 0xc0, 0x9a, 0x0d, 0x70, 0xbc, 0x8e, 0x2c, 0x93, 0xad, 0xa7, 0xb7, 0x46, 0xce];
    for (let i = 0; i < 16; i++) store<u8>(EXPECT16 + <usize>i, want[i]);
    for (let i = 0; i < 16; i++) store<u8>(BUF + <usize>i, 0);
    randomize(BUF, 16);
    let bad = 0;
    for (let i = 0; i < 16; i++) if (load<u8>(BUF + <usize>i) != load<u8>(EXPECT16 + <usize>i)) bad++;
    expect<i32>(bad).toBe(0);
  });

  it("[131.0-B-5 §10.4.3] period 255 bytes; every length and unaligned start XORs from the first sequence bit", () => {
    let bad = 0;
    for (let len = 0; len <= 700; len += 1) {
      const off = <usize>(len % 9);
      for (let i = 0; i < len; i++) store<u8>(BUF + off + <usize>i, <u8>(i * 7 + 3));
      randomize(BUF + off, <usize>len);
      for (let i = 0; i < len; i++) {
        if (<u32>load<u8>(BUF + off + <usize>i) != ((<u32>(i * 7 + 3) & 0xff) ^ refByte(i))) bad++;
      }
      randomize(BUF + off, <usize>len); // an involution: twice restores the data
      for (let i = 0; i < len; i++) if (<u32>load<u8>(BUF + off + <usize>i) != (<u32>(i * 7 + 3) & 0xff)) bad++;
      if (len > 30) len += 17; // keep the run short while crossing many phases
    }
    expect<i32>(bad).toBe(0);
  });
});
