// Thin ABI of the CCSDS 123.0-B-2 compressor (assembly/compress/hyper123/) for the host.
// The host fills an i32 parameter block (indices in compress/hyper123/params.ts), carves the
// state with libAlloc(hyp123StateLen(params)), then: init, header, push a line / drain.
import { hypStateLen, hypInit, hypHeader, hypPushLine, hypDrain, hypPending, hypDone, hypTotal, hypSetLimits } from "../compress/hyper123/encoder";
import { hypLastBadParam, PRM_COUNT } from "../compress/hyper123/params";

export function hyp123ParamCount(): i32 { return PRM_COUNT; }
export function hyp123StateLen(params: usize): f64 { return <f64>hypStateLen(params); }
export function hyp123LastBadParam(): i32 { return hypLastBadParam(); }
export function hyp123Init(state: usize, stateLen: f64, params: usize): i32 { return hypInit(state, <i64>stateLen, params); }
export function hyp123Header(state: usize, params: usize, out: usize, cap: i32): i32 { return hypHeader(state, params, out, cap); }
export function hyp123SetLimits(state: usize, absLimits: usize, relLimits: usize): i32 { return hypSetLimits(state, absLimits, relLimits); }
export function hyp123PushLine(state: usize, line: usize): i32 { return hypPushLine(state, line); }
export function hyp123Drain(state: usize, out: usize, cap: i32): i32 { return hypDrain(state, out, cap); }
export function hyp123Pending(state: usize): i32 { return hypPending(state); }
export function hyp123Done(state: usize): i32 { return hypDone(state); }
export function hyp123Total(state: usize): i32 { return hypTotal(state); }
