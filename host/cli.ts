// The `tengri` command: argument parsing only; the work is in the modules it calls.
// Exit codes: 0 success, 1 failure (a pass that did not verify, an I/O error), 2 bad usage,
// 3 the flight image refused its configuration or crashed.
import { parseArgs } from "node:util";
import { readFileSync, writeFileSync } from "node:fs";
import { runPass, FLIGHT_WASM, openScene } from "./pass.ts";
import { printSummary } from "./report/summary.ts";
import { loadProfile, listProfiles, derived, ProfileError } from "./profiles/index.ts";
import { flash, verifyImage, ImageError } from "./obc/image.ts";
import { configRecord } from "./obc/config-table.ts";
import { encodeLine, encodeEnd } from "./obc/bus.ts";
import { ObcCrashError, ObcConfigError } from "./obc/obc.ts";
import { SceneError } from "./sensor/index.ts";

const tty = process.stdout.isTTY && !process.env.NO_COLOR;
const c = (code: number) => (s: string | number) => (tty ? `\x1b[${code}m${s}\x1b[0m` : String(s));
const green = c(32), red = c(31);

class UsageError extends Error {}

const HELP: Record<string, string> = {
  main: `tengri — onboard payload data handling for EO satellites, and its test bench

Usage: tengri <command> [options]   (tengri <command> --help for each)

Commands:
  pass       run a whole imaging pass: sensor → flight image → link → ground → summary
  sensor     write a payload-bus stream (configuration + line records) to stdout or a file
  flash      package a flight .wasm for a hardware profile into an image file
  decode     decode any CCSDS CADU stream (TM or AOS, RS, randomizer) into frames and packets
  profiles   list and validate the hardware profiles
  serve      hardware in the loop: the flight image's bus and CADU stream on TCP ports
  faults     the fault-injection campaign on the emulated OBC (npm run faults)
  aec        CCSDS 121.0-B-3 coder, a drop-in for libaec's aec tool
  hyper123   CCSDS 123.0-B-2 compressor and decompressor
  eval-cloud run the flight cloud screener over labelled tiles and score it
`,
  pass: `Usage: tengri pass [--profile NAME|FILE] [--scene synthetic|FILE] [--lines N] [--seed S]
                   [--ber X] [--burst-every BYTES --burst-len BYTES] [--drop-cadu I,...]
                   [--out DIR] [--json]

Runs a whole imaging pass on the emulated OBC and verifies, line by line, what the ground
received against what the imager produced.
  --profile    hardware profile name (hardware-profiles/NAME.json) or path (default: default)
  --scene      "synthetic" (default), or a scene FILE: an ENVI cube (.hdr beside it), a
               GeoTIFF (.tif), or a raw cube whose geometry comes from its name
               (…_bsq_u16le_z224_y83_x86.raw), a sidecar JSON, or --cube-bands, --cube-lines,
               --cube-pixels, --cube-layout bsq|bil|bip, --cube-type u16le|u16be|i16le|i16be|u8;
               --format raw|envi|geotiff overrides the guess; --cube-fit nearest|area|pad fits
               its width to the profile's pixels per line
  --cloud-fraction  share of the synthetic scene under cloud (0..1)
  --lines      lines to image (default 2000)
  --seed       seed of the scene and the channel (default 1)
  --ber        random bit error rate on the downlink (default 0)
  --burst-every, --burst-len   mean bytes between error bursts, and their length
  --drop-cadu  comma-separated CADU indices the link loses
  --out DIR    write pass.cadu, report.json, report.html and PNG quicklooks there
  --json       print the summary as JSON
Exit: 0 verified, 1 not verified, 2 bad usage, 3 the OBC refused its configuration or crashed.`,
  sensor: `Usage: tengri sensor --profile P [--scene synthetic|FILE] [--lines N] [--seed S] [-o FILE]

Writes the payload-bus stream a flight image reads on stdin (configuration table, line
records, end of pass), for use with another WASI runtime or a hardware bench:
  tengri sensor --profile default --lines 500 > bus.bin
  wasmtime build/flight.wasm < bus.bin > pass.cadu`,
  flash: `Usage: tengri flash FLIGHT.wasm --profile P -o IMAGE.bin [--build-id ID]

Packages a flight .wasm into an image file (magic, format, build id, target profile, length,
SHA-256) with its memory maximum set to the profile's RAM, after checking its imports.`,
  aec: `Usage: tengri aec [-d] [-n BITS] [-j BLOCK] [-r RSI] [-s] [-N] [-t] [-p] [-m] [-3] INFILE OUTFILE

A drop-in for libaec's aec tool (same flags, same meaning): encodes INFILE with the flight
CCSDS 121.0-B-3 encoder (build/lib.wasm), or decodes it with -d through the ground decoder.
  -d  decode                               -n  bits per sample, 1..32 (default 8)
  -j  block size 8/16/32/64 (default 8)    -r  reference sample interval in blocks, 1..4096 (default 2)
  -s  signed samples                       -N  no preprocessing (predictor + mapper off)
  -t  restricted code options (n <= 4)     -p  pad each RSI to a byte boundary
  -m  samples stored MSB first             -3  24-bit samples stored in 3 bytes
Exit codes as libaec's aec: 0 success, 1 usage or coding error, 99 file error, 255 bad option value.`,
  "eval-cloud": `Usage: tengri eval-cloud [--data DIR] [--json] [--no-loo]     (npm run eval:cloud [-- …])

Runs the flight cloud screener (the real WASM, build/lib.wasm) over labelled tiles in the layout
of ../shared/data/cloud (<id>.u16, <id>.mask.u8, <id>.json) and prints, per tile and pooled,
overall accuracy, precision, recall, F1, IoU, commission and omission, the 64 × 64 block decision
accuracy, and a leave-one-out result (thresholds fixed on the other tiles).
  --data DIR  the tiles (default ../shared/data/cloud)   --json  machine-readable output
  --no-loo    skip the leave-one-out runs`,
  profiles: `Usage: tengri profiles [--json]

Lists the hardware profiles in hardware-profiles/ and validates each against schema.json.`,
};

function need<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new UsageError(`missing ${what}`);
  return v;
}
function num(v: string | undefined, name: string, def: number, min = -Infinity, max = Infinity): number {
  if (v === undefined) return def;
  const x = Number(v);
  if (!Number.isFinite(x) || x < min || x > max) throw new UsageError(`--${name} must be a number in [${min}, ${max}], got "${v}"`);
  return x;
}

function sceneOpt(v: Record<string, string | boolean | undefined>) {
  const opt = (k: string, min: number, max: number) => (v[k] === undefined ? undefined : num(v[k] as string, k, 0, min, max));
  const layout = v["cube-layout"] as string | undefined, type = v["cube-type"] as string | undefined;
  if (layout !== undefined && !["bsq", "bil", "bip"].includes(layout)) throw new UsageError(`--cube-layout must be bsq, bil or bip, got "${layout}"`);
  if (type !== undefined && !["u16le", "u16be", "u8", "i16le", "i16be"].includes(type)) throw new UsageError(`--cube-type must be u16le, u16be, i16le, i16be or u8, got "${type}"`);
  const fit = v["cube-fit"] as string | undefined, format = v.format as string | undefined;
  if (fit !== undefined && !["nearest", "area", "pad"].includes(fit)) throw new UsageError(`--cube-fit must be nearest, area or pad, got "${fit}"`);
  if (format !== undefined && !["raw", "envi", "geotiff"].includes(format)) throw new UsageError(`--format must be raw, envi or geotiff, got "${format}"`);
  return {
    scene: (v.scene as string | undefined) ?? "synthetic",
    cube: { bands: opt("cube-bands", 1, 65535), cubeLines: opt("cube-lines", 1, 1e9), pixels: opt("cube-pixels", 1, 65535), layout: layout as "bsq" | undefined, sampleType: type as "u16le" | undefined,
      fit: fit as "nearest" | undefined, format: format as "raw" | undefined, cloudFraction: opt("cloud-fraction", 0, 1) },
  };
}

const sceneArgs = {
  scene: { type: "string" }, "cube-bands": { type: "string" }, "cube-lines": { type: "string" }, "cube-pixels": { type: "string" },
  "cube-layout": { type: "string" }, "cube-type": { type: "string" }, "cube-fit": { type: "string" }, format: { type: "string" },
  "cloud-fraction": { type: "string" },
} as const;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === "--help" || cmd === "-h" || cmd === "help") { console.log(HELP.main); return cmd ? 0 : 2; }
  if ((rest.includes("--help") || rest.includes("-h")) && HELP[cmd]) { console.log(HELP[cmd]); return 0; }
  switch (cmd) {
    case "pass": {
      const { values: v } = parseArgs({ args: rest, options: { profile: { type: "string" }, ...sceneArgs, lines: { type: "string" }, seed: { type: "string" }, ber: { type: "string" },
        "burst-every": { type: "string" }, "burst-len": { type: "string" }, "drop-cadu": { type: "string" }, out: { type: "string" }, json: { type: "boolean" } } });
      const lines = num(v.lines, "lines", 2000, 1, 1e8);
      const progress = process.stderr.isTTY && !v.json;
      const s = await runPass({
        profile: v.profile ?? "default", ...sceneOpt(v), lines, seed: num(v.seed, "seed", 1, 0, 2 ** 31), ber: num(v.ber, "ber", 0, 0, 0.5),
        burstEvery: v["burst-every"] ? num(v["burst-every"], "burst-every", 0, 1) : undefined, burstLen: v["burst-len"] ? num(v["burst-len"], "burst-len", 0, 1) : undefined,
        dropCadus: v["drop-cadu"] ? v["drop-cadu"].split(",").map((x) => num(x, "drop-cadu", 0, 0)) : undefined, out: v.out,
        onProgress: progress ? (n, t) => { const w = 30, f = Math.round((w * n) / t); process.stderr.write(`\r  [${"#".repeat(f)}${".".repeat(w - f)}] ${n}/${t} lines`); } : undefined,
      });
      if (progress) process.stderr.write("\r\x1b[K");
      if (v.json) console.log(JSON.stringify(s, null, 2)); else printSummary(s);
      return s.verified ? 0 : 1;
    }
    case "sensor": {
      const { values: v } = parseArgs({ args: rest, options: { profile: { type: "string" }, ...sceneArgs, lines: { type: "string" }, seed: { type: "string" }, output: { type: "string", short: "o" } } });
      const p = loadProfile(v.profile ?? "default");
      const lines = num(v.lines, "lines", 1000, 1, 1e8);
      const scene = openScene(p, { ...sceneOpt(v), seed: num(v.seed, "seed", 1, 0, 2 ** 31) }, lines);
      const chunks: Buffer[] = [];
      const out = v.output ? (b: Uint8Array) => chunks.push(Buffer.from(b)) : (b: Uint8Array) => process.stdout.write(b);
      out(configRecord(p));
      let n = 0;
      for (let l = scene.next(); l; l = scene.next(), n++) out(encodeLine({ ...l, bands: p.sensor.bands.length, pixels: p.sensor.pixelsPerLine, bitDepth: p.sensor.bitDepth }));
      out(encodeEnd(n));
      if (v.output) writeFileSync(v.output, Buffer.concat(chunks));
      return 0;
    }
    case "flash": {
      const { values: v, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { profile: { type: "string" }, output: { type: "string", short: "o" }, "build-id": { type: "string" } } });
      const wasmPath = positionals[0] ?? FLIGHT_WASM;
      const p = loadProfile(need(v.profile, "--profile"));
      const img = flash(readFileSync(wasmPath), p, v["build-id"] ?? "tengri-dev");
      verifyImage(img, p);
      writeFileSync(need(v.output, "-o IMAGE"), img);
      console.log(`flashed ${wasmPath} for profile ${p.name}: ${img.length} bytes, memory limit ${p.obc.ramBytes} bytes`);
      return 0;
    }
    case "decode": {
      const { decodeCommand } = await import("./commands/decode.ts");
      return decodeCommand(rest);
    }
    case "serve": {
      const { serveCommand } = await import("./commands/serve.ts");
      return serveCommand(rest);
    }
    case "faults": {
      const { faultsCommand } = await import("./obc/faults-cli.ts");
      return faultsCommand(rest);
    }
    case "aec": {
      const { aecCommand } = await import("./commands/aec.ts");
      return aecCommand(rest);
    }
    case "hyper123": {
      const { hyper123Command } = await import("./commands/hyper123.ts");
      return hyper123Command(rest);
    }
    case "eval-cloud": {
      const { evalCloudCommand } = await import("./commands/eval-cloud.ts");
      return evalCloudCommand(rest);
    }
    case "profiles": {
      const { values: v } = parseArgs({ args: rest, options: { json: { type: "boolean" } } });
      const list = listProfiles();
      if (v.json) { console.log(JSON.stringify(list.map((x) => ({ name: x.name, file: x.file, ok: x.ok, error: x.error?.message })), null, 2)); return list.every((x) => x.ok) ? 0 : 1; }
      for (const x of list) {
        if (!x.ok) { console.log(`${red("✗")} ${x.name.padEnd(16)} ${x.error?.message}`); continue; }
        const p = loadProfile(x.file), d = derived(p);
        console.log(`${green("✓")} ${x.name.padEnd(16)} ${p.sensor.bands.length} bands × ${p.sensor.pixelsPerLine} px, ${p.sensor.bitDepth}-bit, ${p.link.frame.type.toUpperCase()} ${p.link.frame.length} B RS(255,${255 - 2 * p.link.coding.rsE}) I=${p.link.coding.rsDepth}, raw ${(d.rawBitRate / 1e6).toFixed(1)} Mbit/s vs downlink ${(p.link.downlinkBitRate / 1e6).toFixed(0)} Mbit/s, RAM ${(p.obc.ramBytes / 1048576).toFixed(0)} MiB`);
      }
      return list.every((x) => x.ok) ? 0 : 1;
    }
    default:
      throw new UsageError(`unknown command "${cmd}" (tengri --help lists them)`);
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e) => {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith?.("ERR_PARSE_ARGS")) { console.error(`tengri: ${e.message}`); process.exitCode = 2; }
    else if (e instanceof ProfileError || e instanceof SceneError) { console.error(`tengri: ${e.message}`); process.exitCode = 2; }
    else if (e instanceof ObcConfigError || e instanceof ObcCrashError || e instanceof ImageError) { console.error(`tengri: ${e.message}`); process.exitCode = 3; }
    else { console.error(`tengri: ${e instanceof Error ? e.stack : e}`); process.exitCode = 1; }
  },
);
