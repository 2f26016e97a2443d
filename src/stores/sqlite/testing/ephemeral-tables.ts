import type Database from 'better-sqlite3';

/** How many temporary b-trees an enqueue's INSERT opens (1 while jobs' CHECK is an IN list). Needs a read-write connection. */
export function ephemeralTablesOfInsert(conn: Database.Database): number {
  const code = conn.prepare("EXPLAIN INSERT INTO jobs (sku, model_id, method, reason, priority, status, created_at, updated_at, run_at) VALUES ('s', 'm', 'grid', 'manual_trigger', 1, 'pending', 0, 0, 0)").all() as Array<{ opcode: string }>;
  return code.filter((op) => op.opcode === 'OpenEphemeral').length;
}
