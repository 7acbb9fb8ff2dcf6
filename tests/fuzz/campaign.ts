// The campaign: generates the cases of each profile lazily, runs them on the worker pool and
// counts outcomes. Shared by `npm run fuzz` (run.ts) and the in-suite sample
// (tests/host/flight/fuzz-sample.test.ts).
import { readFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { memoryLimits } from "../../host/obc/image.ts";
import { Pool } from "./pool.ts";
import { fixture, boundaryTables, randomTables, streamCases, randomStreams, ramCases, type Fixture } from "./gen.ts";
import { failed, type CaseResult, type FuzzCase } from "./types.ts";

export interface CampaignOptions {
  wasmPath: string;
  profiles: string[];
  /** Random tables per profile. */
  tables: number;
  /** Random bus streams per profile. */
  streams: number;
  seed: number;
  jobs: number;
  /** Per-band fields of these bands only in the boundary set (undefined: every band). */
  bandSubset?: (bands: number) => number[];
  /** Truncate the configuration record at every octet (1, the default) or more sparsely in its middle. */
  truncationStride?: number;
  /** Structured stream cases (all of them) — on by default. */
  structuredStreams?: boolean;
  /** Where reproducers go (none when undefined). */
  reproDir?: string;
  onProgress?(done: number, profile: string, kind: string): void;
  baseMs?: number;
}

export interface Counts { cases: number; refused: number; ran: number; traps: number; hangs: number; other: number; unclean: number }
export interface KindCounts extends Counts { kind: string }
export interface Failure { profile: string; kind: string; name: string; result: CaseResult; repro?: string }
export interface ProfileReport { profile: string; total: Counts; byKind: KindCounts[]; failures: Failure[]; trapMessages: Map<string, number>; refusedStatuses: Map<string, number>; inUseBytes: number | null; ms: number }
export interface CampaignReport { profiles: ProfileReport[]; imageSha256: string; seed: number; tables: number; streams: number; ms: number; workerDeaths: number }

const zero = (): Counts => ({ cases: 0, refused: 0, ran: 0, traps: 0, hangs: 0, other: 0, unclean: 0 });

function add(c: Counts, r: CaseResult): void {
  c.cases++;
  if (r.outcome === "refused") c.refused++;
  else if (r.outcome === "ran") { c.ran++; if (r.unclean !== undefined) c.unclean++; }
  else if (r.outcome === "trap") c.traps++;
  else if (r.outcome === "hang") c.hangs++;
  else c.other++;
}

export function anyFailure(c: Counts): boolean { return c.traps + c.hangs + c.other + c.unclean > 0; }

let nextId = 1;

/** Writes a reproducer: the bus stream, the table (table cases) and the case with its message. */
export function writeRepro(dir: string, c: FuzzCase, r: CaseResult, seq: number, imageSha256: string): string {
  mkdirSync(dir, { recursive: true });
  const base = join(dir, `${c.profile}-${c.kind}-${String(seq).padStart(5, "0")}`);
  writeFileSync(`${base}.bus.bin`, c.input);
  if (c.table) writeFileSync(`${base}.table.bin`, c.table);
  writeFileSync(`${base}.json`, JSON.stringify({
    profile: c.profile, kind: c.kind, name: c.name, outcome: r.outcome, exit: r.exit, message: r.message, unclean: r.unclean, status: r.status, logTail: r.logTail,
    maxPages: c.maxPages, bus: `${base.split("/").pop()}.bus.bin`, table: c.table ? `${base.split("/").pop()}.table.bin` : undefined,
    accept: c.accept ? Buffer.from(c.accept).toString("hex") : null, alt: (c.alt ?? []).map((t) => Buffer.from(t).toString("hex")), expect: c.expect, imageSha256,
  }, null, 2) + "\n");
  return `${base}.json`;
}

/** A stream case that should have run but was refused (a valid record lost), or the reverse, counts as "other". */
export function expected(c: FuzzCase, r: CaseResult): CaseResult {
  if (!c.expect || (r.outcome !== "ran" && r.outcome !== "refused") || r.outcome === c.expect) return r;
  return { ...r, outcome: "other", message: `expected ${c.expect === "ran" ? "the pass to run (a valid table was sent)" : "a refusal (no valid table was sent)"}, got ${r.outcome}${r.status ? ` (${r.status})` : ""}` };
}

async function drive(pool: Pool, gen: Iterable<FuzzCase>, concurrency: number, each: (c: FuzzCase, r: CaseResult) => void): Promise<void> {
  const it = gen[Symbol.iterator]();
  const lane = async () => {
    for (;;) {
      const n = it.next();
      if (n.done) return;
      const c = n.value;
      const r = await pool.run({ id: nextId++, input: c.input, maxPages: c.maxPages, accept: c.accept, alt: c.alt });
      each(c, expected(c, r));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
}

export async function runCampaign(o: CampaignOptions): Promise<CampaignReport> {
  const t0 = performance.now();
  const wasm = new Uint8Array(readFileSync(o.wasmPath));
  const imageSha256 = createHash("sha256").update(wasm).digest("hex");
  const minPages = memoryLimits(wasm).min;
  const pool = new Pool({ size: o.jobs, wasmPath: o.wasmPath, baseMs: o.baseMs });
  const reports: ProfileReport[] = [];
  let done = 0, seq = 0, workerDeaths = 0;
  try {
    for (const name of o.profiles) {
      const p0 = performance.now();
      const f: Fixture = fixture(name);
      const rep: ProfileReport = { profile: name, total: zero(), byKind: [], failures: [], trapMessages: new Map(), refusedStatuses: new Map(), inUseBytes: null, ms: 0 };
      const kinds = new Map<string, KindCounts>();
      const each = (c: FuzzCase, r: CaseResult) => {
        add(rep.total, r);
        let k = kinds.get(c.kind);
        if (!k) kinds.set(c.kind, (k = { kind: c.kind, ...zero() }));
        add(k, r);
        if (r.outcome === "trap") rep.trapMessages.set(r.message ?? "?", (rep.trapMessages.get(r.message ?? "?") ?? 0) + 1);
        if (r.outcome === "refused") { const s = (r.status ?? "").replace(/ field=.*/, ""); rep.refusedStatuses.set(s, (rep.refusedStatuses.get(s) ?? 0) + 1); }
        if (failed(r)) {
          const fl: Failure = { profile: name, kind: c.kind, name: c.name, result: r };
          if (o.reproDir) fl.repro = writeRepro(o.reproDir, c, r, ++seq, imageSha256);
          rep.failures.push(fl);
        }
        o.onProgress?.(++done, name, c.kind);
      };
      // The baselines first (small scene, then the shipped table and geometry): they must run
      // clean, and the shipped one's log names the memory in use (for the RAM cases).
      const streams = streamCases(f, o.truncationStride ?? 1);
      for (let k = 0; k < 2; k++) {
        const c = streams.next().value as FuzzCase;
        const b = await pool.run({ id: nextId++, input: c.input, maxPages: c.maxPages, accept: c.accept, alt: c.alt, wantLog: true });
        each(c, expected(c, b));
        const m = /memory in use (\d+)/.exec(b.log ?? "");
        if (k === 1) rep.inUseBytes = m ? Number(m[1]) : null;
      }
      await drive(pool, ramCases(f, minPages, rep.inUseBytes), o.jobs, each);
      const subset = o.bandSubset?.(f.geometry.bands);
      await drive(pool, boundaryTables(f, subset), o.jobs, each);
      if (o.structuredStreams !== false) await drive(pool, streams, o.jobs, each);
      await drive(pool, randomTables(f, o.tables, o.seed), o.jobs, each);
      await drive(pool, randomStreams(f, o.streams, o.seed), o.jobs, each);
      rep.byKind = [...kinds.values()];
      rep.ms = performance.now() - p0;
      reports.push(rep);
    }
  } finally {
    workerDeaths = pool.workerDeaths;
    await pool.close();
  }
  return { profiles: reports, imageSha256, seed: o.seed, tables: o.tables, streams: o.streams, ms: performance.now() - t0, workerDeaths };
}
