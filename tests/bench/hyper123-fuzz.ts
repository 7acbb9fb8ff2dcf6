// Fuzzing of the CCSDS 123.0-B-2 ground decoder: random streams, valid streams with flipped
// bits, truncated streams and headers with random field values. Every input must decode or end
// in a Hyper123DecodeError: never another exception, a hang or an unbounded allocation.
//   npx tsx tests/bench/hyper123-fuzz.ts [COUNT=100000] [SEED=1]
// tests/host/hyper123/fuzz.test.ts runs a smaller sample of the same generator.
import { pathToFileURL } from "node:url";
import { loadFlightLib } from "../../host/obc/lib.ts";
import { compressHyper123, hyper123Defaults, type Hyper123Params } from "../../host/commands/hyper123.ts";
import { decodeHyper123, Hyper123DecodeError } from "../../host/ground/hyper123-decoder.ts";

export interface FuzzStats { inputs: number; decoded: number; typedErrors: Record<string, number>; maxMs: number }

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
}

/** A handful of valid streams (different coders' options, orders, near-lossless) as seeds. */
export function seedStreams(): Uint8Array[] {
  const lib = loadFlightLib();
  const out: Uint8Array[] = [];
  const r = rng(7);
  const variants: Partial<Hyper123Params>[] = [
    {}, { order: "bi", m: 1 }, { order: "bi", m: 3 }, { reduced: true, localSum: 3, p: 0 }, { localSum: 1, p: 15 },
    { fidelity: 1, absLimit: 3, absBits: 2, repFlag: true, theta: 4, phi: 4, psi: 4 },
    { fidelity: 3, absLimit: 5, absBits: 3, relLimit: 40, relBits: 7, absTable: [1, 2, 3, 4, 5, 6], relTable: null },
    { d: 8, signed: true, k: 3, wordBytes: 4 },
    { coder: "hybrid" }, { coder: "hybrid", fidelity: 1, absLimit: 20, absBits: 5, order: "bi", m: 2 },
    { coder: "block-adaptive", blockSize: 8, rsi: 2 },
    { fidelity: 1, absBits: 3, order: "bi", m: 1, periodExp: 1, periodLimits: [{ abs: [1] }, { abs: [5] }, { abs: [0] }] },
  ];
  for (const v of variants) {
    const p: Hyper123Params = { ...hyper123Defaults(7, 5, 6), ...v };
    const n = p.nx * p.ny * p.nz;
    const lo = p.signed ? -(2 ** (p.d - 1)) : 0, span = 2 ** p.d - 1;
    const cube = new Int32Array(n).map((_, i) => lo + Math.floor((0.5 + 0.4 * Math.sin(i * 0.1)) * span + r() * 50) % (span + 1));
    out.push(compressHyper123(lib, p, (p.signed ? Int16Array.from(cube) : Uint16Array.from(cube)) as Uint16Array));
  }
  return out;
}

export function fuzzHyper123(count: number, seed = 1, seeds = seedStreams()): FuzzStats {
  const r = rng(seed);
  const stats: FuzzStats = { inputs: 0, decoded: 0, typedErrors: {}, maxMs: 0 };
  for (let i = 0; i < count; i++) {
    const base = seeds[i % seeds.length];
    let input: Uint8Array;
    const kind = i % 5;
    if (kind === 0) input = Uint8Array.from({ length: Math.floor(r() * 64) }, () => Math.floor(r() * 256));
    else if (kind === 1) { input = base.slice(); const flips = 1 + Math.floor(r() * 8); for (let f = 0; f < flips; f++) { const b = Math.floor(r() * input.length); input[b] ^= 1 << Math.floor(r() * 8); } }
    else if (kind === 2) input = base.slice(0, Math.floor(r() * base.length));
    else if (kind === 3) { input = base.slice(); for (let b = 0; b < Math.min(24, input.length); b++) if (r() < 0.3) input[b] = Math.floor(r() * 256); }
    else { input = base.slice(); const at = Math.floor(r() * input.length); for (let b = at; b < input.length; b++) input[b] = Math.floor(r() * 256); }
    const t0 = performance.now();
    try {
      decodeHyper123(input, { maxSamples: 1 << 20 });
      stats.decoded++;
    } catch (err) {
      if (!(err instanceof Hyper123DecodeError)) throw new Error(`input ${i} (kind ${kind}): untyped ${String(err)} for ${Buffer.from(input).toString("hex").slice(0, 200)}`);
      stats.typedErrors[err.code] = (stats.typedErrors[err.code] ?? 0) + 1;
    }
    stats.maxMs = Math.max(stats.maxMs, performance.now() - t0);
    stats.inputs++;
  }
  return stats;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const count = Number(process.argv[2] ?? 100000), seed = Number(process.argv[3] ?? 1);
  const t0 = performance.now();
  const s = fuzzHyper123(count, seed);
  console.log(JSON.stringify({ ...s, seconds: ((performance.now() - t0) / 1000).toFixed(1) }));
}
