// CCSDS 121.0-B-3 §4 preprocessor: unit-delay predictor (§4.2) and prediction error mapper
// (§4.4), one block at a time. T is the sample container (u16 or u32); S selects the
// sign treatment at compile time (i64: two's complement n-bit samples, u64: unsigned).
// Bits of a container above n are ignored (signed input may be sign-extended or not).

/** For 16-bit containers, mapBlock also leaves the sums of d >> kLo, d >> (kLo + 1) and
 *  d >> (kLo + 2) over the block here (each below 2^22: J <= 64 values below 2^16). */
export let fsLo: u32 = 0;
export let fsMid: u32 = 0;
export let fsHi: u32 = 0;

/** Map the J samples at src into d (u32 each); returns the sum of the mapped values.
 *  With ref, sample 0 is the reference: d[0] = 0 and prediction starts from it (§4.3). */
@inline
export function mapBlock<T, S>(prev: i64, xmin: i64, xmax: i64, n: i32, src: usize, d: usize, J: i32, ref: bool, kLo: i32 = 0): u64 {
  if (sizeof<T>() == 2) return mapBlock16<S>(<i32>prev, <i32>xmin, <i32>xmax, n, src, d, J, ref, kLo);
  const sh = <u64>(64 - n);
  let i = 0;
  let sum: u64 = 0;
  let p = src;
  if (ref) {
    prev = <i64>(<S>(<u64>load<T>(p) << sh) >> <S>sh);
    store<u32>(d, 0);
    i = 1;
    p += sizeof<T>();
  }
  for (; i < J; i++) {
    const x = <i64>(<S>(<u64>load<T>(p) << sh) >> <S>sh);   // sample value
    p += sizeof<T>();
    const lo = prev - xmin;
    const hi = xmax - prev;
    const theta = lo < hi ? lo : hi;                          // θ = min(x̂ - xmin, xmax - x̂) (§4.4.2)
    const delta = x - prev;                                   // Δ = x - x̂ (§4.2)
    let m: i64;
    if (delta >= 0) {
      m = delta <= theta ? delta << 1 : theta + delta;        // 0 <= Δ <= θ: 2Δ; else θ + |Δ|
    } else {
      m = -delta <= theta ? ((-delta) << 1) - 1 : theta - delta; // -θ <= Δ < 0: 2|Δ| - 1
    }
    store<u32>(d + (<usize>i << 2), <u32>m);
    sum += <u64>m;
    prev = x;
  }
  return sum;
}

/** The same for 16-bit containers (n <= 16) in 32-bit arithmetic, with the FS sums for kLo. */
@inline
function mapBlock16<S>(prev: i32, xmin: i32, xmax: i32, n: i32, src: usize, d: usize, J: i32, ref: bool, kLo: i32): u64 {
  const sh = 32 - n;
  const umask: u32 = <u32>(<u64>0xffffffff >> <u64>(32 - n));
  const k1 = kLo + 1, k2 = kLo + 2;
  let i = 0;
  let sum: u32 = 0, sA: u32 = 0, sB: u32 = 0, sC: u32 = 0;
  let p = src;
  if (ref) {
    prev = isSigned<S>() ? (<i32>load<u16>(p) << sh) >> sh : <i32>(<u32>load<u16>(p) & umask);
    store<u32>(d, 0);
    i = 1;
    p += 2;
  }
  let q = d + (<usize>i << 2);
  const qEnd = d + (<usize>J << 2);
  for (; q < qEnd; q += 4) {
    const x = isSigned<S>() ? (<i32>load<u16>(p) << sh) >> sh : <i32>(<u32>load<u16>(p) & umask);
    p += 2;
    const lo = prev - xmin;
    const hi = xmax - prev;
    const theta = lo < hi ? lo : hi;                          // θ (§4.4.2)
    const delta = x - prev;                                   // Δ (§4.2)
    const ad = delta < 0 ? -delta : delta;
    // |Δ| <= θ: 2Δ for Δ >= 0, 2|Δ| - 1 for Δ < 0; else θ + |Δ|
    const m: u32 = <u32>(ad <= theta ? (ad << 1) - (delta >>> 31) : theta + ad);
    store<u32>(q, m);
    sum += m;
    sA += m >>> kLo; sB += m >>> k1; sC += m >>> k2;
    prev = x;
  }
  fsLo = sA; fsMid = sB; fsHi = sC;
  return <u64>sum;
}

/** Preprocessor off: the n low bits of each sample are coded as they are. */
@inline
export function copyBlock<T>(n: i32, src: usize, d: usize, J: i32): u64 {
  const mask: u32 = <u32>(<u64>0xffffffff >> (32 - n));
  let sum: u64 = 0;
  for (let i = 0; i < J; i++) {
    const v = <u32>load<T>(src + <usize>i * sizeof<T>()) & mask;
    store<u32>(d + (<usize>i << 2), v);
    sum += <u64>v;
  }
  return sum;
}
