// Runs the metered flight image (host/cost/meter.ts) in this process on a list of bus records,
// through a minimal WASI preview1 held in memory, and attributes the instructions it executes to
// the records: the image reads its bus with fd_read; each read is answered with octets of one
// record at most (a short read, as a pipe gives), so every instruction executed between two
// reads belongs to the record whose octets the image received last (before the first octet: to
// boot). The cost of a line is therefore everything the image does because of it — checks,
// screening, compression, packets, frames, Reed-Solomon, output — including work it defers to
// that line (a tile row or a compression unit completed by it).
import { createHash } from "node:crypto";
import { meter, COST_EXPORT } from "./meter.ts";
import { noFlashImports } from "../obc/image.ts";

export interface MeteredRun {
  /** Instructions attributed to each record, in order. */
  perRecord: number[];
  /** Instructions before the first record's octets (boot). */
  boot: number;
  total: number;
  exitCode: number;
  trap: string | null;
  caduBytes: number;
  /** SHA-256 of everything written to stdout (the CADU stream). */
  caduSha256: string;
  log: string;
}

class Exit { constructor(readonly code: number) {} }

const cache = new WeakMap<Uint8Array, WebAssembly.Module>();
/** The compiled metered module of a flight image (compiled once per image buffer). */
export function meteredModule(wasm: Uint8Array): WebAssembly.Module {
  let m = cache.get(wasm);
  if (!m) { m = new WebAssembly.Module(meter(wasm).wasm as BufferSource); cache.set(wasm, m); }
  return m;
}

/** Runs the module on the records; `unmetered` runs a module without the counter (every count 0), for comparison. */
export function runMetered(module: WebAssembly.Module, records: Uint8Array[], o: { unmetered?: boolean } = {}): MeteredRun {
  const hash = createHash("sha256");
  const ends: number[] = [];
  let total = 0;
  for (const r of records) { total += r.length; ends.push(total); }
  const bus = new Uint8Array(total);
  { let o = 0; for (const r of records) { bus.set(r, o); o += r.length; } }
  const perRecord = new Array<number>(records.length).fill(0);
  let memory: WebAssembly.Memory | null = null;
  let counter: WebAssembly.Global | null = null;
  let pos = 0, rec = 0, out = 0, log = "", last = 0n, boot = 0;
  const dv = () => new DataView(memory!.buffer);
  /** Instructions since the last read, to the record whose octets came last (or to boot). */
  const settle = () => {
    const now = counter ? (counter.value as bigint) : 0n;
    const d = Number(now - last);
    last = now;
    if (pos === 0) boot += d; else perRecord[rec] += d;
  };
  const io = (iovs: number, n: number, f: (p: number, l: number) => number): number => {
    let t = 0;
    for (let i = 0; i < n; i++) {
      const p = dv().getUint32(iovs + 8 * i, true), l = dv().getUint32(iovs + 8 * i + 4, true);
      const k = f(p, l); t += k;
      if (k < l) break;
    }
    return t;
  };
  const wasi = {
    fd_read(_fd: number, iovs: number, n: number, nread: number) {
      settle();
      let served = 0;
      const t = io(iovs, n, (p, l) => {
        if (served) return 0;                              // one record's octets per read at most
        const k = Math.min(l, (ends[ends.findIndex((e) => e > pos)] ?? pos) - pos);
        new Uint8Array(memory!.buffer, p, k).set(bus.subarray(pos, pos + k));
        if (k > 0) { rec = ends.findIndex((e) => e > pos); pos += k; served = k; }
        return k;
      });
      dv().setUint32(nread, t, true);
      return 0;
    },
    fd_write(fd: number, iovs: number, n: number, nw: number) {
      const t = io(iovs, n, (p, l) => {
        if (fd === 2 && log.length < 1 << 16) log += Buffer.from(memory!.buffer, p, l).toString();
        if (fd === 1) hash.update(new Uint8Array(memory!.buffer, p, l));
        return l;
      });
      if (fd === 1) out += t;
      dv().setUint32(nw, t, true);
      return 0;
    },
    proc_exit(code: number) { throw new Exit(code); },
    ...noFlashImports(),
  };
  const inst = new WebAssembly.Instance(module, { wasi_snapshot_preview1: wasi });
  memory = inst.exports.memory as WebAssembly.Memory;
  counter = o.unmetered ? null : (inst.exports[COST_EXPORT] as WebAssembly.Global);
  if (!o.unmetered && !(counter instanceof WebAssembly.Global)) throw new Error(`the module exports no ${COST_EXPORT} counter: not a metered build`);
  let exitCode = 0, trap: string | null = null;
  try { (inst.exports._start as () => void)(); }
  catch (e) { if (e instanceof Exit) exitCode = e.code; else { exitCode = 70; trap = e instanceof Error ? e.message : String(e); } }
  settle();
  return { perRecord, boot, total: counter ? Number(counter.value as bigint) : 0, exitCode, trap, caduBytes: out, caduSha256: hash.digest("hex"), log };
}
