// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../api/ApiContext.js';
import { createApiClient, type FetchLike } from '../api/client.js';
import { queryKeys } from '../api/query-keys.js';
import type { SkuSeries } from '../api/types.js';
import { useDataHandlers } from './useDataHandlers.js';

const series: SkuSeries = {
  sku: 'A', attributes: {}, dates: ['2024-01-01'], original: [5], cleaned: [9], edits: { '0': 9 }, provisional: {}, length: 1, volume: 9, demandClass: 'smooth', outliers: [],
};

function setup(reply: (url: string, init: RequestInit) => Response) {
  const requests: Array<{ url: string; method: string; body: string | null; contentType: string | null }> = [];
  const fetch: FetchLike = async (url, init = {}) => {
    requests.push({ url, method: init.method ?? 'GET', body: (init.body as string) ?? null, contentType: new Headers(init.headers).get('content-type') });
    return reply(url, init);
  };
  const queryClient = new QueryClient();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <ApiProvider client={createApiClient({ fetch, getToken: () => null })}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </ApiProvider>
  );
  const onJobsSubmitted = vi.fn();
  const onDatasetCreated = vi.fn();
  const hook = renderHook(() => useDataHandlers({ datasetId: 'd1', onJobsSubmitted, onDatasetCreated }), { wrapper });
  return { hook, requests, queryClient, onJobsSubmitted, onDatasetCreated };
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('useDataHandlers', () => {
  it('an edited point is PATCHed, the series cache updated and the poller nudged', async () => {
    const { hook, requests, queryClient, onJobsSubmitted } = setup(() => json({ series, batchId: 'b', jobsCreated: 5, jobsCancelled: 5 }));
    let answer: unknown;
    await act(async () => {
      answer = await hook.result.current.handleEditPoint('A', '2024-01-01', 9);
    });
    expect(requests).toEqual([{ url: '/api/datasets/d1/skus/A', method: 'PATCH', body: JSON.stringify({ edits: [{ date: '2024-01-01', value: 9 }] }), contentType: 'application/json' }]);
    expect(answer).toMatchObject({ jobsCreated: 5 });
    expect(queryClient.getQueryData(queryKeys.series('d1', 'A'))).toEqual(series);
    expect(onJobsSubmitted).toHaveBeenCalledTimes(1);
  });

  it('accepting outliers sends their dates, or true for all of them', async () => {
    const { hook, requests } = setup(() => json({ series, batchId: 'b', jobsCreated: 1, jobsCancelled: 0 }));
    await act(async () => {
      await hook.result.current.handleAcceptOutliers('A', ['2024-01-01']);
      await hook.result.current.handleAcceptOutliers('A');
    });
    expect(requests.map((r) => JSON.parse(r.body!))).toEqual([{ acceptOutliers: ['2024-01-01'] }, { acceptOutliers: true }]);
  });

  it('an upload posts the CSV as text/csv and opens the new dataset', async () => {
    const { hook, requests, onDatasetCreated, onJobsSubmitted } = setup(() => json({ datasetId: 'd2', report: {}, jobsCreated: 10 }, 201));
    await act(async () => {
      await hook.result.current.handleDataUpload('sku,date,qty\nA,2024-01-01,1\n', { name: 'my file' });
    });
    expect(requests[0].method).toBe('POST');
    expect(requests[0].contentType).toBe('text/csv');
    expect(requests[0].body).toBe('sku,date,qty\nA,2024-01-01,1\n');
    const query = new URL(requests[0].url, 'http://x').searchParams;
    expect(Object.fromEntries(query)).toEqual({ name: 'my file', dryRun: 'false', createJobs: 'true' });
    expect(onDatasetCreated).toHaveBeenCalledWith('d2');
    expect(onJobsSubmitted).toHaveBeenCalled();
  });

  it('a refused request becomes handlers.error with the field named', async () => {
    const { hook, onJobsSubmitted } = setup(() => json({ error: 'invalid edits', details: [{ path: 'edits[0].date', message: 'not a date of this SKU' }] }, 400));
    await act(async () => {
      expect(await hook.result.current.handleEditPoint('A', '1999-01-01', 1)).toBeNull();
    });
    expect(hook.result.current.error?.status).toBe(400);
    expect(hook.result.current.error?.body?.details?.[0].path).toBe('edits[0].date');
    expect(onJobsSubmitted).not.toHaveBeenCalled();
  });
});
