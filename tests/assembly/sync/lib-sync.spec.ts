// The library build's sync/CRC layer (assembly/lib/sync.ts, used by the host and the benchmarks):
// each wrapper gives exactly what the flight module gives, and the *Many loops equal n single calls.
import { syncCrc16, syncRandomize, syncRsEncode, syncRsEncodeMany, syncCrc16Many, syncRandomizeMany } from "../../../assembly/lib/sync";
import { crc16 } from "../../../assembly/util/crc16";
import { rsEncode } from "../../../assembly/sync/reed-solomon";

const N = 3, LEN = 223 * 2;
const BUF = heap.alloc(N * LEN);
const COPY = heap.alloc(N * LEN);
const P1 = heap.alloc(N * 64);
const P2 = heap.alloc(N * 64);

function fill(seed: u32): void {
  let s = seed;
  for (let i = 0; i < N * LEN; i++) { s ^= s << 13; s ^= s >> 17; s ^= s << 5; store<u8>(BUF + <usize>i, <u8>s); }
  memory.copy(COPY, BUF, N * LEN);
}
function same(a: usize, b: usize, n: i32): bool {
  for (let i = 0; i < n; i++) if (load<u8>(a + <usize>i) != load<u8>(b + <usize>i)) return false;
  return true;
}

describe("lib sync layer", () => {
  it("[132.0-B-3 §4.1.6] syncCrc16 is crc16; syncCrc16Many is the XOR of the CRCs of n frames", () => {
    fill(7);
    expect<u32>(syncCrc16(BUF, LEN, 0xffff)).toBe(crc16(BUF, LEN, 0xffff));
    let acc: u32 = 0;
    for (let i = 0; i < N; i++) acc ^= crc16(BUF + <usize>(i * LEN), LEN, 0xffff);
    expect<u32>(syncCrc16Many(BUF, LEN, N)).toBe(acc);
    expect<u32>(syncCrc16Many(BUF, LEN, 0)).toBe(0);
  });

  it("[131.0-B-5 §10] the randomizer is an involution: applied twice (one frame, or n frames) the data come back", () => {
    fill(11);
    syncRandomize(BUF, LEN);
    expect<bool>(same(BUF, COPY, LEN)).toBe(false);
    syncRandomize(BUF, LEN);
    expect<bool>(same(BUF, COPY, LEN)).toBe(true);
    syncRandomizeMany(BUF, LEN, N);
    expect<bool>(same(BUF + <usize>((N - 1) * LEN), COPY + <usize>((N - 1) * LEN), LEN)).toBe(false);
    syncRandomizeMany(BUF, LEN, N);
    expect<bool>(same(BUF, COPY, N * LEN)).toBe(true);
  });

  it("[131.0-B-5 §4.3] syncRsEncode is rsEncode; syncRsEncodeMany gives each frame's parity; a bad E is refused", () => {
    fill(13);
    expect<i32>(syncRsEncode(BUF, LEN, 2, 16, P1)).toBe(rsEncode(BUF, LEN, 2, 16, P2));
    expect<bool>(same(P1, P2, 64)).toBe(true);
    expect<i32>(syncRsEncodeMany(BUF, LEN, 2, 16, P1, N)).toBe(N);
    for (let i = 0; i < N; i++) {
      expect<i32>(rsEncode(BUF + <usize>(i * LEN), LEN, 2, 16, P2)).toBeGreaterThanOrEqual(0);
      expect<bool>(same(P1 + <usize>(i * 64), P2, 64)).toBe(true);
    }
    expect<i32>(syncRsEncodeMany(BUF, LEN, 2, 3, P1, N)).toBeLessThan(0);
  });
});
