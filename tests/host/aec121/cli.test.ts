// `tengri aec` (host/commands/aec.ts): libaec `aec` drop-in. Same flags, same defaults, same
// files; checked against the real `aec` where Debian's libaec-tools is installed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { aecCommand, parseAecArgs, Aec121FlightError, FlightAec121Encoder } from "../../../host/commands/aec.ts";
import { loadFlightLib } from "../../../host/obc/lib.ts";

const haveAec = spawnSync("aec", [], { stdio: "ignore" }).error === undefined;

async function quiet<T>(f: () => Promise<T>): Promise<{ value: T; err: string }> {
  const orig = process.stderr.write.bind(process.stderr);
  let err = "";
  (process.stderr as any).write = (s: string | Uint8Array) => { err += String(s); return true; };
  try { return { value: await f(), err }; } finally { (process.stderr as any).write = orig; }
}

test("aec arguments: defaults n=8 J=8 RSI=2 with preprocessing; attached and separate values; flags", () => {
  const a = parseAecArgs(["in", "out"]);
  assert.deepEqual([a.bits, a.blockSize, a.rsi, a.preprocess, a.decode, a.signed], [8, 8, 2, true, false, false]);
  const b = parseAecArgs(["-d", "-n12", "-j", "64", "-r4096", "-s", "-N", "-t", "-p", "-m", "-3", "-b", "1000", "i", "o"]);
  assert.deepEqual([b.decode, b.bits, b.blockSize, b.rsi, b.signed, b.preprocess, b.restricted, b.padRsi, b.msb, b.threeByte, b.input, b.output],
    [true, 12, 64, 4096, true, false, true, true, true, true, "i", "o"]);
});

test("tengri aec: invalid option values exit 255 with a message naming the option; usage errors exit 1; missing input 99", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tengri-aec-cli-"));
  try {
    const fin = join(dir, "in.raw");
    writeFileSync(fin, new Uint8Array(64));
    for (const [args, opt] of [[["-n0"], "-n"], [["-n33"], "-n"], [["-j12"], "-j"], [["-r0"], "-r"], [["-r5000"], "-r"], [["-n8", "-t"], "-t"]] as [string[], string][]) {
      const { value, err } = await quiet(() => aecCommand([...args, fin, join(dir, "o")]));
      assert.equal(value, 255, args.join(" "));
      assert.ok(err.includes(opt), `${args.join(" ")}: ${err}`);
    }
    assert.equal((await quiet(() => aecCommand(["-x", fin, join(dir, "o")]))).value, 1);
    assert.equal((await quiet(() => aecCommand([fin]))).value, 1);
    assert.equal((await quiet(() => aecCommand([join(dir, "missing"), join(dir, "o")]))).value, 99);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("[121.0-B-3 §5.1.2] flight configuration: bad n, J, RSI and restricted-with-n>4 are refused with E_AEC_* statuses naming the option", () => {
  const lib = loadFlightLib();
  const cases: [number, number, number, boolean, number, string][] = [
    [0, 16, 8, false, -501, "bitsPerSample"], [33, 16, 8, false, -501, "bitsPerSample"], [8, 12, 8, false, -502, "blockSize"],
    [8, 16, 0, false, -503, "rsi"], [8, 16, 5000, false, -503, "rsi"], [8, 16, 8, true, -504, "restricted"],
  ];
  for (const [n, J, rsi, restricted, status, option] of cases) {
    assert.equal(lib.exports.aec121CheckConfig(n, J, rsi, 8 | (restricted ? 16 : 0)), status);
    assert.throws(() => new FlightAec121Encoder(lib, { bitsPerSample: n, blockSize: J, rsi, restricted }),
      (e: unknown) => e instanceof Aec121FlightError && e.status === status && e.option === option);
  }
  assert.equal(lib.exports.aec121CheckConfig(8, 16, 8, 1 << 10), -505);
  assert.equal(lib.exports.aec121CheckConfig(4, 64, 4096, 16 | 1 | 32), 0);
});

test("tengri aec: encode and decode files (16-bit LSB, 24-bit in 3 bytes MSB, signed); the same bytes as libaec's aec where installed", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tengri-aec-cli-"));
  try {
    const cases: { args: string[]; bytes: Uint8Array }[] = [];
    const b16 = new Uint8Array(2 * 16 * 40);
    for (let i = 0; i < b16.length; i += 2) { const v = 1000 + Math.round(300 * Math.sin(i / 50)); b16[i] = v & 255; b16[i + 1] = v >> 8; }
    cases.push({ args: ["-n12", "-j16", "-r8"], bytes: b16 });
    const b24 = new Uint8Array(3 * 8 * 33);
    for (let i = 0; i < b24.length; i += 3) { const v = (i * 7919) % (1 << 24); b24[i] = v >> 16; b24[i + 1] = (v >> 8) & 255; b24[i + 2] = v & 255; }
    cases.push({ args: ["-n24", "-3", "-m", "-j8", "-r3"], bytes: b24 });
    const s8 = new Uint8Array(8 * 64);
    for (let i = 0; i < s8.length; i++) s8[i] = (Math.round(20 * Math.sin(i / 9)) + 256) & 255;
    cases.push({ args: ["-n8", "-s", "-j64", "-r1"], bytes: s8 });
    for (const c of cases) {
      const fin = join(dir, "in.raw"), frz = join(dir, "o.rz"), fback = join(dir, "back.raw");
      writeFileSync(fin, c.bytes);
      assert.equal(await aecCommand([...c.args, fin, frz]), 0);
      assert.equal(await aecCommand(["-d", ...c.args, frz, fback]), 0);
      assert.ok(readFileSync(fback).equals(Buffer.from(c.bytes)), c.args.join(" "));
      if (haveAec) {
        const ref = join(dir, "ref.rz");
        assert.equal(spawnSync("aec", [...c.args, fin, ref]).status, 0);
        assert.ok(readFileSync(ref).equals(readFileSync(frz)), `bytes differ from aec ${c.args.join(" ")}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("aec121EncodeUnit (one call per unit) gives the stream of start + line-by-line encode + end", () => {
  const lib = loadFlightLib();
  const e = lib.exports;
  const st = lib.alloc(e.aec121StateLen());
  for (const n of [12, 20]) {
    const count = 1000;
    const x = Array.from({ length: count }, (_, i) => (i * 37 + (i >> 3) * 1000) % 2 ** n);
    const ref = new FlightAec121Encoder(lib, { bitsPerSample: n, blockSize: 16, rsi: 32 }).encode(x);
    assert.equal(e.aec121Init(st, n, 16, 32, 8), 0);
    const inPtr = lib.alloc(count * 4);
    const cap = e.aec121MaxOutLen(st, count);
    const outPtr = lib.alloc(cap);
    if (n > 16) new Uint32Array(lib.memory.buffer, inPtr, count).set(x); else new Uint16Array(lib.memory.buffer, inPtr, count).set(x);
    const w = e.aec121EncodeUnit(st, inPtr, count, outPtr, cap);
    assert.ok(w > 0);
    assert.ok(Buffer.from(lib.u8().slice(outPtr, outPtr + w)).equals(Buffer.from(ref)));
  }
});
