// Deterministic randomness for the scene generators: a splitmix32-style integer hash for
// coordinate-addressed noise (the same pixel gets the same value however the scene is
// streamed) and xorshift32 for per-line sequences.

/** 32-bit avalanche hash of three integers (seed, x, y). */
export function hash3(seed: number, x: number, y: number): number {
  let h = (seed ^ Math.imul(x | 0, 0x27d4eb2d) ^ Math.imul(y | 0, 0x165667b1)) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** splitmix32 step on a seed: a well-mixed, nonzero 32-bit state. */
export function mixSeed(seed: number, salt: number): number {
  let z = (seed + Math.imul(salt | 0, 0x9e3779b9)) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return (z | 0) === 0 ? 0x6d2b79f5 : z >>> 0;
}

/** xorshift32 generator (Marsaglia 2003), state never zero. */
export class XorShift32 {
  private s: number;
  constructor(seed: number) { this.s = (seed | 0) === 0 ? 0x6d2b79f5 : seed | 0; }
  nextU32(): number {
    let x = this.s;
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    this.s = x;
    return x >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number { return this.nextU32() / 4294967296; }
  /** Approximately standard normal: Irwin–Hall sum of the four bytes of one draw. */
  gauss(): number {
    const u = this.nextU32();
    return ((u & 255) + ((u >>> 8) & 255) + ((u >>> 16) & 255) + (u >>> 24) - 510) / 147.80;
  }
}

/** mulberry32: a small seeded generator of uniform numbers in [0, 1), for test campaigns. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
