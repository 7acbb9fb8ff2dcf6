// The bounded sample of the fuzz campaign (tests/fuzz, `npm run fuzz` for the whole of it): on
// every shipped profile, the image flashed with too little RAM, every field of every block of
// the configuration table at its boundary values (per-band fields of the first, second and last
// band), every structured bus-stream case, and a few dozen random tables and streams from a
// fixed seed. The image must refuse with a status or run to the end, never trap or hang, and
// where it accepted the table its downlink must decode clean. The harness itself is checked
// first: it must see a trap, a hang and an unclean downlink when there is one.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { runCampaign, type ProfileReport } from "../../fuzz/campaign.ts";
import { Pool } from "../../fuzz/pool.ts";
import { PROFILES, fixture, concat } from "../../fuzz/gen.ts";
import { checkDownlink } from "../../fuzz/downlink.ts";

const WASM = fileURLToPath(new URL("../../../build/flight.wasm", import.meta.url));
const skip = existsSync(WASM) ? false : "build/flight.wasm missing: run npm run build";

/** Hand-assembled WASI commands: _start is `unreachable`, an endless loop, or returns. */
function wasiModule(body: number[]): Uint8Array {
  const exp = [0x02, 0x06, ...Buffer.from("memory"), 0x02, 0x00, 0x06, ...Buffer.from("_start"), 0x00, 0x00];
  const code = [0x01, body.length + 1, 0x00, ...body];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
    0x03, 0x02, 0x01, 0x00,
    0x05, 0x03, 0x01, 0x00, 0x01,
    0x07, exp.length, ...exp,
    0x0a, code.length, ...code,
  ]);
}

test("[tengri §fuzz] the campaign harness counts a trap, a hang and a clean exit as such", { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "tengri-fuzz-test-"));
  try {
    const mods = { trap: wasiModule([0x00, 0x0b]), hang: wasiModule([0x03, 0x40, 0x0c, 0x00, 0x0b, 0x0b]), exit: wasiModule([0x0b]) };
    for (const [k, m] of Object.entries(mods)) writeFileSync(join(dir, `${k}.wasm`), m);
    const run = async (k: string, baseMs = 20000) => {
      const pool = new Pool({ size: 1, wasmPath: join(dir, `${k}.wasm`), baseMs, perMiBMs: 0 });
      try { return await pool.run({ id: 1, input: new Uint8Array(10), maxPages: null, accept: null }); } finally { await pool.close(); }
    };
    const t = await run("trap");
    assert.equal(t.outcome, "trap");
    assert.match(t.message ?? "", /unreachable/);
    const h = await run("hang", 1500);
    assert.equal(h.outcome, "hang");
    const e = await run("exit");
    assert.equal(e.outcome, "ran");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("[tengri §fuzz] the downlink check finds a corrected codeword, a cut CADU and a missing end of pass", { skip }, async () => {
  const f = fixture("default");
  const pool = new Pool({ size: 1, wasmPath: WASM });
  const dir = mkdtempSync(join(tmpdir(), "tengri-fuzz-test-"));
  try {
    // Run the baseline through the worker, keep its CADUs by replaying the image here.
    const r = await pool.run({ id: 1, input: concat([f.config, ...f.lines, f.end]), maxPages: f.maxPages, accept: f.table, wantLog: true });
    assert.equal(r.outcome, "ran", r.message ?? r.status);
    assert.equal(r.unclean, undefined, r.unclean);
    // The same pass in-process for its bytes (the worker module exports runCase; here node:wasi directly).
    const { WASI } = await import("node:wasi");
    const { openSync, closeSync } = await import("node:fs");
    writeFileSync(join(dir, "bus"), concat([f.config, ...f.lines, f.end]));
    const fin = openSync(join(dir, "bus"), "r"), fout = openSync(join(dir, "out"), "w"), ferr = openSync(join(dir, "err"), "w");
    const wasi = new WASI({ version: "preview1", args: ["flight"], env: {}, stdin: fin, stdout: fout, stderr: ferr, returnOnExit: true });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(WASM)), wasi.getImportObject() as WebAssembly.Imports);
    assert.equal(wasi.start(inst), 0);
    closeSync(fin); closeSync(fout); closeSync(ferr);
    const cadus = new Uint8Array(readFileSync(join(dir, "out")));
    const log = readFileSync(join(dir, "err"), "utf8");
    assert.equal(checkDownlink(f.table, cadus, log), null);
    const caduLen = 4 + 1115 + 5 * 32;                      // default: TM 1115, RS(255,223) I=5
    assert.equal(cadus.length % caduLen, 0);
    const flipped = cadus.slice(); flipped[caduLen + 100] ^= 0x10;
    assert.match(checkDownlink(f.table, flipped, log) ?? "", /RS: 0 uncorrectable, 1 corrected/);
    assert.match(checkDownlink(f.table, cadus.subarray(0, cadus.length - 100), log) ?? "", /truncated|packet errors|housekeeping/);
    assert.match(checkDownlink(f.table, cadus, log.replace(/pass ended/g, "")) ?? "", /no end-of-pass line/);
  } finally {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

function summary(p: ProfileReport): string {
  const t = p.total;
  const lines = [`${p.profile}: ${t.cases} cases, ${t.refused} refused, ${t.ran} ran, ${t.traps} traps, ${t.hangs} hangs, ${t.other} other, ${t.unclean} downlinks not clean`];
  for (const f of p.failures.slice(0, 8)) lines.push(`  ${f.kind}: ${f.name} → ${f.result.outcome}${f.result.message ? ` (${f.result.message})` : ""}${f.result.unclean ? `: ${f.result.unclean}` : ""}`);
  if (p.failures.length > 8) lines.push(`  … ${p.failures.length - 8} more (npm run fuzz writes reproducers)`);
  return lines.join("\n");
}

for (const profile of PROFILES) {
  test(`[tengri §fuzz] ${profile}: boundary tables, bus streams, too little RAM and 60 random tables and 30 streams neither trap nor hang, and accepted tables decode clean`, { skip }, async () => {
    const r = await runCampaign({ wasmPath: WASM, profiles: [profile], tables: 60, streams: 30, seed: 9, jobs: 2, bandSubset: (n) => [...new Set([0, 1, n - 1])], truncationStride: 5 });
    const p = r.profiles[0];
    assert.ok(p.total.cases > 500, `only ${p.total.cases} cases`);
    assert.ok(p.total.ran > 0 && p.total.refused > 0, summary(p));
    assert.equal(p.total.traps + p.total.hangs + p.total.other + p.total.unclean, 0, summary(p));
  });
}
