// COP-1 of CCSDS 232.1-B-2: the FARM-1 of the receiving end (the OBC) with the CLCW it reports
// (232.0-B-4 §4.2), and a FOP-1 for the ground that sends AD frames and retransmits them as the
// CLCW asks. No wall clock in either: the FOP's timer T1 counts calls of tick().
import { buildTcFrame, parseControlCommand, setVrCommand, tcPrimaryHeader, UNLOCK, type TcDataBuilder, type TcFrame } from "./tc-frame.ts";

// ---------------------------------------------------------------- CLCW (232.0-B-4 §4.2)
export interface Clcw {
  /** Status field, 3 bits (mission specific; 0). */
  status: number;
  /** COP in effect, 2 bits: 1 = COP-1. */
  cop: number;
  vcid: number;
  noRf: boolean;
  noBitLock: boolean;
  lockout: boolean;
  wait: boolean;
  retransmit: boolean;
  /** The two low bits of the FARM-B counter. */
  farmB: number;
  /** V(R), the next expected frame sequence number. */
  reportValue: number;
}

/** The 4 CLCW octets: type 0 | version 00 | status 3 | COP 2 | VCID 6 | spare 2 | no RF | no bit lock | lockout | wait | retransmit | FARM-B 2 | spare | report value 8. */
export function encodeClcw(c: Clcw): Uint8Array {
  return Uint8Array.of(
    ((c.status & 7) << 2) | (c.cop & 3),
    (c.vcid & 0x3f) << 2,
    (c.noRf ? 0x80 : 0) | (c.noBitLock ? 0x40 : 0) | (c.lockout ? 0x20 : 0) | (c.wait ? 0x10 : 0) | (c.retransmit ? 0x08 : 0) | ((c.farmB & 3) << 1),
    c.reportValue & 0xff,
  );
}

export type ClcwParse = { ok: true; clcw: Clcw } | { ok: false; field: string; message: string };
/** Reads 4 CLCW octets; refuses (naming the field) a word that is not a version-0 CLCW. Never throws. */
export function decodeClcw(b: Uint8Array): ClcwParse {
  if (b.length !== 4) return { ok: false, field: "length", message: `CLCW of ${b.length} octets, must be 4` };
  if (b[0] & 0x80) return { ok: false, field: "type", message: "control word type 1: not a CLCW" };
  if (b[0] & 0x60) return { ok: false, field: "version", message: `CLCW version ${(b[0] >>> 5) & 3}, must be 0` };
  return { ok: true, clcw: {
    status: (b[0] >>> 2) & 7, cop: b[0] & 3, vcid: b[1] >>> 2, noRf: !!(b[2] & 0x80), noBitLock: !!(b[2] & 0x40),
    lockout: !!(b[2] & 0x20), wait: !!(b[2] & 0x10), retransmit: !!(b[2] & 0x08), farmB: (b[2] >>> 1) & 3, reportValue: b[3],
  } };
}

// ---------------------------------------------------------------- FARM-1 (232.1-B-2 §6)
export type FarmState = "open" | "wait" | "lockout"; // S1, S2, S3

export interface FarmOptions {
  vcid: number;
  /** FARM sliding window width W (232.1-B-2 §6.1.8.2): even, 2..254 (default 10). PW = NW = W/2. */
  window?: number;
  /** Frames the buffer towards the user can hold before the FARM must wait (default: unlimited). */
  bufferFrames?: number;
  initialVr?: number;
}

export interface FarmCounters {
  adAccepted: number;
  bdAccepted: number;
  bcAccepted: number;
  /** AD frames discarded: N(S) = V(R) but no buffer (E2). */
  discardedNoBuffer: number;
  /** AD frames discarded: N(S) in the positive window, ahead of V(R) (E3): a frame was lost. */
  discardedAhead: number;
  /** AD frames discarded: N(S) in the negative window, already received (E4). */
  discardedBehind: number;
  /** AD frames whose N(S) fell in the lockout area (E5): they put the FARM in lockout. */
  lockouts: number;
  /** AD frames discarded because the FARM was in lockout. */
  discardedInLockout: number;
  /** BC frames whose data field is neither Unlock nor Set V(R) (E9). */
  invalidDirectives: number;
}

export type FarmVerdict = { accept: true; type: "AD" | "BD" } | { accept: false; reason: string } | { accept: true; type: "BC"; command: "unlock" | "set-vr" };

export class Farm1 {
  vr: number;
  state: FarmState = "open";
  retransmit = false;
  farmB = 0;
  readonly counters: FarmCounters = { adAccepted: 0, bdAccepted: 0, bcAccepted: 0, discardedNoBuffer: 0, discardedAhead: 0, discardedBehind: 0, lockouts: 0, discardedInLockout: 0, invalidDirectives: 0 };
  private readonly pw: number;
  private readonly nw: number;
  private buffered = 0;

  constructor(private readonly o: FarmOptions) {
    const w = o.window ?? 10;
    if (!Number.isInteger(w) || w < 2 || w > 254 || w % 2) throw new RangeError(`FARM window ${w}: must be even, 2..254`);
    this.pw = w / 2; this.nw = w / 2;
    this.vr = (o.initialVr ?? 0) & 0xff;
  }

  get lockout(): boolean { return this.state === "lockout"; }
  get wait(): boolean { return this.state === "wait"; }

  /**
   * A valid frame of this virtual channel (its FECF, length, SCID, VCID already checked). Returns
   * whether it is accepted: AD and BD frames then go to the user (bufferTaken() is implied for AD);
   * BC frames are executed here.
   */
  frame(f: TcFrame): FarmVerdict {
    const c = this.counters;
    if (f.bypass && !f.controlCommand) { c.bdAccepted++; this.farmB++; return { accept: true, type: "BD" }; } // E6
    if (f.bypass && f.controlCommand) {
      const cmd = parseControlCommand(f.data);
      if (!cmd) { c.invalidDirectives++; return { accept: false, reason: "BC frame: neither Unlock nor Set V(R)" }; } // E9
      c.bcAccepted++; this.farmB++;
      if (cmd.kind === "unlock") { this.state = "open"; this.retransmit = false; return { accept: true, type: "BC", command: "unlock" }; } // E7
      if (this.state !== "lockout") { this.state = "open"; this.retransmit = false; this.vr = cmd.vr; } // E8 (no effect in lockout)
      return { accept: true, type: "BC", command: "set-vr" };
    }
    // AD frame
    if (this.state === "lockout") { c.discardedInLockout++; return { accept: false, reason: "FARM in lockout" }; }
    const d = (f.seq - this.vr) & 0xff;
    if (d === 0) {
      const full = this.state === "wait" || (this.o.bufferFrames !== undefined && this.buffered >= this.o.bufferFrames);
      if (full) { c.discardedNoBuffer++; this.retransmit = true; this.state = "wait"; return { accept: false, reason: "no buffer: FARM waits" }; } // E2
      c.adAccepted++; this.vr = (this.vr + 1) & 0xff; this.retransmit = false; this.buffered++; // E1
      return { accept: true, type: "AD" };
    }
    if (d <= this.pw - 1) { c.discardedAhead++; this.retransmit = true; return { accept: false, reason: `N(S) ${f.seq} ahead of V(R) ${this.vr}: frame(s) missing` }; } // E3
    if (d >= 256 - this.nw) { c.discardedBehind++; return { accept: false, reason: `N(S) ${f.seq} behind V(R) ${this.vr}: already received` }; } // E4
    c.lockouts++; this.state = "lockout"; // E5
    return { accept: false, reason: `N(S) ${f.seq} outside the window of V(R) ${this.vr}: lockout` };
  }

  /** The user took an accepted AD frame out of the buffer (232.1-B-2 E10, buffer release). */
  release(n = 1): void {
    this.buffered = Math.max(0, this.buffered - n);
    if (this.state === "wait" && (this.o.bufferFrames === undefined || this.buffered < this.o.bufferFrames)) this.state = "open";
  }

  clcw(): Clcw {
    return { status: 0, cop: 1, vcid: this.o.vcid, noRf: false, noBitLock: false, lockout: this.lockout, wait: this.wait, retransmit: this.retransmit, farmB: this.farmB & 3, reportValue: this.vr };
  }
}

// ---------------------------------------------------------------- FOP-1 (232.1-B-2 §5)
export type FopState = "active" | "retransmit-without-wait" | "retransmit-with-wait" | "initialising-without-bc" | "initialising-with-bc" | "initial"; // S1..S6

export interface FopOptions {
  scid: number;
  vcid: number;
  /** FOP sliding window width K: AD frames sent and not yet acknowledged at most (default 5). It must not exceed the FARM's positive window PW = W/2, or a lost frame puts the FARM in lockout. */
  window?: number;
  /** Transmissions of a frame (first included) before the FOP gives up (default 3). */
  transmissionLimit?: number;
  /** Timer T1 in ticks: ticks without progress after which outstanding frames are sent again (default 5). */
  t1?: number;
}

export type FopAlert = "lockout" | "limit" | "t1" | "clcw" | "terminated";

export class Fop1 {
  state: FopState = "initial";
  /** V(S): the sequence number of the next new AD frame. */
  vs = 0;
  /** NN(R): the oldest unacknowledged N(S). */
  nnr = 0;
  alert: FopAlert | null = null;
  readonly counters = { adSent: 0, adRetransmitted: 0, bcSent: 0, bdSent: 0, acknowledged: 0 };
  private readonly sent: { seq: number; frame: Uint8Array }[] = [];
  private readonly waiting: (Uint8Array | TcDataBuilder)[] = [];
  private readonly out: Uint8Array[] = [];
  private transmissions = 0;
  private timer = -1;
  private bc: { frame: Uint8Array; expectVr: number | null } | null = null;
  private readonly k: number;
  private readonly limit: number;
  private readonly t1: number;

  constructor(private readonly o: FopOptions) {
    this.k = o.window ?? 5;
    this.limit = o.transmissionLimit ?? 3;
    this.t1 = o.t1 ?? 5;
  }

  /** Directive "initiate AD service without CLCW check" (V(S) as the FARM's V(R) is known to be). */
  initiate(vs = this.vs): void { this.reset(); this.vs = this.nnr = vs & 0xff; this.state = "active"; }
  /** Directive "initiate AD service with Set V(R)": a BC frame Set V(R) = vs, then active once the CLCW reports it. */
  initiateWithSetVr(vs: number): void { this.reset(); this.vs = this.nnr = vs & 0xff; this.sendBc(setVrCommand(this.vs), this.vs); }
  /** Directive "initiate AD service with Unlock": a BC frame Unlock, then active once the CLCW shows no lockout. */
  initiateWithUnlock(): void { this.reset(); this.sendBc(UNLOCK, null); }
  terminate(): void { this.reset(); this.alert = "terminated"; }

  /**
   * Queues the data field of an AD frame (a request "transmit AD frame"): the octets, or a builder
   * given the frame's header when the frame is made (SDLS: the MAC covers the header).
   */
  send(data: Uint8Array | TcDataBuilder): void {
    if (!(data instanceof Uint8Array) && (!Number.isInteger(data.length) || data.length < 1)) throw new RangeError(`FOP-1: data field builder length ${data.length}`);
    this.waiting.push(data); this.fill();
  }

  /** A BD frame, sent at once whatever the state (no acknowledgement); its data field as for send(). */
  bypass(data: Uint8Array | TcDataBuilder, seq = 0): Uint8Array {
    const fields = { bypass: true, controlCommand: false, scid: this.o.scid, vcid: this.o.vcid, seq };
    const d = data instanceof Uint8Array ? data : data.build(tcPrimaryHeader(fields, data.length));
    if (!(data instanceof Uint8Array) && d.length !== data.length) throw new RangeError(`FOP-1: the data field builder returned ${d.length} octets, announced ${data.length}`);
    this.counters.bdSent++;
    return buildTcFrame({ ...fields, data: d });
  }

  /** Frames to transmit now (to be put in CLTUs), in order. */
  poll(): Uint8Array[] { return this.out.splice(0); }

  /** Frames sent and not yet acknowledged, plus data waiting for the window. */
  get outstanding(): number { return this.sent.length + this.waiting.length; }

  /** One tick of timer T1: when it runs out, what is outstanding is sent again, up to the transmission limit. */
  tick(): void {
    if (this.timer < 0) return;
    if (--this.timer > 0) return;
    this.timer = this.t1;
    if (this.state === "retransmit-with-wait") return; // the FARM waits: nothing is sent until its CLCW clears the wait flag
    if (this.transmissions >= this.limit) { this.fail("t1"); return; }
    this.transmissions++;
    if (this.bc) { this.out.push(this.bc.frame); this.counters.bcSent++; }
    else this.retransmitAll();
  }

  /** A CLCW of this virtual channel, read back from the receiving end. */
  clcw(c: Clcw): void {
    if (c.cop !== 1 || c.vcid !== this.o.vcid || this.state === "initial") return;
    if (this.bc) {
      // Initialising with a BC frame: done when a CLCW shows its effect (no lockout; V(R) as set).
      if (c.lockout || (this.bc.expectVr !== null && c.reportValue !== this.bc.expectVr)) return;
      // After Unlock the FARM keeps its V(R): the FOP goes on from there.
      if (this.bc.expectVr === null) this.vs = this.nnr = c.reportValue;
      this.bc = null; this.timer = -1; this.transmissions = 0;
      this.state = "active"; this.fill();
      return;
    }
    if (c.lockout) { this.fail("lockout"); return; }
    const nr = c.reportValue;
    const ahead = (nr - this.nnr) & 0xff, span = (this.vs - this.nnr) & 0xff;
    if (ahead > span) { this.fail("clcw"); return; } // N(R) outside [NN(R), V(S)]
    if (ahead > 0) {
      this.sent.splice(0, ahead); this.counters.acknowledged += ahead; this.nnr = nr; this.transmissions = 1;
      this.timer = this.sent.length ? this.t1 : -1;
    }
    if (c.retransmit && this.sent.length) {
      if (this.transmissions >= this.limit) { this.fail("limit"); return; }
      if (c.wait) { this.state = "retransmit-with-wait"; return; }
      if (this.state !== "retransmit-without-wait" || ahead > 0) { this.transmissions++; this.retransmitAll(); this.timer = this.t1; }
      this.state = "retransmit-without-wait";
      return;
    }
    if (c.wait && this.sent.length) { this.state = "retransmit-with-wait"; return; }
    this.state = "active";
    this.fill();
  }

  private retransmitAll(): void {
    for (const s of this.sent) { this.out.push(s.frame); this.counters.adRetransmitted++; }
  }

  private fill(): void {
    if (this.state !== "active") return;
    while (this.waiting.length && this.sent.length < this.k) {
      const w = this.waiting.shift()!;
      const fields = { bypass: false, controlCommand: false, scid: this.o.scid, vcid: this.o.vcid, seq: this.vs };
      let data: Uint8Array;
      if (w instanceof Uint8Array) data = w;
      else {
        data = w.build(tcPrimaryHeader(fields, w.length));
        if (data.length !== w.length) throw new RangeError(`FOP-1: the data field builder returned ${data.length} octets, announced ${w.length}`);
      }
      const frame = buildTcFrame({ ...fields, data });
      this.sent.push({ seq: this.vs, frame });
      this.out.push(frame);
      this.counters.adSent++;
      this.vs = (this.vs + 1) & 0xff;
      if (this.timer < 0) { this.timer = this.t1; this.transmissions = 1; }
    }
  }

  private sendBc(cmd: Uint8Array, expectVr: number | null): void {
    const frame = buildTcFrame({ bypass: true, controlCommand: true, scid: this.o.scid, vcid: this.o.vcid, seq: 0, data: cmd });
    this.bc = { frame, expectVr };
    this.state = "initialising-with-bc";
    this.out.push(frame); this.counters.bcSent++;
    this.transmissions = 1; this.timer = this.t1;
  }

  private fail(a: FopAlert): void { this.alert = a; this.state = "initial"; this.timer = -1; this.bc = null; }

  private reset(): void {
    this.sent.length = 0; this.waiting.length = 0; this.out.length = 0; this.alert = null; this.bc = null; this.timer = -1; this.transmissions = 0; this.state = "initial";
  }
}
