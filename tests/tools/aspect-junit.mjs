// as-pect 8.1 reporter (named by tests/tools/as-pect.junit.config.js): prints what as-pect's own
// SummaryReporter prints, and writes every test it ran as a JUnit <testcase> — one <testsuite> per
// spec file, classname "file > group > group", name the test's title (clause tag included).
// as-pect's JSON/CSV reporters are broken with AssemblyScript 0.27, hence this one.
// The file (TENGRI_JUNIT_ASPECT, default results/junit/as-pect.xml) is rewritten after every spec
// file and once more when the process exits, so a compile error that ends as-pect early still
// leaves the files that ran. A spec file that fails to start (a trap while loading) has no tests:
// its errors go to the <testsuite>'s errors attribute and <system-err>; run-all fails the run on
// as-pect's exit status.
import { SummaryReporter } from "@as-pect/core";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { junitDocument } from "./junit.mjs";

const OUT = resolve(process.env.TENGRI_JUNIT_ASPECT ?? "results/junit/as-pect.xml");
const TEST = 0; // TestNodeType.Test

function groupPath(node) {
  const names = [];
  for (let p = node.parent; p && p.parent; p = p.parent) names.unshift(p.name);
  return names;
}

function str(v) {
  try { return v ? v.stringify({ indent: 2 }).trim() : ""; } catch { return String(v); }
}

/** The JUnit suite of one finished as-pect TestContext. */
export function suiteOf(ctx) {
  const cases = [];
  ctx.rootNode.visit((node) => {
    if (node.type !== TEST || !node.ran) return true;
    const ms = Number.isFinite(node.deltaT) ? node.deltaT : 0;
    const c = { classname: [ctx.fileName, ...groupPath(node)].join(" > "), name: node.name, time: ms / 1000, ok: node.pass };
    if (!node.pass) {
      const parts = [];
      if (node.message) parts.push(node.message);
      if (node.actual) parts.push(`actual: ${str(node.actual)}`);
      if (node.expected) parts.push(`expected: ${node.expected.negated ? "not " : ""}${str(node.expected)}`);
      if (node.stackTrace) parts.push(node.stackTrace);
      for (const e of node.errors ?? []) parts.push(`${e.type}: ${e.message}`);
      c.message = node.message || "test failed";
      c.detail = parts.join("\n");
    }
    cases.push(c);
    return true;
  });
  const errors = [...(ctx.errors ?? []), ...(ctx.rootNode.errors ?? [])].map((e) => `${e.type}: ${e.message}\n${e.stackTrace ?? ""}`.trim());
  return { name: ctx.fileName, cases, errors, time: (Number.isFinite(ctx.rootNode.deltaT) ? ctx.rootNode.deltaT : 0) / 1000 };
}

class JUnitReporter extends SummaryReporter {
  suites = [];
  constructor() {
    super();
    // as-pect's CombinationReporter hands every reporter process.stderr as its stdout (its stderr
    // setter assigns stdout): keep the summary on stdout, where as-pect alone prints it.
    for (const k of ["stdout", "stderr"]) Object.defineProperty(this, k, { get: () => process[k], set: () => {}, configurable: true });
  }
  onFinish(ctx) {
    super.onFinish(ctx);
    this.suites.push(suiteOf(ctx));
    this.flush();
  }
  flush() {
    mkdirSync(dirname(OUT), { recursive: true });
    writeFileSync(OUT, junitDocument("as-pect", this.suites));
  }
}

const reporter = new JUnitReporter();
process.on("exit", () => reporter.flush());
export default reporter;
