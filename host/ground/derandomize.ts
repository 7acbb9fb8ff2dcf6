// Pseudo-randomizer of 131.0-B-5 §10 (255-bit sequence): h(x) = x^8 + x^7 + x^5 + x^3 + 1
// (§10.4.2), all-ones preset at the start of every codeblock (§10.4.3; the ASM is not
// randomized, §10.3), period 255. Ground-side implementation.

/** First `len` octets of the pseudo-random sequence (131.0-B-5 §10.4.2, §10.4.3). */
export function pnSequence(len: number): Uint8Array {
  const out = new Uint8Array(len);
  // Fibonacci form of h(x): b[n+8] = b[n+7] ^ b[n+5] ^ b[n+3] ^ b[n] (131.0-B-5 §10.4.2),
  // b[0..7] = 1 (all-ones preset, §10.4.3). `reg` holds b[n..n+7], b[n] in bit 7.
  let reg = 0xff;
  for (let i = 0; i < len; i++) {
    let byte = 0;
    for (let k = 0; k < 8; k++) {
      const b0 = (reg >>> 7) & 1;
      byte = (byte << 1) | b0;
      const next = ((reg >>> 0) ^ (reg >>> 2) ^ (reg >>> 4) ^ (reg >>> 7)) & 1; // b7 ^ b5 ^ b3 ^ b0
      reg = ((reg << 1) | next) & 0xff;
    }
    out[i] = byte;
  }
  return out;
}

/** XORs the sequence onto buf[off, off+len) (randomize and derandomize are the same operation). */
export class Derandomizer {
  readonly pn: Uint8Array;
  private readonly pn32: Int32Array;
  constructor(readonly len: number) {
    const words = (len + 3) >>> 2;
    this.pn32 = new Int32Array(words);
    this.pn = new Uint8Array(this.pn32.buffer, 0, len);
    this.pn.set(pnSequence(len));
  }
  /** In place; `buf` must have byteOffset+off aligned to 4 for the word path. */
  apply(buf: Uint8Array, off = 0): void {
    const len = this.len, pn = this.pn;
    const abs = buf.byteOffset + off;
    let i = 0;
    if ((abs & 3) === 0) {
      const words = len >>> 2;
      const w = new Int32Array(buf.buffer, abs, words);
      const p = this.pn32;
      for (; i < words; i++) w[i] ^= p[i];
      i = words << 2;
    }
    for (; i < len; i++) buf[off + i] ^= pn[i];
  }
}
