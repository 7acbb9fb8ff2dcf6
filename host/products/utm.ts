// WGS 84 / UTM: the forward Transverse Mercator projection by Krüger's series in the third
// flattening n to order n⁶ (Karney 2011, "Transverse Mercator with an accuracy of a few
// nanometres", J. Geodesy 85, eqs. 7–11, 35–36): sub-millimetre within a UTM zone and far beyond.
// Written here rather than taken from an npm package (proj4 would be a new dependency for ~30
// lines of closed-form series); tests/host/products/utm.test.ts checks it against PROJ through
// GDAL's gdaltransform. Zones are the regular 6° zones (the Norway/Svalbard exceptions are not
// applied: any zone is a valid CRS, the one chosen is named by its EPSG code).
const A_WGS84 = 6378137;
const F_WGS84 = 1 / 298.257223563;
const K0 = 0.9996;
const RAD = Math.PI / 180;

const n = F_WGS84 / (2 - F_WGS84);
const n2 = n * n, n3 = n2 * n, n4 = n3 * n, n5 = n4 * n, n6 = n5 * n;
const RECTIFYING_A = (A_WGS84 / (1 + n)) * (1 + n2 / 4 + n4 / 64 + n6 / 256);
const ECC = (2 * Math.sqrt(n)) / (1 + n);
const ALPHA = [
  n / 2 - (2 * n2) / 3 + (5 * n3) / 16 + (41 * n4) / 180 - (127 * n5) / 288 + (7891 * n6) / 37800,
  (13 * n2) / 48 - (3 * n3) / 5 + (557 * n4) / 1440 + (281 * n5) / 630 - (1983433 * n6) / 1935360,
  (61 * n3) / 240 - (103 * n4) / 140 + (15061 * n5) / 26880 + (167603 * n6) / 181440,
  (49561 * n4) / 161280 - (179 * n5) / 168 + (6601661 * n6) / 7257600,
  (34729 * n5) / 80640 - (3418889 * n6) / 1995840,
  (212378941 * n6) / 319334400,
];

export interface UtmZone { zone: number; north: boolean; epsg: number; centralMeridianDeg: number }

/** The regular 6° UTM zone of a point (latitude decides the hemisphere). */
export function utmZoneOf(lonDeg: number, latDeg: number): UtmZone {
  const lon = ((((lonDeg + 180) % 360) + 360) % 360) - 180;
  const zone = Math.min(60, Math.floor((lon + 180) / 6) + 1);
  const north = latDeg >= 0;
  return { zone, north, epsg: (north ? 32600 : 32700) + zone, centralMeridianDeg: zone * 6 - 183 };
}

/** Geodetic WGS 84 (degrees) → UTM easting, northing (metres) in the given zone. */
export function toUtm(lonDeg: number, latDeg: number, z: UtmZone): [number, number] {
  let dl = lonDeg - z.centralMeridianDeg;
  dl = ((((dl + 180) % 360) + 360) % 360) - 180;
  const phi = latDeg * RAD, lam = dl * RAD;
  const s = Math.sin(phi);
  const t = Math.sinh(Math.atanh(s) - ECC * Math.atanh(ECC * s));
  const xi1 = Math.atan2(t, Math.cos(lam));
  const eta1 = Math.atanh(Math.sin(lam) / Math.sqrt(1 + t * t));
  let xi = xi1, eta = eta1;
  for (let j = 1; j <= 6; j++) {
    const a = ALPHA[j - 1];
    xi += a * Math.sin(2 * j * xi1) * Math.cosh(2 * j * eta1);
    eta += a * Math.cos(2 * j * xi1) * Math.sinh(2 * j * eta1);
  }
  return [500000 + K0 * RECTIFYING_A * eta, (z.north ? 0 : 10000000) + K0 * RECTIFYING_A * xi];
}
