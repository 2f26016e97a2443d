import { expect, it } from 'vitest';
import { LeaseKeeper } from './lease-keeper.js';
import { ManualClock } from './manual-clock.js';
import type { QueueLogger } from './queue-logger.js';
import type { QueueStore } from './queue-store.js';

function recording(): { logger: QueueLogger; lines: Array<{ level: string; obj: Record<string, unknown>; msg?: string }> } {
  const lines: Array<{ level: string; obj: Record<string, unknown>; msg?: string }> = [];
  const at = (level: string) => (obj: object, msg?: string) => void lines.push({ level, obj: obj as Record<string, unknown>, msg });
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

it('a lease check the store does not answer is logged as lease-check, not fenced: nothing was fenced', async () => {
  const clock = new ManualClock();
  const { logger, lines } = recording();
  const unavailable = new Error('PostgreSQL is unavailable: terminating connection due to administrator command');
  const store = { lost: async () => { throw unavailable; }, renew: async () => [] } as unknown as QueueStore;
  const lostIds: number[] = [];
  const keeper = new LeaseKeeper({
    store, clock, leaseMs: 30_000, logger, workerId: 'w1',
    held: () => [{ jobId: 7, leaseToken: 't' }],
    onLost: (ids) => void lostIds.push(...ids),
  });
  await keeper.check();
  expect(lostIds).toEqual([]);
  expect(lines).toEqual([{
    level: 'warn',
    obj: { event: 'lease-check', workerId: 'w1', err: unavailable.message },
    msg: 'Worker: could not check leases (the store did not answer); the next check tries again',
  }]);
  expect(lines.some((l) => l.obj.event === 'fenced')).toBe(false);
});
