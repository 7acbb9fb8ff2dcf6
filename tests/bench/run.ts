// `npm run bench`: runs every tests/bench/*.bench.ts, prints the figures and writes
// tests/bench/RESULTS.md. `npm run bench -- runtimes pipeline` runs only the benches whose file
// names contain one of the words (the table in RESULTS.md is then left as it is; runtimes.bench.ts
// still rewrites its own section). Figures, not pass/fail timings: each is a ratio against a
// reference measured in the same run on the same data, with the runtime named.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, platform, release } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { join } from "node:path";

export interface BenchFigure {
  /** What was measured, e.g. "RS(255,223) encode, I=5". */
  name: string;
  /** Our figure and the reference's, in `unit` (higher is better). */
  ours: number;
  reference: number | null;
  unit: string;
  /** Who the reference is, e.g. "libfec encode_rs_ccsds, gcc -O2 native". */
  referenceName: string;
  /** Target ratio (or absolute figure) from the issue, for the report. */
  target?: string;
  notes?: string;
}

const dir = fileURLToPath(new URL(".", import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir).filter((f) => f.endsWith(".bench.ts")).filter((f) => !only.length || only.some((o) => f.includes(o))).sort();
const rows: BenchFigure[] = [];
for (const f of files) {
  process.stderr.write(`bench ${f} …\n`);
  const mod = await import(pathToFileURL(join(dir, f)).href);
  const figs: BenchFigure[] = await mod.default();
  for (const r of figs) {
    const ratio = r.reference ? (r.ours / r.reference).toFixed(2) : "—";
    console.log(`${r.name.padEnd(58)} ${r.ours.toFixed(1).padStart(9)} ${r.unit.padEnd(10)} ref ${r.reference?.toFixed(1) ?? "—"} (${r.referenceName}) ratio ${ratio}${r.target ? `  target ${r.target}` : ""}`);
    rows.push(r);
  }
}
const machine = `${cpus()[0]?.model ?? "?"} × ${cpus().length}, ${platform()} ${release()}`;
let md = `# Benchmark results\n\nWritten by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}.\n\n`;
md += `- Machine: ${machine}\n- Runtime: Node ${process.version} (V8 ${process.versions.v8}), WebAssembly via V8 (Liftoff then TurboFan tier-up), default flags\n- Flight code: build/lib.wasm (asc 0.27.9 -O3, WebAssembly 1.0 features, stub runtime)\n\n`;
md += `| figure | ours | reference | unit | ratio | reference is | target | notes |\n|---|---|---|---|---|---|---|---|\n`;
for (const r of rows) md += `| ${r.name} | ${r.ours.toFixed(1)} | ${r.reference?.toFixed(1) ?? "—"} | ${r.unit} | ${r.reference ? (r.ours / r.reference).toFixed(2) : "—"} | ${r.referenceName} | ${r.target ?? ""} | ${r.notes ?? ""} |\n`;
if (!only.length) {
  // Sections written apart from the table (npm run fuzz: "## Fuzz campaign"; npm run cost: "## Cost model";
  // runtimes.bench.ts: "## Flight image per runtime", rewritten by its own run) are kept as they are.
  let kept = "";
  try {
    const prev = readFileSync(join(dir, "RESULTS.md"), "utf8");
    const i = prev.indexOf("\n## ");
    if (i >= 0) kept = prev.slice(i);
  } catch { /* first run */ }
  writeFileSync(join(dir, "RESULTS.md"), md + kept);
}
