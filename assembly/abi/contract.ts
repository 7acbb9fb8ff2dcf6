// GENERATED from host/contract/contract.json by host/contract/generate.ts — do not edit; run `npm run contract`.

// The host–flight wire contract: versions, block lengths, field offsets (octets from the start
// of their block), and the configuration table's per-field range checks. Cross-field rules
// (frame type widths, RS lengths, APID clashes, geometry) stay in assembly/abi/config-table.ts.
import { loadU16BE, loadU32BE } from "../util/be";
import { setDetail } from "./control";
import { E_CFG_BAD_VALUE } from "./status";

export const CONFIG_VERSION: u32 = 8;
export const BUS_RECORD_VERSION: u32 = 1;
export const HK_VERSION: u8 = 3;

// block fixed (48 octets)
export const FIXED_LEN: i32 = 48;
export const OFF_VERSION: i32 = 0;
export const OFF_TABLE_LEN: i32 = 2;
export const OFF_SCID: i32 = 4;
export const OFF_FRAME_TYPE: i32 = 6;
export const OFF_LINK_FLAGS: i32 = 7;
export const OFF_FRAME_LENGTH: i32 = 8;
export const OFF_RS_E: i32 = 10;
export const OFF_RS_DEPTH: i32 = 11;
export const OFF_IMAGE_VCID: i32 = 12;
export const OFF_HK_VCID: i32 = 13;
export const OFF_IDLE_VCID: i32 = 14;
export const OFF_BANDS: i32 = 15;
export const OFF_PIXELS: i32 = 16;
export const OFF_BIT_DEPTH: i32 = 18;
export const OFF_COMPRESSION: i32 = 19;
export const OFF_HK_APID: i32 = 20;
export const OFF_HK_EVERY_LINES: i32 = 22;
export const OFF_MAX_PACKET_DATA_LEN: i32 = 24;
export const OFF_RAM_BYTES: i32 = 28;
export const OFF_DOWNLINK_BIT_RATE: i32 = 32;
export const OFF_INITIAL_FRAME_COUNT: i32 = 36;
export const OFF_INITIAL_PACKET_COUNT: i32 = 40;
export const OFF_INSERT_ZONE_LEN: i32 = 42;
export const OFF_MAX_LINE_JUMP: i32 = 44;
export const OFF_MAX_IDLE_PER_LINE: i32 = 46;
// block apids (per band, 2 octets each)
export const APIDS_STRIDE: i32 = 2;
export const OFF_APID: i32 = 0;
// block codec (12 octets)
export const CODEC_LEN: i32 = 12;
export const OFF_CODER: i32 = 0;
export const OFF_AEC_BLOCK_SIZE: i32 = 1;
export const OFF_AEC_FLAGS: i32 = 2;
export const OFF_CODEC_RESERVED1: i32 = 3;
export const OFF_AEC_RSI: i32 = 4;
export const OFF_UNIT_LINES: i32 = 6;
export const OFF_UNIT_PIXELS: i32 = 8;
export const OFF_CODEC_RESERVED2: i32 = 10;
// block screening (120 octets)
export const SCREENING_LEN: i32 = 120;
export const OFF_SCREEN_ENABLED: i32 = 0;
export const OFF_DEGRADE_SHIFT: i32 = 1;
export const OFF_STATS_APID: i32 = 2;
export const OFF_MASK_APID: i32 = 4;
export const OFF_TAI_UTC: i32 = 6;
export const OFF_THUMBNAIL_FACTOR: i32 = 7;
export const OFF_START_LAT: i32 = 8;
export const OFF_START_LON: i32 = 12;
export const OFF_HEADING: i32 = 16;
export const OFF_GROUND_SPEED: i32 = 20;
export const OFF_SCR_CORE_BLUE: i32 = 24;
export const OFF_SCR_CORE_HOT: i32 = 28;
export const OFF_SCR_CORE_NDVI_MAX: i32 = 32;
export const OFF_SCR_HAZE_HOT: i32 = 36;
export const OFF_SCR_BRIGHT: i32 = 40;
export const OFF_SCR_DILATE_PX: i32 = 44;
export const OFF_SCR_GROW_PX: i32 = 48;
export const OFF_SCR_TILE_SIZE: i32 = 52;
export const OFF_SCR_DEGRADE_FRAC: i32 = 56;
export const OFF_SCR_DROP_FRAC: i32 = 60;
export const OFF_SCR_MIN_VALID_FRAC: i32 = 64;
export const OFF_SCR_SAT_DN: i32 = 68;
export const OFF_SCR_MIN_ELEVATION: i32 = 72;
export const OFF_SCR_BAND_BLUE: i32 = 76;
export const OFF_SCR_BAND_RED: i32 = 80;
export const OFF_SCR_BAND_NIR: i32 = 84;
export const OFF_SCR_BANDS: i32 = 88;
export const OFF_SCR_WIDTH: i32 = 92;
export const OFF_SCR_BAND_GREEN: i32 = 96;
export const OFF_SCR_CORE_HOT_REL: i32 = 100;
export const OFF_SCR_HOT_BG_CAP: i32 = 104;
export const OFF_SCR_ICE_NIR_RED: i32 = 108;
export const OFF_SCR_SNOW_BLUE: i32 = 112;
export const OFF_SCR_SNOW_GREEN_BLUE: i32 = 116;
// block calibration (per band, 12 octets each)
export const CALIBRATION_STRIDE: i32 = 12;
export const OFF_GAIN: i32 = 0;
export const OFF_OFFSET: i32 = 4;
export const OFF_ESUN: i32 = 8;
// block ccsds123 (180 octets)
export const CCSDS123_LEN: i32 = 180;
export const OFF_HYP_NX: i32 = 0;
export const OFF_HYP_NY: i32 = 4;
export const OFF_HYP_NZ: i32 = 8;
export const OFF_HYP_D: i32 = 12;
export const OFF_HYP_SIGNED: i32 = 16;
export const OFF_HYP_ORDER: i32 = 20;
export const OFF_HYP_M: i32 = 24;
export const OFF_HYP_WORD_BYTES: i32 = 28;
export const OFF_HYP_CODER: i32 = 32;
export const OFF_HYP_P: i32 = 36;
export const OFF_HYP_REDUCED: i32 = 40;
export const OFF_HYP_LOCAL_SUM: i32 = 44;
export const OFF_HYP_R: i32 = 48;
export const OFF_HYP_OMEGA: i32 = 52;
export const OFF_HYP_T_INC_LOG: i32 = 56;
export const OFF_HYP_NU_MIN: i32 = 60;
export const OFF_HYP_NU_MAX: i32 = 64;
export const OFF_HYP_FIDELITY: i32 = 68;
export const OFF_HYP_ABS_DEP: i32 = 72;
export const OFF_HYP_ABS_BITS: i32 = 76;
export const OFF_HYP_ABS: i32 = 80;
export const OFF_HYP_REL_DEP: i32 = 84;
export const OFF_HYP_REL_BITS: i32 = 88;
export const OFF_HYP_REL: i32 = 92;
export const OFF_HYP_REP_FLAG: i32 = 96;
export const OFF_HYP_THETA: i32 = 100;
export const OFF_HYP_PHI: i32 = 104;
export const OFF_HYP_PSI: i32 = 108;
export const OFF_HYP_U_MAX: i32 = 112;
export const OFF_HYP_GAMMA_STAR: i32 = 116;
export const OFF_HYP_GAMMA0: i32 = 120;
export const OFF_HYP_K: i32 = 124;
export const OFF_HYP_USER: i32 = 128;
export const OFF_HYP_ABS_TABLE: i32 = 132;
export const OFF_HYP_REL_TABLE: i32 = 136;
export const OFF_HYP_BA_J: i32 = 140;
export const OFF_HYP_BA_RSI: i32 = 144;
export const OFF_HYP_BA_RESTRICTED: i32 = 148;
export const OFF_HYP_WINIT_Q: i32 = 152;
export const OFF_HYP_WINIT_TABLE: i32 = 156;
export const OFF_HYP_WEO_TABLE: i32 = 160;
export const OFF_HYP_PERIOD_U: i32 = 164;
export const OFF_HYP_PHI_TABLE: i32 = 168;
export const OFF_HYP_PSI_TABLE: i32 = 172;
export const OFF_HYP_K_TABLE: i32 = 176;
// block commanding (6 octets)
export const COMMANDING_LEN: i32 = 6;
export const OFF_TC_APID: i32 = 0;
export const OFF_REPORT_APID: i32 = 2;
export const OFF_TC_VCID: i32 = 4;
export const OFF_MODES: i32 = 5;
// block panchromatic (16 octets)
export const PANCHROMATIC_LEN: i32 = 16;
export const OFF_PAN_ENABLED: i32 = 0;
export const OFF_PAN_BIT_DEPTH: i32 = 1;
export const OFF_PAN_RATIO: i32 = 2;
export const OFF_PAN_COMPRESSION: i32 = 3;
export const OFF_PAN_PIXELS: i32 = 4;
export const OFF_PAN_APID: i32 = 6;
export const OFF_PAN_SEGMENT_BLOCKS: i32 = 8;
export const OFF_PAN_SEGMENT_BYTES: i32 = 10;
export const OFF_PAN_RESERVED: i32 = 14;
// block crc (2 octets)
export const CRC_LEN: i32 = 2;
export const OFF_CRC: i32 = 0;

/** Octets of a configuration table for this many bands (CRC included). */
export function configTableLen(bands: i32): i32 { return 384 + 14 * bands; }
@inline export function fixedBlockAt(bands: i32): i32 { return 0; }
@inline export function apidsBlockAt(bands: i32): i32 { return 48; }
@inline export function codecBlockAt(bands: i32): i32 { return 48 + 2 * bands; }
@inline export function screeningBlockAt(bands: i32): i32 { return 60 + 2 * bands; }
@inline export function calibrationBlockAt(bands: i32): i32 { return 180 + 2 * bands; }
@inline export function ccsds123BlockAt(bands: i32): i32 { return 180 + 14 * bands; }
@inline export function commandingBlockAt(bands: i32): i32 { return 360 + 14 * bands; }
@inline export function panchromaticBlockAt(bands: i32): i32 { return 366 + 14 * bands; }
@inline export function crcBlockAt(bands: i32): i32 { return 382 + 14 * bands; }

// Payload bus record
export const BUS_RECORD_OFF_SYNC: i32 = 0;
export const BUS_RECORD_OFF_TYPE: i32 = 4;
export const BUS_RECORD_OFF_VERSION: i32 = 5;
export const BUS_RECORD_OFF_PAYLOAD_LEN: i32 = 6;
export const BUS_RECORD_OFF_PAYLOAD: i32 = 10;
export const BUS_RECORD_HEADER_LEN: i32 = 10;

// Line record payload (bus record type 2)
export const LINE_HEADER_OFF_COUNTER: i32 = 0;
export const LINE_HEADER_OFF_TIME_COARSE: i32 = 4;
export const LINE_HEADER_OFF_TIME_FINE: i32 = 8;
export const LINE_HEADER_OFF_BANDS: i32 = 12;
export const LINE_HEADER_OFF_PIXELS: i32 = 14;
export const LINE_HEADER_OFF_BIT_DEPTH: i32 = 16;
export const LINE_HEADER_OFF_FLAGS: i32 = 17;
export const LINE_HEADER_OFF_SAMPLES: i32 = 18;
export const LINE_HEADER_FIXED_LEN: i32 = 18;

// Unit header (first octets of every CCSDS 121 unit, CCSDS 123 segment and mask packet's data field)
export const UNIT_HEADER_OFF_CUC: i32 = 0;
export const UNIT_HEADER_OFF_FIRST_LINE: i32 = 7;
export const UNIT_HEADER_OFF_LINES: i32 = 11;
export const UNIT_HEADER_OFF_FIRST_PIXEL: i32 = 13;
export const UNIT_HEADER_OFF_PIXEL_COUNT: i32 = 15;
export const UNIT_HEADER_OFF_CODER: i32 = 17;
export const UNIT_HEADER_OFF_BITS_PER_SAMPLE: i32 = 18;
export const UNIT_HEADER_OFF_BLOCK_SIZE: i32 = 19;
export const UNIT_HEADER_OFF_AEC_FLAGS: i32 = 20;
export const UNIT_HEADER_OFF_RSI: i32 = 21;
export const UNIT_HEADER_OFF_SEGMENT_OFFSET: i32 = 23;
export const UNIT_HEADER_OFF_SHIFT: i32 = 27;
export const UNIT_HEADER_LEN: i32 = 28;

// Tile statistics packet data field (statistics APID)
export const TILE_STATISTICS_OFF_CUC: i32 = 0;
export const TILE_STATISTICS_OFF_TILE_ROW: i32 = 7;
export const TILE_STATISTICS_OFF_FIRST_LINE: i32 = 11;
export const TILE_STATISTICS_OFF_LINES: i32 = 15;
export const TILE_STATISTICS_OFF_FIRST_PIXEL: i32 = 17;
export const TILE_STATISTICS_OFF_PIXEL_COUNT: i32 = 19;
export const TILE_STATISTICS_OFF_CLEAR: i32 = 21;
export const TILE_STATISTICS_OFF_CLOUD: i32 = 25;
export const TILE_STATISTICS_OFF_UNCERTAIN_BRIGHT: i32 = 29;
export const TILE_STATISTICS_OFF_SATURATED: i32 = 33;
export const TILE_STATISTICS_OFF_MISSING: i32 = 37;
export const TILE_STATISTICS_OFF_UNJUDGED: i32 = 41;
export const TILE_STATISTICS_OFF_BRIGHT_NOT_CLOUD: i32 = 45;
export const TILE_STATISTICS_OFF_DECISION: i32 = 49;
export const TILE_STATISTICS_OFF_REASON: i32 = 50;
export const TILE_STATISTICS_OFF_THUMBNAIL_FACTOR: i32 = 51;
export const TILE_STATISTICS_OFF_BANDS: i32 = 52;
export const TILE_STATISTICS_OFF_THUMBNAIL: i32 = 53;
export const TILE_STATISTICS_FIXED_LEN: i32 = 53;

// Housekeeping packet data field (housekeeping APID)
export const HOUSEKEEPING_OFF_CUC: i32 = 0;
export const HOUSEKEEPING_OFF_VERSION: i32 = 7;
export const HOUSEKEEPING_OFF_STATE: i32 = 8;
export const HOUSEKEEPING_OFF_SPARE: i32 = 9;
export const HOUSEKEEPING_OFF_LAST_STATUS: i32 = 11;
export const HOUSEKEEPING_OFF_CONFIG_STATUS: i32 = 15;
export const HOUSEKEEPING_OFF_RECORDS_ACCEPTED: i32 = 19;
export const HOUSEKEEPING_OFF_LINES_ACCEPTED: i32 = 23;
export const HOUSEKEEPING_OFF_REJECTED_BAD_SYNC: i32 = 27;
export const HOUSEKEEPING_OFF_REJECTED_BAD_CRC: i32 = 31;
export const HOUSEKEEPING_OFF_REJECTED_BAD_LENGTH: i32 = 35;
export const HOUSEKEEPING_OFF_REJECTED_BAD_TYPE: i32 = 39;
export const HOUSEKEEPING_OFF_REJECTED_BAD_LINE: i32 = 43;
export const HOUSEKEEPING_OFF_REJECTED_LINE_JUMP: i32 = 47;
export const HOUSEKEEPING_OFF_REJECTED_TIME_JUMP: i32 = 51;
export const HOUSEKEEPING_OFF_REJECTED_NO_CONFIG: i32 = 55;
export const HOUSEKEEPING_OFF_BYTES_SKIPPED: i32 = 59;
export const HOUSEKEEPING_OFF_LINES_MISSING: i32 = 63;
export const HOUSEKEEPING_OFF_SAMPLES_CLIPPED: i32 = 67;
export const HOUSEKEEPING_OFF_PACKETS_SENT: i32 = 71;
export const HOUSEKEEPING_OFF_DATA_FRAMES: i32 = 75;
export const HOUSEKEEPING_OFF_IDLE_FRAMES: i32 = 79;
export const HOUSEKEEPING_OFF_IDLE_PACKETS: i32 = 83;
export const HOUSEKEEPING_OFF_CADUS: i32 = 87;
export const HOUSEKEEPING_OFF_BACKLOG_FRAMES: i32 = 91;
export const HOUSEKEEPING_OFF_MEMORY_BYTES: i32 = 95;
export const HOUSEKEEPING_OFF_HEAP_USED_BYTES: i32 = 99;
export const HOUSEKEEPING_OFF_LAST_LINE_COUNTER: i32 = 103;
export const HOUSEKEEPING_OFF_HK_SEQUENCE: i32 = 107;
export const HOUSEKEEPING_OFF_TILES_KEPT: i32 = 111;
export const HOUSEKEEPING_OFF_TILES_DEGRADED: i32 = 115;
export const HOUSEKEEPING_OFF_TILES_DROPPED: i32 = 119;
export const HOUSEKEEPING_OFF_FRAMES_OVERFLOWED: i32 = 123;
export const HOUSEKEEPING_OFF_TC_ACCEPTED: i32 = 127;
export const HOUSEKEEPING_OFF_TC_REJ_AUTH: i32 = 131;
export const HOUSEKEEPING_OFF_TC_REJ_REPLAY: i32 = 135;
export const HOUSEKEEPING_OFF_TC_REJ_FRAME: i32 = 139;
export const HOUSEKEEPING_OFF_UPLOAD_REJECTED: i32 = 143;
export const HOUSEKEEPING_OFF_LINES_DROPPED_STOPPED: i32 = 147;
export const HOUSEKEEPING_OFF_PUS_ACCEPTED: i32 = 151;
export const HOUSEKEEPING_OFF_PUS_REJECTED: i32 = 155;
export const HOUSEKEEPING_OFF_PUS_FAILED: i32 = 159;
export const HOUSEKEEPING_OFF_PARAM_CHANGES: i32 = 163;
export const HOUSEKEEPING_OFF_BOOT_SLOT: i32 = 167;
export const HOUSEKEEPING_OFF_BOOT_VERSION: i32 = 168;
export const HOUSEKEEPING_OFF_BOOT_ON_TRIAL: i32 = 172;
export const HOUSEKEEPING_OFF_BOOT_TRIAL_ATTEMPT: i32 = 173;
export const HOUSEKEEPING_OFF_BOOT_TRIAL_MAX: i32 = 174;
export const HOUSEKEEPING_OFF_BOOT_COUNT: i32 = 175;
export const HOUSEKEEPING_OFF_BOOT_OUTCOME: i32 = 179;
export const HOUSEKEEPING_OFF_PRODUCT_MODE: i32 = 180;
export const HOUSEKEEPING_LEN: i32 = 181;

// Control block (flight linear memory, little-endian i32s): detail of the last error
export const CONTROL_BLOCK_OFF_STATUS: i32 = 0;
export const CONTROL_BLOCK_OFF_FIELD: i32 = 4;
export const CONTROL_BLOCK_OFF_FOUND: i32 = 8;
export const CONTROL_BLOCK_OFF_EXPECTED: i32 = 12;
export const CONTROL_BLOCK_OFF_OFFSET: i32 = 16;
export const CONTROL_BLOCK_LEN: i32 = 20;

// screening: parameter word indices (i32 words of the block, in order)
export const P_CORE_BLUE: i32 = 0; // scrCoreBlue: core test ρ_blue >
export const P_CORE_HOT: i32 = 1; // scrCoreHot: core test HOT = ρ_blue − ρ_red/2 >
export const P_CORE_NDVI_MAX: i32 = 2; // scrCoreNdviMax: core test NDVI <
export const P_HAZE_HOT: i32 = 3; // scrHazeHot: haze test HOT − background >
export const P_BRIGHT: i32 = 4; // scrBright: uncertain-bright max(ρ_blue, ρ_red) >
export const P_DILATE_PX: i32 = 5; // scrDilatePx: core dilation radius R1 (≤ R2)
export const P_GROW_PX: i32 = 6; // scrGrowPx: haze growth radius R2 (also the line delay)
export const P_TILE_SIZE: i32 = 7; // scrTileSize: tile side
export const P_DEGRADE_FRAC: i32 = 8; // scrDegradeFrac: cloud fraction ≥ this → degrade (≤ drop fraction)
export const P_DROP_FRAC: i32 = 9; // scrDropFrac: cloud fraction ≥ this → drop (65537: never)
export const P_MIN_VALID_FRAC: i32 = 10; // scrMinValidFrac: fewer valid pixels → keep, cannot judge
export const P_SAT_DN: i32 = 11; // scrSatDn: DN ≥ this is saturated (2^bitDepth − 1)
export const P_MIN_ELEV_CDEG: i32 = 12; // scrMinElevation: sun lower → night, keep
export const P_BAND_BLUE: i32 = 13; // scrBandBlue: band nearest 490 nm
export const P_BAND_RED: i32 = 14; // scrBandRed: band nearest 665 nm
export const P_BAND_NIR: i32 = 15; // scrBandNir: band nearest 842 nm
export const P_NBANDS: i32 = 16; // scrBands: must equal bands
export const P_WIDTH: i32 = 17; // scrWidth: must equal pixels
export const P_BAND_GREEN: i32 = 18; // scrBandGreen: band nearest 560 nm
export const P_CORE_HOT_REL: i32 = 19; // scrCoreHotRel: core test HOT > min(background HOT, cap) +
export const P_HOT_BG_CAP: i32 = 20; // scrHotBgCap: background HOT used by the core test at most (also before any background)
export const P_ICE_NIR_RED: i32 = 21; // scrIceNirRed: bright, not cloud: ρ_nir < this · ρ_red (ice, wet snow; 0: off)
export const P_SNOW_BLUE: i32 = 22; // scrSnowBlue: bright, not cloud: snow test needs ρ_blue >
export const P_SNOW_GREEN_BLUE: i32 = 23; // scrSnowGreenBlue: bright, not cloud: ρ_green < this · ρ_blue (snow under the full Rayleigh column; 0: off)

// ccsds123: parameter word indices (i32 words of the block, in order)
export const PRM_NX: i32 = 0; // hypNx: Nx, must equal pixels
export const PRM_NY: i32 = 1; // hypNy: Ny, must equal unitLines
export const PRM_NZ: i32 = 2; // hypNz: Nz, must equal bands
export const PRM_D: i32 = 3; // hypD: dynamic range D, must equal bitDepth
export const PRM_SIGNED: i32 = 4; // hypSigned: unsigned samples only
export const PRM_ORDER: i32 = 5; // hypOrder: 0 band-interleaved (the imager's order)
export const PRM_M: i32 = 6; // hypM: 1 = BIL
export const PRM_B: i32 = 7; // hypWordBytes: output word size B
export const PRM_CODER: i32 = 8; // hypCoder
export const PRM_P: i32 = 9; // hypP: prediction bands
export const PRM_REDUCED: i32 = 10; // hypReduced
export const PRM_LSUM: i32 = 11; // hypLocalSum
export const PRM_R: i32 = 12; // hypR: register size, ≥ max(32, D+Ω+2)
export const PRM_OMEGA: i32 = 13; // hypOmega: weight resolution Ω
export const PRM_TINC_LOG: i32 = 14; // hypTIncLog: log2 t_inc
export const PRM_NU_MIN: i32 = 15; // hypNuMin
export const PRM_NU_MAX: i32 = 16; // hypNuMax: (≥ ν_min)
export const PRM_FIDELITY: i32 = 17; // hypFidelity
export const PRM_ABS_DEP: i32 = 18; // hypAbsDep: band-independent limits only in the table
export const PRM_ABS_BITS: i32 = 19; // hypAbsBits: D_A
export const PRM_ABS: i32 = 20; // hypAbs: A*
export const PRM_REL_DEP: i32 = 21; // hypRelDep
export const PRM_REL_BITS: i32 = 22; // hypRelBits: D_R
export const PRM_REL: i32 = 23; // hypRel: R*
export const PRM_REP_FLAG: i32 = 24; // hypRepFlag
export const PRM_THETA: i32 = 25; // hypTheta: Θ
export const PRM_PHI: i32 = 26; // hypPhi: φ (< 2^Θ)
export const PRM_PSI: i32 = 27; // hypPsi: ψ (< 2^Θ)
export const PRM_UMAX: i32 = 28; // hypUMax: U_max
export const PRM_GSTAR: i32 = 29; // hypGammaStar: γ*
export const PRM_G0: i32 = 30; // hypGamma0: γ0
export const PRM_K: i32 = 31; // hypK: K ≤ min(D−2, 14)
export const PRM_USER: i32 = 32; // hypUser: user-defined header octet
export const PRM_ABS_TABLE: i32 = 33; // hypAbsTable: pointer, must be 0 in a table
export const PRM_REL_TABLE: i32 = 34; // hypRelTable: pointer, must be 0
export const PRM_BA_J: i32 = 35; // hypBaJ: block-adaptive J
export const PRM_BA_RSI: i32 = 36; // hypBaRsi: block-adaptive r
export const PRM_BA_RESTRICTED: i32 = 37; // hypBaRestricted: (D ≤ 4 only)
export const PRM_WINIT_Q: i32 = 38; // hypWinitQ: default weight initialisation only
export const PRM_WINIT_TABLE: i32 = 39; // hypWinitTable: pointer, must be 0
export const PRM_WEO_TABLE: i32 = 40; // hypWeoTable: pointer, must be 0
export const PRM_PERIOD_U: i32 = 41; // hypPeriodU: −1, no periodic error-limit update
export const PRM_PHI_TABLE: i32 = 42; // hypPhiTable: pointer, must be 0
export const PRM_PSI_TABLE: i32 = 43; // hypPsiTable: pointer, must be 0
export const PRM_K_TABLE: i32 = 44; // hypKTable: pointer, must be 0

// Housekeeping counters: index i is the u32 at HOUSEKEEPING_OFF_RECORDS_ACCEPTED + 4·i of the packet data field.
export const HKC_RECORDS_ACCEPTED: i32 = 0;
export const HKC_LINES_ACCEPTED: i32 = 1;
export const HKC_REJECTED_BAD_SYNC: i32 = 2;
export const HKC_REJECTED_BAD_CRC: i32 = 3;
export const HKC_REJECTED_BAD_LENGTH: i32 = 4;
export const HKC_REJECTED_BAD_TYPE: i32 = 5;
export const HKC_REJECTED_BAD_LINE: i32 = 6;
export const HKC_REJECTED_LINE_JUMP: i32 = 7;
export const HKC_REJECTED_TIME_JUMP: i32 = 8;
export const HKC_REJECTED_NO_CONFIG: i32 = 9;
export const HKC_BYTES_SKIPPED: i32 = 10;
export const HKC_LINES_MISSING: i32 = 11;
export const HKC_SAMPLES_CLIPPED: i32 = 12;
export const HKC_PACKETS_SENT: i32 = 13;
export const HKC_DATA_FRAMES: i32 = 14;
export const HKC_IDLE_FRAMES: i32 = 15;
export const HKC_IDLE_PACKETS: i32 = 16;
export const HKC_CADUS: i32 = 17;
export const HKC_BACKLOG_FRAMES: i32 = 18;
export const HKC_MEMORY_BYTES: i32 = 19;
export const HKC_HEAP_USED_BYTES: i32 = 20;
export const HKC_LAST_LINE_COUNTER: i32 = 21;
export const HKC_HK_SEQUENCE: i32 = 22;
export const HKC_TILES_KEPT: i32 = 23;
export const HKC_TILES_DEGRADED: i32 = 24;
export const HKC_TILES_DROPPED: i32 = 25;
export const HKC_FRAMES_OVERFLOWED: i32 = 26;
export const HKC_TC_ACCEPTED: i32 = 27;
export const HKC_TC_REJ_AUTH: i32 = 28;
export const HKC_TC_REJ_REPLAY: i32 = 29;
export const HKC_TC_REJ_FRAME: i32 = 30;
export const HKC_UPLOAD_REJECTED: i32 = 31;
export const HKC_LINES_DROPPED_STOPPED: i32 = 32;
export const HKC_PUS_ACCEPTED: i32 = 33;
export const HKC_PUS_REJECTED: i32 = 34;
export const HKC_PUS_FAILED: i32 = 35;
export const HKC_PARAM_CHANGES: i32 = 36;
export const HKC_COUNT: i32 = 37;

/**
 * Checks every field of the table that has a range or an allowed set (contract.json), in table
 * order; a field that only matters for a coder or for screening is checked only then. Returns 0,
 * or E_CFG_BAD_VALUE with the field's offset in the table, the value found and the limit broken in
 * the control block (the allowed values are in the contract, by offset).
 */
export function checkConfigFields(ptr: usize, bands: i32): i32 {
  const coder = <i32>load<u8>(ptr + <usize>(codecBlockAt(bands) + OFF_CODER));
  const coders = ((1 << (coder & 31)) | <i32>load<u8>(ptr + <usize>(commandingBlockAt(bands) + OFF_MODES))) & 7;   // the products the table may run
  const screen = <i32>load<u8>(ptr + <usize>(screeningBlockAt(bands) + OFF_SCREEN_ENABLED));
  const pan = <i32>load<u8>(ptr + <usize>(panchromaticBlockAt(bands) + OFF_PAN_ENABLED));
  let at: i32 = 0;
  let v: i64 = 0;
  // fixed
  at = fixedBlockAt(bands) + OFF_SCID; v = <i64>loadU16BE(ptr + <usize>at);
  if (v > 1023) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 1023, at);
  at = fixedBlockAt(bands) + OFF_FRAME_TYPE; v = <i64>load<u8>(ptr + <usize>at);
  if (v != 0 && v != 1) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 1, at);
  at = fixedBlockAt(bands) + OFF_LINK_FLAGS; v = <i64>load<u8>(ptr + <usize>at);
  if ((v & ~7) != 0) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 7, at);
  at = fixedBlockAt(bands) + OFF_FRAME_LENGTH; v = <i64>loadU16BE(ptr + <usize>at);
  if (v < 32) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 32, at);
  at = fixedBlockAt(bands) + OFF_RS_E; v = <i64>load<u8>(ptr + <usize>at);
  if (v != 0 && v != 8 && v != 16) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 16, at);
  at = fixedBlockAt(bands) + OFF_RS_DEPTH; v = <i64>load<u8>(ptr + <usize>at);
  if (v != 1 && v != 2 && v != 3 && v != 4 && v != 5 && v != 8) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 8, at);
  at = fixedBlockAt(bands) + OFF_IMAGE_VCID; v = <i64>load<u8>(ptr + <usize>at);
  if (v > 63) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 63, at);
  at = fixedBlockAt(bands) + OFF_HK_VCID; v = <i64>load<u8>(ptr + <usize>at);
  if (v > 63) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 63, at);
  at = fixedBlockAt(bands) + OFF_IDLE_VCID; v = <i64>load<u8>(ptr + <usize>at);
  if (v > 63) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 63, at);
  at = fixedBlockAt(bands) + OFF_BANDS; v = <i64>load<u8>(ptr + <usize>at);
  if (v < 1) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 1, at);
  at = fixedBlockAt(bands) + OFF_PIXELS; v = <i64>loadU16BE(ptr + <usize>at);
  if (v < 1) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 1, at);
  at = fixedBlockAt(bands) + OFF_BIT_DEPTH; v = <i64>load<u8>(ptr + <usize>at);
  if (v < 1 || v > 16) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 1 ? 1 : 16, at);
  at = fixedBlockAt(bands) + OFF_COMPRESSION; v = <i64>load<u8>(ptr + <usize>at);
  if (v != 0 && v != 1 && v != 2) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 2, at);
  at = fixedBlockAt(bands) + OFF_HK_APID; v = <i64>loadU16BE(ptr + <usize>at);
  if (v > 2046) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 2046, at);
  at = fixedBlockAt(bands) + OFF_MAX_PACKET_DATA_LEN; v = <i64>loadU32BE(ptr + <usize>at);
  if (v < 64 || v > 65536) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 64 ? 64 : 65536, at);
  at = fixedBlockAt(bands) + OFF_RAM_BYTES; v = <i64>loadU32BE(ptr + <usize>at);
  if (v < 65536) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 65536, at);
  at = fixedBlockAt(bands) + OFF_DOWNLINK_BIT_RATE; v = <i64>loadU32BE(ptr + <usize>at);
  if (v < 1) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 1, at);
  at = fixedBlockAt(bands) + OFF_INITIAL_PACKET_COUNT; v = <i64>loadU16BE(ptr + <usize>at);
  if (v > 16383) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 16383, at);
  at = fixedBlockAt(bands) + OFF_INSERT_ZONE_LEN; v = <i64>loadU16BE(ptr + <usize>at);
  if (v > 1024) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 1024, at);
  // apids
  for (let i = 0; i < bands; i++) {
    at = apidsBlockAt(bands) + 2 * i + OFF_APID; v = <i64>loadU16BE(ptr + <usize>at);
    if (v > 2046) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 2046, at);
  }
  // codec
  at = codecBlockAt(bands) + OFF_CODER; v = <i64>load<u8>(ptr + <usize>at);
  if (v != 0 && v != 1 && v != 2) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 2, at);
  if ((coders & 2) != 0) {
    at = codecBlockAt(bands) + OFF_AEC_BLOCK_SIZE; v = <i64>load<u8>(ptr + <usize>at);
    if (v != 8 && v != 16 && v != 32 && v != 64) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 64, at);
  }
  if ((coders & 2) != 0) {
    at = codecBlockAt(bands) + OFF_AEC_FLAGS; v = <i64>load<u8>(ptr + <usize>at);
    if ((v & ~24) != 0) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 24, at);
  }
  at = codecBlockAt(bands) + OFF_CODEC_RESERVED1; v = <i64>load<u8>(ptr + <usize>at);
  if (v != 0) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 0, at);
  if ((coders & 2) != 0) {
    at = codecBlockAt(bands) + OFF_AEC_RSI; v = <i64>loadU16BE(ptr + <usize>at);
    if (v < 1 || v > 4096) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 1 ? 1 : 4096, at);
  }
  if ((coders & 6) != 0) {
    at = codecBlockAt(bands) + OFF_UNIT_LINES; v = <i64>loadU16BE(ptr + <usize>at);
    if (v < 1) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 1, at);
  }
  at = codecBlockAt(bands) + OFF_CODEC_RESERVED2; v = <i64>loadU16BE(ptr + <usize>at);
  if (v != 0) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 0, at);
  // screening
  at = screeningBlockAt(bands) + OFF_SCREEN_ENABLED; v = <i64>load<u8>(ptr + <usize>at);
  if (v > 1) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 1, at);
  if (screen == 1) {
    at = screeningBlockAt(bands) + OFF_DEGRADE_SHIFT; v = <i64>load<u8>(ptr + <usize>at);
    if (v > 7) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 7, at);
  }
  if (screen == 1) {
    at = screeningBlockAt(bands) + OFF_STATS_APID; v = <i64>loadU16BE(ptr + <usize>at);
    if (v > 2046) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 2046, at);
  }
  if (screen == 1) {
    at = screeningBlockAt(bands) + OFF_MASK_APID; v = <i64>loadU16BE(ptr + <usize>at);
    if (v > 2046) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 2046, at);
  }
  if (screen == 1) {
    at = screeningBlockAt(bands) + OFF_THUMBNAIL_FACTOR; v = <i64>load<u8>(ptr + <usize>at);
    if (v < 2 || v > 64) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 2 ? 2 : 64, at);
  }
  at = screeningBlockAt(bands) + OFF_START_LAT; v = <i64><i32>loadU32BE(ptr + <usize>at);
  if (v < -90000000 || v > 90000000) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < -90000000 ? -90000000 : 90000000, at);
  at = screeningBlockAt(bands) + OFF_START_LON; v = <i64><i32>loadU32BE(ptr + <usize>at);
  if (v < -180000000 || v > 360000000) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < -180000000 ? -180000000 : 360000000, at);
  at = screeningBlockAt(bands) + OFF_HEADING; v = <i64><i32>loadU32BE(ptr + <usize>at);
  if (v < 0 || v > 359999999) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 0 ? 0 : 359999999, at);
  at = screeningBlockAt(bands) + OFF_GROUND_SPEED; v = <i64>loadU32BE(ptr + <usize>at);
  if (v > 100000000) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 100000000, at);
  if (screen == 1) {
    at = screeningBlockAt(bands) + OFF_SCR_CORE_BLUE; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < -65536 || v > 65536) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < -65536 ? -65536 : 65536, at);
  }
  if (screen == 1) {
    at = screeningBlockAt(bands) + OFF_SCR_CORE_HOT; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < -65536 || v > 65536) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < -65536 ? -65536 : 65536, at);
  }
  if (screen == 1) {
    at = screeningBlockAt(bands) + OFF_SCR_CORE_NDVI_MAX; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < -4096 || v > 4097) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < -4096 ? -4096 : 4097, at);
  }
  if (screen == 1) {
    at = screeningBlockAt(bands) + OFF_SCR_HAZE_HOT; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < -65536 || v > 65536) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < -65536 ? -65536 : 65536, at);
  }
  if (screen == 1) {
    at = screeningBlockAt(bands) + OFF_SCR_BRIGHT; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < -65536 || v > 65536) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < -65536 ? -65536 : 65536, at);
  }
  if (screen == 1) {
    at = screeningBlockAt(bands) + OFF_SCR_DILATE_PX; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 0 || v > 32) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 0 ? 0 : 32, at);
  }
  if (screen == 1) {
    at = screeningBlockAt(bands) + OFF_SCR_GROW_PX; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 0 || v > 32) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 0 ? 0 : 32, at);
  }
  if (screen == 1) {
    at = screeningBlockAt(bands) + OFF_SCR_TILE_SIZE; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 8 || v > 4096) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 8 ? 8 : 4096, at);
  }
  if (screen == 1) {
    at = screeningBlockAt(bands) + OFF_SCR_DEGRADE_FRAC; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 0 || v > 65536) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 0 ? 0 : 65536, at);
  }
  if (screen == 1) {
    at = screeningBlockAt(bands) + OFF_SCR_DROP_FRAC; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 0 || v > 65537) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 0 ? 0 : 65537, at);
  }
  if (screen == 1) {
    at = screeningBlockAt(bands) + OFF_SCR_MIN_VALID_FRAC; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 0 || v > 65536) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 0 ? 0 : 65536, at);
  }
  if (screen == 1) {
    at = screeningBlockAt(bands) + OFF_SCR_SAT_DN; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 1 || v > 65535) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 1 ? 1 : 65535, at);
  }
  if (screen == 1) {
    at = screeningBlockAt(bands) + OFF_SCR_MIN_ELEVATION; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 0 || v > 9000) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 0 ? 0 : 9000, at);
  }
  if (screen == 1) {
    at = screeningBlockAt(bands) + OFF_SCR_BAND_BLUE; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 0 || v > 254) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 0 ? 0 : 254, at);
  }
  if (screen == 1) {
    at = screeningBlockAt(bands) + OFF_SCR_BAND_RED; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 0 || v > 254) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 0 ? 0 : 254, at);
  }
  if (screen == 1) {
    at = screeningBlockAt(bands) + OFF_SCR_BAND_NIR; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 0 || v > 254) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 0 ? 0 : 254, at);
  }
  if (screen == 1) {
    at = screeningBlockAt(bands) + OFF_SCR_BANDS; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 3 || v > 255) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 3 ? 3 : 255, at);
  }
  if (screen == 1) {
    at = screeningBlockAt(bands) + OFF_SCR_WIDTH; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 1 || v > 65535) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 1 ? 1 : 65535, at);
  }
  if (screen == 1) {
    at = screeningBlockAt(bands) + OFF_SCR_BAND_GREEN; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 0 || v > 254) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 0 ? 0 : 254, at);
  }
  if (screen == 1) {
    at = screeningBlockAt(bands) + OFF_SCR_CORE_HOT_REL; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < -65536 || v > 65536) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < -65536 ? -65536 : 65536, at);
  }
  if (screen == 1) {
    at = screeningBlockAt(bands) + OFF_SCR_HOT_BG_CAP; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < -65536 || v > 65536) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < -65536 ? -65536 : 65536, at);
  }
  if (screen == 1) {
    at = screeningBlockAt(bands) + OFF_SCR_ICE_NIR_RED; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 0 || v > 8192) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 0 ? 0 : 8192, at);
  }
  if (screen == 1) {
    at = screeningBlockAt(bands) + OFF_SCR_SNOW_BLUE; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < -65536 || v > 65536) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < -65536 ? -65536 : 65536, at);
  }
  if (screen == 1) {
    at = screeningBlockAt(bands) + OFF_SCR_SNOW_GREEN_BLUE; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 0 || v > 8192) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 0 ? 0 : 8192, at);
  }
  // ccsds123
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_NX; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 1 || v > 65535) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 1 ? 1 : 65535, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_NY; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 1 || v > 65535) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 1 ? 1 : 65535, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_NZ; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 1 || v > 65535) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 1 ? 1 : 65535, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_D; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 2 || v > 16) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 2 ? 2 : 16, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_SIGNED; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 0 || v > 0) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 0 ? 0 : 0, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_ORDER; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 0 || v > 0) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 0 ? 0 : 0, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_M; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 1 || v > 1) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 1 ? 1 : 1, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_WORD_BYTES; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 1 || v > 8) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 1 ? 1 : 8, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_CODER; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v != 0 && v != 1 && v != 2) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 2, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_P; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 0 || v > 15) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 0 ? 0 : 15, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_REDUCED; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 0 || v > 1) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 0 ? 0 : 1, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_LOCAL_SUM; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v != 0 && v != 1 && v != 2 && v != 3) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 3, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_R; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 32 || v > 64) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 32 ? 32 : 64, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_OMEGA; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 4 || v > 19) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 4 ? 4 : 19, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_T_INC_LOG; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 4 || v > 11) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 4 ? 4 : 11, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_NU_MIN; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < -6 || v > 9) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < -6 ? -6 : 9, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_NU_MAX; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < -6 || v > 9) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < -6 ? -6 : 9, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_FIDELITY; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v != 0 && v != 1) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 1, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_ABS_DEP; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 0 || v > 0) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 0 ? 0 : 0, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_ABS_BITS; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 0 || v > 16) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 0 ? 0 : 16, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_ABS; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 0 || v > 65535) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 0 ? 0 : 65535, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_REL_DEP; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 0 || v > 0) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 0 ? 0 : 0, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_REL_BITS; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 0 || v > 16) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 0 ? 0 : 16, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_REL; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 0 || v > 65535) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 0 ? 0 : 65535, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_REP_FLAG; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 0 || v > 1) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 0 ? 0 : 1, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_THETA; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 0 || v > 4) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 0 ? 0 : 4, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_PHI; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 0 || v > 15) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 0 ? 0 : 15, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_PSI; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 0 || v > 15) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 0 ? 0 : 15, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_U_MAX; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 8 || v > 32) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 8 ? 8 : 32, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_GAMMA_STAR; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 4 || v > 11) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 4 ? 4 : 11, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_GAMMA0; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 1 || v > 8) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 1 ? 1 : 8, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_K; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 0 || v > 14) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 0 ? 0 : 14, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_USER; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 0 || v > 255) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 0 ? 0 : 255, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_ABS_TABLE; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 0 || v > 0) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 0 ? 0 : 0, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_REL_TABLE; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 0 || v > 0) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 0 ? 0 : 0, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_BA_J; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v != 8 && v != 16 && v != 32 && v != 64) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 64, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_BA_RSI; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 1 || v > 4096) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 1 ? 1 : 4096, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_BA_RESTRICTED; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 0 || v > 1) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 0 ? 0 : 1, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_WINIT_Q; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 0 || v > 0) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 0 ? 0 : 0, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_WINIT_TABLE; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 0 || v > 0) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 0 ? 0 : 0, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_WEO_TABLE; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 0 || v > 0) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 0 ? 0 : 0, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_PERIOD_U; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < -1 || v > -1) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < -1 ? -1 : -1, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_PHI_TABLE; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 0 || v > 0) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 0 ? 0 : 0, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_PSI_TABLE; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 0 || v > 0) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 0 ? 0 : 0, at);
  }
  if ((coders & 4) != 0) {
    at = ccsds123BlockAt(bands) + OFF_HYP_K_TABLE; v = <i64><i32>loadU32BE(ptr + <usize>at);
    if (v < 0 || v > 0) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 0 ? 0 : 0, at);
  }
  // commanding
  at = commandingBlockAt(bands) + OFF_TC_APID; v = <i64>loadU16BE(ptr + <usize>at);
  if (v > 2046) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 2046, at);
  at = commandingBlockAt(bands) + OFF_REPORT_APID; v = <i64>loadU16BE(ptr + <usize>at);
  if (v > 2046) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 2046, at);
  at = commandingBlockAt(bands) + OFF_TC_VCID; v = <i64>load<u8>(ptr + <usize>at);
  if (v > 63) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 63, at);
  at = commandingBlockAt(bands) + OFF_MODES; v = <i64>load<u8>(ptr + <usize>at);
  if ((v & ~7) != 0) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 7, at);
  // panchromatic
  at = panchromaticBlockAt(bands) + OFF_PAN_ENABLED; v = <i64>load<u8>(ptr + <usize>at);
  if (v > 1) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 1, at);
  if (pan == 1) {
    at = panchromaticBlockAt(bands) + OFF_PAN_BIT_DEPTH; v = <i64>load<u8>(ptr + <usize>at);
    if (v < 1 || v > 16) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 1 ? 1 : 16, at);
  }
  if (pan == 1) {
    at = panchromaticBlockAt(bands) + OFF_PAN_RATIO; v = <i64>load<u8>(ptr + <usize>at);
    if (v < 2 || v > 16) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, v < 2 ? 2 : 16, at);
  }
  if (pan == 1) {
    at = panchromaticBlockAt(bands) + OFF_PAN_COMPRESSION; v = <i64>load<u8>(ptr + <usize>at);
    if (v != 0 && v != 1) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 1, at);
  }
  if (pan == 1) {
    at = panchromaticBlockAt(bands) + OFF_PAN_PIXELS; v = <i64>loadU16BE(ptr + <usize>at);
    if (v < 17) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 17, at);
  }
  if (pan == 1) {
    at = panchromaticBlockAt(bands) + OFF_PAN_APID; v = <i64>loadU16BE(ptr + <usize>at);
    if (v > 2046) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 2046, at);
  }
  if (pan == 1) {
    at = panchromaticBlockAt(bands) + OFF_PAN_SEGMENT_BLOCKS; v = <i64>loadU16BE(ptr + <usize>at);
    if (v < 16) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 16, at);
  }
  if (pan == 1) {
    at = panchromaticBlockAt(bands) + OFF_PAN_SEGMENT_BYTES; v = <i64>loadU32BE(ptr + <usize>at);
    if (v > 134217727) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 134217727, at);
  }
  at = panchromaticBlockAt(bands) + OFF_PAN_RESERVED; v = <i64>loadU16BE(ptr + <usize>at);
  if (v != 0) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, 0, at);
  return 0;
}
