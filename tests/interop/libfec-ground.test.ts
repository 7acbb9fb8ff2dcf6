// The ground Reed-Solomon decoder against Debian's libfec (libfec-dev): codeblocks encoded by
// libfec's encode_rs_ccsds (E=16) and its generic codec with the CCSDS parameters (E=8), at
// every interleaving depth, full length and shortened, randomized and ASM-prefixed by a small
// C helper compiled here with gcc.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { LinkDecoder, type LinkConfig } from "../../host/ground/link-decoder.ts";
import { RsCodec } from "../../host/ground/reed-solomon.ts";
import { crc16 } from "../../host/ground/crc16.ts";
import { rng } from "../host/ground/link-builder.ts";

const src = fileURLToPath(new URL("./c/ground-rs-encode.c", import.meta.url));
const haveFec = existsSync("/usr/include/fec.h");
const skip = haveFec ? false : "libfec-dev not installed (apt-get install libfec-dev)";
let dir = "", exe = "";

before(() => {
  if (!haveFec) return;
  dir = mkdtempSync(join(tmpdir(), "tengri-ground-fec-"));
  exe = join(dir, "ground-rs-encode");
  const r = spawnSync("gcc", ["-O2", "-o", exe, src, "-lfec"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
});

function libfecEncode(E: number, I: number, K: number, frames: Uint8Array[], cadu: boolean): Uint8Array {
  const input = Buffer.concat(frames);
  const r = spawnSync(exe, [String(E), String(I), String(K), String(frames.length), cadu ? "1" : "0"], { input, maxBuffer: 1 << 26 });
  assert.equal(r.status, 0, String(r.stderr));
  return new Uint8Array(r.stdout);
}

/** Random TM frames with a valid header (no packet starts) and FECF. */
function tmFrames(n: number, len: number, r: () => number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const f = new Uint8Array(len).map(() => (r() * 256) | 0);
    f[0] = 0x0a; f[1] = 0xb2; f[2] = i & 255; f[3] = i & 255; f[4] = 0x1f; f[5] = 0xff;
    const c = crc16(f, 0, len - 2);
    f[len - 2] = c >>> 8; f[len - 1] = c & 255;
    out.push(f);
  }
  return out;
}

const DEPTHS = [1, 2, 3, 4, 5, 8];

for (const E of [16, 8] as const) {
  test(`[131.0-B-5 §4.3.9] E=${E}: our encoder's parity equals libfec's (${E === 16 ? "encode_rs_ccsds" : "generic codec 0x187/120/11 + Taltab"}), full and shortened`, { skip }, () => {
    const r = rng(E), codec = new RsCodec(E), par = new Uint8Array(2 * E);
    for (const K of [255 - 2 * E, 100, 17]) {
      const frames = Array.from({ length: 8 }, () => new Uint8Array(K).map(() => (r() * 256) | 0));
      const cbs = libfecEncode(E, 1, K, frames, false);
      frames.forEach((f, n) => {
        codec.encode(f, par);
        assert.deepEqual(par, cbs.subarray(n * (K + 2 * E) + K, (n + 1) * (K + 2 * E)));
      });
    }
  });

  for (const I of DEPTHS) {
    for (const short of [0, 37]) {
      const K = 255 - 2 * E - short;
      const cfg: LinkConfig = { frameType: "tm", frameLen: I * K, rsE: E, rsDepth: I, randomizer: true, fecf: true, ocf: false };
      test(`[131.0-B-5 §4.3.1] E=${E} I=${I} K=${K}: libfec CADUs with 1..${E} symbol errors per codeword all corrected, ${E + 1}..${E + 4} flagged`, { skip }, () => {
        const r = rng(E * 100 + I * 10 + short);
        const nFrames = 12;
        const frames = tmFrames(nFrames, I * K, r);
        const clean = libfecEncode(E, I, K, frames, true);
        const caduLen = 4 + I * (K + 2 * E);
        for (const beyond of [false, true]) {
          const s = clean.slice();
          let injected = 0;
          for (let n = 0; n < nFrames; n++)
            for (let j = 0; j < I; j++) {
              const nerr = beyond ? E + 1 + Math.floor(r() * 4) : 1 + Math.floor(r() * E);
              const pos = new Set<number>();
              while (pos.size < nerr) pos.add(Math.floor(r() * (K + 2 * E)));
              for (const i of pos) s[n * caduLen + 4 + i * I + j] ^= 1 + Math.floor(r() * 255);
              injected += nerr;
            }
          const got: Uint8Array[] = [];
          const d = new LinkDecoder(cfg, { onFrame: (f) => got.push(f.frame.slice()) });
          d.push(s);
          d.end();
          const st = d.stats;
          if (!beyond) {
            assert.equal(st.rsCodewordsUncorrectable, 0);
            assert.equal(st.rsSymbolsCorrected, injected);
            assert.equal(st.rsCorrectionHistogram.reduce((a, n, i) => a + n * i, 0), injected);
            assert.equal(st.rsCorrectionHistogram[0], 0);
            assert.deepEqual(got, frames);
          } else {
            // Never a wrong frame passed as good: anything delivered is exactly what was sent.
            for (const f of got) assert.ok(frames.some((x) => Buffer.compare(x, f) === 0), "a miscorrected frame was passed as good");
            assert.ok(st.rsCodewordsUncorrectable >= nFrames * I - 2, `uncorrectable ${st.rsCodewordsUncorrectable}`);
            assert.equal(got.length + st.framesDropped, nFrames);
          }
        }
      });
    }
  }
}
