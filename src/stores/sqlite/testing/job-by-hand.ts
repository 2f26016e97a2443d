import Database from 'better-sqlite3';

/**
 * A pending job row written outside the app, on a connection of its own (as an operator or a
 * script would): no counters, no batch range, no wake. `batchRef`: the ref of a job_batches row
 * (default 0, a ref that names no batch). Returns the row's id.
 */
export function writeJobByHand(path: string, fields: { sku?: string; batchRef?: number } = {}): number {
  const db = new Database(path);
  try {
    return Number(db.prepare(`INSERT INTO jobs (batch_ref, sku, model_id, method, reason, priority, status, created_at, updated_at, run_at)
      VALUES (:batchRef, :sku, 'naive', 'grid', 'manual_trigger', 3, 'pending', 1, 1, 1)`)
      .run({ batchRef: fields.batchRef ?? 0, sku: fields.sku ?? 'X' }).lastInsertRowid);
  } finally {
    db.close();
  }
}
