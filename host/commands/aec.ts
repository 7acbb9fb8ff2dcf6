// `tengri aec`: a drop-in for libaec's `aec` tool, running the flight CCSDS 121.0-B-3 encoder
// (build/lib.wasm) and the independent ground decoder (host/ground/aec121-decoder.ts).
//   tengri aec [-d] [-n BITS] [-j BLOCK] [-r RSI] [-s] [-N] [-t] [-p] [-m] [-3] [-b SIZE] INFILE OUTFILE
// Defaults and meaning as aec 1.0.6: n = 8, J = 8, RSI = 2, preprocessing on, samples stored
// little-endian in 1 (n <= 8), 2 (n <= 16), 3 (n <= 24 with -3) or 4 bytes. -b is accepted and
// ignored. Exit codes: 0 success, 1 usage or decoding error, 99 input/output file error,
// 255 invalid option value (aec's "initialization failed").
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadFlightLib, type FlightLib } from "../obc/lib.ts";
import { checkOutputFile, displayPath, ioReason } from "./usage.ts";

const LIB_WASM = fileURLToPath(new URL("../../build/lib.wasm", import.meta.url));
import { aec121Decode, Aec121DecodeError, type Aec121Options } from "../ground/aec121-decoder.ts";

/** Option flag bits of the flight encoder (libaec's values). */
export const AEC121_FLAG = { signed: 1, preprocess: 8, restricted: 16, padRsi: 32 } as const;

/** Flight status codes of the -500 block (assembly/abi/status.ts). */
const AEC_STATUS: Record<number, { option: string; what: string }> = {
  [-501]: { option: "bitsPerSample", what: "bits per sample must be 1..32" },
  [-502]: { option: "blockSize", what: "block size must be 8, 16, 32 or 64" },
  [-503]: { option: "rsi", what: "reference sample interval must be 1..4096 blocks" },
  [-504]: { option: "restricted", what: "restricted code options need bits per sample <= 4" },
  [-505]: { option: "flags", what: "unknown option flags" },
  [-506]: { option: "state", what: "encoder state not initialised or wrong sample width" },
};

/** A flight encoder call returned an error status. */
export class Aec121FlightError extends Error {
  constructor(readonly status: number, readonly option: string | null, what: string) {
    super(`CCSDS 121 flight encoder: ${what} (status ${status})`);
    this.name = "Aec121FlightError";
  }
}

function check(status: number): number {
  if (status >= 0) return status;
  const s = AEC_STATUS[status];
  throw new Aec121FlightError(status, s?.option ?? null, s?.what ?? "error");
}

const CHUNK = 1 << 16; // samples per encoder call
interface Carved { state: number; inPtr: number; outPtr: number; outCap: number }
const carved = new WeakMap<FlightLib, Carved>();

/** The flight encoder driven from the host: one unit per encode() call. */
export class FlightAec121Encoder {
  private readonly c: Carved;
  private readonly wide: boolean;
  constructor(readonly lib: FlightLib, readonly opts: Aec121Options) {
    let c = carved.get(lib);
    if (!c) {
      const e = lib.exports;
      const state = lib.alloc(e.aec121StateLen());
      const inPtr = lib.alloc(CHUNK * 4);
      const outCap = CHUNK * 4 * 2 + 4096; // >= aec121MaxOutLen(CHUNK) for any configuration
      const outPtr = lib.alloc(outCap);
      c = { state, inPtr, outPtr, outCap };
      carved.set(lib, c);
    }
    this.c = c;
    this.wide = opts.bitsPerSample > 16;
    const flags = (opts.signed ? AEC121_FLAG.signed : 0) | ((opts.preprocess ?? true) ? AEC121_FLAG.preprocess : 0)
      | (opts.restricted ? AEC121_FLAG.restricted : 0) | (opts.padRsi ? AEC121_FLAG.padRsi : 0);
    check(lib.exports.aec121Init(c.state, opts.bitsPerSample, opts.blockSize, opts.rsi, flags));
  }

  /** Code the samples (n low bits of each value are used) as one independent unit. */
  encode(samples: ArrayLike<number>): Uint8Array {
    const e = this.lib.exports;
    const c = this.c;
    check(e.aec121Init(c.state, this.opts.bitsPerSample, this.opts.blockSize, this.opts.rsi, this.flags()));
    const parts: Uint8Array[] = [];
    let total = 0;
    for (let off = 0; off < samples.length; off += CHUNK) {
      const cnt = Math.min(CHUNK, samples.length - off);
      const mem = this.lib.memory.buffer;
      if (this.wide) {
        const v = new Uint32Array(mem, c.inPtr, cnt);
        for (let i = 0; i < cnt; i++) v[i] = samples[off + i];
      } else {
        const v = new Uint16Array(mem, c.inPtr, cnt);
        for (let i = 0; i < cnt; i++) v[i] = samples[off + i];
      }
      const w = check(this.wide ? e.aec121Encode32(c.state, c.inPtr, cnt, c.outPtr, c.outCap) : e.aec121Encode16(c.state, c.inPtr, cnt, c.outPtr, c.outCap));
      parts.push(this.lib.u8().slice(c.outPtr, c.outPtr + w));
      total += w;
    }
    const w = check(e.aec121EndUnit(c.state, c.outPtr, c.outCap));
    parts.push(this.lib.u8().slice(c.outPtr, c.outPtr + w));
    total += w;
    const out = new Uint8Array(total);
    let p = 0;
    for (const part of parts) { out.set(part, p); p += part.length; }
    return out;
  }

  private flags(): number {
    const o = this.opts;
    return (o.signed ? AEC121_FLAG.signed : 0) | ((o.preprocess ?? true) ? AEC121_FLAG.preprocess : 0)
      | (o.restricted ? AEC121_FLAG.restricted : 0) | (o.padRsi ? AEC121_FLAG.padRsi : 0);
  }
}

/** Sample storage of the aec tool: bytes per sample, byte order. */
export interface SampleStorage { bytes: number; msb: boolean; signed: boolean; bits: number }

export function storageFor(bits: number, opts: { msb?: boolean; threeByte?: boolean; signed?: boolean }): SampleStorage {
  const bytes = bits <= 8 ? 1 : bits <= 16 ? 2 : bits <= 24 && opts.threeByte ? 3 : 4;
  return { bytes, msb: !!opts.msb, signed: !!opts.signed, bits };
}

/** Bytes → sample values (the n low bits; upper bits are ignored by the encoder). */
export function unpackSamples(data: Uint8Array, st: SampleStorage): Uint32Array {
  const cnt = Math.floor(data.length / st.bytes);
  const out = new Uint32Array(cnt);
  const b = st.bytes;
  for (let i = 0, p = 0; i < cnt; i++, p += b) {
    let v = 0;
    if (st.msb) for (let j = 0; j < b; j++) v = v * 256 + data[p + j];
    else for (let j = b - 1; j >= 0; j--) v = v * 256 + data[p + j];
    out[i] = v;
  }
  return out;
}

/** Sample values → bytes; signed values are written sign-extended over the storage width. */
export function packSamples(samples: ArrayLike<number>, st: SampleStorage): Uint8Array {
  const b = st.bytes;
  const out = new Uint8Array(samples.length * b);
  const mod = 2 ** (8 * b);
  for (let i = 0, p = 0; i < samples.length; i++, p += b) {
    let v = samples[i];
    if (v < 0) v += mod;
    for (let j = 0; j < b; j++) {
      const byte = v % 256;
      v = Math.floor(v / 256);
      out[st.msb ? p + b - 1 - j : p + j] = byte;
    }
  }
  return out;
}

function toPatterns(y: ArrayLike<number>, bits: number): number[] {
  const out = new Array<number>(y.length);
  for (let i = 0; i < y.length; i++) out[i] = y[i] < 0 ? y[i] + 2 ** bits : y[i];
  return out;
}

export class AecUsageError extends Error {
  constructor(readonly option: string | null, what: string) { super(what); this.name = "AecUsageError"; }
}

export interface AecArgs {
  decode: boolean; bits: number; blockSize: number; rsi: number;
  signed: boolean; preprocess: boolean; restricted: boolean; padRsi: boolean; msb: boolean; threeByte: boolean;
  input: string; output: string;
}

const USAGE = `usage: tengri aec [-d] [-n BITS] [-j BLOCK] [-r RSI] [-s] [-N] [-t] [-p] [-m] [-3] INFILE OUTFILE
  -d  decode INFILE (default: encode)      -n  bits per sample, 1..32 (default 8)
  -j  block size 8/16/32/64 (default 8)    -r  reference sample interval in blocks, 1..4096 (default 2)
  -s  samples are signed                   -N  no preprocessing (predictor + mapper off)
  -t  restricted code options (n <= 4)     -p  pad each RSI to a byte boundary
  -m  samples stored MSB first             -3  24-bit samples stored in 3 bytes
  -b  buffer size (accepted, ignored)
OUTFILE is overwritten if it exists; its folder must exist.
Exit: 0 success, 1 usage or coding error, 99 file error, 255 bad option value (as libaec's aec).
`;

/** The flags tengri aec accepts (libaec's aec 1.0.6), for the help agreement test. */
export const AEC_FLAGS = ["-3", "-N", "-b", "-d", "-j", "-m", "-n", "-p", "-r", "-s", "-t"] as const;

/**
 * Parse aec's command line: options (values attached, -n8, or separate, -n 8; a value may be
 * negative, to be refused by its range check) and exactly two file names, INFILE then OUTFILE.
 */
export function parseAecArgs(argv: string[]): AecArgs {
  const a: AecArgs = { decode: false, bits: 8, blockSize: 8, rsi: 2, signed: false, preprocess: true, restricted: false, padRsi: false, msb: false, threeByte: false, input: "", output: "" };
  const files: string[] = [];
  let i = 0;
  const value = (opt: string): number => {
    let s: string | undefined;
    if (argv[i].length > 2) s = argv[i].slice(2);
    else { i++; s = argv[i]; if (s === undefined || (s.startsWith("-") && !/^-\d+$/.test(s))) throw new AecUsageError(opt, `option ${opt} needs a value`); }
    if (!/^-?\d+$/.test(s)) throw new AecUsageError(opt, `option ${opt}: "${s}" is not a number`);
    return Number(s);
  };
  let optionsDone = false;
  for (; i < argv.length; i++) {
    const opt = argv[i];
    if (optionsDone || !opt.startsWith("-") || opt === "-") { files.push(opt); continue; }
    if (opt === "--") { optionsDone = true; continue; }
    switch (opt[1]) {
      case "3": a.threeByte = true; break;
      case "N": a.preprocess = false; break;
      case "b": value("-b"); break;
      case "d": a.decode = true; break;
      case "j": a.blockSize = value("-j"); break;
      case "m": a.msb = true; break;
      case "n": a.bits = value("-n"); break;
      case "p": a.padRsi = true; break;
      case "r": a.rsi = value("-r"); break;
      case "s": a.signed = true; break;
      case "t": a.restricted = true; break;
      default: throw new AecUsageError(opt, `unknown option ${opt}`);
    }
  }
  if (files.length === 0) throw new AecUsageError(null, "INFILE and OUTFILE are required");
  if (files.length === 1) throw new AecUsageError(null, `OUTFILE is missing (after INFILE ${files[0]})`);
  if (files.length > 2) throw new AecUsageError(null, `one INFILE and one OUTFILE, got ${files.length} files: ${files.join(" ")}`);
  a.input = files[0];
  a.output = files[1];
  return a;
}

/** Option values checked with the names aec users know (-n, -j, -r, -t). */
export function checkAecArgs(a: AecArgs): void {
  if (!(a.bits >= 1 && a.bits <= 32)) throw new AecUsageError("-n", `-n ${a.bits}: bits per sample must be 1..32`);
  if (![8, 16, 32, 64].includes(a.blockSize)) throw new AecUsageError("-j", `-j ${a.blockSize}: block size must be 8, 16, 32 or 64`);
  if (!(a.rsi >= 1 && a.rsi <= 4096)) throw new AecUsageError("-r", `-r ${a.rsi}: reference sample interval must be 1..4096 blocks`);
  if (a.restricted && a.bits > 4) throw new AecUsageError("-t", `-t: restricted code options need -n 4 or less (-n is ${a.bits})`);
}

export async function aecCommand(argv: string[]): Promise<number> {
  let a: AecArgs;
  try {
    a = parseAecArgs(argv);
  } catch (e) {
    if (e instanceof AecUsageError) { process.stderr.write(`tengri aec: ${e.message}\n${USAGE}`); return 1; }
    throw e;
  }
  try {
    checkAecArgs(a);
  } catch (e) {
    if (e instanceof AecUsageError) { process.stderr.write(`tengri aec: ${e.message}\n`); return 255; }
    throw e;
  }
  let input: Uint8Array;
  try {
    input = readFileSync(a.input);
  } catch (e) {
    process.stderr.write(`tengri aec: cannot open input file ${ioReason(e as NodeJS.ErrnoException, a.input)}\n`);
    return 99;
  }
  // OUTFILE is checked before the work (an existing file is overwritten; its folder must exist).
  try {
    checkOutputFile(a.output, "OUTFILE");
  } catch (e) {
    process.stderr.write(`tengri aec: cannot open output file: ${(e as Error).message}\n`);
    return 99;
  }
  if (!a.decode && !existsSync(LIB_WASM)) { process.stderr.write(`tengri aec: ${displayPath(LIB_WASM)} not found: run npm run build\n`); return 99; }
  const opts: Aec121Options = { bitsPerSample: a.bits, blockSize: a.blockSize, rsi: a.rsi, signed: a.signed, preprocess: a.preprocess, restricted: a.restricted, padRsi: a.padRsi };
  const st = storageFor(a.bits, a);
  let output: Uint8Array;
  if (a.decode) {
    try {
      const y = aec121Decode(input, opts, { maxSamples: Math.min(2 ** 30, input.length * 8 * 4096 + 65536) });
      // like aec 1.0.6: without postprocessing, signed samples are written as n-bit patterns
      output = packSamples(a.preprocess ? y : toPatterns(y, a.bits), st);
    } catch (e) {
      if (e instanceof Aec121DecodeError) {
        process.stderr.write(`tengri aec: ${e.message}\n`);
        try { writeFileSync(a.output, packSamples(e.samples, st)); } catch { /* reported below */ }
        return 1;
      }
      throw e;
    }
  } else {
    try {
      const enc = new FlightAec121Encoder(loadFlightLib(), opts);
      output = enc.encode(unpackSamples(input, st));
    } catch (e) {
      if (e instanceof Aec121FlightError) { process.stderr.write(`tengri aec: ${e.message}\n`); return 255; }
      throw e;
    }
  }
  try {
    writeFileSync(a.output, output);
  } catch (e) {
    process.stderr.write(`tengri aec: cannot open output file ${ioReason(e as NodeJS.ErrnoException, a.output)}\n`);
    return 99;
  }
  return 0;
}

// Direct use: `npx tsx host/commands/aec.ts ARGS`
if (import.meta.url === `file://${process.argv[1]}`) {
  aecCommand(process.argv.slice(2)).then((rc) => process.exit(rc));
}
