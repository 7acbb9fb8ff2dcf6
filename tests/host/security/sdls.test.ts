// SDLS ProcessSecurity of the flight image (assembly/security/sdls.ts) through build/lib.wasm with
// a temporary flash directory as the WASI preopen "/flash", against frames secured by the ground
// (host/commanding/sdls.ts, node:crypto): accepted, forged, wrong SPI, replayed, beyond the window,
// malformed frames whose FECF is right, state surviving a reboot and a torn state write.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { loadFlightLib, type FlightLib } from "../../../host/obc/lib.ts";
import { secureFrameDataField, keyStore, SDLS_OVERHEAD, SdlsError } from "../../../host/commanding/sdls.ts";
import { crc16 } from "../../../host/util/crc16.ts";
import { mulberry32 } from "../../../host/sensor/prng.ts";
import { STATUS, HK_COUNTERS } from "../../../host/contract/contract.gen.ts";

const KEY1 = new Uint8Array(32).map((_, i) => (i * 7 + 1) & 0xff);
const KEY2 = new Uint8Array(32).map((_, i) => (i * 13 + 5) & 0xff);
const SPI1 = 1, SPI2 = 0x0102;
const DIRS: string[] = [];
const hk = (L: FlightLib, name: (typeof HK_COUNTERS)[number]) => L.exports.secHkCounter(HK_COUNTERS.indexOf(name)) >>> 0;

function flashDir(keys: Uint8Array | null = keyStore([{ spi: SPI1, key: KEY1 }, { spi: SPI2, key: KEY2 }])): string {
  const d = mkdtempSync(join(tmpdir(), "tengri-sdls-"));
  DIRS.push(d);
  if (keys) writeFileSync(join(d, "keys.bin"), keys);
  return d;
}

/** A whole TC transfer frame (232.0-B-4 §4.1): header ‖ SDLS data field ‖ FECF, VCID 1, SCID 0x2A. */
function frame(packets: Uint8Array, sa: { spi: number; key: Uint8Array; arsn: number }, seq = 0): Uint8Array {
  const len = 5 + SDLS_OVERHEAD + packets.length + 2;
  const h = new Uint8Array(5);
  const scid = 0x2a, vcid = 1;
  h[0] = (scid >> 8) & 0x03; h[1] = scid & 0xff;
  h[2] = (vcid << 2) | (((len - 1) >> 8) & 0x03); h[3] = (len - 1) & 0xff; h[4] = seq & 0xff;
  const df = secureFrameDataField(h, packets, sa);
  const f = new Uint8Array(len);
  f.set(h); f.set(df, 5);
  const c = crc16(f.subarray(0, len - 2));
  f[len - 2] = c >> 8; f[len - 1] = c & 0xff;
  return f;
}
function refecf(f: Uint8Array): Uint8Array {
  const c = crc16(f.subarray(0, f.length - 2));
  f[f.length - 2] = c >> 8; f[f.length - 1] = c & 0xff;
  return f;
}

class Image {
  L: FlightLib; buf: number;
  constructor(readonly dir: string | undefined) {
    this.L = loadFlightLib(undefined, dir ? { flashDir: dir } : {});
    this.buf = this.L.alloc(2048);
  }
  boot(): number { return this.L.exports.secSdlsBoot(); }
  process(f: Uint8Array): number { this.L.u8().set(f, this.buf); return this.L.exports.secSdlsProcess(this.buf, f.length); }
  data(): Uint8Array { const p = this.L.exports.secSdlsDataPtr() >>> 0; return this.L.u8().slice(p, p + this.L.exports.secSdlsDataLen()); }
  hk(name: (typeof HK_COUNTERS)[number]) { return hk(this.L, name); }
  last(spi: number): number { return Number(this.L.exports.secSdlsLastArsn(spi)); }
}
const PKT = Uint8Array.from([0x18, 0xc0, 0xc0, 0x00, 0x00, 0x05, 0x21, 0x11, 0x01, 0x00, 0x01, 0xab, 0xcd]);

test("[355.0-B-2 §3.4.2] a frame secured by the ground is accepted: the packet octets come out, the ARSN advances, tcAccepted counts it", () => {
  const im = new Image(flashDir());
  assert.equal(im.boot(), STATUS.OK);
  assert.equal(im.process(frame(PKT, { spi: SPI1, key: KEY1, arsn: 1 })), STATUS.OK);
  assert.deepEqual(im.data(), PKT);
  assert.equal(im.last(SPI1), 1);
  assert.equal(im.process(frame(PKT, { spi: SPI2, key: KEY2, arsn: 7 })), STATUS.OK);
  assert.equal(im.last(SPI2), 7);
  assert.equal(im.last(SPI1), 1);
  assert.equal(im.hk("tcAccepted"), 2);
  assert.ok(existsSync(join(im.dir!, "sdls-state.bin")));
});

test("[355.0-B-2 §3.4.2.4] a MAC forged by one bit, anywhere in the MAC or the protected octets, is refused as E_TC_AUTH, counted, with no effect on the ARSN", () => {
  const im = new Image(flashDir());
  assert.equal(im.boot(), STATUS.OK);
  const good = frame(PKT, { spi: SPI1, key: KEY1, arsn: 5 });
  let n = 0;
  // every bit of the header, security header, packet and MAC (FECF recomputed so the frame passes its CRC)
  for (let byte = 0; byte < good.length - 2; byte++) {
    if (byte === 2 || byte === 3) continue; // the frame length field: a different refusal (E_TC_FRAME)
    if (byte === 0) continue;                // the version bits are checked first
    for (let bit = 0; bit < 8; bit++) {
      const f = good.slice();
      f[byte] ^= 1 << bit;
      refecf(f);
      const st = im.process(f);
      if (byte === 5 || byte === 6) assert.ok(st === STATUS.E_TC_SPI || st === STATUS.E_TC_AUTH, `SPI bit ${byte}.${bit}: ${st}`);
      else assert.equal(st, STATUS.E_TC_AUTH, `octet ${byte} bit ${bit}`);
      n++;
    }
  }
  assert.equal(im.hk("tcRejAuth"), n);
  assert.equal(im.hk("tcAccepted"), 0);
  assert.equal(im.last(SPI1), 0);
  // the right frame still goes through after all that
  assert.equal(im.process(good), STATUS.OK);
});

test("[355.0-B-2 §3.4.2.2] an unknown SPI is refused as E_TC_SPI and counted as unauthenticated; a frame under another SA's key is refused as E_TC_AUTH", () => {
  const im = new Image(flashDir());
  assert.equal(im.boot(), STATUS.OK);
  assert.equal(im.process(frame(PKT, { spi: 9, key: KEY1, arsn: 1 })), STATUS.E_TC_SPI);
  assert.equal(im.process(frame(PKT, { spi: SPI1, key: KEY2, arsn: 1 })), STATUS.E_TC_AUTH);
  assert.equal(im.hk("tcRejAuth"), 2);
  assert.equal(im.hk("tcAccepted"), 0);
});

test("[355.0-B-2 §3.4.2.5] a replayed frame, an older ARSN and an ARSN beyond last + window are refused as E_TC_REPLAY and counted; last + window is accepted", () => {
  const im = new Image(flashDir());
  assert.equal(im.boot(), STATUS.OK);
  const f10 = frame(PKT, { spi: SPI1, key: KEY1, arsn: 10 });
  assert.equal(im.process(f10), STATUS.OK);
  assert.equal(im.process(f10), STATUS.E_TC_REPLAY);                                            // the same frame again
  assert.equal(im.process(frame(PKT, { spi: SPI1, key: KEY1, arsn: 9 })), STATUS.E_TC_REPLAY);  // older
  assert.equal(im.process(frame(PKT, { spi: SPI1, key: KEY1, arsn: 10 + 1024 + 1 })), STATUS.E_TC_REPLAY); // beyond the window
  assert.equal(im.hk("tcRejReplay"), 3);
  assert.equal(im.last(SPI1), 10);
  assert.equal(im.process(frame(PKT, { spi: SPI1, key: KEY1, arsn: 10 + 1024 })), STATUS.OK);  // the window's edge
  assert.equal(im.last(SPI1), 1034);
  // a smaller managed window
  assert.equal(im.L.exports.secSdlsSetWindow(4), STATUS.OK);
  assert.equal(im.process(frame(PKT, { spi: SPI1, key: KEY1, arsn: 1039 })), STATUS.E_TC_REPLAY);
  assert.equal(im.process(frame(PKT, { spi: SPI1, key: KEY1, arsn: 1038 })), STATUS.OK);
  assert.equal(im.L.exports.secSdlsSetWindow(0), STATUS.E_BAD_LENGTH);
  // the top of the ARSN space: 2^32 − 1 accepted once, then nothing more (re-keying needed)
  assert.equal(im.L.exports.secSdlsSetWindow(0x80000000), STATUS.OK);
  assert.equal(im.process(frame(PKT, { spi: SPI1, key: KEY1, arsn: 0xffffffff })), STATUS.E_TC_REPLAY); // more than 2^31 ahead
  assert.equal(im.L.exports.secSdlsSetWindow(0xffffffff), STATUS.E_BAD_LENGTH);
});

test("[355.0-B-2 §3.4.2.5] the last ARSN survives a reboot: a new instance on the same flash refuses the replay and accepts the next", () => {
  const dir = flashDir();
  const a = new Image(dir);
  assert.equal(a.boot(), STATUS.OK);
  const frames = [1, 2, 3, 50].map((arsn) => frame(PKT, { spi: SPI1, key: KEY1, arsn }));
  for (const f of frames) assert.equal(a.process(f), STATUS.OK);
  assert.equal(a.process(frame(PKT, { spi: SPI2, key: KEY2, arsn: 4 })), STATUS.OK);
  const b = new Image(dir);
  assert.equal(b.boot(), STATUS.OK);
  assert.equal(b.last(SPI1), 50);
  assert.equal(b.last(SPI2), 4);
  for (const f of frames) assert.equal(b.process(f), STATUS.E_TC_REPLAY);
  assert.equal(b.process(frame(PKT, { spi: SPI1, key: KEY1, arsn: 51 })), STATUS.OK);
  assert.equal(b.hk("tcRejReplay"), frames.length);
});

test("[tengri §sdls-state] a torn write of sdls-state.bin never lets an accepted frame through again: the newest valid copy wins, both copies spoilt refuses everything", () => {
  const dir = flashDir();
  const a = new Image(dir);
  assert.equal(a.boot(), STATUS.OK);
  const f1 = frame(PKT, { spi: SPI1, key: KEY1, arsn: 1 });
  const f2 = frame(PKT, { spi: SPI1, key: KEY1, arsn: 2 });
  assert.equal(a.process(f1), STATUS.OK);
  assert.equal(a.process(f2), STATUS.OK);
  const state = readFileSync(join(dir, "sdls-state.bin"));
  assert.equal(state.length, 128);
  // The write of a third frame's state torn half-way: that frame was never accepted (the state is
  // written before a frame is accepted), the copy it tore is the older one; f1 and f2 stay refused.
  const older = state.readUInt32BE(4) < state.readUInt32BE(64 + 4) ? 0 : 64;
  for (let cut = 1; cut < 64; cut += 7) {
    const torn = Buffer.from(state);
    torn.fill(0xff, older + cut, older + 64);
    writeFileSync(join(dir, "sdls-state.bin"), torn);
    const b = new Image(dir);
    assert.equal(b.boot(), STATUS.OK, `cut at ${cut}`);
    assert.equal(b.last(SPI1), 2);
    assert.equal(b.process(f1), STATUS.E_TC_REPLAY);
    assert.equal(b.process(f2), STATUS.E_TC_REPLAY);
  }
  // the newest copy torn (the power failed during its own write, before its frame was accepted):
  // the previous copy (ARSN 1) rules, f1 stays refused.
  const torn = Buffer.from(state);
  torn.fill(0, (64 - older) + 20, (64 - older) + 64);
  writeFileSync(join(dir, "sdls-state.bin"), torn);
  const c = new Image(dir);
  assert.equal(c.boot(), STATUS.OK);
  assert.equal(c.last(SPI1), 1);
  assert.equal(c.process(f1), STATUS.E_TC_REPLAY);
  // the very first write torn (the file shorter than two copies, no valid copy): no frame was ever
  // accepted, every SA starts at ARSN 0
  const first = flashDir();
  writeFileSync(join(first, "sdls-state.bin"), Buffer.from(state.subarray(0, 40)).fill(0xff, 20));
  const e = new Image(first);
  assert.equal(e.boot(), STATUS.OK);
  assert.equal(e.last(SPI1), 0);
  // both copies spoilt: the last ARSN is unknown, every frame is refused as unauthenticated
  writeFileSync(join(dir, "sdls-state.bin"), Buffer.alloc(128, 0x5a));
  const d = new Image(dir);
  assert.equal(d.boot(), STATUS.E_TC_STATE);
  assert.equal(d.process(frame(PKT, { spi: SPI1, key: KEY1, arsn: 100 })), STATUS.E_TC_AUTH);
  assert.equal(d.hk("tcRejAuth"), 1);
});

test("[tengri §sdls] with no /flash preopen, no key store or a malformed one, every frame is refused as unauthenticated and counted", () => {
  const none = new Image(undefined);
  assert.equal(none.boot(), STATUS.E_FLASH_NONE);
  assert.equal(none.process(frame(PKT, { spi: SPI1, key: KEY1, arsn: 1 })), STATUS.E_TC_AUTH);
  assert.equal(none.hk("tcRejAuth"), 1);
  const nokeys = new Image(flashDir(null));
  assert.equal(nokeys.boot(), STATUS.E_TC_KEYS);
  assert.equal(nokeys.process(frame(PKT, { spi: SPI1, key: KEY1, arsn: 1 })), STATUS.E_TC_AUTH);
  const bad = [
    keyStore([{ spi: SPI1, key: KEY1 }]).subarray(0, 34),                               // a partial record
    keyStore([{ spi: 0, key: KEY1 }]),                                                   // reserved SPI 0
    keyStore([{ spi: 0xffff, key: KEY1 }]),                                              // reserved SPI 0xFFFF
    keyStore([{ spi: SPI1, key: KEY1 }, { spi: SPI1, key: KEY2 }]),                     // a duplicate SPI
    (() => { const k = keyStore([{ spi: SPI1, key: KEY1 }]); k[2] = 16; return k; })(), // another key length
    new Uint8Array(9 * 35),                                                              // too many records
    new Uint8Array(0),                                                                   // empty
  ];
  for (const [i, k] of bad.entries()) {
    const im = new Image(flashDir(k));
    assert.equal(im.boot(), STATUS.E_TC_KEYS, `key store ${i}`);
    assert.equal(im.process(frame(PKT, { spi: SPI1, key: KEY1, arsn: 1 })), STATUS.E_TC_AUTH, `key store ${i}`);
  }
});

test("[232.0-B-4 §4.1] malformed frames with a correct FECF are refused as E_TC_FRAME and counted: too short, too long, version, frame length field; a bad FECF too", () => {
  const im = new Image(flashDir());
  assert.equal(im.boot(), STATUS.OK);
  const good = frame(PKT, { spi: SPI1, key: KEY1, arsn: 1 });
  const cases: Uint8Array[] = [];
  const v = good.slice(); v[0] |= 0x40; cases.push(refecf(v));                              // version 01
  const l = good.slice(); l[3] ^= 0x01; cases.push(refecf(l));                              // length field off by one
  cases.push(refecf(good.slice(0, 29)));                                                     // shorter than header + SDLS + 1 + FECF
  const fc = good.slice(); fc[fc.length - 1] ^= 1; cases.push(fc);                          // FECF
  for (const c of cases) assert.equal(im.process(c), STATUS.E_TC_FRAME);
  const big = new Uint8Array(1025); big[2] = 0x03; big[3] = 0xff; refecf(big);             // longer than 1024 octets
  assert.equal(im.process(big), STATUS.E_TC_FRAME);
  assert.equal(im.L.exports.secSdlsProcess(0, 40), STATUS.E_TC_FRAME);
  assert.equal(im.hk("tcRejFrame"), cases.length + 2);
  assert.equal(im.process(good), STATUS.OK);
});

test("[tengri §sdls] 3000 random frames with a correct FECF and length field (seed 21): never accepted, never a trap, every one counted once", () => {
  const im = new Image(flashDir());
  assert.equal(im.boot(), STATUS.OK);
  const rnd = mulberry32(21);
  const N = 3000;
  for (let i = 0; i < N; i++) {
    const len = 5 + Math.floor(rnd() * 1020);
    const f = new Uint8Array(len);
    for (let k = 0; k < len; k++) f[k] = Math.floor(rnd() * 256);
    f[0] &= 0x3f;
    if (len >= 2) { f[2] = (f[2] & 0xfc) | (((len - 1) >> 8) & 3); f[3] = (len - 1) & 0xff; }
    if (i % 3 === 0) { f[5] = 0; f[6] = SPI1; }                                                  // a known SPI, so the MAC is checked
    refecf(f);
    assert.notEqual(im.process(f), STATUS.OK);
  }
  assert.equal(im.hk("tcRejFrame") + im.hk("tcRejAuth") + im.hk("tcRejReplay"), N);
  assert.equal(im.hk("tcAccepted"), 0);
});

test("[355.0-B-2 §3.4.2] the ground's secureFrameDataField refuses a wrong header length, key length, reserved SPI and ARSN 0 with a typed error", () => {
  const h = new Uint8Array(5);
  assert.throws(() => secureFrameDataField(new Uint8Array(4), PKT, { spi: 1, key: KEY1, arsn: 1 }), SdlsError);
  assert.throws(() => secureFrameDataField(h, PKT, { spi: 1, key: new Uint8Array(16), arsn: 1 }), SdlsError);
  assert.throws(() => secureFrameDataField(h, PKT, { spi: 0, key: KEY1, arsn: 1 }), SdlsError);
  assert.throws(() => secureFrameDataField(h, PKT, { spi: 1, key: KEY1, arsn: 0 }), SdlsError);
  assert.equal(secureFrameDataField(h, PKT, { spi: 1, key: KEY1, arsn: 1 }).length, PKT.length + SDLS_OVERHEAD);
});

after(() => { for (const d of DIRS) rmSync(d, { recursive: true, force: true }); });

test("[tengri §sdls-state] an ARSN that cannot be made durable refuses its frame (counted) and stays consumed; an unreadable state refuses everything; an SA added to the key store starts at 0", () => {
  const dir = flashDir();
  const im = new Image(dir);
  assert.equal(im.boot(), STATUS.OK);
  mkdirSync(join(dir, "sdls-state.bin"));                           // the state file cannot be written
  const f = frame(PKT, { spi: SPI1, key: KEY1, arsn: 3 });
  const st = im.process(f);
  assert.ok(st === STATUS.E_FLASH_IO, `status ${st}`);
  assert.equal(im.hk("tcRejReplay"), 1);
  assert.equal(im.hk("tcAccepted"), 0);
  assert.equal(im.process(f), STATUS.E_TC_REPLAY);                  // consumed: not retried in this boot
  const again = new Image(dir);
  assert.equal(again.boot(), STATUS.E_TC_STATE);                    // unreadable state: refuse everything
  assert.equal(again.process(frame(PKT, { spi: SPI1, key: KEY1, arsn: 4 })), STATUS.E_TC_AUTH);
  // an SA provisioned after the state was written starts at ARSN 0; the others keep theirs
  const d2 = flashDir(keyStore([{ spi: SPI1, key: KEY1 }]));
  const a = new Image(d2);
  assert.equal(a.boot(), STATUS.OK);
  assert.equal(a.process(frame(PKT, { spi: SPI1, key: KEY1, arsn: 9 })), STATUS.OK);
  writeFileSync(join(d2, "keys.bin"), keyStore([{ spi: SPI1, key: KEY1 }, { spi: SPI2, key: KEY2 }]));
  const b = new Image(d2);
  assert.equal(b.boot(), STATUS.OK);
  assert.equal(b.last(SPI1), 9);
  assert.equal(b.last(SPI2), 0);
  assert.equal(b.last(99), -1);
});
