import { lazy, Suspense, useMemo } from 'react';
import { formatNumber } from '../api/format.js';
import type { AccuracyResponse, ForecastsResponse, Frequency, SkuSeries } from '../api/types.js';
import { formatCount, formatDate, formatPeriod } from '../format.js';
import type { ChartMark } from './chart-marks.js';
import { scoredWindowFrom } from './initial-x-window.js';
import type { PartialPoint } from './partial-points.js';
import { pct } from './pct.js';
import { snapshotLabel } from './snapshot-label.js';

// Loaded on demand: uPlot is the app's heaviest module (and needs a real browser).
const ForecastChart = lazy(() => import('./ForecastChart.js').then((m) => ({ default: m.ForecastChart })));

interface MissedSkusProps {
  a: AccuracyResponse;
  chosenSku: string | null;
  onChoose: (sku: string) => void;
  /** The chosen SKU's history, and the snapshot's forecast of it (undefined while they load). */
  series: SkuSeries | undefined;
  earlier: ForecastsResponse | undefined;
  frequency?: Frequency | null;
  partial: PartialPoint[];
}

/** The SKUs that missed most, and the chosen one's chart: the snapshot's forecast over what happened. */
export function MissedSkus({ a, chosenSku, onChoose, series, earlier, frequency, partial }: MissedSkusProps) {
  const chosenItem = a.items.find((i) => i.sku === chosenSku);
  // Kept while the 5 s polls answer the same snapshot: a new array would rebuild the chart each time.
  const marks = useMemo(() => snapshotMarks({ id: a.snapshot.id, name: a.snapshot.name, historyEnd: a.snapshot.historyEnd }, frequency), [a.snapshot.id, a.snapshot.name, a.snapshot.historyEnd, frequency]);
  // Opened on the snapshot's last periods and what was scored after them, not the whole history; Reset zoom shows all.
  const openFrom = useMemo(() => (series ? scoredWindowFrom(frequency, series.dates, a.snapshot.historyEnd) : null), [series, frequency, a.snapshot.historyEnd]);
  // No SKU has an actual for these periods yet: no list to choose from, no chart to wait for.
  if (a.items.length === 0) return null;
  return (
    <div className="split">
      <section className="panel">
        {/* The API sends the first 20 of them: the count says so (the whole list is in accuracy.csv). */}
        {/* Sorted by the units missed (Σ|a − f|), which the rows show first: by WAPE alone the list looked unsorted.
            A decimal below 10: a slow mover's 0.4 read "missed 0" while ranked by it. */}
        <h3 data-testid="missed-heading" title="Sorted by units missed: the sum of |actual − forecast| over the periods scored">
          SKUs that missed most ({a.items.length < a.total ? `${formatCount(a.items.length)} of ${formatCount(a.total)}` : formatCount(a.total)}), by units missed
        </h3>
        <ol className="missed-list">
          {a.items.map((i) => (
            <li key={i.sku}>
              <button
                type="button"
                className={`btn btn-ghost${i.sku === chosenSku ? ' tab-active' : ''}`}
                data-testid="missed-sku"
                data-sku={i.sku}
                onClick={() => onChoose(i.sku)}
              >
                {/* The figures before the model: a combination's name is long, and cut there it hid them. */}
                <span className="missed-head">
                  <strong>{i.sku}</strong> <span data-testid="missed-figures">missed {formatNumber(i.absError, i.absError < 10 ? 1 : 0)} · WAPE {pct(i.wape)} · bias {pct(i.bias)}</span>
                </span>
                <small className="missed-model muted" title={i.model ?? undefined}>
                  {i.model ?? '–'}
                </small>
              </button>
            </li>
          ))}
        </ol>
      </section>
      <section className="panel" data-testid="accuracy-chart" data-sku={chosenSku ?? ''}>
        <h3>
          {chosenSku ?? '–'}: the forecast of {snapshotLabel(a.snapshot)} over the actuals
          {chosenItem ? ` (WAPE ${pct(chosenItem.wape)})` : ''}
        </h3>
        {/* The snapshot keeps no run's figures (inactive is null from it), only the status it was taken
            with: said as SkuDetail's sentence says it of a current forecast, or its 0s read as a miss to explain. */}
        {earlier?.items[0]?.status === 'inactive' ? (
          <p className="muted selection-how" data-testid="snapshot-inactive">
            Read as stopped when {snapshotLabel(a.snapshot)} was taken (no recent demand): forecast as inactive, 0
          </p>
        ) : null}
        {series && earlier ? (
          <Suspense fallback={<p>Loading chart…</p>}><ForecastChart series={series} forecast={earlier.items[0] ?? null} extraLines={[]} frequency={frequency} partial={partial} marks={marks} openFrom={openFrom} /></Suspense>
        ) : (
          <p>Loading…</p>
        )}
      </section>
    </div>
  );
}

/**
 * The rule after the snapshot's history end, its last whole period: left of it the history the
 * snapshot's forecast was made from, right of it what was recorded after, which the forecast is
 * scored against. Drawn over one line of history, the two read as one (planner walkthrough). Not
 * "appended since": a month to date may already have been there, provisional, when the snapshot
 * was taken, and an append may revise values left of the rule too (an R forecast review). The
 * period is named as the dataset's frequency names it ("Dec 2024", "Q4 2024"), not as a day.
 */
export function snapshotMarks(snapshot: Pick<AccuracyResponse['snapshot'], 'id' | 'historyEnd'> & { name?: string | null }, frequency?: Frequency | null): ChartMark[] {
  if (!snapshot.historyEnd) return [];
  const end = frequency ? formatPeriod(frequency, Date.parse(`${snapshot.historyEnd}T00:00:00Z`) / 1000, { withYear: true }) : formatDate(snapshot.historyEnd);
  return [{
    after: snapshot.historyEnd,
    label: `${snapshot.name != null ? `The forecast of “${snapshot.name}” (snapshot #${snapshot.id})` : `Snapshot #${snapshot.id}'s forecast`} was made from the history through ${end}: right of the line is what was recorded after it, which the forecast is scored against`,
    // Short on the chart: a named snapshot by its name alone.
    short: snapshot.name != null ? `after the history of “${snapshot.name}” →` : `after snapshot #${snapshot.id}'s history →`,
  }];
}
