// The `tengri` command as a script sees it: help, exit codes, and a sensor → flight image →
// decode round trip through files, the way a bench with another WASI runtime would use it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, existsSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../../bin/tengri.mjs", import.meta.url));
const tengri = (args: string[], input?: Buffer) => spawnSync(process.execPath, [BIN, ...args], { encoding: "buffer", input, maxBuffer: 1 << 28 });

test("--help for every command, exit 0; no command is a usage error (2)", () => {
  for (const c of ["pass", "sensor", "flash", "profiles", "decode", "aec", "hyper123", "eval-cloud", "serve", "faults"]) {
    const r = tengri([c, "--help"]);
    assert.equal(r.status, 0, c);
    assert.match(r.stdout.toString(), /Usage|usage/, c);
  }
  assert.equal(tengri([]).status, 2);
  assert.equal(tengri(["frobnicate"]).status, 2);
});

test("bad options are usage errors naming the option", () => {
  const r = tengri(["pass", "--ber", "2"]);
  assert.equal(r.status, 2);
  assert.match(r.stderr.toString(), /--ber/);
  const u = tengri(["pass", "--no-such-flag"]);
  assert.equal(u.status, 2);
  const p = tengri(["pass", "--profile", "/nonexistent.json"]);
  assert.equal(p.status, 2);
});

test("profiles: every shipped profile validates", () => {
  const r = tengri(["profiles", "--json"]);
  assert.equal(r.status, 0);
  const list = JSON.parse(r.stdout.toString());
  assert.ok(list.length >= 4);
  assert.ok(list.every((x: { ok: boolean }) => x.ok));
});

test("sensor → flight image (as any WASI runtime runs it) → tengri decode: packets out, per-VC statistics", () => {
  const dir = mkdtempSync(join(tmpdir(), "tengri-cli-"));
  try {
    const bus = join(dir, "bus.bin");
    assert.equal(tengri(["sensor", "--profile", "default", "--lines", "20", "-o", bus]).status, 0);
    const img = join(dir, "image.bin");
    const f = tengri(["flash", fileURLToPath(new URL("../../../build/flight.wasm", import.meta.url)), "--profile", "default", "-o", img]);
    assert.equal(f.status, 0, f.stderr.toString());
    // Run the bare module the way `wasmtime build/flight.wasm < bus.bin > pass.cadu` would.
    const run = spawnSync(process.execPath, ["--no-warnings", fileURLToPath(new URL("../../../host/obc/wasi-child.mjs", import.meta.url)), img], { input: readFileSync(bus), maxBuffer: 1 << 28 });
    assert.equal(run.status, 0, run.stderr.toString());
    const cadu = join(dir, "pass.cadu");
    writeFileSync(cadu, run.stdout);
    const pk = join(dir, "packets.bin");
    const d = tengri(["decode", cadu, "--frame", "tm", "--frame-length", "1115", "--rs-depth", "5", "--packets-out", pk, "--json"]);
    assert.equal(d.status, 0, d.stderr.toString());
    assert.ok(existsSync(pk) && statSync(pk).size > 50_000, "compressed image packets, tile statistics and mask of 20 lines");
    const stats = JSON.parse(d.stdout.toString());
    // A clean link: every CADU found, every codeword decodable, every frame good.
    assert.ok(stats.cadus > 0 && stats.framesGood === stats.cadus, `${stats.framesGood} good frames of ${stats.cadus} CADUs`);
    assert.equal(stats.rsCodewordsUncorrectable, 0);
    assert.equal(stats.rsCodewordsCorrected, 0);
    assert.equal(stats.framesBadFecf + stats.framesBadHeader + stats.framesDropped + stats.syncLosses + stats.garbageBytes, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
