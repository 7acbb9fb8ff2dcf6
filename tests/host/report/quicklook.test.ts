// Quicklook and timeline builders: bounded memory for any pass length, band choice, lost-line
// marking, and totals kept through the timeline's bucket merges.
import { test } from "node:test";
import assert from "node:assert/strict";
import { QuicklookBuffer, composites, pickBand, MAGENTA } from "../../../host/report/quicklook.ts";
import { Timeline } from "../../../host/report/timeline.ts";
import { loadProfile } from "../../../host/profiles/index.ts";

test("band choice: named red/green/blue/nir, nearest centre wavelength for a hyperspectral profile", () => {
  const d = loadProfile("default").sensor.bands;
  assert.deepEqual(composites(d).map((c) => c.bands.map((b) => d[b].name)), [["red", "green", "blue"], ["nir", "red", "green"]]);
  const h = loadProfile("hyperspectral").sensor.bands;
  for (const [name, nm] of [["red", 665], ["green", 560], ["blue", 490], ["nir", 842]] as const) {
    const got = h[pickBand(h, name)].centreNm;
    assert.ok(h.every((b) => Math.abs(b.centreNm - nm) >= Math.abs(got - nm)), `${name}: ${got} nm is the nearest to ${nm} nm`);
  }
});

function line(bands: number, pixels: number, value: (b: number, x: number) => number): Uint16Array {
  const s = new Uint16Array(bands * pixels);
  for (let b = 0; b < bands; b++) for (let x = 0; x < pixels; x++) s[b * pixels + x] = value(b, x);
  return s;
}

test("quicklook: ≤ maxSide rows however long the pass (stride doubles), every kx-th pixel", () => {
  const bands = 2, pixels = 300, max = 64;
  const q = new QuicklookBuffer(bands, pixels, [0, 1], 12, max);
  assert.equal(q.kx, 5);
  assert.equal(q.width, 60);
  const first = 4_294_967_000; // the line counter wraps around during the pass
  const n = 1000;
  for (let i = 0; i < n; i++) {
    const ln = (first + i) >>> 0;
    const s = line(bands, pixels, (b, x) => (i * 4 + x + b) & 4095);
    q.addSent(ln, s);
    if (i % 97 !== 13) q.addGround(ln, [s.subarray(0, pixels), s.subarray(pixels)]);
    assert.ok(q.rows <= max);
  }
  assert.equal(q.ky, 20, "5 → 10 → 20: doubles from kx until 1000 lines fit in 64 rows");
  assert.equal(q.rows, Math.ceil(n / q.ky));
  const c = { kind: "true" as const, bands: [0, 1, 0] as [number, number, number] };
  const st = new Map([[0, { band: 0, low: 0, high: 255 }], [1, { band: 1, low: 0, high: 255 }]]);
  const sent = q.render(c, "sent", st).rgb;
  // row r holds line r·ky, pixel x holds sample x·kx: value (4·r·ky + 5x) clipped to 255
  for (const [r, x] of [[0, 0], [1, 3], [5, 20], [q.rows - 1, 59]]) {
    const v = Math.min(255, (4 * r * q.ky + 5 * x) & 4095);
    assert.equal(sent[(r * q.width + x) * 3], v, `row ${r} pixel ${x}`);
  }
  const g = q.render(c, "ground", st);
  const lostRows = new Set<number>();
  for (let i = 13; i < n; i += 97) if (i % q.ky === 0) lostRows.add(i / q.ky);
  assert.equal(g.rowsLost, lostRows.size);
  for (let r = 0; r < q.rows; r++) {
    const px: number[] = [...g.rgb.subarray(r * q.width * 3, r * q.width * 3 + 3)];
    if (lostRows.has(r)) assert.deepEqual(px, [...MAGENTA], `row ${r} magenta`);
    else assert.deepEqual(px, [...sent.subarray(r * q.width * 3, r * q.width * 3 + 3)], `row ${r} as sent`);
  }
});

test("quicklook: a band lost on any line of a row's span marks the row; a band not shown does not", () => {
  const q = new QuicklookBuffer(4, 8, [0, 1, 2], 8, 4);
  for (let i = 0; i < 16; i++) { const s = line(4, 8, () => 100); q.addSent(i, s); q.addGround(i, [0, 1, 2, 3].map((b) => s.subarray(b * 8, b * 8 + 8))); }
  assert.equal(q.ky, 4);
  q.markLost(5, [1]); // row 1 (lines 4…7), band 1 is in the composite
  q.markLost(9, [3]); // band 3 is not shown
  const st = new Map([0, 1, 2].map((b) => [b, q.stretch(b)]));
  const g = q.render({ kind: "true", bands: [0, 1, 2] }, "ground", st);
  assert.equal(g.rowsLost, 1);
  assert.deepEqual([...g.rgb.subarray(q.width * 3, q.width * 3 + 3)], [...MAGENTA]);
});

test("quicklook: percentile stretch over the sent rows", () => {
  const q = new QuicklookBuffer(1, 100, [0], 12, 1024);
  for (let i = 0; i < 10; i++) q.addSent(i, line(1, 100, (_b, x) => x * 10));
  const s = q.stretch(0, 2, 98);
  assert.equal(s.low, 10);
  assert.equal(s.high, 970);
});

test("timeline: ≤ maxBuckets, totals kept through merges, backlog keeps the largest report", () => {
  const t = new Timeline(100, 8);
  let data = 0, rs = 0;
  for (let c = 0; c < 1000; c++) {
    t.add(c % 5 ? "dataFrames" : "idleFrames", c);
    if (c % 3 === 0) { t.add("rsSymbolsCorrected", c, 2); rs += 2; }
    if (c % 5) data++;
    if (c % 100 === 0) t.backlogAt(c, c);
  }
  const j = t.toJSON();
  assert.ok(j.buckets <= 8);
  assert.equal(j.bucketCadus, 128);
  assert.equal(j.bucketS, 1.28);
  assert.equal(j.series.dataFrames.reduce((a, b) => a + b, 0), data);
  assert.equal(j.series.idleFrames.reduce((a, b) => a + b, 0), 1000 - data);
  assert.equal(j.series.rsSymbolsCorrected.reduce((a, b) => a + b, 0), rs);
  assert.equal(j.backlogFrames[0], 100);
  assert.equal(j.backlogFrames[7], 900);
});
