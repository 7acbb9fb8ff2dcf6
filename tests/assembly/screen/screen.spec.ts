// Cloud screening (assembly/screen): radiometry against hand-computed reflectances, the solar
// geometry against the NOAA/Meeus algorithm (computed independently, values below), every
// per-pixel test, the spatial grow, the tile policy and the bad-input behaviour.
import {
  reflCoefficients, reflSlope, reflIntercept, reflQ12, earthSunDistanceAu, solarElevationDeg, CAL_OK, CAL_NIGHT, CAL_ABSURD,
} from "../../../assembly/screen/radiometry";
import {
  screenDefaults, screenWorkspaceLen, screenInit, screenSetCalibration, screenSetSun, screenPushLine, screenFlush,
  screenTileRowDone, screenTilePtr, screenDecide, screenReset, screenRadState, screenLinesOut,
  P_CORE_BLUE, P_DILATE_PX, P_GROW_PX, P_TILE_SIZE, P_SAT_DN, P_BAND_BLUE, P_NBANDS, P_WIDTH, P_DROP_FRAC, P_DEGRADE_FRAC, P_COUNT,
  CLASS_CLEAR, CLASS_CLOUD, CLASS_UNCERTAIN, CLASS_SATURATED, CLASS_MISSING, CLASS_UNJUDGED, CLASS_BRIGHT, T_BRIGHT,
  P_BAND_GREEN, P_ICE_NIR_RED, P_SNOW_GREEN_BLUE, P_CORE_HOT_REL, screenCheckParams, screenBadParam,
  DECIDE_KEEP, DECIDE_DEGRADE, DECIDE_DROP, REASON_JUDGED, REASON_UNJUDGED, REASON_FEW_VALID,
  T_CLEAR, T_CLOUD, T_UNCERTAIN, T_SATURATED, T_MISSING, T_UNJUDGED, T_DECISION, T_REASON, TILE_WORDS, RAD_OK, RAD_NIGHT, RAD_BAD_CAL,
} from "../../../assembly/screen/screener";
import { OK, E_NULL, E_BAD_LENGTH, E_NEED_INPUT, E_SCR_BAD_PARAM, E_SCR_NO_INIT, E_SCR_NIGHT, E_SCR_BAD_CAL } from "../../../assembly/abi/status";

function carve(len: i32): usize { return heap.alloc(<usize>len); }
function setP(p: usize, i: i32, v: i32): void { store<i32>(p + (<usize>i << 2), v); }
function absf(x: f64): f64 { return x < 0 ? -x : x; }
function tw(tile: i32, word: i32): i32 { return load<i32>(screenTilePtr() + <usize>((tile * TILE_WORDS + word) * 4)); }

// A 4-band test image, W pixels: reflectance × 10000 as DN, calibrated so that ρ = DN / 10000
// (gain 1e-4, offset 0, ESUN π, sun at zenith, 1 AU).
const W: i32 = 64;
let params: usize = 0, ws: usize = 0, line: usize = 0, cls: usize = 0;
function setup(r1: i32, r2: i32, tile: i32): i32 {
  if (params == 0) { params = carve(P_COUNT * 4); line = carve(4 * W * 2); cls = carve(W); ws = carve(1 << 16); }
  screenDefaults(params, W, 4);
  setP(params, P_DILATE_PX, r1); setP(params, P_GROW_PX, r2); setP(params, P_TILE_SIZE, tile);
  const st = screenInit(params, ws, 1 << 16);
  if (st < 0) return st;
  for (let b = 0; b < 4; b++) screenSetCalibration(b, 1e-4, 0.0, Math.PI);
  return screenSetSun(90.0, 1.0);
}
function px(x: i32, blue: i32, green: i32, red: i32, nir: i32): void {
  store<u16>(line + (<usize>x << 1), <u16>blue);
  store<u16>(line + (<usize>(W + x) << 1), <u16>green);
  store<u16>(line + (<usize>(2 * W + x) << 1), <u16>red);
  store<u16>(line + (<usize>(3 * W + x) << 1), <u16>nir);
}
/** Fills the line with dark vegetation (ρ 0.04 / 0.07 / 0.05 / 0.35). */
function background(): void { for (let x = 0; x < W; x++) px(x, 400, 700, 500, 3500); }
function cls0(x: i32): u8 { return load<u8>(cls + <usize>x); }
/** Pushes the current line n times with no delay (R1 = R2 = 0); returns the last status. */
function pushNow(): i32 { return screenPushLine(line, 4 * W * 2, cls); }

describe("radiometry: DN to TOA reflectance in fixed point", () => {
  it("blue band of the default profile, DN 2000, sun 60°, 1 AU: ρ = 0.49498 (hand: π·(0.1365·2000 − 5.597)/(1959.72·sin 60°))", () => {
    expect<i32>(reflCoefficients(0, 0.1365, -5.597, 1959.72, Math.sin(Math.PI / 3.0), 1.0)).toBe(CAL_OK);
    const q = reflQ12(2000, reflSlope(0), reflIntercept(0));
    expect<bool>(q == 2027).toBe(true); // 0.49498 · 4096 = 2027.46
  });
  it("red band, DN 3000, sun 35°, d = 1.0167 AU: ρ = 1.16667 (Q12 4778.7)", () => {
    expect<i32>(reflCoefficients(1, 0.1053, -4.317, 1512.06, Math.sin(35.0 * Math.PI / 180.0), 1.0167)).toBe(CAL_OK);
    const q = reflQ12(3000, reflSlope(1), reflIntercept(1));
    expect<bool>(q >= 4778 && q <= 4779).toBe(true);
  });
  it("NIR below the dark level gives a negative reflectance (Q12 −31.0, floor −32), no wrap", () => {
    expect<i32>(reflCoefficients(2, 0.07217, -2.959, 1036.39, Math.sin(Math.PI / 3.0), 0.9833)).toBe(CAL_OK);
    const q = reflQ12(10, reflSlope(2), reflIntercept(2));
    expect<bool>(q >= -32 && q <= -31).toBe(true);
  });
  it("Landsat OLI scaling: ρ·sin(62.7°) = 2e-5·DN − 0.1 with ESUN = π: DN 20000 → Q12 1382.8", () => {
    expect<i32>(reflCoefficients(0, 2e-5, -0.1, Math.PI, Math.sin(62.7 * Math.PI / 180.0), 1.0)).toBe(CAL_OK);
    const q = reflQ12(20000, reflSlope(0), reflIntercept(0));
    expect<bool>(q >= 1382 && q <= 1383).toBe(true);
  });
  it("full-scale 16-bit DN with a near-limit slope does not overflow; ρ per DN ≥ 1 is refused", () => {
    expect<i32>(reflCoefficients(0, 0.5, 0.0, Math.PI, 1.0, 1.0)).toBe(CAL_OK); // ρ per DN = 0.5
    expect<i32>(reflQ12(65535, reflSlope(0), reflIntercept(0))).toBe(65535 * 2048);
    expect<i32>(reflCoefficients(0, 1.0, 0.0, Math.PI, 1.0, 1.0)).toBe(CAL_ABSURD);
  });
  it("zero, negative, NaN and infinite calibration or distance are absurd; sun at or below the horizon is night", () => {
    expect<i32>(reflCoefficients(0, 0.0, 0.0, 1959.0, 0.5, 1.0)).toBe(CAL_ABSURD);
    expect<i32>(reflCoefficients(0, -0.1, 0.0, 1959.0, 0.5, 1.0)).toBe(CAL_ABSURD);
    expect<i32>(reflCoefficients(0, 0.1, 0.0, 0.0, 0.5, 1.0)).toBe(CAL_ABSURD);
    expect<i32>(reflCoefficients(0, NaN, 0.0, 1959.0, 0.5, 1.0)).toBe(CAL_ABSURD);
    expect<i32>(reflCoefficients(0, 0.1, Infinity, 1959.0, 0.5, 1.0)).toBe(CAL_ABSURD);
    expect<i32>(reflCoefficients(0, 0.1, 0.0, 1959.0, 0.5, 0.0)).toBe(CAL_ABSURD);
    expect<i32>(reflCoefficients(0, 1e9, 0.0, 1.0, 0.5, 1.0)).toBe(CAL_ABSURD); // ρ per DN ≫ 1
    expect<i32>(reflCoefficients(0, 0.1, 0.0, 1959.0, 0.0, 1.0)).toBe(CAL_NIGHT);
    expect<i32>(reflCoefficients(0, 0.1, 0.0, 1959.0, -0.3, 1.0)).toBe(CAL_NIGHT);
    expect<i64>(reflSlope(0)).toBe(0);
  });
});

describe("solar geometry (against the NOAA/Meeus solar calculator, computed independently)", () => {
  it("38-Cloud scene: 2016-05-20 14:25 UTC, 10.1°N 63.6°W → 62.57° (±0.3°)", () => {
    expect<bool>(absf(solarElevationDeg(141, 51900.0, 10.1, -63.6) - 62.574) < 0.3).toBe(true);
  });
  it("equinox noon on the equator (2020-03-20 12:00, 0°, 0°) → 88.17°", () => {
    expect<bool>(absf(solarElevationDeg(80, 43200.0, 0.0, 0.0) - 88.169) < 0.3).toBe(true);
  });
  it("Paris 2021-06-21 10:30 UTC → 59.84°; Sydney 2021-12-21 03:00 UTC → 72.04°", () => {
    expect<bool>(absf(solarElevationDeg(172, 37800.0, 48.85, 2.35) - 59.836) < 0.3).toBe(true);
    expect<bool>(absf(solarElevationDeg(355, 10800.0, -33.9, 151.2) - 72.038) < 0.3).toBe(true);
  });
  it("London midnight in December is night (−61.93°); NaN input gives −90, never NaN", () => {
    expect<bool>(absf(solarElevationDeg(355, 0.0, 51.5, 0.0) + 61.933) < 0.3).toBe(true);
    expect<f64>(solarElevationDeg(1, NaN, 0.0, 0.0)).toBe(-90.0);
  });
  it("Earth–Sun distance: 0.9833 AU at perihelion (day 4), 1.0167 AU at aphelion (day 186)", () => {
    expect<bool>(absf(earthSunDistanceAu(4) - 0.98328) < 0.0003).toBe(true);
    expect<bool>(absf(earthSunDistanceAu(186) - 1.01671) < 0.0003).toBe(true);
  });
});

describe("per-pixel tests (R1 = R2 = 0: no delay, no grow)", () => {
  it("bright white cloud (ρ 0.50/0.48/0.46/0.47) is cloud; dark vegetation is clear", () => {
    expect<i32>(setup(0, 0, 64)).toBe(OK);
    background(); px(10, 5000, 4800, 4600, 4700);
    expect<i32>(pushNow()).toBe(0);
    expect<u8>(cls0(10)).toBe(CLASS_CLOUD);
    expect<u8>(cls0(11)).toBe(CLASS_CLEAR);
  });
  it("brightness test: a white but dim pixel (ρ_blue 0.15 < 0.20) is not cloud", () => {
    setup(0, 0, 64); background(); px(10, 1500, 1500, 1500, 1500);
    pushNow();
    expect<u8>(cls0(10)).toBe(CLASS_CLEAR);
  });
  it("HOT test: bright reddish soil (ρ 0.21/0.28/0.36/0.40, HOT = 0.03 < 0.04) is uncertain-bright, not cloud", () => {
    setup(0, 0, 64); background(); px(10, 2100, 2800, 3600, 4000);
    pushNow();
    expect<u8>(cls0(10)).toBe(CLASS_UNCERTAIN);
  });
  it("NDVI test: bright vegetated pixel (ρ 0.22/0.30/0.25/0.90, NDVI 0.57 > 0.5) is uncertain-bright, not cloud", () => {
    setup(0, 0, 64); background(); px(10, 2200, 3000, 2500, 9000);
    pushNow();
    expect<u8>(cls0(10)).toBe(CLASS_UNCERTAIN);
  });
  it("NDVI exactly at the threshold (ρ_red 0.25, ρ_nir 0.75: NDVI = 0.50 = max) is not a core: uncertain-bright, in every column", () => {
    setup(0, 0, 64);
    // The reflectances are exact in Q12 (1024 and 3072), so NDVI·4096 equals the threshold 2048 exactly.
    expect<i64>(reflQ12(2500, reflSlope(2), reflIntercept(2))).toBe(1024);
    expect<i64>(reflQ12(7500, reflSlope(3), reflIntercept(3))).toBe(3072);
    background();
    px(8, 4000, 3000, 2500, 7500);    // a column feeding the background histogram (x % 4 == 0)
    px(9, 4000, 3000, 2500, 7500);    // and one that does not
    px(10, 4000, 3000, 2500, 7499);   // one DN of NIR less: NDVI just below 0.50, a cloud core
    pushNow();
    expect<u8>(cls0(8)).toBe(CLASS_UNCERTAIN);
    expect<u8>(cls0(9)).toBe(CLASS_UNCERTAIN);
    expect<u8>(cls0(10)).toBe(CLASS_CLOUD);
  });
  it("zero DN in a screening band is missing, DN at P_SAT_DN saturated: flagged, not guessed", () => {
    setup(0, 0, 64); background(); px(3, 0, 700, 500, 3500); px(4, 400, 700, 500, 65535);
    pushNow();
    expect<u8>(cls0(3)).toBe(CLASS_MISSING);
    expect<u8>(cls0(4)).toBe(CLASS_SATURATED);
  });
});

describe("bright, not cloud: snow and ice (issue 14; R1 = R2 = 0 unless said)", () => {
  it("clear snow (L8 Biome snow patch: ρ 0.84/0.72/0.77/0.82, green < 0.88·blue) is bright-not-cloud; a flat white cloud beside it is cloud", () => {
    setup(0, 0, 64); background(); px(10, 8400, 7200, 7700, 8200); px(12, 6500, 6200, 6400, 6800);
    pushNow();
    expect<u8>(cls0(10)).toBe(CLASS_BRIGHT);
    expect<u8>(cls0(12)).toBe(CLASS_CLOUD);
  });
  it("lake ice (ρ 0.31/0.27/0.25/0.17: NIR < 0.9·red) is bright-not-cloud; at NIR = red it would be cloud", () => {
    setup(0, 0, 64); background(); px(10, 3100, 2700, 2500, 1700); px(11, 3100, 2700, 2500, 2500);
    pushNow();
    expect<u8>(cls0(10)).toBe(CLASS_BRIGHT);
    expect<u8>(cls0(11)).toBe(CLASS_CLOUD);
  });
  it("a missing (0) or saturated green gives no snow verdict: the snow pixel is then cloud, never bright-not-cloud on a bad sample", () => {
    setup(0, 0, 64); background(); px(10, 8400, 0, 7700, 8200); px(11, 8400, 65535, 7700, 8200); px(12, 8400, 7200, 7700, 8200);
    pushNow();
    expect<u8>(cls0(10)).toBe(CLASS_CLOUD);
    expect<u8>(cls0(11)).toBe(CLASS_CLOUD);
    expect<u8>(cls0(12)).toBe(CLASS_BRIGHT);
  });
  it("snow test needs ρ_blue > 0.5: a dimmer bluish pixel (ρ 0.40/0.34/0.36/0.40) stays cloud", () => {
    setup(0, 0, 64); background(); px(10, 4000, 3400, 3600, 4000);
    pushNow();
    expect<u8>(cls0(10)).toBe(CLASS_CLOUD);
  });
  it("with both ratio words 0 the tests are off: the same snow is cloud", () => {
    setup(0, 0, 64);
    setP(params, P_ICE_NIR_RED, 0); setP(params, P_SNOW_GREEN_BLUE, 0);
    expect<i32>(screenInit(params, ws, 1 << 16)).toBe(OK);
    for (let b = 0; b < 4; b++) screenSetCalibration(b, 1e-4, 0.0, Math.PI);
    screenSetSun(90.0, 1.0);
    background(); px(10, 8400, 7200, 7700, 8200); px(11, 3100, 2700, 2500, 1700);
    pushNow();
    expect<u8>(cls0(10)).toBe(CLASS_CLOUD);
    expect<u8>(cls0(11)).toBe(CLASS_CLOUD);
  });
  it("core HOT above the background: before any background the cap (0.10) + 0.06 applies, so HOT 0.12 is not a core", () => {
    setup(0, 0, 64); background(); px(10, 2700, 2700, 3000, 3200); // HOT = 0.27 − 0.15 = 0.12
    pushNow();
    expect<u8>(cls0(10)).toBe(CLASS_UNCERTAIN);
    setup(0, 0, 64);
    setP(params, P_CORE_HOT_REL, 0);                                   // relative test off: HOT 0.12 > 0.10 + 0 is a core
    screenInit(params, ws, 1 << 16);
    for (let b = 0; b < 4; b++) screenSetCalibration(b, 1e-4, 0.0, Math.PI);
    screenSetSun(90.0, 1.0);
    background(); px(10, 2700, 2700, 3000, 3200);
    pushNow();
    expect<u8>(cls0(10)).toBe(CLASS_CLOUD);
  });
  it("tiles: a snow tile is kept with every pixel counted bright-not-cloud; a cloud core next to snow grows into it (R1 = 1)", () => {
    expect<i32>(setup(1, 1, 8)).toBe(OK);
    for (let y = 0; y < 9; y++) {
      background();
      for (let x = 0; x < 8; x++) px(x, 8400, 7200, 7700, 8200);              // tile 0: snow
      for (let x = 8; x < 16; x++) px(x, 8400, 7200, 7700, 8200);             // tile 1: snow with a cloud core at x = 12
      px(12, 6500, 6200, 6400, 6800);
      pushNow();
    }
    expect<i32>(tw(0, T_BRIGHT)).toBe(64);
    expect<i32>(tw(0, T_CLOUD)).toBe(0);
    expect<i32>(tw(0, T_DECISION)).toBe(DECIDE_KEEP);
    expect<i32>(tw(1, T_CLOUD)).toBe(24);                                    // columns 11..13 grown
    expect<i32>(tw(1, T_BRIGHT)).toBe(40);
    expect<i32>(tw(1, T_DECISION)).toBe(DECIDE_DEGRADE);
  });
  it("parameter words: a green band outside the line and ratios above 2.0 are refused, naming the word", () => {
    screenDefaults(params, W, 4);
    setP(params, P_BAND_GREEN, 4);
    expect<i32>(screenCheckParams(params)).toBe(E_SCR_BAD_PARAM);
    expect<i32>(screenBadParam()).toBe(P_BAND_GREEN);
    screenDefaults(params, W, 4);
    setP(params, P_ICE_NIR_RED, 8193);
    expect<i32>(screenCheckParams(params)).toBe(E_SCR_BAD_PARAM);
    expect<i32>(screenBadParam()).toBe(P_ICE_NIR_RED);
    screenDefaults(params, W, 4);
    setP(params, P_SNOW_GREEN_BLUE, -1);
    expect<i32>(screenCheckParams(params)).toBe(E_SCR_BAD_PARAM);
    screenDefaults(params, W, 4);
    expect<i32>(screenCheckParams(params)).toBe(OK);
  });
});

describe("spatial grow of cloud cores", () => {
  it("R1: every pixel within R1 columns and lines of a core is cloud; output lags by R2 lines", () => {
    expect<i32>(setup(2, 2, 64)).toBe(OK);
    let produced = 0;
    for (let y = 0; y < 7; y++) {
      background();
      if (y == 3) px(30, 5000, 4800, 4600, 4700);
      const st = pushNow();
      if (y < 2) expect<i32>(st).toBe(E_NEED_INPUT);
      else {
        expect<i32>(st).toBe(y - 2);
        const row = st;
        const inside = row >= 1 && row <= 5;
        expect<u8>(cls0(28)).toBe(inside ? CLASS_CLOUD : CLASS_CLEAR);
        expect<u8>(cls0(32)).toBe(inside ? CLASS_CLOUD : CLASS_CLEAR);
        expect<u8>(cls0(27)).toBe(CLASS_CLEAR);
        expect<u8>(cls0(33)).toBe(CLASS_CLEAR);
        produced++;
      }
    }
    // Flush the last R2 lines.
    expect<i32>(screenFlush(cls)).toBe(5);
    expect<i32>(screenFlush(cls)).toBe(6);
    expect<i32>(screenFlush(cls)).toBe(E_NEED_INPUT);
    expect<i32>(produced).toBe(5);
  });
  it("R2 haze: a hazy pixel (HOT above the background by > 0.02) within R2 of a core is cloud, beyond R2 it is not", () => {
    expect<i32>(setup(1, 4, 64)).toBe(OK);
    for (let y = 0; y < 12; y++) {
      background();
      px(20, 5000, 4800, 4600, 4700);           // core
      px(23, 1000, 1000, 900, 3000);            // haze 3 px away: HOT 0.055 vs background 0.015
      px(26, 1000, 1000, 900, 3000);            // haze 6 px away (beyond R2 = 4)
      px(40, 1000, 1000, 900, 3000);            // lone haze, no core near
      px(22, 450, 700, 520, 3400);              // clear, 2 px away (beyond R1 = 1), not hazy
      const st = pushNow();
      if (st >= 2) {
        expect<u8>(cls0(21)).toBe(CLASS_CLOUD);
        expect<u8>(cls0(22)).toBe(CLASS_CLEAR);
        expect<u8>(cls0(23)).toBe(CLASS_CLOUD);
        expect<u8>(cls0(26)).toBe(CLASS_CLEAR);
        expect<u8>(cls0(40)).toBe(CLASS_CLEAR);
      }
    }
  });
});

describe("stream edges", () => {
  it("an image shorter than the delay: every line comes out of screenFlush, the grow still applies", () => {
    expect<i32>(setup(2, 4, 8)).toBe(OK);
    background(); px(10, 5000, 4800, 4600, 4700);
    expect<i32>(pushNow()).toBe(E_NEED_INPUT);
    background();
    expect<i32>(pushNow()).toBe(E_NEED_INPUT);
    expect<i32>(screenFlush(cls)).toBe(0);
    expect<u8>(cls0(12)).toBe(CLASS_CLOUD);
    expect<i32>(screenFlush(cls)).toBe(1);
    expect<u8>(cls0(8)).toBe(CLASS_CLOUD);   // one line and two columns from the core: inside R1
    expect<u8>(cls0(13)).toBe(CLASS_CLEAR);
    expect<i32>(screenTileRowDone()).toBe(0);
    expect<i32>(screenFlush(cls)).toBe(E_NEED_INPUT);
  });
  it("screenReset starts a new image: no core carries over", () => {
    setup(1, 1, 8);
    background(); px(10, 5000, 4800, 4600, 4700); pushNow();
    expect<i32>(screenReset()).toBe(OK);
    background(); expect<i32>(pushNow()).toBe(E_NEED_INPUT);
    background(); expect<i32>(pushNow()).toBe(0);
    expect<u8>(cls0(10)).toBe(CLASS_CLEAR);
  });
});

describe("tile statistics and policy", () => {
  it("counts per tile and the decision of a finished tile row (8-line tiles, 8 tiles across)", () => {
    expect<i32>(setup(0, 0, 8)).toBe(OK);
    for (let y = 0; y < 8; y++) {
      background();
      for (let x = 0; x < 8; x++) px(x, 5000, 4800, 4600, 4700);          // tile 0: all cloud → drop
      for (let x = 8; x < 12; x++) px(x, 5000, 4800, 4600, 4700);         // tile 1: half cloud → degrade
      for (let x = 16; x < 24; x++) px(x, 2100, 2800, 3600, 4000);        // tile 2: bright soil → keep
      for (let x = 24; x < 30; x++) px(x, 400, 700, 500, 65535);          // tile 3: 6/8 saturated → keep, few valid
      const st = pushNow();
      expect<i32>(screenTileRowDone()).toBe(y == 7 ? 0 : -1);
      expect<i32>(st).toBe(y);
    }
    expect<i32>(tw(0, T_CLOUD)).toBe(64);
    expect<i32>(tw(0, T_DECISION)).toBe(DECIDE_DROP);
    expect<i32>(tw(1, T_CLOUD)).toBe(32);
    expect<i32>(tw(1, T_CLEAR)).toBe(32);
    expect<i32>(tw(1, T_DECISION)).toBe(DECIDE_DEGRADE);
    expect<i32>(tw(2, T_UNCERTAIN)).toBe(64);
    expect<i32>(tw(2, T_DECISION)).toBe(DECIDE_KEEP);
    expect<i32>(tw(3, T_SATURATED)).toBe(48);
    expect<i32>(tw(3, T_DECISION)).toBe(DECIDE_KEEP);
    expect<i32>(tw(3, T_REASON)).toBe(REASON_FEW_VALID);
    expect<i32>(tw(4, T_CLEAR)).toBe(64);
    expect<i32>(tw(4, T_DECISION)).toBe(DECIDE_KEEP);
  });
  it("decision rule: drop ≥ 0.7, degrade ≥ 0.3 of valid pixels; uncertain-bright alone never drops", () => {
    expect<i32>(screenDecide(20, 80, 0, 0, 0, 0, 19661, 45875, 32768)).toBe(DECIDE_DROP);
    expect<i32>(screenDecide(60, 40, 0, 0, 0, 0, 19661, 45875, 32768)).toBe(DECIDE_DEGRADE);
    expect<i32>(screenDecide(90, 10, 0, 0, 0, 0, 19661, 45875, 32768)).toBe(DECIDE_KEEP);
    expect<i32>(screenDecide(0, 0, 100, 0, 0, 0, 19661, 45875, 32768)).toBe(DECIDE_KEEP);
    expect<i32>(screenDecide(0, 31, 69, 0, 0, 0, 19661, 45875, 32768)).toBe(DECIDE_DEGRADE); // uncertain share does not add to the cloud share
    expect<i32>(screenDecide(0, 100, 0, 0, 0, 1, 19661, 45875, 32768)).toBe(DECIDE_KEEP | (REASON_UNJUDGED << 8));
    expect<i32>(screenDecide(10, 10, 0, 50, 30, 0, 19661, 45875, 32768)).toBe(DECIDE_KEEP | (REASON_FEW_VALID << 8));
    expect<i32>(screenDecide(0, 0, 0, 0, 0, 0, 19661, 45875, 32768)).toBe(DECIDE_KEEP | (REASON_UNJUDGED << 8));
    expect<i32>(REASON_JUDGED).toBe(0);
  });
  it("decision rule at equality: a cloud share exactly at the drop or degrade fraction takes that decision; valid share exactly at the minimum is judged", () => {
    // Fractions in Q16: degrade 0.25 = 16384, drop 0.75 = 49152, minimum valid 0.5 = 32768.
    expect<i32>(screenDecide(1, 3, 0, 0, 0, 0, 16384, 49152, 32768)).toBe(DECIDE_DROP);       // 3/4 = 0.75
    expect<i32>(screenDecide(101, 299, 0, 0, 0, 0, 16384, 49152, 32768)).toBe(DECIDE_DEGRADE); // 0.7475
    expect<i32>(screenDecide(3, 1, 0, 0, 0, 0, 16384, 49152, 32768)).toBe(DECIDE_DEGRADE);    // 1/4 = 0.25
    expect<i32>(screenDecide(301, 99, 0, 0, 0, 0, 16384, 49152, 32768)).toBe(DECIDE_KEEP);     // 0.2475
    expect<i32>(screenDecide(2, 0, 0, 2, 0, 0, 16384, 49152, 32768)).toBe(DECIDE_KEEP | (REASON_JUDGED << 8));   // valid 2/4 = 0.5
    expect<i32>(screenDecide(0, 2, 0, 1, 1, 0, 16384, 49152, 32768)).toBe(DECIDE_DROP);       // valid 0.5, all cloud
    expect<i32>(screenDecide(1, 0, 0, 2, 1, 0, 16384, 49152, 32768)).toBe(DECIDE_KEEP | (REASON_FEW_VALID << 8)); // valid 0.25
    expect<i32>(screenDecide(0, 4, 0, 0, 0, 1, 16384, 49152, 32768)).toBe(DECIDE_KEEP | (REASON_UNJUDGED << 8)); // one unjudged pixel
  });
  it("a partial last tile row is decided at flush", () => {
    expect<i32>(setup(0, 1, 8)).toBe(OK);
    for (let y = 0; y < 3; y++) { background(); for (let x = 0; x < 8; x++) px(x, 5000, 4800, 4600, 4700); pushNow(); }
    expect<i32>(screenTileRowDone()).toBe(-1);
    expect<i32>(screenFlush(cls)).toBe(2);
    expect<i32>(screenTileRowDone()).toBe(0);
    expect<i32>(load<i32>(screenTilePtr() + (T_DECISION << 2))).toBe(DECIDE_DROP);
  });
});

describe("bad input: defined behaviour, a clear status, keep when the screener cannot judge", () => {
  it("night pass: E_SCR_NIGHT, lines classed unjudged, tiles kept with reason unjudged", () => {
    expect<i32>(setup(0, 0, 8)).toBe(OK);
    expect<i32>(screenSetSun(-12.0, 1.0)).toBe(E_SCR_NIGHT);
    expect<i32>(screenRadState()).toBe(RAD_NIGHT);
    for (let y = 0; y < 8; y++) { background(); px(0, 5000, 4800, 4600, 4700); px(1, 0, 0, 0, 0); pushNow(); }
    expect<u8>(cls0(0)).toBe(CLASS_UNJUDGED);
    expect<u8>(cls0(1)).toBe(CLASS_MISSING);
    expect<i32>(load<i32>(screenTilePtr() + (T_UNJUDGED << 2))).toBe(56);
    expect<i32>(load<i32>(screenTilePtr() + (T_DECISION << 2))).toBe(DECIDE_KEEP);
    expect<i32>(load<i32>(screenTilePtr() + (T_REASON << 2))).toBe(REASON_UNJUDGED);
  });
  it("sun above the horizon but under the minimum elevation (5°) is night too", () => {
    setup(0, 0, 8);
    expect<i32>(screenSetSun(3.0, 1.0)).toBe(E_SCR_NIGHT);
  });
  it("zero gain, zero ESUN, NaN elevation, zero Earth–Sun distance: E_SCR_BAD_CAL, lines unjudged", () => {
    setup(0, 0, 8);
    expect<i32>(screenSetCalibration(0, 0.0, 0.0, Math.PI)).toBe(OK);
    expect<i32>(screenSetSun(60.0, 1.0)).toBe(E_SCR_BAD_CAL);
    expect<i32>(screenRadState()).toBe(RAD_BAD_CAL);
    background(); pushNow();
    expect<u8>(cls0(5)).toBe(CLASS_UNJUDGED);
    screenSetCalibration(0, 1e-4, 0.0, 0.0);
    expect<i32>(screenSetSun(60.0, 1.0)).toBe(E_SCR_BAD_CAL);
    screenSetCalibration(0, 1e-4, 0.0, Math.PI);
    expect<i32>(screenSetSun(NaN, 1.0)).toBe(E_SCR_BAD_CAL);
    expect<i32>(screenSetSun(60.0, 0.0)).toBe(E_SCR_BAD_CAL);
    expect<i32>(screenSetSun(60.0, 1.0)).toBe(OK);
    expect<i32>(screenRadState()).toBe(RAD_OK);
  });
  it("lines before any geometry are unjudged; a bad calibration at night reports the calibration", () => {
    setup(0, 0, 8);
    screenSetCalibration(2, 1e-4, 0.0, Math.PI); // resets the geometry
    background(); pushNow();
    expect<u8>(cls0(0)).toBe(CLASS_UNJUDGED);
    screenSetCalibration(2, Infinity, 0.0, Math.PI);
    expect<i32>(screenSetSun(-30.0, 1.0)).toBe(E_SCR_BAD_CAL);
  });
  it("bad parameter blocks, workspace, line length and calls before init are refused", () => {
    const p = carve(P_COUNT * 4);
    screenDefaults(p, W, 4);
    setP(p, P_GROW_PX, 1); setP(p, P_DILATE_PX, 2);           // R2 < R1
    expect<i32>(screenWorkspaceLen(p)).toBe(E_SCR_BAD_PARAM);
    screenDefaults(p, W, 4); setP(p, P_BAND_BLUE, 3);          // blue = NIR band
    expect<i32>(screenWorkspaceLen(p)).toBe(E_SCR_BAD_PARAM);
    screenDefaults(p, W, 4); setP(p, P_NBANDS, 2);
    expect<i32>(screenWorkspaceLen(p)).toBe(E_SCR_BAD_PARAM);
    screenDefaults(p, W, 4); setP(p, P_TILE_SIZE, 4);
    expect<i32>(screenWorkspaceLen(p)).toBe(E_SCR_BAD_PARAM);
    screenDefaults(p, W, 4); setP(p, P_SAT_DN, 0);
    expect<i32>(screenWorkspaceLen(p)).toBe(E_SCR_BAD_PARAM);
    screenDefaults(p, W, 4); setP(p, P_DROP_FRAC, 100);        // drop below degrade
    expect<i32>(screenWorkspaceLen(p)).toBe(E_SCR_BAD_PARAM);
    // At the limits: drop fraction equal to degrade (no degrade band) and tiles of 8 accepted; 7 refused.
    screenDefaults(p, W, 4); setP(p, P_DEGRADE_FRAC, 32768); setP(p, P_DROP_FRAC, 32768);
    expect<bool>(screenWorkspaceLen(p) > 0).toBe(true);
    screenDefaults(p, W, 4); setP(p, P_TILE_SIZE, 8);
    expect<bool>(screenWorkspaceLen(p) > 0).toBe(true);
    screenDefaults(p, W, 4); setP(p, P_TILE_SIZE, 7);
    expect<i32>(screenWorkspaceLen(p)).toBe(E_SCR_BAD_PARAM);
    screenDefaults(p, 0, 4);
    expect<i32>(screenWorkspaceLen(p)).toBe(E_SCR_BAD_PARAM);
    expect<i32>(screenWorkspaceLen(0)).toBe(E_NULL);
    screenDefaults(p, W, 4);
    const need = screenWorkspaceLen(p);
    expect<bool>(need > 0).toBe(true);
    expect<i32>(screenInit(p, ws, need - 1)).toBe(E_BAD_LENGTH);
    expect<i32>(screenPushLine(line, 4 * W * 2, cls)).toBe(E_SCR_NO_INIT);
    expect<i32>(screenReset()).toBe(E_SCR_NO_INIT);
    expect<i32>(screenSetSun(60.0, 1.0)).toBe(E_SCR_NO_INIT);
    expect<i32>(screenInit(p, ws, need)).toBe(OK);
    expect<i32>(screenPushLine(line, 4 * W * 2 - 2, cls)).toBe(E_BAD_LENGTH);
    expect<i32>(screenPushLine(0, 4 * W * 2, cls)).toBe(E_NULL);
    expect<i32>(screenSetCalibration(4, 1.0, 0.0, 1.0)).toBe(E_SCR_BAD_PARAM);
    expect<i32>(screenLinesOut()).toBe(0);
  });
  it("a saturated or all-zero line never traps and counts as saturated / missing", () => {
    setup(0, 0, 8);
    for (let x = 0; x < W; x++) px(x, 65535, 65535, 65535, 65535);
    pushNow();
    expect<u8>(cls0(0)).toBe(CLASS_SATURATED);
    for (let x = 0; x < W; x++) px(x, 0, 0, 0, 0);
    pushNow();
    expect<u8>(cls0(W - 1)).toBe(CLASS_MISSING);
    expect<i32>(load<i32>(screenTilePtr() + (T_SATURATED << 2))).toBe(8);
    expect<i32>(load<i32>(screenTilePtr() + (T_MISSING << 2))).toBe(8);
  });
  it("the background median ignores cloud cores, so an all-cloud start does not blind the haze test", () => {
    expect<i32>(setup(0, 2, 64)).toBe(OK);
    for (let y = 0; y < 4; y++) { for (let x = 0; x < W; x++) px(x, 5000, 4800, 4600, 4700); pushNow(); }
    for (let y = 0; y < 4; y++) { background(); px(5, 5000, 4800, 4600, 4700); px(7, 1000, 1000, 900, 3000); pushNow(); }
    expect<u8>(cls0(7)).toBe(CLASS_CLOUD);
    expect<u8>(cls0(9)).toBe(CLASS_CLEAR);
  });
});
