// The CCSDS 122 bench helper of lib.wasm (ccsds122BenchSynthetic, what iwasm runs in
// `npm run bench -- ccsds122`) against the encoder's own line API driven from here: the same
// synthetic 12-bit image (regenerated here with the helper's xorshift and formula), the same
// parameters, the same coded length; and the stream driven from here decodes (ground decoder,
// written independently) to the image bit for bit. A bench that coded something else, or a
// helper that drifted from the encoder's API, fails here.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadFlightLib } from "../../../host/obc/lib.ts";
import { decodeCcsds122 } from "../../../host/ground/ccsds122/decoder.ts";

/** The helper's image: gradient + texture + xorshift noise, 12 bits, row-major u16 LE. */
function synthetic(w: number, h: number): Uint16Array {
  const img = new Uint16Array(w * h);
  let s = 12345 >>> 0;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    s = (s ^ (s << 13)) >>> 0; s = (s ^ (s >>> 17)) >>> 0; s = (s ^ (s << 5)) >>> 0;
    const v = 1024 + ((x * 3 + y * 2) & 1023) + (((x >> 3) ^ (y >> 3)) & 15) * 40 + (s & 63);
    img[y * w + x] = v & 4095;
  }
  return img;
}

test("[122.0-B-2 §4] the bench helper ccsds122BenchSynthetic codes exactly what the line API codes for its image, and that stream decodes to the image bit for bit", () => {
  for (const [w, h] of [[17, 17], [61, 45], [130, 70]] as const) {
    const bench = loadFlightLib().exports.ccsds122BenchSynthetic(w, h, 1) as number;
    assert.ok(bench > 0, `bench helper status ${bench}`);
    const fl = loadFlightLib();
    const e = fl.exports;
    const count = e.ccsds122ParamCount() as number;
    const prm = fl.alloc(count * 4);
    const words = new Int32Array(count);
    // The helper's parameter block (assembly/lib/ccsds122.ts): width, 12 bits, word 3, S = 256,
    // word 8 = 3, words 10-12 = 1, 2-octet samples.
    words[0] = w; words[1] = 12; words[3] = 1; words[4] = 256; words[8] = 3; words[10] = 1; words[11] = 1; words[12] = 1; words[17] = 2;
    new Int32Array(fl.memory.buffer, prm, count).set(words);
    const len = e.ccsds122StateLen(prm) as number;
    assert.ok(len > 0, `state length ${len}`);
    const st = fl.alloc(len);
    assert.equal(e.ccsds122Init(st, len, prm), 0);
    const img = synthetic(w, h);
    const line = fl.alloc(w * 2);
    const out: number[] = [];
    const take = () => { const p = e.ccsds122OutPtr() >>> 0, n = e.ccsds122OutLen() as number; out.push(...fl.u8().subarray(p, p + n)); e.ccsds122Drained(); };
    for (let y = 0; y < h; y++) {
      new Uint16Array(fl.memory.buffer, line, w).set(img.subarray(y * w, (y + 1) * w));
      assert.ok((e.ccsds122PushLine(line) as number) >= 0);
      take();
    }
    assert.ok((e.ccsds122End() as number) > 0);
    take();
    assert.equal(out.length, bench, `${w}×${h}: the bench helper's coded length`);
    const r = decodeCcsds122(Uint8Array.from(out));
    assert.ok(r.ok, r.ok ? "" : r.error);
    if (r.ok) {
      assert.equal(r.width, w); assert.equal(r.height, h);
      assert.deepEqual(Array.from(r.pixels), Array.from(img), `${w}×${h}: decoded pixels`);
    }
  }
  // Out-of-range sizes are refused with -2, nothing coded.
  assert.equal(loadFlightLib().exports.ccsds122BenchSynthetic(16, 40, 1), -2);
  assert.equal(loadFlightLib().exports.ccsds122BenchSynthetic(40, 70000, 1), -2);
  assert.equal(loadFlightLib().exports.ccsds122BenchSynthetic(40, 20, 0), 0);
});
