// Seeded model of the space-to-ground channel acting on a CADU byte stream: random bit errors
// at a BER (drawn as geometric gaps between errors, so cost grows with the number of errors,
// not of bits), burst errors (every byte of a burst corrupted), whole CADUs dropped by index,
// and bit slips (bits inserted or deleted at a CADU boundary or inside a CADU). Streaming:
// works CADU by CADU, holding at most one partial CADU and one partial byte between calls.
// The output depends only on the options and the byte stream, never on how it is chunked.

export interface ChannelOptions {
  seed: number;
  /** Bit error rate of independent random errors (0..0.5). */
  ber?: number;
  /** Mean number of bytes between burst starts (geometric); no bursts when absent. */
  burstEvery?: number;
  /** Bytes per burst (default 16); each byte of a burst is XORed with a random nonzero value. */
  burstLen?: number;
  /** CADU indices (0-based, counted on the input) removed from the stream. */
  dropCadus?: number[];
  /** CADU length in octets (ASM included): the unit for drops and slips. */
  caduLen: number;
  /** Bit slips: bits > 0 inserts that many random bits, < 0 deletes bits, at atByte (default 0) of CADU `cadu`. */
  slipBitsAt?: { cadu: number; bits: number; atByte?: number }[];
}

export interface ChannelStats { bytes: number; bitErrors: number; bursts: number; dropped: number; slips: number }

export class ChannelError extends Error {
  constructor(readonly field: string, readonly reason: string) {
    super(`channel option ${field}: ${reason}`);
    this.name = "ChannelError";
  }
}

/** xoshiro128** (Blackman & Vigna), seeded through splitmix32. */
class Xoshiro128 {
  private a: number; private b: number; private c: number; private d: number;
  constructor(seed: number, stream: number) {
    let s = (seed ^ Math.imul(stream + 1, 0x9e3779b9)) | 0;
    const next = () => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) | 0;
    };
    this.a = next(); this.b = next(); this.c = next(); this.d = next();
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }
  u32(): number {
    const r = Math.imul(((Math.imul(this.b, 5) << 7) | (Math.imul(this.b, 5) >>> 25)), 9);
    const t = this.b << 9;
    this.c ^= this.a; this.d ^= this.b; this.b ^= this.c; this.a ^= this.d;
    this.c ^= t;
    this.d = (this.d << 11) | (this.d >>> 21);
    return r >>> 0;
  }
  /** Uniform in (0, 1] with 53 bits. */
  open01(): number {
    return ((this.u32() >>> 5) * 67108864 + (this.u32() >>> 6) + 1) / 9007199254740992;
  }
  /** Failures before the first success of a Bernoulli(p) sequence. */
  geometric(p: number): number {
    if (p >= 1) return 0;
    return Math.floor(Math.log(this.open01()) / Math.log1p(-p));
  }
}

const popcount8 = (v: number) => { v = v - ((v >>> 1) & 0x55); v = (v & 0x33) + ((v >>> 2) & 0x33); return (v + (v >>> 4)) & 0x0f; };

export class Channel {
  readonly stats: ChannelStats = { bytes: 0, bitErrors: 0, bursts: 0, dropped: 0, slips: 0 };
  private readonly caduLen: number;
  private readonly ber: number;
  private readonly burstP: number;
  private readonly burstLen: number;
  private readonly drops: Set<number>;
  private readonly slips = new Map<number, { bits: number; atByte: number }[]>();
  private readonly berRng: Xoshiro128;
  private readonly burstRng: Xoshiro128;
  private readonly slipRng: Xoshiro128;
  private readonly partial: Uint8Array;
  private partialLen = 0;
  private caduIndex = 0;
  /** Position of the next random bit error / burst start, counted over delivered (not dropped) bits / bytes. */
  private nextErrBit: number;
  private nextBurstByte: number;
  private burstLeft = 0;
  private delivered = 0;
  // Bit writer state (only used once a slip has made the output bit-unaligned or owes deletions).
  private acc = 0;
  private accBits = 0;
  private skipBits = 0;

  constructor(o: ChannelOptions) {
    if (!Number.isInteger(o.caduLen) || o.caduLen < 1) throw new ChannelError("caduLen", "must be a positive integer");
    const ber = o.ber ?? 0;
    if (!(ber >= 0 && ber <= 0.5)) throw new ChannelError("ber", "must be within 0..0.5");
    if (o.burstEvery !== undefined && !(o.burstEvery >= 1)) throw new ChannelError("burstEvery", "must be >= 1 byte");
    const burstLen = o.burstLen ?? 16;
    if (!Number.isInteger(burstLen) || burstLen < 1) throw new ChannelError("burstLen", "must be a positive integer");
    for (const s of o.slipBitsAt ?? []) {
      if (!Number.isInteger(s.cadu) || s.cadu < 0) throw new ChannelError("slipBitsAt.cadu", "must be a non-negative integer");
      if (!Number.isInteger(s.bits) || s.bits === 0) throw new ChannelError("slipBitsAt.bits", "must be a nonzero integer");
      const at = s.atByte ?? 0;
      if (!Number.isInteger(at) || at < 0 || at >= o.caduLen) throw new ChannelError("slipBitsAt.atByte", `must be within 0..${o.caduLen - 1}`);
      const list = this.slips.get(s.cadu) ?? [];
      list.push({ bits: s.bits, atByte: at });
      list.sort((a, b) => a.atByte - b.atByte);
      this.slips.set(s.cadu, list);
    }
    this.caduLen = o.caduLen;
    this.ber = ber;
    this.burstP = o.burstEvery === undefined ? 0 : 1 / o.burstEvery;
    this.burstLen = burstLen;
    this.drops = new Set(o.dropCadus ?? []);
    this.berRng = new Xoshiro128(o.seed | 0, 0);
    this.burstRng = new Xoshiro128(o.seed | 0, 1);
    this.slipRng = new Xoshiro128(o.seed | 0, 2);
    this.partial = new Uint8Array(o.caduLen);
    this.nextErrBit = ber > 0 ? this.berRng.geometric(ber) : Infinity;
    this.nextBurstByte = this.burstP > 0 ? this.burstRng.geometric(this.burstP) : Infinity;
  }

  /** Feeds bytes in; returns what comes out of the channel so far (possibly nothing). */
  push(chunk: Uint8Array): Uint8Array[] {
    this.stats.bytes += chunk.length;
    const out = new Sink(chunk.length + this.partialLen + this.extraBytesBound(), this.caduLen);
    let i = 0;
    if (this.partialLen > 0) {
      const take = Math.min(this.caduLen - this.partialLen, chunk.length);
      this.partial.set(chunk.subarray(0, take), this.partialLen);
      this.partialLen += take;
      i = take;
      if (this.partialLen < this.caduLen) return [];
      this.cadu(this.partial, out);
      this.partialLen = 0;
    }
    for (; i + this.caduLen <= chunk.length; i += this.caduLen) this.cadu(chunk.subarray(i, i + this.caduLen), out);
    if (i < chunk.length) {
      this.partial.set(chunk.subarray(i));
      this.partialLen = chunk.length - i;
    }
    return out.len ? [out.result()] : [];
  }

  /** Flushes a trailing partial CADU and a partial last byte (zero-padded). */
  end(): Uint8Array[] {
    const out = new Sink(this.partialLen + this.extraBytesBound() + 1, this.caduLen);
    if (this.partialLen > 0) {
      this.cadu(this.partial.subarray(0, this.partialLen), out);
      this.partialLen = 0;
    }
    if (this.accBits > 0) {
      out.byte((this.acc << (8 - this.accBits)) & 255);
      this.acc = 0;
      this.accBits = 0;
    }
    return out.len ? [out.result()] : [];
  }

  private extraBytesBound(): number {
    let bits = 0;
    for (const list of this.slips.values()) for (const s of list) if (s.bits > 0) bits += s.bits;
    return Math.ceil(bits / 8) + 1;
  }

  private cadu(src: Uint8Array, out: Sink): void {
    const k = this.caduIndex++;
    if (this.drops.has(k)) { this.stats.dropped++; return; }
    const buf = out.scratch(src.length);
    buf.set(src);
    this.impair(buf);
    const slips = this.slips.get(k);
    if (!slips) { this.write(buf, out); return; }
    let from = 0;
    for (const s of slips) {
      if (s.atByte >= buf.length) continue;
      this.write(buf.subarray(from, s.atByte), out);
      from = s.atByte;
      this.stats.slips++;
      if (s.bits < 0) this.skipBits += -s.bits;
      else for (let n = s.bits; n > 0;) { const m = Math.min(n, 16); this.bits(this.slipRng.u32() & ((1 << m) - 1), m, out); n -= m; }
    }
    this.write(buf.subarray(from), out);
  }

  /** Bursts and random bit errors on the delivered byte stream. */
  private impair(buf: Uint8Array): void {
    const start = this.delivered, end = start + buf.length;
    let pos = start;
    while (pos < end) {
      if (this.burstLeft > 0) {
        const n = Math.min(this.burstLeft, end - pos);
        for (let j = 0; j < n; j++) {
          const m = 1 + (this.burstRng.u32() % 255);
          buf[pos - start + j] ^= m;
          this.stats.bitErrors += popcount8(m);
        }
        pos += n;
        this.burstLeft -= n;
        if (this.burstLeft === 0) this.nextBurstByte = pos + (this.burstP > 0 ? this.burstRng.geometric(this.burstP) : Infinity);
        continue;
      }
      if (this.nextBurstByte < end) {
        pos = Math.max(pos, this.nextBurstByte);
        this.burstLeft = this.burstLen;
        this.stats.bursts++;
        continue;
      }
      break;
    }
    const endBit = end * 8;
    while (this.nextErrBit < endBit) {
      const b = this.nextErrBit - start * 8;
      buf[b >>> 3] ^= 0x80 >>> (b & 7); // bits numbered MSB first
      this.stats.bitErrors++;
      this.nextErrBit += 1 + this.berRng.geometric(this.ber);
    }
    this.delivered = end;
  }

  private write(bytes: Uint8Array, out: Sink): void {
    let i = 0;
    while (this.skipBits > 0 && i < bytes.length) {
      if (this.skipBits >= 8) { this.skipBits -= 8; i++; continue; }
      const keep = 8 - this.skipBits;
      this.bits(bytes[i++] & ((1 << keep) - 1), keep, out);
      this.skipBits = 0;
    }
    if (this.accBits === 0) { out.bytes(bytes.subarray(i)); return; }
    for (; i < bytes.length; i++) this.bits(bytes[i], 8, out);
  }

  private bits(value: number, n: number, out: Sink): void {
    this.acc = (this.acc << n) | value;
    this.accBits += n;
    while (this.accBits >= 8) {
      this.accBits -= 8;
      out.byte((this.acc >>> this.accBits) & 255);
    }
    this.acc &= (1 << this.accBits) - 1;
  }
}

/** Output buffer of one push: sized from its input, never reallocated. */
class Sink {
  private readonly buf: Uint8Array;
  private readonly tmp: Uint8Array;
  len = 0;
  constructor(capacity: number, scratchLen: number) {
    this.buf = new Uint8Array(capacity);
    this.tmp = new Uint8Array(scratchLen);
  }
  scratch(n: number): Uint8Array { return this.tmp.subarray(0, n); }
  bytes(b: Uint8Array): void { this.buf.set(b, this.len); this.len += b.length; }
  byte(v: number): void { this.buf[this.len++] = v; }
  result(): Uint8Array { return this.buf.subarray(0, this.len); }
}
