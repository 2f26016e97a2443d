// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiProvider } from '../api/ApiContext.js';
import { createApiClient, type FetchLike } from '../api/client.js';
import { AccuracyView } from './AccuracyView.js';

/** AccuracyView's actuals upload and its Idempotency-Key (api/idempotency-key.ts); AccuracyView.test.tsx holds the rest. */
const snapshot = { id: 3, datasetId: 'd1', mark: 10, cause: 'import', createdAt: 1, historyEnd: '2024-12-01', forecastStart: '2025-01-01', forecastEnd: '2025-12-01', skuCount: 1, skusWithForecast: 1, bytes: 100, portfolio: { wape: 10, bias: 1 }, name: null };
const figures = { wape: 10, bias: -2.5, mae: 4, points: 6, coverage80: 83.3, coverage95: 100 };
const accuracy = {
  snapshot, actuals: null, portfolio: figures, byStep: [{ step: 1, ...figures }], total: 1,
  summed: { wape: 4.2, bias: -2.5, points: 3 }, by: null, attributes: [], groups: [], items: [{ sku: 'A', model: 'naive', absError: 1, ...figures }],
};
const appended = { report: { warnings: [] }, skusChanged: 1, skusAdded: 0, periodsAdded: 1, valuesRevised: 0, jobsCreated: 5, partial: { provisional: 0, kept: 0, settled: 0, values: [] } };

afterEach(cleanup);

describe('AccuracyView: appending actuals', () => {
  it('Apply pressed again after an answer that never came carries the same Idempotency-Key (the API replays the first append instead of appending twice); another file a new key; the check (dryRun) none', async () => {
    const keys: Array<string | null> = [];
    const checkKeys: Array<string | null> = [];
    let drop = true;
    const fetch: FetchLike = async (url, init = {}) => {
      if (url.startsWith('/api/datasets/d1/actuals') && init.method === 'POST') {
        if (url.includes('dryRun=true')) {
          checkKeys.push(new Headers(init.headers).get('idempotency-key'));
          return new Response(JSON.stringify({ ...appended, dryRun: true }), { status: 200 });
        }
        keys.push(new Headers(init.headers).get('idempotency-key'));
        if (drop) {
          drop = false;
          throw new TypeError('Failed to fetch'); // the connection dropped: appended or not, the app cannot tell
        }
        return new Response(JSON.stringify(appended), { status: 200 });
      }
      if (url === '/api/datasets/d1/snapshots') return new Response(JSON.stringify({ snapshots: [snapshot] }), { status: 200 });
      if (url.startsWith('/api/datasets/d1/accuracy')) return new Response(JSON.stringify(accuracy), { status: 200 });
      return new Response('{}', { status: 404 });
    };
    render(
      <ApiProvider client={createApiClient({ fetch, getToken: () => null })}>
        <QueryClientProvider client={new QueryClient()}>
          <AccuracyView datasetId="d1" onJobsSubmitted={() => undefined} />
        </QueryClientProvider>
      </ApiProvider>,
    );
    await screen.findByTestId('accuracy-portfolio');
    const pick = (name: string) => new File(['sku,date,sales\nA,2025-01-01,5\n'], name, { type: 'text/csv', lastModified: 7 });
    fireEvent.change(screen.getByTestId('actuals-input'), { target: { files: [pick('jan.csv')] } });
    fireEvent.click(await screen.findByTestId('actuals-apply'));
    await screen.findByRole('alert');
    // The check stays after a lost answer: Apply again is the same append.
    fireEvent.click(screen.getByTestId('actuals-apply'));
    await screen.findByText(/^1 SKU changed/);
    fireEvent.change(screen.getByTestId('actuals-input'), { target: { files: [pick('feb.csv')] } });
    fireEvent.click(await screen.findByTestId('actuals-apply'));
    await waitFor(() => expect(keys).toHaveLength(3));
    expect(checkKeys).toEqual([null, null]);
    expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
  });

  it('a check made on one dataset is dropped when another is chosen: nothing of its file is ever sent to the other', async () => {
    const appends: string[] = [];
    const fetch: FetchLike = async (url, init = {}) => {
      const m = /^\/api\/datasets\/(d[12])\/(.*)$/.exec(url);
      if (!m) return new Response('{}', { status: 404 });
      const [, id, rest] = m;
      if (rest.startsWith('actuals') && init.method === 'POST') {
        if (url.includes('dryRun=true')) return new Response(JSON.stringify({ ...appended, dryRun: true }), { status: 200 });
        appends.push(id);
        return new Response(JSON.stringify(appended), { status: 200 });
      }
      if (rest === 'snapshots') return new Response(JSON.stringify({ snapshots: [{ ...snapshot, datasetId: id }] }), { status: 200 });
      if (rest.startsWith('accuracy')) return new Response(JSON.stringify({ ...accuracy, snapshot: { ...snapshot, datasetId: id } }), { status: 200 });
      return new Response('{}', { status: 404 });
    };
    const client = createApiClient({ fetch, getToken: () => null });
    const queries = new QueryClient();
    const view = (datasetId: string) => (
      <ApiProvider client={client}>
        <QueryClientProvider client={queries}>
          <AccuracyView datasetId={datasetId} onJobsSubmitted={() => undefined} />
        </QueryClientProvider>
      </ApiProvider>
    );
    const { rerender } = render(view('d1'));
    await screen.findByTestId('accuracy-portfolio');
    fireEvent.change(screen.getByTestId('actuals-input'), { target: { files: [new File(['sku,date,sales\nA,2025-01-01,5\n'], 'd1.csv', { type: 'text/csv' })] } });
    await screen.findByTestId('actuals-apply');
    rerender(view('d2'));
    await waitFor(() => expect(screen.queryByTestId('actuals-apply')).toBeNull());
    expect(appends).toEqual([]);
  });
});
