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
      commands: [[bin("asc"), "assembly/flight.ts", "--target", "release"], [bin("asc"), "assembly/flight.ts", "--target", "debug"]],
      // The source commit and build id go into both images (custom section tengri.build), after
      // every build and whenever the commit or the tree's state changed since (no recompile then).
      after: (files) => embedBuildInfo(root, ["build/flight.wasm", "build/flight.debug.wasm"], sourceIdentity(root, files)) },
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
    if (!why) {
      const stamped = t.after?.(files);
      report.push({ name: t.name, rebuilt: false });
      say(`build: ${t.name} up to date${stamped ? ` (${stamped})` : ""}`);
      continue;
    }
    say(`build: ${t.name}: rebuilding (${why}) …`);
    const t0 = Date.now();
    for (const cmd of t.commands) {
      const r = spawnSync(cmd[0], cmd.slice(1), { cwd: root, stdio: "inherit" });
      if (r.status !== 0) {
        say(`build: ${t.name} failed (${cmd.map((c) => relative(root, c) || c).join(" ")} exited ${r.status ?? r.signal})`);
        return { ok: false, status: r.status ?? 1, report };
      }
    }
    const stamped = t.after?.(files);
    if (stamped) say(`build: ${t.name}: ${stamped}`);
    writeFileSync(stampFile, JSON.stringify({ files }) + "\n");
    say(`build: ${t.name} done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    report.push({ name: t.name, rebuilt: true, why });
  }
  return { ok: true, status: 0, report };
}

// ---- source identity, embedded in the image -------------------------------------------------
// Custom section "tengri.build" (UTF-8 JSON, keys in a fixed order, no time and no path, so that
// two builds of the same sources give the same octets):
//   { format: 1, commit, dirty, sourceHash, buildId, compiler }
// commit: `git rev-parse HEAD`, with "-dirty" appended when an input of the image (assembly/,
//   asconfig.json, package-lock.json) differs from that commit or is untracked; "unknown" outside
//   a git checkout. sourceHash: SHA-256 over every input file's path and content digest (the
//   sources themselves, whatever git says). buildId: at most 32 ASCII characters, for the flash
//   header: "tengri-" + 12 hex of the commit (+ "-d" + 8 hex of the source hash when dirty), or
//   "tengri-src-" + 16 hex of the source hash without git.
export const BUILD_SECTION = "tengri.build";
const FLIGHT_SOURCES = ["assembly", "asconfig.json", "package-lock.json"];

/** What the image is built from: commit (marked dirty when it is not exactly that), source hash, build id. */
export function sourceIdentity(root, files) {
  const h = createHash("sha256");
  for (const f of Object.keys(files).sort()) h.update(`${f}\0${files[f]}\n`);
  const sourceHash = h.digest("hex");
  const git = (args) => spawnSync("git", ["-C", root, ...args], { encoding: "utf8" });
  const head = git(["rev-parse", "--verify", "HEAD"]);
  const compiler = (() => { try { return `assemblyscript ${JSON.parse(readFileSync(join(root, "node_modules/assemblyscript/package.json"), "utf8")).version}`; } catch { return "assemblyscript ?"; } })();
  if (head.status !== 0) return { format: 1, commit: "unknown", dirty: true, sourceHash, buildId: `tengri-src-${sourceHash.slice(0, 16)}`, compiler };
  const commit = head.stdout.trim();
  const st = git(["status", "--porcelain", "--untracked-files=all", "--", ...FLIGHT_SOURCES]);
  const dirty = st.status !== 0 || st.stdout.trim() !== "";
  return { format: 1, commit: dirty ? `${commit}-dirty` : commit, dirty, sourceHash, buildId: `tengri-${commit.slice(0, 12)}${dirty ? `-d${sourceHash.slice(0, 8)}` : ""}`, compiler };
}

function uleb(v) { const out = []; do { let x = v & 0x7f; v >>>= 7; if (v) x |= 0x80; out.push(x); } while (v); return out; }

/** The module without its tengri.build sections, then one with `info` appended (same input, same octets). */
export function withBuildInfo(wasm, info) {
  const keep = [wasm.subarray(0, 8)];
  let p = 8;
  while (p < wasm.length) {
    const start = p, id = wasm[p++];
    let size = 0, shift = 0, x;
    do { x = wasm[p++]; size += (x & 0x7f) * 2 ** shift; shift += 7; } while (x & 0x80);
    const end = p + size;
    let drop = false;
    if (id === 0) {
      let n = 0, s2 = 0, q = p;
      do { x = wasm[q++]; n += (x & 0x7f) * 2 ** s2; s2 += 7; } while (x & 0x80);
      drop = Buffer.from(wasm.subarray(q, q + n)).toString("utf8") === BUILD_SECTION;
    }
    if (!drop) keep.push(wasm.subarray(start, end));
    p = end;
  }
  const name = Buffer.from(BUILD_SECTION, "utf8");
  const json = Buffer.from(JSON.stringify({ format: info.format, commit: info.commit, dirty: info.dirty, sourceHash: info.sourceHash, buildId: info.buildId, compiler: info.compiler }), "utf8");
  const body = Buffer.concat([Buffer.from(uleb(name.length)), name, json]);
  keep.push(Buffer.from([0, ...uleb(body.length)]), body);
  return Buffer.concat(keep);
}

/** Writes the identity into each image whose section differs; says what it did, or null. */
export function embedBuildInfo(root, outputs, info) {
  let changedFiles = 0;
  for (const o of outputs) {
    const path = join(root, o);
    if (!existsSync(path)) continue;
    const before = readFileSync(path);
    const after = withBuildInfo(before, info);
    if (!after.equals(before)) { writeFileSync(path, after); changedFiles++; }
  }
  return changedFiles ? `source ${info.commit} (build id ${info.buildId}) recorded in ${changedFiles} image(s)` : null;
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
