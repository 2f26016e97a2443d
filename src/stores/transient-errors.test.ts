import { describe, expect, it } from 'vitest';
import { isPostgresTransient } from './postgres/postgres-store.js';
import { isSqliteTransient } from './sqlite/sqlite-store.js';
import { StoreUnavailableError } from './store-unavailable-error.js';

const coded = (code: string, message = 'refused') => Object.assign(new Error(message), { code });

// The runner tries a refused final write again only while the store says it may pass (Runner settleAgain).
describe('isTransient', () => {
  it('SQLite: a busy or locked database passes next time; a constraint or a bad value never does', () => {
    expect(isSqliteTransient(coded('SQLITE_BUSY'))).toBe(true);
    expect(isSqliteTransient(coded('SQLITE_BUSY_SNAPSHOT'))).toBe(true);
    expect(isSqliteTransient(coded('SQLITE_LOCKED'))).toBe(true);
    expect(isSqliteTransient(new StoreUnavailableError('gone'))).toBe(true);
    expect(isSqliteTransient(coded('SQLITE_CONSTRAINT_CHECK'))).toBe(false);
    expect(isSqliteTransient(new TypeError('Do not know how to serialize a BigInt'))).toBe(false);
  });

  it('PostgreSQL: connection loss, serialization failures and deadlocks pass next time; constraints and data errors never do', () => {
    for (const code of ['40001', '40P01', '55P03', '57014', '57P01', '08006', 'ECONNRESET']) expect(isPostgresTransient(coded(code)), code).toBe(true);
    expect(isPostgresTransient(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isPostgresTransient(new StoreUnavailableError('gone'))).toBe(true);
    for (const code of ['23505', '23514', '22P02', '22001', '42P01']) expect(isPostgresTransient(coded(code)), code).toBe(false);
    expect(isPostgresTransient(new TypeError('Converting circular structure to JSON'))).toBe(false);
  });
});
