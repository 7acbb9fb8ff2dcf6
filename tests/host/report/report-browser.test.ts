// The pass report opened in a real browser (Debian's Chromium, headless, through
// playwright-core): the page renders, every image decodes, the console stays clean, nothing is
// fetched, and the figures on the page equal report.json's. Skips when Chromium is absent
// (CI installs it). TENGRI_REPORT_SCREENSHOT=dir keeps full-page screenshots there.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runPass } from "../../../host/pass.ts";
import { createReportObserver, type ReportJson } from "../../../host/report/index.ts";
import { valueAt } from "../../../host/report/html.ts";
import { readPng } from "./png-reader.ts";
import { printSummary } from "../../../host/report/summary.ts";
import type { PassSummary } from "../../../host/pass.ts";

const CHROMIUM = process.env.TENGRI_CHROMIUM ?? "/usr/bin/chromium";
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium; CI installs it)`;
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

interface PageFacts {
  images: { file: string; complete: boolean; naturalWidth: number; naturalHeight: number }[];
  figs: { k: string; v: string; text: string }[];
  verdict: string;
  reason: string;
  title: string;
  checks: { name: string; mark: string }[];
  lostRuns: { first: number; lines: number }[];
  sections: string[];
}

async function openReport(dir: string, shot?: string): Promise<{ facts: PageFacts; errors: string[]; requests: string[] }> {
  const { chromium } = await import("playwright-core");
  const userDir = mkdtempSync(join(tmpdir(), "tengri-chromium-"));
  const ctx = await chromium.launchPersistentContext(userDir, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1200, height: 900 } });
  const errors: string[] = [], requests: string[] = [];
  try {
    const page = await ctx.newPage();
    page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") errors.push(`console ${m.type()}: ${m.text()}`); });
    page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
    page.on("request", (r) => { if (!/^(data|file):/.test(r.url())) requests.push(r.url()); });
    page.on("requestfailed", (r) => errors.push(`request failed: ${r.url().slice(0, 80)}`));
    await page.goto("file://" + join(dir, "report.html"), { waitUntil: "load" });
    const facts = (await page.evaluate(`(() => ({
      images: [...document.images].map((i) => ({ file: i.dataset.file ?? "", complete: i.complete, naturalWidth: i.naturalWidth, naturalHeight: i.naturalHeight })),
      figs: [...document.querySelectorAll("[data-k]")].map((e) => ({ k: e.dataset.k, v: e.dataset.v, text: e.textContent })),
      verdict: document.getElementById("verdict")?.textContent ?? "",
      reason: document.getElementById("verdict-reason")?.textContent ?? "",
      title: document.title,
      checks: [...document.querySelectorAll("#verdict table.checks tbody tr")].map((e) => ({ name: e.dataset.check, mark: e.firstElementChild.textContent })),
      lostRuns: [...document.querySelectorAll("#link table.lost tbody tr")].map((e) => ({ first: Number(e.dataset.first), lines: Number(e.dataset.lines) })),
      sections: [...document.querySelectorAll("section")].map((s) => s.id),
    }))()`)) as PageFacts;
    if (shot) { mkdirSync(shot, { recursive: true }); await page.screenshot({ path: join(shot, `${dir.split("/").pop()}.png`), fullPage: true }); }
    return { facts, errors, requests };
  } finally {
    await ctx.close();
    rmSync(userDir, { recursive: true, force: true });
  }
}

const digits = (s: string) => s.replace(/[^0-9]/g, "");

function checkAgainstJson(dir: string, facts: PageFacts): ReportJson {
  const r = JSON.parse(readFileSync(join(dir, "report.json"), "utf8")) as ReportJson;
  assert.ok(facts.figs.length > 40, `${facts.figs.length} figures marked`);
  for (const f of facts.figs) assert.deepEqual(JSON.parse(f.v), valueAt(r, f.k) ?? null, `figure ${f.k}`);
  for (const k of ["lines", "image.linesExact", "image.linesMissing", "image.linesPartial", "ground.rsSymbolsCorrected", "ground.cadus", "ground.rsCodewordsUncorrectable", "ground.framesDropped"]) {
    const shown = facts.figs.filter((f) => f.k === k);
    assert.ok(shown.length > 0, `${k} is shown`);
    for (const f of shown) assert.equal(digits(f.text), String(valueAt(r, k)), `${k} as shown: "${f.text}"`);
  }
  // Badge, title and the verdict section say what report.json's verdict says.
  assert.equal(r.verified, r.verdict.verified);
  assert.equal(facts.verdict, r.verdict.label);
  assert.equal(facts.reason, r.verdict.reason);
  assert.ok(facts.title.endsWith(`, ${r.verdict.label}`), facts.title);
  assert.deepEqual(facts.checks, r.verdict.checks.map((c) => ({ name: c.name, mark: c.ok ? "✓" : "✗" })));
  if (r.verdict.verified) assert.ok(r.screening === null || r.screening.maskAgrees, "no green badge beside a mask that disagrees");
  const files = [...r.report.quicklook.composites.flatMap((c) => [c.sent, c.ground]), ...(r.report.screening ? [r.report.screening.overlay] : [])];
  assert.deepEqual(facts.images.map((i) => i.file).sort(), [...files].sort());
  for (const i of facts.images) {
    assert.ok(i.complete && i.naturalWidth > 0, `${i.file} decoded`);
    assert.equal(i.naturalWidth, r.report.quicklook.width);
    assert.equal(i.naturalHeight, r.report.quicklook.height);
    assert.ok(existsSync(join(dir, i.file)), `${i.file} beside the report`);
  }
  assert.deepEqual(facts.sections.filter((x) => x !== "screening"), ["verdict", "quicklooks", "downlink", "link", "compression", "realtime", "housekeeping", "events", "flight-log"]);
  assert.equal(facts.sections.includes("screening"), r.report.screening !== null, "screening section exactly when the pass had screening");
  const html = readFileSync(join(dir, "report.html"), "utf8");
  assert.deepEqual(html.match(/\b(src|href)\s*=\s*"(?!data:)[^"]*"/g) ?? [], [], "self-contained: no external src or href");
  return r;
}

/** Rows of a quicklook PNG that are all magenta. */
/** The terminal summary of the same pass says the same: its checks and its last line. */
function checkTerminal(s: PassSummary, r: ReportJson): void {
  const out: string[] = [];
  printSummary(s, (l) => out.push(l));
  assert.equal(out[out.length - 1], r.verdict.headline);
  for (const c of r.verdict.checks) assert.ok(out.some((l) => l.includes(`${c.ok ? "✓" : "✗"} ${c.name}`) && l.includes(c.detail)), `check "${c.name}" in the terminal`);
}

function magentaRows(file: string): number {
  const { width: w, height: h, rgb } = readPng(readFileSync(file));
  let n = 0;
  for (let y = 0; y < h; y++) {
    let all = true;
    for (let x = 0; x < w && all; x++) { const o = (y * w + x) * 3; all = rgb[o] === 255 && rgb[o + 1] === 0 && rgb[o + 2] === 255; }
    if (all) n++;
  }
  return n;
}

test("pass report in headless Chromium: renders, images load, clean console, no request, figures equal report.json; then a pass with dropped CADUs shows NOT VERIFIED and the lost lines", { skip }, async () => {
  const root = mkdtempSync(join(tmpdir(), "tengri-report-"));
  const shot = process.env.TENGRI_REPORT_SCREENSHOT;
  try {
    const good = join(root, "verified");
    const s = await runPass({ profile: "default", lines: 64, seed: 2, observers: [createReportObserver(good)] });
    assert.equal(s.verified, true);
    const a = await openReport(good, shot);
    assert.deepEqual(a.errors, []);
    assert.deepEqual(a.requests, []);
    const r = checkAgainstJson(good, a.facts);
    checkTerminal(s, r);
    assert.equal(r.verdict.label, "VERIFIED");
    assert.equal(r.report.quicklook.composites.every((c) => c.rowsLost === 0), true);
    assert.equal(magentaRows(join(good, "quicklook-ground-true.png")), 0);
    assert.deepEqual(a.facts.lostRuns, []);

    const bad = join(root, "dropped");
    const c = s.ground.cadus;
    const drops = [Math.floor(c * 0.3), Math.floor(c * 0.3) + 1, Math.floor(c * 0.3) + 2, Math.floor(c * 0.7)];
    const s2 = await runPass({ profile: "default", lines: 64, seed: 2, dropCadus: drops, observers: [createReportObserver(bad)] });
    assert.equal(s2.verified, false);
    assert.ok(s2.image.lostLines.length > 0);
    const b = await openReport(bad, shot);
    assert.deepEqual(b.errors, []);
    assert.deepEqual(b.requests, []);
    const r2 = checkAgainstJson(bad, b.facts);
    checkTerminal(s2, r2);
    assert.equal(b.facts.verdict, "NOT VERIFIED");
    assert.match(r2.verdict.headline, /^NOT VERIFIED: image units: \d+ of \d+ not as owed: image unit of band \d \(\w+\), lines \d+–\d+/);
    // the listed runs cover the lost lines in order (all of them when no more than lostLinesListed runs)
    assert.ok(b.facts.lostRuns.length > 0 && b.facts.lostRuns.length <= r2.report.lostLinesListed);
    assert.equal(b.facts.lostRuns[0].first, r2.image.lostLines[0].line);
    const covered = b.facts.lostRuns.reduce((n, g) => n + g.lines, 0);
    if (b.facts.lostRuns.length < r2.report.lostLinesListed) assert.equal(covered, r2.image.lostLines.length, "lost lines listed");
    let i = 0;
    for (const g of b.facts.lostRuns) for (let k = 0; k < g.lines; k++, i++) assert.equal(r2.image.lostLines[i].line, g.first + k);
    assert.equal(r2.link.dropped, drops.length);
    const rowsLost = r2.report.quicklook.composites[0].rowsLost;
    assert.ok(rowsLost > 0, "lost lines marked in the arrived quicklook");
    assert.equal(magentaRows(join(bad, "quicklook-ground-true.png")), rowsLost);
    assert.equal(magentaRows(join(bad, "quicklook-sent-true.png")), 0);
    assert.ok(r2.report.timeline.series.framesLost.reduce((x, y) => x + y, 0) >= drops.length, "dropped frames on the timeline");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
