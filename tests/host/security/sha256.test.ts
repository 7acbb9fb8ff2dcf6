// SHA-256 and HMAC-SHA-256 of the flight image (assembly/security/sha256.ts, hmac.ts) through
// build/lib.wasm: bit-exact against the FIPS 180-4 / NIST CSRC examples, RFC 4231 test cases 1–7,
// and node:crypto (OpenSSL, an implementation we did not write) on random lengths 0…4096 with a
// fixed seed, one-shot and streamed in random chunks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { loadFlightLib } from "../../../host/obc/lib.ts";
import { mulberry32 } from "../../../host/sensor/prng.ts";
import { STATUS } from "../../../host/contract/contract.gen.ts";

const L = loadFlightLib();
const OUT = L.alloc(32);
const KEY = L.alloc(256);
const MSG = L.alloc(1 << 20);
const CTX = L.alloc(L.exports.secSha256CtxLen());

function flightSha(msg: Uint8Array): string {
  L.u8().set(msg, MSG);
  assert.equal(L.exports.secSha256(MSG, msg.length, OUT), STATUS.OK);
  return Buffer.from(L.u8().slice(OUT, OUT + 32)).toString("hex");
}
function flightHmac(key: Uint8Array, msg: Uint8Array): string {
  L.u8().set(key, KEY);
  L.u8().set(msg, MSG);
  assert.equal(L.exports.secHmacSha256(KEY, key.length, MSG, msg.length, OUT), STATUS.OK);
  return Buffer.from(L.u8().slice(OUT, OUT + 32)).toString("hex");
}
const ascii = (s: string) => new Uint8Array(Buffer.from(s, "latin1"));
const hex = (s: string) => new Uint8Array(Buffer.from(s, "hex"));

test("[FIPS 180-4 §6.2] SHA-256 of the NIST example messages (abc, empty, 448-bit, 896-bit, one million 'a') is bit-exact", () => {
  assert.equal(flightSha(ascii("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  assert.equal(flightSha(new Uint8Array(0)), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  assert.equal(flightSha(ascii("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  assert.equal(flightSha(ascii("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu")), "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  assert.equal(flightSha(new Uint8Array(1000000).fill(0x61)), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
});

// RFC 4231 §4.2–§4.8, HMAC-SHA-256 rows as printed in the RFC.
const RFC4231: { tc: number; key: Uint8Array; data: Uint8Array; mac: string }[] = [
  { tc: 1, key: new Uint8Array(20).fill(0x0b), data: ascii("Hi There"), mac: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
  { tc: 2, key: ascii("Jefe"), data: ascii("what do ya want for nothing?"), mac: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
  { tc: 3, key: new Uint8Array(20).fill(0xaa), data: new Uint8Array(50).fill(0xdd), mac: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
  { tc: 4, key: hex("0102030405060708090a0b0c0d0e0f10111213141516171819"), data: new Uint8Array(50).fill(0xcd), mac: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
  // §4.6: the output truncated to 128 bits (the RFC gives only these 16 octets).
  { tc: 5, key: new Uint8Array(20).fill(0x0c), data: ascii("Test With Truncation"), mac: "a3b6167473100ee06e0c796c2955552b" },
  { tc: 6, key: new Uint8Array(131).fill(0xaa), data: ascii("Test Using Larger Than Block-Size Key - Hash Key First"), mac: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
  { tc: 7, key: new Uint8Array(131).fill(0xaa), data: ascii("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."), mac: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2" },
];

for (const v of RFC4231) {
  test(`[RFC 4231 §4.${v.tc + 1}] HMAC-SHA-256 test case ${v.tc}${v.tc === 5 ? " (truncated to 128 bits)" : ""} is bit-exact`, () => {
    const mac = flightHmac(v.key, v.data);
    assert.equal(mac.slice(0, v.mac.length), v.mac);
  });
}

test("[FIPS 180-4 §6.2] SHA-256 equals node:crypto on 300 random messages of 0…4096 octets (seed 11), one-shot and streamed in random chunks", () => {
  const rnd = mulberry32(11);
  const lens = [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 4096];
  for (let i = lens.length; i < 300; i++) lens.push(Math.floor(rnd() * 4097));
  for (const len of lens) {
    const m = new Uint8Array(len);
    for (let k = 0; k < len; k++) m[k] = Math.floor(rnd() * 256);
    const want = createHash("sha256").update(m).digest("hex");
    assert.equal(flightSha(m), want, `length ${len}`);
    // streamed: chunks of 0…150 octets
    L.u8().set(m, MSG);
    L.exports.secSha256Init(CTX);
    let at = 0;
    while (at < len) { const n = Math.min(len - at, Math.floor(rnd() * 151)); L.exports.secSha256Update(CTX, MSG + at, n); at += n; }
    L.exports.secSha256Final(CTX, OUT);
    assert.equal(Buffer.from(L.u8().slice(OUT, OUT + 32)).toString("hex"), want, `length ${len}, streamed`);
  }
});

test("[RFC 2104 §2] HMAC-SHA-256 equals node:crypto on 300 random keys of 0…200 octets and messages of 0…4096 octets (seed 12)", () => {
  const rnd = mulberry32(12);
  for (let i = 0; i < 300; i++) {
    const key = new Uint8Array([0, 1, 32, 63, 64, 65, 200][i] ?? Math.floor(rnd() * 201));
    const msg = new Uint8Array(i < 7 ? 100 : Math.floor(rnd() * 4097));
    for (let k = 0; k < key.length; k++) key[k] = Math.floor(rnd() * 256);
    for (let k = 0; k < msg.length; k++) msg[k] = Math.floor(rnd() * 256);
    assert.equal(flightHmac(key, msg), createHmac("sha256", key).update(msg).digest("hex"), `key ${key.length}, message ${msg.length}`);
  }
});

test("[tengri §security] sha256 and hmacSha256 refuse a null output, a negative length and a null message with a status, never a trap", () => {
  assert.equal(L.exports.secSha256(MSG, 3, 0), STATUS.E_NULL);
  assert.equal(L.exports.secSha256(MSG, -1, OUT), STATUS.E_BAD_LENGTH);
  assert.equal(L.exports.secSha256(0, 5, OUT), STATUS.E_NULL);
  assert.equal(L.exports.secHmacSha256(KEY, 32, MSG, -1, OUT), STATUS.E_BAD_LENGTH);
  assert.equal(L.exports.secHmacSha256(KEY, -1, MSG, 1, OUT), STATUS.E_BAD_LENGTH);
  assert.equal(L.exports.secHmacSha256(0, 4, MSG, 1, OUT), STATUS.E_NULL);
  assert.equal(L.exports.secHmacSha256(KEY, 32, MSG, 1, 0), STATUS.E_NULL);
});

test("[FIPS 180-4 §6.2] a long message streamed from one buffer (secSha256Repeat: 1000 octets × 1037) equals node:crypto; a negative count is refused", () => {
  const m = new Uint8Array(1000).map((_, i) => (i * 97 + 3) & 0xff);
  L.u8().set(m, MSG);
  assert.equal(L.exports.secSha256Repeat(MSG, 1000, 1037, OUT), STATUS.OK);
  const h = createHash("sha256");
  for (let i = 0; i < 1037; i++) h.update(m);
  assert.equal(Buffer.from(L.u8().slice(OUT, OUT + 32)).toString("hex"), h.digest("hex"));
  assert.equal(L.exports.secSha256Repeat(MSG, 1000, -1, OUT), STATUS.E_BAD_LENGTH);
});
