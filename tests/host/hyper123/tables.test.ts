// The hybrid coder's low-entropy code tables in the flight image and on the ground are
// regenerated from the CCSDS-distributed tables (tests/vectors/ccsds123/hybrid-code-tables/).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
// @ts-ignore: plain ES module without types
import { render, renderGround, buildTables, LIMITS, THRESHOLDS } from "../../vectors/ccsds123/gen-hybrid-tables.mjs";

test("[123.0-B-2 §5.4.3.3] flight and ground low-entropy code tables regenerate from the CCSDS table files", () => {
  assert.equal(readFileSync(fileURLToPath(new URL("../../../assembly/compress/hyper123/hybrid-tables.ts", import.meta.url)), "utf8"), render());
  assert.equal(readFileSync(fileURLToPath(new URL("../../../host/ground/hyper123-hybrid-tables.ts", import.meta.url)), "utf8"), renderGround());
});

test("[123.0-B-2 §5.4.3.3] table 5-16 input symbol limits and thresholds; every code is a complete prefix code with a flush word per prefix", () => {
  assert.deepEqual(LIMITS, [12, 10, 8, 6, 6, 4, 4, 4, 2, 2, 2, 2, 2, 2, 2, 0]);
  assert.deepEqual(THRESHOLDS, [303336, 225404, 166979, 128672, 95597, 69670, 50678, 34898, 23331, 14935, 9282, 5510, 3195, 1928, 1112, 408]);
  const { table, roots } = buildTables();   // throws on a missing child or flush word
  assert.equal(roots.length, 16);
  // code 0, input codeword "00" → 5'h19 (first line of code_00.txt)
  const child0 = table[roots[0] + 1 + 0];
  assert.ok(child0 > 0 && child0 < 0x80000000);
  assert.equal(table[child0 + 1 + 0], (0x80000000 | (5 << 24) | 0x19) >>> 0);
});
