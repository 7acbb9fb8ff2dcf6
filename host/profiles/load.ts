// Loads and validates hardware profiles: JSON Schema (ajv, draft 2020-12) first, then the rules
// that span several fields. Every refusal is a ProfileError naming the field (JSON pointer)
// and the rule.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join, resolve, basename } from "node:path";
import { createRequire } from "node:module";
import type { ErrorObject, ValidateFunction } from "ajv";
import type { Profile, DerivedFigures } from "./types.ts";
import { compileConfig } from "../obc/config-table.ts";
import { flightCheckTable, flightChecksAvailable } from "../contract/flight.ts";

export type * from "./types.ts";

export const PROFILES_DIR = fileURLToPath(new URL("../../hardware-profiles/", import.meta.url));
const SCHEMA_FILE = join(PROFILES_DIR, "schema.json");

export class ProfileError extends Error {
  constructor(readonly field: string, readonly rule: string, readonly file: string) {
    super(`${file}: ${field || "/"}: ${rule}`);
    this.name = "ProfileError";
  }
}

const ASM_LEN = 4; // 131.0-B-5: 32-bit attached sync marker
const TM_HEADER_LEN = 6; // 132.0-B-3 §4.1.1: primary header, no secondary header
const AOS_HEADER_LEN = 6; // 732.0-B-4: primary header without frame header error control
const OCF_LEN = 4;
const FECF_LEN = 2;
const TM_MAX_FRAME_LEN = 2048; // 132.0-B-3 (the 11-bit first header pointer bounds the data field)
const AOS_MIN_DATA_FIELD_LEN = 3; // M_PDU header (2) + at least one octet
const LINE_RATE_TOLERANCE = 0.1;

let validator: ValidateFunction | undefined;
function schemaValidator(): ValidateFunction {
  if (!validator) {
    // ajv ships CommonJS: loaded here, on first use (not at start-up: `tengri --help` never pays
    // for it); the class sits on `.default` or is the module itself.
    const mod = createRequire(import.meta.url)("ajv/dist/2020.js") as { default?: unknown };
    const Ajv2020 = (mod.default ?? mod) as new (o: object) => { compile(schema: object): ValidateFunction };
    const ajv = new Ajv2020({ allErrors: false, strict: true });
    validator = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, "utf8")));
  }
  return validator!;
}

function schemaError(e: ErrorObject, file: string): ProfileError {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required":
      return new ProfileError(`${e.instancePath}/${p.missingProperty}`, "required field is missing", file);
    case "additionalProperties":
      return new ProfileError(`${e.instancePath}/${p.additionalProperty}`, "unknown field", file);
    case "uniqueItems":
      return new ProfileError(`${e.instancePath}/${Math.max(Number(p.i), Number(p.j))}`, `must be distinct (items ${Math.min(Number(p.i), Number(p.j))} and ${Math.max(Number(p.i), Number(p.j))} are equal)`, file);
    case "enum":
      return new ProfileError(e.instancePath, `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`, file);
    default:
      return new ProfileError(e.instancePath, `${e.message ?? e.keyword} (${e.keyword})`, file);
  }
}

/** Validates a parsed profile object; returns it typed or throws the first ProfileError. */
export function validateProfile(json: unknown, file = "<profile>"): Profile {
  const v = schemaValidator();
  if (!v(json)) throw schemaError(v.errors![0], file);
  const p = json as Profile;
  const fail = (field: string, rule: string): never => { throw new ProfileError(field, rule, file); };
  const { frame, coding } = p.link;
  const aos = frame.type === "aos";

  // Field widths per frame type.
  if (aos && p.spacecraft.scid > 255) fail("/spacecraft/scid", "AOS SCID is 8 bits: must be <= 255 (732.0-B-4 §4.1.2.3)");
  const vcidMax = aos ? 63 : 7;
  const vcids: [string, number][] = [
    ["/products/image/vcid", p.products.image.vcid],
    ["/products/housekeeping/vcid", p.products.housekeeping.vcid],
    ["/link/frame/idleVcid", frame.idleVcid],
  ];
  for (const [field, vc] of vcids) if (vc > vcidMax) fail(field, `${aos ? "AOS VCID is 6" : "TM VCID is 3"} bits: must be <= ${vcidMax}`);
  if (aos && frame.idleVcid !== 63) fail("/link/frame/idleVcid", "AOS idle frames use VCID 63 (all ones)");
  if (frame.idleVcid === p.products.image.vcid || frame.idleVcid === p.products.housekeeping.vcid)
    fail("/link/frame/idleVcid", "must differ from the VCIDs of the products");
  if (!aos && (frame.insertZoneLen ?? 0) !== 0) fail("/link/frame/insertZoneLen", "the insert zone exists only in AOS frames");

  // APIDs: one per band, housekeeping apart.
  const bands = p.sensor.bands.length;
  if (p.products.image.apids.length !== bands)
    fail("/products/image/apids", `one APID per band: ${bands} bands but ${p.products.image.apids.length} APIDs`);
  const hkIdx = p.products.image.apids.indexOf(p.products.housekeeping.apid);
  if (hkIdx >= 0) fail("/products/housekeeping/apid", `must be distinct from the image APIDs (equals /products/image/apids/${hkIdx})`);
  const names = new Set<string>();
  p.sensor.bands.forEach((b, i) => {
    if (names.has(b.name)) fail(`/sensor/bands/${i}/name`, "band names must be distinct");
    names.add(b.name);
  });

  // Frame length and Reed-Solomon shortening.
  if (!aos && frame.length > TM_MAX_FRAME_LEN) fail("/link/frame/length", `TM frames are at most ${TM_MAX_FRAME_LEN} octets`);
  const I = coding.rsDepth;
  const kMax = 255 - 2 * coding.rsE;
  if (frame.length % I !== 0) fail("/link/frame/length", `with Reed-Solomon the frame length must be a multiple of the interleaving depth I=${I}`);
  if (frame.length / I > kMax) fail("/link/frame/length", `with Reed-Solomon E=${coding.rsE}, length/I must be <= ${kMax} (${frame.length}/${I} = ${frame.length / I})`);
  const dataLen = frameDataFieldLen(p);
  if (dataLen < (aos ? AOS_MIN_DATA_FIELD_LEN : 1)) fail("/link/frame/length", `too short for the headers and trailers (data field would be ${dataLen} octets)`);

  // Pass geometry.
  if (!Number.isFinite(Date.parse(p.pass.startUtc))) fail("/pass/startUtc", "not a valid UTC date-time");
  const expectRate = p.spacecraft.groundSpeedMps / p.sensor.gsdM;
  if (Math.abs(p.sensor.lineRateHz - expectRate) > LINE_RATE_TOLERANCE * expectRate)
    fail("/sensor/lineRateHz", `must be within ${LINE_RATE_TOLERANCE * 100}% of groundSpeedMps/gsdM (${expectRate.toFixed(1)} Hz)`);

  // Panchromatic channel: both halves or neither; its APID apart from every other.
  const pan = p.sensor.panchromatic, panProduct = p.products.pan;
  if (!!pan !== !!panProduct) fail(pan ? "/products/pan" : "/sensor/panchromatic", "a panchromatic channel needs both sensor.panchromatic and products.pan");
  if (pan && panProduct) {
    if (pan.ratio * p.sensor.pixelsPerLine > 65535) fail("/sensor/panchromatic/ratio", `pan pixels per line (ratio × pixelsPerLine = ${pan.ratio * p.sensor.pixelsPerLine}) must be <= 65535`);
    const others = [...p.products.image.apids, p.products.housekeeping.apid];
    if (others.includes(panProduct.apid)) fail("/products/pan/apid", "must be distinct from the image and housekeeping APIDs");
    const budget = panProduct.compression === "ccsds122-budget";
    if (budget !== (panProduct.ccsds122?.bitsPerPixel !== undefined)) fail("/products/pan/ccsds122/bitsPerPixel", "required with ccsds122-budget, not allowed with ccsds122-lossless");
  }

  // Last, the flight code's own checks on the table this profile compiles to (the parser the image
  // runs at boot, through build/lib.wasm): the host refuses everything the image would refuse,
  // naming the profile field and the values allowed.
  if (flightChecksAvailable()) {
    const e = flightCheckTable(compileConfig(p));
    if (e) fail(e.pointer ?? "/", `the flight image would refuse this profile: ${e.message}`);
  }
  return p;
}

function frameDataFieldLen(p: Profile): number {
  const f = p.link.frame;
  const trailer = (f.ocf ? OCF_LEN : 0) + (f.fecf ? FECF_LEN : 0);
  return f.type === "aos" ? f.length - AOS_HEADER_LEN - (f.insertZoneLen ?? 0) - trailer : f.length - TM_HEADER_LEN - trailer;
}

/** "default" → hardware-profiles/default.json; anything with a slash or ending in .json is a path. */
export function profilePath(nameOrPath: string): string {
  return /[\\/]/.test(nameOrPath) || nameOrPath.endsWith(".json") ? resolve(nameOrPath) : join(PROFILES_DIR, `${nameOrPath}.json`);
}

export function loadProfile(nameOrPath: string): Profile {
  const file = profilePath(nameOrPath);
  if (!existsSync(file)) throw new ProfileError("", "profile file not found", file);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new ProfileError("", `not valid JSON: ${(e as Error).message}`, file);
  }
  return validateProfile(json, file);
}

export function listProfiles(): { name: string; file: string; ok: boolean; error?: ProfileError }[] {
  return readdirSync(PROFILES_DIR)
    .filter((f) => f.endsWith(".json") && f !== "schema.json")
    .sort()
    .map((f) => {
      const file = join(PROFILES_DIR, f);
      const name = basename(f, ".json");
      try {
        loadProfile(file);
        return { name, file, ok: true };
      } catch (e) {
        if (e instanceof ProfileError) return { name, file, ok: false, error: e };
        throw e;
      }
    });
}

export function derived(p: Profile): DerivedFigures {
  const s = p.sensor, { frame, coding } = p.link;
  const lineBits = s.bands.length * s.pixelsPerLine * s.bitDepth;
  const caduLen = ASM_LEN + frame.length + 2 * coding.rsE * coding.rsDepth;
  const pan = s.panchromatic;
  const panRawBitRate = pan ? pan.ratio * s.pixelsPerLine * pan.bitDepth * pan.ratio * s.lineRateHz : 0;
  const rawBitRate = lineBits * s.lineRateHz + panRawBitRate;
  return {
    lineBits,
    rawBitRate,
    panRawBitRate,
    linePeriodS: 1 / s.lineRateHz,
    caduLen,
    frameDataFieldLen: frameDataFieldLen(p),
    rsK: frame.length / coding.rsDepth,
    caduPerSecond: p.link.downlinkBitRate / (8 * caduLen),
    rawToDownlinkRatio: rawBitRate / p.link.downlinkBitRate,
  };
}
