// Test vectors whose streams were produced by the NTNU CCSDS 123.0-B-2 verification model
// (tests/vectors/ccsds123/PROVENANCE.md). Conformance claimed: bit-exact (flight stream equals
// the external stream) where `bitExact`, else same size; and decode-exact / within the limits
// by the ground decoder on the external stream.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createHash } from "node:crypto";
import { loadFlightLib } from "../../../host/obc/lib.ts";
import { compressHyper123, hyper123Defaults, type Hyper123Params } from "../../../host/commands/hyper123.ts";
import { decodeHyper123 } from "../../../host/ground/hyper123-decoder.ts";

const dir = fileURLToPath(new URL("../../vectors/ccsds123/", import.meta.url));
interface Vector { name: string; cube: string; stream: string; signed: boolean; params: Partial<Hyper123Params> & { nx: number; ny: number; nz: number }; sha256: string; bitExact: boolean }
const vectors: Vector[] = JSON.parse(readFileSync(dir + "vectors.json", "utf8"));
const lib = loadFlightLib();

function check(v: Vector): void {
  const raw = readFileSync(dir + v.cube);
  const buf = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length);
  const cube = v.signed ? new Int16Array(buf) : new Uint16Array(buf);
  const ext = new Uint8Array(readFileSync(dir + v.stream));
  assert.equal(createHash("sha256").update(ext).digest("hex"), v.sha256, v.name);
  const p: Hyper123Params = { ...hyper123Defaults(v.params.nx, v.params.ny, v.params.nz), ...v.params, signed: v.signed };
  const ours = compressHyper123(lib, p, cube as Uint16Array);
  if (v.bitExact) assert.deepEqual(ours, ext, `${v.name}: flight stream differs from the NTNU model's`);
  else assert.equal(ours.length, ext.length, `${v.name}: size`);
  const dec = decodeHyper123(ext);
  for (let i = 0; i < cube.length; i++) assert.ok(Math.abs(dec.samples[i] - cube[i]) <= (dec.maxError?.[i] ?? 0), `${v.name}: sample ${i}`);
}
const sa = (v: Vector): boolean => (v.params.coder ?? "sample-adaptive") === "sample-adaptive";
const lossless = vectors.filter((v) => sa(v) && !v.params.fidelity);
const near = vectors.filter((v) => sa(v) && v.params.fidelity && !(v.params.periodExp! >= 0));
const hybrid = vectors.filter((v) => v.params.coder === "hybrid");
const periodic = vectors.filter((v) => v.params.periodExp! >= 0);
const ba = vectors.filter((v) => v.params.coder === "block-adaptive" && !(v.params.periodExp! >= 0));

test("[123.0-B-2 §5.4.3.2] NTNU-model vectors, lossless sample-adaptive (orders, local sums, P, signed, D, Ω, R): flight bit-exact, ground decode-exact", () => {
  assert.ok(lossless.length >= 8);
  for (const v of lossless) check(v);
});
test("[123.0-B-2 §4.8] NTNU-model vectors, near-lossless (absolute, relative, both, band-dependent, φ ψ Θ): flight bit-exact, ground within limits", () => {
  assert.ok(near.length >= 4);
  for (const v of near) check(v);
});
test("[123.0-B-2 §5.4.3.4] NTNU-model vectors, block-adaptive: flight bit-exact or same size (121 ties), NTNU streams decoded exactly", () => {
  assert.ok(ba.length >= 4);
  for (const v of ba) check(v);
});
test("[123.0-B-2 §4.8.2.3] NTNU-model vectors, periodic error-limit updating (both coders, band-independent and -dependent): bit-exact or same size", () => {
  assert.ok(periodic.length >= 4);
  for (const v of periodic) check(v);
});
test("[123.0-B-2 §5.4.3.3] NTNU-model vectors, hybrid coder (lossless, near-lossless, low-entropy-heavy, signed, BI): flight bit-exact, backward ground decoding within limits", () => {
  assert.ok(hybrid.length >= 6);
  for (const v of hybrid) check(v);
});
