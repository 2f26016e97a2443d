import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// A statement each process prepares once per pooled connection keeps the result type it was
// prepared with: when a migration adds a column to a table that a `SELECT *` (or `RETURNING *`,
// or `t.*`) reads, every process older than that migration fails that statement
// (0A000, `cached plan must not change result type`) until restarted: a rolling upgrade breaks.
// So a query names its columns (migrations/README.md, docs/deploy.md section 1). The files below
// predate the rule; the next ADD COLUMN on their tables must convert them first. Two read no
// table (unnest, a subquery naming its columns) and stay.
const predating = new Set([
  'dataset-get.sql', 'dataset-insert.sql', 'dataset-latest.sql', 'dataset-list.sql',
  'job-claim.sql', 'job-get.sql',
  'series-all.sql', 'series-get.sql', 'series-some.sql',
  'import-job-turns.sql', // unnest(...): no table
]);
const dir = join(import.meta.dirname, 'queries');
const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
// A star in a select list: after SELECT [DISTINCT], RETURNING or a comma, bare or qualified.
const star = /(\bSELECT\s+(DISTINCT\s+)?|\bRETURNING\s+|,\s*)(\w+\s*\.\s*)?\*/i;
const readsStar = (sql: string) => star.test(sql.replace(/--[^\n]*/g, ''));

describe('PostgreSQL queries', () => {
  it('name their columns (no SELECT *, RETURNING *, t.*), except the files that predate the rule', () => {
    const offenders = files.filter((f) => !predating.has(f) && readsStar(readFileSync(join(dir, f), 'utf8')));
    expect(offenders).toEqual([]);
    // A file converted leaves the list, so the list only shrinks.
    const converted = [...predating].filter((f) => !files.includes(f) || !readsStar(readFileSync(join(dir, f), 'utf8')));
    expect(converted).toEqual([]);
  });

  it('the guard catches the forms that expand to every column, and not count(*) or a product', () => {
    expect(readsStar('SELECT * FROM jobs')).toBe(true);
    expect(readsStar('select\n  j.* from jobs j')).toBe(true);
    expect(readsStar('SELECT DISTINCT * FROM jobs')).toBe(true);
    expect(readsStar('SELECT id, w.* FROM jobs, workers w')).toBe(true);
    expect(readsStar('UPDATE jobs SET status = 1 RETURNING *')).toBe(true);
    expect(readsStar('SELECT count(*), 2 * n FROM jobs')).toBe(false);
    expect(readsStar('-- SELECT * was here\nSELECT id FROM jobs')).toBe(false);
  });
});
