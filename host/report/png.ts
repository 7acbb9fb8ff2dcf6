// A minimal PNG encoder (ISO/IEC 15948, PNG 1.2): 8-bit truecolour (colour type 2), no
// interlace, filter method 0 with an adaptive filter per scanline (the one of None, Sub, Up,
// Average, Paeth with the smallest sum of absolute differences, PNG §12.8), IDAT deflated by node:zlib.
import { deflateSync } from "node:zlib";

export class PngError extends Error {
  constructor(readonly width: number, readonly height: number, readonly dataLen: number, message: string) {
    super(message);
    this.name = "PngError";
  }
}

const CRC_TABLE = (() => {
  // CRC-32 of ISO 3309 / ITU-T V.42, reflected polynomial 0xEDB88320 (PNG §5.5).
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (preset and final XOR 0xFFFFFFFF) over bytes, optionally continuing a previous CRC. */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "latin1");
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length); // CRC over type and data
  return out;
}

/** PNG §9.4: the neighbour (left a, up b, upper-left c) nearest to a + b − c, ties in the order a, b, c. */
function paeth(a: number, b: number, c: number): number {
  const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** rgb: width × height × 3 octets, rows top to bottom. */
export function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > 0x7fffffff || height > 0x7fffffff)
    throw new PngError(width, height, rgb.length, `PNG size ${width}×${height} is not valid`);
  if (rgb.length !== width * height * 3) throw new PngError(width, height, rgb.length, `PNG ${width}×${height} needs ${width * height * 3} RGB octets, got ${rgb.length}`);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: truecolour
  ihdr[10] = 0; // compression method: deflate
  ihdr[11] = 0; // filter method 0
  ihdr[12] = 0; // no interlace
  const stride = width * 3;
  const raw = Buffer.alloc((stride + 1) * height);
  const cand = Array.from({ length: 5 }, () => new Uint8Array(stride));
  const zero = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const cur = rgb.subarray(y * stride, (y + 1) * stride), up = y ? rgb.subarray((y - 1) * stride, y * stride) : zero;
    let best = 0, bestCost = Infinity;
    for (let f = 0; f < 5; f++) {
      const out = cand[f];
      let cost = 0;
      for (let i = 0; i < stride; i++) {
        const a = i >= 3 ? cur[i - 3] : 0, b = up[i], c = i >= 3 ? up[i - 3] : 0;
        let pred = 0;
        if (f === 1) pred = a;
        else if (f === 2) pred = b;
        else if (f === 3) pred = (a + b) >>> 1;
        else if (f === 4) pred = paeth(a, b, c);
        const v = (cur[i] - pred) & 0xff;
        out[i] = v;
        cost += v < 128 ? v : 256 - v;
      }
      if (cost < bestCost) { bestCost = cost; best = f; }
    }
    raw[y * (stride + 1)] = best; // filter type (PNG §9.2)
    raw.set(cand[best], y * (stride + 1) + 1);
  }
  return Buffer.concat([SIGNATURE, chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw, { level: 6 })), chunk("IEND", new Uint8Array(0))]);
}
