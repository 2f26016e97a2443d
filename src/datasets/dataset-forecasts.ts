import { chooseForecast, inactiveText, type AccuracyMetrics, type InactiveRun, type ChoiceRule, type ForecastChoice, type ForecastResult, type Metric } from '../forecasting/index.js';
import type { Dataset, DatasetSettings, ModelResult } from './dataset.js';
import { minimumHistory } from './dataset-settings.js';
import { effectiveHoldout, shortHistory } from './job-planner.js';

/**
 * Results as a planner reads them: per SKU the forecast chosen by chooseForecast (src/forecasting:
 * the model or combination of models with the lowest rolling-origin cross-validation error by the
 * dataset's metric, among its completed jobs of the current method and enabled models; a planner's
 * override wins once its model has a result, until then the metric's choice is shown, saying so), its forecast with intervals, and every model's metrics to compare; and the portfolio's
 * accuracy, volume-weighted: WAPE = 100 * sum|actual - forecast| / sum|actual| over every SKU's
 * holdout, and bias = 100 * sum(forecast - actual) / sum(actual) (positive: over-forecasting).
 */
export interface ModelSummary {
  modelId: string;
  method: string;
  jobId: number;
  finishedAt: number;
  metrics: AccuracyMetrics | null;
  parameters: Record<string, number | string | boolean>;
  aicc: number | null;
  /**
   * The model's notes for the planner, as its result has them (run-forecast.ts: a season shrunk or
   * left out, a shorter holdout, ...): [] where it has none, or a result of an older engine lacks them.
   */
  warnings: string[];
}

export interface ForecastItem {
  sku: string;
  /** The chosen model, or the members of a chosen combination joined by '+'. */
  bestModel: string | null;
  selectedBy: 'metric' | 'override' | null;
  /** How the forecast was chosen, for the planner; members lists the models a combination averages. */
  selection: { how: string; members: string[] } | null;
  /** The shown forecast's holdout error by the dataset's metric (bestModel: the API's name for it, a model or a mix). */
  error: number | null;
  forecast: {
    dates: string[];
    mean: number[];
    lower80: number[] | null;
    upper80: number[] | null;
    lower95: number[] | null;
    upper95: number[] | null;
    intervals: ForecastResult['forecast']['intervals'];
  } | null;
  backtest: { dates: string[]; actual: number[]; fitted: number[] } | null;
  /**
   * Set when the shown forecast is 0 because the SKU reads as stopped (src/forecasting's
   * inactive-demand.ts): the run without a sale and its chance were the SKU still selling. Null otherwise, and from a snapshot.
   */
  inactive: InactiveRun | null;
  models: ModelSummary[];
}

/**
 * A ForecastItem with the chosen forecast's cross-validation (several origins; a combination's as
 * its weighted mean): what totals estimate a bandless member's spread from (aggregates.ts). Only
 * on request (forecastItems' `withCv`): no response carries it. Null without one (a result of an
 * engine before 1.4); absent from snapshots.
 */
export interface ForecastItemWithCv extends ForecastItem {
  cv?: { actual: number[][]; forecast: (number[] | null)[] } | null;
}

export interface Portfolio {
  /** Over the holdouts of the SKUs with a backtest only (skusWithBacktest), volume-weighted. */
  wape: number | null;
  bias: number | null;
  skus: number;
  skusWithForecast: number;
  /**
   * The SKUs whose shown forecast has a backtest, those wape and bias cover: a forecast has none
   * when the holdout is 0, or its history is too short to hold out a point (a seasonal SKU of two
   * years). Null where it was not kept (a snapshot's portfolio).
   */
  skusWithBacktest: number | null;
}

const finiteNumbers = (xs: unknown, length?: number): boolean =>
  Array.isArray(xs) && (length === undefined || xs.length === length) && xs.every((x) => typeof x === 'number' && Number.isFinite(x));

/**
 * A stored result this reader can show, or null. jobs.result is JSON written by whichever engine
 * version ran the job: JSON turns NaN into null, and an older or foreign writer may lack a block.
 * A result whose forecast, bands or backtest hold anything but finite numbers counts as no result
 * for its model (as the engine now fails such a job), rather than reaching the chart, the
 * portfolio sums (where null reads as 0) or the response schema (which would refuse the page).
 */
function asResult(value: unknown): ForecastResult | null {
  if (!value || typeof value !== 'object') return null;
  // Each result is read a few times per item (filter, choice, model table): check it once.
  let checked = usable.get(value);
  if (checked === undefined) usable.set(value, (checked = checkResult(value as ForecastResult)));
  return checked;
}

const usable = new WeakMap<object, ForecastResult | null>();

function checkResult(r: ForecastResult): ForecastResult | null {
  if (!r.forecast || !r.holdout) return null;
  const { mean, dates, intervals } = r.forecast;
  if (!finiteNumbers(mean) || !Array.isArray(dates) || dates.length !== mean.length || !Array.isArray(intervals)) return null;
  if (!intervals.every((b) => b && typeof b.level === 'number' && finiteNumbers(b.lower, mean.length) && finiteNumbers(b.upper, mean.length))) return null;
  const h = r.holdout;
  if (!Array.isArray(h.dates) || !finiteNumbers(h.actual) || !finiteNumbers(h.forecast)) return null;
  return r;
}

/** Stored metrics as the API states them: a number, or null where undefined (JSON keeps NaN as null). */
function metricsOf(metrics: AccuracyMetrics | null | undefined): AccuracyMetrics | null {
  if (!metrics || typeof metrics !== 'object') return null;
  const m = metrics as unknown as Record<string, unknown>;
  const value = (key: keyof AccuracyMetrics) => (typeof m[key] === 'number' && Number.isFinite(m[key]) ? m[key] : null) as number;
  return { mae: value('mae'), rmse: value('rmse'), mape: value('mape'), smape: value('smape'), mase: value('mase'), wape: value('wape'), bias: value('bias') };
}

/** A stored result's warnings as the API states them: its strings only (the response schema refuses anything else). */
function warningsOf(warnings: unknown): string[] {
  return Array.isArray(warnings) ? warnings.filter((w): w is string => typeof w === 'string') : [];
}

function metricOf(result: ForecastResult, metric: string): number | null {
  const value = (result.holdout?.metrics as unknown as Record<string, number | null> | null)?.[metric];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Results that count for a dataset now: its enabled models, run with its current method. */
export function currentResults(dataset: Pick<Dataset, 'settings'>, results: ModelResult[]): ModelResult[] {
  const models = new Set(dataset.settings.models);
  return results.filter((r) => models.has(r.modelId) && r.method === dataset.settings.method && asResult(r.result));
}

/** A stored result's cross-validation, as ForecastItem keeps it. */
function cvOf(result: ModelResult | undefined): ForecastItemWithCv['cv'] {
  const cv = asResult(result?.result)?.cv;
  return cv && cv.actual.length > 0 ? { actual: cv.actual, forecast: cv.forecast } : null;
}

/** The selection for one SKU from its results (chooseForecast). Ties go to the order models are enabled in. */
export function forecastItem(sku: string, dataset: Pick<Dataset, 'settings'>, results: ModelResult[], override: string | undefined, rule?: ChoiceRule, withCv = false): ForecastItemWithCv {
  const metric = dataset.settings.metric;
  const order = dataset.settings.models;
  const mine = currentResults(dataset, results).sort((a, b) => order.indexOf(a.modelId) - order.indexOf(b.modelId));
  let choice: ForecastChoice | null = chooseForecast(mine.map((r) => ({ modelId: r.modelId, result: asResult(r.result)! })), metric as Metric, rule);
  let selectedBy: ForecastItem['selectedBy'] = choice ? 'metric' : null;
  let bestModel = choice?.label ?? null;
  const overridden = override ? mine.find((m) => m.modelId === override) : undefined;
  if (overridden) {
    const result = asResult(overridden.result)!;
    bestModel = overridden.modelId;
    selectedBy = 'override';
    choice = {
      // A pinned model of a SKU read as stopped forecasts 0 too: the sentence says why.
      label: overridden.modelId, members: [overridden.modelId], how: result.inactive ? `chosen by the planner; ${inactiveText(result.inactive, result.frequency)}` : 'chosen by the planner', error: metricOf(result, metric),
      forecast: result.forecast,
      backtest: result.holdout.length > 0 ? { dates: result.holdout.dates, actual: result.holdout.actual, forecast: result.holdout.forecast } : null,
    };
  } else if (override && choice) {
    // The planner's model has no result to show (its job is pending or failed; or the model was
    // disabled or the method changed since): the SKU keeps the metric's forecast rather than
    // dropping out of the exports and totals, and says why. The override stays stored and wins
    // once its model has a result.
    const why = dataset.settings.models.includes(override) ? 'has no result yet (its job is pending or failed)' : 'is no longer one of the dataset\'s models';
    choice = { ...choice, how: `${choice.how}; the planner's choice, ${override}, ${why}: the metric's choice is shown meanwhile` };
  }
  const band = (level: number) => choice?.forecast.intervals.find((b) => b.level === level) ?? null;
  // Inactive when every model the shown forecast comes from is (the choice's rule, chooseForecast).
  const shown = (choice?.members ?? []).map((m) => asResult(mine.find((r) => r.modelId === m)?.result)?.inactive ?? null);
  const inactive = shown.length > 0 && shown.every((r) => r !== null) ? shown[0] : null;
  return {
    sku,
    bestModel,
    selectedBy,
    selection: choice ? { how: withShortHistory(withBorrowedSeason(choice.how, choice.members, mine), choice.members, mine, dataset.settings), members: choice.members } : null,
    inactive: inactive ? { zeros: inactive.zeros, sales: inactive.sales, periods: inactive.periods, chance: inactive.chance } : null,
    error: choice?.error ?? null,
    forecast: choice ? {
      dates: choice.forecast.dates,
      mean: choice.forecast.mean,
      lower80: band(80)?.lower ?? null,
      upper80: band(80)?.upper ?? null,
      lower95: band(95)?.lower ?? null,
      upper95: band(95)?.upper ?? null,
      intervals: choice.forecast.intervals,
    } : null,
    backtest: choice?.backtest
      ? { dates: choice.backtest.dates, actual: choice.backtest.actual, fitted: choice.backtest.forecast }
      : null,
    ...(withCv ? { cv: choice ? choice.cv ?? (choice.members.length === 1 ? cvOf(mine.find((m) => m.modelId === choice!.members[0])) : null) : null } : {}),
    models: mine.map((r) => {
      const result = asResult(r.result)!;
      return {
        modelId: r.modelId,
        method: r.method,
        jobId: r.jobId,
        finishedAt: r.finishedAt,
        metrics: metricsOf(result.holdout.metrics),
        parameters: Object.fromEntries(Object.entries(result.parameters ?? {})
          .filter(([, v]) => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)))),
        aicc: result.fit?.aicc ?? null,
        warnings: warningsOf(result.warnings),
      };
    }),
  };
}

/** Groups a dataset's results by SKU and selects per SKU. */
export function forecastItems(skus: string[], dataset: Pick<Dataset, 'settings'>, results: ModelResult[], overrides: Record<string, string>, withCv = false): ForecastItemWithCv[] {
  const bySku = new Map<string, ModelResult[]>();
  for (const r of results) {
    const list = bySku.get(r.sku) ?? [];
    list.push(r);
    bySku.set(r.sku, list);
  }
  return skus.map((sku) => forecastItem(sku, dataset, bySku.get(sku) ?? [], overrides[sku], undefined, withCv));
}

/**
 * The `how` of a forecast made on a history shorter than the dataset's holdout plus 4 (the job
 * planner's short-history fallback, effectiveHoldout): says so, and with what holdout, so a new
 * SKU's forecast is not read as validated like the others. The history length is the result's
 * (fit.n), so the sentence holds for the result shown whatever the settings are now.
 */
function withShortHistory(how: string, members: string[], results: ModelResult[], settings: Pick<DatasetSettings, 'holdout'>): string {
  const n = asResult(results.find((r) => r.modelId === members[0])?.result)?.fit?.n;
  if (n === undefined || !shortHistory(n, settings)) return how;
  const holdout = effectiveHoldout(n, settings);
  // The choice says when its bands were calibrated on cross-validation errors (chooseForecast's
  // "its intervals ..."); on a few points there are too few errors, and the bands are the fits' own.
  const bands = /its intervals /.test(how) ? '' : "; its bands are the models' own, not calibrated (too few cross-validation errors to measure them by)";
  return `${how}; made on a short history (${n} periods, fewer than the ${minimumHistory(settings)} the holdout of ${settings.holdout} needs) ${holdout > 0
    ? `with a holdout of ${holdout} instead of ${settings.holdout}`
    : 'with no holdout: nothing was scored, so it has no backtest and stays out of the portfolio WAPE'}${bands}`;
}

/**
 * The choice's sentence, plus where its members forecast with a yearly profile they did not fit
 * themselves (forecastSku): borrowed from other SKUs, or the SKU's own 365-day season.
 */
function withBorrowedSeason(how: string, members: string[], results: ModelResult[]): string {
  const uses = members.map((m) => ({ m, use: asResult(results.find((r) => r.modelId === m)?.result)?.seasonalProfile ?? null }));
  const pooled = uses.filter((u) => u.use?.source === 'pooled');
  const own = uses.filter((u) => u.use?.source === 'own');
  const notes: string[] = [];
  if (pooled.length > 0) {
    const u = pooled[0].use!;
    notes.push(`seasonal profile borrowed from ${u.skus} SKUs of this ${u.scope === 'dataset' ? 'dataset' : `dataset (${u.scope})`} for ${pooled.map((p) => p.m).join(', ')}, where cross-validation showed it helps`);
  }
  if (own.length > 0) {
    notes.push(own[0].use!.period === 365
      ? `yearly season from the SKU's own history laid over the weekly one for ${own.map((p) => p.m).join(', ')}`
      : `the SKU's own ${own[0].use!.period}-week season laid over ${own.map((p) => p.m).join(', ')}`);
  }
  return notes.length > 0 ? `${how}; ${notes.join('; ')}` : how;
}

/** Pools the holdout errors of every item's selected model. */
export class PortfolioAccumulator {
  private absError = 0;
  private error = 0;
  private actual = 0;
  private skus = 0;
  private withForecast = 0;
  private withBacktest = 0;

  add(item: ForecastItem): void {
    this.skus++;
    if (!item.forecast) return;
    this.withForecast++;
    if (!item.backtest) return;
    this.withBacktest++;
    const { actual, fitted } = item.backtest;
    for (let i = 0; i < actual.length; i++) {
      this.absError += Math.abs(actual[i] - fitted[i]);
      this.error += fitted[i] - actual[i];
      this.actual += Math.abs(actual[i]);
    }
  }

  result(): Portfolio {
    const round = (x: number) => Math.round(x * 1000) / 1000;
    return {
      wape: this.actual > 0 ? round((100 * this.absError) / this.actual) : null,
      bias: this.actual > 0 ? round((100 * this.error) / this.actual) : null,
      skus: this.skus,
      skusWithForecast: this.withForecast,
      skusWithBacktest: this.withBacktest,
    };
  }
}
