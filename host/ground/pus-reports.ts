// The ground's decoding of the payload's PUS-C reports (ECSS-E-ST-70-41C; README "Commanding the
// payload"), written from the README's layouts, independent of the flight code: the TM secondary
// header, the packet error control, and every report's source data as named fields.
import { crc16 } from "./crc16.ts";
import { CONTRACT, STATUS, HK_VERSION } from "../contract/contract.gen.ts";
import { decodeHousekeeping, type Housekeeping } from "./housekeeping.ts";

export const TM_SEC_HDR_LEN = 14;
export const PEC_LEN = 2;

export class PusTmError extends Error {
  constructor(readonly reason: "length" | "pec" | "version" | "time-code" | "content", message: string) { super(message); this.name = "PusTmError"; }
}

export interface PusTm {
  apid: number; seqCount: number; service: number; subtype: number;
  /** Message type counter (one counter for every report of the payload). */
  counter: number; destination: number;
  /** CUC time of the report: the time tag of the last line the image accepted (s since 1958 TAI). */
  time: number;
  /** Source data (after the secondary header, before the PEC). */
  data: Uint8Array;
}

/** The status table's name of a code ("E_CFG_BAD_VALUE"), or the code as text. */
export function statusName(code: number): string {
  for (const [k, v] of Object.entries(STATUS)) if (v === code) return k;
  return String(code);
}

/**
 * Parses a TM packet from its fields as the link decoder gives them (APID, sequence count, data
 * field): rebuilds the primary header to check the PEC over the whole packet.
 */
export function parseTmPacket(apid: number, seqCount: number, dataField: Uint8Array): PusTm {
  if (dataField.length < TM_SEC_HDR_LEN + PEC_LEN) throw new PusTmError("length", `PUS report data field of ${dataField.length} octets is shorter than ${TM_SEC_HDR_LEN + PEC_LEN}`);
  const whole = new Uint8Array(6 + dataField.length);
  const dv = new DataView(whole.buffer);
  dv.setUint16(0, (0 << 13) | (0 << 12) | (1 << 11) | (apid & 0x7ff));   // version 0, TM, secondary header
  dv.setUint16(2, (3 << 14) | (seqCount & 0x3fff));
  dv.setUint16(4, dataField.length - 1);
  whole.set(dataField, 6);
  return parseTm(whole);
}

/** Parses a whole TM packet (primary header included): the secondary header and the PEC. */
export function parseTm(packet: Uint8Array): PusTm {
  if (packet.length < 6 + TM_SEC_HDR_LEN + PEC_LEN) throw new PusTmError("length", `PUS report of ${packet.length} octets is too short`);
  const dv = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  const len = dv.getUint16(4) + 1;
  if (len !== packet.length - 6) throw new PusTmError("length", `packet data length field says ${len} octets, the packet has ${packet.length - 6}`);
  const pec = dv.getUint16(packet.length - 2);
  const got = crc16(packet.subarray(0, packet.length - 2));
  if (pec !== got) throw new PusTmError("pec", `packet error control 0x${pec.toString(16)} does not match 0x${got.toString(16)}`);
  const pusVersion = packet[6] >> 4;
  if (pusVersion !== 2) throw new PusTmError("version", `TM PUS version ${pusVersion}, expected 2`);
  if (packet[13] !== 0x1e) throw new PusTmError("time-code", `unexpected CUC P-field 0x${packet[13].toString(16)}`);
  return {
    apid: dv.getUint16(0) & 0x7ff, seqCount: dv.getUint16(2) & 0x3fff, service: packet[7], subtype: packet[8],
    counter: dv.getUint16(9), destination: dv.getUint16(11), time: dv.getUint32(14) + dv.getUint16(18) / 65536,
    data: packet.slice(6 + TM_SEC_HDR_LEN, packet.length - 2),
  };
}

/** A failure notice of ST[1,2]/[1,8]: the status and the flight control block's detail. */
export interface FailureNotice { code: number; status: string; field: number; found: number; expected: number }
export const EVENT_NAMES: Record<number, string> = {
  1: "bus-record-rejected", 2: "lines-missing", 3: "tc-refused", 4: "tc-failed", 5: "frames-overflowed", 6: "parameter-applied", 7: "acquisition-stopped", 8: "acquisition-started",
  9: "booted", 10: "booted-on-trial", 11: "confirmed", 12: "fell-back", 13: "upload-accepted", 14: "upload-rejected", 15: "boot-record-invalid", 16: "mode-changed",
};
const SEVERITY = ["", "informative", "low", "medium", "high"] as const;

export type PusReport =
  | { kind: "verification"; service: 1; subtype: number; stage: "acceptance" | "start" | "progress" | "completion"; success: boolean; requestId: { packetId: number; seqControl: number; apid: number; seqCount: number }; failure?: FailureNotice; time: number; counter: number }
  | { kind: "are-you-alive"; service: 17; subtype: 2; time: number; counter: number }
  | { kind: "housekeeping"; service: 3; subtype: 25; structureId: number; housekeeping: Housekeeping; time: number; counter: number }
  | { kind: "event"; service: 5; subtype: number; severity: string; eventId: number; event: string; status: number; statusName: string; count: number; line: number;
      /** Events 7 and 8 (acquisition stopped / started): the counter of the first line not processed / processed again. */
      at?: number; time: number; counter: number }
  | { kind: "parameters"; service: 20; subtype: 2; values: { id: number; name: string; value: number }[]; time: number; counter: number }
  | { kind: "memory-check"; service: 6; subtype: 10; memoryId: number; memory: string; start: number; length: number; checksumType: "crc32" | "sha256" | string; checksum: string; time: number; counter: number };

/** ST[20] parameter id → contract field name: (block index << 8) | offset in the block. */
export function parameterName(id: number): string {
  const b = CONTRACT.configTable.blocks[id >> 8];
  const f = b?.fields.find((x) => x.offset === (id & 0xff));
  return f ? f.name : `0x${id.toString(16)}`;
}

/** Every report of the payload as named fields. Throws PusTmError on a report it cannot read. */
export function decodeReport(tm: PusTm): PusReport {
  const d = tm.data;
  const dv = new DataView(d.buffer, d.byteOffset, d.byteLength);
  const base = { time: tm.time, counter: tm.counter };
  const need = (n: number, what: string) => { if (d.length < n) throw new PusTmError("content", `${what}: ${d.length} octets, expected ${n}`); };
  if (tm.service === 1) {
    need(4, `ST[1,${tm.subtype}]`);
    const stages = ["acceptance", "acceptance", "start", "start", "progress", "progress", "completion", "completion"] as const;
    const stage = stages[tm.subtype - 1];
    if (!stage) throw new PusTmError("content", `ST[1,${tm.subtype}] is not a verification report`);
    const packetId = dv.getUint16(0), seqControl = dv.getUint16(2);
    const success = tm.subtype % 2 === 1;
    const r: PusReport = { kind: "verification", service: 1, subtype: tm.subtype, stage, success, requestId: { packetId, seqControl, apid: packetId & 0x7ff, seqCount: seqControl & 0x3fff }, ...base };
    if (!success) {
      need(20, `ST[1,${tm.subtype}] failure notice`);
      const code = dv.getInt32(4);
      r.failure = { code, status: statusName(code), field: dv.getInt32(8), found: dv.getInt32(12), expected: dv.getInt32(16) };
    }
    return r;
  }
  if (tm.service === 17 && tm.subtype === 2) return { kind: "are-you-alive", service: 17, subtype: 2, ...base };
  if (tm.service === 3 && tm.subtype === 25) {
    need(2, "ST[3,25]");
    // The housekeeping data decodes as a housekeeping packet's, behind a CUC of the report's time.
    const hkData = new Uint8Array(7 + d.length - 2);
    hkData.set(new Uint8Array([0x1e, 0, 0, 0, 0, 0, 0]));
    hkData.set(d.subarray(2), 7);
    const h = decodeHousekeeping(hkData);
    if (h.version !== HK_VERSION) throw new PusTmError("content", `housekeeping version ${h.version}`);
    return { kind: "housekeeping", service: 3, subtype: 25, structureId: dv.getUint16(0), housekeeping: { ...h, timeS: tm.time }, ...base };
  }
  if (tm.service === 5 && tm.subtype >= 1 && tm.subtype <= 4) {
    need(14, `ST[5,${tm.subtype}]`);
    const eventId = dv.getUint16(0), status = dv.getInt32(2);
    const interval = eventId === 7 || eventId === 8;
    if (interval) need(18, `ST[5,${tm.subtype}] event ${eventId} (stop interval)`);
    return { kind: "event", service: 5, subtype: tm.subtype, severity: SEVERITY[tm.subtype], eventId, event: EVENT_NAMES[eventId] ?? `event-${eventId}`, status, statusName: statusName(status), count: dv.getUint32(6), line: dv.getUint32(10), ...(interval ? { at: dv.getUint32(14) } : {}), ...base };
  }
  if (tm.service === 20 && tm.subtype === 2) {
    need(1, "ST[20,2]");
    const n = d[0];
    need(1 + 6 * n, "ST[20,2]");
    const values = Array.from({ length: n }, (_, i) => { const id = dv.getUint16(1 + 6 * i); return { id, name: parameterName(id), value: dv.getInt32(3 + 6 * i) }; });
    return { kind: "parameters", service: 20, subtype: 2, values, ...base };
  }
  if (tm.service === 6 && tm.subtype === 10) {
    need(11, "ST[6,10]");
    const type = d[9], len = d[10];
    need(11 + len, "ST[6,10] checksum");
    const memoryId = d[0];
    return {
      kind: "memory-check", service: 6, subtype: 10, memoryId, memory: ({ 1: "configuration", 2: "code", 3: "upload" } as Record<number, string>)[memoryId] ?? String(memoryId),
      start: dv.getUint32(1), length: dv.getUint32(5), checksumType: type === 1 ? "crc32" : type === 2 ? "sha256" : String(type),
      checksum: Buffer.from(d.subarray(11, 11 + len)).toString("hex"), ...base,
    };
  }
  throw new PusTmError("content", `ST[${tm.service},${tm.subtype}] is not a report the payload sends`);
}

/** One line per report, for the terminal. */
export function describeReport(r: PusReport): string {
  const t = `ST[${r.service},${r.subtype}]`;
  switch (r.kind) {
    case "verification": {
      const req = `request APID ${r.requestId.apid} seq ${r.requestId.seqCount}`;
      return r.success ? `${t} ${r.stage} success, ${req}` : `${t} ${r.stage} FAILURE ${r.failure!.status} (${r.failure!.code}) field ${r.failure!.field} found ${r.failure!.found} expected ${r.failure!.expected}, ${req}`;
    }
    case "are-you-alive": return `${t} are-you-alive report`;
    case "housekeeping": return `${t} housekeeping structure ${r.structureId}: state ${r.housekeeping.state}, lines ${r.housekeeping.linesAccepted}, TCs accepted ${r.housekeeping.pusAccepted}`;
    case "event": return `${t} event ${r.event} (${r.eventId}, ${r.severity}) status ${r.statusName} count ${r.count} at line ${r.line}${r.at !== undefined ? ` (${r.eventId === 7 ? "stopped from" : "resumed at"} line ${r.at})` : ""}`;
    case "parameters": return `${t} parameters ${r.values.map((v) => `${v.name}=${v.value}`).join(", ")}`;
    case "memory-check": return `${t} memory check ${r.memory} [${r.start}, +${r.length}) ${r.checksumType} ${r.checksum}`;
  }
}
