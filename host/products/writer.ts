// Writes the products of one reconstructed pass into a folder: one Cloud-Optimized GeoTIFF per
// channel (multispectral; panchromatic when the profile has one), the RGB quicklook
// (pan-sharpened when a finer channel exists), the cloud mask (screening profiles) and the STAC
// item. Lines stream in as the ground rebuilds them (raw files in a temporary folder inside the
// output folder, removed at the end); GeoTIFFs are written when the pass ends.
import { mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BandProfile, Profile } from "../profiles/index.ts";
import { RasterFile } from "./raster.ts";
import { writeCog, requireGdal, ProductError, type VrtBand } from "./gdal.ts";
import { PassFootprint, bboxOf, type ChannelGeometry } from "./georef.ts";
import { sampleFormat, sceneSun, toaScaleOffset, rgbBands, type ChannelRole, type ProductChannel, type SceneSun } from "./model.ts";
import { writeQuicklookRaw } from "./quicklook.ts";
import { stacItem, channelAsset, projFields, type StacAsset, type GridInfo } from "./stac.ts";

export { ProductError };

/** A channel as the writer receives it: its geometry except the line count (known at the end). */
export interface ChannelSpec { id: string; role: ChannelRole; pixels: number; gsdM: number; lineRateHz: number; bitDepth: number; bands: BandProfile[] }

/** The profile's channels: the multispectral bands, then the panchromatic channel at its own geometry when there is one. */
export function channelSpecsOf(p: Profile): ChannelSpec[] {
  const out: ChannelSpec[] = [{ id: "multispectral", role: "multispectral", pixels: p.sensor.pixelsPerLine, gsdM: p.sensor.gsdM, lineRateHz: p.sensor.lineRateHz, bitDepth: p.sensor.bitDepth, bands: p.sensor.bands }];
  const pan = p.sensor.panchromatic;
  if (pan) out.push({ id: "panchromatic", role: "panchromatic", pixels: pan.ratio * p.sensor.pixelsPerLine, gsdM: p.sensor.gsdM / pan.ratio, lineRateHz: pan.ratio * p.sensor.lineRateHz, bitDepth: pan.bitDepth, bands: [pan.band] });
  return out;
}

/** Mask classes (the screening mask's 2-bit values, README "Cloud screening products"). */
export const MASK_CLASSES = ["clear", "cloud", "bright, not cloud (snow, ice)"];
export const MASK_NODATA = 255;

export interface ProductsEnd {
  /** Lines of the first channel (others scale with their line rate). */
  lines: number;
  /** Band lines lost on the link (whole band lines become nodata). */
  lost?: { line: number; bands: number[] }[];
  cloudCoverPercent?: number | null;
  /** Words for the STAC description (e.g. the verdict). */
  note?: string;
}

export interface ProductFile { name: string; bytes: number }

export class ProductWriter {
  private readonly tmp: string;
  private readonly rasters = new Map<string, RasterFile>();
  private mask: RasterFile | null = null;
  /** Tiles dropped by screening, by channel: their pixels are nodata. */
  private dropped: { first: number; last: number; firstPixel: number; count: number }[] = [];

  constructor(readonly outDir: string, readonly profile: Profile, readonly specs: ChannelSpec[] = channelSpecsOf(profile), withMask = false) {
    requireGdal();
    if (specs.length === 0) throw new ProductError("no channel to write");
    this.tmp = join(outDir, `.tengri-products-${process.pid}`);
    mkdirSync(this.tmp, { recursive: true });
    for (const s of specs) this.rasters.set(s.id, new RasterFile(join(this.tmp, `${s.id}.raw`), s.pixels, s.bands.length, sampleFormat(s.bitDepth)));
    if (withMask) this.mask = new RasterFile(join(this.tmp, "cloud-mask.raw"), specs[0].pixels, 1, { bytes: 1, nodata: MASK_NODATA });
  }

  private raster(id: string): RasterFile {
    const r = this.rasters.get(id);
    if (!r) throw new ProductError(`no channel "${id}"`);
    return r;
  }

  /** A line as the ground rebuilt it (null: the band did not arrive). */
  line(channel: string, row: number, bands: (ArrayLike<number> | null)[]): void {
    const r = this.raster(channel);
    // Dropped tiles are in the first channel's pixels; a finer channel (the pan, f× the grid) loses the area under them.
    const spec = this.specs.find((s) => s.id === channel)!, f = Math.max(1, Math.round(spec.pixels / this.specs[0].pixels));
    const m = Math.floor(row / f);
    const drops = this.dropped.filter((t) => m >= t.first && m <= t.last);
    const nodataAt = drops.length ? (x: number) => drops.some((t) => x >= t.firstPixel * f && x < (t.firstPixel + t.count) * f) : undefined;
    bands.forEach((b, i) => { if (b) r.writeBandLine(row, i, b, nodataAt); else r.writeNodata(row, i); });
  }

  /** A tile the screening dropped (first channel's pixels): nodata, also in lines already written. */
  dropTile(firstLine: number, lines: number, firstPixel: number, count: number): void {
    const t = { first: firstLine, last: firstLine + lines - 1, firstPixel, count };
    this.dropped.push(t);
    const r = this.raster(this.specs[0].id);
    for (let y = t.first; y <= t.last; y++) for (let b = 0; b < r.bands; b++) if (r.isWritten(y, b)) r.blank(y, b, firstPixel, count);
    // Only tiles whose lines are still to come need remembering.
    // (A finer channel's lines come when the pass ends: every drop is kept for them.)
    if (this.dropped.length > 4096 && this.specs.length === 1) this.dropped = this.dropped.filter((d) => d.last >= t.first);
  }

  /** The decoded class mask of a line (first channel's geometry). */
  maskLine(row: number, mask: ArrayLike<number>): void { this.mask?.writeBandLine(row, 0, mask); }

  /** Gives up: removes the temporary folder, writes nothing. */
  abort(): void {
    for (const r of this.rasters.values()) r.close();
    this.mask?.close();
    rmSync(this.tmp, { recursive: true, force: true });
  }

  /** Writes every file; returns them in order. The temporary folder is removed whatever happens. */
  end(e: ProductsEnd): ProductFile[] {
    try { return this.finish(e); } finally { this.abort(); }
  }

  private finish(e: ProductsEnd): ProductFile[] {
    const p = this.profile, base = this.specs[0];
    if (e.lines < 1) throw new ProductError("no line to write");
    const sun: SceneSun = sceneSun(p, e.lines * (p.sensor.lineRateHz / base.lineRateHz));
    const fp = new PassFootprint(p);
    const channels: ProductChannel[] = this.specs.map((s) => ({
      id: s.id, role: s.role, bitDepth: s.bitDepth,
      geometry: { pixels: s.pixels, gsdM: s.gsdM, lineRateHz: s.lineRateHz, lines: Math.round((e.lines * s.lineRateHz) / base.lineRateHz) },
      bands: s.bands.map((b) => ({ name: b.name, centreNm: b.centreNm, widthNm: b.widthNm, ...toaScaleOffset(b, sun) })),
    }));
    const zone = fp.zone(channels[0].geometry);
    for (const l of e.lost ?? []) for (const b of l.bands) this.raster(base.id).writeNodata(l.line, b);
    const startMs = Date.parse(p.pass.startUtc);
    const endMs = startMs + (channels[0].geometry.lines / channels[0].geometry.lineRateHz) * 1000;
    const common = (g: ChannelGeometry, residualM: number): Record<string, string | number> => ({
      TENGRI_PROFILE: p.name, ACQUISITION_START: new Date(startMs).toISOString(), ACQUISITION_END: new Date(endMs).toISOString(),
      SUN_ELEVATION_DEG: sun.elevationDeg, SUN_AZIMUTH_DEG: sun.azimuthDeg, EARTH_SUN_DISTANCE_AU: sun.earthSunAu,
      GSD_M: g.gsdM, LINE_RATE_HZ: g.lineRateHz, GEOREFERENCE: residualM <= g.gsdM / 2 ? `affine fit of the pass geometry, largest misfit ${residualM.toFixed(3)} m` : `ground control points of the pass geometry (an affine transform would miss it by ${residualM.toFixed(1)} m)`,
    });
    const files: ProductFile[] = [], assets: StacAsset[] = [];
    const add = (name: string) => files.push({ name, bytes: statSync(join(this.outDir, name)).size });
    type Grid = GridInfo & { residualM: number; gcps?: { pixel: number; line: number; x: number; y: number }[] };
    const grids = new Map<string, Grid>();
    // An affine transform when it fits the geometry within half a pixel; ground control points otherwise.
    const gridOf = (g: ChannelGeometry): Grid => {
      const a = fp.affine(g, zone);
      if (a.residualM <= g.gsdM / 2) return { epsg: zone.epsg, width: g.pixels, height: g.lines, geoTransform: a.geoTransform, gsdM: g.gsdM, residualM: a.residualM };
      return { epsg: zone.epsg, width: g.pixels, height: g.lines, geoTransform: null, gsdM: g.gsdM, residualM: a.residualM, gcps: fp.gcps(g, zone) };
    };
    const georef = (grid: Grid) => ({ geoTransform: grid.geoTransform, gcps: grid.gcps });
    for (const ch of channels) {
      const r = this.raster(ch.id), g = ch.geometry, grid = gridOf(g), f = sampleFormat(ch.bitDepth);
      r.finish(g.lines);
      grids.set(ch.id, grid);
      const bands: VrtBand[] = ch.bands.map((b) => ({
        description: `${b.name} (${b.centreNm} nm)`, nodata: f.nodata, scale: b.scale, offset: b.offset,
        metadata: { WAVELENGTH_NM: b.centreNm, FWHM_NM: b.widthNm, UNIT_AFTER_SCALING: "TOA reflectance", BITS: ch.bitDepth },
      }));
      const name = `${ch.id}.tif`;
      writeCog(join(this.tmp, `${ch.id}.vrt`), {
        width: g.pixels, height: g.lines, epsg: zone.epsg, ...georef(grid), dataType: f.gdalType,
        rawPath: r.path, ...r.byteOrderVrt, bands,
        metadata: { ...common(g, grid.residualM), TENGRI_CHANNEL: ch.id, NODATA: `${f.nodata}: lines lost on the link and tiles dropped by cloud screening`, REFLECTANCE: "TOA reflectance = DN x band scale + band offset (Sun at the pass centre)" },
      }, join(this.outDir, name), "AVERAGE");
      add(name);
      assets.push(channelAsset(ch, `./${name}`, grid));
    }
    // The quicklook: RGB of the first channel, sharpened by a finer panchromatic channel if any.
    const ms = channels[0], rgb = rgbBands(ms.bands);
    if (rgb) {
      const pan = channels.find((c) => c.role === "panchromatic" && c.geometry.pixels > ms.geometry.pixels) ?? null;
      const qlRaw = join(this.tmp, "quicklook.raw");
      const q = writeQuicklookRaw(qlRaw, { src: this.raster(ms.id), lines: ms.geometry.lines, bands: ms.bands },
        rgb, pan ? { src: this.raster(pan.id), lines: pan.geometry.lines, bands: pan.bands } : null);
      const g = pan ? pan.geometry : ms.geometry, grid = gridOf(g);
      const colour = ["Red", "Green", "Blue"] as const;
      writeCog(join(this.tmp, "quicklook.vrt"), {
        width: q.width, height: q.height, epsg: zone.epsg, ...georef(grid), dataType: "Byte",
        rawPath: qlRaw, imageOffset: (b) => b * q.width, pixelOffset: 1, lineOffset: 3 * q.width,
        bands: rgb.map((bi, k) => ({ description: `${ms.bands[bi].name} (${ms.bands[bi].centreNm} nm), stretched`, nodata: 0, colorInterp: colour[k],
          metadata: { STRETCH_TOA_REFLECTANCE: `${q.stretch[k][0].toFixed(5)} -> 1, ${q.stretch[k][1].toFixed(5)} -> 255` } })),
        metadata: { ...common(g, grid.residualM), TENGRI_CHANNEL: "quicklook", PAN_SHARPENED: pan ? `Brovey, by ${pan.id} (${q.sharpenedBy}x)` : "no", NODATA: "0" },
      }, join(this.outDir, "quicklook.tif"), "AVERAGE");
      add("quicklook.tif");
      assets.push({ key: "visual", href: "./quicklook.tif", title: `RGB quicklook, 8-bit stretched${pan ? ", pan-sharpened (Brovey)" : ""}`, roles: ["visual", "overview"], fields: { ...projFields(grid), gsd: g.gsdM,
        "eo:bands": rgb.map((bi) => ({ name: ms.bands[bi].name, center_wavelength: ms.bands[bi].centreNm / 1000 })), "raster:bands": rgb.map(() => ({ nodata: 0, data_type: "uint8" })) } });
    }
    if (this.mask) {
      const g = ms.geometry, grid = grids.get(ms.id)!;
      this.mask.finish(g.lines);
      writeCog(join(this.tmp, "cloud-mask.vrt"), {
        width: g.pixels, height: g.lines, epsg: zone.epsg, ...georef(grid), dataType: "Byte",
        rawPath: this.mask.path, ...this.mask.byteOrderVrt,
        bands: [{ description: "cloud mask: 0 clear, 1 cloud, 2 bright not cloud (snow, ice)", nodata: MASK_NODATA, colorInterp: "Palette",
          colors: [[40, 120, 40, 255], [255, 255, 255, 255], [120, 200, 255, 255]],
          metadata: Object.fromEntries(MASK_CLASSES.map((c, i) => [`CLASS_${i}`, c])) }],
        metadata: { ...common(g, grid.residualM), TENGRI_CHANNEL: "cloud-mask", NODATA: `${MASK_NODATA}: mask units lost on the link` },
      }, join(this.outDir, "cloud-mask.tif"), "NEAREST");
      add("cloud-mask.tif");
      assets.push({ key: "cloud_mask", href: "./cloud-mask.tif", title: "Cloud mask of the onboard screening: 0 clear, 1 cloud, 2 bright not cloud (snow, ice)", roles: ["cloud", "data"],
        fields: { ...projFields(grid), gsd: g.gsdM, "raster:bands": [{ nodata: MASK_NODATA, data_type: "uint8", bits_per_sample: 2 }] } });
    }
    const ring = fp.ring(ms.geometry);
    const id = `tengri-${p.name}-${new Date(startMs).toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")}`;
    const item = stacItem({
      id, startUtcMs: startMs, endUtcMs: endMs, centreUtcMs: sun.utcMs, ring, bbox: bboxOf(ring), epsg: zone.epsg, gsdM: ms.geometry.gsdM,
      platform: `tengri-${p.name}`, description: `${p.description ?? p.name}${e.note ? ` — ${e.note}` : ""}`,
      sun, cloudCoverPercent: e.cloudCoverPercent ?? null, assets,
    });
    writeJson(join(this.outDir, "item.json"), item);
    add("item.json");
    return files;
  }
}

function writeJson(path: string, v: unknown): void { writeFileSync(path, JSON.stringify(v, null, 2) + "\n"); }
