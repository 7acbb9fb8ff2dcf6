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
export interface FlightConfigCheck {
  /** 0 when the image would accept the table, else its status (−400 CRC, −401 version, −402 value, −403 memory, −2 length). */
  status: number;
  /** Octets of memory the table needs beyond the image's boot heap (0 when refused). */
  memoryNeeded: number;
  /** For a refusal: the field's offset in the table, the value found and the value expected. */
  field: number;
  found: number;
  expected: number;
}

/**
 * Runs the flight image's whole configuration check (parse, cross-block rules, memory need)
 * on a compiled table, without carving anything: the host refuses first with the same rules.
 */
export function flightConfigCheck(table: Uint8Array, lib: FlightLib = loadFlightLib()): FlightConfigCheck {
  const x = lib.exports;
  const ptr = lib.alloc(table.length);
  lib.u8().set(table, ptr);
  const status = x.configCheck(ptr, table.length) | 0;
  return status === 0
    ? { status, memoryNeeded: x.configMemoryNeeded() >>> 0, field: 0, found: 0, expected: 0 }
    : { status, memoryNeeded: 0, field: x.configDetailField() | 0, found: x.configDetailFound() | 0, expected: x.configDetailExpected() | 0 };
}
