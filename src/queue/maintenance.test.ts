import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Maintenance } from './maintenance.js';
import { openHarness, type Harness } from './testing/runner-harness.js';

let h: Harness;
let maintenance: Maintenance | null = null;

beforeEach(async () => {
  h = await openHarness();
});

afterEach(async () => {
  maintenance?.stop();
  await h.close();
});

describe('Maintenance', () => {
  it('returns a job whose worker died to pending within a lease period, then fails it when attempts run out', async () => {
    const [id] = await h.enqueue([{ maxAttempts: 2 }]);
    let rescued = 0;
    let failed = 0;
    maintenance = new Maintenance({ store: h.store, logger: h.logger, clock: h.clock, leaseMs: 4_000, onRescued: (n, f) => void ((rescued += n), (failed += f)) });
    maintenance.start();

    // A worker claims it and dies (no renewals).
    await h.store.claim({ workerId: 'dead-1', limit: 1, leaseMs: 4_000 });
    await h.clock.advance(4_000);
    expect((await h.store.getJob(id))!.status).toBe('running'); // the lease is not over yet
    await h.clock.advance(1_000); // one rescue round (lease/4) after the expiry
    expect((await h.store.getJob(id))!.status).toBe('pending');
    expect(rescued).toBe(1);
    expect(h.logger.events('rescue').some((e) => e.obj.jobId === id)).toBe(true);

    // Rescued with the retry backoff (attempt 1: 0.5 to 1 s): not claimable at once.
    expect(await h.store.claim({ workerId: 'dead-2', limit: 1, leaseMs: 4_000 })).toEqual([]);
    await h.clock.advance(1_000);
    // The second attempt's worker dies too: attempts are used up.
    expect(await h.store.claim({ workerId: 'dead-2', limit: 1, leaseMs: 4_000 })).toHaveLength(1);
    await h.clock.advance(5_000);
    const job = (await h.store.getJob(id))!;
    expect(job.status).toBe('failed');
    expect(job.attempts).toBe(2);
    expect(job.error).toMatch(/^every attempt \(2 of 2\) ended with its worker gone/);
    // Logged as what happened to it (the verb is still rescue), and reported for the worker's counter.
    // Each line names the worker whose lease expired and the attempts used (was: neither).
    expect(h.logger.events('rescue').filter((e) => e.obj.jobId === id).map((e) => [e.obj.status, e.msg])).toEqual([
      ['pending', `Maintenance: Rescued job ${id} from worker dead-1: its lease expired (attempt 1 of 2 used; 1 left)`],
      ['failed', `Maintenance: Job ${id} from worker dead-2 failed: its lease expired on its last attempt (2 of 2 used)`],
    ]);
    expect(h.logger.events('rescue').filter((e) => e.obj.jobId === id).map((e) => e.obj)).toEqual([
      { event: 'rescue', jobId: id, status: 'pending', fromWorkerId: 'dead-1', attempt: 1, maxAttempts: 2, attemptsLeft: 1 },
      { event: 'rescue', jobId: id, status: 'failed', fromWorkerId: 'dead-2', attempt: 2, maxAttempts: 2 },
    ]);
    expect([rescued, failed]).toEqual([1, 1]);
  });

  it('rescues a dead worker while the database refuses a rescue once a lease: each spell gets its own grace, not one since the first', async () => {
    // Every fourth round (t = 1 s, 5 s, 9 s, ...) the database refuses, with writes going through
    // for 3 s in between: never a whole lease, so a grace counted from the first refusal never ends.
    const store = { ...h.store, rescue: async (o: Parameters<typeof h.store.rescue>[0]) => {
      if (h.clock.now() % 4_000 === 1_000) throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
      return h.store.rescue(o);
    } };
    maintenance = new Maintenance({ store, logger: h.logger, clock: h.clock, leaseMs: 4_000 });
    maintenance.start();
    await h.clock.advance(1_500);
    const [id] = await h.enqueue([{}]);
    await h.store.claim({ workerId: 'dead', limit: 1, leaseMs: 4_000 }); // expires at 5.5 s, never renewed
    await h.clock.advance(8_500); // t = 10 s: the spell that began at 9 s grants 2 s, not 10
    expect((await h.store.getJob(id))!.status).toBe('pending');
    expect(maintenance.graceMs(h.clock.now())).toBeLessThanOrEqual(2_000);
  });

  it('leaves live leases alone and stops cleanly', async () => {
    await h.enqueue([{}]);
    maintenance = new Maintenance({ store: h.store, logger: h.logger, clock: h.clock, leaseMs: 4_000 });
    maintenance.start();
    await h.store.claim({ workerId: 'alive', limit: 1, leaseMs: 60_000 });
    await h.clock.advance(20_000);
    expect((await h.store.summary()).running).toBe(1);
    expect(h.logger.events('rescue')).toEqual([]);
    maintenance.stop();
    expect(h.clock.pendingTimers).toBe(0);
  });

  it('retention: prunes finished jobs older than pruneAfterMs (all three statuses) and forgets workers silent a day', async () => {
    const day = 86_400_000;
    const [done, failed, cancelled, recent, waiting] = await h.enqueue([{}, {}, {}, {}, {}]);
    const claimed = await h.store.claim({ workerId: 'w', limit: 3, leaseMs: 60_000 });
    expect(await h.store.complete(claimed.find((c) => c.jobId === done)!, 'r')).toBe(true);
    expect(await h.store.fail(claimed.find((c) => c.jobId === failed)!, 'bad')).toBe(true);
    await h.store.cancel({ ids: [cancelled] });
    const worker = (id: string, at: number) => ({ workerId: id, host: 'h', pid: 1, concurrency: 1, startedAt: at, lastHeartbeatAt: at, running: 0, status: 'running' as const });
    await h.store.heartbeatWorker(worker('killed', h.clock.now()));
    maintenance = new Maintenance({ store: h.store, logger: h.logger, clock: h.clock, pruneAfterMs: 30 * day, pruneEveryMs: 3_600_000, rescueMs: 100 * day });
    maintenance.start();
    await h.clock.advance(29 * day);
    const [r] = await h.store.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 });
    expect(r.jobId).toBe(recent);
    await h.store.complete(r, 'newer');
    await h.store.heartbeatWorker(worker('alive', h.clock.now()));
    expect((await h.store.listWorkers()).map((w) => w.workerId).sort()).toEqual(['alive']); // 'killed' silent > 1 day
    expect((await h.store.summary()).total).toBe(5);
    await h.clock.advance(2 * day);
    const left = (await h.store.listJobs({ limit: 10 })).jobs.map((j) => j.id).sort();
    expect(left).toEqual([recent, waiting].sort()); // pending jobs are never pruned; finished ones only after 30 days
    expect(h.logger.events('prune').length).toBeGreaterThan(0);
  });

  it('retention: one prune line a round, naming the cutoffs and what went by status, and a line when nothing went (was: nothing, or "Pruned N finished job(s)" alone)', async () => {
    const day = 86_400_000;
    const [done, failed, cancelled] = await h.enqueue([{}, {}, {}]);
    const claimed = await h.store.claim({ workerId: 'w', limit: 2, leaseMs: 60_000 });
    await h.store.complete(claimed.find((c) => c.jobId === done)!, 'r');
    await h.store.fail(claimed.find((c) => c.jobId === failed)!, 'bad');
    await h.store.cancel({ ids: [cancelled] });
    await h.store.heartbeatWorker({ workerId: 'killed', host: 'h', pid: 1, concurrency: 1, startedAt: h.clock.now(), lastHeartbeatAt: h.clock.now(), running: 0, status: 'running' });
    await h.clock.advance(31 * day);
    maintenance = new Maintenance({ store: h.store, logger: h.logger, clock: h.clock, pruneAfterMs: 30 * day, pruneIdempotencyKeys: true, pruneFirstAfterMs: 60_000, rescueMs: 100 * day });
    maintenance.start();
    await h.clock.advance(60_000);
    const cutoff = new Date(h.clock.now() - 30 * day);
    const [first] = h.logger.events('prune');
    expect(first.obj).toMatchObject({
      deleted: 3, jobs: { completed: 1, failed: 1, cancelled: 1, total: 3 }, workers: 1, idempotencyKeys: 0, retentionDays: 30,
      cutoffs: { jobsFinishedBefore: cutoff.toISOString() },
    });
    expect(first.msg).toBe(`Maintenance: Pruned 3 finished job(s) that finished over 30 d ago (before ${cutoff.toISOString().replace(/\.\d{3}Z$/, 'Z')}): `
      + 'completed 1, failed 1, cancelled 1; forgot 1 worker(s) silent over 1 d; forgot 0 idempotency key(s) claimed over 1 d ago');
    await h.clock.advance(3_600_000); // the next round finds nothing, and says so: once an hour, not more
    expect(h.logger.events('prune')).toHaveLength(2);
    expect(h.logger.events('prune')[1].msg).toMatch(/^Maintenance: Pruned 0 finished job\(s\) that finished over 30 d ago \(before .*\): completed 0, failed 0, cancelled 0; forgot 0 worker/);
  });

  it("retention: forgets the API's idempotency keys claimed over a day ago, not younger ones", async () => {
    const hour = 3_600_000;
    const day = 24 * hour;
    // Read with a keepMs of a year: an answer still stored comes back as completed, a forgotten key is claimed anew.
    const key = (name: string, token: string) => ({ scope: 'POST /api/jobs', key: name, token, claimMs: 5 * 60_000, keepMs: 365 * day });
    const answer = { fingerprint: 'f', response: { status: 201, body: '{}', contentType: 'application/json; charset=utf-8', location: null } };
    await h.store.claimIdempotencyKey(key('old', 't-1'));
    await h.store.recordIdempotentResponse({ ...key('old', 't-1'), ...answer });
    await h.clock.advance(12 * hour);
    await h.store.claimIdempotencyKey(key('young', 't-2'));
    await h.store.recordIdempotentResponse({ ...key('young', 't-2'), ...answer });
    maintenance = new Maintenance({ store: h.store, logger: h.logger, clock: h.clock, pruneAfterMs: 30 * day, pruneFirstAfterMs: 60_000, rescueMs: 100 * day });
    maintenance.start();
    await h.clock.advance(12 * hour + 60_000);
    // One line a round (the first at 1 min, then hourly), zeros included: 13; the key went in the 13th.
    expect(h.logger.events('prune').map((e) => e.obj.idempotencyKeys)).toEqual([...Array(12).fill(0), 1]);
    expect(await h.store.claimIdempotencyKey(key('old', 't-3'))).toEqual({ state: 'claimed' });
    expect(await h.store.claimIdempotencyKey(key('young', 't-4'))).toMatchObject({ state: 'completed' });
  });

  it('retention: pruneIdempotencyKeys forgets the keys of a day ago with job retention off (SKUCAST_RETENTION_DAYS=0), and no job', async () => {
    const day = 86_400_000;
    const key = (token: string) => ({ scope: 'POST /api/jobs', key: 'old', token, claimMs: 5 * 60_000, keepMs: 365 * day });
    await h.store.claimIdempotencyKey(key('t-1'));
    await h.store.recordIdempotentResponse({ ...key('t-1'), fingerprint: 'f', response: { status: 201, body: '{}', contentType: 'application/json; charset=utf-8', location: null } });
    const [done] = await h.enqueue([{}]);
    const [c] = await h.store.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 });
    await h.store.complete(c, 'r');
    await h.clock.advance(400 * day);
    maintenance = new Maintenance({ store: h.store, logger: h.logger, clock: h.clock, pruneIdempotencyKeys: true, pruneFirstAfterMs: 60_000, rescueMs: 1000 * day });
    maintenance.start();
    await h.clock.advance(60_000);
    expect(h.logger.events('prune').map((e) => e.obj.idempotencyKeys)).toEqual([1]);
    expect(await h.store.claimIdempotencyKey(key('t-2'))).toEqual({ state: 'claimed' });
    expect((await h.store.getJob(done))!.status).toBe('completed'); // every job kept
  });

  it('retention: prunes a minute after it starts, not only after a whole hour, then hourly (a worker restarted more often than hourly pruned never)', async () => {
    const day = 86_400_000;
    const [old, later] = await h.enqueue([{}, {}]);
    const [c] = await h.store.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 });
    expect(c.jobId).toBe(old);
    await h.store.complete(c, 'r');
    await h.clock.advance(31 * day); // finished a month ago, before this worker (re)started
    maintenance = new Maintenance({ store: h.store, logger: h.logger, clock: h.clock, pruneAfterMs: 30 * day, pruneFirstAfterMs: 60_000, rescueMs: 100 * day });
    maintenance.start();
    await h.clock.advance(59_000);
    expect((await h.store.summary()).total).toBe(2);
    await h.clock.advance(1_000);
    expect((await h.store.listJobs({ limit: 10 })).jobs.map((j) => j.id)).toEqual([later]);
    expect(h.logger.events('prune').map((e) => e.obj.deleted)).toEqual([1]);

    // Then every hour, counted from the first.
    let prunes = 0;
    // A round deletes one status at a time (each counted): count the rounds by their first DELETE.
    const counting = { ...h.store, prune: async (o: Parameters<typeof h.store.prune>[0]) => { if (o.statuses[0] === 'completed') prunes++; return h.store.prune(o); } };
    maintenance!.stop();
    maintenance = new Maintenance({ store: counting, logger: h.logger, clock: h.clock, pruneAfterMs: 30 * day, pruneFirstAfterMs: 60_000, rescueMs: 100 * day });
    maintenance.start();
    await h.clock.advance(60_000);
    expect(prunes).toBe(1);
    await h.clock.advance(3_599_000);
    expect(prunes).toBe(1);
    await h.clock.advance(1_000);
    expect(prunes).toBe(2);
    maintenance.stop();
    expect(h.clock.pendingTimers).toBe(0);
    // By default at a random moment one to five minutes in, so a fleet restarted together spreads them.
    prunes = 0;
    maintenance = new Maintenance({ store: counting, logger: h.logger, clock: h.clock, pruneAfterMs: 30 * day, rescueMs: 100 * day });
    maintenance.start();
    await h.clock.advance(59_999);
    expect(prunes).toBe(0);
    await h.clock.advance(240_001);
    expect(prunes).toBe(1);
    maintenance.stop();
  });

  it("asks a store that keeps planner statistics to refresh them every statisticsEveryMs, logs when it did, and keeps asking after a failure", async () => {
    const answers: Array<boolean | Error> = [false, true, new Error('connection lost'), false];
    let asked = 0;
    const store = { ...h.store, refreshStatistics: async () => {
      const answer = answers[asked++] ?? false;
      if (answer instanceof Error) throw answer;
      return answer;
    } };
    maintenance = new Maintenance({ store, logger: h.logger, clock: h.clock, leaseMs: 4_000, statisticsEveryMs: 60_000 });
    maintenance.start();
    await h.clock.advance(59_000);
    expect(asked).toBe(0);
    await h.clock.advance(1_000);
    expect(asked).toBe(1);
    expect(h.logger.events('statistics')).toEqual([]); // nothing was stale
    await h.clock.advance(120_000);
    expect(asked).toBe(3);
    expect(h.logger.events('statistics').map((e) => e.msg)).toEqual([
      'Maintenance: Refreshed the planner statistics of jobs (they hid finished or open jobs)',
      'Maintenance: refreshing the planner statistics failed',
    ]);
    await h.clock.advance(60_000);
    expect(asked).toBe(4);
  });

  it('refreshes the statistics at once when the worker ran dry, again 2 s and 11 s later while nothing was analyzed, absorbing calls meanwhile', async () => {
    const answers = [false, false, false, true];
    let asked = 0;
    const store = { ...h.store, refreshStatistics: async () => answers[asked++] ?? false };
    maintenance = new Maintenance({ store, logger: h.logger, clock: h.clock, leaseMs: 4_000, statisticsEveryMs: 3_600_000 });
    maintenance.ranDry(); // not started: nothing
    expect(asked).toBe(0);
    maintenance.start();
    maintenance.ranDry();
    maintenance.ranDry(); // absorbed: the attempts are under way
    await h.clock.advance(0);
    expect(asked).toBe(1);
    await h.clock.advance(1_999);
    expect(asked).toBe(1);
    await h.clock.advance(1);
    expect(asked).toBe(2);
    maintenance.ranDry(); // still absorbed
    await h.clock.advance(9_000);
    expect(asked).toBe(3);
    await h.clock.advance(60_000); // the attempts ran out
    expect(asked).toBe(3);
    expect(h.logger.events('statistics')).toEqual([]);
    maintenance.ranDry(); // a new run of work: a new first attempt, which analyzes
    await h.clock.advance(0);
    expect(asked).toBe(4);
    expect(h.logger.events('statistics').map((e) => e.obj.trigger)).toEqual(['ran-dry']);
    await h.clock.advance(60_000); // it analyzed: no retries
    expect(asked).toBe(4);
  });

  it('one refresh at a time: a ran-dry attempt that meets the minute round in flight tries again later; stop() cancels what is scheduled', async () => {
    let asked = 0;
    let answer: (analyzed: boolean) => void = () => {};
    const store = { ...h.store, refreshStatistics: () => {
      asked++;
      return new Promise<boolean>((resolve) => (answer = resolve));
    } };
    maintenance = new Maintenance({ store, logger: h.logger, clock: h.clock, leaseMs: 4_000, statisticsEveryMs: 60_000 });
    maintenance.start();
    await h.clock.advance(60_000); // the round asks and waits
    expect(asked).toBe(1);
    maintenance.ranDry(); // meets it: not asked twice at once
    await h.clock.advance(0);
    expect(asked).toBe(1);
    answer(false);
    await h.clock.advance(2_000); // the ran-dry retry
    expect(asked).toBe(2);
    answer(false);
    await h.clock.advance(0);
    maintenance.stop();
    await h.clock.advance(120_000);
    expect(asked).toBe(2);
    maintenance.ranDry(); // stopped: nothing
    expect(asked).toBe(2);
  });

  it('runs no statistics loop for a store without refreshStatistics (SQLite)', async () => {
    expect(h.store.refreshStatistics).toBeUndefined();
    maintenance = new Maintenance({ store: h.store, logger: h.logger, clock: h.clock, leaseMs: 4_000 });
    maintenance.start();
    await h.clock.advance(120_000);
    expect(h.logger.events('statistics')).toEqual([]);
  });
});
