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
import { createHash, generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeRecord, RecordType } from "./bus.ts";
import { crc16 } from "../util/crc16.ts";
import { sdlsMac } from "../commanding/sdls.ts";
import { buildTc, tc, parseTmPacket, decodeReport, type PusReport, type TcSpec } from "../commanding/pus.ts";
import { signImage, rawPublicKey } from "../boot/keys.ts";
import { provisionFlashDir } from "../boot/provision.ts";
import { Bootloader } from "../boot/bootloader.ts";
import { bootOutcomeName } from "../ground/boot-history.ts";
import { FLASH_FILES, PowerLoss, readBootState } from "../boot/flash-dir.ts";
import { CONTRACT } from "../contract/contract.gen.ts";

export const DEFAULT_FLIGHT_WASM = fileURLToPath(new URL("../../build/flight.wasm", import.meta.url));

export type FaultSpec =
  | { kind: "bus-bitflip"; line: number; /** bit index inside the record (default: one in the samples) */ bit?: number }
  | { kind: "drop-line"; line: number }
  | { kind: "duplicate-line"; line: number }
  | { kind: "reset"; line: number }
  | { kind: "hang"; line: number }
  | { kind: "seu"; line: number; address: number; bit: number }
  // Commanding and update faults (each pass boots through the bootloader from a provisioned flash).
  /** An upload segment's octets changed after its frame (and MAC) was built: refused by SDLS. */
  | { kind: "upload-bad-mac"; line: number }
  /** An upload whose end declares a SHA-256 other than that of the octets written: E_UPL_DIGEST. */
  | { kind: "upload-bad-digest"; line: number }
  /** Upload end sent before the last segment: E_UPL_BOUNDS. */
  | { kind: "upload-truncated"; line: number }
  /** Power lost part-way through the bootloader's write of the new image into the slot (octets written before the cut). */
  | { kind: "power-loss"; line: number; budget?: number }
  /** A signed container with one bit flipped (default: inside the module) handed to the bootloader. */
  | { kind: "bad-signature"; line: number; bit?: number }
  /** A command frame re-sent with the same ARSN one line later. */
  | { kind: "tc-replay"; line: number }
  /** `frames` frames between consecutive lines for `lines` lines from `line`, every `forgedEvery`-th with a bad MAC. */
  | { kind: "tc-flood"; line: number; frames?: number; lines?: number; forgedEvery?: number }
  /** A new image on trial that fails its self-test (exit 73) or hangs (never confirms). */
  | { kind: "trial-fails"; line: number; mode: "self-test" | "hang" };

const UPDATE_KINDS = new Set(["upload-bad-mac", "upload-bad-digest", "upload-truncated", "power-loss", "bad-signature", "tc-replay", "tc-flood", "trial-fails"]);
export const isUpdateFault = (f: FaultSpec | null): boolean => !!f && UPDATE_KINDS.has(f.kind);

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
  /**
   * Commanding and update faults: each expected detection and each expected zero, with whether it
   * was seen. The verdict of these passes is computed from this list (complete = every item ok).
   */
  expectations?: { what: string; ok: boolean }[];
  /** Update faults: the slot (and version) of every boot of the pass, e.g. "a v1". */
  slotsBooted?: string[];
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

// ---- Commanding and update faults -------------------------------------------------------------
// Each pass boots through the bootloader (host/boot) from a flash directory provisioned here:
// slot a holds the flight image signed with version 1 by a key made for the pass, keys.bin the
// pass's MAC key (SPI 1). Command frames are built from the README's layouts ("Commanding the
// payload": TC frame, SDLS header and HMAC-SHA-256 trailer, PUS-C packets) and put on the bus
// after the line records named by their index.

/** Passes where no hang is injected: a slow start on a loaded machine is never taken for one. */
const PATIENT_MS = 120_000;

interface UpdateFault {
  dir: string;
  tcAfter: Map<number, Uint8Array[]>;
  watchdogMs?: number;
  /** What noticed the fault before the pass (the bootloader processing the earlier pass's update). */
  detectedBefore?: string[];
  expect(x: { hk: Record<HkField, number>; reports: PusReport[]; sup: SupervisedResult }): { what: string; ok: boolean }[];
}

const SPI = 1;
function tcFrameRecord(packets: Uint8Array[], o: { scid: number; key: Uint8Array; arsn: number; seq: number; corruptAfterMac?: boolean; badMac?: boolean }): Uint8Array {
  const dataLen = packets.reduce((a, p) => a + p.length, 0);
  const len = 5 + 6 + dataLen + 16 + 2;
  const f = new Uint8Array(len);
  const dv = new DataView(f.buffer);
  dv.setUint16(0, o.scid & 0x3ff);
  dv.setUint16(2, (1 << 10) | ((len - 1) & 0x3ff));
  f[4] = o.seq & 0xff;
  dv.setUint16(5, SPI);
  dv.setUint32(7, o.arsn);
  let at = 11;
  for (const p of packets) { f.set(p, at); at += p.length; }
  f.set(sdlsMac(o.key, f.subarray(0, 5), f.subarray(5, 11), f.subarray(11, at)), at);
  if (o.badMac) f[at] ^= 1;
  if (o.corruptAfterMac) f[at - 20] ^= 0x5a; // an octet of the last packet's data, changed after the MAC was computed
  dv.setUint16(len - 2, crc16(f.subarray(0, len - 2))); // a good FECF: only the MAC can tell
  return encodeRecord(RecordType.Telecommand, f);
}

/** The smallest module: `_start` exits with EXIT (or loops for ever with hang). */
function tinyWasm(exit: number | "hang"): Uint8Array {
  const code = exit === "hang" ? [0x00, 0x03, 0x40, 0x0c, 0x00, 0x0b, 0x0b] : [0x00, 0x41, exit & 0x3f, 0x10, 0x00, 0x0b];
  const name = (x: string) => [x.length, ...Buffer.from(x, "ascii")];
  const sec = (id: number, body: number[]) => [id, body.length, ...body];
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...sec(1, [2, 0x60, 1, 0x7f, 0, 0x60, 0, 0]), ...sec(2, [1, ...name("wasi_snapshot_preview1"), ...name("proc_exit"), 0x00, 0]),
    ...sec(3, [1, 1]), ...sec(5, [1, 0x00, 1]), ...sec(7, [2, ...name("memory"), 0x02, 0, ...name("_start"), 0x00, 1]),
    ...sec(10, [1, code.length, ...code])]);
}

const sha256 = (b: Uint8Array) => new Uint8Array(createHash("sha256").update(b).digest());

function prepareUpdateFault(fault: FaultSpec, p: Profile, wasm: Uint8Array): UpdateFault {
  const key = generateKeyPairSync("ed25519").privateKey;
  const macKey = new Uint8Array(createHash("sha256").update(`tengri-faults-mac-${fault.kind}`).digest());
  const sign = (w: Uint8Array, version: number, id: string) => signImage(flash(w, p, id), key, version);
  const v1 = sign(wasm, 1, "v1");
  const dir = mkdtempSync(join(tmpdir(), "tengri-faults-flash-"));
  provisionFlashDir(dir, { image: v1, profile: p, romKey: rawPublicKey(key), macKey });
  const scid = p.spacecraft.scid;
  let arsn = 1, frameSeq = 0, pusSeq = 0;
  const frame = (specs: TcSpec[], x: { corruptAfterMac?: boolean; badMac?: boolean; arsn?: number } = {}) =>
    tcFrameRecord(specs.map((sp) => buildTc({ ...sp, seq: pusSeq++ })), { scid, key: macKey, arsn: x.arsn ?? arsn++, seq: frameSeq++, ...x });
  const tcAfter = new Map<number, Uint8Array[]>();
  const put = (line: number, ...r: Uint8Array[]) => tcAfter.set(line, [...(tcAfter.get(line) ?? []), ...r]);
  const L = fault.line;
  const failures = (rs: PusReport[], status: string) => rs.filter((r) => r.kind === "verification" && !r.success && r.failure?.status === status).length;
  const noBootRequest = { what: "nothing asked to boot (no boot-request in flash), no reboot", ok: false };
  const common = (x: { sup: SupervisedResult }) => [{ ...noBootRequest, ok: !existsSync(join(dir, FLASH_FILES.bootRequest)) && x.sup.reboots.length === 0 }];
  // Upload payload: 600 octets, two segments of 300.
  const up = Uint8Array.from({ length: 600 }, (_, i) => (i * 131 + 7) & 0xff);
  switch (fault.kind) {
    case "upload-bad-mac":
      put(L, frame([tc.uploadStart(up.length)]), frame([tc.uploadSegment(0, up.subarray(0, 300))], { corruptAfterMac: true }));
      return { dir, tcAfter, watchdogMs: PATIENT_MS, expect: ({ hk, sup }) => [
        { what: "the changed frame refused by the SDLS MAC (tcRejAuth = 1)", ok: hk.tcRejAuth === 1 },
        { what: "only the upload start accepted (tcAccepted = 1, no segment written)", ok: hk.tcAccepted === 1 },
        ...common({ sup })] };
    case "upload-bad-digest":
    case "upload-truncated": {
      const trunc = fault.kind === "upload-truncated";
      const bad = up.slice(); bad[10] ^= 1;
      put(L, frame([tc.uploadStart(up.length)]), frame([tc.uploadSegment(0, up.subarray(0, 300))]));
      if (!trunc) put(L + 1, frame([tc.uploadSegment(300, up.subarray(300))]));
      put(L + 2, frame([tc.uploadEnd(sha256(trunc ? up : bad))]));
      const status = trunc ? "E_UPL_BOUNDS" : "E_UPL_DIGEST";
      return { dir, tcAfter, watchdogMs: PATIENT_MS, expect: ({ hk, reports, sup }) => [
        { what: `upload end refused with ${status} (ST[1] failure report)`, ok: failures(reports, status) >= 1 },
        { what: "counted (uploadRejected ≥ 1)", ok: hk.uploadRejected >= 1 },
        { what: "every frame authenticated (no SDLS refusal)", ok: hk.tcRejAuth === 0 && hk.tcRejReplay === 0 },
        ...common({ sup })] };
    }
    case "tc-replay": {
      const f = frame([tc.areYouAlive()]);
      put(L, f); put(L + 1, f);
      return { dir, tcAfter, watchdogMs: PATIENT_MS, expect: ({ hk, reports, sup }) => [
        { what: "the replayed frame refused by anti-replay (tcRejReplay = 1)", ok: hk.tcRejReplay === 1 },
        { what: "executed once (tcAccepted = 1, pusAccepted = 1, one are-you-alive report)", ok: hk.tcAccepted === 1 && hk.pusAccepted === 1 && reports.filter((r) => r.kind === "are-you-alive").length === 1 },
        ...common({ sup })] };
    }
    case "tc-flood": {
      const per = fault.frames ?? 50, nl = fault.lines ?? 4, every = fault.forgedEvery ?? 5;
      let genuine = 0, forged = 0;
      const alive = { ...tc.areYouAlive(), ack: 0 };
      for (let l = L; l < L + nl; l++) for (let i = 0; i < per; i++) {
        const bad = (i + 1) % every === 0;
        if (bad) forged++; else genuine++;
        put(l, frame([alive], { badMac: bad }));
      }
      return { dir, tcAfter, watchdogMs: PATIENT_MS, expect: ({ hk, reports, sup }) => [
        { what: `every forged frame refused by the MAC (tcRejAuth = ${forged})`, ok: hk.tcRejAuth === forged },
        { what: `every genuine frame accepted and answered (${genuine})`, ok: hk.tcAccepted === genuine && reports.filter((r) => r.kind === "are-you-alive").length === genuine },
        { what: "no output frame overflowed", ok: hk.framesOverflowed === 0 },
        ...common({ sup })] };
    }
    case "power-loss":
    case "bad-signature": {
      // The update taken at the end of an earlier pass (the image asked for a reboot): the
      // bootloader processes the request with the fault, then this pass boots.
      let v2 = sign(wasm, 2, "v2");
      // Default bit: the low bit of the signed version field (header octet 119): only the signature tells.
      if (fault.kind === "bad-signature") { v2 = v2.slice(); const bit = fault.bit ?? 119 * 8 + 7; v2[(bit >>> 3) % v2.length] ^= 0x80 >>> (bit & 7); }
      writeFileSync(join(dir, FLASH_FILES.upload), v2);
      writeFileSync(join(dir, FLASH_FILES.bootRequest), sha256(v2));
      const budget = fault.kind === "power-loss" ? (fault.budget ?? Math.floor(v2.length / 2)) : undefined;
      const bl = new Bootloader(dir, { profile: p, powerBudget: budget });
      let powerLost = false, accepted = false, cutIn = "";
      try { accepted = bl.processBootRequest(); } catch (e) { if (e instanceof PowerLoss) { powerLost = true; cutIn = e.file; } else throw e; }
      const refused = bl.events.find((e) => e.kind === "update-refused");
      const detectedBefore = [...bl.events.filter((e) => e.kind === "update-refused").map((e) => `bootloader: update refused (${e.reason})`), ...(powerLost ? [`power loss after ${bl.flash.written} octets written`] : [])];
      return { dir, tcAfter, watchdogMs: PATIENT_MS, detectedBefore, expect: () => fault.kind === "power-loss" ? [
        { what: `power lost during the slot write (PowerLoss in ${FLASH_FILES.slotB}.new)`, ok: powerLost && !accepted && cutIn === `${FLASH_FILES.slotB}.new` },
        { what: "no slot on trial afterwards", ok: readBootState(dir).state?.trial === 0xff },
      ] : [
        // A bit in the signed header or the signature: the Ed25519 check; in the module: its SHA-256 (container).
        { what: `the bootloader refused the update (${fault.bit === undefined ? "signature" : "signature or container"})`, ok: !accepted && (refused?.reason === "signature" || (fault.bit !== undefined && refused?.reason === "container")) },
        { what: "slot b not written, nothing on trial", ok: readBootState(dir).state?.trial === 0xff && !existsSync(join(dir, FLASH_FILES.slotB)) },
      ] };
    }
    case "trial-fails": {
      const bad = sign(tinyWasm(fault.mode === "hang" ? "hang" : 73), 2, `trial-${fault.mode}`);
      writeFileSync(join(dir, FLASH_FILES.upload), bad);
      writeFileSync(join(dir, FLASH_FILES.bootRequest), sha256(bad));
      const bl = new Bootloader(dir, { profile: p });
      const accepted = bl.processBootRequest();
      return { dir, tcAfter, watchdogMs: fault.mode === "hang" ? undefined : PATIENT_MS, expect: ({ sup }) => [
        { what: "the new image taken on trial", ok: accepted },
        { what: `${bl.maxTrialBoots} trial boots, then the trial abandoned`, ok: sup.bootImages.filter((b) => b.trial).length === bl.maxTrialBoots && sup.bootEvents.some((e) => e.kind === "trial-abandoned") },
      ] };
    }
    default:
      throw new Error(`not an update fault: ${fault.kind}`);
  }
}

/** One pass with one fault (or none: a baseline). */
export async function runFaultPass(fault: FaultSpec | null, o: FaultPassOptions): Promise<FaultPassResult> {
  // The campaign's ground check reads raw image packets: the product is made raw here (the
  // supervisor itself handles compressed units too, see watchdog.ts).
  const p = structuredClone(typeof o.profile === "string" ? loadProfile(o.profile) : o.profile);
  p.products.image.compression = "raw";
  const lines = o.lines ?? 60;
  const bands = p.sensor.bands.length, pixels = p.sensor.pixelsPerLine;
  const wasm = new Uint8Array(readFileSync(o.wasmPath ?? DEFAULT_FLIGHT_WASM));
  const upd = isUpdateFault(fault) ? prepareUpdateFault(fault!, p, wasm) : null;
  const image = upd ? undefined : flash(wasm, p, "tengri-faults");
  const reportApid = p.commanding?.reportApid ?? (CONTRACT.configTable.blocks.find((b) => b.name === "commanding")!.fields.find((f) => f.name === "reportApid")!.default as number);
  const reports: PusReport[] = [];
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
      else if (pkt.apid === reportApid) { try { reports.push(decodeReport(parseTmPacket(pkt.apid, pkt.seqCount, pkt.data))); } catch { /* an undecodable report: not counted as one */ } }
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
      for (const t of upd?.tcAfter.get(n) ?? []) yield { record: t, resend: null };
    }
    yield { record: encodeEnd(n) };
  }
  const childFaults: LineFault[] = [];
  if (fault && (fault.kind === "reset" || fault.kind === "hang")) childFaults.push({ line: fault.line, kind: fault.kind });
  if (fault?.kind === "seu") childFaults.push({ line: fault.line, kind: "seu", address: fault.address, bit: fault.bit });
  let sup: SupervisedResult;
  try {
    sup = await runSupervised({ image, flash: upd ? { dir: upd.dir } : undefined, profile: p, items: items(), onOutput: (c) => dec.push(c), childFaults, watchdogMs: upd?.watchdogMs ?? o.watchdogMs });
  } catch (e) {
    if (upd) rmSync(upd.dir, { recursive: true, force: true });
    throw e;
  }
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
  let expectations: { what: string; ok: boolean }[] | undefined, slotsBooted: string[] | undefined;
  if (upd) {
    detectedBy.push(...(upd.detectedBefore ?? []));
    for (const e of sup.bootEvents) if (/refused|abandoned|invalid|lost|repaired/.test(e.kind)) detectedBy.push(`bootloader: ${e.kind}${e.reason ? ` (${e.reason})` : ""}`);
    // What the image itself reported of the update steps in the downlink (ST[5] 12, 14, 15: fallback, refused upload, bad boot record).
    for (const r of reports) if (r.kind === "event" && (r.eventId === 12 || r.eventId === 14 || r.eventId === 15)) detectedBy.push(`image: event ${r.event} (${bootOutcomeName(r.status)}, ${r.count})`);
    if (t.tcRejAuth) detectedBy.push(`SDLS MAC refusals ${t.tcRejAuth}`);
    if (t.tcRejReplay) detectedBy.push(`SDLS anti-replay refusals ${t.tcRejReplay}`);
    if (t.uploadRejected) detectedBy.push(`upload refusals ${t.uploadRejected}`);
    for (const r of reports) if (r.kind === "verification" && !r.success && r.failure) detectedBy.push(`ST[1] ${r.stage} failure ${r.failure.status}`);
    slotsBooted = sup.bootImages.map((b) => `${b.slot} v${b.version}${b.trial ? " (trial)" : ""}`);
    expectations = [
      ...upd.expect({ hk: t, reports, sup }),
      { what: "no line lost", ok: lost.length === 0 },
      { what: "no line corrupted", ok: mismatches === 0 },
      { what: "pass completed", ok: completed },
      { what: "the last boot ran the old image, slot a v1", ok: slotsBooted.at(-1) === "a v1" },
      { what: "a bootable image afterwards (slot a v1 passes the bootloader's checks)", ok: new Bootloader(upd.dir, { profile: p }).checkSlot(0).ok && readBootState(upd.dir).state?.active === 0 },
    ];
    rmSync(upd.dir, { recursive: true, force: true });
  }
  const harmless = lost.length === 0 && mismatches === 0 && completed;
  const detected = expectations ? expectations.every((e) => e.ok) : detectedBy.length > 0;
  const verdict = expectations ? (detected ? "detected, nothing lost" : `INCOMPLETE: ${expectations.filter((e) => !e.ok).map((e) => e.what).join("; ")}`) : harmless ? (sup.reboots.length ? "detected, recovered" : detected ? "detected, harmless" : "harmless") : detected ? (acceptedLost.length ? "detected, accepted data lost" : "detected") : "UNDETECTED";
  const notes: string[] = [];
  if (mismatches) notes.push(`line(s) ${img.corrupted.join(",")} arrived corrupted`);
  if (img.repeated.length) notes.push(`line(s) ${img.repeated.join(",")} arrived more than once (the last copy counts)`);
  if (recon.badPackets) notes.push(`${recon.badPackets} image packet(s) undecodable at the ground`);
  for (const r of sup.reboots) notes.push(`reboot (${r.cause}) after line ${r.lastLineAcked}: ${r.linesResent} line(s) re-sent${r.partialLine ? `, line ${r.partialLine.line} bands ${r.partialLine.bandsRepeated.join(",")} repeated` : ""}`);
  for (const f of sup.faultsApplied) if (f.kind === "seu") notes.push(`SEU at 0x${f.address!.toString(16)} bit ${f.bit} (memory ${f.memoryBytes} B, boot ${f.boot})`);
  if (fault && (fault.kind === "hang" || fault.kind === "reset" || fault.kind === "seu") && !sup.faultsApplied.length) notes.push("fault not applied (the pass ended first)");
  const timing = sup.timing;
  return {
    result: { fault: fault ?? ({ kind: "none" } as unknown as FaultSpec), detected, detectedBy, harmless, linesLost: lost, acceptedLost, linesCorrupted: mismatches, completed, reboots: sup.reboots.length, verdict, note: notes.join("; "), expectations, slotsBooted },
    supervised: sup,
    hk: t,
    realTime: timing ? { ...realTimeMargin(timing, t.linesAccepted, p.sensor.lineRateHz), runtime: timing.runtime } : null,
  };
}

/** The default campaign: every kind of fault, SEUs at seeded addresses. */
export function defaultCampaign(lines: number, seed = 1, seus = 6, memoryBytes = 1 << 20, update = true): FaultSpec[] {
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
  if (update) list.push(...updateCampaign(lines));
  return list;
}

/** The commanding and update faults (issue 11 item 5), each in its own pass. */
export function updateCampaign(lines: number): FaultSpec[] {
  const at = (f: number) => Math.max(1, Math.floor(lines * f));
  return [
    { kind: "upload-bad-mac", line: at(0.2) },
    { kind: "upload-bad-digest", line: at(0.2) },
    { kind: "upload-truncated", line: at(0.2) },
    { kind: "power-loss", line: 0 },
    { kind: "bad-signature", line: 0 },
    { kind: "bad-signature", line: 0, bit: 400 * 8 + 2 }, // in the module: its SHA-256 refuses it
    { kind: "tc-replay", line: at(0.3) },
    { kind: "tc-flood", line: at(0.3), frames: 50, lines: 4, forgedEvery: 5 },
    { kind: "trial-fails", line: 0, mode: "self-test" },
    { kind: "trial-fails", line: 0, mode: "hang" },
  ];
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
  const ok = campaignOk(results);
  return { profile: p.name, lines: o.lines ?? 60, results, baseline: base.result, realTime: base.realTime, ok };
}

/**
 * The campaign's verdict. Commanding and update faults: complete only when every expected
 * detection is present and every expected loss is zero (their expectations list), never from the
 * absence of noticed errors; the others: detected or harmless, nothing accepted lost, completed.
 */
export function campaignOk(results: FaultResult[]): boolean {
  return results.length > 0 && results.every((r) => r.expectations
    ? r.expectations.length > 0 && r.expectations.every((e) => e.ok) && r.acceptedLost.length === 0 && r.linesCorrupted === 0 && r.completed
    : (r.detected || r.harmless) && r.acceptedLost.length === 0 && r.completed && r.linesCorrupted === 0);
}

export function describeFault(f: FaultSpec): string {
  switch (f.kind) {
    case "bus-bitflip": return `bus bit flip, line ${f.line}${f.bit !== undefined ? ` bit ${f.bit}` : ""}`;
    case "drop-line": return `line ${f.line} dropped on the bus`;
    case "duplicate-line": return `line ${f.line} duplicated on the bus`;
    case "reset": return `OBC reset at line ${f.line}`;
    case "hang": return `OBC hang at line ${f.line}`;
    case "seu": return `SEU at line ${f.line}, address 0x${f.address.toString(16)} bit ${f.bit}`;
    case "upload-bad-mac": return `upload segment changed after its MAC, line ${f.line}`;
    case "upload-bad-digest": return `upload with a wrong declared SHA-256, line ${f.line}`;
    case "upload-truncated": return `upload ended before its last segment, line ${f.line}`;
    case "power-loss": return `power loss during the slot write${f.budget !== undefined ? ` after ${f.budget} octets` : ""}`;
    case "bad-signature": return `signed image with one bit flipped${f.bit !== undefined ? ` (bit ${f.bit})` : ""}`;
    case "tc-replay": return `command frame replayed (same ARSN), line ${f.line}`;
    case "tc-flood": return `command flood: ${f.frames ?? 50} frames between lines from line ${f.line} (${f.lines ?? 4} lines, every ${f.forgedEvery ?? 5}th forged)`;
    case "trial-fails": return `trial image ${f.mode === "hang" ? "hangs, never confirms" : "fails its self-test"}`;
  }
}

export function formatCampaign(c: CampaignReport): string {
  const rows = [["fault", "verdict", "detected by", "lines lost", "accepted lost", "reboots", "completed", "slots booted"]];
  for (const r of c.results) rows.push([describeFault(r.fault), r.verdict, r.detectedBy.join(", ") || "-", r.linesLost.join(",") || "-", r.acceptedLost.join(",") || "-", String(r.reboots), r.completed ? "yes" : "NO", r.slotsBooted?.join(" → ") ?? "-"]);
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const lines = rows.map((r) => r.map((x, i) => x.padEnd(w[i])).join("  "));
  lines.splice(1, 0, w.map((n) => "-".repeat(n)).join("  "));
  const notes = c.results.filter((r) => r.note).map((r) => `  ${describeFault(r.fault)}: ${r.note}`);
  for (const r of c.results) if (r.slotsBooted) notes.push(`  ${describeFault(r.fault)}: ${r.expectations!.filter((e) => e.ok).length}/${r.expectations!.length} expectations met${r.expectations!.some((e) => !e.ok) ? `, MISSING: ${r.expectations!.filter((e) => !e.ok).map((e) => e.what).join("; ")}` : ""}`);
  const rt = c.realTime ? `Real-time margin (baseline pass): ${(c.realTime.perLineMs * 1000).toFixed(0)} µs per line against a ${(c.realTime.linePeriodMs * 1000).toFixed(0)} µs line period, margin ${(c.realTime.margin * 100).toFixed(1)} % — ${c.realTime.runtime}` : "";
  return [`Fault-injection campaign on profile ${c.profile}, ${c.lines} lines per pass`, ...lines, ...(notes.length ? ["Notes:", ...notes] : []), rt, c.ok ? "CAMPAIGN OK: every fault detected or harmless, nothing accepted lost, every pass completed; every commanding and update fault's expected detections present and expected losses zero" : "CAMPAIGN NOT OK"].filter(Boolean).join("\n");
}
