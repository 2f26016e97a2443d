// @vitest-environment jsdom
import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FetchLike } from '../api/client.js';
import type { JobStatusResponse } from '../api/types.js';
import type { Visibility } from './job-status-poller.js';
import { useBackendJobStatus } from './useBackendJobStatus.js';

function body(pending: number, running: number, completed = 0): JobStatusResponse {
  const jobs = Array.from({ length: running + pending }, (_, i) => ({
    id: i + 1,
    batchId: 'b1',
    datasetId: 'd1',
    sku: `SKU-${i}`,
    modelId: 'ses',
    method: 'grid',
    reason: 'dataset_upload',
    priority: 3,
    status: i < running ? ('running' as const) : ('pending' as const),
    progress: i < running ? 40 : 0,
    attempts: i < running ? 1 : 0,
    maxAttempts: 3,
    error: null,
    createdAt: 1,
    updatedAt: 1,
    startedAt: null,
    finishedAt: null,
    workerId: null,
  }));
  return {
    total: pending + running + completed,
    summary: {
      pending,
      running,
      completed,
      failed: 0,
      cancelled: 0,
      isOptimizing: pending + running > 0,
      progress: completed === 0 ? 0 : Math.round((100 * completed) / (pending + running + completed)),
      etaSeconds: null,
    },
    jobs,
    nextCursor: null,
  };
}

type Reply = { status: number; body?: JobStatusResponse; etag?: string } | 'network-down' | 'hang';

/** A scripted server: records each request, its If-None-Match, and how many were in flight at once. */
function stubServer(replies: Reply[], fallback: Reply) {
  const calls: Array<{ url: string; ifNoneMatch: string | null; at: number }> = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const pending: Array<() => void> = [];
  const fetch: FetchLike = async (url, init) => {
    const headers = new Headers(init?.headers);
    calls.push({ url, ifNoneMatch: headers.get('if-none-match'), at: Date.now() });
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const reply = replies.shift() ?? fallback;
    try {
      if (reply === 'hang') await new Promise<void>((resolve) => pending.push(resolve));
      if (reply === 'network-down' || reply === 'hang') throw new TypeError('fetch failed');
      const headersOut: Record<string, string> = {};
      if (reply.etag) headersOut.etag = reply.etag;
      if (reply.status === 304) return new Response(null, { status: 304, headers: headersOut });
      return new Response(JSON.stringify(reply.body ?? { error: 'down' }), {
        status: reply.status,
        headers: { ...headersOut, 'content-type': 'application/json' },
      });
    } finally {
      inFlight -= 1;
    }
  };
  return { fetch, calls, maxInFlight: () => maxInFlight, release: () => pending.splice(0).forEach((r) => r()) };
}

function fakeVisibility() {
  let hidden = false;
  const listeners = new Set<() => void>();
  const visibility: Visibility = {
    isHidden: () => hidden,
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
  return {
    visibility,
    setHidden(value: boolean) {
      hidden = value;
      listeners.forEach((fn) => fn());
    },
  };
}

const tick = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));

describe('useBackendJobStatus', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('polls every 2 s while jobs are pending or running and every 10 s when idle', async () => {
    const server = stubServer(
      [
        { status: 200, body: body(3, 1), etag: '"v1"' },
        { status: 200, body: body(2, 1, 1), etag: '"v2"' },
        { status: 200, body: body(0, 0, 4), etag: '"v3"' },
      ],
      { status: 304, etag: '"v3"' },
    );
    const { visibility } = fakeVisibility();
    const { result, unmount } = renderHook(() => useBackendJobStatus({ fetch: server.fetch, visibility }));
    await tick(0);
    expect(server.calls).toHaveLength(1);
    expect(result.current.summary.pending).toBe(3);
    expect(result.current.jobs[0].status).toBe('running');

    await tick(1999);
    expect(server.calls).toHaveLength(1);
    await tick(1);
    expect(server.calls).toHaveLength(2);
    await tick(2000);
    expect(server.calls).toHaveLength(3);
    expect(result.current.summary.isOptimizing).toBe(false);
    expect(result.current.summary.completed).toBe(4);

    // Idle now: nothing for 10 s.
    await tick(9999);
    expect(server.calls).toHaveLength(3);
    await tick(1);
    expect(server.calls).toHaveLength(4);
    unmount();
  });

  it('sends the last ETag and a 304 changes nothing', async () => {
    const server = stubServer([{ status: 200, body: body(1, 1), etag: '"v7"' }], { status: 304, etag: '"v7"' });
    const { visibility } = fakeVisibility();
    let renders = 0;
    const { result, unmount } = renderHook(() => {
      renders += 1;
      return useBackendJobStatus({ fetch: server.fetch, visibility });
    });
    await tick(0);
    const snapshot = result.current.jobs;
    const rendersAfterFirst = renders;
    await tick(2000);
    await tick(2000);
    expect(server.calls).toHaveLength(3);
    expect(server.calls[0].ifNoneMatch).toBeNull();
    expect(server.calls[1].ifNoneMatch).toBe('"v7"');
    expect(server.calls[2].ifNoneMatch).toBe('"v7"');
    expect(result.current.jobs).toBe(snapshot);
    expect(renders).toBe(rendersAfterFirst);
    unmount();
  });

  it('never has two requests in flight, even when refresh is called during one', async () => {
    const server = stubServer(['hang'], { status: 200, body: body(1, 0), etag: '"a"' });
    const { visibility } = fakeVisibility();
    const { result, unmount } = renderHook(() => useBackendJobStatus({ fetch: server.fetch, visibility }));
    await tick(0);
    expect(server.calls).toHaveLength(1);
    act(() => {
      result.current.refresh();
      result.current.refresh();
    });
    await tick(60_000);
    expect(server.calls).toHaveLength(1);
    expect(server.maxInFlight()).toBe(1);
    // When the hung request fails, the refresh asked for meanwhile runs at once (one request).
    server.release();
    await tick(0);
    expect(server.calls).toHaveLength(2);
    expect(server.maxInFlight()).toBe(1);
    expect(result.current.apiDown).toBe(false);
    unmount();
  });

  it('backs off exponentially while the API is down and recovers by itself', async () => {
    const server = stubServer(
      ['network-down', 'network-down', { status: 503 }, 'network-down'],
      { status: 200, body: body(0, 1), etag: '"up"' },
    );
    const { visibility } = fakeVisibility();
    const { result, unmount } = renderHook(() => useBackendJobStatus({ fetch: server.fetch, visibility }));
    await tick(0);
    expect(result.current.apiDown).toBe(true);
    expect(result.current.error).toMatch(/cannot be reached/);
    // Delays after failures 1..4: 2 s, 4 s, 8 s, 16 s.
    await tick(2000);
    expect(server.calls).toHaveLength(2);
    await tick(3999);
    expect(server.calls).toHaveLength(2);
    await tick(1);
    expect(server.calls).toHaveLength(3);
    expect(result.current.apiDown).toBe(true);
    await tick(8000);
    expect(server.calls).toHaveLength(4);
    await tick(15_999);
    expect(server.calls).toHaveLength(4);
    await tick(1);
    expect(server.calls).toHaveLength(5);
    expect(result.current.apiDown).toBe(false);
    expect(result.current.error).toBeNull();
    expect(result.current.summary.running).toBe(1);
    // Back to the active cadence.
    await tick(2000);
    expect(server.calls).toHaveLength(6);
    unmount();
  });

  it('says it is retrying while a poll after a failed one is in flight, and only then (a Retry says "Retrying…")', async () => {
    const server = stubServer([{ status: 500 }, 'hang'], { status: 200, body: body(0, 1), etag: '"up"' });
    const { visibility } = fakeVisibility();
    const { result, unmount } = renderHook(() => useBackendJobStatus({ fetch: server.fetch, visibility }));
    await tick(0);
    expect(result.current.error).not.toBeNull();
    expect(result.current.retrying).toBe(false);
    act(() => result.current.refresh());
    await tick(0);
    expect(server.calls).toHaveLength(2);
    expect(result.current.retrying).toBe(true);
    server.release(); // it fails again
    await tick(0);
    expect(result.current.retrying).toBe(false);
    await tick(4000);
    expect(result.current.loaded).toBe(true);
    expect(result.current.retrying).toBe(false);
    // Polls that follow a success do not say it.
    await tick(2000);
    expect(server.calls).toHaveLength(4);
    expect(result.current.retrying).toBe(false);
    unmount();
  });

  it('caps the back-off', async () => {
    const server = stubServer([], 'network-down');
    const { visibility } = fakeVisibility();
    const { unmount } = renderHook(() => useBackendJobStatus({ fetch: server.fetch, visibility, maxBackoffMs: 30_000 }));
    await tick(0);
    await tick(2000 + 4000 + 8000 + 16_000);
    expect(server.calls).toHaveLength(5);
    await tick(30_000);
    expect(server.calls).toHaveLength(6);
    await tick(30_000);
    expect(server.calls).toHaveLength(7);
    unmount();
  });

  it('pauses in a hidden tab and polls at once when it is visible again', async () => {
    const server = stubServer([], { status: 200, body: body(2, 1), etag: '"x"' });
    const tab = fakeVisibility();
    const { unmount } = renderHook(() => useBackendJobStatus({ fetch: server.fetch, visibility: tab.visibility }));
    await tick(0);
    expect(server.calls).toHaveLength(1);
    act(() => tab.setHidden(true));
    await tick(60_000);
    expect(server.calls).toHaveLength(1);
    act(() => tab.setHidden(false));
    await tick(0);
    expect(server.calls).toHaveLength(2);
    await tick(2000);
    expect(server.calls).toHaveLength(3);
    unmount();
  });

  it('stops polling when unmounted', async () => {
    const server = stubServer([], { status: 200, body: body(1, 1), etag: '"z"' });
    const { visibility } = fakeVisibility();
    const { unmount } = renderHook(() => useBackendJobStatus({ fetch: server.fetch, visibility }));
    await tick(0);
    unmount();
    await tick(20_000);
    expect(server.calls).toHaveLength(1);
  });
});
