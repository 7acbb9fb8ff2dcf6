// What `tengri inspect` computes from a module's code: the WebAssembly features its instructions
// use (an opcode scan of every function body), and the call graph from its call instructions,
// with its maximum depth and its cycles (recursion is forbidden in flight code: checked here).
//
// call_indirect: the callee is not in the instruction, so every function the module's tables
// can hold (active, passive or declared element segments) whose signature equals the call's type
// is taken as a possible callee — a conservative over-approximation: a cycle through a table is
// reported even if no run could take it, and the depth counts the deepest such target.
import { featureOf, funcName, instructions, sameType, type Module } from "./wasm.ts";

export interface FeatureReport {
  /** Feature names, "mvp" first, then the proposals the code or the structure uses. */
  used: string[];
  /** Instructions per feature (the MVP included), over every body. */
  instructions: Record<string, number>;
  totalInstructions: number;
}

export interface CallGraphReport {
  functions: number;
  directCalls: number;
  indirectCallSites: number;
  /** Every function a table can hold: the possible targets of call_indirect. */
  tableTargets: string[];
  indirectPolicy: string;
  /** Defined (WebAssembly) functions on the deepest call chain from an export or the start function; null when there is a cycle. */
  maxDepth: number | null;
  deepestChain: string[];
  recursion: boolean;
  /** Each cycle (strongly connected component, or a function calling itself), by function name. */
  cycles: string[][];
  roots: string[];
  /** Where the function names come from: the module's name section, or only exports and indices (func[N]). */
  namesFrom: "name section" | "exports and indices";
}

export function scanFeatures(m: Module): FeatureReport {
  const count: Record<string, number> = { mvp: 0 };
  const used = new Set<string>(m.structuralFeatures);
  let total = 0;
  for (const body of m.bodies) {
    instructions(m, body, (ins) => {
      total++;
      let f = featureOf(ins.op, ins.sub);
      if (ins.op === 0x11 && ins.imm[1] !== 0) f = "reference-types";      // call_indirect on a table other than 0
      if ((ins.op >= 0x02 && ins.op <= 0x04) && ins.imm[0] >= 0) {
        const t = m.types[ins.imm[0]];
        if (t && (t.params.length > 0 || t.results.length > 1)) f = "multi-value";
      }
      if ((ins.op === 0x3f || ins.op === 0x40) && ins.imm[0] !== 0) f = "multi-memory";
      const k = f ?? "mvp";
      count[k] = (count[k] ?? 0) + 1;
      if (f) used.add(f);
    });
  }
  return { used: ["mvp", ...[...used].filter((x) => x !== "mvp").sort()], instructions: count, totalInstructions: total };
}

export function callGraph(m: Module): CallGraphReport {
  const n = m.funcTypes.length;
  const edges: Set<number>[] = Array.from({ length: n }, () => new Set());
  const tableFuncs = [...new Set(m.elements.flatMap((e) => e.funcs))].sort((a, b) => a - b);
  let direct = 0, indirect = 0;
  for (const body of m.bodies) {
    instructions(m, body, (ins) => {
      if (ins.op === 0x10 || ins.op === 0x12) { edges[body.index].add(ins.imm[0]); direct++; }
      else if (ins.op === 0x11 || ins.op === 0x13) {
        indirect++;
        for (const f of tableFuncs) if (sameType(m, m.funcTypes[f], ins.imm[0])) edges[body.index].add(f);
      } else if (ins.op === 0xd2) {
        // ref.func: the function may be called through a table later; it is a table target.
        if (!tableFuncs.includes(ins.imm[0])) tableFuncs.push(ins.imm[0]);
      }
    });
  }
  const cycles = stronglyConnected(n, edges).filter((c) => c.length > 1 || edges[c[0]].has(c[0]));
  const roots = [...new Set([...m.exports.filter((e) => e.kind === "function").map((e) => e.index), ...(m.start !== null ? [m.start] : [])])].filter((i) => i >= m.importedFuncs);
  let maxDepth: number | null = null, chain: number[] = [];
  if (!cycles.length) {
    const memo = new Map<number, number[]>();
    const deepest = (f: number): number[] => {
      const hit = memo.get(f);
      if (hit) return hit;
      let best: number[] = [];
      for (const g of edges[f]) if (g >= m.importedFuncs) { const c = deepest(g); if (c.length > best.length) best = c; }
      const r = [f, ...best];
      memo.set(f, r);
      return r;
    };
    for (const r of roots) { const c = deepest(r); if (c.length > chain.length) chain = c; }
    maxDepth = chain.length;
  }
  return {
    functions: n, directCalls: direct, indirectCallSites: indirect,
    tableTargets: tableFuncs.map((f) => funcName(m, f)),
    indirectPolicy: indirect
      ? `each call_indirect may call any function a table holds whose signature equals the call's type (${tableFuncs.length} table target(s)); conservative: counted in the depth and in the cycle check`
      : "no call_indirect in the module: every call is direct",
    maxDepth, deepestChain: chain.map((f) => funcName(m, f)),
    recursion: cycles.length > 0,
    cycles: cycles.map((c) => c.map((f) => funcName(m, f))),
    roots: roots.map((f) => funcName(m, f)),
    namesFrom: m.names.size ? "name section" : "exports and indices",
  };
}

/** Tarjan's strongly connected components, iterative. */
function stronglyConnected(n: number, edges: Set<number>[]): number[][] {
  const index = new Array<number>(n).fill(-1), low = new Array<number>(n).fill(0), onStack = new Array<boolean>(n).fill(false);
  const stack: number[] = [], out: number[][] = [];
  let next = 0;
  for (let s = 0; s < n; s++) {
    if (index[s] >= 0) continue;
    const work: { v: number; it: Iterator<number> }[] = [{ v: s, it: edges[s].values() }];
    index[s] = low[s] = next++; stack.push(s); onStack[s] = true;
    while (work.length) {
      const top = work[work.length - 1];
      const step = top.it.next();
      if (!step.done) {
        const w = step.value;
        if (index[w] < 0) { index[w] = low[w] = next++; stack.push(w); onStack[w] = true; work.push({ v: w, it: edges[w].values() }); }
        else if (onStack[w]) low[top.v] = Math.min(low[top.v], index[w]);
        continue;
      }
      work.pop();
      if (work.length) low[work[work.length - 1].v] = Math.min(low[work[work.length - 1].v], low[top.v]);
      if (low[top.v] === index[top.v]) {
        const comp: number[] = [];
        let w: number;
        do { w = stack.pop()!; onStack[w] = false; comp.push(w); } while (w !== top.v);
        out.push(comp.sort((a, b) => a - b));
      }
    }
  }
  return out;
}
