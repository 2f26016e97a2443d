import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../open-store.js';
import { loadSqlFiles } from '../sql-files.js';
import { planningCycleTables } from '../sqlite/sqlite-planning-cycle-rows.js';
import { planningCycleImports } from './postgres-import.js';
import { postgresTestHarness } from './postgres-test-harness.js';
import { postgresTestUrl } from './postgres-test-schema.js';

/**
 * `skucast migrate-store` names the columns it copies (the import-*.sql INSERTs, and for the
 * planning cycle the SQLite columns it reads): a column added later to one schema and not to the
 * copy would be silently dropped. Each copied table's columns on both schemas must be the copied
 * ones plus those left out on purpose, listed here with why.
 */
const importOf: Record<string, string> = {
  datasets: 'import-datasets', series: 'import-series', overrides: 'import-overrides', jobs: 'import-jobs', job_turns: 'import-job-turns',
  actuals: 'import-actuals', actuals_revisions: 'import-actuals-revisions', snapshots: 'import-snapshots', snapshot_items: 'import-snapshot-items',
  snapshot_item_status: 'import-snapshot-item-status', snapshot_names: 'import-snapshot-names', retry_marks: 'import-retry-marks',
};
const notCopied: Record<string, Record<string, string>> = {
  datasets: { seq: 'renumbered in creation order (its only use: latestDataset); the sequence continues after the copied rows' },
  jobs: {
    lease_token: 'running jobs are copied as pending: no lease',
    lease_expires_at: 'running jobs are copied as pending: no lease',
  },
};

/** SQLite's jobs hold the batch and the dataset as refs (migration 030); the copy reads their ids through the Store. */
const sqliteRefs: Record<string, Record<string, string>> = {
  jobs: { batch_ref: 'batch_id', dataset_ref: 'dataset_id' },
};

const insertColumns = (sql: string, table: string): string[] => {
  const match = new RegExp(`INSERT INTO ${table} \\(([^)]*)\\)`).exec(sql);
  if (!match) throw new Error(`no INSERT INTO ${table} (...) in its import statement`);
  return match[1].split(',').map((c) => c.trim());
};
const sorted = (list: Iterable<string>) => [...list].sort();

const baseUrl = postgresTestUrl('migrate-store column coverage');

if (baseUrl) {
  describe('migrate-store copies every column of each table it copies', () => {
    const { schema, open, admin } = postgresTestHarness(baseUrl);

    it('on both schemas, and the planning cycle\'s column maps read exactly what the imports write', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'skucast-import-columns-'));
      try {
        const path = join(dir, 'queue.db');
        await (await openStore({ databasePath: path })).close();
        const sqlite = new Database(path, { readonly: true });
        const db = await schema('import_columns');
        await (await open(db.url)).migrate();
        const queries = loadSqlFiles('postgres', 'queries');
        for (const [table, query] of Object.entries(importOf)) {
          const copied = insertColumns(queries.get(query)!, table);
          const expected = sorted([...copied, ...Object.keys(notCopied[table] ?? {})]);
          const onSqlite = (sqlite.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[])
            .map((name) => sqliteRefs[table]?.[name] ?? name);
          const onPostgres = (await admin((c) => c.query<{ column_name: string }>(
            'SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2', [db.schema, table]))).rows.map((r) => r.column_name);
          expect(sorted(onSqlite), `${table} on SQLite`).toEqual(expected);
          expect(sorted(onPostgres), `${table} on PostgreSQL`).toEqual(expected);
        }
        sqlite.close();
        for (const table of planningCycleTables) {
          const { query, columns } = planningCycleImports[table];
          expect(query).toBe(importOf[table]);
          expect(sorted(Object.values(columns)), table).toEqual(sorted(insertColumns(queries.get(query)!, table)));
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
} else {
  describe.skip('migrate-store column coverage (DATABASE_URL not set)', () => {
    it('needs DATABASE_URL', () => undefined);
  });
}
