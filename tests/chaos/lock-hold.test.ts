/**
 * The short lock-hold run: 3 noop worker processes on SQLite while another process holds the write
 * lock longer than both the workers' busy timeout (1 s here) and their lease (3 s). Every job must
 * end completed on its first attempt. The full run: `npm run chaos:lock -- --jobs 3000 --lock-hold 25`.
 */
import { describe, expect, it } from 'vitest';
import { formatLockHold, runLockHold } from './lock-hold.js';

describe('lock-hold (short form)', () => {
  it('a 5 s write lock held by another process: every job completed once, on its first attempt', async () => {
    const report = await runLockHold({
      jobs: 600, workers: 3, concurrency: 4, noopMs: 100, holdMs: 5_000, leaseMs: 3_000, busyTimeoutMs: 1_000,
    });
    console.log(formatLockHold(report));
    expect(report.jobs).toBe(600);
    expect(report.completed).toBe(600);
    expect(report.firstAttempt).toBe(600);
    expect(report.ranAgain).toBe(0);
    expect(report.lockHeldMs).toBeGreaterThanOrEqual(5_000);
    // the lock did refuse final writes, and they were retried rather than dropped
    expect(report.settleRetries).toBeGreaterThan(0);
  }, 180_000);
});
