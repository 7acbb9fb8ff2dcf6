#!/usr/bin/env node
// The host compiled to JavaScript at build time (issue 12 item 2), so that `tengri` starts without
// a TypeScript compiler: esbuild (the version installed with tsx) bundles host/cli.ts and the
// entry points below into build/host/ as ES modules, one chunk per dynamically imported command
// (code splitting: `tengri --help` loads only what the help needs). npm packages stay external
// (loaded from node_modules at run time).
//
// Paths: host modules find their neighbours with `new URL("../../build/lib.wasm", import.meta.url)`.
// In the bundle every module keeps its own source location: each `import.meta.url` of a host
// module is replaced by the URL of its source file, written relative to the bundle (so the tree
// can move). Files beside the sources (.mjs workers, hardware-profiles/) are found where they are.
//
// build/host/manifest.json lists every source file that went into the bundle with its size,
// modification time and SHA-256: bin/tengri.mjs runs the bundle only when every one still matches
// (else it runs the sources through tsx), so a stale bundle never runs.
// Plain JavaScript, so that it starts without a TypeScript compiler.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync, mkdirSync, rmSync, renameSync, statSync, existsSync } from "node:fs";
import { join, relative, dirname, sep } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Entry points (relative to the root): the CLI, and the worker scripts that run in threads. */
export const HOST_ENTRIES = ["host/cli.ts"];
export const HOST_OUT = "build/host";

/**
 * Bundles the host into root/build/host (written to a fresh folder, then swapped in, so that a
 * running `tengri` never sees a half-written tree). Returns the manifest.
 */
export async function buildHost(root = ROOT) {
  const esbuild = await import("esbuild");
  const outdir = join(root, HOST_OUT);
  const tmp = `${outdir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const importMetaUrl = {
    name: "source-import-meta-url",
    setup(b) {
      b.onLoad({ filter: /[\\/]host[\\/].*\.ts$/ }, (args) => {
        let text = readFileSync(args.path, "utf8");
        if (text.includes("import.meta.url")) {
          // The bundle lives in build/host/: the source is found relative to it.
          const rel = relative(outdir, args.path).split(sep).join("/");
          text = text.replaceAll("import.meta.url", `new URL(${JSON.stringify(rel)}, import.meta.url).href`);
        }
        return { contents: text, loader: "ts" };
      });
    },
  };
  const r = await esbuild.build({
    absWorkingDir: root,
    entryPoints: HOST_ENTRIES.map((e) => join(root, e)),
    outdir: tmp,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    outExtension: { ".js": ".mjs" },
    chunkNames: "[name]-[hash]", // flat: every module of the bundle sits in build/host/ (see import.meta.url)
    entryNames: "[name]",
    metafile: true,
    logLevel: "warning",
    legalComments: "none",
    minifyWhitespace: true, minifySyntax: true, // less source for V8 to scan at start-up; names stay readable
    sourcemap: "linked",
    plugins: [importMetaUrl],
  });
  const inputs = Object.keys(r.metafile.inputs).filter((f) => !f.startsWith("node_modules/")).sort();
  const files = {};
  for (const f of inputs) {
    const abs = join(root, f), st = statSync(abs);
    files[f] = { size: st.size, mtimeMs: st.mtimeMs, sha256: createHash("sha256").update(readFileSync(abs)).digest("hex") };
  }
  const manifest = { entries: HOST_ENTRIES, files };
  writeFileSync(join(tmp, "manifest.json"), JSON.stringify(manifest, null, 1) + "\n");
  // chunks are ES modules: the folder says so (the project's package.json does too; this keeps
  // the bundle self-describing if it is copied elsewhere).
  writeFileSync(join(tmp, "package.json"), JSON.stringify({ type: "module" }) + "\n");
  const old = `${outdir}.old-${process.pid}`;
  mkdirSync(dirname(outdir), { recursive: true });
  if (existsSync(outdir)) renameSync(outdir, old);
  renameSync(tmp, outdir);
  rmSync(old, { recursive: true, force: true });
  return manifest;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const t0 = Date.now();
  buildHost().then((m) => {
    console.error(`build-host: ${Object.keys(m.files).length} host sources → ${HOST_OUT}/ in ${((Date.now() - t0) / 1000).toFixed(2)} s`);
  }, (e) => {
    console.error(`build-host: ${e.message ?? e}`);
    process.exit(1);
  });
}
