// The ground's boot history (host/ground/boot-history.ts): housekeeping v3 boot fields and ST[5]
// events 9..15 grouped per boot, as the decoders hand them over (hand-built records here; the
// whole chain through the flight image is in tests/host/boot/obc-boot.test.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { bootHistory, formatBootHistory, bootOutcomeName } from "../../../host/ground/boot-history.ts";
import type { Housekeeping } from "../../../host/ground/housekeeping.ts";
import type { PusReport } from "../../../host/ground/pus-reports.ts";
import { EVENT_NAMES } from "../../../host/ground/pus-reports.ts";

const hk = (bootCount: number, bootSlot: number, bootVersion: number, bootOnTrial: number, bootTrialAttempt: number, bootOutcome: number) =>
  ({ bootCount, bootSlot, bootVersion, bootOnTrial, bootTrialAttempt, bootTrialMax: bootCount === 0xffffffff ? 255 : 3, bootOutcome }) as unknown as Housekeeping;
const ev = (eventId: number, status: number, count: number): PusReport =>
  ({ kind: "event", service: 5, subtype: 1, severity: "informative", eventId, event: EVENT_NAMES[eventId], status, statusName: String(status), count, line: 0, time: 0, counter: 0 });

test("[tengri §boot-events] the ground names events 9..15 and groups boots: a new boot at each change of the housekeeping boot fields, its events from the outcome event to booted / booted-on-trial, a confirmation in the same boot", () => {
  assert.deepEqual([9, 10, 11, 12, 13, 14, 15].map((i) => EVENT_NAMES[i]), ["booted", "booted-on-trial", "confirmed", "fell-back", "upload-accepted", "upload-rejected", "boot-record-invalid"]);
  const h = bootHistory(
    [hk(7, 1, 2, 1, 1, 6), hk(7, 1, 2, 1, 1, 6), hk(8, 0, 1, 0, 0, 3), hk(0xffffffff, 255, 0xffffffff, 255, 255, 255), hk(10, 0, 1, 0, 0, 10)],
    [ev(13, 6, 2), ev(10, 6, 1), { kind: "are-you-alive", service: 17, subtype: 2, time: 0, counter: 0 }, ev(11, 0, 1), ev(3, -850, 1),
      ev(12, 3, 3), ev(9, 3, 8), ev(15, -824, 4), ev(9, 255, 0xffffffff), ev(14, 10, 7), ev(9, 10, 10)],
  );
  assert.deepEqual(formatBootHistory(h), [
    "boot 7: slot b version 2 on trial 1/3; previous boot: upload-accepted; events: upload-accepted (version 2), booted-on-trial (previous: upload-accepted, attempt 1), confirmed (attempt 1)",
    "boot 8: slot a version 1; previous boot: fell-back; events: fell-back (fell-back, 3 failed trial boots), booted (previous: fell-back, boot 8)",
    "boot ?: boot record refused: slot and version unknown; previous boot: unknown; events: boot-record-invalid (check 4), booted (previous: unknown, boot ?)",
    "boot 10: slot a version 1; previous boot: rejected-rollback; events: upload-rejected (rejected-rollback: rollback), booted (previous: rejected-rollback, boot 10)",
  ]);
  assert.equal(h[2].slot, null); assert.equal(h[2].onTrial, null); assert.equal(h[0].trialMax, 3);
  assert.equal(bootOutcomeName(13), "unknown");
  assert.deepEqual(bootHistory([], []), []);
});
