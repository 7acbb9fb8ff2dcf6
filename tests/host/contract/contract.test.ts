// The wire contract (host/contract/contract.json) against the flight code itself (build/lib.wasm):
// what the host compiles is what the flight parser reads, every range the contract states is the
// range the flight enforces, and the host refuses first what the image would refuse.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadProfile, listProfiles, validateProfile, ProfileError } from "../../../host/profiles/index.ts";
import { compileConfig, configValues, optionDefault, aecOptions } from "../../../host/obc/config-table.ts";
import { CONTRACT } from "../../../host/contract/contract.gen.ts";
import { tableLayout, decodeTable, fieldSize, type TableValues } from "../../../host/contract/layout.ts";
import { flightCheckTable, flightReadBack } from "../../../host/contract/flight.ts";
import { crc16 } from "../../../host/util/crc16.ts";
import { XorShift32 } from "../../../host/sensor/prng.ts";

const SHIPPED = listProfiles().map((x) => x.name);

function sameValues(host: TableValues, flight: TableValues, what: string): void {
  let compared = 0;
  for (const [k, v] of Object.entries(flight)) {
    const h = host[k];
    if (Array.isArray(v)) {
      assert.ok(Array.isArray(h), `${what}: ${k} per band on the host`);
      v.forEach((x, i) => assert.ok(Object.is(Math.fround((h as number[])[i]), Math.fround(x)), `${what}: ${k}[${i}] host ${(h as number[])[i]} flight ${x}`));
    } else assert.equal(v, h ?? 0, `${what}: ${k} host ${h} flight ${v}`);
    compared++;
  }
  assert.ok(compared >= 100, `${what}: only ${compared} fields read back`);
}

test("[tengri §contract] the contract's layout is contiguous and its documented block starts hold", () => {
  const { len } = tableLayout(CONTRACT, 4);
  assert.equal(len, 384 + 14 * 4);
  for (const s of [CONTRACT.unitHeader, CONTRACT.tileStatistics, CONTRACT.housekeeping, CONTRACT.busRecord, CONTRACT.lineHeader]) {
    let end = 0;
    for (const f of s.fields) { if (typeof f.offset !== "number") continue; assert.equal(f.offset, end, `${s.title}: ${f.name}`); end += fieldSize(f) || 0; }
  }
});

for (const name of SHIPPED) {
  test(`[tengri §contract] round trip: the ${name} table read back field by field by the flight parser equals what the host compiled`, () => {
    const p = loadProfile(name);
    const t = compileConfig(p);
    const host = configValues(p);
    sameValues(host, flightReadBack(t), name);
    // and the host's own decoder agrees with its encoder
    const dec = decodeTable(CONTRACT, t);
    for (const [k, v] of Object.entries(host)) assert.deepEqual(dec[k], Array.isArray(v) ? v.map((x) => Math.fround(x)) : v, `decode ${k}`);
  });
}

test("[tengri §contract] round trip over 200 randomized valid profiles (every product option drawn from its allowed values)", () => {
  const g = new XorShift32(20261203), rnd = () => g.next();
  const pick = <T,>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
  let checked = 0;
  for (let i = 0; i < 200; i++) {
    const p = structuredClone(loadProfile(pick(SHIPPED)));
    const img = p.products.image as Record<string, unknown>;
    if (p.products.image.compression === "ccsds121") {
      img.ccsds121 = { blockSize: pick([8, 16, 32, 64]), rsi: 1 + Math.floor(rnd() * 4096), preprocess: rnd() < 0.5, restricted: false, unitLines: 1 + Math.floor(rnd() * 64), unitPixels: 0 };
    }
    if (img.screening && (img.screening as { enabled?: boolean }).enabled) {
      const d = 0.1 + 0.3 * rnd();
      img.screening = { ...(img.screening as object), enabled: true, tileSize: pick([8, 16, 32, 64, 128]), degradeShift: Math.floor(rnd() * 4), thumbnailFactor: 2 + Math.floor(rnd() * 30),
        coreBlue: rnd() * 0.5, coreHot: rnd() * 0.1, coreNdviMax: rnd() - 0.5, hazeHot: rnd() * 0.05, bright: rnd() * 0.5,
        degradeFraction: d, dropFraction: d + rnd() * (1 - d), minValidFraction: rnd(), minSunElevationDeg: rnd() * 20, coreDilateM: rnd() * 60, hazeGrowM: 60 + rnd() * 200 };
    }
    if (p.products.image.compression === "ccsds123") {
      img.ccsds123 = { segmentLines: 1 + Math.floor(rnd() * 128), p: Math.floor(rnd() * 16), reduced: rnd() < 0.3, localSum: pick(["wide-neighbour", "narrow-neighbour", "wide-column", "narrow-column"]),
        coder: pick(["sample-adaptive", "hybrid", "block-adaptive"]), maxAbsError: pick([0, 0, 1, 3, 7]) };
    }
    p.spacecraft.scid = Math.floor(rnd() * (p.link.frame.type === "aos" ? 256 : 1024));
    const v = validateProfile(p, `random #${i}`);
    const o = { initialFrameCount: Math.floor(rnd() * 2 ** 32), initialPacketCount: Math.floor(rnd() * 16384) };
    // What the host meant (its values), against what the flight parser read from the bytes.
    sameValues(configValues(v, o), flightReadBack(compileConfig(v, o)), `random #${i}`);
    checked++;
  }
  assert.equal(checked, 200);
});

/** A table with one field set to a value, CRC fixed. */
function withField(t: Uint8Array, offset: number, type: string, v: number): Uint8Array {
  const c = Uint8Array.from(t);
  const dv = new DataView(c.buffer);
  if (type === "u8") dv.setUint8(offset, v); else if (type === "u16") dv.setUint16(offset, v); else if (type === "u32") dv.setUint32(offset, v >>> 0); else dv.setInt32(offset, v);
  dv.setUint16(c.length - 2, crc16(c.subarray(0, c.length - 2)));
  return c;
}

for (const name of SHIPPED) {
  test(`[tengri §contract] the flight parser enforces every range the contract states, naming the field (${name})`, () => {
    const p = loadProfile(name);
    const t = compileConfig(p);
    const values = configValues(p);
    const coder = values.coder as number, screen = (values.screenEnabled as number | undefined) ?? 0, pan = (values.panEnabled as number | undefined) ?? 0;
    let probed = 0;
    for (const tf of tableLayout(CONTRACT, p.sensor.bands.length).fields) {
      const f = tf.field;
      if (f.type === "f32" || f.type === "bytes" || f.name === "version" || f.name === "tableLen" || f.name === "crc") continue;
      if (f.when) {
        const [k, vs] = f.when.split("="); const cur = k === "coder" ? coder : k === "panEnabled" ? pan : screen;
        if (!vs.split("|").map(Number).includes(cur)) continue;
      }
      const max = f.type === "u8" ? 255 : f.type === "u16" ? 65535 : f.type === "u32" ? 2 ** 32 - 1 : 2 ** 31 - 1;
      const bad: number[] = [];
      if (f.value !== undefined) bad.push(f.value + 1);
      else if (f.enum) { const allowed = Object.keys(f.enum).map(Number); for (const x of [Math.max(...allowed) + 1, 3, 7, 12]) if (!allowed.includes(x) && x <= max) bad.push(x); }
      else if (f.bits) { const mask = Object.keys(f.bits).reduce((a, x) => a | Number(x), 0); for (let b = 1; b <= 128; b <<= 1) if (!(mask & b)) { bad.push(b); break; } }
      else if (f.min !== undefined) { if (f.max! < max) bad.push(f.max! + 1); if (f.min > (f.type === "i32" ? -(2 ** 31) : 0)) bad.push(f.min - 1); }
      for (const x of bad) {
        const e = flightCheckTable(withField(t, tf.offset, f.type, x));
        assert.ok(e, `${name}: ${tf.block}.${f.name} = ${x} accepted`);
        assert.equal(e!.status, -402, `${name}: ${f.name} = ${x}: ${e!.message}`);
        assert.equal(e!.detail.field, tf.offset, `${name}: ${f.name} = ${x} reported at offset ${e!.detail.field}: ${e!.message}`);
        assert.equal(e!.fieldName, f.name);
        probed++;
      }
    }
    assert.ok(probed > 40, `only ${probed} out-of-range values probed`);
  });
}

test("[tengri §contract] the host refuses first what the image refuses, with the JSON pointer and the allowed values", () => {
  const base = loadProfile("default");
  const refuse = (mut: (p: Record<string, any>) => void, pointer: string, words: RegExp) => {
    const p = structuredClone(base) as unknown as Record<string, any>;
    mut(p);
    assert.throws(() => validateProfile(p, "mutated"), (e: unknown) => e instanceof ProfileError && e.field === pointer && words.test(e.rule), pointer);
  };
  refuse((p) => { p.products.image.ccsds121 = { blockSize: 12 }; }, "/products/image/ccsds121/blockSize", /8, 16, 32, 64/);
  refuse((p) => { p.products.image.screening.tileSize = 7; }, "/products/image/screening/tileSize", />= 8/);
  refuse((p) => { p.products.image.screening.coreBleu = 0.2; }, "/products/image/screening/coreBleu", /unknown field/);
  refuse((p) => { p.products.image.ccsds121 = { unitPixels: 5 }; }, "/products/image/ccsds121/unitPixels", /flight image would refuse/);
  refuse((p) => { p.products.image.screening.statsApid = p.products.image.apids[1]; }, "/products/image/apids/1", /differ/);
  refuse((p) => { p.products.image.screening.degradeShift = 7; p.sensor.bitDepth = 6; }, "/products/image/screening/degradeShift", /flight image would refuse/);
  refuse((p) => { p.products.image.colour = "blue"; }, "/products/image/colour", /unknown field/);
});

test("[tengri §contract] defaults live once: the compiler takes every product default from the contract", () => {
  const p = structuredClone(loadProfile("default"));
  delete (p.products.image as Record<string, unknown>).ccsds121;
  const a = aecOptions(p);
  for (const k of ["blockSize", "rsi", "preprocess", "restricted", "unitLines", "unitPixels"] as const) assert.equal(a[k], optionDefault("ccsds121", k), k);
});
