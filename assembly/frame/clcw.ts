// The Communications Link Control Word (CCSDS 232.0-B-4 §4.2) as the payload receives it from the
// OBC's FARM-1 (bus record type 5) and puts it in the Operational Control Field of its frames
// (132.0-B-3 §4.1.5, 732.0-B-4 §4.1.5). The framer only checks that the word is a CLCW; its
// content (COP, VCID, flags, report value) is the OBC's.
import { OK, E_BUS_BAD_CLCW } from "../abi/status";
import { setDetail } from "../abi/control";

export const CLCW_LEN: i32 = 4;
// Octet 0 of the word, bits 0..7 (bit 0 first on the wire): type (1) | version (2) | status (3) | COP in effect (2).
export const CLCW_TYPE_SHIFT: u32 = 31;             // §4.2.1.2: control word type, 0 for a CLCW
export const CLCW_TYPE_MASK: u32 = 0x1;
export const CLCW_VERSION_SHIFT: u32 = 29;          // §4.2.1.3: CLCW version number, 00
export const CLCW_VERSION_MASK: u32 = 0x3;
export const CLCW_COP_SHIFT: u32 = 24;              // §4.2.1.5: COP in effect, 01 = COP-1
export const CLCW_COP_MASK: u32 = 0x3;
/**
 * The OCF before any CLCW arrived: a type-0 report, version 00, COP-1 in effect, VCID 0, every
 * flag clear, report value 0 (the value of every frame before issue 11's CLCW record: the
 * golden CADUs and every pass without an uplink are unchanged).
 */
export const OCF_NO_CLCW: u32 = (<u32>1 & CLCW_COP_MASK) << CLCW_COP_SHIFT;

/** OK when the 32-bit word (big-endian octets 0..3) is a version-0 CLCW; else E_BUS_BAD_CLCW with the word as found. */
export function clcwCheck(word: u32): i32 {
  if (((word >>> CLCW_TYPE_SHIFT) & CLCW_TYPE_MASK) != 0) return setDetail(E_BUS_BAD_CLCW, 0, <i32>word, 0, 0);    // §4.2.1.2.2
  if (((word >>> CLCW_VERSION_SHIFT) & CLCW_VERSION_MASK) != 0) return setDetail(E_BUS_BAD_CLCW, 1, <i32>word, 0, 0); // §4.2.1.3.2
  return OK;
}
