// Hand-assembled WebAssembly modules for the inspect and cost tests: a few functions of given
// types and bodies, an optional table, exports and a name section, so that a test states exactly
// which instructions a module holds.
export const I32 = 0x7f, I64 = 0x7e, V128 = 0x7b;

function uleb(v: number): number[] {
  const out: number[] = [];
  do { let x = v & 0x7f; v >>>= 7; if (v) x |= 0x80; out.push(x); } while (v);
  return out;
}
const str = (s: string) => [...uleb(Buffer.byteLength(s)), ...Buffer.from(s)];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];

export interface FuncSpec { name: string; type: number; locals?: [number, number][]; code: number[]; export?: boolean }
export interface ModuleSpec {
  types: { params: number[]; results: number[] }[];
  funcs: FuncSpec[];
  /** Function indices placed in table 0 at offset 0. */
  table?: number[];
  memory?: { min: number; max?: number };
  imports?: { module: string; name: string; type: number }[];
}

export function buildModule(s: ModuleSpec): Uint8Array {
  const imports = s.imports ?? [];
  const out: number[] = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0];
  out.push(...section(1, vec(s.types.map((t) => [0x60, ...vec(t.params.map((p) => [p])), ...vec(t.results.map((r) => [r]))]))));
  if (imports.length) out.push(...section(2, vec(imports.map((i) => [...str(i.module), ...str(i.name), 0, ...uleb(i.type)]))));
  out.push(...section(3, vec(s.funcs.map((f) => uleb(f.type)))));
  if (s.table) out.push(...section(4, vec([[0x70, 0x00, ...uleb(s.table.length)]])));
  if (s.memory) out.push(...section(5, vec([s.memory.max === undefined ? [0, ...uleb(s.memory.min)] : [1, ...uleb(s.memory.min), ...uleb(s.memory.max)]])));
  const exps = s.funcs.map((f, i) => (f.export ? [...str(f.name), 0, ...uleb(imports.length + i)] : null)).filter((x): x is number[] => x !== null);
  if (s.memory) exps.push([...str("memory"), 2, 0]);
  out.push(...section(7, vec(exps)));
  if (s.table) out.push(...section(9, vec([[0x00, 0x41, 0x00, 0x0b, ...vec(s.table.map((f) => uleb(f)))]])));
  out.push(...section(10, vec(s.funcs.map((f) => {
    const body = [...vec((f.locals ?? []).map(([n, t]) => [...uleb(n), t])), ...f.code, 0x0b];
    return [...uleb(body.length), ...body];
  }))));
  const names = vec([...imports.map((i, k) => [...uleb(k), ...str(`${i.module}.${i.name}`)]), ...s.funcs.map((f, i) => [...uleb(imports.length + i), ...str(f.name)])]);
  out.push(...section(0, [...str("name"), 1, ...uleb(names.length), ...names]));
  return Uint8Array.from(out);
}
