import { counted } from './counted.js';

/**
 * Where a snapshot's forecasts start, as a label: the period most SKUs start on and how many
 * start elsewhere ("2026-02-01 (1 SKU from 2026-01-01)"), not forecastStart alone, the earliest,
 * which a SKU the files left out holds back. A tie names both counts, the earliest leading
 * ("2024-01-01 (2 SKUs; 2 SKUs from 2024-02-01)"); up to 3 other starts are listed each, more are
 * a range only when all fall on one side of the lead, else "other dates". One start: forecastStart
 * (null when there is none). Made once, here, for the accuracy answer (`startsLabel`): `skucast
 * accuracy` prints it and the web app shows it with its dates in the reader's format.
 */
export function startsLabel(starts: Array<{ period: string; skus: number }>, forecastStart: string | null): string | null {
  if (starts.length < 2) return forecastStart;
  const top = Math.max(...starts.map((s) => s.skus));
  const lead = starts.find((s) => s.skus === top)!; // the report lists them earliest first
  const tied = starts.filter((s) => s !== lead && s.skus === top);
  const rest = starts.filter((s) => s !== lead && s.skus !== top);
  const one = (s: { period: string; skus: number }) => `${counted(s.skus, 'SKU')} from ${s.period}`;
  const parts = tied.length > 0 ? [counted(lead.skus, 'SKU')] : [];
  if (tied.length + rest.length <= 3) parts.push(...[...tied, ...rest].sort((a, b) => (a.period < b.period ? -1 : 1)).map(one));
  else {
    parts.push(...tied.map(one));
    const n = rest.reduce((sum, s) => sum + s.skus, 0);
    const oneSide = rest.every((s) => s.period < lead.period) || rest.every((s) => s.period > lead.period);
    if (rest.length === 1) parts.push(one(rest[0]));
    else if (rest.length > 1) parts.push(`${counted(n, 'SKU')} from ${oneSide ? `${rest[0].period} to ${rest[rest.length - 1].period}` : 'other dates'}`);
  }
  return `${lead.period} (${parts.join('; ')})`;
}
