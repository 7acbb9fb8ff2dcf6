// The flight image and its flash directory: build/flight.wasm run under node:wasi (as
// host/obc/wasi-child.mjs runs it) and under WAMR's iwasm, with the flash directory as the WASI
// preopen "/flash" or with none. The image must find its key store through the preopen, run with
// no preopen at all (commanding refused as unauthenticated), and never trap on hostile flash files.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, readFileSync, readdirSync, openSync, closeSync, existsSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { WASI } from "node:wasi";
import { FLIGHT_WASM } from "../../../host/pass.ts";
import { keyStore } from "../../../host/commanding/sdls.ts";
import { ALLOWED_IMPORTS, FLASH_IMPORTS } from "../../../host/obc/image.ts";
import { mulberry32 } from "../../../host/sensor/prng.ts";
import { createHash } from "node:crypto";
import { crc16 } from "../../../host/util/crc16.ts";
import { runImage } from "../../../host/obc/obc.ts";
import { flash } from "../../../host/obc/image.ts";
import { configRecord } from "../../../host/obc/config-table.ts";
import { encodeLine, encodeEnd } from "../../../host/obc/bus.ts";
import { loadProfile } from "../../../host/profiles/index.ts";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const IWASM = process.env.TENGRI_IWASM ?? join(ROOT, "..", "shared", "runtimes", "iwasm");
const DIRS: string[] = [];
after(() => { for (const d of DIRS) rmSync(d, { recursive: true, force: true }); });
const tmp = () => { const d = mkdtempSync(join(tmpdir(), "tengri-secimg-")); DIRS.push(d); return d; };
const KEYS = keyStore([{ spi: 1, key: new Uint8Array(32).fill(9) }]);

/** Runs the image under node:wasi on an empty bus; the exit code and the event log. */
function runNode(flashDir?: string): { code: number; log: string } {
  const d = tmp();
  const errPath = join(d, "stderr");
  const inFd = openSync("/dev/null", "r"), outFd = openSync("/dev/null", "w"), errFd = openSync(errPath, "w");
  try {
    const wasi = new WASI({ version: "preview1", args: ["flight"], env: {}, stdin: inFd, stdout: outFd, stderr: errFd, returnOnExit: true, ...(flashDir ? { preopens: { "/flash": flashDir } } : {}) });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(FLIGHT_WASM)), wasi.getImportObject() as WebAssembly.Imports);
    const code = wasi.start(inst);
    return { code, log: readFileSync(errPath, "utf8") };
  } finally { closeSync(inFd); closeSync(outFd); closeSync(errFd); }
}

test("[tengri §flash] the flight image imports only allowed WASI functions, the flash ones among them", () => {
  const names = WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(FLIGHT_WASM))).map((i) => i.name);
  for (const n of names) assert.ok(ALLOWED_IMPORTS.has(n), n);
  for (const n of ["fd_prestat_get", "fd_prestat_dir_name", "path_open"]) assert.ok(names.includes(n), `${n} imported`);
  for (const n of FLASH_IMPORTS) assert.ok(ALLOWED_IMPORTS.has(n));
});

test("[tengri §flash] under node:wasi the image loads its key store through the /flash preopen; with no preopen or no key store it runs on, refusing commanding", () => {
  const dir = tmp();
  writeFileSync(join(dir, "keys.bin"), KEYS);
  const withKeys = runNode(dir);
  assert.equal(withKeys.code, 2);                                       // no configuration on an empty bus
  assert.match(withKeys.log, /commanding: key store and anti-replay state loaded/);
  const none = runNode();
  assert.equal(none.code, 2);
  assert.match(none.log, /commanding refused as unauthenticated \(no key store: status -810\)/);
  const empty = runNode(tmp());
  assert.match(empty.log, /status -804\)/);
});

test("[tengri §flash] hostile flash files (random keys.bin and sdls-state.bin of many lengths, seed 31) never trap the image", () => {
  const rnd = mulberry32(31);
  for (let i = 0; i < 12; i++) {
    const dir = tmp();
    const rb = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(rnd() * 256));
    writeFileSync(join(dir, "keys.bin"), i % 3 === 0 ? KEYS : rb([0, 1, 35, 70, 280, 281, 5000][i % 7]));
    writeFileSync(join(dir, "sdls-state.bin"), rb([0, 1, 63, 64, 128, 129, 4096][(i + 3) % 7]));
    const r = runNode(dir);
    assert.equal(r.code, 2, r.log);
    assert.match(r.log, /commanding/);
  }
});

const iwasm = existsSync(IWASM) && spawnSync(IWASM, ["--version"]).status === 0;
test("[tengri §flash] under WAMR's iwasm (--map-dir=/flash::DIR) the image loads its key store; without a mapped directory it runs on, refusing commanding", { skip: iwasm ? false : `iwasm not found at ${IWASM}` }, () => {
  const dir = tmp();
  writeFileSync(join(dir, "keys.bin"), KEYS);
  const a = spawnSync(IWASM, [`--map-dir=/flash::${dir}`, FLIGHT_WASM], { input: new Uint8Array(0), encoding: "utf8", timeout: 60_000 });
  assert.equal(a.status, 2, a.stderr);
  assert.match(a.stderr, /commanding: key store and anti-replay state loaded/);
  const b = spawnSync(IWASM, [FLIGHT_WASM], { input: new Uint8Array(0), encoding: "utf8", timeout: 60_000 });
  assert.equal(b.status, 2, b.stderr);
  assert.match(b.stderr, /status -810\)/);
});

test("[tengri §flash] a pass through the OBC emulator with the flash directory preopened gives the same CADUs as without it; only the log says commanding is ready", async () => {
  const p = loadProfile("cubesat-mcu");
  const recs: Uint8Array[] = [configRecord(p)];
  const n = 24, b = p.sensor.bands.length, px = p.sensor.pixelsPerLine;
  for (let i = 0; i < n; i++) recs.push(encodeLine({ counter: i, timeCoarse: 2_000_000_000, timeFine: i * 1000, bands: b, pixels: px, bitDepth: p.sensor.bitDepth, samples: new Uint16Array(b * px).map((_, k) => (k * 13 + i * 5) & ((1 << p.sensor.bitDepth) - 1)) }));
  recs.push(encodeEnd(n));
  const image = flash(new Uint8Array(readFileSync(FLIGHT_WASM)), p, "sec-test");
  const dir = tmp();
  writeFileSync(join(dir, "keys.bin"), KEYS);
  const run = async (flashDir?: string) => {
    const h = createHash("sha256");
    const r = await runImage({ image, profile: p, records: recs, onOutput: (c) => h.update(c), flashDir });
    return { exit: r.exitCode, log: r.log.join("\n"), cadus: h.digest("hex") };
  };
  const withFlash = await run(dir), without = await run();
  assert.equal(withFlash.exit, 0, withFlash.log);
  assert.equal(without.exit, 0, without.log);
  assert.equal(withFlash.cadus, without.cadus);
  assert.match(withFlash.log, /commanding: key store and anti-replay state loaded/);
  assert.match(without.log, /commanding refused as unauthenticated \(no key store: status -810\)/);
  assert.deepEqual(readdirSync(dir).sort(), ["keys.bin"], "the image wrote nothing into the flash on a pass without telecommands");
});

test("[tengri §flash] under WAMR's iwasm the flash functions read and write through the preopen: confirmSelf (boot.bin, slot read, confirm written) and uploadStart (upload.img created)", { skip: iwasm ? false : `iwasm not found at ${IWASM}` }, () => {
  const LIB = join(ROOT, "build", "lib.wasm");
  const dir = tmp();
  const boot = new Uint8Array(14);
  boot.set([0x54, 0x47, 0x42, 0x54, 1, 0, 1, 1, 0, 0, 0, 3]);
  const c = crc16(boot.subarray(0, 12)); boot[12] = c >> 8; boot[13] = c & 0xff;
  writeFileSync(join(dir, "boot.bin"), boot);
  const wasm = new Uint8Array(3000).map((_, i) => (i * 7) & 0xff);
  const head = new Uint8Array(128);
  head.set([0x54, 0x47, 0x52, 0x49, 0x4d, 0x47, 0x00, 0x01]);
  new DataView(head.buffer).setUint16(8, 1); new DataView(head.buffer).setUint16(10, 128); new DataView(head.buffer).setUint32(12, wasm.length);
  writeFileSync(join(dir, "slot-b.img"), Buffer.concat([head, wasm]));
  const call = (fn: string, ...args: string[]) => spawnSync(IWASM, [`--map-dir=/flash::${dir}`, "-f", fn, LIB, ...args], { encoding: "utf8", timeout: 60_000 });
  const r = call("secConfirmSelf");
  assert.match(r.stdout, /0x0:i32/, r.stdout + r.stderr);
  assert.equal(readFileSync(join(dir, "confirm")).toString("hex"), createHash("sha256").update(wasm).digest("hex"));
  const u = call("secUploadStart", "100");
  assert.match(u.stdout, /0x0:i32/, u.stdout + u.stderr);
  assert.ok(existsSync(join(dir, "upload.img")));
});
