// A reader of a classic little-endian TIFF's structure, written here from the TIFF 6.0 layout
// (header, IFD chain, tag entries), to check the Cloud-Optimized layout byte by byte: every IFD
// before any image data, tiled, the GeoTIFF and GDAL tags present.
import { readFileSync } from "node:fs";

export interface Ifd { offset: number; tags: Map<number, number[] | string> }

const SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 12: 8, 16: 8 };

export function readTiff(path: string): { bytes: Buffer; ifds: Ifd[]; ghost: string } {
  const b = readFileSync(path);
  if (b.toString("latin1", 0, 2) !== "II" || b.readUInt16LE(2) !== 42) throw new Error(`${path}: not a classic little-endian TIFF`);
  const ifds: Ifd[] = [];
  for (let off = b.readUInt32LE(4), guard = 0; off !== 0 && guard < 64; guard++) {
    const n = b.readUInt16LE(off), tags = new Map<number, number[] | string>();
    for (let i = 0; i < n; i++) {
      const e = off + 2 + 12 * i, tag = b.readUInt16LE(e), type = b.readUInt16LE(e + 2), count = b.readUInt32LE(e + 4);
      const len = (SIZE[type] ?? 1) * count, at = len <= 4 ? e + 8 : b.readUInt32LE(e + 8);
      if (type === 2) { tags.set(tag, b.toString("latin1", at, at + count).replace(/\0+$/, "")); continue; }
      const v: number[] = [];
      for (let k = 0; k < count; k++) {
        const p = at + k * SIZE[type];
        v.push(type === 1 ? b[p] : type === 3 ? b.readUInt16LE(p) : type === 4 ? b.readUInt32LE(p) : type === 12 ? b.readDoubleLE(p) : Number(b.readBigUInt64LE(p)));
      }
      tags.set(tag, v);
    }
    ifds.push({ offset: off, tags });
    off = b.readUInt32LE(off + 2 + 12 * n);
  }
  // GDAL's COG "ghost" header right after the TIFF header: GDAL_STRUCTURAL_METADATA_SIZE=… then the keys.
  const ghost = b.toString("latin1", 8, Math.min(b.length, 8 + 400)).split("\0")[0];
  return { bytes: b, ifds, ghost };
}

export const TAG = { ImageWidth: 256, ImageLength: 257, TileWidth: 322, TileLength: 323, TileOffsets: 324, TileByteCounts: 325, Compression: 259, NewSubfileType: 254,
  ModelPixelScale: 33550, ModelTiepoint: 33922, ModelTransformation: 34264, GeoKeyDirectory: 34735, GdalMetadata: 42112, GdalNodata: 42113 } as const;
