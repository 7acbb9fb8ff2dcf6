// Merging of counter dumps and the coverage reports: lcov.info, index.html with one annotated page
// per file, summary.json (the shape agreed in notes/briefs/interfaces.md).
import { readFileSync, writeFileSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { CoverageMap } from "./tree.ts";
import { MCDC_TABLE, type FileMap, type DecisionProbe } from "./instrument.ts";

export const GATE = { statements: 95, branches: 90 };

/** Sums counters (saturating) and unites the decision tables of every dump in dir. */
export function mergeDumps(map: CoverageMap, dirs: string[]): { counts: Float64Array; tables: Map<number, Set<number>>; overflow: Set<number>; dumps: number; regions: number; dropped: string[] } {
  const counts = new Float64Array(map.words);
  const slots = new Map<number, DecisionProbe>();
  for (const f of map.files) for (const d of f.decisions) if (d.mcdc) slots.set(d.slot, d);
  const inTable = new Uint8Array(map.words);
  for (const s of slots.keys()) inTable.fill(1, s, s + 2 + MCDC_TABLE);
  const tables = new Map<number, Set<number>>([...slots.keys()].map((s) => [s, new Set<number>()]));
  const overflow = new Set<number>();
  let dumps = 0, regions = 0;
  const dropped: string[] = [];
  for (const dir of dirs) {
    let names: string[] = [];
    try { names = readdirSync(dir).filter((n) => n.endsWith(".json")); } catch { continue; }
    for (const n of names) {
      let j: any;
      try { j = JSON.parse(readFileSync(join(dir, n), "utf8")); } catch (e) { dropped.push(`${n}: unreadable dump (${(e as Error).message})`); continue; }
      dumps++;
      if (j.dropped) { dropped.push(`${j.argv?.join(" ") ?? n}: ${j.dropped}`); continue; }
      for (const r of j.regions) {
        if (r.words !== map.words) throw new Error(`coverage: a counter region of ${r.words} words in ${n}, the map has ${map.words}: a stale instrumented build`);
        regions++;
        const b = Buffer.from(r.data, "base64");
        const w = new Uint32Array(b.buffer, b.byteOffset, map.words);
        for (let i = 0; i < map.words; i++) if (!inTable[i] && w[i]) counts[i] += w[i];
        for (const [s, set] of tables) {
          const k = w[s + 1];
          if (k > MCDC_TABLE) overflow.add(s);
          for (let e = 0; e < Math.min(k, MCDC_TABLE); e++) set.add(w[s + 2 + e] - 1);
        }
      }
    }
  }
  return { counts, tables, overflow, dumps, regions, dropped };
}

const pct = (c: number, t: number) => (t ? Math.floor((1000 * c) / t) / 10 : 100);
const metric = (c: number, t: number) => ({ covered: c, total: t, pct: pct(c, t) });

/** MC/DC (unique cause with masking, short-circuit aware) of one decision from its observed pairs. */
export function mcdcOf(d: DecisionProbe, pairs: Set<number>): boolean[] {
  const n = d.conditions.length;
  const obs = [...pairs].map((key) => {
    const out = key & 1; let v = key >>> 1;
    const c: number[] = [];
    for (let i = 0; i < n; i++) { c.push(v % 3); v = Math.floor(v / 3); } // 0 not evaluated, 1 true, 2 false
    return { out, c };
  });
  const shown: boolean[] = [];
  for (let i = 0; i < n; i++) {
    let ok = false;
    for (const a of obs) for (const b of obs) {
      if (ok || a.out === b.out || !a.c[i] || !b.c[i] || a.c[i] === b.c[i]) continue;
      ok = a.c.every((x, j) => j === i || x === b.c[j] || x === 0 || b.c[j] === 0);
    }
    shown.push(ok);
  }
  return shown;
}

interface FileStats {
  file: string; statements: ReturnType<typeof metric>; branches: ReturnType<typeof metric>;
  conditions?: ReturnType<typeof metric>; decisions?: ReturnType<typeof metric>; mcdc?: ReturnType<typeof metric>;
}

export interface Summary {
  statements: ReturnType<typeof metric>; branches: ReturnType<typeof metric>;
  mcdc: { scope: string; conditions: ReturnType<typeof metric>; decisions: ReturnType<typeof metric>; independence: ReturnType<typeof metric>; overflow: string[] };
  excluded: { file: string; reason: string }[]; notInstrumented: { file: string; line: number; what: string; reason: string }[];
  gate: typeof GATE; pass: boolean; files: FileStats[]; runs: unknown[]; dumps: { files: number; regions: number; dropped: string[] };
  notes: string[]; seconds?: number;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Writes lcov.info, index.html, files/*.html and summary.json into out; returns the summary. */
export function writeReports(map: CoverageMap, m: ReturnType<typeof mergeDumps>, out: string, runs: unknown[]): Summary {
  mkdirSync(join(out, "files"), { recursive: true });
  const c = (k: number) => m.counts[k];
  let S = 0, Sc = 0, B = 0, Bc = 0, C = 0, Cc = 0, D = 0, Dc = 0, M = 0, Mc = 0;
  const lcov: string[] = [];
  const files: FileStats[] = [];
  const notInstrumented: Summary["notInstrumented"] = [];
  const overflow: string[] = [];
  for (const f of map.files) {
    for (const u of f.unprobed) notInstrumented.push({ file: f.file, line: u.line, what: u.what, reason: u.reason });
    const st = f.statements.filter((s) => c(s.id) > 0).length;
    const br = f.branches.flatMap((b) => b.outcomes);
    const bc = br.filter((o) => c(o.id) > 0).length;
    S += f.statements.length; Sc += st; B += br.length; Bc += bc;
    const fs: FileStats = { file: f.file, statements: metric(st, f.statements.length), branches: metric(bc, br.length) };
    const mc = new Map<DecisionProbe, boolean[]>();
    if (f.mcdc) {
      let fc = 0, ft = 0, fd = 0, fdc = 0, fm = 0, fmc = 0;
      for (const d of f.decisions) {
        for (const k of d.conditions) { ft += 2; fc += (c(k.t) > 0 ? 1 : 0) + (c(k.f) > 0 ? 1 : 0); }
        if (d.mcdc) {
          const pairs = m.tables.get(d.slot) ?? new Set();
          const outs = new Set([...pairs].map((p) => p & 1));
          fd += 2; fdc += outs.size;
          const shown = mcdcOf(d, pairs);
          mc.set(d, shown);
          fm += shown.length; fmc += shown.filter(Boolean).length;
          if (m.overflow.has(d.slot)) overflow.push(`${f.file}:${d.line} (${d.text}): more than ${MCDC_TABLE} distinct evaluation vectors; MC/DC computed from the first ${MCDC_TABLE} (a lower bound)`);
        }
      }
      fs.conditions = metric(fc, ft); fs.decisions = metric(fdc, fd); fs.mcdc = metric(fmc, fm);
      C += ft; Cc += fc; D += fd; Dc += fdc; M += fm; Mc += fmc;
    }
    files.push(fs);
    // lcov: a line is hit when every statement starting on it ran (the lowest count).
    lcov.push("TN:tengri", `SF:${f.file}`);
    const lines = new Map<number, number>();
    for (const s of f.statements) lines.set(s.line, Math.min(lines.get(s.line) ?? Infinity, c(s.id)));
    for (const [l, n] of [...lines].sort((a, b) => a[0] - b[0])) lcov.push(`DA:${l},${n}`);
    lcov.push(`LF:${lines.size}`, `LH:${[...lines.values()].filter((n) => n > 0).length}`);
    f.branches.forEach((b, bi) => {
      const any = b.outcomes.some((o) => c(o.id) > 0);
      b.outcomes.forEach((o, oi) => lcov.push(`BRDA:${b.line},${bi},${oi},${any ? c(o.id) : "-"}`));
    });
    lcov.push(`BRF:${br.length}`, `BRH:${bc}`, "end_of_record");
    writeFileSync(join(out, "files", f.file.replace(/\//g, "_") + ".html"), filePage(f, fs, c, mc));
  }
  writeFileSync(join(out, "lcov.info"), lcov.join("\n") + "\n");
  const statements = metric(Sc, S), branches = metric(Bc, B);
  const notes = [
    "Statements: every statement inside a function or method body (module-level constant and global declarations are compile-time data, not counted).",
    "Branches: both outcomes of every if, while, do, for and ?: condition, and every case of every switch (an implicit default included).",
    "MC/DC (unique cause with masking, short-circuit aware): measured for the input-judging modules, from the distinct (condition vector, outcome) pairs observed.",
    "Generic code counts once per source position, whatever the number of instantiations.",
  ];
  const summary: Summary = {
    statements, branches,
    mcdc: { scope: "assembly/lib/config.ts, assembly/lib/config-check.ts, assembly/abi/*, assembly/payload/bus-record.ts, assembly/frame/*, assembly/packet/*",
      conditions: metric(Cc, C), decisions: metric(Dc, D), independence: metric(Mc, M), overflow },
    excluded: map.excluded, notInstrumented, gate: GATE, pass: statements.pct >= GATE.statements && branches.pct >= GATE.branches,
    files, runs, dumps: { files: m.dumps, regions: m.regions, dropped: m.dropped }, notes,
  };
  writeFileSync(join(out, "summary.json"), JSON.stringify(summary, null, 2) + "\n");
  writeFileSync(join(out, "index.html"), indexPage(summary));
  return summary;
}

const CSS = `body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse}td,th{padding:2px 8px;border-bottom:1px solid #ddd;text-align:right}td:first-child,th:first-child{text-align:left}
.lo{background:#fdd}.mid{background:#ffd}.hi{background:#dfd}pre{margin:0}.src td{border:0;padding:0 6px;text-align:left;font:12px/1.35 ui-monospace,monospace;white-space:pre;vertical-align:top}
.src td.n{color:#888;text-align:right}.src td.c{text-align:right;color:#555}tr.miss td.s{background:#fcc}tr.part td.s{background:#ffe9a8}tr.hit td.s{background:#e8f8e8}.tag{font:11px system-ui;color:#a00;margin-left:1em}.ok{color:#070}.bad{color:#b00}`;

function cls(p: number) { return p >= 95 ? "hi" : p >= 80 ? "mid" : "lo"; }
const cell = (x?: { covered: number; total: number; pct: number }) => x ? `<td class="${cls(x.pct)}">${x.pct.toFixed(1)} % (${x.covered}/${x.total})</td>` : "<td>—</td>";

function indexPage(s: Summary): string {
  const rows = s.files.map((f) => `<tr><td><a href="files/${esc(f.file.replace(/\//g, "_"))}.html">${esc(f.file)}</a></td>${cell(f.statements)}${cell(f.branches)}${cell(f.conditions)}${cell(f.decisions)}${cell(f.mcdc)}</tr>`).join("\n");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tengri flight code coverage</title><style>${CSS}</style></head><body>
<h1>Structural coverage of assembly/</h1>
<p class="${s.pass ? "ok" : "bad"}"><b>${s.pass ? "GATE MET" : "GATE NOT MET"}</b>: statements ${s.statements.pct.toFixed(1)} % (gate ${s.gate.statements} %), branches ${s.branches.pct.toFixed(1)} % (gate ${s.gate.branches} %).</p>
<p>Statements ${s.statements.covered}/${s.statements.total}; branches ${s.branches.covered}/${s.branches.total}. Input-judging modules (${esc(s.mcdc.scope)}): conditions ${s.mcdc.conditions.pct.toFixed(1)} % (${s.mcdc.conditions.covered}/${s.mcdc.conditions.total} outcomes), decisions ${s.mcdc.decisions.pct.toFixed(1)} %, MC/DC ${s.mcdc.independence.pct.toFixed(1)} % (${s.mcdc.independence.covered}/${s.mcdc.independence.total} conditions shown to act independently).</p>
<p>Measured on: ${esc(JSON.stringify(s.runs))}. Counter dumps: ${s.dumps.files} (${s.dumps.regions} instances)${s.dumps.dropped.length ? `; dropped: ${esc(s.dumps.dropped.join("; "))}` : ""}.</p>
<table><tr><th>file</th><th>statements</th><th>branches</th><th>conditions</th><th>decisions</th><th>MC/DC</th></tr>
${rows}</table>
<h2>Excluded or not instrumented</h2>
<ul>${s.excluded.map((e) => `<li>${esc(e.file)}: ${esc(e.reason)}</li>`).join("")}${s.notInstrumented.map((e) => `<li>${esc(e.file)}:${e.line} ${esc(e.what)}: ${esc(e.reason)}</li>`).join("")}${s.mcdc.overflow.map((o) => `<li>${esc(o)}</li>`).join("")}</ul>
<h2>Definitions</h2><ul>${s.notes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul>
</body></html>
`;
}

function filePage(f: FileMap, fs: FileStats, c: (k: number) => number, mc: Map<DecisionProbe, boolean[]>): string {
  const lines = f.source.split("\n");
  const stmt = new Map<number, number[]>();
  for (const s of f.statements) { const a = stmt.get(s.line) ?? []; a.push(c(s.id)); stmt.set(s.line, a); }
  const notes = new Map<number, string[]>();
  const note = (l: number, t: string) => { const a = notes.get(l) ?? []; a.push(t); notes.set(l, a); };
  for (const b of f.branches) {
    const miss = b.outcomes.filter((o) => c(o.id) === 0).map((o) => o.label);
    if (miss.length) note(b.line, `${b.kind} ${miss.join(", ")} never taken`);
  }
  for (const [d, shown] of mc) {
    const missing = d.conditions.filter((_, i) => !shown[i]).map((k) => k.text);
    if (missing.length) note(d.line, `MC/DC: ${missing.length}/${d.conditions.length} condition(s) not shown independent: ${missing.join(" | ")}`);
  }
  for (const d of f.decisions) for (const k of d.conditions) {
    if (c(k.t) === 0 || c(k.f) === 0) note(k.line, `condition ${k.text} never ${c(k.t) === 0 && c(k.f) === 0 ? "evaluated" : c(k.t) === 0 ? "true" : "false"}`);
  }
  const rows = lines.map((text, i) => {
    const l = i + 1, s = stmt.get(l), n = notes.get(l);
    const k = s ? (s.every((x) => x > 0) ? (n ? "part" : "hit") : s.some((x) => x > 0) ? "part" : "miss") : n ? "part" : "";
    const count = s ? Math.min(...s) : "";
    return `<tr class="${k}" id="L${l}"><td class="n">${l}</td><td class="c">${count}</td><td class="s">${esc(text)}${n ? `<span class="tag">${esc(n.join("; "))}</span>` : ""}</td></tr>`;
  }).join("\n");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(f.file)} — coverage</title><style>${CSS}</style></head><body>
<p><a href="../index.html">← all files</a></p><h1>${esc(f.file)}</h1>
<table><tr><th>statements</th><th>branches</th><th>conditions</th><th>decisions</th><th>MC/DC</th></tr><tr>${cell(fs.statements)}${cell(fs.branches)}${cell(fs.conditions)}${cell(fs.decisions)}${cell(fs.mcdc)}</tr></table>
<p>Count: the executions of the least-executed statement starting on the line. Red: a statement never executed; yellow: a branch outcome, condition or MC/DC pair missing.</p>
${f.unprobed.length ? `<p>Not instrumented: ${f.unprobed.map((u) => `line ${u.line} ${esc(u.what)} (${esc(u.reason)})`).join("; ")}</p>` : ""}
<table class="src">${rows}</table></body></html>
`;
}
