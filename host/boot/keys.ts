// The mission keys (host/boot/README.md): an Ed25519 key pair that signs flight images, and the
// 32-octet SDLS MAC key that authenticates telecommands. Generated and used with node:crypto;
// the bootloader verifies with its own Ed25519 (ed25519.ts).
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign as cryptoSign, type KeyObject } from "node:crypto";
import { withSignature } from "../obc/image.ts";

export const PRIVATE_KEY_FILE = "mission.key";
export const PUBLIC_KEY_FILE = "mission.pub";
export const MAC_KEY_FILE = "mac.key";
export const MAC_KEY_LEN = 32;

export interface MissionKeys { privatePem: string; publicPem: string; macKey: Uint8Array }

/** A fresh Ed25519 pair (PKCS#8 / SPKI PEM) and a random MAC key. */
export function generateMissionKeys(): MissionKeys {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return {
    privatePem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    macKey: new Uint8Array(randomBytes(MAC_KEY_LEN)),
  };
}

export class KeyFileError extends Error {
  constructor(message: string) { super(message); this.name = "KeyFileError"; }
}

/** An Ed25519 private key from PKCS#8 PEM or DER; anything else is a KeyFileError naming the file. */
export function parsePrivateKey(data: Uint8Array, name: string): KeyObject {
  let k: KeyObject;
  try {
    const text = Buffer.from(data).toString("utf8");
    k = text.includes("-----BEGIN") ? createPrivateKey(text) : createPrivateKey({ key: Buffer.from(data), format: "der", type: "pkcs8" });
  } catch {
    throw new KeyFileError(`${name} is not a PKCS#8 private key (make one with tengri keygen)`);
  }
  if (k.asymmetricKeyType !== "ed25519") throw new KeyFileError(`${name} is a ${k.asymmetricKeyType} key, not Ed25519`);
  return k;
}

/** An Ed25519 public key from SPKI PEM/DER or 32 raw octets. */
export function parsePublicKey(data: Uint8Array, name: string): Uint8Array {
  if (data.length === 32) return Uint8Array.from(data);
  let k: KeyObject;
  try {
    const text = Buffer.from(data).toString("utf8");
    k = text.includes("-----BEGIN") ? createPublicKey(text) : createPublicKey({ key: Buffer.from(data), format: "der", type: "spki" });
  } catch {
    throw new KeyFileError(`${name} is not an SPKI public key (tengri keygen writes mission.pub)`);
  }
  if (k.asymmetricKeyType !== "ed25519") throw new KeyFileError(`${name} is a ${k.asymmetricKeyType} key, not Ed25519`);
  return rawPublicKey(k);
}

/** The 32 octets of an Ed25519 public key (of a private or public KeyObject). */
export function rawPublicKey(k: KeyObject): Uint8Array {
  const pub = k.type === "private" ? createPublicKey(k) : k;
  const der = pub.export({ type: "spki", format: "der" });
  return new Uint8Array(der.subarray(der.length - 32));
}

/** A MAC key file: exactly 32 octets. */
export function parseMacKey(data: Uint8Array, name: string): Uint8Array {
  if (data.length !== MAC_KEY_LEN) throw new KeyFileError(`${name} holds ${data.length} octets; a MAC key is ${MAC_KEY_LEN} (tengri keygen writes mac.key)`);
  return Uint8Array.from(data);
}

/** Signs a flashed container (host/obc/image.ts): the signature block added, `version` set when given. */
export function signImage(file: Uint8Array, key: KeyObject, version?: number): Uint8Array {
  return withSignature(file, rawPublicKey(key), (m) => new Uint8Array(cryptoSign(null, m, key)), version);
}
