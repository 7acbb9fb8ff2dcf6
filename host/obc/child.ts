// One boot of the flight image: a child process running wasi-child.mjs, with the payload bus
// on its stdin, the CADU stream on its stdout, the event log on stderr and a control pipe
// (fd 3) carrying the child's own reports (faults applied, timing). Shared by runImage and
// the watchdog supervisor.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
import type { Readable } from "node:stream";

const CHILD = fileURLToPath(new URL("./wasi-child.mjs", import.meta.url));

/**
 * The V8 flags of the child (issue 13, the hires-pan-ms SIGSEGV). node:wasi (node 20, V8 11.3)
 * registers its syscalls with V8 fast API entry points, and V8 calls those directly from the
 * flight image's wasm code (fd_read, fd_write). What was measured, on the captured bus of a
 * full-width pass (tests/e2e/pancrash.test.ts has the figures):
 * - the child dies with SIGSEGV in 5/12 to 10/12 runs, mostly at teardown after the image has
 *   written every output octet (core dump: KeyedLoadIC_Megamorphic on a garbage tagged pointer:
 *   the V8 heap is corrupt); 0/20 with --no-turbo-fast-api-calls, 0/12 with --never-compact;
 * - it needs the image's linear memory past V8's external-memory soft limit (64 MiB): the image
 *   carves ~69 MB at boot for 4000 band pixels (crashes), 129 MB for the full 7500/30000 pixels;
 *   every other shipped profile stays under 19 MB (17.6 MB images: 0/8, and 0/6 even with
 *   --stress-compaction). Past the limit V8 starts incremental marking for "external memory
 *   pressure" (--trace-incremental-marking) and ends it with a Mark-Compact, run from the
 *   image's memory.grow (gdb: Runtime_WasmMemoryGrow → JSArrayBuffer::Setup →
 *   AdjustAmountOfExternalAllocatedMemory → ReportExternalMemoryPressure → CollectGarbage) or
 *   at a later stack-guard check.
 * So objects moved by that compaction are then reached through a stale reference on the
 * wasm → C++ fast-call path; which reference is inside V8/node and was not identified here.
 * Upstream, both open: nodejs/node#46777 (node:wasi fast calls and the GC: V8 coredump) and
 * #53087 (wasi fast calls segfault on x86_64 Linux). The workaround turns V8's fast API calls
 * off in this process only (it runs nothing but the image): every WASI call takes the regular
 * callback, with the same outputs and no measurable CPU cost. Remove it once the node baseline
 * carries an upstream fix and tests/e2e/pancrash.test.ts passes without it.
 */
export const CHILD_NODE_FLAGS = ["--no-turbo-fast-api-calls"] as const;

/** A fault the child applies itself at the first bus read made once `at` octets were consumed. */
export interface ChildFault { at: number; kind: "seu" | "hang" | "reset"; address?: number; bit?: number }

/** What the child measured (wasi-child.mjs, "stats"). Times in ms. */
export interface ChildStats {
  reads: number; consumed: number; busyMs: number; maxBusyMs: number; waitMs: number; wallMs: number;
  cpu: { user: number; system: number }; node: string; v8: string; execArgv: string[];
}
export interface ChildFaultReport { kind: "seu" | "hang" | "reset"; at: number; consumed: number; address?: number; bit?: number; before?: number; after?: number; memoryBytes?: number }

/** The image's own account of a refused configuration table (its control block at the refusal). */
export interface ChildRefusal { status: number; field: number; found: number; expected: number; offset: number }

export interface ChildHandlers {
  onOutput(chunk: Uint8Array): void;
  onLog?(line: string): void;
  onFault?(f: ChildFaultReport): void;
  /** The image refused a configuration table (its own control block, as soon as it reads on). */
  onRefusal?(r: ChildRefusal): void;
}

/** CPU time (user + system, ms) of a live process from /proc, or NaN where /proc is absent. */
export function procCpuMs(pid: number): number {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100 on Linux)
  } catch { return NaN; }
}

export class ObcChild {
  readonly proc: ChildProcess;
  readonly log: string[] = [];
  stats: ChildStats | null = null;
  /** Set when the image refused a configuration table and exports the refusal (flight.ts). */
  refusal: ChildRefusal | null = null;
  outBytes = 0;
  busBytes = 0;
  /** Last time (performance.now) the child produced output or consumed input (a write drained). */
  lastProgress = performance.now();
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
  exit: { code: number | null; signal: string | null } | null = null;
  private writeError: Error | null = null;
  private errTail = "";

  /** faults: applied at fixed bus offsets; faultFile: a JSON list of ChildFault the parent extends while the child runs; flashDir: the "/flash" preopen. */
  constructor(imagePath: string, h: ChildHandlers, o: { faults?: ChildFault[]; faultFile?: string; flashDir?: string } = {}) {
    const env: Record<string, string> = { ...process.env as Record<string, string>, TENGRI_OBC_CTL: "3" };
    delete env.TENGRI_OBC_FAULTS;
    delete env.TENGRI_OBC_FAULT_FILE;
    delete env.TENGRI_OBC_FLASH;
    // flashDir: the emulated payload flash, the WASI preopen "/flash" of the image (none without it).
    if (o.flashDir) env.TENGRI_OBC_FLASH = o.flashDir;
    if (o.faults?.length) env.TENGRI_OBC_FAULTS = JSON.stringify(o.faults);
    if (o.faultFile) env.TENGRI_OBC_FAULT_FILE = o.faultFile;
    this.proc = spawn(process.execPath, [...CHILD_NODE_FLAGS, "--no-warnings", CHILD, imagePath], { stdio: ["pipe", "pipe", "pipe", "pipe"], env });
    const p = this.proc;
    p.stdout!.on("data", (c: Buffer) => { this.outBytes += c.length; this.lastProgress = performance.now(); h.onOutput(c); });
    p.stderr!.setEncoding("utf8");
    p.stderr!.on("data", (s: string) => {
      this.errTail += s;
      let i;
      while ((i = this.errTail.indexOf("\n")) >= 0) {
        const line = this.errTail.slice(0, i);
        this.errTail = this.errTail.slice(i + 1);
        if (this.log.length < 10000) this.log.push(line);
        h.onLog?.(line);
      }
    });
    const ctl = p.stdio[3] as Readable;
    let ctlTail = "";
    ctl.setEncoding("utf8");
    ctl.on("data", (s: string) => {
      ctlTail += s;
      let i;
      while ((i = ctlTail.indexOf("\n")) >= 0) {
        const m = JSON.parse(ctlTail.slice(0, i));
        ctlTail = ctlTail.slice(i + 1);
        if (m.type === "stats") this.stats = m as ChildStats;
        else if (m.type === "refusal") { this.refusal = m as ChildRefusal; h.onRefusal?.(this.refusal); }
        else if (m.type === "fault") h.onFault?.(m as ChildFaultReport);
      }
    });
    ctl.on("error", () => undefined);
    p.stdin!.on("error", (e) => { this.writeError = e; });
    this.exited = new Promise((res) => p.on("close", (code, signal) => {
      if (this.errTail) { this.log.push(this.errTail); this.errTail = ""; }
      this.exit = { code, signal };
      res(this.exit);
    }));
  }

  get alive(): boolean { return this.exit === null && this.proc.exitCode === null && this.proc.signalCode === null && !this.writeError; }

  /** Writes one record; resolves when the pipe accepts more (or the child is gone: then false). */
  async write(r: Uint8Array): Promise<boolean> {
    if (!this.alive) return false;
    this.busBytes += r.length;
    if (!this.proc.stdin!.write(r)) {
      await Promise.race([once(this.proc.stdin!, "drain").catch(() => undefined), this.exited]);
      this.lastProgress = performance.now();
    }
    return this.alive;
  }

  /** True while the stdin pipe holds data the child has not read. */
  get inputPending(): boolean { return (this.proc.stdin?.writableLength ?? 0) > 0 || (this.proc.stdin?.writableNeedDrain ?? false); }

  end(): void { if (!this.proc.stdin!.destroyed) this.proc.stdin!.end(); }

  kill(): void { if (this.exit === null) this.proc.kill("SIGKILL"); }

  cpuMs(): number { return this.proc.pid ? procCpuMs(this.proc.pid) : NaN; }
}
