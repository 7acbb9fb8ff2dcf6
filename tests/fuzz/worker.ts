// One fuzz worker: a child process (forked by pool.ts) that runs cases one at a time. For each
// case it starts a fresh instance of the flight image under node:wasi with the case's bus
// stream on fd 0 (a file), the CADUs on fd 1 and the log on fd 2 (files), classifies the
// outcome and, when the image ran to the end, decodes the downlink with the independent ground
// decoder (host/ground) and checks it is clean. A hang is detected by the parent, which kills
// this process: nothing here can stop a runaway image.
import { WASI } from "node:wasi";
import { openSync, closeSync, writeFileSync, readFileSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { existsSync } from "node:fs";
import { setMemoryMax } from "../../host/obc/image.ts";
import { checkDownlink } from "./downlink.ts";
import type { CaseResult, WireCase } from "./types.ts";

const wasmPath = process.argv[2];
const base = new Uint8Array(readFileSync(wasmPath));
const modules = new Map<number, WebAssembly.Module>();
function moduleFor(maxPages: number | null): WebAssembly.Module {
  const k = maxPages ?? -1;
  let m = modules.get(k);
  if (!m) {
    m = new WebAssembly.Module((maxPages === null ? base : setMemoryMax(base, maxPages)) as BufferSource);
    modules.set(k, m);
  }
  return m;
}

const dir = mkdtempSync(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "tengri-fuzz-"));
const inPath = join(dir, "bus.bin"), outPath = join(dir, "cadu.bin"), errPath = join(dir, "log.txt");
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));

/** The case's table the image accepted, by the figures of its "configuration accepted" log line. */
function acceptedTable(c: WireCase, log: string): Uint8Array | null | string {
  const cands = [c.accept, ...(c.alt ?? [])].filter((t): t is Uint8Array => t !== null);
  if (!cands.length) return null;
  const m = /configuration accepted: (\d+) bands x (\d+) pixels, (\d+)-bit; frame (\d+) octets; RS E=(\d+) I=(\d+)/.exec(log);
  if (!m) return cands.length === 1 ? cands[0] : "no \"configuration accepted\" line in the log";
  const [b, px, d, fl, e, i] = m.slice(1).map(Number);
  const hit = cands.find((t) => t[15] === b && ((t[16] << 8) | t[17]) === px && t[18] === d && ((t[8] << 8) | t[9]) === fl && t[10] === e && t[11] === i);
  return hit ?? `the image accepted a table the case did not send (${m[0]})`;
}

let memBytes = 0;

export function runCase(c: WireCase): CaseResult {
  const t0 = performance.now();
  writeFileSync(inPath, c.input);
  const fin = openSync(inPath, "r"), fout = openSync(outPath, "w"), ferr = openSync(errPath, "w");
  let exit: number | null = null, trap: string | null = null;
  try {
    const wasi = new WASI({ version: "preview1", args: ["flight"], env: {}, stdin: fin, stdout: fout, stderr: ferr, returnOnExit: true });
    const inst = new WebAssembly.Instance(moduleFor(c.maxPages), wasi.getImportObject() as WebAssembly.Imports);
    memBytes += (inst.exports.memory as WebAssembly.Memory).buffer.byteLength;
    try {
      exit = wasi.start(inst) ?? 0;
    } catch (e) {
      trap = e instanceof WebAssembly.RuntimeError ? e.message : `${(e as Error)?.name ?? "Error"}: ${(e as Error)?.message ?? String(e)}`;
    }
  } finally {
    closeSync(fin); closeSync(fout); closeSync(ferr);
  }
  const log = readFileSync(errPath, "utf8");
  const refusal = /configuration table refused, status=(-?\d+)(.*)/.exec(log);
  const r: CaseResult = { id: c.id, outcome: "other", exit, ms: 0 };
  if (refusal) r.status = `${refusal[1]}${refusal[2]}`.trim();
  if (trap !== null) { r.outcome = "trap"; r.message = trap; }
  else if (exit === 2) {
    r.outcome = "refused";
    if (!r.status) r.status = /no valid configuration/.test(log) ? "no valid configuration table" : "exit 2";
  } else if (exit === 0) {
    r.outcome = "ran";
    const table = acceptedTable(c, log);
    if (typeof table === "string") r.unclean = table;
    else if (table) {
      const out = new Uint8Array(readFileSync(outPath));
      const bad = checkDownlink(table, out, log);
      r.outBytes = out.length;
      if (bad) { r.unclean = bad; }
    }
  } else {
    r.message = `exit ${exit}: ${log.split("\n").filter(Boolean).slice(-2).join(" | ")}`;
  }
  if (r.outcome !== "ran" && r.outcome !== "refused") r.logTail = log.split("\n").filter(Boolean).slice(-4).join("\n");
  if (c.wantLog) r.log = log;
  r.ms = performance.now() - t0;
  return r;
}

// Every instance reserves a large stretch of address space for its memory; collect them at once
// rather than when V8 runs out of reservations (which aborts the process).
const gc = (globalThis as { gc?: () => void }).gc;
let sinceGc = 0;
if (process.send) process.on("message", (m: WireCase) => {
  let r: CaseResult;
  try {
    r = runCase(m);
  } catch (e) {
    r = { id: m.id, outcome: "other", exit: null, ms: 0, message: `harness error: ${(e as Error)?.stack ?? String(e)}` };
  }
  if (++sinceGc >= 12 || memBytes > 128 << 20) { sinceGc = 0; memBytes = 0; gc?.(); }
  process.send!(r);
});
if (process.send) process.send({ ready: true });
