// Small inline-SVG chart builders (no scripts, no external resources). Every mark carries a
// <title> so a reader hovering a bar gets its figures.
export const COLOURS = { data: "#2b6cb0", idle: "#cbd5e0", rs: "#dd6b20", lost: "#c53030", rejected: "#4a5568", sync: "#6b46c1", backlog: "#6b46c1", ok: "#2f855a", grid: "#e2e8f0", text: "#2d3748" } as const;

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** Integers grouped by thousands with commas; other numbers with `digits` decimals. */
export function fmt(v: number, digits = 0): string {
  if (!Number.isFinite(v)) return String(v);
  const s = Math.abs(v).toFixed(digits);
  const [i, f] = s.split(".");
  const g = i.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return (v < 0 ? "−" : "") + g + (f ? "." + f : "");
}

export function fmtBytes(n: number): string {
  const u = ["B", "kB", "MB", "GB", "TB"];
  let i = 0;
  while (n >= 1000 && i < u.length - 1) { n /= 1000; i++; }
  return `${fmt(n, i ? (n < 10 ? 2 : 1) : 0)} ${u[i]}`;
}

export function fmtRate(bitS: number): string {
  return bitS >= 1e6 ? `${fmt(bitS / 1e6, 1)} Mbit/s` : bitS >= 1e3 ? `${fmt(bitS / 1e3, 1)} kbit/s` : `${fmt(bitS)} bit/s`;
}

/** A "nice" axis maximum ≥ v (1, 2, 2.5, 5 × 10ⁿ). */
export function niceMax(v: number): number {
  if (v <= 0) return 1;
  const e = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * e >= v) return m * e;
  return 10 * e;
}

export interface HBar { label: string; value: number; text: string; colour: string }

/** Horizontal bars on a common scale, optional reference line (e.g. ratio 1). */
export function hbars(bars: HBar[], o: { width?: number; max?: number; ref?: { value: number; label: string }; labelWidth?: number } = {}): string {
  const W = o.width ?? 640, LW = o.labelWidth ?? 150, RW = 130, BH = 22, GAP = 8;
  const H = bars.length * (BH + GAP) + GAP + (o.ref ? 14 : 0);
  const max = o.max ?? Math.max(...bars.map((b) => b.value), o.ref?.value ?? 0, 1e-9);
  const plot = W - LW - RW;
  const x = (v: number) => LW + (plot * Math.max(0, Math.min(v, max))) / max;
  let s = `<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" xmlns="http://www.w3.org/2000/svg">`;
  bars.forEach((b, i) => {
    const y = GAP + i * (BH + GAP);
    s += `<text x="${LW - 8}" y="${y + BH / 2 + 4}" text-anchor="end" class="lbl">${esc(b.label)}</text>`;
    s += `<rect x="${LW}" y="${y}" width="${Math.max(1, x(b.value) - LW).toFixed(1)}" height="${BH}" fill="${b.colour}" rx="2"><title>${esc(b.label)}: ${esc(b.text)}</title></rect>`;
    s += `<text x="${x(b.value) + 6}" y="${y + BH / 2 + 4}" class="val">${esc(b.text)}</text>`;
  });
  if (o.ref) {
    const rx = x(o.ref.value);
    s += `<line x1="${rx}" x2="${rx}" y1="2" y2="${H - 12}" stroke="${COLOURS.text}" stroke-dasharray="3 3"/><text x="${rx}" y="${H - 1}" text-anchor="middle" class="tick">${esc(o.ref.label)}</text>`;
  }
  return s + "</svg>";
}

export interface Layer { name: string; colour: string; values: (number | null)[] }
export interface Panel { title: string; unit: string; height: number; layers: Layer[]; kind: "stack" | "line" }

/**
 * Panels sharing one x axis (bucket index → seconds), stacked bars or a step line per panel;
 * one transparent column per bucket carries the tooltip for all panels.
 */
export function timelineChart(panels: Panel[], o: { buckets: number; bucketS: number; bucketCadus: number; width?: number; markers?: { t: number; label: string }[] }): string {
  const W = o.width ?? 960, L = 70, R = 16, TOP = 16, PGAP = 26, AX = 34;
  const n = Math.max(1, o.buckets), plot = W - L - R, bw = plot / n;
  const H = TOP + panels.reduce((a, p) => a + p.height + PGAP, 0) + AX;
  let s = `<svg class="chart timeline" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" xmlns="http://www.w3.org/2000/svg">`;
  let y0 = TOP;
  for (const p of panels) {
    y0 += PGAP;
    const totals = Array.from({ length: n }, (_, i) => (p.kind === "stack" ? p.layers.reduce((a, l) => a + (l.values[i] ?? 0), 0) : Math.max(0, ...p.layers.map((l) => l.values[i] ?? 0))));
    const max = niceMax(Math.max(0, ...totals));
    const yv = (v: number) => y0 + p.height - (p.height * v) / max;
    s += `<text x="${L}" y="${y0 - 8}" class="ptitle">${esc(p.title)}</text>`;
    let lx = W - R;
    for (const l of [...p.layers].reverse()) {
      const t = `<tspan fill="${l.colour}">■</tspan> ${esc(l.name)}`;
      lx -= 14 + l.name.length * 6.6;
      s += `<text x="${lx.toFixed(0)}" y="${y0 - 8}" class="legend">${t}</text>`;
    }
    for (const f of [0, 0.5, 1]) s += `<line x1="${L}" x2="${W - R}" y1="${yv(max * f)}" y2="${yv(max * f)}" stroke="${COLOURS.grid}"/><text x="${L - 6}" y="${yv(max * f) + 4}" text-anchor="end" class="tick">${fmt(max * f, max * f % 1 ? 1 : 0)}</text>`;
    s += `<text x="12" y="${y0 + p.height / 2}" class="tick" transform="rotate(-90 12 ${y0 + p.height / 2})" text-anchor="middle">${esc(p.unit)}</text>`;
    if (p.kind === "stack") {
      for (let i = 0; i < n; i++) {
        let acc = 0;
        for (const l of p.layers) {
          const v = l.values[i] ?? 0;
          if (v <= 0) continue;
          s += `<rect x="${(L + i * bw).toFixed(2)}" y="${yv(acc + v).toFixed(2)}" width="${Math.max(0.6, bw - (bw > 3 ? 0.6 : 0)).toFixed(2)}" height="${(yv(acc) - yv(acc + v)).toFixed(2)}" fill="${l.colour}"/>`;
          acc += v;
        }
      }
    } else {
      // Straight segments between the buckets that have a report, a dot at each report.
      for (const l of p.layers) {
        let d = "", dots = "";
        for (let i = 0; i < n; i++) {
          const v = l.values[i];
          if (v === null || v === undefined) continue;
          const x = (L + (i + 0.5) * bw).toFixed(2), y = yv(Math.max(0, v)).toFixed(2);
          d += `${d ? "L" : "M"}${x},${y}`;
          dots += `<circle cx="${x}" cy="${y}" r="3" fill="${l.colour}"/>`;
        }
        if (d) s += `<path d="${d}" fill="none" stroke="${l.colour}" stroke-width="1.5"/>`;
        s += dots;
      }
    }
    s += `<line x1="${L}" x2="${W - R}" y1="${y0 + p.height}" y2="${y0 + p.height}" stroke="${COLOURS.text}"/>`;
    y0 += p.height;
  }
  // x axis in seconds of downlink time
  const total = n * o.bucketS, step = niceMax(total / 6);
  for (let k = 0; k * step <= total * (1 + 1e-9); k++) {
    const t = k * step, x = L + (plot * t) / total;
    s += `<line x1="${x}" x2="${x}" y1="${y0}" y2="${y0 + 4}" stroke="${COLOURS.text}"/><text x="${x}" y="${y0 + 16}" text-anchor="middle" class="tick">${fmt(t, step < 1 ? (step < 0.1 ? 3 : 2) : 0)}</text>`;
  }
  for (const m of o.markers ?? []) {
    if (m.t < 0 || m.t > total) continue;
    const x = (L + (plot * m.t) / total).toFixed(2);
    s += `<line x1="${x}" x2="${x}" y1="${TOP}" y2="${y0}" stroke="${COLOURS.text}" stroke-opacity="0.6" stroke-dasharray="4 3"/><text x="${x}" y="${TOP - 4}" text-anchor="middle" class="tick">${esc(m.label)}</text>`;
  }
  s += `<text x="${L + plot / 2}" y="${y0 + 30}" text-anchor="middle" class="tick">downlink time, s (${fmt(o.bucketCadus)} CADU${o.bucketCadus > 1 ? "s" : ""} per bar)</text>`;
  // tooltips
  for (let i = 0; i < n; i++) {
    const parts = panels.flatMap((p) => p.layers.map((l) => `${l.name} ${l.values[i] === null || l.values[i] === undefined ? "–" : fmt(l.values[i]!)}`));
    s += `<rect x="${(L + i * bw).toFixed(2)}" y="${TOP}" width="${bw.toFixed(2)}" height="${(y0 - TOP).toFixed(2)}" fill="transparent" class="hover"><title>${fmt(i * o.bucketS, 3)}–${fmt((i + 1) * o.bucketS, 3)} s, CADUs ${fmt(i * o.bucketCadus)}–${fmt((i + 1) * o.bucketCadus - 1)}\n${esc(parts.join(", "))}</title></rect>`;
  }
  return s + "</svg>";
}

/** Vertical columns for many items (e.g. 120 spectral bands): a label every few columns, tooltips on each. */
export function columns(items: HBar[], o: { width?: number; height?: number; max?: number; ref?: { value: number; label: string }; unit?: string } = {}): string {
  const W = o.width ?? 960, H = o.height ?? 150, L = 50, R = 10, T = 10, B = 34;
  const n = Math.max(1, items.length), plot = W - L - R, cw = plot / n, ph = H - T - B;
  const max = o.max ?? niceMax(Math.max(...items.map((b) => b.value), o.ref?.value ?? 0, 1e-9));
  const yv = (v: number) => T + ph - (ph * Math.max(0, Math.min(v, max))) / max;
  let s = `<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" xmlns="http://www.w3.org/2000/svg">`;
  for (const f of [0, 0.5, 1]) s += `<line x1="${L}" x2="${W - R}" y1="${yv(max * f)}" y2="${yv(max * f)}" stroke="${COLOURS.grid}"/><text x="${L - 6}" y="${yv(max * f) + 4}" text-anchor="end" class="tick">${fmt(max * f, 2)}</text>`;
  if (o.unit) s += `<text x="12" y="${T + ph / 2}" class="tick" transform="rotate(-90 12 ${T + ph / 2})" text-anchor="middle">${esc(o.unit)}</text>`;
  const every = Math.max(1, Math.ceil(n / 12));
  items.forEach((b, i) => {
    const x = L + i * cw;
    s += `<rect x="${x.toFixed(2)}" y="${yv(b.value).toFixed(2)}" width="${Math.max(0.6, cw - (cw > 3 ? 1 : 0)).toFixed(2)}" height="${(T + ph - yv(b.value)).toFixed(2)}" fill="${b.colour}"><title>${esc(b.label)}: ${esc(b.text)}</title></rect>`;
    if (i % every === 0) s += `<text x="${(x + cw / 2).toFixed(2)}" y="${H - B + 16}" text-anchor="middle" class="tick">${esc(b.label)}</text>`;
  });
  if (o.ref) s += `<line x1="${L}" x2="${W - R}" y1="${yv(o.ref.value)}" y2="${yv(o.ref.value)}" stroke="${COLOURS.text}" stroke-dasharray="3 3"/><text x="${W - R}" y="${yv(o.ref.value) - 4}" text-anchor="end" class="tick">${esc(o.ref.label)}</text>`;
  return s + `<line x1="${L}" x2="${W - R}" y1="${T + ph}" y2="${T + ph}" stroke="${COLOURS.text}"/></svg>`;
}
