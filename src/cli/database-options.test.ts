import { describe, expect, it } from 'vitest';
import { openStore } from '../stores/open-store.js';
import { storeConfigFrom, withoutPassword } from './database-options.js';

/** Which database a command opens: a flag beats any variable; the environment alone picks PostgreSQL over SQLite. */
describe('storeConfigFrom', () => {
  const env = { DATABASE_URL: 'postgres://u@db:5432/prod', DATABASE_PATH: 'env.db' };

  it('opens the SQLite file --database-path names even when DATABASE_URL is set', () => {
    expect(storeConfigFrom({ databasePath: 'q.db' }, env)).toEqual({ databaseUrl: undefined, databasePath: 'q.db' });
  });

  it('opens the PostgreSQL --database-url names over DATABASE_PATH and another DATABASE_URL', () => {
    expect(storeConfigFrom({ databaseUrl: 'postgres://u@other/db' }, env).databaseUrl).toBe('postgres://u@other/db');
  });

  it('without flags, DATABASE_URL wins over DATABASE_PATH', () => {
    expect(storeConfigFrom({}, env).databaseUrl).toBe('postgres://u@db:5432/prod');
    expect(storeConfigFrom({}, { DATABASE_PATH: 'env.db' })).toEqual({ databaseUrl: undefined, databasePath: 'env.db' });
  });

  it('refuses both flags at once, naming them', () => {
    expect(() => storeConfigFrom({ databasePath: 'q.db', databaseUrl: 'postgres://u@db/x' }, {}))
      .toThrow('--database-path and --database-url name two databases');
  });

  // It showed the text before the first ':' plus ':...' as if a scheme had been found: 'not a url:...'.
  it('quotes a value that is not a PostgreSQL URL as given, its password hidden', () => {
    const refusal = (url: string) => () => storeConfigFrom({ databaseUrl: url }, {});
    expect(refusal('not a url')).toThrow("must be a PostgreSQL URL (postgres://user@host:5432/db), got 'not a url'; for SQLite use");
    expect(refusal('data/jobs.db')).toThrow("got 'data/jobs.db'");
    expect(refusal('mysql://root:hunter2@h/db')).toThrow("got 'mysql://root:***@h/db'");
    expect(refusal('app:hunter2@h:5432/db')).toThrow("got 'app:***@h:5432/db'");
    expect(withoutPassword('mysql://root:p@ss@h/db?password=x&a=1')).toBe('mysql://root:***@h/db?password=***&a=1');
    expect(withoutPassword('sqlite:data/x.db')).toBe('sqlite:data/x.db');
  });

  // Was: "DATABASE_URL postgres://...: unknown parameter 'shema'" for a URL given as --database-url.
  it('names where a refused URL came from: --database-url when the flag gave it, DATABASE_URL otherwise', async () => {
    const typo = 'postgres://u:secret@127.0.0.1:1/db?shema=x';
    expect(() => storeConfigFrom({ databaseUrl: 'mysql://h/db' }, env)).toThrow(/^--database-url must be a PostgreSQL URL/);
    await expect(openStore(storeConfigFrom({ databaseUrl: typo }, env)))
      .rejects.toThrow(/^--database-url postgres:\/\/u:\*+@127\.0\.0\.1:1\/db\?shema=x: unknown parameter 'shema' \(did you mean schema\?\)/);
    await expect(openStore(storeConfigFrom({}, { DATABASE_URL: typo })))
      .rejects.toThrow(/^DATABASE_URL postgres:\/\/u:\*+@127\.0\.0\.1:1\/db\?shema=x: unknown parameter 'shema'/);
  });
});
