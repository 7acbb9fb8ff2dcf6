// Worker side of geotiff.ts: runs the (promise-based) geotiff package and answers one request
// at a time through a MessagePort, waking the blocked caller with Atomics.notify. Plain JS so
// that it loads without the TypeScript loader.
import { statSync } from "node:fs";
import { workerData } from "node:worker_threads";
import { fromFile } from "geotiff";

const { port, ctl, path } = workerData;
let tiff = null, image = null;

function reply(msg, transfer = []) {
  port.postMessage(msg, transfer);
  Atomics.store(ctl, 0, 1);
  Atomics.notify(ctl, 0);
}

port.on("message", async (req) => {
  try {
    if (req.op === "open") {
      tiff = await fromFile(path);
      image = await tiff.getImage(0);
      const fd = image.fileDirectory;
      const get = async (k) => (typeof fd.loadValue === "function" ? (fd.hasTag(k) ? await fd.loadValue(k) : undefined) : fd[k]);
      const arr = (v) => (v === undefined || v === null ? undefined : Array.from(v));
      // Every strip or tile must lie inside the file (a truncated file is refused up front).
      const size = statSync(path).size;
      const [offTag, cntTag] = image.isTiled ? ["TileOffsets", "TileByteCounts"] : ["StripOffsets", "StripByteCounts"];
      const offs = arr(await get(offTag)), cnts = arr(await get(cntTag));
      if (!offs || !cnts || offs.length !== cnts.length) return reply({ ok: false, field: `geotiff.${cntTag}`, error: `${offTag} and ${cntTag} missing or of different lengths` });
      for (let i = 0; i < offs.length; i++) {
        if (Number(offs[i]) + Number(cnts[i]) > size) return reply({ ok: false, field: `geotiff.${offTag}`, error: `segment ${i} (${cnts[i]} bytes at ${offs[i]}) runs past the end of the ${size}-byte file` });
      }
      reply({ ok: true, meta: {
        width: image.getWidth(), height: image.getHeight(), samplesPerPixel: image.getSamplesPerPixel(),
        bitsPerSample: arr(await get("BitsPerSample")) ?? [1], sampleFormat: arr(await get("SampleFormat")) ?? [1],
        planarConfiguration: (await get("PlanarConfiguration")) ?? 1, compression: (await get("Compression")) ?? 1,
        tiled: image.isTiled, tileWidth: image.getTileWidth(), tileHeight: image.getTileHeight(),
        images: await tiff.getImageCount(),
      } });
    } else if (req.op === "read") {
      const r = await image.readRasters({ window: [0, req.y0, image.getWidth(), req.y1], samples: req.samples, interleave: false });
      const bands = [];
      for (let i = 0; i < req.samples.length; i++) bands.push(r[i]);
      reply({ ok: true, bands }, bands.map((b) => b.buffer));
    } else if (req.op === "close") {
      if (tiff && typeof tiff.close === "function") await tiff.close();
      reply({ ok: true });
    }
  } catch (e) {
    reply({ ok: false, field: "geotiff", error: String(e && e.message ? e.message : e) });
  }
});
