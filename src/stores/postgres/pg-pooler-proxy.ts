import net from 'node:net';

/** The CancelRequest code of the frontend/backend protocol (the second int32 of its message). */
const cancelRequestCode = 80877102;

/**
 * PgPoolerProxy stands in for PgBouncer where it matters to a cancel: each connection through it
 * is told a backend key of the proxy's own (BackendKeyData rewritten, a process id no server
 * process has), and a CancelRequest carrying such a key reaches the server with the real one. So
 * `pg_cancel_backend(<the pid the client holds>)` finds nothing to cancel, as behind PgBouncer,
 * while a protocol cancel request works. Everything else is piped unchanged; no TLS.
 */
export class PgPoolerProxy {
  private readonly keys = new Map<string, Buffer>();
  private readonly sockets = new Set<net.Socket>();
  private nextPid = 4_000_000_000;

  private constructor(private readonly server: net.Server, private readonly target: { host: string; port: number }, readonly port: number) {}

  static async start(target: { host: string; port: number }): Promise<PgPoolerProxy> {
    let proxy!: PgPoolerProxy;
    const server = net.createServer((client) => proxy.accept(client));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    proxy = new PgPoolerProxy(server, target, (server.address() as net.AddressInfo).port);
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
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private track(socket: net.Socket) {
    this.sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => this.sockets.delete(socket));
  }

  private accept(client: net.Socket) {
    this.track(client);
    client.once('data', (first) => {
      client.pause();
      const upstream = net.connect(this.target.port, this.target.host);
      this.track(upstream);
      upstream.on('close', () => client.destroy());
      client.on('close', () => upstream.destroy());
      if (first.length >= 16 && first.readInt32BE(4) === cancelRequestCode) {
        const real = this.keys.get(first.subarray(8, 16).toString('hex'));
        if (!real) return client.destroy();
        upstream.write(Buffer.concat([first.subarray(0, 8), real]));
        return;
      }
      upstream.write(first);
      client.pipe(upstream);
      client.resume();
      this.rewriteKey(upstream, client);
    });
  }

  /** Passes the server's messages on, its BackendKeyData ('K') with a key of the proxy's own. */
  private rewriteKey(upstream: net.Socket, client: net.Socket) {
    let pending = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 5 && pending.length >= 1 + pending.readInt32BE(1)) {
        const length = 1 + pending.readInt32BE(1);
        if (pending[0] === 0x4b /* 'K' */) {
          const fake = Buffer.alloc(8);
          fake.writeUInt32BE(this.nextPid++ % 2 ** 31, 0); // above any pid_max: no server process has it
          fake.writeUInt32BE(Math.floor(Math.random() * 2 ** 31), 4);
          this.keys.set(fake.toString('hex'), Buffer.from(pending.subarray(5, 13)));
          fake.copy(pending, 5);
          // The key comes once, at the start: from here on the server's bytes pass unread.
          client.write(pending);
          upstream.off('data', onData);
          upstream.pipe(client);
          return;
        }
        client.write(pending.subarray(0, length)); // the login's messages, which the client may answer
        pending = pending.subarray(length);
      }
    };
    upstream.on('data', onData);
  }
}
