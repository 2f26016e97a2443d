import type Database from 'better-sqlite3';

/**
 * The highest id SQLite's AUTOINCREMENT ever gave in each table `skucast migrate-store` keeps ids
 * of (sqlite_sequence), 0 for none. It can be past every id left: AUTOINCREMENT never gives an id
 * twice, through deletes, prune and `reset`. Snapshots' `mark` and actuals' `mark_before` are job
 * ids used as a clock (a snapshot is due when the dataset's newest job id passes its mark), so
 * PostgreSQL must not hand out an id SQLite already gave: after a reset it would give 1, 2, ...
 * below a snapshot's mark, and no snapshot would be due again.
 */
export interface SqliteIdCounters {
  jobs: number;
  snapshots: number;
  actuals: number;
}

export function sqliteIdCounters(db: Database.Database): SqliteIdCounters {
  const counters: SqliteIdCounters = { jobs: 0, snapshots: 0, actuals: 0 };
  const rows = db.prepare(`SELECT name, seq FROM sqlite_sequence WHERE name IN ('jobs', 'snapshots', 'actuals')`).all() as Array<{ name: keyof SqliteIdCounters; seq: number }>;
  for (const row of rows) counters[row.name] = Number(row.seq);
  return counters;
}
