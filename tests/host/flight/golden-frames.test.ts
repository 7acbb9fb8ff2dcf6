// The flight packetizer + framer + channel coder (build/lib.wasm) reproduce the three golden
// CADUs of shared/vectors/framing bit for bit, each built from its specification.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadFlightLib } from "../../../host/obc/lib.ts";

const shared = process.env.TENGRI_SHARED ?? fileURLToPath(new URL("../../../../shared", import.meta.url));
const dir = join(shared, "vectors", "framing");
const skip = existsSync(dir) ? false : `golden vectors not found at ${dir} (set TENGRI_SHARED); CI has them`;

function caduOf(lib: ReturnType<typeof loadFlightLib>, framePtr: number, frameLen: number, depth: number): Uint8Array {
  const x = lib.exports;
  const len = x.syncCaduLen(frameLen, depth, 16);
  const out = lib.alloc(len);
  assert.equal(x.syncCaduEncode(framePtr, frameLen, depth, 16, true, out), len);
  return lib.u8().slice(out, out + len);
}

test("[131.0-B-5 §4] golden A: TM frame with one packet, RS(255,223) I=1, randomized, ASM — bit-exact from the flight chain", { skip }, () => {
  const lib = loadFlightLib();
  const x = lib.exports;
  const buf = lib.alloc(x.frameBufferLen(223));
  assert.equal(x.frameConfigure(0, 0x0ab, 223, true, false, 0, 7, 0, buf), 0);
  const slot = x.frameSlot(1);
  const pkt = lib.alloc(215);
  x.packetHeader(pkt, 0x010, true, 3, 0, 209);
  for (let i = 0; i < 209; i++) lib.u8()[pkt + 6 + i] = i;
  assert.equal(x.framePut(slot, pkt, 215, true), 215);
  const f = x.frameClose(slot) >>> 0;
  assert.deepEqual(lib.u8().slice(f, f + 223), new Uint8Array(readFileSync(join(dir, "golden_A_tm_I1.frame"))));
  assert.deepEqual(caduOf(lib, f, 223, 1), new Uint8Array(readFileSync(join(dir, "golden_A_tm_I1.cadu"))));
  // Golden C follows A on the same master channel: MC count 1, idle VC 7.
  const idle = x.frameIdle() >>> 0;
  assert.deepEqual(lib.u8().slice(idle, idle + 223), new Uint8Array(readFileSync(join(dir, "golden_C_tm_idle_I1.frame"))));
  assert.deepEqual(caduOf(lib, idle, 223, 1), new Uint8Array(readFileSync(join(dir, "golden_C_tm_idle_I1.cadu"))));
});

test("[732.0-B-4 §4.1.4] golden B: AOS 892-octet frame, M_PDU with one idle packet, RS I=4 — bit-exact from the flight chain", { skip }, () => {
  const lib = loadFlightLib();
  const x = lib.exports;
  const buf = lib.alloc(x.frameBufferLen(892));
  assert.equal(x.frameConfigure(1, 157, 892, false, false, 0, 63, 1, buf), 0);
  const slot = x.frameSlot(16);
  x.framePadIdle(slot);
  const f = x.frameClose(slot) >>> 0;
  assert.deepEqual(lib.u8().slice(f, f + 892), new Uint8Array(readFileSync(join(dir, "golden_B_aos_I4_L892.frame"))));
  assert.deepEqual(caduOf(lib, f, 892, 4), new Uint8Array(readFileSync(join(dir, "golden_B_aos_I4_L892.cadu"))));
});
