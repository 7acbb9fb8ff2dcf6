// The hybrid coder's low-entropy code tables: the flight tries are regenerated from the ground
// station's transcription of the standard's tables, which must form complete prefix codes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
// @ts-ignore: plain ES module without types
import { render, buildTables, LIMITS, THRESHOLDS } from "../../vectors/ccsds123/gen-hybrid-tables.mjs";

test("[123.0-B-2 §5.4.3.3] the flight low-entropy code tries regenerate from the ground's transcription of the standard's tables", () => {
  assert.equal(readFileSync(fileURLToPath(new URL("../../../assembly/compress/hyper123/hybrid-tables.ts", import.meta.url)), "utf8"), render());
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
