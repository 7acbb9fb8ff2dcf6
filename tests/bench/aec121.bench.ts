// CCSDS 121.0-B-3: flight encoder (build/lib.wasm under Node's V8) and ground decoder (TypeScript)
// against Debian's libaec (aec_buffer_encode / aec_buffer_decode, gcc -O2 native, in memory),
// on 12-bit image data: the Landsat 8 crop (band 2, 1024 x 1024) scaled to 12 bits, or a
// synthetic 12-bit scene when ../shared/data is missing. The flight encoder codes line by line
// (1024 samples per call), as the pipeline does. Best of several runs, alternating ours and
// the reference so both see the same machine load.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchFigure } from "./run.ts";
import { loadFlightLib } from "../../host/obc/lib.ts";
import { aec121Decode } from "../../host/ground/aec121-decoder.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const shared = process.env.TENGRI_SHARED ?? join(root, "../shared");
const LANDSAT = join(shared, "data/landsat8/landsat8_LC80460282016177_b234_crop_bsq_u16le_z3_y1024_x1024.raw");
const W = 1024;
const H = 1024;

function testImage(): { samples: Uint16Array; what: string } {
  const s = new Uint16Array(W * H);
  if (existsSync(LANDSAT)) {
    const raw = readFileSync(LANDSAT);
    const v = new Uint16Array(raw.buffer, raw.byteOffset, W * H);
    for (let i = 0; i < s.length; i++) s[i] = v[i] >> 4;
    return { samples: s, what: "Landsat 8 band 2 crop >> 4" };
  }
  let seed = 1;
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    s[y * W + x] = (2048 + 900 * Math.sin(x / 37) * Math.cos(y / 53) + ((seed >>> 16) & 31)) & 4095;
  }
  return { samples: s, what: "synthetic 12-bit scene" };
}

export default async function (): Promise<BenchFigure[]> {
  const figs: BenchFigure[] = [];
  const { samples, what } = testImage();
  const N = samples.length;
  const dir = mkdtempSync(join(tmpdir(), "tengri-aec-bench-"));
  try {
    const file = join(dir, "img.u16");
    writeFileSync(file, new Uint8Array(samples.buffer));
    let refOk = true;
    try {
      execFileSync("gcc", ["-O2", "-o", join(dir, "aec-bench"), join(root, "tests/bench/c/aec-bench.c"), "-laec"], { stdio: "pipe" });
    } catch {
      refOk = false;
    }
    const lib = loadFlightLib();
    const e = lib.exports;
    const st = lib.alloc(e.aec121StateLen());
    const inPtr = lib.alloc(N * 2);
    // the decoders' output buffers are reused from run to run, ours as libaec's (aec-bench.c)
    const decOut = new Int32Array(N + 64);
    lib.u8().set(new Uint8Array(samples.buffer), inPtr);
    for (const [J, R] of [[16, 128], [64, 4096]]) {
      e.aec121Init(st, 12, J, R, 8);
      const cap = e.aec121MaxOutLen(st, N);
      const outPtr = lib.alloc(cap);
      let oursEnc = Infinity, oursDec = Infinity, refEnc = Infinity, refDec = Infinity;
      let ourLen = 0, refLen = 0;
      for (let round = 0; round < 4; round++) {
        for (let r = 0; r < 8; r++) {
          const t0 = performance.now();
          e.aec121StartUnit(st);
          let o = outPtr;
          for (let l = 0; l < H; l++) o += e.aec121Encode16(st, inPtr + l * W * 2, W, o, cap);
          o += e.aec121EndUnit(st, o, cap);
          const t = (performance.now() - t0) / 1e3;
          ourLen = o - outPtr;
          if (t < oursEnc) oursEnc = t;
        }
        const enc = lib.u8().slice(outPtr, outPtr + ourLen);
        for (let r = 0; r < 8; r++) {
          const t0 = performance.now();
          const y = aec121Decode(enc, { bitsPerSample: 12, blockSize: J, rsi: R }, { expectedSamples: N, output: decOut });
          const t = (performance.now() - t0) / 1e3;
          if (t < oursDec) oursDec = t;
          if (r === 0 && round === 0) for (let i = 0; i < N; i++) if (y[i] !== samples[i]) throw new Error(`aec121 bench: ground decoder mismatch at ${i}`);
        }
        if (refOk) {
          const [len, te, td] = execFileSync(join(dir, "aec-bench"), [file, "12", String(J), String(R), "5"], { encoding: "utf8" }).trim().split(/\s+/).map(Number);
          refLen = len;
          refEnc = Math.min(refEnc, te);
          refDec = Math.min(refDec, td);
        }
      }
      const ms = (t: number) => N / t / 1e6;
      const ref = "libaec 1.0.6 aec_buffer_encode, gcc -O2 native";
      figs.push({
        name: `CCSDS 121 encode 12-bit, J=${J}, RSI=${R}`, ours: ms(oursEnc), reference: refOk ? ms(refEnc) : null, unit: "Msample/s",
        referenceName: ref, target: "ratio >= 0.6 (goal >= 1.0)",
        notes: `${what}; flight lib.wasm line by line (${W} samples per call); ${(ourLen * 8 / N).toFixed(3)} bit/sample${refOk ? `, libaec ${(refLen * 8 / N).toFixed(3)}` : ""}`,
      });
      figs.push({
        name: `CCSDS 121 ground decode 12-bit, J=${J}, RSI=${R}`, ours: ms(oursDec), reference: refOk ? ms(refDec) : null, unit: "Msample/s",
        referenceName: "libaec 1.0.6 aec_buffer_decode, gcc -O2 native", target: "ratio >= 1.0",
        notes: `${what}; host/ground/aec121-decoder.ts, whole stream, into a reused output buffer (as libaec into its own)`,
      });
      if (J === 16) {
        figs.push({
          name: "CCSDS 121 real-time margin, J=16, RSI=128 (imager 14 Msample/s)", ours: ms(oursEnc) / 14, reference: null, unit: "x",
          referenceName: "default profile imager rate", target: ">= 3x on one core",
        });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figs;
}
