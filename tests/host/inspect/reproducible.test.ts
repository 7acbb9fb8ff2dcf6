// The build is reproducible: two clones of the same commit, in two different folders, built with
// the project's own build (host/build.mjs), give byte-identical flight images (build/flight.wasm), and the images
// record that commit (not dirty). A change to a source makes the recorded commit "-dirty" with
// another source hash: the image never claims a commit it was not built from.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseModule } from "../../../host/inspect/wasm.ts";
import { readBuildInfo } from "../../../host/inspect/inspect.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const git = (args: string[], cwd = ROOT) => spawnSync("git", args, { cwd, encoding: "utf8" });
const isGit = git(["rev-parse", "--verify", "HEAD"]).status === 0;

/**
 * Builds the release flight image in dir with the project's build (host/build.mjs: its flight image
 * target and its source-identity step), the debug image left out to halve the time; resolves with
 * the exit status and output.
 */
function buildRelease(dir: string): Promise<{ status: number | null; out: string }> {
  const script = `import { projectTargets, build } from ${JSON.stringify(pathToFileURL(join(dir, "host/build.mjs")).href)};
    const root = ${JSON.stringify(dir)};
    const t = projectTargets(root).find((x) => x.name === "flight image");
    const release = { ...t, outputs: ["build/flight.wasm"], commands: t.commands.filter((c) => c.includes("release")) };
    if (release.commands.length !== 1) { console.error("no release command in the flight image target"); process.exit(9); }
    process.exit(build([release], { root, force: true }).status);`;
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ["--input-type=module", "-e", script], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (out += d));
    const timer = setTimeout(() => p.kill("SIGKILL"), 540_000);
    p.on("close", (status) => { clearTimeout(timer); resolve({ status, out }); });
  });
}

test("[tengri §inspect §reproducible] two builds of one commit in different folders give byte-identical flight images that record that commit (a source change marks it dirty)", { skip: isGit ? false : "not a git checkout: the test clones the commit" }, async () => {
  const head = git(["rev-parse", "HEAD"]).stdout.trim();
  const base = mkdtempSync(join(tmpdir(), "tengri-repro-"));
  try {
    // When this checkout's own image was built from exactly HEAD (a clean tree: npm test builds
    // first), it is the first of the two builds, in another folder; else two clones are built.
    let own: Buffer | null = null;
    try { own = readFileSync(join(ROOT, "build/flight.wasm")); } catch { /* not built here */ }
    const ownInfo = own ? readBuildInfo(parseModule(own)) : null;
    const useOwn = !!own && ownInfo?.commit === head;
    const dirs = useOwn ? [join(base, "clone-a")] : [join(base, "a"), join(base, "clone-b")];
    for (const d of dirs) {
      const c = git(["clone", "-q", "--depth", "1", pathToFileURL(ROOT).href, d], base);
      assert.equal(c.status, 0, c.stderr);
      assert.equal(git(["rev-parse", "HEAD"], d).stdout.trim(), head);
      symlinkSync(join(ROOT, "node_modules"), join(d, "node_modules"));
    }
    const runs = await Promise.all(dirs.map((d) => buildRelease(d)));
    for (const r of runs) assert.equal(r.status, 0, r.out);
    const images = [...(useOwn ? [own!] : []), ...dirs.map((d) => readFileSync(join(d, "build/flight.wasm")))];
    assert.equal(images.length, 2);
    assert.ok(images[0].length > 1000);
    assert.ok(images[0].equals(images[1]), `build/flight.wasm: the two builds differ (${useOwn ? "this checkout's and a clone's" : "two clones'"})`);
    const info = readBuildInfo(parseModule(readFileSync(join(dirs[0], "build/flight.wasm"))));
    assert.ok(info, "the image records its source");
    assert.equal(info.commit, head);
    assert.equal(info.dirty, false);
    assert.equal(info.buildId, `tengri-${head.slice(0, 12)}`);

    // A source changed after the commit: the identity says dirty, with the sources' own hash.
    const dirtyDir = dirs[dirs.length - 1];
    appendFileSync(join(dirtyDir, "assembly", "flight.ts"), "\n// a local change\n");
    const probe = `import { sourceIdentity, projectTargets } from ${JSON.stringify(pathToFileURL(join(dirtyDir, "host/build.mjs")).href)};
      import { createHash } from "node:crypto"; import { readFileSync, existsSync } from "node:fs"; import { join } from "node:path";
      const root = ${JSON.stringify(dirtyDir)};
      const t = projectTargets(root).find((x) => x.name === "flight image");
      const files = Object.fromEntries(t.inputs().map((f) => [f, existsSync(join(root, f)) ? createHash("sha256").update(readFileSync(join(root, f))).digest("hex") : "missing"]));
      console.log(JSON.stringify(sourceIdentity(root, files)));`;
    const p = spawnSync(process.execPath, ["--input-type=module", "-e", probe], { encoding: "utf8" });
    assert.equal(p.status, 0, p.stderr);
    const dirty = JSON.parse(p.stdout);
    assert.equal(dirty.commit, `${head}-dirty`);
    assert.equal(dirty.dirty, true);
    assert.notEqual(dirty.sourceHash, info.sourceHash);
    assert.match(dirty.buildId, new RegExp(`^tengri-${head.slice(0, 12)}-d${dirty.sourceHash.slice(0, 8)}$`));
    assert.ok(dirty.buildId.length <= 32, "fits the flash header's 32 octets");
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});
