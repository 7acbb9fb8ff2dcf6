// A whole imaging pass on the test bench:
//   sensor emulator → bus records → emulated OBC running the flight image → CADU stream
//   → downlink channel → ground station (link decoder, image reconstruction, housekeeping)
//   → pass summary (and, with an output folder, pass.cadu, the ground image and report.json).
// Everything streams: host memory stays bounded however long the pass is.
import { readFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadProfile, derived, type Profile } from "./profiles/index.ts";
import { openScene as openSensorScene, type OpenSceneOptions, type SceneSource } from "./sensor/index.ts";
import { flash } from "./obc/image.ts";
import { runImage, realTimeMargin } from "./obc/obc.ts";
import { runSupervised, type BusItem, type LineFault, type Reboot, type FlashBoot, type SupervisedResult } from "./obc/watchdog.ts";
import { Transmitter } from "./downlink/transmitter.ts";
import type { StorePolicy, StoreReport } from "./downlink/store.ts";
import { configRecord, aecOptions, screeningOptions, hyperOptions, productModes, panOptions, type ConfigOverrides } from "./obc/config-table.ts";
import { EV_MODE_CHANGED, modeOfEventCount } from "./ground/mode-schedule.ts";
import { multiResScene, SceneError, type SensorLine } from "./sensor/index.ts";
import { PanGround, type PanSummary } from "./ground/pan.ts";
import { ScreeningGround, type ScreeningSummary, type TileStats } from "./ground/screening.ts";
import { createReportObserver } from "./report/index.ts";
import { encodeLine, encodeEnd, encodePanLine } from "./obc/bus.ts";
import { Channel, type ChannelOptions } from "./downlink/channel.ts";
import { LinkDecoder, type LinkConfig, type LinkEvent, type DecodedFrame } from "./ground/link-decoder.ts";
import { ImageReconstructor, cucTime16, type ReconstructionStats } from "./ground/image.ts";
import { decodeHousekeeping, type Housekeeping } from "./ground/housekeeping.ts";
import { parseTmPacket, decodeReport, type PusReport } from "./ground/pus-reports.ts";
import { bootHistory, formatBootHistory, type BootHistoryEntry } from "./ground/boot-history.ts";
import { CONTRACT } from "./contract/contract.gen.ts";
import { PieceLedger } from "./ground/completeness.ts";
import { reconstructStops, type StoppedLines } from "./ground/stopped.ts";
import { computeVerdict, type Verdict } from "./report/verdict.ts";
import { BacklogSamples, computeBacklog, type Backlog } from "./report/backlog.ts";

export const FLIGHT_WASM = fileURLToPath(new URL("../build/flight.wasm", import.meta.url));

export interface PassOptions {
  profile: string | Profile;
  /** "synthetic" (default) or a raw cube path; its geometry from cube options, its name or a sidecar JSON. */
  scene?: string;
  cube?: Omit<OpenSceneOptions, "scene" | "seed" | "lines">;
  lines?: number;
  seed?: number;
  ber?: number;
  burstEvery?: number;
  burstLen?: number;
  dropCadus?: number[];
  slips?: { cadu: number; bits: number }[];
  out?: string;
  /** Configuration overrides (counter presets for wrap-around tests, fault injection). */
  config?: ConfigOverrides;
  /** Bus-level fault injection: transform the record stream (e.g. corrupt a record). */
  busFilter?: (records: Iterable<Uint8Array>) => Iterable<Uint8Array>;
  /** Ground-level fault injection: lose the nth (0-based) packet of an APID after the link decoder. */
  losePacket?: (apid: number, nth: number) => boolean;
  wasmPath?: string;
  onProgress?(linesSent: number, total: number): void;
  observers?: PassObserver[];
  /** Run under the OBC supervisor: watchdog (ms without progress) and scripted faults at lines. */
  watchdogMs?: number;
  obcFaults?: LineFault[];
  /** Boot from a provisioned flash directory through the emulated bootloader (host/boot): supervised, the image is the bootloader's choice at every boot. */
  flash?: FlashBoot;
  /** The image's WASI preopen "/flash" when not booting through the bootloader (a provisioned flash directory: keys.bin for commanding). */
  flashDir?: string;
  /** Contact window (pass-relative seconds); CADUs outside it wait in the onboard store. */
  contactWindow?: { startS: number; endS: number };
  storeBytes?: number;
  storePolicy?: StorePolicy;
  /** Serve the transmitted CADUs on TCP, and send decoded frames as UDP datagrams. */
  caduTcp?: { host?: string; port?: number };
  udpFrames?: { host: string; port: number };
}

/** Watches a pass as it streams (report builders, progress, HIL taps). All optional. */
export interface PassObserver {
  /** The profile and derived figures, before the first line. */
  start?(p: Profile): void;
  /** A line as the imager produced it: bands × pixels, band-interleaved by line. */
  sentLine?(line: number, timeS: number, samples: Uint16Array): void;
  /** A line as the ground rebuilt it (null for a band that did not arrive complete). */
  groundLine?(line: number, bands: (Uint16Array | null)[]): void;
  /** The panchromatic channel: a line as the ground decoded it (null: not decoded), after the pass, in order. */
  panLine?(line: number, samples: ArrayLike<number> | null): void;
  /** Screening: the decoded cloud mask of a line (1 = cloud), and each tile's statistics and decision. */
  maskLine?(line: number, mask: Uint8Array): void;
  tile?(t: TileStats): void;
  /** Every transfer frame the ground decoded (idle ones included), in order. */
  frame?(f: DecodedFrame): void;
  linkEvent?(e: LinkEvent): void;
  housekeeping?(hk: Housekeeping): void;
  /** The final summary; the pass waits for the returned promise. */
  end?(s: PassSummary): void | Promise<void>;
}

export interface PassSummary {
  profile: string;
  /** Image product mode: raw or the compressor. */
  mode: string;
  lines: number;
  bands: number;
  pixels: number;
  bitDepth: number;
  flight: {
    exitCode: number; log: string[]; housekeeping: Housekeeping | null; busBytes: number; caduBytes: number;
    /** The image's own processing time per line against the line period (null when not measured). */
    realTime: { perLineMs: number; linePeriodMs: number; margin: number; runtime: string } | null;
    reboots: Reboot[];
    /** With a flash directory: the bootloader's events and what each boot ran (host/boot). */
    boot?: { events: SupervisedResult["bootEvents"]; images: SupervisedResult["bootImages"] };
    /**
     * The boot history as the ground decoded it from the downlink (housekeeping v3 boot fields and
     * ST[5] events 9..15, host/ground/boot-history.ts): one entry per boot; empty when the image
     * was not booted by the bootloader (no flash directory). `lines`: the same, one line per boot.
     */
    bootHistory?: { entries: BootHistoryEntry[]; lines: string[] };
  };
  link: { bytes: number; bitErrors: number; bursts: number; dropped: number; slips: number };
  ground: {
    cadus: number; bitSlips: number; syncLosses: number; rsSymbolsCorrected: number; rsCodewordsCorrected: number; rsCodewordsUncorrectable: number;
    framesGood: number; framesDropped: number; framesBadFecf: number; idleFrames: number; dataFrames: number; gapFrames: number;
    packets: number; packetErrors: number; hkPackets: number; events: Record<string, number>;
  };
  image: ReconstructionStats;
  /** Cloud screening, when the profile enables it. */
  screening: ScreeningSummary | null;
  /** The verdict and its words (host/report/verdict.ts); `verified` is verdict.verified. */
  verdict: Verdict;
  verified: boolean;
  /**
   * linkTimeS: time the transmitter needs for every CADU sent (idle ones included);
   * dataLinkTimeS: for the CADUs that carry data (the ground's non-idle frames), and linkUse that
   * over the pass (the link's average load with data). backlog (host/report/backlog.ts): frames
   * beyond the link's capacity, at every housekeeping report and at the end of imaging;
   * keepsUp = backlog.keptPace, backlogS = backlog.endS.
   */
  downlink: { passDurationS: number; rawBitRate: number; downlinkBitRate: number; caduBits: number; linkTimeS: number; dataLinkTimeS: number; linkUse: number; backlogS: number; keepsUp: boolean; backlog: Backlog; store: StoreReport };
  /** PUS-C reports the ground decoded from the report APID (README, Commanding the payload), in arrival order; unreadable ones counted. */
  commanding: {
    reportApid: number; reports: PusReport[]; badReports: number;
    /** Commanded stops of acquisition (host/ground/stopped.ts): the intervals, the lines the imager sent inside them (stopped, not missing), problems. Absent without stop events. */
    stopped?: { intervals: StoppedLines["intervals"]; lines: number; problems: string[] };
  };
  /** The panchromatic channel (profiles with sensor.panchromatic): segments, decode, exactness or PSNR. */
  pan: PanSummary | null;
  /** Per channel: coded rate over the pass against the downlink (the pan beside the bands and their screening products). */
  channels: { name: string; bytes: number; rateBitS: number; shareOfDownlink: number; lossless: boolean; psnrDb: number | null; maxError: number | null }[];
  wallS: number;
  throughputMbitS: number;
}

export function linkConfigOf(p: Profile): LinkConfig {
  return {
    frameType: p.link.frame.type, frameLen: p.link.frame.length, rsE: p.link.coding.rsE, rsDepth: p.link.coding.rsDepth,
    randomizer: p.link.coding.randomizer, fecf: p.link.frame.fecf, ocf: p.link.frame.ocf, aosInsertZoneLen: p.link.frame.insertZoneLen ?? 0,
  };
}

export function openScene(p: Profile, o: Pick<PassOptions, "scene" | "cube" | "seed">, lines: number): SceneSource {
  return openSensorScene(p, { ...o.cube, scene: o.scene ?? "synthetic", seed: o.seed ?? 1, lines });
}

export async function runPass(o: PassOptions): Promise<PassSummary> {
  const t0 = performance.now();
  const p = typeof o.profile === "string" ? loadProfile(o.profile) : o.profile;
  const d = derived(p);
  const lines = o.lines ?? 2000;
  const image = flash(readFileSync(o.wasmPath ?? FLIGHT_WASM), p, "tengri-dev");
  const pan = panOptions(p);
  if (pan && (o.scene ?? "synthetic") !== "synthetic") throw new SceneError("scene", "a profile with a panchromatic channel takes the synthetic co-registered scene only");
  const multi = pan ? multiResScene(p, { seed: o.seed ?? 1, lines }) : null;
  let panLines: SensorLine[] = [];
  const scene = multi
    ? { bands: multi.bands, pixels: multi.pixels, lines: multi.lines, next() { const l = multi.next(); if (!l) return null; panLines = l.pan; return l.ms; } }
    : openScene(p, o, lines);
  const panGround = pan ? new PanGround(pan.pixels, pan.bitDepth, pan.segmentBlocks, pan.lossless, p.products.pan?.ccsds122?.minPsnrDb ?? 30, pan.ratio) : null;
  const channelBytes = { ms: 0, pan: 0 };
  const bands = p.sensor.bands.length, pixels = p.sensor.pixelsPerLine;
  const apidBand = new Map(p.products.image.apids.map((a, i) => [a, i]));
  const obs = [...(o.observers ?? []), ...(o.out ? [createReportObserver(o.out)] : [])];
  for (const x of obs) x.start?.(p);
  const mode = p.products.image.compression;
  // The product modes the table allows (ST[8] may switch among them: README "Commanding the payload").
  const modes = productModes(p);
  const unitLines = modes & 4 ? hyperOptions(p).segmentLines : modes & 2 ? aecOptions(p).unitLines : 1;
  const recon = new ImageReconstructor(bands, pixels, obs.some((x) => x.groundLine) ? (line, b) => { for (const x of obs) x.groundLine?.(line, b); } : undefined,
    mode, unitLines, p.sensor.bitDepth);
  const scr = screeningOptions(p);
  const aec = aecOptions(p);
  // What the flight image owes the link, from the configuration; checked piece by piece.
  const segPixels = (() => {
    const userMax = p.products.image.maxPacketDataLen - 16;
    return pixels * p.sensor.bitDepth <= userMax * 8 ? pixels : Math.floor((userMax * 8) / p.sensor.bitDepth) & ~7;
  })();
  const ledger = new PieceLedger({
    mode, bands, pixels, bandNames: p.sensor.bands.map((b) => b.name), segPixels,
    unitLines, unitPixels: modes & 2 ? aec.unitPixels : 0, tileSize: scr ? scr.tileSize : null, hkEveryLines: p.products.housekeeping.everyLines ?? 0,
  });
  recon.useLedger(ledger);
  if (modes & 4) { const h = hyperOptions(p).params; recon.useHyperBound(h.fidelity ? h.absLimit : 0); }
  const backlogHk = new BacklogSamples();

  if (o.out) mkdirSync(o.out, { recursive: true });
  const events: Record<string, number> = {};
  const screening = scr ? new ScreeningGround(scr.tileSize,
    obs.some((x) => x.maskLine) ? (line, m) => { for (const x of obs) x.maskLine?.(line, m); } : undefined,
    (t) => { recon.advanceTo(t.firstLine + t.lines - 1); if (panGround && t.decision === "drop") panGround.dropTile(t.firstLine, t.lines, t.firstPixel, t.count); for (const x of obs) x.tile?.(t); }, ledger) : null;
  if (screening && scr) recon.useScreening(screening, scr.tileSize + scr.params[6] + 2, scr.degradeShift);
  let hk: Housekeeping | null = null;
  let hkPackets = 0;
  const hkAll: Housekeeping[] = [];
  const reportApid = p.commanding?.reportApid ?? (CONTRACT.configTable.blocks.find((b) => b.name === "commanding")!.fields.find((f) => f.name === "reportApid")!.default as number);
  const reports: PusReport[] = [];
  let badReports = 0;
  const perApid = new Map<number, number>();
  const decoder = new LinkDecoder(linkConfigOf(p), {
    onPacket(pkt) {
      if (o.losePacket) {
        const nth = perApid.get(pkt.apid) ?? 0;
        perApid.set(pkt.apid, nth + 1);
        if (o.losePacket(pkt.apid, nth)) return;
      }
      const band = apidBand.get(pkt.apid);
      if (band !== undefined || (scr && (pkt.apid === scr.statsApid || pkt.apid === scr.maskApid))) channelBytes.ms += pkt.data.length + 6;
      if (band !== undefined) recon.addPacket(band, pkt.data, pkt.seqFlags);
      else if (panGround && pkt.apid === pan!.apid) { channelBytes.pan += pkt.data.length + 6; panGround.addPacket(pkt.data); }
      else if (screening && pkt.apid === scr!.statsApid) screening.addStats(pkt.data);
      else if (screening && pkt.apid === scr!.maskApid) screening.addMask(pkt.data, pkt.seqFlags);
      else if (pkt.apid === p.products.housekeeping.apid) {
        hkPackets++;
        let h: Housekeeping;
        try { h = decodeHousekeeping(pkt.data); } catch { events["hk-bad"] = (events["hk-bad"] ?? 0) + 1; return; }
        hk = h;
        hkAll.push(h);
        ledger.housekeeping(h);
        backlogHk.add(h.cadus, h.backlogFrames);
        for (const x of obs) x.housekeeping?.(h);
      } else if (pkt.apid === reportApid) {
        let r: PusReport;
        try { r = decodeReport(parseTmPacket(pkt.apid, pkt.seqCount, pkt.data)); } catch { badReports++; events["pus-report-bad"] = (events["pus-report-bad"] ?? 0) + 1; return; }
        reports.push(r);
        // A product mode switch: the image sends it before any packet of the new mode.
        const to = r.kind === "event" && r.eventId === EV_MODE_CHANGED ? modeOfEventCount(r.count) : null;
        if (r.kind === "event" && to) { recon.modeFrom(r.line, to); ledger.modeFrom(r.line, to); }
      }
    },
    onEvent(e: LinkEvent) { events[e.kind] = (events[e.kind] ?? 0) + 1; for (const x of obs) x.linkEvent?.(e); },
    onFrame: obs.some((x) => x.frame) ? (f: DecodedFrame) => { for (const x of obs) x.frame?.(f); } : undefined,
  });
  const chOpts: ChannelOptions = { seed: (o.seed ?? 1) * 7919 + 1, ber: o.ber ?? 0, burstEvery: o.burstEvery, burstLen: o.burstLen, dropCadus: o.dropCadus, caduLen: d.caduLen, slipBitsAt: o.slips };
  const channel = new Channel(chOpts);

  let sent = 0;
  let tNow = 0;                                       // pass time of the last line handed to the OBC
  function* items(): Iterable<BusItem> {
    for (let line = scene.next(); line; line = scene.next()) {
      recon.expectSamples(line.counter, line.samples, cucTime16(line.timeCoarse, line.timeFine));
      ledger.lineSent(line.counter);
      for (const x of obs) x.sentLine?.(line.counter, line.timeCoarse + line.timeFine / 2 ** 32, line.samples);
      tNow = sent / p.sensor.lineRateHz;
      yield { record: encodeLine({ counter: line.counter, timeCoarse: line.timeCoarse, timeFine: line.timeFine, bands, pixels, bitDepth: p.sensor.bitDepth, samples: line.samples }), line: line.counter };
      // The pan lines of this line's time (k of them, record type 6), after it.
      for (const pl of panLines) {
        panGround!.lineSent(pl.samples);
        yield { record: encodePanLine({ counter: pl.counter, timeCoarse: pl.timeCoarse, timeFine: pl.timeFine, pixels: pan!.pixels, bitDepth: pan!.bitDepth, samples: pl.samples }) };
      }
      panLines = [];
      sent++;
      if (o.onProgress && sent % 64 === 0) o.onProgress(sent, lines);
    }
    yield { record: encodeEnd(sent) };
  }
  function* records(): Iterable<Uint8Array> {
    yield configRecord(p, o.config);
    for (const it of items()) yield it.record;
  }
  let caduBytes = 0;
  // The transmitter: the onboard store between the pipeline and the radio (contact window, bit
  // rate, capacity), and the outputs (file, TCP, UDP); what it sends goes through the channel.
  const tx = await Transmitter.open({
    profile: p, window: o.contactWindow, storeBytes: o.storeBytes, policy: o.storePolicy, file: o.out ? join(o.out, "pass.cadu") : undefined,
    tcp: o.caduTcp, udp: o.udpFrames, onCadus: (c) => { for (const x of channel.push(c)) decoder.push(x); },
  });
  const onOutput = (chunk: Uint8Array) => { caduBytes += chunk.length; tx.push(chunk, tNow); };
  const supervised = !o.busFilter && (o.watchdogMs !== undefined || (o.obcFaults?.length ?? 0) > 0 || o.flash !== undefined);
  const run = supervised
    ? await runSupervised({ image: o.flash ? undefined : image, flash: o.flash, profile: p, config: o.config, items: items(), watchdogMs: o.watchdogMs, childFaults: o.obcFaults, onOutput })
    : await runImage({ image, profile: p, records: o.busFilter ? o.busFilter(records()) : records(), onOutput, flashDir: o.flashDir });
  const txReport = await tx.end();
  for (const c of channel.end()) decoder.push(c);
  decoder.end();
  scene.close?.();
  const img = recon.end();
  const screeningSummary = screening?.end() ?? null;
  const reboots: Reboot[] = "reboots" in run ? (run.reboots as Reboot[]) : [];
  const stops = reconstructStops(reports);
  const completeness = ledger.end(reboots, stops);
  const panSummary = panGround?.end(obs.some((x) => x.panLine) ? (line, px) => { for (const x of obs) x.panLine?.(line, px); } : undefined) ?? null;
  const verdict = computeVerdict({
    extra: panSummary ? [{ name: "pan segments (CCSDS 122)", expected: panSummary.segmentsExpected, got: panSummary.segmentsComplete, ok: panSummary.ok, detail: panSummary.detail }] : undefined,
    completeness, image: img, exitCode: run.exitCode, screening: scr !== null,
    degradeBound: scr && scr.degradeShift > 0 ? 1 << (scr.degradeShift - 1) : 0, maskTotals: screeningSummary ?? undefined,
  });

  const gs = decoder.stats;
  let gapFrames = 0, dataFrames = 0;
  for (const [, v] of gs.perVc) { gapFrames += v.gapFrames; dataFrames += v.frames - v.idleFrames; }
  const caduBits = d.caduLen * 8;
  const passDurationS = sent / p.sensor.lineRateHz;
  const linkTimeS = (caduBytes * 8) / p.link.downlinkBitRate;
  const dataLinkTimeS = (dataFrames * caduBits) / p.link.downlinkBitRate;
  const backlog = computeBacklog(backlogHk.list, { cadusProduced: Math.floor(caduBytes / d.caduLen), passDurationS, bitRate: p.link.downlinkBitRate, caduBits });
  const wallS = (performance.now() - t0) / 1000;
  const summary: PassSummary = {
    profile: p.name, mode, lines: sent, bands, pixels, bitDepth: p.sensor.bitDepth,
    flight: {
      exitCode: run.exitCode, log: run.log, housekeeping: hk, busBytes: run.busBytes, caduBytes,
      realTime: run.timing ? { ...realTimeMargin(run.timing, (hk as Housekeeping | null)?.linesAccepted ?? sent, p.sensor.lineRateHz), runtime: run.timing.runtime } : null,
      reboots,
      ...(o.flash && "bootEvents" in run ? { boot: { events: (run as SupervisedResult).bootEvents, images: (run as SupervisedResult).bootImages } } : {}),
      bootHistory: (() => { const e = o.flash || o.flashDir ? bootHistory(hkAll, reports) : []; return { entries: e, lines: formatBootHistory(e) }; })(),
    },
    link: { ...channel.stats },
    ground: {
      cadus: gs.cadus, bitSlips: gs.bitSlips, syncLosses: gs.syncLosses, rsSymbolsCorrected: gs.rsSymbolsCorrected,
      rsCodewordsCorrected: gs.rsCodewordsCorrected, rsCodewordsUncorrectable: gs.rsCodewordsUncorrectable,
      framesGood: gs.framesGood, framesDropped: gs.framesDropped, framesBadFecf: gs.framesBadFecf, idleFrames: gs.idleFrames, dataFrames, gapFrames,
      packets: gs.packets, packetErrors: Object.values(gs.packetErrors ?? {}).reduce((a: number, b) => a + (b as number), 0), hkPackets, events,
    },
    image: img,
    screening: screeningSummary,
    verdict,
    verified: verdict.verified,
    downlink: {
      passDurationS, rawBitRate: d.rawBitRate, downlinkBitRate: p.link.downlinkBitRate, caduBits, linkTimeS, dataLinkTimeS,
      linkUse: passDurationS > 0 ? dataLinkTimeS / passDurationS : 0,
      backlogS: backlog.endS, keepsUp: backlog.keptPace, backlog, store: txReport.store,
    },
    commanding: {
      reportApid, reports, badReports,
      ...(completeness.stopped ? { stopped: { intervals: completeness.stopped.intervals, lines: completeness.stopped.lines, problems: completeness.stopped.problems } } : {}),
    },
    pan: panSummary,
    channels: [
      { name: pan ? "multispectral" : "image", bytes: channelBytes.ms, rateBitS: passDurationS > 0 ? (channelBytes.ms * 8) / passDurationS : 0, shareOfDownlink: passDurationS > 0 ? (channelBytes.ms * 8) / passDurationS / p.link.downlinkBitRate : 0,
        lossless: mode !== "ccsds123" || hyperOptions(p).params.fidelity === 0, psnrDb: null, maxError: mode === "ccsds123" ? (hyperOptions(p).params.fidelity ? hyperOptions(p).params.absLimit : 0) : 0 },
      ...(panSummary ? [{ name: "panchromatic", bytes: channelBytes.pan, rateBitS: passDurationS > 0 ? (channelBytes.pan * 8) / passDurationS : 0, shareOfDownlink: passDurationS > 0 ? (channelBytes.pan * 8) / passDurationS / p.link.downlinkBitRate : 0,
        lossless: panSummary.lossless, psnrDb: panSummary.psnrDb, maxError: panSummary.maxError }] : []),
    ],
    wallS,
    throughputMbitS: (caduBytes * 8) / 1e6 / wallS,
  };
  for (const x of obs) await x.end?.(summary);
  return summary;
}
