import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Recent SQLite (3.53.2 here, bundled by better-sqlite3 12) looks at a bare bound parameter in
// LIMIT while it plans, and marks the statement to be planned again whenever the parameter is
// bound anew: every call. (It could only use an integer binding; better-sqlite3 binds JS numbers
// as doubles, so the re-planning bought nothing.) For the claim, whose UPDATE compiles four
// triggers, that was 245 us a one-job claim instead of 66 (docs/queue-measurements.md, "A bare parameter in LIMIT"). `+:limit` is an
// expression, not a parameter, to the planner. The cost is a timing, which tests do not assert;
// this guard keeps the bare form out: `LIMIT :n`, `LIMIT (:n)`, across lines, and the count of
// `LIMIT :offset, :n`. (A bare OFFSET is not re-planned.)
const here = import.meta.dirname;
const sources = [
  ...readdirSync(join(here, 'queries')).filter((f) => f.endsWith('.sql')).map((f) => join('queries', f)),
  ...readdirSync(here).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')),
];
const withoutComments = (file: string, text: string) => (file.endsWith('.sql')
  ? text.replace(/--[^\n]*/g, '')
  : text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/[^\n]*/g, '$1'));
// Case-sensitive in TypeScript, where SQL is written upper-case and `limit:` is an object key.
const patterns = (flags: string) => [new RegExp(String.raw`\bLIMIT\s*\(*\s*[:@$?]`, flags), new RegExp(String.raw`\bLIMIT\s+[^,;()]*,\s*\(*\s*[:@$?]`, flags)];
const bareIn = (file: string, text: string) => patterns(file.endsWith('.sql') ? 'i' : '').some((p) => p.test(withoutComments(file, text)));

describe('SQLite statements', () => {
  it('never put a bare parameter in LIMIT', () => {
    const offenders = sources.filter((file) => bareIn(file, readFileSync(join(here, file), 'utf8')));
    expect(offenders).toEqual([]);
    expect(sources).toContain(join('queries', 'job-claim.sql'));
  });

  it('the guard catches the forms SQLite re-plans', () => {
    const caught = (sql: string) => bareIn('x.sql', sql);
    expect(caught('SELECT 1 LIMIT :limit')).toBe(true);
    expect(caught('SELECT 1 LIMIT (:limit)')).toBe(true);
    expect(caught('SELECT 1\n LIMIT\n   :limit')).toBe(true);
    expect(caught('SELECT 1 LIMIT +:offset, :limit')).toBe(true);
    expect(caught('SELECT 1 LIMIT ?')).toBe(true);
    expect(caught('SELECT 1 LIMIT +:limit OFFSET +:offset')).toBe(false);
    expect(caught('select 1 limit :limit')).toBe(true);
    expect(caught('SELECT 1 LIMIT 10 -- not LIMIT :limit')).toBe(false);
    expect(bareIn('x.ts', 'ctx.prepare(`SELECT 1 LIMIT :limit`)')).toBe(true);
    expect(bareIn('x.ts', 'run({ limit: query.limit, offset: 0 })')).toBe(false);
  });
});
