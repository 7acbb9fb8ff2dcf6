// End to end: a whole pass through the flight image and the link to the ground, whose rebuilt
// image becomes the products; GDAL (Debian gdal-bin) is the client that reads them, and the
// pass geometry (host/sensor/geometry.ts) with the radiometry formulas is the reference for the
// georeference and the scale/offset.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runPass, type PassObserver } from "../../host/pass.ts";
import { loadProfile } from "../../host/profiles/index.ts";
import { PassGeometry } from "../../host/sensor/geometry.ts";
import { createProductsObserver } from "../../host/products/observer.ts";
import { GDAL_SKIP, haveGdal, gdalinfo, gdalPixels, distanceM } from "../host/products/gdal-tools.ts";
import { stacErrors } from "../host/products/stac-schema.ts";

const BIN = fileURLToPath(new URL("../../bin/tengri.mjs", import.meta.url));
const tengri = (args: string[], env: NodeJS.ProcessEnv = process.env) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 300_000, env });

/** What the ground rebuilt, kept whole for the comparison (a short pass). */
function collector() {
  const lines = new Map<number, (Uint16Array | null)[]>(), masks = new Map<number, Uint8Array>();
  const dropped: { firstLine: number; lines: number; firstPixel: number; count: number }[] = [];
  const obs: PassObserver = {
    groundLine(line, bands) { lines.set(line, bands.map((b) => (b ? b.slice() : null))); },
    maskLine(line, m) { masks.set(line, m.slice()); },
    tile(t) { if (t.decision === "drop") dropped.push(t); },
  };
  return { obs, lines, masks, dropped };
}

/** The point at pixel-edge (col, row): the track point, then across it to the right of flight (spherical Earth, written here from the textbook formula). */
function groundPoint(geo: PassGeometry, W: number, gsd: number, rate: number, col: number, row: number): [number, number] {
  const pt = geo.atTime(row / rate), R = 6371008.8, r = Math.PI / 180;
  const d = ((col - W / 2) * gsd) / R, b = (pt.headingDeg + 90) * r, la = pt.latDeg * r;
  const lat = Math.asin(Math.sin(la) * Math.cos(d) + Math.cos(la) * Math.sin(d) * Math.cos(b));
  const lon = pt.lonDeg * r + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(la), Math.cos(d) - Math.sin(la) * Math.sin(lat));
  return [lon / r, lat / r];
}

test("[tengri §products] a default-profile pass with losses (BER 1e-4, CADUs dropped): GDAL reads every product with the right size, COG layout, UTM georeference on the pass geometry, nodata, band descriptions, TOA scale/offset, and the pixels the ground decoded", { skip: GDAL_SKIP }, async () => {
  const p = loadProfile("default"), LINES = 300, W = p.sensor.pixelsPerLine;
  const dir = mkdtempSync(join(tmpdir(), "tengri-e2e-products-"));
  try {
    const c = collector();
    const s = await runPass({ profile: p, lines: LINES, seed: 7, ber: 1e-4, dropCadus: [700, 701, 702, 2500], observers: [c.obs, createProductsObserver(dir)] });
    assert.ok(s.image.lostLines.length > 0, "the dropped CADUs cost lines");
    assert.ok(c.dropped.length > 0, "screening dropped tiles");
    for (const f of ["multispectral.tif", "quicklook.tif", "cloud-mask.tif", "item.json"]) assert.ok(existsSync(join(dir, f)), f);

    const ms = gdalinfo(join(dir, "multispectral.tif"));
    assert.deepEqual(ms.size, [W, LINES]);
    assert.equal(ms.metadata.IMAGE_STRUCTURE.LAYOUT, "COG");
    assert.match(ms.coordinateSystem.wkt, /ID\["EPSG",32632\]\]$/);
    for (const b of ms.bands) { assert.deepEqual(b.block, [256, 256]); assert.ok(b.overviews.length >= 3); assert.equal(b.noDataValue, 65535); }
    // Georeference: GDAL's WGS 84 corners (through PROJ) against the pass geometry's, within 2 m (an affine misfit of a few decimetres).
    const geo = new PassGeometry(p), rate = p.sensor.lineRateHz;
    const want = [[0, 0], [0, LINES], [W, LINES], [W, 0]].map(([x, y]) => groundPoint(geo, W, p.sensor.gsdM, rate, x, y));
    const got = ms.wgs84Extent.coordinates[0];
    want.forEach((w, i) => assert.ok(distanceM(w, got[i]) < 2, `corner ${i}: GDAL ${got[i]}, geometry ${w}, ${distanceM(w, got[i]).toFixed(2)} m apart`));
    // Radiometry: ρTOA = π d² (gain·DN + offset) / (ESUN cos θs), the Sun at the pass centre.
    const sun = geo.atTime(LINES / 2 / rate).sun;
    ms.bands.forEach((b: { description: string; scale: number; offset: number }, i: number) => {
      const pb = p.sensor.bands[i], k = (Math.PI * sun.earthSunAu ** 2) / (pb.solarIrradiance * Math.cos((sun.zenithDeg * Math.PI) / 180));
      assert.equal(b.description, `${pb.name} (${pb.centreNm} nm)`);
      assert.ok(Math.abs(b.scale - k * pb.gain) <= 1e-15 && Math.abs(b.offset - k * pb.offset) <= 1e-15, `band ${i}: ${b.scale}, ${b.offset}`);
    });
    // Pixels: the ground's lines; nodata where a band line was lost or a tile dropped.
    const lost = new Map(s.image.lostLines.map((l) => [l.line, new Set(l.bands)]));
    const px = gdalPixels(join(dir, "multispectral.tif"), "UInt16");
    let wrong = 0, nodata = 0;
    for (let y = 0; y < LINES; y++) {
      const g = c.lines.get(y), drops = c.dropped.filter((t) => y >= t.firstLine && y < t.firstLine + t.lines);
      for (let b = 0; b < 4; b++) for (let x = 0; x < W; x++) {
        const none = !g || !g[b] || lost.get(y)?.has(b) || drops.some((t) => x >= t.firstPixel && x < t.firstPixel + t.count);
        const v = px.data[(b * LINES + y) * W + x];
        if (none) nodata++;
        if (v !== (none ? 65535 : g![b]![x])) wrong++;
      }
    }
    assert.equal(wrong, 0, `${wrong} pixels differ from the ground's`);
    assert.ok(nodata > 0);
    // The mask: the decoded classes, 255 where a mask unit was lost.
    const mask = gdalinfo(join(dir, "cloud-mask.tif")), mp = gdalPixels(join(dir, "cloud-mask.tif"), "Byte");
    assert.deepEqual(mask.size, [W, LINES]);
    let maskWrong = 0;
    for (let y = 0; y < LINES; y++) for (let x = 0; x < W; x++) if (mp.data[y * W + x] !== (c.masks.get(y)?.[x] ?? 255)) maskWrong++;
    assert.equal(maskWrong, 0);
    // The quicklook: RGB on the same grid, nodata (0) where any of red, green, blue is.
    const ql = gdalinfo(join(dir, "quicklook.tif")), qp = gdalPixels(join(dir, "quicklook.tif"), "Byte");
    assert.deepEqual(ql.size, [W, LINES]);
    assert.deepEqual(ql.geoTransform, ms.geoTransform);
    for (let i = 0; i < W * LINES; i += 97) assert.equal(qp.data[i] === 0, [0, 1, 2].some((b) => px.data[b * W * LINES + i] === 65535), `pixel ${i}`);
    // STAC item: the same footprint, assets for every file, the same scale/offset.
    const item = JSON.parse(readFileSync(join(dir, "item.json"), "utf8"));
    assert.equal(item.stac_version, "1.0.0");
    assert.deepEqual(stacErrors(item), [], "valid against the STAC 1.0.0 item schema and its extensions' schemas");
    assert.equal(item.type, "Feature");
    assert.equal(item.properties["proj:epsg"], 32632);
    assert.ok(Math.abs(item.properties["eo:cloud_cover"] - 100 * s.screening!.cloudFraction) < 1e-9);
    const ring: number[][] = item.geometry.coordinates[0];
    for (const w of want) assert.ok(ring.some((r) => distanceM(r, w) < 0.01), `footprint corner ${w}`);
    const [bw, bs, be, bn] = item.bbox;
    // GDAL's corners are the affine transform's (decimetres off the geometry): inside the bbox within 2 m (3e-5°).
    for (const [x, y] of got) assert.ok(x >= bw - 3e-5 && x <= be + 3e-5 && y >= bs - 3e-5 && y <= bn + 3e-5, `GDAL corner ${x}, ${y} outside the bbox ${item.bbox}`);
    for (const a of Object.values(item.assets) as { href: string }[]) assert.ok(existsSync(join(dir, a.href)), a.href);
    assert.deepEqual(item.assets.multispectral["proj:shape"], [LINES, W]);
    assert.deepEqual(item.assets.multispectral["raster:bands"].map((b: { scale: number }) => b.scale).map((v: number, i: number) => Math.abs(v - ms.bands[i].scale) <= 1e-15), [true, true, true, true]);
    assert.deepEqual(item.assets.multispectral["eo:bands"].map((b: { common_name: string }) => b.common_name), ["blue", "green", "red", "nir"]);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test("[tengri §products] tengri decode FILE --profile default --out DIR: the products of the ground's decode are byte-identical GeoTIFFs to the pass's", { skip: GDAL_SKIP }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "tengri-e2e-decode-"));
  try {
    const passDir = join(dir, "pass"), decDir = join(dir, "decoded");
    const s = await runPass({ profile: "default", lines: 200, seed: 9, out: passDir, observers: [createProductsObserver(passDir)] });
    assert.equal(s.verified, true);
    const r = tengri(["decode", join(passDir, "pass.cadu"), "--profile", "default", "--out", decDir]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /wrote 4 file\(s\) to .*decoded\/ \(200 lines, 0 partial or missing\)/);
    for (const f of ["multispectral.tif", "cloud-mask.tif", "quicklook.tif"]) assert.ok(readFileSync(join(passDir, f)).equals(readFileSync(join(decDir, f))), f);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test("[tengri §cli] products: --out on a file, a folder that cannot be made, no GDAL on PATH, decode --out without --profile: one line each, the documented exit code, nothing written", () => {
  const dir = mkdtempSync(join(tmpdir(), "tengri-e2e-outerr-"));
  try {
    const file = join(dir, "a-file");
    writeFileSync(file, "x");
    const oneLine = (r: ReturnType<typeof tengri>, code: number, re: RegExp) => {
      assert.equal(r.status, code, r.stderr);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      assert.match(r.stderr, re);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    };
    oneLine(tengri(["pass", "--lines", "8", "--out", file]), 1, /--out .*a-file exists and is not a folder/);
    oneLine(tengri(["pass", "--lines", "8", "--out", join(file, "sub")]), 1, /--out .*a-file\/sub: cannot be created/);
    const noGdal = { ...process.env, PATH: join(dir, "empty") };
    oneLine(tengri(["pass", "--lines", "8", "--out", join(dir, "p")], noGdal), 1, /--out: .*needs GDAL's gdal_translate \(Debian: apt-get install gdal-bin\)/);
    assert.equal(existsSync(join(dir, "p")), false, "nothing made before the error");
    // A decode usage error is its line, then the usage text (the command's convention).
    const u = tengri(["decode", file, "--frame", "tm", "--frame-length", "1115", "--rs-depth", "5", "--out", join(dir, "d")]);
    assert.equal(u.status, 2);
    assert.match(u.stderr.split("\n")[0], /^tengri decode: --out: needs --profile/);
    if (haveGdal) oneLine(tengri(["decode", file, "--profile", "default", "--out", file]), 1, /tengri decode: --out .*a-file exists and is not a folder/);
    oneLine(tengri(["decode", file, "--profile", "default", "--out", join(dir, "d")], noGdal), 1, /tengri decode: --out: .*gdal_translate/);
    assert.equal(existsSync(join(dir, "d")), false);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
