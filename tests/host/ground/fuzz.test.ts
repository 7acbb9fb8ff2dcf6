// Fuzzing the ground decoder with random and mutated streams: it must never throw, hang or grow
// without bound, whatever it is fed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { LinkDecoder, type LinkConfig } from "../../../host/ground/link-decoder.ts";
import { LinkBuilder, makePacket, concat, rng, slipBits } from "./link-builder.ts";

const CONFIGS: LinkConfig[] = [
  { frameType: "tm", frameLen: 223, rsE: 16, rsDepth: 1, randomizer: true, fecf: true, ocf: false },
  { frameType: "aos", frameLen: 892, rsE: 16, rsDepth: 4, randomizer: true, fecf: false, ocf: false },
  { frameType: "tm", frameLen: 300, rsE: 0, rsDepth: 1, randomizer: false, fecf: false, ocf: false, maxPacketLen: 1000 },
  { frameType: "aos", frameLen: 478, rsE: 8, rsDepth: 2, randomizer: false, fecf: true, ocf: true, aosInsertZoneLen: 2 },
];

function seedStream(cfg: LinkConfig, r: () => number): Uint8Array {
  const b = new LinkBuilder(cfg);
  const out: Uint8Array[] = [];
  for (let i = 0; i < 6; i++) {
    const n = 1 + ((r() * 900) | 0);
    b.addPacket(1 + (i % 2), makePacket((r() * 0x7ff) | 0, i, new Uint8Array(n).map(() => (r() * 256) | 0)));
    out.push(b.cadu(r() < 0.2 ? b.idleFrame() : b.frame(1 + (i % 2))));
  }
  return concat(out);
}

function mutate(s: Uint8Array, r: () => number, cfg: LinkConfig): Uint8Array {
  let m: Uint8Array = s.slice();
  const kind = (r() * 7) | 0;
  if (kind === 0) for (let i = 0; i < 1 + r() * 50; i++) m[(r() * m.length) | 0] ^= 1 << ((r() * 8) | 0);
  else if (kind === 1) m = slipBits(m, (r() * m.length * 8) | 0, ((r() * 17) | 0) - 8 || 1);
  else if (kind === 2) m = m.subarray(0, (r() * m.length) | 0);
  else if (kind === 3) { const at = (r() * m.length) | 0; m = concat([m.subarray(0, at), new Uint8Array((r() * 600) | 0).map(() => (r() * 256) | 0), m.subarray(at)]); }
  else if (kind === 4) {
    // Header / FHP / length fields scrambled in plain (unrandomized, RS-consistent) frames.
    const b = new LinkBuilder({ ...cfg });
    const f = b.frame(1);
    for (let i = 0; i < 8; i++) f[(r() * Math.min(f.length, 20)) | 0] = (r() * 256) | 0;
    b.refreshFecf(f);
    m = concat([m, b.cadu(f), b.cadu(b.frame(1))]);
  } else if (kind === 5) m = new Uint8Array((r() * 4000) | 0).map(() => (r() * 256) | 0);
  else { const a = (r() * m.length) | 0; m.copyWithin(a, (r() * m.length) | 0); }
  return m;
}

test("fuzz: 2000 random and mutated streams, random chunking: no throw, no hang, bounded state", () => {
  const r = rng(2024);
  let events = 0;
  for (let n = 0; n < 2000; n++) {
    const cfg = CONFIGS[n % CONFIGS.length];
    const s = mutate(seedStream(cfg, r), r, cfg);
    const d = new LinkDecoder(cfg, { onEvent: () => { events++; }, onPacket: (p) => { assert.ok(p.raw.length >= 7 && p.raw.length <= (cfg.maxPacketLen ?? 65542)); } });
    for (let i = 0; i < s.length; ) {
      const c = r() < 0.3 ? 1 : 1 + ((r() * 3000) | 0);
      d.push(s.subarray(i, i + c));
      i += c;
    }
    d.end();
    const st = d.stats;
    assert.equal(st.bytesIn, s.length);
    assert.ok(st.framesGood + st.framesDropped <= st.cadus);
  }
  assert.ok(events > 0);
});
