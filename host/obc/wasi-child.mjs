// Runs one verified flight image under node:wasi in its own process, with the payload bus on
// fd 0, the transmitter on fd 1 and the event log on fd 2 — exactly what any WASI runtime
// would give it. Plain JavaScript so it starts fast. Exit codes: the image's own, or
// 70 for a trap (an OBC crash), 71 for a scripted reset.
//
// Optional, for the OBC emulator (host/obc/watchdog.ts, faults.ts), enabled by environment:
//   TENGRI_OBC_CTL=3       fd 3 is a control pipe to the parent: one JSON message per line
//                          (faults applied, timing statistics at exit). Never the image's fds.
//   TENGRI_OBC_FAULTS=JSON scripted faults [{ at, kind, address?, bit? }]: applied at the first
//                          bus read made once `at` octets of stdin were consumed. kind "seu"
//                          flips bit `bit` of linear-memory octet `address` (mod the memory
//                          size); "hang" blocks the image for ever (a stuck OBC, for the
//                          watchdog); "reset" ends the process with 71 (a spontaneous reboot).
//   TENGRI_OBC_FLASH=dir   the flash directory, preopened as "/flash" (see below).
//   TENGRI_OBC_FAULT_FILE=path  the same list in a file the parent rewrites (atomically) while
//                          the image runs; re-read at every bus read while it is set, so the
//                          parent can schedule a fault at an offset it has not written yet.
// Timing: the wrapper around fd_read measures the time the image spends between bus reads
// (its processing time, fd_write included) apart from the time it waits for input.
import { readFileSync, writeSync } from "node:fs";
import { WASI } from "node:wasi";

const [imagePath] = process.argv.slice(2);
const file = readFileSync(imagePath);
const headerLen = file.readUInt16BE(10);
const wasm = file.subarray(headerLen);
const ctlFd = process.env.TENGRI_OBC_CTL ? Number(process.env.TENGRI_OBC_CTL) : -1;
let faults = process.env.TENGRI_OBC_FAULTS ? JSON.parse(process.env.TENGRI_OBC_FAULTS).sort((a, b) => a.at - b.at) : [];
const faultFile = process.env.TENGRI_OBC_FAULT_FILE;
let faultFileText = "";
function reloadFaults() {
  let t;
  try { t = readFileSync(faultFile, "utf8"); } catch { return; }
  if (t === faultFileText) return;
  try {
    const list = JSON.parse(t);
    faultFileText = t;
    // Faults already applied keep their place: the file only ever grows.
    faults = faults.slice(0, fi).concat(list.slice(fi).sort((a, b) => a.at - b.at));
  } catch { /* a partial file: read again next time */ }
}
const ctl = (msg) => { if (ctlFd >= 0) { try { writeSync(ctlFd, JSON.stringify(msg) + "\n"); } catch { /* parent gone */ } } };

// TENGRI_OBC_FLASH=dir: the emulated payload flash, handed to the image as the WASI preopen
// "/flash" (keys, anti-replay state, slots, upload window). Absent: no preopen at all, and the image
// refuses commanding and uploads (counted) but runs its passes as before.
const flashDir = process.env.TENGRI_OBC_FLASH;
const wasi = new WASI({ version: "preview1", args: ["flight"], env: {}, stdin: 0, stdout: 1, stderr: 2, returnOnExit: true, ...(flashDir ? { preopens: { "/flash": flashDir } } : {}) });
const imports = wasi.getImportObject();
const w = imports.wasi_snapshot_preview1;
const realRead = w.fd_read;
let instance = null;
let consumed = 0, reads = 0, busyMs = 0, maxBusyMs = 0, waitMs = 0, fi = 0;
let lastReturn = -1;
const t0 = performance.now();

function applyFaults() {
  while (fi < faults.length && consumed >= faults[fi].at) {
    const f = faults[fi++];
    if (f.kind === "seu") {
      const mem = new Uint8Array(instance.exports.memory.buffer);
      const addr = ((f.address % mem.length) + mem.length) % mem.length;
      const before = mem[addr];
      mem[addr] ^= 1 << (f.bit & 7);
      ctl({ type: "fault", kind: "seu", at: f.at, consumed, address: addr, bit: f.bit & 7, before, after: mem[addr], memoryBytes: mem.length });
    } else if (f.kind === "hang") {
      ctl({ type: "fault", kind: "hang", at: f.at, consumed });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // blocks for ever: only the watchdog ends this
    } else if (f.kind === "reset") {
      ctl({ type: "fault", kind: "reset", at: f.at, consumed });
      stats();
      process.exit(71);
    }
  }
}

// The image's configuration refusal (contract.controlBlock layout, little-endian i32s) when it
// exports one: how a refused table reaches the host as data, never as log text. Looked at on
// every bus read (the image reads again right after refusing a table) and at exit; reported once
// per refusal.
let refusalAt = -1, lastRefusal = "";
function refusal() {
  if (refusalAt === -1) {
    const f = instance && instance.exports.tengri_config_refusal;
    refusalAt = typeof f === "function" ? f() >>> 0 : -2;
  }
  if (refusalAt < 0) return;
  const dv = new DataView(instance.exports.memory.buffer);
  if (refusalAt + 20 > dv.byteLength || dv.getInt32(refusalAt, true) === 0) return;
  const w = [0, 4, 8, 12, 16].map((o) => dv.getInt32(refusalAt + o, true));
  const key = w.join(",");
  if (key === lastRefusal) return;
  lastRefusal = key;
  ctl({ type: "refusal", status: w[0], field: w[1], found: w[2], expected: w[3], offset: w[4] });
}

function stats() {
  ctl({ type: "stats", reads, consumed, busyMs, maxBusyMs, waitMs, wallMs: performance.now() - t0, cpu: process.cpuUsage(), node: process.version, v8: process.versions.v8, execArgv: process.execArgv });
}

w.fd_read = (fd, iovs, iovsLen, nreadPtr) => {
  const now = performance.now();
  if (lastReturn >= 0) { const b = now - lastReturn; busyMs += b; if (b > maxBusyMs) maxBusyMs = b; }
  if (fd === 0 && ctlFd >= 0) refusal();
  if (fd === 0 && faultFile) reloadFaults();
  if (fd === 0 && fi < faults.length) applyFaults();
  const r = realRead(fd, iovs, iovsLen, nreadPtr);
  if (fd === 0 && r === 0) {
    consumed += new DataView(instance.exports.memory.buffer).getUint32(nreadPtr, true);
    reads++;
  }
  lastReturn = performance.now();
  waitMs += lastReturn - now;
  return r;
};

try {
  instance = new WebAssembly.Instance(new WebAssembly.Module(wasm), imports);
  const code = wasi.start(instance);
  if (lastReturn >= 0) { const b = performance.now() - lastReturn; busyMs += b; if (b > maxBusyMs) maxBusyMs = b; }
  refusal();
  stats();
  process.exitCode = code ?? 0;
} catch (e) {
  process.stderr.write(`tengri-obc: TRAP ${e && e.message ? e.message : String(e)}\n`);
  stats();
  process.exitCode = 70;
}
