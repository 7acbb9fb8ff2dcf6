// `tengri aec` streams (issue 12 item 2): a file larger than the memory the command may use goes
// through a pipe (INFILE a FIFO fed by this test), is encoded, and decoded again into a pipe that
// this test drains; the decoded bytes must be the generated ones, and each process's peak
// resident memory (its own report at exit) must stay far below the file's size. A command that
// read the whole file, or kept the whole output, would hold at least the file in memory.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../../bin/tengri.mjs", import.meta.url));
const MiB = 1 << 20;
const TOTAL = 384 * MiB;          // bytes of 16-bit samples through the pipe
const BOUND = 200 * MiB;          // peak RSS allowed to each command
const fifoOk = process.platform !== "win32" && spawnSync("mkfifo", ["--version"], { stdio: "ignore" }).status === 0;

/** Block i of the generated samples: a slow ramp with a little noise (codes in split-sample and
 *  zero-block options), 16-bit little-endian. */
function block(i: number): Buffer {
  const b = Buffer.alloc(4 * MiB);
  let seed = (i * 2654435761) >>> 0;
  for (let p = 0; p < b.length; p += 2) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const t = i * (b.length >> 1) + (p >> 1);
    const v = ((t >> 12) & 0x3ff) + (((t >> 20) & 1) ? 0 : (seed >>> 29));
    b.writeUInt16LE(v, p);
  }
  return b;
}

/** Runs tengri with a wrapper that reports process.resourceUsage().maxRSS (KiB) on stderr. */
function tengri(args: string[]): Promise<{ code: number | null; stderr: string; maxRss: number }> {
  const wrapper = `process.on("exit", () => process.stderr.write("\\nmaxRSS " + process.resourceUsage().maxRSS + "\\n")); await import(${JSON.stringify(new URL(`file://${BIN}`).href)});`;
  return new Promise((resolve) => {
    const c = spawn(process.execPath, ["--input-type=module", "-e", wrapper, "tengri", ...args], { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    c.stderr.on("data", (d) => { err += d; });
    const timer = setTimeout(() => c.kill("SIGKILL"), 600_000);
    c.on("close", (code) => {
      clearTimeout(timer);
      const m = /maxRSS (\d+)/.exec(err);
      resolve({ code, stderr: err.replace(/\n?maxRSS \d+\n/, ""), maxRss: m ? Number(m[1]) * 1024 : NaN });
    });
  });
}

test("[121.0-B-3] tengri aec encodes from a pipe and decodes into a pipe in bounded memory: 384 MiB through, peak RSS < 200 MiB each, bytes unchanged", { skip: !fifoOk && "needs mkfifo", timeout: 900_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "tengri-aec-stream-"));
  try {
    const fin = join(dir, "in.fifo"), coded = join(dir, "coded.rz"), fout = join(dir, "out.fifo");
    assert.equal(spawnSync("mkfifo", [fin, fout]).status, 0);
    // encode: INFILE is the FIFO this test writes
    const inHash = createHash("sha256");
    const enc = tengri(["aec", "-n", "16", "-j", "16", "-r", "128", fin, coded]);
    const writer = createWriteStream(fin);
    for (let i = 0; i < TOTAL / (4 * MiB); i++) {
      const b = block(i);
      inHash.update(b);
      if (!writer.write(b)) await new Promise<void>((r) => writer.once("drain", () => r()));
    }
    await new Promise<void>((r) => writer.end(() => r()));
    const e = await enc;
    assert.equal(e.code, 0, e.stderr);
    assert.ok(e.maxRss < BOUND, `encoder peak RSS ${(e.maxRss / MiB).toFixed(0)} MiB`);
    assert.ok(statSync(coded).size > 0);
    // decode: OUTFILE is the FIFO this test reads
    const dec = tengri(["aec", "-d", "-n", "16", "-j", "16", "-r", "128", coded, fout]);
    const outHash = createHash("sha256");
    let outLen = 0;
    for await (const chunk of createReadStream(fout)) { outHash.update(chunk as Buffer); outLen += (chunk as Buffer).length; }
    const d = await dec;
    assert.equal(d.code, 0, d.stderr);
    assert.equal(outLen, TOTAL);
    assert.equal(outHash.digest("hex"), inHash.digest("hex"), "decoded bytes are the generated ones");
    assert.ok(d.maxRss < BOUND, `decoder peak RSS ${(d.maxRss / MiB).toFixed(0)} MiB`);
    t.diagnostic(`peak RSS: encoder ${(e.maxRss / MiB).toFixed(0)} MiB, decoder ${(d.maxRss / MiB).toFixed(0)} MiB, for ${TOTAL / MiB} MiB of samples (coded ${(statSync(coded).size / MiB).toFixed(1)} MiB)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
