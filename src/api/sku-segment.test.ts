import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApiTestApp, type ApiTestApp } from '../../tests/support/api-test-app.js';
import * as web from '../../web/src/api/sku-segment.js';
import { skuFromSegment, skuSegment } from './sku-segment.js';

/** SKUs named like dot segments, over a real socket: fetch's URL parser drops "." and ".." before sending. */
let t: ApiTestApp;
let base: string;
beforeEach(async () => {
  t = await openApiTestApp();
  base = await t.app.listen({ host: '127.0.0.1', port: 0 });
});
afterEach(async () => {
  await t.close();
});

const names = ['..', '.', '~..', '~.', '...', 'A'];

describe('a SKU as a path segment', () => {
  it('round-trips every name, the dot names by a "~" escape', () => {
    for (const name of [...names, '~', '.~', 'a..b', '~~..']) expect(skuFromSegment(skuSegment(name)), name).toBe(name);
    expect(skuSegment('..')).toBe('~..');
    expect(skuSegment('~..')).toBe('~~..');
    expect(skuSegment('...')).toBe('...');
  });

  it('is the rule the web app writes its requests and links by (two copies: web knows only the HTTP contract)', () => {
    for (const name of [...names, '~', '.~', 'a..b', '~~..', '~~~.', '%2e%2e', 'A/B', '']) {
      expect(web.skuSegment(name), name).toBe(skuSegment(name));
      expect(web.skuFromSegment(skuSegment(name)), name).toBe(skuFromSegment(skuSegment(name)));
    }
  });

  it('GET, PATCH and the override reach a SKU called ".." or "." through its escape; unescaped, ".." never reaches the SKU route', async () => {
    let csv = 'sku,month,units\n';
    names.forEach((sku, i) => {
      for (let m = 0; m < 14; m++) csv += `"${sku}",2024-${String((m % 12) + 1).padStart(2, '0')}-01,${10 * (i + 1) + m}\n`.replace('2024-', m < 12 ? '2024-' : '2025-');
    });
    const created = await fetch(`${base}/api/datasets?createJobs=false&models=seasonal_naive`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv });
    expect(created.status).toBe(201);
    const { datasetId } = (await created.json()) as { datasetId: string };
    const url = (sku: string) => `${base}/api/datasets/${datasetId}/skus/${encodeURIComponent(skuSegment(sku))}`;
    for (const [i, sku] of names.entries()) {
      const res = await fetch(url(sku));
      expect(res.status, sku).toBe(200);
      const body = (await res.json()) as { sku: string; original: number[] };
      expect(body.sku, sku).toBe(sku);
      expect(body.original[0], sku).toBe(10 * (i + 1));
    }
    // Why the escape exists (a fact about URL parsers, not about this app): ".." unescaped is
    // resolved away before the request leaves.
    const unescaped = await fetch(`${base}/api/datasets/${datasetId}/skus/${encodeURIComponent('..')}`);
    expect(new URL(unescaped.url).pathname).toBe(`/api/datasets/${datasetId}/`);

    const patched = await fetch(url('..'), { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ edits: [{ date: '2024-01-01', value: 99 }] }) });
    expect(patched.status, await patched.clone().text()).toBe(200);
    expect(((await (await fetch(url('..'))).json()) as { cleaned: number[] }).cleaned[0]).toBe(99);
    expect(((await (await fetch(url('~..'))).json()) as { cleaned: number[] }).cleaned[0]).toBe(30); // its neighbour untouched

    const override = await fetch(`${url('.')}/override`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ modelId: 'seasonal_naive' }) });
    expect(override.status).toBe(200);
    expect(await override.json()).toEqual({ sku: '.', modelId: 'seasonal_naive' });
  });
});
