// The downlink emulator's transmitter side: the onboard store (store.ts) between the pipeline
// and the radio, and the outputs the bench connects to — a CADU file, a TCP server streaming
// CADUs (tcp-server.ts) and UDP datagrams of decoded transfer frames (udp-frames.ts). CADUs
// reach the outputs when the store's transmitter sends them (inside the contact window, at the
// bit rate); the channel impairments (channel.ts) stay on the ground side of the link.
import { createWriteStream, type WriteStream } from "node:fs";
import type { Profile } from "../profiles/index.ts";
import { derived } from "../profiles/index.ts";
import { DownlinkStore, type StorePolicy, type StoreReport } from "./store.ts";
import { CaduTcpServer, type CaduClientStats } from "./tcp-server.ts";
import { UdpFrameSender } from "./udp-frames.ts";
import { linkConfigOfProfile } from "../obc/link-config.ts";

export interface TransmitterOptions {
  profile: Profile;
  /** Contact window, pass-relative seconds (default: always in contact). */
  window?: { startS: number; endS: number };
  /** Store capacity (default the profile's obc.storeBytes). */
  storeBytes?: number;
  policy?: StorePolicy;
  /** Write the transmitted CADUs to this file. */
  file?: string;
  /** Serve the transmitted CADUs over TCP (port 0: chosen by the OS). */
  tcp?: { host?: string; port?: number; maxClientBuffer?: number };
  /** Send each decoded transfer frame as a UDP datagram. */
  udp?: { host: string; port: number; idle?: boolean };
  /** Every batch of CADUs as it leaves the transmitter (e.g. into the channel and the ground station). */
  onCadus?(chunk: Uint8Array): void;
}

export interface TransmitterReport {
  store: StoreReport;
  file: { path: string; bytes: number } | null;
  tcp: { port: number; clients: CaduClientStats[] } | null;
  udp: { framesSent: number; bytesSent: number; sendErrors: number } | null;
}

export class Transmitter {
  readonly store: DownlinkStore;
  private file: WriteStream | null = null;
  private fileBytes = 0;
  tcp: CaduTcpServer | null = null;
  private udp: UdpFrameSender | null = null;
  private batch: Uint8Array[] = [];

  private constructor(private readonly o: TransmitterOptions) {
    const p = o.profile;
    const d = derived(p);
    this.store = new DownlinkStore({
      capacityBytes: o.storeBytes ?? p.obc.storeBytes, bitRate: p.link.downlinkBitRate, caduLen: d.caduLen,
      window: o.window, policy: o.policy, onTransmit: (c) => this.batch.push(c),
    });
  }

  static async open(o: TransmitterOptions): Promise<Transmitter> {
    const t = new Transmitter(o);
    if (o.file) t.file = createWriteStream(o.file);
    if (o.tcp) t.tcp = await CaduTcpServer.listen({ ...o.tcp, caduLen: derived(o.profile).caduLen });
    if (o.udp) t.udp = new UdpFrameSender({ ...o.udp, link: linkConfigOfProfile(o.profile) });
    return t;
  }

  /** Pipeline output produced at pass time tS. */
  push(chunk: Uint8Array, tS: number): void {
    this.store.push(chunk, tS);
    this.flush();
  }

  private flush(): void {
    if (!this.batch.length) return;
    const n = this.batch.reduce((a, b) => a + b.length, 0);
    const buf = new Uint8Array(n);
    let o = 0;
    for (const b of this.batch) { buf.set(b, o); o += b.length; }
    this.batch = [];
    this.fileBytes += n;
    this.file?.write(buf);
    this.tcp?.broadcast(buf);
    this.udp?.push(buf);
    this.o.onCadus?.(buf);
  }

  /** Drains the store to the window's end, flushes and closes the outputs. */
  async end(): Promise<TransmitterReport> {
    const store = this.store.end();
    this.flush();
    if (this.file) await new Promise<void>((res) => this.file!.end(res));
    const tcp = this.tcp ? { port: this.tcp.port, clients: this.tcp.stats() } : null;
    if (this.tcp) { await this.tcp.close(); }
    const udp = this.udp ? (await this.udp.close(), { framesSent: this.udp.framesSent, bytesSent: this.udp.bytesSent, sendErrors: this.udp.sendErrors }) : null;
    return { store, file: this.o.file ? { path: this.o.file, bytes: this.fileBytes } : null, tcp: tcp && { port: tcp.port, clients: this.tcp!.stats() }, udp };
  }
}
