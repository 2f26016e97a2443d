import { createHash } from 'node:crypto';

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
