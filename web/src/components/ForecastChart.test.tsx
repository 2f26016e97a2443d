// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { ChartForecast, ChartSeries } from './ForecastChart.js';

// uPlot asks matchMedia for the pixel ratio when it loads; jsdom has none.
vi.hoisted(() => {
  window.matchMedia ??= ((query: string) => ({ matches: false, media: query, addEventListener() {}, removeEventListener() {}, addListener() {}, removeListener() {} })) as never;
});
// jsdom has no canvas: the plot is a stand-in whose every method does nothing (buildChart needs no uPlot).
vi.mock('uplot', () => ({
  default: class {
    constructor() {
      return new Proxy({ series: [], scales: { x: {} }, over: document.createElement('div'), root: document.createElement('div') }, {
        get: (target, key) => (key in target ? target[key as keyof typeof target] : () => undefined),
      });
    }
  },
}));
const { buildChart, chartCaption, ForecastChart } = await import('./ForecastChart.js');

const series: ChartSeries = {
  sku: 'A',
  dates: ['2024-01-01', '2024-02-01', '2024-03-01'],
  original: [10, 50, 12],
  cleaned: [10, 11, 12],
};
const forecast: ChartForecast = {
  bestModel: 'ets',
  forecast: { dates: ['2024-04-01', '2024-05-01'], mean: [13, 14], lower80: [11, 11], upper80: [15, 17], lower95: [9, 8], upper95: [17, 20] },
  backtest: { dates: ['2024-03-01'], actual: [12], fitted: [11.5] },
};

describe('buildChart', () => {
  it('puts history, the forecast with both bands and the backtest on one date axis', () => {
    const built = buildChart(series, forecast, [{ modelId: 'naive', dates: ['2024-04-01', '2024-05-01'], mean: [12, 12] }]);
    expect(built.dates).toEqual(['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01', '2024-05-01']);
    const labels = built.series.map((s) => s.label);
    expect(labels).toEqual(['Date', 'Original', 'History', '95% upper', '95% lower', '80% upper', '80% lower', 'Forecast (ets)', 'Holdout backtest', 'naive']);
    const column = (label: string) => built.data[labels.indexOf(label)];
    expect(column('History')).toEqual([10, 11, 12, null, null]);
    expect(column('Original')).toEqual([10, 50, 12, null, null]);
    expect(column('Forecast (ets)')).toEqual([null, null, null, 13, 14]);
    expect(column('Holdout backtest')).toEqual([null, null, 11.5, null, null]);
    expect(built.bands).toHaveLength(2);
  });

  it('draws no original line when nothing was edited, and no forecast when none exists', () => {
    const built = buildChart({ ...series, cleaned: series.original }, { ...forecast, forecast: null, backtest: null }, []);
    expect(built.series.map((s) => s.label)).toEqual(['Date', 'History']);
    expect(built.bands).toHaveLength(0);
  });

  it('draws only the bands the dataset asked for: with intervalLevels [95] the API sends null for the 80% band', () => {
    const only95 = { ...forecast, forecast: { ...forecast.forecast!, lower80: null, upper80: null } };
    const built = buildChart(series, only95, []);
    expect(built.series.map((s) => s.label)).toEqual(['Date', 'Original', 'History', '95% upper', '95% lower', 'Forecast (ets)', 'Holdout backtest']);
    expect(built.bands).toHaveLength(1);
    expect(built.legend.map((l) => l.label)).toEqual(['Original', 'History (cleaned)', 'Forecast: ets', '95% interval', 'Holdout backtest']);
  });

  it('draws the month to date apart from the history line, as a marker named by its days (a month of 5 days read as a collapse)', () => {
    const monthly: ChartSeries = { sku: 'A', dates: ['2026-10-01', '2026-11-01', '2026-12-01'], original: [300, 310, 52], cleaned: [300, 310, 52] };
    const fromDec: ChartForecast = { bestModel: 'ets', forecast: { dates: ['2026-12-01', '2027-01-01'], mean: [320, 330], lower80: null, upper80: null, lower95: null, upper95: null }, backtest: null };
    const built = buildChart(monthly, fromDec, [], undefined, [{ date: '2026-12-01', label: 'Dec 1 – 5 so far (5 of 31 days)', short: 'Dec 1 – 5 so far' }]);
    const labels = built.series.map((s) => s.label);
    const column = (label: string) => built.data[labels.indexOf(label)];
    // The line ends on the last whole month; December's 52 is a marker of its own, not a history point.
    expect(column('History')).toEqual([300, 310, null, null]);
    expect(column('Dec 1 – 5 so far (5 of 31 days)')).toEqual([null, null, 52, null]);
    expect(built.series[labels.indexOf('Dec 1 – 5 so far (5 of 31 days)')].paths?.(undefined as never, 0, 0, 0)).toBeNull();
    expect(built.legend.map((l) => [l.label, l.kind])).toEqual([['History', 'line'], ['Dec 1 – 5 so far (5 of 31 days)', 'marker'], ['Forecast: ets', 'line']]);
    expect(built.partial.get('2026-12-01')).toBe('Dec 1 – 5 so far (5 of 31 days)');
  });
});

describe('chartCaption', () => {
  it('says the forecast could not be loaded when its request failed, not "no forecast yet"', () => {
    expect(chartCaption(series, null, [], false, true)).toBe('A: 3 points of history, the forecast could not be loaded.');
    // A failed request while another is asked for (Retry) is still not "no forecast yet".
    expect(chartCaption(series, null, [], true, true)).toBe('A: 3 points of history, the forecast could not be loaded.');
  });

  it('says the forecast is loading while it is asked for, "no forecast yet" only once none came (was: "no forecast yet" while loading)', () => {
    const none = { ...forecast, forecast: null, backtest: null };
    expect(chartCaption(series, null, [], true)).toBe('A: 3 points of history, the forecast is loading.');
    expect(chartCaption(series, null, [])).toBe('A: 3 points of history, no forecast yet.');
    expect(chartCaption(series, none, [])).toBe('A: 3 points of history, no forecast yet.');
    expect(chartCaption(series, forecast, [])).toBe('A: 3 points of history, a 2-period forecast by ets with 80% and 95% intervals.');
    expect(chartCaption(series, forecast, ['Mar 1 – 5 so far (5 of 31 days)'])).toBe('A: 2 points of history and Mar 1 – 5 so far (5 of 31 days), a 2-period forecast by ets with 80% and 95% intervals.');
  });
});

describe('ForecastChart', () => {
  it('is one image named by what it shows (its canvas said nothing)', () => {
    try {
      render(<ForecastChart series={series} forecast={forecast} extraLines={[]} frequency="monthly" />);
      const chart = screen.getByRole('img', { name: 'A: 3 points of history, a 2-period forecast by ets with 80% and 95% intervals.' });
      expect(chart.dataset.testid).toBe('forecast-chart');
    } finally {
      cleanup();
    }
  });
});

describe('ForecastChart marks', () => {
  it('names a mark in the legend and the caption, and says where it stands (How did we do: the snapshot\'s history end)', () => {
    const mark = { after: '2024-02-01', label: "Snapshot #3's history ends Feb 1, 2024: the actuals after it were appended since", short: 'actuals since snapshot #3 →' };
    try {
      render(<ForecastChart series={series} forecast={forecast} extraLines={[]} frequency="monthly" marks={[mark]} />);
      const chart = screen.getByRole('img', { name: `A: 3 points of history, a 2-period forecast by ets with 80% and 95% intervals. ${mark.label}.` });
      expect(chart.dataset.marks).toBe('2024-02-01');
      const item = [...document.querySelectorAll('.chart-legend li')].find((li) => li.textContent === mark.label);
      expect(item?.querySelector('.swatch-rule')).toBeTruthy();
    } finally {
      cleanup();
    }
  });

  it('has none by default', () => {
    try {
      render(<ForecastChart series={series} forecast={forecast} extraLines={[]} frequency="monthly" />);
      expect(screen.getByTestId('forecast-chart').dataset.marks).toBe('');
      expect(document.querySelector('.swatch-rule')).toBeNull();
    } finally {
      cleanup();
    }
  });
});
