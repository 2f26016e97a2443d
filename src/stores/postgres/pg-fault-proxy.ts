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
 *   and the server's termination message behind it, as at a restart). `held()` shows what is held
 *   so far and `whenHeld` waits for it to reach a state: a paused socket's `read()` would give only
 *   what Node had already read from the kernel, and a late byte would go out as a chunk of its own.
 *   A server that closes a held connection has it closed on the client only after the held bytes.
 */
export class PgFaultProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  /** Each open connection's server side and the client it pipes to. */
  private readonly replies = new Map<net.Socket, net.Socket>();
  /** The held connections' server sides: the bytes read from each, and whether the server closed it. */
  private readonly holding = new Map<net.Socket, { chunks: Buffer[]; closed: boolean }>();
  private readonly heldWaiters = new Set<() => void>();

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
    const held = [...this.replies].map(([upstream, client]) => {
      const state = { chunks: [] as Buffer[], closed: false };
      const collect = (chunk: Buffer) => {
        state.chunks.push(chunk);
        for (const wake of this.heldWaiters) wake();
      };
      upstream.unpipe(client);
      this.holding.set(upstream, state);
      upstream.on('data', collect);
      upstream.resume(); // unpipe left it paused: keep reading, so held() shows all the server sent
      return { upstream, client, state, collect };
    });
    return () => {
      for (const { upstream, client, state, collect } of held) {
        upstream.off('data', collect);
        this.holding.delete(upstream);
        if (state.chunks.length > 0) client.write(Buffer.concat(state.chunks));
        if (state.closed) client.end();
        else upstream.pipe(client);
      }
    };
  }

  /** The bytes held so far, one buffer per held connection. */
  held(): Buffer[] {
    return [...this.holding.values()].map((h) => Buffer.concat(h.chunks));
  }

  /** Resolves once `test` accepts the held bytes (checked now and on each chunk the proxy holds). */
  whenHeld(test: (held: Buffer[]) => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (!test(this.held())) return;
        this.heldWaiters.delete(check);
        resolve();
      };
      this.heldWaiters.add(check);
      check();
    });
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
      }
      client.on('close', () => {
        this.sockets.delete(client);
        this.replies.delete(upstream);
        upstream.destroy();
      });
      upstream.on('close', () => {
        this.sockets.delete(upstream);
        this.replies.delete(upstream);
        const held = this.holding.get(upstream);
        // Held: the client hears of the close after the held bytes, when they are let through.
        if (held) held.closed = true;
        else client.destroy();
      });
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
