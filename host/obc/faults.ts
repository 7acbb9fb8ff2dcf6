// Scripted fault injection on the emulated OBC, and the fault-injection campaign.
//
// Faults: a bit flipped in a line's bus record (the image must reject it by CRC and count it),
// a line dropped or duplicated on the bus, a spontaneous reset or a hang of the OBC at line N
// (the watchdog reboots it and the pass resumes), a single-event upset: one bit flipped in the
// image's linear memory by the image's own process (wasi-child.mjs) at the first bus read
// after line N's record began to arrive.
//
// Each fault runs in its own short pass (so its effect is not mixed with another's) on a
// small scene: sensor → bus (with the fault) → supervised OBC → independent ground decoder →
// line-by-line comparison with what the imager produced. Its result says whether the system
// noticed (housekeeping counters, the watchdog), what was lost (and whether the image had
// accepted it), what arrived corrupted, and whether the pass completed.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Profile } from "../profiles/index.ts";
import { loadProfile } from "../profiles/index.ts";
import { openScene as openSensorScene } from "../sensor/index.ts";
import { flash } from "./image.ts";
import { encodeLine, encodeEnd } from "./bus.ts";
import { runSupervised, type BusItem, type LineFault, type SupervisedResult } from "./watchdog.ts";
import { realTimeMargin } from "./obc.ts";
import { LinkDecoder } from "../ground/link-decoder.ts";
import { decodeImagePacket, lineHash } from "../ground/image.ts";
import { decodeHousekeeping, HK_FIELDS, type Housekeeping, type HkField } from "../ground/housekeeping.ts";
import { linkConfigOfProfile } from "./link-config.ts";

export const DEFAULT_FLIGHT_WASM = fileURLToPath(new URL("../../build/flight.wasm", import.meta.url));

export type FaultSpec =
  | { kind: "bus-bitflip"; line: number; /** bit index inside the record (default: one in the samples) */ bit?: number }
  | { kind: "drop-line"; line: number }
  | { kind: "duplicate-line"; line: number }
  | { kind: "reset"; line: number }
  | { kind: "hang"; line: number }
  | { kind: "seu"; line: number; address: number; bit: number };

export interface FaultResult {
  fault: FaultSpec;
  /** Noticed by the OBC or its supervisor (what noticed it in detectedBy). */
  detected: boolean;
  detectedBy: string[];
  /** Every line the image accepted arrived bit-exact, and nothing else was lost or corrupted. */
  harmless: boolean;
  /** Lines that never arrived (or arrived with bands missing). */
  linesLost: number[];
  /** Of those, lines the image had accepted (or that were sent and never refused). */
  acceptedLost: number[];
  /** Lines that arrived complete but different from what the imager produced. */
  linesCorrupted: number;
  /** The pass completed (end-of-pass reached, exit 0), after reboots if any. */
  completed: boolean;
  reboots: number;
  /** Verdict for the table: "harmless", "detected", "detected, data lost", "UNDETECTED". */
  verdict: string;
  note: string;
}

/**
 * Ground check for fault passes: keeps every line's bands (small passes only) and lets a
 * later complete copy of a band replace an earlier one (a line re-sent after a reboot), so
 * the verdict is on what finally arrived; earlier wrong copies are counted.
 */
class LineCheck {
  private readonly got = new Map<number, { s: Uint16Array; n: number; copies: number }[]>();
  private readonly expected = new Map<number, Uint32Array>();
  badPackets = 0;
  constructor(private readonly bands: number, private readonly pixels: number) {}
  expect(line: number, h: Uint32Array): void { this.expected.set(line, h); }
  add(band: number, data: Uint8Array): void {
    let piece;
    try { piece = decodeImagePacket(band, data, this.pixels); } catch { this.badPackets++; return; }
    let l = this.got.get(piece.line);
    if (!l) this.got.set(piece.line, (l = Array.from({ length: this.bands }, () => ({ s: new Uint16Array(this.pixels), n: 0, copies: 0 }))));
    const b = l[band];
    if (b.n >= this.pixels || piece.firstPixel === 0 && b.n > 0) { b.n = 0; b.copies++; } // a new copy starts
    b.s.set(piece.samples, piece.firstPixel);
    b.n += piece.count;
  }
  /** Lines lost (some band never complete), corrupted (complete, wrong), repeated (a band arrived more than once). */
  end(): { lost: number[]; corrupted: number[]; repeated: number[]; exact: number } {
    const lost: number[] = [], corrupted: number[] = [], repeated: number[] = [];
    let exact = 0;
    for (const [line, h] of [...this.expected].sort((a, b) => a[0] - b[0])) {
      const l = this.got.get(line);
      if (!l || l.some((b) => b.n !== this.pixels)) { lost.push(line); continue; }
      if (l.some((b) => b.copies > 0)) repeated.push(line);
      if (l.every((b, i) => lineHash(b.s) === h[i])) exact++; else corrupted.push(line);
    }
    return { lost, corrupted, repeated, exact };
  }
}

export interface FaultPassOptions {
  profile: string | Profile;
  lines?: number;
  seed?: number;
  wasmPath?: string;
  watchdogMs?: number;
}

/** Sums housekeeping over boots: each boot restarts its counters (its sequence count drops). */
export class HkAccumulator {
  private done: Partial<Record<HkField, number>> = {};
  private cur: Housekeeping | null = null;
  add(h: Housekeeping): void {
    if (this.cur && h.hkSequence < this.cur.hkSequence) this.close();
    this.cur = h;
  }
  private close(): void {
    if (!this.cur) return;
    for (const f of HK_FIELDS) this.done[f] = (this.done[f] ?? 0) + this.cur[f];
    this.cur = null;
  }
  totals(): Record<HkField, number> {
    const t = { ...this.done } as Record<HkField, number>;
    if (this.cur) for (const f of HK_FIELDS) t[f] = (t[f] ?? 0) + this.cur[f];
    for (const f of HK_FIELDS) t[f] ??= 0;
    return t;
  }
}

export interface FaultPassResult {
  result: FaultResult;
  supervised: SupervisedResult;
  hk: Record<HkField, number>;
  realTime: { perLineMs: number; linePeriodMs: number; margin: number; runtime: string } | null;
}

/** One pass with one fault (or none: a baseline). */
export async function runFaultPass(fault: FaultSpec | null, o: FaultPassOptions): Promise<FaultPassResult> {
  // The campaign's ground check reads raw image packets: the product is made raw here (the
  // supervisor itself handles compressed units too, see watchdog.ts).
  const p = structuredClone(typeof o.profile === "string" ? loadProfile(o.profile) : o.profile);
  p.products.image.compression = "raw";
  const lines = o.lines ?? 60;
  const bands = p.sensor.bands.length, pixels = p.sensor.pixelsPerLine;
  const image = flash(readFileSync(o.wasmPath ?? DEFAULT_FLIGHT_WASM), p, "tengri-faults");
  const scene = openSensorScene(p, { scene: "synthetic", seed: o.seed ?? 1, lines });
  const apidBand = new Map(p.products.image.apids.map((a, i) => [a, i]));
  const recon = new LineCheck(bands, pixels);
  const hk = new HkAccumulator();
  // After a reboot the line partly sent is sent again whole: its bands already out arrive
  // twice (watchdog.ts); LineCheck keeps the last complete copy of a band line.
  const dec = new LinkDecoder(linkConfigOfProfile(p), {
    onPacket(pkt) {
      const b = apidBand.get(pkt.apid);
      if (b !== undefined) recon.add(b, pkt.data);
      else if (pkt.apid === p.products.housekeeping.apid) { try { hk.add(decodeHousekeeping(pkt.data)); } catch { /* counted by the decoder */ } }
    },
  });
  function* items(): Iterable<BusItem> {
    let n = 0;
    for (let l = scene.next(); l; l = scene.next(), n++) {
      const h = new Uint32Array(bands);
      for (let b = 0; b < bands; b++) h[b] = lineHash(l.samples.subarray(b * pixels, (b + 1) * pixels));
      recon.expect(l.counter, h);
      const rec = encodeLine({ counter: l.counter, timeCoarse: l.timeCoarse, timeFine: l.timeFine, bands, pixels, bitDepth: p.sensor.bitDepth, samples: l.samples });
      if (fault?.line === l.counter && fault.kind === "drop-line") continue;
      if (fault?.line === l.counter && fault.kind === "bus-bitflip") {
        const bad = rec.slice();
        const bit = fault.bit ?? (10 + 18 + 3) * 8 + 5; // default: inside the first samples
        bad[(bit >>> 3) % bad.length] ^= 0x80 >>> (bit & 7);
        yield { record: bad, line: l.counter, resend: rec };
        continue;
      }
      yield { record: rec, line: l.counter };
      if (fault?.line === l.counter && fault.kind === "duplicate-line") yield { record: rec, resend: null };
    }
    yield { record: encodeEnd(n) };
  }
  const childFaults: LineFault[] = [];
  if (fault && (fault.kind === "reset" || fault.kind === "hang")) childFaults.push({ line: fault.line, kind: fault.kind });
  if (fault?.kind === "seu") childFaults.push({ line: fault.line, kind: "seu", address: fault.address, bit: fault.bit });
  const sup = await runSupervised({ image, profile: p, items: items(), onOutput: (c) => dec.push(c), childFaults, watchdogMs: o.watchdogMs });
  dec.end();
  scene.close?.();
  const img = recon.end();
  const t = hk.totals();
  const lost = img.lost;
  // Lines the image never accepted (refused by its checks, or never on the bus) are not
  // "accepted data lost": when no more lines were lost than the image did not accept, every
  // lost line is one of those. Across a reboot, resent lines are accepted twice, so lost lines
  // there are lines the image had accepted.
  const notAccepted = lines - t.linesAccepted;
  const acceptedLost = sup.reboots.length === 0 && lost.length <= notAccepted ? [] : lost;
  const mismatches = img.corrupted.length;
  const detectedBy: string[] = [];
  if (t.rejectedBadCrc) detectedBy.push(`bus CRC rejections ${t.rejectedBadCrc}`);
  if (t.rejectedBadSync) detectedBy.push(`bad sync ${t.rejectedBadSync}`);
  if (t.rejectedBadLength) detectedBy.push(`bad length ${t.rejectedBadLength}`);
  if (t.rejectedBadType) detectedBy.push(`bad type ${t.rejectedBadType}`);
  if (t.rejectedBadLine) detectedBy.push(`bad line ${t.rejectedBadLine}`);
  if (t.rejectedLineJump) detectedBy.push(`line counter not advancing ${t.rejectedLineJump}`);
  if (t.rejectedTimeJump) detectedBy.push(`time going back ${t.rejectedTimeJump}`);
  if (t.linesMissing) detectedBy.push(`lines missing ${t.linesMissing}`);
  for (const r of sup.reboots) detectedBy.push(`watchdog: ${r.cause} → reboot`);
  const completed = sup.exitCode === 0;
  const harmless = lost.length === 0 && mismatches === 0 && completed;
  const detected = detectedBy.length > 0;
  const verdict = harmless ? (sup.reboots.length ? "detected, recovered" : detected ? "detected, harmless" : "harmless") : detected ? (acceptedLost.length ? "detected, accepted data lost" : "detected") : "UNDETECTED";
  const notes: string[] = [];
  if (mismatches) notes.push(`line(s) ${img.corrupted.join(",")} arrived corrupted`);
  if (img.repeated.length) notes.push(`line(s) ${img.repeated.join(",")} arrived more than once (the last copy counts)`);
  if (recon.badPackets) notes.push(`${recon.badPackets} image packet(s) undecodable at the ground`);
  for (const r of sup.reboots) notes.push(`reboot (${r.cause}) after line ${r.lastLineAcked}: ${r.linesResent} line(s) re-sent${r.partialLine ? `, line ${r.partialLine.line} bands ${r.partialLine.bandsRepeated.join(",")} repeated` : ""}`);
  for (const f of sup.faultsApplied) if (f.kind === "seu") notes.push(`SEU at 0x${f.address!.toString(16)} bit ${f.bit} (memory ${f.memoryBytes} B, boot ${f.boot})`);
  if (fault && (fault.kind === "hang" || fault.kind === "reset" || fault.kind === "seu") && !sup.faultsApplied.length) notes.push("fault not applied (the pass ended first)");
  const timing = sup.timing;
  return {
    result: { fault: fault ?? ({ kind: "none" } as unknown as FaultSpec), detected, detectedBy, harmless, linesLost: lost, acceptedLost, linesCorrupted: mismatches, completed, reboots: sup.reboots.length, verdict, note: notes.join("; ") },
    supervised: sup,
    hk: t,
    realTime: timing ? { ...realTimeMargin(timing, t.linesAccepted, p.sensor.lineRateHz), runtime: timing.runtime } : null,
  };
}

/** The default campaign: every kind of fault, SEUs at seeded addresses. */
export function defaultCampaign(lines: number, seed = 1, seus = 6, memoryBytes = 1 << 20): FaultSpec[] {
  let s = (seed * 2654435761) >>> 0;
  const rnd = () => { s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0; return s; };
  const at = (f: number) => Math.max(1, Math.floor(lines * f));
  const list: FaultSpec[] = [
    { kind: "bus-bitflip", line: at(0.2) },
    { kind: "bus-bitflip", line: at(0.25), bit: 6 * 8 }, // in the record length field
    { kind: "drop-line", line: at(0.3) },
    { kind: "duplicate-line", line: at(0.35) },
    { kind: "reset", line: at(0.4) },
    { kind: "hang", line: at(0.5) },
  ];
  for (let i = 0; i < seus; i++) list.push({ kind: "seu", line: at(0.3 + (0.4 * i) / Math.max(1, seus)), address: rnd() % memoryBytes, bit: rnd() & 7 });
  return list;
}

export interface CampaignReport {
  profile: string;
  lines: number;
  results: FaultResult[];
  baseline: FaultResult;
  realTime: FaultPassResult["realTime"];
  /** Every fault detected or harmless, nothing accepted lost, every pass completed. */
  ok: boolean;
}

export async function runCampaign(faults: FaultSpec[], o: FaultPassOptions, onResult?: (r: FaultResult) => void): Promise<CampaignReport> {
  const p = typeof o.profile === "string" ? loadProfile(o.profile) : o.profile;
  const base = await runFaultPass(null, { ...o, profile: p });
  const results: FaultResult[] = [];
  for (const f of faults) {
    const r = (await runFaultPass(f, { ...o, profile: p })).result;
    results.push(r);
    onResult?.(r);
  }
  const ok = results.every((r) => (r.detected || r.harmless) && r.acceptedLost.length === 0 && r.completed && r.linesCorrupted === 0);
  return { profile: p.name, lines: o.lines ?? 60, results, baseline: base.result, realTime: base.realTime, ok };
}

export function describeFault(f: FaultSpec): string {
  switch (f.kind) {
    case "bus-bitflip": return `bus bit flip, line ${f.line}${f.bit !== undefined ? ` bit ${f.bit}` : ""}`;
    case "drop-line": return `line ${f.line} dropped on the bus`;
    case "duplicate-line": return `line ${f.line} duplicated on the bus`;
    case "reset": return `OBC reset at line ${f.line}`;
    case "hang": return `OBC hang at line ${f.line}`;
    case "seu": return `SEU at line ${f.line}, address 0x${f.address.toString(16)} bit ${f.bit}`;
  }
}

export function formatCampaign(c: CampaignReport): string {
  const rows = [["fault", "verdict", "detected by", "lines lost", "accepted lost", "reboots", "completed"]];
  for (const r of c.results) rows.push([describeFault(r.fault), r.verdict, r.detectedBy.join(", ") || "-", r.linesLost.join(",") || "-", r.acceptedLost.join(",") || "-", String(r.reboots), r.completed ? "yes" : "NO"]);
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const lines = rows.map((r) => r.map((x, i) => x.padEnd(w[i])).join("  "));
  lines.splice(1, 0, w.map((n) => "-".repeat(n)).join("  "));
  const notes = c.results.filter((r) => r.note).map((r) => `  ${describeFault(r.fault)}: ${r.note}`);
  const rt = c.realTime ? `Real-time margin (baseline pass): ${(c.realTime.perLineMs * 1000).toFixed(0)} µs per line against a ${(c.realTime.linePeriodMs * 1000).toFixed(0)} µs line period, margin ${(c.realTime.margin * 100).toFixed(1)} % — ${c.realTime.runtime}` : "";
  return [`Fault-injection campaign on profile ${c.profile}, ${c.lines} lines per pass`, ...lines, ...(notes.length ? ["Notes:", ...notes] : []), rt, c.ok ? "CAMPAIGN OK: every fault detected or harmless, nothing accepted lost, every pass completed" : "CAMPAIGN NOT OK"].filter(Boolean).join("\n");
}
