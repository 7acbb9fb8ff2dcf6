// The bootloader's decision handed to the image (host/boot/README.md "boot-record.bin"): the
// record's layout octet by octet, the bootloader writing it at every step of an update (boot,
// upload accepted, trial boots, failed trial, confirmation, fallback, each refusal with its
// reason), and the real flight image reading it: a hostile record with a correct CRC is refused
// (event 15, fields unknown, the pass runs on), a valid one is in housekeeping and events.
import { test } from "node:test";
import assert from "node:assert/strict";
import { rmSync, writeFileSync, readFileSync, unlinkSync, mkdirSync, rmdirSync } from "node:fs";
import { join } from "node:path";
import { loadProfile } from "../../../host/profiles/index.ts";
import { Bootloader, MAX_TRIAL_BOOTS } from "../../../host/boot/bootloader.ts";
import {
  FLASH_FILES, encodeBootRecordFile, decodeBootRecordFile, readBootRecord, BOOT_RECORD_FILE_LEN, BOOT_OUTCOMES, BOOT_REASONS,
  type BootRecord,
} from "../../../host/boot/flash-dir.ts";
import { signImage } from "../../../host/boot/keys.ts";
import { flash } from "../../../host/obc/image.ts";
import { crc16 } from "../../../host/util/crc16.ts";
import { runPass } from "../../../host/pass.ts";
import { CONTRACT } from "../../../host/contract/contract.gen.ts";
import { bootOutcomeName } from "../../../host/ground/boot-history.ts";
import { bootHistorySection } from "../../../host/report/html.ts";
import type { ReportJson } from "../../../host/report/index.ts";
import { missionKey, otherKey, flightWasm, signed, newFlashDir, requestUpload, writeConfirm, sha256 } from "./helpers.ts";

const p = loadProfile("cubesat-mcu");
const v1 = signed(flightWasm(), p, 1);
const v2 = signed(flightWasm(), p, 2);
const bl = (dir: string) => new Bootloader(dir, { profile: p });
/** The record as [bootCount, slot, onTrial, attempt, max, version, previous outcome, its detail]. */
const rec = (dir: string) => {
  const r = readBootRecord(dir);
  assert.ok(r.record, `boot-record.bin: ${r.error}`);
  const x = r.record;
  return [x.bootCount, x.slot, x.onTrial, x.trialAttempt, x.trialMax, x.version, x.prevOutcome, x.prevDetail];
};

test("[tengri §boot-events] boot-record.bin: 24 octets, \"TGBR\", format 1, fields at the README's offsets, CRC-16/CCITT-FALSE over octets 0..21; outcome codes are the contract's bootOutcome enum", () => {
  const r: BootRecord = { slot: 1, onTrial: true, trialAttempt: 2, trialMax: 3, prevOutcome: "upload-accepted", prevDetail: 1, outcome: "confirmed", detail: 2, version: 0x01020304, bootCount: 0xa0b0c0d0 };
  const b = encodeBootRecordFile(r);
  const want = Uint8Array.from([0x54, 0x47, 0x42, 0x52, 1, 1, 1, 2, 3, 6, 1, 1, 1, 2, 3, 4, 0xa0, 0xb0, 0xc0, 0xd0, 2, 0, 0, 0]);
  const c = crc16(want.subarray(0, 22)); want[22] = c >> 8; want[23] = c & 0xff;
  assert.deepEqual(b, want);
  assert.equal(b.length, BOOT_RECORD_FILE_LEN);
  assert.deepEqual(decodeBootRecordFile(b).record, r);
  const enumNames = CONTRACT.housekeeping.fields.find((f) => f.name === "bootOutcome")!.enum!;
  for (const [name, code] of Object.entries(BOOT_OUTCOMES)) { assert.equal(enumNames[String(code)], name); assert.equal(bootOutcomeName(code), name); }
  assert.equal(bootOutcomeName(255), "unknown");
  // Hostile but CRC-correct records: each range check refuses.
  const hostile: [number, number, RegExp][] = [[5, 2, /slot 2/], [6, 2, /on-trial flag 2/], [8, 0, /trial max 0/], [7, 4, /trial attempt 4 of 3/], [7, 0, /trial attempt 0/], [9, 13, /outcome 13/], [11, 200, /outcome 200/], [4, 2, /format 2/]];
  for (const [at, v, msg] of hostile) {
    const h = b.slice(); h[at] = v;
    const k = crc16(h.subarray(0, 22)); h[22] = k >> 8; h[23] = k & 0xff;
    const d = decodeBootRecordFile(h);
    assert.equal(d.record, null, `octet ${at} = ${v}`);
    assert.match(d.error!, msg);
  }
  const flipped = b.slice(); flipped[17] ^= 1;
  assert.match(decodeBootRecordFile(flipped).error!, /CRC/);
  assert.match(decodeBootRecordFile(b.subarray(0, 23)).error!, /23 octets/);
});

test("[tengri §boot-events] the bootloader writes the record before every boot: count, slot, version, trial attempt n of max, and the previous boot's outcome — upload accepted, trial failed, confirmed, fell back", () => {
  const dir = newFlashDir(p, v1);
  bl(dir).boot();
  assert.deepEqual(rec(dir), [1, 0, false, 0, MAX_TRIAL_BOOTS, 1, "normal", 0]);
  bl(dir).boot();
  assert.deepEqual(rec(dir), [2, 0, false, 0, MAX_TRIAL_BOOTS, 1, "normal", 0]);
  requestUpload(dir, v2);
  assert.equal(bl(dir).processBootRequest(), true);
  assert.equal(readBootRecord(dir).record!.outcome, "upload-accepted");
  bl(dir).boot();
  assert.deepEqual(rec(dir), [3, 1, true, 1, MAX_TRIAL_BOOTS, 2, "upload-accepted", 1]);
  bl(dir).boot();                                      // the first trial boot ended without its confirmation
  assert.deepEqual(rec(dir), [4, 1, true, 2, MAX_TRIAL_BOOTS, 2, "trial-failed", 1]);
  writeConfirm(dir, v2);
  const b = bl(dir);
  assert.equal(b.processConfirm(), true);
  b.boot();
  assert.deepEqual(rec(dir), [5, 1, false, 0, MAX_TRIAL_BOOTS, 2, "confirmed", 2]);
  // An update that never confirms: MAX_TRIAL_BOOTS trial boots, then back to slot b (version 2).
  const v3 = signed(flightWasm(), p, 3);
  requestUpload(dir, v3);
  assert.equal(bl(dir).processBootRequest(), true);
  for (let i = 1; i <= MAX_TRIAL_BOOTS; i++) { bl(dir).boot(); assert.deepEqual(rec(dir).slice(1, 4), [0, true, i]); }
  bl(dir).boot();
  assert.deepEqual(rec(dir), [6 + MAX_TRIAL_BOOTS, 1, false, 0, MAX_TRIAL_BOOTS, 2, "fell-back", MAX_TRIAL_BOOTS]);
  // A lost record restarts the count; the boot goes on.
  unlinkSync(join(dir, FLASH_FILES.bootRecord));
  bl(dir).boot();
  assert.deepEqual(rec(dir), [1, 1, false, 0, MAX_TRIAL_BOOTS, 2, "normal", 0]);
  rmSync(dir, { recursive: true, force: true });
});

test("[tengri §boot-events] a refused upload is the next boot's outcome with its reason: signature (and key, unsigned), digest, profile, rollback, other", () => {
  const renamed = { ...p, name: "cubesat-mcu-b" };
  const cases: [string, Uint8Array, keyof typeof BOOT_OUTCOMES, string, Uint8Array?][] = [
    ["signature bit", (() => { const t = v2.slice(); t[128 + 40 + 10] ^= 0x80; return t; })(), "rejected-signature", "signature"],
    ["another key", signed(flightWasm(), p, 2, otherKey), "rejected-signature", "key"],
    ["unsigned", flash(flightWasm(), p, "u", 2), "rejected-signature", "unsigned"],
    ["declared digest differs", v2, "rejected-digest", "upload-digest", sha256(v1)],
    ["other profile's name", signImage(flash(flightWasm(), renamed, "n", 2), missionKey), "rejected-profile", "profile"],
    ["same version", v1, "rejected-rollback", "rollback"],
    ["truncated", v2.subarray(0, v2.length - 1), "rejected-other", "container"],
  ];
  for (const [what, img, outcome, reason, declared] of cases) {
    const dir = newFlashDir(p, v1);
    bl(dir).boot();
    requestUpload(dir, img, declared);
    assert.equal(bl(dir).processBootRequest(), false, what);
    bl(dir).boot();
    assert.deepEqual(rec(dir), [2, 0, false, 0, MAX_TRIAL_BOOTS, 1, outcome, BOOT_REASONS.indexOf(reason as never)], what);
    rmSync(dir, { recursive: true, force: true });
  }
});

test("[tengri §boot-events] the flight image refuses a hostile boot record with a correct CRC (slot 2): the pass runs and verifies, housekeeping reports every boot field unknown, event 15 then event 9; a valid record is reported as written", async () => {
  const dir = newFlashDir(p, v1);
  bl(dir).boot();
  const good = readFileSync(join(dir, FLASH_FILES.bootRecord));
  const h = new Uint8Array(good); h[5] = 2;
  const k = crc16(h.subarray(0, 22)); h[22] = k >> 8; h[23] = k & 0xff;
  writeFileSync(join(dir, FLASH_FILES.bootRecord), h);
  const s = await runPass({ profile: p, lines: 16, seed: 8, flashDir: dir });
  assert.equal(s.verified, true, JSON.stringify(s.verdict));
  const hk = s.flight.housekeeping!;
  assert.deepEqual([hk.bootSlot, hk.bootVersion, hk.bootOnTrial, hk.bootTrialAttempt, hk.bootTrialMax, hk.bootCount, hk.bootOutcome], [255, 0xffffffff, 255, 255, 255, 0xffffffff, 255]);
  const ev = s.commanding.reports.flatMap((r) => (r.kind === "event" && r.eventId >= 9 ? [[r.event, r.statusName, r.count]] : []));
  assert.deepEqual(ev, [["boot-record-invalid", "E_BOOT_STATE", 6], ["booted", ev[1]?.[1], 0xffffffff]]);
  assert.equal(s.commanding.reports.flatMap((r) => (r.kind === "event" && r.eventId === 9 ? [r.status] : []))[0], 255);
  assert.match(s.flight.log.join("\n"), /boot record refused \(check 6\)/);
  assert.deepEqual(s.flight.bootHistory!.lines, ["boot ?: boot record refused: slot and version unknown; previous boot: unknown; events: boot-record-invalid (check 6), booted (previous: unknown, boot ?)"]);
  // A record the image cannot read (a directory in its place): refused as unreadable (check 1), the pass runs on.
  unlinkSync(join(dir, FLASH_FILES.bootRecord));
  mkdirSync(join(dir, FLASH_FILES.bootRecord));
  const unreadable = await runPass({ profile: p, lines: 8, seed: 8, flashDir: dir });
  assert.equal(unreadable.flight.exitCode, 0, unreadable.flight.log.join("\n"));
  assert.equal(unreadable.flight.housekeeping!.bootSlot, 255);
  assert.deepEqual(unreadable.commanding.reports.flatMap((r) => (r.kind === "event" && r.eventId === 15 ? [r.count] : [])), [1]);
  rmdirSync(join(dir, FLASH_FILES.bootRecord));
  writeFileSync(join(dir, FLASH_FILES.bootRecord), good);
  const ok = await runPass({ profile: p, lines: 16, seed: 8, flashDir: dir });
  const g = ok.flight.housekeeping!;
  assert.deepEqual([g.bootSlot, g.bootVersion, g.bootOnTrial, g.bootTrialAttempt, g.bootTrialMax, g.bootCount, g.bootOutcome], [0, 1, 0, 0, MAX_TRIAL_BOOTS, 1, 0]);
  assert.deepEqual(ok.flight.bootHistory!.lines, ["boot 1: slot a version 1; previous boot: normal; events: booted (previous: normal, boot 1)"]);
  // The HTML report's section: the count as a figure of report.json, one item per boot.
  const html = bootHistorySection(ok as unknown as ReportJson, new Map());
  assert.match(html, /<section id="boot-history">/);
  assert.match(html, /data-k="flight.bootHistory.entries.length" data-v="1">1</);
  assert.match(html, /<li>boot 1: slot a version 1; previous boot: normal; events: booted \(previous: normal, boot 1\)<\/li>/);
  assert.equal(bootHistorySection({ ...ok, flight: { ...ok.flight, bootHistory: { entries: [], lines: [] } } } as unknown as ReportJson, new Map()), "");
  rmSync(dir, { recursive: true, force: true });
});
