// The OBC supervisor: a hung or reset image is rebooted, its configuration sent again with
// the counters resumed, and the pass goes on from the first line not acknowledged; the
// ground sees every line, no frame gap on the image VC and no duplicate image packet.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { loadProfile, type Profile } from "../../../host/profiles/index.ts";
import { flash } from "../../../host/obc/image.ts";
import { encodeLine, encodeEnd } from "../../../host/obc/bus.ts";
import { runSupervised, type BusItem, type LineFault } from "../../../host/obc/watchdog.ts";
import { runImage, realTimeMargin } from "../../../host/obc/obc.ts";
import { configRecord } from "../../../host/obc/config-table.ts";
import { DEFAULT_FLIGHT_WASM } from "../../../host/obc/faults.ts";
import { LinkDecoder } from "../../../host/ground/link-decoder.ts";
import { linkConfigOfProfile } from "../../../host/obc/link-config.ts";
import { ImageReconstructor } from "../../../host/ground/image.ts";

function smallProfile(): Profile {
  const p = structuredClone(loadProfile("cubesat-mcu"));
  p.sensor.pixelsPerLine = 256;
  p.products.image.compression = "raw"; // raw image packets: what these tests' ground checks read
  return p;
}
const LINES = 60;
function lineRec(p: Profile, n: number): Uint8Array {
  const bands = p.sensor.bands.length, px = p.sensor.pixelsPerLine;
  const s = new Uint16Array(bands * px).map((_, i) => (i * 13 + n * 101) & 0xfff);
  return encodeLine({ counter: n, timeCoarse: 2_000_000_000 + Math.floor(n / 355), timeFine: Math.floor(((n % 355) / 355) * 2 ** 32), bands, pixels: px, bitDepth: 12, samples: s });
}
function* items(p: Profile): Iterable<BusItem> {
  for (let n = 0; n < LINES; n++) yield { record: lineRec(p, n), line: n };
  yield { record: encodeEnd(LINES) };
}

async function supervised(faults: LineFault[]) {
  const p = smallProfile();
  const image = flash(readFileSync(DEFAULT_FLIGHT_WASM), p, "t");
  const lines = new Map<number, number>(); // line → image packets received
  const seq = new Map<number, number[]>();
  const dec = new LinkDecoder(linkConfigOfProfile(p), {
    onPacket(pkt) {
      if (!p.products.image.apids.includes(pkt.apid)) return;
      const l = new DataView(pkt.data.buffer, pkt.data.byteOffset).getUint32(7);
      lines.set(l, (lines.get(l) ?? 0) + 1);
      seq.set(pkt.apid, [...(seq.get(pkt.apid) ?? []), pkt.seqCount]);
    },
  });
  const r = await runSupervised({ image, profile: p, items: items(p), onOutput: (c) => dec.push(c), childFaults: faults, watchdogMs: 5000 });
  dec.end();
  return { r, lines, seq, stats: dec.stats, p };
}

test("a hung image is noticed by the watchdog (no progress while bus data waits), rebooted, and the pass resumes: every line arrives", async () => {
  const { r, lines, seq, stats, p } = await supervised([{ line: 30, kind: "hang" }]);
  assert.equal(r.exitCode, 0);
  assert.equal(r.reboots.length, 1);
  assert.equal(r.reboots[0].cause, "hang");
  assert.ok(r.reboots[0].lastLineAcked < 30 + 1 && r.reboots[0].lastLineAcked >= 0);
  assert.equal(r.faultsApplied.length, 1);
  assert.equal(r.faultsApplied[0].kind, "hang");
  for (let n = 0; n < LINES; n++) assert.ok(lines.has(n), `line ${n}`);
  // The image VC's frame counter resumes where it stopped: no gap on it.
  assert.equal(stats.perVc.get(p.products.image.vcid)!.gapFrames, 0);
  // Packet sequence counts: a partly sent line repeats its counts exactly (a ground discards
  // the repeats), never skips one.
  for (const [, list] of seq) {
    for (let i = 1; i < list.length; i++) {
      const d = (list[i] - list[i - 1]) & 0x3fff;
      assert.ok(d === 1 || d >= 0x2000 || d === 0, `sequence jump ${d}`);
    }
    const uniq = new Set(list);
    assert.equal(uniq.size, Math.max(...list) - Math.min(...list) + 1, "no count skipped");
  }
});

test("a spontaneous reset at line N reboots the image with the configuration first; nothing the image accepted is lost", async () => {
  const { r, lines } = await supervised([{ line: 20, kind: "reset" }]);
  assert.equal(r.exitCode, 0);
  assert.equal(r.boots, 2);
  assert.equal(r.reboots[0].cause, "reset");
  assert.equal(r.reboots[0].exitCode, 71);
  assert.ok(r.reboots[0].linesResent >= 1);
  assert.ok(r.log.some((l) => l.startsWith("[boot 2]") && l.includes("configuration")), "the new boot was configured");
  for (let n = 0; n < LINES; n++) assert.ok(lines.has(n), `line ${n}`);
});

test("runImage keeps its contract and reports the image's processing time and runtime for the real-time margin", async () => {
  const p = smallProfile();
  const recs = [configRecord(p), ...[...Array(40).keys()].map((n) => lineRec(p, n)), encodeEnd(40)];
  let out = 0;
  const r = await runImage({ image: flash(readFileSync(DEFAULT_FLIGHT_WASM), p, "t"), profile: p, records: recs, onOutput: (c) => { out += c.length; } });
  assert.equal(r.exitCode, 0);
  assert.equal(r.outBytes, out);
  assert.ok(r.timing, "timing reported");
  assert.ok(r.timing!.reads > 0 && r.timing!.busyMs > 0);
  assert.match(r.timing!.runtime, /node v\d+.*V8 .*node:wasi/);
  const m = realTimeMargin(r.timing!, 40, p.sensor.lineRateHz);
  assert.ok(Number.isFinite(m.margin) && m.linePeriodMs > 0);
});

test("a compressed (CCSDS 121 units) pass also resumes after a reset: acknowledgement follows whole units, every line arrives exact", async () => {
  const p = structuredClone(loadProfile("cubesat-mcu"));
  p.sensor.pixelsPerLine = 256;
  p.products.image.compression = "ccsds121";
  p.products.image.ccsds121 = { blockSize: 16, rsi: 64, preprocess: true, unitLines: 8, unitPixels: 0 };
  const bands = p.sensor.bands.length, px = p.sensor.pixelsPerLine;
  const recon = new ImageReconstructor(bands, px, undefined, "ccsds121", 8, p.sensor.bitDepth);
  const apidBand = new Map(p.products.image.apids.map((a, i) => [a, i]));
  const dec = new LinkDecoder(linkConfigOfProfile(p), { onPacket(pkt) { const b = apidBand.get(pkt.apid); if (b !== undefined) recon.addPacket(b, pkt.data, pkt.seqFlags); } });
  const N = 96;
  function* its(): Iterable<BusItem> {
    for (let n = 0; n < N; n++) {
      const rec = lineRec(p, n);
      const s = new Uint16Array(bands * px).map((_, i) => (i * 13 + n * 101) & 0xfff);
      recon.expectSamples(n, s);
      yield { record: rec, line: n };
    }
    yield { record: encodeEnd(N) };
  }
  const r = await runSupervised({ image: flash(readFileSync(DEFAULT_FLIGHT_WASM), p, "t"), profile: p, items: its(), onOutput: (c) => dec.push(c), childFaults: [{ line: 50, kind: "reset" }], watchdogMs: 5000 });
  dec.end();
  const img = recon.end();
  assert.equal(r.exitCode, 0);
  assert.equal(r.reboots.length, 1);
  assert.equal(img.linesExact, N, JSON.stringify(img.lostLines.slice(0, 3)));
});
