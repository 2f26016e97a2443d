import { formatNumber } from '../api/format.js';
import type { AccuracyFigures, AccuracyResponse, Frequency, Snapshot } from '../api/types.js';
import { formatCounted, formatDate, formatDayRange } from '../format.js';
import { DataDate } from './DataDate.js';
import { partialDays, periodNoun } from './partial-points.js';
import { pct } from './pct.js';

const againstActualsTitle =
  "The snapshot's forecasts against the actuals appended after it: 100 Σ|a − f| / Σ|a|. Not the Forecasts page's Backtest WAPE, which scores each model on a holdout of the history it was fitted to.";

/** The scores of a set of forecasts: WAPE, bias, MAE, band coverage and the points scored. */
function Figures({ f }: { f: AccuracyFigures }) {
  return (
    <>
      <div title={againstActualsTitle}>
        <dt>WAPE against actuals</dt>
        <dd data-testid="accuracy-wape">{pct(f.wape)}</dd>
      </div>
      <div>
        <dt>Bias</dt>
        <dd>{pct(f.bias)}</dd>
      </div>
      <div>
        <dt>MAE</dt>
        <dd>{formatNumber(f.mae, 1)}</dd>
      </div>
      <div>
        <dt>In 80% / 95% band</dt>
        <dd>
          {pct(f.coverage80)} / {pct(f.coverage95)}
        </dd>
      </div>
      <div>
        <dt>Points</dt>
        <dd>{f.points}</dd>
      </div>
    </>
  );
}

const periodNouns: Partial<Record<Frequency, string>> = { weekly: 'week', monthly: 'month', quarterly: 'quarter', yearly: 'year' };

/** " (the week to date)": what part of a period means in this dataset; nothing for days, which have no part. */
function toDate(frequency: Frequency | null | undefined): string {
  const period = frequency ? periodNouns[frequency] : undefined;
  return period ? ` (the ${period} to date)` : '';
}

/**
 * Why a snapshot has nothing to score when the actuals since it are days to date: "the only new
 * actuals are Dec 1 – 5, a month not finished yet (5 of 31 days, 4 SKUs)". Null when the API
 * named no such period.
 */
function provisionalReason(provisional: AccuracyResponse['provisional'] | undefined): string | null {
  if (!provisional || provisional.length === 0) return null;
  const noun = periodNoun(provisional[0].periodDays);
  const spans = provisional.map((p) => `${formatDayRange(p.from, p.to)}, a ${noun} not finished yet (${partialDays(p.from, p.to, p.periodDays)}, ${formatCounted(p.skus, 'SKU')})`);
  return `Nothing to score yet: the only new actuals are ${spans.join('; ')}. This snapshot's forecast of ${provisional.length === 1 ? `that ${noun}` : `those ${noun}s`} is scored once a file covers ${provisional.length === 1 ? 'it' : 'them'} whole.`;
}

/**
 * What the headline scores: ": 4 weeks scored, Oct 26, 2026 – Nov 16, 2026" (the steps with a
 * point, from the snapshot's first forecast date to the last date both the forecast and the
 * actuals reach). It ended "against the actuals since" with nothing after "since". Nothing to
 * score: the paragraph under the headline says why. With a period still days to date among them
 * the end is not a whole period's, so only the start is given.
 */
export function scoredSpan(a: Pick<AccuracyResponse, 'snapshot' | 'actuals' | 'byStep' | 'portfolio' | 'provisional'>, frequency?: Frequency | null): string {
  if (a.portfolio.points === 0) return ': nothing to score yet';
  const steps = Math.max(0, ...a.byStep.filter((s) => s.points > 0).map((s) => s.step));
  const noun = frequency ? periodNouns[frequency] ?? (frequency === 'daily' ? 'day' : 'period') : 'period';
  const counted = formatCounted(steps, noun);
  const start = a.snapshot.forecastStart;
  const ends = [a.snapshot.forecastEnd, a.actuals?.historyEnd ?? null].filter((d): d is string => d !== null);
  const end = ends.length > 0 ? ends.reduce((x, y) => (y < x ? y : x)) : null;
  if (!start) return `: ${counted} scored`;
  if (!end || (a.provisional?.length ?? 0) > 0 || end <= start) return `: ${counted} scored, from ${formatDate(start)}`;
  return `: ${counted} scored, ${formatDate(start)} – ${formatDate(end)}`;
}

interface AccuracyPortfolioProps {
  a: AccuracyResponse;
  /** Where the snapshot's forecasts start when they differ by SKU (more than one start): the API's startsLabel, in the reader's format; null shows forecastStart as a date. */
  starts: string | null;
  /** The default passed over a newer snapshot with nothing to score yet: that one. */
  newerUnscored: Snapshot | null;
  frequency?: Frequency | null;
}

/** "How did we do"'s portfolio tile: the snapshot scored, its figures overall and by step ahead. */
export function AccuracyPortfolio({ a, starts, newerUnscored, frequency }: AccuracyPortfolioProps) {
  return (
    <section className="panel" data-testid="accuracy-portfolio" data-wape={a.portfolio.wape ?? ''} data-points={a.portfolio.points}>
      <h3>
        {/* Named by the planner's name when it has one ("S&OP KW47"), its number and cause after it. */}
        Portfolio: {a.snapshot.name != null ? `“${a.snapshot.name}” (snapshot #${a.snapshot.id}, ` : `snapshot #${a.snapshot.id} (`}{a.snapshot.cause}, forecasts from{' '}
        {starts ? (
          <span data-testid="accuracy-starts" title={a.startsLabel ?? undefined}>
            {starts}
          </span>
        ) : (
          <DataDate iso={a.snapshot.forecastStart} />
        )}
        ) against the actuals appended after it{scoredSpan(a, frequency)}
      </h3>
      {newerUnscored ? (
        <p className="muted" data-testid="accuracy-default-note">
          Shown: the newest snapshot with whole periods of actuals to score. The newer {newerUnscored.name != null ? `“${newerUnscored.name}” (#${newerUnscored.id})` : `#${newerUnscored.id}`} (forecasts from{' '}
          {newerUnscored.forecastStart ? formatDate(newerUnscored.forecastStart) : '–'}) has none yet; pick it above to see why.
        </p>
      ) : null}
      {a.portfolio.points === 0 ? (
        <p data-testid="accuracy-no-points">
          {/* Before any actuals came after this snapshot there is no partial period to speak of. */}
          {a.actuals && a.snapshot.mark <= a.actuals.markBefore
            ? provisionalReason(a.provisional) ?? `No whole period of actuals yet for the periods this snapshot forecast: actuals that cover only part of a period${toDate(frequency)} are scored once a file covers all of it.`
            : 'No actuals appended since this snapshot yet: append the next actuals to see how its forecasts did.'}
        </p>
      ) : null}
      <dl className="stats stats-inline">
        <Figures f={a.portfolio} />
        <div title="The summed forecast against the summed actuals, period by period: one SKU's miss offsets another's">
          <dt>WAPE of the total</dt>
          <dd data-testid="accuracy-summed-wape">{pct(a.summed.wape)}</dd>
        </div>
      </dl>
      <table className="table table-compact">
        <thead>
          <tr>
            <th>Step</th>
            <th>WAPE</th>
            <th>Bias</th>
            <th>MAE</th>
            <th>80%</th>
            <th>95%</th>
            <th>Points</th>
          </tr>
        </thead>
        <tbody>
          {a.byStep.map((s) => (
            <tr key={s.step}>
              <td>{s.step}</td>
              <td>{pct(s.wape)}</td>
              <td>{pct(s.bias)}</td>
              <td>{formatNumber(s.mae, 1)}</td>
              <td>{pct(s.coverage80)}</td>
              <td>{pct(s.coverage95)}</td>
              <td>{s.points}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
