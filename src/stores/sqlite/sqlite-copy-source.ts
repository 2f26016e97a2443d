import Database from 'better-sqlite3';
import { sqliteIdCounters, type SqliteIdCounters } from './sqlite-id-counters.js';
import { sqlitePlanningCyclePages, type PlanningCycleTable } from './sqlite-planning-cycle-rows.js';

/**
 * What `skucast migrate-store` reads from a SQLite file beside the Store interface, on one
 * read-only connection of its own: the planning cycle's rows, overrides, the jobs' turns and
 * counts of expired leases, job_turns and the id counters, and a fingerprint that tells whether
 * anything the copy takes was written since the copy began.
 *
 * The Store-interface reads (datasets, series, jobs) are many statements, not one snapshot, so
 * the copy takes the fingerprint before them and again at the end (and once inside the planning
 * cycle's transaction) and refuses to commit when it moved: stopping the API and workers is what
 * makes a copy possible, and this is how a forgotten one is noticed instead of leaving PostgreSQL
 * with series without the append that changed them, or the like.
 */
export interface SqliteCopySource {
  /** Every copied table's change marker (see fingerprintSql); equal fingerprints: nothing copied was written between. */
  fingerprint(): SqliteFingerprint;
  /**
   * The planning cycle's pages, all its tables in ONE read transaction (a snapshot or append
   * committed meanwhile is wholly in or wholly out); `before` is the fingerprint the copy began
   * with, checked inside the transaction so what it reads is what the rest was copied from.
   * Return the generator (for...of does) to end the transaction early.
   */
  planningCycle(before: SqliteFingerprint): Generator<{ table: PlanningCycleTable; rows: Record<string, unknown>[] }>;
  /** A dataset's overrides as stored: the Store interface leaves out when each was set. */
  overrides(datasetId: string): OverrideRow[];
  /** These jobs' columns the Store's Job leaves out (their fairness turn, their count of expired leases), by id. */
  jobColumns(ids: number[]): Map<number, JobColumns>;
  /** job_turns as stored: the last turn given to each (dataset, priority). */
  jobTurns(): JobTurnRow[];
  /** sqlite_sequence's counters; read after the last fingerprint check (they move only with a write it sees). */
  idCounters(): SqliteIdCounters;
  close(): void;
}

export interface JobColumns {
  turn: number;
  rescues: number;
}

export interface JobTurnRow {
  dataset_key: string;
  priority: number;
  last_turn: number;
}

export type SqliteFingerprint = Record<string, number | string>;

export interface OverrideRow {
  sku: string;
  model_id: string;
  updated_at: number;
}

// queue_meta.version moves on every job write anyone can see (insert, delete, status, progress,
// result, attempts, run_at, priority; migration 001); series edits, appends and settings touch
// their dataset's updated_at; snapshots and actuals are only inserted, or deleted with their
// dataset. Sums, not maxima: a touch within the same millisecond as the newest still moves them.
// workers is not copied but watched: a worker that starts, beats or stops during the copy (one
// started after migrate-store's check for live workers, or one that was stalled then) moves it,
// so the copy refuses rather than leave a worker on the old file after the move.
const fingerprintSql = `SELECT
  (SELECT version FROM queue_meta WHERE id = 1) AS jobs,
  (SELECT count(*) || ':' || total(updated_at) FROM datasets) AS datasets,
  (SELECT count(*) || ':' || total(updated_at) FROM overrides) AS overrides,
  (SELECT count(*) || ':' || coalesce(max(id), 0) FROM snapshots) AS snapshots,
  (SELECT count(*) || ':' || coalesce(max(seq), 0) FROM actuals) AS actuals,
  (SELECT count(*) || ':' || total(last_heartbeat_at) || ':' || total(status = 'stopped') FROM workers) AS workers`;

/** Thrown when the file changed under the copy; nothing was committed to PostgreSQL. */
export class SqliteChangedDuringCopyError extends Error {
  constructor(readonly changed: string[]) {
    const worker = changed.includes('workers') ? ' (a worker of the file started, beat or stopped during the copy)' : '';
    super(`the SQLite database changed during the copy (${changed.join(', ')} written since it began${worker}): nothing was committed; stop its workers and API, then run migrate-store again`);
  }
}

export function assertUnchanged(before: SqliteFingerprint, now: SqliteFingerprint): void {
  const changed = Object.keys(before).filter((k) => before[k] !== now[k]);
  if (changed.length > 0) throw new SqliteChangedDuringCopyError(changed);
}

export function openSqliteCopySource(path: string): SqliteCopySource {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  const fingerprint = () => db.prepare(fingerprintSql).get() as SqliteFingerprint;
  return {
    fingerprint,
    *planningCycle(before) {
      db.exec('BEGIN');
      try {
        assertUnchanged(before, fingerprint());
        yield* sqlitePlanningCyclePages(db);
      } finally {
        db.exec('COMMIT');
      }
    },
    overrides: (datasetId) =>
      db.prepare('SELECT sku, model_id, updated_at FROM overrides WHERE dataset_id = ? ORDER BY sku').all(datasetId) as OverrideRow[],
    jobColumns(ids) {
      const rows = db.prepare('SELECT id, turn, rescues FROM jobs WHERE id IN (SELECT value FROM json_each(?))')
        .all(JSON.stringify(ids)) as Array<JobColumns & { id: number }>;
      return new Map(rows.map(({ id, turn, rescues }) => [id, { turn, rescues }]));
    },
    // Written only by an enqueue, which inserts jobs: the fingerprint's job version sees it.
    jobTurns: () => db.prepare('SELECT dataset_key, priority, last_turn FROM job_turns ORDER BY dataset_key, priority').all() as JobTurnRow[],
    idCounters: () => sqliteIdCounters(db),
    close: () => db.close(),
  };
}
