// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
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

describe('ForecastPage', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
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
});
