// ST[20] on-board parameters: fields of the configuration table that may change in flight.
// Parameter id = (block index in host/contract/contract.json configTable.blocks) << 8 | offset of
// the field in its block — the host derives the same id from the contract by field name
// (host/commanding/pus.ts). A new value is written into a copy of the table in force, its CRC
// recomputed, and the copy checked by the same configCheck as a configuration table.
import { OK, E_PUS_PARAM_ID, E_CFG_BAD_VALUE } from "../abi/status";
import { setDetail } from "../abi/control";
import { loadU16BE, loadU32BE, storeU16BE, storeU32BE } from "../util/be";
import { codecBlockAt, screeningBlockAt, OFF_AEC_BLOCK_SIZE, OFF_AEC_FLAGS, OFF_AEC_RSI, OFF_DEGRADE_SHIFT,
  OFF_SCR_CORE_BLUE, OFF_SCR_CORE_HOT, OFF_SCR_CORE_NDVI_MAX, OFF_SCR_HAZE_HOT, OFF_SCR_BRIGHT, OFF_SCR_DEGRADE_FRAC, OFF_SCR_DROP_FRAC,
  OFF_SCR_MIN_VALID_FRAC, OFF_SCR_MIN_ELEVATION, OFF_SCR_CORE_HOT_REL, OFF_SCR_HOT_BG_CAP, OFF_SCR_ICE_NIR_RED, OFF_SCR_SNOW_BLUE, OFF_SCR_SNOW_GREEN_BLUE } from "../abi/contract";
import { Config, CODER_CCSDS121 } from "../abi/config-table";

export const BLOCK_CODEC: u32 = 2;       // contract configTable.blocks[2]
export const BLOCK_SCREENING: u32 = 3;   // contract configTable.blocks[3]

/** Octets of the field (1, 2 or 4; 0: not a settable parameter). */
export function paramWidth(id: u32): i32 {
  const block = id >>> 8, off = <i32>(id & 0xFF);
  if (block == BLOCK_CODEC) return off == OFF_AEC_BLOCK_SIZE || off == OFF_AEC_FLAGS ? 1 : off == OFF_AEC_RSI ? 2 : 0;
  if (block == BLOCK_SCREENING) {
    if (off == OFF_DEGRADE_SHIFT) return 1;
    if (off == OFF_SCR_CORE_BLUE || off == OFF_SCR_CORE_HOT || off == OFF_SCR_CORE_NDVI_MAX || off == OFF_SCR_HAZE_HOT || off == OFF_SCR_BRIGHT
      || off == OFF_SCR_DEGRADE_FRAC || off == OFF_SCR_DROP_FRAC || off == OFF_SCR_MIN_VALID_FRAC || off == OFF_SCR_MIN_ELEVATION
      || off == OFF_SCR_CORE_HOT_REL || off == OFF_SCR_HOT_BG_CAP || off == OFF_SCR_ICE_NIR_RED || off == OFF_SCR_SNOW_BLUE || off == OFF_SCR_SNOW_GREEN_BLUE) return 4;
  }
  return 0;
}

/**
 * The table offset of parameter `id` for the configuration in force, or E_PUS_PARAM_ID when the
 * id is not settable or its product cannot run (CCSDS 121 options need CCSDS 121 among the table's
 * product modes, screening parameters need screening).
 */
export function paramOffset(c: Config, id: u32): i32 {
  const w = paramWidth(id);
  const block = id >>> 8;
  if (w == 0) return setDetail(E_PUS_PARAM_ID, 0, <i32>id, 0, 0);
  if (block == BLOCK_CODEC && (c.modes & (1 << CODER_CCSDS121)) == 0) return setDetail(E_PUS_PARAM_ID, 0, <i32>id, 0, 0);
  if (block == BLOCK_SCREENING && !c.screen) return setDetail(E_PUS_PARAM_ID, 0, <i32>id, 0, 0);
  return (block == BLOCK_CODEC ? codecBlockAt(c.bands) : screeningBlockAt(c.bands)) + <i32>(id & 0xFF);
}

/** The value of the field at table offset `at` (width w), as i32. */
export function paramRead(table: usize, at: i32, w: i32): i32 {
  const p = table + <usize>at;
  return w == 1 ? <i32>load<u8>(p) : w == 2 ? <i32>loadU16BE(p) : <i32>loadU32BE(p);
}

/** Writes a value into the field at `at`; a value its width cannot hold is refused as the table check would (−402). */
export function paramWrite(table: usize, at: i32, w: i32, v: i32): i32 {
  const p = table + <usize>at;
  if (w == 1) { if (v < 0 || v > 0xFF) return setDetail(E_CFG_BAD_VALUE, at, v, 0xFF, at); store<u8>(p, <u8>v); return OK; }
  if (w == 2) { if (v < 0 || v > 0xFFFF) return setDetail(E_CFG_BAD_VALUE, at, v, 0xFFFF, at); storeU16BE(p, <u32>v); return OK; }
  storeU32BE(p, <u32>v);
  return OK;
}
