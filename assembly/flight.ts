// The flight image: a WASI preview1 command.
//   stdin  = the payload bus (records: configuration table first, then lines, then end of pass)
//   stdout = the transmitter (a continuous stream of CADUs)
//   stderr = a human-readable event log
// Output depends only on input: time comes from the line time tags, never from a host clock.
// Memory: a boot buffer at start, every other buffer carved once when the configuration is
// accepted; nothing is allocated afterwards, so memory size stays constant for the pass.
import { fd_read, fd_write, proc_exit } from "bindings/wasi_snapshot_preview1";
import { scanRecord, recType, recPayloadPtr, recPayloadLen, recConsumed, REC_CONFIG, REC_LINE, REC_END, REC_TC, RECORD_HEADER_LEN, RECORD_CRC_LEN } from "./payload/bus-record";
import { configure, checkLine, processLine, endPassStep, sendHousekeeping, outputPtr, outputLen, outputDrained, maxRecordLen, cfg, setHeapUsed, inputPtr, inputCap, configMemoryNeeded, BOOT_BUF_LEN } from "./payload/pipeline";
import { heapTop } from "./payload/carve";
import { sdlsBoot } from "./security/sdls";
import { selfTest } from "./security/selftest";
import { trialBoot, confirmSelf } from "./security/upload";
import { rebootRequested } from "./command/update-seam";
import { commandConfigure, commandFrame, commandStep, commandBeforeLine, commandAfterLine, commandAcquiring, commandBusRejected, commandEndPass } from "./command/services";
import { dropLine } from "./payload/pipeline";
import * as hk from "./payload/housekeeping";
import { OK, E_NEED_INPUT, E_BUS_BAD_SYNC, E_BUS_BAD_CRC, E_BUS_BAD_LENGTH, E_BUS_BAD_TYPE, E_BUS_BAD_LINE, E_BUS_LINE_JUMP, E_BUS_TIME_JUMP, E_BUS_NO_CONFIG } from "./abi/status";
import { detailField, detailFound, detailExpected, controlBlock } from "./abi/control";
import { CONTROL_BLOCK_LEN } from "./abi/contract";
import { copyBytes, loadU32BE } from "./util/be";
import { MAX_CONFIG_TABLE_LEN } from "./abi/config-table";

// The last configuration refusal: the control block as it stood (contract.controlBlock layout),
// exported so that a host reads the image's own status, field, value and limit as data.
const refusalBlock = memory.data(CONTROL_BLOCK_LEN);
export function tengri_config_refusal(): usize { return refusalBlock; }

const EXIT_OK: u32 = 0;
const EXIT_IO: u32 = 3;
const EXIT_NO_CONFIG: u32 = 2;
/** Asked to reboot into the uploaded image (boot-request written): the bootloader takes over (host/boot). */
const EXIT_REBOOT: u32 = 72;
/** On trial and the start-up self-test failed: a failed boot for the bootloader. */
const EXIT_SELF_TEST: u32 = 73;
/** The largest legal configuration table (255 bands, every block, CRC included): its record fits the boot buffer. */
const MAX_CONFIG_PAYLOAD: i32 = MAX_CONFIG_TABLE_LEN;
const LOG_FIRST: u32 = 8;          // log the first N events of each kind, then every 1000th

// ---- I/O ------------------------------------------------------------------------------
const iov = memory.data(16);
const nio = memory.data(8);
const logBuf = memory.data(512);
let logLen: i32 = 0;

function writeAll(fd: u32, ptr: usize, len: i32): bool {
  let p = ptr, rest = len;
  let tries = 0;
  while (rest > 0) {                                   // bounded: each write makes progress or we stop
    store<u32>(iov, <u32>p); store<u32>(iov, <u32>rest, 4);
    const err = fd_write(fd, iov, 1, nio);
    const n = <i32>load<u32>(nio);
    if (err != 0) return false;
    if (n == 0) { if (++tries > 1000) return false; continue; }
    p += <usize>n; rest -= n;
  }
  return true;
}

function readSome(ptr: usize, cap: i32): i32 {
  store<u32>(iov, <u32>ptr); store<u32>(iov, <u32>cap, 4);
  const err = fd_read(0, iov, 1, nio);
  if (err != 0) return -1;
  return <i32>load<u32>(nio);
}

function logStr(s: string): void {
  const n = s.length;
  for (let i = 0; i < n && logLen < 500; i++) store<u8>(logBuf + <usize>(logLen++), <u8>s.charCodeAt(i));
}
function logInt(v: i64): void {
  const tmp = memory.data(24);
  let neg = v < 0;
  let u: u64 = neg ? <u64>(-v) : <u64>v;
  let k = 0;
  do { store<u8>(tmp + <usize>(k++), <u8>(48 + <i32>(u % 10))); u /= 10; } while (u != 0 && k < 22);
  if (neg && logLen < 500) store<u8>(logBuf + <usize>(logLen++), 45);
  while (k > 0 && logLen < 500) store<u8>(logBuf + <usize>(logLen++), load<u8>(tmp + <usize>(--k)));
}
function logEnd(): void {
  store<u8>(logBuf + <usize>(logLen++), 10);
  writeAll(2, logBuf, logLen);
  logLen = 0;
}
function logDetail(): void {
  logStr(" field="); logInt(detailField()); logStr(" found="); logInt(detailFound()); logStr(" expected="); logInt(detailExpected());
}

function shouldLog(count: u32): bool { return count <= LOG_FIRST || count % 1000 == 0; }

let configuredOnce = false;

function reject(status: i32, counter: i32, what: string): void {
  hk.hkInc(counter);
  hk.hkSetLastStatus(status);
  const n = hk.hkGet(counter);
  if (configuredOnce) commandBusRejected(status, n);       // ST[5] event (disabled at boot)
  if (shouldLog(n)) {
    logStr("tengri: reject "); logStr(what); logStr(" status="); logInt(status);
    if (status == E_BUS_BAD_LINE || status == E_BUS_LINE_JUMP || status == E_BUS_TIME_JUMP) logDetail();
    logStr(" (#"); logInt(n); logStr(")"); logEnd();
  }
}

function drainOutput(): bool {
  const n = outputLen();
  if (n == 0) return true;
  const ok = writeAll(1, outputPtr(), n);
  outputDrained();
  return ok;
}

// ---- main loop ------------------------------------------------------------------------
function main(): u32 {
  let buf = heap.alloc(<usize>BOOT_BUF_LEN);
  let cap = BOOT_BUF_LEN;
  let avail = 0;
  let configured = false;
  let maxPayload = MAX_CONFIG_PAYLOAD;
  let inSyncHunt = false;
  let ended = false;
  let eof = false;
  logStr("tengri: flight image booted; waiting for the configuration table"); logEnd();
  // Commanding's keys and anti-replay state from the flash directory (assembly/security/sdls.ts);
  // without them every telecommand is refused as unauthenticated, and the pass runs as before.
  // Start-up self-test (assembly/security/selftest.ts). An image on trial that fails it stops here:
  // the bootloader counts a failed trial boot and falls back to the previous slot.
  const selfOk = selfTest() == OK;
  const onTrial = trialBoot();
  if (!selfOk) {
    logStr("tengri: self-test FAILED: field="); logInt(detailField()); logEnd();
    if (onTrial) return EXIT_SELF_TEST;
  }
  if (onTrial) { logStr("tengri: running on trial: confirms itself after a good pass"); logEnd(); }
  const sec = sdlsBoot();
  if (sec == OK) { logStr("tengri: commanding: key store and anti-replay state loaded"); logEnd(); }
  else { logStr("tengri: commanding refused as unauthenticated (no key store: status "); logInt(sec); logStr(")"); logEnd(); }

  while (!ended) {                    // one iteration per read; ends at end-of-pass or EOF
    if (!eof && avail < cap) {
      const n = readSome(buf + <usize>avail, cap - avail);
      if (n < 0) { logStr("tengri: payload bus read error"); logEnd(); return EXIT_IO; }
      if (n == 0) eof = true;
      avail += n;
    }
    let pos = 0;
    while (true) {                    // bounded: each pass consumes octets or breaks
      if (configured && outputLen() > 0 && !drainOutput()) return EXIT_IO;   // ST[5] events of rejections
      const st = scanRecord(buf + <usize>pos, avail - pos, maxPayload);
      if (st == E_NEED_INPUT) {
        pos += recConsumed;
        // Before the configuration a record that is not one cannot be checked (it may not fit the
        // boot buffer, its CRC is unknown): reject it and hunt for the next sync word one octet on,
        // never trusting its length, so that a configuration record behind it is not lost.
        if (!configured && avail - pos >= RECORD_HEADER_LEN && load<u8>(buf + <usize>pos + 4) != <u8>REC_CONFIG) {
          reject(E_BUS_NO_CONFIG, hk.HK_REJ_NO_CONFIG, "record before configuration");
          pos += 1; inSyncHunt = true;
          hk.hkAdd(hk.HK_BYTES_SKIPPED, 1);
          continue;
        }
        break;
      }
      if (st < 0) {
        if (st == E_BUS_BAD_SYNC) { if (!inSyncHunt) reject(st, hk.HK_REJ_SYNC, "bad sync"); inSyncHunt = true; hk.hkAdd(hk.HK_BYTES_SKIPPED, <u32>recConsumed); }
        else if (st == E_BUS_BAD_CRC) reject(st, hk.HK_REJ_CRC, "bad CRC");
        else if (st == E_BUS_BAD_LENGTH) reject(st, hk.HK_REJ_LENGTH, "bad length");
        else reject(st, hk.HK_REJ_TYPE, "bad type or version");
        if (st != E_BUS_BAD_SYNC) hk.hkAdd(hk.HK_BYTES_SKIPPED, <u32>recConsumed);
        pos += recConsumed;
        continue;
      }
      inSyncHunt = false;
      pos += recConsumed;
      if (recType == REC_CONFIG) {
        if (configured) { reject(E_BUS_BAD_TYPE, hk.HK_REJ_TYPE, "second configuration (reconfiguration needs a reboot)"); continue; }
        const s = configure(recPayloadPtr, recPayloadLen);
        hk.hkSetConfigStatus(s);
        if (s != OK) {
          hk.hkSetLastStatus(s);
          copyBytes(refusalBlock, controlBlock, <usize>CONTROL_BLOCK_LEN);
          logStr("tengri: configuration table refused, status="); logInt(s); logDetail(); logEnd();
          continue;
        }
        configured = true; configuredOnce = true;
        commandConfigure();
        hk.hkInc(hk.HK_RECORDS_ACCEPTED);
        // Move what is left of the boot buffer into the line input buffer carved for the pass
        // (at least the boot buffer: it may already hold more than two line records).
        const nb = inputPtr();
        copyBytes(nb, buf + <usize>pos, <usize>(avail - pos));
        buf = nb; avail -= pos; pos = 0; cap = inputCap();
        maxPayload = maxRecordLen(cfg) - RECORD_HEADER_LEN - RECORD_CRC_LEN;
        const top = heapTop();                       // the bump pointer: every buffer of the pass is below it
        setHeapUsed(<u32>top);
        hk.hkSetState(hk.STATE_ACQUIRING);
        logStr("tengri: configuration accepted: "); logInt(cfg.bands); logStr(" bands x "); logInt(cfg.pixels);
        logStr(" pixels, "); logInt(cfg.bitDepth); logStr("-bit; frame "); logInt(cfg.frameLen); logStr(" octets; RS E="); logInt(cfg.rsE);
        logStr(" I="); logInt(cfg.rsDepth); logStr("; memory in use "); logInt(<i64>top); logStr(" of "); logInt(<i64>cfg.ramBytes); logStr(" bytes (need "); logInt(configMemoryNeeded()); logStr(")"); logEnd();
        sendHousekeeping();
        if (!drainOutput()) return EXIT_IO;
        continue;
      }
      if (!configured) { reject(E_BUS_NO_CONFIG, hk.HK_REJ_NO_CONFIG, "record before configuration"); continue; }
      if (recType == REC_LINE) {
        const s = checkLine(recPayloadPtr, recPayloadLen);
        if (s == OK) {
          hk.hkInc(hk.HK_RECORDS_ACCEPTED);
          commandBeforeLine(loadU32BE(recPayloadPtr));   // ST[20] changes, ST[8] stop and mode switch at a unit or tile boundary
          if (commandAcquiring()) processLine(recPayloadPtr);
          else dropLine(recPayloadPtr);              // acquisition stopped: counted and dropped
          commandAfterLine();
          if (!drainOutput()) return EXIT_IO;
        } else if (s == E_BUS_LINE_JUMP) reject(s, hk.HK_REJ_LINE_JUMP, "line counter jump");
        else if (s == E_BUS_TIME_JUMP) reject(s, hk.HK_REJ_TIME_JUMP, "time tag backwards");
        else reject(s, hk.HK_REJ_LINE, "line does not match the configuration");
        continue;
      }
      if (recType == REC_TC) {                       // one TC transfer frame: README "Commanding the payload"
        hk.hkInc(hk.HK_RECORDS_ACCEPTED);
        let more = commandFrame(recPayloadPtr, recPayloadLen);
        if (!drainOutput()) return EXIT_IO;
        for (let k = 0; k < 256 && more && !rebootRequested; k++) {     // bounded: a frame holds at most 128 packets
          more = commandStep();
          if (!drainOutput()) return EXIT_IO;      // each packet's reports leave before the next runs
        }
        if (rebootRequested) { ended = true; break; }     // end the pass as at end-of-pass, then exit 72
        continue;
      }
      if (recType == REC_END) { hk.hkInc(hk.HK_RECORDS_ACCEPTED); ended = true; break; }
    }
    // Compact: keep the unconsumed tail at the front.
    if (pos > 0) { copyBytes(buf, buf + <usize>pos, <usize>(avail - pos)); avail -= pos; }
    if (eof && !ended) {
      if (avail > 0) { hk.hkAdd(hk.HK_BYTES_SKIPPED, <u32>avail); logStr("tengri: payload bus ended inside a record; "); logInt(avail); logStr(" octets dropped"); logEnd(); }
      break;
    }
  }
  if (!configured) {
    logStr("tengri: no valid configuration table received; acquisition never started"); logEnd();
    return EXIT_NO_CONFIG;
  }
  commandEndPass();                                  // a product mode switch still waiting: its completion failure
  if (!drainOutput()) return EXIT_IO;
  for (let step = 0; step < 1 << 20; step++) {       // bounded: the delay line and one segment at most
    const more = endPassStep();
    if (!drainOutput()) return EXIT_IO;
    if (!more) break;
  }
  logStr("tengri: pass ended: lines "); logInt(hk.hkGet(hk.HK_LINES_ACCEPTED)); logStr(", CADUs "); logInt(hk.hkGet(hk.HK_CADUS));
  logStr(", idle frames "); logInt(hk.hkGet(hk.HK_IDLE_FRAMES)); logStr(", rejected ");
  let rej: u32 = 0;
  for (let i = hk.HK_REJ_SYNC; i <= hk.HK_REJ_NO_CONFIG; i++) rej += hk.hkGet(i);
  logInt(rej); logStr(ended ? "" : " (no end-of-pass record)"); logEnd();
  if (rebootRequested) { logStr("tengri: rebooting into the uploaded image (boot-request written)"); logEnd(); return EXIT_REBOOT; }
  // On trial, a good pass confirms the image: self-test passed, the pass ended with its end-of-pass
  // record, and no frame was lost to a full output buffer.
  if (onTrial && selfOk && ended && hk.hkGet(hk.HK_FRAMES_OVERFLOW) == 0) {
    const c = confirmSelf();
    logStr(c == OK ? "tengri: trial image confirmed itself (confirm written)" : "tengri: trial image could not confirm itself, status="); if (c != OK) logInt(c); logEnd();
  }
  return EXIT_OK;
}

const code = main();
if (code != EXIT_OK) proc_exit(code);
