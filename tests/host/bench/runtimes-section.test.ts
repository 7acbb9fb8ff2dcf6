// The runtimes bench's RESULTS.md section (tests/bench/runtimes.bench.ts): with a reference image
// (TENGRI_BENCH_REF) it adds a before → after table from the same run, per profile and runtime.
// The rows here are made up; the bench itself needs WAMR and is not run by the tests.
import { test } from "node:test";
import assert from "node:assert/strict";
import { section, type RuntimeRow } from "../../bench/runtimes.bench.ts";

const node = { id: "node" as const, label: "node:wasi", argv: () => null };
const aot = { id: "aot" as const, label: "WAMR AOT", argv: () => null };
const interp = { id: "interp" as const, label: "WAMR fast interpreter", argv: () => null, skip: "iwasm absent" };

function row(profile: string, runtime: typeof node | typeof aot, cpu: number, refCpu: number | null): RuntimeRow {
  return { profile, lines: 64, imagingS: 0.277, runtime, seconds: cpu + 0.1, cpu, sha: "ab".repeat(32),
    ...(refCpu === null ? {} : { ref: { seconds: refCpu + 0.1, cpu: refCpu, label: "source 46afc93" } }) };
}

test("runtimes bench: with a reference image the section has a before → after table naming the reference's source, CPU change per runtime", () => {
  const rows: RuntimeRow[] = [
    row("hyperspectral", node, 0.48, 0.56),
    { profile: "hyperspectral", lines: 64, imagingS: 0.277, runtime: interp, seconds: null, cpu: null, sha: null, skip: "iwasm absent" },
    row("hyperspectral", aot, 0.23, 0.27),
    row("default", node, 0.26, 0.25),
  ];
  const md = section(rows, 3);
  assert.match(md, /Before → after in the same run: the reference image \(TENGRI_BENCH_REF, source 46afc93\)/);
  assert.match(md, /\| hyperspectral \| 560 → 480 ms CPU \(−14 %\) \| — \| 270 → 230 ms CPU \(−15 %\) \|/);
  assert.match(md, /\| default \| 250 → 260 ms CPU \(\+4 %\) \| — \| — \|/);
  // columns in the bench's order: node:wasi, interpreter, AOT
  assert.match(md, /\| profile \| node:wasi \| WAMR fast interpreter \| WAMR AOT \|/);
  // the main table keeps the skipped runtime's reason
  assert.match(md, /skipped: iwasm absent/);
});

test("runtimes bench: without a reference image there is no before → after table", () => {
  const md = section([row("default", node, 0.26, null), row("default", aot, 0.06, null)], 3);
  assert.doesNotMatch(md, /Before → after/);
  assert.match(md, /\| default, 64 lines \| 277 ms \| 360 ms \(0\.77×\) \[CPU 260 ms: 1\.07×\] \| 160 ms \(1\.73×\) \[CPU 60 ms: 4\.62×\] \|/);
});
