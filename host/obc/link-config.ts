// The ground link configuration that matches a profile (the same mapping as host/pass.ts
// linkConfigOf; here so the OBC emulator does not import the pass orchestrator).
import type { Profile } from "../profiles/index.ts";
import type { LinkConfig } from "../ground/link-decoder.ts";

export function linkConfigOfProfile(p: Profile): LinkConfig {
  return {
    frameType: p.link.frame.type, frameLen: p.link.frame.length, rsE: p.link.coding.rsE, rsDepth: p.link.coding.rsDepth,
    randomizer: p.link.coding.randomizer, fecf: p.link.frame.fecf, ocf: p.link.frame.ocf, aosInsertZoneLen: p.link.frame.insertZoneLen ?? 0,
  };
}
