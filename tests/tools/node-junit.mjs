// node:test reporter for tests/run-all.mjs: node's own `junit` reporter (node:test/reporters), with
// each test's classname set to its file (relative to the working directory) instead of node's
// constant "test", so a reviewer's tool can group the cases by file. Nothing else is changed.
import { junit } from "node:test/reporters";
import { relative } from "node:path";

export default async function* nodeJunit(source) {
  async function* withFiles() {
    for await (const ev of source) {
      if (ev.data && typeof ev.data.file === "string" && ev.data.classname === undefined && /^test:(start|pass|fail)$/.test(ev.type)) {
        ev.data.classname = relative(process.cwd(), ev.data.file);
      }
      yield ev;
    }
  }
  yield* junit(withFiles());
}
