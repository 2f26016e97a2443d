import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useApiTestApps, type ApiTestApp } from '../../tests/support/api-test-app.js';
import type { ApiConfig } from './api-config.js';

const start = useApiTestApps();

/** An app serving a built web app too: its static files' `GET /*` matches every path. */
async function startWithWebApp(config: Partial<ApiConfig> = {}): Promise<ApiTestApp> {
  const probe = await start();
  const dist = path.join(probe.dir, 'dist');
  mkdirSync(dist, { recursive: true });
  writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Skucast</title>');
  return start({ ...config, webDistDir: dist });
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

describe('a known path asked with a method it does not take', () => {
  for (const built of [false, true]) {
    it(`is a 405 naming method, with Allow listing the path's methods${built ? ' (web app built)' : ''}`, async () => {
      const t = built ? await startWithWebApp() : await start();
      const cases: Array<[Method, string, string]> = [
        ['DELETE', '/api/jobs/status', 'GET, HEAD'],
        ['PUT', '/api/datasets', 'GET, HEAD, POST'],
        ['POST', '/api/jobs/status/?limit=1', 'GET, HEAD'], // trailing slash and query ignored, as the router ignores them
        ['DELETE', '/api/jobs/17/cancel', 'POST'],
        ['GET', '/api/datasets/abc/settings', 'PATCH'],
        ['PUT', '/api/datasets/abc', 'GET, HEAD, DELETE'],
        ['POST', '/metrics', 'GET, HEAD'],
      ];
      for (const [method, url, allow] of cases) {
        const res = await t.app.inject({ method, url });
        expect(res.statusCode, `${method} ${url}`).toBe(405);
        expect(res.headers.allow, `${method} ${url}`).toBe(allow);
        const where = url.split('?')[0];
        expect(res.json()).toEqual({
          error: `${method} is not allowed on ${where}: it takes ${allow}`,
          code: 'method_not_allowed',
          details: [{ path: 'method', message: `${method} is not one of the methods of ${where} (${allow})` }],
        });
      }
    });

    it(`an unknown path stays a 404 naming url, whatever the method${built ? ' (web app built)' : ''}`, async () => {
      const t = built ? await startWithWebApp() : await start();
      for (const [method, url] of [['GET', '/api/nope'], ['DELETE', '/api/nope'], ['PUT', '/api/datasets/abc/nope'], ['POST', '/api/jobs/status/more']] as Array<[Method, string]>) {
        const res = await t.app.inject({ method, url });
        expect(res.statusCode, `${method} ${url}`).toBe(404);
        expect(res.headers.allow).toBeUndefined();
        expect(res.json()).toMatchObject({ code: 'not_found', details: [{ path: 'url' }] });
      }
    });
  }

  it('outside /api and /metrics the web app answers as before: a POST to a page is a 404', async () => {
    const t = await startWithWebApp();
    const res = await t.app.inject({ method: 'POST', url: '/datasets/42' });
    expect(res.statusCode).toBe(404);
    expect(res.headers.allow).toBeUndefined();
  });

  it('comes after the token: without it, a 401 that says nothing of the routes', async () => {
    const t = await start({ apiToken: 'tok' });
    const anonymous = await t.app.inject({ method: 'DELETE', url: '/api/jobs/status' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers.allow).toBeUndefined();
    const res = await t.app.inject({ method: 'DELETE', url: '/api/jobs/status', headers: { authorization: 'Bearer tok' } });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
  });
});
