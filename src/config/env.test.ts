import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, envVariables, parseEnv, parseRetentionDays, retentionDaysFrom } from './env.js';

describe('the configuration', () => {
  it('gives every variable its default when unset or empty', () => {
    expect(parseEnv({})).toEqual({
      port: 3001, host: '127.0.0.1', apiToken: undefined, corsOrigins: [], databaseUrl: undefined, databaseListenUrl: undefined,
      databasePath: 'data/forecast-jobs.db', sqliteSynchronous: 'NORMAL', sqliteBusyTimeoutMs: 10_000, retentionDays: 30,
      httpDrainMs: 60_000, storeCloseMs: 10_000,
      uploadLimitBytes: 1024 * 1024 * 1024,
      logLevel: 'info', logFormat: 'auto',
    });
    expect(parseEnv({ PORT: '', DATASET_UPLOAD_LIMIT_MB: '' }).port).toBe(3001);
  });

  it('refuses a bad busy timeout or retention, naming it', () => {
    expect(() => parseEnv({ SQLITE_BUSY_TIMEOUT_MS: '1.5s' })).toThrow(/SQLITE_BUSY_TIMEOUT_MS must be a whole number of milliseconds/);
    expect(() => parseEnv({ SQLITE_BUSY_TIMEOUT_MS: '99999999999' })).toThrow(/SQLITE_BUSY_TIMEOUT_MS must be a whole number of milliseconds from 0 to 2147483647 \(got '99999999999'\)/);
    expect(() => parseEnv({ SKUCAST_RETENTION_DAYS: '1e300' })).toThrow(/SKUCAST_RETENTION_DAYS must be a number of days from 0 to 36500/);
    expect(() => parseEnv({ DATASET_UPLOAD_LIMIT_MB: '1e12' })).toThrow(/DATASET_UPLOAD_LIMIT_MB must be at most 1048576/);
    expect(parseEnv({ SQLITE_BUSY_TIMEOUT_MS: '2147483647', SKUCAST_RETENTION_DAYS: '36500' })).toMatchObject({ sqliteBusyTimeoutMs: 2_147_483_647, retentionDays: 36_500 });
    expect(() => parseEnv({ SKUCAST_RETENTION_DAYS: '-1' })).toThrow(/SKUCAST_RETENTION_DAYS must be a number of days from 0 to 36500/);
    expect(parseEnv({ SKUCAST_RETENTION_DAYS: '0', SQLITE_BUSY_TIMEOUT_MS: '250' })).toMatchObject({ retentionDays: 0, sqliteBusyTimeoutMs: 250 });
  });

  it("says where a prune's retention comes from: the flag, else the variable (set, not empty), else the default; the flag by the variable's rule", () => {
    expect(retentionDaysFrom(90, { SKUCAST_RETENTION_DAYS: '30' })).toEqual({ days: 90, source: 'flag' });
    expect(retentionDaysFrom(undefined, { SKUCAST_RETENTION_DAYS: '90' })).toEqual({ days: 90, source: 'env' });
    expect(retentionDaysFrom(undefined, { SKUCAST_RETENTION_DAYS: '30' })).toEqual({ days: 30, source: 'env' });
    expect(retentionDaysFrom(undefined, { SKUCAST_RETENTION_DAYS: '' })).toEqual({ days: 30, source: 'default' });
    expect(retentionDaysFrom(undefined, {})).toEqual({ days: 30, source: 'default' });
    expect(() => retentionDaysFrom(undefined, { SKUCAST_RETENTION_DAYS: '-1' })).toThrow(ConfigError);
    expect(parseRetentionDays('0')).toBe(0);
    expect(parseRetentionDays(' 36500 ')).toBe(36_500);
    expect(parseRetentionDays('1.5')).toBe(1.5);
    for (const bad of ['', '-1', '36501', '1e300', 'abc']) expect(() => parseRetentionDays(bad), bad).toThrow(/must be a number of days from 0 to 36500/);
  });

  it('refuses a SKUCAST_STORE_CLOSE_MS under 1000, saying why: it would cut off a worker\'s own releases', () => {
    for (const value of ['0', '5', '999']) {
      expect(() => parseEnv({ SKUCAST_STORE_CLOSE_MS: value })).toThrow(new RegExp(`SKUCAST_STORE_CLOSE_MS must be a whole number of milliseconds from 1000 to 2147483647 \\(it applies to api and start too\\): below 1000 a worker's stop exits before its own releases are written .*\\(got '${value}'\\)`));
    }
    // Not a number in range at all: the same range, not wholeMs's "from 0".
    for (const value of ['-5', 'abc', '1e3', '99999999999']) {
      expect(() => parseEnv({ SKUCAST_STORE_CLOSE_MS: value })).toThrow(new RegExp(`SKUCAST_STORE_CLOSE_MS must be a whole number of milliseconds from 1000 to 2147483647 \\(got '${value}'\\)`));
    }
    expect(parseEnv({ SKUCAST_STORE_CLOSE_MS: '1000' }).storeCloseMs).toBe(1000);
    expect(parseEnv({ SKUCAST_STORE_CLOSE_MS: '2147483647' }).storeCloseMs).toBe(2_147_483_647);
  });

  it('parses what is set', () => {
    const s = parseEnv({
      PORT: '8080', DATASET_UPLOAD_LIMIT_MB: '0.5', SQLITE_SYNCHRONOUS: 'full', LOG_LEVEL: 'DEBUG',
      CORS_ORIGINS: 'http://a.test, http://b.test,', DATABASE_URL: 'postgresql://u@h/db', LOG_FORMAT: 'json',
    });
    expect(s).toMatchObject({
      port: 8080, uploadLimitBytes: 512 * 1024, sqliteSynchronous: 'FULL', logLevel: 'debug',
      corsOrigins: ['http://a.test', 'http://b.test'], databaseUrl: 'postgresql://u@h/db', logFormat: 'json',
    });
  });

  it('refuses bad values, naming every bad variable and what it got', () => {
    const bad = { DATASET_UPLOAD_LIMIT_MB: 'abc', PORT: '70000', LOG_LEVEL: 'loud', SQLITE_SYNCHRONOUS: 'OFF' };
    expect(() => parseEnv(bad)).toThrow(ConfigError);
    try {
      parseEnv(bad);
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toMatch(/DATASET_UPLOAD_LIMIT_MB must be a positive number \(got 'abc'\)/);
      expect(message).toMatch(/PORT must be an integer from 0 to 65535 \(got '70000'\)/);
      expect(message).toMatch(/LOG_LEVEL must be one of fatal, error/);
      expect(message).toMatch(/SQLITE_SYNCHRONOUS/);
    }
    for (const value of ['0', '-1', 'NaN', 'Infinity', '1e999']) expect(() => parseEnv({ DATASET_UPLOAD_LIMIT_MB: value })).toThrow(/DATASET_UPLOAD_LIMIT_MB/);
  });

  it('trims API_TOKEN (a header cannot carry its edge spaces) and refuses a blank one rather than running without', () => {
    expect(parseEnv({ API_TOKEN: ' s3cret \n' }).apiToken).toBe('s3cret');
    expect(() => parseEnv({ API_TOKEN: '   ' })).toThrow(/^invalid configuration: API_TOKEN must not be blank[^']*$/);
  });

  it('refuses an upload limit too small to be one byte (it would round to 0 and refuse every upload)', () => {
    expect(() => parseEnv({ DATASET_UPLOAD_LIMIT_MB: '1e-9' })).toThrow(/DATASET_UPLOAD_LIMIT_MB must be at least one byte/);
    expect(parseEnv({ DATASET_UPLOAD_LIMIT_MB: '0.000001' }).uploadLimitBytes).toBe(1);
  });

  it('never echoes a secret it refuses', () => {
    expect(() => parseEnv({ DATABASE_URL: 'mysql://root:hunter2@h/db' })).toThrow(/^invalid configuration: DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL[^']*$/);
  });

  // Unsetting DATABASE_LISTEN_URL keeps PostgreSQL (LISTEN goes through DATABASE_URL): its hint used to say SQLite.
  it('hints at what unsetting each URL variable does', () => {
    expect(() => parseEnv({ DATABASE_URL: 'http://x' })).toThrow('DATABASE_URL must be a postgres:// or postgresql:// URL (unset it to use SQLite at DATABASE_PATH)');
    expect(() => parseEnv({ DATABASE_URL: 'postgres://u@h/db', DATABASE_LISTEN_URL: 'http://x' }))
      .toThrow(/^invalid configuration: DATABASE_LISTEN_URL must be a postgres:\/\/ or postgresql:\/\/ URL \(unset it to LISTEN through DATABASE_URL\)$/);
  });

  it('is listed whole, with the same defaults, in .env.example and the README table', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const v of envVariables) {
      expect(example, v.name).toMatch(new RegExp(`^#? ?${v.name}=${v.default.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
      expect(readme, v.name).toMatch(new RegExp(`^\\| \`${v.name}\` \\|`, 'm'));
    }
  });
});
