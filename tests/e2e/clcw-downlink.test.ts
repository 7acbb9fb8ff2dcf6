// The CLCW in the downlink, end to end: a pass whose frames carry an OCF; CLTUs go through the
// OBC's uplink (CLTU decoding, frame checks, FARM-1: host/uplink/receiver.ts), the frames it
// accepts reach the image as bus records of type 4 and, after each CLTU that changed it, the
// FARM's CLCW as a record of type 5 (the rule of host/hil/server.ts); the ground decodes the CLCW
// series from the received CADUs and finds exactly the FARM's CLCWs, in order: V(R) advancing,
// the retransmit flag after a missing frame, lockout, the FARM-B counter after Unlock. Hostile
// CLCW records are refused and counted, and change nothing in the OCF. The pass verifies.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runPass } from "../../host/pass.ts";
import { loadProfile, type Profile } from "../../host/profiles/index.ts";
import { buildTc, tc } from "../../host/commanding/pus.ts";
import { tcFrame, commandingFlashDir } from "../host/commanding/tc-frames.ts";
import { encodeRecord, RecordType } from "../../host/obc/bus.ts";
import { UplinkReceiver } from "../../host/uplink/receiver.ts";
import { buildCltu } from "../../host/uplink/cltu.ts";
import { buildTcFrame, UNLOCK } from "../../host/uplink/tc-frame.ts";
import { ClcwSeries, clcwHex } from "../../host/ground/clcw.ts";

function profile(name = "default"): Profile {
  const p = structuredClone(loadProfile(name));
  p.link.frame.ocf = true;
  return p;
}

/** A CLCW record with any payload (the hostile ones: the encoder of host/obc/bus.ts takes any octets). */
const clcwRecord = (payload: number[]) => encodeRecord(RecordType.Clcw, Uint8Array.from(payload));

for (const [name, frame] of [["default", "TM"], ["eo-5band", "AOS"]] as const) test(`[tengri §clcw] [232.0-B-4 §4.2] [132.0-B-3 §4.1.5] [732.0-B-4 §4.1.5] a pass commanded through FARM-1 (${name}, ${frame} frames): the ground reads the FARM's CLCW series from the OCF of the CADUs (V(R), retransmit, lockout, FARM-B), the pass verifies`, async () => {
  const p = profile(name);
  const scid = p.spacecraft.scid;
  const rx = new UplinkReceiver({ scid, vcid: 1 });
  const sentClcw: string[] = [];
  let last = "";
  /** The OBC's handling of one CLTU: accepted frames to the payload, then the CLCW if it changed. */
  const cltu = (frame: Uint8Array): Uint8Array[] => {
    const out = rx.push(buildCltu(frame));
    assert.equal(out.events.length, 1);
    const recs = out.frames.map((f) => encodeRecord(RecordType.Telecommand, f));
    const c = Buffer.from(rx.clcwOctets()).toString("hex");
    if (c !== last) { last = c; sentClcw.push(c); recs.push(encodeRecord(RecordType.Clcw, rx.clcwOctets())); }
    return recs;
  };
  const ad = (seq: number) => tcFrame([buildTc({ ...tc.areYouAlive(), seq, source: 3 })], { scid, seq });
  const script = new Map<number, () => Uint8Array[]>([
    [5, () => cltu(ad(0))],                                                 // V(R) 0 → 1
    [20, () => cltu(ad(2))],                                                // ahead: discarded, retransmit
    [30, () => cltu(ad(1))],                                                // V(R) 2, retransmit cleared
    [40, () => cltu(ad(2))],                                                // V(R) 3
    [50, () => cltu(ad(200))],                                              // outside the window: lockout
    [60, () => cltu(buildTcFrame({ bypass: true, controlCommand: true, scid, vcid: 1, seq: 0, data: UNLOCK }))], // FARM-B 1, open
    [80, () => cltu(ad(3))],                                                // V(R) 4
  ]);
  const busFilter = function* (records: Iterable<Uint8Array>): Iterable<Uint8Array> {
    let line = 0;
    for (const r of records) {
      yield r;
      if (r[4] === RecordType.Line) { yield* script.get(line)?.() ?? []; line++; }
    }
  };
  const series = new ClcwSeries();
  const s = await runPass({ profile: p, lines: 128, seed: 3, busFilter, flashDir: commandingFlashDir(), observers: [series] });
  assert.equal(s.verified, true, s.verdict.headline);
  assert.equal(s.flight.exitCode, 0);

  // The FARM's own CLCWs, as the OBC sent them.
  assert.deepEqual(sentClcw, ["01040001", "01040801", "01040002", "01040003", "01042003", "01040203", "01040204"]);
  const got = series.summary();
  assert.equal(got.notClcw, 0);
  assert.equal(got.framesWithOcf, s.ground.framesGood, "every frame carries an OCF");
  // Before the first CLCW record the OCF keeps its earlier value; then exactly the FARM's series.
  assert.deepEqual(got.changes.map((c) => clcwHex(c.clcw.word)), ["01000000", ...sentClcw]);
  assert.ok(got.changes[1].cadu > 0, "frames before the first CLCW record carried 01000000");
  const flags = got.changes.map((c) => [c.clcw.reportValue, c.clcw.retransmit, c.clcw.lockout, c.clcw.farmB, c.clcw.vcid]);
  assert.deepEqual(flags.slice(1), [[1, false, false, 0, 1], [1, true, false, 0, 1], [2, false, false, 0, 1], [3, false, false, 0, 1], [3, false, true, 0, 1], [3, false, false, 1, 1], [4, false, false, 1, 1]]);

  const hk = s.flight.housekeeping!;
  assert.equal(hk.rejectedBadLength + hk.rejectedBadType + hk.rejectedBadSync, 0);
  // The four AD frames FARM-1 accepted were executed once each; the discarded ones never reached the image.
  const alive = s.commanding.reports.filter((r) => r.kind === "are-you-alive");
  assert.equal(alive.length, 4);
  assert.equal(hk.tcAccepted, 4);
});

test("[tengri §clcw] [232.0-B-4 §4.2.1.2] [232.0-B-4 §4.2.1.3] hostile CLCW records on the bus (3 and 5 octets, control word type 1, version 2) are refused and counted; the OCF keeps the last good CLCW; every line still arrives", async () => {
  const p = profile();
  const good = encodeRecord(RecordType.Clcw, Uint8Array.of(0x01, 0x04, 0x00, 0x07));
  const hostile = [clcwRecord([0x01, 0x04, 0x00]), clcwRecord([0x01, 0x04, 0x00, 0x08, 0x00]), clcwRecord([0x81, 0x04, 0x00, 0x63]), clcwRecord([0x41, 0x04, 0x00, 0x63])];
  const busFilter = function* (records: Iterable<Uint8Array>): Iterable<Uint8Array> {
    let line = 0;
    for (const r of records) {
      yield r;
      if (r[4] === RecordType.Line) { if (line === 3) yield good; if (line === 10) yield* hostile; line++; }
    }
  };
  const series = new ClcwSeries();
  const s = await runPass({ profile: p, lines: 32, seed: 4, busFilter, observers: [series] });
  const hk = s.flight.housekeeping!;
  assert.equal(hk.linesAccepted, 32);
  assert.equal(s.image.linesMismatch, 0);
  assert.equal(hk.rejectedBadLength, 2, "3 and 5 octets");
  assert.equal(hk.rejectedBadType, 2, "control word type 1, CLCW version 2");
  assert.equal(hk.lastStatus, -308, "E_BUS_BAD_CLCW");
  const log = s.flight.log.join("\n");
  assert.ok(log.includes(`reject CLCW record: not a version-0 CLCW status=-308 field=0 found=${0x81040063 | 0}`), log);
  assert.ok(log.includes(`status=-308 field=1 found=${0x41040063 | 0}`), log);
  assert.deepEqual(series.summary().changes.map((c) => clcwHex(c.clcw.word)), ["01000000", "01040007"]);
  assert.match(s.verdict.headline, /bus records rejected/, "the verdict names the rejections");
});
