// Salinas-A (AVIRIS, 224 × 83 × 86) against the reference bit rates of two independent public
// CCSDS 123.0-B-2 implementations (../shared/data/README.md), each stream decoded by the
// independent ground decoder. Conformance claimed: same size as the references (±0.005
// bits/sample) and decode-exact (lossless) or within the declared limit (near-lossless).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadFlightLib } from "../../../host/obc/lib.ts";
import { compressHyper123, hyper123Defaults, type Hyper123Params } from "../../../host/commands/hyper123.ts";
import { decodeHyper123 } from "../../../host/ground/hyper123-decoder.ts";

const shared = process.env.TENGRI_SHARED ?? join(fileURLToPath(new URL("../../../..", import.meta.url)), "shared");
const file = join(shared, "data/hyperspectral/salinasA_bsq_u16le_off16_z224_y83_x86.raw");
const have = existsSync(file);
const skip = have ? false : `Salinas-A not found at ${file} (set TENGRI_SHARED)`;
const NX = 86, NY = 83, NZ = 224, N = NX * NY * NZ;
const lib = have ? loadFlightLib() : null;
const cube = have ? (() => { const b = readFileSync(file); return new Uint16Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length)); })() : new Uint16Array(0);

function bps(over: Partial<Hyper123Params>, decode: boolean, limit = 0): number {
  const p = { ...hyper123Defaults(NX, NY, NZ), ...over };
  const s = compressHyper123(lib!, p, cube);
  if (decode) {
    const dec = decodeHyper123(s);
    assert.equal(dec.usedBytes, s.length);
    let worst = 0;
    for (let i = 0; i < N; i++) { const e = Math.abs(dec.samples[i] - cube[i]); if (e > worst) worst = e; }
    assert.ok(worst <= limit, `max error ${worst} > ${limit}`);
  }
  return (s.length * 8) / N;
}

test("[123.0-B-2 §4.4] Salinas-A, wide neighbour-oriented local sums: 4.846 bits/sample, decode-exact", { skip }, () => {
  assert.ok(Math.abs(bps({}, true) - 4.846) <= 0.005);
});
test("[123.0-B-2 §4.4] Salinas-A, wide column-oriented local sums: 4.724 bits/sample, decode-exact", { skip }, () => {
  assert.ok(Math.abs(bps({ localSum: 2 }, true) - 4.724) <= 0.005);
});
test("[123.0-B-2 §4.3] Salinas-A, P = 0 / 1 / 5 / 15 prediction bands: 6.559 / 4.931 / 4.840 / 4.863 bits/sample", { skip }, () => {
  const ref: [number, number][] = [[0, 6.559], [1, 4.931], [5, 4.840], [15, 4.863]];
  for (const [p, want] of ref) {
    const got = bps({ p }, p === 15);
    assert.ok(Math.abs(got - want) <= 0.005, `P=${p}: ${got.toFixed(4)} vs ${want}`);
  }
});
test("[123.0-B-2 §5.4.3.4] Salinas-A, block-adaptive coder J = 16, RSI = 4096: 5.022 bits/sample, decode-exact; J = 8 / 32 / 64: 5.223 / 4.928 / 4.887", { skip }, () => {
  assert.ok(Math.abs(bps({ coder: "block-adaptive", blockSize: 16, rsi: 4096 }, true) - 5.022) <= 0.005);
  for (const [j, want] of [[8, 5.223], [32, 4.928], [64, 4.887]]) {
    const got = bps({ coder: "block-adaptive", blockSize: j, rsi: 4096 }, false);
    assert.ok(Math.abs(got - want) <= 0.005, `J=${j}: ${got.toFixed(4)} vs ${want}`);
  }
});
test("[123.0-B-2 §5.4.2] Salinas-A, BIL and BIP orders: same size as BSQ (sample-adaptive statistics are per band), decode-exact", { skip }, () => {
  const bsq = bps({}, false);
  assert.equal(bps({ order: "bi", m: 1 }, true), bsq);
  assert.equal(bps({ order: "bi", m: NZ }, false), bsq);
});
test("[123.0-B-2 §5.4.3.3] Salinas-A, hybrid coder: 4.845 bits/sample, decode-exact", { skip }, () => {
  assert.ok(Math.abs(bps({ coder: "hybrid" }, true) - 4.845) <= 0.005);
});
test("[123.0-B-2 §4.8] Salinas-A near-lossless, absolute error 1 / 4 / 16, hybrid coder: 3.159 / 1.772 / 0.622 bits/sample, every sample within its limit", { skip }, () => {
  for (const [a, bits, want] of [[1, 1, 3.159], [4, 3, 1.772], [16, 5, 0.622]]) {
    const got = bps({ coder: "hybrid", fidelity: 1, absLimit: a, absBits: bits, repFlag: true, theta: 4, phi: 4, psi: 4 }, true, a);
    assert.ok(Math.abs(got - want) <= 0.005, `|e| <= ${a}: ${got.toFixed(4)} vs ${want}`);
  }
});
test("[123.0-B-2 §4.8] Salinas-A near-lossless with the sample-adaptive coder: within limits, and larger than with the hybrid coder", { skip }, () => {
  const sa = bps({ fidelity: 1, absLimit: 4, absBits: 3, repFlag: true, theta: 4, phi: 4, psi: 4 }, true, 4);
  assert.ok(sa > 1.772);
});
