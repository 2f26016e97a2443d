import type { AggregateSeries, AggregatesReport } from './aggregates.js';
import { csvField } from './csv-field.js';

/**
 * aggregates.csv: the totals of GET /api/datasets/:id/aggregates as one long table a spreadsheet
 * pivots, a row per group, date and side:
 *
 *   by,value,date,kind,skus,actuals,original,cleaned,forecast,lo80,hi80,lo95,hi95,provisional
 *
 * `by` is empty on the dataset's total and the attribute (`store`) on a group's rows, whose
 * `value` is the store (empty for the SKUs without one). `kind` is `history` (original and
 * cleaned sums) or `forecast` (the summed mean and its bands; `actuals`: how many of the members
 * it sums are actuals ahead of the others' history, aggregates.ts). `skus`: the members on that date;
 * `provisional` (last, so that a reader of the columns before it by position still reads them):
 * how many of the values summed cover only part of their period (actuals to date).
 */
export function aggregatesCsv(report: AggregatesReport): string {
  let out = 'by,value,date,kind,skus,actuals,original,cleaned,forecast,lo80,hi80,lo95,hi95,provisional\n';
  out += rows('', '', report.total);
  for (const group of report.groups) out += rows(report.by ?? '', group.value ?? '', group);
  return out;
}

function rows(by: string, value: string, series: AggregateSeries): string {
  let out = '';
  const h = series.history;
  for (let i = 0; i < h.dates.length; i++) {
    out += [by, value, h.dates[i], 'history', h.skus[i], null, h.original[i], h.cleaned[i], null, null, null, null, null, h.provisional[i]].map(csvField).join(',') + '\n';
  }
  const f = series.forecast;
  if (f) {
    for (let i = 0; i < f.dates.length; i++) {
      out += [by, value, f.dates[i], 'forecast', f.skus[i], f.actuals[i], null, null, f.mean[i], f.lower80[i], f.upper80[i], f.lower95[i], f.upper95[i], f.provisional[i]].map(csvField).join(',') + '\n';
    }
  }
  return out;
}
