// CCSDS Unsegmented time Code (301.0-B-4 §3.2) decoding helper for packet secondary headers.

export class CucError extends Error {
  constructor(readonly reason: "truncated" | "not-cuc" | "extension-unsupported", readonly offset: number) {
    super(`CUC decode failed at offset ${offset}: ${reason}`);
    this.name = "CucError";
  }
}

export interface CucTime {
  /** P-field octet (301.0-B-4 §3.2.2). */
  pField: number;
  /** Time code ID: 1 = 1958 epoch (agency-defined = 2). */
  timeCodeId: number;
  coarseOctets: number;
  fineOctets: number;
  coarse: number;
  fine: number;
  /** coarse + fine / 256^fineOctets, seconds since the epoch. */
  seconds: number;
  /** Total octets consumed (P + T). */
  length: number;
}

const P_EXT_SHIFT = 7, P_EXT_MASK = 0x1;
const P_ID_SHIFT = 4, P_ID_MASK = 0x7;
const P_COARSE_SHIFT = 2, P_COARSE_MASK = 0x3;
const P_FINE_SHIFT = 0, P_FINE_MASK = 0x3;

/**
 * Decodes a CUC with a one-octet P-field (e.g. 0x1E: no extension, ID 001 = 1958 epoch,
 * 4 coarse octets, 2 fine octets) at `offset`. Throws CucError on bad input.
 */
export function decodeCuc(bytes: Uint8Array, offset = 0): CucTime {
  if (offset < 0 || offset >= bytes.length) throw new CucError("truncated", offset);
  const p = bytes[offset];
  if (((p >>> P_EXT_SHIFT) & P_EXT_MASK) !== 0) throw new CucError("extension-unsupported", offset); // 301.0-B-4 §3.2.2: bit 0, extension flag
  const id = (p >>> P_ID_SHIFT) & P_ID_MASK; // 301.0-B-4 §3.2.2: 001 = Level 1 (1958 TAI), 010 = Level 2
  if (id !== 1 && id !== 2) throw new CucError("not-cuc", offset);
  const coarseOctets = ((p >>> P_COARSE_SHIFT) & P_COARSE_MASK) + 1; // §3.2.2: (number of octets − 1)
  const fineOctets = (p >>> P_FINE_SHIFT) & P_FINE_MASK;
  const length = 1 + coarseOctets + fineOctets;
  if (offset + length > bytes.length) throw new CucError("truncated", offset);
  let coarse = 0;
  for (let i = 0; i < coarseOctets; i++) coarse = coarse * 256 + bytes[offset + 1 + i];
  let fine = 0;
  for (let i = 0; i < fineOctets; i++) fine = fine * 256 + bytes[offset + 1 + coarseOctets + i];
  const seconds = coarse + (fineOctets ? fine / 2 ** (8 * fineOctets) : 0);
  return { pField: p, timeCodeId: id, coarseOctets, fineOctets, coarse, fine, seconds, length };
}
