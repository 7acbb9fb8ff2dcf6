// The report observer fed directly (no flight image): a long pass keeps the quicklooks within
// 1024 px and the timeline within its buckets; every output file is written and consistent.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createReportObserver, type ReportJson } from "../../../host/report/index.ts";
import { loadProfile } from "../../../host/profiles/index.ts";
import type { PassSummary } from "../../../host/pass.ts";
import type { DecodedFrame } from "../../../host/ground/link-decoder.ts";
import type { Housekeeping } from "../../../host/ground/housekeeping.ts";
import { computeBacklog } from "../../../host/report/backlog.ts";
import type { Verdict } from "../../../host/report/verdict.ts";

function summary(lines: number, lost: { line: number; bands: number[]; reason: string }[]): PassSummary {
  // Only the fields the report reads; cast because the summary grows with the pipeline.
  const ok = lost.length === 0;
  const verdict: Verdict = {
    verified: ok, label: ok ? "VERIFIED" : "NOT VERIFIED", reason: ok ? "every expected piece arrived and checked" : `${lost.length} lines lost`,
    headline: ok ? "VERIFIED: every expected piece arrived and checked" : `NOT VERIFIED: ${lost.length} lines lost`,
    checks: [{ name: "lines rebuilt against the imager's", expected: lines, got: lines - lost.length, ok, detail: ok ? "all" : "lost" }],
  };
  const backlog = computeBacklog([{ cadu: 0, frames: 0 }, { cadu: 999_000, frames: 1234 }], { cadusProduced: 1_000_000, passDurationS: lines / 875, bitRate: 100e6, caduBits: 8920 });
  return {
    profile: "default", lines, bands: 4, pixels: 4096, bitDepth: 12,
    flight: { exitCode: 0, log: ["booted"], housekeeping: null, busBytes: 1, caduBytes: 1 },
    link: { bytes: 0, bitErrors: 0, bursts: 0, dropped: 0, slips: 0 },
    ground: { cadus: 0, bitSlips: 0, syncLosses: 0, rsSymbolsCorrected: 0, rsCodewordsCorrected: 0, rsCodewordsUncorrectable: 0, framesGood: 0, framesDropped: 0, framesBadFecf: 0, idleFrames: 0, dataFrames: 0, gapFrames: 0, packets: 0, packetErrors: 0, hkPackets: 0, events: {} },
    image: { linesComplete: lines, linesExact: lines - lost.length, linesMismatch: 0, linesPartial: lost.length, linesMissing: 0, bandLinesLost: lost.length, segmentsReceived: 0, badPackets: 0, lostLines: lost, compression: [] },
    verdict, verified: ok,
    downlink: { passDurationS: lines / 875, rawBitRate: 172e6, downlinkBitRate: 100e6, caduBits: 8920, linkTimeS: 1, backlogS: backlog.endS, keepsUp: backlog.keptPace, backlog },
    wallS: 2, throughputMbitS: 10,
  } as unknown as PassSummary;
}

test("report observer: 100,000 lines and 1,000,000 frames stay within 1024 px and 256 buckets; files written", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tengri-report-obs-"));
  try {
    const p = loadProfile("default");
    const obs = createReportObserver(dir);
    obs.start!(p);
    const bands = p.sensor.bands.length, px = p.sensor.pixelsPerLine, n = 100_000;
    const s = new Uint16Array(bands * px);
    const views = Array.from({ length: bands }, (_, b) => s.subarray(b * px, (b + 1) * px));
    const mask = new Uint8Array(px).fill(1, 0, 1024);
    for (let i = 0; i < n; i++) {
      s[0] = i & 4095;
      obs.sentLine!(i, i / 875, s);
      obs.groundLine!(i, i >= 50_000 && i < 50_200 ? [null, views[1], views[2], views[3]] : views);
      obs.maskLine!(i, mask);
      if (i % 64 === 63) for (let t = 0; t < px; t += 64) obs.tile!({ firstLine: i - 63, lines: 64, firstPixel: t, count: 64, decision: t < 1024 ? "drop" : t < 2048 ? "degrade" : "keep" });
    }
    const f = { cadu: 0, idle: false, symbolsCorrected: 0 } as DecodedFrame;
    for (let c = 0; c < 1_000_000; c++) { f.cadu = c; f.idle = c % 10 === 0; f.symbolsCorrected = c % 7 === 0 ? 1 : 0; obs.frame!(f); }
    obs.linkEvent!({ kind: "mc-gap", cadu: 500_000, count: 3 });
    obs.housekeeping!({ cadus: 999_000, backlogFrames: 1234 } as Housekeeping);
    await obs.end!(summary(n, []));
    const r = JSON.parse(readFileSync(join(dir, "report.json"), "utf8")) as ReportJson;
    const q = r.report.quicklook;
    assert.equal(q.width, 1024);
    assert.ok(q.height <= 1024 && q.height >= 512, `height ${q.height}`);
    assert.equal(q.height, Math.ceil(n / q.lineStride));
    const t = r.report.timeline;
    assert.ok(t.buckets <= 256);
    assert.equal(t.series.dataFrames.reduce((a, b) => a + b, 0), 900_000);
    assert.equal(t.series.idleFrames.reduce((a, b) => a + b, 0), 100_000);
    assert.equal(t.series.framesLost.reduce((a, b) => a + b, 0), 3);
    const html = readFileSync(join(dir, "report.html"), "utf8");
    // The backlog chart shows exactly the figures "keeps up" is computed from: the housekeeping
    // reports and the end of imaging (1,000,000 CADUs against the pass's capacity).
    const shown = t.backlogFrames.filter((v): v is number => v !== null);
    assert.equal(shown.length, 3);
    assert.equal(Math.max(...shown), r.downlink.backlog.maxFrames);
    // It drained by the end of imaging, but rose to 1,234 frames on the way: not "keeps up".
    assert.equal(r.downlink.backlog.endFrames, 0);
    assert.equal(r.downlink.backlog.maxFrames, 1234);
    assert.equal(r.downlink.keepsUp, false);
    assert.match(html, /none when imaging ended, but the link fell behind during the pass \(up to 1,234 frames at 2 housekeeping reports\)/);
    // band 0 (blue) missing on 200 lines: rows of those lines are lost in true colour only
    const [tc, fc] = q.composites;
    assert.equal(tc.rowsLost, Math.ceil(50_200 / q.lineStride) - Math.ceil(50_000 / q.lineStride));
    assert.equal(fc.rowsLost, 0);
    for (const c of q.composites) for (const file of [c.sent, c.ground]) assert.ok(existsSync(join(dir, file)), file);
    const sc = r.report.screening!;
    assert.ok(sc, "screening reported");
    assert.equal(sc.tilesSeen, Math.floor(n / 64) * (px / 64));
    assert.deepEqual(sc.decisions, { drop: Math.floor(n / 64) * 16, degrade: Math.floor(n / 64) * 16, keep: Math.floor(n / 64) * 32 });
    assert.ok(existsSync(join(dir, sc.overlay)));
    assert.equal((html.match(/<img src="data:image\/png;base64,/g) ?? []).length, 5);
    assert.match(html, /<section id="screening">/);
    // The badge and the title say what the verdict says, and only that.
    assert.match(html, /id="verdict"[^>]*>VERIFIED<\/span>/);
    assert.match(html, /<title>[^<]*, VERIFIED<\/title>/);
    assert.doesNotMatch(html, /NOT VERIFIED/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
