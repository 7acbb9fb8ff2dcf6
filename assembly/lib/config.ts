// GENERATED from host/contract/contract.json by host/contract/generate.ts — do not edit; run `npm run contract`.

// Library build only: the flight parser's view of a table, field by field (contract order), so the
// host can check that what it compiled is what the flight code reads (tests/host/contract).
import { Config, parseConfig, bandApid } from "../abi/config-table";
import { loadU32BE } from "../util/be";
import { SCREENING_LEN, CALIBRATION_STRIDE } from "../abi/contract";
import { controlBlock } from "../abi/control";

const cfg = new Config();

/** Parses a table with the flight parser (status as at boot). */
export function cfgParse(ptr: usize, len: i32): i32 { return parseConfig(ptr, len, cfg); }

/** Word i of the control block (contract.controlBlock): status, field, found, expected, offset. */
export function cfgDetail(i: i32): i32 { return load<i32>(controlBlock + (<usize>(i & 7) << 2)); }

/** The parsed value of field `id` (its index in the contract's table fields), band `band` for per-band fields; NaN if not kept. */
export function cfgReadBack(id: i32, band: i32): f64 {
  switch (id) {
    case 2: return <f64>(cfg.scid); // fixed.scid
    case 3: return <f64>(cfg.frameType); // fixed.frameType
    case 4: return <f64>((cfg.fecf ? 1 : 0) | (cfg.ocf ? 2 : 0) | (cfg.randomizer ? 4 : 0)); // fixed.linkFlags
    case 5: return <f64>(cfg.frameLen); // fixed.frameLength
    case 6: return <f64>(cfg.rsE); // fixed.rsE
    case 7: return <f64>(cfg.rsDepth); // fixed.rsDepth
    case 8: return <f64>(cfg.imageVcid); // fixed.imageVcid
    case 9: return <f64>(cfg.hkVcid); // fixed.hkVcid
    case 10: return <f64>(cfg.idleVcid); // fixed.idleVcid
    case 11: return <f64>(cfg.bands); // fixed.bands
    case 12: return <f64>(cfg.pixels); // fixed.pixels
    case 13: return <f64>(cfg.bitDepth); // fixed.bitDepth
    case 14: return <f64>(cfg.compression); // fixed.compression
    case 15: return <f64>(cfg.hkApid); // fixed.hkApid
    case 16: return <f64>(cfg.hkEveryLines); // fixed.hkEveryLines
    case 17: return <f64>(cfg.maxPacketLen); // fixed.maxPacketDataLen
    case 18: return <f64>(cfg.ramBytes); // fixed.ramBytes
    case 19: return <f64>(cfg.bitRate); // fixed.downlinkBitRate
    case 20: return <f64>(cfg.initialFrameCount); // fixed.initialFrameCount
    case 21: return <f64>(cfg.initialPacketCount); // fixed.initialPacketCount
    case 22: return <f64>(cfg.insertZoneLen); // fixed.insertZoneLen
    case 23: return <f64>(cfg.maxLineJump); // fixed.maxLineJump
    case 24: return <f64>(cfg.maxIdlePerLine); // fixed.maxIdlePerLine
    case 25: return <f64>(bandApid(cfg, band)); // apids.apid
    case 26: return <f64>(cfg.compression); // codec.coder
    case 27: return <f64>(cfg.aecJ); // codec.aecBlockSize
    case 28: return <f64>(cfg.aecFlags); // codec.aecFlags
    case 30: return <f64>(cfg.aecRsi); // codec.aecRsi
    case 31: return <f64>(cfg.unitLines); // codec.unitLines
    case 32: return <f64>(cfg.unitPixels); // codec.unitPixels
    case 34: return <f64>(cfg.screen ? 1 : 0); // screening.screenEnabled
    case 35: return <f64>(cfg.degradeShift); // screening.degradeShift
    case 36: return <f64>(cfg.statsApid); // screening.statsApid
    case 37: return <f64>(cfg.maskApid); // screening.maskApid
    case 38: return <f64>(cfg.taiUtc); // screening.taiUtc
    case 39: return <f64>(cfg.thumbFactor); // screening.thumbnailFactor
    case 40: return <f64>(Math.round(cfg.lat0Deg * 1e6)); // screening.startLat
    case 41: return <f64>(Math.round(cfg.lon0Deg * 1e6)); // screening.startLon
    case 42: return <f64>(Math.round(cfg.headingDeg * 1e6)); // screening.heading
    case 43: return <f64>(Math.round(cfg.groundSpeedMps * 1e3)); // screening.groundSpeed
    case 44: return <f64>(<i32>loadU32BE(cfg.screenBlockPtr + 24)); // screening.scrCoreBlue
    case 45: return <f64>(<i32>loadU32BE(cfg.screenBlockPtr + 28)); // screening.scrCoreHot
    case 46: return <f64>(<i32>loadU32BE(cfg.screenBlockPtr + 32)); // screening.scrCoreNdviMax
    case 47: return <f64>(<i32>loadU32BE(cfg.screenBlockPtr + 36)); // screening.scrHazeHot
    case 48: return <f64>(<i32>loadU32BE(cfg.screenBlockPtr + 40)); // screening.scrBright
    case 49: return <f64>(<i32>loadU32BE(cfg.screenBlockPtr + 44)); // screening.scrDilatePx
    case 50: return <f64>(<i32>loadU32BE(cfg.screenBlockPtr + 48)); // screening.scrGrowPx
    case 51: return <f64>(<i32>loadU32BE(cfg.screenBlockPtr + 52)); // screening.scrTileSize
    case 52: return <f64>(<i32>loadU32BE(cfg.screenBlockPtr + 56)); // screening.scrDegradeFrac
    case 53: return <f64>(<i32>loadU32BE(cfg.screenBlockPtr + 60)); // screening.scrDropFrac
    case 54: return <f64>(<i32>loadU32BE(cfg.screenBlockPtr + 64)); // screening.scrMinValidFrac
    case 55: return <f64>(<i32>loadU32BE(cfg.screenBlockPtr + 68)); // screening.scrSatDn
    case 56: return <f64>(<i32>loadU32BE(cfg.screenBlockPtr + 72)); // screening.scrMinElevation
    case 57: return <f64>(<i32>loadU32BE(cfg.screenBlockPtr + 76)); // screening.scrBandBlue
    case 58: return <f64>(<i32>loadU32BE(cfg.screenBlockPtr + 80)); // screening.scrBandRed
    case 59: return <f64>(<i32>loadU32BE(cfg.screenBlockPtr + 84)); // screening.scrBandNir
    case 60: return <f64>(<i32>loadU32BE(cfg.screenBlockPtr + 88)); // screening.scrBands
    case 61: return <f64>(<i32>loadU32BE(cfg.screenBlockPtr + 92)); // screening.scrWidth
    case 62: return <f64>(<i32>loadU32BE(cfg.screenBlockPtr + 96)); // screening.scrBandGreen
    case 63: return <f64>(<i32>loadU32BE(cfg.screenBlockPtr + 100)); // screening.scrCoreHotRel
    case 64: return <f64>(<i32>loadU32BE(cfg.screenBlockPtr + 104)); // screening.scrHotBgCap
    case 65: return <f64>(<i32>loadU32BE(cfg.screenBlockPtr + 108)); // screening.scrIceNirRed
    case 66: return <f64>(<i32>loadU32BE(cfg.screenBlockPtr + 112)); // screening.scrSnowBlue
    case 67: return <f64>(<i32>loadU32BE(cfg.screenBlockPtr + 116)); // screening.scrSnowGreenBlue
    case 68: return <f64>(reinterpret<f32>(loadU32BE(cfg.screenBlockPtr + <usize>(SCREENING_LEN + CALIBRATION_STRIDE * band + 0)))); // calibration.gain
    case 69: return <f64>(reinterpret<f32>(loadU32BE(cfg.screenBlockPtr + <usize>(SCREENING_LEN + CALIBRATION_STRIDE * band + 4)))); // calibration.offset
    case 70: return <f64>(reinterpret<f32>(loadU32BE(cfg.screenBlockPtr + <usize>(SCREENING_LEN + CALIBRATION_STRIDE * band + 8)))); // calibration.esun
    case 71: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 0)); // ccsds123.hypNx
    case 72: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 4)); // ccsds123.hypNy
    case 73: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 8)); // ccsds123.hypNz
    case 74: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 12)); // ccsds123.hypD
    case 75: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 16)); // ccsds123.hypSigned
    case 76: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 20)); // ccsds123.hypOrder
    case 77: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 24)); // ccsds123.hypM
    case 78: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 28)); // ccsds123.hypWordBytes
    case 79: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 32)); // ccsds123.hypCoder
    case 80: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 36)); // ccsds123.hypP
    case 81: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 40)); // ccsds123.hypReduced
    case 82: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 44)); // ccsds123.hypLocalSum
    case 83: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 48)); // ccsds123.hypR
    case 84: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 52)); // ccsds123.hypOmega
    case 85: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 56)); // ccsds123.hypTIncLog
    case 86: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 60)); // ccsds123.hypNuMin
    case 87: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 64)); // ccsds123.hypNuMax
    case 88: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 68)); // ccsds123.hypFidelity
    case 89: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 72)); // ccsds123.hypAbsDep
    case 90: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 76)); // ccsds123.hypAbsBits
    case 91: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 80)); // ccsds123.hypAbs
    case 92: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 84)); // ccsds123.hypRelDep
    case 93: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 88)); // ccsds123.hypRelBits
    case 94: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 92)); // ccsds123.hypRel
    case 95: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 96)); // ccsds123.hypRepFlag
    case 96: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 100)); // ccsds123.hypTheta
    case 97: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 104)); // ccsds123.hypPhi
    case 98: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 108)); // ccsds123.hypPsi
    case 99: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 112)); // ccsds123.hypUMax
    case 100: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 116)); // ccsds123.hypGammaStar
    case 101: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 120)); // ccsds123.hypGamma0
    case 102: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 124)); // ccsds123.hypK
    case 103: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 128)); // ccsds123.hypUser
    case 104: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 132)); // ccsds123.hypAbsTable
    case 105: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 136)); // ccsds123.hypRelTable
    case 106: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 140)); // ccsds123.hypBaJ
    case 107: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 144)); // ccsds123.hypBaRsi
    case 108: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 148)); // ccsds123.hypBaRestricted
    case 109: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 152)); // ccsds123.hypWinitQ
    case 110: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 156)); // ccsds123.hypWinitTable
    case 111: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 160)); // ccsds123.hypWeoTable
    case 112: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 164)); // ccsds123.hypPeriodU
    case 113: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 168)); // ccsds123.hypPhiTable
    case 114: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 172)); // ccsds123.hypPsiTable
    case 115: return <f64>(<i32>loadU32BE(cfg.hyperBlockPtr + 176)); // ccsds123.hypKTable
    case 116: return <f64>(cfg.tcApid); // commanding.tcApid
    case 117: return <f64>(cfg.reportApid); // commanding.reportApid
    case 118: return <f64>(cfg.tcVcid); // commanding.tcVcid
    case 119: return <f64>(cfg.modes); // commanding.modes
    case 120: return <f64>(cfg.pan ? 1 : 0); // panchromatic.panEnabled
    case 121: return <f64>(cfg.panBitDepth); // panchromatic.panBitDepth
    case 122: return <f64>(cfg.panRatio); // panchromatic.panRatio
    case 123: return <f64>(cfg.panCompression); // panchromatic.panCompression
    case 124: return <f64>(cfg.panPixels); // panchromatic.panPixels
    case 125: return <f64>(cfg.panApid); // panchromatic.panApid
    case 126: return <f64>(cfg.panS); // panchromatic.panSegmentBlocks
    case 127: return <f64>(cfg.panSegBytes); // panchromatic.panSegmentBytes
    default: return NaN;
  }
}
