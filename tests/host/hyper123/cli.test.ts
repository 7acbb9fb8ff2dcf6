// `tengri hyper123`: compress a raw cube with the flight compressor, decompress it with the
// ground decoder from the header alone, and refuse invalid parameters naming them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hyper123Command, Hyper123ParamError, compressHyper123, hyper123Defaults } from "../../../host/commands/hyper123.ts";
import { loadFlightLib } from "../../../host/obc/lib.ts";

const dir = mkdtempSync(join(tmpdir(), "hyper123-cli-"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
const NX = 11, NY = 6, NZ = 5;
const cube = Uint16Array.from({ length: NX * NY * NZ }, (_, i) => (1000 + 300 * Math.sin(i * 0.05) + (i % 7)) | 0);
writeFileSync(join(dir, "in.raw"), new Uint8Array(cube.buffer));

/** Runs the command with stderr captured. */
async function run(args: string[]): Promise<{ code: number; err: string }> {
  let err = "";
  const orig = process.stderr.write.bind(process.stderr);
  (process.stderr as any).write = (s: string | Uint8Array) => { err += String(s); return true; };
  try { return { code: await hyper123Command(args), err }; } finally { (process.stderr as any).write = orig; }
}

test("[123.0-B-2 §5.3] CLI round trip: BIL stream, near-lossless, decompressed from the header alone into BIP", async () => {
  const c = await run(["--nx", `${NX}`, "--ny", `${NY}`, "--nz", `${NZ}`, "--d", "12", "--order", "bil", "--p", "2", "--local-sum", "narrow-column", "--coder", "hybrid",
    "--intraband-offset", "-2", "--interband-offset", "1",
    "--abs-error", "2", "--theta", "3", "--phi", "2", "--psi", "1", join(dir, "in.raw"), join(dir, "s.bin")]);
  assert.equal(c.code, 0, c.err);
  const d = await run(["-d", "--output-order", "bip", join(dir, "s.bin"), join(dir, "out.raw")]);
  assert.equal(d.code, 0, d.err);
  const b = readFileSync(join(dir, "out.raw"));
  const out = new Uint16Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
  for (let z = 0; z < NZ; z++) for (let y = 0; y < NY; y++) for (let x = 0; x < NX; x++)
    assert.ok(Math.abs(out[(y * NX + x) * NZ + z] - cube[(z * NY + y) * NX + x]) <= 2);
});

test("[123.0-B-2 §5.3] CLI lossless default parameters give the same stream as the library", async () => {
  const c = await run(["--nx", `${NX}`, "--ny", `${NY}`, "--nz", `${NZ}`, "--coder", "block-adaptive", "--block-size", "32", join(dir, "in.raw"), join(dir, "l.bin")]);
  assert.equal(c.code, 0, c.err);
  const want = compressHyper123(loadFlightLib(), { ...hyper123Defaults(NX, NY, NZ), coder: "block-adaptive", blockSize: 32 }, cube);
  assert.deepEqual(new Uint8Array(readFileSync(join(dir, "l.bin"))), want);
  assert.equal((await run(["-d", join(dir, "l.bin"), join(dir, "l.raw")])).code, 0);
  assert.deepEqual(new Uint8Array(readFileSync(join(dir, "l.raw"))), new Uint8Array(cube.buffer));
});

test("[123.0-B-2 §4.7.2] CLI refuses invalid parameters with exit code 2, naming the parameter and the allowed range", async () => {
  const base = ["--nx", `${NX}`, "--ny", `${NY}`, "--nz", `${NZ}`];
  const cases: [string[], RegExp][] = [
    [["--p", "16"], /parameter p = 16 .*allowed 0\.\.15/],
    [["--omega", "20"], /parameter omega = 20 .*allowed 4\.\.19/],
    [["--omega", "19", "--r", "33"], /parameter r = 33 .*allowed 37\.\.64/],
    [["--t-inc", "100"], /parameter t-inc = 100 .*power of two/],
    [["--local-sum", "diagonal"], /parameter local-sum/],
    [["--d", "12", "--k", "11"], /parameter k = 11 .*allowed 0\.\.10/],
    [["--coder", "arithmetic"], /parameter coder = arithmetic/],
    [["--block-size", "12", "--coder", "block-adaptive"], /parameter block-size = 12/],
    [["--abs-error", "5", "--abs-bits", "2"], /parameter absLimit = 5 .*allowed 0\.\.2\^D_A-1/],
    [["--interband-offset", "6"], /parameter interband-offset = 6 .*allowed -6\.\.5/],
  ];
  for (const [extra, re] of cases) {
    const r = await run([...base, ...extra, join(dir, "in.raw"), join(dir, "x.bin")]);
    assert.equal(r.code, 2, `${extra.join(" ")}: ${r.err}`);
    assert.match(r.err, re);
  }
  const wrongSize = await run(["--nx", "12", "--ny", `${NY}`, "--nz", `${NZ}`, join(dir, "in.raw"), join(dir, "x.bin")]);
  assert.equal(wrongSize.code, 2);
  assert.match(wrongSize.err, /INFILE size/);
  assert.throws(() => compressHyper123(loadFlightLib(), { ...hyper123Defaults(1, 4, 4), localSum: 0, reduced: true }, new Uint16Array(16)),
    (e: unknown) => e instanceof Hyper123ParamError && e.param === "localSum");
});

test("[123.0-B-2 §5.3] CLI decompression of a corrupt stream fails with exit code 1", async () => {
  writeFileSync(join(dir, "bad.bin"), Uint8Array.from([0, 0, 5, 0, 5, 0, 5, 0x7F]));
  const r = await run(["-d", join(dir, "bad.bin"), join(dir, "bad.raw")]);
  assert.equal(r.code, 1);
  assert.match(r.err, /CCSDS 123 (TRUNCATED|BAD_HEADER)/);
});
