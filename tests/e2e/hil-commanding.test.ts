// The HIL acceptance run of issue 11: `tengri serve`'s server (in process, OS-chosen ports) with a
// provisioned flash directory; a bench on the bus port feeds a default-profile pass; a ground
// station commands the payload over the telecommand port through the whole uplink (PUS-C packet →
// SDLS MAC → TC frame → CLTU → FARM-1 → bus record type 4) and decodes the CADU stream (every
// report, housekeeping, the image) to the existing verdict. Then a forged MAC and a replayed frame.
// Every wait is bounded (a deadline on the condition, not on the machine's speed).
import { test } from "node:test";
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { once } from "node:events";
import { randomBytes } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { loadProfile, type Profile } from "../../host/profiles/index.ts";
import { encodeLine, encodeEnd } from "../../host/obc/bus.ts";
import { HilServer, type HilEvent } from "../../host/hil/server.ts";
import { configRecord, configValues, screeningOptions, aecOptions } from "../../host/obc/config-table.ts";
import { LinkDecoder } from "../../host/ground/link-decoder.ts";
import { ImageReconstructor, cucTime16 } from "../../host/ground/image.ts";
import { ScreeningGround } from "../../host/ground/screening.ts";
import { PieceLedger } from "../../host/ground/completeness.ts";
import { reconstructStops } from "../../host/ground/stopped.ts";
import { computeVerdict } from "../../host/report/verdict.ts";
import { decodeHousekeeping, type Housekeeping } from "../../host/ground/housekeeping.ts";
import { parseTmPacket, decodeReport, type PusReport } from "../../host/ground/pus-reports.ts";
import { linkConfigOfProfile } from "../../host/obc/link-config.ts";
import { openScene } from "../../host/sensor/index.ts";
import { buildTc, tc, type TcSpec } from "../../host/commanding/pus.ts";
import { secureFrameDataField } from "../../host/commanding/sdls.ts";
import { securedDataField } from "../../host/commanding/uplink-path.ts";
import { tcPrimaryHeader } from "../../host/uplink/tc-frame.ts";
import { UplinkClient } from "../../host/uplink/client.ts";
import { CONTRACT } from "../../host/contract/contract.gen.ts";
import { flightWasm, newFlashDir, signed, exitingWasm, sha256, requestUpload } from "../host/boot/helpers.ts";

const LINES = 192;
/** Longest any one condition may take to come true. A bound that ends a hung run, not a timing assertion. */
const DEADLINE_MS = 90_000;

function profile(): Profile {
  const p = structuredClone(loadProfile("default"));
  p.products.image.screening = { ...p.products.image.screening!, enabled: true, tileSize: 64, degradeShift: 2 };
  return p;
}

async function until(what: string, cond: () => boolean, limitMs = DEADLINE_MS): Promise<void> {
  const end = Date.now() + limitMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function events() {
  const list: HilEvent[] = [];
  return { list, on(e: HilEvent) { list.push(e); } };
}

/** The ground station of one pass on the CADU port: the chain of runPass (host/pass.ts), fed from TCP. */
function ground(p: Profile, port: number) {
  const bands = p.sensor.bands.length, pixels = p.sensor.pixelsPerLine;
  const mode = p.products.image.compression;
  const aec = aecOptions(p), scr = screeningOptions(p)!;
  const unitLines = mode === "ccsds121" ? aec.unitLines : 1;
  const recon = new ImageReconstructor(bands, pixels, undefined, mode, unitLines, p.sensor.bitDepth);
  const userMax = p.products.image.maxPacketDataLen - 16;
  const segPixels = pixels * p.sensor.bitDepth <= userMax * 8 ? pixels : Math.floor((userMax * 8) / p.sensor.bitDepth) & ~7;
  const ledger = new PieceLedger({
    mode, bands, pixels, bandNames: p.sensor.bands.map((b) => b.name), segPixels,
    unitLines, unitPixels: mode === "ccsds121" ? aec.unitPixels : 0, tileSize: scr.tileSize, hkEveryLines: p.products.housekeeping.everyLines ?? 0,
  });
  recon.useLedger(ledger);
  const screening = new ScreeningGround(scr.tileSize, undefined, (t) => { recon.advanceTo(t.firstLine + t.lines - 1); }, ledger);
  recon.useScreening(screening, scr.tileSize + scr.params[6] + 2, scr.degradeShift);
  const apidBand = new Map(p.products.image.apids.map((a, i) => [a, i]));
  const reportApid = CONTRACT.configTable.blocks.find((b) => b.name === "commanding")!.fields.find((f) => f.name === "reportApid")!.default as number;
  const reports: PusReport[] = [];
  const hk: Housekeeping[] = [];
  let badReports = 0, bytes = 0;
  const dec = new LinkDecoder(linkConfigOfProfile(p), {
    onPacket(pkt) {
      const band = apidBand.get(pkt.apid);
      if (band !== undefined) recon.addPacket(band, pkt.data, pkt.seqFlags);
      else if (pkt.apid === scr.statsApid) screening.addStats(pkt.data);
      else if (pkt.apid === scr.maskApid) screening.addMask(pkt.data, pkt.seqFlags);
      else if (pkt.apid === p.products.housekeeping.apid) { const h = decodeHousekeeping(pkt.data); hk.push(h); ledger.housekeeping(h); }
      else if (pkt.apid === reportApid) { try { reports.push(decodeReport(parseTmPacket(pkt.apid, pkt.seqCount, pkt.data))); } catch { badReports++; } }
    },
  });
  const sock = connect(port, "127.0.0.1");
  sock.on("data", (d: Buffer) => { bytes += d.length; dec.push(d); });
  return {
    sock, reports, hk, connected: once(sock, "connect"), get bytes() { return bytes; }, get badReports() { return badReports; },
    expect(counter: number, samples: Uint16Array, coarse: number, fine: number) { recon.expectSamples(counter, samples, cucTime16(coarse, fine)); ledger.lineSent(counter); },
    /** The verdict of host/report/verdict.ts over what arrived. */
    end(exitCode: number) {
      dec.end(); sock.destroy();
      const img = recon.end();
      const s = screening.end();
      const completeness = ledger.end([], reconstructStops(reports));
      return { img, completeness, verdict: computeVerdict({ completeness, image: img, exitCode, screening: true, degradeBound: scr.degradeShift > 0 ? 1 << (scr.degradeShift - 1) : 0, maskTotals: s }) };
    },
  };
}

/** The line records of a synthetic pass, handed to the ground's expectations as they are made. */
function passLines(p: Profile, seed: number, g: ReturnType<typeof ground>, lines = LINES): Uint8Array[] {
  const bands = p.sensor.bands.length, pixels = p.sensor.pixelsPerLine;
  const src = openScene(p, { scene: "synthetic", seed, lines });
  const out: Uint8Array[] = [];
  for (let l = src.next(); l; l = src.next()) {
    g.expect(l.counter, l.samples, l.timeCoarse, l.timeFine);
    out.push(encodeLine({ counter: l.counter, timeCoarse: l.timeCoarse, timeFine: l.timeFine, bands, pixels, bitDepth: p.sensor.bitDepth, samples: l.samples }));
  }
  src.close?.();
  return out;
}

/** A bench on the bus port whose records the server has read before the next step (so a TC sent then follows them). */
async function bench(srv: HilServer) {
  const id = srv.stats().busClients.length;
  const sock: Socket = connect(srv.busPort, "127.0.0.1");
  await once(sock, "connect");
  await until("bench registered", () => srv.stats().busClients.length >= id + 1);
  const me = () => srv.stats().busClients[id];
  let sent = 0;
  return {
    sock,
    async send(recs: Uint8Array[]) {
      for (const r of recs) { sent += r.length; if (!sock.write(r)) await once(sock, "drain"); }
      await until(`server read ${sent} bus octets`, () => me().bytes >= sent);
    },
  };
}

const verif = (rs: PusReport[], seq: number) => rs.filter((r) => r.kind === "verification" && r.requestId.seqCount === seq) as Extract<PusReport, { kind: "verification" }>[];

test("[tengri §hil] [tengri §stop-verified] [ECSS-E-ST-70-41C §6.1, §6.3, §6.8, §6.17, §6.20] [355.0-B-2 §3.4.2] HIL run commanded over the telecommand port: every report arrives, a threshold changes at a tile boundary, acquisition stops and restarts mid-pass on the tile grid, the pass verifies; a forged MAC and a replayed frame are refused, counted, not executed, and the next pass still verifies", async () => {
  const p = profile();
  const scid = p.spacecraft.scid;
  const macKey = new Uint8Array(randomBytes(32));
  const flashDir = newFlashDir(p, signed(flightWasm(), p, 1), macKey);
  const ev = events();
  const srv = await HilServer.start({ profile: p, flashDir, busPort: 0, caduPort: 0, sendConfig: false, tc: { port: 0 }, onEvent: (e) => ev.on(e) });
  try {
    assert.ok(srv.tcPort > 0 && srv.tcPort !== srv.busPort && srv.tcPort !== srv.caduPort);
    const up = await UplinkClient.connect({ port: srv.tcPort, scid });
    await up.initiate("set-vr", 0);
    const sa = { spi: 1, key: macKey, arsn: 1 };
    let seq = 0;
    const command = async (s: TcSpec): Promise<number> => {
      const q = seq++;
      await up.send(securedDataField([buildTc({ ...s, seq: q, source: 7 })], sa));
      return q;
    };
    const v = configValues(p);
    const blue = (v.scrCoreBlue as number) + 41;

    // ---- Pass 1 (boot 1): commanded, every report, the threshold at a tile boundary, a stop of
    // acquisition from line 128 to line 192 (the tile grid), verified.
    const LINES1 = 256;
    {
      const g = ground(p, srv.caduPort);
      await g.connected;
      await until("ground connected", () => srv.stats().caduClients.length >= 1);
      const lines = passLines(p, 5, g, LINES1);
      const b = await bench(srv);
      await b.send([configRecord(p)]);
      const qStart = await command(tc.startAcquisition());                     // running already: complete at once
      await b.send(lines.slice(0, 10));
      const qSet = await command(tc.setParams([["scrCoreBlue", blue]]));       // applied at line 64
      await b.send(lines.slice(10, 30));
      const qHk = await command(tc.hkReport());
      const qAlive = await command(tc.areYouAlive());
      await b.send(lines.slice(30, 70));
      const qStopMid = await command(tc.stopAcquisition());                    // effective at line 128
      await b.send(lines.slice(70, 100));
      const qReport = await command(tc.reportParams(["scrCoreBlue"]));
      await b.send(lines.slice(100, 150));
      const qStartMid = await command(tc.startAcquisition());                  // effective at line 192
      await b.send(lines.slice(150));
      const qStop = await command(tc.stopAcquisition());                       // effective at the end of the pass
      await b.send([encodeEnd(LINES1)]);
      b.sock.end();
      await until("boot 1 ended", () => ev.list.some((e) => e.kind === "image-exit" && e.boot === 1));
      const exit = ev.list.find((e) => e.kind === "image-exit" && e.boot === 1) as Extract<HilEvent, { kind: "image-exit" }>;
      assert.equal(exit.code, 0, srv.stats().log.slice(-5).join("\n"));
      const served = srv.stats().caduBytes;
      await until("ground got every CADU", () => g.bytes >= served);
      const { img, verdict, completeness } = g.end(0);
      const rs = g.reports;
      assert.equal(g.badReports, 0);
      rs.forEach((r, i) => assert.equal(r.counter, rs[0].counter + i, `report ${i}: message type counter without a gap`));
      for (const q of [qStart, qSet, qHk, qAlive, qStopMid, qReport, qStartMid, qStop]) {
        assert.deepEqual(verif(rs, q).map((x) => [x.stage, x.success]), [["acceptance", true], ["completion", true]], `request ${q}: ${JSON.stringify(verif(rs, q))}`);
      }
      assert.equal(rs.filter((r) => r.kind === "are-you-alive").length, 1);
      const hkr = rs.find((r) => r.kind === "housekeeping");
      assert.ok(hkr && hkr.kind === "housekeeping", "ST[3,25] arrived");
      assert.equal(hkr.housekeeping.linesAccepted, 30, "the report requested after line 29 counts lines 0 … 29");
      assert.equal(hkr.housekeeping.tcAccepted, 3, "start, set, and the housekeeping request itself authenticated by then");
      const pr = rs.find((r) => r.kind === "parameters");
      assert.ok(pr && pr.kind === "parameters");
      assert.deepEqual(pr.values.map((x) => [x.name, x.value]), [["scrCoreBlue", blue]]);
      const applied = rs.find((r) => r.kind === "event" && r.event === "parameter-applied") as Extract<PusReport, { kind: "event" }> | undefined;
      assert.ok(applied, "ST[5] parameter-applied");
      assert.equal(applied.line, 63, "applied after line 63, at the tile-row boundary before line 64");
      const last = g.hk[g.hk.length - 1];
      assert.equal(last.state, "ended");
      assert.equal(last.paramChanges, 1);
      assert.equal(last.tcAccepted, 8);
      assert.equal(last.tcRejAuth + last.tcRejReplay + last.tcRejFrame, 0);
      // The stop: events 7 and 8 with the interval; each ST[1,7] only after its event, at the boundary.
      const acq = rs.filter((r) => r.kind === "event" && (r.eventId === 7 || r.eventId === 8)) as Extract<PusReport, { kind: "event" }>[];
      assert.deepEqual(acq.map((e) => [e.event, e.at, e.count]), [["acquisition-stopped", 128, 0], ["acquisition-started", 192, 64], ["acquisition-stopped", LINES1, 64]]);
      const done = (q: number) => verif(rs, q).find((x) => x.stage === "completion")!;
      assert.equal(done(qStopMid).counter, acq[0].counter + 1);
      assert.equal(done(qStartMid).counter, acq[1].counter + 1);
      assert.equal(done(qStop).counter, acq[2].counter + 1);
      assert.deepEqual(completeness.stopped?.intervals.map((i) => [i.from, i.to, i.linesSent]), [[128, 192, 64], [LINES1, null, 0]]);
      assert.equal(last.linesAccepted, LINES1 - 64);
      assert.equal(last.linesDroppedStopped, 64);
      assert.equal(img.linesMissing, 64, "the stopped lines, and no other");
      assert.equal(verdict.verified, true, verdict.headline);
      assert.ok(verdict.checks.find((k) => k.name === "lines stopped by command")?.ok);
      assert.equal(srv.stats().tcRecordsToImage, 8);
    }

    // ---- Pass 2 (boot 2, the ARSN state kept in /flash): a forged MAC, a replayed frame.
    {
      await until("boot 2", () => ev.list.some((e) => e.kind === "boot" && e.boot === 2));
      const cadus0 = srv.stats().caduClients.length;
      const g = ground(p, srv.caduPort);
      await g.connected;
      await until("ground connected", () => srv.stats().caduClients.length > cadus0);
      const base = srv.stats().caduBytes; // boot 2 sends nothing before its configuration
      const lines = passLines(p, 6, g);
      const b = await bench(srv);
      await b.send([configRecord(p)]);
      await b.send(lines.slice(0, 10));
      // Forged: a threshold change whose MAC has one bit flipped (FARM-1 accepts the frame: its FECF holds).
      const qForged = seq++;
      const forged = buildTc({ ...tc.setParams([["scrCoreBlue", blue + 500]]), seq: qForged, source: 7 });
      await up.send({ length: 22 + forged.length, build: (h) => { const d = secureFrameDataField(h, forged, sa); sa.arsn++; d[d.length - 1] ^= 0x01; return d; } });
      await b.send(lines.slice(10, 40));
      // Replayed: one authentic bypass frame, then the same octets again (same ARSN).
      const qAlive = seq++;
      const alive = buildTc({ ...tc.areYouAlive(), seq: qAlive, source: 7 });
      const hdr = tcPrimaryHeader({ bypass: true, controlCommand: false, scid, vcid: 1, seq: 0 }, 22 + alive.length);
      const field = secureFrameDataField(hdr, alive, sa);
      sa.arsn++;
      await up.sendBypass(field);
      await b.send(lines.slice(40, 50));
      await up.sendBypass(field);
      await b.send(lines.slice(50, 70));
      const qHk = await command(tc.hkReport());
      await b.send(lines.slice(70));
      await b.send([encodeEnd(LINES)]);
      b.sock.end();
      await until("boot 2 ended", () => ev.list.some((e) => e.kind === "image-exit" && e.boot === 2));
      const exit = ev.list.find((e) => e.kind === "image-exit" && e.boot === 2) as Extract<HilEvent, { kind: "image-exit" }>;
      assert.equal(exit.code, 0, srv.stats().log.slice(-5).join("\n"));
      const served = srv.stats().caduBytes - base;
      await until("ground got every CADU", () => g.bytes >= served);
      const { verdict } = g.end(0);
      const rs = g.reports;
      assert.equal(g.badReports, 0);
      assert.equal(verif(rs, qForged).length, 0, "the forged request: no acceptance, no execution");
      assert.deepEqual(verif(rs, qAlive).map((x) => [x.stage, x.success]), [["acceptance", true], ["completion", true]], "the authentic frame, once");
      assert.equal(rs.filter((r) => r.kind === "are-you-alive").length, 1, "the replay executed nothing");
      assert.equal(rs.filter((r) => r.kind === "event" && r.event === "parameter-applied").length, 0, "no threshold changed");
      const refused = rs.filter((r) => r.kind === "event" && r.event === "tc-refused") as Extract<PusReport, { kind: "event" }>[];
      assert.deepEqual(refused.map((e) => e.statusName), ["E_TC_AUTH", "E_TC_REPLAY"], "each refusal an ST[5] event with its status");
      const hkr = rs.find((r) => r.kind === "housekeeping");
      assert.ok(hkr && hkr.kind === "housekeeping");
      assert.equal(hkr.housekeeping.tcRejAuth, 1, "forged MAC counted");
      assert.equal(hkr.housekeeping.tcRejReplay, 1, "replay counted");
      assert.deepEqual(verif(rs, qHk).map((x) => [x.stage, x.success]), [["acceptance", true], ["completion", true]]);
      const last = g.hk[g.hk.length - 1];
      assert.equal(last.tcRejAuth, 1);
      assert.equal(last.tcRejReplay, 1);
      assert.equal(last.tcAccepted, 2);
      assert.equal(last.paramChanges, 0);
      assert.equal(last.linesAccepted, LINES);
      assert.equal(verdict.verified, true, verdict.headline);
    }
    up.close();
  } finally {
    await srv.close();
    rmSync(flashDir, { recursive: true, force: true });
  }
});

/** A server on a fresh flash (image version 1, MAC key), a commanding ground and a bench. */
async function station(p: Profile, slotA: Uint8Array = signed(flightWasm(), p, 1), prepare?: (flashDir: string) => void) {
  const macKey = new Uint8Array(randomBytes(32));
  const flashDir = newFlashDir(p, slotA, macKey);
  prepare?.(flashDir);
  const ev = events();
  const srv = await HilServer.start({ profile: p, flashDir, busPort: 0, caduPort: 0, sendConfig: false, tc: { port: 0 }, onEvent: (e) => ev.on(e) });
  const up = await UplinkClient.connect({ port: srv.tcPort, scid: p.spacecraft.scid });
  await up.initiate("set-vr", 0);
  const sa = { spi: 1, key: macKey, arsn: 1 };
  let seq = 0;
  const secured = (s: TcSpec) => securedDataField([buildTc({ ...s, seq: seq++ & 0x3fff, source: 7 })], sa);
  return {
    srv, ev, up, flashDir,
    command: (...s: TcSpec[]) => up.send(...s.map(secured)),
    /** The container uploaded in segments (ST[8] start, ST[6,2] segments, ST[8] end with its SHA-256), then the reboot into it. */
    async upload(container: Uint8Array, segment = 900) {
      await up.send(secured(tc.uploadStart(container.length)));
      const segs: TcSpec[] = [];
      for (let off = 0; off < container.length; off += segment) segs.push(tc.uploadSegment(off, container.subarray(off, off + segment)));
      for (let i = 0; i < segs.length; i += 32) await up.send(...segs.slice(i, i + 32).map(secured));
      await up.send(secured(tc.uploadEnd(sha256(container))));
      await up.send(secured(tc.rebootToUploaded()));
    },
    bootEvents: () => srv.stats().bootEvents.map((e) => `${e.boot}:${e.kind}${e.slot ? `:${e.slot}` : ""}${e.version !== undefined ? `:v${e.version}` : ""}`),
    async close() { up.close(); await srv.close(); rmSync(flashDir, { recursive: true, force: true }); },
  };
}

/** A pass of n lines on the bus (configuration first: the server does not send it), and the boot's exit. */
async function pass(st: Awaited<ReturnType<typeof station>>, p: Profile, boot: number, n: number) {
  await until(`boot ${boot}`, () => st.ev.list.some((e) => e.kind === "boot" && e.boot === boot));
  const bands = p.sensor.bands.length, pixels = p.sensor.pixelsPerLine;
  const src = openScene(p, { scene: "synthetic", seed: boot, lines: n });
  const recs: Uint8Array[] = [configRecord(p)];
  for (let l = src.next(); l; l = src.next()) recs.push(encodeLine({ counter: l.counter, timeCoarse: l.timeCoarse, timeFine: l.timeFine, bands, pixels, bitDepth: p.sensor.bitDepth, samples: l.samples }));
  src.close?.();
  recs.push(encodeEnd(n));
  const b = await bench(st.srv);
  await b.send(recs);
  b.sock.end();
  await until(`boot ${boot} ended`, () => st.ev.list.some((e) => e.kind === "image-exit" && e.boot === boot));
  return (st.ev.list.find((e) => e.kind === "image-exit" && e.boot === boot) as Extract<HilEvent, { kind: "image-exit" }>).code;
}


test("[tengri §update] [ECSS-E-ST-70-41C §6.6, §6.8] HIL upload over the commanding path: a signed version 2 in ST[6,2] segments between ST[8] upload start and end (SHA-256), then ST[8] reboot-to-uploaded: every request completes, the image exits 72 and the bootloader takes the upload into slot b octet for octet", async () => {
  const p = profile();
  const st = await station(p);
  try {
    const v2 = signed(flightWasm(), p, 2, undefined, "v2-update");
    const g = ground(p, st.srv.caduPort);
    await g.connected;
    await until("ground connected", () => st.srv.stats().caduClients.length >= 1);
    const b = await bench(st.srv);
    await b.send([configRecord(p)]);
    await st.upload(v2);
    const requests = Math.ceil(v2.length / 900) + 3;
    assert.equal(st.srv.stats().tcRecordsToImage, requests);
    b.sock.end();                                       // reboot-to-uploaded ends the pass (reports flushed) and exits 72
    await until("boot 1 ended", () => st.ev.list.some((e) => e.kind === "image-exit" && e.boot === 1));
    assert.equal((st.ev.list.find((e) => e.kind === "image-exit" && e.boot === 1) as Extract<HilEvent, { kind: "image-exit" }>).code, 72, "the image exits 72 for the bootloader");
    const served = st.srv.stats().caduBytes;
    await until("ground got every CADU", () => g.bytes >= served);
    g.end(0);
    const done = g.reports.filter((r) => r.kind === "verification" && r.stage === "completion") as Extract<PusReport, { kind: "verification" }>[];
    assert.equal(done.length, requests, "one completion report per request");
    assert.deepEqual(done.filter((r) => !r.success).map((r) => r.failure), [], "no request failed");
    // The bootloader took the upload (its SHA-256 equal to the one boot-request declared) into
    // the inactive slot, octet for octet, and set it on trial.
    await until("upload taken", () => st.bootEvents().some((e) => e.startsWith("1:update-accepted")));
    assert.deepEqual(new Uint8Array(readFileSync(join(st.flashDir, "slot-b.img"))), v2, "slot b holds the uploaded container, octet for octet");
    const hk = g.hk[g.hk.length - 1];
    assert.equal(hk.uploadRejected, 0);
    assert.equal(hk.tcAccepted, requests);
  } finally {
    await st.close();
  }
});

test("[tengri §update] HIL serve --flash-dir: an image's exit 72 hands its boot request to the bootloader, the uploaded version 2 boots on trial and runs a good pass; a bad upload (exits 1) is tried a bounded number of times, then the old slot boots by itself", async () => {
  const p = profile();
  // Slot a: a hand-written image that exits 72 at once, as the flight image does after ST[8]
  // reboot-to-uploaded (its upload.img and boot-request written here, as the image writes them).
  const rebooter = signed(exitingWasm(72), p, 1, undefined, "v1-rebooter");
  {
    const v2 = signed(flightWasm(), p, 2, undefined, "v2-good");
    const st = await station(p, rebooter, (dir) => requestUpload(dir, v2));
    try {
      await until("boot 2", () => st.ev.list.some((e) => e.kind === "boot" && e.boot === 2));
      assert.equal(st.srv.stats().exits[0].code, 72);
      assert.ok(st.bootEvents().includes("1:update-accepted:b:v2"), st.bootEvents().join(", "));
      assert.ok(st.bootEvents().includes("2:trial-boot:b:v2"), st.bootEvents().join(", "));
      assert.equal(await pass(st, p, 2, 128), 0, "the trial image runs a good pass");
      assert.equal(st.srv.stats().housekeeping?.linesAccepted, 128);
    } finally {
      await st.close();
    }
  }
  {
    const bad = signed(exitingWasm(1), p, 2, undefined, "v2-bad");
    const st = await station(p, signed(flightWasm(), p, 1), (dir) => requestUpload(dir, bad));
    try {
      // A boot request is read only after an exit 72: a good pass that ends (exit 0) leaves it alone.
      assert.equal(await pass(st, p, 1, 64), 0);
      assert.ok(!st.bootEvents().some((e) => e.includes("update-")), "an exit 0 does not hand the request over");
    } finally {
      await st.close();
    }
    const st2 = await station(p, rebooter, (dir) => requestUpload(dir, bad));
    try {
      await until("fallback", () => st2.bootEvents().some((e) => e.includes(":trial-abandoned")));
      await until("the old slot boots", () => st2.bootEvents().some((e) => /:boot:a:v1$/.test(e) && !e.startsWith("1:")));
      const evs = st2.bootEvents();
      assert.ok(evs.includes("1:update-accepted:b:v2"), evs.join(", "));
      assert.deepEqual(evs.filter((e) => e.includes("trial-boot")), ["2:trial-boot:b:v2", "3:trial-boot:b:v2", "4:trial-boot:b:v2"], evs.join(", "));
      assert.ok(evs.includes("5:trial-abandoned:b"), evs.join(", "));
      assert.ok(evs.includes("5:boot:a:v1"), evs.join(", "));
      assert.deepEqual(st2.srv.stats().exits.slice(0, 4).map((x) => x.code), [72, 1, 1, 1]);
    } finally {
      await st2.close();
    }
  }
});

test("[tengri §update] HIL update end to end through the flight image: upload, reboot into it (exit 72), trial boot, confirmation after a good pass; a bad image falls back by itself", async () => {
  const p = profile();
  const st = await station(p);
  try {
    const v2 = signed(flightWasm(), p, 2, undefined, "v2-update");
    const b = await bench(st.srv);
    await b.send([configRecord(p)]);
    await st.upload(v2);
    await until("boot 1 ended", () => st.ev.list.some((e) => e.kind === "image-exit" && e.boot === 1), 20_000);
    assert.equal(st.srv.stats().exits[0].code, 72, "the image asks for the reboot");
    b.sock.end();
    assert.ok(st.bootEvents().includes("1:update-accepted:b:v2"), st.bootEvents().join(", "));
    assert.ok(st.bootEvents().includes("2:trial-boot:b:v2"), st.bootEvents().join(", "));
    assert.equal(await pass(st, p, 2, 128), 0);
    await until("boot 3", () => st.ev.list.some((e) => e.kind === "boot" && e.boot === 3), 20_000);
    assert.ok(st.bootEvents().includes("2:confirmed:b:v2"), `confirmation after the good pass on trial: ${st.bootEvents().join(", ")}`);
    assert.ok(st.bootEvents().includes("3:boot:b:v2"), st.bootEvents().join(", "));
  } finally {
    await st.close();
  }
  const st2 = await station(p);
  try {
    const b = await bench(st2.srv);
    await b.send([configRecord(p)]);
    await st2.upload(signed(exitingWasm(1), p, 3, undefined, "v3-bad"));
    await until("fallback", () => st2.bootEvents().some((e) => e.includes(":trial-abandoned")), 20_000);
    b.sock.end();
    assert.ok(st2.bootEvents().includes("5:boot:a:v1"), st2.bootEvents().join(", "));
    assert.equal(await pass(st2, p, 5, 64), 0, "back on version 1, a good pass");
  } finally {
    await st2.close();
  }
});

test("[tengri §hil] a telecommand accepted while the bench is mid-record waits for the record's end, then reaches the image whole: nothing rejected on the bus", async () => {
  const p = profile();
  const st = await station(p);
  try {
    const src = openScene(p, { scene: "synthetic", seed: 9, lines: 2 });
    const recs: Uint8Array[] = [];
    for (let l = src.next(); l; l = src.next()) recs.push(encodeLine({ counter: l.counter, timeCoarse: l.timeCoarse, timeFine: l.timeFine, bands: p.sensor.bands.length, pixels: p.sensor.pixelsPerLine, bitDepth: p.sensor.bitDepth, samples: l.samples }));
    src.close?.();
    const b = await bench(st.srv);
    await b.send([configRecord(p), recs[0], recs[1].subarray(0, 1000)]);
    await st.command(tc.areYouAlive());                   // FARM-1 accepted it (CLCW): queued for the image
    assert.equal(st.srv.stats().tcRecordsToImage, 0, "not written inside the line record");
    await b.send([recs[1].subarray(1000)]);
    await until("the telecommand reached the image", () => st.srv.stats().tcRecordsToImage === 1);
    await b.send([encodeEnd(2)]);
    b.sock.end();
    await until("boot 1 ended", () => st.ev.list.some((e) => e.kind === "image-exit" && e.boot === 1));
    const hk = st.srv.stats().housekeeping!;
    assert.equal(hk.linesAccepted, 2);
    assert.equal(hk.tcAccepted, 1);
    assert.equal(hk.rejectedBadSync + hk.rejectedBadCrc + hk.rejectedBadLength + hk.rejectedBadType + hk.bytesSkipped, 0);
  } finally {
    await st.close();
  }
});

/** The default profile without screening, 512 pixels, booting in CCSDS 123 and allowed every product mode (units and segments of 16 lines). */
function modeProfile(): Profile {
  const p = structuredClone(loadProfile("default"));
  delete (p.products.image as { screening?: unknown }).screening;
  p.sensor.pixelsPerLine = 512;
  p.products.image.compression = "ccsds123";
  p.products.image.ccsds123 = { segmentLines: 16 };
  p.products.image.ccsds121 = { ...p.products.image.ccsds121!, unitLines: 16 };
  p.commanding = { ...(p.commanding ?? {}), modes: ["raw", "ccsds121", "ccsds123"] };
  return p;
}

test("[tengri §mode] [tengri §hil] HIL: the product mode switched over the telecommand port, 123 → 121 → raw mid-pass; the ground station follows event 16 and the pass verifies, every line exact", async () => {
  const p = modeProfile();
  const st = await station(p);
  try {
    const bands = p.sensor.bands.length, pixels = p.sensor.pixelsPerLine;
    const unitLines = 16;
    const recon = new ImageReconstructor(bands, pixels, undefined, "ccsds123", unitLines, p.sensor.bitDepth);
    const ledger = new PieceLedger({ mode: "ccsds123", bands, pixels, segPixels: pixels, unitLines, unitPixels: aecOptions(p).unitPixels, tileSize: null, hkEveryLines: p.products.housekeeping.everyLines ?? 0 });
    recon.useLedger(ledger);
    recon.useHyperBound(0);
    const apidBand = new Map(p.products.image.apids.map((a, i) => [a, i]));
    const reportApid = CONTRACT.configTable.blocks.find((b) => b.name === "commanding")!.fields.find((f) => f.name === "reportApid")!.default as number;
    const reports: PusReport[] = [];
    const hk: Housekeeping[] = [];
    let bytes = 0;
    const dec = new LinkDecoder(linkConfigOfProfile(p), {
      onPacket(pkt) {
        const band = apidBand.get(pkt.apid);
        if (band !== undefined) recon.addPacket(band, pkt.data, pkt.seqFlags);
        else if (pkt.apid === p.products.housekeeping.apid) { const h = decodeHousekeeping(pkt.data); hk.push(h); ledger.housekeeping(h); }
        else if (pkt.apid === reportApid) {
          const r = decodeReport(parseTmPacket(pkt.apid, pkt.seqCount, pkt.data));
          reports.push(r);
          if (r.kind === "event" && r.eventId === 16) { const to = (["raw", "ccsds121", "ccsds123"] as const)[r.count & 0xff]; recon.modeFrom(r.line, to); ledger.modeFrom(r.line, to); }
        }
      },
    });
    const sock = connect(st.srv.caduPort, "127.0.0.1");
    sock.on("data", (d: Buffer) => { bytes += d.length; dec.push(d); });
    await once(sock, "connect");
    await until("ground connected", () => st.srv.stats().caduClients.length >= 1);
    const n = 96;
    const src = openScene(p, { scene: "synthetic", seed: 21, lines: n });
    const lines: Uint8Array[] = [];
    let first = -1;
    for (let l = src.next(); l; l = src.next()) {
      if (first < 0) first = l.counter;
      recon.expectSamples(l.counter, l.samples, cucTime16(l.timeCoarse, l.timeFine)); ledger.lineSent(l.counter);
      lines.push(encodeLine({ counter: l.counter, timeCoarse: l.timeCoarse, timeFine: l.timeFine, bands, pixels, bitDepth: p.sensor.bitDepth, samples: l.samples }));
    }
    src.close?.();
    const b = await bench(st.srv);
    await b.send([configRecord(p)]);
    await b.send(lines.slice(0, 20));
    await st.command(tc.setProductMode("ccsds121"));          // seq 0: 121 from line 32, the next segment boundary
    await b.send(lines.slice(20, 40));
    await st.command(tc.setProductMode("raw"));               // seq 1: raw from line 48, the next unit boundary
    await b.send(lines.slice(40));
    await b.send([encodeEnd(n)]);
    b.sock.end();
    await until("boot 1 ended", () => st.ev.list.some((e) => e.kind === "image-exit" && e.boot === 1));
    assert.equal((st.ev.list.find((e) => e.kind === "image-exit" && e.boot === 1) as Extract<HilEvent, { kind: "image-exit" }>).code, 0);
    const served = st.srv.stats().caduBytes;
    await until("ground got every CADU", () => bytes >= served);
    dec.end(); sock.destroy();
    const img = recon.end();
    const verdict = computeVerdict({ completeness: ledger.end([]), image: img, exitCode: 0, screening: false, degradeBound: 0 });
    const ev = reports.filter((r) => r.kind === "event" && r.eventId === 16) as Extract<PusReport, { kind: "event" }>[];
    assert.deepEqual(ev.map((e) => [e.count, e.line - first]), [[(2 << 8) | 1, 32], [(1 << 8) | 0, 48]]);
    for (const q of [0, 1]) assert.deepEqual(verif(reports, q).map((x) => [x.stage, x.success]), [["acceptance", true], ["completion", true]], `request ${q}`);
    assert.equal(img.linesExact, n);
    assert.equal(img.linesMismatch + img.linesPartial + img.linesMissing + img.unitsLost + img.badPackets, 0);
    assert.equal(img.unitsDecoded, 2 + 4);                    // 123 segments 0..15, 16..31; 121 units 32..47 (4 bands)
    assert.equal(hk[hk.length - 1].productMode, 0);
    assert.equal(verdict.verified, true, verdict.headline);
  } finally {
    await st.close();
  }
});
