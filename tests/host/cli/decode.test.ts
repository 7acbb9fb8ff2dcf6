// `tengri decode` tells the truth: a stream decoded with the wrong options, garbage or an empty
// file exits 1 and says why, with a hint naming the options that do decode; a good stream,
// from a file or from standard input, exits 0.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { LinkBuilder, makePacket, concat, rng } from "../ground/link-builder.ts";
import type { LinkConfig } from "../../../host/ground/link-decoder.ts";

const BIN = fileURLToPath(new URL("../../../bin/tengri.mjs", import.meta.url));
const tengri = (args: string[], input?: Uint8Array) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", input, maxBuffer: 1 << 26, timeout: 120_000 });

/** A CADU stream: packets of varied lengths on VC 1 spanning frames, then idle frames. */
function stream(cfg: LinkConfig, frames = 60): Uint8Array {
  const b = new LinkBuilder(cfg);
  const r = rng(7);
  for (let i = 0; i < 200; i++) b.addPacket(1, makePacket(0x100 + (i % 3), i, new Uint8Array(100 + Math.floor(r() * 900)).map(() => Math.floor(r() * 256)), { secHdr: true }));
  const out: Uint8Array[] = [];
  while (out.length < frames) out.push(b.cadu(b.frame(1)));
  return concat(out);
}

const AOS: LinkConfig = { frameType: "aos", frameLen: 892, rsE: 16, rsDepth: 4, randomizer: true, fecf: false, ocf: false };
const TM: LinkConfig = { frameType: "tm", frameLen: 1115, rsE: 16, rsDepth: 5, randomizer: true, fecf: true, ocf: false };
const aosArgs = ["--frame", "aos", "--frame-length", "892", "--rs-depth", "4", "--no-fecf"];
const tmArgs = ["--frame", "tm", "--frame-length", "1115", "--rs-depth", "5"];

function withFiles(f: (dir: string) => void) {
  const dir = mkdtempSync(join(tmpdir(), "tengri-decode-cli-"));
  try { f(dir); } finally { rmSync(dir, { recursive: true, force: true }); }
}

test("[tengri §decode] a good TM and a good AOS stream exit 0, from a file and from standard input (-)", () => withFiles((dir) => {
  const tm = join(dir, "tm.cadu"), aos = join(dir, "aos.cadu");
  writeFileSync(tm, stream(TM));
  writeFileSync(aos, stream(AOS));
  const a = tengri(["decode", tm, ...tmArgs, "--json"]);
  assert.equal(a.status, 0, a.stderr);
  const js = JSON.parse(a.stdout);
  assert.equal(js.framesGood, 60);
  assert.equal(js.verdict.ok, true);
  assert.equal(tengri(["decode", aos, ...aosArgs]).status, 0);
  const s = tengri(["decode", "-", ...aosArgs, "--json"], stream(AOS));
  assert.equal(s.status, 0, s.stderr);
  assert.equal(JSON.parse(s.stdout).framesGood, 60);
}));

test("[tengri §decode] AOS frames decoded as TM with FECF (the defaults): exit 1, the hint names --frame aos --no-fecf", () => withFiles((dir) => {
  const f = join(dir, "aos.cadu");
  writeFileSync(f, stream(AOS));
  const r = tengri(["decode", f, "--frame", "tm", "--frame-length", "892", "--rs-depth", "4"]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no frame decoded from 60 CADUs \(60 bad FECF\)/);
  assert.match(r.stderr, /frames decode with --frame aos --no-fecf: 48 of 48/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
}));

test("[tengri §decode] wrong --frame alone: exit 1, the hint names the other frame type", () => withFiles((dir) => {
  const f = join(dir, "tm.cadu");
  writeFileSync(f, stream(TM));
  const r = tengri(["decode", f, "--frame", "aos", "--frame-length", "1115", "--rs-depth", "5"]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /bad headers/);
  assert.match(r.stderr, /frames decode with --frame tm: 48 of 48/);
}));

test("[tengri §decode] wrong FECF setting either way: exit 1, the hint says which", () => withFiles((dir) => {
  const tm = join(dir, "tm.cadu"), aos = join(dir, "aos.cadu");
  writeFileSync(tm, stream(TM));
  writeFileSync(aos, stream(AOS));
  // FECF present, --no-fecf given: frames pass, but packets are cut at every frame boundary.
  const a = tengri(["decode", tm, ...tmArgs, "--no-fecf"]);
  assert.equal(a.status, 1);
  assert.match(a.stderr, /packets broken in most data frames/);
  assert.match(a.stderr, /frames decode without --no-fecf: 48 of 48/);
  // No FECF, checked for one: every frame fails its CRC.
  const b = tengri(["decode", aos, "--frame", "aos", "--frame-length", "892", "--rs-depth", "4"]);
  assert.equal(b.status, 1);
  assert.match(b.stderr, /bad FECF/);
  assert.match(b.stderr, /frames decode with --no-fecf: 48 of 48/);
}));

test("[tengri §decode] wrong randomizer, RS depth or E, frame length: exit 1, the hint names the fitting options", () => withFiles((dir) => {
  const f = join(dir, "tm.cadu");
  writeFileSync(f, stream(TM));
  const cases: [string[], RegExp][] = [
    [[...tmArgs, "--no-randomizer"], /frames decode without --no-randomizer: 48 of 48/],
    [["--frame", "tm", "--frame-length", "892", "--rs-depth", "4"], /frames decode with --frame-length 1115 --rs-depth 5: 48 of 48/],
    [[...tmArgs, "--rs-e", "8"], /frames decode with --rs-e 16: 48 of 48/],
  ];
  for (const [args, hint] of cases) {
    const r = tengri(["decode", f, ...args]);
    assert.equal(r.status, 1, args.join(" "));
    assert.match(r.stderr, hint, args.join(" "));
  }
}));

test("[tengri §decode] garbage, an empty file, empty standard input: exit 1, nothing decoded, no hint invented", () => withFiles((dir) => {
  const g = join(dir, "garbage.bin"), e = join(dir, "empty.bin");
  const r = rng(3);
  writeFileSync(g, new Uint8Array(200_000).map(() => Math.floor(r() * 256)));
  writeFileSync(e, new Uint8Array(0));
  const a = tengri(["decode", g, ...tmArgs]);
  assert.equal(a.status, 1);
  assert.match(a.stderr, /no CADU found|no frame decoded/);
  assert.doesNotMatch(a.stderr, /frames decode with/);
  const b = tengri(["decode", e, ...tmArgs]);
  assert.equal(b.status, 1);
  assert.match(b.stderr, /the input is empty/);
  const c = tengri(["decode", "-", ...tmArgs], new Uint8Array(0));
  assert.equal(c.status, 1);
  assert.match(c.stderr, /the input is empty/);
}));

test("[tengri §decode] a stream that is mostly good (a few CADUs damaged beyond RS) still exits 0; most damaged exits 1", () => withFiles((dir) => {
  const s = stream(TM);
  const cadu = 4 + 1275;
  const some = s.slice();
  for (const k of [5, 17, 33]) for (let i = 0; i < 200; i++) some[k * cadu + 10 + i] ^= 0x5a;
  writeFileSync(join(dir, "some.cadu"), some);
  const a = tengri(["decode", join(dir, "some.cadu"), ...tmArgs, "--json"]);
  assert.equal(a.status, 0, a.stderr);
  assert.equal(JSON.parse(a.stdout).framesDropped, 3);
  const most = s.slice();
  for (let k = 0; k < 40; k++) for (let i = 0; i < 200; i++) most[k * cadu + 10 + i] ^= 0x5a;
  writeFileSync(join(dir, "most.cadu"), most);
  const b = tengri(["decode", join(dir, "most.cadu"), ...tmArgs]);
  assert.equal(b.status, 1);
  assert.match(b.stderr, /most frames failed: 20 good of 60 \(\d+ RS codewords uncorrectable\)/);
}));

test("[tengri §decode] right options on a badly damaged link: exit 1, and the hint does not blame the options", () => withFiles((dir) => {
  const s = stream(TM);
  const cadu = 4 + 1275;
  // Every other CADU damaged beyond RS, plus a few more: most frames fail, the options are right.
  for (let k = 0; k < 60; k++) if (k % 2 === 0 || k % 7 === 0) for (let i = 0; i < 200; i++) s[k * cadu + 10 + i] ^= 0x5a;
  writeFileSync(join(dir, "noisy.cadu"), s);
  const r = tengri(["decode", join(dir, "noisy.cadu"), ...tmArgs]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /most frames failed/);
  assert.match(r.stderr, /does better on the first CADUs \(\d+ of 48 frames good with these options\): the link itself may be damaged/);
  assert.doesNotMatch(r.stderr, /frames decode with/);
}));
