import { test } from "node:test";
import assert from "node:assert/strict";
import { loadProfile } from "../../../host/profiles/index.ts";
import { PassGeometry } from "../../../host/sensor/geometry.ts";
import { PassFootprint, bboxOf } from "../../../host/products/georef.ts";
import { toUtm } from "../../../host/products/utm.ts";
import { distanceM } from "./gdal-tools.ts";

const p = loadProfile("default");
const ms = { pixels: p.sensor.pixelsPerLine, lines: 2000, gsdM: p.sensor.gsdM, lineRateHz: p.sensor.lineRateHz };

/** Initial bearing from a to b ([lon, lat], degrees). */
function bearing(a: number[], b: number[]): number {
  const r = Math.PI / 180, y = Math.sin((b[0] - a[0]) * r) * Math.cos(b[1] * r);
  const x = Math.cos(a[1] * r) * Math.sin(b[1] * r) - Math.sin(a[1] * r) * Math.cos(b[1] * r) * Math.cos((b[0] - a[0]) * r);
  return ((Math.atan2(y, x) / r) % 360 + 360) % 360;
}

test("[tengri §products] footprint: line edges are the sub-satellite track, the swath W·gsd wide across it, pixel x to the right of the direction of flight", () => {
  const fp = new PassFootprint(p), geo = new PassGeometry(p);
  for (const row of [0, 1000, 2000]) {
    const sub = geo.atTime(row / ms.lineRateHz);
    const left = fp.lonLat(ms, 0, row), right = fp.lonLat(ms, ms.pixels, row), mid = fp.lonLat(ms, ms.pixels / 2, row);
    assert.ok(distanceM(mid, [sub.lonDeg, sub.latDeg]) < 1e-3, `row ${row}: the centre of the swath is the sub-satellite point`);
    assert.ok(Math.abs(distanceM(left, right) - ms.pixels * ms.gsdM) < 0.5, `row ${row}: swath ${distanceM(left, right)} m`);
    const across = bearing(left, right), want = (sub.headingDeg + 90) % 360;
    assert.ok(Math.abs(((across - want + 540) % 360) - 180) < 0.5, `row ${row}: left → right bears ${across}°, the track's right is ${want}°`);
  }
  // Along the track: the pass length is lines / lineRate · groundSpeed, with the Earth turning
  // ωE·R·cos φ·t (~ 320 m/s here) under it.
  const len = distanceM(fp.lonLat(ms, ms.pixels / 2, 0), fp.lonLat(ms, ms.pixels / 2, ms.lines)), t = ms.lines / ms.lineRateHz;
  assert.ok(Math.abs(len - t * p.spacecraft.groundSpeedMps) <= t * 7.2921159e-5 * 6371008.8 * Math.cos((47 * Math.PI) / 180), `pass length ${len} m`);
});

test("[tengri §products] the affine UTM transform fits a 2000-line pass within 1 m (1/8 pixel) and has the ground sample distance", () => {
  const fp = new PassFootprint(p), z = fp.zone(ms);
  assert.equal(z.epsg, 32632);
  const { geoTransform: [e0, a1, a2, n0, b1, b2], residualM } = fp.affine(ms, z);
  assert.ok(residualM < 1, `misfit ${residualM} m`);
  // Grid scale of UTM near 8° E / 47° N is within 0.1 % of 1: pixel steps are gsd long.
  assert.ok(Math.abs(Math.hypot(a1, b1) - ms.gsdM) < 0.01 * ms.gsdM && Math.abs(Math.hypot(a2, b2) * (ms.lineRateHz / p.spacecraft.groundSpeedMps) - 1) < 0.02);
  // Every corner and the centre, through the transform, within the misfit of the geometry.
  for (const [c, r] of [[0, 0], [ms.pixels, 0], [0, ms.lines], [ms.pixels, ms.lines], [ms.pixels / 2, ms.lines / 2]]) {
    const [e, n] = toUtm(...fp.lonLat(ms, c, r), z);
    assert.ok(Math.hypot(e0 + a1 * c + a2 * r - e, n0 + b1 * c + b2 * r - n) <= residualM + 1e-9);
  }
});

test("[tengri §products] the footprint ring is closed, counter-clockwise (RFC 7946) and inside its bbox; a pan channel at 4× covers the same ground", () => {
  const fp = new PassFootprint(p), ring = fp.ring(ms);
  assert.deepEqual(ring[0], ring[ring.length - 1]);
  let a = 0;
  for (let i = 0; i + 1 < ring.length; i++) a += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  assert.ok(a > 0, "counter-clockwise");
  const [w, s, e, n] = bboxOf(ring);
  for (const [x, y] of ring) assert.ok(x >= w && x <= e && y >= s && y <= n);
  const pan = { pixels: ms.pixels * 4, lines: ms.lines * 4, gsdM: ms.gsdM / 4, lineRateHz: ms.lineRateHz * 4 };
  for (const [c, r] of [[0, 0], [1, 0], [0, 1], [1, 1], [0.5, 0.5]]) assert.ok(distanceM(fp.lonLat(ms, c * ms.pixels, r * ms.lines), fp.lonLat(pan, c * pan.pixels, r * pan.lines)) < 1e-6);
});

test("[tengri §products] a pass no affine fits (20000 lines: the misfit exceeds half a pixel) gets ground control points on the geometry, a row every 2 km", () => {
  const fp = new PassFootprint(p), long = { ...ms, lines: 20000 }, z = fp.zone(long);
  assert.ok(fp.affine(long, z).residualM > long.gsdM / 2);
  const g = fp.gcps(long, z);
  const rows = Math.ceil(((long.lines / long.lineRateHz) * p.spacecraft.groundSpeedMps) / 2000) + 1;
  assert.equal(g.length, rows * 9);
  for (const k of [0, 8, g.length - 9, g.length - 1]) {
    const [e, n] = toUtm(...fp.lonLat(long, g[k].pixel, g[k].line), z);
    assert.ok(Math.hypot(e - g[k].x, n - g[k].y) < 1e-6);
  }
  assert.deepEqual([g[g.length - 1].pixel, g[g.length - 1].line], [long.pixels, long.lines]);
});
