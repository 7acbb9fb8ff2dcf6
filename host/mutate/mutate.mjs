#!/usr/bin/env node
// Mutation testing (`npm run mutate`): applies each fault of a catalogue (host/mutate/catalogue.json)
// to a temporary copy of the tree — never to the tree itself —, rebuilds what the mutant's tests
// need, runs those tests with a bounded time, and reports which faults the suite kills.
//
//   npm run mutate [-- --jobs N] [--only ID[,ID…]] [--list] [--catalogue FILE] [--out DIR]
//                     [--timeout S] [--keep]
//
// Verdicts: killed (a test failed), timeout (the tests did not end within the bound: counted as
// killed, and said so), survived (every test passed), build-error (the mutant did not compile: not
// a kill; the catalogue should hold none), equivalent (the catalogue says why no test can tell the
// mutant from the original: run all the same, and flagged when it is killed after all).
// Score = killed (timeouts included) / (total − equivalent).
// Writes DIR/report.json and DIR/report.md (default results/mutation). Exit 0 when every
// non-equivalent mutant was killed, 1 otherwise, 2 on a usage or catalogue error.
// Plain JavaScript, so that it starts without a TypeScript compiler.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BUILD_OUTPUTS = ["build/flight.wasm", "build/flight.debug.wasm", "build/lib.wasm"];

/** Reads and checks a catalogue: every field present, ids unique, each anchor found exactly once. */
export function loadCatalogue(file, root = ROOT) {
  const doc = JSON.parse(readFileSync(file, "utf8"));
  const list = Array.isArray(doc) ? doc : doc.mutants;
  if (!Array.isArray(list)) throw new Error(`${file}: no "mutants" array`);
  const errors = [], seen = new Set();
  for (const [i, m] of list.entries()) {
    const at = `mutant ${m?.id ?? `#${i}`}`;
    if (!m || typeof m.id !== "string" || !m.id) { errors.push(`${at}: "id" missing`); continue; }
    if (seen.has(m.id)) errors.push(`${at}: duplicate id`);
    seen.add(m.id);
    for (const k of ["file", "anchor", "replace", "kind"]) if (typeof m[k] !== "string") errors.push(`${at}: "${k}" must be a string`);
    const t = m.tests ?? {};
    const aspect = t.aspect ?? [], node = t.node ?? [];
    if (!aspect.length && !node.length) errors.push(`${at}: no tests named`);
    for (const f of [...aspect, ...node]) if (!existsSync(join(root, f))) errors.push(`${at}: test file ${f} not found`);
    if (typeof m.file !== "string" || !existsSync(join(root, m.file))) { errors.push(`${at}: file ${m.file} not found`); continue; }
    if (m.anchor === m.replace) errors.push(`${at}: the replacement is the anchor`);
    const text = readFileSync(join(root, m.file), "utf8");
    const n = typeof m.anchor === "string" && m.anchor ? text.split(m.anchor).length - 1 : 0;
    if (n !== 1) errors.push(`${at}: anchor found ${n} times in ${m.file} (must be exactly once): ${JSON.stringify(m.anchor)}`);
    if (m.equivalent !== undefined && (typeof m.equivalent !== "string" || !m.equivalent.trim())) errors.push(`${at}: "equivalent" must give the reason`);
  }
  if (errors.length) { const e = new Error(errors.join("\n")); e.catalogue = true; throw e; }
  return list;
}

/** The mutated text of a file: the anchor (found exactly once) replaced. */
export function applyMutant(text, m) {
  const i = text.indexOf(m.anchor);
  if (i < 0 || text.indexOf(m.anchor, i + 1) >= 0) throw new Error(`${m.id}: anchor not unique in ${m.file}`);
  return text.slice(0, i) + m.replace + text.slice(i + m.anchor.length);
}

/** The build targets a mutant needs: flight code run by node:test goes through build/*.wasm; as-pect compiles the sources itself. */
export function buildTargetsOf(m) {
  if (!m.file.startsWith("assembly/") || !(m.tests?.node ?? []).length) return [];
  return m.build ?? ["flight image", "library build"];
}

function copyTree(src, dst) {
  mkdirSync(dst, { recursive: true });
  for (const name of readdirSync(src)) {
    if ([".git", "node_modules", "results", "tmp"].includes(name)) continue;
    cpSync(join(src, name), join(dst, name), { recursive: true, dereference: false });
  }
  symlinkSync(realpathSync(join(src, "node_modules")), join(dst, "node_modules"));
}

/** Runs a command in its own process group with a time bound; resolves { code, out, timedOut }. */
function runBounded(cmd, args, { cwd, timeoutMs, env }) {
  return new Promise((resolveRun) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1", ...env }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let out = "", timedOut = false;
    const keep = (d) => { out += d; if (out.length > 4_000_000) out = out.slice(-2_000_000); };
    child.stdout.on("data", keep); child.stderr.on("data", keep);
    const timer = setTimeout(() => { timedOut = true; try { process.kill(-child.pid, "SIGKILL"); } catch { /* gone */ } }, timeoutMs);
    child.on("close", (code, signal) => { clearTimeout(timer); resolveRun({ code: code ?? (signal ? 128 : 1), out, timedOut }); });
  });
}

/** First failing test name in a runner's output (for the report), if one can be read. */
function firstFailure(out) {
  const clean = out.replace(/\x1b\[[0-9;]*m/g, "");
  const nt = /^\s*✖ (.+?)(?: \(\d[\d.]*ms\))?$/m.exec(clean);
  if (nt) return nt[1].trim();
  // as-pect: "❌ tests/…spec.ts Pass: 3 / 4" per file, then "❌ <test name> - <message>" per failing test.
  const asp = clean.split("\n").map((l) => /^\s*❌ (.+?)(?: - .*)?$/.exec(l)).find((x) => x && !/ Pass: \d/.test(x[1]));
  return asp ? asp[1].trim() : null;
}

/** A worker: one private copy of the tree, mutants applied and undone one at a time. */
class Worker {
  constructor(root, timeoutMs, say) { this.root = root; this.timeoutMs = timeoutMs; this.say = say; }
  async prepare(needBuild) {
    this.dir = mkdtempSync(join(tmpdir(), "mut-"));
    copyTree(this.root, this.dir);
    // node:test files may run build/*.wasm: then the copy's build must be current before any
    // mutant, and its outputs are the pristine ones. as-pect alone compiles the sources itself.
    if (needBuild) {
      const b = spawnSync(process.execPath, ["host/build.mjs", "flight image", "library build"], { cwd: this.dir, encoding: "utf8" });
      if (b.status !== 0) throw new Error(`pristine build failed in ${this.dir}:\n${b.stderr}`);
    }
    this.pristineBuild = new Map();
    if (!existsSync(join(this.dir, "build/.stamps"))) return;
    for (const f of [...BUILD_OUTPUTS, ...readdirSync(join(this.dir, "build/.stamps")).map((s) => `build/.stamps/${s}`)]) {
      if (existsSync(join(this.dir, f))) this.pristineBuild.set(f, readFileSync(join(this.dir, f)));
    }
  }
  restoreBuild() { for (const [f, data] of this.pristineBuild) writeFileSync(join(this.dir, f), data); }
  async run(m) {
    const t0 = Date.now();
    const file = join(this.dir, m.file);
    // The original is the copy's own text as first seen (the copy is always restored after a
    // mutant), so editing the tree while a campaign runs does not disturb it.
    this.sources ??= new Map();
    if (!this.sources.has(m.file)) this.sources.set(m.file, readFileSync(file, "utf8"));
    const pristine = this.sources.get(m.file);
    if (readFileSync(file, "utf8") !== pristine) throw new Error(`${m.id}: the worker's copy of ${m.file} is not pristine`);
    writeFileSync(file, applyMutant(pristine, m));
    const targets = buildTargetsOf(m);
    try {
      if (targets.length) {
        const b = await runBounded(process.execPath, ["host/build.mjs", ...targets], { cwd: this.dir, timeoutMs: Math.max(this.timeoutMs, 600_000) });
        if (b.code !== 0) return { verdict: "build-error", detail: b.out.split("\n").filter((l) => /ERROR|error/.test(l)).slice(0, 3).join(" | "), seconds: (Date.now() - t0) / 1000 };
      }
      const aspect = m.tests?.aspect ?? [];
      if (aspect.length) {
        const cfg = join(this.dir, "as-pect.mutant.config.js");
        writeFileSync(cfg, `import base from "./as-pect.config.js";\nexport default { ...base, entries: ${JSON.stringify(aspect)} };\n`);
        const r = await runBounded(process.execPath, [join(this.dir, "node_modules/@as-pect/cli/bin/asp.js"), "--config", "as-pect.mutant.config.js", "--no-logo", "--summary"], { cwd: this.dir, timeoutMs: this.timeoutMs });
        const out = r.out.replace(/\x1b\[[0-9;]*m/g, "");
        if (r.timedOut) return { verdict: "timeout", by: "as-pect", detail: `no end within ${this.timeoutMs / 1000} s`, seconds: (Date.now() - t0) / 1000 };
        // A mutant as-pect cannot compile is a build error, not a kill.
        if (r.code !== 0 && /ERROR (?:TS|AS)\d+/.test(out) && !/\[Tests\]/.test(out)) {
          return { verdict: "build-error", detail: (/ERROR (?:TS|AS)\d+.*/.exec(out) ?? [""])[0], seconds: (Date.now() - t0) / 1000 };
        }
        if (r.code !== 0) return { verdict: "killed", by: "as-pect", test: firstFailure(out), seconds: (Date.now() - t0) / 1000 };
      }
      const node = m.tests?.node ?? [];
      if (node.length) {
        const pattern = m.tests?.nodePattern ? [`--test-name-pattern=${m.tests.nodePattern}`] : [];
        const r = await runBounded(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=1", `--test-timeout=${this.timeoutMs}`, "--test-reporter=spec", ...pattern, ...node], { cwd: this.dir, timeoutMs: this.timeoutMs + 30_000 });
        // A hang: the whole run overran, or node:test cancelled a test at its bound.
        if (r.timedOut || (r.code !== 0 && /test timed out after/i.test(r.out))) {
          return { verdict: "timeout", by: "node:test", detail: `no end within ${this.timeoutMs / 1000} s`, seconds: (Date.now() - t0) / 1000 };
        }
        if (r.code !== 0) return { verdict: "killed", by: "node:test", test: firstFailure(r.out), seconds: (Date.now() - t0) / 1000 };
      }
      return { verdict: "survived", seconds: (Date.now() - t0) / 1000 };
    } finally {
      writeFileSync(file, pristine);
      if (targets.length) this.restoreBuild();
    }
  }
  dispose() { if (this.dir) rmSync(this.dir, { recursive: true, force: true }); }
}

/** Runs the mutants with `jobs` workers; `onResult` sees each result as it comes. */
export async function runCampaign(mutants, { root = ROOT, jobs = 1, timeoutMs = 300_000, say = () => {}, onResult = () => {}, keep = false } = {}) {
  const queue = [...mutants];
  const results = new Map();
  const workers = Array.from({ length: Math.max(1, Math.min(jobs, mutants.length)) }, () => new Worker(root, timeoutMs, say));
  try {
    await Promise.all(workers.map(async (w) => {
      await w.prepare(mutants.some((m) => (m.tests?.node ?? []).length > 0));
      for (let m = queue.shift(); m; m = queue.shift()) {
        let r;
        try { r = await w.run(m); } catch (e) { r = { verdict: "error", detail: String(e?.message ?? e) }; }
        const res = { id: m.id, file: m.file, kind: m.kind, ...r };
        if (m.equivalent) res.equivalent = m.equivalent;
        results.set(m.id, res);
        onResult(res);
      }
    }));
  } finally {
    if (!keep) for (const w of workers) w.dispose();
  }
  return mutants.map((m) => results.get(m.id));
}

/** The report: score = killed (timeouts included) / (total − equivalent). */
export function summarise(mutants, results) {
  const byId = new Map(results.map((r) => [r.id, r]));
  const equivalent = mutants.filter((m) => m.equivalent).map((m) => ({ id: m.id, reason: m.equivalent, verdict: byId.get(m.id)?.verdict }));
  const counted = results.filter((r) => !r.equivalent);
  const killedList = counted.filter((r) => r.verdict === "killed" || r.verdict === "timeout");
  const total = mutants.length;
  const denominator = total - equivalent.length;
  return {
    score: denominator ? killedList.length / denominator : 1,
    killed: killedList.length,
    timeouts: counted.filter((r) => r.verdict === "timeout").map((r) => r.id),
    survived: counted.filter((r) => r.verdict === "survived").map((r) => ({ id: r.id, file: r.file, kind: r.kind })),
    buildErrors: counted.filter((r) => r.verdict === "build-error" || r.verdict === "error").map((r) => ({ id: r.id, detail: r.detail })),
    equivalent,
    // An "equivalent" mutant a test kills was not equivalent: the catalogue is wrong there.
    equivalentKilled: results.filter((r) => r.equivalent && (r.verdict === "killed" || r.verdict === "timeout")).map((r) => r.id),
    total,
    results,
  };
}

function markdown(rep, mutants) {
  const pct = (rep.score * 100).toFixed(1);
  const lines = [`# Mutation testing`, "", `Score: **${pct} %** — ${rep.killed} killed of ${rep.total - rep.equivalent.length} non-equivalent mutants (${rep.total} in the catalogue, ${rep.equivalent.length} equivalent).`, ""];
  if (rep.timeouts.length) lines.push(`Timeouts (counted as killed): ${rep.timeouts.join(", ")}.`, "");
  lines.push(`Survivors: ${rep.survived.length ? rep.survived.map((s) => s.id).join(", ") : "none"}.`, "");
  if (rep.buildErrors.length) lines.push(`Build errors (not kills): ${rep.buildErrors.map((b) => b.id).join(", ")}.`, "");
  if (rep.equivalentKilled.length) lines.push(`Marked equivalent but killed (the catalogue is wrong): ${rep.equivalentKilled.join(", ")}.`, "");
  const byId = new Map(mutants.map((m) => [m.id, m]));
  lines.push("| id | file | kind | verdict | by | seconds |", "|---|---|---|---|---|---|");
  for (const r of rep.results) lines.push(`| ${r.id} | ${r.file} | ${r.kind} | ${r.verdict}${r.equivalent ? " (equivalent)" : ""} | ${(r.test ?? r.by ?? r.detail ?? "").replace(/\|/g, "\\|")} | ${r.seconds?.toFixed(0) ?? ""} |`);
  if (rep.equivalent.length) {
    lines.push("", "## Equivalent mutants", "");
    for (const e of rep.equivalent) lines.push(`- **${e.id}** (${byId.get(e.id)?.file}): ${e.reason}`);
  }
  return lines.join("\n") + "\n";
}

const USAGE = `Usage: npm run mutate -- [--jobs N] [--only ID[,ID…]] [--list] [--catalogue FILE] [--out DIR] [--timeout S] [--keep]
  --jobs N        parallel workers, each with its own copy of the tree (default 1: the machine is shared)
  --only ID       run only these mutants (comma-separated, or the option repeated)
  --list          list the catalogue and exit
  --catalogue F   the catalogue (default host/mutate/catalogue.json)
  --out DIR       where report.json and report.md go (default results/mutation)
  --timeout S     bound of each test run of a mutant, seconds (default 300; a timeout counts as killed)
  --keep          keep the workers' copies of the tree (their paths are printed)`;

async function main(argv) {
  const opts = { jobs: 1, only: [], list: false, catalogue: join(ROOT, "host/mutate/catalogue.json"), out: join(ROOT, "results/mutation"), timeout: 300, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = (name) => { const v = a.includes("=") ? a.slice(a.indexOf("=") + 1) : argv[++i]; if (v === undefined || v === "") { console.error(`mutate: ${name} needs a value`); process.exit(2); } return v; };
    const num = (name, v, lo, hi) => { const n = Number(v); if (!Number.isInteger(n) || n < lo || n > hi) { console.error(`mutate: ${name} must be a whole number from ${lo} to ${hi} (got ${v})`); process.exit(2); } return n; };
    if (a === "--help" || a === "-h") { console.log(USAGE); process.exit(0); }
    else if (a.startsWith("--jobs")) opts.jobs = num("--jobs", val("--jobs"), 1, 16);
    else if (a.startsWith("--only")) opts.only.push(...val("--only").split(",").filter(Boolean));
    else if (a === "--list") opts.list = true;
    else if (a === "--keep") opts.keep = true;
    else if (a.startsWith("--catalogue")) opts.catalogue = resolve(val("--catalogue"));
    else if (a.startsWith("--out")) opts.out = resolve(val("--out"));
    else if (a.startsWith("--timeout")) opts.timeout = num("--timeout", val("--timeout"), 5, 3600);
    else { console.error(`mutate: unknown option ${a} (see --help)`); process.exit(2); }
  }
  let mutants;
  try { mutants = loadCatalogue(opts.catalogue); } catch (e) { console.error(`mutate: catalogue ${relative(process.cwd(), opts.catalogue)}: ${e.catalogue ? "\n" + e.message : e.message}`); process.exit(2); }
  if (opts.only.length) {
    const unknown = opts.only.filter((id) => !mutants.some((m) => m.id === id));
    if (unknown.length) { console.error(`mutate: --only: no mutant ${unknown.join(", ")} in the catalogue`); process.exit(2); }
    mutants = mutants.filter((m) => opts.only.includes(m.id));
  }
  if (opts.list) {
    for (const m of mutants) console.log(`${m.id.padEnd(28)} ${m.kind.padEnd(18)} ${m.file}${m.equivalent ? "  (equivalent)" : ""}`);
    console.log(`${mutants.length} mutants`);
    return 0;
  }
  console.error(`mutate: ${mutants.length} mutants, ${opts.jobs} worker(s), ${opts.timeout} s bound per test run`);
  let done = 0;
  const results = await runCampaign(mutants, {
    jobs: opts.jobs, timeoutMs: opts.timeout * 1000, keep: opts.keep,
    onResult: (r) => console.error(`[${++done}/${mutants.length}] ${r.id}: ${r.verdict}${r.equivalent ? " (equivalent)" : ""}${r.test ? ` — ${r.test}` : r.detail ? ` — ${r.detail}` : ""} (${r.seconds?.toFixed(0) ?? "?"} s)`),
  });
  const rep = summarise(mutants, results);
  let commit = null;
  try { commit = spawnSync("git", ["rev-parse", "HEAD"], { cwd: ROOT, encoding: "utf8" }).stdout.trim() || null; } catch { /* not a checkout */ }
  const full = { ...rep, commit, date: new Date().toISOString(), catalogue: relative(ROOT, opts.catalogue), partial: opts.only.length > 0 };
  mkdirSync(opts.out, { recursive: true });
  writeFileSync(join(opts.out, "report.json"), JSON.stringify(full, null, 2) + "\n");
  writeFileSync(join(opts.out, "report.md"), markdown(rep, mutants));
  console.log(`mutation score ${(rep.score * 100).toFixed(1)} %: ${rep.killed} killed of ${rep.total - rep.equivalent.length} (${rep.equivalent.length} equivalent), ${rep.survived.length} survived${rep.survived.length ? ` (${rep.survived.map((s) => s.id).join(", ")})` : ""}, ${rep.buildErrors.length} build errors; report in ${relative(process.cwd(), opts.out) || "."}`);
  return rep.survived.length || rep.buildErrors.length || rep.equivalentKilled.length ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  main(process.argv.slice(2)).then((c) => process.exit(c), (e) => { console.error(`mutate: ${e?.message ?? e}`); process.exit(1); });
}
