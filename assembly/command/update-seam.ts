// THE SEAM OF THE IN-FLIGHT SOFTWARE UPDATE (cmd-interfaces.md, "The flash directory"): the one
// function per upload command that the PUS services route to.
//
// Each function calls sec's upload API (assembly/security/upload.ts), which checks order, bounds
// and digests and writes only upload.img, confirm and boot-request in the flash directory.
import { OK } from "../abi/status";
import { uploadStart, uploadSegment, uploadEnd, requestTrialBoot, imageDigest } from "../security/upload";

/** ST[8] function "upload start" → sec's uploadStart(totalLen). */
export function updateStart(totalLen: u32): i32 { return uploadStart(totalLen); }

/** ST[6,2] load raw memory data, memory id "upload" → sec's uploadSegment(offset, ptr, len). */
export function updateSegment(offset: u32, ptr: usize, len: i32): i32 { return uploadSegment(offset, ptr, len); }

/** ST[8] function "upload end" (declared SHA-256, 32 octets at shaPtr) → sec's uploadEnd(shaPtr). */
export function updateEnd(shaPtr: usize): i32 { return uploadEnd(shaPtr); }

/** ST[8] function "reboot into the uploaded image" → sec's requestTrialBoot(), then exit 72. */
export function updateRebootToUploaded(): i32 {
  const s = requestTrialBoot();
  if (s == OK) rebootRequested = true;
  return s;
}

/** Set once a reboot into the uploaded image was accepted: flight.ts ends the pass (nothing accepted is lost) and exits 72. */
export let rebootRequested: bool = false;

/** ST[6,9] memory id "code": the SHA-256 of the running image (32 octets at outPtr) → sec's imageDigest(outPtr). */
export function codeDigest(outPtr: usize): i32 { return imageDigest(outPtr); }
