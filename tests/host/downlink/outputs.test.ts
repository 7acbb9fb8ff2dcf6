// Downlink outputs over real loopback sockets (ports chosen by the OS): the TCP CADU server
// with several clients (one slow, one that leaves, one that joins late), UDP datagrams of
// decoded transfer frames, and the CADU file, all fed by the transmitter through the store.
import { test } from "node:test";
import assert from "node:assert/strict";
import { connect } from "node:net";
import { createSocket } from "node:dgram";
import { once } from "node:events";
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadProfile, derived, type Profile } from "../../../host/profiles/index.ts";
import { flash } from "../../../host/obc/image.ts";
import { runImage } from "../../../host/obc/obc.ts";
import { configRecord } from "../../../host/obc/config-table.ts";
import { encodeLine, encodeEnd } from "../../../host/obc/bus.ts";
import { DEFAULT_FLIGHT_WASM } from "../../../host/obc/faults.ts";
import { LinkDecoder } from "../../../host/ground/link-decoder.ts";
import { linkConfigOfProfile } from "../../../host/obc/link-config.ts";
import { Transmitter } from "../../../host/downlink/transmitter.ts";
import { CaduTcpServer, CaduServerError } from "../../../host/downlink/tcp-server.ts";
import { parseHostPort, UdpTargetError } from "../../../host/downlink/udp-frames.ts";

function smallProfile(): Profile {
  const p = structuredClone(loadProfile("cubesat-mcu"));
  p.sensor.pixelsPerLine = 256;
  p.products.image.compression = "raw"; // raw image packets: what these tests' ground checks read
  return p;
}

async function flightCadus(p: Profile, lines: number): Promise<Uint8Array> {
  const bands = p.sensor.bands.length, px = p.sensor.pixelsPerLine;
  const recs = [configRecord(p)];
  for (let n = 0; n < lines; n++) {
    const s = new Uint16Array(bands * px).map((_, i) => (i * 7 + n * 13) & 0xfff);
    recs.push(encodeLine({ counter: n, timeCoarse: 2_000_000_000 + Math.floor(n / 355), timeFine: Math.floor(((n % 355) / 355) * 2 ** 32), bands, pixels: px, bitDepth: 12, samples: s }));
  }
  recs.push(encodeEnd(lines));
  const out: Buffer[] = [];
  await runImage({ image: flash(readFileSync(DEFAULT_FLIGHT_WASM), p, "t"), profile: p, records: recs, onOutput: (c) => out.push(Buffer.from(c)) });
  return Buffer.concat(out);
}

async function until(cond: () => boolean): Promise<void> { while (!cond()) await new Promise((r) => setTimeout(r, 10)); }

test("TCP CADU server: every client gets CADU-aligned data; a slow client loses whole CADUs (counted), one that leaves or joins late disturbs nobody", async () => {
  const p = smallProfile();
  const L = derived(p).caduLen;
  const cadus = await flightCadus(p, 40);
  const srv = await CaduTcpServer.listen({ port: 0, caduLen: L, maxClientBuffer: 8 * L });
  const reader = (paused = false) => {
    const s = connect(srv.port, "127.0.0.1");
    const dec = new LinkDecoder(linkConfigOfProfile(p));
    let bytes = 0;
    s.on("data", (d: Buffer) => { bytes += d.length; if (paused || bytes <= 4 * cadus.length) dec.push(d); }); // the healthy ones: decode the first rounds only (CPU)
    if (paused) s.pause();
    return { s, dec, get bytes() { return bytes; }, up: once(s, "connect") };
  };
  const a = reader(), slow = reader(true), leaver = reader();
  await Promise.all([a.up, slow.up, leaver.up]);
  await until(() => srv.clientCount === 3);
  // The same pass again and again, until the slow client's kernel buffers are full and it
  // starts losing CADUs (bounded); a client leaves early, another joins later.
  let late: ReturnType<typeof reader> | null = null;
  let rounds = 0;
  const slowDropped = () => srv.stats().find((c) => c.id === 2)!.cadusDropped;
  for (; rounds < 3000 && (rounds < 30 || slowDropped() === 0); rounds++) {
    srv.broadcast(cadus);
    if (rounds === 2) leaver.s.destroy();
    if (rounds === 20) { late = reader(); await late.up; await until(() => srv.clientCount >= 3); }
    await new Promise((res) => setImmediate(res));
    await until(() => a.bytes >= (rounds + 1) * cadus.length); // the healthy client keeps up
  }
  const st = srv.stats();
  const slowStats = st.find((c) => c.id === 2)!;
  assert.ok(slowStats.cadusDropped > 0, "the slow client lost CADUs");
  assert.equal(st.find((c) => c.id === 1)!.cadusDropped, 0);
  assert.equal(a.bytes, rounds * cadus.length);
  slow.s.resume();
  await until(() => slow.bytes >= slowStats.bytesSent);
  await until(() => late!.bytes > 0);
  await srv.close();
  for (const c of [a, slow, late!]) {
    c.dec.end();
    assert.equal(c.dec.stats.garbageBytes, 0, "CADU-aligned");
    assert.equal(c.dec.stats.rsCodewordsUncorrectable, 0);
    assert.equal(c.bytes % L, 0);
  }
  assert.throws(() => srv.broadcast(cadus.subarray(0, L + 1)), (e: unknown) => e instanceof CaduServerError && e.field === "chunk");
});

test("transmitter: the store releases CADUs in the contact window to the file, the TCP server and UDP (one decoded transfer frame per datagram)", async () => {
  const p = smallProfile();
  const d = derived(p);
  const cadus = await flightCadus(p, 40);
  const n = cadus.length / d.caduLen;
  const dir = mkdtempSync(join(tmpdir(), "tengri-out-"));
  const rx = createSocket("udp4");
  await new Promise<void>((res) => rx.bind(0, "127.0.0.1", () => res()));
  rx.setRecvBufferSize(8 << 20);
  const grams: Buffer[] = [];
  rx.on("message", (m) => grams.push(m));
  try {
    const tx = await Transmitter.open({ profile: p, window: { startS: 0.05, endS: 1000 }, file: join(dir, "out.cadu"), tcp: { port: 0 }, udp: { host: "127.0.0.1", port: rx.address().port } });
    const sock = connect(tx.tcp!.port, "127.0.0.1");
    const got: Buffer[] = [];
    sock.on("data", (b: Buffer) => got.push(b));
    await once(sock, "connect");
    await until(() => tx.tcp!.clientCount === 1);
    // Produced in four bursts before and during the window.
    const q = Math.ceil(n / 4) * d.caduLen;
    for (let i = 0; i < 4; i++) tx.push(cadus.subarray(i * q, Math.min(cadus.length, (i + 1) * q)), i * 0.02);
    const r = await tx.end();
    await until(() => sock.destroyed || sock.readableEnded);
    assert.equal(r.store.cadusSent, n);
    assert.ok(r.store.waited > 0, "CADUs produced before the window waited");
    assert.equal(r.file!.bytes, cadus.length);
    assert.deepEqual(readFileSync(join(dir, "out.cadu")), Buffer.from(cadus));
    assert.deepEqual(Buffer.concat(got), Buffer.from(cadus));
    // UDP: exactly the frames an independent decode of the same CADUs gives, byte for byte.
    const frames: Buffer[] = [];
    const dec = new LinkDecoder(linkConfigOfProfile(p), { onFrame: (f) => frames.push(Buffer.from(f.frame)) });
    dec.push(cadus); dec.end();
    await until(() => grams.length >= frames.length);
    assert.equal(r.udp!.framesSent, frames.length);
    assert.equal(grams.length, frames.length);
    for (let i = 0; i < frames.length; i++) {
      assert.equal(grams[i].length, p.link.frame.length);
      assert.deepEqual(grams[i], frames[i]);
    }
    // A TM primary header: version 0 and the spacecraft id (132.0-B-3 §4.1.2).
    assert.equal(grams[0][0] >>> 6, 0);
    assert.equal(((grams[0][0] & 0x3f) << 4) | (grams[0][1] >>> 4), p.spacecraft.scid);
  } finally {
    rx.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("UDP target parsing: HOST:PORT, [v6]:PORT; anything else is refused with the value named", () => {
  assert.deepEqual(parseHostPort("127.0.0.1:10016"), { host: "127.0.0.1", port: 10016 });
  assert.deepEqual(parseHostPort("[::1]:5000"), { host: "::1", port: 5000 });
  for (const bad of ["127.0.0.1", "h:0", "h:70000", ":5"]) assert.throws(() => parseHostPort(bad), (e: unknown) => e instanceof UdpTargetError && e.value === bad);
});
