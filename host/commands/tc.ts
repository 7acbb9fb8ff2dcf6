// tengri tc: builds one PUS-C telecommand packet for the payload (README "Commanding the
// payload") from a named request and writes it: hex on stdout (default), binary on stdout
// (--binary) or into a file (-o FILE). The packet then travels the uplink (SDLS, TC frame, CLTU).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { loadProfile, ProfileError } from "../profiles/index.ts";
import { parseMacKey, KeyFileError } from "../boot/keys.ts";
import { commandCltu, securedDataField } from "../commanding/uplink-path.ts";
import type { SecurityAssociation } from "../commanding/sdls.ts";
import { UplinkClient, UplinkError } from "../uplink/client.ts";
import { DownlinkClcw } from "../ground/clcw.ts";
import { linkConfigOfProfile } from "../obc/link-config.ts";
import type { Profile } from "../profiles/index.ts";
import { parseHostPort, UdpTargetError } from "../downlink/udp-frames.ts";
import { CliFailure } from "./usage.ts";
import { buildTc, tc, parameterId, EVENT, PRODUCT_MODE, TcError, type TcSpec } from "../commanding/pus.ts";
import { UsageError, numberOption, parseOptions, checkOutputFile, readInput } from "./usage.ts";

export const TC_OPTIONS = {
  apid: { type: "string" }, seq: { type: "string" }, source: { type: "string" }, ack: { type: "string" },
  binary: { type: "boolean" }, output: { type: "string", short: "o" }, json: { type: "boolean" },
  // The uplink (README "Commanding the payload", HIL procedure): secured, framed, coded.
  send: { type: "string" }, cltu: { type: "boolean" }, "mac-key": { type: "string" }, spi: { type: "string" },
  arsn: { type: "string" }, "arsn-file": { type: "string" }, profile: { type: "string" }, vcid: { type: "string" },
  "clcw-from": { type: "string" },
} as const;

export const TC_HELP = `Usage: tengri tc REQUEST [ARGUMENTS] [--apid N] [--seq N] [--source N] [--ack FLAGS]
                 [--binary | -o FILE] [--json]
       tengri tc REQUEST [ARGUMENTS] --mac-key FILE (--arsn N | --arsn-file F) [--spi N]
                 [--profile P] [--vcid V] (--send HOST:PORT [--clcw-from HOST:PORT] | --cltu -o FILE)

Builds one PUS-C (ECSS-E-ST-70-41C) telecommand packet for the payload and writes it: hex on
standard output (default), binary with --binary, or into FILE with -o.

Requests (service type, subtype):
  are-you-alive                      ST[17,1]  → ST[17,2]
  hk-report                          ST[3,27]  one-shot housekeeping report → ST[3,25]
  hk-enable | hk-disable             ST[3,5] / ST[3,6]  periodic housekeeping reports on / off
  hk-period LINES                    ST[3,31]  period of the periodic reports, in lines accepted
  events-enable EVENT,…              ST[5,5]   (ids 1-8, 16 or names: bus-record-rejected,
  events-disable EVENT,…             ST[5,6]    lines-missing, tc-refused, tc-failed, frames-overflowed,
                                                parameter-applied, acquisition-stopped, acquisition-started,
                                                mode-changed)
  start-acquisition                  ST[8,1] function 1
  stop-acquisition                   ST[8,1] function 2 (at the next unit or tile boundary)
  set-mode raw|121|123               ST[8,1] function 3 at the next unit or segment boundary (a mode of the table's modes)
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

Uplink (the packet secured with SDLS, in a TC transfer frame, in a CLTU):
  --send HOST:PORT  send it to the telecommand port of a running tengri serve (--tc-port) as
                an AD frame through its FARM-1 (the FOP-1 sets V(R) = 0 first); waits for the
                CLCW that acknowledges it (at most 10 s) and prints it
  --clcw-from HOST:PORT  with --send: read the CLCW from the OCF of the downlink's frames on this
                CADU port (tengri serve's --cadu-port; the profile's frames must carry an OCF),
                as a ground station does, instead of the telecommand port's replies; the FOP-1's
                timer counts 256 downlink frames (README "The CLCW in the downlink")
  --cltu        with -o FILE: write the CLTU (a BD frame, sequence number 0) instead of the packet
  --mac-key FILE  the 32-octet SDLS key of the security association (tengri keygen's mac.key,
                the one given to tengri flash --mac-key)
  --spi N       security parameter index 1..65534 (default 1, the provisioned SA)
  --arsn N      anti-replay sequence number to send, 1..4294967295 (above the last the payload accepted)
  --arsn-file F  a file holding the next ARSN (decimal; absent: 1); the next one is written back
                once the frame is sent or written
  --profile P   the spacecraft id from this hardware profile (default "default")
  --vcid V      the payload's TC virtual channel (default 1)

Exit: 0 written (or sent and acknowledged), 1 the output file cannot be written (or an input
file read), 2 bad usage, 3 --send: not acknowledged (connection refused or closed, no CLCW,
FOP-1 alert).`;

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
    if (!(Object.values(EVENT) as number[]).includes(n)) throw new UsageError(`${req}: unknown event "${t}" (${Object.values(EVENT).join(", ")} or a name: ${Object.keys(EVENT).join(", ")})`);
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
    {
      args(req, a, 1, 1, "raw, 121 or 123");
      const m = ({ "121": "ccsds121", "123": "ccsds123" } as Record<string, string>)[a[0]] ?? a[0];
      if (!(m in PRODUCT_MODE)) throw new UsageError(`set-mode: mode must be raw, 121 or 123 (or ccsds121, ccsds123), got "${a[0]}"`);
      return tc.setProductMode(m as keyof typeof PRODUCT_MODE);
    }
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

export function tcCommand(rest: string[]): number | Promise<number> {
  const { values: v, positionals } = parseOptions("tc", rest, TC_OPTIONS, true);
  if (positionals.length === 0) throw new UsageError(`a REQUEST is needed (tengri tc --help lists them: ${REQUESTS.join(", ")})`);
  const [req, ...a] = positionals;
  const apid = numberOption(v.apid, "apid", 192, { min: 0, max: 2046, integer: true });
  const seq = numberOption(v.seq, "seq", 0, { min: 0, max: 16383, integer: true });
  const source = numberOption(v.source, "source", 0, { min: 0, max: 65535, integer: true });
  const ack = numberOption(v.ack, "ack", 9, { min: 0, max: 15, integer: true });
  if (v.binary && v.output !== undefined) throw new UsageError("--binary and -o both name the output: give one");
  if (v.output !== undefined) checkOutputFile(v.output, "-o");
  const uplink = v.send !== undefined || v.cltu || v["mac-key"] !== undefined || v.arsn !== undefined || v["arsn-file"] !== undefined || v.spi !== undefined;
  if (uplink) {
    if (v.send !== undefined && v.cltu) throw new UsageError("--send and --cltu: give one (send it, or write the CLTU)");
    if (v.send === undefined && !v.cltu) throw new UsageError("--mac-key/--arsn/--spi need --send HOST:PORT or --cltu -o FILE");
    if (v.cltu && v.output === undefined) throw new UsageError("--cltu needs -o FILE (the CLTU is binary)");
    if (v.binary) throw new UsageError("--binary writes the packet: not with --send or --cltu");
    if (v.send !== undefined && v.output !== undefined) throw new UsageError("--send and -o: the frame goes to the telecommand port, give one");
    if (v["mac-key"] === undefined) throw new UsageError("missing --mac-key FILE (the SDLS key: tengri keygen writes mac.key)");
    if ((v.arsn === undefined) === (v["arsn-file"] === undefined)) throw new UsageError("give one of --arsn N or --arsn-file F (the anti-replay sequence number)");
    if (v["clcw-from"] !== undefined && v.send === undefined) throw new UsageError("--clcw-from needs --send (the CLCW acknowledges what is sent)");
  } else if (v.profile !== undefined || v.vcid !== undefined || v["clcw-from"] !== undefined) throw new UsageError("--profile, --vcid and --clcw-from need --send or --cltu");
  const spec = requestSpec(req, a);
  let pkt: Uint8Array;
  try { pkt = buildTc({ ...spec, apid, seq, source, ack }); } catch (e) { if (e instanceof TcError) throw new UsageError(`${req}: ${e.message}`); throw e; }
  const hex = Buffer.from(pkt).toString("hex");
  if (uplink) return sendOrWrite(v, req, pkt, hex);
  if (v.output !== undefined) writeFileSync(v.output, pkt);
  else if (v.binary) process.stdout.write(pkt);
  if (v.json) console.log(JSON.stringify({ request: req, apid, seq, source, ack, service: spec.service, subtype: spec.subtype, octets: pkt.length, hex }));
  else if (!v.binary && v.output === undefined) console.log(hex);
  return 0;
}

type TcValues = ReturnType<typeof parseOptions<typeof TC_OPTIONS>>["values"];

/** --arsn N or the ARSN in --arsn-file F (absent file: 1). */
function readArsn(v: TcValues): number {
  if (v.arsn !== undefined) return numberOption(v.arsn, "arsn", 1, { min: 1, max: 0xffffffff, integer: true });
  const f = v["arsn-file"]!;
  if (!existsSync(f)) return 1;
  const t = readFileSync(f, "utf8").trim();
  const n = /^\d+$/.test(t) ? Number(t) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 0xffffffff) throw new UsageError(`--arsn-file ${f} holds "${t.slice(0, 20)}", not an ARSN 1..4294967295`);
  return n;
}

/** The packet secured (SDLS), framed and coded: sent through a serve's telecommand port, or the CLTU written. */
async function sendOrWrite(v: TcValues, req: string, pkt: Uint8Array, hex: string): Promise<number> {
  let key: Uint8Array;
  try { key = parseMacKey(readInput(v["mac-key"]!, "--mac-key"), "--mac-key"); } catch (e) { if (e instanceof KeyFileError) throw new UsageError(e.message); throw e; }
  const spi = numberOption(v.spi, "spi", 1, { min: 1, max: 0xfffe, integer: true });
  const vcid = numberOption(v.vcid, "vcid", 1, { min: 0, max: 63, integer: true });
  let profile: Profile;
  try { profile = loadProfile(v.profile ?? "default"); } catch (e) { if (e instanceof ProfileError) throw new UsageError(`--profile: ${e.message}`); throw e; }
  const scid = profile.spacecraft.scid;
  let clcwFrom: { host: string; port: number } | null = null;
  if (v["clcw-from"] !== undefined) {
    try { clcwFrom = parseHostPort(v["clcw-from"]); } catch (e) { if (e instanceof UdpTargetError) throw new UsageError(`--clcw-from ${v["clcw-from"]}: ${e.message}`); throw e; }
    if (!profile.link.frame.ocf) throw new UsageError(`--clcw-from: the frames of profile ${v.profile ?? "default"} carry no OCF (link.frame.ocf is false): the downlink holds no CLCW`);
  }
  const sa: SecurityAssociation = { spi, key, arsn: readArsn(v) };
  const arsn = sa.arsn;
  let clcw: string | null = null;
  if (v.cltu) {
    checkOutputFile(v.output!, "-o");
    const cltu = commandCltu([pkt], { scid, vcid, seq: 0, bypass: true }, sa);
    writeFileSync(v.output!, cltu);
  } else {
    let target: { host: string; port: number };
    try { target = parseHostPort(v.send!); } catch (e) { if (e instanceof UdpTargetError) throw new UsageError(`--send ${v.send}: ${e.message}`); throw e; }
    let up: UplinkClient;
    let downlink: DownlinkClcw | undefined;
    if (clcwFrom) {
      try { downlink = await DownlinkClcw.connect({ ...clcwFrom, link: linkConfigOfProfile(profile), vcid }); } catch (e) { throw new CliFailure(`--clcw-from ${v["clcw-from"]}: cannot connect: ${(e as Error).message}`, 3); }
    }
    try { up = await UplinkClient.connect({ host: target.host, port: target.port, scid, vcid, downlink }); } catch (e) { downlink?.close(); throw new CliFailure(`--send ${v.send}: cannot connect: ${(e as Error).message}`, 3); }
    try {
      await up.initiate("set-vr", 0);
      const c = await up.send(securedDataField([pkt], sa));
      clcw = c ? JSON.stringify(c) : null;
    } catch (e) {
      if (e instanceof UplinkError) throw new CliFailure(`--send ${v.send}: not acknowledged: ${e.message}`, 3);
      throw e;
    } finally { up.close(); downlink?.close(); }
  }
  if (v["arsn-file"] !== undefined) writeFileSync(v["arsn-file"], `${sa.arsn}\n`);
  if (v.json) console.log(JSON.stringify({ request: req, octets: pkt.length, hex, spi, arsn, scid, vcid, ...(v.cltu ? { cltu: v.output } : { sent: v.send, clcw: clcw ? JSON.parse(clcw) : null }) }));
  else console.log(v.cltu ? `CLTU of ${req} (SPI ${spi}, ARSN ${arsn}) written to ${v.output}` : `${req} sent to ${v.send} (SPI ${spi}, ARSN ${arsn}): accepted by FARM-1 (CLCW ${clcw}${clcwFrom ? `, read from the downlink on ${v["clcw-from"]}` : ""})`);
  return 0;
}
