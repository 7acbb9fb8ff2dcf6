// Hardware in the loop: the emulated OBC with its payload bus fed from a TCP port and its
// CADUs served on another (and optionally sent as UDP frames), so that a bench drives the
// flight image with its own sensor data and ground software.
//
// Bus port: the same byte stream as the image's stdin (README, "Payload bus records"). The
// server does not check it (it follows only the records' framing, to place telecommands between
// them): the image checks every record, rejects and counts what is wrong,
// and resynchronises. One client at a time is the bus master (the first to connect); others
// that connect meanwhile wait, their data held (TCP back-pressure), and take over in order
// when it disconnects. A disconnect mid-record leaves a truncated record the image rejects.
// Configuration: by default the server sends the profile's configuration record at every
// boot, so a bench sends only line and end-of-pass records (a configuration record a client
// sends then is rejected by the image: reconfiguration needs a reboot). With
// sendConfig: false the image waits for the first valid configuration record from the bus.
// Boots: an end-of-pass record ends the image (exit 0); a crash ends it too. Either way the
// server boots a new image at once (configuration first again): the next pass can begin.
// No crash loop: a boot fails when the image ends other than at an end-of-pass (a trap, a
// scripted reset, a non-zero exit, a signal the server did not send, an exit before a client fed
// it anything) or refuses the configuration record the server sent, before it has accepted any
// line. After maxFailedBoots (default 3) failures in a row the server boots no more: `failed`
// resolves with the cause, the image's own last words (its trap message or its status line). A
// boot that accepts a line (seen in its housekeeping) or ends at an end-of-pass resets the count;
// so a crash after the first housekeeping packet that counts a line is not part of a loop.
// Telecommand port (optional, tc): the ground's uplink as a TCP byte stream of CLTUs (CCSDS
// 231.0-B-4, BCH, optionally randomized) carrying TC transfer frames (232.0-B-4). The emulated OBC
// runs them through host/uplink (CLTU reception, frame validation for the spacecraft's SCID and
// the payload's VCID, FARM-1 of COP-1) and hands every accepted AD or BD frame, whole, to
// tc.onTcFrame. After each CLTU that ends (tail, a rejected block, too long, or cut off when the
// client goes) the server replies with the 4-octet CLCW on that connection. Several clients may
// connect; each has its own CLTU reception, all share the one FARM-1 (its V(R) and lockout
// persist across connections and image boots, as on a spacecraft).
// Accepted frames to the payload (onTcFrame absent): each goes to the image as a bus record of type 4
// (telecommand) whose payload is the whole frame, interleaved with the bench's records in arrival
// order at record boundaries: the server follows the record framing of the bus stream (sync,
// length) only to know where a record ends, so a telecommand never lands inside a line record. A
// frame that arrives while the bench is mid-record waits for that record's end. Back-pressure:
// while more than TC_QUEUE_MAX frames wait for the image, the telecommand sockets are paused (the
// ground's FOP-1 then waits for its CLCWs); a frame the image did not take whole (it ended or
// crashed during the write) is written again to the next boot: no accepted frame is dropped (unless
// the server closes first: counted, tcRecordsUndelivered).
// Flash directory (flashDir, `tengri flash --flash-dir`): the image of every boot is the emulated
// bootloader's choice (host/boot: signature, version, trial, fallback), run with the directory as
// its WASI preopen /flash (SDLS keys, ARSN state, upload window). After each exit the bootloader
// processes a confirmation; exit 72 (reboot into the uploaded image) hands the boot request to it.
// Boot events are told (kind "boot-event"). Failed trial boots are the bootloader's to bound
// (it falls back after its maxTrialBoots); only failed boots of a confirmed image count towards
// maxFailedBoots.
// The CLCW in the downlink (README "The CLCW in the downlink"): with a telecommand port, the OBC
// passes its FARM-1's CLCW to the payload as a bus record of type 5, which the image puts in the
// OCF of every frame from then on (profiles whose frames carry an OCF). Rate: a record only when
// the CLCW changed (V(R), a flag, the FARM-B counter) after a CLTU, at most one waiting at a time
// (a newer CLCW replaces the waiting one: the image gets the latest, never a backlog), written at
// the next record boundary ahead of waiting telecommands; and once at every boot right after the
// configuration record (with sendConfig: false, after the bench's first record). tc.reply: false
// stops the 4-octet answer on the telecommand port (a bench whose ground reads the downlink).
// CADU port: see downlink/tcp-server.ts (raw CADUs, late joiners start on a CADU boundary,
// slow clients lose CADUs, not the others). Binds 127.0.0.1 unless told otherwise.
import { createServer, type Server, type Socket } from "node:net";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Profile } from "../profiles/index.ts";
import { derived } from "../profiles/index.ts";
import { verifyImage } from "../obc/image.ts";
import { ObcChild } from "../obc/child.ts";
import { configRecord } from "../obc/config-table.ts";
import { CaduTcpServer, type CaduClientStats } from "../downlink/tcp-server.ts";
import { UdpFrameSender } from "../downlink/udp-frames.ts";
import { LinkDecoder } from "../ground/link-decoder.ts";
import { decodeHousekeeping, type Housekeeping } from "../ground/housekeeping.ts";
import { linkConfigOfProfile } from "../obc/link-config.ts";
import { EXIT_TRAP, EXIT_REBOOT } from "../obc/obc.ts";
import { FlightStatusError } from "../contract/flight.ts";
import { UplinkReceiver, DEFAULT_TC_VCID, type UplinkCounters } from "../uplink/receiver.ts";
import type { BchMode } from "../uplink/bch.ts";
import { encodeRecord, RecordType, RECORD_HEADER_LEN, RECORD_CRC_LEN, RECORD_SYNC } from "../obc/bus.ts";
import { Bootloader, type BootEvent } from "../boot/bootloader.ts";
import { ClcwSeries, clcwHex } from "../ground/clcw.ts";

/** Telecommand records waiting for the image above which the telecommand sockets are paused. */
export const TC_QUEUE_MAX = 16;


export interface HilOptions {
  profile: Profile;
  /** The flashed image (host/obc/image.ts flash); ignored with flashDir (the bootloader chooses). */
  image?: Uint8Array;
  /** A provisioned flash directory (tengri flash --flash-dir): bootloader, /flash preopen. */
  flashDir?: string;
  /** Boots on trial before the bootloader falls back (default host/boot MAX_TRIAL_BOOTS). */
  maxTrialBoots?: number;
  host?: string;
  busPort?: number;
  caduPort?: number;
  /** Decoded transfer frames, one per datagram, to this target. */
  udpFrames?: { host: string; port: number; idle?: boolean };
  /** Send the profile's configuration record at every boot (default true). */
  sendConfig?: boolean;
  maxCaduClientBuffer?: number;
  /** Failed boots in a row after which the server stops booting (default 3). */
  maxFailedBoots?: number;
  onEvent?(e: HilEvent): void;
  /** The telecommand port (absent: none). */
  tc?: TcPortOptions;
}

export interface TcPortOptions {
  /** TCP port (0: chosen by the system). */
  port: number;
  /** The payload's virtual channel (default 1). */
  vcid?: number;
  /** The TC randomizer is in use on the uplink (default false). */
  randomize?: boolean;
  /** BCH decoding mode (default "correct"). */
  bchMode?: BchMode;
  /** FARM-1 sliding window width (default 10). */
  farmWindow?: number;
  /** Answer every CLTU with the 4-octet CLCW on the telecommand port (default true). */
  reply?: boolean;
  /**
   * Every frame FARM-1 accepted for the payload (AD and BD), whole: header, data field, FECF.
   * Absent: the frame goes to the image as a bus record of type 4 (the default).
   */
  onTcFrame?(frame: Uint8Array): void;
}

/** Why the server stopped booting the image: the last failed boots, each with the image's own last log line. */
export interface HilFailure {
  boots: { boot: number; code: number | null; signal: string | null; refused: boolean; cause: string }[];
  /** One line naming the cause, for a user. */
  message: string;
}

export type HilEvent =
  | { kind: "boot"; boot: number }
  | { kind: "image-exit"; boot: number; code: number | null; signal: string | null }
  | { kind: "bus-client"; id: number; remote: string; state: "master" | "waiting" | "closed"; bytes: number }
  | { kind: "cadu-client"; id: number; remote: string; state: "connect" | "close" }
  | { kind: "log"; boot: number; line: string }
  | { kind: "boot-failed"; boot: number; inARow: number; cause: string }
  | { kind: "gave-up"; failure: HilFailure }
  | { kind: "housekeeping"; hk: Housekeeping }
  | { kind: "tc-client"; id: number; remote: string; state: "connect" | "close" }
  | { kind: "tc"; id: number; end: string; outcome: string; clcw: string }
  | { kind: "boot-event"; boot: number; event: BootEvent };

export interface BusClientStats { id: number; remote: string; bytes: number; state: "master" | "waiting" | "closed"; error?: string }

export interface HilStats {
  boots: number;
  exits: { boot: number; code: number | null; signal: string | null }[];
  busClients: BusClientStats[];
  caduClients: CaduClientStats[];
  caduBytes: number;
  discardedBytes: number;
  /** Bus chunks during which the image ended or crashed: some of their octets may not have been read. */
  busChunksCutShort: number;
  housekeeping: Housekeeping | null;
  log: string[];
  /** The uplink's counters (null without a telecommand port). */
  uplink: UplinkCounters | null;
  /** Telecommand bus records (type 4) written whole to the image; rewritten to a next boot after a cut write. */
  tcRecordsToImage: number;
  tcRecordsRewritten: number;
  /** Accepted frames still waiting for the image when the server closed. */
  tcRecordsUndelivered: number;
  /** Boot events of the bootloader (with a flash directory), in order. */
  bootEvents: (BootEvent & { boot: number })[];
  /** CLCW records (type 5) written whole to the image. */
  clcwRecordsToImage: number;
  /** The CLCW read back from the OCF of the served frames (host/ground/clcw.ts): frames with an OCF, changes, the last word (hex; null: none). */
  downlinkClcw: { framesWithOcf: number; changes: number; last: string | null };
}

/**
 * Where the records of a bus byte stream end (README "Payload bus records": sync "TGBR", type,
 * version, u32 payload length, payload, CRC-16). Octets outside a record (before a sync) are
 * passed on as they are: the image resynchronises on them; they end no record.
 */
export class RecordBoundary {
  private readonly hdr = new Uint8Array(RECORD_HEADER_LEN);
  private hlen = 0;
  private rest = 0;
  private static readonly SYNC = [RECORD_SYNC >>> 24, (RECORD_SYNC >>> 16) & 0xff, (RECORD_SYNC >>> 8) & 0xff, RECORD_SYNC & 0xff];
  /** Longest payload taken as a record's (longer: not a record header). */
  static readonly MAX_PAYLOAD = 1 << 24;
  /** Between records: nothing of a record has been seen since the last one ended. */
  get atBoundary(): boolean { return this.hlen === 0 && this.rest === 0; }
  reset(): void { this.hlen = 0; this.rest = 0; }
  /** Octets of d up to the end of the first record that ends in it (all of d when none ends). */
  advance(d: Uint8Array): number {
    let i = 0;
    while (i < d.length) {
      if (this.rest > 0) {
        const take = Math.min(this.rest, d.length - i);
        this.rest -= take; i += take;
        if (this.rest === 0) return i;
        continue;
      }
      const b = d[i++];
      if (this.hlen < 4) {
        if (b === RecordBoundary.SYNC[this.hlen]) this.hdr[this.hlen++] = b;
        else if (b === RecordBoundary.SYNC[0]) { this.hdr[0] = b; this.hlen = 1; }
        else this.hlen = 0;
        continue;
      }
      this.hdr[this.hlen++] = b;
      if (this.hlen === RECORD_HEADER_LEN) {
        this.hlen = 0;
        const len = new DataView(this.hdr.buffer).getUint32(6);
        if (len <= RecordBoundary.MAX_PAYLOAD) this.rest = len + RECORD_CRC_LEN;
        if (this.rest === 0) return i;
      }
    }
    return i;
  }
}

interface BusClient { sock: Socket; s: BusClientStats; held: { d: Uint8Array; at: number }[] }
interface TcRecord { r: Uint8Array; at: number; tries: number }

export class HilServer {
  busPort = 0;
  caduPort = 0;
  tcPort = 0;
  private tcServer: Server | null = null;
  private readonly tcSockets = new Set<Socket>();
  /** The emulated OBC's uplink (null without a telecommand port). */
  readonly uplink: UplinkReceiver | null;
  private bus!: Server;
  private cadu!: CaduTcpServer;
  private udp: UdpFrameSender | null = null;
  private child!: ObcChild;
  private boot = 0;
  private master: BusClient | null = null;
  private readonly waiting: BusClient[] = [];
  private readonly allClients: BusClientStats[] = [];
  private nextId = 1;
  private closing = false;
  private readonly dir: string;
  private readonly imgPath: string;
  private readonly caduLen: number;
  private readonly rem: Uint8Array;
  private remLen = 0;
  private readonly st: HilStats = { boots: 0, exits: [], busClients: [], caduClients: [], caduBytes: 0, discardedBytes: 0, busChunksCutShort: 0, housekeeping: null, log: [], uplink: null, tcRecordsToImage: 0, tcRecordsRewritten: 0, tcRecordsUndelivered: 0, bootEvents: [], clcwRecordsToImage: 0, downlinkClcw: { framesWithOcf: 0, changes: 0, last: null } };
  /** Arrival order of bus chunks and telecommand records. */
  private arrival = 0;
  private readonly tcQueue: TcRecord[] = [];
  private readonly framer = new RecordBoundary();
  private pumping = false;
  private tcPaused = false;
  private readonly bootloader: Bootloader | null;
  /** The current boot runs an image on trial (its failures are the bootloader's to bound). */
  private trial = false;
  private readonly monitor: LinkDecoder;
  private readonly clcwSeries = new ClcwSeries();
  /** The CLCW record waiting for a record boundary (null: none), and the last CLCW queued for this boot. */
  private clcwPending: Uint8Array | null = null;
  private clcwQueued = "";
  /** The current boot has its configuration record (records written to it after that are not rejected as early). */
  private bootConfigured = false;
  private bootDone: Promise<void> = Promise.resolve();
  /** Failed boots in a row (reset by a boot that accepts a line or ends at an end-of-pass). */
  private readonly failedRow: HilFailure["boots"] = [];
  /** The current boot has accepted a line (its housekeeping said so). */
  private productive = false;
  /** The current boot refused the configuration record the server sent it. */
  private refused = false;
  private gaveUp: HilFailure | null = null;
  private resolveFailed!: (f: HilFailure) => void;
  /** Resolves if the server stops booting the image after maxFailedBoots failed boots in a row. */
  readonly failed: Promise<HilFailure> = new Promise((res) => { this.resolveFailed = res; });

  private constructor(private readonly o: HilOptions) {
    if (o.flashDir) this.bootloader = new Bootloader(o.flashDir, { profile: o.profile, maxTrialBoots: o.maxTrialBoots, onEvent: (e) => { this.st.bootEvents.push({ ...e, boot: this.boot }); this.o.onEvent?.({ kind: "boot-event", boot: this.boot, event: e }); } });
    else {
      this.bootloader = null;
      if (!o.image) throw new TypeError("HilServer: an image or a flash directory is needed");
      verifyImage(o.image, o.profile);
    }
    this.caduLen = derived(o.profile).caduLen;
    this.rem = new Uint8Array(this.caduLen);
    this.dir = mkdtempSync(join(tmpdir(), "tengri-hil-"));
    this.uplink = o.tc ? new UplinkReceiver({ scid: o.profile.spacecraft.scid, vcid: o.tc.vcid ?? DEFAULT_TC_VCID, randomize: o.tc.randomize, bchMode: o.tc.bchMode, farmWindow: o.tc.farmWindow }) : null;
    this.imgPath = join(this.dir, "image.bin");
    if (o.image && !o.flashDir) writeFileSync(this.imgPath, o.image);
    const hkApid = o.profile.products.housekeeping.apid;
    this.monitor = new LinkDecoder(linkConfigOfProfile(o.profile), {
      onFrame: (f) => this.clcwSeries.frame(f),
      onPacket: (p) => {
        if (p.apid !== hkApid) return;
        try {
          this.st.housekeeping = decodeHousekeeping(p.data);
          if (this.st.housekeeping.linesAccepted > 0) this.productive = true;
          this.o.onEvent?.({ kind: "housekeeping", hk: this.st.housekeeping });
        } catch { /* counted by the decoder */ }
      },
    });
  }

  static async start(o: HilOptions): Promise<HilServer> {
    const h = new HilServer(o);
    const host = o.host ?? "127.0.0.1";
    try {
      h.cadu = await CaduTcpServer.listen({ host, port: o.caduPort ?? 0, caduLen: h.caduLen, maxClientBuffer: o.maxCaduClientBuffer, onClient: (e) => o.onEvent?.({ kind: "cadu-client", id: e.id, remote: e.remote, state: e.kind }) });
      h.caduPort = h.cadu.port;
      if (o.udpFrames) h.udp = new UdpFrameSender({ ...o.udpFrames, link: linkConfigOfProfile(o.profile) });
      h.bus = createServer((s) => h.accept(s));
      await new Promise<void>((res, rej) => { h.bus.once("error", rej); h.bus.listen(o.busPort ?? 0, host, () => { h.bus.off("error", rej); res(); }); });
      h.bus.on("error", () => undefined);
      const a = h.bus.address();
      h.busPort = typeof a === "object" && a ? a.port : 0;
      if (o.tc) {
        const tc = createServer((sock) => h.acceptTc(sock));
        h.tcServer = tc;
        await new Promise<void>((res, rej) => { tc.once("error", rej); tc.listen(o.tc!.port, host, () => { tc.off("error", rej); res(); }); });
        tc.on("error", () => undefined);
        const t = tc.address();
        h.tcPort = typeof t === "object" && t ? t.port : 0;
      }
    } catch (e) {
      h.tcServer?.close();
      if (h.bus?.listening) h.bus.close();
      await h.cadu?.close(0);
      rmSync(h.dir, { recursive: true, force: true });
      throw e;
    }
    await h.startImage();
    return h;
  }

  private output(c: Uint8Array): void {
    // Whole CADUs only: a dead image's trailing partial CADU is dropped (discardedBytes).
    const L = this.caduLen;
    let i = 0;
    const send = (b: Uint8Array) => { this.st.caduBytes += b.length; this.cadu.broadcast(b); this.udp?.push(b); this.monitor.push(b); };
    if (this.remLen) {
      const take = Math.min(L - this.remLen, c.length);
      this.rem.set(c.subarray(0, take), this.remLen);
      this.remLen += take; i = take;
      if (this.remLen < L) return;
      send(this.rem.slice());
      this.remLen = 0;
    }
    const whole = Math.floor((c.length - i) / L) * L;
    if (whole) send(c.subarray(i, i + whole));
    i += whole;
    if (i < c.length) { this.rem.set(c.subarray(i)); this.remLen = c.length - i; }
  }

  private async startImage(): Promise<void> {
    const boot = ++this.boot;
    this.st.boots = boot;
    this.productive = false;
    this.refused = false;
    this.bootConfigured = false;
    this.clcwQueued = "";
    this.clcwPending = null;
    this.clcwChanged();                    // the FARM's CLCW goes to every boot, after its configuration
    const sendConfig = this.o.sendConfig ?? true;
    const config = configRecord(this.o.profile);
    const configLen = sendConfig ? config.length : 0;
    let lastLine = "", refusal = "";
    if (this.bootloader) {
      // The bootloader's choice: the verified octets, copied to the child's private file.
      const choice = this.bootloader.boot();
      if (!choice) {
        this.gaveUp = { boots: [...this.failedRow], message: `boot ${boot}: no bootable image in the flash directory (both slots empty or refused by the bootloader)` };
        this.o.onEvent?.({ kind: "gave-up", failure: this.gaveUp });
        this.resolveFailed(this.gaveUp);
        return;
      }
      this.trial = choice.trial;
      writeFileSync(this.imgPath, choice.file);
    }
    const child = new ObcChild(this.imgPath, {
      onOutput: (c) => this.output(c),
      onLog: (line) => {
        if (this.st.log.length >= 1000) this.st.log.shift();
        this.st.log.push(`[boot ${boot}] ${line}`);
        if (line.trim()) lastLine = line.trim();
        this.o.onEvent?.({ kind: "log", boot, line });
      },
      // The image's own refusal, read from its exported control block (never from the log): the
      // configuration the server sent was refused, so no line can be accepted in this boot.
      onRefusal: (r) => {
        if (!sendConfig || this.closing || this.productive || this.refused) return;
        this.refused = true;
        refusal = new FlightStatusError(r.status, r, this.o.profile.sensor.bands.length).message;
        child.end();
      },
    }, { flashDir: this.o.flashDir });
    this.child = child;
    this.o.onEvent?.({ kind: "boot", boot });
    void child.exited.then(({ code, signal }) => {
      this.st.exits.push({ boot, code, signal });
      this.o.onEvent?.({ kind: "image-exit", boot, code, signal });
      this.st.discardedBytes += this.remLen;
      this.remLen = 0;
      let updateAccepted = false;
      if (this.bootloader) {
        // A confirmation written by an image on trial; a reboot request (exit 72) into the upload.
        this.bootloader.processConfirm();
        if (code === EXIT_REBOOT && !this.closing) updateAccepted = this.bootloader.processBootRequest();
      }
      if (this.closing) return;
      // An end-of-pass: a good boot. An exit 0 before a client fed it anything is the image
      // ending on its own, before any line: that is a failed boot like a trap.
      const fed = child.busBytes > configLen;
      if (code === 0 && !this.refused && fed) this.failedRow.length = 0;
      else if (updateAccepted) this.failedRow.length = 0; // a commanded reboot the bootloader accepted (a refused one is a failed boot: no loop of exits 72)
      else if (this.bootloader && this.trial) { /* a failed trial boot: the bootloader counts it and falls back */ }
      else if (this.productive && !this.refused) this.failedRow.length = 0; // it ran: a crash mid-pass is not a loop
      else {
        const cause = refusal || lastLine || (code === 0 ? "exit 0 before any bus input, without a word" : code !== null ? `exit ${code} without a word` : `killed by ${signal}`);
        this.failedRow.push({ boot, code, signal, refused: this.refused, cause });
        this.o.onEvent?.({ kind: "boot-failed", boot, inARow: this.failedRow.length, cause });
        if (this.failedRow.length >= (this.o.maxFailedBoots ?? 3)) {
          const n = this.failedRow.length;
          const what = this.refused ? "refused its configuration" : code === EXIT_TRAP ? "trapped" : code !== null ? `ended with exit ${code}` : `was killed by ${signal}`;
          this.gaveUp = { boots: [...this.failedRow], message: `the flight image failed ${n} boots in a row before accepting a line (boot ${boot} ${what}): ${cause}` };
          this.o.onEvent?.({ kind: "gave-up", failure: this.gaveUp });
          this.resolveFailed(this.gaveUp);
          return;
        }
      }
      // The next pass (or the recovery from a crash) starts at once; the bus master keeps the bus.
      this.bootDone = this.startImage();
    });
    if (sendConfig) {
      this.bootConfigured = true;          // written before anything the pump writes to this child
      await child.write(config);
      void this.pump();
    }
  }

  /** The FARM's CLCW, if it differs from the last one queued for this boot, waits for the pump (replacing a waiting one). */
  private clcwChanged(): void {
    if (!this.uplink) return;
    const c = this.uplink.clcwOctets();
    const hex = Buffer.from(c).toString("hex");
    if (hex === this.clcwQueued) return;
    this.clcwQueued = hex;
    this.clcwPending = encodeRecord(RecordType.Clcw, c);
    void this.pump();
  }

  private accept(sock: Socket): void {
    const c: BusClient = { sock, s: { id: this.nextId++, remote: `${sock.remoteAddress}:${sock.remotePort}`, bytes: 0, state: "waiting" }, held: [] };
    this.allClients.push(c.s);
    sock.on("error", (e) => { c.s.error = e.message; });
    sock.on("close", () => this.drop(c));
    sock.on("data", (d: Buffer) => this.data(c, d));
    if (this.closing) { sock.destroy(); return; }
    if (!this.master) this.promote(c);
    else { sock.pause(); this.waiting.push(c); this.event(c); }
  }

  private event(c: BusClient): void { this.o.onEvent?.({ kind: "bus-client", id: c.s.id, remote: c.s.remote, state: c.s.state, bytes: c.s.bytes }); }

  private promote(c: BusClient): void {
    this.master = c;
    c.s.state = "master";
    this.event(c);
    // A new master starts its own records: whatever the last one left unfinished is the image's to reject.
    this.framer.reset();
    void this.pump();
  }

  private data(c: BusClient, d: Buffer): void {
    c.s.bytes += d.length;
    c.held.push({ d, at: this.arrival++ });
    c.sock.pause(); // one chunk in flight to the image at a time: TCP back-pressure to the bench
    if (c === this.master) void this.pump();
  }

  /** An accepted telecommand frame: to the image as a bus record of type 4, in arrival order. */
  private tcFrame(frame: Uint8Array): void {
    this.tcQueue.push({ r: encodeRecord(RecordType.Telecommand, frame), at: this.arrival++, tries: 0 });
    if (this.tcQueue.length > TC_QUEUE_MAX && !this.tcPaused) { this.tcPaused = true; for (const t of this.tcSockets) t.pause(); }
    void this.pump();
  }

  /**
   * The one writer of the image's bus: the master's held chunks and the telecommand records, in
   * arrival order, a telecommand only between two records of the bench. Lets the master's socket
   * flow again once its chunks are written, the telecommand sockets once the queue is short.
   */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        if (this.closing || this.gaveUp) return;
        if (this.master && this.master.s.state === "closed" && this.master.held.length === 0) { this.handOver(); continue; }
        const c = this.master;
        const chunk = c && c.held.length ? c.held[0] : null;
        const tcr = this.tcQueue.length ? this.tcQueue[0] : null;
        const tcNext = tcr !== null && this.framer.atBoundary && (chunk === null || tcr.at < chunk.at);
        const clcwNext = this.clcwPending !== null && this.framer.atBoundary && this.bootConfigured;
        if (!tcNext && chunk === null && !clcwNext) break;
        if (!this.child.alive) {
          const old = this.child;
          await old.exited; await this.bootDone;
          if (this.closing || this.gaveUp) return;
          this.framer.reset(); // the new boot reads records from its configuration record on
          continue;
        }
        if (clcwNext) {
          const r = this.clcwPending!;
          this.clcwPending = null;
          if (await this.child.write(r)) this.st.clcwRecordsToImage++;   // not taken whole: the next boot gets the CLCW anyway
          continue;
        }
        if (tcNext) {
          tcr.tries++;
          const ok = await this.child.write(tcr.r);
          if (ok) { this.tcQueue.shift(); this.st.tcRecordsToImage++; }
          else this.st.tcRecordsRewritten++; // not taken whole: written again to the next boot
          if (this.tcPaused && this.tcQueue.length <= TC_QUEUE_MAX / 2) { this.tcPaused = false; for (const t of this.tcSockets) t.resume(); }
          continue;
        }
        const n = this.framer.advance(chunk!.d);
        const ok = await this.child.write(chunk!.d.subarray(0, n));
        if (ok && this.framer.atBoundary) this.bootConfigured = true;   // the bench's first record (its configuration with sendConfig: false) is in
        if (n === chunk!.d.length) c!.held.shift(); else chunk!.d = chunk!.d.subarray(n);
        // A chunk the image did not take whole (it ended at an end-of-pass record, or crashed):
        // what followed in it is not re-sent to the next boot (it could hold that record again).
        if (!ok) { this.st.busChunksCutShort++; if (c!.held[0] === chunk) c!.held.shift(); }
        if (c === this.master && c!.held.length === 0 && !c!.sock.destroyed) c!.sock.resume();
      }
    } finally {
      this.pumping = false;
    }
    const c = this.master;
    if (c && c.held.length === 0 && !c.sock.destroyed) c.sock.resume();
  }

  private drop(c: BusClient): void {
    if (c.s.state === "closed") return;
    c.s.state = "closed";
    this.event(c);
    const i = this.waiting.indexOf(c);
    if (i >= 0) this.waiting.splice(i, 1);
    if (this.master === c) {
      // The chunks it sent before it went are written first (accepted octets are never dropped);
      // the pump hands the bus over once they are.
      if (c.held.length > 0 && !this.closing) { void this.pump(); return; }
      this.handOver();
    }
  }

  /** The master is gone and its chunks written: the next waiting client gets the bus. */
  private handOver(): void {
    this.master = null;
    this.framer.reset(); // its last record, if cut, is the image's to reject
    const next = this.waiting.shift();
    if (next && !this.closing) this.promote(next);
    else void this.pump(); // telecommands need no bench
  }

  /** A telecommand client: its CLTUs through the uplink, a CLCW back after each one that ends. */
  private acceptTc(sock: Socket): void {
    if (this.closing || !this.uplink) { sock.destroy(); return; }
    const id = this.nextTcId++;
    const remote = `${sock.remoteAddress}:${sock.remotePort}`;
    const stream = this.uplink.stream();
    this.tcSockets.add(sock);
    if (this.tcPaused) sock.pause();
    this.o.onEvent?.({ kind: "tc-client", id, remote, state: "connect" });
    const handle = (out: ReturnType<typeof stream.push>, reply: boolean) => {
      for (const f of out.frames) {
        if (!this.o.tc?.onTcFrame) { this.tcFrame(f); continue; }
        try { this.o.tc.onTcFrame(f); } catch (e) { this.st.log.push(`[tc] onTcFrame failed: ${(e as Error).message}`); }
      }
      for (const e of out.events) {
        this.o.onEvent?.({ kind: "tc", id, end: e.end, outcome: e.outcome, clcw: Buffer.from(e.clcw).toString("hex") });
        if (reply && (this.o.tc?.reply ?? true) && !sock.destroyed) sock.write(e.clcw);
      }
      if (out.events.length) this.clcwChanged();
    };
    sock.on("error", () => undefined);
    sock.on("data", (d: Buffer) => handle(stream.push(d), true));
    sock.on("close", () => {
      this.tcSockets.delete(sock);
      handle(stream.end(), false);
      this.o.onEvent?.({ kind: "tc-client", id, remote, state: "close" });
    });
  }

  private nextTcId = 1;

  stats(): HilStats {
    const series = this.clcwSeries.summary();
    const downlinkClcw = { framesWithOcf: series.framesWithOcf, changes: series.changes.length, last: series.last ? clcwHex(series.last.word) : null };
    return { ...this.st, downlinkClcw, tcRecordsUndelivered: this.tcQueue.length, bootEvents: [...this.st.bootEvents], busClients: this.allClients.map((s) => ({ ...s })), caduClients: this.cadu.stats(), log: [...this.st.log], uplink: this.uplink ? this.uplink.counters() : null };
  }

  /** Stops accepting, closes clients, ends the image (its bus closes), flushes the outputs. */
  async close(): Promise<HilStats> {
    this.closing = true;
    await this.bootDone;
    for (const c of [this.master, ...this.waiting]) c?.sock.destroy();
    for (const t of this.tcSockets) t.destroy();
    const tcClosed = this.tcServer ? new Promise<void>((res) => this.tcServer!.close(() => res())) : Promise.resolve();
    await new Promise<void>((res) => this.bus.close(() => res()));
    await tcClosed;
    if (this.child) {
      this.child.end();
      const t = setTimeout(() => this.child.kill(), 5000);
      await this.child.exited;
      clearTimeout(t);
    }
    this.monitor.end();
    const s = this.stats();
    await this.cadu.close();
    if (this.udp) await this.udp.close();
    rmSync(this.dir, { recursive: true, force: true });
    return s;
  }
}
