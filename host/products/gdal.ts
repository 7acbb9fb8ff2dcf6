// The GeoTIFF writer: a VRT (GDAL's XML description of a raw raster: size, georeference,
// nodata, band descriptions, scale/offset, metadata) over the channel's raw BIL file, turned into
// a Cloud-Optimized GeoTIFF by GDAL's COG driver (`gdal_translate -of COG`, Debian gdal-bin):
// tiled 256 × 256, DEFLATE with the horizontal predictor, internal overviews down to one tile,
// IFDs first. Why GDAL and not an npm writer: host/products/README.md.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { basename } from "node:path";

export const GDAL_TRANSLATE = "gdal_translate";

export class ProductError extends Error {
  constructor(message: string) { super(message); this.name = "ProductError"; }
}

let checked: string | null = null;
/** Throws a one-line ProductError when gdal_translate cannot be run (missing, or no COG driver). */
export function requireGdal(): string {
  if (checked) return checked;
  const r = spawnSync(GDAL_TRANSLATE, ["--version"], { encoding: "utf8" });
  if (r.error || r.status !== 0)
    throw new ProductError("writing the GeoTIFF products needs GDAL's gdal_translate (Debian: apt-get install gdal-bin), which was not found on PATH");
  const m = /GDAL (\d+)\.(\d+)/.exec(r.stdout);
  if (!m || Number(m[1]) * 100 + Number(m[2]) < 301)
    throw new ProductError(`writing Cloud-Optimized GeoTIFFs needs GDAL 3.1 or later (its COG driver); gdal_translate says "${r.stdout.trim()}"`);
  checked = r.stdout.trim();
  return checked;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const num = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(17).replace(/\.?0+$/, "").replace(/\.?0+e/, "e"));

export interface VrtBand {
  description: string;
  nodata: number;
  scale?: number;
  offset?: number;
  colorInterp?: "Red" | "Green" | "Blue" | "Gray" | "Palette";
  metadata?: Record<string, string | number>;
  colors?: [number, number, number, number][];
}

export interface VrtSpec {
  width: number; height: number; epsg: number;
  /** Affine georeference (GDAL order), or ground control points (pixel-edge coordinates → CRS) when no affine fits. */
  geoTransform: number[] | null;
  gcps?: { pixel: number; line: number; x: number; y: number }[];
  dataType: "Byte" | "UInt16" | "Int32";
  /** The raw file: band-interleaved by line, little-endian. */
  rawPath: string; imageOffset: (band: number) => number; pixelOffset: number; lineOffset: number;
  bands: VrtBand[];
  metadata: Record<string, string | number>;
}

export function vrtXml(s: VrtSpec): string {
  const md = (m: Record<string, string | number>, ind: string) =>
    `${ind}<Metadata>\n${Object.entries(m).map(([k, v]) => `${ind}  <MDI key="${esc(k)}">${esc(typeof v === "number" ? num(v) : v)}</MDI>`).join("\n")}\n${ind}</Metadata>\n`;
  let x = `<VRTDataset rasterXSize="${s.width}" rasterYSize="${s.height}">\n`;
  if (s.geoTransform) {
    x += `  <SRS dataAxisToSRSAxisMapping="1,2">EPSG:${s.epsg}</SRS>\n`;
    x += `  <GeoTransform>${s.geoTransform.map(num).join(", ")}</GeoTransform>\n`;
  } else {
    x += `  <GCPList Projection="EPSG:${s.epsg}">\n${(s.gcps ?? []).map((g, i) => `    <GCP Id="${i + 1}" Pixel="${num(g.pixel)}" Line="${num(g.line)}" X="${num(g.x)}" Y="${num(g.y)}"/>`).join("\n")}\n  </GCPList>\n`;
  }
  x += md(s.metadata, "  ");
  s.bands.forEach((b, i) => {
    x += `  <VRTRasterBand dataType="${s.dataType}" band="${i + 1}" subClass="VRTRawRasterBand">\n`;
    x += `    <Description>${esc(b.description)}</Description>\n`;
    x += `    <NoDataValue>${num(b.nodata)}</NoDataValue>\n`;
    if (b.colorInterp) x += `    <ColorInterp>${b.colorInterp}</ColorInterp>\n`;
    if (b.offset !== undefined) x += `    <Offset>${num(b.offset)}</Offset>\n`;
    if (b.scale !== undefined) x += `    <Scale>${num(b.scale)}</Scale>\n`;
    if (b.colors) x += `    <ColorTable>\n${b.colors.map(([c1, c2, c3, c4]) => `      <Entry c1="${c1}" c2="${c2}" c3="${c3}" c4="${c4}"/>`).join("\n")}\n    </ColorTable>\n`;
    if (b.metadata) x += md(b.metadata, "    ");
    x += `    <SourceFilename relativeToVRT="1">${esc(basename(s.rawPath))}</SourceFilename>\n`;
    x += `    <ImageOffset>${s.imageOffset(i)}</ImageOffset>\n    <PixelOffset>${s.pixelOffset}</PixelOffset>\n    <LineOffset>${s.lineOffset}</LineOffset>\n    <ByteOrder>LSB</ByteOrder>\n`;
    x += `  </VRTRasterBand>\n`;
  });
  return x + `</VRTDataset>\n`;
}

/**
 * Writes `vrtPath` (beside the raw file) and turns it into the COG `outPath`. Overviews are
 * averaged for images (nodata-aware), nearest for class masks.
 */
export function writeCog(vrtPath: string, spec: VrtSpec, outPath: string, resampling: "AVERAGE" | "NEAREST"): void {
  requireGdal();
  writeFileSync(vrtPath, vrtXml(spec));
  const args = ["-q", "-of", "COG", "-co", "COMPRESS=DEFLATE", "-co", "PREDICTOR=YES", "-co", "BLOCKSIZE=256", "-co", "OVERVIEWS=AUTO",
    "-co", `RESAMPLING=${resampling}`, "-co", `OVERVIEW_RESAMPLING=${resampling}`, "-co", "NUM_THREADS=1", "-a_srs", `EPSG:${spec.epsg}`, vrtPath, outPath];
  const r = spawnSync(GDAL_TRANSLATE, args, { encoding: "utf8", env: { ...process.env, GDAL_PAM_ENABLED: "NO" } });
  if (r.error || r.status !== 0) {
    const why = (r.stderr || r.error?.message || `exit ${r.status}`).trim().split("\n").pop();
    throw new ProductError(`gdal_translate could not write ${basename(outPath)}: ${why}`);
  }
}
