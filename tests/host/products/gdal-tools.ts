// GDAL from Debian (gdal-bin) as the independent reader of the products: gdalinfo -json for what a
// file says, gdal_translate to ENVI for its pixels. Without it the tests that need it skip with a
// message (and a skip fails the run under CI=true, where .ci/run installs gdal-bin).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const haveGdal = spawnSync("gdalinfo", ["--version"]).error === undefined && spawnSync("gdal_translate", ["--version"]).error === undefined;
export const GDAL_SKIP = haveGdal ? false : "Debian gdal-bin (gdalinfo, gdal_translate) not installed: apt-get install gdal-bin";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function gdalinfo(path: string, ...extra: string[]): any {
  const r = spawnSync("gdalinfo", ["-json", ...extra, path], { encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`gdalinfo ${path}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** The pixels GDAL reads from a file, band-sequential, as the file's own sample type (band `-b` list optional). */
export function gdalPixels(path: string, type: "UInt16" | "Byte" | "Int32"): { width: number; height: number; bands: number; data: Uint16Array | Uint8Array | Int32Array } {
  const dir = mkdtempSync(join(tmpdir(), "tengri-gdal-"));
  try {
    const out = join(dir, "x.raw");
    // ENVI cannot hold a rotated or mirrored transform: a plain one for the dump (-a_ullr), the pixels unchanged.
    const [w, h] = gdalinfo(path).size;
    const r = spawnSync("gdal_translate", ["-q", "-of", "ENVI", "-co", "INTERLEAVE=BSQ", "-ot", type, "-a_ullr", "0", "0", String(w), String(-h), path, out], { encoding: "utf8", env: { ...process.env, GDAL_PAM_ENABLED: "NO" } });
    if (r.status !== 0) throw new Error(`gdal_translate ${path}: ${r.stderr}`);
    const info = gdalinfo(out);
    const buf = readFileSync(out);
    const bands = info.bands.length, [width, height] = info.size;
    const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    // ENVI from GDAL is in the machine's byte order (little-endian here: x86-64, arm64).
    const data = type === "Byte" ? new Uint8Array(ab) : type === "UInt16" ? new Uint16Array(ab) : new Int32Array(ab);
    return { width, height, bands, data };
  } finally { rmSync(dir, { recursive: true, force: true }); }
}

/** Great-circle distance in metres between two [lon, lat] points (haversine, mean Earth radius). */
export function distanceM(a: number[], b: number[]): number {
  const R = 6371008.8, rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad, dLon = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}
