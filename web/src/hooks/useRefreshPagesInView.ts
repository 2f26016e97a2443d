/**
 * Refresh only the pages of an infinite list that are on screen. While a queue drains, every few
 * seconds something in a dataset's SKU list changes (a best model's error); invalidating the
 * infinite query would refetch every page loaded so far, one after another (250 requests for a
 * planner who scrolled through 50,000 SKUs), every 3 s. Instead, each change of `refreshKey`
 * asks again for the page(s) the rows in view came from (one, at most two) and patches them into
 * the cached pages in place. Pages out of view stay as loaded until the queue goes idle, when the
 * caller invalidates the whole list once.
 *
 * Modes: idle; refreshing (one refresh at a time: a tick that arrives meanwhile is dropped, the
 * next one catches up). Nothing is patched while the query itself is fetching (its result wins).
 */
import { useQueryClient, type InfiniteData, type QueryKey } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';

export interface RefreshPagesInViewInput<P extends { items: unknown[] }> {
  queryKey: QueryKey;
  /** Changes when the list should be refreshed; undefined or unchanged: nothing happens. */
  refreshKey: number | undefined;
  /** The first and last row index in view (over the pages' items, in order). */
  firstRow: number;
  lastRow: number;
  /** Fetch the page that starts at `offset` (a pageParam of the infinite query). */
  load: (offset: number) => Promise<P>;
}

/** The pageParams of the pages that hold rows firstRow..lastRow. */
export function offsetsInView<P extends { items: unknown[] }>(data: InfiniteData<P, number>, firstRow: number, lastRow: number): number[] {
  const offsets: number[] = [];
  let start = 0;
  data.pages.forEach((page, index) => {
    const end = start + page.items.length;
    if (end > firstRow && start <= lastRow) offsets.push(data.pageParams[index]);
    start = end;
  });
  return offsets;
}

export function useRefreshPagesInView<P extends { items: unknown[] }>(input: RefreshPagesInViewInput<P>): void {
  const queryClient = useQueryClient();
  const latest = useRef(input);
  latest.current = input;
  const seen = useRef(input.refreshKey);
  const busy = useRef(false);

  useEffect(() => {
    if (input.refreshKey === seen.current) return;
    seen.current = input.refreshKey;
    const { queryKey, firstRow, lastRow, load } = latest.current;
    if (busy.current || queryClient.isFetching({ queryKey, exact: true }) > 0) return;
    const data = queryClient.getQueryData<InfiniteData<P, number>>(queryKey);
    if (!data || lastRow < 0) return;
    const offsets = offsetsInView(data, firstRow, lastRow);
    if (offsets.length === 0) return;
    busy.current = true;
    void (async () => {
      try {
        for (const offset of offsets) {
          const page = await load(offset);
          if (queryClient.isFetching({ queryKey, exact: true }) > 0) return;
          queryClient.setQueryData<InfiniteData<P, number>>(queryKey, (current) => {
            const at = current ? current.pageParams.indexOf(offset) : -1;
            if (!current || at < 0) return current;
            return { ...current, pages: current.pages.map((p, i) => (i === at ? page : p)) };
          });
        }
      } catch {
        // The rows shown stay as they were; the next tick, or the refetch when the queue is idle, tries again.
      } finally {
        busy.current = false;
      }
    })();
  }, [input.refreshKey, queryClient]);
}
