// Loads build/lib.wasm (the library build of the flight modules) for host tests and benches.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as loader from "@assemblyscript/loader";
import { fileURLToPath } from "node:url";

const LIB_PATH = fileURLToPath(new URL("../../build/lib.wasm", import.meta.url));

export interface FlightLib {
  exports: Record<string, any>;
  memory: WebAssembly.Memory;
  /** Carve len bytes in the library's memory (never freed). */
  alloc(len: number): number;
  /** A fresh view of the memory (views die when memory grows). */
  u8(): Uint8Array;
}

/**
 * flashDir: a host directory handed to the library's flash functions (assembly/security/flash.ts)
 * as the WASI preopen "/flash", through node:wasi. Without it every WASI call the library imports
 * answers EBADF: no preopen, exactly as an image run with no flash directory sees it.
 */
export function loadFlightLib(path = LIB_PATH, o: { flashDir?: string } = {}): FlightLib {
  const bytes = readFileSync(path);
  const wasiNames = WebAssembly.Module.imports(new WebAssembly.Module(bytes)).filter((i) => i.module === "wasi_snapshot_preview1").map((i) => i.name);
  // node:wasi loaded only when asked for (loading it prints an ExperimentalWarning on stderr).
  const WASI = o.flashDir ? (createRequire(import.meta.url)("node:wasi") as typeof import("node:wasi")).WASI : null;
  const wasi = WASI && o.flashDir ? new WASI({ version: "preview1", preopens: { "/flash": o.flashDir }, returnOnExit: true }) : null;
  const given = ((wasi?.getImportObject() as Record<string, Record<string, unknown>> | undefined)?.wasi_snapshot_preview1 ?? {}) as Record<string, unknown>;
  const imports = wasiNames.length ? { wasi_snapshot_preview1: Object.fromEntries(wasiNames.map((n) => [n, given[n] ?? (() => 8 /* EBADF */)])) } : {};
  // The loader supplies env.abort (turned into a thrown Error with the message and place).
  const { exports, instance } = loader.instantiateSync(bytes, imports) as unknown as { exports: Record<string, any>; instance: WebAssembly.Instance };
  const memory = exports.memory as WebAssembly.Memory;
  if (wasi) wasi.initialize({ exports: { memory } } as unknown as WebAssembly.Instance);
  void instance;
  return {
    exports,
    memory,
    alloc: (len: number) => exports.libAlloc(len) >>> 0,
    u8: () => new Uint8Array(memory.buffer),
  };
}

/** What the flight image's configuration check says of a table (lib.wasm configCheck). */
