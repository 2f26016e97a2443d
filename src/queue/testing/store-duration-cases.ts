import { expect, it } from 'vitest';
import type { JobDurations } from '../job-durations.js';
import { newJob, type StoreSuite } from './store-fixtures.js';

/** The bucket a duration falls in: how many bounds lie below it (Prometheus `le` semantics). */
function bucketOf(durations: JobDurations, ms: number): number {
  return durations.boundsMs.filter((b) => b < ms).length;
}

function seriesOf(d: JobDurations, modelId: string, outcome: string) {
  return d.series.find((s) => s.modelId === modelId && s.outcome === outcome);
}

/** jobDurations: the store-kept histogram of finished attempts (src/queue/job-durations.ts). */
export function durationCases(s: StoreSuite): void {
  it('jobDurations: counts each ended attempt by model and outcome, in the bucket of its duration', async () => {
    const empty = await s.store.jobDurations();
    expect(empty.series).toEqual([]);
    expect(empty.boundsMs.length).toBeGreaterThan(5);
    expect([...empty.boundsMs].sort((a, b) => a - b)).toEqual(empty.boundsMs);

    await s.store.enqueue([
      newJob({ modelId: 'ets' }), newJob({ modelId: 'ets' }), newJob({ modelId: 'theta' }), newJob({ modelId: 'theta' }),
      newJob({ modelId: 'croston', maxAttempts: 1 }), newJob({ modelId: 'croston' }), newJob({ modelId: 'naive' }),
    ], { batchId: 'd' });
    const claimed = await s.store.claim({ workerId: 'w', limit: 6, leaseMs: 60_000 });
    const [ets1, ets2, theta1, theta2, croston1, croston2] = claimed;
    s.clock.now += 40;
    await s.store.complete(ets1, {});
    s.clock.now += 2_000 - 40;
    await s.store.complete(ets2, {});
    await s.store.fail(theta1, 'bad');
    await s.store.retry(theta2, 'again', s.clock.now); // an attempt that ended: retried after 2 s
    await s.store.cancel({ ids: [croston2.jobId] });
    await s.store.cancel({ batchId: 'd', status: ['pending'] }); // never ran: not counted
    s.clock.now += 60_000;
    await s.store.rescue(); // croston1 had one attempt: failed after 62 s

    const d = await s.store.jobDurations();
    const ets = seriesOf(d, 'ets', 'completed')!;
    expect(ets.counts.reduce((a, b) => a + b, 0)).toBe(2);
    expect(ets.counts[bucketOf(d, 40)]).toBe(1);
    expect(ets.counts[bucketOf(d, 2_000)]).toBe(1);
    expect(ets.sumMs).toBe(2_040);
    expect(ets.counts.length).toBe(d.boundsMs.length + 1);
    expect(seriesOf(d, 'theta', 'failed')).toMatchObject({ sumMs: 2_000 });
    expect(seriesOf(d, 'theta', 'retried')).toMatchObject({ sumMs: 2_000 });
    expect(seriesOf(d, 'theta', 'retried')!.counts[bucketOf(d, 2_000)]).toBe(1);
    expect(seriesOf(d, 'croston', 'cancelled')).toMatchObject({ sumMs: 2_000 });
    const rescued = seriesOf(d, 'croston', 'failed')!;
    expect(rescued.sumMs).toBe(62_000);
    expect(rescued.counts[bucketOf(d, 62_000)]).toBe(1);
    expect(d.series.map((x) => `${x.modelId}/${x.outcome}`)).toEqual(['croston/cancelled', 'croston/failed', 'ets/completed', 'theta/failed', 'theta/retried']);
  });

  it('jobDurations: a rescue with attempts left counts as retried; a release gives the attempt back and counts nothing', async () => {
    await s.store.enqueue([newJob({ modelId: 'ets', maxAttempts: 3 }), newJob({ modelId: 'theta' })], { batchId: 'r' });
    const [lost, released] = await s.store.claim({ workerId: 'w', limit: 2, leaseMs: 1_000 });
    s.clock.now += 500;
    expect(await s.store.release(released)).toBe(true);
    s.clock.now += 1_000;
    await s.store.rescue(); // lost's lease expired 1.5 s after its claim; 2 attempts left
    const d = await s.store.jobDurations();
    expect(d.series.map((x) => `${x.modelId}/${x.outcome}`)).toEqual(['ets/retried']);
    expect(seriesOf(d, 'ets', 'retried')).toMatchObject({ sumMs: 1_500 });
    expect(lost.jobId).not.toBe(released.jobId);
  });

  it('jobDurations never goes down: prune and reset take nothing from it', async () => {
    await s.store.enqueue([newJob({ modelId: 'ets' }), newJob({ modelId: 'ets' })], { batchId: 'p' });
    const [a, b] = await s.store.claim({ workerId: 'w', limit: 2, leaseMs: 60_000 });
    s.clock.now += 300;
    await s.store.complete(a, {});
    const before = await s.store.jobDurations();
    s.clock.now += 40 * 24 * 3_600_000;
    await s.store.prune({ before: s.clock.now, statuses: ['completed', 'failed', 'cancelled'] });
    expect(await s.store.jobDurations()).toEqual(before);
    await s.store.reset(); // cancels b, which was running: one more attempt, cancelled
    const after = await s.store.jobDurations();
    expect(seriesOf(after, 'ets', 'completed')).toEqual(seriesOf(before, 'ets', 'completed'));
    expect(seriesOf(after, 'ets', 'cancelled')?.counts.reduce((x, y) => x + y, 0)).toBe(1);
    expect(b.jobId).toBeGreaterThan(0);
    // Another instance (another API process) reads the same numbers.
    const other = await s.another();
    expect(await other.jobDurations()).toEqual(after);
  });
}
