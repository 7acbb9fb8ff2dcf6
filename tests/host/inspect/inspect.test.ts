// tengri inspect: the report of build/flight.wasm and of a flashed image, the opcode scan's
// features, the call graph (depth, cycles by name, call_indirect's conservative targets), and
// the one-line errors of wrong usage with their exit codes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { FLIGHT_WASM } from "../../../host/pass.ts";
import { loadProfile } from "../../../host/profiles/index.ts";
import { inspect } from "../../../host/inspect/inspect.ts";
import { buildModule, I32 } from "./wasm-builder.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BIN = join(ROOT, "bin/tengri.mjs");
const tengri = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 120_000 });
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const tmp = mkdtempSync(join(tmpdir(), "tengri-inspect-"));
test.after(() => rmSync(tmp, { recursive: true, force: true }));
const file = (name: string, b: Uint8Array) => { const p = join(tmp, name); writeFileSync(p, b); return p; };
const oneLine = (stderr: string) => { assert.equal(stderr.trim().split("\n").length, 1, stderr); assert.doesNotMatch(stderr, /\n\s+at /); };

test("[tengri §inspect] build/flight.wasm: SHA-256, WASI imports only, MVP features only, memory, data segments, no recursion, and a source commit git confirms", () => {
  const r = tengri(["inspect", FLIGHT_WASM, "--json"]);
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  const wasm = readFileSync(FLIGHT_WASM);
  assert.equal(j.kind, "wasm");
  assert.equal(j.sha256, sha(wasm));
  assert.equal(j.bytes, wasm.length);
  const mod = new WebAssembly.Module(wasm);
  assert.deepEqual(j.imports.map((i: { module: string; name: string }) => `${i.module}.${i.name}`).sort(), WebAssembly.Module.imports(mod).map((i) => `${i.module}.${i.name}`).sort());
  assert.deepEqual(j.exports.map((e: { name: string }) => e.name).sort(), WebAssembly.Module.exports(mod).map((e) => e.name).sort());
  assert.deepEqual(j.features.used, ["mvp"]);
  assert.ok(j.features.totalInstructions > 10_000);
  assert.equal(j.memory.max, null, "the unflashed module has no memory maximum");
  assert.ok(j.memory.min >= 1);
  assert.ok(j.dataSegments.count > 0 && j.dataSegments.bytes > 0);
  assert.equal(j.callGraph.recursion, false);
  assert.ok(Number.isInteger(j.callGraph.maxDepth) && j.callGraph.maxDepth >= 3, `depth ${j.callGraph.maxDepth}`);
  assert.deepEqual(j.flightRules.map((x: { ok: boolean }) => x.ok), [true, true, true]);
  // Never lies about its source: a clean image names a commit whose sources are exactly those of
  // this tree (the build runs first in npm test), a dirty one says so — as git sees it.
  const SOURCES = ["assembly", "asconfig.json", "package-lock.json"];
  const head = spawnSync("git", ["-C", ROOT, "rev-parse", "HEAD"], { encoding: "utf8" });
  if (head.status === 0) {
    const dirty = spawnSync("git", ["-C", ROOT, "status", "--porcelain", "--untracked-files=all", "--", ...SOURCES], { encoding: "utf8" }).stdout.trim() !== "";
    assert.equal(j.dirty, dirty);
    const commit = String(j.commit).replace(/-dirty$/, "");
    assert.equal(j.commit, commit + (dirty ? "-dirty" : ""));
    assert.equal(spawnSync("git", ["-C", ROOT, "merge-base", "--is-ancestor", commit, "HEAD"]).status, 0, `${commit} is HEAD or one of its ancestors`);
    if (!dirty) assert.equal(spawnSync("git", ["-C", ROOT, "diff", "--quiet", commit, "--", ...SOURCES]).status, 0, `the sources of ${commit} are those of this tree`);
    assert.match(j.buildId, new RegExp(`^tengri-${commit.slice(0, 12)}${dirty ? "-d[0-9a-f]{8}" : ""}$`));
  }
  assert.match(j.sourceHash, /^[0-9a-f]{64}$/);
  // The text report says the same.
  const t = tengri(["inspect", FLIGHT_WASM]);
  assert.equal(t.status, 0);
  assert.match(t.stdout, new RegExp(`SHA-256\\s+${j.sha256}`));
  assert.match(t.stdout, /recursion\s+none/);
  assert.match(t.stdout, /features used\s+mvp \(/);
});

test("[tengri §inspect] a flashed image: bound profile and RAM, memory maximum = RAM, header build id = the module's, module hash checked", () => {
  const img = join(tmp, "image.bin");
  const f = tengri(["flash", FLIGHT_WASM, "--profile", "cubesat-mcu", "-o", img]);
  assert.equal(f.status, 0, f.stderr);
  const r = tengri(["inspect", img, "--json"]);
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  const ram = loadProfile("cubesat-mcu").obc.ramBytes;
  assert.equal(j.kind, "image");
  assert.equal(j.profile, "cubesat-mcu");
  assert.equal(j.ramBytes, ram);
  assert.equal(j.memory.maxBytes, ram);
  const bytes = readFileSync(img);
  assert.equal(j.sha256, sha(bytes));
  assert.equal(j.module.sha256, sha(bytes.subarray(128)));
  assert.equal(j.image.buildId, j.buildInfo.buildId, "tengri flash records the build id the build embedded");
  const w = JSON.parse(tengri(["inspect", FLIGHT_WASM, "--json"]).stdout);
  assert.equal(j.commit, w.commit);
  // A tampered image is refused (exit 3), in one line.
  const bad = Buffer.from(bytes); bad[bad.length - 10] ^= 0xff;
  const t = tengri(["inspect", file("tampered.bin", bad)]);
  assert.equal(t.status, 3);
  assert.match(t.stderr, /SHA-256 does not match/);
  oneLine(t.stderr);
});

test("[tengri §inspect] the opcode scan names each feature beyond WebAssembly 1.0: sign-ext, bulk-memory, nontrapping-f2i, simd, multi-value", () => {
  const cases: [string, number[], string][] = [
    ["sign-ext", [0x41, 1, 0xc0, 0x1a], "sign-ext"],
    ["bulk", [0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 10, 0, 0], "bulk-memory"],
    ["satconv", [0x43, 0, 0, 0, 0, 0xfc, 0, 0x1a], "nontrapping-f2i"],
    ["simd", [0xfd, 12, ...new Array(16).fill(0), 0x1a], "simd"],
    ["multivalue", [0x02, 1, 0x41, 1, 0x41, 2, 0x0b, 0x1a, 0x1a], "multi-value"],
  ];
  const all = buildModule({
    types: [{ params: [], results: [] }, { params: [], results: [I32, I32] }],
    funcs: cases.map(([name, code]) => ({ name, type: 0, code, export: true })),
    memory: { min: 1 },
  });
  assert.ok(WebAssembly.validate(all as BufferSource), "the test module is valid WebAssembly");
  const r = inspect("all", all);
  assert.deepEqual(r.features.used, ["mvp", "bulk-memory", "multi-value", "nontrapping-f2i", "sign-ext", "simd"]);
  assert.equal(r.flightRules[2].ok, false);
  for (const [name, code, feature] of cases) {
    const types = [{ params: [], results: [] }, ...(feature === "multi-value" ? [{ params: [], results: [I32, I32] }] : [])];
    const one = buildModule({ types, funcs: [{ name, type: 0, code, export: true }], memory: { min: 1 } });
    const u = inspect(name, one).features;
    assert.deepEqual(u.used, ["mvp", feature], name);
    assert.equal(u.instructions[feature], 1, `${name}: one ${feature} instruction`);
  }
  const mvp = buildModule({ types: [{ params: [], results: [] }], funcs: [{ name: "f", type: 0, code: [0x41, 1, 0x1a], export: true }] });
  assert.deepEqual(inspect("mvp", mvp).features.used, ["mvp"]);
});

test("[tengri §inspect] the call graph: maximum depth from the exports, and recursion found and named (exit 1)", () => {
  const T = [{ params: [], results: [] }];
  const chain = buildModule({ types: T, funcs: [
    { name: "main", type: 0, code: [0x10, 1], export: true },
    { name: "a", type: 0, code: [0x10, 2, 0x10, 3] },
    { name: "b", type: 0, code: [0x10, 3] },
    { name: "c", type: 0, code: [] },
  ] });
  const g = inspect("chain", chain).callGraph;
  assert.equal(g.recursion, false);
  assert.equal(g.maxDepth, 4);
  assert.deepEqual(g.deepestChain, ["main", "a", "b", "c"]);

  const rec = buildModule({ types: T, funcs: [
    { name: "main", type: 0, code: [0x10, 1, 0x10, 3], export: true },
    { name: "ping", type: 0, code: [0x10, 2] },
    { name: "pong", type: 0, code: [0x10, 1] },
    { name: "selfish", type: 0, code: [0x10, 3] },
  ] });
  const p = file("recursive.wasm", rec);
  const r = tengri(["inspect", p, "--json"]);
  assert.equal(r.status, 1, "recursion breaks a flight rule: exit 1");
  const j = JSON.parse(r.stdout);
  assert.equal(j.callGraph.recursion, true);
  assert.equal(j.callGraph.maxDepth, null);
  assert.deepEqual(j.callGraph.cycles.map((c: string[]) => c.join(",")).sort(), ["ping,pong", "selfish"]);
  const t = tengri(["inspect", p]);
  assert.equal(t.status, 1);
  assert.match(t.stdout, /✗ no recursion .*ping → pong/);
  assert.match(t.stdout, /selfish/);
});

test("[tengri §inspect] call_indirect: every table function of the call's signature is a possible callee (a cycle through the table is found; another signature is not a callee)", () => {
  const T = [{ params: [], results: [] }, { params: [I32], results: [] }];
  const cyc = buildModule({ types: T, table: [1, 2], funcs: [
    { name: "main", type: 0, code: [0x41, 0, 0x11, 0, 0], export: true },
    { name: "viaTable", type: 0, code: [0x41, 0, 0x11, 0, 0] },
    { name: "other", type: 1, code: [] },
  ] });
  assert.ok(WebAssembly.validate(cyc as BufferSource));
  const g = inspect("cyc", cyc).callGraph;
  assert.equal(g.indirectCallSites, 2);
  assert.deepEqual(g.tableTargets, ["viaTable", "other"]);
  assert.deepEqual(g.cycles, [["viaTable"]]);
  const ok = buildModule({ types: T, table: [1, 2], funcs: [
    { name: "main", type: 0, code: [0x41, 0, 0x11, 0, 0], export: true },
    { name: "viaTable", type: 0, code: [0x41, 0, 0x41, 1, 0x11, 1, 0] },
    { name: "other", type: 1, code: [] },
  ] });
  assert.ok(WebAssembly.validate(ok as BufferSource));
  const h = inspect("ok", ok).callGraph;
  assert.equal(h.recursion, false);
  assert.deepEqual(h.deepestChain, ["main", "viaTable", "other"]);
  assert.match(h.indirectPolicy, /conservative/);
});

test("[tengri §inspect] wrong usage: one line and the documented exit code (no FILE 2, missing file 1, not wasm 2, truncated wasm 2, unknown option 2)", () => {
  const wasm = readFileSync(FLIGHT_WASM);
  const cases: [string[], number, RegExp][] = [
    [["inspect"], 2, /missing FILE/],
    [["inspect", join(tmp, "nope.wasm")], 1, /no such file/],
    [["inspect", file("text.wasm", Buffer.from("hello, not a module\n"))], 2, /neither a WebAssembly module nor a flashed image/],
    [["inspect", file("trunc.wasm", wasm.subarray(0, Math.floor(wasm.length / 2)))], 2, /truncated/],
    [["inspect", file("header.wasm", wasm.subarray(0, 6))], 2, /truncated/],
    [["inspect", FLIGHT_WASM, "--bogus"], 2, /unknown option --bogus/],
    [["inspect", FLIGHT_WASM, FLIGHT_WASM], 2, /one FILE only/],
  ];
  for (const [args, code, msg] of cases) {
    const r = tengri(args);
    assert.equal(r.status, code, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, msg, args.join(" "));
    oneLine(r.stderr);
  }
  const h = tengri(["inspect", "--help"]);
  assert.equal(h.status, 0);
  assert.match(h.stdout, /--json/);
});

test("[tengri §inspect §cost] the cost figures are shown for the image they were measured on (--cost), and said absent for another", () => {
  const wasm = readFileSync(FLIGHT_WASM);
  const figures = { mean: 1000, worst: 2000, worstKind: "noisy", worstLine: 3, windowLines: 8, worstWindowMean: 1500, linePeriodS: 0.001, instructionsPerSecondMean: 1e6, instructionsPerSecondWindow: 1.5e6, instructionsPerSecondWorst: 2e6, bound: 5000, withinBound: true };
  const cost = (sha256: string) => ({ format: 1, image: { file: "build/flight.wasm", sha256, codeSha256: "0", commit: "x", buildId: "y", bytes: 1 }, profiles: { default: { ...figures, flashedModuleSha256: "1", flashedCodeSha256: "2" } } });
  const hit = file("cost-hit.json", Buffer.from(JSON.stringify(cost(sha(wasm)))));
  const r = tengri(["inspect", FLIGHT_WASM, "--json", "--cost", hit]);
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.cost.status, "measured");
  assert.equal(j.cost.profiles.default.worst, 2000);
  const t = tengri(["inspect", FLIGHT_WASM, "--cost", hit]);
  assert.match(t.stdout, /worst 2,000 \(noisy line 3\)/);
  const miss = file("cost-miss.json", Buffer.from(JSON.stringify(cost("f".repeat(64)))));
  const m = JSON.parse(tengri(["inspect", FLIGHT_WASM, "--json", "--cost", miss]).stdout);
  assert.equal(m.cost.status, "absent");
  assert.match(m.cost.message, /no cost figures for this image/);
  const none = tengri(["inspect", FLIGHT_WASM, "--cost", join(tmp, "none.json")]);
  assert.equal(none.status, 1);
  assert.match(none.stderr, /--cost .*no such file/);
});
