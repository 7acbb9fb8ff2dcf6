// One entry point for the CLI and tests: "synthetic", an ENVI cube (a .hdr, or a data file with
// a .hdr beside it), a GeoTIFF (.tif/.tiff) or a raw cube file. A raw file's geometry comes from
// explicit options, else from its name (…_bsq_u16le_…_z224_y83_x86.raw, the convention of
// ../shared/data), else from a sidecar <stem>.json (width, height, nbands, interleave, dtype: the
// cloud tiles' convention).
import { existsSync, readFileSync } from "node:fs";
import type { Profile } from "../profiles/index.ts";
import { rawCubeScene, type RawCubeOptions, type CubeLayout, type SampleType } from "./raw-cube.ts";
import { syntheticScene, type SyntheticOptions } from "./synthetic.ts";
import { enviScene, isEnvi } from "./envi.ts";
import { geoTiffScene, isGeoTiff } from "./geotiff.ts";
import { checkPassGeometry } from "./geometry.ts";
import { SceneError, type SceneSource } from "./types.ts";

export interface OpenSceneOptions extends Partial<Omit<RawCubeOptions, "path" | "repeatLines" | "lines">>,
  Pick<SyntheticOptions, "truth" | "cloudHeightM" | "haze" | "reliefM" | "traps" | "detectorSeed" | "atmosphere"> {
  /** "synthetic" (default) or a path to an ENVI, GeoTIFF or raw cube. */
  scene?: string;
  seed?: number;
  /** Lines to deliver (synthetic: default 2000; raw: default the cube's lines, cycled when more). */
  lines?: number;
  cloudFraction?: number;
  /** Lines in the raw cube, when its name or sidecar does not say. */
  cubeLines?: number;
  /** File format; default from the name: .hdr or a .hdr beside → envi, .tif/.tiff → geotiff, else raw. */
  format?: "raw" | "envi" | "geotiff";
  /** GeoTIFF: centre wavelength of each file band (nm), for band mapping. */
  wavelengthsNm?: number[];
}

/** Geometry from a file name such as salinasA_bsq_u16le_off16_z224_y83_x86.raw, or from a sidecar JSON. */
export function cubeGeometry(path: string): Partial<RawCubeOptions> {
  const g: Partial<RawCubeOptions> = {};
  const name = path.split(/[\\/]/).pop() ?? path;
  const layout = /(?:^|_)(bsq|bil|bip)(?:_|\.|$)/i.exec(name);
  const type = /(?:^|_)(u16le|u16be|u8)(?:_|\.|$)/i.exec(name);
  const dims = /_z(\d+)_y(\d+)_x(\d+)/.exec(name);
  if (layout) g.layout = layout[1].toLowerCase() as CubeLayout;
  if (type) g.sampleType = type[1].toLowerCase() as SampleType;
  if (dims) { g.bands = +dims[1]; g.lines = +dims[2]; g.pixels = +dims[3]; }
  const sidecar = path.replace(/\.[^./\\]+$/, "") + ".json";
  if (!dims && existsSync(sidecar)) {
    try {
      const j = JSON.parse(readFileSync(sidecar, "utf8"));
      if (Number.isInteger(j.nbands)) g.bands = j.nbands;
      if (Number.isInteger(j.height)) g.lines = j.height;
      if (Number.isInteger(j.width)) g.pixels = j.width;
      if (typeof j.interleave === "string") g.layout ??= j.interleave.toLowerCase() as CubeLayout;
      if (typeof j.dtype === "string" && /uint16/.test(j.dtype)) g.sampleType ??= /big/.test(j.dtype) ? "u16be" : "u16le";
      if (typeof j.dtype === "string" && /uint8/.test(j.dtype)) g.sampleType ??= "u8";
    } catch {
      throw new SceneError("sidecar", "not valid JSON", sidecar);
    }
  }
  return g;
}

export function openScene(p: Profile, o: OpenSceneOptions = {}): SceneSource {
  const scene = o.scene ?? "synthetic";
  checkPassGeometry(p); // time tags and solar angles must belong to a flyable pass, whatever the source
  if (scene === "synthetic") {
    return syntheticScene(p, {
      seed: o.seed ?? 1, lines: o.lines ?? 2000, cloudFraction: o.cloudFraction, truth: o.truth, cloudHeightM: o.cloudHeightM,
      haze: o.haze, reliefM: o.reliefM, traps: o.traps, detectorSeed: o.detectorSeed, atmosphere: o.atmosphere,
    });
  }
  const format = o.format ?? (isGeoTiff(scene) ? "geotiff" : isEnvi(scene) ? "envi" : "raw");
  if (format === "envi") return enviScene(p, { path: scene, bandMap: o.bandMap, fit: o.fit, rightShift: o.rightShift, repeatLines: o.lines });
  if (format === "geotiff") return geoTiffScene(p, { path: scene, bandMap: o.bandMap, wavelengthsNm: o.wavelengthsNm, fit: o.fit, rightShift: o.rightShift, repeatLines: o.lines });
  if (format !== "raw") throw new SceneError("format", "must be raw, envi or geotiff", scene);
  const g = { ...cubeGeometry(scene), ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) } as Partial<RawCubeOptions> & OpenSceneOptions;
  for (const k of ["bands", "pixels", "layout"] as const) if (g[k] === undefined) throw new SceneError(k, "unknown: give it or use a file name like name_bsq_u16le_z3_y1024_x1024.raw", scene);
  const cubeLines = o.cubeLines ?? cubeGeometry(scene).lines;
  if (cubeLines === undefined) throw new SceneError("lines", "the cube's line count is unknown: use a file name with _z…_y…_x… or a sidecar JSON", scene);
  return rawCubeScene(p, {
    path: scene, bands: g.bands!, lines: cubeLines, pixels: g.pixels!, layout: g.layout!, sampleType: g.sampleType ?? "u16le",
    bandMap: g.bandMap, fit: g.fit, rightShift: g.rightShift, repeatLines: o.lines, headerOffset: g.headerOffset,
  });
}
