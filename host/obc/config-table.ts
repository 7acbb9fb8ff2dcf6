// Compiles a hardware profile into the flight image's binary configuration table (layout in
// assembly/abi/config-table.ts and the README). The flight image validates it again.
import type { Profile } from "../profiles/index.ts";
import { derived } from "../profiles/index.ts";
import { crc16 } from "../util/crc16.ts";
import { encodeRecord, RecordType } from "./bus.ts";

export const CONFIG_VERSION = 3;
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
  const len = CONFIG_FIXED_LEN + 2 * bands + CODEC_BLOCK_LEN + SCREEN_FIXED_LEN + 12 * bands + 2;
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
  const coder = p.products.image.compression === "raw" ? 0 : p.products.image.compression === "ccsds121" ? 1 : 255;
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
  return { tileSize: tile, degradeShift: num("degradeShift", 2), thumbnailFactor: num("thumbnailFactor", 8), statsApid: num("statsApid", 17), maskApid: num("maskApid", 18), params };
}

export function configRecord(p: Profile, o: ConfigOverrides = {}): Uint8Array {
  return encodeRecord(RecordType.Config, compileConfig(p, o));
}
