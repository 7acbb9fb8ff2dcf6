// The upload API of the flight image (assembly/security/upload.ts) through build/lib.wasm with a
// temporary flash directory as the WASI preopen "/flash": segments in order into upload.img, bounds,
// order, the SHA-256 of what was written (read back from flash) against the declared one, the trial
// boot request, trial detection and self-confirmation from boot.bin, the running image's digest, and
// that nothing but upload.img, boot-request and confirm is ever written.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, readFileSync, readdirSync, existsSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { createHash } from "node:crypto";
import { loadFlightLib, type FlightLib } from "../../../host/obc/lib.ts";
import { crc16 } from "../../../host/util/crc16.ts";
import { mulberry32 } from "../../../host/sensor/prng.ts";
import { STATUS, HK_COUNTERS } from "../../../host/contract/contract.gen.ts";
import { readBootState } from "../../../host/boot/flash-dir.ts";

const DIRS: string[] = [];
after(() => { for (const d of DIRS) rmSync(d, { recursive: true, force: true }); });
const sha = (b: Uint8Array) => new Uint8Array(createHash("sha256").update(b).digest());

/** boot.bin as the bootloader writes it (host/boot/README.md): two copies of one 16-octet record. */
function bootRecord(active: number, trial: number, boots = 0, version = 3): Uint8Array {
  const b = new Uint8Array(16);
  b.set([0x54, 0x47, 0x42, 0x54, 1, active, trial, boots]);
  new DataView(b.buffer).setUint32(8, version);
  const c = crc16(b.subarray(0, 12));
  b[12] = c >> 8; b[13] = c & 0xff;
  return b;
}
function bootBin(active: number, trial: number, boots = 0, version = 3): Uint8Array {
  const r = bootRecord(active, trial, boots, version);
  const b = new Uint8Array(32); b.set(r, 0); b.set(r, 16);
  return b;
}
/** A TGRIMG container (host/obc/image.ts layout) around these wasm octets. */
function container(wasm: Uint8Array): Uint8Array {
  const out = new Uint8Array(128 + wasm.length);
  out.set([0x54, 0x47, 0x52, 0x49, 0x4d, 0x47, 0x00, 0x01]);
  const dv = new DataView(out.buffer);
  dv.setUint16(8, 1); dv.setUint16(10, 128); dv.setUint32(12, wasm.length);
  out.set(sha(wasm), 16);
  out.set(wasm, 128);
  return out;
}
function bytes(n: number, seed: number): Uint8Array {
  const r = mulberry32(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(r() * 256));
}
const WASM_A = bytes(5000, 1), WASM_B = bytes(7777, 2);

function flashDir(boot: Uint8Array | null = bootBin(0, 0xff)): string {
  const d = mkdtempSync(join(tmpdir(), "tengri-upload-"));
  DIRS.push(d);
  writeFileSync(join(d, "slot-a.img"), container(WASM_A));
  writeFileSync(join(d, "slot-b.img"), container(WASM_B));
  if (boot) writeFileSync(join(d, "boot.bin"), boot);
  return d;
}
/** Every file of the directory and its content digest. */
function snapshot(d: string): Record<string, string> {
  return Object.fromEntries(readdirSync(d).sort().map((f) => [f, createHash("sha256").update(readFileSync(join(d, f))).digest("hex")]));
}

class Image {
  L: FlightLib; buf: number; shaAt: number;
  constructor(readonly dir: string | undefined) {
    this.L = loadFlightLib(undefined, dir ? { flashDir: dir } : {});
    this.buf = this.L.alloc(4096);
    this.shaAt = this.L.alloc(32);
    this.L.exports.secSdlsBoot(); // the flash lookup starts afresh (flashReset)
  }
  get x() { return this.L.exports; }
  seg(offset: number, b: Uint8Array): number { this.L.u8().set(b, this.buf); return this.x.secUploadSegment(offset, this.buf, b.length); }
  end(digest: Uint8Array): number { this.L.u8().set(digest, this.shaAt); return this.x.secUploadEnd(this.shaAt); }
  digest(): { st: number; hex: string } { const st = this.x.secImageDigest(this.shaAt); return { st, hex: Buffer.from(this.L.u8().slice(this.shaAt, this.shaAt + 32)).toString("hex") }; }
  rejected(): number { return this.x.secHkCounter(HK_COUNTERS.indexOf("uploadRejected")) >>> 0; }
  /** The whole upload in segments of n octets. */
  upload(img: Uint8Array, n = 1000): number {
    let st = this.x.secUploadStart(img.length);
    if (st !== STATUS.OK) return st;
    for (let o = 0; o < img.length; o += n) { st = this.seg(o, img.subarray(o, o + n)); if (st !== STATUS.OK) return st; }
    return this.end(sha(img));
  }
}

test("[tengri §upload] an upload in segments lands in upload.img octet for octet; its SHA-256 read back from flash matches; the trial boot request carries it", () => {
  const dir = flashDir();
  const im = new Image(dir);
  const img = container(bytes(20000, 3));
  const before = snapshot(dir);
  assert.equal(im.x.secRequestTrialBoot(), STATUS.E_UPL_STATE);     // nothing uploaded yet
  assert.equal(im.upload(img, 1000), STATUS.OK);
  assert.deepEqual(new Uint8Array(readFileSync(join(dir, "upload.img"))), img);
  assert.equal(im.x.secRequestTrialBoot(), STATUS.OK);
  assert.deepEqual(new Uint8Array(readFileSync(join(dir, "boot-request"))), sha(img));
  // nothing else changed: the slots, boot.bin untouched; only upload.img and boot-request new
  const after = snapshot(dir);
  for (const f of Object.keys(before)) assert.equal(after[f], before[f], f);
  assert.deepEqual(Object.keys(after).filter((f) => !(f in before)).sort(), ["boot-request", "upload.img"]);
  assert.equal(im.rejected(), 1);
});

test("[tengri §upload] segments strictly in order: a repeat, an overlap, a gap and an out-of-order segment are refused as E_UPL_ORDER, counted, and change nothing", () => {
  const dir = flashDir();
  const im = new Image(dir);
  const img = bytes(3000, 4);
  assert.equal(im.x.secUploadStart(3000), STATUS.OK);
  assert.equal(im.seg(0, img.subarray(0, 1000)), STATUS.OK);
  assert.equal(im.seg(0, img.subarray(0, 1000)), STATUS.E_UPL_ORDER);      // repeat
  assert.equal(im.seg(500, new Uint8Array(1000).fill(0xee)), STATUS.E_UPL_ORDER); // overlap
  assert.equal(im.seg(2000, img.subarray(2000, 3000)), STATUS.E_UPL_ORDER); // gap / out of order
  assert.equal(im.x.secUploadWritten(), 1000);
  assert.equal(im.rejected(), 3);
  assert.equal(im.seg(1000, img.subarray(1000, 2000)), STATUS.OK);
  assert.equal(im.seg(2000, img.subarray(2000, 3000)), STATUS.OK);
  assert.equal(im.end(sha(img)), STATUS.OK);
  assert.deepEqual(new Uint8Array(readFileSync(join(dir, "upload.img"))), img);
});

test("[tengri §upload] bounds: a total of 0 or beyond the slot, a segment past the declared total, a segment of 0 or over 1024 octets, an end before every octet arrived are refused", () => {
  const im = new Image(flashDir());
  assert.equal(im.x.secUploadStart(0), STATUS.E_UPL_BOUNDS);
  assert.equal(im.x.secUploadStart((4 << 20) + 1), STATUS.E_UPL_BOUNDS);
  assert.equal(im.x.secUploadSetSlotLimit(2048), STATUS.OK);
  assert.equal(im.x.secUploadStart(2049), STATUS.E_UPL_BOUNDS);
  assert.equal(im.x.secUploadStart(1500), STATUS.OK);
  assert.equal(im.seg(0, new Uint8Array(0)), STATUS.E_BAD_LENGTH);
  assert.equal(im.seg(0, new Uint8Array(1025)), STATUS.E_BAD_LENGTH);
  assert.equal(im.seg(0, new Uint8Array(1000)), STATUS.OK);
  assert.equal(im.seg(1000, new Uint8Array(501)), STATUS.E_UPL_BOUNDS);   // past the total
  assert.equal(im.end(sha(new Uint8Array(1000))), STATUS.E_UPL_BOUNDS);   // 500 octets missing
  assert.equal(im.seg(1000, new Uint8Array(500)), STATUS.OK);
  assert.equal(im.x.secUploadSegment(1500, 0, 10), STATUS.E_NULL);
  assert.equal(im.rejected(), 8);
});

test("[tengri §upload] a declared SHA-256 that differs from what was written (one bit) is refused as E_UPL_DIGEST; no trial boot can be requested, a new start is needed", () => {
  const dir = flashDir();
  const im = new Image(dir);
  const img = bytes(4000, 5);
  assert.equal(im.x.secUploadStart(img.length), STATUS.OK);
  for (let o = 0; o < img.length; o += 1000) assert.equal(im.seg(o, img.subarray(o, o + 1000)), STATUS.OK);
  const wrong = sha(img); wrong[31] ^= 1;
  assert.equal(im.end(wrong), STATUS.E_UPL_DIGEST);
  assert.equal(im.x.secRequestTrialBoot(), STATUS.E_UPL_STATE);
  assert.equal(im.end(sha(img)), STATUS.E_UPL_STATE);           // closed: a new start is needed
  assert.ok(!existsSync(join(dir, "boot-request")));
  // corrupted on flash after the segments were written (the read-back catches it)
  assert.equal(im.x.secUploadStart(img.length), STATUS.OK);
  for (let o = 0; o < img.length; o += 1000) assert.equal(im.seg(o, img.subarray(o, o + 1000)), STATUS.OK);
  const onFlash = readFileSync(join(dir, "upload.img")); onFlash[1234] ^= 0x10; writeFileSync(join(dir, "upload.img"), onFlash);
  assert.equal(im.end(sha(img)), STATUS.E_UPL_DIGEST);
});

test("[tengri §upload] without a /flash preopen every upload and boot-control call is refused with a status and counted; nothing traps", () => {
  const im = new Image(undefined);
  assert.equal(im.x.secUploadStart(100), STATUS.E_FLASH_NONE);
  assert.equal(im.seg(0, new Uint8Array(10)), STATUS.E_UPL_STATE);
  assert.equal(im.end(new Uint8Array(32)), STATUS.E_UPL_STATE);
  assert.equal(im.x.secRequestTrialBoot(), STATUS.E_UPL_STATE);
  assert.equal(im.x.secConfirmSelf(), STATUS.E_UPL_STATE);
  assert.equal(im.x.secTrialBoot(), 0);
  assert.equal(im.digest().st, STATUS.E_FLASH_NONE);
  assert.equal(im.rejected(), 5);
});

test("[tengri §boot] imageDigest is the SHA-256 of the running slot's wasm: the active slot, or the trial slot on trial", () => {
  const a = new Image(flashDir(bootBin(0, 0xff)));
  assert.deepEqual(a.digest(), { st: STATUS.OK, hex: Buffer.from(sha(WASM_A)).toString("hex") });
  assert.equal(a.x.secTrialBoot(), 0);
  const b = new Image(flashDir(bootBin(1, 0xff)));
  assert.equal(b.digest().hex, Buffer.from(sha(WASM_B)).toString("hex"));
  const t = new Image(flashDir(bootBin(0, 1, 1)));
  assert.equal(t.x.secTrialBoot(), 1);
  assert.equal(t.digest().hex, Buffer.from(sha(WASM_B)).toString("hex"));
});

test("[tengri §boot] confirmSelf on trial writes confirm with the running wasm's SHA-256; off trial it is refused and writes nothing", () => {
  const dir = flashDir(bootBin(0, 1, 1));
  const t = new Image(dir);
  assert.equal(t.x.secConfirmSelf(), STATUS.OK);
  assert.deepEqual(new Uint8Array(readFileSync(join(dir, "confirm"))), sha(WASM_B));
  const dir2 = flashDir(bootBin(0, 0xff));
  const n = new Image(dir2);
  assert.equal(n.x.secConfirmSelf(), STATUS.E_UPL_STATE);
  assert.ok(!existsSync(join(dir2, "confirm")));
});

test("[tengri §boot] hostile boot.bin and slot containers (bad CRC, magic, format, slot numbers, lengths past the file) give E_BOOT_STATE, never a trap and never 'on trial'", () => {
  const bad: Uint8Array[] = [];
  const fix = (b: Uint8Array, at: number) => { const k = crc16(b.subarray(at, at + 12)); b[at + 12] = k >> 8; b[at + 13] = k & 0xff; };
  /** The same damage to both copies: nothing valid is left to fall back on. */
  const both = (b: Uint8Array, damage: (b: Uint8Array, at: number) => void) => { damage(b, 0); damage(b, 16); return b; };
  bad.push(both(bootBin(0, 1), (b, at) => { b[at + 12] ^= 1; }));                       // CRC
  bad.push(both(bootBin(0, 1), (b, at) => { b[at] = 0x58; }));                          // magic (CRC wrong too)
  bad.push(both(bootBin(0, 1), (b, at) => { b[at + 4] = 2; fix(b, at); }));             // format 2, CRC right
  bad.push(both(bootBin(0, 0xff), (b, at) => { b[at + 5] = 2; fix(b, at); }));          // active slot 2, CRC right
  bad.push(both(bootBin(0, 1), (b, at) => { b[at + 6] = 7; fix(b, at); }));             // trial slot 7, CRC right
  bad.push(both(bootBin(0, 1), (b, at) => { b[at + 6] = 0; fix(b, at); }));             // trial slot = active slot, CRC right
  bad.push(bootBin(0, 1).subarray(0, 13));                                             // short: copy A incomplete, no copy B
  for (const [i, b] of bad.entries()) {
    const im = new Image(flashDir(b));
    assert.equal(im.x.secTrialBoot(), 0, `boot.bin ${i}`);
    assert.equal(im.digest().st, STATUS.E_BOOT_STATE, `boot.bin ${i}`);
  }
  // copy A damaged, copy B valid: B is read, as the bootloader reads it
  const ab = bootBin(0, 1); ab[3] ^= 0xff;
  assert.equal(new Image(flashDir(ab)).x.secTrialBoot(), 1, "copy B taken when copy A is bad");
  const ba = bootBin(0, 0xff); ba.set(bootRecord(0, 1), 16);
  assert.equal(new Image(flashDir(ba)).x.secTrialBoot(), 0, "copy A valid: copy B not consulted");
  // the bootloader's length rule (readBootState): copy A alone counts; octets past the copies are ignored
  for (const b of [bootBin(0, 1).subarray(0, 14), new Uint8Array([...bootBin(0, 1), 0, 0])]) {
    const d = flashDir(b);
    assert.equal(new Image(d).x.secTrialBoot(), readBootState(d).state?.trial === 1 ? 1 : 0, `length ${b.length}`);
  }
  // no boot.bin at all
  const none = new Image(flashDir(null));
  assert.equal(none.x.secTrialBoot(), 0);
  assert.equal(none.digest().st, STATUS.E_FLASH_IO);
  // a slot whose container claims more wasm than the file holds, a header length below 128, a bad magic
  const dir = flashDir(bootBin(0, 0xff));
  const long = container(WASM_A); new DataView(long.buffer).setUint32(12, WASM_A.length + 1);
  writeFileSync(join(dir, "slot-a.img"), long);
  assert.equal(new Image(dir).digest().st, STATUS.E_BOOT_STATE);
  const short = container(WASM_A); new DataView(short.buffer).setUint16(10, 16);
  writeFileSync(join(dir, "slot-a.img"), short);
  assert.equal(new Image(dir).digest().st, STATUS.E_BOOT_STATE);
  const magic = container(WASM_A); magic[3] = 0;
  writeFileSync(join(dir, "slot-a.img"), magic);
  assert.equal(new Image(dir).digest().st, STATUS.E_BOOT_STATE);
  assert.ok(statSync(join(dir, "slot-a.img")).size > 0);
});

test("[tengri §upload] edge calls: slot limit 0, a restart abandons the open upload, a null digest, upload.img removed before the end, slots missing or shorter than a header, a null output", () => {
  const dir = flashDir();
  const im = new Image(dir);
  assert.equal(im.x.secUploadSetSlotLimit(0), STATUS.E_BAD_LENGTH);
  assert.equal(im.x.secUploadStart(2000), STATUS.OK);
  assert.equal(im.seg(0, new Uint8Array(1000)), STATUS.OK);
  assert.equal(im.x.secUploadStart(1000), STATUS.OK);                 // restart: the first upload abandoned
  assert.equal(im.x.secUploadWritten(), 0);
  assert.equal(im.seg(1000, new Uint8Array(10)), STATUS.E_UPL_ORDER);
  assert.equal(im.x.secUploadEnd(0), STATUS.E_NULL);
  const img = bytes(1000, 9);
  assert.equal(im.seg(0, img), STATUS.OK);
  rmSync(join(dir, "upload.img"));                                     // gone before the end: refused, never complete
  assert.equal(im.end(sha(img)), STATUS.E_FLASH_IO);
  assert.equal(im.x.secRequestTrialBoot(), STATUS.E_UPL_STATE);
  assert.equal(im.x.secImageDigest(0), STATUS.E_NULL);
  // the running slot missing, then shorter than its header
  rmSync(join(dir, "slot-a.img"));
  assert.equal(im.digest().st, STATUS.E_FLASH_IO);
  writeFileSync(join(dir, "slot-a.img"), new Uint8Array(10));
  assert.equal(im.digest().st, STATUS.E_BOOT_STATE);
  // on trial with the trial slot missing: confirmSelf refused, counted, nothing written
  const t = flashDir(bootBin(0, 1, 1));
  rmSync(join(t, "slot-b.img"));
  const ti = new Image(t);
  const before = ti.rejected();
  assert.equal(ti.x.secConfirmSelf(), STATUS.E_FLASH_IO);
  assert.equal(ti.rejected(), before + 1);
  assert.ok(!existsSync(join(t, "confirm")));
});
