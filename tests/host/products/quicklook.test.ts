import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brovey, stretch8, writeQuicklookRaw, type LineSource } from "../../../host/products/quicklook.ts";
import type { ProductBand } from "../../../host/products/model.ts";

const NODATA = 65535;
/** An in-memory channel: band-sequential values by (band, x, y). */
function source(width: number, lines: number, bands: number, v: (b: number, x: number, y: number) => number): LineSource & { lines: number } {
  return { width, lines, nodata: NODATA, readBandLine(row, band, into) { for (let x = 0; x < width; x++) into[x] = v(band, x, row); return into; } };
}
const band = (name: string, nm: number): ProductBand => ({ name, centreNm: nm, widthNm: 50, scale: 1e-4, offset: 0 });
const RGB: ProductBand[] = [band("red", 665), band("green", 560), band("blue", 490)];

test("[tengri §products] Brovey: the sharpened bands keep the coarse bands' ratios and their mean is the pan value", () => {
  const out = brovey(0.3, 0.2, 0.1, 0.4, new Float64Array(3));
  assert.ok(Math.abs(out[0] / out[1] - 1.5) < 1e-12 && Math.abs(out[1] / out[2] - 2) < 1e-12);
  assert.ok(Math.abs((out[0] + out[1] + out[2]) / 3 - 0.4) < 1e-12);
  assert.deepEqual([...brovey(0, 0, 0, 0.4, new Float64Array(3))], [0, 0, 0]);   // no colour: unchanged
});

test("[tengri §products] the 8-bit stretch maps [lo, hi] to 1 … 255 and clamps; 0 stays for nodata", () => {
  assert.deepEqual([stretch8(0.1, 0.1, 0.5), stretch8(0.5, 0.1, 0.5), stretch8(0.3, 0.1, 0.5), stretch8(-1, 0.1, 0.5), stretch8(9, 0.1, 0.5)], [1, 255, 128, 1, 255]);
});

test("[tengri §products] pan-sharpened quicklook from a synthetic 4× pan: the fine channel's size, its detail in all three colours, nodata where either channel lost it", () => {
  const W = 40, H = 24, f = 4;
  // Coarse bands: smooth colour gradients; pan: their mean with a ±20 % checkerboard at the fine pixel.
  const ms = source(W, H, 3, (b, x, y) => (y === 5 ? NODATA : 1000 + 300 * b + 10 * x + 5 * y));
  const checker = (x: number, y: number) => ((x + y) % 2 ? 1.2 : 0.8);
  const pan = source(W * f, H * f, 1, (_, x, y) => (x === 7 && y === 50 ? NODATA : Math.round((1300 + 10 * (x / f) + 5 * (y / f)) * checker(x, y))));
  const dir = mkdtempSync(join(tmpdir(), "tengri-ql-"));
  try {
    const q = writeQuicklookRaw(join(dir, "q.raw"), { src: ms, lines: H, bands: RGB }, [0, 1, 2], { src: pan, lines: H * f, bands: [band("pan", 600)] });
    assert.deepEqual([q.width, q.height, q.sharpenedBy], [W * f, H * f, f]);
    const raw = readFileSync(join(dir, "q.raw"));
    assert.equal(raw.length, 3 * W * f * H * f);
    const at = (k: number, x: number, y: number) => raw[(y * 3 + k) * W * f + x];
    // Detail: horizontally adjacent fine pixels follow the pan checkerboard in every band.
    let followed = 0, pairs = 0;
    for (let y = 2; y < H * f - 2; y += 3) for (let x = 2; x < W * f - 3; x++) {
      if (Math.floor(y / f) === 5 || y === 50) continue;
      const up = checker(x + 1, y) > checker(x, y);
      for (let k = 0; k < 3; k++) { pairs++; if ((at(k, x + 1, y) > at(k, x, y)) === up) followed++; }
    }
    assert.ok(followed / pairs > 0.97, `pan detail in ${followed} of ${pairs} neighbour pairs`);
    // The coarse bands' lost line is nodata only where no coarse neighbour remains; the lost pan pixel is nodata.
    for (let k = 0; k < 3; k++) assert.equal(at(k, 7, 50), 0);
    assert.notEqual(at(0, 8, 50), 0);
    // Without pan: the coarse size, no checkerboard, the lost line nodata.
    const plain = writeQuicklookRaw(join(dir, "p.raw"), { src: ms, lines: H, bands: RGB }, [0, 1, 2], null);
    assert.deepEqual([plain.width, plain.height, plain.sharpenedBy], [W, H, 1]);
    const p = readFileSync(join(dir, "p.raw"));
    for (let x = 0; x < W; x++) for (let k = 0; k < 3; k++) assert.equal(p[(5 * 3 + k) * W + x], 0);
    for (let x = 1; x < W; x++) assert.ok(p[(10 * 3) * W + x] >= p[(10 * 3) * W + x - 1], "a smooth gradient stays monotone");
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
