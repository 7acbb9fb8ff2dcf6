export * from "./types.ts";
export * from "./time.ts";
export * from "./solar.ts";
export * from "./synthetic.ts";
export * from "./raw-cube.ts";
export * from "./open.ts";
