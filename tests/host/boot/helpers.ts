// Test material for the bootloader: a mission key, signed containers of the real flight build
// and of a deliberately small image, and provisioned flash directories.
import { createHash, generateKeyPairSync, type KeyObject } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { flash } from "../../../host/obc/image.ts";
import { signImage, rawPublicKey } from "../../../host/boot/keys.ts";
import { provisionFlashDir } from "../../../host/boot/provision.ts";
import { FLASH_FILES } from "../../../host/boot/flash-dir.ts";
import { FLIGHT_WASM } from "../../../host/pass.ts";
import type { Profile } from "../../../host/profiles/index.ts";

export const missionKey: KeyObject = generateKeyPairSync("ed25519").privateKey;
export const romKey = rawPublicKey(missionKey);
export const otherKey: KeyObject = generateKeyPairSync("ed25519").privateKey;

export const flightWasm = () => new Uint8Array(readFileSync(FLIGHT_WASM));

function sleb(v: number): number[] {
  const out: number[] = [];
  for (;;) { const b = v & 0x7f; v >>= 7; if ((v === 0 && !(b & 0x40)) || (v === -1 && (b & 0x40))) { out.push(b); return out; } out.push(b | 0x80); }
}

/**
 * The "bad image" of the fault tests, 80-odd octets written here by hand:
 *   (module (import "wasi_snapshot_preview1" "proc_exit" (func (param i32))) (memory (export "memory") 1)
 *           (func (export "_start") (call 0 (i32.const EXIT))))
 * It exits with EXIT at once, without reading the bus: with EXIT ≠ 0 the OBC sees a crash, with 72
 * it is an image asking for a reboot (its boot-request written by the test, as the image would).
 */
export function exitingWasm(exit: number): Uint8Array {
  return tinyWasm([0x00, 0x41, ...sleb(exit), 0x10, 0x00, 0x0b]);
}
/** The same module whose _start traps at once (`unreachable`): an OBC crash, exit 70. */
export const trappingWasm = () => tinyWasm([0x00, 0x00, 0x0b]);
/** The same module whose _start loops for ever (`loop br 0`): only the watchdog ends it. */
export const hangingWasm = () => tinyWasm([0x00, 0x03, 0x40, 0x0c, 0x00, 0x0b, 0x0b]);

function tinyWasm(code: number[]): Uint8Array {
  const name = (s: string) => [s.length, ...Buffer.from(s, "ascii")];
  const sec = (id: number, body: number[]) => [id, body.length, ...body];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...sec(1, [2, 0x60, 1, 0x7f, 0, 0x60, 0, 0]),
    ...sec(2, [1, ...name("wasi_snapshot_preview1"), ...name("proc_exit"), 0x00, 0]),
    ...sec(3, [1, 1]),
    ...sec(5, [1, 0x00, 1]),
    ...sec(7, [2, ...name("memory"), 0x02, 0, ...name("_start"), 0x00, 1]),
    ...sec(10, [1, code.length, ...code]),
  ]);
}

export function signed(wasm: Uint8Array, p: Profile, version: number, key: KeyObject = missionKey, buildId = `v${version}`): Uint8Array {
  return signImage(flash(wasm, p, buildId), key, version);
}

export const sha256 = (b: Uint8Array) => new Uint8Array(createHash("sha256").update(b).digest());

export function newFlashDir(p: Profile, slotA: Uint8Array, macKey?: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), "tengri-flash-"));
  provisionFlashDir(dir, { image: slotA, profile: p, romKey, macKey });
  return dir;
}

/** What the flight image does to ask for its upload: upload.img written, boot-request = its SHA-256. */
export function requestUpload(dir: string, upload: Uint8Array, declared: Uint8Array = sha256(upload)): void {
  writeFileSync(join(dir, FLASH_FILES.upload), upload);
  writeFileSync(join(dir, FLASH_FILES.bootRequest), declared);
}

/** What an image on trial does once its self-test and a first good pass are done. */
export function writeConfirm(dir: string, container: Uint8Array): void {
  const hlen = (container[10] << 8) | container[11];
  writeFileSync(join(dir, FLASH_FILES.confirm), sha256(container.subarray(hlen)));
}
