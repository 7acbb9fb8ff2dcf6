// `npm run evidence`: the folder a certification reviewer takes away, results/evidence/, with an
// index.html linking every part:
//   tests      JUnit XML of every suite and the run record (tests/run-all.mjs)
//   matrix     the requirements and verification matrix, the traceability matrix, the requirements
//   coverage   lcov and HTML of assembly/ (npm run coverage)
//   inspect    tengri inspect of the exact image tested (JSON + text), its SHA-256 checked against the run's
//   cost       the cost model (npm run cost)
//   bench      tests/bench/RESULTS.md (npm run bench)
//   fuzz       the fuzz campaign's section of RESULTS.md (npm run fuzz)
//   faults     the OBC fault-injection campaign (npm run faults), run now
//   mutation   the mutation report (npm run mutate)
// Each producer writes under results/<part>/ and the pack copies from there. The test suite is run
// unless results/junit/run.json records a run of the same image (SHA-256 of build/flight.wasm), the
// same commit and no changed tracked file — then that run is reused, and the index says which.
// The mutation report is reused when present (a full campaign takes long); `--fresh` reruns both.
// `--reuse` runs no producer at all and packs what results/ holds. A part whose producer is absent
// or wrote nothing is MISSING; one that ran and failed is FAILED; either makes the exit status 1.
// Usage: npm run evidence [-- --out DIR] [--results DIR] [--reuse | --fresh]
import { parseArgs } from "node:util";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, openSync, closeSync, statSync } from "node:fs";
import { join, resolve, relative } from "node:path";
import { writeIndex, copyInto, sha256File, brokenLinks, type Part, type PartFile } from "./pack.ts";
// @ts-ignore: a plain ES module of the test tools (the JUnit counter run-all uses)
import { countJunitFile } from "../../tests/tools/junit.mjs";

const ROOT = resolve(new URL("../..", import.meta.url).pathname);

function usage(msg?: string): never {
  if (msg) console.error(`evidence: ${msg}`);
  console.error("Usage: npm run evidence [-- --out DIR] [--results DIR] [--reuse | --fresh]");
  process.exit(2);
}

const OPTIONS = { out: { type: "string" }, results: { type: "string" }, reuse: { type: "boolean" }, fresh: { type: "boolean" }, help: { type: "boolean", short: "h" } } as const;
function parse() {
  try { return parseArgs({ options: OPTIONS }).values; } catch (e) { return usage((e as Error).message); }
}
const args = parse();
if (args.help) {
  console.log(`Usage: npm run evidence [-- --out DIR] [--results DIR] [--reuse | --fresh]
Writes the evidence pack (default results/evidence/) with index.html linking every part.
  --results DIR  where the producers' outputs are (default results/)
  --out DIR      the pack (default RESULTS/evidence); emptied first
  --reuse        run no producer: pack what RESULTS holds
  --fresh        run the test suite and the mutation campaign even when a matching result exists
Exit: 0 every part present and passing, 1 a part MISSING or FAILED, 2 bad usage.`);
  process.exit(0);
}
if (args.reuse && args.fresh) usage("--reuse and --fresh exclude each other");
const RESULTS = resolve(args.results ?? join(ROOT, "results"));
const OUT = resolve(args.out ?? join(RESULTS, "evidence"));
const reuse = !!args.reuse;
process.chdir(ROOT);

const scripts: Record<string, string> = JSON.parse(readFileSync("package.json", "utf8")).scripts ?? {};
const git = (a: string[]) => { const r = spawnSync("git", a, { encoding: "utf8" }); return r.status === 0 ? r.stdout.trim() : null; };
const readJson = (p: string) => { try { return JSON.parse(readFileSync(p, "utf8")); } catch { return null; } };
const rel = (p: string) => relative(ROOT, p) || ".";
const mtime = (p: string) => statSync(p).mtime.toISOString().replace(/\.\d+Z$/, "Z");

/** Run a producer with its output in LOG (stderr in ERR when given); returns its exit status (null when it could not start). */
function produce(cmd: string, argv: string[], log: string, env: Record<string, string> = {}, err?: string): number | null {
  mkdirSync(resolve(log, ".."), { recursive: true });
  const fd = openSync(log, "w");
  const efd = err ? openSync(err, "w") : fd;
  console.log(`evidence: ${[cmd === process.execPath ? "node" : cmd, ...argv].join(" ")} (output ${rel(log)})`);
  try {
    const r = spawnSync(cmd, argv, { stdio: ["ignore", fd, efd], env: { ...process.env, ...env } });
    return r.error ? null : r.status;
  } finally { closeSync(fd); if (efd !== fd) closeSync(efd); }
}

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const parts: Part[] = [];
function part(id: string, title: string, producer: string): Part {
  const p: Part = { id, title, producer, status: "MISSING", how: "", notes: [], files: [] };
  parts.push(p);
  return p;
}
/** Copy a file or folder of results/ into the pack; returns its pack files or [] when absent. */
function take(p: Part, from: string, to: string, label: string | ((f: string) => string)): PartFile[] {
  if (!existsSync(from)) return [];
  const files = copyInto(OUT, from, to).map((f) => ({ label: typeof label === "string" ? label : label(f), path: f }));
  p.files.push(...files);
  return files;
}

const IMAGE = join(ROOT, "build/flight.wasm");
if (!existsSync(IMAGE)) { console.error("evidence: build/flight.wasm not found: run npm run build"); process.exit(1); }
const imageSha = sha256File(IMAGE);
const commit = git(["rev-parse", "HEAD"]) ?? "unknown (not a git checkout)";
const tracked = (git(["status", "--porcelain", "--untracked-files=no"]) ?? "").split("\n").filter(Boolean);

// --- tests: JUnit XML -------------------------------------------------------------------------
const tests = part("tests", "Test results (JUnit XML of every suite)", "npm test (node tests/run-all.mjs)");
const junitDir = join(RESULTS, "junit");
let run = readJson(join(junitDir, "run.json"));
const matches = (r: any) => r && r.images?.["build/flight.wasm"] === imageSha && r.commit === commit && (r.trackedChanges ?? []).length === 0 && tracked.length === 0;
if (reuse) tests.how = run ? `reused (--reuse): the run of ${run.finishedAt}` : "--reuse: no run recorded in results/junit";
else if (matches(run) && !args.fresh) tests.how = `reused the run of ${run.finishedAt}: same image SHA-256, same commit, no changed tracked file`;
else {
  const why = !run ? "no earlier run recorded" : run.images?.["build/flight.wasm"] !== imageSha ? "the last run tested another image" : run.commit !== commit ? "the last run was of another commit" : tracked.length || (run.trackedChanges ?? []).length ? "tracked files were changed" : "--fresh";
  produce(process.execPath, ["tests/run-all.mjs"], join(junitDir, "run-all.log"), { TENGRI_RESULTS: RESULTS });
  run = readJson(join(junitDir, "run.json"));
  tests.how = `ran the suite now (${why})`;
}
for (const f of ["as-pect.xml", "node-test.xml", "run-all.xml"]) take(tests, join(junitDir, f), `junit/${f}`, `JUnit: ${f}`);
take(tests, join(junitDir, "run.json"), "junit/run.json", "the run: commit, image SHA-256, counts");
take(tests, join(junitDir, "run-all.log"), "junit/run-all.log", "output of the run");
if (!run || tests.files.filter((f) => f.path.endsWith(".xml")).length < 3) tests.status = "MISSING";
else {
  const testedSha = run.images?.["build/flight.wasm"];
  tests.notes.push(`${run.counts.passed} passed, ${run.counts.failed} failed, ${run.counts.skipped} skipped (as-pect ${run.counts.asPect.tests}, node:test ${run.counts.nodeTest.tests}, run-all checks ${run.counts.checks})`);
  tests.notes.push(`image tested: build/flight.wasm SHA-256 ${testedSha}; commit ${run.commit}${run.trackedChanges?.length ? ` with ${run.trackedChanges.length} changed tracked files` : ""}`);
  if (testedSha !== imageSha) tests.notes.push(`the image tested is not build/flight.wasm as it is now (${imageSha})`);
  // The pack's JUnit files hold as many test cases as the run counted; name what failed.
  const counts = ["as-pect.xml", "node-test.xml", "run-all.xml"].map((f) => countJunitFile(join(OUT, "junit", f)) as { tests: number; failedNames: string[] });
  const cases = counts.reduce((n, c) => n + c.tests, 0);
  const counted = run.counts.passed + run.counts.failed + run.counts.skipped;
  if (cases !== counted) tests.notes.push(`the JUnit files hold ${cases} test cases, the run counted ${counted}`);
  const unesc = (x: string) => x.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, "\"").replace(/&amp;/g, "&");
  const failedNames = counts.flatMap((c) => c.failedNames.map(unesc));
  for (const n of failedNames.slice(0, 10)) tests.notes.push(`failed: ${n}`);
  if (failedNames.length > 10) tests.notes.push(`… and ${failedNames.length - 10} more failed (see the JUnit files)`);
  tests.status = run.exit === 0 && testedSha === imageSha && cases === counted ? "OK" : "FAILED";
}

// --- matrices --------------------------------------------------------------------------------
const matrix = part("matrix", "Requirements and verification matrix, traceability matrix", "npm run matrix; node tests/tools/traceability.mjs");
{
  const m = spawnSync(process.execPath, ["tests/tools/matrix.mjs", "--check"], { encoding: "utf8" });
  const t = spawnSync(process.execPath, ["tests/tools/traceability.mjs", "--check"], { encoding: "utf8" });
  take(matrix, "tests/VERIFICATION.md", "matrix/VERIFICATION.md", "verification matrix (requirement → tests, analyses, inspections)");
  take(matrix, "tests/requirements.json", "matrix/requirements.json", "requirements (source of the matrix)");
  take(matrix, "tests/TRACEABILITY.md", "matrix/TRACEABILITY.md", "traceability matrix (CCSDS clause → tests)");
  matrix.how = "checked now against the tests of this tree (--check of both generators)";
  for (const line of `${m.stderr}`.split("\n").filter(Boolean)) matrix.notes.push(line);
  if (t.status !== 0) matrix.notes.push("tests/TRACEABILITY.md is stale");
  matrix.status = matrix.files.length < 3 ? "MISSING" : m.status === 0 && t.status === 0 ? "OK" : "FAILED";
}

/** A part made by an npm script writing under results/NAME (run unless --reuse, or reuse=true). */
function scripted(p: Part, script: string, dir: string, reuseIfPresent: (d: string) => boolean): number | null {
  const have = reuseIfPresent(dir);
  if (reuse || (have && !args.fresh)) {
    p.how = have ? `reused ${rel(dir)} as found (written ${mtime(dir)})` : `--reuse: nothing in ${rel(dir)}`;
    return 0;
  }
  if (!(script in scripts)) { p.how = `no npm script "${script}" in this tree`; return null; }
  const status = produce("npm", ["run", "-s", script], join(RESULTS, "logs", `${script}.log`));
  p.how = `ran npm run ${script} now (exit ${status})`;
  take(p, join(RESULTS, "logs", `${script}.log`), `logs/${script}.log`, `output of npm run ${script}`);
  return status;
}

// --- coverage --------------------------------------------------------------------------------
const cov = part("coverage", "Structural coverage of assembly/ (lcov, HTML)", "npm run coverage");
{
  const dir = join(RESULTS, "coverage");
  const st = scripted(cov, "coverage", dir, () => false);
  const sum = readJson(join(dir, "summary.json"));
  if (existsSync(join(dir, "lcov.info")) && existsSync(join(dir, "index.html")) && sum) {
    const files = copyInto(OUT, dir, "coverage");
    cov.files.push({ label: "coverage report (HTML)", path: "coverage/index.html" }, { label: "lcov.info", path: "coverage/lcov.info" }, { label: "summary.json", path: "coverage/summary.json" });
    cov.notes.push(`${files.length} files`);
    const pc = (x: any) => (x && typeof x.pct === "number" ? `${x.pct.toFixed(1)} % (${x.covered} of ${x.total})` : "not reported");
    cov.notes.push(`statements ${pc(sum.statements)}, branches ${pc(sum.branches)}${sum.mcdc ? `, MC/DC ${pc(sum.mcdc)}` : ""}; gate ${sum.gate?.statements ?? "?"} % / ${sum.gate?.branches ?? "?"} %`);
    for (const e of sum.excluded ?? []) cov.notes.push(`excluded: ${e.file}: ${e.reason}`);
    cov.status = sum.pass === true && (st === 0 || st === null) ? "OK" : "FAILED";
  }
}

// --- inspect ---------------------------------------------------------------------------------
const insp = part("inspect", "Inspection of the image tested (tengri inspect)", "tengri inspect build/flight.wasm [--json]");
{
  const dir = join(RESULTS, "inspect");
  if (!reuse) {
    if (!existsSync("host/commands/inspect.ts")) insp.how = "no tengri inspect in this tree (host/commands/inspect.ts)";
    else {
      mkdirSync(dir, { recursive: true });
      const a = produce(process.execPath, ["bin/tengri.mjs", "inspect", "build/flight.wasm", "--json"], join(dir, "flight.json"), {}, join(dir, "inspect.log"));
      const b = produce(process.execPath, ["bin/tengri.mjs", "inspect", "build/flight.wasm"], join(dir, "flight.txt"));
      insp.how = `ran now on build/flight.wasm (exit ${a}, ${b})`;
      if (a !== 0 || b !== 0) insp.notes.push("tengri inspect failed");
    }
  } else insp.how = `--reuse: ${rel(dir)} as found`;
  const j = readJson(join(dir, "flight.json"));
  if (j && existsSync(join(dir, "flight.txt"))) {
    take(insp, join(dir, "flight.json"), "inspect/flight.json", "inspect report (JSON)");
    take(insp, join(dir, "flight.txt"), "inspect/flight.txt", "inspect report (text)");
    const testedSha = run?.images?.["build/flight.wasm"];
    insp.notes.push(`SHA-256 ${j.sha256}${j.sha256 === testedSha ? ": the image the tests ran on" : `: NOT the image tested (${testedSha ?? "no run"})`}`);
    if (j.callGraph) insp.notes.push(`call graph: maximum depth ${j.callGraph.maxDepth}, recursion ${j.callGraph.recursion ? "FOUND" : "none"}`);
    if (j.memory) insp.notes.push(`memory: minimum ${j.memory.min}, maximum ${j.memory.max ?? "none"} pages`);
    if (j.buildId) insp.notes.push(`build id ${j.buildId}, commit ${j.commit ?? "?"}`);
    insp.status = j.sha256 === imageSha && j.sha256 === testedSha && j.callGraph?.recursion === false && !insp.notes.includes("tengri inspect failed") ? "OK" : "FAILED";
  }
}

// --- cost model ------------------------------------------------------------------------------
const cost = part("cost", "Cost model: instructions per line per profile against the line period", "npm run cost");
{
  const dir = join(RESULTS, "cost");
  const st = scripted(cost, "cost", dir, () => false);
  if (existsSync(join(dir, "cost.json"))) {
    take(cost, dir, "cost", (f) => f.slice("cost/".length));
    cost.status = st === 0 ? "OK" : "FAILED";
    if (st !== 0) cost.notes.push(`npm run cost exited ${st} (a line over its bound?)`);
  }
}

// --- benchmarks and fuzz: tests/bench/RESULTS.md -----------------------------------------------
const RESULTS_MD = "tests/bench/RESULTS.md";
const lastChange = git(["log", "-1", "--format=%h %cs", "--", RESULTS_MD]) ?? "not committed";
const bench = part("bench", "Benchmark results", "npm run bench (writes tests/bench/RESULTS.md)");
const fuzz = part("fuzz", "Fuzz campaign: hostile tables and bus streams", "npm run fuzz (writes its section of tests/bench/RESULTS.md)");
if (existsSync(RESULTS_MD)) {
  const md = readFileSync(RESULTS_MD, "utf8");
  take(bench, RESULTS_MD, "bench/RESULTS.md", "tests/bench/RESULTS.md");
  bench.how = `the committed file (last changed ${lastChange}); not rerun here`;
  bench.status = "OK";
  const m = /^## Fuzz campaign\n[\s\S]*?(?=^## |(?![\s\S]))/m.exec(md);
  fuzz.how = `its section of the committed tests/bench/RESULTS.md (last changed ${lastChange})`;
  if (m) {
    mkdirSync(join(OUT, "fuzz"), { recursive: true });
    writeFileSync(join(OUT, "fuzz/fuzz.md"), m[0]);
    fuzz.files.push({ label: "fuzz campaign figures", path: "fuzz/fuzz.md" });
    const all = /^\| \*\*all\*\* \|([^\n]*)\|$/m.exec(m[0]);
    const img = /sha256 `([0-9a-f]{64})`/.exec(m[0])?.[1];
    if (img) fuzz.notes.push(img === imageSha ? `ran on this image (SHA-256 ${img})` : `ran on another image (SHA-256 ${img}); rerun npm run fuzz for this one`);
    if (all) {
      const [cases, refused, ran, traps, hangs, other, unclean] = all[1].split("|").map((x) => Number(x.trim()));
      fuzz.notes.push(`${cases} cases (${refused} refused, ${ran} ran): ${traps} traps, ${hangs} hangs, ${other} other, ${unclean} downlinks not clean`);
      fuzz.status = traps === 0 && hangs === 0 && other === 0 && unclean === 0 ? "OK" : "FAILED";
    } else { fuzz.notes.push("no **all** row in the section"); fuzz.status = "FAILED"; }
  } else fuzz.how += ": no \"## Fuzz campaign\" section";
}

// --- fault campaign --------------------------------------------------------------------------
const faults = part("faults", "OBC fault-injection campaign", "npm run faults -- --json");
{
  const dir = join(RESULTS, "faults");
  if (!reuse) {
    mkdirSync(dir, { recursive: true });
    const st = produce(process.execPath, ["--import", "tsx", "host/obc/faults-cli.ts", "--json"], join(dir, "campaign.json"), {}, join(dir, "campaign.log"));
    faults.how = `ran now (cubesat-mcu, the campaign's defaults; exit ${st})`;
  } else faults.how = `--reuse: ${rel(dir)} as found`;
  const c = readJson(join(dir, "campaign.json"));
  if (c && Array.isArray(c.results)) {
    const { formatCampaign } = await import("../obc/faults.ts");
    writeFileSync(join(dir, "campaign.txt"), formatCampaign(c) + "\n");
    take(faults, join(dir, "campaign.txt"), "faults/campaign.txt", "campaign table");
    take(faults, join(dir, "campaign.json"), "faults/campaign.json", "campaign (JSON)");
    const n = (k: string) => c.results.filter((r: any) => r.verdict === k).length;
    faults.notes.push(`${c.results.length} faults on ${c.profile}, ${c.lines} lines per pass; verdicts: ${[...new Set(c.results.map((r: any) => r.verdict as string))].map((v) => `“${v}” ${n(String(v))}`).join("; ")}`);
    faults.status = c.ok === true ? "OK" : "FAILED";
  }
}

// --- mutation --------------------------------------------------------------------------------
const mut = part("mutation", "Mutation testing: score, survivors, equivalent mutants", "npm run mutate");
{
  const dir = join(RESULTS, "mutation");
  scripted(mut, "mutate", dir, (d) => existsSync(join(d, "report.json")));
  const r = readJson(join(dir, "report.json"));
  if (r) {
    take(mut, join(dir, "report.json"), "mutation/report.json", "report (JSON)");
    take(mut, join(dir, "report.md"), "mutation/report.md", "report");
    const survived = Array.isArray(r.survived) ? r.survived.length : Number(r.survived ?? 0);
    const score = typeof r.score === "number" ? `${(r.score * 100).toFixed(1)} %` : String(r.score);
    mut.notes.push(`score ${score}; ${r.killed} killed, ${survived} survived, ${Array.isArray(r.equivalent) ? r.equivalent.length : 0} equivalent of ${r.total} mutants`);
    if (Array.isArray(r.survived)) for (const x of r.survived.slice(0, 10)) mut.notes.push(`survived: ${x.id}${x.file ? ` (${x.file})` : ""}`);
    const buildErrors = Array.isArray(r.buildErrors) ? r.buildErrors.length : 0;
    if (buildErrors) mut.notes.push(`${buildErrors} mutants did not build`);
    if (r.partial) mut.notes.push("a partial campaign (some mutants only)");
    if (r.commit && r.commit !== commit) mut.notes.push(`campaign of commit ${r.commit}, not this one (${commit}); npm run evidence -- --fresh reruns it`);
    if (r.date) mut.how += `; campaign of ${r.date}`;
    mut.status = survived === 0 && !buildErrors && !r.partial ? "OK" : "FAILED";
  }
}

for (const p of parts) if (p.status === "MISSING" && !p.notes.length) p.notes.push("MISSING: its producer is absent or wrote nothing");
const facts = {
  "image": "build/flight.wasm",
  "image SHA-256": imageSha,
  "image the tests ran on": run?.images?.["build/flight.wasm"] ?? "no test run",
  "source commit": commit,
  "changed tracked files": tracked.length ? tracked.join(", ") : "none",
  "tests": tests.how,
};
const { exit } = writeIndex(OUT, { title: "Tengri evidence pack", facts, parts, generatedAt: new Date().toISOString() });
const broken = brokenLinks(OUT);
for (const b of broken) console.error(`evidence: index.html links ${b}, which is not in the pack`);
console.log(`\nevidence pack: ${rel(join(OUT, "index.html"))}`);
for (const p of parts) console.log(`  ${p.status.padEnd(7)} ${p.id.padEnd(9)} ${p.how}${p.status !== "OK" && p.notes.length ? ` — ${p.notes.join("; ")}` : ""}`);
process.exit(exit || (broken.length ? 1 : 0));
