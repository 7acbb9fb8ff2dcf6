// Deterministic synthetic pushbroom scene, generated one line at a time (memory ∝ one line):
// - terrain: a fractal elevation field (lakes in the lows, snow on the highest tops) with
//   hill shading from the local slope (x from the line, y from the previous line) and the Sun
//   of that line (pass geometry: the Sun moves along the pass);
// - land cover with per-class reflectance spectra evaluated at each band's centre wavelength
//   (so any band set works): water, vegetation, soil, urban, sand, snow, bright (reddish) bare
//   soil and bright roofs; parcels and texture inside each class;
// - the screener's false-positive traps: snow (bright, flat in the VNIR), sand and bright bare
//   soil (bright, rising to the red/NIR), bright roofs (bright, flat), sun glint on water (a
//   Cox–Munk wave-slope model: strong when the Sun is high and the wind light, weak otherwise);
// - clouds: a thresholded multi-octave noise field (cumulus to stratus scales), opacity ramping
//   over a fractal edge (thin, semi-transparent margins), reflectance growing with thickness;
//   thin haze from a separate low-frequency field; cloud shadows: the same cloud field looked up
//   at the ground point displaced by H·tan θs toward the Sun (H the cloud height), darkening the
//   direct-beam share of the light (the sky-light share stays, per band from the atmosphere).
// The reflectance then goes through the imager model (imager.ts): atmosphere, radiance,
// calibration, detector noise, PRNU, saturation.
// Image axes: x across track, increasing to the right of the flight direction; y = line.
import type { Profile } from "../profiles/index.ts";
import { Imager } from "./imager.ts";
import { LineNoise } from "./noise.ts";
import { XorShift32, hash3, mixSeed } from "./prng.ts";
import { SceneError, type SceneSource, type SensorLine } from "./types.ts";
import { lineTime } from "./time.ts";

export interface SyntheticOptions {
  seed: number;
  lines: number;
  /** Fraction of the scene under cloud (α > 0.5), 0..1; default 0.15. */
  cloudFraction?: number;
  /** Attach per-line truth: `cloud` (1 = cloud), `shadow` (1 = cloud shadow on clear ground), `cover` (LandCover per pixel). */
  truth?: boolean;
  /** Cloud-base height for the shadows, metres (default 1500). */
  cloudHeightM?: number;
  /** Peak opacity of the thin haze, 0..1 (default 0.12; 0 = none). */
  haze?: number;
  /** Terrain relief amplitude for hill shading, metres (default 400; 0 = flat). */
  reliefM?: number;
  /** Include snow, bright soil and bright roofs (default true). */
  traps?: boolean;
  /** Seed of the detector's fixed pattern (default: from the profile name). */
  detectorSeed?: number;
  /** Apply the atmosphere (default true). */
  atmosphere?: boolean;
  /** Attach a copy of the line's surface reflectance (B×P, band-major) as `rho` (multires.ts builds other geometries from it). */
  reflectance?: boolean;
  /** Run the detector chain (default true); false leaves `samples` empty (only the reflectance is wanted). */
  expose?: boolean;
}

export interface SyntheticLine extends SensorLine { cloud?: Uint8Array; shadow?: Uint8Array; cover?: Uint8Array; rho?: Float32Array }
export interface SyntheticSource extends SceneSource { next(): SyntheticLine | null }

export const LandCover = { Water: 0, Vegetation: 1, Soil: 2, Urban: 3, Sand: 4, Snow: 5, BrightSoil: 6, Roof: 7 } as const;
export type LandCover = (typeof LandCover)[keyof typeof LandCover];
const CLASSES = 8;

const g = (l: number, c: number, w: number) => Math.exp(-(((l - c) / w) ** 2));
const sig = (t: number) => 1 / (1 + Math.exp(-t));
const rise = (l: number, scale: number) => 1 - Math.exp(-Math.max(0, l - 380) / scale);
const snowFresh = (l: number) => 0.96 - 0.22 * (Math.max(0, l - 550) / 450) ** 2;

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
    case LandCover.Snow: {
      const f = snowFresh(l);
      return [0.78 * f - 0.06 * Math.max(0, (l - 500) / 500), f];
    }
    case LandCover.BrightSoil: {
      // Iron-rich bare soil / dry playa: bright and reddish (rises steeply from blue to red).
      const s = 0.1 + 0.4 * (1 - Math.exp(-Math.max(0, l - 400) / 250)) - 0.02 * g(l, 900, 60);
      return [s, 1.2 * s];
    }
    case LandCover.Roof:
      // Bright roofs: concrete / metal to white membranes, spectrally flat.
      return [0.36 + 0.02 * (l - 400) / 600, 0.74 - 0.04 * (l - 400) / 600];
  }
}

/** Cloud reflectance factor per wavelength: flat, slightly lower in the NIR beyond 800 nm. */
const cloudSpectral = (l: number) => 1 - 0.08 * Math.min(1, Math.max(0, (l - 800) / 200));
/** Haze reflectance: bluish (Ångström-like λ⁻¹). */
const hazeSpectral = (l: number) => 0.28 * (550 / l);

/** Fresnel reflectance of water (n = 1.34) for unpolarised light at incidence angle ω. */
export function fresnelWater(cosW: number): number {
  const n = 1.34, ci = Math.min(1, Math.max(0, cosW)), si = Math.sqrt(1 - ci * ci);
  const st = si / n, ct = Math.sqrt(1 - st * st);
  const rs = (ci - n * ct) / (ci + n * ct), rp = (n * ci - ct) / (n * ci + ct);
  return 0.5 * (rs * rs + rp * rp);
}

/**
 * Sun-glint reflectance of a wind-roughened water surface (Cox & Munk 1954, isotropic slopes,
 * σ² = 0.003 + 0.00512·W): ρg = π·R(ω)·p(β) / (4 μs μv cos⁴β), p = exp(−tan²β/σ²)/(πσ²), with β
 * the tilt of the facet that mirrors the Sun into the sensor and ω the incidence on it.
 * sun and view are unit vectors (x, y, up) toward the Sun and toward the sensor.
 */
export function glintReflectance(sx: number, sy: number, sz: number, vx: number, vy: number, vz: number, windMps: number): number {
  if (sz <= 0 || vz <= 0) return 0;
  const hx = sx + vx, hy = sy + vy, hz = sz + vz, hn = Math.sqrt(hx * hx + hy * hy + hz * hz);
  const cosB = hz / hn, cosW = hn / 2;
  const tan2 = (1 - cosB * cosB) / (cosB * cosB);
  const s2 = 0.003 + 0.00512 * windMps;
  const pdf = Math.exp(-tan2 / s2) / (Math.PI * s2);
  return (Math.PI * fresnelWater(cosW) * pdf) / (4 * sz * vz * cosB ** 4);
}

function quantile(values: Float64Array, q: number): number {
  const s = Float64Array.from(values).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.floor(q * s.length)))];
}

const smooth = (t: number) => (t <= 0 ? 0 : t >= 1 ? 1 : t * t * (3 - 2 * t));

export function syntheticScene(p: Profile, opts: SyntheticOptions): SyntheticSource {
  if (!Number.isInteger(opts.lines) || opts.lines < 0) throw new SceneError("lines", "must be a non-negative integer");
  if (!Number.isFinite(opts.seed)) throw new SceneError("seed", "must be a finite number");
  const cloudFraction = opts.cloudFraction ?? 0.15;
  if (!(cloudFraction >= 0 && cloudFraction <= 1)) throw new SceneError("cloudFraction", "must be within 0..1");
  const cloudH = opts.cloudHeightM ?? 1500, hazeMax = opts.haze ?? 0.12, relief = opts.reliefM ?? 400;
  if (!(cloudH >= 0 && cloudH <= 20000)) throw new SceneError("cloudHeightM", "must be within 0..20000 m");
  if (!(hazeMax >= 0 && hazeMax <= 1)) throw new SceneError("haze", "must be within 0..1");
  if (!(relief >= 0 && relief <= 5000)) throw new SceneError("reliefM", "must be within 0..5000 m");
  const traps = opts.traps ?? true;

  const imager = new Imager(p, { seed: opts.seed, detectorSeed: opts.detectorSeed, atmosphere: opts.atmosphere });
  const P = p.sensor.pixelsPerLine, B = p.sensor.bands.length, gsd = p.sensor.gsdM;
  const altM = p.spacecraft.orbitAltitudeKm * 1000, wind0 = p.pass.windSpeedMps ?? 5;
  const seed = mixSeed(opts.seed >>> 0, 0x5eed);
  const px = (metres: number[]) => metres.map((m) => Math.max(1.5, m / gsd));
  const fieldA = new LineNoise(mixSeed(seed, 1), px([4000, 1500, 500, 150]), [1, 0.5, 0.25, 0.12], P);
  const fieldB = new LineNoise(mixSeed(seed, 2), px([5000, 1800, 600, 180]), [1, 0.5, 0.25, 0.12], P);
  const fieldM = new LineNoise(mixSeed(seed, 3), px([800, 200, 60]), [1, 0.5, 0.25], P);
  const fieldT = new LineNoise(mixSeed(seed, 4), px([40, 16]), [1, 0.6], P);
  const cloudW = [1, 0.6, 0.4, 0.25, 0.15, 0.08];
  const cloudCells = px([6000, 3000, 1500, 700, 300, 120]);
  const fieldK = new LineNoise(mixSeed(seed, 5), cloudCells, cloudW, P);
  const fieldKs = new LineNoise(mixSeed(seed, 5), cloudCells, cloudW, P); // same field, for the shadow look-up
  const fieldH = new LineNoise(mixSeed(seed, 8), px([9000, 3000]), [1, 0.5], P);
  const kSum = cloudW.reduce((a, b) => a + b, 0);
  const parcelPx = Math.max(2, 300 / gsd), parcelSeed = mixSeed(seed, 6);
  const roofPx = Math.max(2, 32 / gsd), roofSeed = mixSeed(seed, 9);

  // Thresholds from the fields' own distributions, sampled at fixed pseudo-random points.
  const N = 4096, sa = new Float64Array(N), sb = new Float64Array(N), sk = new Float64Array(N), sh = new Float64Array(N);
  const pick = new XorShift32(mixSeed(seed, 7));
  const yRange = Math.max(opts.lines, 1); // calibrated on this scene's own extent
  for (let i = 0; i < N; i++) {
    const x = pick.next() * P, y = pick.next() * yRange;
    sa[i] = fieldA.at(x, y); sb[i] = fieldB.at(x, y); sk[i] = fieldK.at(x, y); sh[i] = fieldH.at(x, y);
  }
  const qA10 = quantile(sa, 0.1), qA45 = quantile(sa, 0.45), qA96 = traps ? quantile(sa, 0.96) : Infinity;
  const qB12 = quantile(sb, 0.12), qB76 = traps ? quantile(sb, 0.76) : Infinity, qB88 = quantile(sb, 0.88);
  const qH50 = quantile(sh, 0.5), qH95 = quantile(sh, 0.95);
  const kT = cloudFraction <= 0 ? Infinity : cloudFraction >= 1 ? -Infinity : quantile(sk, 1 - cloudFraction);
  const kEdge = 0.05 * kSum, kThick = 0.35 * kSum;
  const aScale = relief / Math.max(1e-9, quantile(sa, 0.99) - quantile(sa, 0.01)); // elevation metres per unit of A

  // Per band: end-member tables, cloud and haze spectra.
  const base = new Float64Array(CLASSES * B), delta = new Float64Array(CLASSES * B);
  const cloudB = new Float64Array(B), hazeB = new Float64Array(B);
  p.sensor.bands.forEach((b, i) => {
    cloudB[i] = cloudSpectral(b.centreNm);
    hazeB[i] = hazeSpectral(b.centreNm);
    for (let c = 0; c < CLASSES; c++) {
      const [e0, e1] = endMembers(c as LandCover, b.centreNm);
      base[c * B + i] = Math.max(0, e0);
      delta[c * B + i] = Math.max(0, e1) - Math.max(0, e0);
    }
  });

  const A = new Float64Array(P), Aprev = new Float64Array(P), Bf = new Float64Array(P), M = new Float64Array(P), T = new Float64Array(P);
  const K = new Float64Array(P), Ks = new Float64Array(P), Hz = new Float64Array(P);
  const cls = new Uint8Array(P), mix = new Float32Array(P), tex = new Float32Array(P), alpha = new Float32Array(P), rhoC = new Float32Array(P);
  const light = new Float32Array(P), haze = new Float32Array(P), glint = new Float32Array(P);
  const rho = new Float32Array(B * P);
  // View vector per column (toward the sensor, image axes), fixed for a nadir pushbroom.
  const viewX = new Float64Array(P), viewZ = new Float64Array(P);
  for (let x = 0; x < P; x++) {
    const off = (x + 0.5 - P / 2) * gsd, r = Math.hypot(off, altM);
    viewX[x] = -off / r; viewZ[x] = altM / r;
  }
  let n = 0;
  fieldA.line(-1, Aprev);

  return {
    bands: B, pixels: P, lines: opts.lines,
    next(): SyntheticLine | null {
      if (n >= opts.lines) return null;
      const y = n;
      const rad = imager.radiometry(y);
      const sun = rad.point.sun, cosS = rad.cosS;
      const rel = ((sun.azimuthDeg - rad.point.headingDeg) * Math.PI) / 180;
      const sinS = Math.sqrt(Math.max(0, 1 - cosS * cosS));
      const sx = sinS * Math.sin(rel), sy = sinS * Math.cos(rel), sz = cosS; // toward the Sun, image axes
      // Shadow: the cloud that shades ground point (x, y) sits at (x, y) + H·tan θs toward the Sun.
      const reach = cosS > 0.05 ? Math.min(30000, (cloudH * sinS) / cosS) : 30000;
      const dxs = (reach * Math.sin(rel)) / gsd, dys = Math.round((reach * Math.cos(rel)) / gsd);
      const dxi = Math.floor(dxs);

      fieldA.line(y, A); fieldB.line(y, Bf); fieldM.line(y, M); fieldT.line(y, T); fieldK.line(y, K); fieldKs.line(y + dys, Ks);
      if (hazeMax > 0) fieldH.line(y, Hz);
      const rng = new XorShift32(mixSeed(seed, 0x10000 + y));
      const cloud = opts.truth ? new Uint8Array(P) : undefined;
      const shadowT = opts.truth ? new Uint8Array(P) : undefined;
      const cover = opts.truth ? new Uint8Array(P) : undefined;
      const gz = aScale / gsd;
      for (let x = 0; x < P; x++) {
        const a = A[x], b = Bf[x];
        let c: LandCover = a < qA10 ? LandCover.Water : a > qA96 ? LandCover.Snow : b > qB88 ? LandCover.Sand : b < qB12 ? LandCover.Urban
          : b > qB76 ? LandCover.BrightSoil : a < qA45 ? LandCover.Soil : LandCover.Vegetation;
        if (c === LandCover.Urban && traps) {
          // Blocks of roofPx separated by one-pixel streets; about a third of the roofs are bright.
          const bx = Math.floor(x / roofPx), by = Math.floor(y / roofPx);
          const street = x - Math.ceil(bx * roofPx) < 1 || y - Math.ceil(by * roofPx) < 1;
          if (!street && hash3(roofSeed, bx, by) < 0.35 * 4294967296) c = LandCover.Roof;
        }
        cls[x] = c;
        const parcel = hash3(parcelSeed, Math.floor((x + 0.3 * M[x] * parcelPx) / parcelPx), Math.floor(y / parcelPx)) / 4294967296;
        const m = c === LandCover.Vegetation || c === LandCover.Soil || c === LandCover.BrightSoil ? 0.55 * parcel + 0.45 * (0.5 + 0.5 * M[x] / 1.75) : 0.5 + 0.5 * M[x] / 1.75;
        mix[x] = Math.min(1, Math.max(0, m));
        tex[x] = 1 + 0.06 * T[x] / 1.6 + 0.03 * (rng.next() - 0.5);
        // Cloud opacity and reflectance.
        const k = K[x] - kT;
        alpha[x] = smooth((k + kEdge) / (2 * kEdge));
        rhoC[x] = (0.5 + 0.4 * smooth(k / kThick)) * (1 + 0.04 * T[x] / 1.6);
        // Terrain illumination (lakes are flat), then the cloud shadow on the direct beam.
        let ill = 1;
        if (c !== LandCover.Water && relief > 0 && cosS > 0) {
          const xm = x > 0 ? x - 1 : x, xp = x < P - 1 ? x + 1 : x;
          const dzx = ((A[xp] - A[xm]) / (xp - xm)) * gz, dzy = (a - Aprev[x]) * gz;
          ill = Math.max(0, (sz - sx * dzx - sy * dzy) / Math.sqrt(1 + dzx * dzx + dzy * dzy)) / sz;
        }
        let sIdx = x + dxi;
        sIdx = sIdx < 0 ? 0 : sIdx >= P ? P - 1 : sIdx; // beyond the swath edge: the edge column's cloud
        const ks = Ks[sIdx] - kT;
        const shade = smooth((ks + kEdge) / (2 * kEdge)) * (0.75 + 0.25 * smooth(ks / kThick));
        light[x] = ill * (1 - shade);
        haze[x] = hazeMax > 0 ? hazeMax * smooth((Hz[x] - qH50) / (qH95 - qH50)) : 0;
        // Sun glint on water (local wind varies with the mix field).
        glint[x] = c === LandCover.Water && cosS > 0 ? glintReflectance(sx, sy, sz, viewX[x], 0, viewZ[x], Math.max(0.5, wind0 * (0.6 + 0.4 * mix[x] * 2))) : 0;
        if (cloud) {
          cloud[x] = alpha[x] > 0.5 ? 1 : 0;
          shadowT![x] = alpha[x] <= 0.5 && shade > 0.5 ? 1 : 0;
          cover![x] = c;
        }
      }
      for (let bi = 0; bi < B; bi++) {
        const cf = cloudB[bi], hb = hazeB[bi], fd = Math.max(0.1, rad.diffuse[bi]), off = bi * P;
        for (let x = 0; x < P; x++) {
          const ci = cls[x] * B + bi;
          const lit = fd + (1 - fd) * light[x];
          let rs = (base[ci] + mix[x] * delta[ci]) * tex[x] * lit + glint[x] * light[x];
          rs += haze[x] * (hb - rs);
          rho[off + x] = rs + alpha[x] * (rhoC[x] * cf - rs);
        }
      }
      Aprev.set(A);
      let line: SyntheticLine;
      if (opts.expose ?? true) line = imager.expose(y, rho, rad);
      else { const t = lineTime(p, y); line = { counter: y >>> 0, timeCoarse: t.coarse, timeFine: t.fine, samples: new Uint16Array(0) }; }
      if (opts.reflectance) line.rho = rho.slice();
      if (cloud) { line.cloud = cloud; line.shadow = shadowT; line.cover = cover; }
      n++;
      return line;
    },
  };
}
