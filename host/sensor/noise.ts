// Coordinate-addressed fractal value noise, evaluated one image line at a time. For each
// octave the lattice is interpolated along the line direction once per lattice column, then
// along the pixels. Octaves with cells of COARSE_CELL_PX pixels or more are evaluated every
// COARSE_STEP pixels and linearly interpolated in between (they are smooth at that scale),
// which halves the work. Memory per line is O(pixels).
import { hash3 } from "./prng.ts";

const fade = (t: number) => t * t * (3 - 2 * t);
const INV_2_32 = 1 / 4294967296;
const COARSE_CELL_PX = 16;
const COARSE_STEP = 4;

export class LineNoise {
  private readonly cols: Float64Array[];
  private readonly coarse: Float64Array;
  private readonly octaveSeeds: number[];
  /**
   * @param cellsPx lattice cell size per octave, in pixels
   * @param weights amplitude per octave
   */
  constructor(seed: number, private readonly cellsPx: number[], private readonly weights: number[], private readonly pixels: number) {
    this.cols = cellsPx.map((c) => new Float64Array(Math.ceil(pixels / c) + 2));
    this.coarse = new Float64Array(Math.ceil(pixels / COARSE_STEP) + 2);
    this.octaveSeeds = cellsPx.map((_, o) => (seed + Math.imul(o + 1, 0x632be5ab)) | 0);
  }

  /** Fills out[0..pixels) with the field at line y (values roughly within ±Σweights). */
  line(y: number, out: Float64Array): void {
    const P = this.pixels;
    out.fill(0, 0, P);
    const nc = Math.ceil(P / COARSE_STEP) + 1; // coarse samples at x = 0, STEP, 2·STEP, … ≥ P−1
    let anyCoarse = false;
    this.coarse.fill(0);
    for (let o = 0; o < this.cellsPx.length; o++) {
      const cell = this.cellsPx[o], col = this.fillColumns(o, y);
      const inv = 1 / cell;
      if (cell >= COARSE_CELL_PX) {
        anyCoarse = true;
        const c = this.coarse;
        for (let j = 0; j < nc; j++) {
          const gx = j * COARSE_STEP * inv, ix = Math.floor(gx), t = gx - ix;
          const a = col[ix];
          c[j] += a + (col[ix + 1] - a) * (t * t * (3 - 2 * t));
        }
        continue;
      }
      // One lattice cell at a time: the pixels x with floor(x / cell) = ix.
      let x = 0;
      for (let ix = 0; x < P; ix++) {
        const a = col[ix], d = col[ix + 1] - a;
        const xEnd = Math.min(P, Math.ceil((ix + 1) * cell));
        for (; x < xEnd; x++) {
          const t = x * inv - ix;
          out[x] += a + d * (t * t * (3 - 2 * t));
        }
      }
    }
    if (anyCoarse) {
      const c = this.coarse, k = 1 / COARSE_STEP;
      for (let x = 0; x < P; x++) {
        const j = (x / COARSE_STEP) | 0, t = (x - j * COARSE_STEP) * k;
        out[x] += c[j] + (c[j + 1] - c[j]) * t;
      }
    }
  }

  private fillColumns(o: number, y: number): Float64Array {
    const cell = this.cellsPx[o], w = this.weights[o], col = this.cols[o], os = this.octaveSeeds[o];
    const gy = y / cell, iy = Math.floor(gy), fy = fade(gy - iy);
    const n = Math.min(col.length, Math.ceil(this.pixels / cell) + 2);
    for (let ix = 0; ix < n; ix++) {
      const a = hash3(os, ix, iy) * INV_2_32, b = hash3(os, ix, iy + 1) * INV_2_32;
      col[ix] = (2 * (a + (b - a) * fy) - 1) * w;
    }
    return col;
  }

  /** The same field at one point (exact lattice interpolation), for calibrating thresholds. */
  at(x: number, y: number): number {
    let v = 0;
    for (let o = 0; o < this.cellsPx.length; o++) {
      const cell = this.cellsPx[o], w = this.weights[o], os = this.octaveSeeds[o];
      const gy = y / cell, iy = Math.floor(gy), fy = fade(gy - iy);
      const gx = x / cell, ix = Math.floor(gx), fx = fade(gx - ix);
      const c0a = hash3(os, ix, iy) * INV_2_32, c0b = hash3(os, ix, iy + 1) * INV_2_32;
      const c1a = hash3(os, ix + 1, iy) * INV_2_32, c1b = hash3(os, ix + 1, iy + 1) * INV_2_32;
      const c0 = 2 * (c0a + (c0b - c0a) * fy) - 1, c1 = 2 * (c1a + (c1b - c1a) * fy) - 1;
      v += (c0 + (c1 - c0) * fx) * w;
    }
    return v;
  }
}
