// The `tengri` command: argument parsing only; the work is in the modules it calls.
// Exit codes: 0 success, 1 failure (a pass that did not verify, a file that cannot be read or
// written, nothing decoded), 2 bad usage (the message names the option), 3 the flight image
// refused its configuration or crashed, or the image file was refused. An ordinary mistake is
// one line on stderr, never a stack trace (host/commands/usage.ts).
import { readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runPass, FLIGHT_WASM, openScene } from "./pass.ts";
import { printSummary } from "./report/summary.ts";
import { loadProfile, listProfiles, derived, ProfileError } from "./profiles/index.ts";
import { flash, verifyImage, ImageError, IMAGE_MAGIC } from "./obc/image.ts";
import { configRecord } from "./obc/config-table.ts";
import { encodeLine, encodeEnd } from "./obc/bus.ts";
import { ObcCrashError, ObcConfigError } from "./obc/obc.ts";
import { SceneError } from "./sensor/index.ts";
import { UsageError, CliFailure, numberOption, parseOptions, parseArgsError, readBuild, readInput, checkOutputFile, prepareOutputDir, displayPath, ioReason } from "./commands/usage.ts";
import { PASS_OPTIONS, SENSOR_OPTIONS, FLASH_OPTIONS, PROFILES_OPTIONS } from "./commands/options.ts";
import { moduleBuildId } from "./inspect/inspect.ts";
import { INSPECT_HELP, inspectCommand } from "./commands/inspect.ts";

const tty = process.stdout.isTTY && !process.env.NO_COLOR;
const c = (code: number) => (s: string | number) => (tty ? `\x1b[${code}m${s}\x1b[0m` : String(s));
const green = c(32), red = c(31);

const LIB_WASM = FLIGHT_WASM.replace(/flight\.wasm$/, "lib.wasm");

// `tengri … | head`: once the reader is gone there is nothing more to say (as for any Unix tool).
// tengri serve keeps serving (its log has nowhere to go, its clients still do: commands/serve.ts).
if (process.argv[2] !== "serve") {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e: NodeJS.ErrnoException) => { if (e.code === "EPIPE") process.exit(process.exitCode ?? 0); else throw e; });
  }
}

const SCENE_HELP = `Scene options (pass and sensor):
  --scene FILE       "synthetic" (default), or a scene file: an ENVI cube (.hdr beside it), a
                     GeoTIFF (.tif), or a raw cube whose geometry comes from its name
                     (…_bsq_u16le_z224_y83_x86.raw), a sidecar JSON, or the cube options below
  --format F         raw, envi or geotiff: overrides the guess from the name
  --cloud-fraction F share of the synthetic scene under cloud, 0..1
  --cube-bands N, --cube-lines N, --cube-pixels N   a raw cube's geometry
  --cube-layout L    a raw cube's layout: bsq, bil or bip
  --cube-type T      a raw cube's samples: u16le, u16be, i16le, i16be or u8
  --cube-fit F       fits the file's width to the profile's pixels per line: nearest, area, pad
  --band-map I,J,…   the file band (0-based) for each profile band, when the file's bands differ
                     from the profile's (default: nearest wavelength when the file names them,
                     else the same bands, or evenly spaced when the file has more)
  --wavelengths NM,… GeoTIFF: centre wavelength of each file band (nm), for mapping by wavelength
  --right-shift K    samples shifted right by K bits (0..15), for a file deeper than the profile`;

const HELP: Record<string, string> = {
  main: `tengri — onboard payload data handling for EO satellites, and its test bench

Usage: tengri <command> [options]   (tengri <command> --help for each)

Commands:
  pass       run a whole imaging pass: sensor → flight image → link → ground → summary
  sensor     write a payload-bus stream (configuration + line records) to stdout or a file
  flash      package a flight .wasm for a hardware profile into an image file
  inspect    what a flight .wasm or flashed image is: hashes, build id, source commit, features,
             memory, call graph and recursion check, cost figures
  decode     decode any CCSDS CADU stream (TM or AOS, RS, randomizer) into frames and packets
  profiles   list and validate the hardware profiles
  serve      hardware in the loop: the flight image's bus and CADU stream on TCP ports
  faults     the fault-injection campaign on the emulated OBC (npm run faults)
  aec        CCSDS 121.0-B-3 coder, a drop-in for libaec's aec tool
  hyper123   CCSDS 123.0-B-2 compressor and decompressor
  eval-cloud run the flight cloud screener over labelled tiles and score it

Exit: 0 success, 1 failure, 2 bad usage, 3 the flight image refused its configuration or crashed,
or the image file was refused (aec, hyper123: libaec's codes, see their --help).
`,
  pass: `Usage: tengri pass [--profile NAME|FILE] [--scene synthetic|FILE] [scene options] [--lines N]
                   [--seed S] [--ber X] [--burst-every BYTES --burst-len BYTES] [--drop-cadu I,...]
                   [--out DIR] [--json]

Runs a whole imaging pass on the emulated OBC and verifies, line by line, what the ground
received against what the imager produced.
  --profile    hardware profile name (hardware-profiles/NAME.json) or path (default: default)
  --lines      lines to image, ≥ 1 (default 2000)
  --seed       seed of the scene and the channel, ≥ 0 (default 1)
  --ber        random bit error rate on the downlink, 0..0.5 (default 0)
  --burst-every, --burst-len   mean bytes between error bursts, and their length (≥ 1)
  --drop-cadu  comma-separated CADU indices the link loses
  --out DIR    write pass.cadu, report.json, report.html and PNG quicklooks there (DIR is
               created if missing; files of the same names are overwritten); each file written
               is listed at the end
  --json       print the summary as JSON
${SCENE_HELP}
Exit: 0 verified, 1 not verified (or a file that cannot be read or written), 2 bad usage,
3 the OBC refused its configuration or crashed.`,
  sensor: `Usage: tengri sensor --profile P [--scene synthetic|FILE] [scene options] [--lines N] [--seed S] [-o FILE]

Writes the payload-bus stream a flight image reads on stdin (configuration table, line
records, end of pass), for use with another WASI runtime or a hardware bench:
  tengri sensor --profile default --lines 500 > bus.bin
  wasmtime build/flight.wasm < bus.bin > pass.cadu
  --profile    hardware profile name or path (default: default)
  --lines      lines, ≥ 1 (default 1000)
  --seed       seed of the synthetic scene, ≥ 0 (default 1)
  -o, --output FILE   write there instead of stdout (an existing file is overwritten; its
               folder must exist)
${SCENE_HELP}
Exit: 0 written, 1 a file that cannot be read or written, 2 bad usage.`,
  flash: `Usage: tengri flash [FLIGHT.wasm] --profile P -o IMAGE.bin [--build-id ID]

Packages a flight .wasm (default build/flight.wasm) into an image file (magic, format, build id,
target profile, length, SHA-256) with its memory maximum set to the profile's RAM, after
checking its imports. The image boots only with a profile of that RAM (as tengri serve checks).
  --profile    hardware profile name or path (required)
  -o, --output IMAGE.bin   the image file (an existing file is overwritten; its folder must exist)
  --build-id   build identifier recorded in the header, at most 32 ASCII characters (default: the
               one the build recorded in the module, else tengri-dev)
Exit: 0 flashed, 1 a file that cannot be read or written, 2 bad usage (a file that is not a
WebAssembly module), 3 the module was refused (imports, memory).`,
  aec: `Usage: tengri aec [-d] [-n BITS] [-j BLOCK] [-r RSI] [-s] [-N] [-t] [-p] [-m] [-3] [-b SIZE] INFILE OUTFILE

A drop-in for libaec's aec tool (same flags, same meaning): encodes INFILE with the flight
CCSDS 121.0-B-3 encoder (build/lib.wasm), or decodes it with -d through the ground decoder.
  -d  decode                               -n  bits per sample, 1..32 (default 8)
  -j  block size 8/16/32/64 (default 8)    -r  reference sample interval in blocks, 1..4096 (default 2)
  -s  signed samples                       -N  no preprocessing (predictor + mapper off)
  -t  restricted code options (n <= 4)     -p  pad each RSI to a byte boundary
  -m  samples stored MSB first             -3  24-bit samples stored in 3 bytes
  -b  buffer size (accepted and ignored, as libaec's aec)
OUTFILE is overwritten if it exists; its folder must exist.
Exit codes as libaec's aec: 0 success, 1 usage or coding error, 99 file error, 255 bad option value.`,
  "eval-cloud": `Usage: tengri eval-cloud [--data DIR] [--json] [--no-loo]     (npm run eval:cloud [-- …])

Runs the flight cloud screener (the real WASM, build/lib.wasm) over labelled tiles in the layout
of ../shared/data/cloud (<id>.u16, <id>.mask.u8, <id>.json) and prints, per tile, per set, per
land-cover class and pooled, overall accuracy, precision, recall, F1, IoU, commission and
omission, the 64 × 64 block decisions (clear blocks dropped), the bright-not-cloud share, and a
leave-one-out result (thresholds chosen on the other tiles by the rule it prints).
  --data DIR  a folder of tiles, repeatable (default ../shared/data/cloud and, if present,
              ../shared/data/cloud-biome)   --json  machine-readable output
  --no-loo    skip the leave-one-out runs`,
  inspect: INSPECT_HELP,
  profiles: `Usage: tengri profiles [--json]

Lists the hardware profiles in hardware-profiles/ and validates each against schema.json.
  --json       the list as JSON
Exit: 0 every profile valid, 1 one is not.`,
};

function need<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new UsageError(`missing ${what}`);
  return v;
}

const intList = (v: string, name: string, min: number, max: number) => v.split(",").map((x) => numberOption(x.trim(), name, 0, { min, max, integer: true }));

function sceneOpt(v: Record<string, string | boolean | undefined>) {
  const opt = (k: string, min: number, max: number, integer = true) => (v[k] === undefined ? undefined : numberOption(v[k] as string, k, 0, { min, max, integer }));
  const layout = v["cube-layout"] as string | undefined, type = v["cube-type"] as string | undefined;
  if (layout !== undefined && !["bsq", "bil", "bip"].includes(layout)) throw new UsageError(`--cube-layout must be bsq, bil or bip, got "${layout}"`);
  if (type !== undefined && !["u16le", "u16be", "u8", "i16le", "i16be"].includes(type)) throw new UsageError(`--cube-type must be u16le, u16be, i16le, i16be or u8, got "${type}"`);
  const fit = v["cube-fit"] as string | undefined, format = v.format as string | undefined;
  if (fit !== undefined && !["nearest", "area", "pad"].includes(fit)) throw new UsageError(`--cube-fit must be nearest, area or pad, got "${fit}"`);
  if (format !== undefined && !["raw", "envi", "geotiff"].includes(format)) throw new UsageError(`--format must be raw, envi or geotiff, got "${format}"`);
  const scene = (v.scene as string | undefined) ?? "synthetic";
  if (scene !== "synthetic") {
    let st;
    try { st = statSync(scene); } catch (e) { throw new CliFailure(`--scene ${ioReason(e as NodeJS.ErrnoException, scene)}`); }
    if (st.isDirectory()) throw new CliFailure(`--scene ${displayPath(scene)} is a directory, not a scene file`);
    if (v["cloud-fraction"] !== undefined) throw new UsageError("--cloud-fraction is for the synthetic scene only");
  } else {
    const fileOnly = ["format", "cube-bands", "cube-lines", "cube-pixels", "cube-layout", "cube-type", "cube-fit", "band-map", "wavelengths", "right-shift"].find((k) => v[k] !== undefined);
    if (fileOnly) throw new UsageError(`--${fileOnly} is for a scene file (--scene FILE), not the synthetic scene`);
  }
  const bandMap = v["band-map"] === undefined ? undefined : intList(v["band-map"] as string, "band-map", 0, 65535);
  const wavelengthsNm = v.wavelengths === undefined ? undefined : (v.wavelengths as string).split(",").map((x) => numberOption(x.trim(), "wavelengths", 0, { min: 1, max: 1e6 }));
  return {
    scene,
    cube: { bands: opt("cube-bands", 1, 65535), cubeLines: opt("cube-lines", 1, 1e9), pixels: opt("cube-pixels", 1, 65535), layout: layout as "bsq" | undefined, sampleType: type as "u16le" | undefined,
      fit: fit as "nearest" | undefined, format: format as "raw" | undefined, cloudFraction: opt("cloud-fraction", 0, 1, false),
      bandMap, wavelengthsNm, rightShift: opt("right-shift", 0, 15) },
  };
}

/** Files in DIR with their size and modification time, to tell what a pass wrote. */
function snapshot(dir: string): Map<string, string> {
  const m = new Map<string, string>();
  try { for (const f of readdirSync(dir)) { const s = statSync(join(dir, f)); if (s.isFile()) m.set(f, `${s.size}:${s.mtimeMs}`); } } catch { /* none yet */ }
  return m;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === "--help" || cmd === "-h" || cmd === "help") { console.log(HELP.main); return cmd ? 0 : 2; }
  if ((rest.includes("--help") || rest.includes("-h")) && HELP[cmd]) { console.log(HELP[cmd]); return 0; }
  switch (cmd) {
    case "pass": {
      const { values: v } = parseOptions("pass", rest, PASS_OPTIONS);
      const lines = numberOption(v.lines, "lines", 2000, { min: 1, max: 1e8, integer: true });
      const seed = numberOption(v.seed, "seed", 1, { min: 0, max: 2 ** 31, integer: true });
      const ber = numberOption(v.ber, "ber", 0, { min: 0, max: 0.5 });
      const burstEvery = v["burst-every"] !== undefined ? numberOption(v["burst-every"], "burst-every", 0, { min: 1 }) : undefined;
      const burstLen = v["burst-len"] !== undefined ? numberOption(v["burst-len"], "burst-len", 0, { min: 1 }) : undefined;
      if ((burstEvery === undefined) !== (burstLen === undefined)) throw new UsageError("--burst-every and --burst-len go together");
      const dropCadus = v["drop-cadu"] !== undefined ? intList(v["drop-cadu"], "drop-cadu", 0, 2 ** 52) : undefined;
      const scene = sceneOpt(v);
      const profile = loadProfile(v.profile ?? "default");
      readBuild(FLIGHT_WASM);
      if (v.out !== undefined) prepareOutputDir(v.out, "--out");
      const before = v.out !== undefined ? snapshot(v.out) : new Map<string, string>();
      const progress = process.stderr.isTTY && !v.json;
      const s = await runPass({
        profile, ...scene, lines, seed, ber, burstEvery, burstLen, dropCadus, out: v.out,
        onProgress: progress ? (n, t) => { const w = 30, f = Math.round((w * n) / t); process.stderr.write(`\r  [${"#".repeat(f)}${".".repeat(w - f)}] ${n}/${t} lines`); } : undefined,
      });
      if (progress) process.stderr.write("\r\x1b[K");
      // Where --out wrote, first: the summary's last line stays the verdict.
      if (v.out !== undefined) {
        const written = [...snapshot(v.out)].filter(([f, k]) => before.get(f) !== k).map(([f]) => f).sort();
        // With --json, stdout holds the JSON document alone: the list goes to stderr.
        const say = v.json ? (t: string) => console.error(t) : (t: string) => console.log(t);
        say(`wrote ${written.length} file(s) to ${displayPath(v.out)}/:`);
        for (const f of written) say(`  ${displayPath(join(v.out, f))}  ${statSync(join(v.out, f)).size} bytes`);
      }
      if (v.json) console.log(JSON.stringify(s, null, 2)); else printSummary(s);
      return s.verified ? 0 : 1;
    }
    case "sensor": {
      const { values: v } = parseOptions("sensor", rest, SENSOR_OPTIONS);
      const lines = numberOption(v.lines, "lines", 1000, { min: 1, max: 1e8, integer: true });
      const seed = numberOption(v.seed, "seed", 1, { min: 0, max: 2 ** 31, integer: true });
      const sc = sceneOpt(v);
      const p = loadProfile(v.profile ?? "default");
      if (v.output !== undefined) checkOutputFile(v.output, "-o");
      const scene = openScene(p, { ...sc, seed }, lines);
      const chunks: Buffer[] = [];
      const out = v.output !== undefined ? (b: Uint8Array) => chunks.push(Buffer.from(b)) : (b: Uint8Array) => process.stdout.write(b);
      out(configRecord(p));
      let n = 0;
      for (let l = scene.next(); l; l = scene.next(), n++) out(encodeLine({ ...l, bands: p.sensor.bands.length, pixels: p.sensor.pixelsPerLine, bitDepth: p.sensor.bitDepth }));
      out(encodeEnd(n));
      if (v.output !== undefined) writeFileSync(v.output, Buffer.concat(chunks));
      return 0;
    }
    case "flash": {
      const { values: v, positionals } = parseOptions("flash", rest, FLASH_OPTIONS, true);
      if (positionals.length > 1) throw new UsageError(`one FLIGHT.wasm only, got ${positionals.length} files: ${positionals.join(" ")}`);
      const p = loadProfile(need(v.profile, "--profile (tengri profiles lists them)"));
      const output = need(v.output, "-o IMAGE.bin");
      if (v["build-id"] !== undefined && !/^[\x20-\x7e]{1,32}$/.test(v["build-id"])) throw new UsageError(`--build-id must be 1 to 32 printable ASCII characters, got "${v["build-id"]}"`);
      checkOutputFile(output, "-o");
      const wasmPath = positionals[0] ?? FLIGHT_WASM;
      const wasm = positionals[0] !== undefined ? readInput(wasmPath, "FLIGHT.wasm") : readBuild(FLIGHT_WASM);
      const buildId = v["build-id"] ?? moduleBuildId(wasm) ?? "tengri-dev";
      if (IMAGE_MAGIC.every((b, i) => wasm[i] === b)) throw new UsageError(`${displayPath(wasmPath)} is already a flashed image: give the flight .wasm (e.g. build/flight.wasm)`);
      if (wasm.length < 8 || wasm[0] !== 0 || wasm[1] !== 0x61 || wasm[2] !== 0x73 || wasm[3] !== 0x6d) throw new UsageError(`${displayPath(wasmPath)} is not a WebAssembly module: give the flight .wasm (e.g. build/flight.wasm)`);
      let img: Uint8Array;
      try { img = flash(wasm, p, buildId); } catch (e) {
        if (e instanceof ImageError && e.reason === "wasm") throw new UsageError(`${displayPath(wasmPath)}: ${e.message}`);
        if (e instanceof WebAssembly.CompileError) throw new UsageError(`${displayPath(wasmPath)} is not a valid WebAssembly module: ${e.message}`);
        throw e;
      }
      verifyImage(img, p);
      writeFileSync(output, img);
      console.log(`flashed ${displayPath(wasmPath)} for profile ${p.name}: ${displayPath(output)}, ${img.length} bytes, memory limit ${p.obc.ramBytes} bytes`);
      return 0;
    }
    case "inspect": {
      return inspectCommand(rest);
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
      if (!rest.includes("--help") && !rest.includes("-h")) readBuild(FLIGHT_WASM);
      const { faultsCommand } = await import("./obc/faults-cli.ts");
      try {
        return await faultsCommand(rest);
      } catch (e) {
        throw parseArgsError(e, "faults") ?? e;
      }
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
      readBuild(LIB_WASM);
      const { evalCloudCommand } = await import("./commands/eval-cloud.ts");
      return evalCloudCommand(rest);
    }
    case "profiles": {
      const { values: v } = parseOptions("profiles", rest, PROFILES_OPTIONS);
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

/** The error a user sees: one line and the documented exit code; a stack only for a bug. */
function report(e: unknown): number {
  const say = (m: string) => console.error(`tengri: ${m}`);
  const pa = parseArgsError(e, process.argv[2] ?? "");
  if (pa) { say(pa.message); return 2; }
  if (e instanceof UsageError) { say(e.message); return 2; }
  if (e instanceof CliFailure) { say(e.message); return e.exitCode; }
  if (e instanceof ProfileError) { say(e.message); return 2; }
  // The scene readers name their option fields; the user typed the command-line options.
  if (e instanceof SceneError) { say(e.message.replace(/\bbandMap\b/g, "--band-map").replace(/\brightShift\b/g, "--right-shift").replace(/\bwavelengthsNm\b/g, "--wavelengths")); return 2; }
  if (e instanceof ImageError) { say(`image refused: ${e.message}`); return 3; }
  if (e instanceof ObcConfigError || e instanceof ObcCrashError) { say(e.message); return 3; }
  const err = e as NodeJS.ErrnoException;
  if (typeof err?.code === "string" && typeof err.syscall === "string") { say(ioReason(err, err.path ?? err.syscall)); return 1; }
  console.error(`tengri: internal error (please report it): ${e instanceof Error ? e.stack : e}`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e) => { process.exitCode = report(e); },
);
