// CRC-32 (ISO-HDLC: reflected polynomial 0xEDB88320, preset and final XOR 0xFFFFFFFF; "123456789"
// → 0xCBF43926), bit by bit: the ST[6] memory check of the configuration, a few hundred octets
// per request. (The running image's code is checked with SHA-256: memory id "code".)
export function crc32(ptr: usize, len: i32): u32 {
  let c: u32 = 0xFFFFFFFF;
  for (let i = 0; i < len; i++) {
    c ^= <u32>load<u8>(ptr + <usize>i);
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xEDB88320 & (0 - (c & 1)));
  }
  return ~c;
}
