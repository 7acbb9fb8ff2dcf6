// "The downlink decodes cleanly": the CADUs of a pass the image ran to the end, decoded by the
// independent ground station (host/ground) with the link settings of the table the image
// accepted. Clean = at least one CADU, no garbage or sync loss, no RS correction needed (the
// link is perfect: any correction or failure is the encoder's), no bad FECF or header, no frame
// or packet sequence gap, no packet error, every frame of the table's spacecraft on a known
// virtual channel, every packet on a known APID, and housekeeping packets that decode, the last
// one "ended" with configuration status 0 and nothing lost to a full output buffer.
import { LinkDecoder, type LinkConfig, type DecodedFrame, type SpacePacket } from "../../host/ground/link-decoder.ts";
import { decodeHousekeeping, type Housekeeping } from "../../host/ground/housekeeping.ts";
import { blockOffsets, CONFIG_FIXED_LEN } from "./table-fields.ts";
import { tableLayout } from "../../host/contract/layout.ts";
import { CONTRACT } from "../../host/contract/contract.gen.ts";

export function linkConfigOfTable(t: Uint8Array): LinkConfig {
  const dv = new DataView(t.buffer, t.byteOffset, t.byteLength);
  const aos = t[6] === 1;
  return {
    frameType: aos ? "aos" : "tm", frameLen: dv.getUint16(8), rsE: t[10] as 0 | 8 | 16, rsDepth: t[11],
    fecf: (t[7] & 1) !== 0, ocf: aos && (t[7] & 2) !== 0, randomizer: (t[7] & 4) !== 0, aosInsertZoneLen: aos ? dv.getUint16(42) : 0,
  };
}

/** Returns null when clean, else the first reasons found. */
export function checkDownlink(table: Uint8Array, cadus: Uint8Array, log: string): string | null {
  const problems: string[] = [];
  const dv = new DataView(table.buffer, table.byteOffset, table.byteLength);
  const bands = table[15];
  const scid = dv.getUint16(4), hkApid = dv.getUint16(20);
  const vcids = new Set([table[12], table[13], table[14]]);
  if (table[6] === 1) vcids.add(63);
  const o = blockOffsets(bands);
  const apids = new Set<number>([hkApid, 0x7ff]);
  for (let b = 0; b < bands; b++) apids.add(dv.getUint16(CONFIG_FIXED_LEN + 2 * b));
  if (table[o.screening] === 1) { apids.add(dv.getUint16(o.screening + 2)); apids.add(dv.getUint16(o.screening + 4)); }
  const reportAt = tableLayout(CONTRACT, bands).fields.find((f) => f.field.name === "reportApid")?.offset;
  if (reportAt !== undefined && reportAt + 2 <= table.length) apids.add(dv.getUint16(reportAt));   // PUS-C reports (README, Commanding the payload)
  const hks: Housekeeping[] = [];
  let badFrames = 0, badApids = 0, hkErrors = 0;
  let firstHkError = "";
  const onFrame = (f: DecodedFrame) => { if (f.scid !== scid || !vcids.has(f.vcid)) badFrames++; };
  const onPacket = (p: SpacePacket) => {
    if (!apids.has(p.apid)) badApids++;
    if (p.apid === hkApid) {
      try { hks.push(decodeHousekeeping(p.data)); } catch (e) { hkErrors++; firstHkError ||= (e as Error).message; }
    }
  };
  let dec: LinkDecoder;
  try {
    dec = new LinkDecoder(linkConfigOfTable(table), { onFrame, onPacket });
  } catch (e) {
    return `the ground decoder refuses the link settings the image accepted: ${(e as Error).message}`;
  }
  try {
    dec.push(cadus);
    dec.end();
  } catch (e) {
    return `ground decoder error: ${(e as Error).message}`;
  }
  const s = dec.stats;
  if (s.cadus === 0) problems.push("no CADU");
  if (s.garbageBytes || s.syncLosses || s.bitSlips || s.truncatedCadus || s.flywheels || s.asmBitErrors) problems.push(`sync: garbage ${s.garbageBytes}, losses ${s.syncLosses}, slips ${s.bitSlips}, truncated ${s.truncatedCadus}, flywheels ${s.flywheels}, ASM bit errors ${s.asmBitErrors}`);
  if (s.rsCodewordsUncorrectable || s.rsCodewordsCorrected) problems.push(`RS: ${s.rsCodewordsUncorrectable} uncorrectable, ${s.rsCodewordsCorrected} corrected codewords`);
  if (s.framesBadFecf || s.framesBadHeader || s.framesDropped) problems.push(`frames: bad FECF ${s.framesBadFecf}, bad header ${s.framesBadHeader}, dropped ${s.framesDropped}`);
  let vcGaps = 0;
  for (const v of s.perVc.values()) vcGaps += v.gapFrames;
  if (s.mcGapFrames || vcGaps) problems.push(`frame counter gaps: master ${s.mcGapFrames}, virtual ${vcGaps}`);
  if (s.packetSeqGaps) problems.push(`packet sequence gaps ${s.packetSeqGaps}`);
  const pe = Object.entries(s.packetErrors).filter(([, n]) => n);
  if (pe.length) problems.push(`packet errors ${pe.map(([k, n]) => `${k} ${n}`).join(", ")}`);
  if (badFrames) problems.push(`${badFrames} frames of another spacecraft or unknown virtual channel`);
  if (badApids) problems.push(`${badApids} packets on an APID the table does not name`);
  if (hkErrors) problems.push(`${hkErrors} housekeeping packets do not decode (${firstHkError})`);
  if (!hks.length) problems.push("no housekeeping packet");
  else {
    const last = hks[hks.length - 1];
    if (last.state !== "ended") problems.push(`last housekeeping state ${last.state}, not ended`);
    if (last.configStatus !== 0) problems.push(`housekeeping configuration status ${last.configStatus}`);
    if (last.framesOverflowed) problems.push(`${last.framesOverflowed} frames lost to a full output buffer`);
  }
  if (!/pass ended/.test(log)) problems.push("no end-of-pass line in the log");
  return problems.length ? problems.join("; ") : null;
}
