// `tengri ccsds122`: CCSDS 122.0-B-2 image compression with the flight encoder (build/lib.wasm,
// assembly/compress/ccsds122/), fed line by line in imager order as on board.
//   tengri ccsds122 -w WIDTH [options] INFILE OUTFILE         compress a headerless image
//   tengri ccsds122 -d INFILE OUTFILE                          decompress with the ground decoder
// The standard's parameters are flags (see USAGE). Decompression (-d) is the ground decoder's
// (host/ground/ccsds122, written independently of the flight encoder). Exit codes: 0 success,
// 1 usage error, 2 invalid parameter value, 3 a stream that does not decode, 99 file error.
import { decodeCcsds122 } from "../ground/ccsds122/decoder.ts";
import { readFileSync, writeFileSync, statSync } from "node:fs";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { loadFlightLib, type FlightLib } from "../obc/lib.ts";
import { STATUS } from "../contract/contract.gen.ts";

const LIB_WASM = fileURLToPath(new URL("../../build/lib.wasm", import.meta.url));

/** Encoder parameters, in the standard's terms (122.0-B-2 §4.2). */
export interface Ccsds122Params {
  width: number;
  bitDepth: number;
  signed: boolean;
  /** Integer (lossless possible) or Float 9/7 DWT (§3.3). */
  dwt: "integer" | "float";
  /** Blocks per segment S (§4.1), 16..65536. */
  s: number;
  /** SegByteLimit (§4.2.3.2.1): bytes per coded segment including its header; 0: no limit. */
  segByteLimit: number;
  dcStop: boolean;
  bitPlaneStop: number;
  /** StageStop 0..3 = stage 1..4 (§4.2.3.2.4). */
  stageStop: number;
  useFill: boolean;
  /** Optimum (true) or heuristic (false) code option selection (§4.3.2.11). */
  optDcSelect: boolean;
  optAcSelect: boolean;
  /** Code word length in bytes, 1..8 (§4.2.5.2.8). */
  wordBytes: number;
  /** Custom subband weight exponents 0..3 in header order HH1 HL1 LH1 HH2 HL2 LH2 HH3 HL3 LH3 LL3; null: standard. */
  weights: number[] | null;
  transpose: boolean;
  /** Header Parts 2-4 in every segment (true) or in the first only. */
  allParts: boolean;
}

export function ccsds122Defaults(width: number, bitDepth = 16): Ccsds122Params {
  return { width, bitDepth, signed: false, dwt: "integer", s: 256, segByteLimit: 0, dcStop: false, bitPlaneStop: 0, stageStop: 3,
    useFill: false, optDcSelect: true, optAcSelect: true, wordBytes: 1, weights: null, transpose: false, allParts: false };
}

// Parameter block indices (assembly/compress/ccsds122/encoder.ts C122_*).
const P = { WIDTH: 0, BIT_DEPTH: 1, SIGNED: 2, DWT: 3, S: 4, SEG_BYTE_LIMIT: 5, DC_STOP: 6, BITPLANE_STOP: 7, STAGE_STOP: 8, USE_FILL: 9,
  OPT_DC: 10, OPT_AC: 11, WORD_BYTES: 12, CUSTOM_WT: 13, WEIGHTS: 14, TRANSPOSE: 15, ALL_PARTS: 16, SAMPLE_BYTES: 17 } as const;
const PARAM_INFO: Record<number, [string, string]> = {
  0: ["width (-w)", "17..65536"], 1: ["bitDepth (-b)", "1..16"], 2: ["signed", "0 or 1"], 3: ["dwt (-t)", "integer or float"],
  4: ["S (-s)", "16..65536 blocks"], 5: ["SegByteLimit (--seg-byte-limit)", "0 (none) or 20..2^27-1, a multiple of the code word length"],
  6: ["DCStop", "0 or 1"], 7: ["BitPlaneStop (--bitplane-stop)", "0..31"], 8: ["StageStop (--stage-stop)", "0..3"],
  9: ["UseFill (--fill)", "needs --seg-byte-limit"], 10: ["OptDCSelect", "0 or 1"], 11: ["OptACSelect", "0 or 1"],
  12: ["code word length (--word-bytes)", "1..8"], 13: ["custom weights (--weights)", "with the Integer DWT only (-t 1): Float DWT subbands are not scaled, 122.0-B-2 §3.9.2"], 14: ["weights (--weights)", "ten values 0..3"],
  15: ["transpose", "0 or 1"], 16: ["all parts", "0 or 1"], 17: ["sample bytes", "1 (bit depth <= 8), 2 or 4"],
};

/** A parameter outside the standard's (or this implementation's) range. */
export class Ccsds122ParamError extends Error {
  constructor(readonly param: string, readonly allowed: string) {
    super(`ccsds122: ${param} out of range (allowed ${allowed})`);
    this.name = "Ccsds122ParamError";
  }
}
/** A flight encoder call returned an error status. */
export class Ccsds122FlightError extends Error {
  constructor(readonly status: number, readonly where: string) {
    super(`ccsds122 flight encoder: status ${status} (${STATUS_NAME.get(status) ?? "?"}) in ${where}`);
    this.name = "Ccsds122FlightError";
  }
}
const STATUS_NAME = new Map<number, string>(Object.entries(STATUS as Record<string, number>).map(([k, v]) => [v, k]));

/** The flight encoder driven line by line from the host. The state is carved per image in the
 *  library's memory (bump allocator). */
export class FlightCcsds122Encoder {
  private readonly line: number;
  private readonly chunks: Uint8Array[] = [];
  readonly stateLen: number;
  constructor(readonly lib: FlightLib, readonly params: Ccsds122Params, readonly sampleBytes: 1 | 2 | 4 = 2) {
    const e = lib.exports, p = params;
    const blk = new Int32Array(e.ccsds122ParamCount() as number);
    blk[P.WIDTH] = p.width; blk[P.BIT_DEPTH] = p.bitDepth; blk[P.SIGNED] = p.signed ? 1 : 0; blk[P.DWT] = p.dwt === "integer" ? 1 : 0;
    blk[P.S] = p.s; blk[P.SEG_BYTE_LIMIT] = p.segByteLimit; blk[P.DC_STOP] = p.dcStop ? 1 : 0; blk[P.BITPLANE_STOP] = p.bitPlaneStop;
    blk[P.STAGE_STOP] = p.stageStop; blk[P.USE_FILL] = p.useFill ? 1 : 0; blk[P.OPT_DC] = p.optDcSelect ? 1 : 0; blk[P.OPT_AC] = p.optAcSelect ? 1 : 0;
    blk[P.WORD_BYTES] = p.wordBytes; blk[P.CUSTOM_WT] = p.weights ? 1 : 0; blk[P.TRANSPOSE] = p.transpose ? 1 : 0; blk[P.ALL_PARTS] = p.allParts ? 1 : 0;
    blk[P.SAMPLE_BYTES] = sampleBytes;
    if (p.weights) {
      if (p.weights.length !== 10 || p.weights.some((w) => !Number.isInteger(w) || w < 0 || w > 3)) throw new Ccsds122ParamError("weights (--weights)", "ten values 0..3");
      blk[P.WEIGHTS] = p.weights.reduce((a, w, i) => a | (w << (2 * i)), 0);
    }
    const prm = lib.alloc(blk.length * 4);
    new Int32Array(lib.memory.buffer, prm, blk.length).set(blk);
    const len = e.ccsds122StateLen(prm) as number;
    if (len < 0) {
      const [name, allowed] = PARAM_INFO[e.ccsds122LastBadParam() as number] ?? ["parameter", "?"];
      throw new Ccsds122ParamError(name, allowed);
    }
    if (len > 1.5e9) throw new Ccsds122ParamError("width (-w) and S (-s)", `a state the library can carve: ${len} bytes asked`);
    this.stateLen = len;
    const state = lib.alloc(len);
    this.line = lib.alloc(Math.max(8, p.width * sampleBytes));
    const st = e.ccsds122Init(state, len, prm) as number;
    if (st < 0) throw new Ccsds122FlightError(st, "init");
  }
  private take(): void {
    const e = this.lib.exports;
    const n = e.ccsds122OutLen() as number;
    if (n > 0) this.chunks.push(this.lib.u8().slice(e.ccsds122OutPtr() >>> 0, (e.ccsds122OutPtr() >>> 0) + n));
    e.ccsds122Drained();
  }
  /** One image line (width samples, little-endian, sampleBytes each). */
  pushLine(bytes: Uint8Array): void {
    this.lib.u8().set(bytes, this.line);
    const st = this.lib.exports.ccsds122PushLine(this.line) as number;
    if (st < 0) throw new Ccsds122FlightError(st, "pushLine");
    this.take();
  }
  /** Ends the image; returns the whole coded stream. */
  end(): Uint8Array {
    const st = this.lib.exports.ccsds122End() as number;
    if (st < 0) throw new Ccsds122FlightError(st, "end");
    this.take();
    const total = this.chunks.reduce((a, c) => a + c.length, 0);
    const out = new Uint8Array(total);
    let o = 0;
    for (const c of this.chunks) { out.set(c, o); o += c.length; }
    return out;
  }
  get segments(): number { return this.lib.exports.ccsds122Segments() as number; }
}

/** Encodes a headerless image (row-major, sampleBytes per pixel, little-endian). */
export function encodeCcsds122(lib: FlightLib, image: Uint8Array, height: number, params: Ccsds122Params, sampleBytes: 1 | 2 | 4 = 2): Uint8Array {
  const enc = new FlightCcsds122Encoder(lib, params, sampleBytes);
  const rowLen = params.width * sampleBytes;
  for (let y = 0; y < height; y++) enc.pushLine(image.subarray(y * rowLen, (y + 1) * rowLen));
  return enc.end();
}

export const USAGE = `Usage: tengri ccsds122 -w WIDTH [-b BITS] [--signed] [-t 1|0] [-s S] [--seg-byte-limit BYTES] [--fill]
                       [--dc-stop] [--bitplane-stop B] [--stage-stop 0..3] [--heuristic-dc] [--heuristic-ac]
                       [--word-bytes 1..8] [--weights w,...] [--transpose] [--all-parts] [--big-endian] INFILE OUTFILE
CCSDS 122.0-B-2 compression of a headerless image (row-major, 1 byte per pixel when -b <= 8, else 2,
little-endian unless --big-endian; the height is the file size divided by the row length) with the flight
encoder, fed line by line in imager order (strips of 64 lines).
  -w WIDTH            image width, 17..65536 pixels (§3.2.4)
  -b BITS             pixel bit depth, 1..16 (default 16)
  --signed            two's-complement pixels
  -t 1|0              1 Integer DWT (lossless possible, default), 0 Float DWT (lossy) (§3.3)
  -s S                blocks per segment, 16..65536 (default 256) (§4.1)
  --seg-byte-limit N  SegByteLimit: bytes per coded segment, header included (rate control) (§4.2.3.2.1)
  --fill              UseFill: every segment filled to SegByteLimit (§4.2.3.2.5)
  --dc-stop           DCStop: code the DC coefficients only (§4.2.3.2.2)
  --bitplane-stop B   BitPlaneStop 0..31 (default 0) (§4.2.3.2.3)
  --stage-stop N      StageStop 0..3 = stage 1..4 (default 3) (§4.2.3.2.4)
  --heuristic-dc      OptDCSelect 0: heuristic code option selection for the DC coefficients (§4.3.2.11)
  --heuristic-ac      OptACSelect 0: the same for the AC bit depths
  --word-bytes N      CodeWordLength in bytes, 1..8 (default 1) (§4.2.5.2.8)
  --weights LIST      custom subband weight exponents 0..3, ten values HH1,HL1,LH1,HH2,HL2,LH2,HH3,HL3,LH3,LL3,
                      Integer DWT only (§3.9.2, §3.9.4)
  --transpose         TransposeImg header flag (§4.2.5.2.7)
  --all-parts         header Parts 2, 3 and 4 in every segment (default: first segment only)
  -d                  decompress with the ground decoder (host/ground/ccsds122, written independently of the
                      flight encoder): INFILE a CCSDS 122 stream, OUTFILE raw pixels, 1 octet each up to 8 bits,
                      else 2 octets little-endian (--big-endian for big), two's complement when the header says signed;
                      the image geometry comes from the stream's headers (-w and the coding options are not used)
Exit codes: 0 success, 1 usage error, 2 invalid parameter value, 3 the stream does not decode (the field is
named), 99 file error.`;

class Exit extends Error { constructor(readonly code: number, msg: string) { super(msg); } }

function int(v: string | undefined, name: string, def: number, min: number, max: number): number {
  if (v === undefined) return def;
  if (!/^-?\d+$/.test(v.trim())) throw new Exit(2, `ccsds122: ${name} must be an integer, got "${v}"`);
  const n = Number(v);
  if (n < min || n > max) throw new Exit(2, `ccsds122: ${name} must be in ${min}..${max}, got ${n}`);
  return n;
}

export function ccsds122Command(rest: string[]): number {
  try { return run(rest); } catch (e) {
    if (e instanceof Exit) { console.error(e.message); return e.code; }
    if (e instanceof Ccsds122ParamError) { console.error(e.message); return 2; }
    throw e;
  }
}

function run(rest: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({ args: rest, allowPositionals: true, strict: true, options: {
      d: { type: "boolean", short: "d" }, w: { type: "string", short: "w" }, b: { type: "string", short: "b" }, signed: { type: "boolean" },
      t: { type: "string", short: "t" }, s: { type: "string", short: "s" }, "seg-byte-limit": { type: "string" }, fill: { type: "boolean" },
      "dc-stop": { type: "boolean" }, "bitplane-stop": { type: "string" }, "stage-stop": { type: "string" }, "heuristic-dc": { type: "boolean" },
      "heuristic-ac": { type: "boolean" }, "word-bytes": { type: "string" }, weights: { type: "string" }, transpose: { type: "boolean" },
      "all-parts": { type: "boolean" }, "big-endian": { type: "boolean" }, help: { type: "boolean", short: "h" } } });
  } catch (e) { throw new Exit(1, `ccsds122: ${(e as Error).message}\n${USAGE}`); }
  const v = parsed.values;
  if (v.help) { console.log(USAGE); return 0; }
  if (parsed.positionals.length !== 2) throw new Exit(1, `ccsds122: give INFILE and OUTFILE\n${USAGE}`);
  if (v.d) return decompress(parsed.positionals[0], parsed.positionals[1], !!v["big-endian"]);
  if (v.w === undefined) throw new Exit(1, "ccsds122: -w WIDTH is required");
  const [inFile, outFile] = parsed.positionals;
  const width = int(v.w, "-w", 0, 17, 65536);
  const bitDepth = int(v.b, "-b", 16, 1, 16);
  const t = int(v.t, "-t", 1, 0, 1);
  const p: Ccsds122Params = {
    ...ccsds122Defaults(width, bitDepth), signed: !!v.signed, dwt: t === 1 ? "integer" : "float", s: int(v.s, "-s", 256, 16, 65536),
    segByteLimit: int(v["seg-byte-limit"], "--seg-byte-limit", 0, 0, 2 ** 27 - 1), useFill: !!v.fill, dcStop: !!v["dc-stop"],
    bitPlaneStop: int(v["bitplane-stop"], "--bitplane-stop", 0, 0, 31), stageStop: int(v["stage-stop"], "--stage-stop", 3, 0, 3),
    optDcSelect: !v["heuristic-dc"], optAcSelect: !v["heuristic-ac"], wordBytes: int(v["word-bytes"], "--word-bytes", 1, 1, 8),
    transpose: !!v.transpose, allParts: !!v["all-parts"],
    weights: v.weights === undefined ? null : v.weights.split(",").map((x) => int(x, "--weights", 0, 0, 3)),
  };
  if (p.weights && p.weights.length !== 10) throw new Exit(2, `ccsds122: --weights needs ten values (HH1,HL1,LH1,HH2,HL2,LH2,HH3,HL3,LH3,LL3), got ${p.weights.length}`);
  const sb = bitDepth <= 8 ? 1 : 2;
  let data: Uint8Array;
  try {
    if (statSync(inFile).isDirectory()) throw new Exit(99, `ccsds122: ${inFile} is a directory`);
    data = readFileSync(inFile);
  } catch (e) { if (e instanceof Exit) throw e; throw new Exit(99, `ccsds122: cannot read ${inFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`); }
  const rowLen = width * sb;
  if (data.length % rowLen !== 0) throw new Exit(1, `ccsds122: ${inFile} is ${data.length} bytes, not a whole number of ${width}-pixel rows of ${sb} byte(s)`);
  const height = data.length / rowLen;
  if (height < 17) throw new Exit(1, `ccsds122: the image has ${height} rows; CCSDS 122 needs at least 17 (§3.2.4)`);
  if (v["big-endian"] && sb === 2) { const c = new Uint8Array(data); for (let i = 0; i < c.length; i += 2) { const a = c[i]; c[i] = c[i + 1]; c[i + 1] = a; } data = c; }
  let lib: FlightLib;
  try { lib = loadFlightLib(LIB_WASM); } catch (e) { throw new Exit(99, `ccsds122: cannot load ${LIB_WASM} (run npm run build): ${(e as Error).message}`); }
  let coded: Uint8Array;
  try { coded = encodeCcsds122(lib, data, height, p, sb); } catch (e) {
    if (e instanceof Ccsds122FlightError && e.status === STATUS.E_C122_BAD_SAMPLE) throw new Exit(1, `ccsds122: ${inFile} has a pixel outside ${p.signed ? "signed" : "unsigned"} ${bitDepth}-bit range (-b, --signed)`);
    throw e;
  }
  try { writeFileSync(outFile, coded); } catch (e) { throw new Exit(99, `ccsds122: cannot write ${outFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`); }
  console.error(`ccsds122: ${width}×${height} ${bitDepth}-bit → ${coded.length} bytes (${((8 * coded.length) / (width * height)).toFixed(3)} bit/pixel)`);
  return 0;
}

/** tengri ccsds122 -d: the ground decoder (an independent oracle: it shares no code with the flight encoder). */
function decompress(inFile: string, outFile: string, bigEndian: boolean): number {
  let stream: Uint8Array;
  try {
    if (statSync(inFile).isDirectory()) throw new Exit(99, `ccsds122: ${inFile} is a directory`);
    stream = readFileSync(inFile);
  } catch (e) { if (e instanceof Exit) throw e; throw new Exit(99, `ccsds122: cannot read ${inFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`); }
  const r = decodeCcsds122(stream);
  if (!r.ok) throw new Exit(3, `ccsds122: ${inFile} does not decode: ${r.error} (at octet ${r.offset})`);
  const sb = r.bitDepth <= 8 ? 1 : 2;
  const out = new Uint8Array(r.pixels.length * sb);
  for (let i = 0; i < r.pixels.length; i++) {
    const x = r.pixels[i] & (sb === 1 ? 0xff : 0xffff);
    if (sb === 1) out[i] = x;
    else if (bigEndian) { out[2 * i] = x >> 8; out[2 * i + 1] = x & 0xff; }
    else { out[2 * i] = x & 0xff; out[2 * i + 1] = x >> 8; }
  }
  try { writeFileSync(outFile, out); } catch (e) { throw new Exit(99, `ccsds122: cannot write ${outFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`); }
  console.error(`ccsds122: ${stream.length} bytes → ${r.width}×${r.height} ${r.signed ? "signed " : ""}${r.bitDepth}-bit, ${r.segments} segment(s)${r.truncated ? ", truncated (undecoded bit planes reconstructed by the decoder's rule)" : ""}`);
  return 0;
}
