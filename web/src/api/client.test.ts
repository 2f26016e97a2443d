import { describe, expect, it } from 'vitest';
import { createApiClient } from './client.js';
import { spreadsheetCsv } from './spreadsheet-csv.js';

/** The client against an API on another origin (VITE_API_URL in development): every request goes there. */
describe('createApiClient with a baseUrl', () => {
  it('sends the CSV downloads, the SKU routes and their "~" escape to the API origin', async () => {
    const urls: string[] = [];
    const fetch = async (input: RequestInfo | URL) => {
      urls.push(input instanceof Request ? input.url : String(input));
      return new Response('a,b\n', { status: 200, headers: { 'content-type': 'text/csv' } });
    };
    const api = createApiClient({ baseUrl: 'http://api.test:3001', fetch, getToken: () => null, csvDialect: { bom: 'true' } });
    await api.accuracyCsv('ds_1', 4);
    await api.aggregatesCsv('ds_1', 'store');
    await api.aggregatesCsv('ds_1');
    await api.skuSeries('ds_1', '..').catch(() => undefined); // the body is no JSON series: only the URL matters
    expect(urls).toEqual([
      'http://api.test:3001/api/datasets/ds_1/accuracy.csv?snapshot=4&bom=true',
      'http://api.test:3001/api/datasets/ds_1/aggregates.csv?by=store&bom=true',
      'http://api.test:3001/api/datasets/ds_1/aggregates.csv?bom=true',
      'http://api.test:3001/api/datasets/ds_1/skus/~..',
    ]);
  });
});

describe('the CSV downloads are written for the browser language\'s spreadsheet', () => {
  it('asks for ; and the decimal comma where the locale writes 1,5, and a byte order mark everywhere (was: plain CSV, one column and MÃ¼nchen in a German Excel)', async () => {
    const urls: string[] = [];
    const fetch = async (input: RequestInfo | URL) => {
      urls.push(String(input));
      return new Response('a;b\n', { status: 200 });
    };
    const de = createApiClient({ fetch, getToken: () => null, csvDialect: spreadsheetCsv('de-DE') });
    await de.exportCsv('d1', 'forecasts.csv');
    await de.accuracyCsv('d1', 2, 'Store');
    expect(de.exportUrl('d1', 'metrics.csv')).toBe('/api/datasets/d1/metrics.csv?delimiter=semicolon&decimal=comma&bom=true');
    const en = createApiClient({ fetch, getToken: () => null, csvDialect: spreadsheetCsv('en-GB') });
    await en.aggregatesCsv('d1');
    expect(urls).toEqual([
      // The web's forecasts.csv rounded to 2 decimals (review-planner finding 13); metrics.csv as before.
      '/api/datasets/d1/forecasts.csv?delimiter=semicolon&decimal=comma&bom=true&decimals=2',
      '/api/datasets/d1/accuracy.csv?snapshot=2&by=Store&delimiter=semicolon&decimal=comma&bom=true',
      '/api/datasets/d1/aggregates.csv?bom=true',
    ]);
    expect(spreadsheetCsv('fr-FR')).toEqual({ delimiter: 'semicolon', decimal: 'comma', bom: 'true' });
    expect(spreadsheetCsv('not a locale!')).toEqual({ bom: 'true' });
  });
});
