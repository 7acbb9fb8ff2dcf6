// SHA-256 (FIPS 180-4 §6.2), streaming: sha256Init / sha256Update / sha256Final on a context of
// SHA256_CTX_LEN octets the caller carves once (static data here, no allocation). Messages up
// to 2^32 − 1 octets per context (the flash files and frames are far shorter); the length is
// counted in a u64 so the padding is right for any of them.
import { copyBytes } from "../util/be";
import { OK, E_NULL, E_BAD_LENGTH } from "../abi/status";

/** Octets of a SHA-256 context: H0..H7 (32) ‖ length in octets u64 (8) ‖ block buffer (64) ‖ used (4) ‖ pad (4). */
export const SHA256_CTX_LEN: i32 = 112;
export const SHA256_LEN: i32 = 32;
export const SHA256_BLOCK: i32 = 64;
const CTX_H: usize = 0;
const CTX_LEN: usize = 32;
const CTX_BUF: usize = 40;
const CTX_USED: usize = 104;

// FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes.
const K: usize = memory.data<u32>([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
/** The round constants K0..K63 (for the test that regenerates them from the primes). */
export function sha256KTable(): usize { return K; }
// The message schedule W0..W63 (§6.2.2 step 1), one for every context (calls never interleave).
const W: usize = memory.data(64 * 4);
// A context for the one-shot sha256().
const ONE_SHOT: usize = memory.data(SHA256_CTX_LEN);

/** §5.3.3: the initial hash value. */
export function sha256Init(ctx: usize): void {
  store<u32>(ctx + CTX_H, 0x6a09e667); store<u32>(ctx + CTX_H, 0xbb67ae85, 4);
  store<u32>(ctx + CTX_H, 0x3c6ef372, 8); store<u32>(ctx + CTX_H, 0xa54ff53a, 12);
  store<u32>(ctx + CTX_H, 0x510e527f, 16); store<u32>(ctx + CTX_H, 0x9b05688c, 20);
  store<u32>(ctx + CTX_H, 0x1f83d9ab, 24); store<u32>(ctx + CTX_H, 0x5be0cd19, 28);
  store<u64>(ctx + CTX_LEN, 0);
  store<u32>(ctx + CTX_USED, 0);
}

/** §6.2.2: one 64-octet block at p into the hash value of ctx. */
function compress(ctx: usize, p: usize): void {
  for (let t: usize = 0; t < 16; t++) store<u32>(W + (t << 2), bswap<u32>(load<u32>(p + (t << 2))));
  for (let t: usize = 16; t < 64; t++) {
    const w15 = load<u32>(W + ((t - 15) << 2));
    const w2 = load<u32>(W + ((t - 2) << 2));
    const s0 = rotr<u32>(w15, 7) ^ rotr<u32>(w15, 18) ^ (w15 >>> 3);   // σ0, §4.1.2 (4.6)
    const s1 = rotr<u32>(w2, 17) ^ rotr<u32>(w2, 19) ^ (w2 >>> 10);    // σ1, (4.7)
    store<u32>(W + (t << 2), load<u32>(W + ((t - 16) << 2)) + s0 + load<u32>(W + ((t - 7) << 2)) + s1);
  }
  let a = load<u32>(ctx, 0), b = load<u32>(ctx, 4), c = load<u32>(ctx, 8), d = load<u32>(ctx, 12);
  let e = load<u32>(ctx, 16), f = load<u32>(ctx, 20), g = load<u32>(ctx, 24), h = load<u32>(ctx, 28);
  for (let t: usize = 0; t < 64; t++) {
    const S1 = rotr<u32>(e, 6) ^ rotr<u32>(e, 11) ^ rotr<u32>(e, 25);   // Σ1, (4.5)
    const ch = (e & f) ^ (~e & g);                                       // Ch, (4.2)
    const t1 = h + S1 + ch + load<u32>(K + (t << 2)) + load<u32>(W + (t << 2));
    const S0 = rotr<u32>(a, 2) ^ rotr<u32>(a, 13) ^ rotr<u32>(a, 22);   // Σ0, (4.4)
    const maj = (a & b) ^ (a & c) ^ (b & c);                             // Maj, (4.3)
    const t2 = S0 + maj;
    h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
  }
  store<u32>(ctx, load<u32>(ctx, 0) + a, 0); store<u32>(ctx, load<u32>(ctx, 4) + b, 4);
  store<u32>(ctx, load<u32>(ctx, 8) + c, 8); store<u32>(ctx, load<u32>(ctx, 12) + d, 12);
  store<u32>(ctx, load<u32>(ctx, 16) + e, 16); store<u32>(ctx, load<u32>(ctx, 20) + f, 20);
  store<u32>(ctx, load<u32>(ctx, 24) + g, 24); store<u32>(ctx, load<u32>(ctx, 28) + h, 28);
}

/** Adds len octets at ptr to the message of ctx (any chunking gives the same digest). */
export function sha256Update(ctx: usize, ptr: usize, len: usize): void {
  store<u64>(ctx + CTX_LEN, load<u64>(ctx + CTX_LEN) + <u64>len);
  let used = <usize>load<u32>(ctx + CTX_USED);
  const buf = ctx + CTX_BUF;
  let i: usize = 0;
  if (used > 0) {
    const take = min<usize>(<usize>SHA256_BLOCK - used, len);
    copyBytes(buf + used, ptr, take);
    used += take; i = take;
    if (used < <usize>SHA256_BLOCK) { store<u32>(ctx + CTX_USED, <u32>used); return; }
    compress(ctx, buf);
    used = 0;
  }
  while (len - i >= <usize>SHA256_BLOCK) { compress(ctx, ptr + i); i += <usize>SHA256_BLOCK; }
  copyBytes(buf, ptr + i, len - i);
  store<u32>(ctx + CTX_USED, <u32>(len - i));
}

/** §5.1.1 padding, then the digest (32 octets, big-endian words, §6.2.2 step 4) at outPtr. */
export function sha256Final(ctx: usize, outPtr: usize): void {
  const bits = load<u64>(ctx + CTX_LEN) << 3;
  const buf = ctx + CTX_BUF;
  let used = <usize>load<u32>(ctx + CTX_USED);
  store<u8>(buf + used, 0x80); used++;
  if (used > 56) {
    while (used < 64) { store<u8>(buf + used, 0); used++; }
    compress(ctx, buf);
    used = 0;
  }
  while (used < 56) { store<u8>(buf + used, 0); used++; }
  store<u64>(buf + 56, bswap<u64>(bits));
  compress(ctx, buf);
  for (let i: usize = 0; i < 8; i++) store<u32>(outPtr + (i << 2), bswap<u32>(load<u32>(ctx + (i << 2))));
  store<u32>(ctx + CTX_USED, 0);
}

/** SHA-256 of len octets at ptr into 32 octets at outPtr. OK, E_NULL or E_BAD_LENGTH (len < 0). */
export function sha256(ptr: usize, len: i32, outPtr: usize): i32 {
  if (outPtr == 0 || (ptr == 0 && len > 0)) return E_NULL;
  if (len < 0) return E_BAD_LENGTH;
  sha256Init(ONE_SHOT);
  sha256Update(ONE_SHOT, ptr, <usize>len);
  sha256Final(ONE_SHOT, outPtr);
  return OK;
}
