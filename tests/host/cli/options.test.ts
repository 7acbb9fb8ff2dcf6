// Help, README and parsers agree: every option a command accepts is in its --help and in the
// README's command table (or the paragraph the row points to), and nothing is listed that the
// command does not accept.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { COMMAND_OPTIONS, SCENE_OPTIONS } from "../../../host/commands/options.ts";
import { DECODE_OPTIONS, parseDecodeArgs, DecodeArgError } from "../../../host/commands/decode.ts";
import { AEC_FLAGS, parseAecArgs, AecUsageError } from "../../../host/commands/aec.ts";
import { HYPER123_ENCODE_OPTIONS, HYPER123_DECODE_OPTIONS, HYPER123_FLAGS } from "../../../host/commands/hyper123.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BIN = fileURLToPath(new URL("../../../bin/tengri.mjs", import.meta.url));
const tengri = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 60_000 });

const longs = (t: string) => new Set([...t.matchAll(/(?<![\w-])--[a-z][a-z0-9-]*/g)].map((m) => m[0]).filter((o) => o !== "--help"));
const shorts = (t: string) => new Set([...t.matchAll(/(?<![\w-])-[a-zA-Z0-9](?![\w-])/g)].map((m) => m[0]).filter((o) => o !== "-h"));
const sorted = (s: Iterable<string>) => [...s].sort();

function readmeCommandLine(): string {
  const r = readFileSync(`${ROOT}README.md`, "utf8");
  const i = r.indexOf("## Command line");
  return r.slice(i, r.indexOf("\n## ", i + 10));
}
/** The README's table row for a command, with the paragraph a "[scene options]" or "[hyper123 options]" points to. */
function readmeRow(cmd: string): string {
  const sec = readmeCommandLine();
  const row = sec.split("\n").find((l) => l.startsWith(`| \`tengri ${cmd} `) || l.startsWith(`| \`tengri ${cmd}\``));
  assert.ok(row, `README command table has a row for ${cmd}`);
  let cell = row.split("` |")[0];
  const para = (start: string) => { const i = sec.indexOf(start); assert.ok(i >= 0, start); return sec.slice(i, sec.indexOf("\n\n", i)); };
  if (cell.includes("[scene options]")) cell += " " + para("Scene options (`pass`, `sensor`):");
  if (cell.includes("[hyper123 options]")) cell += " " + para("`hyper123` options:");
  return cell;
}

const specLongs = (cmd: string) => new Set(Object.keys(COMMAND_OPTIONS[cmd]).map((k) => `--${k}`));
const specShorts = (cmd: string) => new Set(Object.values(COMMAND_OPTIONS[cmd]).flatMap((s) => ("short" in s && s.short ? [`-${s.short}`] : [])));

test("[tengri §cli] pass, sensor, flash, profiles, serve: --help and the README list exactly the options the parser accepts", () => {
  for (const cmd of Object.keys(COMMAND_OPTIONS)) {
    const r = tengri([cmd, "--help"]);
    assert.equal(r.status, 0, cmd);
    assert.deepEqual(sorted(longs(r.stdout)), sorted(specLongs(cmd)), `${cmd} --help`);
    for (const s of specShorts(cmd)) assert.ok(shorts(r.stdout).has(s), `${cmd} --help lists ${s}`);
    const row = readmeRow(cmd);
    assert.deepEqual(sorted(longs(row)), sorted(specLongs(cmd)), `README row of ${cmd}`);
    for (const s of specShorts(cmd)) assert.ok(shorts(row).has(s), `README row of ${cmd} lists ${s}`);
  }
  assert.ok(specLongs("pass").has("--cloud-fraction") && specLongs("pass").has("--band-map"));
  for (const k of Object.keys(SCENE_OPTIONS)) assert.ok(specLongs("sensor").has(`--${k}`), `sensor takes the scene option --${k}`);
});

test("[tengri §cli] an option no command knows is named in a usage error (exit 2)", () => {
  for (const cmd of ["pass", "sensor", "flash", "profiles", "serve"]) {
    const r = tengri([cmd, "--coreBleu", "1"]);
    assert.equal(r.status, 2, cmd);
    assert.match(r.stderr, /unknown option --coreBleu/, cmd);
    assert.doesNotMatch(r.stderr, /\n\s+at /, `${cmd}: no stack trace`);
  }
});

test("[tengri §cli] decode: the parser, --help and the README agree on every option", () => {
  const src = readFileSync(`${ROOT}host/commands/decode.ts`, "utf8");
  const parsed = new Set([...src.matchAll(/case "(--?[a-z][a-z-]*)"/g)].map((m) => m[1]));
  assert.deepEqual(sorted(parsed), sorted(DECODE_OPTIONS));
  const opts = new Set(DECODE_OPTIONS.filter((o) => o !== "--help" && o !== "-h"));
  const help = tengri(["decode", "--help"]);
  assert.equal(help.status, 0);
  assert.deepEqual(sorted(longs(help.stdout)), sorted(opts));
  assert.deepEqual(sorted(longs(readmeRow("decode"))), sorted(opts));
  // Every listed option is accepted; an unlisted one is not.
  for (const o of opts) {
    const withValue = ["--frame", "--frame-length", "--rs-depth", "--rs-e", "--insert-zone", "--frames-out", "--packets-out", "--profile", "--out"].includes(o);
    const argv = ["f", "--frame", "aos", "--frame-length", "892", "--rs-depth", "4", o, ...(withValue ? [o === "--frame" ? "aos" : o.endsWith("-out") ? "x" : o === "--rs-e" ? "16" : "4"] : [])];
    assert.doesNotThrow(() => parseDecodeArgs(argv), o);
  }
  assert.throws(() => parseDecodeArgs(["f", "--bogus"]), (e: unknown) => e instanceof DecodeArgError && /unknown option/.test(e.message));
});

test("[tengri §cli] aec: --help and the README list exactly the flags the parser accepts", () => {
  const help = tengri(["aec", "--help"]);
  assert.equal(help.status, 0);
  assert.deepEqual(sorted(shorts(help.stdout)), sorted(AEC_FLAGS));
  assert.deepEqual(sorted(shorts(readmeRow("aec"))), sorted(AEC_FLAGS));
  for (const f of AEC_FLAGS) assert.doesNotThrow(() => parseAecArgs(["-bjnr".includes(f[1]) && f !== "-b" ? `${f}16` : f === "-b" ? "-b8" : f, "in", "out"]), f);
  assert.throws(() => parseAecArgs(["-q", "in", "out"]), (e: unknown) => e instanceof AecUsageError && /unknown option -q/.test(e.message));
});

test("[tengri §cli] hyper123: --help and the README list exactly the options the parser accepts", () => {
  const all = new Set([...[...HYPER123_ENCODE_OPTIONS, ...HYPER123_DECODE_OPTIONS].map((o) => `--${o}`), ...HYPER123_FLAGS.filter((f) => f.startsWith("--"))]);
  const help = tengri(["hyper123", "--help"]);
  assert.equal(help.status, 0);
  assert.deepEqual(sorted(longs(help.stdout)), sorted(all));
  assert.deepEqual(sorted(longs(readmeRow("hyper123"))), sorted(all));
  const bad = tengri(["hyper123", "--coreBleu", "1", "a", "b"]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /unknown option --coreBleu/);
});

test("[tengri §cli] faults and eval-cloud: every option their --help lists is accepted and is in the README row", () => {
  const faultsHelp = tengri(["faults", "--help"]);
  assert.equal(faultsHelp.status, 0);
  const fl = longs(faultsHelp.stdout);
  assert.ok(fl.size >= 6, [...fl].join(" "));
  assert.deepEqual(sorted(longs(readmeRow("faults"))), sorted(fl));
  for (const o of fl) {
    // faults parses its options before it prints its help: an unknown one fails here.
    const r = tengri(["faults", o, ...(o === "--json" || o === "--no-update" ? [] : ["1"]), "--help"]);
    assert.equal(r.status, 0, `${o}: ${r.stderr}`);
  }
  const ec = tengri(["eval-cloud", "--help"]);
  assert.equal(ec.status, 0);
  assert.deepEqual(sorted(longs(readmeRow("eval-cloud"))), sorted(longs(ec.stdout)));
});
