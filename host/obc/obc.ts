// The emulated on-board computer: boots a verified flight image in a child process under
// node:wasi, streams bus records into its stdin (with back-pressure) and CADUs out of its
// stdout, so a pass of any length runs in bounded host memory. A trap or unexpected exit is
// an OBC crash.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Profile } from "../profiles/index.ts";
import { verifyImage } from "./image.ts";

const CHILD = fileURLToPath(new URL("./wasi-child.mjs", import.meta.url));

export const EXIT_OK = 0;
export const EXIT_NO_CONFIG = 2;
export const EXIT_IO = 3;
export const EXIT_TRAP = 70;

export class ObcCrashError extends Error {
  constructor(readonly exitCode: number | null, readonly signal: string | null, readonly log: string[]) {
    super(exitCode === EXIT_TRAP ? `OBC crash: the flight image trapped (${log.filter((l) => l.includes("TRAP")).join("; ")})` : `OBC crash: the flight image exited with ${exitCode ?? signal}`);
    this.name = "ObcCrashError";
  }
}
export class ObcConfigError extends Error {
  constructor(readonly log: string[]) {
    super(`the flight image refused its configuration: ${log.filter((l) => l.includes("refused") || l.includes("configuration")).join("; ")}`);
    this.name = "ObcConfigError";
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
}

export interface RunResult { exitCode: number; log: string[]; busBytes: number; outBytes: number; wallS: number }

export async function runImage(o: RunOptions): Promise<RunResult> {
  verifyImage(o.image, o.profile);
  const dir = mkdtempSync(join(tmpdir(), "tengri-obc-"));
  const imgPath = join(dir, "image.bin");
  writeFileSync(imgPath, o.image);
  const t0 = performance.now();
  const child = spawn(process.execPath, ["--no-warnings", CHILD, imgPath], { stdio: ["pipe", "pipe", "pipe"] });
  const log: string[] = [];
  let outBytes = 0, busBytes = 0, errTail = "";
  child.stdout.on("data", (c: Buffer) => { outBytes += c.length; o.onOutput(c); });
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (s: string) => {
    errTail += s;
    let i;
    while ((i = errTail.indexOf("\n")) >= 0) {
      const line = errTail.slice(0, i);
      errTail = errTail.slice(i + 1);
      if (log.length < 10000) log.push(line);
      o.onLog?.(line);
    }
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((res) => child.on("close", (code, signal) => res({ code, signal })));
  let writeError: Error | null = null;
  child.stdin.on("error", (e) => { writeError = e; });
  try {
    for await (const r of o.records as AsyncIterable<Uint8Array>) {
      if (writeError || child.exitCode !== null) break;
      busBytes += r.length;
      if (!child.stdin.write(r)) await Promise.race([once(child.stdin, "drain").catch(() => undefined), exited]);
    }
  } finally {
    child.stdin.end();
  }
  const { code, signal } = await exited;
  rmSync(dir, { recursive: true, force: true });
  if (errTail) log.push(errTail);
  const wallS = (performance.now() - t0) / 1000;
  if (code === EXIT_NO_CONFIG) throw new ObcConfigError(log);
  if (code !== EXIT_OK) throw new ObcCrashError(code, signal, log);
  return { exitCode: code, log, busBytes, outBytes, wallS };
}
