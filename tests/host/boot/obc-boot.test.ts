// The emulated OBC booting from its flash directory (host/obc/watchdog.ts with `flash`, through
// host/boot/bootloader.ts) during a whole pass: an update taken on an image's reboot request
// (exit 72), booted on trial and confirmed; a bad image on trial that crashes at every boot,
// abandoned for the previous slot by the bootloader itself. The pass verifies in both, and every
// step reaches the ground as the flight image reports it from the bootloader's boot record
// (housekeeping v3 boot fields and ST[5] events 9..15, in order; TGR-BOOT-EVENTS).
//
// Images: "the new image" is the current build/flight.wasm, signed with version 2 (the real
// payload software). The image that asks for the reboot is a hand-made 97-octet wasm that exits
// 72 at once (helpers.ts exitingWasm): the flight image's side of the request (writing
// upload.img and boot-request, helper sec's) is played by the test, which writes the files
// exactly as the image would. The failing image exits 1 at once (a crash at its self-test).
import { test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { loadProfile } from "../../../host/profiles/index.ts";
import { runPass } from "../../../host/pass.ts";
import { Bootloader, MAX_TRIAL_BOOTS } from "../../../host/boot/bootloader.ts";
import { readBootState, NO_TRIAL } from "../../../host/boot/flash-dir.ts";
import { NoBootableImageError } from "../../../host/obc/watchdog.ts";
import { truncateSync } from "node:fs";
import { join } from "node:path";
import { flightWasm, exitingWasm, trappingWasm, hangingWasm, signed, newFlashDir, requestUpload, writeConfirm } from "./helpers.ts";
import type { Housekeeping } from "../../../host/ground/housekeeping.ts";
import type { PassSummary } from "../../../host/pass.ts";

/** The boot fields of every housekeeping packet, as [bootCount, slot, version, onTrial, attempt, max, outcome], deduplicated in order. */
function hkBoots(list: Housekeeping[]): number[][] {
  const out: number[][] = [];
  for (const h of list) {
    const row = [h.bootCount, h.bootSlot, h.bootVersion, h.bootOnTrial, h.bootTrialAttempt, h.bootTrialMax, h.bootOutcome];
    if (!out.length || out.at(-1)!.join() !== row.join()) out.push(row);
  }
  return out;
}
/** The boot events (ST[5] 9..15) of the downlink, in order, as [name, status, count]. */
const bootEventsOf = (s: PassSummary) => s.commanding.reports.flatMap((r) => (r.kind === "event" && r.eventId >= 9 && r.eventId <= 15 ? [[r.event, r.status, r.count]] : []));

const p = loadProfile("cubesat-mcu");
const LINES = 96;
// The watchdog (no progress for this long: a hang) must not take a slow start on a loaded machine
// for a hang: generous everywhere except in the hang case, where the hang is the point.
const PATIENT_MS = 120_000;

test("[tengri §boot] [tengri §boot-events] update in a pass: the image asks for a reboot (exit 72), the OBC boots the uploaded image on trial, it confirms, the pass verifies and the next pass boots it as the active slot; every step in housekeeping and events, in order", async () => {
  const requester = signed(exitingWasm(72), p, 1, undefined, "requester");
  const v2 = signed(flightWasm(), p, 2);
  const dir = newFlashDir(p, requester);
  requestUpload(dir, v2);
  const hk: Housekeeping[] = [];
  const s = await runPass({
    profile: p, lines: LINES, seed: 3, watchdogMs: PATIENT_MS,
    // The trial image's self-test and first good pass, as sec's image does it: confirm once it runs.
    flash: { dir, onBootEvent: (e) => { if (e.kind === "trial-boot") writeConfirm(dir, v2); } },
    observers: [{ housekeeping: (h) => hk.push(h) }],
  });
  assert.equal(s.verified, true, JSON.stringify(s.verdict));
  const boot = s.flight.boot!;
  assert.deepEqual(boot.images.map((i) => [i.slot, i.trial, i.version]), [["a", false, 1], ["b", true, 2]]);
  assert.deepEqual(s.flight.reboots.map((r) => r.cause), ["boot-request"]);
  assert.deepEqual(boot.events.map((e) => [e.boot, e.kind]), [[1, "boot"], [1, "update-requested"], [1, "update-accepted"], [2, "trial-boot"], [2, "confirmed"]]);
  assert.deepEqual(readBootState(dir).state, { active: 1, trial: NO_TRIAL, trialBoots: 0, highestConfirmed: 2 });
  assert.equal(s.image.linesComplete, LINES);
  assert.equal(s.image.linesBitExact, LINES);
  const hk2: Housekeeping[] = [];
  const again = await runPass({ profile: p, lines: 16, seed: 4, flash: { dir }, watchdogMs: PATIENT_MS, observers: [{ housekeeping: (h) => hk2.push(h) }] });
  assert.equal(again.verified, true);
  assert.deepEqual(again.flight.boot!.images.map((i) => [i.slot, i.trial, i.version]), [["b", false, 2]]);
  assert.equal(again.flight.reboots.length, 0);
  rmSync(dir, { recursive: true, force: true });
  bootStepsVisible(s, hk, again, hk2);
});

/**
 * [tengri §boot-events] what the ground sees of the good update above: the requesting image (a
 * 97-octet module) sends nothing; the uploaded image on trial reports, in its first housekeeping
 * and events, boot 2 from slot b, version 2, on trial 1 of 3, the previous boot's outcome
 * "upload accepted" (event 13 before event 10), then its confirmation (event 11) before the pass
 * ends; the next pass boots it as the active slot with the outcome "confirmed" (event 9).
 */
function bootStepsVisible(s: PassSummary, hk: Housekeeping[], again: PassSummary, hk2: Housekeeping[]): void {
  assert.deepEqual(hkBoots(hk), [[2, 1, 2, 1, 1, MAX_TRIAL_BOOTS, 6]]);
  assert.deepEqual(bootEventsOf(s), [["upload-accepted", 6, 2], ["booted-on-trial", 6, 1], ["confirmed", 0, 1]]);
  assert.deepEqual(hkBoots(hk2), [[3, 1, 2, 0, 0, MAX_TRIAL_BOOTS, 1]]);
  assert.deepEqual(bootEventsOf(again), [["booted", 1, 3]]);
  assert.deepEqual(s.flight.bootHistory!.lines, ["boot 2: slot b version 2 on trial 1/3; previous boot: upload-accepted; events: upload-accepted (version 2), booted-on-trial (previous: upload-accepted, attempt 1), confirmed (attempt 1)"]);
  assert.deepEqual(again.flight.bootHistory!.lines, ["boot 3: slot b version 2; previous boot: confirmed; events: booted (previous: confirmed, boot 3)"]);
}

const FAILURES: [string, () => Uint8Array, string, number | undefined][] = [
  ["exits 1 at its self-test", () => exitingWasm(1), "exit", PATIENT_MS],
  ["traps", trappingWasm, "trap", PATIENT_MS],
  ["refuses its configuration (exit 2)", () => exitingWasm(2), "exit", PATIENT_MS],
  ["hangs (the watchdog reboots it)", hangingWasm, "hang", 5000],
];
for (const [what, wasm, cause, watchdogMs] of FAILURES) test(`[tengri §boot] [tengri §boot-events] a bad image on trial that ${what} at every boot: after ${MAX_TRIAL_BOOTS} trial boots the bootloader goes back to the previous slot by itself and the pass verifies; housekeeping and events report the fallback`, async () => {
  const v1 = signed(flightWasm(), p, 1);
  const bad = signed(wasm(), p, 2, undefined, "fails-self-test");
  const dir = newFlashDir(p, v1);
  // Accepted in an earlier pass (the reboot request): on trial from the first boot of this one.
  requestUpload(dir, bad);
  assert.equal(new Bootloader(dir, { profile: p }).processBootRequest(), true);
  const hk: Housekeeping[] = [];
  const s = await runPass({ profile: p, lines: LINES, seed: 5, flash: { dir }, watchdogMs, observers: [{ housekeeping: (h) => hk.push(h) }] });
  assert.equal(s.verified, true, JSON.stringify(s.verdict));
  const boot = s.flight.boot!;
  const trials = Array(MAX_TRIAL_BOOTS).fill(["b", true]);
  assert.deepEqual(boot.images.slice(0, MAX_TRIAL_BOOTS + 1).map((i) => [i.slot, i.trial]), [...trials, ["a", false]]);
  assert.deepEqual(s.flight.reboots.slice(0, MAX_TRIAL_BOOTS).map((r) => r.cause), Array(MAX_TRIAL_BOOTS).fill(cause));
  if (cause === "hang") {
    // A slow start of the good image on a loaded machine may be taken for a hang too: it is rebooted on slot a again.
    assert.ok(boot.images.slice(MAX_TRIAL_BOOTS).every((i) => i.slot === "a" && !i.trial));
  } else assert.equal(boot.images.length, MAX_TRIAL_BOOTS + 1);
  assert.ok(boot.events.some((e) => e.kind === "trial-abandoned"));
  assert.equal(s.image.linesComplete, LINES);
  assert.deepEqual(readBootState(dir).state, { active: 0, trial: NO_TRIAL, trialBoots: 0, highestConfirmed: 1 });
  // The failing images send nothing; slot a (the real image) reports how it came back: boot
  // MAX_TRIAL_BOOTS + 1 (a slow start taken for a hang adds boots), not on trial, the previous
  // boot's outcome "fell back" after MAX_TRIAL_BOOTS failed trial boots (event 12, then event 9).
  // (A slow start of slot a taken for a hang reboots it before it reports: the outcome belongs to
  // the boot right after the fallback only, so then the later boots show slot a, not on trial.)
  const rows = hkBoots(hk);
  const ev = bootEventsOf(s);
  if (boot.images.length > MAX_TRIAL_BOOTS + 1) {
    assert.ok(rows.length > 0 && rows.every((r) => r[1] === 0 && r[2] === 1 && r[3] === 0), JSON.stringify(rows));
  } else {
    assert.deepEqual(rows, [[MAX_TRIAL_BOOTS + 1, 0, 1, 0, 0, MAX_TRIAL_BOOTS, 3]]);
    assert.deepEqual(ev, [["fell-back", 3, MAX_TRIAL_BOOTS], ["booted", 3, MAX_TRIAL_BOOTS + 1]]);
    assert.match(s.flight.bootHistory!.lines[0], new RegExp(`^boot ${MAX_TRIAL_BOOTS + 1}: slot a version 1; previous boot: fell-back; events: fell-back \\(fell-back, ${MAX_TRIAL_BOOTS} failed trial boots\\), booted`));
  }
  rmSync(dir, { recursive: true, force: true });
});

test("[tengri §boot] an OBC whose slots both fail their checks does not start the payload: NoBootableImageError, never an unverified image", async () => {
  const dir = newFlashDir(p, signed(flightWasm(), p, 1));
  truncateSync(join(dir, "slot-a.img"), 1000);
  await assert.rejects(runPass({ profile: p, lines: 8, flash: { dir } }), (e: unknown) => e instanceof NoBootableImageError && /no bootable image/.test((e as Error).message));
  rmSync(dir, { recursive: true, force: true });
});
