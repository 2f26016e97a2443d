import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../open-store.js';
import { openSqliteCopySource, SqliteChangedDuringCopyError } from './sqlite-copy-source.js';

/**
 * migrate-store's own reads of a SQLite file: the planning cycle in one read transaction, so a
 * snapshot committed between two pages is wholly absent (its items too), children only of the
 * parents copied, and a fingerprint that moves with any write the copy takes.
 */
let dir: string;
let path: string;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'skucast-copy-source-'));
  path = join(dir, 'queue.db');
  const store = await openStore({ databasePath: path });
  await store.close();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const insertSnapshot = (db: Database.Database, id: number, items: string[]) => {
  db.prepare(`INSERT INTO snapshots (id, dataset_id, mark, cause, created_at, sku_count, skus_with_forecast, bytes, portfolio)
              VALUES (?, 'ds', ?, 'manual', 1, 1, 1, 0, '{}')`).run(id, id);
  for (const sku of items) db.prepare(`INSERT INTO snapshot_items (snapshot_id, sku, dates, vals) VALUES (?, ?, '[]', x'00')`).run(id, sku);
};

describe('openSqliteCopySource', () => {
  it('reads the planning cycle in one transaction: a snapshot committed between pages is not half there', () => {
    const writer = new Database(path);
    insertSnapshot(writer, 1, ['A', 'B']);
    insertSnapshot(writer, 2, ['A']);
    // an item and a revision whose parent is gone: not copied (PostgreSQL would hold them orphaned)
    writer.prepare(`INSERT INTO snapshot_items (snapshot_id, sku, dates, vals) VALUES (99, 'A', '[]', x'00')`).run();
    writer.prepare(`INSERT INTO actuals_revisions (actuals_id, dataset_id, sku, date, previous, value) VALUES ('gone', 'ds', 'A', '2024-01-01', 1, 2)`).run();
    const source = openSqliteCopySource(path);
    const before = source.fingerprint();
    const seen: Array<[string, unknown[]]> = [];
    for (const { table, rows } of source.planningCycle(before)) {
      seen.push([table, rows.map((r) => r.snapshot_id ?? r.id ?? r.actuals_id)]);
      if (table === 'snapshots') insertSnapshot(writer, 3, ['A', 'B']); // committed while the copy reads
    }
    expect(seen).toEqual([['snapshots', [1, 2]], ['snapshot_items', [1, 1, 2]]]);
    expect(source.fingerprint()).not.toEqual(before);
    source.close();
    writer.close();
  });

  it('refuses, inside the transaction, a file written since the copy began', () => {
    const source = openSqliteCopySource(path);
    const before = source.fingerprint();
    const writer = new Database(path);
    insertSnapshot(writer, 7, []);
    expect(() => [...source.planningCycle(before)]).toThrow(SqliteChangedDuringCopyError);
    expect(() => [...source.planningCycle(before)]).toThrow(/\(snapshots written since it began\)/);
    // the transaction ended with the refusal: the connection reads on
    expect(source.fingerprint().snapshots).toBe('1:7');
    source.close();
    writer.close();
  });
});
