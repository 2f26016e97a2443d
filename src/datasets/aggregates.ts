import type { Store } from '../stores/store.js';
import { attributeBy, byGroupValue } from './attribute-by.js';
import type { ForecastItemWithCv } from './dataset-forecasts.js';
import { forecastPages } from './dataset-results.js';
import type { Dataset, Frequency, SeriesRecord } from './dataset.js';
import { LeftOutMembers, type LeftOut } from './aggregate-left-out.js';
import { memberBand, memberSd, stepSd, Z80, Z95 } from './member-spread.js';
import { modelHistory } from './model-history.js';
import { periodDays } from './period-days.js';
import { cleanedValues } from './series-values.js';

/**
 * Totals by attribute (store, category, region, a composite key's part): per value of the
 * attribute, and for the whole dataset, the summed history and the summed forecast.
 *
 * Means add up. Bands do not: the sum of the SKUs' 95% bounds is the band of a total whose members
 * always miss together (correlation 1), far too wide for a store of independent items; treating
 * them as independent is too narrow when they share a promotion or a season. So the band of a sum
 * takes the scale from the members' own intervals and how they add up from their holdout (CV)
 * errors:
 *   sigma_i,d   = member i's predictive sd on date d, from its 95% band (or 80%, or the kept level
 *                 nearest 95%: memberBand): (hi - lo) / (2 z)
 *   rho         = the members' average error correlation, from their selected models' holdout
 *                 errors standardized by each one's RMS: with S_t = sum of standardized errors on
 *                 holdout date t over the n_t members that have one,
 *                 rho = sum_t (S_t^2 - n_t) / sum_t n_t (n_t - 1), clamped to [0, 1]
 *   sigma_sum,d = sqrt( sum sigma_i^2 + rho * ((sum sigma_i)^2 - sum sigma_i^2) )
 *   band        = sum of means +- z sigma_sum (z 1.2816 for 80%, 1.96 for 95%), lower bound >= 0.
 * rho = 1 gives the sum of the bands, rho = 0 independent members. With no holdout date shared by
 * two members, rho is taken as 1 (the widest honest band). Asymmetric member bands are symmetrized,
 * except one cut at zero, whose upper half gives the sd (memberSd).
 *
 * A member whose forecast has no band (a result stored without intervals) would add no spread,
 * and the total look more certain than it is. Its sd is then estimated from its own past errors:
 * per step, its cross-validation errors' RMS, growing beyond the steps they reach as they grew
 * (cvStepSd); without cross-validation, its holdout errors' RMS (at least three: holdoutSd), the
 * same on every date; with neither (a history too short to hold any out) its spread is unknown: the band leaves it out and says so (`spread`: how many
 * members each way, the share of the summed mean the unknown ones carry, status 'partial').
 */
export interface AggregateSeries {
  value: string | null; // null: the SKUs without this attribute (and the dataset's total)
  skus: number;
  skusWithForecast: number;
  /** The members' average holdout-error correlation the bands use (null: one member or none). */
  correlation: number | null;
  /** Where the members' spread came from (members with a forecast only). */
  spread: BandSpread;
  /**
   * Up to the date most members' histories end on, whole (ragged ends, the month to date: see
   * Group.result). `skus`: how many
   * SKUs have a value on each date (a period whose actuals some SKUs lack yet has fewer);
   * `provisional`: how many of those values cover only part of their period (actuals to date), so
   * that a week summed from three days is not read as a collapse; `provisionalSpan`: on such a date,
   * the days those values cover (the earliest `from`, the latest `to` of its members' provisional
   * values) and the days of the whole period, else null: "December 1-5 so far, of 31 days".
   */
  history: { dates: string[]; original: number[]; cleaned: number[]; skus: number[]; provisional: number[]; provisionalSpan: Array<ProvisionalSpan | null> };
  /**
   * After the history's last date. `skus`: how many members each date sums; `actuals`: how many of
   * them with an actual (cleaned) rather than a forecast, their history running past the history's
   * last date; `provisional`: how many of those actuals cover only part of their period.
   */
  forecast: { dates: string[]; mean: number[]; lower80: number[]; upper80: number[]; lower95: number[]; upper95: number[]; skus: number[]; actuals: number[]; provisional: number[] } | null;
  /** The members the sums leave out, counted against `skus` and named (aggregate-left-out.ts). */
  leftOut: LeftOut;
}

/** The days a total's provisional values cover on a date, and the days of its period. */
export interface ProvisionalSpan {
  from: string;
  to: string;
  periodDays: number;
}

export interface BandSpread {
  /** Members whose sd is read from their own band. */
  fromBand: number;
  /** Members without a band whose sd is estimated from their past forecast errors (stepSd). */
  fromHoldout: number;
  /** Of those, members whose sd is their cross-validation errors' per step (the others: their flat holdout RMS). */
  fromCv: number;
  /** Members with neither: no spread in the band, which is narrower than the truth. */
  unknown: number;
  /** The share (0 to 1) of the summed forecast mean, over all its dates, the `unknown` members carry. */
  unknownShare: number;
  /** complete: every member's band read; estimated: some from holdout errors; partial: some unknown. */
  status: 'complete' | 'estimated' | 'partial';
}

export interface AggregatesReport {
  by: string | null;
  /** The attributes the dataset's SKUs have, for a picker. */
  attributes: string[];
  bands: 'members-intervals-with-holdout-error-correlation';
  total: AggregateSeries;
  groups: AggregateSeries[];
}

/** The date most of `dates` are (the latest of those tied); undefined for none. */
function mostCommon(dates: Iterable<string>): string | undefined {
  const counts = new Map<string, number>();
  for (const d of dates) counts.set(d, (counts.get(d) ?? 0) + 1);
  let best: string | undefined;
  let most = 0;
  for (const [date, count] of counts) if (count > most || (count === most && best !== undefined && date > best)) [best, most] = [date, count];
  return best;
}

interface HistorySum { original: number; cleaned: number; skus: number; provisional: number; span?: ProvisionalSpan }

/** The days two sums' provisional values cover together. */
function widerSpan(a: ProvisionalSpan | undefined, b: ProvisionalSpan | undefined): ProvisionalSpan | undefined {
  if (!a || !b) return a ?? b;
  return { from: a.from < b.from ? a.from : b.from, to: a.to > b.to ? a.to : b.to, periodDays: a.periodDays };
}

class Group {
  skus = 0;
  withForecast = 0;
  private fromBand = 0;
  private fromHoldout = 0;
  private fromCv = 0;
  private unknown = 0;
  private meanAll = 0;
  private meanUnknown = 0;
  private readonly history = new Map<string, HistorySum>();
  /** Members' trailing provisional values (the month to date) on dates their forecast covers. */
  private readonly toDate = new Map<string, HistorySum>();
  private readonly forecast = new Map<string, { mean: number; var: number; sd: number; skus: number }>();
  private readonly holdout = new Map<string, { s: number; n: number }>();
  /** Each member's last history date and last forecast date (null: none). */
  private readonly ends: Array<{ history: string | null; forecast: string | null }> = [];
  private readonly leftOut = new LeftOutMembers();

  constructor(readonly value: string | null, private readonly frequency: Frequency) {}

  add(item: ForecastItemWithCv, series: { dates: string[]; original: number[]; edits: Record<number, number>; provisional?: SeriesRecord['provisional'] } | undefined): void {
    this.skus++;
    // Where the member's models' history ends: its last whole period (modelHistory leaves its
    // trailing provisional periods out), so its forecast starts at the month to date.
    const leftOut = series ? modelHistory(series).leftOut : 0;
    const ownEnd = series && series.dates.length > leftOut ? series.dates[series.dates.length - 1 - leftOut] : undefined;
    this.ends.push({ history: ownEnd ?? null, forecast: item.forecast?.dates.at(-1) ?? null });
    const f = item.forecast;
    this.leftOut.add(item.sku, series?.dates, f ? f.dates.filter((d) => ownEnd === undefined || d > ownEnd) : null);
    if (series && series.dates.length > 0) {
      const cleaned = cleanedValues(series);
      const forecasted = new Set(f && leftOut > 0 ? f.dates : []);
      series.dates.forEach((d, i) => {
        // A month to date its forecast covers is kept apart: on the total's history dates it is
        // summed (and counted provisional), on its forecast dates the member's forecast of the
        // whole period stands for it, as it does on the SKU's own page.
        const pending = i >= series.dates.length - leftOut && forecasted.has(d);
        const map = pending ? this.toDate : this.history;
        const h = map.get(d) ?? { original: 0, cleaned: 0, skus: 0, provisional: 0 };
        h.original += series.original[i];
        h.cleaned += cleaned[i];
        h.skus++;
        const flag = series.provisional?.[d];
        if (flag) {
          h.provisional++;
          h.span = widerSpan(h.span, { from: flag.from, to: flag.to, periodDays: periodDays(this.frequency, d) });
        }
        map.set(d, h);
      });
    }
    if (!f) return;
    this.withForecast++;
    const band = memberBand(f);
    const estimated = band ? null : stepSd(item, f.dates.length);
    let mean = 0;
    for (const m of f.mean) mean += Math.abs(m);
    this.meanAll += mean;
    if (band) this.fromBand++;
    else if (estimated !== null) {
      this.fromHoldout++;
      if (estimated.from === 'cv') this.fromCv++;
    } else {
      this.unknown++;
      this.meanUnknown += mean;
    }
    f.dates.forEach((d, k) => {
      // A forecast made before the member's latest actuals (its new job still waiting) keeps dates
      // its history now has whole: summed, they would count that period twice.
      if (ownEnd !== undefined && d <= ownEnd) return;
      const sd = band ? memberSd(f.mean[k], band.lower[k], band.upper[k], band.z) : estimated?.sd[k] ?? 0;
      const x = this.forecast.get(d) ?? { mean: 0, var: 0, sd: 0, skus: 0 };
      x.mean += f.mean[k];
      x.var += sd * sd;
      x.sd += sd;
      x.skus++;
      this.forecast.set(d, x);
    });
    const bt = item.backtest;
    if (bt && bt.actual.length > 0) {
      let ss = 0;
      for (let t = 0; t < bt.actual.length; t++) ss += (bt.actual[t] - bt.fitted[t]) ** 2;
      const rms = Math.sqrt(ss / bt.actual.length);
      if (rms > 0) {
        bt.dates.forEach((d, t) => {
          const h = this.holdout.get(d) ?? { s: 0, n: 0 };
          h.s += (bt.actual[t] - bt.fitted[t]) / rms;
          h.n++;
          this.holdout.set(d, h);
        });
      }
    }
  }

  correlation(): number | null {
    if (this.withForecast < 2) return null;
    let num = 0;
    let den = 0;
    for (const { s, n } of this.holdout.values()) {
      num += s * s - n;
      den += n * (n - 1);
    }
    if (den === 0) return 1;
    return Math.min(1, Math.max(0, num / den));
  }

  /**
   * Members' histories need not end together: an actuals file that leaves out the SKUs that sold
   * nothing, a SKU appended a month ahead, a SKU discontinued years ago. Each member's forecast
   * starts after its own history, so summing each side by date put a lagging member's forecast of a
   * month the others have actuals for beside that month's history (a forecast total of 14 against
   * 6,755 of history), and left a leading member's actual alone on the history's last date (a
   * total of 7). So the history ends on the date most members' histories end on (the latest of
   * those tied), and the forecast starts after it: a lagging member's forecast of the periods
   * before is not summed (one discontinued long ago forecasts none of the total's dates), and on
   * the forecast's dates a leading member's actual (cleaned, as the models see it) stands where
   * its forecast would (`actuals`). The forecast ends where most members' forecasts end, so a
   * leading member is not alone on a last date either; a lagging member's horizon ends earlier,
   * and `skus` says how many members each date sums. "Most members" are the current ones: those
   * whose history ends no more than one period before the latest end most members reach (the 90th
   * percentile of the ends, so one SKU dated far ahead, a typo or a file sent early, does not set
   * it). A SKU discontinued earlier has no say, however many were, or the total's history would end
   * where theirs did. With no forecast at all (every job still waiting) the history runs to its
   * last date and there is no forecast.
   *
   * A member's history ends, for all this, on its last whole period: its trailing provisional
   * periods (the month to date) are not what its models saw (modelHistory), and its forecast starts
   * at them. When most members have the month to date, the total's history ends the month before
   * and the month is a forecast date: each member's forecast of the whole month is summed, not its
   * days to date beside it (the 810 of five days would have been history and the 2,000 forecast of
   * the same month a period later, or both summed on one date). A member's days to date on a date
   * the total's history has (most members have that period whole) are summed there, counted under
   * `provisional`, as are those of a member with no forecast of that period.
   */
  result(): AggregateSeries {
    const round = (x: number) => Math.round(x * 1e6) / 1e6;
    const ends = this.ends.flatMap((e) => (e.history === null ? [] : [e.history])).sort();
    const dates = [...new Set([...this.history.keys(), ...this.toDate.keys()])].sort();
    const summed = (d: string): HistorySum => {
      const h = this.history.get(d);
      const t = this.toDate.get(d);
      if (!t) return h!;
      if (!h) return t;
      return { original: h.original + t.original, cleaned: h.cleaned + t.cleaned, skus: h.skus + t.skus, provisional: h.provisional + t.provisional, span: widerSpan(h.span, t.span) };
    };
    const latest = ends.length > 0 ? ends[Math.floor(0.9 * (ends.length - 1))] : undefined;
    const before = latest === undefined ? undefined : dates[Math.max(0, dates.indexOf(latest) - 1)];
    const current = this.ends.filter((e) => e.history !== null && before !== undefined && e.history >= before);
    const anyForecast = this.withForecast > 0;
    const historyEnd = anyForecast ? mostCommon(current.map((e) => e.history!)) : dates.at(-1);
    const forecastEnd = anyForecast ? mostCommon(current.flatMap((e) => (e.forecast === null ? [] : [e.forecast])))
      ?? mostCommon(this.ends.flatMap((e) => (e.forecast === null ? [] : [e.forecast]))) : undefined;
    const past = (d: string) => historyEnd !== undefined && d > historyEnd;
    const hd = dates.filter((d) => !past(d));
    const fd = [...new Set([...this.forecast.keys(), ...[...this.history.keys()].filter(past)])]
      .filter((d) => (historyEnd === undefined || past(d)) && (forecastEnd === undefined || d <= forecastEnd)).sort();
    const rho = this.correlation();
    const r = rho ?? 1;
    const mean: number[] = [];
    const bands = { lower80: [] as number[], upper80: [] as number[], lower95: [] as number[], upper95: [] as number[] };
    const skus: number[] = [];
    const actuals: number[] = [];
    const provisional: number[] = [];
    for (const d of fd) {
      const x = this.forecast.get(d) ?? { mean: 0, var: 0, sd: 0, skus: 0 };
      const actual = this.history.get(d) ?? { cleaned: 0, skus: 0, provisional: 0 };
      const sum = x.mean + actual.cleaned;
      const sd = Math.sqrt(Math.max(0, x.var + r * (x.sd * x.sd - x.var)));
      mean.push(round(sum));
      bands.lower80.push(round(Math.max(0, sum - Z80 * sd)));
      bands.upper80.push(round(sum + Z80 * sd));
      bands.lower95.push(round(Math.max(0, sum - Z95 * sd)));
      bands.upper95.push(round(sum + Z95 * sd));
      skus.push(x.skus + actual.skus);
      actuals.push(actual.skus);
      provisional.push(actual.provisional);
    }
    return {
      value: this.value,
      skus: this.skus,
      skusWithForecast: this.withForecast,
      correlation: rho === null ? null : round(rho),
      spread: {
        fromBand: this.fromBand,
        fromHoldout: this.fromHoldout,
        fromCv: this.fromCv,
        unknown: this.unknown,
        // By count when every mean is zero: there is no mean to share.
        unknownShare: round(this.meanAll > 0 ? this.meanUnknown / this.meanAll : this.withForecast > 0 ? this.unknown / this.withForecast : 0),
        status: this.unknown > 0 ? 'partial' : this.fromHoldout > 0 ? 'estimated' : 'complete',
      },
      history: {
        dates: hd,
        original: hd.map((d) => round(summed(d).original)),
        cleaned: hd.map((d) => round(summed(d).cleaned)),
        skus: hd.map((d) => summed(d).skus),
        provisional: hd.map((d) => summed(d).provisional),
        provisionalSpan: hd.map((d) => summed(d).span ?? null),
      },
      forecast: fd.length > 0 ? { dates: fd, mean, ...bands, skus, actuals, provisional } : null,
      leftOut: this.leftOut.result(hd.at(-1), forecastEnd, fd),
    };
  }
}

export async function datasetAggregates(store: Store, dataset: Dataset, asked?: string): Promise<AggregatesReport> {
  const { by, attributes, attributesBySku } = await attributeBy(store, dataset.id, asked);
  const total = new Group(null, dataset.frequency);
  const groups = new Map<string | null, Group>();
  for await (const page of forecastPages(store, dataset, undefined, true)) {
    const series = new Map((await store.getSeriesMany(dataset.id, page.map((i) => i.sku))).map((s) => [s.sku, s]));
    for (const item of page) {
      const s = series.get(item.sku);
      total.add(item, s);
      if (by === null) continue;
      const value = attributesBySku[item.sku]?.[by] ?? null;
      let group = groups.get(value);
      if (!group) groups.set(value, (group = new Group(value, dataset.frequency)));
      group.add(item, s);
    }
  }
  const sorted = [...groups.values()].sort(byGroupValue);
  return {
    by,
    attributes,
    bands: 'members-intervals-with-holdout-error-correlation',
    total: total.result(),
    groups: sorted.map((g) => g.result()),
  };
}
