// The ground's product mode schedule (host/ground/mode-schedule.ts) and the ledger of owed pieces
// across switches (host/ground/completeness.ts), fed directly — no flight image: rows restart at
// every switch; each mode owes its own pieces; a piece missing across a switch is named.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ModeSchedule, modeOfEventCount } from "../../../host/ground/mode-schedule.ts";
import { PieceLedger } from "../../../host/ground/completeness.ts";

test("[tengri §mode] the mode schedule: the boot mode until the first switch, each switch from its line on, announcements in any order or repeated", () => {
  const m = new ModeSchedule("ccsds123");
  assert.equal(m.at(0), "ccsds123");
  m.set(80, "raw");
  m.set(32, "ccsds121");                         // announced late: still in line order
  m.set(80, "raw");                              // repeated: nothing new
  assert.equal(m.changes, 2);
  assert.deepEqual([0, 31, 32, 79, 80, 1000].map((l) => m.at(l)), ["ccsds123", "ccsds123", "ccsds121", "ccsds121", "raw", "raw"]);
  assert.deepEqual([m.nextSwitchAfter(0), m.nextSwitchAfter(32), m.nextSwitchAfter(80)], [32, 80, Infinity]);
  assert.deepEqual([m.intervalStart(5), m.intervalStart(40), m.intervalStart(90)], [-Infinity, 32, 80]);
  assert.deepEqual([0x0201, 0x0100, 0x0002, 0x0003].map(modeOfEventCount), ["ccsds121", "raw", "ccsds123", null]);
});

test("[tengri §mode] the ledger across switches: 16-line units until line 32, raw lines until 37, 16-line segments from 37 (not aligned on the first rows); every piece owed once; a lost one named with its mode", () => {
  const run = (lose?: string) => {
    const g = new PieceLedger({ mode: "ccsds121", bands: 2, pixels: 100, segPixels: 100, unitLines: 16, unitPixels: 0, tileSize: null, hkEveryLines: 0 });
    g.modeFrom(32, "raw");
    g.modeFrom(37, "ccsds123");
    for (let l = 0; l < 60; l++) g.lineSent(l);
    const arrive = (band: number, line: number, key: string) => { if (key !== lose) g.imageArrived(band, line, 0); };
    for (const f of [0, 16]) for (const b of [0, 1]) arrive(b, f, `121:${b}:${f}`);
    for (let l = 32; l < 37; l++) for (const b of [0, 1]) arrive(b, l, `raw:${b}:${l}`);
    for (const f of [37, 53]) arrive(0, f, `123:${f}`);
    for (let l = 0; l < 60; l++) g.lineFinished(l);
    return g.end();
  };
  const c = run();
  assert.equal(c.image.expected, 4 + 10 + 2);
  assert.equal(c.image.ok, c.image.expected);
  assert.equal(c.image.problems, 0);
  assert.deepEqual(run("raw:1:35").image.issues, ["raw segment of band 1, line 35, pixels 0–99 missing"]);
  assert.deepEqual(run("123:53").image.issues, ["CCSDS 123 segment of lines 53–59 missing"]);
  assert.deepEqual(run("121:0:16").image.issues, ["image unit of band 0, lines 16–31, pixels 0–99 missing"]);
});
