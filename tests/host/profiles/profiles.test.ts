import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadProfile, listProfiles, derived, validateProfile, ProfileError, PROFILES_DIR, type Profile } from "../../../host/profiles/index.ts";

const NAMES = ["cubesat-mcu", "default", "eo-5band", "hyperspectral"];
const raw = (name: string): any => JSON.parse(readFileSync(join(PROFILES_DIR, `${name}.json`), "utf8"));

function refused(mutate: (p: any) => void, field: string, rule: RegExp, base = "default"): ProfileError {
  const p = raw(base);
  mutate(p);
  try {
    validateProfile(p, "mutated.json");
  } catch (e) {
    assert.ok(e instanceof ProfileError, `expected ProfileError, got ${e}`);
    assert.equal(e.field, field);
    assert.match(e.rule, rule);
    assert.equal(e.file, "mutated.json");
    assert.ok(e.message.includes(field) && e.message.includes(e.rule));
    return e;
  }
  assert.fail(`mutation accepted, expected refusal at ${field}`);
}

test("all four built-in profiles validate and are listed", () => {
  const list = listProfiles();
  for (const n of NAMES) {
    const row = list.find((r) => r.name === n);
    assert.ok(row, `${n} listed`);
    assert.equal(row.ok, true, row.error?.message);
    assert.equal(loadProfile(n).name, n);
  }
  assert.ok(!list.some((r) => r.name === "schema"));
});

test("loadProfile accepts a path as well as a name; missing files and bad JSON are ProfileErrors", () => {
  const dir = mkdtempSync(join(tmpdir(), "tengri-prof-"));
  try {
    const f = join(dir, "mine.json");
    writeFileSync(f, JSON.stringify(raw("eo-5band")));
    assert.equal(loadProfile(f).name, "eo-5band");
    writeFileSync(f, "{ not json");
    assert.throws(() => loadProfile(f), (e: unknown) => e instanceof ProfileError && /JSON/.test(e.rule));
    assert.throws(() => loadProfile("no-such-profile"), (e: unknown) => e instanceof ProfileError && /not found/.test(e.rule));
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("issue figures: default, cubesat-mcu, eo-5band, hyperspectral", () => {
  const d = loadProfile("default");
  assert.deepEqual(d.sensor.bands.map((b) => b.name), ["blue", "green", "red", "nir"]);
  assert.equal(d.sensor.bitDepth, 12);
  assert.equal(d.sensor.pixelsPerLine, 4096);
  assert.equal(d.obc.ramBytes, 8 << 20);
  assert.equal(d.link.downlinkBitRate, 100e6);
  assert.deepEqual([d.link.frame.type, d.link.frame.length, d.link.frame.fecf, d.link.coding.rsE, d.link.coding.rsDepth, d.link.coding.randomizer], ["tm", 1115, true, 16, 5, true]);
  const c = loadProfile("cubesat-mcu");
  assert.equal(c.obc.ramBytes, 1 << 20);
  assert.equal(c.sensor.bands.length * 1, 4);
  assert.equal(c.sensor.pixelsPerLine, 2048);
  assert.ok(c.products.image.maxPacketDataLen < c.sensor.pixelsPerLine * 2, "cubesat lines must be segmented");
  const e = loadProfile("eo-5band");
  assert.deepEqual([e.sensor.bands.length, e.sensor.pixelsPerLine, e.link.frame.type, e.link.frame.length, e.link.frame.fecf, e.link.coding.rsDepth, e.link.downlinkBitRate], [5, 12000, "aos", 892, false, 4, 300e6]);
  const h = loadProfile("hyperspectral");
  assert.equal(h.sensor.bands.length, 120);
  assert.equal(h.sensor.gsdM, 30);
  assert.ok(h.sensor.bands[0].centreNm >= 400 && h.sensor.bands.at(-1)!.centreNm <= 1000);
});

test("radiometry: a 0.9-reflectance cloud at 60° sun elevation lands near but below saturation in every band", () => {
  for (const n of NAMES) {
    const p = loadProfile(n);
    const max = 2 ** p.sensor.bitDepth - 1;
    for (const b of p.sensor.bands) {
      for (const d of [0.983, 1.017]) { // perihelion and aphelion
        const L = (b.solarIrradiance * Math.cos(Math.PI / 6) * 0.9) / (Math.PI * d * d);
        const dn = (L - b.offset) / b.gain;
        assert.ok(dn > 0.75 * max && dn < 0.97 * max, `${n}/${b.name}: cloud DN ${dn.toFixed(0)} of ${max}`);
      }
      assert.ok(-b.offset / b.gain >= 0, `${n}/${b.name}: dark level DN is non-negative`);
    }
  }
});

test("derived figures: CADU length = ASM + frame + 2E·I, data field, line bits and rates", () => {
  const d = derived(loadProfile("default"));
  assert.equal(d.caduLen, 4 + 1115 + 2 * 16 * 5);
  assert.equal(d.frameDataFieldLen, 1115 - 6 - 2);
  assert.equal(d.lineBits, 4 * 4096 * 12);
  assert.equal(d.rawBitRate, 4 * 4096 * 12 * 875);
  assert.ok(Math.abs(d.linePeriodS - 1 / 875) < 1e-15);
  assert.equal(d.rsK, 223);
  assert.ok(d.rawToDownlinkRatio > 1, "default raw rate exceeds the downlink (intended)");
  const e = derived(loadProfile("eo-5band"));
  assert.equal(e.caduLen, 4 + 892 + 2 * 16 * 4);
  assert.equal(e.frameDataFieldLen, 892 - 6);
  const h = loadProfile("hyperspectral");
  assert.equal(derived(h).frameDataFieldLen, h.link.frame.length - 6 - 2);
});

test("refused: bad rsDepth, names /link/coding/rsDepth and the allowed values", () => {
  refused((p) => (p.link.coding.rsDepth = 6), "/link/coding/rsDepth", /one of 1, 2, 3, 4, 5, 8/);
});

test("refused: bad rsE", () => {
  refused((p) => (p.link.coding.rsE = 10), "/link/coding/rsE", /one of 8, 16/);
});

test("refused: frame length not a multiple of the interleaving depth", () => {
  refused((p) => (p.link.frame.length = 1114), "/link/frame/length", /multiple of the interleaving depth I=5/);
});

test("refused: frame length longer than I·(255−2E) (E=16: 223, E=8: 239)", () => {
  refused((p) => (p.link.frame.length = 5 * 224), "/link/frame/length", /<= 223/);
  refused((p) => { p.link.coding.rsE = 8; p.link.frame.length = 5 * 240; }, "/link/frame/length", /<= 239/);
  const ok = raw("default");
  ok.link.coding.rsE = 8; ok.link.frame.length = 5 * 239;
  validateProfile(ok);
  const short = raw("default");
  short.link.frame.length = 5 * 100; // shortened code
  validateProfile(short);
});

test("refused: AOS frame shorter than 8 octets or without room for the M_PDU header", () => {
  // (TM's 2048-octet limit is checked too, but no allowed RS configuration reaches it: 8·239 = 1912.)
  refused((p) => { p.link.frame.length = 4; p.link.coding.rsDepth = 4; }, "/link/frame/length", />= 8/, "eo-5band");
  refused((p) => { p.link.frame.length = 8; p.link.coding.rsDepth = 1; p.link.frame.fecf = true; }, "/link/frame/length", /too short/, "eo-5band");
});

test("refused: duplicate APIDs, APID count not one per band, housekeeping APID reused", () => {
  refused((p) => (p.products.image.apids = [32, 33, 33, 35]), "/products/image/apids/2", /distinct \(items 1 and 2/);
  refused((p) => (p.products.image.apids = [32, 33, 34]), "/products/image/apids", /one APID per band/);
  refused((p) => (p.products.housekeeping.apid = 34), "/products/housekeeping/apid", /distinct from the image APIDs/);
  refused((p) => (p.products.image.apids[0] = 2047), "/products/image/apids/0", /<= 2046/);
});

test("refused: SCID out of range (TM 10 bits, AOS 8 bits)", () => {
  refused((p) => (p.spacecraft.scid = 1024), "/spacecraft/scid", /<= 1023/);
  refused((p) => (p.spacecraft.scid = 256), "/spacecraft/scid", /AOS SCID is 8 bits/, "eo-5band");
  const p = raw("default");
  p.spacecraft.scid = 1023;
  validateProfile(p);
});

test("refused: VCID out of range (TM 3 bits, AOS 6 bits); AOS idle VCID is 63", () => {
  refused((p) => (p.products.image.vcid = 8), "/products/image/vcid", /TM VCID is 3 bits/);
  refused((p) => (p.products.image.vcid = 64), "/products/image/vcid", /<= 63/, "eo-5band");
  refused((p) => (p.link.frame.idleVcid = 62), "/link/frame/idleVcid", /63/, "eo-5band");
  refused((p) => (p.link.frame.idleVcid = 1), "/link/frame/idleVcid", /differ/);
  const p = raw("eo-5band");
  p.products.image.vcid = 62;
  validateProfile(p);
});

test("refused: missing field, unknown field, wrong type", () => {
  refused((p) => delete p.link.coding.randomizer, "/link/coding/randomizer", /required/);
  refused((p) => delete p.sensor, "/sensor", /required/);
  refused((p) => (p.link.coding.randomiser = true), "/link/coding/randomiser", /unknown field/);
  refused((p) => (p.sensor.bitDepth = "12"), "/sensor/bitDepth", /integer/);
});

test("refused: sensor limits (bitDepth 1..16, pixels 1..65535, bands 1..255) and compression enum", () => {
  refused((p) => (p.sensor.bitDepth = 17), "/sensor/bitDepth", /<= 16/);
  refused((p) => (p.sensor.bitDepth = 0), "/sensor/bitDepth", />= 1/);
  refused((p) => (p.sensor.pixelsPerLine = 65536), "/sensor/pixelsPerLine", /<= 65535/);
  refused((p) => (p.sensor.bands = []), "/sensor/bands", /fewer than 1|minItems/);
  refused((p) => (p.products.image.compression = "jpeg"), "/products/image/compression", /raw/);
  refused((p) => (p.products.image.maxPacketDataLen = 63), "/products/image/maxPacketDataLen", />= 64/);
  refused((p) => (p.products.image.maxPacketDataLen = 65537), "/products/image/maxPacketDataLen", /<= 65536/);
});

test("[tengri §contract] product options: the contract's sections are accepted, anything else under products.image is refused by name", () => {
  const p = raw("default");
  p.products.image.compression = "ccsds121";
  p.products.image.ccsds121 = { blockSize: 16, rsi: 64 };
  p.products.image.screening = { enabled: true };
  const v: Profile = validateProfile(p);
  assert.equal(v.products.image.compression, "ccsds121");
  refused((q) => (q.products.image.somethingLater = 3), "/products/image/somethingLater", /unknown field/);
  refused((q) => (q.products.image.ccsds123 = 5), "/products/image/ccsds123", /object/);
  refused((q) => (q.products.image.ccsds121 = { blockSize: 16, rsii: 64 }), "/products/image/ccsds121/rsii", /unknown field/);
});

test("refused: impossible geometry and dates, TM insert zone", () => {
  refused((p) => (p.sensor.lineRateHz = 1500), "/sensor/lineRateHz", /groundSpeedMps\/gsdM/);
  refused((p) => (p.pass.startUtc = "2026-13-45T99:00:00Z"), "/pass/startUtc", /valid UTC/);
  refused((p) => (p.link.frame.insertZoneLen = 4), "/link/frame/insertZoneLen", /only in AOS/);
  refused((p) => (p.obc.ramBytes = 1000000), "/obc/ramBytes", /multiple of 65536/);
});

test("every built-in profile round-trips through validateProfile unchanged", () => {
  for (const n of NAMES) assert.deepEqual(validateProfile(raw(n)), raw(n));
});

test("fuzz: 3000 random mutations of the profiles are either accepted or refused with a ProfileError, never a crash", () => {
  let s = 12345;
  const rnd = (n: number) => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s % n; };
  const oddValues = [null, -1, 0, 1, 7, 8, 63, 64, 255, 256, 1023, 1024, 2047, 65536, 1e12, -0.5, 3.7, NaN, "x", "", true, false, [], {}, [1, 2], { a: 1 }];
  const paths = (o: any, pre: string[] = []): string[][] => Object.keys(o).flatMap((k) => {
    const v = o[k], p = [...pre, k];
    return v !== null && typeof v === "object" ? [p, ...paths(v, p)] : [p];
  });
  let accepted = 0, refused = 0;
  for (let i = 0; i < 3000; i++) {
    const p = raw(NAMES[rnd(NAMES.length)]);
    for (let m = 0; m <= rnd(3); m++) {
      const all = paths(p);
      const path = all[rnd(all.length)];
      let parent: any = p;
      for (const k of path.slice(0, -1)) parent = parent[k];
      const key = path.at(-1)!;
      if (rnd(5) === 0) delete parent[key];
      else parent[key] = structuredClone(oddValues[rnd(oddValues.length)]); // a fresh copy: shared [] and {} must not be mutated into cycles
    }
    try {
      const v = validateProfile(JSON.parse(JSON.stringify(p)), "fuzz.json");
      derived(v);
      accepted++;
    } catch (e) {
      assert.ok(e instanceof ProfileError, `mutation ${i}: ${e}`);
      assert.ok(e.field.startsWith("/") || e.field === "", e.field);
      refused++;
    }
  }
  assert.ok(refused > 2000 && accepted > 0, `${accepted} accepted, ${refused} refused`);
});
