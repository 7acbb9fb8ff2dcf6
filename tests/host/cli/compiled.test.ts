// The host compiled at build time (host/build-host.mjs → build/host/, issue 12 item 2): it answers
// as the TypeScript sources do, its manifest covers the sources it was made from, and
// bin/tengri.mjs runs it only while every one of them is unchanged.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BIN = join(ROOT, "bin/tengri.mjs");
const COMPILED = join(ROOT, "build/host/cli.mjs");
const missing = !existsSync(COMPILED) && "build/host missing: run node host/build.mjs compiled (npm test does)";

const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", timeout: 120_000, env: { ...process.env, NO_COLOR: "1", ...env } });

test("[tengri §cli] the compiled host answers as the sources do (help, a usage error, profiles)", { skip: missing }, () => {
  for (const args of [["--help"], ["aec", "--help"], ["aec"], ["pass", "--lines", "zero"], ["profiles"]]) {
    const compiled = run([COMPILED, ...args]);
    const source = run([BIN, ...args], { TENGRI_FROM_SOURCE: "1" });
    assert.equal(compiled.status, source.status, `tengri ${args.join(" ")}: exit status`);
    assert.equal(compiled.stdout, source.stdout, `tengri ${args.join(" ")}: stdout`);
    assert.equal(compiled.stderr, source.stderr, `tengri ${args.join(" ")}: stderr`);
  }
});

test("[tengri §build] the compiled host's manifest lists the sources it was made from, with their digests", { skip: missing }, () => {
  const m = JSON.parse(readFileSync(join(ROOT, "build/host/manifest.json"), "utf8")) as { files: Record<string, { size: number; mtimeMs: number; sha256: string }> };
  for (const f of ["host/cli.ts", "host/commands/aec.ts", "host/ground/aec121-decoder.ts", "host/ground/hyper123-decoder.ts"]) {
    assert.ok(m.files[f], `${f} in the manifest`);
    assert.match(m.files[f].sha256, /^[0-9a-f]{64}$/);
  }
  assert.ok(!Object.keys(m.files).some((f) => f.startsWith("node_modules/")), "packages stay outside the bundle");
});
