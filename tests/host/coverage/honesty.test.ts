// The coverage tool is honest by construction (issue 10, item 1): on a copy of a flight module
// with a branch added that no test takes, the real tool (host/coverage/run.ts: instrumentation,
// as-pect build and run, counter read-out, reports) reports that branch and its statement as
// never executed, and the branch the spec does take as executed; below the gate it exits 1.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, copyFileSync, symlinkSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const RUN = join(ROOT, "host", "coverage", "run.ts");

const ADDED = `
// Added by the honesty test: the spec calls this with 7 only.
export function honestyProbe(x: i32): i32 {
  if (x == 12345) {
    return 1;
  }
  return 0;
}
`;

/** A minimal project: the real crc16 module with ADDED, and one spec (body given). */
function project(spec: string): string {
  const dir = mkdtempSync(join(tmpdir(), "tengri-cov-"));
  mkdirSync(join(dir, "assembly", "util"), { recursive: true });
  mkdirSync(join(dir, "tests", "assembly", "util"), { recursive: true });
  writeFileSync(join(dir, "assembly", "util", "crc16.ts"), readFileSync(join(ROOT, "assembly", "util", "crc16.ts"), "utf8") + ADDED);
  for (const f of ["as-pect.config.js", "as-pect.asconfig.json", "asconfig.json", "package.json"]) copyFileSync(join(ROOT, f), join(dir, f));
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  writeFileSync(join(dir, "tests", "assembly", "util", "honesty.spec.ts"), spec);
  return dir;
}

function coverage(dir: string) {
  const r = spawnSync(process.execPath, ["--import", "tsx", RUN, "--root", dir, "--no-e2e"], { cwd: ROOT, encoding: "utf8", timeout: 300_000 });
  const out = join(dir, "results", "coverage");
  assert.ok(existsSync(join(out, "summary.json")), `no summary written: ${r.stdout}\n${r.stderr}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, summary: JSON.parse(readFileSync(join(out, "summary.json"), "utf8")), lcov: readFileSync(join(out, "lcov.info"), "utf8"), out };
}

test("[tengri §coverage] a branch added to a copy of crc16.ts that no spec takes is reported untaken, its statement unexecuted; the taken branch and the module's exercised code are reported executed", () => {
  const src = readFileSync(join(ROOT, "assembly", "util", "crc16.ts"), "utf8");
  const ifLine = src.split("\n").length + ADDED.split("\n").findIndex((l) => l.includes("if (x == 12345)"));
  const dir = project(`import { crc16, honestyProbe } from "../../../assembly/util/crc16";
describe("honesty", () => {
  it("takes the else branch only", () => {
    expect<i32>(honestyProbe(7)).toBe(0);
    const p = heap.alloc(9);
    for (let i = 0; i < 9; i++) store<u8>(p + <usize>i, <u8>(0x31 + i));
    expect<u32>(crc16(p, 9, 0xffff)).toBe(0x29b1);
  });
});
`);
  try {
    const c = coverage(dir);
    assert.equal(c.summary.runs.length, 1);
    assert.equal(c.summary.runs[0].failed, 0, "the spec passed on the instrumented build");
    // lcov: the if on ifLine has its then-outcome (0) never taken and its else-outcome taken.
    const rec = c.lcov.split("end_of_record").find((r) => r.includes("SF:assembly/util/crc16.ts"))!;
    const brda = rec.split("\n").filter((l) => l.startsWith(`BRDA:${ifLine},`));
    assert.equal(brda.length, 2, `two outcomes for the if on line ${ifLine}: ${brda.join(" ")}`);
    assert.match(brda[0], /,0,0$/, "then: never taken");
    assert.match(brda[1], /,1,[1-9]\d*$/, "else: taken");
    // The statement inside the untaken branch: executed 0 times; the one after it: executed.
    assert.ok(rec.includes(`\nDA:${ifLine + 1},0\n`), `return 1 (line ${ifLine + 1}) reported unexecuted`);
    assert.match(rec, new RegExp(`\\nDA:${ifLine + 3},[1-9]`), `return 0 (line ${ifLine + 3}) reported executed`);
    // The real module's code the spec exercised (crc16's body) is reported executed.
    const crcLine = src.split("\n").findIndex((l) => l.startsWith("export function crc16(")) + 2;
    assert.match(rec, new RegExp(`\\nDA:${crcLine},[1-9]`), `crc16's first statement (line ${crcLine}) executed`);
    // The per-file page names the untaken outcome.
    const page = readFileSync(join(c.out, "files", "assembly_util_crc16.ts.html"), "utf8");
    assert.match(page, /if then never taken/);
    // Exit status follows the gate.
    assert.equal(c.status, c.summary.pass ? 0 : 1, c.stderr);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test("[tengri §coverage] below the gate (a spec that calls nothing of the module) npm run coverage exits 1 and names both figures", () => {
  const dir = project(`describe("nothing", () => { it("runs no flight code", () => { expect<i32>(1 + 1).toBe(2); }); });\n`);
  try {
    const c = coverage(dir);
    assert.equal(c.summary.pass, false);
    assert.equal(c.summary.statements.covered, 0, "nothing of the module ran");
    assert.equal(c.status, 1);
    assert.match(c.stderr, /BELOW THE GATE: statements 0\.0 % \(gate 95 %\), branches 0\.0 % \(gate 90 %\)/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
