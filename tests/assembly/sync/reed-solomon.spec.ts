// Reed-Solomon encoder checked against definitions: the generator's roots, a slow bit-level
// reference encoder written here (conventional basis, explicit basis conversion via the
// §4.3.9 matrices), the codeword property, the published vector and the interleaving layout.
import { rsEncode, rsGenerator, rsRows } from "../../../assembly/sync/reed-solomon";
import { E_BAD_LENGTH, E_RS_BAD_DEPTH, E_RS_BAD_E, E_RS_BAD_FRAME_LEN, E_RS_OVERLAP, OK } from "../../../assembly/abi/status";

const FRAME = heap.alloc(8 * 255 + 8);
const PARITY = heap.alloc(8 * 32 + 8);
const PARITY2 = heap.alloc(8 * 32 + 8);

function mul(a: u32, b: u32): u32 {
  let r: u32 = 0;
  for (let i = 0; i < 8; i++) if ((b >> i) & 1) r ^= a << i;
  for (let i = 15; i >= 8; i--) if ((r >> i) & 1) r ^= 0x187 << (i - 8);
  return r;
}
function pow(a: u32, n: i32): u32 { let r: u32 = 1; for (let i = 0; i < n; i++) r = mul(r, a); return r; }
const T_INV = "10001101 11101111 11101100 10000110 11111010 10011001 10101111 01111011"; // conv → dual
const T = "11000101 01000010 00101110 11111101 11110000 01111001 10101100 11001100"; // dual → conv
function mat(m: string, v: u32): u32 {
  let out: u32 = 0;
  for (let i = 0; i < 8; i++) {
    if (!((v >> (7 - i)) & 1)) continue;
    for (let j = 0; j < 8; j++) if (m.charCodeAt(i * 9 + j) == 49) out ^= 1 << (7 - j);
  }
  return out;
}
// Generator built here from its roots α^(11j), j = 128-E … 127+E.
function refGen(e: i32): StaticArray<u32> {
  const g = new StaticArray<u32>(2 * e + 1);
  g[0] = 1;
  for (let j = 0; j < 2 * e; j++) {
    const root = pow(2, (11 * (128 - e + j)) % 255);
    for (let i = j + 1; i > 0; i--) g[i] = g[i - 1] ^ mul(root, g[i]);
    g[0] = mul(root, g[0]);
  }
  return g;
}
// Slow reference: one codeword, data k symbols with stride `depth` from `ptr`, parity out.
function refEncode(ptr: usize, k: i32, depth: i32, e: i32, g: StaticArray<u32>): StaticArray<u32> {
  const n2 = 2 * e;
  const r = new StaticArray<u32>(n2);
  for (let j = 0; j < k; j++) {
    const f = mat(T, <u32>load<u8>(ptr + <usize>(j * depth))) ^ r[0];
    for (let i = 0; i < n2 - 1; i++) r[i] = r[i + 1] ^ mul(f, g[n2 - 1 - i]);
    r[n2 - 1] = mul(f, g[0]);
  }
  for (let i = 0; i < n2; i++) r[i] = mat(T_INV, r[i]);
  return r;
}
let seed: u32 = 0x9e3779b9;
function rnd(): u32 { seed ^= seed << 13; seed ^= seed >> 17; seed ^= seed << 5; return seed; }

describe("reed-solomon", () => {
  it("[131.0-B-5 §4.3.4] generator polynomials regenerated from the roots α^(11j), j = 128-E…127+E", () => {
    for (let e = 8; e <= 16; e += 8) {
      const ours = rsGenerator(e);
      const g = refGen(e);
      let bad = 0;
      for (let i = 0; i <= 2 * e; i++) if (<u32>load<u8>(ours + <usize>i) != g[i]) bad++;
      expect<i32>(bad).toBe(0);
      expect<u32>(g[2 * e]).toBe(1);
      // every root is a zero of g(x)
      for (let j = 0; j < 2 * e; j++) {
        const x = pow(2, (11 * (128 - e + j)) % 255);
        let acc: u32 = 0;
        for (let i = 2 * e; i >= 0; i--) acc = mul(acc, x) ^ g[i];
        if (acc != 0) bad++;
      }
      expect<i32>(bad).toBe(0);
    }
  });

  it("[131.0-B-5 §4.3.9] dual-basis parity rows regenerated from g(x) and the basis matrices", () => {
    for (let e = 8; e <= 16; e += 8) {
      const rows = rsRows(e);
      const g = refGen(e);
      let bad = 0;
      for (let f: u32 = 0; f < 256; f++) {
        for (let k = 0; k < 2 * e; k++) {
          const want = mat(T_INV, mul(mat(T, f), g[2 * e - 1 - k]));
          if (<u32>load<u8>(rows + <usize>(f * <u32>(2 * e) + <u32>k)) != want) bad++;
        }
      }
      expect<i32>(bad).toBe(0);
    }
  });

  it("[131.0-B-5 §4.3.9] RS(255,223) dual-basis parity of data 00 01 … DE begins 4F FB 92 DD", () => {
    for (let i = 0; i < 223; i++) store<u8>(FRAME + <usize>i, <u8>i);
    expect<i32>(rsEncode(FRAME, 223, 1, 16, PARITY)).toBe(OK);
    expect<u32>(load<u8>(PARITY)).toBe(0x4f);
    expect<u32>(load<u8>(PARITY + 1)).toBe(0xfb);
    expect<u32>(load<u8>(PARITY + 2)).toBe(0x92);
    expect<u32>(load<u8>(PARITY + 3)).toBe(0xdd);
  });

  it("[131.0-B-5 §4.3.5] equals the slow reference at every depth and E, full and shortened, parity interleaved k·I + c", () => {
    const depths: i32[] = [1, 2, 3, 4, 5, 8];
    let bad = 0;
    for (let e = 8; e <= 16; e += 8) {
      const g = refGen(e);
      const k = 255 - 2 * e;
      for (let d = 0; d < depths.length; d++) {
        const depth = depths[d];
        const lens: i32[] = [k * depth, (k - 1) * depth, 17 * depth, depth];
        for (let li = 0; li < lens.length; li++) {
          const len = lens[li];
          for (let i = 0; i < len; i++) store<u8>(FRAME + <usize>i, <u8>rnd());
          if (rsEncode(FRAME, len, depth, e, PARITY) != OK) bad++;
          for (let c = 0; c < depth; c++) {
            const r = refEncode(FRAME + <usize>c, len / depth, depth, e, g);
            for (let j = 0; j < 2 * e; j++) if (<u32>load<u8>(PARITY + <usize>(j * depth + c)) != r[j]) bad++;
          }
        }
      }
    }
    expect<i32>(bad).toBe(0);
  });

  it("[131.0-B-5 §4.3.4] every encoded codeword, read in the conventional basis, vanishes at all 2E roots", () => {
    let bad = 0;
    for (let e = 8; e <= 16; e += 8) {
      const k = 255 - 2 * e;
      for (let t = 0; t < 4; t++) {
        for (let i = 0; i < k; i++) store<u8>(FRAME + <usize>i, <u8>rnd());
        rsEncode(FRAME, k, 1, e, PARITY);
        for (let j = 0; j < 2 * e; j++) {
          const x = pow(2, (11 * (128 - e + j)) % 255);
          let acc: u32 = 0; // Horner over c(x) = data (highest degree first) ‖ parity
          for (let i = 0; i < k; i++) acc = mul(acc, x) ^ mat(T, <u32>load<u8>(FRAME + <usize>i));
          for (let i = 0; i < 2 * e; i++) acc = mul(acc, x) ^ mat(T, <u32>load<u8>(PARITY + <usize>i));
          if (acc != 0) bad++;
        }
      }
    }
    expect<i32>(bad).toBe(0);
  });

  it("[131.0-B-5 §4.3.7] a shortened frame has the parity of the full frame with leading zero fill", () => {
    let bad = 0;
    const depth = 5;
    const short = 100 * depth;
    const full = 223 * depth;
    for (let i = 0; i < full - short; i++) store<u8>(FRAME + <usize>i, 0);
    for (let i = full - short; i < full; i++) store<u8>(FRAME + <usize>i, <u8>rnd());
    expect<i32>(rsEncode(FRAME, full, depth, 16, PARITY)).toBe(OK);
    expect<i32>(rsEncode(FRAME + <usize>(full - short), short, depth, 16, PARITY2)).toBe(OK);
    for (let i = 0; i < 32 * depth; i++) if (load<u8>(PARITY + <usize>i) != load<u8>(PARITY2 + <usize>i)) bad++;
    expect<i32>(bad).toBe(0);
  });

  it("[131.0-B-5 §4.3.1] bad E, depth, frame length or buffers return statuses", () => {
    expect<i32>(rsEncode(FRAME, 223, 1, 0, PARITY)).toBe(E_RS_BAD_E);
    expect<i32>(rsEncode(FRAME, 223, 1, 7, PARITY)).toBe(E_RS_BAD_E);
    expect<i32>(rsEncode(FRAME, 223, 1, 32, PARITY)).toBe(E_RS_BAD_E);
    expect<i32>(rsEncode(FRAME, 223, 0, 16, PARITY)).toBe(E_RS_BAD_DEPTH);
    expect<i32>(rsEncode(FRAME, 223 * 6, 6, 16, PARITY)).toBe(E_RS_BAD_DEPTH);
    expect<i32>(rsEncode(FRAME, 223 * 7, 7, 16, PARITY)).toBe(E_RS_BAD_DEPTH);
    expect<i32>(rsEncode(FRAME, 223 * 9, 9, 16, PARITY)).toBe(E_RS_BAD_DEPTH);
    expect<i32>(rsEncode(FRAME, -5, 1, 16, PARITY)).toBe(E_RS_BAD_FRAME_LEN);
    expect<i32>(rsEncode(FRAME, 0, 1, 16, PARITY)).toBe(E_RS_BAD_FRAME_LEN);
    expect<i32>(rsEncode(FRAME, 224, 1, 16, PARITY)).toBe(E_RS_BAD_FRAME_LEN);
    expect<i32>(rsEncode(FRAME, 240, 1, 8, PARITY)).toBe(E_RS_BAD_FRAME_LEN);
    expect<i32>(rsEncode(FRAME, 223 * 5 + 1, 5, 16, PARITY)).toBe(E_RS_BAD_FRAME_LEN);
    expect<i32>(rsEncode(FRAME, 224 * 4, 4, 16, PARITY)).toBe(E_RS_BAD_FRAME_LEN);
    expect<i32>(rsEncode(FRAME, 239 * 8, 8, 8, PARITY)).toBe(OK);
    // buffers: overlapping frame and parity, or running past the end of linear memory
    expect<i32>(rsEncode(FRAME, 223, 1, 16, FRAME + 200)).toBe(E_RS_OVERLAP);
    expect<i32>(rsEncode(FRAME + 31, 223, 1, 16, FRAME)).toBe(E_RS_OVERLAP);
    expect<i32>(rsEncode(FRAME + 32, 223, 1, 16, FRAME)).toBe(OK); // adjacent, not overlapping
    expect<i32>(rsEncode(FRAME, 223, 1, 16, FRAME + 223)).toBe(OK); // parity right after the frame: adjacent too
    expect<i32>(rsEncode(FRAME, 223, 1, 16, FRAME + 222)).toBe(E_RS_OVERLAP);
    const top = <usize>memory.size() << 16;
    expect<i32>(rsEncode(top - 100, 223, 1, 16, PARITY)).toBe(E_BAD_LENGTH);
    expect<i32>(rsEncode(FRAME, 223, 1, 16, top - 31)).toBe(E_BAD_LENGTH);
    expect<i32>(rsEncode(FRAME, 223, 1, 16, top - 32)).toBe(OK);
  });
});
