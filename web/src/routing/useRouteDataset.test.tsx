// @vitest-environment jsdom
import { act, cleanup, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useAppRoute } from './useAppRoute.js';
import { useRouteDataset } from './useRouteDataset.js';

const views = ['forecasts', 'upload', 'settings'];
const datasets = [{ id: 'd1' }, { id: 'd2' }];

function renderRouted(list: Array<{ id: string }> | null, onMissing = vi.fn()) {
  const hook = renderHook(({ ds }) => useRouteDataset({ routing: useAppRoute(views), datasets: ds, onMissing }), { initialProps: { ds: list } });
  return { ...hook, onMissing };
}

beforeEach(() => {
  history.replaceState(null, '', '/');
  localStorage.clear();
});
afterEach(cleanup);

describe('useRouteDataset', () => {
  it('shows the URL’s dataset and SKU, and writes the chosen dataset into a bare address once they are known', () => {
    history.replaceState(null, '', '/datasets/d2/skus/X');
    const linked = renderRouted(datasets);
    expect(linked.result.current).toMatchObject({ datasetId: 'd2', sku: 'X', dataset: { id: 'd2' } });
    expect(location.pathname).toBe('/datasets/d2/skus/X');
    linked.unmount();

    // The last dataset chosen in this browser (d2 above) is the default of a bare "/".
    history.replaceState(null, '', '/settings');
    const bare = renderRouted(null);
    expect(location.pathname).toBe('/settings'); // nothing known yet: nothing rewritten
    bare.rerender({ ds: datasets });
    expect(bare.result.current.datasetId).toBe('d2');
    expect(location.pathname).toBe('/datasets/d2/settings');
  });

  it('says so when the URL names a dataset that does not exist, and shows another', () => {
    history.replaceState(null, '', '/datasets/gone/skus/X');
    const { result, onMissing } = renderRouted(datasets);
    expect(onMissing).toHaveBeenCalledWith('gone');
    expect(result.current.datasetId).toBe('d1');
    expect(result.current.sku).toBeNull();
    expect(location.pathname).toBe('/datasets/d1');
  });

  it('pushes a clicked SKU, a page and a dataset; replaces the first SKU chosen; the forecasts tab returns to the last SKU', async () => {
    history.replaceState(null, '', '/datasets/d1');
    const { result } = renderRouted(datasets);
    const length = history.length;
    act(() => result.current.selectSku('A'));
    expect(location.pathname).toBe('/datasets/d1/skus/A');
    expect(history.length).toBe(length); // the first SKU replaced the bare dataset address
    act(() => result.current.selectSku('B'));
    act(() => result.current.navigate('settings'));
    expect(location.pathname).toBe('/datasets/d1/settings');
    act(() => result.current.navigate('forecasts'));
    expect(location.pathname).toBe('/datasets/d1/skus/B');
    act(() => result.current.selectDataset('d2'));
    expect(location.pathname).toBe('/datasets/d2');
    expect(history.length).toBe(length + 4);
  });
});
