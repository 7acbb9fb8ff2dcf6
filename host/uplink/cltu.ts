// Communications Link Transmission Units of CCSDS 231.0-B-4 §5: start sequence EB 90, the BCH(63,56)
// code blocks of the (optionally randomized, §6) transfer frame, fill octets 55 in the last block,
// tail sequence C5 C5 C5 C5 C5 C5 C5 79. Building (the ground) and a streaming receiver (the OBC).
//
// Receiver (§5.3, the CLTU reception procedure as an octet-aligned stream; the emulated physical
// layer delivers octets, so the start sequence is searched on octet boundaries, with no error
// tolerated): SEARCH looks for EB 90; DECODE then takes 8 octets at a time and decodes each block
// (correction or detection mode, bch.ts). The first block that is not accepted ends the CLTU: the
// tail sequence is such a block by design (it is not a correctable codeword), so is a block with
// an uncorrectable error. Either way the information octets decoded so far are handed up
// (derandomized when the randomizer is in use) and the frame layer decides with the frame length
// and the FECF (232.0-B-4 §4.1). A block that ended the CLTU and is not the exact tail sequence is
// searched again for a start sequence, so a CLTU whose tail is missing does not swallow the next.
// A CLTU of more blocks than the longest frame needs is abandoned; one cut off by the end of the
// stream delivers nothing. Every outcome is counted.
import { bchDecodeBlock, bchEncodeBlock, type BchMode } from "./bch.ts";
import { tcRandomize } from "./randomizer.ts";

export const START_SEQUENCE = Uint8Array.of(0xeb, 0x90);
export const TAIL_SEQUENCE = Uint8Array.of(0xc5, 0xc5, 0xc5, 0xc5, 0xc5, 0xc5, 0xc5, 0x79);
export const FILL_OCTET = 0x55;
/** Code blocks of the longest CLTU: a 1024-octet frame (232.0-B-4 §4.1.2.7) in blocks of 7 octets. */
export const MAX_CLTU_BLOCKS = Math.ceil(1024 / 7);

export interface CltuOptions {
  /** Apply the TC randomizer (231.0-B-4 §6) to the frame before coding (default false). */
  randomize?: boolean;
}

/** The CLTU carrying one transfer frame (any length ≥ 1 octet). */
export function buildCltu(frame: Uint8Array, o: CltuOptions = {}): Uint8Array {
  if (frame.length === 0) throw new RangeError("CLTU: the frame is empty");
  const data = o.randomize ? tcRandomize(frame) : frame;
  const blocks = Math.ceil(data.length / 7);
  const info = new Uint8Array(blocks * 7).fill(FILL_OCTET);
  info.set(data);
  const out = new Uint8Array(2 + blocks * 8 + 8);
  out.set(START_SEQUENCE, 0);
  for (let b = 0; b < blocks; b++) bchEncodeBlock(info, b * 7, out, 2 + b * 8);
  out.set(TAIL_SEQUENCE, 2 + blocks * 8);
  return out;
}

/** How a CLTU ended. */
export type CltuEnd = "tail" | "error" | "too-long" | "truncated";

export interface CltuResult {
  end: CltuEnd;
  /** The decoded information octets (derandomized if so configured), fill octets included; empty for too-long and truncated. */
  data: Uint8Array;
  blocks: number;
  corrected: number;
}

export interface CltuCounters {
  /** Start sequences found. */
  cltus: number;
  /** CLTUs ended by the exact tail sequence. */
  tails: number;
  /** CLTUs ended by a code block with an uncorrectable error (not the tail sequence). */
  endedByError: number;
  /** CLTUs abandoned: more code blocks than the longest frame needs. */
  tooLong: number;
  /** CLTUs cut off by the end of the stream. */
  truncated: number;
  /** CLTUs ended before any code block (nothing to hand up). */
  empty: number;
  blocksClean: number;
  blocksCorrected: number;
  /** Code blocks rejected (errors detected, not corrected, or a start sequence in a block that is not clean), the tail sequence not counted. */
  blocksRejected: number;
  /** Octets skipped while searching for a start sequence. */
  octetsSkipped: number;
}

export function zeroCltuCounters(): CltuCounters {
  return { cltus: 0, tails: 0, endedByError: 0, tooLong: 0, truncated: 0, empty: 0, blocksClean: 0, blocksCorrected: 0, blocksRejected: 0, octetsSkipped: 0 };
}

export interface CltuReceiverOptions {
  /** BCH decoding mode (231.0-B-4 §3.3): "correct" single errors (default) or "detect" only. */
  mode?: BchMode;
  /** The randomizer is in use on this link: derandomize the decoded data (default false). */
  randomize?: boolean;
  /** Blocks after which a CLTU is abandoned (default MAX_CLTU_BLOCKS). */
  maxBlocks?: number;
}

function isTail(b: Uint8Array, p: number): boolean {
  for (let i = 0; i < 8; i++) if (b[p + i] !== TAIL_SEQUENCE[i]) return false;
  return true;
}

export class CltuReceiver {
  readonly counters: CltuCounters;
  private pending: Uint8Array = new Uint8Array(0);
  private inCltu = false;
  private readonly data: Uint8Array;
  private nData = 0;
  private blocks = 0;
  private corrected = 0;
  private readonly mode: BchMode;
  private readonly maxBlocks: number;
  private readonly blk = new Uint8Array(8);

  /** counters: shared with other receivers (several streams into one counted uplink), or its own. */
  constructor(private readonly o: CltuReceiverOptions = {}, counters?: CltuCounters) {
    this.counters = counters ?? zeroCltuCounters();
    this.mode = o.mode ?? "correct";
    this.maxBlocks = o.maxBlocks ?? MAX_CLTU_BLOCKS;
    this.data = new Uint8Array(this.maxBlocks * 7);
  }

  /** Feeds octets of the stream; returns the CLTUs that ended in them, in order. */
  push(chunk: Uint8Array): CltuResult[] {
    const w = new Uint8Array(this.pending.length + chunk.length);
    w.set(this.pending); w.set(chunk, this.pending.length);
    const out: CltuResult[] = [];
    const c = this.counters;
    let p = 0;
    for (;;) {
      if (!this.inCltu) {
        let i = p;
        while (i + 1 < w.length && !(w[i] === 0xeb && w[i + 1] === 0x90)) i++;
        if (i + 1 >= w.length) {
          // Not found: keep a trailing EB (it may begin a start sequence), skip the rest.
          const keep = w.length > p && w[w.length - 1] === 0xeb ? 1 : 0;
          c.octetsSkipped += w.length - p - keep;
          p = w.length - keep;
          break;
        }
        c.octetsSkipped += i - p;
        p = i + 2;
        c.cltus++;
        this.inCltu = true; this.nData = 0; this.blocks = 0; this.corrected = 0;
        continue;
      }
      if (w.length - p < 8) break;
      if (isTail(w, p)) {
        c.tails++;
        p += 8;
        out.push(this.finish("tail"));
        continue;
      }
      this.blk.set(w.subarray(p, p + 8));
      const r = bchDecodeBlock(this.blk, 0, this.mode);
      // A block that holds the start sequence and is not a clean codeword is taken for the start
      // of the next CLTU (this one lost its tail): in correction mode half of all random blocks
      // look correctable, and decoding on would swallow the next CLTU.
      let start = -1;
      if (r.outcome !== "clean") for (let j = 0; j < 7 && start < 0; j++) if (w[p + j] === 0xeb && w[p + j + 1] === 0x90) start = j;
      if (r.outcome === "rejected" || start >= 0) {
        c.blocksRejected++;
        c.endedByError++;
        // The search resumes in this block (at the start sequence it holds, if any).
        if (start > 0) p += start;
        out.push(this.finish("error"));
        continue;
      }
      if (r.outcome === "corrected") { c.blocksCorrected++; this.corrected++; } else c.blocksClean++;
      if (this.blocks === this.maxBlocks) {
        c.tooLong++;
        this.inCltu = false;
        out.push({ end: "too-long", data: new Uint8Array(0), blocks: this.blocks + 1, corrected: this.corrected });
        p += 8;
        continue;
      }
      this.data.set(this.blk.subarray(0, 7), this.nData);
      this.nData += 7; this.blocks++;
      p += 8;
    }
    this.pending = w.slice(p);
    return out;
  }

  /** The end of the stream: a CLTU still being decoded is counted truncated and delivers nothing. */
  end(): CltuResult[] {
    const out: CltuResult[] = [];
    if (this.inCltu) {
      this.counters.truncated++;
      this.inCltu = false;
      out.push({ end: "truncated", data: new Uint8Array(0), blocks: this.blocks, corrected: this.corrected });
    }
    this.counters.octetsSkipped += this.pending.length;
    this.pending = new Uint8Array(0);
    return out;
  }

  private finish(end: "tail" | "error"): CltuResult {
    this.inCltu = false;
    if (this.blocks === 0) this.counters.empty++;
    const raw = this.data.slice(0, this.nData);
    return { end, data: this.o.randomize ? tcRandomize(raw) : raw, blocks: this.blocks, corrected: this.corrected };
  }
}
