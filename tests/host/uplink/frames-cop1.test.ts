// TC transfer frames (232.0-B-4 §4.1), the CLCW (§4.2), FARM-1 and FOP-1 (232.1-B-2), and the OBC's
// receiver composing them with the CLTU layer: hostile frames refused by field, lockout and its
// recovery, retransmission driven by the CLCW.
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildTcFrame, parseTcFrame, TcFrameError, TC_MAX_DATA, setVrCommand, UNLOCK, parseControlCommand } from "../../../host/uplink/tc-frame.ts";
import { Farm1, Fop1, encodeClcw, decodeClcw, type Clcw } from "../../../host/uplink/cop1.ts";
import { buildCltu } from "../../../host/uplink/cltu.ts";
import { crc16 } from "../../../host/util/crc16.ts";
import { UplinkReceiver, acceptCltus } from "../../../host/uplink/receiver.ts";
import { mulberry32 } from "../../../host/sensor/prng.ts";

const SCID = 0x2a5, VC = 1;
const ad = (seq: number, data = Uint8Array.of(seq)) => buildTcFrame({ bypass: false, controlCommand: false, scid: SCID, vcid: VC, seq, data });
const bd = (data: Uint8Array) => buildTcFrame({ bypass: true, controlCommand: false, scid: SCID, vcid: VC, seq: 0, data });
const bc = (cmd: Uint8Array) => buildTcFrame({ bypass: true, controlCommand: true, scid: SCID, vcid: VC, seq: 0, data: cmd });
const refix = (f: Uint8Array) => { const c = crc16(f.subarray(0, f.length - 2)); f[f.length - 2] = c >>> 8; f[f.length - 1] = c & 0xff; return f; };

test("[232.0-B-4 §4.1.2] TC frame header by hand: AD, SCID 0x2A5, VCID 1, 3 data octets → 02 A5 04 09 07 ‖ data ‖ FECF; parse gives the fields back", () => {
  const f = buildTcFrame({ bypass: false, controlCommand: false, scid: 0x2a5, vcid: 1, seq: 7, data: Uint8Array.of(0xaa, 0xbb, 0xcc) });
  assert.equal(Buffer.from(f.subarray(0, 5)).toString("hex"), "02a5040907");
  assert.equal(f.length, 10);
  assert.equal((f[8] << 8) | f[9], crc16(f.subarray(0, 8)));
  const p = parseTcFrame(f, { scid: 0x2a5, vcids: [1] });
  assert.ok(p.ok);
  assert.deepEqual(p.frame, { bypass: false, controlCommand: false, scid: 0x2a5, vcid: 1, seq: 7, data: Uint8Array.of(0xaa, 0xbb, 0xcc) });
  assert.equal(p.type, "AD");
  const bcF = parseTcFrame(bc(setVrCommand(200)));
  assert.ok(bcF.ok && bcF.type === "BC");
  assert.deepEqual(parseControlCommand(bcF.ok ? bcF.frame.data : new Uint8Array()), { kind: "set-vr", vr: 200 });
});

test("[232.0-B-4 §4.1.2.7] frame length limits: 1024 octets built and parsed, 1025 refused naming the data field; out-of-range header values refused by name", () => {
  const max = buildTcFrame({ bypass: false, controlCommand: false, scid: 1, vcid: 1, seq: 0, data: new Uint8Array(TC_MAX_DATA) });
  assert.equal(max.length, 1024);
  assert.ok(parseTcFrame(max).ok);
  const err = (f: () => unknown, field: string) => assert.throws(f, (e: unknown) => e instanceof TcFrameError && e.field === field);
  err(() => buildTcFrame({ bypass: false, controlCommand: false, scid: 1, vcid: 1, seq: 0, data: new Uint8Array(TC_MAX_DATA + 1) }), "data");
  err(() => buildTcFrame({ bypass: false, controlCommand: false, scid: 1, vcid: 1, seq: 0, data: new Uint8Array(0) }), "data");
  err(() => buildTcFrame({ bypass: false, controlCommand: false, scid: 1024, vcid: 1, seq: 0, data: Uint8Array.of(1) }), "scid");
  err(() => buildTcFrame({ bypass: false, controlCommand: false, scid: 1, vcid: 64, seq: 0, data: Uint8Array.of(1) }), "vcid");
  err(() => buildTcFrame({ bypass: false, controlCommand: false, scid: 1, vcid: 1, seq: 256, data: Uint8Array.of(1) }), "seq");
  err(() => buildTcFrame({ bypass: false, controlCommand: true, scid: 1, vcid: 1, seq: 0, data: Uint8Array.of(1) }), "controlCommand");
});

test("[232.0-B-4 §4.1] hostile frames are refused with the field at fault, FECF correct: inconsistent length, version, spare, type, SCID, VCID; a wrong FECF; never a throw on random bytes", () => {
  const good = ad(3, Uint8Array.of(1, 2, 3, 4));
  const field = (b: Uint8Array, x = { scid: SCID, vcids: [VC] }) => { const p = parseTcFrame(b, x); return p.ok ? "ok" : p.field; };
  assert.equal(field(good), "ok");
  // length field one short / one long, FECF recomputed over the whole bytes: still refused
  const shortLen = good.slice(); shortLen[3] -= 1; refix(shortLen);
  assert.equal(field(shortLen), "frameLength");
  const longLen = good.slice(); longLen[3] += 1; refix(longLen);
  assert.equal(field(longLen), "frameLength");
  const v = good.slice(); v[0] |= 0x40; refix(v); assert.equal(field(v), "version");
  const s = good.slice(); s[0] |= 0x04; refix(s); assert.equal(field(s), "spare");
  const t = good.slice(); t[0] |= 0x10; refix(t); assert.equal(field(t), "type");
  assert.equal(field(buildTcFrame({ bypass: false, controlCommand: false, scid: SCID + 1, vcid: VC, seq: 0, data: Uint8Array.of(1) })), "scid");
  assert.equal(field(buildTcFrame({ bypass: false, controlCommand: false, scid: SCID, vcid: 2, seq: 0, data: Uint8Array.of(1) })), "vcid");
  const fecf = good.slice(); fecf[6] ^= 1; assert.equal(field(fecf), "fecf");
  assert.equal(field(good.subarray(0, 7)), "length");
  // fill after the frame: allowed only when asked (a CLTU's last block), at most as many as asked
  const filled = Buffer.concat([good, Uint8Array.of(0x55, 0x55)]);
  assert.equal(field(filled), "frameLength");
  assert.ok(parseTcFrame(filled, { trailingFill: 6 }).ok);
  const rnd = mulberry32(21);
  for (let k = 0; k < 3000; k++) {
    const b = new Uint8Array(Math.floor(rnd() * 40)).map(() => Math.floor(rnd() * 256));
    const p = parseTcFrame(b, { scid: SCID, vcids: [VC], trailingFill: 6 });
    assert.equal(typeof p.ok, "boolean");
  }
});

test("[232.0-B-4 §4.2] CLCW by hand: COP-1, VCID 1, lockout, FARM-B 3, V(R) 0x42 → 01 04 26 42; decode gives it back; a type-1 word is refused", () => {
  const c: Clcw = { status: 0, cop: 1, vcid: 1, noRf: false, noBitLock: false, lockout: true, wait: false, retransmit: false, farmB: 3, reportValue: 0x42 };
  assert.equal(Buffer.from(encodeClcw(c)).toString("hex"), "01042642");
  const d = decodeClcw(encodeClcw(c));
  assert.ok(d.ok); assert.deepEqual(d.clcw, c);
  const all: Clcw = { status: 5, cop: 1, vcid: 63, noRf: true, noBitLock: true, lockout: false, wait: true, retransmit: true, farmB: 2, reportValue: 255 };
  assert.deepEqual((decodeClcw(encodeClcw(all)) as { clcw: Clcw }).clcw, all);
  const bad = decodeClcw(Uint8Array.of(0x81, 0, 0, 0));
  assert.ok(!bad.ok && bad.field === "type");
  assert.ok(!decodeClcw(Uint8Array.of(1, 2, 3)).ok);
});

function frameOf(b: Uint8Array) { const p = parseTcFrame(b); if (!p.ok) throw new Error(p.message); return p.frame; }

test("[232.1-B-2 §6] FARM-1 window (W=10: PW=NW=5): N(S)=V(R) accepted; ahead by 1..4 discarded with retransmit; behind by 1..5 discarded; anything else locks out", () => {
  const farm = new Farm1({ vcid: VC, window: 10, initialVr: 250 });
  assert.equal(farm.frame(frameOf(ad(250))).accept, true);
  assert.equal(farm.vr, 251);
  for (const d of [1, 2, 3, 4]) {
    const v = farm.frame(frameOf(ad((251 + d) & 0xff)));
    assert.equal(v.accept, false); assert.equal(farm.retransmit, true); assert.equal(farm.state, "open");
  }
  assert.equal(farm.frame(frameOf(ad(251))).accept, true);
  assert.equal(farm.retransmit, false);
  for (const d of [1, 2, 3, 4, 5]) assert.equal(farm.frame(frameOf(ad((252 - d) & 0xff))).accept, false);
  assert.equal(farm.counters.discardedBehind, 5);
  assert.equal(farm.state, "open");
  // wrap-around: V(R) 252; N(S) 0 is ahead by 4 (still the positive window), 1 by 5: lockout
  assert.equal(farm.frame(frameOf(ad(0))).accept, false);
  assert.equal(farm.state, "open");
  assert.equal(farm.frame(frameOf(ad(1))).accept, false);
  assert.equal(farm.state, "lockout");
  assert.equal(farm.counters.lockouts, 1);
  assert.deepEqual(encodeClcw(farm.clcw())[2] & 0x20, 0x20);
});

test("[232.1-B-2 §6] FARM-1 lockout: AD frames discarded (even N(S)=V(R)), BD accepted, Set V(R) without effect; Unlock recovers and AD frames flow again; FARM-B counts BD and BC", () => {
  const farm = new Farm1({ vcid: VC, initialVr: 10 });
  farm.frame(frameOf(ad(100)));
  assert.equal(farm.state, "lockout");
  assert.equal(farm.frame(frameOf(ad(10))).accept, false);
  assert.equal(farm.counters.discardedInLockout, 1);
  assert.deepEqual(farm.frame(frameOf(bd(Uint8Array.of(9)))), { accept: true, type: "BD" });
  assert.deepEqual(farm.frame(frameOf(bc(setVrCommand(50)))), { accept: true, type: "BC", command: "set-vr" });
  assert.equal(farm.vr, 10); assert.equal(farm.state, "lockout");
  assert.deepEqual(farm.frame(frameOf(bc(UNLOCK))), { accept: true, type: "BC", command: "unlock" });
  assert.equal(farm.state, "open"); assert.equal(farm.lockout, false);
  assert.equal(farm.farmB, 3);
  assert.equal(farm.frame(frameOf(ad(10))).accept, true);
  assert.deepEqual(farm.frame(frameOf(bc(setVrCommand(50)))), { accept: true, type: "BC", command: "set-vr" });
  assert.equal(farm.vr, 50);
  assert.equal(farm.frame(frameOf(ad(50))).accept, true);
  assert.equal(farm.frame(frameOf(bc(Uint8Array.of(0x82, 0x01, 0)))).accept, false);
  assert.equal(farm.counters.invalidDirectives, 1);
  assert.equal(farm.clcw().farmB, 4 & 3); // BD, Set V(R), Unlock, Set V(R): 4 accepted
});

test("[232.1-B-2 §6] FARM-1 wait: with its buffer full, N(S)=V(R) is discarded with wait and retransmit set; the buffer's release clears the wait", () => {
  const farm = new Farm1({ vcid: VC, bufferFrames: 1 });
  assert.equal(farm.frame(frameOf(ad(0))).accept, true);
  assert.equal(farm.frame(frameOf(ad(1))).accept, false);
  assert.equal(farm.state, "wait");
  const c = farm.clcw(); assert.equal(c.wait, true); assert.equal(c.retransmit, true); assert.equal(c.reportValue, 1);
  farm.release();
  assert.equal(farm.state, "open");
  assert.equal(farm.frame(frameOf(ad(1))).accept, true);
  assert.equal(farm.clcw().retransmit, false);
});

test("[232.0-B-4 §4.1] OBC receiver (acceptCltus, through CLTUs of 231.0-B-4): a frame in a CLTU with fill is delivered whole without the fill; wrong SCID, wrong VCID, a length the CLTU data cannot hold and a bad FECF are refused and counted", () => {
  const f = ad(0, Uint8Array.of(1, 2, 3, 4, 5, 6));
  const r = acceptCltus(buildCltu(f), { scid: SCID });
  assert.equal(r.frames.length, 1); assert.deepEqual(r.frames[0], f);
  assert.equal(r.clcw.reportValue, 1);
  const wrongScid = buildTcFrame({ bypass: false, controlCommand: false, scid: 5, vcid: VC, seq: 0, data: Uint8Array.of(1) });
  const wrongVc = buildTcFrame({ bypass: false, controlCommand: false, scid: SCID, vcid: 7, seq: 0, data: Uint8Array.of(1) });
  const long = ad(0, new Uint8Array(10)); long[3] += 7; refix(long); // claims 7 octets more than the CLTU holds
  const short = ad(0, new Uint8Array(20)); short[3] -= 7; refix(short); // the frame ends a whole block before the data
  const badFecf = ad(0); badFecf[5] ^= 0xff;
  const stream = Buffer.concat([wrongScid, wrongVc, long, short, badFecf].map((x) => buildCltu(x)));
  const q = acceptCltus(stream, { scid: SCID });
  assert.equal(q.frames.length, 0);
  assert.deepEqual(q.counters.framesRefused, { length: 0, version: 0, spare: 0, frameLength: 2, fecf: 1, type: 0, scid: 1, vcid: 1 });
  assert.equal(q.events.length, 5);
  assert.match(q.events[0].outcome, /refused \(scid\)/);
});

test("[232.1-B-2 §5 §6] the ground's FOP-1 and the OBC's FARM-1 over CLTUs with a third of the CLTUs cut short or corrupted: every AD frame delivered once, in order", () => {
  for (const randomize of [false, true]) {
    const rx = new UplinkReceiver({ scid: SCID, randomize });
    const fop = new Fop1({ scid: SCID, vcid: VC, transmissionLimit: 10, t1: 3 });
    fop.initiateWithSetVr(200);
    const sent = Array.from({ length: 40 }, (_, i) => Uint8Array.of(i, i ^ 0x5a, 7));
    for (const s of sent) fop.send(s);
    const got: Uint8Array[] = [];
    const rnd = mulberry32(randomize ? 31 : 32);
    for (let step = 0; step < 500 && (fop.outstanding > 0 || fop.state !== "active"); step++) {
      for (const fr of fop.poll()) {
        let cltu = buildCltu(fr, { randomize });
        const fate = rnd();
        if (fate < 0.2) cltu = cltu.subarray(0, 10); // cut after its first block: the tail is lost
        else if (fate < 0.33) { cltu = cltu.slice(); cltu[5] ^= 0x11; } // 2 bit errors: the block is rejected
        const o = rx.push(cltu);
        got.push(...o.frames);
        for (const e of o.events) { const c = decodeClcw(e.clcw); assert.ok(c.ok); fop.clcw(c.clcw); }
      }
      fop.tick();
    }
    assert.equal(fop.alert, null);
    assert.equal(got.length, sent.length);
    got.forEach((g, i) => { const p = parseTcFrame(g); assert.ok(p.ok); assert.deepEqual(p.frame.data, sent[i]); assert.equal(p.frame.seq, (200 + i) & 0xff); });
    assert.ok(fop.counters.adRetransmitted > 0);
    assert.equal(rx.counters().farm.lockouts, 0);
  }
});

test("[232.1-B-2 §5] FOP-1: a lockout reported by the CLCW is an alert; initiate with Unlock recovers and the FOP goes on from the FARM's V(R); the transmission limit is an alert", () => {
  const rx = new UplinkReceiver({ scid: SCID });
  rx.push(buildCltu(ad(77))); // N(S) far outside the window: lockout
  assert.equal(rx.clcw().lockout, true);
  const fop = new Fop1({ scid: SCID, vcid: VC });
  fop.initiate(0);
  fop.send(Uint8Array.of(1));
  for (const fr of fop.poll()) for (const e of rx.push(buildCltu(fr)).events) fop.clcw((decodeClcw(e.clcw) as { clcw: Clcw }).clcw);
  assert.equal(fop.alert, "lockout"); assert.equal(fop.state, "initial");
  fop.initiateWithUnlock();
  for (const fr of fop.poll()) for (const e of rx.push(buildCltu(fr)).events) fop.clcw((decodeClcw(e.clcw) as { clcw: Clcw }).clcw);
  assert.equal(fop.state, "active"); assert.equal(rx.clcw().lockout, false);
  fop.send(Uint8Array.of(2));
  let delivered = 0;
  for (const fr of fop.poll()) for (const e of [rx.push(buildCltu(fr))]) { delivered += e.frames.length; for (const ev of e.events) fop.clcw((decodeClcw(ev.clcw) as { clcw: Clcw }).clcw); }
  assert.equal(delivered, 1); assert.equal(fop.outstanding, 0);
  // nothing ever arrives: T1 runs out transmissionLimit times
  const lonely = new Fop1({ scid: SCID, vcid: VC, transmissionLimit: 3, t1: 2 });
  lonely.initiate(0); lonely.send(Uint8Array.of(1));
  let frames = 0;
  for (let i = 0; i < 20 && lonely.alert === null; i++) { frames += lonely.poll().length; lonely.tick(); }
  assert.equal(lonely.alert, "t1"); assert.equal(frames, 3);
});

test("[232.1-B-2 §6] FARM-1 against an independent implementation (dariol83/ccsds FarmEngine, Apache-2.0; its CLCWs stored as data): the same CLCW after every frame of 12 random sequences (AD in and out of window, BD, Unlock, Set V(R), windows 2..40)", async () => {
  const { readFileSync } = await import("node:fs");
  const v = JSON.parse(readFileSync(new URL("./farm-dariolucia.json", import.meta.url), "utf8")) as { source: { commit: string }; sequences: { window: number; vr: number; steps: [string, string][] }[] };
  assert.equal(v.sequences.length, 12);
  const seen = { lockout: 0, retransmit: 0, unlock: 0, setVr: 0, bd: 0 };
  for (const s of v.sequences) {
    const farm = new Farm1({ vcid: VC, window: s.window, initialVr: s.vr });
    for (const [frameHex, clcwHex] of s.steps) {
      const p = parseTcFrame(new Uint8Array(Buffer.from(frameHex, "hex")));
      assert.ok(p.ok);
      const r = farm.frame(p.frame);
      farm.release();
      assert.equal(Buffer.from(encodeClcw(farm.clcw())).toString("hex"), clcwHex, `window ${s.window}, frame ${frameHex}`);
      if (farm.lockout) seen.lockout++;
      if (farm.retransmit) seen.retransmit++;
      if (r.accept && r.type === "BC") seen[r.command === "unlock" ? "unlock" : "setVr"]++;
      if (r.accept && r.type === "BD") seen.bd++;
    }
  }
  for (const [k, n] of Object.entries(seen)) assert.ok(n > 10, `${k} exercised ${n} times`);
});

test("[232.0-B-4 §4.1] OBC receiver on 2 × 1,000 CLTUs, half of them damaged (bit flips, cuts, duplicated and dropped octets): never a throw, one event per CLTU that ends, and every frame it delivers is one that was sent, intact", () => {
  const rnd = mulberry32(41);
  for (const randomize of [false, true]) {
    const rx = new UplinkReceiver({ scid: SCID, randomize });
    const sent = new Set<string>();
    const parts: Uint8Array[] = [];
    for (let i = 0; i < 1000; i++) {
      const kind = rnd();
      const f = kind < 0.7 ? ad(i & 0xff, new Uint8Array(1 + Math.floor(rnd() * 40)).map(() => Math.floor(rnd() * 256)))
        : kind < 0.85 ? bd(Uint8Array.of(i & 0xff, 1)) : bc(rnd() < 0.5 ? UNLOCK : setVrCommand(i & 0xff));
      sent.add(Buffer.from(f).toString("hex"));
      const c = buildCltu(f, { randomize }).slice();
      const m = rnd();
      if (m < 0.3) for (let k = 1 + Math.floor(rnd() * 3); k > 0; k--) { const bit = Math.floor(rnd() * c.length * 8); c[bit >>> 3] ^= 0x80 >>> (bit & 7); }
      else if (m < 0.4) { parts.push(c.subarray(0, Math.floor(rnd() * c.length))); continue; }
      else if (m < 0.45) { const at = Math.floor(rnd() * c.length); parts.push(Buffer.concat([c.subarray(0, at), c.subarray(at + 1)])); continue; }
      else if (m < 0.5) { const at = Math.floor(rnd() * c.length); parts.push(Buffer.concat([c.subarray(0, at + 1), c.subarray(at)])); continue; }
      parts.push(c);
    }
    const stream = Buffer.concat(parts);
    const out = { frames: [] as Uint8Array[], events: 0 };
    for (let i = 0; i < stream.length; i += 97) { const o = rx.push(stream.subarray(i, i + 97)); out.frames.push(...o.frames); out.events += o.events.length; }
    const e = rx.end(); out.frames.push(...e.frames); out.events += e.events.length;
    const c = rx.counters();
    assert.equal(out.events, c.cltu.cltus);
    assert.equal(c.delivered, out.frames.length);
    for (const f of out.frames) assert.ok(sent.has(Buffer.from(f).toString("hex")), `delivered a frame never sent: ${Buffer.from(f).toString("hex")}`);
    assert.ok(out.frames.length > 50, `${out.frames.length} delivered`);
    assert.ok(c.cltu.blocksCorrected > 0 && c.cltu.blocksRejected > 0 && c.farm.lockouts > 0);
  }
});

test("[232.0-B-4 §4.1] acceptCltus(bytes) with no options: VCID 1, any spacecraft, FARM-1 from V(R) 0; a frame on another VCID refused", () => {
  const a = buildTcFrame({ bypass: false, controlCommand: false, scid: 7, vcid: 1, seq: 0, data: Uint8Array.of(5) });
  const b = buildTcFrame({ bypass: false, controlCommand: false, scid: 9, vcid: 1, seq: 1, data: Uint8Array.of(6) });
  const c = buildTcFrame({ bypass: false, controlCommand: false, scid: 9, vcid: 2, seq: 2, data: Uint8Array.of(7) });
  const r = acceptCltus(Buffer.concat([a, b, c].map((f) => buildCltu(f))));
  assert.deepEqual(r.frames, [a, b]);
  assert.equal(r.clcw.reportValue, 2);
  assert.equal(r.counters.framesRefused.vcid, 1);
});

test("[232.1-B-2 §5] FOP-1 with a data field built from the frame's own header (as an SDLS MAC over the primary header needs): the header given is the one sent, each builder runs once even when its frame is retransmitted", async () => {
  const { createHmac } = await import("node:crypto");
  const key = new Uint8Array(32).fill(7);
  const mac = (h: Uint8Array, pkt: Uint8Array) => createHmac("sha256", key).update(h).update(pkt).digest().subarray(0, 16);
  const rx = new UplinkReceiver({ scid: SCID });
  const fop = new Fop1({ scid: SCID, vcid: VC, t1: 1, transmissionLimit: 5 });
  fop.initiate(0);
  let builds = 0;
  const pkts = [Uint8Array.of(1, 2, 3), Uint8Array.of(4, 5), Uint8Array.of(6)];
  for (const pkt of pkts) fop.send({ length: pkt.length + 16, build: (h) => { builds++; return Buffer.concat([pkt, mac(h, pkt)]); } });
  const got: Uint8Array[] = [];
  let first = true;
  for (let step = 0; step < 20 && fop.outstanding > 0; step++) {
    for (const f of fop.poll()) {
      if (first) { first = false; continue; } // the first frame is lost: the others are ahead, all go again
      const o = rx.push(buildCltu(f));
      got.push(...o.frames);
      for (const e of o.events) fop.clcw((decodeClcw(e.clcw) as { clcw: Clcw }).clcw);
    }
    fop.tick();
  }
  assert.equal(builds, 3);
  assert.ok(fop.counters.adRetransmitted >= 3);
  assert.equal(got.length, 3);
  got.forEach((f, i) => {
    const d = f.subarray(5, f.length - 2);
    assert.deepEqual(d.subarray(0, pkts[i].length), pkts[i]);
    assert.deepEqual(d.subarray(pkts[i].length), new Uint8Array(mac(f.subarray(0, 5), pkts[i])), `frame ${i}: the MAC verifies over the header it was sent with`);
  });
  assert.throws(() => fop.send({ length: 0, build: () => new Uint8Array(0) }), RangeError);
});
