// CRC-16/CCITT-FALSE (poly 0x1021, preset 0xFFFF, no reflection, no final XOR), for the host's
// own records (bus records, configuration table). The ground decoders keep their own copy.
const TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 8;
    for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
    t[i] = c;
  }
  return t;
})();

export function crc16(bytes: Uint8Array, crc = 0xffff): number {
  for (let i = 0; i < bytes.length; i++) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >>> 8) ^ bytes[i]) & 0xff];
  return crc;
}
