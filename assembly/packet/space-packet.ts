// CCSDS 133.0-B-2 Space Packet primary header (§4.1.3): 6 octets, MSB first.
import { storeU16BE, loadU16BE } from "../util/be";

export const PRIMARY_HEADER_LEN: i32 = 6;
export const MAX_DATA_FIELD_LEN: i32 = 65536;      // §4.1.3.5.3: data length field is octets − 1
export const IDLE_APID: u32 = 0x7FF;               // §4.1.3.3.4.4: idle packets

// Octets 0–1: version (3) | type (1) | secondary header flag (1) | APID (11).
export const VERSION_SHIFT: u32 = 13;
export const VERSION_MASK: u32 = 0x7;
export const TYPE_SHIFT: u32 = 12;
export const TYPE_MASK: u32 = 0x1;
export const SEC_HDR_SHIFT: u32 = 11;
export const SEC_HDR_MASK: u32 = 0x1;
export const APID_SHIFT: u32 = 0;
export const APID_MASK: u32 = 0x7FF;
// Octets 2–3: sequence flags (2) | packet sequence count (14).
export const SEQ_FLAGS_SHIFT: u32 = 14;
export const SEQ_FLAGS_MASK: u32 = 0x3;
export const SEQ_COUNT_SHIFT: u32 = 0;
export const SEQ_COUNT_MASK: u32 = 0x3FFF;

// §4.1.3.4.2.2 sequence flags.
export const SEQ_CONTINUATION: u32 = 0;
export const SEQ_FIRST: u32 = 1;
export const SEQ_LAST: u32 = 2;
export const SEQ_UNSEGMENTED: u32 = 3;

export const TYPE_TM: u32 = 0;

/**
 * Writes a primary header at ptr. dataLen is the real length of the packet data field
 * (secondary header + user data), 1..65536; the length field carries dataLen − 1.
 */
export function packPrimaryHeader(ptr: usize, apid: u32, secHdr: bool, seqFlags: u32, seqCount: u32, dataLen: i32): void {
  const id: u32 =
    ((0 & VERSION_MASK) << VERSION_SHIFT) |                 // §4.1.3.2: version 000
    ((TYPE_TM & TYPE_MASK) << TYPE_SHIFT) |                 // §4.1.3.3.2
    (((secHdr ? 1 : 0) & SEC_HDR_MASK) << SEC_HDR_SHIFT) |  // §4.1.3.3.3
    ((apid & APID_MASK) << APID_SHIFT);                     // §4.1.3.3.4
  const seq: u32 = ((seqFlags & SEQ_FLAGS_MASK) << SEQ_FLAGS_SHIFT) | ((seqCount & SEQ_COUNT_MASK) << SEQ_COUNT_SHIFT); // §4.1.3.4
  storeU16BE(ptr, id);
  storeU16BE(ptr + 2, seq);
  storeU16BE(ptr + 4, <u32>(dataLen - 1));                 // §4.1.3.5.3
}

@inline export function headerApid(ptr: usize): u32 { return (loadU16BE(ptr) >>> APID_SHIFT) & APID_MASK; }
@inline export function headerSecHdr(ptr: usize): bool { return ((loadU16BE(ptr) >>> SEC_HDR_SHIFT) & SEC_HDR_MASK) != 0; }
@inline export function headerType(ptr: usize): u32 { return (loadU16BE(ptr) >>> TYPE_SHIFT) & TYPE_MASK; }
@inline export function headerVersion(ptr: usize): u32 { return (loadU16BE(ptr) >>> VERSION_SHIFT) & VERSION_MASK; }
@inline export function headerSeqFlags(ptr: usize): u32 { return (loadU16BE(ptr + 2) >>> SEQ_FLAGS_SHIFT) & SEQ_FLAGS_MASK; }
@inline export function headerSeqCount(ptr: usize): u32 { return (loadU16BE(ptr + 2) >>> SEQ_COUNT_SHIFT) & SEQ_COUNT_MASK; }
/** The real data field length (length field + 1). */
@inline export function headerDataLen(ptr: usize): i32 { return <i32>loadU16BE(ptr + 4) + 1; }

/** Next 14-bit packet sequence count (§4.1.3.4.3.3: modulo 16384). */
@inline export function nextSeqCount(count: u32): u32 { return (count + 1) & SEQ_COUNT_MASK; }
