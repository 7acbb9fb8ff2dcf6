// report.html: one self-contained page (inline CSS and SVG, PNGs as data: URIs, no script, no
// external resource). Each section is a function from the report JSON to HTML; a later
// section (cloud mask overlay and tile decisions, compression per segment) is one more entry
// in SECTIONS. Every figure taken from report.json is marked data-k="path.in.json" with its
// value in data-v, so a test can compare the page with the JSON.
import { COLOURS, columns, esc, fmt, fmtBytes, fmtRate, hbars, timelineChart } from "./svg.ts";
import type { ReportJson } from "./types.ts";
import { backlogWords } from "./backlog.ts";
import { describeReport } from "../ground/pus-reports.ts";

/** File name → data: URI of the images the page embeds. */
export type Assets = ReadonlyMap<string, string>;
export type Section = (r: ReportJson, assets: Assets) => string;

export function valueAt(obj: unknown, path: string): unknown {
  let v: unknown = obj;
  for (const k of path.split(".")) v = v !== null && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

/** A figure from the JSON: formatted text, with its path and exact value for the test. */
function fig(r: ReportJson, path: string, format: (v: number) => string = (v) => fmt(v)): string {
  const v = valueAt(r, path);
  const text = typeof v === "number" ? format(v) : typeof v === "boolean" ? (v ? "yes" : "no") : v === null || v === undefined ? "–" : String(v);
  return `<span class="fig" data-k="${esc(path)}" data-v="${esc(JSON.stringify(v ?? null))}">${esc(text)}</span>`;
}

function section(id: string, title: string, body: string): string {
  return `<section id="${id}"><h2>${esc(title)}</h2>${body}</section>`;
}

function table(rows: [string, string][], cls = "kv"): string {
  return `<table class="${cls}"><tbody>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${v}</td></tr>`).join("")}</tbody></table>`;
}

/** CUC seconds since 1958-01-01 TAI as UTC (TAI − UTC = 37 s since 2017). */
const cucUtc = (v: number) => new Date(Date.UTC(1958, 0, 1) + (v - 37) * 1000).toISOString().replace("T", " ").replace(/\.?0*Z$/, "").replace(/(\.\d{3})\d*$/, "$1") + " UTC";
/** "every pixel", "every 2nd line", "every 12th pixel" */
function nth(k: number, what: string): string {
  if (k <= 1) return `Every ${what}`;
  const suffix = k % 100 >= 11 && k % 100 <= 13 ? "th" : (["th", "st", "nd", "rd"][k % 10] ?? "th");
  return `Every ${fmt(k)}${suffix} ${what}`;
}
const secs = (v: number) => `${fmt(v, v < 10 ? 3 : 1)} s`;

const header: Section = (r) => {
  // The badge, its words and the page title come from the verdict (host/report/verdict.ts) only.
  const ok = r.verdict.verified;
  const lost = r.image.linesMissing + r.image.linesPartial;
  const card = (label: string, body: string, cls = "") => `<div class="card ${cls}"><div class="cl">${esc(label)}</div><div class="cv">${body}</div></div>`;
  const bad = (n: number) => (n > 0 ? "bad" : "");
  return `<header>
<div class="title"><h1>Pass report <small>profile ${fig(r, "profile")}</small></h1>
<p class="sub">${fmt(r.lines)} lines × ${fmt(r.bands)} bands × ${fmt(r.pixels)} pixels, ${r.bitDepth}-bit · ${esc(r.report.profile.frameType.toUpperCase())} ${r.report.profile.frameLength}-octet frames, RS E=${r.report.profile.rsE} I=${r.report.profile.rsDepth} · generated ${esc(r.report.generatedUtc)}</p></div>
<div class="verdict ${ok ? "pass" : "fail"}"><span class="fig" id="verdict" data-k="verdict.verified" data-v="${ok}">${esc(r.verdict.label)}</span><small id="verdict-reason">${esc(r.verdict.reason)}</small></div>
</header>
<div class="cards">
${card("lines verified / sent", `${fig(r, "image.linesExact")} / ${fig(r, "lines")}`, r.image.linesExact === r.lines ? "good" : "bad")}
${card("lines missing / partial", `${fig(r, "image.linesMissing")} / ${fig(r, "image.linesPartial")}`, bad(lost))}
${card("CADUs decoded", fig(r, "ground.cadus"))}
${card("RS symbols corrected", fig(r, "ground.rsSymbolsCorrected"))}
${card("RS codewords uncorrectable", fig(r, "ground.rsCodewordsUncorrectable"), bad(r.ground.rsCodewordsUncorrectable))}
${card("frames dropped", fig(r, "ground.framesDropped"), bad(r.ground.framesDropped))}
${card("backlog when imaging ended", `${fig(r, "downlink.backlog.endFrames")} frames`, r.downlink.keepsUp ? "good" : "warn")}
${card("speed vs real time", `${fig(r, "report.realtime.factor", (v) => fmt(v, 2))} ×`, r.report.realtime.realTime ? "good" : "warn")}
</div>`;
};

/** Every check of the verdict: what was owed, what arrived and checked, and the first problems by name. */
const verdictSection: Section = (r) => {
  const rows = r.verdict.checks.map((c, i) => `<tr class="${c.ok ? "ok" : "bad"}" data-check="${esc(c.name)}"><td>${c.ok ? "✓" : "✗"}</td><td>${esc(c.name)}</td><td>${fig(r, `verdict.checks.${i}.expected`)}</td><td>${fig(r, `verdict.checks.${i}.got`)}</td><td>${esc(c.detail)}</td></tr>`).join("");
  return section("verdict", "Verdict", `<p class="${r.verdict.verified ? "" : "badt"}">${esc(r.verdict.headline)}</p><table class="grid checks"><thead><tr><th></th><th>check</th><th>expected</th><th>got</th><th>detail</th></tr></thead><tbody>${rows}</tbody></table>`);
};

const quicklooks: Section = (r, a) => {
  const q = r.report.quicklook;
  const img = (file: string, alt: string) => `<img src="${a.get(file) ?? esc(file)}" alt="${esc(alt)}" width="${q.width}" height="${q.height}" data-file="${esc(file)}">`;
  // A short pass gives a wide strip: show sent above arrived, full width, rather than side by side.
  const wide = q.width / q.height > 6;
  const body = q.composites.map((c) => {
    const name = c.kind === "true" ? "True colour" : "False colour";
    return `<figure class="ql"><figcaption><b>${name}</b> R=${esc(c.bands[0])} G=${esc(c.bands[1])} B=${esc(c.bands[2])}</figcaption>
<div class="pair${wide ? " wide" : ""}"><div><div class="cap">sent by the imager</div>${img(c.sent, `${name}, sent`)}</div>
<div><div class="cap">arrived on the ground · <span class="${c.rowsLost ? "badt" : ""}">${fig(r, `report.quicklook.composites.${q.composites.indexOf(c)}.rowsLost`)} rows lost</span>${c.rowsStopped ? ` · ${fig(r, `report.quicklook.composites.${q.composites.indexOf(c)}.rowsStopped`)} rows stopped by command (grey)` : ""}</div>${img(c.ground, `${name}, arrived`)}</div></div></figure>`;
  }).join("");
  const st = q.stretch.map((s) => `${esc(s.band)} ${fmt(s.low)}–${fmt(s.high)}`).join(", ");
  const dropped = r.report.screening ? " Black on the arrived side: tiles the flight screener dropped as cloud (see Cloud screening)." : "";
  return section("quicklooks", "Quicklooks", `${body}<p class="note"><span class="swatch" style="background:${q.lostColour}"></span> rows where a line was lost or partial.${dropped} ${nth(q.pixelStride, "pixel")} and ${nth(q.lineStride, "line").toLowerCase()} (${fmt(q.width)} × ${fmt(q.height)} px${q.lineStride > q.pixelStride ? `, along-track compressed ×${fmt(q.lineStride / q.pixelStride)}` : ""}); 2–98 % stretch of the sent image, the same on both sides: ${st} DN.</p>`);
};

const screening: Section = (r, a) => {
  const sc = r.report.screening;
  if (!sc) return "";
  const q = r.report.quicklook;
  const sum = sc.summary;
  const n = (k: string) => (sum && typeof sum[k] === "number" ? (sum[k] as number) : sc.decisions[k === "kept" ? "keep" : k === "degraded" ? "degrade" : "drop"] ?? 0);
  const kept = n("kept"), degraded = n("degraded"), dropped = n("dropped"), total = kept + degraded + dropped;
  const src = sum ? "report.screening.summary" : "report.screening.decisions";
  const key = (k: string) => (sum ? `${src}.${k}` : `${src}.${k === "kept" ? "keep" : k === "degraded" ? "degrade" : "drop"}`);
  const bar = total ? `<div class="stack" title="tile decisions">${[["kept", kept, "#2f855a"], ["degraded", degraded, "#dd6b20"], ["dropped", dropped, "#c53030"]].filter(([, v]) => (v as number) > 0).map(([k, v, c]) => `<span style="width:${((100 * (v as number)) / total).toFixed(2)}%;background:${c}">${esc(String(k))} ${fmt(v as number)}</span>`).join("")}</div>` : "";
  const pct = (v: number) => `${fmt(100 * v, 1)} %`;
  const rows: [string, string][] = [
    ["tiles kept / degraded / dropped", `${fig(r, key("kept"))} / ${fig(r, key("degraded"))} / ${fig(r, key("dropped"))}`],
    ["tile statistics received", fig(r, "report.screening.tilesSeen")],
    ["mask lines in the quicklook", fig(r, "report.screening.maskRows")],
  ];
  if (sum) {
    const opt = (label: string, k: string, f?: (v: number) => string) => { if (k in sum) rows.push([label, fig(r, `${src}.${k}`, f)]); };
    opt("cloud fraction", "cloudFraction", pct);
    opt("uncertain fraction", "uncertainFraction", pct);
    opt("bright, not cloud (snow, ice) fraction", "brightFraction", pct);
    opt("pixels not judged", "unjudgedPixels");
    opt("pixels dropped by screening", "droppedPixels");
    opt("total pixels", "totalPixels");
    opt("mask units decoded", "maskUnits");
    opt("mask units lost", "maskUnitsLost");
    opt("mask cloud pixels", "maskCloudPixels");
    opt("mask bright-not-cloud pixels", "maskBrightPixels");
    opt("mask agrees with tile statistics", "maskAgrees");
  }
  const sw = (c: string) => `<span class="swatch" style="background:${c}"></span>`;
  return section("screening", "Cloud screening", `<figure class="ql"><figcaption><b>Seen by the imager, with the cloud mask and tile decisions that came down</b></figcaption><img src="${a.get(sc.overlay) ?? esc(sc.overlay)}" alt="cloud mask and tile decisions" width="${q.width}" height="${q.height}" data-file="${esc(sc.overlay)}">
<p class="note">${sw("#00dcff")} cloud in the mask ${sw("#ffe600")} bright, not cloud (snow, ice) ${sw("#dc0000")} dropped tile (hatched) ${sw("#ff9600")} degraded tile (hatched); grey lines: the tile grid. Dropped tiles are black in the arrived quicklooks above.</p></figure>
${bar}<div class="two">${table(rows.slice(0, Math.ceil(rows.length / 2)))}${table(rows.slice(Math.ceil(rows.length / 2)))}</div>`);
};

const downlink: Section = (r) => {
  const b = r.report.budget, t = r.report.timeline;
  const budget = hbars([
    { label: "raw sensor rate", value: b.rawBitRate, text: fmtRate(b.rawBitRate), colour: COLOURS.rs },
    { label: "downlink rate", value: b.downlinkBitRate, text: fmtRate(b.downlinkBitRate), colour: COLOURS.data },
  ], { width: 520, labelWidth: 130 });
  const time = hbars([
    { label: "pass (imaging)", value: b.passDurationS, text: secs(b.passDurationS), colour: COLOURS.ok },
    { label: "downlink needed", value: b.linkTimeS, text: secs(b.linkTimeS), colour: r.downlink.keepsUp ? COLOURS.data : COLOURS.lost },
  ], { width: 520, labelWidth: 130 });
  const chart = timelineChart([
    { title: "Transfer frames per bar", unit: "frames", height: 110, kind: "stack", layers: [
      { name: "data", colour: COLOURS.data, values: t.series.dataFrames },
      { name: "idle", colour: COLOURS.idle, values: t.series.idleFrames } ] },
    { title: "Frames lost (frame counters) and rejected (RS, FECF, header); sync events", unit: "frames", height: 50, kind: "stack", layers: [
      { name: "lost", colour: COLOURS.lost, values: t.series.framesLost },
      { name: "rejected", colour: COLOURS.rejected, values: t.series.framesRejected },
      { name: "sync", colour: COLOURS.sync, values: t.series.syncEvents } ] },
    { title: "Reed-Solomon symbols corrected", unit: "symbols", height: 60, kind: "stack", layers: [{ name: "RS corrected", colour: COLOURS.rs, values: t.series.rsSymbolsCorrected }] },
    { title: "Backlog: frames produced beyond the link's capacity (dots: housekeeping reports and the end of imaging)", unit: "frames", height: 60, kind: "line", layers: [{ name: "backlog", colour: COLOURS.backlog, values: t.backlogFrames }] },
  ], { buckets: t.buckets, bucketS: t.bucketS, bucketCadus: t.bucketCadus, markers: [{ t: r.downlink.passDurationS, label: "end of imaging" }] });
  return section("downlink", "Downlink", `<div class="two"><div><h3>Link budget</h3>${budget}${time}</div><div>${table([
    ["raw sensor rate", fig(r, "report.budget.rawBitRate", fmtRate)],
    ["downlink rate", fig(r, "report.budget.downlinkBitRate", fmtRate)],
    ["raw / downlink", fig(r, "report.budget.rawToDownlink", (v) => fmt(v, 2))],
    ["pass duration", fig(r, "downlink.passDurationS", secs)],
    ["downlink time needed", fig(r, "downlink.linkTimeS", secs)],
    ["link kept pace with imaging", fig(r, "downlink.keepsUp")],
    ["max backlog", `${fig(r, "downlink.backlog.maxFrames")} frames`],
    ["backlog when imaging ended", `${fig(r, "downlink.backlog.endFrames")} frames: ${fig(r, "downlink.backlogS", secs)} of downlink (${fig(r, "report.budget.backlogBytes", fmtBytes)})`],
    ["onboard store", `${fig(r, "report.budget.storeBytes", fmtBytes)}, ${fig(r, "report.budget.storeFillPct", (v) => fmt(v, v === 0 ? 0 : v < 0.01 ? 5 : 2))} % filled by the backlog`],
    ["last housekeeping backlog", `${fig(r, "report.budget.hkBacklogFrames")} frames`],
  ])}<p id="backlog-words">Backlog: ${esc(backlogWords(r.downlink.backlog))}.</p></div></div><h3>Timeline</h3>${chart}`);
};

/** Consecutive lost lines with the same bands and reason, as runs. */
export function lostRanges(lost: { line: number; bands: number[]; reason: string }[]): { first: number; count: number; bands: number[]; reason: string }[] {
  const out: { first: number; count: number; bands: number[]; reason: string }[] = [];
  for (const l of lost) {
    const g = out[out.length - 1];
    if (g && l.line === g.first + g.count && l.reason === g.reason && l.bands.join() === g.bands.join()) g.count++;
    else out.push({ first: l.line, count: 1, bands: l.bands, reason: l.reason });
  }
  return out;
}

const linkQuality: Section = (r) => {
  const ranges = lostRanges(r.image.lostLines);
  const shown = ranges.slice(0, r.report.lostLinesListed);
  const bandNames = (bs: number[]) => bs.map((b) => esc(r.report.profile.bands[b]?.name ?? String(b))).join(", ");
  const lostTable = shown.length
    ? `<h3>Lost lines: ${fmt(r.image.lostLines.length)} in ${fmt(ranges.length)} run${ranges.length > 1 ? "s" : ""}${ranges.length > shown.length ? `, first ${fmt(shown.length)} listed` : ""}</h3><table class="grid lost"><thead><tr><th>lines</th><th>count</th><th>bands lost</th><th>reason</th></tr></thead><tbody>${shown.map((g) => `<tr data-first="${g.first}" data-lines="${g.count}"><td>${g.count > 1 ? `${fmt(g.first)}–${fmt(g.first + g.count - 1)}` : fmt(g.first)}</td><td>${fmt(g.count)}</td><td>${bandNames(g.bands)}</td><td>${esc(g.reason)}</td></tr>`).join("")}</tbody></table>`
    : `<p class="note">No line lost.</p>`;
  return section("link", "Link quality: corrections and losses", `<div class="two"><div><h3>Ground station</h3>${table([
    ["CADUs", fig(r, "ground.cadus")],
    ["RS symbols corrected", fig(r, "ground.rsSymbolsCorrected")],
    ["RS codewords corrected", fig(r, "ground.rsCodewordsCorrected")],
    ["RS codewords uncorrectable", fig(r, "ground.rsCodewordsUncorrectable")],
    ["frames good / dropped", `${fig(r, "ground.framesGood")} / ${fig(r, "ground.framesDropped")}`],
    ["frames with bad FECF", fig(r, "ground.framesBadFecf")],
    ["frames missing (VC counters)", fig(r, "ground.gapFrames")],
    ["data / idle frames", `${fig(r, "ground.dataFrames")} / ${fig(r, "ground.idleFrames")}`],
    ["packets (errors)", `${fig(r, "ground.packets")} (${fig(r, "ground.packetErrors")})`],
    ["sync losses / bit slips", `${fig(r, "ground.syncLosses")} / ${fig(r, "ground.bitSlips")}`],
  ])}</div><div><h3>Channel (injected)</h3>${table([
    ["bit errors", fig(r, "link.bitErrors")],
    ["bursts", fig(r, "link.bursts")],
    ["CADUs dropped", fig(r, "link.dropped")],
    ["bit slips", fig(r, "link.slips")],
  ])}<h3>Image</h3>${table([
    ["lines verified (exact or within their bound)", fig(r, "image.linesExact")],
    ["of which bit-exact", fig(r, "image.linesBitExact")],
    ["lines with pixels outside their bound", fig(r, "image.linesMismatch")],
    ["lines partial / missing", `${fig(r, "image.linesPartial")} / ${fig(r, "image.linesMissing")}`],
    ["band-lines lost", fig(r, "image.bandLinesLost")],
  ])}</div></div>${lostTable}`);
};

const compression: Section = (r) => {
  const c = r.report.compression;
  const max = Math.max(1.25, ...c.perBand.map((b) => b.ratio)) * 1.1;
  const items = c.perBand.map((b) => ({ label: b.band, value: b.ratio, text: c.measured ? `${fmt(b.ratio, 2)} (${fmt(b.bitsPerSample, 2)} bit/sample)` : `${fmt(b.ratio, 2)} (raw)`, colour: b.ratio > 1 ? COLOURS.ok : COLOURS.idle }));
  const ref = { value: 1, label: "1.00" };
  const chart = items.length > 16 ? columns(items, { ref, unit: "ratio" }) : hbars(items, { max, ref, width: 720 });
  const units = r.image.unitsDecoded !== undefined && c.mode !== "raw" ? ` Compressed units decoded ${fig(r, "image.unitsDecoded")}, lost ${fig(r, "image.unitsLost")}.` : "";
  return section("compression", "Compression", `<p>compression: <b>${fig(r, "report.compression.mode")}</b> (${fig(r, "report.compression.overallRatio", (v) => fmt(v, 2))}) ${c.mode === "raw" ? "every band leaves uncompressed." : "measured on the ground: raw bits over coded bits received, per band."}${units}</p>${chart}`);
};

const realtime: Section = (r) => {
  const t = r.report.realtime, rt = r.report.runtime;
  return section("realtime", "Real-time margin", `${hbars([
    { label: "pass duration", value: t.passDurationS, text: secs(t.passDurationS), colour: COLOURS.ok },
    { label: "wall time (bench)", value: t.wallS, text: secs(t.wallS), colour: t.realTime ? COLOURS.data : COLOURS.lost },
  ])}<p>The whole bench (imager, flight image, channel, ground) ran at ${fig(r, "report.realtime.factor", (v) => fmt(v, 2))} × real time: ${fig(r, "wallS", secs)} of wall time for ${fig(r, "report.realtime.passDurationS", secs)} of imaging; ${fig(r, "throughputMbitS", (v) => fmt(v, 1))} Mbit/s of CADUs. Runtime: Node ${esc(rt.node)} (V8 ${esc(rt.v8)}), ${esc(rt.wasi)}, ${esc(rt.platform)}${rt.execArgv.length ? `; host flags ${esc(rt.execArgv.join(" "))}` : ""}.</p>`);
};

const housekeeping: Section = (r) => {
  const hk = r.report.housekeeping.last;
  if (!hk) return section("housekeeping", "Housekeeping", `<p class="note">No housekeeping packet arrived (${fig(r, "report.housekeeping.packets")} decoded).</p>`);
  const cells = Object.keys(hk).map((k) => `<tr><th>${esc(k)}</th><td>${fig(r, `report.housekeeping.last.${k}`, k === "timeS" ? cucUtc : undefined)}</td></tr>`);
  const cols = 3, per = Math.ceil(cells.length / cols);
  return section("housekeeping", "Housekeeping", `<p>Last of ${fig(r, "report.housekeeping.packets")} packets decoded on the ground.</p><div class="cols">${Array.from({ length: cols }, (_, i) => `<table class="kv"><tbody>${cells.slice(i * per, (i + 1) * per).join("")}</tbody></table>`).join("")}</div>`);
};

const events: Section = (r) => {
  const e = r.report.events;
  const kinds = Object.keys(e.counts).sort();
  const counts = kinds.length ? `<table class="grid"><thead><tr><th>event</th><th>count</th></tr></thead><tbody>${kinds.map((k) => `<tr><td>${esc(k)}</td><td>${fig(r, `report.events.counts.${k}`)}</td></tr>`).join("")}</tbody></table>` : `<p class="note">No link event.</p>`;
  const list = e.first.length ? `<h3>First ${fmt(e.first.length)} of ${fmt(e.total)}</h3><table class="grid"><thead><tr><th>CADU</th><th>event</th><th>VCID</th><th>APID</th><th>count</th><th>detail</th></tr></thead><tbody>${e.first.map((x) => `<tr><td>${fmt(x.cadu)}</td><td>${esc(x.kind)}</td><td>${x.vcid ?? ""}</td><td>${x.apid ?? ""}</td><td>${x.count === undefined ? "" : fmt(x.count)}</td><td>${esc(x.reason ?? "")}${x.bitOffset === undefined ? "" : ` bit ${fmt(x.bitOffset)}`}</td></tr>`).join("")}</tbody></table>` : "";
  return section("events", "Events", `<p>${fig(r, "report.events.total")} link events.</p>${counts}${list}`);
};

/** PUS-C reports the ground decoded (README, Commanding the payload): shown when the pass was commanded. */
const commanding: Section = (r) => {
  const c = r.commanding;
  if (!c || (c.reports.length === 0 && c.badReports === 0)) return "";
  const shown = c.reports.slice(0, 200);
  const rows = shown.map((x, i) => `<tr><td>${fig(r, `commanding.reports.${i}.counter`)}</td><td>ST[${x.service},${x.subtype}]</td><td>${esc(describeReport(x))}</td></tr>`).join("");
  const st = c.stopped;
  const stops = st ? `<p>Acquisition stopped by command: ${fig(r, "commanding.stopped.lines")} lines in ${st.intervals.map((i) => `[${fmt(i.from)}, ${i.to === null ? "end of pass" : fmt(i.to)})`).join(", ")} (grey in the quicklook, not missing)${st.problems.length ? `; <span class="badt">${esc(st.problems.slice(0, 3).join("; "))}</span>` : ""}.</p>` : "";
  return section("commanding", "Commanding (PUS-C reports)", `${stops}<p>${fig(r, "commanding.reports.length")} reports decoded on APID ${fig(r, "commanding.reportApid")}, ${fig(r, "commanding.badReports")} unreadable${c.reports.length > shown.length ? `; the first ${fmt(shown.length)} listed, all in report.json` : ""}.</p><table class="grid"><thead><tr><th>#</th><th>type</th><th>report</th></tr></thead><tbody>${rows}</tbody></table>`);
};

const flightLog: Section = (r) => section("flight-log", "Flight image log", `<p>Exit code ${fig(r, "flight.exitCode")}; ${fig(r, "flight.busBytes", fmtBytes)} in on the bus, ${fig(r, "flight.caduBytes", fmtBytes)} of CADUs out.</p><details><summary>${fmt(r.flight.log.length)} log lines</summary><pre>${esc(r.flight.log.join("\n"))}</pre></details>`);

/** A pass booted from a flash directory: one line per boot as the ground decoded it (housekeeping v3, events 9..15). */
export const bootHistorySection: Section = (r) => {
  const h = r.flight.bootHistory;
  if (!h || h.lines.length === 0) return "";
  return section("boot-history", "Boot history", `<p>${fig(r, "flight.bootHistory.entries.length")} boot(s) reported by the image (housekeeping boot fields and ST[5] events 9..15; README "Updating the flight software in orbit").</p><ul>${h.lines.map((l) => `<li>${esc(l)}</li>`).join("")}</ul>`);
};

/** The page, in order. Add a section here (e.g. cloud mask overlay, compression per segment). */
export const SECTIONS: Section[] = [header, verdictSection, quicklooks, screening, downlink, linkQuality, compression, realtime, housekeeping, events, commanding, bootHistorySection, flightLog];

const CSS = `
:root{--fg:#1a202c;--mut:#4a5568;--line:#e2e8f0;--good:#2f855a;--bad:#c53030;--warn:#b7791f}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 "DejaVu Sans",system-ui,sans-serif;color:var(--fg);background:#f7fafc}
main{max-width:1100px;margin:0 auto;padding:20px 24px 48px;background:#fff;min-height:100vh}
header{display:flex;justify-content:space-between;align-items:flex-start;gap:16px;border-bottom:2px solid var(--line);padding-bottom:12px}
h1{margin:0;font-size:24px}h1 small{font-size:15px;color:var(--mut);font-weight:normal}.sub{margin:4px 0 0;color:var(--mut)}
h2{font-size:18px;margin:28px 0 10px;border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:15px;margin:14px 0 6px}
.verdict{text-align:center;padding:10px 18px;border-radius:6px;color:#fff;min-width:240px}.verdict span{display:block;font-size:26px;font-weight:bold;letter-spacing:1px}
.verdict small{display:block;font-size:12px;opacity:.95;max-width:420px}.verdict.pass{background:var(--good)}.verdict.fail{background:var(--bad)}
.cards{display:grid;grid-template-columns:repeat(4,1fr);gap:10px;margin:14px 0}
.card{border:1px solid var(--line);border-left:4px solid #a0aec0;border-radius:4px;padding:8px 10px}.card.good{border-left-color:var(--good)}.card.bad{border-left-color:var(--bad);background:#fff5f5}.card.warn{border-left-color:var(--warn)}
.cl{font-size:12px;color:var(--mut)}.cv{font-size:20px;font-weight:bold}
.ql{margin:0 0 14px}.ql figcaption{margin-bottom:4px}.pair{display:grid;grid-template-columns:1fr 1fr;gap:12px}.pair.wide{grid-template-columns:1fr;gap:6px}.cap{font-size:12px;color:var(--mut)}
.ql img{width:100%;height:auto;image-rendering:pixelated;border:1px solid var(--line);display:block;background:#000}
.note{color:var(--mut);font-size:12px}.swatch{display:inline-block;width:12px;height:12px;vertical-align:middle;border:1px solid #999}
.badt{color:var(--bad);font-weight:bold}
.stack{display:flex;height:26px;border-radius:4px;overflow:hidden;margin:6px 0 10px;font-size:12px;color:#fff}.stack span{display:flex;align-items:center;justify-content:center;white-space:nowrap;overflow:hidden}
.two{display:grid;grid-template-columns:1fr 1fr;gap:20px}.cols{display:grid;grid-template-columns:repeat(3,1fr);gap:14px;align-items:start}.cols td{white-space:nowrap}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:3px 8px;border-bottom:1px solid var(--line);font-variant-numeric:tabular-nums}
table.kv th{font-weight:normal;color:var(--mut)}table.kv td{text-align:right}table.grid thead th{background:#edf2f7}
.chart{max-width:100%;height:auto;display:block}.chart text{font-family:"DejaVu Sans",system-ui,sans-serif;fill:#2d3748}
.chart .lbl{font-size:12px}.chart .val{font-size:12px;font-weight:bold}.chart .tick{font-size:11px;fill:#4a5568}.chart .ptitle{font-size:12px;font-weight:bold}.chart .legend{font-size:11px}
.chart .hover:hover{fill:rgba(0,0,0,.06)}
pre{background:#f7fafc;border:1px solid var(--line);padding:8px;font-size:12px;max-height:320px;overflow:auto}
@media (max-width:800px){.cards{grid-template-columns:repeat(2,1fr)}.two,.pair,.cols{grid-template-columns:1fr}}
`;

export function renderHtml(r: ReportJson, assets: Assets, sections: Section[] = SECTIONS): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>Tengri pass report: ${esc(r.profile)}, ${esc(r.verdict.label)}</title>
<style>${CSS}</style></head>
<body><main>
${sections.map((s) => s(r, assets)).join("\n")}
<footer class="note">Tengri pass report v${r.report.version}. Figures from report.json beside this file; quicklooks also as PNG files there.</footer>
</main></body></html>
`;
}
