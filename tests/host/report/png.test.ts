// The PNG encoder checked by an independent reading of the file: chunk walk, CRC-32 against
// the check value of the CRC-32 catalogue and a bitwise CRC, IHDR fields, inflate with
// node:zlib, scanline unfiltering written from the PNG spec, every pixel.
import { test } from "node:test";
import assert from "node:assert/strict";
import { inflateSync } from "node:zlib";
import { encodePng, crc32, PngError } from "../../../host/report/png.ts";
import { crcBitwise, unfilter, chunks } from "./png-reader.ts";

test("CRC-32 check value: crc32('123456789') = 0xCBF43926", () => {
  assert.equal(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
  assert.equal(crc32(new Uint8Array(0)), 0);
  const r = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7919 + 13) & 255);
  assert.equal(crc32(r), crcBitwise(r));
  assert.equal(crc32(r.subarray(400), crc32(r.subarray(0, 400))), crc32(r), "continued CRC");
});

test("PNG: IHDR, chunk CRCs, IDAT inflates and unfilters to every pixel; the adaptive filters are used", () => {
  const w = 37, h = 11;
  // rows of different character so that several filter types win: noise, ramps, flat, repeats
  const rgb = new Uint8Array(w * h * 3);
  let seed = 12345;
  for (let y = 0; y < h; y++) for (let i = 0; i < 3 * w; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    rgb[y * 3 * w + i] = y % 4 === 0 ? seed >>> 24 : y % 4 === 1 ? (i * 5) & 255 : y % 4 === 2 ? 77 : (i * 5 + y) & 255;
  }
  const png = encodePng(w, h, rgb);
  const cs = chunks(png);
  assert.deepEqual(cs.map((c) => c.type), ["IHDR", "IDAT", "IEND"]);
  for (const c of cs) assert.ok(c.crcOk, `${c.type} CRC`);
  const ihdr = cs[0].data;
  assert.equal(ihdr.length, 13);
  assert.equal(ihdr.readUInt32BE(0), w);
  assert.equal(ihdr.readUInt32BE(4), h);
  assert.deepEqual([...ihdr.subarray(8)], [8, 2, 0, 0, 0], "bit depth 8, truecolour, deflate, filter method 0, no interlace");
  assert.equal(cs[2].data.length, 0);
  const raw = inflateSync(cs[1].data);
  assert.equal(raw.length, h * (1 + 3 * w));
  const { rgb: back, filters } = unfilter(raw, w, h);
  assert.deepEqual(back, rgb);
  assert.ok(new Set(filters).size >= 3, `filters used: ${filters}`);
});

test("PNG: the adaptive filters round-trip on a gradient with noise", () => {
  const w = 64, h = 64, rgb = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < 3; k++) rgb[(y * w + x) * 3 + k] = (x * 3 + y * 2 + k * 40 + ((x * 7919 + y * 104729 + k) % 5)) & 255;
  const { rgb: back } = unfilter(inflateSync(chunks(encodePng(w, h, rgb))[1].data), w, h);
  assert.deepEqual(back, rgb);
});

test("PNG: a 1×1 image and refusals of bad sizes", () => {
  const png = encodePng(1, 1, Uint8Array.of(255, 0, 255));
  assert.deepEqual([...unfilter(inflateSync(chunks(png)[1].data), 1, 1).rgb], [255, 0, 255]);
  assert.throws(() => encodePng(0, 1, new Uint8Array(0)), PngError);
  assert.throws(() => encodePng(2, 2, new Uint8Array(11)), (e: unknown) => e instanceof PngError && e.dataLen === 11);
  assert.throws(() => encodePng(1.5, 2, new Uint8Array(9)), PngError);
});
