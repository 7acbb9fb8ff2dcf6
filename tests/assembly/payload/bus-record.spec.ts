import { scanRecord, recType, recPayloadLen, recConsumed, RECORD_SYNC, REC_LINE, REC_END } from "../../../assembly/payload/bus-record";
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
});
