// CCSDS 732.0-B-4 AOS Transfer Frame primary header (§4.1.2) and M_PDU header (§4.1.4.2).
import { storeU16BE, storeU24BE } from "../util/be";

export const AOS_HEADER_LEN: i32 = 6;               // without the optional frame header error control
export const AOS_VERSION: u32 = 1;                  // §4.1.2.2.2: "01"
export const AOS_TFVN_SHIFT: u32 = 14;
export const AOS_TFVN_MASK: u32 = 0x3;
export const AOS_SCID_SHIFT: u32 = 6;
export const AOS_SCID_MASK: u32 = 0xFF;
export const AOS_VCID_SHIFT: u32 = 0;
export const AOS_VCID_MASK: u32 = 0x3F;
export const AOS_VC_COUNT_MASK: u32 = 0xFFFFFF;     // §4.1.2.4: 24 bits, mod 16777216
// Signalling field (§4.1.2.5): replay (1) | VC frame count usage (1) | spare (2) | count cycle (4).
export const AOS_REPLAY_SHIFT: u32 = 7;
export const AOS_CYCLE_USAGE_SHIFT: u32 = 6;
export const AOS_IDLE_VCID: u32 = 63;               // §4.1.2.3: all ones = only idle data

export const MPDU_HEADER_LEN: i32 = 2;
export const MPDU_FHP_SHIFT: u32 = 0;
export const MPDU_FHP_MASK: u32 = 0x7FF;            // §4.1.4.2.3: 11 bits after 5 spare bits

export function packAosHeader(ptr: usize, scid: u32, vcid: u32, vcCount: u32): void {
  storeU16BE(ptr,
    ((AOS_VERSION & AOS_TFVN_MASK) << AOS_TFVN_SHIFT) |
    ((scid & AOS_SCID_MASK) << AOS_SCID_SHIFT) |
    ((vcid & AOS_VCID_MASK) << AOS_VCID_SHIFT));
  storeU24BE(ptr + 2, vcCount & AOS_VC_COUNT_MASK);
  store<u8>(ptr + 5, 0);                            // not replay; count-cycle not used
}

export function packMpduHeader(ptr: usize, fhp: u32): void {
  storeU16BE(ptr, (fhp & MPDU_FHP_MASK) << MPDU_FHP_SHIFT);   // spare bits 00000
}
