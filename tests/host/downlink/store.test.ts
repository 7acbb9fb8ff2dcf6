// The onboard store and the transmitter's timing: contact window, bit rate, capacity, what
// waited and how long, what was lost on overflow (drop-newest by default). Exact figures,
// worked out by hand from the time model in host/downlink/store.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DownlinkStore, StoreOptionError } from "../../../host/downlink/store.ts";

const L = 100;                  // CADU octets
const RATE = 8000;              // bit/s: one CADU takes 0.1 s
const cadus = (n: number, first = 0) => {
  const b = new Uint8Array(n * L);
  for (let i = 0; i < n; i++) b[i * L] = (first + i) & 255;
  return b;
};

test("inside the window and below the link rate nothing waits; every CADU leaves in order", () => {
  const sent: number[] = [];
  const s = new DownlinkStore({ capacityBytes: 10 * L, bitRate: RATE, caduLen: L, onTransmit: (c) => sent.push(c[0]) });
  for (let i = 0; i < 10; i++) s.push(cadus(1, i), i * 0.2); // one every 0.2 s, each sent in 0.1 s
  const r = s.end();
  assert.deepEqual(sent, [...Array(10).keys()]);
  assert.equal(r.cadusSent, 10);
  assert.equal(r.waited, 0);
  assert.equal(r.cadusLost, 0);
  assert.equal(r.maxFillBytes, L);
});

test("data produced before the contact window waits in the store; the report says how many and how long", () => {
  const starts: number[] = [];
  const s = new DownlinkStore({ capacityBytes: 100 * L, bitRate: RATE, caduLen: L, window: { startS: 5, endS: 100 }, onTransmit: (_c, t) => starts.push(t) });
  s.push(cadus(20), 1); // 20 CADUs at t = 1 s
  const r = s.end();
  assert.equal(r.cadusSent, 20);
  assert.equal(r.waited, 20);
  assert.ok(Math.abs(r.firstTxS! - 5) < 1e-9);
  assert.ok(Math.abs(starts[19] - (5 + 19 * 0.1)) < 1e-9);
  assert.ok(Math.abs(r.maxWaitS - (4 + 1.9)) < 1e-9);
  assert.ok(Math.abs(r.meanWaitS - (4 + 0.95)) < 1e-9);
  assert.equal(r.maxFillBytes, 20 * L);
});

test("a pass whose data exceed the window: what the window cannot carry is left in the store; overflow drops the newest", () => {
  const sent: number[] = [];
  // Window 0..1 s carries 10 CADUs; 30 are produced at t=0; the store holds 15.
  const s = new DownlinkStore({ capacityBytes: 15 * L, bitRate: RATE, caduLen: L, window: { startS: 0, endS: 1 }, onTransmit: (c) => sent.push(c[0]) });
  s.push(cadus(30), 0);
  const r = s.end();
  assert.equal(r.policy, "drop-newest");
  assert.equal(r.cadusIn, 30);
  assert.equal(r.cadusLost, 15);
  assert.deepEqual(r.lost, [{ firstCadu: 15, count: 15, fromS: 0, toS: 0 }]);
  assert.equal(r.cadusSent, 10);
  assert.deepEqual(sent, [...Array(10).keys()]);
  assert.equal(r.cadusLeft, 5);
  assert.equal(r.bytesLeft, 5 * L);
  assert.equal(r.maxFillBytes, 15 * L);
});

test("drop-oldest makes room by losing the oldest stored CADUs", () => {
  const sent: number[] = [];
  const s = new DownlinkStore({ capacityBytes: 5 * L, bitRate: RATE, caduLen: L, policy: "drop-oldest", window: { startS: 10, endS: 20 }, onTransmit: (c) => sent.push(c[0]) });
  s.push(cadus(8), 0);
  const r = s.end();
  assert.equal(r.cadusLost, 3);
  assert.deepEqual(r.lost.map((x) => [x.firstCadu, x.count]), [[0, 3]]);
  assert.deepEqual(sent, [3, 4, 5, 6, 7]);
});

test("the transmitter frees the store as it sends: production slightly above the link rate fills it at the difference", () => {
  // 2 CADUs every 0.15 s against 1 per 0.1 s: +0.5 CADU per 0.15 s.
  const s = new DownlinkStore({ capacityBytes: 1000 * L, bitRate: RATE, caduLen: L });
  for (let i = 0; i < 60; i++) s.push(cadus(2, 2 * i), i * 0.15);
  const fillAtEnd = s.fill;
  const r = s.end();
  assert.ok(fillAtEnd > 20 * L && fillAtEnd < 40 * L, `fill ${fillAtEnd}`);
  assert.equal(r.cadusSent, 120);
  assert.ok(r.fill.length > 10);
  assert.ok(r.fill.every((f, i) => i === 0 || f.tS >= r.fill[i - 1].tS));
});

test("bad options and times going backwards are refused with the field named", () => {
  assert.throws(() => new DownlinkStore({ capacityBytes: 1, bitRate: 0, caduLen: L }), (e: unknown) => e instanceof StoreOptionError && e.field === "bitRate");
  assert.throws(() => new DownlinkStore({ capacityBytes: 1, bitRate: 1, caduLen: L, window: { startS: 5, endS: 5 } }), (e: unknown) => e instanceof StoreOptionError && e.field === "window.endS");
  const s = new DownlinkStore({ capacityBytes: 10 * L, bitRate: RATE, caduLen: L });
  s.push(cadus(1), 2);
  assert.throws(() => s.push(cadus(1), 1), (e: unknown) => e instanceof StoreOptionError && e.field === "tS");
});
