// tengri keygen and tengri sign: the mission keys and signed flight images (host/boot/README.md).
// tengri flash --key/--version/--mac-key/--flash-dir is in core.ts and uses signFlashed/provision here.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync, chmodSync } from "node:fs";
import { join } from "node:path";
import { UsageError, CliFailure, numberOption, parseOptions, readInput, checkOutputFile, displayPath, ioReason } from "./usage.ts";
import { KEYGEN_OPTIONS, SIGN_OPTIONS } from "./options.ts";
import { generateMissionKeys, parsePrivateKey, rawPublicKey, signImage, KeyFileError, PRIVATE_KEY_FILE, PUBLIC_KEY_FILE, MAC_KEY_FILE } from "../boot/keys.ts";
import { IMAGE_MAGIC, IMAGE_HEADER_LEN, IMAGE_VERSION_OFFSET, readSignature, ImageError } from "../obc/image.ts";

export const fingerprint = (pub: Uint8Array) => createHash("sha256").update(pub).digest("hex").slice(0, 16);

/** --version N: the image's anti-rollback counter. */
export const versionOption = (v: string | undefined) => (v === undefined ? undefined : numberOption(v, "version", 0, { min: 0, max: 0xffffffff, integer: true }));

/** --key FILE: an Ed25519 PKCS#8 private key; a file that is not one is a usage error (exit 2). */
export function readPrivateKey(path: string) {
  const data = readInput(path, "--key");
  try { return parsePrivateKey(data, `--key ${displayPath(path)}`); } catch (e) {
    if (e instanceof KeyFileError) throw new UsageError(e.message);
    throw e;
  }
}

/** tengri keygen --out DIR: exit 0 written, 1 a key file already there or a file that cannot be written, 2 bad usage. */
export function keygenCommand(rest: string[]): number {
  const { values: v, positionals } = parseOptions("keygen", rest, KEYGEN_OPTIONS, true);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}" (tengri keygen --out DIR)`);
  const out = v.out;
  if (out === undefined) throw new UsageError("missing --out DIR (the folder for mission.key, mission.pub and mac.key)");
  if (out === "") throw new UsageError("--out: an empty path");
  let st;
  try { st = statSync(out); } catch { st = null; }
  if (st && !st.isDirectory()) throw new CliFailure(`--out ${displayPath(out)} exists and is not a folder`);
  const files = [PRIVATE_KEY_FILE, PUBLIC_KEY_FILE, MAC_KEY_FILE].map((f) => join(out, f));
  const there = files.filter((f) => existsSync(f));
  if (there.length) throw new CliFailure(`--out ${displayPath(out)} already holds ${there.map(displayPath).join(", ")}: keys are never overwritten (move them away or give another folder)`);
  try { mkdirSync(out, { recursive: true, mode: 0o700 }); } catch (e) { throw new CliFailure(`--out ${ioReason(e as NodeJS.ErrnoException, out)}`); }
  const k = generateMissionKeys();
  try {
    // wx: never replace a file that appeared meanwhile.
    writeFileSync(files[0], k.privatePem, { mode: 0o600, flag: "wx" });
    chmodSync(files[0], 0o600);
    writeFileSync(files[1], k.publicPem, { mode: 0o644, flag: "wx" });
    writeFileSync(files[2], k.macKey, { mode: 0o600, flag: "wx" });
    chmodSync(files[2], 0o600);
  } catch (e) {
    throw new CliFailure(`--out ${ioReason(e as NodeJS.ErrnoException, (e as NodeJS.ErrnoException).path ?? out)}`);
  }
  const pub = rawPublicKey(parsePrivateKey(Buffer.from(k.privatePem), "key"));
  console.log(`wrote ${displayPath(files[0])} (Ed25519 private key, PKCS#8, mode 0600: keep it off the payload and off the ground network)`);
  console.log(`wrote ${displayPath(files[1])} (public key, SPKI; fingerprint ${fingerprint(pub)})`);
  console.log(`wrote ${displayPath(files[2])} (32-octet SDLS MAC key, mode 0600)`);
  return 0;
}

/** The structural checks of a container before it is signed: magic, lengths, SHA-256 (ImageError: exit 3). */
function checkContainer(file: Uint8Array, name: string): void {
  if (file.length < IMAGE_HEADER_LEN || !IMAGE_MAGIC.every((b, i) => file[i] === b)) {
    if (file.length >= 4 && file[0] === 0 && file[1] === 0x61 && file[2] === 0x73 && file[3] === 0x6d) throw new UsageError(`${name} is a WebAssembly module, not a flashed image: tengri flash FLIGHT.wasm --profile P --key KEY makes a signed image`);
    throw new UsageError(`${name} is not a Tengri flight image (bad magic)`);
  }
  readSignature(file);
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const hlen = dv.getUint16(10), wlen = dv.getUint32(12);
  if (file.length !== hlen + wlen) throw new ImageError("truncated", `${name} holds ${file.length - hlen} module octets, its header says ${wlen}`);
  const sha = createHash("sha256").update(file.subarray(hlen)).digest();
  if (!sha.equals(Buffer.from(file.subarray(16, 48)))) throw new ImageError("checksum", `${name}: SHA-256 does not match: tampered or corrupted, not signed`);
}

/** tengri sign IMAGE --key KEY [--version N] [-o OUT]: exit 0 signed, 1 a file that cannot be read or written, 2 bad usage, 3 the image was refused. */
export function signCommand(rest: string[]): number {
  const { values: v, positionals } = parseOptions("sign", rest, SIGN_OPTIONS, true);
  if (positionals.length !== 1) throw new UsageError(positionals.length ? `one IMAGE only, got ${positionals.length}: ${positionals.join(" ")}` : "missing IMAGE (a file made by tengri flash)");
  if (v.key === undefined) throw new UsageError("missing --key KEY (the mission private key, tengri keygen)");
  const version = versionOption(v.version);
  const path = positionals[0];
  const output = v.output ?? path;
  checkOutputFile(output, v.output !== undefined ? "-o" : "IMAGE");
  const key = readPrivateKey(v.key);
  const file = new Uint8Array(readInput(path, "IMAGE"));
  checkContainer(file, displayPath(path));
  const was = readSignature(file);
  const out = signImage(file, key, version);
  const tmp = output + ".tengri-sign.tmp";
  try { writeFileSync(tmp, out); renameSync(tmp, output); } catch (e) { throw new CliFailure(`${v.output !== undefined ? "-o" : "IMAGE"} ${ioReason(e as NodeJS.ErrnoException, output)}`); }
  const ver = new DataView(out.buffer).getUint32(IMAGE_VERSION_OFFSET);
  console.log(`signed ${displayPath(path)}${output !== path ? ` into ${displayPath(output)}` : ""}: version ${ver}, key ${fingerprint(rawPublicKey(key))}${was ? " (the previous signature replaced)" : ""}, ${out.length} bytes`);
  return 0;
}

/** Reads --mac-key FILE (32 octets); a file of another size is a usage error. */
export function readMacKey(path: string): Uint8Array {
  const b = readInput(path, "--mac-key");
  if (b.length !== 32) throw new UsageError(`--mac-key ${displayPath(path)} holds ${b.length} octets; a MAC key is 32 (tengri keygen writes mac.key)`);
  return new Uint8Array(b);
}

