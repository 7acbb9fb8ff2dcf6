import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { toUtm, utmZoneOf } from "../../../host/products/utm.ts";
import { GDAL_SKIP } from "./gdal-tools.ts";

test("[tengri §products] UTM zone and EPSG code of a point: 6° zones, north 326zz, south 327zz", () => {
  assert.deepEqual(utmZoneOf(8, 47), { zone: 32, north: true, epsg: 32632, centralMeridianDeg: 9 });
  assert.deepEqual(utmZoneOf(-70.6, -33.4), { zone: 19, north: false, epsg: 32719, centralMeridianDeg: -69 });
  assert.equal(utmZoneOf(179.99, 10).zone, 60);
  assert.equal(utmZoneOf(-180, 10).zone, 1);
  assert.equal(utmZoneOf(190, 10).zone, utmZoneOf(-170, 10).zone);
});

test("[tengri §products] UTM: our Krüger-series projection agrees with PROJ (GDAL's gdaltransform) within 1 mm across zones, hemispheres and 3° off the central meridian", { skip: GDAL_SKIP }, () => {
  const cases: [number, number][] = [[8, 47], [8.21, 46.95], [6.01, 70.5], [11.99, 0.5], [-70.6, -33.4], [151.2, -33.9], [-123.1, 49.3], [21.0, 84.0], [-3.0, -79.5], [179.5, 1.0]];
  for (const [lon, lat] of cases) {
    const z = utmZoneOf(lon, lat);
    const r = spawnSync("gdaltransform", ["-s_srs", "EPSG:4326", "-t_srs", `EPSG:${z.epsg}`, "-output_xy"], { input: `${lon} ${lat}\n`, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    const [e, n] = r.stdout.trim().split(/\s+/).map(Number);
    const [ours, ourN] = toUtm(lon, lat, z);
    assert.ok(Math.abs(ours - e) < 1e-3 && Math.abs(ourN - n) < 1e-3, `${lon}, ${lat} in zone ${z.zone}: ours ${ours}, ${ourN}; PROJ ${e}, ${n}`);
  }
});
