// Co-registered panchromatic and multispectral scenes (issue 13 §1): one surface, two geometries.
// The synthetic surface (synthetic.ts) is generated at the pan geometry (k× the pixels per line
// and the line rate, GSD / k) in the multispectral bands' wavelengths. Then, for every
// multispectral line j and pan lines k·j … k·j + k − 1:
//   pan:  ρ_pan(x, y) = Σ_b w_b · ρ_b(x, y)   (w_b: the share of the pan passband each band covers)
//         through the pan detector (its own profile: one band, its gain, noise, PRNU, bit depth);
//   MS:   ρ̄_b(i, j) = the k×k area average of ρ_b over the pan pixels under the MS pixel, then
//         the bands' own MTF (a separable 3-tap blur [a, 1−2a, a], across and along track, one MS
//         line of look-ahead), through the multispectral detector (the profile's bands).
// So the k×k average of the pan reflectance equals Σ_b w_b ρ̄_b before the MTF (tests/host/sensor).
// Time tags: pan line n at start + n / (k · lineRateHz), MS line j at start + j / lineRateHz, so
// MS line j and pan line k·j carry the same time tag. Memory: k + 2 lines of each geometry.
import type { Profile } from "../profiles/index.ts";
import { Imager } from "./imager.ts";
import { mixSeed } from "./prng.ts";
import { syntheticScene, type SyntheticOptions } from "./synthetic.ts";
import { SceneError, type SensorLine } from "./types.ts";

/** The pan channel as a one-band profile at its own geometry (k× pixels and line rate, GSD / k). */
export function panProfile(p: Profile): Profile {
  const s = p.sensor.panchromatic;
  if (!s) throw new SceneError("sensor.panchromatic", "the profile has no panchromatic channel");
  const k = s.ratio;
  return {
    ...p, name: `${p.name}/pan`,
    sensor: {
      bitDepth: s.bitDepth, pixelsPerLine: k * p.sensor.pixelsPerLine, gsdM: p.sensor.gsdM / k, lineRateHz: k * p.sensor.lineRateHz,
      readNoiseDn: s.readNoiseDn, electronsPerDn: s.electronsPerDn, fullWellE: s.fullWellE, prnuPercent: s.prnuPercent, bands: [s.band],
    },
  };
}

/** The multispectral bands at the pan geometry: the grid the surface is generated on. */
function fineProfile(p: Profile): Profile {
  const pan = panProfile(p);
  return { ...p, name: `${p.name}/fine`, sensor: { ...p.sensor, pixelsPerLine: pan.sensor.pixelsPerLine, gsdM: pan.sensor.gsdM, lineRateHz: pan.sensor.lineRateHz, panchromatic: undefined } };
}

/** Per band, the share of the pan passband it covers (overlap of the passbands, normalised to 1). */
export function panWeights(p: Profile): number[] {
  const s = p.sensor.panchromatic;
  if (!s) throw new SceneError("sensor.panchromatic", "the profile has no panchromatic channel");
  const lo = s.band.centreNm - s.band.widthNm / 2, hi = s.band.centreNm + s.band.widthNm / 2;
  const w = p.sensor.bands.map((b) => Math.max(0, Math.min(hi, b.centreNm + b.widthNm / 2) - Math.max(lo, b.centreNm - b.widthNm / 2)));
  const sum = w.reduce((a, x) => a + x, 0);
  if (!(sum > 0)) throw new SceneError("sensor.panchromatic.band", "the pan passband overlaps none of the bands");
  return w.map((x) => x / sum);
}

export interface MultiResOptions extends Omit<SyntheticOptions, "lines" | "reflectance" | "expose" | "truth"> {
  /** Multispectral lines (the pan channel gets ratio × as many). */
  lines: number;
  /** The bands' MTF neighbour weight (default: the profile's sensor.panchromatic.msMtf, else 0.1). */
  msMtf?: number;
  /** Attach the reflectances (pan ρ, MS area average before and after the MTF). */
  truth?: boolean;
}

export interface MultiResLine {
  /** The multispectral line j (B × P, band-interleaved by line). */
  ms: SensorLine;
  /** Pan lines k·j … k·j + k − 1 (k·P pixels each). */
  pan: SensorLine[];
  truth?: { panRho: Float32Array[]; msAverage: Float32Array; msRho: Float32Array; cloud?: Uint8Array[] };
}

export interface MultiResSource {
  readonly bands: number;
  readonly pixels: number;
  readonly ratio: number;
  readonly panPixels: number;
  /** Multispectral lines. */
  readonly lines: number;
  next(): MultiResLine | null;
}

export function multiResScene(p: Profile, o: MultiResOptions): MultiResSource {
  if (!Number.isInteger(o.lines) || o.lines < 0) throw new SceneError("lines", "must be a non-negative integer");
  const pp = panProfile(p), fine = fineProfile(p);
  const k = p.sensor.panchromatic!.ratio, B = p.sensor.bands.length, P = p.sensor.pixelsPerLine, KP = k * P;
  const a = o.msMtf ?? p.sensor.panchromatic!.msMtf ?? 0.1;
  if (!(a >= 0 && a <= 0.25)) throw new SceneError("msMtf", "must be within 0..0.25");
  const w = panWeights(p);
  const surface = syntheticScene(fine, { ...o, lines: k * o.lines, reflectance: true, expose: false, truth: o.truth });
  const msImager = new Imager(p, { seed: o.seed, detectorSeed: o.detectorSeed, atmosphere: o.atmosphere });
  const panImager = new Imager(pp, { seed: mixSeed(o.seed >>> 0, 0x9a4c), detectorSeed: o.detectorSeed === undefined ? undefined : mixSeed(o.detectorSeed, 0x9a4c), atmosphere: o.atmosphere });

  interface Pending { j: number; avg: Float32Array; pan: SensorLine[]; panRho: Float32Array[]; cloud?: Uint8Array[] }
  /** Reads the k fine lines of MS line j: pan lines exposed, the bands' k×k area average. */
  const read = (j: number): Pending => {
    const avg = new Float32Array(B * P), pan: SensorLine[] = [], panRho: Float32Array[] = [], cloud: Uint8Array[] = [];
    const inv = 1 / (k * k);
    for (let i = 0; i < k; i++) {
      const f = surface.next()!;
      const rho = f.rho!;
      const rp = new Float32Array(KP);
      for (let b = 0; b < B; b++) {
        const wb = w[b], off = b * KP, aoff = b * P;
        for (let x = 0; x < KP; x++) {
          const v = rho[off + x];
          rp[x] += wb * v;
          avg[aoff + ((x / k) | 0)] += v * inv;
        }
      }
      pan.push(panImager.expose(k * j + i, rp));
      if (o.truth) { panRho.push(rp); if (f.cloud) cloud.push(f.cloud); }
    }
    return { j, avg, pan, panRho, cloud: o.truth ? cloud : undefined };
  };
  /** The bands' MTF: [a, 1−2a, a] along track (prev, cur, next) then across track, edges replicated. */
  const mtf = (prev: Float32Array, cur: Float32Array, next: Float32Array): Float32Array => {
    const along = new Float32Array(B * P), out = new Float32Array(B * P), c = 1 - 2 * a;
    for (let i = 0; i < B * P; i++) along[i] = a * prev[i] + c * cur[i] + a * next[i];
    for (let b = 0; b < B; b++) {
      const off = b * P;
      for (let x = 0; x < P; x++) {
        const l = along[off + (x > 0 ? x - 1 : x)], r = along[off + (x < P - 1 ? x + 1 : x)];
        out[off + x] = a * l + c * along[off + x] + a * r;
      }
    }
    return out;
  };

  let prev: Pending | null = null, cur: Pending | null = null, j = 0;
  return {
    bands: B, pixels: P, ratio: k, panPixels: KP, lines: o.lines,
    next(): MultiResLine | null {
      if (j >= o.lines) return null;
      if (!cur) cur = read(0);
      const nxt = j + 1 < o.lines ? read(j + 1) : null;
      const c = cur!;
      const msRho = mtf((prev ?? c).avg, c.avg, (nxt ?? c).avg);
      const ms = msImager.expose(j, msRho);
      const line: MultiResLine = { ms, pan: c.pan };
      if (o.truth) line.truth = { panRho: c.panRho, msAverage: c.avg, msRho, cloud: c.cloud };
      prev = c; cur = nxt; j++;
      return line;
    },
  };
}
