import { test } from "node:test";
import assert from "node:assert/strict";
import { loadProfile } from "../../../host/profiles/index.ts";
import { radianceFromToa, dnFromRadiance } from "../../../host/sensor/radiometry.ts";
import { sceneSun, toaScaleOffset, rgbBands, sampleFormat, type ProductBand } from "../../../host/products/model.ts";

test("[tengri §products] TOA scale/offset invert the emulator's radiometry: ρ → radiance → DN (host/sensor/radiometry.ts) → scale·DN + offset gives ρ back, on every profile's bands", () => {
  for (const name of ["default", "eo-5band", "cubesat-mcu", "hyperspectral"]) {
    const p = loadProfile(name), sun = sceneSun(p, 2000), cosS = Math.cos((sun.zenithDeg * Math.PI) / 180);
    for (const b of p.sensor.bands) {
      const { scale, offset } = toaScaleOffset(b, sun);
      for (const rho of [0.02, 0.3, 0.9]) {
        const dn = dnFromRadiance(radianceFromToa(rho, b.solarIrradiance, cosS, sun.earthSunAu), b);
        assert.ok(Math.abs(scale * dn + offset - rho) < 1e-12, `${name} ${b.name}: ρ ${rho} → DN ${dn} → ${scale * dn + offset}`);
      }
    }
  }
});

test("[tengri §products] the Sun of the scale is the pass centre's; nodata lies outside the data range; RGB bands by wavelength", () => {
  const p = loadProfile("default");
  assert.equal(sceneSun(p, 1750).utcMs, Date.parse(p.pass.startUtc) + 1000);       // 1750 lines at 875 Hz: centre at 1 s
  for (const bits of [8, 12, 14, 15]) assert.ok(sampleFormat(bits).nodata > 2 ** bits - 1 && sampleFormat(bits).nodata <= 65535);
  assert.deepEqual(sampleFormat(16), { gdalType: "Int32", stacType: "int32", bytes: 4, nodata: -1 });
  const bands = (name: string): ProductBand[] => loadProfile(name).sensor.bands.map((b) => ({ ...b, scale: 1, offset: 0 }));
  assert.deepEqual(rgbBands(bands("default")), [2, 1, 0]);
  assert.deepEqual(rgbBands(bands("eo-5band")), [2, 1, 0]);
  const hs = bands("hyperspectral"), rgb = rgbBands(hs)!;
  assert.deepEqual(rgb.map((i) => hs[i].centreNm), [647.5, 557.5, 477.5]);
  assert.equal(rgbBands(bands("default").slice(2)), null, "red and NIR only: no RGB");
});
