import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { leaseClock } from './postgres-clock.js';

/**
 * A pool whose server clock runs `aheadMs` ahead of the host's, reading clock_timestamp() at the
 * end of each query's delay. The first query also opens the connection (`connectMs` more), as a
 * real pool's first query does. The host's clock is `t`, moved by the fake alone.
 */
function fakePool(aheadMs: number, connectMs: number) {
  let t = 1_000_000;
  let queries = 0;
  const pool = {
    async query() {
      if (queries++ === 0) t += connectMs;
      t += 2; // the statement reaches the server
      const ms = String(t + aheadMs);
      t += 2; // the answer comes back
      return { rows: [{ ms }] };
    },
  } as unknown as pg.Pool;
  return { pool, now: () => t, queries: () => queries };
}

describe('leaseClock (database mode)', () => {
  it('measures the offset to the server from a round trip without the connection set-up in it', async () => {
    const { pool, now } = fakePool(5_000, 400);
    const clock = leaseClock(pool, now, 'database');
    await clock.sync();
    expect(clock.offsetMs).toBe(5_000); // one sample with the connect in it reads 5,200
    expect(clock.now() - now()).toBe(5_000);
  });

  it('measures again only when the last measure is older than maxAgeMs; caller mode never asks', async () => {
    const { pool, now, queries } = fakePool(-3_000, 0);
    const clock = leaseClock(pool, now, 'database');
    await clock.sync();
    expect(clock.offsetMs).toBe(-3_000);
    const asked = queries();
    await clock.sync(60_000); // measured a few ms ago
    expect(queries()).toBe(asked);
    await clock.sync(1); // older than 1 ms by now
    expect(queries()).toBeGreaterThan(asked);
    const caller = leaseClock(pool, now, 'caller');
    await caller.sync();
    expect(caller.offsetMs).toBe(0);
    expect(caller.now()).toBe(now());
  });
});
