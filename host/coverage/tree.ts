// The coverage tree: build/coverage/tree/ is a copy of the project whose assembly/ is the
// instrumented flight code and whose build/ holds the instrumented images, so that the host
// harness and the tests run on them exactly as they run on the real ones (every path they use is
// relative to their own file). The real build/flight.wasm is never touched.
import { readFileSync, writeFileSync, mkdirSync, rmSync, existsSync, readdirSync, statSync, symlinkSync, cpSync } from "node:fs";
import { join, dirname, relative } from "node:path";
import { Allocator, instrumentFile, covModule, type FileMap } from "./instrument.ts";

export interface CoverageMap { words: number; files: FileMap[]; excluded: { file: string; reason: string }[] }

export function walk(root: string, dir: string, re: RegExp, out: string[] = []): string[] {
  const abs = join(root, dir);
  if (!existsSync(abs)) return out;
  for (const name of readdirSync(abs).sort()) {
    const rel = join(dir, name), p = join(root, rel);
    if (statSync(p).isDirectory()) walk(root, rel, re, out);
    else if (re.test(name)) out.push(rel);
  }
  return out;
}

/** Files and folders of the project copied into the tree (assembly/ is written instrumented). */
const COPIED = ["host", "tests", "bin", "hardware-profiles", "package.json", "tsconfig.json", "as-pect.config.js", "as-pect.asconfig.json"];

/**
 * Instruments every .ts file under srcRoot/assembly into tree/assembly and copies the rest of the
 * project. Returns the coverage map (every probe with its source position).
 */
export function prepareTree(srcRoot: string, tree: string): CoverageMap {
  rmSync(tree, { recursive: true, force: true });
  mkdirSync(tree, { recursive: true });
  for (const c of COPIED) if (existsSync(join(srcRoot, c))) cpSync(join(srcRoot, c), join(tree, c), { recursive: true, filter: (s) => !/\/(results|build)(\/|$)/.test(relative(srcRoot, s)) });
  symlinkSync(join(srcRoot, "node_modules"), join(tree, "node_modules"));
  // The coverage build's asc configuration: the project's targets without the optimiser's
  // convergence loop (a shorter build; the counters are memory side effects no optimisation
  // removes). The .wat listings stay: tests read them.
  const asconfig = JSON.parse(readFileSync(join(srcRoot, "asconfig.json"), "utf8"));
  for (const t of Object.values(asconfig.targets) as Record<string, unknown>[]) if (t.converge) t.converge = false;
  // The counters are static data: the initial memory is what the compiler says it needs.
  delete asconfig.options.initialMemory;
  writeFileSync(join(tree, "asconfig.json"), JSON.stringify(asconfig, null, 2));
  const alloc = new Allocator();
  const files: FileMap[] = [];
  const excluded: { file: string; reason: string }[] = [];
  for (const rel of walk(srcRoot, "assembly", /./)) {
    const out = join(tree, rel);
    mkdirSync(dirname(out), { recursive: true });
    const text = readFileSync(join(srcRoot, rel), "utf8");
    if (!rel.endsWith(".ts")) { writeFileSync(out, text); continue; }
    let covImport = relative(dirname(rel), "assembly/__cov").replace(/\\/g, "/");
    if (!covImport.startsWith(".")) covImport = "./" + covImport;
    const r = instrumentFile(text, rel, covImport, alloc);
    writeFileSync(out, r.text);
    files.push(r.map);
    if (!r.map.statements.length && !r.map.branches.length) excluded.push({ file: rel, reason: "no executable statement (declarations and constants only): nothing to instrument" });
  }
  writeFileSync(join(tree, "assembly", "__cov.ts"), covModule(alloc.words));
  return { words: alloc.words, files, excluded };
}
