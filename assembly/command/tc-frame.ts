// The TC transfer frame of a bus record of type 4 (232.0-B-4 §4.1), as the OBC accepted it:
//   primary header (5): version 2 bits = 00 | bypass 1 | control command 1 | spare 2 = 00 |
//   SCID 10 | VCID 6 | frame length 10 (octets − 1) | frame sequence number 8;
//   then the frame data field (SDLS security header ‖ packets ‖ MAC), then the FECF
//   (CRC-16/CCITT-FALSE over header and data field).
// The OBC's FARM-1 has accepted the frame; the image checks it again at its boundary.
import { OK, E_PUS_FRAME } from "../abi/status";
import { setDetail } from "../abi/control";
import { loadU16BE } from "../util/be";
import { crc16 } from "../util/crc16";
import { TC_FRAME_HEADER_LEN, FECF_LEN } from "./auth-seam";

export const TCF_VERSION_SHIFT: u32 = 14;  export const TCF_VERSION_MASK: u32 = 0x3;
export const TCF_BYPASS_SHIFT: u32 = 13;   export const TCF_BYPASS_MASK: u32 = 0x1;
export const TCF_CTRL_SHIFT: u32 = 12;     export const TCF_CTRL_MASK: u32 = 0x1;
export const TCF_SPARE_SHIFT: u32 = 10;    export const TCF_SPARE_MASK: u32 = 0x3;
export const TCF_SCID_SHIFT: u32 = 0;      export const TCF_SCID_MASK: u32 = 0x3FF;
export const TCF_VCID_SHIFT: u32 = 10;     export const TCF_VCID_MASK: u32 = 0x3F;
export const TCF_LEN_SHIFT: u32 = 0;       export const TCF_LEN_MASK: u32 = 0x3FF;
export const TC_FRAME_MAX: i32 = 1024;     // 232.0-B-4 §4.1.2.7.2

/** Detail field numbers of a frame refusal (control block "field"). */
export const TCF_FIELD_LENGTH: i32 = 2;
export const TCF_FIELD_VERSION: i32 = 0;
export const TCF_FIELD_SCID: i32 = 1;
export const TCF_FIELD_VCID: i32 = 3;
export const TCF_FIELD_CTRL: i32 = 4;
export const TCF_FIELD_FECF: i32 = 5;

/**
 * Checks a TC transfer frame of `len` octets for the payload: version 0, a data frame (type AD
 * or BD, not a control command), spare 0, this spacecraft, the payload's VCID, the length field
 * equal to the octets, the FECF. OK or E_PUS_FRAME with the field in the control block.
 */
export function checkTcFrame(ptr: usize, len: i32, scid: u32, vcid: u32): i32 {
  if (len < TC_FRAME_HEADER_LEN + FECF_LEN || len > TC_FRAME_MAX) return setDetail(E_PUS_FRAME, TCF_FIELD_LENGTH, len, TC_FRAME_MAX, 0);
  const w0 = loadU16BE(ptr), w1 = loadU16BE(ptr + 2);
  if (((w0 >>> TCF_VERSION_SHIFT) & TCF_VERSION_MASK) != 0) return setDetail(E_PUS_FRAME, TCF_FIELD_VERSION, <i32>((w0 >>> TCF_VERSION_SHIFT) & TCF_VERSION_MASK), 0, 0);
  if (((w0 >>> TCF_CTRL_SHIFT) & TCF_CTRL_MASK) != 0) return setDetail(E_PUS_FRAME, TCF_FIELD_CTRL, 1, 0, 0);   // §4.1.2.3: control commands are FARM's, not the payload's
  if (((w0 >>> TCF_SPARE_SHIFT) & TCF_SPARE_MASK) != 0) return setDetail(E_PUS_FRAME, TCF_FIELD_VERSION, <i32>((w0 >>> TCF_SPARE_SHIFT) & TCF_SPARE_MASK), 0, 0);
  if (((w0 >>> TCF_SCID_SHIFT) & TCF_SCID_MASK) != scid) return setDetail(E_PUS_FRAME, TCF_FIELD_SCID, <i32>((w0 >>> TCF_SCID_SHIFT) & TCF_SCID_MASK), <i32>scid, 0);
  if (((w1 >>> TCF_VCID_SHIFT) & TCF_VCID_MASK) != vcid) return setDetail(E_PUS_FRAME, TCF_FIELD_VCID, <i32>((w1 >>> TCF_VCID_SHIFT) & TCF_VCID_MASK), <i32>vcid, 2);
  const lengthField = <i32>((w1 >>> TCF_LEN_SHIFT) & TCF_LEN_MASK);
  if (lengthField + 1 != len) return setDetail(E_PUS_FRAME, TCF_FIELD_LENGTH, lengthField + 1, len, 2);   // §4.1.2.7
  const fecfAt = len - FECF_LEN;
  if (crc16(ptr, <usize>fecfAt, 0xFFFF) != loadU16BE(ptr + <usize>fecfAt)) return setDetail(E_PUS_FRAME, TCF_FIELD_FECF, <i32>loadU16BE(ptr + <usize>fecfAt), <i32>crc16(ptr, <usize>fecfAt, 0xFFFF), fecfAt);
  return OK;
}
