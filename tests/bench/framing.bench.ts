// The whole flight framing chain (packetize, TM frame, FECF, RS(255,223) I=5, randomize, ASM)
// in build/lib.wasm, against a native C chain on Debian libfec doing the same work
// (tests/bench/c/framing-chain.c, gcc -O2), in the same run.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadFlightLib } from "../../host/obc/lib.ts";
import type { BenchFigure } from "./run.ts";

const PKT = 6166;       // one default-profile band line: 6 + 16 + 4096 × 12 bits / 8
const N = 4000;
const FRAME = 1115, DEPTH = 5;

function nativeChain(): number | string {
  if (!existsSync("/usr/include/fec.h")) return "libfec-dev not installed";
  const dir = mkdtempSync(join(tmpdir(), "tengri-frame-bench-"));
  try {
    const exe = join(dir, "chain");
    const cc = spawnSync("gcc", ["-O2", "-o", exe, fileURLToPath(new URL("./c/framing-chain.c", import.meta.url)), "-lfec"], { encoding: "utf8" });
    if (cc.status !== 0) return `gcc failed: ${cc.stderr}`;
    const r = spawnSync(exe, [String(PKT), String(N)], { encoding: "utf8" });
    return r.status === 0 ? Number(r.stdout) : `native chain failed: ${r.stderr}`;
  } finally { rmSync(dir, { recursive: true, force: true }); }
}

export default async function (): Promise<BenchFigure[]> {
  const lib = loadFlightLib();
  const x = lib.exports;
  const buf = lib.alloc(x.frameBufferLen(FRAME));
  x.frameConfigure(0, 0x0ab, FRAME, true, false, 0, 7, 0, buf);
  const pkt = lib.alloc(PKT);
  for (let i = 0; i < PKT; i++) lib.u8()[pkt + i] = (i * 7) & 0xff;
  const cadu = x.syncCaduLen(FRAME, DEPTH, 16);
  const outCap = cadu * 64;
  const out = lib.alloc(outCap);
  const run = () => x.frameChainRun(pkt, PKT, N, FRAME, DEPTH, 16, true, out, outCap);
  run(); run();
  let best = 0;
  for (let rep = 0; rep < 5; rep++) {
    const t0 = performance.now();
    const cadus = run();
    const s = (performance.now() - t0) / 1000;
    best = Math.max(best, (cadus * cadu * 8) / 1e6 / s);
  }
  const ref = nativeChain();
  return [{
    name: "flight framing chain TM 1115 FECF RS(255,223) I=5 rand ASM",
    ours: best, reference: typeof ref === "number" ? ref : null, unit: "Mbit/s",
    referenceName: typeof ref === "number" ? "same chain in C on libfec encode_rs_ccsds, gcc -O2" : ref,
    target: "≥ 400 Mbit/s of CADUs",
    notes: `${N} packets of ${PKT} octets per call; CADU output in Mbit/s`,
  }];
}
