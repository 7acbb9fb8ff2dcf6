// tengri keygen, tengri sign and tengri flash --key/--version/--flash-dir/--mac-key: what they
// write, what the bootloader makes of it, and every ordinary mistake as one line with its exit code.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createPrivateKey, createPublicKey, sign as cryptoSign, verify as cryptoVerify } from "node:crypto";
import { loadProfile } from "../../../host/profiles/index.ts";
import { verifyImage, signedMessage, SIGNED_HEADER_LEN } from "../../../host/obc/image.ts";
import { Bootloader, checkImage } from "../../../host/boot/bootloader.ts";
import { readBootState, NO_TRIAL, FLASH_FILES } from "../../../host/boot/flash-dir.ts";
import { rawPublicKey } from "../../../host/boot/keys.ts";
import { ed25519Verify } from "../../../host/boot/ed25519.ts";
import { FLIGHT_WASM } from "../../../host/pass.ts";

const BIN = fileURLToPath(new URL("../../../bin/tengri.mjs", import.meta.url));
const tengri = (args: string[], cwd: string) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", cwd, timeout: 60_000 });
const p = loadProfile("cubesat-mcu");
const oneLine = (r: { stderr: string }, re: RegExp) => {
  assert.match(r.stderr, re);
  assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
  assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
};

test("[tengri §keys] keygen writes an Ed25519 pair (PKCS#8, 0600 / SPKI) and a 32-octet MAC key (0600), and never overwrites them", () => {
  const cwd = mkdtempSync(join(tmpdir(), "tengri-keys-"));
  const r = tengri(["keygen", "--out", "k"], cwd);
  assert.equal(r.status, 0, r.stderr);
  const priv = createPrivateKey(readFileSync(join(cwd, "k/mission.key")));
  assert.equal(priv.asymmetricKeyType, "ed25519");
  assert.match(readFileSync(join(cwd, "k/mission.key"), "utf8"), /^-----BEGIN PRIVATE KEY-----/);
  assert.equal(statSync(join(cwd, "k/mission.key")).mode & 0o777, 0o600);
  const pub = createPublicKey(readFileSync(join(cwd, "k/mission.pub")));
  assert.deepEqual(rawPublicKey(pub), rawPublicKey(priv));
  assert.equal(readFileSync(join(cwd, "k/mac.key")).length, 32);
  assert.equal(statSync(join(cwd, "k/mac.key")).mode & 0o777, 0o600);
  // Keys sign and verify through node:crypto and through the bootloader's own Ed25519.
  const m = Buffer.from("tengri");
  const sig = cryptoSign(null, m, priv);
  assert.equal(cryptoVerify(null, m, pub, sig), true);
  assert.equal(ed25519Verify(rawPublicKey(pub), m, sig), true);
  const before = readFileSync(join(cwd, "k/mission.key"), "utf8");
  const again = tengri(["keygen", "--out", "k"], cwd);
  assert.equal(again.status, 1);
  oneLine(again, /never overwritten/);
  assert.equal(readFileSync(join(cwd, "k/mission.key"), "utf8"), before);
  const partial = mkdtempSync(join(tmpdir(), "tengri-keys-"));
  writeFileSync(join(partial, "mac.key"), "x");
  assert.equal(tengri(["keygen", "--out", partial], cwd).status, 1);
  assert.equal(existsSync(join(partial, "mission.key")), false, "nothing written when one file is there");
  oneLine(tengri(["keygen"], cwd), /missing --out/);
  assert.equal(tengri(["keygen"], cwd).status, 2);
});

test("[tengri §keys] flash --key --version signs; sign re-signs with a new version; the signature covers header and module and the bootloader accepts it with the ROM key only", () => {
  const cwd = mkdtempSync(join(tmpdir(), "tengri-sign-"));
  assert.equal(tengri(["keygen", "--out", "k"], cwd).status, 0);
  assert.equal(tengri(["keygen", "--out", "k2"], cwd).status, 0);
  const rom = rawPublicKey(createPrivateKey(readFileSync(join(cwd, "k/mission.key"))));
  const r = tengri(["flash", FLIGHT_WASM, "--profile", "cubesat-mcu", "-o", "a.img", "--version", "7", "--key", "k/mission.key"], cwd);
  assert.equal(r.status, 0, r.stderr);
  const a = new Uint8Array(readFileSync(join(cwd, "a.img")));
  const b = verifyImage(a, p);
  assert.equal(b.version, 7);
  assert.ok(b.signature);
  assert.equal(ed25519Verify(rom, signedMessage(a), b.signature.signature), true);
  assert.equal(checkImage(a, p, rom).ok, true);
  const other = rawPublicKey(createPrivateKey(readFileSync(join(cwd, "k2/mission.key"))));
  assert.equal(checkImage(a, p, other).ok, false);
  // Unsigned, then signed by tengri sign with another version.
  assert.equal(tengri(["flash", FLIGHT_WASM, "--profile", "cubesat-mcu", "-o", "u.img"], cwd).status, 0);
  const u = new Uint8Array(readFileSync(join(cwd, "u.img")));
  assert.equal(verifyImage(u, p).signature, null);
  assert.equal(verifyImage(u, p).version, 0);
  const s = tengri(["sign", "u.img", "--key", "k/mission.key", "--version", "8", "-o", "s.img"], cwd);
  assert.equal(s.status, 0, s.stderr);
  const si = new Uint8Array(readFileSync(join(cwd, "s.img")));
  assert.equal(verifyImage(si, p).version, 8);
  assert.equal(checkImage(si, p, rom, 7).ok, true);
  assert.equal((si[10] << 8) | si[11], SIGNED_HEADER_LEN);
  assert.deepEqual(new Uint8Array(readFileSync(join(cwd, "u.img"))), u, "-o leaves IMAGE alone");
  // In place, replacing a signature.
  assert.equal(tengri(["sign", "s.img", "--key", "k2/mission.key"], cwd).status, 0);
  const re = new Uint8Array(readFileSync(join(cwd, "s.img")));
  assert.equal(checkImage(re, p, other, 7).ok, true);
  assert.equal(checkImage(re, p, rom).ok, false);
  // Ordinary mistakes.
  const cases: [string[], number, RegExp][] = [
    [["sign", "u.img"], 2, /missing --key/],
    [["sign", "--key", "k/mission.key"], 2, /missing IMAGE/],
    [["sign", "u.img", "--key", "k/mission.pub"], 2, /not a PKCS#8 private key/],
    [["sign", "u.img", "--key", "nope.key"], 1, /--key: nope.key: no such file/],
    [["sign", FLIGHT_WASM, "--key", "k/mission.key"], 2, /WebAssembly module, not a flashed image/],
    [["sign", "k/mac.key", "--key", "k/mission.key"], 2, /not a Tengri flight image/],
    [["sign", "u.img", "--key", "k/mission.key", "--version", "-1"], 2, /--version must be/],
    [["flash", "--profile", "cubesat-mcu", "-o", "x.img", "--version", "4294967296"], 2, /--version must be ≤ 4294967295/],
  ];
  for (const [args, code, re] of cases) {
    const x = tengri(args, cwd);
    assert.equal(x.status, code, `${args.join(" ")}: ${x.stderr}`);
    oneLine(x, re);
  }
  const bad = u.slice(); bad[u.length - 5] ^= 1; writeFileSync(join(cwd, "bad.img"), bad);
  const t = tengri(["sign", "bad.img", "--key", "k/mission.key"], cwd);
  assert.equal(t.status, 3);
  oneLine(t, /SHA-256 does not match/);
});

test("[tengri §boot] flash --flash-dir provisions a payload flash the bootloader boots; mistakes are named with their exit code", () => {
  const cwd = mkdtempSync(join(tmpdir(), "tengri-prov-"));
  assert.equal(tengri(["keygen", "--out", "k"], cwd).status, 0);
  const r = tengri(["flash", FLIGHT_WASM, "--profile", "cubesat-mcu", "--key", "k/mission.key", "--version", "3", "--mac-key", "k/mac.key", "--flash-dir", "fl"], cwd);
  assert.equal(r.status, 0, r.stderr);
  const dir = join(cwd, "fl");
  assert.deepEqual(readBootState(dir).state, { active: 0, trial: NO_TRIAL, trialBoots: 0, highestConfirmed: 3 });
  const mac = readFileSync(join(cwd, "k/mac.key"));
  assert.deepEqual([...readFileSync(join(dir, FLASH_FILES.keys))], [0, 1, 32, ...mac]);
  const c = new Bootloader(dir, { profile: p }).boot();
  assert.ok(c && c.slot === 0 && c.image.version === 3);
  const cases: [string[], number, RegExp][] = [
    [["flash", "--profile", "cubesat-mcu", "--key", "k/mission.key", "--flash-dir", "fl"], 1, /already a provisioned flash directory/],
    [["flash", "--profile", "cubesat-mcu", "--flash-dir", "fl2"], 2, /--flash-dir needs --key/],
    [["flash", "--profile", "cubesat-mcu", "-o", "x.img", "--mac-key", "k/mac.key"], 2, /--mac-key goes with --flash-dir/],
    [["flash", "--profile", "cubesat-mcu", "--key", "k/mission.key", "--mac-key", "k/mission.pub", "--flash-dir", "fl3"], 2, /a MAC key is 32/],
    [["flash", "--profile", "cubesat-mcu", "--key", "k/mission.key", "--flash-dir", "k/mac.key"], 1, /exists and is not a folder/],
    [["flash", "--profile", "cubesat-mcu"], 2, /missing -o IMAGE.bin \(or --flash-dir DIR\)/],
  ];
  for (const [args, code, re] of cases) {
    const x = tengri(args, cwd);
    assert.equal(x.status, code, `${args.join(" ")}: ${x.stderr}`);
    oneLine(x, re);
  }
  assert.equal(existsSync(join(cwd, "fl2")), false);
  assert.equal(existsSync(join(cwd, "fl3")), false);
});
