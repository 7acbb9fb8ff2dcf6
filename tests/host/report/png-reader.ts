// An independent PNG reader for the report tests (written from the PNG spec, not from our
// encoder): chunk walk with CRC check, scanline unfiltering, the RGB pixels of a file.
import assert from "node:assert/strict";
import { inflateSync } from "node:zlib";

/** Bitwise CRC-32 (reflected 0xEDB88320), written without a table, to check the encoder's. */
export function crcBitwise(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const x of b) { c ^= x; for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1; }
  return (c ^ 0xffffffff) >>> 0;
}

/** PNG §9: undo the per-scanline filters of 8-bit RGB rows (bpp 3), written from the spec. */
export function unfilter(raw: Uint8Array, w: number, h: number): { rgb: Uint8Array; filters: number[] } {
  const stride = 3 * w, rgb = new Uint8Array(stride * h), filters: number[] = [];
  for (let y = 0; y < h; y++) {
    const f = raw[y * (stride + 1)];
    filters.push(f);
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i];
      const a = i >= 3 ? rgb[y * stride + i - 3] : 0, b = y ? rgb[(y - 1) * stride + i] : 0, c = y && i >= 3 ? rgb[(y - 1) * stride + i - 3] : 0;
      let pr: number;
      switch (f) {
        case 0: pr = 0; break;
        case 1: pr = a; break;
        case 2: pr = b; break;
        case 3: pr = Math.floor((a + b) / 2); break;
        case 4: { const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c); pr = pa <= pb && pa <= pc ? a : pb <= pc ? b : c; break; }
        default: throw new Error(`filter type ${f}`);
      }
      rgb[y * stride + i] = (x + pr) & 255;
    }
  }
  return { rgb, filters };
}

export function chunks(png: Buffer): { type: string; data: Buffer; crc: number; crcOk: boolean }[] {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "signature");
  const out = [];
  for (let p = 8; p < png.length;) {
    const len = png.readUInt32BE(p), type = png.toString("latin1", p + 4, p + 8), data = png.subarray(p + 8, p + 8 + len), crc = png.readUInt32BE(p + 8 + len);
    out.push({ type, data, crc, crcOk: crc === crcBitwise(png.subarray(p + 4, p + 8 + len)) });
    p += 12 + len;
  }
  return out;
}


/** Width, height and RGB octets of an 8-bit truecolour PNG. */
export function readPng(png: Buffer): { width: number; height: number; rgb: Uint8Array } {
  const cs = chunks(png);
  for (const c of cs) assert.ok(c.crcOk, `${c.type} CRC`);
  const ihdr = cs.find((c) => c.type === "IHDR")!.data;
  const width = ihdr.readUInt32BE(0), height = ihdr.readUInt32BE(4);
  assert.deepEqual([...ihdr.subarray(8)], [8, 2, 0, 0, 0]);
  const raw = inflateSync(Buffer.concat(cs.filter((c) => c.type === "IDAT").map((c) => c.data)));
  return { width, height, rgb: unfilter(raw, width, height).rgb };
}
