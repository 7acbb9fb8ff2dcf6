#!/usr/bin/env node
// The one test command (`npm test`, after the build): the checks of generated files
// (traceability matrix, wire contract, verification matrix), the as-pect specs of the flight
// modules, node:test over tests/host, tests/interop and tests/e2e, then the coverage gate of
// assembly/ (host/coverage/run.ts --host). Ends with a plain
// "N passed, N failed, N skipped" line covering both runners and the checks.
//
// Machine-readable results go to results/junit/ (TENGRI_RESULTS overrides results/):
//   as-pect.xml    every as-pect test (tests/tools/aspect-junit.mjs, a reporter of ours)
//   node-test.xml  every node:test test (node's own junit reporter, classname = file)
//   run-all.xml    the checks of this script, one <testcase> each
//   run.json       the run: commit, tree state, SHA-256 of the images tested, counts, exit
// The JUnit files are counted back and compared with each runner's own summary (a check): the
// total number of <testcase> elements equals the final line's passed + failed + skipped.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync, mkdirSync, rmSync, writeFileSync, existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createHash } from "node:crypto";
import { junitDocument, countJunitFile, compareCounts, aspectSummary, nodeSummary } from "./tools/junit.mjs";

const root = new URL("..", import.meta.url).pathname;
process.chdir(root);
const RESULTS = resolve(process.env.TENGRI_RESULTS ?? "results");
const JUNIT = join(RESULTS, "junit");
const files = { aspect: join(JUNIT, "as-pect.xml"), node: join(JUNIT, "node-test.xml"), checks: join(JUNIT, "run-all.xml"), run: join(JUNIT, "run.json") };
mkdirSync(JUNIT, { recursive: true });
for (const f of Object.values(files)) rmSync(f, { force: true }); // a runner that writes nothing leaves nothing stale
const startedAt = new Date().toISOString();
function git(args) { const r = spawnSync("git", args, { encoding: "utf8" }); return r.status === 0 ? r.stdout.trim() : null; }
// The tree tested is the tree at the start.
const commit = git(["rev-parse", "HEAD"]);
const trackedChanges = (git(["status", "--porcelain", "--untracked-files=no"]) ?? "").split("\n").filter(Boolean);

const strip = (s) => (s ?? "").replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");
function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", env: { ...process.env, ...env }, maxBuffer: 1 << 28 });
  process.stdout.write(r.stdout ?? "");
  process.stderr.write(r.stderr ?? "");
  return r;
}

/** The checks of this script: each one a <testcase> of run-all.xml and one count of the last line. */
const checks = [];
function check(name, fn) {
  const t0 = performance.now();
  let r;
  try { r = fn(); } catch (e) { r = { ok: false, message: `${e?.message ?? e}` }; }
  checks.push({ classname: "tests/run-all.mjs", name, time: (performance.now() - t0) / 1000, ok: r.ok, message: r.message ?? "", detail: r.detail ?? "" });
  if (!r.ok) console.error(`check failed: ${name}${r.message ? `: ${r.message}` : ""}`);
}
const tail = (r) => strip(`${r.stdout ?? ""}\n${r.stderr ?? ""}`).trim().split("\n").slice(-40).join("\n");

check("[tengri §trace] tests/TRACEABILITY.md is current (node tests/tools/traceability.mjs)", () => {
  const r = run("node", ["tests/tools/traceability.mjs", "--check"]);
  return { ok: r.status === 0, message: "tests/TRACEABILITY.md is stale", detail: tail(r) };
});
// The wire contract: every generated copy (flight, host, schema, README) must be current.
check("[tengri §contract] every generated copy of the wire contract is current (npm run contract)", () => {
  const r = run("node", ["--import", "tsx", "host/contract/generate.ts", "--check"]);
  return { ok: r.status === 0, message: "a generated copy of host/contract/contract.json is stale", detail: tail(r) };
});
check("[tengri §trace] tests/VERIFICATION.md is current and every requirement has a verification (npm run matrix)", () => {
  const r = run("node", ["tests/tools/matrix.mjs", "--check"]);
  return { ok: r.status === 0, message: strip(r.stderr).trim().split("\n")[0] || `exit ${r.status}`, detail: tail(r) };
});

// as-pect: checks forced on for every unchecked() in the flight modules.
const asp = run("npx", ["asp", "--config", "tests/tools/as-pect.junit.config.js", "--no-logo"], { FORCE_COLOR: "0", TENGRI_JUNIT_ASPECT: files.aspect });
const tm = aspectSummary(asp.stdout);
const aspCount = tm ?? { tests: 0, passed: 0, failed: 0, skipped: 0 };
// A failing exit counts even when a summary was printed: a spec that traps while loading reports
// "0 / 0" for itself and as-pect exits 1.
check("as-pect: the runner printed its summary and its exit status agrees with its results", () => {
  if (!tm) return { ok: false, message: `as-pect printed no summary (exit ${asp.status})`, detail: tail(asp) };
  const ok = (asp.status === 0) === (aspCount.failed === 0);
  return { ok, message: `as-pect exited ${asp.status} with ${aspCount.failed} failed tests (a spec file that failed to start, or a compile error)`, detail: tail(asp) };
});

function walk(dir, acc) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, acc);
    else if (/\.test\.(ts|mjs)$/.test(name)) acc.push(p);
  }
  return acc;
}
const testFiles = ["tests/host", "tests/interop", "tests/e2e"].flatMap((d) => walk(join(root, d), [])).sort();
let ntCount = { tests: 0, passed: 0, failed: 0, skipped: 0 };
if (testFiles.length) {
  // Every test is bounded: a hang fails after 10 minutes instead of holding the run.
  const nt = run("node", ["--import", "tsx", "--test", "--test-concurrency=2", "--test-timeout=600000",
    "--test-reporter=spec", "--test-reporter-destination=stdout",
    "--test-reporter=./tests/tools/node-junit.mjs", `--test-reporter-destination=${files.node}`, ...testFiles]);
  const summary = nodeSummary(nt.stdout);
  if (summary) ntCount = summary;
  check("node:test: the runner printed its summary and its exit status agrees with its results", () => {
    if (!summary) return { ok: false, message: `node --test printed no complete summary (exit ${nt.status})`, detail: tail(nt) };
    return { ok: (nt.status === 0) === (ntCount.failed === 0), message: `node --test exited ${nt.status} with ${ntCount.failed} failed tests`, detail: tail(nt) };
  });
}
// Structural coverage of assembly/ on an instrumented copy (npm run coverage: the as-pect specs,
// the end-to-end passes and the tests/host suites that drive the flight code), gated at 95 % of
// statements and 90 % of branches; results/coverage/ holds lcov, HTML and summary.json.
check("[tengri §coverage] structural coverage of assembly/: at least 95 % of statements and 90 % of branches, every instrumented run passing (npm run coverage)", () => {
  const r = run("node", ["--import", "tsx", "host/coverage/run.ts", "--host"]);
  const last = strip(`${r.stdout ?? ""}\n${r.stderr ?? ""}`).trim().split("\n").filter((l) => /statements|branches|gate/i.test(l)).slice(-1)[0] ?? "";
  return { ok: r.status === 0, message: last || `npm run coverage exited ${r.status}`, detail: tail(r) };
});
// Under CI every tool the tests need is installed (.ci/run): a skip there is a missing install.
const skippedTests = aspCount.skipped + ntCount.skipped;
if (process.env.CI === "true") {
  check("[tengri §ci] under CI=true no test is skipped (every tool and data set is installed)", () =>
    ({ ok: skippedTests === 0, message: `${skippedTests} tests skipped under CI=true: a tool or data set is missing` }));
}
// The JUnit files say what the runners said: same number of tests, passed, failed and skipped.
check("[tengri §junit] the JUnit files hold every test the runners counted, with the same results", () => {
  const problems = [
    ...compareCounts("as-pect (results/junit/as-pect.xml)", aspCount, countJunitFile(files.aspect)),
    ...(testFiles.length ? compareCounts("node:test (results/junit/node-test.xml)", ntCount, countJunitFile(files.node)) : []),
  ];
  return { ok: problems.length === 0, message: problems.join("; ") };
});

const passed = aspCount.passed + ntCount.passed + checks.filter((c) => c.ok).length;
const failed = aspCount.failed + ntCount.failed + checks.filter((c) => !c.ok).length;
const skipped = skippedTests;
writeFileSync(files.checks, junitDocument("run-all", [{ name: "tests/run-all.mjs", cases: checks }]));

// The line and the JUnit files must agree; this can only fail through a bug of this script.
const inFiles = [files.aspect, files.node, files.checks].map(countJunitFile).filter(Boolean);
const junitTotal = inFiles.reduce((n, c) => n + c.tests, 0);
let exit = failed ? 1 : 0;
if (junitTotal !== passed + failed + skipped) { console.error(`run-all: the JUnit files hold ${junitTotal} tests, the count is ${passed + failed + skipped}`); exit = 1; }

function sha256(p) { return existsSync(p) ? createHash("sha256").update(readFileSync(p)).digest("hex") : null; }
writeFileSync(files.run, JSON.stringify({
  startedAt, finishedAt: new Date().toISOString(),
  commit, trackedChanges,
  images: Object.fromEntries(["build/flight.wasm", "build/flight.debug.wasm", "build/lib.wasm"].map((p) => [p, sha256(p)])),
  ci: process.env.CI === "true", node: process.version,
  counts: { passed, failed, skipped, asPect: aspCount, nodeTest: ntCount, checks: checks.length },
  junit: ["as-pect.xml", "node-test.xml", "run-all.xml"], exit,
}, null, 2) + "\n");

console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(exit);
