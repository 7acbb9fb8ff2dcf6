// The boot history of a pass as the ground sees it: the housekeeping boot fields (v3, the
// bootloader's boot record as the image read it) and the ST[5] boot events 9..15, decoded into
// one line per boot (README "Updating the flight software" lists which field and event shows
// each step).
import { CONTRACT } from "../contract/contract.gen.ts";
import type { Housekeeping } from "./housekeeping.ts";
import type { PusReport } from "./pus-reports.ts";

const OUTCOMES = CONTRACT.housekeeping.fields.find((f) => f.name === "bootOutcome")!.enum as Record<string, string>;
/** The contract's bootOutcome code as its name ("unknown" for 255 and any code not in the contract). */
export const bootOutcomeName = (code: number): string => OUTCOMES[String(code)] ?? "unknown";
/** Detail codes of an upload refusal or an invalid image (host/boot/flash-dir.ts BOOT_REASONS). */
export const BOOT_REASON_NAMES = ["", "missing", "container", "unsigned", "key", "signature", "profile", "rollback", "request", "state", "trial-pending", "upload-missing", "upload-digest", "slot-write"];
const U8_UNKNOWN = 0xff, U32_UNKNOWN = 0xffffffff;

export interface BootHistoryEntry {
  /** The bootloader's boot count (null: unknown, the boot record was refused). */
  bootCount: number | null;
  slot: "a" | "b" | null;
  version: number | null;
  onTrial: boolean | null;
  trialAttempt: number | null;
  trialMax: number | null;
  /** What happened between the previous boot and this one. */
  outcome: string;
  /** The boot events of this boot, in order of arrival: name (detail). */
  events: string[];
}

type EventReport = Extract<PusReport, { kind: "event" }>;

function eventText(e: EventReport): string {
  switch (e.eventId) {
    case 9: return `booted (previous: ${bootOutcomeName(e.status)}, boot ${e.count === U32_UNKNOWN ? "?" : e.count})`;
    case 10: return `booted-on-trial (previous: ${bootOutcomeName(e.status)}, attempt ${e.count})`;
    case 11: return e.status === 0 ? `confirmed (attempt ${e.count})` : `confirm-failed (status ${e.statusName})`;
    case 12: return `fell-back (${bootOutcomeName(e.status)}, ${e.status === 3 ? `${e.count} failed trial boots` : BOOT_REASON_NAMES[e.count] || e.count})`;
    case 13: return `upload-accepted (version ${e.count})`;
    case 14: return `upload-rejected (${bootOutcomeName(e.status)}: ${BOOT_REASON_NAMES[e.count] || e.count})`;
    case 15: return `boot-record-invalid (check ${e.count})`;
    default: return e.event;
  }
}

/**
 * One entry per boot seen in the downlink, in order: a new entry starts at each housekeeping
 * packet whose boot fields differ from the last one's (the first packet after every boot), and
 * the boot events that arrived since the previous entry belong to it.
 */
export function bootHistory(housekeeping: Housekeeping[], reports: PusReport[]): BootHistoryEntry[] {
  const out: BootHistoryEntry[] = [];
  const events = reports.filter((r): r is EventReport => r.kind === "event" && r.eventId >= 9 && r.eventId <= 15);
  const key = (h: Housekeeping) => [h.bootSlot, h.bootVersion, h.bootOnTrial, h.bootTrialAttempt, h.bootTrialMax, h.bootCount, h.bootOutcome].join(",");
  let last = "";
  for (const h of housekeeping) {
    if (h.bootCount === undefined) continue;
    const k = key(h);
    if (k === last) continue;
    last = k;
    out.push({
      bootCount: h.bootCount === U32_UNKNOWN ? null : h.bootCount,
      slot: h.bootSlot === 0 ? "a" : h.bootSlot === 1 ? "b" : null,
      version: h.bootVersion === U32_UNKNOWN ? null : h.bootVersion,
      onTrial: h.bootOnTrial === U8_UNKNOWN ? null : h.bootOnTrial === 1,
      trialAttempt: h.bootTrialAttempt === U8_UNKNOWN ? null : h.bootTrialAttempt,
      trialMax: h.bootTrialMax === U8_UNKNOWN ? null : h.bootTrialMax,
      outcome: bootOutcomeName(h.bootOutcome),
      events: [],
    });
  }
  // Events to boots: each boot's events open with 15, 12, 13 or 14 and end with 9 or 10; 11 comes later in the same boot.
  let i = -1;
  let open = false;
  for (const e of events) {
    if (!open && e.eventId !== 11) { i++; open = true; }
    const entry = out[Math.min(Math.max(i, 0), out.length - 1)];
    if (entry) entry.events.push(eventText(e));
    if (e.eventId === 9 || e.eventId === 10) open = false;
  }
  return out;
}

/** One line per boot, for the pass summary and the report. */
export function formatBootHistory(h: BootHistoryEntry[]): string[] {
  return h.map((b) => {
    const where = b.slot === null ? "boot record refused: slot and version unknown" : `slot ${b.slot} version ${b.version}${b.onTrial ? ` on trial ${b.trialAttempt}/${b.trialMax}` : ""}`;
    return `boot ${b.bootCount ?? "?"}: ${where}; previous boot: ${b.outcome}${b.events.length ? `; events: ${b.events.join(", ")}` : ""}`;
  });
}
