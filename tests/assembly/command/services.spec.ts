// The payload's telecommand path in the flight code: TC frame checks, the PUS-C packet parser and
// the services, on a pipeline configured from a hand-built table (CCSDS 121, one band), with
// hostile input that passes its CRCs: wrong lengths inside, unknown services, out-of-range and
// table-inconsistent parameter values. Reports are read back from the packet buffer.
import { configure, cfg, checkLine, processLine, tablePtr, tableLen, outputDrained, dropLine, productMode, configCheck, configMemoryNeeded, endPassStep } from "../../../assembly/payload/pipeline";
import { dl } from "../../../assembly/payload/downlink";
import * as hk from "../../../assembly/payload/housekeeping";
import { commandFrame, commandSpan, commandStep, commandConfigure, commandBeforeLine, commandAfterLine, commandAcquiring, commandParamPending, commandBusRejected, commandEndPass, commandStartPending, commandStopPending, commandDeferredCount, commandModePending } from "../../../assembly/command/services";
import { crc32 } from "../../../assembly/command/crc32";
import { reportMessageCounter } from "../../../assembly/command/reports";
import { deferredPush, deferredCount, deferredReset, MAX_DEFERRED } from "../../../assembly/command/deferred";
import { eventRaise, eventAcquisition, eventSetEnabled, EV_ACQ_STOPPED, EV_TC_REFUSED } from "../../../assembly/command/events";
import { checkTcFrame } from "../../../assembly/command/tc-frame";
import { parseTcPacket, tcConsumed, tcService, tcSubtype, tcAppLen } from "../../../assembly/command/tc-packet";
import { CONFIG_FIXED_LEN, CODEC_BLOCK_LEN, SCREEN_FIXED_LEN, HYPER_BLOCK_LEN, CONFIG_VERSION } from "../../../assembly/abi/config-table";
import { COMMANDING_LEN, PANCHROMATIC_LEN, codecBlockAt, commandingBlockAt, ccsds123BlockAt, OFF_AEC_RSI, OFF_AEC_FLAGS, OFF_AEC_BLOCK_SIZE, OFF_MODES, OFF_RAM_BYTES } from "../../../assembly/abi/contract";
import { crc16 } from "../../../assembly/util/crc16";
import { storeU16BE, storeU32BE, loadU16BE, loadU32BE } from "../../../assembly/util/be";
import { E_TC_AUTH, E_TC_FRAME, E_FLASH_NONE, E_UPL_STATE } from "../../../assembly/abi/status";
import { E_CFG_NO_MEMORY } from "../../../assembly/abi/status";
import { OK, E_PUS_FRAME, E_PUS_SHORT, E_PUS_APID, E_PUS_VERSION, E_PUS_CRC, E_PUS_SERVICE, E_PUS_SUBTYPE, E_PUS_DATA, E_PUS_PARAM_ID, E_PUS_FUNCTION, E_PUS_MODE, E_CFG_BAD_VALUE, E_PUS_LENGTH, E_PUS_TYPE, E_PUS_HK_STRUCT, E_PUS_EVENT, E_PUS_MEMORY_ID, E_PUS_DEFERRED } from "../../../assembly/abi/status";

const BANDS = 1;
const PIXELS = 16;
const SCID: u32 = 171;
const LEN = CONFIG_FIXED_LEN + 2 * BANDS + CODEC_BLOCK_LEN + SCREEN_FIXED_LEN + 12 * BANDS + HYPER_BLOCK_LEN + COMMANDING_LEN + PANCHROMATIC_LEN + 2;
const CB: i32 = codecBlockAt(BANDS);

// The CCSDS 123 parameter words of this line (16 pixels × 16 lines × 1 band, 12 bits): what the
// host's compiler writes for it (host/obc/config-table.ts hyperOptions).
const HYPER_WORDS: i32[] = [16, 16, 1, 12, 0, 0, 1, 1, 0, 3, 0, 0, 32, 13, 6, -1, 3, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 18, 6, 1, 7, 0, 0, 0, 16, 4096, 0, 0, 0, 0, -1, 0, 0, 0];

/**
 * The table: CCSDS 121 at boot unless `coder` says otherwise; `modes` the commanding block's
 * allowed product modes (0: the boot mode only). The CCSDS 123 words are filled when the table
 * may run CCSDS 123.
 */
function table(modes: i32 = 0, coder: i32 = 1, ram: u32 = 8388608): usize {
  const t = heap.alloc(<usize>LEN);
  for (let i = 0; i < LEN; i++) store<u8>(t + <usize>i, 0);
  storeU16BE(t, <u32>CONFIG_VERSION); storeU16BE(t + 2, LEN); storeU16BE(t + 4, SCID);
  store<u8>(t + 6, 0); store<u8>(t + 7, 1);                         // TM, FECF
  storeU16BE(t + 8, 223); store<u8>(t + 10, 16); store<u8>(t + 11, 1);
  store<u8>(t + 12, 1); store<u8>(t + 13, 0); store<u8>(t + 14, 7); store<u8>(t + 15, BANDS);
  storeU16BE(t + 16, PIXELS); store<u8>(t + 18, 12); store<u8>(t + 19, <u8>coder); // CCSDS 121 unless told
  storeU16BE(t + 20, 16); storeU16BE(t + 22, 0);
  storeU32BE(t + 24, 1024); storeU32BE(t + <usize>OFF_RAM_BYTES, ram); storeU32BE(t + 32, 1000000);
  storeU16BE(t + 44, 1024); storeU16BE(t + 46, 4);
  storeU16BE(t + <usize>CONFIG_FIXED_LEN, 32);
  store<u8>(t + <usize>CB, <u8>coder); store<u8>(t + <usize>(CB + 1), 16); store<u8>(t + <usize>(CB + 2), 8);
  storeU16BE(t + <usize>(CB + 4), 128); storeU16BE(t + <usize>(CB + 6), 16); storeU16BE(t + <usize>(CB + 8), 0);
  const cm = commandingBlockAt(BANDS);
  storeU16BE(t + <usize>cm, 192); storeU16BE(t + <usize>(cm + 2), 193); store<u8>(t + <usize>(cm + 4), 1);
  store<u8>(t + <usize>(cm + OFF_MODES), <u8>modes);
  if (coder == 2 || (modes & 4) != 0) {
    const hb = t + <usize>ccsds123BlockAt(BANDS);
    for (let i = 0; i < HYPER_WORDS.length; i++) storeU32BE(hb + <usize>(4 * i), <u32>HYPER_WORDS[i]);
  }
  storeU16BE(t + <usize>(LEN - 2), crc16(t, <usize>(LEN - 2), 0xFFFF));
  return t;
}

function boot(modes: i32 = 0, coder: i32 = 1): void {
  for (let i = 0; i < hk.HK_COUNTERS; i++) hk.hkSet(i, 0);   // a fresh image: counters from 0
  expect<i32>(configure(table(modes, coder), LEN)).toBe(OK);
  commandConfigure();
  outputDrained();
  // The ST[5] events of refusals and failures follow the ST[1] reports: off, so that the last
  // report is the verification report the tests read.
  store<u8>(app, 2); storeU16BE(app + 1, 3); storeU16BE(app + 3, 4);
  tcPacket(5, 6, app, 5, 0); tcFrame(); send();
  for (let i = 0; i < hk.HK_COUNTERS; i++) hk.hkSet(i, 0);
}

// ---- building TC packets and frames (README layouts) ----------------------------------------
const pkt = heap.alloc(1100);
let pktLen = 0;
let seqCount: u32 = 0;
/** A TC packet with a valid PEC: apid, PUS version, ack, service, subtype, app data from `app`. */
function tcPacket(service: u32, subtype: u32, app: usize, appLen: i32, ack: u32 = 9, apid: u32 = 192, pusVersion: u32 = 2): void {
  const total = 6 + 5 + appLen + 2;
  storeU16BE(pkt, (1 << 12) | (1 << 11) | apid);
  storeU16BE(pkt + 2, (3 << 14) | (seqCount++ & 0x3FFF));
  storeU16BE(pkt + 4, <u32>(total - 7));
  store<u8>(pkt + 6, <u8>((pusVersion << 4) | ack));
  store<u8>(pkt + 7, <u8>service); store<u8>(pkt + 8, <u8>subtype); storeU16BE(pkt + 9, 0);
  for (let i = 0; i < appLen; i++) store<u8>(pkt + 11 + <usize>i, load<u8>(app + <usize>i));
  storeU16BE(pkt + <usize>(total - 2), crc16(pkt, <usize>(total - 2), 0xFFFF));
  pktLen = total;
}
const frame = heap.alloc(1100);
let frameLen = 0;
/** A frame holding `copies` copies of the packet: header, SPI/ARSN, packets, 16 zero octets of MAC, FECF. */
function tcFrame(copies: i32 = 1, vcid: u32 = 1, ctrl: u32 = 0, lenDelta: i32 = 0, fecfXor: u32 = 0): void {
  const len = 5 + 6 + copies * pktLen + 16 + 2;
  storeU16BE(frame, (ctrl << 12) | SCID);
  storeU16BE(frame + 2, (vcid << 10) | <u32>((len - 1 + lenDelta) & 0x3FF));
  store<u8>(frame + 4, 0);
  storeU16BE(frame + 5, 1); storeU32BE(frame + 7, 77);
  for (let c = 0; c < copies; c++) for (let i = 0; i < pktLen; i++) store<u8>(frame + 11 + <usize>(c * pktLen + i), load<u8>(pkt + <usize>i));
  for (let i = 0; i < 16; i++) store<u8>(frame + <usize>(11 + copies * pktLen + i), 0);
  storeU16BE(frame + <usize>(len - 2), crc16(frame, <usize>(len - 2), 0xFFFF) ^ fecfXor);
  frameLen = len;
}
/**
 * One frame on the bus. A frame whose header and FECF pass goes to the services as SDLS would hand
 * it over once its MAC verified (commandSpan: the packets between security header and trailer);
 * SDLS itself is tested in tests/host/security with a key store. Other frames go through
 * commandFrame, which refuses them.
 */
function send(): void {
  const spanLen = frameLen - 5 - 6 - 16 - 2;
  let more = checkTcFrame(frame, frameLen, SCID, 1) == OK && spanLen > 0 ? commandSpan(frame + 11, spanLen) : commandFrame(frame, frameLen);
  outputDrained();
  for (let k = 0; k < 256 && more; k++) { more = commandStep(); outputDrained(); }
}
const app = heap.alloc(512);
function u8s(a: i32, b: i32 = -1, c: i32 = -1, d: i32 = -1, e: i32 = -1, f: i32 = -1, g: i32 = -1): i32 {
  const v = [a, b, c, d, e, f, g];
  let n = 0;
  for (let i = 0; i < 7; i++) if (v[i] >= 0) store<u8>(app + <usize>(n++), <u8>v[i]);
  return n;
}
/** ST[20,3] one parameter: N=1, id u16, value i32. */
function setParam(id: u32, value: i32): void {
  store<u8>(app, 1); storeU16BE(app + 1, id); storeU32BE(app + 3, <u32>value);
  tcPacket(20, 3, app, 7, 9); tcFrame(); send();
}

// ---- reading reports: the last packet built is in the packet buffer ----------------------------
function lastService(): u32 { return <u32>load<u8>(dl.packPtr + 7); }
function lastSubtype(): u32 { return <u32>load<u8>(dl.packPtr + 8); }
function lastApid(): u32 { return loadU16BE(dl.packPtr) & 0x7FF; }
function lastData(): usize { return dl.packPtr + 20; }
/** The message type counter of the next report (the image's own: image packets also pass through the packet buffer). */
function reportCounter(): u32 { return reportMessageCounter(); }
/** ST[1] failure code of the last report (a failure report). */
function lastFailure(): i32 { return <i32>loadU32BE(lastData() + 4); }
function lastFailureField(): i32 { return <i32>loadU32BE(lastData() + 8); }
function lastFailureFound(): i32 { return <i32>loadU32BE(lastData() + 12); }

// ---- lines -------------------------------------------------------------------------------------
const line = heap.alloc(18 + 2 * PIXELS * BANDS);
let lineCounter: u32 = 0;
function feedLine(): void { feedLineStart(); feedLineEnd(); }
/** A line up to the command hook (ST[20]/ST[8] effects at the boundary), its reports still in the packet buffer. */
function feedLineStart(): void {
  storeU32BE(line, lineCounter); storeU32BE(line + 4, 2000000000 + lineCounter); storeU32BE(line + 8, 0);
  storeU16BE(line + 12, BANDS); storeU16BE(line + 14, PIXELS); store<u8>(line + 16, 12); store<u8>(line + 17, 0);
  for (let i = 0; i < PIXELS * BANDS; i++) storeU16BE(line + 18 + <usize>(2 * i), <u32>((i * 37 + lineCounter * 11) & 0xFFF));
  lineCounter++;
  expect<i32>(checkLine(line, 18 + 2 * PIXELS * BANDS)).toBe(OK);
  commandBeforeLine(loadU32BE(line));
}
function feedLineEnd(): void {
  if (commandAcquiring()) processLine(line); else dropLine(line);
  commandAfterLine();
  outputDrained();
}

describe("TC transfer frame checks (232.0-B-4 §4.1)", () => {
  it("[355.0-B-2 §3.4.2.4] a well-formed frame the image cannot authenticate (no key store, a zero MAC) is refused with E_TC_AUTH, counted, and its packets never run", () => {
    boot();
    tcPacket(17, 1, 0, 0);
    tcFrame();
    expect<i32>(checkTcFrame(frame, frameLen, SCID, 1)).toBe(OK);
    const acc = hk.hkGet(hk.HK_PUS_ACCEPTED);
    expect<bool>(commandFrame(frame, frameLen)).toBe(false);
    expect<bool>(commandStep()).toBe(false);
    outputDrained();
    expect<i32>(hk.hkLastStatus).toBe(E_TC_AUTH);
    expect<u32>(hk.hkGet(hk.HK_PUS_REJECTED)).toBe(1);
    expect<u32>(hk.hkGet(hk.HK_PUS_ACCEPTED)).toBe(acc);
  });

  it("[232.0-B-4 §4.1.2] a frame with a bad FECF, another VCID, the control command flag or a wrong length field is refused, counted, and none of its packets runs", () => {
    boot();
    tcPacket(17, 1, 0, 0);
    const acc = hk.hkGet(hk.HK_PUS_ACCEPTED);
    tcFrame(1, 1, 0, 0, 1); send();
    tcFrame(1, 5); send();
    tcFrame(1, 1, 1); send();
    tcFrame(1, 1, 0, 3); send();
    expect<u32>(hk.hkGet(hk.HK_PUS_REJECTED)).toBe(4);
    expect<u32>(hk.hkGet(hk.HK_PUS_ACCEPTED)).toBe(acc);
    expect<i32>(hk.hkLastStatus).toBe(E_PUS_FRAME);
    tcFrame(); expect<i32>(checkTcFrame(frame, frameLen, SCID, 1)).toBe(OK);
    expect<i32>(checkTcFrame(frame, frameLen, SCID + 1, 1)).toBe(E_PUS_FRAME);
    expect<i32>(checkTcFrame(frame, 1, SCID, 1)).toBe(E_PUS_FRAME);
    expect<i32>(checkTcFrame(frame, 2000, SCID, 1)).toBe(E_PUS_FRAME);
  });

  it("[355.0-B-2 §4.1] a frame too short for the security header and trailer is refused before any packet", () => {
    boot();
    storeU16BE(frame, SCID); storeU16BE(frame + 2, (1 << 10) | 19); store<u8>(frame + 4, 0);
    for (let i = 5; i < 18; i++) store<u8>(frame + <usize>i, 0);
    storeU16BE(frame + 18, crc16(frame, 18, 0xFFFF));
    frameLen = 20; send();
    expect<u32>(hk.hkGet(hk.HK_PUS_REJECTED)).toBe(1);
    expect<i32>(hk.hkLastStatus).toBe(E_TC_FRAME);          // SDLS ProcessSecurity: no room for header, packet and MAC
  });
});

describe("PUS-C packet checks (ECSS-E-ST-70-41C §7.4.4.1)", () => {
  it("[ECSS-E-ST-70-41C §7.4.4.1] the parser: headers, PEC, the span; wrong APID, PUS version, type and PEC each refused with its status", () => {
    boot();
    tcPacket(17, 1, 0, 0);
    expect<i32>(parseTcPacket(pkt, pktLen, 192)).toBe(OK);
    expect<i32>(tcConsumed).toBe(pktLen);
    expect<u32>(tcService).toBe(17); expect<u32>(tcSubtype).toBe(1); expect<i32>(tcAppLen).toBe(0);
    expect<i32>(parseTcPacket(pkt, pktLen, 193)).toBe(E_PUS_APID);
    expect<i32>(parseTcPacket(pkt, pktLen - 1, 192)).toBe(E_PUS_SHORT);
    expect<i32>(parseTcPacket(pkt, 3, 192)).toBe(E_PUS_SHORT);
    tcPacket(17, 1, 0, 0, 9, 192, 1);
    expect<i32>(parseTcPacket(pkt, pktLen, 192)).toBe(E_PUS_VERSION);
    tcPacket(17, 1, 0, 0);
    store<u8>(pkt + 8, 2);                                   // a changed octet: the PEC no longer matches
    expect<i32>(parseTcPacket(pkt, pktLen, 192)).toBe(E_PUS_CRC);
    tcPacket(17, 1, 0, 0);
    storeU16BE(pkt, (0 << 12) | (1 << 11) | 192);           // a TM packet on the TC path
    expect<i32>(parseTcPacket(pkt, pktLen, 192)).toBe(E_PUS_TYPE);
    // A packet whose length field claims 3 octets of data field: shorter than the PUS headers.
    storeU16BE(pkt, (1 << 12) | (1 << 11) | 192); storeU16BE(pkt + 4, 2);
    expect<i32>(parseTcPacket(pkt, pktLen, 192)).toBe(E_PUS_LENGTH);
  });

  it("[ECSS-E-ST-70-41C §6.1.4] a packet whose length field runs past the frame gets an acceptance failure with its request id; the packets before it run", () => {
    boot();
    tcPacket(17, 1, 0, 0, 0);
    storeU16BE(pkt + 4, 200);                                // claims more octets than the frame holds
    tcFrame(); send();
    expect<u32>(lastService()).toBe(1); expect<u32>(lastSubtype()).toBe(2);
    expect<i32>(lastFailure()).toBe(E_PUS_SHORT);
    expect<u32>(lastApid()).toBe(193);                       // the report APID of the table
    expect<u32>(hk.hkGet(hk.HK_PUS_REJECTED)).toBe(1);
  });

  it("[ECSS-E-ST-70-41C §6.1] 60 packets in one frame: each accepted and executed once, reports on the report APID", () => {
    boot();
    tcPacket(17, 1, 0, 0, 0);
    tcFrame(60); send();
    expect<u32>(hk.hkGet(hk.HK_PUS_ACCEPTED)).toBe(60);
    expect<u32>(lastService()).toBe(17); expect<u32>(lastSubtype()).toBe(2);
  });
});

describe("services", () => {
  it("[ECSS-E-ST-70-41C §6.1.4] unknown service, unknown subtype, wrong application data length: acceptance failures with the status, nothing done", () => {
    boot();
    tcPacket(99, 1, 0, 0); tcFrame(); send();
    expect<i32>(lastFailure()).toBe(E_PUS_SERVICE); expect<u32>(lastSubtype()).toBe(2);
    tcPacket(17, 5, 0, 0); tcFrame(); send();
    expect<i32>(lastFailure()).toBe(E_PUS_SUBTYPE);
    tcPacket(3, 27, app, u8s(2, 0, 1)); tcFrame(); send();     // N = 2, one id
    expect<i32>(lastFailure()).toBe(E_PUS_DATA);
    tcPacket(17, 1, app, u8s(0)); tcFrame(); send();           // are-you-alive with data
    expect<i32>(lastFailure()).toBe(E_PUS_DATA);
    tcPacket(8, 1, app, u8s(0, 99)); tcFrame(); send();
    expect<i32>(lastFailure()).toBe(E_PUS_FUNCTION);
    tcPacket(8, 1, app, u8s(0, 3)); tcFrame(); send();        // set mode without its argument
    expect<i32>(lastFailure()).toBe(E_PUS_DATA);
    expect<u32>(hk.hkGet(hk.HK_PUS_REJECTED)).toBe(6);
    expect<u32>(hk.hkGet(hk.HK_PUS_ACCEPTED)).toBe(0);
    expect<u32>(hk.hkGet(hk.HK_PUS_FAILED)).toBe(0);
  });

  it("[ECSS-E-ST-70-41C §6.20] a parameter out of range, one inconsistent with the table, one too wide for its field: completion failures naming the field; nothing changes", () => {
    boot();
    setParam((2 << 8) | OFF_AEC_RSI, 5000);
    expect<u32>(lastSubtype()).toBe(8);
    expect<i32>(lastFailure()).toBe(E_CFG_BAD_VALUE);
    expect<i32>(lastFailureField()).toBe(CB + OFF_AEC_RSI);
    expect<i32>(lastFailureFound()).toBe(5000);
    setParam((2 << 8) | OFF_AEC_FLAGS, 16);                    // restricted code options with 12-bit samples
    expect<i32>(lastFailure()).toBe(E_CFG_BAD_VALUE);
    expect<i32>(lastFailureField()).toBe(CB + OFF_AEC_FLAGS);
    setParam((2 << 8) | OFF_AEC_BLOCK_SIZE, 12);                // J not in {8, 16, 32, 64}
    expect<i32>(lastFailure()).toBe(E_CFG_BAD_VALUE);
    setParam((2 << 8) | OFF_AEC_RSI, 70000);                    // does not fit u16
    expect<i32>(lastFailure()).toBe(E_CFG_BAD_VALUE);
    setParam((3 << 8) | 24, 100);                               // screening threshold without screening
    expect<i32>(lastFailure()).toBe(E_PUS_PARAM_ID);
    expect<u32>(lastSubtype()).toBe(2);
    expect<bool>(commandParamPending()).toBe(false);
    expect<i32>(cfg.aecRsi).toBe(128);
    expect<u32>(hk.hkGet(hk.HK_PUS_FAILED)).toBe(4);
  });

  it("[ECSS-E-ST-70-41C §6.20] [tengri §commanding] a valid change waits for the unit boundary: the open unit keeps its RSI, the next starts with the new one; ST[20,1] reports the value", () => {
    boot();
    for (let i = 0; i < 5; i++) feedLine();
    setParam((2 << 8) | OFF_AEC_RSI, 64);
    expect<u32>(lastSubtype()).toBe(1);                          // accepted; completion waits for the boundary
    expect<bool>(commandParamPending()).toBe(true);
    store<u8>(app, 1); storeU16BE(app + 1, (2 << 8) | OFF_AEC_RSI);
    tcPacket(20, 1, app, 3, 0); tcFrame(); send();
    expect<u32>(lastService()).toBe(20); expect<u32>(lastSubtype()).toBe(2);
    expect<u32>(loadU32BE(lastData() + 3)).toBe(64);
    for (let i = 5; i < 16; i++) { feedLine(); expect<i32>(cfg.aecRsi).toBe(128); }
    const c0 = reportCounter();
    feedLineStart();                                           // line 16 starts the next unit
    expect<i32>(cfg.aecRsi).toBe(64);
    expect<u32>(reportCounter()).toBe((c0 + 2) & 0xFFFF);       // event 6, then the ST[1,7] completion
    expect<u32>(lastService()).toBe(1); expect<u32>(lastSubtype()).toBe(7);
    feedLineEnd();
    expect<u32>(hk.hkGet(hk.HK_PARAM_CHANGES)).toBe(1);
    expect<bool>(commandParamPending()).toBe(false);
  });

  it("[ECSS-E-ST-70-41C §6.8] stop takes effect at the unit boundary, then lines are counted and dropped; start resumes; set mode to a mode not carved fails; upload start without a flash fails with E_FLASH_NONE", () => {
    boot();
    lineCounter = 1000;
    for (let i = 0; i < 3; i++) feedLine();
    tcPacket(8, 1, app, u8s(0, 2)); tcFrame(); send();
    for (let i = 3; i < 16; i++) feedLine();
    expect<bool>(commandAcquiring()).toBe(true);
    const accepted = hk.hkGet(hk.HK_LINES_ACCEPTED);
    for (let i = 0; i < 4; i++) feedLine();
    expect<bool>(commandAcquiring()).toBe(false);
    expect<u32>(hk.hkGet(hk.HK_LINES_DROPPED_STOPPED)).toBe(4);
    expect<u32>(hk.hkGet(hk.HK_LINES_ACCEPTED)).toBe(accepted);
    tcPacket(8, 1, app, u8s(0, 1)); tcFrame(); send();
    for (let i = 0; i < 12; i++) feedLine();                  // start waits for the grid: lines 1020 … 1031 dropped
    expect<u32>(hk.hkGet(hk.HK_LINES_ACCEPTED)).toBe(accepted);
    feedLine();                                                // 1032 = 1000 + 2 × 16 starts a unit row
    expect<u32>(hk.hkGet(hk.HK_LINES_ACCEPTED)).toBe(accepted + 1);
    expect<u32>(hk.hkGet(hk.HK_LINES_MISSING)).toBe(0);
    tcPacket(8, 1, app, u8s(0, 3, 2)); tcFrame(); send();
    expect<i32>(lastFailure()).toBe(E_PUS_MODE); expect<u32>(lastSubtype()).toBe(8);
    tcPacket(8, 1, app, u8s(0, 3, 1)); tcFrame(); send();
    expect<u32>(lastSubtype()).toBe(7);
    tcPacket(8, 1, app, u8s(0, 6, 0, 0, 16, 0)); tcFrame(); send();
    expect<i32>(lastFailure()).toBe(E_FLASH_NONE);
  });

  it("[ECSS-E-ST-70-41C §6.6] the memory check of the configuration is the CRC-32 of the table in force (check value of \"123456789\": 0xCBF43926)", () => {
    const s = heap.alloc(9);
    for (let i = 0; i < 9; i++) store<u8>(s + <usize>i, <u8>(0x31 + i));
    expect<u32>(crc32(s, 9)).toBe(0xCBF43926);
    boot();
    store<u8>(app, 1); storeU32BE(app + 1, 0); storeU32BE(app + 5, 0);
    tcPacket(6, 9, app, 9, 0); tcFrame(); send();
    expect<u32>(lastService()).toBe(6); expect<u32>(lastSubtype()).toBe(10);
    expect<u32>(loadU32BE(lastData() + 5)).toBe(<u32>tableLen());
    expect<u32>(loadU32BE(lastData() + 11)).toBe(crc32(tablePtr(), tableLen()));
    storeU32BE(app + 1, 10); storeU32BE(app + 5, <u32>tableLen());   // past the end
    tcPacket(6, 9, app, 9, 0); tcFrame(); send();
    expect<i32>(lastFailure()).toBe(E_PUS_DATA);
  });

  it("[ECSS-E-ST-70-41C §6.3, §6.5, §6.6] periodic housekeeping every N lines, its period, events on and off, the upload and code-check requests refused without a flash (E_FLASH_NONE) or out of sequence (E_UPL_STATE), unknown ids refused", () => {
    boot();
    store<u8>(app, 1); storeU16BE(app + 1, 1); storeU32BE(app + 3, 3);
    tcPacket(3, 31, app, 7, 0); tcFrame(); send();            // period 3 lines
    tcPacket(3, 5, app, 3, 0); tcFrame(); send();             // periodic on
    const before = loadU16BE(dl.packPtr + 9);               // message type counter of the last report
    feedLine(); feedLine();
    expect<u32>(loadU16BE(dl.packPtr + 9)).toBe(before);
    feedLine();
    expect<u32>(lastService()).toBe(3); expect<u32>(lastSubtype()).toBe(25);
    expect<u32>(loadU16BE(lastData())).toBe(1);
    expect<u32>(loadU32BE(lastData() + 2 + 16)).toBe(3);     // linesAccepted in the housekeeping data
    tcPacket(3, 6, app, 3, 0); tcFrame(); send();             // periodic off
    const after = loadU16BE(dl.packPtr + 9);
    for (let i = 0; i < 4; i++) feedLine();
    expect<u32>(loadU16BE(dl.packPtr + 9)).toBe(after);
    store<u8>(app, 1); storeU16BE(app + 1, 2);                 // structure 2 does not exist
    tcPacket(3, 27, app, 3, 0); tcFrame(); send();
    expect<i32>(lastFailure()).toBe(E_PUS_HK_STRUCT);
    storeU16BE(app + 1, 1); storeU32BE(app + 3, 0);
    tcPacket(3, 31, app, 7, 0); tcFrame(); send();            // period 0
    expect<i32>(lastFailure()).toBe(E_PUS_DATA);
    store<u8>(app, 1); storeU16BE(app + 1, 77);
    tcPacket(5, 5, app, 3, 0); tcFrame(); send();
    expect<i32>(lastFailure()).toBe(E_PUS_EVENT);
    storeU16BE(app + 1, 1);
    tcPacket(5, 5, app, 3, 8); tcFrame(); send();             // bus-record-rejected on
    expect<u32>(lastSubtype()).toBe(7);
    commandBusRejected(-301, 1);
    expect<u32>(lastService()).toBe(5); expect<u32>(lastSubtype()).toBe(2);
    expect<u32>(loadU16BE(lastData())).toBe(1); expect<i32>(<i32>loadU32BE(lastData() + 2)).toBe(-301);
    tcPacket(5, 6, app, 3, 0); tcFrame(); send();
    tcPacket(5, 1, app, 3, 0); tcFrame(); send();
    expect<i32>(lastFailure()).toBe(E_PUS_SUBTYPE);
    store<u8>(app, 3); storeU32BE(app + 1, 0); storeU16BE(app + 5, 2); store<u8>(app + 7, 1); store<u8>(app + 8, 2);
    tcPacket(6, 2, app, 9, 0); tcFrame(); send();
    expect<i32>(lastFailure()).toBe(E_UPL_STATE);
    storeU16BE(app + 5, 3);                                   // says 3 octets, carries 2
    tcPacket(6, 2, app, 9, 0); tcFrame(); send();
    expect<i32>(lastFailure()).toBe(E_PUS_DATA);
    store<u8>(app, 9);
    tcPacket(6, 2, app, 9, 0); tcFrame(); send();
    expect<i32>(lastFailure()).toBe(E_PUS_MEMORY_ID);
    store<u8>(app, 2); storeU32BE(app + 1, 0); storeU32BE(app + 5, 0);
    tcPacket(6, 9, app, 9, 0); tcFrame(); send();
    expect<i32>(lastFailure()).toBe(E_FLASH_NONE);
    store<u8>(app, 7);
    tcPacket(6, 9, app, 9, 0); tcFrame(); send();
    expect<i32>(lastFailure()).toBe(E_PUS_MEMORY_ID);
    tcPacket(6, 5, app, 9, 0); tcFrame(); send();
    expect<i32>(lastFailure()).toBe(E_PUS_SUBTYPE);
    tcPacket(8, 1, app, u8s(0, 5)); tcFrame(); send();
    expect<i32>(lastFailure()).toBe(E_UPL_STATE);
    for (let i = 0; i < 34; i++) store<u8>(app + <usize>i, 0);
    storeU16BE(app, 7);
    tcPacket(8, 1, app, 34); tcFrame(); send();
    expect<i32>(lastFailure()).toBe(E_UPL_STATE);
    tcPacket(8, 1, app, u8s(0, 4), 8); tcFrame(); send();     // flush
    expect<u32>(lastSubtype()).toBe(7);
    tcPacket(8, 2, app, u8s(0, 4)); tcFrame(); send();
    expect<i32>(lastFailure()).toBe(E_PUS_SUBTYPE);
    tcPacket(20, 9, app, 3); tcFrame(); send();
    expect<i32>(lastFailure()).toBe(E_PUS_SUBTYPE);
    store<u8>(app, 1); storeU16BE(app + 1, 0x0999);
    tcPacket(20, 1, app, 3); tcFrame(); send();
    expect<i32>(lastFailure()).toBe(E_PUS_PARAM_ID);
  });

  it("[tengri §commanding] 300 frames of random packets with valid PECs never trap; every packet is accepted or refused", () => {
    boot();
    let x: u32 = 12345;
    for (let k = 0; k < 300; k++) {
      const n = <i32>(x % 24);
      for (let i = 0; i < n; i++) { x = x * 1103515245 + 12345; store<u8>(app + <usize>i, <u8>(x >> 16)); }
      x = x * 1103515245 + 12345;
      const services: u32[] = [1, 3, 5, 6, 8, 17, 20, 99];
      tcPacket(services[(x >> 8) % 8], (x >> 16) % 40, app, n, (x >> 4) & 15);
      tcFrame(1 + <i32>((x >> 24) % 3)); send();
    }
    expect<u32>(hk.hkGet(hk.HK_PUS_ACCEPTED) + hk.hkGet(hk.HK_PUS_REJECTED)).toBeGreaterThan(300);
  });
});

// ---- tengri §stop-verified (TGR-STOP-VERIFIED): the stop interval in events 7/8, ST[1,3] at acceptance, ST[1,7] at the boundary ----
/** ST[8,1] start (1) or stop (2) with the ack flags given. */
function fn(id: i32, ack: u32): void { tcPacket(8, 1, app, u8s(0, id), ack); tcFrame(); send(); }
function eventAt(): u32 { return loadU32BE(lastData() + 14); }
function eventCount(): u32 { return loadU32BE(lastData() + 6); }
function eventId(): u32 { return loadU16BE(lastData()); }

describe("stop and start verified (tengri §stop-verified)", () => {
  it("[tengri §stop-verified] [ECSS-E-ST-70-41C §6.1.5, §6.8] stop: ST[1,3] when accepted, event 7 (18 octets: the counter of the first line stopped) then ST[1,7] only at the unit boundary; start: waits for the product grid, event 8 with the counter resumed and the lines dropped, then ST[1,7]", () => {
    boot();
    lineCounter = 5000;
    for (let i = 0; i < 5; i++) feedLine();                  // 5000 … 5004: the unit row 5000 … 5015 is open
    fn(2, 0xB);                                                // acceptance, start, completion asked
    expect<u32>(lastService()).toBe(1); expect<u32>(lastSubtype()).toBe(3);   // start of execution, no completion yet
    expect<bool>(commandStopPending()).toBe(true);
    expect<i32>(commandDeferredCount()).toBe(1);
    for (let i = 5; i < 16; i++) {
      const c = reportCounter();
      feedLineStart();
      expect<u32>(reportCounter()).toBe(c);                    // no report before the boundary
      feedLineEnd();
    }
    let c0 = reportCounter();
    feedLineStart();                                           // 5016: the boundary
    expect<u32>(reportCounter()).toBe((c0 + 2) & 0xFFFF);
    expect<u32>(lastService()).toBe(1); expect<u32>(lastSubtype()).toBe(7);
    feedLineEnd();
    expect<bool>(commandAcquiring()).toBe(false);
    expect<i32>(commandDeferredCount()).toBe(0);
    // The same, without the completion flag: the last report at the boundary is event 7 itself.
    boot();
    lineCounter = 7000;
    feedLine();
    fn(2, 0x3);
    for (let i = 1; i < 16; i++) feedLine();
    feedLineStart();                                           // 7016
    expect<u32>(lastService()).toBe(5); expect<u32>(lastSubtype()).toBe(1);
    expect<u32>(eventId()).toBe(7);
    expect<u32>(loadU16BE(dl.packPtr + 4) + 1).toBe(14 + 18 + 2);   // secondary header, 18 octets, PEC
    expect<u32>(eventAt()).toBe(7016);
    expect<u32>(loadU32BE(lastData() + 10)).toBe(7015);      // the last line accepted
    expect<u32>(eventCount()).toBe(0);                         // nothing dropped before
    feedLineEnd();
    for (let i = 0; i < 6; i++) feedLine();                  // 7017 … 7022 dropped
    fn(1, 0xB);
    expect<u32>(lastSubtype()).toBe(3);                        // start accepted, waits for the grid
    expect<bool>(commandStartPending()).toBe(true);
    for (let i = 0; i < 9; i++) { const c = reportCounter(); feedLine(); expect<u32>(reportCounter()).toBe(c); }   // 7023 … 7031 dropped
    expect<bool>(commandAcquiring()).toBe(false);
    c0 = reportCounter();
    feedLineStart();                                           // 7032 = 7000 + 2 × 16
    expect<bool>(commandAcquiring()).toBe(true);
    expect<u32>(reportCounter()).toBe((c0 + 2) & 0xFFFF);      // event 8, then ST[1,7]
    expect<u32>(lastSubtype()).toBe(7);
    feedLineEnd();
    expect<u32>(hk.hkGet(hk.HK_LINES_DROPPED_STOPPED)).toBe(7032 - 7016);
    // A second stop: event 7 counts the lines dropped so far; its start event counts only its own interval.
    fn(2, 0x1);
    for (let i = 0; i < 15; i++) feedLine();
    feedLineStart();                                           // 7048
    expect<u32>(eventId()).toBe(7); expect<u32>(eventAt()).toBe(7048); expect<u32>(eventCount()).toBe(16);
    feedLineEnd();
    fn(1, 0x1);
    for (let i = 0; i < 15; i++) feedLine();                 // 7049 … 7063
    feedLineStart();                                           // 7064
    expect<u32>(eventId()).toBe(8); expect<u32>(eventAt()).toBe(7064); expect<u32>(eventCount()).toBe(16);
    expect<u32>(lastSubtype()).toBe(1);                        // event severity: informative
    feedLineEnd();
  });

  it("[tengri §stop-verified] [ECSS-E-ST-70-41C §6.1.5] a start while a stop waits cancels it (ST[1,8] E_PUS_DEFERRED field 1) and completes now; a stop while a start waits likewise; start while running and stop while stopped complete at once", () => {
    boot();
    lineCounter = 100;
    feedLine();
    fn(2, 0x9);
    expect<u32>(lastSubtype()).toBe(1);
    fn(1, 0x9);                                                // cancels the stop
    expect<u32>(lastSubtype()).toBe(7);                        // the start: acquisition runs, complete now
    expect<bool>(commandStopPending()).toBe(false);
    expect<u32>(hk.hkGet(hk.HK_PUS_FAILED)).toBe(1);           // the stop's ST[1,8]
    for (let i = 0; i < 20; i++) feedLine();
    expect<bool>(commandAcquiring()).toBe(true);
    fn(1, 0x9);
    expect<u32>(lastSubtype()).toBe(7);                        // start while running
    fn(2, 0x9);
    for (let i = 0; i < 11; i++) feedLine();                 // 121 … 131: stop at 132? the row 116 … 131 closes
    feedLine();                                                // 132
    expect<bool>(commandAcquiring()).toBe(false);
    fn(2, 0x9);
    expect<u32>(lastSubtype()).toBe(7);                        // stop while stopped
    fn(1, 0x9);
    expect<u32>(lastSubtype()).toBe(1);
    const failed = hk.hkGet(hk.HK_PUS_FAILED);
    fn(2, 0x9);                                                // cancels the start
    expect<u32>(lastSubtype()).toBe(7);
    expect<bool>(commandStartPending()).toBe(false);
    expect<u32>(hk.hkGet(hk.HK_PUS_FAILED)).toBe(failed + 1);
    for (let i = 0; i < 40; i++) feedLine();
    expect<bool>(commandAcquiring()).toBe(false);
  });

  it("[tengri §stop-verified] [ECSS-E-ST-70-41C §6.1.5] the cancelled request's failure report names E_PUS_DEFERRED; a fifth waiting request is refused at acceptance; at the end of pass a waiting stop takes effect, a waiting start or parameter change fails with field 2", () => {
    boot();
    lineCounter = 0;
    feedLine();
    fn(2, 0x9);
    tcPacket(8, 1, app, u8s(0, 1), 0); tcFrame();
    const spanLen = frameLen - 5 - 6 - 16 - 2;
    commandSpan(frame + 11, spanLen);
    commandStep();                                             // the start: the cancelled stop's ST[1,8] is the last report
    expect<u32>(lastSubtype()).toBe(8);
    expect<i32>(lastFailure()).toBe(E_PUS_DEFERRED);
    expect<i32>(lastFailureField()).toBe(1);
    outputDrained();
    // Four requests wait at most.
    for (let i = 0; i < 4; i++) { setParam((2 << 8) | OFF_AEC_RSI, 64 + i); expect<u32>(lastSubtype()).toBe(1); }
    expect<i32>(commandDeferredCount()).toBe(4);
    setParam((2 << 8) | OFF_AEC_RSI, 32);
    expect<u32>(lastSubtype()).toBe(2);
    expect<i32>(lastFailure()).toBe(E_PUS_DEFERRED);
    expect<i32>(lastFailureField()).toBe(3);
    fn(2, 0x9);
    expect<i32>(lastFailure()).toBe(E_PUS_DEFERRED);
    for (let i = 1; i < 16; i++) feedLine();
    feedLineStart();                                           // line 16: the four changes apply together, four ST[1,7]
    expect<i32>(cfg.aecRsi).toBe(67);
    expect<u32>(lastSubtype()).toBe(7);
    expect<i32>(commandDeferredCount()).toBe(0);
    feedLineEnd();
    // End of pass: a waiting stop takes effect at the end (event 7 at the counter after the last line).
    fn(2, 0x1);
    commandEndPass();
    expect<u32>(eventId()).toBe(7);
    expect<u32>(eventAt()).toBe(17);
    expect<bool>(commandAcquiring()).toBe(false);
    // A waiting start and parameter change: ST[1,8] E_PUS_DEFERRED, field 2.
    fn(1, 0x1);
    setParam((2 << 8) | OFF_AEC_RSI, 64);
    commandEndPass();
    expect<u32>(lastSubtype()).toBe(8);                        // the parameter change's failure (event 4 is off in these specs)
    expect<i32>(lastFailure()).toBe(E_PUS_DEFERRED);
    expect<i32>(lastFailureField()).toBe(2);
    expect<u32>(hk.hkGet(hk.HK_PUS_FAILED)).toBe(3);           // the cancelled stop, the start, the change (the refusals are not failures)
    expect<i32>(commandDeferredCount()).toBe(0);
  });

  it("[tengri §stop-verified] events 7 and 8 cannot be disabled (ST[5,6] refused, E_PUS_EVENT field 1) and are never rate-limited", () => {
    boot();
    store<u8>(app, 1); storeU16BE(app + 1, 7);
    tcPacket(5, 6, app, 3, 0); tcFrame(); send();
    expect<u32>(lastSubtype()).toBe(2);
    expect<i32>(lastFailure()).toBe(E_PUS_EVENT);
    expect<i32>(lastFailureField()).toBe(1);
    lineCounter = 0;
    feedLine();
    const c0 = reportCounter();
    for (let k = 0; k < 12; k++) {                             // twelve stops, each reported (the rate rule would stop at 8)
      fn(2, 0);
      for (let i = 0; i < 40 && commandAcquiring(); i++) feedLine();
      expect<bool>(commandAcquiring()).toBe(false);
      fn(1, 0);
      for (let i = 0; i < 40 && !commandAcquiring(); i++) feedLine();
      expect<bool>(commandAcquiring()).toBe(true);
    }
    expect<u32>(reportCounter()).toBe((c0 + 24) & 0xFFFF);     // events 7 and 8, twelve times each
  });

  it("[tengri §stop-verified] the deferred queue refuses a fifth entry by itself; events 7 and 8 leave only through eventAcquisition, every occurrence, and ST[5,6] cannot turn them off", () => {
    boot();
    deferredReset();
    for (let i = 0; i < MAX_DEFERRED; i++) expect<bool>(deferredPush(1, 0, 0, 0, 0)).toBe(true);
    expect<bool>(deferredPush(1, 0, 0, 0, 0)).toBe(false);
    expect<i32>(deferredCount()).toBe(MAX_DEFERRED);
    deferredReset();
    const c0 = reportCounter();
    eventRaise(EV_ACQ_STOPPED, OK, 1);                        // not through the rate-limited path
    eventAcquisition(EV_TC_REFUSED, 1, 2);                    // not an interval event
    expect<u32>(reportCounter()).toBe(c0);
    expect<i32>(eventSetEnabled(EV_ACQ_STOPPED, false)).toBe(E_PUS_EVENT);
    expect<i32>(eventSetEnabled(EV_ACQ_STOPPED, true)).toBe(OK);
    for (let k = 0; k < 1500; k++) eventAcquisition(EV_ACQ_STOPPED, 0, <u32>k);
    expect<u32>(reportCounter()).toBe((c0 + 1500) & 0xFFFF);
    expect<u32>(eventAt()).toBe(1499);
  });
});

// ---- ST[8] function 3: the product mode in flight (README "Commanding the payload") ------------
/** ST[8,1] set product mode `mode` with acknowledgement flags `ack`. */
function setMode(mode: i32, ack: u32 = 9): void { tcPacket(8, 1, app, u8s(0, 3, mode), ack); tcFrame(); send(); }
/** The request id's sequence count of the last ST[1] report. */
function lastRequestSeq(): u32 { return loadU16BE(lastData() + 2) & 0x3FFF; }
/** The last packet's data field octet i (after its 6-octet primary header): image and unit packets' secondary headers. */
function lastPacketData(i: i32): usize { return dl.packPtr + 6 + <usize>i; }

describe("product mode (ST[8] function 3)", () => {
  it("[tengri §mode] 121 → 123 → raw in flight: each switch waits for the open unit or segment to finish and leave; the next line is the first of the new mode; event 16 names from, to and that line; housekeeping follows", () => {
    boot(7);
    expect<i32>(productMode()).toBe(1);
    expect<u8>(hk.hkProductMode).toBe(1);
    lineCounter = 500;
    for (let i = 0; i < 5; i++) feedLine();
    setMode(2, 1);                                               // acceptance only: the event is the last report
    expect<u32>(lastService()).toBe(1); expect<u32>(lastSubtype()).toBe(1);
    expect<bool>(commandModePending()).toBe(true);
    for (let i = 5; i < 16; i++) { feedLine(); expect<i32>(productMode()).toBe(1); }
    // Line 515 closed the unit of lines 500..515 in CCSDS 121: its last packet left with the unit header.
    expect<u8>(load<u8>(lastPacketData(17))).toBe(1);            // coder 1
    expect<u32>(loadU32BE(lastPacketData(7))).toBe(500);         // first line
    expect<u32>(loadU16BE(lastPacketData(11))).toBe(16);         // 16 lines, the whole unit
    feedLine();                                                  // line 516: the first in CCSDS 123
    expect<i32>(productMode()).toBe(2);
    expect<u8>(hk.hkProductMode).toBe(2);
    expect<bool>(commandModePending()).toBe(false);
    expect<u32>(lastService()).toBe(5); expect<u32>(lastSubtype()).toBe(1);
    expect<u32>(loadU16BE(lastData())).toBe(16);                 // EV_MODE_CHANGED
    expect<u32>(loadU32BE(lastData() + 6)).toBe((1 << 8) | 2);   // from 1 to 2
    expect<u32>(loadU32BE(lastData() + 10)).toBe(516);           // the first line of the new mode
    setMode(0, 9);                                               // completion reported when it takes effect
    expect<u32>(lastSubtype()).toBe(1);                          // acceptance only, for now
    const modeSeq = lastRequestSeq();
    for (let i = 17; i < 32; i++) { feedLine(); expect<i32>(productMode()).toBe(2); }
    // Line 531 closed the segment of lines 516..531 in CCSDS 123.
    expect<u8>(load<u8>(lastPacketData(17))).toBe(2);            // coder 2
    expect<u32>(loadU32BE(lastPacketData(7))).toBe(516);
    expect<u32>(loadU16BE(lastPacketData(11))).toBe(16);
    expect<u8>(load<u8>(dl.packPtr + 2) & 0x80).toBe(0x80);     // the segment's last packet: sequence flags last or unsegmented
    const completed = hk.hkGet(hk.HK_PUS_ACCEPTED);
    commandBeforeLine(532);                                      // the switch, seen before the line is coded
    expect<u32>(lastService()).toBe(1); expect<u32>(lastSubtype()).toBe(7);
    expect<u32>(lastRequestSeq()).toBe(modeSeq);                 // the completion of the set-mode request
    expect<i32>(productMode()).toBe(0);
    expect<u32>(hk.hkGet(hk.HK_PUS_ACCEPTED)).toBe(completed);
    lineCounter = 532; feedLine();                               // line 532 in raw mode: one image packet
    expect<u32>(lastApid()).toBe(32);
    expect<u32>(loadU32BE(lastPacketData(7))).toBe(532);         // the raw secondary header's line counter
    expect<u8>(load<u8>(lastPacketData(15))).toBe(12);           // bit depth
    expect<u32>(hk.hkGet(hk.HK_PUS_FAILED)).toBe(0);
    expect<bool>(endPassStep()).toBe(false);                     // raw: nothing open at the end
  });

  it("[tengri §mode] a mode outside the table's modes fails with E_PUS_MODE naming the mask; a second switch while one waits fails; the mode in force completes at once; an unknown mode is refused at acceptance", () => {
    boot();                                                      // modes 0: CCSDS 121 only
    setMode(2);
    expect<u32>(lastSubtype()).toBe(8); expect<i32>(lastFailure()).toBe(E_PUS_MODE);
    expect<i32>(lastFailureFound()).toBe(2);
    expect<i32>(<i32>loadU32BE(lastData() + 16)).toBe(2);        // expected: the modes mask (CCSDS 121 only)
    setMode(0);
    expect<i32>(lastFailure()).toBe(E_PUS_MODE);
    expect<bool>(commandModePending()).toBe(false);
    setMode(3);
    expect<u32>(lastSubtype()).toBe(2); expect<i32>(lastFailure()).toBe(E_PUS_DATA);
    boot(3);                                                     // raw and CCSDS 121
    lineCounter = 0;
    feedLine();
    setMode(1);
    expect<u32>(lastSubtype()).toBe(7);                          // already in force
    setMode(0);
    expect<bool>(commandModePending()).toBe(true);
    setMode(0);
    expect<u32>(lastSubtype()).toBe(8); expect<i32>(lastFailure()).toBe(E_PUS_MODE);
    expect<i32>(<i32>loadU32BE(lastData() + 16)).toBe(-1);       // one switch at a time
    setMode(2);
    expect<i32>(lastFailure()).toBe(E_PUS_MODE);                 // CCSDS 123 is not in this table's modes
    expect<u32>(hk.hkGet(hk.HK_PUS_FAILED)).toBe(2);
    for (let i = 1; i < 17; i++) feedLine();
    expect<i32>(productMode()).toBe(0);
  });

  it("[tengri §mode] every switch is reported, beyond the event rate rule's first 8 occurrences: the ground follows the product by them", () => {
    boot(3, 0);                                                  // raw at boot, CCSDS 121 allowed
    lineCounter = 0;
    for (let k = 0; k < 6; k++) {
      setMode(1, 1);
      feedLine();                                                // raw: at a boundary on every line
      expect<u32>(lastService()).toBe(5);
      expect<u32>(loadU32BE(lastData() + 6)).toBe(1);            // from 0 to 1
      expect<u32>(loadU32BE(lastData() + 10)).toBe(lineCounter - 1);
      for (let i = 1; i < 16; i++) feedLine();
      setMode(0, 1);
      feedLine();                                                // the unit closed on the line before
      expect<u32>(lastApid()).toBe(32);                          // the line's raw packet, after the event
      expect<i32>(productMode()).toBe(0);
    }
    commandBeforeLine(lineCounter);                              // nothing waiting: nothing happens
    expect<i32>(productMode()).toBe(0);
    setMode(1, 1);
    commandBeforeLine(lineCounter);                              // the 13th switch
    expect<u32>(lastService()).toBe(5); expect<u32>(loadU16BE(lastData())).toBe(16);
    expect<u32>(loadU32BE(lastData() + 10)).toBe(lineCounter);
  });

  it("[tengri §mode] a switch still waiting at the end of the pass never takes effect: its completion fails with E_PUS_DEFERRED (field 2: the pass ended first; found: kind 4, a mode switch); the open unit ends in the mode in force", () => {
    boot(7);
    lineCounter = 0;
    for (let i = 0; i < 3; i++) feedLine();
    setMode(0, 9);
    const q = lastRequestSeq();
    commandEndPass();
    expect<u32>(lastService()).toBe(1); expect<u32>(lastSubtype()).toBe(8);
    expect<u32>(lastRequestSeq()).toBe(q);
    expect<i32>(lastFailure()).toBe(E_PUS_DEFERRED);
    expect<i32>(lastFailureField()).toBe(2);
    expect<i32>(lastFailureFound()).toBe(4);
    expect<bool>(commandModePending()).toBe(false);
    expect<u32>(hk.hkGet(hk.HK_PUS_FAILED)).toBe(1);
    commandEndPass();                                            // nothing waits any more
    expect<u32>(hk.hkGet(hk.HK_PUS_FAILED)).toBe(1);
    expect<bool>(endPassStep()).toBe(true);                      // the open CCSDS 121 unit closes
    expect<u8>(load<u8>(lastPacketData(17))).toBe(1);
    expect<u32>(loadU16BE(lastPacketData(11))).toBe(3);
    expect<i32>(productMode()).toBe(1);
  });

  it("[tengri §mode] booted in CCSDS 123 with CCSDS 121 allowed, a CCSDS 121 option is settable (ST[20]) and in force when 121 is switched to; without 121 allowed it is refused", () => {
    boot(7, 2);
    lineCounter = 0;
    setParam((2 << 8) | OFF_AEC_RSI, 64);
    expect<u32>(lastSubtype()).toBe(1);                          // accepted; completion at the boundary
    feedLine();                                                  // at the segment boundary: applied
    expect<i32>(cfg.aecRsi).toBe(64);
    for (let i = 1; i < 16; i++) feedLine();
    setMode(1, 1);
    feedLine();
    expect<i32>(productMode()).toBe(1);
    expect<i32>(cfg.aecRsi).toBe(64);
    boot(5, 2);                                                  // raw and CCSDS 123 only
    setParam((2 << 8) | OFF_AEC_RSI, 64);
    expect<u32>(lastSubtype()).toBe(2); expect<i32>(lastFailure()).toBe(E_PUS_PARAM_ID);
  });

  it("[tengri §mode] a switch while acquisition is stopped takes effect on the next line; ST[20] leaves the mode in force alone", () => {
    boot(7);
    lineCounter = 0;
    for (let i = 0; i < 16; i++) feedLine();
    tcPacket(8, 1, app, u8s(0, 2)); tcFrame(); send();          // stop at the boundary
    feedLine();
    expect<bool>(commandAcquiring()).toBe(false);
    setMode(2, 1);
    feedLine();
    expect<i32>(productMode()).toBe(2);
    setParam((2 << 8) | OFF_AEC_RSI, 64);                        // a CCSDS 121 option, for when 121 is back
    feedLine();
    expect<i32>(cfg.aecRsi).toBe(64);
    expect<i32>(productMode()).toBe(2);
  });

  it("[tengri §mode] the buffers of every allowed mode are carved at boot: the need of modes {raw, 121, 123} is the same whatever the boot mode, holds each coder's stage, and a RAM that holds the boot mode but not every allowed one is refused", () => {
    expect<i32>(configCheck(table(0, 0), LEN)).toBe(OK);
    const raw = configMemoryNeeded();
    expect<i32>(configCheck(table(0, 1), LEN)).toBe(OK);
    const units = configMemoryNeeded() - raw;
    expect<i32>(configCheck(table(0, 2), LEN)).toBe(OK);
    const segments = configMemoryNeeded() - raw;
    expect<bool>(units > 0 && segments > 0).toBe(true);
    expect<i32>(configCheck(table(7, 1), LEN)).toBe(OK);
    const all = configMemoryNeeded();
    expect<bool>(all > raw + units && all > raw + segments).toBe(true);   // both stages (the output buffer is sized for the larger mode, not the sum)
    for (let coder = 0; coder < 3; coder++) { expect<i32>(configCheck(table(7, coder), LEN)).toBe(OK); expect<i64>(configMemoryNeeded()).toBe(all); }
    expect<i32>(configCheck(table(6, 1), LEN)).toBe(OK);
    expect<i64>(configMemoryNeeded()).toBe(all);                 // raw lines carve no stage of their own
    expect<i32>(configCheck(table(5, 0), LEN)).toBe(OK);
    expect<i64>(configMemoryNeeded()).toBe(raw + segments);
    // RAM for CCSDS 121 alone, not for CCSDS 123 besides.
    const ram = <u32>(65536 + raw + units);
    expect<i32>(configCheck(table(0, 1, ram), LEN)).toBe(OK);
    expect<i32>(configCheck(table(7, 1, ram), LEN)).toBe(E_CFG_NO_MEMORY);
  });
});
