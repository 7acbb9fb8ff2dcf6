// `tengri decode FILE --frame tm|aos --frame-length N --rs-depth I [options]`: decodes any CCSDS
// CADU stream with the ground station's link decoder, in bounded memory.
import { ClcwSeries, clcwHex } from "../ground/clcw.ts";
import { openSync, readSync, writeSync, closeSync, statSync } from "node:fs";
import { join } from "node:path";
import { CliFailure, checkOutputFile, displayPath, ioReason, prepareOutputDir } from "./usage.ts";
import type { GroundProducts } from "../products/ground.ts";
import { LinkDecoder, LinkConfigError, type LinkConfig, type LinkStats } from "../ground/link-decoder.ts";

export const DECODE_USAGE = `usage: tengri decode FILE|- --frame tm|aos --frame-length N --rs-depth I [options]
       tengri decode FILE|- --profile NAME|FILE [--out DIR] [options]

Decodes a CCSDS CADU stream (ASM + optionally randomized, Reed-Solomon coded transfer frames):
frame sync at any bit offset, derandomization, RS correction, FECF check, TM/AOS headers,
virtual channels, frame-counter gaps, space packet extraction. FILE "-" reads standard input.

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
  --profile NAME|FILE    take the link settings from a hardware profile (options given
                         beside it override them)
  --out DIR              with --profile: rebuild the image from the packets and write the
                         products there (GeoTIFFs, quicklook, cloud mask, STAC item; needs
                         GDAL's gdal_translate, Debian gdal-bin)
  --json                 print the statistics as JSON
  --help                 this text

Exit status: 0 decoded; 1 nothing decoded (an empty input, no CADU found, no frame good),
most frames failed (RS uncorrectable, bad FECF, bad header), packets broke in most data frames,
or an I/O error, or --out could not be written (not a folder, not writable, GDAL missing, no
image line in the stream); 2 bad arguments. On 1 the statistics are still printed, and the other settings
(frame type, FECF, randomizer, RS E and depth, frame lengths that fit the CADU spacing) are tried
on the first 48 CADUs: a hint names the options that decode them, e.g.
  frames decode with --frame aos --no-fecf: 48 of 48 in the first 48 CADUs
`;

/** Every option parseDecodeArgs accepts (its switch below), for the help agreement test. */
export const DECODE_OPTIONS = ["--frame", "--frame-length", "--rs-depth", "--rs-e", "--no-fecf", "--no-randomizer", "--ocf", "--insert-zone", "--fhec", "--frames-out", "--packets-out", "--profile", "--out", "--json", "--help", "-h"] as const;

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
  /** Hardware profile: link settings (those given explicitly override it) and, with `out`, the products. */
  profile?: string;
  /** Link settings typed on the command line (they win over the profile's). */
  given?: Partial<LinkConfig>;
  out?: string;
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
  let framesOut: string | undefined, packetsOut: string | undefined, profile: string | undefined, out: string | undefined;
  const given: Partial<LinkConfig> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new DecodeArgError(a, "needs a value");
      return v;
    };
    switch (a) {
      case "--help": case "-h": help = true; break;
      case "--frame": frame = val(); if (frame !== "tm" && frame !== "aos") throw new DecodeArgError(a, `must be tm or aos, not ${JSON.stringify(frame)}`); given.frameType = frame; break;
      case "--frame-length": frameLen = given.frameLen = intArg(a, val()); break;
      case "--rs-depth": depth = given.rsDepth = intArg(a, val()); break;
      case "--rs-e": rsE = intArg(a, val()); if (rsE !== 0 && rsE !== 8 && rsE !== 16) throw new DecodeArgError(a, "must be 16, 8 or 0"); given.rsE = rsE; break;
      case "--no-fecf": fecf = given.fecf = false; break;
      case "--no-randomizer": randomizer = given.randomizer = false; break;
      case "--ocf": ocf = given.ocf = true; break;
      case "--insert-zone": insertZone = given.aosInsertZoneLen = intArg(a, val()); break;
      case "--fhec": fhec = given.aosFhec = true; break;
      case "--profile": profile = val(); break;
      case "--out": out = val(); break;
      case "--frames-out": framesOut = val(); break;
      case "--packets-out": packetsOut = val(); break;
      case "--json": json = true; break;
      default:
        if (a.startsWith("-") && a !== "-") throw new DecodeArgError(a, "unknown option");
        if (file !== undefined) throw new DecodeArgError(a, "only one input FILE");
        file = a;
    }
  }
  const blank: LinkConfig = { frameType: "tm", frameLen: 0, rsE: 16, rsDepth: 1, randomizer: true, fecf: true, ocf: false };
  if (help) return { file: file ?? "", link: blank, json, help };
  if (file === undefined) throw new DecodeArgError("FILE", "missing input file");
  if (profile !== undefined) return { file, link: blank, given, profile, out, framesOut, packetsOut, json, help };
  if (frame === undefined) throw new DecodeArgError("--frame", "required (tm or aos)");
  if (frameLen === undefined) throw new DecodeArgError("--frame-length", "required");
  if (depth === undefined) {
    if (rsE !== 0) throw new DecodeArgError("--rs-depth", "required");
    depth = 1;
  }
  const link: LinkConfig = { frameType: frame as "tm" | "aos", frameLen, rsE: rsE as 0 | 8 | 16, rsDepth: depth, randomizer, fecf, ocf, aosInsertZoneLen: insertZone, aosFhec: fhec };
  if (ocf && frame === "tm") throw new DecodeArgError("--ocf", "TM frames signal the OCF in their header; --ocf is for AOS");
  return { file, link, framesOut, packetsOut, out, json, help };
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

/** The CLCW series of the stream's OCFs (frames with an OCF only): every change with its CADU. */
function clcwJson(series: ClcwSeries) {
  const x = series.summary();
  return {
    framesWithOcf: x.framesWithOcf, notClcw: x.notClcw, changesKept: x.changes.length, changesDropped: series.changesDropped,
    changes: x.changes.map((c) => ({ cadu: c.cadu, word: clcwHex(c.clcw.word), vcid: c.clcw.vcid, reportValue: c.clcw.reportValue, lockout: c.clcw.lockout, wait: c.clcw.wait, retransmit: c.clcw.retransmit, farmB: c.clcw.farmB })),
  };
}

function clcwText(c: ReturnType<typeof clcwJson>): string {
  const shown = c.changes.slice(0, 20).map((x) => `${x.word}@${x.cadu}`).join(" ");
  return `\nCLCW in the OCF: ${c.framesWithOcf} frames, ${c.notClcw} not a CLCW, ${c.changesKept + c.changesDropped} change(s) (word@CADU): ${shown}${c.changes.length > 20 ? " …" : ""}\n`;
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
  /** Standard input, for FILE "-" (default: process.stdin). */
  stdin?: AsyncIterable<Uint8Array>;
}
const stdio: DecodeIo = { out: (s) => void process.stdout.write(s), err: (s) => void process.stderr.write(s) };

/** Octets of the input kept to try other settings on when the decode fails. */
export const HINT_SAMPLE_BYTES = 256 * 1024;
/** CADUs at most in that sample. */
export const HINT_SAMPLE_CADUS = 48;

/** What the decode came to: ok, or why not (exit 1). */
export interface DecodeVerdict { ok: boolean; reason?: string }

const packetErrorCount = (s: LinkStats) => s.packetErrors["fhp-mismatch"] + s.packetErrors["bad-fhp"] + s.packetErrors["bad-version"] + s.packetErrors["impossible-length"];

/**
 * The decode failed when nothing decoded (no CADU, no frame) or when most frames failed
 * (uncorrectable RS, bad FECF, inconsistent header) or packets broke in most data frames (a
 * wrong FECF setting leaves frames "good" but cuts the packets at every frame boundary).
 */
export function verdict(s: LinkStats): DecodeVerdict {
  if (s.bytesIn === 0) return { ok: false, reason: "the input is empty" };
  if (s.cadus === 0) return { ok: false, reason: `no CADU found in ${s.bytesIn} octets (no attached sync marker 1ACFFC1D at the spacing these options give)` };
  const bad = s.framesDropped;
  const why = [s.rsCodewordsUncorrectable ? `${s.rsCodewordsUncorrectable} RS codewords uncorrectable` : "", s.framesBadFecf ? `${s.framesBadFecf} bad FECF` : "", s.framesBadHeader ? `${s.framesBadHeader} bad headers` : ""].filter(Boolean).join(", ");
  if (s.framesGood === 0) return { ok: false, reason: `no frame decoded from ${s.cadus} CADUs${why ? ` (${why})` : ""}` };
  if (bad > s.framesGood) return { ok: false, reason: `most frames failed: ${s.framesGood} good of ${s.framesGood + bad}${why ? ` (${why})` : ""}` };
  const perr = packetErrorCount(s);
  const dataFrames = s.framesGood - s.idleFrames;
  if (perr > 0 && 2 * perr >= dataFrames) return { ok: false, reason: `packets broken in most data frames: ${perr} packet errors in ${dataFrames} data frames (${s.packets} packets whole)` };
  return { ok: true };
}

/** Scores a link configuration on a sample: frames good, frames failed, packet errors. */
function trial(cfg: LinkConfig, sample: Uint8Array): { good: number; total: number; perr: number; packets: number } | null {
  let d: LinkDecoder;
  try { d = new LinkDecoder(cfg); } catch { return null; }
  d.push(sample);
  d.end();
  const s = d.stats;
  return { good: s.framesGood, total: s.framesGood + s.framesDropped, perr: packetErrorCount(s), packets: s.packets };
}

/** The most frequent distance between byte-aligned ASMs in the sample: the CADU length. */
export function caduSpacing(b: Uint8Array): number | null {
  const at: number[] = [];
  for (let i = 0; i + 4 <= b.length && at.length < 512; i++) if (b[i] === 0x1a && b[i + 1] === 0xcf && b[i + 2] === 0xfc && b[i + 3] === 0x1d) at.push(i);
  const n = new Map<number, number>();
  for (let k = 1; k < at.length; k++) { const d = at[k] - at[k - 1]; n.set(d, (n.get(d) ?? 0) + 1); }
  let best: number | null = null, bc = 0;
  for (const [d, c] of n) if (c > bc || (c === bc && best !== null && d < best)) { best = d; bc = c; }
  return best;
}

/** The options that turn link configuration a into b, as a user types them: "--frame aos --no-fecf", "without --no-fecf". */
export function optionsDiff(a: LinkConfig, b: LinkConfig): string {
  const add: string[] = [], drop: string[] = [];
  if (a.frameType !== b.frameType) add.push(`--frame ${b.frameType}`);
  if (a.frameLen !== b.frameLen) add.push(`--frame-length ${b.frameLen}`);
  if (a.rsE !== b.rsE) add.push(`--rs-e ${b.rsE}`);
  if (b.rsE !== 0 && (a.rsDepth !== b.rsDepth || a.rsE === 0)) add.push(`--rs-depth ${b.rsDepth}`);
  if (a.fecf !== b.fecf) (b.fecf ? drop : add).push("--no-fecf");
  if (a.randomizer !== b.randomizer) (b.randomizer ? drop : add).push("--no-randomizer");
  if (a.ocf !== b.ocf) (b.ocf ? add : drop).push("--ocf");
  return [add.length ? `with ${add.join(" ")}` : "", drop.length ? `without ${drop.join(" ")}` : ""].filter(Boolean).join(" and ");
}

/**
 * Tries the other settings on a bounded sample (at most HINT_SAMPLE_CADUS CADUs): frame type,
 * FECF, randomizer, RS E and depth, and frame lengths that fit the CADU spacing found in the
 * sample. Returns the settings that decode best, if they decode cleanly and beat the user's.
 */
export function findBetter(user: LinkConfig, sample: Uint8Array): { cfg: LinkConfig; good: number; total: number } | null {
  return searchSettings(user, sample).better;
}

/** findBetter, with what the user's own settings gave on the same sample. */
export function searchSettings(user: LinkConfig, sample: Uint8Array): { better: { cfg: LinkConfig; good: number; total: number } | null; base: { good: number; total: number } | null } {
  const spacing = caduSpacing(sample);
  const cbLens = new Set<number>();
  if (spacing && spacing > 4) cbLens.add(spacing - 4);
  const userCb = user.rsE ? (user.frameLen / user.rsDepth + 2 * user.rsE) * user.rsDepth : user.frameLen;
  cbLens.add(userCb);
  const cadu = Math.max(...[...cbLens].map((x) => x + 4));
  const bytes = sample.subarray(0, Math.min(sample.length, HINT_SAMPLE_CADUS * cadu + 4));
  // Reed-Solomon and frame length: every (E, I) whose codeblock is a CADU length seen.
  const rsShapes: { rsE: 0 | 8 | 16; rsDepth: number; frameLen: number }[] = [];
  for (const cb of cbLens) {
    rsShapes.push({ rsE: 0, rsDepth: 1, frameLen: cb });
    for (const rsE of [16, 8] as const) for (const I of [1, 2, 3, 4, 5, 8]) {
      if (cb % I) continue;
      const n = cb / I;
      if (n > 255 || n <= 2 * rsE) continue;
      rsShapes.push({ rsE, rsDepth: I, frameLen: (n - 2 * rsE) * I });
    }
  }
  const tried = new Set<string>();
  let best: { cfg: LinkConfig; good: number; total: number; score: number; changes: number } | null = null;
  const base = trial(user, bytes);
  // Frames whose FECF checks count half as much again: a CRC-16 that matches on frame after frame
  // is evidence that the field is there (idle frames, which carry no packets, still say so).
  const score = (r: { good: number; total: number; perr: number }, fecf: boolean) => r.good - (r.total - r.good) - r.perr + (fecf ? r.good / 2 : 0);
  const baseScore = base ? score(base, user.fecf) : -Infinity;
  for (const shape of rsShapes) for (const randomizer of [user.randomizer, !user.randomizer]) {
    // RS first: a shape whose codewords do not decode cannot be the answer, whatever the frame.
    const rsOnly = trial({ ...user, ...shape, randomizer, frameType: "tm", fecf: false, ocf: false }, bytes);
    if (shape.rsE && (!rsOnly || rsOnly.total === 0)) continue;
    for (const frameType of [user.frameType, user.frameType === "tm" ? "aos" : "tm"] as const) for (const fecf of [user.fecf, !user.fecf]) {
      const cfg: LinkConfig = { ...user, ...shape, randomizer, frameType, fecf, ocf: frameType === "aos" ? user.ocf : false };
      const key = JSON.stringify([cfg.frameType, cfg.frameLen, cfg.rsE, cfg.rsDepth, cfg.randomizer, cfg.fecf, cfg.ocf]);
      if (tried.has(key)) continue;
      tried.add(key);
      const r = trial(cfg, bytes);
      if (!r || r.good === 0) continue;
      const sc = score(r, cfg.fecf);
      const changes = optionsDiff(user, cfg).split("--").length;
      if (!best || sc > best.score || (sc === best.score && changes < best.changes)) best = { cfg, good: r.good, total: r.total, score: sc, changes };
    }
  }
  const b = base ? { good: base.good, total: base.total } : null;
  if (!best || best.score <= baseScore || optionsDiff(user, best.cfg) === "") return { better: null, base: b };
  // Clean enough to name: most frames good and packets not broken.
  if (best.good * 2 <= best.total) return { better: null, base: b };
  return { better: { cfg: best.cfg, good: best.good, total: best.total }, base: b };
}

/** Chunks of the input: a file read in bounded pieces, or standard input for "-". */
async function* chunks(file: string, io: DecodeIo): AsyncGenerator<Uint8Array> {
  if (file === "-") {
    for await (const c of io.stdin ?? (process.stdin as AsyncIterable<Uint8Array>)) yield c;
    return;
  }
  const fd = openSync(file, "r");
  try {
    const buf = new Uint8Array(1 << 20);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      yield buf.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

export async function decodeCommand(argv: string[], io: DecodeIo = stdio): Promise<number> {
  let args: DecodeArgs;
  try {
    args = parseDecodeArgs(argv);
  } catch (e) {
    if (e instanceof DecodeArgError) { io.err(`${e.message}\n\n${DECODE_USAGE}`); return 2; }
    throw e;
  }
  if (args.help) { io.out(DECODE_USAGE); return 0; }
  if (args.out !== undefined && args.profile === undefined) {
    io.err(`${new DecodeArgError("--out", "needs --profile NAME|FILE (the products' bands, geometry and pass come from the profile)").message}\n\n${DECODE_USAGE}`);
    return 2;
  }
  // A profile: its link settings under the ones typed; with --out, the products' ground chain.
  let products: GroundProducts | null = null;
  if (args.profile !== undefined) {
    const { loadProfile, ProfileError } = await import("../profiles/index.ts");
    const { linkConfigOf } = await import("../pass.ts");
    let p;
    try { p = loadProfile(args.profile); } catch (e) {
      if (e instanceof ProfileError) { io.err(`tengri decode: --profile: ${e.message}\n`); return 2; }
      throw e;
    }
    args.link = { ...linkConfigOf(p), ...args.given };
    if (args.out !== undefined) {
      const { GroundProducts } = await import("../products/ground.ts");
      const { ProductError, requireGdal } = await import("../products/gdal.ts");
      try {
        requireGdal();
        prepareOutputDir(args.out, "--out");
        products = new GroundProducts(p, args.out);
      } catch (e) {
        if (e instanceof CliFailure || e instanceof ProductError) { io.err(`tengri decode: ${e instanceof ProductError ? "--out: " : ""}${e.message}\n`); return 1; }
        throw e;
      }
    }
  }
  let decoder: LinkDecoder;
  const clcw = new ClcwSeries(undefined, 10_000);   // the CLCW in the OCF (README "The CLCW in the downlink")
  let framesSink: FileSink | undefined, packetsSink: FileSink | undefined;
  const sample = new Uint8Array(HINT_SAMPLE_BYTES);
  let sampleLen = 0;
  try {
    try {
      decoder = new LinkDecoder(args.link, {
        onFrame: (f) => { framesSink?.write(f.frame); clcw.frame(f); },
        onPacket: (p) => { packetsSink?.write(p.raw); products?.packet(p.apid, p.data, p.seqFlags, p.seqCount); },
      });
    } catch (e) {
      if (e instanceof LinkConfigError) {
        const opt = e.field === "frameLen" ? "--frame-length" : e.field === "rsDepth" ? "--rs-depth" : e.field === "rsE" ? "--rs-e" : `--${String(e.field)}`;
        io.err(`tengri decode: ${opt}: ${e.rule}\n`);
        return 2;
      }
      throw e;
    }
    for (const [opt, path] of [["--frames-out", args.framesOut], ["--packets-out", args.packetsOut]] as const) if (path !== undefined) checkOutputFile(path, opt);
    if (args.file !== "-") {
      const st = statSync(args.file);
      if (st.isDirectory()) throw new CliFailure(`${displayPath(args.file)} is a directory, not a CADU file`);
    }
    if (args.framesOut) framesSink = new FileSink(args.framesOut);
    if (args.packetsOut) packetsSink = new FileSink(args.packetsOut);
    for await (const c of chunks(args.file, io)) {
      if (sampleLen < sample.length) { const k = Math.min(c.length, sample.length - sampleLen); sample.set(c.subarray(0, k), sampleLen); sampleLen += k; }
      decoder.push(c);
    }
    decoder.end();
    framesSink?.close();
    packetsSink?.close();
    framesSink = packetsSink = undefined;
  } catch (e) {
    if (e instanceof CliFailure) { io.err(`tengri decode: ${e.message}\n`); return e.exitCode; }
    const err = e as NodeJS.ErrnoException;
    if (typeof err?.code === "string") {
      io.err(`tengri decode: ${ioReason(err, err.path ?? args.file)}\n`);
      return 1;
    }
    throw e;
  }
  const s = decoder.stats;
  const c = clcw.framesWithOcf > 0 ? clcwJson(clcw) : null;
  io.out(args.json ? JSON.stringify({ ...statsJson(s), ...(c ? { clcw: c } : {}), verdict: verdict(s) }, null, 2) + "\n" : statsTable(s) + (c ? clcwText(c) : ""));
  const v = verdict(s);
  if (products) {
    // The products after the statistics; with --json the list goes to stderr (stdout holds the JSON alone).
    const say = args.json ? io.err : io.out;
    const { ProductError } = await import("../products/gdal.ts");
    try {
      const r = products.end();
      say(`wrote ${r.files.length} file(s) to ${displayPath(args.out!)}/ (${r.lines} lines, ${r.linesLost} partial or missing):\n`);
      for (const f of r.files) say(`  ${displayPath(join(args.out!, f.name))}  ${f.bytes} bytes\n`);
    } catch (e) {
      if (!(e instanceof ProductError)) throw e;
      io.err(`tengri decode: --out: ${e.message}\n`);
      if (v.ok) return 1;
    }
  }
  if (v.ok) return 0;
  io.err(`tengri decode: ${v.reason}\n`);
  if (sampleLen === 0) return 1;
  const { better, base } = searchSettings(args.link, sample.subarray(0, sampleLen));
  if (better) io.err(`tengri decode: frames decode ${optionsDiff(args.link, better.cfg)}: ${better.good} of ${better.total} in the first ${better.total} CADUs\n`);
  else if (base && base.good > 0) io.err(`tengri decode: no other frame type, FECF, randomizer, RS or frame-length setting does better on the first CADUs (${base.good} of ${base.total} frames good with these options): the link itself may be damaged\n`);
  else io.err(`tengri decode: no other frame type, FECF, randomizer, RS or frame-length setting decodes the first CADUs either: not a CADU stream, or one this decoder cannot read\n`);
  return 1;
}
