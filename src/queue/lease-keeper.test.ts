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

it('an outage\'s unanswered checks are logged once, then at most once a minute, and their end once: 3 lines for 2 minutes of checks every 250 ms (480 before)', async () => {
  const clock = new ManualClock();
  const { logger, lines } = recording();
  let down = true;
  const store = {
    lost: async () => { if (down) throw new Error('the database is unavailable'); return []; },
    renew: async () => [],
  } as unknown as QueueStore;
  const keeper = new LeaseKeeper({ store, clock, leaseMs: 30_000, logger, workerId: 'w1', held: () => [{ jobId: 7, leaseToken: 't' }], onLost: () => undefined });
  for (let i = 0; i < 480; i++) { // 2 minutes of checks, 250 ms apart
    await keeper.check();
    await clock.advance(250);
  }
  down = false;
  await keeper.check();
  await keeper.check();
  expect(lines.map((l) => [l.level, l.msg])).toEqual([
    ['warn', 'Worker: could not check leases (the store did not answer); the next check tries again'],
    ['warn', 'Worker: could not check leases 240 more times since the last line (the store does not answer); still trying'],
    ['info', 'Worker: the store answers lease checks again (after 120 s; 239 more unanswered since the last line)'],
  ]);
  expect(lines.every((l) => l.obj.event === 'lease-check')).toBe(true);
});
