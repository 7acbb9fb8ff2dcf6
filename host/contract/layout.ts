// The shape of host/contract/contract.json and the host's generic codec over it: the layout of
// the configuration table for a number of bands, encoding and decoding of every structure, and
// the mapping from a table offset (what the flight image reports) back to the field, its
// allowed values and the profile field it came from.
export type FieldType = "u8" | "u16" | "u32" | "i32" | "f32" | "bytes";
export interface FieldDef {
  name: string; offset: number | string; type: FieldType; len?: number;
  min?: number; max?: number; enum?: Record<string, string>; bits?: Record<string, string>; value?: number;
  default?: number; unit?: string; profile?: string; flight?: string; word?: string;
  /** The field holds this entry of `versions`. */
  version?: "configTable" | "busRecord" | "housekeeping"; when?: string; doc?: string; clause?: string; counter?: boolean;
}
export interface StructDef { title: string; fields: FieldDef[] }
export interface BlockDef { name: string; at: string; repeat?: "bands"; stride?: number; fields: FieldDef[] }
export interface OptionDef {
  type: "integer" | "number" | "boolean" | "string"; default: number | boolean | string;
  enum?: (number | string)[]; minimum?: number; maximum?: number; unit?: string; table: string; encode?: string; doc?: string; clause?: string;
}
export interface StatusDef { code: number; name: string; module: string; meaning: string; clause?: string }
export interface Contract {
  $comment?: string;
  versions: { configTable: number; busRecord: number; housekeeping: number };
  statuses: StatusDef[];
  controlBlock: StructDef; busRecord: StructDef; lineHeader: StructDef; unitHeader: StructDef; tileStatistics: StructDef; housekeeping: StructDef;
  configTable: { title: string; blocks: BlockDef[] };
  profileOptions: Record<string, { pointer: string; doc: string; options: Record<string, OptionDef> }>;
}

export function fieldSize(f: FieldDef): number {
  return f.type === "bytes" ? f.len ?? 0 : f.type === "u8" ? 1 : f.type === "u16" ? 2 : 4;
}

/** The blocks in order with their documented start ("48+2·bands") checked against the fields' sizes. */
export function layoutBlocks(c: Contract): BlockDef[] {
  let fixed = 0, perBand = 0;
  for (const b of c.configTable.blocks) {
    const want = perBand ? `${fixed}+${perBand}·bands` : `${fixed}`;
    if (b.at !== want) throw new Error(`contract: block ${b.name} starts at ${want}, not ${b.at}`);
    let end = 0;
    for (const f of b.fields) {
      if (f.offset !== end) throw new Error(`contract: ${b.name}.${f.name} at ${f.offset}, expected ${end} (fields must be contiguous)`);
      end += fieldSize(f);
    }
    if (b.repeat) { if (end !== b.stride) throw new Error(`contract: ${b.name} fields span ${end}, stride ${b.stride}`); perBand += end; }
    else fixed += end;
  }
  return c.configTable.blocks;
}

/** One concrete field of a table for a number of bands. */
export interface TableField { block: string; field: FieldDef; offset: number; band?: number; pointer?: string }

/** Every field of the table with its absolute offset; per-band fields once per band. */
export function tableLayout(c: Contract, bands: number): { fields: TableField[]; len: number } {
  const out: TableField[] = [];
  let at = 0;
  for (const b of layoutBlocks(c)) {
    const reps = b.repeat ? bands : 1;
    for (let i = 0; i < reps; i++) {
      for (const f of b.fields) {
        const band = b.repeat ? i : undefined;
        out.push({ block: b.name, field: f, offset: at + (b.repeat ? i * b.stride! : 0) + (f.offset as number), band, pointer: f.profile?.replace("{i}", String(i)) });
      }
    }
    at += b.repeat ? bands * b.stride! : b.fields.reduce((a, f) => a + fieldSize(f), 0);
  }
  return { fields: out, len: at };
}

/** Values of a table: one number per field name; per-band fields an array. */
export type TableValues = Record<string, number | number[]>;

function put(dv: DataView, t: FieldType, off: number, v: number): void {
  switch (t) {
    case "u8": dv.setUint8(off, v); break;
    case "u16": dv.setUint16(off, v); break;
    case "u32": dv.setUint32(off, v >>> 0); break;
    case "i32": dv.setInt32(off, v | 0); break;
    case "f32": dv.setFloat32(off, v); break;
    default: break;
  }
}
function get(dv: DataView, t: FieldType, off: number): number {
  switch (t) {
    case "u8": return dv.getUint8(off);
    case "u16": return dv.getUint16(off);
    case "u32": return dv.getUint32(off);
    case "i32": return dv.getInt32(off);
    case "f32": return dv.getFloat32(off);
    default: return NaN;
  }
}

/** Writes every field (a missing one: its fixed value, else 0); the CRC is the caller's. */
export function encodeTable(c: Contract, bands: number, values: TableValues): Uint8Array {
  const { fields, len } = tableLayout(c, bands);
  const t = new Uint8Array(len);
  const dv = new DataView(t.buffer);
  for (const tf of fields) {
    const raw = values[tf.field.name];
    const v = Array.isArray(raw) ? raw[tf.band ?? 0] : raw ?? tf.field.value ?? 0;
    if (v === undefined || !Number.isFinite(v) && tf.field.type !== "f32") throw new Error(`contract: no value for ${tf.field.name}${tf.band !== undefined ? `[${tf.band}]` : ""}`);
    put(dv, tf.field.type, tf.offset, v);
  }
  return t;
}

/** Reads every field of a table back (its band count from the table itself). */
export function decodeTable(c: Contract, t: Uint8Array): TableValues {
  const bandsAt = c.configTable.blocks[0].fields.find((f) => f.name === "bands")!.offset as number;
  const bands = t[bandsAt];
  const { fields } = tableLayout(c, bands);
  const dv = new DataView(t.buffer, t.byteOffset, t.byteLength);
  const out: TableValues = {};
  for (const tf of fields) {
    if (tf.offset + fieldSize(tf.field) > t.length) continue;
    const v = get(dv, tf.field.type, tf.offset);
    if (tf.band === undefined) out[tf.field.name] = v;
    else ((out[tf.field.name] ??= []) as number[])[tf.band] = v;
  }
  return out;
}

/** Decodes a fixed-layout structure (unit header, tile statistics, housekeeping …). */
export function decodeStruct(s: StructDef, data: Uint8Array, base = 0): Record<string, number> {
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out: Record<string, number> = {};
  for (const f of s.fields) {
    if (typeof f.offset !== "number" || f.type === "bytes") continue;
    out[f.name] = get(dv, f.type, base + f.offset);
  }
  return out;
}

/** The field at a table offset, as the flight image reports it in the control block. */
export function fieldAt(c: Contract, bands: number, offset: number): TableField | undefined {
  return tableLayout(c, bands).fields.find((tf) => offset >= tf.offset && offset < tf.offset + Math.max(1, fieldSize(tf.field)));
}

/** The allowed values of a field, in words. */
export function allowedText(f: FieldDef): string {
  if (f.value !== undefined) return `${f.value}`;
  if (f.enum) return Object.keys(f.enum).join(", ");
  if (f.bits) return `flags ${Object.entries(f.bits).map(([k, v]) => `${k} (${v})`).join(" | ")}`;
  if (f.min !== undefined) return `${f.min}..${f.max}`;
  return "see the contract";
}
