// Loads build/lib.wasm (the library build of the flight modules) for host tests and benches.
import { readFileSync } from "node:fs";
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

export function loadFlightLib(path = LIB_PATH): FlightLib {
  // The loader supplies env.abort (turned into a thrown Error with the message and place).
  const { exports } = loader.instantiateSync(readFileSync(path), {}) as unknown as { exports: Record<string, any> };
  const memory = exports.memory as WebAssembly.Memory;
  return {
    exports,
    memory,
    alloc: (len: number) => exports.libAlloc(len) >>> 0,
    u8: () => new Uint8Array(memory.buffer),
  };
}

/** What the flight image's configuration check says of a table (lib.wasm configCheck). */
