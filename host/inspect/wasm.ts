// A WebAssembly binary reader for `tengri inspect` and the metered build (host/cost/meter.ts):
// sections, types, imports, exports, memory, tables, element and data segments, custom
// sections, and every instruction of every function body, decoded one by one (opcode and
// immediates), so that the features a module uses are read from its code, not promised.
// It decodes the WebAssembly 1.0 (MVP) instruction set and the finished proposals that add
// opcodes (sign extension, non-trapping float-to-int, bulk memory, reference types, SIMD and
// relaxed SIMD, threads/atomics, tail calls, the legacy exception opcodes); an opcode it does not
// know is an error naming the function and offset, never skipped.

export class WasmError extends Error {
  constructor(readonly reason: "magic" | "truncated" | "malformed" | "opcode", message: string) { super(message); this.name = "WasmError"; }
}

export const SECTION_NAMES = ["custom", "type", "import", "function", "table", "memory", "global", "export", "start", "element", "code", "data", "datacount", "tag"];
const VALTYPES: Record<number, string> = { 0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64", 0x7b: "v128", 0x70: "funcref", 0x6f: "externref" };
const KINDS = ["function", "table", "memory", "global", "tag"];

export interface FuncType { params: string[]; results: string[] }
export interface Section { id: number; name: string; start: number; end: number; bodyStart: number; size: number; customName?: string }
export interface Import { module: string; name: string; kind: string; type?: number; mutable?: boolean }
export interface Export { name: string; kind: string; index: number }
export interface Limits { min: number; max: number | null; shared: boolean; is64: boolean }
export interface Instr { op: number; sub: number; pos: number; end: number; imm: number[] }
export interface FuncBody { index: number; start: number; end: number; codeStart: number; localsEnd: number }

export class Reader {
  p: number;
  constructor(readonly b: Uint8Array, p = 0, readonly limit = b.length) { this.p = p; }
  byte(): number { if (this.p >= this.limit) throw new WasmError("truncated", "the module ends in the middle of a section (truncated)"); return this.b[this.p++]; }
  u32(): number {
    let v = 0, shift = 0;
    for (;;) {
      const x = this.byte();
      v += (x & 0x7f) * 2 ** shift; shift += 7;
      if (!(x & 0x80)) return v;
      if (shift > 35) throw new WasmError("malformed", `malformed LEB128 at offset ${this.p}`);
    }
  }
  /** A signed LEB128 of up to `bits` bits (skipped; its value is not needed beyond 2^53). */
  sleb(bits: number): number {
    let v = 0, shift = 0, x = 0;
    do {
      x = this.byte();
      if (shift < 49) v += (x & 0x7f) * 2 ** shift;
      shift += 7;
      if (shift > bits + 7) throw new WasmError("malformed", `malformed signed LEB128 at offset ${this.p}`);
    } while (x & 0x80);
    if (shift < 53 && x & 0x40) v -= 2 ** shift;
    return v;
  }
  bytes(n: number): Uint8Array { if (this.p + n > this.limit) throw new WasmError("truncated", "the module ends in the middle of a section (truncated)"); const r = this.b.subarray(this.p, this.p + n); this.p += n; return r; }
  name(): string { return Buffer.from(this.bytes(this.u32())).toString("utf8"); }
  valtype(): string { const t = this.byte(); const v = VALTYPES[t]; if (!v) throw new WasmError("malformed", `unknown value type 0x${t.toString(16)} at offset ${this.p - 1}`); return v; }
  limits(): Limits {
    const flags = this.byte();
    if (flags > 7) throw new WasmError("malformed", `unknown limits flags 0x${flags.toString(16)} at offset ${this.p - 1}`);
    const min = this.u32();
    return { min, max: flags & 1 ? this.u32() : null, shared: (flags & 2) !== 0, is64: (flags & 4) !== 0 };
  }
}

export function isWasm(b: Uint8Array): boolean { return b.length >= 4 && b[0] === 0 && b[1] === 0x61 && b[2] === 0x73 && b[3] === 0x6d; }

/** Splits a module into its sections (checks the header and that every section fits). */
export function readSections(b: Uint8Array): Section[] {
  if (!isWasm(b)) throw new WasmError("magic", "not a WebAssembly module (no \\0asm magic)");
  if (b.length < 8) throw new WasmError("truncated", "the module ends inside its 8-octet header (truncated)");
  const version = b[4] | (b[5] << 8) | (b[6] << 16) | (b[7] << 24);
  if (version !== 1) throw new WasmError("malformed", `WebAssembly binary version ${version} (only 1 is read)`);
  const out: Section[] = [];
  const r = new Reader(b, 8);
  while (r.p < b.length) {
    const start = r.p, id = r.byte(), size = r.u32(), bodyStart = r.p;
    if (bodyStart + size > b.length) throw new WasmError("truncated", `section ${SECTION_NAMES[id] ?? id} at offset ${start} runs ${bodyStart + size - b.length} octet(s) past the end of the module (truncated)`);
    if (id > 13) throw new WasmError("malformed", `unknown section id ${id} at offset ${start}`);
    const s: Section = { id, name: SECTION_NAMES[id], start, end: bodyStart + size, bodyStart, size: bodyStart + size - start };
    if (id === 0) { const cr = new Reader(b, bodyStart, bodyStart + size); s.customName = cr.name(); }
    out.push(s);
    r.p = bodyStart + size;
  }
  return out;
}

export interface Module {
  bytes: Uint8Array;
  sections: Section[];
  types: FuncType[];
  imports: Import[];
  /** Type index of every function, imported ones first (the function index space). */
  funcTypes: number[];
  importedFuncs: number;
  tables: Limits[];
  memories: Limits[];
  globals: { type: string; mutable: boolean }[];
  importedGlobals: number;
  exports: Export[];
  start: number | null;
  /** Function indices each table can hold (from active element segments; declared/passive ones in `declared`). */
  elements: { table: number; offset: number | null; funcs: number[]; mode: "active" | "passive" | "declarative" }[];
  data: { mode: "active" | "passive"; memory: number; offset: number | null; bytes: number }[];
  dataCount: number | null;
  bodies: FuncBody[];
  custom: { name: string; start: number; end: number; payloadStart: number }[];
  names: Map<number, string>;
  /** Features seen outside function bodies (passive segments, shared memory, mutable-global imports …). */
  structuralFeatures: Set<string>;
}

function constExpr(r: Reader, features: Set<string>): number | null {
  // An initializer: i32.const/i64.const/global.get/ref.func/ref.null … end. Returns an i32.const value.
  let value: number | null = null;
  for (;;) {
    const op = r.byte();
    if (op === 0x0b) return value;
    if (op === 0x41) value = r.sleb(32);
    else if (op === 0x42) { r.sleb(64); value = null; }
    else if (op === 0x43) r.bytes(4);
    else if (op === 0x44) r.bytes(8);
    else if (op === 0x23) { r.u32(); value = null; }
    else if (op === 0xd0) { r.byte(); features.add("reference-types"); }
    else if (op === 0xd2) { r.u32(); features.add("reference-types"); }
    else if (op === 0xfd && r.u32() === 12) { r.bytes(16); features.add("simd"); }
    else if (op === 0x6a || op === 0x6b || op === 0x6c || op === 0x7c || op === 0x7d || op === 0x7e) { features.add("extended-const"); value = null; }
    else throw new WasmError("malformed", `unsupported instruction 0x${op.toString(16)} in a constant expression at offset ${r.p - 1}`);
  }
}

/** Reads every section's contents (not the instructions: see `instructions`). */
export function parseModule(b: Uint8Array): Module {
  const sections = readSections(b);
  const m: Module = {
    bytes: b, sections, types: [], imports: [], funcTypes: [], importedFuncs: 0, tables: [], memories: [], globals: [], importedGlobals: 0,
    exports: [], start: null, elements: [], data: [], dataCount: null, bodies: [], custom: [], names: new Map(), structuralFeatures: new Set(),
  };
  const F = m.structuralFeatures;
  let declaredFuncs = 0;
  for (const s of sections) {
    const r = new Reader(b, s.bodyStart, s.end);
    const vec = (f: (i: number) => void) => { const n = r.u32(); for (let i = 0; i < n; i++) f(i); };
    switch (s.id) {
      case 0: {
        const name = r.name();
        m.custom.push({ name, start: s.start, end: s.end, payloadStart: r.p });
        if (name === "name") readNames(b, r.p, s.end, m.names);
        break;
      }
      case 1: vec(() => {
        const form = r.byte();
        if (form !== 0x60) throw new WasmError("malformed", `type section: form 0x${form.toString(16)} is not a function type (GC types are not read)`);
        const params: string[] = []; vec(() => params.push(r.valtype()));
        const results: string[] = []; vec(() => results.push(r.valtype()));
        if (results.length > 1) F.add("multi-value");
        m.types.push({ params, results });
      }); break;
      case 2: vec(() => {
        const module = r.name(), name = r.name(), kind = r.byte();
        const imp: Import = { module, name, kind: KINDS[kind] ?? `kind ${kind}` };
        if (kind === 0) { imp.type = r.u32(); m.funcTypes.push(imp.type); m.importedFuncs++; }
        else if (kind === 1) { r.valtype(); m.tables.push(r.limits()); }
        else if (kind === 2) { const l = r.limits(); m.memories.push(l); if (l.shared) F.add("threads"); if (l.is64) F.add("memory64"); }
        else if (kind === 3) { const type = r.valtype(); const mut = r.byte() === 1; imp.mutable = mut; m.globals.push({ type, mutable: mut }); m.importedGlobals++; if (mut) F.add("mutable-globals"); }
        else if (kind === 4) { r.byte(); r.u32(); F.add("exceptions"); }
        else throw new WasmError("malformed", `import ${module}.${name}: unknown kind ${kind}`);
        m.imports.push(imp);
      }); break;
      case 3: vec(() => { m.funcTypes.push(r.u32()); declaredFuncs++; }); break;
      case 4: vec(() => { const t = r.valtype(); if (t !== "funcref") F.add("reference-types"); m.tables.push(r.limits()); }); break;
      case 5: vec(() => { const l = r.limits(); m.memories.push(l); if (l.shared) F.add("threads"); if (l.is64) F.add("memory64"); }); break;
      case 6: vec(() => { const type = r.valtype(); const mutable = r.byte() === 1; constExpr(r, F); m.globals.push({ type, mutable }); }); break;
      case 7: vec(() => {
        const name = r.name(), kind = r.byte(), index = r.u32();
        m.exports.push({ name, kind: KINDS[kind] ?? `kind ${kind}`, index });
        if (kind === 3 && m.globals[index]?.mutable) F.add("mutable-globals");
      }); break;
      case 8: m.start = r.u32(); break;
      case 9: vec(() => {
        const flags = r.u32();
        if (flags > 7) throw new WasmError("malformed", `element segment flags ${flags}`);
        if (flags !== 0) F.add(flags & 1 ? "bulk-memory" : "reference-types");
        const mode = flags & 1 ? (flags & 2 ? "declarative" : "passive") : "active";
        const table = flags & 2 && !(flags & 1) ? r.u32() : 0;
        const offset = mode === "active" ? constExpr(r, F) : null;
        const funcs: number[] = [];
        if (flags & 4) {                                   // expressions
          if (flags & 3) r.valtype();
          vec(() => { const e = new Reader(b, r.p, s.end); if (b[e.p] === 0xd2) { e.byte(); funcs.push(e.u32()); } constExpr(r, F); });
        } else {
          if (flags & 3) { const k = r.byte(); if (k !== 0) throw new WasmError("malformed", `element kind ${k}`); }
          vec(() => funcs.push(r.u32()));
        }
        m.elements.push({ table, offset, funcs, mode });
      }); break;
      case 10: {
        const n = r.u32();
        if (n !== declaredFuncs) throw new WasmError("malformed", `code section has ${n} bodies for ${declaredFuncs} declared functions`);
        for (let i = 0; i < n; i++) {
          const size = r.u32(), start = r.p, end = start + size;
          if (end > s.end) throw new WasmError("truncated", `body of function ${m.importedFuncs + i} runs past its section (truncated)`);
          const groups = new Reader(b, start, end); const g = groups.u32();
          for (let k = 0; k < g; k++) { groups.u32(); groups.valtype(); }
          m.bodies.push({ index: m.importedFuncs + i, start, end, codeStart: groups.p, localsEnd: groups.p });
          r.p = end;
        }
        break;
      }
      case 11: vec(() => {
        const flags = r.u32();
        if (flags > 2) throw new WasmError("malformed", `data segment flags ${flags}`);
        if (flags === 1) F.add("bulk-memory");
        if (flags === 2) F.add("multi-memory");
        const memory = flags === 2 ? r.u32() : 0;
        const offset = flags === 1 ? null : constExpr(r, F);
        const len = r.u32(); r.bytes(len);
        m.data.push({ mode: flags === 1 ? "passive" : "active", memory, offset, bytes: len });
      }); break;
      case 12: m.dataCount = r.u32(); F.add("bulk-memory"); break;
      case 13: F.add("exceptions"); break;
    }
    if (s.id !== 0 && s.id !== 10 && r.p !== s.end) throw new WasmError("malformed", `section ${s.name} at offset ${s.start}: ${s.end - r.p} octet(s) left over`);
  }
  if (m.memories.length > 1) F.add("multi-memory");
  if (m.bodies.length !== declaredFuncs) throw new WasmError("malformed", `${declaredFuncs} functions declared, ${m.bodies.length} bodies`);
  return m;
}

function readNames(b: Uint8Array, p: number, end: number, names: Map<number, string>): void {
  try {
    const r = new Reader(b, p, end);
    while (r.p < end) {
      const id = r.byte(), size = r.u32(), next = r.p + size;
      if (id === 1) { const n = r.u32(); for (let i = 0; i < n; i++) { const idx = r.u32(); names.set(idx, r.name()); } }
      r.p = next;
    }
  } catch { /* a malformed name section only loses names */ }
}

/** Human name of a function: its name-section name, else its export or import name, else func[N]. */
export function funcName(m: Module, i: number): string {
  const n = m.names.get(i);
  if (n) return n;
  if (i < m.importedFuncs) { const imp = m.imports.filter((x) => x.kind === "function")[i]; return `${imp.module}.${imp.name}`; }
  const e = m.exports.find((x) => x.kind === "function" && x.index === i);
  return e ? `${e.name} (func[${i}])` : `func[${i}]`;
}

// ---- instructions ------------------------------------------------------------------------------
/** The feature each opcode outside the MVP belongs to (null: MVP). */
export function featureOf(op: number, sub: number): string | null {
  if (op >= 0xc0 && op <= 0xc4) return "sign-ext";
  if (op === 0xfc) return sub <= 7 ? "nontrapping-f2i" : sub <= 14 ? "bulk-memory" : "reference-types";
  if (op === 0xfd) return sub >= 0x100 ? "relaxed-simd" : "simd";
  if (op === 0xfe) return "threads";
  if (op === 0x12 || op === 0x13) return "tail-call";
  if (op === 0x06 || op === 0x07 || op === 0x08 || op === 0x09 || op === 0x18 || op === 0x19 || op === 0x0a || op === 0x1f) return "exceptions";
  if (op === 0xd0 || op === 0xd1 || op === 0xd2 || op === 0x25 || op === 0x26 || op === 0x1c) return "reference-types";
  return null;
}

const SIMD_MEMARG = new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 92, 93]);

/**
 * Decodes the body's instructions, calling `each` for every one (with its opcode, sub-opcode for
 * prefixed ones, offsets and the immediates the analyses use: the callee of call, the type and
 * table of call_indirect, the block type of block/loop/if/try). Stops after the body's last `end`;
 * an unknown opcode or a body that does not end where its size says is an error.
 */
export function instructions(m: Module, body: FuncBody, each: (ins: Instr) => void): void {
  const b = m.bytes;
  const r = new Reader(b, body.codeStart, body.end);
  let depth = 1;
  const where = (pos: number) => `function ${funcName(m, body.index)} at offset ${pos}`;
  while (depth > 0) {
    const pos = r.p;
    const op = r.byte();
    let sub = 0;
    const imm: number[] = [];
    const memarg = () => { const a = r.u32(); if (a & 0x40) r.u32(); r.u32(); };
    const blocktype = () => {
      const t = b[r.p];
      if (t === 0x40 || VALTYPES[t]) { r.byte(); imm.push(-1); }
      else { const idx = r.sleb(33); imm.push(idx); }
    };
    switch (op) {
      case 0x00: case 0x01: case 0x0f: case 0x1a: case 0x1b: case 0xd1: case 0x19: case 0x0a: break;
      case 0x05: break;                                     // else
      case 0x0b: depth--; break;                            // end
      case 0x02: case 0x03: case 0x04: case 0x06: blocktype(); depth++; break;
      case 0x07: case 0x08: r.u32(); break;                 // catch, throw
      case 0x09: case 0x18: r.u32(); if (op === 0x18) depth--; break; // rethrow, delegate (ends a try)
      case 0x1f: {                                          // try_table
        blocktype(); depth++;
        const n = r.u32();
        for (let i = 0; i < n; i++) { const k = r.byte(); if (k === 0 || k === 1) r.u32(); r.u32(); }
        break;
      }
      case 0x0c: case 0x0d: imm.push(r.u32()); break;
      case 0x0e: { const n = r.u32(); for (let i = 0; i <= n; i++) r.u32(); break; }
      case 0x10: case 0x12: imm.push(r.u32()); break;
      case 0x11: case 0x13: imm.push(r.u32(), r.u32()); break;
      case 0x1c: { const n = r.u32(); for (let i = 0; i < n; i++) r.valtype(); break; }
      case 0x20: case 0x21: case 0x22: case 0x23: case 0x24: case 0x25: case 0x26: imm.push(r.u32()); break;
      case 0x3f: case 0x40: imm.push(r.byte()); break;
      case 0x41: r.sleb(32); break;
      case 0x42: r.sleb(64); break;
      case 0x43: r.bytes(4); break;
      case 0x44: r.bytes(8); break;
      case 0xd0: r.byte(); break;
      case 0xd2: imm.push(r.u32()); break;
      case 0xfc: {
        sub = r.u32();
        if (sub <= 7) break;
        if (sub === 8) { r.u32(); r.byte(); } else if (sub === 9 || sub === 13) r.u32();
        else if (sub === 10) { r.byte(); r.byte(); } else if (sub === 11) r.byte();
        else if (sub === 12 || sub === 14) { r.u32(); r.u32(); } else if (sub >= 15 && sub <= 17) r.u32();
        else throw new WasmError("opcode", `unknown opcode 0xfc ${sub} in ${where(pos)}`);
        break;
      }
      case 0xfd: {
        sub = r.u32();
        if (SIMD_MEMARG.has(sub)) memarg();
        else if (sub === 12 || sub === 13) r.bytes(16);
        else if (sub >= 21 && sub <= 34) r.byte();
        else if (sub >= 84 && sub <= 91) { memarg(); r.byte(); }
        else if (sub > 0x113) throw new WasmError("opcode", `unknown opcode 0xfd ${sub} in ${where(pos)}`);
        break;
      }
      case 0xfe: {
        sub = r.u32();
        if (sub === 3) r.byte();
        else if (sub <= 2 || (sub >= 0x10 && sub <= 0x4e)) memarg();
        else throw new WasmError("opcode", `unknown opcode 0xfe ${sub} in ${where(pos)}`);
        break;
      }
      default:
        if (op >= 0x28 && op <= 0x3e) { memarg(); break; }
        if (op >= 0x45 && op <= 0xc4) break;
        throw new WasmError("opcode", `unknown opcode 0x${op.toString(16)} in ${where(pos)}`);
    }
    each({ op, sub, pos, end: r.p, imm });
  }
  if (r.p !== body.end) throw new WasmError("malformed", `function ${funcName(m, body.index)}: code ends at offset ${r.p}, its size says ${body.end}`);
}

/** Structural equality of two type indices (call_indirect matches signatures, not indices). */
export function sameType(m: Module, a: number, b: number): boolean {
  const x = m.types[a], y = m.types[b];
  return !!x && !!y && x.params.join() === y.params.join() && x.results.join() === y.results.join();
}

export function typeString(t: FuncType | undefined): string {
  return t ? `(${t.params.join(", ")}) -> (${t.results.join(", ")})` : "?";
}

/** The module without its custom sections named `name` (the other octets unchanged). */
export function withoutCustomSection(b: Uint8Array, name: string): Uint8Array {
  const keep = readSections(b).filter((s) => !(s.id === 0 && s.customName === name));
  const out = new Uint8Array(8 + keep.reduce((a, s) => a + s.end - s.start, 0));
  out.set(b.subarray(0, 8), 0);
  let o = 8;
  for (const s of keep) { out.set(b.subarray(s.start, s.end), o); o += s.end - s.start; }
  return out;
}
