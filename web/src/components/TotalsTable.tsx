import type { AggregateSeries } from '../api/types.js';
import { formatCount, formatCounted, formatFull } from '../format.js';
import { DataDate } from './DataDate.js';

/** One period of a total as its table shows it. */
export interface TotalsRow {
  date: string;
  kind: 'history' | 'forecast';
  /** A history period summed from days to date (the month to date): lower than a whole period will be. */
  partial: boolean;
  total: number;
  lower80: number | null;
  upper80: number | null;
  lower95: number | null;
  upper95: number | null;
}

/**
 * The rows of a total's table: every history period (its cleaned sum, the line the chart draws),
 * then every forecast period with the bands the API sent (null where the dataset leaves a level out).
 */
export function totalsRows(series: Pick<AggregateSeries, 'history' | 'forecast'>): TotalsRow[] {
  const h = series.history;
  const rows: TotalsRow[] = h.dates.map((date, i) => ({
    date, kind: 'history', partial: (h.provisional?.[i] ?? 0) > 0, total: h.cleaned[i], lower80: null, upper80: null, lower95: null, upper95: null,
  }));
  const f = series.forecast;
  f?.dates.forEach((date, i) => rows.push({
    date, kind: 'forecast', partial: false, total: f.mean[i],
    lower80: f.lower80?.[i] ?? null, upper80: f.upper80?.[i] ?? null, lower95: f.lower95?.[i] ?? null, upper95: f.upper95?.[i] ?? null,
  }));
  return rows;
}

interface TotalsTableProps {
  series: Pick<AggregateSeries, 'history' | 'forecast'>;
  /** The group the chart shows ("All SKUs", "store S2"): a column, so a copied row still says whose it is. */
  group: string;
  /** Downloads the totals' CSV: every period of the total and of each group of the Total by chosen, as the page's Export button. */
  onDownload: () => void;
  /** The file it saves (`totals.csv`, `totals-by-store.csv`), named on the button. */
  csvName: string;
  csvTitle?: string;
  /** Opened or not: kept by the page, so the table stays open while another Total by is loaded. */
  open: boolean;
  onOpenChange: (open: boolean) => void;
}

/**
 * The Totals chart's figures as a table, under the chart: a row per period, history then forecast
 * (the forecast rows say so and are shaded), the total and, where the forecast has them, its
 * 80% and 95% bands, numbers in the browser's locale. Collapsed behind "Show table" (a weekly
 * total of years is hundreds of rows; its rows are rendered only once opened); opened, it scrolls inside a region of its own with the
 * header kept in view. The chart alone was a canvas a screen reader could not read and no one
 * could copy a figure from.
 */
export function TotalsTable({ series, group, onDownload, csvName, csvTitle, open, onOpenChange }: TotalsTableProps) {
  const rows = totalsRows(series);
  const f = series.forecast;
  const bands = [
    ...(f?.lower95 && f.upper95 ? [{ level: 95, lower: 'lower95', upper: 'upper95' } as const] : []),
    ...(f?.lower80 && f.upper80 ? [{ level: 80, lower: 'lower80', upper: 'upper80' } as const] : []),
  ];
  const history = rows.filter((r) => r.kind === 'history').length;
  const caption = `${group}: summed history and forecast by period`;
  return (
    <div className="totals-table" data-testid="totals-table">
      <details data-testid="totals-table-details" open={open} onToggle={(e) => onOpenChange(e.currentTarget.open)}>
        <summary>
          {open ? 'Hide table' : 'Show table'} ({formatCounted(rows.length, 'period')}: {formatCount(history)} of history, {formatCount(rows.length - history)} forecast)
        </summary>
        {/* Rendered once opened: a closed table of a daily total's thousand rows would still be drawn on every refresh.
            Focusable, so the keyboard can scroll it; named, so a screen reader says what it is. */}
        {open ? (
          <div className="table-wrap totals-table-scroll" role="region" aria-label={caption} tabIndex={0}>
            <table className="table table-compact">
              <caption className="visually-hidden">{caption}</caption>
              <thead>
                <tr>
                  <th scope="col">Period</th>
                  <th scope="col">Group</th>
                  <th scope="col">Kind</th>
                  <th scope="col" className="num">Total</th>
                  {bands.flatMap((b) => [
                    <th key={`${b.level}-lo`} scope="col" className="num">{b.level}% lower</th>,
                    <th key={`${b.level}-hi`} scope="col" className="num">{b.level}% upper</th>,
                  ])}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={`${r.kind}-${r.date}`} className={r.kind === 'forecast' ? 'forecast-row' : undefined} data-kind={r.kind} data-testid="totals-row">
                    <th scope="row">
                      <DataDate iso={r.date} />
                    </th>
                    <td>{group}</td>
                    <td>{r.kind === 'forecast' ? 'Forecast' : r.partial ? 'History (partial period)' : 'History'}</td>
                    <td className="num">{formatFull(r.total)}</td>
                    {bands.flatMap((b) => [
                      <td key={`${b.level}-lo`} className="num">{r.kind === 'forecast' ? formatFull(r[b.lower]) : ''}</td>,
                      <td key={`${b.level}-hi`} className="num">{r.kind === 'forecast' ? formatFull(r[b.upper]) : ''}</td>,
                    ])}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </details>
      <button type="button" className="btn btn-ghost btn-small" title={csvTitle} data-testid="totals-table-csv" onClick={onDownload}>
        Download {csvName}
      </button>
    </div>
  );
}
