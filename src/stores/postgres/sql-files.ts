import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Finds a folder of .sql files beside this module, as the SQLite store does: under vitest this
 * module runs from src/, where the files are; compiled to dist/src/ the build copies them
 * (scripts/copy-sql.mjs), and if it did not we fall back to the source tree.
 */
export function sqlDir(name: 'migrations' | 'queries'): string {
  const candidates = [
    new URL(`./${name}/`, import.meta.url),
    new URL(`../../../../src/stores/postgres/${name}/`, import.meta.url),
  ];
  for (const url of candidates) {
    const path = fileURLToPath(url);
    if (existsSync(path)) return path;
  }
  throw new Error(`PostgreSQL ${name} folder not found (looked in ${candidates.map((u) => fileURLToPath(u)).join(', ')})`);
}

/** Every .sql file of the folder, by file name without extension, read once. */
export function loadSqlFiles(name: 'migrations' | 'queries'): Map<string, string> {
  const dir = sqlDir(name);
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  return new Map(files.map((f) => [f.slice(0, -4), readFileSync(dir + f, 'utf8')]));
}

/** A query with `:name` parameters turned into pg's `$1..$n`, named for server-side preparation. */
export interface NamedQuery {
  /** Name of the prepared statement: a hash of the text, so one text is prepared once per connection. */
  name: string;
  text: string;
  /** The parameter name of $1, $2, ... */
  params: string[];
}

/**
 * Compiles `:name` placeholders (the query files' style, shared with the SQLite store) to `$n`.
 * Line comments go first (they may contain colons); `::type` casts are left alone. The query files
 * put no colon inside a string literal, which keeps this a one-line scanner.
 */
export function compileNamed(sql: string): NamedQuery {
  const params: string[] = [];
  const text = sql
    .replace(/--[^\n]*/g, '')
    .replace(/(?<![:\w]):([A-Za-z_]\w*)/g, (_m, name: string) => {
      let index = params.indexOf(name);
      if (index < 0) index = params.push(name) - 1;
      return `$${index + 1}`;
    })
    .trim();
  const name = 'skucast_' + createHash('sha1').update(text).digest('hex').slice(0, 16);
  return { name, text, params };
}

/** The positional values for a compiled query; a missing parameter is a programming error. */
export function bindNamed(query: NamedQuery, values: Record<string, unknown>): unknown[] {
  return query.params.map((p) => {
    if (!(p in values)) throw new Error(`query parameter :${p} has no value`);
    const v = values[p];
    return v === undefined ? null : v;
  });
}
