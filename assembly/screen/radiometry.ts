// Onboard radiometry for cloud screening: DN → top-of-atmosphere reflectance in fixed point.
//
//   L = gain·DN + offset                      (radiance, W m⁻² sr⁻¹ µm⁻¹; profile calibration)
//   ρ = π·L·d² / (ESUN·sin(elevation))        (TOA reflectance; d in AU, ESUN at 1 AU)
//
// The per-line work is integer only: once per change of geometry the float coefficients are
// folded into one slope K and one intercept O per band, in units of 2^-REFL_COEF_BITS of a
// Q12 reflectance, so that ρ_Q12 = (DN·K + O) >> (REFL_COEF_BITS) with a 64-bit product.
// The sun geometry helpers are float (f64) but bounded and allocation-free, called once per
// line at most; WebAssembly f64 is IEEE binary64 on every runtime, so results are portable.

/** Reflectance fixed point: 1.0 = 1 << REFL_BITS. */
export const REFL_BITS: i32 = 12;
export const REFL_ONE: i32 = 1 << REFL_BITS;
/** Fraction bits of the slope/intercept coefficients beyond the Q12 reflectance. */
export const REFL_COEF_SHIFT: i32 = 20;
/**
 * Largest accepted slope (reflectance per DN < 1) and |intercept| (|ρ| < 1 at DN 0): a 16-bit
 * DN then gives |ρ_Q12| < 2^28, so sums and doublings of reflectances stay inside i32.
 */
export const REFL_COEF_MAX: i64 = (<i64>1) << 32;

// Radians per degree; π to f64 precision.
const DEG: f64 = Math.PI / 180.0;

/** Result codes of reflCoefficients (not statuses: the caller maps them). */
export const CAL_OK: i32 = 0;
export const CAL_NIGHT: i32 = 1;   // sun at or below the minimum elevation
export const CAL_ABSURD: i32 = 2;  // a calibration or geometry value is zero, negative, not finite or out of range

// Coefficients computed by the last successful reflCoefficients (slot = caller's band slot).
let coefK0: i64 = 0, coefO0: i64 = 0;
let coefK1: i64 = 0, coefO1: i64 = 0;
let coefK2: i64 = 0, coefO2: i64 = 0;
let coefK3: i64 = 0, coefO3: i64 = 0;

@inline function finite(x: f64): bool { return x - x == 0.0; }

/**
 * Folds one band's calibration and the sun geometry into (K, O); stores them in slot 0..3 (blue, red, NIR, green).
 * Returns CAL_OK, CAL_NIGHT or CAL_ABSURD (then the slot is left zero).
 */
export function reflCoefficients(slot: i32, gain: f64, offset: f64, esun: f64, sinElev: f64, earthSunAu: f64): i32 {
  let k: i64 = 0, o: i64 = 0;
  let res = CAL_OK;
  if (!finite(gain) || !finite(offset) || !finite(esun) || !finite(sinElev) || !finite(earthSunAu)) res = CAL_ABSURD;
  else if (gain <= 0.0 || esun <= 0.0 || earthSunAu < 0.95 || earthSunAu > 1.05) res = CAL_ABSURD;
  else if (sinElev <= 0.0) res = CAL_NIGHT;
  else {
    const f = Math.PI * earthSunAu * earthSunAu / (esun * sinElev); // ρ per unit radiance
    const scale: f64 = <f64>((<i64>1) << (REFL_BITS + REFL_COEF_SHIFT));
    const kf = gain * f * scale;
    const ofs = offset * f * scale;
    if (!(kf < <f64>REFL_COEF_MAX) || !(ofs < <f64>REFL_COEF_MAX) || !(ofs > -<f64>REFL_COEF_MAX) || kf < 1.0) res = CAL_ABSURD;
    else { k = <i64>Math.round(kf); o = <i64>Math.round(ofs); }
  }
  if (slot == 0) { coefK0 = k; coefO0 = o; }
  else if (slot == 1) { coefK1 = k; coefO1 = o; }
  else if (slot == 2) { coefK2 = k; coefO2 = o; }
  else { coefK3 = k; coefO3 = o; }
  return res;
}

export function reflSlope(slot: i32): i64 { return slot == 0 ? coefK0 : slot == 1 ? coefK1 : slot == 2 ? coefK2 : coefK3; }
export function reflIntercept(slot: i32): i64 { return slot == 0 ? coefO0 : slot == 1 ? coefO1 : slot == 2 ? coefO2 : coefO3; }

/** Q12 reflectance of one DN with coefficients (k, o); arithmetic shift rounds towards −∞. */
@inline export function reflQ12(dn: u32, k: i64, o: i64): i32 {
  return <i32>(((<i64>dn) * k + o) >> REFL_COEF_SHIFT);
}

/**
 * Earth–Sun distance in AU for a day of the year (1..366): d = 1 − e·cos(0.9856°·(doy − 4)),
 * e = 0.01672 (first-order Kepler orbit, perihelion about 4 January; error < 0.0002 AU).
 */
export function earthSunDistanceAu(doy: i32): f64 {
  return 1.0 - 0.01672 * Math.cos(0.9856 * DEG * <f64>(doy - 4));
}

/**
 * Solar elevation in degrees for a day of year (1..366), UTC seconds of the day, latitude and
 * longitude (degrees, east positive). Spencer (1971) Fourier series for declination and the
 * equation of time (as used by NOAA's general solar position notes); error ≈ 0.1–0.3°,
 * ample for a reflectance that only feeds cloud thresholds. Geometric elevation (no refraction).
 */
export function solarElevationDeg(doy: i32, utcSeconds: f64, latDeg: f64, lonDeg: f64): f64 {
  if (!finite(utcSeconds) || !finite(latDeg) || !finite(lonDeg)) return -90.0;
  const hours = utcSeconds / 3600.0;
  const g = 2.0 * Math.PI / 365.0 * (<f64>(doy - 1) + (hours - 12.0) / 24.0); // fractional year, rad
  const eqTimeMin = 229.18 * (0.000075 + 0.001868 * Math.cos(g) - 0.032077 * Math.sin(g)
    - 0.014615 * Math.cos(2.0 * g) - 0.040849 * Math.sin(2.0 * g));
  const decl = 0.006918 - 0.399912 * Math.cos(g) + 0.070257 * Math.sin(g) - 0.006758 * Math.cos(2.0 * g)
    + 0.000907 * Math.sin(2.0 * g) - 0.002697 * Math.cos(3.0 * g) + 0.00148 * Math.sin(3.0 * g);
  const trueSolarMin = hours * 60.0 + eqTimeMin + 4.0 * lonDeg;
  const hourAngle = (trueSolarMin / 4.0 - 180.0) * DEG;
  const lat = latDeg * DEG;
  let cosZen = Math.sin(lat) * Math.sin(decl) + Math.cos(lat) * Math.cos(decl) * Math.cos(hourAngle);
  if (cosZen > 1.0) cosZen = 1.0;
  if (cosZen < -1.0) cosZen = -1.0;
  return 90.0 - Math.acos(cosZen) / DEG;
}

/** sin of an angle in degrees (for the host-side and pipeline callers). */
export function sinDeg(deg: f64): f64 { return Math.sin(deg * DEG); }
