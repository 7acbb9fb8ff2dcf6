// Ground side of the panchromatic channel (bus record type 6 in the flight image, pan APID in the
// downlink): the CCSDS 122 segments are reassembled from their packets (assembly/payload/
// pan-segments.ts: CUC | segment index u32 | segment length u32 | offset u32 | pan lines u32 |
// pan tiles dropped u32, then the segment's octets), decoded by the independent ground decoder (./ccsds122/decoder.ts) and
// compared with the pan lines the imager sent: exact when lossless, PSNR and maximum error when
// coded at a byte budget. What is owed comes from the configuration and the lines sent:
// ⌈W/8⌉·⌈H/8⌉ blocks in segments of S blocks.
import { decodeCcsds122 } from "./ccsds122/decoder.ts";

export const PAN_SEC_HDR_LEN = 7 + 20;

export interface PanSummary {
  width: number;
  linesSent: number;
  linesDecoded: number;
  lossless: boolean;
  /** Screening: band tiles dropped (ground, from the tile statistics) and as the flight counted them under the pan; pan pixels not compared. */
  tilesDroppedGround: number;
  tilesDroppedFlight: number;
  pixelsDropped: number;
  segmentsExpected: number;
  segmentsComplete: number;
  /** Segment indices owed but not complete (first few). */
  segmentsMissing: number[];
  packets: number;
  /** Coded octets of the complete segments. */
  codedBytes: number;
  bitsPerPixel: number;
  decodeError: string | null;
  /** Pixels compared and the result: exact, maximum absolute error, PSNR (dB; Infinity when exact). */
  pixelsCompared: number;
  exact: boolean;
  maxError: number;
  psnrDb: number;
  /** The lossy bound in force (PSNR floor, dB), or null when lossless. */
  minPsnrDb: number | null;
  ok: boolean;
  detail: string;
}

interface Seg { len: number; parts: Map<number, Uint8Array>; got: number; bad: boolean }

export class PanGround {
  private readonly segs = new Map<number, Seg>();
  private readonly sent: Uint16Array[] = [];
  private packets = 0;
  private flightDrops = 0;
  private readonly drops: { first: number; last: number; x0: number; x1: number }[] = [];
  badPackets = 0;
  constructor(readonly width: number, readonly bitDepth: number, readonly segmentBlocks: number, readonly lossless: boolean, readonly minPsnrDb: number, readonly ratio = 1) {}

  /** A band tile the screening dropped (band lines and pixels): the pan under it (× ratio) was not sent. */
  dropTile(firstLine: number, lines: number, firstPixel: number, count: number): void {
    this.drops.push({ first: firstLine, last: firstLine + lines - 1, x0: firstPixel, x1: firstPixel + count });
  }

  /** A pan line as the imager sent it (kept for the comparison: the ground test holds the pass). */
  lineSent(samples: Uint16Array): void { this.sent.push(samples); }

  /** One packet of the pan APID (data field after the primary header). */
  addPacket(data: Uint8Array): void {
    this.packets++;
    if (data.length <= PAN_SEC_HDR_LEN) { this.badPackets++; return; }
    const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const index = dv.getUint32(7), len = dv.getUint32(11), off = dv.getUint32(15);
    this.flightDrops = Math.max(this.flightDrops, dv.getUint32(23));
    const body = data.subarray(PAN_SEC_HDR_LEN);
    if (len === 0 || len > 1 << 27 || off + body.length > len) { this.badPackets++; return; }
    let s = this.segs.get(index);
    if (!s) { s = { len, parts: new Map(), got: 0, bad: false }; this.segs.set(index, s); }
    if (s.len !== len) { s.bad = true; return; }
    if (s.parts.has(off)) return;
    s.parts.set(off, body.slice());
    s.got += body.length;
  }

  private assemble(s: Seg): Uint8Array | null {
    if (s.bad || s.got !== s.len) return null;
    const out = new Uint8Array(s.len);
    let at = 0;
    for (const [off, b] of [...s.parts].sort((a, c) => a[0] - c[0])) { if (off !== at) return null; out.set(b, off); at += b.length; }
    return at === s.len ? out : null;
  }

  /** Decodes and compares; `onLine` receives every pan line in order as decoded (null where it was not). */
  end(onLine?: (line: number, samples: ArrayLike<number> | null) => void): PanSummary {
    const H = this.sent.length, W = this.width;
    const blocks = Math.ceil(W / 8) * Math.ceil(H / 8);
    const expected = H >= 17 ? Math.ceil(blocks / this.segmentBlocks) : 0;
    const missing: number[] = [];
    const pieces: Uint8Array[] = [];
    let complete = 0, codedBytes = 0, prefix = true;
    for (let i = 0; i < expected; i++) {
      const s = this.segs.get(i);
      const b = s ? this.assemble(s) : null;
      if (b) { complete++; codedBytes += b.length; if (prefix) pieces.push(b); }
      else { prefix = false; if (missing.length < 8) missing.push(i); }
    }
    const stream = new Uint8Array(pieces.reduce((a, b) => a + b.length, 0));
    { let at = 0; for (const b of pieces) { stream.set(b, at); at += b.length; } }
    let decodeError: string | null = null, linesDecoded = 0, compared = 0, maxErr = 0, se = 0, dropped = 0;
    if (pieces.length > 0) {
      const r = decodeCcsds122(stream, { width: W, partial: complete < expected, height: complete === expected ? H : undefined, maxPixels: Math.max(1 << 25, Math.ceil(W / 8) * 8 * (Math.ceil(H / 8) * 8)) });
      if (!r.ok) decodeError = `${r.error} (octet ${r.offset})`;
      else {
        // Whole block rows that every decoded segment covered: the rows of a complete prefix.
        const rowsCovered = complete === expected ? H : Math.min(H, Math.floor((pieces.length * this.segmentBlocks) / Math.ceil(W / 8)) * 8);
        linesDecoded = Math.min(r.height, rowsCovered);
        const k = this.ratio;
        for (let y = 0; y < linesDecoded; y++) {
          const s = this.sent[y], row = y * r.width, m = Math.floor(y / k);
          const here = this.drops.filter((t) => m >= t.first && m <= t.last);
          for (let x = 0; x < W; x++) {
            if (here.length && here.some((t) => x >= t.x0 * k && x < t.x1 * k)) { dropped++; continue; }
            const d = r.pixels[row + x] - s[x];
            const a = d < 0 ? -d : d;
            if (a > maxErr) maxErr = a;
            se += d * d;
          }
          compared += W - (here.length ? here.reduce((a, t) => a + (Math.min(W, t.x1 * k) - t.x0 * k), 0) : 0);
        }
        if (onLine) for (let y = 0; y < H; y++) onLine(y, y < linesDecoded ? r.pixels.subarray(y * r.width, y * r.width + W) : null);
      }
    }
    if (onLine && linesDecoded === 0) for (let y = 0; y < H; y++) onLine(y, null);
    const peak = 2 ** this.bitDepth - 1;
    const psnr = compared === 0 ? 0 : se === 0 ? Infinity : 10 * Math.log10((peak * peak * compared) / se);
    const exact = compared > 0 && maxErr === 0;
    const allThere = expected > 0 && complete === expected && decodeError === null && linesDecoded === H;
    const withinBound = this.lossless ? exact : psnr >= this.minPsnrDb;
    const dropsAgree = this.flightDrops === this.drops.length;
    const ok = allThere && withinBound && this.badPackets === 0 && dropsAgree;
    const f = (x: number) => (x === Infinity ? "∞" : x.toFixed(1));
    const detail = expected === 0 ? (H === 0 ? "no pan line sent" : `${H} pan lines: fewer than the 17 a CCSDS 122 image needs`)
      : !allThere ? `${complete} of ${expected} segments arrived complete${missing.length ? ` (missing: ${missing.join(", ")}${expected - complete > missing.length ? ", …" : ""})` : ""}${decodeError ? `; decoder: ${decodeError}` : ""}; ${linesDecoded} of ${H} lines decoded`
      : !dropsAgree ? `the flight dropped the pan under ${this.flightDrops} tiles, the tile statistics say ${this.drops.length}`
      : (this.lossless ? (exact ? `all ${expected} segments arrived and decoded; ${H} lines × ${W} pixels bit-exact (lossless)` : `lossless, but ${compared} pixels differ by up to ${maxErr}`)
        : `all ${expected} segments arrived and decoded; PSNR ${f(psnr)} dB (bound ≥ ${this.minPsnrDb} dB), max error ${maxErr} DN`)
        + (this.drops.length ? `; pan under ${this.drops.length} dropped tiles not sent (${dropped} pixels)` : "");
    return {
      width: W, linesSent: H, linesDecoded, lossless: this.lossless, tilesDroppedGround: this.drops.length, tilesDroppedFlight: this.flightDrops, pixelsDropped: dropped, segmentsExpected: expected, segmentsComplete: complete, segmentsMissing: missing,
      packets: this.packets, codedBytes, bitsPerPixel: H > 0 ? (codedBytes * 8) / (W * H) : 0, decodeError, pixelsCompared: compared, exact, maxError: maxErr,
      psnrDb: psnr, minPsnrDb: this.lossless ? null : this.minPsnrDb, ok, detail,
    };
  }
}
