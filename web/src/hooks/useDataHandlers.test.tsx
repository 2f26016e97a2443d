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

describe('useDataHandlers: an Idempotency-Key per planner action', () => {
  /** Answers from `replies` in order; `null`: the connection drops (fetch throws), the answer never comes. */
  function keyed(replies: Array<Response | null>) {
    const sent: Array<{ url: string; key: string | null }> = [];
    const fetch: FetchLike = async (url, init = {}) => {
      sent.push({ url, key: new Headers(init.headers).get('idempotency-key') });
      const reply = replies.shift();
      if (!reply) throw new TypeError('Failed to fetch');
      return reply;
    };
    const waits: number[] = [];
    const wrapper = ({ children }: { children: ReactNode }) => (
      <ApiProvider client={createApiClient({ fetch, getToken: () => null, wait: async (ms) => void waits.push(ms) })}>
        <QueryClientProvider client={new QueryClient()}>{children}</QueryClientProvider>
      </ApiProvider>
    );
    const hook = renderHook(() => useDataHandlers({ datasetId: 'd1' }), { wrapper });
    return { hook, sent, waits };
  }
  const created = () => json({ datasetId: 'd2', report: {}, jobsCreated: 1 }, 201);
  const inFlight = () => new Response(JSON.stringify({
    error: 'a request with this Idempotency-Key is still in progress', code: 'conflict_retry',
    details: [{ path: 'headers.idempotency-key', message: 'another request with this key has not answered yet' }],
  }), { status: 409, headers: { 'content-type': 'application/json', 'retry-after': '5' } });

  it('Import pressed again after an answer that never came sends the same key (the API replays the first dataset); the next import a new one', async () => {
    const { hook, sent } = keyed([null, created(), created()]);
    const file = new File(['sku,date,qty\nA,2024-01-01,1\n'], 'sales.csv', { type: 'text/csv', lastModified: 1 });
    await act(async () => {
      expect(await hook.result.current.handleDataUpload(file, { name: 'sales' }, 'sales.csv')).toBeNull();
    });
    expect(hook.result.current.error?.status).toBe(0);
    // The same file picked again (another File object of the same file), the same options.
    const again = new File(['sku,date,qty\nA,2024-01-01,1\n'], 'sales.csv', { type: 'text/csv', lastModified: 1 });
    await act(async () => {
      expect(await hook.result.current.handleDataUpload(again, { name: 'sales' }, 'sales.csv')).toMatchObject({ datasetId: 'd2' });
    });
    await act(async () => {
      await hook.result.current.handleDataUpload(again, { name: 'sales' }, 'sales.csv');
    });
    const [first, retry, next] = sent.map((s) => s.key);
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(retry).toBe(first);
    expect(next).not.toBe(first);
    expect(next).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('other options, or a refusal (a 4xx gives the key back), make a new key; a 5xx keeps it', async () => {
    const refused = () => json({ error: 'no columns', code: 'invalid_request', details: [{ path: 'mapping.sku', message: 'no column' }] }, 400);
    const { hook, sent } = keyed([new Response('{}', { status: 502 }), refused(), created(), created()]);
    const csv = 'sku,date,qty\nA,2024-01-01,1\n';
    await act(async () => {
      await hook.result.current.handleDataUpload(csv, { name: 'a' });
      await hook.result.current.handleDataUpload(csv, { name: 'a' }); // after the 502: the same key
      await hook.result.current.handleDataUpload(csv, { name: 'a' }); // after the 400: a new one
      await hook.result.current.handleDataUpload(csv, { name: 'b' }); // other options: a new one
    });
    const keys = sent.map((s) => s.key);
    expect(keys[1]).toBe(keys[0]);
    expect(new Set(keys).size).toBe(3);
  });

  it('the sample: a second press after a dropped answer replays; while the first is still at work the app waits Retry-After and asks again', async () => {
    const { hook, sent, waits } = keyed([null, inFlight(), inFlight(), created()]);
    await act(async () => {
      expect(await hook.result.current.handleLoadSample()).toBeNull();
      expect(await hook.result.current.handleLoadSample()).toMatchObject({ datasetId: 'd2' });
    });
    expect(sent.map((s) => s.url)).toEqual(Array(4).fill('/api/datasets/sample'));
    expect(new Set(sent.map((s) => s.key)).size).toBe(1);
    expect(waits).toEqual([5000, 5000]);
    expect(hook.result.current.error).toBeNull();
  });

  it('a dry run (the preview) stores nothing and sends no key', async () => {
    const { hook, sent } = keyed([json({ dryRun: true, datasetId: null, report: {} })]);
    await act(async () => {
      await hook.result.current.previewUpload('sku,date,qty\nA,2024-01-01,1\n', { name: 'a' });
    });
    expect(sent).toEqual([{ url: '/api/datasets?name=a&dryRun=true', key: null }]);
  });
});
