// Flight image container ("flashing"): the .wasm wrapped with a header that boot verifies.
//   0  magic "TGRIMG\0\1" (8)        8  u16 format version      10 u16 header length
//   12 u32 wasm length              16 sha256 of the wasm (32)  48 build id (32, ASCII, NUL-padded)
//   80 target profile name (32, ASCII, NUL-padded)             112 RAM bytes the image is bound to (u32)
//   116 u32 image version (the bootloader's anti-rollback counter; 0 in containers made before
//       issue 11, which left 116..127 reserved and zero)      120 reserved (8, zero)
//   128 the wasm module, its memory maximum set to the profile's RAM (header length 128: unsigned)
// A signed container (tengri sign, host/boot/README.md) has header length 232: the 104-octet
// signature block sits between the fixed header and the module, so every reader that skips
// `header length` octets (wasi-child.mjs, inspect, iwasm bench) still finds the module:
//   128 "TGSIG\0\0\1" (8)  136 Ed25519 public key of the signer (32)  168 Ed25519 signature (64)
//   232 the wasm module
// Signed message: octets 0..127 of the container as stored (header length 232 and the version
// included) followed by the wasm module; the signature block itself is not signed.
// All big-endian.
import { createHash } from "node:crypto";
import type { Profile } from "../profiles/index.ts";

export const IMAGE_MAGIC = Uint8Array.from([0x54, 0x47, 0x52, 0x49, 0x4d, 0x47, 0x00, 0x01]);
export const IMAGE_FORMAT = 1;
export const IMAGE_HEADER_LEN = 128;
export const IMAGE_VERSION_OFFSET = 116;
export const SIG_MAGIC = Uint8Array.from([0x54, 0x47, 0x53, 0x49, 0x47, 0x00, 0x00, 0x01]);
export const SIG_BLOCK_LEN = 104;
export const SIGNED_HEADER_LEN = IMAGE_HEADER_LEN + SIG_BLOCK_LEN;
export const WASM_PAGE = 65536;
/**
 * The WASI functions the flight image reaches its flash directory with (assembly/security/flash.ts):
 * the "/flash" preopen looked up, fixed files opened in it, read and written at offsets, closed.
 */
export const FLASH_IMPORTS = ["fd_prestat_get", "fd_prestat_dir_name", "path_open", "fd_pread", "fd_pwrite", "fd_close"] as const;
/** The WASI functions a flight image may import. */
export const ALLOWED_IMPORTS = new Set(["fd_read", "fd_write", "proc_exit", "clock_time_get", ...FLASH_IMPORTS]);
/**
 * The flash imports for an in-process runner with no flash directory: each answers EBADF (8), so
 * the image finds no "/flash" preopen and runs on with commanding and uploads refused.
 */
export function noFlashImports(): Record<(typeof FLASH_IMPORTS)[number], () => number> {
  return Object.fromEntries(FLASH_IMPORTS.map((n) => [n, () => 8])) as Record<(typeof FLASH_IMPORTS)[number], () => number>;
}

export class ImageError extends Error {
  constructor(readonly reason: "magic" | "format" | "truncated" | "checksum" | "imports" | "memory" | "wasm", message: string) {
    super(message);
    this.name = "ImageError";
  }
}

// ---- minimal WebAssembly binary reader/writer for the memory section --------------------
function readLeb(b: Uint8Array, p: number): [number, number] {
  let v = 0, shift = 0, i = p;
  for (;;) {
    if (i >= b.length || shift > 35) throw new ImageError("wasm", "malformed LEB128 in the module");
    const x = b[i++];
    v += (x & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(x & 0x80)) return [v, i];
  }
}
function leb(v: number): number[] {
  const out: number[] = [];
  do { let x = v % 128; v = Math.floor(v / 128); if (v) x |= 0x80; out.push(x); } while (v);
  return out;
}

interface MemoryLimits { min: number; max: number | null }

function sections(wasm: Uint8Array): { id: number; start: number; end: number; bodyStart: number }[] {
  if (wasm.length < 8 || wasm[0] !== 0 || wasm[1] !== 0x61 || wasm[2] !== 0x73 || wasm[3] !== 0x6d) throw new ImageError("wasm", "not a WebAssembly module");
  const out = [];
  let p = 8;
  while (p < wasm.length) {
    const id = wasm[p];
    const [size, body] = readLeb(wasm, p + 1);
    if (body + size > wasm.length) throw new ImageError("wasm", "section runs past the end of the module");
    out.push({ id, start: p, end: body + size, bodyStart: body });
    p = body + size;
  }
  return out;
}

export function memoryLimits(wasm: Uint8Array): MemoryLimits {
  const s = sections(wasm).find((x) => x.id === 5);
  if (!s) throw new ImageError("memory", "the module defines no memory");
  const [count, p0] = readLeb(wasm, s.bodyStart);
  if (count !== 1) throw new ImageError("memory", `the module defines ${count} memories`);
  const flags = wasm[p0];
  const [min, p1] = readLeb(wasm, p0 + 1);
  const max = flags & 1 ? readLeb(wasm, p1)[0] : null;
  return { min, max };
}

/** Returns a copy of the module whose memory maximum is maxPages (every WASI runtime honours it). */
export function setMemoryMax(wasm: Uint8Array, maxPages: number): Uint8Array {
  const secs = sections(wasm);
  const s = secs.find((x) => x.id === 5);
  if (!s) throw new ImageError("memory", "the module defines no memory");
  const { min } = memoryLimits(wasm);
  if (min > maxPages) throw new ImageError("memory", `the image needs ${min * WASM_PAGE} bytes of memory at start; the profile allows ${maxPages * WASM_PAGE}`);
  const body = [1, 0x01, ...leb(min), ...leb(maxPages)];
  const section = Uint8Array.from([5, ...leb(body.length), ...body]);
  const out = new Uint8Array(wasm.length - (s.end - s.start) + section.length);
  out.set(wasm.subarray(0, s.start), 0);
  out.set(section, s.start);
  out.set(wasm.subarray(s.end), s.start + section.length);
  return out;
}

export function checkImports(wasm: Uint8Array): void {
  const mod = new WebAssembly.Module(wasm as BufferSource);
  const bad = WebAssembly.Module.imports(mod).filter((i) => i.module !== "wasi_snapshot_preview1" || !ALLOWED_IMPORTS.has(i.name) || i.kind !== "function");
  if (bad.length) throw new ImageError("imports", `the image imports what a flight computer does not provide: ${bad.map((i) => `${i.module}.${i.name}`).join(", ")}`);
}

function fixedAscii(s: string, len: number): Uint8Array {
  const out = new Uint8Array(len);
  const b = Buffer.from(s, "ascii").subarray(0, len);
  out.set(b);
  return out;
}
function readAscii(b: Uint8Array): string {
  const z = b.indexOf(0);
  return Buffer.from(b.subarray(0, z < 0 ? b.length : z)).toString("ascii");
}

/** Packages a flight .wasm for a profile: memory maximum = the OBC's RAM; `version` the anti-rollback counter (unsigned container). */
export function flash(wasm: Uint8Array, profile: Profile, buildId: string, version = 0): Uint8Array {
  if (!Number.isInteger(version) || version < 0 || version > 0xffffffff) throw new RangeError(`image version must be a whole number in 0..4294967295, got ${version}`);
  checkImports(wasm);
  const pages = Math.floor(profile.obc.ramBytes / WASM_PAGE);
  const bound = setMemoryMax(wasm, pages);
  const sha = createHash("sha256").update(bound).digest();
  const out = new Uint8Array(IMAGE_HEADER_LEN + bound.length);
  const dv = new DataView(out.buffer);
  out.set(IMAGE_MAGIC, 0);
  dv.setUint16(8, IMAGE_FORMAT);
  dv.setUint16(10, IMAGE_HEADER_LEN);
  dv.setUint32(12, bound.length);
  out.set(sha, 16);
  out.set(fixedAscii(buildId, 32), 48);
  out.set(fixedAscii(profile.name, 32), 80);
  dv.setUint32(112, profile.obc.ramBytes);
  dv.setUint32(IMAGE_VERSION_OFFSET, version);
  out.set(bound, IMAGE_HEADER_LEN);
  return out;
}

export interface ImageSignature { publicKey: Uint8Array; signature: Uint8Array }

/** The signature block of a container, null when it is unsigned (header length 128). Throws on a malformed block. */
export function readSignature(file: Uint8Array): ImageSignature | null {
  if (file.length < IMAGE_HEADER_LEN) throw new ImageError("truncated", `image file is ${file.length} bytes, shorter than its ${IMAGE_HEADER_LEN}-byte header`);
  const hlen = (file[10] << 8) | file[11];
  if (hlen === IMAGE_HEADER_LEN) return null;
  if (hlen !== SIGNED_HEADER_LEN) throw new ImageError("format", `image header length ${hlen} is neither ${IMAGE_HEADER_LEN} (unsigned) nor ${SIGNED_HEADER_LEN} (signed)`);
  if (file.length < SIGNED_HEADER_LEN) throw new ImageError("truncated", `image file is ${file.length} bytes, shorter than its ${SIGNED_HEADER_LEN}-byte signed header`);
  for (let i = 0; i < SIG_MAGIC.length; i++) if (file[IMAGE_HEADER_LEN + i] !== SIG_MAGIC[i]) throw new ImageError("format", "the signature block has a bad magic");
  return { publicKey: file.slice(IMAGE_HEADER_LEN + 8, IMAGE_HEADER_LEN + 40), signature: file.slice(IMAGE_HEADER_LEN + 40, SIGNED_HEADER_LEN) };
}

/** What an Ed25519 signature of the container covers: the fixed header (as stored) ‖ the wasm module. */
export function signedMessage(file: Uint8Array): Uint8Array {
  const hlen = (file[10] << 8) | file[11];
  const out = new Uint8Array(IMAGE_HEADER_LEN + Math.max(0, file.length - hlen));
  out.set(file.subarray(0, IMAGE_HEADER_LEN), 0);
  out.set(file.subarray(hlen), IMAGE_HEADER_LEN);
  return out;
}

/**
 * The container with a signature block: header length set to 232 (and the version, when given,
 * set) before `sign` is called on the signed message. An existing signature is replaced.
 */
export function withSignature(file: Uint8Array, publicKey: Uint8Array, sign: (message: Uint8Array) => Uint8Array, version?: number): Uint8Array {
  readSignature(file); // a malformed block is refused, not silently replaced
  const hlen = (file[10] << 8) | file[11];
  const wasm = file.subarray(hlen);
  const out = new Uint8Array(SIGNED_HEADER_LEN + wasm.length);
  out.set(file.subarray(0, IMAGE_HEADER_LEN), 0);
  const dv = new DataView(out.buffer);
  dv.setUint16(10, SIGNED_HEADER_LEN);
  if (version !== undefined) dv.setUint32(IMAGE_VERSION_OFFSET, version);
  out.set(wasm, SIGNED_HEADER_LEN);
  const sig = sign(signedMessage(out));
  if (publicKey.length !== 32 || sig.length !== 64) throw new Error("an Ed25519 public key is 32 octets and a signature 64");
  out.set(SIG_MAGIC, IMAGE_HEADER_LEN);
  out.set(publicKey, IMAGE_HEADER_LEN + 8);
  out.set(sig, IMAGE_HEADER_LEN + 40);
  return out;
}

export interface BootedImage {
  wasm: Uint8Array; module: WebAssembly.Module; buildId: string; profileName: string; ramBytes: number; maxPages: number;
  /** The anti-rollback counter (0 in containers made before issue 11). */
  version: number;
  /** The signature block, null for an unsigned container. Checked by the bootloader (host/boot), not here. */
  signature: ImageSignature | null;
  /** SHA-256 of the wasm module (header octets 16..47, checked). */
  sha256: Uint8Array;
}

/** Verifies an image file before boot: integrity, allowed imports, memory bound to exactly the profile's RAM. */
export function verifyImage(file: Uint8Array, profile: Profile): BootedImage {
  if (file.length < IMAGE_HEADER_LEN) throw new ImageError("truncated", `image file is ${file.length} bytes, shorter than its ${IMAGE_HEADER_LEN}-byte header`);
  for (let i = 0; i < IMAGE_MAGIC.length; i++) if (file[i] !== IMAGE_MAGIC[i]) throw new ImageError("magic", "not a Tengri flight image (bad magic)");
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const fmt = dv.getUint16(8);
  if (fmt !== IMAGE_FORMAT) throw new ImageError("format", `image format ${fmt} is not supported (expected ${IMAGE_FORMAT})`);
  const hlen = dv.getUint16(10);
  const wlen = dv.getUint32(12);
  const signature = readSignature(file);
  if (file.length !== hlen + wlen) throw new ImageError("truncated", `image holds ${file.length - hlen} module bytes, header says ${wlen}`);
  const wasm = file.subarray(hlen);
  const sha = createHash("sha256").update(wasm).digest();
  if (!sha.equals(Buffer.from(file.subarray(16, 48)))) throw new ImageError("checksum", "image SHA-256 does not match: tampered or corrupted");
  checkImports(wasm);
  const ram = dv.getUint32(112);
  const lim = memoryLimits(wasm);
  if (lim.max === null) throw new ImageError("memory", "the image declares no memory maximum: flash it for a profile");
  const target = readAscii(file.subarray(80, 112)) || "(unnamed)";
  const n = (x: number) => x.toLocaleString("en-US");
  if (lim.max * WASM_PAGE !== ram) throw new ImageError("memory", `image header says ${n(ram)} bytes of RAM but its module is bound to ${n(lim.max * WASM_PAGE)}: not made by tengri flash`);
  // The image must be bound to exactly the RAM of the profile it boots with: more, and it could
  // use memory the OBC does not have; less, and the configuration table (which tells the image
  // the profile's RAM and sizes its buffers from it) would run it out of memory.
  if (ram !== profile.obc.ramBytes) {
    throw new ImageError("memory", `image flashed for profile ${target} is bound to ${n(ram)} bytes of RAM; profile ${profile.name} has ${n(profile.obc.ramBytes)}: flash it for this profile (tengri flash FLIGHT.wasm --profile ${profile.name} -o IMAGE.bin)`);
  }
  if (lim.min > lim.max) throw new ImageError("memory", `the image needs ${n(lim.min * WASM_PAGE)} bytes at start, more than its bound of ${n(ram)}`);
  return {
    wasm, module: new WebAssembly.Module(wasm as BufferSource), buildId: readAscii(file.subarray(48, 80)), profileName: readAscii(file.subarray(80, 112)), ramBytes: ram, maxPages: lim.max,
    version: dv.getUint32(IMAGE_VERSION_OFFSET), signature, sha256: file.slice(16, 48),
  };
}
