// The flight image's side of the boot record (assembly/command/boot-record.ts): the bootloader's
// decision read, checked and published in housekeeping v3 (bootSlot .. bootOutcome at the
// contract's offsets) and as ST[5] events 9..15. Records are built here octet by octet from the
// layout in host/boot/README.md (the host's encoder is checked against the same layout in
// tests/host/boot/boot-record.test.ts); hostile records carry a correct CRC, so that each range
// check is what refuses them. Reports are read back from the packet buffer; the events that
// follow one under test are disabled (ST[5,6]) so that it is the last report built.
import { configure, outputDrained } from "../../../assembly/payload/pipeline";
import { dl } from "../../../assembly/payload/downlink";
import * as hk from "../../../assembly/payload/housekeeping";
import { commandConfigure } from "../../../assembly/command/services";
import { eventSetEnabled, EV_BOOTED, EV_BOOTED_TRIAL, EV_CONFIRMED, EV_FELL_BACK, EV_UPLOAD_ACCEPTED, EV_UPLOAD_REJECTED, EV_BOOT_RECORD_INVALID, EV_COUNT } from "../../../assembly/command/events";
import {
  bootRecordTake, bootRecordLoad, bootRecordCheck, bootRecordCheckFailed, bootEventsRaise, bootConfirmEvent, bootRecordReset, BOOT_RECORD_LEN,
  REC_OK, REC_SHORT, REC_MAGIC, REC_CRC, REC_FORMAT, REC_SLOT, REC_TRIAL_FLAG, REC_TRIAL_MAX, REC_ATTEMPT, REC_OUTCOME,
} from "../../../assembly/command/boot-record";
import { FILE_BOOT_RECORD } from "../../../assembly/security/flash";
import { CONFIG_FIXED_LEN, CODEC_BLOCK_LEN, SCREEN_FIXED_LEN, HYPER_BLOCK_LEN, CONFIG_VERSION } from "../../../assembly/abi/config-table";
import {
  COMMANDING_LEN, PANCHROMATIC_LEN, codecBlockAt, commandingBlockAt, HK_VERSION, HOUSEKEEPING_OFF_VERSION, HOUSEKEEPING_LEN,
  HOUSEKEEPING_OFF_BOOT_SLOT, HOUSEKEEPING_OFF_BOOT_VERSION, HOUSEKEEPING_OFF_BOOT_ON_TRIAL, HOUSEKEEPING_OFF_BOOT_TRIAL_ATTEMPT, HOUSEKEEPING_OFF_BOOT_TRIAL_MAX, HOUSEKEEPING_OFF_BOOT_COUNT, HOUSEKEEPING_OFF_BOOT_OUTCOME, HOUSEKEEPING_OFF_PRODUCT_MODE,
} from "../../../assembly/abi/contract";
import { detailStatus, detailField, detailFound, detailOffset } from "../../../assembly/abi/control";
import { crc16 } from "../../../assembly/util/crc16";
import { storeU16BE, storeU32BE, loadU16BE, loadU32BE } from "../../../assembly/util/be";
import { OK, E_BOOT_STATE, E_FLASH_NONE } from "../../../assembly/abi/status";

// ---- a pipeline configured from a hand-built table (CCSDS 121, one band), as services.spec.ts --
const BANDS = 1;
const LEN = CONFIG_FIXED_LEN + 2 * BANDS + CODEC_BLOCK_LEN + SCREEN_FIXED_LEN + 12 * BANDS + HYPER_BLOCK_LEN + COMMANDING_LEN + PANCHROMATIC_LEN + 2;
function table(): usize {
  const t = heap.alloc(<usize>LEN);
  const CB = codecBlockAt(BANDS);
  for (let i = 0; i < LEN; i++) store<u8>(t + <usize>i, 0);
  storeU16BE(t, <u32>CONFIG_VERSION); storeU16BE(t + 2, LEN); storeU16BE(t + 4, 171);
  store<u8>(t + 6, 0); store<u8>(t + 7, 1);
  storeU16BE(t + 8, 223); store<u8>(t + 10, 16); store<u8>(t + 11, 1);
  store<u8>(t + 12, 1); store<u8>(t + 13, 0); store<u8>(t + 14, 7); store<u8>(t + 15, BANDS);
  storeU16BE(t + 16, 16); store<u8>(t + 18, 12); store<u8>(t + 19, 1);
  storeU16BE(t + 20, 16); storeU16BE(t + 22, 0);
  storeU32BE(t + 24, 1024); storeU32BE(t + 28, 8388608); storeU32BE(t + 32, 1000000);
  storeU16BE(t + 44, 1024); storeU16BE(t + 46, 4);
  storeU16BE(t + <usize>CONFIG_FIXED_LEN, 32);
  store<u8>(t + <usize>CB, 1); store<u8>(t + <usize>(CB + 1), 16); store<u8>(t + <usize>(CB + 2), 8);
  storeU16BE(t + <usize>(CB + 4), 128); storeU16BE(t + <usize>(CB + 6), 16); storeU16BE(t + <usize>(CB + 8), 0);
  const cm = commandingBlockAt(BANDS);
  storeU16BE(t + <usize>cm, 192); storeU16BE(t + <usize>(cm + 2), 193); store<u8>(t + <usize>(cm + 4), 1);
  storeU16BE(t + <usize>(LEN - 2), crc16(t, <usize>(LEN - 2), 0xFFFF));
  return t;
}
let configured = false;
function configured_(): void {
  if (!configured) { expect<i32>(configure(table(), LEN)).toBe(OK); configured = true; }
  commandConfigure();                 // every event definition to its boot state
  outputDrained();
}

// ---- reading reports ----------------------------------------------------------------------------
function lastService(): u32 { return <u32>load<u8>(dl.packPtr + 7); }
function lastSubtype(): u32 { return <u32>load<u8>(dl.packPtr + 8); }
function lastCounter(): u32 { return loadU16BE(dl.packPtr + 9); }
function lastData(): usize { return dl.packPtr + 20; }
function lastEventId(): u32 { return loadU16BE(lastData()); }
function lastEventStatus(): i32 { return <i32>loadU32BE(lastData() + 2); }
function lastEventCount(): u32 { return loadU32BE(lastData() + 6); }

// ---- boot records (host/boot/README.md "boot-record.bin") ---------------------------------------
const REC = heap.alloc(32);
function record(slot: u8, onTrial: u8, attempt: u8, max: u8, prev: u8, prevDetail: u8, version: u32, count: u32): usize {
  for (let i = 0; i < 32; i++) store<u8>(REC + <usize>i, 0);
  store<u8>(REC, 0x54); store<u8>(REC + 1, 0x47); store<u8>(REC + 2, 0x42); store<u8>(REC + 3, 0x52);   // "TGBR"
  store<u8>(REC + 4, 1);
  store<u8>(REC + 5, slot); store<u8>(REC + 6, onTrial); store<u8>(REC + 7, attempt); store<u8>(REC + 8, max);
  store<u8>(REC + 9, prev); store<u8>(REC + 10, prevDetail); store<u8>(REC + 11, 0);
  storeU32BE(REC + 12, version); storeU32BE(REC + 16, count);
  return seal();
}
/** The CRC over octets 0..21 made right again (a hostile record that passes its CRC). */
function seal(): usize { storeU16BE(REC + 22, crc16(REC, 22, 0xFFFF)); return REC; }

const HKBUF = heap.alloc(256);
function hkAt(off: i32): usize { return HKBUF + <usize>(off - HOUSEKEEPING_OFF_VERSION); }
function packed(): void { hk.packHousekeeping(HKBUF); }
function expectUnknown(): void {
  packed();
  expect<u8>(load<u8>(hkAt(HOUSEKEEPING_OFF_BOOT_SLOT))).toBe(0xFF);
  expect<u32>(loadU32BE(hkAt(HOUSEKEEPING_OFF_BOOT_VERSION))).toBe(0xFFFFFFFF);
  expect<u8>(load<u8>(hkAt(HOUSEKEEPING_OFF_BOOT_ON_TRIAL))).toBe(0xFF);
  expect<u8>(load<u8>(hkAt(HOUSEKEEPING_OFF_BOOT_TRIAL_ATTEMPT))).toBe(0xFF);
  expect<u8>(load<u8>(hkAt(HOUSEKEEPING_OFF_BOOT_TRIAL_MAX))).toBe(0xFF);
  expect<u32>(loadU32BE(hkAt(HOUSEKEEPING_OFF_BOOT_COUNT))).toBe(0xFFFFFFFF);
  expect<u8>(load<u8>(hkAt(HOUSEKEEPING_OFF_BOOT_OUTCOME))).toBe(0xFF);
}

describe("boot record → housekeeping v3 and events 9..15", () => {
  it("[tengri §boot-events] housekeeping is version 3 with the boot fields at the pre-assigned offsets 167..179, then productMode at 180 (181 octets)", () => {
    expect<u8>(HK_VERSION).toBe(3);
    expect<i32>(HOUSEKEEPING_OFF_BOOT_SLOT).toBe(167);
    expect<i32>(HOUSEKEEPING_OFF_BOOT_VERSION).toBe(168);
    expect<i32>(HOUSEKEEPING_OFF_BOOT_ON_TRIAL).toBe(172);
    expect<i32>(HOUSEKEEPING_OFF_BOOT_TRIAL_ATTEMPT).toBe(173);
    expect<i32>(HOUSEKEEPING_OFF_BOOT_TRIAL_MAX).toBe(174);
    expect<i32>(HOUSEKEEPING_OFF_BOOT_COUNT).toBe(175);
    expect<i32>(HOUSEKEEPING_OFF_BOOT_OUTCOME).toBe(179);
    expect<i32>(HOUSEKEEPING_OFF_PRODUCT_MODE).toBe(180);
    expect<i32>(HOUSEKEEPING_LEN).toBe(181);
    expect<i32>(EV_COUNT).toBe(16);                            // 16: the product mode change
    expect<i32>(hk.HK_DATA_LEN).toBe(181 - 7);
  });

  it("[tengri §boot-events] a normal boot: slot, version, count and outcome in housekeeping; event 9 (informative) with the previous outcome and the boot count", () => {
    configured_();
    expect<i32>(bootRecordTake(record(1, 0, 0, 3, 1, 2, 7, 42), BOOT_RECORD_LEN)).toBe(OK);
    packed();
    expect<u8>(load<u8>(HKBUF)).toBe(3);
    expect<u8>(load<u8>(hkAt(HOUSEKEEPING_OFF_BOOT_SLOT))).toBe(1);
    expect<u32>(loadU32BE(hkAt(HOUSEKEEPING_OFF_BOOT_VERSION))).toBe(7);
    expect<u8>(load<u8>(hkAt(HOUSEKEEPING_OFF_BOOT_ON_TRIAL))).toBe(0);
    expect<u8>(load<u8>(hkAt(HOUSEKEEPING_OFF_BOOT_TRIAL_ATTEMPT))).toBe(0);
    expect<u8>(load<u8>(hkAt(HOUSEKEEPING_OFF_BOOT_TRIAL_MAX))).toBe(3);
    expect<u32>(loadU32BE(hkAt(HOUSEKEEPING_OFF_BOOT_COUNT))).toBe(42);
    expect<u8>(load<u8>(hkAt(HOUSEKEEPING_OFF_BOOT_OUTCOME))).toBe(1);     // confirmed
    bootConfirmEvent(OK);                                                    // a report already out: its counter is the reference
    const before = lastCounter();
    bootEventsRaise();
    expect<u32>(lastCounter()).toBe((before + 1) & 0xFFFF);                 // one report: no outcome event for "confirmed"
    expect<u32>(lastService()).toBe(5); expect<u32>(lastSubtype()).toBe(1);
    expect<u32>(lastEventId()).toBe(<u32>EV_BOOTED);
    expect<i32>(lastEventStatus()).toBe(1);
    expect<u32>(lastEventCount()).toBe(42);
  });

  it("[tengri §boot-events] an uploaded image on trial: event 13 (upload accepted, with its version) before event 10 (low: trial attempt n); confirmation is event 11", () => {
    configured_();
    expect<i32>(bootRecordTake(record(0, 1, 2, 3, 6, 0, 9, 5), BOOT_RECORD_LEN)).toBe(OK);
    packed();
    expect<u8>(load<u8>(hkAt(HOUSEKEEPING_OFF_BOOT_ON_TRIAL))).toBe(1);
    expect<u8>(load<u8>(hkAt(HOUSEKEEPING_OFF_BOOT_TRIAL_ATTEMPT))).toBe(2);
    expect<u8>(load<u8>(hkAt(HOUSEKEEPING_OFF_BOOT_OUTCOME))).toBe(6);
    const before = lastCounter();
    eventSetEnabled(EV_BOOTED_TRIAL, false);
    bootEventsRaise();
    expect<u32>(lastEventId()).toBe(<u32>EV_UPLOAD_ACCEPTED);
    expect<u32>(lastSubtype()).toBe(1);
    expect<i32>(lastEventStatus()).toBe(6);
    expect<u32>(lastEventCount()).toBe(9);
    eventSetEnabled(EV_BOOTED_TRIAL, true);
    bootEventsRaise();
    expect<u32>(lastCounter()).toBe((before + 3) & 0xFFFF);
    expect<u32>(lastEventId()).toBe(<u32>EV_BOOTED_TRIAL);
    expect<u32>(lastSubtype()).toBe(2);
    expect<u32>(lastEventCount()).toBe(2);
    bootConfirmEvent(OK);
    expect<u32>(lastEventId()).toBe(<u32>EV_CONFIRMED);
    expect<i32>(lastEventStatus()).toBe(OK);
    expect<u32>(lastEventCount()).toBe(2);
  });

  it("[tengri §boot-events] fell back after 3 failed trial boots, trial image invalid, recovery: event 12 (medium) with the outcome and its detail", () => {
    const outcomes: u8[] = [3, 4, 5];
    for (let i = 0; i < outcomes.length; i++) {
      configured_();
      eventSetEnabled(EV_BOOTED, false);
      expect<i32>(bootRecordTake(record(0, 0, 0, 3, outcomes[i], 3, 1, 10), BOOT_RECORD_LEN)).toBe(OK);
      bootEventsRaise();
      expect<u32>(lastEventId()).toBe(<u32>EV_FELL_BACK);
      expect<u32>(lastSubtype()).toBe(3);
      expect<i32>(lastEventStatus()).toBe(<i32>outcomes[i]);
      expect<u32>(lastEventCount()).toBe(3);
    }
  });

  it("[tengri §boot-events] upload rejected (signature, digest, profile, rollback, other): event 14 (medium) with the outcome and the reason's detail code; a failed trial boot and a rebuilt state only set the outcome", () => {
    for (let o: u8 = 7; o <= 11; o++) {
      configured_();
      eventSetEnabled(EV_BOOTED, false);
      expect<i32>(bootRecordTake(record(0, 0, 0, 3, o, 5, 1, 10), BOOT_RECORD_LEN)).toBe(OK);
      bootEventsRaise();
      expect<u32>(lastEventId()).toBe(<u32>EV_UPLOAD_REJECTED);
      expect<u32>(lastSubtype()).toBe(3);
      expect<i32>(lastEventStatus()).toBe(<i32>o);
      expect<u32>(lastEventCount()).toBe(5);
    }
    const quiet: u8[] = [0, 2, 12];
    for (let i = 0; i < quiet.length; i++) {
      configured_();
      expect<i32>(bootRecordTake(record(0, i == 1 ? 1 : 0, i == 1 ? 1 : 0, 3, quiet[i], 1, 1, 10), BOOT_RECORD_LEN)).toBe(OK);
      const before = lastCounter();
      bootEventsRaise();
      expect<u32>(lastCounter()).toBe((before + 1) & 0xFFFF);
      expect<u32>(lastEventId()).toBe(i == 1 ? <u32>EV_BOOTED_TRIAL : <u32>EV_BOOTED);
      expect<i32>(lastEventStatus()).toBe(<i32>quiet[i]);
    }
  });

  it("[tengri §boot-events] hostile records with a correct CRC (slot 2, trial flag 2, max 0, attempt above max, attempt 0 on trial, attempt off trial, unknown outcomes), short, other magic, other format, bad CRC: refused with E_BOOT_STATE naming the check, every boot field unknown, event 15 then event 9 with unknown values; never a trap", () => {
    for (let c = 0; c < 13; c++) {
      configured_();
      let len = BOOT_RECORD_LEN;
      let want = 0;
      record(0, 1, 1, 3, 0, 0, 1, 1);
      if (c == 0) { store<u8>(REC + 5, 2); seal(); want = REC_SLOT; }
      else if (c == 1) { store<u8>(REC + 6, 2); seal(); want = REC_TRIAL_FLAG; }
      else if (c == 2) { store<u8>(REC + 8, 0); seal(); want = REC_TRIAL_MAX; }
      else if (c == 3) { store<u8>(REC + 7, 4); seal(); want = REC_ATTEMPT; }
      else if (c == 4) { store<u8>(REC + 7, 0); seal(); want = REC_ATTEMPT; }
      else if (c == 5) { store<u8>(REC + 6, 0); seal(); want = REC_ATTEMPT; }            // off trial, attempt 1
      else if (c == 6) { store<u8>(REC + 9, 13); seal(); want = REC_OUTCOME; }
      else if (c == 7) { store<u8>(REC + 11, 255); seal(); want = REC_OUTCOME; }
      else if (c == 8) { len = BOOT_RECORD_LEN - 1; want = REC_SHORT; }
      else if (c == 9) { store<u8>(REC + 3, 0x54); seal(); want = REC_MAGIC; }
      else if (c == 10) { store<u8>(REC + 4, 2); seal(); want = REC_FORMAT; }
      else if (c == 11) { store<u8>(REC + 16, 1); want = REC_CRC; }                       // a flipped count, CRC not redone
      else { len = 0; want = REC_SHORT; }
      expect<i32>(bootRecordCheck(REC, len)).toBe(want);
      expect<i32>(bootRecordTake(REC, len)).toBe(E_BOOT_STATE);
      expect<i32>(detailStatus()).toBe(E_BOOT_STATE);
      expect<i32>(detailField()).toBe(FILE_BOOT_RECORD);
      expect<i32>(detailFound()).toBe(want);
      expect<i32>(bootRecordCheckFailed()).toBe(want);
      expect<i32>(hk.hkLastStatus).toBe(E_BOOT_STATE);
      expectUnknown();
      eventSetEnabled(EV_BOOTED, false);
      bootEventsRaise();
      expect<u32>(lastEventId()).toBe(<u32>EV_BOOT_RECORD_INVALID);
      expect<u32>(lastSubtype()).toBe(3);
      expect<i32>(lastEventStatus()).toBe(E_BOOT_STATE);
      expect<u32>(lastEventCount()).toBe(<u32>want);
      eventSetEnabled(EV_BOOTED, true);
      bootEventsRaise();
      expect<u32>(lastEventId()).toBe(<u32>EV_BOOTED);
      expect<i32>(lastEventStatus()).toBe(255);
      expect<u32>(lastEventCount()).toBe(0xFFFFFFFF);
    }
    // The octet each range check is about, in the control block.
    record(2, 0, 0, 3, 0, 0, 1, 1);
    expect<i32>(bootRecordTake(REC, BOOT_RECORD_LEN)).toBe(E_BOOT_STATE);
    expect<i32>(detailOffset()).toBe(5);
    record(0, 0, 0, 3, 99, 0, 1, 1);
    expect<i32>(bootRecordTake(REC, BOOT_RECORD_LEN)).toBe(E_BOOT_STATE);
    expect<i32>(detailOffset()).toBe(9);
    // A valid record after a refused one is taken whole again.
    expect<i32>(bootRecordTake(record(0, 0, 0, 255, 0, 0, 3, 4), BOOT_RECORD_LEN)).toBe(OK);
    expect<i32>(bootRecordCheckFailed()).toBe(REC_OK);
    expect<u8>(hk.hkBootTrialMax).toBe(255);
  });

  it("[tengri §boot-events] without a flash directory (a pass not booted by the bootloader) the boot fields stay unknown and no boot event is raised", () => {
    configured_();
    bootRecordReset();
    expect<i32>(bootRecordLoad()).toBe(E_FLASH_NONE);
    expectUnknown();
    const before = lastCounter();
    bootEventsRaise();
    expect<u32>(lastCounter()).toBe(before);
  });
});
