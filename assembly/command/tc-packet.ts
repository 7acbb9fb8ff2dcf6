// One PUS-C telecommand packet (ECSS-E-ST-70-41C §7.4.4.1) inside the frame's packet span:
//   space packet primary header (6; 133.0-B-2 §4.1.3: version 0, type 1 = TC, secondary header
//   flag 1, APID, sequence flags 11, sequence count, data length = octets − 1)
//   TC secondary header (5): PUS version 4 bits = 2 | acknowledgement flags 4 bits |
//   service type u8 | message subtype u8 | source id u16
//   application data, then the packet error control (CRC-16/CCITT-FALSE over every octet before).
import { OK, E_PUS_SHORT, E_PUS_LENGTH, E_PUS_APID, E_PUS_TYPE, E_PUS_VERSION, E_PUS_CRC } from "../abi/status";
import { setDetail } from "../abi/control";
import { loadU16BE } from "../util/be";
import { crc16 } from "../util/crc16";
import { PRIMARY_HEADER_LEN, headerVersion, headerType, headerSecHdr, headerApid, headerSeqFlags, headerDataLen, SEQ_UNSEGMENTED } from "../packet/space-packet";

export const TC_SEC_HDR_LEN: i32 = 5;
export const PEC_LEN: i32 = 2;
export const PUS_VERSION_C: u32 = 2;          // ECSS-E-ST-70-41C §7.4.4.1: TC packet PUS version number 2
export const PUS_VERSION_SHIFT: u32 = 4;  export const PUS_VERSION_MASK: u32 = 0xF;
export const ACK_SHIFT: u32 = 0;          export const ACK_MASK: u32 = 0xF;
/** Acknowledgement flags (§7.4.4.1c): the LSB asks for the acceptance report, the MSB for the completion report. */
export const ACK_ACCEPTANCE: u32 = 0x1;
export const ACK_START: u32 = 0x2;
export const ACK_PROGRESS: u32 = 0x4;
export const ACK_COMPLETION: u32 = 0x8;
/** The smallest TC packet: headers, no application data, PEC. */
export const TC_MIN_LEN: i32 = PRIMARY_HEADER_LEN + TC_SEC_HDR_LEN + PEC_LEN;

// The last packet parsed.
/** Octets the packet takes in the span (on E_PUS_SHORT: the whole rest of the span). */
export let tcConsumed: i32 = 0;
/** Whether the request id (first 4 octets: packet id, sequence control) could be read. */
export let tcHasRequestId: bool = false;
export let tcPacketId: u32 = 0;
export let tcSeqControl: u32 = 0;
export let tcAck: u32 = 0;
export let tcService: u32 = 0;
export let tcSubtype: u32 = 0;
export let tcSource: u32 = 0;
export let tcAppPtr: usize = 0;
export let tcAppLen: i32 = 0;

/**
 * Parses the packet at the front of ptr[0, avail) against the payload's TC APID. OK with the tc*
 * globals set, or a refusal status (detail in the control block); tcConsumed says how far the
 * next packet starts (a refusal of the packet's length ends the span).
 */
export function parseTcPacket(ptr: usize, avail: i32, tcApid: u32): i32 {
  tcConsumed = avail; tcHasRequestId = false; tcAppLen = 0; tcAck = 0; tcService = 0; tcSubtype = 0;
  if (avail >= 4) { tcHasRequestId = true; tcPacketId = loadU16BE(ptr); tcSeqControl = loadU16BE(ptr + 2); }
  if (avail < PRIMARY_HEADER_LEN) return setDetail(E_PUS_SHORT, 0, avail, PRIMARY_HEADER_LEN, 0);
  const total = PRIMARY_HEADER_LEN + headerDataLen(ptr);                          // 133.0-B-2 §4.1.3.5.3
  if (total > avail) return setDetail(E_PUS_SHORT, 4, total, avail, 4);
  tcConsumed = total;
  if (headerVersion(ptr) != 0) return setDetail(E_PUS_VERSION, 0, <i32>headerVersion(ptr), 0, 0);
  if (headerType(ptr) != 1 || !headerSecHdr(ptr)) return setDetail(E_PUS_TYPE, 0, <i32>headerType(ptr), 1, 0);
  if (headerSeqFlags(ptr) != SEQ_UNSEGMENTED) return setDetail(E_PUS_TYPE, 2, <i32>headerSeqFlags(ptr), <i32>SEQ_UNSEGMENTED, 2);
  if (headerApid(ptr) != tcApid) return setDetail(E_PUS_APID, 0, <i32>headerApid(ptr), <i32>tcApid, 0);
  if (total < TC_MIN_LEN) return setDetail(E_PUS_LENGTH, 4, total, TC_MIN_LEN, 4);
  const pecAt = total - PEC_LEN;
  const want = loadU16BE(ptr + <usize>pecAt), got = crc16(ptr, <usize>pecAt, 0xFFFF);
  if (want != got) return setDetail(E_PUS_CRC, pecAt, <i32>want, <i32>got, pecAt);
  const sh = ptr + <usize>PRIMARY_HEADER_LEN;
  const b0 = <u32>load<u8>(sh);
  if (((b0 >>> PUS_VERSION_SHIFT) & PUS_VERSION_MASK) != PUS_VERSION_C) return setDetail(E_PUS_VERSION, 6, <i32>((b0 >>> PUS_VERSION_SHIFT) & PUS_VERSION_MASK), <i32>PUS_VERSION_C, 6);
  tcAck = (b0 >>> ACK_SHIFT) & ACK_MASK;
  tcService = <u32>load<u8>(sh + 1);
  tcSubtype = <u32>load<u8>(sh + 2);
  tcSource = loadU16BE(sh + 3);
  tcAppPtr = sh + <usize>TC_SEC_HDR_LEN;
  tcAppLen = total - TC_MIN_LEN;
  return OK;
}
