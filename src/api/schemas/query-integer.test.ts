import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiTestApp, type ApiTestApp } from '../../../tests/support/api-test-app.js';

let t: ApiTestApp;
beforeAll(async () => {
  t = await openApiTestApp();
});
afterAll(async () => {
  await t.close();
});

// Every integer a route reads from its query string or path: refused before the route reads the
// store, so no dataset needs to exist.
const params: Array<[url: string, name: string, message: string]> = [
  ['/api/datasets/ds/forecasts?limit=', 'limit', 'must be an integer from 1 to 1000'],
  ['/api/datasets/ds/forecasts?offset=', 'offset', 'must be an integer, 0 or more'],
  ['/api/datasets/ds/accuracy?limit=', 'limit', 'must be an integer from 1 to 10000'],
  ['/api/datasets/ds/accuracy?offset=', 'offset', 'must be an integer, 0 or more'],
  ['/api/datasets/ds/skus?limit=', 'limit', 'must be an integer from 1 to 1000'],
  ['/api/datasets/ds/skus?offset=', 'offset', 'must be an integer, 0 or more'],
  ['/api/jobs/status?limit=', 'limit', 'must be an integer from 0 to 1000'],
  ['/api/datasets/sample.csv?skus=', 'skus', 'must be an integer from 1 to 20000'],
  ['/api/jobs/', 'id', 'must be a positive integer job id'],
];

describe('integer query and path parameters', () => {
  // 'abc' was "expected number, received NaN"; '' and '0x10' were read as 0 and 16.
  const cases = params.flatMap(([url, name, message]) => ['abc', '1.5', '-1', '', '0x10', '1e2']
    // `/api/jobs/` with no id is another route's URL, not a bad id.
    .filter((bad) => !(name === 'id' && bad === ''))
    .map((bad) => ({ url, name, message, bad })));
  it.each(cases)('$url$bad: 400 naming $name', async ({ url, name, message, bad }) => {
    const res = await t.app.inject({ method: 'GET', url: `${url}${encodeURIComponent(bad)}` });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.details).toEqual([{ path: name, message: `${message}, not '${bad}'` }]);
    expect(body.error).not.toMatch(/NaN/);
  });

  // ?snapshot= takes a snapshot's id or its name (snapshot-ref-query.ts): digits are an id and are
  // checked as one; anything else is a name, looked up (here: no dataset 'ds', so 404 naming id).
  const snapshotRoutes = ['forecasts', 'forecasts.csv', 'accuracy', 'accuracy.csv'];
  it.each(snapshotRoutes)('?snapshot= on %s: digits out of bounds or nothing at all are refused naming snapshot; other text is a name', async (route) => {
    const huge = '1234567890123456789012';
    for (const bad of ['0', huge, '', '  ']) {
      const res = await t.app.inject({ url: `/api/datasets/ds/${route}?snapshot=${encodeURIComponent(bad)}` });
      expect(res.statusCode, bad).toBe(400);
      const says = bad.trim() === '' ? 'must be a snapshot id or name' : 'must be a snapshot id from 1 to 9007199254740991 (digits are read as an id) or a name';
      expect(res.json().details, bad).toEqual([{ path: 'snapshot', message: `${says}, not '${bad}'` }]);
    }
    for (const name of ['abc', '1.5', '-1', '0x10', '1e2', 'S&OP Dec']) {
      const res = await t.app.inject({ url: `/api/datasets/ds/${route}?snapshot=${encodeURIComponent(name)}` });
      expect(res.statusCode, name).toBe(404);
      expect(res.json().details[0].path, name).toBe('id');
    }
    const twice = await t.app.inject({ url: `/api/datasets/ds/${route}?snapshot=1&snapshot=2` });
    expect(twice.json().details).toEqual([{ path: 'snapshot', message: 'given more than once: give it once' }]);
  });

  it('quotes what came, not the coerced number, and names the real bound past the largest safe integer', async () => {
    const huge = '1234567890123456789012';
    const res = await t.app.inject({ url: `/api/datasets/ds/forecasts?offset=${huge}` });
    expect(res.json().details).toEqual([{ path: 'offset', message: `must be an integer from 0 to 9007199254740991, not '${huge}'` }]);
    const limit = await t.app.inject({ url: '/api/jobs/status?limit=1001' });
    expect(limit.json().details).toEqual([{ path: 'limit', message: "must be an integer from 0 to 1000, not '1001'" }]);
    const plus = await t.app.inject({ url: '/api/jobs/status?limit=%2B5' });
    expect(plus.json().details).toEqual([{ path: 'limit', message: "must be an integer from 0 to 1000, not '+5'" }]);
  });

  it("DELETE …/snapshots/:snapshotId takes an id only, and says so (was \"must be an integer from 1 to 9007199254740991\" for 'abc')", async () => {
    for (const bad of ['abc', '0', '1.5']) {
      const res = await t.app.inject({ method: 'DELETE', url: `/api/datasets/ds/snapshots/${bad}` });
      expect(res.statusCode).toBe(400);
      expect(res.json().details).toEqual([{ path: 'snapshotId', message: `must be a positive integer snapshot id, not '${bad}'` }]);
    }
    // Past the largest safe integer, PostgreSQL's bigint never sees it: the bound is named.
    const huge = '1234567890123456789012';
    const res = await t.app.inject({ method: 'DELETE', url: `/api/datasets/ds/snapshots/${huge}` });
    expect(res.json().details[0].message).toBe(`must be an integer from 1 to 9007199254740991, not '${huge}'`);
  });

  it("a literal `+` in a query string is a space: ?limit=+5 reads as ' 5', trimmed to 5; only %2B5 is refused", async () => {
    expect((await t.app.inject({ url: '/api/jobs/status?limit=+5' })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/jobs/status?limit=%2B5' })).statusCode).toBe(400);
  });

  it('says a repeated parameter was given more than once (was "not \'5,6\'")', async () => {
    const res = await t.app.inject({ url: '/api/jobs/status?limit=5&limit=6' });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([{ path: 'limit', message: 'given more than once: give it once' }]);
  });

  it('trims surrounding spaces: ` 5 ` reads as 5', async () => {
    const res = await t.app.inject({ url: '/api/jobs/status?limit=%205%20' });
    expect(res.statusCode).toBe(200);
  });

  it('still reads a plain integer, and a missing one as its default', async () => {
    expect((await t.app.inject({ url: '/api/jobs/status?limit=7' })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/jobs/status' })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/datasets/sample.csv?skus=2' })).statusCode).toBe(200);
    // Past the query check: the dataset's own 404.
    const unknown = await t.app.inject({ url: '/api/datasets/ds/accuracy?snapshot=3&limit=5&offset=0' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().details[0].path).toBe('id');
  });
});
