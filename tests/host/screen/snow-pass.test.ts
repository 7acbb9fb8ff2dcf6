// Issue 14 end to end: a winter pass over clear snow through the whole flight image and the
// ground. Snow is "bright, not cloud": no tile is dropped, the class mask and the tile statistics
// carry the class and agree; when the link is short the snow tiles are degraded, never dropped.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runPass } from "../../../host/pass.ts";
import { loadProfile, type Profile } from "../../../host/profiles/index.ts";
import { loadFlightLib } from "../../../host/obc/lib.ts";

/** A 4-band BIL cube of clear snow (TOA ρ 0.84 / 0.72 / 0.77 / 0.82, the L8 Biome snow patch) in the default profile's DN at its pass geometry. */
function snowCube(p: Profile, dir: string, W = 256, H = 64): string {
  const e = loadFlightLib().exports;
  const t = new Date(p.pass.startUtc);
  const doy = Math.floor((t.getTime() - Date.UTC(t.getUTCFullYear(), 0, 1)) / 86400000) + 1;
  const elev = e.screenSolarElevationDeg(doy, (t.getTime() % 86400000) / 1000, p.pass.startLatDeg, p.pass.startLonDeg);
  const d = e.screenEarthSunDistanceAu(doy);
  const rho = [0.84, 0.72, 0.77, 0.82];
  const dn = p.sensor.bands.map((b, i) => Math.round(((rho[i] * b.solarIrradiance * Math.sin((elev * Math.PI) / 180)) / (Math.PI * d * d) - b.offset) / b.gain));
  assert.ok(dn.every((v) => v > 0 && v < 4000), `snow DNs ${dn} fit 12 bits`);
  const cube = new Uint16Array(4 * W * H);
  let seed = 3;
  for (let y = 0; y < H; y++) for (let b = 0; b < 4; b++) for (let x = 0; x < W; x++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    cube[(y * 4 + b) * W + x] = dn[b] + ((seed >>> 16) & 7);
  }
  const path = join(dir, `snow_bil_u16le_z4_y${H}_x${W}.raw`);
  writeFileSync(path, new Uint8Array(cube.buffer));
  return path;
}

function profile(bitRate?: number): Profile {
  const p = structuredClone(loadProfile("default"));
  p.products.image.compression = "ccsds121";
  p.products.image.screening = { enabled: true, tileSize: 64, degradeShift: 2 };
  if (bitRate) p.link.downlinkBitRate = bitRate;
  return p;
}

test("[issue 14] a pass over clear snow: every tile kept, no pixel cloud, the class mask and statistics carry bright-not-cloud and agree; VERIFIED", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tengri-snow-"));
  try {
    const p = profile();
    const s = await runPass({ profile: p, scene: snowCube(p, dir), lines: 128 });
    const g = s.screening!;
    assert.equal(g.dropped, 0);
    assert.equal(g.degraded, 0);
    assert.equal(g.kept, g.tiles);
    assert.ok(g.brightFraction > 0.99, `bright-not-cloud fraction ${g.brightFraction}`);
    assert.equal(g.cloudFraction, 0);
    assert.equal(g.maskBrightPixels, 128 * 4096);
    assert.equal(g.maskAgrees, true);
    assert.equal(s.verified, true);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test("[issue 14] the same snow over a short link (2 Mbit/s): snow tiles are degraded once frames fall behind, never dropped; degraded pixels within the bound", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tengri-snow-"));
  try {
    const p = profile(2_000_000);
    const s = await runPass({ profile: p, scene: snowCube(p, dir), lines: 128 });
    const g = s.screening!;
    assert.equal(g.dropped, 0);
    assert.ok(g.degraded > 0, `kept ${g.kept}, degraded ${g.degraded}`);
    assert.equal(g.cloudFraction, 0);
    assert.equal(s.image.linesMismatch, 0);
    assert.ok(s.image.maxDegradedError <= 2);
    assert.equal(s.flight.housekeeping?.tilesDegraded, g.degraded);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
