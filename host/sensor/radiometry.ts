// Radiometric model of the emulated imager, per band: surface reflectance → top-of-atmosphere
// (TOA) reflectance → at-sensor radiance → mean signal in DN. The detector chain (noise, PRNU,
// saturation) is in detector.ts.
//
// Formulas (nadir view, μv = 1; λ in µm; μs = cos θs):
//  Rayleigh optical depth (sea level):      τR = 0.008569 λ⁻⁴ (1 + 0.0113 λ⁻² + 0.00013 λ⁻⁴)
//                                            (Hansen & Travis 1974, Space Sci. Rev. 16, eq. 2.29)
//  Aerosol optical depth (Ångström law):    τa = τa(550 nm) · (λ / 0.55)^−α
//  Path reflectance, single scattering:     ρpath = [τR·PR(Θ) + ωa·τa·Pa(Θ)] / (4 μs μv)
//     PR(Θ) = ¾(1 + cos²Θ), Pa = Henyey–Greenstein with g = 0.7, ωa = 0.9, cos Θ = −μs μv
//     for a nadir view (the single-scattering approximation of Gordon & Wang 1994, Appl. Opt.
//     33, 443, for the Rayleigh term; the aerosol term is its analogue).
//  Diffuse (direct + sky) transmittance:    t(μ) = exp(−[τR/2 + (1 − ωa·(1+g)/2)·τa] / μ)
//     (Gordon et al. 1983: half of the Rayleigh scattering goes forward; aerosols scatter
//     mostly forward, the rest is lost from the beam)
//  TOA reflectance:                          ρTOA = ρpath + t(μs)·t(μv)·ρs
//     (no surface–atmosphere multiple reflection term S·ρs: below 2 % for ρs < 0.5 in the
//     visible; clouds and haze are composited into ρs below the atmosphere)
//  At-sensor radiance:                       L = ESUN · μs · ρTOA / (π d²)   [W m⁻² sr⁻¹ µm⁻¹]
//  Mean DN:                                  DN = (L − offset) / gain (calibration of the profile)
//  Fraction of the ground irradiance that is diffuse sky light (what a cloud shadow keeps):
//     fdiff = 1 − exp(−(τR + τa)/μs) / t(μs)
// Ozone and water vapour absorption are not modelled (the bands avoid their strong lines).
import type { BandProfile, Profile } from "../profiles/index.ts";

export const HG_ASYMMETRY = 0.7;
export const AEROSOL_SSA = 0.9;

export function rayleighOpticalDepth(nm: number): number {
  const l = nm / 1000, l2 = 1 / (l * l);
  return 0.008569 * l2 * l2 * (1 + 0.0113 * l2 + 0.00013 * l2 * l2);
}

export function aerosolOpticalDepth(nm: number, aod550: number, angstrom: number): number {
  return aod550 * Math.pow(nm / 550, -angstrom);
}

function henyeyGreenstein(cosT: number, g: number): number {
  return (1 - g * g) / Math.pow(1 + g * g - 2 * g * cosT, 1.5);
}

export interface BandAtmosphere {
  tauR: number;
  tauA: number;
  /** Single-scattering path reflectance. */
  pathReflectance: number;
  /** Downward (Sun → ground) diffuse transmittance t(μs). */
  tDown: number;
  /** Upward (ground → sensor) diffuse transmittance t(μv). */
  tUp: number;
  /** Share of the ground irradiance that comes from the sky (not the direct beam). */
  diffuseFraction: number;
}

export interface AtmosphereParams { aod550: number; angstrom: number }

export function atmosphereParams(p: Profile): AtmosphereParams {
  return { aod550: p.pass.aerosolOpticalDepth ?? 0.1, angstrom: p.pass.angstromExponent ?? 1.3 };
}

/** Atmosphere of one band for a Sun at zenith angle θs (cosS = cos θs > 0), nadir view. */
export function bandAtmosphere(nm: number, cosS: number, a: AtmosphereParams, cosV = 1): BandAtmosphere {
  const mus = Math.max(cosS, 0.01), muv = Math.max(cosV, 0.01);
  const tauR = rayleighOpticalDepth(nm), tauA = aerosolOpticalDepth(nm, a.aod550, a.angstrom);
  const cosT = -mus * muv; // scattering angle cosine for the Sun → ground-ish → nadir sensor geometry
  const pR = 0.75 * (1 + cosT * cosT), pA = henyeyGreenstein(cosT, HG_ASYMMETRY);
  const pathReflectance = (tauR * pR + AEROSOL_SSA * tauA * pA) / (4 * mus * muv);
  const ext = tauR / 2 + (1 - AEROSOL_SSA * (1 + HG_ASYMMETRY) / 2) * tauA;
  const tDown = Math.exp(-ext / mus), tUp = Math.exp(-ext / muv);
  const diffuseFraction = Math.max(0, 1 - Math.exp(-(tauR + tauA) / mus) / tDown);
  return { tauR, tauA, pathReflectance, tDown, tUp, diffuseFraction };
}

/** TOA reflectance of a surface reflectance under this atmosphere. */
export function toaReflectance(rhoSurface: number, atm: BandAtmosphere): number {
  return atm.pathReflectance + atm.tDown * atm.tUp * rhoSurface;
}

/** At-sensor radiance from TOA reflectance (W m⁻² sr⁻¹ µm⁻¹). */
export function radianceFromToa(rhoToa: number, esun: number, cosS: number, earthSunAu: number): number {
  return (esun * Math.max(0, cosS) * rhoToa) / (Math.PI * earthSunAu * earthSunAu);
}

/** Mean DN of a radiance under the profile's calibration L = gain·DN + offset. */
export function dnFromRadiance(L: number, b: BandProfile): number {
  return (L - b.offset) / b.gain;
}

/**
 * Per band, the linear map surface reflectance → mean signal above the dark level in DN for one
 * Sun geometry: signalDn = scale·ρs + path. Both zero when the Sun is below the horizon.
 */
export function bandSignalMaps(p: Profile, cosS: number, earthSunAu: number, withAtmosphere = true): { scale: Float64Array; path: Float64Array; diffuse: Float64Array } {
  const B = p.sensor.bands.length, a = atmosphereParams(p);
  const scale = new Float64Array(B), path = new Float64Array(B), diffuse = new Float64Array(B);
  if (!(cosS > 0)) return { scale, path, diffuse };
  p.sensor.bands.forEach((b, i) => {
    const toDn = (b.solarIrradiance * cosS) / (Math.PI * earthSunAu * earthSunAu * b.gain);
    if (withAtmosphere) {
      const atm = bandAtmosphere(b.centreNm, cosS, a);
      scale[i] = toDn * atm.tDown * atm.tUp;
      path[i] = toDn * atm.pathReflectance;
      diffuse[i] = atm.diffuseFraction;
    } else {
      scale[i] = toDn;
    }
  });
  return { scale, path, diffuse };
}
