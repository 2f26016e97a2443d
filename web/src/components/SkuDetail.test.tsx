// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setFormatLocale } from '../format.js';
import { ApiProvider } from '../api/ApiContext.js';
import { createApiClient, type FetchLike } from '../api/client.js';
import { queryKeys } from '../api/query-keys.js';
import type { Job } from '../api/types.js';
import type { DataHandlers } from '../hooks/useDataHandlers.js';
import { SkuDetail } from './SkuDetail.js';

// The chart (uPlot on a canvas) is not what these tests look at, only whether it is told the forecast is loading or failed.
const chartLoading = vi.hoisted(() => [] as unknown[]);
const chartFailed = vi.hoisted(() => [] as unknown[]);
vi.mock('./ForecastChart.js', () => ({
  ForecastChart: ({ forecastLoading, forecastFailed }: { forecastLoading?: boolean; forecastFailed?: boolean }) => {
    chartLoading.push(forecastLoading);
    chartFailed.push(forecastFailed);
    return null;
  },
}));

const run = (modelId: string, mae: number, warnings: string[] = []) => ({
  modelId, method: 'grid', jobId: 1, finishedAt: 1, parameters: {}, aicc: null, warnings,
  metrics: { mae, rmse: mae, mape: 1, smape: 1, mase: 1, wape: 1, bias: 0 },
});
const series = { sku: 'A', attributes: {}, dates: ['2024-01-01'], original: [1], cleaned: [1], edits: [], length: 1, volume: 1, demandClass: 'smooth', outliers: [] };
const forecastItem = {
  sku: 'A', bestModel: 'ensemble+ets', selectedBy: 'metric', error: 12.5, forecast: null, backtest: null,
  selection: { how: 'weighted mean of all 2 models (ensemble, ets: ensemble 60%, the other 40%), each scored by rolling-origin cross-validation (3 origins, each tuned on the data before it)', members: ['ensemble', 'ets'] },
  models: [run('ensemble', 14), run('ets', 9)],
};
const modelInfo = { models: [{ id: 'ensemble', name: 'Ensemble (SES + dynamic Theta + damped trend + CES + ARIMA)' }, { id: 'damped_trend', name: 'Damped trend' }, { id: 'ets', name: 'ETS (automatic exponential smoothing)' }], methods: [] };
const dataset = { id: 'd1', name: 'D', frequency: 'monthly', settings: { metric: 'mae', holdout: 6 }, report: {}, skuCount: 1, createdAt: 1, updatedAt: 1 };

function stubFetch(over: { series?: unknown; item?: unknown } = {}): { fetch: FetchLike; calls: string[] } {
  const calls: string[] = [];
  const shownSeries = over.series ?? series;
  const item = over.item === undefined ? forecastItem : over.item;
  const fetch: FetchLike = async (url, init) => {
    calls.push(`${init?.method ?? 'GET'} ${url}`);
    const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    if (url === '/api/datasets/d1/skus/A/override') return json({ sku: 'A', modelId: 'ets' });
    if (url === '/api/datasets/d1/skus/A') return json(shownSeries);
    if (url.startsWith('/api/datasets/d1/forecasts')) return json({ portfolio: { wape: 1, bias: 0, skus: 1, skusWithForecast: 1 }, total: 1, items: [item] });
    if (url === '/api/datasets/d1') return json(dataset);
    if (url === '/api/models') return json(modelInfo);
    return new Response(JSON.stringify({ error: 'not here' }), { status: 404 });
  };
  return { fetch, calls };
}

const handlers = { busy: false, error: null } as unknown as DataHandlers;

function renderSku(fetch: FetchLike, client: QueryClient, jobs: Job[] = []): void {
  render(
    <ApiProvider client={createApiClient({ fetch, getToken: () => null })}>
      <QueryClientProvider client={client}>
        <SkuDetail datasetId="d1" sku="A" jobs={jobs} handlers={handlers} />
      </QueryClientProvider>
    </ApiProvider>,
  );
}

beforeEach(() => setFormatLocale('en-US'));
afterEach(() => {
  cleanup();
  setFormatLocale(undefined);
});

describe('SkuDetail', () => {
  it('says how the forecast was chosen and its own error, not "best by metric"', async () => {
    const { fetch } = stubFetch();
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    renderSku(fetch, client);
    await screen.findByTestId('shown-row');
    const head = document.querySelector('.sku-head')!.textContent!;
    expect(head).toContain('ensemble+ets (all 2 models: ensemble kept at 60%, the other at 40%) · MAE 12.5');
    expect(head).not.toMatch(/best/);
    expect(screen.getByTestId('shown-error').getAttribute('title')).toMatch(/^Cross-validation error of the forecast shown/);
  });

  it('"Use" refreshes the SKU list too: its error and its order by error change at once', async () => {
    const { fetch, calls } = stubFetch();
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    // A page of the SKU list as SkuList caches it.
    client.setQueryData(queryKeys.skus('d1', { sort: 'error', order: 'asc' }), { pages: [], pageParams: [] });
    renderSku(fetch, client);
    const use = await screen.findByRole('button', { name: 'Use ets' });
    await act(async () => {
      fireEvent.click(use);
    });
    expect(calls).toContain('PUT /api/datasets/d1/skus/A/override');
    await vi.waitFor(() => expect(client.getQueryState(queryKeys.skus('d1', { sort: 'error', order: 'asc' }))?.isInvalidated).toBe(true));
  });

  it('names the periods whose value is provisional (summed from part of the period), and nothing when none is', async () => {
    const provisional = { '2024-01-01': { from: '2024-01-01', to: '2024-01-10', value: 0 } };
    renderSku(stubFetch({ series: { ...series, provisional } }).fetch, new QueryClient({ defaultOptions: { queries: { retry: false } } }));
    const note = await screen.findByTestId('provisional-note');
    expect(note.textContent).toBe('Provisional: Jan 1, 2024 (data from Jan 1, 2024 to Jan 10, 2024 only); the next actuals that cover that period whole replace it. The models train on whole periods: the forecast starts at Jan 1, 2024.');
    cleanup();
    // A provisional period inside the history (a later file passed over it) is trained on: no such sentence.
    const inside = { ...series, dates: ['2024-01-01', '2024-02-01'], original: [1, 2], cleaned: [1, 2], length: 2 };
    renderSku(stubFetch({ series: { ...inside, provisional } }).fetch, new QueryClient({ defaultOptions: { queries: { retry: false } } }));
    expect((await screen.findByTestId('provisional-note')).textContent).toBe('Provisional: Jan 1, 2024 (data from Jan 1, 2024 to Jan 10, 2024 only); the next actuals that cover that period whole replace it.');
    cleanup();
    renderSku(stubFetch({ series: { ...series, provisional: {} } }).fetch, new QueryClient({ defaultOptions: { queries: { retry: false } } }));
    await screen.findByTestId('shown-row');
    expect(screen.queryByTestId('provisional-note')).toBeNull();
  });

  it('a pinned model of a SKU read as stopped says why its forecast is 0; a pinned one otherwise shows no sentence', async () => {
    const how = 'chosen by the planner; no demand in the last 12 months, after sales in 24 of the 24 months before (were it still selling, a run this long had a chance of under 0.1%): forecast as inactive, 0 with no spread';
    const pinned = { ...forecastItem, bestModel: 'croston', selectedBy: 'override', selection: { how, members: ['croston'] }, inactive: { zeros: 12, sales: 24, periods: 24, chance: 1e-9 } };
    renderSku(stubFetch({ item: pinned }).fetch, new QueryClient({ defaultOptions: { queries: { retry: false } } }));
    expect((await screen.findByTestId('selection-how')).textContent).toBe(how);
    cleanup();
    const active = { ...pinned, selection: { how: 'chosen by the planner', members: ['croston'] }, inactive: null };
    renderSku(stubFetch({ item: active }).fetch, new QueryClient({ defaultOptions: { queries: { retry: false } } }));
    await screen.findByTestId('shown-row');
    expect(screen.queryByTestId('selection-how')).toBeNull();
  });

  it("lists the notes of the shown forecast's models beside how it was chosen, each once after the names of the models that left it (was: none reached the page)", async () => {
    const shrunk = 'seasonal pattern (every 12 periods) reduced to 63% of its estimated size: the rest is estimated to be noise';
    const zeros = '40% of the history is zero (intermittent demand); croston, sba or tsb usually suit it better';
    const how = 'weighted mean of ensemble (kept for every SKU, weight 60%) and the other model (40%) with the lowest error in rolling-origin cross-validation (3 origins, each tuned on the data before it)';
    const mixed = {
      ...forecastItem, bestModel: 'ensemble+damped_trend', selection: { how, members: ['ensemble', 'damped_trend'] },
      models: [run('ensemble', 14, [`exponential smoothing, dynamic Theta and CES members: ${shrunk}`, zeros]), run('damped_trend', 12, [shrunk, zeros]), run('ets', 9, ['not in the shown forecast'])],
    };
    renderSku(stubFetch({ item: mixed }).fetch, new QueryClient({ defaultOptions: { queries: { retry: false } } }));
    const notes = await screen.findByRole('list', { name: 'Notes on the models of the shown forecast' });
    // Named as Settings names the models, once /api/models has answered.
    await vi.waitFor(() => expect(within(notes).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      `⚠ Ensemble (SES + dynamic Theta + damped trend + CES + ARIMA): exponential smoothing, dynamic Theta and CES members: ${shrunk}`,
      `⚠ Ensemble (SES + dynamic Theta + damped trend + CES + ARIMA), Damped trend: ${zeros}`,
      `⚠ Damped trend: ${shrunk}`,
    ]));
    // Right after the title's sentence on how the forecast was chosen.
    expect(notes.previousElementSibling).toBe(document.querySelector('.sku-head'));
    expect(screen.getByTestId('selection-how').textContent).toBe(how);
    // A model outside the shown forecast keeps its note in its own row of the table only.
    expect(notes.textContent).not.toContain('not in the shown forecast');
    expect(screen.getAllByTestId('model-notes').map((n) => n.dataset.model).sort()).toEqual(['damped_trend', 'ensemble', 'ets']);
  });

  it('says no note the sentence on the choice already says (a stopped SKU), and shows no list when the shown models left none', async () => {
    const stopped = 'no demand in the last 12 months, after sales in 24 of the 24 months before (were it still selling, a run this long had a chance of under 0.1%): forecast as inactive, 0 with no spread';
    const pinned = {
      ...forecastItem, bestModel: 'ets', selectedBy: 'override', selection: { how: `chosen by the planner; ${stopped}`, members: ['ets'] },
      inactive: { zeros: 12, sales: 24, periods: 24, chance: 1e-9 }, models: [run('ensemble', 14, ['a note of the ensemble']), run('ets', 9, [stopped])],
    };
    renderSku(stubFetch({ item: pinned }).fetch, new QueryClient({ defaultOptions: { queries: { retry: false } } }));
    await screen.findByTestId('selection-how');
    expect(screen.queryByTestId('forecast-notes')).toBeNull();
    cleanup();
    renderSku(stubFetch().fetch, new QueryClient({ defaultOptions: { queries: { retry: false } } }));
    await screen.findByTestId('shown-row');
    expect(screen.queryByTestId('forecast-notes')).toBeNull();
  });

  it('a SKU too short to forecast says so, instead of "no forecast yet" forever', async () => {
    // 3 monthly points: the API skipped its jobs (any model needs 4, whatever the holdout).
    const short = { ...series, dates: ['2024-10-01', '2024-11-01', '2024-12-01'], original: [4, 5, 6], cleaned: [4, 5, 6], length: 3 };
    const empty = { sku: 'A', bestModel: null, selectedBy: null, selection: null, error: null, forecast: null, backtest: null, inactive: null, models: [] };
    const { fetch } = stubFetch({ series: short, item: empty });
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    renderSku(fetch, client);
    const note = await screen.findByTestId('too-short');
    expect(note.textContent).toContain('3 periods of history; at least 4 needed');
    expect(note.textContent).not.toMatch(/holdout/);
    expect(document.body.textContent).not.toMatch(/No forecast yet|No model has finished/);
  });

  it('says the models are loading, not "No model has finished", while the forecasts are asked for', async () => {
    const year = Array.from({ length: 12 }, (_, i) => i + 1);
    const long = { ...series, dates: year.map((m) => `2024-${String(m).padStart(2, '0')}-01`), original: year, cleaned: year, length: 12 };
    const { fetch: answered } = stubFetch({ series: long });
    let answer: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (answer = resolve));
    const fetch: FetchLike = async (url, init) => {
      if (url.startsWith('/api/datasets/d1/forecasts')) await held;
      return answered(url, init);
    };
    renderSku(fetch, new QueryClient({ defaultOptions: { queries: { retry: false } } }));
    await screen.findByRole('heading', { name: 'Models' });
    expect(document.body.textContent).not.toMatch(/No model has finished/);
    expect(screen.getByTestId('models-loading').textContent).toBe('Loading models…');
    // The chart's caption says so too, not "no forecast yet" (chartCaption).
    await vi.waitFor(() => expect(chartLoading.at(-1)).toBe(true));
    answer();
    await screen.findByTestId('shown-row');
    expect(screen.queryByTestId('models-loading')).toBeNull();
    expect(chartLoading.at(-1)).toBe(false);
  });

  it('a failed forecast request says "Could not load the forecast" with a Retry that asks again, and tells the chart it failed', async () => {
    const { fetch: answered } = stubFetch();
    let fail = true;
    const fetch: FetchLike = async (url, init) => {
      if (fail && url.startsWith('/api/datasets/d1/forecasts')) return new Response(JSON.stringify({ error: 'the store is busy', details: [] }), { status: 503 });
      return answered(url, init);
    };
    renderSku(fetch, new QueryClient({ defaultOptions: { queries: { retry: false } } }));
    const failed = await screen.findByRole('alert');
    expect(failed.textContent).toMatch(/^Could not load the forecast: the store is busy/);
    // The chart's caption says it could not be loaded, not "no forecast yet" (chartCaption).
    await vi.waitFor(() => expect(chartFailed.at(-1)).toBe(true));
    // Nor do the empty states it replaces say there is nothing (was: "No forecast yet." and "No model has finished" beside the error).
    expect(document.body.textContent).not.toMatch(/No forecast yet|No model has finished|Too short/);
    fail = false;
    fireEvent.click(within(failed.closest<HTMLElement>('[data-testid="load-error"]')!).getByRole('button', { name: 'Retry' }));
    await screen.findByTestId('shown-row');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(chartFailed.at(-1)).toBe(false);
  });

  it('a failed series request says "Could not load <SKU>" with a Retry that asks again', async () => {
    const { fetch: answered } = stubFetch();
    let fail = true;
    const fetch: FetchLike = async (url, init) => {
      if (fail && url === '/api/datasets/d1/skus/A') return new Response(JSON.stringify({ error: 'the store is busy', details: [] }), { status: 503 });
      return answered(url, init);
    };
    renderSku(fetch, new QueryClient({ defaultOptions: { queries: { retry: false } } }));
    const failed = await screen.findByRole('alert');
    expect(failed.textContent).toMatch(/^Could not load A: the store is busy/);
    fail = false;
    fireEvent.click(within(failed.closest<HTMLElement>('[data-testid="load-error"]')!).getByRole('button', { name: 'Retry' }));
    await screen.findByTestId('shown-row');
    expect(screen.queryByRole('alert')).toBeNull();
  });
});


describe('SkuDetail of an unknown SKU', () => {
  it('a 404 offers no Retry (the answer would be the same) but a link back to the dataset\'s SKU list, and names no internal id (was: "Could not load NOPE: no SKU \'NOPE\' in dataset \'ds_…\'" with Retry)', async () => {
    const { fetch: answered } = stubFetch();
    const fetch: FetchLike = async (url, init) => {
      if (url === '/api/datasets/d1/skus/A') return new Response(JSON.stringify({ error: "no SKU 'A' in dataset 'd1'", details: [] }), { status: 404 });
      return answered(url, init);
    };
    window.history.replaceState(null, '', '/datasets/d1/skus/A');
    renderSku(fetch, new QueryClient({ defaultOptions: { queries: { retry: false } } }));
    const missing = await screen.findByTestId('sku-missing');
    expect(screen.getByRole('alert').textContent).toBe('No SKU “A” in this dataset: the link may be old, or the SKU is named otherwise.');
    expect(within(missing).queryByRole('button', { name: /Retry/ })).toBeNull();
    const back = within(missing).getByRole('link', { name: 'Back to the SKU list' });
    expect(back.getAttribute('href')).toBe('/datasets/d1');
    fireEvent.click(back);
    expect(window.location.pathname).toBe('/datasets/d1');
  });

  it('says "Optimizing" while an import\'s jobs run, the SKU\'s first optimization, and "Re-optimizing" for an edit\'s or an actuals append\'s (was: "Re-optimizing" on the first run; planner walkthrough, finding 11)', async () => {
    const job = (id: number, reason: string, priority: number) => ({
      id, batchId: 'b', datasetId: 'd1', sku: 'A', modelId: 'ets', method: 'grid', reason, priority, status: 'pending', progress: 0, attempts: 0, maxAttempts: 3,
      error: null, createdAt: 1, updatedAt: 1, startedAt: null, finishedAt: null, workerId: null,
    }) as unknown as Job;
    const cases: Array<[Job[], string]> = [
      [[job(1, 'dataset_upload', 3), job(2, 'dataset_upload', 3)], 'Optimizing: 2 jobs (priority 3)'],
      [[job(3, 'actuals_append', 3)], 'Re-optimizing: 1 job (priority 3)'],
      [[job(4, 'manual_edit_data_cleaning', 1), job(5, 'dataset_upload', 3)], 'Re-optimizing: 2 jobs (priority 1)'],
    ];
    for (const [jobs, said] of cases) {
      const { fetch } = stubFetch();
      renderSku(fetch, new QueryClient({ defaultOptions: { queries: { retry: false } } }), jobs);
      expect((await screen.findByTestId('reoptimizing')).textContent).toBe(said);
      cleanup();
    }
  });
});
