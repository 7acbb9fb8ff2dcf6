// `npm run coverage` (or `node --import tsx host/coverage/run.ts`): structural coverage of the
// flight code (assembly/) measured on the as-pect specs and the whole-image end-to-end passes.
//   1. build/coverage/tree/: a copy of the project with assembly/ instrumented (instrument.ts);
//   2. the instrumented images (build/coverage/tree/build/flight.wasm, lib.wasm; no .wat, no converge loop);
//   3. as-pect (every spec) and node:test over tests/e2e run in that tree, every node process
//      with hook.mjs, which dumps the counters of every instrumented instance at exit;
//   4. results/coverage/: lcov.info, index.html (+ files/*.html), summary.json.
// Exit 0 when the gate holds (statements ≥ 95 %, branches ≥ 90 %) and every run passed; 1 below
// the gate or when a run failed (coverage of a failing run is not evidence); 2 a usage error.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { prepareTree, walk } from "./tree.ts";
import { mergeDumps, writeReports, GATE } from "./report.ts";
import { MCDC_TABLE } from "./instrument.ts";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const USAGE = `Usage: npm run coverage [-- options]
  --root DIR     the project whose assembly/ is measured (default: this checkout)
  --out DIR      where the reports go (default: ROOT/results/coverage)
  --no-e2e       only the as-pect specs (no flight image is built)
  --no-aspect    without the as-pect specs
  --host         also the node:test suites of tests/host that drive the flight code (HOST_SUITES)
Exit: 0 gate met, 1 below the gate or a run failed, 2 usage error.`;

interface Opts { root: string; out: string; e2e: boolean; aspect: boolean; host: boolean }
function parseArgs(argv: string[]): Opts {
  const o: Opts = { root: fileURLToPath(new URL("../..", import.meta.url)), out: "", e2e: true, aspect: true, host: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => { const v = argv[++i]; if (v === undefined) throw new UsageError(`${a} needs a value`); return v; };
    if (a === "--root") o.root = resolve(val());
    else if (a === "--out") o.out = resolve(val());
    else if (a === "--no-e2e") o.e2e = false;
    else if (a === "--no-aspect") o.aspect = false;
    else if (a === "--host") o.host = true;
    else if (a === "-h" || a === "--help") { console.log(USAGE); process.exit(0); }
    else throw new UsageError(`unknown option ${a}`);
  }
  if (!o.out) o.out = join(o.root, "results", "coverage");
  if (!existsSync(join(o.root, "assembly"))) throw new UsageError(`--root ${o.root}: no assembly/ folder there`);
  return o;
}
class UsageError extends Error {}

interface RunResult { name: string; status: number | null; passed: number; failed: number; skipped: number; seconds: number; sensitive?: { test: string; reason: string }[] }

/**
 * The tests/host suites that run the flight code (build/lib.wasm or the whole image), for --host.
 * Left out: hil (fixed TCP ports), obc/watchdog and obc/faults (wall-clock watchdog), report-browser
 * (Chromium), cli/serve-signals (signals and ports), cli/mistakes (its many CLI processes took
 * more than the 10-minute file bound on the instrumented image under load).
 */
export const HOST_SUITES = ["tests/host/aec121", "tests/host/contract", "tests/host/flight", "tests/host/security", "tests/host/ccsds122", "tests/host/hyper123", "tests/host/obc/image.test.ts",
  "tests/host/obc/obc.test.ts", "tests/host/screen", "tests/host/ground/screening.test.ts", "tests/host/downlink/outputs.test.ts", "tests/host/cli/cli.test.ts"];

/**
 * Tests that check a property the instrumented image lacks by construction. They still run; a
 * failure of one of them is listed in the summary with the reason and does not fail the run.
 */
export const INSTRUMENTATION_SENSITIVE: { title: RegExp; reason: string }[] = [
  { title: /the image's heap before its configuration stays within the boot allowance/,
    reason: "the counters are static data placed before the heap (about 58 KB), so the instrumented image's heap starts above the boot allowance; the real image is checked by npm test" },
];

/** node:test over files in the tree, counting pass, fail and skip from its TAP summary. */
function nodeTest(name: string, tree: string, files: string[], env: Record<string, string>, log: string): Promise<RunResult> {
  return run(name, tree, process.execPath, ["--import", "tsx", "--test", "--test-concurrency=2", "--test-timeout=600000", ...files], env, log).then((r) => {
    const p = /# pass (\d+)/.exec(r.out), f = /# fail (\d+)/.exec(r.out), k = /# skipped (\d+)/.exec(r.out);
    const failures = [...r.out.matchAll(/^\s*not ok \d+ - (.*)$/gm)].map((m) => m[1]);
    const sensitive = failures.flatMap((t) => INSTRUMENTATION_SENSITIVE.filter((s) => s.title.test(t)).map((s) => ({ test: t, reason: s.reason })));
    const failed = f ? +f[1] - sensitive.length : 1;
    // The runner's exit is non-zero for the sensitive failures too: the status follows the rest.
    const status = r.status !== 0 && failed === 0 && sensitive.length && failures.length === sensitive.length ? 0 : r.status;
    return { name, status, passed: p ? +p[1] : 0, failed, skipped: k ? +k[1] : 0, seconds: r.seconds, sensitive };
  });
}

/** Runs a command in the tree with the counter hook; its output goes to log (the tail is shown on failure). */
function run(name: string, cwd: string, cmd: string, args: string[], env: Record<string, string>, log: string): Promise<{ status: number | null; out: string; seconds: number }> {
  const t0 = Date.now();
  return new Promise((res) => {
    const p = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    p.stdout.on("data", (d) => { out += d; });
    p.stderr.on("data", (d) => { out += d; });
    p.on("close", (status) => { writeFileSync(log, out); res({ status, out: out.replace(/\x1b\[[0-9;]*m/g, ""), seconds: (Date.now() - t0) / 1000 }); });
  });
}

/** asc on the tree; the images are rebuilt only when the instrumented sources changed. */
async function buildImages(tree: string, cacheDir: string): Promise<void> {
  const h = createHash("sha256");
  for (const f of walk(tree, "assembly", /\.ts$/)) h.update(f).update(readFileSync(join(tree, f)));
  h.update(readFileSync(join(tree, "asconfig.json")));
  const digest = h.digest("hex");
  const outs = ["flight.wasm", "flight.wat", "lib.wasm", "lib.wat"];   // the .wat listings too: tests read them
  mkdirSync(join(tree, "build"), { recursive: true });
  if (existsSync(join(cacheDir, "digest")) && readFileSync(join(cacheDir, "digest"), "utf8") === digest && outs.every((o) => existsSync(join(cacheDir, o)))) {
    for (const o of outs) copyFileSync(join(cacheDir, o), join(tree, "build", o));
    console.error("coverage: instrumented images up to date");
    return;
  }
  const asc = join(tree, "node_modules", ".bin", "asc");
  const [a, b] = await Promise.all([
    run("asc flight", tree, asc, ["assembly/flight.ts", "--target", "release"], {}, join(cacheDir, "asc-flight.log")),
    run("asc lib", tree, asc, ["assembly/index.ts", "--target", "lib"], {}, join(cacheDir, "asc-lib.log")),
  ]);
  for (const [n, r] of [["flight", a], ["lib", b]] as const) if (r.status !== 0) throw new Error(`coverage: the instrumented ${n} build failed:\n${r.out.slice(-3000)}`);
  for (const o of outs) copyFileSync(join(tree, "build", o), join(cacheDir, o));
  writeFileSync(join(cacheDir, "digest"), digest);
  console.error(`coverage: instrumented images built (${a.seconds.toFixed(0)} s, ${b.seconds.toFixed(0)} s)`);
}

export async function main(argv: string[]): Promise<number> {
  const o = parseArgs(argv);
  const t0 = Date.now();
  const work = join(o.root, "build", "coverage");
  const tree = join(work, "tree"), raw = join(work, "raw");
  mkdirSync(work, { recursive: true });
  rmSync(raw, { recursive: true, force: true });
  const map = prepareTree(o.root, tree);
  writeFileSync(join(work, "map.json"), JSON.stringify({ ...map, files: map.files.map((f) => ({ ...f, source: undefined })) }));
  console.error(`coverage: ${map.files.length} files instrumented (${map.files.reduce((a, f) => a + f.statements.length, 0)} statements, ${map.files.reduce((a, f) => a + f.branches.reduce((x, b) => x + b.outcomes.length, 0), 0)} branch outcomes, ${map.files.reduce((a, f) => a + f.decisions.length, 0)} decisions) in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  if (o.e2e || o.host) await buildImages(tree, work);
  const hook = join(HERE, "hook.mjs");
  // The data sets the tests look for in ../shared of the checkout (the tree lives elsewhere).
  const shared = process.env.TENGRI_SHARED ?? resolve(o.root, "..", "shared");
  const layout = join(work, "layout.json");
  writeFileSync(layout, JSON.stringify({ table: MCDC_TABLE, slots: map.files.flatMap((f) => f.decisions.filter((d) => d.mcdc).map((d) => d.slot)) }));
  const env = (name: string) => ({ TENGRI_COV_OUT: join(raw, name), TENGRI_COV_LAYOUT: layout, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import ${hook}`.trim(), FORCE_COLOR: "0",
    ...(existsSync(shared) ? { TENGRI_SHARED: shared } : {}) });
  const jobs: Promise<RunResult>[] = [];
  if (o.aspect) {
    jobs.push(run("as-pect", tree, join(tree, "node_modules", ".bin", "asp"), ["--config", "as-pect.config.js", "--no-logo"], env("aspect"), join(work, "as-pect.log")).then((r) => {
      const m = /\[Tests\]:\s*(\d+)\s*\/\s*(\d+)/.exec(r.out);
      return { name: "as-pect (tests/assembly)", status: r.status, passed: m ? +m[1] : 0, failed: m ? +m[2] - +m[1] : 1, skipped: 0, seconds: r.seconds };
    }));
  }
  if (o.e2e) jobs.push(nodeTest("node:test (tests/e2e, whole flight image)", tree, walk(tree, "tests/e2e", /\.test\.ts$/), env("e2e"), join(work, "e2e.log")));
  if (o.host) {
    const files = HOST_SUITES.flatMap((p) => p.endsWith(".ts") ? [p] : walk(tree, p, /\.test\.ts$/)).filter((f) => existsSync(join(tree, f)));
    jobs.push(nodeTest("node:test (tests/host suites driving the flight code)", tree, files, env("host"), join(work, "host.log")));
  }
  const runs = await Promise.all(jobs);
  const merged = mergeDumps(map, runs.length ? readdirSync(raw).map((d) => join(raw, d)) : []);
  rmSync(o.out, { recursive: true, force: true });
  const s = writeReports(map, merged, o.out, runs);
  s.seconds = Math.round((Date.now() - t0) / 1000);
  writeFileSync(join(o.out, "summary.json"), JSON.stringify(s, null, 2) + "\n");
  for (const r of runs) console.log(`coverage: ${r.name}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped (exit ${r.status}, ${r.seconds.toFixed(0)} s)`);
  console.log(`coverage: statements ${s.statements.pct.toFixed(1)} % (${s.statements.covered}/${s.statements.total}), branches ${s.branches.pct.toFixed(1)} % (${s.branches.covered}/${s.branches.total}); input-judging modules: conditions ${s.mcdc.conditions.pct.toFixed(1)} %, decisions ${s.mcdc.decisions.pct.toFixed(1)} %, MC/DC ${s.mcdc.independence.pct.toFixed(1)} % (${s.mcdc.independence.covered}/${s.mcdc.independence.total})`);
  console.log(`coverage: report ${join(o.out, "index.html")} (${s.seconds} s)`);
  const failedRuns = runs.filter((r) => r.status !== 0 || r.failed > 0);
  if (failedRuns.length) { console.error(`coverage: FAILED: ${failedRuns.map((r) => r.name).join(", ")} failed on the instrumented build (logs in build/coverage/)`); return 1; }
  if (!s.pass) { console.error(`coverage: BELOW THE GATE: statements ${s.statements.pct.toFixed(1)} % (gate ${GATE.statements} %), branches ${s.branches.pct.toFixed(1)} % (gate ${GATE.branches} %)`); return 1; }
  console.log(`coverage: gate met (statements ≥ ${GATE.statements} %, branches ≥ ${GATE.branches} %)`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  main(process.argv.slice(2)).then((c) => process.exit(c), (e) => {
    if (e instanceof UsageError) { console.error(`coverage: ${e.message}\n${USAGE}`); process.exit(2); }
    console.error(e instanceof Error ? e.message : String(e)); process.exit(1);
  });
}
