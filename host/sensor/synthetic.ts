// Deterministic synthetic pushbroom scene: land-cover patches with noise-shaped boundaries,
// per-class reflectance spectra evaluated at each band's centre wavelength (so any band set
// works), spatial texture and soft-edged, spectrally flat clouds. Reflectance becomes
// at-sensor radiance L = ESUN·cos(θs)·ρ / (π·d²) and then DN = (L − offset) / gain, with read
// noise, rounded and clipped to the bit depth. Every field is addressed by (pixel, line), so a
// line is generated alone in memory proportional to one line.
import type { Profile } from "../profiles/index.ts";
import { LineNoise } from "./noise.ts";
import { XorShift32, hash3, mixSeed } from "./prng.ts";
import { passSolarGeometry } from "./solar.ts";
import { lineTime } from "./time.ts";
import { SceneError, type SceneSource, type SensorLine } from "./types.ts";

export interface SyntheticOptions {
  seed: number;
  lines: number;
  /** Fraction of the scene under cloud (α > 0.5), 0..1; default 0.15. */
  cloudFraction?: number;
  /** Attach a per-line truth mask (1 = cloud) as `cloud` on each line. */
  truth?: boolean;
}

export interface SyntheticLine extends SensorLine { cloud?: Uint8Array }
export interface SyntheticSource extends SceneSource { next(): SyntheticLine | null }

export const LandCover = { Water: 0, Vegetation: 1, Soil: 2, Urban: 3, Sand: 4 } as const;
export type LandCover = (typeof LandCover)[keyof typeof LandCover];
const CLASSES = 5;

const g = (l: number, c: number, w: number) => Math.exp(-(((l - c) / w) ** 2));
const sig = (t: number) => 1 / (1 + Math.exp(-t));
const rise = (l: number, scale: number) => 1 - Math.exp(-Math.max(0, l - 380) / scale);

/** Two end-member reflectance spectra per class (ρ at wavelength λ in nm); pixels mix between them. */
export function endMembers(cls: LandCover, l: number): [number, number] {
  switch (cls) {
    case LandCover.Water: {
      const clear = 0.004 + 0.07 * Math.exp(-Math.max(0, l - 420) / 90) + 0.01 * g(l, 560, 40);
      return [clear, clear + 0.035 * g(l, 600, 80) + 0.015 * g(l, 700, 50)];
    }
    case LandCover.Vegetation: {
      const dense = 0.025 + 0.055 * g(l, 555, 32) - 0.012 * g(l, 675, 18) + 0.43 * sig((l - 718) / 11) - 0.05 * g(l, 970, 25);
      const soil = 0.08 + 0.3 * rise(l, 300);
      return [0.55 * soil + 0.45 * dense, dense];
    }
    case LandCover.Soil: {
      const dry = 0.08 + 0.3 * rise(l, 300) - 0.02 * g(l, 900, 60);
      return [0.6 * dry, dry];
    }
    case LandCover.Urban:
      return [0.08 + 0.04 * (l - 400) / 600, 0.2 + 0.06 * (l - 400) / 600];
    case LandCover.Sand: {
      const s = 0.2 + 0.36 * rise(l, 220);
      return [s, Math.min(0.75, 1.15 * s)];
    }
  }
}

/** Cloud reflectance factor per wavelength: flat, slightly lower in the NIR beyond 800 nm. */
const cloudSpectral = (l: number) => 1 - 0.08 * Math.min(1, Math.max(0, (l - 800) / 200));

function quantile(values: Float64Array, q: number): number {
  const s = Float64Array.from(values).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.floor(q * s.length)))];
}

export function syntheticScene(p: Profile, opts: SyntheticOptions): SyntheticSource {
  if (!Number.isInteger(opts.lines) || opts.lines < 0) throw new SceneError("lines", "must be a non-negative integer");
  if (!Number.isFinite(opts.seed)) throw new SceneError("seed", "must be a finite number");
  const cloudFraction = opts.cloudFraction ?? 0.15;
  if (!(cloudFraction >= 0 && cloudFraction <= 1)) throw new SceneError("cloudFraction", "must be within 0..1");

  const P = p.sensor.pixelsPerLine, B = p.sensor.bands.length, gsd = p.sensor.gsdM;
  const maxDn = 2 ** p.sensor.bitDepth - 1;
  const sigma = p.sensor.readNoiseDn ?? 1;
  const seed = mixSeed(opts.seed >>> 0, 0x5eed);
  const px = (metres: number[]) => metres.map((m) => Math.max(1.5, m / gsd));
  const fieldA = new LineNoise(mixSeed(seed, 1), px([4000, 1500, 500, 150]), [1, 0.5, 0.25, 0.12], P);
  const fieldB = new LineNoise(mixSeed(seed, 2), px([5000, 1800, 600, 180]), [1, 0.5, 0.25, 0.12], P);
  const fieldM = new LineNoise(mixSeed(seed, 3), px([800, 200, 60]), [1, 0.5, 0.25], P);
  const fieldT = new LineNoise(mixSeed(seed, 4), px([40, 16]), [1, 0.6], P);
  const cloudW = [1, 0.6, 0.4, 0.25, 0.15, 0.08];
  const fieldK = new LineNoise(mixSeed(seed, 5), px([6000, 3000, 1500, 700, 300, 120]), cloudW, P);
  const kSum = cloudW.reduce((a, b) => a + b, 0);
  const parcelPx = Math.max(2, 300 / gsd), parcelSeed = mixSeed(seed, 6);

  // Thresholds from the fields' own distributions, sampled at fixed pseudo-random points.
  const N = 4096, sa = new Float64Array(N), sb = new Float64Array(N), sk = new Float64Array(N);
  const pick = new XorShift32(mixSeed(seed, 7));
  const yRange = Math.max(opts.lines, 1); // calibrated on this scene's own extent
  for (let i = 0; i < N; i++) {
    const x = pick.next() * P, y = pick.next() * yRange;
    sa[i] = fieldA.at(x, y); sb[i] = fieldB.at(x, y); sk[i] = fieldK.at(x, y);
  }
  const qA10 = quantile(sa, 0.1), qA45 = quantile(sa, 0.45), qB12 = quantile(sb, 0.12), qB85 = quantile(sb, 0.85);
  const kT = cloudFraction <= 0 ? Infinity : cloudFraction >= 1 ? -Infinity : quantile(sk, 1 - cloudFraction);
  const kEdge = 0.04 * kSum, kThick = 0.35 * kSum;

  // Per band: reflectance → DN scale and dark level, end-member tables, cloud spectral factor.
  const sun = passSolarGeometry(p);
  const cosZ = Math.max(0, Math.cos((sun.zenithDeg * Math.PI) / 180));
  const aB = new Float64Array(B), cB = new Float64Array(B), cloudB = new Float64Array(B);
  const base = new Float64Array(CLASSES * B), delta = new Float64Array(CLASSES * B);
  p.sensor.bands.forEach((b, i) => {
    aB[i] = (b.solarIrradiance * cosZ) / (Math.PI * sun.earthSunAu ** 2 * b.gain);
    cB[i] = -b.offset / b.gain;
    cloudB[i] = cloudSpectral(b.centreNm);
    for (let c = 0; c < CLASSES; c++) {
      const [e0, e1] = endMembers(c as LandCover, b.centreNm);
      base[c * B + i] = Math.max(0, e0);
      delta[c * B + i] = Math.max(0, e1) - Math.max(0, e0);
    }
  });

  const A = new Float64Array(P), Bf = new Float64Array(P), M = new Float64Array(P), T = new Float64Array(P), K = new Float64Array(P);
  const cls = new Uint8Array(P), mix = new Float32Array(P), tex = new Float32Array(P), alpha = new Float32Array(P), rhoC = new Float32Array(P);
  let n = 0;

  return {
    bands: B, pixels: P, lines: opts.lines,
    next(): SyntheticLine | null {
      if (n >= opts.lines) return null;
      const y = n;
      fieldA.line(y, A); fieldB.line(y, Bf); fieldM.line(y, M); fieldT.line(y, T); fieldK.line(y, K);
      const rng = new XorShift32(mixSeed(seed, 0x10000 + y));
      const cloud = opts.truth ? new Uint8Array(P) : undefined;
      for (let x = 0; x < P; x++) {
        const a = A[x], b = Bf[x];
        const c: LandCover = a < qA10 ? LandCover.Water : b > qB85 ? LandCover.Sand : b < qB12 ? LandCover.Urban : a < qA45 ? LandCover.Soil : LandCover.Vegetation;
        cls[x] = c;
        const parcel = hash3(parcelSeed, Math.floor((x + 0.3 * M[x] * parcelPx) / parcelPx), Math.floor(y / parcelPx)) / 4294967296;
        const m = c === LandCover.Vegetation || c === LandCover.Soil ? 0.55 * parcel + 0.45 * (0.5 + 0.5 * M[x] / 1.75) : 0.5 + 0.5 * M[x] / 1.75;
        mix[x] = Math.min(1, Math.max(0, m));
        tex[x] = 1 + 0.06 * T[x] / 1.6 + 0.03 * (rng.next() - 0.5);
        const k = K[x] - kT;
        const t = Math.min(1, Math.max(0, (k + kEdge) / (2 * kEdge)));
        alpha[x] = t * t * (3 - 2 * t);
        rhoC[x] = 0.55 + 0.35 * Math.min(1, Math.max(0, k / kThick));
        if (cloud) cloud[x] = alpha[x] > 0.5 ? 1 : 0;
      }
      const samples = new Uint16Array(B * P);
      let r = rng.nextU32() | 1; // read noise: inline xorshift32, Irwin–Hall of four bytes ≈ N(0, 1)
      const nScale = sigma / 147.8, nBias = 0.5 - 510 * nScale;
      for (let bi = 0; bi < B; bi++) {
        const ab = aB[bi], cb = cB[bi] + nBias, cf = cloudB[bi], off = bi * P;
        for (let x = 0; x < P; x++) {
          const ci = cls[x] * B + bi;
          const rs = (base[ci] + mix[x] * delta[ci]) * tex[x];
          const rho = rs + alpha[x] * (rhoC[x] * cf - rs);
          r ^= r << 13; r ^= r >>> 17; r ^= r << 5;
          const u = r >>> 0;
          let dn = ab * rho + cb + nScale * ((u & 255) + ((u >>> 8) & 255) + ((u >>> 16) & 255) + (u >>> 24));
          dn = dn < 0 ? 0 : dn > maxDn ? maxDn : dn;
          samples[off + x] = dn | 0;
        }
      }
      const tt = lineTime(p, y);
      n++;
      return { counter: y >>> 0, timeCoarse: tt.coarse, timeFine: tt.fine, samples, cloud };
    },
  };
}
