// The mutation tool (npm run mutate, host/mutate/mutate.mjs) on a three-mutant catalogue: a fault
// the named spec kills is reported killed, an equivalent one survived and not counted against the
// score, one the named spec cannot see survived (exit 1); the tree itself is never changed; a
// catalogue with a bad anchor is refused before anything runs. as-pect only, so no build: < 60 s.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const TOOL = join(ROOT, "host/mutate/mutate.mjs");
const CRC = "assembly/util/crc16.ts";
const hash = (f) => createHash("sha256").update(readFileSync(join(ROOT, f))).digest("hex");
const mutate = (args) => spawnSync(process.execPath, [TOOL, ...args], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });

test("[tengri §mutation] a killed mutant is reported killed, an equivalent one survived (not counted), a survivor survived with exit 1; the tree is untouched", () => {
  const dir = mkdtempSync(join(tmpdir(), "tengri-mutate-test-"));
  try {
    const cat = join(dir, "catalogue.json");
    writeFileSync(cat, JSON.stringify({ mutants: [
      { id: "poly", kind: "constant", file: CRC, anchor: "export const CRC16_POLY: u32 = 0x1021;", replace: "export const CRC16_POLY: u32 = 0x1023;",
        tests: { aspect: ["tests/assembly/util/crc16.spec.ts"] } },
      { id: "blocks", kind: "constant", file: CRC, anchor: "const blocks = p + (len & ~(<usize>7));", replace: "const blocks = p + (len & ~(<usize>15));",
        tests: { aspect: ["tests/assembly/util/crc16.spec.ts"] }, equivalent: "both loops compute the same register" },
      // The GF(2^8) spec never computes a CRC: this fault is invisible to it.
      { id: "unseen", kind: "constant", file: CRC, anchor: "export const CRC16_POLY: u32 = 0x1021;", replace: "export const CRC16_POLY: u32 = 0x1025;",
        tests: { aspect: ["tests/assembly/util/gf256.spec.ts"] } },
    ] }));
    const before = hash(CRC);
    const out = join(dir, "out");
    const r = mutate(["--catalogue", cat, "--out", out]);
    assert.equal(r.status, 1, r.stderr + r.stdout);                // a non-equivalent survivor
    const rep = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
    const by = Object.fromEntries(rep.results.map((x) => [x.id, x]));
    assert.equal(by.poly.verdict, "killed");
    assert.equal(by.poly.by, "as-pect");
    assert.equal(by.blocks.verdict, "survived");
    assert.equal(by.unseen.verdict, "survived");
    assert.equal(rep.total, 3);
    assert.equal(rep.killed, 1);
    assert.deepEqual(rep.equivalent.map((e) => [e.id, e.reason]), [["blocks", "both loops compute the same register"]]);
    assert.deepEqual(rep.survived.map((s) => s.id), ["unseen"]);
    assert.equal(rep.score, 1 / 2);                                  // killed / (total − equivalent)
    assert.match(readFileSync(join(out, "report.md"), "utf8"), /Score: \*\*50\.0 %\*\*/);
    assert.match(r.stdout, /mutation score 50\.0 %: 1 killed of 2 \(1 equivalent\), 1 survived \(unseen\)/);
    assert.equal(hash(CRC), before, "the tree itself was never mutated");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("[tengri §mutation] a catalogue with a missing or repeated anchor is refused (exit 2) naming the mutant; --list lists without running", () => {
  const dir = mkdtempSync(join(tmpdir(), "tengri-mutate-test-"));
  try {
    const cat = join(dir, "bad.json");
    writeFileSync(cat, JSON.stringify({ mutants: [
      { id: "nowhere", kind: "constant", file: CRC, anchor: "this text is not in the file", replace: "x", tests: { aspect: ["tests/assembly/util/crc16.spec.ts"] } },
      { id: "twice", kind: "constant", file: CRC, anchor: "crc16Init();", replace: "", tests: { aspect: ["tests/assembly/util/crc16.spec.ts"] } },
    ] }));
    const r = mutate(["--catalogue", cat]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /mutant nowhere: anchor found 0 times/);
    assert.match(r.stderr, /mutant twice: anchor found \d+ times/);
    const l = mutate(["--list"]);
    assert.equal(l.status, 0, l.stderr);
    assert.match(l.stdout, /^cfg-hk-vcid-check-removed\s/m);
    assert.match(l.stdout, /\d+ mutants\n$/);
    const u = mutate(["--jobs", "0"]);
    assert.equal(u.status, 2);
    assert.match(u.stderr, /--jobs must be a whole number from 1 to 16/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
