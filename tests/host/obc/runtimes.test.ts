// The flight image runs unmodified under a second, independent WASI preview1 implementation
// (@bjorn3/browser_wasi_shim, pure JavaScript, no libuv) and gives byte-identical CADUs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { WASI, File, OpenFile, ConsoleStdout } from "@bjorn3/browser_wasi_shim";
import { loadProfile } from "../../../host/profiles/index.ts";
import { syntheticScene } from "../../../host/sensor/index.ts";
import { configRecord } from "../../../host/obc/config-table.ts";
import { encodeLine, encodeEnd } from "../../../host/obc/bus.ts";
import { flash } from "../../../host/obc/image.ts";
import { runImage } from "../../../host/obc/obc.ts";
import { FLIGHT_WASM } from "../../../host/pass.ts";

test("the same bus stream gives byte-identical CADUs under node:wasi and a pure-JS WASI runtime", async () => {
  const p = loadProfile("default");
  const scene = syntheticScene(p, { seed: 21, lines: 40 });
  const recs = [configRecord(p)];
  for (let l = scene.next(); l; l = scene.next()) recs.push(encodeLine({ ...l, bands: 4, pixels: p.sensor.pixelsPerLine, bitDepth: p.sensor.bitDepth }));
  recs.push(encodeEnd(40));
  const bus = Buffer.concat(recs);

  const a = createHash("sha256");
  let aLen = 0;
  await runImage({ image: flash(readFileSync(FLIGHT_WASM), p, "t"), profile: p, records: [bus], onOutput: (c) => { a.update(c); aLen += c.length; } });

  const out = new File(new Uint8Array());
  const log: string[] = [];
  const wasi = new WASI([], [], [new OpenFile(new File(bus)), new OpenFile(out), ConsoleStdout.lineBuffered((l: string) => log.push(l))]);
  const inst = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(FLIGHT_WASM)), { wasi_snapshot_preview1: wasi.wasiImport });
  assert.equal(wasi.start(inst as unknown as { exports: { memory: WebAssembly.Memory; _start: () => unknown } }), 0);
  assert.ok(log.some((l) => l.includes("pass ended: lines 40")));
  assert.equal(out.data.length, aLen);
  assert.equal(createHash("sha256").update(out.data).digest("hex"), a.digest("hex"));
});
