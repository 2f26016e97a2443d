import type Database from 'better-sqlite3';
import { refuseNewerSchema } from '../newer-schema.js';
import { loadSqlFiles } from '../sql-files.js';

/**
 * How long a process waits for another's migration (or any write) before its own check: a
 * rebuild of a big jobs table (030) holds the write lock for minutes, far past the 10 s busy
 * timeout a running process waits for a write; a worker started beside it exited with `database
 * is locked` instead of starting once the rebuild was done.
 */
export const migrationWaitMs = 15 * 60_000;

/**
 * Applies the numbered files of migrations/ that this database has not seen, in order, each
 * recorded in schema_migrations. The check and the apply happen under one BEGIN IMMEDIATE, so
 * several processes starting at once on the same file serialize here: the first applies, the
 * others wait (busy_timeout, raised to migrationWaitMs for this call) and then find nothing left
 * to do. Returns the names it applied; refuses a database a newer release migrated (newer-schema.ts).
 */
export function migrateSqlite(db: Database.Database, now: () => number = Date.now, waitMs = migrationWaitMs): string[] {
  const migrations = [...loadSqlFiles('sqlite', 'migrations')].map(([name, sql]) => {
    const match = /^(\d+)_/.exec(name);
    if (!match) throw new Error(`migration file name must start with a number: ${name}.sql`);
    return { version: Number(match[1]), name, sql };
  });
  migrations.sort((a, b) => a.version - b.version);
  const apply = db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
    undoTwoStepRefs(db);
    const rows = db.prepare('SELECT version, name FROM schema_migrations').all() as Array<{ version: number; name: string }>;
    refuseNewerSchema(rows, migrations);
    const seen = new Set(rows.map((r) => r.version));
    const applied: string[] = [];
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const m of migrations) {
      if (seen.has(m.version)) continue;
      const analyzed = analyzedIndexes(db);
      if (editsSchema(m.sql)) applySchemaEdit(db, m.sql);
      else db.exec(m.sql);
      reanalyzeDropped(db, analyzed);
      record.run(m.version, m.name, now());
      applied.push(m.name);
    }
    return applied;
  });
  const busyTimeout = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma(`busy_timeout = ${Math.max(busyTimeout, waitMs)}`);
  try {
    return apply.immediate();
  } finally {
    db.pragma(`busy_timeout = ${busyTimeout}`);
  }
}

/**
 * 030 was first two migrations on main, 030_job_batch_refs (e1d8617) and 031_job_dataset_refs
 * (926315c), then one rebuild, 030_job_refs (b0576c4). A file that ran the first records version
 * 30 (and 31), so the rebuild never ran there: without 031 it had no job_datasets (every enqueue
 * and dataset filter failed), with it the refs were not AUTOINCREMENT and result was not last.
 * Such a file gets its batch_id and dataset_id columns back from the refs (a ref that names no
 * batch as '', as reads give it), loses job_datasets, and forgets 30 and 31: 030_job_refs then
 * rebuilds it as it does a 029 file, in this same transaction.
 */
function undoTwoStepRefs(db: Database.Database): void {
  const name = db.prepare('SELECT name FROM schema_migrations WHERE version = 30').pluck().get();
  if (name !== '030_job_batch_refs') return;
  if (jobsHaveColumn(db, 'dataset_ref')) {
    db.exec(`ALTER TABLE jobs ADD COLUMN dataset_id TEXT;
      UPDATE jobs SET dataset_id = (SELECT dataset_id FROM job_datasets AS d WHERE d.ref = jobs.dataset_ref) WHERE dataset_ref IS NOT NULL;
      DROP TABLE job_datasets;`);
  }
  db.exec(`ALTER TABLE jobs ADD COLUMN batch_id TEXT NOT NULL DEFAULT '';
    UPDATE jobs SET batch_id = coalesce((SELECT batch_id FROM job_batches AS b WHERE b.ref = jobs.batch_ref), '');
    DELETE FROM schema_migrations WHERE version IN (30, 31);`);
}

/** Whether the jobs table has this column (its shape before and after 030 differs). */
function jobsHaveColumn(db: Database.Database, column: string): boolean {
  return (db.prepare("SELECT count(*) FROM pragma_table_info('jobs') WHERE name = ?").pluck().get(column) as number) > 0;
}

/** The indexes sqlite_stat1 holds statistics for (none before the first ANALYZE). */
function analyzedIndexes(db: Database.Database): Set<string> {
  if (!db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'sqlite_stat1'").get()) return new Set();
  return new Set(db.prepare('SELECT DISTINCT idx FROM sqlite_stat1 WHERE idx IS NOT NULL').pluck().all() as string[]);
}

/**
 * An index a migration dropped and created again (024: the same rows, its WHERE spelled anew) lost
 * its statistics with the DROP (sqlite_stat1 and sqlite_stat4). Until the next ANALYZE, which
 * PRAGMA optimize runs only at a clean close, days away for an API that keeps running, the planner
 * weighed it without them beside the others with theirs: after 024 it read ?datasetId='s finished
 * jobs through jobs_finished_status, every finished job and a sort. Analyzed here, in the
 * migration's transaction (one pass over that index alone); a database never analyzed stays so.
 */
function reanalyzeDropped(db: Database.Database, before: Set<string>): void {
  if (before.size === 0) return;
  const after = analyzedIndexes(db);
  // A WITHOUT ROWID table's statistics are under its own name (028's job_batches): made again as a
  // rowid table (030), its name is a table's, and ANALYZE of it analyzes its indexes.
  const exists = db.prepare("SELECT 1 FROM sqlite_schema WHERE type IN ('index', 'table') AND name = ?");
  for (const name of before) {
    if (!after.has(name) && exists.get(name)) db.exec(`ANALYZE "${name.replaceAll('"', '""')}"`);
  }
}

/** A migration that writes sqlite_schema itself (025: a CHECK's text), under writable_schema. */
export const editsSchema = (sql: string) => /PRAGMA\s+writable_schema\s*=\s*ON/i.test(sql);

/**
 * SQLite's procedure for a change that lives only in the schema's text (a CHECK), inside the
 * migration's transaction: better-sqlite3 opens connections in defensive mode, which refuses
 * writes to sqlite_schema and to schema_version, so it is off for this file alone; schema_version
 * is raised by one, so every connection (this one, other processes' with statements prepared
 * against the old text) parses the schema again before its next statement. Before the commit the
 * edited schema must parse, and the jobs table must still refuse an unknown status; otherwise the
 * error rolls the whole migration back and the file keeps its old text.
 */
export function applySchemaEdit(db: Database.Database, sql: string): void {
  const version = db.pragma('schema_version', { simple: true }) as number;
  db.unsafeMode(true);
  try {
    db.exec(sql);
    db.pragma(`schema_version = ${version + 1}`);
  } finally {
    try {
      db.pragma('writable_schema = OFF');
    } finally {
      db.unsafeMode(false); // defensive again, whatever happened above
    }
  }
  db.exec('SAVEPOINT schema_edit_check');
  try {
    // batch_id until 030 (NOT NULL, no default), then batch_ref (default 0): the row this file takes.
    const batch = jobsHaveColumn(db, 'batch_id') ? 'batch_id, ' : '';
    db.prepare(`INSERT INTO jobs (${batch}sku, model_id, method, reason, priority, status, created_at, updated_at, run_at) VALUES (${batch ? "'-', " : ''}'-', '-', '-', '-', 0, 'no such status', 0, 0, 0)`).run();
    throw new Error('the jobs CHECK no longer refuses an unknown status after a schema edit');
  } catch (error) {
    if (!(error instanceof Error) || !/CHECK constraint failed/.test(error.message)) throw error;
  } finally {
    db.exec('ROLLBACK TO schema_edit_check; RELEASE schema_edit_check');
  }
}
