// GeoTIFF files as scene sources, read with the `geotiff` package. That package is promise-based
// and scene sources are synchronous (next() returns a line), so the reader runs in a worker
// thread (geotiff-worker.mjs) and the caller blocks on Atomics.wait for each answer. Lines are
// read in bounded blocks (one row of strips or tiles, at most 256 lines and 64 MiB), so memory
// stays at a block whatever the file size.
// Supported: the first image of the file, chunky (PlanarConfiguration 1) or planar (2), strips
// or tiles, unsigned 8- or 16-bit samples, any compression the geotiff package decodes
// (none, LZW, Deflate, PackBits, …). Refused with a SceneError naming the tag: other sample
// formats or widths (float, signed, 1/4/32-bit), mixed widths.
// Band mapping: bandMap, else nearest wavelength (wavelengthsNm option: GeoTIFF has no standard
// wavelength tag), else as for raw cubes (identity / evenly spaced). Pixels are fitted to the
// profile's pixels per line by nearest (default), area average or pad (resample.ts).
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import { existsSync } from "node:fs";
import type { Profile } from "../profiles/index.ts";
import { makeResampler, nearestWavelengthMap, type Fit } from "./resample.ts";
import { lineTime } from "./time.ts";
import { SceneError, type SceneSource, type SensorLine } from "./types.ts";

export interface GeoTiffMeta {
  width: number; height: number; samplesPerPixel: number; bitsPerSample: number[]; sampleFormat: number[];
  planarConfiguration: number; compression: number; tiled: boolean; tileWidth: number; tileHeight: number; images: number;
}

export interface GeoTiffOptions {
  path: string;
  bandMap?: number[];
  /** Centre wavelength of each file band, nm, for band mapping by nearest wavelength. */
  wavelengthsNm?: number[];
  fit?: Fit;
  rightShift?: number;
  repeatLines?: number;
  /** Cap on lines per block read (default 256). */
  blockLines?: number;
}

export interface GeoTiffSource extends SceneSource {
  readonly meta: GeoTiffMeta;
  readonly clipped: number;
}

const WORKER_URL = new URL("./geotiff-worker.mjs", import.meta.url);
const TIMEOUT_MS = 120000;

/** A synchronous client of the worker. */
class SyncGeoTiff {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly ctl = new Int32Array(new SharedArrayBuffer(4));
  private open = true;
  constructor(readonly path: string) {
    const ch = new MessageChannel();
    this.port = ch.port1;
    this.worker = new Worker(WORKER_URL, { workerData: { port: ch.port2, ctl: this.ctl, path }, transferList: [ch.port2] });
    this.worker.unref();
    this.port.unref();
  }
  call<T>(req: object): T {
    if (!this.open) throw new SceneError("path", "the GeoTIFF reader is closed", this.path);
    Atomics.store(this.ctl, 0, 0);
    this.port.postMessage(req);
    if (Atomics.wait(this.ctl, 0, 0, TIMEOUT_MS) === "timed-out") { this.close(); throw new SceneError("path", "the GeoTIFF reader did not answer", this.path); }
    const m = receiveMessageOnPort(this.port)?.message as ({ ok: true } & T) | { ok: false; field: string; error: string } | undefined;
    if (!m) throw new SceneError("path", "the GeoTIFF reader answered nothing", this.path);
    if (!m.ok) { const f = m as { field: string; error: string }; throw new SceneError(f.field, f.error, this.path); }
    return m as T;
  }
  close(): void {
    if (!this.open) return;
    this.open = false;
    void this.worker.terminate();
    this.port.close();
  }
}

export function isGeoTiff(path: string): boolean {
  return /\.tiff?$/i.test(path);
}

export function geoTiffScene(p: Profile, o: GeoTiffOptions): GeoTiffSource {
  const err = (field: string, reason: string): never => { throw new SceneError(field, reason, o.path); };
  if (!existsSync(o.path)) err("path", "cannot open: ENOENT");
  const shift = o.rightShift ?? 0;
  if (!Number.isInteger(shift) || shift < 0 || shift > 15) err("rightShift", "must be an integer within 0..15");
  if (o.repeatLines !== undefined && !(Number.isInteger(o.repeatLines) && o.repeatLines >= 0)) err("repeatLines", "must be a non-negative integer");
  if (o.fit !== undefined && !["nearest", "area", "pad"].includes(o.fit)) err("fit", "must be nearest, area or pad");
  const rd = new SyncGeoTiff(o.path);
  let meta: GeoTiffMeta;
  try {
    meta = rd.call<{ meta: GeoTiffMeta }>({ op: "open" }).meta;
  } catch (e) {
    rd.close();
    if (e instanceof SceneError && e.field === "geotiff") err("geotiff", `not a readable TIFF: ${e.reason}`);
    throw e;
  }
  try {
    const bps = meta.bitsPerSample;
    if (bps.some((b) => b !== bps[0])) err("geotiff.BitsPerSample", `mixed sample widths ${bps.join(",")} are not supported`);
    if (bps[0] !== 8 && bps[0] !== 16) err("geotiff.BitsPerSample", `${bps[0]}-bit samples are not supported (8 or 16)`);
    if (meta.sampleFormat.some((f) => f !== 1)) err("geotiff.SampleFormat", `sample format ${meta.sampleFormat.join(",")} is not supported (1 = unsigned integer)`);
    if (meta.planarConfiguration !== 1 && meta.planarConfiguration !== 2) err("geotiff.PlanarConfiguration", `${meta.planarConfiguration} is not 1 (chunky) or 2 (planar)`);
    if (!(meta.width > 0 && meta.height > 0 && meta.samplesPerPixel > 0)) err("geotiff.ImageWidth", "empty image");
  } catch (e) { rd.close(); throw e; }

  const outBands = p.sensor.bands.length, outPixels = p.sensor.pixelsPerLine, nb = meta.samplesPerPixel;
  let bandMap: number[];
  const fail = (field: string, reason: string): never => { rd.close(); return err(field, reason); };
  if (o.bandMap) {
    if (o.bandMap.length !== outBands) fail("bandMap", `needs one file band per profile band (${outBands}), got ${o.bandMap.length}`);
    o.bandMap.forEach((b, i) => { if (!Number.isInteger(b) || b < 0 || b >= nb) fail(`bandMap[${i}]`, `file band ${b} outside 0..${nb - 1}`); });
    bandMap = o.bandMap;
  } else if (o.wavelengthsNm) {
    if (o.wavelengthsNm.length !== nb || o.wavelengthsNm.some((w) => !(w > 0))) fail("wavelengthsNm", `needs ${nb} positive wavelengths`);
    bandMap = nearestWavelengthMap(o.wavelengthsNm, p.sensor.bands.map((b) => b.centreNm));
  } else if (nb === outBands) bandMap = Array.from({ length: outBands }, (_, i) => i);
  else if (nb > outBands) bandMap = Array.from({ length: outBands }, (_, i) => (outBands === 1 ? 0 : Math.round((i * (nb - 1)) / (outBands - 1))));
  else return fail("bands", `the file has ${nb} bands but the profile needs ${outBands}: give a bandMap`);

  const used = [...new Set(bandMap)].sort((a, b) => a - b);
  const slot = bandMap.map((b) => used.indexOf(b));
  const bytesPerLine = meta.width * used.length * (meta.bitsPerSample[0] / 8);
  const natural = Math.max(1, Math.min(meta.height, meta.tileHeight || meta.height)); // rows per strip, or tile height
  const cap = Math.max(1, Math.min(o.blockLines ?? 256, Math.floor((64 << 20) / Math.max(1, bytesPerLine))));
  const blockLines = natural <= cap ? Math.floor(cap / natural) * natural : cap;
  const total = o.repeatLines ?? meta.height;
  const fitter = makeResampler(meta.width, outPixels, o.fit ?? "nearest");
  const maxDn = 2 ** p.sensor.bitDepth - 1;
  const row = new Int32Array(meta.width);
  let block: ArrayLike<number>[] = [], b0 = -1, b1 = -1, n = 0, clipped = 0;

  const fetchBlock = (y: number) => {
    b0 = Math.floor(y / blockLines) * blockLines;
    b1 = Math.min(meta.height, b0 + blockLines);
    try {
      block = rd.call<{ bands: ArrayLike<number>[] }>({ op: "read", y0: b0, y1: b1, samples: used }).bands;
    } catch (e) {
      rd.close();
      throw e;
    }
    if (block.length !== used.length || block.some((a) => a.length < (b1 - b0) * meta.width)) { rd.close(); err("geotiff", `lines ${b0}..${b1 - 1} decoded short`); }
  };

  return {
    meta, bands: outBands, pixels: outPixels, lines: total,
    get clipped() { return clipped; },
    close: () => rd.close(),
    next(): SensorLine | null {
      if (n >= total) { rd.close(); return null; }
      const y = n % meta.height;
      if (y < b0 || y >= b1) fetchBlock(y);
      const out = new Uint16Array(outBands * outPixels), base = (y - b0) * meta.width;
      for (let b = 0; b < outBands; b++) {
        const src = block[slot[b]];
        for (let x = 0; x < meta.width; x++) row[x] = src[base + x] >> shift;
        clipped += fitter.run(row, 0, 1, out, b * outPixels, maxDn);
      }
      const t = lineTime(p, n);
      const line = { counter: n >>> 0, timeCoarse: t.coarse, timeFine: t.fine, samples: out };
      n++;
      if (n >= total) rd.close();
      return line;
    },
  };
}
