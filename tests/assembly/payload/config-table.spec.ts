import { Config, parseConfig, bandApid, CONFIG_FIXED_LEN, CODEC_BLOCK_LEN, SCREEN_FIXED_LEN, HYPER_BLOCK_LEN, CONFIG_VERSION } from "../../../assembly/abi/config-table";
import { COMMANDING_LEN, PANCHROMATIC_LEN, OFF_RS_DEPTH, OFF_FRAME_LENGTH, OFF_BIT_DEPTH, OFF_COMPRESSION, OFF_IMAGE_VCID, OFF_HK_VCID, OFF_IDLE_VCID, OFF_SCID, OFF_INSERT_ZONE_LEN, OFF_MAX_PACKET_DATA_LEN, OFF_BANDS,
  OFF_SCREEN_ENABLED, OFF_DEGRADE_SHIFT, OFF_STATS_APID, OFF_MASK_APID, OFF_THUMBNAIL_FACTOR, OFF_SCR_CORE_BLUE, OFF_SCR_SAT_DN, OFF_SCR_BANDS, apidsBlockAt, screeningBlockAt,
  panchromaticBlockAt, commandingBlockAt, OFF_REPORT_APID, OFF_PAN_ENABLED, OFF_PAN_BIT_DEPTH, OFF_PAN_RATIO, OFF_PAN_COMPRESSION, OFF_PAN_PIXELS, OFF_PAN_APID,
  OFF_PAN_SEGMENT_BLOCKS, OFF_PAN_SEGMENT_BYTES, OFF_PAN_RESERVED } from "../../../assembly/abi/contract";
import { screenDefaults, P_COUNT } from "../../../assembly/screen/screener";
import { crc16 } from "../../../assembly/util/crc16";
import { storeU16BE, storeU32BE } from "../../../assembly/util/be";
import { OK, E_CFG_BAD_CRC, E_CFG_BAD_VERSION, E_CFG_BAD_VALUE, E_BAD_LENGTH } from "../../../assembly/abi/status";
import { detailField, detailFound, detailExpected } from "../../../assembly/abi/control";
import { commandingBlockAt, codecBlockAt, ccsds123BlockAt, OFF_MODES, OFF_AEC_BLOCK_SIZE, OFF_HYP_NX } from "../../../assembly/abi/contract";

const BANDS = 4;
const LEN = CONFIG_FIXED_LEN + 2 * BANDS + CODEC_BLOCK_LEN + SCREEN_FIXED_LEN + 12 * BANDS + HYPER_BLOCK_LEN + COMMANDING_LEN + PANCHROMATIC_LEN + 2;
const CB: i32 = CONFIG_FIXED_LEN + 2 * BANDS;

function table(): usize {
  const t = heap.alloc(<usize>LEN);
  for (let i = 0; i < LEN; i++) store<u8>(t + <usize>i, 0);
  storeU16BE(t, <u32>CONFIG_VERSION); storeU16BE(t + 2, LEN); storeU16BE(t + 4, 171);
  store<u8>(t + 6, 0); store<u8>(t + 7, 5);
  storeU16BE(t + 8, 1115); store<u8>(t + 10, 16); store<u8>(t + 11, 5);
  store<u8>(t + 12, 1); store<u8>(t + 13, 0); store<u8>(t + 14, 7); store<u8>(t + 15, BANDS);
  storeU16BE(t + 16, 4096); store<u8>(t + 18, 12); store<u8>(t + 19, 0);
  storeU16BE(t + 20, 16); storeU16BE(t + 22, 1024);
  storeU32BE(t + 24, 8192); storeU32BE(t + 28, 8388608); storeU32BE(t + 32, 100000000);
  storeU16BE(t + 44, 1024); storeU16BE(t + 46, 40);
  for (let b = 0; b < BANDS; b++) storeU16BE(t + <usize>(CONFIG_FIXED_LEN + 2 * b), <u32>(32 + b));
  seal(t);
  return t;
}
function seal(t: usize): void { storeU16BE(t + <usize>(LEN - 2), crc16(t, <usize>(LEN - 2), 0xFFFF)); }

describe("boot configuration table", () => {
  it("a valid table is applied field by field", () => {
    const c = new Config();
    expect<i32>(parseConfig(table(), LEN, c)).toBe(OK);
    expect<u32>(c.scid).toBe(171);
    expect<i32>(c.frameLen).toBe(1115);
    expect<bool>(c.fecf).toBe(true);
    expect<bool>(c.randomizer).toBe(true);
    expect<bool>(c.ocf).toBe(false);
    expect<i32>(c.rsDepth).toBe(5);
    expect<u32>(bandApid(c, 3)).toBe(35);
  });

  it("a bad CRC is refused and nothing is applied", () => {
    const c = new Config();
    const t = table();
    store<u8>(t + 9, 0x5C);                          // frame length changed after sealing
    expect<i32>(parseConfig(t, LEN, c)).toBe(E_CFG_BAD_CRC);
    expect<i32>(c.frameLen).toBe(0);
  });

  it("an unknown version is refused", () => {
    const t = table(); storeU16BE(t, 3); seal(t);
    expect<i32>(parseConfig(t, LEN, new Config())).toBe(E_CFG_BAD_VERSION);
  });

  it("[131.0-B-5 §4.3.5] an interleaving depth outside {1,2,3,4,5,8} is refused, naming the field", () => {
    const t = table(); store<u8>(t + 11, 6); seal(t);
    expect<i32>(parseConfig(t, LEN, new Config())).toBe(E_CFG_BAD_VALUE);
    expect<i32>(detailField()).toBe(OFF_RS_DEPTH);
    expect<i32>(detailFound()).toBe(6);
  });

  it("[131.0-B-5 §4.3.7] a frame length that is not a multiple of I or exceeds I·(255−2E) is refused", () => {
    let t = table(); storeU16BE(t + 8, 1116); seal(t);
    expect<i32>(parseConfig(t, LEN, new Config())).toBe(E_CFG_BAD_VALUE);
    expect<i32>(detailField()).toBe(OFF_FRAME_LENGTH);
    t = table(); store<u8>(t + 11, 4); seal(t);       // 1115 / 4 is not whole
    expect<i32>(parseConfig(t, LEN, new Config())).toBe(E_CFG_BAD_VALUE);
    t = table(); storeU16BE(t + 8, 1120); seal(t);    // 224 per codeword > 223
    expect<i32>(parseConfig(t, LEN, new Config())).toBe(E_CFG_BAD_VALUE);
  });

  it("duplicate band APIDs, the idle APID and bit depths over 16 are refused", () => {
    let t = table(); storeU16BE(t + <usize>(CONFIG_FIXED_LEN + 2), 32); seal(t);
    expect<i32>(parseConfig(t, LEN, new Config())).toBe(E_CFG_BAD_VALUE);
    expect<i32>(detailField()).toBe(apidsBlockAt(2) + 2);
    t = table(); storeU16BE(t + <usize>CONFIG_FIXED_LEN, 0x7FF); seal(t);
    expect<i32>(parseConfig(t, LEN, new Config())).toBe(E_CFG_BAD_VALUE);
    t = table(); store<u8>(t + 18, 17); seal(t);
    expect<i32>(parseConfig(t, LEN, new Config())).toBe(E_CFG_BAD_VALUE);
    expect<i32>(detailField()).toBe(OFF_BIT_DEPTH);
  });

  it("[121.0-B-3 §5.1] the CCSDS 121 codec block: valid options applied, bad J, RSI or restricted-with-wide-samples refused", () => {
    let t = table();
    store<u8>(t + 19, 1); store<u8>(t + <usize>CB, 1); store<u8>(t + <usize>(CB + 1), 32); store<u8>(t + <usize>(CB + 2), 8);
    storeU16BE(t + <usize>(CB + 4), 64); storeU16BE(t + <usize>(CB + 6), 16); storeU16BE(t + <usize>(CB + 8), 512); seal(t);
    const c = new Config();
    expect<i32>(parseConfig(t, LEN, c)).toBe(OK);
    expect<i32>(c.compression).toBe(1);
    expect<i32>(c.aecJ).toBe(32);
    expect<i32>(c.aecRsi).toBe(64);
    expect<i32>(c.unitLines).toBe(16);
    expect<i32>(c.unitPixels).toBe(512);
    store<u8>(t + <usize>(CB + 1), 12); seal(t);                    // J = 12
    expect<i32>(parseConfig(t, LEN, new Config())).toBe(E_CFG_BAD_VALUE);
    expect<i32>(detailField()).toBe(CB + 1);
    store<u8>(t + <usize>(CB + 1), 16); storeU16BE(t + <usize>(CB + 4), 5000); seal(t);   // RSI 5000
    expect<i32>(parseConfig(t, LEN, new Config())).toBe(E_CFG_BAD_VALUE);
    expect<i32>(detailField()).toBe(CB + 4);
    storeU16BE(t + <usize>(CB + 4), 64); store<u8>(t + <usize>(CB + 2), 16); seal(t);    // restricted with 12-bit samples
    expect<i32>(parseConfig(t, LEN, new Config())).toBe(E_CFG_BAD_VALUE);
    t = table(); store<u8>(t + 19, 1); seal(t);                    // coder byte and codec block disagree
    expect<i32>(parseConfig(t, LEN, new Config())).toBe(E_CFG_BAD_VALUE);
    expect<i32>(detailField()).toBe(OFF_COMPRESSION);
  });

  it("a truncated table is refused", () => {
    expect<i32>(parseConfig(table(), LEN - 2, new Config())).toBe(E_BAD_LENGTH);
    expect<i32>(parseConfig(table(), 10, new Config())).toBe(E_BAD_LENGTH);
  });
});

describe("boot configuration table: virtual channels and field order", () => {
  it("[132.0-B-3 §4.1.2.3] TM: housekeeping VCID 7 is accepted, 8 is refused naming the field, the value and the limit 7", () => {
    let t = table(); store<u8>(t + 13, 7); store<u8>(t + 14, 6); seal(t);
    const c = new Config();
    expect<i32>(parseConfig(t, LEN, c)).toBe(OK);
    expect<u32>(c.hkVcid).toBe(7);
    expect<u32>(c.imageVcid).toBe(1);
    t = table(); store<u8>(t + 13, 8); store<u8>(t + 14, 6); seal(t);
    expect<i32>(parseConfig(t, LEN, new Config())).toBe(E_CFG_BAD_VALUE);
    expect<i32>(detailField()).toBe(OFF_HK_VCID);
    expect<i32>(detailFound()).toBe(8);
    expect<i32>(detailExpected()).toBe(7);
  });

  it("[132.0-B-3 §4.1.2.3] TM: image VCID 7 is accepted, 8 is refused naming the field and the limit 7", () => {
    let t = table(); store<u8>(t + 12, 7); store<u8>(t + 14, 6); seal(t);
    const c = new Config();
    expect<i32>(parseConfig(t, LEN, c)).toBe(OK);
    expect<u32>(c.imageVcid).toBe(7);
    expect<u32>(c.hkVcid).toBe(0);
    t = table(); store<u8>(t + 12, 8); store<u8>(t + 14, 6); seal(t);
    expect<i32>(parseConfig(t, LEN, new Config())).toBe(E_CFG_BAD_VALUE);
    expect<i32>(detailField()).toBe(OFF_IMAGE_VCID);
    expect<i32>(detailExpected()).toBe(7);
  });

  it("the idle VCID may be neither the image's nor the housekeeping's", () => {
    let t = table(); store<u8>(t + 14, 1); seal(t);          // idle = image VCID 1
    expect<i32>(parseConfig(t, LEN, new Config())).toBe(E_CFG_BAD_VALUE);
    expect<i32>(detailField()).toBe(OFF_IDLE_VCID);
    t = table(); store<u8>(t + 14, 0); seal(t);              // idle = housekeeping VCID 0
    expect<i32>(parseConfig(t, LEN, new Config())).toBe(E_CFG_BAD_VALUE);
    expect<i32>(detailField()).toBe(OFF_IDLE_VCID);
  });

  it("[732.0-B-4 §4.1.2.3] AOS: VCIDs up to 62 for data, idle must be 63; housekeeping VCID 64 is refused with the limit 63", () => {
    let t = table(); store<u8>(t + 6, 1); store<u8>(t + 13, 62); store<u8>(t + 14, 63); seal(t);
    const c = new Config();
    expect<i32>(parseConfig(t, LEN, c)).toBe(OK);
    expect<u32>(c.hkVcid).toBe(62);
    expect<u32>(c.idleVcid).toBe(63);
    t = table(); store<u8>(t + 6, 1); store<u8>(t + 13, 64); store<u8>(t + 14, 63); seal(t);
    expect<i32>(parseConfig(t, LEN, new Config())).toBe(E_CFG_BAD_VALUE);
    expect<i32>(detailField()).toBe(OFF_HK_VCID);
    expect<i32>(detailExpected()).toBe(63);
    t = table(); store<u8>(t + 6, 1); store<u8>(t + 14, 62); seal(t);     // AOS idle frames are VCID 63 only
    expect<i32>(parseConfig(t, LEN, new Config())).toBe(E_CFG_BAD_VALUE);
    expect<i32>(detailField()).toBe(OFF_IDLE_VCID);
  });

  it("[tengri §contract] field ranges are checked in table order before the cross-field rules: with two bad fields the first is named", () => {
    // Housekeeping VCID 64 (out of its range 0..63) and bit depth 17 (out of 1..16): the VCID comes first.
    const t = table(); store<u8>(t + 6, 1); store<u8>(t + 13, 64); store<u8>(t + 14, 63); store<u8>(t + 18, 17); seal(t);
    expect<i32>(parseConfig(t, LEN, new Config())).toBe(E_CFG_BAD_VALUE);
    expect<i32>(detailField()).toBe(OFF_HK_VCID);
    expect<i32>(detailFound()).toBe(64);
  });
});

// A table of `bands` bands (the 4-band table above, generalised), optionally with a valid
// screening block: the screener's default words for this line (saturation at the 12-bit full
// scale), thumbnails of 8, statistics and mask to APIDs 40/41.
function lenOf(bands: i32): i32 { return CONFIG_FIXED_LEN + 2 * bands + CODEC_BLOCK_LEN + SCREEN_FIXED_LEN + 12 * bands + HYPER_BLOCK_LEN + COMMANDING_LEN + PANCHROMATIC_LEN + 2; }
function tableOf(bands: i32, screen: bool): usize {
  const len = lenOf(bands);
  const t = heap.alloc(<usize>len);
  for (let i = 0; i < len; i++) store<u8>(t + <usize>i, 0);
  storeU16BE(t, <u32>CONFIG_VERSION); storeU16BE(t + 2, len); storeU16BE(t + 4, 171);
  store<u8>(t + 6, 0); store<u8>(t + 7, 5);
  storeU16BE(t + 8, 1115); store<u8>(t + 10, 16); store<u8>(t + 11, 5);
  store<u8>(t + 12, 1); store<u8>(t + 13, 0); store<u8>(t + 14, 7); store<u8>(t + 15, <u8>bands);
  storeU16BE(t + 16, 4096); store<u8>(t + 18, 12); store<u8>(t + 19, 0);
  storeU16BE(t + 20, 16); storeU16BE(t + 22, 1024);
  storeU32BE(t + 24, 8192); storeU32BE(t + 28, 8388608); storeU32BE(t + 32, 100000000);
  storeU16BE(t + 44, 1024); storeU16BE(t + 46, 40);
  for (let b = 0; b < bands; b++) storeU16BE(t + <usize>(CONFIG_FIXED_LEN + 2 * b), <u32>(32 + b));
  if (screen) {
    const sb = t + <usize>screeningBlockAt(bands);
    store<u8>(sb + <usize>OFF_SCREEN_ENABLED, 1); store<u8>(sb + <usize>OFF_DEGRADE_SHIFT, 2);
    storeU16BE(sb + <usize>OFF_STATS_APID, 40); storeU16BE(sb + <usize>OFF_MASK_APID, 41);
    store<u8>(sb + <usize>OFF_THUMBNAIL_FACTOR, 8);
    const words = heap.alloc(<usize>(P_COUNT * 4));
    screenDefaults(words, 4096, bands);
    for (let i = 0; i < P_COUNT; i++) storeU32BE(sb + <usize>(OFF_SCR_CORE_BLUE + 4 * i), <u32>load<i32>(words + <usize>(4 * i)));
    storeU32BE(sb + <usize>OFF_SCR_SAT_DN, 4095);                 // the 12-bit full scale
  }
  sealOf(t, len);
  return t;
}
function sealOf(t: usize, len: i32): void { storeU16BE(t + <usize>(len - 2), crc16(t, <usize>(len - 2), 0xFFFF)); }
function parse(t: usize, bands: i32): i32 { return parseConfig(t, lenOf(bands), new Config()); }

describe("boot configuration table: every limit at its boundary", () => {
  it("the generalised builder gives valid tables, with and without screening", () => {
    expect<i32>(parse(tableOf(4, false), 4)).toBe(OK);
    const c = new Config();
    expect<i32>(parseConfig(tableOf(4, true), lenOf(4), c)).toBe(OK);
    expect<bool>(c.screen).toBe(true);
    expect<i32>(c.degradeShift).toBe(2);
  });

  it("a version other than the current one is refused, above as well as below", () => {
    let t = tableOf(4, false); storeU16BE(t, <u32>(CONFIG_VERSION + 1)); sealOf(t, lenOf(4));
    expect<i32>(parse(t, 4)).toBe(E_CFG_BAD_VERSION);
    t = tableOf(4, false); storeU16BE(t, <u32>(CONFIG_VERSION - 1)); sealOf(t, lenOf(4));
    expect<i32>(parse(t, 4)).toBe(E_CFG_BAD_VERSION);
  });

  it("a length field shorter or longer than the table is refused as a bad length", () => {
    let t = tableOf(4, false); storeU16BE(t + 2, lenOf(4) - 1); sealOf(t, lenOf(4));
    expect<i32>(parse(t, 4)).toBe(E_BAD_LENGTH);
    t = tableOf(4, false); storeU16BE(t + 2, lenOf(4) + 1); sealOf(t, lenOf(4));
    expect<i32>(parse(t, 4)).toBe(E_BAD_LENGTH);
  });

  it("[132.0-B-3 §4.1.4] TM: frame length 2048 accepted, 2049 refused with the limit; the contract's minimum 32 accepted, 31 refused", () => {
    let t = tableOf(4, false); store<u8>(t + 10, 0); storeU16BE(t + 8, 2048); sealOf(t, lenOf(4));
    expect<i32>(parse(t, 4)).toBe(OK);
    t = tableOf(4, false); store<u8>(t + 10, 0); storeU16BE(t + 8, 2049); sealOf(t, lenOf(4));
    expect<i32>(parse(t, 4)).toBe(E_CFG_BAD_VALUE);
    expect<i32>(detailField()).toBe(OFF_FRAME_LENGTH);
    expect<i32>(detailExpected()).toBe(2048);
    t = tableOf(4, false); store<u8>(t + 10, 0); storeU16BE(t + 8, 32); sealOf(t, lenOf(4));
    expect<i32>(parse(t, 4)).toBe(OK);
    t = tableOf(4, false); store<u8>(t + 10, 0); storeU16BE(t + 8, 31); sealOf(t, lenOf(4));
    expect<i32>(parse(t, 4)).toBe(E_CFG_BAD_VALUE);
    expect<i32>(detailField()).toBe(OFF_FRAME_LENGTH);
  });

  it("[131.0-B-5 §4.3.5] interleaving depth 8 is accepted, 7 refused", () => {
    let t = tableOf(4, false); store<u8>(t + 11, 8); storeU16BE(t + 8, 1112); sealOf(t, lenOf(4));
    expect<i32>(parse(t, 4)).toBe(OK);
    t = tableOf(4, false); store<u8>(t + 11, 7); storeU16BE(t + 8, 1113); sealOf(t, lenOf(4));
    expect<i32>(parse(t, 4)).toBe(E_CFG_BAD_VALUE);
    expect<i32>(detailField()).toBe(OFF_RS_DEPTH);
  });

  it("[732.0-B-4 §4.1.2.3] AOS: spacecraft id 255 accepted, 256 refused with the limit 255", () => {
    let t = tableOf(4, false); store<u8>(t + 6, 1); store<u8>(t + 14, 63); storeU16BE(t + 4, 255); sealOf(t, lenOf(4));
    expect<i32>(parse(t, 4)).toBe(OK);
    t = tableOf(4, false); store<u8>(t + 6, 1); store<u8>(t + 14, 63); storeU16BE(t + 4, 256); sealOf(t, lenOf(4));
    expect<i32>(parse(t, 4)).toBe(E_CFG_BAD_VALUE);
    expect<i32>(detailField()).toBe(OFF_SCID);
    expect<i32>(detailExpected()).toBe(255);
  });

  it("[132.0-B-3 §4.1.2] TM has no insert zone: a non-zero insert zone length is refused; AOS takes one", () => {
    let t = tableOf(4, false); storeU16BE(t + <usize>OFF_INSERT_ZONE_LEN, 4); sealOf(t, lenOf(4));
    expect<i32>(parse(t, 4)).toBe(E_CFG_BAD_VALUE);
    expect<i32>(detailField()).toBe(OFF_INSERT_ZONE_LEN);
    t = tableOf(4, false); store<u8>(t + 6, 1); store<u8>(t + 14, 63); storeU16BE(t + <usize>OFF_INSERT_ZONE_LEN, 4); sealOf(t, lenOf(4));
    expect<i32>(parse(t, 4)).toBe(OK);
  });

  it("[732.0-B-4 §4.1] a frame must hold its headers and trailers and one octet: length = overhead refused, overhead + 1 accepted", () => {
    // AOS, no RS, FECF (flags 5): 6 header + 2 M_PDU header + 2 FECF + 22 insert zone = 32.
    let t = tableOf(4, false); store<u8>(t + 6, 1); store<u8>(t + 14, 63); store<u8>(t + 10, 0);
    storeU16BE(t + <usize>OFF_INSERT_ZONE_LEN, 22); storeU16BE(t + 8, 32); sealOf(t, lenOf(4));
    expect<i32>(parse(t, 4)).toBe(E_CFG_BAD_VALUE);
    expect<i32>(detailField()).toBe(OFF_FRAME_LENGTH);
    expect<i32>(detailExpected()).toBe(33);
    t = tableOf(4, false); store<u8>(t + 6, 1); store<u8>(t + 14, 63); store<u8>(t + 10, 0);
    storeU16BE(t + <usize>OFF_INSERT_ZONE_LEN, 22); storeU16BE(t + 8, 33); sealOf(t, lenOf(4));
    expect<i32>(parse(t, 4)).toBe(OK);
  });

  it("a band APID equal to the housekeeping APID is refused, naming the band's APID field", () => {
    const t = tableOf(4, false); storeU16BE(t + <usize>(CONFIG_FIXED_LEN + 2), 16); sealOf(t, lenOf(4));
    expect<i32>(parse(t, 4)).toBe(E_CFG_BAD_VALUE);
    expect<i32>(detailField()).toBe(apidsBlockAt(4) + 2);
    expect<i32>(detailFound()).toBe(16);
  });

  it("[121.0-B-3] CCSDS 121 units: unit width = line width accepted, one more refused; packet data length 128 accepted, 127 refused", () => {
    const cb = CONFIG_FIXED_LEN + 2 * 4;
    let t = tableOf(4, false); store<u8>(t + 19, 1); store<u8>(t + <usize>cb, 1); store<u8>(t + <usize>(cb + 1), 16);
    storeU16BE(t + <usize>(cb + 4), 64); storeU16BE(t + <usize>(cb + 6), 16); storeU16BE(t + <usize>(cb + 8), 4096); sealOf(t, lenOf(4));
    expect<i32>(parse(t, 4)).toBe(OK);
    storeU16BE(t + <usize>(cb + 8), 4097); sealOf(t, lenOf(4));
    expect<i32>(parse(t, 4)).toBe(E_CFG_BAD_VALUE);
    expect<i32>(detailField()).toBe(cb + 8);
    storeU16BE(t + <usize>(cb + 8), 512); storeU32BE(t + <usize>OFF_MAX_PACKET_DATA_LEN, 128); sealOf(t, lenOf(4));
    expect<i32>(parse(t, 4)).toBe(OK);
    storeU32BE(t + <usize>OFF_MAX_PACKET_DATA_LEN, 127); sealOf(t, lenOf(4));
    expect<i32>(parse(t, 4)).toBe(E_CFG_BAD_VALUE);
    expect<i32>(detailField()).toBe(OFF_MAX_PACKET_DATA_LEN);
  });

  it("screening: degrade shift bit depth − 1 accepted, = bit depth refused; saturation DN 4095 accepted, 4096 refused (12-bit)", () => {
    const sb = screeningBlockAt(4);
    // Shift 11 is beyond the contract's range 0..7, so the 12-bit rule is seen with 4-bit samples.
    let t = tableOf(4, true); store<u8>(t + 18, 4); store<u8>(t + <usize>(sb + OFF_DEGRADE_SHIFT), 3);
    storeU32BE(t + <usize>(sb + OFF_SCR_SAT_DN), 15); sealOf(t, lenOf(4));
    expect<i32>(parse(t, 4)).toBe(OK);
    store<u8>(t + <usize>(sb + OFF_DEGRADE_SHIFT), 4); sealOf(t, lenOf(4));
    expect<i32>(parse(t, 4)).toBe(E_CFG_BAD_VALUE);
    expect<i32>(detailField()).toBe(sb + OFF_DEGRADE_SHIFT);
    t = tableOf(4, true); storeU32BE(t + <usize>(sb + OFF_SCR_SAT_DN), 4095); sealOf(t, lenOf(4));
    expect<i32>(parse(t, 4)).toBe(OK);
    storeU32BE(t + <usize>(sb + OFF_SCR_SAT_DN), 4096); sealOf(t, lenOf(4));
    expect<i32>(parse(t, 4)).toBe(E_CFG_BAD_VALUE);
    expect<i32>(detailField()).toBe(sb + OFF_SCR_SAT_DN);
    expect<i32>(detailExpected()).toBe(4095);
  });

  it("screening needs three bands (3 accepted, 2 refused) and its own APIDs (statistics = housekeeping APID refused)", () => {
    expect<i32>(parse(tableOf(3, true), 3)).toBe(OK);
    // Two bands, the screener's own band-count word in its range (3): the table's band count is named.
    const t2 = tableOf(2, true); storeU32BE(t2 + <usize>(screeningBlockAt(2) + OFF_SCR_BANDS), 3); sealOf(t2, lenOf(2));
    expect<i32>(parse(t2, 2)).toBe(E_CFG_BAD_VALUE);
    expect<i32>(detailField()).toBe(OFF_BANDS);
    const sb = screeningBlockAt(4);
    const t = tableOf(4, true); storeU16BE(t + <usize>(sb + OFF_STATS_APID), 16); sealOf(t, lenOf(4));
    expect<i32>(parse(t, 4)).toBe(E_CFG_BAD_VALUE);
    expect<i32>(detailField()).toBe(sb + OFF_STATS_APID);
  });
});

// Version 7: the commanding block's `modes` (product modes ST[8] may switch to). Hostile tables
// whose CRC is right: each refused naming the field, nothing applied.
const cm: i32 = commandingBlockAt(4) + OFF_MODES;
/** The raw 4-band table with `modes` and valid CCSDS 121 options (J 16, RSI 128, units of 16 lines); CCSDS 123 words left 0. */
function withModes(modes: i32): usize {
  const t = tableOf(4, false);
  store<u8>(t + <usize>cm, <u8>modes);
  const cb = t + <usize>codecBlockAt(4);
  store<u8>(cb + 1, 16); storeU16BE(cb + 4, 128); storeU16BE(cb + 6, 16);
  sealOf(t, lenOf(4));
  return t;
}

describe("boot configuration table: product modes", () => {

  it("[tengri §mode] modes 0 is the boot mode alone; a mask holding the boot mode is applied", () => {
    let c = new Config();
    expect<i32>(parseConfig(withModes(0), lenOf(4), c)).toBe(OK);
    expect<i32>(c.modes).toBe(1);                                  // raw at boot
    const t = withModes(3);                                        // raw and CCSDS 121
    sealOf(t, lenOf(4));
    c = new Config();
    expect<i32>(parseConfig(t, lenOf(4), c)).toBe(OK);
    expect<i32>(c.modes).toBe(3);
  });

  it("[tengri §mode] a mask without the boot mode, with unknown bits, or other than the boot mode under screening is refused naming modes", () => {
    let t = withModes(2); sealOf(t, lenOf(4));                     // CCSDS 121 only, raw at boot
    expect<i32>(parse(t, 4)).toBe(E_CFG_BAD_VALUE);
    expect<i32>(detailField()).toBe(cm);
    expect<i32>(detailFound()).toBe(2);
    expect<i32>(detailExpected()).toBe(3);
    t = withModes(9); sealOf(t, lenOf(4));
    expect<i32>(parse(t, 4)).toBe(E_CFG_BAD_VALUE);
    expect<i32>(detailField()).toBe(cm);
    expect<i32>(detailExpected()).toBe(7);
    t = tableOf(4, true); store<u8>(t + <usize>cm, 3);             // screening may not switch
    const cb = t + <usize>codecBlockAt(4);
    store<u8>(cb + 1, 16); storeU16BE(cb + 4, 128); storeU16BE(cb + 6, 16);
    sealOf(t, lenOf(4));
    expect<i32>(parse(t, 4)).toBe(E_CFG_BAD_VALUE);
    expect<i32>(detailField()).toBe(cm);
    expect<i32>(detailExpected()).toBe(1);
  });

  it("[tengri §mode] a mode the table allows but does not boot in is checked as if it booted in it: CCSDS 121 options, CCSDS 123 geometry", () => {
    let t = withModes(3); store<u8>(t + <usize>(codecBlockAt(4) + OFF_AEC_BLOCK_SIZE), 12); sealOf(t, lenOf(4));   // CCSDS 121 allowed, J = 12
    expect<i32>(parse(t, 4)).toBe(E_CFG_BAD_VALUE);
    expect<i32>(detailField()).toBe(codecBlockAt(4) + OFF_AEC_BLOCK_SIZE);
    t = withModes(5); sealOf(t, lenOf(4));                         // CCSDS 123 allowed, its words all 0
    expect<i32>(parse(t, 4)).toBe(E_CFG_BAD_VALUE);
    expect<i32>(detailField()).toBe(ccsds123BlockAt(4) + OFF_HYP_NX);
  });
});

// Table version 8: the panchromatic block (a channel at its own geometry, bus record type 6).
// A valid pan block on the 4-band, 4096-pixel table: k = 4, 16384 pan pixels, 12 bits, APID 60,
// CCSDS 122 at a budget of 3072 octets per 256-block segment (1.5 bit/pixel).
function panTable(screen: bool): usize {
  const t = tableOf(4, screen);
  const pb = t + <usize>panchromaticBlockAt(4);
  store<u8>(pb + <usize>OFF_PAN_ENABLED, 1); store<u8>(pb + <usize>OFF_PAN_BIT_DEPTH, 12); store<u8>(pb + <usize>OFF_PAN_RATIO, 4);
  store<u8>(pb + <usize>OFF_PAN_COMPRESSION, 1); storeU16BE(pb + <usize>OFF_PAN_PIXELS, 16384); storeU16BE(pb + <usize>OFF_PAN_APID, 60);
  storeU16BE(pb + <usize>OFF_PAN_SEGMENT_BLOCKS, 256); storeU32BE(pb + <usize>OFF_PAN_SEGMENT_BYTES, 3072);
  storeU16BE(t + <usize>(commandingBlockAt(4) + OFF_REPORT_APID), 1920);
  sealOf(t, lenOf(4));
  return t;
}
function panPoke8(t: usize, off: i32, v: u8): usize { store<u8>(t + <usize>(panchromaticBlockAt(4) + off), v); sealOf(t, lenOf(4)); return t; }
function panPoke16(t: usize, off: i32, v: u32): usize { storeU16BE(t + <usize>(panchromaticBlockAt(4) + off), v); sealOf(t, lenOf(4)); return t; }
function panPoke32(t: usize, off: i32, v: u32): usize { storeU32BE(t + <usize>(panchromaticBlockAt(4) + off), v); sealOf(t, lenOf(4)); return t; }
function refusedAt(t: usize, off: i32): void {
  expect<i32>(parse(t, 4)).toBe(E_CFG_BAD_VALUE);
  expect<i32>(detailField()).toBe(panchromaticBlockAt(4) + off);
}

describe("[tengri §multires] configuration table v8: the panchromatic block", () => {
  it("[tengri §multires] a valid pan block is applied field by field; without it the pan fields are not looked at", () => {
    const c = new Config();
    expect<i32>(parseConfig(panTable(true), lenOf(4), c)).toBe(OK);
    expect<bool>(c.pan).toBe(true);
    expect<i32>(c.panRatio).toBe(4);
    expect<i32>(c.panPixels).toBe(16384);
    expect<i32>(c.panBitDepth).toBe(12);
    expect<u32>(c.panApid).toBe(60);
    expect<i32>(c.panCompression).toBe(1);
    expect<i32>(c.panS).toBe(256);
    expect<i32>(c.panSegBytes).toBe(3072);
    // Disabled: nonsense in the other pan fields is not checked (as every 'when' field)...
    const t = panPoke8(panTable(false), OFF_PAN_ENABLED, 0);
    panPoke8(t, OFF_PAN_RATIO, 200);
    const d = new Config();
    expect<i32>(parseConfig(t, lenOf(4), d)).toBe(OK);
    expect<bool>(d.pan).toBe(false);
    // ...but the reserved octets must be zero, and the enable flag 0 or 1.
    refusedAt(panPoke16(panTable(false), OFF_PAN_RESERVED, 1), OFF_PAN_RESERVED);
    refusedAt(panPoke8(panTable(false), OFF_PAN_ENABLED, 2), OFF_PAN_ENABLED);
  });

  it("[tengri §multires] ratio 2 and 16 accepted, 1 and 17 refused; pan pixels must be ratio × pixels", () => {
    let t = panTable(false); panPoke8(t, OFF_PAN_RATIO, 2); panPoke16(t, OFF_PAN_PIXELS, 8192);
    expect<i32>(parse(t, 4)).toBe(OK);
    t = panTable(false); storeU16BE(t + 16, 4095); panPoke8(t, OFF_PAN_RATIO, 16); panPoke16(t, OFF_PAN_PIXELS, 65520);
    expect<i32>(parse(t, 4)).toBe(OK);
    refusedAt(panPoke8(panTable(false), OFF_PAN_RATIO, 1), OFF_PAN_RATIO);
    refusedAt(panPoke8(panTable(false), OFF_PAN_RATIO, 17), OFF_PAN_RATIO);
    t = panPoke16(panTable(false), OFF_PAN_PIXELS, 16383);
    refusedAt(t, OFF_PAN_PIXELS);
    expect<i32>(detailFound()).toBe(16383);
    expect<i32>(detailExpected()).toBe(16384);
    t = panPoke8(panTable(false), OFF_PAN_RATIO, 3);
    refusedAt(t, OFF_PAN_PIXELS);
    expect<i32>(detailExpected()).toBe(12288);
  });

  it("[122.0-B-2 §3.2.4] pan lines of 16 pixels are refused (CCSDS 122 images are at least 17 wide)", () => {
    const t = panTable(false); storeU16BE(t + 16, 4); panPoke8(t, OFF_PAN_RATIO, 4); panPoke16(t, OFF_PAN_PIXELS, 16);
    refusedAt(t, OFF_PAN_PIXELS);
    expect<i32>(detailExpected()).toBe(17);
  });

  it("[tengri §multires] pan bit depth 1..16, compression 0 or 1, S 16.. accepted at the limits, refused beyond", () => {
    expect<i32>(parse(panPoke8(panTable(false), OFF_PAN_BIT_DEPTH, 16), 4)).toBe(OK);
    expect<i32>(parse(panPoke8(panTable(false), OFF_PAN_BIT_DEPTH, 1), 4)).toBe(OK);
    refusedAt(panPoke8(panTable(false), OFF_PAN_BIT_DEPTH, 0), OFF_PAN_BIT_DEPTH);
    refusedAt(panPoke8(panTable(false), OFF_PAN_BIT_DEPTH, 17), OFF_PAN_BIT_DEPTH);
    refusedAt(panPoke8(panTable(false), OFF_PAN_COMPRESSION, 2), OFF_PAN_COMPRESSION);
    expect<i32>(parse(panPoke16(panTable(false), OFF_PAN_SEGMENT_BLOCKS, 16), 4)).toBe(OK);
    refusedAt(panPoke16(panTable(false), OFF_PAN_SEGMENT_BLOCKS, 15), OFF_PAN_SEGMENT_BLOCKS);
  });

  it("[122.0-B-2 §4.2.3.2.2] a budget needs SegByteLimit >= 20 (and <= 2^27 - 1); lossless needs none", () => {
    expect<i32>(parse(panPoke32(panTable(false), OFF_PAN_SEGMENT_BYTES, 20), 4)).toBe(OK);
    expect<i32>(parse(panPoke32(panTable(false), OFF_PAN_SEGMENT_BYTES, 134217727), 4)).toBe(OK);
    refusedAt(panPoke32(panTable(false), OFF_PAN_SEGMENT_BYTES, 19), OFF_PAN_SEGMENT_BYTES);
    refusedAt(panPoke32(panTable(false), OFF_PAN_SEGMENT_BYTES, 134217728), OFF_PAN_SEGMENT_BYTES);
    let t = panPoke8(panTable(false), OFF_PAN_COMPRESSION, 0);
    refusedAt(t, OFF_PAN_SEGMENT_BYTES);
    expect<i32>(detailExpected()).toBe(0);
    t = panPoke32(t, OFF_PAN_SEGMENT_BYTES, 0);
    expect<i32>(parse(t, 4)).toBe(OK);
  });

  it("[133.0-B-2 §4.1.3.3.4] the pan APID differs from the band, housekeeping, report, statistics and mask APIDs", () => {
    refusedAt(panPoke16(panTable(true), OFF_PAN_APID, 34), OFF_PAN_APID);       // band 2
    refusedAt(panPoke16(panTable(true), OFF_PAN_APID, 16), OFF_PAN_APID);       // housekeeping
    refusedAt(panPoke16(panTable(true), OFF_PAN_APID, 1920), OFF_PAN_APID);     // reports
    refusedAt(panPoke16(panTable(true), OFF_PAN_APID, 40), OFF_PAN_APID);       // statistics
    refusedAt(panPoke16(panTable(true), OFF_PAN_APID, 41), OFF_PAN_APID);       // mask
    expect<i32>(parse(panPoke16(panTable(false), OFF_PAN_APID, 40), 4)).toBe(OK); // no screening: 40 is free
    refusedAt(panPoke16(panTable(false), OFF_PAN_APID, 2047), OFF_PAN_APID);    // idle APID
  });
});
