// Header fields the ground decoders read, each bit at its place (what the mutation campaign,
// npm run mutate, found untested): TM data field status flags, the AOS signalling field.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseTmHeader } from "../../../host/ground/tm-frame.ts";
import { parseAosHeader } from "../../../host/ground/aos-frame.ts";

test("[132.0-B-3 §4.1.2.7] TM data field status: secondary header, synchronisation, packet order flags, segment length id and FHP each at its bit", () => {
  const h = (w2: number) => parseTmHeader(new Uint8Array([0x0a, 0xb2, 0x10, 0x20, w2 >>> 8, w2 & 0xff]));
  const base = h(0x1800 | 0x123);                                   // segment length id 11, FHP 0x123
  assert.deepEqual([base.secHdrFlag, base.syncFlag, base.packetOrderFlag, base.segLenId, base.fhp], [false, false, false, 3, 0x123]);
  assert.deepEqual([base.version, base.scid, base.vcid, base.ocfFlag, base.mcCount, base.vcCount], [0, 0x0ab, 1, false, 0x10, 0x20]);
  const sync = h(0x4000 | 0x1800);                                  // bit 14: synchronisation flag only
  assert.deepEqual([sync.secHdrFlag, sync.syncFlag, sync.packetOrderFlag], [false, true, false]);
  const order = h(0x2000 | 0x1800);                                 // bit 13: packet order flag only
  assert.deepEqual([order.secHdrFlag, order.syncFlag, order.packetOrderFlag], [false, false, true]);
  const sec = h(0x8000 | 0x1800);                                   // bit 15: secondary header flag only
  assert.deepEqual([sec.secHdrFlag, sec.syncFlag, sec.packetOrderFlag], [true, false, false]);
});

test("[732.0-B-4 §4.1.2.5] AOS signalling field: with the VC frame count cycle in use the count has 28 bits; replay flag at bit 7", () => {
  const plain = parseAosHeader(new Uint8Array([0x40 | 0x2a, 0x45, 0xff, 0xff, 0xfe, 0x00]));
  assert.deepEqual([plain.version, plain.scid, plain.vcid, plain.vcCount, plain.vcCountBits, plain.replay], [1, 0xa9, 5, 0xfffffe, 24, false]);
  const cycle = parseAosHeader(new Uint8Array([0x40 | 0x2a, 0x45, 0xff, 0xff, 0xfe, 0x40 | 0x5]));
  assert.equal(cycle.vcCountBits, 28);
  assert.equal(cycle.vcCount, 5 * 0x1000000 + 0xfffffe);
  const replay = parseAosHeader(new Uint8Array([0x40, 0x00, 0, 0, 0, 0x80]));
  assert.deepEqual([replay.replay, replay.vcCountBits], [true, 24]);
});
