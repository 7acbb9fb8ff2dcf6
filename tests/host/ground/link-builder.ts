// Encoder-side test helper for the ground decoder tests and bench: builds space packets, TM or
// AOS transfer frames (FHP, counters, OCF, FECF), Reed-Solomon codeblocks, randomization and
// ASM. Written for the tests; the RS parity it uses is checked against libfec in
// tests/interop/libfec-ground.test.ts, the CRC and PN sequence against the vectors README.
import { RsCodec } from "../../../host/ground/reed-solomon.ts";
import { pnSequence } from "../../../host/ground/derandomize.ts";
import { crc16 } from "../../../host/ground/crc16.ts";
import type { LinkConfig } from "../../../host/ground/link-decoder.ts";

export const ASM_BYTES = new Uint8Array([0x1a, 0xcf, 0xfc, 0x1d]);

export function makePacket(apid: number, seqCount: number, data: Uint8Array, opts: { secHdr?: boolean; seqFlags?: number; type?: number } = {}): Uint8Array {
  const p = new Uint8Array(6 + data.length);
  const w0 = ((opts.type ?? 0) << 12) | ((opts.secHdr ? 1 : 0) << 11) | (apid & 0x7ff);
  const w1 = ((opts.seqFlags ?? 3) << 14) | (seqCount & 0x3fff);
  const lf = data.length - 1;
  p[0] = w0 >>> 8; p[1] = w0 & 255; p[2] = w1 >>> 8; p[3] = w1 & 255; p[4] = lf >>> 8; p[5] = lf & 255;
  p.set(data, 6);
  return p;
}

export function idlePacket(len: number): Uint8Array {
  return makePacket(0x7ff, 0, new Uint8Array(len - 6).fill(0x55));
}

class VcQueue {
  buf = new Uint8Array(1 << 16);
  head = 0; // absolute offset of buf[0]
  len = 0;
  starts: number[] = [];
  count = 0;
  push(p: Uint8Array): void {
    if (this.len + p.length > this.buf.length) {
      const nb = new Uint8Array(Math.max(this.buf.length * 2, this.len + p.length));
      nb.set(this.buf.subarray(0, this.len));
      this.buf = nb;
    }
    this.starts.push(this.head + this.len);
    this.buf.set(p, this.len);
    this.len += p.length;
  }
  take(n: number, out: Uint8Array, off: number): number {
    // Returns the FHP for these n bytes.
    while (this.starts.length && this.starts[0] < this.head) this.starts.shift();
    const first = this.starts.length && this.starts[0] < this.head + n ? this.starts[0] - this.head : 0x7ff;
    out.set(this.buf.subarray(0, n), off);
    this.buf.copyWithin(0, n, this.len);
    this.len -= n;
    this.head += n;
    return first;
  }
}

export interface BuilderOptions {
  scid?: number;
  mcCount?: number;
  vcCounts?: Record<number, number>;
  ocfValue?: number;
  /** TM: set the OCF flag and append an OCF. */
  tmOcf?: boolean;
}

export class LinkBuilder {
  readonly rs: RsCodec | null;
  readonly pn: Uint8Array;
  readonly k: number;
  readonly ncw: number;
  readonly cbLen: number;
  private q = new Map<number, VcQueue>();
  mc: number;
  vc = new Map<number, number>();
  readonly scid: number;
  readonly zoneLen: number;

  constructor(readonly cfg: LinkConfig, readonly opts: BuilderOptions = {}) {
    this.rs = cfg.rsE ? new RsCodec(cfg.rsE) : null;
    this.k = cfg.rsE ? cfg.frameLen / cfg.rsDepth : cfg.frameLen;
    this.ncw = cfg.rsE ? this.k + 2 * cfg.rsE : 0;
    this.cbLen = cfg.rsE ? this.ncw * cfg.rsDepth : cfg.frameLen;
    this.pn = pnSequence(this.cbLen);
    this.mc = opts.mcCount ?? 0;
    for (const [v, c] of Object.entries(opts.vcCounts ?? {})) this.vc.set(+v, c);
    this.scid = opts.scid ?? (cfg.frameType === "tm" ? 0x0ab : 0x9d);
    const hdr = cfg.frameType === "tm" ? 6 : 6 + (cfg.aosFhec ? 2 : 0) + (cfg.aosInsertZoneLen ?? 0) + 2;
    const trailer = (cfg.fecf ? 2 : 0) + (cfg.frameType === "tm" ? (opts.tmOcf ? 4 : 0) : cfg.ocf ? 4 : 0);
    this.zoneLen = cfg.frameLen - hdr - trailer;
  }

  queue(vcid: number): VcQueue {
    let q = this.q.get(vcid);
    if (!q) this.q.set(vcid, (q = new VcQueue()));
    return q;
  }
  addPacket(vcid: number, packet: Uint8Array): void {
    this.queue(vcid).push(packet);
  }
  pending(vcid: number): number {
    return this.q.get(vcid)?.len ?? 0;
  }

  /** Next frame of `vcid`, topped up with an idle packet when the queue runs short. */
  frame(vcid: number): Uint8Array {
    const cfg = this.cfg, f = new Uint8Array(cfg.frameLen), q = this.queue(vcid);
    const Z = this.zoneLen;
    if (q.len < Z) q.push(idlePacket(Math.max(7, Z - q.len)));
    const vcCount = this.vc.get(vcid) ?? 0;
    let zoneOff: number;
    if (cfg.frameType === "tm") {
      const w0 = (this.scid << 4) | ((vcid & 7) << 1) | (this.opts.tmOcf ? 1 : 0);
      f[0] = w0 >>> 8; f[1] = w0 & 255; f[2] = this.mc & 255; f[3] = vcCount & 255;
      zoneOff = 6;
      const fhp = q.take(Z, f, zoneOff);
      const w2 = (3 << 11) | fhp;
      f[4] = w2 >>> 8; f[5] = w2 & 255;
      this.vc.set(vcid, (vcCount + 1) & 255);
      this.mc = (this.mc + 1) & 255;
    } else {
      const w0 = (1 << 14) | (this.scid << 6) | (vcid & 63);
      f[0] = w0 >>> 8; f[1] = w0 & 255; f[2] = (vcCount >>> 16) & 255; f[3] = (vcCount >>> 8) & 255; f[4] = vcCount & 255; f[5] = 0;
      zoneOff = 6 + (cfg.aosFhec ? 2 : 0) + (cfg.aosInsertZoneLen ?? 0);
      const fhp = q.take(Z, f, zoneOff + 2);
      f[zoneOff] = fhp >>> 8; f[zoneOff + 1] = fhp & 255;
      this.vc.set(vcid, (vcCount + 1) & 0xffffff);
    }
    this.trailer(f);
    return f;
  }

  /** A TM idle frame (FHP 0x7FE) or an AOS idle frame (VCID 63). */
  idleFrame(vcid = 7): Uint8Array {
    const cfg = this.cfg, f = new Uint8Array(cfg.frameLen).fill(0x55);
    if (cfg.frameType === "tm") {
      const w0 = (this.scid << 4) | ((vcid & 7) << 1) | (this.opts.tmOcf ? 1 : 0);
      const vcCount = this.vc.get(vcid) ?? 0;
      f[0] = w0 >>> 8; f[1] = w0 & 255; f[2] = this.mc & 255; f[3] = vcCount & 255;
      f[4] = (3 << 3) | 0x07; f[5] = 0xfe;
      this.vc.set(vcid, (vcCount + 1) & 255);
      this.mc = (this.mc + 1) & 255;
    } else {
      const w0 = (1 << 14) | (this.scid << 6) | 63;
      f[0] = w0 >>> 8; f[1] = w0 & 255; f[2] = 0; f[3] = 0; f[4] = 0; f[5] = 0;
    }
    this.trailer(f);
    return f;
  }

  private trailer(f: Uint8Array): void {
    const cfg = this.cfg;
    let end = cfg.frameLen - (cfg.fecf ? 2 : 0);
    const hasOcf = cfg.frameType === "tm" ? this.opts.tmOcf : cfg.ocf;
    if (hasOcf) {
      const v = this.opts.ocfValue ?? 0x01020304;
      f[end - 4] = v >>> 24; f[end - 3] = (v >>> 16) & 255; f[end - 2] = (v >>> 8) & 255; f[end - 1] = v & 255;
    }
    if (cfg.fecf) {
      const c = crc16(f, 0, end);
      f[end] = c >>> 8; f[end + 1] = c & 255;
    }
  }

  /** Re-computes the FECF after a test edited the frame. */
  refreshFecf(f: Uint8Array): void {
    if (!this.cfg.fecf) return;
    const end = this.cfg.frameLen - 2, c = crc16(f, 0, end);
    f[end] = c >>> 8; f[end + 1] = c & 255;
  }

  /** ASM + randomized RS codeblock of a frame. */
  cadu(frame: Uint8Array): Uint8Array {
    const cfg = this.cfg, I = cfg.rsDepth, out = new Uint8Array(4 + this.cbLen);
    out.set(ASM_BYTES, 0);
    const cb = out.subarray(4);
    cb.set(frame, 0);
    if (this.rs) {
      const data = new Uint8Array(this.k), par = new Uint8Array(2 * cfg.rsE);
      for (let j = 0; j < I; j++) {
        for (let i = 0; i < this.k; i++) data[i] = frame[i * I + j];
        this.rs.encode(data, par);
        for (let i = 0; i < par.length; i++) cb[(this.k + i) * I + j] = par[i];
      }
    }
    if (cfg.randomizer) for (let i = 0; i < cb.length; i++) cb[i] ^= this.pn[i];
    return out;
  }
}

export function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/** Deterministic PRNG: the project's one mulberry32 (host/sensor/prng.ts). */
export { mulberry32 as rng } from "../../../host/sensor/prng.ts";

/** Shifts a byte stream by `bits` (insert `bits` zero bits at bit position `atBit`), or deletes bits when negative. */
export function slipBits(s: Uint8Array, atBit: number, bits: number): Uint8Array {
  const total = s.length * 8;
  const get = (i: number) => (s[i >>> 3] >>> (7 - (i & 7))) & 1;
  const outBits = total + bits;
  const out = new Uint8Array(Math.ceil(outBits / 8));
  let o = 0;
  const put = (b: number) => { if (b) out[o >>> 3] |= 0x80 >>> (o & 7); o++; };
  for (let i = 0; i < atBit; i++) put(get(i));
  if (bits > 0) for (let i = 0; i < bits; i++) put(0);
  for (let i = atBit + Math.max(0, -bits); i < total; i++) put(get(i));
  return out;
}
