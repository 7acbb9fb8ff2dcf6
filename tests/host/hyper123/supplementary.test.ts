// Supplementary information tables (CCSDS 123.0-B-2 §5.3.2.3) in the ground header parser.
// The flight compressor writes no tables, so the streams here are built by hand: the image
// metadata essential subpart and every table are written by a small bit writer below, laid out
// from the standard's field list (table type 2 bits, reserved 2, purpose 4, reserved 1,
// structure 2, reserved 1, user-defined data 4; then the table data subblock: integer bit depth
// D_I in 5 bits ('00000' = 32) or float significand depth D_F in 5 bits, exponent depth D_E in
// 3 bits ('000' = 8) and exponent bias β in D_E bits; then the elements; then fill bits to a byte
// boundary), and spliced in front of the predictor metadata and body of a stream produced by the
// flight compressor. The field widths and the per-table bit count were cross-checked against
// the reader of the NTNU SmallSat Lab verification model
// (github.com/NTNU-SmallSat-Lab/ccsds123_issue_2_verification_model, src/header.py,
// Header.set_config_from_file): same widths, element size 1 + D_E + D_F for floats, tables
// byte-aligned. No public test stream containing supplementary tables was found in the search
// corpus, so there is no external stream to compare with.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadFlightLib } from "../../../host/obc/lib.ts";
import { compressHyper123, hyper123Defaults, type Hyper123Params } from "../../../host/commands/hyper123.ts";
import { decodeHyper123, Hyper123DecodeError } from "../../../host/ground/hyper123-decoder.ts";
import { parseHyper123Header, type Hyper123Header } from "../../../host/ground/hyper123-header.ts";

const lib = loadFlightLib();

class BitWriter {
  private bits: number[] = [];
  put(v: number, n: number): void {
    for (let i = n - 1; i >= 0; i--) this.bits.push(Math.floor(v / 2 ** i) % 2);
  }
  align(): void { while (this.bits.length % 8) this.bits.push(0); }
  bytes(): Uint8Array {
    this.align();
    const out = new Uint8Array(this.bits.length / 8);
    for (let i = 0; i < this.bits.length; i++) out[i >> 3] |= this.bits[i] << (7 - (i & 7));
    return out;
  }
}

/** §5.3.2.2 essential subpart (96 bits) written from the parsed fields, with table count τ. */
function essential(h: Hyper123Header, tau: number): Uint8Array {
  const w = new BitWriter();
  w.put(h.userData, 8);
  w.put(h.nx % 65536, 16); w.put(h.ny % 65536, 16); w.put(h.nz % 65536, 16);
  w.put(h.signed ? 1 : 0, 1); w.put(0, 1);
  w.put(h.d > 16 ? 1 : 0, 1); w.put(h.d % 16, 4);
  w.put(h.order === "bsq" ? 1 : 0, 1);
  w.put(h.order === "bi" ? h.m % 65536 : 0, 16);
  w.put(0, 2);
  w.put(h.wordBytes % 8, 3);
  w.put({ "sample-adaptive": 0, hybrid: 1, "block-adaptive": 2 }[h.coder], 2);
  w.put(0, 1);
  w.put(h.fidelity, 2);
  w.put(0, 2);
  w.put(tau, 4);
  return w.bytes();
}

type TType = "unsigned" | "signed" | "float";
type TStruct = "zero-dimensional" | "one-dimensional" | "two-dimensional-zx" | "two-dimensional-yx";
interface TableSpec {
  type: TType; purpose: number; structure: TStruct; userData: number;
  /** integer tables: D_I; float tables: D_F, D_E, β */
  di?: number; df?: number; de?: number; bias?: number;
  /** element bit patterns, stream order */
  raw: number[];
  /** reserved bits to set (for the negative tests): index 0..3 of the 4 reserved bits */
  badReserved?: number;
  typeField?: number;
}

function table(t: TableSpec): Uint8Array {
  const w = new BitWriter();
  w.put(t.typeField ?? { unsigned: 0, signed: 1, float: 2 }[t.type], 2);
  w.put(t.badReserved === 0 ? 1 : 0, 1); w.put(t.badReserved === 1 ? 1 : 0, 1);
  w.put(t.purpose, 4);
  w.put(t.badReserved === 2 ? 1 : 0, 1);
  w.put(["zero-dimensional", "one-dimensional", "two-dimensional-zx", "two-dimensional-yx"].indexOf(t.structure), 2);
  w.put(t.badReserved === 3 ? 1 : 0, 1);
  w.put(t.userData, 4);
  let eb: number;
  if (t.type === "float") {
    w.put(t.df!, 5); w.put(t.de! % 8, 3); w.put(t.bias!, t.de!);
    eb = 1 + t.de! + t.df!;
  } else { w.put(t.di! % 32, 5); eb = t.di!; }
  for (const v of t.raw) w.put(v, eb);
  return w.bytes();
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

function cube(nx: number, ny: number, nz: number, d: number, seed: number): Uint16Array {
  const c = new Uint16Array(nx * ny * nz);
  let s = seed >>> 0;
  for (let i = 0; i < c.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const z = Math.floor(i / (nx * ny));
    c[i] = Math.min(2 ** d - 1, 200 * (z + 1) + (i % nx) * 3 + (s >>> 28));
  }
  return c;
}

const NX = 5, NY = 4, NZ = 3;
const f32bits = (x: number): number => { const dv = new DataView(new ArrayBuffer(4)); dv.setFloat32(0, x); return dv.getUint32(0); };
const f32 = (bits: number): number => { const dv = new DataView(new ArrayBuffer(4)); dv.setUint32(0, bits); return dv.getFloat32(0); };
const size = (s: TStruct): number => ({ "zero-dimensional": 1, "one-dimensional": NZ, "two-dimensional-zx": NZ * NX, "two-dimensional-yx": NY * NX })[s];
const dimsOf = (s: TStruct): number[] => ({ "zero-dimensional": [], "one-dimensional": [NZ], "two-dimensional-zx": [NZ, NX], "two-dimensional-yx": [NY, NX] })[s];

/** Every table type × every structure, with varied bit depths (1, 7, 16, 32 coded as '00000'). */
function allTables(): { spec: TableSpec; data: number[] }[] {
  const out: { spec: TableSpec; data: number[] }[] = [];
  const structs: TStruct[] = ["zero-dimensional", "one-dimensional", "two-dimensional-zx", "two-dimensional-yx"];
  const depths = [1, 7, 16, 32];
  structs.forEach((structure, k) => {
    const n = size(structure), di = depths[k];
    const u = Array.from({ length: n }, (_, i) => i === n - 1 ? 2 ** di - 1 : (i * 2654435761) % 2 ** di);
    out.push({ spec: { type: "unsigned", purpose: k, structure, userData: 15 - k, di, raw: u }, data: u });
    const sdi = Math.max(2, di);
    const sv = Array.from({ length: n }, (_, i) => i === 0 ? -(2 ** (sdi - 1)) : i === n - 1 ? 2 ** (sdi - 1) - 1 : ((i * 40503) % 2 ** sdi) - 2 ** (sdi - 1));
    out.push({ spec: { type: "signed", purpose: 4 + k, structure, userData: k, di: sdi, raw: sv.map((v) => v < 0 ? v + 2 ** sdi : v) }, data: sv });
    // IEEE-754 binary32 layout (D_F 23, D_E 8 coded '000', β 127): values checked against DataView
    const fv = Array.from({ length: n }, (_, i) => Math.fround((i % 2 ? -1 : 1) * (0.15625 + i * 3.7) * 2 ** (i - 6)));
    const fr = fv.map(f32bits);
    out.push({ spec: { type: "float", purpose: 8 + k, structure, userData: 7, df: 23, de: 8, bias: 127, raw: fr }, data: fr.map(f32) });
  });
  return out;
}

function build(p: Hyper123Params, tables: Uint8Array[], tau = tables.length): { stream: Uint8Array; flight: Uint8Array; c: Uint16Array } {
  const c = cube(p.nx, p.ny, p.nz, p.d, 7);
  const flight = compressHyper123(lib, p, c);
  const h = parseHyper123Header(flight);
  const ess = essential(h, 0);
  assert.deepEqual(ess, flight.subarray(0, 12), "essential subpart written from the parsed fields equals the flight's");
  return { stream: concat(essential(h, tau), ...tables, flight.subarray(12)), flight, c };
}

const params = (over: Partial<Hyper123Params>): Hyper123Params => ({ ...hyper123Defaults(NX, NY, NZ), d: 12, ...over });

test("[123.0-B-2 §5.3.2.3] twelve supplementary tables (unsigned, signed, float × zero-, one-, two-dimensional-zx, -yx) parsed field by field; body decodes exactly", () => {
  const all = allTables();
  assert.equal(all.length, 12);
  const { stream, flight, c } = build(params({}), all.map((t) => table(t.spec)));
  const dec = decodeHyper123(stream);
  assert.deepEqual(Array.from(dec.samples), Array.from(c));
  const h = dec.header;
  assert.equal(h.bodyOffset, parseHyper123Header(flight).bodyOffset + (stream.length - flight.length));
  assert.equal(h.supplementaryTables.length, 12);
  all.forEach(({ spec, data }, i) => {
    const t = h.supplementaryTables[i];
    assert.equal(t.type, spec.type, `table ${i} type`);
    assert.equal(t.purpose, spec.purpose, `table ${i} purpose`);
    assert.equal(t.structure, spec.structure, `table ${i} structure`);
    assert.equal(t.userData, spec.userData, `table ${i} user data`);
    assert.deepEqual(t.dims, dimsOf(spec.structure), `table ${i} dims`);
    if (spec.type === "float") {
      assert.deepEqual(t.float, { significandBits: 23, exponentBits: 8, bias: 127 });
      assert.equal(t.elementBits, 32);
    } else {
      assert.equal(t.float, null);
      assert.equal(t.elementBits, spec.di);
    }
    assert.deepEqual(t.raw, spec.raw, `table ${i} raw`);
    assert.deepEqual(t.data, data, `table ${i} data`);
  });
});

test("[123.0-B-2 §5.3.2.3] small float format (D_F 3, D_E 2, β 1): normal and e = 0 elements; odd-sized tables end on fill bits", () => {
  // elements: sign | exponent (2) | significand (3); values worked by hand
  const pat = (s: number, e: number, f: number): number => s * 32 + e * 8 + f;
  const raw = [pat(0, 2, 5), pat(1, 1, 0), pat(0, 0, 4)];
  const one = table({ type: "float", purpose: 3, structure: "one-dimensional", userData: 9, df: 3, de: 2, bias: 1, raw });
  // 16 header bits + 5 + 3 + 2 format bits + 3 × 6 = 44 bits → 6 bytes with 4 fill bits
  assert.equal(one.length, 6);
  const odd = table({ type: "unsigned", purpose: 0, structure: "zero-dimensional", userData: 0, di: 3, raw: [5] });
  assert.equal(odd.length, 3);
  const { stream, c } = build(params({ coder: "hybrid" }), [one, odd]);
  const dec = decodeHyper123(stream);
  assert.deepEqual(Array.from(dec.samples), Array.from(c));
  const [t, u] = dec.header.supplementaryTables;
  assert.deepEqual(t.float, { significandBits: 3, exponentBits: 2, bias: 1 });
  assert.equal(t.elementBits, 6);
  assert.deepEqual(t.data, [3.25, -1, 0.5]);   // 2^(2-1)·(1+5/8), −2^0·1, 2^(1-1)·4/8
  assert.deepEqual(u.data, [5]);
});

test("[123.0-B-2 §5.3.2.3] tables in front of each entropy coder and order (sample-adaptive BIP, hybrid BIL, block-adaptive BSQ, near-lossless)", () => {
  const specs = allTables().filter((_, i) => i % 4 === 1).map((t) => t.spec);
  for (const over of [
    { order: "bi", m: NZ } as Partial<Hyper123Params>,
    { coder: "hybrid", order: "bi", m: 1 } as Partial<Hyper123Params>,
    { coder: "block-adaptive", blockSize: 8, rsi: 2 } as Partial<Hyper123Params>,
    { fidelity: 1, absLimit: 2, absBits: 3 } as Partial<Hyper123Params>,
  ]) {
    const { stream, c } = build(params(over), specs.map(table));
    const dec = decodeHyper123(stream);
    for (let i = 0; i < c.length; i++) assert.ok(Math.abs(dec.samples[i] - c[i]) <= (dec.maxError?.[i] ?? 0), `${JSON.stringify(over)} sample ${i}`);
    assert.deepEqual(dec.header.supplementaryTables.map((t) => t.raw), specs.map((s) => s.raw));
  }
});

test("[123.0-B-2 §5.3.2.3] no tables: τ = 0 gives an empty list", () => {
  const { stream } = build(params({}), []);
  assert.deepEqual(parseHyper123Header(stream).supplementaryTables, []);
});

test("[123.0-B-2 §5.3.2.3] reserved table type '11', set reserved bits and a table cut short are refused with the field named", () => {
  const base: TableSpec = { type: "unsigned", purpose: 1, structure: "two-dimensional-yx", userData: 2, di: 8, raw: new Array(NY * NX).fill(9) };
  const { flight } = build(params({}), []);
  const h = parseHyper123Header(flight);
  const err = (s: Uint8Array): Hyper123DecodeError => {
    try { parseHyper123Header(s); } catch (e) { if (e instanceof Hyper123DecodeError) return e; throw e; }
    assert.fail("accepted");
  };
  let e = err(concat(essential(h, 1), table({ ...base, typeField: 3 }), flight.subarray(12)));
  assert.equal(e.code, "BAD_HEADER"); assert.equal(e.field, "supplementary table 0 type"); assert.equal(e.value, 3); assert.equal(e.bitOffset, 96);
  for (let k = 0; k < 4; k++) {
    e = err(concat(essential(h, 2), table(base), table({ ...base, badReserved: k }), flight.subarray(12)));
    assert.equal(e.code, "BAD_HEADER"); assert.equal(e.field, "reserved (supplementary table 1)");
  }
  const full = concat(essential(h, 1), table(base));
  e = err(full.subarray(0, full.length - 1));
  assert.equal(e.code, "TRUNCATED"); assert.equal(e.field, "supplementary table 0 data");
  // τ tables announced, fewer present: the predictor metadata is read as a table and the stream runs out or is refused
  assert.throws(() => decodeHyper123(concat(essential(h, 15), table(base), flight.subarray(12))), Hyper123DecodeError);
});
