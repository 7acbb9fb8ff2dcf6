// The emulated bootloader of the payload computer (host/boot/README.md): chooses the slot to
// boot from boot.bin, checks every image before it runs (Ed25519 signature by the mission key in
// its ROM, SHA-256, profile binding, anti-rollback version), takes an uploaded image into the
// inactive slot on request, boots it on trial, makes it permanent when it confirms itself, and
// falls back to the previous slot after MAX_TRIAL_BOOTS boots without confirmation. Every step
// is an event (BootEvent) the OBC reports; before every boot the decision (slot, version, trial
// attempt, boot count, the previous boot's outcome) is handed to the image in boot-record.bin. It never boots an image that failed a check; it
// returns null only when no slot holds a verified image.
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Profile } from "../profiles/index.ts";
import { verifyImage, signedMessage, ImageError, type BootedImage } from "../obc/image.ts";
import { ed25519Verify } from "./ed25519.ts";
import {
  FLASH_FILES, FlashWriter, NO_TRIAL, otherSlot, readBootState, slotFile, slotName,
  readBootRecord, encodeBootRecordFile, reasonCode,
  type BootState, type Slot, type BootOutcome, type BootRecord,
} from "./flash-dir.ts";

/** Boots of an image on trial without its confirmation before the bootloader goes back to the previous slot. */
export const MAX_TRIAL_BOOTS = 3;

export type BootEventKind =
  | "boot" | "trial-boot" | "trial-abandoned" | "trial-image-invalid" | "active-image-invalid" | "recovery-boot" | "no-bootable-image"
  | "boot-state-repaired" | "boot-state-lost" | "boot-state-rebuilt"
  | "update-requested" | "update-accepted" | "update-refused"
  | "confirmed" | "confirm-refused";

export interface BootEvent {
  kind: BootEventKind;
  slot?: "a" | "b";
  version?: number;
  /** For refusals: the check that failed (CheckFailure["reason"]), or the request's fault. */
  reason?: string;
  detail: string;
}

export type CheckReason = "missing" | "container" | "unsigned" | "key" | "signature" | "profile" | "rollback";
export type CheckResult = { ok: true; image: BootedImage } | { ok: false; reason: CheckReason; message: string };

export interface BootChoice {
  slot: Slot;
  trial: boolean;
  /** The container's octets exactly as verified: boot these, not the file again. */
  file: Uint8Array;
  image: BootedImage;
}

export class BootRomError extends Error {
  constructor(message: string) { super(message); this.name = "BootRomError"; }
}

/** The mission public key in the bootloader's ROM (bootrom.key, 32 octets, written at provisioning). */
export function readBootRom(dir: string): Uint8Array {
  let b: Buffer;
  try { b = readFileSync(join(dir, FLASH_FILES.rom)); } catch { throw new BootRomError(`${join(dir, FLASH_FILES.rom)}: no bootloader ROM key (provision the flash directory with tengri flash --flash-dir)`); }
  if (b.length !== 32) throw new BootRomError(`${join(dir, FLASH_FILES.rom)} holds ${b.length} octets, not a 32-octet Ed25519 public key`);
  return new Uint8Array(b);
}

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/**
 * Every check the bootloader makes on a container: its structure and SHA-256 and the RAM it is
 * bound to (verifyImage), a signature block by the ROM key that verifies over the fixed header
 * and the module, the profile name, and (when given) a version above `minVersionExclusive`.
 */
export function checkImage(file: Uint8Array, profile: Profile, romKey: Uint8Array, minVersionExclusive?: number): CheckResult {
  let image: BootedImage;
  try { image = verifyImage(file, profile); } catch (e) {
    if (e instanceof ImageError || e instanceof WebAssembly.CompileError) return { ok: false, reason: "container", message: (e as Error).message };
    throw e;
  }
  if (!image.signature) return { ok: false, reason: "unsigned", message: "the image is not signed (tengri sign)" };
  if (hex(image.signature.publicKey) !== hex(romKey)) return { ok: false, reason: "key", message: `signed by key ${hex(image.signature.publicKey).slice(0, 16)}…, not the mission key ${hex(romKey).slice(0, 16)}…` };
  if (!ed25519Verify(romKey, signedMessage(file), image.signature.signature)) return { ok: false, reason: "signature", message: "the Ed25519 signature does not verify: tampered or corrupted" };
  if (image.profileName !== profile.name) return { ok: false, reason: "profile", message: `image flashed for profile ${image.profileName || "(unnamed)"}, this payload is ${profile.name}` };
  if (minVersionExclusive !== undefined && image.version <= minVersionExclusive) return { ok: false, reason: "rollback", message: `image version ${image.version} is not above the highest confirmed version ${minVersionExclusive}` };
  return { ok: true, image };
}

export interface BootloaderOptions {
  profile: Profile;
  /** Boots on trial before falling back (default MAX_TRIAL_BOOTS). */
  maxTrialBoots?: number;
  /** The ROM key; default: read from DIR/bootrom.key. */
  romKey?: Uint8Array;
  /** Fault tests: octets the bootloader may write before the power is lost (PowerLoss thrown). */
  powerBudget?: number;
  onEvent?(e: BootEvent): void;
}

export class Bootloader {
  readonly events: BootEvent[] = [];
  readonly romKey: Uint8Array;
  readonly maxTrialBoots: number;
  readonly flash: FlashWriter;
  constructor(readonly dir: string, private readonly o: BootloaderOptions) {
    this.romKey = o.romKey ?? readBootRom(dir);
    this.maxTrialBoots = o.maxTrialBoots ?? MAX_TRIAL_BOOTS;
    if (!Number.isInteger(this.maxTrialBoots) || this.maxTrialBoots < 1 || this.maxTrialBoots > 255) throw new RangeError(`maxTrialBoots must be in 1..255, got ${this.maxTrialBoots}`);
    this.flash = new FlashWriter(dir, o.powerBudget);
  }

  private event(e: BootEvent): void { this.events.push(e); this.o.onEvent?.(e); }

  private read(name: string): Uint8Array | null {
    try { return new Uint8Array(readFileSync(join(this.dir, name))); } catch { return null; }
  }

  checkSlot(slot: Slot, minVersionExclusive?: number): CheckResult & { file?: Uint8Array } {
    const file = this.read(slotFile(slot));
    if (!file || file.length === 0) return { ok: false, reason: "missing", message: `slot ${slotName(slot)} is empty` };
    const r = checkImage(file, this.o.profile, this.romKey, minVersionExclusive);
    return { ...r, file };
  }

  /** The boot state, repaired or rebuilt from the slots when a copy or both are bad. */
  private state(): BootState | null {
    const r = readBootState(this.dir);
    if (r.state) {
      if (!r.bothValid) {
        this.event({ kind: "boot-state-repaired", detail: `boot.bin copy ${r.copy === "a" ? "b" : "a"} was bad or stale; copy ${r.copy} used and both rewritten` });
        this.flash.writeBootState(r.state);
      }
      return r.state;
    }
    this.event({ kind: "boot-state-lost", detail: "neither copy of boot.bin holds a valid record: state rebuilt from the slots" });
    const a = this.checkSlot(0), b = this.checkSlot(1);
    let s: BootState;
    if (a.ok && b.ok) {
      // The newer one goes on trial (it confirms itself again if it is good); the older is the fallback.
      const newer: Slot = b.image.version > a.image.version ? 1 : 0;
      const older = otherSlot(newer);
      const olderImg = (older === 0 ? a : b) as { image: BootedImage };
      s = { active: older, trial: newer, trialBoots: 0, highestConfirmed: olderImg.image.version };
    } else if (a.ok || b.ok) {
      const only: Slot = a.ok ? 0 : 1;
      s = { active: only, trial: NO_TRIAL, trialBoots: 0, highestConfirmed: (a.ok ? a : (b as { image: BootedImage })).image.version };
    } else {
      return null;
    }
    this.flash.writeBootState(s);
    this.event({ kind: "boot-state-rebuilt", slot: slotName(s.active), detail: `active slot ${slotName(s.active)}, ${s.trial === NO_TRIAL ? "no trial" : `slot ${slotName(s.trial)} on trial`}, highest confirmed version ${s.highestConfirmed}` });
    return s;
  }

  /** What a refused upload is in the boot record (the contract's bootOutcome). */
  static refusalOutcome(reason: string): BootOutcome {
    return reason === "signature" || reason === "key" || reason === "unsigned" ? "rejected-signature"
      : reason === "upload-digest" ? "rejected-digest" : reason === "profile" ? "rejected-profile"
      : reason === "rollback" ? "rejected-rollback" : "rejected-other";
  }

  /**
   * boot-record.bin after the image's exit: the outcome of the boot that ended (confirmed, upload
   * accepted or refused), which the next boot hands on as "the outcome of the previous boot".
   */
  private recordOutcome(outcome: BootOutcome, detail: number): void {
    const r = readBootRecord(this.dir).record;
    const base: BootRecord = r ?? { slot: readBootState(this.dir).state?.active ?? 0, onTrial: false, trialAttempt: 0, trialMax: this.maxTrialBoots, prevOutcome: "normal", prevDetail: 0, outcome: "normal", detail: 0, version: 0, bootCount: 0 };
    this.flash.replace(FLASH_FILES.bootRecord, encodeBootRecordFile({ ...base, outcome, detail: detail & 0xff }));
  }

  /** The boot record handed to the image about to run (boot-record.bin, written whole and renamed). */
  private handOver(c: BootChoice, attempt: number, prev: { outcome: BootOutcome; detail: number }, count: number): BootChoice {
    this.flash.replace(FLASH_FILES.bootRecord, encodeBootRecordFile({
      slot: c.slot, onTrial: c.trial, trialAttempt: c.trial ? attempt : 0, trialMax: this.maxTrialBoots,
      prevOutcome: prev.outcome, prevDetail: prev.detail & 0xff, outcome: "normal", detail: 0, version: c.image.version, bootCount: count,
    }));
    return c;
  }

  /** The image to boot now, or null when no slot holds a verified image (the payload stays off). */
  boot(): BootChoice | null {
    // A confirmation the OBC did not get to (the image confirmed, then crashed or lost power) counts.
    if (this.read(FLASH_FILES.confirm)) this.processConfirm();
    // The previous boot's record: its count, and what happened after it (its outcome); a boot on
    // trial that ended without confirming itself (crash, hang, refused configuration) is a failed trial.
    const old = readBootRecord(this.dir).record;
    const count = ((old?.bootCount ?? 0) + 1) >>> 0;
    let prev: { outcome: BootOutcome; detail: number } = old ? { outcome: old.outcome, detail: old.detail } : { outcome: "normal", detail: 0 };
    if (old && old.onTrial && old.outcome === "normal") prev = { outcome: "trial-failed", detail: old.trialAttempt };
    const seen = this.events.length;
    let s = this.state();
    if (this.events.slice(seen).some((e) => e.kind === "boot-state-rebuilt")) prev = { outcome: "state-rebuilt", detail: 0 };
    if (!s) {
      this.event({ kind: "no-bootable-image", detail: "no slot holds an image that passes the checks" });
      return null;
    }
    if (s.trial !== NO_TRIAL) {
      const t = s.trial;
      if (s.trialBoots >= this.maxTrialBoots) {
        prev = { outcome: "fell-back", detail: s.trialBoots };
        this.event({ kind: "trial-abandoned", slot: slotName(t), detail: `${s.trialBoots} boot(s) on trial without confirmation: back to slot ${slotName(s.active)}, slot ${slotName(t)} erased` });
        s = { ...s, trial: NO_TRIAL, trialBoots: 0 };
        this.flash.writeBootState(s);
        this.flash.replace(slotFile(t), new Uint8Array(0));
      } else {
        const c = this.checkSlot(t, s.highestConfirmed);
        if (!c.ok) {
          this.event({ kind: "trial-image-invalid", slot: slotName(t), reason: c.reason, detail: `${c.message}: back to slot ${slotName(s.active)}` });
          s = { ...s, trial: NO_TRIAL, trialBoots: 0 };
          this.flash.writeBootState(s);
          prev = { outcome: "trial-invalid", detail: reasonCode(c.reason) };
        } else {
          // Counted before it runs: a trial image that crashes, hangs or loses power has used a boot.
          s = { ...s, trialBoots: s.trialBoots + 1 };
          this.flash.writeBootState(s);
          this.event({ kind: "trial-boot", slot: slotName(t), version: c.image.version, detail: `trial boot ${s.trialBoots} of ${this.maxTrialBoots}` });
          return this.handOver({ slot: t, trial: true, file: c.file!, image: c.image }, s.trialBoots, prev, count);
        }
      }
    }
    const act = this.checkSlot(s.active);
    if (act.ok) {
      this.event({ kind: "boot", slot: slotName(s.active), version: act.image.version, detail: `slot ${slotName(s.active)}` });
      return this.handOver({ slot: s.active, trial: false, file: act.file!, image: act.image }, 0, prev, count);
    }
    this.event({ kind: "active-image-invalid", slot: slotName(s.active), reason: act.reason, detail: act.message });
    const other = otherSlot(s.active);
    const alt = this.checkSlot(other);
    if (alt.ok) {
      // The only verified image left, even older than the highest confirmed: booting it beats staying off.
      const ns: BootState = { active: other, trial: NO_TRIAL, trialBoots: 0, highestConfirmed: Math.max(s.highestConfirmed, alt.image.version) };
      this.flash.writeBootState(ns);
      this.event({ kind: "recovery-boot", slot: slotName(other), version: alt.image.version, detail: `slot ${slotName(s.active)} unusable: slot ${slotName(other)} (version ${alt.image.version}) made active` });
      return this.handOver({ slot: other, trial: false, file: alt.file!, image: alt.image }, 0, { outcome: "recovery", detail: reasonCode(act.reason) }, count);
    }
    this.event({ kind: "no-bootable-image", reason: alt.reason, detail: `slot ${slotName(s.active)}: ${act.message}; slot ${slotName(other)}: ${alt.message}` });
    return null;
  }

  /**
   * After the image ended (any exit): a `confirm` file written by an image on trial makes its slot
   * the active one when it holds the SHA-256 of that slot's module. Returns true when confirmed.
   */
  processConfirm(): boolean {
    const c = this.read(FLASH_FILES.confirm);
    if (!c) return false;
    const r = readBootState(this.dir);
    const s = r.state;
    let ok = false;
    if (!s || s.trial === NO_TRIAL) {
      this.event({ kind: "confirm-refused", reason: "not-on-trial", detail: "confirm written while no image is on trial: ignored" });
    } else {
      const t = s.trial;
      const file = this.read(slotFile(t));
      const sha = file && file.length >= 48 ? file.subarray(16, 48) : null;
      if (c.length !== 32 || !sha || hex(c) !== hex(sha)) {
        this.event({ kind: "confirm-refused", slot: slotName(t), reason: "digest", detail: `confirm holds ${c.length === 32 ? hex(c).slice(0, 16) + "…" : c.length + " octets"}, not the SHA-256 of slot ${slotName(t)}'s module` });
      } else {
        const version = new DataView(file!.buffer, file!.byteOffset).getUint32(116);
        this.flash.writeBootState({ active: t, trial: NO_TRIAL, trialBoots: 0, highestConfirmed: Math.max(version, s.highestConfirmed) });
        this.event({ kind: "confirmed", slot: slotName(t), version, detail: `slot ${slotName(t)} (version ${version}) confirmed after ${s.trialBoots} trial boot(s): now the active slot; slot ${slotName(s.active)} kept as the fallback image` });
        this.recordOutcome("confirmed", s.trialBoots);
        ok = true;
      }
    }
    this.flash.remove(FLASH_FILES.confirm);
    return ok;
  }

  /**
   * The image exited with EXIT_REBOOT after writing `boot-request` (the SHA-256 its upload's end
   * declared): check upload.img completely, then copy it into the inactive slot (written aside and
   * renamed, then read back and checked again) and set it on trial. Returns true when accepted.
   */
  processBootRequest(): boolean {
    const req = this.read(FLASH_FILES.bootRequest);
    if (!req) return false;
    const refuse = (reason: string, detail: string): false => {
      this.event({ kind: "update-refused", reason, detail });
      this.recordOutcome(Bootloader.refusalOutcome(reason), reasonCode(reason));
      this.flash.remove(FLASH_FILES.bootRequest);
      return false;
    };
    this.event({ kind: "update-requested", detail: `boot-request for upload ${req.length === 32 ? hex(req).slice(0, 16) + "…" : `(${req.length} octets)`}` });
    if (req.length !== 32) return refuse("request", `boot-request holds ${req.length} octets, not a 32-octet SHA-256`);
    const s = this.state();
    if (!s) return refuse("state", "no boot state and no verified slot");
    if (s.trial !== NO_TRIAL) return refuse("trial-pending", `slot ${slotName(s.trial)} is still on trial: it must confirm or fail first`);
    const up = this.read(FLASH_FILES.upload);
    if (!up) return refuse("upload-missing", "no upload.img");
    const digest = createHash("sha256").update(up).digest();
    if (hex(digest) !== hex(req)) return refuse("upload-digest", `upload.img (${up.length} octets) has SHA-256 ${hex(digest).slice(0, 16)}…, the request declared ${hex(req).slice(0, 16)}…: incomplete or corrupted upload`);
    const c = checkImage(up, this.o.profile, this.romKey, s.highestConfirmed);
    if (!c.ok) return refuse(c.reason, c.message);
    const target = otherSlot(s.active);
    this.flash.replace(slotFile(target), up);
    const back = this.checkSlot(target, s.highestConfirmed);
    if (!back.ok || hex(back.file!) !== hex(up)) return refuse("slot-write", `slot ${slotName(target)} does not read back as written: ${back.ok ? "content differs" : back.message}`);
    this.flash.writeBootState({ ...s, trial: target, trialBoots: 0 });
    this.flash.remove(FLASH_FILES.bootRequest);
    this.flash.remove(FLASH_FILES.upload);
    this.recordOutcome("upload-accepted", target);
    this.event({ kind: "update-accepted", slot: slotName(target), version: c.image.version, detail: `version ${c.image.version} written to slot ${slotName(target)}, on trial at the next boot (at most ${this.maxTrialBoots} boots)` });
    return true;
  }
}

/** Size of a flash file, -1 when absent (tests, reports). */
export function flashFileSize(dir: string, name: string): number {
  try { return statSync(join(dir, name)).size; } catch { return -1; }
}
