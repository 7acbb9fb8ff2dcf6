// End to end, issue 13 §1/§3: the hires-pan-ms profile's two geometries through the flight image.
// The co-registered emulated scene (host/sensor/multires.ts) → band lines (record type 2) and pan
// lines (record type 6, k = 4 per band line) → flight image: bands screened and coded with
// CCSDS 121, pan coded with CCSDS 122 → link → ground: bands rebuilt exact, pan segments decoded
// by the independent ground decoder (host/ground/ccsds122) and compared with the imager's pan.
// The swath is narrowed to 500 band pixels (2000 pan pixels) and 20 band lines (80 pan lines) to
// keep the test's runtime modest; the geometry per pixel, bit depths and rates are the profile's.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runPass } from "../../host/pass.ts";
import { loadProfile, type Profile } from "../../host/profiles/index.ts";
import { multiResScene } from "../../host/sensor/index.ts";
import { createProductsObserver } from "../../host/products/observer.ts";
import { GDAL_SKIP, gdalinfo, gdalPixels, distanceM } from "../host/products/gdal-tools.ts";

function narrow(f: (p: Profile) => void = () => {}): Profile {
  const p = structuredClone(loadProfile("hires-pan-ms"));
  p.sensor.pixelsPerLine = 500;
  f(p);
  return p;
}

test("[tengri §multires] hires-pan-ms, BER 0: bands exact, pan at 1.5 bit/pixel within its bound (decoded on the ground); per-channel rates reported", async () => {
  const s = await runPass({ profile: narrow(), lines: 20, seed: 3 });
  assert.equal(s.verified, true, s.verdict.headline);
  const pan = s.pan!;
  assert.equal(pan.width, 2000);
  assert.equal(pan.linesSent, 80);
  assert.equal(pan.linesDecoded, 80);
  assert.equal(pan.segmentsExpected, Math.ceil((250 * 10) / 256));
  assert.equal(pan.segmentsComplete, pan.segmentsExpected);
  assert.equal(pan.lossless, false);
  assert.ok(pan.bitsPerPixel <= 1.5 * 1.03 && pan.bitsPerPixel > 1.2, `pan ${pan.bitsPerPixel} bit/pixel`);
  assert.ok(pan.psnrDb >= 30 && pan.psnrDb < 200, `PSNR ${pan.psnrDb}`);
  assert.ok(pan.maxError > 0, "a budget of 1.5 bit/pixel cannot be lossless on this scene");
  const c = s.verdict.checks.find((x) => x.name === "pan segments (CCSDS 122)")!;
  assert.ok(c.ok && /PSNR/.test(c.detail), c.detail);
  assert.equal(pan.tilesDroppedFlight, pan.tilesDroppedGround);
  assert.deepEqual(s.channels.map((x) => x.name), ["multispectral", "panchromatic"]);
  const pc = s.channels[1];
  assert.ok(Math.abs(pc.rateBitS - (pc.bytes * 8) / s.downlink.passDurationS) < 1e-6);
  assert.equal(s.image.linesMismatch, 0);
});

test("[tengri §multires] hires-pan-ms, BER 1e-4: Reed-Solomon corrects; the pan and the bands verify", async () => {
  const s = await runPass({ profile: narrow(), lines: 20, seed: 4, ber: 1e-4 });
  assert.ok(s.link.bitErrors > 50, `only ${s.link.bitErrors} bit errors`);
  assert.ok(s.ground.rsSymbolsCorrected > 0);
  assert.equal(s.ground.rsCodewordsUncorrectable, 0);
  assert.equal(s.verified, true, s.verdict.headline);
  assert.equal(s.pan!.segmentsComplete, s.pan!.segmentsExpected);
});

test("[122.0-B-2 §3.3.2] hires-pan-ms with a lossless pan: every pan pixel bit-exact after the ground's decoder", async () => {
  const s = await runPass({ profile: narrow((p) => { p.products.pan = { apid: 110, compression: "ccsds122-lossless" }; }), lines: 20, seed: 5 });
  assert.equal(s.verified, true, s.verdict.headline);
  assert.equal(s.pan!.exact, true);
  // The bands' screening decided for the pan: under each dropped tile (×4) nothing was compared.
  assert.equal(s.pan!.pixelsCompared + s.pan!.pixelsDropped, 2000 * 80);
  assert.equal(s.pan!.tilesDroppedFlight, s.pan!.tilesDroppedGround);
  assert.equal(s.pan!.tilesDroppedGround, s.screening!.dropped);
  assert.ok(s.pan!.bitsPerPixel > 2 && s.pan!.bitsPerPixel < 12);
});

test("[tengri §multires] a pan segment lost on the way: NOT VERIFIED, naming the segment", async () => {
  const s = await runPass({ profile: narrow(), lines: 20, seed: 6, losePacket: (apid, nth) => apid === 110 && nth === 3 });
  assert.equal(s.verified, false);
  const c = s.verdict.checks.find((x) => x.name === "pan segments (CCSDS 122)")!;
  assert.equal(c.ok, false);
  assert.match(c.detail, /missing: 3/);
  assert.ok(s.pan!.linesDecoded < 80);
});

test("[tengri §products] hires-pan-ms products: the pan GeoTIFF from the real pan channel (values = the imager's, lossless), 4× the bands' grid on the same footprint, and the quicklook pan-sharpened by it", { skip: GDAL_SKIP }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "tengri-multires-"));
  try {
    const p = narrow((q) => { q.products.pan = { apid: 110, compression: "ccsds122-lossless" }; });
    const dropped: { firstLine: number; lines: number; firstPixel: number; count: number }[] = [];
    const s = await runPass({ profile: p, lines: 20, seed: 7, observers: [createProductsObserver(dir), { tile(t) { if (t.decision === "drop") dropped.push(t); } }] });
    assert.equal(s.verified, true, s.verdict.headline);
    const pan = gdalinfo(join(dir, "panchromatic.tif")), ms = gdalinfo(join(dir, "multispectral.tif")), ql = gdalinfo(join(dir, "quicklook.tif"));
    assert.deepEqual(pan.size, [2000, 80]);
    assert.deepEqual(ms.size, [500, 20]);
    assert.deepEqual(ql.size, [2000, 80]);
    assert.equal(pan.bands[0].description, "pan (655 nm)");
    assert.match(JSON.stringify(ql.metadata), /Brovey, by panchromatic \(4x\)/);
    // One footprint: the four WGS 84 corners of the pan and band files within a pan pixel.
    const a = pan.wgs84Extent.coordinates[0], b = ms.wgs84Extent.coordinates[0];
    for (let i = 0; i < 4; i++) assert.ok(distanceM(a[i], b[i]) < 0.7, `corner ${i}: ${distanceM(a[i], b[i])} m`);
    // Pixel size: 0.7 m against 2.8 m (the affine transform, when GDAL has one).
    if (pan.geoTransform && ms.geoTransform) assert.ok(Math.abs(Math.hypot(pan.geoTransform[1], pan.geoTransform[4]) * 4 - Math.hypot(ms.geoTransform[1], ms.geoTransform[4])) < 1e-6);
    // The values: the imager's pan lines (the scene is deterministic: made again here).
    const px = gdalPixels(join(dir, "panchromatic.tif"), "UInt16");
    const src = multiResScene(p, { seed: 7, lines: 20 });
    // Under a tile the bands' screening dropped (4× its lines and pixels): nodata (65535).
    const under = (y: number, x: number) => dropped.some((t) => Math.floor(y / 4) >= t.firstLine && Math.floor(y / 4) < t.firstLine + t.lines && x >= 4 * t.firstPixel && x < 4 * (t.firstPixel + t.count));
    let row = 0, diff = 0, nodata = 0;
    for (let l = src.next(); l; l = src.next()) for (const pl of l.pan) {
      for (let x = 0; x < 2000; x++) {
        const want = under(row, x) ? 65535 : pl.samples[x];
        if (want === 65535) nodata++;
        if (px.data[row * 2000 + x] !== want) diff++;
      }
      row++;
    }
    assert.equal(row, 80);
    assert.equal(diff, 0);
    assert.equal(nodata, s.pan!.pixelsDropped);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
