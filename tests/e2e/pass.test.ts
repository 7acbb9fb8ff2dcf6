// End to end: sensor emulator → flight image (WASI, child process) → channel → ground station.
// The ground decoder is the independent implementation in host/ground/, so these passes check
// the flight encoders against it, line by line against the imager's own data.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runPass } from "../../host/pass.ts";
import { loadProfile, derived, type Profile } from "../../host/profiles/index.ts";

function variant(name: string, f: (p: Profile) => void = () => {}): Profile {
  const p = structuredClone(loadProfile(name));
  p.products.image.compression = "raw";      // raw mode: the calibration-pass format these tests check
  p.products.image.screening = { enabled: false };
  f(p);
  return p;
}
const rawDefault = () => variant("default");

test("default profile, BER 0: every line arrives bit-exact; the backlog is reported", async () => {
  const s = await runPass({ profile: rawDefault(), lines: 120, seed: 3 });
  assert.equal(s.verified, true);
  assert.equal(s.verdict.headline, "VERIFIED: every expected piece arrived and checked (480 raw line segments, 2 housekeeping packets); every pixel bit-exact");
  assert.equal(s.image.linesExact, 120);
  assert.equal(s.ground.rsSymbolsCorrected, 0);
  assert.equal(s.ground.framesDropped, 0);
  assert.equal(s.flight.housekeeping?.linesAccepted, 120);
  assert.ok(s.downlink.rawBitRate > s.downlink.downlinkBitRate);
  // 172 Mbit/s raw into 100: the link falls behind and is still behind when imaging ends.
  assert.equal(s.downlink.keepsUp, false);
  assert.ok(s.downlink.backlog.endFrames > 0 && s.downlink.backlog.maxFrames >= s.downlink.backlog.endFrames);
  assert.equal(s.downlink.backlogS, s.downlink.backlog.endS);
  assert.ok(s.downlink.backlogS > 0);
});

test("[131.0-B-5 §4.3] BER 1e-4: Reed-Solomon corrects every codeword; the image arrives bit-exact", async () => {
  const s = await runPass({ profile: rawDefault(), lines: 120, seed: 4, ber: 1e-4 });
  assert.ok(s.link.bitErrors > 500, `only ${s.link.bitErrors} bit errors injected`);
  assert.ok(s.ground.rsSymbolsCorrected > 500);
  assert.equal(s.ground.rsCodewordsUncorrectable, 0);
  assert.equal(s.verified, true);
});

test("[131.0-B-5 §4.3.5] burst errors within the interleaver's reach (I·E octets) are corrected", async () => {
  const s = await runPass({ profile: rawDefault(), lines: 120, seed: 5, burstEvery: 30000, burstLen: 30 });
  assert.ok(s.link.bursts >= 20, `${s.link.bursts} bursts`);
  assert.equal(s.ground.rsCodewordsUncorrectable, 0);
  assert.equal(s.verified, true);
});

test("[132.0-B-3 §4.1.2.6] a dropped CADU loses exactly the band lines whose packets it carried, and is reported", async () => {
  const p = rawDefault();
  const zone = p.link.frame.length - 6 - 2;                   // TM packet zone, FECF on
  const pkt = 6 + 16 + (p.sensor.pixelsPerLine * p.sensor.bitDepth) / 8;
  const k = 100;                                               // the 101st CADU: image VC frame 100
  const expected = new Set<string>();
  for (let j = Math.floor((k * zone) / pkt); j * pkt < (k + 1) * zone; j++) expected.add(`${Math.floor(j / 4)}:${j % 4}`);
  const s = await runPass({ profile: p, lines: 60, seed: 6, dropCadus: [k] });
  assert.equal(s.link.dropped, 1);
  assert.equal(s.ground.gapFrames, 1);
  const lost = new Set(s.image.lostLines.flatMap((l) => l.bands.map((b) => `${l.line}:${b}`)));
  assert.deepEqual([...lost].sort(), [...expected].sort());
  assert.equal(s.image.linesExact, 60 - new Set([...expected].map((x) => x.split(":")[0])).size);
  assert.equal(s.verified, false);
  // The verdict names exactly those band lines, as the raw segments that did not arrive, in line then band order.
  const c = s.verdict.checks.find((x) => x.name === "raw line segments")!;
  assert.equal(c.ok, false);
  assert.equal(Number(c.expected) - Number(c.got), expected.size);
  const order = [...expected].map((x) => x.split(":").map(Number)).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const [l0, b0] = order[0];
  assert.ok(c.detail.startsWith(`${expected.size} of ${c.expected} not as owed: raw segment of band ${b0} (${p.sensor.bands[b0].name}), line ${l0}, pixels 0–${p.sensor.pixelsPerLine - 1} missing`), c.detail);
  assert.ok(s.verdict.headline.startsWith("NOT VERIFIED: raw line segments:"), s.verdict.headline);
});

test("[tengri §verdict] heavy bit errors (BER 8e-3, beyond Reed-Solomon): NOT VERIFIED, every band line lost counted as a missing segment", async () => {
  const s = await runPass({ profile: rawDefault(), lines: 40, seed: 14, ber: 8e-3 });
  assert.ok(s.ground.rsCodewordsUncorrectable > 0, "the channel must defeat RS");
  assert.equal(s.verified, false);
  const c = s.verdict.checks.find((x) => x.name === "raw line segments")!;
  assert.equal(c.ok, false);
  assert.equal(Number(c.expected) - Number(c.got), s.image.bandLinesLost, "one segment per band line lost");
  assert.match(s.verdict.headline, /^NOT VERIFIED: /);
});

test("[133.0-B-2 §4.1.3.4.3] counters cross their wrap-around (14-bit packet counts; 8-bit TM frame counts, 132.0-B-3 §4.1.2.5) without loss", async () => {
  const s = await runPass({ profile: rawDefault(), lines: 80, seed: 7, config: { initialFrameCount: 200, initialPacketCount: 16300 } });
  assert.ok(s.ground.dataFrames > 256, "the pass must send more than 256 frames");
  assert.equal(s.ground.gapFrames, 0);
  assert.equal(s.ground.events["vc-gap"] ?? 0, 0);
  assert.equal(s.ground.events["mc-gap"] ?? 0, 0);
  assert.equal(s.ground.events["packet-seq-gap"] ?? 0, 0);
  assert.equal(s.verified, true);
});

test("[732.0-B-4 §4.1.2.4] AOS: the 24-bit virtual channel frame count wraps without loss (eo-5band)", async () => {
  const s = await runPass({ profile: variant("eo-5band"), lines: 20, seed: 8, ber: 1e-5, config: { initialFrameCount: 0xffff80 } });
  assert.ok(s.ground.dataFrames > 200);
  assert.equal(s.ground.gapFrames, 0);
  assert.equal(s.verified, true);
});

test("[133.0-B-2 §4.1.3.4.2] lines larger than the maximum packet are segmented (cubesat-mcu) and reassembled", async () => {
  const p = variant("cubesat-mcu");
  assert.ok((p.sensor.pixelsPerLine * p.sensor.bitDepth) / 8 > p.products.image.maxPacketDataLen - 16, "profile must force segmentation");
  const s = await runPass({ profile: p, lines: 40, seed: 9, ber: 1e-4 });
  assert.ok(s.image.segmentsReceived > 40 * 4, "several segments per band line");
  assert.equal(s.verified, true);
});

test("[132.0-B-3 §4.1.2.7.6.5] a downlink faster than the imager: partial frames leave padded with idle packets, idle frames fill the link", async () => {
  const p = variant("default", (x) => { x.link.downlinkBitRate = 400_000_000; });
  const s = await runPass({ profile: p, lines: 60, seed: 10 });
  assert.ok(s.ground.idleFrames > 0, "idle frames expected");
  assert.ok((s.flight.housekeeping?.idlePackets ?? 0) > 0);
  assert.equal(s.downlink.keepsUp, true);
  assert.deepEqual([s.downlink.backlog.maxFrames, s.downlink.backlog.endFrames], [0, 0]);
  assert.equal(s.verified, true);
  // The CADU count follows the frame clock: about (pass time × rate) / CADU bits.
  const d = derived(p);
  const expected = (60 / p.sensor.lineRateHz) * p.link.downlinkBitRate / (d.caduLen * 8);
  assert.ok(Math.abs(s.ground.cadus - expected) < expected * 0.1 + 10, `${s.ground.cadus} CADUs vs ${expected.toFixed(0)} expected`);
});

test("the same profile, scene and seed give byte-identical CADU streams", async () => {
  const { createHash } = await import("node:crypto");
  const digests: string[] = [];
  for (let i = 0; i < 2; i++) {
    const h = createHash("sha256");
    const { runImage } = await import("../../host/obc/obc.ts");
    const { flash } = await import("../../host/obc/image.ts");
    const { configRecord } = await import("../../host/obc/config-table.ts");
    const { encodeLine, encodeEnd } = await import("../../host/obc/bus.ts");
    const { syntheticScene } = await import("../../host/sensor/index.ts");
    const { readFileSync } = await import("node:fs");
    const { FLIGHT_WASM } = await import("../../host/pass.ts");
    const p = loadProfile("cubesat-mcu");
    const scene = syntheticScene(p, { seed: 11, lines: 30 });
    const recs = [configRecord(p)];
    for (let l = scene.next(); l; l = scene.next()) recs.push(encodeLine({ ...l, bands: 4, pixels: p.sensor.pixelsPerLine, bitDepth: p.sensor.bitDepth }));
    recs.push(encodeEnd(30));
    await runImage({ image: flash(readFileSync(FLIGHT_WASM), p, "t"), profile: p, records: recs, onOutput: (c) => h.update(c) });
    digests.push(h.digest("hex"));
  }
  assert.equal(digests[0], digests[1]);
});

test("[131.0-B-5 §4.3.7] RS(255,239) with I=2 and a shortened frame, OCF on, no randomizer: bit-exact at BER 1e-4", async () => {
  const p = variant("default", (x) => {
    x.link.frame.length = 400;                   // 200 octets per codeword: shortened by 39
    x.link.frame.ocf = true;
    x.link.coding = { rsE: 8, rsDepth: 2, randomizer: false };
  });
  const s = await runPass({ profile: p, lines: 30, seed: 12, ber: 1e-4 });
  assert.ok(s.ground.rsSymbolsCorrected > 0);
  assert.equal(s.ground.rsCodewordsUncorrectable, 0);
  assert.equal(s.verified, true);
});

test("[732.0-B-4 §4.1.6] AOS with FECF and an insert zone, RS I=8 (hyperspectral-class frames): bit-exact", async () => {
  const p = variant("eo-5band", (x) => {
    x.link.frame.length = 1784;
    x.link.frame.fecf = true;
    x.link.frame.insertZoneLen = 4;
    x.link.coding = { rsE: 16, rsDepth: 8, randomizer: true };
  });
  const s = await runPass({ profile: p, lines: 8, seed: 13, ber: 5e-5 });
  assert.equal(s.ground.rsCodewordsUncorrectable, 0);
  assert.equal(s.ground.framesBadFecf, 0);
  assert.equal(s.verified, true);
});

test("[tengri §verdict] tengri pass: the terminal's last line, report.json and report.html's badge and title say the same verdict; exit 0 verified, 1 not", async () => {
  const { spawnSync } = await import("node:child_process");
  const { mkdtempSync, readFileSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const root = mkdtempSync(join(tmpdir(), "tengri-verdict-"));
  try {
    for (const [name, extra, code] of [["good", [], 0], ["bad", ["--drop-cadu", Array.from({ length: 40 }, (_, i) => 20 + 3 * i).join(",")], 1]] as const) {
      const out = join(root, name);
      const r = spawnSync(process.execPath, ["--import", "tsx", "host/cli.ts", "pass", "--profile", "cubesat-mcu", "--lines", "48", "--out", out, ...extra], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
      assert.equal(r.status, code, r.stderr);
      const json = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
      const html = readFileSync(join(out, "report.html"), "utf8");
      const last = r.stdout.trimEnd().split("\n").pop();
      assert.equal(last, json.verdict.headline);
      assert.equal(json.verified, code === 0);
      assert.equal(json.verdict.label, code === 0 ? "VERIFIED" : "NOT VERIFIED");
      assert.match(html, new RegExp(`id="verdict"[^>]*>${json.verdict.label}</span>`));
      assert.match(html, new RegExp(`<title>[^<]*, ${json.verdict.label}</title>`));
      if (code === 0) assert.doesNotMatch(html, /NOT VERIFIED/);
      for (const c of json.verdict.checks) assert.match(r.stdout, new RegExp(`${c.ok ? "✓" : "✗"} ${c.name}`));
      // "Keeps up" and the backlog chart are the same figures.
      const chart = json.report.timeline.backlogFrames.filter((v: number | null) => v !== null);
      assert.equal(Math.max(...chart), json.downlink.backlog.maxFrames);
      assert.equal(json.downlink.keepsUp, json.downlink.backlog.maxFrames === 0);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("[tengri §verdict] shipped profiles one line past a unit boundary (cubesat-mcu: 8-line CCSDS 121 units, 17 lines; hyperspectral: 64-line CCSDS 123 segments, 65 lines): every piece owed arrives; VERIFIED", async () => {
  for (const [name, lines, what, owed] of [["cubesat-mcu", 17, "image units", 4 * 3], ["hyperspectral", 65, "CCSDS 123 segments", 2]] as const) {
    const s = await runPass({ profile: name, lines, seed: 15 });
    assert.deepEqual(s.verdict.checks.filter((c) => !c.ok).map((c) => c.name), [], `${name}: ${s.verdict.headline}`);
    const c = s.verdict.checks.find((x) => x.name === what)!;
    assert.deepEqual([c.expected, c.got], [owed, owed], name);
    assert.equal(s.verdict.checks.find((x) => x.name === "housekeeping packets")!.expected, 2);
    assert.equal(s.verified, true);
  }
});

test("[tengri §verdict] housekeeping owed at boot, after every N lines and at the end (N = 16, 48 lines: 5 packets); one lost is named", async () => {
  const p = variant("cubesat-mcu", (x) => { x.products.housekeeping.everyLines = 16; });
  const s = await runPass({ profile: p, lines: 48, seed: 16 });
  const c = s.verdict.checks.find((x) => x.name === "housekeeping packets")!;
  assert.deepEqual([c.expected, c.got, c.ok], [5, 5, true]);
  assert.equal(s.flight.housekeeping?.hkSequence, 5);
  assert.equal(s.verified, true);
  const lost = await runPass({ profile: p, lines: 48, seed: 16, losePacket: (apid, nth) => apid === p.products.housekeeping.apid && nth === 2 });
  assert.equal(lost.verified, false);
  assert.equal(lost.verdict.checks.find((x) => x.name === "housekeeping packets")!.detail, "1 of 5 not as owed: housekeeping packet 3 of 5 (after 32 lines) missing");
});
