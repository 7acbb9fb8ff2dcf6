// The hires-pan-ms profile (issue 13 §1): panchromatic and multispectral at their own geometry.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadProfile, validateProfile, derived, ProfileError } from "../../../host/profiles/index.ts";
import { configValues, panOptions } from "../../../host/obc/config-table.ts";

test("[tengri §multires] hires-pan-ms: pan 0.7 m at 12 bits, four bands at 4× the GSD, raw rate well above the downlink", () => {
  const p = loadProfile("hires-pan-ms");
  const pan = p.sensor.panchromatic!;
  assert.equal(pan.ratio, 4);
  assert.equal(pan.bitDepth, 12);
  assert.equal(p.sensor.bands.length, 4);
  const panGsd = p.sensor.gsdM / pan.ratio;
  assert.ok(panGsd >= 0.7 - 1e-9 && panGsd <= 1, `pan GSD ${panGsd} m`);
  const swathKm = (p.sensor.pixelsPerLine * p.sensor.gsdM) / 1000;
  assert.ok(swathKm > 15 && swathKm < 25, `swath ${swathKm} km`);
  assert.match(p.description!, /Pléiades Imagery User Guide/);
  const d = derived(p);
  // 30000 px × 12 bit × 9676 lines/s (pan) + 4 × 7500 × 12 × 2419 (MS).
  assert.equal(d.panRawBitRate, 30000 * 12 * 4 * 2419);
  assert.equal(d.rawBitRate, 4 * 7500 * 12 * 2419 + 30000 * 12 * 4 * 2419);
  assert.ok(d.rawToDownlinkRatio > 5, `raw/downlink ${d.rawToDownlinkRatio}`);
  // The table's panchromatic block (version 8).
  const v = configValues(p);
  assert.equal(v.version, 8);
  assert.equal(v.panEnabled, 1);
  assert.equal(v.panPixels, 30000);
  assert.equal(v.panRatio, 4);
  assert.equal(v.panCompression, 1);
  assert.equal(v.panSegmentBlocks, 256);
  assert.equal(v.panSegmentBytes, Math.ceil((1.5 * 64 * 256) / 8));
  assert.equal(panOptions(loadProfile("default")), null);
  assert.equal(configValues(loadProfile("default")).panEnabled ?? 0, 0);
});

test("[tengri §multires] refused: a pan product without a pan channel, a pan APID already used, a pan line beyond 65535 pixels, a budget without a rate", () => {
  const base = loadProfile("hires-pan-ms");
  const refuse = (mut: (p: any) => void, pointer: string) => {
    const p = structuredClone(base) as any;
    mut(p);
    assert.throws(() => validateProfile(p), (e: unknown) => e instanceof ProfileError && e.field === pointer, pointer);
  };
  refuse((p) => { delete p.sensor.panchromatic; }, "/sensor/panchromatic");
  refuse((p) => { delete p.products.pan; }, "/products/pan");
  refuse((p) => { p.products.pan.apid = 101; }, "/products/pan/apid");
  refuse((p) => { p.products.pan.apid = 18; }, "/products/pan/apid");
  refuse((p) => { p.sensor.panchromatic.ratio = 16; }, "/sensor/panchromatic/ratio");
  refuse((p) => { delete p.products.pan.ccsds122.bitsPerPixel; }, "/products/pan/ccsds122/bitsPerPixel");
  refuse((p) => { p.products.pan.compression = "ccsds122-lossless"; }, "/products/pan/ccsds122/bitsPerPixel");
  // The flight image's own rule, through its parser: the statistics APID is taken by screening.
  refuse((p) => { p.products.pan.apid = 20; }, "/products/pan/apid");
  // Lossless without a rate is accepted on a narrower swath; at full width with screening the
  // flight image refuses it for memory (a decided tile row can release four strips of worst-case
  // lossless segments at once), naming the RAM.
  const ok = structuredClone(base) as any;
  ok.products.pan = { apid: 110, compression: "ccsds122-lossless" };
  refuse((p) => { p.products.pan = ok.products.pan; }, "/obc/ramBytes");
  ok.sensor.pixelsPerLine = 4000;
  assert.equal(configValues(validateProfile(ok)).panSegmentBytes, 0);
});
