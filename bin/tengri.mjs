#!/usr/bin/env node
// `tengri` / `npx tengri`: runs the host compiled to JavaScript at build time (build/host/cli.mjs,
// made by host/build-host.mjs through `npm run build`, `npm start`, `npm test` or
// `node host/build.mjs host`), in this process (no child process of its own: a signal to this
// process reaches the command itself). No TypeScript compiler runs at start-up.
//
// The compiled host runs only when it was built from the sources as they are now: every source
// file named in build/host/manifest.json still has its recorded size and modification time (or,
// when only the time differs, its recorded SHA-256). Otherwise — no build yet, or a source edited
// since — the TypeScript sources run through tsx, as before: slower to start, never stale.
// TENGRI_FROM_SOURCE=1 forces the sources.
import { readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const [major] = process.versions.node.split(".").map(Number);
if (major < 20) {
  console.error(`tengri: Node.js ${process.versions.node} is too old: Node.js 20 or later is needed`);
  process.exit(1);
}

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** True when build/host/ was built from the host sources as they are now. */
async function compiledIsCurrent() {
  let manifest;
  try { manifest = JSON.parse(readFileSync(ROOT + "build/host/manifest.json", "utf8")); } catch { return false; }
  const files = Object.entries(manifest.files ?? {});
  if (!files.length) return false;
  let createHash;
  for (const [f, m] of files) {
    let st;
    try { st = statSync(ROOT + f); } catch { return false; }
    if (st.size !== m.size) return false;
    if (st.mtimeMs === m.mtimeMs) continue;
    createHash ??= (await import("node:crypto")).createHash; // touched, perhaps not changed
    if (createHash("sha256").update(readFileSync(ROOT + f)).digest("hex") !== m.sha256) return false;
  }
  return true;
}

if (!process.env.TENGRI_FROM_SOURCE && await compiledIsCurrent()) {
  await import("../build/host/cli.mjs");
} else {
  let register;
  try {
    ({ register } = await import("tsx/esm/api"));
  } catch {
    console.error("tengri: tsx not found: run npm install");
    process.exit(1);
  }
  register();
  await import("../host/cli.ts");
}
