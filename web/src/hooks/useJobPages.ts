/**
 * The popup's job list, paged from the server by cursor. Two modes:
 * - unfiltered: the first page is the live snapshot ForecastPage already polls (no extra request);
 *   later pages are asked for only when the list is scrolled to its end;
 * - filtered (status or SKU): the first page comes from `loadPage` and is reloaded when
 *   `refreshKey` (the queue summary) changes, one request at a time.
 * Rows are de-duplicated by id (a job can move between pages while the queue runs) and running
 * jobs always come first. Later pages are kept as loaded until the first page's total falls.
 * A failed request is retried by what it was for, not by its cursor: the first page, or the page
 * after the list's current end (the list may have started over since, and an old cursor would
 * append rows from past a gap).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Job, JobStatus, JobStatusQuery, JobStatusResponse } from '../api/types.js';

export interface JobFilter {
  status: JobStatus | 'all';
  sku: string;
  /** The dataset the dialog is scoped to (undefined: every dataset). Not a filter of `isFiltered`: the live snapshot is polled in that scope. */
  datasetId?: string;
}

export interface JobPagesInput {
  filter: JobFilter;
  live: { jobs: Job[]; total: number; nextCursor: string | null };
  loadPage: (query: JobStatusQuery) => Promise<JobStatusResponse>;
  refreshKey: string;
  pageSize?: number;
}

export interface JobPages {
  rows: Job[];
  total: number;
  hasMore: boolean;
  loading: boolean;
  error: string | null;
  loadMore: () => void;
  /** Asks again for the page whose request failed (`error`'s Retry). */
  retry: () => void;
}

interface Page {
  jobs: Job[];
  nextCursor: string | null;
  total: number;
}

export function isFiltered(filter: JobFilter): boolean {
  return filter.status !== 'all' || filter.sku.trim() !== '';
}

function toQuery(filter: JobFilter, pageSize: number, cursor: string | null): JobStatusQuery {
  return {
    status: filter.status === 'all' ? undefined : [filter.status],
    sku: filter.sku.trim() || undefined,
    datasetId: filter.datasetId,
    limit: pageSize,
    cursor: cursor ?? undefined,
  };
}

export function runningFirst(jobs: Job[]): Job[] {
  const seen = new Set<number>();
  const running: Job[] = [];
  const rest: Job[] = [];
  for (const job of jobs) {
    if (seen.has(job.id)) continue;
    seen.add(job.id);
    (job.status === 'running' ? running : rest).push(job);
  }
  return running.concat(rest);
}

export function useJobPages({ filter, live, loadPage, refreshKey, pageSize = 500 }: JobPagesInput): JobPages {
  const filtered = isFiltered(filter);
  const filterKey = `${filter.status}|${filter.sku.trim()}|${filter.datasetId ?? ''}`;
  const [first, setFirst] = useState<Page | null>(null);
  const [more, setMore] = useState<Page[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const busy = useRef<number | null>(null); // the generation with a request in flight
  const again = useRef<{ cursor: string | null; apply: (page: Page) => void } | null>(null);
  const failed = useRef<'first' | 'more' | null>(null);
  const fetchRef = useRef<(cursor: string | null, apply: (page: Page) => void) => Promise<void>>(async () => {});
  const generation = useRef(0);
  // Bumped when the pages beyond the first are dropped: a later page asked before belongs to the old list.
  const startedOver = useRef(0);

  // A new filter starts a new list.
  useEffect(() => {
    generation.current += 1;
    failed.current = null;
    setFirst(null);
    setMore([]);
    setError(null);
  }, [filterKey]);

  const fetchPage = useCallback(
    async (cursor: string | null, apply: (page: Page) => void) => {
      const gen = generation.current;
      if (busy.current === gen) {
        // One request per list at a time; the newest ask runs when this one returns.
        again.current = { cursor, apply };
        return;
      }
      busy.current = gen;
      setLoading(true);
      try {
        const page = await loadPage(toQuery(filter, pageSize, cursor));
        if (gen === generation.current) {
          apply({ jobs: page.jobs, nextCursor: page.nextCursor, total: page.total });
          failed.current = null;
          setError(null);
        }
      } catch (caught) {
        if (gen === generation.current) {
          failed.current = cursor === null ? 'first' : 'more';
          setError(caught instanceof Error ? caught.message : String(caught));
        }
      } finally {
        if (busy.current === gen) busy.current = null;
        setLoading(false);
        const next = again.current;
        again.current = null;
        if (next && gen === generation.current) void fetchRef.current(next.cursor, next.apply);
      }
    },
    // filterKey stands for filter
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [loadPage, filterKey, pageSize],
  );

  fetchRef.current = fetchPage;

  useEffect(() => {
    if (filtered) void fetchPage(null, setFirst);
  }, [filtered, fetchPage, refreshKey]);

  const head: Page | null = filtered ? first : { jobs: live.jobs, nextCursor: live.nextCursor, total: live.total };
  // Jobs left the list's scope (cleared, reset, or out of its status): the pages loaded beyond the
  // first may hold them, so the list starts over from its first page rather than show them.
  const headTotal = head?.total ?? 0;
  const lastTotal = useRef(headTotal);
  useEffect(() => {
    if (headTotal < lastTotal.current) {
      startedOver.current += 1;
      setMore([]);
      // A later page's failure was about the list dropped: its Retry would have nothing to ask.
      if (failed.current === 'more') {
        failed.current = null;
        setError(null);
      }
    }
    lastTotal.current = headTotal;
  }, [headTotal]);
  const last = more.length > 0 ? more[more.length - 1] : head;
  const hasMore = Boolean(last?.nextCursor);

  const loadMore = useCallback(() => {
    if (!last?.nextCursor) return;
    const list = startedOver.current;
    void fetchPage(last.nextCursor, (page) => {
      if (list === startedOver.current) setMore((pages) => [...pages, page]);
    });
  }, [last?.nextCursor, fetchPage]);

  const retry = useCallback(() => {
    if (failed.current === 'first') void fetchPage(null, setFirst);
    else if (failed.current === 'more') loadMore();
  }, [fetchPage, loadMore]);

  const rows = useMemo(() => runningFirst([...(head?.jobs ?? []), ...more.flatMap((p) => p.jobs)]), [head?.jobs, more]);

  return {
    rows,
    total: head?.total ?? 0,
    hasMore,
    loading: loading || (filtered && first === null && error === null),
    error,
    loadMore,
    retry,
  };
}
