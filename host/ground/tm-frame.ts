// TM transfer frame primary header (132.0-B-3 §4.1.2), parsed on the ground.

export const TM_HEADER_LEN = 6;
export const TM_VERSION = 0; // 132.0-B-3 §4.1.2.2.2: '00'
// Octets 0–1 (132.0-B-3 §4.1.2.1).
export const TM_VERSION_SHIFT = 14, TM_VERSION_MASK = 0x3;
export const TM_SCID_SHIFT = 4, TM_SCID_MASK = 0x3ff;
export const TM_VCID_SHIFT = 1, TM_VCID_MASK = 0x7;
export const TM_OCF_FLAG_SHIFT = 0, TM_OCF_FLAG_MASK = 0x1;
// Octets 4–5: transfer frame data field status (132.0-B-3 §4.1.2.7).
export const TM_SEC_HDR_FLAG_SHIFT = 15, TM_SEC_HDR_FLAG_MASK = 0x1;
export const TM_SYNC_FLAG_SHIFT = 14, TM_SYNC_FLAG_MASK = 0x1;
export const TM_ORDER_FLAG_SHIFT = 13, TM_ORDER_FLAG_MASK = 0x1;
export const TM_SEG_LEN_ID_SHIFT = 11, TM_SEG_LEN_ID_MASK = 0x3;
export const TM_FHP_SHIFT = 0, TM_FHP_MASK = 0x7ff;
/** Secondary header identification octet (132.0-B-3 §4.1.3.2). */
export const TM_SEC_HDR_LEN_SHIFT = 0, TM_SEC_HDR_LEN_MASK = 0x3f;
/** FHP values (132.0-B-3 §4.1.2.7.6). */
export const FHP_NO_PACKET_START = 0x7ff;
export const FHP_IDLE_ONLY = 0x7fe;
export const OCF_LEN = 4;
export const FECF_LEN = 2;

export interface TmHeader {
  version: number;
  scid: number;
  vcid: number;
  ocfFlag: boolean;
  mcCount: number;
  vcCount: number;
  secHdrFlag: boolean;
  syncFlag: boolean;
  packetOrderFlag: boolean;
  segLenId: number;
  fhp: number;
}

export function parseTmHeader(f: Uint8Array): TmHeader {
  const w0 = (f[0] << 8) | f[1];
  const w2 = (f[4] << 8) | f[5];
  return {
    version: (w0 >>> TM_VERSION_SHIFT) & TM_VERSION_MASK, // §4.1.2.2
    scid: (w0 >>> TM_SCID_SHIFT) & TM_SCID_MASK, // §4.1.2.2.3
    vcid: (w0 >>> TM_VCID_SHIFT) & TM_VCID_MASK, // §4.1.2.3
    ocfFlag: ((w0 >>> TM_OCF_FLAG_SHIFT) & TM_OCF_FLAG_MASK) === 1, // §4.1.2.4
    mcCount: f[2], // §4.1.2.5
    vcCount: f[3], // §4.1.2.6
    secHdrFlag: ((w2 >>> TM_SEC_HDR_FLAG_SHIFT) & TM_SEC_HDR_FLAG_MASK) === 1, // §4.1.2.7.2
    syncFlag: ((w2 >>> TM_SYNC_FLAG_SHIFT) & TM_SYNC_FLAG_MASK) === 1, // §4.1.2.7.3
    packetOrderFlag: ((w2 >>> TM_ORDER_FLAG_SHIFT) & TM_ORDER_FLAG_MASK) === 1, // §4.1.2.7.4
    segLenId: (w2 >>> TM_SEG_LEN_ID_SHIFT) & TM_SEG_LEN_ID_MASK, // §4.1.2.7.5
    fhp: (w2 >>> TM_FHP_SHIFT) & TM_FHP_MASK, // §4.1.2.7.6
  };
}
