/**
 * bench:queue's enqueue phase: bulk enqueue through the store and, on SQLite, plainjob's addMany
 * beside it (plainjob-enqueue.ts).
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createTestDatabase } from '../tests/support/test-database.js';
import { cpuMs, enqueueRates, log, noopJobs, timedCheckpoint, type EnqueueRates } from './bench-support.js';
import { openPlainjobEnqueue } from './plainjob-enqueue.js';

export interface EnqueueComparison {
  store: EnqueueRates;
  plainjob: EnqueueRates | null;
}

interface EnqueueOptions {
  jobs: number;
  withPlainjob: boolean;
  postgres: boolean;
}

/**
 * Bulk enqueue through the store: `runs` calls of `jobs` jobs into one dataset of one database
 * (from the second on, into a dataset whose earlier batches still wait: supersede's check runs;
 * each batch's SKUs sort after the last's, so its walk finds none of them open). On SQLite with
 * peers, plainjob's addMany of as many jobs (a database of its own) goes in the same rounds, first
 * in every other one (ABBA), so both sides meet the same moments of a shared machine and neither
 * always follows the other; two rounds first are not counted (a process's first 100,000 or so rows
 * cost half as much again: heap and allocator growth, compiled code; whichever side ran first
 * used to pay it alone). Two figures per side: the median call (what a caller waits), and on
 * SQLite the sustained rate, every counted call and then a checkpoint of what is left in the WAL
 * (`PRAGMA wal_checkpoint(TRUNCATE)`, timed alike on both sides). plainjob checkpoints inside its
 * calls (SQLite's wal_autocheckpoint); our store in a later loop turn or, when the loop does not
 * turn for a second (as here), inside a call; the last checkpoint brings both to the same point.
 */
export async function benchEnqueue(options: EnqueueOptions & { runs?: number }): Promise<EnqueueComparison> {
  // The warm-up: two rounds (the second through supersede's span check) into databases of their
  // own, closed before the counted ones begin, so that none of their cost lands in them.
  await enqueueRounds(options, 2, false);
  return enqueueRounds(options, options.runs ?? 5, true);
}

/**
 * Ids shaped as the product makes them (import-dataset.ts, jobs-create.ts): a dataset id of 19
 * characters and a UUID per batch. Short ones ('bench', 'enqueue-0') made every row and index
 * entry that holds them smaller than a user's, and flattered our side.
 */
const datasetId = `ds_${randomUUID().replace(/-/g, '').slice(0, 16)}`;

async function enqueueRounds(options: EnqueueOptions, runs: number, counted: boolean): Promise<EnqueueComparison> {
  const { jobs: enqueueJobs, postgres } = options;
  const label = counted ? '' : 'warm-up, not counted: ';
  const plainjob = options.withPlainjob ? await openPlainjobEnqueue(enqueueJobs) : null;
  const db = await createTestDatabase('bench-enqueue');
  const store = await db.open();
  try {
    const ours: Array<[number, number]> = [];
    const theirs: Array<[number, number]> = [];
    const enqueueOurs = async (r: number) => {
      const jobs = noopJobs(enqueueJobs, `enq${r}`, datasetId);
      const t = performance.now();
      const cpu = cpuMs();
      const result = await store.enqueue(jobs, { batchId: randomUUID() });
      ours.push([performance.now() - t, cpuMs() - cpu]);
      if (result.jobsCreated !== enqueueJobs) throw new Error(`enqueue created ${result.jobsCreated} of ${enqueueJobs}`);
    };
    for (let r = 0; r < runs; r++) {
      if (plainjob && r % 2 === 1) theirs.push(plainjob.addBatch(`enq${r}`, datasetId));
      await enqueueOurs(r);
      if (plainjob && r % 2 === 0) theirs.push(plainjob.addBatch(`enq${r}`, datasetId));
    }
    // CPU of this process: the whole cost on SQLite; on PostgreSQL only the client's share.
    const cpuNote = postgres ? ' (CPU: this client only, not the server\'s)' : '';
    const show = (times: Array<[number, number]>, checkpointMs: number | null) => `${times.map(([ms, cpu]) => `${ms.toFixed(0)} ms (CPU ${cpu.toFixed(0)} ms)`).join(', ')}`
      + (checkpointMs === null ? '' : `, then the WAL's checkpoint ${checkpointMs.toFixed(0)} ms`);
    const sustained = (rates: EnqueueRates) => (rates.checkpoint_ms === null ? '' : `; sustained ${rates.sustained_jobs_per_s} jobs/s`);
    const ourCheckpoint = postgres ? null : checkpointFile(db.config.databasePath!);
    const rates = enqueueRates(enqueueJobs, ours, ourCheckpoint);
    log(`  ${label}enqueue via store: ${show(ours, ourCheckpoint)} per ${enqueueJobs} jobs; median call ${rates.jobs_per_s} jobs/s, ${rates.jobs_per_cpu_s} per CPU second${cpuNote}${sustained(rates)}`);
    if (plainjob === null) return { store: rates, plainjob: null };
    const peer = enqueueRates(enqueueJobs, theirs, plainjob.checkpoint());
    log(`  ${label}plainjob enqueue: ${show(theirs, peer.checkpoint_ms)} per ${enqueueJobs} jobs; median call ${peer.jobs_per_s} jobs/s, ${peer.jobs_per_cpu_s} per CPU second${sustained(peer)}`);
    return { store: rates, plainjob: peer };
  } finally {
    await store.close();
    plainjob?.close();
    await db.cleanup();
  }
}

/** The time of a checkpoint of everything in `path`'s WAL, on a connection of its own with the store's synchronous=NORMAL. */
function checkpointFile(path: string): number {
  const connection = new Database(path);
  try {
    connection.pragma('synchronous = NORMAL');
    return timedCheckpoint(connection);
  } finally {
    connection.close();
  }
}
