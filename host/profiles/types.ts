// Typed mirror of hardware-profiles/schema.json. Field names are a contract with the
// configuration-table compiler: change them only together with the schema.

export interface BandProfile {
  name: string;
  centreNm: number;
  widthNm: number;
  /** Radiance L = gain·DN + offset, in W m⁻² sr⁻¹ µm⁻¹. */
  gain: number;
  offset: number;
  /** Band-averaged exo-atmospheric solar irradiance (ESUN) at 1 AU, W m⁻² µm⁻¹. */
  solarIrradiance: number;
}

export interface SensorProfile {
  bitDepth: number;
  pixelsPerLine: number;
  gsdM: number;
  lineRateHz: number;
  /** Read-noise standard deviation in DN (default 1). */
  readNoiseDn?: number;
  /** Electrons per DN (shot noise); default max(1, 80000 / 2^bitDepth). */
  electronsPerDn?: number;
  /** Full-well capacity in electrons above the dark level; default 1.2 · electronsPerDn · 2^bitDepth. */
  fullWellE?: number;
  /** Per-column gain non-uniformity σ in percent; default 0.5. */
  prnuPercent?: number;
  /** Mean dark level in DN; default −offset/gain (the calibration's dark level). */
  darkSignalDn?: number;
  /** Per-column dark level non-uniformity σ in DN; default 0. */
  dsnuDn?: number;
  bands: BandProfile[];
  /** A panchromatic channel at its own geometry (k× pixels and line rate), co-registered with the bands. */
  panchromatic?: PanchromaticProfile;
}

export interface PanchromaticProfile {
  /** k: pan pixels per line = k · pixelsPerLine, pan line rate = k · lineRateHz, pan GSD = gsdM / k. */
  ratio: number;
  bitDepth: number;
  readNoiseDn?: number;
  electronsPerDn?: number;
  fullWellE?: number;
  prnuPercent?: number;
  /** The bands' own MTF in the emulator: neighbour weight a of a 3-tap blur [a, 1−2a, a] (default 0.1). */
  msMtf?: number;
  band: BandProfile;
}

export type PanCompression = "ccsds122-lossless" | "ccsds122-budget";

export interface PanProduct {
  apid: number;
  compression: PanCompression;
  ccsds122?: { segmentBlocks?: number; bitsPerPixel?: number; minPsnrDb?: number };
}

export type Compression = "raw" | "ccsds121" | "ccsds123";

export interface ImageProduct {
  vcid: number;
  /** One APID per band, in band order. */
  apids: number[];
  compression: Compression;
  /** Maximum packet data field length in octets (secondary header included). */
  maxPacketDataLen: number;
  ccsds121?: Record<string, unknown>;
  ccsds123?: Record<string, unknown>;
  screening?: Record<string, unknown>;
  [later: string]: unknown;
}

export interface HousekeepingProduct { vcid: number; apid: number; everyLines: number }

export type FrameType = "tm" | "aos";

export interface FrameProfile {
  type: FrameType;
  /** Transfer frame length in octets (without ASM and RS check symbols). */
  length: number;
  fecf: boolean;
  ocf: boolean;
  /** VCID of idle frames (63 for AOS). */
  idleVcid: number;
  /** AOS insert zone length in octets (AOS only, default 0). */
  insertZoneLen?: number;
}

export interface CodingProfile {
  /** RS error-correction capability: 16 → RS(255,223), 8 → RS(255,239). */
  rsE: 8 | 16;
  /** Interleaving depth I. */
  rsDepth: 1 | 2 | 3 | 4 | 5 | 8;
  randomizer: boolean;
}

export interface Profile {
  $schema?: string;
  name: string;
  description?: string;
  spacecraft: { scid: number; orbitAltitudeKm: number; groundSpeedMps: number };
  obc: { ramBytes: number; storeBytes: number };
  sensor: SensorProfile;
  pass: {
    startUtc: string; startLatDeg: number; startLonDeg: number; headingDeg: number;
    /** Orbit inclination; when given, the start latitude and heading are checked against it. */
    orbitInclinationDeg?: number;
    /** Aerosol optical depth at 550 nm (emulator atmosphere; default 0.1). */
    aerosolOpticalDepth?: number;
    /** Aerosol Ångström exponent (default 1.3). */
    angstromExponent?: number;
    /** Surface wind speed for sun glint over water, m/s (default 5). */
    windSpeedMps?: number;
  };
  products: { image: ImageProduct; housekeeping: HousekeepingProduct; pan?: PanProduct };
  link: { frame: FrameProfile; coding: CodingProfile; downlinkBitRate: number };
  /** PUS-C telecommanding (README, Commanding the payload); defaults from the contract's commanding block. */
  commanding?: {
    tcApid?: number; reportApid?: number; vcid?: number;
    /** Product modes ST[8] function 3 may switch to in flight (the table's `modes`); the boot mode (products.image.compression) is always one. */
    modes?: ("raw" | "ccsds121" | "ccsds123")[];
  };
}

export interface DerivedFigures {
  /** Bits of one sensor line: bands × pixels × bitDepth. */
  lineBits: number;
  /** Raw sensor data rate: lineBits × lineRateHz (+ the pan channel's), bit/s. */
  rawBitRate: number;
  /** Raw rate of the pan channel alone, bit/s (0 without one). */
  panRawBitRate: number;
  linePeriodS: number;
  /** ASM (4) + transfer frame + 2E·I RS check symbols. */
  caduLen: number;
  /** Transfer frame data field: TM packet zone, or AOS M_PDU (its 2-octet header included). */
  frameDataFieldLen: number;
  /** Reed-Solomon message length per codeword (length / I, ≤ 255 − 2E; shortened when smaller). */
  rsK: number;
  /** CADUs per second at the downlink bit rate. */
  caduPerSecond: number;
  /** Raw sensor rate over downlink rate (> 1: the raw pass builds a backlog). */
  rawToDownlinkRatio: number;
}
