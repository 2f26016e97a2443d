import { describe, expect, it } from 'vitest';
import { ManualClock } from './manual-clock.js';
import { armRunTimeout, JobTimeoutError } from './run-timeout.js';

/** Whether `expired` has rejected yet (it never resolves). */
async function hasExpired(expired: Promise<never>): Promise<boolean> {
  return Promise.race([expired.then(() => false, () => true), new Promise<boolean>((r) => setImmediate(() => r(false)))]);
}

describe('armRunTimeout with a limit that arrives later', () => {
  it('counts a deferred run from start(), whether the limit comes before or after it', async () => {
    for (const order of ['limit-first', 'start-first'] as const) {
      const clock = new ManualClock();
      const controller = new AbortController();
      const t = armRunTimeout(clock, controller, undefined, { deferred: true });
      if (order === 'limit-first') t.limit(5_000);
      await clock.advance(20_000); // waiting for a thread: not run time
      expect(await hasExpired(t.expired)).toBe(false);
      t.start();
      await clock.advance(1_000);
      if (order === 'start-first') t.limit(5_000);
      await clock.advance(3_999);
      expect(await hasExpired(t.expired)).toBe(false);
      await clock.advance(1);
      expect(await hasExpired(t.expired)).toBe(true);
      expect(controller.signal.reason).toBeInstanceOf(JobTimeoutError);
      expect(clock.pendingTimers).toBe(0);
    }
  });

  it('leaves no timer and aborts nothing when the limit arrives after cancel (the run has settled)', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const t = armRunTimeout(clock, controller, undefined);
    await clock.advance(10_000);
    t.cancel();
    t.limit(2_000); // long passed, but the run is over
    expect(clock.pendingTimers).toBe(0);
    await clock.advance(0);
    expect(controller.signal.aborted).toBe(false);
    expect(await hasExpired(t.expired)).toBe(false);
  });

  it('takes the first answer only: limit(null) means no limit and a later limit() changes nothing', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const t = armRunTimeout(clock, controller, undefined);
    t.limit(null);
    t.limit(1_000);
    await clock.advance(60_000);
    expect(clock.pendingTimers).toBe(0);
    expect(controller.signal.aborted).toBe(false);
  });

  it('never arms a deferred run that never starts, even once its limit is known', async () => {
    const clock = new ManualClock();
    const t = armRunTimeout(clock, new AbortController(), undefined, { deferred: true });
    t.limit(1_000);
    await clock.advance(60_000);
    expect(clock.pendingTimers).toBe(0);
    t.cancel();
  });
});
