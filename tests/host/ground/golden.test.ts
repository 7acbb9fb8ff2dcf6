import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { LinkDecoder, type LinkConfig, type SpacePacket } from "../../../host/ground/link-decoder.ts";

const shared = process.env.TENGRI_SHARED ?? fileURLToPath(new URL("../../../../shared", import.meta.url));
const dir = join(shared, "vectors", "framing");
const skip = existsSync(dir) ? false : `shared vectors not found at ${dir}`;

const TM223: LinkConfig = { frameType: "tm", frameLen: 223, rsE: 16, rsDepth: 1, randomizer: true, fecf: true, ocf: false };
const AOS892: LinkConfig = { frameType: "aos", frameLen: 892, rsE: 16, rsDepth: 4, randomizer: true, fecf: false, ocf: false };

function decode(name: string, cfg: LinkConfig, chunk: number) {
  const cadu = readFileSync(join(dir, `${name}.cadu`));
  const frames: Uint8Array[] = [], packets: SpacePacket[] = [];
  const d = new LinkDecoder(cfg, { onFrame: (f) => frames.push(f.frame.slice()), onPacket: (p) => packets.push({ ...p, raw: p.raw.slice(), data: p.data.slice() }) });
  for (let i = 0; i < cadu.length; i += chunk) d.push(cadu.subarray(i, i + chunk));
  d.end();
  return { frames, packets, stats: d.stats, expected: new Uint8Array(readFileSync(join(dir, `${name}.frame`))) };
}

for (const chunk of [1, 7, 4096]) {
  test(`[131.0-B-5 §4.3] golden A (TM, I=1) decodes to its .frame bit-exact, chunks of ${chunk}`, { skip }, () => {
    const r = decode("golden_A_tm_I1", TM223, chunk);
    assert.equal(r.frames.length, 1);
    assert.deepEqual(r.frames[0], r.expected);
    assert.equal(r.stats.rsCodewordsOk, 1);
    assert.equal(r.stats.garbageBytes, 0);
    // The packet: APID 0x010, secondary header flag, unsegmented, count 0, length field 0x00D0
    // (the bytes say 209 data octets 00..D0; the vectors README's "215 → 216" does not match them).
    assert.equal(r.packets.length, 1);
    const p = r.packets[0];
    assert.equal(p.apid, 0x010); assert.equal(p.secHdr, true); assert.equal(p.seqFlags, 3); assert.equal(p.seqCount, 0); assert.equal(p.type, 0);
    assert.equal(p.data.length, 0xd0 + 1);
    assert.deepEqual(p.data, new Uint8Array(0xd1).map((_, i) => i));
    assert.deepEqual(p.raw, r.expected.subarray(6, 6 + 6 + 0xd1));
  });
}

test("[732.0-B-4 §4.1.4.2] golden B (AOS, I=4, 892 octets) decodes to its .frame; its one idle packet is counted and discarded", { skip }, () => {
  const r = decode("golden_B_aos_I4_L892", AOS892, 1);
  assert.equal(r.frames.length, 1);
  assert.deepEqual(r.frames[0], r.expected);
  assert.equal(r.stats.rsCodewordsOk, 4);
  assert.equal(r.packets.length, 0);
  assert.equal(r.stats.idlePackets, 1);
  const vc = r.stats.perVc.get(16);
  assert.equal(vc?.frames, 1);
});

test("[132.0-B-3 §4.1.2.7.6.5] golden C (TM idle frame, FHP 0x7FE) decodes to its .frame and counts as idle", { skip }, () => {
  const r = decode("golden_C_tm_idle_I1", TM223, 1);
  assert.deepEqual(r.frames[0], r.expected);
  assert.equal(r.stats.idleFrames, 1);
  assert.equal(r.stats.perVc.get(7)?.idleFrames, 1);
  assert.equal(r.packets.length, 0);
  assert.equal(r.stats.packetErrors["fhp-mismatch"] + r.stats.packetErrors["bad-fhp"], 0);
});

test("[131.0-B-5 §4.3.10] golden CADUs back to back, with errors in the codeblocks, all decode", { skip }, () => {
  const a = readFileSync(join(dir, "golden_A_tm_I1.cadu")), c = readFileSync(join(dir, "golden_C_tm_idle_I1.cadu"));
  const s = Buffer.concat([a, c, a]);
  for (let i = 0; i < 16; i++) s[10 + i * 3] ^= 0x5a; // 16 symbol errors in the first codeword
  const frames: number[] = [];
  const d = new LinkDecoder(TM223, { onFrame: (f) => frames.push(f.vcid) });
  d.push(s);
  d.end();
  assert.deepEqual(frames, [1, 7, 1]);
  assert.equal(d.stats.rsSymbolsCorrected, 16);
  assert.equal(d.stats.rsCodewordsCorrected, 1);
});
