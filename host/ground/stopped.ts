// Commanded stops of acquisition, as the ground reconstructs them from the payload's ST[5] events
// (README "Commanding the payload"): event 7 acquisition-stopped carries the counter of the first
// line not processed, event 8 acquisition-started the counter of the first line processed again
// and the lines dropped while stopped. An interval is [from, to) in line counters (modulo 2^32: a
// stop across the counter's wrap is one interval); a stop with no start after it runs to the end
// of the pass. Events that do not pair up (a stop while stopped, a start with no stop, a start
// before its stop) are problems, named; the verdict fails on any (host/report/verdict.ts).
import type { PusReport } from "./pus-reports.ts";

export const EV_ACQ_STOPPED = 7;
export const EV_ACQ_STARTED = 8;
const MOD = 2 ** 32;

export interface StopInterval {
  /** Counter of the first line not processed. */
  from: number;
  /** Counter of the first line processed again (exclusive end); null: stopped to the end of the pass. */
  to: number | null;
  /** Lines the flight image says it dropped in this interval (event 8's count); null while open. */
  dropped: number | null;
  /** Report times (CUC seconds) of the two events. */
  stoppedAt: number;
  startedAt: number | null;
}

export interface StopReconstruction {
  intervals: StopInterval[];
  /** Events that do not pair up, by name; empty when every stop is accounted for. */
  problems: string[];
}

/** Lines from `from` up to `to` (exclusive), modulo 2^32; an open interval is half the counter space. */
export function intervalLength(i: Pick<StopInterval, "from" | "to">): number {
  return i.to === null ? MOD / 2 : (((i.to - i.from) % MOD) + MOD) % MOD;
}

/** Whether a line counter lies inside the interval (modulo 2^32). */
export function insideInterval(i: Pick<StopInterval, "from" | "to">, line: number): boolean {
  return ((((line - i.from) % MOD) + MOD) % MOD) < intervalLength(i);
}

/** The interval as plain, non-wrapping ranges [a, b) of counters (two when it crosses 2^32). */
export function intervalRanges(i: Pick<StopInterval, "from" | "to">): [number, number][] {
  if (i.to === null) return [[i.from, Infinity]];
  if (i.to >= i.from) return [[i.from, i.to]];
  return [[i.from, MOD], [0, i.to]];
}

/** The stop intervals of a pass from its decoded reports, in arrival order. Never throws. */
export function reconstructStops(reports: readonly PusReport[]): StopReconstruction {
  const intervals: StopInterval[] = [];
  const problems: string[] = [];
  let open: StopInterval | null = null;
  for (const r of reports) {
    if (r.kind !== "event" || (r.eventId !== EV_ACQ_STOPPED && r.eventId !== EV_ACQ_STARTED)) continue;
    const at = r.at;
    if (at === undefined || !Number.isInteger(at) || at < 0 || at >= MOD) { problems.push(`event ${r.event} (message ${r.counter}) carries no line counter`); continue; }
    if (r.eventId === EV_ACQ_STOPPED) {
      if (open) { problems.push(`acquisition-stopped at line ${at} while already stopped from line ${open.from} (no acquisition-started between)`); continue; }
      const over = intervals.find((i) => insideInterval(i, at));
      if (over) problems.push(`acquisition-stopped at line ${at} inside the earlier stop [${over.from}, ${over.to})`);
      open = { from: at, to: null, dropped: null, stoppedAt: r.time, startedAt: null };
      intervals.push(open);
    } else {
      if (!open) { problems.push(`acquisition-started at line ${at} with no acquisition-stopped before it`); continue; }
      const len = (((at - open.from) % MOD) + MOD) % MOD;
      if (len >= MOD / 2) { problems.push(`acquisition-started at line ${at} before its stop at line ${open.from}`); open = null; intervals.pop(); continue; }
      open.to = at; open.dropped = r.count; open.startedAt = r.time;
      if (r.count > len) problems.push(`acquisition-started at line ${at}: ${r.count} lines dropped in an interval of ${len} lines from line ${open.from}`);
      open = null;
    }
  }
  return { intervals, problems };
}

/** Sorted, merged runs [a, b) of line counters (bounded memory however many lines). */
export class LineRuns {
  private runs: [number, number][] = [];
  add(line: number): void {
    const last = this.runs[this.runs.length - 1];
    if (last && line === last[1]) { last[1]++; return; }
    if (last && line >= last[0] && line < last[1]) return;
    if (!last || line > last[1]) { this.runs.push([line, line + 1]); return; }
    // Out of order (rare): insert and merge.
    this.runs.push([line, line + 1]);
    this.runs.sort((a, b) => a[0] - b[0]);
    const m: [number, number][] = [];
    for (const r of this.runs) { const p = m[m.length - 1]; if (p && r[0] <= p[1]) p[1] = Math.max(p[1], r[1]); else m.push([r[0], r[1]]); }
    this.runs = m;
  }
  /** How many of the lines lie in [a, b). */
  countIn(a: number, b: number): number {
    let n = 0;
    for (const [x, y] of this.runs) { const lo = Math.max(x, a), hi = Math.min(y, b); if (hi > lo) n += hi - lo; }
    return n;
  }
  /** How many of the lines lie inside the interval. */
  countInside(i: Pick<StopInterval, "from" | "to">): number {
    return intervalRanges(i).reduce((s, [a, b]) => s + this.countIn(a, b), 0);
  }
  get size(): number { return this.runs.reduce((s, [a, b]) => s + b - a, 0); }
}

/** What completeness says of the commanded stops (Completeness.stopped; report.json commanding.stopped). */
export interface StoppedLines {
  intervals: (StopInterval & { linesSent: number; linesArrived: number })[];
  /** Lines the imager sent inside the intervals: stopped by command, not missing. */
  lines: number;
  /** Of those, lines whose data nevertheless arrived (the flight processed a line the events say it stopped). */
  arrived: number;
  problems: string[];
}

/** Lines sent, lines that arrived, and the intervals: the stopped lines of a pass. */
export function stoppedLines(rec: StopReconstruction, sent: LineRuns, missing: LineRuns): StoppedLines {
  const intervals = rec.intervals.map((i) => {
    const linesSent = sent.countInside(i);
    return { ...i, linesSent, linesArrived: linesSent - missing.countInside(i) };
  });
  const problems = [...rec.problems];
  for (const i of intervals) {
    if (i.linesArrived > 0) problems.push(`${i.linesArrived} lines of the stop [${i.from}, ${i.to ?? "end"}) arrived: the flight image processed lines its events say were stopped`);
    if (i.dropped !== null && i.dropped !== i.linesSent) problems.push(`the stop [${i.from}, ${i.to}) dropped ${i.dropped} lines by its event, the imager sent ${i.linesSent} in it`);
  }
  return { intervals, lines: intervals.reduce((s, i) => s + i.linesSent, 0), arrived: intervals.reduce((s, i) => s + i.linesArrived, 0), problems };
}
