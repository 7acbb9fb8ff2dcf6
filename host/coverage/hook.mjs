// Loaded with NODE_OPTIONS="--import …/hook.mjs" in every node process of a coverage run (the
// test runner, the tests, the flight image's child processes): remembers every WebAssembly
// instance created, and at exit writes the counter region of each instrumented one (found by its
// magic words in linear memory) to $TENGRI_COV_OUT/<pid>-<n>.json. Plain JavaScript so that
// every process starts it fast. Never loaded outside `npm run coverage`.
import { writeFileSync, readFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";

const OUT = process.env.TENGRI_COV_OUT;
const MAGIC = Buffer.from(new Uint32Array([0x54434f56, 0x7e6e6772, 0x69c0c0a5, 0x13579bdf]).buffer);

/** The counter region of one memory: the words after the header, or null when not instrumented. */
export function readRegion(buffer) {
  const b = Buffer.from(buffer);
  const at = b.indexOf(MAGIC);
  if (at < 0 || at % 4) return null;
  const words = b.readUInt32LE(at + 16);
  if (at + 20 + words * 4 > b.length) return null;
  return { at, words, memLen: b.length, data: Buffer.from(b.subarray(at + 20, at + 20 + words * 4)) };
}

if (OUT) {
  mkdirSync(OUT, { recursive: true });
  const held = [];
  const dumps = [];
  const KEEP = 64;
  const register = (instance) => {
    try {
      const mem = instance?.exports?.memory;
      if (!(mem instanceof WebAssembly.Memory)) return;
      held.push(mem);
      // Bounded: beyond KEEP live instances the oldest is read now (what it counted so far).
      if (held.length > KEEP) { const m = held.shift(); const r = readRegion(m.buffer); if (r) dumps.push(r); }
    } catch { /* not ours */ }
  };
  // A Proxy, not a subclass: instances made by WebAssembly.instantiate stay `instanceof WebAssembly.Instance`.
  const RealInstance = WebAssembly.Instance;
  WebAssembly.Instance = new Proxy(RealInstance, {
    construct(target, args, newTarget) { const i = Reflect.construct(target, args, newTarget); register(i); return i; },
  });
  const realInstantiate = WebAssembly.instantiate;
  WebAssembly.instantiate = async function (source, imports) {
    const r = await realInstantiate.call(WebAssembly, source, imports);
    register(r instanceof RealInstance ? r : r.instance);
    return r;
  };

  /** SEU faults scripted for this process (tests of the OBC emulator flip bits in linear memory). */
  function seuAddresses() {
    const list = [];
    try { list.push(...JSON.parse(process.env.TENGRI_OBC_FAULTS ?? "[]")); } catch { /* none */ }
    if (process.env.TENGRI_OBC_FAULT_FILE) { try { list.push(...JSON.parse(readFileSync(process.env.TENGRI_OBC_FAULT_FILE, "utf8"))); } catch { /* none */ } }
    return list.filter((f) => f.kind === "seu").map((f) => f.address);
  }

  let n = 0;
  process.on("exit", () => {
    const regions = dumps.concat(held.map((m) => readRegion(m.buffer)).filter(Boolean));
    if (!regions.length) return;
    // A bit flipped inside the counter region would fake an execution: such a process is dropped.
    const seus = seuAddresses();
    const inside = (r, a) => a >= r.at && a < r.at + 20 + r.words * 4;
    const hit = regions.some((r) => seus.some((a) => inside(r, a) || inside(r, ((a % r.memLen) + r.memLen) % r.memLen)));
    const file = join(OUT, `${process.pid}-${Date.now()}-${n++}.json`);
    if (hit) { writeFileSync(file, JSON.stringify({ pid: process.pid, dropped: "an SEU fault was scripted inside the counter region", argv: process.argv.slice(1) })); return; }
    writeFileSync(file, JSON.stringify({ pid: process.pid, argv: process.argv.slice(1), regions: regions.map((r) => ({ words: r.words, data: r.data.toString("base64") })) }));
  });
}
