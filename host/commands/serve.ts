// `tengri serve`: hardware in the loop (host/hil/server.ts). Runs until SIGINT, SIGTERM or SIGHUP,
// until the process that started it goes away, or until the image fails 3 boots in a row.
import { loadProfile, ProfileError, type Profile } from "../profiles/index.ts";
import { flash, verifyImage, ImageError } from "../obc/image.ts";
import { HilServer, type HilEvent } from "../hil/server.ts";
import { parseHostPort, UdpTargetError } from "../downlink/udp-frames.ts";
import { DEFAULT_FLIGHT_WASM } from "../obc/faults.ts";
import { SERVE_OPTIONS } from "./options.ts";
import { existsSync, statSync } from "node:fs";
import { readBootRom, BootRomError } from "../boot/bootloader.ts";
import { UsageError, CliFailure, numberOption, parseOptions, readBuild, readInput, displayPath } from "./usage.ts";

export const SERVE_HELP = `Usage: tengri serve --profile P [--bus-port N] [--cadu-port M] [--udp-frames HOST:PORT]
                    [--host ADDR] [--image IMAGE.bin | --wasm FLIGHT.wasm] [--no-config] [--json]
                    [--tc-port T [--tc-vcid V] [--tc-randomizer] [--tc-no-reply]] [--flash-dir DIR]

Hardware in the loop: runs the flight image on the emulated OBC with its payload bus fed from
a TCP port and its CADUs served on another, until interrupted (Ctrl-C).
  --profile      hardware profile name or file (required)
  --bus-port     TCP port of the payload bus (default 5100; 0: chosen by the system)
                 the same records as the image's stdin (README "Payload bus records"); one
                 client at a time feeds the bus, others wait their turn
  --cadu-port    TCP port serving the CADU stream (default 5101; 0: chosen by the system)
                 raw CADUs back to back, every client from the CADU where it joins
  --udp-frames   also send each decoded transfer frame (no ASM, no RS parity) as one UDP
                 datagram to HOST:PORT
  --host         address to bind (default 127.0.0.1)
  --image        a flashed image file (tengri flash), refused before any boot if it was
                 flashed for a profile with other RAM
  --wasm         a flight .wasm to flash for the profile now (default build/flight.wasm)
  --no-config    do not send the profile's configuration record at boot: the bench sends it
  --json         events as JSON lines instead of text
  --tc-port      also open a telecommand port (0: chosen by the system): CLTUs (CCSDS 231.0-B,
                 BCH) of TC frames (232.0-B) as a byte stream, through the emulated OBC's FARM-1
                 (232.1-B); after each CLTU the 4-octet CLCW comes back (README "Telecommand uplink")
  --tc-vcid      the payload's TC virtual channel (default 1)
  --tc-randomizer  the uplink uses the TC randomizer (231.0-B §6)
                 every frame accepted goes to the image as a bus record of type 4, between the
                 bench's records, in arrival order; the FARM-1's CLCW goes to it as a record of
                 type 5 whenever it changes, for the OCF of the downlink's frames (README "The
                 CLCW in the downlink": profiles with link.frame.ocf)
  --tc-no-reply  do not answer CLTUs with the CLCW on the telecommand port: the ground reads it
                 from the downlink (tengri tc, option clcw-from)
  --flash-dir    a flash directory provisioned by tengri flash (with the SDLS MAC key): the
                 emulated bootloader chooses the image of every boot from its slots (instead of
                 --image/--wasm), the image gets it as /flash (its SDLS keys and ARSN, the upload
                 window); exit 72 (reboot into an uploaded image), trial boots, confirmation and
                 fallback as in README "Updating the flight software"
Prints the ports once listening ("bus 127.0.0.1:5100 cadu 127.0.0.1:5101", then " tc 127.0.0.1:T"
with --tc-port), then events.
Stops on Ctrl-C, SIGINT, SIGTERM or SIGHUP, or when the process that started it goes away (as
when \`npx tengri serve … &\` is killed): the image and every child process end, the ports are freed.
After 3 failed boots in a row (the image trapped, exited or refused the configuration before
accepting a line) it stops and names the cause: the image's own last log line.
Exit: 0 after an interrupt, 1 a file that cannot be read (build/flight.wasm before npm run build),
2 bad usage, a port in use or an address not available, 3 the image file was refused, or the image
failed 3 boots in a row.`;

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/**
 * Resolves on the first SIGINT, SIGTERM or SIGHUP, or when this process is orphaned: npx
 * (npm exec → sh → node) dies on SIGTERM without passing it on, so the server watches its parent.
 */
function stopRequest(): { stopped: Promise<string>; dispose(): void } {
  let resolve!: (why: string) => void;
  const stopped = new Promise<string>((r) => { resolve = r; });
  const handlers = SIGNALS.map((sig) => {
    const h = () => {
      resolve(sig);
      // A second signal while closing: leave at once (the children see their pipes close and end).
      process.once(sig, () => process.exit(128 + (sig === "SIGINT" ? 2 : sig === "SIGTERM" ? 15 : 1)));
    };
    process.once(sig, h);
    return [sig, h] as const;
  });
  const parent = process.ppid;
  const poll = parent > 1 ? setInterval(() => { if (process.ppid !== parent) resolve("parent-exit"); }, 200) : null;
  poll?.unref();
  return { stopped, dispose() { if (poll) clearInterval(poll); for (const [sig, h] of handlers) process.off(sig, h); } };
}

export async function serveCommand(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) { console.log(SERVE_HELP); return 0; }
  // Once the terminal or the pipe reading us is gone, what we print has nowhere to go: not a crash.
  for (const s of [process.stdout, process.stderr]) s.on("error", () => undefined);
  const stop = stopRequest();
  try {
    return await serve(argv, stop.stopped);
  } catch (e) {
    if (e instanceof UsageError || e instanceof UdpTargetError || e instanceof ProfileError) { console.error(`tengri serve: ${e.message}`); return 2; }
    if (e instanceof ImageError) { console.error(`tengri serve: image refused: ${e.message}`); return 3; }
    if (e instanceof CliFailure) { console.error(`tengri serve: ${e.message}`); return e.exitCode; }
    throw e;
  } finally {
    stop.dispose();
  }
}

async function serve(argv: string[], stopped: Promise<string>): Promise<number> {
  const { values: v } = parseOptions("serve", argv, SERVE_OPTIONS);
  const port = (x: string | undefined, name: string, def: number) => numberOption(x, name, def, { min: 0, max: 65535, integer: true });
  if (!v.profile) throw new UsageError("missing --profile (tengri profiles lists them)");
  if (v.image !== undefined && v.wasm !== undefined) throw new UsageError("--image and --wasm: give one of them");
  if (v["flash-dir"] !== undefined && (v.image !== undefined || v.wasm !== undefined)) throw new UsageError("--flash-dir and --image/--wasm: the bootloader chooses the image from the flash directory, give one of them");
  const busPort = port(v["bus-port"], "bus-port", 5100), caduPort = port(v["cadu-port"], "cadu-port", 5101);
  if (busPort !== 0 && busPort === caduPort) throw new UsageError(`--bus-port and --cadu-port are both ${busPort}`);
  const tcPort = v["tc-port"] !== undefined ? port(v["tc-port"], "tc-port", 0) : undefined;
  if (tcPort === undefined && (v["tc-vcid"] !== undefined || v["tc-randomizer"] || v["tc-no-reply"])) throw new UsageError("--tc-vcid, --tc-randomizer and --tc-no-reply need --tc-port");
  if (tcPort) for (const [n, q] of [["bus-port", busPort], ["cadu-port", caduPort]] as const) if (q === tcPort) throw new UsageError(`--tc-port and --${n} are both ${tcPort}`);
  const tcVcid = numberOption(v["tc-vcid"], "tc-vcid", 1, { min: 0, max: 63, integer: true });
  const p = loadProfile(v.profile);
  const udp = v["udp-frames"] ? parseHostPort(v["udp-frames"]) : undefined;
  const flashDir = v["flash-dir"];
  if (flashDir !== undefined) checkFlashDir(flashDir);
  // Refused before any boot: a foreign, tampered or mismatched image (verifyImage names the figures).
  const image = flashDir !== undefined ? undefined : v.image !== undefined ? new Uint8Array(readInput(v.image, "--image"))
    : flashOrRefuse(v.wasm !== undefined ? readInput(v.wasm, "--wasm") : readBuild(DEFAULT_FLIGHT_WASM), p, v.wasm ?? DEFAULT_FLIGHT_WASM);
  if (image) verifyImage(image, p);
  const json = !!v.json;
  const onEvent = (e: HilEvent) => {
    if (e.kind === "housekeeping") return;
    if (json) { console.log(JSON.stringify(e)); return; }
    if (e.kind === "log") console.log(`  [boot ${e.boot}] ${e.line}`);
    else if (e.kind === "boot") console.log(`image boot ${e.boot}`);
    else if (e.kind === "image-exit") console.log(`image boot ${e.boot} ended: exit ${e.code ?? e.signal}`);
    else if (e.kind === "boot-failed") console.log(`image boot ${e.boot} failed (${e.inARow} in a row): ${e.cause}`);
    else if (e.kind === "gave-up") return;
    else if (e.kind === "tc") console.log(`tc #${e.id}: CLTU ${e.end}: ${e.outcome}; CLCW ${e.clcw}`);
    else if (e.kind === "boot-event") console.log(`bootloader (boot ${e.boot}): ${e.event.kind}${e.event.slot ? ` slot ${e.event.slot}` : ""}${e.event.version !== undefined ? ` v${e.event.version}` : ""}: ${e.event.detail}`);
    else console.log(`${e.kind} #${e.id} ${e.remote}: ${e.state}${"bytes" in e ? ` (${e.bytes} octets)` : ""}`);
  };
  const host = v.host ?? "127.0.0.1";
  // Accepted telecommand frames go to the image as bus records of type 4 (host/hil/server.ts).
  const tc = tcPort !== undefined ? { port: tcPort, vcid: tcVcid, randomize: !!v["tc-randomizer"], reply: !v["tc-no-reply"] } : undefined;
  let server: HilServer;
  try {
    server = await HilServer.start({ profile: p, image, host, busPort, caduPort, udpFrames: udp, sendConfig: !v["no-config"], onEvent, tc, flashDir });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { port?: number; address?: string };
    const which = err.port === busPort && busPort !== 0 ? `--bus-port ${busPort}` : err.port === caduPort && caduPort !== 0 ? `--cadu-port ${caduPort}` : err.port === tcPort && tcPort ? `--tc-port ${tcPort}` : `port ${err.port ?? "?"}`;
    if (err.code === "EADDRINUSE") throw new UsageError(`${which} on ${host} is in use by another program`);
    if (err.code === "EACCES") throw new UsageError(`${which} on ${host}: permission denied (ports below 1024 need privileges)`);
    if (err.code === "EADDRNOTAVAIL") throw new UsageError(`--host ${host}: address not available on this machine`);
    if (err.code === "ENOTFOUND" || err.code === "EAI_AGAIN") throw new UsageError(`--host ${host}: no such host`);
    if (err.code === "EAFNOSUPPORT" || err.code === "EINVAL") throw new UsageError(`--host ${host}: not an address this machine can listen on`);
    throw e;
  }
  if (json) console.log(JSON.stringify({ kind: "listening", host, busPort: server.busPort, caduPort: server.caduPort, udpFrames: udp ?? null, ...(tc ? { tcPort: server.tcPort } : {}) }));
  else console.log(`bus ${host}:${server.busPort} cadu ${host}:${server.caduPort}${udp ? ` udp-frames ${udp.host}:${udp.port}` : ""}${tc ? ` tc ${host}:${server.tcPort}` : ""}`);
  const why = await Promise.race([stopped, server.failed]);
  const s = await server.close();
  const summary = { boots: s.boots, exits: s.exits, caduBytes: s.caduBytes, busClients: s.busClients, caduClients: s.caduClients, housekeeping: s.housekeeping, ...(s.uplink ? { uplink: s.uplink, tcRecordsToImage: s.tcRecordsToImage, tcRecordsUndelivered: s.tcRecordsUndelivered, clcwRecordsToImage: s.clcwRecordsToImage, downlinkClcw: s.downlinkClcw } : {}), ...(flashDir !== undefined ? { bootEvents: s.bootEvents } : {}) };
  if (typeof why !== "string") {
    console.log(json ? JSON.stringify({ kind: "gave-up", message: why.message, boots: why.boots }) : `stopped: ${why.message}`);
    console.error(`tengri serve: ${why.message}`);
    return 3;
  }
  console.log(json ? JSON.stringify({ kind: "closed", reason: why, ...summary }) : `closed (${why}): ${s.boots} boot(s), ${s.caduBytes} CADU octets served, ${s.busClients.length} bus client(s), ${s.caduClients.length} CADU client(s)${s.uplink ? `, ${s.uplink.cltu.cltus} CLTU(s), ${s.uplink.delivered} TC frame(s) accepted, ${s.clcwRecordsToImage} CLCW record(s) to the image (downlink OCF: ${s.downlinkClcw.last ?? "none"})` : ""}`);
  return 0;
}

/** A flash directory the bootloader can read: its ROM key (bootrom.key) present; else a usage error naming --flash-dir. */
function checkFlashDir(dir: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--flash-dir ${displayPath(dir)}: no such directory (provision one with tengri flash --flash-dir DIR --key … --mac-key …)`);
  try { readBootRom(dir); } catch (e) {
    if (e instanceof BootRomError) throw new UsageError(`--flash-dir ${displayPath(dir)}: not a provisioned flash directory: ${e.message}`);
    throw e;
  }
}

/** flash(), with a file that is not a WebAssembly module told as a usage error. */
function flashOrRefuse(wasm: Uint8Array, p: Profile, path: string): Uint8Array {
  try {
    return flash(wasm, p, "tengri-serve");
  } catch (e) {
    if (e instanceof ImageError && e.reason === "wasm") throw new UsageError(`${displayPath(path)} is not a WebAssembly module: ${e.message}`);
    throw e;
  }
}
