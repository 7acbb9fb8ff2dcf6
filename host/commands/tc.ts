// tengri tc: builds one PUS-C telecommand packet for the payload (README "Commanding the
// payload") from a named request and writes it: hex on stdout (default), binary on stdout
// (--binary) or into a file (-o FILE). The packet then travels the uplink (SDLS, TC frame, CLTU).
import { writeFileSync } from "node:fs";
import { buildTc, tc, parameterId, EVENT, PRODUCT_MODE, TcError, type TcSpec } from "../commanding/pus.ts";
import { UsageError, numberOption, parseOptions, checkOutputFile, readInput } from "./usage.ts";

export const TC_OPTIONS = {
  apid: { type: "string" }, seq: { type: "string" }, source: { type: "string" }, ack: { type: "string" },
  binary: { type: "boolean" }, output: { type: "string", short: "o" }, json: { type: "boolean" },
} as const;

export const TC_HELP = `Usage: tengri tc REQUEST [ARGUMENTS] [--apid N] [--seq N] [--source N] [--ack FLAGS]
                 [--binary | -o FILE] [--json]

Builds one PUS-C (ECSS-E-ST-70-41C) telecommand packet for the payload and writes it: hex on
standard output (default), binary with --binary, or into FILE with -o.

Requests (service type, subtype):
  are-you-alive                      ST[17,1]  → ST[17,2]
  hk-report                          ST[3,27]  one-shot housekeeping report → ST[3,25]
  hk-enable | hk-disable             ST[3,5] / ST[3,6]  periodic housekeeping reports on / off
  hk-period LINES                    ST[3,31]  period of the periodic reports, in lines accepted
  events-enable EVENT,…              ST[5,5]   (ids 1-8 or names: bus-record-rejected,
  events-disable EVENT,…             ST[5,6]    lines-missing, tc-refused, tc-failed, frames-overflowed,
                                                parameter-applied, acquisition-stopped, acquisition-started)
  start-acquisition                  ST[8,1] function 1
  stop-acquisition                   ST[8,1] function 2 (at the next unit or tile boundary)
  set-mode raw|ccsds121|ccsds123     ST[8,1] function 3 (only the mode carved at configuration)
  flush                              ST[8,1] function 4 (partial frames leave now)
  reboot-to-uploaded                 ST[8,1] function 5
  upload-start OCTETS                ST[8,1] function 6
  upload-end SHA256-HEX              ST[8,1] function 7
  upload-segment OFFSET FILE         ST[6,2]   load into memory "upload"
  set-param NAME=VALUE …             ST[20,3]  configuration-table fields (e.g. scrCoreBlue=800)
  report-param NAME …                ST[20,1]  → ST[20,2]
  memory-check configuration|code [START [LENGTH]]   ST[6,9] → ST[6,10]

Options:
  --apid N      telecommand APID (default 192, the profile's commanding.tcApid)
  --seq N       packet sequence count 0..16383 (default 0)
  --source N    source id 0..65535 (default 0); the reports go back to it as destination id
  --ack FLAGS   acknowledgement flags 0..15: 1 acceptance, 2 start, 4 progress, 8 completion
                (default 9: acceptance and completion); failures are always reported
  --json        print the fields and the hex as JSON

Exit: 0 written, 1 the output file cannot be written (or an input file read), 2 bad usage.`;

const REQUESTS = ["are-you-alive", "hk-report", "hk-enable", "hk-disable", "hk-period", "events-enable", "events-disable", "start-acquisition", "stop-acquisition",
  "set-mode", "flush", "reboot-to-uploaded", "upload-start", "upload-end", "upload-segment", "set-param", "report-param", "memory-check"];

/** A whole-number positional argument in [min, max]: "hk-period LINES must be a whole number in 1..4294967295, got 0". */
function posInt(v: string, what: string, min: number, max: number): number {
  const x = v.trim() === "" ? NaN : Number(v);
  if (!Number.isInteger(x) || x < min || x > max) throw new UsageError(`${what} must be a whole number in ${min}..${max}, got "${v}"`);
  return x;
}

function args(req: string, a: string[], min: number, max: number, what: string): void {
  if (a.length < min || a.length > max) throw new UsageError(`${req} needs ${what}, got ${a.length === 0 ? "nothing" : a.join(" ")}`);
}

function eventIds(req: string, v: string): number[] {
  return v.split(",").map((x) => {
    const t = x.trim();
    if (t in EVENT) return EVENT[t as keyof typeof EVENT];
    const n = Number(t);
    if (!Number.isInteger(n) || n < 1 || n > 8) throw new UsageError(`${req}: unknown event "${t}" (1-8 or a name: ${Object.keys(EVENT).join(", ")})`);
    return n;
  });
}

/** The request of the command line as a TC spec (service, subtype, application data). */
export function requestSpec(req: string, a: string[]): TcSpec {
  const num = (v: string, name: string, max: number) => posInt(v, name, 0, max);
  switch (req) {
    case "are-you-alive": args(req, a, 0, 0, "no argument"); return tc.areYouAlive();
    case "hk-report": args(req, a, 0, 0, "no argument"); return tc.hkReport();
    case "hk-enable": args(req, a, 0, 0, "no argument"); return tc.hkEnable();
    case "hk-disable": args(req, a, 0, 0, "no argument"); return tc.hkDisable();
    case "hk-period": args(req, a, 1, 1, "LINES"); return tc.hkPeriod(posInt(a[0], "hk-period LINES", 1, 2 ** 32 - 1));
    case "events-enable": args(req, a, 1, 1, "EVENT,…"); return tc.eventsEnable(eventIds(req, a[0]));
    case "events-disable": args(req, a, 1, 1, "EVENT,…"); return tc.eventsDisable(eventIds(req, a[0]));
    case "start-acquisition": args(req, a, 0, 0, "no argument"); return tc.startAcquisition();
    case "stop-acquisition": args(req, a, 0, 0, "no argument"); return tc.stopAcquisition();
    case "flush": args(req, a, 0, 0, "no argument"); return tc.flush();
    case "reboot-to-uploaded": args(req, a, 0, 0, "no argument"); return tc.rebootToUploaded();
    case "set-mode":
      args(req, a, 1, 1, "raw, ccsds121 or ccsds123");
      if (!(a[0] in PRODUCT_MODE)) throw new UsageError(`set-mode: mode must be raw, ccsds121 or ccsds123, got "${a[0]}"`);
      return tc.setProductMode(a[0] as keyof typeof PRODUCT_MODE);
    case "upload-start": args(req, a, 1, 1, "OCTETS"); return tc.uploadStart(posInt(a[0], "upload-start OCTETS", 1, 2 ** 32 - 1));
    case "upload-end": {
      args(req, a, 1, 1, "SHA256-HEX");
      if (!/^[0-9a-fA-F]{64}$/.test(a[0])) throw new UsageError(`upload-end: the SHA-256 must be 64 hex digits, got "${a[0]}"`);
      return tc.uploadEnd(Buffer.from(a[0], "hex"));
    }
    case "upload-segment": {
      args(req, a, 2, 2, "OFFSET FILE");
      const seg = readInput(a[1], "upload-segment FILE");
      if (seg.length < 1 || seg.length > 900) throw new UsageError(`upload-segment: FILE must hold 1 … 900 octets (one TC frame), got ${seg.length}`);
      return tc.uploadSegment(num(a[0], "upload-segment OFFSET", 2 ** 32 - 1), seg);
    }
    case "set-param": {
      args(req, a, 1, 32, "NAME=VALUE (1 to 32)");
      return tc.setParams(a.map((x) => {
        const m = /^([A-Za-z][A-Za-z0-9]*)=(-?\d+)$/.exec(x);
        if (!m) throw new UsageError(`set-param: "${x}" is not NAME=VALUE with a whole-number value`);
        const v = Number(m[2]);
        if (v < -(2 ** 31) || v > 2 ** 31 - 1) throw new UsageError(`set-param: ${m[1]} must fit a 32-bit signed value, got ${m[2]}`);
        return [id(m[1]), v];
      }));
    }
    case "report-param": args(req, a, 1, 32, "NAME (1 to 32)"); return tc.reportParams(a.map(id));
    case "memory-check": {
      args(req, a, 1, 3, "configuration|code [START [LENGTH]]");
      if (a[0] !== "configuration" && a[0] !== "code") throw new UsageError(`memory-check: memory must be configuration or code, got "${a[0]}"`);
      return tc.memoryCheck(a[0], a[1] === undefined ? 0 : num(a[1], "memory-check START", 2 ** 32 - 1), a[2] === undefined ? 0 : num(a[2], "memory-check LENGTH", 2 ** 32 - 1));
    }
    default:
      throw new UsageError(`unknown request "${req}" (tengri tc --help lists them: ${REQUESTS.join(", ")})`);
  }
}

function id(name: string): number {
  try { return parameterId(name); } catch (e) { if (e instanceof TcError) throw new UsageError(`set-param/report-param: ${e.message}`); throw e; }
}

export function tcCommand(rest: string[]): number {
  const { values: v, positionals } = parseOptions("tc", rest, TC_OPTIONS, true);
  if (positionals.length === 0) throw new UsageError(`a REQUEST is needed (tengri tc --help lists them: ${REQUESTS.join(", ")})`);
  const [req, ...a] = positionals;
  const apid = numberOption(v.apid, "apid", 192, { min: 0, max: 2046, integer: true });
  const seq = numberOption(v.seq, "seq", 0, { min: 0, max: 16383, integer: true });
  const source = numberOption(v.source, "source", 0, { min: 0, max: 65535, integer: true });
  const ack = numberOption(v.ack, "ack", 9, { min: 0, max: 15, integer: true });
  if (v.binary && v.output !== undefined) throw new UsageError("--binary and -o both name the output: give one");
  if (v.output !== undefined) checkOutputFile(v.output, "-o");
  const spec = requestSpec(req, a);
  let pkt: Uint8Array;
  try { pkt = buildTc({ ...spec, apid, seq, source, ack }); } catch (e) { if (e instanceof TcError) throw new UsageError(`${req}: ${e.message}`); throw e; }
  const hex = Buffer.from(pkt).toString("hex");
  if (v.output !== undefined) writeFileSync(v.output, pkt);
  else if (v.binary) process.stdout.write(pkt);
  if (v.json) console.log(JSON.stringify({ request: req, apid, seq, source, ack, service: spec.service, subtype: spec.subtype, octets: pkt.length, hex }));
  else if (!v.binary && v.output === undefined) console.log(hex);
  return 0;
}
