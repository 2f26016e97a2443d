import pg from 'pg';

export type WakeEvent = 'jobs' | 'cancel';

/** The channels the jobs triggers (migrations/001_jobs.sql) notify; the payload is the schema. */
export const jobsChannel = 'skucast_jobs';
export const cancelChannel = 'skucast_cancel';

const firstRetryMs = 100;
const maxRetryMs = 5_000;
const healthCheckMs = 15_000;

/**
 * PostgresListener holds one dedicated LISTEN connection for a store, outside the pool (a pooled
 * connection would be handed to other queries and lose its LISTEN).
 *
 * Modes:
 * - idle: no subscriber, no connection.
 * - listening: connected, LISTEN on both channels; a health check every 15 s notices a server
 *   that vanished without closing the socket.
 * - reconnecting: the connection was lost; it tries again after 100 ms, doubling up to 5 s.
 *   Notifications sent meanwhile are gone with the connection, so after every reconnect it wakes
 *   every subscriber with 'jobs' and 'cancel' and lets them look for themselves.
 * - closed: for good (store.close()).
 * Notifications carry the schema as payload; those of other schemas in the same database are
 * ignored, so stores side by side in one database do not wake each other.
 */
export class PostgresListener {
  private readonly subscribers = new Set<(event: WakeEvent) => void>();
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private healthTimer: NodeJS.Timeout | null = null;
  private retryMs = firstRetryMs;
  private closed = false;
  /** Set when a connection attempt failed or a connection was lost: wake everyone once back. */
  private missed = false;
  /** Successful connections so far: tests and logs can see a reconnect happened. */
  connections = 0;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly schema: string,
  ) {}

  /** Resolves once the first connection attempt is over (listening, or retrying in the background). */
  async subscribe(onWake: (event: WakeEvent) => void): Promise<() => Promise<void>> {
    if (this.closed) throw new Error('the store is closed');
    this.subscribers.add(onWake);
    if (!this.client && !this.connecting && !this.retryTimer) await this.connect();
    else if (this.connecting) await this.connecting;
    return async () => {
      this.subscribers.delete(onWake);
      if (this.subscribers.size === 0) await this.stop();
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.subscribers.clear();
    await this.stop();
  }

  private emit(event: WakeEvent): void {
    for (const subscriber of [...this.subscribers]) {
      try {
        subscriber(event);
      } catch {
        // a subscriber's failure is its own business; the others still get woken
      }
    }
  }

  private connect(): Promise<void> {
    this.connecting = (async () => {
      const client = new pg.Client(this.config);
      client.on('notification', (message) => {
        if (message.payload !== this.schema) return;
        this.emit(message.channel === cancelChannel ? 'cancel' : 'jobs');
      });
      client.on('error', () => this.lost(client));
      client.on('end', () => this.lost(client));
      try {
        await client.connect();
        await client.query(`LISTEN ${jobsChannel}; LISTEN ${cancelChannel}`);
      } catch {
        client.removeAllListeners('end');
        client.on('error', () => undefined);
        void client.end().catch(() => undefined);
        this.scheduleRetry();
        return;
      }
      if (this.closed || this.subscribers.size === 0) {
        void client.end().catch(() => undefined);
        return;
      }
      this.client = client;
      this.retryMs = firstRetryMs;
      this.connections++;
      this.startHealthCheck(client);
      if (this.missed) {
        this.missed = false;
        this.emit('jobs');
        this.emit('cancel');
      }
    })().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    this.stopHealthCheck();
    client.removeAllListeners('end');
    client.on('error', () => undefined); // a late error of a dead socket must not crash the process
    void client.end().catch(() => undefined);
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.closed || this.subscribers.size === 0 || this.retryTimer) return;
    this.missed = true;
    const delay = this.retryMs;
    this.retryMs = Math.min(maxRetryMs, this.retryMs * 2);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.closed && this.subscribers.size > 0 && !this.client) void this.connect();
    }, delay);
  }

  private startHealthCheck(client: pg.Client): void {
    this.healthTimer = setInterval(() => {
      client.query('SELECT 1').catch(() => this.lost(client));
    }, healthCheckMs);
    this.healthTimer.unref();
  }

  private stopHealthCheck(): void {
    if (this.healthTimer) clearInterval(this.healthTimer);
    this.healthTimer = null;
  }

  private async stop(): Promise<void> {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.stopHealthCheck();
    if (this.connecting) await this.connecting;
    const client = this.client;
    this.client = null;
    if (client) {
      client.removeAllListeners('end');
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
    }
  }
}
