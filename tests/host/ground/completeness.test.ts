// The ground's ledger of what the flight image owes (host/ground/completeness.ts) and the verdict
// computed from it (host/report/verdict.ts), fed directly — no flight image: a complete screened
// pass verifies; each lost or wrong piece makes it NOT VERIFIED naming exactly that piece.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PieceLedger, type PieceSpec } from "../../../host/ground/completeness.ts";
import { computeVerdict, type Verdict } from "../../../host/report/verdict.ts";
import { HK_FIELDS, type Housekeeping } from "../../../host/ground/housekeeping.ts";
import type { ReconstructionStats } from "../../../host/ground/image.ts";

const SPEC: PieceSpec = { mode: "ccsds121", bands: 2, pixels: 150, bandNames: ["blue", "red"], segPixels: 150, unitLines: 16, unitPixels: 0, tileSize: 64, hkEveryLines: 100 };
const LINES = 300;                       // tile rows 0–3 of 64 lines, row 4 of 44; tile columns 0–63, 64–127, 128–149
const decision = (row: number, col: number) => (["keep", "degrade", "drop"] as const)[(row + col) % 3];
const cloudOf = (row: number, col: number) => 10 * row + col;

function hk(seq: number, state: Housekeeping["state"], o: Partial<Housekeeping> = {}): Housekeeping {
  const h = { version: 1, state, lastStatus: 0, configStatus: 0, timeS: 0 } as Housekeeping;
  for (const f of HK_FIELDS) (h as Record<string, number>)[f] = 0;
  return Object.assign(h, { hkSequence: seq }, o);
}

interface Faults {
  noMask?: number;                       // tile row whose mask unit is lost
  noHk?: number;                         // housekeeping sequence lost
  noTile?: [number, number];             // [row, column] whose statistics are lost
  noUnit?: [number, number, number];     // [band, row, column] whose image unit is lost
  maskOff?: [number, number];            // [row, column] whose mask count is off by one
  wrongUnit?: [number, number, number];  // [band, row, column] with a pixel outside its bound
  unitForDropped?: boolean;              // an image unit arrives for a dropped tile
  finalHk?: Partial<Housekeeping>;
}

function ledgerPass(f: Faults = {}): PieceLedger {
  const g = new PieceLedger(SPEC);
  for (let l = 0; l < LINES; l++) g.lineSent(l);
  const ended = { linesAccepted: LINES, tilesKept: 5, tilesDegraded: 5, tilesDropped: 5, ...f.finalHk };
  const hks = [hk(1, "acquiring"), hk(2, "acquiring"), hk(3, "acquiring"), hk(4, "acquiring"), hk(5, "ended", ended)];
  for (let row = 0; row < 5; row++) {
    const first = row * 64, lines = Math.min(64, LINES - first);
    const perTile: number[] = [];
    for (let c = 0; c < 3; c++) {
      const x0 = c * 64, count = Math.min(64, 150 - x0), d = decision(row, c);
      if (!(f.noTile && f.noTile[0] === row && f.noTile[1] === c)) g.tile({ firstLine: first, firstPixel: x0, lines, count, decision: d, cloud: cloudOf(row, c) });
      perTile.push(cloudOf(row, c) + (f.maskOff && f.maskOff[0] === row && f.maskOff[1] === c ? 1 : 0));
      if (d === "drop") { if (f.unitForDropped && row === 2) g.imageArrived(0, first, x0); continue; }
      for (let b = 0; b < 2; b++) {
        if (f.noUnit && f.noUnit.join() === [b, row, c].join()) continue;
        g.imageArrived(b, first, x0);
        if (f.wrongUnit && f.wrongUnit.join() === [b, row, c].join()) g.imageWrong(b, first, x0, 9, 2);
      }
    }
    if (f.noMask !== row) g.maskUnit(first, perTile);
    for (let l = first; l < first + lines; l++) {
      // At boot, then after every 100th line accepted (README, "Housekeeping packets").
      if (l === 0 && f.noHk !== 1) g.housekeeping(hks[0]);
      if ((l + 1) % 100 === 0 && f.noHk !== (l + 1) / 100 + 1) g.housekeeping(hks[(l + 1) / 100]);
      g.lineFinished(l);
    }
  }
  if (f.noHk !== 5) g.housekeeping(hks[4]);
  return g;
}

const image = (o: Partial<ReconstructionStats> = {}): ReconstructionStats => ({
  linesComplete: LINES, linesExact: LINES, linesBitExact: LINES, linesMismatch: 0, linesPartial: 0, linesMissing: 0, bandLinesLost: 0, segmentsReceived: 0, badPackets: 0,
  lostLines: [], unitsDecoded: 0, unitsLost: 0, pixelsScreenedOut: 0, duplicatePieces: 0, piecesDegraded: 0, maxDegradedError: 0, unitErrors: {}, compression: [], ...o,
});

function verdictOf(f: Faults = {}, img = image()): Verdict {
  return computeVerdict({ completeness: ledgerPass(f).end(), image: img, exitCode: 0, screening: true, degradeBound: 2 });
}

function failing(v: Verdict): string[] { return v.checks.filter((c) => !c.ok).map((c) => c.name); }

test("[tengri §verdict] every owed piece arrived and checked: VERIFIED, the counts named", () => {
  const v = verdictOf();
  assert.deepEqual(failing(v), []);
  assert.equal(v.verified, true);
  assert.equal(v.label, "VERIFIED");
  // 15 tiles, 5 of them dropped: 10 × 2 bands image units; 5 mask units; housekeeping at boot, after 100, 200, 300 lines, at the end.
  assert.equal(v.headline, "VERIFIED: every expected piece arrived and checked (20 image units, 15 tile statistics records, 5 cloud mask units, 5 housekeeping packets); every pixel bit-exact");
});

test("[tengri §verdict] a lost mask unit: NOT VERIFIED naming its tile row and lines", () => {
  const v = verdictOf({ noMask: 4 });
  assert.equal(v.verified, false);
  assert.deepEqual(failing(v), ["cloud mask units"]);
  const c = v.checks.find((x) => x.name === "cloud mask units")!;
  assert.deepEqual([c.expected, c.got], [5, 4]);
  assert.equal(c.detail, "1 of 5 not as owed: mask unit of tile row 4 (lines 256–299) missing");
  assert.ok(v.headline.startsWith("NOT VERIFIED: cloud mask units: 1 of 5 not as owed: mask unit of tile row 4 (lines 256–299) missing"), v.headline);
});

test("[tengri §verdict] a lost housekeeping packet is named by its sequence and when it was due", () => {
  const mid = verdictOf({ noHk: 3 });
  assert.deepEqual(failing(mid), ["housekeeping packets"]);
  assert.match(mid.headline, /housekeeping packet 3 of 5 \(after 200 lines\) missing/);
  const boot = verdictOf({ noHk: 1 });
  assert.match(boot.headline, /housekeeping packet 1 of 5 \(at boot\) missing/);
  // Without the end-of-pass packet the flight's counters cannot be checked: that fails too.
  const end = verdictOf({ noHk: 5 });
  assert.equal(end.verified, false);
  assert.match(end.checks.find((x) => x.name === "housekeeping packets")!.detail, /housekeeping packet 5 of 5 \(at the end of the pass\) missing/);
  for (const n of ["lines accepted by the flight image", "bus records rejected by the flight image", "frames lost to a full output buffer"]) assert.ok(failing(end).includes(n), n);
});

test("[tengri §verdict] a lost tile statistics record is named by tile row and pixels", () => {
  const v = verdictOf({ noTile: [1, 2] });
  assert.deepEqual(failing(v), ["tile statistics records"]);
  assert.equal(v.checks.find((x) => x.name === "tile statistics records")!.detail, "1 of 15 not as owed: tile statistics of tile row 1 (lines 64–127), pixels 128–149 missing");
});

test("[tengri §verdict] a lost image unit, a unit outside its bound and a unit for a dropped tile are each named", () => {
  const lost = verdictOf({ noUnit: [1, 3, 0] });
  assert.deepEqual(failing(lost), ["image units"]);
  assert.match(lost.headline, /image unit of band 1 \(red\), lines 192–255, pixels 0–63 missing/);
  const wrong = verdictOf({ wrongUnit: [0, 1, 0] });
  assert.match(wrong.headline, /image unit of band 0 \(blue\), lines 64–127, pixels 0–63 pixels wrong: error 9 DN, bound 2 DN/);
  const extra = verdictOf({ unitForDropped: true });
  assert.match(extra.headline, /image unit of band 0 \(blue\), lines 128–191, pixels 0–63 sent for a tile decided dropped/);
});

test("[tengri §verdict] a mask that disagrees with the statistics of one tile fails the agreement check, naming the tile", () => {
  const v = verdictOf({ maskOff: [2, 1] });
  assert.deepEqual(failing(v), ["cloud mask agrees with the tile statistics"]);
  assert.match(v.headline, /tile row 2 \(lines 128–191\), pixels 64–127: the mask has 22 cloud pixels, the statistics 21/);
});

test("[tengri §verdict] the flight's counters: a line not accepted, a frame lost to a full buffer, a tile count off: NOT VERIFIED", () => {
  assert.deepEqual(failing(verdictOf({ finalHk: { linesAccepted: 299 } })), ["lines accepted by the flight image"]);
  assert.deepEqual(failing(verdictOf({ finalHk: { framesOverflowed: 1 } })), ["frames lost to a full output buffer"]);
  assert.deepEqual(failing(verdictOf({ finalHk: { rejectedBadCrc: 2 } })), ["bus records rejected by the flight image"]);
  assert.deepEqual(failing(verdictOf({ finalHk: { tilesDropped: 4 } })), ["tiles the flight image counted"]);
});

test("[tengri §verdict] words match figures: degraded tiles are within their bound, never bit-exact", () => {
  const v = verdictOf({}, image({ linesBitExact: 200, maxDegradedError: 2 }));
  assert.equal(v.verified, true);
  assert.match(v.headline, /kept tiles bit-exact, degraded tiles within their bound \(max error 2 DN, bound 2 DN\)$/);
  assert.doesNotMatch(v.headline, /every pixel bit-exact/);
  const lines = v.checks.find((x) => x.name === "lines rebuilt against the imager's")!;
  assert.equal(lines.detail, "all 300: every pixel sent exact or within its bound");
});

test("[tengri §verdict] a line lost on the link: the lines check fails with the first lost line named", () => {
  const v = verdictOf({}, image({ linesExact: 299, linesPartial: 1, lostLines: [{ line: 17, bands: [1], reason: "tiles lost on the link" }] }));
  assert.deepEqual(failing(v), ["lines rebuilt against the imager's"]);
  assert.match(v.headline, /299 of 300: 0 missing, 1 partial, 0 with pixels outside their bound; line 17 \(bands 1\): tiles lost on the link/);
});

test("[tengri §verdict] raw mode: every segment of every band line is owed; a row nothing arrived for is still checked", () => {
  const g = new PieceLedger({ ...SPEC, mode: "raw", tileSize: null, segPixels: 64, hkEveryLines: 0 });
  for (let l = 0; l < 3; l++) g.lineSent(l);
  for (const l of [0, 2]) for (let b = 0; b < 2; b++) for (const x of [0, 64, 128]) g.imageArrived(b, l, x);
  g.housekeeping(hk(1, "acquiring"));
  g.housekeeping(hk(2, "ended", { linesAccepted: 3 }));
  const c = g.end();
  assert.deepEqual([c.image.what, c.image.expected, c.image.ok, c.image.problems], ["raw line segments", 18, 12, 6]);
  assert.equal(c.image.issues[0], "raw segment of band 0 (blue), line 1, pixels 0–63 missing");
  assert.equal(c.image.issues[2], "raw segment of band 0 (blue), line 1, pixels 128–149 missing");
  assert.deepEqual([c.housekeeping.expected, c.housekeeping.ok], [2, 2]);
});

test("[tengri §verdict] the pass's mask totals disagreeing (a unit for no owed row) fail the agreement check even when every owed tile agrees", () => {
  const v = computeVerdict({ completeness: ledgerPass().end(), image: image(), exitCode: 0, screening: true, degradeBound: 2, maskTotals: { maskAgrees: false, maskCloudPixels: 999, maskUnitsLost: 0 } });
  assert.deepEqual(failing(v), ["cloud mask agrees with the tile statistics"]);
  const ok = computeVerdict({ completeness: ledgerPass().end(), image: image(), exitCode: 0, screening: true, degradeBound: 2, maskTotals: { maskAgrees: true, maskCloudPixels: 0, maskUnitsLost: 0 } });
  assert.equal(ok.verified, true);
});

test("[tengri §verdict] a raw segment carrying another line's time tag is named; the right time tag (to 2^-16 s) passes", async () => {
  const { ImageReconstructor, cucTime16 } = await import("../../../host/ground/image.ts");
  const px = 4;
  const seg = (line: number, coarse: number, fine16: number, samples: number[]) => {
    const d = new Uint8Array(16 + 2 * px), dv = new DataView(d.buffer);
    d[0] = 0x1e; dv.setUint32(1, coarse); dv.setUint16(5, fine16); dv.setUint32(7, line); dv.setUint16(11, 0); dv.setUint16(13, px); d[15] = 16;
    samples.forEach((v, i) => dv.setUint16(16 + 2 * i, v));
    return d;
  };
  const g = new PieceLedger({ ...SPEC, mode: "raw", bands: 1, pixels: px, tileSize: null, segPixels: px, hkEveryLines: 0 });
  const r = new ImageReconstructor(1, px, undefined, "raw", 1, 16);
  r.useLedger(g);
  // Fine time 0x1234 5678 on the bus: the packet's CUC carries 0x1234.
  for (let l = 0; l < 2; l++) { g.lineSent(l); r.expectSamples(l, new Uint16Array([l, 2, 3, 4]), cucTime16(2_000_000_000 + l, 0x12345678)); }
  r.addPacket(0, seg(0, 2_000_000_000, 0x1234, [0, 2, 3, 4]));
  r.addPacket(0, seg(1, 2_000_000_000, 0x1234, [1, 2, 3, 4]));   // line 1 with line 0's time
  r.end();
  const c = g.end();
  assert.deepEqual([c.image.expected, c.image.ok, c.image.problems], [2, 1, 1]);
  assert.match(c.image.issues[0], /^raw segment of band 0 \(blue\), line 1, pixels 0–3 time tag wrong: 2000000000\.071106 s, the imager's 2000000001\.071106 s$/);
});
