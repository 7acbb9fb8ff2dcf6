#!/usr/bin/env node
// Incremental build for `npm start`, `npm test` and the other scripts: each target is rebuilt only
// when the content of one of its inputs changed since its last build (a SHA-256 of every input
// file, kept in build/.stamps/), and the build says what it does. An up-to-date tree costs the
// hashing only. `npm run build` (or `--force`) rebuilds everything.
// Plain JavaScript, so that it starts without a TypeScript compiler.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync, mkdirSync, existsSync, readdirSync, statSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Files under dir (relative to root) whose names match re, sorted. */
function walk(root, dir, re, out = []) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return out;
  for (const name of readdirSync(abs).sort()) {
    const rel = join(dir, name), p = join(root, rel);
    if (statSync(p).isDirectory()) walk(root, rel, re, out);
    else if (re.test(name)) out.push(rel);
  }
  return out;
}

/** The project's targets: inputs (files and folders), outputs, and the commands that make them. */
export function projectTargets(root = ROOT) {
  const bin = (t) => join(root, "node_modules", ".bin", t);
  const compilerVersions = ["node_modules/assemblyscript/package.json", "node_modules/@assemblyscript/wasi-shim/package.json"];
  const assembly = () => [...walk(root, "assembly", /\.ts$/), "asconfig.json", ...compilerVersions];
  return [
    { name: "flight image", inputs: assembly, outputs: ["build/flight.wasm", "build/flight.debug.wasm"],
      commands: [[bin("asc"), "assembly/flight.ts", "--target", "release"], [bin("asc"), "assembly/flight.ts", "--target", "debug"]] },
    { name: "library build", inputs: assembly, outputs: ["build/lib.wasm"], commands: [[bin("asc"), "assembly/index.ts", "--target", "lib"]] },
    // The host compiled to JavaScript for bin/tengri.mjs (host/build-host.mjs, esbuild).
    { name: "compiled host", inputs: () => [...walk(root, "host", /\.(ts|mjs|json)$/), "package-lock.json"], outputs: ["build/host/cli.mjs", "build/host/manifest.json"],
      commands: [[process.execPath, "host/build-host.mjs"]] },
    { name: "host type check",
      inputs: () => [...["host", "tests/host", "tests/e2e", "tests/interop", "tests/bench"].flatMap((d) => walk(root, d, /\.ts$/)), "tsconfig.json", "package-lock.json"],
      outputs: [], commands: [[bin("tsc"), "-p", "."]] },
  ];
}

/** SHA-256 of each input file's content (a missing file has its own mark). */
function digests(root, files) {
  return Object.fromEntries(files.map((f) => [f, existsSync(join(root, f)) ? createHash("sha256").update(readFileSync(join(root, f))).digest("hex") : "missing"]));
}

/**
 * Brings every target up to date. Returns one line per target: "up to date" or what was rebuilt
 * and why; a failing command ends the build with its exit status.
 */
export function build(targets, { root = ROOT, force = false, say = (s) => console.error(s) } = {}) {
  const stampDir = join(root, "build", ".stamps");
  mkdirSync(stampDir, { recursive: true });
  const report = [];
  for (const t of targets) {
    const files = digests(root, t.inputs());
    const stampFile = join(stampDir, t.name.replace(/\W+/g, "-") + ".json");
    let prev = null;
    try { prev = JSON.parse(readFileSync(stampFile, "utf8")); } catch { /* never built here */ }
    const missing = t.outputs.filter((o) => !existsSync(join(root, o)));
    const why = force ? "forced" : !prev ? "no earlier build" : missing.length ? `${missing.map((m) => relative("build", m)).join(", ")} missing`
      : changed(prev.files ?? {}, files) ? `${changed(prev.files ?? {}, files)} input file(s) changed` : null;
    if (!why) { report.push({ name: t.name, rebuilt: false }); say(`build: ${t.name} up to date`); continue; }
    say(`build: ${t.name}: rebuilding (${why}) …`);
    const t0 = Date.now();
    for (const cmd of t.commands) {
      const r = spawnSync(cmd[0], cmd.slice(1), { cwd: root, stdio: "inherit" });
      if (r.status !== 0) {
        say(`build: ${t.name} failed (${cmd.map((c) => relative(root, c) || c).join(" ")} exited ${r.status ?? r.signal})`);
        return { ok: false, status: r.status ?? 1, report };
      }
    }
    writeFileSync(stampFile, JSON.stringify({ files }) + "\n");
    say(`build: ${t.name} done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    report.push({ name: t.name, rebuilt: true, why });
  }
  return { ok: true, status: 0, report };
}

/** Input files added, removed or changed since the stamp. */
function changed(prev, now) {
  let n = Object.keys(prev).filter((f) => !(f in now)).length;
  for (const [f, d] of Object.entries(now)) if (prev[f] !== d) n++;
  return n;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const force = process.argv.includes("--force");
  const only = process.argv.slice(2).filter((a) => !a.startsWith("--"));
  const all = projectTargets();
  const chosen = only.length ? all.filter((t) => only.some((o) => t.name.startsWith(o))) : all;
  if (only.length && !chosen.length) { console.error(`build: no target named ${only.join(", ")} (targets: ${all.map((t) => t.name).join(", ")})`); process.exit(2); }
  process.exit(build(chosen, { force }).status);
}
