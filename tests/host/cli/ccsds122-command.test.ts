// `tengri ccsds122` both ways, as a user types it: the flight encoder (lib.wasm) compresses a crop of
// real Landsat 8 data, and `-d` (the ground decoder, written independently of the encoder) restores
// it bit for bit; a damaged stream is refused with the field named and exit 3, never a stack trace.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../../bin/tengri.mjs", import.meta.url));
const L8 = fileURLToPath(new URL("../../../../shared/data/landsat8/landsat8_LC80460282016177_b234_crop_bsq_u16le_z3_y1024_x1024.raw", import.meta.url));
const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, NODE_NO_WARNINGS: "1" } });

/** A W × H crop (band 0, from row r0, column c0) of the 1024 × 1024 16-bit Landsat 8 cube. */
function crop(w: number, h: number, r0: number, c0: number): Buffer {
  const src = readFileSync(L8);
  const out = Buffer.alloc(w * h * 2);
  for (let y = 0; y < h; y++) src.copy(out, y * w * 2, ((r0 + y) * 1024 + c0) * 2, ((r0 + y) * 1024 + c0 + w) * 2);
  return out;
}

test("[122.0-B-2 §4] tengri ccsds122 encodes real data and -d restores it bit for bit (widths not multiples of 8, several segment sizes)", { skip: existsSync(L8) ? false : `${L8} absent (../shared/data)` }, () => {
  const dir = mkdtempSync(join(tmpdir(), "c122-"));
  try {
    for (const [w, h, s] of [[203, 77, 16], [64, 64, 256], [131, 40, 1024]] as const) {
      const img = crop(w, h, 300, 411);
      writeFileSync(join(dir, "in.raw"), img);
      const e = run(["ccsds122", "-w", String(w), "-b", "16", "-s", String(s), join(dir, "in.raw"), join(dir, "c.122")]);
      assert.equal(e.status, 0, e.stderr);
      const d = run(["ccsds122", "-d", join(dir, "c.122"), join(dir, "out.raw")]);
      assert.equal(d.status, 0, d.stderr);
      assert.match(d.stderr, new RegExp(`${w}×${h} 16-bit`));
      assert.ok(readFileSync(join(dir, "out.raw")).equals(img), `${w}×${h} S=${s}: decoded pixels differ`);
    }
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test("[tengri §cli] tengri ccsds122 -d: a damaged or truncated stream exits 3 naming what is wrong; a missing file exits 99", () => {
  const dir = mkdtempSync(join(tmpdir(), "c122-"));
  try {
    const w = 40, h = 24;
    const img = Buffer.alloc(w * h * 2);
    for (let i = 0; i < w * h; i++) img.writeUInt16LE((i * 37) & 0x0fff, 2 * i);
    writeFileSync(join(dir, "in.raw"), img);
    assert.equal(run(["ccsds122", "-w", String(w), "-b", "12", join(dir, "in.raw"), join(dir, "c.122")]).status, 0);
    const good = readFileSync(join(dir, "c.122"));
    writeFileSync(join(dir, "short.122"), good.subarray(0, 5));
    const r = run(["ccsds122", "-d", join(dir, "short.122"), join(dir, "o.raw")]);
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stderr, /^ccsds122: .* does not decode: .+ \(at octet \d+\)\n$/);
    assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/);
    const m = run(["ccsds122", "-d", join(dir, "nope.122"), join(dir, "o.raw")]);
    assert.equal(m.status, 99, m.stderr);
    const u = run(["ccsds122", "-d", join(dir, "c.122")]);
    assert.equal(u.status, 1, u.stderr);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
