// The pan record path (bus record type 6, table v8 panchromatic block): pan lines at their own
// geometry through the pipeline's checks and the CCSDS 122 encoder into packets on the pan APID.
// The CADUs (TM, no Reed-Solomon, no randomizer) are taken apart here: the image channel's packet
// zones concatenated, the packets parsed, the pan packets' secondary headers checked and the
// segments reassembled. (Decoding the segments is the ground's part: tests/e2e/multires.test.ts.)
import { configure, cfg, checkPanLine, processPanLine, dropPanLine, endPassStep, outputPtr, outputLen, outputDrained, maxLinePayload } from "../../../assembly/payload/pipeline";
import { panLinesCoded, panLinesFilled, panSegmentsSent, panEncoderErrors, panTilesDropped, panLinesUnscreened, panTileRow, PAN_SEC_HDR_LEN } from "../../../assembly/payload/pan-segments";
import { screenDefaults, P_COUNT, P_TILE_SIZE, P_GROW_PX, P_DILATE_PX, P_SAT_DN } from "../../../assembly/screen/screener";
import { screeningBlockAt, OFF_SCREEN_ENABLED, OFF_DEGRADE_SHIFT, OFF_STATS_APID, OFF_MASK_APID, OFF_THUMBNAIL_FACTOR, OFF_SCR_CORE_BLUE } from "../../../assembly/abi/contract";
import { scanRecord, REC_PAN, RECORD_SYNC } from "../../../assembly/payload/bus-record";
import * as hk from "../../../assembly/payload/housekeeping";
import { CONFIG_FIXED_LEN, CODEC_BLOCK_LEN, SCREEN_FIXED_LEN, HYPER_BLOCK_LEN, CONFIG_VERSION } from "../../../assembly/abi/config-table";
import { COMMANDING_LEN, PANCHROMATIC_LEN, commandingBlockAt, panchromaticBlockAt, OFF_PAN_ENABLED, OFF_PAN_BIT_DEPTH, OFF_PAN_RATIO, OFF_PAN_COMPRESSION, OFF_PAN_PIXELS,
  OFF_PAN_APID, OFF_PAN_SEGMENT_BLOCKS, OFF_PAN_SEGMENT_BYTES } from "../../../assembly/abi/contract";
import { crc16 } from "../../../assembly/util/crc16";
import { storeU16BE, storeU32BE, loadU16BE, loadU32BE } from "../../../assembly/util/be";
import { OK, E_BUS_BAD_LINE, E_BUS_LINE_JUMP, E_BUS_TIME_JUMP } from "../../../assembly/abi/status";
import { detailField, detailFound, detailExpected } from "../../../assembly/abi/control";

const BANDS = 1, PIXELS = 8, K = 4, PAN = 32, FRAME = 223, PAN_APID: u32 = 60;
const LEN = CONFIG_FIXED_LEN + 2 * BANDS + CODEC_BLOCK_LEN + SCREEN_FIXED_LEN + 12 * BANDS + HYPER_BLOCK_LEN + COMMANDING_LEN + PANCHROMATIC_LEN + 2;

/** One band of 8 pixels (raw), pan k = 4 (32 pixels, 12 bits), CCSDS 122 with S = 16; packets of 64 octets at most. */
function table(pan: bool, segBytes: u32): usize {
  const t = heap.alloc(<usize>LEN);
  for (let i = 0; i < LEN; i++) store<u8>(t + <usize>i, 0);
  storeU16BE(t, <u32>CONFIG_VERSION); storeU16BE(t + 2, LEN); storeU16BE(t + 4, 171);
  store<u8>(t + 6, 0); store<u8>(t + 7, 1);                          // TM, FECF, no randomizer
  storeU16BE(t + 8, FRAME); store<u8>(t + 10, 0); store<u8>(t + 11, 1);  // no Reed-Solomon
  store<u8>(t + 12, 1); store<u8>(t + 13, 0); store<u8>(t + 14, 7); store<u8>(t + 15, BANDS);
  storeU16BE(t + 16, PIXELS); store<u8>(t + 18, 12); store<u8>(t + 19, 0);
  storeU16BE(t + 20, 16); storeU16BE(t + 22, 0);
  storeU32BE(t + 24, 64); storeU32BE(t + 28, 16777216); storeU32BE(t + 32, 100000000);
  storeU16BE(t + 44, 1024); storeU16BE(t + 46, 4);
  storeU16BE(t + <usize>CONFIG_FIXED_LEN, 32);
  const cm = commandingBlockAt(BANDS);
  storeU16BE(t + <usize>cm, 192); storeU16BE(t + <usize>(cm + 2), 1920); store<u8>(t + <usize>(cm + 4), 1);
  if (pan) {
    const pb = t + <usize>panchromaticBlockAt(BANDS);
    store<u8>(pb + <usize>OFF_PAN_ENABLED, 1); store<u8>(pb + <usize>OFF_PAN_BIT_DEPTH, 12); store<u8>(pb + <usize>OFF_PAN_RATIO, K);
    store<u8>(pb + <usize>OFF_PAN_COMPRESSION, segBytes == 0 ? 0 : 1); storeU16BE(pb + <usize>OFF_PAN_PIXELS, PAN);
    storeU16BE(pb + <usize>OFF_PAN_APID, PAN_APID); storeU16BE(pb + <usize>OFF_PAN_SEGMENT_BLOCKS, 16); storeU32BE(pb + <usize>OFF_PAN_SEGMENT_BYTES, segBytes);
  }
  storeU16BE(t + <usize>(LEN - 2), crc16(t, <usize>(LEN - 2), 0xFFFF));
  return t;
}

// A pan line record payload: counter, time (coarse, fine), bands 1, pixels, depth, flags, samples u16 BE.
const line = heap.alloc(<usize>(18 + 2 * 64));
function panLine(counter: u32, coarse: u32, bands: u32 = 1, pixels: i32 = PAN, depth: u32 = 12): i32 {
  storeU32BE(line, counter); storeU32BE(line + 4, coarse); storeU32BE(line + 8, 0);
  storeU16BE(line + 12, bands); storeU16BE(line + 14, <u32>pixels); store<u8>(line + 16, <u8>depth); store<u8>(line + 17, 0);
  for (let x = 0; x < pixels; x++) storeU16BE(line + <usize>(18 + 2 * x), <u32>((x * 37 + <i32>counter * 11 + ((x * <i32>counter) & 63)) & 4095));
  return 18 + 2 * pixels;
}

// Every CADU the pipeline released, in order.
const cadus = heap.alloc(1 << 20);
let caduLen = 0;
function collect(): void {
  const n = outputLen();
  memory.copy(cadus + <usize>caduLen, outputPtr(), <usize>n);
  caduLen += n;
  outputDrained();
}

// The image channel's packet zones, concatenated (TM: 6-octet header, FECF last), then its packets.
const zone = heap.alloc(1 << 20);
let zoneLen = 0;
const seg = heap.alloc(1 << 16);      // the reassembled segments
let segLen = 0;
let segs = 0, panPackets = 0, lastSegFirstByte: u8 = 0, firstSegFirstByte: u8 = 0, lastLines: u32 = 0, maxSeg = 0;
let headerErrors = 0;
function takeApart(): void {
  zoneLen = 0; segLen = 0; segs = 0; panPackets = 0; headerErrors = 0; maxSeg = 0;
  const step = 4 + FRAME;
  for (let c = 0; c + step <= caduLen; c += step) {
    const f = cadus + <usize>(c + 4);
    const vcid = (loadU16BE(f) >> 1) & 7;
    if (vcid != 1) continue;
    memory.copy(zone + <usize>zoneLen, f + 6, <usize>(FRAME - 8));
    zoneLen += FRAME - 8;
  }
  let p = 0, segStart = 0;
  let expectIndex: u32 = 0, expectOff: u32 = 0;
  while (p + 6 <= zoneLen) {
    const w0 = loadU16BE(zone + <usize>p), w1 = loadU16BE(zone + <usize>(p + 2));
    const apid = w0 & 0x7FF, flags = w1 >> 14, dataLen = <i32>loadU16BE(zone + <usize>(p + 4)) + 1;
    if (apid == PAN_APID) {
      const sh = zone + <usize>(p + 6);
      const index = loadU32BE(sh + 7), len = loadU32BE(sh + 11), off = loadU32BE(sh + 15);
      lastLines = loadU32BE(sh + 19);
      const n = dataLen - PAN_SEC_HDR_LEN;
      const first = off == 0, last = off + <u32>n == len;
      const want: u32 = first ? (last ? 3 : 1) : (last ? 2 : 0);
      if (index != expectIndex || off != expectOff || flags != want) headerErrors++;
      if (first) segStart = segLen;
      memory.copy(seg + <usize>segLen, sh + <usize>PAN_SEC_HDR_LEN, <usize>n);
      segLen += n;
      panPackets++;
      expectOff = off + <u32>n;
      if (last) {
        if (segs == 0) firstSegFirstByte = load<u8>(seg);
        lastSegFirstByte = load<u8>(seg + <usize>segStart);
        if (<i32>len > maxSeg) maxSeg = <i32>len;
        segs++; expectIndex++; expectOff = 0;
      }
    }
    p += 6 + dataLen;
  }
}

function boot(pan: bool, segBytes: u32 = 0): void {
  for (let i = 0; i < hk.HK_COUNTERS; i++) hk.hkSet(i, 0);
  expect<i32>(configure(table(pan, segBytes), LEN)).toBe(OK);
  caduLen = 0;
  outputDrained();
}

function pass(lines: u32): void {
  for (let y: u32 = 0; y < lines; y++) {
    const n = panLine(y, 1000 + y);
    expect<i32>(checkPanLine(line, n)).toBe(OK);
    processPanLine(line);
    collect();
  }
  for (let i = 0; i < 64 && endPassStep(); i++) collect();
  collect();
}

describe("[tengri §multires] pan lines (bus record type 6) through CCSDS 122 into packets", () => {
  it("[tengri §multires] the bus scanner takes record type 6; the input buffer holds a pan line wider than the band line", () => {
    const r = heap.alloc(64);
    storeU32BE(r, RECORD_SYNC); store<u8>(r + 4, 6); store<u8>(r + 5, 1); storeU32BE(r + 6, 4);
    storeU32BE(r + 10, 0xABCD);
    storeU16BE(r + 14, crc16(r, 14, 0xFFFF));
    expect<i32>(scanRecord(r, 16, 1024)).toBe(REC_PAN);
    store<u8>(r + 4, 7); storeU16BE(r + 14, crc16(r, 14, 0xFFFF));   // 7: unassigned (5 is the clcw branch's)
    expect<i32>(scanRecord(r, 16, 1024)).toBeLessThan(0);
    boot(true);
    expect<i32>(maxLinePayload(cfg)).toBe(18 + 2 * PAN);
  });

  it("[122.0-B-2 §4.2] lossless: 40 pan lines give one image of 2 segments (S = 16, 20 blocks), each split over packets of the pan APID in order", () => {
    boot(true);
    pass(40);
    expect<u32>(panLinesCoded).toBe(40);
    expect<u32>(panEncoderErrors).toBe(0);
    takeApart();
    expect<i32>(headerErrors).toBe(0);
    expect<i32>(segs).toBe(2);
    expect<u32>(panSegmentsSent()).toBe(2);
    expect<i32>(panPackets).toBeGreaterThan(2);                  // 64-octet packets: segments are split
    expect<u32>(lastLines).toBe(40);
    expect<i32>(firstSegFirstByte & 0x80).toBe(0x80);            // Part 1A StartImgFlag
    expect<i32>(lastSegFirstByte & 0x40).toBe(0x40);             // Part 1A EndImgFlag
  });

  it("[122.0-B-2 §4.2.3.2.2] on a budget every segment is at most SegByteLimit octets", () => {
    boot(true, 40);
    pass(40);
    takeApart();
    expect<i32>(headerErrors).toBe(0);
    expect<i32>(segs).toBe(2);
    expect<i32>(maxSeg).toBeLessThanOrEqual(40);
  });

  it("[tengri §multires] hostile pan lines are refused naming the field: bands, pixels, depth, length, counter, time", () => {
    boot(true);
    expect<i32>(checkPanLine(line, panLine(0, 1000, 2))).toBe(E_BUS_BAD_LINE);
    expect<i32>(detailField()).toBe(12);
    expect<i32>(checkPanLine(line, panLine(0, 1000, 1, PAN - 1))).toBe(E_BUS_BAD_LINE);
    expect<i32>(detailField()).toBe(14);
    expect<i32>(detailExpected()).toBe(PAN);
    expect<i32>(checkPanLine(line, panLine(0, 1000, 1, PAN, 11))).toBe(E_BUS_BAD_LINE);
    expect<i32>(detailField()).toBe(16);
    expect<i32>(checkPanLine(line, panLine(0, 1000) - 2)).toBe(E_BUS_BAD_LINE);
    expect<i32>(checkPanLine(line, 10)).toBe(E_BUS_BAD_LINE);
    expect<i32>(detailFound()).toBe(10);
    const n = panLine(5, 1000);
    expect<i32>(checkPanLine(line, n)).toBe(OK);
    processPanLine(line); collect();
    expect<i32>(checkPanLine(line, panLine(5, 1001))).toBe(E_BUS_LINE_JUMP);       // repeated
    expect<i32>(checkPanLine(line, panLine(4, 1001))).toBe(E_BUS_LINE_JUMP);       // backwards
    expect<i32>(checkPanLine(line, panLine(6, 999))).toBe(E_BUS_TIME_JUMP);
    expect<i32>(checkPanLine(line, panLine(5 + 1024 * K + 1, 1002))).toBe(E_BUS_LINE_JUMP);  // beyond maxLineJump · k
  });

  it("[tengri §multires] a pan line lost on the bus is filled with a copy of the next (geometry kept, counted); a stopped pan line is dropped and counted", () => {
    boot(true);
    let n = panLine(0, 1000); expect<i32>(checkPanLine(line, n)).toBe(OK); processPanLine(line); collect();
    n = panLine(3, 1001); expect<i32>(checkPanLine(line, n)).toBe(OK); processPanLine(line); collect();
    expect<u32>(panLinesFilled).toBe(2);
    expect<u32>(panLinesCoded).toBe(4);
    expect<u32>(hk.hkGet(hk.HK_LINES_MISSING)).toBe(2);
    n = panLine(4, 1002); expect<i32>(checkPanLine(line, n)).toBe(OK); dropPanLine(line);
    expect<u32>(hk.hkGet(hk.HK_LINES_DROPPED_STOPPED)).toBe(1);
    expect<u32>(panLinesCoded).toBe(4);
    n = panLine(4, 1003); expect<i32>(checkPanLine(line, n)).toBe(E_BUS_LINE_JUMP);   // the dropped line advanced the counter
  });

  it("[tengri §multires] fewer than 17 pan lines: no image, the encoder's refusal counted; without a pan block a pan line is refused", () => {
    boot(true);
    pass(10);
    expect<u32>(panEncoderErrors).toBe(1);
    takeApart();
    expect<i32>(segs).toBe(0);
    boot(false);
    expect<bool>(cfg.pan).toBe(false);
    expect<i32>(checkPanLine(line, panLine(0, 1000))).toBe(E_BUS_BAD_LINE);
    for (let i = 0; i < 64 && endPassStep(); i++) collect();
  });
});

// Screening with a pan channel: 4 bands of 16 pixels (raw), tiles of 8, growth 2; pan k = 4 (64 pixels).
const SB = 4, SP = 16, SPAN = 64;
const SLEN = CONFIG_FIXED_LEN + 2 * SB + CODEC_BLOCK_LEN + SCREEN_FIXED_LEN + 12 * SB + HYPER_BLOCK_LEN + COMMANDING_LEN + PANCHROMATIC_LEN + 2;
function screenTable(): usize {
  const t = heap.alloc(<usize>SLEN);
  for (let i = 0; i < SLEN; i++) store<u8>(t + <usize>i, 0);
  storeU16BE(t, <u32>CONFIG_VERSION); storeU16BE(t + 2, SLEN); storeU16BE(t + 4, 171);
  store<u8>(t + 6, 0); store<u8>(t + 7, 1);
  storeU16BE(t + 8, FRAME); store<u8>(t + 10, 0); store<u8>(t + 11, 1);
  store<u8>(t + 12, 1); store<u8>(t + 13, 0); store<u8>(t + 14, 7); store<u8>(t + 15, SB);
  storeU16BE(t + 16, SP); store<u8>(t + 18, 12); store<u8>(t + 19, 0);
  storeU16BE(t + 20, 16); storeU16BE(t + 22, 0);
  storeU32BE(t + 24, 256); storeU32BE(t + 28, 16777216); storeU32BE(t + 32, 100000000);
  storeU16BE(t + 44, 1024); storeU16BE(t + 46, 4);
  for (let b = 0; b < SB; b++) storeU16BE(t + <usize>(CONFIG_FIXED_LEN + 2 * b), <u32>(32 + b));
  const sb = t + <usize>screeningBlockAt(SB);
  store<u8>(sb + <usize>OFF_SCREEN_ENABLED, 1); store<u8>(sb + <usize>OFF_DEGRADE_SHIFT, 2);
  storeU16BE(sb + <usize>OFF_STATS_APID, 40); storeU16BE(sb + <usize>OFF_MASK_APID, 41);
  store<u8>(sb + <usize>OFF_THUMBNAIL_FACTOR, 2);
  const words = heap.alloc(<usize>(P_COUNT * 4));
  screenDefaults(words, SP, SB);
  store<i32>(words + (<usize>P_TILE_SIZE << 2), 8); store<i32>(words + (<usize>P_GROW_PX << 2), 2);
  store<i32>(words + (<usize>P_DILATE_PX << 2), 1); store<i32>(words + (<usize>P_SAT_DN << 2), 4095);
  for (let i = 0; i < P_COUNT; i++) storeU32BE(sb + <usize>(OFF_SCR_CORE_BLUE + 4 * i), <u32>load<i32>(words + <usize>(4 * i)));
  const cm = commandingBlockAt(SB);
  storeU16BE(t + <usize>cm, 192); storeU16BE(t + <usize>(cm + 2), 1920); store<u8>(t + <usize>(cm + 4), 1);
  const pb = t + <usize>panchromaticBlockAt(SB);
  store<u8>(pb + <usize>OFF_PAN_ENABLED, 1); store<u8>(pb + <usize>OFF_PAN_BIT_DEPTH, 12); store<u8>(pb + <usize>OFF_PAN_RATIO, K);
  store<u8>(pb + <usize>OFF_PAN_COMPRESSION, 0); storeU16BE(pb + <usize>OFF_PAN_PIXELS, SPAN);
  storeU16BE(pb + <usize>OFF_PAN_APID, PAN_APID); storeU16BE(pb + <usize>OFF_PAN_SEGMENT_BLOCKS, 16); storeU32BE(pb + <usize>OFF_PAN_SEGMENT_BYTES, 0);
  storeU16BE(t + <usize>(SLEN - 2), crc16(t, <usize>(SLEN - 2), 0xFFFF));
  return t;
}
const drops = heap.alloc(16);

describe("[tengri §multires] the bands' screening decides for the pan under them", () => {
  it("[tengri §multires] pan lines wait for their band row's tile decisions; the pan under a dropped tile is counted once per tile", () => {
    for (let i = 0; i < hk.HK_COUNTERS; i++) hk.hkSet(i, 0);
    expect<i32>(configure(screenTable(), SLEN)).toBe(OK);
    caduLen = 0; outputDrained();
    expect<bool>(cfg.screen && cfg.pan).toBe(true);
    for (let y: u32 = 0; y < 8; y++) { const n = panLine(y, 1000 + y, 1, SPAN); expect<i32>(checkPanLine(line, n)).toBe(OK); processPanLine(line); collect(); }
    expect<u32>(panLinesCoded).toBe(0);                     // no band row decided yet
    store<u8>(drops, 1); store<u8>(drops + 1, 0);           // band row 0: tile column 0 dropped
    panTileRow(cfg, 0, 1, drops);
    expect<u32>(panLinesCoded).toBe(4);                      // pan lines 0..3 lie on band row 0
    expect<u32>(panTilesDropped).toBe(1);
    store<u8>(drops, 1); store<u8>(drops + 1, 1);
    panTileRow(cfg, 1, 1, drops);
    expect<u32>(panLinesCoded).toBe(8);
    expect<u32>(panTilesDropped).toBe(3);
    expect<u32>(panLinesUnscreened).toBe(0);
  });

  it("[tengri §multires] a full ring lets its oldest line go undecided (counted); the end of the pass codes every line left", () => {
    for (let i = 0; i < hk.HK_COUNTERS; i++) hk.hkSet(i, 0);
    expect<i32>(configure(screenTable(), SLEN)).toBe(OK);
    caduLen = 0; outputDrained();
    const depth: u32 = <u32>(K * (8 + 2 + 4));
    for (let y: u32 = 0; y < depth + 6; y++) { const n = panLine(y, 1000 + y, 1, SPAN); expect<i32>(checkPanLine(line, n)).toBe(OK); processPanLine(line); collect(); }
    expect<u32>(panLinesUnscreened).toBe(6);
    expect<u32>(panLinesCoded).toBe(6);
    for (let i = 0; i < 4096 && endPassStep(); i++) collect();
    collect();
    expect<u32>(panLinesCoded).toBe(depth + 6);
    expect<u32>(panEncoderErrors).toBe(0);
    takeApart();
    expect<i32>(headerErrors).toBe(0);
    expect<i32>(lastSegFirstByte & 0x40).toBe(0x40);       // the image ended
  });
});
