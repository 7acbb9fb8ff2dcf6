// Space packet extraction from a virtual channel's packet zone (133.0-B-2 §4.1.3 primary
// header; 132.0-B-3 §4.1.2.7.6 and 732.0-B-4 §4.1.4.2 first header pointer): packets spanning
// frames are reassembled, the FHP is cross-checked against every packet boundary, and after a
// gap or an inconsistency the extractor waits for the next FHP.

export const PACKET_HEADER_LEN = 6;
/** Largest packet the standard allows: 6 + 65536 octets (133.0-B-2 §4.1.3.5.3). */
export const PACKET_MAX_LEN = 65542;
export const PACKET_VERSION = 0; // 133.0-B-2 §4.1.3.2: '000'
// Octets 0–1 (133.0-B-2 §4.1.3.2 – §4.1.3.3).
export const PKT_VERSION_SHIFT = 13, PKT_VERSION_MASK = 0x7;
export const PKT_TYPE_SHIFT = 12, PKT_TYPE_MASK = 0x1;
export const PKT_SEC_HDR_SHIFT = 11, PKT_SEC_HDR_MASK = 0x1;
export const PKT_APID_SHIFT = 0, PKT_APID_MASK = 0x7ff;
// Octets 2–3 (133.0-B-2 §4.1.3.4).
export const PKT_SEQ_FLAGS_SHIFT = 14, PKT_SEQ_FLAGS_MASK = 0x3;
export const PKT_SEQ_COUNT_SHIFT = 0, PKT_SEQ_COUNT_MASK = 0x3fff;
/** Idle packets (133.0-B-2 §4.1.3.3.4.4). */
export const IDLE_APID = 0x7ff;
/** First header pointer special values (132.0-B-3 §4.1.2.7.6.4–.5, 732.0-B-4 §4.1.4.2.3.4–.5). */
export const FHP_NO_PACKET_START = 0x7ff;
export const FHP_IDLE_ONLY = 0x7fe;

export interface SpacePacket {
  vcid: number;
  apid: number;
  type: 0 | 1;
  secHdr: boolean;
  seqFlags: 0 | 1 | 2 | 3;
  seqCount: number;
  /** Packet data field (secondary header included). A view: copy it to keep it. */
  data: Uint8Array;
  /** Whole packet, primary header included. A view: copy it to keep it. */
  raw: Uint8Array;
}

export type PacketErrorReason =
  | "lost-in-gap" // frames were lost while a packet was being reassembled
  | "fhp-mismatch" // a packet boundary disagrees with the first header pointer
  | "bad-fhp" // first header pointer beyond the packet zone
  | "bad-version" // packet version number not '000'
  | "impossible-length" // longer than the configured maximum
  | "truncated"; // the stream ended inside a packet

export function parsePacket(raw: Uint8Array, vcid: number): SpacePacket {
  const w0 = (raw[0] << 8) | raw[1];
  const w1 = (raw[2] << 8) | raw[3];
  return {
    vcid,
    apid: (w0 >>> PKT_APID_SHIFT) & PKT_APID_MASK, // 133.0-B-2 §4.1.3.3.4
    type: ((w0 >>> PKT_TYPE_SHIFT) & PKT_TYPE_MASK) as 0 | 1, // §4.1.3.3.2
    secHdr: ((w0 >>> PKT_SEC_HDR_SHIFT) & PKT_SEC_HDR_MASK) === 1, // §4.1.3.3.3
    seqFlags: ((w1 >>> PKT_SEQ_FLAGS_SHIFT) & PKT_SEQ_FLAGS_MASK) as 0 | 1 | 2 | 3, // §4.1.3.4.2
    seqCount: (w1 >>> PKT_SEQ_COUNT_SHIFT) & PKT_SEQ_COUNT_MASK, // §4.1.3.4.3
    data: raw.subarray(PACKET_HEADER_LEN),
    raw,
  };
}

/** Total packet length from its header: length field + 1 + 6 (133.0-B-2 §4.1.3.5.3). */
function packetLen(b: Uint8Array, off: number): number {
  return ((b[off + 4] << 8) | b[off + 5]) + 1 + PACKET_HEADER_LEN;
}
function packetVersion(b: Uint8Array, off: number): number {
  return (b[off] >>> (PKT_VERSION_SHIFT - 8)) & PKT_VERSION_MASK;
}

export class PacketExtractor {
  private readonly partial: Uint8Array;
  /** Octets of the packet being reassembled held in `partial` (0 = none). */
  private have = 0;
  /** Its total length once the header is complete, else 0. */
  private need = 0;
  private inSync = false;

  constructor(
    readonly vcid: number,
    private readonly maxPacketLen: number,
    private readonly onPacket: (p: SpacePacket) => void,
    private readonly onError: (reason: PacketErrorReason, apid: number, octets: number) => void,
  ) {
    this.partial = new Uint8Array(maxPacketLen);
  }

  private partialApid(): number {
    return this.have >= 2 ? ((this.partial[0] << 8) | this.partial[1]) & PKT_APID_MASK : -1;
  }

  private dropPartial(reason: PacketErrorReason): void {
    if (this.have > 0) this.onError(reason, this.partialApid(), this.have);
    this.have = 0;
    this.need = 0;
  }

  /** Frames were lost before the next one: the packet in progress is lost. */
  gap(): void {
    this.dropPartial("lost-in-gap");
    this.inSync = false;
  }

  /** End of stream: a packet in progress is reported truncated. */
  end(): void {
    this.dropPartial("truncated");
  }

  /** Checks a newly complete header; false when the packet must be abandoned. */
  private headerOk(b: Uint8Array, off: number): boolean {
    if (packetVersion(b, off) !== PACKET_VERSION) {
      this.onError("bad-version", ((b[off] << 8) | b[off + 1]) & PKT_APID_MASK, 0);
      return false;
    }
    if (packetLen(b, off) > this.maxPacketLen) {
      this.onError("impossible-length", ((b[off] << 8) | b[off + 1]) & PKT_APID_MASK, packetLen(b, off));
      return false;
    }
    return true;
  }

  /** Processes one frame's packet zone with its first header pointer. */
  frame(zone: Uint8Array, fhp: number): void {
    const len = zone.length;
    if (fhp === FHP_IDLE_ONLY) {
      // Only idle data: no packet can continue through this frame (132.0-B-3 §4.1.2.7.6.5).
      this.dropPartial("fhp-mismatch");
      this.inSync = false;
      return;
    }
    if (fhp !== FHP_NO_PACKET_START && fhp >= len) {
      this.dropPartial("bad-fhp");
      this.onError("bad-fhp", -1, fhp);
      this.inSync = false;
      return;
    }
    let p = 0;
    if (!this.inSync) {
      if (fhp === FHP_NO_PACKET_START) return;
      p = fhp; // resynchronise on the first header pointer (132.0-B-3 §4.1.2.7.6.2)
      this.inSync = true;
    } else if (this.have > 0) {
      const part = this.partial;
      if (this.need === 0) {
        const h = Math.min(PACKET_HEADER_LEN - this.have, len, fhp === FHP_NO_PACKET_START ? len : fhp);
        part.set(zone.subarray(0, h), this.have);
        this.have += h;
        p = h;
        if (this.have < PACKET_HEADER_LEN) {
          if (fhp === FHP_NO_PACKET_START) return;
          this.dropPartial("fhp-mismatch");
          p = fhp;
        } else if (!this.headerOk(part, 0)) {
          this.have = 0;
          if (fhp === FHP_NO_PACKET_START) { this.inSync = false; return; }
          p = fhp;
        } else this.need = packetLen(part, 0);
      }
      if (this.have > 0) {
        const rem = this.need - this.have;
        const endAt = p + rem;
        if (fhp === FHP_NO_PACKET_START ? endAt < len : endAt !== fhp) {
          // The packet's own length disagrees with the pointer: trust neither, resync.
          this.dropPartial("fhp-mismatch");
          if (fhp === FHP_NO_PACKET_START) { this.inSync = false; return; }
          p = fhp;
        } else if (endAt > len) {
          part.set(zone.subarray(p), this.have);
          this.have += len - p;
          return;
        } else {
          part.set(zone.subarray(p, endAt), this.have);
          this.onPacket(parsePacket(part.subarray(0, this.need), this.vcid));
          this.have = 0;
          this.need = 0;
          p = endAt;
        }
      }
    } else if (p !== fhp) {
      // In sync with nothing pending: a packet must start right here.
      if (fhp === FHP_NO_PACKET_START) {
        this.onError("fhp-mismatch", -1, len);
        this.inSync = false;
        return;
      }
      this.onError("fhp-mismatch", -1, fhp);
      p = fhp;
    }
    // Whole packets, then the start of one that continues in the next frame.
    while (p < len) {
      if (len - p < PACKET_HEADER_LEN) {
        this.partial.set(zone.subarray(p), 0);
        this.have = len - p;
        this.need = 0;
        return;
      }
      if (!this.headerOk(zone, p)) {
        this.inSync = false;
        return;
      }
      const total = packetLen(zone, p);
      if (p + total <= len) {
        this.onPacket(parsePacket(zone.subarray(p, p + total), this.vcid));
        p += total;
      } else {
        this.partial.set(zone.subarray(p), 0);
        this.have = len - p;
        this.need = total;
        return;
      }
    }
  }
}
