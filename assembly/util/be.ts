// Big-endian field access in linear memory (CCSDS fields are transmitted MSB first:
// 133.0-B-2 §4.1.1, 132.0-B-3 §1.6.2). WebAssembly memory is little-endian.

@inline export function storeU16BE(ptr: usize, v: u32): void {
  store<u8>(ptr, <u8>(v >>> 8));
  store<u8>(ptr + 1, <u8>v);
}

@inline export function storeU24BE(ptr: usize, v: u32): void {
  store<u8>(ptr, <u8>(v >>> 16));
  store<u8>(ptr + 1, <u8>(v >>> 8));
  store<u8>(ptr + 2, <u8>v);
}

@inline export function storeU32BE(ptr: usize, v: u32): void {
  store<u32>(ptr, bswap<u32>(v));
}

@inline export function loadU16BE(ptr: usize): u32 {
  return (<u32>load<u8>(ptr) << 8) | <u32>load<u8>(ptr + 1);
}

@inline export function loadU32BE(ptr: usize): u32 {
  return bswap<u32>(load<u32>(ptr));
}

/** Copies len bytes; regions must not overlap (or dst < src). WebAssembly 1.0: no bulk memory. */
export function copyBytes(dst: usize, src: usize, len: usize): void {
  let i: usize = 0;
  // 8 bytes at a time, then the tail.
  const n8 = len & ~(<usize>7);
  while (i < n8) {
    store<u64>(dst + i, load<u64>(src + i));
    i += 8;
  }
  while (i < len) {
    store<u8>(dst + i, load<u8>(src + i));
    i++;
  }
}

export function fillBytes(dst: usize, value: u8, len: usize): void {
  const v64: u64 = <u64>value * 0x0101010101010101;
  let i: usize = 0;
  const n8 = len & ~(<usize>7);
  while (i < n8) {
    store<u64>(dst + i, v64);
    i += 8;
  }
  while (i < len) {
    store<u8>(dst + i, value);
    i++;
  }
}
