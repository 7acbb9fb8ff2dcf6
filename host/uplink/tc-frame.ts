// TC transfer frames of CCSDS 232.0-B-4 §4.1: build (the ground) and parse (the OBC).
//
// Primary header, 5 octets (§4.1.2): version 2 bits = 00 | bypass flag 1 | control command flag 1 |
// spare 2 bits = 00 | spacecraft id 10 | virtual channel id 6 | frame length 10 (total octets − 1)
// | frame sequence number 8. Then the frame data field (no segment header on our virtual
// channels: it carries whole packets), then the FECF (§4.1.4): CRC-16/CCITT-FALSE over header
// and data field. A frame is at most 1024 octets (§4.1.2.7), so the data field at most 1017.
// Frame types (§4.1.2.3): AD (bypass 0, control 0), BD (1, 0), BC (1, 1); bypass 0 with control 1
// is not a valid frame. BC frames carry a COP-1 control command (232.0-B-4 §4.1.3.3, 232.1-B-2
// §5.3): Unlock = 00; Set V(R) = 82 00 V(R).
//
// parseTcFrame never throws on bytes: a frame it refuses comes back with the field at fault.
import { crc16 } from "../util/crc16.ts";

export const TC_HEADER_LEN = 5;
export const TC_FECF_LEN = 2;
export const TC_MAX_FRAME = 1024;
export const TC_MAX_DATA = TC_MAX_FRAME - TC_HEADER_LEN - TC_FECF_LEN;

export interface TcFrame {
  bypass: boolean;
  controlCommand: boolean;
  scid: number;
  vcid: number;
  seq: number;
  data: Uint8Array;
}

export type TcFrameType = "AD" | "BD" | "BC";
export function frameType(f: Pick<TcFrame, "bypass" | "controlCommand">): TcFrameType | null {
  return !f.bypass ? (f.controlCommand ? null : "AD") : f.controlCommand ? "BC" : "BD";
}

export class TcFrameError extends Error {
  constructor(readonly field: string, message: string) { super(message); }
}

function checkInt(v: number, name: string, max: number): void {
  if (!Number.isInteger(v) || v < 0 || v > max) throw new TcFrameError(name, `TC frame: ${name} ${v} is not an integer 0..${max}`);
}

/** Builds a TC transfer frame with its FECF. Throws TcFrameError naming the field for a value out of range. */
export function buildTcFrame(f: TcFrame): Uint8Array {
  checkInt(f.scid, "scid", 0x3ff);
  checkInt(f.vcid, "vcid", 0x3f);
  checkInt(f.seq, "seq", 0xff);
  if (!f.bypass && f.controlCommand) throw new TcFrameError("controlCommand", "TC frame: a control command frame must have the bypass flag set (232.0-B-4 §4.1.2.3)");
  if (f.data.length < 1 || f.data.length > TC_MAX_DATA) throw new TcFrameError("data", `TC frame: data field of ${f.data.length} octets, must be 1..${TC_MAX_DATA}`);
  const n = TC_HEADER_LEN + f.data.length + TC_FECF_LEN;
  const out = new Uint8Array(n);
  out[0] = (f.bypass ? 0x20 : 0) | (f.controlCommand ? 0x10 : 0) | (f.scid >>> 8);
  out[1] = f.scid & 0xff;
  out[2] = (f.vcid << 2) | ((n - 1) >>> 8);
  out[3] = (n - 1) & 0xff;
  out[4] = f.seq;
  out.set(f.data, TC_HEADER_LEN);
  const c = crc16(out.subarray(0, n - 2));
  out[n - 2] = c >>> 8; out[n - 1] = c & 0xff;
  return out;
}

/**
 * The 5-octet primary header a frame with these fields and a data field of dataLength octets will
 * have: what an SDLS MAC covers, so the data field can be secured before the frame is built.
 */
export function tcPrimaryHeader(f: Omit<TcFrame, "data">, dataLength: number): Uint8Array {
  return buildTcFrame({ ...f, data: new Uint8Array(dataLength) }).slice(0, TC_HEADER_LEN);
}

/**
 * A data field that depends on the frame's own header (SDLS authentication: the MAC covers the
 * primary header, whose sequence number the FOP assigns when it sends the frame). build() is
 * called once, with the header, and must return exactly length octets.
 */
export interface TcDataBuilder {
  length: number;
  build(header: Uint8Array): Uint8Array;
}

/** COP-1 control commands (232.1-B-2 §5.3.2). */
export const UNLOCK = Uint8Array.of(0x00);
export function setVrCommand(vr: number): Uint8Array { checkInt(vr, "vr", 0xff); return Uint8Array.of(0x82, 0x00, vr); }

export type ControlCommand = { kind: "unlock" } | { kind: "set-vr"; vr: number };
/** The control command in a BC frame's data field, or null if it is neither Unlock nor Set V(R). */
export function parseControlCommand(d: Uint8Array): ControlCommand | null {
  if (d.length === 1 && d[0] === 0x00) return { kind: "unlock" };
  if (d.length === 3 && d[0] === 0x82 && d[1] === 0x00) return { kind: "set-vr", vr: d[2] };
  return null;
}

export type TcParse =
  | { ok: true; frame: TcFrame; type: TcFrameType; length: number }
  | { ok: false; field: "length" | "version" | "spare" | "frameLength" | "fecf" | "type" | "scid" | "vcid"; message: string };

export interface TcExpect {
  /** The spacecraft id the receiver serves (any if absent). */
  scid?: number;
  /** The virtual channels it serves (any if absent). */
  vcids?: number[];
  /**
   * Octets after the frame that are allowed (fill of the last code block of a CLTU: at most 6).
   * Default 0: the frame length field must describe the bytes exactly.
   */
  trailingFill?: number;
}

/** Parses and validates a TC transfer frame (232.0-B-4 §4.1; the checks of the frame validation, §4.1.2 and §4.1.4). */
export function parseTcFrame(b: Uint8Array, x: TcExpect = {}): TcParse {
  if (b.length < TC_HEADER_LEN + 1 + TC_FECF_LEN) return { ok: false, field: "length", message: `TC frame of ${b.length} octets: shorter than header, one data octet and FECF (8)` };
  const version = b[0] >>> 6;
  if (version !== 0) return { ok: false, field: "version", message: `TC frame version ${version}, must be 0 (232.0-B-4 §4.1.2.2.2)` };
  if ((b[0] & 0x0c) !== 0) return { ok: false, field: "spare", message: `TC frame spare bits ${(b[0] >>> 2) & 3}, must be 0 (§4.1.2.4)` };
  const n = (((b[2] & 0x03) << 8) | b[3]) + 1;
  const fill = x.trailingFill ?? 0;
  if (n < TC_HEADER_LEN + 1 + TC_FECF_LEN || n > b.length || b.length - n > fill) {
    return { ok: false, field: "frameLength", message: `TC frame length field says ${n} octets, ${b.length} received${fill ? ` (up to ${fill} fill octets allowed)` : ""} (§4.1.2.7)` };
  }
  const c = crc16(b.subarray(0, n - 2));
  const got = (b[n - 2] << 8) | b[n - 1];
  if (c !== got) return { ok: false, field: "fecf", message: `TC frame FECF ${got.toString(16).padStart(4, "0")}, computed ${c.toString(16).padStart(4, "0")} (§4.1.4)` };
  const bypass = (b[0] & 0x20) !== 0, controlCommand = (b[0] & 0x10) !== 0;
  const type = frameType({ bypass, controlCommand });
  if (!type) return { ok: false, field: "type", message: "TC frame with control command flag set and bypass flag clear: not a valid frame type (§4.1.2.3)" };
  const scid = ((b[0] & 0x03) << 8) | b[1];
  if (x.scid !== undefined && scid !== x.scid) return { ok: false, field: "scid", message: `TC frame for spacecraft ${scid}, this is ${x.scid}` };
  const vcid = b[2] >>> 2;
  if (x.vcids && !x.vcids.includes(vcid)) return { ok: false, field: "vcid", message: `TC frame on virtual channel ${vcid}, served: ${x.vcids.join(", ")}` };
  return { ok: true, type, length: n, frame: { bypass, controlCommand, scid, vcid, seq: b[4], data: b.slice(TC_HEADER_LEN, n - 2) } };
}
