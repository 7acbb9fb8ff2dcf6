// Line time tags as CCSDS Unsegmented Time Code values (301.0-B-4 §3.2): coarse = whole seconds
// since the CCSDS epoch 1958-01-01 TAI, fine = fraction in units of 2^-32 s.
import type { Profile } from "../profiles/index.ts";

/** Seconds from 1958-01-01 to 1970-01-01 (4383 days). */
export const CCSDS_TO_UNIX_S = 4383 * 86400;

/** TAI − UTC from 1972 on (IERS Bulletin C): [UTC Unix seconds from which it applies, seconds]. */
const LEAP_TABLE: [number, number][] = [
  ["1972-01-01", 10], ["1972-07-01", 11], ["1973-01-01", 12], ["1974-01-01", 13], ["1975-01-01", 14],
  ["1976-01-01", 15], ["1977-01-01", 16], ["1978-01-01", 17], ["1979-01-01", 18], ["1980-01-01", 19],
  ["1981-07-01", 20], ["1982-07-01", 21], ["1983-07-01", 22], ["1985-07-01", 23], ["1988-01-01", 24],
  ["1990-01-01", 25], ["1991-01-01", 26], ["1992-07-01", 27], ["1993-07-01", 28], ["1994-07-01", 29],
  ["1996-01-01", 30], ["1997-07-01", 31], ["1999-01-01", 32], ["2006-01-01", 33], ["2009-01-01", 34],
  ["2012-07-01", 35], ["2015-07-01", 36], ["2017-01-01", 37],
].map(([d, s]) => [Date.parse(`${d}T00:00:00Z`) / 1000, s as number]);

/** TAI − UTC in seconds at a UTC instant (10 s before 1972 as a floor; 37 s since 2017). */
export function taiMinusUtc(unixS: number): number {
  let v = 10;
  for (const [t, s] of LEAP_TABLE) if (unixS >= t) v = s;
  return v;
}

const FINE_PER_S = 2 ** 32;

/**
 * Time tag of line n: pass start + n / lineRateHz. The leap-second count of the pass start
 * applies to the whole pass. Integer arithmetic on milliseconds of the start keeps lines
 * exactly spaced.
 */
export function lineTime(p: Profile, n: number): { coarse: number; fine: number } {
  const startMs = Date.parse(p.pass.startUtc);
  const startS = Math.floor(startMs / 1000);
  const coarse0 = startS + CCSDS_TO_UNIX_S + taiMinusUtc(startS);
  const t = (startMs - startS * 1000) / 1000 + n / p.sensor.lineRateHz;
  const whole = Math.floor(t);
  let fine = Math.floor((t - whole) * FINE_PER_S);
  if (fine >= FINE_PER_S) fine = FINE_PER_S - 1;
  return { coarse: coarse0 + whole, fine };
}

/** Inverse of lineTime's encoding: CUC (coarse, fine) → UTC Unix seconds, for reports and tests. */
export function cucToUnixS(coarse: number, fine: number, taiUtc = 37): number {
  return coarse - CCSDS_TO_UNIX_S - taiUtc + fine / FINE_PER_S;
}
