// What must arrive, and what did. From the configuration (the profile's compiled table) and the
// bus stream the sensor sent (line counters), the ground derives every piece the flight image
// owes the link — image units or raw line segments per band, CCSDS 123 segments, one cloud-mask
// unit per tile row, one statistics record per tile, housekeeping at boot, every N lines and at
// the end — and checks each: arrived, decoded, its pixels exact or within their bound, the mask
// agreeing with the statistics tile by tile. Rows of pieces (a line, a unit row, a tile row, a
// CCSDS 123 segment) are checked in line order as the image reconstruction finishes their last
// line and then forgotten, so memory stays bounded however long the pass is.
import type { Housekeeping } from "./housekeeping.ts";
import { LineRuns, insideInterval, stoppedLines, type StopReconstruction, type StoppedLines } from "./stopped.ts";
import { ModeSchedule, type ProductMode } from "./mode-schedule.ts";

export interface PieceSpec {
  mode: "raw" | "ccsds121" | "ccsds123";
  bands: number;
  pixels: number;
  bandNames?: string[];
  /** Raw mode: pixels per segment of a band line (a line larger than the maximum packet is segmented). */
  segPixels: number;
  /** CCSDS 121 without screening: lines per unit; CCSDS 123: lines per segment. */
  unitLines: number;
  /** CCSDS 121 without screening: pixels per unit column (0: the whole line). */
  unitPixels: number;
  /** Cloud screening: the tile size (tile rows, tile statistics, mask units); null without screening. */
  tileSize: number | null;
  /** Housekeeping every N lines accepted (0: only at boot and at the end). */
  hkEveryLines: number;
}

/** One kind of piece: how many were owed, how many arrived and checked, and the first problems by name. */
export interface PieceCount {
  what: string;
  expected: number;
  ok: number;
  /** Problems found (one per piece), the first ISSUES_KEPT of them named. */
  problems: number;
  issues: string[];
}

export interface Completeness {
  lines: { sent: number; first: number; last: number };
  image: PieceCount;
  tiles: PieceCount | null;
  mask: PieceCount | null;
  maskAgreement: PieceCount | null;
  housekeeping: PieceCount & { boots: number };
  /** The last housekeeping packet of the last boot, if it is the end-of-pass one. */
  finalHousekeeping: Housekeeping | null;
  /** Lines the last boot of the image was sent (all of them without reboots). */
  linesToLastBoot: number;
  /**
   * Commanded stops (host/ground/stopped.ts): lines inside them are "stopped by command", not
   * missing; their rows owe nothing. null when the pass had no stop event.
   */
  stopped: StoppedLines | null;
}

export const ISSUES_KEPT = 5;

interface TileSeen { decision: string; cloud: number; lines: number; count: number }
interface Row { pieces: Map<string, string>; tiles: Map<number, TileSeen>; mask: { problem: string | null; cloud: number[] | null } | null }

const range = (a: number, n: number) => (n > 1 ? `${a}–${a + n - 1}` : `${a}`);

function counter(what: string): PieceCount { return { what, expected: 0, ok: 0, problems: 0, issues: [] }; }
function problem(c: PieceCount, text: string): void {
  c.problems++;
  if (c.issues.length < ISSUES_KEPT) c.issues.push(text);
}

export class PieceLedger {
  private first = -1;
  private last = -1;
  private sent = 0;
  private readonly tileRows: boolean;
  /** The first line of the next row to check. */
  private nextStart = -1;
  /** The product mode of every line (the boot mode, then ST[8] switches: modeFrom). */
  readonly modes: ModeSchedule;
  private readonly rows = new Map<number, Row>();
  private readonly image: PieceCount;
  private readonly tiles: PieceCount | null;
  private readonly mask: PieceCount | null;
  private readonly agree: PieceCount | null;
  private hkBoots = 0;
  private hkLast = 0;
  private hkSeqs = new Set<number>();
  private hkEarlier = 0;
  private hkFinal: Housekeeping | null = null;
  private readonly sentRuns = new LineRuns();
  private readonly missingRuns = new LineRuns();
  /**
   * Rows where nothing arrived wait for the end, when the commanded stops are known (their events
   * may reach the ground after the rows are finished: the report channel can lag the image's).
   */
  private readonly emptyRows: [number, number][] = [];

  constructor(readonly spec: PieceSpec) {
    const s = spec;
    this.tileRows = s.tileSize !== null;
    this.modes = new ModeSchedule(s.mode);
    this.image = counter(s.mode === "raw" ? "raw line segments" : s.mode === "ccsds123" ? "CCSDS 123 segments" : "image units");
    this.tiles = s.tileSize ? counter("tile statistics records") : null;
    this.mask = s.tileSize ? counter("cloud mask units") : null;
    this.agree = s.tileSize ? counter("tiles whose mask agrees with their statistics") : null;
  }

  private bandName(b: number): string {
    const n = this.spec.bandNames?.[b];
    return n ? `band ${b} (${n})` : `band ${b}`;
  }

  /** A switch of the product mode (event 16): `line` is the first line in `mode`; rows restart there. */
  modeFrom(line: number, mode: ProductMode): void {
    this.modes.set(line, mode);
    this.image.what = "image pieces (raw line segments, CCSDS 121 units, CCSDS 123 segments: the product mode switched)";
  }

  /** Lines per row in a mode: a tile row, a unit or segment, or one line. */
  private rowLinesOf(mode: ProductMode): number { return this.spec.tileSize ?? (mode === "raw" ? 1 : Math.max(1, this.spec.unitLines)); }

  /** The first line of the row holding `line`, and its length (rows restart at every mode switch). */
  private rowOf(line: number): { f: number; n: number } {
    const start = Math.max(this.first, this.modes.intervalStart(line));
    const L = this.tileRows ? this.spec.tileSize! : this.rowLinesOf(this.modes.at(line));
    const f = start + Math.floor((line - start) / L) * L;
    return { f, n: Math.min(L, this.modes.nextSwitchAfter(f) - f) };
  }

  private row(line: number): Row | null {
    if (this.first < 0 || line < this.first) return null;
    const f = this.rowOf(line).f;
    let r = this.rows.get(f);
    if (!r) { r = { pieces: new Map(), tiles: new Map(), mask: null }; this.rows.set(f, r); }
    return r;
  }

  private static key(band: number, line: number, x: number): string { return `${band}:${line}:${x}`; }

  /** A line the imager sent (in order). */
  lineSent(counter: number): void {
    if (this.first < 0) { this.first = counter; this.nextStart = counter; }
    if (counter > this.last) this.last = counter;
    this.sent++;
    this.sentRuns.add(counter);
  }

  /** The reconstruction found no packet at all of this line. */
  lineMissing(line: number): void { this.missingRuns.add(line); }

  /**
   * An image piece (raw segment, unit, CCSDS 123 segment: band 0) arrived and decoded; line: its
   * first line. A copy that arrives whole counts, even after a broken one (lines re-sent after a reboot).
   */
  imageArrived(band: number, line: number, firstPixel: number): void {
    this.row(line)?.pieces.set(PieceLedger.key(band, line, firstPixel), "ok");
  }

  /** A piece whose header arrived but which could not be rebuilt (a segment lost, a decode error). */
  imageFailed(band: number, line: number, firstPixel: number, reason: string): void {
    const r = this.row(line);
    if (r && r.pieces.get(PieceLedger.key(band, line, firstPixel)) !== "ok") r.pieces.set(PieceLedger.key(band, line, firstPixel), `not rebuilt (${reason})`);
  }

  /** Some pixel of a piece is outside its bound. */
  imageWrong(band: number, line: number, firstPixel: number, maxError: number, bound: number): void {
    const r = this.row(line);
    const k = PieceLedger.key(band, line, firstPixel);
    const was = r?.pieces.get(k);
    const m = was?.match(/error (\d+) DN/);
    if (r && (!m || Number(m[1]) < maxError)) r.pieces.set(k, `pixels wrong: error ${maxError} DN, bound ${bound} DN`);
  }

  /** A piece whose time tag is not the one the imager gave its first line. */
  imageTimeWrong(band: number, line: number, firstPixel: number, gotS: number, sentS: number): void {
    const r = this.row(line);
    if (r) r.pieces.set(PieceLedger.key(band, line, firstPixel), `time tag wrong: ${gotS.toFixed(6)} s, the imager's ${sentS.toFixed(6)} s`);
  }

  /** A tile statistics record. */
  tile(t: { firstLine: number; firstPixel: number; lines: number; count: number; decision: string; cloud: number }): void {
    this.row(t.firstLine)?.tiles.set(t.firstPixel, { decision: t.decision, cloud: t.cloud, lines: t.lines, count: t.count });
  }

  /** A cloud mask unit (its first line): decoded with the cloud pixels per tile column, or the reason it was not. */
  maskUnit(firstLine: number, cloudPerTile: number[] | null, reason?: string): void {
    const r = this.row(firstLine);
    if (!r || r.mask?.problem === null) return;
    r.mask = cloudPerTile ? { problem: null, cloud: cloudPerTile } : { problem: `not decoded (${reason ?? "error"})`, cloud: null };
  }

  housekeeping(hk: Housekeeping): void {
    const seq = hk.hkSequence;
    if (this.hkBoots === 0 || seq <= this.hkLast) {          // the sequence restarts at 1 at every boot
      this.hkEarlier += this.hkSeqs.size;
      this.hkSeqs = new Set();
      this.hkBoots++;
      this.hkFinal = null;
    }
    this.hkLast = seq;
    this.hkSeqs.add(seq);
    if (hk.state === "ended") this.hkFinal = hk;
  }

  /** The reconstruction finished a line (in line order): rows that end at or before it are checked. */
  lineFinished(line: number): void {
    while (this.first >= 0) {
      const f = this.nextStart, n = this.rowOf(f).n;
      if (f > this.last || f + n - 1 > line) return;
      this.checkRow(f, n);
      this.nextStart = f + n;
    }
  }

  private checkRow(f: number, n: number): void {
    const r = this.rows.get(f) ?? { pieces: new Map<string, string>(), tiles: new Map<number, TileSeen>(), mask: null };
    this.rows.delete(f);
    if (r.pieces.size === 0 && r.tiles.size === 0 && r.mask === null) { this.emptyRows.push([f, n]); return; }
    this.checkRowOf(r, f, n);
  }

  private checkRowOf(r: Row, f: number, n: number): void {
    const s = { ...this.spec, mode: this.modes.at(f) };
    const piece = (band: number, line: number, x: number, count: number, lines: number) => {
      const k = PieceLedger.key(band, line, x);
      const st = r.pieces.get(k);
      r.pieces.delete(k);
      this.image.expected++;
      const name = s.mode === "ccsds123" ? `CCSDS 123 segment of lines ${range(line, lines)}`
        : s.mode === "raw" ? `raw segment of ${this.bandName(band)}, line ${line}, pixels ${range(x, count)}`
          : `image unit of ${this.bandName(band)}, lines ${range(line, lines)}, pixels ${range(x, count)}`;
      if (st === "ok") this.image.ok++;
      else problem(this.image, `${name} ${st ?? "missing"}`);
    };
    const rowName = (t: number) => `tile row ${t} (lines ${range(f, n)})`;
    if (s.tileSize) {
      const T = s.tileSize, tr = Math.floor((f - this.first) / T);
      const cols = Math.ceil(s.pixels / T);
      this.mask!.expected++;
      if (r.mask?.problem === null) this.mask!.ok++;
      else problem(this.mask!, `mask unit of ${rowName(tr)} ${r.mask?.problem ?? "missing"}`);
      for (let c = 0; c < cols; c++) {
        const x0 = c * T, count = Math.min(T, s.pixels - x0);
        const t = r.tiles.get(x0);
        this.tiles!.expected++;
        if (t) this.tiles!.ok++;
        else problem(this.tiles!, `tile statistics of ${rowName(tr)}, pixels ${range(x0, count)} missing`);
        if (t && r.mask?.cloud) {
          this.agree!.expected++;
          const m = r.mask.cloud[c] ?? 0;
          if (m === t.cloud) this.agree!.ok++;
          else problem(this.agree!, `${rowName(tr)}, pixels ${range(x0, count)}: the mask has ${m} cloud pixels, the statistics ${t.cloud}`);
        }
        if (t?.decision === "drop") {
          // Nothing may arrive for a dropped tile.
          for (const k of [...r.pieces.keys()]) {
            const [b, l, x] = k.split(":").map(Number);
            if (x !== x0) continue;
            r.pieces.delete(k);
            problem(this.image, `${s.mode === "raw" ? `raw segment of ${this.bandName(b)}, line ${l}` : `image unit of ${this.bandName(b)}, lines ${range(l, n)}`}, pixels ${range(x0, count)} sent for a tile decided dropped`);
          }
          continue;
        }
        if (!t) {
          // Decision unknown (its statistics were lost): the pieces that came are checked, none is owed.
          for (const [k, st] of [...r.pieces]) {
            const [b, l, x] = k.split(":").map(Number);
            if (x !== x0) continue;
            if (st === "ok") { r.pieces.delete(k); this.image.expected++; this.image.ok++; } else piece(b, l, x, count, n);
          }
          continue;
        }
        for (let b = 0; b < s.bands; b++) {
          if (s.mode === "raw") for (let l = f; l < f + n; l++) piece(b, l, x0, count, 1);
          else piece(b, f, x0, count, n);
        }
      }
    } else if (s.mode === "raw") {
      for (let b = 0; b < s.bands; b++) for (let x = 0; x < s.pixels; x += s.segPixels) piece(b, f, x, Math.min(s.segPixels, s.pixels - x), 1);
    } else if (s.mode === "ccsds121") {
      const w = s.unitPixels > 0 ? s.unitPixels : s.pixels;
      for (let b = 0; b < s.bands; b++) for (let x = 0; x < s.pixels; x += w) piece(b, f, x, Math.min(w, s.pixels - x), n);
    } else piece(0, f, 0, s.pixels, n);
  }

  end(reboots: { lastLineAcked: number }[] = [], stops: StopReconstruction | null = null): Completeness {
    // The last row may be short; rows nobody finished (nothing arrived at all) are checked too.
    while (this.first >= 0) {
      const f = this.nextStart, n = this.rowOf(f).n;
      if (f > this.last) break;
      this.checkRow(f, Math.min(n, this.last + 1 - f));
      this.nextStart = f + n;
    }
    this.rows.clear();
    // Rows where nothing arrived: owed nothing when every line the imager sent in them lies inside a
    // commanded stop; otherwise checked as any row (every piece missing).
    const intervals = stops?.intervals ?? [];
    for (const [f, n] of this.emptyRows) {
      let all = true;
      for (let l = f; l < f + n && all; l++) if (this.sentRuns.countIn(l, l + 1) && !intervals.some((i) => insideInterval(i, l))) all = false;
      if (!all || intervals.length === 0) this.checkRowOf({ pieces: new Map(), tiles: new Map(), mask: null }, f, n);
    }
    this.emptyRows.length = 0;
    const stopped = stops && (stops.intervals.length > 0 || stops.problems.length > 0) ? stoppedLines(stops, this.sentRuns, this.missingRuns) : null;
    const hk: PieceCount & { boots: number } = { ...counter("housekeeping packets"), boots: this.hkBoots };
    const acked = reboots.length ? reboots[reboots.length - 1].lastLineAcked : -1;
    const toLast = reboots.length ? this.last - Math.max(acked, this.first - 1) : this.sent;
    const N = this.spec.hkEveryLines;
    const accepted = this.hkFinal?.linesAccepted ?? toLast;
    const owed = 2 + (N > 0 ? Math.floor(accepted / N) : 0);
    // Earlier boots (reboots) owe nothing the ground can count; what they sent counts as arrived.
    hk.expected = owed + this.hkEarlier;
    hk.ok = this.hkEarlier;
    for (let q = 1; q <= owed; q++) {
      if (this.hkSeqs.has(q)) { hk.ok++; continue; }
      const when = q === 1 ? "at boot" : q === owed ? "at the end of the pass" : `after ${(q - 1) * N} lines`;
      problem(hk, `housekeeping packet ${q} of ${owed} (${when}) missing`);
    }
    return {
      lines: { sent: this.sent, first: this.first, last: this.last },
      image: this.image, tiles: this.tiles, mask: this.mask, maskAgreement: this.agree, housekeeping: hk,
      finalHousekeeping: this.hkFinal, linesToLastBoot: toLast, stopped,
    };
  }
}
