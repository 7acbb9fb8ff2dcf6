// The telecommand port of `tengri serve` (HilServer tc) over a loopback socket (ports chosen by the
// OS): a ground FOP-1 sends AD frames in CLTUs, reads the CLCW the server replies after each CLTU
// and retransmits from it; garbage, a lockout and its Unlock; every accepted frame reaches
// onTcFrame once, in order. Every wait is bounded.
import { test } from "node:test";
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { loadProfile } from "../../../host/profiles/index.ts";
import { flash } from "../../../host/obc/image.ts";
import { HilServer } from "../../../host/hil/server.ts";
import { DEFAULT_FLIGHT_WASM } from "../../../host/obc/faults.ts";
import { buildCltu } from "../../../host/uplink/cltu.ts";
import { buildTcFrame, parseTcFrame } from "../../../host/uplink/tc-frame.ts";
import { Fop1, decodeClcw, type Clcw } from "../../../host/uplink/cop1.ts";
import { UplinkClient, UplinkError } from "../../../host/uplink/client.ts";

const BIN = fileURLToPath(new URL("../../../bin/tengri.mjs", import.meta.url));

/** Reads CLCW replies (4 octets each) from a socket. */
class Replies {
  private buf = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  constructor(sock: Socket) {
    sock.on("data", (d: Buffer) => { this.buf = Buffer.concat([this.buf, d]); for (const w of this.waiters.splice(0)) w(); });
  }
  /** The next n CLCWs; rejects after a bound so a test cannot hang. */
  async take(n: number): Promise<Clcw[]> {
    const deadline = Date.now() + 20_000;
    while (this.buf.length < 4 * n) {
      if (Date.now() > deadline) throw new Error(`waited for ${n} CLCW(s), have ${this.buf.length} octets`);
      await new Promise<void>((res) => { this.waiters.push(res); setTimeout(res, 500).unref(); });
    }
    const out: Clcw[] = [];
    for (let i = 0; i < n; i++) { const c = decodeClcw(new Uint8Array(this.buf.subarray(4 * i, 4 * i + 4))); assert.ok(c.ok); out.push(c.clcw); }
    this.buf = this.buf.subarray(4 * n);
    return out;
  }
  get pending(): number { return this.buf.length; }
}

test("[232.1-B-2 §6] tengri serve's telecommand port: FOP-1 through CLTUs, a CLCW back after each, damaged CLTUs' frames retransmitted, garbage skipped, lockout and Unlock; every AD frame reaches onTcFrame once, in order", async () => {
  const p = loadProfile("cubesat-mcu");
  const scid = p.spacecraft.scid;
  const got: Uint8Array[] = [];
  const srv = await HilServer.start({ profile: p, image: flash(readFileSync(DEFAULT_FLIGHT_WASM), p, "t"), busPort: 0, caduPort: 0, tc: { port: 0, randomize: true, onTcFrame: (f) => got.push(f) } });
  try {
    assert.ok(srv.tcPort > 0 && srv.tcPort !== srv.busPort && srv.tcPort !== srv.caduPort);
    const sock = connect(srv.tcPort, "127.0.0.1");
    await once(sock, "connect");
    const replies = new Replies(sock);
    const fop = new Fop1({ scid, vcid: 1, t1: 2, transmissionLimit: 8 });
    fop.initiateWithSetVr(250);
    const data = Array.from({ length: 12 }, (_, i) => Uint8Array.of(0x10 + i, i));
    for (const d of data) fop.send(d);
    let n = 0;
    for (let step = 0; step < 100 && (fop.outstanding > 0 || fop.state !== "active"); step++) {
      const frames = fop.poll();
      let expected = 0;
      for (const f of frames) {
        n++;
        const c = buildCltu(f, { randomize: true });
        if (n % 4 === 2) { c[2 + 3] ^= 0x81; } // two bit errors in the first code block: the CLTU ends there, its frame lost
        sock.write(Buffer.concat([Uint8Array.of(0x00, 0x55, 0xeb), c])); // garbage between CLTUs is skipped
        expected++;
      }
      // Every CLTU written ends (tail, a rejected block, or the next start sequence): one CLCW each.
      for (const c of await replies.take(expected)) fop.clcw(c);
      fop.tick();
    }
    assert.equal(fop.alert, null);
    assert.equal(got.length, data.length);
    got.forEach((f, i) => { const q = parseTcFrame(f); assert.ok(q.ok); assert.equal(q.frame.seq, (250 + i) & 0xff); assert.deepEqual(q.frame.data, data[i]); });
    // A frame far outside the window: lockout, reported by the CLCW; AD frames are then refused until Unlock.
    sock.write(buildCltu(buildTcFrame({ bypass: false, controlCommand: false, scid, vcid: 1, seq: 100, data: Uint8Array.of(1) }), { randomize: true }));
    const [locked] = await replies.take(1);
    assert.equal(locked.lockout, true);
    fop.send(Uint8Array.of(0xaa));
    for (const f of fop.poll()) sock.write(buildCltu(f, { randomize: true }));
    fop.clcw((await replies.take(1))[0]);
    assert.equal(fop.alert, "lockout");
    fop.initiateWithUnlock();
    for (const f of fop.poll()) sock.write(buildCltu(f, { randomize: true }));
    const [unlocked] = await replies.take(1);
    assert.equal(unlocked.lockout, false);
    fop.clcw(unlocked);
    assert.equal(fop.state, "active");
    fop.send(Uint8Array.of(0xbb));
    for (const f of fop.poll()) sock.write(buildCltu(f, { randomize: true }));
    fop.clcw((await replies.take(1))[0]);
    assert.equal(fop.outstanding, 0);
    assert.deepEqual(parseTcFrame(got[got.length - 1]).ok && (parseTcFrame(got[got.length - 1]) as { frame: { data: Uint8Array } }).frame.data, Uint8Array.of(0xbb));
    assert.equal(got.length, data.length + 1);
    sock.end(); await once(sock, "close");
  } catch (e) {
    await srv.close();
    throw e;
  }
  {
    const s = await srv.close();
    assert.ok(s.uplink);
    assert.equal(s.uplink.delivered, 13);
    assert.equal(s.uplink.farm.lockouts, 1);
    assert.ok(s.uplink.cltu.octetsSkipped > 0);
    assert.ok(s.uplink.farm.bcAccepted >= 2);
  }
});

test("[232.1-B-2 §5] UplinkClient (the ground's FOP-1 on the telecommand port): initiate with Set V(R), send packets, each acknowledged once; a lockout is an alert (UplinkError); Unlock, then sending goes on; BD frames pass", async () => {
  const p = loadProfile("cubesat-mcu");
  const scid = p.spacecraft.scid;
  const got: Uint8Array[] = [];
  const srv = await HilServer.start({ profile: p, image: flash(readFileSync(DEFAULT_FLIGHT_WASM), p, "t"), busPort: 0, caduPort: 0, tc: { port: 0, onTcFrame: (f) => got.push(f) } });
  try {
    const ground = await UplinkClient.connect({ port: srv.tcPort, scid });
    assert.equal((await ground.initiate("set-vr", 17))?.reportValue, 17);
    const c = await ground.send(Uint8Array.of(1), Uint8Array.of(2), Uint8Array.of(3), Uint8Array.of(4), Uint8Array.of(5), Uint8Array.of(6), Uint8Array.of(7));
    assert.equal(c?.reportValue, 24);
    assert.deepEqual(got.map((f) => { const q = parseTcFrame(f); return q.ok ? [q.frame.seq, q.frame.data[0]] : null; }), [[17, 1], [18, 2], [19, 3], [20, 4], [21, 5], [22, 6], [23, 7]]);
    // another client (or a stale ground) puts the FARM in lockout
    const rogue = connect(srv.tcPort, "127.0.0.1");
    await once(rogue, "connect");
    const rr = new Replies(rogue);
    rogue.write(buildCltu(buildTcFrame({ bypass: false, controlCommand: false, scid, vcid: 1, seq: 200, data: Uint8Array.of(9) })));
    assert.equal((await rr.take(1))[0].lockout, true);
    rogue.end();
    await assert.rejects(ground.send(Uint8Array.of(8)), (e: unknown) => e instanceof UplinkError && e.alert === "lockout");
    assert.equal((await ground.initiate("unlock"))?.lockout, false);
    await ground.send(Uint8Array.of(9));
    const last = parseTcFrame(got[got.length - 1]);
    assert.ok(last.ok); assert.deepEqual(last.frame.data, Uint8Array.of(9)); assert.equal(last.frame.seq, 24);
    const bdBefore = got.length;
    const afterBd = await ground.sendBypass(Uint8Array.of(0x42));
    assert.equal(got.length, bdBefore + 1);
    assert.equal(afterBd?.reportValue, 25);
    ground.close();
  } finally {
    await srv.close();
  }
});

test("[tengri §serve] --tc-vcid without --tc-port, and a --tc-port equal to the bus port, are one-line usage errors (exit 2)", () => {
  const run = (args: string[]) => spawnSync(process.execPath, [BIN, "serve", "--profile", "cubesat-mcu", ...args], { encoding: "utf8", timeout: 60_000, env: { ...process.env, TENGRI_FROM_SOURCE: "1" } });
  const a = run(["--tc-vcid", "3"]);
  assert.equal(a.status, 2); assert.match(a.stderr, /--tc-vcid, --tc-randomizer and --tc-no-reply need --tc-port/); assert.doesNotMatch(a.stderr, /\n\s+at /);
  const b = run(["--bus-port", "5999", "--tc-port", "5999"]);
  assert.equal(b.status, 2); assert.match(b.stderr, /--tc-port and --bus-port are both 5999/);
  const c = run(["--tc-port", "3", "--tc-vcid", "64"]);
  assert.equal(c.status, 2); assert.match(c.stderr, /tc-vcid/);
});
