// The pass report as a PassObserver: quicklooks (sent and arrived, true and false colour), a
// downlink timeline, events and housekeeping, gathered with bounded memory while the pass
// streams; at the end report.json, the PNG quicklooks and a self-contained report.html.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { derived, type Profile } from "../profiles/index.ts";
import type { PassObserver, PassSummary } from "../pass.ts";
import type { DecodedFrame, LinkEvent } from "../ground/link-decoder.ts";
import type { Housekeeping } from "../ground/housekeeping.ts";
import { encodePng } from "./png.ts";
import { insideInterval } from "../ground/stopped.ts";
import { composites, QuicklookBuffer, type Composite, type Stretch } from "./quicklook.ts";
import { Timeline } from "./timeline.ts";
import { renderHtml } from "./html.ts";
import { REPORT_VERSION, type ReportJson, type ReportExtras, type QuicklookJson } from "./types.ts";

export type { ReportJson, ReportExtras } from "./types.ts";
export { renderHtml, SECTIONS, type Section } from "./html.ts";
export { encodePng, crc32 } from "./png.ts";

export interface ReportOptions {
  /** Longest side of a quicklook in pixels (default 1024). */
  maxSide?: number;
  /** Timeline buckets at most (default 256). */
  maxBuckets?: number;
  /** Link events listed one by one (default 50); all are counted. */
  eventsListed?: number;
  /** Lost lines listed in the HTML (default 50); report.json keeps the summary's full list. */
  lostLinesListed?: number;
}

const REJECTED = new Set(["rs-uncorrectable", "fecf-bad", "bad-header"]);
const SYNC = new Set(["sync-lost", "bit-slip", "flywheel", "garbage", "truncated-cadu"]);

/** Screening hooks of the pass (cloud mask per line, tile decisions), typed here by what the report reads. */
export interface ScreeningHooks {
  maskLine?(line: number, mask: Uint8Array): void;
  tile?(t: { firstLine: number; lines: number; firstPixel: number; count: number; decision: string }): void;
}

export function createReportObserver(outDir: string, o: ReportOptions = {}): PassObserver & ScreeningHooks {
  const eventsListed = o.eventsListed ?? 50;
  let profile: Profile | null = null;
  let ql: QuicklookBuffer | null = null;
  let comps: Composite[] = [];
  let timeline: Timeline | null = null;
  let lossKind: "mc-gap" | "vc-gap" = "mc-gap";
  const counts: Record<string, number> = {};
  const first: LinkEvent[] = [];
  let hkPackets = 0;
  let lastHk: Housekeeping | null = null;
  const decisions: Record<string, number> = {};

  return {
    start(p) {
      profile = p;
      comps = composites(p.sensor.bands);
      const keep = [...new Set(comps.flatMap((c) => c.bands))];
      ql = new QuicklookBuffer(p.sensor.bands.length, p.sensor.pixelsPerLine, keep, p.sensor.bitDepth, o.maxSide ?? 1024);
      timeline = new Timeline(derived(p).caduPerSecond, o.maxBuckets ?? 256);
      // TM frames carry a master channel counter that sees every lost frame once; AOS only VC counters.
      lossKind = p.link.frame.type === "tm" ? "mc-gap" : "vc-gap";
    },
    sentLine(line, _t, samples) { ql?.addSent(line, samples); },
    groundLine(line, bands) { ql?.addGround(line, bands); },
    maskLine(line, mask) { ql?.addMask(line, mask); },
    tile(t) { decisions[t.decision] = (decisions[t.decision] ?? 0) + 1; ql?.addTile(t); },
    frame(f: DecodedFrame) {
      if (!timeline) return;
      timeline.add(f.idle ? "idleFrames" : "dataFrames", f.cadu);
      if (f.symbolsCorrected) timeline.add("rsSymbolsCorrected", f.cadu, f.symbolsCorrected);
    },
    linkEvent(e: LinkEvent) {
      counts[e.kind] = (counts[e.kind] ?? 0) + 1;
      if (first.length < eventsListed) first.push({ ...e });
      if (!timeline) return;
      if (REJECTED.has(e.kind)) timeline.add("framesRejected", e.cadu);
      else if (e.kind === lossKind) timeline.add("framesLost", e.cadu, e.count ?? 1);
      else if (SYNC.has(e.kind)) timeline.add("syncEvents", e.cadu);
    },
    housekeeping(hk) {
      hkPackets++;
      lastHk = hk;
    },
    end(s: PassSummary) {
      if (!profile || !ql || !timeline) throw new Error("report observer: end() before start()");
      writeReport(outDir, buildReport(s, profile, ql, comps, timeline, { counts, first, eventsListed, hkPackets, lastHk, decisions, lostLinesListed: o.lostLinesListed ?? 50 }));
    },
  };
}

interface Built { json: ReportJson; pngs: Map<string, Buffer> }

function buildReport(
  s: PassSummary, p: Profile, ql: QuicklookBuffer, comps: Composite[], timeline: Timeline,
  x: { counts: Record<string, number>; first: LinkEvent[]; eventsListed: number; hkPackets: number; lastHk: Housekeeping | null; decisions: Record<string, number>; lostLinesListed: number },
): Built {
  const d = derived(p);
  // The backlog chart and "keeps up" come from the same figures (host/report/backlog.ts), each
  // placed at the flight's own CADU count when it was taken (housekeeping frames may wait in
  // the store and reach the ground much later).
  for (const b of s.downlink.backlog?.samples ?? []) timeline.backlogAt(b.cadu, b.frames);
  // Lines inside a commanded stop are not lost: their rows are drawn grey, not magenta.
  const stops = s.commanding?.stopped?.intervals ?? [];
  for (const l of s.image.lostLines) if (!stops.some((i) => insideInterval(i, l.line))) ql.markLost(l.line, l.bands);
  ql.markStopped(stops);
  const stretches = new Map<number, Stretch>();
  for (const c of comps) for (const b of c.bands) if (!stretches.has(b)) stretches.set(b, ql.stretch(b));
  const pngs = new Map<string, Buffer>();
  const compJson: QuicklookJson[] = comps.map((c) => {
    const names = c.bands.map((b) => p.sensor.bands[b].name) as [string, string, string];
    const sent = `quicklook-sent-${c.kind}.png`, ground = `quicklook-ground-${c.kind}.png`;
    const h = Math.max(1, ql.rows);
    pngs.set(sent, encodePng(ql.width, h, ql.render(c, "sent", stretches).rgb));
    const g = ql.render(c, "ground", stretches);
    pngs.set(ground, encodePng(ql.width, h, g.rgb));
    return { kind: c.kind, bands: names, sent, ground, rowsLost: g.rowsLost, ...(g.rowsStopped ? { rowsStopped: g.rowsStopped } : {}) };
  });
  const screeningSummary = (s as { screening?: Record<string, number | boolean> | null }).screening ?? null;
  let screening: ReportExtras["screening"] = null;
  if (ql.hasScreening || screeningSummary) {
    const overlay = "quicklook-ground-screening.png";
    pngs.set(overlay, encodePng(ql.width, Math.max(1, ql.rows), ql.renderScreening(comps[0], stretches)));
    screening = { overlay, maskRows: ql.maskRows, tilesSeen: ql.tilesSeen, decisions: x.decisions, summary: screeningSummary };
  }
  const backlogBytes = (s.downlink.backlogS * s.downlink.downlinkBitRate) / 8;
  const hkBacklog = x.lastHk ? x.lastHk.backlogFrames : null;
  const mode = p.products.image.compression;
  const json: ReportJson = {
    ...s,
    report: {
      version: REPORT_VERSION,
      generatedUtc: new Date().toISOString(),
      runtime: { node: process.version, v8: process.versions.v8, wasi: "node:wasi (wasi_snapshot_preview1) in a child process", execArgv: process.execArgv, platform: `${process.platform}-${process.arch}` },
      profile: {
        name: p.name, description: p.description ?? "", bands: p.sensor.bands.map((b) => ({ name: b.name, centreNm: b.centreNm })),
        pixelsPerLine: p.sensor.pixelsPerLine, bitDepth: p.sensor.bitDepth, lineRateHz: p.sensor.lineRateHz, frameType: p.link.frame.type,
        frameLength: p.link.frame.length, rsE: p.link.coding.rsE, rsDepth: p.link.coding.rsDepth, caduLen: d.caduLen,
        downlinkBitRate: p.link.downlinkBitRate, storeBytes: p.obc.storeBytes, compression: mode,
      },
      quicklook: {
        width: ql.width, height: Math.max(1, ql.rows), pixelStride: ql.kx, lineStride: ql.ky, lostColour: "#ff00ff",
        stretch: [...stretches.values()].map((st) => ({ band: p.sensor.bands[st.band].name, low: st.low, high: st.high })),
        composites: compJson,
      },
      timeline: timeline.toJSON(),
      budget: {
        rawBitRate: s.downlink.rawBitRate, downlinkBitRate: s.downlink.downlinkBitRate, rawToDownlink: s.downlink.rawBitRate / s.downlink.downlinkBitRate,
        passDurationS: s.downlink.passDurationS, linkTimeS: s.downlink.linkTimeS, backlogS: s.downlink.backlogS, backlogBytes,
        storeBytes: p.obc.storeBytes, storeFillPct: (100 * backlogBytes) / p.obc.storeBytes,
        hkBacklogFrames: hkBacklog, hkBacklogBytes: hkBacklog === null ? null : Math.max(0, hkBacklog) * d.caduLen,
      },
      realtime: { wallS: s.wallS, passDurationS: s.downlink.passDurationS, factor: s.wallS > 0 ? s.downlink.passDurationS / s.wallS : 0, realTime: s.wallS <= s.downlink.passDurationS },
      // Raw mode: every band leaves at ratio 1. The flight compressors will report measured ratios here.
      compression: compressionOf(s, p),
      events: { counts: x.counts, total: Object.values(x.counts).reduce((a, b) => a + b, 0), listedMax: x.eventsListed, first: x.first },
      housekeeping: { packets: x.hkPackets, last: x.lastHk ? { ...x.lastHk } : null },
      lostLinesListed: x.lostLinesListed,
      screening,
    },
  };
  return { json, pngs };
}

/** Ratios per band measured by the ground (coded octets received); raw mode: every band at 1. */
function compressionOf(s: PassSummary, p: Profile): ReportExtras["compression"] {
  const mode = p.products.image.compression;
  const measured = s.image.compression ?? [];
  const perBand = measured.length
    ? measured.map((c) => ({ band: p.sensor.bands[c.band]?.name ?? String(c.band), ratio: c.ratio, bitsPerSample: c.bitsPerSample, codedBits: c.codedBits, rawBits: c.rawBits }))
    : p.sensor.bands.map((b) => ({ band: b.name, ratio: 1, bitsPerSample: p.sensor.bitDepth, codedBits: 0, rawBits: 0 }));
  const raw = perBand.reduce((a, b) => a + b.rawBits, 0), coded = perBand.reduce((a, b) => a + b.codedBits, 0);
  return { mode, measured: measured.length > 0, overallRatio: measured.length && coded ? raw / coded : 1, perBand, perSegment: [] };
}

function writeReport(outDir: string, b: Built): void {
  mkdirSync(outDir, { recursive: true });
  for (const [name, png] of b.pngs) writeFileSync(join(outDir, name), png);
  writeFileSync(join(outDir, "report.json"), JSON.stringify(b.json, null, 2));
  const assets = new Map<string, string>();
  for (const [name, png] of b.pngs) assets.set(name, `data:image/png;base64,${png.toString("base64")}`);
  writeFileSync(join(outDir, "report.html"), renderHtml(b.json, assets));
}
