// tengri inspect FILE [--json] [--cost FILE]: what a flight image is, read from its octets
// (host/inspect/). Exit 0 when every flight rule checked holds, 1 when one does not (recursion,
// an import a flight computer does not provide, a feature beyond WebAssembly 1.0) or FILE cannot
// be read, 2 bad usage (no FILE, a file that is not a WebAssembly module or a flashed image, a
// truncated or malformed module), 3 a flashed image whose header does not match its module.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { UsageError, CliFailure, parseOptions, readInput, displayPath } from "./usage.ts";
import { INSPECT_OPTIONS } from "./options.ts";
import { inspect, isFlashedImage, WasmError, type InspectReport } from "../inspect/inspect.ts";
import { isWasm } from "../inspect/wasm.ts";
import { costForImage } from "../cost/figures.ts";

export const DEFAULT_COST_FILE = fileURLToPath(new URL("../../results/cost/cost.json", import.meta.url));

export const INSPECT_HELP = `Usage: tengri inspect FILE [--json] [--cost COST.json]

Reads a flight .wasm (e.g. build/flight.wasm) or a flashed image (tengri flash) and reports its
SHA-256, build id and source commit (recorded at build time), bound profile and RAM (a flashed
image), imports and exports, the WebAssembly features its code uses (every instruction of every
function scanned), memory minimum and maximum, data segments, section sizes, the call graph's
maximum depth and its cycles, the flight rules checked (no recursion, only the allowed WASI
imports, WebAssembly 1.0 only), and the cost model's figures when they were measured on this
image (npm run cost).
  --json       the report as JSON on stdout
  --cost FILE  the cost model's results (default results/cost/cost.json)
Exit: 0 every flight rule holds, 1 one does not (recursion found, a forbidden import or
feature) or FILE cannot be read, 2 bad usage (no FILE, not a WebAssembly module or flashed
image, a truncated or malformed module), 3 a flashed image that does not match its header.`;

export function inspectCommand(args: string[]): number {
  const { values: v, positionals } = parseOptions("inspect", args, INSPECT_OPTIONS, true);
  if (positionals.length === 0) throw new UsageError("missing FILE: tengri inspect build/flight.wasm (or a flashed image)");
  if (positionals.length > 1) throw new UsageError(`one FILE only, got ${positionals.length}: ${positionals.join(" ")}`);
  const path = positionals[0];
  const b = readInput(path, "FILE");
  if (!isWasm(b) && !isFlashedImage(b)) throw new UsageError(`${displayPath(path)} is neither a WebAssembly module nor a flashed image (no \\0asm or TGRIMG magic)`);
  let r: InspectReport;
  try { r = inspect(displayPath(path), b); } catch (e) {
    if (e instanceof WasmError) throw new UsageError(`${displayPath(path)}: ${e.message}`);
    throw e;
  }
  const costFile = v.cost ?? DEFAULT_COST_FILE;
  if (v.cost !== undefined && !existsSync(v.cost)) throw new CliFailure(`--cost ${displayPath(v.cost)}: no such file`);
  let costJson: unknown = null;
  if (existsSync(costFile)) {
    try { costJson = JSON.parse(readFileSync(costFile, "utf8")); } catch (e) { throw new CliFailure(`--cost ${displayPath(costFile)}: not JSON (${(e as Error).message})`); }
  }
  r.cost = costForImage(r, costJson, displayPath(costFile));
  if (v.json) console.log(JSON.stringify(r, null, 2));
  else printReport(r);
  return r.flightRules.every((x) => x.ok) ? 0 : 1;
}

const n = (x: number) => x.toLocaleString("en-US");
const kib = (x: number) => (x >= 1048576 ? `${(x / 1048576).toFixed(x % 1048576 ? 2 : 0)} MiB` : `${(x / 1024).toFixed(x % 1024 ? 1 : 0)} KiB`);

function printReport(r: InspectReport): void {
  const row = (k: string, val: string) => console.log(`  ${k.padEnd(22)} ${val}`);
  console.log(`${r.file}: ${r.kind === "image" ? "flashed flight image" : "WebAssembly module"}, ${n(r.bytes)} bytes`);
  row("SHA-256", r.sha256);
  if (r.image) {
    row("module SHA-256", `${r.module.sha256} (${n(r.module.bytes)} bytes; matches the header)`);
    row("bound profile", r.image.profile || "(unnamed)");
    row("RAM", `${n(r.image.ramBytes)} bytes (${kib(r.image.ramBytes)}): the module's memory maximum`);
    row("build id (header)", r.image.buildId || "(none)");
    row("version", String(r.image.version));
    row("signature", r.image.signerKey ? `Ed25519 by key ${r.image.signerKey}, fingerprint ${createHash("sha256").update(Buffer.from(r.image.signerKey, "hex")).digest("hex").slice(0, 16)} (not verified here: the bootloader checks it against its ROM key)` : "none (unsigned: the bootloader refuses it)");
  }
  row("code SHA-256", `${r.module.codeSha256} (the module without its build record)`);
  row("build id", r.buildInfo?.buildId ?? "not recorded (no tengri.build section: built before it existed, or by another tool)");
  row("source commit", r.commit ?? "not recorded");
  if (r.buildInfo) row("source hash", `${r.buildInfo.sourceHash}${r.buildInfo.dirty ? " (the tree differed from the commit: dirty)" : ""}`);
  if (r.buildInfo) row("compiler", r.buildInfo.compiler);
  console.log("Imports");
  for (const i of r.imports) row(`${i.kind}`, `${i.module}.${i.name} ${i.type ?? ""}`);
  if (!r.imports.length) row("", "none");
  console.log("Exports");
  for (const e of r.exports) row(`${e.kind}`, `${e.name} ${e.type ?? ""}`);
  console.log("Code");
  row("functions", `${r.functions.defined} defined, ${r.functions.imported} imported`);
  row("features used", `${r.features.used.join(", ")} (${n(r.features.totalInstructions)} instructions scanned: ${Object.entries(r.features.instructions).map(([f, c]) => `${f} ${n(c)}`).join(", ")})`);
  if (r.memory) row("memory", `min ${r.memory.min} pages (${kib(r.memory.minBytes)}), max ${r.memory.max === null ? "none" : `${r.memory.max} pages (${kib(r.memory.maxBytes!)})`}`);
  else row("memory", "none defined");
  row("data segments", `${r.dataSegments.count} (${r.dataSegments.active} active, ${r.dataSegments.passive} passive), ${n(r.dataSegments.bytes)} bytes`);
  row("sections", r.sections.map((s) => `${s.name} ${n(s.bytes)}`).join(", "));
  const g = r.callGraph;
  console.log("Call graph");
  row("calls", `${n(g.directCalls)} direct, ${g.indirectCallSites} call_indirect site(s)`);
  row("call_indirect", g.indirectPolicy + (g.tableTargets.length ? `: ${g.tableTargets.join(", ")}` : ""));
  row("roots", g.roots.join(", "));
  row("maximum depth", g.maxDepth === null ? "unbounded (cycles below)" : `${g.maxDepth} functions: ${g.deepestChain.join(" → ")}`);
  row("recursion", g.recursion ? `YES: ${g.cycles.map((c) => c.join(" → ")).join("; ")}` : "none");
  if (g.namesFrom !== "name section") row("function names", "the module has no name section: functions are named by export or index (func[N]); the debug build (build/flight.debug.wasm) carries names");
  console.log("Flight rules");
  for (const x of r.flightRules) console.log(`  ${x.ok ? "✓" : "✗"} ${x.rule.padEnd(42)} ${x.detail}`);
  console.log("Cost model");
  const c = r.cost as { status: string; message: string; profiles?: Record<string, { mean: number; worst: number; worstKind: string; worstLine: number; windowLines: number; worstWindowMean: number; linePeriodS: number; instructionsPerSecondMean: number; instructionsPerSecondWindow: number; instructionsPerSecondWorst: number; bound: number | null; withinBound: boolean | null }> };
  console.log(`  ${c.message}`);
  if (c.status !== "measured" || !c.profiles) return;
  const rate = (x: number) => (x >= 1e9 ? `${(x / 1e9).toFixed(2)} G` : `${(x / 1e6).toFixed(1)} M`);
  for (const [p, f] of Object.entries(c.profiles)) {
    row(p, `instructions per line: mean ${n(Math.round(f.mean))}, worst ${n(f.worst)} (${f.worstKind} line ${f.worstLine}), worst ${f.windowLines}-line window mean ${n(Math.round(f.worstWindowMean))}${f.bound !== null ? `; bound ${n(f.bound)} ${f.withinBound ? "held" : "EXCEEDED"}` : ""}`);
    row("", `real time at ${(f.linePeriodS * 1e3).toFixed(3)} ms per line: ${rate(f.instructionsPerSecondMean)}instr/s at the mean, ${rate(f.instructionsPerSecondWindow)}instr/s over the worst window, ${rate(f.instructionsPerSecondWorst)}instr/s for the worst line alone`);
  }
}
