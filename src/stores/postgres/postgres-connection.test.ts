import { describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../store-unavailable-error.js';
import { openStore } from '../open-store.js';
import { applicationName, clientConfig, isConnectionError, listenSettingsFor, parsePostgresUrl, toStoreError } from './postgres-connection.js';

describe('application_name', () => {
  it('names the role and the worker id before the schema, within the 63 bytes PostgreSQL keeps', () => {
    const s = parsePostgresUrl('postgres://h/db?schema=staging');
    expect(clientConfig({ ...s, processRole: 'worker:hostA' }).application_name).toBe('skucast:worker:hostA:staging');
    expect(clientConfig({ ...s, processRole: 'api' }).application_name).toBe('skucast:api:staging');
    expect(clientConfig(s).application_name).toBe('skucast:staging'); // no role: as before (tests, tools)
    // The LISTEN connection keeps the name targeted wakes look for.
    expect(clientConfig({ ...s, processRole: 'api' }, 'listen').application_name).toBe('skucast-listen:staging');
    // A long worker id is shortened, never the schema: its kind and its END are kept (the pid and
    // random suffix tell apart pods whose host names share a prefix); '?' for what the server would not show.
    const long = applicationName('public', `worker:${'h'.repeat(40)}-12345-abcdef`);
    expect(Buffer.byteLength(long)).toBe(63);
    expect(long).toBe(`skucast:worker:...${'h'.repeat(25)}-12345-abcdef:public`);
    const pod = (suffix: string) => applicationName('staging', `worker:checkout-forecast-worker-deployment-7f9c8d6b5-${suffix}`);
    expect(pod('x2k4p-17-a1b2c3')).not.toBe(pod('q9z8w-17-d4e5f6'));
    expect(pod('x2k4p-17-a1b2c3')).toMatch(/^skucast:worker:\.\.\.[^:]*-x2k4p-17-a1b2c3:staging$/);
    expect(Buffer.byteLength(pod('x2k4p-17-a1b2c3'))).toBe(63);
    // Little room (a long schema): the end of the role still, within the 63 bytes.
    const tight = applicationName('s'.repeat(45), `worker:${'h'.repeat(30)}-99-zz`);
    expect(tight).toBe(`skucast:...-99-zz:${'s'.repeat(45)}`);
    expect(Buffer.byteLength(tight)).toBe(63);
    expect(applicationName('public', 'worker:hôte')).toBe('skucast:worker:h?te:public');
    // A schema that leaves no room for a role: the name without one, cut as before.
    expect(applicationName('s'.repeat(60), 'api')).toBe(`skucast:${'s'.repeat(60)}`.slice(0, 63));
  });
});

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

  // pg ignores a parameter it does not know: `?shema=staging` ran against `public`, production's tables.
  it('refuses a parameter neither Skucast nor pg reads, naming it and the one it resembles', () => {
    expect(() => parsePostgresUrl('postgres://u:pw@h/db?shema=ms9')).toThrow(
      /^DATABASE_URL postgres:\/\/u:\*\*\*@h\/db\?shema=ms9: unknown parameter 'shema' \(did you mean schema\?\); Skucast reads schema, connection_limit/,
    );
    expect(() => parsePostgresUrl('postgres://u:pw@h/db?shema=ms9')).not.toThrow(/pw/);
    expect(() => parsePostgresUrl('postgres://h/db?schema=s&connection_limt=1')).toThrow(/unknown parameter 'connection_limt' \(did you mean connection_limit\?\)/);
    expect(() => parsePostgresUrl('postgres://h/db?Schema=s')).toThrow(/unknown parameter 'Schema' \(did you mean schema\?\)/);
    expect(() => parsePostgresUrl('postgres://h/db?foo=bar')).toThrow(/unknown parameter 'foo'; Skucast reads/);
    expect(() => parsePostgresUrl('postgres://h/db?target_session_attrs=read-write')).toThrow(/'target_session_attrs' is a libpq parameter that node-postgres does not read from a URL/);
    expect(() => parsePostgresUrl('postgres://h/db?foo=1', undefined, 'DATABASE_LISTEN_URL')).toThrow(/^DATABASE_LISTEN_URL postgres:\/\/h\/db\?foo=1: unknown parameter 'foo'/);
  });

  it('refuses them when a store opens, in DATABASE_URL / --database-url and in DATABASE_LISTEN_URL, before connecting', async () => {
    // Port 1: nothing listens there, so reaching the driver would fail with ECONNREFUSED instead.
    await expect(openStore({ databaseUrl: 'postgres://u@127.0.0.1:1/db?shema=ms9' })).rejects.toThrow(/DATABASE_URL .*unknown parameter 'shema' \(did you mean schema\?\)/);
    await expect(openStore({ databaseUrl: 'postgres://u@127.0.0.1:1/db', listenUrl: 'postgres://u:pw@127.0.0.1:1/db?foo=bar' }))
      .rejects.toThrow("DATABASE_LISTEN_URL postgres://u:***@127.0.0.1:1/db?foo=bar: unknown parameter 'foo'");
  });

  it("gives the LISTEN connection DATABASE_URL's schema, and refuses a LISTEN URL naming another one", async () => {
    const settings = parsePostgresUrl('postgres://u@pool:6432/db?schema=staging');
    expect(listenSettingsFor(settings, undefined)).toBe(settings);
    expect(listenSettingsFor(settings, 'postgres://u@direct:5432/db')).toMatchObject({ schema: 'staging', connectionString: 'postgres://u@direct:5432/db' });
    expect(listenSettingsFor(settings, 'postgres://u@direct:5432/db?schema=staging')).toMatchObject({ schema: 'staging' });
    expect(() => listenSettingsFor(settings, 'postgres://u:pw@direct:5432/db?schema=public'))
      .toThrow("DATABASE_LISTEN_URL postgres://u:***@direct:5432/db: schema 'public' differs from DATABASE_URL's 'staging'");
    await expect(openStore({ databaseUrl: 'postgres://u@127.0.0.1:1/db?schema=staging', listenUrl: 'postgres://u@127.0.0.1:1/db?schema=prod' }))
      .rejects.toThrow(/schema 'prod' differs from DATABASE_URL's 'staging'/);
  });

  it('hides a password given as ?password= in messages too', () => {
    expect(() => parsePostgresUrl('postgres://h/db?password=s3cret&foo=1')).toThrow("DATABASE_URL postgres://h/db?password=***&foo=1: unknown parameter 'foo'");
    expect(parsePostgresUrl('postgres://h/db?password=s3cret').safeUrl).toBe('postgres://h/db?password=***');
  });

  it('refuses a parameter given twice (we would read the first, pg the last)', () => {
    expect(() => parsePostgresUrl('postgres://h/db?schema=a&schema=b')).toThrow(/'schema' is given more than once/);
  });

  it("accepts pg's own parameters and hands them on", () => {
    const url = 'postgres://h:5432/db?sslmode=no-verify&ssl=true&application_name=x&statement_timeout=5000&lock_timeout=100'
      + '&idle_in_transaction_session_timeout=1&query_timeout=9&client_encoding=UTF8&fallback_application_name=y&uselibpqcompat=true'
      + '&sslnegotiation=postgres&user=u&password=p&host=h2&port=5433&replication=database';
    expect(parsePostgresUrl(url).connectionString).toBe(url);
  });

  it('reads connect_timeout (seconds, the libpq name) itself: pg ignores it in a URL', () => {
    const s = parsePostgresUrl('postgres://h/db?connect_timeout=12&sslmode=disable');
    expect(s.connectionString).toBe('postgres://h/db?sslmode=disable');
    expect(clientConfig(s).connectionTimeoutMillis).toBe(12_000);
    expect(clientConfig(parsePostgresUrl('postgres://h/db')).connectionTimeoutMillis).toBe(5_000);
    for (const bad of ['0', '-1', '1.5', 'x', '']) {
      expect(() => parsePostgresUrl(`postgres://h/db?connect_timeout=${bad}`)).toThrow(/connect_timeout must be a whole number of seconds/);
    }
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
