// JUnit XML, the verification matrix and the evidence pack (issue 10, items 2, 5, 6): the
// as-pect reporter and node:test's junit reporter agree with their runners' counts, the count
// check finds a file that disagrees, the matrix gate fails what it must, and the evidence pack of a
// small generated results folder lists what is missing, exits 1 for it, and opens in headless
// Chromium with every link resolving and a clean console.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createHash } from "node:crypto";
// @ts-ignore: plain ES modules of the test tools
import { countJunit, compareCounts, aspectSummary, nodeSummary, junitDocument } from "../../tools/junit.mjs";
// @ts-ignore
import { build as buildMatrix } from "../../tools/matrix.mjs";
import { brokenLinks } from "../../../host/evidence/pack.ts";

// Clause tags inside generated test sources are assembled, so that the traceability and
// verification matrices (which read test titles in this file) do not take them for tests of ours.
const tag = (doc: string, clause: string) => `[${doc} §${clause}]`;
const ROOT = resolve(new URL("../../..", import.meta.url).pathname);
const CHROMIUM = process.env.TENGRI_CHROMIUM ?? "/usr/bin/chromium";
const noChromium = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium; CI installs it)`;
const noImage = existsSync(join(ROOT, "build/flight.wasm")) ? false : "build/flight.wasm not built (npm run build)";
// NODE_TEST_CONTEXT (set by node --test for its children) would make a nested node --test report to us.
const { NODE_TEST_CONTEXT: _, ...ENV } = process.env;
const sh = (cmd: string, args: string[], env: Record<string, string> = {}) =>
  spawnSync(cmd, args, { cwd: ROOT, encoding: "utf8", env: { ...ENV, FORCE_COLOR: "0", ...env }, timeout: 300_000, maxBuffer: 1 << 26 });

test("[tengri §junit] as-pect through our reporter: one testcase per test with its group path, tag and result; the counts equal as-pect's summary", () => {
  mkdirSync(join(ROOT, "build"), { recursive: true });
  const dir = mkdtempSync(join(ROOT, "build", "evid-aspect-"));
  try {
    const rel = dir.slice(ROOT.length + 1);
    writeFileSync(join(dir, "cfg.js"), `import base from "../../as-pect.config.js";\nexport default { ...base, entries: ["${rel}/*.spec.ts"], reporter: "tests/tools/aspect-junit.mjs" };\n`);
    writeFileSync(join(dir, "a.spec.ts"), `describe("outer <g>", () => {
  describe("inner", () => {
    it("${tag("121.0-B-3", "3.2")} passes & \\"quotes\\"", () => { expect<i32>(1 + 1).toBe(2); });
    it("fails on purpose", () => { expect<i32>(1 + 1).toBe(3, "sum is wrong"); });
  });
  it("top in outer", () => { expect<bool>(true).toBe(true); });
});
`);
    const out = join(dir, "out.xml");
    const r = sh("npx", ["asp", "--config", `${rel}/cfg.js`, "--no-logo"], { TENGRI_JUNIT_ASPECT: out });
    assert.equal(r.status, 1, "a failing spec fails as-pect");
    const summary = aspectSummary(r.stdout);
    assert.deepEqual(summary, { tests: 3, passed: 2, failed: 1, skipped: 0 });
    const xml = readFileSync(out, "utf8");
    const counted = countJunit(xml);
    assert.deepEqual(compareCounts("as-pect", summary, counted), []);
    assert.deepEqual(counted.names, ["[121.0-B-3 §3.2] passes &amp; &quot;quotes&quot;", "fails on purpose", "top in outer"]);
    assert.match(xml, new RegExp(`classname="${rel}/a.spec.ts &gt; outer &lt;g&gt; &gt; inner" name="fails on purpose"[^>]*>\\s*<failure message="sum is wrong"`));
    assert.doesNotMatch(xml, /\x1b/, "no terminal colour codes in the XML");
    // what the summary reporter prints is still printed
    assert.match(r.stdout, /fails on purpose/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("[tengri §junit] node:test through its junit reporter (classname = file): pass, fail, skip and todo counted as run-all counts them, a '>' in a name included; a file that disagrees is found", () => {
  const dir = mkdtempSync(join(tmpdir(), "tengri-junit-"));
  try {
    const file = join(dir, "t.test.mjs");
    writeFileSync(file, `import { test } from "node:test";
test("${tag("tengri", "cli")} passes", () => {});
test("restricted-with-n>4 and φ > 0: a '>' in a name", () => {});
test("fails", () => { throw new Error("no <good>"); });
test("skipped", { skip: "no tool" }, () => {});
test("later", { todo: true }, () => {});
`);
    const xmlPath = join(dir, "nt.xml");
    const r = sh(process.execPath, ["--test", "--test-reporter=spec", "--test-reporter-destination=stdout", "--test-reporter=./tests/tools/node-junit.mjs", `--test-reporter-destination=${xmlPath}`, file]);
    assert.equal(r.status, 1);
    const summary = nodeSummary(r.stdout);
    assert.deepEqual(summary, { tests: 5, passed: 2, failed: 1, skipped: 2 });
    const xml = readFileSync(xmlPath, "utf8");
    const counted = countJunit(xml);
    assert.deepEqual(compareCounts("node:test", summary, counted), []);
    assert.match(xml, /<testcase name="\[tengri §cli\] passes"[^>]*classname="[^"]*t\.test\.mjs"/);
    // The check finds a JUnit file that lost a test, or holds a pass for a failure.
    const lost = xml.replace(/<testcase name="skipped"[\s\S]*?<\/testcase>/, "");
    assert.deepEqual(compareCounts("node:test", summary, countJunit(lost)), ["node:test: the runner counted 5 tests, its JUnit file holds 4", "node:test: the runner counted 2 skipped, its JUnit file holds 1"]);
    const flipped = xml.replace(/<failure[\s\S]*?<\/failure>/, "");
    assert.equal(compareCounts("node:test", summary, countJunit(flipped)).length, 2);
    assert.deepEqual(compareCounts("node:test", summary, null), ["node:test: no JUnit file was written"]);
    // An incomplete summary is none.
    assert.equal(nodeSummary("ℹ tests 3\nℹ pass 3\n"), null);
    // Our own writer's documents count back to what went in.
    const doc = junitDocument("x", [{ name: "s", cases: [{ classname: "c", name: "a", ok: true }, { classname: "c", name: "b\u0007<", ok: false, message: "m" }, { classname: "c", name: "k", ok: true, skipped: "why" }] }]);
    assert.deepEqual(countJunit(doc), { tests: 3, passed: 1, failed: 1, skipped: 1, names: ["a", "b&lt;", "k"], failedNames: ["b&lt;"] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("[tengri §trace] the verification matrix fails a requirement without verification, a tag or title matching no test, an orphan clause tag and an unknown method", () => {
  const dir = mkdtempSync(join(tmpdir(), "tengri-matrix-"));
  try {
    mkdirSync(join(dir, "tests/host"), { recursive: true });
    mkdirSync(join(dir, "tools"), { recursive: true });
    writeFileSync(join(dir, "package.json"), JSON.stringify({ scripts: { fuzz: "x" } }));
    writeFileSync(join(dir, "tools/fuzz.ts"), "");
    writeFileSync(join(dir, "tests/host/a.test.ts"), `test("${tag("132.0-B-3", "4.1.2.7")} frame count wraps", () => {});\ntest("${tag("301.0-B-4", "3.2")} orphan", () => {});\ntest("memory stays constant", () => {});\n`);
    const req = (requirements: unknown[], methods: Record<string, unknown> = {}) => {
      writeFileSync(join(dir, "req.json"), JSON.stringify({ methods, requirements }));
      return buildMatrix({ root: dir, requirementsFile: join(dir, "req.json") });
    };
    const fuzz = { kind: "demonstration", title: "f", script: "fuzz", files: ["tools/fuzz.ts"] };
    const cov = { kind: "analysis", title: "c", script: "coverage", files: ["tools/cov.ts"] };
    const ok = req([
      { id: "R1", title: "frames", tags: ["132.0-B-3 §4.1"] },
      { id: "R2", title: "time", tags: ["301.0-B-4 §3"] },
      { id: "R3", title: "memory", titles: ["memory stays"] },
      { id: "R4", title: "no trap", methods: ["D-FUZZ"] },
    ], { "D-FUZZ": fuzz });
    assert.deepEqual(ok.problems, []);
    assert.match(ok.markdown, /\| \[R1\]\(#r1\) \| frames \|  \| 1 \| — \|/);
    assert.match(ok.markdown, /\| \[132\.0-B-3 §4\.1\.2\.7\] frame count wraps \| tests\/host\/a\.test\.ts:1 \|/);
    const bad = req([
      { id: "R1", title: "frames", tags: ["132.0-B-3 §4.2"] },
      { id: "R3", title: "memory", titles: ["no such test"] },
      { id: "R4", title: "coverage", methods: ["A-COV", "A-NONE"] },
    ], { "A-COV": cov });
    assert.deepEqual(bad.problems, [
      'R1: tag "132.0-B-3 §4.2" matches no test',
      "R1: no verification (no test traced, no method present)",
      "R3: title pattern /no such test/ matches no test",
      "R3: no verification (no test traced, no method present)",
      "R4: method A-NONE is not defined in \"methods\"",
      'R4: no verification (no test traced, no method present; A-COV lacks npm script "coverage", tools/cov.ts)',
      "test tag [132.0-B-3 §4.1.2.7] is claimed by no requirement (tests/host/a.test.ts:1): add it to a requirement's \"tags\" in tests/requirements.json",
      "test tag [301.0-B-4 §3.2] is claimed by no requirement (tests/host/a.test.ts:2): add it to a requirement's \"tags\" in tests/requirements.json",
    ]);
    // --check on a stale file fails and says how to regenerate it
    writeFileSync(join(dir, "V.md"), "old\n");
    req([{ id: "R4", title: "no trap", methods: ["D-FUZZ"] }, { id: "R1", title: "f", tags: ["132.0-B-3 §4", "301.0-B-4 §3.2"] }], { "D-FUZZ": fuzz });
    const r = sh(process.execPath, ["tests/tools/matrix.mjs", "--check", "--root", dir, "--requirements", join(dir, "req.json"), "--out", join(dir, "V.md")]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /V\.md is stale: run `npm run matrix`/);
    const w = sh(process.execPath, ["tests/tools/matrix.mjs", "--root", dir, "--requirements", join(dir, "req.json"), "--out", join(dir, "V.md")]);
    assert.equal(w.status, 0, w.stderr);
    assert.equal(sh(process.execPath, ["tests/tools/matrix.mjs", "--check", "--root", dir, "--requirements", join(dir, "req.json"), "--out", join(dir, "V.md")]).status, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A small results folder as the producers write it (JUnit of a run of this image, coverage, inspect, cost, faults, mutation). */
function smallResults(dir: string, imageSha: string, commit: string) {
  const w = (p: string, s: string) => { mkdirSync(join(dir, p, ".."), { recursive: true }); writeFileSync(join(dir, p), s); };
  const one = (name: string) => junitDocument(name, [{ name, cases: [{ classname: name, name: `[tengri §junit] ${name} case`, ok: true }] }]);
  for (const f of ["as-pect", "node-test", "run-all"]) w(`junit/${f}.xml`, one(f));
  w("junit/run.json", JSON.stringify({ finishedAt: "2026-12-03T12:00:00.000Z", commit, trackedChanges: [], images: { "build/flight.wasm": imageSha }, exit: 0, counts: { passed: 3, failed: 0, skipped: 0, asPect: { tests: 1 }, nodeTest: { tests: 1 }, checks: 1 } }));
  w("coverage/index.html", `<!doctype html><html><head><meta charset="utf-8"><title>coverage</title></head><body><a href="files/crc16.ts.html">crc16.ts</a></body></html>`);
  w("coverage/files/crc16.ts.html", `<!doctype html><html><head><meta charset="utf-8"><title>crc16</title></head><body><a href="../index.html">back</a></body></html>`);
  w("coverage/lcov.info", "TN:\nSF:assembly/util/crc16.ts\nDA:1,1\nend_of_record\n");
  w("coverage/summary.json", JSON.stringify({ statements: { covered: 96, total: 100, pct: 96 }, branches: { covered: 91, total: 100, pct: 91 }, excluded: [{ file: "assembly/index.ts", reason: "ABI layer" }], gate: { statements: 95, branches: 90 }, pass: true }));
  w("inspect/flight.json", JSON.stringify({ file: "build/flight.wasm", sha256: imageSha, bytes: 1, buildId: "b", commit, imports: [], exports: [], features: [], memory: { min: 1, max: null }, dataSegments: [], callGraph: { maxDepth: 9, recursion: false } }));
  w("inspect/flight.txt", `sha256 ${imageSha}\n`);
  w("cost/cost.json", JSON.stringify({ profiles: {} }));
  w("faults/campaign.json", JSON.stringify({ profile: "cubesat-mcu", lines: 20, results: [{ fault: { kind: "drop-line", line: 5 }, detected: true, detectedBy: ["lines missing 1"], harmless: false, linesLost: [5], acceptedLost: [], linesCorrupted: 0, completed: true, reboots: 0, verdict: "detected", note: "" }], baseline: null, realTime: null, ok: true }));
  w("mutation/report.json", JSON.stringify({ score: 1, killed: 3, survived: [], equivalent: [{ id: "m4", reason: "same value" }], total: 4 }));
  w("mutation/report.md", "# Mutation report\n");
}

test("[tengri §trace] evidence: with nothing produced every part but the committed ones is MISSING and the command exits 1; a small pack opens in headless Chromium, every link resolves, no console error", { skip: noImage || noChromium }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "tengri-evidence-"));
  try {
    const empty = join(dir, "empty");
    mkdirSync(empty);
    const r = sh("npx", ["tsx", "host/evidence/run.ts", "--reuse", "--results", empty, "--out", join(dir, "pack0")]);
    assert.equal(r.status, 1, r.stderr);
    const m0 = JSON.parse(readFileSync(join(dir, "pack0/manifest.json"), "utf8"));
    const st0 = Object.fromEntries(m0.parts.map((p: { id: string; status: string }) => [p.id, p.status]));
    for (const id of ["tests", "coverage", "inspect", "cost", "faults", "mutation"]) assert.equal(st0[id], "MISSING", id);
    assert.match(readFileSync(join(dir, "pack0/index.html"), "utf8"), /<td class="MISSING">MISSING<\/td>/);
    assert.match(r.stdout, /MISSING tests/);

    const imageSha = createHash("sha256").update(readFileSync(join(ROOT, "build/flight.wasm"))).digest("hex");
    const commit = sh("git", ["rev-parse", "HEAD"]).stdout.trim();
    const results = join(dir, "results");
    smallResults(results, imageSha, commit);
    const pack = join(dir, "pack");
    const r2 = sh("npx", ["tsx", "host/evidence/run.ts", "--reuse", "--results", results, "--out", pack]);
    const m = JSON.parse(readFileSync(join(pack, "manifest.json"), "utf8"));
    const st = Object.fromEntries(m.parts.map((p: { id: string; status: string }) => [p.id, p.status]));
    for (const id of ["tests", "coverage", "inspect", "cost", "faults", "mutation", "bench"]) assert.equal(st[id], "OK", `${id}: ${JSON.stringify(m.parts.find((p: { id: string }) => p.id === id))}`);
    assert.equal(r2.status, Object.values(st).every((s) => s === "OK") ? 0 : 1, "exit 1 exactly when a part is not OK");
    assert.deepEqual(brokenLinks(pack), []);
    // SHA256SUMS covers every file of the pack and checks
    const sums = readFileSync(join(pack, "SHA256SUMS"), "utf8").trim().split("\n");
    for (const line of sums) {
      const [h, p] = line.split("  ");
      assert.equal(createHash("sha256").update(readFileSync(join(pack, p))).digest("hex"), h, p);
    }
    assert.ok(sums.some((l) => l.endsWith("  junit/node-test.xml")) && sums.some((l) => l.endsWith("  coverage/files/crc16.ts.html")));

    // A copy whose link target was removed: the browser check must see it.
    const broken = join(dir, "broken");
    cpSync(pack, broken, { recursive: true });
    rmSync(join(broken, "cost/cost.json"));
    const { chromium } = await import("playwright-core");
    const userDir = mkdtempSync(join(tmpdir(), "tengri-chromium-"));
    const ctx = await chromium.launchPersistentContext(userDir, { executablePath: CHROMIUM, headless: true, args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
    try {
      const visit = async (root: string) => {
        const page = await ctx.newPage();
        const errors: string[] = [];
        page.on("console", (msg) => { if (msg.type() === "error" || msg.type() === "warning") errors.push(`console ${msg.type()}: ${msg.text()}`); });
        page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
        page.on("requestfailed", (q) => errors.push(`request failed: ${q.url()}`));
        await page.goto("file://" + join(root, "index.html"), { waitUntil: "load" });
        const links = (await page.evaluate(`[...document.querySelectorAll("a[href]")].map((a) => a.href)`)) as string[];
        const statuses = (await page.evaluate(`Object.fromEntries([...document.querySelectorAll("#parts tbody tr")].map((r) => [r.id.slice(5), r.dataset.status]))`)) as Record<string, string>;
        const unresolved: string[] = [];
        for (const href of links) {
          const p = await ctx.newPage();
          p.on("console", (msg) => { if (msg.type() === "error") errors.push(`console error on ${href}: ${msg.text()}`); });
          try {
            const resp = await p.goto(href, { waitUntil: "load" });
            if (!resp || !resp.ok()) unresolved.push(href);
          } catch { unresolved.push(href); }
          await p.close();
        }
        await page.close();
        return { links, statuses, unresolved, errors };
      };
      const good = await visit(pack);
      assert.ok(good.links.length >= 20, `${good.links.length} links`);
      assert.deepEqual(good.unresolved, []);
      assert.deepEqual(good.errors, []);
      assert.deepEqual(good.statuses, st, "the page shows the manifest's statuses");
      const bad = await visit(broken);
      assert.deepEqual(bad.unresolved, ["file://" + join(broken, "cost/cost.json")]);
    } finally {
      await ctx.close();
      rmSync(userDir, { recursive: true, force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
