import { useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { useApi } from '../api/ApiContext.js';
import { formatCount, formatCounted, formatDate, formatNumber } from '../format.js';
import { queryKeys } from '../api/query-keys.js';
import type { AggregateSeries, Frequency, Job } from '../api/types.js';
import type { ChartForecast, ChartSeries } from './ForecastChart.js';
import { LoadError } from './LoadError.js';
import type { PartialPoint } from './partial-points.js';
import { totalPartialPoints } from './partial-points.js';
import { saveBlob } from './save-blob.js';
import { TotalsTable } from './TotalsTable.js';

// Loaded on demand: uPlot is the app's heaviest module (and needs a real browser).
const ForecastChart = lazy(() => import('./ForecastChart.js').then((m) => ({ default: m.ForecastChart })));

/**
 * Totals: the dataset's summed history and forecast, or per value of an attribute (store,
 * category, region), drawn with the SKU chart. The bands come from the API (the members' intervals
 * combined with the correlation of their holdout errors; docs/planning-cycle.md).
 */
interface AggregatesViewProps {
  datasetId: string | null;
  /** The dataset's frequency, for the chart's time axis (inferred from the dates while unknown). */
  frequency?: Frequency | null;
  /** Bumped by ForecastPage (at most every 3 s) while finished jobs are counted: see useRefreshWhileRunning. */
  refreshKey?: number;
  /** The polled queue snapshot: only this dataset's jobs refresh the totals. */
  jobs?: Job[];
}

/**
 * A sum over every SKU costs the API a read of every result, uncached: while a queue runs the totals
 * are asked again at most every `totalsMinRefreshMs`, and never sooner than `totalsRefreshFactor`
 * times the last answer's response time after it (a sum that takes 4 s is asked for every 20 s at
 * most), so a slow dataset is never spending more than a fifth of its time on one browser's totals.
 */
export const totalsMinRefreshMs = 15_000;
export const totalsRefreshFactor = 5;
export function totalsRefreshPeriod(lastResponseMs: number): number {
  return Math.max(totalsMinRefreshMs, totalsRefreshFactor * lastResponseMs);
}

/**
 * Totals follow a queue run as the SKU list does, less often. On each `refreshKey` tick the totals
 * are asked again when a job of this dataset was running at a poll since the last refresh (the
 * snapshot lists running jobs first), the shown answer is at least `totalsRefreshPeriod(last
 * response time)` old and no request is out (a slow sum is never cancelled by the next tick and
 * asked again). A tick that may not ask leaves the flag set, so a later one catches up. When the
 * queue goes idle ForecastPage invalidates `queryKeys.aggregates(id)` once, for the last numbers.
 */
function useRefreshWhileRunning(
  datasetId: string | null,
  by: string,
  refreshKey: number | undefined,
  jobs: Job[],
  lastResponseMs: { current: number },
): void {
  const queryClient = useQueryClient();
  const ranSinceRefresh = useRef(false);
  const seen = useRef(refreshKey);
  const running = datasetId !== null && jobs.some((j) => j.datasetId === datasetId && j.status === 'running');
  useEffect(() => {
    if (running) ranSinceRefresh.current = true;
  }, [running, jobs]);
  useEffect(() => {
    if (refreshKey === seen.current || datasetId === null) return;
    seen.current = refreshKey;
    if (!ranSinceRefresh.current) return;
    const key = queryKeys.aggregates(datasetId, by);
    const state = queryClient.getQueryState(key);
    if (queryClient.isFetching({ queryKey: key }) > 0) return;
    if (state && Date.now() - state.dataUpdatedAt < totalsRefreshPeriod(lastResponseMs.current)) return;
    ranSinceRefresh.current = running;
    void queryClient.invalidateQueries({ queryKey: key }, { cancelRefetch: false });
  }, [refreshKey, datasetId, by, running, queryClient, lastResponseMs]);
}

function asChart(series: AggregateSeries, label: string): { series: ChartSeries; forecast: ChartForecast | null; partial: PartialPoint[] } {
  return {
    partial: totalPartialPoints(series.history),
    series: { sku: label, dates: series.history.dates, original: series.history.original, cleaned: series.history.cleaned },
    forecast: series.forecast
      ? { bestModel: sumLabel(series), forecast: series.forecast, backtest: null }
      : null,
  };
}

export function AggregatesView({ datasetId, frequency, refreshKey, jobs = [] }: AggregatesViewProps) {
  const api = useApi();
  const [csvError, setCsvError] = useState<string | null>(null);
  const [by, setBy] = useState<string>('');
  const [value, setValue] = useState<string | null>(null);
  // The table under the chart, opened or not: kept across groups and Total by choices.
  const [tableOpen, setTableOpen] = useState(false);
  useEffect(() => {
    setBy('');
    setValue(null);
    setCsvError(null);
  }, [datasetId]);
  // How long the last sum took to answer: the refresh period while a queue runs grows with it.
  const lastResponseMs = useRef(0);
  const aggregates = useQuery({
    queryKey: queryKeys.aggregates(datasetId ?? '', by),
    queryFn: async () => {
      const started = Date.now();
      const answer = await api.aggregates(datasetId!, by || undefined);
      lastResponseMs.current = Date.now() - started;
      return answer;
    },
    enabled: datasetId !== null,
  });
  useRefreshWhileRunning(datasetId, by, refreshKey, jobs, lastResponseMs);
  const data = aggregates.data;
  const chosen = (value !== null ? data?.groups.find((g) => (g.value ?? '(none)') === value) : undefined) ?? data?.total;
  const label = chosen && chosen !== data?.total ? `${by} ${chosen.value ?? '(none)'}` : 'All SKUs';
  const chart = useMemo(() => (chosen ? asChart(chosen, label) : null), [chosen, label]);

  // Fetched, not linked: an API token goes along when one is set.
  // The file the download saves, as both buttons name it (was "totals.csv" on both under a Total by).
  const csvName = by ? `totals-by-${by}.csv` : 'totals.csv';
  const download = async () => {
    if (!datasetId) return;
    setCsvError(null);
    let blob: Blob;
    try {
      blob = await api.aggregatesCsv(datasetId, by || undefined);
    } catch (error) {
      setCsvError(error instanceof Error ? error.message : String(error));
      return;
    }
    saveBlob(blob, csvName);
  };

  if (!datasetId) return <p className="empty-state">Upload a dataset first.</p>;
  return (
    <div className="aggregates" data-testid="aggregates-view">
      <div className="portfolio-bar page-bar">
        <h2>Totals</h2>
        <div className="toolbar">
          <label>
            Total by{' '}
            <select
              className="input"
              aria-label="Total by"
              value={by}
              onChange={(e) => {
                setBy(e.target.value);
                setValue(null);
                setCsvError(null);
              }}
            >
              <option value="">the whole dataset</option>
              {(data?.attributes ?? []).map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </label>
          {data ? (
            <button type="button" className="btn" title={api.csvNote()} data-testid="aggregates-csv" onClick={() => void download()}>
              Export {csvName}
            </button>
          ) : null}
        </div>
      </div>
      {aggregates.error ? <LoadError what="totals" error={aggregates.error} onRetry={() => void aggregates.refetch()} retrying={aggregates.isFetching} /> : null}
      {csvError ? <p className="banner banner-error">totals.csv: {csvError}</p> : null}
      {data ? (
        <div className="split">
          <section className="panel">
            <h3>{by ? `By ${by}` : 'Whole dataset'}</h3>
            <ol className="missed-list">
              <li>
                <button type="button" className={`btn btn-ghost${chosen === data.total ? ' tab-active' : ''}`} data-testid="aggregate-group" data-value="" onClick={() => setValue(null)}>
                  <strong>All SKUs</strong> · {skus(data.total.skus)}
                </button>
              </li>
              {data.groups.map((g) => (
                <li key={g.value ?? '(none)'}>
                  <button
                    type="button"
                    className={`btn btn-ghost${chosen === g ? ' tab-active' : ''}`}
                    data-testid="aggregate-group"
                    data-value={g.value ?? '(none)'}
                    onClick={() => setValue(g.value ?? '(none)')}
                  >
                    <strong>{g.value ?? '(none)'}</strong> · {skus(g.skus)} · next period {formatNumber(g.forecast?.mean[0], 1)}
                    {/* The next period sums only the SKUs with a forecast on that date (not a SKU too short, nor one whose forecast ends before the total's range): beside the store's SKU count it read as the store's. */}
                    {/* Named as the other notes are (re-walk 9: "1 SKU without a forecast" named none): `leftOut.firstForecastDate`. */}
                    {g.forecast && g.forecast.skus[0] < g.skus ? ` (sum of ${formatCount(g.forecast.skus[0])}: ${skus(g.skus - g.forecast.skus[0])} without a forecast on that date${cardNames(g)})` : ''}
                    {g.spread.status === 'partial' ? ' · band partial' : ''}
                  </button>
                </li>
              ))}
            </ol>
          </section>
          <section className="panel" data-testid="aggregate-chart" data-value={chosen === data.total ? '' : (chosen?.value ?? '')}>
            <h3>
              {label}: summed history and forecast
              {chosen && chosen.correlation !== null ? ` (members' error correlation ${formatNumber(chosen.correlation, 2)})` : ''}
            </h3>
            {chosen ? <SummedNote series={chosen} /> : null}
            {chart ? <Suspense fallback={<p>Loading chart…</p>}><ForecastChart series={chart.series} forecast={chart.forecast} extraLines={[]} frequency={frequency} partial={chart.partial} /></Suspense> : null}
            {chosen ? <TotalsTable series={chosen} group={label} csvName={csvName} onDownload={() => void download()} csvTitle={api.csvNote()} open={tableOpen} onOpenChange={setTableOpen} /> : null}
            {chosen ? <SpreadNote spread={chosen.spread} /> : null}
            {chosen ? <RaggedNote series={chosen} /> : null}
            {chosen ? <ProvisionalNote series={chosen} /> : null}
            <p className="muted">
              Means are summed; the bands of a sum combine the members&apos; own intervals with how their holdout errors move together, so they lie between independent SKUs and the sum of the SKUs&apos; bands.
            </p>
          </section>
        </div>
      ) : aggregates.isError ? null : (
        <p>Loading…</p>
      )}
    </div>
  );
}

const skus = (n: number) => formatCounted(n, 'SKU');

/**
 * How many SKUs the forecast sums: the group's SKUs less those the API says it leaves out (no
 * forecast at all, or one wholly outside the total's dates: `leftOut`), so every count below is
 * taken against the same SKUs. An answer without `leftOut` (an older API): the most any of its
 * dates sums (`forecast.skus`), not `skusWithForecast`, which counts a SKU whose whole forecast
 * lies outside the total's range.
 */
function summedSkus(series: AggregateSeries): number {
  const left = series.leftOut as AggregateSeries['leftOut'] | undefined;
  if (left) return series.skus - left.noForecast.count - left.outsideForecast.count;
  return series.forecast && series.forecast.skus.length > 0 ? Math.max(...series.forecast.skus) : 0;
}

/** "A-1011, A-9999" or "A-1, A-2, A-3, A-4, A-5 and 12 more": the SKUs the API names, and how many it does not. */
export function namedSkus(named: { count: number; skus: string[] } | undefined): string {
  if (!named || named.skus.length === 0) return '';
  const more = named.count - named.skus.length;
  return `${named.skus.join(', ')}${more > 0 ? ` and ${formatCount(more)} more` : ''}`;
}

/** ": A-1011, A-9999" after a store card's count of SKUs not summed on the next period, or nothing from an older API. */
function cardNames(series: AggregateSeries): string {
  const names = namedSkus((series.leftOut as AggregateSeries['leftOut'] | undefined)?.firstForecastDate);
  return names ? `: ${names}` : '';
}

/** The chart's forecast label: "sum of 117 of 120 SKUs" when some are not in it, else "sum of 120 SKUs". */
function sumLabel(series: AggregateSeries): string {
  const summed = summedSkus(series);
  return summed < series.skus ? `sum of ${formatCount(summed)} of ${skus(series.skus)}` : `sum of ${skus(series.skus)}`;
}

/**
 * Which SKUs the forecast leaves out, and why: with no forecast at all (too short, not run yet) or
 * with one entirely outside the total's dates, each named (the first five). The sums are right;
 * read beside "120 SKUs" they were taken for all of them (Totals said "sum of 120 SKUs" over 117).
 */
function SummedNote({ series }: { series: AggregateSeries }) {
  if (!series.forecast) return null;
  const summed = summedSkus(series);
  if (summed >= series.skus) return null;
  const left = series.leftOut as AggregateSeries['leftOut'] | undefined;
  const none = left ? left.noForecast.count : Math.max(0, series.skus - series.skusWithForecast);
  const outside = left ? left.outsideForecast.count : Math.max(0, series.skusWithForecast - summed);
  const leftCount = series.skus - summed;
  const one = (n: number, singular: string, plural: string) => (n === 1 ? singular : plural);
  const noneNames = namedSkus(left?.noForecast);
  const outsideNames = namedSkus(left?.outsideForecast);
  const noneWhy = 'too short, or not forecast yet';
  const outsideWhy = (n: number) => `${one(n, 'its history ends', 'their histories end')} before the others', and ${one(n, 'its forecast', 'their forecasts')} with ${one(n, 'it', 'them')}`;
  const why =
    none > 0 && outside > 0
      ? `: ${formatCount(none)} ${one(none, 'has', 'have')} none at all (${noneNames ? `${noneNames}: ` : ''}${noneWhy}); ${formatCount(outside)} ${one(outside, 'has one', 'have one')} wholly outside it (${outsideNames ? `${outsideNames}: ` : ''}${outsideWhy(outside)})`
      : none > 0
        ? ` at all${noneNames ? ` (${noneNames})` : ''}: ${noneWhy}`
        : outside > 0
          ? `${outsideNames ? ` (${outsideNames})` : ''}: ${outsideWhy(outside)}`
          : '';
  return (
    <p className="warn" data-testid="aggregate-summed">
      Forecast: sum of {formatCount(summed)} of {skus(series.skus)}; {formatCount(leftCount)} {one(leftCount, 'has', 'have')} no forecast{none > 0 && outside === 0 ? '' : ' in this range'}{why}.
    </p>
  );
}

/**
 * Histories that end apart (an actuals file without the SKUs that sold nothing, one SKU appended
 * ahead): the history's last period sums fewer SKUs than the one before, a leading SKU's actual
 * stands in the forecast's first dates, a lagging SKU's horizon ends before the others'. The API
 * counts the SKUs of every date (aggregates.ts) and names those without the last period
 * (`leftOut.lastPeriod`, counted against the group's SKUs: was "29 of 30: the other" while two of
 * 31 lacked it); the chart alone shows only a dip, this says why.
 */
// Worded neutrally (re-walk N1): "send them with 0 if they sold nothing" was said of A-1001, whose
// line the append had rejected; this view has only the sums, not the append's rejected lines.
function RaggedNote({ series }: { series: AggregateSeries }) {
  const counts = series.history.skus;
  const parts: string[] = [];
  const lacking = (series.leftOut as AggregateSeries['leftOut'] | undefined)?.lastPeriod;
  if (counts.length >= 2 && counts[counts.length - 1] < counts[counts.length - 2]) {
    const last = series.history.dates[counts.length - 1];
    const base = lacking ? series.skus : counts[counts.length - 2];
    // The API's count when it sends one: the names beside it come from the same reckoning.
    const missing = lacking ? lacking.count : base - counts[counts.length - 1];
    const one = missing === 1;
    const names = namedSkus(lacking ?? undefined);
    const others = lacking ? (one ? '1 has' : `${formatCount(missing)} have`) : one ? 'the other has' : 'the others have';
    parts.push(`the last period (${formatDate(last)}) sums ${formatCount(counts[counts.length - 1])} of ${skus(base)}: ${others} no actuals for it yet (${names ? `${names}: ` : ''}not in the last actuals file, or a line rejected there: its warnings say which)`);
  }
  const f = series.forecast;
  const ahead = f ? Math.max(0, ...f.actuals) : 0;
  if (ahead > 0) parts.push(`${skus(ahead)} with actuals past the history's last period ${ahead === 1 ? 'counts' : 'count'} with those actuals, not a forecast, on the first forecast dates`);
  const least = f ? Math.min(...f.skus) : 0;
  const most = f ? Math.max(...f.skus) : 0;
  // Named by the API (`leftOut.partialForecast`: summed on some forecast dates, not all), from the first date one misses.
  const partial = (series.leftOut as AggregateSeries['leftOut'] | undefined)?.partialForecast;
  if (partial && partial.count > 0) {
    const p1 = partial.count === 1;
    parts.push(`${skus(partial.count)} ${p1 ? 'is' : 'are'} missing from the forecast's later dates${partial.from ? ` (from ${formatDate(partial.from)})` : ''}: ${namedSkus(partial)}; ${p1 ? 'its history, so its horizon, ends' : 'their histories, so their horizons, end'} earlier`);
  } else if (!partial && least < most) parts.push(`the forecast's later dates sum ${formatCount(least)} of the ${skus(most)} summed: ${most - least === 1 ? "the other's history, so its horizon, ends" : "the others' histories, so their horizons, end"} earlier`);
  if (parts.length === 0) return null;
  return <p className="warn" data-testid="aggregate-ragged">Histories end apart: {parts.join('; ')}.</p>;
}

/**
 * Periods summed from actuals to date (three days of a week): the sum is short of a whole period,
 * which the chart alone shows as a collapse.
 */
function ProvisionalNote({ series }: { series: AggregateSeries }) {
  const h = series.history;
  const f = series.forecast;
  // The history's latest partial periods, then a leading SKU's partial actual among the forecast's first dates.
  const partial = [
    ...h.dates.flatMap((d, i) => ((h.provisional?.[i] ?? 0) > 0 ? [`${formatDate(d)} (${formatCount(h.provisional[i])} of ${skus(h.skus[i])})`] : [])).slice(-3),
    ...(f ? f.dates.flatMap((d, i) => ((f.provisional?.[i] ?? 0) > 0 ? [`${formatDate(d)} (${formatCount(f.provisional[i])} of ${skus(f.skus[i])}, an actual among forecasts)`] : [])).slice(0, 2) : []),
  ];
  if (partial.length === 0) return null;
  return (
    <p className="warn" data-testid="aggregate-provisional">
      Partial {partial.length === 1 ? 'period' : 'periods'}: {partial.join(', ')} {partial.length === 1 ? 'sums' : 'sum'} actuals to date, not whole
      periods, so {partial.length === 1 ? 'it is' : 'they are'} lower than a full period will be.
    </p>
  );
}

/**
 * Members without a band of their own: their spread estimated from their past forecast errors, or
 * unknown and left out (the band is then narrower than the truth). Said beside the chart, since
 * the band alone cannot show it.
 */
function SpreadNote({ spread }: { spread: AggregateSeries['spread'] }) {
  if (spread.status === 'complete') return null;
  const parts: string[] = [];
  if (spread.fromHoldout > 0) parts.push(`${skus(spread.fromHoldout)} without an interval of their own count with the spread of their past forecast errors (cross-validation, else holdout)`);
  if (spread.unknown > 0) {
    parts.push(`${skus(spread.unknown)} with neither an interval nor a holdout (${formatNumber(100 * spread.unknownShare, 1)}% of the forecast) ${spread.unknown === 1 ? 'is' : 'are'} left out of it: the band is narrower than the truth`);
  }
  return (
    <p className={spread.status === 'partial' ? 'warn' : 'muted'} data-testid="aggregate-spread" data-status={spread.status}>
      Band: {parts.join('; ')}.
    </p>
  );
}
