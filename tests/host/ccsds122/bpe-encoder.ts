// Test-only CCSDS 122.0-B-2 encoder, written from the text of the standard in the literal
// form of 4.5.3.1 (types t_b(x), tmax over lists, tword[...]), so that it does not mirror the
// ground decoder's state-flag formulation. It lets the host tests exercise the decoder's AC
// bit-plane path (stages 1-4, all code options, truncation inside planes) without the
// external encoders. Not flight code and not a reference: the interop tests are the reference.
// Code options: optimum selection (4.3.2.11 / 4.5.3.3.4), ties to uncoded, then to the smallest.
import { forwardDwt } from "../../../host/ground/ccsds122/dwt.ts";

class Out {
  bytes: number[] = [];
  n = 0;
  put(v: number, len: number): void {
    for (let i = len - 1; i >= 0; i--) {
      if ((this.n & 7) === 0) this.bytes.push(0);
      if (Math.floor(v / 2 ** i) & 1) this.bytes[this.bytes.length - 1] |= 0x80 >> (this.n & 7);
      this.n++;
    }
  }
  str(code: string): void { for (const ch of code) this.put(ch === "1" ? 1 : 0, 1); }
  align(): void { while (this.n & 7) this.put(0, 1); }
}

// tables 4-12 to 4-14 (word -> symbol) and 4-15 to 4-17 (symbol -> codeword), typed from the standard
const MAP2 = [0, 2, 1, 3];
const MAP3 = [1, 4, 0, 5, 2, 6, 3, 7];
const MAP3D = [-1, 3, 0, 4, 1, 5, 2, 6];
const MAP4C = [10, 1, 3, 6, 2, 5, 9, 12, 0, 8, 7, 13, 4, 14, 11, 15];
const MAP4H = [-1, 1, 3, 6, 2, 5, 9, 11, 0, 8, 7, 12, 4, 13, 10, 14];
const CODES: Record<number, string[][]> = {
  2: [["1", "01", "001", "000"]],
  3: [
    ["1", "01", "001", "00000", "00001", "00010", "000110", "000111"],
    ["10", "11", "010", "011", "0010", "0011", "0000", "0001"],
  ],
  4: [
    ["1", "01", "001", "0001", "0000000", "0000001", "0000010", "0000011", "00001000", "00001001", "00001010", "00001011", "00001100", "00001101", "00001110", "00001111"],
    ["10", "11", "010", "011", "0010", "0011", "000000", "000001", "000010", "000011", "000100", "000101", "0001100", "0001101", "0001110", "0001111"],
    ["100", "101", "110", "111", "0100", "0101", "0110", "0111", "00100", "00101", "00110", "00111", "00000", "00001", "00010", "00011"],
  ],
};
type Kind = "P" | "C" | "H" | "tranD" | "tranG" | "tranH";

interface Word { stage: 1 | 2 | 3; len: number; val: number; kind: Kind; signLen: number; signs: number }

function symbolOf(w: Word): number {
  if (w.len === 2) return MAP2[w.val];
  if (w.len === 3) return w.kind === "tranD" ? MAP3D[w.val] : MAP3[w.val];
  return w.kind === "C" ? MAP4C[w.val] : w.kind === "H" || w.kind === "tranH" ? MAP4H[w.val] : MAP4C[w.val];
}

export interface EncodeOptions {
  width: number; height: number; bits: number; signed: boolean;
  dwt: "integer" | "float"; S: number;
  segByteLimit?: number; bitPlaneStop?: number; stageStop?: number; dcStop?: boolean;
}

const PAR = (i: number): number => 1 + i;
const CHI = (i: number, j: number): number => 4 + 4 * i + j;
const GCH = (i: number, j: number, k: number): number => 16 + 16 * i + 4 * j + k;
const SHIFTS = [3, 3, 3, 2, 2, 2, 1, 1, 1, 0]; // LL3 HL3 LH3 HH3 HL2 LH2 HH2 HL1 LH1 HH1 (3.9)
function shiftOf(c: number, integer: boolean): number {
  if (!integer) return 0;
  if (c === 0) return SHIFTS[0];
  if (c < 4) return SHIFTS[c];
  if (c < 16) return SHIFTS[4 + ((c - 4) >> 2)];
  return SHIFTS[7 + ((c - 16) >> 4)];
}

function bitsTwos(v: number): number { let n = 1; while (v < -(2 ** (n - 1)) || v > 2 ** (n - 1) - 1) n++; return n; }
function bitsMag(v: number): number { let n = 0; while (2 ** n <= v) n++; return n; }

/** DPCM + code options for DC values (signed) or AC depths (unsigned), 4.3.2 / 4.4. */
function dpcm(out: Out, vals: number[], N: number, signed: boolean): void {
  const xmin = signed ? -(2 ** (N - 1)) : 0, xmax = signed ? 2 ** (N - 1) - 1 : 2 ** N - 1;
  const idLen = N === 2 ? 1 : N <= 4 ? 2 : N <= 8 ? 3 : 4;
  const maxK = N === 2 ? 0 : N <= 4 ? 2 : N <= 8 ? 6 : 8;
  const mapped = vals.map((v, m) => {
    if (m === 0) return v;
    const prev = vals[m - 1], d = v - prev, th = Math.min(prev - xmin, xmax - prev);
    return d >= 0 && d <= th ? 2 * d : d < 0 && d >= -th ? 2 * -d - 1 : th + Math.abs(d);
  });
  for (let g = 0; g < vals.length; g += 16) {
    const idx = [...Array(Math.min(16, vals.length - g)).keys()].map((t) => g + t);
    const coded = idx.filter((m) => m !== 0);
    let best = -1, bestLen = N * coded.length;
    for (let k = 0; k <= maxK; k++) {
      const len = coded.reduce((s, m) => s + (mapped[m] >> k) + 1 + k, 0);
      if (len < bestLen) { bestLen = len; best = k; }
    }
    const uncoded = best < 0;
    out.put(uncoded ? 2 ** idLen - 1 : best, idLen);
    for (const m of idx) {
      if (m === 0 || uncoded) out.put(m === 0 && signed && mapped[m] < 0 ? mapped[m] + 2 ** N : mapped[m], N);
      else { out.put(0, mapped[m] >> best); out.put(1, 1); }
    }
    if (!uncoded) for (const m of coded) out.put(mapped[m] & (2 ** best - 1), best);
  }
}

export function encodeCcsds122(img: Int32Array, o: EncodeOptions): Uint8Array {
  const integer = o.dwt === "integer";
  const wP = Math.ceil(o.width / 8) * 8, hP = Math.ceil(o.height / 8) * 8;
  const a = new Float64Array(wP * hP);
  for (let r = 0; r < hP; r++) for (let c = 0; c < wP; c++) a[r * wP + c] = img[Math.min(r, o.height - 1) * o.width + Math.min(c, o.width - 1)];
  forwardDwt(a, wP, hP, o.dwt);
  const w8 = wP / 8, h8 = hP / 8, nb = w8 * h8;
  const blocks: number[][] = [];
  for (let br = 0; br < h8; br++) for (let bc = 0; bc < w8; bc++) {
    const v = new Array(64).fill(0);
    const get = (r: number, c: number): number => Math.round(a[r * wP + c]);
    v[0] = get(br, bc);
    for (let i = 0; i < 3; i++) {
      const rh = i === 0 ? 0 : 1, ch = i === 1 ? 0 : 1;
      v[PAR(i)] = get(rh * h8 + br, ch * w8 + bc);
      for (let j = 0; j < 4; j++) {
        const cr = 2 * br + (j >> 1), cc = 2 * bc + (j & 1);
        v[CHI(i, j)] = get(2 * rh * h8 + cr, 2 * ch * w8 + cc);
        for (let k = 0; k < 4; k++) v[GCH(i, j, k)] = get(4 * rh * h8 + 2 * cr + (k >> 1), 4 * ch * w8 + 2 * cc + (k & 1));
      }
    }
    for (let c = 0; c < 64; c++) v[c] *= 2 ** shiftOf(c, integer);
    blocks.push(v);
  }
  const out = new Out();
  const nseg = Math.ceil(nb / o.S);
  for (let sg = 0; sg < nseg; sg++) {
    const B = blocks.slice(sg * o.S, (sg + 1) * o.S), S = B.length;
    const last = sg === nseg - 1, first = sg === 0;
    const segStart = out.bytes.length;
    const bdDC = Math.max(...B.map((v) => bitsTwos(v[0])));
    const bdBlk = B.map((v) => Math.max(...v.slice(1).map((x) => bitsMag(Math.abs(x)))));
    const bdAC = Math.max(...bdBlk);
    // header
    out.put(first ? 1 : 0, 1); out.put(last ? 1 : 0, 1); out.put(sg & 255, 8); out.put(bdDC, 5); out.put(bdAC, 5);
    out.put(0, 1); out.put(first ? 1 : 0, 1); out.put(first || last ? 1 : 0, 1); out.put(first ? 1 : 0, 1);
    if (last) { out.put(hP - o.height, 3); out.put(0, 5); }
    if (first) {
      out.put(o.segByteLimit ?? 0, 27); out.put(o.dcStop ? 1 : 0, 1); out.put(o.bitPlaneStop ?? 0, 5);
      out.put(o.stageStop ?? 3, 2); out.put(0, 1); out.put(0, 4);
    }
    if (first || last) { out.put(S, 20); out.put(1, 1); out.put(1, 1); out.put(0, 2); }
    if (first) {
      out.put(integer ? 1 : 0, 1); out.put(0, 1); out.put(o.bits > 16 ? 1 : 0, 1); out.put(o.signed ? 1 : 0, 1);
      out.put(o.bits % 16, 4); out.put(o.width, 20); out.put(0, 1); out.put(0, 3); out.put(0, 1); out.put(0, 20); out.put(0, 11);
    }
    // 4.3 DC
    const sLL = integer ? 3 : 0;
    const r = bdDC - (1 + (bdAC >> 1));
    const qp = bdDC <= 3 ? 0 : r <= 1 ? bdDC - 3 : r > 10 ? bdDC - 10 : 1 + (bdAC >> 1);
    const q = Math.max(qp, sLL);
    const N = Math.max(bdDC - q, 1);
    const cq = B.map((v) => Math.floor(v[0] / 2 ** q));
    if (N === 1) for (const c of cq) out.put(c & 1, 1);
    else dpcm(out, cq, N, true);
    for (let b = q - 1; b >= Math.max(bdAC, sLL); b--) for (const v of B) out.put(Math.floor(v[0] / 2 ** b) & 1, 1);
    const stopPlane = o.bitPlaneStop ?? 0;
    if (!o.dcStop && bdAC > 0 && stopPlane <= bdAC - 1) {
      if (bdAC === 1) for (const d of bdBlk) out.put(d, 1);
      else dpcm(out, bdBlk, bitsMag(bdAC), false);
      const st = B.map(() => ({ B: false, D: [false, false, false], G: [false, false, false], H: [...Array(12)].map(() => false) }));
      for (let b = bdAC - 1; b >= stopPlane; b--) {
        const lastStage = b === stopPlane ? (o.stageStop ?? 3) : 3;
        if (b < q && b >= sLL) for (const v of B) out.put(Math.floor(v[0] / 2 ** b) & 1, 1);
        const t = (v: number[], c: number): number => {
          if (b < shiftOf(c, integer)) return -1;
          const m = Math.abs(v[c]);
          return m >= 2 ** (b + 1) ? 2 : m >= 2 ** b ? 1 : 0;
        };
        const tmax = (v: number[], cs: number[]): number => Math.max(...cs.map((c) => t(v, c)));
        const Ci = (i: number): number[] => [0, 1, 2, 3].map((j) => CHI(i, j));
        const Hij = (i: number, j: number): number[] => [0, 1, 2, 3].map((k) => GCH(i, j, k));
        const Gi = (i: number): number[] => [0, 1, 2, 3].flatMap((j) => Hij(i, j));
        const Di = (i: number): number[] => [...Ci(i), ...Gi(i)];
        const Ball = [0, 1, 2].flatMap(Di);
        const words: Word[][] = B.map(() => []);
        const types = (v: number[], cs: number[], stage: 1 | 2 | 3, kind: Kind): Word => {
          let len = 0, val = 0, signLen = 0, signs = 0;
          for (const c of cs) {
            const tt = t(v, c);
            if (tt === 0 || tt === 1) { len++; val = val * 2 + tt; }
            if (tt === 1) { signLen++; signs = signs * 2 + (v[c] < 0 ? 1 : 0); }
          }
          return { stage, len, val, kind, signLen, signs };
        };
        const tword = (vals: number[], stage: 1 | 2 | 3, kind: Kind): Word => {
          let len = 0, val = 0;
          for (const x of vals) if (x === 0 || x === 1) { len++; val = val * 2 + x; }
          return { stage, len, val, kind, signLen: 0, signs: 0 };
        };
        B.forEach((v, m) => {
          if (bdBlk[m] <= b) return;
          const s = st[m], W = words[m];
          W.push(types(v, [1, 2, 3], 1, "P"));
          // stage 2
          let tranB = -2; // -2: null
          const tB = tmax(v, Ball);
          if (!s.B) {
            const tw = tword([tB], 2, "P");
            if (tw.len) { W.push({ ...tw, kind: "P" }); tranB = tw.val; if (tw.val === 1) s.B = true; }
          }
          if (tranB !== 0 && tB !== -1) {
            const sel = [0, 1, 2].filter((i) => !s.D[i]);
            const tw = tword(sel.map((i) => tmax(v, Di(i))), 2, "tranD");
            W.push(tw);
            for (const i of sel) if (tmax(v, Di(i)) === 1) s.D[i] = true;
          }
          for (let i = 0; i < 3; i++) if (s.D[i]) W.push(types(v, Ci(i), 2, "C"));
          if (tranB === 0 || tB === -1) return;
          // stage 3
          const gsel = [0, 1, 2].filter((i) => s.D[i] && !s.G[i]);
          W.push(tword(gsel.map((i) => tmax(v, Gi(i))), 3, "tranG"));
          for (const i of gsel) if (tmax(v, Gi(i)) === 1) s.G[i] = true;
          const gOk = [0, 1, 2].filter((i) => { const x = tmax(v, Gi(i)); return x !== 0 && x !== -1; });
          for (const i of gOk) {
            const hsel = [0, 1, 2, 3].filter((j) => !s.H[i * 4 + j]);
            W.push(tword(hsel.map((j) => tmax(v, Hij(i, j))), 3, "tranH"));
            for (const j of hsel) if (tmax(v, Hij(i, j)) === 1) s.H[i * 4 + j] = true;
          }
          for (const i of gOk) for (let j = 0; j < 4; j++) {
            const x = tmax(v, Hij(i, j));
            if (x !== 0 && x !== -1) W.push(types(v, Hij(i, j), 3, "H"));
          }
        });
        // code options per gaggle (over all words of stages 1-3) and emission stage by stage
        const nG = Math.ceil(S / 16);
        const opt: number[][] = [];
        for (let g = 0; g < nG; g++) {
          const ws = words.slice(g * 16, g * 16 + 16).flat();
          opt.push([2, 3, 4].map((len) => {
            const these = ws.filter((w) => w.len === len);
            let best = 3, bestLen = these.length * len; // uncoded wins ties
            CODES[len].forEach((tab, k) => {
              const l = these.reduce((s, w) => s + tab[symbolOf(w)].length, 0);
              if (l < bestLen) { bestLen = l; best = k; }
            });
            return best;
          }));
        }
        for (const stage of [1, 2, 3] as const) {
          if (stage - 1 > lastStage) break;
          for (let g = 0; g < nG; g++) {
            const idDone = [false, false, false];
            if (stage > 1) for (const w of words.slice(g * 16, g * 16 + 16).flat()) if (w.stage < stage && w.len >= 2) idDone[w.len - 2] = true;
            for (let m = g * 16; m < Math.min(S, g * 16 + 16); m++) {
              for (const w of words[m]) {
                if (w.stage !== stage || w.len === 0) continue;
                if (w.len === 1) out.put(w.val, 1);
                else {
                  const k = opt[g][w.len - 2];
                  if (!idDone[w.len - 2]) { idDone[w.len - 2] = true; out.put(w.len === 2 ? (k === 3 ? 1 : 0) : k, w.len === 2 ? 1 : 2); }
                  if (k === 3) out.put(symbolOf(w), w.len); else out.str(CODES[w.len][k][symbolOf(w)]);
                }
                out.put(w.signs, w.signLen);
              }
            }
          }
        }
        if (lastStage < 3) break;
        // stage 4
        for (const v of B) {
          const order = [1, 2, 3, ...[0, 1, 2].flatMap(Ci), ...[0, 1, 2].flatMap(Gi)];
          for (const c of order) if (t(v, c) === 2) out.put(Math.floor(Math.abs(v[c]) / 2 ** b) & 1, 1);
        }
      }
    }
    out.align();
    if (o.segByteLimit && out.bytes.length - segStart > o.segByteLimit) { out.bytes.length = segStart + o.segByteLimit; out.n = out.bytes.length * 8; }
  }
  return new Uint8Array(out.bytes);
}
