// The pass verdict and its words, computed once: the terminal summary, report.json and
// report.html (badge, title, verdict section) all show this structure and nothing else.
// VERIFIED only when every piece the ground derived as owed (host/ground/completeness.ts)
// arrived and checked, the image was rebuilt line by line against what the imager sent, and
// the flight image's own end-of-pass counters agree (every line accepted, no record rejected,
// no frame lost to a full output buffer).
import type { Completeness, PieceCount } from "../ground/completeness.ts";
import type { ReconstructionStats } from "../ground/image.ts";
import { insideInterval } from "../ground/stopped.ts";

export interface VerdictCheck {
  name: string;
  expected: number | string;
  got: number | string;
  ok: boolean;
  /** What was found: "all 5 arrived and checked", or the count and the first problems by name. */
  detail: string;
}

export interface Verdict {
  verified: boolean;
  label: "VERIFIED" | "NOT VERIFIED";
  /** The one line that says it all, label included: the terminal's last line, the report's badge and title. */
  headline: string;
  /** The headline without its label (the badge's small text). */
  reason: string;
  checks: VerdictCheck[];
}

export interface VerdictInput {
  completeness: Completeness;
  image: ReconstructionStats;
  exitCode: number;
  /** Screening: the degrade bound 2^(k−1) in DN (0 without degraded tiles). */
  degradeBound: number;
  screening: boolean;
  /** Screening: the mask and statistics totals over the pass (a mask unit for no owed tile row still shows here). */
  maskTotals?: { maskAgrees: boolean; maskCloudPixels: number; maskUnitsLost: number };
  /** Checks of further channels (the pan channel: host/ground/pan.ts), before the exit status. */
  extra?: VerdictCheck[];
}

const n = (v: number) => v.toLocaleString("en-US");

function pieceCheck(c: PieceCount, verb = "arrived and checked"): VerdictCheck {
  const ok = c.problems === 0 && c.ok === c.expected;
  const more = c.problems > c.issues.length ? `; and ${n(c.problems - c.issues.length)} more` : "";
  const detail = ok
    ? c.expected === 0 ? "none owed" : `all ${n(c.expected)} ${verb}`
    : `${n(c.problems)} of ${n(c.expected)} not as owed: ${c.issues.join("; ")}${more}`;
  return { name: c.what, expected: c.expected, got: c.ok, ok, detail };
}

function equal(name: string, expected: number, got: number | null, what: string): VerdictCheck {
  if (got === null) return { name, expected, got: "no end-of-pass housekeeping", ok: false, detail: `unknown: the end-of-pass housekeeping packet did not arrive` };
  const ok = got === expected;
  return { name, expected, got, ok, detail: ok ? `${n(got)}${what ? ` ${what}` : ""}` : `${n(got)} where ${n(expected)} was expected` };
}

/**
 * "lines stopped by command": every line the imager sent inside a commanded stop interval (from
 * events 7 and 8) is accounted for: none of them arrived, each interval's event count agrees, and
 * the flight image's own count of lines dropped while stopped equals them. A stop the events do not
 * account for (lines dropped with no interval, an event lost or unpaired) fails.
 */
function stoppedCheck(c: Completeness, hk: Completeness["finalHousekeeping"]): VerdictCheck {
  const name = "lines stopped by command";
  const st = c.stopped;
  const lines = st ? st.lines : 0;
  const problems = st ? [...st.problems] : [];
  if (!hk) problems.push("the end-of-pass housekeeping packet did not arrive: the flight image's count of dropped lines is unknown");
  else if (hk.linesDroppedStopped !== lines) problems.push(`the flight image dropped ${n(hk.linesDroppedStopped)} lines while stopped, the stop events account for ${n(lines)}`);
  const ok = problems.length === 0;
  const iv = st ? st.intervals.map((i) => `[${i.from}, ${i.to ?? "end of pass"})`).join(", ") : "";
  const detail = ok
    ? `${n(lines)} lines in ${st!.intervals.length} commanded stop${st!.intervals.length === 1 ? "" : "s"} ${iv}, as the events and the flight image's count say`
    : problems.slice(0, 3).join("; ") + (problems.length > 3 ? `; and ${problems.length - 3} more` : "");
  return { name, expected: lines, got: hk ? hk.linesDroppedStopped : "no end-of-pass housekeeping", ok, detail };
}

export function computeVerdict(x: VerdictInput): Verdict {
  const c = x.completeness, img = x.image, hk = c.finalHousekeeping;
  const checks: VerdictCheck[] = [];
  checks.push(pieceCheck(c.image));
  if (c.tiles) checks.push(pieceCheck(c.tiles));
  if (c.mask) checks.push(pieceCheck(c.mask));
  if (c.maskAgreement) {
    const a = pieceCheck(c.maskAgreement, "agree");
    a.name = "cloud mask agrees with the tile statistics";
    if (c.maskAgreement.expected === 0 && c.tiles && c.tiles.expected > 0) { a.ok = false; a.detail = "nothing to compare: no tile has both its mask and its statistics"; }
    else if (a.ok && c.mask?.problems === 0 && x.maskTotals && !x.maskTotals.maskAgrees) {
      // Every owed unit arrived and agrees, yet the pass's totals do not: a unit for no owed row, or a broken extra one.
      a.ok = false;
      a.detail = `every owed tile agrees, but over the pass the mask has ${n(x.maskTotals.maskCloudPixels)} cloud pixels and ${n(x.maskTotals.maskUnitsLost)} units lost, which the statistics do not match`;
    }
    checks.push(a);
  }
  checks.push(pieceCheck(c.housekeeping));
  // Lines inside a commanded stop (host/ground/stopped.ts) are owed nothing: not missing.
  const st = c.stopped;
  const stoppedMissing = st ? st.lines - st.arrived : 0;
  {
    const sent = c.lines.sent - stoppedMissing;
    const missing = img.linesMissing - stoppedMissing;
    const ok = img.linesExact === sent && img.linesMismatch === 0 && img.linesPartial === 0 && missing === 0;
    const first = img.lostLines.filter((l) => !st || !st.intervals.some((i) => insideInterval(i, l.line))).slice(0, 3).map((l) => `line ${l.line} (bands ${l.bands.join(", ")}): ${l.reason}`);
    const stopNote = stoppedMissing ? ` (${n(stoppedMissing)} more stopped by command)` : "";
    const detail = ok
      ? `all ${n(sent)}${stopNote}: every pixel sent ${img.linesBitExact === sent ? "bit-exact" : "exact or within its bound"}`
      : `${n(img.linesExact)} of ${n(sent)}${stopNote}: ${n(missing)} missing, ${n(img.linesPartial)} partial, ${n(img.linesMismatch)} with pixels outside their bound${first.length ? `; ${first.join("; ")}` : ""}`;
    checks.push({ name: "lines rebuilt against the imager's", expected: sent, got: img.linesExact, ok, detail });
  }
  if (st || (hk && hk.linesDroppedStopped > 0)) checks.push(stoppedCheck(c, hk));
  checks.push(equal("lines accepted by the flight image", c.linesToLastBoot - (st ? st.lines : 0), hk ? hk.linesAccepted : null, ""));
  const rejected = hk ? hk.rejectedBadSync + hk.rejectedBadCrc + hk.rejectedBadLength + hk.rejectedBadType + hk.rejectedBadLine + hk.rejectedLineJump + hk.rejectedTimeJump + hk.rejectedNoConfig : null;
  checks.push(equal("bus records rejected by the flight image", 0, rejected, ""));
  checks.push(equal("frames lost to a full output buffer", 0, hk ? hk.framesOverflowed : null, ""));
  if (c.tiles) checks.push(equal("tiles the flight image counted", c.tiles.expected, hk ? hk.tilesKept + hk.tilesDegraded + hk.tilesDropped : null, "kept, degraded or dropped"));
  if (x.extra) checks.push(...x.extra);
  checks.push({ name: "flight image exit status", expected: 0, got: x.exitCode, ok: x.exitCode === 0, detail: x.exitCode === 0 ? "0: the pass ended normally" : `${x.exitCode}` });

  const verified = checks.every((k) => k.ok);
  let reason: string;
  if (verified) {
    const owed = [c.image, c.tiles, c.mask, c.housekeeping].filter((p): p is PieceCount => p !== null).map((p) => `${n(p.expected)} ${p.what}`).join(", ");
    const px = img.linesBitExact === c.lines.sent
      ? "every pixel bit-exact"
      : x.screening
        ? `kept tiles bit-exact, degraded tiles within their bound (max error ${n(img.maxDegradedError)} DN, bound ${n(x.degradeBound)} DN)`
        : `every pixel within its bound (max error ${n(img.maxDegradedError)} DN)`;
    reason = `every expected piece arrived and checked (${owed}); ${px}`;
  } else {
    const bad = checks.filter((k) => !k.ok);
    reason = bad.slice(0, 3).map((k) => `${k.name}: ${k.detail}`).join(" | ") + (bad.length > 3 ? ` | ${bad.length - 3} more checks failed` : "");
  }
  const label = verified ? "VERIFIED" : "NOT VERIFIED";
  return { verified, label, headline: `${label}: ${reason}`, reason, checks };
}
