// Library build (build/lib.wasm) for the host, its tests and benchmarks, through
// @assemblyscript/loader. The only file that exports flight functions to the host: each
// module's thin ABI layer lives in assembly/lib/ and is re-exported here.
export function libAlloc(len: i32): usize {
  // Bump allocation (stub runtime): for test and bench buffers, carved once.
  return heap.alloc(<usize>len);
}
export * from "./lib/sync";
export * from "./lib/aec121";
export * from "./lib/hyper123";
export * from "./lib/screen";
export * from "./lib/frame";
export * from "./lib/config";
export * from "./lib/config-check";
export * from "./lib/ccsds122";
export * from "./lib/security";
