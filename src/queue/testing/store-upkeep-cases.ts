import { expect, it } from 'vitest';
import { bareDataset, jobs, newJob, t0, type StoreSuite } from './store-fixtures.js';

/** What keeps the queue honest and bounded: claimable, recount, rescue's grace and backoff, prune. */
export function upkeepCases(s: StoreSuite): void {
  it('claimable: a pending job whose runAt has come, read from the rows (not the counters)', async () => {
    expect(await s.store.claimable()).toBe(false);
    const r = await s.store.enqueue([newJob({ sku: 'A' })], { batchId: 'b' });
    expect(await s.store.claimable()).toBe(true);
    const [c] = await s.store.claim({ workerId: 'w', limit: 1, leaseMs: 1_000 });
    expect(c.jobId).toBe(r.firstId);
    expect(await s.store.claimable()).toBe(false); // running is not claimable
    await s.store.retry(c, 'later', t0 + 5_000);
    expect(await s.store.claimable()).toBe(false); // waiting for its runAt
    s.clock.now = t0 + 5_000;
    expect(await s.store.claimable()).toBe(true);
  });

  it('recount on counters the store kept itself finds no drift and changes no count', async () => {
    await s.store.enqueue(jobs(5), { batchId: 'b' });
    const [c] = await s.store.claim({ workerId: 'w', limit: 1, leaseMs: 1_000 });
    await s.store.progress(c, 40);
    const before = await s.store.summary();
    expect(await s.store.recount()).toEqual([]);
    const after = await s.store.summary();
    expect({ ...after, version: 0 }).toEqual({ ...before, version: 0 });
    expect(after).toMatchObject({ pending: 4, running: 1, total: 5 });
  });

  it('rescue with a grace leaves a lease that ran out within the grace, takes an older one', async () => {
    await s.store.enqueue(jobs(2), { batchId: 'b' });
    const [old] = await s.store.claim({ workerId: 'dead', limit: 1, leaseMs: 1_000 }); // out at t0 + 1 s
    s.clock.now = t0 + 5_000;
    const [recent] = await s.store.claim({ workerId: 'blocked', limit: 1, leaseMs: 1_000 }); // out at t0 + 6 s
    s.clock.now = t0 + 8_000;
    const result = await s.store.rescue({ graceMs: 4_000 }); // expired before t0 + 4 s only
    expect(result.jobIds).toEqual([old.jobId]);
    expect((await s.store.getJob(recent.jobId))!.status).toBe('running');
    expect((await s.store.rescue()).jobIds).toEqual([recent.jobId]);
  });

  it('rescue: a rescued job waits out the retry backoff before it can be claimed again', async () => {
    const r = await s.store.enqueue([newJob({ maxAttempts: 3 })], { batchId: 'b' });
    await s.store.claim({ workerId: 'killed-1', limit: 1, leaseMs: 1_000 });
    s.clock.now = t0 + 2_000;
    expect((await s.store.rescue({ backoffBaseMs: 10_000, backoffMaxMs: 60_000 })).rescued).toBe(1);
    const job = (await s.store.getJob(r.firstId!))!;
    // attempt 1: the ceiling is the base (10 s); half fixed, half random
    expect(job.runAt).toBeGreaterThanOrEqual(t0 + 2_000 + 5_000);
    expect(job.runAt).toBeLessThanOrEqual(t0 + 2_000 + 10_000);
    expect(await s.store.claim({ workerId: 'next', limit: 1, leaseMs: 1_000 })).toEqual([]);
    s.clock.now = job.runAt;
    expect(await s.store.claim({ workerId: 'next', limit: 1, leaseMs: 1_000 })).toHaveLength(1);
    // attempt 2 rescued: the ceiling doubles
    s.clock.now = job.runAt + 2_000;
    await s.store.rescue({ backoffBaseMs: 10_000, backoffMaxMs: 60_000 });
    const again = (await s.store.getJob(r.firstId!))!;
    expect(again.runAt - s.clock.now).toBeGreaterThanOrEqual(10_000);
    expect(again.runAt - s.clock.now).toBeLessThanOrEqual(20_000);
  });

  it('rescue: a job whose every attempt ended with its worker gone fails saying so', async () => {
    const [crasher, flaky] = [(await s.store.enqueue([newJob({ sku: 'crash', maxAttempts: 2 })], { batchId: 'a' })).firstId!,
      (await s.store.enqueue([newJob({ sku: 'flaky', maxAttempts: 2 })], { batchId: 'b' })).firstId!];
    for (let attempt = 1; attempt <= 2; attempt++) {
      const claimed = await s.store.claim({ workerId: `w${attempt}`, limit: 2, leaseMs: 1_000 });
      expect(claimed).toHaveLength(2);
      if (attempt === 1) {
        const f = claimed.find((c) => c.jobId === flaky)!;
        await s.store.retry(f, 'optimizer diverged', s.clock.now); // this attempt failed normally
      }
      s.clock.now += 2_000;
      await s.store.rescue({ backoffBaseMs: 1, backoffMaxMs: 1 });
      s.clock.now += 10;
    }
    const c = (await s.store.getJob(crasher))!;
    expect(c.status).toBe('failed');
    expect(c.error).toMatch(/^every attempt \(2 of 2\) ended with its worker gone/);
    const f = (await s.store.getJob(flaky))!;
    expect(f.status).toBe('failed');
    expect(f.error).toMatch(/^lease expired 1 times \(attempts exhausted\)/);
  });

  it('countPrunable counts, deleting nothing, exactly what prune (by status), forgetWorkers and pruneIdempotencyKeys then delete', async () => {
    await bareDataset(s.store, 'ds-1');
    let batch = 0;
    const finish = async (status: 'completed' | 'failed', overrides: Parameters<typeof newJob>[0]) => {
      const r = await s.store.enqueue([newJob(overrides)], { batchId: `b-${batch++}` });
      const [c] = await s.store.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 });
      expect(c.jobId).toBe(r.firstId);
      if (status === 'completed') await s.store.complete(c, { ok: true });
      else await s.store.fail(c, 'bad');
      return r.firstId!;
    };
    await finish('completed', { datasetId: 'ds-1', sku: 'A' }); // older run of A/ets: goes
    await finish('completed', { datasetId: 'ds-1', sku: 'A' }); // A/ets's newest: its forecast, kept
    await finish('completed', { datasetId: 'gone', sku: 'A' }); // a dataset that does not exist: goes
    await finish('failed', { datasetId: 'ds-1', sku: 'B' });
    await s.store.enqueue(jobs(2, { datasetId: 'ds-1' }), { batchId: 'c' });
    await s.store.cancel({ batchId: 'c' });
    await s.store.enqueue(jobs(1), { batchId: 'waiting' }); // pending: never pruned
    const beat = { host: 'h', pid: 1, concurrency: 1, running: 0, status: 'running' as const };
    await s.store.heartbeatWorker({ ...beat, workerId: 'silent', startedAt: t0, lastHeartbeatAt: t0 });
    const scope = 'POST /api/jobs';
    const key = (k: string) => ({ scope, key: k, token: `t-${k}`, claimMs: 60_000, keepMs: 86_400_000 });
    await s.store.claimIdempotencyKey(key('old'));
    s.clock.now = t0 + 10_000;
    await s.store.heartbeatWorker({ ...beat, workerId: 'live', startedAt: s.clock.now, lastHeartbeatAt: s.clock.now });
    await s.store.claimIdempotencyKey(key('young'));
    s.clock.now = t0 + 20_000;
    const ask = { jobsBefore: s.clock.now, statuses: ['completed', 'failed', 'cancelled'] as Array<'completed' | 'failed' | 'cancelled'>, workersBefore: t0 + 5_000, idempotencyKeysBefore: t0 + 5_000 };
    const before = await s.store.summary();
    expect(await s.store.countPrunable(ask)).toEqual({ completed: 2, failed: 1, cancelled: 2, workers: 1, idempotencyKeys: 1 });
    expect(await s.store.countPrunable({ ...ask, statuses: ['cancelled'] })).toEqual({ completed: 0, failed: 0, cancelled: 2, workers: 1, idempotencyKeys: 1 });
    expect(await s.store.countPrunable({ jobsBefore: null, statuses: ask.statuses, workersBefore: null, idempotencyKeysBefore: null }))
      .toEqual({ completed: 0, failed: 0, cancelled: 0, workers: 0, idempotencyKeys: 0 });
    expect({ ...(await s.store.summary()), version: 0 }).toEqual({ ...before, version: 0 }); // nothing deleted
    expect((await s.store.listWorkers()).map((w) => w.workerId).sort()).toEqual(['live', 'silent']);

    expect(await s.store.prune({ before: ask.jobsBefore, statuses: ['completed'] })).toBe(2);
    expect(await s.store.prune({ before: ask.jobsBefore, statuses: ['failed'] })).toBe(1);
    expect(await s.store.prune({ before: ask.jobsBefore, statuses: ['cancelled'] })).toBe(2);
    expect(await s.store.forgetWorkers(ask.workersBefore)).toBe(1);
    expect(await s.store.pruneIdempotencyKeys(ask.idempotencyKeysBefore)).toBe(1);
    expect(await s.store.countPrunable(ask)).toEqual({ completed: 0, failed: 0, cancelled: 0, workers: 0, idempotencyKeys: 0 });
    expect(await s.store.summary()).toMatchObject({ completed: 1, failed: 0, cancelled: 0, pending: 1 });
  });
}
