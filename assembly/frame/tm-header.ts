// CCSDS 132.0-B-3 TM Transfer Frame primary header (§4.1.2), 6 octets.
import { storeU16BE } from "../util/be";

export const TM_HEADER_LEN: i32 = 6;
export const TM_VERSION: u32 = 0;                   // §4.1.2.2.2: "00"
// Octets 0–1: TFVN (2) | SCID (10) | VCID (3) | OCF flag (1)   (§4.1.2.2–§4.1.2.4)
export const TM_TFVN_SHIFT: u32 = 14;
export const TM_TFVN_MASK: u32 = 0x3;
export const TM_SCID_SHIFT: u32 = 4;
export const TM_SCID_MASK: u32 = 0x3FF;
export const TM_VCID_SHIFT: u32 = 1;
export const TM_VCID_MASK: u32 = 0x7;
export const TM_OCF_SHIFT: u32 = 0;
export const TM_OCF_MASK: u32 = 0x1;
// Octets 4–5: data field status (§4.1.2.7).
export const TM_SEC_HDR_SHIFT: u32 = 15;
export const TM_SYNC_SHIFT: u32 = 14;
export const TM_ORDER_SHIFT: u32 = 13;
export const TM_SEG_LEN_ID_SHIFT: u32 = 11;
export const TM_SEG_LEN_ID_MASK: u32 = 0x3;
export const TM_FHP_SHIFT: u32 = 0;
export const TM_FHP_MASK: u32 = 0x7FF;
export const TM_SEG_LEN_ID_NO_SEGMENTS: u32 = 3;    // §4.1.2.7.5: "11" when the sync flag is 0

export const FHP_NO_PACKET_START: u32 = 0x7FF;      // §4.1.2.7.6.4
export const FHP_IDLE_ONLY: u32 = 0x7FE;            // §4.1.2.7.6.5

export function packTmHeader(ptr: usize, scid: u32, vcid: u32, ocf: bool, mcCount: u32, vcCount: u32, fhp: u32): void {
  storeU16BE(ptr,
    ((TM_VERSION & TM_TFVN_MASK) << TM_TFVN_SHIFT) |
    ((scid & TM_SCID_MASK) << TM_SCID_SHIFT) |
    ((vcid & TM_VCID_MASK) << TM_VCID_SHIFT) |
    (((ocf ? 1 : 0) & TM_OCF_MASK) << TM_OCF_SHIFT));
  store<u8>(ptr + 2, <u8>mcCount);                  // §4.1.2.5: master channel frame count (mod 256)
  store<u8>(ptr + 3, <u8>vcCount);                  // §4.1.2.6: virtual channel frame count (mod 256)
  // §4.1.2.7: no secondary header, sync flag 0 (packets), packet order 0, segment length ID 11.
  storeU16BE(ptr + 4,
    ((TM_SEG_LEN_ID_NO_SEGMENTS & TM_SEG_LEN_ID_MASK) << TM_SEG_LEN_ID_SHIFT) |
    ((fhp & TM_FHP_MASK) << TM_FHP_SHIFT));
}
