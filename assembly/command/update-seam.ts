// THE SEAM OF THE IN-FLIGHT SOFTWARE UPDATE (cmd-interfaces.md, "The flash directory"): the one
// function per upload command that the PUS services route to.
//
// ┌─────────────────────────────────────────────────────────────────────────────────────────┐
// │ PLACEHOLDER until helper "sec"'s assembly/security/upload.ts is merged: every function   │
// │ refuses with E_PUS_NOT_WIRED (a completion failure report), nothing is written. The lead │
// │ replaces each body with the call named beside it.                                       │
// └─────────────────────────────────────────────────────────────────────────────────────────┘
import { E_PUS_NOT_WIRED } from "../abi/status";
import { setDetail } from "../abi/control";

/** ST[8] function "upload start" → sec's uploadStart(totalLen). */
export function updateStart(totalLen: u32): i32 { return setDetail(E_PUS_NOT_WIRED, 0, <i32>totalLen, 0, 0); }

/** ST[6,2] load raw memory data, memory id "upload" → sec's uploadSegment(offset, ptr, len). */
export function updateSegment(offset: u32, ptr: usize, len: i32): i32 { return setDetail(E_PUS_NOT_WIRED, 0, <i32>offset, len, 0); }

/** ST[8] function "upload end" (declared SHA-256, 32 octets at shaPtr) → sec's uploadEnd(shaPtr). */
export function updateEnd(shaPtr: usize): i32 { return setDetail(E_PUS_NOT_WIRED, 0, 0, 0, 0); }

/** ST[8] function "reboot into the uploaded image" → sec's requestTrialBoot(), then exit 72. */
export function updateRebootToUploaded(): i32 { return setDetail(E_PUS_NOT_WIRED, 0, 0, 0, 0); }

/** ST[6,9] memory id "code": the SHA-256 of the running image (32 octets at outPtr) → sec's imageDigest(outPtr). */
export function codeDigest(outPtr: usize): i32 { return setDetail(E_PUS_NOT_WIRED, 0, 0, 0, 0); }
