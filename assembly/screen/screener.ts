// Streaming VNIR cloud screener: per-pixel tests on fixed-point TOA reflectance, a spatial
// grow of confident cloud cores (square dilation with a delay of R lines), per-tile statistics
// and a keep / degrade / drop decision. The physics and thresholds are in README.md.
//
// One screener instance per flight image (state in module globals, buffers carved by the
// caller once: screenWorkspaceLen → screenInit). No allocation, never throws, bounded loops.
import { E_NULL, E_BAD_LENGTH, E_NEED_INPUT, E_SCR_BAD_PARAM, E_SCR_NO_INIT, E_SCR_NIGHT, E_SCR_BAD_CAL, OK } from "../abi/status";
import { reflCoefficients, reflSlope, reflIntercept, REFL_COEF_SHIFT, CAL_OK, CAL_NIGHT, CAL_ABSURD, sinDeg } from "./radiometry";

// ---- Parameter block: P_COUNT little-endian i32 words (the configuration table carries it).
// Word indices: the contract's (host/contract/contract.json, the configuration table's screening block).
export { P_CORE_BLUE, P_CORE_HOT, P_CORE_NDVI_MAX, P_HAZE_HOT, P_BRIGHT, P_DILATE_PX, P_GROW_PX, P_TILE_SIZE, P_DEGRADE_FRAC, P_DROP_FRAC, P_MIN_VALID_FRAC, P_SAT_DN, P_MIN_ELEV_CDEG, P_BAND_BLUE, P_BAND_RED, P_BAND_NIR, P_NBANDS, P_WIDTH, P_BAND_GREEN, P_CORE_HOT_REL, P_HOT_BG_CAP, P_ICE_NIR_RED, P_SNOW_BLUE, P_SNOW_GREEN_BLUE } from "../abi/contract";
import { P_CORE_BLUE, P_CORE_HOT, P_CORE_NDVI_MAX, P_HAZE_HOT, P_BRIGHT, P_DILATE_PX, P_GROW_PX, P_TILE_SIZE, P_DEGRADE_FRAC, P_DROP_FRAC, P_MIN_VALID_FRAC, P_SAT_DN, P_MIN_ELEV_CDEG, P_BAND_BLUE, P_BAND_RED, P_BAND_NIR, P_NBANDS, P_WIDTH, P_BAND_GREEN, P_CORE_HOT_REL, P_HOT_BG_CAP, P_ICE_NIR_RED, P_SNOW_BLUE, P_SNOW_GREEN_BLUE } from "../abi/contract";
export const P_COUNT: i32 = 24;
export const PARAM_LEN: i32 = P_COUNT * 4;
export const MAX_GROW: i32 = 32;
// Scene background HOT: histogram of HOT (Q12) over valid non-core pixels, bins HOT_MIN..HOT_MIN+HOT_BINS−1.
const HOT_MIN: i32 = -512;
const HOT_BINS: i32 = 2048;
const HIST_HALVE_AT: i32 = 1 << 22; // halve all bins past this many pixels: background follows the scene
const Q16_ONE: i32 = 65536;
// SWAR on 8 flag/age bytes per i64 (WebAssembly 1.0 has no SIMD here).
const ONES: u64 = 0x0101010101010101;
const HIGHS: u64 = 0x8080808080808080;
const AGE_MAX: u8 = 127;            // saturated age: beyond every window (2·MAX_GROW = 64 lines at most)
const SWAR_MIN_WIDTH: i32 = 8;      // below this the column states are walked byte by byte
// Word-wise dilation: two zero-padded byte buffers in the spare room of the column-state regions
// (4·width each, the ages use width rounded up to 8): needs 2·⌈w⌉₈ + 2·DIL_PAD ≤ 4·w.
const DIL_PAD: i32 = 72;            // virtual columns (≤ MAX_GROW + 7) + the largest step (MAX_GROW), multiple of 8
const DIL_SWAR_MIN_WIDTH: i32 = 128; // 2·⌈w⌉₈ + 2·DIL_PAD ≤ 4·w from w = 79 on

// ---- Pixel classes (one byte per pixel in the class line output).
export const CLASS_CLEAR: u8 = 0;
export const CLASS_CLOUD: u8 = 1;
export const CLASS_UNCERTAIN: u8 = 2;  // bright but fails the cloud tests (soil, sand, roofs, glint, snow)
export const CLASS_SATURATED: u8 = 3;  // a screening band at or above P_SAT_DN
export const CLASS_MISSING: u8 = 4;    // a screening band is zero (no data)
export const CLASS_UNJUDGED: u8 = 5;   // valid data but the screener cannot judge (night, bad calibration)
export const CLASS_BRIGHT: u8 = 6;     // bright, not cloud: passes the cloud tests but shows snow's or ice's spectrum

// ---- Per-pixel flag bits in the delay ring (named masks, DESIGN §6).
const F_CORE: u8 = 0x01;      // passes the confident-cloud tests
const F_GATE: u8 = 0x02;      // hazy: may be grown into up to R2
const F_BRIGHT: u8 = 0x04;    // bright (uncertain-bright if not cloud)
const F_SAT: u8 = 0x08;
const F_MISSING: u8 = 0x10;
const F_HCORE1: u8 = 0x20;    // within R1 columns of a core pixel on the same line
const F_HCORE2: u8 = 0x80;    // within R2 columns of a core pixel on the same line
const F_UNJUDGED: u8 = 0x40;
// Bright, not cloud (snow, ice): F_SAT | F_MISSING together, a pair no other pixel carries (a
// missing or saturated pixel has one of them alone), so every byte keeps its eight flag bits.
const F_BNC: u8 = 0x18;

// ---- Tile record: TILE_WORDS little-endian i32 per tile column of the finished tile row.
export const T_CLEAR: i32 = 0;
export const T_CLOUD: i32 = 1;
export const T_UNCERTAIN: i32 = 2;
export const T_SATURATED: i32 = 3;
export const T_MISSING: i32 = 4;
export const T_UNJUDGED: i32 = 5;
export const T_DECISION: i32 = 6;
export const T_REASON: i32 = 7;
export const T_BRIGHT: i32 = 8;       // bright, not cloud (valid, never cloud)
export const TILE_WORDS: i32 = 9;

export const DECIDE_KEEP: i32 = 0;
export const DECIDE_DEGRADE: i32 = 1;
export const DECIDE_DROP: i32 = 2;
export const REASON_JUDGED: i32 = 0;     // decision from the cloud fraction
export const REASON_UNJUDGED: i32 = 1;   // night or unusable calibration on some line: keep
export const REASON_FEW_VALID: i32 = 2;  // too many saturated/missing pixels: keep

// ---- Radiometry status (last screenSetSun).
export const RAD_NONE: i32 = 0, RAD_OK: i32 = 1, RAD_NIGHT: i32 = 2, RAD_BAD_CAL: i32 = 3;

// ---- State (module globals: one screener per image).
let inited = false;
let width: i32 = 0, nbands: i32 = 0, bBlue: i32 = 0, bRed: i32 = 0, bNir: i32 = 0, bGreen: i32 = 0;
let coreBlue: i32 = 0, coreHot: i32 = 0, coreNdvi: i32 = 0, hazeHot: i32 = 0, bright: i32 = 0;
let coreHotRel: i32 = 0, hotBgCap: i32 = 0, iceNirRed: i32 = 0, snowBlue: i32 = 0, snowGreenBlue: i32 = 0;
let dilate: i32 = 0, grow: i32 = 0, tileSize: i32 = 0, degradeFrac: i32 = 0, dropFrac: i32 = 0, minValid: i32 = 0;
let satDn: u32 = 0, minElevCdeg: i32 = 0;
let ringPtr: usize = 0;       // (R2+1) lines × width flag bytes
// Column states as saturating ages (u8, 0..AGE_MAX): rows since the last horizontal core in that
// column, so that "a core within the window" is one byte compare, 8 columns per i64 (SWAR).
let lastCorePtr: usize = 0;   // width u8 (region 4·width): age2 = newest line − last line with an R2 horizontal core
let lastCore1Ptr: usize = 0;  // width u8 (region 4·width): age1 = last folded line (≤ emitted row + R1) − last R1-core line
let histPtr: usize = 0;       // HOT_BINS × i32 background histogram
let histTotal: i32 = 0;
let lc1Next: i32 = 0;          // next ring line to fold into the R1 column state
let hotBackground: i32 = 0;   // median HOT of valid non-core pixels so far (Q12)
let medBin: i32 = 0, medBelow: i32 = 0;
let tilePtr: usize = 0;       // tileCols × TILE_WORDS × i32
let calPtr: usize = 0;
let scratchPtr: usize = 0;    // width bytes: class line when the caller wants none (calPtr: 4 × (gain, offset, esun) f64 for blue, red, NIR, green)
let tileCols: i32 = 0;
let dilAPtr: usize = 0, dilBPtr: usize = 0; // ⌈width⌉₈ + 2·DIL_PAD bytes each (wide lines only)
let coreHist: u64 = 0;        // bit i: line (newest − i) has a core pixel (i ≤ MAX_GROW < 64)
let age2Quiet: i32 = 0;       // lines since the last one with an R2 horizontal core (≥ AGE_MAX: all age2 saturated)
let age1Quiet: i32 = 0;       // folds since the last one with an R1 horizontal core (≥ AGE_MAX: all age1 saturated)
let rowsIn: i32 = 0;          // lines pushed
let rowsOut: i32 = 0;         // class lines produced
let tileRowDone: i32 = -1;    // tile row completed by the last produced line, else −1
let radState: i32 = RAD_NONE;
let kB: i64 = 0, oB: i64 = 0, kR: i64 = 0, oR: i64 = 0, kN: i64 = 0, oN: i64 = 0, kG: i64 = 0, oG: i64 = 0;

/** Writes the default parameter block for a line of `w` pixels and `nb` bands (B, G, R, NIR order). */
export function screenDefaults(paramPtr: usize, w: i32, nb: i32): i32 {
  if (paramPtr == 0) return E_NULL;
  store<i32>(paramPtr + (P_CORE_BLUE << 2), 819);       // 0.20
  store<i32>(paramPtr + (P_CORE_HOT << 2), 164);        // 0.04
  store<i32>(paramPtr + (P_CORE_NDVI_MAX << 2), 2048);  // 0.50
  store<i32>(paramPtr + (P_HAZE_HOT << 2), 82);         // 0.02
  store<i32>(paramPtr + (P_BRIGHT << 2), 819);          // 0.20
  store<i32>(paramPtr + (P_DILATE_PX << 2), 5);         // 50 m at 10 m
  store<i32>(paramPtr + (P_GROW_PX << 2), 15);          // 150 m at 10 m
  store<i32>(paramPtr + (P_TILE_SIZE << 2), 256);
  store<i32>(paramPtr + (P_DEGRADE_FRAC << 2), 19661);  // 0.30
  store<i32>(paramPtr + (P_DROP_FRAC << 2), 45875);     // 0.70
  store<i32>(paramPtr + (P_MIN_VALID_FRAC << 2), 32768); // 0.50
  store<i32>(paramPtr + (P_SAT_DN << 2), 65535);
  store<i32>(paramPtr + (P_MIN_ELEV_CDEG << 2), 500);   // 5°
  store<i32>(paramPtr + (P_BAND_BLUE << 2), 0);
  store<i32>(paramPtr + (P_BAND_RED << 2), 2);
  store<i32>(paramPtr + (P_BAND_NIR << 2), 3);
  store<i32>(paramPtr + (P_NBANDS << 2), nb);
  store<i32>(paramPtr + (P_WIDTH << 2), w);
  store<i32>(paramPtr + (P_BAND_GREEN << 2), 1);
  store<i32>(paramPtr + (P_CORE_HOT_REL << 2), 246);    // 0.06 above the clear background
  store<i32>(paramPtr + (P_HOT_BG_CAP << 2), 410);      // 0.10
  store<i32>(paramPtr + (P_ICE_NIR_RED << 2), 3686);    // 0.90
  store<i32>(paramPtr + (P_SNOW_BLUE << 2), 2048);      // 0.50
  store<i32>(paramPtr + (P_SNOW_GREEN_BLUE << 2), 3604); // 0.88
  return OK;
}

@inline function param(p: usize, i: i32): i32 { return load<i32>(p + (<usize>i << 2)); }

let badParam: i32 = -1;
/** The index of the word the last screenCheckParams refused (−1: none). */
export function screenBadParam(): i32 { return badParam; }
@inline function refuse(i: i32): i32 { badParam = i; return E_SCR_BAD_PARAM; }

/** Checks a parameter block; returns OK or E_SCR_BAD_PARAM (screenBadParam names the word). */
export function screenCheckParams(p: usize): i32 {
  badParam = -1;
  if (p == 0) return E_NULL;
  const w = param(p, P_WIDTH), nb = param(p, P_NBANDS);
  if (w < 1 || w > 65535) return refuse(P_WIDTH);
  if (nb < 3 || nb > 255) return refuse(P_NBANDS);
  const b = param(p, P_BAND_BLUE), r = param(p, P_BAND_RED), n = param(p, P_BAND_NIR);
  if (b < 0 || b >= nb) return refuse(P_BAND_BLUE);
  if (r < 0 || r >= nb || b == r) return refuse(P_BAND_RED);
  if (n < 0 || n >= nb || b == n || r == n) return refuse(P_BAND_NIR);
  const g = param(p, P_BAND_GREEN);
  if (g < 0 || g >= nb) return refuse(P_BAND_GREEN);
  const ice = param(p, P_ICE_NIR_RED), sgb = param(p, P_SNOW_GREEN_BLUE);
  if (ice < 0 || ice > 8192) return refuse(P_ICE_NIR_RED);
  if (sgb < 0 || sgb > 8192) return refuse(P_SNOW_GREEN_BLUE);
  for (let i = P_CORE_HOT_REL; i <= P_SNOW_BLUE; i++) {
    if (i == P_ICE_NIR_RED) continue;
    const v = param(p, i);
    if (v < -65536 || v > 65536) return refuse(i);
  }
  const d = param(p, P_DILATE_PX), gr = param(p, P_GROW_PX), t = param(p, P_TILE_SIZE);
  if (d < 0 || d > MAX_GROW) return refuse(P_DILATE_PX);
  if (gr < d || gr > MAX_GROW) return refuse(P_GROW_PX);
  if (t < 8 || t > 4096) return refuse(P_TILE_SIZE);
  const dg = param(p, P_DEGRADE_FRAC), dr = param(p, P_DROP_FRAC), mv = param(p, P_MIN_VALID_FRAC);
  if (dg < 0 || dg > Q16_ONE) return refuse(P_DEGRADE_FRAC);
  if (dr < 0 || dr > Q16_ONE + 1 || dg > dr) return refuse(P_DROP_FRAC);
  if (mv < 0 || mv > Q16_ONE) return refuse(P_MIN_VALID_FRAC);
  const sd = param(p, P_SAT_DN), me = param(p, P_MIN_ELEV_CDEG);
  if (sd < 1 || sd > 65535) return refuse(P_SAT_DN);
  if (me < 0 || me > 9000) return refuse(P_MIN_ELEV_CDEG);
  const nv = param(p, P_CORE_NDVI_MAX);
  if (nv < -4096 || nv > 4097) return refuse(P_CORE_NDVI_MAX);
  for (let i = P_CORE_BLUE; i <= P_BRIGHT; i++) {
    if (i == P_CORE_NDVI_MAX) continue;
    const v = param(p, i);
    if (v < -65536 || v > 65536) return refuse(i);
  }
  return OK;
}

/** Bytes of workspace screenInit needs for this parameter block (< 0: bad block). */
export function screenWorkspaceLen(p: usize): i32 {
  const st = screenCheckParams(p);
  if (st < 0) return st;
  const w = param(p, P_WIDTH), g = param(p, P_GROW_PX), t = param(p, P_TILE_SIZE);
  const cols = (w + t - 1) / t;
  return (((g + 1) * w + 7) & ~7) + w * 8 + HOT_BINS * 4 + cols * TILE_WORDS * 4 + 12 * 8 + w;
}

/** Validates and applies a parameter block, carving its buffers from the workspace. */
export function screenInit(p: usize, wsPtr: usize, wsLen: i32): i32 {
  inited = false;
  const need = screenWorkspaceLen(p);
  if (need < 0) return need;
  if (wsPtr == 0) return E_NULL;
  if (wsLen < need) return E_BAD_LENGTH;
  width = param(p, P_WIDTH); nbands = param(p, P_NBANDS);
  bBlue = param(p, P_BAND_BLUE); bRed = param(p, P_BAND_RED); bNir = param(p, P_BAND_NIR);
  coreBlue = param(p, P_CORE_BLUE); coreHot = param(p, P_CORE_HOT); coreNdvi = param(p, P_CORE_NDVI_MAX);
  hazeHot = param(p, P_HAZE_HOT); bright = param(p, P_BRIGHT);
  bGreen = param(p, P_BAND_GREEN);
  coreHotRel = param(p, P_CORE_HOT_REL); hotBgCap = param(p, P_HOT_BG_CAP);
  iceNirRed = param(p, P_ICE_NIR_RED); snowBlue = param(p, P_SNOW_BLUE); snowGreenBlue = param(p, P_SNOW_GREEN_BLUE);
  dilate = param(p, P_DILATE_PX); grow = param(p, P_GROW_PX); tileSize = param(p, P_TILE_SIZE);
  degradeFrac = param(p, P_DEGRADE_FRAC); dropFrac = param(p, P_DROP_FRAC); minValid = param(p, P_MIN_VALID_FRAC);
  satDn = <u32>param(p, P_SAT_DN); minElevCdeg = param(p, P_MIN_ELEV_CDEG);
  tileCols = (width + tileSize - 1) / tileSize;
  ringPtr = wsPtr;
  lastCorePtr = wsPtr + (<usize>((grow + 1) * width + 7) & ~7);
  lastCore1Ptr = lastCorePtr + (<usize>width << 2);
  histPtr = lastCore1Ptr + (<usize>width << 2);
  tilePtr = histPtr + <usize>(HOT_BINS * 4);
  calPtr = tilePtr + <usize>(tileCols * TILE_WORDS * 4);
  scratchPtr = calPtr + 12 * 8;
  for (let i = 0; i < 12; i++) store<f64>(calPtr + (<usize>i << 3), 0.0);
  inited = true;
  radState = RAD_NONE;
  kB = oB = kR = oR = kN = oN = kG = oG = 0;
  return screenReset();
}

/** Starts a new image (same parameters and calibration): clears the delay line and tiles. */
/**
 * Replaces the thresholds of an initialised screener (the geometry words — width, bands, band
 * indices, tile size, radii — must not change): the parameter words are checked whole first.
 * For ST[20] parameter changes at a tile-row boundary (assembly/payload/screening.ts).
 */
export function screenSetThresholds(p: usize): i32 {
  if (!inited) return E_SCR_NO_INIT;
  const s = screenCheckParams(p);
  if (s != OK) return s;
  if (param(p, P_WIDTH) != width || param(p, P_NBANDS) != nbands || param(p, P_TILE_SIZE) != tileSize || param(p, P_GROW_PX) != grow || param(p, P_DILATE_PX) != dilate) return E_SCR_BAD_PARAM;
  coreBlue = param(p, P_CORE_BLUE); coreHot = param(p, P_CORE_HOT); coreNdvi = param(p, P_CORE_NDVI_MAX);
  hazeHot = param(p, P_HAZE_HOT); bright = param(p, P_BRIGHT);
  coreHotRel = param(p, P_CORE_HOT_REL); hotBgCap = param(p, P_HOT_BG_CAP);
  iceNirRed = param(p, P_ICE_NIR_RED); snowBlue = param(p, P_SNOW_BLUE); snowGreenBlue = param(p, P_SNOW_GREEN_BLUE);
  degradeFrac = param(p, P_DEGRADE_FRAC); dropFrac = param(p, P_DROP_FRAC); minValid = param(p, P_MIN_VALID_FRAC);
  minElevCdeg = param(p, P_MIN_ELEV_CDEG);
  return OK;
}

export function screenReset(): i32 {
  if (!inited) return E_SCR_NO_INIT;
  rowsIn = 0; rowsOut = 0; tileRowDone = -1;
  // Ages start saturated ("no core seen"); the SWAR paths touch width rounded up to 8 bytes,
  // inside each 4·width region once width ≥ SWAR_MIN_WIDTH.
  const n = width >= SWAR_MIN_WIDTH ? (width + 7) & ~7 : width;
  for (let x = 0; x < n; x++) { store<u8>(lastCorePtr + <usize>x, AGE_MAX); store<u8>(lastCore1Ptr + <usize>x, AGE_MAX); }
  age2Quiet = AGE_MAX; age1Quiet = AGE_MAX; coreHist = 0;
  if (width >= DIL_SWAR_MIN_WIDTH) {
    dilAPtr = lastCorePtr + <usize>((width + 7) & ~7);
    dilBPtr = lastCore1Ptr + <usize>((width + 7) & ~7);
    const m = ((width + 7) & ~7) + 2 * DIL_PAD;
    for (let i = 0; i < m; i++) { store<u8>(dilAPtr + <usize>i, 0); store<u8>(dilBPtr + <usize>i, 0); }
  }
  for (let i = 0; i < HOT_BINS; i++) store<i32>(histPtr + (<usize>i << 2), 0);
  histTotal = 0; hotBackground = 0; lc1Next = 0; medBin = 0; medBelow = 0;
  clearTiles();
  return OK;
}

function clearTiles(): void {
  const n = tileCols * TILE_WORDS;
  for (let i = 0; i < n; i++) store<i32>(tilePtr + (<usize>i << 2), 0);
}

/** Calibration of a band (radiance = gain·DN + offset; ESUN at 1 AU). Only blue, red, NIR and green are used. */
export function screenSetCalibration(band: i32, gain: f64, offset: f64, esun: f64): i32 {
  if (!inited) return E_SCR_NO_INIT;
  if (band < 0 || band >= nbands) return E_SCR_BAD_PARAM;
  // Slots 0..3: blue, red, NIR, green (green may share a band with another slot).
  for (let slot = 0; slot < 4; slot++) {
    const b = slot == 0 ? bBlue : slot == 1 ? bRed : slot == 2 ? bNir : bGreen;
    if (b != band) continue;
    const q = calPtr + <usize>(slot * 24);
    store<f64>(q, gain); store<f64>(q, offset, 8); store<f64>(q, esun, 16);
    radState = RAD_NONE; // geometry must be applied again
  }
  return OK;
}

/**
 * Applies the sun geometry (elevation in degrees, Earth–Sun distance in AU) to the stored
 * calibration. Returns OK, E_SCR_NIGHT (sun below P_MIN_ELEV) or E_SCR_BAD_CAL; in the last two
 * cases following lines are classed UNJUDGED and their tiles kept until a good call.
 */
export function screenSetSun(elevDeg: f64, earthSunAu: f64): i32 {
  if (!inited) return E_SCR_NO_INIT;
  let res = CAL_OK;
  if (!(elevDeg - elevDeg == 0.0)) res = CAL_ABSURD;
  const s = res == CAL_OK ? sinDeg(elevDeg) : 0.0;
  for (let slot = 0; slot < 4 && res != CAL_ABSURD; slot++) {
    const q = calPtr + <usize>(slot * 24);
    const r = reflCoefficients(slot, load<f64>(q), load<f64>(q, 8), load<f64>(q, 16), s, earthSunAu);
    if (r > res) res = r;
  }
  if (res == CAL_OK && elevDeg * 100.0 < <f64>minElevCdeg) res = CAL_NIGHT;
  if (res == CAL_OK) {
    kB = reflSlope(0); oB = reflIntercept(0);
    kR = reflSlope(1); oR = reflIntercept(1);
    kN = reflSlope(2); oN = reflIntercept(2);
    kG = reflSlope(3); oG = reflIntercept(3);
    radState = RAD_OK;
    return OK;
  }
  // Absurd calibration outranks night: say what is wrong with the data, not the hour.
  radState = res == CAL_NIGHT ? RAD_NIGHT : RAD_BAD_CAL;
  return res == CAL_NIGHT ? E_SCR_NIGHT : E_SCR_BAD_CAL;
}

/** Radiometry state: RAD_NONE, RAD_OK, RAD_NIGHT or RAD_BAD_CAL. */
export function screenRadState(): i32 { return radState; }

/**
 * Stage A: flags of every pixel of the arriving line into the ring slot (tests, haze against the
 * background of the lines before), then the horizontal dilation of its cores and the R2 ages.
 */
function classifyLine(linePtr: usize, slotPtr: usize): void {
  const w = width;
  const rowBytes = <usize>w << 1;
  const pb = linePtr + <usize>bBlue * rowBytes;
  const pr = linePtr + <usize>bRed * rowBytes;
  const pn = linePtr + <usize>bNir * rowBytes;
  const pg = linePtr + <usize>bGreen * rowBytes;
  const sat = satDn;
  if (radState != RAD_OK) {
    for (let x = 0; x < w; x++) {
      const ox = <usize>x << 1;
      const b = <u32>load<u16>(pb + ox), r = <u32>load<u16>(pr + ox), n = <u32>load<u16>(pn + ox);
      let f: u32 = F_UNJUDGED;
      if (b == 0 || r == 0 || n == 0) f = F_MISSING;
      else if (b >= sat || r >= sat || n >= sat) f = F_SAT;
      store<u8>(slotPtr + <usize>x, <u8>f);
    }
    coreHist <<= 1;
    age2Update(slotPtr, false);
    return;
  }
  const kb = kB, ob = oB, kr = kR, or = oR, kn = kN, on = oN;
  // Core HOT: above the absolute floor and above the scene's clear background (the lines
  // before; capped, and the cap alone before any background) by P_CORE_HOT_REL: clear TOA ground
  // carries the Rayleigh path radiance's HOT, bright soil sits just above it, cloud well above.
  const bgC = histTotal > 0 && hotBackground < hotBgCap ? hotBackground : hotBgCap;
  const rel2 = (bgC + coreHotRel) << 1, abs2 = coreHot << 1;
  const cBlue = coreBlue, cHot2 = rel2 > abs2 ? rel2 : abs2, cNdvi = <i64>coreNdvi, bri = bright;
  const snow = <u64><u32>snowBlue | (<u64><u32>snowGreenBlue << 32) | (<u64><u32>iceNirRed << 48); // packed: fewer arguments
  // Haze limit on 2·HOT from the background of the previous lines (none before the first line:
  // 2^30 is above every 2·HOT and keeps lim2 − hot2 inside i32, see pixelFlags).
  const lim2: i32 = histTotal > 0 ? (hotBackground + hazeHot) << 1 : 1 << 30;
  const hist = histPtr, med = medBin, satM1 = sat - 1;
  let below = medBelow, added = 0;
  let anyCore: u32 = 0; // F_CORE in some byte: the line has a core (found below, not per pixel)
  // Four columns per step: the first feeds the background histogram (every fourth column: the
  // median needs no more, and neighbouring pixels hitting one bin would serialise the update).
  let x = 0;
  for (; x + 3 < w; x += 4) {
    const ox = <usize>x << 1;
    const v = pixelFlags(load<u16>(pb + ox), load<u16>(pr + ox), load<u16>(pn + ox), satM1, kb, ob, kr, or, kn, on, cBlue, cHot2, cNdvi, bri, lim2, snow, pg + ox);
    const f0 = <u32>v;
    if ((f0 & (F_CORE | F_MISSING | F_SAT)) == 0) {
      let bin = (<i32>(v >> 32) >> 1) - HOT_MIN;
      bin = bin < 0 ? 0 : bin >= HOT_BINS ? HOT_BINS - 1 : bin;
      const q = hist + (<usize>bin << 2);
      store<i32>(q, load<i32>(q) + 1);
      if (bin < med) below++;
      added++;
    }
    const f1 = pixelFlags32(load<u16>(pb + ox, 2), load<u16>(pr + ox, 2), load<u16>(pn + ox, 2), satM1, kb, ob, kr, or, kn, on, cBlue, cHot2, cNdvi, bri, lim2, snow, pg + ox + 2);
    const f2 = pixelFlags32(load<u16>(pb + ox, 4), load<u16>(pr + ox, 4), load<u16>(pn + ox, 4), satM1, kb, ob, kr, or, kn, on, cBlue, cHot2, cNdvi, bri, lim2, snow, pg + ox + 4);
    const f3 = pixelFlags32(load<u16>(pb + ox, 6), load<u16>(pr + ox, 6), load<u16>(pn + ox, 6), satM1, kb, ob, kr, or, kn, on, cBlue, cHot2, cNdvi, bri, lim2, snow, pg + ox + 6);
    const word = f0 | (f1 << 8) | (f2 << 16) | (f3 << 24);
    anyCore |= word;
    store<u32>(slotPtr + <usize>x, word);
  }
  for (; x < w; x++) {
    const ox = <usize>x << 1;
    const v = pixelFlags(load<u16>(pb + ox), load<u16>(pr + ox), load<u16>(pn + ox), satM1, kb, ob, kr, or, kn, on, cBlue, cHot2, cNdvi, bri, lim2, snow, pg + ox);
    const f = <u32>v;
    anyCore |= f;
    if ((x & 3) == 0 && (f & (F_CORE | F_MISSING | F_SAT)) == 0) {
      let bin = (<i32>(v >> 32) >> 1) - HOT_MIN;
      bin = bin < 0 ? 0 : bin >= HOT_BINS ? HOT_BINS - 1 : bin;
      const q = hist + (<usize>bin << 2);
      store<i32>(q, load<i32>(q) + 1);
      if (bin < med) below++;
      added++;
    }
    store<u8>(slotPtr + <usize>x, <u8>f);
  }
  medBelow = below;
  histTotal += added;
  updateBackground();
  let firstCore = -1, last = -1;
  if (anyCore & <u32>(F_CORE * 0x01010101)) { firstCore = firstFlag(slotPtr, w); last = lastFlag(slotPtr, w); }
  if (width >= DIL_SWAR_MIN_WIDTH) dilateLineSwar(slotPtr, firstCore, last);
  else dilateLine(slotPtr, firstCore, last);
  const has = firstCore >= 0;
  coreHist = (coreHist << 1) | <u64>has;
  age2Update(slotPtr, has);
}

/**
 * Flags of one pixel (F_CORE, F_GATE, F_BRIGHT; F_MISSING or F_SAT alone when a band is zero or
 * saturated), with 2·HOT of a valid pixel in the high word (for the background histogram).
 */
@inline function pixelFlags(b16: u16, r16: u16, n16: u16, satM1: u32, kb: i64, ob: i64, kr: i64, or: i64, kn: i64, on: i64,
                            cBlue: i32, cHot2: i32, cNdvi: i64, bri: i32, lim2: i32, snow: u64, pgx: usize): u64 {
  const b = <u32>b16, r = <u32>r16, n = <u32>n16;
  // b − 1 ≥ sat − 1 (unsigned) catches both zero (wraps to 0xFFFFFFFF) and saturated. The OR of
  // the three is ≥ each of them, so one compare lets every valid pixel through; it also fires
  // for some valid ones (bits of different bands add up), hence the exact per-band test then.
  if (((b - 1) | (r - 1) | (n - 1)) >= satM1) {
    if ((b - 1 >= satM1) | (r - 1 >= satM1) | (n - 1 >= satM1)) return <u64>(b == 0 || r == 0 || n == 0 ? F_MISSING : F_SAT);
  }
  const rb = <i32>((<i64>b * kb + ob) >> REFL_COEF_SHIFT);
  const rr = <i32>((<i64>r * kr + or) >> REFL_COEF_SHIFT);
  // Brightness (cloud is bright in blue, where ground is dark), HOT (haze-optimised
  // transform: cloud lifts blue as much as red, soil lifts red twice as much) and NDVI
  // (vegetation seen through no or thin cloud keeps a strong red edge; NIR is only
  // converted for the pixels that pass the first two; NDVI < max as a cross-multiplication).
  // The tests "v > t" are the sign bit of t − v, without overflow: K ≤ 2^32 and |O| ≤ 2^32
  // (radiometry) give ρ in [−2^12, 2^28], 2·HOT in [−2^28 − 2^13, 2^29 + 2^12]; every threshold
  // is within ±2^18 (screenCheckParams, the background in HOT_MIN..HOT_MIN + HOT_BINS) or 2^30.
  const hot2 = (rb << 1) - rr;
  let core: u32 = 0;
  if (((cBlue - rb) & (cHot2 - hot2)) < 0) {
    const rn = <i32>((<i64>n * kn + on) >> REFL_COEF_SHIFT);
    const sum = rn + rr;
    if (sum <= 0 || (<i64>(rn - rr) << 12) < cNdvi * <i64>sum) core = coreOrBright(rb, rr, rn, snow, pgx);
  }
  // F_CORE, F_GATE (0x02: hot2 > lim2), F_BRIGHT (0x04: ρ_blue > bright or ρ_red > bright)
  const f = core | ((<u32>(lim2 - hot2) >> 30) & 2) | ((<u32>((bri - rb) | (bri - rr)) >> 29) & 4);
  return (<u64><u32>hot2 << 32) | <u64>f;
}

/** pixelFlags without the 2·HOT word (the columns that do not feed the histogram); same tests. */
@inline function pixelFlags32(b16: u16, r16: u16, n16: u16, satM1: u32, kb: i64, ob: i64, kr: i64, or: i64, kn: i64, on: i64,
                              cBlue: i32, cHot2: i32, cNdvi: i64, bri: i32, lim2: i32, snow: u64, pgx: usize): u32 {
  const b = <u32>b16, r = <u32>r16, n = <u32>n16;
  if (((b - 1) | (r - 1) | (n - 1)) >= satM1) {
    if ((b - 1 >= satM1) | (r - 1 >= satM1) | (n - 1 >= satM1)) return b == 0 || r == 0 || n == 0 ? F_MISSING : F_SAT;
  }
  const rb = <i32>((<i64>b * kb + ob) >> REFL_COEF_SHIFT);
  const rr = <i32>((<i64>r * kr + or) >> REFL_COEF_SHIFT);
  const hot2 = (rb << 1) - rr;
  let core: u32 = 0;
  if (((cBlue - rb) & (cHot2 - hot2)) < 0) {
    const rn = <i32>((<i64>n * kn + on) >> REFL_COEF_SHIFT);
    const sum = rn + rr;
    if (sum <= 0 || (<i64>(rn - rr) << 12) < cNdvi * <i64>sum) core = coreOrBright(rb, rr, rn, snow, pgx);
  }
  return core | ((<u32>(lim2 - hot2) >> 30) & 2) | ((<u32>((bri - rb) | (bri - rr)) >> 29) & 4);
}

/**
 * A pixel that passed the cloud tests: F_CORE, or F_BNC (bright, not cloud) when it shows ice's
 * NIR absorption (ρ_nir < ice·ρ_red) or snow's blue tilt under the full Rayleigh column
 * (ρ_blue > snowBlue and ρ_green < sgb·ρ_blue; green is read only then, and a missing or
 * saturated green gives no snow verdict). Ratios Q12, i64 products.
 */
function coreOrBright(rb: i32, rr: i32, rn: i32, snow: u64, pgx: usize): u32 {
  const ice = <i64>(snow >> 48), sgb = <i64>((snow >> 32) & 0xffff), snowB = <i32><u32>snow;
  if ((<i64>rn << 12) < ice * <i64>rr) return F_BNC;
  if (rb > snowB && sgb > 0) {
    const g = <u32>load<u16>(pgx);
    if (g - 1 >= satDn - 1) return F_CORE;      // green missing (0) or saturated: no snow verdict from it
    const rg = <i32>((<i64>g * kG + oG) >> REFL_COEF_SHIFT);
    if ((<i64>rg << 12) < sgb * <i64>rb) return F_BNC;
  }
  return F_CORE;
}

/** First column of a line of w flag bytes with F_CORE (the line has one). */
function firstFlag(p: usize, w: i32): i32 {
  let x = 0;
  for (; x + 8 <= w; x += 8) {
    const m = load<u64>(p + <usize>x) & ONES; // F_CORE = 0x01
    if (m != 0) return x + <i32>(ctz<u64>(m) >> 3);
  }
  for (; x < w; x++) if (load<u8>(p + <usize>x) & F_CORE) return x;
  return -1;
}

/** Last column of a line of w flag bytes with F_CORE (the line has one). */
function lastFlag(p: usize, w: i32): i32 {
  let x = w;
  for (; x >= 8; x -= 8) {
    const m = load<u64>(p + <usize>(x - 8)) & ONES;
    if (m != 0) return x - 1 - <i32>(clz<u64>(m) >> 3);
  }
  for (; x > 0; x--) if (load<u8>(p + <usize>(x - 1)) & F_CORE) return x - 1;
  return -1;
}

/** a + 1 per byte, saturating at AGE_MAX (every byte ≤ AGE_MAX on entry: no carry between bytes). */
@inline function satInc8(a: u64): u64 { const t = a + ONES; return t - ((t & HIGHS) >> 7); }

/**
 * Ages after one more line (R2 state, newest line): +1, 0 where the line has F_HCORE2. Skipped
 * when every age is already saturated and the line has no core (the ages would not change).
 */
function age2Update(slotPtr: usize, has: bool): void {
  if (!has && age2Quiet >= <i32>AGE_MAX) return;
  age2Quiet = has ? 0 : age2Quiet + 1;
  const w = width, a2 = lastCorePtr;
  if (w >= SWAR_MIN_WIDTH) {
    // Flag bytes past the line (next ring slot or padding) only touch the padding ages.
    const n = <usize>((w + 7) & ~7);
    for (let x: usize = 0; x < n; x += 8) {
      const f = load<u64>(slotPtr + x);
      store<u64>(a2 + x, satInc8(load<u64>(a2 + x)) & ~(((f >> 7) & ONES) * 0xff)); // F_HCORE2 = 0x80
    }
  } else {
    for (let x = 0; x < w; x++) {
      const a = load<u8>(a2 + <usize>x);
      store<u8>(a2 + <usize>x, load<u8>(slotPtr + <usize>x) & F_HCORE2 ? 0 : a < AGE_MAX ? a + 1 : a);
    }
  }
}

/** Folds one ring line into the R1 ages (+1, 0 where F_HCORE1); skipped when it changes nothing. */
function fold1(rowPtr: usize, has: bool): void {
  if (!has && age1Quiet >= <i32>AGE_MAX) return;
  age1Quiet = has ? 0 : age1Quiet + 1;
  const w = width, a1 = lastCore1Ptr;
  if (w >= SWAR_MIN_WIDTH) {
    const n = <usize>((w + 7) & ~7);
    for (let x: usize = 0; x < n; x += 8) {
      const f = load<u64>(rowPtr + x);
      store<u64>(a1 + x, satInc8(load<u64>(a1 + x)) & ~(((f >> 5) & ONES) * 0xff)); // F_HCORE1 = 0x20
    }
  } else {
    for (let x = 0; x < w; x++) {
      const a = load<u8>(a1 + <usize>x);
      store<u8>(a1 + <usize>x, load<u8>(rowPtr + <usize>x) & F_HCORE1 ? 0 : a < AGE_MAX ? a + 1 : a);
    }
  }
}

/** Whether ring line `r` (newest − MAX_GROW ≤ r ≤ newest) has a core pixel. */
@inline function lineHasCore(r: i32, newest: i32): bool { return ((coreHist >> <u64>(newest - r)) & 1) != 0; }

/**
 * Median of the background histogram, tracked incrementally (bin medBin, medBelow pixels in
 * lower bins); halves the bins when they hold too many pixels so the background follows the scene.
 */
function updateBackground(): void {
  const hist = histPtr;
  if (histTotal > HIST_HALVE_AT) {
    let t = 0, below = 0;
    for (let i = 0; i < HOT_BINS; i++) {
      const q = hist + (<usize>i << 2);
      const v = load<i32>(q) >> 1;
      store<i32>(q, v);
      t += v;
      if (i < medBin) below += v;
    }
    histTotal = t; medBelow = below;
  }
  if (histTotal == 0) return;
  const half = (histTotal + 1) >> 1;
  let m = medBin, below = medBelow;
  // Bounded: each loop moves m monotonically within [0, HOT_BINS − 1].
  while (m < HOT_BINS - 1 && below + load<i32>(hist + (<usize>m << 2)) < half) { below += load<i32>(hist + (<usize>m << 2)); m++; }
  while (m > 0 && below >= half) { m--; below -= load<i32>(hist + (<usize>m << 2)); }
  medBin = m; medBelow = below;
  hotBackground = m + HOT_MIN;
}

/**
 * Horizontal square-window dilation of the line's cores: F_HCORE1 within R1 columns of a core,
 * F_HCORE2 within R2 (distance to the nearest core: a forward pass, then a backward pass). Only
 * columns within R2 of the first and last core can change, so clear lines cost nothing here.
 */
function dilateLine(slotPtr: usize, firstCore: i32, lastCore: i32): void {
  if (firstCore < 0) return; // no core on this line: nothing to dilate
  const w = width, d1 = dilate, d2 = grow;
  const x0 = firstCore - d2 > 0 ? firstCore - d2 : 0;
  const x1 = lastCore + d2 < w - 1 ? lastCore + d2 : w - 1;
  let prev: i32 = firstCore;
  for (let x = firstCore; x <= x1; x++) {
    const p = slotPtr + <usize>x;
    let f = load<u8>(p);
    if (f & F_CORE) prev = x;
    const dist = x - prev;
    if (dist <= d2) { f |= dist <= d1 ? (F_HCORE1 | F_HCORE2) : F_HCORE2; store<u8>(p, f); }
  }
  let next: i32 = lastCore;
  for (let x = lastCore; x >= x0; x--) {
    const p = slotPtr + <usize>x;
    let f = load<u8>(p);
    if (f & F_CORE) next = x;
    const dist = next - x;
    if (dist <= d2) { f |= dist <= d1 ? (F_HCORE1 | F_HCORE2) : F_HCORE2; store<u8>(p, f); }
  }
}

/**
 * The same dilation 8 columns per step on wide lines: the cores as 0/1 bytes in a zero-padded
 * buffer, dilated to radius R1 and then R2 by steps that OR the buffer read at byte offsets −s, 0, +s
 * (radius a becomes a + s, without gaps while s ≤ 2a + 1: radii 1, 4, 13, …). Words are
 * limited to those within R2 of a core; they are cleared after use, so all else reads as zero.
 */
function dilateLineSwar(slotPtr: usize, firstCore: i32, lastCore: i32): void {
  if (firstCore < 0) return;
  const w = width, d1 = dilate, d2 = grow;
  // Steps may pass through columns up to R2 outside the line (the path −1 + 3 = 2 does), so the
  // words run over virtual columns in the padding too: lo ≥ −(MAX_GROW + 7), hi ≤ ⌈w⌉₈ + MAX_GROW.
  const lo = (firstCore - d2) & ~7, hi = (lastCore + d2 + 8) & ~7;
  const w8 = (w + 7) & ~7;
  const inLo = lo > 0 ? lo : 0, inHi = hi < w8 ? hi : w8;            // words holding real columns
  let src = dilAPtr + <usize>DIL_PAD, dst = dilBPtr + <usize>DIL_PAD;
  for (let x = inLo; x < inHi; x += 8) {                              // virtual columns stay zero
    let m = load<u64>(slotPtr + <usize>x) & ONES;                     // F_CORE = 0x01
    if (x + 8 > w) m &= ((<u64>1) << (<u64>(w - x) << 3)) - 1;        // bytes past the line
    store<u64>(src + <usize>x, m);
  }
  let radius = 0;
  for (let pass = 0; pass < 2; pass++) {
    const target = pass == 0 ? d1 : d2;
    for (let k = 0; k < MAX_GROW && radius < target; k++) {           // bounded: radius grows ≥ 1 per step
      // Window [−a, a] then offsets {−s, 0, s} is the window [−(a + s), a + s] while s ≤ 2a + 1.
      const step = 2 * radius + 1 < target - radius ? 2 * radius + 1 : target - radius;
      const s = <usize>step;
      for (let x = lo; x < hi; x += 8) {
        const q = src + <usize>x;
        store<u64>(dst + <usize>x, load<u64>(q) | load<u64>(q - s) | load<u64>(q + s));
      }
      const t = src; src = dst; dst = t;
      radius += step;
    }
    // Merge: F_HCORE1 (0x20) and F_HCORE2 (0x80) after R1, F_HCORE2 after R2; never past the line.
    const bits: u64 = pass == 0 ? <u64>(F_HCORE1 | F_HCORE2) : <u64>F_HCORE2;
    for (let x = inLo; x < inHi; x += 8) {
      let m = load<u64>(src + <usize>x) * bits;
      if (x + 8 > w) m &= ((<u64>1) << (<u64>(w - x) << 3)) - 1;
      store<u64>(slotPtr + <usize>x, load<u64>(slotPtr + <usize>x) | m);
    }
  }
  for (let x = lo; x < hi; x += 8) { store<u64>(src + <usize>x, 0); store<u64>(dst + <usize>x, 0); }
}

/**
 * Stage B: classes of ring row `row` and tile statistics. Needs the lines up to row + R2 in
 * the ring (fewer at the end of the image). A pixel is cloud when a core lies within R1
 * (square window) or, if it is hazy, within R2: with A the last line folded into the R1 ages,
 * age1 ≤ A − row + R1 and age2 ≤ newest − row + R2 say exactly that.
 */
function emitRow(row: i32, classPtr: usize, newest: i32): void {
  const w = width, d1 = dilate, d2 = grow, t = tileSize;
  const slots = d2 + 1;
  const slotPtr = ringPtr + <usize>((row % slots) * w);
  // Bring the R1 ages up to row + R1 (those lines are still in the ring). In steady state that
  // is one line, folded into the pixel loop below (foldPtr); else caught up here.
  const ahead = row + d1 < newest ? row + d1 : newest;
  for (; lc1Next < ahead; lc1Next++) fold1(ringPtr + <usize>((lc1Next % slots) * w), lineHasCore(lc1Next, newest));
  let foldPtr: usize = 0; // 0: nothing to fold in the loop
  if (lc1Next == ahead) {
    const has = lineHasCore(ahead, newest);
    if (has || age1Quiet < <i32>AGE_MAX) {
      foldPtr = ringPtr + <usize>((ahead % slots) * w);
      age1Quiet = has ? 0 : age1Quiet + 1;
    }
    lc1Next++;
  }
  const k1 = lc1Next - 1 - row + d1, k2 = newest - row + d2; // 0 ≤ k ≤ 2·MAX_GROW < AGE_MAX
  const out = classPtr != 0 ? classPtr : scratchPtr; // no test per pixel
  if (row % t == 0) clearTiles();
  tileRowDone = -1;
  const a1 = lastCore1Ptr, a2 = lastCorePtr;
  if (w >= SWAR_MIN_WIDTH && (t & 7) == 0) {
    // 8 pixels per step; tiles start on multiples of 8, only the line's last word is partial.
    // Every age saturated and nothing to fold: no pixel can be cloud, the ages need no reading.
    const quiet = foldPtr == 0 && age1Quiet >= <i32>AGE_MAX && age2Quiet >= <i32>AGE_MAX;
    const c1: u64 = <u64>(<i32>AGE_MAX - k1) * ONES, c2: u64 = <u64>(<i32>AGE_MAX - k2) * ONES;
    let x0 = 0;
    for (let tc = 0; tc < tileCols; tc++) {
      const x1 = x0 + t < w ? x0 + t : w;
      let nCloud: u64 = 0, nUnc: u64 = 0, nSat: u64 = 0, nMiss: u64 = 0, nUnj: u64 = 0, nBnc: u64 = 0;
      for (let x = x0; x < x1; x += 8) {
        const ox = <usize>x;
        const f = load<u64>(slotPtr + ox);
        let cloud: u64 = 0;
        if (!quiet) {
          let g1 = load<u64>(a1 + ox);
          if (foldPtr != 0) {
            g1 = satInc8(g1) & ~(((load<u64>(foldPtr + ox) >> 5) & ONES) * 0xff); // F_HCORE1 = 0x20
            store<u64>(a1 + ox, g1);
          }
          // Per byte, age + (AGE_MAX − k) < 0x80 ⇔ age ≤ k (no carry: both ≤ AGE_MAX).
          const near1 = ~(g1 + c1) & HIGHS, near2 = ~(load<u64>(a2 + ox) + c2) & HIGHS;
          cloud = (near1 | ((f << 6) & near2)) >> 7; // (f << 6) & 0x80: F_GATE (0x02) of the same byte
        }
        const lm: u64 = x + 8 <= x1 ? <u64>-1 : ((<u64>1) << (<u64>(x1 - x) << 3)) - 1; // pixels of this tile
        let unc = (f >> 2) & ONES & ~cloud; // F_BRIGHT (0x04) and not cloud
        let c: u64;
        if ((f & lm & (<u64>(F_SAT | F_MISSING | F_UNJUDGED) * ONES)) != 0) {
          const mb = (f >> 4) & ONES, sb = (f >> 3) & ONES; // F_MISSING 0x10, F_SAT 0x08; both: F_BNC
          const miss = mb & ~sb, sat = sb & ~mb;
          const unj = (f >> 6) & ONES & ~(mb | sb);        // F_UNJUDGED 0x40
          const bad = miss | sat | unj;
          cloud &= ~bad;                                   // bright-not-cloud pixels may still be grown into cloud
          const bnc = mb & sb & ~cloud;
          unc &= ~(bad | bnc);
          c = cloud | (unc << 1) | (miss * <u64>CLASS_MISSING) | (sat * <u64>CLASS_SATURATED) | (unj * <u64>CLASS_UNJUDGED) | (bnc * <u64>CLASS_BRIGHT);
          nMiss += popcnt<u64>(miss & lm); nSat += popcnt<u64>(sat & lm); nUnj += popcnt<u64>(unj & lm); nBnc += popcnt<u64>(bnc & lm);
        } else {
          c = cloud | (unc << 1); // CLASS_CLOUD = 1, CLASS_UNCERTAIN = 2, CLASS_CLEAR = 0
        }
        nCloud += popcnt<u64>(cloud & lm); nUnc += popcnt<u64>(unc & lm);
        if (x + 8 <= w) store<u64>(out + ox, c);
        else for (let i = x; i < w; i++) { store<u8>(out + <usize>i, <u8>c); c >>= 8; }
      }
      addTile(tc, x1 - x0, <i32>nCloud, <i32>nUnc, <i32>nSat, <i32>nMiss, <i32>nUnj, <i32>nBnc);
      x0 = x1;
    }
    return;
  }
  let x0 = 0;
  for (let tc = 0; tc < tileCols; tc++) {
    const x1 = x0 + t < w ? x0 + t : w;
    let nCloud = 0, nUnc = 0, nSat = 0, nMiss = 0, nUnj = 0, nBnc = 0;
    for (let x = x0; x < x1; x++) {
      const f = <u32>load<u8>(slotPtr + <usize>x);
      let g1 = <u32>load<u8>(a1 + <usize>x);
      if (foldPtr != 0) {
        g1 = load<u8>(foldPtr + <usize>x) & F_HCORE1 ? 0 : g1 < <u32>AGE_MAX ? g1 + 1 : g1;
        store<u8>(a1 + <usize>x, <u8>g1);
      }
      let c: u32;
      // (f >> 1) & 1 is F_GATE (0x02), (f >> 2) & 1 is F_BRIGHT (0x04).
      const cloud = <u32>(g1 <= <u32>k1) | (((f >> 1) & 1) & <u32>(<i32>load<u8>(a2 + <usize>x) <= k2));
      if ((f & F_BNC) == F_BNC) {
        c = cloud ? CLASS_CLOUD : CLASS_BRIGHT; nCloud += cloud; nBnc += cloud ^ 1;
      } else if (f & (F_MISSING | F_SAT | F_UNJUDGED)) {
        if (f & F_MISSING) { c = CLASS_MISSING; nMiss++; }
        else if (f & F_SAT) { c = CLASS_SATURATED; nSat++; }
        else { c = CLASS_UNJUDGED; nUnj++; }
      } else {
        const unc = (cloud ^ 1) & ((f >> 2) & 1);
        c = cloud | (unc << 1);
        nCloud += cloud; nUnc += unc;
      }
      store<u8>(out + <usize>x, <u8>c);
    }
    addTile(tc, x1 - x0, nCloud, nUnc, nSat, nMiss, nUnj, nBnc);
    x0 = x1;
  }
}

/** Adds one line's counts over tile column tc (n pixels) to its record. */
@inline function addTile(tc: i32, n: i32, nCloud: i32, nUnc: i32, nSat: i32, nMiss: i32, nUnj: i32, nBnc: i32): void {
  const nClear = n - nCloud - nUnc - nSat - nMiss - nUnj - nBnc;
  const tp = tilePtr + <usize>(tc * TILE_WORDS * 4);
  store<i32>(tp + (T_CLEAR << 2), load<i32>(tp + (T_CLEAR << 2)) + nClear);
  store<i32>(tp + (T_CLOUD << 2), load<i32>(tp + (T_CLOUD << 2)) + nCloud);
  store<i32>(tp + (T_UNCERTAIN << 2), load<i32>(tp + (T_UNCERTAIN << 2)) + nUnc);
  store<i32>(tp + (T_SATURATED << 2), load<i32>(tp + (T_SATURATED << 2)) + nSat);
  store<i32>(tp + (T_MISSING << 2), load<i32>(tp + (T_MISSING << 2)) + nMiss);
  store<i32>(tp + (T_UNJUDGED << 2), load<i32>(tp + (T_UNJUDGED << 2)) + nUnj);
  store<i32>(tp + (T_BRIGHT << 2), load<i32>(tp + (T_BRIGHT << 2)) + nBnc);
}

/** Decision of one tile from its counts (pure; also used by the tests). Returns decision | reason << 8. */
export function screenDecide(nClear: i32, nCloud: i32, nUnc: i32, nSat: i32, nMiss: i32, nUnj: i32,
                             degrade: i32, drop: i32, minValidQ16: i32): i32 {
  const total = <i64>nClear + nCloud + nUnc + nSat + nMiss + nUnj;
  if (nUnj > 0 || total == 0) return DECIDE_KEEP | (REASON_UNJUDGED << 8);
  const valid = <i64>nClear + nCloud + nUnc;
  if ((valid << 16) < <i64>minValidQ16 * total || valid == 0) return DECIDE_KEEP | (REASON_FEW_VALID << 8);
  // Cloud share of valid pixels; uncertain-bright counts as not cloud, so it can never drop a tile.
  const frac = (<i64>nCloud << 16);
  if (frac >= <i64>drop * valid) return DECIDE_DROP;
  if (frac >= <i64>degrade * valid) return DECIDE_DEGRADE;
  return DECIDE_KEEP;
}

function finishTileRow(tileRow: i32): void {
  for (let tc = 0; tc < tileCols; tc++) {
    const tp = tilePtr + <usize>(tc * TILE_WORDS * 4);
    // Bright-not-cloud pixels are valid and not cloud (as clear): they can only lower the cloud share.
    const v = screenDecide(load<i32>(tp + (T_CLEAR << 2)) + load<i32>(tp + (T_BRIGHT << 2)), load<i32>(tp + (T_CLOUD << 2)), load<i32>(tp + (T_UNCERTAIN << 2)),
      load<i32>(tp + (T_SATURATED << 2)), load<i32>(tp + (T_MISSING << 2)), load<i32>(tp + (T_UNJUDGED << 2)),
      degradeFrac, dropFrac, minValid);
    store<i32>(tp + (T_DECISION << 2), v & 0xff);
    store<i32>(tp + (T_REASON << 2), v >> 8);
  }
  tileRowDone = tileRow;
}

/**
 * Pushes one line (nbands × width u16 DN, band-interleaved by line, native little-endian).
 * Returns the index of the class line written to classPtr (width bytes; classPtr may be 0),
 * which lags the input by P_GROW_PX lines, or E_NEED_INPUT while the delay line fills.
 * lineLen must be nbands·width·2.
 */
export function screenPushLine(linePtr: usize, lineLen: i32, classPtr: usize): i32 {
  if (!inited) return E_SCR_NO_INIT;
  if (linePtr == 0) return E_NULL;
  if (lineLen != nbands * width * 2) return E_BAD_LENGTH;
  if (rowsIn >= 0x3fffffff) return E_BAD_LENGTH;
  const slotPtr = ringPtr + <usize>((rowsIn % (grow + 1)) * width);
  classifyLine(linePtr, slotPtr);
  rowsIn++;
  if (rowsIn <= grow) return E_NEED_INPUT;
  return produce(classPtr, false);
}

function produce(classPtr: usize, last: bool): i32 {
  const row = rowsOut;
  emitRow(row, classPtr, rowsIn - 1);
  rowsOut++;
  if (rowsOut % tileSize == 0 || last) finishTileRow(row / tileSize);
  return row;
}

/** After the last line: produces one delayed class line per call, E_NEED_INPUT when none is left. */
export function screenFlush(classPtr: usize): i32 {
  if (!inited) return E_SCR_NO_INIT;
  if (rowsOut >= rowsIn) return E_NEED_INPUT;
  return produce(classPtr, rowsOut + 1 == rowsIn);
}

/** Tile row completed by the last produced class line (its records are valid until the next line), else −1. */
export function screenTileRowDone(): i32 { return tileRowDone; }
export function screenTileCols(): i32 { return tileCols; }
export function screenTilePtr(): usize { return tilePtr; }
export function screenLinesIn(): i32 { return rowsIn; }
export function screenLinesOut(): i32 { return rowsOut; }
