// Speed of the flight SHA-256 (assembly/security/sha256.ts) for the README: MB/s of CPU time in
// node (V8, build/lib.wasm in this process) and under WAMR's fast interpreter
// (../shared/runtimes/iwasm calling lib.wasm's secSha256Repeat; its start-up, measured with zero
// repetitions, is subtracted). A figure, not a test: `npx tsx tests/bench/sha256-speed.ts [MB]`.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createHash } from "node:crypto";
import { loadFlightLib } from "../../host/obc/lib.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const IWASM = process.env.TENGRI_IWASM ?? join(ROOT, "..", "shared", "runtimes", "iwasm");
const LIB = join(ROOT, "build", "lib.wasm");
const MB = Number(process.argv[2] ?? 32);
const CHUNK = 32768;

const L = loadFlightLib();
const buf = L.alloc(CHUNK), out = L.alloc(32);
for (let i = 0; i < CHUNK; i++) L.u8()[buf + i] = (i * 31 + 7) & 0xff;
const reps = Math.round((MB * 1048576) / CHUNK);
L.exports.secSha256Repeat(buf, CHUNK, 4, out); // warm-up (V8 tiers up on the second call)
const c0 = process.cpuUsage();
L.exports.secSha256Repeat(buf, CHUNK, reps, out);
const c1 = process.cpuUsage(c0);
const nodeS = (c1.user + c1.system) / 1e6;
const h = createHash("sha256"); const chunk = Buffer.from(L.u8().slice(buf, buf + CHUNK));
for (let i = 0; i < reps; i++) h.update(chunk);
const same = Buffer.from(L.u8().slice(out, out + 32)).toString("hex") === h.digest("hex");
console.log(`node ${process.version} (V8 ${process.versions.v8}): ${(reps * CHUNK / 1048576 / nodeS).toFixed(1)} MB/s of CPU time over ${MB} MB (digest equals node:crypto: ${same})`);

const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;
function iwasmCpu(n: number): number {
  // The buffer at 4096 and the digest at 60000 lie in lib.wasm's first page, whatever they hold.
  const r = spawnSync(TIME!, ["-f", "%U %S", IWASM, "-f", "secSha256Repeat", LIB, "4096", String(CHUNK), String(n), "60000"], { encoding: "utf8", timeout: 900_000 });
  const t = r.stderr.trim().split("\n").pop()!.split(" ").map(Number);
  return t[0] + t[1];
}
if (!existsSync(IWASM) || !TIME) console.log(`iwasm: skipped (${existsSync(IWASM) ? "no /usr/bin/time" : `not found at ${IWASM}`})`);
else {
  const iwReps = Math.max(1, Math.round(reps / 8));
  const base = iwasmCpu(0), t = iwasmCpu(iwReps);
  const ver = spawnSync(IWASM, ["--version"], { encoding: "utf8" }).stdout.trim().split("\n")[0];
  console.log(`${ver} fast interpreter: ${((iwReps * CHUNK) / 1048576 / Math.max(1e-3, t - base)).toFixed(2)} MB/s of CPU time over ${(iwReps * CHUNK / 1048576).toFixed(0)} MB (start-up ${base.toFixed(2)} s subtracted)`);
}
