// Commanding the payload, end to end: PUS-C telecommands in TC transfer frames, interleaved with
// the imager's lines on the payload bus (record type 4); every report decoded by the ground from
// the downlink, and the pass still verifies.
import { test } from "node:test";
import assert from "node:assert/strict";
import { crc32 } from "node:zlib";
import { runPass } from "../../host/pass.ts";
import { loadProfile, type Profile } from "../../host/profiles/index.ts";
import { configValues, compileConfig } from "../../host/obc/config-table.ts";
import { buildTc, tc, parameterId, EVENT, type PusReport, type TcSpec } from "../../host/commanding/pus.ts";
import { tcRecord, commandingFlashDir } from "../host/commanding/tc-frames.ts";
import { interleave } from "./interleave.ts";
import { crc16 } from "../../host/util/crc16.ts";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

function profile(): Profile {
  const p = structuredClone(loadProfile("default"));
  p.products.image.screening = { enabled: true, tileSize: 64, degradeShift: 2 };
  return p;
}


const verif = (rs: PusReport[], seq: number) => rs.filter((r) => r.kind === "verification" && r.requestId.seqCount === seq) as Extract<PusReport, { kind: "verification" }>[];

test("[ECSS-E-ST-70-41C §6.1, §6.3, §6.5, §6.6, §6.8, §6.17, §6.20] a pass commanded mid-acquisition: every report arrives, a screening threshold changes at a tile boundary, hostile requests are refused with their status, the pass verifies", async () => {
  const p = profile();
  const scid = p.spacecraft.scid;
  const v = configValues(p);
  const blue = (v.scrCoreBlue as number) + 41;
  let seq = 0, frameSeq = 0;
  const specs: TcSpec[] = [];
  const rec = (...s: TcSpec[]) => tcRecord(s.map((x) => { specs.push(x); return buildTc({ ...x, seq: seq++, source: 7 }); }), { scid, seq: frameSeq++, arsn: 100 + frameSeq });
  const after = new Map<number, Uint8Array[]>([
    [0, [rec(tc.areYouAlive(), tc.eventsEnable([EVENT["lines-missing"]]))]],                        // seq 0, 1: two packets in one frame
    [10, [rec(tc.setParams([["scrCoreBlue", blue]]))]],                                                // seq 2: applied at line 64
    [20, [rec(tc.hkReport())]],                                                                         // seq 3
    [30, [rec(tc.reportParams(["scrCoreBlue", "aecRsi"]))]],                                          // seq 4: the pending value
    [40, [rec({ service: 99, subtype: 1 })]],                                                          // seq 5: unknown service
    [50, [rec(tc.setParams([["aecRsi", 5000]]))]],                                                    // seq 6: out of range
    [51, [rec(tc.setParams([["scrDegradeFrac", 65000], ["scrDropFrac", 1000]]))]],                    // seq 7: degrade > drop: the table check refuses
    [52, [rec(tc.setProductMode("ccsds123"))]],                                                       // seq 8: not carved
    [53, [rec(tc.uploadStart(64 << 20))]],                                                            // seq 9: larger than a slot
    [54, [rec(tc.setParams([["scrTileSize", 32]]))]],                                                 // seq 10: not settable in flight
    [100, [rec(tc.memoryCheck("configuration"))]],                                                    // seq 11: the table in force
    [101, [rec(tc.flush())]],                                                                         // seq 12
  ]);
  const beforeEnd = [rec(tc.stopAcquisition())];                                                       // seq 13
  const s = await runPass({ profile: p, lines: 192, seed: 5, busFilter: interleave(after, beforeEnd), flashDir: commandingFlashDir() });
  const rs = s.commanding.reports;
  assert.equal(s.commanding.badReports, 0);
  assert.equal(s.verified, true, s.verdict.headline);
  assert.equal(s.image.linesMismatch, 0);
  // The message type counter runs without a gap: no report lost.
  rs.forEach((r, i) => assert.equal(r.counter, rs[0].counter + i, `report ${i} counter`));
  // Accepted requests: acceptance and completion success (ack flags 1001).
  for (const q of [0, 1, 2, 3, 4, 11, 12, 13]) {
    const vs = verif(rs, q);
    assert.deepEqual(vs.map((x) => [x.stage, x.success]), [["acceptance", true], ["completion", true]], `request ${q}: ${JSON.stringify(vs)}`);
  }
  assert.ok(rs.some((r) => r.kind === "are-you-alive"));
  const hkr = rs.find((r) => r.kind === "housekeeping");
  assert.ok(hkr && hkr.kind === "housekeeping" && hkr.housekeeping.linesAccepted === 21 && hkr.structureId === 1);
  const pr = rs.find((r) => r.kind === "parameters");
  assert.ok(pr && pr.kind === "parameters");
  assert.deepEqual(pr.values.map((x) => [x.name, x.value]), [["scrCoreBlue", blue], ["aecRsi", v.aecRsi]]);
  // Refused at acceptance, with the status of the table.
  const refusal = (q: number) => { const vs = verif(rs, q); assert.equal(vs.length, 1, `request ${q}`); return vs[0]; };
  assert.equal(refusal(5).failure?.status, "E_PUS_SERVICE");
  assert.equal(refusal(5).stage, "acceptance");
  assert.equal(refusal(10).failure?.status, "E_PUS_PARAM_ID");
  assert.equal(refusal(10).failure?.found, parameterId("scrTileSize"));
  // Accepted, then failed in execution: the status and the table field that refused it.
  const failed = (q: number) => verif(rs, q).find((x) => x.stage === "completion")!;
  assert.equal(failed(6).failure?.status, "E_CFG_BAD_VALUE");
  assert.equal(failed(6).failure?.found, 5000);
  assert.equal(failed(7).failure?.status, "E_CFG_BAD_VALUE");
  assert.equal(failed(8).failure?.status, "E_PUS_MODE");
  assert.equal(failed(9).failure?.status, "E_UPL_BOUNDS");
  // The threshold took effect at the tile-row boundary (line 64), announced by an event.
  const ev = rs.filter((r) => r.kind === "event") as Extract<PusReport, { kind: "event" }>[];
  const applied = ev.find((e) => e.event === "parameter-applied");
  assert.ok(applied, JSON.stringify(ev));
  assert.equal(applied.line, 63, "applied before line 64, the first of the second tile row");
  assert.ok(ev.some((e) => e.event === "tc-failed" && e.statusName === "E_CFG_BAD_VALUE"));
  // ST[6] memory check: CRC-32 of the table in force = the compiled table with the new value.
  const table = compileConfig(p);
  const at = configTableOffset(table, v.scrCoreBlue as number);
  new DataView(table.buffer).setInt32(at, blue);
  new DataView(table.buffer).setUint16(table.length - 2, crc16(table.subarray(0, table.length - 2)));
  const mc = rs.find((r) => r.kind === "memory-check");
  assert.ok(mc && mc.kind === "memory-check");
  assert.equal(mc.length, table.length);
  assert.equal(mc.checksum, (crc32(table) >>> 0).toString(16).padStart(8, "0"));
  const hk = s.flight.housekeeping!;
  assert.equal(hk.paramChanges, 1);
  assert.equal(hk.pusAccepted, 12);
  assert.equal(hk.pusRejected, 2);
  assert.equal(hk.pusFailed, 4);
  assert.equal(hk.linesAccepted, 192);
  assert.equal(hk.linesDroppedStopped, 0);
  assert.equal(hk.state, "ended");
  assert.equal(specs.length, 14);
});

/** The offset of the one i32 field of a table holding value v in the screening block (scrCoreBlue). */
function configTableOffset(t: Uint8Array, v: number): number {
  const dv = new DataView(t.buffer);
  const hits: number[] = [];
  for (let i = 0; i + 4 <= t.length - 2; i++) if (dv.getInt32(i) === v) hits.push(i);
  assert.ok(hits.length >= 1);
  return hits[0];
}

test("[ECSS-E-ST-70-41C §6.8] [tengri §stop-verified] stop acquisition: takes effect at the next tile boundary, later lines are counted and dropped, start resumes at the next tile row of the grid; a forged frame (wrong VCID, bad FECF) is refused and counted", async () => {
  const p = profile();
  const scid = p.spacecraft.scid;
  let seq = 0;
  const rec = (s: TcSpec) => tcRecord([buildTc({ ...s, seq: seq++ })], { scid });
  const after = new Map<number, Uint8Array[]>([
    [70, [rec(tc.stopAcquisition())]],                                        // effective at line 128
    // start: effective at line 192, the next tile row of the grid
    [150, [rec(tc.startAcquisition()), tcRecord([buildTc(tc.areYouAlive())], { scid, vcid: 5 }), tcRecord([buildTc(tc.areYouAlive())], { scid, badFecf: true })]],
  ]);
  const out = mkdtempSync(join(tmpdir(), "tengri-cmd-"));
  const s = await runPass({ profile: p, lines: 256, seed: 6, busFilter: interleave(after), out, flashDir: commandingFlashDir() });
  // The pass result lists the reports: report.json, and a section of report.html.
  const json = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
  assert.equal(json.commanding.reports.length, s.commanding.reports.length);
  // The ground reconstructs the commanded stop from events 7 and 8: lines 128 … 191 stopped, not missing; the pass verifies.
  assert.equal(s.verified, true, s.verdict.headline);
  assert.deepEqual(json.commanding.stopped.intervals.map((i: { from: number; to: number; dropped: number; linesSent: number }) => [i.from, i.to, i.dropped, i.linesSent]), [[128, 192, 64, 64]]);
  assert.equal(json.commanding.stopped.lines, 64);
  const chk = s.verdict.checks.find((k) => k.name === "lines stopped by command");
  assert.ok(chk?.ok, JSON.stringify(chk));
  assert.equal(s.commanding.stopped?.lines, 64);
  assert.ok(json.commanding.reports.length >= 6);
  const html = readFileSync(join(out, "report.html"), "utf8");
  assert.match(html, /<section id="commanding"><h2>Commanding \(PUS-C reports\)<\/h2>/);
  assert.match(html, /event acquisition-stopped \(7, informative\)/);
  rmSync(out, { recursive: true, force: true });
  const hk = s.flight.housekeeping!;
  assert.equal(hk.linesDroppedStopped, 192 - 128, "lines 128 … 191 dropped");
  assert.equal(hk.linesAccepted, 256 - 64);
  assert.equal(hk.rejectedLineJump, 0, "no false jump when acquisition restarts");
  assert.equal(hk.pusRejected, 2);
  const ev = s.commanding.reports.filter((r) => r.kind === "event") as Extract<PusReport, { kind: "event" }>[];
  assert.deepEqual(ev.filter((e) => e.event.startsWith("acquisition")).map((e) => [e.event, e.line, e.at, e.count]), [["acquisition-stopped", 127, 128, 0], ["acquisition-started", 191, 192, 64]]);
  assert.deepEqual(ev.filter((e) => e.event === "tc-refused").map((e) => e.statusName), ["E_PUS_FRAME", "E_PUS_FRAME"]);
});

test("[ECSS-E-ST-70-41C §6.17] [tengri §commanding] a command flood on the bus during acquisition: a frame of 20 requests and a forged frame after every line; no accepted line is lost, every answer arrives, the pass verifies", async () => {
  const p = profile();
  const scid = p.spacecraft.scid;
  const alive = buildTc({ ...tc.areYouAlive(), ack: 0 });
  const after = new Map<number, Uint8Array[]>();
  for (let l = 0; l < 192; l++) after.set(l, [tcRecord(Array.from({ length: 20 }, () => alive), { scid, seq: l }), tcRecord([alive], { scid, vcid: 9 })]);
  const s = await runPass({ profile: p, lines: 192, seed: 8, busFilter: interleave(after), flashDir: commandingFlashDir() });
  assert.equal(s.verified, true, s.verdict.headline);
  const hk = s.flight.housekeeping!;
  assert.equal(hk.linesAccepted, 192);
  assert.equal(hk.pusAccepted, 192 * 20);
  assert.equal(hk.pusRejected, 192);
  assert.equal(hk.framesOverflowed, 0);
  const rs = s.commanding.reports;
  assert.equal(rs.filter((r) => r.kind === "are-you-alive").length, 192 * 20);
  rs.forEach((r, i) => assert.equal(r.counter, (rs[0].counter + i) & 0xffff, `report ${i}: no report lost`));
  // tc-refused events: the first 8, then every 1000th (none here): the downlink is not flooded by them.
  assert.equal(rs.filter((r) => r.kind === "event" && r.event === "tc-refused").length, 8);
});
