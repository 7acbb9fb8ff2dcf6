// Frame synchronisation on the attached sync marker (131.0-B-5 §9): the ASM 1ACFFC1D is found at
// any bit offset, so a stream that slipped by bits is re-acquired. States: HUNT (exact match
// required), LOCK (ASM expected one CADU later, up to `lockedAsmErrors` bit errors tolerated),
// with a flywheel that keeps emitting CADUs at the expected place while the marker is damaged
// and a local search that follows slips and skips garbage. Buffers are bounded.

/** Attached sync marker for Reed-Solomon coded data (131.0-B-5 §9.3.1). */
export const ASM = 0x1acffc1d;
export const ASM_LEN = 4;

export interface SyncEvent {
  kind: "sync-acquired" | "sync-lost" | "bit-slip" | "garbage" | "flywheel" | "truncated-cadu";
  /** Absolute stream position of the event, in bits. */
  bitOffset: number;
  /** Bits (slip, signed), bytes (garbage, truncated) or consecutive misses (flywheel). */
  count: number;
}

export interface SyncStats {
  bytesIn: number;
  cadus: number;
  bitSlips: number;
  syncLosses: number;
  garbageBytes: number;
  flywheels: number;
  truncatedCadus: number;
  asmBitErrors: number;
}

export interface FrameSyncOptions {
  /** ASM bit errors tolerated at the expected place while locked (default 2). */
  lockedAsmErrors?: number;
  /** Consecutive CADUs emitted without a found ASM before the lock is declared lost (default 3). */
  maxFlywheel?: number;
  /** Largest slip followed without losing lock, bits (default 16). */
  maxSlipBits?: number;
}

function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

const HUNT = 0, LOCK = 1;

export class FrameSync {
  readonly stats: SyncStats = { bytesIn: 0, cadus: 0, bitSlips: 0, syncLosses: 0, garbageBytes: 0, flywheels: 0, truncatedCadus: 0, asmBitErrors: 0 };
  /** Codeblock (CADU without the ASM) handed to onCodeblock; 4-byte aligned, reused. */
  readonly codeblock: Uint8Array;
  private readonly caduBits: number;
  private readonly buf: Uint8Array;
  private fill = 0;
  /** Absolute byte offset of buf[0] in the stream. */
  private base = 0;
  /** Cursor in bits, relative to buf[0]. */
  private pos = 0;
  private state = HUNT;
  private huntStartAbs = 0;
  private misses = 0;
  private ended = false;
  private readonly tol: number;
  private readonly maxFly: number;
  private readonly maxSlip: number;

  constructor(
    readonly codeblockLen: number,
    private readonly onCodeblock: (cb: Uint8Array, asmBitOffset: number) => void,
    private readonly onEvent: (e: SyncEvent) => void,
    opts: FrameSyncOptions = {},
  ) {
    this.caduBits = (ASM_LEN + codeblockLen) * 8;
    this.codeblock = new Uint8Array(new Int32Array((codeblockLen + 3) >>> 2).buffer, 0, codeblockLen);
    this.buf = new Uint8Array(4 * (ASM_LEN + codeblockLen) + 65536);
    this.tol = opts.lockedAsmErrors ?? 2;
    this.maxFly = opts.maxFlywheel ?? 3;
    this.maxSlip = opts.maxSlipBits ?? 16;
  }

  push(chunk: Uint8Array): void {
    if (this.ended) return;
    this.stats.bytesIn += chunk.length;
    let off = 0;
    while (off < chunk.length) {
      this.compact();
      const n = Math.min(this.buf.length - this.fill, chunk.length - off);
      this.buf.set(chunk.subarray(off, off + n), this.fill);
      this.fill += n;
      off += n;
      this.process();
    }
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.process();
    const remBits = this.fill * 8 - this.pos;
    if (this.state === LOCK && remBits > 0) {
      this.stats.truncatedCadus++;
      this.onEvent({ kind: "truncated-cadu", bitOffset: this.absBits(this.pos), count: remBits >>> 3 });
    } else if (this.state === HUNT) {
      const g = Math.ceil((this.base * 8 + this.fill * 8 - this.huntStartAbs) / 8);
      if (g > 0) {
        this.stats.garbageBytes += g;
        this.onEvent({ kind: "garbage", bitOffset: this.huntStartAbs, count: g });
      }
    }
    this.pos = this.fill * 8;
  }

  private absBits(rel: number): number {
    return this.base * 8 + rel;
  }

  /** Drops consumed bytes (keeping a few before the cursor for backward slip searches). */
  private compact(): void {
    const keepFrom = Math.max(0, (this.pos >>> 3) - 8);
    if (keepFrom === 0 || (this.fill < this.buf.length && keepFrom < this.buf.length / 2)) return;
    this.buf.copyWithin(0, keepFrom, this.fill);
    this.fill -= keepFrom;
    this.base += keepFrom;
    this.pos -= keepFrom * 8;
  }

  /** The 32 bits starting at bit q (q + 32 <= fill*8 must hold). */
  private word(q: number): number {
    const b = this.buf, p = q >>> 3, s = q & 7;
    const hi = ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
    if (s === 0) return hi;
    return ((hi << s) | (b[p + 4] >>> (8 - s))) >>> 0;
  }

  /** First q in [from, to] with an exact ASM, or -1. Bit positions relative to buf. */
  private findExact(from: number, to: number): number {
    const limit = Math.min(to, this.fill * 8 - 32);
    const b = this.buf;
    for (let q = from; q <= limit; ) {
      if ((q & 7) === 0) {
        // Byte-aligned candidate fast path, then the seven shifted ones.
        let p = q >>> 3;
        const hi = ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
        if (hi === ASM) return q;
        const next = p + 4 < this.fill ? b[p + 4] : 0;
        for (let s = 1; s < 8 && q + s <= limit; s++) {
          if ((((hi << s) | (next >>> (8 - s))) >>> 0) === ASM) return q + s;
        }
        q += 8;
        p++;
      } else {
        if (this.word(q) === ASM) return q;
        q++;
      }
    }
    return -1;
  }

  private emit(q: number): void {
    const src = (q + 32) >>> 3, s = q & 7, n = this.codeblockLen, cb = this.codeblock, b = this.buf;
    if (s === 0) cb.set(b.subarray(src, src + n));
    else {
      const r = 8 - s;
      for (let i = 0; i < n; i++) cb[i] = ((b[src + i] << s) | (b[src + i + 1] >>> r)) & 255;
    }
    this.stats.cadus++;
    this.onCodeblock(cb, this.absBits(q));
  }

  private process(): void {
    const L = this.caduBits;
    for (;;) {
      const availBits = this.fill * 8;
      if (this.state === HUNT) {
        const q = this.findExact(this.pos, availBits);
        if (q < 0) {
          // Every start up to availBits − 32 was tried.
          this.pos = Math.max(this.pos, availBits - 31);
          return;
        }
        const skipped = this.absBits(q) - this.huntStartAbs;
        if (skipped > 0) {
          const g = Math.ceil(skipped / 8);
          this.stats.garbageBytes += g;
          this.onEvent({ kind: "garbage", bitOffset: this.huntStartAbs, count: g });
        }
        this.state = LOCK;
        this.misses = 0;
        this.pos = q;
        this.onEvent({ kind: "sync-acquired", bitOffset: this.absBits(q), count: 0 });
        continue;
      }
      // LOCK: the whole CADU (plus one byte for the shifted copy) must be here.
      const pos = this.pos;
      const needCadu = (((pos + L - 1) >>> 3) + 1) * 8;
      if (availBits < needCadu) {
        if (!this.ended || availBits - pos < 32) return;
      }
      const errs = availBits - pos >= 40 || (pos & 7) === 0 ? popcount32((this.word(pos) ^ ASM) >>> 0) : 32;
      if (errs <= this.tol) {
        if (availBits < needCadu) return; // truncated; end() reports it
        this.stats.asmBitErrors += errs;
        this.misses = 0;
        this.emit(pos);
        this.pos = pos + L;
        continue;
      }
      // Marker not at the expected place: look around (needs two CADUs of look-ahead).
      const lookEnd = pos + 2 * L + 40;
      if (availBits < lookEnd && !this.ended) return;
      let found = -1;
      for (let d = 1; d <= this.maxSlip && found < 0; d++) {
        if (pos - d >= 0 && pos - d + 32 <= availBits && this.word(pos - d) === ASM) found = pos - d;
        else if (pos + d + 32 <= availBits && this.word(pos + d) === ASM) found = pos + d;
      }
      if (found >= 0) {
        this.stats.bitSlips++;
        this.onEvent({ kind: "bit-slip", bitOffset: this.absBits(pos), count: found - pos });
        this.pos = found;
        continue;
      }
      const ahead = this.findExact(pos + this.maxSlip + 1, pos + L + this.maxSlip);
      const flywheelOk = ahead < 0 || Math.abs(ahead - (pos + L)) <= this.maxSlip;
      if (!flywheelOk) {
        const g = Math.ceil((ahead - pos) / 8);
        this.stats.garbageBytes += g;
        this.onEvent({ kind: "garbage", bitOffset: this.absBits(pos), count: g });
        this.pos = ahead;
        continue;
      }
      if (ahead < 0 && ++this.misses > this.maxFly) {
        this.stats.syncLosses++;
        this.onEvent({ kind: "sync-lost", bitOffset: this.absBits(pos), count: this.misses });
        this.state = HUNT;
        this.huntStartAbs = this.absBits(pos);
        continue;
      }
      if (availBits < needCadu) return;
      this.stats.flywheels++;
      this.onEvent({ kind: "flywheel", bitOffset: this.absBits(pos), count: this.misses });
      this.emit(pos);
      this.pos = pos + L;
    }
  }
}
