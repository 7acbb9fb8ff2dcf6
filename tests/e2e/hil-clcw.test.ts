// The HIL bench with COP-1 closed through the downlink, as a ground station closes it: `tengri
// serve`'s server (in process, OS-chosen ports) with a profile whose frames carry an OCF and a
// telecommand port that does NOT answer CLTUs (tc.reply: false); the OBC's FARM-1 passes its CLCW to
// the payload (bus record type 5), the image puts it in the OCF, and the ground's FOP-1
// (UplinkClient with DownlinkClcw on the CADU port) reads it there. Commands are acknowledged,
// their reports arrive; a lockout seen in the downlink is an alert, and Unlock recovers it.
// Every wait is bounded (a deadline on the condition, not on the machine's speed).
import { test } from "node:test";
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { once } from "node:events";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { loadProfile, type Profile } from "../../host/profiles/index.ts";
import { encodeLine, encodeEnd } from "../../host/obc/bus.ts";
import { HilServer, type HilEvent } from "../../host/hil/server.ts";
import { LinkDecoder } from "../../host/ground/link-decoder.ts";
import { parseTmPacket, decodeReport, type PusReport } from "../../host/ground/pus-reports.ts";
import { linkConfigOfProfile } from "../../host/obc/link-config.ts";
import { openScene } from "../../host/sensor/index.ts";
import { buildTc, tc } from "../../host/commanding/pus.ts";
import { securedDataField } from "../../host/commanding/uplink-path.ts";
import { buildTcFrame } from "../../host/uplink/tc-frame.ts";
import { buildCltu } from "../../host/uplink/cltu.ts";
import { UplinkClient, UplinkError } from "../../host/uplink/client.ts";
import { DownlinkClcw } from "../../host/ground/clcw.ts";
import { CONTRACT } from "../../host/contract/contract.gen.ts";
import { flightWasm, newFlashDir, signed } from "../host/boot/helpers.ts";

const DEADLINE_MS = 90_000;

async function until(what: string, cond: () => boolean, limitMs = DEADLINE_MS): Promise<void> {
  const end = Date.now() + limitMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

test("[tengri §clcw] [tengri §hil] [232.1-B-2 §5] [232.0-B-4 §4.2] HIL with the CLCW in the downlink only: the ground's FOP-1 reads the FARM-1's CLCW from the OCF of the served CADUs (the telecommand port answers nothing); commands are acknowledged and executed, a lockout is an alert, Unlock recovers", async () => {
  const p: Profile = structuredClone(loadProfile("default"));
  p.link.frame.ocf = true;
  const scid = p.spacecraft.scid;
  const macKey = new Uint8Array(randomBytes(32));
  const flashDir = newFlashDir(p, signed(flightWasm(), p, 1), macKey);
  const evs: HilEvent[] = [];
  const srv = await HilServer.start({ profile: p, flashDir, busPort: 0, caduPort: 0, tc: { port: 0, reply: false }, onEvent: (e) => evs.push(e) });
  let benchDone = false;
  try {
    // The ground: the CLCW reader and, on a second connection, the report decoder.
    const dl = await DownlinkClcw.connect({ port: srv.caduPort, link: linkConfigOfProfile(p), vcid: 1 });
    const reportApid = CONTRACT.configTable.blocks.find((b) => b.name === "commanding")!.fields.find((f) => f.name === "reportApid")!.default as number;
    const reports: PusReport[] = [];
    const dec = new LinkDecoder(linkConfigOfProfile(p), { onPacket: (pkt) => { if (pkt.apid === reportApid) reports.push(decodeReport(parseTmPacket(pkt.apid, pkt.seqCount, pkt.data))); } });
    const gs = connect(srv.caduPort, "127.0.0.1");
    gs.on("data", (d: Buffer) => dec.push(d));
    await once(gs, "connect");
    await until("two CADU clients", () => srv.stats().caduClients.length >= 2);

    // The bench: lines flow (paced by the server's reads) while the ground commands.
    const bus: Socket = connect(srv.busPort, "127.0.0.1");
    await once(bus, "connect");
    await until("bench registered", () => srv.stats().busClients.length >= 1);
    const src = openScene(p, { scene: "synthetic", seed: 9, lines: 1_000_000 });
    let sent = 0, lines = 0;
    const bench = (async () => {
      while (!benchDone) {
        const l = src.next();
        if (!l) break;
        const r = encodeLine({ counter: l.counter, timeCoarse: l.timeCoarse, timeFine: l.timeFine, bands: p.sensor.bands.length, pixels: p.sensor.pixelsPerLine, bitDepth: p.sensor.bitDepth, samples: l.samples });
        sent += r.length; lines++;
        if (!bus.write(r)) await once(bus, "drain");
        await until(`server read ${sent} bus octets`, () => srv.stats().busClients[0].bytes >= sent);
      }
      const end = encodeEnd(lines);
      bus.write(end);
      bus.end();
    })();

    // The ground's FOP-1, fed from the downlink only.
    const up = await UplinkClient.connect({ port: srv.tcPort, scid, downlink: dl, timeoutMs: 60_000 });
    const first = await up.initiate("set-vr", 0);
    assert.ok(first && first.reportValue === 0 && !first.lockout, JSON.stringify(first));
    const sa = { spi: 1, key: macKey, arsn: 1 };
    const cmd = (seq: number, s = tc.areYouAlive()) => securedDataField([buildTc({ ...s, seq, source: 5 })], sa);
    let c = await up.send(cmd(0), cmd(1), cmd(2));
    assert.equal(c!.reportValue, 3, "three AD frames acknowledged by the CLCW in the OCF");
    assert.equal(up.fop.counters.acknowledged, 3);

    // A stray AD frame far outside the FARM's window (another sender) puts it in lockout; the
    // ground learns it from the downlink only.
    const raw = connect(srv.tcPort, "127.0.0.1");
    let rawReplies = 0;
    raw.on("data", (d: Buffer) => { rawReplies += d.length; });
    await once(raw, "connect");
    raw.write(buildCltu(buildTcFrame({ bypass: false, controlCommand: false, scid, vcid: 1, seq: 200, data: Uint8Array.of(0) })));
    await until("FARM-1 in lockout", () => srv.uplink!.farm.lockout);
    await assert.rejects(up.send(cmd(3)), (e: unknown) => e instanceof UplinkError && e.alert === "lockout");
    assert.equal(dl.series.last!.lockout, true);
    await up.initiate("unlock");
    c = await up.send(cmd(4), cmd(5, tc.hkReport()));
    assert.ok(c && !c.lockout && c.reportValue === 5, JSON.stringify(c));
    assert.equal(rawReplies, 0, "the telecommand port answered nothing (tc.reply: false)");
    assert.equal(up.fop.counters.adRetransmitted, 0, "T1 (256 downlink frames) longer than the round trip: nothing sent twice");
    raw.destroy();

    // The reports of the executed frames reach the ground.
    await until("reports of 5 executed requests", () => reports.filter((r) => r.kind === "verification" && r.stage === "completion").length >= 5);
    assert.equal(reports.filter((r) => r.kind === "are-you-alive").length, 4, "seq 0, 1, 2, 4; seq 3 was never accepted by FARM-1");
    assert.ok(reports.some((r) => r.kind === "housekeeping"));
    const st = srv.stats();
    assert.ok(st.clcwRecordsToImage >= 6, `CLCW records to the image: ${st.clcwRecordsToImage}`);
    await until("the server's own monitor reads the FARM's CLCW in the OCF", () => srv.stats().downlinkClcw.last === Buffer.from(srv.uplink!.clcwOctets()).toString("hex"));
    assert.ok(st.downlinkClcw.changes >= 6 && st.downlinkClcw.framesWithOcf > 0);
    up.close();
    benchDone = true;
    await bench;
    await until("boot 1 ended", () => evs.some((e) => e.kind === "image-exit" && e.boot === 1));
    const exit = evs.find((e) => e.kind === "image-exit" && e.boot === 1) as Extract<HilEvent, { kind: "image-exit" }>;
    assert.equal(exit.code, 0, srv.stats().log.slice(-5).join("\n"));
    const hk = srv.stats().housekeeping!;
    assert.equal(hk.rejectedBadType + hk.rejectedBadLength + hk.rejectedNoConfig + hk.rejectedBadSync, 0, "every CLCW record was accepted");
    dl.close(); gs.destroy(); src.close?.();
  } finally {
    benchDone = true;
    await srv.close();
    rmSync(flashDir, { recursive: true, force: true });
  }
});
