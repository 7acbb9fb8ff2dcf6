// The incremental build (host/build.mjs): a target is rebuilt exactly when an input's content
// changed, an output is missing, or the build is forced; otherwise nothing runs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, projectTargets } from "../../../host/build.mjs";

test("[tengri §build] a target rebuilds on a changed, added or removed input, a missing output or --force, and only then", () => {
  const root = mkdtempSync(join(tmpdir(), "tengri-build-"));
  try {
    writeFileSync(join(root, "a.src"), "one");
    writeFileSync(join(root, "b.src"), "two");
    let inputs = ["a.src", "b.src"];
    // The command counts its runs in the output, so a run that should not happen shows.
    const make = `const fs=require("fs");const n=fs.existsSync("out.txt")?+fs.readFileSync("out.txt","utf8"):0;fs.writeFileSync("out.txt",String(n+1))`;
    const target = { name: "toy", inputs: () => inputs, outputs: ["out.txt"], commands: [[process.execPath, "-e", make]] };
    const lines = [];
    const run = (o = {}) => build([target], { root, say: (s) => lines.push(s), ...o });
    const runs = () => +readFileSync(join(root, "out.txt"), "utf8");

    assert.deepEqual(run().report, [{ name: "toy", rebuilt: true, why: "no earlier build" }]);
    assert.equal(runs(), 1);
    assert.deepEqual(run().report, [{ name: "toy", rebuilt: false }]);
    assert.equal(runs(), 1, "nothing ran when up to date");
    writeFileSync(join(root, "a.src"), "one");                       // same content: still up to date
    assert.equal(run().report[0].rebuilt, false);
    writeFileSync(join(root, "a.src"), "ONE");
    assert.equal(run().report[0].why, "1 input file(s) changed");
    assert.equal(runs(), 2);
    writeFileSync(join(root, "c.src"), "three"); inputs = [...inputs, "c.src"];
    assert.equal(run().report[0].why, "1 input file(s) changed");
    inputs = ["a.src", "c.src"];
    assert.equal(run().report[0].why, "1 input file(s) changed");
    rmSync(join(root, "out.txt"));
    assert.match(run().report[0].why, /out\.txt missing/);
    assert.equal(run({ force: true }).report[0].why, "forced");
    assert.ok(lines.some((l) => /toy up to date/.test(l)) && lines.some((l) => /toy: rebuilding/.test(l)), "it says what it does");

    const failing = { name: "broken", inputs: () => ["a.src"], outputs: [], commands: [[process.execPath, "-e", "process.exit(3)"]] };
    const r = build([failing], { root, say: () => undefined });
    assert.equal(r.ok, false);
    assert.equal(r.status, 3);
    assert.equal(build([failing], { root, say: () => undefined }).ok, false, "a failed build leaves no stamp: it runs again");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("[tengri §build] the project's targets cover the flight sources, the library, the compiled host and the host type check", () => {
  const t = projectTargets();
  assert.deepEqual(t.map((x) => x.name), ["flight image", "library build", "compiled host", "host type check"]);
  const flight = t[0].inputs();
  assert.ok(flight.includes("assembly/flight.ts") && flight.includes("assembly/abi/contract.ts") && flight.includes("asconfig.json"));
  assert.ok(t[2].inputs().includes("host/cli.ts") && t[2].inputs().includes("host/build-host.mjs") && t[2].outputs.includes("build/host/cli.mjs"));
  assert.ok(t[3].inputs().includes("host/cli.ts") && t[3].inputs().includes("tsconfig.json"));
  for (const o of [...t[0].outputs, ...t[1].outputs]) assert.ok(existsSync(o), `${o} built`);
});
