// Ground side of SDLS (CCSDS 355.0-B-2) for the payload's authentication-only security
// association, with node:crypto (independent of the flight HMAC): builds the TC transfer frame
// data field security header (SPI ‖ ARSN) ‖ packets ‖ MAC trailer. README "Authenticated commands".
import { createHmac } from "node:crypto";

/** Security header SPI (2) + ARSN (4), and the MAC trailer (16). */
export const SDLS_HEADER_LEN = 6;
export const SDLS_MAC_LEN = 16;
export const SDLS_OVERHEAD = SDLS_HEADER_LEN + SDLS_MAC_LEN;
export const SDLS_KEY_LEN = 32;
export const TC_PRIMARY_HEADER_LEN = 5;

/** A security association as the ground keeps it: SPI, 32-octet HMAC-SHA-256 key, the ARSN to send. */
export interface SecurityAssociation { spi: number; key: Uint8Array; arsn: number }

export class SdlsError extends Error {
  constructor(readonly field: "spi" | "key" | "arsn" | "header" | "packets", message: string) { super(message); this.name = "SdlsError"; }
}

/** The first 16 octets of HMAC-SHA-256(key, frame primary header ‖ security header ‖ packets). */
export function sdlsMac(key: Uint8Array, header5: Uint8Array, securityHeader: Uint8Array, packets: Uint8Array): Uint8Array {
  const h = createHmac("sha256", key);
  h.update(header5); h.update(securityHeader); h.update(packets);
  return new Uint8Array(h.digest().subarray(0, SDLS_MAC_LEN));
}

/**
 * The frame data field of a TC transfer frame for these packets under the SA: SPI (u16 BE) ‖ ARSN
 * (u32 BE) ‖ packets ‖ MAC (16). header5 is the frame's primary header exactly as it will be sent
 * (its frame length field must already count the data field and FECF). The caller advances sa.arsn.
 */
export function secureFrameDataField(header5: Uint8Array, packets: Uint8Array, sa: SecurityAssociation): Uint8Array {
  if (header5.length !== TC_PRIMARY_HEADER_LEN) throw new SdlsError("header", `frame primary header is ${header5.length} octets, expected ${TC_PRIMARY_HEADER_LEN}`);
  if (!Number.isInteger(sa.spi) || sa.spi < 1 || sa.spi > 0xfffe) throw new SdlsError("spi", `SPI ${sa.spi} out of range 1…65534 (0 and 65535 are reserved)`);
  if (sa.key.length !== SDLS_KEY_LEN) throw new SdlsError("key", `key is ${sa.key.length} octets, expected ${SDLS_KEY_LEN}`);
  if (!Number.isInteger(sa.arsn) || sa.arsn < 1 || sa.arsn > 0xffffffff) throw new SdlsError("arsn", `ARSN ${sa.arsn} out of range 1…4294967295`);
  if (packets.length < 1) throw new SdlsError("packets", "no packet octets to protect");
  const out = new Uint8Array(SDLS_HEADER_LEN + packets.length + SDLS_MAC_LEN);
  const dv = new DataView(out.buffer);
  dv.setUint16(0, sa.spi);
  dv.setUint32(2, sa.arsn);
  out.set(packets, SDLS_HEADER_LEN);
  out.set(sdlsMac(sa.key, header5, out.subarray(0, SDLS_HEADER_LEN), packets), SDLS_HEADER_LEN + packets.length);
  return out;
}

/** keys.bin as the image reads it: records SPI (u16 BE) ‖ key length (u8, 32) ‖ key. */
export function keyStore(sas: { spi: number; key: Uint8Array }[]): Uint8Array {
  const out = new Uint8Array(sas.length * (3 + SDLS_KEY_LEN));
  sas.forEach((s, i) => {
    if (s.key.length !== SDLS_KEY_LEN) throw new SdlsError("key", `key of SPI ${s.spi} is ${s.key.length} octets, expected ${SDLS_KEY_LEN}`);
    const p = i * (3 + SDLS_KEY_LEN);
    out[p] = s.spi >> 8; out[p + 1] = s.spi & 0xff; out[p + 2] = SDLS_KEY_LEN;
    out.set(s.key, p + 3);
  });
  return out;
}
