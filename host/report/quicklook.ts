// Quicklooks of a pass with bounded memory: every kx-th pixel (fixed from the profile) and every
// ky-th line, where ky starts equal to kx (square ground pixels) and doubles whenever the row
// buffer fills, so the image never exceeds maxSide rows however long the pass is.
import type { BandProfile } from "../profiles/index.ts";

export const MAGENTA = [255, 0, 255] as const;

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
    for (let j = 0; j < half; j++) {
      for (const buf of [...this.sent, ...this.ground]) buf.copyWithin(j * w, 2 * j * w, (2 * j + 1) * w);
      this.groundMask[j] = this.groundMask[2 * j];
      this.lostMask[j] = this.lostMask[2 * j] | this.lostMask[2 * j + 1];
    }
    this.groundMask.fill(0, half);
    this.lostMask.fill(0, half);
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

  /** RGB octets of a composite; on the ground side, rows missing any of its bands are magenta. */
  render(c: Composite, side: "sent" | "ground", stretches: Map<number, Stretch>): { rgb: Uint8Array; rowsLost: number } {
    const w = this.width, h = Math.max(1, this.rows);
    const rgb = new Uint8Array(w * h * 3);
    let rowsLost = 0;
    const slots = c.bands.map((b) => this.slotOf[b]);
    const need = slots.reduce((m, s) => m | (1 << s), 0);
    for (let y = 0; y < this.rows; y++) {
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
    return { rgb, rowsLost };
  }
}
