// Raw (headerless) image cubes as scene sources: BSQ, BIL or BIP, u8, u16 or i16 in either
// byte order, after an optional header of headerOffset bytes (ENVI's "header offset"). Streams
// one line at a time with positioned reads, so memory stays at one line whatever the cube size.
// Bands are selected or reordered with bandMap; a cube narrower or wider than the profile's line
// is resampled (nearest or area average, resample.ts) or padded/cropped; repeatLines cycles the
// cube for longer passes. Negative i16 samples clip to 0 (counted in `clipped`).
import { openSync, readSync, closeSync, fstatSync } from "node:fs";
import type { Profile } from "../profiles/index.ts";
import { makeResampler, type Fit } from "./resample.ts";
import { lineTime } from "./time.ts";
import { SceneError, type SceneSource, type SensorLine } from "./types.ts";

export type CubeLayout = "bsq" | "bil" | "bip";
export type SampleType = "u16le" | "u16be" | "u8" | "i16le" | "i16be";

export interface RawCubeOptions {
  path: string;
  bands: number;
  lines: number;
  pixels: number;
  layout: CubeLayout;
  sampleType: SampleType;
  /** Cube band index for each profile band. Default: identity when the counts match, evenly spaced when the cube has more. */
  bandMap?: number[];
  /** Lines to deliver, cycling the cube (default: the cube's lines once). */
  repeatLines?: number;
  /** Fitting the cube's pixels to pixelsPerLine: "nearest" (default), "area" (box average) or "pad" (zero pad / crop). */
  fit?: Fit;
  /** Bytes before the data (default 0). */
  headerOffset?: number;
  /** Right shift applied to every sample before clipping (e.g. 4 to bring 16-bit DNs to 12 bits). */
  rightShift?: number;
}

export interface RawCubeSource extends SceneSource {
  /** Samples above the profile's bit depth, clipped to its maximum so far. */
  readonly clipped: number;
}

const isPosInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;

export function rawCubeScene(p: Profile, o: RawCubeOptions): RawCubeSource {
  const err = (field: string, reason: string): never => { throw new SceneError(field, reason, o.path); };
  for (const k of ["bands", "lines", "pixels"] as const) if (!isPosInt(o[k])) err(k, "must be a positive integer");
  if (!["bsq", "bil", "bip"].includes(o.layout)) err("layout", "must be bsq, bil or bip");
  if (!["u16le", "u16be", "u8", "i16le", "i16be"].includes(o.sampleType)) err("sampleType", "must be u16le, u16be, i16le, i16be or u8");
  if (o.fit !== undefined && o.fit !== "nearest" && o.fit !== "pad" && o.fit !== "area") err("fit", "must be nearest, area or pad");
  const hdr = o.headerOffset ?? 0;
  if (!(Number.isInteger(hdr) && hdr >= 0)) err("headerOffset", "must be a non-negative integer");
  const shift = o.rightShift ?? 0;
  if (!Number.isInteger(shift) || shift < 0 || shift > 15) err("rightShift", "must be an integer within 0..15");
  const outBands = p.sensor.bands.length, outPixels = p.sensor.pixelsPerLine;
  const bps = o.sampleType === "u8" ? 1 : 2;
  const total = o.lines * (o.repeatLines === undefined ? 1 : 0) + (o.repeatLines ?? 0);
  if (o.repeatLines !== undefined && !(Number.isInteger(o.repeatLines) && o.repeatLines >= 0)) err("repeatLines", "must be a non-negative integer");

  let bandMap: number[];
  if (o.bandMap) {
    if (o.bandMap.length !== outBands) err("bandMap", `needs one cube band per profile band (${outBands}), got ${o.bandMap.length}`);
    o.bandMap.forEach((b, i) => { if (!Number.isInteger(b) || b < 0 || b >= o.bands) err(`bandMap[${i}]`, `cube band ${b} outside 0..${o.bands - 1}`); });
    bandMap = o.bandMap;
  } else if (o.bands === outBands) {
    bandMap = Array.from({ length: outBands }, (_, i) => i);
  } else if (o.bands > outBands) {
    bandMap = Array.from({ length: outBands }, (_, i) => (outBands === 1 ? 0 : Math.round((i * (o.bands - 1)) / (outBands - 1))));
  } else {
    return err("bands", `the cube has ${o.bands} bands but the profile needs ${outBands}: give a bandMap`);
  }

  let fd: number;
  try {
    fd = openSync(o.path, "r");
  } catch (e) {
    return err("path", `cannot open: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const expected = hdr + o.bands * o.lines * o.pixels * bps;
  const size = fstatSync(fd).size;
  if (size !== expected) {
    closeSync(fd);
    err("size", `file has ${size} bytes, ${hdr ? `${hdr} + ` : ""}${o.bands}×${o.lines}×${o.pixels}×${bps} needs ${expected}`);
  }

  const fitter = makeResampler(o.pixels, outPixels, o.fit ?? "nearest");
  const row = new Int32Array(o.pixels);
  // One line of the cube: all bands for BIL/BIP; one band at a time for BSQ.
  const lineBytes = o.layout === "bsq" ? o.pixels * bps : o.bands * o.pixels * bps;
  const buf = Buffer.alloc(lineBytes);
  const maxDn = 2 ** p.sensor.bitDepth - 1;
  const be = o.sampleType === "u16be" || o.sampleType === "i16be";
  const signed = o.sampleType === "i16le" || o.sampleType === "i16be";
  let n = 0, clipped = 0, open = true;

  const close = () => { if (open) { closeSync(fd); open = false; } };
  const readAt = (pos: number) => {
    let got = 0;
    while (got < lineBytes) {
      const r = readSync(fd, buf, got, lineBytes - got, hdr + pos + got);
      if (r <= 0) err("size", `short read at byte ${pos + got}`);
      got += r;
    }
  };
  const sample = (i: number) => {
    const v = bps === 1 ? buf[i] : be ? (buf[2 * i] << 8) | buf[2 * i + 1] : buf[2 * i] | (buf[2 * i + 1] << 8);
    return signed && v >= 0x8000 ? v - 0x10000 : v;
  };

  return {
    bands: outBands, pixels: outPixels, lines: total,
    get clipped() { return clipped; },
    close,
    next(): SensorLine | null {
      if (n >= total || !open) { close(); return null; }
      const y = n % o.lines;
      const out = new Uint16Array(outBands * outPixels);
      if (o.layout !== "bsq") readAt(y * lineBytes);
      for (let b = 0; b < outBands; b++) {
        const cb = bandMap[b];
        if (o.layout === "bsq") readAt(((cb * o.lines + y) * o.pixels) * bps);
        for (let sx = 0; sx < o.pixels; sx++) {
          const idx = o.layout === "bsq" ? sx : o.layout === "bil" ? cb * o.pixels + sx : sx * o.bands + cb;
          row[sx] = sample(idx) >> shift;
        }
        clipped += fitter.run(row, 0, 1, out, b * outPixels, maxDn);
      }
      const t = lineTime(p, n);
      const line = { counter: n >>> 0, timeCoarse: t.coarse, timeFine: t.fine, samples: out };
      n++;
      if (n >= total) close();
      return line;
    },
  };
}
