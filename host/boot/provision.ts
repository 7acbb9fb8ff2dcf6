// Provisioning of a payload's flash directory (tengri flash --flash-dir): the signed image in slot
// a (active), the mission public key in the bootloader's ROM, the SDLS key store and boot.bin.
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Profile } from "../profiles/index.ts";
import { checkImage } from "./bootloader.ts";
import { FLASH_FILES, FlashWriter, NO_TRIAL, encodeKeyStore } from "./flash-dir.ts";

/** The SA the provisioned MAC key belongs to (cmd-interfaces.md §SDLS: keys.bin records SPI ‖ length ‖ key). */
export const DEFAULT_SPI = 1;

export class ProvisionError extends Error {
  constructor(message: string) { super(message); this.name = "ProvisionError"; }
}

export interface ProvisionOptions {
  /** A signed container (tengri sign / signImage). */
  image: Uint8Array;
  profile: Profile;
  romKey: Uint8Array;
  macKey?: Uint8Array;
  spi?: number;
}

/**
 * Writes a fresh flash directory. Refuses one that already holds a provisioned flash (boot.bin or
 * a slot), and an image the bootloader would not boot with this ROM key.
 */
export function provisionFlashDir(dir: string, o: ProvisionOptions): { version: number; files: string[] } {
  const check = checkImage(o.image, o.profile, o.romKey);
  if (!check.ok) throw new ProvisionError(`the bootloader would refuse this image (${check.reason}): ${check.message}`);
  mkdirSync(dir, { recursive: true });
  const present = readdirSync(dir).filter((f) => [FLASH_FILES.boot, FLASH_FILES.slotA, FLASH_FILES.slotB, FLASH_FILES.rom].includes(f as never));
  if (present.length) throw new ProvisionError(`${dir} is already a provisioned flash directory (${present.join(", ")}): give an empty or new folder`);
  const w = new FlashWriter(dir);
  w.replace(FLASH_FILES.slotA, o.image);
  const files: string[] = [FLASH_FILES.slotA];
  const rom = join(dir, FLASH_FILES.rom);
  writeFileSync(rom, o.romKey, { mode: 0o444 });
  chmodSync(rom, 0o444);
  files.push(FLASH_FILES.rom);
  if (o.macKey) {
    const ks = join(dir, FLASH_FILES.keys);
    if (existsSync(ks)) throw new ProvisionError(`${ks} exists`);
    writeFileSync(ks, encodeKeyStore([{ spi: o.spi ?? DEFAULT_SPI, key: o.macKey }]), { mode: 0o600 });
    chmodSync(ks, 0o600);
    files.push(FLASH_FILES.keys);
  }
  w.writeBootState({ active: 0, trial: NO_TRIAL, trialBoots: 0, highestConfirmed: check.image.version });
  files.push(FLASH_FILES.boot);
  return { version: check.image.version, files };
}
