import pg from 'pg';

export type WakeEvent = 'jobs' | 'cancel';

/** What a subscriber answers to a 'jobs' wake: true when it will claim (a free slot, running); anything else is a no. */
export type WakeHandler = (event: WakeEvent) => unknown;

/**
 * The channels the jobs triggers notify, with the schema as payload. A targeted 'jobs' wake goes
 * to `skucast_jobs_<pid>`, the own channel of the LISTEN backend that should claim
 * (migrations/018_wake_own_channel.sql); a database not yet migrated to 018 sends it on
 * 'skucast_jobs' as '<schema>:pid,pid' (014_targeted_wake.sql), which is still understood.
 */
export const jobsChannel = 'skucast_jobs';
export const cancelChannel = 'skucast_cancel';
export const ownJobsChannel = (backendPid: string) => `${jobsChannel}_${backendPid}`;

/** The LISTEN connection's application_name until it listens: no targeted wake names it yet. */
const startingName = (name: string) => `${name.replace(/^skucast-listen/, 'skucast-listen-starting')}`.slice(0, 63);

const firstRetryMs = 100;
const maxRetryMs = 5_000;
const healthCheckMs = 15_000;

/**
 * PostgresListener holds one dedicated LISTEN connection for a store, outside the pool (a pooled
 * connection would be handed to other queries and lose its LISTEN).
 *
 * Modes:
 * - idle: no subscriber, no connection.
 * - connecting: connected under the name 'skucast-listen-starting:<schema>', which no targeted
 *   wake looks for; it takes 'skucast-listen:<schema>' only once its LISTENs are in effect.
 * - listening: connected, LISTEN on its three channels; a health check every 15 s notices a server
 *   that vanished without closing the socket.
 * - reconnecting: the connection was lost; it tries again after 100 ms, doubling up to 5 s.
 *   Notifications sent meanwhile are gone with the connection, so after every reconnect it wakes
 *   every subscriber with 'jobs' and 'cancel' and lets them look for themselves.
 * - closed: for good (store.close()).
 * Notifications carry the schema as payload; those of other schemas in the same database are
 * ignored, so stores side by side in one database do not wake each other.
 * Targeted wakes come on the connection's own channel (`skucast_jobs_<backend pid>`), so a
 * process not named is not even woken; a named one wakes its subscribers and, when none of them
 * will claim (all slots busy, stopping, a `skucast watch`), passes it on to everyone with the
 * plain payload, so the job never waits for a backstop poll because the trigger named a process
 * that could not take it.
 */
export type ListenTrouble = { state: 'failed' | 'lost'; error: unknown } | { state: 'listening' };

export class PostgresListener {
  private readonly subscribers = new Set<WakeHandler>();
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private healthTimer: NodeJS.Timeout | null = null;
  private retryMs = firstRetryMs;
  private closed = false;
  /** Set when a connection attempt failed or a connection was lost: wake everyone once back. */
  private missed = false;
  /** The LISTEN connection's server process: targeted wakes name it (migrations/014_targeted_wake.sql). */
  private backendPid = '';
  /** Successful connections so far: tests and logs can see a reconnect happened. */
  connections = 0;
  /** A failure was reported and no connection has listened since: one report per outage, not per retry. */
  private troubled = false;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly schema: string,
    /**
     * Told when listening stops (the connection failed or was lost) and when it is back. Without
     * it a wrong DATABASE_LISTEN_URL was silent: pickups just waited for the backstop poll.
     */
    private readonly onTrouble?: (trouble: ListenTrouble) => void,
  ) {}

  /** Resolves once the first connection attempt is over (listening, or retrying in the background). */
  async subscribe(onWake: WakeHandler): Promise<() => Promise<void>> {
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

  /** Wakes every subscriber; true when one of them said it will claim. */
  private emit(event: WakeEvent): boolean {
    let taken = false;
    for (const subscriber of [...this.subscribers]) {
      try {
        if (subscriber(event) === true) taken = true;
      } catch {
        // a subscriber's failure is its own business; the others still get woken
      }
    }
    return taken;
  }

  private onNotification(client: pg.Client, channel: string, payload: string | undefined): void {
    if (channel === ownJobsChannel(this.backendPid)) {
      if (payload === this.schema) this.targetedWake(client);
      return;
    }
    if (payload === this.schema) {
      this.emit(channel === cancelChannel ? 'cancel' : 'jobs');
      return;
    }
    // a database not migrated to 018 yet names the pids in the payload on the shared channel
    const targeted = `${this.schema}:`;
    if (channel !== jobsChannel || !payload?.startsWith(targeted)) return; // another schema's
    const named = payload.slice(targeted.length).split(',');
    if (named.includes(this.backendPid)) this.targetedWake(client);
  }

  /** This process was named for a new job: claim, or pass the wake on to everyone. */
  private targetedWake(client: pg.Client): void {
    if (!this.emit('jobs')) {
      client.query('SELECT pg_notify($1, $2)', [jobsChannel, this.schema]).catch((error: unknown) => this.lost(client, error));
    }
  }

  private connect(): Promise<void> {
    this.connecting = (async () => {
      // Targeted wakes find LISTEN connections by application_name (migrations/014, 018): the
      // connection takes that name only once it listens, or a wake naming it in between is lost.
      const name = this.config.application_name ?? '';
      const client = new pg.Client({ ...this.config, application_name: startingName(name) });
      client.on('notification', (message) => this.onNotification(client, message.channel, message.payload));
      client.on('error', (error) => this.lost(client, error));
      client.on('end', () => this.lost(client, new Error('the connection ended')));
      try {
        await client.connect();
        // the pid first: its own channel is named after it
        this.backendPid = String((await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid);
        await client.query(`LISTEN ${jobsChannel}; LISTEN ${cancelChannel}; LISTEN ${ownJobsChannel(this.backendPid)}`);
        // LISTEN took effect when that statement committed: from now on a wake naming it arrives
        await client.query("SELECT set_config('application_name', $1, false)", [name]);
      } catch (error) {
        client.removeAllListeners('end');
        client.on('error', () => undefined);
        void client.end().catch(() => undefined);
        this.report({ state: 'failed', error });
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
      this.report({ state: 'listening' });
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

  private report(trouble: ListenTrouble): void {
    // A connection failing or ending while the store closes is the close, not an outage.
    if (this.closed || this.subscribers.size === 0) return;
    const back = trouble.state === 'listening';
    // Reports strictly alternate (a loss, then its return): ListenTroubleLog's lines rely on it.
    if (this.troubled !== back) return; // already reported: a retry that fails again says nothing new
    this.troubled = !back;
    try {
      this.onTrouble?.(trouble);
    } catch {
      // a logger's failure must not stop the reconnecting
    }
  }

  private lost(client: pg.Client, error: unknown): void {
    if (this.client !== client) return;
    this.report({ state: 'lost', error });
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
      client.query('SELECT 1').catch((error: unknown) => this.lost(client, error));
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
    this.troubled = false; // no one listens now: the next subscriber's outage is news again
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
