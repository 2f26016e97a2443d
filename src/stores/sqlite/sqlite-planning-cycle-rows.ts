import Database from 'better-sqlite3';

/**
 * The planning cycle's four tables of a SQLite file, row by row as stored, for `skucast
 * migrate-store`. The Store interface returns less than these rows hold (an actuals record
 * without its file's report or the values it overwrote), so the copy reads the tables
 * themselves; PostgreSQL's tables have the same columns (migrations/008_planning_cycle.sql).
 * Read-only connection, rows streamed in pages so a year of snapshots does not sit in memory.
 */
export const planningCycleTables = ['actuals', 'actuals_revisions', 'snapshots', 'snapshot_items'] as const;
export type PlanningCycleTable = (typeof planningCycleTables)[number];

const orderBy: Record<PlanningCycleTable, string> = {
  actuals: 'seq',
  actuals_revisions: 'actuals_id, sku, date',
  snapshots: 'id',
  snapshot_items: 'snapshot_id, sku',
};

export function* sqlitePlanningCyclePages(path: string, table: PlanningCycleTable, pageSize = 500): Generator<Record<string, unknown>[]> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    let page: Record<string, unknown>[] = [];
    for (const row of db.prepare(`SELECT * FROM ${table} ORDER BY ${orderBy[table]}`).iterate() as Iterable<Record<string, unknown>>) {
      page.push(row);
      if (page.length === pageSize) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
  } finally {
    db.close();
  }
}
