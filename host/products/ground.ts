// The products of a CADU stream decoded on the ground (`tengri decode FILE --profile P --out DIR`):
// the space packets of the link decoder go through the ground's image reconstruction and
// screening decoders (the same ones a pass uses, host/ground/), without the imager's lines to
// compare against; lines are numbered by their counters, and a line never seen is nodata.
import type { Profile } from "../profiles/index.ts";
import { aecOptions, hyperOptions, screeningOptions, productModes } from "../obc/config-table.ts";
import { parseTmPacket, decodeReport } from "../ground/pus-reports.ts";
import { EV_MODE_CHANGED, modeOfEventCount } from "../ground/mode-schedule.ts";
import { CONTRACT } from "../contract/contract.gen.ts";
import { ImageReconstructor } from "../ground/image.ts";
import { ScreeningGround } from "../ground/screening.ts";
import { ProductWriter, channelSpecsOf, type ProductFile, ProductError } from "./writer.ts";

export class GroundProducts {
  private readonly writer: ProductWriter;
  private readonly recon: ImageReconstructor;
  private readonly screening: ScreeningGround | null;
  private readonly apidBand: Map<number, number>;
  private readonly scr;
  private maxLine = -1;
  /** The PUS-C report APID: event 16 there says where the product mode switched (README "Commanding the payload"). */
  private readonly reportApid: number;

  constructor(readonly profile: Profile, outDir: string) {
    const p = profile, specs = channelSpecsOf(p), ms = specs[0].id;
    this.scr = screeningOptions(p);
    this.writer = new ProductWriter(outDir, p, specs, this.scr !== null);
    this.apidBand = new Map(p.products.image.apids.map((a, i) => [a, i]));
    const mode = p.products.image.compression;
    const modes = productModes(p);                      // the modes ST[8] may switch among
    const unitLines = modes & 4 ? hyperOptions(p).segmentLines : modes & 2 ? aecOptions(p).unitLines : 1;
    this.reportApid = p.commanding?.reportApid ?? (CONTRACT.configTable.blocks.find((b) => b.name === "commanding")!.fields.find((f) => f.name === "reportApid")!.default as number);
    this.recon = new ImageReconstructor(p.sensor.bands.length, p.sensor.pixelsPerLine, (line, bands) => {
      if (line > this.maxLine) this.maxLine = line;
      this.writer.line(ms, line, bands);
    }, mode, unitLines, p.sensor.bitDepth);
    if (modes & 4) { const h = hyperOptions(p).params; this.recon.useHyperBound(h.fidelity ? h.absLimit : 0); }
    const scr = this.scr;
    this.screening = scr ? new ScreeningGround(scr.tileSize, (line, m) => this.writer.maskLine(line, m), (t) => {
      this.recon.advanceTo(t.firstLine + t.lines - 1);
      if (t.decision === "drop") this.writer.dropTile(t.firstLine, t.lines, t.firstPixel, t.count);
    }) : null;
    if (this.screening && scr) this.recon.useScreening(this.screening, scr.tileSize + scr.params[6] + 2, scr.degradeShift);
  }

  /** One space packet from the link decoder (seqCount: its sequence count, which a report's error control covers). */
  packet(apid: number, data: Uint8Array, seqFlags: number, seqCount = 0): void {
    const band = this.apidBand.get(apid);
    if (band !== undefined) this.recon.addPacket(band, data, seqFlags);
    else if (this.screening && apid === this.scr!.statsApid) this.screening.addStats(data);
    else if (this.screening && apid === this.scr!.maskApid) this.screening.addMask(data, seqFlags);
    else if (apid === this.reportApid) {
      let r;
      try { r = decodeReport(parseTmPacket(apid, seqCount, data)); } catch { return; }   // a report the ground cannot read changes no product
      const to = r.kind === "event" && r.eventId === EV_MODE_CHANGED ? modeOfEventCount(r.count) : null;
      if (r.kind === "event" && to) this.recon.modeFrom(r.line, to);
    }
  }

  /** Finishes the image and writes the products; throws ProductError when no image line arrived. */
  end(): { files: ProductFile[]; lines: number; linesLost: number } {
    const stats = this.recon.end();
    const s = this.screening?.end() ?? null;
    if (this.maxLine < 0) { this.writer.abort(); throw new ProductError(`no image line of profile ${this.profile.name} in the stream (APIDs ${[...this.apidBand.keys()].join(", ")})`); }
    const files = this.writer.end({
      lines: this.maxLine + 1, lost: stats.lostLines, cloudCoverPercent: s ? 100 * s.cloudFraction : null,
      note: `decoded on the ground: ${stats.linesComplete} lines complete, ${stats.linesPartial + stats.linesMissing} partial or missing`,
    });
    return { files, lines: this.maxLine + 1, linesLost: stats.linesPartial + stats.linesMissing };
  }
}
