// Whole-process timings of the command line (issue 12 item 2), each beside its reference measured
// in the same run: `tengri --help` against Node's own start (`node -e 0`), and `tengri aec`
// encoding and decoding a 64 MiB file of 16-bit samples against libaec's `aec` tool on the same
// file (outputs compared byte for byte). Best of 5 runs, ours and the reference alternating
// so that both see the same machine load; the CPU time (user + system, from /usr/bin/time) of the
// best runs is in the notes, since wall time on a shared machine also counts other processes.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchFigure } from "./run.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const BIN = join(root, "bin/tengri.mjs");
const shared = process.env.TENGRI_SHARED ?? join(root, "../shared");
const LANDSAT = join(shared, "data/landsat8/landsat8_LC80460282016177_b234_crop_bsq_u16le_z3_y1024_x1024.raw");
const SIZE = 64 << 20;
const haveTime = existsSync("/usr/bin/time");

interface Run { wall: number; cpu: number | null; rss: number | null; status: number | null; stderr: string }

/** One whole process: wall seconds, and CPU seconds when /usr/bin/time is there. */
function run(cmd: string, args: string[]): Run {
  const full = haveTime ? ["/usr/bin/time", ["-f", "@@cpu %U %S %M", cmd, ...args]] as const : [cmd, args] as const;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(full[0], full[1] as string[], { encoding: "utf8", stdio: ["ignore", "ignore", "pipe"] });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const m = /@@cpu ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr ?? "");
  return { wall, cpu: m ? Number(m[1]) + Number(m[2]) : null, rss: m ? Number(m[3]) / 1024 : null, status: r.status, stderr: (r.stderr ?? "").replace(/@@cpu.*\n?/, "") };
}

/** Best (by wall time) of `reps` alternating runs of a and b. */
function race(a: () => Run, b: () => Run, reps: number): [Run, Run] {
  let ba: Run | null = null, bb: Run | null = null;
  for (let i = 0; i < reps; i++) {
    const x = a(), y = b();
    if (x.status !== 0) throw new Error(`cli bench: ours failed (${x.status}): ${x.stderr}`);
    if (y.status !== 0) throw new Error(`cli bench: reference failed (${y.status}): ${y.stderr}`);
    if (!ba || x.wall < ba.wall) ba = x;
    if (!bb || y.wall < bb.wall) bb = y;
  }
  return [ba!, bb!];
}

const cpuNote = (o: Run, r: Run) => (o.cpu !== null && r.cpu !== null ? `CPU ${o.cpu.toFixed(2)} s vs ${r.cpu.toFixed(2)} s (ratio ${(r.cpu / o.cpu).toFixed(2)})` : "")
  + (o.rss !== null && r.rss !== null ? `; peak RSS ${o.rss.toFixed(0)} MiB vs ${r.rss.toFixed(0)} MiB` : "");

export default async function (): Promise<BenchFigure[]> {
  const figs: BenchFigure[] = [];
  const compiled = existsSync(join(root, "build/host/cli.mjs"));
  const [help, node] = race(() => run(process.execPath, [BIN, "--help"]), () => run(process.execPath, ["-e", "0"]), 5);
  figs.push({
    name: "tengri --help, whole process (ms, lower is better)", ours: help.wall * 1e3, reference: node.wall * 1e3, unit: "ms",
    referenceName: "node -e 0 (Node's own start), same run", target: "< 200 ms, best of 5",
    notes: `${compiled ? "compiled host (build/host/cli.mjs)" : "build/host missing: tsx from source"}; ${cpuNote(help, node)}; ratio = ours / Node's start`,
  });
  const haveAec = spawnSync("aec", [], { stdio: "ignore" }).error === undefined;
  if (!haveAec) {
    figs.push({ name: "tengri aec 64 MiB, whole process", ours: 0, reference: null, unit: "s", referenceName: "libaec's aec not installed: rows skipped" });
    return figs;
  }
  const dir = mkdtempSync(join(tmpdir(), "tengri-cli-bench-"));
  try {
    // 64 MiB of 16-bit little-endian samples: the Landsat 8 crop repeated (16-bit radiances), or
    // a synthetic scene
    const data = Buffer.alloc(SIZE);
    let what = "Landsat 8 crop (3 bands, 16-bit) repeated to 64 MiB";
    if (existsSync(LANDSAT)) {
      const raw = readFileSync(LANDSAT);
      for (let o = 0; o < SIZE; o += raw.length) raw.copy(data, o, 0, Math.min(raw.length, SIZE - o));
    } else {
      what = "synthetic 16-bit scene, 64 MiB";
      let seed = 1;
      for (let i = 0; i < SIZE / 2; i++) {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        data.writeUInt16LE((20000 + 8000 * Math.sin(i / 4000) + ((seed >>> 20) & 255)) & 0xffff, 2 * i);
      }
    }
    const fin = join(dir, "in.u16"), ours = join(dir, "ours.rz"), ref = join(dir, "ref.rz"), oursBack = join(dir, "ours.u16"), refBack = join(dir, "ref.u16");
    writeFileSync(fin, data);
    const flags = ["-n", "16", "-j", "16", "-r", "128"];
    const [oe, re] = race(() => run(process.execPath, [BIN, "aec", ...flags, fin, ours]), () => run("aec", [...flags, fin, ref]), 5);
    const same = readFileSync(ours).equals(readFileSync(ref));
    figs.push({
      name: "tengri aec encode 64 MiB 16-bit, whole process (MB/s)", ours: SIZE / 1e6 / oe.wall, reference: SIZE / 1e6 / re.wall, unit: "MB/s",
      referenceName: "libaec 1.0.6 aec tool, same file, same run", target: "ratio >= 1.0 (goal 1.5)",
      notes: `${what}; -n 16 -j 16 -r 128; output ${same ? "byte-identical" : "DIFFERS"}; ${cpuNote(oe, re)}`,
    });
    const [od, rd] = race(() => run(process.execPath, [BIN, "aec", "-d", ...flags, ref, oursBack]), () => run("aec", ["-d", ...flags, ref, refBack]), 5);
    const sameBack = readFileSync(oursBack).equals(readFileSync(refBack)) && readFileSync(oursBack).equals(data);
    figs.push({
      name: "tengri aec -d 64 MiB 16-bit, whole process (MB/s)", ours: SIZE / 1e6 / od.wall, reference: SIZE / 1e6 / rd.wall, unit: "MB/s",
      referenceName: "libaec 1.0.6 aec -d, same stream, same run", target: "ratio >= 1.0 (goal 1.5)",
      notes: `decoding libaec's stream of the file above; output ${sameBack ? "byte-identical (and the original)" : "DIFFERS"}; ${cpuNote(od, rd)}`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figs;
}
