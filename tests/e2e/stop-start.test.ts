// A commanded stop and start of acquisition, verified end to end (issue 11; README "Commanding the
// payload", Stop and start): in every product (CCSDS 121 units, cloud-screened tiles, CCSDS 123
// segments, raw lines) the stop takes effect at a boundary and the start on the product grid, the
// ST[1] reports say when (ST[1,3] at acceptance, ST[1,7] at the boundary), events 7 and 8 carry
// the interval, and the ground counts its lines as stopped by command: the pass verifies. A stop
// whose event is lost on the link is not accounted for: the pass does not verify.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runPass } from "../../host/pass.ts";
import { loadProfile, type Profile } from "../../host/profiles/index.ts";
import { buildTc, tc, type PusReport } from "../../host/commanding/pus.ts";
import { tcRecord, commandingFlashDir } from "../host/commanding/tc-frames.ts";
import { interleave } from "./interleave.ts";
import { readPng } from "../host/report/png-reader.ts";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

type Ev = Extract<PusReport, { kind: "event" }>;
type Vr = Extract<PusReport, { kind: "verification" }>;


function profile(mode: "ccsds121" | "screened" | "ccsds123" | "raw"): { p: Profile; grid: number } {
  if (mode === "ccsds123") {
    const p = structuredClone(loadProfile("hyperspectral"));
    p.products.image.ccsds123!.segmentLines = 16;
    return { p, grid: 16 };
  }
  const p = structuredClone(loadProfile("default"));
  if (mode === "screened") { p.products.image.screening = { ...p.products.image.screening!, enabled: true, tileSize: 32 }; return { p, grid: 32 }; }
  p.products.image.screening = { ...p.products.image.screening!, enabled: false };
  if (mode === "raw") { p.products.image.compression = "raw"; return { p, grid: 1 }; }
  return { p, grid: 16 };
}

/** Stop after line `stopAfter`, start after line `startAfter` (ack: acceptance, start, completion). */
async function stopStart(mode: Parameters<typeof profile>[0], lines: number, stopAfter: number, startAfter: number, losePacket?: (apid: number, nth: number) => boolean, out?: string) {
  const { p, grid } = profile(mode);
  const scid = p.spacecraft.scid;
  let seq = 0;
  const rec = (s: ReturnType<typeof tc.stopAcquisition>) => tcRecord([buildTc({ ...s, seq: seq++, ack: 0b1011 })], { scid });
  const after = new Map([[stopAfter, [rec(tc.stopAcquisition())]], [startAfter, [rec(tc.startAcquisition())]]]);
  const s = await runPass({ profile: p, lines, seed: 31, busFilter: interleave(after), flashDir: commandingFlashDir(), losePacket, out });
  return { s, grid };
}

/** The boundaries the flight image must pick: the first grid row at or after the line after the command. */
const nextRow = (line: number, grid: number) => Math.ceil((line + 1) / grid) * grid;

for (const [mode, lines, stopAfter, startAfter] of [["ccsds121", 96, 20, 41], ["screened", 160, 40, 70], ["ccsds123", 80, 5, 30], ["raw", 40, 9, 19]] as const) {
  test(`[tengri §stop-verified] [ECSS-E-ST-70-41C §6.1.5, §6.8] ${mode}: stop and start mid-pass take effect on the product grid, ST[1,3] at acceptance and ST[1,7] after the event at the boundary; the ground counts the interval as stopped by command and the pass verifies`, async () => {
    const { s, grid } = await stopStart(mode, lines, stopAfter, startAfter);
    const from = nextRow(stopAfter, grid), to = nextRow(startAfter, grid);
    assert.equal(s.verified, true, s.verdict.headline);
    const rs = s.commanding.reports;
    assert.equal(s.commanding.badReports, 0);
    rs.forEach((r, i) => assert.equal(r.counter, (rs[0].counter + i) & 0xffff, `report ${i}: none lost`));
    const ev = rs.filter((r): r is Ev => r.kind === "event" && (r.eventId === 7 || r.eventId === 8));
    assert.deepEqual(ev.map((e) => [e.event, e.at, e.count, e.line]), [["acquisition-stopped", from, 0, from - 1], ["acquisition-started", to, to - from, to - 1]]);
    for (const [q, e] of [[0, ev[0]], [1, ev[1]]] as const) {
      const v = rs.filter((r): r is Vr => r.kind === "verification" && r.requestId.seqCount === q);
      assert.deepEqual(v.map((x) => [x.stage, x.success]), [["acceptance", true], ["start", true], ["completion", true]], `request ${q}`);
      // Acceptance and start leave together; the completion only after the event of the boundary.
      assert.equal(v[1].counter, v[0].counter + 1);
      assert.equal(v[2].counter, e.counter + 1, `request ${q}: ST[1,7] right after its event`);
      assert.ok(v[2].counter - v[1].counter >= 2);
    }
    const st = s.commanding.stopped!;
    assert.deepEqual(st.intervals.map((i) => [i.from, i.to, i.dropped, i.linesSent, i.linesArrived]), [[from, to, to - from, to - from, 0]]);
    assert.equal(st.lines, to - from);
    const hk = s.flight.housekeeping!;
    assert.equal(hk.linesDroppedStopped, to - from);
    assert.equal(hk.linesAccepted, lines - (to - from));
    assert.equal(s.image.linesMissing, to - from, "the stopped lines, and no other, never arrived");
    const chk = s.verdict.checks.find((k) => k.name === "lines stopped by command")!;
    assert.ok(chk.ok && chk.expected === to - from && chk.got === to - from, JSON.stringify(chk));
    assert.match(s.verdict.checks.find((k) => k.name === "lines rebuilt against the imager's")!.detail, new RegExp(`\\(${to - from} more stopped by command\\)`));
  });
}

test("[tengri §stop-verified] a stop whose event 7 is lost on the link is not accounted for: 'lines stopped by command' fails and the pass does not verify", async () => {
  const first = await stopStart("ccsds121", 64, 5, 30);
  assert.equal(first.s.verified, true, first.s.verdict.headline);
  const reportApid = first.s.commanding.reportApid;
  const nth = first.s.commanding.reports.findIndex((r) => r.kind === "event" && r.eventId === 7);
  assert.ok(nth >= 0);
  const { s } = await stopStart("ccsds121", 64, 5, 30, (apid, k) => apid === reportApid && k === nth);
  assert.equal(s.verified, false);
  const chk = s.verdict.checks.find((k) => k.name === "lines stopped by command")!;
  assert.equal(chk.ok, false);
  assert.match(chk.detail, /acquisition-started at line 32 with no acquisition-stopped before it/);
  assert.equal(s.commanding.stopped!.lines, 0);
});

test("[tengri §stop-verified] report.json commanding.stopped lists the interval and its lines; the ground quicklook draws stopped rows grey, distinct from lost rows (magenta)", async () => {
  const out = mkdtempSync(join(tmpdir(), "tengri-stop-"));
  try {
    const { s } = await stopStart("raw", 40, 9, 19, undefined, out);
    assert.equal(s.verified, true, s.verdict.headline);
    const json = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
    assert.deepEqual(json.commanding.stopped.intervals.map((i: { from: number; to: number }) => [i.from, i.to]), [[10, 20]]);
    assert.equal(json.commanding.stopped.lines, 10);
    const c = json.report.quicklook.composites[0];
    assert.equal(c.rowsLost, 0);
    // 4096 pixels on a 1024-pixel quicklook: a row stands for every 4th line (lines 0, 4, 8, …).
    const png = readPng(readFileSync(join(out, c.ground)));
    const k = Math.ceil(40 / png.height);
    assert.equal(k, 4);
    const px = (y: number) => Array.from(png.rgb.subarray(y * png.width * 3, y * png.width * 3 + 3));
    let grey = 0;
    for (let y = 0; y < png.height; y++) {
      const stopped = y * k >= 10 && y * k < 20;
      if (stopped) { assert.deepEqual(px(y), [128, 128, 128], `row ${y} (line ${y * k}) grey`); grey++; }
      else { assert.notDeepEqual(px(y), [128, 128, 128]); assert.notDeepEqual(px(y), [255, 0, 255], `row ${y} not lost`); }
    }
    assert.equal(c.rowsStopped, grey);
    assert.equal(grey, 2);
    const html = readFileSync(join(out, "report.html"), "utf8");
    assert.match(html, /rows stopped by command \(grey\)/);
    assert.match(html, /Acquisition stopped by command: <span class="fig" data-k="commanding.stopped.lines" data-v="10">10<\/span> lines in \[10, 20\)/);
  } finally { rmSync(out, { recursive: true, force: true }); }
});
