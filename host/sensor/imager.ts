// The emulated imager for reflectance scenes: pass geometry (Sun per line), radiometry
// (atmosphere, radiance, calibration) and the detector chain, turning one line of surface
// reflectance into one line of DN with its time tag. Also a uniform-reflectance scene for
// radiometric tests and calibration.
import type { Profile } from "../profiles/index.ts";
import { Detector, stringSeed } from "./detector.ts";
import { PassGeometry, checkPassGeometry, type PassPoint } from "./geometry.ts";
import { mixSeed } from "./prng.ts";
import { bandSignalMaps } from "./radiometry.ts";
import { lineTime } from "./time.ts";
import { SceneError, type SceneSource, type SensorLine } from "./types.ts";

export interface ImagerOptions {
  /** Seed of the line noise. */
  seed: number;
  /** Seed of the fixed pattern (PRNU, DSNU); default from the profile name. */
  detectorSeed?: number;
  /** Apply the atmosphere (path reflectance and transmittance); default true. */
  atmosphere?: boolean;
}

export interface LineRadiometry {
  point: PassPoint;
  /** cos of the solar zenith angle (≤ 0 at night). */
  cosS: number;
  /** Per band: mean signal DN per unit surface reflectance. */
  scale: Float64Array;
  /** Per band: path-radiance signal DN. */
  path: Float64Array;
  /** Per band: diffuse share of the ground irradiance. */
  diffuse: Float64Array;
}

export class Imager {
  readonly geometry: PassGeometry;
  readonly detector: Detector;
  private readonly noiseSeed: number;
  private readonly atmosphere: boolean;
  constructor(readonly profile: Profile, o: ImagerOptions) {
    checkPassGeometry(profile);
    this.geometry = new PassGeometry(profile);
    this.detector = new Detector(profile, o.detectorSeed ?? stringSeed(profile.name));
    this.noiseSeed = mixSeed(o.seed >>> 0, 0x1a6e);
    this.atmosphere = o.atmosphere ?? true;
  }

  /** Sun, position and per-band linear maps for line n. */
  radiometry(n: number): LineRadiometry {
    const point = this.geometry.atLine(n);
    const cosS = Math.cos((point.sun.zenithDeg * Math.PI) / 180);
    const m = bandSignalMaps(this.profile, cosS, point.sun.earthSunAu, this.atmosphere);
    return { point, cosS, ...m };
  }

  /** Line n from B×P surface reflectances (band-major). */
  expose(n: number, rho: Float32Array, r: LineRadiometry = this.radiometry(n)): SensorLine {
    const samples = this.detector.expose(rho, r.scale, r.path, (this.noiseSeed ^ Math.imul(n + 1, 0x2545f491)) >>> 0);
    const t = lineTime(this.profile, n);
    return { counter: n >>> 0, timeCoarse: t.coarse, timeFine: t.fine, samples };
  }
}

export interface UniformOptions extends ImagerOptions {
  lines: number;
  /** Surface reflectance, one for all bands or one per band. */
  reflectance: number | number[];
}

/** A scene of one uniform surface reflectance through the full imager model. */
export function uniformScene(p: Profile, o: UniformOptions): SceneSource {
  if (!Number.isInteger(o.lines) || o.lines < 0) throw new SceneError("lines", "must be a non-negative integer");
  const B = p.sensor.bands.length, P = p.sensor.pixelsPerLine;
  const refl = typeof o.reflectance === "number" ? new Array(B).fill(o.reflectance) : o.reflectance;
  if (refl.length !== B || refl.some((v) => !(v >= 0 && v <= 2))) throw new SceneError("reflectance", `one value within 0..2 for all bands or one per band (${B})`);
  const imager = new Imager(p, o);
  const rho = new Float32Array(B * P);
  for (let b = 0; b < B; b++) rho.fill(refl[b], b * P, (b + 1) * P);
  let n = 0;
  return {
    bands: B, pixels: P, lines: o.lines,
    next() { return n < o.lines ? imager.expose(n++, rho) : null; },
  };
}
