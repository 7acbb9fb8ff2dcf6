// MSB-first bit writer with a 64-bit accumulator (121.0-B-3 §5.1: bits are sent MSB first).
// The writer lives in module globals while one encoder call runs; the encoder state saves
// and restores it between calls. Invariant between puts: bwFill < 32 pending bits, the
// pending bits are the bwFill low bits of bwAcc (the bits above them are stale).

export let bwAcc: u64 = 0;
export let bwFill: i32 = 0;
export let bwOut: usize = 0;

@inline
export function bwSet(acc: u64, fill: i32, out: usize): void {
  bwAcc = acc;
  bwFill = fill;
  bwOut = out;
}

/** Append the `bits` low bits of v (bits <= 32, v < 2^bits). */
@inline
export function put(v: u64, bits: i32): void {
  let acc = (bwAcc << <u64>bits) | v;
  let fill = bwFill + bits;
  if (fill >= 32) {
    fill -= 32;
    store<u32>(bwOut, bswap<u32>(<u32>(acc >> <u64>fill)));
    bwOut += 4;
  }
  bwAcc = acc;
  bwFill = fill;
}

/** Fundamental sequence codeword: m zeros then a one (121.0-B-3 §3.2). */
export function putFs(m: u64): void {
  while (m >= 32) {
    put(0, 32);
    m -= 32;
  }
  put(1, <i32>m + 1);
}

/** Write out the whole bytes among the pending bits (fewer than 8 stay). */
export function bwFlushBytes(): void {
  let fill = bwFill;
  let out = bwOut;
  const acc = bwAcc;
  while (fill >= 8) {
    fill -= 8;
    store<u8>(out, <u8>(acc >> <u64>fill));
    out++;
  }
  bwFill = fill;
  bwOut = out;
}

/** Zero fill bits up to the next byte boundary. */
export function bwPadByte(): void {
  const r = bwFill & 7;
  if (r != 0) put(0, 8 - r);
}
