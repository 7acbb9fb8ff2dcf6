// CCSDS 121 in the flight pipeline, end to end: the flight encoder's units decoded by the
// independent ground decoder (host/ground/aec121-decoder.ts), line by line against the imager.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runPass } from "../../host/pass.ts";
import { loadProfile, type Profile } from "../../host/profiles/index.ts";

function aecProfile(name: string, o: Record<string, unknown> = {}): Profile {
  const p = structuredClone(loadProfile(name));
  p.products.image.compression = "ccsds121";
  p.products.image.ccsds121 = { blockSize: 16, rsi: 128, unitLines: 16, unitPixels: 0, ...o };
  p.products.image.screening = { enabled: false };
  return p;
}

test("[121.0-B-3 §5] default profile in CCSDS 121 mode, BER 0: every line bit-exact, compression reported per band", async () => {
  const s = await runPass({ profile: aecProfile("default"), lines: 64, seed: 31 });
  assert.equal(s.verified, true);
  assert.equal(s.image.unitsLost, 0);
  assert.equal(s.image.unitsDecoded, 4 * 4);
  assert.equal(s.image.compression.length, 4);
  for (const c of s.image.compression) assert.ok(c.ratio > 1.2 && c.ratio < 12, `band ${c.band} ratio ${c.ratio}`);
});

test("[121.0-B-3 §4.3] BER 1e-4 with units cut into 512-pixel columns: bit-exact", async () => {
  const s = await runPass({ profile: aecProfile("default", { unitPixels: 512, blockSize: 32, rsi: 64 }), lines: 40, seed: 32, ber: 1e-4 });
  assert.ok(s.ground.rsSymbolsCorrected > 0);
  assert.equal(s.verified, true);
  assert.equal(s.image.unitsDecoded, 4 * 8 * 3);
});

test("[121.0-B-3 §4.3] dropped CADUs lose exactly the units whose packets they carried; every other line is exact", async () => {
  const p = aecProfile("default");
  p.link.downlinkBitRate = 50_000_000;        // a saturated link: frames leave only when full, so every image frame carries unit data
  const clean = await runPass({ profile: p, lines: 64, seed: 33 });
  assert.equal(clean.verified, true);
  const s = await runPass({ profile: p, lines: 64, seed: 33, dropCadus: [40, 200] });
  assert.equal(s.link.dropped, 2);
  assert.ok(s.image.unitsLost >= 2 && s.image.unitsLost <= 4, `${s.image.unitsLost} units lost`);
  // Every lost band line belongs to a lost unit (16 lines of one band), and nothing else is lost.
  assert.equal(s.image.bandLinesLost, s.image.unitsLost * 16);
  const lostBandLines = new Set(s.image.lostLines.flatMap((l) => l.bands.map((b) => `${b}:${Math.floor(l.line / 16)}`)));
  assert.equal(lostBandLines.size, s.image.unitsLost);
  assert.equal(s.image.linesMismatch, 0);
  assert.equal(s.image.linesExact + s.image.linesPartial + s.image.linesMissing, 64);
});

test("[121.0-B-3 §5.1.2] segmented units on a small-packet profile (cubesat-mcu) and an AOS profile (eo-5band): bit-exact", async () => {
  const a = await runPass({ profile: aecProfile("cubesat-mcu"), lines: 32, seed: 34, ber: 1e-5 });
  assert.equal(a.verified, true);
  const b = await runPass({ profile: aecProfile("eo-5band", { unitPixels: 3000 }), lines: 16, seed: 35 });
  assert.equal(b.verified, true);
});

const shared = process.env.TENGRI_SHARED ?? fileURLToPath(new URL("../../../shared", import.meta.url));
const landsat = join(shared, "data/landsat8/landsat8_LC80460282016177_b234_crop_bsq_u16le_z3_y1024_x1024.raw");

test("[121.0-B-3 §5] real Landsat 8 data through the flight image in CCSDS 121 mode: bit-exact", { skip: existsSync(landsat) ? false : `no Landsat 8 crop at ${landsat} (set TENGRI_SHARED); CI has it` }, async () => {
  const p = aecProfile("default");
  p.sensor.bitDepth = 16;                     // L1 DN up to 57177
  p.sensor.pixelsPerLine = 1024;
  p.sensor.bands = p.sensor.bands.slice(0, 3);
  p.products.image.apids = p.products.image.apids.slice(0, 3);
  const s = await runPass({ profile: p, scene: landsat, lines: 128, seed: 1 });
  assert.equal(s.verified, true);
  for (const c of s.image.compression) assert.ok(c.ratio > 1.1, `band ${c.band} ratio ${c.ratio}`);
});
