// The products of a whole pass (`tengri pass --out DIR`): a pass observer that hands the ground's
// rebuilt lines, the decoded cloud mask and the dropped tiles to the ProductWriter, and writes the
// files when the pass ends.
import type { PassObserver, PassSummary } from "../pass.ts";
import type { Profile } from "../profiles/index.ts";
import { screeningOptions } from "../obc/config-table.ts";
import { ProductWriter, channelSpecsOf, type ProductFile } from "./writer.ts";

export function createProductsObserver(outDir: string, onWritten?: (files: ProductFile[]) => void): PassObserver {
  let w: ProductWriter | null = null;
  let ms = "multispectral";
  return {
    start(p: Profile) {
      const specs = channelSpecsOf(p);
      ms = specs[0].id;
      w = new ProductWriter(outDir, p, specs, screeningOptions(p) !== null);
    },
    groundLine(line, bands) { w!.line(ms, line, bands); },
    panLine(line, samples) { w!.line("panchromatic", line, [samples]); },
    maskLine(line, mask) { w!.maskLine(line, mask); },
    tile(t) { if (t.decision === "drop") w!.dropTile(t.firstLine, t.lines, t.firstPixel, t.count); },
    end(s: PassSummary) {
      const files = w!.end({
        lines: s.lines, lost: s.image.lostLines,
        cloudCoverPercent: s.screening ? 100 * s.screening.cloudFraction : null,
        note: s.verdict.headline,
      });
      onWritten?.(files);
    },
  };
}
