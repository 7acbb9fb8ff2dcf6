// The ground station's streaming link-layer decoder: CADU bytes in (any chunking) → frame sync
// (131.0-B-5 §9) → derandomize (§10) → Reed-Solomon decode (§4) → FECF (132.0-B-3 §4.1.6) →
// TM (132.0-B-3) or AOS (732.0-B-4) header checks, VC demultiplexing, frame-counter gaps →
// space packets (133.0-B-2), with statistics and events. Independent of the flight code.

import { Derandomizer } from "./derandomize.ts";
import { FrameSync, type SyncEvent, type SyncStats, type FrameSyncOptions } from "./frame-sync.ts";
import { RsCodec } from "./reed-solomon.ts";
import { crc16 } from "./crc16.ts";
import { parseTmHeader, TM_HEADER_LEN, TM_SEC_HDR_LEN_MASK, TM_SEC_HDR_LEN_SHIFT, OCF_LEN, FECF_LEN, TM_VERSION } from "./tm-frame.ts";
import { parseAosHeader, parseMpduFhp, AOS_HEADER_LEN, AOS_FHEC_LEN, AOS_IDLE_VCID, AOS_VERSION, MPDU_HEADER_LEN } from "./aos-frame.ts";
import { PacketExtractor, IDLE_APID, FHP_IDLE_ONLY, PACKET_MAX_LEN, type SpacePacket, type PacketErrorReason } from "./packets.ts";

export type { SpacePacket, PacketErrorReason } from "./packets.ts";

export interface LinkConfig {
  frameType: "tm" | "aos";
  /** Transfer frame octets (e.g. 1115, 892, 223). */
  frameLen: number;
  /** Reed-Solomon E: 16, 8, or 0 for no Reed-Solomon. */
  rsE: 0 | 8 | 16;
  /** Interleaving depth I ∈ {1,2,3,4,5,8}; shortened codes when frameLen/I < 255−2E. */
  rsDepth: number;
  randomizer: boolean;
  /** CRC-16 frame error control field present. */
  fecf: boolean;
  /** AOS only: OCF present (TM frames say it in their header). */
  ocf: boolean;
  aosInsertZoneLen?: number;
  /** AOS frame header error control present (skipped, not verified). */
  aosFhec?: boolean;
  /** Longest packet accepted (default 65542, the standard's maximum). */
  maxPacketLen?: number;
  sync?: FrameSyncOptions;
}

export class LinkConfigError extends Error {
  constructor(readonly field: keyof LinkConfig, readonly value: unknown, readonly rule: string) {
    super(`link configuration ${String(field)} = ${JSON.stringify(value)}: ${rule}`);
    this.name = "LinkConfigError";
  }
}

export interface DecodedFrame {
  /** Index of the CADU in the stream (0-based, counting every CADU handed out by frame sync). */
  cadu: number;
  type: "tm" | "aos";
  scid: number;
  vcid: number;
  /** TM master channel frame count, -1 for AOS. */
  mcCount: number;
  vcCount: number;
  /** First header pointer (TM data field status or AOS M_PDU header); -1 when not packets. */
  fhp: number;
  idle: boolean;
  /** OCF (CLCW) as an unsigned 32-bit number, or -1. */
  ocf: number;
  /** RS symbols corrected in this frame. */
  symbolsCorrected: number;
  /** Symbols corrected in each of the I codewords (reused view; empty without RS). */
  codewordCorrections: Int32Array;
  /** The corrected transfer frame (a reused view: copy it to keep it). */
  frame: Uint8Array;
  /** The packet zone / data field (view). */
  dataField: Uint8Array;
}

export type LinkEventKind =
  | SyncEvent["kind"]
  | "rs-uncorrectable"
  | "fecf-bad"
  | "bad-header"
  | "mc-gap"
  | "vc-gap"
  | "packet-error"
  | "packet-seq-gap";

export interface LinkEvent {
  kind: LinkEventKind;
  /** CADUs handed out by frame sync so far (the event's CADU index for frame-level events). */
  cadu: number;
  /** Stream position in bits (sync events). */
  bitOffset?: number;
  vcid?: number;
  apid?: number;
  /** Bits, bytes, frames, codewords or packets depending on the kind. */
  count?: number;
  reason?: PacketErrorReason | string;
}

export interface VcStats {
  frames: number;
  /** Frames lost according to the VC frame counter. */
  gapFrames: number;
  gapEvents: number;
  idleFrames: number;
  packets: number;
}

/** The frame synchronizer's counters, then the decoder's own. */
export interface LinkStats extends SyncStats {
  rsCodewordsOk: number;
  rsCodewordsCorrected: number;
  rsCodewordsUncorrectable: number;
  rsSymbolsCorrected: number;
  /** rsCorrectionHistogram[n]: codewords that needed n symbol corrections (n ≤ E). */
  rsCorrectionHistogram: number[];
  framesGood: number;
  framesBadFecf: number;
  framesBadHeader: number;
  /** Frames dropped for any reason (uncorrectable RS, bad FECF, bad header). */
  framesDropped: number;
  idleFrames: number;
  /** TM: frames lost according to the master channel frame counter. */
  mcGapFrames: number;
  perVc: Map<number, VcStats>;
  packets: number;
  idlePackets: number;
  packetsPerApid: Map<number, number>;
  packetErrors: Record<PacketErrorReason, number>;
  /** Packets missing according to each APID's 14-bit sequence count. */
  packetSeqGaps: number;
}

export interface LinkHandlers {
  onFrame?(f: DecodedFrame): void;
  onPacket?(p: SpacePacket): void;
  onEvent?(e: LinkEvent): void;
}

const RS_DEPTHS = [1, 2, 3, 4, 5, 8];

export class LinkDecoder {
  private readonly s: LinkStats;
  private readonly sync: FrameSync;
  private readonly derand: Derandomizer | null;
  private readonly rs: RsCodec | null;
  private readonly depth: number;
  private readonly ncw: number;
  private readonly extractors: (PacketExtractor | undefined)[] = [];
  private readonly lastVc = new Float64Array(64).fill(-1);
  private lastMc = -1;
  private lastScid = -1;
  private readonly lastSeq = new Int32Array(2048).fill(-1);
  private caduIndex = -1;
  private readonly maxPacketLen: number;
  private readonly isTm: boolean;
  private readonly cwCorr: Int32Array;

  constructor(readonly cfg: LinkConfig, private readonly h: LinkHandlers = {}) {
    const { frameLen, rsE, rsDepth } = cfg;
    if (cfg.frameType !== "tm" && cfg.frameType !== "aos") throw new LinkConfigError("frameType", cfg.frameType, "must be tm or aos");
    if (rsE !== 0 && rsE !== 8 && rsE !== 16) throw new LinkConfigError("rsE", rsE, "must be 0, 8 or 16");
    if (!Number.isInteger(frameLen) || frameLen < 8 || frameLen > 65536) throw new LinkConfigError("frameLen", frameLen, "must be an integer in 8..65536");
    if (rsE) {
      if (!RS_DEPTHS.includes(rsDepth)) throw new LinkConfigError("rsDepth", rsDepth, "must be 1, 2, 3, 4, 5 or 8");
      if (frameLen % rsDepth !== 0) throw new LinkConfigError("frameLen", frameLen, `must be a multiple of the interleaving depth ${rsDepth} (131.0-B-5 §4.3.7)`);
      if (frameLen / rsDepth > 255 - 2 * rsE) throw new LinkConfigError("frameLen", frameLen, `at most ${(255 - 2 * rsE) * rsDepth} octets for E=${rsE}, I=${rsDepth}`);
    }
    const trailer = (cfg.fecf ? FECF_LEN : 0) + (cfg.frameType === "aos" && cfg.ocf ? OCF_LEN : 0);
    const hdr = cfg.frameType === "tm" ? TM_HEADER_LEN : AOS_HEADER_LEN + (cfg.aosFhec ? AOS_FHEC_LEN : 0) + (cfg.aosInsertZoneLen ?? 0) + MPDU_HEADER_LEN;
    if (hdr + trailer >= frameLen) throw new LinkConfigError("frameLen", frameLen, "leaves no data field");
    this.maxPacketLen = cfg.maxPacketLen ?? PACKET_MAX_LEN;
    if (!(this.maxPacketLen >= 7 && this.maxPacketLen <= PACKET_MAX_LEN)) throw new LinkConfigError("maxPacketLen", cfg.maxPacketLen, "must be in 7..65542");
    this.isTm = cfg.frameType === "tm";
    this.depth = rsE ? rsDepth : 1;
    this.ncw = rsE ? frameLen / rsDepth + 2 * rsE : 0;
    const cbLen = rsE ? this.ncw * rsDepth : frameLen;
    this.rs = rsE ? new RsCodec(rsE) : null;
    this.cwCorr = new Int32Array(rsE ? rsDepth : 0);
    this.derand = cfg.randomizer ? new Derandomizer(cbLen) : null;
    this.s = {
      bytesIn: 0, cadus: 0, bitSlips: 0, syncLosses: 0, garbageBytes: 0, flywheels: 0, truncatedCadus: 0, asmBitErrors: 0,
      rsCodewordsOk: 0, rsCodewordsCorrected: 0, rsCodewordsUncorrectable: 0, rsSymbolsCorrected: 0,
      rsCorrectionHistogram: new Array(rsE + 1).fill(0),
      framesGood: 0, framesBadFecf: 0, framesBadHeader: 0, framesDropped: 0, idleFrames: 0, mcGapFrames: 0,
      perVc: new Map(), packets: 0, idlePackets: 0, packetsPerApid: new Map(),
      packetErrors: { "lost-in-gap": 0, "fhp-mismatch": 0, "bad-fhp": 0, "bad-version": 0, "impossible-length": 0, truncated: 0 },
      packetSeqGaps: 0,
    };
    this.sync = new FrameSync(cbLen, (cb) => this.codeblock(cb), (e) => this.syncEvent(e), cfg.sync);
  }

  get stats(): LinkStats {
    const y = this.sync.stats;
    const s = this.s;
    s.bytesIn = y.bytesIn; s.cadus = y.cadus; s.bitSlips = y.bitSlips; s.syncLosses = y.syncLosses;
    s.garbageBytes = y.garbageBytes; s.flywheels = y.flywheels; s.truncatedCadus = y.truncatedCadus; s.asmBitErrors = y.asmBitErrors;
    return s;
  }

  push(chunk: Uint8Array): void {
    this.sync.push(chunk);
  }

  end(): void {
    this.sync.end();
    for (const x of this.extractors) x?.end();
  }

  private event(e: LinkEvent): void {
    this.h.onEvent?.(e);
  }

  private syncEvent(e: SyncEvent): void {
    this.event({ kind: e.kind, cadu: this.caduIndex + 1, bitOffset: e.bitOffset, count: e.count });
  }

  private drop(kind: LinkEventKind, reason: string, count = 0): void {
    this.s.framesDropped++;
    this.event({ kind, cadu: this.caduIndex, reason, count });
  }

  private codeblock(cb: Uint8Array): void {
    this.caduIndex++;
    const s = this.s;
    if (this.derand) this.derand.apply(cb); // 131.0-B-5 §10.2.2: derandomize before RS decoding
    let symbols = 0;
    const rs = this.rs;
    if (rs) {
      // De-interleave codeword j: symbol i is codeblock octet i·I + j (131.0-B-5 §4.3.5, §4.4.1).
      const I = this.depth, ncw = this.ncw, w = rs.work, base = 256 - ncw;
      let bad = 0;
      for (let j = 0; j < I; j++) {
        if (I === 1) w.set(cb.subarray(0, ncw), base);
        else for (let i = 0, t = j; i < ncw; i++, t += I) w[base + i] = cb[t];
        const r = rs.decode(ncw);
        this.cwCorr[j] = r;
        if (r >= 0) s.rsCorrectionHistogram[r]++;
        if (r === 0) s.rsCodewordsOk++;
        else if (r > 0) {
          s.rsCodewordsCorrected++;
          s.rsSymbolsCorrected += r;
          symbols += r;
          const idx = rs.lastIdx, val = rs.lastVal;
          for (let l = 0; l < r; l++) cb[idx[l] * I + j] ^= val[l];
        } else {
          s.rsCodewordsUncorrectable++;
          bad++;
        }
      }
      if (bad) return this.drop("rs-uncorrectable", "uncorrectable codeword", bad);
    }
    const fl = this.cfg.frameLen;
    const f = cb.subarray(0, fl);
    let end = fl;
    if (this.cfg.fecf) {
      end -= FECF_LEN;
      // 132.0-B-3 §4.1.6 / 732.0-B-4 §4.1.6: CRC over the frame except the FECF itself.
      if (crc16(f, 0, end) !== ((f[end] << 8) | f[end + 1])) {
        s.framesBadFecf++;
        return this.drop("fecf-bad", "FECF mismatch");
      }
    }
    if (this.isTm) this.tmFrame(f, end, symbols);
    else this.aosFrame(f, end, symbols);
  }

  private vcStats(vcid: number): VcStats {
    let v = this.s.perVc.get(vcid);
    if (!v) this.s.perVc.set(vcid, (v = { frames: 0, gapFrames: 0, gapEvents: 0, idleFrames: 0, packets: 0 }));
    return v;
  }

  /** Counter continuity with wrap-around: frames lost between the last count and this one. */
  private vcGap(vcid: number, count: number, modulus: number): void {
    const last = this.lastVc[vcid];
    this.lastVc[vcid] = count;
    if (last < 0) return;
    const lost = (count - last - 1 + modulus) % modulus;
    if (lost === 0) return;
    const v = this.vcStats(vcid);
    v.gapFrames += lost;
    v.gapEvents++;
    this.event({ kind: "vc-gap", cadu: this.caduIndex, vcid, count: lost });
    this.extractors[vcid]?.gap();
  }

  private extractor(vcid: number): PacketExtractor {
    let x = this.extractors[vcid];
    if (!x) {
      x = new PacketExtractor(vcid, this.maxPacketLen, (p) => this.packet(p), (reason, apid, n) => {
        this.s.packetErrors[reason]++;
        this.event({ kind: "packet-error", cadu: this.caduIndex, vcid, apid: apid < 0 ? undefined : apid, reason, count: n });
      });
      this.extractors[vcid] = x;
    }
    return x;
  }

  private tmFrame(f: Uint8Array, end: number, symbols: number): void {
    const hd = parseTmHeader(f);
    if (hd.version !== TM_VERSION) {
      this.s.framesBadHeader++;
      return this.drop("bad-header", `TM version ${hd.version}`);
    }
    let ocf = -1;
    if (hd.ocfFlag) {
      end -= OCF_LEN; // 132.0-B-3 §4.1.5
      ocf = ((f[end] << 24) | (f[end + 1] << 16) | (f[end + 2] << 8) | f[end + 3]) >>> 0;
    }
    let start = TM_HEADER_LEN;
    if (hd.secHdrFlag) start += ((f[start] >>> TM_SEC_HDR_LEN_SHIFT) & TM_SEC_HDR_LEN_MASK) + 1; // 132.0-B-3 §4.1.3.2.3
    if (start >= end) {
      this.s.framesBadHeader++;
      return this.drop("bad-header", "no data field");
    }
    const s = this.s;
    s.framesGood++;
    // Master channel frame count (132.0-B-3 §4.1.2.5), 8 bits with wrap-around.
    if (hd.scid !== this.lastScid) { this.lastScid = hd.scid; this.lastMc = -1; }
    if (this.lastMc >= 0) {
      const lost = (hd.mcCount - this.lastMc - 1 + 256) & 255;
      if (lost) {
        s.mcGapFrames += lost;
        this.event({ kind: "mc-gap", cadu: this.caduIndex, vcid: hd.vcid, count: lost });
      }
    }
    this.lastMc = hd.mcCount;
    const v = this.vcStats(hd.vcid);
    v.frames++;
    this.vcGap(hd.vcid, hd.vcCount, 256); // 132.0-B-3 §4.1.2.6
    const idle = hd.fhp === FHP_IDLE_ONLY;
    if (idle) { v.idleFrames++; s.idleFrames++; }
    const zone = f.subarray(start, end);
    if (this.h.onFrame) this.h.onFrame({ cadu: this.caduIndex, type: "tm", scid: hd.scid, vcid: hd.vcid, mcCount: hd.mcCount, vcCount: hd.vcCount, fhp: hd.syncFlag ? -1 : hd.fhp, idle, ocf, symbolsCorrected: symbols, codewordCorrections: this.cwCorr, frame: f, dataField: zone });
    // Packets only when the data field carries packets (synchronisation flag 0, §4.1.2.7.3).
    if (!hd.syncFlag) this.extractor(hd.vcid).frame(zone, hd.fhp);
  }

  private aosFrame(f: Uint8Array, end: number, symbols: number): void {
    const hd = parseAosHeader(f);
    const cfg = this.cfg;
    if (hd.version !== AOS_VERSION) {
      this.s.framesBadHeader++;
      return this.drop("bad-header", `AOS version ${hd.version}`);
    }
    let ocf = -1;
    if (cfg.ocf) {
      end -= OCF_LEN; // 732.0-B-4 §4.1.5
      ocf = ((f[end] << 24) | (f[end + 1] << 16) | (f[end + 2] << 8) | f[end + 3]) >>> 0;
    }
    const mpdu = AOS_HEADER_LEN + (cfg.aosFhec ? AOS_FHEC_LEN : 0) + (cfg.aosInsertZoneLen ?? 0); // §4.1.2.6, §4.1.3
    const s = this.s;
    s.framesGood++;
    const v = this.vcStats(hd.vcid);
    v.frames++;
    const idle = hd.vcid === AOS_IDLE_VCID; // 732.0-B-4 §4.1.2.3
    let fhp = -1;
    if (idle) { v.idleFrames++; s.idleFrames++; }
    else {
      this.vcGap(hd.vcid, hd.vcCount, hd.vcCountBits === 28 ? 0x10000000 : 0x1000000); // §4.1.2.4
      fhp = parseMpduFhp(f, mpdu);
      if (fhp === FHP_IDLE_ONLY) { v.idleFrames++; s.idleFrames++; }
    }
    const zone = f.subarray(idle ? mpdu : mpdu + MPDU_HEADER_LEN, end);
    if (this.h.onFrame) this.h.onFrame({ cadu: this.caduIndex, type: "aos", scid: hd.scid, vcid: hd.vcid, mcCount: -1, vcCount: hd.vcCount, fhp, idle, ocf, symbolsCorrected: symbols, codewordCorrections: this.cwCorr, frame: f, dataField: zone });
    if (!idle) this.extractor(hd.vcid).frame(zone, fhp);
  }

  private packet(p: SpacePacket): void {
    const s = this.s;
    if (p.apid === IDLE_APID) { s.idlePackets++; return; } // 133.0-B-2 §4.1.3.3.4.4: discarded
    s.packets++;
    this.vcStats(p.vcid).packets++;
    s.packetsPerApid.set(p.apid, (s.packetsPerApid.get(p.apid) ?? 0) + 1);
    // 14-bit packet sequence count per APID (133.0-B-2 §4.1.3.4.3), with wrap-around.
    const last = this.lastSeq[p.apid];
    this.lastSeq[p.apid] = p.seqCount;
    if (last >= 0) {
      const lost = (p.seqCount - last - 1) & 0x3fff;
      if (lost) {
        s.packetSeqGaps += lost;
        this.event({ kind: "packet-seq-gap", cadu: this.caduIndex, vcid: p.vcid, apid: p.apid, count: lost });
      }
    }
    this.h.onPacket?.(p);
  }
}
