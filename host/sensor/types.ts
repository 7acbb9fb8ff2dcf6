// What every scene source delivers: one pushbroom line at a time, in memory proportional to a line.

export interface SensorLine {
  /** Line counter from the imager, starting at 0 (wraps at 2^32). */
  counter: number;
  /** CCSDS CUC coarse time: seconds since 1958-01-01 TAI. */
  timeCoarse: number;
  /** CCSDS CUC fine time in units of 2^-32 s. */
  timeFine: number;
  /** bands × pixels, band-interleaved by line: band 0's pixels, then band 1's… A fresh array per line. */
  samples: Uint16Array;
}

export interface SceneSource {
  readonly bands: number;
  readonly pixels: number;
  readonly lines: number;
  next(): SensorLine | null;
  close?(): void;
}

/** A scene input that cannot be used: names the option or property and what is wrong. */
export class SceneError extends Error {
  constructor(readonly field: string, readonly reason: string, readonly path?: string) {
    super(`${path ? `${path}: ` : ""}${field}: ${reason}`);
    this.name = "SceneError";
  }
}
