// Ground decoder for CCSDS 121.0-B-3 (adaptive entropy coder + unit-delay postprocessor).
// Written from the standard, independently of the flight encoder in assembly/: it is the
// oracle the flight encoder is tested against. Streaming: push() takes chunks of any size
// (one byte works) and returns the samples completed so far; a coded data set (CDS) that is
// not complete yet waits for more input. Bad streams end in an Aec121DecodeError that says
// where (bit offset, sample index) and carries the samples decoded before the failure.

export interface Aec121Options {
  /** Bits per sample n, 1..32. */
  bitsPerSample: number;
  /** Block size J: 8, 16, 32 or 64. */
  blockSize: number;
  /** Reference sample interval in blocks, 1..4096. */
  rsi: number;
  signed?: boolean;
  /** Unit-delay predictor + mapper (default true). */
  preprocess?: boolean;
  /** Restricted code option set (n <= 4 only). */
  restricted?: boolean;
  /** Each RSI padded to a byte boundary. */
  padRsi?: boolean;
}

export type Aec121ErrorCode =
  | "BAD_OPTION"        // an option is out of range (field `option` names it)
  | "TRUNCATED"         // the stream ends inside a coded data set
  | "FS_TOO_LONG"       // a fundamental sequence codeword longer than any valid value
  | "ZERO_RUN_OVERFLOW" // a zero-block run reaches past the end of its RSI
  | "TOO_MANY_SAMPLES"; // output would exceed the caller's maxSamples

export class Aec121DecodeError extends Error {
  constructor(
    readonly code: Aec121ErrorCode,
    /** Bit offset in the stream of the CDS where decoding failed (-1 for option errors). */
    readonly bitOffset: number,
    /** Samples decoded before the failure (index of the first sample not decoded). */
    readonly sampleIndex: number,
    /** The samples decoded before the failure by the failing call (push() or aec121Decode()). */
    readonly samples: Uint32Array | Int32Array,
    readonly option?: string,
    detail?: string,
  ) {
    super(`CCSDS 121 decode: ${code}${option ? ` (${option})` : ""} at bit ${bitOffset}, sample ${sampleIndex}${detail ? `: ${detail}` : ""}`);
    this.name = "Aec121DecodeError";
  }
}

/** Throws Aec121DecodeError("BAD_OPTION") naming the first bad option. */
export function checkAec121Options(o: Aec121Options): void {
  const bad = (option: string, detail: string): never => {
    throw new Aec121DecodeError("BAD_OPTION", -1, 0, new Uint32Array(0), option, detail);
  };
  const n = o.bitsPerSample;
  if (!Number.isInteger(n) || n < 1 || n > 32) bad("bitsPerSample", `${n} is not in 1..32`);
  if (![8, 16, 32, 64].includes(o.blockSize)) bad("blockSize", `${o.blockSize} is not 8, 16, 32 or 64`);
  if (!Number.isInteger(o.rsi) || o.rsi < 1 || o.rsi > 4096) bad("rsi", `${o.rsi} is not in 1..4096`);
  if (o.restricted && n > 4) bad("restricted", `restricted code options need n <= 4, n is ${n}`);
}

const NEED_MORE = -1;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Longest FS codeword accepted (bits): far beyond any encoder that picks the shortest option,
 *  and the bound on what the decoder buffers while it waits for a CDS to complete. */
const MAX_FS = 1 << 24;
const SEGMENT = 64; // zero-block segment, blocks
/** Word buffer handed from one whole-stream decode (decodeAll) to the next. */
let scratchWords: Int32Array | null = null;
/** Default bound on the samples one decoder produces (2^26: 256 MiB of output); raise it
 *  through `maxSamples` for longer streams. */
export const DEFAULT_MAX_SAMPLES = 2 ** 26;

export class Aec121StreamDecoder {
  private readonly n: number;
  private readonly J: number;
  private readonly rsi: number;
  private readonly signed: boolean;
  private readonly pre: boolean;
  private readonly padRsi: boolean;
  private readonly idLen: number;
  private readonly idUncomp: number;
  private readonly xmin: number;
  private readonly xmax: number;
  private readonly maxSamples: number;
  // input: unconsumed bytes buf[0 .. len), the bit position inside them, base = stream offset of buf[0]
  private buf: Uint8Array = new Uint8Array(64);
  private len = 0;
  private pos = 0;
  private base = 0;
  // decoding state at a CDS boundary
  private blockInRsi = 0;
  private prev = 0;
  private produced = 0;
  private readonly mapped = new Float64Array(64);
  private readonly q = new Int32Array(64);
  private words: Int32Array = new Int32Array(16); // big-endian 32-bit words of buf, for the bit reader
  private out: Int32Array; // unsigned samples are stored wrapped and handed out as a Uint32Array view
  private outLen = 0;
  private failed: Aec121DecodeError | null = null;
  /** Samples one push()/resume() hands out at most (the rest waits for resume()). */
  private readonly budget: number;
  private readonly views: boolean;
  private stopped = false;
  /** buf is the caller's array (adopt()): read only. */
  private borrowed = false;

  /**
   * limits.maxSamples bounds the samples of the whole stream (TOO_MANY_SAMPLES past it);
   * limits.expectedSamples sizes the first output buffer; limits.samplesPerCall bounds what one
   * push() returns (and so the decoder's memory, whatever the input: a few bits of zero-block
   * code can stand for thousands of samples): when push() stopped there, hasMore is true and
   * resume() continues. limits.outputViews: push(), resume() and end() return views into the
   * decoder's own buffer, valid until the next call (no copy), instead of arrays of their own.
   * limits.output: the first output buffer (instead of a new one of expectedSamples), e.g. one
   * reused from call to call; decodeAll() returns a view of it when the samples fit.
   */
  constructor(opts: Aec121Options, limits: { maxSamples?: number; expectedSamples?: number; samplesPerCall?: number; outputViews?: boolean; output?: Int32Array } = {}) {
    checkAec121Options(opts);
    this.n = opts.bitsPerSample;
    this.J = opts.blockSize;
    this.rsi = opts.rsi;
    this.signed = !!opts.signed;
    this.pre = opts.preprocess ?? true;
    this.padRsi = !!opts.padRsi;
    const r = !!opts.restricted;
    const n = this.n;
    this.idLen = r && n <= 2 ? 1 : r && n <= 4 ? 2 : n <= 8 ? 3 : n <= 16 ? 4 : 5; // 121.0-B-3 table 5-1
    this.idUncomp = (1 << this.idLen) - 1;
    this.xmin = this.signed ? -(2 ** (n - 1)) : 0;
    this.xmax = this.signed ? 2 ** (n - 1) - 1 : 2 ** n - 1;
    this.maxSamples = limits.maxSamples ?? DEFAULT_MAX_SAMPLES;
    this.budget = limits.samplesPerCall ?? Infinity;
    this.views = !!limits.outputViews;
    this.out = limits.output ?? new Int32Array(Math.min(limits.expectedSamples ?? 1024, this.maxSamples + 64));
  }

  /** Samples decoded so far in total. */
  get sampleCount(): number { return this.produced; }
  /** Stream bit offset of the next CDS. */
  get bitOffset(): number { return (this.base << 3) + this.pos; }

  /** Feed bytes; returns the samples completed by them (possibly none). */
  push(chunk: Uint8Array): Uint32Array | Int32Array {
    if (this.failed) throw this.failed;
    this.append(chunk);
    this.outLen = 0;
    this.run();
    return this.take();
  }

  /** True when the last push() or resume() stopped at samplesPerCall with whole CDSes still
   *  buffered: call resume() (before push() or end()) for the rest. */
  get hasMore(): boolean { return this.stopped; }

  /** The next samples of the input already pushed (after push() stopped at samplesPerCall). */
  resume(): Uint32Array | Int32Array {
    if (this.failed) throw this.failed;
    this.outLen = 0;
    this.run();
    return this.take();
  }

  /** End of stream: what remains must be fewer than 8 fill bits or all-zero fill. */
  end(): Uint32Array | Int32Array {
    if (this.failed) throw this.failed;
    if (this.stopped) {
      // what push() left for resume() is decoded here, the samples handed out together
      const parts: (Uint32Array | Int32Array)[] = [];
      let total = 0;
      while (this.stopped) { const p = this.resume().slice(); parts.push(p); total += p.length; }
      this.checkTail();
      const all = this.signed ? new Int32Array(total) : new Uint32Array(total);
      let o = 0;
      for (const p of parts) { all.set(p, o); o += p.length; }
      return all;
    }
    this.checkTail();
    return this.take();
  }

  private checkTail(): void {
    const endBits = this.len * 8;
    for (let b = this.pos; b < endBits; b++) {
      if ((this.buf[b >>> 3] >>> (7 - (b & 7))) & 1) this.fail("TRUNCATED", "stream ends inside a coded data set");
    }
  }

  private take(): Uint32Array | Int32Array {
    if (this.views) {
      const v = this.out.subarray(0, this.outLen);
      this.outLen = 0;
      return this.signed ? v : new Uint32Array(v.buffer, v.byteOffset, v.length);
    }
    const r = this.out.slice(0, this.outLen);
    this.outLen = 0;
    return this.signed ? r : new Uint32Array(r.buffer, 0, r.length);
  }

  /** Whole-stream decode without intermediate copies (the output array is handed over). */
  decodeAll(stream: Uint8Array): Uint32Array | Int32Array {
    if (this.failed) throw this.failed;
    if (this.len === 0) this.adopt(stream);
    else this.append(stream);
    this.outLen = 0;
    try {
      this.run();
      this.checkTail();
    } finally {
      this.release();
    }
    const o = this.out;
    const len = this.outLen;
    this.out = new Int32Array(16);
    this.outLen = 0;
    return this.signed ? o.subarray(0, len) : new Uint32Array(o.buffer, o.byteOffset, len);
  }

  /**
   * A fresh decoder's whole input, read in place (not copied): only its big-endian words are
   * built. The byte readers of the general path read past its end as undefined, which the bit
   * operations take as 0 (the zero slack append() writes); append() copies the bytes before it
   * changes anything, so the caller's array is never written.
   */
  private adopt(stream: Uint8Array): void {
    this.buf = stream;
    this.len = stream.length;
    this.borrowed = true;
    const nw = ((stream.length + 3) >>> 2) + 2;
    // the word buffer of the last whole-stream decode, when it is large enough (no fresh pages)
    const words = scratchWords && scratchWords.length >= nw ? scratchWords : new Int32Array(nw);
    scratchWords = null;
    this.words = words;
    const wb = new Uint8Array(words.buffer, words.byteOffset, nw * 4);
    wb.set(stream);
    wb.fill(0, stream.length);
    if (LITTLE_ENDIAN) Buffer.from(words.buffer, words.byteOffset, nw * 4).swap32();
  }

  /** After a whole-stream decode: its word buffer kept for the next one (up to 16 MiB). */
  private release(): void {
    if (!this.borrowed) return;
    const w = this.words;
    this.words = new Int32Array(16);
    if (w.length <= 1 << 22 && (!scratchWords || scratchWords.length < w.length)) scratchWords = w;
  }

  private append(chunk: Uint8Array): void {
    let rebuilt = false;
    if (this.borrowed) {
      // after adopt() and release(): the unconsumed whole words of the caller's bytes copied
      // into our own buffer, the word buffer rebuilt from its start
      const drop = (this.pos >>> 5) * 4;
      const own = new Uint8Array(this.len - drop + 16);
      own.set(this.buf.subarray(drop, this.len));
      this.buf = own;
      this.len -= drop;
      this.base += drop;
      this.pos -= drop * 8;
      this.words = new Int32Array(16);
      this.borrowed = false;
      rebuilt = true;
    }
    // drop consumed whole words (so the word view stays aligned), keep 8 spare zero bytes
    const dropWords = this.pos >>> 5;
    let rebuildFrom = rebuilt ? 0 : this.len & ~3;
    if (dropWords > 0) {
      const drop = dropWords * 4;
      this.buf.copyWithin(0, drop, this.len);
      this.words.copyWithin(0, dropWords, (this.len + 3) >>> 2);
      this.len -= drop;
      this.base += drop;
      this.pos -= drop * 8;
      rebuildFrom = this.len & ~3;
    }
    const need = this.len + chunk.length + 16;
    if (need > this.buf.length) {
      const nb = new Uint8Array(Math.max(need, this.buf.length * 2));
      nb.set(this.buf.subarray(0, this.len));
      this.buf = nb;
    }
    this.buf.set(chunk, this.len);
    this.len += chunk.length;
    this.buf.fill(0, this.len, this.len + 16);
    // big-endian 32-bit words of the bytes from rebuildFrom on (+2 zero words of margin)
    const nw = ((this.len + 3) >>> 2) + 2;
    if (this.words.length < nw) {
      const w = new Int32Array(Math.max(nw, this.words.length * 2));
      w.set(this.words.subarray(0, rebuildFrom >>> 2));
      this.words = w;
    }
    // the bytes copied into the words' memory, then each word byte-swapped (big-endian words
    // on a little-endian machine; Buffer.swap32 is native)
    const words = this.words;
    const from = rebuildFrom >>> 2;
    const avail = Math.min(nw * 4, this.buf.length) - rebuildFrom;   // buf: len + 16 zero-filled
    const wb = Buffer.from(words.buffer, words.byteOffset + rebuildFrom, (nw - from) * 4);
    wb.set(this.buf.subarray(rebuildFrom, rebuildFrom + avail));
    wb.fill(0, avail);
    if (LITTLE_ENDIAN) wb.swap32();
  }

  private fail(code: Aec121ErrorCode, detail: string): never {
    const cut = this.out.slice(0, this.outLen);
    const samples = this.signed ? cut : new Uint32Array(cut.buffer, 0, cut.length);
    this.failed = new Aec121DecodeError(code, this.bitOffset, this.produced, samples, undefined, detail);
    throw this.failed;
  }

  /** Decode whole CDSes while the buffered bits hold them. */
  private run(): void {
    this.stopped = false;
    for (;;) {
      // split-sample CDSes with n <= 30 and the postprocessor on, through the fast loop; it
      // stops at anything else (or at its own limits) with this.pos at that CDS
      if (this.pre && this.n <= 30) this.runFast();
      const pos = this.pos;
      if (pos >= this.len * 8) return;
      if (this.outLen >= this.budget) { this.stopped = true; return; }
      const outStart = this.outLen;
      const rr = this.decodeCds(this.buf, this.words, this.len * 8, this.n, this.J, this.idLen, this.mapped, 2 ** this.n - 1);
      if (rr === NEED_MORE) {
        // roll back to the CDS start and wait for more input
        this.pos = pos;
        this.produced -= this.outLen - outStart;
        this.outLen = outStart;
        return;
      }
    }
  }

  /**
   * The common case, n <= 30 with the postprocessor on: consecutive split-sample CDSes decoded
   * with the whole decoder state (bit position, output length, previous sample, block in RSI)
   * in locals, written back when it meets a CDS it leaves to decodeCds() (another option, a
   * codeword longer than the 32-bit window or out of range, the end of the data, of the output
   * buffer, of maxSamples or of the per-call budget).
   */
  private runFast(): void {
    const words = this.words;
    const endBits = this.len * 8;
    const n = this.n, J = this.J, idLen = this.idLen, idUncomp = this.idUncomp;
    const maxVal = 2 ** n - 1;
    const idShift = 32 - idLen;
    const q = this.q;
    const xmin = this.xmin, xmax = this.xmax, rsi = this.rsi, padRsi = this.padRsi, signed = this.signed;
    const out = this.out;
    // the last output index a whole block may start at: buffer, maxSamples and budget
    let oEnd = out.length - J;
    const left = this.maxSamples - this.produced - J;
    if (this.outLen + left < oEnd) oEnd = this.outLen + left;
    const budget = this.budget;
    let pos = this.pos, o = this.outLen, prev = this.prev, bir = this.blockInRsi;
    const o0 = o;
    while (pos < endBits && o <= oEnd && o < budget) {
      let wi = pos >>> 5, r = pos & 31;
      const id = ((words[wi] << r) | ((words[wi + 1] >>> 1) >>> (31 - r))) >>> idShift;
      if (id === 0 || id === idUncomp) break;
      const k = id - 1;
      const ref = bir === 0;
      let p = pos + idLen;
      let refSample = 0;
      if (ref) {
        wi = p >>> 5; r = p & 31;
        refSample = ((words[wi] << r) | ((words[wi + 1] >>> 1) >>> (31 - r))) >>> (32 - n);
        p += n;
      }
      const first = ref ? 1 : 0;
      const fsMax = k >= n ? 0 : maxVal >>> k;
      let ok = true;
      // FS codewords through a 32-bit window: bits shifted out are replaced by zeros, so a
      // window of 0 means "reload at p"
      let w = 0;
      for (let i = first; i < J; i++) {
        if (w === 0) {
          wi = p >>> 5; r = p & 31;
          w = (words[wi] << r) | ((words[wi + 1] >>> 1) >>> (31 - r));
          if (w === 0) { ok = false; break; }               // long codeword: general path
        }
        const z = Math.clz32(w);
        if (z > fsMax) { ok = false; break; }               // bad codeword: general path
        q[i] = z;
        p += z + 1;
        w = (w << z) << 1;
      }
      if (!ok || p + (J - first) * k > endBits) break;
      if (ref) { prev = signed && refSample >= 2 ** (n - 1) ? refSample - 2 ** n : refSample; out[o++] = prev; }
      const sh = 31 - k;
      let acc = 0, avail = 0;
      for (let i = first; i < J; i++) {
        if (avail < k) {
          wi = p >>> 5; r = p & 31;
          acc = (words[wi] << r) | ((words[wi + 1] >>> 1) >>> (31 - r));
          avail = 32;
        }
        const d = (q[i] << k) | ((acc >>> 1) >>> sh);             // k = 0: nothing appended
        acc <<= k;
        avail -= k;
        p += k;
        // inverse mapper (121.0-B-3 §4.4), branch-light
        const lo = prev - xmin, hi = xmax - prev;
        const theta = lo < hi ? lo : hi;
        let x: number;
        if (d <= 2 * theta) x = prev + ((d >> 1) ^ -(d & 1));   // even: +d/2, odd: -(d+1)/2
        else x = lo <= hi ? xmin + d : xmax - d;
        out[o++] = x;
        prev = x;
      }
      bir = bir + 1 === rsi ? 0 : bir + 1;
      if (bir === 0 && padRsi) p = Math.ceil(p / 8) * 8;  // 121.0-B-3 §5.1.4
      pos = p;
    }
    this.pos = pos;
    this.produced += o - o0;
    this.outLen = o;
    this.prev = prev;
    this.blockInRsi = bir;
  }

  /** Decode one CDS at this.pos; NEED_MORE when the buffered bits end inside it. */
  private decodeCds(buf: Uint8Array, words: Int32Array, endBits: number, n: number, J: number, idLen: number, mapped: Float64Array, maxVal: number): number {
    let pos = this.pos;
    const id = readBits(buf, pos, idLen);                         // 121.0-B-3 §5.1.2 option ID
    pos += idLen;
    const ref = this.pre && this.blockInRsi === 0;                 // 121.0-B-3 §5.1.3: reference in the first CDS of an RSI
    let refSample = 0;
    let blocks = 1;
    if (id === 0) {
      // low-entropy options: one more bit selects zero-block (0) or second extension (1)
      if (pos + 1 > endBits) return NEED_MORE;
      const sel = readBits(buf, pos, 1);
      pos += 1;
      if (ref) { refSample = readBits(buf, pos, n); pos += n; }
      if (sel === 0) {
        // 121.0-B-3 §3.4.3 zero-block: FS count of all-zero blocks, 4 = remainder of segment
        const f = readFs(buf, pos, endBits, 64);
        if (f < 0) return f === NEED_MORE ? NEED_MORE : this.failAt(pos, "FS_TOO_LONG", "zero-block count");
        pos += f + 1;
        if (f < 4) blocks = f + 1;
        else if (f === 4) {
          const inSeg = SEGMENT - (this.blockInRsi % SEGMENT);
          const inRsi = this.rsi - this.blockInRsi;
          blocks = Math.min(inSeg, inRsi);
        } else blocks = f;
        if (this.blockInRsi + blocks > this.rsi) return this.failAt(this.pos, "ZERO_RUN_OVERFLOW", `${blocks} zero blocks, ${this.rsi - this.blockInRsi} left in the RSI`);
        if (pos > endBits) return NEED_MORE;
        this.pos = pos;
        for (let b = 0; b < blocks; b++) {
          mapped.fill(0, 0, J);
          this.finishBlock(b === 0 && ref, refSample, J, mapped);
        }
      } else {
        // 121.0-B-3 §3.4.2 second extension: J/2 FS codewords of gamma = (a+b)(a+b+1)/2 + b
        for (let i = 0; i < J; i += 2) {
          const g = readFs(buf, pos, endBits, 2 * maxVal * (maxVal + 1) + maxVal);
          if (g < 0) return g === NEED_MORE ? NEED_MORE : this.failAt(pos, "FS_TOO_LONG", "second extension");
          pos += g + 1;
          // invert gamma: largest s with s(s+1)/2 <= g
          let s = Math.floor((Math.sqrt(8 * g + 1) - 1) / 2);
          while ((s * (s + 1)) / 2 > g) s--;
          while (((s + 1) * (s + 2)) / 2 <= g) s++;
          const b = g - (s * (s + 1)) / 2;
          mapped[i] = s - b;
          mapped[i + 1] = b;
        }
        if (pos > endBits) return NEED_MORE;
        this.pos = pos;
        this.finishBlock(ref, refSample, J, mapped);
      }
    } else if (id === this.idUncomp) {
      // 121.0-B-3 §3.5 no compression: J n-bit values (the first is the reference when present)
      const need = J * n;
      if (pos + need > endBits) return NEED_MORE;
      if (ref) { refSample = readBits(buf, pos, n); }
      for (let i = 0; i < J; i++) { mapped[i] = readBits(buf, pos, n); pos += n; }
      this.pos = pos;
      this.finishBlock(ref, refSample, J, mapped);
    } else {
      // 121.0-B-3 §3.3 split-sample, k = id - 1 (k = 0: fundamental sequence, §3.2)
      const k = id - 1;
      if (ref) { if (pos + n > endBits) return NEED_MORE; refSample = readBits(buf, pos, n); pos += n; }
      const first = ref ? 1 : 0;
      const fsMax = k >= n ? 0 : Math.floor(maxVal / 2 ** k);
      if (n <= 30 && this.pre) {
        const r = this.splitFast(buf, words, pos, endBits, J, k, first, fsMax, ref, refSample);
        if (r === NEED_MORE) return NEED_MORE;
        if (r < 0) return this.failAt(pos, "FS_TOO_LONG", "split-sample MSBs");
        this.pos = r;
        if (this.blockInRsi === 0 && this.padRsi) this.pos = Math.ceil(this.pos / 8) * 8;
        return 0;
      }
      for (let i = first; i < J; i++) {
        const wi = pos >>> 5, r = pos & 31;
        const w = r === 0 ? words[wi] : (words[wi] << r) | (words[wi + 1] >>> (32 - r));
        let f: number;
        if (w !== 0) {
          f = Math.clz32(w);
          if (f > fsMax) return this.failAt(pos, "FS_TOO_LONG", "split-sample MSBs");
        } else {
          f = readFs(buf, pos, endBits, fsMax);
          if (f < 0) return f === NEED_MORE ? NEED_MORE : this.failAt(pos, "FS_TOO_LONG", "split-sample MSBs");
        }
        pos += f + 1;
        mapped[i] = f;
      }
      if (k > 0) {
        if (pos + (J - first) * k > endBits) return NEED_MORE;
        if (k < 31 && fsMax < 2 ** (31 - k)) {
          const sh = 32 - k;
          for (let i = first; i < J; i++) {
            const wi = pos >>> 5, r = pos & 31;
            const w = r === 0 ? words[wi] : (words[wi] << r) | (words[wi + 1] >>> (32 - r));
            mapped[i] = (mapped[i] << k) | (w >>> sh);
            pos += k;
          }
        } else {
          const scale = 2 ** k;
          for (let i = first; i < J; i++) {
            mapped[i] = mapped[i] * scale + readBits(buf, pos, k);
            pos += k;
          }
        }
      }
      if (pos > endBits) return NEED_MORE;
      mapped[0] = ref ? 0 : mapped[0];
      this.pos = pos;
      this.finishBlock(ref, refSample, J, mapped);
    }
    // 121.0-B-3 §5.1.4: with RSI padding, the next RSI starts on a byte boundary
    if (this.blockInRsi === 0 && this.padRsi) {
      this.pos = Math.ceil(this.pos / 8) * 8;
    }
    return 0;
  }

  /** Split-sample CDS body for n <= 30 with the postprocessor on: FS codewords read through a
   *  32-bit window, then LSBs and the inverse mapper fused, straight into the output.
   *  Returns the new bit position, NEED_MORE, or -2 for an FS codeword out of range. */
  private splitFast(buf: Uint8Array, words: Int32Array, pos: number, endBits: number, J: number, k: number, first: number, fsMax: number, ref: boolean, refSample: number): number {
    const q = this.q;
    let w = 0;
    for (let i = first; i < J; i++) {
      if (w === 0) {
        const wi = pos >>> 5, r = pos & 31;
        w = r === 0 ? words[wi] : (words[wi] << r) | (words[wi + 1] >>> (32 - r));
        if (w === 0) {
          const f = readFs(buf, pos, endBits, fsMax);
          if (f < 0) return f;
          q[i] = f;
          pos += f + 1;
          continue;
        }
      }
      const z = Math.clz32(w);
      if (z > fsMax) return -2;
      q[i] = z;
      pos += z + 1;
      w = (w << z) << 1;
    }
    if (pos + (J - first) * k > endBits) return NEED_MORE;
    this.reserve(J);
    const out = this.out;
    let o = this.outLen;
    const xmin = this.xmin, xmax = this.xmax;
    let prev = this.prev;
    if (ref) {
      prev = this.signed && refSample >= 2 ** (this.n - 1) ? refSample - 2 ** this.n : refSample;
      out[o++] = prev;
    }
    const sh = 32 - k;
    for (let i = first; i < J; i++) {
      let d = q[i];
      if (k !== 0) {
        const wi = pos >>> 5, r = pos & 31;
        const v = r === 0 ? words[wi] : (words[wi] << r) | (words[wi + 1] >>> (32 - r));
        d = (d << k) | (v >>> sh);
        pos += k;
      }
      // inverse mapper (121.0-B-3 §4.4)
      const lo = prev - xmin, hi = xmax - prev;
      const theta = lo < hi ? lo : hi;
      let x: number;
      if (d <= 2 * theta) x = (d & 1) === 0 ? prev + (d >> 1) : prev - ((d + 1) >> 1);
      else x = lo <= hi ? xmin + d : xmax - d;
      if (x < xmin || x > xmax) x = x < xmin ? xmin : xmax;
      out[o++] = x;
      prev = x;
    }
    this.prev = prev;
    this.outLen = o;
    this.produced += J;
    if (++this.blockInRsi === this.rsi) this.blockInRsi = 0;
    return pos;
  }

  private failAt(_pos: number, code: Aec121ErrorCode, detail: string): never {
    return this.fail(code, detail);
  }

  /** Room for J more samples in the output (bounded by maxSamples). */
  private reserve(J: number): void {
    if (this.produced + J > this.maxSamples) this.fail("TOO_MANY_SAMPLES", `more than ${this.maxSamples} samples`);
    if (this.outLen + J > this.out.length) {
      const bigger = new Int32Array(Math.min(this.out.length * 2 + J, this.maxSamples + J));
      bigger.set(this.out.subarray(0, this.outLen));
      this.out = bigger;
    }
  }

  /** Postprocess one block of mapped values into samples (121.0-B-3 §4.2, §4.4). */
  private finishBlock(ref: boolean, refSample: number, J: number, mapped: Float64Array): void {
    this.reserve(J);
    const out = this.out;
    let o = this.outLen;
    const n = this.n;
    const xmin = this.xmin, xmax = this.xmax;
    const half = 2 ** (n - 1), full = 2 ** n;
    if (!this.pre) {
      for (let i = 0; i < J; i++) {
        let v = mapped[i] % full;
        if (this.signed && v >= half) v -= full;
        out[o++] = v;
      }
    } else {
      let prev = this.prev;
      let i = 0;
      if (ref) {
        prev = this.signed && refSample >= half ? refSample - full : refSample;
        out[o++] = prev;
        i = 1;
      }
      if (n <= 30) {
        // all values fit small integers: the same rule with integer operations
        for (; i < J; i++) {
          const d = mapped[i] | 0;
          const lo = prev - xmin, hi = xmax - prev;
          const theta = lo < hi ? lo : hi;
          let x: number;
          if (d <= 2 * theta) x = (d & 1) === 0 ? prev + (d >> 1) : prev - ((d + 1) >> 1);
          else x = lo <= hi ? xmin + d : xmax - d;
          if (x < xmin || x > xmax) x = x < xmin ? xmin : xmax;
          out[o++] = x;
          prev = x;
        }
      }
      for (; i < J; i++) {
        const d = mapped[i];
        const lo = prev - xmin, hi = xmax - prev;
        const theta = lo < hi ? lo : hi;
        let x: number;
        if (d <= 2 * theta) x = (d & 1) === 0 ? prev + d / 2 : prev - (d + 1) / 2;
        else x = lo <= hi ? xmin + d : xmax - d;           // |Δ| = δ - θ towards the open side
        if (x < xmin || x > xmax) x = x < xmin ? xmin : xmax; // only a corrupted stream gets here
        out[o++] = x;
        prev = x;
      }
      this.prev = prev;
    }
    this.outLen = o;
    this.produced += J;
    this.blockInRsi++;
    if (this.blockInRsi === this.rsi) this.blockInRsi = 0;
  }
}

/** n bits (0 < n <= 32) at bit position pos, MSB first; bytes past the data read as zero. */
function readBits(buf: Uint8Array, pos: number, n: number): number {
  const i = pos >>> 3, r = pos & 7;
  let w = ((buf[i] << 24) | (buf[i + 1] << 16) | (buf[i + 2] << 8) | buf[i + 3]) >>> 0;
  if (r !== 0) w = ((w << r) | (buf[i + 4] >>> (8 - r))) >>> 0;
  return n === 32 ? w : w >>> (32 - n);
}

/** Length of the FS codeword's zero run at pos (121.0-B-3 §3.2); NEED_MORE past the data,
 *  -2 when the run exceeds max. */
function readFs(buf: Uint8Array, pos: number, endBits: number, max: number): number {
  if (max > MAX_FS) max = MAX_FS;
  let z = 0;
  for (;;) {
    if (pos >= endBits) return NEED_MORE;
    const i = pos >>> 3, r = pos & 7;
    let w = ((buf[i] << 24) | (buf[i + 1] << 16) | (buf[i + 2] << 8) | buf[i + 3]) >>> 0;
    if (r !== 0) w = ((w << r) | (buf[i + 4] >>> (8 - r))) >>> 0;
    if (w !== 0) {
      const c = Math.clz32(w);
      if (pos + c >= endBits) return NEED_MORE;
      z += c;
      return z > max ? -2 : z;
    }
    if (pos + 32 > endBits) return NEED_MORE; // some of these zeros are not data yet
    z += 32;
    pos += 32;
    if (z > max) return -2;
  }
}

/** Decode a whole stream. expectedSamples (a hint) sizes the output once. */
export function aec121Decode(stream: Uint8Array, opts: Aec121Options, limits: { maxSamples?: number; expectedSamples?: number; output?: Int32Array } = {}): Uint32Array | Int32Array {
  return new Aec121StreamDecoder(opts, { maxSamples: limits.maxSamples, expectedSamples: limits.expectedSamples ?? Math.min(stream.length * 2 + 64, 1 << 24), output: limits.output }).decodeAll(stream);
}

/**
 * Decode one unit of exactly `samples` samples (an image unit, a cloud-mask unit). The coded
 * stream may legitimately describe more: the last block is padded to J samples, and a
 * zero-block run coded as "remainder of segment" (121.0-B-3 §3.4.3, §5.1.2) reaches the end of
 * its 64-block segment (or RSI) even when the data ended earlier in it, as libaec does. So up
 * to one block and 63 zero blocks beyond the unit are accepted and trimmed; fewer samples than
 * the unit holds are an error (TRUNCATED).
 */
export function aec121DecodeUnit(stream: Uint8Array, opts: Aec121Options, samples: number): Uint32Array | Int32Array {
  const J = opts.blockSize;
  const bound = Math.ceil(samples / J) * J + (SEGMENT - 1) * J;
  const out = aec121Decode(stream, opts, { maxSamples: bound, expectedSamples: bound });
  if (out.length < samples) throw new Aec121DecodeError("TRUNCATED", stream.length * 8, out.length, out, undefined, `${out.length} of ${samples} samples`);
  return out.subarray(0, samples);
}
