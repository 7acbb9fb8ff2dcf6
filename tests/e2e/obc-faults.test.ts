// Whole passes with the OBC supervisor: a reset and a hang in the middle of a pass are
// recovered by reboots, the ground receives every line, and the store and contact window
// account for what waited and what was lost.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runPass } from "../../host/pass.ts";
import { loadProfile } from "../../host/profiles/index.ts";

test("a spontaneous reset and a hang mid-pass: the watchdog reboots the image and every line arrives", async () => {
  const p = structuredClone(loadProfile("default"));
  p.products.image.screening = { enabled: false };
  const s = await runPass({ profile: p, lines: 96, seed: 61, watchdogMs: 5000, obcFaults: [{ line: 30, kind: "reset" }, { line: 70, kind: "hang" }] });
  assert.equal(s.flight.reboots.length, 2, JSON.stringify(s.flight.reboots.map((r) => r.cause)));
  assert.equal(s.image.linesMissing + s.image.linesPartial, 0);
  assert.equal(s.image.linesMismatch, 0);
  assert.equal(s.verified, true);
});

test("a contact window shorter than the data: the store reports what waited and what was left for the next contact", async () => {
  const p = structuredClone(loadProfile("cubesat-mcu"));
  const s = await runPass({ profile: p, lines: 200, seed: 62, contactWindow: { startS: 0, endS: 0.5 } });
  const st = s.downlink.store;
  assert.ok(st.cadusLeft > 0, "data beyond the window stays in the store");
  assert.equal(st.cadusSent + st.cadusLeft + st.cadusLost, st.cadusIn);
  assert.ok(st.waited > 0);
  assert.ok(s.image.linesMissing + s.image.linesPartial > 0, "the ground misses what was not downlinked");
});

test("a store smaller than the backlog overflows: exactly the counted CADUs are lost (drop-newest)", async () => {
  const p = structuredClone(loadProfile("cubesat-mcu"));
  const s = await runPass({ profile: p, lines: 200, seed: 63, storeBytes: 200_000 });
  const st = s.downlink.store;
  assert.ok(st.cadusLost > 0);
  assert.equal(st.cadusSent + st.cadusLeft + st.cadusLost, st.cadusIn);
  assert.equal(s.ground.cadus, st.cadusSent);
});
