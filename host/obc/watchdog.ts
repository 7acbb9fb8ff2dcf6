// The OBC supervisor: runs the flight image like runImage, plus a watchdog that reboots it
// when it stops making progress, traps or resets, and resumes the pass.
//
// Progress: the child produced output, or a bus write that had to wait was accepted. The
// watchdog fires when neither happened for `watchdogMs` while bus data is pending (a write
// waits for the pipe to drain, or the bus has ended and the image has not exited). A trap
// (exit 70), a scripted reset (71) or any other unexpected exit is a crash: reboot at once.
//
// Acknowledged: a line is acknowledged once all its image packets (every band, every segment)
// have left the transmitter in complete CADUs. The supervisor decodes the image's own output
// (an onboard view, before the channel) to know that. On reboot it boots a new child, sends
// the configuration record again with the frame counter preset to the image VC's next count
// and the packet sequence counter to the count the first unacknowledged line's packets
// carry, then re-sends every line after the last one acknowledged. Nothing the image
// accepted is lost. A line partly out when the OBC died (some bands sent, the rest in the
// dead image's partial frame) is sent again whole (reported as partialLine). In raw mode
// without screening every band's packets of a line carry the same count, so the repeated
// bands arrive with the APID and sequence count they had: a ground that discards a packet
// repeating its APID's last count sees no duplicate and no gap. In compressed or screened
// modes the counts differ per APID: the preset goes beyond every count used, so repeated
// units arrive as new packets (a ground keeps the last copy) and the APIDs behind the
// furthest one show a sequence gap at the reboot. The master channel count and the
// housekeeping and idle VCs restart from the same preset: a discontinuity there is expected
// at each reboot. A trailing partial CADU of a dead child is discarded (counted) so the
// stream stays CADU-aligned.
//
// Stall: an image that keeps running but stops acknowledging lines (e.g. an SEU in its
// configuration sends image packets elsewhere) is rebooted when more than `stallBytes` of
// bus records were written since the last acknowledgement, or when it ends the pass with
// lines unacknowledged. Self-check: the image's own output, before any channel, must decode
// cleanly; a bad FECF, an uncorrectable codeword, a bad header or a malformed packet there is
// an onboard fault (e.g. an SEU in the CRC table): acknowledgement stops at once and the
// image is rebooted at the next bus write (or at the end of the pass).
//
// Flash (issue 11, host/boot/README.md): with `flash`, the image is not given but chosen at every
// boot by the emulated bootloader from the payload's flash directory (slot, trial boot, fallback).
// When the image exits with EXIT_REBOOT (72) the bootloader first takes a `confirm` and a
// `boot-request` the image wrote, then the OBC boots what it chooses and the pass goes on as after
// any reboot (configuration table sent again, unacknowledged lines re-sent). A trial image that
// traps, crashes, hangs or refuses its configuration has used one of its trial boots; the
// bootloader falls back by itself. Every bootloader step is in the result's bootEvents.
import { mkdtempSync, rmSync, writeFileSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Profile } from "../profiles/index.ts";
import { derived } from "../profiles/index.ts";
import { verifyImage } from "./image.ts";
import { configRecord, type ConfigOverrides } from "./config-table.ts";
import { ObcChild, type ChildFault, type ChildFaultReport } from "./child.ts";
import { EXIT_OK, EXIT_NO_CONFIG, EXIT_TRAP, EXIT_RESET, EXIT_REBOOT, ObcConfigError, ObcCrashError, timingOf, type ObcTiming } from "./obc.ts";
import { Bootloader, type BootEvent, type BootChoice } from "../boot/bootloader.ts";
import { LinkDecoder } from "../ground/link-decoder.ts";
import { linkConfigOfProfile } from "./link-config.ts";

/** One record on the payload bus. `line`: the counter of a line record (for re-sending after a reboot). */
export interface BusItem {
  record: Uint8Array;
  line?: number;
  /** What to re-send after a reboot instead of `record` (e.g. the clean record of a corrupted one); null: never re-send. */
  resend?: Uint8Array | null;
}

/** A fault applied inside the image's process when the record of line `line` is first written. */
export interface LineFault { line: number; kind: "seu" | "hang" | "reset"; address?: number; bit?: number }

/** The payload's flash directory and its bootloader (host/boot/README.md). */
export interface FlashBoot {
  dir: string;
  /** Trial boots before fallback (default MAX_TRIAL_BOOTS). */
  maxTrialBoots?: number;
  onBootEvent?(e: BootEvent, boot: number): void;
}

/** The bootloader found no slot with a verified image: the payload cannot be started. */
export class NoBootableImageError extends Error {
  constructor(readonly events: BootEvent[]) {
    super(`no bootable image: ${events.filter((e) => e.kind === "no-bootable-image").map((e) => e.detail).join("; ") || "every slot failed its checks"}`);
    this.name = "NoBootableImageError";
  }
}

export interface SupervisedOptions {
  /** The flashed image file contents (not used with `flash`: the bootloader chooses). */
  image?: Uint8Array;
  flash?: FlashBoot;
  profile: Profile;
  /** Configuration overrides for the first boot (counters are set again on every reboot). */
  config?: ConfigOverrides;
  /** The pass's records after the configuration: lines, end of pass, anything else. */
  items: Iterable<BusItem> | AsyncIterable<BusItem>;
  onOutput(chunk: Uint8Array): void;
  onLog?(line: string, boot: number): void;
  /** No progress for this long while bus data is pending: the image is hung (default 2000 ms). */
  watchdogMs?: number;
  /** Reboots before giving up (default 8). */
  maxReboots?: number;
  childFaults?: LineFault[];
  /** Bus octets written without a line acknowledged before the image is declared stalled (default 16 MiB + 256 line records). */
  stallBytes?: number;
  /** The emulated payload flash, the image's WASI preopen "/flash" on every boot (none without it). */
  flashDir?: string;
}

export type RebootCause = "hang" | "trap" | "reset" | "exit" | "stall" | "self-check" | "boot-request";

export interface Reboot {
  boot: number;
  cause: RebootCause;
  /** For "self-check": the first error found decoding the image's own output. */
  selfCheck: string | null;
  exitCode: number | null;
  /** Last line record written to the dead image, last one acknowledged. */
  lastLineWritten: number;
  lastLineAcked: number;
  /** Lines re-sent to the new image. */
  linesResent: number;
  /** A line partly sent when the OBC died, re-sent whole: the bands that will arrive twice. */
  partialLine: { line: number; bandsRepeated: number[] } | null;
  discardedBytes: number;
  initialFrameCount: number;
  initialPacketCount: number;
}

export interface SupervisedResult {
  exitCode: number;
  boots: number;
  reboots: Reboot[];
  faultsApplied: (ChildFaultReport & { boot: number; line: number })[];
  log: string[];
  busBytes: number;
  outBytes: number;
  wallS: number;
  /** Summed over boots. */
  timing: ObcTiming | null;
  /** With `flash`: what the bootloader did, in order, and what each boot ran. */
  bootEvents: (BootEvent & { boot: number })[];
  bootImages: { boot: number; slot: "a" | "b"; trial: boolean; version: number; buildId: string }[];
}

/**
 * Onboard view of the image's output: the image VC's last frame count, how far each band has
 * left complete, and the newest line every band has left complete (acknowledged). Raw mode:
 * one packet per band line or segment (line, first pixel, count in its secondary header).
 * Compressed modes: units of several lines, segmented across packets; every segment carries
 * the unit header (line, lines so far, first pixel, count) and a unit is complete at its last
 * segment, whose line count is final. CCSDS 123 codes every band in one stream (one unit
 * stands for all bands); with cloud screening a dropped tile's statistics packet stands for
 * its pixels in every band. Either way image packets leave in line order, band after band.
 */
class OutputTracker {
  private dec!: LinkDecoder;
  private readonly newDecoder: () => LinkDecoder;
  private readonly bandOf: Map<number, number>;
  private readonly raw: boolean;
  private readonly screening: boolean;
  private readonly allBands: boolean;
  lastVcCount = -1;
  /** Newest acknowledged line; in raw mode the sequence count of its last packet. */
  ackLine = -1;
  ackSeq = -1;
  /** Per band: the last line it has left complete. */
  readonly through: number[];
  /** The first self-check failure on the image's output (a link event kind), or null. */
  fault: string | null = null;
  /** Per image APID: the last sequence count seen. */
  readonly lastSeq = new Map<number, number>();
  constructor(private readonly p: Profile) {
    this.bandOf = new Map(p.products.image.apids.map((a, i) => [a, i]));
    const bands = p.sensor.bands.length;
    this.through = new Array(bands).fill(-1);
    this.raw = (p.products.image.compression ?? "raw") === "raw";
    this.allBands = p.products.image.compression === "ccsds123";
    const vc = p.products.image.vcid, depth = p.sensor.bitDepth;
    const scr = p.products.image.screening as { enabled?: boolean; statsApid?: number } | undefined;
    const statsApid = scr?.enabled ? scr.statsApid ?? -1 : -1;
    this.screening = statsApid >= 0;
    this.newDecoder = () => new LinkDecoder(linkConfigOfProfile(p), {
      onFrame: (f) => { if (f.vcid === vc && !f.idle && !this.fault) this.lastVcCount = f.vcCount; },
      // The image's own output, before any channel, must decode cleanly: an error here is an
      // onboard fault (a corrupted coder, table or buffer). Counter gaps are not: reboots preset them.
      onEvent: (e) => {
        if (!this.fault && SELF_CHECK_EVENTS.has(e.kind) && !(e.kind === "packet-error" && e.reason === "lost-in-gap")) this.fault = e.kind;
      },
      onPacket: (pkt) => {
        if (pkt.apid === statsApid && pkt.data.length >= 49 && pkt.data[45] === 2) {
          // Cloud screening: a dropped tile sends no band data; its statistics packet (which
          // leaves before the data of later tiles) stands for every band's pixels of the tile.
          const dv = new DataView(pkt.data.buffer, pkt.data.byteOffset, pkt.data.byteLength);
          const t = { line: dv.getUint32(11), lines: dv.getUint16(15), first: dv.getUint16(17), count: dv.getUint16(19) };
          for (let b = 0; b < bands; b++) this.complete(b, t, pkt.seqCount);
          return;
        }
        const band = this.bandOf.get(pkt.apid);
        if (band === undefined) return;
        this.lastSeq.set(pkt.apid, pkt.seqCount);
        const d = pkt.data;
        const dv = new DataView(d.buffer, d.byteOffset, d.byteLength);
        let done: { line: number; lines: number; first: number; count: number } | null = null;
        if (this.raw) {
          // Checked as the ground would read it (README, "Image packets"): a packet the ground
          // cannot use does not acknowledge its line.
          if (d.length >= 16 && d[0] === 0x1e && d[15] === depth) {
            const count = dv.getUint16(13);
            if (d.length === 16 + Math.ceil((count * depth) / 8)) done = { line: dv.getUint32(7), lines: 1, first: dv.getUint16(11), count };
          }
        } else {
          // Every segment carries the unit header; its line count is final in the last segment.
          if ((pkt.seqFlags === 2 || pkt.seqFlags === 3) && d.length >= 17 && d[0] === 0x1e) done = { line: dv.getUint32(7), lines: dv.getUint16(11), first: dv.getUint16(13), count: dv.getUint16(15) };
        }
        if (!done) return;
        // CCSDS 123: one stream for every band (BIL) on the first band's APID.
        if (this.allBands) for (let b = 0; b < bands; b++) this.complete(b, done, pkt.seqCount);
        else this.complete(band, done, pkt.seqCount);
      },
    });
    this.dec = this.newDecoder();
  }
  /** A new boot starts new frames and packets: packet reassembly starts afresh (counts kept). */
  reboot(): void { this.dec = this.newDecoder(); this.fault = null; }
  /** A piece of a band has left: the piece reaching the last pixel completes its lines. */
  private complete(band: number, t: { line: number; lines: number; first: number; count: number }, seq: number): void {
    if (this.fault) return; // acknowledgement stops at the first self-check failure
    if (t.first + t.count < this.p.sensor.pixelsPerLine) return;
    const last = t.line + Math.max(1, t.lines) - 1;
    if (last > this.through[band]) this.through[band] = last;
    const ack = Math.min(...this.through);
    if (ack > this.ackLine) { this.ackLine = ack; this.ackSeq = seq; }
  }
  push(c: Uint8Array): void { this.dec.push(c); }
  /** Every band's packets of a line carry the same sequence count (raw, no screening). */
  get isRaw(): boolean { return this.raw && !this.screening; }
  /** Bands already past the acknowledged line (their packets of the next lines will repeat). */
  bandsAhead(): { line: number; bands: number[] } | null {
    const bands = this.through.flatMap((t, b) => (t > this.ackLine ? [b] : []));
    return bands.length ? { line: this.ackLine + 1, bands } : null;
  }
  /** One past the furthest sequence count seen on any image APID (relative to ackSeq). */
  beyondAll(): number {
    let best = -1, bestD = -1;
    for (const s of this.lastSeq.values()) {
      const d = this.ackSeq < 0 ? s : (s - this.ackSeq) & 0x3fff;
      if (d > bestD) { bestD = d; best = s; }
    }
    return best;
  }
}

const SELF_CHECK_EVENTS = new Set<string>(["fecf-bad", "rs-uncorrectable", "bad-header", "packet-error", "sync-lost"]);

function atomicWrite(path: string, text: string): void {
  writeFileSync(path + ".tmp", text);
  renameSync(path + ".tmp", path);
}

export async function runSupervised(o: SupervisedOptions): Promise<SupervisedResult> {
  const p = o.profile;
  if (!o.flash) {
    if (!o.image) throw new Error("runSupervised: an image or a flash directory is needed");
    verifyImage(o.image, p);
  }
  const d = derived(p);
  const caduLen = d.caduLen;
  const watchdogMs = o.watchdogMs ?? 2000;
  const maxReboots = o.maxReboots ?? 8;
  const dir = mkdtempSync(join(tmpdir(), "tengri-obc-"));
  const imgPath = join(dir, "image.bin");
  const bootEvents: SupervisedResult["bootEvents"] = [];
  const bootImages: SupervisedResult["bootImages"] = [];
  let bl: Bootloader | null = null;
  let current: BootChoice | null = null;
  /** The boot an event belongs to: the one that ended (confirm, boot-request) or the one starting. */
  let eventBoot = 1;
  if (o.flash) {
    const f = o.flash;
    bl = new Bootloader(f.dir, { profile: p, maxTrialBoots: f.maxTrialBoots, onEvent: (e) => { bootEvents.push({ ...e, boot: eventBoot }); f.onBootEvent?.(e, eventBoot); } });
  } else writeFileSync(imgPath, o.image!);
  /** Flash: the bootloader chooses the image of the next boot; its verified octets are what runs. */
  const selectImage = () => {
    if (!bl) return;
    eventBoot = boot + 1;
    current = bl.boot();
    if (!current) { rmSync(dir, { recursive: true, force: true }); throw new NoBootableImageError(bl.events); }
    writeFileSync(imgPath, current.file);
    bootImages.push({ boot: boot + 1, slot: current.slot === 0 ? "a" : "b", trial: current.trial, version: current.image.version, buildId: current.image.buildId });
  };
  const t0 = performance.now();
  const tracker = new OutputTracker(p);
  const pendingFaults = new Map<number, LineFault[]>();
  for (const f of o.childFaults ?? []) pendingFaults.set(f.line, [...(pendingFaults.get(f.line) ?? []), f]);

  const log: string[] = [];
  const reboots: Reboot[] = [];
  const faultsApplied: SupervisedResult["faultsApplied"] = [];
  const timings: ObcTiming[] = [];
  let busBytes = 0, outBytes = 0;
  let boot = 0;
  let child!: ObcChild;
  let faultFile = "";
  let faultList: (ChildFault & { line: number })[] = [];
  const rem = new Uint8Array(caduLen);
  let remLen = 0;
  let lastWritten = -1;
  /** Records written after the last acknowledged line, for re-sending. */
  let window: BusItem[] = [];
  let waitingDrain = false, busEnded = false, hung = false;

  const out = (c: Uint8Array) => {
    // Forward whole CADUs only, so a dead child's trailing partial CADU can be dropped.
    let i = 0;
    if (remLen) {
      const take = Math.min(caduLen - remLen, c.length);
      rem.set(c.subarray(0, take), remLen);
      remLen += take; i = take;
      if (remLen < caduLen) return;
      emit(rem.slice());
      remLen = 0;
    }
    const whole = Math.floor((c.length - i) / caduLen) * caduLen;
    if (whole) emit(c.subarray(i, i + whole));
    i += whole;
    if (i < c.length) { rem.set(c.subarray(i), 0); remLen = c.length - i; }
  };
  const emit = (c: Uint8Array) => { outBytes += c.length; tracker.push(c); o.onOutput(c); };

  const start = (overrides: ConfigOverrides) => {
    boot++;
    faultFile = join(dir, `faults-${boot}.json`);
    faultList = [];
    atomicWrite(faultFile, "[]");
    waitingDrain = false; hung = false;
    const b = boot;
    child = new ObcChild(imgPath, {
      onOutput: out,
      onLog: (l) => { if (log.length < 10000) log.push(boot > 1 ? `[boot ${b}] ${l}` : l); o.onLog?.(l, b); },
      onFault: (f) => {
        const lf = faultList.find((x) => x.at === f.at && x.kind === f.kind);
        faultsApplied.push({ ...f, boot: b, line: lf?.line ?? -1 });
      },
    }, { faultFile, flashDir: o.flashDir ?? o.flash?.dir });
    return child.write(configRecord(p, overrides));
  };

  const lineRecordLen = 10 + 18 + 2 * p.sensor.bands.length * p.sensor.pixelsPerLine + 2;
  const stallBytes = o.stallBytes ?? (16 << 20) + 256 * lineRecordLen;
  let sinceAck = 0, ackSeen = -1, stalled = false;

  const write = async (it: BusItem): Promise<boolean> => {
    if (tracker.ackLine !== ackSeen) { ackSeen = tracker.ackLine; sinceAck = 0; }
    if ((sinceAck > stallBytes || tracker.fault) && child.alive) {
      stalled = true;
      child.kill();
      await child.exited;
      return false;
    }
    if (it.line !== undefined) {
      const fs = pendingFaults.get(it.line);
      if (fs) {
        pendingFaults.delete(it.line);
        for (const f of fs) faultList.push({ at: child.busBytes, kind: f.kind, address: f.address, bit: f.bit, line: f.line });
        atomicWrite(faultFile, JSON.stringify(faultList));
      }
      lastWritten = it.line;
    }
    busBytes += it.record.length;
    sinceAck += it.record.length;
    waitingDrain = true;
    const ok = await child.write(it.record);
    waitingDrain = false;
    return ok;
  };

  const timer = setInterval(() => {
    if (!child || !child.alive) return;
    if ((waitingDrain || busEnded) && performance.now() - child.lastProgress > watchdogMs) { hung = true; child.kill(); }
  }, Math.max(10, watchdogMs / 4));

  const unacked = () => window.filter((w) => w.line !== undefined && w.line > tracker.ackLine && w.resend !== null);

  /** After the child died: decide, reboot, re-send the window. Returns false when the pass is over. */
  const recover = async (): Promise<boolean> => {
    const { code } = await child.exited;
    if (child.stats) timings.push(timingOf(child.stats)!);
    // Flash: a confirmation first (an image may confirm, then fail), then a reboot request.
    let requested = false;
    if (bl) {
      eventBoot = boot;
      bl.processConfirm();
      if (code === EXIT_REBOOT && !hung && !stalled) { bl.processBootRequest(); requested = true; }
    }
    // A clean end with lines never acknowledged: the image ran but its output went wrong.
    if (code === EXIT_OK && !hung && !stalled) {
      if (!unacked().length && !tracker.fault) return false;
      stalled = true;
    }
    // A trial image that refuses its configuration has failed its boot: the bootloader falls back.
    if (code === EXIT_NO_CONFIG && !hung && !stalled && !current?.trial) throw new ObcConfigError(child.log, child.refusal, p.sensor.bands.length);
    const cause: RebootCause = requested ? "boot-request" : hung ? "hang" : tracker.fault ? "self-check" : stalled ? "stall" : code === EXIT_TRAP ? "trap" : code === EXIT_RESET ? "reset" : "exit";
    const selfCheck = tracker.fault;
    if (reboots.length >= maxReboots) throw new ObcCrashError(code, child.exit?.signal ?? null, child.log);
    const discarded = remLen;
    remLen = 0;
    const acked = tracker.ackLine;
    const ahead = tracker.bandsAhead();
    const partial: Reboot["partialLine"] = ahead ? { line: ahead.line, bandsRepeated: ahead.bands } : null;
    // Only what was written after the last acknowledged line goes again.
    const ackIdx = window.findIndex((w) => w.line !== undefined && w.line > acked);
    const resend = (ackIdx < 0 ? [] : window.slice(ackIdx)).filter((w) => w.resend !== null);
    const vcMod = p.link.frame.type === "tm" ? 256 : 0x1000000;
    const ifc = tracker.lastVcCount >= 0 ? (tracker.lastVcCount + 1) % vcMod : (o.config?.initialFrameCount ?? 0);
    // Raw mode: every band's packets of a line carry the same count, so the first line re-sent
    // gets the counts it had (repeats are recognisable). Compressed modes (bands differ), and
    // after a stall (the dead image may have sent packets the tracker could not use): start
    // beyond every count used, so nothing re-sent is taken for a duplicate; the APIDs behind
    // the furthest one then show a sequence gap at the ground.
    const seq = cause === "stall" || cause === "self-check" || !tracker.isRaw ? tracker.beyondAll() : tracker.ackSeq;
    const ipc = seq >= 0 ? (seq + 1) & 0x3fff : (o.config?.initialPacketCount ?? 0);
    tracker.reboot();
    reboots.push({ boot, cause, selfCheck, exitCode: code, lastLineWritten: lastWritten, lastLineAcked: acked, linesResent: resend.filter((w) => w.line !== undefined).length, partialLine: partial, discardedBytes: discarded, initialFrameCount: ifc, initialPacketCount: ipc });
    log.push(`tengri-obc: watchdog: ${cause} (exit ${code}); reboot ${reboots.length}, resuming after line ${acked}`);
    selectImage();
    await start({ ...o.config, initialFrameCount: ifc, initialPacketCount: ipc });
    stalled = false; sinceAck = 0;
    window = [];
    for (const w of resend) {
      const again = { ...w, record: w.resend ?? w.record };
      window.push(again);
      if (!(await write(again))) return true;
    }
    if (busEnded) child.end();
    return true;
  };

  try {
    selectImage();
    await start(o.config ?? {});
    const it = (Symbol.asyncIterator in (o.items as object)) ? (o.items as AsyncIterable<BusItem>)[Symbol.asyncIterator]() : (o.items as Iterable<BusItem>)[Symbol.iterator]();
    for (;;) {
      const n = await it.next();
      if (n.done) break;
      const item = n.value as BusItem;
      // Forget what is acknowledged.
      if (window.length > 64) {
        const k = window.findIndex((w) => w.line !== undefined && w.line > tracker.ackLine);
        if (k > 0) window = window.slice(k);
        else if (k < 0 && tracker.ackLine >= 0) window = [];
      }
      window.push(item);
      let over = false;
      while (!(await write(item))) {
        if (!(await recover())) { over = true; break; } // ended (exit 0) early: nothing more to do
        if (child.alive) break;                           // the window (with this item) was re-sent
      }
      if (over) break;
    }
    busEnded = true;
    child.end();
    while (await recover()) { /* rebooted: the window was re-sent and the bus ended again */ }
  } finally {
    clearInterval(timer);
    if (child?.alive) child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
  const sum = timings.reduce<ObcTiming | null>((a, t) => (a ? { runtime: a.runtime, busyMs: a.busyMs + t.busyMs, waitMs: a.waitMs + t.waitMs, wallMs: a.wallMs + t.wallMs, cpuMs: a.cpuMs + t.cpuMs, reads: a.reads + t.reads, maxBusyPerReadMs: Math.max(a.maxBusyPerReadMs, t.maxBusyPerReadMs) } : t), null);
  // The last image may have confirmed itself and ended the pass.
  eventBoot = boot;
  bl?.processConfirm();
  return { exitCode: child.exit?.code ?? -1, boots: boot, reboots, faultsApplied, log, busBytes, outBytes, wallS: (performance.now() - t0) / 1000, timing: sum, bootEvents, bootImages };
}
