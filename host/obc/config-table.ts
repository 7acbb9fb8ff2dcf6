// Compiles a hardware profile into the flight image's binary configuration table. The layout,
// the allowed values and every default live once, in host/contract/contract.json; this file only
// says where each value comes from in the profile. The flight image validates the table again.
import type { Profile } from "../profiles/index.ts";
import { derived } from "../profiles/index.ts";
import { crc16 } from "../util/crc16.ts";
import { encodeRecord, RecordType } from "./bus.ts";
import { hyper123Defaults, type Hyper123Params } from "../commands/hyper123.ts";
import { CONTRACT, CONFIG_VERSION, WORD } from "../contract/contract.gen.ts";
import { encodeTable, tableLayout, type TableValues } from "../contract/layout.ts";

export { CONFIG_VERSION };

/** The contract's default of a product option (products.image.SECTION.NAME). */
export function optionDefault<T extends number | boolean | string>(section: "ccsds121" | "screening" | "ccsds123", name: string): T {
  const o = CONTRACT.profileOptions[section].options[name];
  if (!o) throw new Error(`contract: no option ${section}.${name}`);
  return o.default as T;
}
const tableDefault = (name: string): number => {
  for (const b of CONTRACT.configTable.blocks) for (const f of b.fields) if (f.name === name && f.default !== undefined) return f.default;
  throw new Error(`contract: field ${name} has no default`);
};

/** Octets of the table for this many bands, CRC included. */
export function configTableLen(bands: number): number { return tableLayout(CONTRACT, bands).len; }

export interface ConfigOverrides {
  /** Preset of every transfer frame counter (e.g. near a wrap-around in tests, or after a reboot). */
  initialFrameCount?: number;
  /** Preset of every packet sequence count (14 bits). */
  initialPacketCount?: number;
  /** Largest forward jump of the line counter the image accepts (lines missing in between). */
  maxLineJump?: number;
  /** Cap on idle frames sent per line record (a gap in imaging is not owed to the link). */
  maxIdlePerLine?: number;
  /** Raw overrides for fault-injection tests: [offset, value-byte] pairs applied before the CRC. */
  poke?: [number, number][];
}

/** Every field of the profile's table, by contract field name (per-band fields as arrays). */
export function configValues(p: Profile, o: ConfigOverrides = {}): TableValues {
  const bands = p.sensor.bands.length;
  const d = derived(p);
  const coder = ({ raw: 0, ccsds121: 1, ccsds123: 2 } as Record<string, number>)[p.products.image.compression];
  const modes = productModes(p);
  const v: TableValues = {
    version: CONFIG_VERSION, tableLen: configTableLen(bands), scid: p.spacecraft.scid, frameType: p.link.frame.type === "tm" ? 0 : 1,
    linkFlags: (p.link.frame.fecf ? 1 : 0) | (p.link.frame.ocf ? 2 : 0) | (p.link.coding.randomizer ? 4 : 0),
    frameLength: p.link.frame.length, rsE: p.link.coding.rsE, rsDepth: p.link.coding.rsDepth,
    imageVcid: p.products.image.vcid, hkVcid: p.products.housekeeping.vcid, idleVcid: p.link.frame.idleVcid,
    bands, pixels: p.sensor.pixelsPerLine, bitDepth: p.sensor.bitDepth, compression: coder,
    hkApid: p.products.housekeeping.apid, hkEveryLines: p.products.housekeeping.everyLines, maxPacketDataLen: p.products.image.maxPacketDataLen,
    ramBytes: p.obc.ramBytes, downlinkBitRate: p.link.downlinkBitRate,
    initialFrameCount: (o.initialFrameCount ?? 0) >>> 0, initialPacketCount: (o.initialPacketCount ?? 0) & 0x3fff,
    insertZoneLen: p.link.frame.insertZoneLen ?? 0, maxLineJump: o.maxLineJump ?? tableDefault("maxLineJump"),
    maxIdlePerLine: Math.min(65535, o.maxIdlePerLine ?? Math.max(4, Math.ceil((4 * d.caduPerSecond) / p.sensor.lineRateHz))),
    apid: [...p.products.image.apids], coder,
    tcApid: p.commanding?.tcApid ?? tableDefault("tcApid"), reportApid: p.commanding?.reportApid ?? tableDefault("reportApid"), tcVcid: p.commanding?.vcid ?? tableDefault("tcVcid"),
    modes,
    gain: p.sensor.bands.map((b) => b.gain), offset: p.sensor.bands.map((b) => b.offset), esun: p.sensor.bands.map((b) => b.solarIrradiance),
  };
  if (modes & 2) {                                    // CCSDS 121 at boot or after a switch: its options
    const a = aecOptions(p);
    Object.assign(v, { aecBlockSize: a.blockSize, aecFlags: (a.preprocess ? 8 : 0) | (a.restricted ? 16 : 0), aecRsi: a.rsi, unitLines: a.unitLines, unitPixels: a.unitPixels });
  }
  const sc = screeningOptions(p);
  if (sc) {
    Object.assign(v, {
      screenEnabled: 1, taiUtc: tableDefault("taiUtc"), degradeShift: sc.degradeShift, statsApid: sc.statsApid, maskApid: sc.maskApid, thumbnailFactor: sc.thumbnailFactor,
      startLat: Math.round(p.pass.startLatDeg * 1e6), startLon: Math.round(p.pass.startLonDeg * 1e6), heading: Math.round(p.pass.headingDeg * 1e6),
      groundSpeed: Math.round(p.spacecraft.groundSpeedMps * 1000),
    });
    SCREENER_WORDS.forEach((name, i) => { v[name] = sc.params[i]; });
  }
  const pan = panOptions(p);
  if (pan) {
    Object.assign(v, { panEnabled: 1, panBitDepth: pan.bitDepth, panRatio: pan.ratio, panCompression: pan.lossless ? 0 : 1, panPixels: pan.pixels,
      panApid: pan.apid, panSegmentBlocks: pan.segmentBlocks, panSegmentBytes: pan.segmentBytes });
  }
  if (modes & 4) {                                    // CCSDS 123 at boot or after a switch: its words
    const h = hyperOptions(p);
    // unitLines is CCSDS 121's unit height and CCSDS 123's segment height: one value for both.
    if ((modes & 2) && v.unitLines !== h.segmentLines) throw new Error(`profile: modes ccsds121 and ccsds123 share one unit height: products.image.ccsds121.unitLines ${v.unitLines} ≠ ccsds123.segmentLines ${h.segmentLines}`);
    v.unitLines = h.segmentLines;
    HYPER_WORDS.forEach((name, i) => { v[name] = h.words[i]; });
  }
  return v;
}

const MODE_BIT: Record<string, number> = { raw: 1, ccsds121: 2, ccsds123: 4 };

/** The table's `modes`: the boot mode and every mode of the profile's commanding.modes (bit 1 << mode). */
export function productModes(p: Profile): number {
  let m = MODE_BIT[p.products.image.compression];
  for (const x of p.commanding?.modes ?? []) {
    if (!(x in MODE_BIT)) throw new Error(`profile: commanding.modes: unknown product mode "${x}" (raw, ccsds121, ccsds123)`);
    m |= MODE_BIT[x];
  }
  return m;
}

export function compileConfig(p: Profile, o: ConfigOverrides = {}): Uint8Array {
  const t = encodeTable(CONTRACT, p.sensor.bands.length, configValues(p, o));
  for (const [off, val] of o.poke ?? []) t[off] = val;
  new DataView(t.buffer).setUint16(t.length - 2, crc16(t.subarray(0, t.length - 2)));
  return t;
}

/** Contract field names of the screener's parameter words and the CCSDS 123 words, in order. */
const blockFields = (name: string, prefix: string) => CONTRACT.configTable.blocks.find((b) => b.name === name)!.fields.map((f) => f.name).filter((n) => n.startsWith(prefix) && /[A-Z]/.test(n[prefix.length]));
export const SCREENER_WORDS = blockFields("screening", "scr");
export const HYPER_WORDS = blockFields("ccsds123", "hyp");

export interface Aec121Product { blockSize: number; rsi: number; preprocess: boolean; restricted: boolean; unitLines: number; unitPixels: number }

/** The profile's CCSDS 121 options, the contract's defaults where the profile is silent. */
export function aecOptions(p: Profile): Aec121Product {
  const o = (p.products.image.ccsds121 ?? {}) as Partial<Aec121Product>;
  const d = <T extends number | boolean>(k: keyof Aec121Product): T => (o[k] ?? optionDefault<T>("ccsds121", k)) as T;
  return { blockSize: d("blockSize"), rsi: d("rsi"), preprocess: d("preprocess"), restricted: d("restricted"), unitLines: d("unitLines"), unitPixels: d("unitPixels") };
}

export interface ScreeningProduct {
  tileSize: number; degradeShift: number; thumbnailFactor: number; statsApid: number; maskApid: number;
  /** The screener's parameter words (assembly/screen/screener.ts P_*), in order. */
  params: number[];
}

/** Nearest band to a wavelength (nm). */
function nearestBand(p: Profile, nm: number): number {
  let best = 0;
  p.sensor.bands.forEach((b, i) => { if (Math.abs(b.centreNm - nm) < Math.abs(p.sensor.bands[best].centreNm - nm)) best = i; });
  return best;
}

/** Screening thresholds in the profile's units (reflectances, fractions, metres, degrees). */
export interface ScreenThresholds {
  coreBlue: number; coreHot: number; coreNdviMax: number; hazeHot: number; bright: number;
  degradeFraction: number; dropFraction: number; minValidFraction: number; minSunElevationDeg: number;
  coreDilateM: number; hazeGrowM: number;
  /** Core HOT above the clear background (capped at hotBackgroundCap) by this. */
  coreHotAboveBackground: number; hotBackgroundCap: number;
  /** Bright, not cloud: ice (NIR < iceNirRedMax · red), snow (blue > snowBlue and green < snowGreenBlueMax · blue); 0 turns a ratio test off. */
  iceNirRedMax: number; snowBlue: number; snowGreenBlueMax: number;
}
const THRESHOLD_KEYS = ["coreBlue", "coreHot", "coreNdviMax", "hazeHot", "bright", "degradeFraction", "dropFraction", "minValidFraction", "minSunElevationDeg", "coreDilateM", "hazeGrowM",
  "coreHotAboveBackground", "hotBackgroundCap", "iceNirRedMax", "snowBlue", "snowGreenBlueMax"] as const;
/** The contract's default thresholds. */
export const DEFAULT_THRESHOLDS: ScreenThresholds = Object.fromEntries(THRESHOLD_KEYS.map((k) => [k, optionDefault<number>("screening", k)])) as unknown as ScreenThresholds;

/**
 * Screening radii in whole pixels, one rule for the flight configuration and the evaluation: a
 * pixel is "within D metres" when its Chebyshev distance in pixels times the GSD is at most D, so
 * R = ⌊D / GSD⌋; R2 (haze growth) in 1..32, R1 (core dilation) in 0..R2.
 */
export function screenRadiiPx(t: Pick<ScreenThresholds, "coreDilateM" | "hazeGrowM">, gsdM: number): { dilate: number; grow: number } {
  const px = (m: number) => Math.floor(m / gsdM + 1e-9);
  const grow = Math.min(32, Math.max(1, px(t.hazeGrowM)));
  return { grow, dilate: Math.min(grow, Math.max(0, px(t.coreDilateM))) };
}

/**
 * The screener's parameter words (assembly/screen/screener.ts P_*, contract fields scr*), in order.
 * Thresholds are reflectances in Q12 (1.0 = 4096), fractions Q16, the sun elevation in 0.01°.
 */
export function screenerWords(t: ScreenThresholds, g: { gsdM: number; tileSize: number; bitDepth: number; blue: number; red: number; nir: number; green: number; bands: number; width: number }): number[] {
  const q12 = (x: number) => Math.round(x * 4096), q16 = (x: number) => Math.round(x * 65536);
  const r = screenRadiiPx(t, g.gsdM);
  return [q12(t.coreBlue), q12(t.coreHot), q12(t.coreNdviMax), q12(t.hazeHot), q12(t.bright), r.dilate, r.grow, g.tileSize,
    q16(t.degradeFraction), q16(t.dropFraction), q16(t.minValidFraction), (1 << g.bitDepth) - 1, Math.round(t.minSunElevationDeg * 100),
    g.blue, g.red, g.nir, g.bands, g.width,
    g.green, q12(t.coreHotAboveBackground), q12(t.hotBackgroundCap), q12(t.iceNirRedMax), q12(t.snowBlue), q12(t.snowGreenBlueMax)];
}

/**
 * The profile's cloud-screening options, the contract's defaults where the profile is silent, or
 * null when screening is off. See assembly/screen/README.md for the physics. (APID clashes and
 * the coder are checked by the profile validation and the flight check.)
 */
export function screeningOptions(p: Profile): ScreeningProduct | null {
  const o = (p.products.image.screening ?? {}) as Record<string, number | boolean | undefined>;
  if (!(o.enabled ?? optionDefault<boolean>("screening", "enabled"))) return null;
  const num = (k: string) => (typeof o[k] === "number" ? (o[k] as number) : optionDefault<number>("screening", k));
  const th = Object.fromEntries(THRESHOLD_KEYS.map((k) => [k, num(k)])) as unknown as ScreenThresholds;
  const tile = num("tileSize");
  const params = screenerWords(th, { gsdM: p.sensor.gsdM, tileSize: tile, bitDepth: p.sensor.bitDepth, blue: nearestBand(p, 490), red: nearestBand(p, 665), nir: nearestBand(p, 842), green: nearestBand(p, 560), bands: p.sensor.bands.length, width: p.sensor.pixelsPerLine });
  return { tileSize: tile, degradeShift: num("degradeShift"), thumbnailFactor: num("thumbnailFactor"), statsApid: num("statsApid"), maskApid: num("maskApid"), params };
}

export interface Hyper123Product { segmentLines: number; params: Hyper123Params; words: number[] }

const LOCAL_SUMS: Record<string, number> = { "wide-neighbour": 0, "narrow-neighbour": 1, "wide-column": 2, "narrow-column": 3 };

/**
 * The profile's CCSDS 123 options (products.image.ccsds123) over the standard's defaults of
 * the Salinas-A reference set (P = 3, full prediction, wide neighbour-oriented sums, Ω = 13,
 * R = 32, t_inc = 2^6, ν −1..3, sample-adaptive U_max 18, γ* 6, γ0 1, K 7), in band-interleaved
 * by line order as the imager delivers, on segments of segmentLines lines (default 64).
 * Near-lossless: `maxAbsError` (absolute, band-independent) with Θ = 4, φ = ψ = 4 as in the reference.
 */
export function hyperOptions(p: Profile): Hyper123Product {
  const o = (p.products.image.ccsds123 ?? {}) as Record<string, unknown>;
  const segmentLines = typeof o.segmentLines === "number" ? o.segmentLines : optionDefault<number>("ccsds123", "segmentLines");
  const h = hyper123Defaults(p.sensor.pixelsPerLine, segmentLines, p.sensor.bands.length);
  h.d = p.sensor.bitDepth; h.order = "bi"; h.m = 1;
  const opt = <T extends number | boolean | string>(k: string): T => (o[k] ?? optionDefault<T>("ccsds123", k)) as T;
  h.p = opt<number>("p");
  h.reduced = opt<boolean>("reduced");
  h.localSum = LOCAL_SUMS[opt<string>("localSum")];
  h.coder = opt<Hyper123Params["coder"]>("coder");
  const maxAbsError = opt<number>("maxAbsError");
  if (maxAbsError > 0) {
    h.fidelity = 1; h.absLimit = maxAbsError; h.absBits = Math.max(1, Math.ceil(Math.log2(maxAbsError + 1)));
    h.repFlag = true; h.theta = 4; h.phi = 4; h.psi = 4;
  }
  if (h.r < Math.max(32, h.d + h.omega + 2)) h.r = Math.max(32, h.d + h.omega + 2);
  if (h.k > Math.min(h.d - 2, 14)) h.k = Math.min(h.d - 2, 14);
  const w = new Array(HYPER_WORDS.length).fill(0);
  const W = WORD, coderId = { "sample-adaptive": 0, hybrid: 1, "block-adaptive": 2 }[h.coder];
  const set: [number, number][] = [[W.PRM_NX, h.nx], [W.PRM_NY, h.ny], [W.PRM_NZ, h.nz], [W.PRM_D, h.d], [W.PRM_SIGNED, h.signed ? 1 : 0], [W.PRM_ORDER, 0],
    [W.PRM_M, h.m], [W.PRM_B, h.wordBytes], [W.PRM_CODER, coderId], [W.PRM_P, h.p], [W.PRM_REDUCED, h.reduced ? 1 : 0], [W.PRM_LSUM, h.localSum],
    [W.PRM_R, h.r], [W.PRM_OMEGA, h.omega], [W.PRM_TINC_LOG, h.tIncLog], [W.PRM_NU_MIN, h.nuMin], [W.PRM_NU_MAX, h.nuMax], [W.PRM_FIDELITY, h.fidelity],
    [W.PRM_ABS_BITS, h.absBits], [W.PRM_ABS, h.absLimit], [W.PRM_REL_BITS, h.relBits], [W.PRM_REL, h.relLimit], [W.PRM_REP_FLAG, h.repFlag ? 1 : 0],
    [W.PRM_THETA, h.theta], [W.PRM_PHI, h.phi], [W.PRM_PSI, h.psi], [W.PRM_UMAX, h.uMax], [W.PRM_GSTAR, h.gammaStar], [W.PRM_G0, h.gamma0], [W.PRM_K, h.k],
    [W.PRM_BA_J, h.blockSize], [W.PRM_BA_RSI, h.rsi], [W.PRM_BA_RESTRICTED, h.restricted ? 1 : 0], [W.PRM_PERIOD_U, -1]];
  for (const [i, v] of set) w[i] = v;
  return { segmentLines, params: h, words: w };
}

export interface PanOptions { ratio: number; bitDepth: number; pixels: number; apid: number; lossless: boolean; segmentBlocks: number; segmentBytes: number; bitsPerPixel: number }

/** Default CCSDS 122 segment size of the pan product (blocks of 8×8). */
export const PAN_DEFAULT_SEGMENT_BLOCKS = 256;

/**
 * The profile's panchromatic channel and product, or null without one. A budget in bits per pixel
 * becomes SegByteLimit = ⌈bpp · 64 · S / 8⌉ octets per segment (122.0-B-2 §4.2.3.2.2, header included).
 */
export function panOptions(p: Profile): PanOptions | null {
  const s = p.sensor.panchromatic, o = p.products.pan;
  if (!s || !o) return null;
  const segmentBlocks = o.ccsds122?.segmentBlocks ?? PAN_DEFAULT_SEGMENT_BLOCKS;
  const lossless = o.compression === "ccsds122-lossless";
  const bitsPerPixel = lossless ? 0 : o.ccsds122?.bitsPerPixel ?? 0;
  return { ratio: s.ratio, bitDepth: s.bitDepth, pixels: s.ratio * p.sensor.pixelsPerLine, apid: o.apid, lossless, segmentBlocks,
    segmentBytes: lossless ? 0 : Math.ceil((bitsPerPixel * 64 * segmentBlocks) / 8), bitsPerPixel };
}

export function configRecord(p: Profile, o: ConfigOverrides = {}): Uint8Array {
  return encodeRecord(RecordType.Config, compileConfig(p, o));
}
