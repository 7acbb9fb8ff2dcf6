// Panchromatic packetizer: pan lines (bus record type 6, their own geometry: panRatio × the
// pixels and the line rate of the bands) through the CCSDS 122.0-B-2 strip encoder
// (compress/ccsds122: Integer DWT without limit when lossless, Float DWT at SegByteLimit octets
// per segment on a budget), every coded segment in its own packet(s) on the pan APID of the
// image virtual channel. The pass is one CCSDS 122 image; the encoder keeps a window of 136
// lines, so memory is bounded by the line width, not the pass.
// Pan packet secondary header (PAN_SEC_HDR_LEN octets):
//   CUC (7) of the last pan line taken | segment index u32 | segment length u32 (octets) |
//   offset u32 of this packet's data in the segment | pan lines taken u32
// A segment longer than a packet is split on octets with the sequence flags first/continuation/
// last (133.0-B-2 §4.1.3.4.2.2), so the ground knows every segment's length and where each piece
// belongs even when a packet is lost.
import { Config, PAN_LOSSLESS } from "../abi/config-table";
import { OK } from "../abi/status";
import { storeU32BE } from "../util/be";
import { packCuc, CUC_LEN } from "../packet/cuc";
import { SEQ_UNSEGMENTED, SEQ_FIRST, SEQ_CONTINUATION, SEQ_LAST } from "../packet/space-packet";
import {
  C122_WIDTH, C122_BIT_DEPTH, C122_SIGNED, C122_DWT, C122_S, C122_SEG_BYTE_LIMIT, C122_DC_STOP, C122_BITPLANE_STOP, C122_STAGE_STOP, C122_USE_FILL,
  C122_OPT_DC, C122_OPT_AC, C122_WORD_BYTES, C122_CUSTOM_WT, C122_WEIGHTS, C122_TRANSPOSE, C122_ALL_PARTS, C122_SAMPLE_BYTES, C122_PARAM_COUNT,
  c122StateLen, c122Init, c122PushLine, c122End, c122OutPtr, c122OutSegments, c122OutSegmentLen, c122Drained, c122Lines,
} from "../compress/ccsds122/encoder";
import { carve, carveLen } from "./carve";
import { packetDataPtr, sendImagePacket, SEQ_PAN } from "./downlink";
import { unpackLineSamples } from "./bus-record";
import * as hk from "./housekeeping";

export const PAN_SEC_HDR_LEN: i32 = CUC_LEN + 16;

/** The encoder's parameter block (static: filled from the table at check and configure). */
const params: usize = memory.data(C122_PARAM_COUNT * 4);
let linePtr: usize = 0;        // one pan line, native u16
let segIndex: u32 = 0;         // segments sent
let lastCoarse: u32 = 0, lastFine: u32 = 0;
let ended = false;
/** Pan lines coded, pan lines filled in for missing ones, encoder refusals (counted, never silent). */
export let panLinesCoded: u32 = 0;
export let panLinesFilled: u32 = 0;
export let panEncoderErrors: u32 = 0;
export let panLastStatus: i32 = 0;

@inline function setPrm(i: i32, v: i32): void { store<i32>(params + (<usize>i << 2), v); }

/** The CCSDS 122 parameters of the table's pan block. */
function fillParams(c: Config): void {
  for (let i = 0; i < C122_PARAM_COUNT; i++) setPrm(i, 0);
  const lossless = c.panCompression == PAN_LOSSLESS;
  setPrm(C122_WIDTH, c.panPixels); setPrm(C122_BIT_DEPTH, c.panBitDepth); setPrm(C122_SIGNED, 0);
  setPrm(C122_DWT, lossless ? 1 : 0);                 // 122.0-B-2 §3.3: lossless needs the Integer DWT
  setPrm(C122_S, c.panS); setPrm(C122_SEG_BYTE_LIMIT, lossless ? 0 : c.panSegBytes);
  setPrm(C122_STAGE_STOP, 3); setPrm(C122_OPT_DC, 1); setPrm(C122_OPT_AC, 1); setPrm(C122_WORD_BYTES, 1);
  setPrm(C122_SAMPLE_BYTES, 2);
}

/** Octets the pan stage carves (0 without a pan channel); −1 when the encoder refuses the parameters. */
export function panMemory(c: Config): i64 {
  if (!c.pan) return 0;
  fillParams(c);
  const st = c122StateLen(params);
  if (st < 0) return -1;
  return carveLen(st) + carveLen(<i64>(2 * c.panPixels));
}

export function panConfigure(c: Config): i32 {
  segIndex = 0; panLinesCoded = 0; panLinesFilled = 0; panEncoderErrors = 0; panLastStatus = 0; ended = false;
  if (!c.pan) return OK;
  fillParams(c);
  const len = c122StateLen(params);
  const state = carve(len);
  linePtr = carve(<i64>(2 * c.panPixels));
  return c122Init(state, len, params);
}

/** Sends every coded segment waiting in the encoder, each in packets of at most maxPacketLen. */
function sendSegments(c: Config): void {
  const n = c122OutSegments();
  let src = c122OutPtr();
  const userMax = c.maxPacketLen - PAN_SEC_HDR_LEN;
  for (let s = 0; s < n; s++) {                      // bounded: the segments of one push
    const len = c122OutSegmentLen(s);
    let off = 0;
    while (off < len) {                              // bounded: len / userMax packets
      let count = len - off;
      if (count > userMax) count = userMax;
      const first = off == 0, last = off + count >= len;
      const flags: u32 = first ? (last ? SEQ_UNSEGMENTED : SEQ_FIRST) : (last ? SEQ_LAST : SEQ_CONTINUATION);
      const sh = packetDataPtr();
      packCuc(sh, lastCoarse, lastFine);
      storeU32BE(sh + 7, segIndex); storeU32BE(sh + 11, <u32>len); storeU32BE(sh + 15, <u32>off); storeU32BE(sh + 19, <u32>c122Lines());
      memory.copy(sh + <usize>PAN_SEC_HDR_LEN, src + <usize>off, <usize>count);
      sendImagePacket(c.panApid, flags, c.bands + SEQ_PAN, PAN_SEC_HDR_LEN + count);
      hk.hkInc(hk.HK_PACKETS_SENT);
      off += count;
    }
    src += <usize>len;
    segIndex++;
  }
  c122Drained();
}

function push(c: Config, line: usize): void {
  const st = c122PushLine(line);
  if (st < 0) { panEncoderErrors++; panLastStatus = st; hk.hkSetLastStatus(st); return; }
  panLinesCoded++;
  if (st > 0) sendSegments(c);
}

/**
 * One accepted pan line (checkPanLine passed): samples unpacked (clipped to the depth, counted),
 * coded; `missing` lines lost on the bus before it are first filled with a copy of it, so that
 * the image keeps its geometry (counted).
 */
export function codePanLine(c: Config, samples: usize, missing: u32, coarse: u32, fine: u32): void {
  if (ended) return;
  lastCoarse = coarse; lastFine = fine;
  unpackLineSamples(linePtr, samples, c.panPixels, c.panBitDepth);
  for (let i: u32 = 0; i < missing; i++) { push(c, linePtr); panLinesFilled++; }   // bounded by maxLineJump · panRatio
  push(c, linePtr);
}

/** End of pass: the last strips and segment (one step). Returns false when done. */
export function panEndStep(c: Config): bool {
  if (!c.pan || ended) return false;
  ended = true;
  if (c122Lines() == 0) return false;               // no pan line: no image
  const st = c122End();
  if (st < 0) { panEncoderErrors++; panLastStatus = st; hk.hkSetLastStatus(st); return false; }
  sendSegments(c);
  return false;
}

/** Segments sent so far. */
export function panSegmentsSent(): u32 { return segIndex; }
