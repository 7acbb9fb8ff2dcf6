// The evidence pack's index: one self-contained HTML page (no script, no external resource)
// linking every part, with its status (OK, FAILED, MISSING), how it was obtained and the SHA-256 of
// every file; SHA256SUMS and manifest.json beside it. Used by host/evidence/run.ts
// (`npm run evidence`) and by its test on a small generated pack.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync, readdirSync, statSync, existsSync, mkdirSync, copyFileSync } from "node:fs";
import { join, relative, dirname, resolve, sep } from "node:path";

export type PartStatus = "OK" | "FAILED" | "MISSING";

export interface PartFile {
  /** what the file is, for a reader */
  label: string;
  /** path inside the pack, with "/" separators */
  path: string;
}

export interface Part {
  id: string;
  title: string;
  status: PartStatus;
  /** the command that produces it */
  producer: string;
  /** how this pack obtained it: ran now, reused (from when, why), or why it is missing */
  how: string;
  /** figures and findings, one line each */
  notes: string[];
  files: PartFile[];
}

export interface PackFacts {
  /** ordered label → value, shown at the top of the index */
  [label: string]: string;
}

export function sha256File(p: string): string {
  return createHash("sha256").update(readFileSync(p)).digest("hex");
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const href = (p: string) => p.split("/").map(encodeURIComponent).join("/");

/** Copy FROM (file or folder) to DIR/TO; returns the pack paths of every file copied. */
export function copyInto(dir: string, from: string, to: string): string[] {
  const out: string[] = [];
  const st = statSync(from);
  if (st.isDirectory()) {
    for (const name of readdirSync(from).sort()) out.push(...copyInto(dir, join(from, name), `${to}/${name}`));
  } else {
    const dest = join(dir, ...to.split("/"));
    mkdirSync(dirname(dest), { recursive: true });
    copyFileSync(from, dest);
    out.push(to);
  }
  return out;
}

/** Every file under DIR, as pack paths. */
export function listFiles(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p, base));
    else out.push(relative(base, p).split(sep).join("/"));
  }
  return out;
}

/** Writes DIR/index.html, DIR/manifest.json and DIR/SHA256SUMS (every file of the pack but these). */
export function writeIndex(dir: string, o: { title: string; facts: PackFacts; parts: Part[]; generatedAt: string }): { exit: number } {
  const own = new Set(["index.html", "manifest.json", "SHA256SUMS"]);
  const sums = listFiles(dir).filter((f) => !own.has(f)).map((f) => ({ path: f, sha256: sha256File(join(dir, ...f.split("/"))), bytes: statSync(join(dir, ...f.split("/"))).size }));
  const sumOf = new Map(sums.map((s) => [s.path, s]));
  for (const p of o.parts) for (const f of p.files) {
    if (!sumOf.has(f.path)) throw new Error(`evidence: part ${p.id} links ${f.path}, which is not in the pack`);
  }
  const counts = { OK: 0, FAILED: 0, MISSING: 0 } as Record<PartStatus, number>;
  for (const p of o.parts) counts[p.status]++;
  const exit = counts.FAILED || counts.MISSING ? 1 : 0;
  const verdict = exit ? `INCOMPLETE: ${[counts.MISSING ? `${counts.MISSING} MISSING` : "", counts.FAILED ? `${counts.FAILED} FAILED` : ""].filter(Boolean).join(", ")} of ${o.parts.length} parts` : `COMPLETE: all ${o.parts.length} parts present and passing`;

  let h = `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${esc(o.title)}: ${esc(verdict.split(":")[0])}</title>\n`;
  h += `<style>body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#111}table{border-collapse:collapse;width:100%;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top;text-align:left}th{background:#f3f3f3}code{font:12px ui-monospace,monospace;word-break:break-all}.OK{color:#060;font-weight:bold}.FAILED{color:#b00;font-weight:bold}.MISSING{color:#b00;font-weight:bold;background:#fee}#verdict{font-size:1.2em;font-weight:bold}ul{margin:0;padding-left:1.2em}</style>\n`;
  h += `</head><body>\n<h1>${esc(o.title)}</h1>\n<p id="verdict" class="${exit ? "MISSING" : "OK"}">${esc(verdict)}</p>\n`;
  h += `<table id="facts"><tbody>\n`;
  for (const [k, v] of Object.entries(o.facts)) h += `<tr><th>${esc(k)}</th><td><code>${esc(v)}</code></td></tr>\n`;
  h += `<tr><th>generated</th><td>${esc(o.generatedAt)}</td></tr>\n</tbody></table>\n`;
  h += `<h2>Parts</h2>\n<table id="parts"><thead><tr><th>part</th><th>status</th><th>files</th><th>how obtained</th><th>findings</th></tr></thead><tbody>\n`;
  for (const p of o.parts) {
    const files = p.files.length ? `<ul>${p.files.map((f) => `<li><a href="${esc(href(f.path))}">${esc(f.label)}</a> <code title="SHA-256">${sumOf.get(f.path)!.sha256.slice(0, 16)}…</code></li>`).join("")}</ul>` : "—";
    h += `<tr id="part-${esc(p.id)}" data-status="${p.status}"><td><b>${esc(p.title)}</b><br><code>${esc(p.producer)}</code></td><td class="${p.status}">${p.status}</td><td>${files}</td><td>${esc(p.how)}</td><td>${p.notes.length ? `<ul>${p.notes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul>` : ""}</td></tr>\n`;
  }
  h += `</tbody></table>\n<p>Every file of the pack with its SHA-256: <a href="SHA256SUMS">SHA256SUMS</a> (check with <code>sha256sum -c SHA256SUMS</code> in this folder); parts and statuses as data: <a href="manifest.json">manifest.json</a>.</p>\n</body></html>\n`;
  writeFileSync(join(dir, "index.html"), h);
  writeFileSync(join(dir, "SHA256SUMS"), sums.map((s) => `${s.sha256}  ${s.path}\n`).join(""));
  writeFileSync(join(dir, "manifest.json"), JSON.stringify({ title: o.title, verdict, generatedAt: o.generatedAt, facts: o.facts, parts: o.parts, files: sums }, null, 2) + "\n");
  return { exit };
}

/** The href targets of a pack's index.html that do not resolve to a file of the pack. */
export function brokenLinks(dir: string): string[] {
  const html = readFileSync(join(dir, "index.html"), "utf8");
  const bad: string[] = [];
  for (const m of html.matchAll(/\bhref="([^"]*)"/g)) {
    const target = decodeURIComponent(m[1].replace(/&amp;/g, "&").split("#")[0]);
    const p = resolve(dir, target);
    if (!p.startsWith(resolve(dir) + sep) || !existsSync(p) || !statSync(p).isFile()) bad.push(m[1]);
  }
  return bad;
}
