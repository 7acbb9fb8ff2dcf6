// Ground side of onboard cloud screening: the tile statistics packets (decisions, pixel class
// counts, thumbnails of dropped tiles) and the class mask product (CCSDS 121, 2 bits per pixel:
// 0 clear, 1 cloud, 2 bright not cloud (snow, ice); one unit per tile row). Layouts: README, "Cloud screening products". Written from the
// documented layout, independently of the flight code.
import { aec121DecodeUnit, Aec121DecodeError } from "./aec121-decoder.ts";
import { decodeUnitHeader, UNIT_HDR_LEN, type UnitHeader } from "./image.ts";
import type { PieceLedger } from "./completeness.ts";
import { CONTRACT } from "../contract/contract.gen.ts";
import { decodeStruct } from "../contract/layout.ts";

/** Octets of the tile statistics before the thumbnail (contract "tileStatistics"). */
export const TILE_STATS_FIXED = CONTRACT.tileStatistics.fields.find((f) => f.name === "thumbnail")!.offset as number;
export const DECISIONS = ["keep", "degrade", "drop"] as const;
export type Decision = (typeof DECISIONS)[number];

export interface TileStats {
  tileRow: number; firstLine: number; lines: number; firstPixel: number; count: number;
  clear: number; cloud: number; uncertain: number; saturated: number; missing: number; unjudged: number;
  /** Bright, not cloud (snow, ice): valid, never counted as cloud. */
  bright: number;
  decision: Decision; reason: number; thumbnailFactor: number; bands: number;
  /** Dropped tiles: per band ⌈lines/f⌉ × ⌈count/f⌉ octets (top 8 bits of the block means). */
  thumbnail: Uint8Array | null;
}

export class ScreeningPacketError extends Error {
  constructor(readonly reason: "short" | "decision" | "time-code", message: string) { super(message); this.name = "ScreeningPacketError"; }
}

export function decodeTileStats(data: Uint8Array): TileStats {
  if (data.length < TILE_STATS_FIXED) throw new ScreeningPacketError("short", `tile statistics of ${data.length} octets`);
  if (data[0] !== 0x1e) throw new ScreeningPacketError("time-code", `unexpected CUC P-field 0x${data[0].toString(16)}`);
  const s = decodeStruct(CONTRACT.tileStatistics, data);
  const d = s.decision;
  if (d > 2) throw new ScreeningPacketError("decision", `decision ${d}`);
  const t: TileStats = {
    tileRow: s.tileRow, firstLine: s.firstLine, lines: s.lines, firstPixel: s.firstPixel, count: s.pixelCount,
    clear: s.clear, cloud: s.cloud, uncertain: s.uncertainBright, saturated: s.saturated, missing: s.missing, unjudged: s.unjudged,
    bright: s.brightNotCloud, decision: DECISIONS[d], reason: s.reason, thumbnailFactor: s.thumbnailFactor, bands: s.bands, thumbnail: null,
  };
  if (t.decision === "drop" && data.length > TILE_STATS_FIXED) t.thumbnail = data.slice(TILE_STATS_FIXED);
  return t;
}

export interface ScreeningSummary {
  tiles: number; kept: number; degraded: number; dropped: number;
  /** Cloud pixels over valid pixels (clear + cloud + uncertain-bright + bright-not-cloud), from the tile statistics. */
  cloudFraction: number;
  uncertainFraction: number;
  /** Bright-not-cloud (snow, ice) pixels over valid pixels. */
  brightFraction: number;
  /** Pixels the screener could not judge (night, calibration) or that were saturated/missing. */
  unjudgedPixels: number;
  maskUnits: number; maskUnitsLost: number;
  /** Cloud pixels in the decoded mask, and whether that agrees with the tile statistics (cloud and bright-not-cloud counts). */
  maskCloudPixels: number;
  /** Bright-not-cloud pixels in the decoded mask. */
  maskBrightPixels: number;
  maskAgrees: boolean;
  droppedPixels: number;
  totalPixels: number;
}

/** Collects decisions (for verification and the report) and rebuilds the mask. */
export class ScreeningGround {
  /** Tile rows by first line, oldest first; rows the reconstruction has finished are forgotten. */
  private rows = new Map<number, TileStats[]>();
  private maskParts = new Map<number, { hdr: UnitHeader; chunks: Uint8Array[]; next: number }>();
  readonly s: ScreeningSummary = { tiles: 0, kept: 0, degraded: 0, dropped: 0, cloudFraction: 0, uncertainFraction: 0, brightFraction: 0, unjudgedPixels: 0, maskUnits: 0, maskUnitsLost: 0, maskCloudPixels: 0, maskBrightPixels: 0, maskAgrees: true, droppedPixels: 0, totalPixels: 0 };
  private clear = 0; private cloud = 0; private uncertain = 0; private bright = 0;
  private statsCloud = 0; private statsBright = 0;
  badPackets = 0;
  constructor(readonly tileSize: number, private onMaskLine?: (line: number, mask: Uint8Array) => void, private onTile?: (t: TileStats) => void, private ledger?: PieceLedger) {}

  /** The tiles (with their decisions) covering a line, if their statistics arrived. */
  tilesAt(line: number): TileStats[] | undefined {
    for (const [first, row] of this.rows) if (line >= first && line < first + (row[0]?.lines ?? this.tileSize)) return row;
    return undefined;
  }

  /** The decision covering a band-line pixel, if its statistics arrived. */
  decisionAt(line: number, pixel: number): TileStats | undefined {
    return this.tilesAt(line)?.find((t) => pixel >= t.firstPixel && pixel < t.firstPixel + t.count);
  }

  /** Lines before `line` are final: their tile rows are no longer needed (bounded memory). */
  forgetBefore(line: number): void {
    for (const [first, row] of this.rows) {
      if (first + (row[0]?.lines ?? this.tileSize) <= line) this.rows.delete(first);
      else break;
    }
  }

  addStats(data: Uint8Array): void {
    let t: TileStats;
    try { t = decodeTileStats(data); } catch { this.badPackets++; return; }
    let row = this.rows.get(t.firstLine);
    if (!row) { row = []; this.rows.set(t.firstLine, row); }
    row.push(t);
    this.s.tiles++;
    if (t.decision === "keep") this.s.kept++; else if (t.decision === "degrade") this.s.degraded++; else { this.s.dropped++; this.s.droppedPixels += t.lines * t.count; }
    this.s.totalPixels += t.lines * t.count;
    this.clear += t.clear; this.cloud += t.cloud; this.uncertain += t.uncertain; this.bright += t.bright;
    this.statsCloud += t.cloud; this.statsBright += t.bright;
    this.s.unjudgedPixels += t.unjudged + t.saturated + t.missing;
    this.ledger?.tile(t);
    this.onTile?.(t);
  }

  addMask(data: Uint8Array, seqFlags: number): void {
    let h: UnitHeader;
    try { h = decodeUnitHeader(data); } catch { this.badPackets++; return; }
    const first = seqFlags === 1 || seqFlags === 3, last = seqFlags === 2 || seqFlags === 3;
    let u = this.maskParts.get(h.line);
    if (first) { u = { hdr: h, chunks: [], next: 0 }; this.maskParts.set(h.line, u); }
    if (!u || h.offset !== u.next) {
      if (u) this.maskParts.delete(h.line);
      if (last) { this.s.maskUnitsLost++; this.ledger?.maskUnit(h.line, null, u ? "a segment lost" : "its start lost"); }
      return;
    }
    const body = data.subarray(UNIT_HDR_LEN);
    u.chunks.push(body.slice());
    u.next += body.length;
    if (!last) return;
    this.maskParts.delete(h.line);
    const stream = new Uint8Array(u.next);
    let o = 0;
    for (const c of u.chunks) { stream.set(c, o); o += c.length; }
    let bits: Uint32Array | Int32Array;
    try {
      bits = aec121DecodeUnit(stream, { bitsPerSample: h.bitDepth, blockSize: h.blockSize, rsi: h.rsi, preprocess: (h.flags & 8) !== 0, restricted: (h.flags & 16) !== 0 }, h.lines * h.count);
    } catch (e) {
      this.s.maskUnitsLost++;
      this.ledger?.maskUnit(h.line, null, e instanceof Aec121DecodeError ? `decode-${e.code}` : "decode");
      return;
    }
    this.s.maskUnits++;
    const T = this.tileSize;
    const perTile = new Array<number>(Math.ceil((h.firstPixel + h.count) / T)).fill(0);
    for (let l = 0; l < h.lines; l++) {
      const m = new Uint8Array(h.count);
      for (let i = 0; i < h.count; i++) {
        const v = bits[l * h.count + i];
        m[i] = v;
        if (v === 1) { this.s.maskCloudPixels++; perTile[Math.floor((h.firstPixel + i) / T)]++; }
        else if (v === 2) this.s.maskBrightPixels++;
      }
      this.onMaskLine?.(h.line + l, m);
    }
    this.ledger?.maskUnit(h.line, perTile);
  }

  end(): ScreeningSummary {
    const valid = this.clear + this.cloud + this.uncertain + this.bright;
    this.s.cloudFraction = valid ? this.cloud / valid : 0;
    this.s.uncertainFraction = valid ? this.uncertain / valid : 0;
    this.s.brightFraction = valid ? this.bright / valid : 0;
    this.s.maskAgrees = this.s.maskUnitsLost === 0 && this.s.maskCloudPixels === this.statsCloud && this.s.maskBrightPixels === this.statsBright;
    return this.s;
  }
}
