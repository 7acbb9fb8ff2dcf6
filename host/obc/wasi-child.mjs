// Runs one verified flight image under node:wasi in its own process, with the payload bus on
// fd 0, the transmitter on fd 1 and the event log on fd 2 — exactly what any WASI runtime
// would give it. Plain JavaScript so it starts fast. Exit codes: the image's own, or
// 70 for a trap (an OBC crash).
import { readFileSync } from "node:fs";
import { WASI } from "node:wasi";

const [imagePath] = process.argv.slice(2);
const file = readFileSync(imagePath);
const headerLen = file.readUInt16BE(10);
const wasm = file.subarray(headerLen);
const wasi = new WASI({ version: "preview1", args: ["flight"], env: {}, stdin: 0, stdout: 1, stderr: 2, returnOnExit: true });
try {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm), wasi.getImportObject());
  const code = wasi.start(instance);
  process.exitCode = code ?? 0;
} catch (e) {
  process.stderr.write(`tengri-obc: TRAP ${e && e.message ? e.message : String(e)}\n`);
  process.exitCode = 70;
}
