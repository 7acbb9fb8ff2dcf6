// Cloud screening speed: the flight screener (build/lib.wasm under Node's V8, line by line as the
// pipeline calls it) against the same algorithm written independently in C (below, gcc -O2,
// native, same fixed-point arithmetic, same streaming order), on the same 4-band data: the
// Sentinel-2 chip 2 (512 × 512, bright soil and cloud) tiled 8 × across into 4096-pixel lines,
// or a synthetic scene when ../shared/data is missing. Best of several runs, alternating ours and
// the reference so both see the same machine load. Also checks the two agree class for class.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchFigure } from "./run.ts";
import { loadFlightLib } from "../../host/obc/lib.ts";
import { sharedDataDir, P } from "../../host/commands/eval-cloud.ts";

const W = 4096, H = 512, NB = 4, REPEAT = 8;

// Independent C implementation of the screening algorithm described in assembly/screen/README.md.
const C_SOURCE = String.raw`
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
enum { CLEAR, CLOUD, UNC, SAT, MISS, UNJ, BRIGHT };
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
int main(int argc, char **argv) {
  /* args: file w h reps coreBlue coreHot ndviMax hazeHot bright r1 r2 kB oB kR oR kN oN satDn out
           coreHotRel hotBgCap iceNirRed snowBlue snowGreenBlue kG oG */
  const char *fn = argv[1]; int w = atoi(argv[2]), h = atoi(argv[3]), reps = atoi(argv[4]);
  int cb = atoi(argv[5]), ch = atoi(argv[6]), nv = atoi(argv[7]), hz = atoi(argv[8]), bri = atoi(argv[9]);
  int r1 = atoi(argv[10]), r2 = atoi(argv[11]);
  int64_t k[3] = {atoll(argv[12]), atoll(argv[14]), atoll(argv[16])}, o[3] = {atoll(argv[13]), atoll(argv[15]), atoll(argv[17])};
  unsigned sat = (unsigned)atoi(argv[18]);
  int chr = atoi(argv[20]), cap = atoi(argv[21]); int64_t ice = atoll(argv[22]), sgb = atoll(argv[24]); int snowB = atoi(argv[23]);
  int64_t kg = atoll(argv[25]), og = atoll(argv[26]);
  size_t npx = (size_t)w * h;
  uint16_t *img = malloc(npx * 8); FILE *f = fopen(fn, "rb"); if (!f || fread(img, 2, npx * 4, f) != npx * 4) return 2; fclose(f);
  uint8_t *cls = malloc(npx), *ring = malloc((size_t)(r2 + 1) * w);
  int32_t *lastA = malloc(w * 4), *lastB = malloc(w * 4), *hist = malloc(2048 * 4);
  double best = 1e9; long cloud = 0;
  for (int rep = 0; rep < reps; rep++) {
    double t0 = now();
    for (int x = 0; x < w; x++) lastA[x] = lastB[x] = -(1 << 30);
    memset(hist, 0, 2048 * 4); long total = 0; int bg = 0, haveBg = 0; int nextB = 0;
    for (int y = 0; y < h + r2; y++) {
      if (y < h) { /* classify line y */
        const uint16_t *L = img + (size_t)y * w * 4; uint8_t *s = ring + (size_t)(y % (r2 + 1)) * w;
        int lim2 = haveBg ? (bg + hz) * 2 : 0x7fffffff;
        int bgc = haveBg && bg < cap ? bg : cap, coreLim2 = 2 * (bgc + chr) > 2 * ch ? 2 * (bgc + chr) : 2 * ch;
        for (int x = 0; x < w; x++) {
          unsigned b = L[x], r = L[2 * w + x], n = L[3 * w + x]; uint8_t fl = 0;
          if (!b || !r || !n) fl = 16; else if (b >= sat || r >= sat || n >= sat) fl = 8;
          else {
            int rb = (int)(((int64_t)b * k[0] + o[0]) >> 20), rr = (int)(((int64_t)r * k[1] + o[1]) >> 20);
            int hot2 = 2 * rb - rr, isCore = 0, isBnc = 0;
            if (rb > cb && hot2 > coreLim2) {
              int rn = (int)(((int64_t)n * k[2] + o[2]) >> 20), sum = rn + rr;
              isCore = sum <= 0 || (int64_t)(rn - rr) * 4096 < (int64_t)nv * sum;
              if (isCore && (int64_t)rn * 4096 < ice * rr) { isCore = 0; isBnc = 1; }
              else if (isCore && rb > snowB && sgb > 0) {
                int rg = (int)(((int64_t)L[w + x] * kg + og) >> 20);
                if ((int64_t)rg * 4096 < sgb * rb) { isCore = 0; isBnc = 1; }
              }
            }
            if (isCore) fl = 1;
            else if (isBnc) fl = 0x80;
            else if ((x & 3) == 0) { int bin = (hot2 >> 1) + 512; if (bin < 0) bin = 0; if (bin > 2047) bin = 2047; hist[bin]++; total++; }
            if (hot2 > lim2) fl |= 2;
            if (rb > bri || rr > bri) fl |= 4;
          }
          s[x] = fl;
        }
        /* horizontal dilation by distance to the nearest core on the line */
        int last = -(1 << 20);
        for (int x = 0; x < w; x++) { if (s[x] & 1) last = x; int d = x - last; if (d <= r2) s[x] |= d <= r1 ? 0x60 : 0x40; }
        int next = 1 << 20;
        for (int x = w - 1; x >= 0; x--) { if (s[x] & 1) next = x; int d = next - x; if (d <= r2) s[x] |= d <= r1 ? 0x60 : 0x40; if (s[x] & 0x40) lastB[x] = y; }
        if (total > 0) { long half = (total + 1) / 2, acc = 0; int i = 0; for (; i < 2047; i++) { acc += hist[i]; if (acc >= half) break; } bg = i - 512; haveBg = 1; }
      }
      int j = y - r2; if (j < 0) continue;
      int newest = y < h ? y : h - 1, ahead = j + r1 < newest ? j + r1 : newest;
      for (; nextB <= ahead; nextB++) { const uint8_t *a = ring + (size_t)(nextB % (r2 + 1)) * w; for (int x = 0; x < w; x++) if (a[x] & 0x20) lastA[x] = nextB; }
      const uint8_t *s = ring + (size_t)(j % (r2 + 1)) * w; uint8_t *c = cls + (size_t)j * w;
      for (int x = 0; x < w; x++) {
        uint8_t fl = s[x];
        c[x] = (fl & 16) ? MISS : (fl & 8) ? SAT : (lastA[x] >= j - r1 || ((fl & 2) && lastB[x] >= j - r2)) ? CLOUD : (fl & 0x80) ? BRIGHT : (fl & 4) ? UNC : CLEAR;
      }
    }
    double dt = now() - t0; if (dt < best) best = dt;
  }
  for (size_t i = 0; i < npx; i++) cloud += cls[i] == CLOUD;
  FILE *out = fopen(argv[19], "wb"); fwrite(cls, 1, npx, out); fclose(out);
  printf("%.6f %ld\n", best, cloud);
  return 0;
}
`;

function scene(): { bil: Uint16Array; what: string } {
  const bil = new Uint16Array(W * H * NB);
  const chip = join(sharedDataDir(), "s2_oncloudn_chip2.u16");
  if (existsSync(chip)) {
    const raw = readFileSync(chip);
    const bsq = new Uint16Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length));
    for (let y = 0; y < H; y++) for (let b = 0; b < NB; b++) for (let x = 0; x < W; x++)
      bil[(y * NB + b) * W + x] = bsq[(b * 512 + y) * 512 + (x % 512)];
    return { bil, what: "Sentinel-2 chip 2 tiled to 4096 × 512" };
  }
  let seed = 7;
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const cloud = Math.sin(x / 90) * Math.cos(y / 70) > 0.3 ? 4000 : 0;
    for (let b = 0; b < NB; b++) bil[(y * NB + b) * W + x] = 500 + b * 300 + cloud + ((seed >>> (8 + b)) & 255);
  }
  return { bil, what: "synthetic 4-band scene" };
}

export default async function (): Promise<BenchFigure[]> {
  const { bil, what } = scene();
  const lib = loadFlightLib();
  const e = lib.exports;
  const p = lib.alloc(P.COUNT * 4);
  e.screenDefaults(p, W, NB);
  const wsLen = e.screenWorkspaceLen(p);
  const ws = lib.alloc(wsLen);
  if (e.screenInit(p, ws, wsLen) < 0) throw new Error("screenInit failed");
  for (let b = 0; b < NB; b++) e.screenSetCalibration(b, 1e-4, 0, Math.PI);
  if (e.screenSetSun(90, 1) < 0) throw new Error("screenSetSun failed");
  const lineLen = NB * W * 2;
  const lines = lib.alloc(H * lineLen), cls = lib.alloc(W * H);
  new Uint16Array(lib.memory.buffer, lines, bil.length).set(bil);
  const params = new Int32Array(lib.memory.buffer, p, P.COUNT).slice();

  const runOurs = () => {
    e.screenReset();
    const t0 = process.hrtime.bigint();
    const n = e.screenPushLines(lines, H, lineLen, cls, W, true);
    const dt = Number(process.hrtime.bigint() - t0) / 1e9;
    if (n !== H) throw new Error(`screenPushLines gave ${n}`);
    return dt;
  };
  for (let i = 0; i < 5; i++) runOurs(); // V8 tier-up
  let ours = Infinity;

  // Reference: C, gcc -O2, same coefficients (ρ = DN·1e-4 at sun elevation 90°, ESUN = π).
  const dir = mkdtempSync(join(tmpdir(), "tengri-screen-bench-"));
  let refBest = Infinity, agree = "C reference not built";
  try {
    const k = Math.round(1e-4 * 2 ** 32);
    let refOk = true;
    try {
      writeFileSync(join(dir, "screen.c"), C_SOURCE);
      execFileSync("gcc", ["-O2", "-o", join(dir, "screen"), join(dir, "screen.c")], { stdio: "pipe" });
      writeFileSync(join(dir, "img.u16"), new Uint8Array(bil.buffer));
    } catch { refOk = false; }
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < REPEAT; i++) ours = Math.min(ours, runOurs());
      if (refOk) {
        const out = execFileSync(join(dir, "screen"), [join(dir, "img.u16"), String(W), String(H), String(REPEAT),
          String(params[P.CORE_BLUE]), String(params[P.CORE_HOT]), String(params[P.CORE_NDVI_MAX]), String(params[P.HAZE_HOT]),
          String(params[P.BRIGHT]), String(params[P.DILATE_PX]), String(params[P.GROW_PX]),
          String(k), "0", String(k), "0", String(k), "0", String(params[P.SAT_DN]), join(dir, "cls.u8"),
          String(params[P.CORE_HOT_REL]), String(params[P.HOT_BG_CAP]), String(params[P.ICE_NIR_RED]), String(params[P.SNOW_BLUE]), String(params[P.SNOW_GREEN_BLUE]),
          String(k), "0"], { encoding: "utf8" });
        refBest = Math.min(refBest, parseFloat(out.split(" ")[0]));
      }
    }
    if (refOk) {
      const theirs = new Uint8Array(readFileSync(join(dir, "cls.u8")));
      const mine = lib.u8().subarray(cls, cls + W * H);
      let diff = 0;
      for (let i = 0; i < theirs.length; i++) if (theirs[i] !== mine[i]) diff++;
      agree = diff === 0 ? "classes identical to the C reference" : `${diff} classes differ from the C reference`;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const mpx = (t: number) => (W * H) / t / 1e6;
  return [{
    name: "cloud screening, 4 bands, 4096-px lines (per line)",
    ours: mpx(ours), reference: Number.isFinite(refBest) ? mpx(refBest) : null, unit: "Mpixel/s",
    referenceName: "same algorithm in C, gcc -O2 native",
    target: "≥ 100 Mpixel/s",
    notes: `${what}; V8 default flags; ${agree}; tiles 256, R1 ${params[P.DILATE_PX]} px, R2 ${params[P.GROW_PX]} px`,
  }];
}
