import { describe, expect, it } from 'vitest';
import { storeConfigFrom } from './database-options.js';

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
});
