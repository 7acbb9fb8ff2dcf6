// The cost model's figures as data: results/cost/cost.json (written by npm run cost), the bounds
// (host/cost/bounds.json), the RESULTS.md section, and what `tengri inspect` shows for an image.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ProfileCost } from "./campaign.ts";

export const BOUNDS_FILE = fileURLToPath(new URL("./bounds.json", import.meta.url));

export interface Bounds { about?: string; profiles: Record<string, { maxInstructionsPerLine: number; testLinesPerKind: number; why?: string }> }
export interface ProfileEntry extends ProfileCost { flashedModuleSha256: string; flashedCodeSha256: string; bound: number | null; withinBound: boolean | null }
export interface CostFile {
  format: 1;
  image: { file: string; sha256: string; codeSha256: string; bytes: number; commit: string | null; buildId: string | null };
  meter: { method: string; segments: number; staticInstructions: number };
  campaign: { linesPerKind: number; kinds: string[]; seed: number };
  profiles: Record<string, ProfileEntry>;
}

export function loadBounds(path = BOUNDS_FILE): Bounds {
  const b = JSON.parse(readFileSync(path, "utf8")) as Bounds;
  for (const [p, x] of Object.entries(b.profiles ?? {})) {
    if (!Number.isInteger(x.maxInstructionsPerLine) || x.maxInstructionsPerLine <= 0) throw new Error(`${path}: profiles.${p}.maxInstructionsPerLine must be a positive whole number`);
    if (!Number.isInteger(x.testLinesPerKind) || x.testLinesPerKind <= 0) throw new Error(`${path}: profiles.${p}.testLinesPerKind must be a positive whole number`);
  }
  return b;
}

/** Every line of a campaign that costs more than its profile's bound: "profile kind line N: X > B". */
export function boundViolations(profile: string, perLine: Record<string, number[]>, bound: number): string[] {
  const out: string[] = [];
  for (const [kind, costs] of Object.entries(perLine)) costs.forEach((c, i) => { if (c > bound) out.push(`${profile} ${kind} line ${i}: ${c.toLocaleString("en-US")} instructions > bound ${bound.toLocaleString("en-US")}`); });
  return out;
}

const n = (x: number) => Math.round(x).toLocaleString("en-US");
const rate = (x: number) => (x >= 1e9 ? `${(x / 1e9).toFixed(2)} G` : `${(x / 1e6).toFixed(1)} M`);

/** The "## Cost model" section of tests/bench/RESULTS.md. */
export function costSection(c: CostFile): string {
  const L: string[] = [];
  L.push("## Cost model");
  L.push("");
  L.push(`Written by \`npm run cost\` (host/cost/). Executed WebAssembly instructions per bus record, counted by a metered copy of \`${c.image.file}\` (SHA-256 \`${c.image.sha256.slice(0, 16)}…\`, source ${c.image.commit ?? "not recorded"}): ${c.meter.method} The count depends only on the input, not on the runtime or the machine.`);
  L.push("");
  L.push(`Campaign: per profile, one pass from boot for each kind of line (${c.campaign.kinds.join(", ")}), ${c.campaign.linesPerKind} lines each, seed ${c.campaign.seed}. A line's cost is everything the image executes from receiving it until it asks for the next record, deferred work it triggers included (a screening tile row or a compression unit it completes). The window is the lines the image processes together (tile row, CCSDS 121 unit, CCSDS 123 segment): its worst mean is the rate to sustain with that much buffering; the worst line is the rate with none.`);
  L.push("");
  L.push("| profile | line period | mean instr/line | worst instr/line (kind, line) | worst window mean (lines) | instr/s, mean | instr/s, worst window | instr/s, worst line | instr/sample | end of pass, worst | bound (host/cost/bounds.json) |");
  L.push("|---|---|---|---|---|---|---|---|---|---|---|");
  for (const [name, p] of Object.entries(c.profiles)) {
    L.push(`| ${name} | ${(p.linePeriodS * 1e3).toFixed(3)} ms | ${n(p.mean)} | ${n(p.worst)} (${p.worstKind}, ${p.worstLine}) | ${n(p.worstWindowMean)} (${p.windowLines}) | ${rate(p.instructionsPerSecondMean)} | ${rate(p.instructionsPerSecondWindow)} | ${rate(p.instructionsPerSecondWorst)} | ${p.instructionsPerSample.toFixed(1)} | ${n(p.endOfPassWorst)} | ${p.bound === null ? "none" : `${n(p.bound)} ${p.withinBound ? "✓" : "✗ exceeded"}`} |`);
  }
  L.push("");
  L.push("Mean and worst instructions per line by kind:");
  L.push("");
  const kinds = c.campaign.kinds;
  L.push(`| profile | ${kinds.join(" | ")} |`);
  L.push(`|---|${kinds.map(() => "---").join("|")}|`);
  for (const [name, p] of Object.entries(c.profiles)) L.push(`| ${name} | ${kinds.map((k) => { const f = (p.kinds as Record<string, { mean: number; worst: number }>)[k]; return f ? `${n(f.mean)} / ${n(f.worst)}` : "—"; }).join(" | ")} |`);
  L.push("");
  return L.join("\n") + "\n";
}

/** Replaces (or appends) the "## Cost model" section, leaving the rest of the file as it is. */
export function replaceSection(old: string, section: string, title = "## Cost model"): string {
  const re = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*$`, "m");
  const start = old.search(re);
  if (start < 0) return old.replace(/\n*$/, "\n\n") + section;
  const after = old.slice(start + title.length);
  const m = /^## /m.exec(after);
  const end = m ? start + title.length + m.index : old.length;
  return old.slice(0, start) + section + (end < old.length ? "\n" + old.slice(end) : "");
}

export interface ImageCost {
  status: "measured" | "absent";
  message: string;
  file?: string;
  profiles?: Record<string, ProfileEntry>;
}

/**
 * The cost figures for an inspected image: those of cost.json when it was measured on this very
 * module (a .wasm: all profiles; a flashed image: its profile, matched by the flashed module's
 * SHA-256), else "absent" with the reason.
 */
export function costForImage(r: { kind: "wasm" | "image"; module: { sha256: string; codeSha256?: string }; profile?: string }, cost: unknown, file: string): ImageCost {
  if (!cost) return { status: "absent", message: `no cost figures: ${file} not found (npm run cost writes it)` };
  const c = cost as CostFile;
  if (c.format !== 1 || !c.image || !c.profiles) return { status: "absent", message: `no cost figures: ${file} is not a cost model result (format 1)` };
  // The same octets; else the same code under another build record (same sources, another commit):
  // the instructions executed are the same, and the message says which image was measured.
  const sameCode = (measured: string | undefined) => !!measured && !!r.module.codeSha256 && measured === r.module.codeSha256;
  const other = `measured on ${c.image.sha256.slice(0, 16)}… (source ${c.image.commit ?? "not recorded"}), which has the same code as this module but another build record`;
  if (r.kind === "wasm") {
    if (c.image.sha256 === r.module.sha256) return { status: "measured", message: `measured on this module (${file})`, file, profiles: c.profiles };
    if (sameCode(c.image.codeSha256)) return { status: "measured", message: `${other} (${file})`, file, profiles: c.profiles };
    return { status: "absent", message: `no cost figures for this image: ${file} was measured on ${c.image.sha256.slice(0, 16)}…, this module is ${r.module.sha256.slice(0, 16)}… with other code (npm run cost on it)` };
  }
  const hit = Object.entries(c.profiles).find(([, p]) => p.flashedModuleSha256 === r.module.sha256);
  if (hit) return { status: "measured", message: `measured on this image's module, profile ${hit[0]} (${file})`, file, profiles: { [hit[0]]: hit[1] } };
  const near = Object.entries(c.profiles).find(([, p]) => sameCode(p.flashedCodeSha256));
  if (near) return { status: "measured", message: `profile ${near[0]}: ${other} (${file})`, file, profiles: { [near[0]]: near[1] } };
  return { status: "absent", message: `no cost figures for this image: ${file} was measured on ${c.image.sha256.slice(0, 16)}… (its flashed copies for ${Object.keys(c.profiles).join(", ")}); this image's module is ${r.module.sha256.slice(0, 16)}… with other code` };
}
