// The emulated on-board computer: boots a verified flight image in a child process under
// node:wasi, streams bus records into its stdin (with back-pressure) and CADUs out of its
// stdout, so a pass of any length runs in bounded host memory. A trap or unexpected exit is
// an OBC crash.
import { writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Profile } from "../profiles/index.ts";
import { verifyImage } from "./image.ts";
import { ObcChild, type ChildStats } from "./child.ts";
import { FlightStatusError } from "../contract/flight.ts";
import type { ChildRefusal } from "./child.ts";


export const EXIT_OK = 0;
export const EXIT_NO_CONFIG = 2;
export const EXIT_IO = 3;
export const EXIT_TRAP = 70;
/** A scripted spontaneous reset (fault injection). */
export const EXIT_RESET = 71;
/**
 * The image asks to be rebooted (it wrote /flash/boot-request first): the OBC hands over to the
 * bootloader (host/boot) and boots what it chooses. Only runSupervised with a flash directory
 * does that; runImage reports it as an exit the OBC cannot serve.
 */
export const EXIT_REBOOT = 72;

export class ObcCrashError extends Error {
  constructor(readonly exitCode: number | null, readonly signal: string | null, readonly log: string[]) {
    super(exitCode === EXIT_TRAP ? `OBC crash: the flight image trapped (${log.filter((l) => l.includes("TRAP")).join("; ")})`
      : exitCode === EXIT_REBOOT ? `the flight image asked for a reboot into an uploaded image (exit ${EXIT_REBOOT}): only an OBC with a flash directory and its bootloader can serve it`
      : `OBC crash: the flight image exited with ${exitCode ?? signal}`);
    this.name = "ObcCrashError";
  }
}
/**
 * The flight image ended without a configuration it accepted. `status` is the image's own refusal,
 * typed (status by name, field, value found, values allowed), read from the control block it
 * exports; null only for an image that exports none (then the log is all there is).
 */
export class ObcConfigError extends Error {
  readonly status: FlightStatusError | null;
  constructor(readonly log: string[], refusal: ChildRefusal | null = null, bands?: number) {
    const status = refusal ? new FlightStatusError(refusal.status, refusal, bands) : null;
    super(`the flight image refused its configuration: ${status ? status.message : `no table was accepted, and the image exports no refusal block (its last log line: ${log[log.length - 1] ?? "none"})`}`);
    this.name = "ObcConfigError";
    this.status = status;
  }
}

export interface RunOptions {
  /** The flashed image file contents. */
  image: Uint8Array;
  profile: Profile;
  /** Bus records, in order; the first must be the configuration table. */
  records: Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
  /** Called with each chunk of the transmitter's output (CADU stream). */
  onOutput(chunk: Uint8Array): void;
  /** Called with each event-log line. */
  onLog?(line: string): void;
  /** The emulated payload flash: a directory the image gets as its WASI preopen "/flash" (none without it). */
  flashDir?: string;
}

export interface RunResult {
  exitCode: number; log: string[]; busBytes: number; outBytes: number; wallS: number;
  /** The image's processing time against the line period (when lines were counted). */
  timing: ObcTiming | null;
}

/**
 * Where the image's time went, measured inside its process (wasi-child.mjs wraps fd_read):
 * busy = between returning from one bus read and entering the next (parsing, packetizing,
 * framing, RS, writing CADUs); wait = blocked on the bus. CPU from the process itself
 * (process.cpuUsage: node start-up and compilation included).
 */
export interface ObcTiming {
  runtime: string;
  busyMs: number; waitMs: number; wallMs: number; cpuMs: number; reads: number; maxBusyPerReadMs: number;
}

export function runtimeName(s: { node: string; v8: string; execArgv: string[] }): string {
  return `node ${s.node} (V8 ${s.v8}), node:wasi preview1, default tiering (Liftoff baseline, TurboFan tier-up)${s.execArgv.length ? ", flags " + s.execArgv.join(" ") : ""}`;
}

export function timingOf(s: ChildStats | null): ObcTiming | null {
  if (!s) return null;
  return { runtime: runtimeName(s), busyMs: s.busyMs, waitMs: s.waitMs, wallMs: s.wallMs, cpuMs: (s.cpu.user + s.cpu.system) / 1000, reads: s.reads, maxBusyPerReadMs: s.maxBusyMs };
}

/**
 * Real-time margin: 1 − (mean processing time per line / line period); negative: the OBC falls
 * behind. Processing time is the child's CPU time (user + system): the time between bus reads
 * would also count the image blocked on a full output pipe while a slow ground station reads it.
 * It includes V8's compilation of the module, so short passes understate the margin.
 */
export function realTimeMargin(t: ObcTiming, lines: number, lineRateHz: number): { perLineMs: number; linePeriodMs: number; margin: number } {
  const perLineMs = lines > 0 ? Math.min(t.cpuMs, t.busyMs) / lines : NaN;
  const linePeriodMs = 1000 / lineRateHz;
  return { perLineMs, linePeriodMs, margin: 1 - perLineMs / linePeriodMs };
}

export async function runImage(o: RunOptions): Promise<RunResult> {
  verifyImage(o.image, o.profile);
  const dir = mkdtempSync(join(tmpdir(), "tengri-obc-"));
  const imgPath = join(dir, "image.bin");
  writeFileSync(imgPath, o.image);
  const t0 = performance.now();
  const child = new ObcChild(imgPath, { onOutput: o.onOutput, onLog: o.onLog }, { flashDir: o.flashDir });
  try {
    for await (const r of o.records as AsyncIterable<Uint8Array>) {
      if (!(await child.write(r))) break;
    }
  } finally {
    child.end();
  }
  const { code, signal } = await child.exited;
  rmSync(dir, { recursive: true, force: true });
  const log = child.log;
  const wallS = (performance.now() - t0) / 1000;
  if (code === EXIT_NO_CONFIG) throw new ObcConfigError(log, child.refusal, o.profile.sensor.bands.length);
  if (code !== EXIT_OK) throw new ObcCrashError(code, signal, log);
  return { exitCode: code, log, busBytes: child.busBytes, outBytes: child.outBytes, wallS, timing: timingOf(child.stats) };
}
