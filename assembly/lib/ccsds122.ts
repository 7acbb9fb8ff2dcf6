// Thin ABI of the CCSDS 122.0-B-2 encoder (assembly/compress/ccsds122/) for the host: fill an
// i32 parameter block (indices: ccsds122Param* below, see compress/ccsds122/README.md), carve
// the state with libAlloc(ccsds122StateLen(params)), init, then push lines and end; after each
// call take ccsds122OutLen() bytes at ccsds122OutPtr() and call ccsds122Drained().
import { c122StateLen, c122Init, c122PushLine, c122End, c122OutPtr, c122OutLen, c122Drained, c122Segments, c122Lines, c122LastBadParam, C122_PARAM_COUNT } from "../compress/ccsds122/encoder";
import { dwt2dInt, dwt2dFloat } from "../compress/ccsds122/dwt";

export function ccsds122ParamCount(): i32 { return C122_PARAM_COUNT; }
export function ccsds122StateLen(params: usize): f64 { return <f64>c122StateLen(params); }
export function ccsds122LastBadParam(): i32 { return c122LastBadParam(); }
export function ccsds122Init(state: usize, stateLen: f64, params: usize): i32 { return c122Init(state, <i64>stateLen, params); }
export function ccsds122PushLine(line: usize): i32 { return c122PushLine(line); }
export function ccsds122End(): i32 { return c122End(); }
export function ccsds122OutPtr(): usize { return c122OutPtr(); }
export function ccsds122OutLen(): i32 { return c122OutLen(); }
export function ccsds122Drained(): void { c122Drained(); }
export function ccsds122Segments(): i32 { return c122Segments(); }
export function ccsds122Lines(): i32 { return c122Lines(); }
/** The whole-frame 3-level DWT in place. tmp: w elements; vt: w × h elements (of the type: i32 or f64). */
export function ccsds122Dwt2dInt(a: usize, w: i32, h: i32, tmp: usize, vt: usize): void { dwt2dInt(a, w, w, h, tmp, vt); }
export function ccsds122Dwt2dFloat(a: usize, w: i32, h: i32, tmp: usize, vt: usize): void { dwt2dFloat(a, w, w, h, tmp, vt); }

/**
 * Bench helper (tests/bench/ccsds122.bench.ts), for runtimes driven without a host, e.g. WAMR's
 * `iwasm -f ccsds122BenchSynthetic lib.wasm W H ENCODE`: builds a deterministic 12-bit W × H
 * image (gradient + texture + noise), then, when encode is 1, encodes it lossless line by line
 * (Integer DWT, S = 256). Returns the coded length in bytes (0 without encoding), or a status.
 * Allocates its buffers with the bump allocator on every call: one call per instance.
 */
export function ccsds122BenchSynthetic(w: i32, h: i32, encode: i32): i32 {
  if (w < 17 || w > 65536 || h < 17 || h > 65536) return -2;
  const img = heap.alloc(<usize>w * <usize>h * 2);
  let s: u32 = 12345;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    s ^= s << 13; s ^= s >> 17; s ^= s << 5;
    const v = 1024 + ((x * 3 + y * 2) & 1023) + (((x >> 3) ^ (y >> 3)) & 15) * 40 + <i32>(s & 63);
    store<u16>(img + ((<usize>(y * w + x)) << 1), <u16>(v & 4095));
  }
  if (encode == 0) return 0;
  const p = heap.alloc(C122_PARAM_COUNT * 4);
  for (let i = 0; i < C122_PARAM_COUNT; i++) store<i32>(p + (<usize>i << 2), 0);
  store<i32>(p, w); store<i32>(p, 12, 4); store<i32>(p, 1, 12); store<i32>(p, 256, 16); store<i32>(p, 3, 32);
  store<i32>(p, 1, 40); store<i32>(p, 1, 44); store<i32>(p, 1, 48); store<i32>(p, 2, 68);
  const len = c122StateLen(p);
  if (len < 0) return -3;
  const st = heap.alloc(<usize>len);
  let r = c122Init(st, len, p);
  if (r < 0) return r;
  let total = 0;
  for (let y = 0; y < h; y++) {
    r = c122PushLine(img + ((<usize>(y * w)) << 1));
    if (r < 0) return r;
    total += c122OutLen(); c122Drained();
  }
  r = c122End();
  if (r < 0) return r;
  total += c122OutLen(); c122Drained();
  return total;
}
