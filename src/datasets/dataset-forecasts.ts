import type { AccuracyMetrics, ForecastResult } from '../forecasting/index.js';
import type { Dataset, ModelResult } from './dataset.js';

/**
 * Results as a planner reads them: per SKU the best model (lowest holdout error by the dataset's
 * metric among its completed jobs of the current method and enabled models; a planner's override
 * wins), its forecast with intervals, and every model's metrics to compare; and the portfolio's
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
}

export interface ForecastItem {
  sku: string;
  bestModel: string | null;
  selectedBy: 'metric' | 'override' | null;
  /** The best model's holdout error by the dataset's metric. */
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
  models: ModelSummary[];
}

export interface Portfolio {
  wape: number | null;
  bias: number | null;
  skus: number;
  skusWithForecast: number;
}

function asResult(value: unknown): ForecastResult | null {
  const r = value as ForecastResult | null;
  return r && typeof r === 'object' && r.forecast && Array.isArray(r.forecast.mean) ? r : null;
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

/** The selection for one SKU from its results. Ties go to the order models are enabled in. */
export function forecastItem(sku: string, dataset: Pick<Dataset, 'settings'>, results: ModelResult[], override: string | undefined): ForecastItem {
  const metric = dataset.settings.metric;
  const order = dataset.settings.models;
  const mine = currentResults(dataset, results).sort((a, b) => order.indexOf(a.modelId) - order.indexOf(b.modelId));
  let best: ModelResult | null = null;
  let bestError = Infinity;
  for (const r of mine) {
    const e = metricOf(asResult(r.result)!, metric) ?? Infinity;
    if (best === null || e < bestError) {
      best = r;
      bestError = e;
    }
  }
  let selectedBy: ForecastItem['selectedBy'] = best ? 'metric' : null;
  let bestModel = best?.modelId ?? null;
  if (override) {
    bestModel = override;
    selectedBy = 'override';
    best = mine.find((r) => r.modelId === override) ?? null;
  }
  const chosen = best ? asResult(best.result) : null;
  const band = (level: number) => chosen?.forecast.intervals.find((b) => b.level === level) ?? null;
  return {
    sku,
    bestModel,
    selectedBy,
    error: chosen ? metricOf(chosen, metric) : null,
    forecast: chosen ? {
      dates: chosen.forecast.dates,
      mean: chosen.forecast.mean,
      lower80: band(80)?.lower ?? null,
      upper80: band(80)?.upper ?? null,
      lower95: band(95)?.lower ?? null,
      upper95: band(95)?.upper ?? null,
      intervals: chosen.forecast.intervals,
    } : null,
    backtest: chosen && chosen.holdout.length > 0
      ? { dates: chosen.holdout.dates, actual: chosen.holdout.actual, fitted: chosen.holdout.forecast }
      : null,
    models: mine.map((r) => {
      const result = asResult(r.result)!;
      return {
        modelId: r.modelId,
        method: r.method,
        jobId: r.jobId,
        finishedAt: r.finishedAt,
        metrics: result.holdout.metrics,
        parameters: result.parameters,
        aicc: result.fit?.aicc ?? null,
      };
    }),
  };
}

/** Groups a dataset's results by SKU and selects per SKU. */
export function forecastItems(skus: string[], dataset: Pick<Dataset, 'settings'>, results: ModelResult[], overrides: Record<string, string>): ForecastItem[] {
  const bySku = new Map<string, ModelResult[]>();
  for (const r of results) {
    const list = bySku.get(r.sku) ?? [];
    list.push(r);
    bySku.set(r.sku, list);
  }
  return skus.map((sku) => forecastItem(sku, dataset, bySku.get(sku) ?? [], overrides[sku]));
}

/** Pools the holdout errors of every item's selected model. */
export class PortfolioAccumulator {
  private absError = 0;
  private error = 0;
  private actual = 0;
  private skus = 0;
  private withForecast = 0;

  add(item: ForecastItem): void {
    this.skus++;
    if (!item.forecast) return;
    this.withForecast++;
    if (!item.backtest) return;
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
    };
  }
}
