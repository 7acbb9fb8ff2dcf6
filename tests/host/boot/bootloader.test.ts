// The emulated bootloader (host/boot/bootloader.ts) on a provisioned flash directory: update,
// trial boot, confirmation, fallback, every refusal, and the fault campaign of issue 11 item 5
// (power loss during the slot and boot.bin writes, truncated uploads and slots, corrupted
// boot.bin): the payload always boots an image, and never one that failed a check.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, truncateSync, existsSync, statSync, rmSync } from "node:fs";
import { join } from "node:path";
import { loadProfile } from "../../../host/profiles/index.ts";
import { Bootloader, checkImage, MAX_TRIAL_BOOTS, type BootChoice } from "../../../host/boot/bootloader.ts";
import { FLASH_FILES, readBootState, PowerLoss, BOOT_RECORD_LEN, BOOT_RECORD_FILE_LEN, NO_TRIAL } from "../../../host/boot/flash-dir.ts";
import { provisionFlashDir, ProvisionError } from "../../../host/boot/provision.ts";
import { flash, signedMessage, IMAGE_HEADER_LEN, SIGNED_HEADER_LEN } from "../../../host/obc/image.ts";
import { signImage } from "../../../host/boot/keys.ts";
import { missionKey, otherKey, romKey, flightWasm, exitingWasm, signed, newFlashDir, requestUpload, writeConfirm, sha256 } from "./helpers.ts";

const p = loadProfile("cubesat-mcu");
const v1 = signed(flightWasm(), p, 1);
const v2 = signed(flightWasm(), p, 2);
const bad2 = signed(exitingWasm(1), p, 2, missionKey, "fails-self-test");
const bl = (dir: string, o: { powerBudget?: number } = {}) => new Bootloader(dir, { profile: p, ...o });
const kinds = (b: Bootloader) => b.events.map((e) => e.kind);

/** The invariant of every fault test: a choice, whose octets pass every check with the ROM key. */
function assertVerifiedBoot(c: BootChoice | null, what: string): BootChoice {
  assert.ok(c, `${what}: no image booted`);
  const r = checkImage(c.file, p, romKey);
  assert.ok(r.ok, `${what}: booted an image that fails its checks (${r.ok ? "" : r.message})`);
  return c;
}

test("[tengri §boot] provisioning: slot a active with the signed image, ROM key read-only, keys.bin 0600, boot.bin both copies; a provisioned folder is not overwritten", () => {
  const mac = new Uint8Array(32).fill(7);
  const dir = newFlashDir(p, v1, mac);
  const st = readBootState(dir);
  assert.deepEqual(st.state, { active: 0, trial: NO_TRIAL, trialBoots: 0, highestConfirmed: 1 });
  assert.equal(st.bothValid, true);
  assert.deepEqual(new Uint8Array(readFileSync(join(dir, FLASH_FILES.rom))), romKey);
  assert.equal(statSync(join(dir, FLASH_FILES.rom)).mode & 0o777, 0o444);
  assert.equal(statSync(join(dir, FLASH_FILES.keys)).mode & 0o777, 0o600);
  assert.deepEqual([...readFileSync(join(dir, FLASH_FILES.keys))], [0, 1, 32, ...mac]);
  const c = assertVerifiedBoot(bl(dir).boot(), "fresh");
  assert.equal(c.slot, 0); assert.equal(c.trial, false); assert.equal(c.image.version, 1);
  assert.throws(() => provisionFlashDir(dir, { image: v1, profile: p, romKey }), ProvisionError);
  // An image the bootloader would refuse is refused at provisioning.
  assert.throws(() => newFlashDir(p, signed(flightWasm(), p, 1, otherKey)), /refuse this image \(key\)/);
  assert.throws(() => newFlashDir(p, flash(flightWasm(), p, "u", 1)), /unsigned/);
});

test("[tengri §boot] update: upload accepted into the inactive slot, trial boot, confirmation makes it active with its version as the highest confirmed", () => {
  const dir = newFlashDir(p, v1);
  requestUpload(dir, v2);
  const b = bl(dir);
  assert.equal(b.processBootRequest(), true);
  assert.deepEqual(new Uint8Array(readFileSync(join(dir, FLASH_FILES.slotB))), v2);
  assert.equal(existsSync(join(dir, FLASH_FILES.upload)), false);
  assert.equal(existsSync(join(dir, FLASH_FILES.bootRequest)), false);
  const c = assertVerifiedBoot(b.boot(), "trial");
  assert.equal(c.slot, 1); assert.equal(c.trial, true); assert.equal(c.image.version, 2);
  writeConfirm(dir, v2);
  assert.equal(b.processConfirm(), true);
  assert.deepEqual(readBootState(dir).state, { active: 1, trial: NO_TRIAL, trialBoots: 0, highestConfirmed: 2 });
  const d = assertVerifiedBoot(b.boot(), "after confirm");
  assert.equal(d.slot, 1); assert.equal(d.trial, false);
  assert.deepEqual(kinds(b), ["update-requested", "update-accepted", "trial-boot", "confirmed", "boot"]);
  // The old image stays in slot a; going back to it now is a rollback.
  requestUpload(dir, v1);
  assert.equal(b.processBootRequest(), false);
  assert.equal(b.events.at(-1)!.reason, "rollback");
});

test("[tengri §boot] a trial image that confirms itself and then crashes or loses power: the confirmation counts at the next boot", () => {
  const dir = newFlashDir(p, v1);
  requestUpload(dir, v2);
  assert.equal(bl(dir).processBootRequest(), true);
  assert.equal(bl(dir).boot()!.trial, true);
  writeConfirm(dir, v2);
  const b = bl(dir); // power cycle: a new bootloader, no processConfirm call from the OBC
  const c = assertVerifiedBoot(b.boot(), "after the confirmed crash");
  assert.equal(c.slot, 1); assert.equal(c.trial, false);
  assert.deepEqual(kinds(b), ["confirmed", "boot"]);
  assert.equal(readBootState(dir).state!.highestConfirmed, 2);
});

test(`[tengri §boot] fallback: an image on trial that never confirms is booted ${MAX_TRIAL_BOOTS} times, then the previous slot boots and the failed one is erased`, () => {
  const dir = newFlashDir(p, v1);
  requestUpload(dir, bad2);
  const b = bl(dir);
  assert.equal(b.processBootRequest(), true);
  for (let i = 1; i <= MAX_TRIAL_BOOTS; i++) {
    const c = assertVerifiedBoot(b.boot(), `trial ${i}`);
    assert.equal(c.slot, 1); assert.equal(c.trial, true);
    assert.equal(readBootState(dir).state!.trialBoots, i);
  }
  const c = assertVerifiedBoot(b.boot(), "after the trials");
  assert.equal(c.slot, 0); assert.equal(c.trial, false); assert.equal(c.image.version, 1);
  assert.equal(statSync(join(dir, FLASH_FILES.slotB)).size, 0);
  assert.ok(kinds(b).includes("trial-abandoned"));
  assert.deepEqual(readBootState(dir).state, { active: 0, trial: NO_TRIAL, trialBoots: 0, highestConfirmed: 1 });
  // A confirm with the wrong digest never makes a trial image permanent.
  requestUpload(dir, v2);
  assert.equal(b.processBootRequest(), true);
  b.boot();
  writeConfirm(dir, bad2); // another module's digest (v1 and v2 share their module: only the header differs)
  assert.equal(b.processConfirm(), false);
  assert.equal(b.events.at(-1)!.kind, "confirm-refused");
  assert.equal(readBootState(dir).state!.trial, 1);
});

test("[tengri §boot] refused uploads: bad signature, another key, unsigned, wrong profile (RAM and name), older or equal version, digest mismatch — nothing written to a slot, slot a boots", () => {
  const flipHeader = v2.slice(); flipHeader[50] ^= 0x01; // build id: covered by the signature, not by the SHA-256
  // A module bit whose change still compiles (found from the end: the data segments), so only the signature can tell.
  let flipWasm = v2;
  for (let at = v2.length - 1; at > SIGNED_HEADER_LEN; at--) {
    const t = v2.slice(); t[at] ^= 0x10;
    if (WebAssembly.validate(t.subarray(SIGNED_HEADER_LEN))) { flipWasm = t; break; }
  }
  assert.notEqual(flipWasm, v2);
  flipWasm.set(sha256(flipWasm.subarray(SIGNED_HEADER_LEN)), 16); // SHA-256 recomputed: only the signature can tell
  const flipSig = v2.slice(); flipSig[IMAGE_HEADER_LEN + 40 + 10] ^= 0x80;
  const renamed = { ...p, name: "cubesat-mcu-b" };
  const cases: [string, Uint8Array, string, Uint8Array?][] = [
    ["header bit", flipHeader, "signature"],
    ["module bit, SHA-256 recomputed", flipWasm, "signature"],
    ["signature bit", flipSig, "signature"],
    ["another key", signed(flightWasm(), p, 2, otherKey), "key"],
    ["unsigned", flash(flightWasm(), p, "u", 2), "unsigned"],
    ["other profile's RAM", signed(flightWasm(), loadProfile("default"), 2), "container"],
    ["other profile's name, same RAM", signImage(flash(flightWasm(), renamed, "n", 2), missionKey), "profile"],
    ["same version", signed(flightWasm(), p, 1), "rollback"],
    ["older version", signed(flightWasm(), p, 0), "rollback"],
    ["declared digest differs", v2, "upload-digest", sha256(v1)],
    ["truncated by a byte", v2.subarray(0, v2.length - 1), "container"],
  ];
  for (const [what, img, reason, declared] of cases) {
    const dir = newFlashDir(p, v1);
    requestUpload(dir, img, declared);
    const b = bl(dir);
    assert.equal(b.processBootRequest(), false, what);
    assert.equal(b.events.at(-1)!.kind, "update-refused", what);
    assert.equal(b.events.at(-1)!.reason, reason, `${what}: ${b.events.at(-1)!.detail}`);
    assert.equal(existsSync(join(dir, FLASH_FILES.slotB)), false, what);
    assert.equal(existsSync(join(dir, FLASH_FILES.bootRequest)), false, `${what}: the request is consumed`);
    const c = assertVerifiedBoot(b.boot(), what);
    assert.equal(c.slot, 0, what); assert.equal(c.trial, false, what);
    rmSync(dir, { recursive: true, force: true });
  }
});

test("[tengri §boot] a one-bit change anywhere in the signed range (fixed header and module) of a signed container is refused", () => {
  const img = signed(exitingWasm(0), p, 5);
  assert.equal(checkImage(img, p, romKey).ok, true);
  const msgLen = signedMessage(img).length;
  let n = 0;
  for (let i = 0; i < msgLen; i++) {
    const at = i < IMAGE_HEADER_LEN ? i : SIGNED_HEADER_LEN + i - IMAGE_HEADER_LEN;
    for (let bit = 0; bit < 8; bit++) {
      const bad = img.slice(); bad[at] ^= 1 << bit;
      assert.equal(checkImage(bad, p, romKey).ok, false, `octet ${at} bit ${bit}`);
      n++;
    }
  }
  assert.equal(n, msgLen * 8);
});

test("[tengri §boot fault] upload.img truncated at every 1/8 of its length (power loss during the upload): refused, slot a boots", () => {
  for (let k = 0; k < 8; k++) {
    const cut = Math.floor((v2.length * k) / 8);
    for (const declared of ["full", "as-written"] as const) {
      const dir = newFlashDir(p, v1);
      const part = v2.subarray(0, cut);
      requestUpload(dir, part, declared === "full" ? sha256(v2) : sha256(part));
      const b = bl(dir);
      assert.equal(b.processBootRequest(), false, `${k}/8 ${declared}`);
      assert.equal(b.events.at(-1)!.reason, declared === "full" ? "upload-digest" : "container");
      const c = assertVerifiedBoot(b.boot(), `${k}/8`);
      assert.equal(c.slot, 0);
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test("[tengri §boot fault] power lost at every 1/8 of the update's flash writes and at every octet of its boot.bin write: the next boot runs slot a or the new image on trial, always verified", () => {
  const dir0 = newFlashDir(p, v1);
  requestUpload(dir0, v2);
  const full = bl(dir0);
  assert.equal(full.processBootRequest(), true);
  const total = full.flash.written;
  // The slot, boot.bin's two copies, then boot-record.bin (the outcome "upload accepted" for the next boot).
  assert.equal(total, v2.length + 2 * BOOT_RECORD_LEN + BOOT_RECORD_FILE_LEN);
  const budgets = new Set<number>();
  for (let k = 0; k <= 8; k++) budgets.add(Math.floor((v2.length * k) / 8));
  for (let j = 0; j <= 2 * BOOT_RECORD_LEN + BOOT_RECORD_FILE_LEN; j++) budgets.add(v2.length + j);
  const seen = new Set<string>();
  for (const budget of budgets) {
    const dir = newFlashDir(p, v1);
    requestUpload(dir, v2);
    const cut = bl(dir, { powerBudget: budget });
    let lost = false;
    try { cut.processBootRequest(); } catch (e) { assert.ok(e instanceof PowerLoss, String(e)); lost = true; }
    assert.equal(lost, budget < total, `budget ${budget}`);
    const c = assertVerifiedBoot(bl(dir).boot(), `power lost after ${budget} octets`);
    assert.ok((c.slot === 0 && !c.trial && c.image.version === 1) || (c.slot === 1 && c.trial && c.image.version === 2), `budget ${budget}: slot ${c.slot} trial ${c.trial}`);
    seen.add(`${c.slot}${c.trial}`);
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual([...seen].sort(), ["0false", "1true"]);
});

test("[tengri §boot fault] power lost at every octet of the confirmation's boot.bin write: the next boot runs the new image (confirmed or still on trial) or slot a, always verified", () => {
  for (let budget = 0; budget <= 2 * BOOT_RECORD_LEN; budget++) {
    const dir = newFlashDir(p, v1);
    requestUpload(dir, v2);
    const b = bl(dir);
    b.processBootRequest();
    b.boot();
    writeConfirm(dir, v2);
    const cut = bl(dir, { powerBudget: budget });
    try { cut.processConfirm(); } catch (e) { assert.ok(e instanceof PowerLoss); }
    const c = assertVerifiedBoot(bl(dir).boot(), `confirm cut at ${budget}`);
    assert.equal(c.image.version, 2, `budget ${budget}`);
    rmSync(dir, { recursive: true, force: true });
  }
});

test("[tengri §boot fault] the trial slot truncated at every 1/8 of its length: trial refused, slot a boots; the active slot truncated: the other verified slot boots; both bad: nothing boots", () => {
  for (let k = 0; k < 8; k++) {
    const dir = newFlashDir(p, v1);
    requestUpload(dir, v2);
    bl(dir).processBootRequest();
    truncateSync(join(dir, FLASH_FILES.slotB), Math.floor((v2.length * k) / 8));
    const b = bl(dir);
    const c = assertVerifiedBoot(b.boot(), `trial slot cut at ${k}/8`);
    assert.equal(c.slot, 0);
    assert.ok(kinds(b).includes("trial-image-invalid"));
    rmSync(dir, { recursive: true, force: true });
  }
  for (let k = 0; k < 8; k++) {
    const dir = newFlashDir(p, v1);
    requestUpload(dir, v2);
    const b0 = bl(dir);
    b0.processBootRequest(); b0.boot(); writeConfirm(dir, v2); b0.processConfirm(); // b active (v2), a holds v1
    truncateSync(join(dir, FLASH_FILES.slotB), Math.floor((v2.length * k) / 8));
    const b = bl(dir);
    const c = assertVerifiedBoot(b.boot(), `active slot cut at ${k}/8`);
    assert.equal(c.slot, 0); assert.equal(c.image.version, 1);
    assert.deepEqual(kinds(b), ["active-image-invalid", "recovery-boot"]);
    truncateSync(join(dir, FLASH_FILES.slotA), Math.floor((v1.length * k) / 8));
    const none = bl(dir);
    assert.equal(none.boot(), null);
    assert.equal(none.events.at(-1)!.kind, "no-bootable-image");
    rmSync(dir, { recursive: true, force: true });
  }
});

test("[tengri §boot fault] corrupted boot.bin: one copy (either) bad — same choice, repaired; both bad or file gone — state rebuilt from the slots, a verified image boots", () => {
  const setup = () => {
    const dir = newFlashDir(p, v1);
    requestUpload(dir, v2);
    bl(dir).processBootRequest(); // b on trial, 0 boots so far
    return dir;
  };
  for (const damage of ["copy a", "copy b", "both", "truncated to 20", "empty", "removed"] as const) {
    const dir = setup();
    const f = join(dir, FLASH_FILES.boot);
    const raw = new Uint8Array(readFileSync(f));
    if (damage === "copy a") { raw[9] ^= 4; writeFileSync(f, raw); }
    if (damage === "copy b") { raw[BOOT_RECORD_LEN + 5] ^= 1; writeFileSync(f, raw); }
    if (damage === "both") { raw[2] ^= 0xff; raw[BOOT_RECORD_LEN + 12] ^= 1; writeFileSync(f, raw); }
    if (damage === "truncated to 20") truncateSync(f, 20); // copy a intact, copy b torn
    if (damage === "empty") truncateSync(f, 0);
    if (damage === "removed") rmSync(f);
    const b = bl(dir);
    const c = assertVerifiedBoot(b.boot(), damage);
    if (damage === "copy a" || damage === "copy b" || damage === "truncated to 20") {
      assert.equal(c.slot, 1, damage); assert.equal(c.trial, true, damage);
      assert.equal(b.events[0].kind, "boot-state-repaired", damage);
    } else {
      assert.deepEqual(kinds(b).slice(0, 2), ["boot-state-lost", "boot-state-rebuilt"], damage);
      // Rebuilt: the newer image on trial, the older as the fallback.
      assert.equal(c.slot, 1, damage); assert.equal(c.trial, true, damage);
      assert.equal(readBootState(dir).state!.highestConfirmed, 1);
    }
    assert.equal(readBootState(dir).bothValid, true, `${damage}: both copies rewritten`);
    rmSync(dir, { recursive: true, force: true });
  }
  // boot.bin lost with one slot erased: the other boots.
  const dir = setup();
  rmSync(join(dir, FLASH_FILES.boot)); truncateSync(join(dir, FLASH_FILES.slotB), 0);
  const c = assertVerifiedBoot(bl(dir).boot(), "boot.bin and slot b lost");
  assert.equal(c.slot, 0); assert.equal(c.trial, false);
});

test("[tengri §boot] a missing or malformed ROM key stops the bootloader with a clear error (it never boots without its key)", () => {
  const dir = newFlashDir(p, v1);
  rmSync(join(dir, FLASH_FILES.rom), { force: true });
  assert.throws(() => bl(dir), /no bootloader ROM key/);
  writeFileSync(join(dir, FLASH_FILES.rom), new Uint8Array(31));
  assert.throws(() => bl(dir), /31 octets/);
});

test("[tengri §boot fault] power lost at every octet of the bootloader's own boot-time writes (trial counter, abandonment, repair of a copy, rebuild): the next boot still runs a verified image", () => {
  const scenarios: [string, (dir: string) => void][] = [
    ["trial counter", () => undefined],
    ["abandonment", (dir) => { const b = bl(dir); for (let i = 0; i < MAX_TRIAL_BOOTS; i++) b.boot(); }],
    ["repair of copy b", (dir) => { const f = join(dir, FLASH_FILES.boot); const r = new Uint8Array(readFileSync(f)); r[BOOT_RECORD_LEN + 3] ^= 1; writeFileSync(f, r); }],
    ["rebuild", (dir) => rmSync(join(dir, FLASH_FILES.boot))],
  ];
  for (const [what, prepare] of scenarios) {
    for (let budget = 0; budget <= 2 * BOOT_RECORD_LEN; budget++) {
      const dir = newFlashDir(p, v1);
      requestUpload(dir, v2);
      bl(dir).processBootRequest(); // slot b on trial
      prepare(dir);
      try { bl(dir, { powerBudget: budget }).boot(); } catch (e) { assert.ok(e instanceof PowerLoss, `${what} ${budget}: ${e}`); }
      const c = assertVerifiedBoot(bl(dir).boot(), `${what}, power lost after ${budget} octets`);
      assert.ok(c.slot === 0 || (c.slot === 1 && c.trial), `${what} ${budget}: slot ${c.slot} trial ${c.trial}`);
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
