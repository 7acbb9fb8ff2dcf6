// The downlink backlog, computed once: whether the link kept pace with imaging, the largest
// backlog and the backlog when imaging ended. The terminal, report.json ("keeps up", the figures)
// and the report's backlog chart all take it from here.
//
// Definition (the flight image's own frame clock, README "Frames"): the backlog is the number of
// frames the image has produced beyond what the link could have sent by then. The image reports
// it in every housekeeping packet (at boot, every N lines, at the end); when imaging ends the
// ground adds the last figure itself: CADUs produced in the pass minus the link's capacity over
// the pass — the end-of-pass flush (the last tile row, the final housekeeping) is in it, which
// the image's last report cannot see. "Kept pace" means the backlog was 0 at every report and at
// the end of imaging; a backlog that rose during the pass and drained later is not keeping pace.

export interface BacklogSample { /** The flight's CADU count when the figure was taken. */ cadu: number; frames: number }

export interface Backlog {
  /** The figures, in order: one per housekeeping packet, then the end of imaging (at most MAX_SAMPLES, merged by maximum). */
  samples: BacklogSample[];
  maxFrames: number;
  /** Housekeeping reports of the figure (during the pass), and the largest of them. */
  reports: number;
  maxReportedFrames: number;
  /** Frames still to send when imaging ended, and the downlink time they need. */
  endFrames: number;
  endS: number;
  keptPace: boolean;
  /** Frames the link could carry during the pass, and the CADUs the image produced. */
  capacityFrames: number;
  cadusProduced: number;
}

export const MAX_SAMPLES = 1024;

/** Housekeeping figures as they arrive, bounded: pairs are merged (largest kept) when full. */
export class BacklogSamples {
  readonly list: BacklogSample[] = [];
  add(cadu: number, frames: number): void {
    this.list.push({ cadu, frames: Math.max(0, frames) });
    if (this.list.length < MAX_SAMPLES) return;
    const merged: BacklogSample[] = [];
    for (let i = 0; i < this.list.length; i += 2) {
      const a = this.list[i], b = this.list[i + 1];
      merged.push(!b || a.frames > b.frames ? a : b);
    }
    this.list.splice(0, this.list.length, ...merged);
  }
}

export function computeBacklog(hk: BacklogSample[], o: { cadusProduced: number; passDurationS: number; bitRate: number; caduBits: number }): Backlog {
  const capacityFrames = Math.floor((o.passDurationS * o.bitRate) / o.caduBits) + 1;
  const endFrames = Math.max(0, o.cadusProduced - capacityFrames);
  const samples = [...hk.map((s) => ({ cadu: s.cadu, frames: Math.max(0, s.frames) })), { cadu: o.cadusProduced, frames: endFrames }];
  const maxFrames = samples.reduce((m, s) => Math.max(m, s.frames), 0);
  const maxReportedFrames = hk.reduce((m, s) => Math.max(m, s.frames), 0);
  return { samples, maxFrames, reports: hk.length, maxReportedFrames, endFrames, endS: (endFrames * o.caduBits) / o.bitRate, keptPace: maxFrames === 0, capacityFrames, cadusProduced: o.cadusProduced };
}

const n = (v: number) => v.toLocaleString("en-US");

/** The backlog in words, the same everywhere. */
export function backlogWords(b: Backlog): string {
  const reports = `${n(b.reports)} housekeeping report${b.reports === 1 ? "" : "s"}`;
  if (b.keptPace) return `none: 0 frames at every one of ${reports} and when imaging ended; the link kept pace`;
  const end = `${n(b.endFrames)} frames (${b.endS.toFixed(3)} s of downlink) still to send when imaging ended`;
  if (b.endFrames > 0 && b.maxReportedFrames === 0) return `0 frames at ${reports} during the pass, but ${end}: the link did not keep pace at the end`;
  if (b.endFrames > 0) return `${end}; up to ${n(b.maxReportedFrames)} frames at ${reports} during the pass: the link fell behind`;
  return `none when imaging ended, but the link fell behind during the pass (up to ${n(b.maxReportedFrames)} frames at ${reports})`;
}
