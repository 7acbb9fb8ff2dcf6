// CCSDS 123 ground decoding on every core: independent streams (the segments of a pass, each a
// complete CCSDS 123.0-B-2 image) decoded by worker threads running the same ground decoder
// (hyper123-decoder.ts), results in the order asked. A bad stream rejects its own promise with
// the Hyper123DecodeError the decoder raised; the other streams are unaffected.
import { Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";
import { Hyper123DecodeError, type Hyper123Decoded, type Hyper123DecodeOptions } from "./hyper123-decoder.ts";

interface Job { resolve: (d: Hyper123Decoded) => void; reject: (e: unknown) => void; slot: Slot }
interface Slot { worker: Worker; busy: number; ready: Promise<void> }

export class Hyper123DecodePool {
  private readonly slots: Slot[] = [];
  private readonly jobs = new Map<number, Job>();
  private nextId = 0;
  private closed = false;

  /** threads: worker threads (default: one per core the machine reports). */
  constructor(readonly threads: number = availableParallelism()) {
    if (!Number.isInteger(threads) || threads < 1 || threads > 256) throw new RangeError(`threads: ${threads} is not in 1..256`);
    const url = new URL("./hyper123-decoder.ts", import.meta.url).href;
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(new URL("./hyper123-worker.mjs", import.meta.url), { workerData: { url } });
      const slot: Slot = { worker, busy: 0, ready: Promise.resolve() };
      slot.ready = new Promise((res, rej) => {
        worker.once("error", rej);
        worker.on("message", (m) => {
          if (m.ready) { res(); return; }
          const job = this.jobs.get(m.id);
          if (!job) return;
          this.jobs.delete(m.id);
          slot.busy--;
          if (m.ok) job.resolve({ header: m.header, samples: m.samples, maxError: m.maxError, usedBytes: m.usedBytes });
          else if (m.err.code) job.reject(new Hyper123DecodeError(m.err.code, m.err.field, m.err.value, m.err.bitOffset));
          else job.reject(new Error(`hyper123 decode worker: ${m.err.message}`));
        });
      });
      // a thread that dies fails its own decodes and takes no more
      worker.on("error", (e) => {
        slot.busy = Infinity;
        for (const [id, job] of this.jobs) if (job.slot === slot) { this.jobs.delete(id); job.reject(e); }
      });
      this.slots.push(slot);
    }
  }

  /** Decodes one stream on the least busy thread (the stream is copied to it). */
  async decode(stream: Uint8Array, opts: Hyper123DecodeOptions = {}): Promise<Hyper123Decoded> {
    if (this.closed) throw new Error("Hyper123DecodePool: closed");
    let slot = this.slots[0];
    for (const s of this.slots) if (s.busy < slot.busy) slot = s;
    if (slot.busy === Infinity) throw new Error("Hyper123DecodePool: every worker thread has died");
    slot.busy++;
    await slot.ready;
    const id = this.nextId++;
    return new Promise<Hyper123Decoded>((resolve, reject) => {
      this.jobs.set(id, { resolve, reject, slot });
      slot.worker.postMessage({ id, stream, opts });
    });
  }

  /** Decodes every stream, results in the same order. */
  decodeAll(streams: Uint8Array[], opts: Hyper123DecodeOptions = {}): Promise<Hyper123Decoded[]> {
    return Promise.all(streams.map((s) => this.decode(s, opts)));
  }

  /** Stops the threads (pending decodes are rejected). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    for (const [id, job] of this.jobs) { this.jobs.delete(id); job.reject(new Error("Hyper123DecodePool: closed")); }
  }
}
