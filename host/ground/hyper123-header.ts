// CCSDS 123.0-B-2 §5.3 header parser for the ground station. Written from the standard,
// independently of the flight encoder (assembly/compress/hyper123/): it reads the image
// metadata (with any supplementary information tables, §5.3.2.3, exposed but not used),
// predictor and entropy-coder metadata and reports the body offset. Impossible values and
// features this ground station does not decode end in a Hyper123DecodeError naming the field.

export type Hyper123ErrorCode =
  | "TRUNCATED"        // the stream ends inside the header or the body
  | "BAD_HEADER"       // a header field holds a value the standard forbids (field names it)
  | "UNSUPPORTED"      // a legal feature this decoder does not implement (field names it)
  | "BAD_CODEWORD"     // a codeword decodes to a value outside its range
  | "TOO_LARGE";       // the image would exceed the caller's sample limit or cannot fit the stream

export class Hyper123DecodeError extends Error {
  constructor(
    readonly code: Hyper123ErrorCode,
    /** Header field or quantity concerned (e.g. "D", "Omega", "body"). */
    readonly field: string,
    /** Offending value, when there is one. */
    readonly value: number | null,
    /** Bit offset in the stream where the problem was found. */
    readonly bitOffset: number,
  ) {
    super(`CCSDS 123 ${code}: ${field}${value === null ? "" : ` = ${value}`} at bit ${bitOffset}`);
    this.name = "Hyper123DecodeError";
  }
}

export interface Hyper123Header {
  userData: number;
  nx: number; ny: number; nz: number;
  signed: boolean;
  /** Dynamic range D in bits. */
  d: number;
  /** "bi" band-interleaved with depth m, or "bsq". */
  order: "bi" | "bsq";
  /** Sub-frame interleaving depth M (BI only; 1 = BIL, Nz = BIP). */
  m: number;
  /** Output word size B in bytes. */
  wordBytes: number;
  coder: "sample-adaptive" | "hybrid" | "block-adaptive";
  /** 0 lossless, 1 absolute, 2 relative, 3 absolute and relative error limits. */
  fidelity: 0 | 1 | 2 | 3;
  p: number;
  reduced: boolean;
  /** 0 wide neighbour, 1 narrow neighbour, 2 wide column, 3 narrow column. */
  localSum: 0 | 1 | 2 | 3;
  r: number;
  omega: number;
  tIncLog: number;
  nuMin: number;
  nuMax: number;
  /** Custom weight initialisation (§4.6.3.3): resolution Q and, per band, Λ in weight-vector
   *  order (directional N, W, NW first in full mode); null for the default initialisation. */
  weightInit: { q: number; lambda: number[][] } | null;
  /** Weight exponent offsets (§4.10.3) per band: [intraband, interband 1..P*_z]; null when all zero. */
  weightOffsets: number[][] | null;
  /** Per band absolute and relative error limits (a_z, r_z); empty when not used, or when the
   *  limits are updated periodically (then they are in the body, see `periodExp`). */
  absLimits: number[];
  relLimits: number[];
  /** Periodic error-limit updating (§4.8.2.3): period 2^periodExp lines; −1 when off. */
  periodExp: number;
  /** Bit depths D_A, D_R and band dependence of the limits (for the periodic values in the body). */
  absBits: number; relBits: number; absDependent: boolean; relDependent: boolean;
  theta: number;
  /** Per band damping φ_z and offset ψ_z. */
  phi: number[];
  psi: number[];
  uMax: number;
  gammaStar: number;
  gamma0: number;
  /** Accumulator initialisation constant k''_z per band. */
  kz: number[];
  /** Block-adaptive coder: block size J, reference sample interval (blocks), restricted code options. */
  blockSize: number;
  rsi: number;
  restricted: boolean;
  /** Supplementary information tables (§5.3.2.3), in stream order; empty when τ = 0. */
  supplementaryTables: Hyper123SupplementaryTable[];
  /** Byte offset of the body. */
  bodyOffset: number;
}

/** Table type (§5.3.2.3): unsigned integer '00', signed integer '01', float '10' ('11' reserved). */
export type Hyper123TableType = "unsigned" | "signed" | "float";
/** Table structure (§5.3.2.3): one element; one per band z; one per (z, x); one per (y, x). */
export type Hyper123TableStructure = "zero-dimensional" | "one-dimensional" | "two-dimensional-zx" | "two-dimensional-yx";

/** One supplementary information table (123.0-B-2 §5.3.2.3). The decoder does not use the
 *  tables; they are exposed to the application that knows what the purpose code means. */
export interface Hyper123SupplementaryTable {
  type: Hyper123TableType;
  /** Table purpose (4 bits), as sent. */
  purpose: number;
  structure: Hyper123TableStructure;
  /** Supplementary user-defined data (4 bits). */
  userData: number;
  /** Table dimensions: [] zero-dimensional, [Nz] one-dimensional, [Nz, Nx] two-dimensional-zx,
   *  [Ny, Nx] two-dimensional-yx. `data` holds the elements in stream order, the last index
   *  varying fastest: element (z, x) of a zx table is `data[z * Nx + x]`. */
  dims: number[];
  /** Integer tables: element bit depth D_I (1..32). Float tables: 1 + D_E + D_F. */
  elementBits: number;
  /** Float tables: significand bit depth D_F, exponent bit depth D_E and exponent bias β; null for integer tables. */
  float: { significandBits: number; exponentBits: number; bias: number } | null;
  /** Element values: integers as sent (two's complement decoded for signed tables); floats as
   *  (−1)^s · 2^(e−β) · (1 + f/2^D_F), and (−1)^s · 2^(1−β) · f/2^D_F when e = 0. */
  data: number[];
  /** Element bit patterns as sent (unsigned, elementBits wide; for floats sign ‖ exponent ‖ significand). */
  raw: number[];
}

class HeaderReader {
  pos = 0; // bit position
  constructor(private readonly buf: Uint8Array) {}
  get length(): number { return this.buf.length; }
  bits(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) {
      const byte = this.pos >> 3;
      if (byte >= this.buf.length) throw new Hyper123DecodeError("TRUNCATED", "header", null, this.pos);
      v = v * 2 + ((this.buf[byte] >> (7 - (this.pos & 7))) & 1);
      this.pos++;
    }
    return v;
  }
  reserved(n: number, field: string): void {
    const at = this.pos;
    const v = this.bits(n);
    if (v !== 0) throw new Hyper123DecodeError("BAD_HEADER", field, v, at);
  }
  align(): void { this.pos = (this.pos + 7) & ~7; }
}

function bad(field: string, value: number, at: number): never { throw new Hyper123DecodeError("BAD_HEADER", field, value, at); }
function unsupported(field: string, value: number, at: number): never { throw new Hyper123DecodeError("UNSUPPORTED", field, value, at); }

const TABLE_TYPES: readonly (Hyper123TableType | null)[] = ["unsigned", "signed", "float", null];
const TABLE_STRUCTURES: readonly Hyper123TableStructure[] = ["zero-dimensional", "one-dimensional", "two-dimensional-zx", "two-dimensional-yx"];
/** Field widths of a supplementary information table (123.0-B-2 §5.3.2.3). */
const SIT_TYPE_BITS = 2, SIT_PURPOSE_BITS = 4, SIT_STRUCTURE_BITS = 2, SIT_USER_BITS = 4;
const SIT_INT_DEPTH_BITS = 5, SIT_FLOAT_SIGNIFICAND_BITS = 5, SIT_FLOAT_EXPONENT_BITS = 3;

/** Reads supplementary information table `index` (123.0-B-2 §5.3.2.3) and its fill bits. */
function readSupplementaryTable(r: HeaderReader, index: number, nx: number, ny: number, nz: number): Hyper123SupplementaryTable {
  const name = `supplementary table ${index}`;
  const start = r.pos;
  const typeField = r.bits(SIT_TYPE_BITS);
  const type = TABLE_TYPES[typeField];
  if (type === null) bad(`${name} type`, typeField, start);
  r.reserved(2, `reserved (${name})`);
  const purpose = r.bits(SIT_PURPOSE_BITS);
  r.reserved(1, `reserved (${name})`);
  const structure = TABLE_STRUCTURES[r.bits(SIT_STRUCTURE_BITS)];
  r.reserved(1, `reserved (${name})`);
  const userData = r.bits(SIT_USER_BITS);
  // §5.3.2.3 table data subblock: element format, then the elements, then fill bits
  const dims = structure === "zero-dimensional" ? [] : structure === "one-dimensional" ? [nz]
    : structure === "two-dimensional-zx" ? [nz, nx] : [ny, nx];
  const count = dims.reduce((a, b) => a * b, 1);
  let elementBits: number, float: Hyper123SupplementaryTable["float"] = null;
  if (type === "float") {
    const significandBits = r.bits(SIT_FLOAT_SIGNIFICAND_BITS);          // D_F
    const exponentBits = r.bits(SIT_FLOAT_EXPONENT_BITS) || 8;           // D_E, '000' means 8
    const bias = r.bits(exponentBits);                                  // β
    float = { significandBits, exponentBits, bias };
    elementBits = 1 + exponentBits + significandBits;
  } else {
    elementBits = r.bits(SIT_INT_DEPTH_BITS) || 32;                     // D_I, '00000' means 32
  }
  // refuse before allocating when the stream cannot hold the elements
  if (r.pos + count * elementBits > r.length * 8) throw new Hyper123DecodeError("TRUNCATED", `${name} data`, count, r.pos);
  const data: number[] = new Array<number>(count), raw: number[] = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    const v = r.bits(elementBits);
    raw[i] = v;
    if (type === "unsigned") data[i] = v;
    else if (type === "signed") data[i] = v >= 2 ** (elementBits - 1) ? v - 2 ** elementBits : v;
    else {
      const { significandBits: df, exponentBits: de, bias } = float!;
      const f = v % 2 ** df, e = Math.floor(v / 2 ** df) % 2 ** de, s = Math.floor(v / 2 ** (df + de));
      const mag = e === 0 ? 2 ** (1 - bias) * (f / 2 ** df) : 2 ** (e - bias) * (1 + f / 2 ** df);
      data[i] = s ? -mag : mag;
    }
  }
  r.align();
  return { type, purpose, structure, userData, dims, elementBits, float, data, raw };
}

/** Parses the header at the start of `stream` (123.0-B-2 §5.3). */
export function parseHyper123Header(stream: Uint8Array): Hyper123Header {
  const r = new HeaderReader(stream);
  // §5.3.2.2 image metadata, essential subpart
  const userData = r.bits(8);
  const nx = r.bits(16) || 65536, ny = r.bits(16) || 65536, nz = r.bits(16) || 65536;
  const signed = r.bits(1) === 1;
  r.reserved(1, "reserved (image metadata)");
  const largeD = r.bits(1);
  const dField = r.bits(4);
  const d = largeD ? (dField === 0 ? 32 : dField + 16) : (dField === 0 ? 16 : dField);
  if (!largeD && dField === 1) bad("D", 1, r.pos - 4);
  if (d > 16) unsupported("D", d, r.pos - 4);
  const order = r.bits(1) === 1 ? "bsq" : "bi";
  const at = r.pos;
  const mField = r.bits(16);
  const m = order === "bi" ? (mField || 65536) : 0;
  if (order === "bi" && m > nz) bad("M", m, at);
  r.reserved(2, "reserved (image metadata)");
  const wordBytes = r.bits(3) || 8;
  const coderField = r.bits(2);
  if (coderField === 3) bad("entropy coder type", 3, r.pos - 2);
  const coder = (["sample-adaptive", "hybrid", "block-adaptive"] as const)[coderField];
  r.reserved(1, "reserved (image metadata)");
  const fidelity = r.bits(2) as 0 | 1 | 2 | 3;
  r.reserved(2, "reserved (image metadata)");
  const supp = r.bits(4);
  // §5.3.2.3 image metadata, supplementary information subpart: τ tables, each byte-aligned
  const supplementaryTables: Hyper123SupplementaryTable[] = [];
  for (let i = 0; i < supp; i++) supplementaryTables.push(readSupplementaryTable(r, i, nx, ny, nz));
  // §5.3.3.2 predictor primary structure
  r.reserved(1, "reserved (predictor)");
  const repFlag = r.bits(1);
  const p = r.bits(4);
  const reduced = r.bits(1) === 1;
  if (!reduced && nx === 1) bad("prediction mode (full needs Nx > 1)", 0, r.pos - 1);
  const weoFlag = r.bits(1);
  const localSum = r.bits(2) as 0 | 1 | 2 | 3;
  if (localSum < 2 && nx === 1) bad("local sum type (neighbour-oriented needs Nx > 1)", localSum, r.pos - 2);
  const rField = r.bits(6);
  const rr = rField || 64;
  const omega = r.bits(4) + 4;
  if (omega > 19) bad("Omega", omega, r.pos - 4);
  if (rr < Math.max(32, d + omega + 2)) bad("R", rr, r.pos - 10);
  const tIncLog = r.bits(4) + 4;
  if (tIncLog > 11) bad("t_inc", tIncLog, r.pos - 4);
  const nuMin = r.bits(4) - 6, nuMax = r.bits(4) - 6;
  if (nuMin > 9) bad("nu_min", nuMin, r.pos - 8);
  if (nuMax > 9 || nuMax < nuMin) bad("nu_max", nuMax, r.pos - 4);
  const weoTable = r.bits(1), winit = r.bits(1), winitTable = r.bits(1), q = r.bits(5);
  if (weoTable && !weoFlag) bad("weight exponent offset table flag", 1, r.pos - 8);
  if (weoFlag && !weoTable) unsupported("weight exponent offset table in optional tables", 1, r.pos - 8);
  if (!winit && (winitTable || q)) bad("weight initialisation table/resolution", winitTable || q, r.pos - 6);
  if (winit && !winitTable) unsupported("weight initialisation table in optional tables", 1, r.pos - 6);
  if (winit && (q < 3 || q > omega + 3)) bad("weight initialisation resolution Q", q, r.pos - 5);
  const signedBits = (n: number): number => { const v = r.bits(n); return v >= 2 ** (n - 1) ? v - 2 ** n : v; };
  // §5.3.3.2 weight tables subpart
  let weightInit: Hyper123Header["weightInit"] = null;
  if (winit) {
    const lambda: number[][] = [];
    for (let z = 0; z < nz; z++) {
      const cz = Math.min(z, p) + (reduced ? 0 : 3), row: number[] = [];
      for (let i = 0; i < cz; i++) row.push(signedBits(q));
      lambda.push(row);
    }
    r.align();
    weightInit = { q, lambda };
  }
  let weightOffsets: number[][] | null = null;
  if (weoFlag) {
    weightOffsets = [];
    for (let z = 0; z < nz; z++) {
      const row: number[] = [reduced ? 0 : signedBits(4)];
      for (let i = 0; i < Math.min(z, p); i++) row.push(signedBits(4));
      for (const v of row) if (v < -6 || v > 5) bad("weight exponent offset", v, r.pos - 4);
      weightOffsets.push(row);
    }
    r.align();
  }
  // §5.3.3.3 quantization
  const absLimits: number[] = [], relLimits: number[] = [];
  let periodExp = -1, absBits = 0, relBits = 0, absDependent = false, relDependent = false;
  if (fidelity !== 0) {
    if (order === "bi") {
      r.reserved(1, "reserved (quantization)");
      const periodic = r.bits(1);
      r.reserved(2, "reserved (quantization)");
      const u = r.bits(4);
      if (periodic && u > 9) bad("error update period exponent", u, r.pos - 4);
      if (!periodic && u !== 0) bad("error update period exponent", u, r.pos - 4);
      if (periodic) periodExp = u;
    }
    for (const kind of ["absolute", "relative"] as const) {
      if ((kind === "absolute" && fidelity === 2) || (kind === "relative" && fidelity === 1)) continue;
      r.reserved(1, `reserved (${kind} error limit)`);
      const dep = r.bits(1);
      r.reserved(2, `reserved (${kind} error limit)`);
      const bits = r.bits(4) || 16;
      if (bits > Math.min(d - 1, 16)) bad(`${kind} error limit bit depth`, bits, r.pos - 4);
      const list = kind === "absolute" ? absLimits : relLimits;
      if (kind === "absolute") { absBits = bits; absDependent = dep === 1; } else { relBits = bits; relDependent = dep === 1; }
      if (periodExp >= 0) { /* values in the body */ }
      else if (dep) for (let z = 0; z < nz; z++) list.push(r.bits(bits));
      else { const v = r.bits(bits); for (let z = 0; z < nz; z++) list.push(v); }
      r.align();
    }
  }
  // §5.3.3.4 sample representative
  let theta = 0;
  let phi = new Array<number>(nz).fill(0), psi = new Array<number>(nz).fill(0);
  if (repFlag) {
    r.reserved(5, "reserved (sample representative)");
    theta = r.bits(3);
    if (theta > 4) bad("Theta", theta, r.pos - 3);
    const readPair = (name: string): number[] => {
      r.reserved(1, `reserved (${name})`);
      const vary = r.bits(1), table = r.bits(1);
      r.reserved(1, `reserved (${name})`);
      const fixed = r.bits(4);
      if (table && !vary) bad(`${name} table flag`, 1, r.pos - 6);
      if (!table && vary) unsupported(`${name} table in optional tables`, 1, r.pos - 6);
      if (!vary && fixed > (1 << theta) - 1) bad(name, fixed, r.pos - 4);
      return vary ? [] : new Array<number>(nz).fill(fixed);
    };
    const phiFixed = readPair("phi"), psiFixed = readPair("psi");
    if (phiFixed.length === 0) { phi = []; for (let z = 0; z < nz; z++) phi.push(r.bits(theta)); r.align(); } else phi = phiFixed;
    if (psiFixed.length === 0) { psi = []; for (let z = 0; z < nz; z++) psi.push(r.bits(theta)); r.align(); } else psi = psiFixed;
  }
  // §5.3.4 entropy coder metadata
  let uMax = 0, gammaStar = 0, gamma0 = 0;
  const kz: number[] = [];
  let blockSize = 0, rsi = 0, restricted = false;
  if (coder === "block-adaptive") {
    // §5.3.4.3 block-adaptive entropy coder
    r.reserved(1, "reserved (block-adaptive coder)");
    blockSize = [8, 16, 32, 64][r.bits(2)];
    restricted = r.bits(1) === 1;
    if (restricted && d > 4) bad("restricted code options flag", 1, r.pos - 1);
    rsi = r.bits(12) || 4096;
    return { userData, nx, ny, nz, signed, d, order, m, wordBytes, coder, fidelity, p, reduced, localSum, r: rr, omega,
      tIncLog, nuMin, nuMax, weightInit, weightOffsets, absLimits, relLimits, periodExp, absBits, relBits, absDependent, relDependent, theta, phi, psi, uMax, gammaStar, gamma0, kz, blockSize, rsi, restricted,
      supplementaryTables, bodyOffset: r.pos >> 3 };
  }
  uMax = r.bits(5) || 32;
  if (uMax < 8) bad("U_max", uMax, r.pos - 5);
  gammaStar = r.bits(3) + 4;
  gamma0 = r.bits(3) || 8;
  if (gammaStar < Math.max(4, gamma0 + 1)) bad("gamma*", gammaStar, r.pos - 6);
  if (coder === "hybrid") {
    // §5.3.4.3 hybrid entropy coder: U_max, γ*, γ0 and 5 reserved bits
    r.reserved(5, "reserved (hybrid coder)");
    return { userData, nx, ny, nz, signed, d, order, m, wordBytes, coder, fidelity, p, reduced, localSum, r: rr, omega,
      tIncLog, nuMin, nuMax, weightInit, weightOffsets, absLimits, relLimits, periodExp, absBits, relBits, absDependent, relDependent,
      theta, phi, psi, uMax, gammaStar, gamma0, kz, blockSize, rsi, restricted, supplementaryTables, bodyOffset: r.pos >> 3 };
  }
  const k = r.bits(4);
  const accTable = r.bits(1);
  if (k === 15) {
    if (!accTable) unsupported("accumulator table in optional tables", 0, r.pos - 1);
    for (let z = 0; z < nz; z++) { const v = r.bits(4); if (v > Math.min(d - 2, 14)) bad("k''_z", v, r.pos - 4); kz.push(v); }
    r.align();
  } else {
    if (k > Math.min(d - 2, 14)) bad("K", k, r.pos - 5);
    if (accTable) bad("accumulator initialisation table flag", 1, r.pos - 1);
    for (let z = 0; z < nz; z++) kz.push(k);
  }
  return { userData, nx, ny, nz, signed, d, order, m, wordBytes, coder, fidelity, p, reduced, localSum, r: rr, omega,
    tIncLog, nuMin, nuMax, weightInit, weightOffsets, absLimits, relLimits, periodExp, absBits, relBits, absDependent, relDependent, theta, phi, psi, uMax, gammaStar, gamma0, kz, blockSize, rsi, restricted,
    supplementaryTables, bodyOffset: r.pos >> 3 };
}
