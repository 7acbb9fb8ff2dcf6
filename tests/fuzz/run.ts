// `npm run fuzz [-- --tables N --streams N --profile P --seed S --jobs J --out DIR --no-results]`
// `npm run fuzz -- --replay FILE` (a reproducer's .json or .bus.bin)
// The structured campaign of issue 9 item 3 against the release flight image: per profile the
// baseline pass, the image flashed with too little RAM, every table field at its boundary
// values, the structured bus-stream cases, N random tables (single-byte and single-word
// mutations, both CRCs right) and N random bus streams. Prints the counts per profile, writes
// every trap, hang or unclean downlink as a reproducer, updates the "Fuzz campaign" section of
// tests/bench/RESULTS.md, and exits 1 if anything trapped, hung or decoded unclean.
import { readFileSync, writeFileSync, existsSync, statSync, readdirSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join, dirname, resolve, basename } from "node:path";
import { fileURLToPath } from "node:url";
import { cpus } from "node:os";
import { runCampaign, anyFailure, type CampaignReport, type Counts } from "./campaign.ts";
import { Pool } from "./pool.ts";
import { PROFILES, PASS_LINES, SMALL_PIXELS, SMALL_LINE_SAMPLES, SMALL_SEGMENT, IDLE_PER_LINE, FULL_LINES } from "./gen.ts";
import { failed } from "./types.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const USAGE = `usage: npm run fuzz [-- options]
  --tables N       random tables per profile (default 10000)
  --streams N      random bus streams per profile (default 1000)
  --profile P      one profile (repeatable; default all four: ${PROFILES.join(", ")})
  --seed S         seed of the random cases (default 1)
  --jobs J         worker processes (default 2)
  --image FILE     the flight image (default build/flight.wasm)
  --out DIR        reproducers of traps, hangs and unclean downlinks (default build/fuzz)
  --no-results     do not update tests/bench/RESULTS.md
  --replay FILE    run one reproducer (.json or .bus.bin) and print its outcome
Exit status: 0 no trap, hang or unclean downlink; 1 some; 2 bad arguments.`;

class ArgError extends Error {}

function parse(argv: string[]) {
  const o = { tables: 10000, streams: 1000, profiles: [] as string[], seed: 1, jobs: 2, image: join(ROOT, "build/flight.wasm"), out: join(ROOT, "build/fuzz"), results: true, replay: "" as string };
  const int = (a: string, v: string | undefined, min: number) => {
    if (v === undefined || !/^\d+$/.test(v)) throw new ArgError(`${a} needs an integer, not ${JSON.stringify(v ?? "")}`);
    const n = Number(v);
    if (n < min) throw new ArgError(`${a} must be ≥ ${min}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case "--tables": o.tables = int(a, argv[++i], 0); break;
      case "--streams": o.streams = int(a, argv[++i], 0); break;
      case "--profile": {
        const p = argv[++i];
        if (!p || !PROFILES.includes(p)) throw new ArgError(`--profile must be one of ${PROFILES.join(", ")}, not ${JSON.stringify(p ?? "")}`);
        o.profiles.push(p);
        break;
      }
      case "--seed": o.seed = int(a, argv[++i], 0); break;
      case "--jobs": o.jobs = int(a, argv[++i], 1); break;
      case "--image": o.image = resolve(argv[++i] ?? ""); break;
      case "--out": o.out = resolve(argv[++i] ?? ""); break;
      case "--no-results": o.results = false; break;
      case "--replay": o.replay = argv[++i] ?? ""; if (!o.replay) throw new ArgError("--replay needs a FILE"); break;
      case "--help": case "-h": console.log(USAGE); process.exit(0);
      default: throw new ArgError(`unknown option ${a}`);
    }
  }
  if (!o.profiles.length) o.profiles = PROFILES;
  return o;
}

async function replay(file: string, image: string): Promise<number> {
  const json = file.endsWith(".json") ? file : file.replace(/\.bus\.bin$/, ".json");
  if (!existsSync(json)) throw new ArgError(`--replay: ${json} not found`);
  const meta = JSON.parse(readFileSync(json, "utf8"));
  const input = new Uint8Array(readFileSync(join(dirname(json), meta.bus)));
  const pool = new Pool({ size: 1, wasmPath: image });
  try {
    const r = await pool.run({ id: 1, input, maxPages: meta.maxPages, accept: meta.accept ? Uint8Array.from(Buffer.from(meta.accept, "hex")) : null, alt: (meta.alt ?? []).map((h: string) => Uint8Array.from(Buffer.from(h, "hex"))), wantLog: true });
    console.log(`${meta.profile} ${meta.kind}: ${meta.name}`);
    console.log(`recorded: ${meta.outcome}${meta.message ? ` (${meta.message})` : ""}${meta.unclean ? ` — downlink not clean: ${meta.unclean}` : ""}`);
    console.log(`now:      ${r.outcome}${r.message ? ` (${r.message})` : ""}${r.status ? ` status=${r.status}` : ""}${r.unclean ? ` — downlink not clean: ${r.unclean}` : ""}`);
    if (r.log) process.stdout.write(r.log.split("\n").slice(0, 20).map((l) => `  | ${l}`).join("\n") + "\n");
    return failed(r) ? 1 : 0;
  } finally {
    await pool.close();
  }
}

const COLS: [keyof Counts, string][] = [["cases", "cases"], ["refused", "refused"], ["ran", "ran"], ["traps", "traps"], ["hangs", "hangs"], ["other", "other"], ["unclean", "downlink not clean"]];

function tableMd(rows: [string, Counts][]): string {
  const head = `| profile | ${COLS.map((c) => c[1]).join(" | ")} |\n|---|${COLS.map(() => "---:").join("|")}|`;
  return [head, ...rows.map(([n, c]) => `| ${n} | ${COLS.map(([k]) => c[k]).join(" | ")} |`)].join("\n");
}

export function resultsSection(r: CampaignReport, o: { jobs: number; image: string }): string {
  const total: Counts = { cases: 0, refused: 0, ran: 0, traps: 0, hangs: 0, other: 0, unclean: 0 };
  for (const p of r.profiles) for (const [k] of COLS) total[k] += p.total[k];
  const lines: string[] = [];
  lines.push("## Fuzz campaign");
  lines.push("");
  lines.push(`\`npm run fuzz\` (tests/fuzz/run.ts), ${new Date().toISOString().slice(0, 10)}, on ${cpus()[0]?.model ?? "?"} (${cpus().length} cores, ${o.jobs} workers), node ${process.version}, node:wasi preview1.`);
  lines.push(`Image \`${basename(o.image)}\` sha256 \`${r.imageSha256}\`; seed ${r.seed}; ${r.tables} random tables and ${r.streams} random bus streams per profile, plus the boundary set (every field of every block of the table at 0, 1, max, max−1, the original ±1, its neighbours' values; i32 also −1 and the minimum, f32 also NaN, ±Inf, ±max), the structured bus-stream cases (length lies, garbage, bad sync/CRC/type/version, duplicated, dropped and reordered lines, wrong geometry, truncation at every octet of the configuration and end records and through a line, second configuration, end of pass missing, empty input) and the image flashed with too little RAM. Each case is a short pass on a fresh instance of the image flashed for the profile's RAM: ${PASS_LINES} lines of a small scene (the profile with at most ${SMALL_PIXELS} pixels and ${SMALL_LINE_SAMPLES} samples per line, CCSDS 123 segments of ${SMALL_SEGMENT} lines, at most ${IDLE_PER_LINE} idle frames per line), except the baseline and RAM cases, which use the shipped table and geometry (${FULL_LINES} lines). Where the image ran, its CADUs are decoded by the ground station (host/ground) with the accepted table's link settings and must be clean: no RS correction or failure, no bad FECF or header, no frame or packet gap, no packet error, only the table's spacecraft, virtual channels and APIDs, housekeeping decoding to "ended" with configuration status 0. Wall time ${(r.ms / 60000).toFixed(1)} min${r.workerDeaths ? `; ${r.workerDeaths} worker processes died under a case and the case was run again on a fresh one` : ""}.`);
  lines.push("");
  lines.push(tableMd([...r.profiles.map((p) => [p.profile, p.total] as [string, Counts]), ["**all**", total]]));
  lines.push("");
  lines.push("Per kind of case:");
  lines.push("");
  const kindRows: [string, Counts][] = [];
  for (const p of r.profiles) for (const k of p.byKind) kindRows.push([`${p.profile} · ${k.kind}`, k]);
  lines.push(tableMd(kindRows));
  const traps = new Map<string, number>();
  for (const p of r.profiles) for (const [m, n] of p.trapMessages) traps.set(`${p.profile}: ${m}`, n);
  if (traps.size) {
    lines.push("");
    lines.push(`Traps: ${[...traps].map(([m, n]) => `${m} ×${n}`).join("; ")}.`);
  }
  const fails = r.profiles.flatMap((p) => p.failures);
  if (fails.length) {
    lines.push("");
    lines.push(`First failures (reproducers in \`build/fuzz/\`, replay with \`npm run fuzz -- --replay FILE\`):`);
    lines.push("");
    for (const f of fails.slice(0, 12)) lines.push(`- ${f.profile} ${f.kind}: ${f.name} → ${f.result.outcome}${f.result.message ? ` (${f.result.message})` : ""}${f.result.unclean ? `: ${f.result.unclean}` : ""}`);
  }
  lines.push("");
  lines.push(anyFailure(total) ? `**Result: ${total.traps} traps, ${total.hangs} hangs, ${total.other} other (odd exits, dead workers, unexpected outcomes), ${total.unclean} unclean downlinks.**` : "**Result: 0 traps, 0 hangs, every accepted configuration's downlink decoded clean.**");
  return lines.join("\n") + "\n";
}

/** Replaces (or appends) the "## Fuzz campaign" section, leaving the rest of the file intact. */
export function updateResults(path: string, section: string): void {
  const old = existsSync(path) ? readFileSync(path, "utf8") : "# Benchmark results\n";
  const start = old.search(/^## Fuzz campaign\s*$/m);
  let next = old;
  if (start < 0) next = old.replace(/\n*$/, "\n\n") + section;
  else {
    const rest = old.slice(start + 1);
    const m = /^## /m.exec(rest.slice(rest.indexOf("\n") + 1));
    const end = m ? start + 1 + rest.indexOf("\n") + 1 + m.index : old.length;
    next = old.slice(0, start) + section + (end < old.length ? "\n" + old.slice(end) : "");
  }
  writeFileSync(path, next);
}

/** True when the image is missing or older than a flight source file. */
function stale(image: string): boolean {
  if (!existsSync(image)) return true;
  const t = statSync(image).mtimeMs;
  const walk = (d: string): boolean => readdirSync(d, { withFileTypes: true }).some((e) => e.isDirectory() ? walk(join(d, e.name)) : statSync(join(d, e.name)).mtimeMs > t);
  return walk(join(ROOT, "assembly"));
}

async function main(): Promise<number> {
  let o: ReturnType<typeof parse>;
  try {
    o = parse(process.argv.slice(2));
  } catch (e) {
    if (e instanceof ArgError) { console.error(`tengri fuzz: ${e.message}\n\n${USAGE}`); return 2; }
    throw e;
  }
  if (o.image === join(ROOT, "build/flight.wasm") && stale(o.image)) {
    console.error("tengri fuzz: building the flight image (npm run build:flight)");
    const b = spawnSync("npm", ["run", "build:flight", "--silent"], { cwd: ROOT, stdio: "inherit" });
    if (b.status !== 0) { console.error("tengri fuzz: the build failed"); return 2; }
  }
  if (!existsSync(o.image)) { console.error(`tengri fuzz: ${o.image} not found: run npm run build`); return 2; }
  if (o.replay) {
    try { return await replay(o.replay, o.image); } catch (e) { if (e instanceof ArgError) { console.error(`tengri fuzz: ${e.message}`); return 2; } throw e; }
  }
  // Reproducers of an earlier run would be mistaken for this one's.
  if (existsSync(o.out)) for (const n of readdirSync(o.out)) if (/^[a-z0-9-]+-(ram|table-boundary|table-random|stream|stream-random)-\d+\.(json|bus\.bin|table\.bin)$/.test(n)) rmSync(join(o.out, n));
  const t0 = performance.now();
  let lastPrint = 0;
  const r = await runCampaign({
    wasmPath: o.image, profiles: o.profiles, tables: o.tables, streams: o.streams, seed: o.seed, jobs: o.jobs, reproDir: o.out,
    onProgress: (n, p, k) => {
      const now = performance.now();
      if (now - lastPrint > 5000) { lastPrint = now; process.stderr.write(`  ${n} cases, ${((now - t0) / 1000).toFixed(0)} s — ${p} ${k}\n`); }
    },
  });
  const rows: [string, Counts][] = r.profiles.map((p) => [p.profile, p.total]);
  console.log(tableMd(rows));
  let failures = 0;
  for (const p of r.profiles) {
    if (p.trapMessages.size) console.log(`${p.profile}: traps ${[...p.trapMessages].map(([m, n]) => `"${m}" ×${n}`).join(", ")}`);
    for (const f of p.failures.slice(0, 10)) console.log(`  ${f.kind}: ${f.name} → ${f.result.outcome}${f.result.message ? ` (${f.result.message})` : ""}${f.result.unclean ? `: ${f.result.unclean}` : ""}${f.repro ? `  [${f.repro}]` : ""}`);
    if (p.failures.length > 10) console.log(`  … ${p.failures.length - 10} more in ${o.out}`);
    failures += p.failures.length;
  }
  if (o.results) {
    const path = join(ROOT, "tests/bench/RESULTS.md");
    updateResults(path, resultsSection(r, { jobs: o.jobs, image: o.image }));
    console.log(`updated the "Fuzz campaign" section of ${path}`);
  }
  console.log(failures ? `FAILED: ${failures} cases trapped, hung, exited oddly or decoded unclean (reproducers in ${o.out})` : "0 traps, 0 hangs, every accepted configuration's downlink decoded clean");
  return failures ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then((c) => { process.exitCode = c; }, (e) => { console.error(`tengri fuzz: ${(e as Error).message}`); process.exitCode = 1; });
}
