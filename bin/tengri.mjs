#!/usr/bin/env node
// `tengri` / `npx tengri`: runs the TypeScript CLI (host/cli.ts) through tsx, in this process (no
// child process of its own: a signal to this process reaches the command itself).
const [major] = process.versions.node.split(".").map(Number);
if (major < 20) {
  console.error(`tengri: Node.js ${process.versions.node} is too old: Node.js 20 or later is needed`);
  process.exit(1);
}
let register;
try {
  ({ register } = await import("tsx/esm/api"));
} catch {
  console.error("tengri: tsx not found: run npm install");
  process.exit(1);
}
register();
await import("../host/cli.ts");
