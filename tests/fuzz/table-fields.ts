// Every field of the configuration table (record type 1), in one place for the fuzz campaign.
// Written from the layout in assembly/abi/config-table.ts (its header comment) and the README
// ("Configuration table"); the screener words are assembly/screen/screener.ts P_*, the CCSDS 123
// words assembly/compress/hyper123/params.ts PRM_*. When the generated wire contract exists,
// tableFields() can be derived from it instead: nothing else in tests/fuzz knows the layout.

export type FieldType = "u8" | "u16" | "u32" | "i32" | "f32";
export type Block = "fixed" | "apids" | "codec" | "screening" | "screener" | "calibration" | "ccsds123" | "commanding" | "panchromatic";
import { tableLayout } from "../../host/contract/layout.ts";
import { CONTRACT } from "../../host/contract/contract.gen.ts";

export interface TableField {
  /** e.g. "pixels", "apid[2]", "screener.P_TILE_SIZE", "cal[1].gain", "ccsds123.PRM_NX". */
  name: string;
  block: Block;
  offset: number;
  type: FieldType;
}

export const WIDTH: Record<FieldType, number> = { u8: 1, u16: 2, u32: 4, i32: 4, f32: 4 };

export const CONFIG_FIXED_LEN = 48;
export const CODEC_BLOCK_LEN = 12;
export const HYPER_PARAMS = 45;
/** The commanding block (contract: tcApid, reportApid, tcVcid, reserved). */
export const COMMANDING_LEN = 6;
/** The panchromatic block (table version 8: panEnabled … panSegmentBytes, reserved). */
export const PANCHROMATIC_LEN = 16;

const FIXED: [number, FieldType, string][] = [
  [0, "u16", "version"], [2, "u16", "tableLen"], [4, "u16", "scid"], [6, "u8", "frameType"], [7, "u8", "flags"],
  [8, "u16", "frameLen"], [10, "u8", "rsE"], [11, "u8", "rsDepth"], [12, "u8", "imageVcid"], [13, "u8", "hkVcid"],
  [14, "u8", "idleVcid"], [15, "u8", "bands"], [16, "u16", "pixels"], [18, "u8", "bitDepth"], [19, "u8", "compression"],
  [20, "u16", "hkApid"], [22, "u16", "hkEveryLines"], [24, "u32", "maxPacketLen"], [28, "u32", "ramBytes"],
  [32, "u32", "bitRate"], [36, "u32", "initialFrameCount"], [40, "u16", "initialPacketCount"],
  [42, "u16", "insertZoneLen"], [44, "u16", "maxLineJump"], [46, "u16", "maxIdlePerLine"],
];
const CODEC: [number, FieldType, string][] = [
  [0, "u8", "coder"], [1, "u8", "J"], [2, "u8", "flags"], [3, "u8", "reserved3"], [4, "u16", "rsi"],
  [6, "u16", "unitLines"], [8, "u16", "unitPixels"], [10, "u16", "reserved10"],
];
const SCREENING: [number, FieldType, string][] = [
  [0, "u8", "enabled"], [1, "u8", "degradeShift"], [2, "u16", "statsApid"], [4, "u16", "maskApid"], [6, "u8", "taiUtc"],
  [7, "u8", "thumbFactor"], [8, "i32", "startLat"], [12, "i32", "startLon"], [16, "i32", "heading"], [20, "u32", "groundSpeed"],
];
export const SCREENER_WORDS = [
  "P_CORE_BLUE", "P_CORE_HOT", "P_CORE_NDVI_MAX", "P_HAZE_HOT", "P_BRIGHT", "P_DILATE_PX", "P_GROW_PX", "P_TILE_SIZE",
  "P_DEGRADE_FRAC", "P_DROP_FRAC", "P_MIN_VALID_FRAC", "P_SAT_DN", "P_MIN_ELEV_CDEG", "P_BAND_BLUE", "P_BAND_RED",
  "P_BAND_NIR", "P_NBANDS", "P_WIDTH", "P_BAND_GREEN", "P_CORE_HOT_REL", "P_HOT_BG_CAP", "P_ICE_NIR_RED", "P_SNOW_BLUE",
  "P_SNOW_GREEN_BLUE",
];
/** The screening block: 24 octets of fields, then the screener's words. */
export const SCREEN_FIXED_LEN = 24 + 4 * SCREENER_WORDS.length;
export const HYPER_WORDS = [
  "PRM_NX", "PRM_NY", "PRM_NZ", "PRM_D", "PRM_SIGNED", "PRM_ORDER", "PRM_M", "PRM_B", "PRM_CODER", "PRM_P", "PRM_REDUCED",
  "PRM_LSUM", "PRM_R", "PRM_OMEGA", "PRM_TINC_LOG", "PRM_NU_MIN", "PRM_NU_MAX", "PRM_FIDELITY", "PRM_ABS_DEP",
  "PRM_ABS_BITS", "PRM_ABS", "PRM_REL_DEP", "PRM_REL_BITS", "PRM_REL", "PRM_REP_FLAG", "PRM_THETA", "PRM_PHI", "PRM_PSI",
  "PRM_UMAX", "PRM_GSTAR", "PRM_G0", "PRM_K", "PRM_USER", "PRM_ABS_TABLE", "PRM_REL_TABLE", "PRM_BA_J", "PRM_BA_RSI",
  "PRM_BA_RESTRICTED", "PRM_WINIT_Q", "PRM_WINIT_TABLE", "PRM_WEO_TABLE", "PRM_PERIOD_U", "PRM_PHI_TABLE",
  "PRM_PSI_TABLE", "PRM_K_TABLE",
];

/** Table length (CRC included) for a band count. */
export function tableLength(bands: number): number {
  return CONFIG_FIXED_LEN + 2 * bands + CODEC_BLOCK_LEN + SCREEN_FIXED_LEN + 12 * bands + 4 * HYPER_PARAMS + COMMANDING_LEN + PANCHROMATIC_LEN + 2;
}

// This file lists the fields by hand (the campaign names them); the contract's own layout must
// agree with it on the length for any band count, or the campaign would fuzz the wrong octets.
for (const bands of [1, 4, 255]) {
  const len = tableLayout(CONTRACT, bands).len;
  if (len !== tableLength(bands)) throw new Error(`tests/fuzz/table-fields.ts is stale: the contract's table for ${bands} band(s) is ${len} octets, this file says ${tableLength(bands)}`);
}

/** Offsets of the blocks for a band count. */
export function blockOffsets(bands: number): { codec: number; screening: number; calibration: number; ccsds123: number; crc: number } {
  const codec = CONFIG_FIXED_LEN + 2 * bands;
  const screening = codec + CODEC_BLOCK_LEN;
  const calibration = screening + SCREEN_FIXED_LEN;
  const ccsds123 = calibration + 12 * bands;
  return { codec, screening, calibration, ccsds123, crc: ccsds123 + 4 * HYPER_PARAMS };
}

/**
 * Every field of a table with `bands` bands, in table order (the CRC excluded: the campaign
 * always makes it right). `bandSubset`, when given, keeps the per-band fields (APIDs,
 * calibration) of those bands only — for the bounded in-suite sample.
 */
export function tableFields(bands: number, bandSubset?: number[]): TableField[] {
  const o = blockOffsets(bands);
  const keep = (b: number) => !bandSubset || bandSubset.includes(b);
  const out: TableField[] = FIXED.map(([offset, type, name]) => ({ name, block: "fixed" as Block, offset, type }));
  for (let b = 0; b < bands; b++) if (keep(b)) out.push({ name: `apid[${b}]`, block: "apids", offset: CONFIG_FIXED_LEN + 2 * b, type: "u16" });
  for (const [d, type, name] of CODEC) out.push({ name: `codec.${name}`, block: "codec", offset: o.codec + d, type });
  for (const [d, type, name] of SCREENING) out.push({ name: `screening.${name}`, block: "screening", offset: o.screening + d, type });
  SCREENER_WORDS.forEach((name, i) => out.push({ name: `screener.${name}`, block: "screener", offset: o.screening + 24 + 4 * i, type: "i32" }));
  for (let b = 0; b < bands; b++) {
    if (!keep(b)) continue;
    (["gain", "offset", "esun"] as const).forEach((k, j) => out.push({ name: `cal[${b}].${k}`, block: "calibration", offset: o.calibration + 12 * b + 4 * j, type: "f32" }));
  }
  HYPER_WORDS.forEach((name, i) => out.push({ name: `ccsds123.${name}`, block: "ccsds123", offset: o.ccsds123 + 4 * i, type: "i32" }));
  // The commanding and panchromatic blocks from the contract's own layout (the last blocks before the CRC).
  for (const f of tableLayout(CONTRACT, bands).fields.filter((x) => x.block === "commanding")) out.push({ name: `commanding.${f.field.name}`, block: "commanding", offset: f.offset, type: f.field.type as FieldType });
  for (const f of tableLayout(CONTRACT, bands).fields.filter((x) => x.block === "panchromatic")) out.push({ name: `panchromatic.${f.field.name}`, block: "panchromatic", offset: f.offset, type: f.field.type as FieldType });
  return out;
}

export function readField(t: Uint8Array, f: TableField): number {
  const dv = new DataView(t.buffer, t.byteOffset, t.byteLength);
  switch (f.type) {
    case "u8": return t[f.offset];
    case "u16": return dv.getUint16(f.offset);
    case "u32": return dv.getUint32(f.offset);
    case "i32": return dv.getInt32(f.offset);
    case "f32": return dv.getFloat32(f.offset);
  }
}

/** Writes a value at the field's width (integers wrap to the width, as a wire field would). */
export function writeField(t: Uint8Array, f: TableField, v: number): void {
  const dv = new DataView(t.buffer, t.byteOffset, t.byteLength);
  switch (f.type) {
    case "u8": t[f.offset] = Number(BigInt.asUintN(8, BigInt(Math.trunc(v)))); break;
    case "u16": dv.setUint16(f.offset, Number(BigInt.asUintN(16, BigInt(Math.trunc(v))))); break;
    case "u32": dv.setUint32(f.offset, Number(BigInt.asUintN(32, BigInt(Math.trunc(v))))); break;
    case "i32": dv.setInt32(f.offset, Number(BigInt.asIntN(32, BigInt(Math.trunc(v))))); break;
    case "f32": dv.setFloat32(f.offset, v); break;
  }
}
