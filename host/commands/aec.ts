// `tengri aec`: a drop-in for libaec's `aec` tool, running the flight CCSDS 121.0-B-3 encoder
// (build/lib.wasm) and the independent ground decoder (host/ground/aec121-decoder.ts).
//   tengri aec [-d] [-n BITS] [-j BLOCK] [-r RSI] [-s] [-N] [-t] [-p] [-m] [-3] [-b SIZE] INFILE OUTFILE
// Both directions stream: INFILE is read and OUTFILE written in chunks (memory does not grow with
// the file; INFILE may be a pipe). Encoding reads the file's bytes straight into the flight
// coder's input buffer (byte order swapped natively for -m); samples stored in another width than
// the coder's containers (1 byte, 3 bytes with -3) are unpacked in WebAssembly (aec121Unpack):
// no JavaScript loop per sample when encoding. Decoding packs samples by typed-array copies,
// except 3-byte storage (-3 -d), packed value by value.
// Defaults and meaning as aec 1.0.6: n = 8, J = 8, RSI = 2, preprocessing on, samples stored
// little-endian in 1 (n <= 8), 2 (n <= 16), 3 (n <= 24 with -3) or 4 bytes. -b is accepted and
// ignored. Exit codes: 0 success, 1 usage or decoding error, 99 input/output file error,
// 255 invalid option value (aec's "initialization failed").
import { closeSync, existsSync, fstatSync, openSync, readSync, writeSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadFlightLib, type FlightLib } from "../obc/lib.ts";
import { checkOutputFile, displayPath, ioReason } from "./usage.ts";

const LIB_WASM = fileURLToPath(new URL("../../build/lib.wasm", import.meta.url));
import { Aec121StreamDecoder, Aec121DecodeError, type Aec121Options } from "../ground/aec121-decoder.ts";

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
interface Carved { state: number; inPtr: number; outPtr: number; outCap: number; stagePtr: number }
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
      const stagePtr = lib.alloc(CHUNK * 4); // stored samples of another width, unpacked in WASM
      c = { state, inPtr, outPtr, outCap, stagePtr };
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

  /**
   * Code a file's worth of stored samples as one unit, streaming: `read` fills a buffer and
   * returns the bytes it put there (0 at the end), `write` takes each piece of output (a view
   * into the library's memory, valid until the next call). A partial sample at the end of the
   * input is ignored (as the aec tool does). Returns the output length.
   */
  encodeStream(st: SampleStorage, read: (into: Uint8Array) => number, write: (bytes: Uint8Array) => void): number {
    const e = this.lib.exports;
    const c = this.c;
    check(e.aec121Init(c.state, this.opts.bitsPerSample, this.opts.blockSize, this.opts.rsi, this.flags()));
    const b = st.bytes;
    // 2- and 4-byte samples are read straight into the coder's input (the samples' own width);
    // 1- and 3-byte samples (or 4 bytes into 16-bit containers) are read into a staging buffer
    // in the library's memory and unpacked there (aec121Unpack): no loop per sample here.
    const direct = (b === 2 && !this.wide) || (b === 4 && this.wide);
    let total = 0;
    for (;;) {
      const mem = this.lib.memory.buffer;
      const into = new Uint8Array(mem, direct ? c.inPtr : c.stagePtr, CHUNK * b);
      let got = 0;
      while (got < into.length) {
        const r = read(into.subarray(got));
        if (r === 0) break;
        got += r;
      }
      const cnt = Math.floor(got / b);
      if (cnt > 0) {
        if (direct) {
          if (st.msb) {
            const raw = Buffer.from(mem, c.inPtr, cnt * b);
            if (b === 2) raw.swap16(); else raw.swap32();
          }
        } else {
          check(e.aec121Unpack(c.stagePtr, b, st.msb ? 1 : 0, cnt, c.inPtr, this.wide ? 4 : 2));
        }
        const w = check(this.wide ? e.aec121Encode32(c.state, c.inPtr, cnt, c.outPtr, c.outCap) : e.aec121Encode16(c.state, c.inPtr, cnt, c.outPtr, c.outCap));
        if (w > 0) write(new Uint8Array(this.lib.memory.buffer, c.outPtr, w));
        total += w;
      }
      if (got < into.length) break;                    // end of input
    }
    const w = check(e.aec121EndUnit(c.state, c.outPtr, c.outCap));
    if (w > 0) write(new Uint8Array(this.lib.memory.buffer, c.outPtr, w));
    return total + w;
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

/** Bytes → sample values (the n low bits; upper bits are ignored by the encoder). A JavaScript
 *  reference for the tests and the library API; `tengri aec` unpacks in WebAssembly. */
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

/** Sample values → bytes as packSamples() gives them, with typed-array copies (no loop per
 *  sample) for 1-, 2- and 4-byte storage. */
export function packSamplesFast(samples: Uint32Array | Int32Array, st: SampleStorage, scratch?: { buf: ArrayBuffer }): Uint8Array {
  const b = st.bytes;
  if (b === 3) return packSamples(samples, st);
  // a typed-array copy wraps each value modulo 2^(8b): the two's complement of a negative value
  const len = samples.length * b;
  let ab: ArrayBuffer;
  if (scratch) {
    if (scratch.buf.byteLength < len) scratch.buf = new ArrayBuffer(len);
    ab = scratch.buf;
  } else ab = new ArrayBuffer(len);
  const out = b === 1 ? new Uint8Array(ab, 0, samples.length) : b === 2 ? new Uint16Array(ab, 0, samples.length) : new Uint32Array(ab, 0, samples.length);
  out.set(samples);
  const bytes = Buffer.from(ab, 0, len);
  if (st.msb && b === 2) bytes.swap16();
  else if (st.msb && b === 4) bytes.swap32();
  return bytes;
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
  let fdIn: number;
  try {
    fdIn = openSync(a.input, "r");
    if (fstatSync(fdIn).isDirectory()) { closeSync(fdIn); throw Object.assign(new Error("is a directory"), { code: "EISDIR" }); }
  } catch (e) {
    process.stderr.write(`tengri aec: cannot open input file ${ioReason(e as NodeJS.ErrnoException, a.input)}\n`);
    return 99;
  }
  try {
    return streamAec(a, fdIn);
  } finally {
    closeSync(fdIn);
  }
}

/** Input read in chunks of this many bytes at most (decoding); encoding reads CHUNK samples. */
const READ_CHUNK = 1 << 18;
/** Samples the decoder hands out per call at most: bounds its memory whatever the input. */
const DECODE_SAMPLES_PER_CALL = 1 << 20;

class AecIoError extends Error {
  constructor(readonly which: "input" | "output", readonly cause: NodeJS.ErrnoException) { super(cause.message); }
}

function streamAec(a: AecArgs, fdIn: number): number {
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
  let enc: FlightAec121Encoder | null = null;
  if (!a.decode) {
    try {
      enc = new FlightAec121Encoder(loadFlightLib(), opts);
    } catch (e) {
      if (e instanceof Aec121FlightError) { process.stderr.write(`tengri aec: ${e.message}\n`); return 255; }
      throw e;
    }
  }
  let fdOut: number;
  try {
    fdOut = openSync(a.output, "w");
  } catch (e) {
    process.stderr.write(`tengri aec: cannot open output file ${ioReason(e as NodeJS.ErrnoException, a.output)}\n`);
    return 99;
  }
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const read = (into: Uint8Array): number => {
    for (;;) {
      try { return readSync(fdIn, into, 0, into.length, null); } catch (e) {
        // a non-blocking pipe with nothing in it yet: wait a little for its writer
        if ((e as NodeJS.ErrnoException).code === "EAGAIN") { Atomics.wait(pause, 0, 0, 5); continue; }
        throw new AecIoError("input", e as NodeJS.ErrnoException);
      }
    }
  };
  const write = (bytes: Uint8Array): void => {
    try {
      for (let off = 0; off < bytes.length;) off += writeSync(fdOut, bytes, off, bytes.length - off);
    } catch (e) { throw new AecIoError("output", e as NodeJS.ErrnoException); }
  };
  try {
    if (enc) {
      try {
        enc.encodeStream(st, read, write);
      } catch (e) {
        if (e instanceof Aec121FlightError) { process.stderr.write(`tengri aec: ${e.message}\n`); return 255; }
        throw e;
      }
      return 0;
    }
    // like aec 1.0.6: without postprocessing, signed samples are written as n-bit patterns
    // (decoded as unsigned, which is what they are without the postprocessor)
    const dec = new Aec121StreamDecoder({ ...opts, signed: a.signed && a.preprocess },
      { maxSamples: Number.MAX_SAFE_INTEGER, expectedSamples: 1 << 16, samplesPerCall: DECODE_SAMPLES_PER_CALL, outputViews: true });
    const chunk = new Uint8Array(READ_CHUNK);
    const scratch = { buf: new ArrayBuffer(0) };
    try {
      for (;;) {
        const got = read(chunk);
        if (got === 0) break;
        write(packSamplesFast(dec.push(chunk.subarray(0, got)), st, scratch));
        while (dec.hasMore) write(packSamplesFast(dec.resume(), st, scratch));
      }
      write(packSamplesFast(dec.end(), st, scratch));
    } catch (e) {
      if (e instanceof Aec121DecodeError) {
        process.stderr.write(`tengri aec: ${e.message}\n`);
        try { write(packSamplesFast(e.samples, st)); } catch { /* the decoding error is the one reported */ }
        return 1;
      }
      throw e;
    }
    return 0;
  } catch (e) {
    if (e instanceof AecIoError) {
      process.stderr.write(`tengri aec: ${e.which === "input" ? `cannot read input file ${ioReason(e.cause, a.input)}` : `cannot write output file ${ioReason(e.cause, a.output)}`}\n`);
      return 99;
    }
    throw e;
  } finally {
    closeSync(fdOut);
  }
}

// Direct use: `npx tsx host/commands/aec.ts ARGS`
if (import.meta.url === `file://${process.argv[1]}`) {
  aecCommand(process.argv.slice(2)).then((rc) => process.exit(rc));
}
