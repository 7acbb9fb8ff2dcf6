#!/usr/bin/env node
// The requirements and verification matrix: reads tests/requirements.json and the titles of every
// test (as-pect specs, node:test files, the checks of tests/run-all.mjs), writes
// tests/VERIFICATION.md (`npm run matrix`). `--check` (run by `npm test`) fails when
//   - tests/VERIFICATION.md is not what this script writes,
//   - a requirement has no verification: no test traced to it and no method whose producer is in the tree,
//   - a tag or a title pattern of a requirement matches no test, or a method named is not defined,
//   - a test carries a clause tag ([DOC §N]) that no requirement claims.
// Usage: node tests/tools/matrix.mjs [--check] [--requirements FILE] [--out FILE] [--root DIR]
import { readFileSync, writeFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";

const TITLE = /\b(it|test|describe|check)\s*\(\s*(["'`])((?:(?!\2)[^\n])*)\2/g;
// A tag: [DOC §clause], or [DOC §a §b] for two clauses of one document (e.g. [tengri §inspect §cost]).
const TAG = /^\s*\[([0-9]{3}\.[0-9]-[A-Z]-[0-9]+|tengri)((?:\s+§\s*[0-9A-Za-z._-]+)+)\]/;

function walk(dir, acc) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) { if (name !== "node_modules") walk(p, acc); }
    else if (/\.(spec|test)\.(ts|mjs|js)$/.test(name)) acc.push(p);
  }
  return acc;
}

/** Every test title under ROOT/tests, with its tags ({doc, clause}) and where it is. */
export function collectTests(root) {
  const tests = [];
  const files = walk(join(root, "tests"), []).sort();
  const runAll = join(root, "tests/run-all.mjs");
  if (existsSync(runAll)) files.push(runAll);
  for (const file of files) {
    const src = readFileSync(file, "utf8");
    const isRunAll = file === runAll;
    for (const m of src.matchAll(TITLE)) {
      if ((m[1] === "check") !== isRunAll) continue; // check(…) names only the checks of run-all
      if (m[1] === "describe" && !TAG.test(m[3])) continue; // a group is a test only when tagged
      let rest = m[3];
      const tags = [];
      for (let t; (t = TAG.exec(rest)); rest = rest.slice(t[0].length)) {
        for (const c of t[2].split("§").map((x) => x.trim().replace(/\.$/, "")).filter(Boolean)) tags.push({ doc: t[1], clause: c });
      }
      const line = src.slice(0, m.index).split("\n").length;
      tests.push({ title: m[3].trim(), tags, where: `${relative(root, file)}:${line}` });
    }
  }
  return tests;
}

function parseTag(s) {
  const m = /^([0-9]{3}\.[0-9]-[A-Z]-[0-9]+|tengri)\s+§\s*([0-9A-Za-z._-]+)$/.exec(s.trim());
  return m ? { doc: m[1], clause: m[2] } : null;
}
const claims = (tag, t) => tag.doc === t.doc && (t.clause === tag.clause || t.clause.startsWith(tag.clause + "."));
const tagText = (t) => `${t.doc} §${t.clause}`;
const md = (s) => String(s).replace(/\|/g, "\\|").replace(/\n/g, " ");

/** Is a method's producer in the tree (its npm script and its files)? Returns the missing parts. */
function methodMissing(root, m, scripts) {
  const missing = [];
  if (m.script && !(m.script in scripts)) missing.push(`npm script "${m.script}"`);
  for (const f of m.files ?? []) if (!existsSync(join(root, f))) missing.push(f);
  return missing;
}

/** Build the matrix: { markdown, problems[] }. */
export function build({ root, requirementsFile }) {
  const problems = [];
  const spec = JSON.parse(readFileSync(requirementsFile, "utf8"));
  const scripts = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts ?? {};
  const tests = collectTests(root);
  const methods = spec.methods ?? {};
  const status = {};
  for (const [id, m] of Object.entries(methods)) status[id] = methodMissing(root, m, scripts);
  const ids = new Set();
  const rows = [];
  const claimed = new Set();
  for (const r of spec.requirements ?? []) {
    if (!r.id || !r.title) { problems.push(`a requirement without id or title: ${JSON.stringify(r).slice(0, 80)}`); continue; }
    if (ids.has(r.id)) problems.push(`${r.id}: duplicate requirement id`);
    ids.add(r.id);
    const traced = new Map();
    for (const s of r.tags ?? []) {
      const tag = parseTag(s);
      if (!tag) { problems.push(`${r.id}: tag "${s}" is not of the form "DOC §N" (e.g. "132.0-B-3 §4.1" or "tengri §memory")`); continue; }
      const hit = tests.filter((t) => t.tags.some((x) => claims(tag, x)));
      if (!hit.length) problems.push(`${r.id}: tag "${s}" matches no test`);
      for (const t of hit) { traced.set(t.where, t); for (const x of t.tags) if (claims(tag, x)) claimed.add(tagText(x)); }
    }
    for (const s of r.titles ?? []) {
      let re;
      try { re = new RegExp(s); } catch { problems.push(`${r.id}: title pattern /${s}/ is not a regular expression`); continue; }
      const hit = tests.filter((t) => re.test(t.title));
      if (!hit.length) problems.push(`${r.id}: title pattern /${s}/ matches no test`);
      for (const t of hit) traced.set(t.where, t);
    }
    const ms = [];
    for (const id of r.methods ?? []) {
      if (!methods[id]) { problems.push(`${r.id}: method ${id} is not defined in "methods"`); continue; }
      ms.push(id);
    }
    const present = ms.filter((id) => status[id].length === 0);
    const list = [...traced.values()].sort((a, b) => a.where.localeCompare(b.where, "en", { numeric: true }));
    if (!list.length && !present.length) {
      const why = ms.length ? `; ${ms.map((id) => `${id} lacks ${status[id].join(", ")}`).join("; ")}` : "";
      problems.push(`${r.id}: no verification (no test traced, no method present${why})`);
    }
    rows.push({ r, tests: list, methods: ms, present });
  }
  for (const id of Object.keys(methods)) if (!rows.some((x) => x.methods.includes(id))) problems.push(`method ${id} verifies no requirement`);
  const orphans = new Map();
  for (const t of tests) for (const x of t.tags) if (!claimed.has(tagText(x))) orphans.set(tagText(x), [...(orphans.get(tagText(x)) ?? []), t.where]);
  for (const [tag, where] of [...orphans].sort()) problems.push(`test tag [${tag}] is claimed by no requirement (${where.slice(0, 3).join(", ")}${where.length > 3 ? ", …" : ""}): add it to a requirement's "tags" in tests/requirements.json`);

  const untagged = tests.filter((t) => !t.tags.length && !rows.some((x) => x.tests.includes(t))).length;
  let out = "# Requirements and verification matrix\n\n";
  out += "Generated by `npm run matrix` (`node tests/tools/matrix.mjs`) from `tests/requirements.json` and the test titles; `npm test` fails when this file is stale, when a requirement has no verification, or when a test's clause tag is claimed by no requirement.\n\n";
  out += `${rows.length} requirements, ${tests.length} tests and checks (${tests.length - untagged} traced to a requirement, ${untagged} not traced), ${Object.keys(methods).length} analyses, demonstrations and inspections.\n\n`;
  out += "## Requirements\n\n| id | requirement | source | tests | analyses, demonstrations, inspections |\n|---|---|---|---|---|\n";
  for (const x of rows) {
    const ms = x.methods.map((id) => (x.present.includes(id) ? id : `${id} (producer missing)`)).join(", ") || "—";
    out += `| [${x.r.id}](#${x.r.id.toLowerCase()}) | ${md(x.r.title)} | ${md(x.r.source ?? "")} | ${x.tests.length} | ${ms} |\n`;
  }
  out += "\n## Analyses, demonstrations and inspections\n\n| id | kind | what | command | evidence | producer |\n|---|---|---|---|---|---|\n";
  for (const [id, m] of Object.entries(methods)) {
    const cmd = m.script ? `\`npm run ${m.script}\`` : "—";
    const prod = status[id].length ? `missing: ${status[id].join(", ")}` : ["present", ...(m.files ?? []).map((f) => `\`${f}\``)].join(" ");
    out += `| ${id} | ${m.kind} | ${md(m.title)} | ${cmd} | ${md(m.evidence ?? "")} | ${prod} |\n`;
  }
  out += "\n## Tests by requirement\n";
  for (const x of rows) {
    out += `\n### ${x.r.id}\n\n${md(x.r.title)}${x.r.source ? ` (${md(x.r.source)})` : ""}.`;
    const by = [...(x.r.tags ?? []).map((t) => `tag \`[${t}]\``), ...(x.r.titles ?? []).map((t) => `title \`/${t}/\``)];
    if (by.length) out += ` Traced by ${by.join(", ")}.`;
    if (x.methods.length) out += ` Also verified by ${x.methods.join(", ")}.`;
    out += "\n\n";
    if (!x.tests.length) { out += "No test: verified by the methods named.\n"; continue; }
    out += "| test | where |\n|---|---|\n";
    for (const t of x.tests) out += `| ${md(t.title)} | ${t.where} |\n`;
  }
  return { markdown: out, problems };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const USAGE = "Usage: npm run matrix [-- --check] [--requirements FILE] [--out FILE] [--root DIR]";
  let v;
  try {
    v = parseArgs({ options: { check: { type: "boolean" }, requirements: { type: "string" }, out: { type: "string" }, root: { type: "string" }, help: { type: "boolean", short: "h" } } }).values;
  } catch (e) { console.error(`matrix: ${e.message}\n${USAGE}`); process.exit(2); }
  if (v.help) { console.log(USAGE); process.exit(0); }
  const reqFile = resolve(v.requirements ?? join(v.root ?? new URL("../..", import.meta.url).pathname, "tests/requirements.json"));
  if (!existsSync(reqFile)) { console.error(`matrix: --requirements: no file ${reqFile}`); process.exit(2); }
  const root = resolve(v.root ?? new URL("../..", import.meta.url).pathname);
  const out = resolve(v.out ?? join(root, "tests/VERIFICATION.md"));
  let built;
  try { built = build({ root, requirementsFile: reqFile }); } catch (e) { console.error(`matrix: ${reqFile}: ${e.message}`); process.exit(2); }
  const { markdown, problems } = built;
  const rel = relative(process.cwd(), out) || out;
  if (v.check) {
    const old = existsSync(out) ? readFileSync(out, "utf8") : "";
    if (old !== markdown) problems.unshift(`${rel} is stale: run \`npm run matrix\` and commit it`);
    for (const p of problems) console.error(`matrix: ${p}`);
    if (problems.length) process.exit(1);
    console.log("verification matrix is up to date; every requirement has a verification");
  } else {
    writeFileSync(out, markdown);
    console.log(`wrote ${rel}`);
    for (const p of problems) console.error(`matrix: ${p}`);
    process.exit(problems.length ? 1 : 0);
  }
}
