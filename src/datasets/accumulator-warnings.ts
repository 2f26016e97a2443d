import type { Frequency } from './dataset.js';

/**
 * The accumulator's warnings about what a file's dates and rejected lines did to the series
 * (series-accumulator.ts and period-series.ts decide when; this file says it): rows after today, rejected lines whose
 * periods were filled with 0, and SKUs whose rows end before the file does.
 */
/**
 * The warning of rows dated after the current period: the SKUs (those reaching furthest first),
 * each with its first such line and how many periods past the current one it reaches.
 */
export function futureRowsWarning(
  future: Array<{ sku: string; line: number; date: string; periods: number; lines: number }>,
  lines: number,
  frequency: Frequency,
  currentPeriod: string,
  today: string,
): string {
  const unit = (n: number) => `${n} ${periodWord[frequency]}${n === 1 ? '' : 's'}`;
  const shown = [...future].sort((a, b) => b.periods - a.periods || a.line - b.line).slice(0, 3)
    .map((f) => `'${f.sku}' ${f.date} (line ${f.line}${f.lines > 1 ? ` and ${f.lines - 1} more` : ''}), ${unit(f.periods)} past it`);
  const more = future.length > 3 ? `; and ${future.length - 3} more SKUs` : '';
  const reach = Math.max(...future.map((f) => f.periods));
  return `${lines === 1 ? '1 line is' : `${lines} lines are`} dated after the current period (${currentPeriod}, today being ${today}): ${shown.join('; ')}${more}. `
    + `A sales history ends today: a mistyped year (2099 for 2024)? ${future.length === 1 ? 'This SKU\'s' : 'These SKUs\''} lines add up to ${unit(reach)} to the dataset, the periods up to them filled with 0 under fillGaps=zero, and forecasts start after them; fix the dates and import again`;
}


/**
 * The warning of periods filled with 0 (fillGaps=zero) where the file had a line, rejected: an
 * export with a broken quantity column would otherwise import as a collapse in demand, each
 * rejection and each gap reported apart (docs/datasets.md, gaps).
 */
export function rejectedFilledWarning(filled: Array<{ sku: string; date: string; line: number; reason: string }>, capped = false): string {
  const n = filled.length;
  const shown = [...filled].sort((a, b) => a.line - b.line).slice(0, 3).map((f) => `${f.sku} ${f.date} (line ${f.line}: ${f.reason})`);
  const more = n > 3 ? `, and ${n - 3} more` : '';
  return `${capped ? 'at least ' : ''}${n === 1 ? '1 period filled with 0 had a line that was rejected' : `${n} periods filled with 0 had a line that was rejected`}: ${shown.join(', ')}${more}; fillGaps=zero feeds ${n === 1 ? 'it' : 'them'} to the models as no sales: fix ${n === 1 ? 'that line' : 'those lines'} and import again (maxRejected=0 refuses a file with any rejected line)`;
}

const periodWord: Record<Frequency, string> = { daily: 'day', weekly: 'week', monthly: 'month', quarterly: 'quarter', yearly: 'year' };

/**
 * The warning of SKUs whose rows end before the file's last whole period: an export that omits
 * zero rows leaves a SKU that stopped selling without lines, and read as it is its series would
 * end there, its forecast dated in the dataset's past. Names the SKUs that ended first, each with
 * the date of its last row and the periods after it (docs/datasets.md, gaps).
 */
export function endedEarlyWarning(ended: Array<{ sku: string; last: string; periods: number }>, frequency: Frequency, end: string, fillGaps: 'zero' | 'report', skuCount = ended.length): string {
  return endedEarlyText(ended, frequency, end, fillGaps) + sharedCutoff(ended, skuCount, fillGaps);
}

/**
 * Many SKUs ending on one date look like where part of the file stops (a region's ERP closing a
 * month earlier, an extract cut at another date), not like as many items stopping at once: said,
 * with the way out. At least 5 SKUs and a fifth of the file, so a few real stops do not trigger it.
 */
function sharedCutoff(ended: Array<{ last: string }>, skuCount: number, fillGaps: 'zero' | 'report'): string {
  const byLast = new Map<string, number>();
  for (const e of ended) byLast.set(e.last, (byLast.get(e.last) ?? 0) + 1);
  const [last, n] = [...byLast].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0] ?? ['', 0];
  if (n < 5 || n * 5 < skuCount) return '';
  return `. ${n} of these ${ended.length} SKUs (of ${skuCount}) end on the same day, ${last}: if that is where their part of the file stops (a region's or a system's cut-off) rather than ${n} items stopping at once, send their later rows${fillGaps === 'zero' ? ', or import with fillGaps=report so their tails are not read as 0' : ''}`;
}

function endedEarlyText(ended: Array<{ sku: string; last: string; periods: number }>, frequency: Frequency, end: string, fillGaps: 'zero' | 'report'): string {
  const one = ended.length === 1;
  const unit = (n: number) => `${n} ${periodWord[frequency]}${n === 1 ? '' : 's'}`;
  const shown = [...ended].sort((a, b) => b.periods - a.periods || (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0)).slice(0, 3)
    .map((e) => `'${e.sku}' last on ${e.last}, ${unit(e.periods)}`);
  const more = ended.length > 3 ? `; and ${ended.length - 3} more` : '';
  const head = `${one ? '1 SKU has' : `${ended.length} SKUs have`} no rows after ${one ? 'its' : 'their'} last sale (${shown.join('; ')}${more})`;
  const plural = `${periodWord[frequency]}s`;
  if (fillGaps === 'zero') {
    return `${head}: ${one ? 'its' : 'their'} ${plural} up to the dataset's end, ${end}, are filled with 0 as fillGaps=zero says, so ${one ? 'its forecast starts' : 'their forecasts start'} after the dataset's end, from ${one ? 'its' : 'their'} zeros; if ${one ? 'it' : 'they'} did sell then, send ${one ? 'its' : 'their'} rows`;
  }
  return `${head}: with fillGaps=report these ${plural} are left out (listed under gaps), so ${one ? 'its series ends' : 'their series end'} early and ${one ? 'its forecast starts' : 'their forecasts start'} before the dataset's end, ${end}`;
}
