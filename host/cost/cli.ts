// npm run cost [-- --lines N --profile P,…]: the cost model's campaign on build/flight.wasm for every
// profile (host/cost/campaign.ts), each run on the image flashed for that profile and metered;
// writes results/cost/cost.json and the "## Cost model" section of tests/bench/RESULTS.md.
// Exit 1 when a line costs more than its profile's bound (host/cost/bounds.json), 2 bad usage.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { FLIGHT_WASM } from "../pass.ts";
import { loadProfile, listProfiles, ProfileError, type Profile } from "../profiles/index.ts";
import { flash, IMAGE_HEADER_LEN } from "../obc/image.ts";
import { parseModule } from "../inspect/wasm.ts";
import { readBuildInfo, codeSha256 } from "../inspect/inspect.ts";
import { meter } from "./meter.ts";
import { profileCost, LINE_KINDS } from "./campaign.ts";
import { loadBounds, costSection, replaceSection, boundViolations, type CostFile } from "./figures.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

function main(): number {
  let v;
  try {
    v = parseArgs({ args: process.argv.slice(2), options: { lines: { type: "string" }, profile: { type: "string" }, "no-results": { type: "boolean" } }, strict: true }).values;
  } catch (e) { console.error(`cost: ${(e as Error).message.split("\n")[0]} (options: --lines N, --profile P[,P…], --no-results)`); return 2; }
  const lines = v.lines === undefined ? 256 : Number(v.lines);
  if (!Number.isInteger(lines) || lines < 1 || lines > 100000) { console.error(`cost: --lines must be a whole number in 1..100000, got "${v.lines}"`); return 2; }
  if (!existsSync(FLIGHT_WASM)) { console.error("cost: build/flight.wasm not found: run npm run build"); return 1; }
  const wasm = readFileSync(FLIGHT_WASM);
  const info = readBuildInfo(parseModule(wasm));
  const names = v.profile ? v.profile.split(",") : listProfiles().filter((x) => x.ok).map((x) => x.name);
  const profiles: Profile[] = [];
  for (const name of names) {
    try { profiles.push(loadProfile(name)); } catch (e) {
      if (e instanceof ProfileError) { console.error(`cost: --profile ${name}: ${e.message}`); return 2; }
      throw e;
    }
  }
  const bounds = loadBounds();
  const m0 = meter(wasm);
  const out: CostFile = {
    format: 1,
    image: { file: "build/flight.wasm", sha256: sha(wasm), codeSha256: codeSha256(wasm), bytes: wasm.length, commit: info?.commit ?? null, buildId: info?.buildId ?? null },
    meter: {
      method: `each function body is cut into straight-line segments at every branch, branch target and return; each segment adds its instruction count to an i64 counter (an exported global) when entered, so the counter is the number of the image's own instructions executed (${m0.segments.toLocaleString("en-US")} segments, ${m0.instructions.toLocaleString("en-US")} instructions in the code).`,
      segments: m0.segments, staticInstructions: m0.instructions,
    },
    campaign: { linesPerKind: lines, kinds: [...LINE_KINDS], seed: 1 },
    profiles: {},
  };
  const problems: string[] = [];
  for (const p of profiles) {
    const module = flash(wasm, p, info?.buildId ?? "tengri-dev").subarray(IMAGE_HEADER_LEN);
    const t0 = Date.now();
    const c = profileCost(p, new WebAssembly.Module(meter(module).wasm as BufferSource), lines, { keepLines: true });
    const bound = bounds.profiles[p.name]?.maxInstructionsPerLine ?? null;
    const over = bound === null ? [] : boundViolations(p.name, c.perLine!, bound);
    problems.push(...over);
    delete c.perLine;
    out.profiles[p.name] = { ...c, flashedModuleSha256: sha(module), flashedCodeSha256: codeSha256(module), bound, withinBound: bound === null ? null : over.length === 0 };
    console.error(`cost: ${p.name}: mean ${Math.round(c.mean).toLocaleString("en-US")}, worst ${c.worst.toLocaleString("en-US")} (${c.worstKind}) instructions per line; ${(c.instructionsPerSecondMean / 1e6).toFixed(1)} M instr/s mean at ${p.sensor.lineRateHz} lines/s (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }
  const dir = join(ROOT, "results", "cost");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "cost.json"), JSON.stringify(out, null, 2) + "\n");
  console.error(`cost: wrote results/cost/cost.json`);
  if (!v["no-results"]) {
    const path = join(ROOT, "tests", "bench", "RESULTS.md");
    const old = existsSync(path) ? readFileSync(path, "utf8") : "# Benchmark results\n";
    writeFileSync(path, replaceSection(old, costSection(out)));
    console.error(`cost: updated the "Cost model" section of tests/bench/RESULTS.md`);
  }
  for (const x of problems.slice(0, 10)) console.error(`cost: over the bound: ${x}`);
  return problems.length ? 1 : 0;
}

process.exitCode = main();
