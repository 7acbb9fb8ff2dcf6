// The ground's commanding path composed (host/commanding/uplink-path.ts) and `tengri tc --send /
// --cltu`: each checked from the receiving side — the OBC's CLTU reception, frame validation and
// FARM-1 (host/uplink), and the MAC recomputed with node:crypto over the 355.0-B-2 layout.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { acceptCltus } from "../../../host/uplink/receiver.ts";
import { commandCltu, commandFrame, securedDataField, UplinkPathError } from "../../../host/commanding/uplink-path.ts";
import { buildTc, tc } from "../../../host/commanding/pus.ts";
import { tcCommand } from "../../../host/commands/tc.ts";
import { HilServer } from "../../../host/hil/server.ts";
import { loadProfile } from "../../../host/profiles/index.ts";
import { flash } from "../../../host/obc/image.ts";
import { DEFAULT_FLIGHT_WASM } from "../../../host/obc/faults.ts";
import { Fop1 } from "../../../host/uplink/cop1.ts";

/** Security header, packets and MAC of a frame, the MAC checked independently (first 16 octets of HMAC-SHA-256). */
function open(frame: Uint8Array, key: Uint8Array) {
  const len = frame.length;
  const dv = new DataView(frame.buffer, frame.byteOffset, len);
  const spi = dv.getUint16(5), arsn = dv.getUint32(7);
  const packets = frame.subarray(11, len - 2 - 16);
  const mac = frame.subarray(len - 2 - 16, len - 2);
  const want = createHmac("sha256", key).update(frame.subarray(0, 5)).update(frame.subarray(5, 11)).update(packets).digest().subarray(0, 16);
  return { spi, arsn, packets, macOk: Buffer.from(mac).equals(want), bypass: (frame[0] & 0x20) !== 0, seq: frame[4], vcid: frame[2] >> 2, scid: ((frame[0] & 3) << 8) | frame[1] };
}

test("[232.0-B-4 §4.1] [231.0-B-4 §2] [355.0-B-2 §4.1] commandCltu: the OBC's uplink takes the CLTU, the frame carries SPI, ARSN, the packet and a MAC over header ‖ security header ‖ packet; the ARSN advances", () => {
  const key = new Uint8Array(randomBytes(32));
  const sa = { spi: 1, key, arsn: 41 };
  const pkt = buildTc({ ...tc.areYouAlive(), seq: 3 });
  const cltu = commandCltu([pkt], { scid: 171, vcid: 1 }, sa);
  assert.equal(sa.arsn, 42);
  const r = acceptCltus(cltu, { scid: 171, vcid: 1 });
  assert.equal(r.frames.length, 1, JSON.stringify(r.events));
  const o = open(r.frames[0], key);
  assert.deepEqual([o.spi, o.arsn, o.bypass, o.scid, o.vcid, o.macOk], [1, 41, true, 171, 1, true]);
  assert.deepEqual([...o.packets], [...pkt]);
  // One bit of the frame flipped after the MAC: the independent check fails (the MAC covers the header).
  const f = commandFrame([pkt], { scid: 171, seq: 9 }, sa);
  f[4] ^= 1;
  assert.equal(open(f, key).macOk, false);
  assert.throws(() => commandFrame([], { scid: 171 }, sa), UplinkPathError);
  assert.throws(() => commandFrame([new Uint8Array(1000)], { scid: 171 }, sa), /do not fit/);
});

test("[232.1-B-2 §6] securedDataField: built on the header the FOP-1 assigns (AD, its N(S)), MAC over that header", () => {
  const key = new Uint8Array(randomBytes(32));
  const sa = { spi: 7, key, arsn: 1 };
  const fop = new Fop1({ scid: 171, vcid: 1 });
  fop.initiate(5);
  const pkt = buildTc(tc.hkReport());
  fop.send(securedDataField([pkt], sa));
  const frames = fop.poll();
  assert.equal(frames.length, 1);
  const o = open(frames[0], key);
  assert.deepEqual([o.spi, o.arsn, o.bypass, o.seq, o.macOk], [7, 1, false, 5, true]);
  assert.equal(sa.arsn, 2);
});

test("[tengri §tc] tengri tc --cltu -o writes the CLTU; --send delivers the secured frame through a serve's telecommand port, --arsn-file advances; a missing --mac-key or ARSN is a usage error", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tengri-tc-"));
  const p = loadProfile("default");
  const key = new Uint8Array(randomBytes(32));
  writeFileSync(join(dir, "mac.key"), key);
  const log = console.log;
  console.log = () => undefined;
  const frames: Uint8Array[] = [];
  const srv = await HilServer.start({ profile: p, image: flash(readFileSync(DEFAULT_FLIGHT_WASM), p, "t"), busPort: 0, caduPort: 0, tc: { port: 0, onTcFrame: (f) => frames.push(f) } });
  try {
    assert.equal(await tcCommand(["are-you-alive", "--mac-key", join(dir, "mac.key"), "--arsn", "17", "--cltu", "-o", join(dir, "a.cltu")]), 0);
    const r = acceptCltus(new Uint8Array(readFileSync(join(dir, "a.cltu"))), { scid: p.spacecraft.scid });
    assert.equal(r.frames.length, 1);
    const o = open(r.frames[0], key);
    assert.deepEqual([o.arsn, o.macOk, o.bypass], [17, true, true]);
    const arsnFile = join(dir, "arsn");
    for (const want of [1, 2]) {
      assert.equal(await tcCommand(["hk-report", "--seq", String(want), "--mac-key", join(dir, "mac.key"), "--arsn-file", arsnFile, "--send", `127.0.0.1:${srv.tcPort}`]), 0);
      const f = frames[frames.length - 1];
      const x = open(f, key);
      assert.deepEqual([x.arsn, x.macOk, x.bypass], [want, true, false]);
      assert.equal(readFileSync(arsnFile, "utf8").trim(), String(want + 1));
    }
    assert.equal(frames.length, 2);
    await assert.rejects(async () => tcCommand(["are-you-alive", "--send", `127.0.0.1:${srv.tcPort}`, "--arsn", "1"]), /missing --mac-key/);
    await assert.rejects(async () => tcCommand(["are-you-alive", "--send", `127.0.0.1:${srv.tcPort}`, "--mac-key", join(dir, "mac.key")]), /--arsn N or --arsn-file/);
    await assert.rejects(async () => tcCommand(["are-you-alive", "--cltu", "--mac-key", join(dir, "mac.key"), "--arsn", "1"]), /--cltu needs -o/);
  } finally {
    console.log = log;
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
