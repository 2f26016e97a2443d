// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../api/ApiContext.js';
import { createApiClient, type FetchLike } from '../api/client.js';
import type { Job } from '../api/types.js';
import type { DataHandlers } from '../hooks/useDataHandlers.js';
import { ForecastsView } from './ForecastsView.js';

afterEach(cleanup);

const dataset = (holdout: number) => ({ id: 'd1', name: 'D', frequency: 'monthly', settings: { metric: 'mae', holdout }, report: {}, skuCount: 49, createdAt: 1, updatedAt: 1 });

function renderView(portfolio: object, holdout = 6, jobs: Job[] = []) {
  const fetch: FetchLike = async (url) => {
    const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    if (url.startsWith('/api/datasets/d1/forecasts')) return json({ portfolio, total: 2, items: [] });
    if (url.startsWith('/api/datasets/d1/skus')) return json({ total: 0, items: [] });
    if (url === '/api/datasets/d1') return json(dataset(holdout));
    return new Response(JSON.stringify({ error: 'not here' }), { status: 404 });
  };
  render(
    <ApiProvider client={createApiClient({ fetch, getToken: () => null })}>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <ForecastsView datasetId="d1" sku={null} onSelectSku={vi.fn()} datasetsLoading={false} jobs={jobs} handlers={{} as DataHandlers} onUpload={vi.fn()} />
      </QueryClientProvider>
    </ApiProvider>,
  );
}

describe('ForecastsView', () => {
  it('says over how many SKUs the portfolio WAPE is, when some forecasts have no backtest, and why in its tooltip (was: 9.1% over the easy SKUs alone, unsaid)', async () => {
    renderView({ wape: 9.1, bias: 1, skus: 50, skusWithForecast: 49, skusWithBacktest: 25 });
    const scope = await screen.findByTestId('portfolio-scope');
    expect(scope.textContent).toBe('over 25 of 49 SKUs with a backtest');
    expect(scope.parentElement!.getAttribute('title')).toMatch(/too short for its model to hold out any point/);
  });

  it('says nothing more when every forecast has a backtest', async () => {
    renderView({ wape: 9.1, bias: 1, skus: 50, skusWithForecast: 49, skusWithBacktest: 49 });
    await screen.findByText('9.1%');
    await screen.findByText('49 / 50');
    expect(screen.queryByTestId('portfolio-scope')).toBeNull();
  });

  it('with holdout 0, says why WAPE and bias are "–": no forecast has a backtest', async () => {
    renderView({ wape: null, bias: null, skus: 50, skusWithForecast: 49, skusWithBacktest: 0 }, 0);
    expect((await screen.findByTestId('portfolio-scope')).textContent).toBe('no backtest: the holdout is 0');
    expect(screen.getByTestId('portfolio-bias').textContent).toBe('–');
  });

  it('right after holdout 0 is saved, names the figures as those of the forecasts from before, never "the holdout is 0" beside a WAPE (was: "WAPE 9.1%" beside "no backtest: the holdout is 0")', async () => {
    renderView({ wape: 9.1, bias: 1, skus: 50, skusWithForecast: 49, skusWithBacktest: 49 }, 0);
    await screen.findByText('9.1%');
    const scope = await screen.findByTestId('portfolio-scope');
    expect(scope.textContent).toBe('over 49 of 49 SKUs: forecasts from before the holdout of 0');
    expect(scope.textContent).not.toMatch(/holdout is 0/);
  });

  it('from holdout 0 to 6, while the forecasts are rerun, says so rather than blame the histories or the holdout', async () => {
    const open = { id: 1, datasetId: 'd1', sku: 'A', status: 'pending' } as Job;
    renderView({ wape: null, bias: null, skus: 50, skusWithForecast: 49, skusWithBacktest: 0 }, 6, [open]);
    expect((await screen.findByTestId('portfolio-scope')).textContent).toBe('no backtest yet: the forecasts are being rerun');
    cleanup();
    renderView({ wape: null, bias: null, skus: 50, skusWithForecast: 49, skusWithBacktest: 0 }, 6);
    expect((await screen.findByTestId('portfolio-scope')).textContent).toBe('no SKU with a backtest');
  });

  it('shows the portfolio bias with its unit, a percentage like the WAPE beside it', async () => {
    const fetch: FetchLike = async (url) => {
      const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
      if (url.startsWith('/api/datasets/d1/forecasts')) return json({ portfolio: { wape: 27.7, bias: -3.09, skus: 2, skusWithForecast: 2, skusWithBacktest: 2 }, total: 2, items: [] });
      if (url.startsWith('/api/datasets/d1/skus')) return json({ total: 0, items: [] });
      return new Response(JSON.stringify({ error: 'not here' }), { status: 404 });
    };
    render(
      <ApiProvider client={createApiClient({ fetch, getToken: () => null })}>
        <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
          <ForecastsView datasetId="d1" sku={null} onSelectSku={vi.fn()} datasetsLoading={false} jobs={[]} handlers={{} as DataHandlers} onUpload={vi.fn()} />
        </QueryClientProvider>
      </ApiProvider>,
    );
    await screen.findByText('27.7%');
    expect(screen.getByTestId('portfolio-bias').textContent).toBe('-3.1%');
    // A holdout backtest, named so and told apart from "How did we do"'s WAPE against actuals (was: "Portfolio WAPE", read as that one).
    const wape = screen.getByTestId('portfolio-wape');
    expect(wape.querySelector('dt')!.textContent).toBe('Backtest WAPE');
    expect(wape.getAttribute('title')).toMatch(/^Holdout backtest: .*Not the forecast against actuals that came later: "How did we do" scores that, as WAPE against actuals\.$/);
    expect(screen.getByTestId('portfolio-bias').previousElementSibling!.textContent).toBe('Backtest bias');
  });

  it('says how many SKUs a cancelled settings change left with forecasts of other settings, and queues what is missing in one click', async () => {
    const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    const none = { skus: 0, jobs: 0, examples: [] as string[] };
    const outOfDate = { skus: 2_500, jobs: 12_500, examples: ['BEVERAGE-1025', 'BEVERAGE-1026', 'BEVERAGE-1027', 'BEVERAGE-1028', 'BEVERAGE-1029'] };
    let unmet = { ...outOfDate, outOfDate, neverRan: none, failed: none };
    const posted: string[] = [];
    const fetch: FetchLike = async (url, init) => {
      if (url.startsWith('/api/datasets/d1/unmet-work')) {
        if (init?.method === 'POST') {
          posted.push(url);
          const queued = { ...unmet, batchId: 'b-1', jobsCreated: unmet.jobs, jobsReused: 0 };
          unmet = { ...none, outOfDate: none, neverRan: none, failed: none }; // covered by the jobs just queued
          return json(queued);
        }
        return json(unmet);
      }
      if (url.startsWith('/api/datasets/d1/forecasts')) return json({ portfolio: { wape: 10, bias: 1, skus: 3_000, skusWithForecast: 3_000 }, total: 3_000, items: [] });
      if (url.startsWith('/api/datasets/d1/skus')) return json({ total: 0, items: [] });
      return new Response(JSON.stringify({ error: 'not here' }), { status: 404 });
    };
    const submitted = vi.fn();
    render(
      <ApiProvider client={createApiClient({ fetch, getToken: () => null })}>
        <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
          <ForecastsView datasetId="d1" sku={null} onSelectSku={vi.fn()} datasetsLoading={false} jobs={[]} handlers={{} as DataHandlers} onUpload={vi.fn()} onJobsSubmitted={submitted} />
        </QueryClientProvider>
      </ApiProvider>,
    );
    const notice = await screen.findByTestId('unmet-work');
    // The tile alone read "3,000 / 3,000" and looked finished.
    await waitFor(() => expect(notice.textContent).toMatch(/^2,500 of 3,000 SKUs have forecasts not made with the current settings and data \(BEVERAGE-1025, .*, …\)/));
    fireEvent.click(screen.getByRole('button', { name: 'Queue the missing 12,500 jobs' }));
    await waitFor(() => expect(screen.queryByTestId('unmet-work')).toBeNull());
    expect(posted).toEqual(['/api/datasets/d1/unmet-work']);
    expect(submitted).toHaveBeenCalled();
  });

  it('says a model that failed on the current input apart, with no button to queue it again, and a model that never ran apart', async () => {
    const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    const none = { skus: 0, jobs: 0, examples: [] as string[] };
    let unmet = { ...none, outOfDate: none, neverRan: none, failed: { skus: 1, jobs: 1, examples: ['A'] } };
    const fetch: FetchLike = async (url) => {
      if (url.startsWith('/api/datasets/d1/unmet-work')) return json(unmet);
      if (url.startsWith('/api/datasets/d1/forecasts')) return json({ portfolio: { wape: 10, bias: 1, skus: 3, skusWithForecast: 3 }, total: 3, items: [] });
      if (url.startsWith('/api/datasets/d1/skus')) return json({ total: 0, items: [] });
      return new Response(JSON.stringify({ error: 'not here' }), { status: 404 });
    };
    const view = () => (
      <ApiProvider client={createApiClient({ fetch, getToken: () => null })}>
        <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
          <ForecastsView datasetId="d1" sku={null} onSelectSku={vi.fn()} datasetsLoading={false} jobs={[]} handlers={{} as DataHandlers} onUpload={vi.fn()} />
        </QueryClientProvider>
      </ApiProvider>
    );
    const first = render(view());
    const notice = await screen.findByTestId('unmet-work');
    await waitFor(() => expect(notice.textContent).toMatch(/^1 of 3 SKUs has a model that failed on the current settings and data \(A\)/));
    expect(notice.textContent).not.toMatch(/not made with|cancelled/);
    expect(screen.queryByRole('button', { name: /Queue the missing/ })).toBeNull();
    first.unmount();

    unmet = { ...none, skus: 3, jobs: 6, examples: ['A', 'B', 'C'], outOfDate: none, neverRan: { skus: 3, jobs: 6, examples: ['A', 'B', 'C'] }, failed: none };
    render(view());
    const never = await screen.findByTestId('unmet-work');
    await waitFor(() => expect(never.textContent).toMatch(/^3 of 3 SKUs have models with no forecast yet \(A, B, C\), and nothing is queued for them/));
    expect(never.textContent).not.toMatch(/not made with|failed/);
    screen.getByRole('button', { name: 'Queue the missing 6 jobs' });
  });
});
