/**
 * bench:queue's enqueue phase: bulk enqueue through the store and, on SQLite, plainjob's addMany
 * beside it (plainjob-enqueue.ts).
 */
import { performance } from 'node:perf_hooks';
import type { Store } from '../src/stores/store.js';
import { createTestDatabase } from '../tests/support/test-database.js';
import { cpuMs, enqueueRates, log, noopJobs, type EnqueueRates } from './bench-support.js';
import { openPlainjobEnqueue } from './plainjob-enqueue.js';

export interface EnqueueComparison {
  store: EnqueueRates;
  plainjob: EnqueueRates | null;
}

/**
 * Bulk enqueue through the store: `runs` calls of `jobs` jobs into one dataset of one
 * database (from the second on, into a dataset whose earlier batches still wait: supersede's
 * check runs). On SQLite with peers, each call is followed by plainjob's addMany of as many jobs
 * (a database of its own), so both sides meet the same moments of a shared machine; one call of
 * each first is not counted (the process's first 100,000 or so rows cost half as much again:
 * heap and allocator growth, compiled code; whichever side ran first used to pay it alone).
 * Two figures per side: the median call (what a caller waits), and the sustained rate, all
 * counted calls and the close together. The close matters: plainjob checkpoints the WAL inside
 * its calls (SQLite's wal_autocheckpoint), our store in a later loop turn or, when the loop
 * does not turn for a second (as here), inside a call; what is left at the end is checkpointed
 * by the close, on both sides.
 */
export async function benchEnqueue(options: { jobs: number; withPlainjob: boolean; postgres: boolean; runs?: number }): Promise<EnqueueComparison> {
  // The warm-up: a call of each into databases of their own, closed (checkpointed) before the
  // counted ones begin, so that none of its cost lands in them.
  await enqueueCalls(options, 1, false);
  return enqueueCalls(options, options.runs ?? 5, true);
}

async function enqueueCalls(options: { jobs: number; withPlainjob: boolean; postgres: boolean }, runs: number, counted: boolean): Promise<EnqueueComparison> {
  const { jobs: enqueueJobs, postgres } = options;
  const label = counted ? '' : 'warm-up, not counted: ';
  const plainjob = options.withPlainjob ? await openPlainjobEnqueue(enqueueJobs) : null;
  const db = await createTestDatabase('bench-enqueue');
  let store: Store | null = await db.open();
  try {
    const ours: Array<[number, number]> = [];
    const theirs: Array<[number, number]> = [];
    for (let r = 0; r < runs; r++) {
      const jobs = noopJobs(enqueueJobs, `enq${r}`);
      const t = performance.now();
      const cpu = cpuMs();
      const result = await store.enqueue(jobs, { batchId: `enqueue-${r}` });
      ours.push([performance.now() - t, cpuMs() - cpu]);
      if (result.jobsCreated !== enqueueJobs) throw new Error(`enqueue created ${result.jobsCreated} of ${enqueueJobs}`);
      if (plainjob) theirs.push(plainjob.addBatch(`enq${r}`));
    }
    const closing = store;
    store = null;
    const rates = enqueueRates(enqueueJobs, ours, await timed(() => closing.close()));
    const show = (times: Array<[number, number]>, close: number) => `${times.map(([ms, cpu]) => `${ms.toFixed(0)} ms (CPU ${cpu.toFixed(0)} ms)`).join(', ')}, close ${close.toFixed(0)} ms`;
    // CPU of this process: the whole cost on SQLite; on PostgreSQL only the client's share.
    const cpuNote = postgres ? ' (CPU: this client only, not the server\'s)' : '';
    log(`  ${label}enqueue via store: ${show(ours, rates.close_ms)} per ${enqueueJobs} jobs; median call ${rates.jobs_per_s} jobs/s, ${rates.jobs_per_cpu_s} per CPU second${cpuNote}; sustained ${rates.sustained_jobs_per_s} jobs/s`);
    if (plainjob === null) return { store: rates, plainjob: null };
    const peer = enqueueRates(enqueueJobs, theirs, await timed(() => plainjob.close()));
    log(`  ${label}plainjob enqueue (each after ours): ${show(theirs, peer.close_ms)} per ${enqueueJobs} jobs; median call ${peer.jobs_per_s} jobs/s, ${peer.jobs_per_cpu_s} per CPU second; sustained ${peer.sustained_jobs_per_s} jobs/s`);
    return { store: rates, plainjob: peer };
  } finally {
    await store?.close();
    if (plainjob?.closed === false) plainjob.close();
    await db.cleanup();
  }
}

async function timed(fn: () => unknown): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

