// A bus filter for the e2e passes: records (telecommands, CLCWs, …) inserted after the line records
// named by their 0-based index, and optionally before the end-of-pass record.
import { RecordType } from "../../host/obc/bus.ts";

export function interleave(after: Map<number, Uint8Array[]>, beforeEnd: Uint8Array[] = []) {
  return function* (records: Iterable<Uint8Array>): Iterable<Uint8Array> {
    let line = 0;
    for (const r of records) {
      if (r[4] === RecordType.End) yield* beforeEnd;
      yield r;
      if (r[4] === RecordType.Line) { yield* after.get(line) ?? []; line++; }
    }
  };
}
