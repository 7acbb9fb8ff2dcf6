// CCSDS 121.0-B-3 flight encoder, clause by clause. Expected streams: worked by hand from the
// standard where short (noted), the others produced by Debian's libaec 1.0.6 `aec` with the
// flags given (external reference; the libaec interop test covers the wide grid).
import {
  AEC_STATE_LEN, AEC_PREPROCESS, AEC_SIGNED, AEC_RESTRICTED, AEC_PAD_RSI,
  aecInit, aecStartUnit, aecEncode16, aecEncode32, aecEndUnit, aecMaxOutLen, aecCheckConfig, aecIdLen,
} from "../../../assembly/compress/aec121/encoder";
import { mapBlock } from "../../../assembly/compress/aec121/preprocessor";
import {
  E_AEC_BAD_BITS, E_AEC_BAD_BLOCK, E_AEC_BAD_RSI, E_AEC_BAD_RESTRICTED, E_AEC_BAD_FLAGS, E_AEC_BAD_STATE, E_OUT_FULL,
} from "../../../assembly/abi/status";

const STATE = heap.alloc(<usize>AEC_STATE_LEN);
const IN = heap.alloc(65536 * 4);
const OUT = heap.alloc(1 << 20);
const OUT_CAP: i32 = 1 << 20;

function hex(ptr: usize, len: i32): string {
  let s = "";
  const digits = "0123456789abcdef";
  for (let i = 0; i < len; i++) {
    const b = load<u8>(ptr + <usize>i);
    s += digits.charAt(b >> 4) + digits.charAt(b & 15);
  }
  return s;
}

/** Encode `values` as one unit, `chunk` samples per call; returns the stream as hex. */
function encode(values: u32[], n: i32, J: i32, rsi: i32, flags: i32, chunk: i32 = 0x7fffffff): string {
  expect<i32>(aecInit(STATE, n, J, rsi, flags)).toBe(0);
  const wide = n > 16;
  for (let i = 0; i < values.length; i++) {
    if (wide) store<u32>(IN + (<usize>i << 2), values[i]);
    else store<u16>(IN + (<usize>i << 1), <u16>values[i]);
  }
  let o: i32 = 0;
  for (let i = 0; i < values.length; i += chunk) {
    const cnt = min(chunk, values.length - i);
    const w = wide
      ? aecEncode32(STATE, IN + (<usize>i << 2), cnt, OUT + <usize>o, OUT_CAP - o)
      : aecEncode16(STATE, IN + (<usize>i << 1), cnt, OUT + <usize>o, OUT_CAP - o);
    expect<i32>(w).toBeGreaterThanOrEqual(0);
    o += w;
  }
  const e = aecEndUnit(STATE, OUT + <usize>o, OUT_CAP - o);
  expect<i32>(e).toBeGreaterThanOrEqual(0);
  return hex(OUT, o + e);
}

function filled(count: i32, v: u32): u32[] {
  const a = new Array<u32>(count);
  for (let i = 0; i < count; i++) a[i] = v;
  return a;
}

describe("CCSDS 121.0-B-3 encoder", () => {
  it("[121.0-B-3 §4.4] prediction error mapper: 2Δ, 2|Δ|-1 and θ+|Δ| cases (worked by hand)", () => {
    // x = 10 (reference), 12, 9, 0, 255, 250; n = 8 unsigned
    const x: u32[] = [10, 12, 9, 0, 255, 250, 250, 251];
    for (let i = 0; i < 8; i++) store<u16>(IN + (<usize>i << 1), <u16>x[i]);
    const d = OUT;
    const sum = mapBlock<u16, u64>(0, 0, 255, 8, IN, d, 8, true);
    const want: u32[] = [0, 4, 5, 17, 255, 5, 0, 2];
    for (let i = 0; i < 8; i++) expect<u32>(load<u32>(d + (<usize>i << 2))).toBe(want[i]);
    expect<u64>(sum).toBe(288);
  });

  it("[121.0-B-3 §4.4] mapper for signed samples: θ from xmin = -2^(n-1), xmax = 2^(n-1)-1", () => {
    // n = 4 signed: -8..7. x = -8 (ref), 7, 6, -8: Δ=15 θ=0 → 15; Δ=-1 θ=0 → 1; Δ=-14 θ=min(14,1)=1 → 15;
    // then -8, -7 (Δ=1 θ=0 → 1), -8 (Δ=-1 θ=1 → 1), 0 (Δ=8 θ=0 → 8)
    const x: i32[] = [-8, 7, 6, -8, -8, -7, -8, 0];
    for (let i = 0; i < 8; i++) store<u16>(IN + (<usize>i << 1), <u16>(x[i] & 0xffff));
    mapBlock<u16, i64>(0, -8, 7, 4, IN, OUT, 8, true);
    const want: u32[] = [0, 15, 1, 15, 0, 1, 1, 8];
    for (let i = 0; i < 8; i++) expect<u32>(load<u32>(OUT + (<usize>i << 2))).toBe(want[i]);
  });

  it("[121.0-B-3 §3.4.3] zero-block: 8 all-zero blocks ending the RSI coded as remainder of segment (worked by hand: 0000 00000101 00001)", () => {
    expect<string>(encode(filled(64, 5), 8, 8, 8, AEC_PREPROCESS)).toBe("005080");
  });

  it("[121.0-B-3 §3.4.3] zero-block: runs of 2 and 1 blocks at RSI ends, then a new reference (libaec aec -n8 -j8 -r3)", () => {
    const v = filled(24, 5);
    for (let i = 16; i < 24; i++) v[i] = 6;
    expect<string>(encode(v, 8, 8, 3, AEC_PREPROCESS)).toBe("00544780");
  });

  it("[121.0-B-3 §3.4.2] second extension option on low-entropy blocks (libaec aec -n8 -j8 -r2 -N)", () => {
    expect<string>(encode([0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0], 8, 8, 2, 0)).toBe("136338");
  });

  it("[121.0-B-3 §3.2] fundamental sequence option, k = 0 (libaec aec -n8 -j8 -r2 -N)", () => {
    expect<string>(encode([0, 1, 2, 1, 0, 2, 3, 1, 2, 1, 0, 1, 2, 3, 1, 0], 8, 8, 2, 0)).toBe("34b2292d22c0");
  });

  it("[121.0-B-3 §3.3] split-sample options: FS of the MSBs then the k LSBs (libaec aec -n8 -j8 -r2 -N)", () => {
    expect<string>(encode([18, 12, 20, 28, 9, 10, 25, 11, 19, 26, 9, 24, 14, 9, 10, 21], 8, 8, 2, 0)).toBe("ad765899353756f4ea63a694");
  });

  it("[121.0-B-3 §3.5] no-compression option with ID all ones (libaec aec -n8 -j8 -r2 -N)", () => {
    expect<string>(encode([214, 35, 123, 46, 217, 30, 63, 114, 31, 203, 25, 113, 23, 68, 148, 214], 8, 8, 2, 0)).toBe("fac46f65db23c7ee5c7f2c65c45d125358");
  });

  it("[121.0-B-3 §5.1.2] restricted code option set, n = 2: 1-bit option ID (libaec aec -n2 -j16 -r2 -t)", () => {
    const v: u32[] = [1, 0, 2, 1, 0, 1, 2, 0, 0, 0, 1, 3, 3, 2, 3, 3, 2, 2, 1, 1, 1, 0, 2, 3, 2, 3, 2, 0, 0, 3, 1, 2];
    expect<string>(encode(v, 2, 16, 2, AEC_PREPROCESS | AEC_RESTRICTED)).toBe("acad838c510699ce80");
    expect<i32>(aecIdLen(2, true)).toBe(1);
    expect<i32>(aecIdLen(4, true)).toBe(2);
    expect<i32>(aecIdLen(8, false)).toBe(3);
    expect<i32>(aecIdLen(16, false)).toBe(4);
    expect<i32>(aecIdLen(17, false)).toBe(5);
  });

  it("[121.0-B-3 §4.3] signed 12-bit samples with a reference every block; sign-extended input gives the same stream (libaec aec -n12 -j8 -r1 -s)", () => {
    const v: u32[] = [4091, 4093, 0, 2, 7, 3996, 2000, 2048, 5, 5, 4, 3, 2, 1, 0, 4095];
    expect<string>(encode(v, 12, 8, 1, AEC_PREPROCESS | AEC_SIGNED)).toBe("bffbf8880803008051abe87fe200b555");
    const ext = new Array<u32>(16);
    for (let i = 0; i < 16; i++) ext[i] = v[i] >= 2048 ? (v[i] | 0xf000) : v[i];
    expect<string>(encode(ext, 12, 8, 1, AEC_PREPROCESS | AEC_SIGNED)).toBe("bffbf8880803008051abe87fe200b555");
  });

  it("[121.0-B-3 §5.1.4] RSI padding: each RSI ends on a byte boundary (worked by hand: 0000 00000101 1 + 3 fill bits)", () => {
    expect<string>(encode(filled(24, 5), 8, 8, 1, AEC_PREPROCESS | AEC_PAD_RSI)).toBe("005800580058");
    // unpadded: 13 bits per RSI, back to back, one fill bit at the end
    expect<string>(encode(filled(24, 5), 8, 8, 1, AEC_PREPROCESS)).toBe("005802c016");
  });

  it("[121.0-B-3 §5.1] streaming: line by line (any chunk size) gives the stream of one call", () => {
    const v = new Array<u32>(1000);
    let x: i32 = 3000;
    for (let i = 0; i < 1000; i++) { x = (x + ((i * 7919) % 61) - 30) & 0xfff; v[i] = <u32>x; }
    const whole = encode(v, 12, 16, 5, AEC_PREPROCESS);
    expect<string>(encode(v, 12, 16, 5, AEC_PREPROCESS, 1)).toBe(whole);
    expect<string>(encode(v, 12, 16, 5, AEC_PREPROCESS, 17)).toBe(whole);
    expect<string>(encode(v, 12, 16, 5, AEC_PREPROCESS, 64)).toBe(whole);
  });

  it("[121.0-B-3 §4.3] a new unit restarts the reference and the predictor: two units are two independent streams", () => {
    const a = encode(filled(32, 9), 8, 8, 4, AEC_PREPROCESS);
    expect<i32>(aecStartUnit(STATE)).toBe(0);
    const w = aecEncode16(STATE, IN, 32, OUT, OUT_CAP);
    const e = aecEndUnit(STATE, OUT + <usize>w, OUT_CAP - w);
    expect<string>(hex(OUT, w + e)).toBe(a);
  });

  it("[121.0-B-3 §5.1.1] configuration checks: n 0/33, J 12, RSI 0/5000, restricted with n = 8, unknown flags", () => {
    expect<i32>(aecCheckConfig(0, 16, 8, 8)).toBe(E_AEC_BAD_BITS);
    expect<i32>(aecCheckConfig(33, 16, 8, 8)).toBe(E_AEC_BAD_BITS);
    expect<i32>(aecCheckConfig(8, 12, 8, 8)).toBe(E_AEC_BAD_BLOCK);
    expect<i32>(aecCheckConfig(8, 16, 0, 8)).toBe(E_AEC_BAD_RSI);
    expect<i32>(aecCheckConfig(8, 16, 5000, 8)).toBe(E_AEC_BAD_RSI);
    expect<i32>(aecCheckConfig(8, 16, 8, 8 | AEC_RESTRICTED)).toBe(E_AEC_BAD_RESTRICTED);
    expect<i32>(aecCheckConfig(8, 16, 8, 1 << 9)).toBe(E_AEC_BAD_FLAGS);
    expect<i32>(aecInit(STATE, 33, 16, 8, 8)).toBe(E_AEC_BAD_BITS);
    expect<i32>(aecStartUnit(STATE)).toBe(E_AEC_BAD_STATE);      // refused config leaves no usable state
    expect<i32>(aecInit(STATE, 17, 16, 8, 8)).toBe(0);
    expect<i32>(aecEncode16(STATE, IN, 16, OUT, OUT_CAP)).toBe(E_AEC_BAD_STATE); // n > 16 needs 32-bit containers
  });

  it("aecMaxOutLen bounds the worst case: random samples, RSI 1 with padding, every n class and J", () => {
    const ns: i32[] = [1, 2, 3, 8, 9, 16, 17, 32];
    const js: i32[] = [8, 64];
    let seed: u32 = 12345;
    for (let a = 0; a < ns.length; a++) {
      for (let b = 0; b < js.length; b++) {
        const n = ns[a], J = js[b];
        expect<i32>(aecInit(STATE, n, J, 1, AEC_PREPROCESS | AEC_PAD_RSI)).toBe(0);
        const count = J * 50 + 5;
        for (let i = 0; i < count; i++) {
          seed = seed * 1103515245 + 12345;
          store<u32>(IN + (<usize>i << 2), seed ^ (seed >>> 15));
        }
        const cap = aecMaxOutLen(STATE, count);
        const w = aecEncode32(STATE, IN, count, OUT, cap);
        expect<i32>(w).toBeGreaterThanOrEqual(0);
        expect<i32>(w).toBeLessThanOrEqual(cap);
        const e = aecEndUnit(STATE, OUT + <usize>w, aecMaxOutLen(STATE, 0));
        expect<i32>(e).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it("output space is checked once at entry: too small a buffer is refused before anything is consumed", () => {
    expect<i32>(aecInit(STATE, 12, 16, 8, AEC_PREPROCESS)).toBe(0);
    const need = aecMaxOutLen(STATE, 256);
    expect<i32>(aecEncode16(STATE, IN, 256, OUT, need - 1)).toBe(E_OUT_FULL);
    expect<i32>(aecEncode16(STATE, IN, 256, OUT, need)).toBeGreaterThanOrEqual(0);
  });
});
