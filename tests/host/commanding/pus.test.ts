// The host side of commanding: the PUS-C TC packet builder checked octet by octet against the
// layout of ECSS-E-ST-70-41C §7.4.4.1 and 133.0-B-2 (with a bit-by-bit CRC written here, not the
// project's table), the ground's report decoder on hand-built reports, and `tengri tc`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildTc, tc, parameterId, parseTm, decodeReport, PusTmError, TcError, ACK, FUNCTION } from "../../../host/commanding/pus.ts";

/** CRC-16/CCITT-FALSE, bit by bit (poly 0x1021, init 0xFFFF); check value of "123456789" is 0x29B1. */
function crcBits(b: Uint8Array): number {
  let c = 0xffff;
  for (const x of b) { c ^= x << 8; for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff; }
  return c;
}

test("[ECSS-E-ST-70-41C §7.4.4.1] CRC-16/CCITT-FALSE of the packet error control: the check value 0x29B1", () => {
  assert.equal(crcBits(new TextEncoder().encode("123456789")), 0x29b1);
});

test("[ECSS-E-ST-70-41C §7.4.4.1] [133.0-B-2 §4.1.3] a TC packet: primary header, PUS-C secondary header, application data, PEC — octet by octet", () => {
  const p = buildTc({ apid: 0x0c0, seq: 0x1234, service: 8, subtype: 1, source: 0xbeef, ack: ACK.acceptance | ACK.completion, data: new Uint8Array([0, 2]) });
  assert.equal(p.length, 6 + 5 + 2 + 2);
  assert.equal(p[0] >> 5, 0, "packet version 0");
  assert.equal((p[0] >> 4) & 1, 1, "type TC");
  assert.equal((p[0] >> 3) & 1, 1, "secondary header flag");
  assert.equal(((p[0] & 7) << 8) | p[1], 0x0c0, "APID");
  assert.equal(p[2] >> 6, 3, "unsegmented");
  assert.equal(((p[2] & 0x3f) << 8) | p[3], 0x1234, "sequence count");
  assert.equal((p[4] << 8) | p[5], p.length - 7, "data length = octets of the data field − 1");
  assert.equal(p[6] >> 4, 2, "PUS version 2");
  assert.equal(p[6] & 0xf, 9, "ack flags");
  assert.deepEqual([p[7], p[8], (p[9] << 8) | p[10]], [8, 1, 0xbeef]);
  assert.deepEqual([...p.subarray(11, 13)], [0, 2]);
  assert.equal((p[13] << 8) | p[14], crcBits(p.subarray(0, 13)));
});

test("[ECSS-E-ST-70-41C §6.20] parameter ids come from the contract: (block index << 8) | offset in the block; an unknown name is refused", () => {
  assert.equal(parameterId("scrCoreBlue"), (3 << 8) | 24);
  assert.equal(parameterId("aecRsi"), (2 << 8) | 4);
  assert.throws(() => parameterId("nope"), TcError);
  const s = tc.setParams([["scrCoreBlue", -5]]);
  assert.deepEqual([...s.data!], [1, 0x03, 0x18, 0xff, 0xff, 0xff, 0xfb]);
  assert.deepEqual([...tc.stopAcquisition().data!], [0, FUNCTION.stopAcquisition]);
  assert.throws(() => buildTc({ service: 3, subtype: 27, apid: 2047 }), TcError);
  assert.throws(() => tc.setParams([]), TcError);
});

/** A TM report as the README lays it out: primary header, 14-octet secondary header, data, PEC. */
function tm(service: number, subtype: number, data: number[], o: { counter?: number; pusVersion?: number; breakPec?: boolean } = {}): Uint8Array {
  const len = 6 + 14 + data.length + 2;
  const b = new Uint8Array(len);
  const dv = new DataView(b.buffer);
  dv.setUint16(0, (1 << 11) | 192); dv.setUint16(2, (3 << 14) | 5); dv.setUint16(4, len - 7);
  b[6] = (o.pusVersion ?? 2) << 4; b[7] = service; b[8] = subtype; dv.setUint16(9, o.counter ?? 42); dv.setUint16(11, 7);
  b[13] = 0x1e; dv.setUint32(14, 2_000_000_000); dv.setUint16(18, 0x8000);
  b.set(data, 20);
  dv.setUint16(len - 2, crcBits(b.subarray(0, len - 2)) ^ (o.breakPec ? 0x10 : 0));
  return b;
}

test("[ECSS-E-ST-70-41C §6.1.5] the ground decodes ST[1] reports: acceptance success, completion failure with the status name and the control block's detail", () => {
  const ok = decodeReport(parseTm(tm(1, 1, [0x18, 0xc0, 0xc0, 0x05])));
  assert.ok(ok.kind === "verification" && ok.success && ok.stage === "acceptance" && ok.requestId.apid === 192 && ok.requestId.seqCount === 5);
  const fail = decodeReport(parseTm(tm(1, 8, [0x18, 0xc0, 0xc0, 0x06, 0xff, 0xff, 0xfe, 0x6e, 0, 0, 0, 64, 0, 0, 0x13, 0x88, 0, 0, 0x10, 0])));
  assert.ok(fail.kind === "verification" && !fail.success && fail.stage === "completion");
  assert.deepEqual(fail.failure, { code: -402, status: "E_CFG_BAD_VALUE", field: 64, found: 5000, expected: 4096 });
  const t = parseTm(tm(17, 2, []));
  assert.equal(t.counter, 42); assert.equal(t.destination, 7); assert.equal(t.time, 2_000_000_000.5);
});

test("[ECSS-E-ST-70-41C §6.5, §6.6, §6.20] the ground decodes events, parameter reports and memory checks into named fields", () => {
  const ev = decodeReport(parseTm(tm(5, 3, [0, 3, 0xff, 0xff, 0xfc, 0xa9, 0, 0, 0, 2, 0, 0, 0, 99])));
  assert.ok(ev.kind === "event");
  assert.deepEqual([ev.event, ev.severity, ev.statusName, ev.count, ev.line], ["tc-refused", "medium", "E_PUS_CRC", 2, 99]);
  const pr = decodeReport(parseTm(tm(20, 2, [1, 0x03, 0x18, 0, 0, 3, 0x20])));
  assert.ok(pr.kind === "parameters");
  assert.deepEqual(pr.values, [{ id: 0x318, name: "scrCoreBlue", value: 800 }]);
  const mc = decodeReport(parseTm(tm(6, 10, [1, 0, 0, 0, 0, 0, 0, 1, 0xa8, 1, 4, 0xca, 0xfe, 0xba, 0xbe])));
  assert.ok(mc.kind === "memory-check");
  assert.deepEqual([mc.memory, mc.length, mc.checksumType, mc.checksum], ["configuration", 424, "crc32", "cafebabe"]);
});

test("[ECSS-E-ST-70-41C §7.4.3.1] a report with a wrong PEC, a PUS version other than 2, a truncated notice or an unknown type is a typed error, never a wrong value", () => {
  assert.throws(() => parseTm(tm(17, 2, [], { breakPec: true })), (e: unknown) => e instanceof PusTmError && e.reason === "pec");
  assert.throws(() => parseTm(tm(17, 2, [], { pusVersion: 1 })), (e: unknown) => e instanceof PusTmError && e.reason === "version");
  assert.throws(() => decodeReport(parseTm(tm(1, 2, [0x18, 0xc0, 0xc0, 0x05, 0xff]))), (e: unknown) => e instanceof PusTmError && e.reason === "content");
  assert.throws(() => decodeReport(parseTm(tm(9, 9, []))), (e: unknown) => e instanceof PusTmError && e.reason === "content");
  assert.throws(() => parseTm(tm(17, 2, []).subarray(0, 20)), PusTmError);
});

const BIN = fileURLToPath(new URL("../../../bin/tengri.mjs", import.meta.url));
const tengri = (args: string[]) => spawnSync(process.execPath, [BIN, "tc", ...args], { encoding: "utf8", timeout: 120_000 });

test("[tengri §cli] tengri tc: hex by default, binary into -o FILE, the same octets as buildTc; mistakes are one line and exit 2", () => {
  const r = tengri(["set-param", "scrCoreBlue=800", "--seq", "3", "--source", "7"]);
  assert.equal(r.status, 0, r.stderr);
  const want = Buffer.from(buildTc({ ...tc.setParams([["scrCoreBlue", 800]]), seq: 3, source: 7 })).toString("hex");
  assert.equal(r.stdout.trim(), want);
  const dir = mkdtempSync(join(tmpdir(), "tengri-tc-"));
  try {
    const f = join(dir, "tc.bin");
    assert.equal(tengri(["stop-acquisition", "-o", f]).status, 0);
    assert.deepEqual(new Uint8Array(readFileSync(f)), buildTc(tc.stopAcquisition()));
    // [TGR-PRODUCT-MODE] set-mode raw|121|123: ST[8,1] function 3 with the mode octet (0 raw, 1 CCSDS 121, 2 CCSDS 123)
    for (const [arg, mode] of [["raw", "raw"], ["121", "ccsds121"], ["123", "ccsds123"], ["ccsds123", "ccsds123"]] as const) {
      const m = tengri(["set-mode", arg]);
      assert.equal(m.status, 0, m.stderr);
      assert.equal(m.stdout.trim(), Buffer.from(buildTc(tc.setProductMode(mode))).toString("hex"));
    }
    assert.deepEqual([...buildTc(tc.setProductMode("ccsds121")).subarray(-5, -2)], [0, 3, 1]);
    writeFileSync(join(dir, "seg.bin"), new Uint8Array([1, 2, 3]));
    const seg = tengri(["upload-segment", "16", join(dir, "seg.bin")]);
    assert.equal(seg.stdout.trim(), Buffer.from(buildTc(tc.uploadSegment(16, new Uint8Array([1, 2, 3])))).toString("hex"));
  } finally { rmSync(dir, { recursive: true, force: true }); }
  for (const [args, says] of [
    [["set-param", "scrFoo=1"], /unknown parameter scrFoo/],
    [["set-mode", "jpeg"], /raw, 121 or 123/],
    [["set-mode"], /set-mode/],
    [["set-mode", "121", "123"], /set-mode/],
    [["hk-period", "0"], /hk-period LINES must be a whole number/],
    [["warp"], /unknown request "warp"/],
    [["are-you-alive", "--apid", "4000"], /--apid must be ≤ 2046/],
    [["events-enable", "boom"], /unknown event "boom"/],
  ] as [string[], RegExp][]) {
    const x = tengri(args);
    assert.equal(x.status, 2, `${args.join(" ")}: ${x.stderr}`);
    assert.match(x.stderr, says);
    assert.equal(x.stderr.trim().split("\n").length, 1, x.stderr);
  }
});
