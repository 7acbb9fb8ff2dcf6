// Cross-check of the flight Reed-Solomon encoder (build/lib.wasm) against Debian's libfec,
// through our own C helper tests/interop/c/libfec-rs.c compiled with gcc at test time.
// Conformance level: bit-exact (check symbols equal libfec's), and decode-exact (libfec's
// decoder accepts our codeblocks with 0 corrections and repairs E injected errors).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadFlightLib, type FlightLib } from "../../host/obc/lib.ts";

const HELPER_SRC = fileURLToPath(new URL("./c/libfec-rs.c", import.meta.url));
const DEPTHS = [1, 2, 3, 4, 5, 8] as const;
const FRAMES_PER_CASE = 12;

let tmp = "";
let helper = "";
let skipReason: string | false = false;
let lib: FlightLib;
let framePtr = 0;
let parityPtr = 0;

before(() => {
  lib = loadFlightLib();
  framePtr = lib.alloc(8 * 255);
  parityPtr = lib.alloc(8 * 32);
  if (!existsSync("/usr/include/fec.h")) { skipReason = "libfec-dev not installed (apt-get install libfec-dev); CI installs it"; return; }
  tmp = mkdtempSync(join(tmpdir(), "tengri-libfec-"));
  helper = join(tmp, "libfec-rs");
  const cc = spawnSync("gcc", ["-O2", "-o", helper, HELPER_SRC, "-lfec"], { encoding: "utf8" });
  if (cc.status !== 0) skipReason = `cannot build the libfec helper: ${cc.error?.message ?? cc.stderr}`;
});
after(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

/** Deterministic xorshift32 bytes (seeded per case, no Math.random). */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
}
function randomFrames(seed: number, frameLen: number, n: number): Buffer {
  const r = rng(seed);
  const b = Buffer.alloc(frameLen * n);
  for (let i = 0; i < b.length; i++) b[i] = r() & 0xff;
  return b;
}

function oursParity(frame: Buffer, depth: number, e: number): Buffer {
  lib.u8().set(frame, framePtr);
  const st = lib.exports.syncRsEncode(framePtr, frame.length, depth, e, parityPtr);
  assert.equal(st, 0, `syncRsEncode status ${st}`);
  return Buffer.from(lib.u8().subarray(parityPtr, parityPtr + 2 * e * depth));
}

function runHelper(mode: "enc" | "dec", e: number, depth: number, frameLen: number, n: number, input: Buffer): Buffer {
  const r = spawnSync(helper, [mode, String(e), String(depth), String(frameLen), String(n)], { input, maxBuffer: 1 << 26 });
  assert.equal(r.status, 0, `helper failed: ${r.stderr?.toString()}`);
  return r.stdout as Buffer;
}

/** Frame lengths per depth: full codewords and shortened ones (virtual fill). */
function lengths(depth: number, e: number): number[] {
  const k = 255 - 2 * e;
  return [k * depth, (k - 1) * depth, 100 * depth, depth];
}

function checkAgainstLibfecEncoder(t: { skip(msg: string): void }, e: 16 | 8): void {
  if (skipReason) { t.skip(skipReason); return; }
  for (const depth of DEPTHS) {
    for (const frameLen of lengths(depth, e)) {
      const frames = randomFrames(0x5eed + e * 131 + depth * 7 + frameLen, frameLen, FRAMES_PER_CASE);
      const theirs = runHelper("enc", e, depth, frameLen, FRAMES_PER_CASE, frames);
      const pl = 2 * e * depth;
      for (let f = 0; f < FRAMES_PER_CASE; f++) {
        const ours = oursParity(frames.subarray(f * frameLen, (f + 1) * frameLen), depth, e);
        assert.deepEqual(ours, theirs.subarray(f * pl, (f + 1) * pl), `I=${depth}, frame ${f}, length ${frameLen}`);
      }
    }
  }
}

test("[131.0-B-5 §4.3.9] RS(255,223): check symbols equal libfec encode_rs_ccsds (dual basis) at I = 1, 2, 3, 4, 5, 8, full and shortened frames", (t) => {
  checkAgainstLibfecEncoder(t, 16);
});
test("[131.0-B-5 §4.3.9] RS(255,239): check symbols equal libfec init_rs_char(8, 0x187, 120, 11, 16, pad) with Tal1tab/Taltab at I = 1, 2, 3, 4, 5, 8, full and shortened frames", (t) => {
  checkAgainstLibfecEncoder(t, 8);
});

function checkLibfecDecodesOurs(t: { skip(msg: string): void }, e: 16 | 8): void {
  if (skipReason) { t.skip(skipReason); return; }
  for (const depth of DEPTHS) {
    for (const frameLen of [(255 - 2 * e) * depth, 60 * depth]) {
      const n = 6;
      const k = frameLen / depth;
      const frames = randomFrames(0xdec0de + depth * 17 + frameLen + e, frameLen, n);
      const blockLen = frameLen + 2 * e * depth;
      const clean = Buffer.alloc(blockLen * n);
      for (let f = 0; f < n; f++) {
        const fr = frames.subarray(f * frameLen, (f + 1) * frameLen);
        fr.copy(clean, f * blockLen);
        oursParity(fr, depth, e).copy(clean, f * blockLen + frameLen);
      }
      // corrupt exactly E symbols of every codeword at distinct random positions
      const noisy = Buffer.from(clean);
      const r = rng(0xbad + depth * 3 + frameLen);
      for (let f = 0; f < n; f++) {
        for (let c = 0; c < depth; c++) {
          const used = new Set<number>();
          while (used.size < e) used.add(r() % (k + 2 * e));
          for (const sym of used) {
            const off = sym < k ? sym * depth + c : frameLen + (sym - k) * depth + c;
            noisy[f * blockLen + off] ^= 1 + (r() % 255);
          }
        }
      }
      for (const [input, expected] of [[clean, 0], [noisy, e]] as const) {
        const out = runHelper("dec", e, depth, frameLen, n, input);
        const stride = blockLen + 4 * depth;
        for (let f = 0; f < n; f++) {
          const block = out.subarray(f * stride, f * stride + blockLen);
          assert.deepEqual(block, clean.subarray(f * blockLen, (f + 1) * blockLen), `I=${depth} len=${frameLen} frame ${f}`);
          for (let c = 0; c < depth; c++) {
            assert.equal(out.readInt32LE(f * stride + blockLen + 4 * c), expected, `I=${depth} frame ${f} codeword ${c}`);
          }
        }
      }
    }
  }
}

test("[131.0-B-5 §4.3.5] RS(255,223): libfec decode_rs_ccsds accepts our interleaved codeblocks with 0 corrections and repairs 16 injected errors per codeword", (t) => {
  checkLibfecDecodesOurs(t, 16);
});
test("[131.0-B-5 §4.3.5] RS(255,239): libfec's generic decoder accepts our interleaved codeblocks with 0 corrections and repairs 8 injected errors per codeword", (t) => {
  checkLibfecDecodesOurs(t, 8);
});
