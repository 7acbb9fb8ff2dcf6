import { test } from "node:test";
import assert from "node:assert/strict";
import { LinkDecoder, type LinkConfig, type LinkEvent } from "../../../host/ground/link-decoder.ts";
import { LinkBuilder, makePacket, concat, rng, slipBits } from "./link-builder.ts";

const TM1115: LinkConfig = { frameType: "tm", frameLen: 1115, rsE: 16, rsDepth: 5, randomizer: true, fecf: true, ocf: false };
const AOS892: LinkConfig = { frameType: "aos", frameLen: 892, rsE: 16, rsDepth: 4, randomizer: true, fecf: false, ocf: false };

interface Sent { cadus: Uint8Array[]; packets: Uint8Array[]; frames: Uint8Array[]; packetFrames: number[][] }

/** nFrames frames on VC 1 carrying packets of random lengths (some spanning several frames). */
function build(cfg: LinkConfig, nFrames: number, seed: number, opts: ConstructorParameters<typeof LinkBuilder>[1] = {}, maxLen = 3000): Sent & { b: LinkBuilder } {
  const r = rng(seed), b = new LinkBuilder(cfg, opts);
  const packets: Uint8Array[] = [];
  const seq = [16380, 16381, 16382];
  const cadus: Uint8Array[] = [], frames: Uint8Array[] = [];
  const packetFrames: number[][] = [];
  let queued = 0; // absolute bytes queued on VC 1
  const startsAt: number[] = [];
  while (queued < nFrames * b.zoneLen + 4000) {
    const len = 1 + Math.floor(r() * maxLen);
    const p = makePacket(0x100 + (packets.length % 3), seq[packets.length % 3]++ & 0x3fff, new Uint8Array(len).map(() => (r() * 256) | 0), { secHdr: true });
    startsAt.push(queued);
    b.addPacket(1, p);
    packets.push(p);
    queued += p.length;
  }
  for (let i = 0; i < nFrames; i++) {
    const f = b.frame(1);
    frames.push(f);
    cadus.push(b.cadu(f));
  }
  // Frames each packet touches (zone z covers bytes [z·Z, (z+1)·Z) of the VC stream).
  for (let i = 0; i < packets.length; i++) {
    const s = startsAt[i], e = s + packets[i].length - 1, Z = b.zoneLen;
    packetFrames.push([Math.floor(s / Z), Math.floor(e / Z)]);
  }
  return { cadus, packets, frames, packetFrames, b };
}

function run(cfg: LinkConfig, stream: Uint8Array, chunk = 65536) {
  const packets: Uint8Array[] = [], events: LinkEvent[] = [], frames: Uint8Array[] = [];
  const d = new LinkDecoder(cfg, { onPacket: (p) => packets.push(p.raw.slice()), onEvent: (e) => events.push(e), onFrame: (f) => frames.push(f.frame.slice()) });
  for (let i = 0; i < stream.length; i += chunk) d.push(stream.subarray(i, i + chunk));
  d.end();
  return { packets, events, frames, stats: d.stats };
}

/** Packets wholly inside frames [0, n) (the rest is still in flight at the end of the stream). */
function complete(s: Sent, n: number, skip: (i: number) => boolean = () => false): Uint8Array[] {
  return s.packets.filter((_, i) => s.packetFrames[i][1] < n && !skip(i));
}

test("[132.0-B-3 §4.1.2.7.6] TM I=5 stream: packets spanning frames reassembled bit-exact, 1-byte chunks", () => {
  const s = build(TM1115, 12, 1);
  const r = run(TM1115, concat(s.cadus), 1);
  assert.equal(r.stats.cadus, 12);
  assert.equal(r.stats.framesGood, 12);
  assert.deepEqual(r.frames, s.frames);
  assert.deepEqual(r.packets, complete(s, 12));
  assert.equal(r.stats.packetSeqGaps, 0, "14-bit packet sequence count wraps without a false gap");
  assert.equal(r.stats.perVc.get(1)?.gapFrames, 0);
  assert.equal(r.stats.truncatedCadus, 0);
});

test("[732.0-B-4 §4.1.2.4] AOS 24-bit VC count wraps around without a false gap; packets intact", () => {
  const s = build(AOS892, 10, 2, { vcCounts: { 1: 0xfffffa } });
  const r = run(AOS892, concat(s.cadus), 333);
  assert.equal(r.stats.perVc.get(1)?.gapFrames, 0);
  assert.equal(r.stats.perVc.get(1)?.frames, 10);
  assert.deepEqual(r.packets, complete(s, 10));
});

test("[132.0-B-3 §4.1.2.5] TM 8-bit MC and VC counts wrap around without a false gap", () => {
  const s = build({ ...TM1115, rsDepth: 5 }, 12, 3, { mcCount: 250, vcCounts: { 1: 251 } });
  const r = run(TM1115, concat(s.cadus));
  assert.equal(r.stats.mcGapFrames, 0);
  assert.equal(r.stats.perVc.get(1)?.gapFrames, 0);
  assert.deepEqual(r.packets, complete(s, 12));
});

test("[132.0-B-3 §4.1.2.6] a dropped CADU gives a VC gap of exactly 1 and loses only the packets that touch it", () => {
  const s = build(TM1115, 12, 4, {}, 1500);
  const dropped = 5;
  const stream = concat(s.cadus.filter((_, i) => i !== dropped));
  const r = run(TM1115, stream);
  assert.equal(r.stats.perVc.get(1)?.gapFrames, 1);
  assert.equal(r.stats.mcGapFrames, 1);
  const gaps = r.events.filter((e) => e.kind === "vc-gap");
  assert.equal(gaps.length, 1);
  assert.equal(gaps[0].count, 1);
  // Lost: packets touching the dropped frame; the one spanning into it is reported lost.
  const touches = (i: number) => s.packetFrames[i][0] <= dropped && s.packetFrames[i][1] >= dropped;
  assert.deepEqual(r.packets, complete(s, 12, touches));
  assert.ok(r.stats.packetErrors["lost-in-gap"] >= 1);
});

test("[131.0-B-5 §4.3.5] burst errors within I·E octets of a codeblock are corrected", () => {
  const s = build(TM1115, 6, 5);
  const stream = concat(s.cadus);
  const cadu = 4 + 1115 + 5 * 32;
  const r0 = rng(9);
  for (let k = 0; k < 6; k++) {
    const start = k * cadu + 4 + Math.floor(r0() * (cadu - 4 - 80));
    for (let i = 0; i < 80; i++) stream[start + i] ^= 1 + Math.floor(r0() * 255); // 80 = I·E
  }
  const r = run(TM1115, stream);
  assert.equal(r.stats.rsCodewordsUncorrectable, 0);
  assert.equal(r.stats.rsSymbolsCorrected, 6 * 80);
  assert.deepEqual(r.frames, s.frames);
});

test("[131.0-B-5 §4.3.10] bit slips (inserted and deleted bits) and garbage between CADUs: resync, later CADUs decode", () => {
  const s = build(TM1115, 10, 6);
  const L = s.cadus[0].length;
  let stream = concat([s.cadus[0], s.cadus[1], s.cadus[2], new Uint8Array(37).fill(0x1a), ...s.cadus.slice(3)]);
  // A 3-bit slip inside CADU 4's codeblock, then a 2-bit deletion inside CADU 7.
  stream = slipBits(stream, (3 * L + 37 + L + 100) * 8 + 3, 3);
  stream = slipBits(stream, (3 * L + 37 + 4 * L + 200) * 8 + 1, -2);
  const r = run(TM1115, stream, 1000);
  assert.equal(r.stats.garbageBytes, 37);
  assert.equal(r.stats.bitSlips, 2);
  assert.equal(r.stats.syncLosses, 0);
  // CADUs 4 and 7 carry the slips: they fail RS and are dropped; the other 8 decode.
  assert.equal(r.stats.framesGood, 8);
  assert.deepEqual(r.frames, s.frames.filter((_, i) => i !== 4 && i !== 7));
  assert.equal(r.stats.rsCodewordsUncorrectable > 0, true);
});

test("[131.0-B-5 §4.3.10] ASM search at every bit offset; ASM with 2 bit errors accepted when locked", () => {
  const s = build(AOS892, 4, 7);
  for (let shift = 1; shift < 8; shift++) {
    const stream = concat(s.cadus);
    stream[4 + 1024 * 2 - 4] ^= 0x81; // 2 bit errors in the third ASM
    const slipped = slipBits(concat([new Uint8Array([0x55, 0xaa]), stream]), 0, shift);
    const r = run(AOS892, slipped, 97);
    assert.equal(r.stats.framesGood, 4, `shift ${shift}`);
    assert.equal(r.stats.asmBitErrors, 2);
    assert.equal(r.stats.garbageBytes, shift === 0 ? 2 : Math.ceil((16 + shift) / 8));
  }
});

test("truncated stream: the partial CADU and the packet in progress are reported", () => {
  const s = build(TM1115, 4, 8, {}, 5000);
  const stream = concat(s.cadus);
  const r = run(TM1115, stream.subarray(0, stream.length - 500));
  assert.equal(r.stats.truncatedCadus, 1);
  assert.equal(r.stats.framesGood, 3);
  assert.ok(r.events.some((e) => e.kind === "truncated-cadu"));
  assert.equal(r.stats.packetErrors.truncated, 1);
});

test("[131.0-B-5 §4.3.10] a flywheel CADU with a destroyed ASM is still decoded; long garbage loses lock and re-acquires", () => {
  const s = build(TM1115, 8, 9);
  const stream = concat(s.cadus);
  const L = s.cadus[0].length;
  stream.fill(0, 3 * L, 3 * L + 4); // ASM of CADU 3 wiped
  const r = run(TM1115, stream);
  assert.equal(r.stats.flywheels, 1);
  assert.equal(r.stats.framesGood, 8);
  const junk = new Uint8Array(5 * L).map((_, i) => (i * 97 + 13) & 255);
  const r2 = run(TM1115, concat([...s.cadus.slice(0, 3), junk, ...s.cadus.slice(3)]));
  assert.equal(r2.stats.framesGood, 8);
  assert.equal(r2.stats.syncLosses, 1);
  // The junk is either flywheeled through (and rejected by RS) or skipped as garbage.
  assert.equal(r2.stats.garbageBytes + r2.stats.flywheels * L, 5 * L);
  assert.equal(r2.stats.framesDropped, r2.stats.flywheels);
});

test("[132.0-B-3 §4.1.6] a frame with a bad FECF is dropped and counted", () => {
  const cfg: LinkConfig = { ...TM1115, rsE: 0, randomizer: false };
  const s = build(cfg, 3, 10);
  s.cadus[1][100] ^= 1;
  const r = run(cfg, concat(s.cadus));
  assert.equal(r.stats.framesBadFecf, 1);
  assert.equal(r.stats.framesGood, 2);
  assert.ok(r.events.some((e) => e.kind === "fecf-bad"));
});

test("[132.0-B-3 §4.1.2.7.6] inconsistent FHP: reported, decoding resynchronises on the next pointer", () => {
  const cfg: LinkConfig = { ...TM1115, rsE: 0, randomizer: false };
  const s = build(cfg, 8, 11, {}, 400);
  // Frame 3's FHP made to point 5 octets later than the real packet start.
  const f = s.frames[3];
  const fhp = ((f[4] << 8) | f[5]) & 0x7ff;
  assert.ok(fhp < 0x7fe);
  const w = ((f[4] << 8) | f[5]) + 5;
  f[4] = w >>> 8; f[5] = w & 255;
  s.b.refreshFecf(f);
  s.cadus[3] = s.b.cadu(f);
  const r = run(cfg, concat(s.cadus));
  assert.ok(r.stats.packetErrors["fhp-mismatch"] >= 1);
  // Only the packets touching frame 3 are lost; decoding resumes at frame 4's pointer.
  assert.deepEqual(r.packets, complete(s, 8, (i) => s.packetFrames[i][0] <= 3 && s.packetFrames[i][1] >= 3));
});

test("[133.0-B-2 §4.1.3.5] impossible packet lengths and bad versions are reported and skipped", () => {
  const cfg: LinkConfig = { ...TM1115, rsE: 0, randomizer: false, maxPacketLen: 2048 };
  const b = new LinkBuilder(cfg);
  b.addPacket(1, makePacket(0x20, 0, new Uint8Array(100)));
  b.addPacket(1, makePacket(0x21, 0, new Uint8Array(5000))); // longer than maxPacketLen
  const f0 = b.frame(1), f1 = b.frame(1), f2 = b.frame(1), f3 = b.frame(1), f4 = b.frame(1), f5 = b.frame(1);
  b.addPacket(1, makePacket(0x22, 0, new Uint8Array(50)));
  const f6 = b.frame(1);
  // A frame whose first packet has version 7.
  const f7 = b.frame(1);
  f7[6] |= 0xe0;
  b.refreshFecf(f7);
  const r = run(cfg, concat([f0, f1, f2, f3, f4, f5, f6, f7].map((f) => b.cadu(f))));
  assert.equal(r.stats.packetErrors["impossible-length"], 1);
  assert.equal(r.stats.packetErrors["bad-version"], 1);
  assert.deepEqual([...r.stats.packetsPerApid.keys()].sort(), [0x20, 0x22]);
});

test("[732.0-B-4 §4.1.2.3] AOS idle frames (VCID 63), OCF and insert zone; VC demultiplexing", () => {
  const cfg: LinkConfig = { frameType: "aos", frameLen: 892, rsE: 8, rsDepth: 4, randomizer: true, fecf: true, ocf: true, aosInsertZoneLen: 3 };
  const b = new LinkBuilder(cfg, { ocfValue: 0xdeadbeef });
  const sent = new Map<number, Uint8Array[]>();
  const frames: Uint8Array[] = [];
  for (let i = 0; i < 9; i++) {
    const vc = i % 3 === 2 ? 63 : 1 + (i % 3);
    if (vc === 63) { frames.push(b.idleFrame()); continue; }
    const p = makePacket(0x40 + vc, i, new Uint8Array(200 + i).fill(i));
    b.addPacket(vc, p);
    if (!sent.has(vc)) sent.set(vc, []);
    sent.get(vc)!.push(p);
    frames.push(b.frame(vc));
  }
  const ocfs: number[] = [];
  const got: { vcid: number; raw: Uint8Array }[] = [];
  const d = new LinkDecoder(cfg, { onFrame: (f) => ocfs.push(f.ocf), onPacket: (p) => got.push({ vcid: p.vcid, raw: p.raw.slice() }) });
  d.push(concat(frames.map((f) => b.cadu(f))));
  d.end();
  assert.equal(d.stats.idleFrames, 3);
  assert.equal(d.stats.perVc.get(63)?.idleFrames, 3);
  assert.ok(ocfs.every((o) => o === 0xdeadbeef));
  for (const [vc, ps] of sent) assert.deepEqual(got.filter((g) => g.vcid === vc).map((g) => g.raw), ps);
  assert.equal(d.stats.perVc.get(1)?.gapFrames, 0);
});

test("[131.0-B-5 §4.3.7] shortened codes: TM 892-octet frames with E=8, I=4 and 223-octet frames with I=2", () => {
  for (const cfg of [
    { frameType: "tm", frameLen: 892, rsE: 8, rsDepth: 4, randomizer: true, fecf: true, ocf: false },
    { frameType: "tm", frameLen: 224, rsE: 16, rsDepth: 2, randomizer: false, fecf: true, ocf: false },
    { frameType: "tm", frameLen: 1000, rsE: 16, rsDepth: 8, randomizer: true, fecf: true, ocf: false },
  ] as LinkConfig[]) {
    const s = build(cfg, 6, 12, { tmOcf: true }, 600);
    const stream = concat(s.cadus);
    const r0 = rng(3);
    for (let i = 0; i < 40; i++) stream[4 + Math.floor(r0() * (stream.length - 4))] ^= 0x10;
    const r = run(cfg, stream, 61);
    assert.deepEqual(r.frames, s.frames.filter((_, i) => r.events.every((e) => !(e.kind === "rs-uncorrectable" && e.cadu === i))));
    assert.ok(r.stats.framesGood >= 5);
  }
});

test("[131.0-B-5 §4.3.7] configuration errors name the field", () => {
  assert.throws(() => new LinkDecoder({ ...TM1115, rsDepth: 6 }), (e: any) => e.name === "LinkConfigError" && e.field === "rsDepth");
  assert.throws(() => new LinkDecoder({ ...TM1115, frameLen: 1116 }), (e: any) => e.field === "frameLen");
  assert.throws(() => new LinkDecoder({ ...TM1115, rsDepth: 4 }), (e: any) => e.field === "frameLen");
  assert.throws(() => new LinkDecoder({ ...TM1115, rsE: 4 as 8 }), (e: any) => e.field === "rsE");
});
