import { packPrimaryHeader, headerApid, headerSecHdr, headerType, headerVersion, headerSeqFlags, headerSeqCount, headerDataLen, nextSeqCount, SEQ_FIRST, SEQ_LAST, SEQ_UNSEGMENTED } from "../../../assembly/packet/space-packet";
import { packCuc, P_FIELD_VALUE } from "../../../assembly/packet/cuc";

describe("space packet primary header", () => {
  it("[133.0-B-2 §4.1.3] golden A's packet header: 08 10 C0 00 00 D0", () => {
    const p = heap.alloc(8);
    packPrimaryHeader(p, 0x010, true, SEQ_UNSEGMENTED, 0, 209);
    expect<u8>(load<u8>(p)).toBe(0x08);
    expect<u8>(load<u8>(p + 1)).toBe(0x10);
    expect<u8>(load<u8>(p + 2)).toBe(0xC0);
    expect<u8>(load<u8>(p + 3)).toBe(0x00);
    expect<u8>(load<u8>(p + 4)).toBe(0x00);
    expect<u8>(load<u8>(p + 5)).toBe(0xD0);
  });

  it("[133.0-B-2 §4.1.3] pack/unpack round trip of every field at their extremes", () => {
    const p = heap.alloc(8);
    packPrimaryHeader(p, 0x7FE, false, SEQ_FIRST, 0x3FFF, 65536);
    expect<u32>(headerVersion(p)).toBe(0);
    expect<u32>(headerType(p)).toBe(0);
    expect<bool>(headerSecHdr(p)).toBe(false);
    expect<u32>(headerApid(p)).toBe(0x7FE);
    expect<u32>(headerSeqFlags(p)).toBe(SEQ_FIRST);
    expect<u32>(headerSeqCount(p)).toBe(0x3FFF);
    expect<i32>(headerDataLen(p)).toBe(65536);
    packPrimaryHeader(p, 0, true, SEQ_LAST, 1, 1);
    expect<u32>(headerApid(p)).toBe(0);
    expect<bool>(headerSecHdr(p)).toBe(true);
    expect<u32>(headerSeqFlags(p)).toBe(SEQ_LAST);
    expect<i32>(headerDataLen(p)).toBe(1);
  });

  it("[133.0-B-2 §4.1.3.4.3] the packet sequence count wraps modulo 16384", () => {
    expect<u32>(nextSeqCount(0x3FFF)).toBe(0);
    expect<u32>(nextSeqCount(5)).toBe(6);
  });
});

describe("CUC time code", () => {
  it("[301.0-B-4 §3.2.2] P-field 0x1E: 1958 epoch, 4 coarse and 2 fine octets", () => {
    expect<u32>(P_FIELD_VALUE).toBe(0x1E);
  });
  it("[301.0-B-4 §3.2.1] T-field: coarse seconds big-endian, fine truncated to 2^-16 s", () => {
    const p = heap.alloc(8);
    packCuc(p, 0x01020304, 0xABCD1234);
    expect<u8>(load<u8>(p)).toBe(0x1E);
    expect<u8>(load<u8>(p + 1)).toBe(0x01);
    expect<u8>(load<u8>(p + 4)).toBe(0x04);
    expect<u8>(load<u8>(p + 5)).toBe(0xAB);
    expect<u8>(load<u8>(p + 6)).toBe(0xCD);
  });
});
