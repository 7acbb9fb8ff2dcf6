// The OBC's CLCW records (bus record type 5) of tengri serve's server: one at boot after the
// configuration record, one after a CLTU only when the FARM-1's CLCW changed (frames FARM-1
// discards without a change, garbage and BD frames that leave it unchanged send none), all
// accepted by the image; the OCF the server's own monitor reads back is the FARM's CLCW.
import { test } from "node:test";
import assert from "node:assert/strict";
import { connect } from "node:net";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { loadProfile } from "../../../host/profiles/index.ts";
import { flash } from "../../../host/obc/image.ts";
import { HilServer } from "../../../host/hil/server.ts";
import { DEFAULT_FLIGHT_WASM } from "../../../host/obc/faults.ts";
import { encodeLine, encodeEnd } from "../../../host/obc/bus.ts";
import { openScene } from "../../../host/sensor/index.ts";
import { buildCltu } from "../../../host/uplink/cltu.ts";
import { buildTcFrame } from "../../../host/uplink/tc-frame.ts";

async function until(what: string, cond: () => boolean, limitMs = 60_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

test("[tengri §clcw] [tengri §hil] the server's CLCW records: one at boot, then one per change of the FARM-1's CLCW and none for a CLTU that leaves it unchanged; every one accepted by the image, the OCF read back equals the FARM's CLCW", async () => {
  const p = structuredClone(loadProfile("default"));
  p.link.frame.ocf = true;
  const scid = p.spacecraft.scid;
  const srv = await HilServer.start({ profile: p, image: flash(readFileSync(DEFAULT_FLIGHT_WASM), p, "t"), busPort: 0, caduPort: 0, tc: { port: 0, reply: false } });
  try {
    await until("the boot's CLCW record", () => srv.stats().clcwRecordsToImage === 1);
    const tcs = connect(srv.tcPort, "127.0.0.1");
    await once(tcs, "connect");
    const ad = (seq: number) => buildCltu(buildTcFrame({ bypass: false, controlCommand: false, scid, vcid: 1, seq, data: Uint8Array.of(1, 2, 3) }));
    const cltus = () => srv.uplink!.counters().cltu.cltus;
    tcs.write(ad(0));                                                  // V(R) 0 → 1: a change
    await until("record after AD 0", () => srv.stats().clcwRecordsToImage === 2);
    for (let i = 0; i < 4; i++) tcs.write(ad(0));                      // behind V(R): discarded, no change
    tcs.write(Uint8Array.of(0xeb, 0x90, 0xc5, 0xc5, 0xc5, 0xc5, 0xc5, 0xc5, 0xc5, 0x79)); // a CLTU without code blocks
    await until("6 CLTUs", () => cltus() === 6);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(srv.stats().clcwRecordsToImage, 2, "no record for a CLCW that did not change");
    tcs.write(ad(3));                                                  // ahead: retransmit flag set, a change
    await until("record after AD 3", () => srv.stats().clcwRecordsToImage === 3);
    assert.equal(srv.uplink!.farm.retransmit, true);
    // Lines flow: the frames leave with the FARM's CLCW in their OCF.
    const bus = connect(srv.busPort, "127.0.0.1");
    await once(bus, "connect");
    const src = openScene(p, { scene: "synthetic", seed: 1, lines: 40 });
    let n = 0;
    for (let l = src.next(); l; l = src.next(), n++) bus.write(encodeLine({ counter: l.counter, timeCoarse: l.timeCoarse, timeFine: l.timeFine, bands: p.sensor.bands.length, pixels: p.sensor.pixelsPerLine, bitDepth: p.sensor.bitDepth, samples: l.samples }));
    bus.end(encodeEnd(n));
    const want = Buffer.from(srv.uplink!.clcwOctets()).toString("hex");
    assert.equal(want, "01040801");
    await until("the OCF read back", () => srv.stats().downlinkClcw.last === want);
    await until("the pass ended", () => srv.stats().exits.length >= 1);
    const hk = srv.stats().housekeeping!;
    assert.equal(hk.rejectedBadType + hk.rejectedBadLength + hk.rejectedNoConfig + hk.rejectedBadSync + hk.rejectedBadCrc, 0);
    assert.equal(hk.recordsAccepted, 1 + 3 + 1 + 40 + 1, "configuration, 3 CLCW records, the one AD frame FARM-1 accepted, 40 lines, end of pass: every record accepted");
    tcs.destroy(); src.close?.();
  } finally {
    await srv.close();
  }
});
