// Scene file readers: ENVI (header + data), GeoTIFF (through the geotiff package, on files written
// here from the TIFF 6.0 layout) and raw cubes give the same lines for the same data; band mapping
// by wavelength; pixel fitting (nearest, area); malformed files are SceneErrors naming the field.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateProfile, PROFILES_DIR, type Profile } from "../../../host/profiles/index.ts";
import {
  rawCubeScene, enviScene, geoTiffScene, openScene, parseEnviHeader, makeResampler, nearestWavelengthMap, SceneError, type SceneSource,
} from "../../../host/sensor/index.ts";
import { writeTiff } from "./tiff-writer.ts";

function profile(pixels: number, bitDepth = 12): Profile {
  const p = JSON.parse(readFileSync(join(PROFILES_DIR, "default.json"), "utf8"));
  p.sensor.pixelsPerLine = pixels;
  p.sensor.bitDepth = bitDepth;
  return validateProfile(p, "formats");
}

function lines(s: SceneSource): Uint16Array[] {
  const out: Uint16Array[] = [];
  let l;
  while ((l = s.next())) out.push(l.samples);
  s.close?.();
  return out;
}

const Z = 6, Y = 37, X = 23; // odd sizes: partial strips and tiles
const val = (z: number, y: number, x: number) => (z * 613 + y * 41 + x * 7 + ((x * y) % 13)) % 4096;
const WL_UM = [0.443, 0.49, 0.56, 0.665, 0.705, 0.842]; // file band centres; the profile wants 490, 560, 665, 842 nm
const WANT = [1, 2, 3, 5];

function rawBytes(order: "bsq" | "bil" | "bip", bytes: 1 | 2, be: boolean, signed = false): Buffer {
  const buf = Buffer.alloc(Z * Y * X * bytes);
  let i = 0;
  const put = (z: number, y: number, x: number) => {
    let v = val(z, y, x);
    if (bytes === 1) { buf[i++] = v & 255; return; }
    if (signed && x === 0) v = -v - 1; // negative samples in column 0
    if (signed) be ? buf.writeInt16BE(v, i) : buf.writeInt16LE(v, i);
    else be ? buf.writeUInt16BE(v, i) : buf.writeUInt16LE(v, i);
    i += 2;
  };
  if (order === "bsq") for (let z = 0; z < Z; z++) for (let y = 0; y < Y; y++) for (let x = 0; x < X; x++) put(z, y, x);
  if (order === "bil") for (let y = 0; y < Y; y++) for (let z = 0; z < Z; z++) for (let x = 0; x < X; x++) put(z, y, x);
  if (order === "bip") for (let y = 0; y < Y; y++) for (let x = 0; x < X; x++) for (let z = 0; z < Z; z++) put(z, y, x);
  return buf;
}

function enviHeader(o: { interleave: string; dataType: number; byteOrder: number; offset?: number; extra?: string }): string {
  return [
    "ENVI", "description = {test cube,", "  written by the reader test}", `samples = ${X}`, `lines   = ${Y}`, `bands = ${Z}`,
    `header offset = ${o.offset ?? 0}`, "file type = ENVI Standard", `data type = ${o.dataType}`, `interleave = ${o.interleave}`,
    `byte order = ${o.byteOrder}`, "wavelength units = Micrometers", `wavelength = {${WL_UM.slice(0, 3).join(", ")},`, ` ${WL_UM.slice(3).join(" , ")}}`,
    o.extra ?? "", "",
  ].join("\n");
}

test("ENVI: every interleave, byte order, data type and header offset gives the raw cube's lines, bands mapped by nearest wavelength", () => {
  const dir = mkdtempSync(join(tmpdir(), "tengri-envi-"));
  try {
    const p = profile(X);
    writeFileSync(join(dir, "ref.raw"), rawBytes("bsq", 2, false));
    const ref = lines(rawCubeScene(p, { path: join(dir, "ref.raw"), bands: Z, lines: Y, pixels: X, layout: "bsq", sampleType: "u16le", bandMap: WANT }));
    assert.equal(ref.length, Y);
    for (let y = 0; y < Y; y += 5) for (let b = 0; b < 4; b++) for (let x = 0; x < X; x++) assert.equal(ref[y][b * X + x], val(WANT[b], y, x));
    let k = 0;
    for (const interleave of ["bsq", "bil", "bip"] as const) {
      for (const byteOrder of [0, 1]) {
        for (const offset of [0, 512]) {
          const name = join(dir, `c${k++}`);
          const data = rawBytes(interleave, 2, byteOrder === 1);
          writeFileSync(name + ".img", Buffer.concat([Buffer.alloc(offset, 0xaa), data]));
          writeFileSync(name + ".hdr", enviHeader({ interleave: interleave.toUpperCase(), dataType: 12, byteOrder, offset }));
          // Opened by header or by data file, through openScene too.
          assert.deepEqual(lines(enviScene(p, { path: name + ".hdr" })), ref, `${interleave} order ${byteOrder} offset ${offset}`);
          assert.deepEqual(lines(openScene(p, { scene: name + ".img" })), ref);
        }
      }
    }
    // A profile whose pass cannot be flown is refused whatever the source.
    const unflyable = JSON.parse(JSON.stringify(p));
    unflyable.spacecraft.groundSpeedMps = 2000; unflyable.sensor.lineRateHz = 250;
    assert.throws(() => openScene(unflyable, { scene: join(dir, "c0.hdr") }), (e: unknown) => e instanceof SceneError && e.field === "spacecraft.groundSpeedMps");
    // Data type 2 (signed 16-bit): negative samples clip to 0 and are counted.
    writeFileSync(join(dir, "s.bil"), rawBytes("bil", 2, true, true));
    writeFileSync(join(dir, "s.hdr"), enviHeader({ interleave: "bil", dataType: 2, byteOrder: 1 }));
    const sgn = enviScene(p, { path: join(dir, "s.hdr") });
    const got = lines(sgn);
    for (let y = 0; y < Y; y++) for (let b = 0; b < 4; b++) for (let x = 0; x < X; x++) assert.equal(got[y][b * X + x], x === 0 ? 0 : ref[y][b * X + x]);
    assert.equal(sgn.clipped, Y * 4);
    // Data type 1 (u8).
    writeFileSync(join(dir, "u.bip"), rawBytes("bip", 1, false));
    writeFileSync(join(dir, "u.hdr"), enviHeader({ interleave: "bip", dataType: 1, byteOrder: 0 }));
    const u8 = lines(enviScene(p, { path: join(dir, "u.bip") }));
    assert.equal(u8[3][2 * X + 4], val(WANT[2], 3, 4) & 255);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("ENVI: malformed headers and data are SceneErrors naming the field", () => {
  const dir = mkdtempSync(join(tmpdir(), "tengri-envibad-"));
  try {
    const p = profile(X);
    writeFileSync(join(dir, "c.img"), rawBytes("bsq", 2, false));
    const bad = (hdr: string, field: string) => {
      writeFileSync(join(dir, "c.hdr"), hdr);
      assert.throws(() => enviScene(p, { path: join(dir, "c.hdr") }), (e: unknown) => e instanceof SceneError && e.field === field, `${field}: ${hdr.slice(0, 60)}`);
    };
    const good = enviHeader({ interleave: "bsq", dataType: 12, byteOrder: 0 });
    bad(good.replace("ENVI", "IDL"), "header.magic");
    bad(good.replace(`samples = ${X}`, ""), "header.samples");
    bad(good.replace(`lines   = ${Y}`, "lines = 3x"), "header.lines");
    bad(good.replace(`bands = ${Z}`, "bands = 0"), "header.bands");
    bad(good.replace("data type = 12", "data type = 4"), "header.data type");
    bad(good.replace("interleave = bsq", "interleave = bsx"), "header.interleave");
    bad(good.replace("byte order = 0", "byte order = 2"), "header.byte order");
    bad(good.replace("0.842}", "0.842"), "header.wavelength"); // unterminated { … }
    bad(good.replace("0.443, ", ""), "header.wavelength");
    bad(good.replace("Micrometers", "furlongs"), "header.wavelength units");
    bad(good + "this line has no equals sign\n", "header.syntax");
    bad(good.replace(`lines   = ${Y}`, `lines = ${Y + 1}`), "size");
    bad(good.replace("data type = 12", "data type = 1"), "size");
    bad(good.replace("header offset = 0", "header offset = 8"), "size");
    assert.throws(() => enviScene(p, { path: join(dir, "nothing.hdr") }), (e: unknown) => e instanceof SceneError && e.field === "path");
    // Fuzz: truncations and byte flips of a good header give a cube or a SceneError.
    let s = 99;
    const rnd = (n: number) => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s % n; };
    for (let i = 0; i < 300; i++) {
      const b = Buffer.from(good, "latin1");
      const cut = rnd(3) === 0 ? b.subarray(0, rnd(b.length)) : b;
      for (let k = 0; k < 1 + rnd(4); k++) cut[rnd(cut.length || 1)] = rnd(256);
      writeFileSync(join(dir, "c.hdr"), cut);
      try { lines(enviScene(p, { path: join(dir, "c.hdr") })); } catch (e) { assert.ok(e instanceof SceneError, `case ${i}: ${e}`); }
    }
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("GeoTIFF: strips and tiles, chunky and planar, 8/16-bit, both byte orders, Deflate: the same lines as the raw cube", () => {
  const dir = mkdtempSync(join(tmpdir(), "tengri-tiff-"));
  try {
    const p = profile(X);
    writeFileSync(join(dir, "ref.raw"), rawBytes("bsq", 2, false));
    const ref = lines(rawCubeScene(p, { path: join(dir, "ref.raw"), bands: Z, lines: Y, pixels: X, layout: "bsq", sampleType: "u16le", bandMap: WANT }));
    const cases = [
      { planar: 1, rowsPerStrip: 5 }, { planar: 2, rowsPerStrip: 1 }, { planar: 1, tile: 16 }, { planar: 2, tile: 16, bigEndian: true },
      { planar: 1, rowsPerStrip: 8, deflate: true, bigEndian: true }, { planar: 2, tile: 32, deflate: true },
    ] as const;
    cases.forEach((c, i) => {
      const f = join(dir, `t${i}.tif`);
      writeFileSync(f, writeTiff({ width: X, height: Y, bands: Z, bits: 16, value: val, ...c }));
      // Band mapping by wavelength (GeoTIFF has no wavelength tag: given as an option), small blocks to cross block borders.
      const s = geoTiffScene(p, { path: f, wavelengthsNm: WL_UM.map((w) => w * 1000), blockLines: 7 });
      assert.equal(s.meta.planarConfiguration, c.planar);
      assert.deepEqual(lines(s), ref, JSON.stringify(c));
      assert.deepEqual(lines(openScene(p, { scene: f, bandMap: WANT })), ref);
    });
    // 8-bit.
    const f8 = join(dir, "u8.tiff");
    writeFileSync(f8, writeTiff({ width: X, height: Y, bands: Z, bits: 8, planar: 1, tile: 16, value: (z, y, x) => val(z, y, x) & 255 }));
    const l8 = lines(geoTiffScene(p, { path: f8, bandMap: WANT }));
    for (let y = 0; y < Y; y += 3) for (let b = 0; b < 4; b++) for (let x = 0; x < X; x++) assert.equal(l8[y][b * X + x], val(WANT[b], y, x) & 255);
    // Longer passes cycle the file; lines carry counters.
    const rep = geoTiffScene(p, { path: join(dir, "t0.tif"), bandMap: WANT, repeatLines: Y + 3 });
    const rl = lines(rep);
    assert.equal(rl.length, Y + 3);
    assert.deepEqual(rl[Y + 2], ref[2]);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("GeoTIFF: unsupported layouts and broken files are SceneErrors naming the tag or field", () => {
  const dir = mkdtempSync(join(tmpdir(), "tengri-tiffbad-"));
  try {
    const p = profile(X);
    const bad = (name: string, data: Buffer, field: string, o: object = {}) => {
      writeFileSync(join(dir, name), data);
      assert.throws(() => lines(geoTiffScene(p, { path: join(dir, name), ...o })), (e: unknown) => e instanceof SceneError && e.field === field, `${name}: ${field}`);
    };
    bad("f32.tif", writeTiff({ width: 8, height: 4, bands: 4, bits: 32, planar: 1, sampleFormat: 3, value: () => 0.5 }), "geotiff.BitsPerSample");
    bad("s16.tif", writeTiff({ width: 8, height: 4, bands: 4, bits: 16, planar: 1, sampleFormat: 2, value: () => 5 }), "geotiff.SampleFormat");
    bad("garbage.tif", Buffer.from("this is not a TIFF file at all, just text"), "geotiff");
    bad("empty.tif", Buffer.alloc(0), "geotiff");
    bad("two.tif", writeTiff({ width: 8, height: 4, bands: 2, bits: 16, planar: 1, value: () => 5 }), "bands");
    bad("map.tif", writeTiff({ width: 8, height: 4, bands: 4, bits: 16, planar: 1, value: () => 5 }), "bandMap[1]", { bandMap: [0, 9, 1, 2] });
    // A truncated file: the header parses, the strip data are missing.
    const whole = writeTiff({ width: 64, height: 64, bands: 4, bits: 16, planar: 1, rowsPerStrip: 64, value: val });
    const cut = Buffer.from(whole.subarray(0, 400));
    writeFileSync(join(dir, "cut.tif"), cut);
    assert.throws(() => lines(geoTiffScene(profile(64), { path: join(dir, "cut.tif") })), (e: unknown) => e instanceof SceneError && e.field === "geotiff.StripOffsets");
    assert.throws(() => geoTiffScene(p, { path: join(dir, "missing.tif") }), (e: unknown) => e instanceof SceneError && e.field === "path");
    // Fuzz: byte flips in the header and IFD of a good file give lines or a SceneError, never a crash or hang.
    const good = writeTiff({ width: 16, height: 9, bands: 4, bits: 16, planar: 2, rowsPerStrip: 4, value: val });
    let s = 4242;
    const rnd = (n: number) => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s % n; };
    let ok = 0, refused = 0;
    for (let i = 0; i < 24; i++) {
      const b = Buffer.from(good);
      for (let k = 0; k < 1 + rnd(3); k++) b[rnd(Math.min(b.length, 260))] = rnd(256);
      writeFileSync(join(dir, "fz.tif"), b);
      try { lines(geoTiffScene(profile(16), { path: join(dir, "fz.tif") })); ok++; } catch (e) { assert.ok(e instanceof SceneError, `case ${i}: ${e}`); refused++; }
    }
    assert.ok(refused > 0, `no mutated header was refused (${ok} read): the hostile cases did not reach the checks`);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("pixel fitting: nearest, area average and pad against hand-computed lines; wavelength map picks the nearest band", () => {
  const src = [10, 20, 30, 40, 50, 60];
  const run = (P: number, fit: "nearest" | "area" | "pad") => { const o = new Uint16Array(P); makeResampler(6, P, fit).run(src, 0, 1, o, 0, 4095); return Array.from(o); };
  assert.deepEqual(run(3, "area"), [15, 35, 55]);
  assert.deepEqual(run(4, "area"), [Math.round((10 + 20 * 0.5) / 1.5), Math.round((20 * 0.5 + 30) / 1.5), Math.round((40 + 50 * 0.5) / 1.5), Math.round((50 * 0.5 + 60) / 1.5)]);
  assert.deepEqual(run(3, "nearest"), [20, 40, 60]);
  assert.deepEqual(run(12, "nearest"), [10, 10, 20, 20, 30, 30, 40, 40, 50, 50, 60, 60]);
  assert.deepEqual(run(12, "area"), [10, 10, 20, 20, 30, 30, 40, 40, 50, 50, 60, 60]);
  assert.deepEqual(run(8, "pad"), [10, 20, 30, 40, 50, 60, 0, 0]);
  assert.deepEqual(nearestWavelengthMap([443, 490, 560, 665, 705, 842], [490, 560, 665, 842]), [1, 2, 3, 5]);
  assert.deepEqual(nearestWavelengthMap([400, 500, 600], [449, 451, 1000]), [0, 1, 2]);
  // Area fitting of a 2× wider raw cube: each output pixel is the mean of two.
  const dir = mkdtempSync(join(tmpdir(), "tengri-fit-"));
  try {
    const p = profile(X);
    const buf = Buffer.alloc(4 * 2 * 2 * X * 2);
    for (let i = 0; i < buf.length / 2; i++) buf.writeUInt16LE(i % 977, 2 * i);
    writeFileSync(join(dir, "w.raw"), buf);
    const l = lines(rawCubeScene(p, { path: join(dir, "w.raw"), bands: 4, lines: 2, pixels: 2 * X, layout: "bil", sampleType: "u16le", fit: "area" }));
    for (let b = 0; b < 4; b++) for (let x = 0; x < X; x++) {
      const i = (1 * 4 + b) * 2 * X + 2 * x;
      assert.equal(l[1][b * X + x], Math.round(((i % 977) + ((i + 1) % 977)) / 2));
    }
  } finally {
    rmSync(dir, { recursive: true });
  }
  assert.equal(parseEnviHeader("ENVI\nsamples=2\nlines=1\nbands=1\ndata type=12\ninterleave=bsq\nwavelength={500}\n").wavelengthsNm![0], 500);
});
