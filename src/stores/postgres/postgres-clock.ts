import type pg from 'pg';

/**
 * The clock leases are measured on, for the PostgreSQL store: the database's, never one host's.
 * With workers on several hosts, a host whose clock is behind would write leases that everyone
 * else sees as long expired (rescued, then fenced, then failed), and one ahead would write leases
 * a dead worker keeps for hours.
 *
 * Modes: 'database' (the default when no clock is injected) - leaseNow() is this host's clock
 * plus the offset to the server's clock_timestamp(), measured at open and again at most every
 * minute (from rescue), midpoint of the shortest of three round trips; 'caller' (tests that
 * inject a clock) - the injected clock itself, so a test moves leases by moving its clock.
 */
export type LeaseClockMode = 'database' | 'caller';

export interface LeaseClock {
  /** Epoch milliseconds on the lease clock. */
  now(): number;
  /** Measures the offset to the server again when it is older than `maxAgeMs`. Never throws. */
  sync(maxAgeMs?: number): Promise<void>;
  /** The offset last measured (0 until then and in 'caller' mode). */
  readonly offsetMs: number;
}

export function leaseClock(pool: pg.Pool, now: () => number, mode: LeaseClockMode): LeaseClock {
  let offsetMs = 0;
  let syncedAt = -Infinity;
  return {
    now: () => now() + offsetMs,
    get offsetMs() {
      return offsetMs;
    },
    async sync(maxAgeMs = 60_000) {
      if (mode === 'caller') return;
      const local = now();
      if (local - syncedAt < maxAgeMs) return;
      try {
        // Three samples, the one with the shortest round trip kept (as NTP does): the first may
        // include opening a connection, which puts the server's reading far from the midpoint.
        let best: { rtt: number; offset: number; at: number } | null = null;
        for (let i = 0; i < 3; i++) {
          const before = now();
          const { rows } = await pool.query<{ ms: string }>('SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint AS ms');
          const after = now();
          const sample = { rtt: after - before, offset: Number(rows[0].ms) - Math.round((before + after) / 2), at: after };
          if (best === null || sample.rtt < best.rtt) best = sample;
        }
        offsetMs = best!.offset;
        syncedAt = best!.at;
      } catch {
        // the server is away: keep the last offset; the next rescue measures again
      }
    },
  };
}
