// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../api/ApiContext.js';
import { createApiClient, type FetchLike } from '../api/client.js';
import { SKU_PAGE_SIZE, SKU_ROW_HEIGHT, SkuList } from './SkuList.js';

const TOTAL = 1000;
const sku = (i: number) => `SKU-${String(i).padStart(5, '0')}`;

/** A dataset of TOTAL SKUs behind GET /api/datasets/d1/skus, paged by offset; records each page asked for. */
function stubSkus() {
  const asked: Array<{ offset: number; limit: number }> = [];
  const live = { error: null as number | null, gate: null as Promise<void> | null, order: null as number[] | null };
  const fetch: FetchLike = async (url) => {
    const u = new URL(url, 'http://x');
    if (u.pathname !== '/api/datasets/d1/skus') return new Response('{"error":"no"}', { status: 404 });
    const offset = Number(u.searchParams.get('offset'));
    const limit = Number(u.searchParams.get('limit'));
    asked.push({ offset, limit });
    if (live.gate) await live.gate; // a slow API: answers when the test opens the gate
    const items = [];
    const search = u.searchParams.get('search');
    const all = (live.order ?? Array.from({ length: TOTAL }, (_, i) => i)).filter((i) => !search || sku(i).includes(search));
    for (let at = offset; at < Math.min(all.length, offset + limit); at += 1) {
      const i = all[at]; // a refresh may sort the SKUs differently
      items.push({ sku: sku(i), length: 48, volume: TOTAL - i, demandClass: 'smooth', bestModel: live.error === null ? null : 'ets', error: live.error, backtested: live.error !== null, sparkline: [1, 2, 3] });
    }
    return new Response(JSON.stringify({ total: all.length, items }), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return { fetch, asked, live };
}

function renderList(fetch: FetchLike, selected: string | null = null, onSelect = vi.fn()) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const client = createApiClient({ fetch, getToken: () => null });
  const ui = (refreshKey?: number) => (
    <ApiProvider client={client}>
      <QueryClientProvider client={queryClient}>
        <SkuList datasetId="d1" selected={selected} onSelect={onSelect} refreshKey={refreshKey} initialHeight={600} />
      </QueryClientProvider>
    </ApiProvider>
  );
  const view = render(ui(0));
  return { onSelect, queryClient, refresh: (key: number) => view.rerender(ui(key)) };
}

async function scrollTo(el: HTMLElement, top: number): Promise<void> {
  // The virtualizer reads scrollTop on the scroll event, as in a browser.
  await act(async () => {
    el.scrollTop = top;
    fireEvent.scroll(el);
  });
}

afterEach(cleanup);

describe('SkuList at scale', () => {
  it('a failed request says "Could not load SKUs" with a Retry that asks again', async () => {
    const { fetch: answered } = stubSkus();
    let fail = true;
    const fetch: FetchLike = async (url, init) =>
      fail ? new Response(JSON.stringify({ error: 'the store is busy', details: [] }), { status: 503 }) : answered(url, init);
    renderList(fetch);
    const failed = await screen.findByRole('alert');
    expect(failed.textContent).toMatch(/^Could not load SKUs: the store is busy/);
    fail = false;
    fireEvent.click(within(failed.closest<HTMLElement>('[data-testid="load-error"]')!).getByRole('button', { name: 'Retry' }));
    await screen.findAllByTestId('sku-item');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it("a next page that failed: Retry asks for that page alone, not every page loaded again (was: refetch(), page by page from the first)", async () => {
    const api = stubSkus();
    let failing = true;
    let failures = 0;
    const fetch: FetchLike = async (url, init) => {
      if (!failing || new URL(url, 'http://x').searchParams.get('offset') !== String(SKU_PAGE_SIZE)) return api.fetch(url, init);
      failures += 1;
      return new Response(JSON.stringify({ error: 'the store is busy', details: [] }), { status: 503 });
    };
    renderList(fetch);
    await screen.findAllByTestId('sku-item');
    await scrollTo(screen.getByTestId('sku-items'), (SKU_PAGE_SIZE - 20) * SKU_ROW_HEIGHT);
    const failed = await screen.findByRole('alert');
    expect(failed.textContent).toMatch(/^Could not load SKUs: the store is busy/);
    failing = false;
    const asked = api.asked.length;
    fireEvent.click(within(failed.closest<HTMLElement>('[data-testid="load-error"]')!).getByRole('button', { name: 'Retry' }));
    await vi.waitFor(() => expect(screen.getByTestId('sku-count').textContent).toBe(`${2 * SKU_PAGE_SIZE} of 1,000 loaded`));
    expect(api.asked.slice(asked).map((a) => a.offset)).toEqual([SKU_PAGE_SIZE]);
    expect(screen.queryByRole('alert')).toBeNull();
    // Asked once before the Retry: the scroll does not ask a failed page again by itself (was: in a loop, at once).
    expect(failures).toBe(1);
  });

  it('loads one page, keeps only the rows in view in the DOM, and fetches the next page by offset as it scrolls', async () => {
    const api = stubSkus();
    const { onSelect } = renderList(api.fetch);
    await screen.findAllByTestId('sku-item');
    expect(api.asked).toEqual([{ offset: 0, limit: SKU_PAGE_SIZE }]);
    // 600 px of 58 px rows plus the overscan: a bounded handful, not the page of 200.
    const shown = screen.getAllByTestId('sku-item').length;
    expect(shown).toBeGreaterThan(5);
    expect(shown).toBeLessThan(30);
    expect(screen.getByTestId('sku-count').textContent).toBe(`${SKU_PAGE_SIZE} of 1,000 loaded`);
    // Nothing was chosen: the first SKU is, replacing (not pushing) the address.
    expect(onSelect).toHaveBeenCalledWith(sku(0), { replace: true });

    const list = screen.getByTestId('sku-items');
    await scrollTo(list, (SKU_PAGE_SIZE - 20) * SKU_ROW_HEIGHT);
    await vi.waitFor(() => expect(api.asked.map((a) => a.offset)).toEqual([0, SKU_PAGE_SIZE]));
    await vi.waitFor(() => expect(screen.getByTestId('sku-count').textContent).toBe(`${2 * SKU_PAGE_SIZE} of 1,000 loaded`));
    // The rows in the DOM are the ones around the scroll position, and still only a handful.
    const names = screen.getAllByTestId('sku-item').map((b) => b.dataset.sku);
    expect(names).toContain(sku(SKU_PAGE_SIZE - 15));
    expect(names).not.toContain(sku(0));
    expect(names.length).toBeLessThan(30);
    // A screen reader hears "SKU-00185, 186 of 1000", not "1 of 20".
    const row = screen.getAllByTestId('sku-item').find((b) => b.dataset.sku === sku(SKU_PAGE_SIZE - 15))!;
    expect([row.getAttribute('aria-posinset'), row.getAttribute('aria-setsize')]).toEqual([String(SKU_PAGE_SIZE - 14), String(TOTAL)]);

    // To the very end: every page exactly once, none asked for again from the start.
    for (let page = 2; page < TOTAL / SKU_PAGE_SIZE; page += 1) {
      await scrollTo(list, (page * SKU_PAGE_SIZE - 10) * SKU_ROW_HEIGHT);
      await vi.waitFor(() => expect(api.asked).toHaveLength(page + 1));
    }
    await scrollTo(list, TOTAL * SKU_ROW_HEIGHT);
    await vi.waitFor(() => expect(screen.getByTestId('sku-count').textContent).toBe('1,000 of 1,000 loaded'));
    expect(api.asked.map((a) => a.offset)).toEqual([0, 200, 400, 600, 800]);
    expect(screen.getAllByTestId('sku-item').map((b) => b.dataset.sku)).toContain(sku(TOTAL - 1));
    expect(screen.queryByText('Loading more…')).toBeNull();
  });

  it('while the queue runs, refreshes only the page of the rows in view, not every page loaded', async () => {
    const api = stubSkus();
    const { refresh } = renderList(api.fetch);
    await screen.findAllByTestId('sku-item');
    const list = screen.getByTestId('sku-items');
    await scrollTo(list, (SKU_PAGE_SIZE - 20) * SKU_ROW_HEIGHT);
    await vi.waitFor(() => expect(api.asked).toHaveLength(2));
    await scrollTo(list, (2 * SKU_PAGE_SIZE - 10) * SKU_ROW_HEIGHT);
    await vi.waitFor(() => expect(api.asked).toHaveLength(3));
    // Rows 450.. are on the third page (offset 400) and far from its end: nothing more to fetch.
    await scrollTo(list, 450 * SKU_ROW_HEIGHT);
    expect(api.asked.map((a) => a.offset)).toEqual([0, 200, 400]);

    api.live.error = 0.25; // jobs finished: the SKUs now have a best model's error
    await act(async () => refresh(1));
    await vi.waitFor(() => expect(screen.getAllByTestId('sku-item').every((b) => b.textContent?.includes('err 0.25'))).toBe(true));
    expect(api.asked.map((a) => a.offset)).toEqual([0, 200, 400, 400]);
    expect(screen.getByTestId('sku-count').textContent).toBe(`${3 * SKU_PAGE_SIZE} of 1,000 loaded`);

    // The same key again changes nothing; the next one refreshes the page in view once more.
    await act(async () => refresh(1));
    await act(async () => refresh(2));
    await vi.waitFor(() => expect(api.asked).toHaveLength(5));
    expect(api.asked[4].offset).toBe(400);
  });

  it('does not ask for the next page while the loaded pages are refetched (that would cancel the refetch)', async () => {
    const api = stubSkus();
    const { queryClient } = renderList(api.fetch);
    await screen.findAllByTestId('sku-item');
    let open = () => {};
    api.live.gate = new Promise((resolve) => (open = resolve));
    await act(async () => void queryClient.invalidateQueries({ queryKey: ['skus', 'd1'] }));
    await vi.waitFor(() => expect(api.asked.map((a) => a.offset)).toEqual([0, 0]));
    // Scrolled near the end of the page while the refetch is held: nothing more is asked for yet.
    await scrollTo(screen.getByTestId('sku-items'), (SKU_PAGE_SIZE - 20) * SKU_ROW_HEIGHT);
    await act(async () => new Promise((resolve) => setTimeout(resolve, 0)));
    expect(api.asked.map((a) => a.offset)).toEqual([0, 0]);
    api.live.gate = null;
    await act(async () => open());
    // The refetch lands, then the next page is fetched, once.
    await vi.waitFor(() => expect(screen.getByTestId('sku-count').textContent).toBe(`${2 * SKU_PAGE_SIZE} of 1,000 loaded`));
    expect(api.asked.map((a) => a.offset)).toEqual([0, 0, SKU_PAGE_SIZE]);
  });

  it('chooses the first SKU of the dataset switched to, not of the one still on screen while it loads', async () => {
    const api = stubSkus();
    let openD2 = () => {};
    const d2Gate = new Promise<void>((resolve) => (openD2 = resolve));
    const fetch: FetchLike = async (url, init) => {
      if (!url.includes('/api/datasets/d2/')) return api.fetch(url, init);
      await d2Gate;
      const body = { total: 1, items: [{ sku: 'OTHER-1', length: 48, volume: 1, demandClass: 'smooth', bestModel: null, error: null, sparkline: [1] }] };
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const client = createApiClient({ fetch, getToken: () => null });
    const onSelect = vi.fn();
    const ui = (datasetId: string, selected: string | null) => (
      <ApiProvider client={client}>
        <QueryClientProvider client={queryClient}>
          <SkuList datasetId={datasetId} selected={selected} onSelect={onSelect} initialHeight={600} />
        </QueryClientProvider>
      </ApiProvider>
    );
    const view = render(ui('d1', null));
    await vi.waitFor(() => expect(onSelect).toHaveBeenCalledWith(sku(0), { replace: true }));
    view.rerender(ui('d1', sku(0))); // the URL now names it
    onSelect.mockClear();
    // The planner picks another dataset while its first page is slow to come.
    view.rerender(ui('d2', null));
    await act(async () => new Promise((resolve) => setTimeout(resolve, 0)));
    expect(onSelect).not.toHaveBeenCalled();
    expect(screen.queryAllByTestId('sku-item')).toEqual([]); // d1's SKUs are not shown as d2's
    expect(screen.getByText('Loading SKUs…')).toBeTruthy();
    await act(async () => openD2());
    await vi.waitFor(() => expect(onSelect).toHaveBeenCalledWith('OTHER-1', { replace: true }));
    expect(onSelect).toHaveBeenCalledTimes(1);
  });

  it('marks the SKU of the URL, selects on click, and steps with the arrow keys (replacing the address)', async () => {
    const api = stubSkus();
    const { onSelect } = renderList(api.fetch, sku(3));
    await screen.findAllByTestId('sku-item');
    const current = screen.getAllByTestId('sku-item').find((b) => b.getAttribute('aria-selected') === 'true');
    expect(current?.dataset.sku).toBe(sku(3));
    expect(onSelect).not.toHaveBeenCalled();
    fireEvent.click(screen.getAllByTestId('sku-item')[5]);
    expect(onSelect).toHaveBeenLastCalledWith(sku(5));
    fireEvent.keyDown(screen.getAllByTestId('sku-item')[5], { key: 'ArrowDown' });
    expect(onSelect).toHaveBeenLastCalledWith(sku(6), { replace: true });
  });

  it('is one Tab stop, a listbox: arrows, Home and End move the focus between rows', async () => {
    const api = stubSkus();
    const { onSelect } = renderList(api.fetch, sku(3));
    await screen.findAllByTestId('sku-item');
    const listbox = screen.getByRole('listbox', { name: 'SKUs (1,000)' });
    const options = () => within(listbox).getAllByRole('option');
    const tabbable = () => options().filter((o) => o.tabIndex === 0).map((o) => o.dataset.sku);
    // One row takes Tab (the selected one); the rest are reached with the keys.
    expect(tabbable()).toEqual([sku(3)]);
    expect(listbox.tabIndex).toBe(-1);
    expect(options().every((o) => o.tagName !== 'BUTTON')).toBe(true);
    expect(options().find((o) => o.dataset.sku === sku(3))!.getAttribute('aria-selected')).toBe('true');
    expect(options()[0].getAttribute('aria-posinset')).toBe('1');
    expect(options()[0].getAttribute('aria-setsize')).toBe('1000');

    const focused = () => (document.activeElement as HTMLElement | null)?.dataset.sku;
    act(() => options().find((o) => o.dataset.sku === sku(3))!.focus());
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    await vi.waitFor(() => expect(focused()).toBe(sku(4)));
    expect(tabbable()).toEqual([sku(4)]);
    expect(onSelect).toHaveBeenLastCalledWith(sku(4), { replace: true });
    fireEvent.keyDown(document.activeElement!, { key: 'Home' });
    await vi.waitFor(() => expect(focused()).toBe(sku(0)));
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowUp' }); // stays on the first row
    await vi.waitFor(() => expect(focused()).toBe(sku(0)));
    fireEvent.keyDown(document.activeElement!, { key: 'End' }); // the last row loaded so far
    await scrollTo(listbox, (SKU_PAGE_SIZE - 8) * SKU_ROW_HEIGHT); // what the browser's scroll does (jsdom has no layout)
    await vi.waitFor(() => expect(focused()).toBe(sku(SKU_PAGE_SIZE - 1)));
    expect(tabbable()).toEqual([sku(SKU_PAGE_SIZE - 1)]);
  });

  it('with a parent that follows the selection: arrows select (replacing), Enter and Space select the focused row only when it is not the selected one', async () => {
    const api = stubSkus();
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const client = createApiClient({ fetch: api.fetch, getToken: () => null });
    // What ForecastPage's selectSku does with the address: nothing for the SKU already shown.
    const history: Array<{ sku: string; replace: boolean }> = [];
    function Page() {
      const [selected, setSelected] = useState<string>(sku(3));
      const onSelect = (next: string, options?: { replace?: boolean }) => {
        if (next === selected) return;
        history.push({ sku: next, replace: Boolean(options?.replace) });
        setSelected(next);
      };
      return <SkuList datasetId="d1" selected={selected} onSelect={onSelect} initialHeight={600} />;
    }
    render(
      <ApiProvider client={client}>
        <QueryClientProvider client={queryClient}>
          <Page />
        </QueryClientProvider>
      </ApiProvider>,
    );
    await screen.findAllByTestId('sku-item');
    const listbox = screen.getByRole('listbox');
    const options = () => within(listbox).getAllByRole('option');
    const focused = () => (document.activeElement as HTMLElement | null)?.dataset.sku;
    const selectedRow = () => options().find((o) => o.getAttribute('aria-selected') === 'true')?.dataset.sku;

    act(() => options().find((o) => o.dataset.sku === sku(3))!.focus());
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    await vi.waitFor(() => expect(focused()).toBe(sku(4)));
    expect(selectedRow()).toBe(sku(4));
    expect(history).toEqual([{ sku: sku(4), replace: true }]);
    // The focused row is the selected one: Enter and Space change nothing, no entry is pushed.
    fireEvent.keyDown(document.activeElement!, { key: 'Enter' });
    fireEvent.keyDown(document.activeElement!, { key: ' ' });
    expect(history).toHaveLength(1);

    // A search whose matches do not include the selected SKU: the first match is the Tab stop,
    // focusing it selects nothing, and Enter selects it as a click does (pushing an entry).
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search SKUs' }), { target: { value: 'SKU-0005' } });
    await vi.waitFor(() => expect(options()[0]?.dataset.sku).toBe(sku(50)));
    const first = options().find((o) => o.tabIndex === 0)!;
    expect(first.dataset.sku).toBe(sku(50));
    act(() => first.focus());
    expect(history).toHaveLength(1);
    fireEvent.keyDown(document.activeElement!, { key: 'Enter' });
    await vi.waitFor(() => expect(selectedRow()).toBe(sku(50)));
    expect(history).toEqual([{ sku: sku(4), replace: true }, { sku: sku(50), replace: false }]);
    fireEvent.keyDown(document.activeElement!, { key: ' ' });
    expect(history).toHaveLength(2);
  });

  it('keeps the focused row in the DOM, and focused, when it is scrolled away or a refresh moves it', async () => {
    const api = stubSkus();
    const { queryClient } = renderList(api.fetch, sku(3));
    await screen.findAllByTestId('sku-item');
    const listbox = screen.getByRole('listbox');
    const row = (name: string) => within(listbox).queryAllByRole('option').find((o) => o.dataset.sku === name);
    const focused = () => (document.activeElement as HTMLElement | null)?.dataset.sku;
    act(() => row(sku(3))!.focus());
    expect(focused()).toBe(sku(3));

    // A mouse scroll far down: the rows in view change, the focused one stays rendered and focused.
    await scrollTo(listbox, 120 * SKU_ROW_HEIGHT);
    await vi.waitFor(() => expect(row(sku(125))).toBeTruthy());
    expect(row(sku(3))).toBeTruthy();
    expect(row(sku(3))!.tabIndex).toBe(0);
    expect(focused()).toBe(sku(3));
    expect(within(listbox).getAllByRole('option').length).toBeLessThan(30);

    // A refresh (the queue finished jobs, the sort is by error) moves the row elsewhere in the list.
    const order = Array.from({ length: TOTAL }, (_, i) => i);
    order.splice(3, 1);
    order.splice(60, 0, 3); // SKU 3 is now the 61st row; rows 4..60 move up one
    api.live.order = order;
    await act(async () => void queryClient.invalidateQueries({ queryKey: ['skus', 'd1'] }));
    await vi.waitFor(() => expect(row(sku(3))!.getAttribute('aria-posinset')).toBe('61'));
    expect(focused()).toBe(sku(3));
    // Scrolled back to the top, it is still there (and still the one Tab stop).
    await scrollTo(listbox, 0);
    expect(focused()).toBe(sku(3));
    expect(within(listbox).getAllByRole('option').filter((o) => o.tabIndex === 0).map((o) => o.dataset.sku)).toEqual([sku(3)]);
  });
});

describe('SkuList row error', () => {
  it('a forecast without a backtest (holdout 0) reads "no backtest", not "no forecast"; a SKU without a forecast still reads "no forecast"; a backtest is told as the tile counts it (the API\'s backtested), not by the error', async () => {
    const items = [
      { sku: 'HAS-FORECAST', length: 48, volume: 2, demandClass: 'smooth', bestModel: 'ensemble+ets', error: null, backtested: false, sparkline: [1] },
      { sku: 'NONE-YET', length: 48, volume: 1, demandClass: 'smooth', bestModel: null, error: null, backtested: false, sparkline: [1] },
      { sku: 'SCORED', length: 48, volume: 1, demandClass: 'smooth', bestModel: 'ets', error: 3.5, backtested: true, sparkline: [1] },
      // MAPE over actuals of 0: a backtest (in the tile's WAPE), no error (was: "no backtest").
      { sku: 'ZEROS', length: 48, volume: 0, demandClass: 'intermittent', bestModel: 'ets', error: null, backtested: true, sparkline: [0] },
    ];
    const fetch: FetchLike = async () => new Response(JSON.stringify({ total: items.length, items }), { status: 200, headers: { 'content-type': 'application/json' } });
    renderList(fetch);
    const row = async (name: string) => (await screen.findAllByTestId('sku-item')).find((r) => r.dataset.sku === name)!;
    const withForecast = await row('HAS-FORECAST');
    expect(within(withForecast).getByTestId('sku-error').textContent).toBe('no backtest');
    expect(within(withForecast).getByTestId('sku-error').getAttribute('title')).toMatch(/holdout is 0/);
    expect(within(await row('NONE-YET')).getByTestId('sku-error').textContent).toBe('no forecast');
    expect((await row('SCORED')).textContent).toContain('err 3.5');
    // Named as the SKU view names it (was: "Holdout error" here, "cross-validation error" there).
    expect(within(await row('SCORED')).getByTestId('sku-error').getAttribute('title')).toMatch(/^Cross-validation error of the forecast shown/);
    expect((await row('SCORED')).textContent).not.toMatch(/best/);
    expect(within(await row('ZEROS')).getByTestId('sku-error').textContent).toBe('err –');
  });
});

describe('SkuList row names', () => {
  it('keeps the end of a long name (the item code) whole and cuts its start, the full name in a title (was: "Berlin Mitte / ART-1…", every item of a store alike)', async () => {
    const names = ['Berlin Mitte / ART-1038', 'Berlin Mitte / ART-1039', 'PLAIN'];
    const fetch: FetchLike = async (url) => {
      if (!url.startsWith('/api/datasets/d1/skus')) return new Response('{"error":"no"}', { status: 404 });
      const items = names.map((n) => ({ sku: n, length: 48, volume: 10, demandClass: 'smooth', bestModel: null, error: null, backtested: false, sparkline: [1, 2] }));
      return new Response(JSON.stringify({ total: names.length, items }), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    renderList(fetch);
    const rows = await screen.findAllByTestId('sku-item');
    const name = rows[0].querySelector('.sku-name')!;
    expect(name.getAttribute('title')).toBe('Berlin Mitte / ART-1038');
    // The start gives way (its own ellipsis); the end is a span of its own that does not shrink (styles.css).
    expect(name.querySelector('.sku-name-head')!.textContent).toBe('Berlin Mitte');
    expect(name.querySelector('.sku-name-tail')!.textContent).toBe(' / ART-1038');
    expect(rows[1].querySelector('.sku-name-tail')!.textContent).toBe(' / ART-1039');
    // The option's accessible text is the whole name, once.
    expect(rows[0].querySelector('.sku-name')!.textContent).toBe('Berlin Mitte / ART-1038');
    expect(rows[2].querySelector('.sku-name-head')).toBeNull();
    expect(rows[2].querySelector('.sku-name-tail')!.textContent).toBe('PLAIN');
  });
});
