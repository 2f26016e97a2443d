import { expect, it } from 'vitest';
import type { Store } from '../../stores/store.js';
import type { ClaimedJob, Lease } from '../job.js';
import { JsonText } from '../json-text.js';
import { bareDataset, jobs, newJob, t0, type StoreSuite } from './store-fixtures.js';

async function claimOne(store: Store, leaseMs = 10_000): Promise<ClaimedJob> {
  const [c] = await store.claim({ workerId: 'w', limit: 1, leaseMs });
  if (!c) throw new Error('nothing to claim');
  return c;
}

/** Every fenced worker write, tried with a lease the caller does not hold: false and nothing changes. */
async function expectFenced(store: Store, lease: Lease): Promise<void> {
  const before = await store.getJob(lease.jobId);
  const version = (await store.summary()).version;
  expect(await store.progress(lease, 42)).toBe(false);
  expect(await store.complete(lease, { stolen: true })).toBe(false);
  expect(await store.fail(lease, 'not mine')).toBe(false);
  expect(await store.retry(lease, 'not mine', t0 + 1)).toBe(false);
  expect(await store.release(lease)).toBe(false);
  expect(await store.renew([lease], 60_000)).toEqual([]);
  expect(await store.lost([lease])).toEqual([lease.jobId]);
  expect(await store.getJob(lease.jobId)).toEqual(before);
  expect((await store.summary()).version).toBe(version);
}

/** Worker writes, rescue, retry, release, cancel, requeue, prune and reset. */
export function transitionCases(s: StoreSuite): void {
  it('closing a store writes the completes it was asked for, each fenced, instead of dropping them', async () => {
    const worker = await s.another(); // a worker process's own store, closed at its shutdown
    await s.store.enqueue(jobs(2), { batchId: 'b' });
    const [a, b] = await worker.claim({ workerId: 'w', limit: 2, leaseMs: 10_000 });
    const answers = Promise.all([worker.complete(a, { a: 1 }), worker.complete({ ...b, leaseToken: 'not-the-token' }, null)]);
    await worker.close();
    expect(await answers).toEqual([true, false]);
    expect(await s.store.getJob(a.jobId)).toMatchObject({ status: 'completed', result: { a: 1 } });
    expect(await s.store.getJob(b.jobId)).toMatchObject({ status: 'running' });
  });

  it('worker writes with the lease: progress, complete', async () => {
    await s.store.enqueue(jobs(1), { batchId: 'b' });
    const c = await claimOne(s.store);
    s.clock.now += 100;
    expect(await s.store.progress(c, 37.5)).toBe(true);
    expect(await s.store.getJob(c.jobId)).toMatchObject({ progress: 37.5, status: 'running' });
    s.clock.now += 100;
    expect(await s.store.complete(c, { value: [1, 2] })).toBe(true);
    expect(await s.store.getJob(c.jobId)).toMatchObject({
      status: 'completed', progress: 100, result: { value: [1, 2] }, finishedAt: t0 + 200, error: null,
    });
  });

  it('complete stores a JsonText result as the JSON it holds (a thread serialised it already)', async () => {
    await s.store.enqueue(jobs(2), { batchId: 'b' });
    const [a, b] = await s.store.claim({ workerId: 'w', limit: 2, leaseMs: 10_000 });
    const text = JSON.stringify({ forecast: { mean: [1.5, -0, 2e-7] }, note: 'é"\\' });
    expect(await s.store.complete(a, new JsonText(text))).toBe(true);
    expect((await s.store.getJob(a.jobId))!.result).toEqual(JSON.parse(text));
    expect(await s.store.complete({ ...b, leaseToken: 'not-the-token' }, new JsonText('{"stolen":true}'))).toBe(false);
    expect(await s.store.getJob(b.jobId)).toMatchObject({ status: 'running', result: null });
  });

  it('completes asked in one tick go out together, each fenced on its own lease and answered in order', async () => {
    // An old lease beside the new one for the same job, the same lease twice, a wrong token, and
    // more leases than one statement holds (SQLite: 256, then power-of-two pieces).
    await s.store.enqueue(jobs(1), { batchId: 'again' });
    const old = await claimOne(s.store, 1000);
    s.clock.now += 1001;
    await s.store.rescue({ backoffBaseMs: 1, backoffMaxMs: 1 });
    s.clock.now += 1;
    const fresh = await claimOne(s.store, 60_000);
    expect(fresh.jobId).toBe(old.jobId);
    await s.store.enqueue(jobs(300), { batchId: 'many' });
    const many = await s.store.claim({ workerId: 'w', limit: 300, leaseMs: 60_000 });
    expect(many).toHaveLength(300);
    const wrong = { jobId: many[7].jobId, leaseToken: `${many[7].leaseToken}x` };
    const calls: Array<[Lease, unknown]> = [
      [old, { from: 'old' }], [fresh, { from: 'fresh' }], [wrong, { stolen: true }], [fresh, { from: 'fresh again' }],
      ...many.map((c, i): [Lease, unknown] => [c, { i }]),
    ];
    const version = (await s.store.summary()).version;
    const answers = await Promise.all(calls.map(([lease, result]) => s.store.complete(lease, result)));
    // many[7] completes with its own lease later in the same tick; the wrong token never does.
    // The same lease twice: exactly one of the two completes it, and its result is the one kept
    // (PostgreSQL may write the two in statements in flight at once, either first).
    expect([answers[0], answers[2]]).toEqual([false, false]);
    expect([answers[1], answers[3]].filter(Boolean)).toHaveLength(1);
    expect(answers.slice(4)).toEqual(many.map(() => true));
    expect(await s.store.getJob(fresh.jobId)).toMatchObject({ status: 'completed', result: { from: answers[1] ? 'fresh' : 'fresh again' } });
    for (const i of [0, 7, 255, 256, 299]) {
      expect(await s.store.getJob(many[i].jobId)).toMatchObject({ status: 'completed', progress: 100, result: { i }, finishedAt: s.clock.now });
    }
    const summary = await s.store.summary();
    expect(summary).toMatchObject({ completed: 301, running: 0, pending: 0 });
    expect(summary.version).toBeGreaterThan(version);
  });

  it('fail records the error and ends the job', async () => {
    await s.store.enqueue(jobs(1), { batchId: 'b' });
    const c = await claimOne(s.store);
    expect(await s.store.fail(c, 'series too short: 3 < 8')).toBe(true);
    expect(await s.store.getJob(c.jobId)).toMatchObject({ status: 'failed', error: 'series too short: 3 < 8', finishedAt: t0 });
    expect(await s.store.claim({ workerId: 'w', limit: 5, leaseMs: 1000 })).toEqual([]);
  });

  it('every fenced write with a wrong token returns false and changes nothing', async () => {
    await s.store.enqueue(jobs(1), { batchId: 'b' });
    const c = await claimOne(s.store);
    await s.store.progress(c, 10);
    await expectFenced(s.store, { jobId: c.jobId, leaseToken: `${c.leaseToken}x` });
    expect(await s.store.progress(c, 11)).toBe(true); // the holder still can
  });

  it('after cancel, the old lease can change nothing', async () => {
    await s.store.enqueue(jobs(1), { batchId: 'b' });
    const c = await claimOne(s.store);
    expect(await s.store.cancel({ ids: [c.jobId] })).toBe(1);
    expect((await s.store.getJob(c.jobId))!.status).toBe('cancelled');
    await expectFenced(s.store, c);
  });

  it('after rescue, the old lease can change nothing, even once the job runs again', async () => {
    await s.store.enqueue(jobs(1), { batchId: 'b' });
    const old = await claimOne(s.store, 1000);
    s.clock.now += 1001;
    await s.store.rescue({ backoffBaseMs: 1, backoffMaxMs: 1 });
    await expectFenced(s.store, old);
    s.clock.now += 1; // the rescue's backoff
    const fresh = await claimOne(s.store, 1000);
    expect(fresh.jobId).toBe(old.jobId);
    expect(fresh.leaseToken).not.toBe(old.leaseToken);
    await expectFenced(s.store, old);
    expect(await s.store.complete(fresh, 1)).toBe(true);
  });

  it('rescue: an expired lease goes back to pending; once attempts are used up, to failed with the reason', async () => {
    const r = await s.store.enqueue([newJob({ maxAttempts: 2 })], { batchId: 'b' });
    const id = r.firstId!;
    await claimOne(s.store, 1000);
    s.clock.now += 1000;
    expect(await s.store.rescue()).toEqual({ rescued: 0, failed: 0, jobIds: [], failedJobIds: [], jobs: [] }); // expires strictly after
    s.clock.now += 1;
    // Each rescued job names the worker whose lease expired and the attempts it had used (for the log line).
    expect(await s.store.rescue({ backoffBaseMs: 2000, backoffMaxMs: 2000 })).toEqual({
      rescued: 1, failed: 0, jobIds: [id], failedJobIds: [], jobs: [{ id, status: 'pending', workerId: 'w', attempts: 1, maxAttempts: 2 }],
    });
    const pending = await s.store.getJob(id);
    expect(pending).toMatchObject({ status: 'pending', attempts: 1, finishedAt: null });
    expect(pending!.runAt - s.clock.now).toBeGreaterThanOrEqual(1000); // the retry backoff: half fixed, half random
    expect(pending!.runAt - s.clock.now).toBeLessThanOrEqual(2000);
    expect(pending!.error).toMatch(/lease expired/);

    s.clock.now = pending!.runAt;
    const second = await claimOne(s.store, 1000);
    expect(second.job.attempts).toBe(2);
    s.clock.now += 5000;
    expect(await s.store.rescue()).toEqual({
      rescued: 0, failed: 1, jobIds: [id], failedJobIds: [id], jobs: [{ id, status: 'failed', workerId: 'w', attempts: 2, maxAttempts: 2 }],
    });
    const failed = await s.store.getJob(id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 2, finishedAt: s.clock.now });
    expect(failed!.error).toMatch(/^every attempt \(2 of 2\) ended with its worker gone/);
    expect(await s.store.claim({ workerId: 'w', limit: 1, leaseMs: 1000 })).toEqual([]);
  });

  it('retry: back to pending with the error, not claimable before runAt, the attempt counts', async () => {
    await s.store.enqueue(jobs(1), { batchId: 'b' });
    const c = await claimOne(s.store);
    expect(await s.store.retry(c, 'optimizer diverged', t0 + 5000)).toBe(true);
    expect(await s.store.getJob(c.jobId)).toMatchObject({ status: 'pending', error: 'optimizer diverged', runAt: t0 + 5000, attempts: 1 });
    s.clock.now = t0 + 4999;
    expect(await s.store.claim({ workerId: 'w', limit: 1, leaseMs: 1000 })).toEqual([]);
    s.clock.now = t0 + 5000;
    const again = await claimOne(s.store);
    expect(again.jobId).toBe(c.jobId);
    expect(again.job.attempts).toBe(2);
  });

  it('a job waiting for its runAt does not block later jobs', async () => {
    const r = await s.store.enqueue([newJob({ priority: 1 })], { batchId: 'b' });
    const c = await claimOne(s.store);
    await s.store.retry(c, 'later', t0 + 60_000);
    const later = await s.store.enqueue([newJob({ priority: 3 })], { batchId: 'b2' });
    const next = await claimOne(s.store);
    expect(next.jobId).toBe(later.firstId);
    expect(next.jobId).not.toBe(r.firstId);
  });

  it('release gives the attempt back and the job is claimable at once', async () => {
    await s.store.enqueue(jobs(1), { batchId: 'b' });
    const c = await claimOne(s.store);
    await s.store.progress(c, 50);
    s.clock.now += 10;
    expect(await s.store.release(c)).toBe(true);
    expect(await s.store.getJob(c.jobId)).toMatchObject({ status: 'pending', attempts: 0, progress: 0, runAt: t0 + 10 });
    const again = await claimOne(s.store);
    expect(again).toMatchObject({ jobId: c.jobId });
    expect(again.job.attempts).toBe(1);
  });

  it('cancel: pending and running jobs that match, never finished ones', async () => {
    const r = await s.store.enqueue(jobs(4, { datasetId: 'ds-c' }), { batchId: 'bc' });
    const [running, done] = await s.store.claim({ workerId: 'w', limit: 2, leaseMs: 10_000 });
    await s.store.complete(done, 'ok');
    const other = await s.store.enqueue(jobs(2, { datasetId: 'ds-keep' }), { batchId: 'keep' });
    expect(await s.store.cancel({ ids: [done.jobId] })).toBe(0);
    expect(await s.store.cancel({ batchId: 'bc' })).toBe(3);
    const statuses = await Promise.all([0, 1, 2, 3].map(async (i) => (await s.store.getJob(r.firstId! + i))!.status));
    expect(statuses.sort()).toEqual(['cancelled', 'cancelled', 'cancelled', 'completed']);
    expect(await s.store.lost([running])).toEqual([running.jobId]);
    expect((await s.store.getJob(other.firstId!))!.status).toBe('pending');
    expect(await s.store.cancel({ datasetId: 'ds-keep', status: ['running'] })).toBe(0);
    expect(await s.store.cancel({ datasetId: 'ds-keep', sku: (await s.store.getJob(other.lastId!))!.sku })).toBe(1);
  });

  it('requeue: failed and cancelled jobs go back to pending with attempts reset', async () => {
    await bareDataset(s.store, 'ds-1');
    const r = await s.store.enqueue(jobs(3), { batchId: 'rq' });
    const [a, b] = await s.store.claim({ workerId: 'w', limit: 2, leaseMs: 10_000 });
    await s.store.fail(a, 'boom');
    await s.store.complete(b, 'fine');
    await s.store.cancel({ ids: [r.lastId!] });
    s.clock.now += 100;
    expect(await s.store.requeue({ batchId: 'rq', status: ['failed'] })).toBe(1);
    expect(await s.store.getJob(a.jobId)).toMatchObject({
      status: 'pending', attempts: 0, error: null, progress: 0, runAt: t0 + 100, finishedAt: null,
    });
    expect(await s.store.requeue({ batchId: 'rq' })).toBe(1); // the cancelled one; completed stays
    expect((await s.store.getJob(b.jobId))!.status).toBe('completed');
    const reclaimed = await s.store.claim({ workerId: 'w', limit: 5, leaseMs: 1000 });
    expect(reclaimed.map((c) => c.jobId).sort((x, y) => x - y)).toEqual([a.jobId, r.lastId!]);
    expect(reclaimed.every((c) => c.job.attempts === 1)).toBe(true);
  });

  it('requeue leaves a job that a newer job for the same work replaced', async () => {
    await bareDataset(s.store, 'ds-1');
    const base = { sku: 'RQ-S', modelId: 'ets' };
    const old = await s.store.enqueue([newJob(base)], { batchId: 'old' });
    const newer = await s.store.enqueue([newJob(base)], { batchId: 'new' });
    expect(newer.jobsCancelled).toBe(1);
    expect(await s.store.requeue({ ids: [old.firstId!] })).toBe(0);
    expect((await s.store.getJob(old.firstId!))!.status).toBe('cancelled');
    expect(await s.store.cancel({ ids: [newer.firstId!] })).toBe(1);
    expect(await s.store.requeue({ ids: [old.firstId!, newer.firstId!] })).toBe(1); // the newer one only
  });

  it('prune deletes finished jobs older than `before`, of the statuses asked', async () => {
    await s.store.enqueue(jobs(4), { batchId: 'p' });
    const [a, b, c] = await s.store.claim({ workerId: 'w', limit: 3, leaseMs: 10_000 });
    await s.store.complete(a, 1);
    await s.store.fail(b, 'x');
    s.clock.now += 1000;
    await s.store.complete(c, 1);
    expect(await s.store.prune({ before: t0 + 500, statuses: ['completed'] })).toBe(1);
    expect(await s.store.getJob(a.jobId)).toBeNull();
    expect(await s.store.getJob(c.jobId)).not.toBeNull();
    expect(await s.store.prune({ before: t0 + 500, statuses: ['completed', 'failed'] })).toBe(1);
    expect(await s.store.getJob(b.jobId)).toBeNull();
    const summary = await s.store.summary();
    expect(summary).toMatchObject({ total: 2, completed: 1, failed: 0, pending: 1 });
  });

  it('reset cancels running jobs and deletes every job', async () => {
    await s.store.enqueue(jobs(5), { batchId: 'r' });
    const [c, d] = await s.store.claim({ workerId: 'w', limit: 2, leaseMs: 10_000 });
    await s.store.complete(d, 1);
    const out = await s.store.reset();
    expect(out.deleted).toBe(5);
    expect(out.cancelled).toBeGreaterThanOrEqual(1); // the running one (a store may count pending too)
    expect(await s.store.lost([c])).toEqual([c.jobId]);
    expect(await s.store.complete(c, 1)).toBe(false);
    const summary = await s.store.summary();
    expect(summary).toMatchObject({ total: 0, pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0, runningProgress: 0 });
    const after = await s.store.enqueue(jobs(1), { batchId: 'after' });
    expect(after.firstId!).toBeGreaterThan(c.jobId); // ids are not reused
  });
}

