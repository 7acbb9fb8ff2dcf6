// `npm run eval:cloud [-- --data DIR ...] [--json] [--no-loo]`: runs the flight cloud screener
// (build/lib.wasm, the real WASM code) over labelled tiles in the layout of ../shared/data/cloud
// (by default every labelled set: cloud/ and cloud-biome/) and prints, per tile, per set, per
// class of land cover and pooled, accuracy, precision, recall, F1, IoU, commission and omission,
// the 64 × 64 block decisions (and the clear snow/ice blocks dropped), the bright-not-cloud share,
// and a leave-one-out result over all tiles (thresholds tuned on the other tiles, by a stated rule).
//
// Each tile is fed as DN = stored value with a calibration that maps it back to reflectance
// through the flight radiometry: gain = scale, offset = offset, ESUN = π, d = 1 AU and the
// tile's sun elevation (90° for surface-reflectance chips), so ρ = (gain·DN + offset)/sin(el).
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join, resolve, basename } from "node:path";
import { fileURLToPath } from "node:url";
import { loadFlightLib, type FlightLib } from "../obc/lib.ts";
import { screenRadiiPx, SCREENER_WORDS, DEFAULT_THRESHOLDS as FLIGHT_DEFAULTS } from "../obc/config-table.ts";
import { WORD } from "../contract/contract.gen.ts";

export class EvalCloudError extends Error {
  constructor(readonly kind: "no-data" | "bad-tile" | "flight-status" | "usage", readonly detail: string, readonly status?: number) {
    super(`${kind}: ${detail}${status !== undefined ? ` (status ${status})` : ""}`);
  }
}

// Parameter block word indices of the screener (P_* of the contract, without the prefix), and their count.
type PName<K> = K extends `P_${infer N}` ? N : never;
export const P = {
  ...Object.fromEntries(Object.entries(WORD).filter(([k]) => k.startsWith("P_")).map(([k, v]) => [k.slice(2), v])),
  COUNT: SCREENER_WORDS.length,
} as { readonly [K in PName<keyof typeof WORD>]: number } & { readonly COUNT: number };
export const CLASS = { CLEAR: 0, CLOUD: 1, UNCERTAIN: 2, SATURATED: 3, MISSING: 4, UNJUDGED: 5, BRIGHT: 6 } as const;
export const DECISION = { KEEP: 0, DEGRADE: 1, DROP: 2 } as const;
/** Words of a flight tile record (clear, cloud, uncertain, saturated, missing, unjudged, decision, reason, bright-not-cloud). */
export const TILE_WORDS = 9;
export const T_BRIGHT = 8;

/** Screening thresholds in physical units (converted to the flight parameter block). */
export interface ScreenThresholds {
  coreBlue: number; coreHot: number; coreNdviMax: number;
  /** Haze test: HOT above the scene's background HOT by more than this. */
  hazeHot: number;
  bright: number;
  /** Radii in metres (pixels as the flight configuration has them: screenRadiiPx): every pixel within dilateMetres of a core, hazy ones within growMetres. */
  dilateMetres: number; growMetres: number;
  degradeFrac: number; dropFrac: number;
  /** Core HOT above the clear background (capped at hotBgCap) by this. */
  coreHotRel: number; hotBgCap: number;
  /** Bright, not cloud: ice ρ_nir < iceNirRed·ρ_red; snow ρ_blue > snowBlue and ρ_green < snowGreenBlue·ρ_blue (0: off). */
  iceNirRed: number; snowBlue: number; snowGreenBlue: number;
}
/** The flight defaults (host/contract/contract.json), in this evaluation's names. */
export const DEFAULT_THRESHOLDS: ScreenThresholds = {
  coreBlue: FLIGHT_DEFAULTS.coreBlue, coreHot: FLIGHT_DEFAULTS.coreHot, coreNdviMax: FLIGHT_DEFAULTS.coreNdviMax, hazeHot: FLIGHT_DEFAULTS.hazeHot,
  bright: FLIGHT_DEFAULTS.bright, dilateMetres: FLIGHT_DEFAULTS.coreDilateM, growMetres: FLIGHT_DEFAULTS.hazeGrowM,
  degradeFrac: FLIGHT_DEFAULTS.degradeFraction, dropFrac: FLIGHT_DEFAULTS.dropFraction,
  coreHotRel: FLIGHT_DEFAULTS.coreHotAboveBackground, hotBgCap: FLIGHT_DEFAULTS.hotBackgroundCap,
  iceNirRed: FLIGHT_DEFAULTS.iceNirRedMax, snowBlue: FLIGHT_DEFAULTS.snowBlue, snowGreenBlue: FLIGHT_DEFAULTS.snowGreenBlueMax,
};

export interface CloudTile {
  id: string; width: number; height: number; gsdM: number;
  /** Land-cover class (the L8 Biome class; the older sets' tiles are "mixed"), and the set's folder name. */
  landCover?: string; set?: string;
  scale: number; offset: number; sunElevationDeg: number;
  /** BSQ u16 (blue, green, red, NIR). */
  bsq: Uint16Array;
  /** 0 clear, 1 cloud, 255 no data. */
  mask: Uint8Array;
}

export function sharedDataDir(set = "cloud"): string {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  return resolve(process.env.TENGRI_SHARED ?? join(root, "..", "shared"), "data", set);
}
/** The labelled sets eval:cloud reads by default. */
export const DEFAULT_SETS = ["cloud", "cloud-biome"] as const;

const LAND_COVER: Record<string, string> = {
  barren: "barren", forest: "forest", grasscrops: "grass/crops", shrubland: "shrubland", snowice: "snow/ice", urban: "urban", water: "water", wetlands: "wetlands",
};
/** Land-cover class of a tile from its metadata (L8 Biome "biome" field), else "mixed". */
export function landCoverOf(meta: { biome?: unknown }): string {
  const m = typeof meta.biome === "string" ? /class '([A-Za-z]+)'/.exec(meta.biome) : null;
  return m ? (LAND_COVER[m[1].toLowerCase()] ?? m[1].toLowerCase()) : "mixed";
}

export function loadCloudTiles(dir: string): CloudTile[] {
  if (!existsSync(dir)) throw new EvalCloudError("no-data", `no folder ${dir}`);
  const ids = readdirSync(dir).filter((f) => f.endsWith(".json") && f !== "index.json").map((f) => f.slice(0, -5)).sort();
  const tiles: CloudTile[] = [];
  for (const id of ids) {
    if (!existsSync(join(dir, `${id}.u16`)) || !existsSync(join(dir, `${id}.mask.u8`))) continue;
    const meta = JSON.parse(readFileSync(join(dir, `${id}.json`), "utf8"));
    const width = meta.width, height = meta.height;
    if (!Number.isInteger(width) || !Number.isInteger(height) || meta.nbands !== 4) throw new EvalCloudError("bad-tile", `${id}: width/height/nbands`);
    const raw = readFileSync(join(dir, `${id}.u16`));
    if (raw.length !== 4 * width * height * 2) throw new EvalCloudError("bad-tile", `${id}: ${raw.length} bytes of samples`);
    const bsq = new Uint16Array(4 * width * height);
    for (let i = 0; i < bsq.length; i++) bsq[i] = raw[2 * i] | (raw[2 * i + 1] << 8);
    const mask = new Uint8Array(readFileSync(join(dir, `${id}.mask.u8`)));
    if (mask.length !== width * height) throw new EvalCloudError("bad-tile", `${id}: mask size`);
    tiles.push({
      id, width, height, gsdM: meta.gsd_m ?? 10, scale: meta.scale ?? 1e-4, offset: meta.offset ?? 0,
      sunElevationDeg: meta.sun_elevation_deg ?? 90, bsq, mask, landCover: landCoverOf(meta), set: basename(dir),
    });
  }
  if (!tiles.length) throw new EvalCloudError("no-data", `no tiles in ${dir}`);
  return tiles;
}

export interface ScreenRun {
  /** One class byte per pixel (CLASS.*). */
  classes: Uint8Array;
  /** Per tile (row-major over the tile grid): the 8 words of the flight tile record. */
  tiles: Int32Array; tileCols: number; tileRows: number;
  sunStatus: number;
}

/** Carves the buffers once per library instance and size; reused across runs (stub runtime never frees). */
class Screener {
  private paramPtr: number; private wsPtr = 0; private wsLen = 0;
  private linesPtr = 0; private linesLen = 0; private classPtr = 0; private classLen = 0;
  constructor(readonly lib: FlightLib) { this.paramPtr = lib.alloc(64 * 4); }
  private i32(): Int32Array { return new Int32Array(this.lib.memory.buffer); }

  run(tile: CloudTile, th: ScreenThresholds, tileSize = 64): ScreenRun {
    const e = this.lib.exports;
    const { width: w, height: h } = tile;
    e.screenDefaults(this.paramPtr, w, 4);
    const q12 = (v: number) => Math.round(v * 4096), q16 = (v: number) => Math.round(v * 65536);
    const set = (i: number, v: number) => { this.i32()[(this.paramPtr >>> 2) + i] = v; };
    set(P.CORE_BLUE, q12(th.coreBlue)); set(P.CORE_HOT, q12(th.coreHot)); set(P.CORE_NDVI_MAX, q12(th.coreNdviMax));
    set(P.HAZE_HOT, q12(th.hazeHot)); set(P.BRIGHT, q12(th.bright));
    const r = screenRadiiPx({ coreDilateM: th.dilateMetres, hazeGrowM: th.growMetres }, tile.gsdM);   // as the flight configuration has them
    set(P.DILATE_PX, r.dilate); set(P.GROW_PX, r.grow);
    set(P.TILE_SIZE, tileSize);
    set(P.DEGRADE_FRAC, q16(th.degradeFrac)); set(P.DROP_FRAC, q16(th.dropFrac));
    set(P.BAND_GREEN, 1); set(P.CORE_HOT_REL, q12(th.coreHotRel)); set(P.HOT_BG_CAP, q12(th.hotBgCap));
    set(P.ICE_NIR_RED, q12(th.iceNirRed)); set(P.SNOW_BLUE, q12(th.snowBlue)); set(P.SNOW_GREEN_BLUE, q12(th.snowGreenBlue));
    const need = e.screenWorkspaceLen(this.paramPtr);
    if (need < 0) throw new EvalCloudError("flight-status", "screenWorkspaceLen", need);
    if (need > this.wsLen) { this.wsPtr = this.lib.alloc(need); this.wsLen = need; }
    let st = e.screenInit(this.paramPtr, this.wsPtr, this.wsLen);
    if (st < 0) throw new EvalCloudError("flight-status", "screenInit", st);
    for (let b = 0; b < 4; b++) {
      st = e.screenSetCalibration(b, tile.scale, tile.offset, Math.PI);
      if (st < 0) throw new EvalCloudError("flight-status", "screenSetCalibration", st);
    }
    const sunStatus = e.screenSetSun(tile.sunElevationDeg, 1.0);
    // Band-interleaved-by-line copy of the BSQ tile.
    const lineLen = 4 * w * 2;
    if (h * lineLen > this.linesLen) { this.linesPtr = this.lib.alloc(h * lineLen); this.linesLen = h * lineLen; }
    if (w * h > this.classLen) { this.classPtr = this.lib.alloc(w * h); this.classLen = w * h; }
    const u16 = new Uint16Array(this.lib.memory.buffer, this.linesPtr, h * 4 * w);
    for (let y = 0; y < h; y++) for (let b = 0; b < 4; b++) u16.set(tile.bsq.subarray((b * h + y) * w, (b * h + y + 1) * w), (y * 4 + b) * w);
    // Line by line so that every finished tile row's records can be read.
    const tileCols = e.screenTileCols(), tileRows = Math.ceil(h / tileSize);
    const tiles = new Int32Array(tileCols * tileRows * TILE_WORDS);
    const grab = () => {
      const tr = e.screenTileRowDone();
      if (tr < 0) return;
      const base = e.screenTilePtr() >>> 2;
      tiles.set(this.i32().subarray(base, base + tileCols * TILE_WORDS), tr * tileCols * TILE_WORDS);
    };
    for (let y = 0; y < h; y++) {
      const out = e.screenLinesOut();
      st = e.screenPushLine(this.linesPtr + y * lineLen, lineLen, this.classPtr + out * w);
      if (st >= 0) grab(); else if (st !== -4) throw new EvalCloudError("flight-status", "screenPushLine", st);
    }
    for (;;) {
      const out = e.screenLinesOut();
      st = e.screenFlush(this.classPtr + out * w);
      if (st === -4) break;
      if (st < 0) throw new EvalCloudError("flight-status", "screenFlush", st);
      grab();
    }
    const classes = this.lib.u8().slice(this.classPtr, this.classPtr + w * h);
    return { classes, tiles, tileCols, tileRows, sunStatus };
  }
}

const screeners = new WeakMap<FlightLib, Screener>();
/** Runs the flight screener over one labelled tile. */
export function screenTile(lib: FlightLib, tile: CloudTile, th: ScreenThresholds = DEFAULT_THRESHOLDS, tileSize = 64): ScreenRun {
  let s = screeners.get(lib);
  if (!s) { s = new Screener(lib); screeners.set(lib, s); }
  return s.run(tile, th, tileSize);
}

export interface Confusion { tp: number; fp: number; fn: number; tn: number }
export interface Scores {
  accuracy: number; precision: number; recall: number; f1: number; iou: number; commission: number; omission: number;
}
export function confusion(classes: Uint8Array, mask: Uint8Array): Confusion {
  const c = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (let i = 0; i < mask.length; i++) {
    const t = mask[i];
    if (t === 255) continue;
    const p = classes[i] === CLASS.CLOUD;
    if (t === 1) { if (p) c.tp++; else c.fn++; } else if (p) c.fp++; else c.tn++;
  }
  return c;
}
const div = (a: number, b: number) => (b > 0 ? a / b : 0);
export function scores(c: Confusion): Scores {
  return {
    accuracy: div(c.tp + c.tn, c.tp + c.fp + c.fn + c.tn), precision: div(c.tp, c.tp + c.fp), recall: div(c.tp, c.tp + c.fn),
    f1: div(2 * c.tp, 2 * c.tp + c.fp + c.fn), iou: div(c.tp, c.tp + c.fp + c.fn),
    commission: div(c.fp, c.fp + c.tn), omission: div(c.fn, c.tp + c.fn),
  };
}
export function addConfusion(a: Confusion, b: Confusion): Confusion {
  return { tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn, tn: a.tn + b.tn };
}

/** Decision the labels call for, with the same thresholds (uncertain never drops: labels have none). */
export function truthDecision(cloud: number, valid: number, th: ScreenThresholds): number {
  if (valid === 0) return DECISION.KEEP;
  const f = cloud / valid;
  return f >= th.dropFrac ? DECISION.DROP : f >= th.degradeFrac ? DECISION.DEGRADE : DECISION.KEEP;
}

export interface BlockScore {
  blocks: number; decisionAccuracy: number; dropAccuracy: number;
  /** Wrong decisions that send less than the labels call for (dropped or degraded too much) ... */
  harsher: number;
  /** ... and those that send more (kept or degraded a tile the labels would drop or degrade). */
  gentler: number;
  /** Blocks the labels call wholly clear (no cloud pixel) that the flight dropped. */
  clearDropped: number;
}
/** Flight 64 × 64 tile decisions against the labels' decisions (full blocks and edge blocks alike). */
export function blockScore(run: ScreenRun, tile: CloudTile, th: ScreenThresholds, tileSize = 64): BlockScore {
  let ok = 0, okDrop = 0, n = 0, harsher = 0, gentler = 0, clearDropped = 0;
  for (let tr = 0; tr < run.tileRows; tr++) for (let tc = 0; tc < run.tileCols; tc++) {
    let cloud = 0, valid = 0;
    for (let y = tr * tileSize; y < Math.min(tile.height, (tr + 1) * tileSize); y++)
      for (let x = tc * tileSize; x < Math.min(tile.width, (tc + 1) * tileSize); x++) {
        const t = tile.mask[y * tile.width + x];
        if (t !== 255) { valid++; if (t === 1) cloud++; }
      }
    const want = truthDecision(cloud, valid, th);
    const got = run.tiles[(tr * run.tileCols + tc) * TILE_WORDS + 6];
    n++; if (want === got) ok++; else if (got > want) harsher++; else gentler++;
    if ((want === DECISION.DROP) === (got === DECISION.DROP)) okDrop++;
    if (cloud === 0 && valid > 0 && got === DECISION.DROP) clearDropped++;
  }
  return { blocks: n, decisionAccuracy: div(ok, n), dropAccuracy: div(okDrop, n), harsher, gentler, clearDropped };
}

/**
 * Threshold grid searched by the leave-one-out evaluation: the cloud tests and the grow. The
 * bright-not-cloud constants (ice NIR/red, snow blue and green/blue) stay at the physical defaults
 * (assembly/screen/README.md): with one snow patch among the tiles they cannot be learnt held out.
 */
export function thresholdGrid(): ScreenThresholds[] {
  const g: ScreenThresholds[] = [];
  for (const coreBlue of [0.16, 0.2, 0.24])
    for (const coreHotRel of [0.04, 0.06, 0.08])
      for (const coreNdviMax of [0.5, 1.0])
        for (const hazeHot of [0.015, 0.02, 0.03])
          for (const dilateMetres of [30, 50])
            for (const growMetres of [100, 150, 200])
              g.push({ ...DEFAULT_THRESHOLDS, coreBlue, coreHotRel, coreNdviMax, hazeHot, dilateMetres, growMetres });
  return g;
}

/** How a leave-one-out fold chose its thresholds. */
export type LooRule = "best-f1-within-commission" | "least-worst-commission";
export const LOO_RULES: Record<LooRule, string> = {
  "best-f1-within-commission": "best pooled F1 on the training tiles among the sets with commission ≤ the limit on every training tile",
  "least-worst-commission": "no set meets the commission limit on every training tile: the set with the smallest worst training-tile commission, ties by best pooled F1",
};
export interface LeaveOneOut { heldOut: string; chosen: ScreenThresholds; trainF1: number; trainWorstCommission: number; rule: LooRule; heldOutConfusion: Confusion }
/**
 * For each tile: choose a grid point on the other tiles by LOO_RULES (best pooled F1 among the
 * points keeping commission ≤ maxCommission on each training tile; if there is none, the point
 * with the smallest worst training-tile commission, ties by pooled F1), then score it on the
 * held-out tile. Grid order never decides, except between exact ties of both criteria.
 */
export function leaveOneOut(lib: FlightLib, tiles: CloudTile[], grid = thresholdGrid(), maxCommission = 0.05, table = gridTable(lib, tiles, grid)): LeaveOneOut[] {
  return tiles.map((t, k) => {
    const c = chooseOn(table, tiles.map((_, j) => j).filter((j) => j !== k), maxCommission);
    return { heldOut: t.id, chosen: grid[c.index], trainF1: c.trainF1, trainWorstCommission: c.trainWorstCommission, rule: c.rule, heldOutConfusion: table[c.index][k] };
  });
}

/** Confusion of every grid point on every tile (grid-major). */
export function gridTable(lib: FlightLib, tiles: CloudTile[], grid: ScreenThresholds[]): Confusion[][] {
  return grid.map((th) => tiles.map((t) => confusion(screenTile(lib, t, th).classes, t.mask)));
}

/** The grid point LOO_RULES choose on the training tiles `train` (indices into the table's tiles). */
export function chooseOn(table: Confusion[][], train: number[], maxCommission: number): { index: number; trainF1: number; trainWorstCommission: number; rule: LooRule } {
  let best = -1, bestF1 = -1, bestWorst = Infinity;       // within the limit
  let alt = -1, altWorst = Infinity, altF1 = -1;            // smallest worst commission
  for (let g = 0; g < table.length; g++) {
    let pooled: Confusion = { tp: 0, fp: 0, fn: 0, tn: 0 }, worst = 0;
    for (const j of train) {
      pooled = addConfusion(pooled, table[g][j]);
      worst = Math.max(worst, scores(table[g][j]).commission);
    }
    const f1 = scores(pooled).f1;
    if (worst <= maxCommission && f1 > bestF1) { bestF1 = f1; best = g; bestWorst = worst; }
    if (worst < altWorst || (worst === altWorst && f1 > altF1)) { altWorst = worst; altF1 = f1; alt = g; }
  }
  if (best >= 0) return { index: best, trainF1: bestF1, trainWorstCommission: bestWorst, rule: "best-f1-within-commission" };
  return { index: alt, trainF1: altF1, trainWorstCommission: altWorst, rule: "least-worst-commission" };
}

export interface CrossSet { trainedOn: string; testedOn: string; chosen: ScreenThresholds; rule: LooRule; trainF1: number; scores: Scores; maxCommission: number }
/** Train on every other set, test on this one (same rule), for each set. */
export function crossSet(tiles: CloudTile[], grid: ScreenThresholds[], table: Confusion[][], maxCommission = 0.05): CrossSet[] {
  const sets = [...new Set(tiles.map((t) => t.set ?? ""))];
  if (sets.length < 2) return [];
  return sets.map((s) => {
    const test = tiles.map((_, j) => j).filter((j) => (tiles[j].set ?? "") === s), train = tiles.map((_, j) => j).filter((j) => (tiles[j].set ?? "") !== s);
    const c = chooseOn(table, train, maxCommission);
    const conf = test.reduce((a, j) => addConfusion(a, table[c.index][j]), { tp: 0, fp: 0, fn: 0, tn: 0 } as Confusion);
    return {
      trainedOn: sets.filter((x) => x !== s).join("+"), testedOn: s, chosen: grid[c.index], rule: c.rule, trainF1: c.trainF1,
      scores: scores(conf), maxCommission: Math.max(...test.map((j) => scores(table[c.index][j]).commission)),
    };
  });
}

/**
 * The simple VNIR threshold rule of ../shared/data/README.md (NDVI < 0.8, whiteness < 0.7,
 * HOT = blue − 0.5·red − 0.08 > 0), in float on the host: the floor the flight screener must beat.
 */
export function simpleRuleConfusion(t: CloudTile): Confusion {
  const n = t.width * t.height, s = 1 / Math.sin((t.sunElevationDeg * Math.PI) / 180);
  const cls = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = [0, 1, 2, 3].map((b) => (t.bsq[b * n + i] * t.scale + t.offset) * s);
    const mean = (v[0] + v[1] + v[2]) / 3;
    const white = mean > 0 ? (Math.abs(v[0] - mean) + Math.abs(v[1] - mean) + Math.abs(v[2] - mean)) / mean : 9;
    const ndvi = v[3] + v[2] !== 0 ? (v[3] - v[2]) / (v[3] + v[2]) : 0;
    if (ndvi < 0.8 && white < 0.7 && v[0] - 0.5 * v[2] - 0.08 > 0) cls[i] = CLASS.CLOUD;
  }
  return confusion(cls, t.mask);
}

export interface TileReport {
  id: string; set: string; landCover: string; confusion: Confusion; scores: Scores; blocks: BlockScore;
  uncertainShare: number;
  /** Share of the tile's pixels classed bright, not cloud. */
  brightShare: number;
}
export interface GroupReport { name: string; tiles: number; confusion: Confusion; scores: Scores; maxCommission: number }
export interface EvalReport {
  thresholds: ScreenThresholds; tiles: TileReport[]; pooled: Scores; maxCommission: number;
  /** Pooled per set (folder) and per land-cover class. */
  sets: GroupReport[]; landCovers: GroupReport[];
  leaveOneOut: (LeaveOneOut & { scores: Scores; set: string; landCover: string })[]; leaveOneOutPooled: Scores;
  leaveOneOutSets: GroupReport[]; leaveOneOutLandCovers: GroupReport[];
  /** Thresholds chosen on the other set(s), scored on each set. */
  crossSet: CrossSet[];
  /** The simple threshold rule on the same tiles, pooled. */
  simpleRulePooled: Scores;
  /** Blocks with no cloud in the labels that the flight dropped, over the snow/ice, wetlands and all tiles. */
  clearBlocksDropped: { snowIce: number; all: number };
}

const ZERO: Confusion = { tp: 0, fp: 0, fn: 0, tn: 0 };
function groups<T extends { confusion: Confusion }>(items: T[], key: (x: T) => string): GroupReport[] {
  const m = new Map<string, T[]>();
  for (const x of items) { const k = key(x); if (!m.has(k)) m.set(k, []); m.get(k)!.push(x); }
  return [...m.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, xs]) => ({
    name, tiles: xs.length, confusion: xs.reduce((a, x) => addConfusion(a, x.confusion), ZERO),
    scores: scores(xs.reduce((a, x) => addConfusion(a, x.confusion), ZERO)), maxCommission: Math.max(...xs.map((x) => scores(x.confusion).commission)),
  }));
}

export function evaluate(lib: FlightLib, tiles: CloudTile[], th: ScreenThresholds = DEFAULT_THRESHOLDS, withLoo = true, grid?: ScreenThresholds[]): EvalReport {
  const reps: TileReport[] = [];
  let pooled: Confusion = ZERO;
  for (const t of tiles) {
    const run = screenTile(lib, t, th, 64);
    const c = confusion(run.classes, t.mask);
    let unc = 0, bri = 0;
    for (const v of run.classes) { if (v === CLASS.UNCERTAIN) unc++; else if (v === CLASS.BRIGHT) bri++; }
    reps.push({
      id: t.id, set: t.set ?? "", landCover: t.landCover ?? "mixed", confusion: c, scores: scores(c), blocks: blockScore(run, t, th),
      uncertainShare: unc / run.classes.length, brightShare: bri / run.classes.length,
    });
    pooled = addConfusion(pooled, c);
  }
  const g = grid ?? thresholdGrid();
  const table = withLoo ? gridTable(lib, tiles, g) : [];
  const loo = withLoo ? leaveOneOut(lib, tiles, g, 0.05, table).map((l, k) => ({ ...l, scores: scores(l.heldOutConfusion), set: tiles[k].set ?? "", landCover: tiles[k].landCover ?? "mixed", confusion: l.heldOutConfusion })) : [];
  const looPooled = scores(loo.reduce((a, l) => addConfusion(a, l.heldOutConfusion), ZERO));
  return {
    thresholds: th, tiles: reps, pooled: scores(pooled), maxCommission: Math.max(...reps.map((r) => r.scores.commission)),
    sets: groups(reps, (r) => r.set), landCovers: groups(reps, (r) => r.landCover),
    leaveOneOut: loo, leaveOneOutPooled: looPooled,
    leaveOneOutSets: groups(loo, (l) => l.set), leaveOneOutLandCovers: groups(loo, (l) => l.landCover),
    crossSet: withLoo ? crossSet(tiles, g, table) : [],
    simpleRulePooled: scores(tiles.map(simpleRuleConfusion).reduce(addConfusion)),
    clearBlocksDropped: {
      snowIce: reps.filter((r) => r.landCover === "snow/ice").reduce((a, r) => a + r.blocks.clearDropped, 0),
      all: reps.reduce((a, r) => a + r.blocks.clearDropped, 0),
    },
  };
}

const f3 = (v: number) => v.toFixed(3);
export function describeThresholds(t: ScreenThresholds): string {
  return `core blue > ${t.coreBlue}, HOT > ${t.coreHot} and > min(background, ${t.hotBgCap}) + ${t.coreHotRel}, NDVI < ${t.coreNdviMax}; R1 ${t.dilateMetres} m; haze ΔHOT > ${t.hazeHot} within R2 ${t.growMetres} m`;
}
function describeBright(t: ScreenThresholds): string {
  return `bright, not cloud: NIR < ${t.iceNirRed}·red (ice), or blue > ${t.snowBlue} and green < ${t.snowGreenBlue}·blue (snow)`;
}
function row(name: string, s: Scores, extra = ""): string {
  return `${name.padEnd(34)} ${f3(s.accuracy)}  ${f3(s.precision)}  ${f3(s.recall)}  ${f3(s.f1)}  ${f3(s.iou)}  ${f3(s.commission)}  ${f3(s.omission)}${extra}`;
}
const HEAD = `acc    prec   recall F1     IoU    commis omiss`;

export async function evalCloudCommand(argv: string[]): Promise<number> {
  const dirs: string[] = [];
  let json = false, loo = true;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--data" && i + 1 < argv.length) dirs.push(resolve(argv[++i]));
    else if (argv[i] === "--json") json = true;
    else if (argv[i] === "--no-loo") loo = false;
    else { console.error(`eval:cloud: unknown argument ${argv[i]} (use --data DIR (repeatable), --json, --no-loo)`); return 2; }
  }
  // Default: every labelled set present (at least the first must be).
  if (!dirs.length) for (const s of DEFAULT_SETS) { const d = sharedDataDir(s); if (s === DEFAULT_SETS[0] || existsSync(d)) dirs.push(d); }
  let tiles: CloudTile[] = [];
  try { for (const d of dirs) tiles = tiles.concat(loadCloudTiles(d)); } catch (e) {
    if (e instanceof EvalCloudError) { console.error(`eval:cloud: ${e.message}`); return 2; }
    throw e;
  }
  const lib = loadFlightLib();
  const rep = evaluate(lib, tiles, DEFAULT_THRESHOLDS, loo);
  if (json) { console.log(JSON.stringify(rep, null, 1)); return 0; }
  const th = rep.thresholds;
  console.log(`Flight cloud screener (build/lib.wasm) on ${tiles.length} tiles in ${dirs.join(", ")}`);
  console.log(`thresholds: ${describeThresholds(th)}, bright > ${th.bright}; ${describeBright(th)}; tile decisions degrade ≥ ${th.degradeFrac}, drop ≥ ${th.dropFrac} of valid pixels`);
  console.log(`${"tile".padEnd(34)} ${HEAD}  | 64×64 blocks: keep/degrade/drop right, drop-or-not right, wrong harsher/gentler, clear dropped | uncertain, bright-not-cloud share`);
  for (const r of rep.tiles)
    console.log(row(r.id, r.scores, `  | ${r.blocks.blocks} blocks ${f3(r.blocks.decisionAccuracy)}  ${f3(r.blocks.dropAccuracy)}  ${r.blocks.harsher}/${r.blocks.gentler}  ${r.blocks.clearDropped} | ${f3(r.uncertainShare)}  ${f3(r.brightShare)}`));
  for (const g of rep.sets) console.log(row(`POOLED set ${g.name}`, g.scores, `  | ${g.tiles} tiles, max commission ${f3(g.maxCommission)}`));
  console.log(row("POOLED all", rep.pooled, `  | max commission ${f3(rep.maxCommission)}`));
  console.log(row("simple rule (README floor), pooled", rep.simpleRulePooled));
  console.log(`\nper land-cover class (pooled over its tiles):`);
  for (const g of rep.landCovers) console.log(row(`  ${g.name}`, g.scores, `  | ${g.tiles} tiles, max commission ${f3(g.maxCommission)}`));
  console.log(`clear blocks dropped: ${rep.clearBlocksDropped.snowIce} on snow/ice tiles, ${rep.clearBlocksDropped.all} in all`);
  if (loo) {
    console.log(`\nleave-one-out over all ${tiles.length} tiles (grid of ${thresholdGrid().length} threshold sets; commission limit 0.05 per training tile). Rule:`);
    console.log(`  1. ${LOO_RULES["best-f1-within-commission"]};`);
    console.log(`  2. ${LOO_RULES["least-worst-commission"]}.`);
    console.log(`  The bright-not-cloud constants are not tuned (physical defaults; one snow patch cannot be learnt held out).`);
    console.log(`${"held-out tile".padEnd(34)} ${HEAD}  | rule, chosen thresholds (training pooled F1, worst training commission)`);
    for (const l of rep.leaveOneOut)
      console.log(row(l.heldOut, l.scores, `  | ${l.rule === "best-f1-within-commission" ? "1" : "2"}: ${describeThresholds(l.chosen)} (train F1 ${f3(l.trainF1)}, worst ${f3(l.trainWorstCommission)})`));
    for (const g of rep.leaveOneOutSets) console.log(row(`POOLED held-out, set ${g.name}`, g.scores, `  | max commission ${f3(g.maxCommission)}`));
    console.log(row("POOLED held-out, all", rep.leaveOneOutPooled, `  | max commission ${f3(Math.max(...rep.leaveOneOut.map((l) => l.scores.commission)))}`));
    console.log(`held-out per land-cover class:`);
    for (const g of rep.leaveOneOutLandCovers) console.log(row(`  ${g.name}`, g.scores, `  | ${g.tiles} tiles, max commission ${f3(g.maxCommission)}`));
    if (rep.crossSet.length) {
      console.log(`train on one set, test on another (same grid and rule):`);
      for (const c of rep.crossSet)
        console.log(row(`  ${c.trainedOn} → ${c.testedOn}`, c.scores, `  | max commission ${f3(c.maxCommission)}; rule ${c.rule === "best-f1-within-commission" ? "1" : "2"}: ${describeThresholds(c.chosen)} (train F1 ${f3(c.trainF1)})`));
    }
  }
  return 0;
}
