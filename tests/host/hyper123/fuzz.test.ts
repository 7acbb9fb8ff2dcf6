// Bad input for the CCSDS 123.0-B-2 ground decoder (a sample of tests/bench/hyper123-fuzz.ts,
// which runs 100 000 inputs): every corrupted, truncated or random stream decodes or ends in a
// typed Hyper123DecodeError, and impossible header values are named.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fuzzHyper123, seedStreams } from "../../bench/hyper123-fuzz.ts";
import { decodeHyper123, Hyper123DecodeError } from "../../../host/ground/hyper123-decoder.ts";

test("[123.0-B-2 §5.3] 4000 random, bit-flipped, truncated and header-scrambled streams: decoded or a typed error", () => {
  const s = fuzzHyper123(4000, 12345);
  assert.equal(s.inputs, 4000);
  assert.ok(Object.keys(s.typedErrors).length >= 3);
});

test("[123.0-B-2 §5.3.2.2] impossible header values end in BAD_HEADER naming the field", () => {
  const good = seedStreams()[0];
  const cases: [number, number, string][] = [
    [7, 0x40, "reserved (image metadata)"],   // reserved bit after the sample type
    [10, 0xC0, "reserved (image metadata)"],  // reserved bits before the output word size
    [10, 0x06, "entropy coder type"],         // entropy coder type 3
  ];
  for (const [byte, value, field] of cases) {
    const s = good.slice();
    s[byte] |= value;
    assert.throws(() => decodeHyper123(s), (e: unknown) => e instanceof Hyper123DecodeError && e.code === "BAD_HEADER" && e.field === field);
  }
  // Ω field = 15 → Ω = 19, then R = 32 < D + Ω + 2 = 37
  const s = good.slice(); s[14] = (s[14] & 0x0F) | 0xF0;
  assert.throws(() => decodeHyper123(s), (e: unknown) => e instanceof Hyper123DecodeError && e.code === "BAD_HEADER" && e.field === "R");
});

test("[123.0-B-2 §5.3.2.2] images larger than the caller's limit are refused before any allocation", () => {
  const s = seedStreams()[0].slice();
  s[1] = 0xFF; s[2] = 0xFF; s[3] = 0xFF; s[4] = 0xFF; // Nx = Ny = 65535
  assert.throws(() => decodeHyper123(s, { maxSamples: 1 << 20 }), (e: unknown) => e instanceof Hyper123DecodeError && e.code === "TOO_LARGE");
  assert.throws(() => decodeHyper123(s, { maxSamples: 2 ** 40 }), (e: unknown) => e instanceof Hyper123DecodeError && e.code === "TRUNCATED");
});
