// The cost model: the metered build counts exactly the instructions executed (hand-counted
// modules), does not change what the image does, gives the same counts on every run, and no line
// of the test campaign costs more than its profile's bound (host/cost/bounds.json, data).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { FLIGHT_WASM } from "../../../host/pass.ts";
import { loadProfile, listProfiles } from "../../../host/profiles/index.ts";
import { flash, IMAGE_HEADER_LEN } from "../../../host/obc/image.ts";
import { meter, COST_EXPORT } from "../../../host/cost/meter.ts";
import { runMetered } from "../../../host/cost/run.ts";
import { profileCost, kindRecords, LINE_KINDS } from "../../../host/cost/campaign.ts";
import { loadBounds, boundViolations, replaceSection, costForImage } from "../../../host/cost/figures.ts";
import { runFlight, flightModule } from "../flight/image-run.ts";
import { buildModule, I32 } from "../inspect/wasm-builder.ts";

function counted(wasm: Uint8Array, fn: string, ...args: number[]): number {
  const inst = new WebAssembly.Instance(new WebAssembly.Module(meter(wasm).wasm as BufferSource), {});
  (inst.exports[fn] as (...a: number[]) => unknown)(...args);
  return Number((inst.exports[COST_EXPORT] as WebAssembly.Global).value as bigint);
}

test("[tengri §cost] the meter counts exactly the instructions executed: a counted loop, both arms of an if/else, a call, an early return", () => {
  // loop: local.get 0; i32.const 1; i32.sub; local.tee 0; br_if 0; end — then the function's end.
  // Executed for n: loop (1) + 5 per iteration × n + loop end (1) + function end (1) = 5n + 3.
  const loop = [0x03, 0x40, 0x20, 0, 0x41, 1, 0x6b, 0x22, 0, 0x0d, 0, 0x0b];
  // Convention: an `end` (or `else`) counts when control runs through it; a branch that jumps past
  // it does not execute it.
  // if/else: local.get 0; if; i32.const 7; drop; else; i32.const 8; drop; i32.const 9; drop; end — then the function's end.
  //   then arm: get, if, const, drop, else (jumps past the if's end), function end = 6;
  //   else arm: get, if, const, drop, const, drop, end, function end = 8.
  const ifElse = [0x20, 0, 0x04, 0x40, 0x41, 7, 0x1a, 0x05, 0x41, 8, 0x1a, 0x41, 9, 0x1a, 0x0b];
  // call: i32.const 3; call loopy; function end: 3 + loopy(3) = 3 + 18.
  const call = [0x41, 3, 0x10, 0];
  // early return: local.get 0; if; return; end; i32.const 1; drop; function end.
  //   taken: get, if, return = 3; not taken: get, if (jumps past its end), const, drop, function end = 5.
  const early = [0x20, 0, 0x04, 0x40, 0x0f, 0x0b, 0x41, 1, 0x1a];
  const wasm = buildModule({
    types: [{ params: [I32], results: [] }, { params: [], results: [] }],
    funcs: [
      { name: "loopy", type: 0, code: loop, export: true },
      { name: "ifelse", type: 0, code: ifElse, export: true },
      { name: "caller", type: 1, code: call, export: true },
      { name: "early", type: 0, code: early, export: true },
    ],
  });
  assert.ok(WebAssembly.validate(wasm as BufferSource));
  assert.ok(WebAssembly.validate(meter(wasm).wasm as BufferSource), "the metered module is valid");
  for (const n of [1, 7, 100]) assert.equal(counted(wasm, "loopy", n), 5 * n + 3, `loop of ${n}`);
  assert.equal(counted(wasm, "ifelse", 1), 6, "then arm");
  assert.equal(counted(wasm, "ifelse", 0), 8, "else arm");
  assert.equal(counted(wasm, "caller"), 3 + 18, "call");
  assert.equal(counted(wasm, "early", 1), 3, "early return");
  assert.equal(counted(wasm, "early", 0), 5, "no early return");
});

test("[tengri §cost] the metered flight image does what the image does (same exit, same CADU octets, same log) and counts the same on every run", () => {
  const p = loadProfile("cubesat-mcu");
  const recs = kindRecords(p, "ordinary", 12);
  const wasm = readFileSync(FLIGHT_WASM);
  const plain = runMetered(new WebAssembly.Module(wasm), recs, { unmetered: true });
  const piped = runFlight(Buffer.concat(recs), { module: flightModule() });  // whole reads, not one record per read
  const m = new WebAssembly.Module(meter(wasm).wasm as BufferSource);
  const a = runMetered(m, recs), b = runMetered(m, recs);
  assert.equal(a.exitCode, 0);
  assert.equal(a.trap, null);
  assert.equal(a.exitCode, plain.exitCode);
  assert.ok(a.caduBytes > 0);
  assert.equal(a.caduSha256, plain.caduSha256, "the same CADU octets");
  assert.equal(a.caduBytes, piped.caduBytes);
  assert.equal(a.log, plain.log);
  assert.equal(a.log, piped.log);
  assert.deepEqual(a.perRecord, b.perRecord, "deterministic");
  assert.equal(a.perRecord.length, recs.length);
  assert.equal(a.boot + a.perRecord.reduce((s, x) => s + x, 0), a.total, "every instruction is attributed once");
  for (const c of a.perRecord.slice(1, -1)) assert.ok(c > 1000, "every line costs work");
});

test("[tengri §cost] no line of the test campaign costs more than its profile's bound (host/cost/bounds.json), on every profile and kind of line", () => {
  const bounds = loadBounds();
  const profiles = listProfiles().filter((x) => x.ok).map((x) => x.name);
  assert.deepEqual(Object.keys(bounds.profiles).sort(), [...profiles].sort(), "a bound for every profile");
  const wasm = readFileSync(FLIGHT_WASM);
  for (const name of profiles) {
    const p = loadProfile(name);
    const b = bounds.profiles[name];
    const module = flash(wasm, p, "tengri-test").subarray(IMAGE_HEADER_LEN);
    const c = profileCost(p, new WebAssembly.Module(meter(module).wasm as BufferSource), b.testLinesPerKind, { keepLines: true });
    assert.deepEqual(Object.keys(c.perLine!), [...LINE_KINDS]);
    assert.deepEqual(boundViolations(name, c.perLine!, b.maxInstructionsPerLine), [], name);
    // The check is not vacuous: a bound just under the worst line is exceeded, by that line.
    const v = boundViolations(name, c.perLine!, c.worst - 1);
    assert.ok(v.length >= 1 && v.some((x) => x.includes(`${c.worstKind} line ${c.worstLine}:`)), `${name}: ${v[0]}`);
  }
});

test("[tengri §cost] RESULTS.md: the Cost model section is replaced in place, other sections kept; inspect matches figures to the image by SHA-256", () => {
  const old = "# Benchmark results\n\ntable\n\n## Cost model\n\nold figures\n\n## Fuzz campaign\n\nfuzz\n";
  const next = replaceSection(old, "## Cost model\n\nnew figures\n");
  assert.equal(next, "# Benchmark results\n\ntable\n\n## Cost model\n\nnew figures\n\n## Fuzz campaign\n\nfuzz\n");
  assert.equal(replaceSection("# B\n", "## Cost model\n\nx\n"), "# B\n\n## Cost model\n\nx\n");
  const cost = { format: 1, image: { sha256: "aa" }, profiles: { default: { flashedModuleSha256: "bb" }, "cubesat-mcu": { flashedModuleSha256: "cc" } } };
  assert.equal(costForImage({ kind: "wasm", module: { sha256: "aa" } }, cost, "c.json").status, "measured");
  assert.equal(costForImage({ kind: "wasm", module: { sha256: "zz" } }, cost, "c.json").status, "absent");
  const img = costForImage({ kind: "image", module: { sha256: "cc" } }, cost, "c.json");
  assert.deepEqual(Object.keys(img.profiles!), ["cubesat-mcu"]);
  assert.equal(costForImage({ kind: "image", module: { sha256: "aa" } }, cost, "c.json").status, "absent");
  assert.match(costForImage({ kind: "wasm", module: { sha256: "aa" } }, null, "c.json").message, /not found/);
  // Another build record (same sources, another commit): the same code, said so.
  const code = { format: 1, image: { sha256: "aa", codeSha256: "c1", commit: "abc" }, profiles: { default: { flashedModuleSha256: "bb", flashedCodeSha256: "c2" } } };
  const same = costForImage({ kind: "wasm", module: { sha256: "a2", codeSha256: "c1" } }, code, "c.json");
  assert.equal(same.status, "measured");
  assert.match(same.message, /same code as this module but another build record/);
  assert.equal(costForImage({ kind: "wasm", module: { sha256: "a2", codeSha256: "c9" } }, code, "c.json").status, "absent");
  assert.deepEqual(Object.keys(costForImage({ kind: "image", module: { sha256: "b2", codeSha256: "c2" } }, code, "c.json").profiles!), ["default"]);
});
