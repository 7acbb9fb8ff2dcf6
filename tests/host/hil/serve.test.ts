// Hardware in the loop over real loopback sockets (ports chosen by the OS): a bench drives
// the flight image through the bus port, a ground client decodes the CADUs served on the other
// port and verifies the image; garbage and a disconnect mid-record crash nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { loadProfile, type Profile } from "../../../host/profiles/index.ts";
import { flash } from "../../../host/obc/image.ts";
import { encodeLine, encodeEnd } from "../../../host/obc/bus.ts";
import { HilServer, type HilEvent } from "../../../host/hil/server.ts";
import { DEFAULT_FLIGHT_WASM } from "../../../host/obc/faults.ts";
import { LinkDecoder } from "../../../host/ground/link-decoder.ts";
import { ImageReconstructor } from "../../../host/ground/image.ts";
import { decodeHousekeeping, type Housekeeping } from "../../../host/ground/housekeeping.ts";
import { linkConfigOfProfile } from "../../../host/obc/link-config.ts";
import { openScene } from "../../../host/sensor/index.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

function smallProfile(): Profile {
  const p = structuredClone(loadProfile("cubesat-mcu"));
  p.sensor.pixelsPerLine = 256;
  p.products.image.compression = "raw"; // raw image packets: what these tests' ground checks read
  return p;
}

/** Synthetic scene lines as bus records, with the hashes the ground checks against. */
function scene(p: Profile, lines: number, seed: number) {
  const bands = p.sensor.bands.length, pixels = p.sensor.pixelsPerLine;
  const src = openScene(p, { scene: "synthetic", seed, lines });
  const recs: Uint8Array[] = [];
  const sent = new Map<number, Uint16Array>();
  for (let l = src.next(); l; l = src.next()) {
    sent.set(l.counter, l.samples);
    recs.push(encodeLine({ ...l, bands, pixels, bitDepth: p.sensor.bitDepth }));
  }
  return { recs, sent };
}

/** A ground client on the CADU port: decodes as bytes arrive. */
function ground(p: Profile, port: number) {
  const bands = p.sensor.bands.length;
  const recon = new ImageReconstructor(bands, p.sensor.pixelsPerLine);
  const apidBand = new Map(p.products.image.apids.map((a, i) => [a, i]));
  const hk: Housekeeping[] = [];
  let bytes = 0;
  const dec = new LinkDecoder(linkConfigOfProfile(p), {
    onPacket(pkt) {
      const b = apidBand.get(pkt.apid);
      if (b !== undefined) recon.addPacket(b, pkt.data);
      else if (pkt.apid === p.products.housekeeping.apid) hk.push(decodeHousekeeping(pkt.data));
    },
  });
  const sock = connect(port, "127.0.0.1");
  sock.on("data", (d: Buffer) => { bytes += d.length; dec.push(d); });
  return { sock, recon, hk, dec, get bytes() { return bytes; }, connected: once(sock, "connect") };
}

function events() {
  const list: HilEvent[] = [];
  const waiters: { pred: (e: HilEvent) => boolean; res: (e: HilEvent) => void }[] = [];
  return {
    list,
    on(e: HilEvent) { list.push(e); for (const w of [...waiters]) if (w.pred(e)) { waiters.splice(waiters.indexOf(w), 1); w.res(e); } },
    wait(pred: (e: HilEvent) => boolean): Promise<HilEvent> {
      const hit = list.find(pred);
      return hit ? Promise.resolve(hit) : new Promise((res) => waiters.push({ pred, res }));
    },
  };
}

async function until(cond: () => boolean): Promise<void> { while (!cond()) await new Promise((r) => setTimeout(r, 10)); }

async function sendAll(sock: Socket, chunks: Uint8Array[]): Promise<void> {
  for (const c of chunks) if (!sock.write(c)) await once(sock, "drain");
}

test("HIL: a bench drives the flight image over the bus port; a ground client decodes the CADUs served and every line is exact", async () => {
  const p = smallProfile();
  const ev = events();
  const srv = await HilServer.start({ profile: p, image: flash(readFileSync(DEFAULT_FLIGHT_WASM), p, "t"), busPort: 0, caduPort: 0, onEvent: (e) => ev.on(e) });
  try {
    assert.ok(srv.busPort > 0 && srv.caduPort > 0 && srv.busPort !== srv.caduPort);
    const g = ground(p, srv.caduPort);
    await g.connected;
    await until(() => srv.stats().caduClients.length === 1);
    const { recs, sent } = scene(p, 80, 3);
    for (const [l, v] of sent) g.recon.expectSamples(l, v);
    const bench = connect(srv.busPort, "127.0.0.1");
    await once(bench, "connect");
    await sendAll(bench, [...recs, encodeEnd(recs.length)]);
    bench.end();
    const exit = await ev.wait((e) => e.kind === "image-exit" && e.boot === 1);
    assert.equal((exit as { code: number }).code, 0);
    const served = srv.stats().caduBytes;
    await until(() => g.bytes >= served);
    g.dec.end();
    const img = g.recon.end();
    assert.equal(img.linesExact, 80, JSON.stringify(img.lostLines.slice(0, 3)));
    assert.equal(g.dec.stats.rsCodewordsUncorrectable, 0);
    assert.equal(hk_last(g.hk).state, "ended");
    assert.equal(hk_last(g.hk).linesAccepted, 80);
    // The server booted the next image at once: it serves the next pass.
    await ev.wait((e) => e.kind === "boot" && e.boot === 2);
    g.sock.destroy();
  } finally {
    await srv.close();
  }
});

function hk_last(h: Housekeeping[]): Housekeeping { assert.ok(h.length > 0, "housekeeping received"); return h[h.length - 1]; }

test("HIL bad input: garbage and a disconnect mid-record on the bus are rejected by the image; the next client is served; CADU clients that leave or join late do not disturb others", async () => {
  const p = smallProfile();
  const ev = events();
  const srv = await HilServer.start({ profile: p, image: flash(readFileSync(DEFAULT_FLIGHT_WASM), p, "t"), busPort: 0, caduPort: 0, onEvent: (e) => ev.on(e) });
  try {
    const g = ground(p, srv.caduPort);
    const quitter = connect(srv.caduPort, "127.0.0.1");
    await Promise.all([g.connected, once(quitter, "connect")]);
    await until(() => srv.stats().caduClients.length === 2);
    const { recs, sent } = scene(p, 60, 5);
    for (const [l, v] of sent) g.recon.expectSamples(l, v);
    // Client 1: garbage, then half of a line record, then it disconnects.
    const bad = connect(srv.busPort, "127.0.0.1");
    await once(bad, "connect");
    await ev.wait((e) => e.kind === "bus-client" && e.id === 1 && e.state === "master");
    // Client 2 connects meanwhile: it waits for the bus.
    const good = connect(srv.busPort, "127.0.0.1");
    await once(good, "connect");
    await ev.wait((e) => e.kind === "bus-client" && e.id === 2 && e.state === "waiting");
    const garbage = new Uint8Array(3000).map((_, i) => (i * 151 + 7) & 255);
    await sendAll(bad, [garbage, recs[0].subarray(0, 200)]);
    quitter.destroy(); // a CADU client leaves
    bad.end();
    await ev.wait((e) => e.kind === "bus-client" && e.id === 2 && e.state === "master");
    await sendAll(good, [...recs.slice(0, 30)]);
    const late = ground(p, srv.caduPort); // joins late
    await late.connected;
    await sendAll(good, [...recs.slice(30), encodeEnd(recs.length)]);
    good.end();
    await ev.wait((e) => e.kind === "image-exit" && e.boot === 1);
    const served = srv.stats().caduBytes;
    await until(() => g.bytes >= served);
    g.dec.end();
    const img = g.recon.end();
    assert.equal(img.linesExact, 60, JSON.stringify(img.lostLines.slice(0, 3)));
    const hk = hk_last(g.hk);
    assert.ok(hk.rejectedBadSync + hk.rejectedBadCrc + hk.rejectedBadLength >= 1, "garbage rejected and counted");
    assert.ok(hk.bytesSkipped >= 3000);
    assert.equal(hk.linesAccepted, 60);
    // The late client got a CADU-aligned tail it can decode.
    await until(() => late.bytes > 0);
    late.dec.end();
    assert.ok(late.dec.stats.cadus > 0);
    assert.equal(late.dec.stats.rsCodewordsUncorrectable, 0);
    assert.equal(late.dec.stats.garbageBytes, 0);
    const st = srv.stats();
    assert.deepEqual(st.busClients.map((c) => c.state), ["closed", "closed"]);
    g.sock.destroy(); late.sock.destroy();
  } finally {
    await srv.close();
  }
});

test("tengri serve: prints its ports, serves, and ends cleanly on SIGTERM; a bad option is a usage error", async () => {
  const child = spawn(process.execPath, ["--import", "tsx", "-e", `import("./host/commands/serve.ts").then(m => m.serveCommand(process.argv.slice(1))).then(c => { process.exitCode = c; })`, "--", "--profile", "cubesat-mcu", "--bus-port", "0", "--cadu-port", "0", "--json"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (s: string) => { out += s; });
  await until(() => out.includes("listening") || child.exitCode !== null);
  const first = JSON.parse(out.split("\n").find((l) => l.includes("listening"))!);
  assert.equal(first.host, "127.0.0.1");
  assert.ok(first.busPort > 0 && first.caduPort > 0);
  const c = connect(first.caduPort, "127.0.0.1");
  await once(c, "connect");
  c.destroy();
  child.kill("SIGTERM");
  const [code] = await once(child, "exit");
  assert.equal(code, 0);
  assert.match(out, /"kind":"closed"/);
  const bad = spawn(process.execPath, ["--import", "tsx", "-e", `import("./host/commands/serve.ts").then(m => m.serveCommand(process.argv.slice(1))).then(c => { process.exitCode = c; })`, "--", "--profile", "cubesat-mcu", "--bus-port", "99999"], { cwd: ROOT, stdio: "ignore" });
  const [badCode] = await once(bad, "exit");
  assert.equal(badCode, 2);
});

/** A minimal WASI command: _start traps (`unreachable`) or calls proc_exit(code) before reading anything. */
function tinyImage(body: "trap" | { exit: number }): Uint8Array {
  const str = (s: string) => [s.length, ...Buffer.from(s)];
  const sec = (id: number, c: number[]) => [id, c.length, ...c];
  const code = body === "trap" ? [0x00, 0x00, 0x0b] : [0x00, 0x41, body.exit, 0x10, 0x00, 0x0b];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...sec(1, [2, 0x60, 0, 0, 0x60, 1, 0x7f, 0]),
    ...sec(2, [1, ...str("wasi_snapshot_preview1"), ...str("proc_exit"), 0x00, 1]),
    ...sec(3, [1, 0]),
    ...sec(5, [1, 0, 1]),
    ...sec(7, [2, ...str("memory"), 0x02, 0, ...str("_start"), 0x00, 1]),
    ...sec(10, [1, code.length, ...code]),
  ]);
}

/** Runs a server until it gives up (bounded): its events and the failure. */
async function untilGaveUp(p: Profile, image: Uint8Array) {
  const ev = events();
  const srv = await HilServer.start({ profile: p, image, busPort: 0, caduPort: 0, onEvent: (e) => ev.on(e) });
  try {
    const f = await Promise.race([srv.failed, new Promise<null>((r) => setTimeout(() => r(null), 60_000).unref())]);
    assert.ok(f, "the server stopped booting within 60 s");
    // No boot after it gave up.
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(srv.stats().boots, 3);
    return { f, ev, stats: srv.stats() };
  } finally {
    await srv.close();
  }
}

test("[tengri §serve] an image that traps at boot is booted 3 times, then the server stops and names the trap", async () => {
  const p = smallProfile();
  const { f, ev } = await untilGaveUp(p, flash(tinyImage("trap"), p, "trap"));
  assert.equal(f.boots.length, 3);
  assert.ok(f.boots.every((b) => b.code === 70));
  assert.match(f.message, /failed 3 boots in a row.*trapped.*TRAP.*unreachable/);
  assert.equal(ev.list.filter((e) => e.kind === "boot-failed").length, 3);
});

test("[tengri §serve] an image that exits before reading a line (exit 1, or exit 0 on its own) is booted 3 times, then the server stops naming the exit", async () => {
  const p = smallProfile();
  for (const code of [1, 0]) {
    const { f } = await untilGaveUp(p, flash(tinyImage({ exit: code }), p, "exit"));
    assert.ok(f.boots.every((b) => b.code === code));
    assert.match(f.message, new RegExp(`failed 3 boots in a row.*exit ${code}`));
  }
});

test("[tengri §serve] a configuration the image refuses (too little RAM, −403): 3 boots, then the server stops with the image's status line", async () => {
  const p = smallProfile();
  p.obc.ramBytes = 131072; // 2 pages: the image refuses to carve its buffers
  p.sensor.pixelsPerLine = 2048;
  const { f } = await untilGaveUp(p, flash(readFileSync(DEFAULT_FLIGHT_WASM), p, "t"));
  assert.ok(f.boots.every((b) => b.refused));
  assert.match(f.message, /refused its configuration.*E_CFG_NO_MEMORY \(-403\).*needs \d+ octets of RAM, \d+ available/);
});

test("[tengri §serve] passes that end at an end-of-pass record, even empty ones, are good boots: 4 in a row and the server still serves", async () => {
  const p = smallProfile();
  const ev = events();
  const srv = await HilServer.start({ profile: p, image: flash(readFileSync(DEFAULT_FLIGHT_WASM), p, "t"), busPort: 0, caduPort: 0, onEvent: (e) => ev.on(e) });
  let gaveUp = false;
  void srv.failed.then(() => { gaveUp = true; });
  try {
    for (let k = 1; k <= 4; k++) {
      const bench = connect(srv.busPort, "127.0.0.1");
      await once(bench, "connect");
      await sendAll(bench, [encodeEnd(0)]);
      const exit = await ev.wait((e) => e.kind === "image-exit" && e.boot === k);
      assert.equal((exit as { code: number }).code, 0);
      bench.end();
      await ev.wait((e) => e.kind === "bus-client" && e.state === "closed" && e.id === k);
    }
    await ev.wait((e) => e.kind === "boot" && e.boot === 5);
    assert.equal(gaveUp, false);
    assert.equal(ev.list.filter((e) => e.kind === "boot-failed").length, 0);
  } finally {
    await srv.close();
  }
});
