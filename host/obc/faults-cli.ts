// `npm run faults`: the fault-injection campaign on the emulated OBC (host/obc/faults.ts).
// Usage: tsx host/obc/faults-cli.ts [--profile P] [--lines N] [--seed S] [--seus N] [--pixels N] [--no-update] [--json]
// Exit: 0 when every fault was detected or harmless, nothing accepted was lost and every pass
// completed; 1 otherwise; 2 bad usage.
import { parseArgs } from "node:util";
import { loadProfile } from "../profiles/index.ts";
import { runCampaign, defaultCampaign, formatCampaign, describeFault } from "./faults.ts";

export async function faultsCommand(argv: string[]): Promise<number> {
  const { values: v } = parseArgs({ args: argv, options: {
    profile: { type: "string" }, lines: { type: "string" }, seed: { type: "string" }, seus: { type: "string" }, pixels: { type: "string" },
    "watchdog-ms": { type: "string" }, "no-update": { type: "boolean" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" },
  } });
  if (v.help) {
    console.log(`Usage: npm run faults -- [--profile P] [--lines N] [--seed S] [--seus N] [--pixels N] [--watchdog-ms MS] [--no-update] [--json]

Runs one short pass per injected fault on the emulated OBC (bus bit flips, a dropped and a
duplicated line, a reset and a hang at line N, single-event upsets at seeded addresses of the
image's memory) and prints what each did: detected or not, lines lost, recovered. Then the
commanding and update faults, each booted through the bootloader from a provisioned flash: an
upload segment changed after its MAC, an upload with a wrong SHA-256, an upload ended early,
power lost in the slot write, a signed image with a bit flipped (header, module), a replayed
command frame, a command flood with forged frames, a trial image failing its self-test or
hanging; each is judged on its expected detections and zero losses, and names the slots booted.
  --no-update leave out the commanding and update faults
  --profile   hardware profile (default cubesat-mcu)     --lines   lines per pass (default 120)
  --pixels    pixels per line override (default 256, keeps the campaign short)
  --seus      number of SEUs (default 8)                  --seed    SEU addresses (default 1)
Exit: 0 campaign OK, 1 a fault was neither detected nor harmless or lost accepted data, 2 bad usage.`);
    return 0;
  }
  const num = (x: string | undefined, name: string, def: number, min: number, max: number) => {
    if (x === undefined) return def;
    const n = Number(x);
    if (!Number.isInteger(n) || n < min || n > max) { console.error(`faults: --${name} must be an integer in [${min}, ${max}], got "${x}"`); throw Object.assign(new Error("usage"), { usage: true }); }
    return n;
  };
  let lines: number, seed: number, seus: number, pixels: number, wd: number;
  try {
    lines = num(v.lines, "lines", 120, 20, 1e6); seed = num(v.seed, "seed", 1, 0, 2 ** 31); seus = num(v.seus, "seus", 8, 0, 1000);
    pixels = num(v.pixels, "pixels", 256, 1, 65535); wd = num(v["watchdog-ms"], "watchdog-ms", 1500, 100, 600000);
  } catch { return 2; }
  const p = structuredClone(loadProfile(v.profile ?? "cubesat-mcu"));
  p.sensor.pixelsPerLine = pixels;
  const faults = defaultCampaign(lines, seed, seus, p.obc.ramBytes, !v["no-update"]);
  const c = await runCampaign(faults, { profile: p, lines, watchdogMs: wd }, v.json ? undefined : (r) => process.stderr.write(`  ${describeFault(r.fault)}: ${r.verdict}\n`));
  console.log(v.json ? JSON.stringify(c, null, 2) : formatCampaign(c));
  return c.ok ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  faultsCommand(process.argv.slice(2)).then((c) => { process.exitCode = c; }, (e) => { console.error(`faults: ${e instanceof Error ? e.message : e}`); process.exitCode = 1; });
}
