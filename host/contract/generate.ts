// Generates every copy of the host–flight wire contract from host/contract/contract.json:
//   assembly/abi/status.ts        the flight status table
//   assembly/abi/contract.ts      flight offsets, lengths, versions and the table's range checks
//   host/contract/contract.gen.ts the host's typed copy of the definition
//   hardware-profiles/schema.json the product sections (ccsds121, screening, ccsds123)
//   README.md                     the wire-format tables between <!-- contract:NAME --> markers
// `npm run contract` writes them; `--check` (run by npm test) fails when any is stale.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { layoutBlocks, type Contract, type FieldDef, type StructDef, type BlockDef } from "./layout.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const read = (p: string) => readFileSync(root + p, "utf8");
const contract = JSON.parse(read("host/contract/contract.json")) as Contract;
// A version field takes its value from `versions`: each version is stated once.
for (const s of [contract.busRecord, contract.housekeeping, ...contract.configTable.blocks]) {
  for (const f of s.fields) if (f.version) f.value = contract.versions[f.version];
}
const HEADER = "// GENERATED from host/contract/contract.json by host/contract/generate.ts — do not edit; run `npm run contract`.\n";

const snake = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/([A-Z])([A-Z][a-z])/g, "$1_$2").toUpperCase();

// ---- flight: status table ----------------------------------------------------------------
function statusTs(): string {
  const out = [HEADER, "// The one table of flight status codes (DESIGN §4). A status >= 0 is a count; < 0 is one of",
    "// these, grouped by module. \"Need more input\" and \"need more output space\" are ordinary outcomes.", ""];
  let module = "";
  for (const s of contract.statuses) {
    if (s.module !== module) { module = s.module; out.push(`// ${module}`); }
    out.push(`export const ${s.name}: i32 = ${s.code}; // ${s.meaning}${s.clause ? ` (${s.clause})` : ""}`);
  }
  return out.join("\n") + "\n";
}

// ---- flight: offsets, lengths, range checks ----------------------------------------------
function loadExpr(t: string, at: string): string {
  switch (t) {
    case "u8": return `<i64>load<u8>(${at})`;
    case "u16": return `<i64>loadU16BE(${at})`;
    case "u32": return `<i64>loadU32BE(${at})`;
    case "i32": return `<i64><i32>loadU32BE(${at})`;
    default: throw new Error(`no range check for type ${t}`);
  }
}

function whenExpr(w: string | undefined): string {
  if (!w) return "";
  const m = /^(\w+)=([\d|]+)$/.exec(w);
  if (!m) throw new Error(`bad when: ${w}`);
  // coder=X: the field matters when the table may run product X: the boot coder, or a mode in
  // the commanding block's `modes` (ST[8] function 3 may switch to it; its buffers are carved at boot).
  if (m[1] === "coder") return `(coders & ${m[2].split("|").reduce((a, x) => a | (1 << Number(x)), 0)}) != 0`;
  const v = m[1] === "screenEnabled" ? "screen" : m[1] === "panEnabled" ? "pan" : null;
  if (!v) throw new Error(`when on ${m[1]} is not supported`);
  return m[2].split("|").map((x) => `${v} == ${x}`).join(" || ");
}

function contractTs(): string {
  const blocks = contract.configTable.blocks;
  const out = [HEADER, "// The host–flight wire contract: versions, block lengths, field offsets (octets from the start",
    "// of their block), and the configuration table's per-field range checks. Cross-field rules",
    "// (frame type widths, RS lengths, APID clashes, geometry) stay in assembly/abi/config-table.ts.",
    'import { loadU16BE, loadU32BE } from "../util/be";', 'import { setDetail } from "./control";', 'import { E_CFG_BAD_VALUE } from "./status";', ""];
  out.push(`export const CONFIG_VERSION: u32 = ${contract.versions.configTable};`);
  out.push(`export const BUS_RECORD_VERSION: u32 = ${contract.versions.busRecord};`);
  out.push(`export const HK_VERSION: u8 = ${contract.versions.housekeeping};`, "");
  for (const b of blocks) {
    const len = blockLen(b);
    out.push(`// block ${b.name}${b.repeat ? ` (per ${b.repeat.replace(/s$/, "")}, ${b.stride} octets each)` : ` (${len} octets)`}`);
    out.push(`export const ${snake(b.name)}_${b.repeat ? "STRIDE" : "LEN"}: i32 = ${b.repeat ? b.stride : len};`);
    for (const f of b.fields) out.push(`export const OFF_${snake(f.name)}: i32 = ${f.offset};`);
  }
  out.push("", "/** Octets of a configuration table for this many bands (CRC included). */");
  out.push(`export function configTableLen(bands: i32): i32 { return ${fixedSum(blocks)} + ${strideSum(blocks)} * bands; }`);
  for (const [i, b] of blocks.entries()) {
    const before = blocks.slice(0, i);
    out.push(`@inline export function ${b.name}BlockAt(bands: i32): i32 { return ${fixedSum(before)}${strideSum(before) ? ` + ${strideSum(before)} * bands` : ""}; }`);
  }
  for (const [key, s] of Object.entries(structs())) {
    out.push("", `// ${s.title}`);
    for (const f of s.fields) if (typeof f.offset === "number") out.push(`export const ${snake(key)}_OFF_${snake(f.name)}: i32 = ${f.offset};`);
    const last = [...s.fields].reverse().find((f) => typeof f.offset === "number")!;
    if (last !== s.fields[s.fields.length - 1]) out.push(`export const ${snake(key)}_HEADER_LEN: i32 = ${last.offset as number};`);
    else if (last.type !== "bytes" || last.len) out.push(`export const ${snake(key)}_LEN: i32 = ${(last.offset as number) + size(last)};`);
    else out.push(`export const ${snake(key)}_FIXED_LEN: i32 = ${last.offset};`);
  }
  for (const b of blocks.filter((x) => x.fields.some((f) => f.word))) {
    out.push("", `// ${b.name}: parameter word indices (i32 words of the block, in order)`);
    const first = b.fields.find((f) => f.word)!.offset as number;
    for (const f of b.fields) if (f.word) out.push(`export const ${f.word}: i32 = ${((f.offset as number) - first) / 4}; // ${f.name}${f.doc ? `: ${f.doc}` : ""}`);
  }
  const hk = contract.housekeeping.fields.filter((f) => f.counter);
  out.push("", "// Housekeeping counters: index i is the u32 at HOUSEKEEPING_OFF_" + snake(hk[0].name) + " + 4·i of the packet data field.");
  hk.forEach((f, i) => out.push(`export const HKC_${snake(f.name)}: i32 = ${i};`));
  out.push(`export const HKC_COUNT: i32 = ${hk.length};`);

  out.push("", "/**", " * Checks every field of the table that has a range or an allowed set (contract.json), in table",
    " * order; a field that only matters for a coder or for screening is checked only then. Returns 0,",
    " * or E_CFG_BAD_VALUE with the field's offset in the table, the value found and the limit broken in",
    " * the control block (the allowed values are in the contract, by offset).", " */",
    "export function checkConfigFields(ptr: usize, bands: i32): i32 {",
    `  const coder = <i32>load<u8>(ptr + <usize>(codecBlockAt(bands) + OFF_CODER));`,
    `  const coders = ((1 << (coder & 31)) | <i32>load<u8>(ptr + <usize>(commandingBlockAt(bands) + OFF_MODES))) & 7;   // the products the table may run`,
    `  const screen = <i32>load<u8>(ptr + <usize>(screeningBlockAt(bands) + OFF_SCREEN_ENABLED));`,
    `  const pan = <i32>load<u8>(ptr + <usize>(panchromaticBlockAt(bands) + OFF_PAN_ENABLED));`,
    "  let at: i32 = 0;", "  let v: i64 = 0;");
  for (const b of blocks) {
    const checked = b.fields.filter((f) => f.min !== undefined || f.enum || f.bits || f.value !== undefined);
    if (!checked.length) continue;
    const base = `${b.name}BlockAt(bands)`;
    const body: string[] = [];
    for (const f of checked) {
      if (f.type === "f32" || f.type === "bytes") continue;
      if (f.name === "version" || f.name === "tableLen") continue;              // checked first, with their own statuses
      const cond = whenExpr(f.when);
      const lines: string[] = [];
      lines.push(`at = ${b.repeat ? `${base} + ${b.stride} * i + OFF_${snake(f.name)}` : `${base} + OFF_${snake(f.name)}`}; v = ${loadExpr(f.type, "ptr + <usize>at")};`);
      if (f.value !== undefined) lines.push(`if (v != ${f.value}) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, ${f.value}, at);`);
      else if (f.enum) {
        const vals = Object.keys(f.enum).map(Number);
        lines.push(`if (${vals.map((x) => `v != ${x}`).join(" && ")}) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, ${vals[vals.length - 1]}, at);`);
      } else if (f.bits) {
        const mask = Object.keys(f.bits).map(Number).reduce((a, x) => a | x, 0);
        lines.push(`if ((v & ~${mask}) != 0) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, ${mask}, at);`);
      } else {
        const min = f.min!, max = f.max!;
        const tmin = typeMin(f.type), tmax = typeMax(f.type);
        const parts: string[] = [];
        if (min > tmin) parts.push(`v < ${min}`);
        if (max < tmax) parts.push(`v > ${max}`);
        if (!parts.length) continue;
        const limit = parts.length === 2 ? `v < ${min} ? ${min} : ${max}` : min > tmin ? `${min}` : `${max}`;
        lines.push(`if (${parts.join(" || ")}) return setDetail(E_CFG_BAD_VALUE, at, <i32>v, ${limit}, at);`);
      }
      body.push(...(cond ? [`if (${cond}) {`, ...lines.map((l) => "  " + l), "}"] : lines));
    }
    if (!body.length) continue;
    out.push(`  // ${b.name}`);
    if (b.repeat) out.push("  for (let i = 0; i < bands; i++) {", ...body.map((l) => "    " + l), "  }");
    else out.push(...body.map((l) => "  " + l));
  }
  out.push("  return 0;", "}");
  return out.join("\n") + "\n";
}

function typeMin(t: string): number { return t === "i32" ? -(2 ** 31) : 0; }
function typeMax(t: string): number { return t === "u8" ? 255 : t === "u16" ? 65535 : t === "u32" ? 2 ** 32 - 1 : 2 ** 31 - 1; }
function size(f: FieldDef): number { return f.type === "bytes" ? f.len ?? 0 : f.type === "u8" ? 1 : f.type === "u16" ? 2 : 4; }
function blockLen(b: BlockDef): number { const l = b.fields[b.fields.length - 1]; return (l.offset as number) + size(l); }
function fixedSum(bs: BlockDef[]): number { return bs.filter((b) => !b.repeat).reduce((a, b) => a + blockLen(b), 0); }
function strideSum(bs: BlockDef[]): number { return bs.filter((b) => b.repeat).reduce((a, b) => a + (b.stride ?? 0), 0); }
function structs(): Record<string, StructDef> {
  return { busRecord: contract.busRecord, lineHeader: contract.lineHeader, unitHeader: contract.unitHeader, tileStatistics: contract.tileStatistics, housekeeping: contract.housekeeping, controlBlock: contract.controlBlock };
}

// ---- library build: the flight parser's read-back of every field --------------------------
function readBackTs(): string {
  const out = [HEADER, "// Library build only: the flight parser's view of a table, field by field (contract order), so the",
    "// host can check that what it compiled is what the flight code reads (tests/host/contract).",
    'import { Config, parseConfig, bandApid } from "../abi/config-table";', 'import { loadU32BE } from "../util/be";',
    'import { SCREENING_LEN, CALIBRATION_STRIDE } from "../abi/contract";', 'import { controlBlock } from "../abi/control";', "",
    "const cfg = new Config();", "",
    "/** Parses a table with the flight parser (status as at boot). */",
    "export function cfgParse(ptr: usize, len: i32): i32 { return parseConfig(ptr, len, cfg); }", "",
    "/** Word i of the control block (contract.controlBlock): status, field, found, expected, offset. */",
    "export function cfgDetail(i: i32): i32 { return load<i32>(controlBlock + (<usize>(i & 7) << 2)); }", "",
    "/** The parsed value of field `id` (its index in the contract's table fields), band `band` for per-band fields; NaN if not kept. */",
    "export function cfgReadBack(id: i32, band: i32): f64 {", "  switch (id) {"];
  let id = 0;
  for (const b of contract.configTable.blocks) {
    for (const f of b.fields) {
      let e: string | null = f.flight ?? null;
      if (!e && b.name === "screening") e = `<i32>loadU32BE(cfg.screenBlockPtr + ${f.offset})`;
      if (!e && b.name === "ccsds123") e = `<i32>loadU32BE(cfg.hyperBlockPtr + ${f.offset})`;
      if (!e && b.name === "calibration") e = `reinterpret<f32>(loadU32BE(cfg.screenBlockPtr + <usize>(SCREENING_LEN + CALIBRATION_STRIDE * band + ${f.offset})))`;
      if (e) out.push(`    case ${id}: return <f64>(${e}); // ${b.name}.${f.name}`);
      id++;
    }
  }
  out.push("    default: return NaN;", "  }", "}");
  return out.join("\n") + "\n";
}

// ---- host: typed copy ----------------------------------------------------------------------
function hostTs(): string {
  const fields = contract.configTable.blocks.flatMap((b) => b.fields.map((f) => f.name));
  const hk = contract.housekeeping.fields.filter((f) => f.counter).map((f) => f.name);
  return [HEADER,
    "// The host's copy of the wire contract (host/contract/contract.json), typed.",
    'import type { Contract } from "./layout.ts";', "",
    `export const CONTRACT: Contract = ${JSON.stringify(contract)};`, "",
    `export const CONFIG_VERSION = ${contract.versions.configTable};`,
    `export const BUS_RECORD_VERSION = ${contract.versions.busRecord};`,
    `export const HK_VERSION = ${contract.versions.housekeeping};`, "",
    "/** Every field of the configuration table, by name (per-band fields hold one value per band). */",
    `export type ConfigFieldName = ${fields.map((f) => JSON.stringify(f)).join(" | ")};`,
    `export type StatusName = ${contract.statuses.map((s) => JSON.stringify(s.name)).join(" | ")};`,
    `export const STATUS = { ${contract.statuses.map((s) => `${s.name}: ${s.code}`).join(", ")} } as const;`,
    `export const HK_COUNTERS = ${JSON.stringify(hk)} as const;`,
    "/** Parameter word indices of the screener (P_*) and of the CCSDS 123 compressor (PRM_*), as in the flight code. */",
    `export const WORD = { ${contract.configTable.blocks.flatMap((b) => b.fields.filter((f) => f.word).map((f) => `${f.word}: ${((f.offset as number) - (b.fields.find((x) => x.word)!.offset as number)) / 4}`)).join(", ")} } as const;`,
    "export type HkCounter = (typeof HK_COUNTERS)[number];", ""].join("\n");
}

// ---- profile schema: product sections ------------------------------------------------------
function schemaJson(): string {
  const schema = JSON.parse(read("hardware-profiles/schema.json"));
  const image = schema.properties.products.properties.image;
  for (const [key, sec] of Object.entries(contract.profileOptions)) {
    const props: Record<string, unknown> = {};
    for (const [name, o] of Object.entries(sec.options)) {
      const p: Record<string, unknown> = { type: o.type };
      for (const k of ["enum", "minimum", "maximum", "default"] as const) if (o[k] !== undefined) p[k] = o[k];
      p.description = [o.doc, o.unit ? `[${o.unit}]` : "", o.clause ? `(${o.clause})` : "", `→ table field ${o.table}`].filter(Boolean).join(" ");
      props[name] = p;
    }
    image.properties[key] = { type: "object", description: `${sec.doc} (generated from host/contract/contract.json)`, additionalProperties: false, properties: props };
  }
  image.additionalProperties = false;
  return JSON.stringify(schema, null, 2) + "\n";
}

// ---- README tables -------------------------------------------------------------------------
function fmtRange(f: FieldDef): string {
  if (f.value !== undefined) return `= ${f.value}`;
  if (f.enum) return Object.entries(f.enum).map(([k, v]) => `${k} ${v}`).join(", ");
  if (f.bits) return Object.entries(f.bits).map(([k, v]) => `${k}: ${v}`).join(", ");
  if (f.min !== undefined) return `${f.min} … ${f.max}`;
  return "";
}
function structTable(s: StructDef): string {
  const rows = ["| offset | type | field | values | unit | notes |", "|---|---|---|---|---|---|"];
  for (const f of s.fields) rows.push(`| ${f.offset} | ${f.type}${f.len ? `[${f.len}]` : ""} | ${f.name} | ${fmtRange(f)} | ${f.unit ?? ""} | ${[f.doc, f.clause ? `${f.clause}` : ""].filter(Boolean).join("; ")} |`);
  return rows.join("\n");
}
function configTable(): string {
  const rows = [`Table version ${contract.versions.configTable}; length ${fixedSum(contract.configTable.blocks)} + ${strideSum(contract.configTable.blocks)} · bands octets.`, "",
    "| block at | offset | type | field | values (checked by the image) | unit | from the profile | notes |", "|---|---|---|---|---|---|---|---|"];
  for (const b of layoutBlocks(contract)) {
    for (const f of b.fields) {
      rows.push(`| ${b.name} ${b.at}${b.repeat ? ` + ${b.stride}·i` : ""} | ${f.offset} | ${f.type} | ${f.name} | ${fmtRange(f)}${f.when ? ` (when ${f.when})` : ""} | ${f.unit ?? ""} | ${f.profile ? `\`${f.profile}\`` : ""} | ${[f.doc, f.clause].filter(Boolean).join("; ")} |`);
    }
  }
  return rows.join("\n");
}
function optionsTable(): string {
  const rows = ["| option | type | default | allowed | unit | table field | notes |", "|---|---|---|---|---|---|---|"];
  for (const sec of Object.values(contract.profileOptions)) {
    for (const [name, o] of Object.entries(sec.options)) {
      const allowed = o.enum ? o.enum.join(", ") : o.minimum !== undefined ? `${o.minimum} … ${o.maximum}` : "";
      rows.push(`| \`${sec.pointer}/${name}\` | ${o.type} | ${JSON.stringify(o.default)} | ${allowed} | ${o.unit ?? ""} | ${o.table} | ${[o.doc, o.clause].filter(Boolean).join("; ")} |`);
    }
  }
  return rows.join("\n");
}
function statusTable(): string {
  const rows = ["| code | name | module | meaning |", "|---|---|---|---|"];
  for (const s of contract.statuses) rows.push(`| ${s.code} | ${s.name} | ${s.module} | ${s.meaning}${s.clause ? ` (${s.clause})` : ""} |`);
  return rows.join("\n");
}
function readme(): string {
  let text = read("README.md");
  const tables: Record<string, string> = {
    busRecord: structTable(contract.busRecord), lineHeader: structTable(contract.lineHeader), configTable: configTable(), profileOptions: optionsTable(),
    unitHeader: structTable(contract.unitHeader), tileStatistics: structTable(contract.tileStatistics), housekeeping: structTable(contract.housekeeping), statuses: statusTable(),
  };
  for (const [name, table] of Object.entries(tables)) {
    const re = new RegExp(`(<!-- contract:${name} -->\\n)[\\s\\S]*?(<!-- /contract:${name} -->)`);
    if (!re.test(text)) throw new Error(`README.md has no <!-- contract:${name} --> … <!-- /contract:${name} --> markers`);
    text = text.replace(re, (_m, a, b) => `${a}${table}\n${b}`);
  }
  return text;
}

const outputs: [string, () => string][] = [
  ["assembly/abi/status.ts", statusTs], ["assembly/abi/contract.ts", contractTs], ["assembly/lib/config.ts", readBackTs], ["host/contract/contract.gen.ts", hostTs],
  ["hardware-profiles/schema.json", schemaJson], ["README.md", readme],
];
const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== "--check");
if (unknown.length) { console.error(`contract: unknown option ${unknown.join(" ")} (usage: npm run contract [-- --check])`); process.exit(2); }
const check = args.includes("--check");
let stale = 0;
for (const [file, make] of outputs) {
  const want = make();
  let have = "";
  try { have = read(file); } catch { /* missing */ }
  if (want === have) continue;
  if (check) { console.error(`contract: ${file} is stale: run npm run contract`); stale++; }
  else { writeFileSync(root + file, want); console.log(`contract: wrote ${file}`); }
}
if (check && !stale) console.log("contract: every generated file is current");
process.exit(stale ? 1 : 0);
