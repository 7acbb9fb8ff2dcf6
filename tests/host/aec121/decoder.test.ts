// Ground decoder (host/ground/aec121-decoder.ts): streaming edge cases, typed errors with the
// point of failure, bad options, and a small fuzz sample (the 100,000-input run is
// tests/bench/aec121-fuzz.ts). Streams come from the flight encoder; their content is checked
// against the input, and the flight encoder itself is checked against libaec and the
// conformance data elsewhere (tests/interop/libaec.test.ts, conformance.test.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadFlightLib } from "../../../host/obc/lib.ts";
import { aec121Decode, Aec121DecodeError, Aec121StreamDecoder, checkAec121Options, type Aec121Options } from "../../../host/ground/aec121-decoder.ts";
import { FlightAec121Encoder } from "../../../host/commands/aec.ts";

const lib = loadFlightLib();

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
}

function smooth(n: number, count: number, seed: number): number[] {
  const r = rng(seed);
  const max = 2 ** n - 1;
  let v = Math.floor(max / 2);
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    v = Math.max(0, Math.min(max, v + Math.round((r() - 0.5) * Math.max(2, 2 ** (n - 5)))));
    out.push(r() < 0.05 ? 0 : v);
  }
  return out;
}

test("[121.0-B-3 §5.1] streaming: chunks of 1, 2, 3, 7 and 1000 bytes decode like the whole stream", () => {
  for (const [n, J, rsi] of [[12, 16, 128], [8, 8, 2], [32, 64, 3], [3, 32, 4096]]) {
    const opts: Aec121Options = { bitsPerSample: n, blockSize: J, rsi };
    const x = smooth(n, J * 97, n * 31 + J);
    const code = new FlightAec121Encoder(lib, opts).encode(x);
    const whole = Array.from(aec121Decode(code, opts));
    for (const chunk of [1, 2, 3, 7, 1000]) {
      const dec = new Aec121StreamDecoder(opts);
      const got: number[] = [];
      for (let i = 0; i < code.length; i += chunk) for (const s of dec.push(code.subarray(i, i + chunk))) got.push(s);
      for (const s of dec.end()) got.push(s);
      assert.deepEqual(got, whole, `n=${n} J=${J} chunk ${chunk}`);
    }
    assert.deepEqual(whole.slice(0, x.length), x);
  }
});

test("[121.0-B-3 §5.1] an empty stream decodes to no samples; a stream of fill bits only is accepted", () => {
  const opts: Aec121Options = { bitsPerSample: 8, blockSize: 8, rsi: 2 };
  assert.equal(aec121Decode(new Uint8Array(0), opts).length, 0);
  assert.equal(aec121Decode(new Uint8Array([0]), opts).length, 0);
});

test("truncated stream: TRUNCATED with the bit offset of the unfinished CDS and the samples before it", () => {
  const opts: Aec121Options = { bitsPerSample: 12, blockSize: 16, rsi: 8 };
  const x = smooth(12, 16 * 40, 3);
  const code = new FlightAec121Encoder(lib, opts).encode(x);
  const cut = code.subarray(0, Math.floor(code.length / 2));
  try {
    aec121Decode(cut, opts);
    assert.fail("no error");
  } catch (e) {
    assert.ok(e instanceof Aec121DecodeError);
    assert.equal(e.code, "TRUNCATED");
    assert.ok(e.bitOffset > 0 && e.bitOffset <= cut.length * 8);
    assert.equal(e.samples.length, e.sampleIndex);
    assert.ok(e.sampleIndex > 0 && e.sampleIndex % 16 === 0);
    assert.deepEqual(Array.from(e.samples), x.slice(0, e.sampleIndex));
  }
});

test("options that do not match the stream: a typed error or wrong samples, never a hang or a trap", () => {
  const x = smooth(16, 16 * 50, 9);
  const code = new FlightAec121Encoder(lib, { bitsPerSample: 16, blockSize: 16, rsi: 4 }).encode(x);
  for (const o of [
    { bitsPerSample: 8, blockSize: 16, rsi: 4 }, { bitsPerSample: 16, blockSize: 8, rsi: 4 }, { bitsPerSample: 16, blockSize: 16, rsi: 1 },
    { bitsPerSample: 2, blockSize: 64, rsi: 4096, restricted: true }, { bitsPerSample: 32, blockSize: 16, rsi: 4, signed: true },
  ] as Aec121Options[]) {
    try {
      const y = aec121Decode(code, o, { maxSamples: 1 << 20 });
      assert.ok(y.length <= 1 << 20);
    } catch (e) {
      assert.ok(e instanceof Aec121DecodeError, String(e));
    }
  }
});

test("bad options: BAD_OPTION naming the option (n 0 and 33, J 12, RSI 0 and 5000, restricted with n 8)", () => {
  const cases: [Aec121Options, string][] = [
    [{ bitsPerSample: 0, blockSize: 16, rsi: 8 }, "bitsPerSample"],
    [{ bitsPerSample: 33, blockSize: 16, rsi: 8 }, "bitsPerSample"],
    [{ bitsPerSample: 8, blockSize: 12, rsi: 8 }, "blockSize"],
    [{ bitsPerSample: 8, blockSize: 16, rsi: 0 }, "rsi"],
    [{ bitsPerSample: 8, blockSize: 16, rsi: 5000 }, "rsi"],
    [{ bitsPerSample: 8, blockSize: 16, rsi: 8, restricted: true }, "restricted"],
  ];
  for (const [o, option] of cases) {
    assert.throws(() => checkAec121Options(o), (e: unknown) => e instanceof Aec121DecodeError && e.code === "BAD_OPTION" && e.option === option);
    assert.throws(() => new Aec121StreamDecoder(o), (e: unknown) => e instanceof Aec121DecodeError && e.option === option);
  }
});

test("maxSamples bounds the output: a run of zero blocks cannot allocate without bound", () => {
  // constant data: every CDS is a zero-block run that expands to many samples
  const code = new FlightAec121Encoder(lib, { bitsPerSample: 8, blockSize: 64, rsi: 4096 }).encode(new Array(64 * 4096).fill(7));
  assert.throws(() => aec121Decode(code, { bitsPerSample: 8, blockSize: 64, rsi: 4096 }, { maxSamples: 1000 }),
    (e: unknown) => e instanceof Aec121DecodeError && e.code === "TOO_MANY_SAMPLES" && e.sampleIndex <= 1000);
});

test("fuzz sample: 3000 random and mutated streams end in samples or a typed error", () => {
  const r = rng(12345);
  const configs: Aec121Options[] = [
    { bitsPerSample: 12, blockSize: 16, rsi: 128 }, { bitsPerSample: 1, blockSize: 8, rsi: 1, restricted: true },
    { bitsPerSample: 32, blockSize: 64, rsi: 4096, padRsi: true }, { bitsPerSample: 16, blockSize: 32, rsi: 7, signed: true },
    { bitsPerSample: 24, blockSize: 8, rsi: 2, preprocess: false },
  ];
  const seeds = configs.map((o, i) => new FlightAec121Encoder(lib, o).encode(smooth(o.bitsPerSample, o.blockSize * 30, i)));
  let errors = 0;
  for (let t = 0; t < 3000; t++) {
    const ci = t % configs.length;
    let s: Uint8Array;
    if (t % 3 === 0) {
      s = new Uint8Array(1 + Math.floor(r() * 300));
      for (let i = 0; i < s.length; i++) s[i] = Math.floor(r() * 256);
    } else {
      s = seeds[ci].slice(0, 1 + Math.floor(r() * seeds[ci].length));
      const flips = 1 + Math.floor(r() * 4);
      for (let f = 0; f < flips; f++) s[Math.floor(r() * s.length)] ^= 1 << Math.floor(r() * 8);
    }
    try {
      const dec = new Aec121StreamDecoder(configs[ci], { maxSamples: 1 << 20 });
      if (t % 2 === 0) { dec.push(s); dec.end(); } else { for (let i = 0; i < s.length; i += 5) dec.push(s.subarray(i, i + 5)); dec.end(); }
    } catch (e) {
      assert.ok(e instanceof Aec121DecodeError, `input ${t}: ${String(e)}`);
      assert.ok(e.bitOffset >= 0 && e.bitOffset <= s.length * 8 + 8);
      errors++;
    }
  }
  assert.ok(errors > 0);
});
