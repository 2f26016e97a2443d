import { expect, it } from 'vitest';
import { jobs, newJob, t0, type StoreSuite } from './store-fixtures.js';

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
}
