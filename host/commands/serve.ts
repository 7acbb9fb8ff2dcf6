// `tengri serve`: hardware in the loop (host/hil/server.ts). Runs until SIGINT or SIGTERM.
import { parseArgs } from "node:util";
import { readFileSync } from "node:fs";
import { loadProfile, ProfileError } from "../profiles/index.ts";
import { flash, verifyImage, ImageError } from "../obc/image.ts";
import { HilServer, type HilEvent } from "../hil/server.ts";
import { parseHostPort, UdpTargetError } from "../downlink/udp-frames.ts";
import { DEFAULT_FLIGHT_WASM } from "../obc/faults.ts";

export const SERVE_HELP = `Usage: tengri serve --profile P [--bus-port N] [--cadu-port M] [--udp-frames HOST:PORT]
                    [--host ADDR] [--image IMAGE.bin | --wasm FLIGHT.wasm] [--no-config] [--json]

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
  --image        a flashed image file (tengri flash); default: build/flight.wasm flashed now
  --no-config    do not send the profile's configuration record at boot: the bench sends it
  --json         events as JSON lines instead of text
Prints the ports once listening ("bus 127.0.0.1:5100 cadu 127.0.0.1:5101"), then events.
Exit: 0 after an interrupt, 2 bad usage or a port in use, 3 the image file was refused.`;

export async function serveCommand(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) { console.log(SERVE_HELP); return 0; }
  let v;
  try {
    v = parseArgs({ args: argv, options: {
      profile: { type: "string" }, "bus-port": { type: "string" }, "cadu-port": { type: "string" }, "udp-frames": { type: "string" },
      host: { type: "string" }, image: { type: "string" }, wasm: { type: "string" }, "no-config": { type: "boolean" }, json: { type: "boolean" },
    } }).values;
  } catch (e) { console.error(`tengri serve: ${(e as Error).message}`); return 2; }
  const port = (x: string | undefined, name: string, def: number) => {
    if (x === undefined) return def;
    const n = Number(x);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--${name} must be a port number 0..65535, got "${x}"`);
    return n;
  };
  let server: HilServer;
  try {
    if (!v.profile) throw new UsageError("missing --profile");
    const p = loadProfile(v.profile);
    const udp = v["udp-frames"] ? parseHostPort(v["udp-frames"]) : undefined;
    const image = v.image ? new Uint8Array(readFileSync(v.image)) : flash(readFileSync(v.wasm ?? DEFAULT_FLIGHT_WASM), p, "tengri-serve");
    verifyImage(image, p);
    const json = !!v.json;
    const onEvent = (e: HilEvent) => {
      if (e.kind === "housekeeping") return;
      if (json) { console.log(JSON.stringify(e)); return; }
      if (e.kind === "log") console.log(`  [boot ${e.boot}] ${e.line}`);
      else if (e.kind === "boot") console.log(`image boot ${e.boot}`);
      else if (e.kind === "image-exit") console.log(`image boot ${e.boot} ended: exit ${e.code ?? e.signal}`);
      else console.log(`${e.kind} #${e.id} ${e.remote}: ${e.state}${"bytes" in e ? ` (${e.bytes} octets)` : ""}`);
    };
    server = await HilServer.start({ profile: p, image, host: v.host, busPort: port(v["bus-port"], "bus-port", 5100), caduPort: port(v["cadu-port"], "cadu-port", 5101), udpFrames: udp, sendConfig: !v["no-config"], onEvent });
    const host = v.host ?? "127.0.0.1";
    if (json) console.log(JSON.stringify({ kind: "listening", host, busPort: server.busPort, caduPort: server.caduPort, udpFrames: udp ?? null }));
    else console.log(`bus ${host}:${server.busPort} cadu ${host}:${server.caduPort}${udp ? ` udp-frames ${udp.host}:${udp.port}` : ""}`);
  } catch (e) {
    if (e instanceof UsageError || e instanceof UdpTargetError || e instanceof ProfileError) { console.error(`tengri serve: ${e.message}`); return 2; }
    if (e instanceof ImageError) { console.error(`tengri serve: ${e.message}`); return 3; }
    if ((e as NodeJS.ErrnoException).code === "EADDRINUSE" || (e as NodeJS.ErrnoException).code === "EACCES") { console.error(`tengri serve: ${(e as Error).message}`); return 2; }
    throw e;
  }
  await new Promise<void>((res) => { process.once("SIGINT", res); process.once("SIGTERM", res); });
  const s = await server.close();
  const summary = { boots: s.boots, exits: s.exits, caduBytes: s.caduBytes, busClients: s.busClients, caduClients: s.caduClients, housekeeping: s.housekeeping };
  console.log(v.json ? JSON.stringify({ kind: "closed", ...summary }) : `closed: ${s.boots} boot(s), ${s.caduBytes} CADU octets served, ${s.busClients.length} bus client(s), ${s.caduClients.length} CADU client(s)`);
  return 0;
}

class UsageError extends Error {}
