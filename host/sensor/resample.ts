// Fitting a source line of w pixels to the profile's pixels per line:
//  - "nearest": output pixel x takes source pixel floor((x + ½)·w / P) (default);
//  - "area":    output pixel x averages the source interval [x·w/P, (x+1)·w/P) weighted by the
//               overlap of each source pixel (box filter; for upsampling this is the covering
//               pixel, or a two-pixel blend where an output pixel straddles a border);
//  - "pad":     source pixel x where x < w, zero beyond (crop when w > P).
export type Fit = "nearest" | "area" | "pad";

export interface Resampler {
  /** Writes P output values from src (read as src[srcOffset + i·stride]), rounded to integers. */
  run(src: ArrayLike<number>, srcOffset: number, stride: number, out: Uint16Array, outOffset: number, maxDn: number): number;
}

export function makeResampler(w: number, P: number, fit: Fit = "nearest"): Resampler {
  if (fit === "area" && w !== P) {
    // Sparse weights: for each output pixel the first source index and the weights of the run.
    const first = new Int32Array(P), count = new Int32Array(P), weights: number[] = [];
    const wOff = new Int32Array(P);
    const r = w / P;
    for (let x = 0; x < P; x++) {
      const a = x * r, b = (x + 1) * r;
      const i0 = Math.floor(a), i1 = Math.min(w - 1, Math.ceil(b) - 1);
      first[x] = i0; count[x] = i1 - i0 + 1; wOff[x] = weights.length;
      for (let i = i0; i <= i1; i++) weights.push((Math.min(b, i + 1) - Math.max(a, i)) / r);
    }
    const W = Float64Array.from(weights);
    return {
      run(src, so, st, out, oo, maxDn) {
        let clipped = 0;
        for (let x = 0; x < P; x++) {
          let acc = 0;
          const k0 = wOff[x], i0 = first[x];
          for (let k = 0; k < count[x]; k++) acc += W[k0 + k] * src[so + (i0 + k) * st];
          let v = Math.round(acc);
          if (v > maxDn) { v = maxDn; clipped++; } else if (v < 0) { v = 0; clipped++; }
          out[oo + x] = v;
        }
        return clipped;
      },
    };
  }
  const srcX = new Int32Array(P);
  for (let x = 0; x < P; x++) srcX[x] = fit === "pad" ? (x < w ? x : -1) : Math.min(w - 1, Math.floor(((x + 0.5) * w) / P));
  return {
    run(src, so, st, out, oo, maxDn) {
      let clipped = 0;
      for (let x = 0; x < P; x++) {
        const sx = srcX[x];
        if (sx < 0) { out[oo + x] = 0; continue; }
        let v = src[so + sx * st];
        if (v > maxDn) { v = maxDn; clipped++; } else if (v < 0) { v = 0; clipped++; }
        out[oo + x] = v;
      }
      return clipped;
    },
  };
}

/** For each wanted centre wavelength, the index of the nearest source wavelength. */
export function nearestWavelengthMap(source: number[], wanted: number[]): number[] {
  return wanted.map((w) => {
    let best = 0;
    for (let i = 1; i < source.length; i++) if (Math.abs(source[i] - w) < Math.abs(source[best] - w)) best = i;
    return best;
  });
}
