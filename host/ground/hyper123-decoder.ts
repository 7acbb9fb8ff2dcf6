// CCSDS 123.0-B-2 ground decompressor: sample-adaptive entropy decoder (§5.4.3.2) and the
// inverse of the adaptive predictor and quantizer (§4), written from the standard and
// independently of the flight encoder. Two passes: the entropy decoder turns the body into a
// cube of mapped quantizer indices (in stream order: BSQ or band-interleaved with depth M);
// the predictor then reconstructs band by band (z outer), which any causal order allows.
// Every failure is a Hyper123DecodeError; allocation is bounded by the stream length (a
// codeword is at least one bit) and by the caller's maxSamples.
import { Hyper123DecodeError, parseHyper123Header, type Hyper123Header } from "./hyper123-header.ts";
import { Aec121StreamDecoder, Aec121DecodeError } from "./aec121-decoder.ts";
import { HYBRID_LIMITS, HYBRID_THRESHOLDS, HYBRID_CODES, HYBRID_FLUSH } from "./hyper123-hybrid-tables.ts";

export { Hyper123DecodeError, parseHyper123Header };
export type { Hyper123Header };

export interface Hyper123Decoded {
  header: Hyper123Header;
  /** Reconstructed samples, BSQ (x fastest, then y, then z). */
  samples: Int32Array;
  /** Per-sample maximum error m_z(t) in BSQ order (all zero for lossless streams). */
  maxError: Int32Array | null;
  /** Bytes of the stream used (header, body and fill). */
  usedBytes: number;
}

export interface Hyper123DecodeOptions {
  /** Refuse images with more samples than this (default 2^27). */
  maxSamples?: number;
}

/** MSB-first reader over the body with a 32-bit peek. */
class BodyReader {
  pos: number;
  readonly endBit: number;
  readonly buf: Uint8Array;
  constructor(stream: Uint8Array, startByte: number) {
    // a copy with 8 zero bytes of slack, so the 32-bit peek never reads out of bounds
    this.buf = new Uint8Array(stream.length + 8);
    this.buf.set(stream);
    this.pos = startByte * 8;
    this.endBit = stream.length * 8;
  }
  private peek32(): number {
    const b = this.pos >>> 3, sh = this.pos & 7, u = this.buf;
    const w = ((u[b] << 24) | (u[b + 1] << 16) | (u[b + 2] << 8) | u[b + 3]) >>> 0;
    if (sh === 0) return w;
    return ((w << sh) | (u[b + 4] >>> (8 - sh))) >>> 0;
  }
  bits(n: number): number {
    if (this.pos + n > this.endBit) throw new Hyper123DecodeError("TRUNCATED", "body", null, this.pos);
    let v = 0;
    while (n > 0) {
      const take = n > 24 ? 24 : n;
      v = v * (1 << take) + (this.peek32() >>> (32 - take));
      this.pos += take; n -= take;
    }
    return v;
  }
  /** Counts zeros before the next one, at most `limit` (then no one is consumed). */
  zeros(limit: number): number {
    let count = 0;
    for (;;) {
      if (this.pos >= this.endBit) throw new Hyper123DecodeError("TRUNCATED", "body", null, this.pos);
      const w = this.peek32();
      const lz = w === 0 ? 32 : Math.clz32(w);
      const avail = Math.min(lz, this.endBit - this.pos);
      if (count + avail >= limit) { this.pos += limit - count; return limit; }
      if (avail < 32 && avail === lz) { this.pos += lz + 1; return count + lz; }
      count += avail; this.pos += avail;
      if (this.pos >= this.endBit) throw new Hyper123DecodeError("TRUNCATED", "body", null, this.pos);
    }
  }
}

/** Sample-adaptive entropy decoding of the whole body into mapped indices, BSQ layout. */
function decodeSampleAdaptive(h: Hyper123Header, rd: BodyReader, delta: Int32Array, limits: PeriodLimits[]): void {
  const { nx, ny, nz, d } = h;
  const nt = nx * ny;
  const uMax = h.uMax, rescale = (1 << h.gammaStar) - 1, kMax = d - 2;
  const fastK = d <= 16 && h.gammaStar <= 9;         // Σ + ⌊49Γ/2^7⌋ < 2^30: 32-bit arithmetic
  const sigma = fastK ? new Int32Array(nz) : new Float64Array(nz), gamma = new Int32Array(nz);
  const g1 = 1 << h.gamma0;
  for (let z = 0; z < nz; z++) {
    const k2 = h.kz[z];
    const k1 = k2 <= 30 - d ? k2 : 2 * k2 + d - 30;                 // §5.4.3.2.2 k'_z
    gamma[z] = g1;
    sigma[z] = Math.floor((3 * 2 ** (k1 + 6) - 49) * g1 / 128);
  }
  const maxDelta = 2 ** d - 1;
  // Fast path: the stream as big-endian 32-bit words, every codeword that ends at least 96 bits
  // before the end of the data read through a 32-bit window, k from the leading zeros. A
  // codeword the window cannot hold (a unary part of 32 zeros or more, an index out of range,
  // the last 96 bits) goes to one() below, which decodes it or reports it.
  const words = bigEndianWords(rd.buf);
  const fastEnd = rd.endBit - 96;
  const fast = (z: number, t: number, pos: number): number => {
    const g = gamma[z], s = sigma[z];
    const lim = s + ((49 * g) >> 7);
    let k = 0;
    if (lim >= g) { k = Math.clz32(g) - Math.clz32(lim); if ((g << k) > lim) k--; if (k > kMax) k = kMax; }
    let wi = pos >>> 5, r = pos & 31;
    const w = (words[wi] << r) | ((words[wi + 1] >>> 1) >>> (31 - r));
    if (w === 0) return -1;
    let u = Math.clz32(w), v: number;
    if (u < uMax) {
      pos += u + 1;
      if (k === 0) v = u;
      else {
        wi = pos >>> 5; r = pos & 31;
        v = (u << k) | ((((words[wi] << r) | ((words[wi + 1] >>> 1) >>> (31 - r))) >>> (32 - k)));
        pos += k;
      }
    } else {
      u = uMax;
      pos += uMax;
      wi = pos >>> 5; r = pos & 31;
      v = (((words[wi] << r) | ((words[wi + 1] >>> 1) >>> (31 - r))) >>> (32 - d));
      pos += d;
    }
    if (v > maxDelta) return -1;
    if (g < rescale) { sigma[z] = s + v; gamma[z] = g + 1; }
    else { sigma[z] = (s + v + 1) >> 1; gamma[z] = (g + 1) >> 1; }
    delta[z * nt + t] = v;
    return pos;
  };
  const one = (z: number, t: number): void => {
    if (fastK && t !== 0 && rd.pos <= fastEnd) {
      const p = fast(z, t, rd.pos);
      if (p >= 0) { rd.pos = p; return; }
    }
    let v: number;
    if (t === 0) v = rd.bits(d);                                      // §5.4.3.2.1
    else {
      const g = gamma[z], s = sigma[z];
      const lim = s + Math.floor(49 * g / 128);
      let k = 0;
      while (k < kMax && (g << (k + 1)) <= lim) k++;                  // §5.4.3.2.3
      const at = rd.pos;
      const u = rd.zeros(uMax);
      if (u < uMax) v = (u << k) + (k ? rd.bits(k) : 0);
      else v = rd.bits(d);
      if (v > maxDelta) throw new Hyper123DecodeError("BAD_CODEWORD", "mapped quantizer index", v, at);
      if (g < rescale) { sigma[z] = s + v; gamma[z] = g + 1; }
      else { sigma[z] = Math.floor((s + v + 1) / 2); gamma[z] = (g + 1) >> 1; }
    }
    delta[z * nt + t] = v;
  };
  if (h.order === "bsq") {
    // BSQ: one band at a time, its accumulator Σ and counter Γ in locals
    let pos = rd.pos;
    for (let z = 0; z < nz; z++) {
      const row = z * nt;
      rd.pos = pos;
      one(z, 0);
      pos = rd.pos;
      let g = gamma[z], s = sigma[z];
      for (let t = 1; t < nt; t++) {
        if (fastK && pos <= fastEnd) {
          const lim = s + ((49 * g) >> 7);
          let k = 0;
          if (lim >= g) { k = Math.clz32(g) - Math.clz32(lim); if ((g << k) > lim) k--; if (k > kMax) k = kMax; }
          let wi = pos >>> 5, r = pos & 31;
          const w = (words[wi] << r) | ((words[wi + 1] >>> 1) >>> (31 - r));
          if (w !== 0) {
            const u = Math.clz32(w);
            let v: number, p: number;
            if (u < uMax) {
              p = pos + u + 1;
              if (k === 0) v = u;
              else {
                wi = p >>> 5; r = p & 31;
                v = (u << k) | ((((words[wi] << r) | ((words[wi + 1] >>> 1) >>> (31 - r))) >>> (32 - k)));
                p += k;
              }
            } else {
              p = pos + uMax;
              wi = p >>> 5; r = p & 31;
              v = (((words[wi] << r) | ((words[wi + 1] >>> 1) >>> (31 - r))) >>> (32 - d));
              p += d;
            }
            if (v <= maxDelta) {
              if (g < rescale) { s += v; g++; }
              else { s = (s + v + 1) >> 1; g = (g + 1) >> 1; }
              delta[row + t] = v;
              pos = p;
              continue;
            }
          }
        }
        // the general path, which decodes the codeword or reports it
        gamma[z] = g; sigma[z] = s; rd.pos = pos;
        one(z, t);
        g = gamma[z]; s = sigma[z]; pos = rd.pos;
      }
      gamma[z] = g; sigma[z] = s;
    }
    rd.pos = pos;
  } else {
    // band-interleaved: the bit position in a local, each codeword through fast() when it can
    const m = h.m;
    let pos = rd.pos;
    for (let y = 0; y < ny; y++) {
      if (h.periodExp >= 0 && y % 2 ** h.periodExp === 0) {
        rd.pos = pos;
        limits.push(readLimits(h, () => rd.bits(h.absBits), () => rd.bits(h.relBits)));
        pos = rd.pos;
      }
      for (let g0 = 0; g0 < nz; g0 += m) {
        const g1 = g0 + m < nz ? g0 + m : nz;
        for (let x = 0; x < nx; x++) {
          const t = y * nx + x;
          for (let z = g0; z < g1; z++) {
            if (fastK && t !== 0 && pos <= fastEnd) {
              // fast() inlined: the band's Σ and Γ from their arrays, the codeword through a
              // 32-bit window
              const g = gamma[z], sg = sigma[z];
              const lim = sg + ((49 * g) >> 7);
              let k = 0;
              if (lim >= g) { k = Math.clz32(g) - Math.clz32(lim); if ((g << k) > lim) k--; if (k > kMax) k = kMax; }
              let wi = pos >>> 5, r = pos & 31;
              const w = (words[wi] << r) | ((words[wi + 1] >>> 1) >>> (31 - r));
              if (w !== 0) {
                const u = Math.clz32(w);
                let v: number, np: number;
                if (u < uMax) {
                  np = pos + u + 1;
                  if (k === 0) v = u;
                  else {
                    wi = np >>> 5; r = np & 31;
                    v = (u << k) | ((((words[wi] << r) | ((words[wi + 1] >>> 1) >>> (31 - r))) >>> (32 - k)));
                    np += k;
                  }
                } else {
                  np = pos + uMax;
                  wi = np >>> 5; r = np & 31;
                  v = (((words[wi] << r) | ((words[wi + 1] >>> 1) >>> (31 - r))) >>> (32 - d));
                  np += d;
                }
                if (v <= maxDelta) {
                  if (g < rescale) { sigma[z] = sg + v; gamma[z] = g + 1; }
                  else { sigma[z] = (sg + v + 1) >> 1; gamma[z] = (g + 1) >> 1; }
                  delta[z * nt + t] = v;
                  pos = np;
                  continue;
                }
              }
            }
            rd.pos = pos;
            one(z, t);
            pos = rd.pos;
          }
        }
      }
    }
    rd.pos = pos;
  }
}

/** The bytes as big-endian 32-bit words (two zero words after them), for 32-bit windows. */
function bigEndianWords(buf: Uint8Array): Int32Array {
  const words = new Int32Array(((buf.length + 3) >>> 2) + 2);
  const wb = new Uint8Array(words.buffer);
  wb.set(buf);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] === 1) Buffer.from(words.buffer).swap32();
  return words;
}

/** Error limits of one update period (§4.8.2.3), per band. */
export interface PeriodLimits { abs: number[]; rel: number[] }

/** Reads one period's limits (absolute then relative; one value or Nz) through the readers. */
function readLimits(h: Hyper123Header, abs: () => number, rel: () => number): PeriodLimits {
  const out: PeriodLimits = { abs: [], rel: [] };
  if (h.fidelity === 1 || h.fidelity === 3) {
    if (h.absDependent) for (let z = 0; z < h.nz; z++) out.abs.push(abs());
    else { const v = abs(); for (let z = 0; z < h.nz; z++) out.abs.push(v); }
  }
  if (h.fidelity >= 2) {
    if (h.relDependent) for (let z = 0; z < h.nz; z++) out.rel.push(rel());
    else { const v = rel(); for (let z = 0; z < h.nz; z++) out.rel.push(v); }
  }
  return out;
}

/** §5.4.3.4 block-adaptive: the body is a CCSDS 121 stream without preprocessor (n = D) whose
 *  samples, in encoding order, are the mapped indices, the last block completed with fill
 *  samples. Decoded with the ground CCSDS 121 decoder; returns the bytes of the stream used. */
function decodeBlockAdaptive(h: Hyper123Header, stream: Uint8Array, delta: Int32Array, limits: PeriodLimits[]): number {
  const n = delta.length + limitCount(h);
  const padded = Math.ceil(n / h.blockSize) * h.blockSize;
  const dec = new Aec121StreamDecoder({ bitsPerSample: h.d, blockSize: h.blockSize, rsi: h.rsi, preprocess: false, restricted: h.restricted },
    { maxSamples: padded, expectedSamples: padded });
  const body = stream.subarray(h.bodyOffset);
  let got: Uint32Array | Int32Array;
  try {
    got = dec.decodeAll(body);
  } catch (err) {
    if (!(err instanceof Aec121DecodeError)) throw err;
    // a remainder-of-segment zero run may reach past the last block: its blocks are zeros
    if (err.code === "TOO_MANY_SAMPLES") return finishBlockAdaptive(h, delta, limits, err.samples, (stream.length - h.bodyOffset) * 8, stream.length, true);
    throw new Hyper123DecodeError(err.code === "TRUNCATED" ? "TRUNCATED" : "BAD_CODEWORD", "block-adaptive body", err.sampleIndex,
      h.bodyOffset * 8 + Math.max(0, err.bitOffset));
  }
  return finishBlockAdaptive(h, delta, limits, got, dec.bitOffset, stream.length, false);
}

/** Number of periodic error-limit values carried in the body. */
function limitCount(h: Hyper123Header): number {
  if (h.periodExp < 0) return 0;
  const per = (h.fidelity === 1 || h.fidelity === 3 ? (h.absDependent ? h.nz : 1) : 0) + (h.fidelity >= 2 ? (h.relDependent ? h.nz : 1) : 0);
  return Math.ceil(h.ny / 2 ** h.periodExp) * per;
}

/** Mapped indices from the decoded 121 samples (encoding order → BSQ); samples missing at the
 *  end (a zero run coded as remainder of segment) are zeros. Returns the bytes used. */
function finishBlockAdaptive(h: Hyper123Header, delta: Int32Array, limits: PeriodLimits[], decoded: Uint32Array | Int32Array, bitOffset: number, streamLen: number, zeroRun: boolean): number {
  const { nx, ny, nz } = h;
  const nt = nx * ny, n = delta.length + limitCount(h);
  let got = decoded;
  if (got.length < n) {
    if (!zeroRun) throw new Hyper123DecodeError("TRUNCATED", "block-adaptive body", got.length, streamLen * 8);
    const full = new Uint32Array(n);
    full.set(got.subarray(0, n));
    got = full;
  }
  // encoding order → BSQ layout
  if (h.order === "bsq") for (let i = 0; i < n; i++) delta[i] = got[i];
  else {
    let i = 0;
    for (let y = 0; y < ny; y++) {
      if (h.periodExp >= 0 && y % 2 ** h.periodExp === 0) {
        const next = (bits: number) => (): number => { const v = got[i++]; if (v >= 2 ** bits) throw new Hyper123DecodeError("BAD_CODEWORD", "error limit", v, -1); return v; };
        limits.push(readLimits(h, next(h.absBits), next(h.relBits)));
      }
      for (let g0 = 0; g0 < nz; g0 += h.m) for (let x = 0; x < nx; x++)
        for (let z = g0; z < Math.min(g0 + h.m, nz); z++) delta[z * nt + y * nx + x] = got[i++];
    }
  }
  const maxDelta = 2 ** h.d - 1;
  for (let i = 0; i < delta.length; i++) if (delta[i] > maxDelta) throw new Hyper123DecodeError("BAD_CODEWORD", "mapped quantizer index", delta[i], -1);
  // the 121 stream ends on a byte boundary: its length is what the decoder consumed
  return h.bodyOffset + Math.ceil(bitOffset / 8);
}

// ---- hybrid entropy decoder (§5.4.3.3): the body is decoded backwards from its end ----

/** A binary trie over bits read backwards (last bit of a word first); leaves hold a value. */
interface RevTrie { next: Int32Array; leaf: (number[] | null)[] }
function revTrie(words: [string, string][], limit: number): RevTrie {
  const next: number[] = [-1, -1];
  const leaf: (number[] | null)[] = [null];
  for (const [value, w] of words) {
    const m = /^(\d+)'h([0-9A-Fa-f]+)$/.exec(w)!;
    const len = Number(m[1]), bits = parseInt(m[2], 16);
    let node = 0;
    for (let b = 0; b < len; b++) {
      const bit = (bits >>> b) & 1;                 // last bit of the word first
      if (leaf[node] !== null) throw new Error("hybrid table is not suffix-free");
      let nx = next[2 * node + bit];
      if (nx < 0) { nx = leaf.length; leaf.push(null); next.push(-1, -1); next[2 * node + bit] = nx; }
      node = nx;
    }
    leaf[node] = [...value].map((ch) => symbolOf(ch, limit));
  }
  return { next: Int32Array.from(next), leaf };
}
interface HybridCode { limit: number; threshold: number; words: RevTrie; flush: RevTrie }
let hybridCodes: HybridCode[] | null = null;
function codes(): HybridCode[] {
  if (!hybridCodes) {
    const pairs = (t: string): [string, string][] => t.split(";").map((x) => { const [a, b] = x.split(","); return [a, b]; });
    hybridCodes = HYBRID_CODES.map((c, i) => ({ limit: HYBRID_LIMITS[i], threshold: HYBRID_THRESHOLDS[i], words: revTrie(pairs(c), HYBRID_LIMITS[i]),
      flush: revTrie(pairs(HYBRID_FLUSH[i]), HYBRID_LIMITS[i]) }));
  }
  return hybridCodes;
}

/** MSB-first bits of the stream read backwards from `pos` (exclusive) down to `start`. */
class BackReader {
  private readonly buf: Uint8Array;
  constructor(stream: Uint8Array, public pos: number, private readonly start: number) {
    this.buf = new Uint8Array(stream.length + 8);           // slack for the 32-bit peek
    this.buf.set(stream);
  }
  bit(): number {
    if (this.pos <= this.start) throw new Hyper123DecodeError("BAD_CODEWORD", "hybrid body (read past its start)", null, this.pos);
    this.pos--;
    return (this.buf[this.pos >>> 3] >>> (7 - (this.pos & 7))) & 1;
  }
  /** The n bits ending at pos, as an MSB-first number. */
  bits(n: number): number {
    if (n === 0) return 0;
    if (n > 24) { const lo = this.bits(24); return this.bits(n - 24) * 2 ** 24 + lo; }
    if (this.pos - n < this.start) throw new Hyper123DecodeError("BAD_CODEWORD", "hybrid body (read past its start)", null, this.pos);
    this.pos -= n;
    const a = this.pos, b = a >>> 3, u = this.buf;
    const w = ((u[b] << 24) | (u[b + 1] << 16) | (u[b + 2] << 8) | u[b + 3]) >>> 0;
    return (((w << (a & 7)) | (u[b + 4] >>> (8 - (a & 7)))) >>> 0) >>> (32 - n);
  }
  /** Zeros back to the next one (consumed), at most `limit` (then no one is consumed). */
  zeros(limit: number): number {
    let c = 0;
    while (c < limit) {
      const avail = this.pos - this.start;
      if (avail <= 0) throw new Hyper123DecodeError("BAD_CODEWORD", "hybrid body (read past its start)", null, this.pos);
      const n = avail < 24 ? avail : 24;
      const a = this.pos - n, b = a >>> 3, u = this.buf;
      const w = ((((u[b] << 24) | (u[b + 1] << 16) | (u[b + 2] << 8) | u[b + 3]) << (a & 7)) | (u[b + 4] >>> (8 - (a & 7)))) >>> (32 - n);
      const tz = w === 0 ? n : 31 - Math.clz32(w & -w);         // zeros just before pos
      if (c + tz >= limit) { this.pos -= limit - c; return limit; }
      if (tz < n) { this.pos -= tz + 1; return c + tz; }
      c += n; this.pos -= n;
    }
    return limit;
  }
  word(t: RevTrie, what: string): number[] {
    let node = 0;
    for (let guard = 0; guard < 64; guard++) {
      const nx = t.next[2 * node + this.bit()];
      if (nx < 0) break;
      node = nx;
      if (t.leaf[node] !== null) return t.leaf[node]!;
    }
    throw new Hyper123DecodeError("BAD_CODEWORD", what, null, this.pos);
  }
}

function symbolOf(ch: string, limit: number): number { return ch === "X" ? limit + 1 : parseInt(ch, 16); }

/** §5.4.3.3 hybrid decoding, backwards: the tail gives the final accumulators and each code's
 *  pending input symbols; each index is then recovered from the last sample to the first,
 *  undoing the accumulator updates (the rescaling bits make them reversible). */
function decodeHybrid(h: Hyper123Header, stream: Uint8Array, delta: Int32Array, limits: PeriodLimits[]): number {
  const { nx, ny, nz, d } = h;
  const nt = nx * ny;
  const start = h.bodyOffset * 8;
  // the last '1' of the stream ends the tail; zeros after it are fill
  let end = stream.length * 8;
  while (end > start && ((stream[(end - 1) >>> 3] >>> (7 - ((end - 1) & 7))) & 1) === 0) end--;
  if (end <= start) throw new Hyper123DecodeError("TRUNCATED", "hybrid body (no tail)", null, end);
  const usedBytes = Math.ceil(end / 8);
  const rd = new BackReader(stream, end - 1, start);
  const W = 2 + d + h.gammaStar;
  const sigma = new Float64Array(nz);
  for (let z = nz - 1; z >= 0; z--) sigma[z] = rd.bits(W);
  const C = codes();
  const pending: number[][] = [];
  for (let i = 15; i >= 0; i--) {
    pending[i] = rd.word(C[i].flush, `flush word of low-entropy code ${i}`).slice();
  }
  // counter Γ(t) for every t (the same in every band), and where it rescaled
  const gamma = new Int32Array(nt);
  const glim = 2 ** h.gammaStar - 1;
  gamma[0] = 2 ** h.gamma0;
  for (let t = 1; t < nt; t++) gamma[t] = gamma[t - 1] === glim ? (gamma[t - 1] + 1) >> 1 : gamma[t - 1] + 1;
  const uMax = h.uMax, kCap = Math.max(d - 2, 2), maxDelta = 2 ** d - 1;
  const one = (z: number, t: number): void => {
    let v: number;
    if (t === 0) v = rd.bits(d);
    else {
      const g = gamma[t], s = sigma[z];
      const s14 = s * 16384;
      if (s14 >= C[0].threshold * g) {
        // k = ⌊log2((Σ̃ + ⌊49Γ/2^5⌋)/Γ)⌋ − 2, at most max(D − 2, 2)
        const val = s + Math.floor(49 * g / 32);
        let kk = Math.clz32(g) - Math.clz32(val);
        if (g * 2 ** kk > val) kk--;
        let k = kk - 2;
        if (k > kCap) k = kCap;
        const u = rd.zeros(uMax);
        v = u < uMax ? u * 2 ** k + rd.bits(k) : rd.bits(d);
      } else {
        let i = 15;
        while (s14 >= C[i].threshold * g) i--;
        const code = C[i];
        if (pending[i].length === 0) {
          pending[i] = rd.word(code.words, `codeword of low-entropy code ${i}`).slice();
        }
        const sym = pending[i].pop()!;
        if (sym === code.limit + 1) {
          const u = rd.zeros(uMax);
          v = code.limit + 1 + (u < uMax ? u : rd.bits(d));
        } else v = sym;
      }
      if (v > maxDelta) throw new Hyper123DecodeError("BAD_CODEWORD", "mapped quantizer index", v, rd.pos);
      // undo §5.4.3.3.2
      if (gamma[t - 1] === glim) sigma[z] = 2 * s - rd.bit() - 4 * v;
      else sigma[z] = s - 4 * v;
    }
    delta[z * nt + t] = v;
  };
  const readLim = (): void => {
    // forward: absolute values then relative ones; backwards: the reverse
    const nAbs = h.fidelity === 1 || h.fidelity === 3 ? (h.absDependent ? nz : 1) : 0;
    const nRel = h.fidelity >= 2 ? (h.relDependent ? nz : 1) : 0;
    const rel: number[] = [], abs: number[] = [];
    for (let i = 0; i < nRel; i++) rel.unshift(rd.bits(h.relBits));
    for (let i = 0; i < nAbs; i++) abs.unshift(rd.bits(h.absBits));
    let ai = 0, ri = 0;
    limits.unshift(readLimits(h, () => abs[ai++], () => rel[ri++]));
  };
  if (h.order === "bsq") {
    for (let z = nz - 1; z >= 0; z--) for (let t = nt - 1; t >= 0; t--) one(z, t);
  } else {
    const m = h.m;
    const groups: number[] = [];
    for (let g0 = 0; g0 < nz; g0 += m) groups.push(g0);
    for (let y = ny - 1; y >= 0; y--) {
      for (let gi = groups.length - 1; gi >= 0; gi--) {
        const g0 = groups[gi], g1 = Math.min(g0 + m, nz);
        for (let x = nx - 1; x >= 0; x--) for (let z = g1 - 1; z >= g0; z--) one(z, y * nx + x);
      }
      if (h.periodExp >= 0 && y % 2 ** h.periodExp === 0) readLim();
    }
  }
  if (rd.pos !== start) throw new Hyper123DecodeError("BAD_CODEWORD", "hybrid body (bits left before the first codeword)", rd.pos - start, rd.pos);
  for (let i = 0; i < 16; i++) if (pending[i].length) throw new Hyper123DecodeError("BAD_CODEWORD", `low-entropy code ${i} (symbols left)`, pending[i].length, start);
  return usedBytes;
}

/** Decodes a complete CCSDS 123.0-B-2 stream. */
export function decodeHyper123(stream: Uint8Array, opts: Hyper123DecodeOptions = {}): Hyper123Decoded {
  const h = checkedHeader(stream, opts);
  // the mapped indices: every one is written by the entropy stage before it is read, so the
  // array of the previous decode serves again (no fresh pages to fault in and zero)
  const n = h.nx * h.ny * h.nz;
  const whole = scratchDelta && scratchDelta.length >= n ? scratchDelta : new Int32Array(n);
  scratchDelta = null;
  try {
    const delta = whole.length === n ? whole : whole.subarray(0, n);
    const { limits, usedBytes } = entropyDecodeHyper123(stream, h, delta);
    const { samples, maxError } = reconstruct(h, delta, limits);
    return { header: h, samples, maxError, usedBytes };
  } finally {
    if (whole.length <= SCRATCH_MAX) scratchDelta = whole;           // decoding is synchronous: nothing else took it
  }
}

/** Mapped-index array kept from one decodeHyper123() to the next (per thread), up to 64 MiB. */
let scratchDelta: Int32Array | null = null;
const SCRATCH_MAX = 1 << 24;

/** The header, with the size checks made before anything is allocated. */
export function checkedHeader(stream: Uint8Array, opts: Hyper123DecodeOptions = {}): Hyper123Header {
  const h = parseHyper123Header(stream);
  const { nx, ny, nz } = h;
  const n = nx * ny * nz;
  const maxSamples = opts.maxSamples ?? 2 ** 27;
  if (n > maxSamples) throw new Hyper123DecodeError("TOO_LARGE", "samples", n, 0);
  const bodyBits = (stream.length - h.bodyOffset) * 8;
  // a sample-adaptive codeword takes at least one bit; a block-adaptive zero-block run at most
  // covers 64 blocks of J samples with its 5 or more bits
  // (a hybrid low-entropy code packs up to 256 indices into one output bit)
  if (bodyBits * (h.coder === "block-adaptive" ? 64 * h.blockSize : h.coder === "hybrid" ? 256 : 1) < n) throw new Hyper123DecodeError("TRUNCATED", "body", bodyBits, h.bodyOffset * 8);
  return h;
}

/** True when the lossless reconstruction (reconstructLossless) applies to the stream: lossless,
 *  no weight exponent offsets, no damping, and D ≤ 28 (its 32-bit integer arithmetic: local
 *  differences below 2^30, s̃ below 2^31). */
export function isPlainLossless(h: Hyper123Header): boolean {
  return h.fidelity === 0 && !h.weightOffsets && h.phi.every((v) => v === 0) && h.d <= 28;
}

/**
 * The entropy decoding stage: the mapped quantizer indices of the whole image into delta (BSQ
 * layout), the periodic error limits, the bytes used.
 */
export function entropyDecodeHyper123(stream: Uint8Array, h: Hyper123Header, delta: Int32Array): { limits: PeriodLimits[]; usedBytes: number } {
  const limits: PeriodLimits[] = [];
  let usedBytes: number;
  if (h.coder === "hybrid") usedBytes = decodeHybrid(h, stream, delta, limits);
  else if (h.coder === "block-adaptive") usedBytes = decodeBlockAdaptive(h, stream, delta, limits);
  else {
    const rd = new BodyReader(stream, h.bodyOffset);
    decodeSampleAdaptive(h, rd, delta, limits);
    usedBytes = Math.ceil(rd.pos / 8);
  }
  // §5.4.3.1: the image is padded to a whole number of output words
  usedBytes = Math.ceil(usedBytes / h.wordBytes) * h.wordBytes;
  if (usedBytes > stream.length) throw new Hyper123DecodeError("TRUNCATED", "fill", usedBytes, stream.length * 8);
  return { limits, usedBytes };
}

/** Inverse predictor and quantizer (§4), band by band. */
function reconstruct(h: Hyper123Header, delta: Int32Array, limits: PeriodLimits[]): { samples: Int32Array; maxError: Int32Array | null } {
  if (isPlainLossless(h)) {
    const out = new Int32Array(h.nx * h.ny * h.nz);
    reconstructLossless(h, delta, out, 0, h.nz);
    return { samples: out, maxError: null };
  }
  return reconstructGeneral(h, delta, limits);
}

/** The initial weights of band z (§4.6.3.2 default, §4.6.3.3 custom), full ones first. */
function initialWeights(h: Hyper123Header, z: number, w: Float64Array): void {
  const { p, omega } = h;
  const pz = z < p ? z : p;
  const off = h.reduced ? 0 : 3, c = pz + off;
  const pOmega = 2 ** omega;
  w.fill(0);
  if (h.weightInit) {
    const { q, lambda } = h.weightInit;
    for (let i = 0; i < c; i++) w[i] = lambda[z][i] * 2 ** (omega + 3 - q) + Math.floor(2 ** (omega + 2 - q)) - 1;
  } else for (let i = 0; i < pz; i++) w[off + i] = i === 0 ? Math.floor(7 * pOmega / 8) : Math.floor(w[off + i - 1] / 8);
}

/**
 * Lossless reconstruction (§4 with m_z(t) = 0 and φ = 0: s'' = s' = s, no quantizer bins, no
 * weight exponent offsets), bands z0 .. z1-1 of `out` (the bands below z0 already there): the
 * same arithmetic as reconstructGeneral() without the near-lossless branches, the central local
 * differences of the last P bands kept as 32-bit integers, and the local sums split by position
 * so that the inner loop has no per-sample test of the row or column. Returns the central local
 * differences: of every band, or, on the integer path for a whole image (z0 = 0, no cldIn), of
 * the last P + 1 bands only (band z in slot z mod (P + 1)).
 */
export function reconstructLossless(h: Hyper123Header, delta: Int32Array, out: Int32Array, z0: number, z1: number, cldIn?: Int32Array): Int32Array {
  const { nx, ny, d, omega, p } = h;
  const nt = nx * ny;
  const smin = h.signed ? -(2 ** (d - 1)) : 0;
  const smax = h.signed ? 2 ** (d - 1) - 1 : 2 ** d - 1;
  const smid = h.signed ? 0 : 2 ** (d - 1);
  const full = !h.reduced, ls = h.localSum, wideFull = full && ls === 0;
  // central local differences d_z(t) of every band (a band's differences are needed by the
  // P bands above it)
  let cld: Int32Array | null = cldIn ?? null;
  const R = h.r, twoR = 2 ** R, halfR = 2 ** (R - 1);
  const pOmega = 2 ** omega, pOmega2 = 2 ** (omega + 2), invOmega1 = 1 / 2 ** (omega + 1);
  const wMin = -pOmega2, wMax = pOmega2 - 1;
  const lowHr = smin * pOmega2, highHr = smax * pOmega2 + 2 ** (omega + 1);
  const mid4 = 4 * smid, midHr = pOmega2 * smid + 2 ** (omega + 1);
  // §4.10.2 weight update scaling exponent ρ(t): the update ⌊(±2^−ρ·u + 1)/2⌋ of an integer u
  // is (±u + 2^ρ) >> (ρ + 1) when ρ ≥ 0 (integer arithmetic), else it is done in floating point
  const scale = new Float64Array(nt), shift = new Int32Array(nt);
  let intUpdate = true;
  for (let t = 0; t < nt; t++) {
    let rho = h.nuMin + Math.floor((t - nx) / 2 ** h.tIncLog);
    rho = (rho < h.nuMin ? h.nuMin : rho > h.nuMax ? h.nuMax : rho) + d - omega;
    scale[t] = 2 ** -rho;
    shift[t] = rho;
    if (rho < 0 || rho > 29) intUpdate = false;
  }
  if (intUpdate && R <= 32 && d + omega <= 29) {
    // a whole image from its first band keeps only the last P + 1 bands' differences
    const ring = !cldIn && z0 === 0;
    const c = ring ? new Int32Array((p + 1) * nt) : cld ?? new Int32Array(out.length);
    reconstructLosslessInt(h, delta, out, z0, z1, c, shift, ring);
    return c;
  }
  if (!cld) cld = new Int32Array(out.length);
  const wAll = new Float64Array(18);
  const ws = new Float64Array(15), us = new Float64Array(15); // spectral weights and differences
  for (let z = z0; z < z1; z++) {
    const pz = z < p ? z : p;
    initialWeights(h, z, wAll);
    let w0 = 0, w1 = 0, w2 = 0;
    const off = full ? 3 : 0;
    if (full) { w0 = wAll[0]; w1 = wAll[1]; w2 = wAll[2]; }
    for (let i = 0; i < pz; i++) ws[i] = wAll[off + i];
    // the first three spectral weights in locals (P ≤ 3 is the usual case), the rest in ws
    let v0 = ws[0], v1 = ws[1], v2 = ws[2];
    const base = z * nt, lower = (z - 1) * nt;
    // t = 0 (§4.7.3, §4.8): no quantization of the first sample, no weight update
    {
      const sTilde = pz > 0 ? 2 * out[lower] : 2 * smid;
      const sHat = sTilde >> 1;
      const lo = sHat - smin, hi = smax - sHat;
      const s0 = sHat + unmap(delta[base], lo < hi ? lo : hi, sTilde, lo <= hi);
      if (s0 < smin || s0 > smax) throw new Hyper123DecodeError("BAD_CODEWORD", "sample", s0, -1);
      out[base] = s0; cld[base] = 0;
    }
    for (let y = 0; y < ny; y++) {
      for (let x = y === 0 ? 1 : 0; x < nx; x++) {
        const t = y * nx + x;
        const cu = base + t, up = cu - nx;
        // §4.7.1 the spectral part of the predicted central local difference (bands below)
        let d0 = 0, d1 = 0, d2 = 0, spec = 0;
        if (pz > 0) { d0 = cld[cu - nt]; spec = v0 * d0;
          if (pz > 1) { d1 = cld[cu - 2 * nt]; spec += v1 * d1;
            if (pz > 2) { d2 = cld[cu - 3 * nt]; spec += v2 * d2;
              for (let i = 3, k = cu - 4 * nt; i < pz; i++, k -= nt) { const v = cld[k]; us[i] = v; spec += ws[i] * v; } } } }
        // §4.4 local sum, §4.5 local differences, §4.7.1–2 predicted central local difference and
        // the high-resolution predicted sample before its wrap: v = d̂ + 2^Ω(σ − 4s_mid)
        let sigma: number, u0 = 0, u1 = 0, u2 = 0, v: number;
        if (wideFull && y > 0 && x > 0 && x < nx - 1) {
          // full prediction, wide neighbour-oriented sum, inside the image: the same sum of
          // integers (exact in any order below 2^53) grouped so that only its last term waits
          // for the previous sample W
          const N = out[up], NW = out[up - 1], S3 = NW + N + out[up + 1], W = out[cu - 1];
          sigma = W + S3;
          const a0 = 4 * N - S3, a2 = 4 * NW - S3;
          u0 = a0 - W; u1 = 3 * W - S3; u2 = a2 - W;
          v = (w0 * a0 - w1 * S3 + w2 * a2 + spec + pOmega * (S3 - mid4)) + W * (3 * w1 - w0 - w2 + pOmega);
        } else {
          if (y > 0) {
            if (ls >= 2) sigma = 4 * out[up];
            else if (x === 0) sigma = 2 * (out[up] + out[up + 1]);
            else if (x === nx - 1) sigma = ls === 0 ? out[cu - 1] + out[up - 1] + 2 * out[up] : 2 * (out[up - 1] + out[up]);
            else sigma = ls === 0 ? out[cu - 1] + out[up - 1] + out[up] + out[up + 1] : out[up - 1] + 2 * out[up] + out[up + 1];
          } else if (ls === 0 || ls === 2) sigma = 4 * out[cu - 1];
          else sigma = z > 0 ? 4 * out[lower + t - 1] : mid4;
          let dHat = 0;
          if (full && y > 0) {
            u0 = 4 * out[up] - sigma;
            if (x > 0) { u1 = 4 * out[cu - 1] - sigma; u2 = 4 * out[up - 1] - sigma; } else { u1 = u0; u2 = u0; }
            dHat = w0 * u0 + w1 * u1 + w2 * u2;
          }
          v = dHat + spec + pOmega * (sigma - mid4);
        }
        // §4.7.2 (mod*_R register wrap), §4.7.3, §4.7.4
        if (v >= halfR || v < -halfR) v -= Math.floor((v + halfR) / twoR) * twoR;
        let hr = v + midHr;
        hr = hr < lowHr ? lowHr : hr > highHr ? highHr : hr;
        const sTilde = Math.floor(hr * invOmega1) | 0;               // |hr| < 2^(D+Ω+3): an int32
        const sHat = sTilde >> 1;
        // §4.11 inverse mapping (θ = distance to the nearer bound)
        const dm = delta[cu];
        const lo = sHat - smin, hi = smax - sHat;
        const theta = lo < hi ? lo : hi;
        let q: number;
        if (dm > 2 * theta) q = lo <= hi ? dm - theta : theta - dm;
        else {
          // |q| = ⌈δ/2⌉, negative when the parities of δ and s̃ differ (no branch on them)
          const neg = (dm ^ sTilde) & 1, mag = (dm + 1) >> 1;
          q = (mag ^ -neg) + neg;
        }
        const s = sHat + q;
        if (s < smin || s > smax) throw new Hyper123DecodeError("BAD_CODEWORD", "sample", s, -1);
        out[cu] = s;
        cld[cu] = 4 * s - sigma;
        // §4.10 weight update
        if (intUpdate) {
          const rho = shift[t], half = 1 << rho, sh = rho + 1;
          // m = 0 when 2s' − s̃ ≥ 0 (add), −1 when negative (subtract): (u ^ m) − m = ±u
          const m = (2 * s - sTilde) >> 31;
          let nw: number;
          if (full) {
            nw = w0 + ((((u0 ^ m) - m) + half) >> sh); w0 = nw < wMin ? wMin : nw > wMax ? wMax : nw;
            nw = w1 + ((((u1 ^ m) - m) + half) >> sh); w1 = nw < wMin ? wMin : nw > wMax ? wMax : nw;
            nw = w2 + ((((u2 ^ m) - m) + half) >> sh); w2 = nw < wMin ? wMin : nw > wMax ? wMax : nw;
          }
          if (pz > 0) {
            nw = v0 + ((((d0 ^ m) - m) + half) >> sh); v0 = nw < wMin ? wMin : nw > wMax ? wMax : nw;
            if (pz > 1) {
              nw = v1 + ((((d1 ^ m) - m) + half) >> sh); v1 = nw < wMin ? wMin : nw > wMax ? wMax : nw;
              if (pz > 2) {
                nw = v2 + ((((d2 ^ m) - m) + half) >> sh); v2 = nw < wMin ? wMin : nw > wMax ? wMax : nw;
                for (let i = 3; i < pz; i++) {
                  nw = ws[i] + ((((us[i] ^ m) - m) + half) >> sh);
                  ws[i] = nw < wMin ? wMin : nw > wMax ? wMax : nw;
                }
              }
            }
          }
          continue;
        }
        const sc = 2 * s - sTilde >= 0 ? scale[t] : -scale[t];
        if (full) {
          let nw = w0 + Math.floor((u0 * sc + 1) * 0.5); w0 = nw < wMin ? wMin : nw > wMax ? wMax : nw;
          nw = w1 + Math.floor((u1 * sc + 1) * 0.5); w1 = nw < wMin ? wMin : nw > wMax ? wMax : nw;
          nw = w2 + Math.floor((u2 * sc + 1) * 0.5); w2 = nw < wMin ? wMin : nw > wMax ? wMax : nw;
        }
        if (pz > 0) {
          let nw = v0 + Math.floor((d0 * sc + 1) * 0.5); v0 = nw < wMin ? wMin : nw > wMax ? wMax : nw;
          if (pz > 1) {
            nw = v1 + Math.floor((d1 * sc + 1) * 0.5); v1 = nw < wMin ? wMin : nw > wMax ? wMax : nw;
            if (pz > 2) {
              nw = v2 + Math.floor((d2 * sc + 1) * 0.5); v2 = nw < wMin ? wMin : nw > wMax ? wMax : nw;
              for (let i = 3; i < pz; i++) {
                nw = ws[i] + Math.floor((us[i] * sc + 1) * 0.5);
                ws[i] = nw < wMin ? wMin : nw > wMax ? wMax : nw;
              }
            }
          }
        }
      }
    }
  }
  return cld;
}


/**
 * reconstructLossless() in 32-bit integers, for R ≤ 32, D + Ω ≤ 29 and a weight update exponent
 * ρ(t) in 0..29 (the usual parameter sets). §4.7.2 keeps only the low R bits of the predicted
 * value (mod*_R), and the low 32 bits of a sum of products are the sum of the products' low 32
 * bits: Math.imul and wrapping adds give exactly those bits, sign-extended from bit R − 1. With
 * D + Ω ≤ 29 the clipped high-resolution prediction (§4.7.3) and every local difference and
 * weight fit in an int32, so no value of the loop is a double.
 */
function reconstructLosslessInt(h: Hyper123Header, delta: Int32Array, out: Int32Array, z0: number, z1: number, cld: Int32Array, shift: Int32Array, ring: boolean): void {
  const { nx, ny, d, omega, p } = h;
  const nt = nx * ny;
  const smin = h.signed ? -(1 << (d - 1)) : 0;
  const smax = h.signed ? (1 << (d - 1)) - 1 : (1 << d) - 1;
  const smid = h.signed ? 0 : 1 << (d - 1);
  const full = !h.reduced, ls = h.localSum, wideFull = full && ls === 0;
  const rs = 32 - h.r;                                   // mod*_R: sign extension from bit R − 1
  const pOmega = 1 << omega, sh1 = omega + 1;
  const wMin = -(1 << (omega + 2)), wMax = (1 << (omega + 2)) - 1;
  const mid4 = 4 * smid, midHr = (smid << (omega + 2)) + (1 << (omega + 1));
  // §4.7.3 clipping of s~ = v + midHr to [s_min·2^(Ω+2), s_max·2^(Ω+2) + 2^(Ω+1)], done on v
  const vLo = (smin << (omega + 2)) - midHr, vHi = ((smax - smid) << (omega + 2));
  const wAll = new Float64Array(18);
  const ws = new Int32Array(15), us = new Int32Array(15); // spectral weights and differences
  const imul = Math.imul;
  // where band z's central local differences are: band z of cld, or with ring, slot z mod (P + 1)
  const slot = (z: number): number => (ring ? z % (p + 1) : z) * nt;
  const sl = new Int32Array(16);                        // slots of bands z − 1 .. z − P
  for (let z = z0; z < z1; z++) {
    const pz = z < p ? z : p;
    const c0 = slot(z);
    for (let i = 0; i < pz; i++) sl[i] = slot(z - 1 - i);
    const c1 = sl[0], c2 = sl[1], c3 = sl[2];
    initialWeights(h, z, wAll);
    let w0 = 0, w1 = 0, w2 = 0;
    const off = full ? 3 : 0;
    if (full) { w0 = wAll[0] | 0; w1 = wAll[1] | 0; w2 = wAll[2] | 0; }
    for (let i = 0; i < pz; i++) ws[i] = wAll[off + i];
    let v0 = ws[0], v1 = ws[1], v2 = ws[2];
    const base = z * nt, lower = (z - 1) * nt;
    {
      const sTilde = pz > 0 ? 2 * out[lower] : 2 * smid;
      const sHat = sTilde >> 1;
      const lo = sHat - smin, hi = smax - sHat;
      const s0 = sHat + unmap(delta[base], lo < hi ? lo : hi, sTilde, lo <= hi);
      if (s0 < smin || s0 > smax) throw new Hyper123DecodeError("BAD_CODEWORD", "sample", s0, -1);
      out[base] = s0; cld[c0] = 0;
    }
    // rows below the first: x = 0, then the interior through the specialised loop when the
    // prediction is full with wide neighbour-oriented sums and P = 3, then x = Nx − 1
    const hot = wideFull && pz === 3 && nx >= 3;
    for (let y = 0; y < ny; y++) {
      const split = hot && y > 0;
      for (let seg = 0; seg < 3; seg++) {
        if (seg === 1) {
          if (!split) continue;
          // the interior of the row: N, NW, NE and W carried in locals, P = 3 unrolled
          const cb = base + y * nx, ub = cb - nx;
          let W = out[cb], NW = out[ub], N = out[ub + 1], NE = out[ub + 2];
          for (let x = 1, t = y * nx + 1; x < nx - 1; x++, t++) {
            const cu = cb + x;
            const d0 = cld[c1 + t], d1 = cld[c2 + t], d2 = cld[c3 + t];
            const spec = (((imul(v0, d0) + imul(v1, d1)) | 0) + imul(v2, d2)) | 0;
            const S3 = NW + N + NE;
            const sigma = W + S3;
            const a0 = 4 * N - S3, a2 = 4 * NW - S3;
            const part = (((imul(w0, a0) - imul(w1, S3)) | 0) + ((imul(w2, a2) + spec) | 0) + ((S3 - mid4) << omega)) | 0;
            let v = (part + imul(W, (3 * w1 - w0 - w2 + pOmega) | 0)) | 0;
            if (rs !== 0) v = (v << rs) >> rs;
            v = v < vLo ? vLo : v > vHi ? vHi : v;
            const sTilde = (v + midHr) >> sh1;
            const sHat = sTilde >> 1;
            const dm = delta[cu];
            const lo = sHat - smin, hi = smax - sHat;
            const theta = lo < hi ? lo : hi;
            let q: number;
            if (dm > 2 * theta) q = lo <= hi ? dm - theta : theta - dm;
            else {
              const neg = (dm ^ sTilde) & 1, mag = (dm + 1) >> 1;
              q = (mag ^ -neg) + neg;
            }
            const s = sHat + q;
            if (s < smin || s > smax) throw new Hyper123DecodeError("BAD_CODEWORD", "sample", s, -1);
            out[cu] = s;
            cld[c0 + t] = 4 * s - sigma;
            const u0 = a0 - W, u1 = 3 * W - S3, u2 = a2 - W;
            const rho = shift[t], half = 1 << rho, sh = rho + 1;
            const m = (2 * s - sTilde) >> 31;
            let nw = w0 + ((((u0 ^ m) - m) + half) >> sh); w0 = nw < wMin ? wMin : nw > wMax ? wMax : nw;
            nw = w1 + ((((u1 ^ m) - m) + half) >> sh); w1 = nw < wMin ? wMin : nw > wMax ? wMax : nw;
            nw = w2 + ((((u2 ^ m) - m) + half) >> sh); w2 = nw < wMin ? wMin : nw > wMax ? wMax : nw;
            nw = v0 + ((((d0 ^ m) - m) + half) >> sh); v0 = nw < wMin ? wMin : nw > wMax ? wMax : nw;
            nw = v1 + ((((d1 ^ m) - m) + half) >> sh); v1 = nw < wMin ? wMin : nw > wMax ? wMax : nw;
            nw = v2 + ((((d2 ^ m) - m) + half) >> sh); v2 = nw < wMin ? wMin : nw > wMax ? wMax : nw;
            W = s; NW = N; N = NE; NE = out[ub + x + 2];
          }
          continue;
        }
        const xs = seg === 0 ? (y === 0 ? 1 : 0) : split ? nx - 1 : nx;
        const xe = seg === 0 ? (split ? 1 : nx) : nx;
        for (let x = xs; x < xe; x++) {
          const t = y * nx + x;
          const cu = base + t, up = cu - nx;
          // §4.7.1 the spectral part (bands below), low 32 bits
          let d0 = 0, d1 = 0, d2 = 0, spec = 0;
          if (pz > 0) { d0 = cld[c1 + t]; spec = imul(v0, d0);
            if (pz > 1) { d1 = cld[c2 + t]; spec = (spec + imul(v1, d1)) | 0;
              if (pz > 2) { d2 = cld[c3 + t]; spec = (spec + imul(v2, d2)) | 0;
                for (let i = 3; i < pz; i++) { const c = cld[sl[i] + t]; us[i] = c; spec = (spec + imul(ws[i], c)) | 0; } } } }
          let sigma: number, u0 = 0, u1 = 0, u2 = 0, v: number;
          if (wideFull && y > 0 && x > 0 && x < nx - 1) {
            // the same grouping as reconstructLossless(): only the last term waits for W
            const N = out[up], NW = out[up - 1], S3 = NW + N + out[up + 1], W = out[cu - 1];
            sigma = W + S3;
            const a0 = 4 * N - S3, a2 = 4 * NW - S3;
            u0 = a0 - W; u1 = 3 * W - S3; u2 = a2 - W;
            const part = (((imul(w0, a0) - imul(w1, S3)) | 0) + ((imul(w2, a2) + spec) | 0) + ((S3 - mid4) << omega)) | 0;
            v = (part + imul(W, (3 * w1 - w0 - w2 + pOmega) | 0)) | 0;
          } else {
            if (y > 0) {
              if (ls >= 2) sigma = 4 * out[up];
              else if (x === 0) sigma = 2 * (out[up] + out[up + 1]);
              else if (x === nx - 1) sigma = ls === 0 ? out[cu - 1] + out[up - 1] + 2 * out[up] : 2 * (out[up - 1] + out[up]);
              else sigma = ls === 0 ? out[cu - 1] + out[up - 1] + out[up] + out[up + 1] : out[up - 1] + 2 * out[up] + out[up + 1];
            } else if (ls === 0 || ls === 2) sigma = 4 * out[cu - 1];
            else sigma = z > 0 ? 4 * out[lower + t - 1] : mid4;
            let dHat = 0;
            if (full && y > 0) {
              u0 = 4 * out[up] - sigma;
              if (x > 0) { u1 = 4 * out[cu - 1] - sigma; u2 = 4 * out[up - 1] - sigma; } else { u1 = u0; u2 = u0; }
              dHat = (((imul(w0, u0) + imul(w1, u1)) | 0) + imul(w2, u2)) | 0;
            }
            v = (((dHat + spec) | 0) + ((sigma - mid4) << omega)) | 0;
          }
          // §4.7.2 mod*_R, §4.7.3 clipping, s~ and s^
          if (rs !== 0) v = (v << rs) >> rs;
          v = v < vLo ? vLo : v > vHi ? vHi : v;
          const sTilde = (v + midHr) >> sh1;
          const sHat = sTilde >> 1;
          // §4.11 inverse mapping
          const dm = delta[cu];
          const lo = sHat - smin, hi = smax - sHat;
          const theta = lo < hi ? lo : hi;
          let q: number;
          if (dm > 2 * theta) q = lo <= hi ? dm - theta : theta - dm;
          else {
            const neg = (dm ^ sTilde) & 1, mag = (dm + 1) >> 1;
            q = (mag ^ -neg) + neg;
          }
          const s = sHat + q;
          if (s < smin || s > smax) throw new Hyper123DecodeError("BAD_CODEWORD", "sample", s, -1);
          out[cu] = s;
          cld[c0 + t] = 4 * s - sigma;
          // §4.10 weight update, integer form
          const rho = shift[t], half = 1 << rho, sh = rho + 1;
          const m = (2 * s - sTilde) >> 31;
          let nw: number;
          if (full) {
            nw = w0 + ((((u0 ^ m) - m) + half) >> sh); w0 = nw < wMin ? wMin : nw > wMax ? wMax : nw;
            nw = w1 + ((((u1 ^ m) - m) + half) >> sh); w1 = nw < wMin ? wMin : nw > wMax ? wMax : nw;
            nw = w2 + ((((u2 ^ m) - m) + half) >> sh); w2 = nw < wMin ? wMin : nw > wMax ? wMax : nw;
          }
          if (pz > 0) {
            nw = v0 + ((((d0 ^ m) - m) + half) >> sh); v0 = nw < wMin ? wMin : nw > wMax ? wMax : nw;
            if (pz > 1) {
              nw = v1 + ((((d1 ^ m) - m) + half) >> sh); v1 = nw < wMin ? wMin : nw > wMax ? wMax : nw;
              if (pz > 2) {
                nw = v2 + ((((d2 ^ m) - m) + half) >> sh); v2 = nw < wMin ? wMin : nw > wMax ? wMax : nw;
                for (let i = 3; i < pz; i++) {
                  nw = ws[i] + ((((us[i] ^ m) - m) + half) >> sh);
                  ws[i] = nw < wMin ? wMin : nw > wMax ? wMax : nw;
                }
              }
            }
          }
        }
      }
    }
  }
}

/** Inverse predictor and quantizer (§4), band by band: every fidelity and option. */
export function reconstructGeneral(h: Hyper123Header, delta: Int32Array, limits: PeriodLimits[]): { samples: Int32Array; maxError: Int32Array | null } {
  const { nx, ny, nz, d, omega, p } = h;
  const nt = nx * ny;
  const smin = h.signed ? -(2 ** (d - 1)) : 0;
  const smax = h.signed ? 2 ** (d - 1) - 1 : 2 ** d - 1;
  const smid = h.signed ? 0 : 2 ** (d - 1);
  const full = !h.reduced;
  const fidelity = h.fidelity, near = fidelity !== 0, ls = h.localSum;
  const out = new Int32Array(nx * ny * nz);       // s' (reconstructed samples)
  const rep = new Int32Array(nx * ny * nz);       // s'' (sample representatives)
  const cld = new Float64Array(nx * ny * nz);     // central local differences d_z(t)
  const maxError = near ? new Int32Array(nx * ny * nz) : null;
  const R = h.r, twoR = 2 ** R, halfR = 2 ** (R - 1);
  const pOmega = 2 ** omega, pOmega1 = 2 ** (omega + 1), pOmega2 = 2 ** (omega + 2), invOmega1 = 1 / pOmega1, pD = 2 ** d;
  const wMin = -pOmega2, wMax = pOmega2 - 1;
  const lowHr = smin * pOmega2, highHr = smax * pOmega2 + pOmega1;
  const mid4 = 4 * smid, midHr = pOmega2 * smid + pOmega1;
  // §4.10.2 weight update scaling exponent ρ(t), the same for every band: 2^−ρ(t) per t
  const scale = new Float64Array(nt);
  for (let t = 0; t < nt; t++) {
    let rho = h.nuMin + Math.floor((t - nx) / 2 ** h.tIncLog);
    rho = (rho < h.nuMin ? h.nuMin : rho > h.nuMax ? h.nuMax : rho) + d - omega;
    scale[t] = 2 ** -rho;
  }
  const u = new Float64Array(18), w = new Float64Array(18);
  for (let z = 0; z < nz; z++) {
    const pz = z < p ? z : p;
    const off = full ? 3 : 0, c = pz + off;
    // §4.6.3.2 default weight initialisation
    w.fill(0);
    if (h.weightInit) {
      // §4.6.3.3 custom weight initialisation
      const { q, lambda } = h.weightInit;
      for (let i = 0; i < c; i++) w[i] = lambda[z][i] * 2 ** (omega + 3 - q) + Math.floor(2 ** (omega + 2 - q)) - 1;
    } else for (let i = 0; i < pz; i++) w[off + i] = i === 0 ? Math.floor(7 * pOmega / 8) : Math.floor(w[off + i - 1] / 8);
    // §4.10.3 weight exponent offsets: 2^−ς per component
    const offScale = new Float64Array(c).fill(1);
    const xi = h.weightOffsets?.[z];
    if (xi) for (let i = 0; i < c; i++) offScale[i] = 2 ** -(i < off ? xi[0] : xi[1 + i - off]);
    const phi = h.phi[z], psi = h.psi[z], theta = h.theta;
    const plain = !near && phi === 0;             // s'' = s' = s: no quantizer, no damping
    let az = fidelity === 1 || fidelity === 3 ? h.absLimits[z] : 0;
    let rz = fidelity === 2 || fidelity === 3 ? h.relLimits[z] : 0;
    const periodic = h.periodExp >= 0, pmask = 2 ** Math.max(0, h.periodExp) - 1;
    const base = z * nt, lower = (z - 1) * nt;
    const thetaScale = 4 * (2 ** theta - phi), psiScale = psi * 2 ** (omega - theta), phiOff = phi * pOmega1, invRep = 1 / 2 ** (omega + theta + 1);
    for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
      const t = y * nx + x;
      const cu = base + t, up = cu - nx;
      const dm = delta[cu];
      if (periodic && x === 0 && (y & pmask) === 0) {
        // §4.8.2.3 the limits of this update period
        const lim = limits[y >> h.periodExp];
        if (fidelity === 1 || fidelity === 3) az = lim.abs[z];
        if (fidelity >= 2) rz = lim.rel[z];
      }
      if (t === 0) {
        // §4.7.3 t = 0 and §4.8: no quantization of the first sample
        const sTilde = pz > 0 ? 2 * rep[lower] : 2 * smid;
        const sHat = sTilde >> 1;
        const lo = sHat - smin, hi = smax - sHat;
        const q = unmap(dm, lo < hi ? lo : hi, sTilde, lo <= hi);
        const s0 = sHat + q;
        if (s0 < smin || s0 > smax) throw new Hyper123DecodeError("BAD_CODEWORD", "sample", s0, -1);
        out[cu] = s0; rep[cu] = s0; cld[cu] = 0;
        continue;
      }
      // §4.4 local sum
      let sigma: number;
      if (y > 0) {
        if (ls >= 2) sigma = 4 * rep[up];
        else if (x === 0) sigma = 2 * (rep[up] + rep[up + 1]);
        else if (x === nx - 1) sigma = ls === 0 ? rep[cu - 1] + rep[up - 1] + 2 * rep[up] : 2 * (rep[up - 1] + rep[up]);
        else sigma = ls === 0 ? rep[cu - 1] + rep[up - 1] + rep[up] + rep[up + 1] : rep[up - 1] + 2 * rep[up] + rep[up + 1];
      } else if (ls === 0 || ls === 2) sigma = 4 * rep[cu - 1];
      else sigma = z > 0 ? 4 * rep[lower + t - 1] : mid4;
      // §4.5 local difference vector, §4.7.1 predicted central local difference
      let dHat = 0;
      if (full) {
        if (y > 0) {
          const dn = 4 * rep[up] - sigma;
          u[0] = dn;
          u[1] = x > 0 ? 4 * rep[cu - 1] - sigma : dn;
          u[2] = x > 0 ? 4 * rep[up - 1] - sigma : dn;
        } else { u[0] = 0; u[1] = 0; u[2] = 0; }
        dHat = w[0] * u[0] + w[1] * u[1] + w[2] * u[2];
      }
      for (let i = 0, k = cu - nt; i < pz; i++, k -= nt) { const v = cld[k]; u[off + i] = v; dHat += w[off + i] * v; }
      // §4.7.2 high-resolution predicted sample (mod*_R register wrap), §4.7.3, §4.7.4
      let v = dHat + pOmega * (sigma - mid4);
      if (v >= halfR || v < -halfR) v -= Math.floor((v + halfR) / twoR) * twoR;
      let hr = v + midHr;
      hr = hr < lowHr ? lowHr : hr > highHr ? highHr : hr;
      const sTilde = Math.floor(hr * invOmega1);
      const sHat = sTilde >> 1;
      let sPrime: number, sRep: number;
      if (plain) {
        const lo = sHat - smin, hi = smax - sHat;
        sPrime = sHat + unmap(dm, lo < hi ? lo : hi, sTilde, lo <= hi);
        if (sPrime < smin || sPrime > smax) throw new Hyper123DecodeError("BAD_CODEWORD", "sample", sPrime, -1);
        sRep = sPrime;
      } else {
        // §4.8.2 maximum error, §4.11 inverse mapping, §4.9 bin centre and sample representative
        let m = 0;
        if (fidelity === 1) m = az;
        else if (fidelity >= 2) { const mr = Math.floor(rz * Math.abs(sHat) / pD); m = fidelity === 3 && az < mr ? az : mr; }
        const m2 = 2 * m + 1;
        const lo = Math.floor((sHat - smin + m) / m2), hi = Math.floor((smax - sHat + m) / m2);
        const q = unmap(dm, lo < hi ? lo : hi, sTilde, lo <= hi);
        if (q < -lo || q > hi) throw new Hyper123DecodeError("BAD_CODEWORD", "quantizer index", q, -1);
        const sp = sHat + q * m2;
        sPrime = sp < smin ? smin : sp > smax ? smax : sp;
        if (maxError) maxError[cu] = m;
        const sgnQ = q > 0 ? 1 : q < 0 ? -1 : 0;
        const num = thetaScale * (sPrime * pOmega - sgnQ * m * psiScale) + phi * hr - phiOff;
        sRep = Math.floor((Math.floor(num * invRep) + 1) / 2);
      }
      out[cu] = sPrime;
      rep[cu] = sRep;
      cld[cu] = 4 * sRep - sigma;
      // §4.10 weight update
      const sc = 2 * sPrime - sTilde >= 0 ? scale[t] : -scale[t];
      for (let i = 0; i < c; i++) {
        const nw = w[i] + Math.floor((u[i] * sc * offScale[i] + 1) * 0.5);
        w[i] = nw < wMin ? wMin : nw > wMax ? wMax : nw;
      }
    }
  }
  return { samples: out, maxError };
}

/** §4.11 inverse of the mapped quantizer index. lowerIsTheta: θ is the distance to s_min. */
function unmap(dm: number, theta: number, sTilde: number, lowerIsTheta: boolean): number {
  if (dm > 2 * theta) return lowerIsTheta ? dm - theta : -(dm - theta);
  const even = (sTilde & 1) === 0;
  if ((dm & 1) === 0) return even ? dm / 2 : -dm / 2;
  return even ? -(dm + 1) / 2 : (dm + 1) / 2;
}
