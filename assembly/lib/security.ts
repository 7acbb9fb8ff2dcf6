// Thin ABI layer of security/ for the library build (build/lib.wasm): SHA-256, HMAC-SHA-256,
// SDLS ProcessSecurity, the flash files and the upload API, numbers and pointers only. The flash
// functions reach the WASI preopen "/flash" the host's lib loader supplies (host/obc/lib.ts).
import { sha256 as sha256Impl, sha256Init, sha256Update, sha256Final, SHA256_CTX_LEN } from "../security/sha256";
import { hmacSha256 as hmacImpl } from "../security/hmac";
import { sdlsBoot, sdlsProcess, sdlsDataPtr, sdlsDataLen, sdlsSetWindow, sdlsLastArsn } from "../security/sdls";
import { uploadStart, uploadSegment, uploadEnd, requestTrialBoot, confirmSelf, imageDigest, trialBoot, uploadSetSlotLimit, uploadWritten } from "../security/upload";
import { flashReset } from "../security/flash";
import { hkGet } from "../payload/housekeeping";

export function secSha256(ptr: usize, len: i32, outPtr: usize): i32 { return sha256Impl(ptr, len, outPtr); }
export function secHmacSha256(keyPtr: usize, keyLen: i32, msgPtr: usize, msgLen: i32, outPtr: usize): i32 {
  return hmacImpl(keyPtr, keyLen, msgPtr, msgLen, outPtr);
}
export function secSha256CtxLen(): i32 { return SHA256_CTX_LEN; }
export function secSha256Init(ctx: usize): void { sha256Init(ctx); }
export function secSha256Update(ctx: usize, ptr: usize, len: i32): void { if (len > 0) sha256Update(ctx, ptr, <usize>len); }
export function secSha256Final(ctx: usize, outPtr: usize): void { sha256Final(ctx, outPtr); }

export function secSdlsBoot(): i32 { flashReset(); return sdlsBoot(); }
export function secSdlsProcess(framePtr: usize, frameLen: i32): i32 { return sdlsProcess(framePtr, frameLen); }
export function secSdlsDataPtr(): usize { return sdlsDataPtr; }
export function secSdlsDataLen(): i32 { return sdlsDataLen; }
export function secSdlsSetWindow(w: u32): i32 { return sdlsSetWindow(w); }
export function secSdlsLastArsn(spi: u32): i64 { return sdlsLastArsn(spi); }

export function secUploadStart(totalLen: u32): i32 { return uploadStart(totalLen); }
export function secUploadSegment(offset: u32, ptr: usize, len: i32): i32 { return uploadSegment(offset, ptr, len); }
export function secUploadEnd(shaPtr: usize): i32 { return uploadEnd(shaPtr); }
export function secUploadWritten(): u32 { return uploadWritten(); }
export function secUploadSetSlotLimit(len: u32): i32 { return uploadSetSlotLimit(len); }
export function secRequestTrialBoot(): i32 { return requestTrialBoot(); }
export function secConfirmSelf(): i32 { return confirmSelf(); }
export function secImageDigest(outPtr: usize): i32 { return imageDigest(outPtr); }
export function secTrialBoot(): bool { return trialBoot(); }
/** A housekeeping counter (contract index) as the image counts it. */
export function secHkCounter(index: i32): u32 { return hkGet(index); }

/** SHA-256 of the len octets at ptr repeated n times (one stream of n·len octets): for speed figures and long-message tests. */
export function secSha256Repeat(ptr: usize, len: i32, n: i32, outPtr: usize): i32 {
  if (len < 0 || n < 0) return -2;
  sha256Init(REPEAT_CTX);
  for (let i = 0; i < n; i++) sha256Update(REPEAT_CTX, ptr, <usize>len);
  sha256Final(REPEAT_CTX, outPtr);
  return 0;
}
const REPEAT_CTX: usize = memory.data(SHA256_CTX_LEN);
