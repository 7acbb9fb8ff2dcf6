// The flight code's own verdict on a configuration table, through the library build
// (build/lib.wasm: the same parser the image runs at boot), and the typed error every flight
// status becomes on the host: the status by name, the field by name and profile pointer, the value
// found and the values allowed — taken from the control block and the contract, never from a log.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadFlightLib, type FlightLib } from "../obc/lib.ts";
import { CONTRACT, type StatusName } from "./contract.gen.ts";
import { fieldAt, allowedText, tableLayout, type TableValues } from "./layout.ts";

const BANDS_AT = CONTRACT.configTable.blocks[0].fields.find((f) => f.name === "bands")!.offset as number;

/** The control block of the flight image (contract.controlBlock). */
export interface ControlBlock { status: number; field: number; found: number; expected: number; offset: number }

export class FlightStatusError extends Error {
  readonly statusName: StatusName | "unknown";
  readonly meaning: string;
  /** Contract name of the configuration field ("aecBlockSize"), when the status names one. */
  readonly fieldName?: string;
  /** The profile field it comes from (JSON pointer), when there is one. */
  readonly pointer?: string;
  /** The values the flight image accepts for that field (contract), in words. */
  readonly allowed?: string;
  constructor(readonly status: number, readonly detail: ControlBlock, bands?: number) {
    const s = CONTRACT.statuses.find((x) => x.code === status);
    const tf = bands !== undefined && (status === -402 || status === -403 || status === -2) ? fieldAt(CONTRACT, bands, detail.field) : undefined;
    const allowed = tf ? allowedText(tf.field) : undefined;
    const inRange = tf ? withinOwnRange(tf.field, detail.found) : false;
    const where = tf ? `field ${tf.block}.${tf.field.name}${tf.band !== undefined ? `[${tf.band}]` : ""} (table offset ${tf.offset}${tf.pointer ? `, profile ${tf.pointer}` : ""})` : "";
    const what = status === -403 ? `needs ${detail.found} octets of RAM, ${detail.expected} available`
      : tf && !inRange ? `${where} is ${detail.found}; allowed: ${allowed}`
      : tf ? `${where} is ${detail.found}: ${detail.expected === -1 ? "it must differ from the other APIDs and virtual channels" : `inconsistent with the rest of the table (limit ${detail.expected})`}`
      : `field ${detail.field}, found ${detail.found}, expected ${detail.expected}`;
    super(`${s?.name ?? "unknown status"} (${status}): ${s?.meaning ?? "not in the status table"}; ${what}`);
    this.name = "FlightStatusError";
    this.statusName = (s?.name ?? "unknown") as StatusName | "unknown";
    this.meaning = s?.meaning ?? "";
    this.fieldName = tf?.field.name;
    this.pointer = tf?.pointer;
    this.allowed = allowed;
  }
}

/** Does the value satisfy the field's own range or allowed set (so a refusal is a cross-field rule)? */
function withinOwnRange(f: { value?: number; enum?: Record<string, string>; bits?: Record<string, string>; min?: number; max?: number }, v: number): boolean {
  if (f.value !== undefined) return v === f.value;
  if (f.enum) return String(v) in f.enum;
  if (f.bits) { const mask = Object.keys(f.bits).reduce((a, k) => a | Number(k), 0); return (v & ~mask) === 0; }
  if (f.min !== undefined) return v >= f.min && v <= f.max!;
  return true;
}

const LIB_PATH = fileURLToPath(new URL("../../build/lib.wasm", import.meta.url));
let lib: { l: FlightLib; buf: number; cap: number } | undefined;
function flightLib(): { l: FlightLib; buf: number; cap: number } | undefined {
  if (!lib) {
    if (!existsSync(LIB_PATH)) return undefined;
    const l = loadFlightLib(LIB_PATH);
    lib = { l, buf: l.alloc(4096), cap: 4096 };
  }
  return lib;
}
/** True when build/lib.wasm exists (the flight's own checks can run on the host). */
export function flightChecksAvailable(): boolean { return flightLib() !== undefined; }

function parse(table: Uint8Array, whole = false): { st: number; detail: ControlBlock; l: FlightLib } {
  const f = flightLib();
  if (!f) throw new Error("build/lib.wasm not found: run npm run build");
  if (table.length > f.cap) throw new Error(`configuration table of ${table.length} octets is larger than any legal table`);
  f.l.u8().set(table, f.buf);
  const e = f.l.exports;
  // whole: everything the image checks at boot (parser, cross-block rules, the memory it needs);
  // else the parser alone (for the read-back).
  const st = (whole ? e.configCheck(f.buf, table.length) : e.cfgParse(f.buf, table.length)) as number;
  const detail = { status: e.cfgDetail(0), field: e.cfgDetail(1), found: e.cfgDetail(2), expected: e.cfgDetail(3), offset: e.cfgDetail(4) } as ControlBlock;
  return { st, detail, l: f.l };
}

/** The flight image's verdict on a table at boot (configCheck): null when accepted, else the typed error. */
export function flightCheckTable(table: Uint8Array): FlightStatusError | null {
  const { st, detail } = parse(table, true);
  return st === 0 ? null : new FlightStatusError(st, detail, table[BANDS_AT]);
}

/** The flight image's whole configuration check as figures: status, memory need, and the control block's field, found, expected. */
export interface FlightConfigCheck { status: number; memoryNeeded: number; field: number; found: number; expected: number }
export function flightConfigCheck(table: Uint8Array): FlightConfigCheck {
  const { st, detail, l } = parse(table, true);
  return st === 0
    ? { status: 0, memoryNeeded: l.exports.configMemoryNeeded() >>> 0, field: 0, found: 0, expected: 0 }
    : { status: st, memoryNeeded: 0, field: detail.field, found: detail.found, expected: detail.expected };
}

/** Every field as the flight parser read it (per-band fields as arrays); fields it does not keep are absent. */
export function flightReadBack(table: Uint8Array): TableValues {
  const { st, detail, l } = parse(table);
  if (st !== 0) throw new FlightStatusError(st, detail, table[BANDS_AT]);
  const bands = table[BANDS_AT];
  const out: TableValues = {};
  const names = CONTRACT.configTable.blocks.flatMap((b) => b.fields.map((f) => ({ f, perBand: !!b.repeat })));
  names.forEach(({ f, perBand }, id) => {
    if (!perBand) { const v = l.exports.cfgReadBack(id, 0) as number; if (!Number.isNaN(v)) out[f.name] = v; return; }
    const vs = Array.from({ length: bands }, (_, i) => l.exports.cfgReadBack(id, i) as number);
    if (!vs.some(Number.isNaN)) out[f.name] = vs;
  });
  return out;
}

export { tableLayout };
