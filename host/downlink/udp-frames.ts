// UDP output of decoded transfer frames, one frame per datagram: what Yamcs-style frame links
// expect (such ground software often cannot do CCSDS dual-basis Reed-Solomon itself). The
// CADU stream goes through the ground link decoder (host/ground/link-decoder.ts): frame sync,
// derandomization, RS correction; each frame it accepts (FECF checked when present) is sent
// without ASM and RS parity, FECF and OCF left in. Frames the decoder drops (uncorrectable,
// bad FECF) are not sent (counted by the decoder). Idle frames are sent unless told not to.
import { createSocket, type Socket } from "node:dgram";
import { isIP } from "node:net";
import { LinkDecoder, type LinkConfig, type LinkStats } from "../ground/link-decoder.ts";

export interface UdpFramesOptions {
  host: string;
  port: number;
  link: LinkConfig;
  /** Send idle frames too (default true). */
  idle?: boolean;
}

export class UdpTargetError extends Error {
  constructor(readonly value: string, readonly reason: string) { super(`UDP target "${value}": ${reason}`); this.name = "UdpTargetError"; }
}

/** Parses HOST:PORT (IPv4, [IPv6] or a name). */
export function parseHostPort(v: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(v);
  if (!m) throw new UdpTargetError(v, "expected HOST:PORT");
  const port = Number(m[3]);
  if (port < 1 || port > 65535) throw new UdpTargetError(v, "port must be 1..65535");
  return { host: m[1] ?? m[2], port };
}

export class UdpFrameSender {
  private readonly sock: Socket;
  private readonly dec: LinkDecoder;
  private pending = 0;
  private drained: (() => void) | null = null;
  framesSent = 0;
  bytesSent = 0;
  sendErrors = 0;

  constructor(o: UdpFramesOptions) {
    this.sock = createSocket(isIP(o.host) === 6 ? "udp6" : "udp4");
    this.sock.on("error", () => { this.sendErrors++; });
    const idle = o.idle ?? true;
    this.dec = new LinkDecoder(o.link, {
      onFrame: (f) => {
        if (f.idle && !idle) return;
        const d = Buffer.from(f.frame); // a copy: the decoder reuses its buffers
        this.pending++;
        this.sock.send(d, o.port, o.host, (err) => {
          if (err) this.sendErrors++; else { this.framesSent++; this.bytesSent += d.length; }
          if (--this.pending === 0 && this.drained) { this.drained(); this.drained = null; }
        });
      },
    });
  }

  /** CADU stream bytes, any chunking. */
  push(chunk: Uint8Array): void { this.dec.push(chunk); }

  get linkStats(): LinkStats { return this.dec.stats; }

  /** Flushes the decoder, waits for every datagram to be handed to the OS, closes the socket. */
  async close(): Promise<void> {
    this.dec.end();
    if (this.pending) await new Promise<void>((res) => { this.drained = res; });
    await new Promise<void>((res) => this.sock.close(() => res()));
  }
}
