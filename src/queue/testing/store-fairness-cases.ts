import { expect, it } from 'vitest';
import { allJobs, jobs, newJob, type StoreSuite } from './store-fixtures.js';

/** Claim order between datasets at one priority: they take turns; priority still comes first. */
export function fairnessCases(s: StoreSuite): void {
  const claimAll = async (limit: number) => {
    const out: Array<{ id: number; datasetId: string | null; priority: number }> = [];
    for (;;) {
      const claimed = await s.store.claim({ workerId: 'w', limit, leaseMs: 30_000 });
      if (claimed.length === 0) return out;
      // Within one claim the order is the store's business; across claims it is the queue order.
      out.push(...claimed.map((c) => ({ id: c.jobId, datasetId: c.job.datasetId, priority: c.job.priority })));
    }
  };

  it('a small dataset enqueued behind a big one at the same priority takes turns with it', async () => {
    const big = await s.store.enqueue(jobs(40, { datasetId: 'big', priority: 3 }), { batchId: 'big' });
    // Some of the big one is already running when the small one arrives.
    const first = await s.store.claim({ workerId: 'w', limit: 5, leaseMs: 30_000 });
    expect(first.map((c) => c.jobId)).toEqual([0, 1, 2, 3, 4].map((i) => big.firstId! + i));
    const small = await s.store.enqueue(jobs(3, { datasetId: 'small', priority: 3 }), { batchId: 'small' });
    const order = await claimAll(1);
    // The small dataset's 3 jobs are among the next 6 claimed (alternating), not after the big one's 35.
    const smallAt = order.map((c, i) => (c.datasetId === 'small' ? i : -1)).filter((i) => i >= 0);
    expect(smallAt).toHaveLength(3);
    expect(Math.max(...smallAt)).toBeLessThan(6);
    // FIFO within each dataset.
    const smallIds = order.filter((c) => c.datasetId === 'small').map((c) => c.id);
    expect(smallIds).toEqual([small.firstId!, small.firstId! + 1, small.firstId! + 2]);
    const bigIds = order.filter((c) => c.datasetId === 'big').map((c) => c.id);
    expect(bigIds).toEqual([...bigIds].sort((a, b) => a - b));
    expect(bigIds).toHaveLength(35);
  });

  it('one claim of several jobs comes back in turn order, the order a worker starts them in', async () => {
    const big = await s.store.enqueue(jobs(10, { datasetId: 'big', priority: 3 }), { batchId: 'big' });
    const small = await s.store.enqueue(jobs(2, { datasetId: 'small', priority: 3 }), { batchId: 'small' });
    const claimed = await s.store.claim({ workerId: 'w', limit: 6, leaseMs: 30_000 });
    // Alternating from the queue's head, not by id (which would put both small jobs last).
    expect(claimed.map((c) => c.jobId)).toEqual([
      big.firstId!, small.firstId!, big.firstId! + 1, small.firstId! + 1, big.firstId! + 2, big.firstId! + 3,
    ]);
  });

  it('a dataset re-enqueued over its own waiting jobs: keeps their turns where capabilities.supersedeKeepsTurn, goes behind the others where not', async () => {
    const skus = Array.from({ length: 10 }, (_, i) => `S${i}`);
    const work = (datasetId: string) => skus.map((sku) => newJob({ datasetId, sku, priority: 3 }));
    await s.store.enqueue(work('a'), { batchId: 'a' });
    await s.store.enqueue(work('b'), { batchId: 'b' });
    const first = await s.store.claim({ workerId: 'w', limit: 2, leaseMs: 60_000 });
    expect(first.map((c) => c.job.datasetId)).toEqual(['a', 'b']);
    // a is enqueued again for the same work (an engine upgrade, a settings change): 9 waiting and 1 running give way
    const again = await s.store.enqueue(work('a'), { batchId: 'a-again' });
    expect(again.jobsCancelled).toBe(10);
    // and a's next batch still starts after a's own waiting jobs, whichever turns they have now
    await s.store.enqueue(['T0', 'T1'].map((sku) => newJob({ datasetId: 'a', sku, priority: 3 })), { batchId: 'a-next' });
    const order: string[] = [];
    for (let c = await s.store.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 }); c.length > 0; c = await s.store.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 })) {
      order.push(`${c[0].job.datasetId}:${c[0].job.sku}`);
    }
    expect(order).toHaveLength(21);
    const bs = skus.slice(1).map((sku) => `b:${sku}`);
    if (s.store.capabilities.supersedeKeepsTurn) {
      // the new jobs took the turns of the ones they replaced; the one replacing a running job had none to take
      expect(order).toEqual([...bs.flatMap((b) => [b, `a:${b.slice(2)}`]), 'a:S0', 'a:T0', 'a:T1']);
    } else {
      // the new jobs are a new batch of a: after every turn b was given meanwhile
      expect(order).toEqual([...bs, ...skus.map((sku) => `a:${sku}`), 'a:T0', 'a:T1']);
    }
  });

  it('a dataset arriving while an older job waits out a retry backoff starts where claim is, not at that job', async () => {
    await s.store.enqueue(jobs(10, { datasetId: 'a', priority: 3 }), { batchId: 'a' });
    const first = await s.store.claim({ workerId: 'w', limit: 5, leaseMs: 30_000 });
    // a's first job failed and waits an hour before its next attempt; it keeps its early turn.
    expect(await s.store.retry(first[0], 'boom', s.clock.now + 3_600_000)).toBe(true);
    await s.store.enqueue(jobs(6, { datasetId: 'b', priority: 3 }), { batchId: 'b' });
    const order = (await claimAll(1)).map((c) => c.datasetId);
    // b alternates with a's remaining five instead of taking the turns a already used.
    expect(order.slice(0, 4)).toEqual(['a', 'b', 'a', 'b']);
    expect(order.filter((d) => d === 'a')).toHaveLength(5);
  });

  it('datasets enqueued at once from two instances (two API processes) still take turns, each FIFO', async () => {
    const other = await s.another();
    const batches = Array.from({ length: 8 }, (_, i) => [
      s.store.enqueue(jobs(5, { datasetId: 'x', priority: 3 }), { batchId: `x${i}` }),
      other.enqueue(jobs(5, { datasetId: 'y', priority: 3 }), { batchId: `y${i}` }),
    ]).flat();
    await Promise.all(batches);
    const order = await claimAll(1);
    expect(order).toHaveLength(80);
    // Turns are given under the enqueue lock: every turn holds one job of each dataset, never two
    // of one (two batches of a dataset that read the same last turn would share theirs).
    for (let k = 0; k < 80; k += 2) expect(order.slice(k, k + 2).map((c) => c.datasetId).sort()).toEqual(['x', 'y']);
    for (const d of ['x', 'y']) {
      const ids = order.filter((c) => c.datasetId === d).map((c) => c.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    }
  });

  it("a dataset's next batch waits behind its first even when the first one's last job was a reused result", async () => {
    await s.store.enqueue([newJob({ datasetId: 'old', inputHash: 'same-input' })], { batchId: 'old' });
    const [done] = await s.store.claim({ workerId: 'w', limit: 1, leaseMs: 30_000 });
    expect(await s.store.complete(done, { cached: true })).toBe(true);
    // The first batch's last job completes at once from that result: it takes a turn but never waits.
    const a1 = await s.store.enqueue(
      [...jobs(2, { datasetId: 'a', priority: 3 }), newJob({ datasetId: 'a', priority: 3, inputHash: 'same-input' })],
      { batchId: 'a1' },
    );
    expect(a1.jobsReused).toBe(1);
    await s.store.enqueue(jobs(2, { datasetId: 'a', priority: 3 }), { batchId: 'a2' });
    await s.store.enqueue(jobs(2, { datasetId: 'b', priority: 3 }), { batchId: 'b' });
    const order = await claimAll(1);
    const aIds = order.filter((c) => c.datasetId === 'a').map((c) => c.id);
    expect(aIds).toHaveLength(4);
    expect(aIds).toEqual([...aIds].sort((x, y) => x - y)); // FIFO: a2 never overtakes a1
    expect(order.map((c) => c.datasetId)).toEqual(['a', 'b', 'a', 'b', 'a', 'a']);
  });

  it('a priority-1 edit still goes before both datasets', async () => {
    await s.store.enqueue(jobs(10, { datasetId: 'big', priority: 3 }), { batchId: 'big' });
    await s.store.enqueue(jobs(2, { datasetId: 'small', priority: 3 }), { batchId: 'small' });
    const edit = await s.store.enqueue([newJob({ datasetId: 'big', priority: 1, reason: 'manual_edit_data_cleaning' })], { batchId: 'edit' });
    const [next] = await s.store.claim({ workerId: 'w', limit: 1, leaseMs: 30_000 });
    expect(next.jobId).toBe(edit.firstId);
  });

  it("a dataset's second batch waits behind its first; a dataset with nothing waiting starts at the head", async () => {
    const a1 = await s.store.enqueue(jobs(4, { datasetId: 'a', priority: 3 }), { batchId: 'a1' });
    const a2 = await s.store.enqueue(jobs(4, { datasetId: 'a', priority: 3 }), { batchId: 'a2' });
    const b = await s.store.enqueue(jobs(4, { datasetId: 'b', priority: 3 }), { batchId: 'b' });
    const ids = (await claimAll(1)).map((c) => c.id);
    const a1Ids = [0, 1, 2, 3].map((i) => a1.firstId! + i);
    const a2Ids = [0, 1, 2, 3].map((i) => a2.firstId! + i);
    const bIds = [0, 1, 2, 3].map((i) => b.firstId! + i);
    // a's first batch and b alternate; a's second batch comes after both.
    expect(ids.slice(0, 8).sort((x, y) => x - y)).toEqual([...a1Ids, ...bIds]);
    expect(ids.slice(8)).toEqual(a2Ids);
    // Once the queue is empty, a dataset that ran before starts again at the head.
    const again = await s.store.enqueue(jobs(2, { datasetId: 'a', priority: 3 }), { batchId: 'a3' });
    const c = await s.store.enqueue(jobs(2, { datasetId: 'c', priority: 3 }), { batchId: 'c' });
    const next = (await claimAll(1)).map((x) => x.id);
    expect(next).toEqual([again.firstId!, c.firstId!, again.firstId! + 1, c.firstId! + 1]);
  });

  it('jobs without a dataset form a group of their own, and a dataset enqueue mixing priorities keeps priority order', async () => {
    const none = await s.store.enqueue(jobs(3, { datasetId: null, priority: 3 }), { batchId: 'none' });
    const mixed = await s.store.enqueue(
      [newJob({ datasetId: 'd', priority: 3 }), newJob({ datasetId: 'd', priority: 2 }), newJob({ datasetId: 'd', priority: 3 })],
      { batchId: 'mixed' },
    );
    const order = (await claimAll(1)).map((c) => c.id);
    expect(order[0]).toBe(mixed.firstId! + 1); // priority 2 first
    expect(order.slice(1)).toEqual([none.firstId!, mixed.firstId!, none.firstId! + 1, mixed.firstId! + 2, none.firstId! + 2]);
  });

  it('listJobs shows pending jobs in the order claim will take them, across pages', async () => {
    await s.store.enqueue(jobs(6, { datasetId: 'big', priority: 3 }), { batchId: 'big' });
    await s.store.claim({ workerId: 'w', limit: 2, leaseMs: 30_000 });
    await s.store.enqueue(jobs(3, { datasetId: 'small', priority: 3 }), { batchId: 'small' });
    await s.store.enqueue([newJob({ datasetId: 'big', priority: 1, reason: 'manual_edit_data_cleaning' })], { batchId: 'edit' });
    const listed = (await allJobs(s.store, { status: ['pending'] }, 2)).map((j) => j.id);
    const claimed = (await claimAll(1)).map((c) => c.id);
    expect(listed).toEqual(claimed);
    expect(listed).toHaveLength(8);
  });
}
