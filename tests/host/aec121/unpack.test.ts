// [tengri §aec-cli] aec121Unpack (build/lib.wasm): the WebAssembly unpacking `tengri aec` uses for
// samples stored in another width than the encoder's containers, against the JavaScript reading
// of the same bytes (unpackSamples) for every storage width, both byte orders and both container
// widths; and the streaming encoder fed through it gives the stream of the samples coded directly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadFlightLib } from "../../../host/obc/lib.ts";
import { FlightAec121Encoder, storageFor, unpackSamples } from "../../../host/commands/aec.ts";

const lib = loadFlightLib();
const e = lib.exports;

function bytes(len: number, seed: number): Uint8Array {
  const b = new Uint8Array(len);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < len; i++) { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; b[i] = s & 255; }
  return b;
}

test("[tengri §aec-cli] aec121Unpack gives unpackSamples' values for 1..4-byte storage, LSB and MSB first, into 16- and 32-bit containers", () => {
  const count = 4099;                                  // not a multiple of anything in particular
  const src = lib.alloc(count * 4), dst = lib.alloc(count * 4);
  for (let b = 1; b <= 4; b++) {
    for (const msb of [false, true]) {
      const data = bytes(count * b, b * 10 + (msb ? 1 : 0));
      lib.u8().set(data, src);
      const want = unpackSamples(data, { bytes: b, msb, signed: false, bits: 8 * b });
      for (const cb of [2, 4]) {
        assert.equal(e.aec121Unpack(src, b, msb ? 1 : 0, count, dst, cb), count);
        const got = cb === 2 ? new Uint16Array(lib.memory.buffer, dst, count) : new Uint32Array(lib.memory.buffer, dst, count);
        for (let i = 0; i < count; i++) {
          const w = cb === 2 ? want[i] & 0xffff : want[i] >>> 0;
          if (got[i] !== w) assert.fail(`b=${b} msb=${msb} container ${cb}: sample ${i} = ${got[i]}, want ${w}`);
        }
      }
    }
  }
  // refusals, through the library ABI
  assert.equal(e.aec121Unpack(src, 0, 0, 1, dst, 2), -500);
  assert.equal(e.aec121Unpack(src, 2, 0, 1, dst, 8), -500);
  assert.equal(e.aec121Unpack(src, 2, 0, -1, dst, 2), -2);
  assert.equal(e.aec121Unpack(0, 2, 0, 1, dst, 2), -1);
});

test("[tengri §aec-cli] the streaming encoder fed 1- and 3-byte storage (unpacked in WebAssembly) codes the same stream as the values coded directly", () => {
  for (const [n, threeByte, msb] of [[8, false, false], [6, false, true], [24, true, false], [20, true, true], [17, false, true]] as const) {
    const st = storageFor(n, { threeByte, msb });
    const count = 70_001;
    const raw = bytes(count * st.bytes, n);
    // n-bit samples: the bits above n cleared, as aec wants them
    const values = unpackSamples(raw, st).map((v) => v & (2 ** n - 1));
    const stored = new Uint8Array(count * st.bytes);
    for (let i = 0; i < count; i++) {
      for (let j = 0; j < st.bytes; j++) stored[i * st.bytes + (msb ? st.bytes - 1 - j : j)] = Math.floor(values[i] / 2 ** (8 * j)) & 255;
    }
    const opts = { bitsPerSample: n, blockSize: 16, rsi: 64 };
    const direct = new FlightAec121Encoder(lib, opts).encode(values);
    const parts: Uint8Array[] = [];
    let off = 0;
    const len = new FlightAec121Encoder(lib, opts).encodeStream(st, (into) => {
      const k = Math.min(into.length, 12_345, stored.length - off);  // short reads, as from a pipe
      into.set(stored.subarray(off, off + k));
      off += k;
      return k;
    }, (b) => parts.push(b.slice()));
    const streamed = Buffer.concat(parts);
    assert.equal(streamed.length, len);
    assert.ok(streamed.equals(direct), `n=${n} ${st.bytes}-byte ${msb ? "MSB" : "LSB"} first: streamed stream differs from the direct one`);
  }
});
