// Validates a STAC item against the official JSON Schemas of STAC 1.0.0 and of each extension it
// declares (vendored in stac-schemas/, provenance there), with Ajv, offline.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import type { ValidateFunction } from "ajv";

// Ajv (draft-07, the STAC schemas' draft) ships CommonJS: the class sits on `.default` or is the module.
interface AjvLike { addSchema(s: object): unknown; getSchema(id: string): ValidateFunction | undefined }
const mod = createRequire(import.meta.url)("ajv") as { default?: unknown };
const Ajv = (mod.default ?? mod) as new (o: object) => AjvLike;

const DIR = fileURLToPath(new URL("./stac-schemas/", import.meta.url));
export const PROJJSON = "/usr/share/proj/projjson.schema.json";
export const haveProjJson = existsSync(PROJJSON);
const ITEM_ID = "https://schemas.stacspec.org/v1.0.0/item-spec/json-schema/item.json#";

let ajv: AjvLike | null = null;
function validator(): AjvLike {
  if (ajv) return ajv;
  // STAC's schemas use formats (date-time, uri, iri) beside their types: not asserted here (no ajv-formats).
  const a = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  for (const f of readdirSync(DIR).filter((n) => n.endsWith(".json"))) a.addSchema(JSON.parse(readFileSync(join(DIR, f), "utf8")));
  a.addSchema(JSON.parse(readFileSync(PROJJSON, "utf8")));
  return (ajv = a);
}

/** Errors of the item against the core schema and every extension schema it lists (empty: valid). */
export function stacErrors(item: { stac_extensions?: string[] }): string[] {
  const a = validator(), out: string[] = [];
  for (const id of [ITEM_ID, ...(item.stac_extensions ?? [])]) {
    const v = a.getSchema(id) ?? a.getSchema(`${id}#`);
    if (!v) { out.push(`${id}: no schema for it`); continue; }
    if (!v(item)) for (const e of v.errors ?? []) out.push(`${id}: ${e.instancePath || "/"} ${e.message}`);
  }
  return out;
}
