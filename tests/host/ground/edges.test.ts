// Header fields the ground decoders read, each bit at its place (what the mutation campaign,
// npm run mutate, found untested): TM data field status flags, the AOS signalling field, the
// version checks of frames and packets, the empty data field, sequence gaps modulo 2^14, the
// packet length limit, the first header pointer at the zone's end and the idle-only frame, the
// housekeeping time code and version, the frame synchroniser's flywheel and slip limits.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseTmHeader } from "../../../host/ground/tm-frame.ts";
import { parseAosHeader } from "../../../host/ground/aos-frame.ts";
import { crc16 } from "../../../host/ground/crc16.ts";
import { LinkDecoder, type LinkConfig, type LinkStats } from "../../../host/ground/link-decoder.ts";
import { PacketExtractor, type PacketErrorReason, type SpacePacket } from "../../../host/ground/packets.ts";
import { FrameSync } from "../../../host/ground/frame-sync.ts";
import { decodeHousekeeping, HousekeepingError } from "../../../host/ground/housekeeping.ts";
import { CONTRACT, HK_VERSION } from "../../../host/contract/contract.gen.ts";

test("[132.0-B-3 §4.1.2.7] TM data field status: secondary header, synchronisation, packet order flags, segment length id and FHP each at its bit", () => {
  const h = (w2: number) => parseTmHeader(new Uint8Array([0x0a, 0xb2, 0x10, 0x20, w2 >>> 8, w2 & 0xff]));
  const base = h(0x1800 | 0x123);                                   // segment length id 11, FHP 0x123
  assert.deepEqual([base.secHdrFlag, base.syncFlag, base.packetOrderFlag, base.segLenId, base.fhp], [false, false, false, 3, 0x123]);
  assert.deepEqual([base.version, base.scid, base.vcid, base.ocfFlag, base.mcCount, base.vcCount], [0, 0x0ab, 1, false, 0x10, 0x20]);
  const sync = h(0x4000 | 0x1800);                                  // bit 14: synchronisation flag only
  assert.deepEqual([sync.secHdrFlag, sync.syncFlag, sync.packetOrderFlag], [false, true, false]);
  const order = h(0x2000 | 0x1800);                                 // bit 13: packet order flag only
  assert.deepEqual([order.secHdrFlag, order.syncFlag, order.packetOrderFlag], [false, false, true]);
  const sec = h(0x8000 | 0x1800);                                   // bit 15: secondary header flag only
  assert.deepEqual([sec.secHdrFlag, sec.syncFlag, sec.packetOrderFlag], [true, false, false]);
});

test("[732.0-B-4 §4.1.2.5] AOS signalling field: with the VC frame count cycle in use the count has 28 bits; replay flag at bit 7", () => {
  const plain = parseAosHeader(new Uint8Array([0x40 | 0x2a, 0x45, 0xff, 0xff, 0xfe, 0x00]));
  assert.deepEqual([plain.version, plain.scid, plain.vcid, plain.vcCount, plain.vcCountBits, plain.replay], [1, 0xa9, 5, 0xfffffe, 24, false]);
  const cycle = parseAosHeader(new Uint8Array([0x40 | 0x2a, 0x45, 0xff, 0xff, 0xfe, 0x40 | 0x5]));
  assert.equal(cycle.vcCountBits, 28);
  assert.equal(cycle.vcCount, 5 * 0x1000000 + 0xfffffe);
  const replay = parseAosHeader(new Uint8Array([0x40, 0x00, 0, 0, 0, 0x80]));
  assert.deepEqual([replay.replay, replay.vcCountBits], [true, 24]);
});

// Small hand-made links: uncoded, not randomized, FECF on; each CADU is ASM ‖ frame.
const ASM = [0x1a, 0xcf, 0xfc, 0x1d];
function withFecf(frame: Uint8Array): Uint8Array {
  const c = crc16(frame, 0, frame.length - 2);
  frame[frame.length - 2] = c >>> 8; frame[frame.length - 1] = c & 0xff;
  return frame;
}
/** A TM frame of `len` octets: version, SCID 0x0ab, VC `vc`, counts, data field status word w2, zone filled by `zone`. */
function tmFrame(len: number, o: { version?: number; vc?: number; mc: number; vcCount: number; w2: number; zone?: Uint8Array }): Uint8Array {
  const f = new Uint8Array(len);
  const w0 = ((o.version ?? 0) << 14) | (0x0ab << 4) | ((o.vc ?? 1) << 1);
  f[0] = w0 >>> 8; f[1] = w0 & 0xff; f[2] = o.mc; f[3] = o.vcCount; f[4] = o.w2 >>> 8; f[5] = o.w2 & 0xff;
  if (o.zone) f.set(o.zone, 6);
  return withFecf(f);
}
function decode(cfg: LinkConfig, frames: Uint8Array[], onPacket?: (p: SpacePacket) => void): LinkStats {
  const d = new LinkDecoder(cfg, { onPacket });
  for (const f of frames) d.push(new Uint8Array([...ASM, ...f]));
  d.end();
  return d.stats;
}
const TM: LinkConfig = { frameType: "tm", frameLen: 64, rsE: 0, rsDepth: 1, randomizer: false, fecf: true, ocf: false };
/** A space packet: version `v`, APID, sequence count, data field of n octets. */
function packet(apid: number, seq: number, n: number, v = 0): Uint8Array {
  const p = new Uint8Array(6 + n);
  p[0] = (v << 5) | (apid >>> 8); p[1] = apid & 0xff; p[2] = 0xc0 | (seq >>> 8); p[3] = seq & 0xff; p[4] = (n - 1) >>> 8; p[5] = (n - 1) & 0xff;
  for (let i = 0; i < n; i++) p[6 + i] = i;
  return p;
}

test("[132.0-B-3 §4.1.2.2.2] a TM frame whose version is not '00' is dropped as a bad header; the next good frame decodes", () => {
  const zone = new Uint8Array(56); zone.set(packet(0x20, 0, 50));
  const s = decode(TM, [tmFrame(64, { version: 1, mc: 0, vcCount: 0, w2: 0x1800, zone }), tmFrame(64, { mc: 1, vcCount: 1, w2: 0x1800, zone })]);
  assert.equal(s.framesBadHeader, 1);
  assert.equal(s.framesGood, 1);
  assert.equal(s.packets, 1);
});

test("[732.0-B-4 §4.1.2.2.2] an AOS frame whose version is not '01' is dropped as a bad header", () => {
  const aos: LinkConfig = { frameType: "aos", frameLen: 64, rsE: 0, rsDepth: 1, randomizer: false, fecf: true, ocf: false };
  const frame = (version: number) => {
    const f = new Uint8Array(64);
    const w0 = (version << 14) | (0x2a << 6) | 5;
    f[0] = w0 >>> 8; f[1] = w0 & 0xff; f[8] = 0x07; f[9] = 0xff;       // M_PDU: no packet starts here
    return withFecf(f);
  };
  const s = decode(aos, [frame(0), frame(1)]);
  assert.equal(s.framesBadHeader, 1);
  assert.equal(s.framesGood, 1);
});

test("[132.0-B-3 §4.1.3] a TM frame whose secondary header leaves no data field is dropped as a bad header", () => {
  // 64 octets: 6 header + secondary header of 56 (length field 55) + 2 FECF: nothing left.
  const f = tmFrame(64, { mc: 0, vcCount: 0, w2: 0x8000 | 0x1800, zone: new Uint8Array([55]) });
  const s = decode(TM, [f]);
  assert.equal(s.framesBadHeader, 1);
  assert.equal(s.framesGood, 0);
});

test("[133.0-B-2 §4.1.3.4.3] packet sequence gaps are counted modulo 16384 (a jump of 9000 is 8999 lost)", () => {
  const z1 = new Uint8Array(56); z1.set(packet(0x20, 0, 50));
  const z2 = new Uint8Array(56); z2.set(packet(0x20, 9000, 50));
  const s = decode(TM, [tmFrame(64, { mc: 0, vcCount: 0, w2: 0x1800, zone: z1 }), tmFrame(64, { mc: 1, vcCount: 1, w2: 0x1800, zone: z2 })]);
  assert.equal(s.packets, 2);
  assert.equal(s.packetSeqGaps, 8999);
});

function extractor(max = 100) {
  const got: SpacePacket[] = [], errors: [PacketErrorReason, number, number][] = [];
  const x = new PacketExtractor(1, max, (p) => got.push({ ...p, raw: p.raw.slice(), data: p.data.slice() }), (r, apid, n) => errors.push([r, apid, n]));
  return { x, got, errors };
}

test("[133.0-B-2 §4.1.3.2] a packet whose version is not '000' is refused (bad-version), the rest of its frame skipped", () => {
  const { x, got, errors } = extractor();
  const zone = new Uint8Array(40); zone.set(packet(0x21, 0, 10, 1)); zone.set(packet(0x22, 0, 10), 16);
  x.frame(zone, 0);
  assert.deepEqual(errors.map((e) => e[0]), ["bad-version"]);
  assert.equal(got.length, 0);
});

test("[133.0-B-2 §4.1.3.5] a packet exactly at the longest length configured is accepted; one octet longer is refused", () => {
  const a = extractor(40);
  const zone = new Uint8Array(48); zone.set(packet(0x21, 0, 34));   // 40 octets
  a.x.frame(zone.subarray(0, 40), 0);
  assert.equal(a.got.length, 1);
  assert.deepEqual(a.errors, []);
  const b = extractor(39);
  b.x.frame(zone.subarray(0, 40), 0);
  assert.equal(b.got.length, 0);
  assert.deepEqual(b.errors.map((e) => e[0]), ["impossible-length"]);
});

test("[132.0-B-3 §4.1.2.7.6] a first header pointer equal to the zone length is beyond it (bad-fhp); one less is a packet start", () => {
  const a = extractor();
  a.x.frame(new Uint8Array(20), 20);
  assert.deepEqual(a.errors.map((e) => e[0]), ["bad-fhp"]);
  const b = extractor();
  const zone = new Uint8Array(30); zone.set(packet(0x21, 0, 4), 19);  // 10 octets from 19: continues
  b.x.frame(zone.subarray(0, 20), 19);
  assert.deepEqual(b.errors, []);
});

test("[132.0-B-3 §4.1.2.7.6.5] an idle-only frame (FHP 0x7FE) inside a packet ends it as an FHP mismatch, not a bad pointer", () => {
  const { x, got, errors } = extractor();
  const zone = new Uint8Array(20); zone.set(packet(0x21, 0, 30).subarray(0, 20));   // a 36-octet packet starts
  x.frame(zone, 0);
  x.frame(new Uint8Array(20), 0x7fe);
  assert.equal(got.length, 0);
  assert.deepEqual(errors.map((e) => [e[0], e[2]]), [["fhp-mismatch", 20]]);
});

test("[132.0-B-3 §4.1.2.7.6] a packet ending exactly at the end of the zone is delivered with its frame, not held for the next", () => {
  const { x, got, errors } = extractor();
  x.frame(packet(0x21, 0, 14), 0);                                  // 20 octets in a 20-octet zone
  assert.equal(got.length, 1);
  assert.equal(got[0].raw.length, 20);
  x.end();
  assert.deepEqual(errors, []);
});

test("[tengri §contract] housekeeping: a data field with another time code (P-field ≠ 0x1E, above or below) or another version is refused, typed", () => {
  const version = CONTRACT.housekeeping.fields.find((f) => f.name === "version")!.offset as number;
  const good = new Uint8Array(200); good[0] = 0x1e; good[version] = HK_VERSION;
  assert.equal(decodeHousekeeping(good).version, HK_VERSION);
  for (const p of [0x1d, 0x1f]) {
    const b = good.slice(); b[0] = p;
    assert.throws(() => decodeHousekeeping(b), (e: unknown) => e instanceof HousekeepingError && e.reason === "time-code");
  }
  const v = good.slice(); v[version] = HK_VERSION + 1;
  assert.throws(() => decodeHousekeeping(v), (e: unknown) => e instanceof HousekeepingError && e.reason === "version");
});

/** CADUs of `cb` octets (codeblock all 0x00, no ASM inside), the ASM of those in `bad` zeroed. */
function cadus(n: number, cb: number, bad: Set<number>, insertAfter = -1, insert = 0): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(...(bad.has(i) ? [0, 0, 0, 0] : ASM), ...new Array(cb).fill(0x55));
    if (i === insertAfter) out.push(...new Array(insert).fill(0));
  }
  return Uint8Array.from(out);
}
function sync(stream: Uint8Array, cb: number) {
  const fs = new FrameSync(cb, () => {}, () => {});
  fs.push(stream); fs.end();
  return fs.stats;
}

test("[131.0-B-5 §9] flywheel: up to 3 consecutive missing markers are bridged (CADUs still emitted); the 4th with no marker ahead loses lock", () => {
  // Markers 3..6 destroyed: misses 1, 2, 3 (no marker one CADU ahead), then marker 7 is ahead: bridged.
  const a = sync(cadus(12, 60, new Set([3, 4, 5, 6])), 60);
  assert.deepEqual([a.cadus, a.flywheels, a.syncLosses], [12, 4, 0]);
  // Markers 3..8 destroyed: the 4th consecutive miss with none ahead loses lock, regained at marker 9.
  const b = sync(cadus(12, 60, new Set([3, 4, 5, 6, 7, 8])), 60);
  assert.equal(b.syncLosses, 1);
  assert.equal(b.flywheels, 3);
});

test("[131.0-B-5 §9] a slip of exactly 16 bits (the largest followed) keeps lock; the CADUs after it are found", () => {
  const s = sync(cadus(10, 60, new Set(), 4, 2), 60);
  assert.deepEqual([s.cadus, s.bitSlips, s.syncLosses, s.flywheels], [10, 1, 0, 0]);
});
