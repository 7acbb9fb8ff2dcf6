// A minimal baseline TIFF writer for the reader tests, written from the TIFF 6.0 specification
// (header §2, IFD entries §2, strips §3, tiles §15, PlanarConfiguration §7): uncompressed or
// Deflate (Compression 8, zlib stream per strip/tile), chunky or planar, 8- or 16-bit unsigned,
// either byte order. Test-only: independent of the geotiff package it checks.
import { deflateSync } from "node:zlib";

export interface TiffSpec {
  width: number;
  height: number;
  bands: number;
  bits: 8 | 16 | 32;
  /** 1 chunky, 2 planar. */
  planar: 1 | 2;
  bigEndian?: boolean;
  /** Tile size (square); strips when absent. */
  tile?: number;
  rowsPerStrip?: number;
  deflate?: boolean;
  /** SampleFormat (1 unsigned, 2 signed, 3 float). */
  sampleFormat?: number;
  value(z: number, y: number, x: number): number;
}

export function writeTiff(s: TiffSpec): Buffer {
  const be = !!s.bigEndian, bps = s.bits / 8;
  const chunks: Buffer[] = [];
  const put = (buf: Buffer, off: number, v: number) => {
    if (bps === 1) buf[off] = v;
    else if (bps === 2) be ? buf.writeUInt16BE(v, off) : buf.writeUInt16LE(v, off);
    else be ? buf.writeFloatBE(v, off) : buf.writeFloatLE(v, off);
  };
  // Segments (strips or tiles), per plane when planar.
  const planes = s.planar === 2 ? s.bands : 1, spp = s.planar === 2 ? 1 : s.bands;
  const tw = s.tile ?? s.width, th = s.tile ?? (s.rowsPerStrip ?? s.height);
  const across = Math.ceil(s.width / tw), down = Math.ceil(s.height / th);
  for (let pl = 0; pl < planes; pl++) {
    for (let ty = 0; ty < down; ty++) {
      for (let tx = 0; tx < across; tx++) {
        const rows = s.tile ? th : Math.min(th, s.height - ty * th), cols = s.tile ? tw : s.width;
        const seg = Buffer.alloc(rows * cols * spp * bps);
        for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) for (let k = 0; k < spp; k++) {
          const y = ty * th + r, x = tx * tw + c, z = s.planar === 2 ? pl : k;
          const v = y < s.height && x < s.width ? s.value(z, y, x) : 0;
          put(seg, ((r * cols + c) * spp + k) * bps, v);
        }
        chunks.push(s.deflate ? deflateSync(seg) : seg);
      }
    }
  }
  const entries: [number, number, number[]][] = []; // tag, type (3 SHORT, 4 LONG), values
  entries.push([256, 4, [s.width]], [257, 4, [s.height]], [258, 3, Array(s.bands).fill(s.bits)], [259, 3, [s.deflate ? 8 : 1]], [262, 3, [1]]);
  const offsetsTag = s.tile ? 324 : 273, countsTag = s.tile ? 325 : 279;
  entries.push([offsetsTag, 4, chunks.map(() => 0)], [277, 3, [s.bands]]);
  if (!s.tile) entries.push([278, 4, [th]]);
  entries.push([countsTag, 4, chunks.map((c) => c.length)], [284, 3, [s.planar]]);
  if (s.tile) entries.push([322, 4, [tw]], [323, 4, [th]]);
  entries.push([339, 3, Array(s.bands).fill(s.sampleFormat ?? 1)]);
  entries.sort((a, b) => a[0] - b[0]);
  // Layout: header (8) | IFD | out-of-line values | data.
  const ifdLen = 2 + entries.length * 12 + 4;
  let extra = 8 + ifdLen;
  const extraOff: number[] = entries.map(([, t, v]) => { const len = v.length * (t === 3 ? 2 : 4); if (len <= 4) return -1; const o = extra; extra += len + (len & 1); return o; });
  let dataOff = extra;
  const offsets = chunks.map((c) => { const o = dataOff; dataOff += c.length; return o; });
  entries.find((e) => e[0] === offsetsTag)![2] = offsets;
  const out = Buffer.alloc(dataOff);
  const u16 = (o: number, v: number) => (be ? out.writeUInt16BE(v, o) : out.writeUInt16LE(v, o));
  const u32 = (o: number, v: number) => (be ? out.writeUInt32BE(v, o) : out.writeUInt32LE(v, o));
  out.write(be ? "MM" : "II", 0, "latin1");
  u16(2, 42); u32(4, 8);
  u16(8, entries.length);
  entries.forEach(([tag, type, vals], i) => {
    const e = 10 + i * 12;
    u16(e, tag); u16(e + 2, type); u32(e + 4, vals.length);
    const write = (base: number) => vals.forEach((v, j) => (type === 3 ? u16(base + 2 * j, v) : u32(base + 4 * j, v)));
    if (extraOff[i] < 0) write(e + 8); else { u32(e + 8, extraOff[i]); write(extraOff[i]); }
  });
  u32(10 + entries.length * 12, 0);
  let o = extra;
  for (const c of chunks) { c.copy(out, o); o += c.length; }
  return out;
}
