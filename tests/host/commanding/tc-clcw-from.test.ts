// `tengri tc --send HOST:PORT --clcw-from HOST:PORT`: the FOP-1 of the command line acknowledged by
// the CLCW it reads in the OCF of a serve's CADU stream, the telecommand port answering nothing
// (README "The CLCW in the downlink"); mistakes are usage errors naming the option.
import { test } from "node:test";
import assert from "node:assert/strict";
import { connect } from "node:net";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadProfile } from "../../../host/profiles/index.ts";
import { flash } from "../../../host/obc/image.ts";
import { DEFAULT_FLIGHT_WASM } from "../../../host/obc/faults.ts";
import { HilServer } from "../../../host/hil/server.ts";
import { encodeLine } from "../../../host/obc/bus.ts";
import { openScene } from "../../../host/sensor/index.ts";
import { tcCommand } from "../../../host/commands/tc.ts";

async function until(what: string, cond: () => boolean, limitMs = 60_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

test("[tengri §clcw] [tengri §tc] tengri tc --clcw-from: acknowledged by the CLCW in the downlink's OCF while the telecommand port answers nothing; --clcw-from without --send, or with a profile whose frames carry no OCF, is a usage error", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tengri-tc-clcw-"));
  const p = structuredClone(loadProfile("default"));
  p.link.frame.ocf = true;
  const profileFile = join(dir, "ocf.json");
  writeFileSync(profileFile, JSON.stringify(p));
  writeFileSync(join(dir, "mac.key"), new Uint8Array(randomBytes(32)));
  const log = console.log;
  const printed: string[] = [];
  console.log = (s: string) => { printed.push(String(s)); };
  const srv = await HilServer.start({ profile: p, image: flash(readFileSync(DEFAULT_FLIGHT_WASM), p, "t"), busPort: 0, caduPort: 0, tc: { port: 0, reply: false } });
  let done = false;
  try {
    const bus = connect(srv.busPort, "127.0.0.1");
    await once(bus, "connect");
    const src = openScene(p, { scene: "synthetic", seed: 2, lines: 1_000_000 });
    let sent = 0;
    const bench = (async () => {
      while (!done) {
        const l = src.next()!;
        const r = encodeLine({ counter: l.counter, timeCoarse: l.timeCoarse, timeFine: l.timeFine, bands: p.sensor.bands.length, pixels: p.sensor.pixelsPerLine, bitDepth: p.sensor.bitDepth, samples: l.samples });
        sent += r.length;
        if (!bus.write(r)) await once(bus, "drain");
        await until("the server read the line", () => done || (srv.stats().busClients[0]?.bytes ?? 0) >= sent);
      }
    })();
    const common = ["--mac-key", join(dir, "mac.key"), "--arsn-file", join(dir, "arsn"), "--profile", profileFile, "--send", `127.0.0.1:${srv.tcPort}`, "--clcw-from", `127.0.0.1:${srv.caduPort}`];
    assert.equal(await tcCommand(["are-you-alive", ...common]), 0);
    assert.equal(await tcCommand(["hk-report", "--seq", "1", ...common, "--json"]), 0);
    assert.match(printed[0], /accepted by FARM-1 \(CLCW .*"reportValue":1.*read from the downlink on 127\.0\.0\.1:\d+\)/);
    const j = JSON.parse(printed[1]);
    assert.deepEqual([j.clcw.reportValue, j.clcw.lockout, j.clcw.vcid], [1, false, 1], "each run sets V(R) = 0, then its frame 0 is acknowledged");
    assert.equal(srv.uplink!.counters().delivered, 2);
    assert.ok(srv.stats().clcwRecordsToImage >= 4);
    done = true;
    await bench;
    bus.destroy(); src.close?.();
    await assert.rejects(async () => tcCommand(["are-you-alive", "--mac-key", join(dir, "mac.key"), "--arsn", "1", "--cltu", "-o", join(dir, "x"), "--clcw-from", "127.0.0.1:1"]), /--clcw-from needs --send/);
    await assert.rejects(async () => tcCommand(["are-you-alive", "--clcw-from", "127.0.0.1:1"]), /--clcw-from need --send or --cltu/);
    await assert.rejects(async () => tcCommand(["are-you-alive", "--mac-key", join(dir, "mac.key"), "--arsn", "1", "--send", "127.0.0.1:1", "--clcw-from", "127.0.0.1:2"]), /--clcw-from: the frames of profile default carry no OCF/);
  } finally {
    done = true;
    console.log = log;
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
