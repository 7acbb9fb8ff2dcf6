import { scanRecord, unpackLineSamples, recType, recPayloadLen, recConsumed, RECORD_SYNC, REC_CONFIG, REC_LINE, REC_END, REC_TC, REC_CLCW, CLCW_RECORD_LEN, TC_FRAME_MAX_LEN } from "../../../assembly/payload/bus-record";
import { hkGet, HK_SAMPLES_CLIPPED } from "../../../assembly/payload/housekeeping";
import { crc16 } from "../../../assembly/util/crc16";
import { storeU16BE, storeU32BE } from "../../../assembly/util/be";
import { E_NEED_INPUT, E_BUS_BAD_SYNC, E_BUS_BAD_CRC, E_BUS_BAD_LENGTH, E_BUS_BAD_TYPE } from "../../../assembly/abi/status";

function record(p: usize, type: u8, payloadLen: i32): i32 {
  storeU32BE(p, RECORD_SYNC); store<u8>(p + 4, type); store<u8>(p + 5, 1); storeU32BE(p + 6, <u32>payloadLen);
  for (let i = 0; i < payloadLen; i++) store<u8>(p + 10 + <usize>i, <u8>(i * 7));
  storeU16BE(p + <usize>(10 + payloadLen), crc16(p, <usize>(10 + payloadLen), 0xFFFF));
  return 12 + payloadLen;
}

describe("payload bus records", () => {
  it("a whole record is found and its length consumed", () => {
    const b = heap.alloc(256);
    const n = record(b, <u8>REC_LINE, 40);
    expect<i32>(scanRecord(b, n, 1000)).toBe(REC_LINE);
    expect<i32>(recType).toBe(REC_LINE);
    expect<i32>(recPayloadLen).toBe(40);
    expect<i32>(recConsumed).toBe(n);
  });

  it("one octet at a time: needs input until the record is whole", () => {
    const b = heap.alloc(256);
    const n = record(b, <u8>REC_END, 4);
    for (let k = 0; k < n; k++) expect<i32>(scanRecord(b, k, 1000)).toBe(E_NEED_INPUT);
    expect<i32>(scanRecord(b, n, 1000)).toBe(REC_END);
  });

  it("garbage before a record: bad sync, skipped up to the sync word", () => {
    const b = heap.alloc(256);
    for (let i = 0; i < 5; i++) store<u8>(b + <usize>i, 0xAA);
    const n = record(b + 5, <u8>REC_LINE, 8);
    expect<i32>(scanRecord(b, n + 5, 1000)).toBe(E_BUS_BAD_SYNC);
    expect<i32>(recConsumed).toBe(5);
    expect<i32>(scanRecord(b + 5, n, 1000)).toBe(REC_LINE);
  });

  it("a corrupted record is rejected by CRC and the scan resumes one octet on", () => {
    const b = heap.alloc(256);
    const n = record(b, <u8>REC_LINE, 30);
    store<u8>(b + 20, load<u8>(b + 20) ^ 0x10);
    expect<i32>(scanRecord(b, n, 1000)).toBe(E_BUS_BAD_CRC);
    expect<i32>(recConsumed).toBe(1);
  });

  it("an oversized length or unknown type is rejected before waiting for the payload", () => {
    const b = heap.alloc(256);
    record(b, <u8>REC_LINE, 30);
    expect<i32>(scanRecord(b, 20, 29)).toBe(E_BUS_BAD_LENGTH);
    record(b, 9, 30);
    expect<i32>(scanRecord(b, 20, 1000)).toBe(E_BUS_BAD_TYPE);
  });

  it("fewer than 4 octets: input is awaited, nothing is dropped", () => {
    const b = heap.alloc(16);
    for (let i = 0; i < 3; i++) store<u8>(b + <usize>i, 0xAA);
    expect<i32>(scanRecord(b, 3, 1000)).toBe(E_NEED_INPUT);
    expect<i32>(recConsumed).toBe(0);
  });

  it("garbage with no sync word: all but the last 3 octets (a possible sync start) are dropped", () => {
    const b = heap.alloc(16);
    for (let i = 0; i < 10; i++) store<u8>(b + <usize>i, 0xAA);
    expect<i32>(scanRecord(b, 10, 1000)).toBe(E_BUS_BAD_SYNC);
    expect<i32>(recConsumed).toBe(7);
  });

  it("a sync word in the last 4 octets is found: the garbage before it, and only that, is dropped", () => {
    const b = heap.alloc(16);
    for (let i = 0; i < 5; i++) store<u8>(b + <usize>i, 0xAA);
    storeU32BE(b + 5, RECORD_SYNC);
    expect<i32>(scanRecord(b, 9, 1000)).toBe(E_BUS_BAD_SYNC);
    expect<i32>(recConsumed).toBe(5);
  });

  it("[tengri §clcw] an unknown version or a type outside 1..6 is rejected one octet on; types 1, 3, 4 (telecommand), 5 (CLCW) and 6 (pan line) are accepted", () => {
    const b = heap.alloc(256);
    let n = record(b, <u8>REC_LINE, 8); store<u8>(b + 5, 2); storeU16BE(b + 18, crc16(b, 18, 0xFFFF));
    expect<i32>(scanRecord(b, n, 1000)).toBe(E_BUS_BAD_TYPE);
    expect<i32>(recConsumed).toBe(1);
    n = record(b, 7, 8);
    expect<i32>(scanRecord(b, n, 1000)).toBe(E_BUS_BAD_TYPE);
    n = record(b, 6, 8);
    expect<i32>(scanRecord(b, n, 1000)).toBe(6);
    n = record(b, <u8>REC_CLCW, 4);
    expect<i32>(scanRecord(b, n, 1000)).toBe(REC_CLCW);
    n = record(b, <u8>REC_TC, 8);
    expect<i32>(scanRecord(b, n, 1000)).toBe(REC_TC);
    n = record(b, 0, 8);
    expect<i32>(scanRecord(b, n, 1000)).toBe(E_BUS_BAD_TYPE);
    n = record(b, <u8>REC_CONFIG, 8);
    expect<i32>(scanRecord(b, n, 1000)).toBe(REC_CONFIG);
    n = record(b, <u8>REC_END, 8);
    expect<i32>(scanRecord(b, n, 1000)).toBe(REC_END);
  });

  it("[232.0-B-4 §4.1.2.7] a telecommand record may hold a whole TC frame (1024 octets) whatever the line limit; one octet more is refused", () => {
    const b = heap.alloc(1100);
    let n = record(b, <u8>REC_TC, TC_FRAME_MAX_LEN);
    expect<i32>(scanRecord(b, n, 100)).toBe(REC_TC);
    n = record(b, <u8>REC_TC, TC_FRAME_MAX_LEN + 1);
    expect<i32>(scanRecord(b, n, 100000)).toBe(E_BUS_BAD_LENGTH);
  });

  it("[tengri §clcw] [232.0-B-4 §4.2] a CLCW record (type 5) holds exactly the 4-octet word, whatever the line limit: 0, 3, 5 and 1024 octets are refused as a bad length before the payload is awaited", () => {
    const b = heap.alloc(1100);
    let n = record(b, <u8>REC_CLCW, CLCW_RECORD_LEN);
    expect<i32>(scanRecord(b, n, 0)).toBe(REC_CLCW);
    expect<i32>(recPayloadLen).toBe(4);
    expect<i32>(recConsumed).toBe(16);
    const bad: i32[] = [0, 3, 5, 1024];
    for (let i = 0; i < bad.length; i++) {
      n = record(b, <u8>REC_CLCW, bad[i]);
      expect<i32>(scanRecord(b, 10, 100000)).toBe(E_BUS_BAD_LENGTH);
      expect<i32>(recConsumed).toBe(1);
    }
  });

  it("a payload exactly at the largest length allowed is accepted; one octet more is refused", () => {
    const b = heap.alloc(256);
    const n = record(b, <u8>REC_LINE, 30);
    expect<i32>(scanRecord(b, n, 30)).toBe(REC_LINE);
    expect<i32>(recPayloadLen).toBe(30);
    expect<i32>(scanRecord(b, n, 29)).toBe(E_BUS_BAD_LENGTH);
  });

  it("a record whose last octet (CRC low) is missing waits for it", () => {
    const b = heap.alloc(256);
    const n = record(b, <u8>REC_LINE, 30);
    expect<i32>(scanRecord(b, n - 1, 1000)).toBe(E_NEED_INPUT);
    expect<i32>(recConsumed).toBe(0);
  });

  it("line samples: big-endian to native, values above the bit depth clipped to full scale and counted once each", () => {
    const src = heap.alloc(16), dst = heap.alloc(16);
    const v: u16[] = [0, 4094, 4095, 4096, 0xFFFF];
    for (let i = 0; i < 5; i++) storeU16BE(src + <usize>(2 * i), v[i]);
    const before = hkGet(HK_SAMPLES_CLIPPED);
    unpackLineSamples(dst, src, 5, 12);
    expect<u16>(load<u16>(dst)).toBe(0);
    expect<u16>(load<u16>(dst + 2)).toBe(4094);
    expect<u16>(load<u16>(dst + 4)).toBe(4095);
    expect<u16>(load<u16>(dst + 6)).toBe(4095);
    expect<u16>(load<u16>(dst + 8)).toBe(4095);
    expect<u32>(hkGet(HK_SAMPLES_CLIPPED) - before).toBe(2);   // 4096 and 65535; 4095 is in range
  });

  it("line samples at full scale are kept, not counted as clipped, in the four-sample words and in the tail alike", () => {
    // 7 samples: one word of four (full scale beside one over it, so the word is clipped sample by
    // sample) and a tail of three (full scale, one over, one under), at 12 bits.
    const src = heap.alloc(16), dst = heap.alloc(16);
    const v: u16[] = [4095, 4096, 4095, 1, 4095, 4096, 4094];
    for (let i = 0; i < 7; i++) storeU16BE(src + <usize>(2 * i), v[i]);
    const before = hkGet(HK_SAMPLES_CLIPPED);
    unpackLineSamples(dst, src, 7, 12);
    const want: u16[] = [4095, 4095, 4095, 1, 4095, 4095, 4094];
    for (let i = 0; i < 7; i++) expect<u16>(load<u16>(dst + <usize>(2 * i))).toBe(want[i]);
    expect<u32>(hkGet(HK_SAMPLES_CLIPPED) - before).toBe(2);   // the two 4096s only
  });
});
