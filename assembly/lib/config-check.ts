// Thin ABI layer of the configuration check for the library build (build/lib.wasm): the host
// refuses a table first with exactly the rules the image applies at boot (parse, cross-block
// checks, memory need), without carving anything.
import { configCheck as check, configMemoryNeeded as need, configure } from "../payload/pipeline";
import { heapTop } from "../payload/carve";

/** OK (0) or the status the image would refuse the table with (−400 … −403); detail in the control block (cfgDetail). */
export function configCheck(ptr: usize, len: i32): i32 { return check(ptr, len); }
/** Octets of memory the last table configCheck accepted needs beyond the image's boot heap (0 after a refusal). */
export function configMemoryNeeded(): i32 { return <i32>need(); }

let carved: i64 = 0;
/**
 * Test support: runs the image's own configure (check whole, grow memory once, carve every
 * buffer) on a table in the library's memory. configCarvedLen() then gives the octets the heap
 * grew by, bump-pointer readings included: never more than configMemoryNeeded().
 */
export function configCarve(ptr: usize, len: i32): i32 {
  const before = heapTop();
  const s = configure(ptr, len);
  carved = <i64>heapTop() - <i64>before;
  return s;
}
export function configCarvedLen(): i32 { return <i32>carved; }
