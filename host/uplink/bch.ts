// BCH(63,56) code blocks of CCSDS 231.0-B-4 §3 (TC synchronization and channel coding).
//
// A code block is 8 octets: 56 information bits (7 octets, first transmitted = most significant),
// then 7 parity bits, then one filler bit (0). The parity is the remainder of x^7·i(x) modulo the
// generator g(x) = x^7 + x^6 + x^2 + 1 (§3.2.2), complemented (§3.2.3). g(x) = (x + 1)(x^6 + x + 1):
// an expurgated Hamming code of minimum distance 4, so a decoder corrects any single error and
// detects any double error (correction mode), or detects any 1, 2 or 3 errors (detection mode).
// The filler bit is not covered by the code: the encoder writes 0, the decoder ignores it.

/** g(x) without its x^7 term: x^6 + x^2 + 1. */
const G_LOW = 0b1000101;

/** The 7 uncomplemented parity bits of the 56 information bits at data[off..off+7). */
function remainder(data: Uint8Array, off: number): number {
  let r = 0; // the 7-bit shift register (bit 6 = coefficient of x^6)
  for (let i = 0; i < 7; i++) {
    const b = data[off + i];
    for (let k = 7; k >= 0; k--) {
      const fb = ((r >>> 6) ^ (b >>> k)) & 1;
      r = (r << 1) & 0x7f;
      if (fb) r ^= G_LOW;
    }
  }
  return r;
}

/** The eighth octet of the code block for 7 information octets: ~parity (7 bits) ‖ filler bit 0. */
export function bchParityOctet(data: Uint8Array, off = 0): number {
  return ((~remainder(data, off) & 0x7f) << 1) & 0xff;
}

/** Encodes 7 information octets into an 8-octet code block written at out[outOff]. */
export function bchEncodeBlock(data: Uint8Array, off: number, out: Uint8Array, outOff: number): void {
  for (let i = 0; i < 7; i++) out[outOff + i] = data[off + i];
  out[outOff + 7] = bchParityOctet(data, off);
}

/** Syndrome of the code block at blk[off..off+8): 0 when it is a codeword (filler bit ignored). */
export function bchSyndrome(blk: Uint8Array, off = 0): number {
  return (remainder(blk, off) ^ (~(blk[off + 7] >>> 1) & 0x7f)) & 0x7f;
}

/**
 * Syndrome → the bit (0 = first transmitted, 0..62) whose single error produces it; -1 for a
 * syndrome no single error gives (an even number of errors, or more). Built by trying every
 * single-bit error on a codeword, not from a formula.
 */
const SINGLE = (() => {
  const t = new Int8Array(128).fill(-1);
  const blk = new Uint8Array(8);
  blk[7] = bchParityOctet(blk, 0); // the all-zero information block and its parity
  for (let bit = 0; bit < 63; bit++) {
    blk[bit >>> 3] ^= 0x80 >>> (bit & 7);
    const s = bchSyndrome(blk, 0);
    blk[bit >>> 3] ^= 0x80 >>> (bit & 7);
    if (s === 0 || t[s] !== -1) throw new Error(`BCH table: bit ${bit} syndrome ${s} not unique`); // cannot happen for this g(x)
    t[s] = bit;
  }
  return t;
})();

export type BchMode = "correct" | "detect";
/** What decoding one code block found. */
export type BchOutcome = "clean" | "corrected" | "rejected";

/**
 * Decodes the code block at blk[off..off+8) in place. "clean": no error; "corrected": a single
 * error was corrected (correction mode only; the bit is flipped back in blk); "rejected": an
 * error was detected that is not corrected (the block is left as received).
 */
export function bchDecodeBlock(blk: Uint8Array, off: number, mode: BchMode): { outcome: BchOutcome; bit: number } {
  const s = bchSyndrome(blk, off);
  if (s === 0) return { outcome: "clean", bit: -1 };
  if (mode === "detect") return { outcome: "rejected", bit: -1 };
  const bit = SINGLE[s];
  if (bit < 0) return { outcome: "rejected", bit: -1 };
  blk[off + (bit >>> 3)] ^= 0x80 >>> (bit & 7);
  return { outcome: "corrected", bit };
}
