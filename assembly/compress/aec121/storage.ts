// Sample storage of libaec's `aec` tool → the encoder's sample containers, in WebAssembly (so
// that `tengri aec` hands file bytes to the encoder without a loop per sample in JavaScript).
// A stored sample is 1, 2, 3 or 4 bytes, least significant byte first (the aec default) or most
// significant first (`aec -m`); a container is u16 (aecEncode16, n <= 16) or u32 (aecEncode32).
// Bits of a stored sample above the container are dropped; the encoder itself uses only the n low
// bits of each container. Source and destination may not overlap (the host gives two buffers).
import { E_NULL, E_BAD_LENGTH, E_AEC_BAD_PARAM } from "../../abi/status";

/** Largest sample count one call converts (a 64 MiB source at 4 bytes per sample). */
export const AEC_UNPACK_MAX: i32 = 1 << 24;

/**
 * Convert `count` stored samples at src (`storeBytes` 1..4 each, MSB first when msb) into
 * containers at dst (`containerBytes` 2 or 4). Returns count, E_NULL for a null pointer with
 * count > 0, E_BAD_LENGTH for count outside 0..AEC_UNPACK_MAX, E_AEC_BAD_PARAM for a width
 * outside those ranges.
 */
export function aecUnpackSamples(src: usize, storeBytes: i32, msb: bool, count: i32, dst: usize, containerBytes: i32): i32 {
  if (storeBytes < 1 || storeBytes > 4 || (containerBytes != 2 && containerBytes != 4)) return E_AEC_BAD_PARAM;
  if (count < 0 || count > AEC_UNPACK_MAX) return E_BAD_LENGTH;
  if (count == 0) return 0;
  if (src == 0 || dst == 0) return E_NULL;
  if (containerBytes == 2) unpackInto<u16>(src, storeBytes, msb, count, dst);
  else unpackInto<u32>(src, storeBytes, msb, count, dst);
  return count;
}

// @ts-ignore: decorator
@inline
function unpackInto<T>(src: usize, b: i32, msb: bool, count: i32, dst: usize): void {
  const end = dst + (<usize>count << alignof<T>());
  let p = src;
  let q = dst;
  if (b == 1) {
    for (; q < end; q += sizeof<T>(), p++) store<T>(q, <T>load<u8>(p));
  } else if (b == 2) {
    if (msb) for (; q < end; q += sizeof<T>(), p += 2) store<T>(q, <T>bswap<u16>(load<u16>(p)));
    else for (; q < end; q += sizeof<T>(), p += 2) store<T>(q, <T>load<u16>(p));
  } else if (b == 3) {
    if (msb) {
      for (; q < end; q += sizeof<T>(), p += 3) {
        store<T>(q, <T>((<u32>load<u8>(p) << 16) | (<u32>load<u8>(p, 1) << 8) | <u32>load<u8>(p, 2)));
      }
    } else {
      for (; q < end; q += sizeof<T>(), p += 3) {
        store<T>(q, <T>(<u32>load<u16>(p) | (<u32>load<u8>(p, 2) << 16)));
      }
    }
  } else {
    if (msb) for (; q < end; q += sizeof<T>(), p += 4) store<T>(q, <T>bswap<u32>(load<u32>(p)));
    else for (; q < end; q += sizeof<T>(), p += 4) store<T>(q, <T>load<u32>(p));
  }
}
