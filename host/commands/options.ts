// The options each `tengri` command built on node:util parseArgs accepts: one table that the
// parsers use and that tests/host/cli/options.test.ts checks against every --help and the README.
type Spec = Record<string, { type: "string" | "boolean"; short?: string }>;

/** Scene options shared by pass and sensor (host/sensor/open.ts). */
export const SCENE_OPTIONS = {
  scene: { type: "string" }, format: { type: "string" }, "cloud-fraction": { type: "string" },
  "cube-bands": { type: "string" }, "cube-lines": { type: "string" }, "cube-pixels": { type: "string" },
  "cube-layout": { type: "string" }, "cube-type": { type: "string" }, "cube-fit": { type: "string" },
  "band-map": { type: "string" }, wavelengths: { type: "string" }, "right-shift": { type: "string" },
} as const satisfies Spec;

export const PASS_OPTIONS = {
  profile: { type: "string" }, ...SCENE_OPTIONS, lines: { type: "string" }, seed: { type: "string" }, ber: { type: "string" },
  "burst-every": { type: "string" }, "burst-len": { type: "string" }, "drop-cadu": { type: "string" }, out: { type: "string" }, json: { type: "boolean" },
} as const satisfies Spec;

export const SENSOR_OPTIONS = {
  profile: { type: "string" }, ...SCENE_OPTIONS, lines: { type: "string" }, seed: { type: "string" }, output: { type: "string", short: "o" },
} as const satisfies Spec;

export const FLASH_OPTIONS = {
  profile: { type: "string" }, output: { type: "string", short: "o" }, "build-id": { type: "string" },
  version: { type: "string" }, key: { type: "string" }, "mac-key": { type: "string" }, "flash-dir": { type: "string" },
} as const satisfies Spec;

export const KEYGEN_OPTIONS = { out: { type: "string" } } as const satisfies Spec;

export const SIGN_OPTIONS = { key: { type: "string" }, version: { type: "string" }, output: { type: "string", short: "o" } } as const satisfies Spec;

export const PROFILES_OPTIONS = { json: { type: "boolean" } } as const satisfies Spec;

export const INSPECT_OPTIONS = { json: { type: "boolean" }, cost: { type: "string" } } as const satisfies Spec;

export const SERVE_OPTIONS = {
  profile: { type: "string" }, "bus-port": { type: "string" }, "cadu-port": { type: "string" }, "udp-frames": { type: "string" },
  host: { type: "string" }, image: { type: "string" }, wasm: { type: "string" }, "no-config": { type: "boolean" }, json: { type: "boolean" },
  "tc-port": { type: "string" }, "tc-vcid": { type: "string" }, "tc-randomizer": { type: "boolean" }, "tc-no-reply": { type: "boolean" },
  "flash-dir": { type: "string" },
} as const satisfies Spec;

/** Long options per command, for the help/README agreement test (parseArgs commands). */
export const COMMAND_OPTIONS: Record<string, Spec> = { pass: PASS_OPTIONS, sensor: SENSOR_OPTIONS, flash: FLASH_OPTIONS, profiles: PROFILES_OPTIONS, serve: SERVE_OPTIONS, inspect: INSPECT_OPTIONS, keygen: KEYGEN_OPTIONS, sign: SIGN_OPTIONS };
