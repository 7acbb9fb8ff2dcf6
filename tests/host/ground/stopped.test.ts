// The ground's reconstruction of commanded stops (host/ground/stopped.ts) from events 7 and 8,
// with hostile event sequences: overlapping, unterminated, unpaired, reversed intervals, events
// without their line counter, a stop across the 2^32 wrap of the line counter; and the verdict's
// check "lines stopped by command" on completeness built from them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { reconstructStops, insideInterval, intervalLength, LineRuns, stoppedLines } from "../../../host/ground/stopped.ts";
import { PieceLedger } from "../../../host/ground/completeness.ts";
import { computeVerdict } from "../../../host/report/verdict.ts";
import type { PusReport } from "../../../host/ground/pus-reports.ts";
import type { Housekeeping } from "../../../host/ground/housekeeping.ts";
import type { ReconstructionStats } from "../../../host/ground/image.ts";

let counter = 0;
function ev(id: 7 | 8, at: number | undefined, count = 0): PusReport {
  return { kind: "event", service: 5, subtype: 1, severity: "informative", eventId: id, event: id === 7 ? "acquisition-stopped" : "acquisition-started", status: 0, statusName: "OK", count, line: 0, ...(at === undefined ? {} : { at }), time: counter, counter: counter++ };
}
const other: PusReport = { kind: "are-you-alive", service: 17, subtype: 2, time: 0, counter: 99 };

test("[tengri §stop-verified] stop and start events pair into intervals [from, to); a stop with no start runs to the end of the pass", () => {
  const r = reconstructStops([ev(7, 128), other, ev(8, 192, 64), ev(7, 300)]);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.intervals.map((i) => [i.from, i.to, i.dropped]), [[128, 192, 64], [300, null, null]]);
  assert.equal(intervalLength(r.intervals[0]), 64);
  assert.ok(insideInterval(r.intervals[0], 128) && insideInterval(r.intervals[0], 191));
  assert.ok(!insideInterval(r.intervals[0], 127) && !insideInterval(r.intervals[0], 192));
  assert.ok(insideInterval(r.intervals[1], 300) && insideInterval(r.intervals[1], 1e6) && !insideInterval(r.intervals[1], 299));
  assert.deepEqual(reconstructStops([]), { intervals: [], problems: [] });
});

test("[tengri §stop-verified] hostile sequences are named problems, never a throw: a stop while stopped, a start with no stop, a start before its stop, a stop inside an earlier interval, an event without its counter, a count larger than the interval", () => {
  const twice = reconstructStops([ev(7, 10), ev(7, 20), ev(8, 30, 20)]);
  assert.equal(twice.intervals.length, 1);
  assert.match(twice.problems[0], /acquisition-stopped at line 20 while already stopped from line 10/);
  assert.match(reconstructStops([ev(8, 5)]).problems[0], /acquisition-started at line 5 with no acquisition-stopped/);
  const back = reconstructStops([ev(7, 100), ev(8, 50)]);
  assert.match(back.problems[0], /before its stop at line 100/);
  assert.equal(back.intervals.length, 0);
  const overlap = reconstructStops([ev(7, 100), ev(8, 200, 100), ev(7, 150), ev(8, 250, 100)]);
  assert.match(overlap.problems.join("|"), /acquisition-stopped at line 150 inside the earlier stop \[100, 200\)/);
  assert.match(reconstructStops([ev(7, undefined)]).problems[0], /carries no line counter/);
  assert.match(reconstructStops([ev(7, -1)]).problems[0], /carries no line counter/);
  assert.match(reconstructStops([ev(7, 2 ** 32)]).problems[0], /carries no line counter/);
  assert.match(reconstructStops([ev(7, 0), ev(8, 10, 11)]).problems[0], /11 lines dropped in an interval of 10 lines/);
});

test("[tengri §stop-verified] a stop across the wrap of the 32-bit line counter is one interval of the right length", () => {
  const r = reconstructStops([ev(7, 2 ** 32 - 16), ev(8, 48, 64)]);
  assert.deepEqual(r.problems, []);
  const i = r.intervals[0];
  assert.equal(intervalLength(i), 64);
  assert.ok(insideInterval(i, 2 ** 32 - 1) && insideInterval(i, 0) && insideInterval(i, 47));
  assert.ok(!insideInterval(i, 48) && !insideInterval(i, 2 ** 32 - 17));
  const sent = new LineRuns();
  for (let l = 2 ** 32 - 100; l < 2 ** 32; l++) sent.add(l);
  for (let l = 0; l < 100; l++) sent.add(l);
  const missing = new LineRuns();
  for (let l = 2 ** 32 - 16; l < 2 ** 32; l++) missing.add(l);
  for (let l = 0; l < 48; l++) missing.add(l);
  const s = stoppedLines(r, sent, missing);
  assert.equal(s.lines, 64);
  assert.equal(s.arrived, 0);
  assert.deepEqual(s.problems, []);
});

test("[tengri §stop-verified] line runs stay merged (in order, repeated, out of order) and count what lies in a range", () => {
  const r = new LineRuns();
  for (const l of [1, 2, 3, 3, 7, 8, 5, 4, 6, 20]) r.add(l);
  assert.equal(r.size, 9);
  assert.equal(r.countIn(0, 100), 9);
  assert.equal(r.countIn(4, 8), 4);
  assert.equal(r.countIn(9, 20), 0);
});

function hk(dropped: number, accepted: number): Housekeeping {
  return { linesDroppedStopped: dropped, linesAccepted: accepted, rejectedBadSync: 0, rejectedBadCrc: 0, rejectedBadLength: 0, rejectedBadType: 0, rejectedBadLine: 0, rejectedLineJump: 0, rejectedTimeJump: 0, rejectedNoConfig: 0, framesOverflowed: 0, tilesKept: 0, tilesDegraded: 0, tilesDropped: 0, hkSequence: 2, state: "ended" } as unknown as Housekeeping;
}
function stats(exact: number, missing: number): ReconstructionStats {
  return { linesComplete: exact, linesExact: exact, linesBitExact: exact, linesMismatch: 0, linesPartial: 0, linesMissing: missing, bandLinesLost: missing, segmentsReceived: 0, badPackets: 0, lostLines: [], unitsDecoded: 0, unitsLost: 0, unitErrors: {}, compression: [], pixelsScreenedOut: 0, piecesDegraded: 0, maxDegradedError: 0, duplicatePieces: 0 };
}

/** A raw-mode ledger of 40 lines where lines [from, to) never arrived; the housekeeping says `dropped`. */
function verdictOf(reports: PusReport[], from: number, to: number, dropped: number) {
  const l = new PieceLedger({ mode: "raw", bands: 1, pixels: 8, segPixels: 8, unitLines: 1, unitPixels: 0, tileSize: null, hkEveryLines: 0 });
  for (let i = 0; i < 40; i++) l.lineSent(i);
  l.housekeeping({ ...hk(dropped, 40 - (to - from)), hkSequence: 1, state: "acquiring" } as Housekeeping);
  l.housekeeping(hk(dropped, 40 - (to - from)));
  for (let i = 0; i < 40; i++) {
    if (i >= from && i < to) l.lineMissing(i); else l.imageArrived(0, i, 0);
    l.lineFinished(i);
  }
  const c = l.end([], reconstructStops(reports));
  return { c, v: computeVerdict({ completeness: c, image: stats(40 - (to - from), to - from), exitCode: 0, degradeBound: 0, screening: false }) };
}

test("[tengri §stop-verified] completeness: rows inside a commanded stop owe nothing and the pass verifies; the same gap without events, or with the flight's count disagreeing, fails 'lines stopped by command'", () => {
  const good = verdictOf([ev(7, 10), ev(8, 20, 10)], 10, 20, 10);
  assert.equal(good.c.image.expected, 30);
  assert.equal(good.c.image.problems, 0);
  assert.equal(good.c.stopped?.lines, 10);
  const chk = good.v.checks.find((k) => k.name === "lines stopped by command");
  assert.ok(chk?.ok, JSON.stringify(chk));
  assert.equal(good.v.verified, true, good.v.headline);
  // The flight dropped 10 lines, no event says so: a stop not covered by events.
  const silent = verdictOf([], 10, 20, 10);
  assert.equal(silent.v.verified, false);
  assert.match(silent.v.checks.find((k) => k.name === "lines stopped by command")!.detail, /dropped 10 lines while stopped, the stop events account for 0/);
  assert.equal(silent.c.image.problems, 10, "the ten raw segments are missing");
  // The events say 10 … 19, the flight counted 12 dropped.
  const off = verdictOf([ev(7, 10), ev(8, 20, 10)], 10, 20, 12);
  assert.equal(off.v.verified, false);
  // Unpaired events fail the check even when the counts agree.
  const unpaired = verdictOf([ev(7, 10), ev(8, 20, 10), ev(8, 30, 0)], 10, 20, 10);
  assert.equal(unpaired.v.verified, false);
  assert.match(unpaired.v.checks.find((k) => k.name === "lines stopped by command")!.detail, /with no acquisition-stopped/);
  // An interval the events claim but whose lines arrived: the flight processed stopped lines.
  const arrived = verdictOf([ev(7, 30), ev(8, 35, 5)], 10, 20, 5);
  assert.equal(arrived.v.verified, false);
});
