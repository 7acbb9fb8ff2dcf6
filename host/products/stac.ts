// The STAC item of a pass (STAC 1.0.0, with the projection v1.1.0, eo v1.1.0, raster v1.1.0 and
// view v1.0.0 extensions): footprint as geometry and bbox, acquisition times, the Sun, the cloud
// cover, and one asset per file with its bands, nodata, scale/offset and georeference.
import type { ProductChannel } from "./model.ts";
import { sampleFormat } from "./model.ts";

export const STAC_EXTENSIONS = [
  "https://stac-extensions.github.io/projection/v1.1.0/schema.json",
  "https://stac-extensions.github.io/eo/v1.1.0/schema.json",
  "https://stac-extensions.github.io/raster/v1.1.0/schema.json",
  "https://stac-extensions.github.io/view/v1.0.0/schema.json",
];
export const COG_MEDIA_TYPE = "image/tiff; application=geotiff; profile=cloud-optimized";

/** The eo extension's common band name for a band centre (its table of ranges), or undefined. */
export function commonName(centreNm: number, pan: boolean): string | undefined {
  if (pan) return "pan";
  const um = centreNm / 1000;
  if (um >= 0.4 && um < 0.45) return "coastal";
  if (um >= 0.45 && um < 0.53) return "blue";
  if (um >= 0.53 && um < 0.6) return "green";
  if (um >= 0.62 && um < 0.69) return "red";
  if (um >= 0.69 && um < 0.75) return "rededge";
  if (um >= 0.75 && um < 1.0) return "nir";
  return undefined;
}

export interface GridInfo { epsg: number; width: number; height: number; geoTransform: number[] | null; gsdM: number }

/** proj:* fields of an asset: GDAL's geotransform [c, a, b, f, d, e] as the extension's [a, b, c, d, e, f] (none for a GCP-georeferenced file). */
export function projFields(g: GridInfo): Record<string, unknown> {
  if (!g.geoTransform) return { "proj:epsg": g.epsg, "proj:shape": [g.height, g.width] };
  const [c, a, b, f, d, e] = g.geoTransform;
  const xs = [0, g.width].flatMap((x) => [0, g.height].map((y) => c + a * x + b * y));
  const ys = [0, g.width].flatMap((x) => [0, g.height].map((y) => f + d * x + e * y));
  return {
    "proj:epsg": g.epsg, "proj:shape": [g.height, g.width], "proj:transform": [a, b, c, d, e, f, 0, 0, 1],
    "proj:bbox": [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)],
  };
}

export interface StacAsset { key: string; href: string; title: string; roles: string[]; fields: Record<string, unknown> }

export function channelAsset(ch: ProductChannel, href: string, g: GridInfo): StacAsset {
  const f = sampleFormat(ch.bitDepth);
  return {
    key: ch.id, href, title: `${ch.role === "panchromatic" ? "Panchromatic" : "Multispectral"} DN, ${ch.bands.length} band(s), ${ch.bitDepth}-bit`, roles: ["data"],
    fields: {
      ...projFields(g), gsd: g.gsdM,
      "eo:bands": ch.bands.map((b) => ({ name: b.name, ...(commonName(b.centreNm, ch.role === "panchromatic") ? { common_name: commonName(b.centreNm, ch.role === "panchromatic") } : {}), center_wavelength: b.centreNm / 1000, full_width_half_max: b.widthNm / 1000 })),
      "raster:bands": ch.bands.map((b) => ({ nodata: f.nodata, data_type: f.stacType, bits_per_sample: ch.bitDepth, spatial_resolution: g.gsdM, scale: b.scale, offset: b.offset, unit: "1" })),
    },
  };
}

export interface ItemInput {
  id: string; startUtcMs: number; endUtcMs: number; centreUtcMs: number;
  ring: [number, number][]; bbox: [number, number, number, number]; epsg: number; gsdM: number;
  platform: string; description: string;
  sun: { elevationDeg: number; azimuthDeg: number };
  cloudCoverPercent: number | null;
  assets: StacAsset[];
}

export function stacItem(i: ItemInput): Record<string, unknown> {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    type: "Feature", stac_version: "1.0.0", stac_extensions: STAC_EXTENSIONS, id: i.id,
    geometry: { type: "Polygon", coordinates: [i.ring] }, bbox: i.bbox,
    properties: {
      datetime: iso(i.centreUtcMs), start_datetime: iso(i.startUtcMs), end_datetime: iso(i.endUtcMs),
      title: i.id, description: i.description, platform: i.platform, instruments: ["tengri-pushbroom-imager"], gsd: i.gsdM,
      "proj:epsg": i.epsg, "view:off_nadir": 0, "view:sun_elevation": i.sun.elevationDeg, "view:sun_azimuth": i.sun.azimuthDeg,
      ...(i.cloudCoverPercent !== null ? { "eo:cloud_cover": i.cloudCoverPercent } : {}),
    },
    links: [],
    assets: Object.fromEntries(i.assets.map((a) => [a.key, { href: a.href, type: a.key === "item" ? "application/json" : COG_MEDIA_TYPE, title: a.title, roles: a.roles, ...a.fields }])),
  };
}
