import { dayOfYear, sunForLine, sunElevationDeg, sunDistanceAu, subLatDeg, subLonDeg } from "../../../assembly/payload/sun";

// Days from 1970-01-01 of a few civil dates (computed by hand from the Gregorian rules).
describe("onboard pass geometry for the screener", () => {
  it("day of year across leap and common years", () => {
    expect<i32>(dayOfYear(0)).toBe(1);                 // 1970-01-01
    expect<i32>(dayOfYear(19783)).toBe(61);            // 2024-03-01 (leap year)
    expect<i32>(dayOfYear(20098)).toBe(10);            // 2025-01-10
    expect<i32>(dayOfYear(20625)).toBe(172);           // 2026-06-21
    expect<i32>(dayOfYear(20818)).toBe(365);           // 2026-12-31
    expect<i32>(dayOfYear(20088)).toBe(366);           // 2024-12-31
    expect<i32>(dayOfYear(-4383)).toBe(1);             // 1958-01-01
  });

  it("sun elevation at the June solstice: local noon at 47° N is about 90 − 47 + 23.44 = 66.4°", () => {
    // 2026-06-21 11:28 UTC is about local solar noon at 8° E (equation of time ≈ −1.7 min).
    const days1958 = <f64>(20625 + 4383);
    const t = days1958 * 86400.0 + 11.0 * 3600.0 + 28.0 * 60.0 + 37.0;   // TAI = UTC + 37 s
    sunForLine(t, 0.0, 37, 47.0, 8.0, 0.0, 7000.0);
    expect<f64>(sunElevationDeg).toBeCloseTo(66.4, 0);
    expect<f64>(sunDistanceAu).toBeGreaterThan(1.015);  // near aphelion (early July)
    expect<f64>(subLatDeg).toBe(47.0);
  });

  it("the sub-satellite point moves along the heading at the ground speed", () => {
    // 100 s due south at 7 km/s: 700 km = 6.295° of latitude.
    sunForLine(2.1e9, 100.0, 37, 47.0, 8.0, 180.0, 7000.0);
    expect<f64>(subLatDeg).toBeCloseTo(47.0 - 700000.0 / 6371008.8 * 180.0 / Math.PI, 6);
    expect<f64>(subLonDeg).toBeCloseTo(8.0, 6);
  });

  it("night: the sun is below the horizon at local midnight", () => {
    const days1958 = <f64>(20625 + 4383);
    sunForLine(days1958 * 86400.0 + 23.5 * 3600.0 + 37.0, 0.0, 37, 47.0, 8.0, 0.0, 7000.0);
    expect<f64>(sunElevationDeg).toBeLessThan(0.0);
  });
});
