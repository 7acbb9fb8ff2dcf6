// Ordinary mistakes get one line naming the option or file and the documented exit code, never a
// stack trace: running before a build, output paths, a non-wasm file to flash, an address that is
// not this machine's, negative and non-numeric numbers, a missing OUTFILE, a mismatched image, an
// image that cannot boot. And pass --out says where it wrote.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, existsSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BIN = fileURLToPath(new URL("../../../bin/tengri.mjs", import.meta.url));
const run = (bin: string, args: string[], cwd = ROOT) => spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8", timeout: 180_000 });
const tengri = (args: string[], cwd = ROOT) => run(BIN, args, cwd);

/** One line on stderr, no stack trace. */
function oneLine(r: { stderr: string }, what: string): void {
  assert.doesNotMatch(r.stderr, /\n\s+at |Error:|node:internal/, `${what}: no stack trace:\n${r.stderr}`);
  assert.ok(r.stderr.trim().length > 0, `${what}: says something`);
}

function tmp(): string { return mkdtempSync(join(tmpdir(), "tengri-mistakes-")); }

test("[tengri §cli] before a build: pass, flash, serve, faults and eval-cloud say run npm run build (exit 1)", () => {
  const dir = tmp();
  try {
    // A checkout without build/: the sources and profiles, node_modules shared.
    for (const d of ["bin", "host", "hardware-profiles"]) cpSync(join(ROOT, d), join(dir, d), { recursive: true });
    cpSync(join(ROOT, "package.json"), join(dir, "package.json"));
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
    const bin = join(dir, "bin", "tengri.mjs");
    const cases: [string[], RegExp][] = [
      [["pass", "--lines", "10"], /build\/flight\.wasm not found: run npm run build/],
      [["flash", "--profile", "default", "-o", join(dir, "img.bin")], /build\/flight\.wasm not found: run npm run build/],
      [["serve", "--profile", "default", "--bus-port", "0", "--cadu-port", "0"], /build\/flight\.wasm not found: run npm run build/],
      [["faults"], /build\/flight\.wasm not found: run npm run build/],
      [["eval-cloud"], /build\/lib\.wasm not found: run npm run build/],
    ];
    for (const [args, msg] of cases) {
      const r = run(bin, args, dir);
      assert.equal(r.status, 1, `${args[0]}: ${r.stderr}`);
      assert.match(r.stderr, msg, args[0]);
      oneLine(r, args[0]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("[tengri §cli] output paths: a directory, a missing folder, an existing file as --out DIR are refused before any work (exit 1); an existing file is overwritten", () => {
  const dir = tmp();
  try {
    const cases: [string[], RegExp][] = [
      [["sensor", "--lines", "2", "-o", dir], /-o .* is a directory: give a file name/],
      [["sensor", "--lines", "2", "-o", join(dir, "no", "such", "bus.bin")], /folder .*no\/such does not exist/],
      [["flash", "--profile", "default", "-o", dir], /-o .* is a directory/],
      [["decode", "x", "--frame", "tm", "--frame-length", "1115", "--rs-depth", "5", "--packets-out", join(dir, "no", "p.bin")], /--packets-out .*folder .* does not exist/],
    ];
    writeFileSync(join(dir, "a-file"), "x");
    cases.push([["pass", "--lines", "10", "--out", join(dir, "a-file")], /--out .*a-file exists and is not a folder/]);
    for (const [args, msg] of cases) {
      const r = tengri(args);
      assert.equal(r.status, 1, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, msg, args.join(" "));
      oneLine(r, args.join(" "));
    }
    const f = join(dir, "bus.bin");
    writeFileSync(f, "old");
    assert.equal(tengri(["sensor", "--profile", "cubesat-mcu", "--lines", "2", "-o", f]).status, 0);
    assert.ok(statSync(f).size > 1000, "overwritten with the bus stream");
    // An unwritable folder: a read-only one for an ordinary user; /proc/self, which not even root can write into.
    const ro = process.getuid?.() === 0 ? "/proc/self" : join(dir, "ro");
    if (ro !== "/proc/self") mkdirSync(ro, { mode: 0o555 });
    const r = tengri(["sensor", "--lines", "2", "-o", join(ro, "bus.bin")]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /cannot be written/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("[tengri §cli] numbers: negative, zero, fractional or non-numeric values name the option and its range (exit 2)", () => {
  const cases: [string[], RegExp][] = [
    [["pass", "--lines", "-5"], /--lines must be ≥ 1, got -5/],
    [["pass", "--lines", "0"], /--lines must be ≥ 1, got 0/],
    [["pass", "--lines", "ten"], /--lines must be a whole number/],
    [["pass", "--lines", "2.5"], /--lines must be a whole number/],
    [["sensor", "--lines", "-1"], /--lines must be ≥ 1/],
    [["pass", "--seed", "-3"], /--seed must be ≥ 0/],
    [["pass", "--ber", "-0.1"], /--ber must be ≥ 0/],
    [["pass", "--ber", "2"], /--ber must be ≤ 0\.5/],
    [["pass", "--cloud-fraction", "1.5"], /--cloud-fraction must be ≤ 1/],
    [["pass", "--burst-every", "100"], /--burst-every and --burst-len go together/],
    [["pass", "--scene", "package.json", "--band-map", "0,-1,2"], /--band-map must be ≥ 0/],
    [["pass", "--band-map", "0,1,2,3"], /--band-map is for a scene file/],
    [["serve", "--profile", "default", "--bus-port", "-1"], /--bus-port must be ≥ 0/],
    [["serve", "--profile", "default", "--bus-port", "99999"], /--bus-port must be ≤ 65535/],
    [["pass", "--lines"], /--lines needs a value/],
    [["flash", "--profile", "default", "-o"], /-o, --output needs a value/],
  ];
  for (const [args, msg] of cases) {
    const r = tengri(args);
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, msg, args.join(" "));
    oneLine(r, args.join(" "));
  }
});

test("[tengri §cli] flash: a file that is not a WebAssembly module, or an already flashed image, is a usage error naming it (exit 2)", () => {
  const dir = tmp();
  try {
    writeFileSync(join(dir, "notes.txt"), "not a module\n");
    const a = tengri(["flash", join(dir, "notes.txt"), "--profile", "default", "-o", join(dir, "img.bin")]);
    assert.equal(a.status, 2);
    assert.match(a.stderr, /notes\.txt is not a WebAssembly module/);
    oneLine(a, "flash notes.txt");
    assert.equal(existsSync(join(dir, "img.bin")), false, "nothing written");
    assert.equal(tengri(["flash", "build/flight.wasm", "--profile", "default", "-o", join(dir, "img.bin")]).status, 0);
    const b = tengri(["flash", join(dir, "img.bin"), "--profile", "default", "-o", join(dir, "img2.bin")]);
    assert.equal(b.status, 2);
    assert.match(b.stderr, /already a flashed image/);
    const c = tengri(["flash", join(dir, "missing.wasm"), "--profile", "default", "-o", join(dir, "img3.bin")]);
    assert.equal(c.status, 1);
    assert.match(c.stderr, /missing\.wasm: no such file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("[tengri §cli] aec with a missing OUTFILE, or none at all, says so (libaec's usage exit 1)", () => {
  const dir = tmp();
  try {
    writeFileSync(join(dir, "in.raw"), new Uint8Array(64));
    for (const args of [["aec", join(dir, "in.raw")], ["aec", "-n", "8", join(dir, "in.raw")], ["aec", "-d", join(dir, "in.raw")]]) {
      const r = tengri(args);
      assert.equal(r.status, 1, args.join(" "));
      assert.match(r.stderr, /OUTFILE is missing/);
      oneLine(r, args.join(" "));
    }
    const none = tengri(["aec", "-n", "8"]);
    assert.equal(none.status, 1);
    assert.match(none.stderr, /INFILE and OUTFILE are required/);
    const dirOut = tengri(["aec", join(dir, "in.raw"), dir]);
    assert.equal(dirOut.status, 99);
    assert.match(dirOut.stderr, /is a directory/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("[tengri §serve] an unavailable --host or a port in use is a usage error naming it (exit 2)", async () => {
  const a = tengri(["serve", "--profile", "cubesat-mcu", "--host", "192.0.2.1", "--bus-port", "0", "--cadu-port", "0"]);
  assert.equal(a.status, 2, a.stderr);
  assert.match(a.stderr, /--host 192\.0\.2\.1: address not available on this machine/);
  oneLine(a, "--host");
  const holder = createServer();
  await new Promise<void>((res) => holder.listen(0, "127.0.0.1", res));
  const port = (holder.address() as { port: number }).port;
  try {
    const r = await new Promise<ReturnType<typeof tengri>>((res) => setImmediate(() => res(tengri(["serve", "--profile", "cubesat-mcu", "--bus-port", String(port), "--cadu-port", "0"]))));
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`--bus-port ${port} on 127\\.0\\.0\\.1 is in use`));
  } finally {
    holder.close();
  }
});

test("[tengri §image] serve --image flashed for cubesat-mcu with --profile default: refused before any boot, both RAM figures named (exit 3)", () => {
  const dir = tmp();
  try {
    const img = join(dir, "img.bin");
    assert.equal(tengri(["flash", "build/flight.wasm", "--profile", "cubesat-mcu", "-o", img]).status, 0);
    const r = tengri(["serve", "--profile", "default", "--image", img, "--bus-port", "0", "--cadu-port", "0"]);
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stderr, /image flashed for profile cubesat-mcu is bound to 1,048,576 bytes of RAM; profile default has 8,388,608/);
    assert.doesNotMatch(r.stdout, /image boot/, "no boot");
    oneLine(r, "serve --image");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("[tengri §serve] serve --wasm of an image that traps at boot: 3 boots, then exit 3 naming the trap", () => {
  const dir = tmp();
  try {
    // (module (import "wasi_snapshot_preview1" "proc_exit" (func (param i32))) (memory (export "memory") 1) (func (export "_start") unreachable))
    const str = (s: string) => [s.length, ...Buffer.from(s)];
    const sec = (id: number, c: number[]) => [id, c.length, ...c];
    const wasm = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...sec(1, [2, 0x60, 0, 0, 0x60, 1, 0x7f, 0]),
      ...sec(2, [1, ...str("wasi_snapshot_preview1"), ...str("proc_exit"), 0, 1]), ...sec(3, [1, 0]), ...sec(5, [1, 0, 1]),
      ...sec(7, [2, ...str("memory"), 2, 0, ...str("_start"), 0, 1]), ...sec(10, [1, 3, 0, 0, 0x0b])]);
    writeFileSync(join(dir, "trap.wasm"), wasm);
    const r = tengri(["serve", "--profile", "cubesat-mcu", "--wasm", join(dir, "trap.wasm"), "--bus-port", "0", "--cadu-port", "0"]);
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stderr, /failed 3 boots in a row before accepting a line \(boot 3 trapped\): tengri-obc: TRAP unreachable/);
    assert.equal((r.stdout.match(/^image boot \d+$/gm) ?? []).length, 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("[tengri §cli] pass --out DIR creates DIR and lists each file it wrote", () => {
  const dir = tmp();
  try {
    const out = join(dir, "new", "pass1");
    const r = tengri(["pass", "--profile", "cubesat-mcu", "--lines", "20", "--out", out]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /wrote \d+ file\(s\) to .*new\/pass1\/:/);
    for (const f of ["pass.cadu", "report.json", "report.html"]) {
      assert.ok(existsSync(join(out, f)), f);
      assert.match(r.stdout, new RegExp(`${f.replace(".", "\\.")}  ${statSync(join(out, f)).size} bytes`), f);
    }
    // With --json the document alone is on stdout; the list goes to stderr.
    const j = tengri(["pass", "--profile", "cubesat-mcu", "--lines", "20", "--out", out, "--json"]);
    assert.equal(j.status, 0, j.stderr);
    assert.equal(typeof JSON.parse(j.stdout).verified, "boolean");
    assert.match(j.stderr, /pass\.cadu/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("[tengri §cli] a scene whose bands differ from the profile's: refused naming --band-map, then read with --band-map", () => {
  const dir = tmp();
  try {
    const cube = join(dir, "scene_bsq_u16le_z3_y8_x2048.raw");
    writeFileSync(cube, new Uint8Array(3 * 8 * 2048 * 2).map((_, i) => (i % 2 ? 0x03 : i & 0xff)));
    const a = tengri(["sensor", "--profile", "cubesat-mcu", "--scene", cube, "--lines", "4", "-o", join(dir, "bus.bin")]);
    assert.equal(a.status, 2);
    assert.match(a.stderr, /the cube has 3 bands but the profile needs 4: give a --band-map/);
    oneLine(a, "no band map");
    const b = tengri(["sensor", "--profile", "cubesat-mcu", "--scene", cube, "--band-map", "2,1,0,0", "--lines", "4", "-o", join(dir, "bus.bin")]);
    assert.equal(b.status, 0, b.stderr);
    assert.ok(statSync(join(dir, "bus.bin")).size > 4 * 4 * 2048 * 2, "four lines of four bands");
    const c = tengri(["sensor", "--profile", "cubesat-mcu", "--scene", cube, "--band-map", "0,1,2,3", "--lines", "4", "-o", join(dir, "bus.bin")]);
    assert.equal(c.status, 2);
    assert.match(c.stderr, /--band-map\[3\]: cube band 3 outside 0\.\.2/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
