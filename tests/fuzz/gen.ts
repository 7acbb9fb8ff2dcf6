// The hostile inputs of the campaign, all from a fixed seed: configuration tables with correct
// CRCs (every field at its boundary values, random single-byte and single-word mutations),
// bus streams that lie, break and reorder, and images flashed with too little RAM.
import { loadProfile, type Profile } from "../../host/profiles/index.ts";
import { compileConfig } from "../../host/obc/config-table.ts";
import { encodeRecord, encodeLine, encodeEnd, RecordType, RECORD_SYNC } from "../../host/obc/bus.ts";
import { lineTime } from "../../host/sensor/time.ts";
import { crc16 } from "../../host/util/crc16.ts";
import { WASM_PAGE } from "../../host/obc/image.ts";
import { tableFields, readField, writeField, WIDTH, type TableField } from "./table-fields.ts";
import type { FuzzCase } from "./types.ts";
export { concat } from "../host/ground/link-builder.ts";
import { concat } from "../host/ground/link-builder.ts";

export const PROFILES = ["default", "cubesat-mcu", "eo-5band", "hyperspectral"];

// ---- seeded PRNG (mulberry32) -------------------------------------------------------------
export class Rng {
  private s: number;
  constructor(seed: number) { this.s = seed >>> 0; }
  u32(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  int(n: number): number { return n <= 0 ? 0 : this.u32() % n; }
  pick<T>(a: readonly T[]): T { return a[this.int(a.length)]; }
  bytes(n: number): Uint8Array { const b = new Uint8Array(n); for (let i = 0; i < n; i++) b[i] = this.u32() & 0xff; return b; }
}


/** Recomputes the table's own CRC (its last two octets). */
export function fixTableCrc(t: Uint8Array): Uint8Array {
  new DataView(t.buffer, t.byteOffset, t.byteLength).setUint16(t.length - 2, crc16(t.subarray(0, t.length - 2)));
  return t;
}

/** Recomputes a record's CRC from its own length field (when it fits in the record). */
export function fixRecordCrc(r: Uint8Array): Uint8Array {
  const dv = new DataView(r.buffer, r.byteOffset, r.byteLength);
  const len = dv.getUint32(6);
  if (10 + len + 2 <= r.length) dv.setUint16(10 + len, crc16(r.subarray(0, 10 + len)));
  return r;
}

// ---- per-profile fixture --------------------------------------------------------------------
export interface Geometry { bands: number; pixels: number; bitDepth: number }

export interface Fixture {
  name: string;
  profile: Profile;
  table: Uint8Array;
  config: Uint8Array;
  geometry: Geometry;
  /** Lines of the pass in the profile's geometry (encoded records). */
  lines: Uint8Array[];
  end: Uint8Array;
  /** The image flashed for the profile: memory maximum = the OBC's RAM. */
  maxPages: number;
  /** The shipped table and a short pass in the shipped geometry. */
  full: { table: Uint8Array; input: Uint8Array };
}

/** Largest line (samples) the campaign sends; a table asking for more gets lines of the profile's geometry. */
const MAX_LINE_SAMPLES = 1 << 19;
/** Input budget per table case. */
const MAX_CASE_BYTES = 3 << 20;
/** Lines per pass: a few, so a case costs milliseconds. */
export const PASS_LINES = 6;
/** Idle frames per line record at most (table offset 46): the shipped profiles' links are fast and a
 * short pass would otherwise be mostly idle frames for the ground decoder to chew through. */
export const IDLE_PER_LINE = 4;

const lineCache = new Map<string, Uint8Array[]>();

/** n line records of a geometry: noise over bright (cloud-like), dark and mid blocks; some samples above the bit depth. */
export function makeLines(p: Profile, g: Geometry, n: number, first = 0): Uint8Array[] {
  const key = `${p.name}:${g.bands}x${g.pixels}x${g.bitDepth}:${n}:${first}`;
  const hit = lineCache.get(key);
  if (hit) return hit;
  const rng = new Rng(0x5eed ^ g.pixels ^ (g.bands << 16));
  const max = (1 << g.bitDepth) - 1;
  const out: Uint8Array[] = [];
  const levels = Array.from({ length: 64 }, (_, i) => [0.9, 0.05, 0.3, 0.6, 1.2][i % 5]);
  for (let l = first; l < first + n; l++) {
    const s = new Uint16Array(g.bands * g.pixels);
    for (let b = 0; b < g.bands; b++) {
      for (let x = 0; x < g.pixels; x++) {
        const lv = levels[((x >> 5) + b) & 63];
        let v = Math.round(lv * max * 0.7 + (rng.u32() & 15));
        if (v > 65535) v = 65535;
        s[b * g.pixels + x] = v;
      }
    }
    const t = lineTime(p, l);
    out.push(encodeLine({ counter: l, timeCoarse: t.coarse, timeFine: t.fine, bands: g.bands, pixels: g.pixels, bitDepth: g.bitDepth, samples: s }));
  }
  if (lineCache.size > 16) lineCache.clear();
  lineCache.set(key, out);
  return out;
}

/** Pixels per line of the campaign's scenes (the shipped profiles' lines are 1000–12000 pixels). */
export const SMALL_PIXELS = 256;
/** …and at most this many samples per line (bands × pixels). */
export const SMALL_LINE_SAMPLES = 8192;
/** CCSDS 123 segment length of the campaign's scenes (a short pass would be padded to 64 lines). */
export const SMALL_SEGMENT = 8;

/**
 * The profile as the campaign flies it: its own table layout, link, products and RAM, on a small
 * scene (at most SMALL_PIXELS pixels per line, CCSDS 123 segments of SMALL_SEGMENT lines) so a
 * case costs milliseconds; `full` keeps the shipped table and geometry (baseline and RAM cases).
 */
export function smallProfile(p: Profile): Profile {
  const q = structuredClone(p);
  q.sensor.pixelsPerLine = Math.min(p.sensor.pixelsPerLine, SMALL_PIXELS, Math.max(16, Math.floor(SMALL_LINE_SAMPLES / p.sensor.bands.length)));
  if (q.products.image.compression === "ccsds123") q.products.image.ccsds123 = { ...(q.products.image.ccsds123 ?? {}), segmentLines: SMALL_SEGMENT };
  const a = q.products.image.ccsds121 as { unitPixels?: number } | undefined;
  if (a && (a.unitPixels ?? 0) > q.sensor.pixelsPerLine) a.unitPixels = 0;
  return q;
}

export function fixture(name: string): Fixture {
  const shipped = loadProfile(name);
  const profile = smallProfile(shipped);
  const table = compileConfig(profile, { maxIdlePerLine: IDLE_PER_LINE });
  const geometry = { bands: profile.sensor.bands.length, pixels: profile.sensor.pixelsPerLine, bitDepth: profile.sensor.bitDepth };
  const fullTable = compileConfig(shipped);
  const fullGeometry = { bands: shipped.sensor.bands.length, pixels: shipped.sensor.pixelsPerLine, bitDepth: shipped.sensor.bitDepth };
  return {
    name, profile, table, config: encodeRecord(RecordType.Config, table), geometry,
    lines: makeLines(profile, geometry, PASS_LINES), end: encodeEnd(PASS_LINES),
    maxPages: Math.floor(profile.obc.ramBytes / WASM_PAGE),
    full: { table: fullTable, input: concat([encodeRecord(RecordType.Config, fullTable), ...makeLines(shipped, fullGeometry, FULL_LINES), encodeEnd(FULL_LINES)]) },
  };
}

/** Lines of the passes in the shipped geometry. */
export const FULL_LINES = 2;

/** The bus stream of a pass run with this table: lines in the table's geometry when it is plausible, else the profile's. */
export function tablePass(f: Fixture, table: Uint8Array): Uint8Array {
  const dv = new DataView(table.buffer, table.byteOffset, table.byteLength);
  const g: Geometry = { bands: table[15], pixels: dv.getUint16(16), bitDepth: table[18] };
  let lines = f.lines, n = PASS_LINES;
  const same = g.bands === f.geometry.bands && g.pixels === f.geometry.pixels && g.bitDepth === f.geometry.bitDepth;
  if (!same && g.bands >= 1 && g.pixels >= 1 && g.bitDepth >= 1 && g.bitDepth <= 16 && g.bands * g.pixels <= MAX_LINE_SAMPLES) {
    const lineBytes = 30 + 2 * g.bands * g.pixels;
    n = Math.max(2, Math.min(PASS_LINES, Math.floor(MAX_CASE_BYTES / lineBytes)));
    lines = makeLines(f.profile, g, n);
  }
  return concat([encodeRecord(RecordType.Config, table), ...lines, encodeEnd(n)]);
}

// ---- configuration tables -------------------------------------------------------------------
const F32_MAX = 3.4028234663852886e38;

function intRange(t: TableField): [number, number] {
  switch (t.type) {
    case "u8": return [0, 0xff];
    case "u16": return [0, 0xffff];
    case "u32": return [0, 0xffffffff];
    default: return [-0x80000000, 0x7fffffff];
  }
}

/** The boundary values of a field: 0, 1, max, max−1, the original ±1, its neighbours' values, and per type negative / NaN / ±Inf. */
export function boundaryValues(table: Uint8Array, fields: TableField[], i: number): number[] {
  const f = fields[i];
  const orig = readField(table, f);
  const vals: number[] = [];
  const neighbours = [fields[i - 1], fields[i + 1]].filter(Boolean).map((n) => readField(table, n)).filter(Number.isFinite);
  if (f.type === "f32") {
    vals.push(0, -0, 1, -1, NaN, Infinity, -Infinity, F32_MAX, -F32_MAX, 1.4e-45, orig + 1, orig - 1, -orig, ...neighbours);
  } else {
    const [lo, hi] = intRange(f);
    vals.push(0, 1, hi, hi - 1, orig - 1, orig + 1, ...neighbours.map(Math.trunc));
    if (f.type === "i32") vals.push(-1, lo, lo + 1);
    else vals.push(2 ** (8 * WIDTH[f.type] - 1)); // the sign bit: "negative" read as signed
  }
  // Distinct encodings other than the original.
  const seen = new Set<string>();
  const key = (v: number) => { const t = table.slice(); writeField(t, f, v); return Buffer.from(t.subarray(f.offset, f.offset + WIDTH[f.type])).toString("hex"); };
  const origKey = Buffer.from(table.subarray(f.offset, f.offset + WIDTH[f.type])).toString("hex");
  seen.add(origKey);
  const out: number[] = [];
  for (const v of vals) {
    const k = key(v);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(v);
  }
  return out;
}

function fmt(v: number): string { return Object.is(v, -0) ? "-0" : String(v); }

/** Every field of every block at each of its boundary values (one field changed per table, CRCs right). */
export function* boundaryTables(f: Fixture, bandSubset?: number[]): Generator<FuzzCase> {
  const fields = tableFields(f.geometry.bands, bandSubset);
  for (let i = 0; i < fields.length; i++) {
    for (const v of boundaryValues(f.table, fields, i)) {
      const t = f.table.slice();
      writeField(t, fields[i], v);
      fixTableCrc(t);
      yield { profile: f.name, kind: "table-boundary", name: `${fields[i].name} = ${fmt(v)}`, table: t, input: tablePass(f, t), maxPages: f.maxPages, accept: t };
    }
  }
}

/** One random mutation of a table (CRCs fixed afterwards). */
export function mutateTable(f: Fixture, rng: Rng, fields: TableField[]): { table: Uint8Array; name: string } {
  const t = f.table.slice();
  const body = t.length - 2;
  const names: string[] = [];
  const ops = 1 + (rng.int(8) === 0 ? 1 : 0);        // mostly one mutation, sometimes two
  for (let k = 0; k < ops; k++) {
    const op = rng.int(10);
    if (op < 3) {
      const at = rng.int(body), v = rng.u32() & 0xff;
      t[at] = v; names.push(`byte ${at} = 0x${v.toString(16)}`);
    } else if (op < 4) {
      const at = rng.int(body), bit = rng.int(8);
      t[at] ^= 1 << bit; names.push(`byte ${at} bit ${bit} flipped`);
    } else if (op < 6) {
      const at = rng.int(body - 3), v = rng.u32();
      new DataView(t.buffer).setUint32(at, v); names.push(`word at ${at} = 0x${v.toString(16)}`);
    } else if (op < 8) {
      const fld = rng.pick(fields);
      const v = fld.type === "f32" ? new Float32Array(new Uint32Array([rng.u32()]).buffer)[0] : fld.type === "i32" ? rng.u32() | 0 : rng.u32() % 2 ** (8 * WIDTH[fld.type]);
      writeField(t, fld, v); names.push(`${fld.name} = ${fmt(v)}`);
    } else {
      const i = rng.int(fields.length);
      const vals = boundaryValues(f.table, fields, i);
      const v = vals.length ? rng.pick(vals) : 0;
      writeField(t, fields[i], v); names.push(`${fields[i].name} = ${fmt(v)}`);
    }
  }
  fixTableCrc(t);
  return { table: t, name: names.join(", ") };
}

export function* randomTables(f: Fixture, n: number, seed: number): Generator<FuzzCase> {
  const rng = new Rng(seed ^ hashName(f.name));
  const fields = tableFields(f.geometry.bands);
  for (let i = 0; i < n; i++) {
    const { table, name } = mutateTable(f, rng, fields);
    yield { profile: f.name, kind: "table-random", name: `#${i}: ${name}`, table, input: tablePass(f, table), maxPages: f.maxPages, accept: table };
  }
}

function hashName(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

// ---- bus streams -----------------------------------------------------------------------------
/** A record with its length field replaced (CRC recomputed where the new length leaves room, else left). */
function withLength(r: Uint8Array, len: number, body: "keep" | "match"): Uint8Array {
  let out: Uint8Array;
  if (body === "match" && len <= r.length + (1 << 20)) {
    out = new Uint8Array(10 + len + 2);
    out.set(r.subarray(0, Math.min(r.length - 2, 10 + len)));
  } else out = r.slice();
  new DataView(out.buffer).setUint32(6, len >>> 0);
  return fixRecordCrc(out);
}

function retag(r: Uint8Array, type: number, version: number): Uint8Array {
  const out = r.slice();
  out[4] = type; out[5] = version;
  return fixRecordCrc(out);
}

/** A line record rebuilt with a changed header field (CRC right). */
function lineWith(r: Uint8Array, edit: (dv: DataView, bytes: Uint8Array) => Uint8Array | void): Uint8Array {
  let out: Uint8Array = r.slice();
  const res = edit(new DataView(out.buffer), out);
  if (res) out = res;
  return fixRecordCrc(out);
}

/** The structured stream cases of a profile (the configuration record truncated at every octet, or with truncationStride > 1 at every octet of its first 64 and last 16 and every truncationStride-th between). */
export function* streamCases(f: Fixture, truncationStride = 1, rng = new Rng(0x57ea)): Generator<FuzzCase> {
  const C = f.config, L = f.lines, E = f.end;
  const pass = (...parts: Uint8Array[]) => concat(parts);
  const mk = (name: string, input: Uint8Array, accept: Uint8Array | null = f.table, alt?: Uint8Array[]): FuzzCase => ({ profile: f.name, kind: "stream", name, input, maxPages: f.maxPages, accept, alt, expect: accept ? "ran" : "refused" });
  yield mk("valid pass (baseline)", pass(C, ...L, E));
  yield mk("shipped table and geometry, 2 lines", f.full.input, f.full.table);
  yield mk("empty input", new Uint8Array(0), null);
  yield mk("garbage only", rng.bytes(5000), null);
  yield mk("configuration only, no end of pass", pass(C));
  yield mk("end of pass missing", pass(C, ...L));
  yield mk("end of pass first", pass(E, C, ...L, E));
  yield mk("records after end of pass", pass(C, ...L, E, ...L, E));
  yield mk("end of pass with a wrong count", pass(C, ...L, encodeEnd(12345)));
  yield mk("end of pass payload of 0 octets", pass(C, ...L, encodeRecord(RecordType.End, new Uint8Array(0))));
  yield mk("line before configuration", pass(L[0], C, ...L.slice(1), E));
  yield mk("garbage before configuration", pass(rng.bytes(777), C, ...L, E));
  yield mk("garbage between records", pass(C, rng.bytes(100), L[0], rng.bytes(1), L[1], rng.bytes(3000), ...L.slice(2), rng.bytes(17), E));
  const sync = new Uint8Array(4); new DataView(sync.buffer).setUint32(0, RECORD_SYNC);
  yield mk("partial and false sync words between records", pass(C, sync.subarray(0, 3), L[0], sync, new Uint8Array(6), L[1], sync, rng.bytes(40), ...L.slice(2), E));
  yield mk("false sync with a huge length before the configuration", pass(sync, Uint8Array.of(1, 1, 0xff, 0xff, 0xff, 0xff), C, ...L, E));
  for (const [what, i] of [["configuration", -1], ["line 1", 1], ["end of pass", L.length]] as const) {
    const rec = i < 0 ? C : i === L.length ? E : L[i];
    const put = (r: Uint8Array) => i < 0 ? pass(r, ...L, E) : i === L.length ? pass(C, ...L, r) : pass(C, ...L.slice(0, i), r, ...L.slice(i + 1), E);
    const badSync = rec.slice(); badSync[0] ^= 0x20;
    yield mk(`${what}: bad sync`, put(badSync), i < 0 ? null : f.table);
    const badCrc = rec.slice(); badCrc[badCrc.length - 1] ^= 1;
    yield mk(`${what}: bad CRC`, put(badCrc), i < 0 ? null : f.table);
    const badBody = rec.slice(); badBody[Math.min(badBody.length - 3, 12)] ^= 0x80;
    yield mk(`${what}: payload corrupted, CRC left`, put(badBody), i < 0 ? null : f.table);
    for (const [t, v] of [[0, 1], [4, 1], [255, 1], [rec[4], 0], [rec[4], 2], [rec[4], 255]]) {
      yield mk(`${what}: type ${t} version ${v}`, put(retag(rec, t, v)), i < 0 ? null : f.table);
    }
    const L0 = rec.length - 12;
    for (const len of [0, 1, L0 - 1, L0 + 1, L0 + 2, 2 * L0, 0x10000, 0x7fffffff, 0xffffffff]) {
      yield mk(`${what}: length says ${len}, body unchanged`, put(withLength(rec, len, "keep")), i < 0 ? null : f.table);
      if (len <= 2 * L0 + 2) yield mk(`${what}: length ${len} with a body to match`, put(withLength(rec, len, "match")), i < 0 ? null : f.table);
    }
    yield mk(`${what}: duplicated`, i < 0 ? pass(C, C, ...L, E) : i === L.length ? pass(C, ...L, E, E) : pass(C, ...L.slice(0, i + 1), rec, ...L.slice(i + 1), E));
  }
  // CLCW records (type 5, README "The CLCW in the downlink"): a good one, wrong lengths, a type-1
  // word, a version-2 word, random words; between lines and before the configuration.
  const clcw = (b: number[]) => encodeRecord(RecordType.Clcw, Uint8Array.from(b));
  yield mk("CLCW records between lines: good, 3 and 5 octets, type 1, version 2", pass(C, L[0], clcw([1, 4, 0, 7]), clcw([1, 4, 0]), L[1], clcw([1, 4, 0, 8, 0]), clcw([0x81, 4, 0, 7]), clcw([0x41, 4, 0, 7]), ...L.slice(2), E));
  yield mk("CLCW records of random words after every line", pass(C, ...L.flatMap((l) => [l, clcw([...rng.bytes(4)])]), E));
  yield mk("CLCW record before the configuration", pass(clcw([1, 4, 0, 7]), C, ...L, E));
  yield mk("line 1 dropped", pass(C, L[0], ...L.slice(2), E));
  yield mk("lines 1–3 dropped", pass(C, L[0], ...L.slice(4), E));
  yield mk("lines 1 and 2 swapped", pass(C, L[0], L[2], L[1], ...L.slice(3), E));
  yield mk("lines reversed", pass(C, ...L.slice().reverse(), E));
  yield mk("every line twice", pass(C, ...L.flatMap((l) => [l, l]), E));
  yield mk("no lines", pass(C, E));
  const g = f.geometry;
  const geoms: [string, Geometry][] = [
    ["one band fewer", { ...g, bands: g.bands - 1 }], ["one band more", { ...g, bands: g.bands + 1 }],
    ["one pixel fewer", { ...g, pixels: g.pixels - 1 }], ["one pixel more", { ...g, pixels: g.pixels + 1 }],
    ["bit depth 16", { ...g, bitDepth: 16 }], ["bit depth 1", { ...g, bitDepth: 1 }],
    ["bit depth 0", { ...g, bitDepth: 0 }], ["1 pixel", { ...g, pixels: 1 }],
  ];
  for (const [name, gg] of geoms) {
    if (gg.bands < 1 || gg.pixels < 1) continue;
    const wrong = makeLines(f.profile, gg, 2, 1);
    yield mk(`line geometry: ${name}`, pass(C, L[0], ...wrong, ...L.slice(3), E));
  }
  yield mk("line flags set", pass(C, L[0], lineWith(L[1], (_, b) => { b[10 + 17] = 0xff; }), ...L.slice(2), E));
  yield mk("line payload one sample short (length consistent)", pass(C, L[0], withLength(L[1], L[1].length - 14, "match"), ...L.slice(2), E));
  yield mk("line payload shorter than its header", pass(C, L[0], withLength(L[1], 10, "match"), ...L.slice(2), E));
  yield mk("samples above the bit depth", pass(C, L[0], lineWith(L[1], (_, b) => { for (let k = 28; k < b.length - 2; k += 2) { b[k] = 0xff; b[k + 1] = 0xff; } }), ...L.slice(2), E));
  yield mk("line counter jumps past the limit", pass(C, L[0], lineWith(L[1], (dv) => dv.setUint32(10, 5_000_000)), ...L.slice(2), E));
  yield mk("line counter at the wrap", pass(C, lineWith(L[0], (dv) => dv.setUint32(10, 0xffffffff)), ...L.slice(1), E));
  yield mk("line counter repeats", pass(C, L[0], lineWith(L[1], (dv) => dv.setUint32(10, 0)), ...L.slice(2), E));
  yield mk("time tag goes backwards", pass(C, L[0], lineWith(L[1], (dv) => dv.setUint32(14, dv.getUint32(14) - 100)), ...L.slice(2), E));
  yield mk("time tag jumps a year", pass(C, L[0], lineWith(L[1], (dv) => dv.setUint32(14, dv.getUint32(14) + 31_557_600)), ...L.slice(2), E));
  yield mk("time tag 0 and max", pass(C, lineWith(L[0], (dv) => { dv.setUint32(14, 0); dv.setUint32(18, 0); }), lineWith(L[1], (dv) => { dv.setUint32(14, 0xffffffff); dv.setUint32(18, 0xffffffff); }), ...L.slice(2), E));
  // A second configuration: the same, another profile's, and one refused before a valid one.
  yield mk("second configuration between lines", pass(C, L[0], C, ...L.slice(1), E));
  for (const other of PROFILES.filter((n) => n !== f.name)) {
    const o = compileConfig(loadProfile(other));
    yield mk(`configuration of ${other} first, then this one`, pass(encodeRecord(RecordType.Config, o), C, ...L, E), f.table, [o]);
    yield mk(`second configuration is ${other}'s`, pass(C, L[0], encodeRecord(RecordType.Config, o), ...L.slice(1), E));
  }
  const refused = f.table.slice(); refused[0] ^= 0xff; fixTableCrc(refused);
  yield mk("a refused table (version) then a valid one", pass(encodeRecord(RecordType.Config, refused), C, ...L, E));
  const badTableCrc = f.table.slice(); badTableCrc[badTableCrc.length - 1] ^= 1;
  yield mk("table CRC wrong, record CRC right", pass(encodeRecord(RecordType.Config, badTableCrc), ...L, E), null);
  // Truncation at every position of the configuration and end records, and through a line record.
  for (let k = 0; k < C.length; k++) {
    if (truncationStride > 1 && k >= 64 && k < C.length - 16 && k % truncationStride) continue;
    yield mk(`configuration truncated at ${k}`, C.subarray(0, k), null);
    if (k % 7 === 0) yield mk(`configuration truncated at ${k}, then the pass`, pass(C.subarray(0, k), C, ...L, E));
  }
  const ln = L[1].length;
  const cuts = new Set<number>();
  for (let k = 0; k <= 32; k++) cuts.add(k);
  for (let k = 0; k < 24; k++) cuts.add(Math.floor((ln * (k + 0.5)) / 24));
  for (let k = ln - 4; k < ln; k++) cuts.add(k);
  for (const k of [...cuts].filter((k) => k >= 0 && k < ln).sort((a, b) => a - b)) {
    yield mk(`line 1 truncated at ${k}, stream ends`, pass(C, L[0], L[1].subarray(0, k)));
    yield mk(`line 1 truncated at ${k}, then the rest`, pass(C, L[0], L[1].subarray(0, k), ...L.slice(2), E));
  }
  for (let k = 0; k < E.length; k++) yield mk(`end of pass truncated at ${k}`, pass(C, ...L, E.subarray(0, k)));
}

/** Random bus streams: a valid pass, then 1–4 random stream mutations. */
export function* randomStreams(f: Fixture, n: number, seed: number): Generator<FuzzCase> {
  const rng = new Rng((seed * 7919) ^ hashName(f.name) ^ 0xb05);
  for (let i = 0; i < n; i++) {
    let recs: Uint8Array[] = [f.config, ...f.lines, f.end];
    const names: string[] = [];
    const k = 1 + rng.int(4);
    for (let j = 0; j < k; j++) {
      const op = rng.int(9), at = rng.int(recs.length);
      if (op === 0) { recs.splice(at, 0, rng.bytes(1 + rng.int(300))); names.push(`garbage before record ${at}`); }
      else if (op === 1) { recs.splice(at, 0, recs[at]); names.push(`record ${at} duplicated`); }
      else if (op === 2 && recs.length > 1) { recs.splice(at, 1); names.push(`record ${at} dropped`); }
      else if (op === 3) { const b = rng.int(recs.length); [recs[at], recs[b]] = [recs[b], recs[at]]; names.push(`records ${at} and ${b} swapped`); }
      else if (op === 4) { const r = recs[at].slice(); const p = rng.int(r.length); r[p] ^= 1 << rng.int(8); recs[at] = r; names.push(`record ${at} octet ${p} bit flipped`); }
      else if (op === 5) { const r = recs[at]; const p = rng.int(r.length); recs[at] = r.subarray(0, p); names.push(`record ${at} truncated at ${p}`); }
      else if (op === 6 && recs[at].length >= 12) {
        const lens = [0, 1, rng.u32(), recs[at].length - 13, recs[at].length - 11, 0xffffffff];
        const len = rng.pick(lens);
        recs[at] = withLength(recs[at], len, rng.int(2) ? "keep" : "match"); names.push(`record ${at} length says ${len >>> 0}`);
      } else if (op === 7 && recs[at].length >= 12) { const t = rng.int(6), v = rng.int(3); recs[at] = retag(recs[at], t, v); names.push(`record ${at} type ${t} version ${v}`); }
      else { const r = recs[at]; const p = rng.int(r.length); recs.splice(at, 1, r.subarray(0, p), r.subarray(p)); names.push(`record ${at} split at ${p}`); }
    }
    yield { profile: f.name, kind: "stream-random", name: `#${i}: ${names.join(", ")}`, input: concat(recs), maxPages: f.maxPages, accept: f.table };
  }
}

/** The image flashed with too little RAM for the profile (the configuration must be refused, −403, not trap). */
export function* ramCases(f: Fixture, minPages: number, inUseBytes: number | null): Generator<FuzzCase> {
  const pages = new Set<number>([minPages, Math.max(minPages, 16)]);
  if (inUseBytes) {
    const need = Math.ceil(inUseBytes / WASM_PAGE);
    pages.add(Math.max(minPages, Math.floor(need / 2)));
    pages.add(Math.max(minPages, need - 1));
  }
  for (const p of [...pages].sort((a, b) => a - b)) {
    if (p >= f.maxPages) continue;
    yield { profile: f.name, kind: "ram", name: `image flashed with ${p * 64} KiB of RAM (profile: ${f.profile.obc.ramBytes / 1024} KiB), shipped table`, input: f.full.input, maxPages: p, accept: f.full.table };
  }
}
