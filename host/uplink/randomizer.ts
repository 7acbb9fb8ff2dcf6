// The TC randomizer of CCSDS 231.0-B-4 §6: the transfer frame is XORed, before BCH coding, with the
// sequence of the LFSR h(x) = x^8 + x^6 + x^4 + x^3 + x^2 + x + 1 started from all ones, restarted
// for every CLTU. The receiving side applies the same XOR to the decoded data (derandomization).
// The sequence begins FF 39 9E 5A 68 E9 06 F5 (231.0-B-4 §6, figure 6-2 lists the first 40 bits).

/** The first n octets of the TC randomizer sequence. */
export function tcRandomizerSequence(n: number): Uint8Array {
  const out = new Uint8Array(n);
  // Fibonacci form: the register holds the next 8 output bits, r7 first; the new bit entering
  // at r0 is the XOR of the taps of h(x) other than x^8 (x^6, x^4, x^3, x^2, x, 1 → bits 6,4,3,2,1,0
  // counted as distances from the new bit: the bits output 2, 4, 5, 6, 7 and 8 steps earlier).
  let r = 0xff;
  for (let i = 0; i < n; i++) {
    let o = 0;
    for (let k = 0; k < 8; k++) {
      const bit = (r >>> 7) & 1;
      o = (o << 1) | bit;
      // x^8 = x^6 + x^4 + x^3 + x^2 + x + 1 (mod 2): the bit 8 steps ahead of the oldest is the sum of
      // those 6, 4, 3, 2, 1 and 0 steps ahead of it. In r (bit 7 = oldest), step j ahead is bit 7-j.
      const nb = ((r >>> 7) ^ (r >>> 6) ^ (r >>> 5) ^ (r >>> 4) ^ (r >>> 3) ^ (r >>> 1)) & 1;
      r = ((r << 1) | nb) & 0xff;
    }
    out[i] = o;
  }
  return out;
}

const SEQ = tcRandomizerSequence(2048);

/** XORs bytes with the TC randomizer sequence (randomizes and derandomizes), returning a new array. */
export function tcRandomize(bytes: Uint8Array): Uint8Array {
  const seq = bytes.length <= SEQ.length ? SEQ : tcRandomizerSequence(bytes.length);
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i] ^ seq[i];
  return out;
}
