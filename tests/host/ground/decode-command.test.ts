import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeCommand } from "../../../host/commands/decode.ts";
import { LinkBuilder, makePacket, concat } from "./link-builder.ts";
import type { LinkConfig } from "../../../host/ground/link-decoder.ts";

function capture() {
  const o = { out: "", err: "" };
  return { o, io: { out: (s: string) => void (o.out += s), err: (s: string) => void (o.err += s) } };
}

test("[133.0-B-2 §4.1.3] tengri decode writes reassembled packets and corrected frames in order, prints per-VC statistics", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tengri-decode-"));
  try {
    const cfg: LinkConfig = { frameType: "aos", frameLen: 892, rsE: 16, rsDepth: 4, randomizer: true, fecf: false, ocf: false };
    const b = new LinkBuilder(cfg);
    const packets: Uint8Array[] = [];
    for (let i = 0; i < 9; i++) {
      const p = makePacket(0x123, i, new Uint8Array(400 + 37 * i).fill(i), { secHdr: true });
      packets.push(p);
      b.addPacket(2, p);
    }
    const frames: Uint8Array[] = [];
    while (b.pending(2) > 0 && frames.length < 20) frames.push(b.frame(2));
    // Flush: the last frame's idle fill completes every packet.
    const stream = concat(frames.map((f) => b.cadu(f)));
    stream[100] ^= 0xff; // one symbol error
    const input = join(dir, "in.cadu");
    writeFileSync(input, stream);
    const { o, io } = capture();
    const rc = await decodeCommand([input, "--frame", "aos", "--frame-length", "892", "--rs-depth", "4", "--no-fecf", "--packets-out", join(dir, "p.bin"), "--frames-out", join(dir, "f.bin"), "--json"], io);
    assert.equal(rc, 0, o.err);
    assert.deepEqual(new Uint8Array(readFileSync(join(dir, "p.bin"))), concat(packets));
    assert.deepEqual(new Uint8Array(readFileSync(join(dir, "f.bin"))), concat(frames));
    const js = JSON.parse(o.out);
    assert.equal(js.perVc["2"].frames, frames.length);
    assert.equal(js.packetsPerApid["0x123"], 9);
    assert.equal(js.rsSymbolsCorrected, 1);
    const t = capture();
    assert.equal(await decodeCommand([input, "--frame", "aos", "--frame-length", "892", "--rs-depth", "4", "--no-fecf"], t.io), 0);
    assert.match(t.o.out, /VCID\s+frames/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("tengri decode: bad arguments exit 2 naming the option, I/O errors exit 1, --help exits 0", async () => {
  const cases: [string[], string][] = [
    [["f", "--frame", "xyz", "--frame-length", "10", "--rs-depth", "1"], "--frame"],
    [["f", "--frame", "tm", "--rs-depth", "1"], "--frame-length"],
    [["f", "--frame", "tm", "--frame-length", "1115"], "--rs-depth"],
    [["f", "--frame", "tm", "--frame-length", "1115", "--rs-depth", "7"], "--rs-depth"],
    [["f", "--frame", "tm", "--frame-length", "1116", "--rs-depth", "5"], "--frame-length"],
    [["f", "--frame", "tm", "--frame-length", "1115", "--rs-depth", "5", "--rs-e", "4"], "--rs-e"],
    [["f", "--frame", "tm", "--frame-length", "abc", "--rs-depth", "5"], "--frame-length"],
    [["f", "--bogus"], "--bogus"],
  ];
  for (const [argv, opt] of cases) {
    const { o, io } = capture();
    assert.equal(await decodeCommand(argv, io), 2, argv.join(" "));
    assert.ok(o.err.includes(opt), `${argv.join(" ")} → ${o.err.split("\n")[0]}`);
  }
  const { o, io } = capture();
  assert.equal(await decodeCommand(["/nonexistent/x.cadu", "--frame", "tm", "--frame-length", "1115", "--rs-depth", "5"], io), 1);
  assert.match(o.err, /ENOENT/);
  const h = capture();
  assert.equal(await decodeCommand(["--help"], h.io), 0);
  assert.match(h.o.out, /--packets-out/);
});
