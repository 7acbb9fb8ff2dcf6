// Boot verification of a flashed image against the profile it is booted with: the image must be
// bound to exactly that profile's RAM, and the refusal names both figures.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { flash, verifyImage, ImageError, IMAGE_HEADER_LEN } from "../../../host/obc/image.ts";
import { loadProfile } from "../../../host/profiles/index.ts";
import { FLIGHT_WASM } from "../../../host/pass.ts";

const wasm = () => new Uint8Array(readFileSync(FLIGHT_WASM));

test("[tengri §image] an image flashed for a profile with less RAM is refused at boot with both figures named", () => {
  const img = flash(wasm(), loadProfile("cubesat-mcu"), "t");
  assert.throws(() => verifyImage(img, loadProfile("default")), (e: unknown) => {
    assert.ok(e instanceof ImageError);
    assert.equal(e.reason, "memory");
    assert.match(e.message, /flashed for profile cubesat-mcu is bound to 1,048,576 bytes of RAM; profile default has 8,388,608/);
    return true;
  });
});

test("[tengri §image] an image flashed for a profile with more RAM is refused at boot; the same profile boots", () => {
  const img = flash(wasm(), loadProfile("eo-5band"), "t");
  assert.throws(() => verifyImage(img, loadProfile("hyperspectral")), (e: unknown) => e instanceof ImageError && e.reason === "memory" && /33,554,432.*16,777,216/.test(e.message));
  for (const name of ["default", "cubesat-mcu", "eo-5band", "hyperspectral"]) {
    const p = loadProfile(name);
    assert.equal(verifyImage(flash(wasm(), p, "t"), p).profileName, name);
  }
});

test("[tengri §image] a header whose RAM disagrees with the module's memory bound is refused", () => {
  const p = loadProfile("cubesat-mcu");
  const img = flash(wasm(), p, "t");
  new DataView(img.buffer, img.byteOffset).setUint32(112, 2 * p.obc.ramBytes);
  assert.ok(img.length > IMAGE_HEADER_LEN);
  assert.throws(() => verifyImage(img, p), (e: unknown) => e instanceof ImageError && e.reason === "memory" && /header says 2,097,152/.test(e.message));
});
