// Sun position for the pass start: a simple low-precision formula (fractional-year Fourier
// series for declination and equation of time, as in the NOAA solar calculator notes), good
// to a fraction of a degree, which is all the radiometry needs.
import type { Profile } from "../profiles/index.ts";

export interface SolarGeometry { zenithDeg: number; elevationDeg: number; azimuthDeg: number; earthSunAu: number }

const RAD = Math.PI / 180;

export function solarGeometry(utcMs: number, latDeg: number, lonDeg: number): SolarGeometry {
  const d = new Date(utcMs);
  const y0 = Date.UTC(d.getUTCFullYear(), 0, 1);
  const daysInYear = (Date.UTC(d.getUTCFullYear() + 1, 0, 1) - y0) / 86400000;
  const dayFrac = (utcMs - y0) / 86400000; // days since 1 Jan 00:00 UTC
  const g = (2 * Math.PI / daysInYear) * dayFrac; // fractional year, radians
  const decl = 0.006918 - 0.399912 * Math.cos(g) + 0.070257 * Math.sin(g) - 0.006758 * Math.cos(2 * g)
    + 0.000907 * Math.sin(2 * g) - 0.002697 * Math.cos(3 * g) + 0.00148 * Math.sin(3 * g);
  const eqtMin = 229.18 * (0.000075 + 0.001868 * Math.cos(g) - 0.032077 * Math.sin(g) - 0.014615 * Math.cos(2 * g) - 0.040849 * Math.sin(2 * g));
  const utcMin = (utcMs - Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())) / 60000;
  const trueSolarMin = utcMin + eqtMin + 4 * lonDeg;
  const ha = (trueSolarMin / 4 - 180) * RAD;
  const lat = latDeg * RAD;
  const cosZ = Math.min(1, Math.max(-1, Math.sin(lat) * Math.sin(decl) + Math.cos(lat) * Math.cos(decl) * Math.cos(ha)));
  const zen = Math.acos(cosZ);
  const az = Math.atan2(Math.sin(ha), Math.cos(ha) * Math.sin(lat) - Math.tan(decl) * Math.cos(lat)) / RAD + 180;
  const earthSunAu = 1.00014 - 0.01671 * Math.cos(g - 0.0344) - 0.00014 * Math.cos(2 * (g - 0.0344));
  return { zenithDeg: zen / RAD, elevationDeg: 90 - zen / RAD, azimuthDeg: ((az % 360) + 360) % 360, earthSunAu };
}

export function passSolarGeometry(p: Profile): SolarGeometry {
  return solarGeometry(Date.parse(p.pass.startUtc), p.pass.startLatDeg, p.pass.startLonDeg);
}
