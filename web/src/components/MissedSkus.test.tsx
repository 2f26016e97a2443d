// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AccuracyResponse, ForecastsResponse, SkuSeries } from '../api/types.js';
import { MissedSkus, snapshotMarks } from './MissedSkus.js';
import { setFormatLocale } from '../format.js';

// The chart (uPlot on a canvas) is a stand-in: these tests look at what it is given.
const chartMarks = vi.hoisted(() => [] as unknown[]);
const chartOpenFrom = vi.hoisted(() => [] as unknown[]);
vi.mock('./ForecastChart.js', () => ({
  ForecastChart: ({ marks, openFrom }: { marks?: unknown; openFrom?: unknown }) => {
    chartMarks.push(marks);
    chartOpenFrom.push(openFrom);
    return null;
  },
}));

afterEach(cleanup);

const snapshot = { id: 3, datasetId: 'd1', mark: 10, cause: 'import', createdAt: 1, historyEnd: '2024-12-01', forecastStart: '2025-01-01', forecastEnd: '2025-03-01', skuCount: 1, skusWithForecast: 1, bytes: 100, portfolio: { wape: 10, bias: 1 }, name: null } as const;
const figures = { wape: 100, bias: -100, mae: 4, points: 3, coverage80: 0, coverage95: 0 };
const a = { snapshot, items: [{ sku: 'S', model: 'croston', absError: 12, ...figures }], total: 1 } as unknown as AccuracyResponse;
const series = { sku: 'S', dates: ['2024-12-01'], original: [0], cleaned: [0] } as unknown as SkuSeries;
const earlier = (status: string | null | undefined): ForecastsResponse => ({
  portfolio: { wape: null, bias: null, skus: 1, skusWithForecast: 1, skusWithBacktest: null },
  total: 1,
  snapshot: { ...snapshot },
  items: [{
    sku: 'S', bestModel: 'croston', selectedBy: 'metric', selection: null, error: null, backtest: null, inactive: null, models: [],
    forecast: { dates: ['2025-01-01', '2025-02-01', '2025-03-01'], mean: [0, 0, 0], lower80: null, upper80: null, lower95: null, upper95: null, intervals: [] },
    ...(status === undefined ? {} : { status }),
  }],
} as ForecastsResponse);

const show = (status: string | null | undefined) =>
  render(<MissedSkus a={a} chosenSku="S" onChoose={vi.fn()} series={series} earlier={earlier(status)} frequency="monthly" partial={[]} />);

describe('MissedSkus', () => {
  it("opens the chosen SKU's chart on the 26 weeks before the snapshot's history end and the scored ones after, not its 3 years (review-planner finding 12)", async () => {
    const weeks = Array.from({ length: 152 }, (_, i) => new Date(Date.UTC(2024, 0, 7 + 7 * i)).toISOString().slice(0, 10));
    const long = { sku: 'S', dates: weeks, original: weeks.map(() => 5), cleaned: weeks.map(() => 5) } as unknown as SkuSeries;
    const scored = { ...a, snapshot: { ...snapshot, historyEnd: weeks[149] } } as unknown as AccuracyResponse;
    render(<MissedSkus a={scored} chosenSku="S" onChoose={vi.fn()} series={long} earlier={earlier('forecast')} frequency="weekly" partial={[]} />);
    await vi.waitFor(() => expect(chartOpenFrom.length).toBeGreaterThan(0));
    expect(chartOpenFrom.at(-1)).toBe(weeks[124]);
  });

  it("says a SKU the snapshot read as stopped was forecast as inactive (its `status`), as a current forecast's sentence does (was: its 0s shown as a plain miss)", () => {
    show('inactive');
    expect(screen.getByTestId('snapshot-inactive').textContent).toBe('Read as stopped when snapshot #3 was taken (no recent demand): forecast as inactive, 0');
  });

  it('says nothing of the kind for a forecast, a snapshot from before statuses were recorded (null), or an answer without status', () => {
    for (const status of ['forecast', null, undefined]) {
      show(status);
      expect(screen.queryByTestId('snapshot-inactive')).toBeNull();
      cleanup();
    }
  });

  it("marks on the chart where the actuals appended after the snapshot begin: after its history end, named in the legend (was: one history line, the forecast's future unmarked)", async () => {
    setFormatLocale('en-US');
    try {
      show('forecast');
      await vi.waitFor(() => expect(chartMarks.length).toBeGreaterThan(0));
      expect(chartMarks.at(-1)).toEqual([{
        after: '2024-12-01',
        label: "Snapshot #3's forecast was made from the history through Dec 2024: right of the line is what was recorded after it, which the forecast is scored against",
        short: "after snapshot #3's history →",
      }]);
      // A quarter is named as one; without a frequency, the day.
      expect(snapshotMarks({ id: 5, historyEnd: '2024-10-01' }, 'quarterly')[0].label).toContain('through Q4 2024:');
      expect(snapshotMarks({ id: 5, historyEnd: '2024-10-01' })[0].label).toContain('through Oct 1, 2024:');
      // A snapshot that recorded no history end (none had history) marks nothing.
      expect(snapshotMarks({ id: 4, historyEnd: null })).toEqual([]);
    } finally {
      setFormatLocale(undefined);
    }
  });

  it('names a named snapshot by its name in the chart\'s heading, its inactive note and its mark (was: "snapshot #3" after the planner had named it; planner walkthrough, finding 8)', () => {
    const named = { ...a, snapshot: { ...snapshot, name: 'S&OP KW47' } } as unknown as AccuracyResponse;
    render(<MissedSkus a={named} chosenSku="S" onChoose={vi.fn()} series={series} earlier={earlier('inactive')} frequency="monthly" partial={[]} />);
    expect(screen.getByTestId('accuracy-chart').querySelector('h3')!.textContent).toMatch(/^S: the forecast of “S&OP KW47” \(snapshot #3\) over the actuals/);
    expect(screen.getByTestId('snapshot-inactive').textContent).toBe('Read as stopped when “S&OP KW47” (snapshot #3) was taken (no recent demand): forecast as inactive, 0');
    const [mark] = snapshotMarks({ id: 3, name: 'S&OP KW47', historyEnd: '2024-12-01' }, 'monthly');
    expect(mark.short).toBe('after the history of “S&OP KW47” →');
    expect(mark.label).toMatch(/^The forecast of “S&OP KW47” \(snapshot #3\) was made from the history through/);
  });
});
