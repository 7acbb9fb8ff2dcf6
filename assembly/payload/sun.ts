// Onboard pass geometry for the screener's radiometry: the sub-satellite point and UTC of a
// line from its CUC time tag and the pass geometry of the configuration table, then the sun
// elevation and the Earth–Sun distance (assembly/screen/radiometry.ts).
import { solarElevationDeg, earthSunDistanceAu } from "../screen/radiometry";

const EARTH_RADIUS_M: f64 = 6371008.8;           // mean radius (IUGG)
const DEG: f64 = Math.PI / 180.0;
const DAYS_1958_TO_1970: i64 = 4383;            // 1958-01-01 to 1970-01-01

export let sunElevationDeg: f64 = 0;
export let sunDistanceAu: f64 = 1;
export let subLatDeg: f64 = 0;
export let subLonDeg: f64 = 0;

/** Day of year (1..366) of a day count since 1970-01-01 (proleptic Gregorian, civil calendar). */
export function dayOfYear(days1970: i64): i32 {
  // Howard Hinnant's days-from-civil inverse, integer only.
  const z = days1970 + 719468;
  const era = (z >= 0 ? z : z - 146096) / 146097;
  const doe = z - era * 146097;
  const yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const doy0 = doe - (365 * yoe + yoe / 4 - yoe / 100);      // 0 = March 1
  const mp = (5 * doy0 + 2) / 153;
  const m = mp < 10 ? mp + 3 : mp - 9;                       // 1..12
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  const d = doy0 - (153 * mp + 2) / 5 + 1;                    // day of month
  const cum: i32 = m == 1 ? 0 : m == 2 ? 31 : m == 3 ? 59 : m == 4 ? 90 : m == 5 ? 120 : m == 6 ? 151
    : m == 7 ? 181 : m == 8 ? 212 : m == 9 ? 243 : m == 10 ? 273 : m == 11 ? 304 : 334;
  return cum + <i32>d + (leap && m > 2 ? 1 : 0);
}

/**
 * Sun geometry for a line at CUC time t (seconds since 1958-01-01 TAI), elapsed seconds since
 * the first line, along a great-circle-free flat-Earth track from (lat0, lon0) at a constant
 * heading and ground speed (adequate over a pass of minutes). Sets the exported values.
 */
export function sunForLine(t: f64, elapsedS: f64, taiUtc: i32, lat0: f64, lon0: f64, headingDeg: f64, speedMps: f64): void {
  const d = elapsedS * speedMps;
  let lat = lat0 + (d * Math.cos(headingDeg * DEG)) / EARTH_RADIUS_M / DEG;
  if (lat > 89.9) lat = 89.9;
  if (lat < -89.9) lat = -89.9;
  let lon = lon0 + (d * Math.sin(headingDeg * DEG)) / (EARTH_RADIUS_M * Math.cos(lat * DEG)) / DEG;
  lon = lon - 360.0 * Math.floor((lon + 180.0) / 360.0);
  const utc = t - <f64>taiUtc;
  const days1958 = <i64>Math.floor(utc / 86400.0);
  const secOfDay = utc - <f64>days1958 * 86400.0;
  const doy = dayOfYear(days1958 - DAYS_1958_TO_1970);
  subLatDeg = lat; subLonDeg = lon;
  sunElevationDeg = solarElevationDeg(doy, secOfDay, lat, lon);
  sunDistanceAu = earthSunDistanceAu(doy);
}
