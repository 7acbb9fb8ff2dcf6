// The imager model: radiometry against hand-computed values, noise statistics, PRNU, saturation,
// pass geometry, and the synthetic scene's traps, shadows and truth.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadProfile, validateProfile, PROFILES_DIR, type Profile } from "../../../host/profiles/index.ts";
import {
  uniformScene, syntheticScene, Imager, PassGeometry, checkPassGeometry, solarGeometry, orbitalGroundSpeedMps, detectorParams,
  rayleighOpticalDepth, bandAtmosphere, glintReflectance, fresnelWater, LandCover, SceneError, EARTH_RADIUS_M,
} from "../../../host/sensor/index.ts";

const RAD = Math.PI / 180;

/** A profile variant: the default one with a narrow line and changed fields. */
function variant(edit: (p: any) => void, pixels = 512): Profile {
  const p = JSON.parse(readFileSync(join(PROFILES_DIR, "default.json"), "utf8"));
  p.sensor.pixelsPerLine = pixels;
  edit(p);
  return validateProfile(p, "variant");
}

/** Per band: mean and per-column statistics over a uniform scene. */
function collect(p: Profile, o: Parameters<typeof uniformScene>[1]) {
  const s = uniformScene(p, o), B = s.bands, P = s.pixels;
  const sum = new Float64Array(B * P), sum2 = new Float64Array(B * P);
  let l, n = 0;
  while ((l = s.next())) {
    for (let i = 0; i < B * P; i++) { const v = l.samples[i]; sum[i] += v; sum2[i] += v * v; }
    n++;
  }
  const colMean = (b: number, x: number) => sum[b * P + x] / n;
  const colVar = (b: number, x: number) => (sum2[b * P + x] - (sum[b * P + x] * sum[b * P + x]) / n) / (n - 1);
  const mean = (b: number) => { let a = 0; for (let x = 0; x < P; x++) a += colMean(b, x); return a / P; };
  const meanVar = (b: number) => { let a = 0; for (let x = 0; x < P; x++) a += colVar(b, x); return a / P; };
  return { B, P, n, colMean, colVar, mean, meanVar };
}

test("radiometry: Rayleigh optical depth and atmosphere terms against hand-computed values", () => {
  // Hansen & Travis (1974): τR(0.55 µm) = 0.008569·0.55⁻⁴·(1 + 0.0113·0.55⁻² + 0.00013·0.55⁻⁴) = 0.09727
  assert.ok(Math.abs(rayleighOpticalDepth(550) - 0.09727) < 2e-4, `${rayleighOpticalDepth(550)}`);
  assert.ok(Math.abs(rayleighOpticalDepth(865) - 0.01548) < 1e-4, `${rayleighOpticalDepth(865)}`); // λ⁻⁴ scaling
  // Sun at 30° zenith, no aerosol, 550 nm: ρpath = τR·¾(1 + μs²)/(4 μs), t = exp(−τR/2/μ).
  const mus = Math.cos(30 * RAD), tau = 0.097268;
  const a = bandAtmosphere(550, mus, { aod550: 0, angstrom: 1.3 });
  assert.ok(Math.abs(a.pathReflectance - (tau * 0.75 * (1 + mus * mus)) / (4 * mus)) < 1e-4);
  assert.ok(Math.abs(a.tDown - Math.exp(-tau / 2 / mus)) < 1e-4);
  assert.ok(Math.abs(a.tUp - Math.exp(-tau / 2)) < 1e-4);
  // Aerosol raises path reflectance and lowers transmittance, more in the blue.
  const hazy = bandAtmosphere(490, mus, { aod550: 0.4, angstrom: 1.3 }), clear = bandAtmosphere(490, mus, { aod550: 0.05, angstrom: 1.3 });
  assert.ok(hazy.pathReflectance > clear.pathReflectance && hazy.tDown < clear.tDown);
  assert.ok(bandAtmosphere(490, mus, { aod550: 0.1, angstrom: 1.3 }).pathReflectance > bandAtmosphere(842, mus, { aod550: 0.1, angstrom: 1.3 }).pathReflectance * 3);
});

test("radiometry: a uniform reflectance gives the hand-computed DN within noise (with and without the atmosphere)", () => {
  const p = variant((q) => { q.sensor.prnuPercent = 0.5; }, 2048);
  const sun = solarGeometry(Date.parse(p.pass.startUtc), p.pass.startLatDeg, p.pass.startLonDeg);
  const mus = Math.cos(sun.zenithDeg * RAD), d2 = sun.earthSunAu ** 2, rho = 0.3;
  for (const atmosphere of [false, true]) {
    const st = collect(p, { seed: 4, lines: 16, reflectance: rho, atmosphere });
    p.sensor.bands.forEach((b, i) => {
      let toa = rho;
      if (atmosphere) {
        // Hand computation from the formulas in radiometry.ts (AOD 0.1, α 1.3, g 0.7, ω 0.9).
        const l = b.centreNm / 1000, tauR = 0.008569 * l ** -4 * (1 + 0.0113 * l ** -2 + 0.00013 * l ** -4);
        const tauA = 0.1 * (b.centreNm / 550) ** -1.3, cosT = -mus;
        const pR = 0.75 * (1 + cosT * cosT), pA = (1 - 0.49) / (1 + 0.49 - 1.4 * cosT) ** 1.5;
        const path = (tauR * pR + 0.9 * tauA * pA) / (4 * mus);
        const ext = tauR / 2 + (1 - 0.9 * 0.85) * tauA;
        toa = path + Math.exp(-ext / mus) * Math.exp(-ext) * rho;
      }
      const L = (b.solarIrradiance * mus * toa) / (Math.PI * d2);
      const want = (L - b.offset) / b.gain;
      const got = st.mean(i);
      // Noise of the mean over 16 × 2048 samples ≈ 0.05 DN; PRNU averages to 1 ± 0.5 %/√2048 ≈ 0.01 %.
      assert.ok(Math.abs(got - want) < 0.5 + 0.0005 * want, `${b.name} atmosphere=${atmosphere}: ${got.toFixed(2)} vs ${want.toFixed(2)}`);
    });
  }
});

test("detector: temporal noise variance follows read² + signal/(e⁻/DN) + 1/12 at several signal levels", () => {
  const p = variant((q) => { q.sensor.prnuPercent = 0; q.sensor.readNoiseDn = 2; q.sensor.electronsPerDn = 10; }, 1024);
  const d = detectorParams(p);
  for (const rho of [0, 0.1, 0.5]) {
    const st = collect(p, { seed: 7, lines: 200, reflectance: rho });
    for (let b = 0; b < st.B; b++) {
      const signal = st.mean(b) - d.darkDn[b];
      const want = 4 + Math.max(0, signal) / 10 + 1 / 12;
      const got = st.meanVar(b);
      assert.ok(Math.abs(got / want - 1) < 0.05, `ρ=${rho} band ${b}: variance ${got.toFixed(2)} vs ${want.toFixed(2)} (signal ${signal.toFixed(0)} DN)`);
    }
  }
});

test("detector: PRNU is fixed per column (same pattern in another scene), its spread matches prnuPercent, another detector seed changes it", () => {
  const p = variant((q) => { q.sensor.prnuPercent = 2; q.sensor.readNoiseDn = 1; }, 2048);
  const d = detectorParams(p);
  const a = collect(p, { seed: 1, lines: 48, reflectance: 0.4 }), b = collect(p, { seed: 2, lines: 48, reflectance: 0.4 });
  const c = collect(p, { seed: 1, lines: 48, reflectance: 0.4, detectorSeed: 99 });
  const rel = (s: typeof a, x: number) => (s.colMean(0, x) - d.darkDn[0]) / (s.mean(0) - d.darkDn[0]) - 1;
  let sab = 0, saa = 0, sbb = 0, sac = 0, scc = 0;
  for (let x = 0; x < a.P; x++) {
    const ra = rel(a, x), rb = rel(b, x), rc = rel(c, x);
    sab += ra * rb; saa += ra * ra; sbb += rb * rb; sac += ra * rc; scc += rc * rc;
  }
  const spread = Math.sqrt(saa / a.P);
  // Column means over 48 lines still carry temporal noise: σ/√48 of ~√(1 + 1300/20)/√48 ≈ 1.2 DN on ~2600 DN → 0.05 %.
  assert.ok(Math.abs(spread - 0.02) < 0.002, `PRNU spread ${(spread * 100).toFixed(3)} %`);
  assert.ok(sab / Math.sqrt(saa * sbb) > 0.99, `same detector, other scene seed: correlation ${(sab / Math.sqrt(saa * sbb)).toFixed(4)}`);
  assert.ok(Math.abs(sac / Math.sqrt(saa * scc)) < 0.1, "another detector seed gives an unrelated pattern");
});

test("detector: dark level and dark-signal non-uniformity: a black scene sits at the dark level with the profile's column spread", () => {
  const p = variant((q) => { q.sensor.dsnuDn = 3; q.sensor.prnuPercent = 0; q.sensor.readNoiseDn = 1; }, 2048);
  const d = detectorParams(p);
  const st = collect(p, { seed: 1, lines: 32, reflectance: 0, atmosphere: false });
  for (let b = 0; b < st.B; b++) {
    let s2 = 0;
    for (let x = 0; x < st.P; x++) s2 += (st.colMean(b, x) - d.darkDn[b]) ** 2;
    const spread = Math.sqrt(s2 / st.P); // includes the temporal noise of a 32-line mean: √(1/32 + 1/12/32) ≈ 0.18 DN
    assert.ok(Math.abs(st.mean(b) - d.darkDn[b]) < 0.3, `band ${b}: dark mean ${st.mean(b)} vs ${d.darkDn[b]}`);
    assert.ok(Math.abs(spread - Math.sqrt(9 + 0.034)) < 0.3, `band ${b}: DSNU spread ${spread.toFixed(2)} DN`);
  }
  // darkSignalDn overrides the calibration's dark level (a drift the calibration does not know).
  const q = variant((r) => { r.sensor.darkSignalDn = 100; }, 512);
  const sq = collect(q, { seed: 1, lines: 8, reflectance: 0, atmosphere: false });
  assert.ok(Math.abs(sq.mean(0) - 100) < 0.3);
});

test("detector: saturation at the bit depth, and at the full well when it comes first", () => {
  const p = variant(() => {}, 256);
  const max = 2 ** p.sensor.bitDepth - 1;
  const s = uniformScene(p, { seed: 3, lines: 4, reflectance: 1.6 });
  let l;
  while ((l = s.next())) for (const v of l.samples) assert.equal(v, max);
  const q = variant((r) => { r.sensor.electronsPerDn = 20; r.sensor.fullWellE = 20 * 2000; r.sensor.prnuPercent = 0; }, 256);
  const st = collect(q, { seed: 3, lines: 8, reflectance: 1.6 });
  const d = detectorParams(q);
  for (let b = 0; b < st.B; b++) assert.ok(Math.abs(st.mean(b) - (d.darkDn[b] + 2000)) < 1, `band ${b}: full well at ${st.mean(b)}`);
  // 8-bit profile: the same scene clips at 255.
  const p8 = variant((r) => { r.sensor.bitDepth = 8; }, 128);
  const s8 = uniformScene(p8, { seed: 1, lines: 2, reflectance: 1 });
  while ((l = s8.next())) for (const v of l.samples) assert.equal(v, 255);
  // Night: the Sun below the horizon leaves the dark level and noise.
  const night = variant((r) => { r.pass.startUtc = "2026-06-21T23:00:00Z"; }, 256);
  const sn = collect(night, { seed: 1, lines: 8, reflectance: 0.5 });
  for (let b = 0; b < sn.B; b++) assert.ok(Math.abs(sn.mean(b) - detectorParams(night).darkDn[b]) < 0.5);
});

test("pass geometry: the track follows the great circle at the ground speed; the Sun is recomputed along it", () => {
  const p = variant((q) => { delete q.pass.orbitInclinationDeg; q.pass.headingDeg = 180; q.pass.startLatDeg = 40; q.pass.startLonDeg = 20; q.pass.startUtc = "2026-03-20T06:00:00Z"; });
  const g = new PassGeometry(p);
  const t = 600; // ten minutes: 4200 km south
  const pt = g.atTime(t);
  const dLat = (p.spacecraft.groundSpeedMps * t) / EARTH_RADIUS_M / RAD;
  assert.ok(Math.abs(pt.latDeg - (40 - dLat)) < 1e-6, `${pt.latDeg}`);
  assert.ok(Math.abs(pt.lonDeg - (20 - (7.2921159e-5 * t) / RAD)) < 1e-6, "westward drift by the Earth's rotation");
  assert.ok(Math.abs(pt.headingDeg - 180) < 1e-6);
  const sun = solarGeometry(Date.parse(p.pass.startUtc) + t * 1000, pt.latDeg, pt.lonDeg);
  assert.ok(Math.abs(pt.sun.elevationDeg - sun.elevationDeg) < 1e-9);
  assert.ok(pt.sun.elevationDeg - g.atLine(0).sun.elevationDeg > 2, "equinox morning pass from 40° N toward the equator: the Sun rises along it");
  // Line n: the time of line n; radiometry uses that line's Sun (no atmosphere: signal ∝ cos θs).
  const im = new Imager(p, { seed: 1, atmosphere: false });
  const n = Math.round(t * p.sensor.lineRateHz);
  const r0 = im.radiometry(0), r1 = im.radiometry(n);
  assert.ok(Math.abs(r1.scale[0] / r0.scale[0] - Math.cos(r1.point.sun.zenithDeg * RAD) / Math.cos(r0.point.sun.zenithDeg * RAD)) < 1e-4); // (d² moves by 1e-6 too)
  assert.ok(Math.abs(r1.point.utcMs - (Date.parse(p.pass.startUtc) + (n / p.sensor.lineRateHz) * 1000)) < 1e-6);
  // A general heading: the distance covered is v·t (Earth rotation removed).
  const q = variant((r) => { r.pass.headingDeg = 192; });
  const h = new PassGeometry(q).atTime(300);
  const lon = h.lonDeg + (7.2921159e-5 * 300) / RAD;
  const hav = 2 * Math.asin(Math.sqrt(Math.sin(((h.latDeg - 47) * RAD) / 2) ** 2 + Math.cos(47 * RAD) * Math.cos(h.latDeg * RAD) * Math.sin(((lon - 8) * RAD) / 2) ** 2));
  assert.ok(Math.abs(hav * EARTH_RADIUS_M - 7000 * 300) < 1e-3);
});

test("pass geometry: impossible geometry is a SceneError naming the field; the shipped profiles pass", () => {
  for (const name of ["default", "cubesat-mcu", "eo-5band", "hyperspectral"]) checkPassGeometry(loadProfile(name));
  assert.ok(Math.abs(orbitalGroundSpeedMps(520) - 7037) < 20);
  const bad = (edit: (p: any) => void, field: string) => {
    const p = JSON.parse(readFileSync(join(PROFILES_DIR, "default.json"), "utf8"));
    edit(p);
    assert.throws(() => checkPassGeometry(p), (e: unknown) => e instanceof SceneError && e.field === field, field);
    assert.throws(() => syntheticScene(p, { seed: 1, lines: 1 }), (e: unknown) => e instanceof SceneError && e.field === field);
  };
  bad((p) => { p.spacecraft.groundSpeedMps = 4000; p.sensor.lineRateHz = 500; }, "spacecraft.groundSpeedMps");
  bad((p) => { p.sensor.lineRateHz = 1200; }, "sensor.lineRateHz");
  bad((p) => { p.sensor.pixelsPerLine = 65535; p.sensor.gsdM = 80; p.sensor.lineRateHz = 7000 / 80; }, "sensor.pixelsPerLine");
  bad((p) => { p.pass.orbitInclinationDeg = 45; }, "pass.startLatDeg");
  bad((p) => { p.pass.orbitInclinationDeg = 97.5; p.pass.headingDeg = 90; }, "pass.headingDeg");
  bad((p) => { p.pass.startUtc = "2026-13-45T99:00:00Z"; }, "pass.startUtc");
  // A sun-synchronous descending pass at 47° N heads ~191°: accepted.
  const ok = JSON.parse(readFileSync(join(PROFILES_DIR, "default.json"), "utf8"));
  ok.pass.orbitInclinationDeg = 97.5;
  checkPassGeometry(ok);
});

test("sun glint: Fresnel and Cox–Munk against hand-computed values", () => {
  assert.ok(Math.abs(fresnelWater(1) - ((1.34 - 1) / (1.34 + 1)) ** 2) < 1e-12); // normal incidence: ((n−1)/(n+1))² = 0.02111
  // Sun and view both at nadir: β = 0, ω = 0 → ρg = π·R(0)/(4·πσ²) = R(0)/(4σ²).
  const s2 = 0.003 + 0.00512 * 5;
  assert.ok(Math.abs(glintReflectance(0, 0, 1, 0, 0, 1, 5) - fresnelWater(1) / (4 * s2)) < 1e-12);
  // Sun at 40°: the mirroring facet tilts 20°; the glint weakens with e^(−tan²20°/σ²).
  const sz = Math.cos(40 * RAD), sx = Math.sin(40 * RAD);
  const want = (Math.PI * fresnelWater(Math.cos(20 * RAD)) * Math.exp(-(Math.tan(20 * RAD) ** 2) / s2) / (Math.PI * s2)) / (4 * sz * Math.cos(20 * RAD) ** 4);
  assert.ok(Math.abs(glintReflectance(sx, 0, sz, 0, 0, 1, 5) - want) < 1e-12);
});

/** Per land-cover class (8 = cloud, 9 = clear shadow): mean TOA reflectance × cos θs per band, over a synthetic scene. */
function classMeans(p: Profile, o: Partial<Parameters<typeof syntheticScene>[1]> = {}, lines = 384) {
  const s = syntheticScene(p, { seed: 2, lines, truth: true, cloudFraction: 0.25, ...o });
  const B = s.bands, P = s.pixels;
  const sum = Array.from({ length: 10 }, () => new Float64Array(B)), cnt = new Float64Array(10);
  const vegLit = new Float64Array(B), vegShadow = new Float64Array(B);
  let nLit = 0, nShadow = 0, l;
  while ((l = s.next())) {
    for (let x = 0; x < P; x++) {
      const k = l.cloud![x] ? 8 : l.shadow![x] ? 9 : l.cover![x];
      cnt[k]++;
      for (let b = 0; b < B; b++) sum[k][b] += l.samples[b * P + x];
      if (!l.cloud![x] && l.cover![x] === LandCover.Vegetation) {
        if (l.shadow![x]) { nShadow++; for (let b = 0; b < B; b++) vegShadow[b] += l.samples[b * P + x]; }
        else { nLit++; for (let b = 0; b < B; b++) vegLit[b] += l.samples[b * P + x]; }
      }
    }
  }
  const refl = (dn: number, b: number) => (Math.PI * (p.sensor.bands[b].gain * dn + p.sensor.bands[b].offset)) / p.sensor.bands[b].solarIrradiance;
  const mean = (k: number) => Array.from(sum[k], (v, b) => refl(v / cnt[k], b));
  return { mean, share: (k: number) => cnt[k] / (lines * P), vegLit: Array.from(vegLit, (v, b) => refl(v / nLit, b)), vegShadow: Array.from(vegShadow, (v, b) => refl(v / nShadow, b)), nShadow };
}

test("synthetic scene: the screener's traps are present with their spectra (snow, sand, bright soil, roofs) and shadows are darker", () => {
  const p = variant(() => {}, 1024);
  const m = classMeans(p);
  const [blue, green, red, nir] = [0, 1, 2, 3];
  for (const k of [LandCover.Snow, LandCover.Sand, LandCover.BrightSoil, LandCover.Roof, LandCover.Water, LandCover.Urban, LandCover.Vegetation])
    assert.ok(m.share(k) > 0.005, `class ${k} present: ${m.share(k)}`);
  const snow = m.mean(LandCover.Snow), soil = m.mean(LandCover.BrightSoil), sand = m.mean(LandCover.Sand), roof = m.mean(LandCover.Roof), veg = m.mean(LandCover.Vegetation);
  assert.ok(snow[blue] > 0.5 && Math.max(...snow) / Math.min(...snow) < 1.25, `snow bright and flat: ${snow.map((v) => v.toFixed(3))}`);
  assert.ok(soil[red] > 0.25 && soil[red] / soil[blue] > 1.3, `bright soil reddish: ${soil.map((v) => v.toFixed(3))}`);
  assert.ok(sand[red] > 0.3 && sand[nir] > sand[blue], `sand bright: ${sand.map((v) => v.toFixed(3))}`);
  assert.ok(roof[blue] > 0.3 && Math.max(...roof) / Math.min(...roof) < 1.15, `roofs bright and flat: ${roof.map((v) => v.toFixed(3))}`);
  assert.ok((veg[nir] - veg[red]) / (veg[nir] + veg[red]) > 0.4, "vegetation NDVI");
  assert.ok(m.nShadow > 500, `shadowed vegetation pixels: ${m.nShadow}`);
  // Darker in every band; least in the blue, where the path radiance (the same over shadow and sun) dominates.
  for (let b = 0; b < 4; b++) assert.ok(m.vegShadow[b] < m.vegLit[b] - 0.004, `band ${b}: shadow ${m.vegShadow[b].toFixed(3)} vs lit ${m.vegLit[b].toFixed(3)}`);
  assert.ok(m.vegShadow[nir] < 0.6 * m.vegLit[nir], `NIR: shadow ${m.vegShadow[nir].toFixed(3)} vs lit ${m.vegLit[nir].toFixed(3)}`);
  // The blue keeps more of its light in shadow (sky light is bluish): ratio shadow/lit highest in the blue.
  assert.ok(m.vegShadow[blue] / m.vegLit[blue] > m.vegShadow[nir] / m.vegLit[nir]);
  void green;
});

test("synthetic scene: sun glint makes water bright and flat under a high Sun and light wind, not under a low Sun", () => {
  const tropics = variant((q) => { delete q.pass.orbitInclinationDeg; q.pass.startUtc = "2026-03-20T12:00:00Z"; q.pass.startLatDeg = 2; q.pass.startLonDeg = 0; q.pass.windSpeedMps = 2; }, 1024);
  const high = classMeans(tropics, { cloudFraction: 0 }, 256).mean(LandCover.Water);
  const low = classMeans(variant((q) => { q.pass.startUtc = "2026-12-21T08:30:00Z"; }, 1024), { cloudFraction: 0 }, 256).mean(LandCover.Water);
  assert.ok(high[3] > 0.08, `glint NIR ${high[3].toFixed(3)}`);
  assert.ok(high[3] / high[0] > 0.5, `glint is spectrally flat, water itself is dark in the NIR: ${high.map((v) => v.toFixed(3))}`);
  assert.ok(low[3] < 0.03, `no glint under a low winter Sun: ${low.map((v) => v.toFixed(3))}`);
});

test("synthetic scene: clouds have thin edges, haze is not cloud, truth arrays line up; generation streams with one line of state", () => {
  const p = variant(() => {}, 1024);
  const s = syntheticScene(p, { seed: 5, lines: 200, truth: true, cloudFraction: 0.3 });
  let l, edge = 0, core = 0;
  const levels: number[] = [];
  while ((l = s.next())) {
    assert.equal(l.cloud!.length, 1024); assert.equal(l.shadow!.length, 1024); assert.equal(l.cover!.length, 1024);
    for (let x = 1; x < 1023; x++) {
      if (l.cloud![x] && (!l.cloud![x - 1] || !l.cloud![x + 1])) { edge++; levels.push(l.samples[x]); }
      else if (l.cloud![x]) core++;
    }
  }
  assert.ok(edge > 100 && core > 10 * edge, `cloud edges ${edge}, interior ${core}`);
  // Same seed, with and without truth: identical samples.
  const a = syntheticScene(p, { seed: 5, lines: 3, truth: true }), b = syntheticScene(p, { seed: 5, lines: 3 });
  for (let i = 0; i < 3; i++) assert.deepEqual(a.next()!.samples, b.next()!.samples);
  // No haze, no cloud, no relief: the blue of vegetation is lower than with haze.
  const clearNoHaze = classMeans(p, { cloudFraction: 0, haze: 0 }, 128).mean(LandCover.Vegetation);
  const hazy = classMeans(p, { cloudFraction: 0, haze: 0.4 }, 128).mean(LandCover.Vegetation);
  assert.ok(hazy[0] > clearNoHaze[0], "haze brightens the blue");
  assert.throws(() => syntheticScene(p, { seed: 1, lines: 1, haze: 2 }), (e: unknown) => e instanceof SceneError && e.field === "haze");
  assert.throws(() => syntheticScene(p, { seed: 1, lines: 1, cloudHeightM: -1 }), (e: unknown) => e instanceof SceneError && e.field === "cloudHeightM");
});

test("synthetic scene: cloud shadows fall H·tan θs away from their clouds, on the side opposite the Sun", () => {
  // High clouds (5 km) so that the shift (~2.5 km) is distinct from the size of a cloud.
  const W = 1536, p = variant(() => {}, W);
  const Lines = 900, H = 5000;
  const s = syntheticScene(p, { seed: 8, lines: Lines, truth: true, cloudFraction: 0.12, cloudHeightM: H });
  const cloud: Uint8Array[] = [], shadow: Uint8Array[] = [];
  let l;
  while ((l = s.next())) { cloud.push(l.cloud!); shadow.push(l.shadow!); }
  // Expected offset from a shadowed ground point to its cloud: toward the Sun. Default pass: heading 192°,
  // Sun in the south-east (azimuth ~150°), so the Sun is ahead and to the left: clouds sit ahead (+y)
  // and to the left (−x) of their shadows.
  const sun = solarGeometry(Date.parse(p.pass.startUtc), p.pass.startLatDeg, p.pass.startLonDeg);
  const rel = (sun.azimuthDeg - p.pass.headingDeg) * RAD, reach = H * Math.tan(sun.zenithDeg * RAD) / p.sensor.gsdM;
  const ex = reach * Math.sin(rel), ey = reach * Math.cos(rel);
  assert.ok(ex < -20 && ey > 20, `expected offset (${ex.toFixed(1)}, ${ey.toFixed(1)}) px`);
  const hit = (dx: number, dy: number) => {
    let n = 0, c = 0;
    for (let y = 0; y < Lines; y++) for (let x = 0; x < W; x++) {
      if (!shadow[y][x]) continue;
      const yy = y + dy, xx = x + dx;
      if (yy < 0 || yy >= Lines || xx < 0 || xx >= W) continue;
      n++; c += cloud[yy][xx];
    }
    return n > 100 ? c / n : 0; // too few comparable points (edge of the scene): no evidence either way
  };
  const atSun = hit(Math.round(ex), Math.round(ey)), away = hit(-Math.round(ex), -Math.round(ey)), mirror = hit(-Math.round(ex), Math.round(ey));
  assert.ok(atSun > 0.9, `shadowed points with their cloud toward the Sun: ${atSun.toFixed(3)}`);
  const sideways = hit(Math.round(ex), -Math.round(ey));
  assert.ok(away < 0.3 && mirror < 0.3 && sideways < 0.3, `other directions: ${away.toFixed(3)}, ${mirror.toFixed(3)}, ${sideways.toFixed(3)}`);
});
