// The product mode switched in flight (ST[8] function 3, README "Commanding the payload"), end to
// end: a pass that starts in CCSDS 123, switches to CCSDS 121, then to raw lines, then back to
// CCSDS 123, each switch telecommanded mid-pass on the payload bus. The ground follows the
// switches by event 16 and decodes every line with the decoder of its mode (the independent
// CCSDS 123 and CCSDS 121 decoders, the raw unpacker); every line must be exact, no piece lost.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runPass } from "../../host/pass.ts";
import { loadProfile, validateProfile, type Profile } from "../../host/profiles/index.ts";
import { compileConfig, productModes } from "../../host/obc/config-table.ts";
import { buildTc, tc, type PusReport, type TcSpec } from "../../host/commanding/pus.ts";
import { tcRecord, commandingFlashDir } from "../host/commanding/tc-frames.ts";
import { interleave } from "./interleave.ts";
import { CONTRACT } from "../../host/contract/contract.gen.ts";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createProductsObserver } from "../../host/products/observer.ts";
import { GDAL_SKIP } from "../host/products/gdal-tools.ts";

const BIN = fileURLToPath(new URL("../../bin/tengri.mjs", import.meta.url));

/** The default profile without screening, 512 pixels, booting in CCSDS 123, allowed every mode (units and segments of 16 lines). */
function profile(modes: Profile["commanding"] extends infer C ? C extends { modes?: infer M } ? M : never : never = ["raw", "ccsds121", "ccsds123"]): Profile {
  const p = structuredClone(loadProfile("default")) as Profile;
  delete (p.products.image as { screening?: unknown }).screening;
  p.sensor.pixelsPerLine = 512;
  p.products.image.compression = "ccsds123";
  p.products.image.ccsds123 = { segmentLines: 16 };
  p.products.image.ccsds121 = { ...p.products.image.ccsds121!, unitLines: 16 };
  p.commanding = { ...(p.commanding ?? {}), modes };
  return validateProfile(JSON.parse(JSON.stringify(p)));
}


type Ev = Extract<PusReport, { kind: "event" }>;
type Verif = Extract<PusReport, { kind: "verification" }>;

test("[tengri §mode] a pass switched 123 → 121 → raw → 123 mid-pass: each switch at its unit or segment boundary, announced by event 16 and a completion report; the ground follows every switch and every line is exact", async () => {
  const p = profile();
  const scid = p.spacecraft.scid;
  let seq = 0, frameSeq = 0;
  const rec = (s: TcSpec) => tcRecord([buildTc({ ...s, seq: seq++, source: 9 })], { scid, seq: frameSeq++, arsn: 200 + frameSeq });
  const after = new Map<number, Uint8Array[]>([
    [20, [rec(tc.setProductMode("ccsds121"))]],      // seq 0: the segment of lines 16..31 finishes first: 121 from line 32
    [40, [rec(tc.setProductMode("ccsds121"))]],      // seq 1: already in force: completes at once, no event
    [70, [rec(tc.setProductMode("raw"))]],           // seq 2: the units of lines 64..79 finish first: raw from line 80
    [100, [rec(tc.setProductMode("ccsds123"))]],     // seq 3: raw is at a boundary on every line: 123 from line 101
  ]);
  const lines = 140;                                  // 123 segments 101..116, 117..132, a short 133..139
  const s = await runPass({ profile: p, lines, seed: 11, busFilter: interleave(after), flashDir: commandingFlashDir() });
  const rs = s.commanding.reports;
  assert.equal(s.commanding.badReports, 0);
  const ev = rs.filter((r) => r.kind === "event" && r.eventId === 16) as Ev[];
  const first = s.flight.housekeeping!.lastLineCounter - (lines - 1);
  assert.deepEqual(ev.map((e) => [e.event, e.count >> 8, e.count & 0xff, e.line - first]), [
    ["mode-changed", 2, 1, 32], ["mode-changed", 1, 0, 80], ["mode-changed", 0, 2, 101],
  ]);
  // Acceptance at once; completion when the switch took effect, after the event (seq 1: at once).
  const verif = (q: number) => rs.filter((r) => r.kind === "verification" && r.requestId.seqCount === q) as Verif[];
  for (const q of [0, 1, 2, 3]) assert.deepEqual(verif(q).map((v) => [v.stage, v.success]), [["acceptance", true], ["completion", true]], `request ${q}`);
  for (const [q, k] of [[0, 0], [2, 1], [3, 2]]) {
    assert.ok(rs.indexOf(verif(q)[1]) > rs.indexOf(ev[k]), `request ${q}: completion after its event`);
    assert.ok(rs.indexOf(verif(q)[1]) > rs.indexOf(verif(q)[0]) + 0);
  }
  // Every line exact, every piece of every mode accounted for.
  assert.equal(s.verified, true, s.verdict.headline);
  assert.equal(s.image.linesExact, lines);
  assert.equal(s.image.linesBitExact, lines);
  assert.equal(s.image.linesMismatch + s.image.linesPartial + s.image.linesMissing, 0);
  assert.equal(s.image.badPackets, 0);
  assert.equal(s.image.unitsLost, 0);
  // Units and segments: 123 segments 0..15, 16..31 (2), 121 units 32..79 (3 × 4 bands = 12), 123 segments from 101 (3).
  assert.equal(s.image.unitsDecoded, 2 + 12 + 3);
  const hk = s.flight.housekeeping!;
  assert.equal(hk.productMode, 2);
  assert.equal(hk.pusAccepted, 4);
  assert.equal(hk.pusFailed, 0);
  assert.equal(hk.linesAccepted, lines);
  assert.equal(hk.framesOverflowed, 0);
});

test("[tengri §mode] the compiled table carries the modes: the boot mode alone by default, every mode the profile names; a profile whose modes disagree on the unit height is refused", () => {
  const at = (p: Profile) => {
    const t = compileConfig(p);
    const bands = p.sensor.bands.length;
    const blocks = CONTRACT.configTable.blocks;
    let o = 0;
    for (const b of blocks) {
      const last = b.fields[b.fields.length - 1];
      const len = (last.offset as number) + (last.type === "u8" ? 1 : last.type === "u16" ? 2 : last.type === "bytes" ? last.len ?? 0 : 4);
      if (b.name === "commanding") return t[o + (b.fields.find((f) => f.name === "modes")!.offset as number)];
      o += b.repeat ? (b.stride ?? 0) * bands : len;
    }
    throw new Error("no commanding block");
  };
  const d = structuredClone(loadProfile("default"));
  assert.equal(productModes(d), 2);
  assert.equal(at(d), 2);
  assert.equal(at(profile()), 7);
  assert.equal(at(profile(["raw"])), 5);
  const bad = profile();
  bad.products.image.ccsds121 = { ...bad.products.image.ccsds121!, unitLines: 8 };
  assert.throws(() => compileConfig(bad), /share one unit height/);
});

test("[tengri §mode] tengri decode FILE --profile P --out DIR follows the switches too (event 16 on the report APID): its image product is byte-identical to the pass's", { skip: GDAL_SKIP }, async () => {
  const p = profile();
  const dir = mkdtempSync(join(tmpdir(), "tengri-mode-decode-"));
  try {
    const scid = p.spacecraft.scid;
    let seq = 0;
    const rec = (s: TcSpec) => tcRecord([buildTc({ ...s, seq: seq++ })], { scid, seq, arsn: 300 + seq });
    const after = new Map<number, Uint8Array[]>([[5, [rec(tc.setProductMode("raw"))]], [30, [rec(tc.setProductMode("ccsds121"))]]]);
    const passDir = join(dir, "pass"), decDir = join(dir, "decoded"), file = join(dir, "profile.json");
    const s = await runPass({ profile: p, lines: 64, seed: 12, out: passDir, busFilter: interleave(after), flashDir: commandingFlashDir(), observers: [createProductsObserver(passDir)] });
    assert.equal(s.verified, true, s.verdict.headline);
    assert.equal(s.commanding.reports.filter((r) => r.kind === "event" && r.eventId === 16).length, 2);
    writeFileSync(file, JSON.stringify(p));
    const r = spawnSync(process.execPath, [BIN, "decode", join(passDir, "pass.cadu"), "--profile", file, "--out", decDir], { encoding: "utf8", timeout: 300_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /\(64 lines, 0 partial or missing\)/);
    assert.ok(readFileSync(join(passDir, "multispectral.tif")).equals(readFileSync(join(decDir, "multispectral.tif"))), "multispectral.tif");
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
