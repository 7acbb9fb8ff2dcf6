// The optional parts of the CCSDS 123 header (§5.3.3.2 weight tables, §5.3.3.3 representative
// tables, §5.3.4.4 block-adaptive coder): present exactly when the parameters ask for them, at
// their place, with their content.
import { hypStateLen, hypInit, hypHeader } from "../../../assembly/compress/hyper123/encoder";
import { hypCheckParams, PRM_COUNT, PRM_NX, PRM_NY, PRM_NZ, PRM_D, PRM_ORDER, PRM_M, PRM_B, PRM_P, PRM_R, PRM_OMEGA, PRM_TINC_LOG,
  PRM_NU_MIN, PRM_NU_MAX, PRM_UMAX, PRM_GSTAR, PRM_G0, PRM_K, PRM_PERIOD_U, PRM_WINIT_Q, PRM_WINIT_TABLE, PRM_WEO_TABLE, PRM_CODER,
  PRM_BA_J, PRM_BA_RSI, PRM_BA_RESTRICTED, PRM_REP_FLAG, PRM_THETA, PRM_FIDELITY, PRM_ABS_BITS, PRM_ABS, PRM_PHI_TABLE, PRM_PSI_TABLE
} from "../../../assembly/compress/hyper123/params";

const PRM = heap.alloc(PRM_COUNT * 4);
const STATE = heap.alloc(1 << 16);
const OUT = heap.alloc(4096);
const TAB = heap.alloc(512);
const TAB2 = heap.alloc(512);
const NZ = 3;
/** Image metadata (§5.3.2, 12 octets) and the predictor metadata's primary part (§5.3.3.1, 5 octets). */
const TABLES_AT = 12 + 5;

function set(i: i32, v: i32): void { store<i32>(PRM + (<usize>i << 2), v); }
function base(): void {
  for (let i = 0; i < PRM_COUNT; i++) set(i, 0);
  set(PRM_PERIOD_U, -1);
  set(PRM_NX, 8); set(PRM_NY, 4); set(PRM_NZ, NZ); set(PRM_D, 16); set(PRM_ORDER, 1); set(PRM_M, 1); set(PRM_B, 1);
  set(PRM_P, 3); set(PRM_R, 32); set(PRM_OMEGA, 13); set(PRM_TINC_LOG, 6); set(PRM_NU_MIN, -1); set(PRM_NU_MAX, 3);
  set(PRM_UMAX, 18); set(PRM_GSTAR, 6); set(PRM_G0, 1); set(PRM_K, 7);
}
/** The header of the current parameters (checked valid first). */
function header(): i32 {
  expect<i32>(hypCheckParams(PRM)).toBe(-1);
  const len = hypStateLen(PRM);
  expect<bool>(len > 0 && len <= (1 << 16)).toBe(true);
  expect<i32>(hypInit(STATE, len, PRM)).toBe(0);
  return hypHeader(STATE, PRM, OUT, 4096);
}
function octet(i: i32): u8 { return load<u8>(OUT + <usize>i); }

describe("hyper123 header optional parts", () => {
  it("[123.0-B-2 §5.3.3.2] a custom weight initialisation table (Q = 5): 12 weights × 5 bits, filled to 8 octets after the primary part", () => {
    base();
    const plain = header();
    for (let i = 0; i < NZ * 6; i++) store<i32>(TAB + (<usize>i << 2), -1);
    set(PRM_WINIT_Q, 5); set(PRM_WINIT_TABLE, <i32>TAB);
    const n = header();
    expect<i32>(n).toBe(plain + 8);
    for (let i = 0; i < 7; i++) expect<u8>(octet(TABLES_AT + i)).toBe(0xFF);
    expect<u8>(octet(TABLES_AT + 7)).toBe(0xF0);    // 60 bits of ones, then 4 fill bits
  });

  it("[123.0-B-2 §5.3.3.2] weight exponent offsets: 1 + 2 + 3 four-bit entries (P* = 0, 1, 2 … full mode), 3 octets", () => {
    base();
    const plain = header();
    for (let i = 0; i < NZ * 4; i++) store<i32>(TAB + (<usize>i << 2), -1);
    set(PRM_WEO_TABLE, <i32>TAB);
    const n = header();
    expect<i32>(n).toBe(plain + 3);
    for (let i = 0; i < 3; i++) expect<u8>(octet(TABLES_AT + i)).toBe(0xFF);
  });

  it("[123.0-B-2 §5.3.3.3] damping and offset tables (θ = 2): one 2-bit entry per band each, each filled to an octet", () => {
    base(); set(PRM_FIDELITY, 1); set(PRM_ABS_BITS, 4); set(PRM_ABS, 1); set(PRM_REP_FLAG, 1); set(PRM_THETA, 2);
    const plain = header();
    for (let z = 0; z < NZ; z++) { store<u16>(TAB + (<usize>z << 1), 3); store<u16>(TAB2 + (<usize>z << 1), 2); }
    set(PRM_PHI_TABLE, <i32>TAB); set(PRM_PSI_TABLE, <i32>TAB2);
    const n = header();
    expect<i32>(n).toBe(plain + 2);
  });

  it("[123.0-B-2 §5.3.4.4] block-adaptive coder: 0, J code (2 bits), restricted, r mod 2^12 close the header", () => {
    base(); set(PRM_CODER, 2); set(PRM_BA_J, 32); set(PRM_BA_RSI, 4095); set(PRM_BA_RESTRICTED, 0);
    let n = header();
    expect<u8>(octet(n - 2)).toBe(0x4F);     // 0 10 0 1111…
    expect<u8>(octet(n - 1)).toBe(0xFF);
    base(); set(PRM_CODER, 2); set(PRM_BA_J, 8); set(PRM_BA_RSI, 1); set(PRM_BA_RESTRICTED, 1); set(PRM_D, 4);
    n = header();
    expect<u8>(octet(n - 2)).toBe(0x10);     // 0 00 1 0000 0000 0001
    expect<u8>(octet(n - 1)).toBe(0x01);
    base(); set(PRM_CODER, 2); set(PRM_BA_J, 16); set(PRM_BA_RSI, 2);
    n = header();
    expect<u8>(octet(n - 2)).toBe(0x20);     // J = 16: code 1
    base(); set(PRM_CODER, 2); set(PRM_BA_J, 64); set(PRM_BA_RSI, 2);
    n = header();
    expect<u8>(octet(n - 2)).toBe(0x60);     // J = 64: code 3
  });

  it("[123.0-B-2 §5.3.2] a header larger than the room given is refused (-3), not truncated", () => {
    base();
    const len = hypStateLen(PRM);
    expect<i32>(hypInit(STATE, len, PRM)).toBe(0);
    expect<i32>(hypHeader(STATE, PRM, OUT, 4)).toBe(-3);
  });
});
