import { aec121DecodeUnit, Aec121DecodeError } from "./aec121-decoder.ts";
import type { ScreeningGround } from "./screening.ts";
import type { PieceLedger } from "./completeness.ts";
import { decodeHyper123, Hyper123DecodeError } from "./hyper123-decoder.ts";
import { CONTRACT } from "../contract/contract.gen.ts";
import { decodeStruct, fieldSize } from "../contract/layout.ts";
import { ModeSchedule, type ProductMode } from "./mode-schedule.ts";

// Image reconstruction from the raw-mode image packets or the CCSDS 121 compressed units: per band and line, the samples are
// unpacked from their segments and checked against what the imager produced (by a hash kept
// per line and band on the sending side, so memory stays bounded on long passes).
// Packet layout (README, "Image packets"): secondary header = CUC (P-field 0x1E + 4 + 2
// octets) | line counter u32 | first pixel u16 | pixel count u16 | bit depth u8, then the
// samples packed MSB first at the bit depth.

export const IMAGE_SEC_HDR_LEN = 16;

/** A bus time tag (coarse seconds, fine in 2^-32 s) as the 4 + 2 octet CUC of the packets carries it, in seconds. */
export function cucTime16(coarse: number, fine32: number): number { return coarse + Math.floor(fine32 / 65536) / 65536; }

export interface LinePiece {
  band: number; line: number; firstPixel: number; count: number; bitDepth: number; timeS: number; samples: Uint16Array; tolerance?: number;
  /** First line of the unit or segment the piece came in (the ledger's key); the line itself for raw segments. */
  unitLine?: number;
}

export class ImagePacketError extends Error {
  constructor(readonly reason: "short" | "time-code" | "geometry" | "length", message: string) { super(message); this.name = "ImagePacketError"; }
}

/** Decodes one image packet's data field (segment). */
export function decodeImagePacket(band: number, data: Uint8Array, pixelsPerLine: number): LinePiece {
  if (data.length < IMAGE_SEC_HDR_LEN) throw new ImagePacketError("short", `image packet data field of ${data.length} octets`);
  if (data[0] !== 0x1e) throw new ImagePacketError("time-code", `unexpected CUC P-field 0x${data[0].toString(16)}`);
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const timeS = dv.getUint32(1) + dv.getUint16(5) / 65536;
  const line = dv.getUint32(7);
  const firstPixel = dv.getUint16(11);
  const count = dv.getUint16(13);
  const bitDepth = data[15];
  if (bitDepth < 1 || bitDepth > 16 || firstPixel + count > pixelsPerLine || count === 0) throw new ImagePacketError("geometry", `segment pixels ${firstPixel}+${count} of ${pixelsPerLine} at ${bitDepth} bits`);
  const need = Math.ceil((count * bitDepth) / 8);
  if (data.length - IMAGE_SEC_HDR_LEN !== need) throw new ImagePacketError("length", `segment carries ${data.length - IMAGE_SEC_HDR_LEN} octets for ${count} samples of ${bitDepth} bits (${need} expected)`);
  const samples = new Uint16Array(count);
  let acc = 0, bits = 0, p = IMAGE_SEC_HDR_LEN;
  const mask = (1 << bitDepth) - 1;
  for (let i = 0; i < count; i++) {
    while (bits < bitDepth) { acc = ((acc << 8) | data[p++]) >>> 0; bits += 8; }
    bits -= bitDepth;
    samples[i] = (acc >>> bits) & mask;
    acc &= (1 << bits) - 1;
  }
  return { band, line, firstPixel, count, bitDepth, timeS, samples };
}

/** A 32-bit FNV-1a hash of a band line's samples: the sender and the ground compare these. */
export function lineHash(samples: Uint16Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < samples.length; i++) {
    h = Math.imul(h ^ (samples[i] & 0xff), 0x01000193);
    h = Math.imul(h ^ (samples[i] >>> 8), 0x01000193);
  }
  return h >>> 0;
}

/** The unit header (contract "unitHeader", generated into the README), after the primary header. */
const UH = CONTRACT.unitHeader;
export const UNIT_HDR_LEN = Math.max(...UH.fields.map((f) => (f.offset as number) + fieldSize(f)));
export const CODER_CCSDS121 = 1;
export const CODER_CCSDS123 = 2;

export interface UnitHeader { line: number; lines: number; firstPixel: number; count: number; coder: number; bitDepth: number; blockSize: number; flags: number; rsi: number; offset: number; shift: number; timeS: number }

export function decodeUnitHeader(data: Uint8Array): UnitHeader {
  if (data.length < UNIT_HDR_LEN) throw new ImagePacketError("short", `unit packet data field of ${data.length} octets`);
  if (data[0] !== 0x1e) throw new ImagePacketError("time-code", `unexpected CUC P-field 0x${data[0].toString(16)}`);
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const h = decodeStruct(UH, data);
  return {
    timeS: dv.getUint32(1) + dv.getUint16(5) / 65536, line: h.firstLine, lines: h.lines, firstPixel: h.firstPixel, count: h.pixelCount,
    coder: h.coder, bitDepth: h.bitsPerSample, blockSize: h.blockSize, flags: h.aecFlags, rsi: h.rsi, offset: h.segmentOffset, shift: h.shift,
  };
}

export interface CompressionStats { band: number; rawBits: number; codedBits: number; ratio: number; bitsPerSample: number }

export interface ReconstructionStats {
  linesComplete: number;
  /** Complete lines whose every pixel is exact or within its piece's bound (degraded tiles, near-lossless CCSDS 123). */
  linesExact: number;
  /** Of those, lines whose every pixel is bit-exact. */
  linesBitExact: number;
  linesMismatch: number;
  linesPartial: number;
  linesMissing: number;
  bandLinesLost: number;
  segmentsReceived: number;
  badPackets: number;
  lostLines: { line: number; bands: number[]; reason: string }[];
  unitsDecoded: number;
  unitsLost: number;
  /** Screening: band-line pixels not sent because their tile was dropped (not a loss). */
  pixelsScreenedOut: number;
  /** Pieces received twice (lines re-sent after an OBC reboot); the last copy is kept. */
  duplicatePieces: number;
  /** Screening: band-line pieces of degraded tiles, and the largest error seen in them. */
  piecesDegraded: number;
  maxDegradedError: number;
  unitErrors: Record<string, number>;
  compression: CompressionStats[];
}

/**
 * Collects segments into band lines; a line is final once a later line has started on every
 * band (or at the end). Holds at most a few lines in memory.
 */
export class ImageReconstructor {
  private open = new Map<number, { bands: (Uint16Array | null)[]; got: number[]; pieces: LinePiece[]; seen: Set<number> }>();
  private lastLine = -1;
  readonly stats: ReconstructionStats = { linesComplete: 0, linesExact: 0, linesBitExact: 0, linesMismatch: 0, linesPartial: 0, linesMissing: 0, bandLinesLost: 0, segmentsReceived: 0, badPackets: 0, lostLines: [], unitsDecoded: 0, unitsLost: 0, unitErrors: {}, compression: [], pixelsScreenedOut: 0, piecesDegraded: 0, maxDegradedError: 0, duplicatePieces: 0 };
  private expectedSamples = new Map<number, Uint16Array>();
  private screening: ScreeningGround | null = null;
  private units = new Map<string, { hdr: UnitHeader; chunks: Uint8Array[]; next: number }>();
  /** Units already counted lost whose later segments may still arrive. */
  private dead = new Set<string>();
  private codedBytes: number[];
  private window: number;
  /**
   * mode: "raw" (one packet per band line or segment) or "ccsds121" (compressed units);
   * unitLines: lines per unit (lines stay open that long before they are final).
   */
  constructor(readonly bands: number, readonly pixels: number, private onLine?: (line: number, bands: (Uint16Array | null)[]) => void, readonly mode: "raw" | "ccsds121" | "ccsds123" = "raw", private unitLines = 1, readonly bitDepth = 16) {
    this.window = 2 + (mode === "raw" ? 0 : unitLines + 1);
    this.modes = new ModeSchedule(mode);
    this.codedBytes = new Array(bands).fill(0);
    this.screenedOut = new Array(bands).fill(0);
  }

  /**
   * Cloud-screening mode: tiles arrive a tile row late, degraded tiles within their error
   * bound, dropped ones not at all. The sender registers whole samples (expectSamples) and the
   * ground checks every pixel against them and the decisions.
   */
  useScreening(g: ScreeningGround, delayLines: number, degradeShift = 0): void {
    this.screening = g;
    this.window = delayLines + 4;
    this.degradeBound = degradeShift > 0 ? 1 << (degradeShift - 1) : 0;
  }
  private degradeBound = 0;
  /** CCSDS 123: the configured absolute error limit (0: lossless); null: trust the stream's header. */
  private hyperBound: number | null = null;
  /** CCSDS 123 near-lossless: every sample's bound is the configuration's, not the stream's. */
  useHyperBound(maxAbsError: number): void { this.hyperBound = maxAbsError; }
  private ledger: PieceLedger | null = null;
  /** Every piece that arrives, fails or is wrong is reported to the ledger of what was owed. */
  useLedger(l: PieceLedger): void { this.ledger = l; }
  private screenedOut: number[] = [];

  /**
   * The line as the imager produced it (band-interleaved; copied, and held only until the line
   * is final, a few lines or one unit later): every pixel that arrives is checked against it,
   * exactly or within its piece's error bound (degraded tiles, near-lossless CCSDS 123).
   */
  expectSamples(line: number, samples: Uint16Array, timeS?: number): void {
    this.expectedSamples.set(line, samples.slice());
    if (timeS !== undefined) this.sentTimes.set(line, timeS);
  }
  /** Time tags the imager gave the lines still open (CUC seconds to 2^-16 s: cucTime16), to check every piece's against. */
  private sentTimes = new Map<number, number>();

  /** The product mode of every line: the boot mode, then the switches announced (modeFrom). */
  readonly modes: ModeSchedule;
  /**
   * A product mode switch (event 16): `line` is the first line in `mode`. Packets are routed by the
   * line counter they carry at octet 7 (raw segments: their line; units and segments: their first).
   * unitLines: lines per unit or segment of the coded modes, when the boot mode is raw.
   */
  modeFrom(line: number, mode: ProductMode, unitLines = this.unitLines): void {
    this.modes.set(line, mode);
    if (mode !== "raw") { this.unitLines = unitLines; if (!this.screening) this.window = Math.max(this.window, 2 + unitLines + 1); }
  }
  /** The mode of the packet: the mode in force at the line counter it carries. */
  private packetMode(data: Uint8Array): ProductMode {
    if (this.modes.changes === 0 || data.length < 11) return this.mode;
    return this.modes.at(new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(7));
  }

  /** One image packet of a band (seqFlags: 133.0-B-2 sequence flags). The data is not kept. */
  addPacket(band: number, data: Uint8Array, seqFlags = 3): void {
    if (this.packetMode(data) !== "raw") { this.addUnitSegment(band, data, seqFlags); return; }
    let piece: LinePiece;
    try { piece = decodeImagePacket(band, data, this.pixels); } catch { this.stats.badPackets++; return; }
    this.stats.segmentsReceived++;
    this.codedBytes[band] += data.length - IMAGE_SEC_HDR_LEN;
    this.ledger?.imageArrived(band, piece.line, piece.firstPixel);
    this.addPiece(piece);
  }

  private unitLost(reason: string, h?: UnitHeader, band = 0): void {
    this.stats.unitsLost++;
    this.stats.unitErrors[reason] = (this.stats.unitErrors[reason] ?? 0) + 1;
    if (h) this.ledger?.imageFailed(h.coder === CODER_CCSDS123 ? 0 : band, h.line, h.firstPixel, reason);
  }

  private addUnitSegment(band: number, data: Uint8Array, seqFlags: number): void {
    let h: UnitHeader;
    try { h = decodeUnitHeader(data); } catch { this.stats.badPackets++; return; }
    if ((h.coder !== CODER_CCSDS121 && h.coder !== CODER_CCSDS123) || h.firstPixel + h.count > this.pixels || h.count === 0) { this.stats.badPackets++; return; }
    this.stats.segmentsReceived++;
    const body = data.subarray(UNIT_HDR_LEN);
    if (h.coder === CODER_CCSDS123) for (let b = 0; b < this.bands; b++) this.codedBytes[b] += body.length / this.bands;   // a segment codes every band
    else this.codedBytes[band] += body.length;
    const key = `${band}:${h.firstPixel}:${h.line}`;
    const first = seqFlags === 1 || seqFlags === 3, last = seqFlags === 2 || seqFlags === 3;
    let u = this.units.get(key);
    if (first) {
      if (u) this.unitLost("restarted", u.hdr, band);
      if (h.offset !== 0) { this.unitLost("bad-offset", h, band); return; }
      u = { hdr: h, chunks: [], next: 0 };
      this.units.set(key, u);
    } else if (!u) {
      // The start of this unit was lost (counted once, at its last segment), or the unit was
      // already counted lost when a middle segment went missing.
      if (last) { if (!this.dead.delete(key)) this.unitLost("start-lost", h, band); }
      return;
    }
    if (h.offset !== u.next) {
      this.units.delete(key);
      this.unitLost("segment-lost", h, band);
      if (!last) this.dead.add(key);
      return;
    }
    u.chunks.push(body.slice());
    u.next += body.length;
    if (!last) return;
    this.units.delete(key);
    const stream = new Uint8Array(u.next);
    let o = 0;
    for (const c of u.chunks) { stream.set(c, o); o += c.length; }
    if (h.coder === CODER_CCSDS123) { this.decodeSegment123(h, stream); return; }
    const n = h.lines * h.count;
    let samples: Uint32Array | Int32Array;
    try {
      samples = aec121DecodeUnit(stream, { bitsPerSample: h.bitDepth, blockSize: h.blockSize, rsi: h.rsi, preprocess: (h.flags & 8) !== 0, restricted: (h.flags & 16) !== 0 }, n);
    } catch (e) {
      this.unitLost(e instanceof Aec121DecodeError ? `decode-${e.code}` : "decode", h, band);
      return;
    }
    this.stats.unitsDecoded++;
    this.ledger?.imageArrived(band, h.line, h.firstPixel);
    for (let l = 0; l < h.lines; l++) {
      const s = new Uint16Array(h.count);
      const k = h.shift, half = k > 0 ? 1 << (k - 1) : 0;
      for (let i = 0; i < h.count; i++) s[i] = k > 0 ? (samples[l * h.count + i] << k) + half : samples[l * h.count + i];
      this.addPiece({ band, line: h.line + l, firstPixel: h.firstPixel, count: h.count, bitDepth: h.bitDepth, timeS: h.timeS, samples: s, tolerance: half, unitLine: h.line });
    }
  }

  /** A CCSDS 123 segment: a complete 123.0-B-2 image (its header says Nx, Ny, Nz); the unit header's line count says how many of its lines are real. */
  private decodeSegment123(h: UnitHeader, stream: Uint8Array): void {
    let d;
    try { d = decodeHyper123(stream, { maxSamples: this.pixels * this.bands * 65536 }); } catch (e) {
      this.unitLost(e instanceof Hyper123DecodeError ? `decode-${e.code}` : "decode", h);
      return;
    }
    const { nx, ny, nz } = d.header;
    if (nx !== this.pixels || nz !== this.bands || h.lines > ny) { this.unitLost("geometry", h); return; }
    this.stats.unitsDecoded++;
    this.ledger?.imageArrived(0, h.line, 0);
    for (let l = 0; l < h.lines; l++) {
      for (let z = 0; z < nz; z++) {
        const off = (z * ny + l) * nx;
        const s = new Uint16Array(nx);
        let tol = 0;
        for (let x = 0; x < nx; x++) { s[x] = d.samples[off + x]; if (d.maxError && d.maxError[off + x] > tol) tol = d.maxError[off + x]; }
        this.addPiece({ band: z, line: h.line + l, firstPixel: 0, count: nx, bitDepth: h.bitDepth, timeS: h.timeS, samples: s, tolerance: this.hyperBound ?? tol, unitLine: h.line });
      }
    }
  }

  private addPiece(piece: LinePiece): void {
    const band = piece.band;
    // A piece carries the time tag of its unit's first line (raw segments: of their line): the
    // CUC the imager gave it, fine time cut to 2^-16 s (exact in a double, compared exactly).
    const first = piece.unitLine ?? piece.line, sent = this.sentTimes.get(first);
    if (sent !== undefined && piece.line === first && piece.timeS !== sent)
      this.ledger?.imageTimeWrong(this.modes.at(first) === "ccsds123" ? 0 : band, first, piece.firstPixel, piece.timeS, sent);
    let l = this.open.get(piece.line);
    if (!l) {
      l = { bands: new Array(this.bands).fill(null), got: new Array(this.bands).fill(0), pieces: [], seen: new Set() };
      this.open.set(piece.line, l);
    }
    let b = l.bands[band];
    if (!b) b = l.bands[band] = new Uint16Array(this.pixels);
    b.set(piece.samples, piece.firstPixel);
    // A piece sent again (after an OBC reboot the unacknowledged lines are re-sent): the last copy counts once.
    const key = band * 65536 + piece.firstPixel;
    if (l.seen.has(key)) { this.stats.duplicatePieces++; return; }
    l.seen.add(key);
    l.got[band] += piece.count;
    l.pieces.push({ ...piece, samples: new Uint16Array(0) });
    // Lines older than the window are final (packets arrive in line order per channel; units
    // of a band column arrive whole once their last line is coded).
    this.advanceTo(piece.line);
  }

  /** The ground has seen data of `line`: lines older than the window are final. */
  advanceTo(line: number): void {
    if (line <= this.lastLine) return;                 // the window did not move: nothing new is final
    this.lastLine = line;
    const limit = line - this.window;
    const due = [...this.open.keys()].filter((k) => k < limit);
    for (const k of this.expectedSamples.keys()) if (k < limit && !this.open.has(k)) due.push(k);
    due.sort((a, b) => a - b);                         // in line order: finished lines release their tile decisions
    for (const k of due) this.finish(k);
  }

  private finish(line: number): void {
    const seen = this.open.get(line);
    const l = seen ?? { bands: new Array(this.bands).fill(null), got: new Array(this.bands).fill(0), pieces: [], seen: new Set<number>() };
    this.open.delete(line);
    const exp = this.expectedSamples.get(line);
    this.expectedSamples.delete(line);
    this.sentTimes.delete(line);
    const g = this.screening;
    const lostBands: number[] = [];
    let exact = true, bitExact = true;
    for (let b = 0; b < this.bands; b++) {
      const covered = new Uint8Array(this.pixels);
      const got = l.bands[b];
      for (const pc of l.pieces) {
        if (pc.band !== b) continue;
        covered.fill(1, pc.firstPixel, pc.firstPixel + pc.count);
        if (!exp || !got) continue;
        // Screening: the bound comes from the tile's decision and the configuration (keep: exact,
        // degrade: 2^(k−1)), not from the unit header; without the decision, from the header.
        const t = g?.decisionAt(line, pc.firstPixel);
        const tol = t ? (t.decision === "degrade" && this.mode === "ccsds121" ? this.degradeBound : 0) : (pc.tolerance ?? 0);
        if (tol > 0) this.stats.piecesDegraded++;
        let worst = 0;
        for (let x = pc.firstPixel; x < pc.firstPixel + pc.count; x++) {
          const e = Math.abs(got[x] - exp[b * this.pixels + x]);
          if (e > worst) worst = e;
        }
        if (worst > 0) bitExact = false;
        if (worst > tol) { exact = false; this.ledger?.imageWrong(this.modes.at(pc.unitLine ?? line) === "ccsds123" ? 0 : b, pc.unitLine ?? line, pc.firstPixel, worst, tol); }
        if (tol > 0 && worst > this.stats.maxDegradedError) this.stats.maxDegradedError = worst;
      }
      // Pixels of dropped tiles were not sent on purpose; any other gap is a loss.
      for (const t of g?.tilesAt(line) ?? []) {
        if (t.decision !== "drop") continue;
        for (let x = t.firstPixel; x < t.firstPixel + t.count; x++) {
          if (!covered[x]) { covered[x] = 1; this.stats.pixelsScreenedOut++; this.screenedOut[b]++; }
        }
      }
      if (covered.indexOf(0) >= 0) lostBands.push(b);
    }
    if (!exp) exact = false;
    if (!seen && lostBands.length === this.bands) {
      this.stats.linesMissing++;
      this.ledger?.lineMissing(line);
      this.stats.bandLinesLost += this.bands;
      this.stats.lostLines.push({ line, bands: lostBands, reason: "no packet of this line arrived" });
    } else if (lostBands.length) {
      this.stats.linesPartial++;
      this.stats.bandLinesLost += lostBands.length;
      this.stats.lostLines.push({ line, bands: lostBands, reason: g ? "tiles lost on the link" : "segments lost on the link" });
    } else {
      this.stats.linesComplete++;
      if (exact) { this.stats.linesExact++; if (bitExact) this.stats.linesBitExact++; } else this.stats.linesMismatch++;
    }
    g?.forgetBefore(line - 1);
    this.ledger?.lineFinished(line);
    this.onLine?.(line, l.bands);
  }

  /** End of pass: finalise open lines; every expected line never seen is missing. */
  end(): ReconstructionStats {
    for (const [k, u] of this.units) this.unitLost("unfinished", u.hdr, Number(k.split(":")[0]));
    this.units.clear();
    const all = new Set([...this.open.keys(), ...this.expectedSamples.keys()]);
    for (const key of [...all].sort((a, b) => a - b)) this.finish(key);
    this.dead.clear();
    const lines = this.stats.linesComplete + this.stats.linesPartial + this.stats.linesMissing;
    // Over the samples that were sent: pixels of tiles dropped by screening are not counted.
    this.stats.compression = this.codedBytes.map((bytes, band) => {
      const sent = lines * this.pixels - this.screenedOut[band];
      const rawBits = sent * this.bitDepth;
      return { band, rawBits, codedBits: bytes * 8, ratio: bytes ? rawBits / (bytes * 8) : 0, bitsPerSample: sent ? (bytes * 8) / sent : 0 };
    });
    return this.stats;
  }
}
