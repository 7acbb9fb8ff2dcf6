// Cloud screening in the flight pipeline, end to end: tiles dropped, degraded or kept by the
// flight screener; the ground rebuilds decisions and the mask, and checks every pixel that
// arrived against the imager (exact, or within 2^(k−1) for degraded tiles).
import { test } from "node:test";
import assert from "node:assert/strict";
import { runPass } from "../../host/pass.ts";
import { loadProfile, type Profile } from "../../host/profiles/index.ts";

function screened(f: (p: Profile) => void = () => {}, on = true): Profile {
  const p = structuredClone(loadProfile("default"));
  p.products.image.compression = "ccsds121";
  p.products.image.screening = { enabled: on, tileSize: 64, degradeShift: 2 };
  f(p);
  return p;
}

test("a cloudy default pass: cloudy tiles dropped, the rest exact or within the degrade bound; data volume falls with the dropped share", async () => {
  const on = await runPass({ profile: screened(), lines: 192, seed: 41 });
  const off = await runPass({ profile: screened(() => {}, false), lines: 192, seed: 41 });
  const s = on.screening!;
  assert.ok(s.tiles === 3 * 64, `${s.tiles} tiles`);
  assert.ok(s.dropped > 10 && s.kept > 10, `kept ${s.kept}, degraded ${s.degraded}, dropped ${s.dropped}`);
  assert.equal(on.verified, true);
  assert.equal(on.image.linesMismatch, 0);
  assert.ok(on.image.maxDegradedError <= 2);
  assert.equal(s.maskAgrees, true);
  assert.ok(on.image.pixelsScreenedOut === s.droppedPixels * 4, "every dropped tile pixel, in every band, is accounted for");
  // Data frames (idle ones excluded) against the same pass unscreened.
  const ratio = on.ground.dataFrames / off.ground.dataFrames;
  const keptShare = 1 - s.droppedPixels / s.totalPixels;
  assert.ok(ratio < keptShare + 0.12 && ratio > keptShare * 0.5, `data volume ratio ${ratio.toFixed(3)} vs kept share ${keptShare.toFixed(3)}`);
  assert.equal(on.flight.housekeeping?.tilesDropped, s.dropped);
});

test("a night pass: the screener cannot judge, every tile is kept, nothing is lost", async () => {
  const s = await runPass({ profile: screened((p) => { p.pass.startUtc = "2026-06-21T22:30:00Z"; }), lines: 64, seed: 42 });
  assert.equal(s.screening!.dropped, 0);
  assert.equal(s.screening!.degraded, 0);
  assert.ok(s.screening!.unjudgedPixels > 0);
  assert.equal(s.verified, true);
});

test("absurd calibration (gain 0 on the blue band): every tile is kept, with a clear status", async () => {
  const s = await runPass({ profile: screened((p) => { p.sensor.bands[0].gain = 0; }), lines: 64, seed: 43 });
  assert.equal(s.screening!.dropped, 0);
  assert.ok(s.screening!.unjudgedPixels > 0);
  assert.equal(s.verified, true);
});

test("a dropped CADU in a screened pass loses only tiles, reported; everything else arrives", async () => {
  const p = screened((x) => { x.link.downlinkBitRate = 40_000_000; });
  // Find a CADU that carries image-channel data in a clean run of the same pass.
  const dataCadus: number[] = [];
  await runPass({ profile: p, lines: 128, seed: 44, observers: [{ frame(f) { if (f.vcid === p.products.image.vcid && !f.idle && f.fhp !== 0x7fe) dataCadus.push(f.cadu); } }] });
  assert.ok(dataCadus.length > 20);
  const s = await runPass({ profile: p, lines: 128, seed: 44, dropCadus: [dataCadus[Math.floor(dataCadus.length / 2)]] });
  assert.equal(s.link.dropped, 1);
  assert.equal(s.image.linesMismatch, 0);
  assert.ok(s.image.lostLines.length > 0 || s.screening!.maskUnitsLost > 0 || (s.ground.events["packet-error"] ?? 0) > 0);
  for (const l of s.image.lostLines) assert.match(l.reason, /lost on the link/);
});
