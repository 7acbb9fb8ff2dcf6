// Thin ABI layer of screen/ for the library build (build/lib.wasm): numbers and pointers only.
import {
  screenDefaults, screenCheckParams, screenWorkspaceLen, screenInit, screenReset, screenSetCalibration,
  screenSetSun, screenRadState, screenPushLine, screenFlush, screenTileRowDone, screenTileCols, screenTilePtr,
  screenLinesIn, screenLinesOut, screenDecide, PARAM_LEN, TILE_WORDS,
} from "../screen/screener";
import { solarElevationDeg, earthSunDistanceAu, reflSlope, reflIntercept, reflQ12 } from "../screen/radiometry";
import { E_NEED_INPUT } from "../abi/status";

export {
  screenDefaults, screenCheckParams, screenWorkspaceLen, screenInit, screenReset, screenSetCalibration,
  screenSetSun, screenRadState, screenPushLine, screenFlush, screenTileRowDone, screenTileCols, screenTilePtr,
  screenLinesIn, screenLinesOut, screenDecide,
};

export function screenParamLen(): i32 { return PARAM_LEN; }
export function screenTileWords(): i32 { return TILE_WORDS; }
export function screenSolarElevationDeg(doy: i32, utcSeconds: f64, latDeg: f64, lonDeg: f64): f64 {
  return solarElevationDeg(doy, utcSeconds, latDeg, lonDeg);
}
export function screenEarthSunDistanceAu(doy: i32): f64 { return earthSunDistanceAu(doy); }
/** Q12 reflectance of `dn` with the coefficients of slot 0 (blue), 1 (red) or 2 (NIR) from the last screenSetSun. */
export function screenReflQ12(slot: i32, dn: i32): i32 { return reflQ12(<u32>dn, reflSlope(slot), reflIntercept(slot)); }

/**
 * Pushes n contiguous lines of lineLen bytes, then (if flush) drains the delay line. Class line
 * r goes to classPtr + r·width when classPtr != 0 (the caller sizes it for all lines), or is
 * discarded. Returns the number of class lines produced, or a negative status.
 */
export function screenPushLines(linesPtr: usize, n: i32, lineLen: i32, classPtr: usize, width: i32, flush: bool): i32 {
  let produced = 0;
  for (let i = 0; i < n; i++) {
    const rowOut = screenLinesOut();
    const st = screenPushLine(linesPtr + <usize>i * <usize>lineLen, lineLen, classPtr ? classPtr + <usize>rowOut * <usize>width : 0);
    if (st == E_NEED_INPUT) continue;
    if (st < 0) return st;
    produced++;
  }
  if (flush) {
    for (let i = 0; i < 64; i++) {
      const rowOut = screenLinesOut();
      const st = screenFlush(classPtr ? classPtr + <usize>rowOut * <usize>width : 0);
      if (st == E_NEED_INPUT) break;
      if (st < 0) return st;
      produced++;
    }
  }
  return produced;
}
