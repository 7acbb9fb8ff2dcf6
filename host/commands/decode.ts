// `tengri decode FILE --frame tm|aos --frame-length N --rs-depth I [options]`: decodes any CCSDS
// CADU stream with the ground station's link decoder, in bounded memory.
import { openSync, readSync, writeSync, closeSync } from "node:fs";
import { LinkDecoder, LinkConfigError, type LinkConfig, type LinkStats } from "../ground/link-decoder.ts";

export const DECODE_USAGE = `usage: tengri decode FILE --frame tm|aos --frame-length N --rs-depth I [options]

Decodes a CCSDS CADU stream (ASM + optionally randomized, Reed-Solomon coded transfer frames):
frame sync at any bit offset, derandomization, RS correction, FECF check, TM/AOS headers,
virtual channels, frame-counter gaps, space packet extraction.

  --frame tm|aos         transfer frame type (132.0-B-3 TM or 732.0-B-4 AOS)
  --frame-length N       transfer frame length in octets (e.g. 1115, 892, 223)
  --rs-depth I           Reed-Solomon interleaving depth: 1, 2, 3, 4, 5 or 8
  --rs-e 16|8|0          RS(255,223), RS(255,239) or no Reed-Solomon (default 16)
  --no-fecf              frames carry no CRC-16 frame error control field
  --no-randomizer        the codeblocks are not pseudo-randomized
  --ocf                  AOS frames carry an operational control field
  --insert-zone N        AOS insert zone length in octets (default 0)
  --fhec                 AOS frame header error control present
  --frames-out F         write the corrected transfer frames to F
  --packets-out F        write the reassembled space packets (primary header included) to F
  --json                 print the statistics as JSON
  --help                 this text

Exit status: 0 decoded, 1 I/O error, 2 bad arguments.
`;

export class DecodeArgError extends Error {
  constructor(readonly option: string, readonly problem: string) {
    super(`tengri decode: ${option}: ${problem}`);
    this.name = "DecodeArgError";
  }
}

export interface DecodeArgs {
  file: string;
  link: LinkConfig;
  framesOut?: string;
  packetsOut?: string;
  json: boolean;
  help: boolean;
}

function intArg(option: string, v: string | undefined): number {
  if (v === undefined) throw new DecodeArgError(option, "needs a value");
  if (!/^\d+$/.test(v)) throw new DecodeArgError(option, `not a non-negative integer: ${JSON.stringify(v)}`);
  return Number(v);
}

export function parseDecodeArgs(argv: string[]): DecodeArgs {
  let file: string | undefined, frame: string | undefined, frameLen: number | undefined, depth: number | undefined;
  let rsE = 16, fecf = true, randomizer = true, ocf = false, insertZone = 0, fhec = false, json = false, help = false;
  let framesOut: string | undefined, packetsOut: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new DecodeArgError(a, "needs a value");
      return v;
    };
    switch (a) {
      case "--help": case "-h": help = true; break;
      case "--frame": frame = val(); if (frame !== "tm" && frame !== "aos") throw new DecodeArgError(a, `must be tm or aos, not ${JSON.stringify(frame)}`); break;
      case "--frame-length": frameLen = intArg(a, val()); break;
      case "--rs-depth": depth = intArg(a, val()); break;
      case "--rs-e": rsE = intArg(a, val()); if (rsE !== 0 && rsE !== 8 && rsE !== 16) throw new DecodeArgError(a, "must be 16, 8 or 0"); break;
      case "--no-fecf": fecf = false; break;
      case "--no-randomizer": randomizer = false; break;
      case "--ocf": ocf = true; break;
      case "--insert-zone": insertZone = intArg(a, val()); break;
      case "--fhec": fhec = true; break;
      case "--frames-out": framesOut = val(); break;
      case "--packets-out": packetsOut = val(); break;
      case "--json": json = true; break;
      default:
        if (a.startsWith("-")) throw new DecodeArgError(a, "unknown option");
        if (file !== undefined) throw new DecodeArgError(a, "only one input FILE");
        file = a;
    }
  }
  const blank: LinkConfig = { frameType: "tm", frameLen: 0, rsE: 16, rsDepth: 1, randomizer: true, fecf: true, ocf: false };
  if (help) return { file: file ?? "", link: blank, json, help };
  if (file === undefined) throw new DecodeArgError("FILE", "missing input file");
  if (frame === undefined) throw new DecodeArgError("--frame", "required (tm or aos)");
  if (frameLen === undefined) throw new DecodeArgError("--frame-length", "required");
  if (depth === undefined) {
    if (rsE !== 0) throw new DecodeArgError("--rs-depth", "required");
    depth = 1;
  }
  const link: LinkConfig = { frameType: frame as "tm" | "aos", frameLen, rsE: rsE as 0 | 8 | 16, rsDepth: depth, randomizer, fecf, ocf, aosInsertZoneLen: insertZone, aosFhec: fhec };
  if (ocf && frame === "tm") throw new DecodeArgError("--ocf", "TM frames signal the OCF in their header; --ocf is for AOS");
  return { file, link, framesOut, packetsOut, json, help };
}

/** Buffered sequential writer on a file descriptor (bounded memory). */
class FileSink {
  private readonly fd: number;
  private readonly buf = new Uint8Array(1 << 20);
  private n = 0;
  constructor(path: string) {
    this.fd = openSync(path, "w");
  }
  write(b: Uint8Array): void {
    if (this.n + b.length > this.buf.length) this.flush();
    if (b.length > this.buf.length) { writeSync(this.fd, b); return; }
    this.buf.set(b, this.n);
    this.n += b.length;
  }
  flush(): void {
    let o = 0;
    while (o < this.n) o += writeSync(this.fd, this.buf, o, this.n - o);
    this.n = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

export function statsJson(s: LinkStats): Record<string, unknown> {
  const { perVc, packetsPerApid, ...rest } = s;
  return {
    ...rest,
    perVc: Object.fromEntries([...perVc].sort((a, b) => a[0] - b[0]).map(([k, v]) => [String(k), v])),
    packetsPerApid: Object.fromEntries([...packetsPerApid].sort((a, b) => a[0] - b[0]).map(([k, v]) => [`0x${k.toString(16).padStart(3, "0")}`, v])),
  };
}

export function statsTable(s: LinkStats): string {
  const lines: string[] = [];
  lines.push(`CADUs ${s.cadus}  bytes ${s.bytesIn}  garbage bytes ${s.garbageBytes}  bit slips ${s.bitSlips}  sync losses ${s.syncLosses}  flywheels ${s.flywheels}  truncated ${s.truncatedCadus}`);
  lines.push(`RS codewords: ok ${s.rsCodewordsOk}  corrected ${s.rsCodewordsCorrected} (${s.rsSymbolsCorrected} symbols)  uncorrectable ${s.rsCodewordsUncorrectable}`);
  const hist = s.rsCorrectionHistogram.map((n, i) => (n && i ? `${i}:${n}` : "")).filter(Boolean);
  if (hist.length) lines.push(`symbols corrected per codeword (n:codewords): ${hist.join(" ")}`);
  lines.push(`frames: good ${s.framesGood}  bad FECF ${s.framesBadFecf}  bad header ${s.framesBadHeader}  dropped ${s.framesDropped}  idle ${s.idleFrames}  MC gap frames ${s.mcGapFrames}`);
  lines.push(`packets: ${s.packets}  idle ${s.idlePackets}  sequence gaps ${s.packetSeqGaps}  errors ${Object.entries(s.packetErrors).filter(([, v]) => v).map(([k, v]) => `${k} ${v}`).join(", ") || "none"}`);
  lines.push("");
  lines.push("VCID    frames  idle  gap-frames  gaps  packets");
  for (const [vc, v] of [...s.perVc].sort((a, b) => a[0] - b[0]))
    lines.push(`${String(vc).padStart(4)}  ${String(v.frames).padStart(8)}  ${String(v.idleFrames).padStart(4)}  ${String(v.gapFrames).padStart(10)}  ${String(v.gapEvents).padStart(4)}  ${String(v.packets).padStart(7)}`);
  if (s.packetsPerApid.size) {
    lines.push("");
    lines.push("APID   packets");
    for (const [apid, n] of [...s.packetsPerApid].sort((a, b) => a[0] - b[0])) lines.push(`0x${apid.toString(16).padStart(3, "0")}  ${String(n).padStart(8)}`);
  }
  return lines.join("\n") + "\n";
}

export interface DecodeIo {
  out(s: string): void;
  err(s: string): void;
}
const stdio: DecodeIo = { out: (s) => void process.stdout.write(s), err: (s) => void process.stderr.write(s) };

export async function decodeCommand(argv: string[], io: DecodeIo = stdio): Promise<number> {
  let args: DecodeArgs;
  try {
    args = parseDecodeArgs(argv);
  } catch (e) {
    if (e instanceof DecodeArgError) { io.err(`${e.message}\n\n${DECODE_USAGE}`); return 2; }
    throw e;
  }
  if (args.help) { io.out(DECODE_USAGE); return 0; }
  let decoder: LinkDecoder;
  let framesSink: FileSink | undefined, packetsSink: FileSink | undefined, fd: number | undefined;
  try {
    try {
      decoder = new LinkDecoder(args.link, {
        onFrame: (f) => framesSink?.write(f.frame),
        onPacket: (p) => packetsSink?.write(p.raw),
      });
    } catch (e) {
      if (e instanceof LinkConfigError) {
        const opt = e.field === "frameLen" ? "--frame-length" : e.field === "rsDepth" ? "--rs-depth" : e.field === "rsE" ? "--rs-e" : `--${String(e.field)}`;
        io.err(`tengri decode: ${opt}: ${e.rule}\n`);
        return 2;
      }
      throw e;
    }
    fd = openSync(args.file, "r");
    if (args.framesOut) framesSink = new FileSink(args.framesOut);
    if (args.packetsOut) packetsSink = new FileSink(args.packetsOut);
    const buf = new Uint8Array(1 << 20);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      decoder.push(buf.subarray(0, n));
    }
    decoder.end();
    framesSink?.close();
    packetsSink?.close();
    framesSink = packetsSink = undefined;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (typeof err?.code === "string") {
      io.err(`tengri decode: ${err.path ?? args.file}: ${err.code} ${err.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  const s = decoder.stats;
  io.out(args.json ? JSON.stringify(statsJson(s), null, 2) + "\n" : statsTable(s));
  return 0;
}
