import { describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../store-unavailable-error.js';
import { clientConfig, isConnectionError, parsePostgresUrl, toStoreError } from './postgres-connection.js';

describe('parsePostgresUrl', () => {
  it('takes schema and connection_limit out of the URL and hides the password in messages', () => {
    const s = parsePostgresUrl('postgres://app:s3cret@db.internal:6543/skucast?schema=staging&connection_limit=4&sslmode=require');
    expect(s).toMatchObject({ schema: 'staging', poolMax: 4 });
    expect(s.connectionString).toBe('postgres://app:s3cret@db.internal:6543/skucast?sslmode=require');
    expect(s.safeUrl).toBe('postgres://app:***@db.internal:6543/skucast?sslmode=require');
    expect(clientConfig(s).options).toBe('-c search_path=staging');
  });

  it('keeps server options given in the URL beside the search_path', () => {
    const s = parsePostgresUrl('postgres://h/db?schema=s1&options=-c%20statement_timeout%3D5000');
    expect(s.connectionString).toBe('postgres://h/db');
    expect(clientConfig(s).options).toBe('-c search_path=s1 -c statement_timeout=5000');
  });

  it('defaults to the public schema and a pool of 10', () => {
    expect(parsePostgresUrl('postgres://postgres@127.0.0.1/test')).toMatchObject({ schema: 'public', poolMax: 10 });
  });

  it('refuses a schema that is not a plain identifier (it goes into SQL) and a bad connection_limit', () => {
    expect(() => parsePostgresUrl('postgres://h/db?schema=a;drop')).toThrow(/schema must be a lower-case identifier/);
    expect(() => parsePostgresUrl('postgres://h/db?schema=Upper')).toThrow(/schema/);
    expect(() => parsePostgresUrl('postgres://h/db?connection_limit=0')).toThrow(/connection_limit/);
    expect(() => parsePostgresUrl('not a url')).toThrow(/not a valid postgres:\/\/ URL/);
  });
});

describe('connection errors become StoreUnavailableError', () => {
  const settings = parsePostgresUrl('postgres://u:pw@127.0.0.1:5432/db');
  const coded = (message: string, code: string) => Object.assign(new Error(message), { code });

  it.each([
    ['refused', coded('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['reset', coded('read ECONNRESET', 'ECONNRESET')],
    ['server shutting down', coded('terminating connection due to administrator command', '57P01')],
    ['server starting', coded('the database system is starting up', '57P03')],
    ['too many connections', coded('sorry, too many clients already', '53300')],
    ['connection exception class', coded('connection failure', '08006')],
    ['socket gone mid-query', new Error('Connection terminated unexpectedly')],
    ['pool timeout', new Error('timeout exceeded when trying to connect')],
  ])('%s', (_what, error) => {
    expect(isConnectionError(error)).toBe(true);
    const mapped = toStoreError(error, settings) as Error;
    expect(mapped).toBeInstanceOf(StoreUnavailableError);
    expect(mapped.name).toBe('StoreUnavailableError');
    expect(mapped.message).toContain('postgres://u:***@127.0.0.1:5432/db is unavailable');
    expect(mapped.message).not.toContain('pw');
    expect(mapped.cause).toBe(error);
  });

  it('leaves other errors alone: a constraint or syntax error is not an outage', () => {
    for (const error of [coded('duplicate key value violates unique constraint', '23505'), coded('syntax error', '42601'), new RangeError('limit')]) {
      expect(isConnectionError(error)).toBe(false);
      expect(toStoreError(error, settings)).toBe(error);
    }
  });
});
