// The product mode of each line, as the ground learns it. The image's boot mode is the
// configuration's; every ST[8] switch (README "Commanding the payload") is announced by event 16
// (EV_MODE_CHANGED: from << 8 | to, and the line counter of the first line in the new mode), which
// the image sends, and flushes, before any packet of the new mode. Raw image packets and unit
// packets share the band APIDs and both carry their (first) line counter at octet 7 of the data
// field, so the line counter says which decoder a packet needs.
export type ProductMode = "raw" | "ccsds121" | "ccsds123";
export const PRODUCT_MODES: readonly ProductMode[] = ["raw", "ccsds121", "ccsds123"];
/** Event definition id of a product mode switch. */
export const EV_MODE_CHANGED = 16;

export class ModeSchedule {
  /** Switches in line order: from `line` on, `mode`. */
  private readonly switches: { line: number; mode: ProductMode }[] = [];
  constructor(readonly boot: ProductMode) {}

  /** A switch: `line` is the first line in `mode`. A repeated announcement changes nothing. */
  set(line: number, mode: ProductMode): void {
    const s = this.switches;
    let i = s.length;
    while (i > 0 && s[i - 1].line > line) i--;
    if (i > 0 && s[i - 1].line === line) { s[i - 1].mode = mode; return; }
    s.splice(i, 0, { line, mode });
  }

  /** The mode line `line` was coded in. */
  at(line: number): ProductMode {
    const s = this.switches;
    for (let i = s.length - 1; i >= 0; i--) if (s[i].line <= line) return s[i].mode;
    return this.boot;
  }

  /** The first line after `line` where the mode changes, or Infinity. */
  nextSwitchAfter(line: number): number {
    for (const x of this.switches) if (x.line > line) return x.line;
    return Infinity;
  }

  /** The first line of the mode interval holding `line` (−Infinity: the boot interval). */
  intervalStart(line: number): number {
    const s = this.switches;
    for (let i = s.length - 1; i >= 0; i--) if (s[i].line <= line) return s[i].line;
    return -Infinity;
  }

  get changes(): number { return this.switches.length; }
}

/** An event report's count of EV_MODE_CHANGED: the mode switched to (low octet), null if unknown. */
export function modeOfEventCount(count: number): ProductMode | null { return PRODUCT_MODES[count & 0xff] ?? null; }
