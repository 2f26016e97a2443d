/**
 * Every number, date and time the app shows goes through Intl with the browser's locale
 * (`navigator.language`: 12,345.6 in en-US, 12.345,6 in de-DE). One cache of formatters; the
 * locale can be pinned for tests with setFormatLocale.
 */
let locale: string | undefined;
const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

/** Pin the locale (tests); undefined means the browser's. */
export function setFormatLocale(next: string | undefined): void {
  locale = next;
  cache.clear();
}

function numberFormat(options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n${JSON.stringify(options)}`;
  let format = cache.get(key) as Intl.NumberFormat | undefined;
  if (!format) cache.set(key, (format = new Intl.NumberFormat(locale, options)));
  return format;
}

function dateFormat(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d${JSON.stringify(options)}`;
  let format = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!format) cache.set(key, (format = new Intl.DateTimeFormat(locale, options)));
  return format;
}

const missing = '–';
const isNumber = (value: number | null | undefined): value is number => value !== null && value !== undefined && Number.isFinite(value);

/**
 * A measurement: at most `digits` decimals (none from 100 up), 10,000 and up compact (12.3K). A
 * small negative value that rounds to zero is written 0, not -0 (a bias of -0.004).
 */
export function formatNumber(value: number | null | undefined, digits = 1): string {
  if (!isNumber(value)) return missing;
  const abs = Math.abs(value);
  if (abs >= 10_000) return numberFormat({ notation: 'compact', maximumFractionDigits: 1 }).format(value);
  const fraction = abs >= 100 ? 0 : digits;
  // A value that is not 0 but rounds to it reads as its bound ("<0.01"), not as "0": a model's MAE
  // of 0.004 shown as 0 beside an sMAPE of 200 read as a contradiction.
  const smallest = 10 ** -fraction;
  // A negative one keeps reading 0 (a bias of -0.004), never "-0".
  if (value > 0 && value < smallest / 2) return `<${numberFormat({ maximumFractionDigits: fraction }).format(smallest)}`;
  return numberFormat({ maximumFractionDigits: fraction, signDisplay: 'negative' }).format(value);
}

/**
 * An axis's tick labels: as many decimals as the step between ticks needs (0.02 apart: 2), so
 * ticks of a slow mover's chart read 0, 0.02, 0.04, not 0, <0.1, <0.1.
 */
export function formatTicks(splits: number[]): string[] {
  const step = splits.length > 1 ? Math.abs(splits[1] - splits[0]) : 0;
  const digits = step > 0 && step < 1 ? Math.min(6, Math.ceil(-Math.log10(step) - 1e-9)) : 1;
  return splits.map((v) => formatNumber(Math.abs(v) < step / 1e6 ? 0 : v, digits));
}

/**
 * A value the planner reads and may edit (the cleaning grid): in full, the locale's grouping and
 * decimal mark, up to 6 decimals, never compact, so parse-number.ts reads it back as the same number.
 */
export function formatValue(value: number | null | undefined): string {
  return isNumber(value) ? numberFormat({ maximumFractionDigits: 6 }).format(value) : missing;
}

/**
 * A figure of a table (Totals' table): in full with the locale's grouping, at most `digits`
 * decimals, never compact (a table is read across its rows: 12.3K beside 9,870 hides the scale).
 */
export function formatFull(value: number | null | undefined, digits = 1): string {
  return isNumber(value) ? numberFormat({ maximumFractionDigits: digits, signDisplay: 'negative' }).format(value) : missing;
}

/** The locale every number is written in (undefined: the browser's), for reading typed numbers the same way. */
export function formatLocale(): string | undefined {
  return locale;
}

/** A count, in full with the locale's grouping (50,000 jobs). */
export function formatCount(value: number | null | undefined): string {
  return isNumber(value) ? numberFormat({ maximumFractionDigits: 0 }).format(value) : missing;
}

/** A count and its noun, in the number it takes (1 SKU, 2 SKUs; `plural` when not the noun and an s). */
export function formatCounted(value: number, noun: string, plural = `${noun}s`): string {
  return `${formatCount(value)} ${value === 1 ? noun : plural}`;
}

/** A percentage given in points (12.3 means 12.3%). */
export function formatPercent(points: number | null | undefined, digits = 1): string {
  return isNumber(points) ? numberFormat({ style: 'percent', maximumFractionDigits: digits, signDisplay: 'negative' }).format(points / 100) : missing;
}

function isoDate(iso: string): Date | null {
  const time = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(time) ? null : new Date(time);
}

/** A calendar date of the data (YYYY-MM-DD, no time zone): 1 Dec 2024, Dec 1, 2024, 01.12.2024 ... */
export function formatDate(iso: string): string {
  const date = isoDate(iso);
  return date ? dateFormat({ dateStyle: 'medium', timeZone: 'UTC' }).format(date) : iso;
}

/**
 * A label the API wrote for people (the accuracy answer's `startsLabel`: "2026-02-01 (1 SKU from
 * 2026-01-01)") in the reader's format: its ISO dates as formatDate writes them, its counts of
 * SKUs grouped. The API makes the label once for every client; only its dates and numbers are ours.
 */
export function formatApiLabel(label: string): string {
  return label
    .replace(/\b(\d+) (SKUs?)\b/g, (_all, n: string, noun: string) => `${formatCount(Number(n))} ${noun}`)
    .replace(/\b\d{4}-\d{2}-\d{2}\b/g, (iso) => formatDate(iso));
}

/**
 * Days of the data from `from` to `to` (ISO dates), as short as the locale writes a range:
 * "Dec 1 – 5", "1.–5. Dez.", one day alone when they are the same ("Dec 1").
 */
export function formatDayRange(from: string, to: string): string {
  const a = isoDate(from);
  const b = isoDate(to);
  if (!a || !b) return `${from} – ${to}`;
  return dateFormat({ month: 'short', day: 'numeric', timeZone: 'UTC' }).formatRange(a, b);
}

/**
 * The name of the period that starts (or is dated) at a chart tick, epoch seconds of a UTC date:
 * "Aug 2024" for a month, "Q3 2024" for a quarter, "2024" for a year (or for a month or quarter
 * when `yearOnly`), a week or day by its date ("Aug 5", "Aug 5, 2024" `withYear`).
 */
export function formatPeriod(
  frequency: 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly',
  epochSeconds: number,
  { yearOnly = false, withYear = false }: { yearOnly?: boolean; withYear?: boolean } = {},
): string {
  const date = new Date(epochSeconds * 1000);
  const year = () => dateFormat({ year: 'numeric', timeZone: 'UTC' }).format(date);
  if (frequency === 'yearly' || ((frequency === 'monthly' || frequency === 'quarterly') && yearOnly)) return year();
  if (frequency === 'quarterly') return `Q${Math.floor(date.getUTCMonth() / 3) + 1} ${year()}`;
  if (frequency === 'monthly') return dateFormat({ month: 'short', year: 'numeric', timeZone: 'UTC' }).format(date);
  return dateFormat({ day: 'numeric', month: 'short', ...(withYear ? { year: 'numeric' } : {}), timeZone: 'UTC' }).format(date);
}

/** The day of a moment in the browser's time zone: "Jan 5, 2025" (a snapshot kept at 23:00 in New York is kept that day, not the next one of UTC). */
export function formatLocalDay(epochMs: number | null | undefined): string {
  if (!epochMs) return missing;
  return dateFormat({ dateStyle: 'medium' }).format(new Date(epochMs));
}

/** A moment, in the browser's time zone, date and time: "Jan 5, 2025, 2:30 PM", "05.01.2025, 14:30". */
export function formatDateTime(epochMs: number | null | undefined): string {
  if (!epochMs) return missing;
  return dateFormat({ dateStyle: 'medium', timeStyle: 'short' }).format(new Date(epochMs));
}

/** A moment of the queue (job started, finished), in the browser's time zone. */
export function formatTime(epochMs: number | null | undefined): string {
  if (!epochMs) return missing;
  return dateFormat({ hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(new Date(epochMs));
}

/** Time left for the queue, in its largest unit: "40s left", "12 min left", "1.5 hr left". */
export function formatEta(seconds: number | null | undefined): string {
  if (!isNumber(seconds)) return '';
  const unit = (value: number, name: string, digits = 0) =>
    numberFormat({ style: 'unit', unit: name, unitDisplay: 'narrow', maximumFractionDigits: digits }).format(value);
  if (seconds < 60) return `${unit(Math.max(1, Math.round(seconds)), 'second')} left`;
  if (seconds < 3600) return `${unit(Math.round(seconds / 60), 'minute')} left`;
  return `${unit(seconds / 3600, 'hour', 1)} left`;
}

export function reasonLabel(reason: string): string {
  return reason.replace(/_/g, ' ');
}

/** A file's size: "12 KB" (at least 1), "3.4 MB" (3,4 MB in de-DE). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${numberFormat({ maximumFractionDigits: 0 }).format(Math.max(1, Math.round(bytes / 1024)))} KB`;
  return `${numberFormat({ maximumFractionDigits: 1 }).format(bytes / 1048576)} MB`;
}
