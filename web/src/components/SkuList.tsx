import { useInfiniteQuery } from '@tanstack/react-query';
import { defaultRangeExtractor, observeElementRect, useVirtualizer, type Range } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useApi } from '../api/ApiContext.js';
import { queryKeys } from '../api/query-keys.js';
import type { SkuPage, SkuQuery, SkuSort, SkuSummary } from '../api/types.js';
import { formatCount, formatNumber } from '../format.js';
import { useRefreshPagesInView } from '../hooks/useRefreshPagesInView.js';
import { shownErrorTitle } from './choice-label.js';
import { SkuName } from './SkuName.js';
import { LoadError } from './LoadError.js';
import { Sparkline } from './Sparkline.js';

const sorts: Array<{ id: SkuSort; label: string; order: 'asc' | 'desc' }> = [
  { id: 'volume', label: 'Volume', order: 'desc' },
  { id: 'error', label: 'Forecast error', order: 'desc' },
  { id: 'demandClass', label: 'Demand class', order: 'asc' },
  { id: 'sku', label: 'SKU', order: 'asc' },
];

export const SKU_PAGE_SIZE = 200;
export const SKU_ROW_HEIGHT = 58;
/** Ask for the next page while this many loaded rows are still below the view. */
const prefetchRows = 60;

export interface SkuListProps {
  datasetId: string;
  selected: string | null;
  /** `replace`: chosen for the planner (the first SKU) or stepped to with the arrow keys. */
  onSelect: (sku: string, options?: { replace?: boolean }) => void;
  /**
   * Changes while the queue runs: the rows in view are refreshed (their page only, not every page
   * loaded). A full refetch is the caller's invalidation of queryKeys.skus(datasetId).
   */
  refreshKey?: number;
  /** The viewport size before layout is measured (jsdom in tests has no layout). */
  initialHeight?: number;
}

/**
 * The SKUs of a dataset: search, sort, a sparkline each. A listbox, one Tab stop: arrow keys,
 * Page Up/Down, Home and End move the focus and the selection, Enter and Space select the focused
 * row when it is not the selected one (the first match of a search, reached with Tab). Pages of
 * the API's offset cursor are loaded as the list scrolls (useInfiniteQuery: a page is fetched
 * once, not the whole list again), and only the rows in view are in the DOM, so 50,000 SKUs
 * scroll like 50.
 */
export function SkuList({ datasetId, selected, onSelect, refreshKey, initialHeight = 600 }: SkuListProps) {
  const api = useApi();
  const [searchInput, setSearchInput] = useState('');
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<SkuSort>('volume');
  const [order, setOrder] = useState<'asc' | 'desc'>('desc');
  const scrollRef = useRef<HTMLDivElement>(null);
  const focusSku = useRef<string | null>(null);

  useEffect(() => {
    const handle = setTimeout(() => setSearch(searchInput.trim()), 250);
    return () => clearTimeout(handle);
  }, [searchInput]);

  const params: SkuQuery = { search: search || undefined, sort, order };
  // Under queryKeys.skus(datasetId), so invalidating a dataset's SKUs refetches the loaded pages.
  const queryKey = [...queryKeys.skus(datasetId, params), 'pages'];
  const loadPage = (offset: number) => api.skus(datasetId, { ...params, limit: SKU_PAGE_SIZE, offset });
  const skus = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => loadPage(pageParam),
    initialPageParam: 0,
    getNextPageParam: (last: SkuPage, pages: SkuPage[]) => {
      const loaded = pages.reduce((n, p) => n + p.items.length, 0);
      return last.items.length > 0 && loaded < last.total ? loaded : undefined;
    },
    // A new search or sort keeps the rows on screen until its first page arrives; another
    // dataset does not (its SKUs are not these).
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[1] === datasetId ? previous : undefined),
  });
  const items = useMemo(() => uniqueSkus(skus.data?.pages ?? []), [skus.data]);
  const total = skus.data?.pages[0]?.total ?? 0;
  const hasMore = Boolean(skus.hasNextPage);

  // The keyboard (WAI-ARIA listbox, roving tabindex): the list is one Tab stop, the active row's.
  // The active row is the one last focused or clicked, else the selected SKU, else the first.
  const [active, setActive] = useState<string | null>(null);
  useEffect(() => setActive(selected), [selected]);
  const indexOf = useMemo(() => new Map(items.map((item, index) => [item.sku, index])), [items]);
  const pinnedIndex = indexOf.get(active ?? '') ?? indexOf.get(selected ?? '') ?? -1;
  const activeIndex = pinnedIndex >= 0 ? pinnedIndex : items.length > 0 ? 0 : -1;
  const activeSku = activeIndex >= 0 ? items[activeIndex].sku : null;

  const virtualizer = useVirtualizer({
    count: items.length + (hasMore ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => SKU_ROW_HEIGHT,
    overscan: 6,
    initialRect: { width: 300, height: initialHeight },
    observeElementRect: (instance, cb) =>
      observeElementRect(instance, (rect) => cb(rect.height > 0 ? rect : { width: rect.width || 300, height: initialHeight })),
    getItemKey: (index) => items[index]?.sku ?? `more-${index}`,
    // The active row (focused, or the selected SKU) is always rendered, wherever the list is
    // scrolled: a focused row that left the DOM (a mouse scroll, a refresh reordering the rows under
    // "Forecast error") would drop the focus to <body>.
    rangeExtractor: (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      if (pinnedIndex < 0 || pinnedIndex >= range.count || indexes.includes(pinnedIndex)) return indexes;
      return [...indexes, pinnedIndex].sort((a, b) => a - b);
    },
  });
  const rows = virtualizer.getVirtualItems();
  const lastIndex = rows.length > 0 ? rows[rows.length - 1].index : -1;
  useRefreshPagesInView({ queryKey, refreshKey, firstRow: rows[0]?.index ?? 0, lastRow: lastIndex, load: loadPage });

  // Scrolled near the end of what is loaded: fetch the next page (one at a time). Not while the
  // loaded pages are being refetched: fetchNextPage would cancel that refetch and start over. Nor
  // after the next page failed: each failure would ask again at once, in a loop; Retry asks.
  useEffect(() => {
    if (hasMore && !skus.isFetching && !skus.isFetchNextPageError && lastIndex >= items.length - prefetchRows) void skus.fetchNextPage();
  }, [hasMore, skus.isFetching, skus.isFetchNextPageError, lastIndex, items.length, skus]);

  // A new search or sort starts at the top.
  useEffect(() => {
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [search, sort, order]);

  // Select the first SKU when nothing is chosen yet, so the chart is never empty without reason.
  useEffect(() => {
    if (!selected && items.length > 0 && !skus.isPlaceholderData) onSelect(items[0].sku, { replace: true });
  }, [selected, items, onSelect, skus.isPlaceholderData]);

  // A link to a SKU that is already loaded shows it in the list once, where it is.
  const revealed = useRef<string | null>(null);
  useEffect(() => {
    if (!selected || revealed.current === selected) return;
    const index = items.findIndex((i) => i.sku === selected);
    if (index < 0) return;
    revealed.current = selected;
    virtualizer.scrollToIndex(index, { align: 'auto' });
  }, [selected, items, virtualizer]);

  const activeRendered = rows.some((row) => row.index === activeIndex);

  // The rows are keyed by SKU, so a refresh that reorders them moves the focused row's element in
  // the DOM, and a browser drops the focus of a moved element: put it back on the same row.
  const hadFocus = useRef(false);
  hadFocus.current = Boolean(scrollRef.current?.contains(document.activeElement) && document.activeElement !== scrollRef.current);
  useLayoutEffect(() => {
    if (!hadFocus.current || !activeSku) return;
    const focused = document.activeElement;
    if (focused && focused !== document.body && focused !== document.documentElement) return;
    const options = scrollRef.current?.querySelectorAll<HTMLElement>('[role="option"]') ?? [];
    [...options].find((o) => o.dataset.sku === activeSku)?.focus();
  });

  // A key moved the focus: the new row is rendered after the scroll, then focused.
  useEffect(() => {
    if (!focusSku.current) return;
    const options = scrollRef.current?.querySelectorAll<HTMLElement>('[role="option"]') ?? [];
    const option = [...options].find((o) => o.dataset.sku === focusSku.current);
    if (option) {
      option.focus();
      focusSku.current = null;
    }
  });

  // Arrows, Page Up/Down, Home and End move the focus, and the selection with it (the address is
  // replaced: Back does not walk through every SKU passed); End goes to the last SKU loaded.
  const moveTo = (index: number, select = true) => {
    if (items.length === 0) return;
    const next = items[Math.max(0, Math.min(items.length - 1, index))].sku;
    revealed.current = next;
    focusSku.current = next;
    setActive(next);
    virtualizer.scrollToIndex(indexOf.get(next)!, { align: 'auto' });
    if (select && next !== selected) onSelect(next, { replace: true });
  };
  const pageRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight || initialHeight) / SKU_ROW_HEIGHT) - 1);
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey || activeIndex < 0) return;
    const to: Record<string, number> = {
      ArrowDown: activeIndex + 1,
      ArrowUp: activeIndex - 1,
      PageDown: activeIndex + pageRows,
      PageUp: activeIndex - pageRows,
      Home: 0,
      End: items.length - 1,
    };
    if (e.key in to) {
      e.preventDefault();
      moveTo(to[e.key]);
    } else if ((e.key === 'Enter' || e.key === ' ') && activeSku) {
      e.preventDefault(); // Space would scroll the list
      // A push, as a click; the selected row's Enter has nothing to do (its entry is the current one).
      if (activeSku !== selected) onSelect(activeSku);
    }
  };

  return (
    <aside className="panel sku-list" aria-label="SKUs">
      <div className="sku-list-controls">
        <input
          type="search"
          className="input"
          placeholder="Search SKUs"
          aria-label="Search SKUs"
          value={searchInput}
          onChange={(e) => setSearchInput(e.target.value)}
        />
        <div className="form-row tight">
          <select
            className="input"
            aria-label="Sort SKUs by"
            value={sort}
            onChange={(e) => {
              const next = sorts.find((s) => s.id === e.target.value)!;
              setSort(next.id);
              setOrder(next.order);
            }}
          >
            {sorts.map((s) => (
              <option key={s.id} value={s.id}>
                Sort: {s.label}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => setOrder((o) => (o === 'asc' ? 'desc' : 'asc'))}
            aria-label={`Order ${order === 'asc' ? 'ascending' : 'descending'}; switch`}
          >
            {order === 'asc' ? '↑' : '↓'}
          </button>
        </div>
      </div>
      {skus.isPending ? <p className="empty-state">Loading SKUs…</p> : null}
      {/* A failed next page is asked again alone: refetch() would ask every page loaded, one after another. */}
      {skus.isError ? (
        <LoadError what="SKUs" error={skus.error} onRetry={() => void (skus.isFetchNextPageError ? skus.fetchNextPage() : skus.refetch())} retrying={skus.isFetching} />
      ) : null}
      {skus.data && items.length === 0 ? <p className="empty-state">{search ? `No SKU matches “${search}”.` : 'This dataset has no SKUs.'}</p> : null}
      <div
        className="sku-items"
        ref={scrollRef}
        role="listbox"
        aria-label={`SKUs (${formatCount(total)})`}
        aria-busy={skus.isFetchingNextPage || undefined}
        // The Tab stop is the active row; when that row is scrolled out of the DOM, the list itself
        // takes Tab and hands the focus to the row.
        tabIndex={items.length > 0 && !activeRendered ? 0 : -1}
        data-testid="sku-items"
        onKeyDown={onKeyDown}
        onFocus={(e) => {
          if (e.target === e.currentTarget && activeIndex >= 0) moveTo(activeIndex, false);
        }}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {rows.map((row) => {
            const item = items[row.index];
            const style = { position: 'absolute' as const, top: 0, left: 0, right: 0, height: row.size, transform: `translateY(${row.start}px)` };
            return (
              // Only the rows in view are in the DOM: set size and position tell a screen reader where it is.
              <div key={row.key} className="sku-row" style={style}>
                {item ? (
                  <SkuRow
                    item={item}
                    selected={item.sku === selected}
                    tabbable={row.index === activeIndex}
                    position={row.index + 1}
                    setSize={total}
                    onOpen={(sku) => {
                      setActive(sku);
                      onSelect(sku);
                    }}
                    onFocus={setActive}
                  />
                ) : (
                  <span className="sku-loader" aria-hidden="true">Loading more…</span>
                )}
              </div>
            );
          })}
        </div>
      </div>
      {skus.data && items.length > 0 ? (
        <p className="sku-count" data-testid="sku-count">
          {formatCount(items.length)} of {formatCount(total)} loaded
        </p>
      ) : null}
    </aside>
  );
}

interface SkuRowProps {
  item: SkuSummary;
  selected: boolean;
  /** The list's one Tab stop (roving tabindex). */
  tabbable: boolean;
  position: number;
  setSize: number;
  onOpen: (sku: string) => void;
  onFocus: (sku: string) => void;
}

/** One option of the listbox: clicked, or Enter/Space on it when not selected (SkuList's keys), selects the SKU. */
function SkuRow({ item, selected, tabbable, position, setSize, onOpen, onFocus }: SkuRowProps) {
  return (
    <div
      role="option"
      aria-selected={selected}
      aria-posinset={position}
      aria-setsize={setSize}
      tabIndex={tabbable ? 0 : -1}
      className={`sku-item${selected ? ' selected' : ''}`}
      onClick={() => onOpen(item.sku)}
      onFocus={() => onFocus(item.sku)}
      data-testid="sku-item"
      data-sku={item.sku}
    >
      <SkuName sku={item.sku} />
      <Sparkline values={item.sparkline} />
      <span className="sku-meta">
        <span className={`class-chip class-${item.demandClass}`}>{item.demandClass}</span>
        <span title="Volume">Σ {formatNumber(item.volume, 0)}</span>
        <ErrorCell item={item} />
      </span>
    </div>
  );
}

/**
 * The row's error: the shown forecast's error by the dataset's metric ("err 12.5"), named as the
 * SKU view names it (shownErrorTitle: the cross-validation error). Never
 * "of the best model": the default forecast is a weighted mean, and one model may score lower. A
 * forecast without a backtest (holdout 0, or a history too short to hold out a point) says so, not
 * "no forecast": with holdout 0 every row read "no forecast" beside a drawn forecast. "Backtest"
 * is the API's `backtested`, the test the portfolio tile's "over N of M SKUs with a backtest"
 * counts by (keyed on the error, a row and the tile disagreed: MAPE has no error over actuals of
 * 0, yet the holdout is in the WAPE); such a row reads "err –".
 */
function ErrorCell({ item }: { item: SkuSummary }) {
  if (item.bestModel === null) return <span data-testid="sku-error">no forecast</span>;
  if (!item.backtested) {
    return (
      <span data-testid="sku-error" title="This forecast has no backtest: the holdout is 0, or the history is too short for its model to hold out any point">
        no backtest
      </span>
    );
  }
  if (item.error === null) {
    return (
      <span data-testid="sku-error" title="The dataset's metric has no value on this holdout (MAPE over actuals of 0, say); the holdout still counts in the portfolio's WAPE">
        err –
      </span>
    );
  }
  return <span data-testid="sku-error" title={shownErrorTitle}>err {formatNumber(item.error, 2)}</span>;
}

/** The loaded pages as one list; a SKU that moved between pages while loading is kept once. */
function uniqueSkus(pages: SkuPage[]): SkuSummary[] {
  const seen = new Set<string>();
  const out: SkuSummary[] = [];
  for (const page of pages) {
    for (const item of page.items) {
      if (seen.has(item.sku)) continue;
      seen.add(item.sku);
      out.push(item);
    }
  }
  return out;
}
