// CCSDS 131.0-B-5 §10 pseudo-randomizer, 255-bit sequence: h(x) = x^8 + x^7 + x^5 + x^3 + 1
// (§10.4.2), register preset to all ones at the start of each codeblock (§10.4.3; never over
// the ASM, §10.3), sequence period 255 bits
// = 255 bytes when taken byte-wise. The byte sequence lives in static data, twice over plus
// eight bytes, so that an unaligned 64-bit load may start at any phase 0..254.

const SEQ_LEN: i32 = 255;
const RANDOMIZER_SEQ: usize = memory.data(2 * 255 + 8, 8);
let seqReady = false;

/** Fills the sequence table from h(x) (idempotent). */
export function randomizerInit(): void {
  if (seqReady) return;
  // 131.0-B-5 §10.4.3: all-ones preset; §10.4.2: bit recurrence s[n+8] = s[n+7] ^ s[n+5] ^ s[n+3] ^ s[n]
  // (the taps of h(x)), first bit of the sequence = MSB of the first byte.
  let reg: u32 = 0xff; // s[n] .. s[n+7], s[n] in bit 7
  for (let i = 0; i < SEQ_LEN; i++) {
    let byte: u32 = 0;
    for (let b = 0; b < 8; b++) {
      const s0 = (reg >> 7) & 1;
      byte = (byte << 1) | s0;
      const next = s0 ^ ((reg >> 4) & 1) ^ ((reg >> 2) & 1) ^ (reg & 1); // s[n], s[n+3], s[n+5], s[n+7]
      reg = ((reg << 1) | next) & 0xff;
    }
    store<u8>(RANDOMIZER_SEQ + <usize>i, <u8>byte);
  }
  for (let i = SEQ_LEN; i < 2 * SEQ_LEN + 8; i++) {
    store<u8>(RANDOMIZER_SEQ + <usize>i, load<u8>(RANDOMIZER_SEQ + <usize>(i - SEQ_LEN)));
  }
  seqReady = true;
}

/** Address of the 255-byte sequence (followed by its repetition). */
export function randomizerTable(): usize { randomizerInit(); return RANDOMIZER_SEQ; }

/**
 * XORs len bytes at ptr in place with the pseudo-random sequence from its first bit
 * (131.0-B-5 §10.2.2: the codeblock after RS encoding; §10.3: excluding the ASM). Applying it twice
 * restores the data.
 */
export function randomize(ptr: usize, len: usize): void {
  randomizerInit();
  let phase: usize = 0;
  let p = ptr;
  const words = ptr + (len & ~(<usize>7));
  const end = ptr + len;
  while (p < words) {
    store<u64>(p, load<u64>(p) ^ load<u64>(RANDOMIZER_SEQ + phase));
    p += 8;
    phase += 8;
    if (phase >= <usize>SEQ_LEN) phase -= <usize>SEQ_LEN;
  }
  while (p < end) {
    store<u8>(p, load<u8>(p) ^ load<u8>(RANDOMIZER_SEQ + phase));
    p++;
    phase++;
  }
}
