// The product writer on synthetic channels (no flight image): a multispectral channel and a
// panchromatic one at 4× its pixels and line rate, read back by GDAL.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadProfile } from "../../../host/profiles/index.ts";
import { ProductWriter, channelSpecsOf, type ChannelSpec } from "../../../host/products/writer.ts";
import { sceneSun, toaScaleOffset } from "../../../host/products/model.ts";
import { GDAL_SKIP, gdalinfo, gdalPixels } from "./gdal-tools.ts";
import { stacErrors } from "./stac-schema.ts";
import { readTiff, TAG } from "./tiff-layout.ts";

const p = loadProfile("default");
const W = 300, H = 80, F = 4;
const red = p.sensor.bands[2];
const specs: ChannelSpec[] = [
  { ...channelSpecsOf(p)[0], pixels: W },
  { id: "panchromatic", role: "panchromatic", pixels: W * F, gsdM: p.sensor.gsdM / F, lineRateHz: p.sensor.lineRateHz * F, bitDepth: 12,
    bands: [{ name: "pan", centreNm: 625, widthNm: 350, gain: red.gain, offset: red.offset, solarIrradiance: red.solarIrradiance }] },
];
const msValue = (b: number, x: number, y: number) => (x * 7 + y * 13 + b * 100) % 4096;
const panValue = (x: number, y: number) => (x * 3 + y * 5) % 4096;

test("[tengri §products] writer: pan + multispectral GeoTIFFs, pan-sharpened quicklook, mask and a STAC item valid against the STAC 1.0.0 and extension schemas; GDAL reads sizes, COG layout, co-registered georeference, nodata, descriptions, scale/offset and the pixels written", { skip: GDAL_SKIP }, () => {
  const dir = mkdtempSync(join(tmpdir(), "tengri-products-"));
  try {
    const w = new ProductWriter(dir, p, specs, true);
    w.dropTile(30, 10, 64, 64);                                   // before its lines arrive
    for (let y = 0; y < H; y++) {
      if (y === 60) continue;                                     // never arrives
      w.line("multispectral", y, [0, 1, 2, 3].map((b) => (y === 10 && b === 2 ? null : Uint16Array.from({ length: W }, (_, x) => msValue(b, x, y)))));
      if (y < 40 || y > 44) w.maskLine(y, Uint8Array.from({ length: W }, (_, x) => (x + y) % 3));
    }
    w.dropTile(0, 5, 0, 32);                                      // after its lines were written
    for (let y = 0; y < H * F; y++) w.line("panchromatic", y, [y === 100 ? null : Uint16Array.from({ length: W * F }, (_, x) => panValue(x, y))]);
    const files = w.end({ lines: H, lost: [{ line: 20, bands: [0, 3] }], cloudCoverPercent: 12.5 });
    assert.deepEqual(files.map((f) => f.name), ["multispectral.tif", "panchromatic.tif", "quicklook.tif", "cloud-mask.tif", "item.json"]);
    assert.deepEqual(readdirSync(dir).sort(), files.map((f) => f.name).sort(), "no temporary file left");

    const ms = gdalinfo(join(dir, "multispectral.tif")), pan = gdalinfo(join(dir, "panchromatic.tif"));
    const ql = gdalinfo(join(dir, "quicklook.tif")), mask = gdalinfo(join(dir, "cloud-mask.tif"));
    assert.deepEqual([ms.size, pan.size, ql.size, mask.size], [[W, H], [W * F, H * F], [W * F, H * F], [W, H]]);
    for (const i of [ms, pan, ql, mask]) {
      assert.equal(i.metadata.IMAGE_STRUCTURE.LAYOUT, "COG");
      assert.equal(i.metadata.IMAGE_STRUCTURE.COMPRESSION, "DEFLATE");
      assert.match(i.coordinateSystem.wkt, /ID\["EPSG",32632\]\]$/);
      for (const b of i.bands) { assert.deepEqual(b.block, [256, 256]); assert.ok(b.overviews.length >= 1, "internal overviews"); }
    }
    // Co-registered: the pan grid's corners are the multispectral grid's.
    for (const k of ["upperLeft", "upperRight", "lowerLeft", "lowerRight"]) assert.ok(Math.hypot(ms.cornerCoordinates[k][0] - pan.cornerCoordinates[k][0], ms.cornerCoordinates[k][1] - pan.cornerCoordinates[k][1]) < 0.01, k);
    assert.match(ql.metadata[""].PAN_SHARPENED, /^Brovey, by panchromatic \(4x\)/);
    assert.deepEqual(ql.bands.map((b: { colorInterpretation: string }) => b.colorInterpretation), ["Red", "Green", "Blue"]);
    // Bands: descriptions, nodata, TOA scale/offset at the pass centre's Sun.
    const sun = sceneSun(p, H);
    ms.bands.forEach((b: { description: string; noDataValue: number; scale: number; offset: number }, i: number) => {
      const pb = p.sensor.bands[i], so = toaScaleOffset(pb, sun);
      assert.equal(b.description, `${pb.name} (${pb.centreNm} nm)`);
      assert.equal(b.noDataValue, 65535);
      // GDAL keeps 15 decimals in the GDAL_METADATA tag.
      assert.ok(Math.abs(b.scale - so.scale) <= 1e-15 && Math.abs(b.offset - so.offset) <= 1e-15, `band ${i}: GDAL ${b.scale}, ${b.offset}; radiometry ${so.scale}, ${so.offset}`);
    });
    assert.equal(pan.bands[0].description, "pan (625 nm)");
    assert.equal(mask.bands[0].noDataValue, 255);
    // Pixels as written; nodata for the line never sent, the null band line, the lost band lines, the dropped tiles.
    const px = gdalPixels(join(dir, "multispectral.tif"), "UInt16");
    let wrong = 0;
    for (let b = 0; b < 4; b++) for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
      const lost = y === 60 || (y === 10 && b === 2) || (y === 20 && (b === 0 || b === 3)) || (y >= 30 && y < 40 && x >= 64 && x < 128) || (y < 5 && x < 32);
      if (px.data[(b * H + y) * W + x] !== (lost ? 65535 : msValue(b, x, y))) wrong++;
    }
    assert.equal(wrong, 0);
    const pp = gdalPixels(join(dir, "panchromatic.tif"), "UInt16");
    // The pan under a dropped tile (F× its lines and pixels) was not sent either: nodata.
    const underDrop = (x: number, y: number) => (y >= 30 * F && y < 40 * F && x >= 64 * F && x < 128 * F) || (y < 5 * F && x < 32 * F);
    for (let y = 0; y < H * F; y += 7) for (let x = 0; x < W * F; x += 5) assert.equal(pp.data[y * W * F + x], y === 100 || underDrop(x, y) ? 65535 : panValue(x, y));
    const mp = gdalPixels(join(dir, "cloud-mask.tif"), "Byte");
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) assert.equal(mp.data[y * W + x], (y >= 40 && y <= 44) || y === 60 ? 255 : (x + y) % 3);
    // STAC: an asset per file, the pan asset's transform 1/4 of the multispectral one's steps.
    const item = JSON.parse(readFileSync(join(dir, "item.json"), "utf8"));
    assert.deepEqual(stacErrors(item), [], "valid against the STAC 1.0.0 item schema and its extensions' schemas");
    const broken = structuredClone(item);
    broken.assets.panchromatic["raster:bands"][0].data_type = "u12";
    assert.ok(stacErrors(broken).some((e) => /raster.*data_type/.test(e)), "the validator catches a wrong field");
    assert.deepEqual(Object.keys(item.assets), ["multispectral", "panchromatic", "visual", "cloud_mask"]);
    assert.equal(item.properties["eo:cloud_cover"], 12.5);
    assert.equal(item.assets.panchromatic["eo:bands"][0].common_name, "pan");
    const [ta, tb] = [item.assets.multispectral["proj:transform"], item.assets.panchromatic["proj:transform"]];
    for (const k of [0, 1, 3, 4]) assert.ok(Math.abs(ta[k] / F - tb[k]) < 1e-6);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test("[tengri §products] writer: a long pass (20000 lines, misfit of an affine transform above half a pixel) is georeferenced by ground control points GDAL reads", { skip: GDAL_SKIP }, () => {
  const dir = mkdtempSync(join(tmpdir(), "tengri-products-"));
  try {
    const one: ChannelSpec = { ...channelSpecsOf(p)[0], pixels: 64, bands: [p.sensor.bands[3]] };
    const w = new ProductWriter(dir, p, [one], false);
    const line = new Uint16Array(64).fill(500);
    for (let y = 0; y < 20000; y++) w.line("multispectral", y, [line]);
    w.end({ lines: 20000 });
    const info = gdalinfo(join(dir, "multispectral.tif"));
    assert.equal(info.geoTransform, undefined);
    assert.match(info.gcps.coordinateSystem.wkt, /ID\["EPSG",32632\]\]$/);
    const g = info.gcps.gcpList;
    assert.ok(g.length >= 2 * 9);
    assert.deepEqual([g[0].pixel, g[0].line, g[g.length - 1].pixel, g[g.length - 1].line], [0, 0, 64, 20000]);
    assert.match(info.metadata[""].GEOREFERENCE, /^ground control points/);
    const item = JSON.parse(readFileSync(join(dir, "item.json"), "utf8"));
    assert.deepEqual(stacErrors(item), []);
    assert.equal(item.assets.multispectral["proj:transform"], undefined);
    assert.equal(item.assets.visual, undefined, "one band: no RGB quicklook");
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test("[tengri §products] COG layout byte by byte: GDAL's ghost header says IFDs before data, every IFD (image and overviews) precedes every tile, 256 × 256 DEFLATE tiles, ModelTransformation, GeoKeys, GDAL_NODATA and SCALE/OFFSET/DESCRIPTION in GDAL_METADATA", { skip: GDAL_SKIP }, () => {
  const dir = mkdtempSync(join(tmpdir(), "tengri-products-"));
  try {
    const w = new ProductWriter(dir, p, [specs[0]], false);
    for (let y = 0; y < 700; y++) w.line("multispectral", y, [0, 1, 2, 3].map((b) => Uint16Array.from({ length: W }, (_, x) => msValue(b, x, y))));
    w.end({ lines: 700 });
    const t = readTiff(join(dir, "multispectral.tif"));
    assert.match(t.ghost, /^GDAL_STRUCTURAL_METADATA_SIZE=\d+ bytes\nLAYOUT=IFDS_BEFORE_DATA\nBLOCK_ORDER=ROW_MAJOR\n/);
    assert.equal(t.ifds.length, 3, "full resolution and two overviews (350 and 175 lines: then within one tile)");
    const firstTile = Math.min(...t.ifds.flatMap((i) => i.tags.get(TAG.TileOffsets) as number[]));
    for (const ifd of t.ifds) {
      assert.ok(ifd.offset < firstTile, `IFD at ${ifd.offset} after a tile at ${firstTile}`);
      assert.deepEqual([ifd.tags.get(TAG.TileWidth), ifd.tags.get(TAG.TileLength), ifd.tags.get(TAG.Compression)], [[256], [256], [8]]);
    }
    const full = t.ifds[0].tags;
    assert.deepEqual([full.get(TAG.ImageWidth), full.get(TAG.ImageLength)], [[W], [700]]);
    for (const o of t.ifds.slice(1)) assert.deepEqual(o.tags.get(TAG.NewSubfileType), [1], "overviews are reduced-resolution images");
    assert.ok(full.has(TAG.ModelTransformation) && full.has(TAG.GeoKeyDirectory) && !full.has(TAG.ModelPixelScale), "a rotated grid: ModelTransformationTag");
    assert.equal(full.get(TAG.GdalNodata), "65535");
    const md = full.get(TAG.GdalMetadata) as string;
    const sun = sceneSun(p, 700);
    p.sensor.bands.forEach((b, i) => {
      const so = toaScaleOffset(b, sun);
      const scale = Number(new RegExp(`<Item name="SCALE" sample="${i}" role="scale">([^<]+)</Item>`).exec(md)?.[1]);
      const offset = Number(new RegExp(`<Item name="OFFSET" sample="${i}" role="offset">([^<]+)</Item>`).exec(md)?.[1]);
      assert.ok(Math.abs(scale / so.scale - 1) < 1e-15 && Math.abs(offset / so.offset - 1) < 1e-15, `band ${i}: ${scale}, ${offset}`);
      assert.match(md, new RegExp(`<Item name="DESCRIPTION" sample="${i}" role="description">${b.name} \\(${b.centreNm} nm\\)</Item>`));
    });
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
