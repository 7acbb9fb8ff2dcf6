// Ground reconstruction of the cloud-screening products from packets built by hand from the
// documented layouts (README, "Cloud screening products"), the mask coded by Debian's libaec
// when present (else by the flight coder), independently of the flight pipeline.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ScreeningGround, decodeTileStats, TILE_STATS_FIXED, ScreeningPacketError } from "../../../host/ground/screening.ts";
import { UNIT_HDR_LEN } from "../../../host/ground/image.ts";
import { aec121Decode, aec121DecodeUnit, Aec121DecodeError } from "../../../host/ground/aec121-decoder.ts";
import { loadFlightLib } from "../../../host/obc/lib.ts";

function statsPacket(o: { row: number; line: number; lines: number; x0: number; count: number; counts: number[]; decision: number; thumb?: Uint8Array }): Uint8Array {
  const d = new Uint8Array(TILE_STATS_FIXED + (o.thumb?.length ?? 0));
  const dv = new DataView(d.buffer);
  d[0] = 0x1e; dv.setUint32(1, 2_100_000_000); dv.setUint16(5, 0x8000);
  dv.setUint32(7, o.row); dv.setUint32(11, o.line); dv.setUint16(15, o.lines); dv.setUint16(17, o.x0); dv.setUint16(19, o.count);
  o.counts.forEach((c, i) => dv.setUint32(21 + 4 * i, c)); // clear, cloud, uncertain, saturated, missing, unjudged, bright not cloud
  d[49] = o.decision; d[50] = 0; d[51] = 8; d[52] = 4;
  if (o.thumb) d.set(o.thumb, TILE_STATS_FIXED);
  return d;
}

test("tile statistics decode field by field; a dropped tile carries its thumbnail; a bad decision is a typed error", () => {
  const thumb = new Uint8Array(4 * 8 * 8).map((_, i) => i & 0xff);
  const t = decodeTileStats(statsPacket({ row: 3, line: 192, lines: 64, x0: 128, count: 64, counts: [100, 3890, 96, 0, 0, 0, 10], decision: 2, thumb }));
  assert.deepEqual([t.tileRow, t.firstLine, t.lines, t.firstPixel, t.count, t.clear, t.cloud, t.uncertain, t.bright], [3, 192, 64, 128, 64, 100, 3890, 96, 10]);
  assert.equal(t.decision, "drop");
  assert.deepEqual(t.thumbnail, thumb);
  const bad = statsPacket({ row: 0, line: 0, lines: 64, x0: 0, count: 64, counts: [0, 0, 0, 0, 0, 0], decision: 7 });
  assert.throws(() => decodeTileStats(bad), (e: unknown) => e instanceof ScreeningPacketError && e.reason === "decision");
  assert.throws(() => decodeTileStats(bad.subarray(0, 20)), (e: unknown) => e instanceof ScreeningPacketError && e.reason === "short");
});

test("decisions cover their tile's pixels; the summary counts tiles, cloud fraction and dropped pixels", () => {
  const g = new ScreeningGround(64);
  g.addStats(statsPacket({ row: 0, line: 0, lines: 64, x0: 0, count: 64, counts: [4096, 0, 0, 0, 0, 0], decision: 0 }));
  g.addStats(statsPacket({ row: 0, line: 0, lines: 64, x0: 64, count: 64, counts: [0, 4096, 0, 0, 0, 0], decision: 2 }));
  g.addStats(statsPacket({ row: 1, line: 64, lines: 64, x0: 0, count: 64, counts: [1024, 1024, 1024, 0, 0, 0, 1024], decision: 1 }));
  assert.equal(g.decisionAt(10, 70)?.decision, "drop");
  assert.equal(g.decisionAt(10, 5)?.decision, "keep");
  assert.equal(g.decisionAt(100, 5)?.decision, "degrade");
  assert.equal(g.decisionAt(200, 5), undefined);
  const s = g.end();
  assert.deepEqual([s.tiles, s.kept, s.degraded, s.dropped, s.droppedPixels], [3, 1, 1, 1, 4096]);
  assert.equal(s.cloudFraction, (4096 + 1024) / (4096 * 3));
  assert.equal(s.brightFraction, 1024 / (4096 * 3));
});

test("[121.0-B-3 §5] the class mask unit (2-bit samples: 1 cloud, 2 bright not cloud) decodes, and its counts agree with the statistics only when both classes match", () => {
  const W = 64, L = 8, n = W * L;
  const mask = new Uint8Array(n).map((_, i) => ((i % W) < 20 ? 1 : (i % W) < 50 ? 2 : 0));
  const lib = loadFlightLib(); const x = lib.exports;
  const st = lib.alloc(x.aec121StateLen()), src = lib.alloc(2 * n), out = lib.alloc(65536);
  x.aec121Init(st, 2, 16, 128, 8 | 16);
  new Uint16Array(lib.memory.buffer, src, n).set(mask);
  const coded = lib.u8().slice(out, out + x.aec121EncodeUnit(st, src, n, out, 65536));
  const hdr = new Uint8Array(UNIT_HDR_LEN);
  const dv = new DataView(hdr.buffer);
  hdr[0] = 0x1e; dv.setUint32(7, 0); dv.setUint16(11, L); dv.setUint16(13, 0); dv.setUint16(15, W);
  hdr[17] = 2; hdr[18] = 2; hdr[19] = 16; hdr[20] = 8 | 16; dv.setUint16(21, 128); dv.setUint32(23, 0); hdr[27] = 0;
  const pkt = new Uint8Array(UNIT_HDR_LEN + coded.length);
  pkt.set(hdr); pkt.set(coded, UNIT_HDR_LEN);
  for (const brightInStats of [30 * L, 29 * L]) {
    const lines: Uint8Array[] = [];
    const g = new ScreeningGround(64, (_, m) => lines.push(m));
    g.addStats(statsPacket({ row: 0, line: 0, lines: L, x0: 0, count: W, counts: [14 * L, 20 * L, 0, 0, 0, 0, brightInStats], decision: 1 }));
    g.addMask(pkt, 3);
    assert.deepEqual(lines[5], mask.subarray(5 * W, 6 * W));
    const s = g.end();
    assert.deepEqual([s.maskCloudPixels, s.maskBrightPixels], [20 * L, 30 * L]);
    assert.equal(s.maskAgrees, brightInStats === 30 * L);
  }
});

// The mask reference is coded by Debian's libaec, never by our own encoder: without `aec` the test
// skips (and a skip fails the run under CI=true); an `aec` that fails fails the test.
const haveAec = spawnSync("aec", ["-h"]).error === undefined;
test("[121.0-B-3 §5] the cloud mask unit (1-bit samples) coded by libaec decodes to the mask lines and agrees with the statistics",
  { skip: haveAec ? false : "Debian libaec-tools (`aec`) not installed: apt-get install libaec-tools" }, () => {
  const W = 96, L = 8;
  const mask = new Uint8Array(W * L).map((_, i) => ((i % W) > 40 && (i % W) < 70 ? 1 : 0));
  let coded: Uint8Array;
  const dir = mkdtempSync(join(tmpdir(), "tengri-mask-"));
  try {
    writeFileSync(join(dir, "m.raw"), mask);
    const r = spawnSync("aec", ["-n", "1", "-j", "16", "-r", "128", "-t", join(dir, "m.raw"), join(dir, "m.rz")]);
    assert.equal(r.status, 0, `aec failed: ${r.stderr}`);
    coded = new Uint8Array(readFileSync(join(dir, "m.rz")));
  } finally { rmSync(dir, { recursive: true, force: true }); }
  const hdr = new Uint8Array(UNIT_HDR_LEN);
  const dv = new DataView(hdr.buffer);
  hdr[0] = 0x1e; dv.setUint32(7, 0); dv.setUint16(11, L); dv.setUint16(13, 0); dv.setUint16(15, W);
  hdr[17] = 1; hdr[18] = 1; hdr[19] = 16; hdr[20] = 8 | 16; dv.setUint16(21, 128); dv.setUint32(23, 0); hdr[27] = 0;
  const lines: Uint8Array[] = [];
  const g = new ScreeningGround(64, (_, m) => lines.push(m));
  g.addStats(statsPacket({ row: 0, line: 0, lines: L, x0: 0, count: W, counts: [W * L - 29 * L, 29 * L, 0, 0, 0, 0, 0], decision: 1 }));
  const pkt = new Uint8Array(UNIT_HDR_LEN + coded.length);
  pkt.set(hdr); pkt.set(coded, UNIT_HDR_LEN);
  g.addMask(pkt, 3);
  assert.equal(lines.length, L);
  assert.deepEqual(lines[3], mask.subarray(3 * W, 4 * W));
  const s = g.end();
  assert.equal(s.maskUnits, 1);
  assert.equal(s.maskCloudPixels, 29 * L);
  assert.equal(s.maskAgrees, true);
});

test("[121.0-B-3 §3.4.3] a mask unit whose clear tail is coded as remainder-of-segment decodes to exactly its lines (the eo-5band 44-line tile row)", () => {
  // 100 × 8 = 800 one-bit samples = 50 blocks of 16: the final zero run, coded as "remainder of
  // segment", describes 14 blocks beyond the unit; the ground trims them instead of losing the unit.
  const W = 100, L = 8, n = W * L;
  const mask = new Uint8Array(n).map((_, i) => (i < 3 * W && (i % W) < 30 ? 1 : 0));
  const lib = loadFlightLib(); const x = lib.exports;
  const st = lib.alloc(x.aec121StateLen()), src = lib.alloc(2 * n), out = lib.alloc(65536);
  x.aec121Init(st, 1, 16, 128, 8 | 16);
  new Uint16Array(lib.memory.buffer, src, n).set(mask);
  const coded = lib.u8().slice(out, out + x.aec121EncodeUnit(st, src, n, out, 65536));
  const opts = { bitsPerSample: 1, blockSize: 16, rsi: 128, preprocess: true, restricted: true };
  assert.ok(aec121Decode(coded, opts, { maxSamples: 1 << 16 }).length > n + 16, "the stream describes more than the unit plus one block (the case under test)");
  assert.deepEqual(Array.from(aec121DecodeUnit(coded, opts, n)), Array.from(mask));
  assert.throws(() => aec121DecodeUnit(coded.subarray(0, 4), opts, n), (e: unknown) => e instanceof Aec121DecodeError);
  const hdr = new Uint8Array(UNIT_HDR_LEN);
  const dv = new DataView(hdr.buffer);
  hdr[0] = 0x1e; dv.setUint32(7, 256); dv.setUint16(11, L); dv.setUint16(13, 0); dv.setUint16(15, W);
  hdr[17] = 1; hdr[18] = 1; hdr[19] = 16; hdr[20] = 8 | 16; dv.setUint16(21, 128); dv.setUint32(23, 0); hdr[27] = 0;
  const pkt = new Uint8Array(UNIT_HDR_LEN + coded.length);
  pkt.set(hdr); pkt.set(coded, UNIT_HDR_LEN);
  const lines: number[] = [];
  const g = new ScreeningGround(64, (line) => lines.push(line));
  g.addMask(pkt, 3);
  const s = g.end();
  assert.deepEqual([s.maskUnits, s.maskUnitsLost, s.maskCloudPixels], [1, 0, 90]);
  assert.deepEqual(lines, [256, 257, 258, 259, 260, 261, 262, 263]);
});
