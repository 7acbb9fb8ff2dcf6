// The shape of report.json: the pass summary (PassSummary, unchanged at the top level so that
// readers of the summary keep working) plus `report`, everything else the HTML shows.
import type { PassSummary } from "../pass.ts";
import type { LinkEvent } from "../ground/link-decoder.ts";
import type { TimelineJson } from "./timeline.ts";

/** 2: `verdict` (checks, headline) and `downlink.backlog`; keepsUp and backlogS from the backlog figures. */
export const REPORT_VERSION = 2;

export interface QuicklookJson {
  kind: "true" | "false";
  /** Band names shown as R, G, B. */
  bands: [string, string, string];
  sent: string;
  ground: string;
  /** Rows of the arrived image painted magenta: a band of the composite was lost on a line the row stands for. */
  rowsLost: number;
  /** Rows inside a commanded stop of acquisition (grey, not lost); absent when none. */
  rowsStopped?: number;
}

export interface ReportExtras {
  version: number;
  generatedUtc: string;
  runtime: { node: string; v8: string; wasi: string; execArgv: string[]; platform: string };
  profile: {
    name: string; description: string; bands: { name: string; centreNm: number }[]; pixelsPerLine: number; bitDepth: number; lineRateHz: number;
    frameType: string; frameLength: number; rsE: number; rsDepth: number; caduLen: number; downlinkBitRate: number; storeBytes: number; compression: string;
  };
  quicklook: {
    width: number; height: number; pixelStride: number; lineStride: number; lostColour: string;
    stretch: { band: string; low: number; high: number }[];
    composites: QuicklookJson[];
  };
  timeline: TimelineJson;
  budget: {
    rawBitRate: number; downlinkBitRate: number; rawToDownlink: number; passDurationS: number; linkTimeS: number; backlogS: number;
    backlogBytes: number; storeBytes: number; storeFillPct: number; hkBacklogFrames: number | null; hkBacklogBytes: number | null;
  };
  realtime: { wallS: number; passDurationS: number; /** pass duration / wall time: > 1 is faster than real time. */ factor: number; realTime: boolean };
  compression: {
    mode: string;
    /** false: raw mode, every ratio is 1 by construction. */
    measured: boolean;
    overallRatio: number;
    perBand: { band: string; ratio: number; bitsPerSample: number; codedBits: number; rawBits: number }[];
    /** Later: ratio per segment (e.g. per compressed unit or tile). */
    perSegment: { segment: number; ratio: number }[];
  };
  events: { counts: Record<string, number>; total: number; listedMax: number; first: LinkEvent[] };
  housekeeping: { packets: number; last: Record<string, number | string> | null };
  lostLinesListed: number;
  /** Cloud screening, when the pass had it: the overlay quicklook, tile decisions seen, the pass summary's screening figures. */
  screening: {
    overlay: string; maskRows: number; tilesSeen: number; decisions: Record<string, number>;
    summary: Record<string, number | boolean> | null;
  } | null;
}

export type ReportJson = PassSummary & { report: ReportExtras };
