// Fuzz the CCSDS 121 ground decoder: 100,000 random and mutated streams (default), fed whole
// and in small chunks, under a spread of options. Every input must end in samples or an
// Aec121DecodeError with a sane point of failure; anything else (another exception, a hang,
// output beyond the bound) fails the run. Mutations start from flight-encoder streams.
//   npx tsx tests/bench/aec121-fuzz.ts [COUNT] [SEED]
import { loadFlightLib } from "../../host/obc/lib.ts";
import { Aec121DecodeError, Aec121StreamDecoder, type Aec121Options } from "../../host/ground/aec121-decoder.ts";
import { FlightAec121Encoder } from "../../host/commands/aec.ts";

const COUNT = Number(process.argv[2] ?? 100000);
let seed = Number(process.argv[3] ?? 2026) >>> 0 || 1;
function rnd(): number {
  seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0;
  return seed / 4294967296;
}
const ri = (n: number) => Math.floor(rnd() * n);

const configs: Aec121Options[] = [];
for (const n of [1, 2, 3, 4, 7, 8, 12, 16, 17, 24, 31, 32]) {
  for (const J of [8, 16, 32, 64]) {
    configs.push({
      bitsPerSample: n, blockSize: J, rsi: [1, 2, 16, 128, 4096][ri(5)], signed: rnd() < 0.3,
      preprocess: rnd() < 0.85, restricted: n <= 4 && rnd() < 0.5, padRsi: rnd() < 0.2,
    });
  }
}
const lib = loadFlightLib();
const seeds = configs.map((o) => {
  const x: number[] = [];
  let v = 2 ** (o.bitsPerSample - 1);
  const count = o.blockSize * (10 + ri(60));
  for (let i = 0; i < count; i++) {
    v = Math.max(0, Math.min(2 ** o.bitsPerSample - 1, v + Math.round((rnd() - 0.5) * 2 ** Math.max(1, o.bitsPerSample - 4))));
    x.push(rnd() < 0.1 ? 0 : v);
  }
  return new FlightAec121Encoder(lib, o).encode(x);
});

const MAX_SAMPLES = 1 << 22;
let errors = 0, decoded = 0, samples = 0;
const byCode = new Map<string, number>();
const t0 = performance.now();
for (let t = 0; t < COUNT; t++) {
  const ci = ri(configs.length);
  let s: Uint8Array;
  const kind = t % 4;
  if (kind === 0) {
    s = new Uint8Array(ri(400));
    for (let i = 0; i < s.length; i++) s[i] = ri(256);
  } else if (kind === 1) {
    s = seeds[ci].slice(0, ri(seeds[ci].length + 1)); // truncated
  } else {
    s = seeds[ci].slice();
    const flips = 1 + ri(8);
    for (let f = 0; f < flips && s.length; f++) {
      const p = ri(s.length);
      s[p] = kind === 2 ? s[p] ^ (1 << ri(8)) : ri(256);
    }
  }
  // options that do not match the stream, now and then
  const opts = rnd() < 0.1 ? configs[ri(configs.length)] : configs[ci];
  try {
    const dec = new Aec121StreamDecoder(opts, { maxSamples: MAX_SAMPLES });
    let got = 0;
    if (t % 3 === 0) {
      for (let i = 0; i < s.length; i += 1 + (i % 7)) got += dec.push(s.subarray(i, i + 1 + (i % 7))).length;
    } else {
      got += dec.push(s).length;
    }
    got += dec.end().length;
    if (got > MAX_SAMPLES) throw new Error(`input ${t}: ${got} samples beyond the bound`);
    decoded++;
    samples += got;
  } catch (e) {
    if (!(e instanceof Aec121DecodeError)) {
      console.error(`input ${t} (config ${JSON.stringify(opts)}): unexpected ${String(e)}`);
      console.error(Buffer.from(s).toString("hex"));
      process.exit(1);
    }
    if (e.bitOffset < 0 || e.bitOffset > s.length * 8 + 8 || e.samples.length > e.sampleIndex) {
      console.error(`input ${t}: implausible point of failure bit ${e.bitOffset} sample ${e.sampleIndex}`);
      process.exit(1);
    }
    errors++;
    byCode.set(e.code, (byCode.get(e.code) ?? 0) + 1);
  }
}
const secs = (performance.now() - t0) / 1000;
console.log(`aec121 fuzz: ${COUNT} inputs in ${secs.toFixed(1)} s: ${decoded} decoded (${samples} samples), ${errors} typed errors ${JSON.stringify(Object.fromEntries(byCode))}; no other outcome`);
