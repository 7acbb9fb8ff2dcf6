// CCSDS 123 segments packetizer. The image is cut into segments of unitLines lines × all bands
// × all pixels, each compressed independently with CCSDS 123.0-B-2 (its own header: a complete,
// self-describing image), in band-interleaved-by-line order as the imager delivers, so that a
// lost packet costs one segment. The stream leaves in packets on the first band's APID, each
// with the unit header (coder 2). A short last segment is padded by repeating its last line
// (cheap to code); the unit header tells the ground how many lines are real.
import { Config, bandApid, HYPER_PARAMS, CONFIG_FIXED_LEN, CODEC_BLOCK_LEN, SCREEN_FIXED_LEN } from "../abi/config-table";
import { OK, E_CFG_BAD_VALUE } from "../abi/status";
import { setDetail } from "../abi/control";
import { loadU32BE, copyBytes } from "../util/be";
import { hypStateLen, hypInit, hypHeader, hypPushLine, hypDrain, hypPending, hypDone } from "../compress/hyper123/encoder";
import { hypLastBadParam } from "../compress/hyper123/params";
import * as hk from "./housekeeping";
import { carve, carveLen, carveState, carveStateLen, MAX_CARVE } from "./carve";
import { UNIT_HDR_LEN, UNIT_CODER_CCSDS123, packUnitHeader } from "./unit-header";
import { packetDataPtr, sendUnitPacket } from "./downlink";
import { unpackLineSamples } from "./bus-record";

@unmanaged class Segments {
  params: usize;         // the compressor's parameter words (native i32)
  state: usize;
  stateLen: i64;
  out: usize;
  cap: i32;
  fill: i32;
  offset: u32;
  lines: i32;            // lines pushed into the current segment
  real: i32;             // real (not padding) lines of the current segment
  line: usize;           // one line, native u16, all bands
  first: u32;
  coarse: u32;
  fine: u32;
  segLines: i32;
}

let g: Segments = changetype<Segments>(0);
/** The parameter words of the table being checked, native (the compressor reads them so). */
const checkParams = memory.data(HYPER_PARAMS * 4);
let checkStateLen: i64 = 0;

@inline function paramWord(c: Config, i: i32): i32 { return <i32>loadU32BE(c.hyperBlockPtr + (<usize>i << 2)); }
function outLen(c: Config): i64 { return <i64>(c.maxPacketLen - UNIT_HDR_LEN) + 8192; }

/** Checks the CCSDS 123 block with the compressor's own rules, without carving; OK or −402 naming the word. */
export function segmentsCheck(c: Config): i32 {
  for (let i = 0; i < HYPER_PARAMS; i++) store<i32>(checkParams + (<usize>i << 2), paramWord(c, i));
  const hb = CONFIG_FIXED_LEN + 2 * c.bands + CODEC_BLOCK_LEN + SCREEN_FIXED_LEN + 12 * c.bands;
  checkStateLen = hypStateLen(checkParams);
  if (checkStateLen < 0) {
    const bad = hypLastBadParam();
    return setDetail(E_CFG_BAD_VALUE, hb + 4 * bad, paramWord(c, bad), 0, hb + 4 * bad);
  }
  if (checkStateLen > MAX_CARVE) return setDetail(E_CFG_BAD_VALUE, hb + 4, paramWord(c, 1), 0, hb + 4);
  return OK;
}

/** Octets the CCSDS 123 stage carves for a configuration segmentsCheck accepted (its state length is kept). */
export function segmentsMemory(c: Config): i64 {
  return carveStateLen<Segments>() + carveLen(HYPER_PARAMS * 4) + carveLen(checkStateLen) + carveLen(outLen(c))
    + carveLen(2 * <i64>c.bands * <i64>c.pixels + 16);
}

/** Carves and initialises the compressor (checked by segmentsCheck: cannot fail, but the status is kept). */
export function segmentsConfigure(c: Config): i32 {
  g = carveState<Segments>();
  g.params = carve(HYPER_PARAMS * 4);
  for (let i = 0; i < HYPER_PARAMS; i++) store<i32>(g.params + (<usize>i << 2), paramWord(c, i));
  g.stateLen = hypStateLen(g.params);
  if (g.stateLen < 0) return <i32>g.stateLen;
  g.state = carve(g.stateLen);
  g.cap = <i32>outLen(c);
  g.out = carve(g.cap);
  g.line = carve(2 * <i64>c.bands * <i64>c.pixels + 16);
  const s = hypInit(g.state, g.stateLen, g.params);      // checks every parameter now, at boot
  if (s != OK) return s;
  g.segLines = c.unitLines;
  g.lines = 0; g.real = 0; g.fill = 0; g.offset = 0;
  return OK;
}

export function codeLine123(c: Config, samples: usize, counter: u32, coarse: u32, fine: u32): void {
  unpackLineSamples(g.line, samples, c.bands * c.pixels, c.bitDepth);
  if (g.lines == 0) { g.first = counter; g.coarse = coarse; g.fine = fine; }
  pushLine(c);
  g.real = g.lines;
  if (g.lines == g.segLines) finishSegment(c);
}

function pushLine(c: Config): void {
  if (g.lines == 0) {
    let s = hypInit(g.state, g.stateLen, g.params);
    if (s != OK) { hk.hkSetLastStatus(s); return; }
    s = hypHeader(g.state, g.params, g.out + <usize>g.fill, g.cap - g.fill);   // 123.0-B-2 §5.3
    if (s < 0) { hk.hkSetLastStatus(s); return; }
    g.fill += s;
    g.offset = 0;
  }
  const s = hypPushLine(g.state, g.line);
  if (s < 0) hk.hkSetLastStatus(s);
  g.lines++;
  drain(c, false);
}

/** Moves pending codewords into the output, sending every full packet. Bounded: each pass writes or sends. */
function drain(c: Config, final: bool): void {
  const seg = c.maxPacketLen - UNIT_HDR_LEN;
  for (let guard = 0; guard < 1 << 24; guard++) {
    if (g.fill >= seg) { sendSegment(c, seg, false); continue; }
    const more = final ? hypDone(g.state) == 0 : hypPending(g.state) != 0;
    if (!more) break;
    const w = hypDrain(g.state, g.out + <usize>g.fill, g.cap - g.fill);
    if (w < 0) { hk.hkSetLastStatus(w); break; }
    g.fill += w;
    if (w == 0 && g.fill < seg) break;                  // nothing more to write
  }
}

function finishSegment(c: Config): void {
  drain(c, true);
  const seg = c.maxPacketLen - UNIT_HDR_LEN;
  while (g.fill > seg) sendSegment(c, seg, false);
  sendSegment(c, g.fill, true);
  g.lines = 0; g.real = 0; g.fill = 0; g.offset = 0;
}

function sendSegment(c: Config, len: i32, last: bool): void {
  const sh = packetDataPtr();
  packUnitHeader(sh, g.coarse, g.fine, g.first, g.real, 0, c.pixels, c.bitDepth, 0, 0, 0, g.offset, 0);
  store<u8>(sh + 17, UNIT_CODER_CCSDS123);
  sendUnitPacket(bandApid(c, 0), 0, g.out, len, g.offset == 0, last);
  copyBytes(g.out, g.out + <usize>len, <usize>(g.fill - len));
  g.fill -= len;
  g.offset += <u32>len;
}

/** End of pass: a short last segment, padded line by line. Returns false when none is open. */
/** Whether the next line starts a new segment (ST[8] stop takes effect there). */
export function segmentsAtBoundary(): bool { return g.lines == 0; }

export function segmentsEndStep(c: Config): bool {
  if (g.lines == 0) return false;
  if (g.lines < g.segLines) { const real = g.real; pushLine(c); g.real = real; }
  else finishSegment(c);
  return true;
}
