import type Database from 'better-sqlite3';
import { loadSqlFiles } from '../sql-files.js';

/**
 * Applies the numbered files of migrations/ that this database has not seen, in order, each
 * recorded in schema_migrations. The check and the apply happen under one BEGIN IMMEDIATE, so
 * several processes starting at once on the same file serialize here: the first applies, the
 * others wait (busy_timeout) and then find nothing left to do.
 */
export function migrateSqlite(db: Database.Database, now: () => number = Date.now): string[] {
  const migrations = [...loadSqlFiles('sqlite', 'migrations')].map(([name, sql]) => {
    const match = /^(\d+)_/.exec(name);
    if (!match) throw new Error(`migration file name must start with a number: ${name}.sql`);
    return { version: Number(match[1]), name, sql };
  });
  migrations.sort((a, b) => a.version - b.version);
  const apply = db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
    const seen = new Set(
      (db.prepare('SELECT version FROM schema_migrations').all() as Array<{ version: number }>).map((r) => r.version),
    );
    const applied: string[] = [];
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const m of migrations) {
      if (seen.has(m.version)) continue;
      db.exec(m.sql);
      record.run(m.version, m.name, now());
      applied.push(m.name);
    }
    return applied;
  });
  return apply.immediate();
}
