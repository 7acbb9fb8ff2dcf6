// Scripted fault injection on the emulated OBC: each fault's effect is reported (detected,
// lines lost, accepted data lost, recovered), and the campaign completes every pass.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadProfile, type Profile } from "../../../host/profiles/index.ts";
import { runFaultPass, runCampaign, formatCampaign, campaignOk, type FaultSpec } from "../../../host/obc/faults.ts";

function smallProfile(): Profile {
  const p = structuredClone(loadProfile("cubesat-mcu"));
  p.sensor.pixelsPerLine = 256;
  p.products.image.compression = "raw"; // raw image packets: what these tests' ground checks read
  return p;
}
// The watchdog only has to catch the scripted hang: 5 s of no progress is far beyond any pause a
// loaded machine makes, so no verdict here depends on the machine's speed.
const O = { profile: smallProfile(), lines: 50, watchdogMs: 5000 };

test("a bit flipped in a line's bus record is rejected by the image's CRC check and counted; nothing accepted is lost", async () => {
  const { result: r, hk } = await runFaultPass({ kind: "bus-bitflip", line: 10 }, O);
  assert.equal(hk.rejectedBadCrc, 1);
  assert.ok(r.detected);
  assert.deepEqual(r.linesLost, [10]);
  assert.deepEqual(r.acceptedLost, []);
  assert.ok(r.completed);
});

test("a dropped line is counted missing; a duplicated line is refused (counter does not advance) and harmless", async () => {
  const drop = await runFaultPass({ kind: "drop-line", line: 12 }, O);
  assert.equal(drop.hk.linesMissing, 1);
  assert.deepEqual(drop.result.linesLost, [12]);
  assert.deepEqual(drop.result.acceptedLost, []);
  const dup = await runFaultPass({ kind: "duplicate-line", line: 12 }, O);
  assert.equal(dup.hk.rejectedLineJump, 1);
  assert.ok(dup.result.harmless && dup.result.detected);
});

// Where an SEU lands decides its verdict, so each case below derives its address from the image
// itself: the top of linear memory, above the bump pointer the image reports in housekeeping
// (memory it never touches), and the CRC-16 tables, whose address the debug image names.
test("[tengri §faults] an SEU in memory above the image's bump pointer (never used) is applied there and is harmless: nothing detected, nothing lost", async () => {
  const { result: r, supervised: s, hk } = await runFaultPass({ kind: "seu", line: 10, address: -1, bit: 3 }, O);
  assert.equal(s.faultsApplied.length, 1);
  const f = s.faultsApplied[0];
  assert.equal(f.kind, "seu");
  assert.equal(f.address, f.memoryBytes! - 1, "the address wraps to the last octet of linear memory");
  assert.equal(f.before! ^ f.after!, 1 << 3);
  assert.equal(hk.memoryBytes, f.memoryBytes);
  assert.ok(f.address! >= hk.heapUsedBytes, `the octet (0x${f.address!.toString(16)}) lies above the bump pointer (0x${hk.heapUsedBytes.toString(16)})`);
  assert.equal(r.verdict, "harmless", r.note);
  assert.equal(r.detected, false);
  assert.deepEqual(r.linesLost, []);
  assert.equal(r.reboots, 0);
  assert.ok(r.completed);
});

/** Address of a global of the debug image (its name section keeps them), e.g. a static table. */
async function debugGlobal(wasmPath: string, name: string): Promise<number> {
  const { default: binaryen } = await import("binaryen");
  const m = binaryen.readBinary(readFileSync(wasmPath));
  try {
    for (let i = 0; i < m.getNumGlobals(); i++) {
      const g = binaryen.getGlobalInfo(m.getGlobalByIndex(i));
      if (g.name === name) return (binaryen.getExpressionInfo(g.init) as unknown as { value: number }).value;
    }
  } finally { m.dispose(); }
  throw new Error(`${wasmPath}: no global ${name}`);
}

test("[tengri §faults] an SEU in the image's CRC-16 table is detected (the image's own frames fail the self-check), the image rebooted and every line recovered", async () => {
  const wasmPath = fileURLToPath(new URL("../../../build/flight.debug.wasm", import.meta.url));
  const table = await debugGlobal(wasmPath, "assembly/util/crc16/CRC16_TABLES");
  // Octet 2 of table 0 is the low octet of the entry for 0x01: used by every FECF and bus CRC.
  const { result: r, supervised: s } = await runFaultPass({ kind: "seu", line: 10, address: table + 2, bit: 3 }, { ...O, wasmPath });
  assert.equal(s.faultsApplied.length, 1);
  assert.equal(s.faultsApplied[0].address, table + 2);
  assert.equal(r.verdict, "detected, recovered", r.note);
  assert.ok(r.detectedBy.includes("watchdog: self-check → reboot"), r.detectedBy.join("; "));
  assert.ok(r.reboots >= 1);
  assert.deepEqual(r.acceptedLost, []);
  assert.deepEqual(r.linesLost, []);
  assert.ok(r.completed);
});

// SEUs are left out of this table on purpose: where one lands depends on the image's memory
// layout, so its verdict may legitimately change from build to build (npm run faults shows them).
test("the campaign table: every fault detected or harmless, nothing accepted lost, every pass completed", async () => {
  const faults: FaultSpec[] = [
    { kind: "bus-bitflip", line: 8 }, { kind: "drop-line", line: 9 }, { kind: "duplicate-line", line: 11 },
    { kind: "reset", line: 20 }, { kind: "hang", line: 25 },
  ];
  const c = await runCampaign(faults, O);
  const table = formatCampaign(c);
  assert.ok(c.ok, table);
  assert.equal(c.results.length, faults.length);
  assert.match(table, /CAMPAIGN OK/);
  assert.ok(c.realTime && c.realTime.linePeriodMs > 0);
});

// ---- Commanding and update faults (issue 11 item 5) ----------------------------------------------
// Each pass boots through the bootloader from a flash directory the campaign provisions (slot a:
// this build signed as version 1). Every test checks the detection, that nothing the image
// accepted was lost, which slot booted, and that a bootable image is left afterwards.
type Exp = { what: string; ok: boolean }[] | undefined;
const allMet = (e: Exp) => assert.ok(e && e.length > 0 && e.every((x) => x.ok), JSON.stringify(e?.filter((x) => !x.ok)));
const bootable = (e: Exp) => assert.ok(e!.some((x) => /bootable image afterwards/.test(x.what) && x.ok));
function noLoss(r: { linesLost: number[]; acceptedLost: number[]; linesCorrupted: number; completed: boolean }) {
  assert.deepEqual(r.linesLost, []);
  assert.deepEqual(r.acceptedLost, []);
  assert.equal(r.linesCorrupted, 0);
  assert.ok(r.completed);
}

test("[355.0-B-2 §3.4.2.4] [tengri §faults] an upload segment changed after its frame's MAC was computed is refused by SDLS (tcRejAuth 1); nothing written, nothing booted, slot a boots", async () => {
  const { result: r, hk } = await runFaultPass({ kind: "upload-bad-mac", line: 8 }, O);
  assert.equal(hk.tcRejAuth, 1);
  assert.equal(hk.tcAccepted, 1, "only the upload start");
  assert.ok(r.detectedBy.includes("SDLS MAC refusals 1"), r.detectedBy.join("; "));
  noLoss(r);
  assert.deepEqual(r.slotsBooted, ["a v1"]);
  allMet(r.expectations); bootable(r.expectations);
});

test("[tengri §faults] an upload whose declared SHA-256 differs from the octets written: upload end refused with E_UPL_DIGEST, nothing booted", async () => {
  const { result: r, hk } = await runFaultPass({ kind: "upload-bad-digest", line: 8 }, O);
  assert.equal(hk.uploadRejected, 1);
  assert.ok(r.detectedBy.includes("ST[1] completion failure E_UPL_DIGEST"), r.detectedBy.join("; "));
  assert.equal(r.reboots, 0);
  noLoss(r);
  assert.deepEqual(r.slotsBooted, ["a v1"]);
  allMet(r.expectations); bootable(r.expectations);
});

test("[tengri §faults] an upload ended before its last segment: refused with E_UPL_BOUNDS, nothing booted", async () => {
  const { result: r, hk } = await runFaultPass({ kind: "upload-truncated", line: 8 }, O);
  assert.equal(hk.uploadRejected, 1);
  assert.ok(r.detectedBy.includes("ST[1] completion failure E_UPL_BOUNDS"), r.detectedBy.join("; "));
  assert.equal(r.reboots, 0);
  noLoss(r);
  assert.deepEqual(r.slotsBooted, ["a v1"]);
  allMet(r.expectations); bootable(r.expectations);
});

test("[tengri §boot] [tengri §faults] power lost part-way through the bootloader's slot write: nothing on trial, the old image (slot a v1) boots and the pass completes", async () => {
  const { result: r } = await runFaultPass({ kind: "power-loss", line: 0, budget: 5000 }, O);
  assert.ok(r.detectedBy.includes("power loss after 5000 octets written"), r.detectedBy.join("; "));
  noLoss(r);
  assert.deepEqual(r.slotsBooted, ["a v1"]);
  allMet(r.expectations); bootable(r.expectations);
});

test("[tengri §boot] [tengri §faults] a signed container with one bit flipped: the bootloader refuses it (signature over the header; SHA-256 for a bit in the module), the old image boots", async () => {
  const hdr = (await runFaultPass({ kind: "bad-signature", line: 0 }, O)).result;
  assert.ok(hdr.detectedBy.includes("bootloader: update refused (signature)"), hdr.detectedBy.join("; "));
  noLoss(hdr);
  assert.deepEqual(hdr.slotsBooted, ["a v1"]);
  allMet(hdr.expectations); bootable(hdr.expectations);
  const mod = (await runFaultPass({ kind: "bad-signature", line: 0, bit: 400 * 8 + 2 }, O)).result;
  assert.ok(mod.detectedBy.includes("bootloader: update refused (container)"), mod.detectedBy.join("; "));
  assert.deepEqual(mod.slotsBooted, ["a v1"]);
  allMet(mod.expectations);
});

test("[355.0-B-2 §3.4.2.5] [tengri §faults] a command frame replayed with the same ARSN: refused, tcRejReplay counted, executed once", async () => {
  const { result: r, hk } = await runFaultPass({ kind: "tc-replay", line: 8 }, O);
  assert.equal(hk.tcRejReplay, 1);
  assert.equal(hk.tcAccepted, 1);
  assert.equal(hk.pusAccepted, 1, "no second execution");
  noLoss(r);
  assert.deepEqual(r.slotsBooted, ["a v1"]);
  allMet(r.expectations); bootable(r.expectations);
});

test("[ECSS-E-ST-70-41C §6.17] [tengri §faults] a command flood during acquisition (50 frames between consecutive lines, every 5th forged): every line reaches the ground, forged frames refused and counted, every genuine one answered", async () => {
  const { result: r, hk } = await runFaultPass({ kind: "tc-flood", line: 8, frames: 50, lines: 4, forgedEvery: 5 }, O);
  assert.equal(hk.tcRejAuth, 40);
  assert.equal(hk.tcAccepted, 160);
  assert.equal(hk.linesAccepted, O.lines);
  assert.equal(hk.framesOverflowed, 0);
  noLoss(r);
  allMet(r.expectations); bootable(r.expectations);
});

for (const mode of ["self-test", "hang"] as const) test(`[tengri §boot] [tengri §faults] a trial image that ${mode === "hang" ? "hangs and never confirms" : "fails its self-test (exit 73)"}: after the bounded trial boots the OBC is back on slot a, every line arrives`, async () => {
  const { result: r, supervised: s } = await runFaultPass({ kind: "trial-fails", line: 0, mode }, O);
  assert.deepEqual(r.slotsBooted!.slice(0, 3), ["b v2 (trial)", "b v2 (trial)", "b v2 (trial)"]);
  assert.equal(r.slotsBooted!.at(-1), "a v1");
  assert.ok(s.bootEvents.some((e) => e.kind === "trial-abandoned"));
  assert.ok(r.detectedBy.includes("bootloader: trial-abandoned"), r.detectedBy.join("; "));
  noLoss(r);
  allMet(r.expectations); bootable(r.expectations);
});

test("[tengri §faults] the campaign verdict comes from completeness: a commanding fault with an expected detection missing fails the campaign even though other detections were seen", () => {
  const base = { fault: { kind: "tc-replay", line: 1 } as FaultSpec, detected: true, detectedBy: ["SDLS MAC refusals 1"], harmless: true, linesLost: [], acceptedLost: [], linesCorrupted: 0, completed: true, reboots: 0, verdict: "", note: "" };
  assert.equal(campaignOk([{ ...base, expectations: [{ what: "refused by anti-replay", ok: true }, { what: "executed once", ok: true }] }]), true);
  assert.equal(campaignOk([{ ...base, expectations: [{ what: "refused by anti-replay", ok: false }, { what: "executed once", ok: true }] }]), false);
  assert.equal(campaignOk([{ ...base, expectations: [] }]), false, "no expectation: nothing proven");
  assert.equal(campaignOk([]), false);
});
