// Decodes the flight image's housekeeping packets. The layout is the contract's
// (host/contract/contract.json "housekeeping", generated into the README), read field by field.
import { CONTRACT, HK_COUNTERS, HK_VERSION } from "../contract/contract.gen.ts";
import { decodeStruct } from "../contract/layout.ts";

/** The counters, in packet order. */
export const HK_FIELDS = HK_COUNTERS;
export type HkField = (typeof HK_FIELDS)[number];
export type Housekeeping = Record<HkField, number> & { version: number; state: "waiting-config" | "acquiring" | "ended" | "stopped"; lastStatus: number; configStatus: number; timeS: number;
  /** The product mode in force (0 raw, 1 CCSDS 121, 2 CCSDS 123; ST[8] function 3 switches it). */
  productMode: number } & HkBoot;
/** v3: how this boot came about (the bootloader's boot record); 255 / 4294967295 = unknown. */
export interface HkBoot { bootSlot: number; bootVersion: number; bootOnTrial: number; bootTrialAttempt: number; bootTrialMax: number; bootCount: number; bootOutcome: number }

export class HousekeepingError extends Error {
  constructor(readonly reason: "length" | "version" | "time-code", message: string) { super(message); this.name = "HousekeepingError"; }
}

const FIELDS = CONTRACT.housekeeping.fields;
const LEN = Math.max(...FIELDS.map((f) => (f.offset as number) + (f.type === "bytes" ? f.len ?? 0 : f.type === "u8" ? 1 : f.type === "u16" ? 2 : 4)));
const STATES = Object.values(FIELDS.find((f) => f.name === "state")!.enum!) as Housekeeping["state"][];

/** data: the packet data field (secondary header = 7-octet CUC, then the HK user data). */
export function decodeHousekeeping(data: Uint8Array): Housekeeping {
  if (data.length < LEN) throw new HousekeepingError("length", `housekeeping data field of ${data.length} octets is too short (${LEN})`);
  if (data[0] !== 0x1e) throw new HousekeepingError("time-code", `unexpected CUC P-field 0x${data[0].toString(16)}`);
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const timeS = dv.getUint32(1) + dv.getUint16(5) / 65536;
  const v = decodeStruct(CONTRACT.housekeeping, data);
  if (v.version !== HK_VERSION) throw new HousekeepingError("version", `housekeeping version ${v.version} is not known`);
  const { state, spare: _spare, ...rest } = v;
  return { ...rest, state: STATES[state] ?? "ended", timeS } as unknown as Housekeeping;
}
