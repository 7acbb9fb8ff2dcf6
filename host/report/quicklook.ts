// Quicklooks of a pass with bounded memory: every kx-th pixel (fixed from the profile) and every
// ky-th line, where ky starts equal to kx (square ground pixels) and doubles whenever the row
// buffer fills, so the image never exceeds maxSide rows however long the pass is.
import { insideInterval } from "../ground/stopped.ts";
import type { BandProfile } from "../profiles/index.ts";

export const MAGENTA = [255, 0, 255] as const;
/** Rows inside a commanded stop of acquisition (nothing owed: not a loss). */
export const STOPPED_GREY = [128, 128, 128] as const;

export interface Composite {
  /** "true" (red, green, blue) or "false" (NIR, red, green). */
  kind: "true" | "false";
  /** Band indices shown as R, G, B. */
  bands: [number, number, number];
}

const NOMINAL_NM: Record<string, number> = { blue: 490, green: 560, red: 665, nir: 842 };

/** The band named `name` (case-insensitive), else the one nearest the nominal centre wavelength. */
export function pickBand(bands: BandProfile[], name: "red" | "green" | "blue" | "nir"): number {
  const byName = bands.findIndex((b) => b.name.toLowerCase() === name);
  if (byName >= 0) return byName;
  let best = 0;
  for (let i = 1; i < bands.length; i++) if (Math.abs(bands[i].centreNm - NOMINAL_NM[name]) < Math.abs(bands[best].centreNm - NOMINAL_NM[name])) best = i;
  return best;
}

export function composites(bands: BandProfile[]): Composite[] {
  const r = pickBand(bands, "red"), g = pickBand(bands, "green"), b = pickBand(bands, "blue"), n = pickBand(bands, "nir");
  return [{ kind: "true", bands: [r, g, b] }, { kind: "false", bands: [n, r, g] }];
}

export interface Stretch { band: number; low: number; high: number }

/** Collects the decimated sent and ground images of a set of bands. */
export class QuicklookBuffer {
  readonly kx: number;
  ky: number;
  readonly width: number;
  /** Rows in use (sent side). */
  rows = 0;
  private first = -1;
  /** keep[i]: the profile band index held in slot i. */
  private readonly slotOf: Int32Array;
  private readonly sent: Uint16Array[];
  private readonly ground: Uint16Array[];
  /** Per row, bit i set when slot i arrived on the ground for the row's line. */
  private readonly groundMask: Uint8Array;
  /** Per row, bit i set when the band of slot i was lost on any line the row stands for. */
  private readonly lostMask: Uint8Array;
  /** Screening, allocated at the first mask line or tile: cloud mask value per pixel, tile decision per pixel (0 none, 1 keep, 2 degrade, 3 drop). */
  private cloud: Uint8Array | null = null;
  private decision: Uint8Array | null = null;
  private tileSize = 0;
  private tileAnchor = 0;
  maskRows = 0;
  tilesSeen = 0;

  constructor(readonly bands: number, readonly pixels: number, readonly keep: number[], readonly bitDepth: number, readonly maxSide = 1024) {
    if (keep.length > 8) throw new RangeError("at most 8 bands per quicklook buffer");
    this.kx = Math.max(1, Math.ceil(pixels / maxSide));
    this.ky = this.kx;
    this.width = Math.ceil(pixels / this.kx);
    this.slotOf = new Int32Array(bands).fill(-1);
    keep.forEach((b, i) => (this.slotOf[b] = i));
    this.sent = keep.map(() => new Uint16Array(maxSide * this.width));
    this.ground = keep.map(() => new Uint16Array(maxSide * this.width));
    this.groundMask = new Uint8Array(maxSide);
    this.lostMask = new Uint8Array(maxSide);
  }

  private offset(line: number): number { return (line - this.first) >>> 0; }

  /** Halve the rows: keep the even ones (lines 0, 2ky, 4ky, … of the old stride). */
  private decimate(): void {
    const w = this.width, half = this.maxSide >>> 1;
    const bufs = [...this.sent, ...this.ground, ...(this.cloud ? [this.cloud] : []), ...(this.decision ? [this.decision] : [])];
    for (let j = 0; j < half; j++) {
      for (const buf of bufs) buf.copyWithin(j * w, 2 * j * w, (2 * j + 1) * w);
      this.groundMask[j] = this.groundMask[2 * j];
      this.lostMask[j] = this.lostMask[2 * j] | this.lostMask[2 * j + 1];
    }
    this.groundMask.fill(0, half);
    this.lostMask.fill(0, half);
    this.cloud?.fill(0, half * w);
    this.decision?.fill(0, half * w);
    this.rows = Math.ceil(this.rows / 2);
    this.ky *= 2;
  }

  /** samples: bands × pixels, band-interleaved by line. */
  addSent(line: number, samples: Uint16Array): void {
    if (this.first < 0) this.first = line;
    const off = this.offset(line);
    if (off % this.ky !== 0) return;
    let row = off / this.ky;
    while (row >= this.maxSide) { this.decimate(); if (off % this.ky !== 0) return; row = off / this.ky; }
    const w = this.width, kx = this.kx, px = this.pixels;
    this.keep.forEach((band, slot) => {
      const dst = this.sent[slot], base = band * px;
      for (let x = 0, s = 0; x < w; x++, s += kx) dst[row * w + x] = samples[base + s];
    });
    if (row + 1 > this.rows) this.rows = row + 1;
  }

  addGround(line: number, bands: (Uint16Array | null)[]): void {
    if (this.first < 0) return;
    const off = this.offset(line);
    if (off % this.ky !== 0) return;
    const row = off / this.ky;
    if (row >= this.rows) return;
    const w = this.width, kx = this.kx;
    let mask = 0;
    this.keep.forEach((band, slot) => {
      const src = bands[band];
      if (!src) return;
      const dst = this.ground[slot];
      for (let x = 0, s = 0; x < w; x++, s += kx) dst[row * w + x] = src[s];
      mask |= 1 << slot;
    });
    this.groundMask[row] = mask;
  }

  private screening(): { cloud: Uint8Array; decision: Uint8Array } {
    this.cloud ??= new Uint8Array(this.maxSide * this.width);
    this.decision ??= new Uint8Array(this.maxSide * this.width);
    return { cloud: this.cloud, decision: this.decision };
  }

  get hasScreening(): boolean { return this.cloud !== null; }

  /** The ground's decoded cloud mask of a line: one value per pixel (0 clear, 1 cloud, ≥ 2 other classes). */
  addMask(line: number, mask: Uint8Array): void {
    if (this.first < 0 || mask.length === 0) return;
    const { cloud } = this.screening();
    const off = this.offset(line);
    if (off % this.ky !== 0) return;
    const row = off / this.ky;
    if (row >= this.rows) return;
    const w = this.width, scale = mask.length / this.pixels;
    for (let x = 0; x < w; x++) cloud[row * w + x] = mask[Math.min(mask.length - 1, Math.floor(x * this.kx * scale))];
    this.maskRows++;
  }

  /** A screening tile and its decision, painted over the rows and columns it covers. */
  addTile(t: { firstLine: number; lines: number; firstPixel: number; count: number; decision: string }): void {
    if (this.first < 0 || t.lines <= 0 || t.count <= 0) return;
    const { decision } = this.screening();
    if (this.tilesSeen++ === 0) { this.tileSize = t.lines; this.tileAnchor = this.offset(t.firstLine) % t.lines; }
    const code = t.decision === "keep" ? 1 : t.decision === "degrade" ? 2 : t.decision === "drop" ? 3 : 0;
    const off0 = this.offset(t.firstLine), w = this.width;
    const r0 = Math.ceil(off0 / this.ky), r1 = Math.min(this.rows - 1, Math.floor((off0 + t.lines - 1) / this.ky));
    const x0 = Math.ceil(t.firstPixel / this.kx), x1 = Math.min(w - 1, Math.floor((t.firstPixel + t.count - 1) / this.kx));
    for (let r = r0; r <= r1; r++) decision.fill(code, r * w + x0, r * w + x1 + 1);
  }

  /**
   * What the imager saw (the sent true-colour image) with the screening drawn over it: cloud-mask
   * pixels tinted cyan (bright-not-cloud pixels, snow and ice, yellow), dropped tiles hatched red, degraded tiles
   * hatched amber, the tile grid in grey when tiles are at least 4 quicklook pixels wide.
   */
  renderScreening(c: Composite, stretches: Map<number, Stretch>): Uint8Array {
    const base = this.render(c, "sent", stretches).rgb;
    const w = this.width, h = Math.max(1, this.rows);
    const cloud = this.cloud ?? new Uint8Array(0), decision = this.decision ?? new Uint8Array(0);
    const T = this.tileSize, grid = T > 0 && T / this.kx >= 4 && T / this.ky >= 4;
    const blend = (i: number, rgb: readonly number[], a: number) => { for (let k = 0; k < 3; k++) base[i + k] = Math.round(base[i + k] * (1 - a) + rgb[k] * a); };
    for (let y = 0; y < h && y < this.rows; y++) {
      const rowEdge = grid && y > 0 && Math.floor((y * this.ky - this.tileAnchor) / T) !== Math.floor(((y - 1) * this.ky - this.tileAnchor) / T);
      for (let x = 0; x < w; x++) {
        const i = (y * w + x) * 3, m = cloud[y * w + x] ?? 0, d = decision[y * w + x] ?? 0;
        if (m === 1) blend(i, [0, 220, 255], 0.45);
        else if (m >= 2) blend(i, [255, 230, 0], 0.45);
        const hatch = (x + y) % 5 < 2;
        if (d === 3 && hatch) blend(i, [220, 0, 0], 0.9);
        else if (d === 2 && hatch) blend(i, [255, 150, 0], 0.85);
        if (rowEdge || (grid && x > 0 && Math.floor((x * this.kx) / T) !== Math.floor(((x - 1) * this.kx) / T))) blend(i, [40, 40, 40], 0.3);
      }
    }
    return base;
  }

  /** Commanded stop intervals [from, to) (to null: to the end), line counters modulo 2^32. */
  private stops: { from: number; to: number | null }[] = [];

  /** The commanded stops of the pass (host/ground/stopped.ts): their rows render grey on the ground side. */
  markStopped(intervals: readonly { from: number; to: number | null }[]): void { this.stops = intervals.map((i) => ({ from: i.from, to: i.to })); }

  /** Whether the line a row stands for lies inside a commanded stop. */
  private rowStopped(y: number): boolean {
    if (this.first < 0 || this.stops.length === 0) return false;
    const line = (this.first + y * this.ky) % 2 ** 32;
    return this.stops.some((i) => insideInterval(i, line));
  }

  /** A line the ground reports lost or partial (from the summary), with its lost bands. */
  markLost(line: number, bands: number[]): void {
    if (this.first < 0) return;
    const row = Math.floor(this.offset(line) / this.ky);
    if (row >= this.rows) return;
    for (const b of bands) if (this.slotOf[b] >= 0) this.lostMask[row] |= 1 << this.slotOf[b];
  }

  /** Low and high percentiles of a band over the sent rows. */
  stretch(band: number, lowPct = 2, highPct = 98): Stretch {
    const slot = this.slotOf[band];
    const n = this.rows * this.width;
    const hist = new Uint32Array(1 << this.bitDepth);
    const max = hist.length - 1;
    const buf = this.sent[slot];
    for (let i = 0; i < n; i++) hist[Math.min(buf[i], max)]++;
    const at = (pct: number): number => {
      const target = Math.max(1, Math.ceil((n * pct) / 100));
      let acc = 0;
      for (let v = 0; v <= max; v++) { acc += hist[v]; if (acc >= target) return v; }
      return max;
    };
    const low = n ? at(lowPct) : 0;
    let high = n ? at(highPct) : max;
    if (high <= low) high = low + 1;
    return { band, low, high };
  }

  /**
   * RGB octets of a composite; on the ground side, rows inside a commanded stop are grey and rows
   * missing any of its bands otherwise are magenta.
   */
  render(c: Composite, side: "sent" | "ground", stretches: Map<number, Stretch>): { rgb: Uint8Array; rowsLost: number; rowsStopped: number } {
    const w = this.width, h = Math.max(1, this.rows);
    const rgb = new Uint8Array(w * h * 3);
    let rowsLost = 0, rowsStopped = 0;
    const slots = c.bands.map((b) => this.slotOf[b]);
    const need = slots.reduce((m, s) => m | (1 << s), 0);
    for (let y = 0; y < this.rows; y++) {
      if (side === "ground" && this.rowStopped(y) && (this.groundMask[y] & need) !== need) {
        rowsStopped++;
        for (let x = 0; x < w; x++) rgb.set(STOPPED_GREY, (y * w + x) * 3);
        continue;
      }
      const lost = side === "ground" && ((this.groundMask[y] & need) !== need || (this.lostMask[y] & need) !== 0);
      if (lost) {
        rowsLost++;
        for (let x = 0; x < w; x++) rgb.set(MAGENTA, (y * w + x) * 3);
        continue;
      }
      for (let ch = 0; ch < 3; ch++) {
        const src = (side === "sent" ? this.sent : this.ground)[slots[ch]];
        const st = stretches.get(c.bands[ch])!;
        const scale = 255 / (st.high - st.low);
        for (let x = 0; x < w; x++) {
          const v = (src[y * w + x] - st.low) * scale;
          rgb[(y * w + x) * 3 + ch] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
        }
      }
    }
    return { rgb, rowsLost, rowsStopped };
  }
}
