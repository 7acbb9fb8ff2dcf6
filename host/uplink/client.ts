// The ground's end of the telecommand port of `tengri serve`: a FOP-1 (cop1.ts) that sends data
// fields as AD frames in CLTUs over TCP and reads the CLCW the server returns after each CLTU.
// Timer T1 advances one tick per round in which every CLTU sent has had its reply and frames are
// still unacknowledged (on a TCP link that loses nothing, that is when the FARM discarded them);
// the wall clock only bounds how long a reply may take (timeoutMs), never drives the protocol.
// With `downlink` (host/ground/clcw.ts DownlinkClcw on the CADU stream) the CLCW is read, as a
// ground station reads it, from the OCF of the payload's TM/AOS frames (README "The CLCW in the
// downlink"): each change of the channel's CLCW goes to the FOP, and T1 runs out after t1Frames
// downlink frames without one; the telecommand port's replies are then ignored.
import { connect, type Socket } from "node:net";
import { once } from "node:events";
import { buildCltu } from "./cltu.ts";
import { Fop1, decodeClcw, type Clcw, type FopAlert } from "./cop1.ts";
import type { TcDataBuilder } from "./tc-frame.ts";
import { DownlinkClcwError, type DownlinkClcw } from "../ground/clcw.ts";

export interface UplinkClientOptions {
  host?: string;
  port: number;
  scid: number;
  vcid?: number;
  randomize?: boolean;
  /** FOP-1 sliding window (default 5), transmission limit (default 3), T1 in rounds (default 1). */
  window?: number;
  transmissionLimit?: number;
  t1?: number;
  /** Longest wait for one CLCW reply, in ms (default 10000): a bound, not a protocol timer. */
  timeoutMs?: number;
  /** Read the CLCW from the downlink's OCF instead of the telecommand port's replies. */
  downlink?: DownlinkClcw;
  /**
   * With downlink: timer T1 in downlink frames (with an OCF) without a CLCW change (default
   * DOWNLINK_T1_FRAMES). It must exceed the round trip: the frames already on their way down plus
   * those the image sends for the lines it holds before it reads the CLCW record.
   */
  t1Frames?: number;
}

/** Timer T1 of the FOP-1 reading the downlink, in frames: about 17 lines of the default profile (15 frames a line). */
export const DOWNLINK_T1_FRAMES = 256;

export class UplinkError extends Error {
  constructor(readonly alert: FopAlert | "timeout" | "closed", message: string) { super(message); this.name = "UplinkError"; }
}

export class UplinkClient {
  readonly fop: Fop1;
  /** The last CLCW the server sent. */
  clcw: Clcw | null = null;
  private buf = Buffer.alloc(0);
  private wake: (() => void) | null = null;
  private closed = false;
  private readonly vcid: number;

  private constructor(private readonly sock: Socket, private readonly o: UplinkClientOptions) {
    this.vcid = o.vcid ?? 1;
    this.fop = new Fop1({ scid: o.scid, vcid: this.vcid, window: o.window, transmissionLimit: o.transmissionLimit, t1: o.t1 ?? 1 });
    sock.on("data", (d: Buffer) => { if (o.downlink) return; this.buf = Buffer.concat([this.buf, d]); this.wake?.(); }); // downlink: the port's replies are not read
    sock.on("close", () => { this.closed = true; this.wake?.(); });
    sock.on("error", () => undefined);
  }

  static async connect(o: UplinkClientOptions): Promise<UplinkClient> {
    const sock = connect(o.port, o.host ?? "127.0.0.1");
    await once(sock, "connect");
    return new UplinkClient(sock, o);
  }

  /** Directive: initiate AD service with Set V(R) = vr (default 0), with Unlock, or without CLCW check from V(S) = vr. */
  async initiate(how: "set-vr" | "unlock" | "none" = "set-vr", vr = 0): Promise<Clcw | null> {
    if (how === "set-vr") this.fop.initiateWithSetVr(vr);
    else if (how === "unlock") this.fop.initiateWithUnlock();
    else { this.fop.initiate(vr); return this.clcw; }
    await this.run();
    return this.clcw;
  }

  /**
   * Sends data fields as AD frames; resolves once FARM-1 acknowledged them all, rejects on a FOP
   * alert. A data field may be a builder given the frame's header (SDLS):
   * `{ length: SDLS_OVERHEAD + pkt.length, build: (h) => secureFrameDataField(h, pkt, sa) }`.
   */
  async send(...dataFields: (Uint8Array | TcDataBuilder)[]): Promise<Clcw | null> {
    for (const d of dataFields) this.fop.send(d);
    await this.run();
    return this.clcw;
  }

  /** Sends one BD frame (no acknowledgement); resolves with the CLCW that follows it. */
  async sendBypass(data: Uint8Array | TcDataBuilder): Promise<Clcw | null> {
    this.sock.write(buildCltu(this.fop.bypass(data), { randomize: this.o.randomize }));
    if (this.o.downlink) { const c = await this.fromDownlink(); if (c !== "t1") this.note(c); }
    else this.note(await this.reply());
    return this.clcw;
  }

  close(): void { this.sock.end(); }

  private async run(): Promise<void> {
    const maxRounds = 64 + 4 * (this.o.transmissionLimit ?? 3) * (this.o.t1 ?? 1) * 256;
    for (let round = 0; round < maxRounds; round++) {
      if (this.fop.alert) throw new UplinkError(this.fop.alert, `FOP-1 alert: ${this.fop.alert}`);
      if (this.fop.state === "active" && this.fop.outstanding === 0) return;
      const frames = this.fop.poll();
      for (const f of frames) this.sock.write(buildCltu(f, { randomize: this.o.randomize }));
      if (this.o.downlink) {
        // The next change of the CLCW in the downlink, or T1 counted in downlink frames.
        const c = await this.fromDownlink();
        if (c === "t1") this.fop.tick(); else this.note(c);
        continue;
      }
      for (let i = 0; i < frames.length; i++) this.note(await this.reply());
      if (frames.length === 0) this.fop.tick();
    }
    throw new UplinkError("limit", "FOP-1 made no progress");
  }

  private note(c: Clcw): void { this.clcw = c; this.fop.clcw(c); }

  private async fromDownlink(): Promise<Clcw | "t1"> {
    if (this.closed) throw new UplinkError("closed", "the telecommand port closed the connection");
    try { return await this.o.downlink!.next(this.o.t1Frames ?? DOWNLINK_T1_FRAMES, this.o.timeoutMs ?? 10_000); } catch (e) {
      if (e instanceof DownlinkClcwError) throw new UplinkError(e.reason, `downlink CLCW: ${e.message}`);
      throw e;
    }
  }

  /** The next 4-octet CLCW, waited for at most timeoutMs. */
  private async reply(): Promise<Clcw> {
    const limit = this.o.timeoutMs ?? 10_000;
    let timedOut = false;
    const t = setTimeout(() => { timedOut = true; this.wake?.(); }, limit);
    try {
      while (this.buf.length < 4) {
        if (this.closed) throw new UplinkError("closed", "the telecommand port closed the connection");
        if (timedOut) throw new UplinkError("timeout", `no CLCW within ${limit} ms`);
        await new Promise<void>((res) => { this.wake = res; });
        this.wake = null;
      }
    } finally { clearTimeout(t); }
    const c = decodeClcw(new Uint8Array(this.buf.subarray(0, 4)));
    this.buf = this.buf.subarray(4);
    if (!c.ok) throw new UplinkError("clcw", `the telecommand port sent a word that is not a CLCW: ${c.message}`);
    return c.clcw;
  }
}
