import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Frequency, SkuForecast, SkuSeries } from '../api/types.js';
import { formatDate, formatNumber, formatTicks } from '../format.js';
import { inferFrequency, periodCalendar, periodLabels, periodTicks } from './chart-axis.js';
import { initialXWindow } from './initial-x-window.js';
import { createClickGuard } from './click-guard.js';
import { chartColors, useColorScheme, type ChartColors } from '../theme.js';
import type { PartialPoint } from './partial-points.js';
import { drawMarks, type ChartMark } from './chart-marks.js';

export interface ExtraLine {
  modelId: string;
  dates: string[];
  mean: number[];
}

/**
 * What the chart draws: a history (a SKU's, or a total's in AggregatesView) and a forecast whose
 * bands may be missing (a dataset whose intervalLevels leave 80 or 95 out has null for them).
 */
export type ChartSeries = Pick<SkuSeries, 'sku' | 'dates' | 'original' | 'cleaned'>;
type Bands = Pick<NonNullable<SkuForecast['forecast']>, 'dates' | 'mean' | 'lower80' | 'upper80' | 'lower95' | 'upper95'>;
export type ChartForecast = Pick<SkuForecast, 'bestModel' | 'backtest'> & { forecast: Bands | null };

interface ForecastChartProps {
  series: ChartSeries;
  forecast: ChartForecast | null;
  extraLines: ExtraLine[];
  /** A history point was clicked: the cleaning grid opens that date for editing. */
  onPickDate?: (date: string) => void;
  height?: number;
  /** The dataset's frequency (the x-axis ticks its periods); inferred from the dates when not known. */
  frequency?: Frequency | null;
  /** History dates whose value is the period to date (partial-points.ts): drawn apart, named by their days. */
  partial?: PartialPoint[];
  /** The forecast is still being asked for: `forecast` null means not known yet, not none. */
  forecastLoading?: boolean;
  /** The forecast request failed: `forecast` null means not known, not none. */
  forecastFailed?: boolean;
  /** Vertical rules after dates, named in the legend and the caption (How did we do: the snapshot's history end). */
  marks?: ChartMark[];
  /**
   * The date the chart opens from, to its last date (How did we do: the last periods before the
   * snapshot's history end, and what was scored after it: scoredWindowFrom); "Reset zoom" shows
   * all. Unset: the chart's own initial window (initialXWindow).
   */
  openFrom?: string | null;
}

const noMarks: ChartMark[] = [];
const palette = ['#7c3aed', '#0891b2', '#db2777', '#65a30d', '#ea580c', '#4f46e5'];
const toTime = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 1000;
const toIso = (time: number) => new Date(Math.round(time) * 1000).toISOString().slice(0, 10);

/** The x range shown: its first and last dates, and whether it is all of the chart's dates. */
interface Shown {
  from: string;
  to: string;
  whole: boolean;
}

export interface LegendItem {
  label: string;
  color: string;
  kind: 'line' | 'dashed' | 'band' | 'marker' | 'rule';
}

interface Built {
  data: uPlot.AlignedData;
  series: uPlot.Series[];
  bands: uPlot.Band[];
  dates: string[];
  legend: LegendItem[];
  /** Partial dates by their days' label, for the readout under the cursor. */
  partial: Map<string, string>;
  /** Partial dates' short labels, written beside their markers. */
  partialShort: Map<string, string>;
  /** The index in `series` of the partial dates' markers (-1: none). */
  partialSeries: number;
}

/**
 * Aligns history, forecast, bands, backtest and toggled models on one date axis for uPlot.
 *
 * A `partial` date (the month to date) is left out of the history line and drawn as a hollow
 * marker of its own, labelled by its days in the legend and the readout: joined to the line, five
 * days of December read as a month whose demand collapsed.
 */
export function buildChart(series: ChartSeries, forecast: ChartForecast | null, extra: ExtraLine[], colors: ChartColors = chartColors(), partial: PartialPoint[] = []): Built {
  const dateSet = new Set(series.dates);
  forecast?.forecast?.dates.forEach((d) => dateSet.add(d));
  extra.forEach((e) => e.dates.forEach((d) => dateSet.add(d)));
  const dates = [...dateSet].sort();
  const index = new Map(dates.map((d, i) => [d, i]));
  const column = (ds: string[], values: number[]) => {
    const out: Array<number | null> = new Array(dates.length).fill(null);
    ds.forEach((d, i) => {
      const at = index.get(d);
      if (at !== undefined && Number.isFinite(values[i])) out[at] = values[i];
    });
    return out;
  };
  const edited = series.original.some((v, i) => v !== series.cleaned[i]);
  const partialDates = new Set(partial.map((p) => p.date));
  const whole = (values: number[]) => values.map((v, i) => (partialDates.has(series.dates[i]) ? Number.NaN : v));
  const cols: Array<Array<number | null>> = [];
  const defs: uPlot.Series[] = [{ label: 'Date', value: (_u, v) => (v == null ? '' : formatDate(new Date(v * 1000).toISOString().slice(0, 10))) }];
  const bands: uPlot.Band[] = [];
  const legend: LegendItem[] = [];
  const add = (label: string, values: Array<number | null>, style: Partial<uPlot.Series>) => {
    cols.push(values);
    defs.push({ label, spanGaps: false, points: { show: false }, width: 1.5, ...style });
    return defs.length - 1;
  };
  if (edited) {
    add('Original', column(series.dates, whole(series.original)), { stroke: colors.original, dash: [4, 3], width: 1 });
    legend.push({ label: 'Original', color: colors.original, kind: 'dashed' });
  }
  add('History', column(series.dates, whole(series.cleaned)), { stroke: colors.history, width: 2, points: { show: true, size: 4 } });
  legend.push({ label: edited ? 'History (cleaned)' : 'History', color: colors.history, kind: 'line' });
  let partialSeries = -1;
  if (partial.length > 0) {
    // One series for every partial date, so the readout names the one under the cursor's days
    // only when there is one; several (a provisional period inside the history) share a name.
    const label = partial.length === 1 ? partial[0].label : 'Periods to date (partial)';
    const values = new Map(series.dates.map((d, i) => [d, series.cleaned[i]]));
    partialSeries = add(label, column(partial.map((p) => p.date), partial.map((p) => values.get(p.date) ?? Number.NaN)), {
      stroke: colors.history,
      width: 0,
      paths: () => null,
      points: { show: true, size: 9, width: 2, stroke: colors.history, fill: 'transparent' },
    });
    legend.push({ label, color: colors.history, kind: 'marker' });
  }
  const f = forecast?.forecast;
  if (f && f.dates.length > 0) {
    const model = forecast?.bestModel ?? 'best';
    const bandLegend: LegendItem[] = [];
    const band = (level: number, upper: number[] | null, lower: number[] | null, stroke: string, fill: string, swatch: string) => {
      if (!upper || !lower) return;
      const hi = add(`${level}% upper`, column(f.dates, upper), { stroke, width: 1 });
      const lo = add(`${level}% lower`, column(f.dates, lower), { stroke, width: 1 });
      bands.push({ series: [hi, lo], fill });
      bandLegend.push({ label: `${level}% interval`, color: swatch, kind: 'band' });
    };
    band(95, f.upper95, f.lower95, 'rgba(234,88,12,0.25)', 'rgba(234,88,12,0.10)', 'rgba(234,88,12,0.15)');
    band(80, f.upper80, f.lower80, 'rgba(234,88,12,0.4)', 'rgba(234,88,12,0.18)', 'rgba(234,88,12,0.35)');
    add(`Forecast (${model})`, column(f.dates, f.mean), { stroke: '#ea580c', width: 2.5 });
    legend.push({ label: `Forecast: ${model}`, color: '#ea580c', kind: 'line' }, ...bandLegend.reverse());
  }
  const bt = forecast?.backtest;
  if (bt && bt.dates.length > 0) {
    add('Holdout backtest', column(bt.dates, bt.fitted), { stroke: '#16a34a', dash: [6, 4], width: 2 });
    legend.push({ label: 'Holdout backtest', color: '#16a34a', kind: 'dashed' });
  }
  extra.forEach((e, i) => {
    add(e.modelId, column(e.dates, e.mean), { stroke: palette[i % palette.length], width: 1.5 });
    legend.push({ label: e.modelId, color: palette[i % palette.length], kind: 'line' });
  });
  return { data: [dates.map(toTime), ...cols] as uPlot.AlignedData, series: defs, bands, dates, legend, partial: new Map(partial.map((p) => [p.date, p.label])), partialShort: new Map(partial.map((p) => [p.date, p.short])), partialSeries };
}

/** Room one period label needs ("Sep 2024" in the browser's locale is wider than uPlot's own labels). */
const labelSpace = 76;

/**
 * The x-axis: ticks on the periods of the dataset's frequency, labelled with their names
 * (chart-axis.ts), at most one per `labelSpace` px.
 */
export function timeAxis(frequency: Frequency | null | undefined, times: number[], colors: Pick<ChartColors, 'axis' | 'grid'>): uPlot.Axis {
  const calendar = periodCalendar(frequency ?? inferFrequency(times), times);
  let step = 1;
  return {
    stroke: colors.axis,
    grid: { stroke: colors.grid },
    ticks: { stroke: colors.grid },
    space: labelSpace,
    splits: (u, _axis, min, max) => {
      const width = u.bbox.width > 0 ? u.bbox.width / uPlot.pxRatio : u.width;
      const found = periodTicks(calendar, min, max, width, labelSpace);
      step = found.step;
      return found.ticks;
    },
    values: (_u, splits) => periodLabels(calendar, splits, step),
  };
}

/**
 * What the chart shows, for a screen reader (the canvas says nothing). A forecast still loading,
 * or whose request failed, is said so: "no forecast yet" would tell the planner there is none.
 */
export function chartCaption(series: ChartSeries, forecast: ChartForecast | null, partialLabels: string[], forecastLoading = false, forecastFailed = false, markLabels: string[] = []): string {
  const f = forecast?.forecast;
  const intervals = f && (f.lower80 || f.lower95) ? ` with ${[f.lower80 && '80%', f.lower95 && '95%'].filter(Boolean).join(' and ')} intervals` : '';
  const shown = f
    ? `, a ${f.dates.length}-period forecast by ${forecast?.bestModel}${intervals}`
    : forecastFailed ? ', the forecast could not be loaded' : forecastLoading ? ', the forecast is loading' : ', no forecast yet';
  const partial = partialLabels.length > 0 ? ` and ${partialLabels.join(', ')}` : '';
  return `${series.sku}: ${series.dates.length - partialLabels.length} points of history${partial}${shown}.${markLabels.map((m) => ` ${m}.`).join('')}`;
}

/**
 * The per-SKU chart (uPlot): original and cleaned history, the best model's forecast with 80% and
 * 95% bands, the holdout backtest dashed, and any other models the planner toggled on.
 * Dragging across it zooms the dates (a double click or "Reset zoom" shows all again); long daily
 * data opens zoomed on its recent history (initial-x-window.ts).
 */
export function ForecastChart({ series, forecast, extraLines, onPickDate, height = 320, frequency, partial, forecastLoading = false, forecastFailed = false, marks = noMarks, openFrom = null }: ForecastChartProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);
  const scheme = useColorScheme();
  const colors = useMemo(() => chartColors(), [scheme]); // eslint-disable-line react-hooks/exhaustive-deps -- the scheme changes the CSS variables
  const built = useMemo(() => buildChart(series, forecast, extraLines, colors, partial), [series, forecast, extraLines, colors, partial]);
  const readoutRef = useRef<HTMLParagraphElement>(null);
  const pickRef = useRef(onPickDate);
  pickRef.current = onPickDate;
  const plotRef = useRef<uPlot | null>(null);
  const [shown, setShown] = useState<Shown | null>(null);
  // The range the planner zoomed to (null: all), kept while the chart is rebuilt (a resize, a
  // refetch, a model toggled) for the same series; unset, the chart opens on its initial window.
  const zoomRef = useRef<{ sku: string; range: { min: number; max: number } | null } | null>(null);

  // Measured before the first paint: a chart drawn at a guessed width would stick out of a narrow
  // panel (and widen the page) until the observer's first report.
  useLayoutEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    if (host.clientWidth > 0) setWidth(Math.max(320, Math.floor(host.clientWidth)));
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => setWidth(Math.max(320, Math.floor(host.clientWidth))));
    observer.observe(host);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const host = hostRef.current;
    if (!host || typeof HTMLCanvasElement === 'undefined' || !HTMLCanvasElement.prototype.getContext) return;
    const historyCount = series.dates.length;
    const times = built.data[0] as number[];
    const kept = zoomRef.current?.sku === series.sku ? zoomRef.current.range : undefined;
    const opened = openFrom !== null && times.length > 1 && toTime(openFrom) > times[0] ? { min: toTime(openFrom), max: times[times.length - 1] } : null;
    const start = kept !== undefined ? kept : opened ?? initialXWindow(frequency, times, historyCount > 0 ? toTime(series.dates[historyCount - 1]) : null);
    // The scale set at creation is the chart's own; every later one is the planner's (a drag, a double click, Reset).
    let created = false;
    const plot = new uPlot(
      {
        width,
        height,
        series: built.series,
        bands: built.bands,
        scales: { x: { time: true, ...(start ? { min: start.min, max: start.max } : {}) } },
        // Room on the right for half of the last period's label, which is centred on the last point.
        padding: [12, labelSpace / 2, 0, 0],
        axes: [
          timeAxis(frequency, built.data[0] as number[], colors),
          { stroke: colors.axis, grid: { stroke: colors.grid }, ticks: { stroke: colors.grid }, size: 60, values: (_u, splits) => formatTicks(splits) },
        ],
        legend: { show: false },
        cursor: { drag: { x: true, y: false } },
        hooks: {
          // The value readout under the chart, written directly: no React render per mouse move.
          setCursor: [
            (u) => {
              const el = readoutRef.current;
              const idx = u.cursor.idx;
              if (!el) return;
              if (idx == null) {
                el.textContent = '\u00a0';
                return;
              }
              const toDate = built.partial.get(built.dates[idx]);
              const parts = built.series
                .slice(1)
                .map((def, i) => [toDate !== undefined && i + 1 === built.partialSeries ? toDate : String(def.label), built.data[i + 1][idx]] as const)
                .filter(([label, v]) => v != null && !label.includes('upper') && !label.includes('lower'))
                .map(([label, v]) => `${label} ${formatNumber(Number(v), 1)}`);
              el.textContent = `${formatDate(built.dates[idx])}  ·  ${parts.join('  ·  ') || 'no value'}`;
            },
          ],
          // The marker's days written beside it: a lone point below the line says nothing by itself.
          draw: [
            (u) => drawMarks(u, marks, built.dates, times, colors.axis, uPlot.pxRatio),
            (u) => {
              if (built.partialSeries < 0) return;
              const ctx = u.ctx;
              ctx.save();
              ctx.fillStyle = colors.axis;
              ctx.font = `${Math.round(11 * uPlot.pxRatio)}px system-ui, sans-serif`;
              ctx.textAlign = 'right';
              ctx.textBaseline = 'middle';
              built.dates.forEach((date, i) => {
                const text = built.partialShort.get(date);
                const value = built.data[built.partialSeries][i];
                if (text === undefined || value == null) return;
                const x = u.valToPos(built.data[0][i], 'x', true);
                const y = u.valToPos(value, 'y', true);
                ctx.fillText(text, x - 8 * uPlot.pxRatio, y);
              });
              ctx.restore();
            },
          ],
          setScale: [
            (u, key) => {
              if (key !== 'x' || plotRef.current !== u || times.length === 0) return;
              const { min, max } = u.scales.x;
              if (min == null || max == null) return;
              const whole = min <= times[0] && max >= times[times.length - 1];
              if (created) zoomRef.current = { sku: series.sku, range: whole ? null : { min, max } };
              created = true;
              setShown({ from: toIso(min), to: toIso(max), whole });
            },
          ],
          ready: [
            (u) => {
              // A drag that zoomed may end in a click (not in Chromium; Firefox and Safari may): no pick then.
              const guard = createClickGuard();
              u.over.addEventListener('mousedown', (e) => guard.mousedown(e.clientX, e.clientY));
              u.over.addEventListener('click', (e) => {
                if (!guard.isClick(e.clientX, e.clientY)) return;
                const idx = u.cursor.idx;
                if (idx == null) return;
                const date = built.dates[idx];
                if (date && series.dates.includes(date) && historyCount > 0) pickRef.current?.(date);
              });
            },
          ],
        },
      },
      built.data,
      host,
    );
    plotRef.current = plot;
    return () => {
      plotRef.current = null;
      plot.destroy();
    };
  }, [built, width, height, series.dates, series.sku, colors, frequency, marks, openFrom]);

  const resetZoom = () => {
    const plot = plotRef.current;
    const times = built.data[0] as number[];
    if (plot && times.length > 0) plot.setScale('x', { min: times[0], max: times[times.length - 1] });
  };

  const f = forecast?.forecast;
  const caption = chartCaption(series, forecast, [...built.partial.values()], forecastLoading, forecastFailed, marks.map((m) => m.label));
  const legend: LegendItem[] = [...built.legend, ...marks.map((m) => ({ label: m.label, color: colors.axis, kind: 'rule' as const }))];
  return (
    <figure className="chart">
      {/* The canvas says nothing: the host is one image named by what it shows (chartCaption). */}
      <div
        ref={hostRef}
        className="chart-host"
        role="img"
        aria-label={caption}
        data-testid="forecast-chart"
        data-history-points={series.dates.length}
        data-partial={[...built.partial.keys()].join(',')}
        data-forecast-points={f?.dates.length ?? 0}
        data-has-intervals={f && (f.lower80?.length ?? 0) > 0 && (f.upper95?.length ?? 0) > 0 ? 'true' : 'false'}
        data-forecast-mean={f ? f.mean.slice(0, 6).map((v) => v.toFixed(3)).join(',') : ''}
        data-cleaned={series.cleaned.join(',')}
        data-x-from={shown?.from ?? ''}
        data-x-to={shown?.to ?? ''}
        data-marks={marks.map((m) => m.after).join(',')}
      />
      <p className="chart-readout" ref={readoutRef} aria-hidden="true">
        {'\u00a0'}
      </p>
      {shown && !shown.whole ? (
        <p className="chart-zoom muted" data-testid="chart-zoom">
          {formatDate(shown.from)} – {formatDate(shown.to)} of {formatDate(built.dates[0])} – {formatDate(built.dates[built.dates.length - 1])}{' '}
          <button type="button" className="btn btn-ghost btn-small" onClick={resetZoom}>
            Reset zoom
          </button>
        </p>
      ) : null}
      <ul className="chart-legend" aria-hidden="true">
        {legend.map((item) => (
          <li key={item.label}>
            <span
              className={`swatch${item.kind === 'dashed' ? ' swatch-dashed' : item.kind === 'band' ? ' swatch-band' : item.kind === 'marker' ? ' swatch-marker' : item.kind === 'rule' ? ' swatch-rule' : ''}`}
              style={item.kind === 'band' ? { background: item.color } : { color: item.color }}
            />
            {item.label}
          </li>
        ))}
      </ul>
    </figure>
  );
}
