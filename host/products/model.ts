// The products' data model: a pass is one or more channels, each a group of bands sharing one
// geometry (pixels per line, ground sample distance, line rate). Today's profiles have one
// multispectral channel; a panchromatic channel at k× the pixels and line rate is another entry
// with its own geometry, and every writer (GeoTIFF, quicklook, STAC) works per channel.
import type { BandProfile, Profile } from "../profiles/index.ts";
import { PassGeometry } from "../sensor/geometry.ts";
import type { ChannelGeometry } from "./georef.ts";

export interface ProductBand {
  name: string; centreNm: number; widthNm: number;
  /** TOA reflectance = scale · DN + offset (GDAL band scale/offset). */
  scale: number; offset: number;
}

export type ChannelRole = "multispectral" | "panchromatic";

export interface ProductChannel {
  /** File stem and STAC asset key: "multispectral", "panchromatic". */
  id: string;
  role: ChannelRole;
  geometry: ChannelGeometry;
  bitDepth: number;
  bands: ProductBand[];
}

/** Sample type of a channel's GeoTIFF and its nodata value: one outside the data range 0 … 2^bitDepth − 1. */
export function sampleFormat(bitDepth: number): { gdalType: "UInt16" | "Int32"; stacType: "uint16" | "int32"; bytes: 2 | 4; nodata: number } {
  return bitDepth <= 15 ? { gdalType: "UInt16", stacType: "uint16", bytes: 2, nodata: 65535 } : { gdalType: "Int32", stacType: "int32", bytes: 4, nodata: -1 };
}

/** The Sun at the centre of the pass, where the TOA reflectance scale is evaluated. */
export interface SceneSun { utcMs: number; zenithDeg: number; elevationDeg: number; azimuthDeg: number; earthSunAu: number }

export function sceneSun(p: Profile, lines: number): SceneSun {
  const pt = new PassGeometry(p).atTime(lines / 2 / p.sensor.lineRateHz);
  return { utcMs: pt.utcMs, ...pt.sun };
}

/**
 * TOA reflectance from DN under the profile's calibration L = gain·DN + offset
 * (host/sensor/radiometry.ts): ρ = π·L·d² / (ESUN·cos θs), so scale = π d² gain / (ESUN cos θs)
 * and offset = π d² offset / (ESUN cos θs), with the Sun at the pass centre (a pass of seconds:
 * cos θs changes by well under 0.1 % along it).
 */
export function toaScaleOffset(b: BandProfile, sun: SceneSun): { scale: number; offset: number } {
  const k = (Math.PI * sun.earthSunAu * sun.earthSunAu) / (b.solarIrradiance * Math.max(1e-6, Math.cos((sun.zenithDeg * Math.PI) / 180)));
  return { scale: k * b.gain, offset: k * b.offset };
}

/** Indices of the bands nearest red, green and blue (650, 560, 480 nm); null with fewer than three bands in 400–700 nm. */
export function rgbBands(bands: ProductBand[]): [number, number, number] | null {
  const visible = bands.map((b, i) => ({ i, nm: b.centreNm })).filter((b) => b.nm >= 400 && b.nm <= 700);
  if (visible.length < 3) return null;
  const near = (nm: number, not: number[]) => visible.filter((b) => !not.includes(b.i)).reduce((a, b) => (Math.abs(b.nm - nm) < Math.abs(a.nm - nm) ? b : a)).i;
  const r = near(650, []), g = near(560, [r]), bl = near(480, [r, g]);
  return [r, g, bl];
}
