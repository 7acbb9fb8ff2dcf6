// Decodes the flight image's housekeeping packets (layout in the README and in
// assembly/payload/housekeeping.ts). Ground-side, written from the documented layout.
export const HK_FIELDS = [
  "recordsAccepted", "linesAccepted", "rejectedBadSync", "rejectedBadCrc", "rejectedBadLength", "rejectedBadType",
  "rejectedBadLine", "rejectedLineJump", "rejectedTimeJump", "rejectedNoConfig", "bytesSkipped", "linesMissing",
  "samplesClipped", "packetsSent", "dataFrames", "idleFrames", "idlePackets", "cadus", "backlogFrames",
  "memoryBytes", "heapUsedBytes", "lastLineCounter", "hkSequence", "tilesKept", "tilesDegraded", "tilesDropped", "framesOverflowed",
] as const;
export type HkField = (typeof HK_FIELDS)[number];
export type Housekeeping = Record<HkField, number> & { version: number; state: "waiting-config" | "acquiring" | "ended"; lastStatus: number; configStatus: number; timeS: number };

export class HousekeepingError extends Error {
  constructor(readonly reason: "length" | "version" | "time-code", message: string) { super(message); this.name = "HousekeepingError"; }
}

const STATES = ["waiting-config", "acquiring", "ended"] as const;

/** data: the packet data field (secondary header = 7-octet CUC, then the HK user data). */
export function decodeHousekeeping(data: Uint8Array): Housekeeping {
  if (data.length < 7 + 12 + 4 * HK_FIELDS.length) throw new HousekeepingError("length", `housekeeping data field of ${data.length} octets is too short`);
  if (data[0] !== 0x1e) throw new HousekeepingError("time-code", `unexpected CUC P-field 0x${data[0].toString(16)}`);
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const timeS = dv.getUint32(1) + dv.getUint16(5) / 65536;
  const u = 7;
  const version = data[u];
  if (version !== 1) throw new HousekeepingError("version", `housekeeping version ${version} is not known`);
  const hk = { version, state: STATES[data[u + 1]] ?? "ended", lastStatus: dv.getInt32(u + 4), configStatus: dv.getInt32(u + 8), timeS } as Housekeeping;
  HK_FIELDS.forEach((f, i) => { (hk as Record<string, number>)[f] = f === "backlogFrames" ? dv.getInt32(u + 12 + 4 * i) : dv.getUint32(u + 12 + 4 * i); });
  return hk;
}
