// The bootloader's Ed25519 verification (host/boot/ed25519.ts, written from RFC 8032) against the
// RFC's own test vectors and against node:crypto (OpenSSL), which we did not write.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, createPrivateKey, generateKeyPairSync, sign, createPublicKey } from "node:crypto";
import { ed25519Verify, L } from "../../../host/boot/ed25519.ts";
import { RFC8032_VECTORS, TEST_1024_MESSAGE, TEST_1024_SHA256 } from "./rfc8032-vectors.ts";

const h = (s: string) => new Uint8Array(Buffer.from(s, "hex"));
const PKCS8_ED25519 = "302e020100300506032b657004220420";

test("[RFC 8032 §7.1] the vectors are the RFC's: TEST 1024's message by its SHA-256, SHA(abc)'s is SHA-512(\"abc\")", () => {
  assert.equal(h(TEST_1024_MESSAGE).length, 1023);
  assert.equal(createHash("sha256").update(h(TEST_1024_MESSAGE)).digest("hex"), TEST_1024_SHA256);
  assert.equal(RFC8032_VECTORS[4].message, createHash("sha512").update("abc").digest("hex"));
});

for (const v of RFC8032_VECTORS) {
  test(`[RFC 8032 §7.1 ${v.name}] the bootloader's verify accepts the RFC signature; node:crypto signs the same octets from the secret`, () => {
    assert.equal(ed25519Verify(h(v.publicKey), h(v.message), h(v.signature)), true);
    const key = createPrivateKey({ key: Buffer.from(PKCS8_ED25519 + v.secret, "hex"), format: "der", type: "pkcs8" });
    assert.equal(sign(null, h(v.message), key).toString("hex"), v.signature);
    const spki = createPublicKey(key).export({ type: "spki", format: "der" });
    assert.equal(spki.subarray(spki.length - 32).toString("hex"), v.publicKey);
  });

  test(`[RFC 8032 §5.1.7 ${v.name}] a one-bit change of the signature, the message or the key is refused`, () => {
    const pk = h(v.publicKey), msg = h(v.message), sig = h(v.signature);
    for (let i = 0; i < 512; i += v.name === "TEST 1" ? 1 : 7) {
      const bad = sig.slice(); bad[i >> 3] ^= 1 << (i & 7);
      assert.equal(ed25519Verify(pk, msg, bad), false, `signature bit ${i}`);
    }
    for (let i = 0; i < msg.length * 8; i += Math.max(1, Math.floor(msg.length / 4))) {
      const bad = msg.slice(); bad[i >> 3] ^= 1 << (i & 7);
      assert.equal(ed25519Verify(pk, bad, sig), false, `message bit ${i}`);
    }
    assert.equal(ed25519Verify(pk, Uint8Array.from([...msg, 0]), sig), false, "one octet appended");
    for (const i of [0, 100, 255]) {
      const bad = pk.slice(); bad[i >> 3] ^= 1 << (i & 7);
      assert.equal(ed25519Verify(bad, msg, sig), false, `key bit ${i}`);
    }
  });
}

test("[RFC 8032 §5.1.7] S ≥ L (S + L, the same scalar mod L), wrong lengths, undecodable points and small-order keys are refused", () => {
  const v = RFC8032_VECTORS[0];
  const pk = h(v.publicKey), msg = h(v.message), sig = h(v.signature);
  let s = 0n;
  for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sig[i]);
  const sPlusL = s + L;
  const bad = sig.slice();
  let x = sPlusL;
  for (let i = 32; i < 64; i++) { bad[i] = Number(x & 0xffn); x >>= 8n; }
  assert.equal(ed25519Verify(pk, msg, bad), false, "S + L");
  assert.equal(ed25519Verify(pk.subarray(0, 31), msg, sig), false);
  assert.equal(ed25519Verify(pk, msg, sig.subarray(0, 63)), false);
  // y = p (non-canonical), y = 2 (no square root), y = 1 with the sign bit (x = −0)
  for (const enc of ["edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", "0200000000000000000000000000000000000000000000000000000000000000", "0100000000000000000000000000000000000000000000000000000000000080"]) {
    assert.equal(ed25519Verify(h(enc), msg, sig), false, `key ${enc}`);
    assert.equal(ed25519Verify(pk, msg, Uint8Array.from([...h(enc), ...sig.subarray(32)])), false, `R ${enc}`);
  }
  // The identity as a key: [S]B = R + [k]·identity holds for R = [S]B and any message.
  const identity = h("0100000000000000000000000000000000000000000000000000000000000000");
  const base = h("5866666666666666666666666666666666666666666666666666666666666666"); // B, S = 1
  const forged = Uint8Array.from([...base, 1, ...new Uint8Array(31)]);
  assert.equal(ed25519Verify(identity, h("6576696c"), forged), false);
});

test("[RFC 8032 §5.1.7] node:crypto round trips: 24 fresh keys and messages of 0..4096 octets verify, and fail with another key", () => {
  let seed = 12345;
  const rnd = () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed; };
  let prevPub: Uint8Array | null = null;
  for (let n = 0; n < 24; n++) {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const der = publicKey.export({ type: "spki", format: "der" });
    const pub = new Uint8Array(der.subarray(der.length - 32));
    const msg = new Uint8Array(rnd() % 4097).map(() => rnd() & 0xff);
    const sig = new Uint8Array(sign(null, msg, privateKey));
    assert.equal(ed25519Verify(pub, msg, sig), true, `round trip ${n}, ${msg.length} octets`);
    if (prevPub) assert.equal(ed25519Verify(prevPub, msg, sig), false, `another key ${n}`);
    prevPub = pub;
  }
});
