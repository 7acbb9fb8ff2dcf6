// BCH(63,56), CLTUs and the TC randomizer (CCSDS 231.0-B-4): hand-checkable vectors, vectors of an
// independent implementation (dariol83/ccsds, data only), and every error pattern the code must
// correct or detect.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { bchParityOctet, bchDecodeBlock, bchSyndrome, bchEncodeBlock } from "../../../host/uplink/bch.ts";
import { buildCltu, CltuReceiver, TAIL_SEQUENCE, MAX_CLTU_BLOCKS } from "../../../host/uplink/cltu.ts";
import { tcRandomizerSequence, tcRandomize } from "../../../host/uplink/randomizer.ts";
import { buildTcFrame } from "../../../host/uplink/tc-frame.ts";
import { mulberry32 } from "../../../host/sensor/prng.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const unhex = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s/g, ""), "hex"));

test("[231.0-B-4 §3.2] hand-checked code blocks: all-zero information → parity FE; last information bit → x^7 mod g = 45, complemented 3A, with filler bit 74", () => {
  assert.equal(bchParityOctet(new Uint8Array(7)), 0xfe);
  assert.equal(bchParityOctet(unhex("00000000000001")), 0x74);
  // x^8 mod g = x·(x^6+x^2+1) = x^7+x^3+x = (x^6+x^2+1)+x^3+x → 0b1001111 = 4F; ~ = 30; « 1 = 60
  assert.equal(bchParityOctet(unhex("00000000000002")), 0x60);
  // linearity: the parity of a XOR b is P(a) ^ P(b) ^ P(0) (the complement is an affine term)
  const a = unhex("0123456789abcd"), b = unhex("fedcba98765432");
  const ab = a.map((x, i) => x ^ b[i]);
  assert.equal(bchParityOctet(ab), bchParityOctet(a) ^ bchParityOctet(b) ^ 0xfe);
});

test("[231.0-B-4 §5.2] the CLTU of a one-octet frame 00, worked by hand in host/uplink/README.md: EB90 | 00 55 55 55 55 55 55 68 | C5C5C5C5C5C5C579", () => {
  assert.equal(hex(buildCltu(Uint8Array.of(0))), "eb90" + "00555555555555" + "68" + "c5c5c5c5c5c5c579");
});

test("[231.0-B-4 §6] TC randomizer: h(x)=x^8+x^6+x^4+x^3+x^2+x+1 from all ones begins FF 39 9E 5A 68 (the standard's 40 bits); it is its own inverse; its period is 255", () => {
  const s = tcRandomizerSequence(600);
  assert.equal(hex(s.subarray(0, 5)), "ff399e5a68");
  const bits = (i: number) => (s[i >>> 3] >>> (7 - (i & 7))) & 1;
  for (let i = 0; i < 2000; i++) assert.equal(bits(i), bits(i + 255), `bit ${i}`);
  let short = false;
  for (let p = 1; p < 255; p++) { let same = true; for (let i = 0; i < 300 && same; i++) if (bits(i) !== bits(i + p)) same = false; if (same) short = true; }
  assert.equal(short, false, "a period shorter than 255");
  const x = unhex("00112233445566778899");
  assert.deepEqual(tcRandomize(tcRandomize(x)), x);
});

test("[231.0-B-4 §5, §6] CLTUs and TC frames octet for octet against an independent implementation (dariol83/ccsds, Apache-2.0; its outputs stored as data)", () => {
  const v = JSON.parse(readFileSync(new URL("./vectors-dariolucia.json", import.meta.url), "utf8")) as { source: { commit: string }; vectors: { op: string; input: string; expected: string; bypass?: boolean; controlCommand?: boolean; scid?: number; vcid?: number; seq?: number }[] };
  assert.equal(v.source.commit.length, 40);
  const ops = new Set<string>();
  for (const c of v.vectors) {
    const inp = unhex(c.input);
    const mine = c.op === "cltu" ? buildCltu(inp) : c.op === "rcltu" ? buildCltu(inp, { randomize: true })
      : buildTcFrame({ bypass: !!c.bypass, controlCommand: !!c.controlCommand, scid: c.scid!, vcid: c.vcid!, seq: c.seq!, data: inp });
    assert.equal(hex(mine), c.expected, `${c.op} ${c.input.slice(0, 32)}`);
    ops.add(c.op);
  }
  assert.deepEqual([...ops].sort(), ["cltu", "frame", "rcltu"]);
  assert.ok(v.vectors.length >= 80);
});

function randomBlock(rnd: () => number): Uint8Array {
  const info = new Uint8Array(7).map(() => Math.floor(rnd() * 256));
  const blk = new Uint8Array(8);
  bchEncodeBlock(info, 0, blk, 0);
  return blk;
}
const flip = (b: Uint8Array, bit: number) => { b[bit >>> 3] ^= 0x80 >>> (bit & 7); };

test("[231.0-B-4 §3.3] correction mode: every one of the 63 single-bit errors is corrected, on random blocks", () => {
  const rnd = mulberry32(11);
  for (let k = 0; k < 20; k++) {
    const good = randomBlock(rnd);
    for (let bit = 0; bit < 63; bit++) {
      const b = good.slice(); flip(b, bit);
      const r = bchDecodeBlock(b, 0, "correct");
      assert.equal(r.outcome, "corrected", `bit ${bit}`);
      assert.equal(r.bit, bit);
      assert.deepEqual(b, good);
    }
  }
});

test("[231.0-B-4 §3.3] correction mode: every one of the 1953 double-bit errors is detected (rejected), never miscorrected", () => {
  const good = randomBlock(mulberry32(12));
  let n = 0;
  for (let i = 0; i < 63; i++) for (let j = i + 1; j < 63; j++) {
    const b = good.slice(); flip(b, i); flip(b, j);
    assert.equal(bchDecodeBlock(b, 0, "correct").outcome, "rejected", `bits ${i},${j}`);
    n++;
  }
  assert.equal(n, 1953);
});

test("[231.0-B-4 §3.3] detection mode: every error of 1, 2 or 3 bits (41 727 patterns) is detected; the filler bit is outside the code", () => {
  const good = randomBlock(mulberry32(13));
  let n = 0;
  for (let i = 0; i < 63; i++) {
    const b1 = good.slice(); flip(b1, i);
    assert.notEqual(bchSyndrome(b1), 0); n++;
    for (let j = i + 1; j < 63; j++) {
      const b2 = b1.slice(); flip(b2, j);
      assert.equal(bchDecodeBlock(b2, 0, "detect").outcome, "rejected"); n++;
      for (let k = j + 1; k < 63; k++) {
        const b3 = b2.slice(); flip(b3, k);
        if (bchSyndrome(b3) === 0) assert.fail(`bits ${i},${j},${k} undetected`);
        n++;
      }
    }
  }
  assert.equal(n, 63 + 1953 + 39711);
  const f = good.slice(); flip(f, 63);
  assert.equal(bchDecodeBlock(f, 0, "detect").outcome, "clean");
  assert.equal(bchDecodeBlock(good.slice(), 0, "detect").outcome, "clean");
});

test("[231.0-B-4 §5.2.4] the tail sequence is not a correctable codeword in either mode (it ends a CLTU)", () => {
  assert.equal(bchDecodeBlock(TAIL_SEQUENCE.slice(), 0, "correct").outcome, "rejected");
  assert.equal(bchDecodeBlock(TAIL_SEQUENCE.slice(), 0, "detect").outcome, "rejected");
});

test("[231.0-B-4 §5.3] receiver: CLTUs among garbage and split at every octet boundary give back the frames, fill octets and all", () => {
  const rnd = mulberry32(14);
  const frames = [1, 7, 8, 13, 64, 300].map((n) => new Uint8Array(n).map(() => Math.floor(rnd() * 256)));
  const parts: Uint8Array[] = [];
  for (const f of frames) { parts.push(Uint8Array.of(0x12, 0xeb, 0x00, 0xeb)); parts.push(buildCltu(f, { randomize: true })); }
  const stream = Buffer.concat(parts);
  for (const step of [1, 3, 8, 1000]) {
    const rx = new CltuReceiver({ randomize: true });
    const got = [];
    for (let i = 0; i < stream.length; i += step) got.push(...rx.push(stream.subarray(i, i + step)));
    got.push(...rx.end());
    assert.equal(got.length, frames.length, `step ${step}`);
    got.forEach((g, i) => {
      assert.equal(g.end, "tail");
      assert.deepEqual(g.data.subarray(0, frames[i].length), frames[i]);
      assert.equal(g.data.length, Math.ceil(frames[i].length / 7) * 7);
    });
    assert.equal(rx.counters.tails, frames.length);
    assert.equal(rx.counters.octetsSkipped, 4 * frames.length);
  }
});

test("[231.0-B-4 §5.3] receiver: a single error per block is corrected in correction mode and ends the CLTU in detection mode", () => {
  const f = new Uint8Array(20).map((_, i) => i * 13);
  const c = buildCltu(f);
  flip(c, 2 * 8 + 5); flip(c, (2 + 8) * 8 + 60); flip(c, (2 + 16) * 8 + 33);
  const rc = new CltuReceiver({ mode: "correct" });
  const [r] = rc.push(c);
  assert.equal(r.end, "tail"); assert.equal(r.corrected, 3);
  assert.deepEqual(r.data.subarray(0, 20), f);
  assert.equal(rc.counters.blocksCorrected, 3);
  const rd = new CltuReceiver({ mode: "detect" });
  const [d] = rd.push(c);
  assert.equal(d.end, "error"); assert.equal(d.blocks, 0);
  assert.equal(rd.counters.blocksRejected, 1); assert.equal(rd.counters.endedByError, 1);
});

test("[231.0-B-4 §5.3] receiver: a missing tail ends the CLTU at the next start sequence, which is not lost; a truncated CLTU at the end of the stream delivers nothing; a CLTU longer than any frame is abandoned", () => {
  const a = buildCltu(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9)), b = buildCltu(Uint8Array.of(9, 8, 7));
  const rx = new CltuReceiver();
  const r = rx.push(Buffer.concat([a.subarray(0, a.length - 8), b]));
  assert.deepEqual(r.map((x) => x.end), ["error", "tail"]);
  assert.deepEqual(r[0].data.subarray(0, 9), Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9));
  assert.deepEqual(r[1].data.subarray(0, 3), Uint8Array.of(9, 8, 7));
  assert.equal(rx.counters.cltus, 2);
  // truncated
  const t = new CltuReceiver();
  assert.deepEqual(t.push(a.subarray(0, 13)), []);
  const e = t.end();
  assert.equal(e[0].end, "truncated"); assert.equal(e[0].data.length, 0); assert.equal(t.counters.truncated, 1);
  // too long
  const long = buildCltu(new Uint8Array((MAX_CLTU_BLOCKS + 3) * 7));
  const l = new CltuReceiver();
  const out = l.push(long);
  assert.equal(out[0].end, "too-long"); assert.equal(l.counters.tooLong, 1);
  // start sequence then tail: empty
  const m = new CltuReceiver();
  assert.equal(m.push(Buffer.concat([Uint8Array.of(0xeb, 0x90), TAIL_SEQUENCE]))[0].data.length, 0);
  assert.equal(m.counters.empty, 1);
});

test("[231.0-B-4 §5.3] receiver: random bytes never throw, and every CLTU found ends one way or another", () => {
  const rnd = mulberry32(15);
  for (let k = 0; k < 50; k++) {
    const rx = new CltuReceiver({ mode: k % 2 ? "detect" : "correct", randomize: k % 3 === 0 });
    const junk = new Uint8Array(5000).map(() => (rnd() < 0.01 ? 0xeb : rnd() < 0.02 ? 0x90 : Math.floor(rnd() * 256)));
    const out = [...rx.push(junk), ...rx.end()];
    const c = rx.counters;
    assert.equal(out.length, c.cltus);
    assert.equal(c.cltus, c.tails + c.endedByError + c.tooLong + c.truncated);
  }
});

test("[231.0-B-4 §5.3] receiver, correction mode: of 300 CLTUs each missing its tail, only those whose start sequence and first 6 octets happen to form a clean codeword (1 in 128) are swallowed by the CLTU before; every other frame arrives", () => {
  const rnd = mulberry32(16);
  for (const randomize of [false, true]) {
    const frames = Array.from({ length: 300 }, () => new Uint8Array(1 + Math.floor(rnd() * 30)).map(() => Math.floor(rnd() * 256)));
    const cltus = frames.map((f) => { const c = buildCltu(f, { randomize }); return c.subarray(0, c.length - 8); });
    const swallowed = cltus.map((c, i) => i > 0 && bchSyndrome(c.subarray(0, 8)) === 0);
    const rx = new CltuReceiver({ mode: "correct", randomize });
    const got = [...rx.push(Buffer.concat(cltus)), ...rx.end()];
    const nSwallowed = swallowed.filter(Boolean).length;
    assert.ok(nSwallowed <= 10, `${nSwallowed} boundaries form a clean codeword`);
    assert.equal(rx.counters.cltus, 300 - nSwallowed);
    let k = 0;
    frames.forEach((f, i) => {
      if (swallowed[i]) return;
      if (i === 299) assert.equal(got[k].end, "truncated"); // the stream ends inside it
      else assert.deepEqual(got[k].data.subarray(0, f.length), f, `CLTU ${i}`);
      k++;
    });
  }
});
