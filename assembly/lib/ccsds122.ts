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
