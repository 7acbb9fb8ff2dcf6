// The OBC's end of the uplink: CLTU reception (231.0-B-4), TC frame validation (232.0-B-4 §4.1)
// and FARM-1 (232.1-B-2) for the payload's virtual channel. Bytes in; accepted frames (whole:
// header, data field, FECF, without fill octets) out for the payload; a CLCW after every CLTU.
import { CltuReceiver, type CltuCounters, type CltuResult } from "./cltu.ts";
import type { BchMode } from "./bch.ts";
import { parseTcFrame, type TcParse } from "./tc-frame.ts";
import { Farm1, encodeClcw, type Clcw, type FarmCounters } from "./cop1.ts";

/** The payload's virtual channel by default (cmd-interfaces: managed parameter, VCID 1). */
export const DEFAULT_TC_VCID = 1;

export interface UplinkOptions {
  /** Spacecraft id of this satellite (the profile's spacecraft.scid); absent: frames of any spacecraft are taken. */
  scid?: number;
  /** The payload's virtual channel (default 1). */
  vcid?: number;
  /** BCH decoding mode (default "correct"). */
  bchMode?: BchMode;
  /** The TC randomizer is in use (default false). */
  randomize?: boolean;
  /** FARM-1 sliding window width W (default 10). */
  farmWindow?: number;
}

export type FrameRefusal = Exclude<TcParse, { ok: true }>["field"];

export interface UplinkCounters {
  cltu: CltuCounters;
  /** Frames that passed validation (before FARM-1). */
  framesValid: number;
  /** Frames refused by validation, by the field at fault. */
  framesRefused: Record<FrameRefusal, number>;
  farm: FarmCounters;
  /** Frames handed to the payload (AD accepted by FARM-1, and BD). */
  delivered: number;
}

export interface UplinkEvent {
  /** How the CLTU ended. */
  end: CltuResult["end"];
  /** What became of its frame: "delivered AD"/"delivered BD"/"executed BC …", or the refusal. */
  outcome: string;
  clcw: Uint8Array;
}

export interface UplinkOutput {
  /** Whole accepted frames for the payload virtual channel, in order. */
  frames: Uint8Array[];
  /** One per CLTU that ended, in order. */
  events: UplinkEvent[];
}

export class UplinkReceiver {
  readonly farm: Farm1;
  private readonly cltu: CltuReceiver;
  private readonly vcid: number;
  private readonly refused: Record<FrameRefusal, number> = { length: 0, version: 0, spare: 0, frameLength: 0, fecf: 0, type: 0, scid: 0, vcid: 0 };
  private valid = 0;
  private delivered = 0;

  constructor(private readonly o: UplinkOptions) {
    this.vcid = o.vcid ?? DEFAULT_TC_VCID;
    if (o.scid !== undefined && (!Number.isInteger(o.scid) || o.scid < 0 || o.scid > 0x3ff)) throw new RangeError(`uplink: spacecraft id ${o.scid} is not 0..1023`);
    if (!Number.isInteger(this.vcid) || this.vcid < 0 || this.vcid > 63) throw new RangeError(`uplink: virtual channel ${this.vcid} is not 0..63`);
    this.cltu = new CltuReceiver({ mode: o.bchMode, randomize: o.randomize });
    this.farm = new Farm1({ vcid: this.vcid, window: o.farmWindow });
  }

  /** Octets of the uplink stream. */
  push(bytes: Uint8Array): UplinkOutput { return this.handle(this.cltu.push(bytes)); }
  /** The end of the stream (a CLTU cut off is counted truncated). */
  end(): UplinkOutput { return this.handle(this.cltu.end()); }

  /**
   * Another stream into the same uplink (one per connection of the telecommand port): its own
   * CLTU reception, the same frame validation, FARM-1 and counters.
   */
  stream(): { push(bytes: Uint8Array): UplinkOutput; end(): UplinkOutput } {
    const c = new CltuReceiver({ mode: this.o.bchMode, randomize: this.o.randomize }, this.cltu.counters);
    return { push: (b) => this.handle(c.push(b)), end: () => this.handle(c.end()) };
  }

  clcw(): Clcw { return this.farm.clcw(); }
  clcwOctets(): Uint8Array { return encodeClcw(this.farm.clcw()); }

  counters(): UplinkCounters {
    return { cltu: { ...this.cltu.counters }, framesValid: this.valid, framesRefused: { ...this.refused }, farm: { ...this.farm.counters }, delivered: this.delivered };
  }

  private handle(results: CltuResult[]): UplinkOutput {
    const out: UplinkOutput = { frames: [], events: [] };
    for (const r of results) {
      const outcome = this.frameOf(r, out.frames);
      out.events.push({ end: r.end, outcome, clcw: this.clcwOctets() });
    }
    return out;
  }

  private frameOf(r: CltuResult, frames: Uint8Array[]): string {
    if (r.end === "too-long" || r.end === "truncated") return `CLTU ${r.end}: no frame`;
    if (r.data.length === 0) return "CLTU without code blocks: no frame";
    // One frame per CLTU; fill octets only in its last code block (at most 6).
    const p = parseTcFrame(r.data, { scid: this.o.scid, vcids: [this.vcid], trailingFill: 6 });
    if (!p.ok) { this.refused[p.field]++; return `frame refused (${p.field}): ${p.message}`; }
    this.valid++;
    const v = this.farm.frame(p.frame);
    if (!v.accept) return `frame discarded by FARM-1: ${v.reason}`;
    if (v.type === "BC") return `BC ${v.command} executed`;
    frames.push(r.data.slice(0, p.length));
    this.delivered++;
    this.farm.release(); // handed over at once: the buffer towards the payload is free again
    return `${v.type} frame ${p.frame.seq} delivered`;
  }
}

/**
 * Runs octets of the uplink (CLTUs back to back, anything between them skipped) through the OBC's
 * stack: with options (default: any SCID, VCID 1, correction mode, no randomizer, W = 10), a fresh
 * receiver (FARM-1 open, V(R) 0) that also ends the stream; with a receiver, its state
 * carries on (FARM-1 V(R), lockout…) and the stream is not ended.
 */
export function acceptCltus(bytes: Uint8Array, rx: UplinkReceiver | UplinkOptions = {}): { frames: Uint8Array[]; counters: UplinkCounters; clcw: Clcw; events: UplinkEvent[] } {
  const fresh = !(rx instanceof UplinkReceiver);
  const r = rx instanceof UplinkReceiver ? rx : new UplinkReceiver(rx);
  const a = r.push(bytes);
  if (fresh) { const b = r.end(); a.frames.push(...b.frames); a.events.push(...b.events); }
  return { frames: a.frames, counters: r.counters(), clcw: r.clcw(), events: a.events };
}
