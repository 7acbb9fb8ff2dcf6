// PUS-C telecommands for the payload (ECSS-E-ST-70-41C; README "Commanding the payload"): the
// packet builder and one builder per request the payload serves. The reports are decoded by
// the ground (host/ground/pus-reports.ts), re-exported here.
import { crc16 } from "../util/crc16.ts";
import { CONTRACT } from "../contract/contract.gen.ts";

export { parseTm, parseTmPacket, decodeReport, describeReport, parameterName, statusName, EVENT_NAMES, PusTmError, type PusTm, type PusReport } from "../ground/pus-reports.ts";

/** The contract's default telecommand APID (block commanding, field tcApid). */
export const DEFAULT_TC_APID: number = CONTRACT.configTable.blocks.find((b) => b.name === "commanding")!.fields.find((f) => f.name === "tcApid")!.default!;

/** Acknowledgement flags (§7.4.4.1): LSB acceptance … MSB completion. */
export const ACK = { acceptance: 0x1, start: 0x2, progress: 0x4, completion: 0x8 } as const;
export const FUNCTION = { startAcquisition: 1, stopAcquisition: 2, setProductMode: 3, flush: 4, rebootToUploaded: 5, uploadStart: 6, uploadEnd: 7 } as const;
export const PRODUCT_MODE = { raw: 0, ccsds121: 1, ccsds123: 2 } as const;
export const MEMORY = { configuration: 1, code: 2, upload: 3 } as const;
export const HK_STRUCTURE_PAYLOAD = 1;
export const EVENT = { "bus-record-rejected": 1, "lines-missing": 2, "tc-refused": 3, "tc-failed": 4, "frames-overflowed": 5, "parameter-applied": 6, "acquisition-stopped": 7, "acquisition-started": 8, "mode-changed": 16 } as const;

export class TcError extends Error {
  constructor(readonly field: string, message: string) { super(message); this.name = "TcError"; }
}

export interface TcSpec {
  apid?: number; seq?: number; service: number; subtype: number; source?: number;
  /** Acknowledgement flags (default acceptance | completion). */
  ack?: number; data?: Uint8Array;
}

/** A PUS-C TC packet: primary header, TC secondary header, application data, PEC. */
export function buildTc(s: TcSpec): Uint8Array {
  const apid = s.apid ?? DEFAULT_TC_APID, seq = s.seq ?? 0, source = s.source ?? 0, ack = s.ack ?? (ACK.acceptance | ACK.completion);
  const data = s.data ?? new Uint8Array(0);
  const check = (name: string, v: number, max: number) => { if (!Number.isInteger(v) || v < 0 || v > max) throw new TcError(name, `${name} must be an integer 0 … ${max}, got ${v}`); };
  check("apid", apid, 2046); check("seq", seq, 0x3fff); check("service", s.service, 255); check("subtype", s.subtype, 255); check("source", source, 0xffff); check("ack", ack, 15);
  const total = 6 + 5 + data.length + 2;
  if (total - 7 > 0xffff) throw new TcError("data", `application data of ${data.length} octets is too long`);
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint16(0, (0 << 13) | (1 << 12) | (1 << 11) | apid);     // 133.0-B-2 §4.1.3: version 0, TC, secondary header
  dv.setUint16(2, (3 << 14) | seq);                               // unsegmented
  dv.setUint16(4, total - 7);                                     // octets of the data field − 1
  out[6] = (2 << 4) | ack;                                        // PUS version 2 (PUS-C)
  out[7] = s.service; out[8] = s.subtype;
  dv.setUint16(9, source);
  out.set(data, 11);
  dv.setUint16(total - 2, crc16(out.subarray(0, total - 2)));
  return out;
}

/** ST[20] parameter id of a configuration table field: (block index << 8) | offset in its block. */
export function parameterId(name: string): number {
  const blocks = CONTRACT.configTable.blocks;
  for (let i = 0; i < blocks.length; i++) {
    const f = blocks[i].fields.find((x) => x.name === name);
    if (f) return (i << 8) | (f.offset as number);
  }
  throw new TcError("parameter", `unknown parameter ${name} (a configuration table field of host/contract/contract.json)`);
}

const u16 = (v: number) => [v >> 8 & 0xff, v & 0xff];
const u32 = (v: number) => [v >>> 24 & 0xff, v >>> 16 & 0xff, v >>> 8 & 0xff, v & 0xff];
const bytes = (a: number[]) => new Uint8Array(a);
function list(items: number[][]): Uint8Array {
  if (items.length < 1 || items.length > 32) throw new TcError("list", `a request carries 1 … 32 items, got ${items.length}`);
  return bytes([items.length, ...items.flat()]);
}

/** Application data and service/subtype of every request `tengri tc` knows. */
export const tc = {
  areYouAlive: (): TcSpec => ({ service: 17, subtype: 1 }),
  hkReport: (sid = HK_STRUCTURE_PAYLOAD): TcSpec => ({ service: 3, subtype: 27, data: list([u16(sid)]) }),
  hkEnable: (sid = HK_STRUCTURE_PAYLOAD): TcSpec => ({ service: 3, subtype: 5, data: list([u16(sid)]) }),
  hkDisable: (sid = HK_STRUCTURE_PAYLOAD): TcSpec => ({ service: 3, subtype: 6, data: list([u16(sid)]) }),
  hkPeriod: (lines: number, sid = HK_STRUCTURE_PAYLOAD): TcSpec => ({ service: 3, subtype: 31, data: list([[...u16(sid), ...u32(lines)]]) }),
  eventsEnable: (ids: number[]): TcSpec => ({ service: 5, subtype: 5, data: list(ids.map(u16)) }),
  eventsDisable: (ids: number[]): TcSpec => ({ service: 5, subtype: 6, data: list(ids.map(u16)) }),
  fn: (id: number, args: number[] = []): TcSpec => ({ service: 8, subtype: 1, data: bytes([...u16(id), ...args]) }),
  startAcquisition: (): TcSpec => tc.fn(FUNCTION.startAcquisition),
  stopAcquisition: (): TcSpec => tc.fn(FUNCTION.stopAcquisition),
  setProductMode: (mode: keyof typeof PRODUCT_MODE): TcSpec => tc.fn(FUNCTION.setProductMode, [PRODUCT_MODE[mode]]),
  flush: (): TcSpec => tc.fn(FUNCTION.flush),
  rebootToUploaded: (): TcSpec => tc.fn(FUNCTION.rebootToUploaded),
  uploadStart: (totalLen: number): TcSpec => tc.fn(FUNCTION.uploadStart, u32(totalLen)),
  uploadEnd: (sha256: Uint8Array): TcSpec => { if (sha256.length !== 32) throw new TcError("sha256", `upload end needs a 32-octet SHA-256, got ${sha256.length}`); return tc.fn(FUNCTION.uploadEnd, [...sha256]); },
  setParams: (values: [string | number, number][]): TcSpec => ({ service: 20, subtype: 3, data: list(values.map(([n, v]) => [...u16(typeof n === "number" ? n : parameterId(n)), ...u32(v | 0)])) }),
  reportParams: (names: (string | number)[]): TcSpec => ({ service: 20, subtype: 1, data: list(names.map((n) => u16(typeof n === "number" ? n : parameterId(n)))) }),
  memoryCheck: (memory: keyof typeof MEMORY, start = 0, length = 0): TcSpec => ({ service: 6, subtype: 9, data: bytes([MEMORY[memory], ...u32(start), ...u32(length)]) }),
  uploadSegment: (offset: number, seg: Uint8Array): TcSpec => ({ service: 6, subtype: 2, data: bytes([MEMORY.upload, ...u32(offset), ...u16(seg.length), ...seg]) }),
};
