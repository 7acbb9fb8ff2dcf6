// Coordinate-addressed fractal value noise, evaluated one image line at a time: for each
// octave the lattice is interpolated along the line direction once per lattice column, then
// along the pixels. Work and memory per line are O(pixels · octaves).
import { hash3 } from "./prng.ts";

const fade = (t: number) => t * t * (3 - 2 * t);
const INV_2_32 = 1 / 4294967296;

export class LineNoise {
  private readonly cols: Float64Array[];
  /**
   * @param cellsPx lattice cell size per octave, in pixels (largest first)
   * @param weights amplitude per octave
   */
  constructor(private readonly seed: number, private readonly cellsPx: number[], private readonly weights: number[], private readonly pixels: number) {
    this.cols = cellsPx.map((c) => new Float64Array(Math.ceil(pixels / c) + 2));
  }

  /** Fills out[0..pixels) with the field at line y (values roughly in ±Σweights). */
  line(y: number, out: Float64Array): void {
    out.fill(0, 0, this.pixels);
    for (let o = 0; o < this.cellsPx.length; o++) {
      const cell = this.cellsPx[o], w = this.weights[o], col = this.cols[o];
      const os = (this.seed + Math.imul(o + 1, 0x632be5ab)) | 0;
      const gy = y / cell, iy = Math.floor(gy), fy = fade(gy - iy);
      for (let ix = 0; ix < col.length; ix++) {
        const a = hash3(os, ix, iy) * INV_2_32, b = hash3(os, ix, iy + 1) * INV_2_32;
        col[ix] = (2 * (a + (b - a) * fy) - 1) * w;
      }
      const inv = 1 / cell;
      for (let x = 0; x < this.pixels; x++) {
        const gx = x * inv, ix = gx | 0, t = gx - ix, f = t * t * (3 - 2 * t);
        const a = col[ix];
        out[x] += a + (col[ix + 1] - a) * f;
      }
    }
  }

  /** The field at one point (same values as line()), for calibrating thresholds. */
  at(x: number, y: number): number {
    let v = 0;
    for (let o = 0; o < this.cellsPx.length; o++) {
      const cell = this.cellsPx[o], w = this.weights[o];
      const os = (this.seed + Math.imul(o + 1, 0x632be5ab)) | 0;
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
