// The `tengri` command: argument parsing only; the work is in the modules it calls.
// Exit codes: 0 success, 1 failure (a pass that did not verify, a file that cannot be read or
// written, nothing decoded), 2 bad usage (the message names the option), 3 the flight image
// refused its configuration or crashed, or the image file was refused. An ordinary mistake is
// one line on stderr, never a stack trace (host/commands/usage.ts).
// Only what every command needs is imported here: the commands' modules load when one runs, so
// `tengri --help` answers at once.
import { UsageError, CliFailure, parseArgsError, readBuild, ioReason } from "./commands/usage.ts";

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
  flash      package a flight .wasm for a hardware profile into an image file (signed with --key;
             a provisioned payload flash with --flash-dir)
  keygen     make the mission keys: Ed25519 image-signing pair and the SDLS MAC key
  sign       sign a flashed image with the mission key (for an update in orbit)
  inspect    what a flight .wasm or flashed image is: hashes, build id, source commit, features,
             memory, call graph and recursion check, cost figures
  decode     decode any CCSDS CADU stream (TM or AOS, RS, randomizer) into frames and packets
  profiles   list and validate the hardware profiles
  serve      hardware in the loop: the flight image's bus and CADU stream on TCP ports
  faults     the fault-injection campaign on the emulated OBC (npm run faults)
  aec        CCSDS 121.0-B-3 coder, a drop-in for libaec's aec tool
  hyper123   CCSDS 123.0-B-2 compressor and decompressor
  ccsds122   CCSDS 122.0-B-2 image compressor (wavelet + bit-plane encoder, flight encoder)
  eval-cloud run the flight cloud screener over labelled tiles and score it
  tc         build a PUS-C telecommand packet for the payload (start/stop acquisition, set-param …)

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
  --out DIR    write pass.cadu, report.json, report.html and PNG quicklooks there, and the
               products: Cloud-Optimized GeoTIFFs (multispectral, RGB quicklook, cloud mask) in
               WGS 84 / UTM and a STAC item.json (they need GDAL's gdal_translate, Debian
               gdal-bin). DIR is created if missing; files of the same names are overwritten;
               each file written is listed at the end
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
  flash: `Usage: tengri flash [FLIGHT.wasm] --profile P -o IMAGE.bin [--build-id ID] [--version N] [--key KEY]
       tengri flash [FLIGHT.wasm] --profile P --key KEY --flash-dir DIR [--version N] [--mac-key FILE] [-o IMAGE.bin]

Packages a flight .wasm (default build/flight.wasm) into an image file (magic, format, build id,
target profile, length, SHA-256, version) with its memory maximum set to the profile's RAM, after
checking its imports. The image boots only with a profile of that RAM (as tengri serve checks).
  --profile    hardware profile name or path (required)
  -o, --output IMAGE.bin   the image file (an existing file is overwritten; its folder must exist)
  --build-id   build identifier recorded in the header, at most 32 ASCII characters (default: the
               one the build recorded in the module, else tengri-dev)
  --version N  the image's version, 0..4294967295 (default 0): the bootloader refuses an update
               whose version is not above the highest it has confirmed
  --key KEY    sign the image with this Ed25519 private key (tengri keygen's mission.key)
  --flash-dir DIR  provision a payload flash there (host/boot/README.md): the signed image in slot
               a, the key's public half in the bootloader ROM, boot.bin; needs --key; a folder
               already provisioned is refused
  --mac-key FILE   with --flash-dir: the 32-octet SDLS MAC key (mac.key) for keys.bin, SPI 1
Exit: 0 flashed, 1 a file that cannot be read or written or a folder already provisioned, 2 bad
usage (a file that is not a WebAssembly module or not a key), 3 the module was refused (imports,
memory).`,
  keygen: `Usage: tengri keygen --out DIR

Makes the mission keys in DIR (created if missing): mission.key, the Ed25519 private key that
signs flight images (PKCS#8 PEM, mode 0600), mission.pub, its public key (SPKI PEM, what the
bootloader ROM holds), and mac.key, 32 random octets: the SDLS key that authenticates
telecommands (mode 0600). Existing key files are never overwritten.
  --out DIR    the folder for the three files (required)
Exit: 0 written, 1 a key file is already there or a file cannot be written, 2 bad usage.`,
  sign: `Usage: tengri sign IMAGE --key KEY [--version N] [-o OUT]

Adds the Ed25519 signature block to a flashed image (tengri flash): the signature covers the
image header and the wasm module (host/boot/README.md). IMAGE is rewritten unless -o is given;
a previous signature is replaced.
  --key KEY    the mission private key (tengri keygen's mission.key)
  --version N  set the image's version first, 0..4294967295 (default: keep the header's)
  -o, --output OUT   write the signed image there instead (an existing file is overwritten)
Exit: 0 signed, 1 a file that cannot be read or written, 2 bad usage (not an image, not an
Ed25519 key), 3 the image was refused (truncated, SHA-256 does not match).`,
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
  profiles: `Usage: tengri profiles [--json]

Lists the hardware profiles in hardware-profiles/ and validates each against schema.json.
  --json       the list as JSON
Exit: 0 every profile valid, 1 one is not.`,
};

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === "--help" || cmd === "-h" || cmd === "help") { console.log(HELP.main); return cmd ? 0 : 2; }
  if ((rest.includes("--help") || rest.includes("-h")) && cmd === "inspect") { console.log((await import("./commands/inspect.ts")).INSPECT_HELP); return 0; }
  if ((rest.includes("--help") || rest.includes("-h")) && HELP[cmd]) { console.log(HELP[cmd]); return 0; }
  switch (cmd) {
    case "pass":
      return (await import("./commands/core.ts")).passCommand(rest);
    case "sensor":
      return (await import("./commands/core.ts")).sensorCommand(rest);
    case "flash":
      return (await import("./commands/core.ts")).flashCommand(rest);
    case "keygen":
      return (await import("./commands/keys.ts")).keygenCommand(rest);
    case "sign":
      return (await import("./commands/keys.ts")).signCommand(rest);
    case "inspect": {
      const { inspectCommand } = await import("./commands/inspect.ts");
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
      if (!rest.includes("--help") && !rest.includes("-h")) readBuild((await import("./commands/core.ts")).FLIGHT_WASM);
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
    case "ccsds122": {
      const { ccsds122Command } = await import("./commands/ccsds122.ts");
      return ccsds122Command(rest);
    }
    case "eval-cloud": {
      readBuild((await import("./commands/core.ts")).LIB_WASM);
      const { evalCloudCommand } = await import("./commands/eval-cloud.ts");
      return evalCloudCommand(rest);
    }
    case "profiles":
      return (await import("./commands/core.ts")).profilesCommand(rest);
    case "tc":
      if (rest.includes("--help") || rest.includes("-h")) { console.log((await import("./commands/tc.ts")).TC_HELP); return 0; }
      return (await import("./commands/core.ts")).tcCommand(rest);
    default:
      throw new UsageError(`unknown command "${cmd}" (tengri --help lists them)`);
  }
}

/** The error a user sees: one line and the documented exit code; a stack only for a bug. */
async function report(e: unknown): Promise<number> {
  // The error classes of the modules a command loaded (already in memory when they threw).
  const { ProfileError } = await import("./profiles/index.ts");
  const { SceneError } = await import("./sensor/index.ts");
  const { ImageError } = await import("./obc/image.ts");
  const { ObcCrashError, ObcConfigError } = await import("./obc/obc.ts");
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
  (e) => report(e).then((code) => { process.exitCode = code; }),
);
