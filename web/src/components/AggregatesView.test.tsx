// @vitest-environment jsdom
import { QueryClient } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setFormatLocale } from '../format.js';
import type { FetchLike } from '../api/client.js';
import type { Job } from '../api/types.js';
import { namedSkus } from './AggregatesView.js';
import { aggregates, aggregatesFetch, aggregatesViews, forecast, group, json, renderAggregatesView } from './aggregates-view-fixture.js';

// The chart (uPlot on a canvas) is not what this test looks at, only the frequency it is given.
const chartFrequencies = vi.hoisted(() => [] as unknown[]);
vi.mock('./ForecastChart.js', () => ({
  ForecastChart: ({ frequency }: { frequency?: unknown }) => {
    chartFrequencies.push(frequency);
    return null;
  },
}));

/** A total of 75 SKUs whose last period sums `lastSkus` of them, as does the forecast's second date; `actuals` the SKUs with actuals on each forecast date. */
const raggedTotal = (lastSkus: number, actuals: number[]) => ({
  ...group(null, 75, 75, 6969),
  history: { dates: ['2024-12-01', '2025-01-01'], original: [6800, 6755], cleaned: [6800, 6755], skus: [75, lastSkus] },
  forecast: {
    dates: ['2025-02-01', '2025-03-01'], mean: [6969, 7001], lower80: [6900, 6900], upper80: [7100, 7100], lower95: [6800, 6800], upper95: [7200, 7200],
    skus: [75, lastSkus], actuals,
  },
});

beforeEach(() => setFormatLocale('en-US'));
afterEach(() => {
  cleanup();
  setFormatLocale(undefined);
});

describe('AggregatesView', () => {
  it('a failed request says "Could not load totals" with the API\'s message and asks again on Retry (was: "Loading…" for ever)', async () => {
    let fail = true;
    const fetch: FetchLike = async (url) => {
      if (url.startsWith('/api/datasets/d1/aggregates')) {
        return fail
          ? json({ error: 'totals are not available: the dataset is being replaced', details: [] }, 409)
          : json(aggregates);
      }
      return json({}, 404);
    };
    renderAggregatesView(fetch, { datasetId: 'd1', frequency: 'monthly' }, new QueryClient({ defaultOptions: { queries: { retry: false } } }));
    const failed = await screen.findByRole('alert');
    expect(failed.textContent).toMatch(/^Could not load totals: totals are not available: the dataset is being replaced/);
    expect(document.body.textContent).not.toContain('Loading…');
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await screen.findByTestId('aggregate-chart');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says which periods sum actuals to date (provisional), and nothing when none does', async () => {
    const partial = {
      ...group(null, 3, 3, 300),
      history: { dates: ['2024-11-01', '2024-12-01'], original: [300, 90], cleaned: [300, 90], skus: [3, 3], provisional: [0, 3], provisionalSpan: [null, { from: '2024-12-01', to: '2024-12-10', periodDays: 31 }] },
      forecast: { ...forecast(300), provisional: [1] },
    };
    const fetch: FetchLike = async (url) => {
      if (url.startsWith('/api/datasets/d1/aggregates')) return json({ ...aggregates, by: null, groups: [], total: partial });
      if (url.startsWith('/api/datasets/d2/aggregates')) return json({ ...aggregates, by: null, groups: [] });
      return json({}, 404);
    };
    const { unmount } = renderAggregatesView(fetch, { datasetId: 'd1', frequency: 'monthly' });
    expect((await screen.findByTestId('aggregate-provisional')).textContent).toMatch(/^Partial periods: Dec 1, 2024 \(3 of 3 SKUs\), Jan 1, 2025 \(1 of 1 SKU, an actual among forecasts\) sum actuals to date/);
    unmount();
    renderAggregatesView(fetch, { datasetId: 'd2', frequency: 'monthly' });
    await screen.findByTestId('aggregate-chart');
    expect(screen.queryByTestId('aggregate-provisional')).toBeNull();
  });

  it("says when a group's next period sums fewer SKUs than it has (too short, new): the number is not the store's", async () => {
    renderAggregatesView(aggregatesFetch(aggregates), { datasetId: 'd1', frequency: 'weekly' });
    await screen.findByTestId('aggregate-chart');
    // The download looks like "Export forecasts.csv", in a toolbar that wraps (was a ghost "totals.csv" that read as plain text).
    const csv = screen.getByRole('button', { name: 'Export totals.csv' });
    expect(csv.className).toBe('btn');
    expect(csv.parentElement!.className).toBe('toolbar');
    // The dataset's frequency reaches the chart's axis (not inferred from the dates).
    await vi.waitFor(() => expect(chartFrequencies.at(-1)).toBe('weekly'));
    const text = (value: string) => document.querySelector(`[data-testid=aggregate-group][data-value="${value}"]`)!.textContent;
    expect(text('Central')).toBe('Central · 10 SKUs · next period 2,346');
    expect(text('North')).toBe('North · 11 SKUs · next period 2,337 (sum of 9: 2 SKUs without a forecast on that date)');
    // Under the chart, its figures as a table for the group shown (the chart alone could not be read or copied).
    const details = screen.getByTestId('totals-table-details') as HTMLDetailsElement;
    details.open = true;
    fireEvent(details, new Event('toggle'));
    expect(screen.getByRole('table', { name: 'All SKUs: summed history and forecast by period' })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Total by'), { target: { value: 'store' } });
    fireEvent.click(await vi.waitFor(() => {
      const row = document.querySelector('[data-testid=aggregate-group][data-value="North"]');
      if (!row) throw new Error('no North row yet');
      return row;
    }));
    const north = await screen.findByRole('table', { name: 'store North: summed history and forecast by period' });
    // Both buttons name the file they save under a Total by (was "totals.csv" on both).
    expect(screen.getByRole('button', { name: 'Export totals-by-store.csv' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Download totals-by-store.csv' })).toBeTruthy();
    expect([...north.querySelectorAll('[data-kind=forecast] td')].map((c) => c.textContent)).toEqual(['store North', 'Forecast', '2,337', '2,317', '2,357', '2,327', '2,347']);
  });

  it("counts the SKUs the forecast sums from its dates (forecast.skus), not skusWithForecast: a SKU whose forecast lies before the total's range is not in the sum (was: 'sum of 120 SKUs' over 117, '40 SKUs' over 39)", async () => {
    // 40 SKUs, all 40 with a forecast, yet each date sums 39: one stopped selling, its forecast dates are history here.
    const store = { ...group('Berlin', 40, 40, 1450.9), forecast: forecast(1450.9, 39) };
    const total = { ...group(null, 120, 118, 4350), forecast: forecast(4350, 117) };
    const answer = { ...aggregates, by: 'Store', total, groups: [store] };
    renderAggregatesView(aggregatesFetch(answer), { datasetId: 'd1', frequency: 'weekly' });
    expect((await screen.findByTestId('aggregate-summed')).textContent).toBe(
      "Forecast: sum of 117 of 120 SKUs; 3 have no forecast in this range: 2 have none at all (too short, or not forecast yet); 1 has one wholly outside it (its history ends before the others', and its forecast with it).",
    );
    const berlin = document.querySelector('[data-testid=aggregate-group][data-value="Berlin"]')!;
    expect(berlin.textContent).toBe('Berlin · 40 SKUs · next period 1,451 (sum of 39: 1 SKU without a forecast on that date)');
    fireEvent.click(berlin);
    expect((await screen.findByTestId('aggregate-summed')).textContent).toBe("Forecast: sum of 39 of 40 SKUs; 1 has no forecast in this range: its history ends before the others', and its forecast with it.");
  });

  it('says when the last period sums fewer SKUs than the one before and the forecast fewer than have one (histories ending apart), and nothing when they end together', async () => {
    renderAggregatesView(aggregatesFetch({ ...aggregates, total: raggedTotal(66, [1, 0]) }), { datasetId: 'd1', frequency: 'monthly' });
    const note = await screen.findByTestId('aggregate-ragged');
    expect(note.textContent).toBe('Histories end apart: the last period (Jan 1, 2025) sums 66 of 75 SKUs: the others have no actuals for it yet (not in the last actuals file, or a line rejected there: its warnings say which); 1 SKU with actuals past the history\'s last period counts with those actuals, not a forecast, on the first forecast dates; the forecast\'s later dates sum 66 of the 75 SKUs summed: the others\' histories, so their horizons, end earlier.');
    act(() => document.querySelector<HTMLButtonElement>('[data-testid=aggregate-group][data-value="Central"]')!.click());
    await vi.waitFor(() => expect(screen.queryByTestId('aggregate-ragged')).toBeNull());
  });

  it('says "the other" when one SKU is missing, not "the others"', async () => {
    renderAggregatesView(aggregatesFetch({ ...aggregates, total: raggedTotal(74, [0, 0]) }), { datasetId: 'd1', frequency: 'monthly' });
    const note = await screen.findByTestId('aggregate-ragged');
    expect(note.textContent).toBe('Histories end apart: the last period (Jan 1, 2025) sums 74 of 75 SKUs: the other has no actuals for it yet (not in the last actuals file, or a line rejected there: its warnings say which); the forecast\'s later dates sum 74 of the 75 SKUs summed: the other\'s history, so its horizon, ends earlier.');
  });

  it("counts the SKUs left out against the same SKUs and names them (review-planner finding 7: '31 SKUs', 'sum of 30 of 31', then 'the last period sums 29 of 30: the other has no actuals' while two lacked it, none named)", async () => {
    const total = {
      ...group(null, 31, 30, 3069),
      history: { dates: ['2026-11-22', '2026-11-29'], original: [3100, 3050], cleaned: [3100, 3050], skus: [30, 29], provisional: [0, 0], provisionalSpan: [null, null] },
      forecast: forecast(3069, 30),
      leftOut: {
        noForecast: { count: 1, skus: ['A-9999'] },
        outsideForecast: { count: 0, skus: [] },
        lastPeriod: { date: '2026-11-29', count: 2, skus: ['A-9999', 'A-1011'] },
      },
    };
    renderAggregatesView(aggregatesFetch({ ...aggregates, total }), { datasetId: 'd1', frequency: 'weekly' });
    expect((await screen.findByTestId('aggregate-summed')).textContent).toBe('Forecast: sum of 30 of 31 SKUs; 1 has no forecast at all (A-9999): too short, or not forecast yet.');
    expect(screen.getByTestId('aggregate-ragged').textContent).toBe('Histories end apart: the last period (Nov 29, 2026) sums 29 of 31 SKUs: 2 have no actuals for it yet (A-9999, A-1011: not in the last actuals file, or a line rejected there: its warnings say which).')
    // Re-walk N1: not "send them with 0", said of a SKU whose line the append had rejected.
    expect(screen.getByTestId('aggregate-ragged').textContent).not.toMatch(/send .* with 0/);;
    expect(namedSkus({ count: 9, skus: ['A', 'B', 'C', 'D', 'E'] })).toBe('A, B, C, D, E and 4 more');
  });

  it('names the SKUs missing from the forecast\'s later dates (R review finding 6: counted as summed, they were missing from the last periods unnamed)', async () => {
    const total = {
      ...group(null, 30, 30, 3069),
      history: { dates: ['2026-11-22', '2026-11-29'], original: [3100, 3050], cleaned: [3100, 3050], skus: [30, 30], provisional: [0, 0], provisionalSpan: [null, null] },
      forecast: {
        dates: ['2026-12-06', '2026-12-13'], mean: [3069, 2800], lower80: [2900, 2600], upper80: [3200, 3000], lower95: [2800, 2500], upper95: [3300, 3100],
        skus: [30, 27], actuals: [0, 0], provisional: [0, 0],
      },
      leftOut: {
        noForecast: { count: 0, skus: [] },
        outsideForecast: { count: 0, skus: [] },
        lastPeriod: { date: '2026-11-29', count: 0, skus: [] },
        partialForecast: { count: 3, skus: ['A-1001', 'A-1002', 'A-1011'], from: '2026-12-13' },
        firstForecastDate: { count: 0, skus: [] },
      },
    };
    renderAggregatesView(aggregatesFetch({ ...aggregates, total }), { datasetId: 'd1', frequency: 'weekly' });
    expect((await screen.findByTestId('aggregate-ragged')).textContent).toBe('Histories end apart: 3 SKUs are missing from the forecast\'s later dates (from Dec 13, 2026): A-1001, A-1002, A-1011; their histories, so their horizons, end earlier.');
  });

  it('says when a total\'s band leaves out members with no interval (narrower than the truth) or estimates theirs, and nothing when every member had one', async () => {
    const partial = { fromBand: 6, fromHoldout: 3, fromCv: 0, unknown: 1, unknownShare: 0.338096, status: 'partial' };
    const estimated = { fromBand: 8, fromHoldout: 3, fromCv: 2, unknown: 0, unknownShare: 0, status: 'estimated' };
    const north = { ...group('North', 11, 9, 2337, partial), leftOut: { noForecast: { count: 2, skus: ['N-7', 'N-9'] }, outsideForecast: { count: 0, skus: [] }, lastPeriod: null, partialForecast: { count: 0, skus: [], from: null }, firstForecastDate: { count: 2, skus: ['N-7', 'N-9'] } } };
    const answer = { ...aggregates, total: group(null, 21, 19, 4683, estimated), groups: [group('Central', 10, 10, 2346), north] };
    renderAggregatesView(aggregatesFetch(answer), { datasetId: 'd1', frequency: 'weekly' });
    const note = await screen.findByTestId('aggregate-spread');
    expect(note.dataset.status).toBe('estimated');
    expect(note.textContent).toBe('Band: 3 SKUs without an interval of their own count with the spread of their past forecast errors (cross-validation, else holdout).');
    const button = (value: string) => document.querySelector<HTMLButtonElement>(`[data-testid=aggregate-group][data-value="${value}"]`)!;
    expect(button('North').textContent).toBe('North · 11 SKUs · next period 2,337 (sum of 9: 2 SKUs without a forecast on that date: N-7, N-9) · band partial');
    act(() => button('North').click());
    await vi.waitFor(() => expect(screen.getByTestId('aggregate-spread').dataset.status).toBe('partial'));
    expect(screen.getByTestId('aggregate-spread').textContent).toBe('Band: 3 SKUs without an interval of their own count with the spread of their past forecast errors (cross-validation, else holdout); 1 SKU with neither an interval nor a holdout (33.8% of the forecast) is left out of it: the band is narrower than the truth.');
    act(() => button('Central').click());
    await vi.waitFor(() => expect(screen.queryByTestId('aggregate-spread')).toBeNull());
  });

  it('refreshes while jobs of its dataset complete: one request at a time, at most every 15 s or 5 times the last response time, none for another dataset’s jobs', async () => {
    let next = 4683;
    const asked: number[] = [];
    let release: (() => void) | null = null;
    let hold = false;
    const fetch: FetchLike = async (url) => {
      if (!url.startsWith('/api/datasets/d1/aggregates')) return json({}, 404);
      asked.push(Date.now());
      if (hold) await new Promise<void>((resolve) => (release = resolve));
      return json({ ...aggregates, groups: [group('Central', 10, 10, next), aggregates.groups[1]] });
    };
    const running = (datasetId: string) => [{ id: 1, datasetId, sku: 'A', status: 'running' }] as unknown as Job[];
    let now = 0;
    const spy = vi.spyOn(Date, 'now').mockImplementation(() => now);
    const views = aggregatesViews(fetch);
    const view = (refreshKey: number, jobs: Job[]) => views({ datasetId: 'd1', refreshKey, jobs });
    const { rerender } = render(view(0, running('d2')));
    await screen.findByTestId('aggregate-chart');
    const central = () => document.querySelector('[data-testid=aggregate-group][data-value="Central"]')!.textContent;
    expect(asked).toHaveLength(1);
    expect(central()).toContain('4,683');

    // Another dataset's jobs finishing change nothing here.
    now = 16_000;
    rerender(view(1, running('d2')));
    await act(async () => {});
    expect(asked).toHaveLength(1);

    // This dataset's: refetched (the answer is more than 15 s old).
    now = 20_000;
    next = 5000;
    rerender(view(2, running('d1')));
    await vi.waitFor(() => expect(central()).toContain('5,000'));
    expect(asked).toHaveLength(2);
    // Ticks 3 s and 14 s later are too soon (at most every 15 s: a browser used to ask every 6-9 s) ...
    for (const [key, at] of [[3, 23_000], [4, 34_000]]) {
      now = at;
      rerender(view(key, running('d1')));
      await act(async () => {});
      expect(asked).toHaveLength(2);
    }
    // ... and one while a request is still out waits for it (no cancelled, repeated requests).
    now = 36_000;
    hold = true;
    rerender(view(5, running('d1')));
    await vi.waitFor(() => expect(asked).toHaveLength(3));
    now = 40_000;
    rerender(view(6, running('d1')));
    await act(async () => {});
    expect(asked).toHaveLength(3);
    next = 6000;
    hold = false;
    now = 46_000; // that sum took 10 s to answer
    await act(async () => release?.());
    await vi.waitFor(() => expect(central()).toContain('6,000'));
    expect(asked).toHaveLength(3);
    // A 10 s sum is asked for again 50 s after its answer at the soonest, not 15 s.
    now = 46_000 + 49_000;
    rerender(view(7, running('d1')));
    await act(async () => {});
    expect(asked).toHaveLength(3);
    now = 46_000 + 50_000;
    rerender(view(8, running('d1')));
    await vi.waitFor(() => expect(asked).toHaveLength(4));
    expect(asked[3]).toBe(96_000);
    spy.mockRestore();
  });
});
