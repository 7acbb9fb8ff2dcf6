// [tengri §aec-cli] aecUnpackSamples: libaec `aec` sample storage (1..4 bytes, LSB or MSB first)
// into the encoder's u16/u32 containers. Expected values worked by hand from the byte layout
// aec uses (least significant byte first by default, `-m` most significant first, `-3` three bytes).
import { aecUnpackSamples, AEC_UNPACK_MAX } from "../../../assembly/compress/aec121/storage";
import { E_NULL, E_BAD_LENGTH, E_AEC_BAD_PARAM } from "../../../assembly/abi/status";

const SRC = heap.alloc(64);
const DST = heap.alloc(64);
const BYTES: u8[] = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0xfa, 0xfb, 0xfc, 0xfd];

function fill(): void {
  for (let i = 0; i < BYTES.length; i++) store<u8>(SRC + <usize>i, BYTES[i]);
  memory.fill(DST, 0xee, 64);
}

describe("[tengri §aec-cli] aecUnpackSamples", () => {
  it("1-byte samples widen to u16 and u32 containers", () => {
    fill();
    expect<i32>(aecUnpackSamples(SRC, 1, false, 3, DST, 2)).toBe(3);
    expect<u16>(load<u16>(DST)).toBe(0x01);
    expect<u16>(load<u16>(DST, 2)).toBe(0x02);
    expect<u16>(load<u16>(DST, 4)).toBe(0x03);
    expect<u16>(load<u16>(DST, 6)).toBe(0xeeee); // nothing past count
    fill();
    expect<i32>(aecUnpackSamples(SRC + 8, 1, true, 2, DST, 4)).toBe(2); // byte order moot
    expect<u32>(load<u32>(DST)).toBe(0xfa);
    expect<u32>(load<u32>(DST, 4)).toBe(0xfb);
  });
  it("2-byte samples, LSB first (aec default) and MSB first (-m)", () => {
    fill();
    expect<i32>(aecUnpackSamples(SRC, 2, false, 2, DST, 2)).toBe(2);
    expect<u16>(load<u16>(DST)).toBe(0x0201);
    expect<u16>(load<u16>(DST, 2)).toBe(0x0403);
    fill();
    expect<i32>(aecUnpackSamples(SRC, 2, true, 2, DST, 2)).toBe(2);
    expect<u16>(load<u16>(DST)).toBe(0x0102);
    expect<u16>(load<u16>(DST, 2)).toBe(0x0304);
    fill();
    expect<i32>(aecUnpackSamples(SRC + 8, 2, true, 2, DST, 4)).toBe(2);
    expect<u32>(load<u32>(DST)).toBe(0xfafb);
    expect<u32>(load<u32>(DST, 4)).toBe(0xfcfd);
    fill();
    expect<i32>(aecUnpackSamples(SRC + 8, 2, false, 1, DST, 4)).toBe(1);
    expect<u32>(load<u32>(DST)).toBe(0xfbfa);
  });
  it("3-byte samples (-3), both byte orders, into u32 and (low 16 bits) u16", () => {
    fill();
    expect<i32>(aecUnpackSamples(SRC, 3, false, 4, DST, 4)).toBe(4);
    expect<u32>(load<u32>(DST)).toBe(0x030201);
    expect<u32>(load<u32>(DST, 4)).toBe(0x060504);
    expect<u32>(load<u32>(DST, 8)).toBe(0xfa0807);
    expect<u32>(load<u32>(DST, 12)).toBe(0xfdfcfb);
    fill();
    expect<i32>(aecUnpackSamples(SRC, 3, true, 4, DST, 4)).toBe(4);
    expect<u32>(load<u32>(DST)).toBe(0x010203);
    expect<u32>(load<u32>(DST, 4)).toBe(0x040506);
    expect<u32>(load<u32>(DST, 8)).toBe(0x0708fa);
    expect<u32>(load<u32>(DST, 12)).toBe(0xfbfcfd);
    expect<u32>(load<u32>(DST, 16)).toBe(0xeeeeeeee);
    fill();
    expect<i32>(aecUnpackSamples(SRC, 3, false, 1, DST, 2)).toBe(1);
    expect<u16>(load<u16>(DST)).toBe(0x0201);
    fill();
    expect<i32>(aecUnpackSamples(SRC, 3, true, 1, DST, 2)).toBe(1);
    expect<u16>(load<u16>(DST)).toBe(0x0203);
  });
  it("4-byte samples, both byte orders", () => {
    fill();
    expect<i32>(aecUnpackSamples(SRC, 4, false, 3, DST, 4)).toBe(3);
    expect<u32>(load<u32>(DST)).toBe(0x04030201);
    expect<u32>(load<u32>(DST, 4)).toBe(0x08070605);
    expect<u32>(load<u32>(DST, 8)).toBe(0xfdfcfbfa);
    fill();
    expect<i32>(aecUnpackSamples(SRC, 4, true, 3, DST, 4)).toBe(3);
    expect<u32>(load<u32>(DST)).toBe(0x01020304);
    expect<u32>(load<u32>(DST, 8)).toBe(0xfafbfcfd);
    fill();
    expect<i32>(aecUnpackSamples(SRC, 4, false, 1, DST, 2)).toBe(1);
    expect<u16>(load<u16>(DST)).toBe(0x0201);
    fill();
    expect<i32>(aecUnpackSamples(SRC, 4, true, 1, DST, 2)).toBe(1);
    expect<u16>(load<u16>(DST)).toBe(0x0304);
    expect<u16>(load<u16>(DST, 2)).toBe(0xeeee);
  });
  it("bad widths, counts and pointers are refused with a status, nothing written", () => {
    fill();
    expect<i32>(aecUnpackSamples(SRC, 0, false, 1, DST, 2)).toBe(E_AEC_BAD_PARAM);
    expect<i32>(aecUnpackSamples(SRC, 5, false, 1, DST, 4)).toBe(E_AEC_BAD_PARAM);
    expect<i32>(aecUnpackSamples(SRC, 2, false, 1, DST, 1)).toBe(E_AEC_BAD_PARAM);
    expect<i32>(aecUnpackSamples(SRC, 2, false, 1, DST, 3)).toBe(E_AEC_BAD_PARAM);
    expect<i32>(aecUnpackSamples(SRC, 2, false, -1, DST, 2)).toBe(E_BAD_LENGTH);
    expect<i32>(aecUnpackSamples(SRC, 2, false, AEC_UNPACK_MAX + 1, DST, 2)).toBe(E_BAD_LENGTH);
    expect<i32>(aecUnpackSamples(0, 2, false, 1, DST, 2)).toBe(E_NULL);
    expect<i32>(aecUnpackSamples(SRC, 2, false, 1, 0, 2)).toBe(E_NULL);
    expect<i32>(aecUnpackSamples(0, 2, false, 0, 0, 2)).toBe(0);
    expect<u32>(load<u32>(DST)).toBe(0xeeeeeeee);
  });
});
