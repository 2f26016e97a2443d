/** scripts/dev-api-url.mjs: `npm run dev`'s Vite proxy follows the API's PORT and HOST. */
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script, without types
import { devApiUrl } from '../../scripts/dev-api-url.mjs';
import { parseEnv } from '../../src/config/env.js';

describe('the dev proxy target', () => {
  it('is the API that npm run dev starts, on its PORT and HOST', () => {
    expect(devApiUrl(parseEnv({}))).toBe('http://127.0.0.1:3001');
    expect(devApiUrl(parseEnv({ PORT: '3918' }))).toBe('http://127.0.0.1:3918');
    expect(devApiUrl(parseEnv({ PORT: '4000', HOST: '0.0.0.0', API_TOKEN: 't' }))).toBe('http://127.0.0.1:4000');
    expect(devApiUrl(parseEnv({ HOST: '::' }))).toBe('http://[::1]:3001');
    expect(devApiUrl(parseEnv({ HOST: '::1' }))).toBe('http://[::1]:3001');
  });

  it('is SKUCAST_API_URL when that names another API', () => {
    expect(devApiUrl(parseEnv({ PORT: '3918' }), 'http://10.0.0.5:3001')).toBe('http://10.0.0.5:3001');
  });
});
