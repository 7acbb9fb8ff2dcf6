// The cost model's campaign: for a profile, passes of the metered flight image over lines of
// each kind below, every line's cost in executed WebAssembly instructions (host/cost/run.ts),
// and the figures: mean and worst per kind and over all, and the instructions per second the
// target must sustain for real time at the profile's line rate.
//   ordinary       the synthetic scene (default cloud fraction 0.15)
//   fully-cloudy   the synthetic scene under cloud everywhere (cloud fraction 1)
//   saturated      every sample at full scale (2^bitDepth − 1)
//   noisy          the ordinary scene plus near-Gaussian noise of σ = full scale / 32, clipped
//   max-entropy    every sample uniform random over 0 .. 2^bitDepth − 1 (incompressible)
// Each kind is one pass from boot (configuration table, the lines, end of pass), so that a kind's
// lines are judged with the compressor and screener state that kind produces. Deterministic:
// fixed seeds, and the counter counts instructions, not time.
import type { Profile } from "../profiles/index.ts";
import { derived } from "../profiles/index.ts";
import { syntheticScene } from "../sensor/index.ts";
import { mulberry32 } from "../sensor/prng.ts";
import { configRecord } from "../obc/config-table.ts";
import { encodeLine, encodeEnd } from "../obc/bus.ts";
import { runMetered } from "./run.ts";

export const LINE_KINDS = ["ordinary", "fully-cloudy", "saturated", "noisy", "max-entropy"] as const;
export type LineKind = (typeof LINE_KINDS)[number];

export interface KindFigures { lines: number; mean: number; worst: number; worstLine: number; worstWindowMean: number; configuration: number; endOfPass: number }
export interface ProfileCost {
  profile: string;
  lineRateHz: number;
  linePeriodS: number;
  samplesPerLine: number;
  lines: number;
  mean: number;
  worst: number;
  worstKind: LineKind;
  worstLine: number;
  /** Lines the image processes together (a screening tile row, a CCSDS 121 unit, a CCSDS 123 segment): the window below. */
  windowLines: number;
  /** The highest mean cost of `windowLines` consecutive lines: the rate to sustain with one such window of buffering. */
  worstWindowMean: number;
  /** The costliest end of pass (flushing what the last lines left: not a line, reported apart). */
  endOfPassWorst: number;
  instructionsPerSample: number;
  /** Instructions per second for real time: the mean line at the line rate (with buffering), and every line as costly as the worst. */
  instructionsPerSecondMean: number;
  instructionsPerSecondWorst: number;
  instructionsPerSecondWindow: number;
  boot: number;
  kinds: Record<LineKind, KindFigures>;
  /** Every line's cost per kind, in line order (kept for the test's bound check). */
  perLine?: Record<LineKind, number[]>;
}

/** The lines the image processes together: a screening tile row, else a CCSDS 121 unit or CCSDS 123 segment, else 1. */
export function windowLines(p: Profile): number {
  const img = p.products.image as unknown as { compression: string; screening?: { enabled?: boolean; tileSize?: number }; ccsds121?: { unitLines?: number }; ccsds123?: { segmentLines?: number } };
  if (img.screening?.enabled && img.screening.tileSize) return img.screening.tileSize;
  if (img.compression === "ccsds121" && img.ccsds121?.unitLines) return img.ccsds121.unitLines;
  if (img.compression === "ccsds123" && img.ccsds123?.segmentLines) return img.ccsds123.segmentLines;
  return 1;
}

/** The bus records of one pass of `kind`: configuration, `lines` lines, end of pass. */
export function kindRecords(p: Profile, kind: LineKind, lines: number, seed = 1): Uint8Array[] {
  const B = p.sensor.bands.length, W = p.sensor.pixelsPerLine, depth = p.sensor.bitDepth, full = 2 ** depth - 1;
  const scene = syntheticScene(p, { seed, lines, cloudFraction: kind === "fully-cloudy" ? 1 : undefined });
  const rand = mulberry32(seed * 7919 + LINE_KINDS.indexOf(kind));
  const sigma = 2 ** depth / 32;
  const recs: Uint8Array[] = [configRecord(p)];
  let n = 0;
  for (let l = scene.next(); l; l = scene.next(), n++) {
    const s = l.samples;
    if (kind === "saturated") s.fill(full);
    else if (kind === "max-entropy") for (let i = 0; i < s.length; i++) s[i] = Math.floor(rand() * (full + 1));
    else if (kind === "noisy") {
      for (let i = 0; i < s.length; i++) {
        const g = (rand() + rand() + rand() + rand() - 2) * Math.sqrt(3);   // mean 0, σ 1
        s[i] = Math.min(full, Math.max(0, Math.round(s[i] + sigma * g)));
      }
    }
    recs.push(encodeLine({ ...l, samples: s, bands: B, pixels: W, bitDepth: depth }));
  }
  recs.push(encodeEnd(n));
  return recs;
}

/** Runs the campaign for one profile on the metered module; throws if a pass does not end cleanly. */
export function profileCost(p: Profile, module: WebAssembly.Module, linesPerKind: number, o: { keepLines?: boolean; kinds?: readonly LineKind[] } = {}): ProfileCost {
  const d = derived(p);
  const kinds = {} as Record<LineKind, KindFigures>;
  const perLine = {} as Record<LineKind, number[]>;
  let boot = 0;
  for (const kind of o.kinds ?? LINE_KINDS) {
    const recs = kindRecords(p, kind, linesPerKind);
    const run = runMetered(module, recs);
    if (run.trap || run.exitCode !== 0) throw new Error(`cost campaign, profile ${p.name}, ${kind} lines: the flight image ${run.trap ? `trapped (${run.trap})` : `exited ${run.exitCode}`}; log: ${run.log.split("\n").slice(0, 4).join(" | ")}`);
    if (/tengri: reject/.test(run.log)) throw new Error(`cost campaign, profile ${p.name}, ${kind} lines: the flight image rejected records: ${run.log.split("\n").filter((x) => /tengri: reject/.test(x)).slice(0, 2).join(" | ")}`);
    const costs = run.perRecord.slice(1, -1);
    let worst = 0, worstLine = 0, sum = 0;
    costs.forEach((c, i) => { sum += c; if (c > worst) { worst = c; worstLine = i; } });
    const w = Math.min(windowLines(p), costs.length);
    let win = 0, worstWin = 0;
    costs.forEach((c, i) => { win += c - (i >= w ? costs[i - w] : 0); if (i >= w - 1) worstWin = Math.max(worstWin, win / w); });
    kinds[kind] = { lines: costs.length, mean: sum / costs.length, worst, worstLine, worstWindowMean: worstWin, configuration: run.perRecord[0], endOfPass: run.perRecord.at(-1)! };
    perLine[kind] = costs;
    boot = run.boot;
  }
  const all = Object.entries(kinds) as [LineKind, KindFigures][];
  const lines = all.reduce((s, [, k]) => s + k.lines, 0);
  const mean = all.reduce((s, [, k]) => s + k.mean * k.lines, 0) / lines;
  const [worstKind, wk] = all.reduce((a, b) => (b[1].worst > a[1].worst ? b : a));
  const samples = p.sensor.bands.length * p.sensor.pixelsPerLine;
  const worstWindowMean = Math.max(...all.map(([, k]) => k.worstWindowMean));
  return {
    profile: p.name, lineRateHz: p.sensor.lineRateHz, linePeriodS: d.linePeriodS, samplesPerLine: samples, lines, mean, worst: wk.worst, worstKind, worstLine: wk.worstLine,
    windowLines: windowLines(p), worstWindowMean, endOfPassWorst: Math.max(...all.map(([, k]) => k.endOfPass)),
    instructionsPerSample: mean / samples,
    instructionsPerSecondMean: mean / d.linePeriodS, instructionsPerSecondWorst: wk.worst / d.linePeriodS, instructionsPerSecondWindow: worstWindowMean / d.linePeriodS,
    boot, kinds, ...(o.keepLines ? { perLine } : {}),
  };
}
