// Runs build/flight.wasm in this process on a bus stream held in memory, through a minimal WASI
// preview1 (fd_read from the stream, fd_write to counters and a log): fast enough to run the
// image hundreds of times in a test. A trap is reported as such, never thrown.
import { readFileSync } from "node:fs";
import { FLIGHT_WASM } from "../../../host/pass.ts";
import { crc16 } from "../../../host/ground/crc16.ts";
import { encodeRecord, RecordType } from "../../../host/obc/bus.ts";
import { noFlashImports } from "../../../host/obc/image.ts";

export interface ImageRun { exitCode: number; trap: string | null; caduBytes: number; log: string; memoryBytes: number }

class Exit { constructor(readonly code: number) {} }

let cached: WebAssembly.Module | null = null;
export function flightModule(wasm?: Uint8Array): WebAssembly.Module {
  if (wasm) return new WebAssembly.Module(wasm as BufferSource);
  return (cached ??= new WebAssembly.Module(readFileSync(FLIGHT_WASM)));
}

/** Runs the image on `bus` (read in chunks of at most `chunk` octets). */
export function runFlight(bus: Uint8Array, o: { module?: WebAssembly.Module; chunk?: number } = {}): ImageRun {
  let memory: WebAssembly.Memory | null = null;
  let pos = 0, out = 0, log = "";
  const dv = () => new DataView(memory!.buffer);
  const io = (iovs: number, n: number, f: (p: number, l: number) => number): number => {
    let total = 0;
    for (let i = 0; i < n; i++) {
      const p = dv().getUint32(iovs + 8 * i, true), l = dv().getUint32(iovs + 8 * i + 4, true);
      const k = f(p, l); total += k;
      if (k < l) break;
    }
    return total;
  };
  const wasi = {
    fd_read(_fd: number, iovs: number, n: number, nread: number) {
      const total = io(iovs, n, (p, l) => {
        const k = Math.min(l, bus.length - pos, o.chunk ?? Infinity);
        new Uint8Array(memory!.buffer, p, k).set(bus.subarray(pos, pos + k)); pos += k; return k;
      });
      dv().setUint32(nread, total, true); return 0;
    },
    fd_write(fd: number, iovs: number, n: number, nw: number) {
      const total = io(iovs, n, (p, l) => { if (fd === 2 && log.length < 1 << 16) log += Buffer.from(memory!.buffer, p, l).toString(); return l; });
      if (fd === 1) out += total;
      dv().setUint32(nw, total, true); return 0;
    },
    proc_exit(code: number) { throw new Exit(code); },
    ...noFlashImports(),
  };
  const inst = new WebAssembly.Instance(o.module ?? flightModule(), { wasi_snapshot_preview1: wasi });
  memory = inst.exports.memory as WebAssembly.Memory;
  const done = (exitCode: number, trap: string | null): ImageRun => ({ exitCode, trap, caduBytes: out, log, memoryBytes: memory!.buffer.byteLength });
  try { (inst.exports._start as () => void)(); return done(0, null); }
  catch (e) { return e instanceof Exit ? done(e.code, null) : done(70, e instanceof Error ? e.message : String(e)); }
}

/** The configuration record of a table whose CRC is made right again after editing it. */
export function tableRecord(table: Uint8Array): Uint8Array {
  const t = table.slice();
  new DataView(t.buffer).setUint16(t.length - 2, crc16(t, 0, t.length - 2));
  return encodeRecord(RecordType.Config, t);
}

/** A record of `type` with a fixed CRC, after editing its payload. */
export function fixRecordCrc(rec: Uint8Array): Uint8Array {
  const r = rec.slice();
  new DataView(r.buffer).setUint16(r.length - 2, crc16(r, 0, r.length - 2));
  return r;
}

/** Splits a bus stream into its records (a well-formed stream). */
export function records(bus: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let p = 0; p + 10 <= bus.length;) {
    const len = new DataView(bus.buffer, bus.byteOffset + p).getUint32(6);
    out.push(bus.subarray(p, p + 12 + len)); p += 12 + len;
  }
  return out;
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, x) => s + x.length, 0));
  let o = 0; for (const x of parts) { out.set(x, o); o += x.length; }
  return out;
}
