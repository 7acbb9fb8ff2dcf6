// The flight image never traps on any input: a configuration table is checked whole before
// anything is applied or carved, running out of memory is a status, and no bus record —
// lying about its length, garbage, truncated, duplicated, dropped, reordered — crashes it.
// Each test is the regression of a trap class found by mutating tables and bus streams.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { compileConfig, configRecord } from "../../../host/obc/config-table.ts";
import { encodeLine, encodeEnd } from "../../../host/obc/bus.ts";
import { setMemoryMax, flash } from "../../../host/obc/image.ts";
import { runImage, ObcConfigError } from "../../../host/obc/obc.ts";
import { loadFlightLib } from "../../../host/obc/lib.ts";
import { flightConfigCheck } from "../../../host/contract/flight.ts";
import { loadProfile, type Profile } from "../../../host/profiles/index.ts";
import { openScene, FLIGHT_WASM } from "../../../host/pass.ts";
import { runFlight, flightModule, tableRecord, fixRecordCrc, concat } from "./image-run.ts";

const PROFILES = ["default", "cubesat-mcu", "eo-5band", "hyperspectral"];
const BOOT_HEAP = 65536;     // assembly/payload/pipeline.ts BOOT_HEAP

function lineRecords(p: Profile, n: number): Uint8Array[] {
  const scene = openScene(p, {}, n);
  const out: Uint8Array[] = [];
  for (let l = scene.next(); l; l = scene.next()) {
    out.push(encodeLine({ counter: l.counter, timeCoarse: l.timeCoarse, timeFine: l.timeFine, bands: p.sensor.bands.length, pixels: p.sensor.pixelsPerLine, bitDepth: p.sensor.bitDepth, samples: l.samples }));
  }
  return out;
}
const screenWords = (p: Profile) => 48 + 2 * p.sensor.bands.length + 12 + 24;   // offset of the screener's parameter words

test("[tengri §config] a screening block whose band or width word disagrees with the table is refused (−402, the word named, found and expected); it was accepted half-applied and trapped on the first line", () => {
  const p = loadProfile("default");
  const lines = lineRecords(p, 3);
  for (const [word, value, expected] of [[16, 5, 4], [17, 4095, 4096], [17, 0, 1]] as const) {   // width 0: outside the word's range (1..65535)
    const t = compileConfig(p);
    const off = screenWords(p) + 4 * word;
    new DataView(t.buffer).setInt32(off, value);
    const rec = tableRecord(t);
    const chk = flightConfigCheck(rec.subarray(10, rec.length - 2));
    assert.deepEqual([chk.status, chk.field, chk.found, chk.expected], [-402, off, value, expected], `word ${word}`);
    const run = runFlight(concat([rec, ...lines, encodeEnd(3)]));
    assert.equal(run.trap, null, `word ${word}: ${run.trap}`);
    assert.equal(run.exitCode, 2, "no valid configuration: exit 2");
    assert.match(run.log, new RegExp(`status=-402 field=${off} found=${value} expected=${expected}`));
  }
});

test("[tengri §config] every screener parameter word out of its range is refused at boot with the word's offset, never at the first line", () => {
  const p = loadProfile("eo-5band");
  const lines = lineRecords(p, 2);
  // tile size 7 and 4097, grow beyond 32, dilate above grow, a band index out of the line, a drop fraction below the degrade one
  for (const [word, value] of [[7, 7], [7, 4097], [6, 33], [5, 33], [13, 9], [9, 1], [11, 0]] as const) {
    const t = compileConfig(p);
    const off = screenWords(p) + 4 * word;
    new DataView(t.buffer).setInt32(off, value);
    const rec = tableRecord(t);
    const chk = flightConfigCheck(rec.subarray(10, rec.length - 2));
    assert.equal(chk.status, -402, `word ${word}`);
    assert.equal(chk.field, off, `word ${word}`);
    const run = runFlight(concat([rec, ...lines, encodeEnd(2)]));
    assert.equal(run.trap, null);
    assert.equal(run.exitCode, 2);
  }
});

test("[tengri §memory] an image whose memory maximum cannot hold the table refuses it with −403 naming need and available; it trapped in the runtime's abort", () => {
  const p = loadProfile("default");
  const small = flightModule(setMemoryMax(new Uint8Array(readFileSync(FLIGHT_WASM)), 16));      // 1 MiB, as flashed for cubesat-mcu
  const chk = flightConfigCheck(compileConfig(p));
  assert.equal(chk.status, 0);
  const run = runFlight(concat([configRecord(p), ...lineRecords(p, 2), encodeEnd(2)]), { module: small });
  assert.equal(run.trap, null, `trap: ${run.trap}`);
  assert.equal(run.exitCode, 2);
  const m = /configuration table refused, status=-403 field=28 found=(\d+) expected=(\d+)/.exec(run.log);
  assert.ok(m, run.log);
  assert.equal(Number(m![1]), chk.memoryNeeded, "the need named is the one lib.wasm computes");
  assert.ok(Number(m![2]) < Number(m![1]) && Number(m![2]) > 0 && Number(m![2]) <= 16 * 65536, `available ${m![2]}`);
  assert.ok(run.memoryBytes <= 16 * 65536);
  // the same image takes a profile that fits
  const c = loadProfile("cubesat-mcu");
  const ok = runFlight(concat([configRecord(c), ...lineRecords(c, 2), encodeEnd(2)]), { module: small });
  assert.equal(ok.exitCode, 0, ok.log);
});

test("[tengri §memory] under node:wasi, an image flashed for cubesat-mcu (1 MiB) given the default table exits refusing it (−403), no trap", async () => {
  const image = flash(new Uint8Array(readFileSync(FLIGHT_WASM)), loadProfile("cubesat-mcu"), "test");
  const records = [configRecord(loadProfile("default")), encodeEnd(0)];
  await assert.rejects(runImage({ image, profile: loadProfile("cubesat-mcu"), records, onOutput: () => {} }),
    (e: unknown) => e instanceof ObcConfigError && e.log.some((l) => /status=-403 field=28 found=\d+ expected=\d+/.test(l)) && !e.log.some((l) => l.includes("TRAP")));
});

test("[tengri §memory] lib.wasm configCheck gives the exact memory need: the image's own carving takes at most it (every shipped profile), grown once", () => {
  for (const name of PROFILES) {
    const lib = loadFlightLib();
    const x = lib.exports;
    const t = compileConfig(loadProfile(name));
    const ptr = lib.alloc(t.length); lib.u8().set(t, ptr);
    assert.equal(x.configCheck(ptr, t.length), 0, name);
    const need = x.configMemoryNeeded();
    assert.ok(need > 0 && need + BOOT_HEAP <= loadProfile(name).obc.ramBytes, `${name}: need ${need}`);
    const pagesBefore = lib.memory.buffer.byteLength;
    assert.equal(x.configCarve(ptr, t.length), 0, name);
    const carved = x.configCarvedLen();
    assert.ok(carved <= need, `${name}: carved ${carved} > need ${need}`);
    assert.ok(need - carved <= 64, `${name}: need ${need} overstates carving ${carved}`);
    assert.ok(lib.memory.buffer.byteLength - pagesBefore <= need + 65536, `${name}: memory grew more than the need`);
  }
});

test("[tengri §memory] the image's heap before its configuration stays within the boot allowance of the RAM rule, and memory is grown once to the need", () => {
  for (const name of PROFILES) {
    const p = loadProfile(name);
    const run = runFlight(concat([configRecord(p), encodeEnd(0)]));
    assert.equal(run.exitCode, 0, run.log);
    const m = /memory in use (\d+) of \d+ bytes \(need (\d+)\)/.exec(run.log);
    assert.ok(m, run.log);
    const used = Number(m![1]), need = Number(m![2]);
    assert.ok(used - need <= BOOT_HEAP, `${name}: heap before configuration ${used - need} > ${BOOT_HEAP}`);
    assert.ok(run.memoryBytes >= used && run.memoryBytes - used < 65536 + 64, `${name}: memory ${run.memoryBytes} for ${used} in use`);
  }
});

test("[tengri §config] the largest legal table (255 bands, CCSDS 123 block) fits the boot buffer and is accepted; MAX_CONFIG_PAYLOAD left the CCSDS 123 block out", () => {
  const p = loadProfile("hyperspectral");
  const src = compileConfig(p);
  const b0 = p.sensor.bands.length, B = 255, SCR = 120; // screening block octets (contract v5: 24 parameter words)
  const CMD = 6;                                          // commanding block (contract v6)
  const PAN = 16;                                         // panchromatic block (contract v8)
  const t = new Uint8Array(48 + 2 * B + 12 + SCR + 12 * B + 180 + CMD + PAN + 2);
  const dv = new DataView(t.buffer);
  t.set(src.subarray(0, 48));
  t[15] = B; dv.setUint16(2, t.length);
  const hk = dv.getUint16(20);
  for (let b = 0; b < B; b++) dv.setUint16(48 + 2 * b, hk + 1 + b);
  t.set(src.subarray(48 + 2 * b0, 48 + 2 * b0 + 12 + SCR), 48 + 2 * B);                 // codec and screening blocks
  const hb = 48 + 2 * B + 12 + SCR + 12 * B;
  t.set(src.subarray(48 + 2 * b0 + 12 + SCR + 12 * b0, src.length - 2), hb);              // CCSDS 123 words, the commanding and panchromatic blocks
  dv.setInt32(hb + 8, B);                                                                  // Nz
  dv.setUint16(t.length - 2 - PAN - CMD + 2, 2000);                                        // report APID clear of the 255 band APIDs
  const rec = tableRecord(t);
  assert.equal(rec.length, 10 + 3908 + (SCR - 96) + CMD + PAN + 2);
  assert.equal(flightConfigCheck(rec.subarray(10, rec.length - 2)).status, 0);
  const run = runFlight(concat([rec, encodeEnd(0)]));
  assert.equal(run.exitCode, 0, run.log);
  assert.match(run.log, /configuration accepted: 255 bands/);
});

test("[tengri §bus] a line whose time tag goes back by more than 2^31 s is rejected and counted; its detail conversion trapped (float unrepresentable in integer range)", () => {
  const p = loadProfile("cubesat-mcu");
  const lines = lineRecords(p, 3);
  const l1 = lines[1].slice();
  new DataView(l1.buffer).setUint32(10 + 4, 0);                                            // coarse time 0 (1958)
  const run = runFlight(concat([configRecord(p), lines[0], fixRecordCrc(l1), lines[2], encodeEnd(3)]));
  assert.equal(run.trap, null, `trap: ${run.trap}`);
  assert.equal(run.exitCode, 0);
  assert.match(run.log, /reject time tag backwards status=-306/);
});

test("[tengri §bus] records lying about their length, garbage, truncation, duplicated, dropped and reordered records: no trap, every stream ends with a status", () => {
  const p = loadProfile("default");
  const recs = [configRecord(p), ...lineRecords(p, 4), encodeEnd(4)];
  const bus = concat(recs);
  const variants: [string, Uint8Array][] = [];
  for (let k = 1; k < 12; k++) variants.push([`truncated at ${k}/12`, bus.subarray(0, Math.floor(bus.length * k / 12))]);
  for (let r = 0; r < recs.length; r++) {
    for (const L of [0, 1, 17, 18, recs[r].length - 13, recs[r].length - 11, 0x7fffffff, 0xffffffff]) {
      const parts = recs.map((x) => x.slice());
      new DataView(parts[r].buffer).setUint32(6, L >>> 0);
      variants.push([`record ${r} says length ${L}`, concat(parts)]);
    }
  }
  let seed = 7;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) >>> 0; return seed % n; };
  for (let i = 0; i < 12; i++) { const b = bus.slice(); for (let j = 0; j < 6; j++) b[rnd(b.length)] = rnd(256); variants.push([`garbage ${i}`, b]); }
  const L = recs.length;
  variants.push(["duplicated configuration", concat([recs[0], ...recs])]);
  variants.push(["every line twice", concat([recs[0], ...recs.slice(1, L - 1).flatMap((x) => [x, x]), recs[L - 1]])]);
  variants.push(["a line dropped", concat([recs[0], ...recs.slice(2)])]);
  variants.push(["lines reversed", concat([recs[0], ...recs.slice(1, L - 1).reverse(), recs[L - 1]])]);
  variants.push(["lines before the configuration", concat([...recs.slice(1, L - 1), ...recs])]);
  variants.push(["end of pass first", concat([recs[0], recs[L - 1], ...recs.slice(1)])]);
  variants.push(["empty", new Uint8Array(0)]);
  for (const [name, b] of variants) {
    for (const chunk of [undefined, 7]) {
      const run = runFlight(b, { chunk });
      assert.equal(run.trap, null, `${name} (chunk ${chunk}): trap ${run.trap}`);
      assert.ok(run.exitCode === 0 || run.exitCode === 2, `${name}: exit ${run.exitCode}`);
    }
  }
});

test("[tengri §config] one-field mutations of every shipped profile's table (boundary values, CRCs fixed): refused with a status or run to the end, never a trap (bounded sample)", () => {
  for (const name of PROFILES) {
    const p = structuredClone(loadProfile(name));
    if (p.products.image.compression === "ccsds123") p.products.image.ccsds123 = { ...p.products.image.ccsds123, segmentLines: 4 };   // a short pass pads little
    const table = compileConfig(p);
    const lines = lineRecords(p, 1);
    const bands = p.sensor.bands.length;
    const sw = screenWords(p), hb = table.length - 2 - 180;
    const cases: [number, 1 | 2 | 4, number][] = [];
    for (let o = 0; o < 48; o++) cases.push([o, 1, 0xff], [o, 1, 0]);
    for (let o = 0; o < 48; o += 2) cases.push([o, 2, 0xffff], [o, 2, 1]);
    for (let i = 0; i < 12; i++) cases.push([48 + 2 * bands + i, 1, 0], [48 + 2 * bands + i, 1, 0xff]);
    for (let i = 0; i < 24; i++) cases.push([sw - 24 + i, 1, 0xff]);
    for (let i = 0; i < 18; i++) cases.push([sw + 4 * i, 4, 0], [sw + 4 * i, 4, 0x7fffffff]);
    for (let i = 0; i < 45; i++) cases.push([hb + 4 * i, 4, 0], [hb + 4 * i, 4, 0xffffffff]);
    let refused = 0, ran = 0;
    for (const [o, w, v] of cases) {
      const t = table.slice();
      const dv = new DataView(t.buffer);
      if (w === 1) t[o] = v; else if (w === 2) dv.setUint16(o, v); else dv.setUint32(o, v >>> 0);
      const run = runFlight(concat([tableRecord(t), ...lines, encodeEnd(1)]));
      assert.equal(run.trap, null, `${name}: ${w} octet(s) at ${o} = ${v}: trap ${run.trap}`);
      if (run.exitCode === 2) refused++; else { assert.equal(run.exitCode, 0); ran++; }
    }
    assert.ok(refused > 0 && ran > 0, `${name}: ${refused} refused, ${ran} ran`);
  }
});

test("[tengri §bus] a record before the configuration lying about its length does not swallow the configuration behind it (its length was trusted)", () => {
  const p = loadProfile("cubesat-mcu");
  const liar = new Uint8Array(10);
  const dv = new DataView(liar.buffer);
  dv.setUint32(0, 0x54474252); liar[4] = 2; liar[5] = 1; dv.setUint32(6, 3000);          // a line header claiming 3000 octets, nothing behind it
  const lines = lineRecords(p, 2);
  const run = runFlight(concat([liar, configRecord(p), ...lines, encodeEnd(2)]), { chunk: 64 });     // a pipe delivers it in pieces
  assert.equal(run.trap, null);
  assert.equal(run.exitCode, 0, run.log);
  assert.match(run.log, /reject record before configuration status=-307/);
  assert.match(run.log, /configuration accepted/);
  assert.match(run.log, /pass ended: lines 2,/);
});
