import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, openSync, readSync, closeSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadProfile, validateProfile, PROFILES_DIR, type Profile } from "../../../host/profiles/index.ts";
import {
  syntheticScene, rawCubeScene, lineTime, cucToUnixS, taiMinusUtc, solarGeometry, endMembers, LandCover,
  SceneError, CCSDS_TO_UNIX_S, openScene, cubeGeometry, type SceneSource,
} from "../../../host/sensor/index.ts";

const SHARED = process.env.TENGRI_SHARED ?? join(PROFILES_DIR, "../../shared");
const SALINAS = join(SHARED, "data/hyperspectral/salinasA_bsq_u16le_off16_z224_y83_x86.raw");

function digest(src: SceneSource, lines = Infinity): string {
  const h = createHash("sha256");
  let l, n = 0;
  while (n++ < lines && (l = src.next())) h.update(Buffer.from(l.samples.buffer, l.samples.byteOffset, l.samples.byteLength)).update(`${l.counter},${l.timeCoarse},${l.timeFine};`);
  return h.digest("hex");
}

/** The default profile reshaped: bands (first n of a 4-band cycle), pixels, bit depth. */
function tinyProfile(bands: number, pixels: number, bitDepth = 12): Profile {
  const p = JSON.parse(readFileSync(join(PROFILES_DIR, "default.json"), "utf8"));
  p.sensor.bands = Array.from({ length: bands }, (_, i) => ({ ...p.sensor.bands[i % 4], name: `b${i}` }));
  p.sensor.pixelsPerLine = pixels;
  p.sensor.bitDepth = bitDepth;
  p.products.image.apids = Array.from({ length: bands }, (_, i) => 100 + i);
  return validateProfile(p, "tiny");
}

test("synthetic scene: same seed gives the same lines, another seed different ones", () => {
  const p = loadProfile("default");
  const a = digest(syntheticScene(p, { seed: 42, lines: 24 }));
  const b = digest(syntheticScene(p, { seed: 42, lines: 24 }));
  const c = digest(syntheticScene(p, { seed: 43, lines: 24 }));
  assert.equal(a, b);
  assert.notEqual(a, c);
});

test("synthetic scene: shape, band-interleaved-by-line layout, values within the bit depth for every profile", () => {
  for (const name of ["default", "cubesat-mcu", "eo-5band", "hyperspectral"]) {
    const p = loadProfile(name);
    const s = syntheticScene(p, { seed: 1, lines: 8 });
    assert.equal(s.bands, p.sensor.bands.length);
    assert.equal(s.pixels, p.sensor.pixelsPerLine);
    const max = 2 ** p.sensor.bitDepth - 1;
    let l, count = 0, hi = 0, lo = Infinity;
    while ((l = s.next())) {
      assert.equal(l.samples.length, s.bands * s.pixels);
      for (const v of l.samples) { if (v > hi) hi = v; if (v < lo) lo = v; }
      count++;
    }
    assert.equal(count, 8);
    assert.equal(s.next(), null);
    assert.ok(hi <= max, `${name}: max ${hi} > ${max}`);
    assert.ok(hi - lo > max / 20, `${name}: the scene has contrast (${lo}..${hi})`);
  }
  // A profile with a narrow bit depth saturates and clips to it.
  const p8 = tinyProfile(4, 512, 8);
  const s = syntheticScene(p8, { seed: 3, lines: 64, cloudFraction: 0.5 });
  let l, hi = 0;
  while ((l = s.next())) for (const v of l.samples) hi = Math.max(hi, v);
  assert.ok(hi <= 255);
});

test("synthetic scene: cloud fraction follows the option, clouds are bright and spectrally flat", () => {
  const p = loadProfile("default");
  for (const cf of [0, 0.3]) {
    const s = syntheticScene(p, { seed: 9, lines: 256, cloudFraction: cf, truth: true });
    let l, cloud = 0, all = 0, sumC = [0, 0, 0, 0], sumS = [0, 0, 0, 0], nC = 0, nS = 0;
    while ((l = s.next())) {
      for (let x = 0; x < s.pixels; x += 3) {
        const c = l.cloud![x];
        cloud += c; all++;
        for (let b = 0; b < 4; b++) (c ? sumC : sumS)[b] += l.samples[b * s.pixels + x];
        c ? nC++ : nS++;
      }
    }
    const frac = cloud / all;
    if (cf === 0) assert.equal(cloud, 0);
    else {
      assert.ok(Math.abs(frac - cf) < 0.1, `cloud fraction ${frac.toFixed(3)} for ${cf}`);
      const meanC = sumC.map((v) => v / nC), meanS = sumS.map((v) => v / nS);
      for (let b = 0; b < 4; b++) assert.ok(meanC[b] > 1.5 * meanS[b], `band ${b}: cloud ${meanC[b]} vs clear ${meanS[b]}`);
      // Flat reflectance: radiance per band relative to ESUN·(1/gain) is about the same.
      const refl = meanC.map((dn, b) => (p.sensor.bands[b].gain * dn + p.sensor.bands[b].offset) / p.sensor.bands[b].solarIrradiance);
      assert.ok(Math.max(...refl) / Math.min(...refl) < 1.2, `cloud spectrum flat: ${refl.map((r) => r.toFixed(4))}`);
    }
  }
});

test("synthetic scene: land-cover spectra are plausible at any wavelength", () => {
  const ndvi = (c: LandCover, i: 0 | 1) => { const r = endMembers(c, 665)[i], n = endMembers(c, 842)[i]; return (n - r) / (n + r); };
  assert.ok(ndvi(LandCover.Vegetation, 1) > 0.7, "dense vegetation NDVI");
  assert.ok(ndvi(LandCover.Water, 0) < 0, "water NDVI negative");
  assert.ok(Math.abs(ndvi(LandCover.Urban, 1)) < 0.2, "urban roughly flat");
  for (let l = 400; l <= 1000; l += 5)
    for (const c of Object.values(LandCover))
      for (const r of endMembers(c, l)) assert.ok(r >= 0 && r < 1, `class ${c} at ${l} nm: ${r}`);
});

/** Independent check: the Astronomical Almanac's low-precision Sun (ecliptic longitude, RA/Dec, GMST). */
function almanacSun(utcMs: number, latDeg: number, lonDeg: number): { elevationDeg: number; au: number } {
  const R = Math.PI / 180, n = utcMs / 86400000 - 10957.5; // days since J2000.0 (2000-01-01T12:00 UT)
  const L = 280.46 + 0.9856474 * n, g = (357.528 + 0.9856003 * n) * R;
  const lam = (L + 1.915 * Math.sin(g) + 0.02 * Math.sin(2 * g)) * R, eps = (23.439 - 4e-7 * n) * R;
  const ra = Math.atan2(Math.cos(eps) * Math.sin(lam), Math.cos(lam)), dec = Math.asin(Math.sin(eps) * Math.sin(lam));
  const gmst = (280.46061837 + 360.98564736629 * n) * R;
  const ha = gmst + lonDeg * R - ra, lat = latDeg * R;
  const el = Math.asin(Math.sin(lat) * Math.sin(dec) + Math.cos(lat) * Math.cos(dec) * Math.cos(ha));
  return { elevationDeg: el / R, au: 1.00014 - 0.01671 * Math.cos(g) - 0.00014 * Math.cos(2 * g) };
}

test("solar geometry agrees with an independent almanac formula within 0.3° over a year of places and times", () => {
  let s = 5;
  const rnd = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
  for (let i = 0; i < 500; i++) {
    const t = Date.parse("2026-01-01T00:00:00Z") + rnd() * 365 * 86400000, lat = -70 + 140 * rnd(), lon = -180 + 360 * rnd();
    const a = solarGeometry(t, lat, lon), b = almanacSun(t, lat, lon);
    assert.ok(Math.abs(a.elevationDeg - b.elevationDeg) < 0.3, `${new Date(t).toISOString()} ${lat.toFixed(1)},${lon.toFixed(1)}: ${a.elevationDeg} vs ${b.elevationDeg}`);
    assert.ok(Math.abs(a.earthSunAu - b.au) < 0.001);
  }
});

test("solar geometry: equinox noon at the equator is near zenith; 47°N at 10:30 UTC on the solstice is ~64° elevation", () => {
  const eq = solarGeometry(Date.parse("2026-03-20T12:07:00Z"), 0, 0);
  assert.ok(eq.zenithDeg < 2, `${eq.zenithDeg}`);
  const s = solarGeometry(Date.parse("2026-06-21T10:30:00Z"), 47, 8);
  assert.ok(Math.abs(s.elevationDeg - 63.6) < 1, `${s.elevationDeg}`);
  assert.ok(s.earthSunAu > 1.015 && s.earthSunAu < 1.018);
  assert.ok(solarGeometry(Date.parse("2026-01-03T12:00:00Z"), 0, 0).earthSunAu < 0.984);
});

test("[301.0-B-4 §3.2.1] line time tags: CUC coarse = seconds since 1958-01-01 TAI, fine in 2^-32 s, at the line rate", () => {
  const p = loadProfile("default"); // 875 Hz from 2026-06-21T10:30:00Z
  const t0 = lineTime(p, 0);
  assert.equal(t0.coarse, Date.parse("2026-06-21T10:30:00Z") / 1000 + CCSDS_TO_UNIX_S + 37);
  assert.equal(CCSDS_TO_UNIX_S, 378691200);
  assert.equal(t0.fine, 0);
  assert.deepEqual(lineTime(p, 1), { coarse: t0.coarse, fine: Math.floor(2 ** 32 / 875) });
  assert.deepEqual(lineTime(p, 874), { coarse: t0.coarse, fine: Math.floor((874 / 875) * 2 ** 32) });
  assert.deepEqual(lineTime(p, 875), { coarse: t0.coarse + 1, fine: 0 }); // carry into coarse
  assert.deepEqual(lineTime(p, 876), { coarse: t0.coarse + 1, fine: Math.floor(2 ** 32 / 875) });
  assert.deepEqual(lineTime(p, 875 * 3600), { coarse: t0.coarse + 3600, fine: 0 });
  // Fractional start time carries too.
  const q = structuredClone(p);
  q.pass.startUtc = "2026-06-21T10:30:00.75Z";
  q.sensor.lineRateHz = 4;
  assert.deepEqual(lineTime(q, 1), { coarse: t0.coarse + 1, fine: 0 });
  assert.deepEqual(lineTime(q, 2), { coarse: t0.coarse + 1, fine: 2 ** 30 });
  assert.deepEqual(lineTime(q, 3), { coarse: t0.coarse + 1, fine: 2 ** 31 });
  assert.ok(Math.abs(cucToUnixS(t0.coarse, t0.fine) - Date.parse(p.pass.startUtc) / 1000) < 1e-9);
  assert.equal(taiMinusUtc(Date.parse("2016-12-31T23:59:59Z") / 1000), 36);
  assert.equal(taiMinusUtc(Date.parse("2017-01-01T00:00:00Z") / 1000), 37);
  // Lines from the synthetic scene carry counter and time.
  const s = syntheticScene(p, { seed: 1, lines: 3 });
  for (let n = 0; n < 3; n++) {
    const l = s.next()!;
    assert.equal(l.counter, n);
    assert.deepEqual({ coarse: l.timeCoarse, fine: l.timeFine }, lineTime(p, n));
  }
});

function readU16le(path: string, index: number): number {
  const fd = openSync(path, "r"), b = Buffer.alloc(2);
  readSync(fd, b, 0, 2, index * 2);
  closeSync(fd);
  return b.readUInt16LE(0);
}

test("raw cube: AVIRIS Salinas-A (224×83×86 BSQ u16le) read line by line matches direct reads of the file", (t) => {
  if (!existsSync(SALINAS)) return t.skip(`shared data missing: ${SALINAS}`);
  const p = loadProfile("hyperspectral"); // 120 bands × 1000 pixels, 14-bit
  const s = rawCubeScene(p, { path: SALINAS, bands: 224, lines: 83, pixels: 86, layout: "bsq", sampleType: "u16le" });
  assert.equal(s.lines, 83);
  const bandMap = Array.from({ length: 120 }, (_, i) => Math.round((i * 223) / 119));
  let l, n = 0, checked = 0;
  while ((l = s.next())) {
    for (const [b, x] of [[0, 0], [7, 500], [60, 999], [119, 123], [33, 871]]) {
      const sx = Math.min(85, Math.floor(((x + 0.5) * 86) / 1000));
      assert.equal(l.samples[b * 1000 + x], readU16le(SALINAS, (bandMap[b] * 83 + n) * 86 + sx), `line ${n} band ${b} pixel ${x}`);
      checked++;
    }
    n++;
  }
  assert.equal(n, 83);
  assert.equal(s.clipped, 0);
  assert.ok(checked > 400);
  // An explicit bandMap with pad fitting: pixels past the cube are zero.
  const s2 = rawCubeScene(p, { path: SALINAS, bands: 224, lines: 83, pixels: 86, layout: "bsq", sampleType: "u16le", fit: "pad", bandMap: Array.from({ length: 120 }, (_, i) => 223 - i) });
  s2.next();
  const l1 = s2.next()!;
  assert.equal(l1.samples[0 * 1000 + 85], readU16le(SALINAS, (223 * 83 + 1) * 86 + 85));
  assert.equal(l1.samples[5 * 1000 + 10], readU16le(SALINAS, (218 * 83 + 1) * 86 + 10));
  assert.equal(l1.samples[5 * 1000 + 86], 0);
  s2.close?.();
});

test("raw cube: BSQ, BIL, BIP, big-endian and u8 files of the same data give the same lines", () => {
  const dir = mkdtempSync(join(tmpdir(), "tengri-cube-"));
  try {
    const Z = 3, Y = 5, X = 7;
    const val = (z: number, y: number, x: number) => (z * 1000 + y * 37 + x * 5) % 4096;
    const write = (name: string, order: (f: (z: number, y: number, x: number) => void) => void, bytes: 1 | 2, be = false) => {
      const buf = Buffer.alloc(Z * Y * X * bytes);
      let i = 0;
      order((z, y, x) => {
        const v = bytes === 1 ? val(z, y, x) & 255 : val(z, y, x);
        if (bytes === 1) buf[i++] = v; else { be ? buf.writeUInt16BE(v, i) : buf.writeUInt16LE(v, i); i += 2; }
      });
      writeFileSync(join(dir, name), buf);
      return join(dir, name);
    };
    const bsq = (f: any) => { for (let z = 0; z < Z; z++) for (let y = 0; y < Y; y++) for (let x = 0; x < X; x++) f(z, y, x); };
    const bil = (f: any) => { for (let y = 0; y < Y; y++) for (let z = 0; z < Z; z++) for (let x = 0; x < X; x++) f(z, y, x); };
    const bip = (f: any) => { for (let y = 0; y < Y; y++) for (let x = 0; x < X; x++) for (let z = 0; z < Z; z++) f(z, y, x); };
    const p = tinyProfile(4, X);
    const dims = { bands: Z, lines: Y, pixels: X, bandMap: [2, 0, 1, 1] };
    const ref = rawCubeScene(p, { ...dims, path: write("a.bsq", bsq, 2), layout: "bsq", sampleType: "u16le" });
    const lines: Uint16Array[] = [];
    let l;
    while ((l = ref.next())) lines.push(l.samples);
    assert.equal(lines.length, Y);
    for (let y = 0; y < Y; y++) for (let b = 0; b < 4; b++) for (let x = 0; x < X; x++) assert.equal(lines[y][b * X + x], val(dims.bandMap[b], y, x));
    const variants: [string, any, 1 | 2, boolean, "bsq" | "bil" | "bip", "u16le" | "u16be" | "u8"][] = [
      ["b.bil", bil, 2, false, "bil", "u16le"], ["c.bip", bip, 2, false, "bip", "u16le"],
      ["d.bsq", bsq, 2, true, "bsq", "u16be"], ["e.bil", bil, 2, true, "bil", "u16be"], ["f.bip", bip, 2, true, "bip", "u16be"],
    ];
    for (const [name, order, bytes, be, layout, sampleType] of variants) {
      const s = rawCubeScene(p, { ...dims, path: write(name, order, bytes, be), layout, sampleType });
      for (let y = 0; y < Y; y++) assert.deepEqual(s.next()!.samples, lines[y], `${name} line ${y}`);
      assert.equal(s.next(), null);
    }
    const u8 = rawCubeScene(p, { ...dims, path: write("g.bip", bip, 1), layout: "bip", sampleType: "u8" });
    const first = u8.next()!;
    for (let b = 0; b < 4; b++) for (let x = 0; x < X; x++) assert.equal(first.samples[b * X + x], val(dims.bandMap[b], 0, x) & 255);
    u8.close?.();

    // Nearest resampling to a wider line, repeatLines cycling, clipping above the bit depth counted.
    const wide = tinyProfile(4, 3 * X, 10);
    const r = rawCubeScene(wide, { ...dims, path: join(dir, "a.bsq"), layout: "bsq", sampleType: "u16le", repeatLines: 12 });
    assert.equal(r.lines, 12);
    const got = [];
    while ((l = r.next())) got.push(l);
    assert.equal(got.length, 12);
    assert.deepEqual(got.map((g) => g.counter), [...Array(12).keys()]);
    assert.deepEqual(got[7].samples, got[2].samples);
    assert.notDeepEqual(got[1].samples, got[2].samples);
    assert.equal(got[11].timeCoarse * 2 ** 32 + got[11].timeFine > got[10].timeCoarse * 2 ** 32 + got[10].timeFine, true);
    for (let x = 0; x < 3 * X; x++) assert.equal(got[0].samples[x], Math.min(1023, val(2, 0, Math.floor(x / 3))));
    let over = 0;
    for (let k = 0; k < 12; k++) for (let b = 0; b < 4; b++) for (let x = 0; x < 3 * X; x++) if (val(dims.bandMap[b], k % Y, Math.floor(x / 3)) > 1023) over++;
    assert.ok(over > 0);
    assert.equal(r.clipped, over);

    // Bad inputs: typed errors naming the field.
    const bad = (o: any, field: string) => assert.throws(() => rawCubeScene(p, { ...dims, layout: "bsq", sampleType: "u16le", path: join(dir, "a.bsq"), ...o }), (e: unknown) => e instanceof SceneError && e.field === field);
    bad({ lines: Y + 1 }, "size");
    bad({ sampleType: "u8" }, "size");
    bad({ path: join(dir, "missing.raw") }, "path");
    bad({ bandMap: [0, 1, 2] }, "bandMap");
    bad({ bandMap: [0, 1, 2, 3] }, "bandMap[3]");
    bad({ bandMap: undefined }, "bands"); // 3 cube bands, 4 profile bands, no map
    bad({ layout: "bsx" }, "layout");
    bad({ pixels: 0 }, "pixels");
    assert.throws(() => syntheticScene(p, { seed: 1, lines: -1 }), SceneError);
    assert.throws(() => syntheticScene(p, { seed: 1, lines: 5, cloudFraction: 2 }), SceneError);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("openScene: synthetic by default; raw cubes take their geometry from the file name or a sidecar JSON", (t) => {
  const p = loadProfile("default");
  const syn = openScene(p, { seed: 5, lines: 3 });
  assert.equal(syn.lines, 3);
  assert.deepEqual(cubeGeometry("/x/salinasA_bsq_u16le_off16_z224_y83_x86.raw"), { layout: "bsq", sampleType: "u16le", bands: 224, lines: 83, pixels: 86 });
  const L8 = join(SHARED, "data/landsat8/landsat8_LC80460282016177_b234_crop_bsq_u16le_z3_y1024_x1024.raw");
  const TILE = join(SHARED, "data/cloud/l8_38cloud_p192_002053_20160520.u16");
  if (!existsSync(L8) || !existsSync(TILE)) return t.skip(`shared data missing under ${SHARED}/data`);
  // Landsat 8 blue/green/red (16-bit DN) into the 4-band 12-bit profile: NIR slot repeats red, DN >> 4.
  const s = openScene(p, { scene: L8, lines: 1500, bandMap: [0, 1, 2, 2], rightShift: 4 });
  assert.equal(s.lines, 1500);
  const l0 = s.next()!;
  const fd = openSync(L8, "r"), b = Buffer.alloc(2);
  readSync(fd, b, 0, 2, (2 * 1024 * 1024 + 0 * 1024 + 5) * 2); // red, line 0, pixel 5
  closeSync(fd);
  // 1024 → 4096 pixels nearest: output pixel x takes cube pixel floor((x + 0.5)/4).
  assert.equal(l0.samples[2 * 4096 + 20], b.readUInt16LE(0) >>> 4);
  assert.equal(l0.samples[3 * 4096 + 20], l0.samples[2 * 4096 + 20]);
  s.close?.();
  // Cloud tile: geometry from the sidecar JSON (384 × 384, 4 bands BSQ u16le).
  assert.deepEqual(cubeGeometry(TILE), { bands: 4, lines: 384, pixels: 384, layout: "bsq", sampleType: "u16le" });
  const c = openScene(p, { scene: TILE, rightShift: 4 });
  assert.equal(c.lines, 384);
  let n = 0;
  while (c.next()) n++;
  assert.equal(n, 384);
  assert.throws(() => openScene(p, { scene: join(SHARED, "data/README.md") }), SceneError);
});

test("fuzz: raw cube options against files of random sizes give lines or a SceneError, never a crash", () => {
  const dir = mkdtempSync(join(tmpdir(), "tengri-cfuzz-"));
  try {
    let s = 777;
    const rnd = (n: number) => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s % n; };
    const p = tinyProfile(4, 9);
    const odd = [0, -1, 1.5, NaN, 1, 2, 3, 4, 5, 9, 64];
    let ok = 0, refused = 0;
    for (let i = 0; i < 300; i++) {
      const path = join(dir, `f${i % 7}.raw`);
      const pickDim = () => (rnd(4) === 0 ? odd[rnd(odd.length)] : 1 + rnd(6));
      const o: any = {
        path, bands: pickDim(), lines: pickDim(), pixels: pickDim(),
        layout: ["bsq", "bil", "bip", "xyz"][rnd(4)], sampleType: ["u16le", "u16be", "u8", "f32"][rnd(4)],
      };
      const exact = o.bands * o.lines * o.pixels * (o.sampleType === "u8" ? 1 : 2);
      const size = rnd(2) === 0 && Number.isInteger(exact) && exact > 0 ? exact : rnd(400);
      writeFileSync(path, Buffer.from(Array.from({ length: size }, () => rnd(256))));
      if (rnd(3) === 0) o.bandMap = Array.from({ length: rnd(6) }, () => rnd(8) - 1);
      if (rnd(4) === 0) o.repeatLines = odd[rnd(odd.length)];
      if (rnd(4) === 0) o.rightShift = odd[rnd(odd.length)];
      try {
        const src = rawCubeScene(p, o);
        let l, n = 0;
        while ((l = src.next())) { assert.equal(l.samples.length, 4 * 9); n++; }
        assert.equal(n, src.lines);
        ok++;
      } catch (e) {
        assert.ok(e instanceof SceneError, `case ${i}: ${e}`);
        refused++;
      }
    }
    assert.ok(refused > 50 && ok > 20, `${ok} ok, ${refused} refused`);
  } finally {
    rmSync(dir, { recursive: true });
  }
});
