// The CLCW in the downlink, ground side (host/ground/clcw.ts): the OCF word decoded against
// CCSDS 232.0-B-4 §4.2's layout, dariol83/ccsds's vectors (ClcwBuilderTest, ClcwTest; read from
// its repository, not copied code) and the OBC's encoder (host/uplink/cop1.ts); the CLCW series of
// a stream of CADUs; and a FOP-1 (232.1-B-2 §5) driven only by the CLCW it reads in the downlink,
// closing the loop with a FARM-1 through lost frames (retransmit), a full buffer (wait) and lockout.
import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeOcfClcw, ClcwSeries, DownlinkClcw, clcwHex, type OcfClcw } from "../../../host/ground/clcw.ts";
import { encodeClcw, decodeClcw, Farm1, Fop1, type Clcw } from "../../../host/uplink/cop1.ts";
import { parseTcFrame, buildTcFrame } from "../../../host/uplink/tc-frame.ts";
import { LinkDecoder, type LinkConfig } from "../../../host/ground/link-decoder.ts";
import { LinkBuilder, concat, rng } from "./link-builder.ts";

const word = (b: Uint8Array) => ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
const fields = (c: OcfClcw | Clcw) => ({ status: c.status, cop: c.cop, vcid: c.vcid, noRf: c.noRf, noBitLock: c.noBitLock, lockout: c.lockout, wait: c.wait, retransmit: c.retransmit, farmB: c.farmB, reportValue: c.reportValue });

test("[tengri §clcw] [232.0-B-4 §4.2.1] the OCF word as a CLCW: dariol83/ccsds's vectors (01 00 A6 89, 00 02 A6 89, 00 02 D0 D4) decode to its fields; type 1 and versions 1..3 are not CLCWs", () => {
  // ClcwBuilderTest.testClcwEncoding: COP-1, VCID 0, no RF, lockout, FARM-B 3, report value 137.
  const a = decodeOcfClcw(0x0100a689);
  assert.ok(a.ok);
  assert.deepEqual(fields(a.clcw), { status: 0, cop: 1, vcid: 0, noRf: true, noBitLock: false, lockout: true, wait: false, retransmit: false, farmB: 3, reportValue: 137 });
  // ClcwTest: FIRST_CLCW 0002A689 (COP none, spare 2, report 137, FARM-B 3), SECOND_CLCW 0002D0D4 (report 212, FARM-B 0).
  const b = decodeOcfClcw(0x0002a689), c = decodeOcfClcw(0x0002d0d4);
  assert.ok(b.ok && c.ok);
  assert.deepEqual([b.clcw.cop, b.clcw.status, b.clcw.reportValue, b.clcw.farmB], [0, 0, 137, 3]);
  assert.deepEqual([c.clcw.cop, c.clcw.status, c.clcw.reportValue, c.clcw.farmB], [0, 0, 212, 0]);
  const t = decodeOcfClcw(0x8100a689);
  assert.ok(!t.ok && t.field === "type");
  for (const v of [1, 2, 3]) { const x = decodeOcfClcw(((v << 29) | 0x0104_0805) >>> 0); assert.ok(!x.ok && x.field === "version", `version ${v}`); }
  assert.equal(clcwHex(0x0100a689), "0100a689");
});

test("[tengri §clcw] [232.0-B-4 §4.2] ground decoder and the OBC's CLCW encoder (host/uplink/cop1.ts) agree on every field, over 2000 random CLCWs and every single bit", () => {
  const r = rng(11);
  const cases: Clcw[] = [];
  for (let i = 0; i < 2000; i++) {
    cases.push({ status: Math.floor(r() * 8), cop: Math.floor(r() * 4), vcid: Math.floor(r() * 64), noRf: r() < 0.5, noBitLock: r() < 0.5, lockout: r() < 0.5, wait: r() < 0.5, retransmit: r() < 0.5, farmB: Math.floor(r() * 4), reportValue: Math.floor(r() * 256) });
  }
  for (const c of cases) {
    const w = word(encodeClcw(c));
    const g = decodeOcfClcw(w);
    assert.ok(g.ok);
    assert.deepEqual(fields(g.clcw), fields(c));
    const o = decodeClcw(encodeClcw(c));
    assert.ok(o.ok);
    assert.deepEqual(fields(o.clcw), fields(g.clcw));
  }
  // Each flag alone sits where §4.2.1.8 puts it: bits 16..20 of the word (bit 0 first).
  const one = (k: keyof Clcw) => word(encodeClcw({ status: 0, cop: 0, vcid: 0, noRf: false, noBitLock: false, lockout: false, wait: false, retransmit: false, farmB: 0, reportValue: 0, [k]: true }));
  assert.deepEqual(["noRf", "noBitLock", "lockout", "wait", "retransmit"].map((k) => one(k as keyof Clcw).toString(16)), ["8000", "4000", "2000", "1000", "800"]);
});

const TM: LinkConfig = { frameType: "tm", frameLen: 223, rsE: 16, rsDepth: 1, randomizer: true, fecf: true, ocf: false };
const AOS: LinkConfig = { frameType: "aos", frameLen: 892, rsE: 16, rsDepth: 4, randomizer: true, fecf: true, ocf: true };

test("[tengri §clcw] [132.0-B-3 §4.1.5] [732.0-B-4 §4.1.5] the CLCW series of a pass: every change with the CADU that first carried it, from TM (OCF flag) and AOS (managed OCF) frames; a type-1 report is counted, not taken; frames without an OCF carry none", () => {
  for (const cfg of [TM, AOS]) {
    const b = new LinkBuilder(cfg, { tmOcf: true, ocfValue: 0x01000000 });
    const words = [0x01000000, 0x01000000, 0x01040001, 0x01040001, 0x81234567, 0x01040809, 0x01042009, 0x01042009];
    const series = new ClcwSeries();
    const dec = new LinkDecoder(cfg, { onFrame: (f) => series.frame(f) });
    dec.push(concat(words.map((w, i) => { b.opts.ocfValue = w; return b.cadu(i % 3 === 2 ? b.idleFrame() : b.frame(1)); })));
    dec.end();
    const s = series.summary();
    assert.equal(s.framesWithOcf, 8, cfg.frameType);
    assert.equal(s.notClcw, 1);
    assert.deepEqual(s.changes.map((c) => [c.cadu, clcwHex(c.clcw.word)]), [[0, "01000000"], [2, "01040001"], [5, "01040809"], [6, "01042009"]]);
    assert.equal(s.last!.lockout, true);
    assert.equal(s.changes[2].clcw.retransmit, true);
  }
  // A TM frame without the OCF flag carries no OCF: nothing in the series.
  const b = new LinkBuilder(TM, { tmOcf: false });
  const series = new ClcwSeries();
  const dec = new LinkDecoder(TM, { onFrame: (f) => series.frame(f) });
  dec.push(b.cadu(b.frame(1)));
  dec.end();
  assert.equal(series.framesWithOcf, 0);
  assert.equal(series.last, null);
});

/**
 * A closed COP-1 loop with the CLCW in the downlink only: the ground's FOP-1 frames go up to a
 * FARM-1 (with `lose` dropping some on the way); after each uplink round the OBC's FARM CLCW is
 * put, `latency` frames late, in the OCF of the downlink's AOS frames, which the ground decodes
 * (DownlinkClcw, fed the CADUs) and hands to the FOP; T1 counts downlink frames.
 */
function loop(o: { lose?: (seq: number, n: number) => boolean; bufferFrames?: number; latency?: number; framesPerRound?: number } = {}) {
  const scid = 0x9d, vcid = 1;
  const farm = new Farm1({ vcid, window: 10, bufferFrames: o.bufferFrames });
  const fop = new Fop1({ scid, vcid, window: 5, transmissionLimit: 3, t1: 1 });
  const b = new LinkBuilder(AOS, { ocfValue: 0x01000000 });
  const dl = new DownlinkClcw(AOS, vcid);
  const delivered: number[] = [];
  const ocfLine: number[] = [];          // the OCF of the next downlink frames (the latency pipeline)
  const sent = new Map<number, number>();
  let released = true;
  return {
    farm, fop, dl, delivered,
    hold() { released = false; }, release() { released = true; },
    /** One round: FOP frames up, downlink frames down, one CLCW (or T1) to the FOP. */
    async round(): Promise<OcfClcw | "t1"> {
      for (const f of fop.poll()) {
        const p = parseTcFrame(f, { scid, vcids: [vcid] });
        assert.ok(p.ok);
        const n = (sent.get(p.frame.seq) ?? 0) + 1;
        sent.set(p.frame.seq, n);
        if (!p.frame.bypass && o.lose?.(p.frame.seq, n)) continue;
        const v = farm.frame(p.frame);
        if (v.accept && v.type === "AD") { delivered.push(p.frame.seq); if (released) farm.release(); }
      }
      const clcw = word(encodeClcw(farm.clcw()));
      for (let i = 0; i < (o.latency ?? 3); i++) ocfLine.push(ocfLine.length ? ocfLine[ocfLine.length - 1] : 0x01000000);
      ocfLine.push(clcw);
      const frames: Uint8Array[] = [];
      for (let i = 0; i < (o.framesPerRound ?? 16); i++) { b.opts.ocfValue = ocfLine.length > 1 ? ocfLine.shift()! : ocfLine[0]; frames.push(b.cadu(b.frame(2))); }
      dl.push(concat(frames));
      const r = await dl.next(16, 2000);
      if (r === "t1") fop.tick(); else fop.clcw(r);
      return r;
    },
    async until(cond: () => boolean, max = 200): Promise<number> {
      for (let i = 0; i < max; i++) { if (cond()) return i; await this.round(); }
      throw new Error(`no progress after ${max} rounds: FOP ${fop.state}, alert ${fop.alert}, V(S) ${fop.vs}, NN(R) ${fop.nnr}, FARM V(R) ${farm.vr} ${farm.state}`);
    },
  };
}

const data = (i: number) => Uint8Array.of(0x10, i);

test("[tengri §clcw] [232.1-B-2 §5] FOP-1 driven by the downlink CLCW: Set V(R) completes when the OCF reports it, 12 AD frames in windows of 5 are each acknowledged once, in order", async () => {
  const L = loop();
  L.fop.initiateWithSetVr(7);
  await L.until(() => L.fop.state === "active");
  assert.equal(L.farm.vr, 7);
  for (let i = 0; i < 12; i++) L.fop.send(data(i));
  await L.until(() => L.fop.outstanding === 0);
  assert.deepEqual(L.delivered, Array.from({ length: 12 }, (_, i) => (7 + i) & 0xff));
  assert.equal(L.fop.counters.acknowledged, 12);
  assert.equal(L.fop.counters.adRetransmitted, 0);
  assert.equal(L.fop.alert, null);
  const s = L.dl.series.summary();
  assert.ok(s.changes.length >= 3, "the V(R) steps were seen in the downlink");
  assert.equal(s.last!.reportValue, 19);
});

test("[tengri §clcw] [232.1-B-2 §5] [232.0-B-4 §4.2.1.8.6] a frame lost on the uplink: the FARM's retransmit flag arrives in the downlink, the FOP sends again from N(R), every frame is delivered once and in order", async () => {
  const L = loop({ lose: (seq, n) => seq === 2 && n === 1 });
  L.fop.initiateWithSetVr(0);
  await L.until(() => L.fop.state === "active");
  for (let i = 0; i < 5; i++) L.fop.send(data(i));
  await L.until(() => L.fop.outstanding === 0);
  assert.deepEqual(L.delivered, [0, 1, 2, 3, 4]);
  assert.ok(L.fop.counters.adRetransmitted >= 3, "frames 2, 3, 4 sent again");
  assert.ok(L.dl.series.summary().changes.some((c) => c.clcw.retransmit && c.clcw.reportValue === 2), "the downlink showed retransmit with V(R) 2");
  assert.equal(L.fop.alert, null);
});

test("[tengri §clcw] [232.1-B-2 §5] [232.0-B-4 §4.2.1.8.5] the wait flag in the downlink: the FOP holds while the FARM has no buffer, and goes on when the flag clears", async () => {
  const L = loop({ bufferFrames: 1 });
  L.fop.initiateWithSetVr(0);
  await L.until(() => L.fop.state === "active");
  L.hold();                                        // the payload does not take frames out of the buffer
  for (let i = 0; i < 3; i++) L.fop.send(data(i));
  await L.until(() => L.fop.state === "retransmit-with-wait");
  assert.deepEqual(L.delivered, [0]);
  assert.ok(L.dl.series.summary().changes.some((c) => c.clcw.wait), "the downlink showed wait");
  const sentBefore = L.fop.counters.adSent + L.fop.counters.adRetransmitted;
  for (let i = 0; i < 5; i++) await L.round();
  assert.equal(L.fop.counters.adSent + L.fop.counters.adRetransmitted, sentBefore, "nothing sent while the FARM waits");
  L.release(); L.farm.release();
  await L.until(() => L.fop.outstanding === 0);
  assert.deepEqual(L.delivered, [0, 1, 2]);
  assert.equal(L.fop.alert, null);
});

test("[tengri §clcw] [232.1-B-2 §5] [232.0-B-4 §4.2.1.8.4] lockout seen in the downlink is a FOP alert; Unlock, acknowledged by the OCF (no lockout, FARM-B counter advanced), lets sending go on", async () => {
  const L = loop();
  L.fop.initiateWithSetVr(0);
  await L.until(() => L.fop.state === "active");
  // A stray AD frame far outside the window (another sender) puts the FARM in lockout.
  const p = parseTcFrame(buildTcFrame({ bypass: false, controlCommand: false, scid: 0x9d, vcid: 1, seq: 100, data: data(0) }));
  assert.ok(p.ok);
  L.farm.frame(p.frame);
  assert.equal(L.farm.state, "lockout");
  L.fop.send(data(1));
  await L.until(() => L.fop.alert !== null);
  assert.equal(L.fop.alert, "lockout");
  assert.equal(L.dl.series.last!.lockout, true);
  L.fop.initiateWithUnlock();
  await L.until(() => L.fop.state === "active");
  assert.equal(L.dl.series.last!.lockout, false);
  L.fop.send(data(2));
  await L.until(() => L.fop.outstanding === 0);
  assert.deepEqual(L.delivered, [0]);               // the frame sent after the unlock: N(S) = V(R) = 0
  assert.equal(L.fop.alert, null);
});

test("[tengri §clcw] [232.1-B-2 §5] no CLCW change in the downlink: T1 runs out in downlink frames, the FOP sends again up to its transmission limit, then alerts", async () => {
  const L = loop({ lose: () => true });            // the uplink loses everything
  L.fop.initiate(0);
  L.fop.send(data(0));
  await L.until(() => L.fop.alert !== null);
  assert.equal(L.fop.alert, "t1");
  assert.equal(L.fop.counters.adRetransmitted, 2, "sent 3 times in all (transmission limit 3)");
  assert.deepEqual(L.delivered, []);
});

test("[tengri §clcw] DownlinkClcw: a stream that carries no frames ends in a timeout naming the cause; a CLCW of another virtual channel is not handed out", async () => {
  const d = new DownlinkClcw(AOS, 1);
  await assert.rejects(d.next(16, 50), /no CLCW in the downlink within 50 ms/);
  const b = new LinkBuilder(AOS, { ocfValue: 0x01080003 });       // VCID 2
  d.push(concat([b.cadu(b.frame(1)), b.cadu(b.frame(1))]));
  await assert.rejects(d.next(16, 50), /within 50 ms/);
  b.opts.ocfValue = 0x01040003;                                    // VCID 1
  d.push(b.cadu(b.frame(1)));
  const c = await d.next(16, 50);
  assert.ok(c !== "t1" && c.vcid === 1 && c.reportValue === 3);
  d.end();
  await assert.rejects(d.next(16, 50), /the CADU stream ended/);
});

test("[tengri §clcw] decodeOcfClcw on 100 000 random words and the edges (0, 2^32 − 1, negative numbers as DecodedFrame never gives): never a throw; a CLCW exactly when bit 0 and bits 1–2 are zero", () => {
  const r = rng(5);
  const words = [0, 0xffffffff, 0x7fffffff, 0x80000000, 0x1fffffff, 0x20000000, -1, -0x7f000000];
  for (let i = 0; i < 100_000; i++) words.push(Math.floor(r() * 2 ** 32));
  for (const w of words) {
    const x = decodeOcfClcw(w);
    assert.equal(x.ok, ((w >>> 29) & 7) === 0, `word ${clcwHex(w)}`);
    if (x.ok) { assert.equal(x.clcw.word, w >>> 0); assert.ok(x.clcw.reportValue >= 0 && x.clcw.reportValue < 256 && x.clcw.vcid < 64); }
  }
});

test("[tengri §clcw] [132.0-B-3 §4.1.5] tengri decode reports the CLCW series of a stream whose frames carry an OCF (text and --json); a stream without OCF reports none", async () => {
  const { decodeCommand } = await import("../../../host/commands/decode.ts");
  const { mkdtempSync, writeFileSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const dir = mkdtempSync(join(tmpdir(), "tengri-clcw-decode-"));
  try {
    const b = new LinkBuilder(TM, { tmOcf: true });
    const words = [0x01000000, 0x01040001, 0x01040001, 0x01040801, 0x01040002];
    writeFileSync(join(dir, "a.cadu"), concat(words.map((w) => { b.opts.ocfValue = w; return b.cadu(b.frame(1)); })));
    const out = { s: "" };
    const io = { out: (x: string) => void (out.s += x), err: () => undefined };
    const args = [join(dir, "a.cadu"), "--frame", "tm", "--frame-length", "223", "--rs-depth", "1"];
    assert.equal(await decodeCommand(args, io), 0);
    assert.match(out.s, /CLCW in the OCF: 5 frames, 0 not a CLCW, 4 change\(s\) \(word@CADU\): 01000000@0 01040001@1 01040801@3 01040002@4/);
    out.s = "";
    assert.equal(await decodeCommand([...args, "--json"], io), 0);
    const j = JSON.parse(out.s);
    assert.deepEqual(j.clcw.changes.map((c: { word: string; retransmit: boolean }) => [c.word, c.retransmit]), [["01000000", false], ["01040001", false], ["01040801", true], ["01040002", false]]);
    const n = new LinkBuilder(TM, { tmOcf: false });
    writeFileSync(join(dir, "b.cadu"), n.cadu(n.frame(1)));
    out.s = "";
    assert.equal(await decodeCommand([join(dir, "b.cadu"), "--frame", "tm", "--frame-length", "223", "--rs-depth", "1", "--json"], io), 0);
    assert.equal(JSON.parse(out.s).clcw, undefined);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
