// Shared shapes of the fuzz campaign (parent ↔ worker messages).

/** What a worker runs: one bus stream into one fresh instance of the image. */
export interface WireCase {
  id: number;
  /** The whole payload bus stream (stdin). */
  input: Uint8Array;
  /** Memory maximum of the module in 64 KiB pages (an image flashed for that RAM), or null: as built. */
  maxPages: number | null;
  /** The configuration table (payload, CRC included) the image should accept if it runs: its link settings decode the downlink. */
  accept: Uint8Array | null;
  /** Other tables the image may accept instead (e.g. another profile's, when this image's RAM can hold it); the one named by the log's "configuration accepted" line is used. */
  alt?: Uint8Array[];
  /** Return the image's whole event log. */
  wantLog?: boolean;
}

export type Outcome = "refused" | "ran" | "trap" | "hang" | "other";

export interface CaseResult {
  id: number;
  outcome: Outcome;
  exit: number | null;
  ms: number;
  /** refused: "status=-402 field=… found=… expected=…" as logged, or why there was no table. */
  status?: string;
  /** trap: the RuntimeError message; hang: the bound; other: exit code and log tail. */
  message?: string;
  /** ran: why the downlink is not clean (absent when it is). */
  unclean?: string;
  outBytes?: number;
  logTail?: string;
  log?: string;
  /** The first attempt's worker died (message); this is the second attempt's result. */
  retried?: string;
}

/** A case as the campaign knows it: the wire case plus where it comes from. */
export interface FuzzCase extends Omit<WireCase, "id"> {
  profile: string;
  /** "table-boundary", "table-random", "stream", "stream-random", "ram". */
  kind: string;
  /** What was done, e.g. "screener.P_WIDTH = 0" or "line 2 duplicated". */
  name: string;
  /** The outcome a correct image must have (stream cases: "ran" when a valid table is in the stream, "refused" when none is); another one counts as "other". */
  expect?: "ran" | "refused";
  /** The mutated configuration table (table cases), for the reproducer. */
  table?: Uint8Array;
}

export function failed(r: CaseResult): boolean {
  return r.outcome === "trap" || r.outcome === "hang" || r.outcome === "other" || (r.outcome === "ran" && r.unclean !== undefined);
}
