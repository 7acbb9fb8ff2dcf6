// Ground decoding chain (frame sync, derandomize, RS decode, FECF, TM headers, packet
// extraction) on a TM stream of the default profile's geometry (1115-octet frames, RS(255,223),
// I=5, randomizer), clean and with 16 symbol errors in every codeword, against a C chain on
// Debian's libfec (decode_rs_ccsds + derandomize, gcc -O2) run on the same stream.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchFigure } from "./run.ts";
import { LinkDecoder, type LinkConfig } from "../../host/ground/link-decoder.ts";
import { LinkBuilder, makePacket, concat, rng } from "../host/ground/link-builder.ts";

const CFG: LinkConfig = { frameType: "tm", frameLen: 1115, rsE: 16, rsDepth: 5, randomizer: true, fecf: true, ocf: false };
const N_CADUS = 3000;
const REPS = 5;

function buildStream(): Uint8Array {
  const r = rng(42), b = new LinkBuilder(CFG);
  const cadus: Uint8Array[] = [];
  let seq = 0;
  for (let i = 0; i < N_CADUS; i++) {
    while (b.pending(1) < 4 * b.zoneLen) b.addPacket(1, makePacket(0x100, seq++, new Uint8Array(2000 + ((r() * 6000) | 0)).map((_, k) => (k * 31 + seq) & 255), { secHdr: true }));
    cadus.push(b.cadu(b.frame(1)));
  }
  return concat(cadus);
}

function withErrors(clean: Uint8Array, perCodeword: number): Uint8Array {
  const s = clean.slice(), r = rng(7), I = CFG.rsDepth, ncw = CFG.frameLen / I + 32, L = 4 + I * ncw;
  for (let c = 0; c + L <= s.length; c += L)
    for (let j = 0; j < I; j++) {
      const pos = new Set<number>();
      while (pos.size < perCodeword) pos.add((r() * ncw) | 0);
      for (const i of pos) s[c + 4 + i * I + j] ^= 1 + ((r() * 255) | 0);
    }
  return s;
}

function ours(stream: Uint8Array): { mbps: number; packets: number; bad: number } {
  let best = Infinity, packets = 0, bad = 0;
  for (let rep = 0; rep < REPS + 1; rep++) {
    let n = 0;
    const d = new LinkDecoder(CFG, { onPacket: () => { n++; } });
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < stream.length; i += 65536) d.push(stream.subarray(i, i + 65536));
    d.end();
    const t = Number(process.hrtime.bigint() - t0) / 1e9;
    if (rep > 0 && t < best) best = t; // first pass warms up the JIT
    packets = n;
    bad = d.stats.rsCodewordsUncorrectable;
  }
  return { mbps: (stream.length * 8) / best / 1e6, packets, bad };
}

export default async function (): Promise<BenchFigure[]> {
  const clean = buildStream();
  const errs = withErrors(clean, 16);
  const a = ours(clean), b = ours(errs);
  let refClean: number | null = null, refErr: number | null = null;
  let refName = "libfec decode_rs_ccsds + derandomize, gcc -O2 (libfec-dev not installed: no reference)";
  if (existsSync("/usr/include/fec.h")) {
    const dir = mkdtempSync(join(tmpdir(), "tengri-ground-bench-"));
    try {
      const exe = join(dir, "ground-chain");
      const src = fileURLToPath(new URL("./c/ground-chain.c", import.meta.url));
      const cc = spawnSync("gcc", ["-O2", "-o", exe, src, "-lfec"], { encoding: "utf8" });
      if (cc.status !== 0) throw new Error(cc.stderr);
      const run = (s: Uint8Array) => {
        const f = join(dir, "in.cadu");
        writeFileSync(f, s);
        const r = spawnSync(exe, ["5", "223", String(REPS)], { input: readFileSync(f), encoding: "utf8", maxBuffer: 1 << 20 });
        const [sec, bytes] = r.stdout.trim().split(" ").map(Number);
        return (bytes * 8) / sec / 1e6;
      };
      refClean = run(clean);
      refErr = run(errs);
      refName = "libfec decode_rs_ccsds + derandomize, gcc -O2 native";
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const notes = `Node ${process.version}, tsx, default V8 flags; ${N_CADUS} CADUs of 1279 octets (TM 1115, I=5), best of ${REPS} after a warm-up pass; ours includes FECF, TM headers and packet reassembly`;
  return [
    { name: "Ground chain, clean stream", ours: a.mbps, reference: refClean, unit: "Mbit/s", referenceName: refName, target: "≥ 160 Mbit/s", notes: `${notes}; ${a.packets} packets` },
    { name: "Ground chain, 16 symbol errors per codeword", ours: b.mbps, reference: refErr, unit: "Mbit/s", referenceName: refName, target: "≥ 80 Mbit/s", notes: `${notes}; uncorrectable ${b.bad}` },
  ];
}
