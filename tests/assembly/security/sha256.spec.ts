// SHA-256 and HMAC-SHA-256 in the flight module itself: the round constants and the initial hash
// value regenerated from their definitions (FIPS 180-4 §4.2.2, §5.3.3), the "abc" example, any
// chunking equal to one shot, and RFC 4231 test case 2. The node:test suite
// (tests/host/security/sha256.test.ts) adds every RFC case and node:crypto on random lengths.
import { sha256, sha256Init, sha256Update, sha256Final, sha256KTable, SHA256_CTX_LEN } from "../../../assembly/security/sha256";
import { hmacSha256 } from "../../../assembly/security/hmac";

const BUF = heap.alloc(2048);
const OUT = heap.alloc(32);
const OUT2 = heap.alloc(32);
const CTX = heap.alloc(SHA256_CTX_LEN);
const KEY = heap.alloc(8);

function isPrime(n: i32): bool {
  for (let d = 2; d * d <= n; d++) if (n % d == 0) return false;
  return n >= 2;
}
function frac32(x: f64): u32 { return <u32>(<u64>Math.floor((x - Math.floor(x)) * 4294967296.0)); }
function word(p: usize, i: i32): u32 { return bswap<u32>(load<u32>(p + (<usize>i << 2))); }

describe("sha256", () => {
  it("[FIPS 180-4 §4.2.2] the 64 round constants are the first 32 bits of the fractional parts of the cube roots of the first 64 primes", () => {
    let n = 0;
    for (let p = 2; n < 64; p++) {
      if (!isPrime(p)) continue;
      expect<u32>(load<u32>(sha256KTable() + (<usize>n << 2))).toBe(frac32(Math.cbrt(<f64>p)));
      n++;
    }
  });
  it("[FIPS 180-4 §5.3.3] the initial hash value is the fractional parts of the square roots of the first 8 primes (the digest of the empty message checks it)", () => {
    sha256Init(CTX);
    const primes: StaticArray<i32> = [2, 3, 5, 7, 11, 13, 17, 19];
    for (let i = 0; i < 8; i++) expect<u32>(load<u32>(CTX + (<usize>i << 2))).toBe(frac32(Math.sqrt(<f64>primes[i])));
    expect<i32>(sha256(BUF, 0, OUT)).toBe(0);
    expect<u32>(word(OUT, 0)).toBe(0xe3b0c442);
    expect<u32>(word(OUT, 7)).toBe(0x7852b855);
  });
  it("[FIPS 180-4 §6.2] SHA-256(\"abc\") = ba7816bf … f20015ad", () => {
    store<u8>(BUF, 0x61); store<u8>(BUF, 0x62, 1); store<u8>(BUF, 0x63, 2);
    expect<i32>(sha256(BUF, 3, OUT)).toBe(0);
    expect<u32>(word(OUT, 0)).toBe(0xba7816bf);
    expect<u32>(word(OUT, 1)).toBe(0x8f01cfea);
    expect<u32>(word(OUT, 7)).toBe(0xf20015ad);
  });
  it("[FIPS 180-4 §6.2] streamed in chunks of 1 … 130 octets, every message of 0 … 300 octets gives the one-shot digest", () => {
    for (let i = 0; i < 2048; i++) store<u8>(BUF + <usize>i, <u8>(i * 37 + 11));
    for (let len = 0; len <= 300; len += 7) {
      sha256(BUF, len, OUT);
      for (let chunk = 1; chunk <= 130; chunk += 43) {
        sha256Init(CTX);
        for (let at = 0; at < len; at += chunk) sha256Update(CTX, BUF + <usize>at, <usize>min(chunk, len - at));
        sha256Final(CTX, OUT2);
        for (let k = 0; k < 8; k++) expect<u32>(word(OUT2, k)).toBe(word(OUT, k));
      }
    }
  });
  it("[RFC 4231 §4.3] HMAC-SHA-256 test case 2 (key \"Jefe\") = 5bdcc146 … 64ec3843", () => {
    store<u32>(KEY, 0x6566654a); // "Jefe"
    const msg = "what do ya want for nothing?";
    for (let i = 0; i < msg.length; i++) store<u8>(BUF + <usize>i, <u8>msg.charCodeAt(i));
    expect<i32>(hmacSha256(KEY, 4, BUF, msg.length, OUT)).toBe(0);
    expect<u32>(word(OUT, 0)).toBe(0x5bdcc146);
    expect<u32>(word(OUT, 7)).toBe(0x64ec3843);
  });
});
