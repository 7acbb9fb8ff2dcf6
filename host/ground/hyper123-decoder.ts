// CCSDS 123.0-B-2 ground decompressor: sample-adaptive entropy decoder (§5.4.3.2) and the
// inverse of the adaptive predictor and quantizer (§4), written from the standard and
// independently of the flight encoder. Two passes: the entropy decoder turns the body into a
// cube of mapped quantizer indices (in stream order: BSQ or band-interleaved with depth M);
// the predictor then reconstructs band by band (z outer), which any causal order allows.
// Every failure is a Hyper123DecodeError; allocation is bounded by the stream length (a
// codeword is at least one bit) and by the caller's maxSamples.
import { Hyper123DecodeError, parseHyper123Header, type Hyper123Header } from "./hyper123-header.ts";
import { Aec121StreamDecoder, Aec121DecodeError } from "./aec121-decoder.ts";

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
  private readonly buf: Uint8Array;
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
function decodeSampleAdaptive(h: Hyper123Header, rd: BodyReader, delta: Int32Array): void {
  const { nx, ny, nz, d } = h;
  const nt = nx * ny;
  const uMax = h.uMax, rescale = (1 << h.gammaStar) - 1, kMax = d - 2;
  const sigma = new Float64Array(nz), gamma = new Int32Array(nz);
  const g1 = 1 << h.gamma0;
  for (let z = 0; z < nz; z++) {
    const k2 = h.kz[z];
    const k1 = k2 <= 30 - d ? k2 : 2 * k2 + d - 30;                 // §5.4.3.2.2 k'_z
    gamma[z] = g1;
    sigma[z] = Math.floor((3 * 2 ** (k1 + 6) - 49) * g1 / 128);
  }
  const maxDelta = 2 ** d - 1;
  const one = (z: number, t: number): void => {
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
    for (let z = 0; z < nz; z++) for (let t = 0; t < nt; t++) one(z, t);
  } else {
    const m = h.m;
    for (let y = 0; y < ny; y++)
      for (let g0 = 0; g0 < nz; g0 += m)
        for (let x = 0; x < nx; x++)
          for (let z = g0; z < Math.min(g0 + m, nz); z++) one(z, y * nx + x);
  }
}

/** §5.4.3.4 block-adaptive: the body is a CCSDS 121 stream without preprocessor (n = D) whose
 *  samples, in encoding order, are the mapped indices, the last block completed with fill
 *  samples. Decoded with the ground CCSDS 121 decoder; returns the bytes of the stream used. */
function decodeBlockAdaptive(h: Hyper123Header, stream: Uint8Array, delta: Int32Array): number {
  const { nx, ny, nz } = h;
  const n = delta.length, nt = nx * ny;
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
    if (err.code === "TOO_MANY_SAMPLES") return finishBlockAdaptive(h, delta, err.samples, (stream.length - h.bodyOffset) * 8, stream.length, true);
    throw new Hyper123DecodeError(err.code === "TRUNCATED" ? "TRUNCATED" : "BAD_CODEWORD", "block-adaptive body", err.sampleIndex,
      h.bodyOffset * 8 + Math.max(0, err.bitOffset));
  }
  return finishBlockAdaptive(h, delta, got, dec.bitOffset, stream.length, false);
}

/** Mapped indices from the decoded 121 samples (encoding order → BSQ); samples missing at the
 *  end (a zero run coded as remainder of segment) are zeros. Returns the bytes used. */
function finishBlockAdaptive(h: Hyper123Header, delta: Int32Array, decoded: Uint32Array | Int32Array, bitOffset: number, streamLen: number, zeroRun: boolean): number {
  const { nx, ny, nz } = h;
  const n = delta.length, nt = nx * ny;
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
    for (let y = 0; y < ny; y++) for (let g0 = 0; g0 < nz; g0 += h.m) for (let x = 0; x < nx; x++)
      for (let z = g0; z < Math.min(g0 + h.m, nz); z++) delta[z * nt + y * nx + x] = got[i++];
  }
  const maxDelta = 2 ** h.d - 1;
  for (let i = 0; i < n; i++) if (delta[i] > maxDelta) throw new Hyper123DecodeError("BAD_CODEWORD", "mapped quantizer index", delta[i], -1);
  // the 121 stream ends on a byte boundary: its length is what the decoder consumed
  return h.bodyOffset + Math.ceil(bitOffset / 8);
}

/** Decodes a complete CCSDS 123.0-B-2 stream. */
export function decodeHyper123(stream: Uint8Array, opts: Hyper123DecodeOptions = {}): Hyper123Decoded {
  const h = parseHyper123Header(stream);
  const { nx, ny, nz, d } = h;
  const n = nx * ny * nz;
  const maxSamples = opts.maxSamples ?? 2 ** 27;
  if (n > maxSamples) throw new Hyper123DecodeError("TOO_LARGE", "samples", n, 0);
  const bodyBits = (stream.length - h.bodyOffset) * 8;
  // a sample-adaptive codeword takes at least one bit; a block-adaptive zero-block run at most
  // covers 64 blocks of J samples with its 5 or more bits
  if (bodyBits * (h.coder === "block-adaptive" ? 64 * h.blockSize : 1) < n) throw new Hyper123DecodeError("TRUNCATED", "body", bodyBits, h.bodyOffset * 8);
  const delta = new Int32Array(n);
  let usedBytes: number;
  if (h.coder === "block-adaptive") usedBytes = decodeBlockAdaptive(h, stream, delta);
  else {
    const rd = new BodyReader(stream, h.bodyOffset);
    decodeSampleAdaptive(h, rd, delta);
    usedBytes = Math.ceil(rd.pos / 8);
  }
  // §5.4.3.1: the image is padded to a whole number of output words
  usedBytes = Math.ceil(usedBytes / h.wordBytes) * h.wordBytes;
  if (usedBytes > stream.length) throw new Hyper123DecodeError("TRUNCATED", "fill", usedBytes, stream.length * 8);
  const { samples, maxError } = reconstruct(h, delta);
  return { header: h, samples, maxError, usedBytes };
}

/** Inverse predictor and quantizer (§4), band by band. */
function reconstruct(h: Hyper123Header, delta: Int32Array): { samples: Int32Array; maxError: Int32Array | null } {
  const { nx, ny, nz, d, omega, p } = h;
  const nt = nx * ny;
  const smin = h.signed ? -(2 ** (d - 1)) : 0;
  const smax = h.signed ? 2 ** (d - 1) - 1 : 2 ** d - 1;
  const smid = h.signed ? 0 : 2 ** (d - 1);
  const full = !h.reduced;
  const near = h.fidelity !== 0;
  const out = new Int32Array(nx * ny * nz);       // s' (reconstructed samples)
  const rep = new Int32Array(nx * ny * nz);       // s'' (sample representatives)
  const cld = new Float64Array(nx * ny * nz);     // central local differences d_z(t)
  const sig = new Float64Array(nx * ny);          // local sums of the current band
  const maxError = near ? new Int32Array(nx * ny * nz) : null;
  const two = (k: number): number => 2 ** k;
  const R = h.r, twoR = two(R), halfR = two(R - 1);
  const pOmega = two(omega), pOmega1 = two(omega + 1), pOmega2 = two(omega + 2), invOmega1 = 1 / pOmega1, pD = two(d);
  const tInc = two(h.tIncLog);
  const wMin = -two(omega + 2), wMax = two(omega + 2) - 1;
  const lowHr = smin * two(omega + 2), highHr = smax * two(omega + 2) + two(omega + 1);
  for (let z = 0; z < nz; z++) {
    const pz = Math.min(z, p);
    const c = pz + (full ? 3 : 0);
    // §4.6.3.2 default weights
    const w = new Float64Array(c);
    for (let i = 0; i < pz; i++) w[(full ? 3 : 0) + i] = i === 0 ? Math.floor(7 * two(omega) / 8) : Math.floor(w[(full ? 3 : 0) + i - 1] / 8);
    const u = new Float64Array(c);
    const phi = h.phi[z], psi = h.psi[z], theta = h.theta;
    const az = h.fidelity === 1 || h.fidelity === 3 ? h.absLimits[z] : Infinity;
    const rz = h.fidelity === 2 || h.fidelity === 3 ? h.relLimits[z] : 0;
    const base = z * nt, lower = (z - 1) * nt;
    const thetaScale = 4 * (two(theta) - phi), psiScale = psi * two(omega - theta), phiOff = phi * pOmega1, invRep = 1 / two(omega + theta + 1);
    for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
      const t = y * nx + x;
      const cu = base + t, up = cu - nx;
      const dm = delta[base + t];
      if (t === 0) {
        const sTilde = pz > 0 ? 2 * rep[lower] : 2 * smid;
        const sHat = sTilde >> 1;
        const th = Math.min(sHat - smin, smax - sHat);
        const q = unmap(dm, th, sTilde, sHat - smin <= smax - sHat);
        const s = sHat + q;
        if (s < smin || s > smax) throw new Hyper123DecodeError("BAD_CODEWORD", "sample", s, -1);
        out[base] = s; rep[base] = s; cld[base] = 0;
        if (maxError) maxError[base] = 0;
        continue;
      }
      // §4.4 local sum
      let sigma: number;
      const ls = h.localSum;
      if (y > 0) {
        if (ls >= 2) sigma = 4 * rep[up];
        else if (x === 0) sigma = 2 * (rep[up] + rep[up + 1]);
        else if (x === nx - 1) sigma = ls === 0 ? rep[cu - 1] + rep[up - 1] + 2 * rep[up] : 2 * (rep[up - 1] + rep[up]);
        else sigma = ls === 0 ? rep[cu - 1] + rep[up - 1] + rep[up] + rep[up + 1] : rep[up - 1] + 2 * rep[up] + rep[up + 1];
      } else if (ls === 0 || ls === 2) sigma = 4 * rep[cu - 1];
      else sigma = z > 0 ? 4 * rep[lower + x - 1] : 4 * smid;
      sig[t] = sigma;
      // §4.5 local difference vector
      let j = 0;
      if (full) {
        if (y > 0) {
          u[0] = 4 * rep[up] - sigma;
          u[1] = x > 0 ? 4 * rep[cu - 1] - sigma : u[0];
          u[2] = x > 0 ? 4 * rep[up - 1] - sigma : u[0];
        } else { u[0] = 0; u[1] = 0; u[2] = 0; }
        j = 3;
      }
      for (let i = 1; i <= pz; i++) u[j++] = cld[(z - i) * nt + t];
      // §4.7 prediction
      let dHat = 0;
      for (let i = 0; i < c; i++) dHat += w[i] * u[i];
      let v = dHat + pOmega * (sigma - 4 * smid);
      if (v >= halfR || v < -halfR) v = v - Math.floor((v + halfR) / twoR) * twoR; // mod*_R
      let hr = v + pOmega2 * smid + pOmega1;
      hr = hr < lowHr ? lowHr : hr > highHr ? highHr : hr;
      const sTilde = Math.floor(hr * invOmega1);
      const sHat = Math.floor(sTilde / 2);
      // §4.8 error limit and §4.11 inverse mapping
      let m = 0;
      if (near) m = h.fidelity >= 2 ? Math.min(az, Math.floor(rz * Math.abs(sHat) / pD)) : az;
      const m2 = 2 * m + 1;
      const lo = Math.floor((sHat - smin + m) / m2), hi = Math.floor((smax - sHat + m) / m2);
      const q = unmap(dm, Math.min(lo, hi), sTilde, lo <= hi);
      if (q < -lo || q > hi) throw new Hyper123DecodeError("BAD_CODEWORD", "quantizer index", q, -1);
      const sPrime = Math.min(Math.max(sHat + q * m2, smin), smax);     // §4.9 clipped bin centre
      out[base + t] = sPrime;
      if (maxError) maxError[base + t] = m;
      // §4.9 sample representative
      const sgnQ = q > 0 ? 1 : q < 0 ? -1 : 0;
      const num = thetaScale * (sPrime * pOmega - sgnQ * m * psiScale) + phi * hr - phiOff;
      const sdr = Math.floor(num * invRep);
      const sRep = Math.floor((sdr + 1) / 2);
      rep[base + t] = sRep;
      cld[base + t] = 4 * sRep - sigma;
      // §4.10 weight update
      const e = 2 * sPrime - sTilde;
      const rho = Math.min(Math.max(h.nuMin + Math.floor((t - nx) / tInc), h.nuMin), h.nuMax) + d - omega;
      const scale = (e >= 0 ? 1 : -1) * two(-rho);
      for (let i = 0; i < c; i++) {
        const nw = w[i] + Math.floor((u[i] * scale + 1) * 0.5);
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
