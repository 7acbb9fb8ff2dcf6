// Cloud screening at line counts around tile boundaries, at BER 0: every tile row's mask unit
// and every tile's statistics record arrives, decodes and agrees, whether the pass ends on a
// tile boundary or inside a tile row (the last, short tile row leaves at the end of the pass).
// Regression of the eo-5band mask loss: a short last tile row's mask unit (CCSDS 121, n = 1)
// ends in a zero-block run coded as "remainder of segment" (121.0-B-3 §3.4.3), which decodes
// up to the segment or RSI end, past the unit's samples; the ground bounded it by one block.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runPass } from "../../host/pass.ts";
import { loadProfile, type Profile } from "../../host/profiles/index.ts";
import { screeningOptions } from "../../host/obc/config-table.ts";

function rawScreened(): Profile {
  const p = structuredClone(loadProfile("default"));
  p.name = "default-raw-tile32";
  p.products.image.compression = "raw";
  p.products.image.screening = { ...p.products.image.screening, enabled: true, tileSize: 32 };
  return p;
}

const cases: [Profile, number[]][] = [];
for (const p of [loadProfile("default"), loadProfile("eo-5band"), rawScreened()]) {
  const t = screeningOptions(p)!.tileSize;
  cases.push([p, p.products.image.compression === "raw" ? [t - 1, t, t + 1, 2 * t - 1, 2 * t + 1] : [t - 1, t, t + 1, 2 * t - 1, 2 * t + 1, 300]]);
}

for (const [p, counts] of cases) {
  const tile = screeningOptions(p)!.tileSize;
  for (const lines of counts) {
    test(`[121.0-B-3 §3.4.3] [tengri §verdict] ${p.name}, ${lines} lines (tile ${tile}): every mask unit and tile statistics record arrives and agrees at BER 0`, async () => {
      const s = await runPass({ profile: p, lines, seed: 3 });
      const rows = Math.ceil(lines / tile), cols = Math.ceil(p.sensor.pixelsPerLine / tile);
      const scr = s.screening!;
      assert.equal(scr.maskUnitsLost, 0, "mask units lost or disagreeing");
      assert.equal(scr.maskUnits, rows, "one mask unit per tile row");
      assert.equal(scr.tiles, rows * cols, "one statistics record per tile");
      assert.equal(scr.kept + scr.degraded + scr.dropped, scr.tiles);
      assert.equal(scr.maskAgrees, true, "the mask's cloud pixels are the statistics' cloud pixels");
      const hk = s.flight.housekeeping!;
      assert.deepEqual([hk.tilesKept, hk.tilesDegraded, hk.tilesDropped], [scr.kept, scr.degraded, scr.dropped], "the ground's decisions are the image's");
      assert.equal(s.image.linesMismatch, 0);
      assert.equal(s.image.unitsLost, 0);
      assert.equal(s.verified, true);
    });
  }
}
