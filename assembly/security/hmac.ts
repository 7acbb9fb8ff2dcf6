// HMAC-SHA-256 (RFC 2104, FIPS 198-1) on SHA-256 (sha256.ts): fixed buffers, no allocation.
// hmacInit / hmacUpdate / hmacFinal stream the message; hmacSha256 is the one-shot form.
// A key longer than the block (64 octets) is first hashed (RFC 2104 §2).
import { OK, E_NULL, E_BAD_LENGTH } from "../abi/status";
import { sha256Init, sha256Update, sha256Final, SHA256_CTX_LEN, SHA256_LEN, SHA256_BLOCK } from "./sha256";

/** Octets of an HMAC context: the inner hash context ‖ the key XOR opad (64). */
export const HMAC_CTX_LEN: i32 = SHA256_CTX_LEN + SHA256_BLOCK;
const CTX_OPAD: usize = <usize>SHA256_CTX_LEN;

const K0: usize = memory.data(SHA256_BLOCK);         // the key padded to the block (RFC 2104 step 1)
const PAD: usize = memory.data(SHA256_BLOCK);        // K0 XOR ipad
const INNER: usize = memory.data(SHA256_LEN);        // the inner digest
const OUTER_CTX: usize = memory.data(SHA256_CTX_LEN);
const ONE_SHOT: usize = memory.data(HMAC_CTX_LEN);

/** Starts an HMAC under keyLen octets of key at keyPtr. OK, E_NULL or E_BAD_LENGTH. */
export function hmacInit(ctx: usize, keyPtr: usize, keyLen: i32): i32 {
  if (ctx == 0 || (keyPtr == 0 && keyLen > 0)) return E_NULL;
  if (keyLen < 0) return E_BAD_LENGTH;
  for (let i: usize = 0; i < <usize>SHA256_BLOCK; i++) store<u8>(K0 + i, 0);
  if (keyLen > SHA256_BLOCK) {
    sha256Init(ctx);
    sha256Update(ctx, keyPtr, <usize>keyLen);
    sha256Final(ctx, K0);
  } else {
    for (let i: usize = 0; i < <usize>keyLen; i++) store<u8>(K0 + i, load<u8>(keyPtr + i));
  }
  for (let i: usize = 0; i < <usize>SHA256_BLOCK; i++) {
    const k = load<u8>(K0 + i);
    store<u8>(PAD + i, k ^ 0x36);
    store<u8>(ctx + CTX_OPAD + i, k ^ 0x5c);
    store<u8>(K0 + i, 0);                              // no key copy left behind
  }
  sha256Init(ctx);
  sha256Update(ctx, PAD, <usize>SHA256_BLOCK);
  for (let i: usize = 0; i < <usize>SHA256_BLOCK; i++) store<u8>(PAD + i, 0);
  return OK;
}

export function hmacUpdate(ctx: usize, ptr: usize, len: usize): void { sha256Update(ctx, ptr, len); }

/** The 32-octet MAC at outPtr: H((K0 ⊕ opad) ‖ H((K0 ⊕ ipad) ‖ text)). */
export function hmacFinal(ctx: usize, outPtr: usize): void {
  sha256Final(ctx, INNER);
  sha256Init(OUTER_CTX);
  sha256Update(OUTER_CTX, ctx + CTX_OPAD, <usize>SHA256_BLOCK);
  sha256Update(OUTER_CTX, INNER, <usize>SHA256_LEN);
  sha256Final(OUTER_CTX, outPtr);
  for (let i: usize = 0; i < <usize>SHA256_BLOCK; i++) store<u8>(ctx + CTX_OPAD + i, 0);
}

/** HMAC-SHA-256 of msgLen octets at msgPtr under keyLen octets at keyPtr; 32 octets at outPtr. */
export function hmacSha256(keyPtr: usize, keyLen: i32, msgPtr: usize, msgLen: i32, outPtr: usize): i32 {
  if (outPtr == 0 || (msgPtr == 0 && msgLen > 0)) return E_NULL;
  if (msgLen < 0) return E_BAD_LENGTH;
  const st = hmacInit(ONE_SHOT, keyPtr, keyLen);
  if (st != OK) return st;
  hmacUpdate(ONE_SHOT, msgPtr, <usize>msgLen);
  hmacFinal(ONE_SHOT, outPtr);
  return OK;
}
