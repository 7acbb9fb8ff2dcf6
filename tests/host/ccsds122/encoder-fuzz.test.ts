// The CCSDS 122 flight encoder (build/lib.wasm) under hostile parameter blocks and pixels: a
// status naming the word or a stream, never a trap. Needs no reference tool (moved out of
// tests/reference/ccsds122-encoder.test.ts so that it runs in `npm test`).
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadFlightLib } from "../../../host/obc/lib.ts";
import { STATUS } from "../../../host/contract/contract.gen.ts";

// Flight rules: hostile parameters are refused with a status naming the word; any pixel values
// give a status or a stream, never a trap (the loader turns a trap or abort into a throw).
test("[tengri §fuzz] ccsds122: 400 random parameter blocks and images: a status or a stream, never a trap", () => {
  const fl = loadFlightLib();
  const e = fl.exports;
  let s = 0x9e3779b9;
  const rnd = (n: number) => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s % n; };
  const count = e.ccsds122ParamCount() as number;
  const prm = fl.alloc(count * 4);
  let refused = 0, ran = 0, badSample = 0;
  for (let it = 0; it < 400; it++) {
    // A valid block (random within the ranges), then, one time in two, one or two words spoiled.
    const blk = new Int32Array(count);
    const bits = [1, 8, 12, 16][rnd(4)], wb = [1, 2, 4, 8][rnd(4)];
    blk[0] = [17, 23, 64, 100, 300][rnd(5)]; blk[1] = bits; blk[2] = rnd(2); blk[3] = rnd(2); blk[4] = [16, 17, 100, 256][rnd(4)];
    blk[5] = rnd(3) === 0 ? 0 : (20 + rnd(2000)) * wb; blk[6] = rnd(8) === 0 ? 1 : 0; blk[7] = rnd(3) === 0 ? rnd(32) : 0; blk[8] = rnd(4);
    blk[9] = blk[5] !== 0 && rnd(3) === 0 ? 1 : 0; blk[10] = rnd(2); blk[11] = rnd(2); blk[12] = wb; blk[13] = rnd(4) === 0 ? 1 : 0;
    blk[14] = blk[13] ? rnd(1 << 20) : 0; blk[15] = rnd(2); blk[16] = rnd(2); blk[17] = bits <= 8 ? [1, 2, 4][rnd(3)] : [2, 4][rnd(2)];
    if (blk[5] > (1 << 27) - 1) blk[5] = 0;
    for (let k = rnd(2) ? 1 + rnd(2) : 0; k > 0; k--) {
      const i = rnd(count);
      blk[i] = [-1, 0, 1 << 20, 70000, 5, 33, (rnd(0x7fffffff) - 0x3fffffff) | 0][rnd(7)];
    }
    new Int32Array(fl.memory.buffer, prm, count).set(blk);
    const len = e.ccsds122StateLen(prm) as number;
    if (len < 0) {
      const bad = e.ccsds122LastBadParam() as number;
      assert.ok(bad >= 0 && bad < count, `a refusal names a parameter word, got ${bad}`);
      assert.equal(e.ccsds122Init(prm, 64, prm), STATUS.E_C122_BAD_PARAM);
      refused++; continue;
    }
    if (len > 32 << 20) continue;
    const st = fl.alloc(len), sb = blk[17], width = blk[0];
    assert.equal(e.ccsds122Init(st, len, prm), 0);
    const line = fl.alloc(width * sb);
    const lines = 17 + rnd(100);
    for (let y = 0; y < lines; y++) {
      const u8 = fl.u8();
      for (let i = 0; i < width * sb; i++) u8[line + i] = rnd(4) === 0 ? rnd(256) : (y * 7 + i) & (rnd(2) ? 0x0f : 0x00);
      const r = e.ccsds122PushLine(line) as number;
      if (r === STATUS.E_C122_BAD_SAMPLE) { badSample++; y--; const v = fl.u8(); for (let i = 0; i < width * sb; i++) v[line + i] = 0; assert.ok(e.ccsds122PushLine(line) >= 0); y++; }
      else assert.ok(r >= 0, `pushLine status ${r}`);
      e.ccsds122Drained();
    }
    const r = e.ccsds122End() as number;
    assert.ok(r > 0, `end status ${r}`);
    e.ccsds122Drained();
    ran++;
  }
  assert.ok(refused > 50 && ran > 20, `refused ${refused}, ran ${ran}`);
  assert.ok(badSample > 0, "some lines had out-of-range pixels");
});
