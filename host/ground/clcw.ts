// The CLCW in the downlink, on the ground: the Communications Link Control Word (CCSDS 232.0-B-4
// §4.2) read from the Operational Control Field of received TM/AOS frames (132.0-B-3 §4.1.5,
// 732.0-B-4 §4.1.5). Written from the book, not from host/uplink (the OBC's side) nor from the
// flight code: a test cross-checks the three and dariol83/ccsds's vectors.
//   decodeOcfClcw  one 32-bit OCF word → the CLCW's fields, or why it is not a CLCW
//   ClcwSeries     the CLCWs of a pass, as a PassObserver (frame()): every change, with its CADU
//   DownlinkClcw   a ground client of a CADU stream (tengri serve's CADU port): the CLCW changes of
//                  one virtual channel, and a frame count for the FOP-1's timer (host/uplink/client.ts)
import { connect, type Socket } from "node:net";
import { once } from "node:events";
import { LinkDecoder, type LinkConfig, type DecodedFrame } from "./link-decoder.ts";

// Bit 0 is the first bit on the wire (the word's most significant bit). 232.0-B-4 §4.2.1.
export const CLCW_TYPE_SHIFT = 31, CLCW_TYPE_MASK = 0x1;          // §4.2.1.2 control word type (0)
export const CLCW_VERSION_SHIFT = 29, CLCW_VERSION_MASK = 0x3;    // §4.2.1.3 CLCW version number (00)
export const CLCW_STATUS_SHIFT = 26, CLCW_STATUS_MASK = 0x7;      // §4.2.1.4 status field (mission specific)
export const CLCW_COP_SHIFT = 24, CLCW_COP_MASK = 0x3;            // §4.2.1.5 COP in effect (01 = COP-1)
export const CLCW_VCID_SHIFT = 18, CLCW_VCID_MASK = 0x3f;         // §4.2.1.6 virtual channel identification
export const CLCW_SPARE_SHIFT = 16, CLCW_SPARE_MASK = 0x3;        // §4.2.1.7 reserved spare
export const CLCW_NO_RF_SHIFT = 15;                               // §4.2.1.8.2 no RF available
export const CLCW_NO_BIT_LOCK_SHIFT = 14;                         // §4.2.1.8.3 no bit lock
export const CLCW_LOCKOUT_SHIFT = 13;                             // §4.2.1.8.4 lockout
export const CLCW_WAIT_SHIFT = 12;                                // §4.2.1.8.5 wait
export const CLCW_RETRANSMIT_SHIFT = 11;                          // §4.2.1.8.6 retransmit
export const CLCW_FARM_B_SHIFT = 9, CLCW_FARM_B_MASK = 0x3;       // §4.2.1.9 FARM-B counter (2 bits)
export const CLCW_REPORT_SHIFT = 0, CLCW_REPORT_MASK = 0xff;      // §4.2.1.11 report value: V(R)
/** COP in effect: COP-1 (§4.2.1.5.2). */
export const COP_1 = 1;

export interface OcfClcw {
  /** The OCF word as received (unsigned). */
  word: number;
  status: number;
  cop: number;
  vcid: number;
  noRf: boolean;
  noBitLock: boolean;
  lockout: boolean;
  wait: boolean;
  retransmit: boolean;
  farmB: number;
  reportValue: number;
}

export type OcfParse = { ok: true; clcw: OcfClcw } | { ok: false; field: "type" | "version"; message: string };

const bit = (w: number, shift: number) => ((w >>> shift) & 1) === 1;

/** One OCF word (unsigned 32 bits, e.g. DecodedFrame.ocf) as a CLCW; a type-1 report or a version other than 00 is not one. */
export function decodeOcfClcw(word: number): OcfParse {
  const w = word >>> 0;
  if (((w >>> CLCW_TYPE_SHIFT) & CLCW_TYPE_MASK) !== 0) return { ok: false, field: "type", message: "control word type 1: not a CLCW (a mission-specific type-1 report)" };
  const version = (w >>> CLCW_VERSION_SHIFT) & CLCW_VERSION_MASK;
  if (version !== 0) return { ok: false, field: "version", message: `CLCW version ${version}, must be 0` };
  return {
    ok: true,
    clcw: {
      word: w,
      status: (w >>> CLCW_STATUS_SHIFT) & CLCW_STATUS_MASK,
      cop: (w >>> CLCW_COP_SHIFT) & CLCW_COP_MASK,
      vcid: (w >>> CLCW_VCID_SHIFT) & CLCW_VCID_MASK,
      noRf: bit(w, CLCW_NO_RF_SHIFT),
      noBitLock: bit(w, CLCW_NO_BIT_LOCK_SHIFT),
      lockout: bit(w, CLCW_LOCKOUT_SHIFT),
      wait: bit(w, CLCW_WAIT_SHIFT),
      retransmit: bit(w, CLCW_RETRANSMIT_SHIFT),
      farmB: (w >>> CLCW_FARM_B_SHIFT) & CLCW_FARM_B_MASK,
      reportValue: (w >>> CLCW_REPORT_SHIFT) & CLCW_REPORT_MASK,
    },
  };
}

/** A CLCW as 8 hex digits (the form `tengri serve` prints). */
export const clcwHex = (word: number) => (word >>> 0).toString(16).padStart(8, "0");

export interface ClcwChange {
  /** CADU index (DecodedFrame.cadu) of the first frame that carried this word. */
  cadu: number;
  /** Frames with an OCF received before this one. */
  frame: number;
  clcw: OcfClcw;
}

export interface ClcwSeriesSummary {
  /** Frames that carried an OCF. */
  framesWithOcf: number;
  /** Of those, words that were not a CLCW (type 1, or a version other than 00). */
  notClcw: number;
  /** Every change of the CLCW, in order (the first word received counts as one). */
  changes: ClcwChange[];
  /** The last CLCW received (null when none). */
  last: OcfClcw | null;
}

/**
 * The CLCWs of a downlink: feed it every decoded frame (it is a PassObserver: `observers:
 * [series]` in runPass, or LinkDecoder's onFrame). Keeps each change (a word differing from the
 * previous CLCW), bounded by maxChanges (default 100 000; later changes are counted only).
 */
export class ClcwSeries {
  private readonly s: ClcwSeriesSummary = { framesWithOcf: 0, notClcw: 0, changes: [], last: null };
  /** Changes not kept because maxChanges was reached. */
  changesDropped = 0;
  constructor(private readonly onChange?: (c: ClcwChange) => void, private readonly maxChanges = 100_000) {}

  frame(f: DecodedFrame): void {
    if (f.ocf < 0) return;
    const n = this.s.framesWithOcf++;
    const p = decodeOcfClcw(f.ocf);
    if (!p.ok) { this.s.notClcw++; return; }
    if (this.s.last && this.s.last.word === p.clcw.word) return;
    this.s.last = p.clcw;
    const c: ClcwChange = { cadu: f.cadu, frame: n, clcw: p.clcw };
    if (this.s.changes.length < this.maxChanges) this.s.changes.push(c); else this.changesDropped++;
    this.onChange?.(c);
  }

  get framesWithOcf(): number { return this.s.framesWithOcf; }
  get last(): OcfClcw | null { return this.s.last; }
  summary(): ClcwSeriesSummary { return { ...this.s, changes: [...this.s.changes] }; }
}

export class DownlinkClcwError extends Error {
  constructor(readonly reason: "timeout" | "closed", message: string) { super(message); this.name = "DownlinkClcwError"; }
}

/**
 * The ground's reading of the CLCW from a CADU stream, for the FOP-1 of one virtual channel:
 * `next(t1Frames, timeoutMs)` resolves with the next CLCW of that channel that differs from the
 * last one handed out, or with "t1" once t1Frames frames carrying an OCF passed without one (the
 * FOP's timer T1, counted in downlink frames: the link's own clock); it rejects after timeoutMs of
 * wall time without either (no frames flow: the payload is not transmitting) or when the stream ends.
 */
export class DownlinkClcw {
  readonly series: ClcwSeries;
  private readonly dec: LinkDecoder;
  private queue: OcfClcw[] = [];
  private sinceChange = 0;
  private handedOut: number | null = null;
  private wake: (() => void) | null = null;
  private ended = false;
  private sock: Socket | null = null;

  constructor(link: LinkConfig, readonly vcid: number) {
    this.series = new ClcwSeries((c) => {
      if (c.clcw.vcid !== this.vcid || c.clcw.word === this.handedOut) return;
      this.queue.push(c.clcw);
      this.wake?.();
    });
    this.dec = new LinkDecoder(link, {
      onFrame: (f) => {
        if (f.ocf < 0) return;
        this.series.frame(f);
        this.sinceChange++;
        this.wake?.();
      },
    });
  }

  /** Connects to a CADU server (tengri serve's CADU port) and reads from it. */
  static async connect(o: { host?: string; port: number; link: LinkConfig; vcid: number }): Promise<DownlinkClcw> {
    const d = new DownlinkClcw(o.link, o.vcid);
    const sock = connect(o.port, o.host ?? "127.0.0.1");
    d.sock = sock;
    sock.on("data", (b: Buffer) => d.push(b));
    sock.on("close", () => d.end());
    sock.on("error", () => undefined);
    await once(sock, "connect");
    return d;
  }

  /** CADU octets, any chunking. */
  push(b: Uint8Array): void { this.dec.push(b); }
  end(): void { if (this.ended) return; this.ended = true; this.dec.end(); this.wake?.(); }
  close(): void { this.sock?.destroy(); this.end(); }

  /** The next changed CLCW of the channel, or "t1" after t1Frames frames with an OCF and no change. */
  async next(t1Frames: number, timeoutMs: number): Promise<OcfClcw | "t1"> {
    let timedOut = false;
    const t = setTimeout(() => { timedOut = true; this.wake?.(); }, timeoutMs);
    try {
      for (;;) {
        const c = this.queue.shift();
        if (c) { this.handedOut = c.word; this.sinceChange = 0; return c; }
        if (this.sinceChange >= t1Frames) { this.sinceChange = 0; return "t1"; }
        if (this.ended) throw new DownlinkClcwError("closed", "the CADU stream ended");
        if (timedOut) throw new DownlinkClcwError("timeout", `no CLCW in the downlink within ${timeoutMs} ms (are frames flowing, and does the profile's frame carry an OCF?)`);
        await new Promise<void>((res) => { this.wake = res; });
        this.wake = null;
      }
    } finally { clearTimeout(t); }
  }
}
