// A pool of fuzz workers (child processes, one case at a time each). Every case has a time
// bound scaled to its input; a worker that does not answer within it is killed and the case
// counted as a hang — no wait is unbounded. A worker that dies is replaced.
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { CaseResult, WireCase } from "./types.ts";

const WORKER = fileURLToPath(new URL("./worker.ts", import.meta.url));

export interface PoolOptions {
  size: number;
  wasmPath: string;
  /** Bound per case: baseMs + perMiBMs per MiB of input (generous: a case normally takes milliseconds). */
  baseMs?: number;
  perMiBMs?: number;
}

interface Slot { proc: ChildProcess; ready: Promise<void>; busy: boolean; stderr: string }

export class Pool {
  private readonly slots: Slot[] = [];
  private readonly waiting: { res: (s: Slot) => void; rej: (e: Error) => void }[] = [];
  private closed = false;
  private broken: Error | null = null;
  readonly baseMs: number;
  readonly perMiBMs: number;

  constructor(private readonly o: PoolOptions) {
    this.baseMs = o.baseMs ?? 20000;
    this.perMiBMs = o.perMiBMs ?? 10000;
    for (let i = 0; i < o.size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const proc = fork(WORKER, [this.o.wasmPath], { execArgv: ["--import", "tsx", "--no-warnings", "--expose-gc"], serialization: "advanced", stdio: ["ignore", "ignore", "pipe", "ipc"] });
    const slot: Slot = { proc, busy: true, stderr: "", ready: Promise.resolve() };
    proc.stderr!.setEncoding("utf8");
    proc.stderr!.on("data", (s: string) => { slot.stderr = (slot.stderr + s).slice(-4000); });
    slot.ready = new Promise<void>((res, rej) => {
      const t = setTimeout(() => rej(new Error(`fuzz worker did not start within 60 s: ${slot.stderr}`)), 60000);
      proc.once("message", () => { clearTimeout(t); res(); });
      proc.once("exit", (code) => { clearTimeout(t); rej(new Error(`fuzz worker exited with ${code} at start: ${slot.stderr}`)); });
    });
    slot.ready.then(() => { slot.busy = false; this.release(slot); }, (e: Error) => {
      this.broken = e;
      for (const w of this.waiting.splice(0)) w.rej(e);
    });
    return slot;
  }

  private release(slot: Slot): void {
    const w = this.waiting.shift();
    if (w) { slot.busy = true; w.res(slot); } else slot.busy = false;
  }

  private acquire(): Promise<Slot> {
    const free = this.slots.find((s) => !s.busy && s.proc.exitCode === null && s.proc.signalCode === null);
    if (free) { free.busy = true; return Promise.resolve(free); }
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((res, rej) => this.waiting.push({ res, rej }));
  }

  boundMs(c: WireCase): number { return this.baseMs + Math.ceil(this.perMiBMs * c.input.length / 1048576); }

  /** Workers that died under a case and were replaced (the case was run again on a fresh one). */
  workerDeaths = 0;

  /**
   * Runs a case. A worker that dies under a case (the host process, not the image: V8 aborting
   * on its own limits) is replaced and the case run once more on a fresh worker; a second death
   * counts as the case's outcome ("other").
   */
  async run(c: WireCase): Promise<CaseResult> {
    const r = await this.runOnce(c);
    if (r.outcome === "other" && r.message?.startsWith("the worker process died") && !this.closed) {
      this.workerDeaths++;
      const again = await this.runOnce(c);
      if (!(again.outcome === "other" && again.message?.startsWith("the worker process died"))) again.retried = r.message;
      return again;
    }
    return r;
  }

  private async runOnce(c: WireCase): Promise<CaseResult> {
    if (this.closed) throw new Error("pool closed");
    const slot = await this.acquire();
    const bound = this.boundMs(c);
    const r = await new Promise<CaseResult>((res) => {
      const p = slot.proc;
      const done = (r: CaseResult) => { clearTimeout(timer); p.off("message", onMsg); p.off("close", onExit); res(r); };
      const onMsg = (m: CaseResult) => { if (m.id === c.id) done(m); };
      const onExit = (code: number | null, sig: string | null) => done({ id: c.id, outcome: "other", exit: null, ms: 0, message: `the worker process died (${sig ?? code}): ${slot.stderr.split("\n").filter(Boolean).slice(-3).join(" | ")}` });
      const timer = setTimeout(() => {
        p.off("close", onExit);
        p.kill("SIGKILL");
        done({ id: c.id, outcome: "hang", exit: null, ms: bound, message: `no exit within ${bound} ms` });
      }, bound);
      p.on("message", onMsg);
      p.once("close", onExit);
      p.send(c);
    });
    if (slot.proc.exitCode !== null || slot.proc.signalCode !== null || r.outcome === "hang" || (r.outcome === "other" && r.message?.startsWith("the worker process died"))) {
      // Replace the dead or killed worker.
      const i = this.slots.indexOf(slot);
      if (!slot.proc.killed) slot.proc.kill("SIGKILL");
      if (!this.closed) this.slots[i] = this.spawn();
    } else this.release(slot);
    return r;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => new Promise<void>((res) => {
      if (s.proc.exitCode !== null || s.proc.signalCode !== null) return res();
      s.proc.once("exit", () => res());
      s.proc.disconnect?.();
      setTimeout(() => { s.proc.kill("SIGKILL"); }, 5000).unref();
    })));
  }
}
