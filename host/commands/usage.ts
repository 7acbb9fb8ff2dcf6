// Ordinary mistakes on the command line, told in one line with the documented exit code and
// never a stack trace: the error classes every command throws, and the checks of input and
// output paths and numbers they share.
//
// Exit codes (README "Command line"): 0 success, 1 failure, 2 bad usage, 3 the flight image
// refused its configuration or crashed, or the image file was refused.
//
// Files, one rule for every command (a file that cannot be read or written is a failure, exit 1,
// with the option and the path named; tengri aec keeps libaec's 99):
//   input FILE: must exist and be readable; a directory is refused.
//   -o FILE (and --frames-out, --packets-out, OUTFILE): an existing regular file is overwritten,
//     as the shell's `>` does; a directory, a folder that does not exist or a place that cannot
//     be written is refused before any work is done.
//   --out DIR: created with its parents if missing; files of the same names in it are
//     overwritten; an existing path that is not a directory, or one that cannot be written, is
//     refused before the pass runs.
import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { parseArgs } from "node:util";

/** Bad usage: exit 2. The message names the option. */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) { super(message); this.name = "UsageError"; }
}

/** A failure that is not a usage error (exit 1 unless told otherwise): an I/O error, nothing decoded. */
export class CliFailure extends Error {
  constructor(message: string, readonly exitCode = 1) { super(message); this.name = "CliFailure"; }
}

const shown = (p: string) => {
  const r = relative(process.cwd(), resolve(p));
  return r && !r.startsWith("..") ? r : p;
};

/** A number option: integer or not, in [min, max]; "--lines must be ≥ 1, got -5". */
export function numberOption(v: string | undefined, name: string, def: number, o: { min?: number; max?: number; integer?: boolean } = {}): number {
  if (v === undefined) return def;
  const opt = name.startsWith("-") ? name : `--${name}`;
  const x = v.trim() === "" ? NaN : Number(v);
  const { min = -Infinity, max = Infinity, integer = false } = o;
  const range = min > -Infinity && max < Infinity ? `in ${min}..${max}` : min > -Infinity ? `≥ ${min}` : max < Infinity ? `≤ ${max}` : "";
  const kind = integer ? "a whole number" : "a number";
  if (!Number.isFinite(x)) throw new UsageError(`${opt} must be ${kind}${range ? ` ${range}` : ""}, got "${v}"`);
  if (integer && !Number.isInteger(x)) throw new UsageError(`${opt} must be ${kind}${range ? ` ${range}` : ""}, got "${v}"`);
  if (x < min) throw new UsageError(`${opt} must be ≥ ${min}, got ${v}`);
  if (x > max) throw new UsageError(`${opt} must be ≤ ${max}, got ${v}`);
  return x;
}

/** Reads an input file; a missing file, a directory or an unreadable one is a usage error naming `what`. */
export function readInput(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new CliFailure(`${what}: ${ioReason(e as NodeJS.ErrnoException, path)}`);
  }
}

/** The flight build a command needs: a missing one says how to make it. */
export function readBuild(path: string): Buffer {
  if (!existsSync(path)) throw new CliFailure(`${shown(path)} not found: run npm run build`);
  return readInput(path, shown(path));
}

export function ioReason(e: NodeJS.ErrnoException, path: string): string {
  const p = shown(path);
  switch (e.code) {
    case "ENOENT": return `${p}: no such file (ENOENT)`;
    case "EISDIR": return `${p} is a directory (EISDIR)`;
    case "ENOTDIR": return `${p}: a part of the path is not a directory (ENOTDIR)`;
    case "EACCES": case "EPERM": return `${p}: permission denied (${e.code})`;
    case "EROFS": return `${p}: read-only file system (EROFS)`;
    case "ENOSPC": return `${p}: no space left on the device (ENOSPC)`;
    default: return `${p}: ${e.code ?? ""} ${e.message}`.trim();
  }
}

/** Checks, before any work, that FILE can be written under the rule above. */
export function checkOutputFile(path: string, option: string): void {
  if (path === "") throw new CliFailure(`${option}: an empty path`);
  const p = shown(path);
  let st;
  try { st = statSync(path); } catch { st = null; }
  if (st?.isDirectory()) throw new CliFailure(`${option} ${p} is a directory: give a file name`);
  if (st) {
    try { accessSync(path, constants.W_OK); } catch { throw new CliFailure(`${option} ${p}: cannot be written (permission denied)`); }
    return;
  }
  const dir = dirname(resolve(path));
  let ds;
  try { ds = statSync(dir); } catch { ds = null; }
  if (!ds) throw new CliFailure(`${option} ${p}: folder ${shown(dir)} does not exist`);
  if (!ds.isDirectory()) throw new CliFailure(`${option} ${p}: ${shown(dir)} is not a folder`);
  try { accessSync(dir, constants.W_OK); } catch { throw new CliFailure(`${option} ${p}: folder ${shown(dir)} cannot be written (permission denied)`); }
}

/** Checks, before any work, that DIR exists or can be made, and can be written. Creates it. */
export function prepareOutputDir(path: string, option: string): void {
  if (path === "") throw new CliFailure(`${option}: an empty path`);
  const p = shown(path);
  let st;
  try { st = statSync(path); } catch { st = null; }
  if (st && !st.isDirectory()) throw new CliFailure(`${option} ${p} exists and is not a folder`);
  if (!st) {
    try { mkdirSync(path, { recursive: true }); } catch (e) { throw new CliFailure(`${option} ${p}: cannot be created (${ioReason(e as NodeJS.ErrnoException, path)})`); }
  }
  try { accessSync(path, constants.W_OK); } catch { throw new CliFailure(`${option} ${p}: cannot be written (permission denied)`); }
}

/** Where the user sees a path: relative to the working directory when inside it. */
export function displayPath(path: string): string { return shown(path); }

/** Options parsed by node:util parseArgs that a command does not know: named, exit 2. */
export function parseArgsError(e: unknown, command: string): UsageError | null {
  const err = e as { code?: string; message?: string };
  if (typeof err?.code !== "string" || !err.code.startsWith("ERR_PARSE_ARGS")) return null;
  const m = /Unknown option '([^']+)'/.exec(err.message ?? "");
  if (m) return new UsageError(`unknown option ${m[1]} (tengri ${command} --help lists the options)`);
  const v = /Option '([^']+)'.*argument missing/.exec(err.message ?? "");
  if (v) return new UsageError(`${v[1].replace(/ <value>$/, "")} needs a value`);
  const pos = /Unexpected argument '([^']+)'/.exec(err.message ?? "");
  if (pos) return new UsageError(`unexpected argument "${pos[1]}" (tengri ${command} --help)`);
  return new UsageError((err.message ?? "bad arguments").split("\n")[0]);
}

type OptSpec = Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }>;

/** Joins `--opt -5` into `--opt=-5` for string options, so a negative number reaches the range check. */
function joinNegatives(args: string[], options: OptSpec): string[] {
  const takesValue = new Map<string, string>();
  for (const [k, s] of Object.entries(options)) if (s.type === "string") { takesValue.set(`--${k}`, k); if (s.short) takesValue.set(`-${s.short}`, k); }
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--") { out.push(...args.slice(i)); break; }
    const long = takesValue.get(a);
    if (long && i + 1 < args.length && /^-(\d|\.\d|Infinity|inf)/i.test(args[i + 1])) { out.push(`--${long}=${args[i + 1]}`); i++; continue; }
    out.push(a);
  }
  return out;
}

/** node:util parseArgs, with every failure a UsageError naming the option. */
export function parseOptions<T extends OptSpec>(command: string, args: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args: joinNegatives(args, options), options, allowPositionals, strict: true });
  } catch (e) {
    const u = parseArgsError(e, command);
    if (u) throw u;
    throw e;
  }
}
