import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { useApi } from '../api/ApiContext.js';
import { formatNumber } from '../api/format.js';
import type { AggregateSeries } from '../api/types.js';
import type { ChartForecast, ChartSeries } from './ForecastChart.js';

// Loaded on demand: uPlot is the app's heaviest module (and needs a real browser).
const ForecastChart = lazy(() => import('./ForecastChart.js').then((m) => ({ default: m.ForecastChart })));

/**
 * Totals: the dataset's summed history and forecast, or per value of an attribute (store,
 * category, region), drawn with the SKU chart. The bands come from the API (the members' intervals
 * combined with the correlation of their holdout errors; docs/planning-cycle.md).
 */
interface AggregatesViewProps {
  datasetId: string | null;
}

function asChart(series: AggregateSeries, label: string): { series: ChartSeries; forecast: ChartForecast | null } {
  return {
    series: { sku: label, dates: series.history.dates, original: series.history.original, cleaned: series.history.cleaned },
    forecast: series.forecast
      ? { bestModel: `sum of ${series.skusWithForecast} SKUs`, forecast: series.forecast, backtest: null }
      : null,
  };
}

export function AggregatesView({ datasetId }: AggregatesViewProps) {
  const api = useApi();
  const [by, setBy] = useState<string>('');
  const [value, setValue] = useState<string | null>(null);
  useEffect(() => {
    setBy('');
    setValue(null);
  }, [datasetId]);
  const aggregates = useQuery({
    queryKey: ['aggregates', datasetId ?? '', by],
    queryFn: () => api.aggregates(datasetId!, by || undefined),
    enabled: datasetId !== null,
  });
  const data = aggregates.data;
  const chosen = (value !== null ? data?.groups.find((g) => (g.value ?? '(none)') === value) : undefined) ?? data?.total;
  const label = chosen && chosen !== data?.total ? `${by} ${chosen.value ?? '(none)'}` : 'All SKUs';
  const chart = useMemo(() => (chosen ? asChart(chosen, label) : null), [chosen, label]);

  if (!datasetId) return <p className="empty-state">Upload a dataset first.</p>;
  return (
    <div className="aggregates" data-testid="aggregates-view">
      <div className="portfolio-bar">
        <h2>Totals</h2>
        <label>
          Total by{' '}
          <select
            className="input"
            aria-label="Total by"
            value={by}
            onChange={(e) => {
              setBy(e.target.value);
              setValue(null);
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
      </div>
      {aggregates.error ? <p className="banner banner-error">{aggregates.error.message}</p> : null}
      {data ? (
        <div className="split">
          <section className="panel">
            <h3>{by ? `By ${by}` : 'Whole dataset'}</h3>
            <ol className="missed-list">
              <li>
                <button type="button" className={`btn btn-ghost${chosen === data.total ? ' tab-active' : ''}`} data-testid="aggregate-group" data-value="" onClick={() => setValue(null)}>
                  <strong>All SKUs</strong> · {data.total.skus} SKUs
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
                    <strong>{g.value ?? '(none)'}</strong> · {g.skus} SKUs · next period {formatNumber(g.forecast?.mean[0], 1)}
                    {/* The forecast sums only the SKUs that have one (not a SKU too short, nor one just added): beside the store's SKU count it read as the store's. */}
                    {g.skusWithForecast < g.skus ? ` (${g.skusWithForecast} SKUs with a forecast)` : ''}
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
            {chart ? <Suspense fallback={<p>Loading chart…</p>}><ForecastChart series={chart.series} forecast={chart.forecast} extraLines={[]} /></Suspense> : null}
            <p className="muted">
              Means are summed; the bands of a sum combine the members&apos; own intervals with how their holdout errors move together, so they lie between independent SKUs and the sum of the SKUs&apos; bands.
            </p>
          </section>
        </div>
      ) : (
        <p>Loading…</p>
      )}
    </div>
  );
}
