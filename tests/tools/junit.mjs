// JUnit XML helpers shared by the as-pect reporter (tests/tools/aspect-junit.mjs), the node:test
// reporter wrapper (tests/tools/node-junit.mjs) and tests/run-all.mjs: writing escaped XML, and
// counting what a JUnit file holds so that run-all can compare it with the runners' own summaries.
import { readFileSync, existsSync } from "node:fs";

/** XML text/attribute escape; drops characters XML 1.0 cannot carry (control characters, lone surrogates). */
export function xmlEscape(s) {
  return String(s)
    .replace(/\x1b\[[0-9;]*[A-Za-z]/g, "")
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "")
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD")
    .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** `<testcase …>` element text. `result`: { ok, skipped?: string, message?, detail?, type? } */
export function testcaseXml({ classname, name, time = 0, ok, skipped, message = "", detail = "", type = "failure" }, indent = "    ") {
  const head = `${indent}<testcase classname="${xmlEscape(classname)}" name="${xmlEscape(name)}" time="${Number(time).toFixed(6)}"`;
  if (skipped) return `${head}>\n${indent}  <skipped message="${xmlEscape(skipped)}"/>\n${indent}</testcase>\n`;
  if (ok) return `${head}/>\n`;
  const tag = type === "error" ? "error" : "failure";
  return `${head}>\n${indent}  <${tag} message="${xmlEscape(message.split("\n")[0].slice(0, 500))}" type="${tag}">${xmlEscape(detail || message)}</${tag}>\n${indent}</testcase>\n`;
}

/** One `<testsuites>` document from suites `{ name, cases:[…], errors?:[string], time? }`. */
export function junitDocument(name, suites) {
  let all = 0, fail = 0, skip = 0, err = 0, time = 0;
  let body = "";
  const stamp = new Date().toISOString().replace(/\.\d+Z$/, "");
  for (const s of suites) {
    const t = s.cases.length, f = s.cases.filter((c) => !c.ok && !c.skipped && c.type !== "error").length;
    const e = s.cases.filter((c) => !c.ok && !c.skipped && c.type === "error").length + (s.errors?.length ?? 0);
    const k = s.cases.filter((c) => c.skipped).length;
    const st = s.time ?? s.cases.reduce((x, c) => x + (c.time ?? 0), 0);
    all += t; fail += f; skip += k; err += e; time += st;
    body += `  <testsuite name="${xmlEscape(s.name)}" tests="${t}" failures="${f}" errors="${e}" skipped="${k}" time="${st.toFixed(6)}" timestamp="${stamp}">\n`;
    for (const c of s.cases) body += testcaseXml(c);
    if (s.errors?.length) body += `    <system-err>${xmlEscape(s.errors.join("\n\n"))}</system-err>\n`;
    body += "  </testsuite>\n";
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xmlEscape(name)}" tests="${all}" failures="${fail}" errors="${err}" skipped="${skip}" time="${time.toFixed(6)}">\n${body}</testsuites>\n`;
}

/**
 * What a JUnit file holds, counted from its `<testcase>` elements (not from the totals a writer
 * claims): tests, failed (a failure or error child), skipped (a skipped child), passed, the names
 * of all and of the failed ones (as written: XML-escaped).
 */
export function countJunit(xml) {
  const res = { tests: 0, passed: 0, failed: 0, skipped: 0, names: [], failedNames: [] };
  // Strip comments and CDATA-free bodies of failure text before matching elements.
  const src = xml.replace(/<!--[\s\S]*?-->/g, "");
  // Attribute values may hold ">" (node's junit reporter escapes "<" and "&" only): match them whole.
  const re = /<testcase((?:\s+[\w:.-]+\s*=\s*"[^"]*")*)\s*(\/>|>([\s\S]*?)<\/testcase>)/g;
  for (const m of src.matchAll(re)) {
    res.tests++;
    const inner = m[3] ?? "";
    const name = /\bname="([^"]*)"/.exec(m[1])?.[1] ?? "";
    res.names.push(name);
    if (/<(failure|error)\b/.test(inner)) { res.failed++; res.failedNames.push(name); }
    else if (/<skipped\b/.test(inner)) res.skipped++;
    else res.passed++;
  }
  return res;
}

export function countJunitFile(path) {
  return existsSync(path) ? countJunit(readFileSync(path, "utf8")) : null;
}

/**
 * Compare a runner's summary ({ tests, passed, failed, skipped }) with the JUnit file it wrote.
 * Returns a list of disagreements (empty when they agree), each a sentence.
 */
export function compareCounts(runner, summary, junit) {
  if (!junit) return [`${runner}: no JUnit file was written`];
  const out = [];
  for (const k of ["tests", "passed", "failed", "skipped"]) {
    if (summary[k] !== junit[k]) out.push(`${runner}: the runner counted ${summary[k]} ${k === "tests" ? "tests" : k}, its JUnit file holds ${junit[k]}`);
  }
  return out;
}

const stripAnsi = (s) => (s ?? "").replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");

/** as-pect's summary ("[Tests]: P / T") as counts, or null when it printed none. */
export function aspectSummary(stdout) {
  const m = /\[Tests\]:\s*(\d+)\s*\/\s*(\d+)/.exec(stripAnsi(stdout));
  return m ? { tests: +m[2], passed: +m[1], failed: +m[2] - +m[1], skipped: 0 } : null;
}

/**
 * node:test's spec-reporter summary ("ℹ tests N", pass, fail, cancelled, skipped, todo) as
 * counts, or null when it is incomplete. A cancelled test (a timeout, or its file ended early)
 * is a failure; a todo is a skip — as node's junit reporter writes them.
 */
export function nodeSummary(stdout) {
  const clean = stripAnsi(stdout);
  const last = (k) => { const all = [...clean.matchAll(new RegExp(`^ℹ ${k} (\\d+)$`, "gm"))]; return all.length ? +all[all.length - 1][1] : null; };
  const n = { tests: last("tests"), pass: last("pass"), fail: last("fail"), cancelled: last("cancelled"), skipped: last("skipped"), todo: last("todo") };
  if (Object.values(n).some((v) => v === null)) return null;
  return { tests: n.tests, passed: n.pass, failed: n.fail + n.cancelled, skipped: n.skipped + n.todo };
}
