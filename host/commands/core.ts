// The commands that run the flight image or the profiles (pass, sensor, flash, profiles), loaded by
// host/cli.ts only when one of them runs: `tengri --help` and the light commands start without
// the sensor, OBC, link and ground modules.
import { readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runPass, FLIGHT_WASM, openScene } from "../pass.ts";
import { printSummary } from "../report/summary.ts";
import { loadProfile, listProfiles, derived } from "../profiles/index.ts";
import { flash, verifyImage, ImageError, IMAGE_MAGIC } from "../obc/image.ts";
import { configRecord } from "../obc/config-table.ts";
import { encodeLine, encodeEnd } from "../obc/bus.ts";
import { UsageError, CliFailure, numberOption, parseOptions, readBuild, readInput, checkOutputFile, prepareOutputDir, displayPath, ioReason } from "./usage.ts";
import { PASS_OPTIONS, SENSOR_OPTIONS, FLASH_OPTIONS, PROFILES_OPTIONS } from "./options.ts";
import { moduleBuildId } from "../inspect/inspect.ts";
import { createProductsObserver } from "../products/observer.ts";
import { requireGdal, ProductError } from "../products/gdal.ts";
import { signImage, rawPublicKey } from "../boot/keys.ts";
import { provisionFlashDir, ProvisionError, DEFAULT_SPI } from "../boot/provision.ts";
import { readPrivateKey, readMacKey, versionOption, fingerprint } from "./keys.ts";

export { FLIGHT_WASM };
/** tengri tc (host/commands/tc.ts): one PUS-C telecommand packet. */
export { tcCommand } from "./tc.ts";
export const LIB_WASM = FLIGHT_WASM.replace(/flight\.wasm$/, "lib.wasm");

const tty = process.stdout.isTTY && !process.env.NO_COLOR;
const c = (code: number) => (s: string | number) => (tty ? `\x1b[${code}m${s}\x1b[0m` : String(s));
const green = c(32), red = c(31);

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

/** tengri pass: exit 0 verified, 1 not verified. */
export async function passCommand(rest: string[]): Promise<number> {
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
  // The GeoTIFF products need GDAL: said before any work is done, and before the folder is made.
  if (v.out !== undefined) try { requireGdal(); } catch (e) { throw e instanceof ProductError ? new CliFailure(`--out: ${e.message}`) : e; }
  if (v.out !== undefined) prepareOutputDir(v.out, "--out");
  const before = v.out !== undefined ? snapshot(v.out) : new Map<string, string>();
  const progress = process.stderr.isTTY && !v.json;
  let s;
  try {
    s = await runPass({
      profile, ...scene, lines, seed, ber, burstEvery, burstLen, dropCadus, out: v.out,
      observers: v.out !== undefined ? [createProductsObserver(v.out)] : [],
      onProgress: progress ? (n, t) => { const w = 30, f = Math.round((w * n) / t); process.stderr.write(`\r  [${"#".repeat(f)}${".".repeat(w - f)}] ${n}/${t} lines`); } : undefined,
    });
  } catch (e) { throw e instanceof ProductError ? new CliFailure(`--out: ${e.message}`) : e; }
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

/** tengri sensor: the payload-bus stream on stdout or a file. */
export function sensorCommand(rest: string[]): number {
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

/**
 * tengri flash: a flight .wasm packaged for a profile; with --key signed (--version its
 * anti-rollback counter); with --flash-dir a provisioned payload flash (host/boot/README.md).
 */
export function flashCommand(rest: string[]): number {
  const { values: v, positionals } = parseOptions("flash", rest, FLASH_OPTIONS, true);
  if (positionals.length > 1) throw new UsageError(`one FLIGHT.wasm only, got ${positionals.length} files: ${positionals.join(" ")}`);
  const p = loadProfile(need(v.profile, "--profile (tengri profiles lists them)"));
  const flashDir = v["flash-dir"];
  if (flashDir === undefined && v.output === undefined) throw new UsageError("missing -o IMAGE.bin (or --flash-dir DIR)");
  if (flashDir !== undefined && v.key === undefined) throw new UsageError("--flash-dir needs --key KEY: the bootloader boots signed images only");
  if (v["mac-key"] !== undefined && flashDir === undefined) throw new UsageError("--mac-key goes with --flash-dir DIR (it is written to the flash's keys.bin)");
  if (flashDir === "") throw new UsageError("--flash-dir: an empty path");
  const version = versionOption(v.version) ?? 0;
  const output = v.output;
  if (v["build-id"] !== undefined && !/^[\x20-\x7e]{1,32}$/.test(v["build-id"])) throw new UsageError(`--build-id must be 1 to 32 printable ASCII characters, got "${v["build-id"]}"`);
  if (output !== undefined) checkOutputFile(output, "-o");
  if (flashDir !== undefined) {
    let st;
    try { st = statSync(flashDir); } catch { st = null; }
    if (st && !st.isDirectory()) throw new CliFailure(`--flash-dir ${displayPath(flashDir)} exists and is not a folder`);
  }
  const key = v.key !== undefined ? readPrivateKey(v.key) : null;
  const macKey = v["mac-key"] !== undefined ? readMacKey(v["mac-key"]) : undefined;
  const wasmPath = positionals[0] ?? FLIGHT_WASM;
  const wasm = positionals[0] !== undefined ? readInput(wasmPath, "FLIGHT.wasm") : readBuild(FLIGHT_WASM);
  const buildId = v["build-id"] ?? moduleBuildId(wasm) ?? "tengri-dev";
  if (IMAGE_MAGIC.every((b, i) => wasm[i] === b)) throw new UsageError(`${displayPath(wasmPath)} is already a flashed image: give the flight .wasm (e.g. build/flight.wasm)`);
  if (wasm.length < 8 || wasm[0] !== 0 || wasm[1] !== 0x61 || wasm[2] !== 0x73 || wasm[3] !== 0x6d) throw new UsageError(`${displayPath(wasmPath)} is not a WebAssembly module: give the flight .wasm (e.g. build/flight.wasm)`);
  let img: Uint8Array;
  try { img = flash(wasm, p, buildId, version); } catch (e) {
    if (e instanceof ImageError && e.reason === "wasm") throw new UsageError(`${displayPath(wasmPath)}: ${e.message}`);
    if (e instanceof WebAssembly.CompileError) throw new UsageError(`${displayPath(wasmPath)} is not a valid WebAssembly module: ${e.message}`);
    throw e;
  }
  if (key) img = signImage(img, key);
  verifyImage(img, p);
  const what = `version ${version}, ${key ? `signed by key ${fingerprint(rawPublicKey(key))}` : "unsigned"}`;
  if (output !== undefined) {
    writeFileSync(output, img);
    console.log(`flashed ${displayPath(wasmPath)} for profile ${p.name}: ${displayPath(output)}, ${img.length} bytes, memory limit ${p.obc.ramBytes} bytes, ${what}`);
  }
  if (flashDir !== undefined) {
    let r;
    try { r = provisionFlashDir(flashDir, { image: img, profile: p, romKey: rawPublicKey(key!), macKey }); } catch (e) {
      if (e instanceof ProvisionError) throw new CliFailure(`--flash-dir ${e.message.replace(flashDir, displayPath(flashDir))}`);
      if ((e as NodeJS.ErrnoException).syscall) throw new CliFailure(`--flash-dir ${ioReason(e as NodeJS.ErrnoException, (e as NodeJS.ErrnoException).path ?? flashDir)}`);
      throw e;
    }
    console.log(`provisioned ${displayPath(flashDir)}/ for profile ${p.name}: ${r.files.join(", ")}; slot a active (${what}), highest confirmed version ${r.version}${macKey ? `, MAC key for SPI ${DEFAULT_SPI}` : ""}`);
  }
  return 0;
}

/** tengri profiles: list and validate. */
export function profilesCommand(rest: string[]): number {
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
