// CCSDS 123 in the flight pipeline, end to end: segments of N lines × all bands compressed by
// the flight image, decoded by the independent ground decompressor, checked against the imager.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runPass } from "../../host/pass.ts";
import { loadProfile, validateProfile, type Profile } from "../../host/profiles/index.ts";

test("[123.0-B-2 §5.3] the hyperspectral profile (CCSDS 123 by default), BER 0 and 1e-4: every line bit-exact; a short last segment is padded and trimmed", async () => {
  for (const ber of [0, 1e-4]) {
    const s = await runPass({ profile: "hyperspectral", lines: 80, seed: 51, ber });
    assert.equal(s.mode, "ccsds123");
    assert.equal(s.verified, true, `BER ${ber}`);
    assert.equal(s.image.unitsDecoded, 2);            // 64 + 16 lines
    if (ber) assert.ok(s.ground.rsSymbolsCorrected > 0);
  }
});

test("[123.0-B-2 §4.8.2] near-lossless segments (absolute error 4, hybrid coder): every sample within its limit", async () => {
  const p = structuredClone(loadProfile("hyperspectral"));
  p.products.image.ccsds123 = { segmentLines: 32, coder: "hybrid", maxAbsError: 4 };
  const s = await runPass({ profile: p, lines: 40, seed: 52 });
  assert.equal(s.verified, true);
  assert.ok(s.image.maxDegradedError > 0 && s.image.maxDegradedError <= 4, `max error ${s.image.maxDegradedError}`);
});

test("[123.0-B-2 §5.3] dropped CADUs cost only the segments whose packets they carried", async () => {
  const p = structuredClone(loadProfile("hyperspectral"));
  p.products.image.ccsds123 = { segmentLines: 16 };
  const dataCadus: number[] = [];
  await runPass({ profile: p, lines: 64, seed: 53, observers: [{ frame(f) { if (f.vcid === p.products.image.vcid && !f.idle) dataCadus.push(f.cadu); } }] });
  const k = dataCadus[Math.floor(dataCadus.length / 3)];
  const s = await runPass({ profile: p, lines: 64, seed: 53, dropCadus: [k] });
  assert.ok(s.image.unitsLost >= 1 && s.image.unitsLost <= 2, `${s.image.unitsLost} segments lost`);
  assert.equal(s.image.unitsDecoded + s.image.unitsLost, 4);
  assert.equal(s.image.linesMismatch, 0);
  assert.equal(s.image.linesExact, 64 - 16 * s.image.unitsLost);
});

const shared = process.env.TENGRI_SHARED ?? fileURLToPath(new URL("../../../shared", import.meta.url));
const salinas = join(shared, "data/hyperspectral/salinasA_bsq_u16le_off16_z224_y83_x86.raw");

function salinasProfile(o: Record<string, unknown>): Profile {
  const p = structuredClone(loadProfile("hyperspectral"));
  const b0 = p.sensor.bands[0];
  p.sensor.bands = Array.from({ length: 224 }, (_, i) => ({ ...b0, name: `b${i}`, centreNm: 400 + i * 10 }));
  p.products.image.apids = Array.from({ length: 224 }, (_, i) => 300 + i);   // clear of the PUS report APID (192)
  p.sensor.pixelsPerLine = 86;
  p.sensor.bitDepth = 16;
  p.products.image.ccsds123 = { segmentLines: 83, ...o };
  return validateProfile(JSON.parse(JSON.stringify(p)));
}

test("[123.0-B-2 §4] Salinas-A through the flight image as one segment matches the reference bit rates (lossless and near-lossless)", { skip: existsSync(salinas) ? false : `no Salinas-A cube at ${salinas} (set TENGRI_SHARED); CI has it` }, async () => {
  const cases: [Record<string, unknown>, number][] = [
    [{}, 4.846], [{ localSum: "wide-column" }, 4.724], [{ coder: "hybrid" }, 4.845], [{ coder: "hybrid", maxAbsError: 4 }, 1.772],
  ];
  for (const [o, ref] of cases) {
    const s = await runPass({ profile: salinasProfile(o), scene: salinas, lines: 83 });
    const bits = s.image.compression.reduce((a, c) => a + c.codedBits, 0) / (83 * 86 * 224);
    assert.ok(Math.abs(bits - ref) <= 0.005, `${JSON.stringify(o)}: ${bits.toFixed(4)} bits/sample vs ${ref}`);
    assert.equal(s.verified, true, JSON.stringify(o));
  }
});
