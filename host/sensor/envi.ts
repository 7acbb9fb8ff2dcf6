// ENVI image cubes (a text header `.hdr` beside a raw data file) as scene sources. The header is
// parsed here; the data are streamed by rawCubeScene. Supported: samples, lines, bands, header
// offset, file type "ENVI Standard", data type 1 (u8), 2 (i16) and 12 (u16), interleave
// bsq/bil/bip, byte order 0/1, wavelength (+ wavelength units: nanometers or micrometers; a
// list without units is taken as µm when every value is below 100). Bands are mapped to the
// profile's bands by the nearest wavelength to each band centre when the header lists them.
// Not supported: data types other than 1, 2, 12 (float, 32/64-bit ints, complex), "x start"
// offsets, compressed data (`file compression = 1`).
import { existsSync, readFileSync } from "node:fs";
import type { Profile } from "../profiles/index.ts";
import { rawCubeScene, type RawCubeOptions, type RawCubeSource, type SampleType } from "./raw-cube.ts";
import { nearestWavelengthMap } from "./resample.ts";
import { SceneError } from "./types.ts";

export interface EnviHeader {
  samples: number;
  lines: number;
  bands: number;
  headerOffset: number;
  dataType: number;
  interleave: "bsq" | "bil" | "bip";
  byteOrder: 0 | 1;
  /** Band centres in nm, when the header lists them. */
  wavelengthsNm?: number[];
  /** Every key as read (lower case), values as strings. */
  fields: Record<string, string>;
}

/** Parses ENVI header text; throws SceneError naming the field ("header.samples", …). */
export function parseEnviHeader(text: string, path?: string): EnviHeader {
  const fail = (field: string, reason: string): never => { throw new SceneError(`header.${field}`, reason, path); };
  if (!/^\s*ENVI\b/.test(text)) fail("magic", 'an ENVI header starts with the word "ENVI"');
  const fields: Record<string, string> = {};
  const body = text.replace(/^\s*ENVI[^\n]*\n?/, "");
  let i = 0;
  while (i < body.length) {
    const eol = body.indexOf("\n", i);
    const lineEnd = eol < 0 ? body.length : eol;
    const line = body.slice(i, lineEnd);
    const eq = line.indexOf("=");
    if (eq < 0) {
      if (line.trim() !== "" && !line.trim().startsWith(";")) fail("syntax", `expected "key = value", got "${line.trim().slice(0, 40)}"`);
      i = lineEnd + 1;
      continue;
    }
    const key = line.slice(0, eq).trim().toLowerCase().replace(/\s+/g, " ");
    let rest = body.slice(i + line.indexOf("=") + 1);
    let value: string;
    const lead = rest.match(/^[ \t]*/)![0].length;
    if (rest[lead] === "{") {
      const close = rest.indexOf("}", lead);
      if (close < 0) fail(key, "unterminated { … } value");
      value = rest.slice(lead + 1, close).trim();
      i = i + eq + 1 + close + 1;
      const nl = body.indexOf("\n", i);
      i = nl < 0 ? body.length : nl + 1;
    } else {
      value = line.slice(eq + 1).trim();
      i = lineEnd + 1;
    }
    if (key === "") fail("syntax", "empty key");
    fields[key] = value;
  }
  const int = (key: string, min: number, dflt?: number): number => {
    const v = fields[key];
    if (v === undefined) { if (dflt !== undefined) return dflt; return fail(key, "missing"); }
    if (!/^\s*\d+\s*$/.test(v)) return fail(key, `not an integer: "${v}"`);
    const n = Number(v);
    if (n < min) fail(key, `must be at least ${min}, got ${n}`);
    return n;
  };
  const samples = int("samples", 1), lines = int("lines", 1), bands = int("bands", 1);
  const headerOffset = int("header offset", 0, 0), dataType = int("data type", 0);
  if (![1, 2, 12].includes(dataType)) fail("data type", `${dataType} is not supported (1 = u8, 2 = i16, 12 = u16)`);
  const il = (fields["interleave"] ?? "").trim().toLowerCase();
  if (il !== "bsq" && il !== "bil" && il !== "bip") fail("interleave", `must be bsq, bil or bip, got "${fields["interleave"] ?? ""}"`);
  const bo = int("byte order", 0, 0);
  if (bo !== 0 && bo !== 1) fail("byte order", `must be 0 (little endian) or 1 (big endian), got ${bo}`);
  if (fields["file compression"] !== undefined && fields["file compression"].trim() !== "0") fail("file compression", "compressed ENVI data are not supported");
  let wavelengthsNm: number[] | undefined;
  if (fields["wavelength"] !== undefined) {
    const vals = fields["wavelength"].split(",").map((s) => s.trim()).filter((s) => s !== "").map(Number);
    if (vals.length !== bands || vals.some((v) => !Number.isFinite(v) || v <= 0)) fail("wavelength", `needs ${bands} positive numbers, got ${vals.length}`);
    const units = (fields["wavelength units"] ?? "").trim().toLowerCase();
    let k: number;
    if (/^(nanometers?|nm)$/.test(units)) k = 1;
    else if (/^(micrometers?|microns?|um|µm)$/.test(units)) k = 1000;
    else if (units === "" || units === "unknown") k = vals.every((v) => v < 100) ? 1000 : 1;
    else return fail("wavelength units", `"${units}" is not a length unit the reader knows (nanometers, micrometers)`);
    wavelengthsNm = vals.map((v) => v * k);
  }
  return { samples, lines, bands, headerOffset, dataType, interleave: il as EnviHeader["interleave"], byteOrder: bo as 0 | 1, wavelengthsNm, fields };
}

const DATA_EXTS = ["", ".img", ".dat", ".raw", ".bsq", ".bil", ".bip"];

/** The header and data paths of an ENVI cube given either of them. */
export function enviPaths(path: string): { hdr: string; data: string } {
  if (/\.hdr$/i.test(path)) {
    const stem = path.replace(/\.hdr$/i, "");
    const data = DATA_EXTS.map((e) => stem + e).find((f) => existsSync(f));
    if (!data) throw new SceneError("path", `no data file beside the header (tried ${DATA_EXTS.map((e) => e || "(none)").join(", ")})`, path);
    return { hdr: path, data };
  }
  const candidates = [path + ".hdr", path.replace(/\.[^./\\]+$/, "") + ".hdr"];
  const hdr = candidates.find((f) => existsSync(f));
  if (!hdr) throw new SceneError("path", "no ENVI header (.hdr) beside the data file", path);
  return { hdr, data: path };
}

export interface EnviOptions {
  /** The .hdr file or the data file. */
  path: string;
  /** Cube band per profile band; default: nearest wavelength when the header has them, else as rawCubeScene. */
  bandMap?: number[];
  fit?: RawCubeOptions["fit"];
  rightShift?: number;
  repeatLines?: number;
}

export function isEnvi(path: string): boolean {
  if (/\.hdr$/i.test(path)) return true;
  return existsSync(path + ".hdr") || existsSync(path.replace(/\.[^./\\]+$/, "") + ".hdr");
}

export function enviScene(p: Profile, o: EnviOptions): RawCubeSource & { header: EnviHeader } {
  const { hdr, data } = enviPaths(o.path);
  let text: string;
  try { text = readFileSync(hdr, "latin1"); } catch (e) { throw new SceneError("path", `cannot read the header: ${(e as NodeJS.ErrnoException).code}`, hdr); }
  const h = parseEnviHeader(text, hdr);
  const sampleType: SampleType = h.dataType === 1 ? "u8" : h.dataType === 2 ? (h.byteOrder ? "i16be" : "i16le") : h.byteOrder ? "u16be" : "u16le";
  const bandMap = o.bandMap ?? (h.wavelengthsNm ? nearestWavelengthMap(h.wavelengthsNm, p.sensor.bands.map((b) => b.centreNm)) : undefined);
  const src = rawCubeScene(p, {
    path: data, bands: h.bands, lines: h.lines, pixels: h.samples, layout: h.interleave, sampleType, headerOffset: h.headerOffset,
    bandMap, fit: o.fit, rightShift: o.rightShift, repeatLines: o.repeatLines,
  });
  return Object.assign(src, { header: h });
}
