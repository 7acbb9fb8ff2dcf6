// The backlog figures behind "keeps up", the backlog chart and their words (host/report/backlog.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { computeBacklog, backlogWords, BacklogSamples, MAX_SAMPLES } from "../../../host/report/backlog.ts";

// 1 s at 8,192 bit/s with 1,024-bit CADUs: the link carries 8 + 1 frames in the pass.
const link = { passDurationS: 1, bitRate: 8192, caduBits: 1024 };

test("[tengri §verdict] kept pace only when the backlog was 0 at every report and at the end of imaging", () => {
  const ok = computeBacklog([{ cadu: 0, frames: 0 }, { cadu: 5, frames: 0 }], { ...link, cadusProduced: 9 });
  assert.deepEqual([ok.keptPace, ok.maxFrames, ok.endFrames, ok.capacityFrames], [true, 0, 0, 9]);
  assert.equal(backlogWords(ok), "none: 0 frames at every one of 2 housekeeping reports and when imaging ended; the link kept pace");
});

test("[tengri §verdict] a backlog that rose during the pass and drained by its end is not keeping pace", () => {
  const b = computeBacklog([{ cadu: 0, frames: 0 }, { cadu: 5, frames: 3 }], { ...link, cadusProduced: 9 });
  assert.deepEqual([b.keptPace, b.maxFrames, b.endFrames], [false, 3, 0]);
  assert.equal(backlogWords(b), "none when imaging ended, but the link fell behind during the pass (up to 3 frames at 2 housekeeping reports)");
});

test("[tengri §verdict] frames still to send when imaging ended: counted from the CADUs produced against the link's capacity", () => {
  const end = computeBacklog([{ cadu: 0, frames: 0 }], { ...link, cadusProduced: 13 });
  assert.deepEqual([end.keptPace, end.endFrames, end.maxFrames, end.endS], [false, 4, 4, 0.5]);
  assert.deepEqual(end.samples.at(-1), { cadu: 13, frames: 4 });
  assert.equal(backlogWords(end), "0 frames at 1 housekeeping report during the pass, but 4 frames (0.500 s of downlink) still to send when imaging ended: the link did not keep pace at the end");
  const both = computeBacklog([{ cadu: 7, frames: 6 }], { ...link, cadusProduced: 13 });
  assert.equal(backlogWords(both), "4 frames (0.500 s of downlink) still to send when imaging ended; up to 6 frames at 1 housekeeping report during the pass: the link fell behind");
});

test("housekeeping figures stay bounded: merged pairwise by their maximum", () => {
  const s = new BacklogSamples();
  for (let i = 0; i < 10 * MAX_SAMPLES; i++) s.add(i, i === 4321 ? 99 : i % 7);
  assert.ok(s.list.length < MAX_SAMPLES);
  assert.equal(Math.max(...s.list.map((x) => x.frames)), 99);
});
