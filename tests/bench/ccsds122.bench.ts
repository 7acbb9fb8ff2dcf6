// CCSDS 122.0-B-2 flight encoder speed (build/lib.wasm; assembly/compress/ccsds122/), lossless
// (Integer DWT, all bit planes, S = 256), fed line by line as on board:
// - in V8 (node) on a 1024 × 512 crop of Landsat 8 band 2 (16-bit DN), against the reference
//   software's encoder (`bpe -e`, BPE.MOD 26e301d, native C, its own "Time taken" figure) on
//   the same file in the same run; the two streams must be equal (checked, noted);
// - in V8 and under WAMR's interpreter (../shared/runtimes/iwasm, TENGRI_IWASM) on the same
//   synthetic 12-bit 1024 × 512 image generated inside the module (ccsds122BenchSynthetic), the
//   generation's own time measured apart and taken off.
// Times are CPU time of this process (V8) or wall time of the iwasm process (best of N), on a
// shared machine: figures, not pass/fail. Target (issue 13): ≥ 40 Msample/s lossless under V8.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadFlightLib } from "../../host/obc/lib.ts";
import { FlightCcsds122Encoder, ccsds122Defaults, type Ccsds122Params } from "../../host/commands/ccsds122.ts";
import type { BenchFigure } from "./run.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const shared = process.env.TENGRI_SHARED ?? join(ROOT, "../shared");
const LANDSAT = join(shared, "data/landsat8/landsat8_LC80460282016177_b234_crop_bsq_u16le_z3_y1024_x1024.raw");
const BPE = process.env.TENGRI_BPE ?? join(ROOT, "../ext/BPE.MOD/bin/bpe");
const IWASM = process.env.TENGRI_IWASM ?? join(ROOT, "../shared/runtimes/iwasm");
const LIB = join(ROOT, "build/lib.wasm");
const W = 1024, H = 512, REPS = Number(process.env.TENGRI_BENCH_REPS ?? 3);

function cpuSeconds(f: () => void): number {
  const c0 = process.cpuUsage();
  f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
}

function flight(img: Uint8Array, p: Ccsds122Params): { msps: number; stream: Uint8Array } {
  let best = 0, stream: Uint8Array = new Uint8Array(0);
  for (let r = 0; r < REPS; r++) {
    const lib = loadFlightLib(LIB);   // a fresh instance: the bump allocator never frees
    const enc = new FlightCcsds122Encoder(lib, p, 2);
    const t = cpuSeconds(() => {
      for (let y = 0; y < H; y++) enc.pushLine(img.subarray(y * W * 2, (y + 1) * W * 2));
      stream = enc.end();
    });
    best = Math.max(best, (W * H) / t / 1e6);
  }
  return { msps: best, stream };
}

export default async function (): Promise<BenchFigure[]> {
  const figs: BenchFigure[] = [];
  if (!existsSync(LANDSAT)) return [{ name: "ccsds122 lossless", ours: 0, reference: null, unit: "Msample/s", referenceName: `data missing: ${LANDSAT}` }];
  const band = new Uint16Array(readFileSync(LANDSAT).buffer.slice(0, 1024 * 1024 * 2));
  const img = new Uint8Array(band.buffer.slice(0, W * H * 2));
  const ll = flight(img, { ...ccsds122Defaults(W, 16), s: 256 });
  // The reference encoder on the same file.
  let ref: number | null = null, refNote = "";
  if (existsSync(BPE)) {
    const dir = mkdtempSync(join(tmpdir(), "tengri-c122-bench-"));
    try {
      writeFileSync(join(dir, "in.raw"), img);
      let bestT = Infinity;
      for (let r = 0; r < REPS; r++) {
        const run = spawnSync(BPE, ["-e", join(dir, "in.raw"), "-o", join(dir, "out.c122"), "-w", String(W), "-h", String(H), "-b", "16", "-f", "0", "-s", "256"], { encoding: "utf8" });
        const m = /Time taken:\s*([\d.]+)s/.exec(run.stdout ?? "");
        if (run.status === 0 && m) bestT = Math.min(bestT, Math.max(Number(m[1]), 0.005));
      }
      if (bestT < Infinity) {
        ref = (W * H) / bestT / 1e6;
        const theirs = readFileSync(join(dir, "out.c122"));
        // equal but for the SegByteLimit field (bytes 3-6 of the first segment: bpe writes 0 for "no limit")
        const a = Buffer.from(ll.stream), b = Buffer.from(theirs);
        for (let i = 3; i < 7; i++) a[i] = b[i];
        refNote = Buffer.compare(a, b) === 0 ? "streams identical (but for SegByteLimit)" : "streams DIFFER";
      }
    } finally { rmSync(dir, { recursive: true, force: true }); }
  } else refNote = `reference software absent (${BPE})`;
  figs.push({ name: "ccsds122 flight encode, lossless, Landsat 8 1024×512 16-bit", ours: ll.msps, reference: ref, unit: "Msample/s",
    referenceName: "bpe -e (BPE.MOD 26e301d), native C, its own CPU time", target: "≥ 40 Msample/s (V8)",
    notes: `${((8 * ll.stream.length) / (W * H)).toFixed(3)} bit/pixel; ${refNote}` });
  const fl = flight(img, { ...ccsds122Defaults(W, 16), s: 256, dwt: "float" });
  figs.push({ name: "ccsds122 flight encode, Float DWT all planes, same image", ours: fl.msps, reference: ll.msps, unit: "Msample/s",
    referenceName: "the lossless figure above", notes: `${((8 * fl.stream.length) / (W * H)).toFixed(3)} bit/pixel` });
  const rl = flight(img, { ...ccsds122Defaults(W, 16), s: 256, segByteLimit: 256 * 64 * 2 / 8 });
  figs.push({ name: "ccsds122 flight encode, 2 bit/pixel (SegByteLimit), same image", ours: rl.msps, reference: ll.msps, unit: "Msample/s",
    referenceName: "the lossless figure above", notes: "rate control stops each segment at its byte budget" });

  // Synthetic image inside the module: V8 and WAMR's interpreter on the same code and data.
  let v8syn = 0, synLen = 0;
  for (let r = 0; r < REPS; r++) {
    const lib1 = loadFlightLib(LIB), lib2 = loadFlightLib(LIB);
    const tGen = cpuSeconds(() => lib1.exports.ccsds122BenchSynthetic(W, H, 0));
    const tAll = cpuSeconds(() => { synLen = lib2.exports.ccsds122BenchSynthetic(W, H, 1) as number; });
    v8syn = Math.max(v8syn, (W * H) / Math.max(tAll - tGen, 1e-6) / 1e6);
  }
  let iw: number | null = null, iwNote = "";
  if (existsSync(IWASM)) {
    const wall = (enc: number) => {
      let best = Infinity, out = "";
      for (let r = 0; r < REPS; r++) {
        const t0 = performance.now();
        const run = spawnSync(IWASM, ["--interp", "-f", "ccsds122BenchSynthetic", LIB, String(W), String(H), String(enc)], { encoding: "utf8", timeout: 600_000 });
        const t = (performance.now() - t0) / 1000;
        if (run.status === 0) { best = Math.min(best, t); out = run.stdout; }
      }
      return { best, out };
    };
    const g = wall(0), a = wall(1);
    const len = /0x([0-9a-f]+):i32/.exec(a.out);
    if (a.best < Infinity && g.best < Infinity) {
      iw = (W * H) / Math.max(a.best - g.best, 1e-6) / 1e6;
      iwNote = len && parseInt(len[1], 16) === synLen ? "same stream length as V8" : `stream length ${len ? parseInt(len[1], 16) : "?"} vs V8 ${synLen}: DIFFERS`;
    } else iwNote = "iwasm failed to run the module";
  } else iwNote = `iwasm absent (${IWASM})`;
  figs.push({ name: "ccsds122 flight encode, lossless, synthetic 1024×512 12-bit, V8", ours: v8syn, reference: null, unit: "Msample/s",
    referenceName: "—", notes: `${((8 * synLen) / (W * H)).toFixed(3)} bit/pixel` });
  figs.push({ name: "ccsds122 flight encode, lossless, synthetic 1024×512 12-bit, WAMR interpreter", ours: iw ?? 0, reference: v8syn, unit: "Msample/s",
    referenceName: "the V8 figure above (same module, same image)", notes: `iwasm --interp, wall time less the image generation; ${iwNote}` });
  return figs;
}
