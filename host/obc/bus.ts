// Payload bus records, host side (the format is in the README, "Payload bus"): the encoder
// used by the sensor emulator and the HIL server, and a streaming splitter for tests.
import { crc16 } from "../util/crc16.ts";

export const RECORD_SYNC = 0x54474252; // "TGBR"
export const RECORD_VERSION = 1;
export const RECORD_HEADER_LEN = 10;
export const RECORD_CRC_LEN = 2;
export const LINE_HEADER_LEN = 18;
export enum RecordType { Config = 1, Line = 2, End = 3, Telecommand = 4, Clcw = 5, Pan = 6 }
/** The payload of a CLCW record (type 5): the 4-octet CLCW (232.0-B-4 §4.2) of the OBC's FARM-1. */
export const CLCW_RECORD_LEN = 4;

export function encodeRecord(type: RecordType, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(RECORD_HEADER_LEN + payload.length + RECORD_CRC_LEN);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, RECORD_SYNC);
  out[4] = type;
  out[5] = RECORD_VERSION;
  dv.setUint32(6, payload.length);
  out.set(payload, RECORD_HEADER_LEN);
  dv.setUint16(RECORD_HEADER_LEN + payload.length, crc16(out.subarray(0, RECORD_HEADER_LEN + payload.length)));
  return out;
}

export interface LineRecord {
  counter: number;
  timeCoarse: number;
  timeFine: number;
  bands: number;
  pixels: number;
  bitDepth: number;
  /** bands × pixels samples, band-interleaved by line. */
  samples: Uint16Array;
}

/** A line of the panchromatic channel (record type 6): the line payload with one band at the pan geometry. */
export function encodePanLine(l: Omit<LineRecord, "bands">): Uint8Array {
  const out = encodeLine({ ...l, bands: 1 });
  out[4] = RecordType.Pan;
  const end = out.length - RECORD_CRC_LEN;
  new DataView(out.buffer).setUint16(end, crc16(out.subarray(0, end)));
  return out;
}

export function encodeLine(l: LineRecord): Uint8Array {
  const n = l.bands * l.pixels;
  if (l.samples.length !== n) throw new RangeError(`line ${l.counter}: ${l.samples.length} samples, expected ${n}`);
  const out = new Uint8Array(RECORD_HEADER_LEN + LINE_HEADER_LEN + 2 * n + RECORD_CRC_LEN);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, RECORD_SYNC);
  out[4] = RecordType.Line;
  out[5] = RECORD_VERSION;
  dv.setUint32(6, LINE_HEADER_LEN + 2 * n);
  const p = RECORD_HEADER_LEN;
  dv.setUint32(p, l.counter >>> 0);
  dv.setUint32(p + 4, l.timeCoarse >>> 0);
  dv.setUint32(p + 8, l.timeFine >>> 0);
  dv.setUint16(p + 12, l.bands);
  dv.setUint16(p + 14, l.pixels);
  out[p + 16] = l.bitDepth;
  out[p + 17] = 0;
  const s = p + LINE_HEADER_LEN;
  for (let i = 0; i < n; i++) {
    const v = l.samples[i];
    out[s + 2 * i] = v >>> 8;
    out[s + 2 * i + 1] = v & 0xff;
  }
  const end = out.length - RECORD_CRC_LEN;
  dv.setUint16(end, crc16(out.subarray(0, end)));
  return out;
}

export function encodeEnd(lines: number): Uint8Array {
  const p = new Uint8Array(4);
  new DataView(p.buffer).setUint32(0, lines >>> 0);
  return encodeRecord(RecordType.End, p);
}
