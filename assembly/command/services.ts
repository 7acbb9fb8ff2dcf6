// The payload's PUS-C services (ECSS-E-ST-70-41C §6; README "Commanding the payload"): a bus
// record of type 4 is one TC transfer frame; its packets are checked and dispatched here, and
// every answer leaves as a TM report (reports.ts) on the report APID.
//   frame checks (tc-frame.ts) → authenticate (auth-seam.ts → SDLS ProcessSecurity, assembly/security/sdls.ts)
//   → for each packet: packet checks (tc-packet.ts) → acceptance → execution → ST[1] reports.
// A request whose service, subtype or application data is wrong is refused at acceptance
// (ST[1,2]) and has no effect; one that fails while executing gets ST[1,8]. Failures are reported
// whatever the acknowledgement flags say; successes only when asked for.
// Nothing here allocates; every loop is bounded by the frame (≤ 1024 octets).
import { OK, E_PUS_SERVICE, E_PUS_SUBTYPE, E_PUS_DATA, E_PUS_FUNCTION, E_PUS_MODE, E_PUS_MEMORY_ID, E_PUS_HK_STRUCT, E_PUS_EVENT } from "../abi/status";
import { setDetail } from "../abi/control";
import { loadU16BE, loadU32BE, storeU16BE, storeU32BE, copyBytes } from "../util/be";
import { crc16 } from "../util/crc16";
import * as hk from "../payload/housekeeping";
import { cfg, tablePtr, tableLen, candidatePtr, workPtr, candidateCheck, atProductBoundary, applyCandidate, refreshHousekeeping, productMode, productModeAllowed, switchProductMode } from "../payload/pipeline";
import { dl, flushSlot } from "../payload/downlink";
import { checkTcFrame } from "./tc-frame";
import { authenticate, authDataPtr, authDataLen } from "./auth-seam";
import { parseTcPacket, tcConsumed, tcHasRequestId, tcPacketId, tcSeqControl, tcAck, tcService, tcSubtype, tcSource, tcAppPtr, tcAppLen, ACK_ACCEPTANCE, ACK_COMPLETION } from "./tc-packet";
import { reportData, reportSend, reportSetDestination, reportVerification } from "./reports";
import { eventsReset, eventRaise, eventSetEnabled, eventKnown, EV_TC_REFUSED, EV_TC_FAILED, EV_PARAM_APPLIED, EV_ACQ_STOPPED, EV_ACQ_STARTED, EV_FRAMES_OVERFLOWED, EV_LINES_MISSING, EV_BUS_REJECTED, EV_MODE_CHANGED, eventRaiseAt } from "./events";
import { paramOffset, paramWidth, paramRead, paramWrite } from "./params";
import { crc32 } from "./crc32";
import { updateStart, updateSegment, updateEnd, updateRebootToUploaded, codeDigest } from "./update-seam";

/** ST[3] housekeeping structure id of the payload housekeeping (the housekeeping packet's data). */
export const HK_STRUCT_PAYLOAD: u32 = 1;
/** ST[8] function ids. */
export const FN_START_ACQUISITION: u32 = 1;
export const FN_STOP_ACQUISITION: u32 = 2;
export const FN_SET_PRODUCT_MODE: u32 = 3;
export const FN_FLUSH: u32 = 4;
export const FN_REBOOT_TO_UPLOADED: u32 = 5;
export const FN_UPLOAD_START: u32 = 6;
export const FN_UPLOAD_END: u32 = 7;
/** ST[6] memory ids. */
export const MEM_CONFIGURATION: u32 = 1;
export const MEM_CODE: u32 = 2;
export const MEM_UPLOAD: u32 = 3;
/** ST[6,10] checksum types. */
export const CHECKSUM_CRC32: u32 = 1;
export const CHECKSUM_SHA256: u32 = 2;
/** ST[20]: parameters per request at most (a report must fit one packet). */
export const MAX_PARAMS: i32 = 32;
/** Packets per frame at most (a frame of 1024 octets holds at most 78 packets of 13 octets). */
const MAX_PACKETS_PER_FRAME: i32 = 128;

let acquiring: bool = true;        // at boot acquisition runs, as it always did
let stopPending: bool = false;     // ST[8] stop: takes effect at the next unit or tile boundary
let paramPending: bool = false;    // ST[20] set: a checked candidate table waits for its boundary
let periodicOn: bool = false;      // ST[3,5]/[3,6] periodic housekeeping reports
let periodLines: u32 = 100;        // ST[3,31]: period in lines accepted
let linesSinceReport: u32 = 0;
let seenOverflow: u32 = 0, seenMissing: u32 = 0;
/** Whether the last request was refused at acceptance (its status is not an execution failure). */
let refusedAtAcceptance: bool = false;
/** Whether the last request's completion is reported later (a product mode switch at its boundary). */
let completionDeferred: bool = false;
// ST[8] set product mode: the switch waiting for the product boundary, and its request's id.
let modePending: bool = false;
let modeTarget: i32 = 0;
let modeAck: u32 = 0, modeId: u32 = 0, modeSeq: u32 = 0, modeSource: u32 = 0;

/** Command state at configuration (boot). */
export function commandConfigure(): void {
  acquiring = true; stopPending = false; paramPending = false; periodicOn = false; periodLines = 100; linesSinceReport = 0;
  seenOverflow = 0; seenMissing = 0;
  modePending = false; modeTarget = 0; completionDeferred = false;
  eventsReset();
}

export function commandAcquiring(): bool { return acquiring; }
export function commandParamPending(): bool { return paramPending; }
export function commandStopPending(): bool { return stopPending; }
export function commandModePending(): bool { return modePending; }

/** A bus record rejected (flight.ts): the ST[5] event, when enabled. */
export function commandBusRejected(status: i32, count: u32): void { eventRaise(EV_BUS_REJECTED, status, count); }

/**
 * Before a line (line counter `counter`) that passed the line checks: at a unit, segment or tile
 * boundary, a waiting parameter change takes effect, a waiting product mode switch makes this line
 * the first of the new mode, and a stop request stops acquisition. Whether the line is then
 * processed (commandAcquiring) is the caller's.
 */
export function commandBeforeLine(counter: u32): void {
  if (!paramPending && !stopPending && !modePending) return;
  if (!acquiring || atProductBoundary()) {
    if (paramPending) {
      paramPending = false;
      const s = applyCandidate();
      if (s == OK) { hk.hkInc(hk.HK_PARAM_CHANGES); eventRaise(EV_PARAM_APPLIED, OK, hk.hkGet(hk.HK_PARAM_CHANGES)); }
      else { hk.hkSetLastStatus(s); eventRaise(EV_TC_FAILED, s, hk.hkGet(hk.HK_PUS_FAILED)); }
    }
    if (modePending) applyModeSwitch(counter);
    if (stopPending) {
      stopPending = false; acquiring = false;
      hk.hkSetState(hk.STATE_STOPPED);
      eventRaise(EV_ACQ_STOPPED, OK, hk.hkGet(hk.HK_LINES_ACCEPTED));
    }
  }
}

/**
 * The waiting product mode switch, at a boundary of the old mode (nothing of it is open: its last
 * unit or segment has left): the event (from, to, first line of the new mode) and the completion
 * report leave at once, and the housekeeping channel's partial frame is flushed, so that the
 * ground reads them before any packet of the new mode (README "Commanding the payload").
 */
function applyModeSwitch(counter: u32): void {
  modePending = false;
  const from = productMode();
  switchProductMode(modeTarget);
  eventRaiseAt(EV_MODE_CHANGED, OK, (<u32>from << 8) | <u32>modeTarget, counter);
  if ((modeAck & ACK_COMPLETION) != 0) { reportSetDestination(modeSource); reportVerification(7, modeId, modeSeq, OK); }
  flushSlot(dl.hkSlot);
}

/**
 * End of pass (flight.ts, before the last units and segments are closed): a product mode switch
 * still waiting for its boundary never takes effect; its request gets its completion failure
 * (E_PUS_MODE, found: the mode, expected: −2).
 */
export function commandEndPass(): void {
  if (!modePending) return;
  modePending = false;
  const s = setDetail(E_PUS_MODE, 0, modeTarget, -2, 0);
  hk.hkInc(hk.HK_PUS_FAILED);
  hk.hkSetLastStatus(s);
  reportSetDestination(modeSource);
  reportVerification(8, modeId, modeSeq, s);
  eventRaise(EV_TC_FAILED, s, hk.hkGet(hk.HK_PUS_FAILED));
}

/** After every line (processed or dropped): periodic housekeeping reports and anomaly events. */
export function commandAfterLine(): void {
  if (periodicOn && ++linesSinceReport >= periodLines) { linesSinceReport = 0; sendHkReport(HK_STRUCT_PAYLOAD); }
  const ov = hk.hkGet(hk.HK_FRAMES_OVERFLOW);
  if (ov != seenOverflow) { seenOverflow = ov; eventRaise(EV_FRAMES_OVERFLOWED, hk.hkLastStatus, ov); }
  const miss = hk.hkGet(hk.HK_LINES_MISSING);
  if (miss != seenMissing) { seenMissing = miss; eventRaise(EV_LINES_MISSING, OK, miss); }
}

// The packets of the frame being served: one at a time (commandStep), so that the caller drains
// the reports of each packet to the transmitter before the next runs.
let spanPtr: usize = 0;
let spanLen: i32 = 0;
let spanPos: i32 = 0;
let spanPackets: i32 = 0;

/**
 * One bus record of type 4: a TC transfer frame of len octets. Checks and authenticates it; its
 * packets then run one per commandStep(). Returns whether packets wait.
 */
export function commandFrame(ptr: usize, len: i32): bool {
  spanLen = 0; spanPos = 0; spanPackets = 0;
  let s = checkTcFrame(ptr, len, cfg.scid, cfg.tcVcid);
  if (s == OK) s = authenticate(ptr, len);
  if (s != OK) { refuse(s); return false; }
  return commandSpan(authDataPtr, authDataLen);
}

/**
 * The packets of an authenticated frame (len octets at ptr, between the security header and
 * trailer): they run one per commandStep(). Returns whether packets wait. Called by commandFrame
 * after SDLS; the service specs call it directly (SDLS has its own tests in tests/host/security).
 */
export function commandSpan(ptr: usize, len: i32): bool {
  spanLen = 0; spanPos = 0; spanPackets = 0;
  if (ptr == 0 || len <= 0) return false;
  spanPtr = ptr;
  spanLen = len;
  return true;
}

/** The next packet of the frame: parsed, checked, executed, answered. Returns whether more wait. */
export function commandStep(): bool {
  if (spanPos >= spanLen || spanPackets >= MAX_PACKETS_PER_FRAME) return false;
  spanPackets++;
  const s = parseTcPacket(spanPtr + <usize>spanPos, spanLen - spanPos, cfg.tcApid);
  spanPos += tcConsumed;
  if (s != OK) {
    refuse(s);
    if (tcHasRequestId) { reportSetDestination(0); reportVerification(2, tcPacketId, tcSeqControl, s); }
  } else handlePacket();
  return spanPos < spanLen && spanPackets < MAX_PACKETS_PER_FRAME;
}

function refuse(s: i32): void {
  hk.hkInc(hk.HK_PUS_REJECTED);
  hk.hkSetLastStatus(s);
  eventRaise(EV_TC_REFUSED, s, hk.hkGet(hk.HK_PUS_REJECTED));
}

/** The packet parsed by parseTcPacket: acceptance, execution and the ST[1] reports. */
function handlePacket(): void {
  const id = tcPacketId, seq = tcSeqControl, ack = tcAck;
  reportSetDestination(tcSource);
  refusedAtAcceptance = false;
  completionDeferred = false;
  // Acceptance (ECSS-E-ST-70-41C §6.1.4.1): the service, subtype and data are checked by the
  // dispatch before anything is done; a refusal there has had no effect.
  const s = dispatch(tcService, tcSubtype, tcAppPtr, tcAppLen, ack, id, seq);
  if (refusedAtAcceptance) {
    refuse(s);
    reportVerification(2, id, seq, s);
    return;
  }
  if (s != OK) {
    hk.hkInc(hk.HK_PUS_FAILED);
    hk.hkSetLastStatus(s);
    reportVerification(8, id, seq, s);
    eventRaise(EV_TC_FAILED, s, hk.hkGet(hk.HK_PUS_FAILED));
    return;
  }
  if ((ack & ACK_COMPLETION) != 0 && !completionDeferred) reportVerification(7, id, seq, OK);
}

/** A refusal at acceptance: nothing of the request was done. */
function notAccepted(status: i32): i32 { refusedAtAcceptance = true; return status; }

/** Acceptance success: counted, and reported when the request asked for it. */
function accepted(ack: u32, id: u32, seq: u32): void {
  hk.hkInc(hk.HK_PUS_ACCEPTED);
  if ((ack & ACK_ACCEPTANCE) != 0) reportVerification(1, id, seq, OK);
}

function dispatch(service: u32, subtype: u32, a: usize, n: i32, ack: u32, id: u32, seq: u32): i32 {
  if (service == 17) {                                       // §6.17 test
    if (subtype != 1) return notAccepted(setDetail(E_PUS_SUBTYPE, 0, <i32>subtype, 1, 0));
    if (n != 0) return notAccepted(setDetail(E_PUS_DATA, 0, n, 0, 0));
    accepted(ack, id, seq);
    reportSend(17, 2, 0);
    return OK;
  }
  if (service == 3) return housekeeping(subtype, a, n, ack, id, seq);
  if (service == 5) return events(subtype, a, n, ack, id, seq);
  if (service == 8) return functions(subtype, a, n, ack, id, seq);
  if (service == 20) return parameters(subtype, a, n, ack, id, seq);
  if (service == 6) return memory(subtype, a, n, ack, id, seq);
  return notAccepted(setDetail(E_PUS_SERVICE, 0, <i32>service, 0, 0));
}

// ---- ST[3] housekeeping (§6.3) ------------------------------------------------------------
// 27: N u8, N × structure id u16 → one [3,25] each (structure id u16, the housekeeping data)
// 5 / 6: N u8, N × structure id u16: periodic reports on / off
// 31: N u8, N × (structure id u16, period u32 in lines accepted, ≥ 1)

function sendHkReport(sid: u32): void {
  refreshHousekeeping();
  const d = reportData();
  storeU16BE(d, sid);
  hk.packHousekeeping(d + 2);
  reportSend(3, 25, 2 + hk.HK_DATA_LEN);
}

/** Checks "N u8, N × (id u16, extra octets)": N ≥ 1 and the length exact. Returns N or a status. */
function countedList(a: usize, n: i32, itemLen: i32, maxItems: i32): i32 {
  if (n < 1) return setDetail(E_PUS_DATA, 0, n, 1, 0);
  const count = <i32>load<u8>(a);
  if (count < 1 || count > maxItems) return setDetail(E_PUS_DATA, 0, count, maxItems, 0);
  if (n != 1 + count * itemLen) return setDetail(E_PUS_DATA, 0, n, 1 + count * itemLen, 0);
  return count;
}

function housekeeping(subtype: u32, a: usize, n: i32, ack: u32, id: u32, seq: u32): i32 {
  if (subtype != 27 && subtype != 5 && subtype != 6 && subtype != 31) return notAccepted(setDetail(E_PUS_SUBTYPE, 0, <i32>subtype, 27, 0));
  const itemLen = subtype == 31 ? 6 : 2;
  const count = countedList(a, n, itemLen, 8);               // at most 8 reports per request: the output buffer's margin
  if (count < 0) return notAccepted(count);
  for (let i = 0; i < count; i++) {
    const p = a + 1 + <usize>(i * itemLen);
    if (loadU16BE(p) != HK_STRUCT_PAYLOAD) return notAccepted(setDetail(E_PUS_HK_STRUCT, 0, <i32>loadU16BE(p), <i32>HK_STRUCT_PAYLOAD, 0));
    if (subtype == 31 && loadU32BE(p + 2) == 0) return notAccepted(setDetail(E_PUS_DATA, 0, 0, 1, 0));
  }
  accepted(ack, id, seq);
  for (let i = 0; i < count; i++) {
    const p = a + 1 + <usize>(i * itemLen);
    if (subtype == 27) sendHkReport(loadU16BE(p));
    else if (subtype == 5) { periodicOn = true; linesSinceReport = 0; }
    else if (subtype == 6) periodicOn = false;
    else { periodLines = loadU32BE(p + 2); linesSinceReport = 0; }
  }
  return OK;
}

// ---- ST[5] event reporting (§6.5) ----------------------------------------------------------
// 5 / 6: N u8, N × event definition id u16: enable / disable

function events(subtype: u32, a: usize, n: i32, ack: u32, id: u32, seq: u32): i32 {
  if (subtype != 5 && subtype != 6) return notAccepted(setDetail(E_PUS_SUBTYPE, 0, <i32>subtype, 5, 0));
  const count = countedList(a, n, 2, 32);
  if (count < 0) return notAccepted(count);
  for (let i = 0; i < count; i++) {                         // every id is checked before any changes
    const ev = <i32>loadU16BE(a + 1 + <usize>(2 * i));
    if (!eventKnown(ev)) return notAccepted(setDetail(E_PUS_EVENT, 0, ev, 0, 0));
  }
  accepted(ack, id, seq);
  for (let i = 0; i < count; i++) eventSetEnabled(<i32>loadU16BE(a + 1 + <usize>(2 * i)), subtype == 5);
  return OK;
}

// ---- ST[8] function management (§6.8) ------------------------------------------------------
// 1: function id u16, then its arguments:
//   1 start acquisition, 2 stop acquisition (at the next unit or tile boundary), 3 set product
//   mode (u8: 0 raw, 1 CCSDS 121, 2 CCSDS 123; at the next unit or segment boundary, completion
//   reported then), 4 flush (partial frames leave now, padded),
//   5 reboot into the uploaded image, 6 upload start (u32 total octets), 7 upload end (SHA-256, 32 octets)

function functions(subtype: u32, a: usize, n: i32, ack: u32, id: u32, seq: u32): i32 {
  if (subtype != 1) return notAccepted(setDetail(E_PUS_SUBTYPE, 0, <i32>subtype, 1, 0));
  if (n < 2) return notAccepted(setDetail(E_PUS_DATA, 0, n, 2, 0));
  const fn = loadU16BE(a);
  const args = n - 2;
  const want = fn == FN_SET_PRODUCT_MODE ? 1 : fn == FN_UPLOAD_START ? 4 : fn == FN_UPLOAD_END ? 32 : 0;
  if (fn < FN_START_ACQUISITION || fn > FN_UPLOAD_END) return notAccepted(setDetail(E_PUS_FUNCTION, 0, <i32>fn, <i32>FN_UPLOAD_END, 0));
  if (args != want) return notAccepted(setDetail(E_PUS_DATA, 0, args, want, 0));
  if (fn == FN_SET_PRODUCT_MODE && load<u8>(a + 2) > 2) return notAccepted(setDetail(E_PUS_DATA, 2, <i32>load<u8>(a + 2), 2, 2));
  accepted(ack, id, seq);
  if (fn == FN_START_ACQUISITION) {
    stopPending = false;
    if (!acquiring) { acquiring = true; hk.hkSetState(hk.STATE_ACQUIRING); eventRaise(EV_ACQ_STARTED, OK, hk.hkGet(hk.HK_LINES_ACCEPTED)); }
    return OK;
  }
  if (fn == FN_STOP_ACQUISITION) { if (acquiring) stopPending = true; return OK; }
  if (fn == FN_SET_PRODUCT_MODE) {
    // Only a mode of the table's `modes` has its buffers, carved at boot; one switch at a time.
    const mode = <i32>load<u8>(a + 2);
    if (!productModeAllowed(mode)) return setDetail(E_PUS_MODE, 0, mode, cfg.modes, 0);
    if (modePending) return setDetail(E_PUS_MODE, 0, mode, -1, 0);
    if (mode == productMode()) return OK;                   // already in force: complete now, no event
    modePending = true; modeTarget = mode;
    modeAck = ack; modeId = id; modeSeq = seq; modeSource = tcSource;
    completionDeferred = true;
    return OK;
  }
  if (fn == FN_FLUSH) { flushSlot(dl.imageSlot); flushSlot(dl.hkSlot); return OK; }
  if (fn == FN_REBOOT_TO_UPLOADED) return updateRebootToUploaded();
  if (fn == FN_UPLOAD_START) return updateStart(loadU32BE(a + 2));
  return updateEnd(a + 2);
}

// ---- ST[20] on-board parameter management (§6.20) ------------------------------------------
// 1: N u8, N × parameter id u16 → [20,2]: N u8, N × (id u16, value i32)
// 3: N u8, N × (id u16, value i32): checked whole as a configuration table, then in force from
//    the next unit or tile boundary (an ST[5] event says when); completion = checked and scheduled.

function parameters(subtype: u32, a: usize, n: i32, ack: u32, id: u32, seq: u32): i32 {
  if (subtype != 1 && subtype != 3) return notAccepted(setDetail(E_PUS_SUBTYPE, 0, <i32>subtype, 1, 0));
  const itemLen = subtype == 1 ? 2 : 6;
  const count = countedList(a, n, itemLen, MAX_PARAMS);
  if (count < 0) return notAccepted(count);
  for (let i = 0; i < count; i++) {
    const pid = loadU16BE(a + 1 + <usize>(i * itemLen));
    const at = paramOffset(cfg, pid);
    if (at < 0) return notAccepted(at);
  }
  accepted(ack, id, seq);
  const len = tableLen();
  // The base: the change already waiting, else the table in force.
  const base = paramPending ? candidatePtr() : tablePtr();
  if (subtype == 1) {
    const d = reportData();
    store<u8>(d, <u8>count);
    for (let i = 0; i < count; i++) {
      const pid = loadU16BE(a + 1 + <usize>(2 * i));
      storeU16BE(d + 1 + <usize>(6 * i), pid);
      storeU32BE(d + 3 + <usize>(6 * i), <u32>paramRead(base, paramOffset(cfg, pid), paramWidth(pid)));
    }
    reportSend(20, 2, 1 + 6 * count);
    return OK;
  }
  const work = workPtr();
  copyBytes(work, base, <usize>len);
  for (let i = 0; i < count; i++) {
    const p = a + 1 + <usize>(6 * i);
    const pid = loadU16BE(p);
    const s = paramWrite(work, paramOffset(cfg, pid), paramWidth(pid), <i32>loadU32BE(p + 2));
    if (s != OK) return s;
  }
  storeU16BE(work + <usize>(len - 2), crc16(work, <usize>(len - 2), 0xFFFF));
  const s = candidateCheck(work);                            // the very check of a configuration table
  if (s != OK) return s;
  copyBytes(candidatePtr(), work, <usize>len);
  paramPending = true;
  return OK;
}

// ---- ST[6] memory management (§6.6) ---------------------------------------------------------
// 2: memory id u8 (3 upload), offset u32, length u16, then the octets → the upload seam
// 9: memory id u8 (1 configuration, 2 code), start u32, length u32 (0: to the end) →
//    [6,10]: memory id u8, start u32, length u32, checksum type u8 (1 CRC-32, 2 SHA-256), checksum

function memory(subtype: u32, a: usize, n: i32, ack: u32, id: u32, seq: u32): i32 {
  if (subtype != 2 && subtype != 9) return notAccepted(setDetail(E_PUS_SUBTYPE, 0, <i32>subtype, 9, 0));
  if (subtype == 2) {
    if (n < 7) return notAccepted(setDetail(E_PUS_DATA, 0, n, 7, 0));
    if (<u32>load<u8>(a) != MEM_UPLOAD) return notAccepted(setDetail(E_PUS_MEMORY_ID, 0, <i32>load<u8>(a), <i32>MEM_UPLOAD, 0));
    const segLen = <i32>loadU16BE(a + 5);
    if (n != 7 + segLen) return notAccepted(setDetail(E_PUS_DATA, 0, n, 7 + segLen, 0));
    accepted(ack, id, seq);
    return updateSegment(loadU32BE(a + 1), a + 7, segLen);
  }
  if (n != 9) return notAccepted(setDetail(E_PUS_DATA, 0, n, 9, 0));
  const mem = <u32>load<u8>(a);
  const start = loadU32BE(a + 1);
  let length = loadU32BE(a + 5);
  if (mem != MEM_CONFIGURATION && mem != MEM_CODE) return notAccepted(setDetail(E_PUS_MEMORY_ID, 0, <i32>mem, <i32>MEM_CODE, 0));
  if (mem == MEM_CONFIGURATION) {
    const len = <u32>tableLen();
    if (length == 0 && start <= len) length = len - start;
    if (start > len || length > len - start) return notAccepted(setDetail(E_PUS_DATA, 1, <i32>start, <i32>len, 1));
  }
  accepted(ack, id, seq);
  const d = reportData();
  store<u8>(d, <u8>mem);
  storeU32BE(d + 1, start);
  storeU32BE(d + 5, length);
  if (mem == MEM_CONFIGURATION) {
    store<u8>(d + 9, <u8>CHECKSUM_CRC32);
    store<u8>(d + 10, 4);
    storeU32BE(d + 11, crc32(tablePtr() + <usize>start, <i32>length));
    reportSend(6, 10, 15);
    return OK;
  }
  const s = codeDigest(d + 11);                              // SHA-256 of the running slot's module (assembly/security/upload.ts imageDigest)
  if (s != OK) return s;
  store<u8>(d + 9, <u8>CHECKSUM_SHA256);
  store<u8>(d + 10, 32);
  reportSend(6, 10, 11 + 32);
  return OK;
}
