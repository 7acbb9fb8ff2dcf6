// The metered build of the flight image: the same module with one i64 counter (a mutable global,
// exported as `tengri_cost`) that counts the WebAssembly instructions the image executes.
//
// Rewriting is done on the binary, instruction by instruction (host/inspect/wasm.ts), so that
// what is counted is the exact instruction stream of build/flight.wasm (no recompilation, no
// optimizer in between). Each function body is cut into straight-line segments: a segment starts
// at the body's first instruction and after every instruction that can transfer control or be
// jumped to (block, loop, if, else, end, br, br_if, br_table, return, unreachable, and the tail
// call and exception opcodes); it holds every instruction up to and including the next such one.
// At the start of each segment the counter is increased by the segment's instruction count
// (`global.get; i64.const k; i64.add; global.set`, stack-neutral). Execution enters a segment
// only at its start and, once in, runs it to its end (a call returns to the same segment; a trap
// ends the run), so the counter equals the number of original instructions executed — exact up
// to a segment cut short by a trap. The instrumentation's own instructions are not counted.
// The counter depends only on the input: not on the runtime, the JIT or the machine's load.
import { parseModule, instructions, Reader, type Module } from "../inspect/wasm.ts";

export const COST_EXPORT = "tengri_cost";

/** Opcodes after which a new segment starts (control transfers and branch targets). */
const CUTS = new Set([0x00, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x12, 0x13, 0x18, 0x19, 0x1f]);

function uleb(v: number): number[] {
  const out: number[] = [];
  do { let x = v % 128; v = Math.floor(v / 128); if (v) x |= 0x80; out.push(x); } while (v);
  return out;
}
function sleb(v: number): number[] {
  const out: number[] = [];
  for (;;) {
    const x = v & 0x7f;
    v = Math.floor(v / 128);
    const done = (v === 0 && !(x & 0x40)) || (v === -1 && (x & 0x40));
    out.push(done ? x : x | 0x80);
    if (done) return out;
  }
}
const section = (id: number, body: number[] | Uint8Array) => Uint8Array.from([id, ...uleb(body.length), ...body]);

export interface MeteredModule { wasm: Uint8Array; segments: number; instructions: number; counterGlobal: number }

/** The metered copy of a module (see the header). */
export function meter(wasm: Uint8Array): MeteredModule {
  const m: Module = parseModule(wasm);
  const G = m.globals.length;                       // the new global's index
  const inc = (k: number) => [0x23, ...uleb(G), 0x42, ...sleb(k), 0x7c, 0x24, ...uleb(G)];
  let segments = 0, total = 0;
  const bodies: Uint8Array[] = [];
  for (const body of m.bodies) {
    const cuts: { at: number; count: number }[] = [];
    let segStart = body.codeStart, count = 0;
    instructions(m, body, (ins) => {
      count++; total++;
      if (CUTS.has(ins.op)) { cuts.push({ at: segStart, count }); segStart = ins.end; count = 0; }
    });
    const parts: number[] = [...wasm.subarray(body.start, body.codeStart)];
    for (let i = 0; i < cuts.length; i++) {
      const end = i + 1 < cuts.length ? cuts[i + 1].at : body.end;
      parts.push(...inc(cuts[i].count));
      for (let p = cuts[i].at; p < end; p++) parts.push(wasm[p]);
      segments++;
    }
    bodies.push(Uint8Array.from([...uleb(parts.length), ...parts]));
  }
  // Reassemble: the global appended to the global section, its export to the export section,
  // the new bodies in the code section; every other section copied as it is.
  const out: Uint8Array[] = [wasm.subarray(0, 8)];
  const has = (id: number) => m.sections.some((s) => s.id === id);
  const globalEntry = [0x7e, 0x01, 0x42, 0x00, 0x0b];
  const exportEntry = [...uleb(COST_EXPORT.length), ...Buffer.from(COST_EXPORT), 0x03, ...uleb(G)];
  const appendTo = (s: { bodyStart: number; end: number }, entry: number[]) => {
    const r = new Reader(wasm, s.bodyStart, s.end);
    const n = r.u32();
    return Uint8Array.from([...uleb(n + 1), ...wasm.subarray(r.p, s.end), ...entry]);
  };
  const order = [1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11];      // section order in a module (tag after memory)
  const emitted = new Set<number>();
  const emitMissingBefore = (id: number) => {
    for (const k of order) {
      if (k === id) break;
      if (emitted.has(k) || has(k)) continue;
      if (k === 6) { out.push(section(6, [1, ...globalEntry])); emitted.add(6); }
      if (k === 7) { out.push(section(7, [1, ...exportEntry])); emitted.add(7); }
    }
  };
  for (const s of m.sections) {
    if (s.id !== 0) emitMissingBefore(s.id);
    if (s.id === 6) out.push(section(6, appendTo(s, globalEntry)));
    else if (s.id === 7) out.push(section(7, appendTo(s, exportEntry)));
    else if (s.id === 10) out.push(section(10, Uint8Array.from([...uleb(bodies.length), ...bodies.flatMap((x) => [...x])])));
    else out.push(wasm.subarray(s.start, s.end));
    if (s.id !== 0) emitted.add(s.id);
  }
  emitMissingBefore(-1);
  const len = out.reduce((a, x) => a + x.length, 0);
  const res = new Uint8Array(len);
  let o = 0;
  for (const x of out) { res.set(x, o); o += x.length; }
  return { wasm: res, segments, instructions: total, counterGlobal: G };
}
