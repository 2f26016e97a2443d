// @vitest-environment jsdom
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Job, JobStatusQuery, JobStatusResponse, JobSummary } from '../api/types.js';
import { useJobPages, type JobPagesInput } from './useJobPages.js';

const summary: JobSummary = { pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0, isOptimizing: false, progress: 0, etaSeconds: null };

function job(id: number): Job {
  return {
    id, batchId: 'b', datasetId: 'd', sku: `S${id}`, modelId: 'ets', method: 'grid', reason: 'dataset_upload', priority: 3, status: 'completed',
    progress: 100, attempts: 1, maxAttempts: 3, error: null, createdAt: 1, updatedAt: 1, startedAt: null, finishedAt: null, workerId: null,
  };
}
const page = (ids: number[], total: number, nextCursor: string | null): JobStatusResponse => ({ jobs: ids.map(job), total, summary, nextCursor });

afterEach(cleanup);

/** An unfiltered list whose live first page the test replaces; each later page waits for the test to answer it. */
function scrolledList() {
  const asked: Array<{ cursor: string | undefined; answer: (p: JobStatusResponse) => void; fail: (e: Error) => void }> = [];
  const loadPage = vi.fn(
    (query: JobStatusQuery) => new Promise<JobStatusResponse>((answer, fail) => asked.push({ cursor: query.cursor ?? undefined, answer, fail })),
  );
  const props = (live: JobPagesInput['live']): JobPagesInput => ({ filter: { status: 'all', sku: '' }, live, loadPage, refreshKey: '' });
  const hook = renderHook((p: JobPagesInput) => useJobPages(p), { initialProps: props({ jobs: [job(1), job(2)], total: 10, nextCursor: 'c2' }) });
  return { ...hook, asked, props };
}

describe('useJobPages', () => {
  it("a scrolled list's page that failed: Retry asks for it again and adds it", async () => {
    const { result, asked } = scrolledList();
    act(() => result.current.loadMore());
    await act(async () => asked[0]!.fail(new Error('the API answered 503')));
    expect(result.current.error).toBe('the API answered 503');
    act(() => result.current.retry());
    expect(asked.map((a) => a.cursor)).toEqual(['c2', 'c2']);
    await act(async () => asked[1]!.answer(page([3, 4], 10, 'c4')));
    expect(result.current.error).toBeNull();
    expect(result.current.rows.map((j) => j.id)).toEqual([1, 2, 3, 4]);
  });

  it('once the list starts over (its total fell: a clear), a later page that failed is not asked by its old cursor: no rows from past a gap (was: Retry appended c2\'s page after the new head)', async () => {
    const { result, asked, rerender, props } = scrolledList();
    act(() => result.current.loadMore());
    await act(async () => asked[0]!.fail(new Error('the API answered 503')));
    expect(result.current.error).toBe('the API answered 503');
    // A clear: the head moves on, the pages beyond it are dropped.
    rerender(props({ jobs: [job(30), job(40)], total: 5, nextCursor: 'c9' }));
    // The failure was about the list dropped: nothing to say or retry.
    expect(result.current.error).toBeNull();
    act(() => result.current.retry());
    act(() => result.current.loadMore());
    expect(asked.map((a) => a.cursor)).toEqual(['c2', 'c9']);
  });

  it('a later page asked before the list started over is not added after the new head (was: its rows, from past a gap)', async () => {
    const { result, asked, rerender, props } = scrolledList();
    act(() => result.current.loadMore());
    rerender(props({ jobs: [job(30), job(40)], total: 5, nextCursor: 'c9' }));
    await act(async () => asked[0]!.answer(page([3, 4], 10, 'c4')));
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(result.current.rows.map((j) => j.id)).toEqual([30, 40]);
    expect(result.current.hasMore).toBe(true);
  });
});
