// THE SEAM OF SDLS (cmd-interfaces.md, "SDLS authentication"): the ONE place where the flight
// image authenticates a TC transfer frame. The frame data field is
//   security header (SPI u16, ARSN u32) ‖ PUS packet(s) ‖ security trailer (MAC, 16 octets).
//
// The body calls sec's SDLS ProcessSecurity (assembly/security/sdls.ts): frame length, version,
// FECF, SPI, MAC (HMAC-SHA-256, constant time) and the anti-replay window, each refusal counted.
import { OK } from "../abi/status";
import { sdlsProcess, sdlsDataPtr, sdlsDataLen } from "../security/sdls";

export const TC_FRAME_HEADER_LEN: i32 = 5;   // 232.0-B-4 §4.1.2
export const SDLS_HEADER_LEN: i32 = 6;       // SPI (2) + ARSN (4): 355.0-B-2 §4.1.1, our managed parameters
export const SDLS_TRAILER_LEN: i32 = 16;     // MAC: the first 16 octets of HMAC-SHA-256
export const FECF_LEN: i32 = 2;              // 232.0-B-4 §4.1.4

/** The packet octets between the security header and trailer of the last frame authenticated. */
export let authDataPtr: usize = 0;
export let authDataLen: i32 = 0;

/**
 * Authenticates one TC transfer frame whose header and FECF were checked (tc-frame.ts). OK with
 * authDataPtr/authDataLen set to the packet octets, or a refusal status (never executed).
 */
export function authenticate(framePtr: usize, frameLen: i32): i32 {
  authDataPtr = 0; authDataLen = 0;
  const s = sdlsProcess(framePtr, frameLen);
  if (s != OK) return s;
  authDataPtr = sdlsDataPtr; authDataLen = sdlsDataLen;
  return OK;
}
