// A channel's samples on disk while a pass streams: a band-interleaved-by-line (BIL) file of
// little-endian samples, written line by line at its place (lines arrive in order, but need not),
// so host memory stays bounded however long the pass is. Lines never written, and band lines
// marked lost, read as nodata once the pass ends.
import { openSync, writeSync, readSync, closeSync } from "node:fs";

/** How samples are stored: octets per sample (little-endian) and the nodata value. */
export interface SampleStore { bytes: 1 | 2 | 4; nodata: number }

export class RasterFile {
  private fd: number;
  private readonly bytes: 1 | 2 | 4;
  readonly nodata: number;
  private readonly lineBytes: number;
  /** Band lines written, one bit each (bounded: lines × bands bits). */
  private written: Uint8Array = new Uint8Array(1024);
  private closed = false;

  constructor(readonly path: string, readonly width: number, readonly bands: number, f: SampleStore) {
    this.bytes = f.bytes;
    this.nodata = f.nodata;
    this.lineBytes = width * bands * f.bytes;
    this.fd = openSync(path, "w+");
  }

  private mark(row: number, band: number): void {
    const bit = row * this.bands + band;
    if ((bit >> 3) >= this.written.length) { const w = new Uint8Array(Math.max(this.written.length * 2, (bit >> 3) + 1)); w.set(this.written); this.written = w; }
    this.written[bit >> 3] |= 1 << (bit & 7);
  }
  isWritten(row: number, band: number): boolean {
    const bit = row * this.bands + band;
    return (bit >> 3) < this.written.length && (this.written[bit >> 3] & (1 << (bit & 7))) !== 0;
  }

  private put(b: Buffer, x: number, v: number): void {
    if (this.bytes === 1) b[x] = v; else if (this.bytes === 2) b.writeUInt16LE(v, x * 2); else b.writeInt32LE(v, x * 4);
  }

  private encode(values: ArrayLike<number>, nodataAt?: (x: number) => boolean): Buffer {
    const b = Buffer.allocUnsafe(this.width * this.bytes);
    for (let x = 0; x < this.width; x++) {
      const v = nodataAt?.(x) ? this.nodata : values[x];
      this.put(b, x, v);
    }
    return b;
  }

  /** One band line; pixels where nodataAt is true are written as nodata. */
  writeBandLine(row: number, band: number, values: ArrayLike<number>, nodataAt?: (x: number) => boolean): void {
    const b = this.encode(values, nodataAt);
    writeSync(this.fd, b, 0, b.length, row * this.lineBytes + band * this.width * this.bytes);
    this.mark(row, band);
  }

  /** A band line of nodata (lost). */
  writeNodata(row: number, band: number): void {
    const b = this.encode({ length: 0 } as ArrayLike<number>, () => true);
    writeSync(this.fd, b, 0, b.length, row * this.lineBytes + band * this.width * this.bytes);
    this.mark(row, band);
  }

  /** Replace a run of pixels of a band line already written by nodata. */
  blank(row: number, band: number, firstPixel: number, count: number): void {
    const b = Buffer.allocUnsafe(count * this.bytes);
    for (let x = 0; x < count; x++) this.put(b, x, this.nodata);
    writeSync(this.fd, b, 0, b.length, row * this.lineBytes + (band * this.width + firstPixel) * this.bytes);
  }

  /** End of the pass: every band line of 0 … lines − 1 never written becomes nodata. */
  finish(lines: number): void {
    for (let r = 0; r < lines; r++) for (let b = 0; b < this.bands; b++) if (!this.isWritten(r, b)) this.writeNodata(r, b);
  }

  /** Read one band line back (Float64 for the quicklook's arithmetic; nodata stays the nodata value). */
  readBandLine(row: number, band: number, into: Float64Array): Float64Array {
    const b = Buffer.allocUnsafe(this.width * this.bytes);
    readSync(this.fd, b, 0, b.length, row * this.lineBytes + band * this.width * this.bytes);
    for (let x = 0; x < this.width; x++) into[x] = this.bytes === 1 ? b[x] : this.bytes === 2 ? b.readUInt16LE(x * 2) : b.readInt32LE(x * 4);
    return into;
  }

  get byteOrderVrt(): { imageOffset: (band: number) => number; pixelOffset: number; lineOffset: number } {
    return { imageOffset: (band) => band * this.width * this.bytes, pixelOffset: this.bytes, lineOffset: this.lineBytes };
  }

  close(): void { if (!this.closed) { closeSync(this.fd); this.closed = true; } }
}
