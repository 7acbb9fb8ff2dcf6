// AOS transfer frame primary header and M_PDU header (732.0-B-4 §4.1.2, §4.1.4.2), parsed on the ground.

export const AOS_HEADER_LEN = 6;
export const AOS_FHEC_LEN = 2;
export const AOS_VERSION = 1; // 732.0-B-4 §4.1.2.2.2: '01'
// Octets 0–1 (732.0-B-4 §4.1.2.2).
export const AOS_VERSION_SHIFT = 14, AOS_VERSION_MASK = 0x3;
export const AOS_SCID_SHIFT = 6, AOS_SCID_MASK = 0xff;
export const AOS_VCID_SHIFT = 0, AOS_VCID_MASK = 0x3f;
// Octet 5: signalling field (732.0-B-4 §4.1.2.5).
export const AOS_REPLAY_FLAG_SHIFT = 7, AOS_REPLAY_FLAG_MASK = 0x1;
export const AOS_VC_CYCLE_USE_SHIFT = 6, AOS_VC_CYCLE_USE_MASK = 0x1;
export const AOS_VC_CYCLE_SHIFT = 0, AOS_VC_CYCLE_MASK = 0xf;
/** Idle frames are sent on VCID 63 (732.0-B-4 §4.1.2.3). */
export const AOS_IDLE_VCID = 63;
/** M_PDU header: 5 spare bits (732.0-B-4 §4.1.4.2.2) then the first header pointer (§4.1.4.2.3). */
export const MPDU_HEADER_LEN = 2;
export const MPDU_FHP_SHIFT = 0, MPDU_FHP_MASK = 0x7ff;

export interface AosHeader {
  version: number;
  scid: number;
  vcid: number;
  /** Virtual channel frame count; 28 bits when the cycle field is in use. */
  vcCount: number;
  vcCountBits: 24 | 28;
  replay: boolean;
}

export function parseAosHeader(f: Uint8Array): AosHeader {
  const w0 = (f[0] << 8) | f[1];
  const sig = f[5];
  let vcCount = (f[2] << 16) | (f[3] << 8) | f[4]; // §4.1.2.4
  const cycleUsed = ((sig >>> AOS_VC_CYCLE_USE_SHIFT) & AOS_VC_CYCLE_USE_MASK) === 1; // §4.1.2.5.3
  if (cycleUsed) vcCount += ((sig >>> AOS_VC_CYCLE_SHIFT) & AOS_VC_CYCLE_MASK) * 0x1000000; // §4.1.2.5.5
  return {
    version: (w0 >>> AOS_VERSION_SHIFT) & AOS_VERSION_MASK, // §4.1.2.2.2
    scid: (w0 >>> AOS_SCID_SHIFT) & AOS_SCID_MASK, // §4.1.2.2.3
    vcid: (w0 >>> AOS_VCID_SHIFT) & AOS_VCID_MASK, // §4.1.2.3
    vcCount,
    vcCountBits: cycleUsed ? 28 : 24,
    replay: ((sig >>> AOS_REPLAY_FLAG_SHIFT) & AOS_REPLAY_FLAG_MASK) === 1, // §4.1.2.5.2
  };
}

export function parseMpduFhp(f: Uint8Array, off: number): number {
  return (((f[off] << 8) | f[off + 1]) >>> MPDU_FHP_SHIFT) & MPDU_FHP_MASK; // 732.0-B-4 §4.1.4.2.3
}
