// The ground CCSDS 121 decoder's bounded output (issue 12 item 2, what `tengri aec -d` streams
// through): with samplesPerCall, one push() or resume() hands out at most that many samples plus
// one coded data set (a zero-block CDS stands for up to 64 blocks of J samples), hasMore says when
// whole CDSes still wait, and the samples, in order, are decodeAll()'s; outputViews changes only
// who owns the arrays.
import { test } from "node:test";
import assert from "node:assert/strict";
import { aec121Decode, Aec121StreamDecoder, type Aec121Options } from "../../../host/ground/aec121-decoder.ts";
import { FlightAec121Encoder } from "../../../host/commands/aec.ts";
import { loadFlightLib } from "../../../host/obc/lib.ts";

/** Long flat runs (zero-block CDSes) between noisy stretches (split-sample, uncompressed). */
function samples(n: number): Uint16Array {
  const s = new Uint16Array(n);
  let seed = 7;
  for (let i = 0; i < n; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const flat = ((i >> 14) & 3) !== 0;
    s[i] = flat ? 1000 : (1000 + (seed >>> 22)) & 0xfff;
  }
  return s;
}

test("[121.0-B-3 §5.1.2] samplesPerCall bounds each push()/resume() to the budget plus one CDS; hasMore/resume() give decodeAll()'s samples in order", () => {
  const lib = loadFlightLib();
  for (const [J, rsi, views] of [[16, 128, false], [64, 4096, true], [8, 2, true]] as const) {
    const opts: Aec121Options = { bitsPerSample: 12, blockSize: J, rsi };
    const x = samples(1 << 18);
    const code = new FlightAec121Encoder(lib, opts).encode(x);
    const whole = aec121Decode(code, opts, { maxSamples: 1 << 20 });
    const budget = 1000;
    const dec = new Aec121StreamDecoder(opts, { maxSamples: 1 << 20, samplesPerCall: budget, outputViews: views });
    const got: number[] = [];
    let calls = 0, stopped = 0;
    const take = (y: Uint32Array | Int32Array) => {
      calls++;
      assert.ok(y.length <= budget + 64 * J, `a call returned ${y.length} samples (budget ${budget}, J ${J})`);
      for (const v of y) got.push(v);
    };
    for (let off = 0; off < code.length; off += 4096) {
      take(dec.push(code.subarray(off, off + 4096)));
      while (dec.hasMore) { stopped++; take(dec.resume()); }
    }
    take(dec.end());
    assert.ok(stopped > 0, "the budget stopped some calls (the case under test)");
    assert.equal(got.length, whole.length, `J=${J}: sample count`);
    assert.deepEqual(got, Array.from(whole), `J=${J}: samples`);
    assert.deepEqual(got.slice(0, x.length), Array.from(x), `J=${J}: the original samples`);
    assert.ok(calls > code.length / 4096);
  }
});

test("[121.0-B-3] end() after a push() stopped at the budget decodes the rest and checks the tail", () => {
  const lib = loadFlightLib();
  const opts: Aec121Options = { bitsPerSample: 12, blockSize: 16, rsi: 128 };
  const x = samples(1 << 16);
  const code = new FlightAec121Encoder(lib, opts).encode(x);
  const dec = new Aec121StreamDecoder(opts, { maxSamples: 1 << 20, samplesPerCall: 500 });
  const first = dec.push(code);
  assert.ok(dec.hasMore);
  const rest = dec.end();
  assert.equal(dec.hasMore, false);
  assert.deepEqual([...Array.from(first), ...Array.from(rest)].slice(0, x.length), Array.from(x));
});
