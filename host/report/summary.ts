// The pass summary on the terminal. The verdict, its checks and the backlog words come from the
// same structures as report.json and report.html (verdict.ts, backlog.ts): nothing here decides.
import type { PassSummary } from "../pass.ts";
import { backlogWords } from "./backlog.ts";
import { describeReport } from "../ground/pus-reports.ts";

const tty = () => process.stdout.isTTY && !process.env.NO_COLOR;
const c = (code: number) => (s: string | number) => (tty() ? `\x1b[${code}m${s}\x1b[0m` : String(s));
const bold = c(1), green = c(32), red = c(31), yellow = c(33), dim = c(2);

/** The summary as lines of text (no colour when `out` is not a terminal or NO_COLOR is set). */
export function printSummary(s: PassSummary, out: (line: string) => void = (l) => console.log(l)): void {
  const hk = s.flight.housekeeping;
  const rejected = hk ? hk.rejectedBadSync + hk.rejectedBadCrc + hk.rejectedBadLength + hk.rejectedBadType + hk.rejectedBadLine + hk.rejectedLineJump + hk.rejectedTimeJump + hk.rejectedNoConfig : NaN;
  const row = (k: string, v: string | number) => out(`  ${k.padEnd(28)} ${v}`);
  out(bold(`Pass on profile ${s.profile}: ${s.lines} lines × ${s.bands} bands × ${s.pixels} pixels, ${s.bitDepth}-bit`));
  out(bold("Flight image"));
  row("lines in / accepted", `${s.lines} / ${hk?.linesAccepted ?? "?"}`);
  row("records rejected", rejected);
  row("packets sent", hk?.packetsSent ?? "?");
  row("frames (data / idle)", `${hk?.dataFrames ?? "?"} / ${hk?.idleFrames ?? "?"}`);
  row("CADU bytes", s.flight.caduBytes);
  out(bold("Link"));
  row("bit errors / bursts", `${s.link.bitErrors} / ${s.link.bursts}`);
  row("CADUs dropped / slips", `${s.link.dropped} / ${s.link.slips}`);
  out(bold("Ground station"));
  row("CADUs / sync losses", `${s.ground.cadus} / ${s.ground.syncLosses}`);
  row("RS symbols corrected", s.ground.rsSymbolsCorrected);
  row("codewords uncorrectable", s.ground.rsCodewordsUncorrectable > 0 ? red(s.ground.rsCodewordsUncorrectable) : s.ground.rsCodewordsUncorrectable);
  row("frames good / dropped", `${s.ground.framesGood} / ${s.ground.framesDropped}`);
  row("packets", s.ground.packets);
  const within = s.image.linesExact - s.image.linesBitExact;
  row("lines verified / lost", `${s.image.linesExact} / ${s.image.linesMissing + s.image.linesPartial}${within > 0 ? ` (${s.image.linesBitExact} bit-exact, ${within} with degraded pixels within their bound)` : ""}`);
  for (const l of s.image.lostLines.slice(0, 5)) row(dim(`  line ${l.line}`), dim(`bands ${l.bands.join(",")}: ${l.reason}`));
  if (s.image.lostLines.length > 5) row(dim("  …"), dim(`${s.image.lostLines.length - 5} more`));
  const comp = s.image.compression.filter((x) => x.codedBits > 0);
  if (comp.length) {
    const raw = comp.reduce((a, x) => a + x.rawBits, 0), coded = comp.reduce((a, x) => a + x.codedBits, 0);
    out(bold(`Compression (${s.mode})`));
    row("ratio per band", comp.map((x) => x.ratio.toFixed(2)).join(" "));
    row("overall", `${(raw / coded).toFixed(2)} (${((coded / raw) * s.bitDepth).toFixed(2)} bits/sample)`);
    if (s.image.unitsDecoded + s.image.unitsLost > 0) row("units decoded / lost", `${s.image.unitsDecoded} / ${s.image.unitsLost}`);
  }
  if (s.screening) {
    const x = s.screening;
    out(bold("Cloud screening"));
    row("cloud cover", `${(100 * x.cloudFraction).toFixed(1)} % of valid pixels (uncertain-bright ${(100 * x.uncertainFraction).toFixed(1)} %, bright not cloud: snow, ice ${(100 * (x.brightFraction ?? 0)).toFixed(1)} %)`);
    row("tiles kept / degraded / dropped", `${x.kept} / ${x.degraded} / ${x.dropped} of ${x.tiles}`);
    row("pixels not sent", `${((100 * x.droppedPixels) / Math.max(1, x.totalPixels)).toFixed(1)} % (statistics and thumbnails sent instead)`);
    row("degraded tiles: max error", `${s.image.maxDegradedError} DN`);
    row("cloud mask", x.maskAgrees ? green(`${x.maskUnits} units, agrees with the tile statistics`) : red(`${x.maskUnits} units decoded, ${x.maskUnitsLost} lost; does not agree with the tile statistics`));
  }
  if (s.commanding && (s.commanding.reports.length > 0 || s.commanding.badReports > 0)) {
    out(bold("Commanding (PUS-C reports)"));
    row("reports decoded / unreadable", `${s.commanding.reports.length} / ${s.commanding.badReports}`);
    const st = s.commanding.stopped;
    if (st) row("stopped by command", `${st.lines} lines in ${st.intervals.map((i) => `[${i.from}, ${i.to ?? "end"})`).join(", ")}${st.problems.length ? red(`; ${st.problems[0]}`) : ""}`);
    for (const r of s.commanding.reports.slice(0, 20)) row(`  #${r.counter}`, describeReport(r));
    if (s.commanding.reports.length > 20) row("", `… ${s.commanding.reports.length - 20} more in report.json`);
  }
  if (s.pan && s.channels?.length) {
    // Per channel (issue 13 §3): coded rate against the downlink, and the lossy channel's quality.
    out(bold("Channels"));
    for (const c of s.channels) {
      const q = c.lossless ? "lossless" : `PSNR ${c.psnrDb === null || c.psnrDb === Infinity ? "∞" : c.psnrDb.toFixed(1)} dB, max error ${c.maxError} DN`;
      row(c.name, `${(c.rateBitS / 1e6).toFixed(1)} Mbit/s (${(100 * c.shareOfDownlink).toFixed(0)} % of the downlink), ${q}`);
    }
    const share = s.channels.reduce((a, c) => a + c.shareOfDownlink, 0);
    row("together", share <= 1 ? green(`${(100 * share).toFixed(0)} % of the downlink: it keeps up`) : yellow(`${(100 * share).toFixed(0)} % of the downlink: it does not keep up (the rest waits in the store)`));
    row("pan (CCSDS 122)", s.pan.ok ? green(s.pan.detail) : red(s.pan.detail));
  }
  out(bold("Downlink budget"));
  const b = s.downlink.backlog;
  row("raw sensor rate", `${(s.downlink.rawBitRate / 1e6).toFixed(1)} Mbit/s`);
  row("downlink rate", `${(s.downlink.downlinkBitRate / 1e6).toFixed(1)} Mbit/s`);
  row("pass / link time for data", `${s.downlink.passDurationS.toFixed(2)} s / ${s.downlink.dataLinkTimeS.toFixed(2)} s (link ${(100 * s.downlink.linkUse).toFixed(0)} % busy with data on average)`);
  row("backlog", b.keptPace ? green(backlogWords(b)) : yellow(backlogWords(b)));
  if (s.flight.realTime) {
    const rt = s.flight.realTime;
    row("OBC time per line", `${rt.perLineMs.toFixed(3)} ms of a ${rt.linePeriodMs.toFixed(3)} ms line period (${rt.margin >= 0 ? `${(100 * rt.margin).toFixed(0)} % spare` : "slower than real time"})`);
    row("", dim(`the image's CPU time under ${rt.runtime}; includes V8 compiling the module (short passes understate the margin); npm run bench gives the steady figure`));
  }
  const st = s.downlink.store;
  if (st && (st.cadusLost > 0 || st.cadusLeft > 0)) row("onboard store", yellow(`${st.cadusLost} CADUs lost to overflow, ${st.cadusLeft} left after the contact window`));
  else if (st) row("onboard store", `max fill ${(st.maxFillBytes / 1e6).toFixed(1)} MB, ${st.waited} CADUs waited (max ${st.maxWaitS.toFixed(2)} s)`);
  if (s.flight.reboots.length) row("OBC reboots", yellow(`${s.flight.reboots.length} (${s.flight.reboots.map((r) => r.cause).join(", ")})`));
  for (const [i, l] of (s.flight.bootHistory?.lines ?? []).entries()) row(i === 0 ? "Boot history" : "", l);
  row("wall time / throughput", `${s.wallS.toFixed(2)} s / ${s.throughputMbitS.toFixed(1)} Mbit/s of CADUs`);
  const v = s.verdict;
  out(bold(`Verdict: ${v.checks.filter((k) => k.ok).length} of ${v.checks.length} checks passed`));
  for (const k of v.checks) {
    const mark = k.ok ? green("✓") : red("✗");
    out(`  ${mark} ${k.name.padEnd(44)} ${k.ok ? dim(k.detail) : red(k.detail)}`);
  }
  out(v.verified ? green(bold(v.headline)) : red(bold(v.headline)));
}
