// Co-registered pan and multispectral scenes (host/sensor/multires.ts), issue 13 §1.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadProfile, type Profile } from "../../../host/profiles/index.ts";
import { multiResScene, panWeights, panProfile, lineTime } from "../../../host/sensor/index.ts";

/** hires-pan-ms narrowed to a few pixels (the geometry per pixel is the profile's). */
function narrow(P = 48, f: (p: Profile) => void = () => {}): Profile {
  const p = structuredClone(loadProfile("hires-pan-ms"));
  p.sensor.pixelsPerLine = P;
  f(p);
  return p;
}

test("[tengri §multires] the bands are the k×k area average of the surface under them; the pan is the passband-weighted sum (reflectance)", () => {
  const p = narrow();
  const k = p.sensor.panchromatic!.ratio, P = p.sensor.pixelsPerLine, B = p.sensor.bands.length;
  const w = panWeights(p);
  assert.ok(Math.abs(w.reduce((a, x) => a + x, 0) - 1) < 1e-12);
  // Pléiades: pan 480–830 nm covers 70 nm of blue, 120 of green and red, 90 of the NIR.
  assert.deepEqual(w.map((x) => Math.round(x * 400)), [70, 120, 120, 90]);
  const src = multiResScene(p, { seed: 7, lines: 6, truth: true, msMtf: 0 });
  assert.equal(src.panPixels, k * P);
  let checked = 0;
  for (let l = src.next(); l; l = src.next()) {
    const t = l.truth!;
    assert.equal(l.pan.length, k);
    assert.equal(l.ms.samples.length, B * P);
    for (const pl of l.pan) assert.equal(pl.samples.length, k * P);
    // With no MTF the bands' reflectance is the area average itself...
    assert.deepEqual(t.msRho, t.msAverage);
    // ...and the k×k average of the pan reflectance is the weighted sum of the band averages.
    for (let i = 0; i < P; i++) {
      let s = 0;
      for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) s += t.panRho[r][i * k + c];
      s /= k * k;
      let e = 0;
      for (let b = 0; b < B; b++) e += w[b] * t.msAverage[b * P + i];
      assert.ok(Math.abs(s - e) < 1e-5, `pixel ${i}: pan average ${s}, bands ${e}`);
      checked++;
    }
  }
  assert.equal(checked, 6 * P);
});

test("[tengri §multires] in DN: the k×k average of the pan, calibrated, matches the weighted bands (no atmosphere, no MTF), within the detectors' noise", () => {
  const p = narrow(64, (q) => { q.sensor.prnuPercent = 0; q.sensor.panchromatic!.prnuPercent = 0; });
  const k = p.sensor.panchromatic!.ratio, P = p.sensor.pixelsPerLine, B = p.sensor.bands.length;
  const w = panWeights(p), pan = p.sensor.panchromatic!.band;
  const src = multiResScene(p, { seed: 11, lines: 8, msMtf: 0, atmosphere: false, cloudFraction: 0.3 });
  // DN → reflectance with each channel's own calibration (the Sun is the same for both: same time tag).
  const refl = (dn: number, b: { gain: number; offset: number; solarIrradiance: number }) => (b.gain * dn + b.offset) / b.solarIrradiance;
  let n = 0, sumErr = 0, maxErr = 0, sxy = 0, sxx = 0, syy = 0, sx = 0, sy = 0;
  for (let l = src.next(); l; l = src.next()) {
    for (let i = 0; i < P; i++) {
      let s = 0;
      for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) s += refl(l.pan[r].samples[i * k + c], pan);
      s /= k * k;
      let e = 0;
      for (let b = 0; b < B; b++) e += w[b] * refl(l.ms.samples[b * P + i], p.sensor.bands[b]);
      const d = Math.abs(s - e) / Math.max(e, 1e-3);
      sumErr += d; maxErr = Math.max(maxErr, d); n++;
      sx += s; sy += e; sxy += s * e; sxx += s * s; syy += e * e;
    }
  }
  const r = (n * sxy - sx * sy) / Math.sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
  assert.ok(r > 0.999, `correlation ${r}`);
  assert.ok(sumErr / n < 0.01, `mean relative difference ${sumErr / n}`);
  assert.ok(maxErr < 0.06, `max relative difference ${maxErr}`);
});

test("[tengri §multires] co-registered in time: pan line k·j carries MS line j's time tag; counters run at their own rates", () => {
  const p = narrow(32);
  const k = p.sensor.panchromatic!.ratio;
  const src = multiResScene(p, { seed: 3, lines: 5 });
  for (let l = src.next(), j = 0; l; l = src.next(), j++) {
    assert.equal(l.ms.counter, j);
    l.pan.forEach((pl, i) => {
      assert.equal(pl.counter, k * j + i);
      const t = lineTime(panProfile(p), k * j + i);
      assert.deepEqual([pl.timeCoarse, pl.timeFine], [t.coarse, t.fine]);
    });
    assert.deepEqual([l.pan[0].timeCoarse, l.pan[0].timeFine], [l.ms.timeCoarse, l.ms.timeFine]);
  }
});

test("[tengri §multires] the bands' own MTF: the blur [a, 1−2a, a] across and along track of the area average; it lowers the bands' contrast", () => {
  const p = narrow(40);
  const P = p.sensor.pixelsPerLine, B = p.sensor.bands.length, a = 0.1;
  const src = multiResScene(p, { seed: 5, lines: 4, truth: true, msMtf: a });
  const avgs: Float32Array[] = [], blurred: Float32Array[] = [];
  for (let l = src.next(); l; l = src.next()) { avgs.push(l.truth!.msAverage); blurred.push(l.truth!.msRho); }
  const at = (j: number, b: number, x: number) => avgs[Math.max(0, Math.min(avgs.length - 1, j))][b * P + Math.max(0, Math.min(P - 1, x))];
  let vAvg = 0, vBlur = 0;
  for (let j = 0; j < avgs.length; j++) for (let b = 0; b < B; b++) for (let x = 0; x < P; x++) {
    const col = (dx: number) => a * at(j - 1, b, x + dx) + (1 - 2 * a) * at(j, b, x + dx) + a * at(j + 1, b, x + dx);
    const want = a * col(-1) + (1 - 2 * a) * col(0) + a * col(1);
    assert.ok(Math.abs(blurred[j][b * P + x] - want) < 1e-5, `line ${j} band ${b} pixel ${x}`);
    if (x > 0) { vAvg += (at(j, b, x) - at(j, b, x - 1)) ** 2; vBlur += (blurred[j][b * P + x] - blurred[j][b * P + x - 1]) ** 2; }
  }
  assert.ok(vBlur < vAvg, `blur ${vBlur} vs ${vAvg}`);
});
