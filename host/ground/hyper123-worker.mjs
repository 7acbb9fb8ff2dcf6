// Worker thread of Hyper123DecodePool (hyper123-pool.ts): decodes whole CCSDS 123 streams with
// the ground decoder and hands the samples back (their buffers transferred, not copied). Plain
// JavaScript so that the thread starts under plain node; the decoder's TypeScript source is
// loaded through tsx's loader, registered in this thread (worker threads do not inherit it).
import { parentPort, workerData } from "node:worker_threads";

if (workerData.url.endsWith(".ts")) (await import("tsx/esm/api")).register();
const { decodeHyper123, Hyper123DecodeError } = await import(workerData.url);

parentPort.on("message", ({ id, stream, opts }) => {
  try {
    const d = decodeHyper123(stream, opts);
    const transfer = [d.samples.buffer];
    if (d.maxError) transfer.push(d.maxError.buffer);
    parentPort.postMessage({ id, ok: true, header: d.header, samples: d.samples, maxError: d.maxError, usedBytes: d.usedBytes }, transfer);
  } catch (e) {
    const err = e instanceof Hyper123DecodeError
      ? { code: e.code, field: e.field, value: e.value, bitOffset: e.bitOffset }
      : { message: String(e && e.stack ? e.stack : e) };
    parentPort.postMessage({ id, ok: false, err });
  }
});
parentPort.postMessage({ ready: true });
