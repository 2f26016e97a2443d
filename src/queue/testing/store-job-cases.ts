import { expect, it } from 'vitest';
import { jobs, newJob, t0, waitFor, type StoreSuite } from './store-fixtures.js';
import { staleWorkerMs } from '../job.js';

/** Enqueue, claim, leases, supersede, reuse, workers, watch. */
export function jobCases(s: StoreSuite): void {
  it('migrate is idempotent and ping answers', async () => {
    await s.store.migrate();
    await s.store.migrate();
    await expect(s.store.ping()).resolves.toBeUndefined();
    expect(typeof s.store.kind).toBe('string');
    expect(typeof s.store.capabilities.skipLocked).toBe('boolean');
  });

  it('enqueue returns counts and stores each job as pending with its fields', async () => {
    const input = [
      newJob({ sku: 'A', modelId: 'ets', maxAttempts: 5, inputHash: 'h-a', settings: { horizon: 6, intervalLevels: [80, 95] } }),
      newJob({ sku: 'B', modelId: 'arima', reason: 'manual_edit_data_cleaning', priority: 1, datasetId: null }),
    ];
    const result = await s.store.enqueue(input, { batchId: 'batch-1' });
    expect(result).toMatchObject({ batchId: 'batch-1', jobsCreated: 2, jobsReused: 0, jobsCancelled: 0 });
    expect(result.lastId! - result.firstId!).toBe(1);
    const a = await s.store.getJob(result.firstId!);
    expect(a).toMatchObject({
      id: result.firstId, batchId: 'batch-1', datasetId: 'ds-1', sku: 'A', modelId: 'ets', method: 'grid',
      reason: 'manual_trigger', priority: 3, status: 'pending', progress: 0, attempts: 0, maxAttempts: 5,
      error: null, result: null, settings: { horizon: 6, intervalLevels: [80, 95] }, inputHash: 'h-a',
      createdAt: t0, updatedAt: t0, startedAt: null, finishedAt: null, runAt: t0, workerId: null,
    });
    const b = await s.store.getJob(result.lastId!);
    expect(b).toMatchObject({ datasetId: null, sku: 'B', priority: 1, maxAttempts: 3, inputHash: null });
    expect(await s.store.getJob(result.lastId! + 1000)).toBeNull();
  });

  it('enqueue stores text exactly, whatever characters it holds (quotes, backslashes, commas, braces, NULL, newlines)', async () => {
    const odd = ['say "hi"', 'back\\slash', 'a,b {c}', 'NULL', '', 'ünïcode ✓', 'two\\"quoted', 'line\nbreak', 'tab\there'];
    const settingsOf = (text: string) => ({ note: text, list: [text] });
    for (const [label, texts] of [['plain', odd.slice(0, 7)], ['with control characters', odd]] as const) {
      const r = await s.store.enqueue(texts.map((text) => newJob({ sku: text, modelId: `m ${text}`, settings: settingsOf(text), inputHash: text })), { batchId: label });
      expect(r.jobsCreated, label).toBe(texts.length);
      // The batch's ids go in SKU order (inKeyOrder): each text is found by its SKU.
      const stored = new Map((await Promise.all(texts.map((_, i) => s.store.getJob(r.firstId! + i)))).map((job) => [job!.sku, job!]));
      for (const [i, text] of texts.entries()) {
        expect(stored.get(text), `${label} #${i}`).toMatchObject({ sku: text, modelId: `m ${text}`, settings: settingsOf(text), inputHash: text });
      }
    }
  });

  it('enqueue of nothing creates nothing', async () => {
    const result = await s.store.enqueue([], { batchId: 'empty' });
    expect(result).toEqual({ batchId: 'empty', jobsCreated: 0, jobsReused: 0, jobsCancelled: 0, firstId: null, lastId: null });
    expect((await s.store.summary()).total).toBe(0);
  });

  it('claim takes the lowest priority first, FIFO within a priority, and sets the lease', async () => {
    const r = await s.store.enqueue(
      [newJob({ priority: 3 }), newJob({ priority: 1 }), newJob({ priority: 2 }), newJob({ priority: 1 })],
      { batchId: 'b' },
    );
    const ids = [r.firstId!, r.firstId! + 1, r.firstId! + 2, r.firstId! + 3];
    s.clock.now += 10;
    const claimed = await s.store.claim({ workerId: 'w1', limit: 10, leaseMs: 30_000 });
    expect(claimed.map((c) => c.jobId)).toEqual([ids[1], ids[3], ids[2], ids[0]]);
    for (const c of claimed) {
      expect(c.job).toMatchObject({ id: c.jobId, status: 'running', attempts: 1, workerId: 'w1', startedAt: t0 + 10 });
      expect(c.leaseExpiresAt).toBe(t0 + 10 + 30_000);
      expect(typeof c.leaseToken).toBe('string');
      expect(c.leaseToken.length).toBeGreaterThan(8);
    }
    expect(new Set(claimed.map((c) => c.leaseToken)).size).toBe(4);
    expect(await s.store.claim({ workerId: 'w1', limit: 10, leaseMs: 30_000 })).toEqual([]);
  });

  it('claim picks by priority then FIFO even when taking one at a time', async () => {
    const r = await s.store.enqueue(
      [3, 1, 2, 1, 3, 2].map((priority) => newJob({ priority })),
      { batchId: 'b' },
    );
    const order: number[] = [];
    for (let i = 0; i < 6; i++) {
      const [c] = await s.store.claim({ workerId: 'w', limit: 1, leaseMs: 1000 });
      order.push(c.jobId - r.firstId!);
    }
    expect(order).toEqual([1, 3, 2, 5, 0, 4]);
  });

  it('claim takes at most `limit` jobs', async () => {
    await s.store.enqueue(jobs(5), { batchId: 'b' });
    const first = await s.store.claim({ workerId: 'w', limit: 2, leaseMs: 1000 });
    const second = await s.store.claim({ workerId: 'w', limit: 2, leaseMs: 1000 });
    const third = await s.store.claim({ workerId: 'w', limit: 2, leaseMs: 1000 });
    expect([first.length, second.length, third.length]).toEqual([2, 2, 1]);
    expect(new Set([...first, ...second, ...third].map((c) => c.jobId)).size).toBe(5);
  });

  it('a claim whose signal is already aborted (the worker stopped) claims nothing; one aborted after it answered keeps its jobs', async () => {
    await s.store.enqueue(jobs(2), { batchId: 'b' });
    const stopped = new AbortController();
    stopped.abort();
    expect(await s.store.claim({ workerId: 'w', limit: 2, leaseMs: 1000, signal: stopped.signal })).toEqual([]);
    expect((await s.store.summary()).pending).toBe(2);
    const late = new AbortController();
    const claimed = await s.store.claim({ workerId: 'w', limit: 2, leaseMs: 1000, signal: late.signal });
    late.abort(); // too late: the claim committed, its caller holds (and must hand back) its jobs
    expect(claimed).toHaveLength(2);
    expect((await s.store.summary()).running).toBe(2);
    for (const c of claimed) expect(await s.store.release(c)).toBe(true);
  });

  it('two instances claiming concurrently never claim the same job', async () => {
    const other = await s.another();
    const r = await s.store.enqueue(jobs(500), { batchId: 'race' });
    const byA: number[] = [];
    const byB: number[] = [];
    for (let round = 0; round < 200; round++) {
      const [a, b] = await Promise.all([
        s.store.claim({ workerId: 'a', limit: 7, leaseMs: 60_000 }),
        other.claim({ workerId: 'b', limit: 7, leaseMs: 60_000 }),
      ]);
      byA.push(...a.map((c) => c.jobId));
      byB.push(...b.map((c) => c.jobId));
      if (a.length === 0 && b.length === 0) break;
    }
    const all = Array.from({ length: 500 }, (_, i) => r.firstId! + i);
    expect([...byA, ...byB].sort((x, y) => x - y)).toEqual(all);
    expect(byA.filter((id) => byB.includes(id))).toEqual([]);
    expect(byA.length).toBeGreaterThan(0);
    expect(byB.length).toBeGreaterThan(0);
  });

  it('a claimed job carries every field getJob reads, for a claim of one and of several', async () => {
    await s.store.enqueue([
      newJob({ sku: 'F-1', settings: { horizon: 3, intervalLevels: [80, 95], frequency: 'weekly' }, inputHash: 'h-claimed', maxAttempts: 5 }),
      newJob({ sku: 'F-2', datasetId: null, reason: 'initial_import', priority: 3 }),
      newJob({ sku: 'F-3', modelId: 'naive', method: 'mle' }),
    ], { batchId: 'b-fields' });
    s.clock.now += 7;
    const one = await s.store.claim({ workerId: 'w-fields', limit: 1, leaseMs: 60_000 });
    const several = await s.store.claim({ workerId: 'w-fields', limit: 5, leaseMs: 60_000 });
    expect([...one, ...several].map((c) => c.job.sku).sort()).toEqual(['F-1', 'F-2', 'F-3']);
    for (const c of [...one, ...several]) {
      expect(c.job).toEqual(await s.store.getJob(c.jobId));
      expect(c.job).toMatchObject({ status: 'running', attempts: 1, workerId: 'w-fields', startedAt: t0 + 7 });
      expect(c.leaseExpiresAt).toBe(t0 + 7 + 60_000);
    }
  });

  it('renew extends a lease so rescue leaves the job alone', async () => {
    await s.store.enqueue(jobs(1), { batchId: 'b' });
    const [c] = await s.store.claim({ workerId: 'w', limit: 1, leaseMs: 1000 });
    s.clock.now += 800;
    expect(await s.store.renew([c], 1000)).toEqual([c.jobId]);
    s.clock.now += 900; // past the first lease (t0+1000), inside the renewed one (t0+1800)
    expect(await s.store.rescue()).toEqual({ rescued: 0, failed: 0, jobIds: [], failedJobIds: [], jobs: [] });
    expect((await s.store.getJob(c.jobId))!.status).toBe('running');
    s.clock.now += 200;
    expect(await s.store.rescue()).toMatchObject({ rescued: 1, failed: 0, jobIds: [c.jobId], failedJobIds: [] });
  });

  it('lost() names the leases no longer held, and only those', async () => {
    const r = await s.store.enqueue(jobs(3, { modelId: 'm-lost' }), { batchId: 'b' });
    const claimed = await s.store.claim({ workerId: 'w', limit: 3, leaseMs: 1000 });
    expect(claimed.length).toBe(3);
    const [kept, cancelled, superseded] = claimed;
    expect(await s.store.lost(claimed)).toEqual([]);
    await s.store.cancel({ ids: [cancelled.jobId] });
    const again = await s.store.getJob(superseded.jobId);
    await s.store.enqueue([newJob({ sku: again!.sku, modelId: again!.modelId })], { batchId: 'newer' });
    expect((await s.store.lost(claimed)).sort((a, b) => a - b)).toEqual([cancelled.jobId, superseded.jobId].sort((a, b) => a - b));
    expect(await s.store.lost([{ jobId: kept.jobId, leaseToken: 'not-the-token' }])).toEqual([kept.jobId]);
    expect(await s.store.lost([{ jobId: r.lastId! + 999, leaseToken: kept.leaseToken }])).toEqual([r.lastId! + 999]);
  });

  it('supersede: a newer job for the same work cancels older pending and running ones, not other work', async () => {
    const base = { datasetId: 'ds-s', sku: 'S1', modelId: 'ets', method: 'grid' };
    const first = await s.store.enqueue([newJob(base)], { batchId: 'one' });
    const [running] = await s.store.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 });
    expect(running.jobId).toBe(first.firstId);
    const pending = await s.store.enqueue([newJob(base)], { batchId: 'two', supersede: false });
    expect(pending.jobsCancelled).toBe(0);

    const untouched = await s.store.enqueue(
      [
        newJob({ ...base, datasetId: 'ds-other' }),
        newJob({ ...base, sku: 'S2' }),
        newJob({ ...base, modelId: 'arima' }),
        newJob({ ...base, method: 'mle' }),
      ],
      { batchId: 'others' },
    );
    expect(untouched.jobsCancelled).toBe(0);

    const newest = await s.store.enqueue([newJob(base)], { batchId: 'three' });
    expect(newest.jobsCancelled).toBe(2);
    for (const id of [first.firstId!, pending.firstId!]) {
      const job = await s.store.getJob(id);
      expect(job).toMatchObject({ status: 'cancelled', error: `superseded by job ${newest.firstId}`, finishedAt: s.clock.now });
    }
    expect(await s.store.complete(running, { late: true })).toBe(false);
    expect(await s.store.lost([running])).toEqual([running.jobId]);
    const others = await Promise.all(
      Array.from({ length: 4 }, (_, i) => s.store.getJob(untouched.firstId! + i)),
    );
    expect(others.map((j) => j!.status)).toEqual(['pending', 'pending', 'pending', 'pending']);
  });

  it('a batch past one statement goes in SKU order: ids ascend with the SKUs, and a job given twice keeps its later copy', async () => {
    // 206 jobs: SQLite inserts them in multi-row statements of power-of-two sizes (128 + 64 + 8 + 4
    // + 2, INSERT ... SELECT FROM VALUES); PostgreSQL in one statement; both in inKeyOrder.
    const jobsIn = Array.from({ length: 204 }, (_, i) => newJob({ datasetId: 'ds-order', sku: `O${i}` }));
    jobsIn.push(newJob({ datasetId: 'ds-order', sku: 'O0', modelId: 'naive' }), newJob({ datasetId: 'ds-order', sku: 'O0' }));
    const r = await s.store.enqueue(jobsIn, { batchId: 'order' });
    expect(r).toMatchObject({ jobsCreated: 206, jobsCancelled: 1 });
    expect(r.lastId! - r.firstId!).toBe(205);
    const stored = await Promise.all(jobsIn.map((_, i) => s.store.getJob(r.firstId! + i)));
    const bySku = [...jobsIn].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0)); // stable: O0's copies keep their order
    expect(stored.map((j) => `${j!.sku} ${j!.modelId}`)).toEqual(bySku.map((j) => `${j.sku} ${j.modelId}`));
    expect(stored.map((j) => j!.sku).slice(0, 5)).toEqual(['O0', 'O0', 'O0', 'O1', 'O10']);
    expect(stored.map((j) => j!.batchId)).toEqual(jobsIn.map(() => 'order'));
    expect(stored[0]).toMatchObject({ status: 'cancelled', error: `superseded by job ${r.firstId! + 2}` });
    expect(stored[1]).toMatchObject({ modelId: 'naive', status: 'pending' });
    expect(stored[205]).toMatchObject({ sku: 'O99', status: 'pending', createdAt: s.clock.now, runAt: s.clock.now });
  });

  it("one enqueue's run of alike jobs (dataset, priority...) goes in SKU order, stably; runs keep their order, and so does a sorted batch", async () => {
    const job = (datasetId: string, sku: string, priority = 3, modelId = 'ets') => newJob({ datasetId, sku, priority, modelId });
    const r = await s.store.enqueue([
      job('ds-a', 'c'), job('ds-a', 'a', 3, 'naive'), job('ds-a', 'b'), job('ds-a', 'a'),
      job('ds-a', 'z', 1), job('ds-a', 'y', 1),
      job('ds-b', 'k'), job('ds-b', 'j'),
      job('ds-a', 'f'), job('ds-a', 'e'),
    ], { batchId: 'runs' });
    const stored = await Promise.all(Array.from({ length: 10 }, (_, i) => s.store.getJob(r.firstId! + i)));
    expect(stored.map((j) => `${j!.datasetId}/${j!.sku}/${j!.modelId}`)).toEqual([
      'ds-a/a/naive', 'ds-a/a/ets', 'ds-a/b/ets', 'ds-a/c/ets', 'ds-a/y/ets', 'ds-a/z/ets', 'ds-b/j/ets', 'ds-b/k/ets', 'ds-a/e/ets', 'ds-a/f/ets',
    ]);
    s.clock.now += 10;
    const claimed = await s.store.claim({ workerId: 'w', limit: 10, leaseMs: 30_000 });
    // Priority 1 first; then the two datasets take turns, each in its own (SKU) order.
    expect(claimed.map((c) => `${c.job.datasetId}/${c.job.sku}`)).toEqual([
      'ds-a/y', 'ds-a/z', 'ds-a/a', 'ds-b/j', 'ds-a/a', 'ds-b/k', 'ds-a/b', 'ds-a/c', 'ds-a/e', 'ds-a/f',
    ]);
    const sorted = await s.store.enqueue(['m', 'n', 'o'].map((sku) => job('ds-c', sku)), { batchId: 'sorted' });
    const kept = await Promise.all([0, 1, 2].map((i) => s.store.getJob(sorted.firstId! + i)));
    expect(kept.map((j) => j!.sku)).toEqual(['m', 'n', 'o']);
  });

  it('supersede treats jobs without a dataset as the same work', async () => {
    const base = { datasetId: null, sku: 'NODS', modelId: 'ets', method: 'grid' };
    const a = await s.store.enqueue([newJob(base)], { batchId: 'a' });
    const b = await s.store.enqueue([newJob(base)], { batchId: 'b' });
    expect(b.jobsCancelled).toBe(1);
    expect((await s.store.getJob(a.firstId!))!.error).toBe(`superseded by job ${b.firstId}`);
  });

  it('reuse: a job whose input hash was computed before is completed at once with a copy of the result', async () => {
    const result = { forecast: [1.5, 2.25, 3], parameters: { alpha: 0.3 }, note: 'ünïcode' };
    await s.store.enqueue([newJob({ sku: 'R', inputHash: 'hash-R' })], { batchId: 'a' });
    const [c] = await s.store.claim({ workerId: 'w', limit: 1, leaseMs: 1000 });
    expect(await s.store.complete(c, result)).toBe(true);

    s.clock.now += 5;
    const again = await s.store.enqueue(
      [newJob({ sku: 'R', inputHash: 'hash-R' }), newJob({ sku: 'R2', inputHash: 'hash-other' })],
      { batchId: 'b' },
    );
    expect(again).toMatchObject({ jobsCreated: 2, jobsReused: 1 });
    const reused = await s.store.getJob(again.firstId!);
    expect(reused).toMatchObject({ status: 'completed', progress: 100, result, batchId: 'b', finishedAt: t0 + 5 });
    expect((await s.store.getJob(again.lastId!))!.status).toBe('pending');

    const notReused = await s.store.enqueue([newJob({ sku: 'R', inputHash: 'hash-R' })], { batchId: 'c', reuse: false });
    expect(notReused.jobsReused).toBe(0);
    expect((await s.store.getJob(notReused.firstId!))!.status).toBe('pending');
    // a newer, unfinished job with the same hash is not a result: the completed one still is
    const third = await s.store.enqueue([newJob({ sku: 'R', inputHash: 'hash-R' })], { batchId: 'e' });
    expect(third.jobsReused).toBe(1);
    expect((await s.store.getJob(third.firstId!))!.result).toEqual(result);
    // the pending copy of the same work does not count as a cached result
    const claimedNothing = await s.store.enqueue([newJob({ sku: 'X', inputHash: 'hash-other' })], { batchId: 'd' });
    expect(claimedNothing.jobsReused).toBe(0);
  });

  it('worker registry: heartbeats insert then update one row per worker', async () => {
    const w = {
      workerId: 'w-1', host: 'host-a', pid: 123, concurrency: 2, startedAt: t0, lastHeartbeatAt: t0,
      running: 0, status: 'running' as const,
    };
    await s.store.heartbeatWorker(w);
    await s.store.heartbeatWorker({ ...w, workerId: 'w-2', pid: 456, startedAt: t0 + 1 });
    await s.store.heartbeatWorker({ ...w, lastHeartbeatAt: t0 + 5000, running: 2, status: 'stopping' });
    const workers = await s.store.listWorkers();
    expect(workers.length).toBe(2);
    const { heartbeatAgeMs, ...w1 } = workers.find((x) => x.workerId === 'w-1')!;
    expect(w1).toEqual({ ...w, lastHeartbeatAt: t0 + 5000, running: 2, status: 'stopping' });
    expect(workers.find((x) => x.workerId === 'w-2')).toMatchObject({ pid: 456 });
    // Its age as the database measured it, where the store reads one: just heard, whatever the
    // beat's own date (t0, the worker's clock) says.
    if (s.store.capabilities.databaseClock) expect(heartbeatAgeMs).toSatisfy((age: number) => age >= 0 && age < staleWorkerMs);
    else expect(heartbeatAgeMs).toBeUndefined();
  });

  it('worker registry: a heartbeat\'s count of held jobs waiting for a thread is read back as of that beat', async () => {
    const w = {
      workerId: 'w-1', host: 'h', pid: 1, concurrency: 2, startedAt: t0, lastHeartbeatAt: t0, running: 4, status: 'running' as const,
    };
    const read = async (id = 'w-1') => (await s.store.listWorkers()).find((x) => x.workerId === id)!;
    await s.store.heartbeatWorker({ ...w, waitingForThread: 3 });
    await s.store.heartbeatWorker({ ...w, workerId: 'w-2', waitingForThread: 1 });
    expect(await read()).toMatchObject({ running: 4, concurrency: 2, waitingForThread: 3 });
    expect((await read('w-2')).waitingForThread).toBe(1);
    await s.store.heartbeatWorker({ ...w, lastHeartbeatAt: t0 + 5000, running: 3, waitingForThread: 0 });
    expect(await read()).toMatchObject({ running: 3, waitingForThread: 0 }); // 0 is a count, not "not reported"
    // A beat without a count (a worker that does not report one): none is kept from the beat before.
    await s.store.heartbeatWorker({ ...w, lastHeartbeatAt: t0 + 10_000, waitingForThread: 2 });
    await s.store.heartbeatWorker({ ...w, lastHeartbeatAt: t0 + 15_000 });
    expect((await read()).waitingForThread).toBeUndefined();
    // An earlier start of the same id still beating changes nothing of the later one's row.
    await s.store.heartbeatWorker({ ...w, startedAt: t0 + 20_000, lastHeartbeatAt: t0 + 20_000, waitingForThread: 1 });
    await s.store.heartbeatWorker({ ...w, lastHeartbeatAt: t0 + 21_000, waitingForThread: 4 });
    expect(await read()).toMatchObject({ startedAt: t0 + 20_000, waitingForThread: 1 });
  });

  it('worker registry: a beat written after a later beat of the same start changes nothing (the stop\'s beat and a periodic one in flight)', async () => {
    const w = {
      workerId: 'w-1', host: 'h', pid: 1, concurrency: 2, startedAt: t0, lastHeartbeatAt: t0, running: 4, status: 'running' as const,
    };
    const read = async () => (await s.store.listWorkers()).find((x) => x.workerId === 'w-1')!;
    await s.store.heartbeatWorker({ ...w, waitingForThread: 2 });
    await s.store.heartbeatWorker({ ...w, lastHeartbeatAt: t0 + 6_000, status: 'stopped', running: 0, waitingForThread: 0 });
    await s.store.heartbeatWorker({ ...w, lastHeartbeatAt: t0 + 5_000, running: 4, waitingForThread: 3 });
    expect(await read()).toMatchObject({ lastHeartbeatAt: t0 + 6_000, status: 'stopped', running: 0, waitingForThread: 0 });
  });

  it('worker registry: a restart under the same id whose clock stepped back (an earlier start) takes the row of a stopped or stale start, not of a live one', async () => {
    const w = {
      workerId: 'w-1', host: 'h', pid: 1, concurrency: 2, startedAt: t0 + 100_000, lastHeartbeatAt: t0 + 100_000,
      running: 0, status: 'running' as const, counters: { claimed: 5 },
    };
    const read = async () => (await s.store.listWorkers()).find((x) => x.workerId === 'w-1')!;
    expect(await s.store.heartbeatWorker(w)).toBe(true);
    // The same start's earlier beat is kept out, and says so.
    expect(await s.store.heartbeatWorker({ ...w, lastHeartbeatAt: t0 + 99_000, status: 'stopped' })).toBe(false);
    // Live: a restart dated before it (its clock stepped back 30 s) is kept out, as an older process still draining is.
    const restart = { ...w, pid: 2, startedAt: t0 + 80_000, lastHeartbeatAt: t0 + 80_000, counters: { claimed: 1 } };
    expect(await s.store.heartbeatWorker(restart)).toBe(false);
    expect(await read()).toMatchObject({ pid: 1, startedAt: t0 + 100_000 });
    // Stopped: the restart takes the row at once; the stopped start's counters are retired, not lost.
    await s.store.heartbeatWorker({ ...w, lastHeartbeatAt: t0 + 101_000, status: 'stopped' });
    expect(await s.store.heartbeatWorker({ ...restart, lastHeartbeatAt: t0 + 81_000 })).toBe(true);
    expect(await read()).toMatchObject({ pid: 2, startedAt: t0 + 80_000, status: 'running', counters: { claimed: 1 } });
    expect(await s.store.workerEventTotals()).toEqual({ claimed: 6 });
    // Stale: a start that died without saying so (never 'stopped') gives way once silent a minute.
    const next = { ...w, pid: 3, startedAt: t0 + 50_000, counters: { claimed: 2 } };
    if (s.store.capabilities.databaseClock) {
      // Silent on the database's clock, which heard the row's last beat just now: a beat dated a
      // minute later by its own clock is still kept out (postgres-specifics.test.ts holds the takeover).
      expect(await s.store.heartbeatWorker({ ...next, lastHeartbeatAt: t0 + 81_001 + staleWorkerMs })).toBe(false);
      expect(await read()).toMatchObject({ pid: 2, startedAt: t0 + 80_000 });
      return;
    }
    // By the beat's clock, the only one a store without its own has (SQLite: one machine's).
    expect(await s.store.heartbeatWorker({ ...next, lastHeartbeatAt: t0 + 81_000 + staleWorkerMs })).toBe(false);
    expect(await s.store.heartbeatWorker({ ...next, lastHeartbeatAt: t0 + 81_001 + staleWorkerMs })).toBe(true);
    expect(await read()).toMatchObject({ pid: 3, startedAt: t0 + 50_000, counters: { claimed: 2 } });
    expect(await s.store.workerEventTotals()).toEqual({ claimed: 8 });
  });

  it('worker registry: forget takes a silent worker\'s count with it and leaves a live one\'s', async () => {
    const w = {
      workerId: 'w-gone', host: 'h', pid: 1, concurrency: 2, startedAt: t0, lastHeartbeatAt: t0, running: 4, status: 'running' as const,
    };
    await s.store.heartbeatWorker({ ...w, waitingForThread: 3 });
    await s.store.heartbeatWorker({ ...w, workerId: 'w-live', lastHeartbeatAt: t0 + 20_000, waitingForThread: 2 });
    expect(await s.store.forgetWorkers(t0 + 10_000)).toBe(1);
    expect(await s.store.listWorkers()).toEqual([expect.objectContaining({ workerId: 'w-live', waitingForThread: 2 })]);
    // Its row written again with no count (a worker older than 040), even dated as that count was:
    // the count went with the row, it does not come back.
    await s.store.heartbeatWorker(w);
    expect((await s.store.listWorkers()).find((x) => x.workerId === 'w-gone')!.waitingForThread).toBeUndefined();
  });

  it('worker registry: markStopped marks a dead worker stopped, fenced on its id and pid, once; a later beat of that start cannot undo it', async () => {
    const w = {
      workerId: 'w-1', host: 'h', pid: 11, concurrency: 2, startedAt: t0, lastHeartbeatAt: t0, running: 2, waitingForThread: 1,
      status: 'running' as const, counters: { claimed: 4, completed: 2 },
    };
    const read = async (id = 'w-1') => (await s.store.listWorkers()).find((x) => x.workerId === id)!;
    await s.store.heartbeatWorker(w);
    await s.store.heartbeatWorker({ ...w, workerId: 'w-2', pid: 12 });
    // Another pid under the id: not the process that died.
    expect(await s.store.markWorkerStopped({ workerId: 'w-1', pid: 99 })).toBe(false);
    expect((await read()).status).toBe('running');
    expect(await s.store.markWorkerStopped({ workerId: 'w-1', pid: 11 })).toBe(true);
    expect(await read()).toMatchObject({ status: 'stopped', running: 0, lastHeartbeatAt: t0, counters: { claimed: 4, completed: 2 } });
    expect((await read()).waitingForThread).toBeUndefined();
    expect(await read('w-2')).toMatchObject({ status: 'running', running: 2 });
    expect(await s.store.markWorkerStopped({ workerId: 'w-1', pid: 11 })).toBe(false); // already stopped
    expect(await s.store.markWorkerStopped({ workerId: 'nobody', pid: 11 })).toBe(false);
    // A beat of that start that was still on its way (a PostgreSQL statement of the dead client) does not bring it back.
    await s.store.heartbeatWorker({ ...w, lastHeartbeatAt: t0 + 5000, counters: { claimed: 5, completed: 2 } });
    expect(await read()).toMatchObject({ status: 'stopped', running: 0, lastHeartbeatAt: t0, counters: { claimed: 4, completed: 2 } });
    // Its own last beat, stopped too, still writes its counters; a new start under the id is a new row.
    await s.store.heartbeatWorker({ ...w, status: 'stopped', running: 0, lastHeartbeatAt: t0 + 6000, counters: { claimed: 5, completed: 3 } });
    expect(await read()).toMatchObject({ status: 'stopped', lastHeartbeatAt: t0 + 6000, counters: { claimed: 5, completed: 3 } });
    await s.store.heartbeatWorker({ ...w, pid: 13, startedAt: t0 + 7000, lastHeartbeatAt: t0 + 7000, counters: undefined });
    expect(await read()).toMatchObject({ status: 'running', pid: 13, startedAt: t0 + 7000 });
    expect(await s.store.workerEventTotals()).toEqual({ claimed: 9, completed: 5 }); // w-1's 5 + 3 retired, w-2's 4 + 2
  });

  it("a worker marked stopped leaves its running jobs to rescue by lease expiry, as any dead worker's", async () => {
    await s.store.enqueue(jobs(2), { batchId: 'b' });
    const held = await s.store.claim({ workerId: 'w-dead', limit: 2, leaseMs: 30_000 });
    await s.store.heartbeatWorker({ workerId: 'w-dead', host: 'h', pid: 21, concurrency: 2, startedAt: t0, lastHeartbeatAt: t0, running: 2, status: 'running' });
    expect(await s.store.markWorkerStopped({ workerId: 'w-dead', pid: 21 })).toBe(true);
    // Its jobs stay held: the lease is what a rescue goes by, not the registry.
    expect((await s.store.summary()).running).toBe(2);
    expect(await s.store.rescue()).toMatchObject({ rescued: 0 });
    s.clock.now += 30_001;
    const rescued = await s.store.rescue();
    expect(rescued).toMatchObject({ rescued: 2, failed: 0 });
    expect(rescued.jobIds.sort((a, b) => a - b)).toEqual(held.map((c) => c.jobId).sort((a, b) => a - b));
    expect((await s.store.summary()).pending).toBe(2);
  });

  it("worker counters: a forgotten worker's and a restarted worker's earlier counts are retired, so the totals never go down", async () => {
    const w = {
      workerId: 'w-1', host: 'h', pid: 1, concurrency: 2, startedAt: t0, lastHeartbeatAt: t0, running: 0, status: 'running' as const,
    };
    const total = () => s.store.workerEventTotals();
    expect(await total()).toEqual({});
    await s.store.heartbeatWorker({ ...w, counters: { claimed: 5, completed: 4, note: 'x' as unknown as number } });
    await s.store.heartbeatWorker({ ...w, workerId: 'w-2', lastHeartbeatAt: t0 + 60_000, counters: { claimed: 2, rescued: 1 } });
    await s.store.heartbeatWorker({ ...w, lastHeartbeatAt: t0 + 1000, counters: { claimed: 7, completed: 6 } }); // same process: no retire
    await s.store.heartbeatWorker({ ...w, lastHeartbeatAt: t0 + 2000 }); // no counters: the last ones stay
    expect(await total()).toEqual({ claimed: 9, completed: 6, rescued: 1 });
    // w-1 starts again under its id: its earlier 7 and 6 are kept; its first beat carries no counters.
    await s.store.heartbeatWorker({ ...w, startedAt: t0 + 3000, lastHeartbeatAt: t0 + 3000 });
    expect(await total()).toEqual({ claimed: 9, completed: 6, rescued: 1 });
    await s.store.heartbeatWorker({ ...w, startedAt: t0 + 3000, lastHeartbeatAt: t0 + 3500, counters: { claimed: 1 } });
    expect(await total()).toEqual({ claimed: 10, completed: 6, rescued: 1 });
    // The earlier process, still draining, beats again: it neither retires nor replaces the later one's row.
    await s.store.heartbeatWorker({ ...w, lastHeartbeatAt: t0 + 4000, counters: { claimed: 8, completed: 7 } });
    expect(await total()).toEqual({ claimed: 10, completed: 6, rescued: 1 });
    expect((await s.store.listWorkers()).find((x) => x.workerId === 'w-1')).toMatchObject({ startedAt: t0 + 3000, counters: { claimed: 1 } });
    // w-1 falls silent and is forgotten; w-2 heartbeated later and stays.
    expect(await s.store.forgetWorkers(t0 + 10_000)).toBe(1);
    expect((await s.store.listWorkers()).map((x) => x.workerId)).toEqual(['w-2']);
    expect(await total()).toEqual({ claimed: 10, completed: 6, rescued: 1 });
    expect(await s.store.forgetWorkers(t0 + 10_000)).toBe(0);
    expect(await s.store.forgetWorkers(t0 + 120_000)).toBe(1);
    expect(await total()).toEqual({ claimed: 10, completed: 6, rescued: 1 });
  });

  it('watch wakes when another instance enqueues; unsubscribe resolves', async () => {
    const other = await s.another();
    const events: string[] = [];
    const unsubscribe = await s.store.watch((event) => events.push(event));
    await other.enqueue(jobs(1), { batchId: 'wake' });
    await waitFor(() => events.includes('jobs'), 5000, 'a jobs wake-up');
    await expect(unsubscribe()).resolves.toBeUndefined();
  });

  it('watch reports a cancel made by another instance as a cancel', async () => {
    const other = await s.another();
    const r = await s.store.enqueue(jobs(1), { batchId: 'to-cancel' });
    await s.store.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 });
    const events: string[] = [];
    const unsubscribe = await s.store.watch((event) => events.push(event));
    expect(await other.cancel({ ids: [r.firstId!] })).toBe(1);
    await waitFor(() => events.includes('cancel'), 5000, 'a cancel wake-up');
    await unsubscribe();
  });
}
