// Loaded with NODE_OPTIONS="--import …/hook.mjs" in every node process of a coverage run (the
// test runner, the tests, the flight image's child processes): remembers every WebAssembly
// instance created, and at exit writes the counter region of each instrumented one (found by its
// magic words in linear memory) to $TENGRI_COV_OUT/<pid>-<n>.json. Plain JavaScript so that
// every process starts it fast. Never loaded outside `npm run coverage`.
import { writeFileSync, readFileSync, mkdirSync, renameSync } from "node:fs";
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
      if (held.length > KEEP) {
        const m = held.shift(); const r = readRegion(m.buffer);
        if (r) { dumps.push(r); if (dumps.length > KEEP) dumps.splice(0, dumps.length, ...mergeRegions(dumps)); }
      }
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

  /**
   * The regions of this process merged into one (one dump per process, whatever the number of
   * instances): counters summed (saturating), decision tables united. The layout (which words
   * are decision tables) comes from $TENGRI_COV_LAYOUT, written by run.ts.
   */
  let layout = null;
  function mergeRegions(regions) {
    const words = regions[0].words;
    if (regions.some((r) => r.words !== words)) return regions;   // different builds: left apart
    if (!layout) { try { layout = JSON.parse(readFileSync(process.env.TENGRI_COV_LAYOUT, "utf8")); } catch { return regions; } }
    const inTable = new Uint8Array(words);
    for (const s of layout.slots) inTable.fill(1, s, s + 2 + layout.table);
    const sum = new Uint32Array(words);
    const views = regions.map((r) => new Uint32Array(r.data.buffer, r.data.byteOffset, words));
    for (const w of views) for (let i = 0; i < words; i++) if (!inTable[i]) sum[i] = Math.min(0xffffffff, sum[i] + w[i]);
    for (const s of layout.slots) {
      const keys = new Set();
      let over = false;
      for (const w of views) { const k = w[s + 1]; if (k > layout.table) over = true; for (let e = 0; e < Math.min(k, layout.table); e++) keys.add(w[s + 2 + e]); }
      const list = [...keys];
      if (list.length > layout.table) over = true;
      list.slice(0, layout.table).forEach((k, e) => { sum[s + 2 + e] = k; });
      sum[s + 1] = over ? layout.table + 1 : list.length;
    }
    return [{ words, at: regions[0].at, memLen: regions[0].memLen, data: Buffer.from(sum.buffer) }];
  }

  process.on("exit", () => {
    const regions = dumps.concat(held.map((m) => readRegion(m.buffer)).filter(Boolean));
    if (!regions.length) return;
    const file = join(OUT, `${process.pid}-${Date.now()}.json`);
    // A bit flipped inside the counter region would fake an execution: such a process is dropped.
    const seus = seuAddresses();
    const inside = (r, a) => a >= r.at && a < r.at + 20 + r.words * 4;
    const hit = regions.some((r) => seus.some((a) => inside(r, a) || inside(r, ((a % r.memLen) + r.memLen) % r.memLen)));
    const body = hit ? { pid: process.pid, dropped: "an SEU fault was scripted inside the counter region", argv: process.argv.slice(1) }
      : { pid: process.pid, argv: process.argv.slice(1), instances: regions.length, regions: mergeRegions(regions).map((r) => ({ words: r.words, data: r.data.toString("base64") })) };
    // Written whole, then renamed: a process killed while writing leaves no partial dump.
    writeFileSync(file + ".part", JSON.stringify(body));
    renameSync(file + ".part", file);
  });
}
