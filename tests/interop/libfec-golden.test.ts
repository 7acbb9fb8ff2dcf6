// The golden CADUs of ../shared/vectors/framing (built with Debian's libfec and decoded by two
// independent decoders) reproduced bit-exact by the flight caduEncode (build/lib.wasm).
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadFlightLib, type FlightLib } from "../../host/obc/lib.ts";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const shared = process.env.TENGRI_SHARED ?? join(repo, "..", "shared");
const dir = join(shared, "vectors", "framing");
const missing = existsSync(dir) ? false : `shared vectors not found at ${dir} (set TENGRI_SHARED); CI has them`;

interface Golden { name: string; depth: number; firstParity: string }
// firstParity: the README's first check-symbol bytes before randomization, as they stand in
// the codeblock, i.e. interleaved (for I = 4: codeword 0 symbol 0, codeword 1 symbol 0, …,
// codeword 0 symbol 1, …). The README calls the I = 4 ones "of codeword 0"; only the first
// byte is codeword 0's alone, and the interleaved reading is the one that matches the CADU.
const GOLDEN: Golden[] = [
  { name: "golden_A_tm_I1", depth: 1, firstParity: "b5482a5dea507e77" },
  { name: "golden_B_aos_I4_L892", depth: 4, firstParity: "75fecf6d379737e3" },
  { name: "golden_C_tm_idle_I1", depth: 1, firstParity: "" },
];

let lib: FlightLib;
let inPtr = 0;
let outPtr = 0;
before(() => { lib = loadFlightLib(); inPtr = lib.alloc(4096); outPtr = lib.alloc(4096); });

function checkGolden(t: { skip(msg: string): void }, g: Golden): void {
  if (missing) { t.skip(missing); return; }
  const frame = readFileSync(join(dir, `${g.name}.frame`));
  const cadu = readFileSync(join(dir, `${g.name}.cadu`));
  lib.u8().set(frame, inPtr);
  assert.equal(lib.exports.syncCaduLen(frame.length, g.depth, 16), cadu.length);
  const len = lib.exports.syncCaduEncode(inPtr, frame.length, g.depth, 16, 1, outPtr);
  assert.equal(len, cadu.length);
  assert.deepEqual(Buffer.from(lib.u8().subarray(outPtr, outPtr + len)), cadu);
  if (g.firstParity) {
    // the same frame without the randomizer: the README's first check symbols of the codeword
    const plain = lib.exports.syncCaduEncode(inPtr, frame.length, g.depth, 16, 0, outPtr);
    assert.equal(plain, cadu.length);
    const parity = outPtr + 4 + frame.length;
    assert.equal(Buffer.from(lib.u8().subarray(parity, parity + 8)).toString("hex"), g.firstParity);
  }
}

test("[131.0-B-5 §4.3.8] golden_A_tm_I1: caduEncode (TM 223, E=16, I=1, randomizer on) equals the golden CADU bit for bit", (t) => checkGolden(t, GOLDEN[0]));
test("[131.0-B-5 §4.3.8] golden_B_aos_I4_L892: caduEncode (AOS 892, E=16, I=4, randomizer on) equals the golden CADU bit for bit", (t) => checkGolden(t, GOLDEN[1]));
test("[131.0-B-5 §4.3.8] golden_C_tm_idle_I1: caduEncode (TM idle 223, E=16, I=1, randomizer on) equals the golden CADU bit for bit", (t) => checkGolden(t, GOLDEN[2]));
