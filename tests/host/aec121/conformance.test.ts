// CCSDS 121.0-B-3 conformance data (../shared/data/ccsds121, the set CCSDS distributes, as kept
// in libaec's repository): every .rz decodes with the ground decoder to its .dat (decode-exact);
// the flight encoder's stream has the .rz's size for AllOptions and LowEntropyOptions, and the
// same bytes for n <= 4 and the low-entropy sets (bit-exact). The RSI-padded SAR streams are
// decoded, and our padded re-encoding is checked for size too.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadFlightLib } from "../../../host/obc/lib.ts";
import { aec121Decode, Aec121StreamDecoder, type Aec121Options } from "../../../host/ground/aec121-decoder.ts";
import { FlightAec121Encoder, storageFor, unpackSamples } from "../../../host/commands/aec.ts";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const DIR = join(process.env.TENGRI_SHARED ?? join(root, "../shared"), "data/ccsds121");
const skip = existsSync(DIR) ? false : `conformance data missing: ${DIR}`;

interface Vec { dat: string; rz: string; opts: Aec121Options; bytesExact: boolean; sizeExact: boolean }

function vectors(): Vec[] {
  const v: Vec[] = [];
  for (let n = 1; n <= 32; n++) {
    const nn = String(n).padStart(2, "0");
    const base = n <= 16 ? `AllOptions/test_p256n${nn}` : `AllOptions/test_p512n${nn}`;
    const rsi = n <= 16 ? 16 : 32;
    if (n <= 4) {
      v.push({ dat: `${base}.dat`, rz: `${base}-basic.rz`, opts: { bitsPerSample: n, blockSize: 16, rsi }, bytesExact: true, sizeExact: true });
      v.push({ dat: `${base}.dat`, rz: `${base}-restricted.rz`, opts: { bitsPerSample: n, blockSize: 16, rsi, restricted: true }, bytesExact: true, sizeExact: true });
    } else {
      v.push({ dat: `${base}.dat`, rz: `${base}.rz`, opts: { bitsPerSample: n, blockSize: 16, rsi }, bytesExact: false, sizeExact: true });
    }
  }
  for (const s of [1, 2, 3]) {
    for (let n = 1; n <= 8; n++) {
      const nn = String(n).padStart(2, "0");
      const b = `LowEntropyOptions/Lowset${s}_8bit`;
      if (n <= 4) {
        v.push({ dat: `${b}.dat`, rz: `${b}.n${nn}-basic.rz`, opts: { bitsPerSample: n, blockSize: 16, rsi: 64 }, bytesExact: true, sizeExact: true });
        v.push({ dat: `${b}.dat`, rz: `${b}.n${nn}-restricted.rz`, opts: { bitsPerSample: n, blockSize: 16, rsi: 64, restricted: true }, bytesExact: true, sizeExact: true });
      } else {
        v.push({ dat: `${b}.dat`, rz: `${b}.n${nn}.rz`, opts: { bitsPerSample: n, blockSize: 16, rsi: 64 }, bytesExact: true, sizeExact: true });
      }
    }
  }
  v.push({ dat: "ExtendedParameters/sar32bit.dat", rz: "ExtendedParameters/sar32bit.j16.r256.rz", opts: { bitsPerSample: 32, blockSize: 16, rsi: 256, padRsi: true }, bytesExact: false, sizeExact: false });
  v.push({ dat: "ExtendedParameters/sar32bit.dat", rz: "ExtendedParameters/sar32bit.j64.r4096.rz", opts: { bitsPerSample: 32, blockSize: 64, rsi: 4096, padRsi: true }, bytesExact: false, sizeExact: false });
  return v;
}

function load(v: Vec): { x: Uint32Array; code: Uint8Array } {
  const raw = readFileSync(join(DIR, v.dat));
  return { x: unpackSamples(raw, storageFor(v.opts.bitsPerSample, {})), code: readFileSync(join(DIR, v.rz)) };
}

function assertPrefix(y: ArrayLike<number>, x: ArrayLike<number>, what: string): void {
  assert.ok(y.length >= x.length, `${what}: ${y.length} samples decoded, want ${x.length}`);
  for (let i = 0; i < x.length; i++) if (y[i] !== x[i]) assert.fail(`${what}: sample ${i} = ${y[i]}, want ${x[i]}`);
}

test("[121.0-B-3 §5.1] conformance: every .rz decodes to its .dat (ground decoder, decode-exact)", { skip }, () => {
  for (const v of vectors()) {
    const { x, code } = load(v);
    assertPrefix(aec121Decode(code, v.opts), x, v.rz);
  }
});

test("[121.0-B-3 §3.6] conformance: flight re-encoding has the .rz size; same bytes for n <= 4 and the low-entropy sets", { skip }, () => {
  const lib = loadFlightLib();
  for (const v of vectors()) {
    const { x, code } = load(v);
    const ours = new FlightAec121Encoder(lib, v.opts).encode(x);
    if (v.sizeExact) assert.equal(ours.length, code.length, `${v.rz}: size`);
    if (v.bytesExact) assert.ok(Buffer.from(ours).equals(Buffer.from(code)), `${v.rz}: bytes differ`);
    // and the independent decoder gives the input back
    assertPrefix(aec121Decode(ours, v.opts), x, `${v.rz} re-encoded`);
  }
});

test("[121.0-B-3 §5.1.4] conformance: padded SAR streams, our padded re-encoding decodes and is no larger than 0.1 % over the reference", { skip }, () => {
  const lib = loadFlightLib();
  for (const v of vectors().filter((q) => q.opts.padRsi)) {
    const { x, code } = load(v);
    const ours = new FlightAec121Encoder(lib, v.opts).encode(x);
    assert.ok(ours.length <= code.length * 1.001, `${v.rz}: ours ${ours.length}, reference ${code.length}`);
    assertPrefix(aec121Decode(ours, v.opts), x, `${v.rz} re-encoded`);
  }
});

test("[121.0-B-3 §5.1] conformance streams fed one byte at a time decode the same as whole", { skip }, () => {
  for (const v of vectors().filter((q, i) => i % 5 === 0 || q.opts.bitsPerSample === 32)) {
    const { x, code } = load(v);
    const dec = new Aec121StreamDecoder(v.opts);
    const got: number[] = [];
    const limit = Math.min(code.length, 20000); // the SAR streams: their first 20 kB byte by byte
    for (let i = 0; i < limit; i++) for (const s of dec.push(code.subarray(i, i + 1))) got.push(s);
    if (limit < code.length) for (const s of dec.push(code.subarray(limit))) got.push(s);
    for (const s of dec.end()) got.push(s);
    assertPrefix(got, x, `${v.rz} byte by byte`);
  }
});
