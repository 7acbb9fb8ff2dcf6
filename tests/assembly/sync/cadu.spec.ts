// CADU assembly: ASM, codeblock layout, randomizer placement, lengths and statuses.
import { caduEncode, caduLen } from "../../../assembly/sync/cadu";
import { rsEncode } from "../../../assembly/sync/reed-solomon";
import { randomizerTable } from "../../../assembly/sync/randomizer";
import { E_BAD_LENGTH, E_RS_BAD_DEPTH, E_RS_BAD_E, E_RS_BAD_FRAME_LEN, E_RS_OVERLAP, OK } from "../../../assembly/abi/status";

const FRAME = heap.alloc(2048);
const OUT = heap.alloc(4096);
const PARITY = heap.alloc(512);

function fillFrame(len: i32): void { for (let i = 0; i < len; i++) store<u8>(FRAME + <usize>i, <u8>(i * 13 + 5)); }

describe("cadu", () => {
  it("[131.0-B-5 §4.3.8] CADU length is 4 + frame + 2EI (uncoded: 4 + frame)", () => {
    expect<i32>(caduLen(223, 1, 16)).toBe(259);
    expect<i32>(caduLen(892, 4, 16)).toBe(1024);
    expect<i32>(caduLen(1115, 5, 16)).toBe(1279);
    expect<i32>(caduLen(239 * 2, 2, 8)).toBe(4 + 478 + 32);
    expect<i32>(caduLen(1000, 1, 0)).toBe(1004);
    expect<i32>(caduLen(1116, 5, 16)).toBe(E_RS_BAD_FRAME_LEN);
    expect<i32>(caduLen(223, 6, 16)).toBe(E_RS_BAD_DEPTH);
    expect<i32>(caduLen(223, 1, 4)).toBe(E_RS_BAD_E);
    expect<i32>(caduLen(0, 1, 0)).toBe(E_RS_BAD_FRAME_LEN);
    // Uncoded (E = 0): the depth is still one of {1,2,3,4,5,8} (131.0-B-5 §4.3.5), and the frame 1..65536 octets.
    expect<i32>(caduLen(1000, 6, 0)).toBe(E_RS_BAD_DEPTH);
    expect<i32>(caduLen(1000, 7, 0)).toBe(E_RS_BAD_DEPTH);
    expect<i32>(caduLen(1000, 9, 0)).toBe(E_RS_BAD_DEPTH);
    expect<i32>(caduLen(1000, 8, 0)).toBe(1004);
    expect<i32>(caduLen(65536, 1, 0)).toBe(65540);
    expect<i32>(caduLen(65537, 1, 0)).toBe(E_RS_BAD_FRAME_LEN);
  });

  it("[131.0-B-5 §9.3.1] the ASM 1ACFFC1D leads the CADU and is never randomized", () => {
    fillFrame(892);
    expect<i32>(caduEncode(FRAME, 892, 4, 16, true, OUT)).toBe(1024);
    expect<u32>(load<u8>(OUT)).toBe(0x1a);
    expect<u32>(load<u8>(OUT + 1)).toBe(0xcf);
    expect<u32>(load<u8>(OUT + 2)).toBe(0xfc);
    expect<u32>(load<u8>(OUT + 3)).toBe(0x1d);
  });

  it("[131.0-B-5 §10.2.2] randomizer covers frame ‖ check symbols from the first frame byte, after RS encoding", () => {
    const len = 1115;
    fillFrame(len);
    expect<i32>(rsEncode(FRAME, len, 5, 16, PARITY)).toBe(OK);
    const n = caduEncode(FRAME, len, 5, 16, true, OUT);
    expect<i32>(n).toBe(1279);
    const seq = randomizerTable();
    let bad = 0;
    for (let i = 0; i < n - 4; i++) {
      const plain = i < len ? load<u8>(FRAME + <usize>i) : load<u8>(PARITY + <usize>(i - len));
      if ((load<u8>(OUT + 4 + <usize>i) ^ plain) != load<u8>(seq + <usize>(i % 255))) bad++;
    }
    expect<i32>(bad).toBe(0);
    // randomizer off: the codeblock in clear
    expect<i32>(caduEncode(FRAME, len, 5, 16, false, OUT)).toBe(1279);
    for (let i = 0; i < len; i++) if (load<u8>(OUT + 4 + <usize>i) != load<u8>(FRAME + <usize>i)) bad++;
    for (let i = 0; i < 160; i++) if (load<u8>(OUT + 4 + <usize>(len + i)) != load<u8>(PARITY + <usize>i)) bad++;
    expect<i32>(bad).toBe(0);
  });

  it("[131.0-B-5 §9.4] e = 0 gives ASM ‖ frame (uncoded), randomized or not", () => {
    fillFrame(300);
    expect<i32>(caduEncode(FRAME, 300, 1, 0, false, OUT)).toBe(304);
    let bad = 0;
    for (let i = 0; i < 300; i++) if (load<u8>(OUT + 4 + <usize>i) != load<u8>(FRAME + <usize>i)) bad++;
    expect<i32>(caduEncode(FRAME, 300, 1, 0, true, OUT)).toBe(304);
    const seq = randomizerTable();
    for (let i = 0; i < 300; i++) if ((load<u8>(OUT + 4 + <usize>i) ^ load<u8>(FRAME + <usize>i)) != load<u8>(seq + <usize>(i % 255))) bad++;
    expect<i32>(bad).toBe(0);
    expect<u32>(load<u8>(OUT)).toBe(0x1a);
  });

  it("[131.0-B-5 §4.3.1] bad parameters return statuses and write nothing", () => {
    store<u8>(OUT, 0x77);
    expect<i32>(caduEncode(FRAME, 223, 1, 12, true, OUT)).toBe(E_RS_BAD_E);
    expect<i32>(caduEncode(FRAME, 223, 3, 16, true, OUT)).toBe(E_RS_BAD_FRAME_LEN);
    expect<i32>(caduEncode(FRAME, 230, 1, 16, true, OUT)).toBe(E_RS_BAD_FRAME_LEN);
    expect<i32>(caduEncode(FRAME, 223, 7, 16, true, OUT)).toBe(E_RS_BAD_DEPTH);
    expect<i32>(caduEncode(OUT + 100, 223, 1, 16, true, OUT)).toBe(E_RS_OVERLAP);
    expect<i32>(caduEncode(FRAME, 223, 1, 16, true, (<usize>memory.size() << 16) - 258)).toBe(E_BAD_LENGTH);
    expect<u32>(load<u8>(OUT)).toBe(0x77);
  });
});
