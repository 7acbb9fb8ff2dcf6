// ST[5] event reporting (ECSS-E-ST-70-41C §6.5): what the image already counts, as events.
// Report: event definition id u16 | status i32 (status table) | count u32 (the counter's value) |
// line u32 (the last line counter accepted). Severity is the subtype: 1 informative, 2 low,
// 3 medium, 4 high. Each event definition reports its first 8 occurrences, then every 1000th
// (the event log's rule), so a flood of bad records cannot flood the downlink.
// Events 7 and 8 (acquisition stopped / started) carry the stop interval after the common fields:
// at u32 = the counter of the first line not processed (7) / processed again (8); their count is
// lines dropped while stopped (7: over the pass so far; 8: in the interval that ends). They are
// never rate-limited and cannot be disabled: a commanded stop is always reported. Event 16 (product
// mode changed) is always reported too: the ground follows the product stream by it.
// Commanding events are enabled at boot; bus and link events are disabled at boot, so that a pass
// without telecommands sends exactly what it sent before ST[5] existed; ST[5,5] enables them.
import { storeU16BE, storeU32BE } from "../util/be";
import { OK, E_PUS_EVENT } from "../abi/status";
import { setDetail } from "../abi/control";
import * as hk from "../payload/housekeeping";
import { reportData, reportSend } from "./reports";

export const EV_BUS_REJECTED: i32 = 1;        // low: a bus record rejected (status says why; count: that rejection's counter)
export const EV_LINES_MISSING: i32 = 2;       // low: the line counter skipped lines (count: lines missing so far)
export const EV_TC_REFUSED: i32 = 3;          // medium: a TC frame or packet refused (count: packets and frames refused)
export const EV_TC_FAILED: i32 = 4;           // medium: an accepted TC failed in execution
export const EV_FRAMES_OVERFLOWED: i32 = 5;   // high: frames lost to a full output buffer (an anomaly, must never happen)
export const EV_PARAM_APPLIED: i32 = 6;       // informative: an ST[20] change took effect at a boundary (count: changes so far)
export const EV_ACQ_STOPPED: i32 = 7;         // informative: acquisition stopped at a boundary (ST[8])
export const EV_ACQ_STARTED: i32 = 8;         // informative: acquisition started (ST[8])
// Boot and update steps (assembly/command/boot-record.ts; README "Updating the flight software"):
// raised once the configuration is accepted (the first moment a report can leave), in this order:
// 15 when the boot record is refused, then 12, 13 or 14 for the previous boot's outcome, then 9 or 10.
export const EV_BOOTED: i32 = 9;              // informative: booted, not on trial (status: previous boot's outcome code; count: boot count)
export const EV_BOOTED_TRIAL: i32 = 10;       // low: booted on trial (status: previous boot's outcome code; count: trial attempt n, of HK bootTrialMax)
export const EV_CONFIRMED: i32 = 11;          // informative: on trial, self-test and a good pass: confirm written (status: OK or why not; count: trial attempt)
export const EV_FELL_BACK: i32 = 12;          // medium: the previous boot's trial failed for good (status: outcome fell-back / trial-invalid / recovery; count: its detail)
export const EV_UPLOAD_ACCEPTED: i32 = 13;    // informative: the upload was taken into a slot and this boot runs it on trial (status: outcome; count: image version)
export const EV_UPLOAD_REJECTED: i32 = 14;    // medium: the bootloader refused the upload (status: outcome rejected-*; count: the reason's detail code)
export const EV_BOOT_RECORD_INVALID: i32 = 15; // medium: boot record missing or refused (status E_BOOT_STATE; count: the check that failed)
export const EV_MODE_CHANGED: i32 = 16;       // informative: a product mode switch took effect (count: from << 8 | to; line: the first line in the new mode)
export const EV_COUNT: i32 = 16;            
export const EVENT_REPORT_LEN: i32 = 14;
/** Events 7 and 8: the common fields, then the line counter where the interval starts / ends. */
export const EVENT_INTERVAL_REPORT_LEN: i32 = 18;

const enabled = memory.data(EV_COUNT + 1);
const occurrences = memory.data(4 * (EV_COUNT + 1));

@inline function severity(id: i32): u32 {
  return id == EV_FRAMES_OVERFLOWED ? 4
    : id == EV_TC_REFUSED || id == EV_TC_FAILED || id == EV_FELL_BACK || id == EV_UPLOAD_REJECTED || id == EV_BOOT_RECORD_INVALID ? 3
    : id <= EV_LINES_MISSING || id == EV_BOOTED_TRIAL ? 2 : 1;
}

/** Every event definition to its boot state. */
export function eventsReset(): void {
  for (let id = 1; id <= EV_COUNT; id++) {
    store<u8>(enabled + <usize>id, id == EV_BUS_REJECTED || id == EV_LINES_MISSING || id == EV_FRAMES_OVERFLOWED ? 0 : 1);
    store<u32>(occurrences + (<usize>id << 2), 0);
  }
}

export function eventKnown(id: i32): bool { return id >= 1 && id <= EV_COUNT; }
/** Whether an event is always reported (no rate rule, no ST[5,6]): the acquisition stop interval and the product mode change. */
export function eventAlwaysOn(id: i32): bool { return id == EV_ACQ_STOPPED || id == EV_ACQ_STARTED || id == EV_MODE_CHANGED; }
export function eventEnabled(id: i32): bool { return eventKnown(id) && load<u8>(enabled + <usize>id) != 0; }

/** ST[5,5] (on) / ST[5,6] (off) for one event definition id. OK or E_PUS_EVENT. */
export function eventSetEnabled(id: i32, on: bool): i32 {
  if (!eventKnown(id)) return setDetail(E_PUS_EVENT, 0, id, EV_COUNT, 0);
  if (!on && eventAlwaysOn(id)) return setDetail(E_PUS_EVENT, 1, id, 0, 0);
  store<u8>(enabled + <usize>id, on ? 1 : 0);
  return OK;
}

/** An occurrence of event `id`: reported when enabled and within the rate rule. */
export function eventRaise(id: i32, status: i32, count: u32): void { eventRaiseAt(id, status, count, hk.hkGet(hk.HK_LAST_LINE)); }

/**
 * As eventRaise, with the report's line counter given (EV_MODE_CHANGED: the first line of the new
 * mode). Events 7 and 8 leave through eventAcquisition only. An always-on event (the product mode
 * change: the ground follows the product stream by it) is reported every time, whatever the rate
 * rule.
 */
export function eventRaiseAt(id: i32, status: i32, count: u32, line: u32): void {
  if (!eventKnown(id) || id == EV_ACQ_STOPPED || id == EV_ACQ_STARTED) return;
  const o = occurrences + (<usize>id << 2);
  const n = load<u32>(o) + 1;
  store<u32>(o, n);
  if (!eventAlwaysOn(id)) {
    if (load<u8>(enabled + <usize>id) == 0) return;
    if (n > 8 && n % 1000 != 0) return;
  }
  putCommon(id, status, count, line);
  reportSend(5, severity(id), EVENT_REPORT_LEN);
}

/**
 * Event 7 (stopped) or 8 (started), every occurrence: count = lines dropped while stopped (see
 * above), at = the counter of the first line not processed (7) or processed again (8).
 */
export function eventAcquisition(id: i32, count: u32, at: u32): void {
  if (id != EV_ACQ_STOPPED && id != EV_ACQ_STARTED) return;
  const o = occurrences + (<usize>id << 2);
  store<u32>(o, load<u32>(o) + 1);
  putCommon(id, OK, count, hk.hkGet(hk.HK_LAST_LINE));
  storeU32BE(reportData() + 14, at);
  reportSend(5, severity(id), EVENT_INTERVAL_REPORT_LEN);
}

function putCommon(id: i32, status: i32, count: u32, line: u32): void {
  const d = reportData();
  storeU16BE(d, <u32>id);
  storeU32BE(d + 2, <u32>status);
  storeU32BE(d + 6, count);
  storeU32BE(d + 10, line);
}
