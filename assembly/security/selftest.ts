// The image's start-up self-test: known answers of the functions whose silent failure would make
// the payload unsafe to keep running on trial — SHA-256 (FIPS 180-4 example "abc"), HMAC-SHA-256
// (RFC 4231 test case 2) and CRC-16/CCITT-FALSE (check value of "123456789"). An image booted on
// trial that fails it exits before taking its configuration; the bootloader counts a failed boot
// and falls back after its bounded number of trial boots (host/boot/README.md).
import { OK, E_SELF_TEST } from "../abi/status";
import { setDetail } from "../abi/control";
import { sha256, SHA256_LEN } from "./sha256";
import { hmacSha256 } from "./hmac";
import { crc16 } from "../util/crc16";

const ABC = memory.data<u8>([0x61, 0x62, 0x63]);
const SHA_ABC = memory.data<u8>([
  0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
  0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad]);
const JEFE = memory.data<u8>([0x4a, 0x65, 0x66, 0x65]);
const WYW = "what do ya want for nothing?";
const WYW_BUF = memory.data(28);
const HMAC_2 = memory.data<u8>([
  0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e, 0x6a, 0x04, 0x24, 0x26, 0x08, 0x95, 0x75, 0xc7,
  0x5a, 0x00, 0x3f, 0x08, 0x9d, 0x27, 0x39, 0x83, 0x9d, 0xec, 0x58, 0xb9, 0x64, 0xec, 0x38, 0x43]);
const CHECK = memory.data<u8>([0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39]);
const OUT = memory.data(SHA256_LEN);

function same(a: usize, b: usize, n: i32): bool {
  let d: u32 = 0;
  for (let i = 0; i < n; i++) d |= <u32>(load<u8>(a + <usize>i) ^ load<u8>(b + <usize>i));
  return d == 0;
}

/** OK, or E_SELF_TEST with field 1 (SHA-256), 2 (HMAC-SHA-256) or 3 (CRC-16). */
export function selfTest(): i32 {
  if (sha256(ABC, 3, OUT) != OK || !same(OUT, SHA_ABC, SHA256_LEN)) return setDetail(E_SELF_TEST, 1, 0, 0, 0);
  for (let i = 0; i < 28; i++) store<u8>(WYW_BUF + <usize>i, <u8>WYW.charCodeAt(i));
  if (hmacSha256(JEFE, 4, WYW_BUF, 28, OUT) != OK || !same(OUT, HMAC_2, SHA256_LEN)) return setDetail(E_SELF_TEST, 2, 0, 0, 0);
  const c = crc16(CHECK, 9, 0xffff);
  if (c != 0x29b1) return setDetail(E_SELF_TEST, 3, <i32>c, 0x29b1, 0);
  return OK;
}
