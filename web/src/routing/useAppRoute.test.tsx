// @vitest-environment jsdom
import { act, cleanup, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useAppRoute } from './useAppRoute.js';

const views = ['forecasts', 'upload', 'settings'];

/** history.back() answers with popstate a moment later, as in a browser. */
async function back(): Promise<void> {
  await act(async () => {
    const popped = new Promise((resolve) => window.addEventListener('popstate', resolve, { once: true }));
    history.back();
    await popped;
  });
}

async function forward(): Promise<void> {
  await act(async () => {
    const popped = new Promise((resolve) => window.addEventListener('popstate', resolve, { once: true }));
    history.forward();
    await popped;
  });
}

beforeEach(() => history.replaceState(null, '', '/'));
afterEach(cleanup);

describe('useAppRoute (History API router)', () => {
  it('follows pushes, Back and Forward', async () => {
    history.replaceState(null, '', '/datasets/d1/skus/A');
    const { result } = renderHook(() => useAppRoute(views));
    expect(result.current.route).toEqual({ datasetId: 'd1', view: 'forecasts', sku: 'A', queue: false });

    act(() => result.current.go({ datasetId: 'd1', view: 'forecasts', sku: 'B', queue: false }));
    expect(location.pathname).toBe('/datasets/d1/skus/B');
    expect(result.current.route.sku).toBe('B');
    act(() => result.current.go({ datasetId: 'd1', view: 'settings', sku: null, queue: false }));
    expect(result.current.page.view).toBe('settings');

    await back();
    expect(result.current.route.sku).toBe('B');
    await back();
    expect(result.current.route.sku).toBe('A');
    await forward();
    expect(result.current.route.sku).toBe('B');
    expect(location.pathname).toBe('/datasets/d1/skus/B');

    // A replace changes the address without a new entry: Back skips it.
    act(() => result.current.go({ datasetId: 'd1', view: 'forecasts', sku: 'C', queue: false }, { replace: true }));
    expect(location.pathname).toBe('/datasets/d1/skus/C');
    await back();
    expect(result.current.route.sku).toBe('A');
  });

  it('opens the queue over the current page and closes it with a real Back', async () => {
    history.replaceState(null, '', '/datasets/d1/settings');
    const { result } = renderHook(() => useAppRoute(views));
    act(() => result.current.openQueue());
    expect(location.pathname).toBe('/datasets/d1/queue');
    expect(result.current.route.queue).toBe(true);
    expect(result.current.page).toEqual({ datasetId: 'd1', view: 'settings', sku: null, queue: false });
    await act(async () => {
      const popped = new Promise((resolve) => window.addEventListener('popstate', resolve, { once: true }));
      result.current.closeQueue();
      await popped;
    });
    expect(location.pathname).toBe('/datasets/d1/settings');
    expect(result.current.route.queue).toBe(false);
  });

  it('gives a late navigation the route of the address at that moment (the queue opened meanwhile stays open)', () => {
    history.replaceState(null, '', '/upload');
    const { result } = renderHook(() => useAppRoute(views));
    const later = result.current.go; // captured before the queue opens, as an upload's callback is
    act(() => result.current.openQueue());
    act(() => later((current) => ({ datasetId: 'new', view: 'forecasts', sku: null, queue: current.queue })));
    expect(location.pathname).toBe('/datasets/new/queue');
    expect(result.current.route.queue).toBe(true);
    act(() => result.current.closeQueue());
    expect(location.pathname).toBe('/datasets/new');
  });

  it('fills the page beneath an open queue without closing it (the first SKU chosen after the planner opened the queue)', async () => {
    history.replaceState(null, '', '/datasets/d1');
    const { result } = renderHook(() => useAppRoute(views));
    act(() => result.current.openQueue());
    act(() => result.current.go({ datasetId: 'd1', view: 'forecasts', sku: 'A', queue: false }, { beneath: true }));
    expect(location.pathname).toBe('/datasets/d1/queue');
    expect(result.current.route.queue).toBe(true);
    expect(result.current.page).toEqual({ datasetId: 'd1', view: 'forecasts', sku: 'A', queue: false });
    // The app pushed the queue's entry, so closing is still a real Back.
    await act(async () => {
      const popped = new Promise((resolve) => window.addEventListener('popstate', resolve, { once: true }));
      result.current.closeQueue();
      await popped;
    });
    expect(location.pathname).toBe('/datasets/d1');
    // With the queue closed, the same call is a plain replace.
    act(() => result.current.go({ datasetId: 'd1', view: 'forecasts', sku: 'A', queue: false }, { beneath: true }));
    expect(location.pathname).toBe('/datasets/d1/skus/A');
  });

  it('a link straight to the queue, its page filled beneath, closes to that page (no Back out of the app)', () => {
    history.replaceState(null, '', '/datasets/d1/queue');
    const { result } = renderHook(() => useAppRoute(views));
    act(() => result.current.go({ datasetId: 'd1', view: 'forecasts', sku: 'B', queue: false }, { beneath: true }));
    expect(location.pathname).toBe('/datasets/d1/queue');
    act(() => result.current.closeQueue());
    expect(location.pathname).toBe('/datasets/d1/skus/B');
  });

  it('a link straight to the queue closes to the dataset’s page; an unknown path or an old #/ link is replaced', async () => {
    history.replaceState(null, '', '/datasets/d1/queue');
    const first = renderHook(() => useAppRoute(views));
    expect(first.result.current.page).toEqual({ datasetId: 'd1', view: 'forecasts', sku: null, queue: false });
    act(() => first.result.current.closeQueue());
    expect(location.pathname).toBe('/datasets/d1');
    first.unmount();

    history.replaceState(null, '', '/no/such/page');
    const second = renderHook(() => useAppRoute(views));
    expect(location.pathname).toBe('/');
    expect(second.result.current.route.view).toBe('forecasts');
    second.unmount();

    history.replaceState(null, '', '/datasets/d1/skus/A/extra');
    const kept = renderHook(() => useAppRoute(views));
    expect(location.pathname).toBe('/datasets/d1'); // the dataset of a mistyped link is kept
    expect(kept.result.current.route.datasetId).toBe('d1');
    kept.unmount();

    history.replaceState(null, '', '/#/settings');
    const third = renderHook(() => useAppRoute(views));
    expect(location.pathname).toBe('/settings');
    expect(third.result.current.page.view).toBe('settings');
  });
});
