// PUS-C telemetry reports (ECSS-E-ST-70-41C §7.4.3.1) on the report APID, housekeeping channel:
//   TM secondary header (14): PUS version 4 bits = 2 | spacecraft time reference status 4 bits = 0 |
//   service type u8 | message subtype u8 | message type counter u16 | destination id u16 |
//   CUC (7, the housekeeping packets' format: time tag of the last line accepted)
//   source data, then the packet error control (CRC-16/CCITT-FALSE).
// One message type counter for every report of the payload (wraps at 2^16): a gap in it at the
// ground is a lost report.
import { storeU16BE, storeU32BE } from "../util/be";
import { packCuc } from "../packet/cuc";
import { cfg, lastCoarse, lastFine } from "../payload/pipeline";
import { packetDataPtr, sendReportPacket, SEQ_REPORT, REPORT_MAX_LEN } from "../payload/downlink";
import { detailField, detailFound, detailExpected } from "../abi/control";

export const TM_SEC_HDR_LEN: i32 = 14;
export const TM_PEC_LEN: i32 = 2;
/** Source data octets a report may carry. */
export const REPORT_DATA_MAX: i32 = REPORT_MAX_LEN - TM_SEC_HDR_LEN - TM_PEC_LEN;
/** ST[1] failure notice: code i32 (status table), field i32, found i32, expected i32 (the control block). */
export const FAILURE_NOTICE_LEN: i32 = 16;

let messageCounter: u32 = 0;
let destination: u32 = 0;

/** The message type counter the next report will carry (how many reports left, modulo 2^16). */
export function reportMessageCounter(): u32 { return messageCounter; }

/** Where the source data of the next report is written. */
export function reportData(): usize { return packetDataPtr() + <usize>TM_SEC_HDR_LEN; }

/** The destination id of the reports that follow: the source id of the request being served. */
export function reportSetDestination(id: u32): void { destination = id & 0xFFFF; }

/** The report whose source data (dataLen octets) is at reportData() leaves. */
export function reportSend(service: u32, subtype: u32, dataLen: i32): void {
  const sh = packetDataPtr();
  store<u8>(sh, <u8>(2 << 4));                 // PUS version 2, time reference status 0
  store<u8>(sh + 1, <u8>service);
  store<u8>(sh + 2, <u8>subtype);
  storeU16BE(sh + 3, messageCounter);
  messageCounter = (messageCounter + 1) & 0xFFFF;
  storeU16BE(sh + 5, destination);
  packCuc(sh + 7, lastCoarse(), lastFine());
  sendReportPacket(cfg.reportApid, cfg.bands + SEQ_REPORT, TM_SEC_HDR_LEN + dataLen + TM_PEC_LEN);
}

/** ST[1] request id (packet id u16, sequence control u16) at dst. */
export function putRequestId(dst: usize, packetId: u32, seqControl: u32): void {
  storeU16BE(dst, packetId); storeU16BE(dst + 2, seqControl);
}

/** ST[1] failure notice at dst: the status and the control block's field, found, expected. */
export function putFailureNotice(dst: usize, status: i32): void {
  storeU32BE(dst, <u32>status);
  storeU32BE(dst + 4, <u32>detailField());
  storeU32BE(dst + 8, <u32>detailFound());
  storeU32BE(dst + 12, <u32>detailExpected());
}

/** ST[1] verification report: success (subtype 1, 3, 7) or failure (2, 4, 8) with its notice. */
export function reportVerification(subtype: u32, packetId: u32, seqControl: u32, status: i32): void {
  const d = reportData();
  putRequestId(d, packetId, seqControl);
  if (status == 0) { reportSend(1, subtype, 4); return; }
  putFailureNotice(d + 4, status);
  reportSend(1, subtype, 4 + FAILURE_NOTICE_LEN);
}
