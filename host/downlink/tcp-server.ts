// A TCP server streaming the CADU stream to any number of clients (a ground-station front
// end, a GNU Radio TCP source, nc): raw CADUs back to back (ASM, randomized codeblock), no
// framing of our own. A client gets the stream from the moment it connects, starting on a CADU
// boundary. Each client has a bounded send buffer: when a slow client's buffer is full, whole
// CADUs are dropped for that client only (counted) so the stream stays CADU-aligned and the
// others are not held back. A client that disconnects or errors is forgotten; nothing it does
// stops the server. Binds 127.0.0.1 unless told otherwise.
import { createServer, type Server, type Socket } from "node:net";

export interface CaduServerOptions {
  host?: string;
  /** 0: chosen by the OS (read .port after listen). */
  port?: number;
  /** CADU length: chunks given to broadcast() must be whole CADUs. */
  caduLen: number;
  /** Octets a client may have queued before CADUs are dropped for it (default 4 MiB; a queue holds at most this plus one chunk). */
  maxClientBuffer?: number;
  onClient?(e: { kind: "connect" | "close"; id: number; remote: string }): void;
}

export interface CaduClientStats { id: number; remote: string; bytesSent: number; cadusDropped: number; open: boolean; error?: string }

export class CaduServerError extends Error {
  constructor(readonly field: "caduLen" | "chunk", readonly reason: string) { super(`CADU server ${field}: ${reason}`); this.name = "CaduServerError"; }
}

export class CaduTcpServer {
  private readonly server: Server;
  private readonly clients = new Map<number, { sock: Socket; s: CaduClientStats }>();
  private readonly closed: CaduClientStats[] = [];
  private nextId = 1;
  private readonly limit: number;
  port = 0;

  private constructor(private readonly o: CaduServerOptions) {
    if (!Number.isInteger(o.caduLen) || o.caduLen < 1) throw new CaduServerError("caduLen", "must be a positive integer");
    this.limit = o.maxClientBuffer ?? 4 << 20;
    this.server = createServer((sock) => this.accept(sock));
    this.server.on("error", () => undefined);
  }

  static async listen(o: CaduServerOptions): Promise<CaduTcpServer> {
    const s = new CaduTcpServer(o);
    await new Promise<void>((res, rej) => {
      s.server.once("error", rej);
      s.server.listen(o.port ?? 0, o.host ?? "127.0.0.1", () => { s.server.off("error", rej); res(); });
    });
    const a = s.server.address();
    s.port = typeof a === "object" && a ? a.port : 0;
    return s;
  }

  private accept(sock: Socket): void {
    const id = this.nextId++;
    const s: CaduClientStats = { id, remote: `${sock.remoteAddress}:${sock.remotePort}`, bytesSent: 0, cadusDropped: 0, open: true };
    this.clients.set(id, { sock, s });
    sock.setNoDelay(true);
    sock.on("data", () => undefined); // output only: whatever a client sends is ignored
    sock.on("error", (e) => { s.error = e.message; });
    sock.on("close", () => {
      s.open = false;
      this.clients.delete(id);
      this.closed.push(s);
      this.o.onClient?.({ kind: "close", id, remote: s.remote });
    });
    this.o.onClient?.({ kind: "connect", id, remote: s.remote });
  }

  /** Sends whole CADUs to every client (dropped for a client whose queue is over the limit). */
  broadcast(chunk: Uint8Array): void {
    const L = this.o.caduLen;
    if (chunk.length % L) throw new CaduServerError("chunk", `${chunk.length} octets is not a whole number of ${L}-octet CADUs`);
    for (const { sock, s } of this.clients.values()) {
      if (sock.destroyed || !sock.writable) continue;
      // Queued octets stay under the limit plus one chunk: a client still behind by more than
      // the limit loses this chunk's CADUs (whole ones: the stream stays aligned).
      if (sock.writableLength <= this.limit) { sock.write(chunk); s.bytesSent += chunk.length; }
      else s.cadusDropped += chunk.length / L;
    }
  }

  get clientCount(): number { return this.clients.size; }

  stats(): CaduClientStats[] { return [...this.closed, ...[...this.clients.values()].map((c) => c.s)].sort((a, b) => a.id - b.id); }

  /** Flushes what clients have queued (up to timeoutMs), then closes every connection and the server. */
  async close(timeoutMs = 2000): Promise<void> {
    const ends = [...this.clients.values()].map(({ sock }) => new Promise<void>((res) => {
      if (sock.destroyed) return res();
      const t = setTimeout(() => { sock.destroy(); res(); }, timeoutMs);
      sock.once("close", () => { clearTimeout(t); res(); });
      sock.end();
    }));
    await Promise.all(ends);
    await new Promise<void>((res) => this.server.close(() => res()));
  }
}
