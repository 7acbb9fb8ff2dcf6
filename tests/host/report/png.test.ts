// The PNG encoder checked by an independent reading of the file: chunk walk, CRC-32 against
// the check value of the CRC-32 catalogue, IHDR fields, inflate with node:zlib, every pixel.
import { test } from "node:test";
import assert from "node:assert/strict";
import { inflateSync } from "node:zlib";
import { encodePng, crc32, PngError } from "../../../host/report/png.ts";

/** Bitwise CRC-32 (reflected 0xEDB88320), written without a table, to check the encoder's. */
function crcBitwise(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const x of b) { c ^= x; for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1; }
  return (c ^ 0xffffffff) >>> 0;
}

function chunks(png: Buffer): { type: string; data: Buffer; crc: number; crcOk: boolean }[] {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "signature");
  const out = [];
  for (let p = 8; p < png.length;) {
    const len = png.readUInt32BE(p), type = png.toString("latin1", p + 4, p + 8), data = png.subarray(p + 8, p + 8 + len), crc = png.readUInt32BE(p + 8 + len);
    out.push({ type, data, crc, crcOk: crc === crcBitwise(png.subarray(p + 4, p + 8 + len)) });
    p += 12 + len;
  }
  return out;
}

test("CRC-32 check value: crc32('123456789') = 0xCBF43926", () => {
  assert.equal(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
  assert.equal(crc32(new Uint8Array(0)), 0);
  const r = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7919 + 13) & 255);
  assert.equal(crc32(r), crcBitwise(r));
  assert.equal(crc32(r.subarray(400), crc32(r.subarray(0, 400))), crc32(r), "continued CRC");
});

test("PNG: IHDR, chunk CRCs, IDAT inflates to filter-0 scanlines with every pixel", () => {
  const w = 37, h = 11;
  const rgb = Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 31 + (i >> 5)) & 255);
  const png = encodePng(w, h, rgb);
  const cs = chunks(png);
  assert.deepEqual(cs.map((c) => c.type), ["IHDR", "IDAT", "IEND"]);
  for (const c of cs) assert.ok(c.crcOk, `${c.type} CRC`);
  const ihdr = cs[0].data;
  assert.equal(ihdr.length, 13);
  assert.equal(ihdr.readUInt32BE(0), w);
  assert.equal(ihdr.readUInt32BE(4), h);
  assert.deepEqual([...ihdr.subarray(8)], [8, 2, 0, 0, 0], "bit depth 8, truecolour, deflate, filter 0, no interlace");
  assert.equal(cs[2].data.length, 0);
  const raw = inflateSync(cs[1].data);
  assert.equal(raw.length, h * (1 + 3 * w));
  for (let y = 0; y < h; y++) {
    assert.equal(raw[y * (1 + 3 * w)], 0, "filter type None");
    assert.deepEqual(raw.subarray(y * (1 + 3 * w) + 1, (y + 1) * (1 + 3 * w)), Buffer.from(rgb.subarray(y * 3 * w, (y + 1) * 3 * w)));
  }
});

test("PNG: a 1×1 image and refusals of bad sizes", () => {
  const png = encodePng(1, 1, Uint8Array.of(255, 0, 255));
  assert.deepEqual([...inflateSync(chunks(png)[1].data)], [0, 255, 0, 255]);
  assert.throws(() => encodePng(0, 1, new Uint8Array(0)), PngError);
  assert.throws(() => encodePng(2, 2, new Uint8Array(11)), (e: unknown) => e instanceof PngError && e.dataLen === 11);
  assert.throws(() => encodePng(1.5, 2, new Uint8Array(9)), PngError);
});
