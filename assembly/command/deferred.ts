// Requests whose effect waits for a boundary (ST[8] start and stop, ST[20,3]; services.ts):
// ST[1,3] when accepted (if asked), ST[1,7] only when the effect happened at the boundary, ST[1,8]
// with the failure code if it could not. A bounded queue carved as static data; per entry: kind,
// ack flags, packet id, sequence control, source id (the destination of its reports).
import { OK } from "../abi/status";
import { copyBytes } from "../util/be";
import * as hk from "../payload/housekeeping";
import { reportSetDestination, reportVerification } from "./reports";
import { eventRaise, EV_TC_FAILED } from "./events";
import { ACK_COMPLETION } from "./tc-packet";

/** Kinds of deferred request: ST[8] start, stop, ST[20,3] parameter change, ST[8] product mode switch. */
export const D_START: u32 = 1, D_STOP: u32 = 2, D_PARAM: u32 = 3, D_MODE: u32 = 4;

/** Deferred requests that may wait at once; one more is refused at acceptance (E_PUS_DEFERRED, field 3). */
export const MAX_DEFERRED: i32 = 4;
const D_ENTRY: usize = 20;
const queue = memory.data(20 * MAX_DEFERRED);
let count: i32 = 0;

export function deferredReset(): void { count = 0; }
export function deferredCount(): i32 { return count; }

/** Queues a request (kind: the caller's); false, and nothing queued, when MAX_DEFERRED already wait. */
export function deferredPush(kind: u32, ack: u32, id: u32, seq: u32, source: u32): bool {
  if (count >= MAX_DEFERRED) return false;
  const e = queue + <usize>count * D_ENTRY;
  store<u32>(e, kind); store<u32>(e, ack, 4); store<u32>(e, id, 8); store<u32>(e, seq, 12); store<u32>(e, source, 16);
  count++;
  return true;
}

/**
 * Every waiting request of this kind ends, in the order they came: ST[1,7] (when asked) if status
 * is OK, else ST[1,8] with the status and the control block's detail (counted as failed, event 4).
 */
export function deferredComplete(kind: u32, status: i32): void {
  let k = 0;
  for (let i = 0; i < count; i++) {
    const e = queue + <usize>i * D_ENTRY;
    if (load<u32>(e) != kind) {
      if (k != i) copyBytes(queue + <usize>k * D_ENTRY, e, D_ENTRY);
      k++;
      continue;
    }
    reportSetDestination(load<u32>(e, 16));
    if (status == OK) { if ((load<u32>(e, 4) & ACK_COMPLETION) != 0) reportVerification(7, load<u32>(e, 8), load<u32>(e, 12), OK); }
    else {
      hk.hkInc(hk.HK_PUS_FAILED);
      hk.hkSetLastStatus(status);
      reportVerification(8, load<u32>(e, 8), load<u32>(e, 12), status);
      eventRaise(EV_TC_FAILED, status, hk.hkGet(hk.HK_PUS_FAILED));
    }
  }
  count = k;
}
