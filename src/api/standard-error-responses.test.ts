import { beforeAll, describe, expect, it } from 'vitest';
import { useApiTestApps } from '../../tests/support/api-test-app.js';
import { openapiDocument } from './api-types.js';
import { errorCodes } from './errors.js';
import { storeFreeRoutes } from './standard-error-responses.js';

interface Operation { method: string; path: string; responses: Record<string, { content?: Record<string, { schema?: { properties?: Record<string, { enum?: unknown }> } }> }> }

let operations: Operation[] = [];
beforeAll(async () => {
  const document = await openapiDocument() as { paths: Record<string, Record<string, Pick<Operation, 'responses'>>> };
  operations = Object.entries(document.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, responses: op.responses })));
}, 60_000);

const start = useApiTestApps();

/** `/api/datasets/{id}/skus/{sku}` -> a URL the router matches to that route. */
const urlOf = (path: string) => path.replace(/\{[^}]+\}/g, '1');
/** `/api/datasets/{id}` -> `/api/datasets/:id`, as the routes are registered. */
const routeOf = (path: string) => path.replace(/\{([^}]+)\}/g, ':$1');

describe('the OpenAPI document declares the refusals any route can answer', () => {
  it('lists the /api routes (a document of nothing would pass the checks below)', () => {
    expect(operations.length).toBeGreaterThan(30);
    expect(operations.every((op) => op.path.startsWith('/api/'))).toBe(true);
  });

  it("every route the token guards declares 401: exactly those a request without the token is refused on", async () => {
    const t = await start({ apiToken: 'tok' });
    for (const op of operations) {
      const res = await t.app.inject({ method: op.method as 'GET', url: urlOf(op.path) });
      const refused = res.statusCode === 401;
      expect('401' in op.responses, `${op.method} ${op.path}: answered ${res.statusCode} without the token`).toBe(refused);
    }
    // The one route open to all: a monitor must reach it.
    expect(operations.filter((op) => !('401' in op.responses)).map((op) => `${op.method} ${op.path}`)).toEqual(['GET /api/health']);
  });

  it('every route declares 400 and, when it may carry a body, 415: exactly those that refuse an unknown query parameter, and a body of a type they do not read', async () => {
    const t = await start();
    for (const op of operations) {
      const unknown = await t.app.inject({ method: op.method as 'GET', url: `${urlOf(op.path)}?zzz=1` });
      expect('400' in op.responses, `${op.method} ${op.path}: answered ${unknown.statusCode} to ?zzz=1`).toBe(unknown.statusCode === 400);
      // A GET has no body to be refused first: its 400 is the unknown parameter's.
      if (op.method === 'GET') {
        if (unknown.statusCode === 400) expect(unknown.json().details.map((d: { path: string }) => d.path), `${op.method} ${op.path}`).toContain('zzz');
        continue;
      }
      expect('413' in op.responses, `${op.method} ${op.path} declares 413`).toBe(true);
      const xml = await t.app.inject({ method: op.method as 'POST', url: urlOf(op.path), headers: { 'content-type': 'application/xml' }, payload: '<a/>' });
      expect(xml.statusCode, `${op.method} ${op.path} with an XML body`).toBe(415);
      expect('415' in op.responses, `${op.method} ${op.path}`).toBe(true);
    }
    // A monitor's cache-buster: the health probe takes any query.
    expect(operations.filter((op) => !('400' in op.responses)).map((op) => `${op.method} ${op.path}`)).toEqual(['GET /api/health']);
  });

  it('every route declares 503, but those that never touch the store, which answer without it', async () => {
    for (const op of operations) {
      const exempt = storeFreeRoutes.has(`${op.method} ${routeOf(op.path)}`);
      expect('503' in op.responses, `${op.method} ${op.path}`).toBe(!exempt);
    }
    const t = await start();
    await t.store.close();
    for (const route of storeFreeRoutes) {
      const [method, path] = route.split(' ');
      const res = await t.app.inject({ method: method as 'GET', url: path });
      expect(res.statusCode, route).toBe(200);
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/datasets' })).statusCode).toBe(503);
  });

  it("every error answer's schema names the codes (errorCodes) as an enum", () => {
    for (const op of operations) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) < 400 || op.path === '/api/health') continue;
        const code = response.content?.['application/json']?.schema?.properties?.code;
        expect(code?.enum, `${op.method} ${op.path} ${status}`).toEqual([...errorCodes]);
      }
    }
  });
});
