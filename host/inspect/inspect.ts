// `tengri inspect`: everything a reviewer asks of a flight image, read from its octets.
// A `.wasm` module or a flashed image (host/obc/image.ts: 128-octet header, then the module).
import { createHash } from "node:crypto";
import { IMAGE_MAGIC, IMAGE_HEADER_LEN, IMAGE_FORMAT, IMAGE_VERSION_OFFSET, ALLOWED_IMPORTS, WASM_PAGE, ImageError, readSignature } from "../obc/image.ts";
import { parseModule, typeString, withoutCustomSection, WasmError, type Module } from "./wasm.ts";
import { scanFeatures, callGraph, type FeatureReport, type CallGraphReport } from "./analyze.ts";

export const BUILD_SECTION = "tengri.build";

export interface BuildInfo { format: number; commit: string; dirty: boolean; sourceHash: string; buildId: string; compiler: string }

export interface FlightRule { rule: string; ok: boolean; detail: string }

export interface InspectReport {
  file: string;
  kind: "wasm" | "image";
  bytes: number;
  sha256: string;
  /** codeSha256: the module without its tengri.build record (the same for every commit of the same sources). */
  module: { bytes: number; sha256: string; codeSha256: string };
  image?: {
    format: number; headerBytes: number; moduleSha256Matches: boolean; buildId: string; profile: string; ramBytes: number;
    /** The anti-rollback version (0 before issue 11); the signer's Ed25519 public key (hex), null unsigned (host/boot/README.md). */
    version: number; signerKey: string | null;
  };
  buildId: string | null;
  commit: string | null;
  dirty: boolean | null;
  sourceHash: string | null;
  buildInfo: BuildInfo | null;
  profile?: string;
  ramBytes?: number;
  imports: { module: string; name: string; kind: string; type?: string }[];
  exports: { name: string; kind: string; type?: string }[];
  features: FeatureReport;
  memory: { min: number; max: number | null; minBytes: number; maxBytes: number | null; pageBytes: number } | null;
  dataSegments: { count: number; bytes: number; active: number; passive: number };
  sections: { name: string; id: number; bytes: number }[];
  functions: { imported: number; defined: number };
  callGraph: CallGraphReport;
  flightRules: FlightRule[];
  cost?: unknown;
}

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const ascii = (b: Uint8Array) => { const z = b.indexOf(0); return Buffer.from(b.subarray(0, z < 0 ? b.length : z)).toString("latin1"); };

export function isFlashedImage(b: Uint8Array): boolean { return b.length >= IMAGE_MAGIC.length && IMAGE_MAGIC.every((x, i) => b[i] === x); }

/** The tengri.build section of a module, or null (a module built before it existed, or by another tool). */
export function readBuildInfo(m: Module): BuildInfo | null {
  const c = m.custom.filter((x) => x.name === BUILD_SECTION).at(-1);
  if (!c) return null;
  try {
    const j = JSON.parse(Buffer.from(m.bytes.subarray(c.payloadStart, c.end)).toString("utf8"));
    return typeof j?.commit === "string" && typeof j?.buildId === "string" ? j : null;
  } catch { return null; }
}

/** SHA-256 of the module without its tengri.build record: equal for two builds of the same sources at different commits. */
export function codeSha256(wasm: Uint8Array): string { return sha(withoutCustomSection(wasm, BUILD_SECTION)); }

/** The build id a module records (for tengri flash's default), or null. */
export function moduleBuildId(wasm: Uint8Array): string | null {
  try { return readBuildInfo(parseModule(wasm))?.buildId ?? null; } catch { return null; }
}

/**
 * Splits a flashed image into its header and module, checking the header (format, lengths,
 * SHA-256). Throws ImageError (exit 3) for an image that is not what its header says.
 */
export function openImage(b: Uint8Array): { wasm: Uint8Array; header: NonNullable<InspectReport["image"]> } {
  if (b.length < IMAGE_HEADER_LEN) throw new ImageError("truncated", `image file is ${b.length} bytes, shorter than its ${IMAGE_HEADER_LEN}-byte header (truncated)`);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const format = dv.getUint16(8), hlen = dv.getUint16(10), wlen = dv.getUint32(12);
  if (format !== IMAGE_FORMAT) throw new ImageError("format", `image format ${format} is not supported (expected ${IMAGE_FORMAT})`);
  if (hlen < IMAGE_HEADER_LEN || b.length !== hlen + wlen) throw new ImageError("truncated", `image holds ${b.length - hlen} module bytes, its header says ${wlen} (truncated or extended)`);
  const wasm = b.subarray(hlen);
  const matches = Buffer.from(b.subarray(16, 48)).toString("hex") === sha(wasm);
  if (!matches) throw new ImageError("checksum", "image SHA-256 does not match its module: tampered or corrupted");
  const sig = readSignature(b);
  return { wasm, header: { format, headerBytes: hlen, moduleSha256Matches: matches, buildId: ascii(b.subarray(48, 80)), profile: ascii(b.subarray(80, 112)), ramBytes: dv.getUint32(112), version: dv.getUint32(IMAGE_VERSION_OFFSET), signerKey: sig ? Buffer.from(sig.publicKey).toString("hex") : null } };
}

export function inspect(file: string, b: Uint8Array): InspectReport {
  const flashed = isFlashedImage(b);
  const { wasm, header } = flashed ? openImage(b) : { wasm: b, header: undefined };
  const m = parseModule(wasm);
  const info = readBuildInfo(m);
  const features = scanFeatures(m);
  const graph = callGraph(m);
  const mem = m.memories[0];
  const fnImports = m.imports.filter((i) => i.kind === "function");
  const badImports = fnImports.filter((i) => i.module !== "wasi_snapshot_preview1" || !ALLOWED_IMPORTS.has(i.name));
  const otherImports = m.imports.filter((i) => i.kind !== "function");
  const beyond = features.used.filter((f) => f !== "mvp");
  const rules: FlightRule[] = [
    { rule: "no recursion", ok: !graph.recursion,
      detail: graph.recursion ? `${graph.cycles.length} cycle(s) in the call graph: ${graph.cycles.map((c) => c.join(" → ")).join("; ")}` : `the call graph has no cycle (direct calls and call_indirect's possible targets), maximum depth ${graph.maxDepth}` },
    { rule: "imports only the allowed WASI functions", ok: badImports.length === 0 && otherImports.length === 0,
      detail: badImports.length || otherImports.length ? `imports ${[...badImports, ...otherImports].map((i) => `${i.module}.${i.name} (${i.kind})`).join(", ")}` : `${fnImports.map((i) => i.name).join(", ") || "nothing"} from wasi_snapshot_preview1` },
    { rule: "WebAssembly 1.0 features only", ok: beyond.length === 0,
      detail: beyond.length ? `uses ${beyond.map((f) => `${f} (${features.instructions[f] ?? "structure"}${features.instructions[f] ? " instructions" : ""})`).join(", ")}` : `all ${features.totalInstructions.toLocaleString("en-US")} instructions are MVP` },
  ];
  const ft = (t?: number) => (t === undefined ? undefined : typeString(m.types[t]));
  const r: InspectReport = {
    file, kind: flashed ? "image" : "wasm", bytes: b.length, sha256: sha(b),
    module: { bytes: wasm.length, sha256: sha(wasm), codeSha256: codeSha256(wasm) },
    ...(header ? { image: header } : {}),
    buildId: header?.buildId ?? info?.buildId ?? null,
    commit: info?.commit ?? null, dirty: info?.dirty ?? null, sourceHash: info?.sourceHash ?? null, buildInfo: info,
    ...(header ? { profile: header.profile, ramBytes: header.ramBytes } : {}),
    imports: m.imports.map((i) => ({ module: i.module, name: i.name, kind: i.kind, ...(i.type !== undefined ? { type: ft(i.type) } : {}) })),
    exports: m.exports.map((e) => ({ name: e.name, kind: e.kind, ...(e.kind === "function" ? { type: ft(m.funcTypes[e.index]) } : {}) })),
    features,
    memory: mem ? { min: mem.min, max: mem.max, minBytes: mem.min * WASM_PAGE, maxBytes: mem.max === null ? null : mem.max * WASM_PAGE, pageBytes: WASM_PAGE } : null,
    dataSegments: { count: m.data.length, bytes: m.data.reduce((s, d) => s + d.bytes, 0), active: m.data.filter((d) => d.mode === "active").length, passive: m.data.filter((d) => d.mode === "passive").length },
    sections: m.sections.map((s) => ({ name: s.id === 0 ? `custom "${s.customName}"` : s.name, id: s.id, bytes: s.size })),
    functions: { imported: m.importedFuncs, defined: m.bodies.length },
    callGraph: graph,
    flightRules: rules,
  };
  return r;
}

export { WasmError };
