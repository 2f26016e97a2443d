import { describe, expect, it } from 'vitest';
import { createApiClient } from './client.js';

/** The client against an API on another origin (VITE_API_URL in development): every request goes there. */
describe('createApiClient with a baseUrl', () => {
  it('sends the CSV downloads, the SKU routes and their "~" escape to the API origin', async () => {
    const urls: string[] = [];
    const fetch = async (input: RequestInfo | URL) => {
      urls.push(input instanceof Request ? input.url : String(input));
      return new Response('a,b\n', { status: 200, headers: { 'content-type': 'text/csv' } });
    };
    const api = createApiClient({ baseUrl: 'http://api.test:3001', fetch, getToken: () => null });
    await api.accuracyCsv('ds_1', 4);
    await api.aggregatesCsv('ds_1', 'store');
    await api.aggregatesCsv('ds_1');
    await api.skuSeries('ds_1', '..').catch(() => undefined); // the body is no JSON series: only the URL matters
    expect(urls).toEqual([
      'http://api.test:3001/api/datasets/ds_1/accuracy.csv?snapshot=4',
      'http://api.test:3001/api/datasets/ds_1/aggregates.csv?by=store',
      'http://api.test:3001/api/datasets/ds_1/aggregates.csv',
      'http://api.test:3001/api/datasets/ds_1/skus/~..',
    ]);
  });
});
