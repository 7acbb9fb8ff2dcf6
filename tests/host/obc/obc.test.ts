// The emulated OBC and the flight image's boundary: flashing, boot checks, memory bounds, and
// bad input on the payload bus (rejected, counted, nothing accepted lost).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { flash, verifyImage, memoryLimits, ImageError, ALLOWED_IMPORTS, IMAGE_HEADER_LEN } from "../../../host/obc/image.ts";
import { runImage, ObcConfigError } from "../../../host/obc/obc.ts";
import { configRecord } from "../../../host/obc/config-table.ts";
import { encodeLine, encodeEnd, encodeRecord, RecordType } from "../../../host/obc/bus.ts";
import { loadProfile, type Profile } from "../../../host/profiles/index.ts";
import { runPass, FLIGHT_WASM, linkConfigOf } from "../../../host/pass.ts";
import { LinkDecoder } from "../../../host/ground/link-decoder.ts";
import { decodeHousekeeping, type Housekeeping } from "../../../host/ground/housekeeping.ts";

const wasm = () => new Uint8Array(readFileSync(FLIGHT_WASM));

test("the flight image imports nothing but allowed WASI preview1 functions", () => {
  const imports = WebAssembly.Module.imports(new WebAssembly.Module(wasm()));
  assert.ok(imports.length > 0);
  for (const i of imports) {
    assert.equal(i.module, "wasi_snapshot_preview1", `${i.module}.${i.name}`);
    assert.ok(ALLOWED_IMPORTS.has(i.name), i.name);
  }
});

test("the flight image uses WebAssembly 1.0 features only (no bulk memory, sign-extension or saturating conversions)", () => {
  const wat = readFileSync(FLIGHT_WASM.replace(/\.wasm$/, ".wat"), "utf8");
  for (const op of ["memory.copy", "memory.fill", "i32.extend8_s", "i32.extend16_s", "i64.extend32_s", "trunc_sat"]) assert.ok(!wat.includes(op), op);
});

test("flash binds the image's memory maximum to the profile's RAM; boot verifies integrity", () => {
  const p = loadProfile("cubesat-mcu");
  const img = flash(wasm(), p, "test-build");
  const b = verifyImage(img, p);
  assert.equal(b.maxPages * 65536, p.obc.ramBytes);
  assert.equal(b.buildId, "test-build");
  assert.equal(b.profileName, "cubesat-mcu");
  assert.equal(memoryLimits(img.subarray(IMAGE_HEADER_LEN)).max, p.obc.ramBytes / 65536);
  // Every WASI runtime honours the declared maximum: growing past it fails.
  const inst = new WebAssembly.Instance(new WebAssembly.Module(img.subarray(IMAGE_HEADER_LEN) as BufferSource), { wasi_snapshot_preview1: Object.fromEntries([...ALLOWED_IMPORTS].map((n) => [n, () => 0])) });
  const mem = inst.exports.memory as WebAssembly.Memory;
  assert.throws(() => mem.grow(p.obc.ramBytes / 65536));
});

test("a tampered, truncated or foreign image, or one bound to more RAM than the profile has, is refused at boot", () => {
  const p = loadProfile("cubesat-mcu");
  const img = flash(wasm(), p, "b");
  const tampered = img.slice(); tampered[IMAGE_HEADER_LEN + 100] ^= 1;
  assert.throws(() => verifyImage(tampered, p), (e: unknown) => e instanceof ImageError && e.reason === "checksum");
  assert.throws(() => verifyImage(img.subarray(0, img.length - 10), p), (e: unknown) => e instanceof ImageError && e.reason === "truncated");
  assert.throws(() => verifyImage(img.subarray(0, 50), p), (e: unknown) => e instanceof ImageError && e.reason === "truncated");
  const foreign = img.slice(); foreign[0] = 0;
  assert.throws(() => verifyImage(foreign, p), (e: unknown) => e instanceof ImageError && e.reason === "magic");
  const big = flash(wasm(), loadProfile("default"), "b");
  assert.throws(() => verifyImage(big, p), (e: unknown) => e instanceof ImageError && e.reason === "memory");
});

test("a module importing more than WASI is refused at flash", () => {
  // (module (import "env" "x" (func)) (memory 1))
  const m = Uint8Array.from([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 2, 9, 1, 3, 101, 110, 118, 1, 120, 0, 0, 5, 3, 1, 0, 1]);
  assert.throws(() => flash(m, loadProfile("default"), "x"), (e: unknown) => e instanceof ImageError && e.reason === "imports");
});

async function runRecords(p: Profile, recs: Uint8Array[]): Promise<{ hk: Housekeeping[]; log: string[]; lines: Set<number> }> {
  const hk: Housekeeping[] = [];
  const lines = new Set<number>();
  const apids = new Set(p.products.image.apids);
  const dec = new LinkDecoder(linkConfigOf(p), {
    onPacket(pkt) {
      if (pkt.apid === p.products.housekeeping.apid) hk.push(decodeHousekeeping(pkt.data));
      else if (apids.has(pkt.apid)) lines.add(new DataView(pkt.data.buffer, pkt.data.byteOffset).getUint32(7));
    },
  });
  const r = await runImage({ image: flash(wasm(), p, "t"), profile: p, records: recs, onOutput: (c) => dec.push(c) });
  dec.end();
  return { hk, log: r.log, lines };
}

function smallProfile(pixels = 64): Profile {
  const p = structuredClone(loadProfile("default"));
  p.products.image.compression = "raw";
  p.products.image.screening = { enabled: false };
  p.sensor.pixelsPerLine = pixels;
  p.products.housekeeping.everyLines = 1024;
  return p;
}

function line(p: Profile, n: number, t = n): Uint8Array {
  const s = new Uint16Array(p.sensor.bands.length * p.sensor.pixelsPerLine).map((_, i) => (i * 31 + n * 7) & 0xfff);
  return encodeLine({ counter: n, timeCoarse: 2_000_000_000 + Math.floor(t / 875), timeFine: Math.floor(((t % 875) / 875) * 2 ** 32), bands: p.sensor.bands.length, pixels: p.sensor.pixelsPerLine, bitDepth: 12, samples: s });
}

test("bad bus records are rejected and counted by reason; the pass goes on and loses nothing accepted", async () => {
  const p = smallProfile();
  const recs: Uint8Array[] = [configRecord(p)];
  for (let n = 0; n < 40; n++) {
    const r = line(p, n);
    if (n === 5) { const b = r.slice(); b[30] ^= 0xff; recs.push(b); continue; }       // bad CRC
    if (n === 8) recs.push(Uint8Array.from([1, 2, 3, 4, 5, 6, 7]));                   // garbage (bad sync)
    if (n === 11) { const b = r.slice(); b[5] = 9; recs.push(b); continue; }          // bad version
    if (n === 14) { recs.push(r); recs.push(r); continue; }                          // duplicate line: counter does not advance
    if (n === 17) { recs.push(encodeRecord(RecordType.Line, r.subarray(10, 40))); continue; } // line record too short for its geometry
    if (n === 20) recs.push(r.subarray(0, 100));                                      // truncated record, then the real one
    if (n === 23) {                                                                   // one band fewer than configured, its length consistent
      const b = p.sensor.bands.length - 1, px = p.sensor.pixelsPerLine;
      recs.push(encodeLine({ counter: n, timeCoarse: 2_000_000_000 + Math.floor(n / 875), timeFine: Math.floor(((n % 875) / 875) * 2 ** 32), bands: b, pixels: px, bitDepth: 12, samples: new Uint16Array(b * px) }));
      continue;
    }
    if (n === 26) {                                                                   // two octets more than its geometry: over the bus limit
      const payload = new Uint8Array(r.length - 12 + 2); payload.set(r.subarray(10, r.length - 2));
      recs.push(encodeRecord(RecordType.Line, payload));
      continue;
    }
    recs.push(r);
  }
  recs.push(encodeEnd(40));
  const { hk, lines } = await runRecords(p, recs);
  const last = hk[hk.length - 1];
  assert.equal(last.state, "ended");
  assert.equal(last.rejectedBadCrc >= 1, true);
  assert.equal(last.rejectedBadSync >= 1, true);
  assert.equal(last.rejectedBadType, 1);
  assert.equal(last.rejectedLineJump, 1);
  assert.equal(last.rejectedBadLine, 2);
  assert.equal(last.rejectedBadLength, 1);
  assert.equal(last.linesAccepted, 35);
  for (let n = 0; n < 40; n++) assert.equal(lines.has(n), ![5, 11, 17, 23, 26].includes(n), `line ${n}`);
});

test("[tengri §contract] a configuration table with a bad CRC or an impossible value is refused: acquisition never starts; the host gets the image's own status, typed", async () => {
  const p = smallProfile();
  const bad = configRecord(p); bad[20] ^= 1;                                   // CRC of the record fails
  await assert.rejects(runRecords(p, [bad, line(p, 0), encodeEnd(1)]), (e: unknown) => e instanceof ObcConfigError);
  const depth6 = configRecord(p, { poke: [[11, 6]] });                          // RS depth 6, CRC valid
  await assert.rejects(runRecords(p, [depth6, line(p, 0), encodeEnd(1)]), (e: unknown) =>
    e instanceof ObcConfigError && e.status?.statusName === "E_CFG_BAD_VALUE" && e.status.fieldName === "rsDepth" && e.status.pointer === "/link/coding/rsDepth" && e.status.detail.found === 6 && e.status.allowed === "1, 2, 3, 4, 5, 8");
});

test("a refused configuration is reported in housekeeping once a valid one arrives; lines before it are counted", async () => {
  const p = smallProfile();
  const depth6 = configRecord(p, { poke: [[11, 6]] });
  const { hk, lines } = await runRecords(p, [line(p, 0), depth6, configRecord(p), line(p, 1), encodeEnd(2)]);
  assert.equal(hk[0].configStatus, 0);
  assert.equal(hk[0].lastStatus, -402);
  assert.equal(hk[0].rejectedNoConfig, 1);
  assert.deepEqual([...lines], [1]);
});

test("a configuration needing more memory than the OBC's RAM is refused with a clear status", async () => {
  const p = structuredClone(loadProfile("cubesat-mcu"));
  p.sensor.pixelsPerLine = 60000;                                              // 4 × 60000 × 2 × 2 octets of input buffer > 1 MiB
  await assert.rejects(runRecords(p, [configRecord(p), encodeEnd(0)]), (e: unknown) =>
    e instanceof ObcConfigError && e.status?.statusName === "E_CFG_NO_MEMORY" && e.status.pointer === "/obc/ramBytes" && e.status.detail.found > e.status.detail.expected && /needs \d+ octets of RAM, \d+ available/.test(e.message));
});

test("memory size stays constant over a 100,000-line pass; the cubesat-mcu image runs within 1 MiB", async () => {
  const p = smallProfile(16);
  p.products.housekeeping.everyLines = 10000;
  function* recs() {
    yield configRecord(p);
    for (let n = 0; n < 100_000; n++) yield line(p, n);
    yield encodeEnd(100_000);
  }
  const hk: Housekeeping[] = [];
  const dec = new LinkDecoder(linkConfigOf(p), { onPacket(pkt) { if (pkt.apid === p.products.housekeeping.apid) hk.push(decodeHousekeeping(pkt.data)); } });
  await runImage({ image: flash(wasm(), p, "t"), profile: p, records: recs(), onOutput: (c) => dec.push(c) });
  dec.end();
  assert.ok(hk.length >= 11, `${hk.length} housekeeping packets`);
  assert.equal(hk[hk.length - 1].linesAccepted, 100_000);
  const sizes = new Set(hk.map((h) => h.memoryBytes));
  assert.equal(sizes.size, 1, `memory sizes seen: ${[...sizes].join(", ")}`);

  const s = await runPass({ profile: "cubesat-mcu", lines: 20, seed: 2 });
  assert.equal(s.verified, true);
  assert.ok((s.flight.housekeeping?.memoryBytes ?? Infinity) <= loadProfile("cubesat-mcu").obc.ramBytes);
});
