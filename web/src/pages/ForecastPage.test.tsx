// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../api/ApiContext.js';
import { createApiClient, type FetchLike } from '../api/client.js';
import type { JobStatusResponse } from '../api/types.js';
import { ForecastPage } from './ForecastPage.js';

const statusBody: JobStatusResponse = {
  total: 2,
  summary: { pending: 1, running: 1, completed: 0, failed: 0, cancelled: 0, isOptimizing: true, progress: 25, etaSeconds: 30 },
  jobs: [
    { id: 1, batchId: 'b', datasetId: 'd1', sku: 'SKU-1', modelId: 'ets', method: 'grid', reason: 'dataset_upload', priority: 3, status: 'running', progress: 50, attempts: 1, maxAttempts: 3, error: null, createdAt: 1, updatedAt: 1, startedAt: 1, finishedAt: null, workerId: 'w' },
    { id: 2, batchId: 'b', datasetId: 'd1', sku: 'SKU-2', modelId: 'ets', method: 'grid', reason: 'dataset_upload', priority: 3, status: 'pending', progress: 0, attempts: 0, maxAttempts: 3, error: null, createdAt: 1, updatedAt: 1, startedAt: null, finishedAt: null, workerId: null },
  ],
  nextCursor: null,
};

/** A stub API: job status (or "down"), an empty dataset list; records every URL asked for. */
function stubApi() {
  const urls: string[] = [];
  let down = false;
  const fetch: FetchLike = async (url) => {
    urls.push(url);
    if (down) throw new TypeError('fetch failed');
    const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json', etag: '"1"' } });
    if (url.startsWith('/api/jobs/status')) return json(statusBody);
    if (url === '/api/datasets') return json({ datasets: [] });
    return new Response(JSON.stringify({ error: 'not here' }), { status: 404 });
  };
  return { fetch, urls, setDown: (value: boolean) => (down = value) };
}

function renderPage(fetch: FetchLike) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <ApiProvider client={createApiClient({ fetch, getToken: () => null })}>
      <QueryClientProvider client={queryClient}>
        <ForecastPage />
      </QueryClientProvider>
    </ApiProvider>,
  );
}

const tick = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));
/** Lets answers read through Node streams (real setImmediate) arrive and render (react-query notifies on a timer). */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await act(() => new Promise<void>((resolve) => setImmediate(resolve)));
    await tick(10);
  }
}

describe('ForecastPage', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
    history.replaceState(null, '', '/');
  });

  it('is the only reader of job status: badge and popup show its snapshot without polling themselves', async () => {
    const api = stubApi();
    renderPage(api.fetch);
    await tick(0);
    expect(screen.getByTestId('queue-badge').textContent).toContain('1 running');
    expect(screen.getByText('No data yet')).toBeTruthy();

    fireEvent.click(screen.getByTestId('queue-badge'));
    await tick(0);
    expect(screen.getAllByTestId('job-row').map((r) => r.dataset.status)).toEqual(['running', 'pending']);

    await tick(10_000);
    const statusCalls = api.urls.filter((u) => u.startsWith('/api/jobs/status'));
    // The first poll plus one every 2 s: nothing else asked for status.
    expect(statusCalls).toHaveLength(6);
    expect(new Set(statusCalls)).toEqual(new Set(['/api/jobs/status?limit=100']));
  });

  it('shows a banner while the API is down and clears it by itself when it is back', async () => {
    const api = stubApi();
    api.setDown(true);
    renderPage(api.fetch);
    await tick(0);
    expect(screen.getByTestId('api-down-banner').textContent).toMatch(/not reachable/);
    api.setDown(false);
    await tick(2000);
    expect(screen.queryByTestId('api-down-banner')).toBeNull();
    expect(screen.getByTestId('queue-badge').textContent).toContain('1 pending');
  });

  it('refetches the portfolio tile once when the queue goes idle, and it agrees with "all done"', async () => {
    // openapi-fetch reads bodies through Node streams, which need a real setImmediate.
    vi.useRealTimers();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const urls: string[] = [];
    let running = true;
    const dataset = { id: 'd1', name: 'D', frequency: 'monthly', settings: { metric: 'mae', holdout: 6 }, report: {}, skuCount: 2, createdAt: 1, updatedAt: 1 };
    const fetch: FetchLike = async (url) => {
      urls.push(url);
      const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
      if (url.startsWith('/api/jobs/status')) {
        return json(
          running
            ? statusBody
            : { ...statusBody, summary: { pending: 0, running: 0, completed: 2, failed: 0, cancelled: 0, isOptimizing: false, progress: 100, etaSeconds: null }, jobs: [] },
        );
      }
      if (url === '/api/datasets') return json({ datasets: [dataset] });
      if (url === '/api/datasets/d1/forecasts?limit=1') {
        return json({ portfolio: { wape: 10, bias: 0, skus: 2, skusWithForecast: running ? 0 : 2 }, total: 2, items: [] });
      }
      return new Response(JSON.stringify({ error: 'not here' }), { status: 404 });
    };
    renderPage(fetch);
    await settle();
    expect(screen.getByTestId('skus-with-forecast').textContent).toBe('0 / 2');
    running = false;
    await tick(2000); // the next status poll says idle
    await settle(); // ... and the refetch at idle is answered
    expect(screen.getByTestId('queue-badge').textContent).toContain('0 running');
    expect(screen.getByTestId('skus-with-forecast').textContent).toBe('2 / 2');
    const portfolioCalls = () => urls.filter((u) => u === '/api/datasets/d1/forecasts?limit=1').length;
    const atIdle = portfolioCalls();
    await tick(10_000);
    // No second refetch "after the API's cache window": the one at idle already counted every job.
    expect(portfolioCalls()).toBe(atIdle);
  });

  it('a cold deep link says the datasets are loading, never "No dataset yet" nor "Upload a dataset", until the list answers', async () => {
    vi.useRealTimers();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const dataset = { id: 'd1', name: 'Shop', frequency: 'monthly', settings: { metric: 'mae', holdout: 6, horizon: 12, models: ['ets'], method: 'grid' }, report: {}, skuCount: 2, createdAt: 1, updatedAt: 1 };
    const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    const pages: Array<[string, RegExp]> = [
      ['/datasets/d1/skus/SKU-1', /No dataset yet|No data yet/],
      ['/datasets/d1/settings', /No dataset yet|Upload a dataset/],
      ['/accuracy', /No dataset yet|Upload a dataset/],
      ['/totals', /No dataset yet|Upload a dataset/],
    ];
    for (const [path, empty] of pages) {
      history.replaceState(null, '', path);
      let answer: (r: Response) => void = () => undefined;
      const datasetsAnswered = new Promise<Response>((resolve) => (answer = resolve));
      const fetch: FetchLike = async (url) => {
        if (url.startsWith('/api/jobs/status')) return json(statusBody);
        if (url === '/api/datasets') return datasetsAnswered;
        return new Response(JSON.stringify({ error: 'not here' }), { status: 404 });
      };
      renderPage(fetch);
      await settle();
      expect(document.body.textContent, path).not.toMatch(empty);
      expect(screen.getByRole('combobox', { name: 'Dataset' }).textContent, path).toBe('Loading datasets…');
      answer(json({ datasets: [dataset] }));
      await settle();
      expect(screen.getByRole('combobox', { name: 'Dataset' }).textContent, path).toBe('Shop · 2 SKUs');
      expect(document.body.textContent, path).not.toMatch(empty);
      cleanup();
    }
  });

  it('a datasets list that failed says so, not "No dataset yet" nor "Upload a dataset", in the picker (with a Retry), Settings, Accuracy and Totals', async () => {
    vi.useRealTimers();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    for (const path of ['/settings', '/accuracy', '/totals']) {
      history.replaceState(null, '', path);
      const fetch: FetchLike = async (url) => {
        if (url.startsWith('/api/jobs/status')) return json(statusBody);
        if (url === '/api/datasets') return json({ error: 'database unreachable', details: [] }, 503);
        return json({ error: 'not here' }, 404);
      };
      renderPage(fetch);
      await settle();
      expect(document.body.textContent, path).not.toMatch(/No dataset yet|Upload a dataset|Loading datasets/);
      // The picker says it with its own Retry; the page's message is the one alert.
      expect(screen.queryByRole('combobox', { name: 'Dataset' }), path).toBeNull();
      const picker = screen.getByTestId('dataset-picker-error');
      expect(within(picker).getByTestId('load-error-message').textContent, path).toMatch(/^Could not load datasets: .+/);
      expect(within(picker).getByRole('button', { name: 'Retry' }), path).toBeTruthy();
      expect(screen.getByRole('alert').textContent, path).toMatch(/^Could not load datasets: .+/);
      cleanup();
    }
  });

  it('a datasets list that failed has a Retry on Forecasts, Settings, Accuracy and Totals that asks for the list again (Forecasts said "No data yet")', async () => {
    vi.useRealTimers();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    const dataset = { id: 'd1', name: 'Shop', frequency: 'monthly', settings: { metric: 'mae', holdout: 6, horizon: 12, models: ['ets'], method: 'grid' }, report: {}, skuCount: 2, createdAt: 1, updatedAt: 1 };
    for (const path of ['/', '/settings', '/accuracy', '/totals']) {
      history.replaceState(null, '', path);
      let fail = true;
      const fetch: FetchLike = async (url) => {
        if (url.startsWith('/api/jobs/status')) return json(statusBody);
        if (url === '/api/datasets') return fail ? json({ error: 'database unreachable', details: [] }, 503) : json({ datasets: [dataset] });
        return json({ error: 'not here' }, 404);
      };
      renderPage(fetch);
      await settle();
      expect(document.body.textContent, path).not.toMatch(/No data yet|No dataset yet|Upload a dataset/);
      const failed = screen.getByRole('alert');
      expect(failed.textContent, path).toMatch(/^Could not load datasets: database unreachable/);
      fail = false;
      fireEvent.click(within(failed.closest<HTMLElement>('[data-testid="load-error"]')!).getByRole('button', { name: 'Retry' }));
      await settle();
      expect(screen.getByRole('combobox', { name: 'Dataset' }).textContent, path).toBe('Shop · 2 SKUs');
      expect(screen.queryAllByRole('alert').map((a) => a.textContent).filter((t) => /Could not load datasets/.test(t ?? '')), path).toEqual([]);
      cleanup();
    }
  });

  it('a cold link to the queue says its jobs are loading, not "No jobs match.", until the first status poll answers', async () => {
    vi.useRealTimers();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    history.replaceState(null, '', '/datasets/d1/queue');
    const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    let answer: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (answer = resolve));
    const fetch: FetchLike = async (url) => {
      if (url.startsWith('/api/jobs/status')) {
        await held;
        return json(statusBody);
      }
      if (url === '/api/datasets') return json({ datasets: [] });
      return new Response(JSON.stringify({ error: 'not here' }), { status: 404 });
    };
    renderPage(fetch);
    await settle();
    const dialog = screen.getByRole('dialog');
    expect(dialog.textContent).not.toMatch(/No jobs match/);
    expect(dialog.textContent).toContain('Loading jobs…');
    // The badge too: a placeholder, not the empty summary's "0 running 0 pending 0 done".
    expect(screen.getByTestId('queue-badge-unknown')).toBeTruthy();
    expect(screen.getByTestId('queue-badge').textContent).not.toMatch(/\d/);
    answer();
    await settle();
    expect(screen.getAllByTestId('job-row').map((r) => r.dataset.status)).toEqual(['running', 'pending']);
    expect(screen.getByTestId('queue-badge').textContent).toMatch(/1 running1 pending0 done/);
    expect(screen.queryByTestId('queue-badge-unknown')).toBeNull();
  });
  it('scopes the queue dialog to the selected dataset (its own poll, by datasetId) until "All datasets" is ticked', async () => {
    vi.useRealTimers();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    history.replaceState(null, '', '/datasets/d1/queue');
    const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    const other = { ...statusBody.jobs[1], id: 3, datasetId: 'd2', sku: 'OTHER-1' };
    const whole: JobStatusResponse = { ...statusBody, total: 3, summary: { ...statusBody.summary, pending: 2 }, jobs: [...statusBody.jobs, other] };
    const dataset = (id: string, name: string) => ({ id, name, frequency: 'weekly', skuCount: 1, rowCount: 1, createdAt: 1, firstDate: '2025-01-06', lastDate: '2025-06-23' });
    const urls: string[] = [];
    const fetch: FetchLike = async (url) => {
      urls.push(url);
      if (url.startsWith('/api/jobs/status')) return json(url.includes('datasetId=d1') ? statusBody : whole);
      if (url === '/api/datasets') return json({ datasets: [dataset('d1', 'Sample A'), dataset('d2', 'Sample B')] });
      return new Response(JSON.stringify({ error: 'not here' }), { status: 404 });
    };
    renderPage(fetch);
    await settle();
    expect(screen.getByRole('dialog', { name: 'Queue · Sample A' })).toBeTruthy();
    expect(urls).toContain('/api/jobs/status?limit=100&datasetId=d1');
    expect(screen.getByRole('button', { name: 'All (2)' })).toBeTruthy();
    expect(screen.getAllByTestId('job-row')).toHaveLength(2);
    // The badge stays the whole queue's.
    expect(screen.getByTestId('queue-badge').textContent).toMatch(/2 pending/);

    fireEvent.click(screen.getByRole('checkbox', { name: 'All datasets' }));
    await settle();
    expect(screen.getByRole('dialog', { name: 'Queue · all datasets' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'All (3)' })).toBeTruthy();
    expect(screen.getAllByTestId('job-row').map((r) => within(r).getByText(/^Sample [AB]$/).textContent)).toEqual(['Sample A', 'Sample A', 'Sample B']);
  });
});

