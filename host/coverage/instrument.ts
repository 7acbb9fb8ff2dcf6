// Source-level instrumentation of the flight code for structural coverage (issue 10, item 1).
//
// Every file is parsed with the AssemblyScript 0.27 compiler's own parser (the exact AST the
// compiler sees); probes are inserted as text at the exact offsets of the AST nodes, so every
// counter maps back to a line and column of the original file with no source-map guessing. The
// instrumented copy keeps every original line on its own line (probes are inserted inline), so a
// compiler message about it names the original line as well.
//
// Probes (all calls into the generated module __cov.ts, counters in one static data segment):
//   statement  __cov_s(k);                  before every statement of every function body
//   branch     if: a counter at the start of the then-branch and of the else-branch (an else is
//              added where there is none); while/do/for: the condition wrapped in __cov_b(t, f, c);
//              ?: the condition wrapped; switch: a counter after each case label and a default
//              added where there is none.
//   condition  in the input-judging modules (MCDC_FILES), every leaf of every decision (a
//              control condition, or an && / || expression anywhere) is wrapped in
//              __cov_c(slot, 3^i, t, f, leaf) and the decision in __cov_d(slot, __cov_r(slot), e):
//              the evaluation vector (each condition true, false or not evaluated) and the outcome
//              are recorded, from which condition coverage and MC/DC are computed.
// Conditions that the compiler resolves at compile time (sizeof<T>(), isSigned<T>() … ) are left
// alone (wrapping them would make the compiler compile both arms); they are listed as such.
import * as as from "assemblyscript";

const K = (as as any).NodeKind as Record<string, number>;
const T = (as as any).Token as Record<string, number>;

/** Modules that judge input: decision/condition and MC/DC instrumentation (issue 10). */
export const MCDC_FILES: RegExp[] = [/^assembly\/lib\/config\.ts$/, /^assembly\/lib\/config-check\.ts$/, /^assembly\/abi\//,
  /^assembly\/payload\/bus-record\.ts$/, /^assembly\/frame\//, /^assembly\/packet\//];

/** Entries kept per decision for distinct evaluation vectors (more are counted as overflow). */
export const MCDC_TABLE = 16;
/** Conditions per decision above which MC/DC vectors are not recorded (3^n must fit a u32). */
export const MCDC_MAX_CONDITIONS = 19;

export interface Pos { line: number; col: number }
export interface StmtProbe { id: number; line: number; col: number; endLine: number }
export interface BranchProbe { kind: "if" | "while" | "do" | "for" | "?:" | "switch"; line: number; col: number; outcomes: { label: string; id: number }[]; text: string }
export interface ConditionProbe { t: number; f: number; line: number; col: number; text: string }
export interface DecisionProbe { kind: string; line: number; col: number; text: string; slot: number; conditions: ConditionProbe[]; mcdc: boolean }
export interface Unprobed { line: number; col: number; what: string; reason: string }
export interface FileMap {
  file: string; source: string; statements: StmtProbe[]; branches: BranchProbe[]; decisions: DecisionProbe[]; unprobed: Unprobed[]; mcdc: boolean;
}

/** Allocates counter indices (u32 words after the region header), shared by every file. */
export class Allocator {
  words = 0;
  take(n = 1): number { const k = this.words; this.words += n; return k; }
}

interface Insertion { pos: number; text: string; close: boolean; depth: number; seq: number }

const COMPILE_TIME = /\b(sizeof|alignof|offsetof|nameof|isInteger|isFloat|isSigned|isReference|isString|isArray|isArrayLike|isFunction|isNullable|isDefined|isConstant|isManaged|isVoid|idof|ASC_[A-Z_]+)\b/;

function lineStarts(text: string): number[] {
  const s = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) s.push(i + 1);
  return s;
}

/** Parses one file with the AssemblyScript parser; throws with the compiler's message on a syntax error. */
function parseFile(text: string, file: string): any {
  const program = as.newProgram(as.newOptions());
  as.parse(program, text, file, true);
  const src = (program as any).sources.find((s: any) => s.normalizedPath === file.replace(/\.ts$/, "") + ".ts" || s.normalizedPath === file);
  const diags = (program as any).diagnostics as any[];
  const errs = diags.filter((d: any) => d.category === 2 /* error */);
  if (errs.length) throw new Error(`${file}: parse error: ${errs.map((d: any) => d.message).join("; ")}`);
  if (!src) throw new Error(`${file}: parser returned no source`);
  return src;
}

/**
 * Instruments one file. rel: its path relative to the project root (e.g. assembly/lib/config.ts),
 * covImport: the module specifier of __cov from it. Returns the instrumented text and its map.
 */
export function instrumentFile(text: string, rel: string, covImport: string, alloc: Allocator): { text: string; map: FileMap } {
  const src = parseFile(text, rel);
  const starts = lineStarts(text);
  const pos = (off: number): Pos => {
    let lo = 0, hi = starts.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (starts[mid] <= off) lo = mid; else hi = mid - 1; }
    return { line: lo + 1, col: off - starts[lo] + 1 };
  };
  const mcdc = MCDC_FILES.some((r) => r.test(rel));
  const map: FileMap = { file: rel, source: text, statements: [], branches: [], decisions: [], unprobed: [], mcdc };
  const ins: Insertion[] = [];
  let seq = 0;
  const open = (p: number, t: string, depth: number) => ins.push({ pos: p, text: t, close: false, depth, seq: seq++ });
  const close = (p: number, t: string, depth: number) => ins.push({ pos: p, text: t, close: true, depth, seq: seq++ });
  const snippet = (n: any) => text.slice(n.range.start, n.range.end).replace(/\s+/g, " ").slice(0, 120);
  const isCompileTime = (e: any) => COMPILE_TIME.test(text.slice(e.range.start, e.range.end));
  const isLiteralBool = (e: any) => e.kind === K.True || e.kind === K.False;

  /** End offset of a statement including a trailing semicolon the parser leaves outside its range. */
  function stmtEnd(s: any): number {
    let e = s.range.end;
    if (text[e - 1] === ";" || text[e - 1] === "}") return e;
    let i = e;
    while (i < text.length && /[ \t\r\n]/.test(text[i])) i++;
    return text[i] === ";" ? i + 1 : e;
  }
  /** Offset just after the ':' that ends a case label starting the search at from. */
  function afterColon(from: number): number {
    let i = from, depth = 0;
    for (; i < text.length; i++) {
      const c = text[i];
      if (c === "/" && text[i + 1] === "/") { while (i < text.length && text[i] !== "\n") i++; continue; }
      if (c === "/" && text[i + 1] === "*") { i = text.indexOf("*/", i + 2) + 1; continue; }
      if (c === "(" || c === "[") depth++;
      else if (c === ")" || c === "]") depth--;
      else if (c === "?" && depth === 0) depth += 100; // a ternary inside a case label
      else if (c === ":" && depth >= 100) depth -= 100;
      else if (c === ":" && depth === 0) return i + 1;
    }
    throw new Error(`${rel}: no ':' after a case label at offset ${from}`);
  }

  const stmtProbe = (s: any, depth: number) => {
    const id = alloc.take(), p = pos(s.range.start);
    map.statements.push({ id, line: p.line, col: p.col, endLine: pos(Math.max(s.range.start, stmtEnd(s) - 1)).line });
    open(s.range.start, `__cov_s(${id}); `, depth);
  };

  /** The leaves (conditions) of a decision: through parentheses, ! and the && / || operators. */
  function leaves(e: any, out: any[]): any[] {
    if (e.kind === K.Parenthesized) return leaves(e.expression, out);
    if (e.kind === K.UnaryPrefix && e.operator === T.Exclamation) return leaves(e.operand, out);
    if (e.kind === K.Binary && (e.operator === T.Ampersand_Ampersand || e.operator === T.Bar_Bar)) { leaves(e.left, out); leaves(e.right, out); return out; }
    out.push(e);
    return out;
  }
  const isLogical = (e: any) => e.kind === K.Binary && (e.operator === T.Ampersand_Ampersand || e.operator === T.Bar_Bar);

  /** Wraps a decision of an MC/DC file: its leaves and the decision; returns whether it was done. */
  function decision(e: any, kind: string, depth: number): boolean {
    if (!mcdc) return false;
    if (isCompileTime(e)) { const p = pos(e.range.start); map.unprobed.push({ ...p, what: `decision (${kind}) ${snippet(e)}`, reason: "resolved at compile time (generic or build-time constant)" }); return false; }
    if (isLiteralBool(e)) return false;
    const ls = leaves(e, []);
    const n = ls.length;
    const record = n <= MCDC_MAX_CONDITIONS;
    const slot = alloc.take(record ? 2 + MCDC_TABLE : 0);
    const p = pos(e.range.start);
    const d: DecisionProbe = { kind, line: p.line, col: p.col, text: snippet(e), slot, conditions: [], mcdc: record };
    if (record) { open(e.range.start, `__cov_d(${slot}, __cov_r(${slot}), `, depth); close(e.range.end, `)`, depth); }
    ls.forEach((leaf, i) => {
      const t = alloc.take(), f = alloc.take(), lp = pos(leaf.range.start);
      d.conditions.push({ t, f, line: lp.line, col: lp.col, text: snippet(leaf) });
      open(leaf.range.start, record ? `__cov_c(${slot}, ${3 ** i}, ${t}, ${f}, ` : `__cov_b(${t}, ${f}, `, depth + 50);
      close(leaf.range.end, `)`, depth + 50);
    });
    map.decisions.push(d);
    return true;
  }

  // ---- expressions: ternaries and (in MC/DC files) && / || decisions anywhere.
  function expr(e: any, depth: number, inDecision = false): void {
    if (!e || typeof e !== "object") return;
    switch (e.kind) {
      case K.Ternary: {
        const p = pos(e.range.start);
        if (isCompileTime(e.condition)) map.unprobed.push({ ...p, what: `?: ${snippet(e.condition)}`, reason: "condition resolved at compile time (generic or build-time constant)" });
        else {
          const t = alloc.take(), f = alloc.take();
          map.branches.push({ kind: "?:", line: p.line, col: p.col, outcomes: [{ label: "true", id: t }, { label: "false", id: f }], text: snippet(e.condition) });
          open(e.condition.range.start, `__cov_b(${t}, ${f}, `, depth);
          close(e.condition.range.end, `)`, depth);
          if (!decision(e.condition, "?:", depth + 1)) expr(e.condition, depth + 1);
          else leaves(e.condition, []).forEach((l) => expr(l, depth + 100));
        }
        if (isCompileTime(e.condition)) expr(e.condition, depth + 1);
        expr(e.ifThen, depth + 1); expr(e.ifElse, depth + 1);
        return;
      }
      case K.Binary:
        if (!inDecision && isLogical(e) && mcdc) {
          if (decision(e, "&&/||", depth)) { leaves(e, []).forEach((l) => expr(l, depth + 100)); return; }
        }
        expr(e.left, depth + 1, inDecision); expr(e.right, depth + 1, inDecision);
        return;
      case K.Function:
        // A function expression (a closure): its body is a function body of its own.
        if (e.declaration?.body) body(e.declaration.body, depth + 1);
        return;
      default:
        for (const key of ["expression", "operand", "left", "right", "condition", "ifThen", "ifElse", "elementExpression", "value"]) {
          if (e[key] && typeof e[key] === "object" && typeof e[key].kind === "number") expr(e[key], depth + 1, inDecision);
        }
        for (const key of ["args", "expressions"]) if (Array.isArray(e[key])) for (const a of e[key]) expr(a, depth + 1, inDecision);
    }
  }

  /** A control condition: a decision in MC/DC files, otherwise only its sub-expressions. */
  function condition(c: any, kind: string, depth: number) {
    if (decision(c, kind, depth)) leaves(c, []).forEach((l) => expr(l, depth + 100));
    else expr(c, depth);
  }

  /** A statement in statement position (probed), recursing into its parts. */
  function stmt(s: any, depth: number): void {
    switch (s.kind) {
      case K.Empty: return;
      case K.Block: for (const c of s.statements) stmt(c, depth + 1); return;
      case K.FunctionDeclaration: case K.ClassDeclaration: case K.NamespaceDeclaration: case K.EnumDeclaration:
      case K.InterfaceDeclaration: case K.TypeDeclaration: case K.Import: case K.Export: case K.ExportImport: case K.ExportDefault:
        return decl(s, depth);
    }
    stmtProbe(s, depth);
    switch (s.kind) {
      case K.If: {
        const p = pos(s.range.start);
        const t = alloc.take(), f = alloc.take();
        map.branches.push({ kind: "if", line: p.line, col: p.col, outcomes: [{ label: "then", id: t }, { label: "else", id: f }], text: snippet(s.condition) });
        condition(s.condition, "if", depth + 1);
        branchArm(s.ifTrue, t, depth + 1);
        if (s.ifFalse) branchArm(s.ifFalse, f, depth + 1);
        else close(stmtEnd(s.ifTrue), ` else { __cov_s(${f}); }`, depth);
        return;
      }
      case K.While: case K.Do: case K.For: {
        const kind = s.kind === K.While ? "while" : s.kind === K.Do ? "do" : "for";
        if (s.kind === K.For && s.initializer) { if (s.initializer.kind === K.Variable) varDecls(s.initializer, depth + 1); else expr(s.initializer.expression ?? s.initializer, depth + 1); }
        const c = s.condition;
        if (c && !isLiteralBool(c) && !isCompileTime(c)) {
          const p = pos(s.range.start), t = alloc.take(), f = alloc.take();
          map.branches.push({ kind, line: p.line, col: p.col, outcomes: [{ label: "enter", id: t }, { label: "exit", id: f }], text: snippet(c) });
          open(c.range.start, `__cov_b(${t}, ${f}, `, depth);
          close(c.range.end, `)`, depth);
          condition(c, kind, depth + 1);
        } else if (c && isCompileTime(c)) {
          map.unprobed.push({ ...pos(c.range.start), what: `${kind} ${snippet(c)}`, reason: "condition resolved at compile time" });
        }
        if (s.kind === K.For && s.incrementor) expr(s.incrementor, depth + 1);
        bodyStmt(s.body, depth + 1);
        return;
      }
      case K.Switch: {
        const p = pos(s.range.start);
        const outcomes: { label: string; id: number }[] = [];
        expr(s.condition, depth + 1);
        for (const c of s.cases) {
          const id = alloc.take();
          outcomes.push({ label: c.label ? snippet(c.label) : "default", id });
          const at = afterColon(c.label ? c.label.range.end : c.range.start + "default".length);
          open(at, ` __cov_s(${id});`, depth + 1);
          if (c.label) expr(c.label, depth + 1);
          for (const x of c.statements) stmt(x, depth + 2);
        }
        if (!s.cases.some((c: any) => !c.label)) {
          const id = alloc.take();
          outcomes.push({ label: "default (implicit)", id });
          // Placed first, ending in break: taken only when no case matches, never reached by fall-through.
          const brace = text.indexOf("{", s.condition.range.end);
          open(brace + 1, ` default: { __cov_s(${id}); break; }`, depth + 1);
        }
        map.branches.push({ kind: "switch", line: p.line, col: p.col, outcomes, text: snippet(s.condition) });
        return;
      }
      case K.Variable: varDecls(s, depth + 1); return;
      case K.Try: case K.ForOf:
        throw new Error(`${rel}:${pos(s.range.start).line}: ${s.kind === K.Try ? "try" : "for…of"} is not supported by the coverage instrumentation`);
      default:
        // Expression, return, throw, break, continue, void.
        if (s.expression) expr(s.expression, depth + 1);
        if (s.value) expr(s.value, depth + 1);
    }
  }
  function varDecls(s: any, depth: number) {
    for (const d of s.declarations ?? []) if (d.initializer) expr(d.initializer, depth);
  }
  /** The then/else arm of an if: a counter at its start (braces added around a lone statement). */
  function branchArm(s: any, id: number, depth: number) {
    if (s.kind === K.Block) { open(s.range.start + 1, ` __cov_s(${id});`, depth); stmt(s, depth); }
    else { open(s.range.start, `{ __cov_s(${id}); `, depth); close(stmtEnd(s), ` }`, depth); stmt(s, depth + 1); }
  }
  /** A loop body: braces added around a lone statement so that its probe stays inside the loop. */
  function bodyStmt(s: any, depth: number) {
    if (s.kind === K.Block || s.kind === K.Empty) stmt(s, depth);
    else { open(s.range.start, `{ `, depth); close(stmtEnd(s), ` }`, depth); stmt(s, depth + 1); }
  }
  function body(b: any, depth: number) {
    if (b.kind === K.Block) for (const c of b.statements) stmt(c, depth + 1);
    else if (b.kind === K.Expression || b.kind === K.Return) expr(b.expression ?? b.value, depth + 1); // arrow function with an expression body
    else stmt(b, depth + 1);
  }
  /** Declarations: function bodies are probed; module-level variables only in their initializers' ternaries. */
  function decl(s: any, depth: number): void {
    switch (s.kind) {
      case K.FunctionDeclaration: case K.MethodDeclaration:
        if (s.body) body(s.body, depth + 1);
        else if (!(s.flags & (as as any).CommonFlags?.Ambient)) { /* declared (imported) function: no body */ }
        return;
      case K.ClassDeclaration: case K.NamespaceDeclaration: case K.InterfaceDeclaration:
        for (const m of s.members ?? []) {
          if (m.kind === K.FieldDeclaration) { if (m.initializer) expr(m.initializer, depth + 1); }
          else decl(m, depth + 1);
        }
        return;
      case K.Variable:
        // Module-level globals: initialised once by the compiler or the start function; not
        // counted as statements (see the report's notes), but ternaries in them are branches.
        varDecls(s, depth + 1);
        return;
      case K.EnumDeclaration: case K.TypeDeclaration: case K.Import: case K.Export: case K.ExportImport: case K.ExportDefault: case K.Empty:
        return;
      default: {
        // Module-level executable statement (runs in the start function): probed like any other.
        stmt(s, depth);
      }
    }
  }

  for (const s of src.statements) decl(s, 0);

  // Apply: by position; at one position, closings before openings, closings innermost first,
  // openings outermost first.
  ins.sort((a, b) => a.pos - b.pos || (a.close === b.close ? (a.close ? b.depth - a.depth || b.seq - a.seq : a.depth - b.depth || a.seq - b.seq) : a.close ? -1 : 1));
  let out = "", at = 0;
  for (const i of ins) { out += text.slice(at, i.pos) + i.text; at = i.pos; }
  out += text.slice(at);
  const used = ["__cov_s", "__cov_b", "__cov_c", "__cov_d", "__cov_r"].filter((f) => out.includes(f + "("));
  if (used.length) out = `import { ${used.join(", ")} } from "${covImport}"; ` + out;
  return { text: out, map };
}

/** Magic words opening the counter region (found by a scan of linear memory). */
export const MAGIC = [0x54434f56, 0x7e6e6772, 0x69c0c0a5, 0x13579bdf];

/** The generated module holding the counters and the probe functions. */
export function covModule(words: number): string {
  const zeros = new Array(words).fill("0");
  const lines: string[] = [];
  for (let i = 0; i < zeros.length; i += 64) lines.push(zeros.slice(i, i + 64).join(","));
  return `// Generated by host/coverage/instrument.ts for a coverage build: never part of the flight image.
// The counter region: 4 magic words, the number of counter words, then the counters (u32, saturating).
const COV: usize = memory.data<u32>([${MAGIC.map((m) => "0x" + m.toString(16)).join(", ")}, ${words}${words ? ",\n" + lines.join(",\n") : ""}]);
const BASE: usize = COV + 20;

@inline export function __cov_s(k: i32): void {
  const p = BASE + (<usize>k << 2);
  const v = load<u32>(p);
  store<u32>(p, v + <u32>(v != 0xffffffff));
}
@inline export function __cov_b<T>(t: i32, f: i32, v: T): T {
  if (v) __cov_s(t); else __cov_s(f);
  return v;
}
/** Starts one evaluation of a decision: its vector (slot) to zero. */
export function __cov_r(slot: i32): i32 {
  store<u32>(BASE + (<usize>slot << 2), 0);
  return 0;
}
/** One condition of a decision: true adds w (3^i), false 2w to the vector; unevaluated adds 0. */
export function __cov_c<T>(slot: i32, w: u32, t: i32, f: i32, v: T): T {
  const p = BASE + (<usize>slot << 2);
  if (v) { store<u32>(p, load<u32>(p) + w); __cov_s(t); }
  else { store<u32>(p, load<u32>(p) + 2 * w); __cov_s(f); }
  return v;
}
/** The end of a decision: its (vector, outcome) pair joins the decision's table of distinct pairs. */
export function __cov_d<T>(slot: i32, r: i32, v: T): T {
  const p = BASE + (<usize>slot << 2);
  const key: u32 = (load<u32>(p) << 1) | <u32>(v ? 1 : 0);
  const n = load<u32>(p, 4);
  const tab = p + 8;
  for (let i: u32 = 0; i < n && i < ${MCDC_TABLE}; i++) if (load<u32>(tab + (<usize>i << 2)) == key + 1) return v;
  if (n < ${MCDC_TABLE}) { store<u32>(tab + (<usize>n << 2), key + 1); store<u32>(p, n + 1, 4); }
  else if (n == ${MCDC_TABLE}) store<u32>(p, n + 1, 4); // overflow: more distinct vectors than kept
  return v;
}
`;
}
