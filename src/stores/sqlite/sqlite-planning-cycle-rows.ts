import type Database from 'better-sqlite3';

/**
 * The planning cycle's tables of a SQLite file, row by row as stored, for `skucast
 * migrate-store`. The Store interface returns less than these rows hold (an actuals record
 * without its file's report or the values it overwrote), so the copy reads the tables
 * themselves; PostgreSQL's tables have the same columns (migrations/008_planning_cycle.sql, 042, 043).
 * Parents come before their children, and children are read by the parent ids copied, so no item
 * or revision lands without its snapshot or append. Rows are streamed in pages so a year of
 * snapshots does not sit in memory.
 */
export const planningCycleTables = ['actuals', 'actuals_revisions', 'snapshots', 'snapshot_items', 'snapshot_item_status', 'snapshot_names', 'retry_marks'] as const;
export type PlanningCycleTable = (typeof planningCycleTables)[number];

type Row = Record<string, unknown>;

/** Each table's rows; a child's :parents is the JSON array of its parent ids copied. */
const selects: Record<PlanningCycleTable, string> = {
  actuals: 'SELECT * FROM actuals ORDER BY seq',
  actuals_revisions: 'SELECT * FROM actuals_revisions WHERE actuals_id IN (SELECT value FROM json_each(:parents)) ORDER BY actuals_id, sku, date',
  snapshots: 'SELECT * FROM snapshots ORDER BY id',
  snapshot_items: 'SELECT * FROM snapshot_items WHERE snapshot_id IN (SELECT value FROM json_each(:parents)) ORDER BY snapshot_id, sku',
  snapshot_item_status: 'SELECT * FROM snapshot_item_status WHERE snapshot_id IN (SELECT value FROM json_each(:parents)) ORDER BY snapshot_id, sku',
  // The names planners gave snapshots (045).
  snapshot_names: 'SELECT * FROM snapshot_names WHERE snapshot_id IN (SELECT value FROM json_each(:parents)) ORDER BY snapshot_id',
  // The marks retries drew (043): without them a retry's jobs still open at the move would settle
  // on PostgreSQL with no snapshot due (the job ids they keep are not newer than the last snapshot's).
  retry_marks: 'SELECT * FROM retry_marks ORDER BY dataset_id',
};
const parentOf: Partial<Record<PlanningCycleTable, { table: PlanningCycleTable; key: string }>> = {
  actuals_revisions: { table: 'actuals', key: 'id' },
  snapshot_items: { table: 'snapshots', key: 'id' },
  snapshot_item_status: { table: 'snapshots', key: 'id' },
  snapshot_names: { table: 'snapshots', key: 'id' },
};

/**
 * Pages of the tables, in planningCycleTables' order. Run it inside one read transaction
 * (sqlite-copy-source.ts): a snapshot or an append committed meanwhile is then wholly there or
 * wholly absent. The connection is busy until the generator is done or returned.
 */
export function* sqlitePlanningCyclePages(db: Database.Database, pageSize = 500): Generator<{ table: PlanningCycleTable; rows: Row[] }> {
  const copied = new Map<PlanningCycleTable, unknown[]>();
  for (const table of planningCycleTables) {
    const parent = parentOf[table];
    const params = parent ? { parents: JSON.stringify(copied.get(parent.table) ?? []) } : {};
    const key = Object.values(parentOf).find((p) => p.table === table)?.key;
    const keys: unknown[] = [];
    copied.set(table, keys);
    let rows: Row[] = [];
    for (const row of db.prepare(selects[table]).iterate(params) as Iterable<Row>) {
      rows.push(row);
      if (key) keys.push(row[key]);
      if (rows.length === pageSize) {
        yield { table, rows };
        rows = [];
      }
    }
    if (rows.length > 0) yield { table, rows };
  }
}
