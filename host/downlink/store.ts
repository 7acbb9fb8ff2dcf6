// The onboard mass store between the pipeline and the transmitter, and the transmitter's
// timing: CADUs produced by the flight image enter the store at their production time; the
// transmitter sends them back to back at the link bit rate, only inside the contact window.
// Capacity is the profile's obc.storeBytes. Policy when full: drop-newest (default: a CADU that
// does not fit is lost, what is stored is kept, which keeps the oldest data of the pass and a
// contiguous stream until the loss) or drop-oldest (the oldest stored CADUs make room).
//
// Time model: a CADU occupies the store from its production time until its transmission
// starts; its transmission starts at the latest of (the transmitter free, its production,
// the window start) and must end inside the window. Everything is event-driven on the times
// the caller gives (pass-relative seconds, non-decreasing), never on a host clock, so a report
// is deterministic. What the window end leaves in the store is not lost: it waits for the next
// pass (reported as left).

export type StorePolicy = "drop-newest" | "drop-oldest";

export interface StoreOptions {
  /** Octets; the profile's obc.storeBytes. */
  capacityBytes: number;
  /** Transmitter bit rate, bit/s. */
  bitRate: number;
  /** CADU length in octets (ASM included): the store's unit. */
  caduLen: number;
  /** Contact window in pass-relative seconds (default: always in contact). */
  window?: { startS: number; endS: number };
  policy?: StorePolicy;
  /** Called for every CADU that leaves, with its transmission start time. */
  onTransmit?(cadu: Uint8Array, startS: number): void;
  /** Fill-level timeline: a sample at most every this many seconds (default 1 ms; at most 100,000 samples). */
  sampleEveryS?: number;
  /** Hold the CADUs' contents (default true); false keeps only the accounting (for very long passes). */
  keepData?: boolean;
}

export class StoreOptionError extends Error {
  constructor(readonly field: keyof StoreOptions | "window.startS" | "window.endS" | "tS", readonly reason: string) {
    super(`downlink store option ${field}: ${reason}`);
    this.name = "StoreOptionError";
  }
}

export interface LossRun { firstCadu: number; count: number; fromS: number; toS: number }

export interface StoreReport {
  capacityBytes: number;
  policy: StorePolicy;
  bitRate: number;
  window: { startS: number; endS: number };
  cadusIn: number;
  cadusSent: number;
  /** Lost when the store overflowed, as runs of consecutive input CADU indices. */
  cadusLost: number;
  lost: LossRun[];
  /** Still stored when the window closed (downlinked at the next contact). */
  cadusLeft: number;
  bytesLeft: number;
  maxFillBytes: number;
  /** CADUs that waited before transmission, and how long (production → transmission start). */
  waited: number;
  meanWaitS: number;
  maxWaitS: number;
  firstTxS: number | null;
  lastTxEndS: number | null;
  /** (time, fill octets) samples. */
  fill: { tS: number; bytes: number }[];
}

interface Entry { idx: number; tS: number; data: Uint8Array | null }

export class DownlinkStore {
  private readonly q: Entry[] = [];
  private head = 0;
  private fillBytes = 0;
  private txFree: number;
  private readonly dur: number;
  private readonly win: { startS: number; endS: number };
  private readonly keep: boolean;
  private readonly partial: Uint8Array;
  private partialLen = 0;
  private lastT = 0;
  private nextSample = 0;
  private readonly sampleEvery: number;
  private waitSum = 0;
  private readonly r: StoreReport;

  constructor(private readonly o: StoreOptions) {
    if (!(o.capacityBytes >= 0)) throw new StoreOptionError("capacityBytes", "must be >= 0");
    if (!(o.bitRate > 0)) throw new StoreOptionError("bitRate", "must be > 0");
    if (!Number.isInteger(o.caduLen) || o.caduLen < 1) throw new StoreOptionError("caduLen", "must be a positive integer");
    const w = o.window ?? { startS: 0, endS: Infinity };
    if (!(w.startS >= 0) || !Number.isFinite(w.startS)) throw new StoreOptionError("window.startS", "must be a finite time >= 0");
    if (!(w.endS > w.startS)) throw new StoreOptionError("window.endS", "must be after the window start");
    this.win = w;
    this.dur = (o.caduLen * 8) / o.bitRate;
    this.txFree = w.startS;
    this.keep = o.keepData ?? true;
    this.partial = new Uint8Array(o.caduLen);
    this.sampleEvery = o.sampleEveryS ?? 1e-3;
    this.r = {
      capacityBytes: o.capacityBytes, policy: o.policy ?? "drop-newest", bitRate: o.bitRate, window: w,
      cadusIn: 0, cadusSent: 0, cadusLost: 0, lost: [], cadusLeft: 0, bytesLeft: 0, maxFillBytes: 0,
      waited: 0, meanWaitS: 0, maxWaitS: 0, firstTxS: null, lastTxEndS: null, fill: [],
    };
  }

  get fill(): number { return this.fillBytes; }

  /** Pipeline output produced at pass time tS (any chunking; non-decreasing times). */
  push(chunk: Uint8Array, tS: number): void {
    if (!(tS >= this.lastT)) throw new StoreOptionError("tS", `times must not go backwards (${tS} after ${this.lastT})`);
    this.lastT = tS;
    this.advance(tS);
    const L = this.o.caduLen;
    let i = 0;
    if (this.partialLen) {
      const take = Math.min(L - this.partialLen, chunk.length);
      this.partial.set(chunk.subarray(0, take), this.partialLen);
      this.partialLen += take; i = take;
      if (this.partialLen < L) return;
      this.enqueue(this.partial, tS);
      this.partialLen = 0;
    }
    for (; i + L <= chunk.length; i += L) this.enqueue(chunk.subarray(i, i + L), tS);
    if (i < chunk.length) { this.partial.set(chunk.subarray(i)); this.partialLen = chunk.length - i; }
  }

  /** Runs the transmitter until the window closes (or the store is empty); the report. */
  end(): StoreReport {
    this.advance(Infinity);
    const r = this.r;
    r.cadusLeft = this.q.length - this.head;
    r.bytesLeft = this.fillBytes;
    r.meanWaitS = r.cadusSent ? this.waitSum / r.cadusSent : 0;
    this.sample(Math.min(this.win.endS, r.lastTxEndS ?? this.lastT), true);
    return r;
  }

  private enqueue(cadu: Uint8Array, tS: number): void {
    const L = this.o.caduLen;
    const idx = this.r.cadusIn++;
    if (this.fillBytes + L > this.o.capacityBytes) {
      if (this.r.policy === "drop-oldest" && this.q.length - this.head > 0) {
        const old = this.q[this.head++];
        this.fillBytes -= L;
        this.lose(old.idx, tS);
      } else { this.lose(idx, tS); return; }
    }
    this.q.push({ idx, tS, data: this.keep ? cadu.slice() : null });
    this.fillBytes += L;
    if (this.fillBytes > this.r.maxFillBytes) this.r.maxFillBytes = this.fillBytes;
    if (this.head > 4096 && this.head * 2 > this.q.length) { this.q.splice(0, this.head); this.head = 0; }
    this.sample(tS);
  }

  private lose(idx: number, tS: number): void {
    this.r.cadusLost++;
    const last = this.r.lost[this.r.lost.length - 1];
    if (last && last.firstCadu + last.count === idx) { last.count++; last.toS = tS; }
    else this.r.lost.push({ firstCadu: idx, count: 1, fromS: tS, toS: tS });
  }

  /** Transmits every CADU whose transmission starts before t and ends inside the window. */
  private advance(t: number): void {
    const r = this.r;
    while (this.head < this.q.length) {
      const e = this.q[this.head];
      const start = Math.max(this.txFree, e.tS, this.win.startS);
      if (start >= t || start + this.dur > this.win.endS) break;
      this.head++;
      this.fillBytes -= this.o.caduLen;
      this.txFree = start + this.dur;
      const wait = start - e.tS;
      if (wait > 0) { r.waited++; this.waitSum += wait; if (wait > r.maxWaitS) r.maxWaitS = wait; }
      r.cadusSent++;
      if (r.firstTxS === null) r.firstTxS = start;
      r.lastTxEndS = this.txFree;
      this.o.onTransmit?.(e.data ?? new Uint8Array(this.o.caduLen), start);
      this.sample(start);
    }
  }

  private sample(tS: number, force = false): void {
    if (!force && tS < this.nextSample) return;
    const f = this.r.fill;
    if (f.length >= 100000) return; // bounded timeline
    f.push({ tS, bytes: this.fillBytes });
    this.nextSample = tS + this.sampleEvery;
  }
}
