import { expect, it } from 'vitest';
import { jobStatuses, type JobStatus } from '../job-state.js';
import type { ClaimedJob, Job, JobCounts, JobFilter } from '../job.js';
import { seededRandom } from '../../datasets/seeded-random.js';
import { allJobs, bareDataset, jobs, newJob, type StoreSuite } from './store-fixtures.js';

function countsOf(list: Job[]): JobCounts & { total: number; runningProgress: number } {
  const counts = { pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0, total: list.length, runningProgress: 0 };
  for (const job of list) {
    counts[job.status]++;
    if (job.status === 'running') counts.runningProgress += job.progress;
  }
  return counts;
}

const byId = (a: number, b: number) => a - b;

/** listJobs order, filters and paging; summary counters and version; throughput. */
export function listingCases(s: StoreSuite): void {
  /** A queue with every status: returns the ids by status, in creation order. */
  async function mixedQueue(): Promise<Record<JobStatus, number[]>> {
    const r = await s.store.enqueue(
      [3, 1, 2, 3, 1, 2, 3, 3, 2, 1, 3, 3].map((priority, i) =>
        newJob({ priority, datasetId: i % 2 ? 'ds-odd' : 'ds-even', sku: `L-${i}` })),
      { batchId: 'mix' },
    );
    const claimed = await s.store.claim({ workerId: 'w', limit: 5, leaseMs: 60_000 });
    await s.store.complete(claimed[0], { n: 0 });
    await s.store.complete(claimed[1], { n: 1 });
    await s.store.fail(claimed[2], 'bad');
    await s.store.progress(claimed[3], 25);
    await s.store.cancel({ ids: [r.lastId!] });
    const ids: Record<JobStatus, number[]> = { pending: [], running: [], completed: [], failed: [], cancelled: [] };
    for (let id = r.firstId!; id <= r.lastId!; id++) ids[(await s.store.getJob(id))!.status].push(id);
    return ids;
  }

  it('listJobs order: running, then pending by priority then id, then the rest newest first', async () => {
    const ids = await mixedQueue();
    const { jobs: listed, nextCursor } = await s.store.listJobs({ limit: 100 });
    expect(nextCursor).toBeNull();
    const pendingJobs = listed.filter((j) => j.status === 'pending');
    const expectedPending = [...pendingJobs].sort((a, b) => a.priority - b.priority || a.id - b.id).map((j) => j.id);
    const finished = [...ids.completed, ...ids.failed, ...ids.cancelled].sort(byId).reverse();
    expect(listed.map((j) => j.id)).toEqual([...ids.running.sort(byId), ...expectedPending, ...finished]);
    expect(pendingJobs.map((j) => j.id).sort(byId)).toEqual(ids.pending);
    expect(listed.every((j) => j.result === null)).toBe(true);
    const withResults = await s.store.listJobs({ limit: 100, status: ['completed'], includeResult: true });
    expect(withResults.jobs.map((j) => (j.result as { n: number }).n).sort()).toEqual([0, 1]);
  });

  it('listJobs filters by status, batch, dataset, sku and ids', async () => {
    const ids = await mixedQueue();
    await s.store.enqueue(jobs(3, { datasetId: 'ds-elsewhere' }), { batchId: 'other-batch' });
    const ofStatus = await s.store.listJobs({ limit: 100, status: ['failed', 'running'] });
    expect(ofStatus.jobs.map((j) => j.id).sort(byId)).toEqual([...ids.failed, ...ids.running].sort(byId));
    expect((await s.store.listJobs({ limit: 100, batchId: 'mix' })).jobs.length).toBe(12);
    expect((await s.store.listJobs({ limit: 100, batchId: 'other-batch' })).jobs.length).toBe(3);
    const odd = await s.store.listJobs({ limit: 100, datasetId: 'ds-odd' });
    expect(odd.jobs.length).toBe(6);
    expect(odd.jobs.every((j) => j.datasetId === 'ds-odd')).toBe(true);
    const one = await s.store.listJobs({ limit: 100, sku: 'L-4', datasetId: 'ds-even' });
    expect(one.jobs.map((j) => j.sku)).toEqual(['L-4']);
    const some = [ids.pending[0], ids.completed[0], 10_000_000];
    expect((await s.store.listJobs({ limit: 100, ids: some })).jobs.map((j) => j.id).sort(byId)).toEqual(some.slice(0, 2).sort(byId));
    expect((await s.store.listJobs({ limit: 100, ids: [] })).jobs).toEqual([]);
  });

  it('a batch id used by two enqueues with another batch between: its filter lists, counts and cancels its own jobs only, after a prune and a reset too', async () => {
    const first = await s.store.enqueue(jobs(3, { datasetId: 'ds-b1' }), { batchId: 'twice' });
    const between = await s.store.enqueue(jobs(4, { datasetId: 'ds-b2' }), { batchId: 'between' });
    const second = await s.store.enqueue(jobs(2, { datasetId: 'ds-b3' }), { batchId: 'twice' });
    const idsOf = (list: Job[]) => list.map((j) => j.id).sort(byId);
    const range = (r: { firstId: number | null; lastId: number | null }) =>
      Array.from({ length: r.lastId! - r.firstId! + 1 }, (_, i) => r.firstId! + i);
    const twice = [...range(first), ...range(second)];
    expect(idsOf(await allJobs(s.store, { batchId: 'twice' }, 2))).toEqual(twice);
    const page = await s.store.listJobs({ limit: 1, batchId: 'twice', withSummary: true });
    expect(page.summary!.pending).toBe(5);
    expect(idsOf(await allJobs(s.store, { batchId: 'between' }))).toEqual(range(between));
    expect(await allJobs(s.store, { batchId: 'never' })).toEqual([]);
    expect(await s.store.cancel({ batchId: 'twice' })).toBe(5);
    expect((await allJobs(s.store, { batchId: 'between' })).every((j) => j.status === 'pending')).toBe(true);
    // Once a batch's jobs are pruned, its id finds nothing, and a batch enqueued later under the
    // same id finds its own jobs only.
    expect(await s.store.prune({ before: s.clock.now + 1, statuses: ['cancelled'] })).toBe(5);
    expect(await allJobs(s.store, { batchId: 'twice' })).toEqual([]);
    const again = await s.store.enqueue(jobs(1, { datasetId: 'ds-b1' }), { batchId: 'twice' });
    expect(idsOf(await allJobs(s.store, { batchId: 'twice' }))).toEqual(range(again));
    await s.store.reset();
    const after = await s.store.enqueue(jobs(2, { datasetId: 'ds-b1' }), { batchId: 'between' });
    expect(idsOf(await allJobs(s.store, { batchId: 'between' }))).toEqual(range(after));
  });

  it('listJobs withSummary: the counts of the query\'s scope (batch, dataset, SKU, ids; not its status) beside the page', async () => {
    await mixedQueue();
    await s.store.enqueue(jobs(3, { datasetId: 'ds-elsewhere' }), { batchId: 'other-batch' });
    expect((await s.store.listJobs({ limit: 5 })).summary).toBeUndefined();
    const whole = await s.store.listJobs({ limit: 2, withSummary: true });
    expect(whole.jobs).toHaveLength(2);
    expect(whole.summary).toEqual(await s.store.summary());
    expect(whole.summary).toMatchObject({ total: 15, pending: 9, running: 2, completed: 2, failed: 1, cancelled: 1 });
    const odd = await s.store.listJobs({ limit: 100, datasetId: 'ds-odd', status: ['completed'], withSummary: true });
    expect(odd.summary).toEqual(await s.store.summary({ datasetId: 'ds-odd' }));
    expect(odd.summary!.total).toBe(6);
    expect(odd.jobs.every((j) => j.status === 'completed' && j.datasetId === 'ds-odd')).toBe(true);
    const batch = await s.store.listJobs({ limit: 1, batchId: 'other-batch', withSummary: true });
    expect(batch.summary).toMatchObject({ total: 3, pending: 3 });
    // A later page of the same scope counts the whole scope, not what is left after the cursor.
    const next = await s.store.listJobs({ limit: 1, batchId: 'other-batch', cursor: batch.nextCursor, withSummary: true });
    expect(next.summary).toEqual(batch.summary);
    const byIds = await s.store.listJobs({ limit: 100, ids: batch.jobs.map((j) => j.id), withSummary: true });
    expect(byIds.summary).toMatchObject({ total: 1, pending: 1 });
    expect((await s.store.listJobs({ limit: 100, ids: [], withSummary: true })).summary).toMatchObject({ total: 0 });
  });

  it('listJobs keyset pages cover every job once, in order, across every group', async () => {
    await mixedQueue();
    await s.store.enqueue(jobs(25, { priority: 2 }), { batchId: 'more' });
    const whole = (await s.store.listJobs({ limit: 1000 })).jobs.map((j) => j.id);
    for (const size of [1, 3, 7]) {
      const paged = (await allJobs(s.store, {}, size)).map((j) => j.id);
      expect(paged).toEqual(whole);
    }
    const filter: JobFilter = { status: ['pending', 'completed'], datasetId: 'ds-odd' };
    const wholeFiltered = (await s.store.listJobs({ ...filter, limit: 1000 })).jobs.map((j) => j.id);
    expect((await allJobs(s.store, filter, 2)).map((j) => j.id)).toEqual(wholeFiltered);
    const exact = await s.store.listJobs({ limit: whole.length });
    expect(exact.nextCursor).toBeNull();
  });

  it('listJobs rejects a cursor it did not make', async () => {
    await s.store.enqueue(jobs(2), { batchId: 'c' });
    await expect(s.store.listJobs({ limit: 1, cursor: 'not a cursor' })).rejects.toThrow();
    const unsafe = Buffer.from(JSON.stringify(['finished', 0, 1e20, 0])).toString('base64url');
    await expect(s.store.listJobs({ limit: 1, cursor: unsafe })).rejects.toThrow(RangeError);
  });

  it('summary counters equal the real counts after a random sequence of transitions', async () => {
    const random = seededRandom(20260601);
    const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];
    const held: ClaimedJob[] = [];
    await bareDataset(s.store, 'ds-p1'); // requeue leaves the jobs of a dataset that does not exist
    await bareDataset(s.store, 'ds-p2');
    const checkCounts = async () => {
      const real = countsOf(await allJobs(s.store));
      const summary = await s.store.summary();
      expect({ ...summary, version: 0, runningProgress: 0 }).toEqual({ ...real, version: 0, runningProgress: 0 });
      expect(summary.runningProgress).toBeCloseTo(real.runningProgress, 6);
      const filter: JobFilter = { datasetId: 'ds-p1' };
      const realFiltered = countsOf(await allJobs(s.store, filter));
      const filtered = await s.store.summary(filter);
      expect({ ...filtered, version: 0, runningProgress: 0 }).toEqual({ ...realFiltered, version: 0, runningProgress: 0 });
      expect(filtered.runningProgress).toBeCloseTo(realFiltered.runningProgress, 6);
    };
    for (let step = 0; step < 240; step++) {
      const roll = random();
      if (roll < 0.2) {
        const batch = Array.from({ length: 1 + Math.floor(random() * 6) }, () =>
          newJob({ datasetId: pick(['ds-p1', 'ds-p2']), sku: `P-${Math.floor(random() * 12)}`, modelId: pick(['ets', 'arima']),
            priority: 1 + Math.floor(random() * 3), maxAttempts: 2, inputHash: random() < 0.3 ? `ph-${Math.floor(random() * 5)}` : null }));
        await s.store.enqueue(batch, { batchId: `p-${step}`, supersede: random() < 0.8 });
      } else if (roll < 0.4) {
        held.push(...(await s.store.claim({ workerId: 'w', limit: 1 + Math.floor(random() * 3), leaseMs: 1000 })));
      } else if (roll < 0.75 && held.length > 0) {
        const lease = held.splice(Math.floor(random() * held.length), 1)[0];
        const action = Math.floor(random() * 6);
        if (action === 0) {
          await s.store.progress(lease, Math.round(random() * 10000) / 100);
          held.push(lease);
        } else if (action === 1) await s.store.complete(lease, { step });
        else if (action === 2) await s.store.fail(lease, 'x');
        else if (action === 3) await s.store.retry(lease, 'again', s.clock.now + Math.floor(random() * 2000));
        else if (action === 4) await s.store.release(lease);
        else await s.store.renew([lease], 1000).then(() => held.push(lease));
      } else if (roll < 0.82) {
        await s.store.cancel({ datasetId: 'ds-p2', sku: `P-${Math.floor(random() * 12)}` });
      } else if (roll < 0.88) {
        await s.store.requeue({ datasetId: pick(['ds-p1', 'ds-p2']) });
      } else if (roll < 0.95) {
        s.clock.now += Math.floor(random() * 1500);
        await s.store.rescue();
      } else {
        await s.store.prune({ before: s.clock.now - Math.floor(random() * 500), statuses: ['completed', 'failed'] });
      }
      if (step % 20 === 19) await checkCounts();
    }
    await checkCounts();
  });

  it('summary version moves on every job write and not on reads', async () => {
    await bareDataset(s.store, 'ds-1');
    const versions: number[] = [(await s.store.summary()).version];
    const record = async () => versions.push((await s.store.summary()).version);
    await s.store.enqueue(jobs(2), { batchId: 'v' });
    await record();
    const [a, b] = await s.store.claim({ workerId: 'w', limit: 2, leaseMs: 1000 });
    await record();
    await s.store.progress(a, 10);
    await record();
    await s.store.progress(a, 20);
    await record();
    await s.store.complete(a, 1);
    await record();
    await s.store.retry(b, 'e', s.clock.now);
    await record();
    await s.store.cancel({ ids: [b.jobId] });
    await record();
    await s.store.requeue({ ids: [b.jobId] });
    await record();
    for (let i = 1; i < versions.length; i++) expect(versions[i], `write #${i}`).toBeGreaterThan(versions[i - 1]);
    await s.store.listJobs({ limit: 10 });
    await s.store.getJob(a.jobId);
    expect((await s.store.summary()).version).toBe(versions[versions.length - 1]);
  });

  it('recentThroughput counts jobs completed in the window and their mean duration', async () => {
    expect(await s.store.recentThroughput(60_000)).toEqual({ completed: 0, avgDurationMs: null, spanMs: null });
    await s.store.enqueue(jobs(3), { batchId: 't' });
    const [a, b, c] = await s.store.claim({ workerId: 'w', limit: 3, leaseMs: 60_000 });
    s.clock.now += 1000;
    await s.store.complete(a, 1);
    s.clock.now += 2000;
    await s.store.complete(b, 1);
    await s.store.fail(c, 'not counted');
    // Both started 3000 ms ago, inside the minute: the pace is 2 in 3 s (first start to last
    // completion), not 2 in 60 s; time since the last completion does not count.
    s.clock.now += 5000;
    expect(await s.store.recentThroughput(60_000)).toEqual({ completed: 2, avgDurationMs: 2000, spanMs: 3000 });
    s.clock.now -= 5000;
    s.clock.now += 2500; // a finished 4500 ms ago, b 2500 ms ago (started 5500 ms ago: before the window)
    // b's share of the window: from the window's start to its completion, 500 ms, at least a second.
    expect(await s.store.recentThroughput(3000)).toEqual({ completed: 1, avgDurationMs: 3000, spanMs: 1000 });
  });

  it('summary without a filter reports every status', async () => {
    const ids = await mixedQueue();
    const summary = await s.store.summary();
    for (const status of jobStatuses) expect(summary[status], status).toBe(ids[status].length);
    expect(summary.total).toBe(12);
    expect(summary.runningProgress).toBe(25);
  });
}
