// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiProvider } from '../api/ApiContext.js';
import { createApiClient, type FetchLike } from '../api/client.js';
import { AccuracyView } from './AccuracyView.js';

/** AccuracyView's Apply after the dataset changed since the check (409 naming basedOn); AccuracyView.test.tsx holds the rest. */
const snapshot = { id: 3, datasetId: 'd1', mark: 10, cause: 'import', createdAt: 1, historyEnd: '2024-12-01', forecastStart: '2025-01-01', forecastEnd: '2025-12-01', skuCount: 1, skusWithForecast: 1, bytes: 100, portfolio: { wape: 10, bias: 1 }, name: null };
const figures = { wape: 10, bias: -2.5, mae: 4, points: 6, coverage80: 83.3, coverage95: 100 };
const accuracy = {
  snapshot, actuals: null, portfolio: figures, byStep: [{ step: 1, ...figures }], total: 1,
  summed: { wape: 4.2, bias: -2.5, points: 3 }, by: null, attributes: [], groups: [], items: [{ sku: 'A', model: 'naive', absError: 1, ...figures }],
};
const answer = (skusChanged: number, datasetUpdatedAt: number) => ({
  report: { warnings: [] }, skusChanged, skusAdded: 0, periodsAdded: skusChanged, valuesRevised: 0, jobsCreated: skusChanged,
  partial: { provisional: 0, kept: 0, settled: 0, values: [] }, datasetUpdatedAt,
});
const stale = { error: 'dataset d1 changed since the check; check the file again', code: 'conflict_state', details: [{ path: 'basedOn', message: 'the check was of the dataset as at 100, and it is at 200 now' }] };

afterEach(cleanup);

describe('AccuracyView: Apply after the dataset changed since the check', () => {
  it('a 409 naming basedOn checks the same file with the same options again and shows the new check, saying why; Apply then sends the new basedOn (was: the same stale basedOn, refused forever)', async () => {
    const urls: string[] = [];
    let updatedAt = 100;
    const fetch: FetchLike = async (url, init = {}) => {
      if (url.startsWith('/api/datasets/d1/actuals') && init.method === 'POST') {
        urls.push(url);
        if (url.includes('dryRun=true')) return new Response(JSON.stringify({ ...answer(updatedAt === 100 ? 1 : 2, updatedAt), dryRun: true }), { status: 200 });
        // Another append lands between the first check and Apply.
        if (url.includes('basedOn=100')) {
          updatedAt = 200;
          return new Response(JSON.stringify(stale), { status: 409 });
        }
        return new Response(JSON.stringify(answer(2, 201)), { status: 200 });
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
    fireEvent.click(screen.getByTestId('actuals-absent-zero'));
    fireEvent.change(screen.getByTestId('actuals-input'), { target: { files: [new File(['sku,date,sales\nA,2025-01-01,5\n'], 'jan.csv')] } });
    expect((await screen.findByTestId('actuals-check-summary')).textContent).toMatch(/1 SKU/);
    fireEvent.click(screen.getByTestId('actuals-apply'));
    // The new check, shown with why: not a refusal to press Apply against again.
    expect((await screen.findByTestId('actuals-check-changed')).textContent).toMatch(/The dataset changed since the file was checked/);
    await waitFor(() => expect(screen.getByTestId('actuals-check-summary').textContent).toMatch(/2 SKUs/));
    expect(screen.queryByTestId('actuals-refused')).toBeNull();
    fireEvent.click(screen.getByTestId('actuals-apply'));
    await screen.findByText(/^2 SKUs changed/);
    expect(screen.queryByTestId('actuals-check-changed')).toBeNull();
    expect(urls).toEqual([
      '/api/datasets/d1/actuals?absentSkus=zero&dryRun=true',
      '/api/datasets/d1/actuals?absentSkus=zero&basedOn=100',
      '/api/datasets/d1/actuals?absentSkus=zero&dryRun=true',
      '/api/datasets/d1/actuals?absentSkus=zero&basedOn=200',
    ]);
  });
});
