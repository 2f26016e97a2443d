import { existsSync } from 'node:fs';
import { staleWorkerMs } from '../queue/job.js';
import { describeLiveWorkers, liveWorkers } from '../queue/live-workers.js';
import { isPostgresUrl, openStore } from './open-store.js';
import { assertUnchanged, openSqliteCopySource, type SqliteCopySource } from './sqlite/sqlite-copy-source.js';
import type { Store } from './store.js';

export interface MigrateStoreReport {
  datasets: number;
  series: number;
  overrides: number;
  jobs: number;
  /** Jobs that were running in the SQLite file: copied as pending, their attempt given back. */
  runningRequeued: number;
  /** Snapshots of the forecasts shown, and actuals appends (with the values they overwrote). */
  snapshots: number;
  actuals: number;
}

const jobPage = 1000;
const seriesPage = 500;

/**
 * Copies a SQLite database into an empty PostgreSQL database (or schema): datasets, series,
 * overrides, jobs (with their turns and counts of expired leases, and job_turns: waiting jobs keep
 * their place between the datasets) and the planning cycle (snapshots and their items, actuals
 * and their revisions, the marks retries drew (retry_marks, written with the jobs): without them "How did we do" and `skucast accuracy` have nothing to compare
 * after the move), ids preserved, in one PostgreSQL transaction. It reads datasets, series and
 * jobs through the Store interface (paged, so memory stays flat), and overrides, the jobs'
 * columns the Store leaves out, job_turns and the planning cycle's tables as stored, the planning
 * cycle's six (planningCycleTables) in one read transaction with children read by the parent ids copied
 * (sqlite-copy-source.ts); it writes through the PostgreSQL adapter's import.
 *
 * Stop the workers and the API first: a worker of the file's registry that beat within
 * staleWorkerMs and has not said it stopped makes the copy refuse before anything is written, and
 * again at the end before the commit (one started meanwhile); a worker that starts, beats or stops
 * during the copy moves the fingerprint (its `workers` part). `ignoreWorkers` skips the two checks
 * (not the fingerprint): for a worker known dead whose row looks alive, a beat dated ahead by a
 * clock skew (a row that would otherwise refuse until this clock catches up). A write to the SQLite file during the copy (a job, a
 * dataset or its series, an override, a snapshot, an append) moves its fingerprint, checked
 * inside the planning cycle's transaction and once more after the last read: the copy then
 * refuses and PostgreSQL's transaction rolls back, nothing kept. A write after that last check is
 * not in the copy, as one made after the move would not be. The source is opened like any store
 * (its schema brought up to date) and otherwise left as it was.
 */
export async function migrateStore(
  options: {
    from: string; to: string; now?: () => number;
    /** Called once both ends are checked (the file is there, the URL is one we read, no live worker uses the file), before the copy starts. */
    onStart?: () => void;
    onProgress?: (what: string, n: number) => void;
    /** Skip the check for live workers (before the copy and before the commit): `--ignore-workers`, for a worker known dead. */
    ignoreWorkers?: boolean;
  },
): Promise<MigrateStoreReport> {
  if (isPostgresUrl(options.from)) throw new Error('--from must be a SQLite file path, not a postgres:// URL');
  if (!existsSync(options.from)) throw new Error(`no SQLite database at ${options.from}`);
  if (!isPostgresUrl(options.to)) throw new Error('--to must be a postgres:// URL');
  const { importIntoPostgres } = await import('./postgres/postgres-import.js');
  const { parsePostgresUrl } = await import('./postgres/postgres-connection.js');
  parsePostgresUrl(options.to, undefined, '--to');
  const source = await openStore({ databasePath: options.from });
  let raw: SqliteCopySource;
  try {
    // the workers' beats are on this machine's clock, not options.now's
    if (!options.ignoreWorkers) await refuseLiveWorkers(source, options.from, Date.now());
    raw = openSqliteCopySource(options.from);
  } catch (error) {
    await source.close();
    throw error;
  }
  options.onStart?.();
  try {
    return await importIntoPostgres(options.to, async (target) => {
      const before = raw.fingerprint();
      const report: MigrateStoreReport = { datasets: 0, series: 0, overrides: 0, jobs: 0, runningRequeued: 0, snapshots: 0, actuals: 0 };
      // listDatasets is newest first; insert oldest first so creation order (latestDataset) survives.
      for (const dataset of (await source.listDatasets()).reverse()) {
        await target.dataset(dataset);
        report.datasets++;
        report.series += await copySeries(source, dataset.id, target.series);
        const overrides = raw.overrides(dataset.id);
        await target.overrides(dataset.id, overrides);
        report.overrides += overrides.length;
        options.onProgress?.('datasets', report.datasets);
      }
      let cursor: string | null = null;
      do {
        const page = await source.listJobs({ limit: jobPage, cursor, includeResult: true });
        // Before the page is written: the listing pages open jobs, then finished ones, so a job a
        // worker finished between two pages is on both, and its second insert failed on the
        // primary key ("duplicate key") before the change could be named.
        assertUnchanged(before, raw.fingerprint());
        await target.jobs(page.jobs, raw.jobColumns(page.jobs.map((j) => j.id)));
        report.jobs += page.jobs.length;
        report.runningRequeued += page.jobs.filter((j) => j.status === 'running').length;
        cursor = page.nextCursor;
        options.onProgress?.('jobs', report.jobs);
      } while (cursor);
      const turns = raw.jobTurns();
      await target.jobTurns(turns);
      options.onProgress?.('job_turns', turns.length);
      // The Store interface hides part of these rows (an append's file report, its revisions): copied as stored.
      const copied = new Map<string, number>();
      for (const { table, rows } of raw.planningCycle(before)) {
        await target.planningCycle(table, rows);
        copied.set(table, (copied.get(table) ?? 0) + rows.length);
        options.onProgress?.(table, copied.get(table)!);
      }
      report.snapshots = copied.get('snapshots') ?? 0;
      report.actuals = copied.get('actuals') ?? 0;
      // Again before the commit: a worker that started between the first check and the copy's first
      // fingerprint (the fingerprint sees one that starts or beats after it).
      if (!options.ignoreWorkers) await refuseLiveWorkers(source, options.from, Date.now());
      assertUnchanged(before, raw.fingerprint());
      target.idCounters(raw.idCounters());
      return report;
    }, { now: options.now });
  } finally {
    raw.close();
    await source.close();
  }
}

/**
 * A worker still using the SQLite file would go on completing jobs the copy holds as pending (or
 * running, copied as pending): the two databases diverge, and no fingerprint check sees a write
 * made after the copy. Refused before anything is written, as restore --force refuses.
 */
async function refuseLiveWorkers(source: Store, from: string, now: number): Promise<void> {
  const alive = liveWorkers(await source.listWorkers(), now);
  if (alive.length === 0) return;
  throw new Error(
    `${alive.length} worker(s) still use ${from}: ${describeLiveWorkers(alive, now)}; stop them (and the API) first, then run migrate-store again `
    + `(a worker killed without stopping counts for ${staleWorkerMs / 1000} s after its last beat; --ignore-workers for one known dead, `
    + 'say a beat dated ahead by a clock skew); nothing was copied',
  );
}

async function copySeries(
  source: Store, datasetId: string, write: (datasetId: string, series: Awaited<ReturnType<Store['getSeriesMany']>>) => Promise<void>,
): Promise<number> {
  let copied = 0;
  for (let offset = 0; ; offset += seriesPage) {
    const page = await source.listSkus(datasetId, { sort: 'sku', order: 'asc', limit: seriesPage, offset });
    if (page.items.length === 0) return copied;
    const series = await source.getSeriesMany(datasetId, page.items.map((i) => i.sku));
    await write(datasetId, series);
    copied += series.length;
  }
}
