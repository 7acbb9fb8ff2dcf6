// `tengri serve` started the way a user starts it (`npx tengri serve … &`, `node bin/tengri.mjs
// serve …`), then a signal to the process the user started (`kill %1`): the server, every process
// under it and its ports must be gone. Every wait is bounded.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** PATH without the node_modules/.bin entries npm puts in front of it when it runs a script. */
const USER_PATH = (process.env.PATH ?? "").split(":").filter((d) => !/node_modules[\\/]\.bin$/.test(d)).join(":");

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BIN = fileURLToPath(new URL("../../../bin/tengri.mjs", import.meta.url));
const linux = process.platform === "linux";

/** Two ports free now (bound to 0 by the OS, then released). */
async function freePorts(): Promise<[number, number]> {
  const one = () => new Promise<number>((res, rej) => { const s = createServer(); s.once("error", rej); s.listen(0, "127.0.0.1", () => { const a = s.address(); s.close(() => res(typeof a === "object" && a ? a.port : 0)); }); });
  const a = await one();
  let b = await one();
  while (b === a) b = await one();
  return [a, b];
}

/** Whether a listener can bind the port now. */
function bindable(port: number): Promise<boolean> {
  return new Promise((res) => { const s = createServer(); s.once("error", () => res(false)); s.listen(port, "127.0.0.1", () => s.close(() => res(true))); });
}

/** Every live descendant of pid (from /proc), with its command line. */
function descendants(pid: number): Map<number, string> {
  const parent = new Map<number, number>();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try { const s = readFileSync(`/proc/${d}/stat`, "utf8"); parent.set(Number(d), Number(s.slice(s.lastIndexOf(")") + 2).split(" ")[1])); } catch { /* gone */ }
  }
  const out = new Map<number, string>();
  let frontier = [pid];
  while (frontier.length) {
    const next: number[] = [];
    for (const [c, p] of parent) if (frontier.includes(p) && !out.has(c)) { out.set(c, cmdline(c)); next.push(c); }
    frontier = next;
  }
  return out;
}
function cmdline(pid: number): string { try { return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").trim(); } catch { return ""; } }
/** Alive and still the same program (a recycled pid is not ours). */
function alive(pid: number, cmd: string): boolean { const c = cmdline(pid); return c !== "" && c === cmd && !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z "); }

async function poll(cond: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) { if (await cond()) return true; if (Date.now() > end) return false; await new Promise((r) => setTimeout(r, 50)); }
}

/** Starts the command, waits for "bus … cadu …", signals the top process, checks nothing is left. */
async function startThenSignal(cmd: string, args: string[], o: { group?: boolean; signal?: NodeJS.Signals } = {}) {
  const [bus, cadu] = await freePorts();
  const child: ChildProcess = spawn(cmd, [...args, "serve", "--profile", "cubesat-mcu", "--bus-port", String(bus), "--cadu-port", String(cadu)], {
    cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], detached: !!o.group,
    // npx resolves tengri to this checkout; offline, so that the test never waits on a registry.
    // The user's own npx, as typed at a shell: under `npm test` PATH starts with node_modules/.bin,
    // where a dependency of as-pect ships npm 6's npx (which cannot find this checkout's bin).
    env: { ...process.env, PATH: USER_PATH, npm_config_offline: "true", npm_config_update_notifier: "false" },
  });
  let out = "", err = "";
  child.stdout!.setEncoding("utf8").on("data", (s: string) => { out += s; });
  child.stderr!.setEncoding("utf8").on("data", (s: string) => { err += s; });
  let tree = new Map<number, string>();
  try {
    const up = await poll(() => out.includes(`bus 127.0.0.1:${bus} cadu 127.0.0.1:${cadu}`) || child.exitCode !== null, 120_000);
    assert.ok(up && child.exitCode === null, `serve did not come up: ${out}\n${err}`);
    assert.equal(await bindable(bus), false, "the bus port is held while serving");
    tree = descendants(child.pid!);
    assert.ok([...tree.values()].some((c) => c.includes("wasi-child")), `the image runs under the top process: ${[...tree.values()].join(" | ")}`);
    if (o.group) process.kill(-child.pid!, o.signal ?? "SIGTERM"); // kill %1 in an interactive shell: the whole job
    else child.kill(o.signal ?? "SIGTERM");
    assert.ok(await poll(() => child.exitCode !== null || child.signalCode !== null, 30_000), "the top process ended");
    const left = () => [...tree].filter(([pid, c]) => alive(pid, c));
    assert.ok(await poll(() => left().length === 0, 30_000), `processes left behind: ${left().map(([p, c]) => `${p} ${c}`).join(" | ")}`);
    assert.ok(await poll(async () => (await bindable(bus)) && (await bindable(cadu)), 30_000), "both ports are free again");
    return { out, err, code: child.exitCode };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    for (const [pid, c] of tree) if (alive(pid, c)) try { process.kill(pid, "SIGKILL"); } catch { /* gone */ }
  }
}

test("[tengri §serve] node bin/tengri.mjs serve, then SIGTERM to it: server, image and ports all gone, exit 0", { skip: !linux && "reads /proc" }, async () => {
  const r = await startThenSignal(process.execPath, [BIN]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /closed \(SIGTERM\)/);
});

test("[tengri §serve] node bin/tengri.mjs serve, then SIGINT (Ctrl-C) to it: the same", { skip: !linux && "reads /proc" }, async () => {
  const r = await startThenSignal(process.execPath, [BIN], { signal: "SIGINT" });
  assert.equal(r.code, 0, r.err);
});

const npx = spawnSync("npx", ["--version"], { encoding: "utf8", env: { ...process.env, PATH: USER_PATH } }).status === 0;

test("[tengri §serve] npx tengri serve &, then kill of the npx process only: nothing is left behind (npm dies without passing the signal on)", { skip: (!linux && "reads /proc") || (!npx && "no npx") }, async () => {
  await startThenSignal("npx", ["tengri"]);
});

test("[tengri §serve] npx tengri serve &, then kill %1 of an interactive shell (SIGTERM to the whole job): nothing is left behind", { skip: (!linux && "reads /proc") || (!npx && "no npx") }, async () => {
  await startThenSignal("npx", ["tengri"], { group: true });
});
