import { useInfiniteQuery } from '@tanstack/react-query';
import { observeElementRect, useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useApi } from '../api/ApiContext.js';
import { queryKeys } from '../api/query-keys.js';
import type { SkuPage, SkuQuery, SkuSort, SkuSummary } from '../api/types.js';
import { formatCount, formatNumber } from '../format.js';
import { useRefreshPagesInView } from '../hooks/useRefreshPagesInView.js';
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
 * The SKUs of a dataset: search, sort, a sparkline each; arrow keys move the selection. Pages of
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

  const virtualizer = useVirtualizer({
    count: items.length + (hasMore ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => SKU_ROW_HEIGHT,
    overscan: 6,
    initialRect: { width: 300, height: initialHeight },
    observeElementRect: (instance, cb) =>
      observeElementRect(instance, (rect) => cb(rect.height > 0 ? rect : { width: rect.width || 300, height: initialHeight })),
    getItemKey: (index) => items[index]?.sku ?? `more-${index}`,
  });
  const rows = virtualizer.getVirtualItems();
  const lastIndex = rows.length > 0 ? rows[rows.length - 1].index : -1;
  useRefreshPagesInView({ queryKey, refreshKey, firstRow: rows[0]?.index ?? 0, lastRow: lastIndex, load: loadPage });

  // Scrolled near the end of what is loaded: fetch the next page (one at a time). Not while the
  // loaded pages are being refetched: fetchNextPage would cancel that refetch and start over.
  useEffect(() => {
    if (hasMore && !skus.isFetching && lastIndex >= items.length - prefetchRows) void skus.fetchNextPage();
  }, [hasMore, skus.isFetching, lastIndex, items.length, skus]);

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

  // Arrow keys: the new row is rendered after the scroll, then focused.
  useEffect(() => {
    if (!focusSku.current) return;
    const buttons = scrollRef.current?.querySelectorAll<HTMLButtonElement>('button.sku-item') ?? [];
    const button = [...buttons].find((b) => b.dataset.sku === focusSku.current);
    if (button) {
      button.focus();
      focusSku.current = null;
    }
  });

  const move = (delta: number) => {
    if (items.length === 0) return;
    const index = Math.max(0, Math.min(items.length - 1, items.findIndex((i) => i.sku === selected) + delta));
    revealed.current = items[index].sku;
    focusSku.current = items[index].sku;
    virtualizer.scrollToIndex(index, { align: 'auto' });
    onSelect(items[index].sku, { replace: true });
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
      {skus.isError ? <p className="form-error">Could not load SKUs: {skus.error.message}</p> : null}
      {skus.data && items.length === 0 ? <p className="empty-state">{search ? `No SKU matches “${search}”.` : 'This dataset has no SKUs.'}</p> : null}
      <div
        className="sku-items"
        ref={scrollRef}
        role="list"
        aria-label={`SKUs (${formatCount(total)})`}
        data-testid="sku-items"
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            move(e.key === 'ArrowDown' ? 1 : -1);
          }
        }}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {rows.map((row) => {
            const item = items[row.index];
            const style = { position: 'absolute' as const, top: 0, left: 0, right: 0, height: row.size, transform: `translateY(${row.start}px)` };
            return (
              // Only the rows in view are in the DOM: set size and position tell a screen reader where it is.
              <div key={row.key} role="listitem" aria-setsize={total} aria-posinset={row.index + 1} className="sku-row" style={style}>
                {item ? <SkuRow item={item} selected={item.sku === selected} onSelect={onSelect} /> : <span className="sku-loader">Loading more…</span>}
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

function SkuRow({ item, selected, onSelect }: { item: SkuSummary; selected: boolean; onSelect: SkuListProps['onSelect'] }) {
  return (
    <button
      type="button"
      className={`sku-item${selected ? ' selected' : ''}`}
      aria-current={selected ? 'true' : undefined}
      onClick={() => onSelect(item.sku)}
      data-testid="sku-item"
      data-sku={item.sku}
    >
      <span className="sku-name">{item.sku}</span>
      <Sparkline values={item.sparkline} />
      <span className="sku-meta">
        <span className={`class-chip class-${item.demandClass}`}>{item.demandClass}</span>
        <span title="Volume">Σ {formatNumber(item.volume, 0)}</span>
        <span title="Error of the best model">{item.error === null ? 'no forecast' : `err ${formatNumber(item.error, 2)}`}</span>
      </span>
    </button>
  );
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
