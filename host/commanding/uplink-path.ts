// The ground's commanding path, composed (README "Commanding the payload", cmd-interfaces.md):
//   PUS-C TC packet(s) (pus.ts) → SDLS-secured frame data field (sdls.ts: SPI ‖ ARSN ‖ packets ‖
//   MAC over the frame's own primary header) → TC transfer frame 232.0-B (host/uplink/tc-frame.ts)
//   → CLTU 231.0-B (host/uplink/cltu.ts).
// Two ways out: `securedDataField` gives the FOP-1 of UplinkClient a data field built once the FOP
// has assigned the frame's header (AD frames, acknowledged by FARM-1 through the CLCW); and
// `commandFrame`/`commandCltu` build one whole frame/CLTU with a sequence number given here
// (BD frames, or a CLTU written to a file for another uplink).
// The ARSN: the caller's SecurityAssociation is advanced by one for every data field built
// (`arsn` is the value the NEXT data field carries), as the image keeps the last one accepted.
import { buildTcFrame, tcPrimaryHeader, TC_MAX_DATA, type TcDataBuilder } from "../uplink/tc-frame.ts";
import { buildCltu } from "../uplink/cltu.ts";
import { secureFrameDataField, SDLS_OVERHEAD, type SecurityAssociation } from "./sdls.ts";

export class UplinkPathError extends Error {
  constructor(readonly field: string, message: string) { super(message); this.name = "UplinkPathError"; }
}

function concat(packets: Uint8Array[]): Uint8Array {
  const n = packets.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of packets) { out.set(p, at); at += p.length; }
  return out;
}

/** The packets of one frame, checked to fit its data field with the SDLS header and trailer. */
function framePackets(packets: Uint8Array[]): Uint8Array {
  if (packets.length === 0) throw new UplinkPathError("packets", "a telecommand frame needs at least one PUS packet");
  const p = concat(packets);
  if (p.length + SDLS_OVERHEAD > TC_MAX_DATA) throw new UplinkPathError("packets", `${p.length} packet octets + ${SDLS_OVERHEAD} of SDLS do not fit one TC frame data field (at most ${TC_MAX_DATA})`);
  return p;
}

/**
 * A data field for UplinkClient.send / Fop1.send: built when the FOP gives the frame's primary
 * header, secured under sa with the ARSN sa.arsn at that moment; sa.arsn then advances by one.
 */
export function securedDataField(packets: Uint8Array[], sa: SecurityAssociation): TcDataBuilder {
  const p = framePackets(packets);
  return {
    length: SDLS_OVERHEAD + p.length,
    build: (header5: Uint8Array) => {
      const d = secureFrameDataField(header5, p, sa);
      sa.arsn++;
      return d;
    },
  };
}

export interface FrameFields {
  scid: number;
  /** The payload's virtual channel (default 1). */
  vcid?: number;
  /** Frame sequence number N(S) (default 0; a BD frame's is not checked by FARM-1). */
  seq?: number;
  /** Bypass (BD) frame (default true: a single CLTU written out cannot wait for the FOP's acknowledgement). */
  bypass?: boolean;
}

/** One whole secured TC transfer frame (header, SDLS data field, FECF); sa.arsn advances by one. */
export function commandFrame(packets: Uint8Array[], f: FrameFields, sa: SecurityAssociation): Uint8Array {
  const p = framePackets(packets);
  const hdr = { bypass: f.bypass ?? true, controlCommand: false, scid: f.scid, vcid: f.vcid ?? 1, seq: f.seq ?? 0 };
  const header5 = tcPrimaryHeader(hdr, SDLS_OVERHEAD + p.length);
  const data = secureFrameDataField(header5, p, sa);
  sa.arsn++;
  return buildTcFrame({ ...hdr, data });
}

/** The CLTU (BCH(63,56), optionally randomized) of one secured frame: what a ground station radiates. */
export function commandCltu(packets: Uint8Array[], f: FrameFields & { randomize?: boolean }, sa: SecurityAssociation): Uint8Array {
  return buildCltu(commandFrame(packets, f, sa), { randomize: f.randomize });
}
