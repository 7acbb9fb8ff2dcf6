// Compiles a hardware profile into the flight image's binary configuration table (layout in
// assembly/abi/config-table.ts and the README). The flight image validates it again.
import type { Profile } from "../profiles/index.ts";
import { derived, ProfileError } from "../profiles/index.ts";
import { crc16 } from "../util/crc16.ts";
import { encodeRecord, RecordType } from "./bus.ts";
import { hyper123Defaults, type Hyper123Params } from "../commands/hyper123.ts";

export const CONFIG_VERSION = 4;
export const HYPER_PARAMS = 45;
export const SCREEN_FIXED_LEN = 96;
export const CODEC_BLOCK_LEN = 12;
export const CONFIG_FIXED_LEN = 48;

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

export function compileConfig(p: Profile, o: ConfigOverrides = {}): Uint8Array {
  const bands = p.sensor.bands.length;
  const len = CONFIG_FIXED_LEN + 2 * bands + CODEC_BLOCK_LEN + SCREEN_FIXED_LEN + 12 * bands + 4 * HYPER_PARAMS + 2;
  const t = new Uint8Array(len);
  const dv = new DataView(t.buffer);
  const d = derived(p);
  const idlePerLine = o.maxIdlePerLine ?? Math.max(4, Math.ceil(4 * d.caduPerSecond / p.sensor.lineRateHz));
  const flags = (p.link.frame.fecf ? 1 : 0) | (p.link.frame.ocf ? 2 : 0) | (p.link.coding.randomizer ? 4 : 0);
  dv.setUint16(0, CONFIG_VERSION);
  dv.setUint16(2, len);
  dv.setUint16(4, p.spacecraft.scid);
  t[6] = p.link.frame.type === "tm" ? 0 : 1;
  t[7] = flags;
  dv.setUint16(8, p.link.frame.length);
  t[10] = p.link.coding.rsE;
  t[11] = p.link.coding.rsDepth;
  t[12] = p.products.image.vcid;
  t[13] = p.products.housekeeping.vcid;
  t[14] = p.link.frame.idleVcid;
  t[15] = bands;
  dv.setUint16(16, p.sensor.pixelsPerLine);
  t[18] = p.sensor.bitDepth;
  const coder = p.products.image.compression === "raw" ? 0 : p.products.image.compression === "ccsds121" ? 1 : p.products.image.compression === "ccsds123" ? 2 : 255;
  t[19] = coder;
  dv.setUint16(20, p.products.housekeeping.apid);
  dv.setUint16(22, p.products.housekeeping.everyLines);
  dv.setUint32(24, p.products.image.maxPacketDataLen);
  dv.setUint32(28, p.obc.ramBytes);
  dv.setUint32(32, p.link.downlinkBitRate);
  dv.setUint32(36, (o.initialFrameCount ?? 0) >>> 0);
  dv.setUint16(40, (o.initialPacketCount ?? 0) & 0x3fff);
  dv.setUint16(42, p.link.frame.insertZoneLen ?? 0);
  dv.setUint16(44, o.maxLineJump ?? 1024);
  dv.setUint16(46, Math.min(65535, idlePerLine));
  p.products.image.apids.forEach((a, i) => dv.setUint16(CONFIG_FIXED_LEN + 2 * i, a));
  const c = CONFIG_FIXED_LEN + 2 * bands;
  t[c] = coder;
  if (coder === 1) {
    const a = aecOptions(p);
    t[c + 1] = a.blockSize;
    t[c + 2] = (a.preprocess ? 8 : 0) | (a.restricted ? 16 : 0);
    dv.setUint16(c + 4, a.rsi);
    dv.setUint16(c + 6, a.unitLines);
    dv.setUint16(c + 8, a.unitPixels);
  }
  const sc = screeningOptions(p);
  const sb = c + CODEC_BLOCK_LEN;
  if (sc) {
    t[sb] = 1;
    t[sb + 1] = sc.degradeShift;
    dv.setUint16(sb + 2, sc.statsApid);
    dv.setUint16(sb + 4, sc.maskApid);
    t[sb + 6] = 37;                                          // TAI − UTC since 2017-01-01 (IERS Bulletin C)
    t[sb + 7] = sc.thumbnailFactor;
    dv.setInt32(sb + 8, Math.round(p.pass.startLatDeg * 1e6));
    dv.setInt32(sb + 12, Math.round(p.pass.startLonDeg * 1e6));
    dv.setInt32(sb + 16, Math.round(p.pass.headingDeg * 1e6));
    dv.setUint32(sb + 20, Math.round(p.spacecraft.groundSpeedMps * 1000));
    sc.params.forEach((v, i) => dv.setInt32(sb + 24 + 4 * i, v));
  }
  const hb = sb + SCREEN_FIXED_LEN + 12 * bands;
  if (coder === 2) {
    const h = hyperOptions(p);
    dv.setUint16(c + 6, h.segmentLines);
    h.words.forEach((v, i) => dv.setInt32(hb + 4 * i, v));
  }
  p.sensor.bands.forEach((b, i) => {
    dv.setFloat32(sb + SCREEN_FIXED_LEN + 12 * i, b.gain);
    dv.setFloat32(sb + SCREEN_FIXED_LEN + 12 * i + 4, b.offset);
    dv.setFloat32(sb + SCREEN_FIXED_LEN + 12 * i + 8, b.solarIrradiance);
  });
  for (const [off, v] of o.poke ?? []) t[off] = v;
  dv.setUint16(len - 2, crc16(t.subarray(0, len - 2)));
  return t;
}

export interface Aec121Product { blockSize: number; rsi: number; preprocess: boolean; restricted: boolean; unitLines: number; unitPixels: number }

/** The profile's CCSDS 121 options with their defaults (J 16, RSI 128 blocks, preprocessing on, units of 16 lines × the whole line). */
export function aecOptions(p: Profile): Aec121Product {
  const o = (p.products.image.ccsds121 ?? {}) as Partial<Aec121Product>;
  return { blockSize: o.blockSize ?? 16, rsi: o.rsi ?? 128, preprocess: o.preprocess ?? true, restricted: o.restricted ?? false, unitLines: o.unitLines ?? 16, unitPixels: o.unitPixels ?? 0 };
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

/**
 * The profile's cloud-screening options with their defaults, or null when screening is off.
 * Thresholds are reflectances (the screener works in Q12: 1.0 = 4096); distances in metres are
 * turned into pixels with the profile's GSD. See assembly/screen/README.md for the physics.
 */
export function screeningOptions(p: Profile): ScreeningProduct | null {
  const o = (p.products.image.screening ?? {}) as Record<string, number | boolean | undefined>;
  if (!o.enabled) return null;
  const q12 = (x: number) => Math.round(x * 4096), q16 = (x: number) => Math.round(x * 65536);
  const num = (k: string, d: number) => (typeof o[k] === "number" ? (o[k] as number) : d);
  const tile = num("tileSize", 64);
  const grow = Math.min(32, Math.max(1, Math.round(num("hazeGrowM", 150) / p.sensor.gsdM)));
  const dilate = Math.min(grow, Math.max(0, Math.round(num("coreDilateM", 50) / p.sensor.gsdM)));
  const params = [
    q12(num("coreBlue", 0.2)), q12(num("coreHot", 0.04)), q12(num("coreNdviMax", 0.5)), q12(num("hazeHot", 0.02)), q12(num("bright", 0.2)),
    dilate, grow, tile, q16(num("degradeFraction", 0.3)), q16(num("dropFraction", 0.7)), q16(num("minValidFraction", 0.5)),
    (1 << p.sensor.bitDepth) - 1, Math.round(num("minSunElevationDeg", 5) * 100),
    nearestBand(p, 490), nearestBand(p, 665), nearestBand(p, 842), p.sensor.bands.length, p.sensor.pixelsPerLine,
  ];
  const statsApid = num("statsApid", 17), maskApid = num("maskApid", 18);
  const taken = new Set([...p.products.image.apids, p.products.housekeeping.apid]);
  if (taken.has(statsApid) || statsApid > 0x7fe) throw new ProfileError("/products/image/screening/statsApid", `APID ${statsApid} is already used or not in 0..2046`, p.name);
  if (taken.has(maskApid) || maskApid === statsApid || maskApid > 0x7fe) throw new ProfileError("/products/image/screening/maskApid", `APID ${maskApid} is already used or not in 0..2046`, p.name);
  if (p.products.image.compression === "ccsds123") throw new ProfileError("/products/image/screening", "screening codes its tiles with CCSDS 121: use compression ccsds121 or raw", p.name);
  return { tileSize: tile, degradeShift: num("degradeShift", 2), thumbnailFactor: num("thumbnailFactor", 8), statsApid, maskApid, params };
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
  const segmentLines = typeof o.segmentLines === "number" ? o.segmentLines : 64;
  const h = hyper123Defaults(p.sensor.pixelsPerLine, segmentLines, p.sensor.bands.length);
  h.d = p.sensor.bitDepth; h.order = "bi"; h.m = 1;
  if (typeof o.p === "number") h.p = o.p;
  if (o.reduced === true) h.reduced = true;
  if (typeof o.localSum === "string" && o.localSum in LOCAL_SUMS) h.localSum = LOCAL_SUMS[o.localSum];
  if (o.coder === "hybrid" || o.coder === "block-adaptive" || o.coder === "sample-adaptive") h.coder = o.coder;
  if (typeof o.maxAbsError === "number" && o.maxAbsError > 0) {
    h.fidelity = 1; h.absLimit = o.maxAbsError; h.absBits = Math.max(1, Math.ceil(Math.log2(o.maxAbsError + 1)));
    h.repFlag = true; h.theta = 4; h.phi = 4; h.psi = 4;
  }
  if (h.r < Math.max(32, h.d + h.omega + 2)) h.r = Math.max(32, h.d + h.omega + 2);
  if (h.k > Math.min(h.d - 2, 14)) h.k = Math.min(h.d - 2, 14);
  const w = new Array(HYPER_PARAMS).fill(0);
  w[0] = h.nx; w[1] = h.ny; w[2] = h.nz; w[3] = h.d; w[4] = h.signed ? 1 : 0; w[5] = 0; w[6] = h.m; w[7] = h.wordBytes;
  w[8] = h.coder === "block-adaptive" ? 2 : h.coder === "hybrid" ? 1 : 0; w[9] = h.p; w[10] = h.reduced ? 1 : 0; w[11] = h.localSum;
  w[12] = h.r; w[13] = h.omega; w[14] = h.tIncLog; w[15] = h.nuMin; w[16] = h.nuMax; w[17] = h.fidelity;
  w[19] = h.absBits; w[20] = h.absLimit; w[22] = h.relBits; w[23] = h.relLimit; w[24] = h.repFlag ? 1 : 0;
  w[25] = h.theta; w[26] = h.phi; w[27] = h.psi; w[28] = h.uMax; w[29] = h.gammaStar; w[30] = h.gamma0; w[31] = h.k;
  w[35] = h.blockSize; w[36] = h.rsi; w[37] = h.restricted ? 1 : 0; w[41] = -1;
  return { segmentLines, params: h, words: w };
}

export function configRecord(p: Profile, o: ConfigOverrides = {}): Uint8Array {
  return encodeRecord(RecordType.Config, compileConfig(p, o));
}
