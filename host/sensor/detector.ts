// Detector chain of the emulated pushbroom imager, one line at a time. For band b, column x:
//   s   = (scale_b·ρ + path_b) · (1 + prnu_b,x)            mean signal above dark, DN
//   s   = min(s, fullWellE / electronsPerDn)                full well
//   σ²  = readNoiseDn² + s / electronsPerDn                 read + shot noise (Poisson ≈ Gaussian)
//   DN  = clip(round(s + dark + dsnu_b,x + σ·n), 0, 2^bits − 1),  n ~ N(0, 1)
// prnu and dsnu are fixed per detector column and band (one linear array per band), drawn once
// from the detector seed (by default derived from the profile name: the same instrument keeps its
// pattern from pass to pass). n is an Irwin–Hall sum of four uniform bytes (variance matched to
// 1; tails cut at ±3.45σ). The quantisation adds 1/12 DN² of variance.
import type { Profile } from "../profiles/index.ts";
import { XorShift32, mixSeed } from "./prng.ts";

export interface DetectorParams {
  bitDepth: number;
  maxDn: number;
  readNoiseDn: number;
  electronsPerDn: number;
  fullWellE: number;
  prnuPercent: number;
  /** Mean dark level per band, DN. */
  darkDn: number[];
  dsnuDn: number;
}

export function detectorParams(p: Profile): DetectorParams {
  const s = p.sensor;
  const maxDn = 2 ** s.bitDepth - 1;
  const electronsPerDn = s.electronsPerDn ?? Math.max(1, 80000 / 2 ** s.bitDepth);
  return {
    bitDepth: s.bitDepth, maxDn,
    readNoiseDn: s.readNoiseDn ?? 1,
    electronsPerDn,
    fullWellE: s.fullWellE ?? 1.2 * electronsPerDn * 2 ** s.bitDepth,
    prnuPercent: s.prnuPercent ?? 0.5,
    darkDn: s.bands.map((b) => s.darkSignalDn ?? -b.offset / b.gain),
    dsnuDn: s.dsnuDn ?? 0,
  };
}

/** A stable 32-bit seed from a string (FNV-1a). */
export function stringSeed(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class Detector {
  readonly params: DetectorParams;
  /** Per band × column gain factor 1 + prnu. */
  readonly gain: Float32Array;
  /** Per band × column dark level (mean dark + dsnu), plus 0.5 for rounding. */
  private readonly dark: Float32Array;
  private readonly B: number;
  private readonly P: number;

  constructor(p: Profile, detectorSeed = stringSeed(p.name)) {
    const d = (this.params = detectorParams(p));
    const B = (this.B = p.sensor.bands.length), P = (this.P = p.sensor.pixelsPerLine);
    this.gain = new Float32Array(B * P);
    this.dark = new Float32Array(B * P);
    const rng = new XorShift32(mixSeed(detectorSeed >>> 0, 0xde7));
    for (let b = 0; b < B; b++) {
      for (let x = 0; x < P; x++) {
        const i = b * P + x;
        this.gain[i] = Math.max(0, 1 + (d.prnuPercent / 100) * rng.gauss());
        this.dark[i] = d.darkDn[b] + d.dsnuDn * rng.gauss() + 0.5;
      }
    }
  }

  /**
   * One line: rho holds B×P reflectances (band-major), scale/path the per-band linear maps to
   * the mean signal in DN (see radiometry.bandSignalMaps). noiseSeed selects the line's noise.
   */
  expose(rho: Float32Array, scale: ArrayLike<number>, path: ArrayLike<number>, noiseSeed: number, out = new Uint16Array(this.B * this.P)): Uint16Array {
    const { B, P } = this, d = this.params, gain = this.gain, dark = this.dark;
    const maxDn = d.maxDn, inv = 1 / d.electronsPerDn, read2 = d.readNoiseDn * d.readNoiseDn;
    const well = d.fullWellE / d.electronsPerDn;
    let r = mixSeed(noiseSeed >>> 0, 0x7a11) | 1;
    const K = 1 / 147.8, BIAS = 510;
    for (let b = 0; b < B; b++) {
      const sc = scale[b], pa = path[b], off = b * P;
      for (let x = 0; x < P; x++) {
        const i = off + x;
        let s = (sc * rho[i] + pa) * gain[i];
        if (s > well) s = well;
        else if (s < 0) s = 0;
        r ^= r << 13; r ^= r >>> 17; r ^= r << 5;
        const u = r >>> 0;
        const n = ((u & 255) + ((u >>> 8) & 255) + ((u >>> 16) & 255) + (u >>> 24) - BIAS) * K;
        let dn = s + dark[i] + Math.sqrt(read2 + s * inv) * n;
        dn = dn < 0 ? 0 : dn > maxDn ? maxDn : dn;
        out[i] = dn | 0;
      }
    }
    return out;
  }
}
