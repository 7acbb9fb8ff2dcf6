#!/usr/bin/env node
// `tengri` / `npx tengri`: runs the TypeScript CLI through tsx.
import { register } from "tsx/esm/api";
register();
await import("../host/cli.ts");
