// Georeference of a reconstructed pass: where each pixel of a channel lies on the ground, the
// affine transform to WGS 84 / UTM that GDAL and STAC carry, and the footprint.
//
// Model (the emulator's own, host/sensor/geometry.ts): line n of a channel is integrated from
// t = n / lineRateHz after the pass start (the line's time tag) to (n + 1) / lineRateHz, centred
// on the sub-satellite point of the great-circle track; image x runs to the right of the
// direction of flight (the synthetic scene's image axes), pixels of gsdM on a nadir pushbroom.
// Pixel edges therefore coincide for every channel of a pass: a panchromatic channel at 4× the
// pixels and line rate covers exactly the same ground as the multispectral one.
// The point at pixel-edge coordinates (col, row): along-track time row / lineRateHz, cross-track
// distance (col − pixels/2)·gsdM, measured on the spherical Earth of the geometry along the
// great circle perpendicular to the track there; its latitude and longitude are then taken as
// WGS 84 geodetic coordinates and projected to UTM (utm.ts).
// The track is rotated and the Earth turns under it, so the image is fitted with a full affine
// transform (GDAL geotransform with rotation terms → GeoTIFF ModelTransformationTag) by least
// squares over a grid of points; the largest misfit is reported with the products.
import { EARTH_RADIUS_M, PassGeometry } from "../sensor/geometry.ts";
import type { Profile } from "../profiles/index.ts";
import { toUtm, utmZoneOf, type UtmZone } from "./utm.ts";

const RAD = Math.PI / 180;

/** The geometry of one channel (group of bands sharing pixel size and line rate). */
export interface ChannelGeometry { pixels: number; lines: number; gsdM: number; lineRateHz: number }

/** lon, lat in degrees of the point `distM` from (lat, lon) along `bearingDeg` on the sphere. */
export function destination(latDeg: number, lonDeg: number, bearingDeg: number, distM: number): [number, number] {
  const d = distM / EARTH_RADIUS_M, la = latDeg * RAD, b = bearingDeg * RAD;
  const sinLat = Math.sin(la) * Math.cos(d) + Math.cos(la) * Math.sin(d) * Math.cos(b);
  const lat = Math.asin(Math.max(-1, Math.min(1, sinLat)));
  const lon = lonDeg * RAD + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(la), Math.cos(d) - Math.sin(la) * sinLat);
  return [((((lon / RAD + 180) % 360) + 360) % 360) - 180, lat / RAD];
}

export class PassFootprint {
  private readonly geo: PassGeometry;
  constructor(readonly profile: Profile) { this.geo = new PassGeometry(profile); }

  /** [lon, lat] of pixel-edge coordinates (col, row) of a channel. */
  lonLat(ch: ChannelGeometry, col: number, row: number): [number, number] {
    const pt = this.geo.atTime(row / ch.lineRateHz);
    return destination(pt.latDeg, pt.lonDeg, pt.headingDeg + 90, (col - ch.pixels / 2) * ch.gsdM);
  }

  /** The UTM zone of the channel's centre. */
  zone(ch: ChannelGeometry): UtmZone {
    const [lon, lat] = this.lonLat(ch, ch.pixels / 2, ch.lines / 2);
    return utmZoneOf(lon, lat);
  }

  /**
   * The affine transform (GDAL order: E0, dE/dcol, dE/drow, N0, dN/dcol, dN/drow) that maps
   * pixel-edge coordinates to UTM, fitted over a 9 × 9 grid, and its largest misfit in metres.
   */
  affine(ch: ChannelGeometry, z: UtmZone): { geoTransform: number[]; residualM: number } {
    const K = 9, pts: { c: number; r: number; e: number; n: number }[] = [];
    for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) {
      const c = (ch.pixels * i) / (K - 1), r = (ch.lines * j) / (K - 1);
      const [e, n] = toUtm(...this.lonLat(ch, c, r), z);
      pts.push({ c, r, e, n });
    }
    // Normal equations of v = a0 + a1·c + a2·r, solved for both coordinates (centred for conditioning).
    const mc = pts.reduce((s, p) => s + p.c, 0) / pts.length, mr = pts.reduce((s, p) => s + p.r, 0) / pts.length;
    let scc = 0, scr = 0, srr = 0, sce = 0, sre = 0, scn = 0, srn = 0, se = 0, sn = 0;
    for (const p of pts) {
      const c = p.c - mc, r = p.r - mr;
      scc += c * c; scr += c * r; srr += r * r; sce += c * p.e; sre += r * p.e; scn += c * p.n; srn += r * p.n; se += p.e; sn += p.n;
    }
    const det = scc * srr - scr * scr;
    const a1 = (sce * srr - sre * scr) / det, a2 = (sre * scc - sce * scr) / det;
    const b1 = (scn * srr - srn * scr) / det, b2 = (srn * scc - scn * scr) / det;
    const a0 = se / pts.length - a1 * mc - a2 * mr, b0 = sn / pts.length - b1 * mc - b2 * mr;
    let residualM = 0;
    for (const p of pts) residualM = Math.max(residualM, Math.hypot(a0 + a1 * p.c + a2 * p.r - p.e, b0 + b1 * p.c + b2 * p.r - p.n));
    return { geoTransform: [a0, a1, a2, b0, b1, b2], residualM };
  }

  /**
   * Ground control points for a pass no affine transform fits (long passes: the track curves in
   * the projection): pixel-edge coordinates → UTM, 9 across the swath and a row every
   * `spacingM` of track (at least 2 rows, at most 256), the way swath products such as
   * Sentinel-1 GRD are georeferenced.
   */
  gcps(ch: ChannelGeometry, z: UtmZone, spacingM = 2000): { pixel: number; line: number; x: number; y: number }[] {
    const lengthM = (ch.lines / ch.lineRateHz) * this.profile.spacecraft.groundSpeedMps;
    const rows = Math.min(256, Math.max(2, Math.ceil(lengthM / spacingM) + 1)), cols = 9, out = [];
    for (let j = 0; j < rows; j++) for (let i = 0; i < cols; i++) {
      const pixel = (ch.pixels * i) / (cols - 1), line = (ch.lines * j) / (rows - 1);
      const [x, y] = toUtm(...this.lonLat(ch, pixel, line), z);
      out.push({ pixel, line, x, y });
    }
    return out;
  }

  /**
   * The footprint as a closed GeoJSON ring of [lon, lat], counter-clockwise (RFC 7946), its
   * long sides densified (every 1/8 of the pass) so that the curved track is followed.
   */
  ring(ch: ChannelGeometry): [number, number][] {
    const S = 8, pts: [number, number][] = [];
    const W = ch.pixels, H = ch.lines;
    for (let k = 0; k <= S; k++) pts.push(this.lonLat(ch, 0, (H * k) / S));
    for (let k = S; k >= 0; k--) pts.push(this.lonLat(ch, W, (H * k) / S));
    // Shoelace in lon/lat: negative area means clockwise; reverse to counter-clockwise.
    let a = 0;
    for (let i = 0; i < pts.length; i++) { const [x1, y1] = pts[i], [x2, y2] = pts[(i + 1) % pts.length]; a += x1 * y2 - x2 * y1; }
    if (a < 0) pts.reverse();
    pts.push([pts[0][0], pts[0][1]]);
    return pts;
  }
}

/** [west, south, east, north] of a ring (a footprint crossing the antimeridian is not split: documented limit). */
export function bboxOf(ring: [number, number][]): [number, number, number, number] {
  const xs = ring.map((p) => p[0]), ys = ring.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}
