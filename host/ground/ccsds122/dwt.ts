// CCSDS 122.0-B-2 section 3: the 9/7 discrete wavelet transforms, three levels, 2-D.
// Ground side, written from the standard (ground oracle: shares no code with the flight image).
//
// Layout: one Float64Array / Int32Array of width*height, row-major, in the usual "Mallat"
// arrangement: after level l the low band occupies the top-left (w >> l) x (h >> l) corner,
// HL (horizontal high-pass) to its right, LH below, HH diagonal.
// The 2-D forward transform filters the rows first, then the columns; the inverse undoes the
// columns first, then the rows. Boundaries: whole-sample symmetric extension (x[-i] = x[i],
// x[n-1+i] = x[n-1-i]), which for the integer transform gives exactly the boundary equations
// of 3.3.2. Width and height must be multiples of 8 (the caller pads).

/** Analysis low-pass h[0..4] and high-pass g[0..3] of the float 9/7 DWT (table 3-1). */
const H = [0.852698679009, 0.377402855613, -0.110624404418, -0.023849465020, 0.037828455507];
const G = [-0.788485616406, 0.418092273222, 0.040689417609, -0.064538882629];
/** Synthesis low-pass q[0..3] and high-pass p[0..4] (table 3-2): q_n = -(-1)^n g_n, p_n = -(-1)^n h_n. */
const Q = [0.788485616406, 0.418092273222, -0.040689417609, -0.064538882629];
const P = [-0.852698679009, 0.377402855613, 0.110624404418, -0.023849465020, -0.037828455507];

function mirror(i: number, n: number): number {
  // whole-sample symmetric extension; n >= 2; the loop runs at most twice for |i| < 2n
  for (let k = 0; k < 4 && (i < 0 || i >= n); k++) {
    if (i < 0) i = -i;
    if (i >= n) i = 2 * (n - 1) - i;
  }
  return i < 0 ? 0 : i >= n ? n - 1 : i;
}

/** 1-D float forward on x (length n even), result C (n/2) then D (n/2) written to out. */
function fwd1f(x: Float64Array, n: number, out: Float64Array): void {
  const half = n >> 1;
  for (let j = 0; j < half; j++) {
    let c = H[0] * x[2 * j];
    for (let t = 1; t <= 4; t++) c += H[t] * (x[mirror(2 * j - t, n)] + x[mirror(2 * j + t, n)]);
    let d = G[0] * x[2 * j + 1];
    for (let t = 1; t <= 3; t++) d += G[t] * (x[mirror(2 * j + 1 - t, n)] + x[mirror(2 * j + 1 + t, n)]);
    out[j] = c;
    out[half + j] = d;
  }
}

/** 1-D float inverse: input C (first n/2) and D (last n/2) in y, samples to out. */
function inv1f(y: Float64Array, n: number, out: Float64Array): void {
  const half = n >> 1;
  // interleaved value at position t: even -> C[t/2], odd -> D[(t-1)/2], mirrored
  const at = (t: number): number => {
    const m = mirror(t, n);
    return (m & 1) === 0 ? y[m >> 1] : y[half + (m >> 1)];
  };
  for (let m = 0; m < n; m++) {
    let s = 0;
    for (let t = m - 4; t <= m + 4; t++) {
      const off = Math.abs(m - t);
      if ((t & 1) === 0) { if (off <= 3) s += Q[off] * at(t); }
      else s += P[off] * at(t);
    }
    out[m] = s;
  }
}

/** 1-D integer forward (3.3.2), x length n even >= 4; C then D into out. */
function fwd1i(x: Float64Array, n: number, out: Float64Array): void {
  const half = n >> 1;
  const xm = (i: number): number => x[mirror(i, n)];
  for (let j = 0; j < half; j++) {
    const a = xm(2 * j), b = xm(2 * j + 2), c = xm(2 * j - 2), d = xm(2 * j + 4);
    out[half + j] = x[2 * j + 1] - Math.floor((9 * (a + b) - (c + d) + 8) / 16);
  }
  for (let j = 0; j < half; j++) {
    const dl = out[half + (j === 0 ? 0 : j - 1)], dr = out[half + j];
    out[j] = x[2 * j] - Math.floor((-(dl + dr) + 2) / 4);
  }
}

/** 1-D integer inverse. */
function inv1i(y: Float64Array, n: number, out: Float64Array): void {
  const half = n >> 1;
  for (let j = 0; j < half; j++) {
    const dl = y[half + (j === 0 ? 0 : j - 1)], dr = y[half + j];
    out[2 * j] = y[j] + Math.floor((-(dl + dr) + 2) / 4);
  }
  const xm = (i: number): number => out[mirror(i, n) ];
  for (let j = 0; j < half; j++) {
    const a = xm(2 * j), b = xm(2 * j + 2), c = xm(2 * j - 2), d = xm(2 * j + 4);
    out[2 * j + 1] = y[half + j] + Math.floor((9 * (a + b) - (c + d) + 8) / 16);
  }
}

type Kernel = (x: Float64Array, n: number, out: Float64Array) => void;

function pass2d(img: Float64Array, stride: number, w: number, h: number, k: Kernel, rowsFirst: boolean): void {
  const buf = new Float64Array(Math.max(w, h));
  const res = new Float64Array(Math.max(w, h));
  const rows = (): void => {
    for (let r = 0; r < h; r++) {
      const o = r * stride;
      for (let c = 0; c < w; c++) buf[c] = img[o + c];
      k(buf, w, res);
      for (let c = 0; c < w; c++) img[o + c] = res[c];
    }
  };
  const cols = (): void => {
    for (let c = 0; c < w; c++) {
      for (let r = 0; r < h; r++) buf[r] = img[r * stride + c];
      k(buf, h, res);
      for (let r = 0; r < h; r++) img[r * stride + c] = res[r];
    }
  };
  if (rowsFirst) { rows(); cols(); } else { cols(); rows(); }
}

export type DwtType = "integer" | "float";

/** Forward 3-level 2-D DWT in place (used by tests and to cross-check the inverse). Integer results are exact integers. */
export function forwardDwt(img: Float64Array, width: number, height: number, type: DwtType, levels = 3): void {
  const k = type === "integer" ? fwd1i : fwd1f;
  for (let l = 0; l < levels; l++) pass2d(img, width, width >> l, height >> l, k, true);
}

/** Inverse 3-level 2-D DWT in place. */
export function inverseDwt(img: Float64Array, width: number, height: number, type: DwtType, levels = 3): void {
  const k = type === "integer" ? inv1i : inv1f;
  for (let l = levels - 1; l >= 0; l--) pass2d(img, width, width >> l, height >> l, k, false);
}
