// The whole flight image on every profile under the runtimes it flies on: node:wasi (V8), WAMR's
// fast interpreter (iwasm) and WAMR AOT (wamrc → .aot, run by iwasm). Each run is a whole
// process, bus stream on stdin from a file and CADUs to a file on stdout, as on the satellite.
// The CADUs of every runtime must be byte-identical (the bench fails otherwise); the figure is
// the real-time ratio: the imaging time of the lines (lines ÷ line rate) over the run time.
//
// Tools: ../shared/runtimes/iwasm and wamrc beside the project (or TENGRI_IWASM, TENGRI_WAMRC);
// a runtime whose tool is absent or does not start gives a row saying so instead of a figure.
// Quick run of this part only:  npm run bench -- runtimes
// Environment: TENGRI_BENCH_PROFILES=default,cubesat-mcu  (subset of profiles)
//              TENGRI_BENCH_REPS=3                        (best of N runs per row)
//              TENGRI_BENCH_IMAGE=path/to/flight.wasm     (the image to run; build/flight.wasm by default)
//              TENGRI_BENCH_REF=path/to/flight.wasm       (the before/after check: also require CADUs
//                                                          byte-identical to those of this reference
//                                                          image, and run it under every runtime in
//                                                          the same run, rows interleaved, so that the
//                                                          before → after figures share the machine's
//                                                          state: on a shared machine the CPU time of
//                                                          one image varies by 1.5× from hour to hour)
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadProfile, type Profile } from "../../host/profiles/index.ts";
import { syntheticScene } from "../../host/sensor/index.ts";
import { configRecord } from "../../host/obc/config-table.ts";
import { encodeLine, encodeEnd } from "../../host/obc/bus.ts";
import { FLIGHT_WASM } from "../../host/pass.ts";
import { parseModule } from "../../host/inspect/wasm.ts";
import { readBuildInfo } from "../../host/inspect/inspect.ts";
import type { BenchFigure } from "./run.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const RUNTIMES_DIR = join(ROOT, "..", "shared", "runtimes");
const IWASM = process.env.TENGRI_IWASM ?? join(RUNTIMES_DIR, "iwasm");
const WAMRC = process.env.TENGRI_WAMRC ?? join(RUNTIMES_DIR, "wamrc");

/** Lines per profile: imaging time of a few hundred milliseconds at least on each. */
export const PLAN: [string, number][] = [["default", 200], ["cubesat-mcu", 400], ["eo-5band", 128], ["hyperspectral", 64]];

/** Accept / goal targets from issue 12, per runtime and profile. */
function targetOf(runtime: RuntimeId, profile: string): string {
  if (runtime === "aot") return "≥ 2× (goal ≥ 3×)";
  if (runtime === "interp") return profile === "cubesat-mcu" ? "≥ 2×" : profile === "default" ? "≥ 0.35× (goal ≥ 1.0×)" : "";
  return "";
}

/** The bus stream of `lines` synthetic lines of profile `p` (configuration, lines, end of pass). */
export function busOf(p: Profile, lines: number): Buffer {
  const scene = syntheticScene(p, { seed: 5, lines });
  const recs = [configRecord(p)];
  for (let l = scene.next(); l; l = scene.next()) recs.push(encodeLine({ ...l, bands: p.sensor.bands.length, pixels: p.sensor.pixelsPerLine, bitDepth: p.sensor.bitDepth }));
  recs.push(encodeEnd(lines));
  return Buffer.concat(recs);
}

type RuntimeId = "node" | "interp" | "aot";
interface Runtime { id: RuntimeId; label: string; argv: (image: string) => string[] | null; skip?: string }

// node:wasi in a bare process: what `tengri` uses to run the image (host/obc/wasi-child.mjs) minus
// the OBC emulation hooks. The module is compiled from the file each time, as a flight computer would.
// TENGRI_BENCH_FLASH=DIR: the flash directory as the image's "/flash" preopen on every runtime
// (node:wasi preopens, iwasm --map-dir=/flash::DIR); without it, no preopen (commanding refused).
const FLASH = process.env.TENGRI_BENCH_FLASH;
const NODE_RUNNER = `import { readFileSync } from "node:fs"; import { WASI } from "node:wasi";
const flash = process.env.TENGRI_BENCH_FLASH;
const wasi = new WASI({ version: "preview1", args: ["flight"], env: {}, returnOnExit: true, ...(flash ? { preopens: { "/flash": flash } } : {}) });
const inst = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(process.argv[1])), wasi.getImportObject());
process.exitCode = wasi.start(inst);`;

function toolVersion(bin: string, args: string[]): string | null {
  if (!existsSync(bin)) return null;
  const r = spawnSync(bin, args, { encoding: "utf8", timeout: 20_000 });
  if (r.error || r.status !== 0) return null;
  return (r.stdout || r.stderr).split("\n")[0].trim();
}

export function runtimes(): Runtime[] {
  const out: Runtime[] = [{ id: "node", label: `node:wasi (Node ${process.version}, V8 ${process.versions.v8})`, argv: (img) => [process.execPath, "--input-type=module", "-e", NODE_RUNNER, img] }];
  const iv = toolVersion(IWASM, ["--version"]);
  const interpLabel = iv ? `WAMR ${iv.replace(/^iwasm\s*/, "")} fast interpreter` : "WAMR fast interpreter";
  if (!iv) out.push({ id: "interp", label: interpLabel, argv: () => null, skip: `iwasm not found or does not start (${IWASM}); see ../shared/runtimes/README.md` });
  else out.push({ id: "interp", label: interpLabel, argv: (img) => [IWASM, ...(FLASH ? [`--map-dir=/flash::${FLASH}`] : []), img] });
  const wv = toolVersion(WAMRC, ["--version"]);
  const aotLabel = iv ? `WAMR ${iv.replace(/^iwasm\s*/, "")} AOT (${wv ?? "wamrc"}, x86_64, no SIMD)` : "WAMR AOT";
  if (!iv) out.push({ id: "aot", label: aotLabel, argv: () => null, skip: `iwasm not found or does not start (${IWASM})` });
  else if (!wv) out.push({ id: "aot", label: aotLabel, argv: () => null, skip: `wamrc not found or does not start (${WAMRC}; it needs Debian's libllvm16)` });
  else out.push({ id: "aot", label: aotLabel, argv: (img) => [IWASM, ...(FLASH ? [`--map-dir=/flash::${FLASH}`] : []), img.replace(/\.wasm$/, ".aot")] });
  return out;
}

/** Compiles image.wasm to image.aot with wamrc; null when it worked, else the reason. */
export function compileAot(image: string): string | null {
  const r = spawnSync(WAMRC, ["--target=x86_64", "--disable-simd", "-o", image.replace(/\.wasm$/, ".aot"), image], { encoding: "utf8", timeout: 600_000 });
  if (r.error || r.status !== 0) return `wamrc failed: ${(r.error?.message ?? r.stderr ?? "").split("\n")[0]}`;
  return null;
}

// GNU time, when present, also gives the process's CPU time (user + system, 10 ms resolution):
// on a machine shared with other work the wall time includes waiting for a core, the CPU time does not.
const GNU_TIME = existsSync("/usr/bin/time") && spawnSync("/usr/bin/time", ["-f", "%U", "true"]).status === 0 ? "/usr/bin/time" : null;

/** One whole-process run: bus file on stdin, CADUs to outFile. Wall and CPU seconds (CPU null without
 *  GNU time), or throws with the runtime's stderr. */
export function runOnce(argv: string[], busFile: string, outFile: string, timeFile?: string): { wall: number; cpu: number | null } {
  const inFd = openSync(busFile, "r"), outFd = openSync(outFile, "w");
  const cmd = GNU_TIME && timeFile ? [GNU_TIME, "-o", timeFile, "-f", "%U %S", ...argv] : argv;
  try {
    const t0 = performance.now();
    const r = spawnSync(cmd[0], cmd.slice(1), { stdio: [inFd, outFd, "pipe"], timeout: 900_000, maxBuffer: 64 << 20 });
    const wall = (performance.now() - t0) / 1000;
    if (r.error || r.status !== 0) throw new Error(`${argv[0]} exited with ${r.status ?? r.error?.message}: ${String(r.stderr).trim().split("\n").slice(-2).join(" / ")}`);
    let cpu: number | null = null;
    if (GNU_TIME && timeFile) {
      const f = readFileSync(timeFile, "utf8").trim().split("\n").pop()!.split(" ").map(Number);
      if (f.length === 2 && f.every(Number.isFinite)) cpu = f[0] + f[1];
    }
    return { wall, cpu };
  } finally { closeSync(inFd); closeSync(outFd); }
}

const sha = (f: string) => createHash("sha256").update(readFileSync(f)).digest("hex");

export interface RuntimeRow { profile: string; lines: number; imagingS: number; runtime: Runtime; seconds: number | null; cpu: number | null; sha: string | null; skip?: string;
  /** The reference image (TENGRI_BENCH_REF) on the same bus stream and runtime, measured in the same run. */
  ref?: { seconds: number; cpu: number | null; label: string } }

/** Best wall and CPU seconds of `reps` runs (reps ≥ 1). */
function bestOf(reps: number, argv: string[], busFile: string, outFile: string, timeFile: string): { seconds: number; cpu: number | null } {
  let best = Infinity, bestCpu = Infinity;
  for (let r = 0; r < Math.max(1, reps); r++) {
    const t = runOnce(argv, busFile, outFile, timeFile);
    best = Math.min(best, t.wall);
    if (t.cpu !== null) bestCpu = Math.min(bestCpu, t.cpu);
  }
  return { seconds: best, cpu: Number.isFinite(bestCpu) ? bestCpu : null };
}

/** Runs the image on every selected profile and runtime; checks every runtime's CADUs are identical. */
export function measure(image = FLIGHT_WASM, opts: { profiles?: string[]; reps?: number; ref?: string } = {}): RuntimeRow[] {
  const reps = opts.reps ?? Number(process.env.TENGRI_BENCH_REPS ?? 3);
  const want = opts.profiles ?? (process.env.TENGRI_BENCH_PROFILES ? process.env.TENGRI_BENCH_PROFILES.split(",") : null);
  const ref = opts.ref ?? process.env.TENGRI_BENCH_REF;
  const tmp = mkdtempSync(join(tmpdir(), "tengri-rt-"));
  try {
    const img = join(tmp, "flight.wasm");
    writeFileSync(img, readFileSync(image));
    const rts = runtimes();
    const rimg = join(tmp, "ref", "flight.wasm");
    let refLabel = "";
    if (ref) {
      mkdirSync(dirname(rimg)); writeFileSync(rimg, readFileSync(ref));
      const info = readBuildInfo(parseModule(readFileSync(ref)));
      refLabel = info ? `source ${info.commit.slice(0, 7)}${info.dirty ? " (dirty)" : ""}` : "no build record";
    }
    for (const rt of rts) if (rt.id === "aot" && !rt.skip) { const why = compileAot(img) ?? (ref ? compileAot(rimg) : null); if (why) rt.skip = why; }
    const rows: RuntimeRow[] = [];
    for (const [name, lines] of PLAN) {
      if (want && !want.includes(name)) continue;
      const p = loadProfile(name);
      const busFile = join(tmp, `${name}.bus`);
      writeFileSync(busFile, busOf(p, lines));
      const imagingS = lines / p.sensor.lineRateHz;
      let refSha: string | null = null;
      if (ref) {
        runOnce(rts[0].argv(rimg)!, busFile, join(tmp, "ref.cadu"));                 // node:wasi
        refSha = sha(join(tmp, "ref.cadu"));
      }
      for (const rt of rts) {
        const argv = rt.argv(img);
        if (rt.skip || !argv) {
          process.stderr.write(`  ${name.padEnd(14)} ${rt.id.padEnd(6)} skipped: ${rt.skip}\n`);
          rows.push({ profile: name, lines, imagingS, runtime: rt, seconds: null, cpu: null, sha: null, skip: rt.skip });
          continue;
        }
        const out = join(tmp, `${name}.${rt.id}.cadu`);
        // with a reference image: reference and image alternate, rep by rep, on the same runtime
        let refT: { seconds: number; cpu: number | null; label: string } | undefined;
        let best = Infinity, bestCpu = Infinity;
        for (let r = 0; r < Math.max(1, reps); r++) {
          if (ref) {
            const rt1 = bestOf(1, rt.argv(rimg)!, busFile, join(tmp, `${name}.${rt.id}.ref.cadu`), join(tmp, "time.txt"));
            refT = { seconds: Math.min(refT?.seconds ?? Infinity, rt1.seconds), cpu: rt1.cpu === null ? null : Math.min(refT?.cpu ?? Infinity, rt1.cpu), label: refLabel };
          }
          const t = bestOf(1, argv, busFile, out, join(tmp, "time.txt"));
          best = Math.min(best, t.seconds);
          if (t.cpu !== null) bestCpu = Math.min(bestCpu, t.cpu);
        }
        const cpu = Number.isFinite(bestCpu) ? bestCpu : null;
        if (ref && sha(join(tmp, `${name}.${rt.id}.ref.cadu`)) !== refSha) throw new Error(`${name}: the reference image's CADUs under ${rt.label} differ from its CADUs under node:wasi`);
        const h = sha(out);
        if (refSha && h !== refSha) throw new Error(`${name} under ${rt.label}: CADUs differ from the reference image ${ref}`);
        const first = rows.find((x) => x.profile === name && x.sha);
        if (first && first.sha !== h) throw new Error(`${name}: CADUs under ${rt.label} differ from those under ${first.runtime.label}`);
        rows.push({ profile: name, lines, imagingS, runtime: rt, seconds: best, cpu, sha: h, ref: refT });
        process.stderr.write(`  ${name.padEnd(14)} ${rt.id.padEnd(6)} ${(best * 1000).toFixed(0).padStart(6)} ms  ${(imagingS / best).toFixed(2)}× real time${cpu !== null ? `  (CPU ${(cpu * 1000).toFixed(0)} ms: ${(imagingS / Math.max(cpu, 0.01)).toFixed(2)}×)` : ""}${refT ? `  reference image: ${(refT.seconds * 1000).toFixed(0)} ms${refT.cpu !== null ? `, CPU ${(refT.cpu * 1000).toFixed(0)} ms` : ""}` : ""}\n`);
      }
    }
    return rows;
  } finally { rmSync(tmp, { recursive: true, force: true }); }
}

/** The per-profile × runtime table for RESULTS.md (section replaced on every run of this bench). */
export function section(rows: RuntimeRow[], reps: number): string {
  const rts = [...new Map(rows.map((r) => [r.runtime.id, r.runtime])).values()];
  let md = `\n## Flight image per runtime\n\nWritten by \`npm run bench -- runtimes\` on ${new Date().toISOString().slice(0, 10)} (${cpus()[0]?.model ?? "?"} × ${cpus().length}, load average ${loadavg()[0].toFixed(1)} when written): build/flight.wasm, whole process (start-up included), bus stream from a file on stdin, CADUs to a file; best of ${reps}; real-time ratio = imaging time ÷ wall time of the run${rows.some((r) => r.cpu !== null) ? "; in brackets the CPU time (user + system, GNU time, 10 ms resolution) and imaging time ÷ CPU time, the figure that does not count waiting for a core on a shared machine" : ""}. CADUs byte-identical across runtimes on every profile.\n\n`;
  md += `| profile | imaging time | ${rts.map((r) => r.label).join(" | ")} |\n|---|---:|${rts.map(() => "---:").join("|")}|\n`;
  for (const [name] of PLAN) {
    const rs = rows.filter((r) => r.profile === name);
    if (!rs.length) continue;
    md += `| ${name}, ${rs[0].lines} lines | ${(rs[0].imagingS * 1000).toFixed(0)} ms | ${rts.map((rt) => { const r = rs.find((x) => x.runtime.id === rt.id); return !r || r.seconds === null ? `skipped${r?.skip ? `: ${r.skip}` : ""}` : `${(r.seconds * 1000).toFixed(0)} ms (${(r.imagingS / r.seconds).toFixed(2)}×)${r.cpu !== null ? ` [CPU ${(r.cpu * 1000).toFixed(0)} ms: ${(r.imagingS / Math.max(r.cpu, 0.01)).toFixed(2)}×]` : ""}`; }).join(" | ")} |\n`;
  }
  if (rows.some((r) => r.ref)) {
    md += `\nBefore → after in the same run: the reference image (TENGRI_BENCH_REF, ${rows.find((r) => r.ref)!.ref!.label}) and build/flight.wasm alternate rep by rep on each runtime, best of ${reps} each, CADUs byte-identical; CPU time where GNU time is present, else wall time.\n\n`;
    md += `| profile | ${rts.map((r) => r.label).join(" | ")} |\n|---|${rts.map(() => "---:").join("|")}|\n`;
    for (const [name] of PLAN) {
      const rs = rows.filter((r) => r.profile === name);
      if (!rs.length) continue;
      md += `| ${name} | ${rts.map((rt) => {
        const r = rs.find((x) => x.runtime.id === rt.id);
        if (!r?.ref || r.seconds === null) return "—";
        const cpu = r.cpu !== null && r.ref.cpu !== null;
        const a = cpu ? r.ref.cpu! : r.ref.seconds, b = cpu ? r.cpu! : r.seconds;
        return `${(a * 1000).toFixed(0)} → ${(b * 1000).toFixed(0)} ms ${cpu ? "CPU" : "wall"} (${b <= a ? "−" : "+"}${Math.abs(100 * (b - a) / Math.max(a, 1e-9)).toFixed(0)} %)`;
      }).join(" | ")} |\n`;
    }
  }
  return md;
}

export function writeSection(rows: RuntimeRow[], reps: number): void {
  const file = join(dirname(fileURLToPath(import.meta.url)), "RESULTS.md");
  let prev = "";
  try { prev = readFileSync(file, "utf8"); } catch { /* first run */ }
  const head = "\n## Flight image per runtime\n";
  const i = prev.indexOf(head);
  let rest = "";
  if (i >= 0) { const j = prev.indexOf("\n## ", i + head.length); rest = j >= 0 ? prev.slice(j) : ""; prev = prev.slice(0, i); }
  writeFileSync(file, prev.replace(/\n+$/, "\n") + section(rows, reps) + rest);
}

export default async function (): Promise<BenchFigure[]> {
  const reps = Number(process.env.TENGRI_BENCH_REPS ?? 3);
  const image = process.env.TENGRI_BENCH_IMAGE ?? FLIGHT_WASM;
  const rows = measure(image, { reps });
  if (!process.env.TENGRI_BENCH_PROFILES && !process.env.TENGRI_BENCH_IMAGE) writeSection(rows, reps);
  return rows.map((r) => {
    const p = loadProfile(r.profile);
    const samples = r.lines * p.sensor.bands.length * p.sensor.pixelsPerLine;
    const need = p.sensor.lineRateHz * p.sensor.bands.length * p.sensor.pixelsPerLine;
    return {
      name: `flight image, ${r.profile}, ${r.runtime.label}${r.seconds === null ? ` (skipped: ${r.skip})` : ""}`,
      ours: r.seconds === null ? 0 : samples / r.seconds / 1e6, reference: r.seconds === null ? null : need / 1e6, unit: "Msample/s",
      referenceName: "the profile's imager rate (ratio = real-time margin)", target: targetOf(r.runtime.id, r.profile),
      notes: r.seconds === null ? `skipped: ${r.skip}` : `${r.lines} lines, imaging ${(r.imagingS * 1000).toFixed(0)} ms, run ${(r.seconds * 1000).toFixed(0)} ms wall${r.cpu !== null ? `, ${(r.cpu * 1000).toFixed(0)} ms CPU (${(r.imagingS / Math.max(r.cpu, 0.01)).toFixed(2)}× on CPU time)` : ""}, whole process incl. start-up; CADUs sha256 ${r.sha!.slice(0, 12)}…, identical across runtimes`,
    };
  });
}
