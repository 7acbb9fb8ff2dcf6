// Pass geometry of the emulated imager: where the sub-satellite point is at each line, and the
// Sun seen from there, so that time tags, position and solar angles agree along the pass.
//
// Model (documented limits):
// - Circular orbit; the ground track is the great circle leaving the start point with the
//   profile's heading, travelled at groundSpeedMps, with the Earth's rotation moving it west by
//   ωE·t in longitude (ωE = 7.2921159e-5 rad/s). Over a pass of minutes this is within a few
//   hundred metres of a propagated sun-synchronous track, far below what radiometry cares about.
// - Spherical Earth, R = 6371.0088 km (IUGG mean radius).
// - Orbital ground speed for the altitude: v = √(GM/(R+h))·R/(R+h), GM = 398600.4418 km³/s²
//   (WGS 84); the profile's groundSpeedMps must be within ±15 % of it (the Earth's rotation
//   changes the relative ground speed by at most ±7 %).
// - With pass.orbitInclinationDeg: |startLat| ≤ max latitude of the orbit (i or 180° − i), and the
//   heading must match the track azimuth at that latitude, sin(az) = cos(i)/cos(φ) (ascending or
//   descending), within 5° (Earth rotation skews it by up to ~4°).
import type { Profile } from "../profiles/index.ts";
import { solarGeometry, type SolarGeometry } from "./solar.ts";
import { SceneError } from "./types.ts";

export const EARTH_RADIUS_M = 6371008.8;
export const EARTH_GM_KM3_S2 = 398600.4418;
export const EARTH_ROTATION_RAD_S = 7.2921159e-5;
const RAD = Math.PI / 180;

/** Ground speed of the sub-satellite point of a circular orbit at this altitude (m/s, non-rotating Earth). */
export function orbitalGroundSpeedMps(altitudeKm: number): number {
  const r = EARTH_RADIUS_M / 1000 + altitudeKm;
  return Math.sqrt(EARTH_GM_KM3_S2 / r) * ((EARTH_RADIUS_M / 1000) / r) * 1000;
}

/** Swath limit: the ground distance to the horizon from this altitude, both sides (m). */
export function horizonSwathM(altitudeKm: number): number {
  const R = EARTH_RADIUS_M, h = altitudeKm * 1000;
  return 2 * R * Math.acos(R / (R + h));
}

/** Throws a SceneError naming the profile field whose pass geometry cannot be flown. */
export function checkPassGeometry(p: Profile): void {
  const fail = (field: string, reason: string): never => { throw new SceneError(field, reason); };
  const sc = p.spacecraft, s = p.sensor, ps = p.pass;
  if (!(sc.orbitAltitudeKm > 0)) fail("spacecraft.orbitAltitudeKm", "must be positive");
  const v = orbitalGroundSpeedMps(sc.orbitAltitudeKm);
  if (!(Math.abs(sc.groundSpeedMps - v) <= 0.15 * v))
    fail("spacecraft.groundSpeedMps", `${sc.groundSpeedMps} m/s is not flyable at ${sc.orbitAltitudeKm} km (orbital ground speed ${v.toFixed(0)} m/s ± 15 %)`);
  const expectRate = sc.groundSpeedMps / s.gsdM;
  if (!(Math.abs(s.lineRateHz - expectRate) <= 0.05 * expectRate))
    fail("sensor.lineRateHz", `${s.lineRateHz} Hz does not match groundSpeedMps/gsdM = ${expectRate.toFixed(1)} Hz (±5 %)`);
  const swath = s.pixelsPerLine * s.gsdM, horizon = horizonSwathM(sc.orbitAltitudeKm);
  if (!(swath < horizon)) fail("sensor.pixelsPerLine", `swath ${(swath / 1000).toFixed(0)} km exceeds the ${(horizon / 1000).toFixed(0)} km visible from ${sc.orbitAltitudeKm} km`);
  if (!Number.isFinite(Date.parse(ps.startUtc))) fail("pass.startUtc", "not a valid UTC date-time");
  if (!(Math.abs(ps.startLatDeg) <= 90)) fail("pass.startLatDeg", "must be within ±90°");
  if (!Number.isFinite(ps.startLonDeg)) fail("pass.startLonDeg", "must be finite");
  if (!(ps.headingDeg >= 0 && ps.headingDeg < 360)) fail("pass.headingDeg", "must be within [0, 360)");
  if (ps.orbitInclinationDeg !== undefined) {
    const i = ps.orbitInclinationDeg;
    if (!(i >= 0 && i <= 180)) fail("pass.orbitInclinationDeg", "must be within 0..180°");
    const maxLat = i <= 90 ? i : 180 - i;
    if (Math.abs(ps.startLatDeg) > maxLat + 1e-9) fail("pass.startLatDeg", `|${ps.startLatDeg}°| is beyond the ${maxLat.toFixed(2)}° reached by a ${i}° orbit`);
    const sinAz = Math.cos(i * RAD) / Math.cos(ps.startLatDeg * RAD);
    const azA = Math.asin(Math.max(-1, Math.min(1, sinAz))) / RAD; // ascending track azimuth
    const candidates = [azA, 180 - azA].map((a) => ((a % 360) + 360) % 360);
    const dev = Math.min(...candidates.map((a) => Math.abs((((ps.headingDeg - a) % 360) + 540) % 360 - 180)));
    if (dev > 5) fail("pass.headingDeg", `${ps.headingDeg}° is not a track azimuth of a ${i}° orbit at ${ps.startLatDeg}° (expected ${candidates.map((a) => a.toFixed(1)).join("° or ")}°)`);
  }
}

export interface PassPoint {
  /** UTC, milliseconds since 1970. */
  utcMs: number;
  latDeg: number;
  lonDeg: number;
  /** Track azimuth (direction of flight) at this point, degrees from north. */
  headingDeg: number;
  sun: SolarGeometry;
}

/** Position and Sun for each line of a pass (line n is imaged at startUtc + n / lineRateHz). */
export class PassGeometry {
  private readonly t0: number;
  private readonly lat0: number;
  private readonly lon0: number;
  private readonly h0: number;
  constructor(private readonly p: Profile) {
    this.t0 = Date.parse(p.pass.startUtc);
    this.lat0 = p.pass.startLatDeg * RAD;
    this.lon0 = p.pass.startLonDeg * RAD;
    this.h0 = p.pass.headingDeg * RAD;
  }

  /** Sub-satellite point and Sun at t seconds after the pass start. */
  atTime(tS: number): PassPoint {
    const d = (this.p.spacecraft.groundSpeedMps * tS) / EARTH_RADIUS_M; // angular distance
    const { lat0, h0 } = this;
    const sinLat = Math.sin(lat0) * Math.cos(d) + Math.cos(lat0) * Math.sin(d) * Math.cos(h0);
    const lat = Math.asin(Math.max(-1, Math.min(1, sinLat)));
    const dLon = Math.atan2(Math.sin(h0) * Math.sin(d) * Math.cos(lat0), Math.cos(d) - Math.sin(lat0) * sinLat);
    let lon = (this.lon0 + dLon - EARTH_ROTATION_RAD_S * tS) / RAD;
    lon = ((((lon + 180) % 360) + 360) % 360) - 180;
    // Final bearing of the great circle at the point reached.
    const y = Math.sin(h0) * Math.cos(lat0);
    const x = Math.cos(d) * Math.cos(lat0) * Math.cos(h0) - Math.sin(lat0) * Math.sin(d);
    const heading = ((Math.atan2(y, x) / RAD) % 360 + 360) % 360;
    const utcMs = this.t0 + tS * 1000;
    return { utcMs, latDeg: lat / RAD, lonDeg: lon, headingDeg: heading, sun: solarGeometry(utcMs, lat / RAD, lon) };
  }

  /** The same for line n. */
  atLine(n: number): PassPoint { return this.atTime(n / this.p.sensor.lineRateHz); }
}
