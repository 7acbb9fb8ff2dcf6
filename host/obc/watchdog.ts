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
// carry (every band has the same count per line), then re-sends every line after the last
// one acknowledged. Nothing the image accepted is lost. A line partly out when the OBC died
// (some bands sent, the rest in the dead image's partial frame) is sent again whole: its
// bands already out arrive twice at the ground with the same APID and sequence count, so a
// ground that discards a packet repeating the last sequence count of its APID sees no
// duplicate and no gap (reported as partialLine). The master channel count and the
// housekeeping and idle VCs restart from the same preset: a discontinuity there is expected
// at each reboot. A trailing partial CADU of a dead child is discarded (counted) so the
// stream stays CADU-aligned.
//
// Stall: an image that keeps running but stops acknowledging lines (e.g. an SEU in its
// configuration sends image packets elsewhere) is rebooted when more than `stallBytes` of
// bus records were written since the last acknowledgement, or when it ends the pass with
// lines unacknowledged.
import { mkdtempSync, rmSync, writeFileSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Profile } from "../profiles/index.ts";
import { derived } from "../profiles/index.ts";
import { verifyImage } from "./image.ts";
import { configRecord, type ConfigOverrides } from "./config-table.ts";
import { ObcChild, type ChildFault, type ChildFaultReport } from "./child.ts";
import { EXIT_OK, EXIT_NO_CONFIG, EXIT_TRAP, EXIT_RESET, ObcConfigError, ObcCrashError, timingOf, type ObcTiming } from "./obc.ts";
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

export interface SupervisedOptions {
  image: Uint8Array;
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
  /** Bus octets written without a line acknowledged before the image is declared stalled (default 4 MiB). */
  stallBytes?: number;
}

export type RebootCause = "hang" | "trap" | "reset" | "exit" | "stall";

export interface Reboot {
  boot: number;
  cause: RebootCause;
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
}

/**
 * Onboard view of the image's output: the image VC's last frame count, and the newest line
 * whose every band left complete (acknowledged) with the sequence count of its last packet.
 * Image packets leave in line order, band after band, so a line is complete when its last
 * band's last segment has left.
 */
class OutputTracker {
  private readonly dec: LinkDecoder;
  private readonly bandOf: Map<number, number>;
  lastVcCount = -1;
  /** Newest acknowledged line, and the packet sequence count of its last packet. */
  ackLine = -1;
  ackSeq = -1;
  /** The line being sent, and pixels out per band. */
  curLine = -1;
  private pixelsOut: number[];
  private curSeq = -1;
  /** The image-APID sequence count furthest ahead of ackSeq seen (packets the tracker could not use included). */
  anySeq = -1;
  constructor(private readonly p: Profile) {
    this.bandOf = new Map(p.products.image.apids.map((a, i) => [a, i]));
    this.pixelsOut = new Array(p.sensor.bands.length).fill(0);
    const vc = p.products.image.vcid, px = p.sensor.pixelsPerLine;
    this.dec = new LinkDecoder(linkConfigOfProfile(p), {
      onFrame: (f) => { if (f.vcid === vc && !f.idle) this.lastVcCount = f.vcCount; },
      onPacket: (pkt) => {
        const band = this.bandOf.get(pkt.apid);
        if (band === undefined) return;
        this.anySeq = this.ackSeq < 0 || ((pkt.seqCount - this.ackSeq) & 0x3fff) > ((this.anySeq - this.ackSeq) & 0x3fff) ? pkt.seqCount : this.anySeq;
        if (pkt.data.length < 16) return;
        const dv = new DataView(pkt.data.buffer, pkt.data.byteOffset, pkt.data.byteLength);
        const line = dv.getUint32(7), count = dv.getUint16(13);
        if (line !== this.curLine) { this.curLine = line; this.pixelsOut.fill(0); }
        this.pixelsOut[band] += count;
        this.curSeq = pkt.seqCount;
        if (this.pixelsOut.every((n) => n >= px)) { this.ackLine = line; this.ackSeq = this.curSeq; }
      },
    });
  }
  push(c: Uint8Array): void { this.dec.push(c); }
  /** Bands of the line being sent that already left complete (re-sent: duplicates at the ground). */
  bandsOut(): number[] {
    if (this.curLine === this.ackLine) return [];
    const px = this.p.sensor.pixelsPerLine;
    return this.pixelsOut.flatMap((n, b) => (n > 0 ? [b] : []));
  }
}

function atomicWrite(path: string, text: string): void {
  writeFileSync(path + ".tmp", text);
  renameSync(path + ".tmp", path);
}

export async function runSupervised(o: SupervisedOptions): Promise<SupervisedResult> {
  const p = o.profile;
  verifyImage(o.image, p);
  const d = derived(p);
  const caduLen = d.caduLen;
  const watchdogMs = o.watchdogMs ?? 2000;
  const maxReboots = o.maxReboots ?? 8;
  const dir = mkdtempSync(join(tmpdir(), "tengri-obc-"));
  const imgPath = join(dir, "image.bin");
  writeFileSync(imgPath, o.image);
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
    }, { faultFile });
    return child.write(configRecord(p, overrides));
  };

  const stallBytes = o.stallBytes ?? 4 << 20;
  let sinceAck = 0, ackSeen = -1, stalled = false;

  const write = async (it: BusItem): Promise<boolean> => {
    if (tracker.ackLine !== ackSeen) { ackSeen = tracker.ackLine; sinceAck = 0; }
    if (sinceAck > stallBytes && child.alive) {
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
    // A clean end with lines never acknowledged: the image ran but its output went wrong.
    if (code === EXIT_OK && !hung && !stalled) {
      if (!unacked().length) return false;
      stalled = true;
    }
    if (code === EXIT_NO_CONFIG && !hung && !stalled) throw new ObcConfigError(child.log);
    const cause: RebootCause = hung ? "hang" : stalled ? "stall" : code === EXIT_TRAP ? "trap" : code === EXIT_RESET ? "reset" : "exit";
    if (reboots.length >= maxReboots) throw new ObcCrashError(code, child.exit?.signal ?? null, child.log);
    const discarded = remLen;
    remLen = 0;
    const acked = tracker.ackLine;
    const out = tracker.bandsOut();
    const partial: Reboot["partialLine"] = out.length ? { line: tracker.curLine, bandsRepeated: out } : null;
    // Only what was written after the last acknowledged line goes again.
    const ackIdx = window.findIndex((w) => w.line !== undefined && w.line > acked);
    const resend = (ackIdx < 0 ? [] : window.slice(ackIdx)).filter((w) => w.resend !== null);
    const vcMod = p.link.frame.type === "tm" ? 256 : 0x1000000;
    const ifc = tracker.lastVcCount >= 0 ? (tracker.lastVcCount + 1) % vcMod : (o.config?.initialFrameCount ?? 0);
    // After a stall the dead image may have sent image packets the tracker could not use: start
    // beyond every count it used, so re-sent lines are not taken for duplicates.
    const seq = cause === "stall" ? tracker.anySeq : tracker.ackSeq;
    const ipc = seq >= 0 ? (seq + 1) & 0x3fff : (o.config?.initialPacketCount ?? 0);
    reboots.push({ boot, cause, exitCode: code, lastLineWritten: lastWritten, lastLineAcked: acked, linesResent: resend.filter((w) => w.line !== undefined).length, partialLine: partial, discardedBytes: discarded, initialFrameCount: ifc, initialPacketCount: ipc });
    log.push(`tengri-obc: watchdog: ${cause} (exit ${code}); reboot ${reboots.length}, resuming after line ${acked}`);
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
  return { exitCode: child.exit?.code ?? -1, boots: boot, reboots, faultsApplied, log, busBytes, outBytes, wallS: (performance.now() - t0) / 1000, timing: sum };
}
