import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useApi } from '../api/ApiContext.js';
import { formatNumber } from '../api/format.js';
import { queryKeys } from '../api/query-keys.js';
import type { SkuQuery, SkuSort } from '../api/types.js';
import { Sparkline } from './Sparkline.js';

const sorts: Array<{ id: SkuSort; label: string; order: 'asc' | 'desc' }> = [
  { id: 'volume', label: 'Volume', order: 'desc' },
  { id: 'error', label: 'Forecast error', order: 'desc' },
  { id: 'demandClass', label: 'Demand class', order: 'asc' },
  { id: 'sku', label: 'SKU', order: 'asc' },
];

const pageSize = 100;

/** The SKUs of a dataset: search, sort, a sparkline each; arrow keys move the selection. */
export function SkuList({ datasetId, selected, onSelect }: { datasetId: string; selected: string | null; onSelect: (sku: string) => void }) {
  const api = useApi();
  const [searchInput, setSearchInput] = useState('');
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<SkuSort>('volume');
  const [order, setOrder] = useState<'asc' | 'desc'>('desc');
  const [limit, setLimit] = useState(pageSize);
  const listRef = useRef<HTMLUListElement>(null);

  useEffect(() => {
    const handle = setTimeout(() => setSearch(searchInput.trim()), 250);
    return () => clearTimeout(handle);
  }, [searchInput]);

  const params: SkuQuery = { search: search || undefined, sort, order, limit, offset: 0 };
  const skus = useQuery({
    queryKey: queryKeys.skus(datasetId, params),
    queryFn: () => api.skus(datasetId, params),
    placeholderData: keepPreviousData,
  });
  const items = skus.data?.items ?? [];

  // Select the first SKU when nothing is chosen yet, so the chart is never empty without reason.
  useEffect(() => {
    if (!selected && items.length > 0) onSelect(items[0].sku);
  }, [selected, items, onSelect]);

  const move = (delta: number) => {
    if (items.length === 0) return;
    const index = Math.max(0, Math.min(items.length - 1, items.findIndex((i) => i.sku === selected) + delta));
    onSelect(items[index].sku);
    listRef.current?.querySelectorAll<HTMLButtonElement>('button.sku-item')[index]?.focus();
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
      <ul
        className="sku-items"
        ref={listRef}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            move(e.key === 'ArrowDown' ? 1 : -1);
          }
        }}
      >
        {items.map((item) => (
          <li key={item.sku}>
            <button
              type="button"
              className={`sku-item${item.sku === selected ? ' selected' : ''}`}
              aria-current={item.sku === selected ? 'true' : undefined}
              onClick={() => onSelect(item.sku)}
              data-testid="sku-item"
            >
              <span className="sku-name">{item.sku}</span>
              <Sparkline values={item.sparkline} />
              <span className="sku-meta">
                <span className={`class-chip class-${item.demandClass}`}>{item.demandClass}</span>
                <span title="Volume">Σ {formatNumber(item.volume, 0)}</span>
                <span title="Error of the best model">{item.error === null ? 'no forecast' : `err ${formatNumber(item.error, 2)}`}</span>
              </span>
            </button>
          </li>
        ))}
      </ul>
      {skus.data && skus.data.total > items.length ? (
        <button type="button" className="btn btn-small more" onClick={() => setLimit((l) => l + pageSize)}>
          Show more ({items.length} of {skus.data.total})
        </button>
      ) : null}
    </aside>
  );
}
