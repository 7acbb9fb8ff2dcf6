// The downlink timeline in CADU-index buckets. The bucket width starts at one CADU and doubles
// (merging neighbours) whenever the CADU index outgrows maxBuckets, so memory stays bounded.

export const TIMELINE_SERIES = ["dataFrames", "idleFrames", "rsSymbolsCorrected", "framesRejected", "framesLost", "syncEvents"] as const;
export type TimelineSeriesName = (typeof TIMELINE_SERIES)[number];

export interface TimelineJson {
  /** CADUs per bucket. */
  bucketCadus: number;
  /** Seconds of downlink per bucket at the profile's bit rate. */
  bucketS: number;
  buckets: number;
  series: Record<TimelineSeriesName, number[]>;
  /** Largest onboard backlog (frames behind the transmitter clock) reported by housekeeping in each bucket; null: no report. */
  backlogFrames: (number | null)[];
}

export class Timeline {
  private width = 1;
  private used = 0;
  private readonly sums: Record<TimelineSeriesName, Float64Array>;
  private readonly backlog: Float64Array;

  constructor(private readonly caduPerSecond: number, readonly maxBuckets = 256) {
    if (maxBuckets < 2 || maxBuckets % 2) throw new RangeError("maxBuckets must be even and ≥ 2");
    this.sums = Object.fromEntries(TIMELINE_SERIES.map((k) => [k, new Float64Array(maxBuckets)])) as Record<TimelineSeriesName, Float64Array>;
    this.backlog = new Float64Array(maxBuckets).fill(-1);
  }

  private merge(): void {
    const half = this.maxBuckets / 2;
    for (const a of Object.values(this.sums)) {
      for (let j = 0; j < half; j++) a[j] = a[2 * j] + a[2 * j + 1];
      a.fill(0, half);
    }
    for (let j = 0; j < half; j++) this.backlog[j] = Math.max(this.backlog[2 * j], this.backlog[2 * j + 1]);
    this.backlog.fill(-1, half);
    this.used = Math.ceil(this.used / 2);
    this.width *= 2;
  }

  private bucket(cadu: number): number {
    let i = Math.floor(Math.max(0, cadu) / this.width);
    while (i >= this.maxBuckets) { this.merge(); i = Math.floor(cadu / this.width); }
    if (i + 1 > this.used) this.used = i + 1;
    return i;
  }

  add(series: TimelineSeriesName, cadu: number, n = 1): void { this.sums[series][this.bucket(cadu)] += n; }

  backlogAt(cadu: number, frames: number): void {
    const i = this.bucket(cadu);
    this.backlog[i] = Math.max(this.backlog[i], frames);
  }

  toJSON(): TimelineJson {
    const n = this.used;
    return {
      bucketCadus: this.width, bucketS: this.width / this.caduPerSecond, buckets: n,
      series: Object.fromEntries(TIMELINE_SERIES.map((k) => [k, Array.from(this.sums[k].subarray(0, n))])) as Record<TimelineSeriesName, number[]>,
      backlogFrames: Array.from(this.backlog.subarray(0, n), (v) => (v < 0 ? null : v)),
    };
  }
}
