// The RGB quicklook: 8-bit, each band stretched linearly between the 2nd and 98th percentiles of
// its TOA reflectance over the valid pixels (0 is nodata: lost lines, dropped tiles). When the
// pass has a channel of finer resolution than the RGB bands (a panchromatic channel at an
// integer factor f: f × the pixels and f × the lines), the quicklook is pan-sharpened at that
// resolution by the Brovey transform: the RGB reflectances, bilinearly upsampled to the fine
// grid, are each multiplied by pan / I with I = (R + G + B) / 3 — the colour of the coarse bands,
// the spatial detail of the fine one. Everything streams a few lines at a time.
import { openSync, writeSync, closeSync } from "node:fs";
import type { ProductBand } from "./model.ts";

/** A channel's samples as the quicklook reads them (RasterFile implements it). */
export interface LineSource {
  readonly width: number;
  readonly nodata: number;
  readBandLine(row: number, band: number, into: Float64Array): Float64Array;
}

export interface QuicklookChannel { src: LineSource; lines: number; bands: ProductBand[] }

export const STRETCH_LOW = 0.02;
export const STRETCH_HIGH = 0.98;

/** Brovey: the three coarse reflectances scaled by pan / their mean (unchanged where the mean is not positive). */
export function brovey(r: number, g: number, b: number, pan: number, out: Float64Array): Float64Array {
  const i = (r + g + b) / 3, k = i > 0 ? pan / i : 1;
  out[0] = r * k; out[1] = g * k; out[2] = b * k;
  return out;
}

/** 8-bit value of a reflectance on a stretch [lo, hi]: 1 … 255 (0 is nodata). */
export function stretch8(v: number, lo: number, hi: number): number {
  const t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
  return 1 + Math.round(254 * Math.min(1, Math.max(0, t)));
}

/** The reflectance at the given percentiles of one band's valid pixels (a DN histogram, one pass over the file). */
function percentiles(ch: QuicklookChannel, band: number): [number, number] {
  const { src } = ch, row = new Float64Array(src.width);
  const hist = new Uint32Array(65536);                 // samples are 0 … 2^16 − 1 (bit depth ≤ 16) or nodata
  let n = 0;
  for (let y = 0; y < ch.lines; y++) {
    src.readBandLine(y, band, row);
    for (let x = 0; x < src.width; x++) { const v = row[x]; if (v !== src.nodata && v >= 0 && v < 65536) { hist[v]++; n++; } }
  }
  const { scale, offset } = ch.bands[band];
  if (n === 0) return [offset, offset + scale];
  const at = (q: number) => { let c = 0; const want = q * (n - 1); for (let k = 0; k < 65536; k++) { c += hist[k]; if (c > want) return k; } return 65535; };
  return [at(STRETCH_LOW) * scale + offset, at(STRETCH_HIGH) * scale + offset];
}

/**
 * Writes the quicklook as a raw 3-band Byte BIL file at `rawPath` and returns its size and the
 * stretch. `rgb` are band indices of `ms`; `pan` (band 0) sharpens it when given.
 */
export function writeQuicklookRaw(rawPath: string, ms: QuicklookChannel, rgb: [number, number, number], pan: QuicklookChannel | null):
  { width: number; height: number; stretch: [number, number][]; sharpenedBy: number } {
  const stretch = rgb.map((b) => percentiles(ms, b));
  const W0 = ms.src.width, H0 = ms.lines;
  let f = 1;
  if (pan) {
    f = pan.src.width / W0;
    if (!Number.isInteger(f) || f < 2 || pan.lines !== f * H0) throw new Error(`pan-sharpening needs a channel at an integer multiple of ${W0} × ${H0}, got ${pan.src.width} × ${pan.lines}`);
  }
  const W = W0 * f, H = H0 * f;
  // Coarse rows in reflectance (NaN where nodata), a small cache keyed by row.
  const cache = new Map<number, Float64Array[]>(), tmp = new Float64Array(W0);
  const coarse = (y: number): Float64Array[] => {
    let c = cache.get(y);
    if (c) return c;
    c = rgb.map((b) => {
      const o = new Float64Array(W0), { scale, offset } = ms.bands[b];
      ms.src.readBandLine(y, b, tmp);
      for (let x = 0; x < W0; x++) o[x] = tmp[x] === ms.src.nodata ? NaN : tmp[x] * scale + offset;
      return o;
    });
    if (cache.size > 4) cache.delete(cache.keys().next().value as number);
    cache.set(y, c);
    return c;
  };
  const fd = openSync(rawPath, "w");
  const out = Buffer.alloc(3 * W), panRow = new Float64Array(W), px = new Float64Array(3), sharp = new Float64Array(3);
  try {
    for (let y = 0; y < H; y++) {
      out.fill(0);
      if (f === 1) {
        const c = coarse(y);
        for (let x = 0; x < W; x++) {
          if (Number.isNaN(c[0][x]) || Number.isNaN(c[1][x]) || Number.isNaN(c[2][x])) continue;
          for (let k = 0; k < 3; k++) out[k * W + x] = stretch8(c[k][x], stretch[k][0], stretch[k][1]);
        }
      } else {
        const p = pan!;
        p.src.readBandLine(y, 0, panRow);
        const { scale: ps, offset: po } = p.bands[0];
        const yc = Math.min(H0 - 1, Math.max(0, (y + 0.5) / f - 0.5)), y0 = Math.floor(yc), y1 = Math.min(H0 - 1, y0 + 1), wy = yc - y0;
        const r0 = coarse(y0), r1 = coarse(y1);
        for (let x = 0; x < W; x++) {
          if (panRow[x] === p.src.nodata) continue;
          const xc = Math.min(W0 - 1, Math.max(0, (x + 0.5) / f - 0.5)), x0 = Math.floor(xc), x1 = Math.min(W0 - 1, x0 + 1), wx = xc - x0;
          let ok = true;
          for (let k = 0; k < 3; k++) {
            const v = (1 - wy) * ((1 - wx) * r0[k][x0] + wx * r0[k][x1]) + wy * ((1 - wx) * r1[k][x0] + wx * r1[k][x1]);
            // A nodata neighbour: the nearest coarse pixel alone, or nodata.
            px[k] = Number.isNaN(v) ? (wy < 0.5 ? r0 : r1)[k][wx < 0.5 ? x0 : x1] : v;
            if (Number.isNaN(px[k])) ok = false;
          }
          if (!ok) continue;
          brovey(px[0], px[1], px[2], panRow[x] * ps + po, sharp);
          for (let k = 0; k < 3; k++) out[k * W + x] = stretch8(sharp[k], stretch[k][0], stretch[k][1]);
        }
      }
      writeSync(fd, out, 0, out.length);
    }
  } finally { closeSync(fd); }
  return { width: W, height: H, stretch: stretch as [number, number][], sharpenedBy: f };
}
