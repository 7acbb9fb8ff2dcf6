// Carving: every buffer of the pass is taken from the heap once, when the configuration is
// accepted (the stub runtime's bump allocator never frees). carveLen gives the exact octets a
// carve of `size` octets consumes, so that the configuration's memory need is computed, checked
// and grown into before the first carve: running out of memory is a status, never a trap.
// The stub runtime: a block is a 4-octet header, payload rounded so that the next header ends
// on a 16-octet boundary (std/assembly/rt/stub.ts computeSize; BLOCK_OVERHEAD 4, AL_MASK 15).
const BLOCK_OVERHEAD: i64 = 4;
const AL_MASK: i64 = 15;
/** Octets one carve may take at most (the runtime's BLOCK_MAXSIZE, rounded down). */
export const MAX_CARVE: i64 = (1 << 30) - 64;

/** Octets of heap a carve of `size` octets consumes (size ≥ 0). */
@inline export function carveLen(size: i64): i64 { return ((size + BLOCK_OVERHEAD + AL_MASK) & ~AL_MASK); }

/** Carves `size` octets. The caller has checked the memory need (configCheck), so this cannot fail. */
@inline export function carve(size: i64): usize { return heap.alloc(<usize>size); }

/** The bump pointer: the first octet no carve has taken. */
export function heapTop(): usize { return heap.alloc(0); }

/** Carved octets of an unmanaged state structure of type T. */
@inline export function carveStateLen<T>(): i64 { return carveLen(<i64>offsetof<T>()); }
/** Carves a zero-filled unmanaged state structure of type T. */
export function carveState<T>(): T {
  const p = heap.alloc(offsetof<T>());
  for (let i: usize = 0; i < offsetof<T>(); i++) store<u8>(p + i, 0);
  return changetype<T>(p);
}
