// `tengri hyper123`: CCSDS 123.0-B-2 compression of a raw cube with the flight compressor
// (build/lib.wasm) and decompression of any stream with the independent ground decoder.
//   tengri hyper123 [options] --nx N --ny N --nz N INFILE OUTFILE        compress
//   tengri hyper123 -d [--order bsq|bil|bip] INFILE OUTFILE               decompress (all from the header)
// Input and output cubes are headerless, 16-bit little-endian samples (two's complement when
// --signed), in the order given by --input-order (default bsq). Without -d, every parameter of
// the issue's reference set is the default (P = 3, full, wide neighbour, Ω = 13, R = 32 ...).
// Exit codes: 0 success, 1 usage or decoding error, 2 invalid parameter value, 99 file error.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadFlightLib, type FlightLib } from "../obc/lib.ts";
import { checkOutputFile, displayPath, ioReason } from "./usage.ts";

const LIB_WASM = fileURLToPath(new URL("../../build/lib.wasm", import.meta.url));
import { decodeHyper123, Hyper123DecodeError } from "../ground/hyper123-decoder.ts";
import { WORD } from "../contract/contract.gen.ts";

export type Hyper123Order = "bsq" | "bil" | "bip";

/** Compressor parameters in the standard's own values (see assembly/compress/hyper123/params.ts). */
export interface Hyper123Params {
  nx: number; ny: number; nz: number;
  d: number; signed: boolean;
  /** Encoding order of the stream: BSQ, or band-interleaved with depth m (bil: 1, bip: Nz). */
  order: "bsq" | "bi"; m: number;
  wordBytes: number;
  p: number; reduced: boolean;
  /** 0 wide neighbour, 1 narrow neighbour, 2 wide column, 3 narrow column. */
  localSum: number;
  r: number; omega: number; tIncLog: number; nuMin: number; nuMax: number;
  /** 0 lossless, 1 absolute, 2 relative, 3 both. */
  fidelity: number;
  absLimit: number; absBits: number; absTable: number[] | null;
  relLimit: number; relBits: number; relTable: number[] | null;
  repFlag: boolean; theta: number; phi: number; psi: number;
  /** Band-dependent damping φ_z and offset ψ_z (§4.9), Nz values each; null: the fixed φ / ψ. */
  phiTable: number[] | null; psiTable: number[] | null;
  /** Sample-adaptive accumulator initialisation k''_z per band (§5.4.3.2.2); null: K for every band. */
  kTable: number[] | null;
  uMax: number; gammaStar: number; gamma0: number; k: number;
  /** Entropy coder: sample-adaptive, or block-adaptive (CCSDS 121 coder, J, RSI, restricted). */
  coder: "sample-adaptive" | "hybrid" | "block-adaptive";
  blockSize: number; rsi: number; restricted: boolean;
  /** Custom weight initialisation (§4.6.3.3): Q and Λ per band in weight-vector order; null: default. */
  weightInit: { q: number; lambda: number[][] } | null;
  /** Weight exponent offsets (§4.10.3) per band: [intraband, interband 1..P*_z]; null: all zero. */
  weightOffsets: number[][] | null;
  /** Periodic error-limit updating (§4.8.2.3, BI order): period exponent u (2^u lines), −1 off;
   *  `periodLimits[k]` gives the limits of period k (abs / rel: one value or Nz values). */
  periodExp: number;
  periodLimits: { abs?: number[]; rel?: number[] }[] | null;
  userData: number;
}

/** Defaults: the parameter set of the issue's Salinas-A reference measurements. */
export function hyper123Defaults(nx: number, ny: number, nz: number): Hyper123Params {
  return { nx, ny, nz, d: 16, signed: false, order: "bsq", m: 1, wordBytes: 1, p: 3, reduced: false, localSum: 0,
    r: 32, omega: 13, tIncLog: 6, nuMin: -1, nuMax: 3, fidelity: 0, absLimit: 0, absBits: 1, absTable: null,
    relLimit: 0, relBits: 1, relTable: null, repFlag: false, theta: 0, phi: 0, psi: 0, uMax: 18, gammaStar: 6,
    gamma0: 1, k: 7, coder: "sample-adaptive", blockSize: 16, rsi: 4096, restricted: false, weightInit: null, weightOffsets: null, periodExp: -1, periodLimits: null, phiTable: null, psiTable: null, kTable: null, userData: 0 };
}

/** Indices of the flight parameter block: the contract's PRM_* words (host/contract/contract.json), without the prefix. */
type PrmName<K> = K extends `PRM_${infer N}` ? N : never;
const PRM = Object.fromEntries(Object.entries(WORD).filter(([k]) => k.startsWith("PRM_")).map(([k, v]) => [k.slice(4), v])) as { readonly [K in PrmName<keyof typeof WORD>]: number };
/** Parameter names and allowed ranges, by flight parameter index (for error messages). */
const PRM_INFO: Record<number, [keyof Hyper123Params, string]> = {
  0: ["nx", "1..65535"], 1: ["ny", "1..65535"], 2: ["nz", "1..65535"], 3: ["d", "2..16"], 4: ["signed", "false/true"],
  5: ["order", "bsq, bil, bip"], 6: ["m", "1..Nz"], 7: ["wordBytes", "1..8"], 8: ["coder", "sample-adaptive, hybrid, block-adaptive"],
  9: ["p", "0..15"], 10: ["reduced", "full needs Nx > 1"], 11: ["localSum", "0..3, column-oriented (2, 3) when Nx = 1"], 12: ["r", "max(32, D+Ω+2)..64"],
  13: ["omega", "4..19"], 14: ["tIncLog", "4..11 (t_inc 16..2048)"], 15: ["nuMin", "-6..9"], 16: ["nuMax", "ν_min..9"],
  17: ["fidelity", "0..3"], 18: ["absTable", "0 or 1"], 19: ["absBits", "1..min(D-1, 16)"], 20: ["absLimit", "0..2^D_A-1"],
  21: ["relTable", "0 or 1"], 22: ["relBits", "1..min(D-1, 16)"], 23: ["relLimit", "0..2^D_R-1"], 24: ["repFlag", "0 or 1"],
  25: ["theta", "0..4"], 26: ["phi", "0..2^Θ-1"], 27: ["psi", "0..2^Θ-1, 0 when lossless"], 28: ["uMax", "8..32"],
  29: ["gammaStar", "max(4, γ0+1)..11"], 30: ["gamma0", "1..8"], 31: ["k", "0..min(D-2, 14)"], 32: ["userData", "0..255"],
  33: ["absTable", "Nz values 0..2^D_A-1"], 34: ["relTable", "Nz values 0..2^D_R-1"], 35: ["blockSize", "8, 16, 32, 64"],
  36: ["rsi", "1..4096 blocks"], 37: ["restricted", "only with D <= 4"], 38: ["weightInit", "Q in 3..Ω+3"],
  39: ["weightInit", "Λ in -2^(Q-1)..2^(Q-1)-1"], 40: ["weightOffsets", "-6..5"],
  41: ["periodExp", "-1 (off) or 0..9, band-interleaved order and near-lossless only"],
  42: ["phiTable", "Nz values 0..2^Θ-1, with the sample representative parameters"], 43: ["psiTable", "Nz values 0..2^Θ-1 (0 when lossless)"],
  44: ["kTable", "Nz values 0..min(D-2, 14)"],
};

/** A parameter outside the standard's (or this implementation's) range. */
export class Hyper123ParamError extends Error {
  constructor(readonly param: string, readonly value: unknown, readonly allowed: string) {
    super(`hyper123: parameter ${param} = ${String(value)} out of range (allowed ${allowed})`);
    this.name = "Hyper123ParamError";
  }
}
/** A flight compressor call returned an error status. */
export class Hyper123FlightError extends Error {
  constructor(readonly status: number, readonly where: string) {
    super(`hyper123 flight compressor: status ${status} in ${where}`);
    this.name = "Hyper123FlightError";
  }
}

interface Carved { out: number; outCap: number; prm: number; line: number; lineLen: number }
const carved = new WeakMap<FlightLib, Carved>();
const OUT_CAP = 1 << 20;

/** The flight compressor driven from the host. One instance per image; buffers are carved in the
 *  library's memory (a bump allocator): the parameter block, line and output buffers are reused,
 *  the state block is carved per image. */
export class FlightHyper123Encoder {
  private readonly state: number;
  private readonly c: Carved;
  private readonly chunks: Uint8Array[] = [];
  private y = 0;
  constructor(readonly lib: FlightLib, readonly params: Hyper123Params) {
    const e = lib.exports;
    let c = carved.get(lib);
    const lineLen = Math.max(params.nx * params.nz * 2, 4 * 65536 + 16);
    if (!c || c.lineLen < lineLen) {
      c = { out: lib.alloc(OUT_CAP), outCap: OUT_CAP, prm: lib.alloc(4 * 64 + 4 * 2 * 65536 + 4 * 19 * 65536), line: lib.alloc(Math.max(lineLen, 8)), lineLen: Math.max(lineLen, 8) };
      carved.set(lib, c);
    }
    this.c = c;
    const blk = new Int32Array(e.hyp123ParamCount() as number);
    const p = params;
    blk[PRM.NX] = p.nx; blk[PRM.NY] = p.ny; blk[PRM.NZ] = p.nz; blk[PRM.D] = p.d; blk[PRM.SIGNED] = p.signed ? 1 : 0;
    blk[PRM.ORDER] = p.order === "bsq" ? 1 : 0; blk[PRM.M] = p.m; blk[PRM.B] = p.wordBytes; blk[PRM.CODER] = p.coder === "block-adaptive" ? 2 : p.coder === "hybrid" ? 1 : 0;
    blk[PRM.PERIOD_U] = p.periodExp;
    blk[PRM.BA_J] = p.blockSize; blk[PRM.BA_RSI] = p.rsi; blk[PRM.BA_RESTRICTED] = p.restricted ? 1 : 0;
    blk[PRM.P] = p.p; blk[PRM.REDUCED] = p.reduced ? 1 : 0; blk[PRM.LSUM] = p.localSum; blk[PRM.R] = p.r;
    blk[PRM.OMEGA] = p.omega; blk[PRM.TINC_LOG] = p.tIncLog; blk[PRM.NU_MIN] = p.nuMin; blk[PRM.NU_MAX] = p.nuMax;
    blk[PRM.FIDELITY] = p.fidelity; blk[PRM.ABS_DEP] = p.absTable ? 1 : 0; blk[PRM.ABS_BITS] = p.absBits; blk[PRM.ABS] = p.absLimit;
    blk[PRM.REL_DEP] = p.relTable ? 1 : 0; blk[PRM.REL_BITS] = p.relBits; blk[PRM.REL] = p.relLimit;
    blk[PRM.REP_FLAG] = p.repFlag ? 1 : 0; blk[PRM.THETA] = p.theta; blk[PRM.PHI] = p.phi; blk[PRM.PSI] = p.psi;
    blk[PRM.UMAX] = p.uMax; blk[PRM.GSTAR] = p.gammaStar; blk[PRM.G0] = p.gamma0; blk[PRM.K] = p.k; blk[PRM.USER] = p.userData;
    const tables = c.prm + 4 * 64;
    if ((p.absTable && p.absTable.length !== p.nz) || (p.relTable && p.relTable.length !== p.nz))
      throw new Hyper123ParamError(p.absTable && p.absTable.length !== p.nz ? "absTable" : "relTable", "length", `${p.nz} values`);
    if (p.absTable) { new Uint16Array(lib.memory.buffer, tables, p.nz).set(p.absTable); blk[PRM.ABS_TABLE] = tables; }
    if (p.relTable) { new Uint16Array(lib.memory.buffer, tables + 2 * 65536, p.nz).set(p.relTable); blk[PRM.REL_TABLE] = tables + 2 * 65536; }
    // weight tables (Nz × (P+3) Λ, Nz × (P+1) ς, i32) after the error-limit tables
    const wtab = tables + 4 * 65536;
    if (p.weightInit || p.weightOffsets) {
      if (p.nz * (p.p + 3) + p.nz * (p.p + 1) > 19 * 65536 - 3 * 65536) throw new Hyper123ParamError("weightInit", "size", "Nz·(2P+4) ≤ 19·65536");
      const view = new Int32Array(lib.memory.buffer, wtab, p.nz * (2 * p.p + 4)).fill(0);
      if (p.weightInit) {
        blk[PRM.WINIT_Q] = p.weightInit.q; blk[PRM.WINIT_TABLE] = wtab;
        p.weightInit.lambda.forEach((row, z) => row.forEach((v, i) => { if (z < p.nz && i < p.p + 3) view[z * (p.p + 3) + i] = v; }));
      }
      if (p.weightOffsets) {
        const base = p.nz * (p.p + 3);
        blk[PRM.WEO_TABLE] = wtab + 4 * base;
        p.weightOffsets.forEach((row, z) => row.forEach((v, i) => { if (z < p.nz && i < p.p + 1) view[base + z * (p.p + 1) + i] = v; }));
      }
    }
    // φ_z, ψ_z, k''_z tables (u16 × Nz each) after the weight tables
    const btab = wtab + 4 * 19 * 65536 - 6 * 65536;
    const put16 = (idx: number, at: number, v: number[] | null): void => {
      if (!v) return;
      if (v.length !== p.nz) throw new Hyper123ParamError(PRM_INFO[idx][0], v.length, `${p.nz} values`);
      new Uint16Array(lib.memory.buffer, at, p.nz).set(v); blk[idx] = at;
    };
    put16(PRM.PHI_TABLE, btab, p.phiTable); put16(PRM.PSI_TABLE, btab + 2 * 65536, p.psiTable); put16(PRM.K_TABLE, btab + 4 * 65536, p.kTable);
    lib.u8().set(new Uint8Array(blk.buffer), c.prm);
    const len = e.hyp123StateLen(c.prm) as number;
    if (len < 0) {
      const bad = e.hyp123LastBadParam() as number;
      const [name, allowed] = PRM_INFO[bad] ?? ["?", "?"];
      throw new Hyper123ParamError(name, (p as any)[name], allowed);
    }
    this.state = lib.alloc(len);
    this.check(e.hyp123Init(this.state, len, c.prm), "init");
    const n = this.check(e.hyp123Header(this.state, c.prm, c.out, c.outCap), "header");
    this.chunks.push(lib.u8().slice(c.out, c.out + n));
  }
  private check(s: number, where: string): number {
    if (s < 0) throw new Hyper123FlightError(s, where);
    return s;
  }
  /** One line: Nz × Nx samples, band-major (BIL). */
  pushLine(line: Uint16Array | Int16Array): void {
    const { lib } = this, e = lib.exports, c = this.c;
    const u = this.params.periodExp;
    if (u >= 0 && this.y % 2 ** u === 0) {
      const lim = this.params.periodLimits?.[this.y >> u];
      if (!lim) throw new Hyper123ParamError("periodLimits", this.y >> u, "limits for every update period");
      const a = c.line, r = c.line + 2 * 65536;
      if (lim.abs) new Uint16Array(lib.memory.buffer, a, lim.abs.length).set(lim.abs);
      if (lim.rel) new Uint16Array(lib.memory.buffer, r, lim.rel.length).set(lim.rel);
      const st = e.hyp123SetLimits(this.state, lim.abs ? a : 0, lim.rel ? r : 0);
      if (st === -600) throw new Hyper123ParamError("periodLimits", JSON.stringify(lim), "values below 2^D_A / 2^D_R");
      this.check(st, `limits before line ${this.y}`);
    }
    new Uint16Array(lib.memory.buffer, c.line, this.params.nx * this.params.nz).set(line as Uint16Array);
    this.check(e.hyp123PushLine(this.state, c.line), `line ${this.y}`);
    this.y++;
    this.drain();
  }
  private drain(): void {
    const e = this.lib.exports, c = this.c;
    for (let guard = 0; guard < 1 << 24; guard++) {
      const last = this.y === this.params.ny;
      if (!e.hyp123Pending(this.state) && (!last || e.hyp123Done(this.state))) return;
      const n = this.check(e.hyp123Drain(this.state, c.out, c.outCap), "drain");
      if (n > 0) this.chunks.push(this.lib.u8().slice(c.out, c.out + n));
    }
    throw new Hyper123FlightError(-1, "drain did not finish");
  }
  /** The whole stream, once every line was pushed. */
  finish(): Uint8Array {
    if (this.y !== this.params.ny) throw new Hyper123FlightError(-602, `finish after ${this.y} of ${this.params.ny} lines`);
    const total = this.chunks.reduce((a, b) => a + b.length, 0);
    const res = new Uint8Array(total);
    let o = 0;
    for (const ch of this.chunks) { res.set(ch, o); o += ch.length; }
    return res;
  }
}

/** Compresses a BSQ cube (x fastest, then y, then z) with the flight compressor. */
export function compressHyper123(lib: FlightLib, params: Hyper123Params, bsq: Uint16Array | Int16Array): Uint8Array {
  const { nx, ny, nz } = params;
  if (bsq.length !== nx * ny * nz) throw new Hyper123ParamError("cube", bsq.length, `${nx * ny * nz} samples`);
  const enc = new FlightHyper123Encoder(lib, params);
  const line = new Uint16Array(nx * nz);
  for (let y = 0; y < ny; y++) {
    for (let z = 0; z < nz; z++) line.set((bsq as Uint16Array).subarray((z * ny + y) * nx, (z * ny + y) * nx + nx), z * nx);
    enc.pushLine(line);
  }
  return enc.finish();
}

// ---- command line ----

const USAGE = `usage: tengri hyper123 [-d] [options] INFILE OUTFILE
compress:   --nx N --ny N --nz N [--d 2..16] [--signed] [--input-order bsq|bil|bip]
            [--order bsq|bil|bip] [--depth M] [--word-bytes 1..8] [--p 0..15] [--reduced]
            [--local-sum wide-neighbour|narrow-neighbour|wide-column|narrow-column]
            [--r 32..64] [--omega 4..19] [--t-inc 16..2048] [--nu-min -6..9] [--nu-max -6..9]
            [--abs-error A] [--abs-bits D_A] [--abs-table a0,a1,..] [--rel-error R] [--rel-bits D_R]
            [--rel-table r0,r1,..] [--theta 0..4] [--phi N] [--psi N]
            [--coder sample-adaptive|hybrid|block-adaptive] [--u-max 8..32] [--gamma-star 4..11] [--gamma0 1..8]
            [--k 0..14] [--block-size 8|16|32|64] [--rsi 1..4096] [--restricted] [--user-data 0..255]
            [--weight-init FILE.json {"q":Q,"lambda":[[..],..]}] [--intraband-offset -6..5]
            [--interband-offset -6..5] [--weight-offsets FILE.json [[intra, inter1, ..], ..]]
            [--period-exp 0..9 --limits FILE.json [{"abs":[..],"rel":[..]}, ..] (one entry per period)]
decompress: -d [--output-order bsq|bil|bip] INFILE OUTFILE   (parameters from the header)
OUTFILE is overwritten if it exists; its folder must exist.
Exit: 0 success, 1 usage or decoding error, 2 invalid parameter value, 99 file error.`;

/** Long options of compression and of decompression (-d), besides the flags --signed, --reduced, --restricted. */
export const HYPER123_ENCODE_OPTIONS = new Set(["nx", "ny", "nz", "d", "input-order", "order", "depth", "word-bytes", "p", "local-sum", "r", "omega", "t-inc",
  "nu-min", "nu-max", "abs-error", "abs-bits", "abs-table", "rel-error", "rel-bits", "rel-table", "theta", "phi", "psi", "u-max",
  "gamma-star", "gamma0", "k", "user-data", "coder", "block-size", "rsi", "weight-init", "intraband-offset", "interband-offset",
  "weight-offsets", "period-exp", "limits"]);
export const HYPER123_DECODE_OPTIONS = new Set(["output-order"]);
export const HYPER123_FLAGS = ["-d", "--signed", "--reduced", "--restricted"];

const LSUMS = ["wide-neighbour", "narrow-neighbour", "wide-column", "narrow-column"];

function intArg(name: string, v: string | undefined, lo: number, hi: number, allowed?: string): number {
  if (v === undefined || !/^-?\d+$/.test(v)) throw new Hyper123ParamError(name, v, allowed ?? `${lo}..${hi}`);
  const n = Number(v);
  if (n < lo || n > hi) throw new Hyper123ParamError(name, n, allowed ?? `${lo}..${hi}`);
  return n;
}

function reorder(src: Int32Array | Uint16Array | Int16Array, nx: number, ny: number, nz: number, from: Hyper123Order, to: Hyper123Order): Int32Array {
  const idx = (o: Hyper123Order, x: number, y: number, z: number): number =>
    o === "bsq" ? (z * ny + y) * nx + x : o === "bil" ? (y * nz + z) * nx + x : (y * nx + x) * nz + z;
  const out = new Int32Array(nx * ny * nz);
  for (let z = 0; z < nz; z++) for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) out[idx(to, x, y, z)] = src[idx(from, x, y, z)];
  return out;
}

export async function hyper123Command(argv: string[]): Promise<number> {
  try {
    return run(argv);
  } catch (err) {
    if (err instanceof Hyper123ParamError) { process.stderr.write(`${err.message}\n`); return 2; }
    if (err instanceof Hyper123DecodeError) { process.stderr.write(`${err.message}\n`); return 1; }
    if (err instanceof Hyper123FlightError) { process.stderr.write(`${err.message}\n`); return 1; }
    const e = err as NodeJS.ErrnoException;
    if (e?.code && /^E[A-Z]+$/.test(e.code)) {
      process.stderr.write(`hyper123: ${ioReason(e, e.path ?? "")}\n`); return 99;
    }
    if (err instanceof SyntaxError) { process.stderr.write(`hyper123: a JSON option file is not valid JSON: ${err.message}\n`); return 2; }
    throw err;
  }
}

function run(argv: string[]): number {
  const files: string[] = [];
  const opt = new Map<string, string>();
  const flags = new Set<string>();
  const FLAGS = new Set(["-d", "--signed", "--reduced", "--restricted", "-h", "--help"]);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (FLAGS.has(a)) flags.add(a);
    else if (a.startsWith("--")) {
      if (i + 1 >= argv.length) throw new Hyper123ParamError(a.slice(2), undefined, "a value");
      opt.set(a.slice(2), argv[++i]);
    } else files.push(a);
  }
  if (flags.has("-h") || flags.has("--help")) { process.stdout.write(`${USAGE}\n`); return 0; }
  const unknownFlag = files.find((f) => f.startsWith("-") && f !== "-");
  if (unknownFlag) { process.stderr.write(`hyper123: unknown option ${unknownFlag}\n${USAGE}\n`); return 1; }
  const known = flags.has("-d") ? HYPER123_DECODE_OPTIONS : HYPER123_ENCODE_OPTIONS;
  for (const k of opt.keys()) if (!known.has(k)) {
    const other = flags.has("-d") ? HYPER123_ENCODE_OPTIONS.has(k) : HYPER123_DECODE_OPTIONS.has(k);
    process.stderr.write(`hyper123: ${other ? `--${k} is a ${flags.has("-d") ? "compression" : "decompression (-d)"} option` : `unknown option --${k}`} (see --help)\n`);
    return 1;
  }
  if (files.length !== 2) {
    process.stderr.write(`hyper123: ${files.length === 0 ? "INFILE and OUTFILE are required" : files.length === 1 ? `OUTFILE is missing (after INFILE ${files[0]})` : `one INFILE and one OUTFILE, got ${files.length}: ${files.join(" ")}`}\n${USAGE}\n`);
    return 1;
  }
  const [inFile, outFile] = files;
  try { checkOutputFile(outFile, "OUTFILE"); } catch (e) { process.stderr.write(`hyper123: ${(e as Error).message}\n`); return 99; }
  if (flags.has("-d")) {
    const to = (opt.get("output-order") ?? "bsq") as Hyper123Order;
    if (!["bsq", "bil", "bip"].includes(to)) throw new Hyper123ParamError("output-order", to, "bsq, bil, bip");
    const dec = decodeHyper123(new Uint8Array(readFileSync(inFile)));
    const { nx, ny, nz, signed } = dec.header;
    const cube = reorder(dec.samples, nx, ny, nz, "bsq", to);
    const out = signed ? Int16Array.from(cube) : Uint16Array.from(cube);
    writeFileSync(outFile, new Uint8Array(out.buffer));
    return 0;
  }
  const nx = intArg("nx", opt.get("nx"), 1, 65535), ny = intArg("ny", opt.get("ny"), 1, 65535), nz = intArg("nz", opt.get("nz"), 1, 65535);
  const p = hyper123Defaults(nx, ny, nz);
  const get = (k: string): string | undefined => opt.get(k);
  if (get("d") !== undefined) p.d = intArg("d", get("d"), 2, 16);
  p.signed = flags.has("--signed");
  p.reduced = flags.has("--reduced");
  const order = get("order") ?? "bsq";
  if (order === "bsq") p.order = "bsq";
  else if (order === "bil") { p.order = "bi"; p.m = 1; }
  else if (order === "bip") { p.order = "bi"; p.m = nz; }
  else throw new Hyper123ParamError("order", order, "bsq, bil, bip");
  if (get("depth") !== undefined) { if (p.order !== "bi") throw new Hyper123ParamError("depth", get("depth"), "only with --order bil/bip"); p.m = intArg("depth", get("depth"), 1, nz); }
  if (get("word-bytes") !== undefined) p.wordBytes = intArg("word-bytes", get("word-bytes"), 1, 8);
  if (get("p") !== undefined) p.p = intArg("p", get("p"), 0, 15);
  if (get("local-sum") !== undefined) { const i = LSUMS.indexOf(get("local-sum")!); if (i < 0) throw new Hyper123ParamError("local-sum", get("local-sum"), LSUMS.join(", ")); p.localSum = i; }
  if (get("omega") !== undefined) p.omega = intArg("omega", get("omega"), 4, 19);
  if (get("r") !== undefined) p.r = intArg("r", get("r"), Math.max(32, p.d + p.omega + 2), 64);
  if (get("t-inc") !== undefined) {
    const t = intArg("t-inc", get("t-inc"), 16, 2048, "a power of two 16..2048");
    if ((t & (t - 1)) !== 0) throw new Hyper123ParamError("t-inc", t, "a power of two 16..2048");
    p.tIncLog = Math.log2(t);
  }
  if (get("nu-min") !== undefined) p.nuMin = intArg("nu-min", get("nu-min"), -6, 9);
  if (get("nu-max") !== undefined) p.nuMax = intArg("nu-max", get("nu-max"), p.nuMin, 9);
  const table = (k: string): number[] => (get(k) ?? "").split(",").map((v) => intArg(k, v.trim(), 0, 65535));
  const bitsFor = (v: number): number => Math.max(1, 32 - Math.clz32(v));
  const hasAbs = get("abs-error") !== undefined || get("abs-table") !== undefined;
  const hasRel = get("rel-error") !== undefined || get("rel-table") !== undefined;
  p.fidelity = (hasAbs ? 1 : 0) + (hasRel ? 2 : 0);
  if (hasAbs) {
    if (get("abs-table") !== undefined) p.absTable = table("abs-table"); else p.absLimit = intArg("abs-error", get("abs-error"), 0, 65535);
    p.absBits = get("abs-bits") !== undefined ? intArg("abs-bits", get("abs-bits"), 1, Math.min(p.d - 1, 16)) : bitsFor(Math.max(p.absLimit, ...(p.absTable ?? [0])));
  }
  if (hasRel) {
    if (get("rel-table") !== undefined) p.relTable = table("rel-table"); else p.relLimit = intArg("rel-error", get("rel-error"), 0, 65535);
    p.relBits = get("rel-bits") !== undefined ? intArg("rel-bits", get("rel-bits"), 1, Math.min(p.d - 1, 16)) : bitsFor(Math.max(p.relLimit, ...(p.relTable ?? [0])));
  }
  if (get("theta") !== undefined || get("phi") !== undefined || get("psi") !== undefined) {
    p.repFlag = true;
    p.theta = get("theta") !== undefined ? intArg("theta", get("theta"), 0, 4) : 4;
    if (get("phi") !== undefined) p.phi = intArg("phi", get("phi"), 0, (1 << p.theta) - 1);
    if (get("psi") !== undefined) p.psi = intArg("psi", get("psi"), 0, p.fidelity === 0 ? 0 : (1 << p.theta) - 1);
  }
  if (get("u-max") !== undefined) p.uMax = intArg("u-max", get("u-max"), 8, 32);
  if (get("gamma0") !== undefined) p.gamma0 = intArg("gamma0", get("gamma0"), 1, 8);
  if (get("gamma-star") !== undefined) p.gammaStar = intArg("gamma-star", get("gamma-star"), Math.max(4, p.gamma0 + 1), 11);
  if (get("k") !== undefined) p.k = intArg("k", get("k"), 0, Math.min(p.d - 2, 14));
  if (get("user-data") !== undefined) p.userData = intArg("user-data", get("user-data"), 0, 255);
  const coder = get("coder") ?? "sample-adaptive";
  if (coder !== "sample-adaptive" && coder !== "hybrid" && coder !== "block-adaptive") throw new Hyper123ParamError("coder", coder, "sample-adaptive, hybrid, block-adaptive");
  p.coder = coder;
  if (get("block-size") !== undefined) {
    p.blockSize = intArg("block-size", get("block-size"), 8, 64, "8, 16, 32, 64");
    if (![8, 16, 32, 64].includes(p.blockSize)) throw new Hyper123ParamError("block-size", p.blockSize, "8, 16, 32, 64");
  }
  if (get("rsi") !== undefined) p.rsi = intArg("rsi", get("rsi"), 1, 4096);
  p.restricted = flags.has("--restricted");
  if (get("weight-init") !== undefined) {
    const j = JSON.parse(readFileSync(get("weight-init")!, "utf8")) as { q: number; lambda: number[][] };
    if (!Number.isInteger(j.q) || j.q < 3 || j.q > p.omega + 3) throw new Hyper123ParamError("weight-init q", j.q, `3..${p.omega + 3}`);
    for (let z = 0; z < nz; z++) {
      const want = Math.min(z, p.p) + (p.reduced ? 0 : 3);
      if (!Array.isArray(j.lambda?.[z]) || j.lambda[z].length !== want) throw new Hyper123ParamError(`weight-init lambda[${z}]`, j.lambda?.[z]?.length, `${want} values`);
    }
    p.weightInit = j;
  }
  if (get("weight-offsets") !== undefined) p.weightOffsets = JSON.parse(readFileSync(get("weight-offsets")!, "utf8")) as number[][];
  else if (get("intraband-offset") !== undefined || get("interband-offset") !== undefined) {
    const intra = get("intraband-offset") !== undefined ? intArg("intraband-offset", get("intraband-offset"), -6, 5) : 0;
    const inter = get("interband-offset") !== undefined ? intArg("interband-offset", get("interband-offset"), -6, 5) : 0;
    p.weightOffsets = Array.from({ length: nz }, (_, z) => [intra, ...new Array(Math.min(z, p.p)).fill(inter)]);
  }
  if (p.restricted && p.d > 4) throw new Hyper123ParamError("restricted", true, "only with D <= 4");
  if (get("period-exp") !== undefined) {
    p.periodExp = intArg("period-exp", get("period-exp"), 0, 9);
    if (p.order !== "bi" || p.fidelity === 0) throw new Hyper123ParamError("period-exp", p.periodExp, "0..9 with --order bil/bip and an error limit");
    if (get("limits") === undefined) throw new Hyper123ParamError("limits", undefined, "a JSON file with the limits of every period");
    p.periodLimits = JSON.parse(readFileSync(get("limits")!, "utf8"));
    const periods = Math.ceil(ny / 2 ** p.periodExp);
    if (!Array.isArray(p.periodLimits) || p.periodLimits.length < periods) throw new Hyper123ParamError("limits", p.periodLimits?.length, `${periods} periods`);
  }
  const from = (get("input-order") ?? "bsq") as Hyper123Order;
  if (!["bsq", "bil", "bip"].includes(from)) throw new Hyper123ParamError("input-order", from, "bsq, bil, bip");
  const raw = readFileSync(inFile);
  if (raw.length !== nx * ny * nz * 2) throw new Hyper123ParamError("INFILE size", raw.length, `${nx * ny * nz * 2} bytes (Nx·Ny·Nz 16-bit samples)`);
  const words = p.signed ? new Int16Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length)) : new Uint16Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length));
  const bsq = from === "bsq" ? words : Uint16Array.from(reorder(words, nx, ny, nz, from, "bsq"));
  if (!existsSync(LIB_WASM)) { process.stderr.write(`hyper123: ${displayPath(LIB_WASM)} not found: run npm run build\n`); return 99; }
  const lib = loadFlightLib();
  const stream = compressHyper123(lib, p, bsq as Uint16Array);
  writeFileSync(outFile, stream);
  return 0;
}
