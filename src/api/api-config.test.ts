import { describe, expect, it } from 'vitest';
import { apiConfigFromEnv, assertSafeBinding, isLoopbackHost } from './api-config.js';
import { formatFieldPath, isStoreUnavailableError } from './errors.js';

describe('the listening door', () => {
  it('knows loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.5', 'example.com', '128.0.0.1']) expect(isLoopbackHost(host)).toBe(false);
  });

  it('refuses any other address without a token', () => {
    expect(() => assertSafeBinding({ host: '127.0.0.1' })).not.toThrow();
    expect(() => assertSafeBinding({ host: '0.0.0.0' })).toThrow(/refusing to listen on 0\.0\.0\.0 without API_TOKEN/);
    expect(() => assertSafeBinding({ host: '0.0.0.0', apiToken: 't' })).not.toThrow();
  });

  it('reads the environment, flags winning', () => {
    const config = apiConfigFromEnv({ PORT: '4000', HOST: '0.0.0.0', API_TOKEN: 'x', CORS_ORIGINS: 'http://a.test, http://b.test,' }, { port: 5000 });
    expect(config).toMatchObject({ port: 5000, host: '0.0.0.0', apiToken: 'x', corsOrigins: ['http://a.test', 'http://b.test'], bodyLimitBytes: 50 * 1024 * 1024 });
    expect(apiConfigFromEnv({})).toMatchObject({ port: 3001, host: '127.0.0.1', apiToken: undefined, corsOrigins: [] });
    expect(() => apiConfigFromEnv({ PORT: 'http' })).toThrow(/PORT must be an integer from 0 to 65535 \(got 'http'\)/);
  });
});

describe('errors', () => {
  it('names fields the way a client wrote them', () => {
    expect(formatFieldPath('/data/3/sales')).toBe('data[3].sales');
    expect(formatFieldPath(['models', 1])).toBe('models[1]');
    expect(formatFieldPath('/settings/intervalLevels/0')).toBe('settings.intervalLevels[0]');
    expect(formatFieldPath('')).toBe('');
  });

  it('tells an unreachable database from a bug', () => {
    expect(isStoreUnavailableError(Object.assign(new Error('x'), { name: 'StoreUnavailableError' }))).toBe(true);
    expect(isStoreUnavailableError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isStoreUnavailableError(Object.assign(new Error('terminating connection'), { code: '57P01' }))).toBe(true);
    expect(isStoreUnavailableError(new Error('wrapped', { cause: Object.assign(new Error('x'), { code: '08006' }) }))).toBe(true);
    expect(isStoreUnavailableError(new TypeError('The database connection is not open'))).toBe(true);
    expect(isStoreUnavailableError(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(false);
    expect(isStoreUnavailableError(Object.assign(new Error('syntax'), { code: '42601' }))).toBe(false);
  });
});
