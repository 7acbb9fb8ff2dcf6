// CCSDS 122.0-B-2 §3: the three-level two-dimensional 9/7 DWT, forward only.
// Integer (§3.3.2, lifting with rounding, lossless) and Float (§3.3.1, filter taps, rounded to
// the nearest integer afterwards, §4.1). Both use the whole-sample mirror extension of §3.3.1.2
// (x[-m] = x[m], x[2N-1+m] = x[2N-1-m]). Rows first, then columns (§3.5); each level transforms
// the LL subband of the level before (§3.7). In place on a row-major array with row stride
// `stride` (elements); the caller passes a scratch area of 2·max(w, h) elements of the same type.
// Bounded loops, no allocation.

// Analysis filter taps, table 3-2.
const H0: f64 = 0.852698679009, H1: f64 = 0.377402855613, H2: f64 = -0.110624404418, H3: f64 = -0.023849465020, H4: f64 = 0.037828455507;
const G0: f64 = -0.788485616406, G1: f64 = 0.418092273222, G2: f64 = 0.040689417609, G3: f64 = -0.064538882629;

/** Mirror index of §3.3.1.2 for a signal of length len (|i| never beyond len-1 for len >= 6). */
@inline function mir(i: i32, len: i32): i32 {
  if (i < 0) return -i;
  if (i >= len) return 2 * (len - 1) - i;
  return i;
}

/** One-level forward integer 9/7 DWT (§3.3.2, equations 4 and 5) of x[0..len) (i32, len even,
 *  len >= 6) into y: low-pass C in y[0..len/2), high-pass D in y[len/2..len). */
export function dwt1dInt(x: usize, y: usize, len: i32): void {
  const n = len >> 1;
  const yh = y + (<usize>n << 2);
  // High pass: D_j = x_{2j+1} - floor(9/16 (x_{2j} + x_{2j+2}) - 1/16 (x_{2j-2} + x_{2j+4}) + 1/2).
  // Interior j in [1, n-3] needs no extension.
  for (let j = 0; j < n; j++) {
    const i = 2 * j;
    let a: i32, b: i32, c: i32, d: i32;
    if (j >= 1 && j <= n - 3) {
      const p = x + (<usize>i << 2);
      a = load<i32>(p); b = load<i32>(p, 8); c = load<i32>(p - 8); d = load<i32>(p, 16);
    } else {
      a = load<i32>(x + (<usize>mir(i, len) << 2)); b = load<i32>(x + (<usize>mir(i + 2, len) << 2));
      c = load<i32>(x + (<usize>mir(i - 2, len) << 2)); d = load<i32>(x + (<usize>mir(i + 4, len) << 2));
    }
    store<i32>(yh + (<usize>j << 2), load<i32>(x + (<usize>(i + 1) << 2)) - ((9 * (a + b) - (c + d) + 8) >> 4));
  }
  // Low pass: C_j = x_{2j} - floor(-1/4 (D_{j-1} + D_j) + 1/2), D_{-1} = D_0.
  let prev = load<i32>(yh);
  for (let j = 0; j < n; j++) {
    const dj = load<i32>(yh + (<usize>j << 2));
    store<i32>(y + (<usize>j << 2), load<i32>(x + (<usize>(2 * j) << 2)) - ((2 - (prev + dj)) >> 2));
    prev = dj;
  }
}

/** One-level forward Float 9/7 DWT (§3.3.1, equation 3) of x[0..len) (f64) into y. */
export function dwt1dFloat(x: usize, y: usize, len: i32): void {
  const n = len >> 1;
  const yh = y + (<usize>n << 3);
  for (let j = 0; j < n; j++) {
    const i = 2 * j;
    let c: f64, d: f64;
    if (j >= 2 && j <= n - 3) {
      const p = x + (<usize>i << 3);
      c = H0 * load<f64>(p) + H1 * (load<f64>(p - 8) + load<f64>(p, 8)) + H2 * (load<f64>(p - 16) + load<f64>(p, 16))
        + H3 * (load<f64>(p - 24) + load<f64>(p, 24)) + H4 * (load<f64>(p - 32) + load<f64>(p, 32));
      const q = p + 8;
      d = G0 * load<f64>(q) + G1 * (load<f64>(q - 8) + load<f64>(q, 8)) + G2 * (load<f64>(q - 16) + load<f64>(q, 16))
        + G3 * (load<f64>(q - 24) + load<f64>(q, 24));
    } else {
      c = H0 * ld(x, i, len) + H1 * (ld(x, i - 1, len) + ld(x, i + 1, len)) + H2 * (ld(x, i - 2, len) + ld(x, i + 2, len))
        + H3 * (ld(x, i - 3, len) + ld(x, i + 3, len)) + H4 * (ld(x, i - 4, len) + ld(x, i + 4, len));
      const k = i + 1;
      d = G0 * ld(x, k, len) + G1 * (ld(x, k - 1, len) + ld(x, k + 1, len)) + G2 * (ld(x, k - 2, len) + ld(x, k + 2, len))
        + G3 * (ld(x, k - 3, len) + ld(x, k + 3, len));
    }
    store<f64>(y + (<usize>j << 3), c);
    store<f64>(yh + (<usize>j << 3), d);
  }
}
@inline function ld(x: usize, i: i32, len: i32): f64 { return load<f64>(x + (<usize>mir(i, len) << 3)); }

/** Three-level 2-D integer DWT of the w × h region (both multiples of 8, >= 24 rows/cols where
 *  a level needs 6 samples) at a, row stride `stride` elements. tmp: w i32 (row copy); vt: a
 *  w × h area of the same element type (the columns' outputs, written row by row). */
export function dwt2dInt(a: usize, stride: i32, w: i32, h: i32, tmp: usize, vt: usize): void {
  for (let lev = 0; lev < 3; lev++) {
    for (let r = 0; r < h; r++) {
      const row = a + (<usize>(r * stride) << 2);
      for (let c = 0; c < w; c++) store<i32>(tmp + (<usize>c << 2), load<i32>(row + (<usize>c << 2)));
      dwt1dInt(tmp, row, w);
    }
    vertInt(a, stride, w, h, vt);
    w >>= 1; h >>= 1;
  }
}

/** Three-level 2-D Float DWT (f64 elements); tmp: 2·max(w, h) f64. */
export function dwt2dFloat(a: usize, stride: i32, w: i32, h: i32, tmp: usize, vt: usize): void {
  for (let lev = 0; lev < 3; lev++) {
    for (let r = 0; r < h; r++) {
      const row = a + (<usize>(r * stride) << 3);
      for (let c = 0; c < w; c++) store<f64>(tmp + (<usize>c << 3), load<f64>(row + (<usize>c << 3)));
      dwt1dFloat(tmp, row, w);
    }
    vertFloat(a, stride, w, h, vt);
    w >>= 1; h >>= 1;
  }
}

/** Row index of the mirror extension (§3.3.1.2) for a column of h samples. */
@inline function mr(i: i32, h: i32): i32 { return i < 0 ? -i : i >= h ? 2 * (h - 1) - i : i; }

/** The column transforms of one level done row-wise (equations 4 and 5 on every column at once,
 *  the inner loop running along a row): lows to rows [0, h/2), highs to [h/2, h) via vt. */
function vertInt(a: usize, stride: i32, w: i32, h: i32, vt: usize): void {
  const n = h >> 1;
  const rs = <usize>stride << 2;
  const ws = <usize>w << 2;
  // High rows D_j into vt rows n + j.
  for (let j = 0; j < n; j++) {
    const i = 2 * j;
    const ra = a + <usize>mr(i, h) * rs, rb = a + <usize>mr(i + 2, h) * rs, rc = a + <usize>mr(i - 2, h) * rs, rd = a + <usize>mr(i + 4, h) * rs;
    const rx = a + <usize>(i + 1) * rs, ry = vt + <usize>(n + j) * ws;
    for (let x: usize = 0; x < ws; x += 4) {
      store<i32>(ry + x, load<i32>(rx + x) - ((9 * (load<i32>(ra + x) + load<i32>(rb + x)) - (load<i32>(rc + x) + load<i32>(rd + x)) + 8) >> 4));
    }
  }
  // Low rows C_j = x_{2j} - floor((2 - (D_{j-1} + D_j)) / 4) into vt rows j.
  for (let j = 0; j < n; j++) {
    const rp = vt + <usize>(n + (j > 0 ? j - 1 : 0)) * ws, rq = vt + <usize>(n + j) * ws;
    const rx = a + <usize>(2 * j) * rs, ry = vt + <usize>j * ws;
    for (let x: usize = 0; x < ws; x += 4) store<i32>(ry + x, load<i32>(rx + x) - ((2 - (load<i32>(rp + x) + load<i32>(rq + x))) >> 2));
  }
  for (let r = 0; r < h; r++) {
    const src = vt + <usize>r * ws, dst = a + <usize>r * rs;
    for (let x: usize = 0; x < ws; x += 4) store<i32>(dst + x, load<i32>(src + x));
  }
}

function vertFloat(a: usize, stride: i32, w: i32, h: i32, vt: usize): void {
  const n = h >> 1;
  const rs = <usize>stride << 3;
  const ws = <usize>w << 3;
  for (let j = 0; j < n; j++) {
    const i = 2 * j;
    const c0 = a + <usize>mr(i, h) * rs, cm1 = a + <usize>mr(i - 1, h) * rs, cp1 = a + <usize>mr(i + 1, h) * rs;
    const cm2 = a + <usize>mr(i - 2, h) * rs, cp2 = a + <usize>mr(i + 2, h) * rs, cm3 = a + <usize>mr(i - 3, h) * rs;
    const cp3 = a + <usize>mr(i + 3, h) * rs, cm4 = a + <usize>mr(i - 4, h) * rs, cp4 = a + <usize>mr(i + 4, h) * rs;
    const lo = vt + <usize>j * ws, hi = vt + <usize>(n + j) * ws;
    for (let x: usize = 0; x < ws; x += 8) {
      store<f64>(lo + x, H0 * load<f64>(c0 + x) + H1 * (load<f64>(cm1 + x) + load<f64>(cp1 + x)) + H2 * (load<f64>(cm2 + x) + load<f64>(cp2 + x))
        + H3 * (load<f64>(cm3 + x) + load<f64>(cp3 + x)) + H4 * (load<f64>(cm4 + x) + load<f64>(cp4 + x)));
      // D_j: taps around row 2j+1: rows 2j+1±k.
      store<f64>(hi + x, G0 * load<f64>(cp1 + x) + G1 * (load<f64>(c0 + x) + load<f64>(cp2 + x)) + G2 * (load<f64>(cm1 + x) + load<f64>(cp3 + x))
        + G3 * (load<f64>(cm2 + x) + load<f64>(cp4 + x)));
    }
  }
  for (let r = 0; r < h; r++) {
    const src = vt + <usize>r * ws, dst = a + <usize>r * rs;
    for (let x: usize = 0; x < ws; x += 8) store<f64>(dst + x, load<f64>(src + x));
  }
}
