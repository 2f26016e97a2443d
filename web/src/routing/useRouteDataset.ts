import { useCallback, useEffect, useRef } from 'react';
import { routePath, type AppRoute } from './app-route.js';
import type { AppRouting } from './useAppRoute.js';

const datasetKey = 'skucast.datasetId';

function storedDatasetId(): string | null {
  try {
    return globalThis.localStorage?.getItem(datasetKey) ?? null;
  } catch {
    return null;
  }
}

function storeDatasetId(id: string): void {
  try {
    globalThis.localStorage?.setItem(datasetKey, id);
  } catch {
    // Storage may be disabled; the URL still says which dataset.
  }
}

export interface RouteDatasetInput<D extends { id: string }> {
  routing: AppRouting;
  /** The datasets, or null while they load (nothing is redirected before they are known). */
  datasets: D[] | null;
  /** The URL named a dataset that does not exist; another one is shown instead. */
  onMissing?: (datasetId: string) => void;
}

export interface RouteDataset<D> {
  datasetId: string | null;
  dataset: D | null;
  sku: string | null;
  /** Another page of the current dataset (the forecasts page comes back to the SKU last shown). */
  navigate: (view: string) => void;
  /** The address `navigate(view)` goes to: the navigation's links, to open in a new tab or copy. */
  hrefOf: (view: string) => string;
  selectDataset: (id: string) => void;
  /** `replace`: the first SKU chosen for the planner, or one stepped to with the arrow keys. */
  selectSku: (sku: string, options?: { replace?: boolean }) => void;
}

/**
 * Which dataset is shown: the URL's, else the one last chosen in this browser, else the newest.
 * Once the datasets are known the URL is made to say it (replaced, not pushed), so the address
 * bar is always a link to what is on screen.
 */
export function useRouteDataset<D extends { id: string }>({ routing, datasets, onMissing }: RouteDatasetInput<D>): RouteDataset<D> {
  const { route, page, go } = routing;
  const list = datasets ?? [];
  const wanted = route.datasetId ?? storedDatasetId();
  const dataset = list.find((d) => d.id === wanted) ?? list[0] ?? null;
  const datasetId = dataset?.id ?? (datasets === null ? route.datasetId : null);
  const sku = datasetId !== null && datasetId === route.datasetId ? page.sku : null;
  const lastSku = useRef(new Map<string, string>());
  if (datasetId && sku) lastSku.current.set(datasetId, sku);

  const missingRef = useRef(onMissing);
  missingRef.current = onMissing;
  useEffect(() => {
    if (datasets === null || route.datasetId === datasetId) return;
    if (route.datasetId !== null) missingRef.current?.(route.datasetId);
    go({ ...route, datasetId, sku: null }, { replace: true });
  }, [datasets, route, datasetId, go]);

  useEffect(() => {
    if (datasetId) storeDatasetId(datasetId);
  }, [datasetId]);

  const target = useCallback(
    (view: string): AppRoute => ({ datasetId, view, sku: view === 'forecasts' && datasetId ? (lastSku.current.get(datasetId) ?? null) : null, queue: false }),
    [datasetId],
  );
  const navigate = useCallback((view: string) => go(target(view)), [target, go]);
  const hrefOf = useCallback((view: string) => routePath(target(view)), [target]);
  const selectDataset = useCallback((id: string) => go({ datasetId: id, view: page.view, sku: null, queue: false }), [page.view, go]);
  const selectSku = useCallback(
    (next: string, options: { replace?: boolean } = {}) => {
      if (!datasetId || next === sku) return;
      // Nothing chosen yet: the first SKU fills the page; that is not a step Back should undo, nor
      // a reason to close the queue the planner opened while the list was loading.
      const filling = sku === null;
      go({ datasetId, view: 'forecasts', sku: next, queue: false }, { replace: options.replace || filling, beneath: filling });
    },
    [datasetId, sku, go],
  );

  return { datasetId, dataset, sku, navigate, hrefOf, selectDataset, selectSku };
}
