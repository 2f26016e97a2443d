import net from 'node:net';

/**
 * PgFaultProxy stands between a store and the real PostgreSQL server so a test can take "the
 * database" away and bring it back without restarting the shared server. Modes:
 * - up: accepts connections on its port and pipes each to the target;
 * - down (stop()): every open connection is reset and the port refuses new ones, as when the
 *   server's host dies or the server restarts;
 * - up again (resume()): same port, new connections reach the server again;
 * - replies held (holdReplies()): what the server sends on the connections open now waits in the
 *   proxy until the returned function is called, as on a slow network: a statement runs (and
 *   commits) while its caller has not heard of it yet. Connections opened meanwhile pass freely.
 *   What was held goes out in one write, so the client reads it as one chunk (a statement's answer
 *   and the server's termination message behind it, as at a restart).
 */
export class PgFaultProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  /** Each open connection's server side and the client it pipes to. */
  private readonly replies = new Map<net.Socket, net.Socket>();

  private constructor(
    private readonly target: { host: string; port: number },
    public port: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<PgFaultProxy> {
    const proxy = new PgFaultProxy(target, 0);
    await proxy.listen();
    return proxy;
  }

  /** `url` with its host and port replaced by the proxy's. */
  url(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.href;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.resetAndDestroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Holds the server's replies on the connections open now; the returned function lets them through. */
  holdReplies(): () => void {
    const held = [...this.replies];
    for (const [upstream, client] of held) {
      upstream.unpipe(client);
      upstream.pause();
    }
    return () => {
      for (const [upstream, client] of held) {
        const waiting = upstream.read() as Buffer | null; // all that is buffered, concatenated
        if (waiting) client.write(waiting);
        upstream.pipe(client);
      }
    };
  }

  async resume(): Promise<void> {
    if (!this.server) await this.listen();
  }

  private listen(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => {
          this.sockets.delete(s);
          this.replies.delete(upstream);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
      this.replies.set(upstream, client);
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        this.port = (server.address() as net.AddressInfo).port;
        resolve();
      });
    });
  }
}

/** A local port nothing listens on (bound, then released), for "the server is unreachable". */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
