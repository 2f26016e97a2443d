/**
 * The forecasting engine's contract with the rest of Skucast. The engine is pure: no I/O,
 * no imports from outside src/forecasting, and the same input always gives the same output.
 */
export type Frequency = 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly';
export type Metric = 'mae' | 'rmse' | 'mape' | 'smape' | 'mase' | 'wape';
export type MethodId = 'grid' | 'mle';

export interface ForecastSettings {
  horizon: number; // periods to forecast
  holdout: number; // last points held out to score candidates and report metrics
  metric: Metric; // what the grid search minimises
  intervalLevels: number[]; // e.g. [80, 95]
}

export interface ForecastInput {
  sku: string;
  values: number[];
  /** ISO dates of `values`; used to infer the frequency and to date the forecast. */
  dates?: string[];
  /** Given, or inferred from dates (and 'monthly' with a warning when neither says). */
  frequency?: Frequency;
  modelId: string;
  method: MethodId;
  settings: ForecastSettings;
}

export interface IntervalBand {
  level: number;
  lower: number[];
  upper: number[];
}

export interface AccuracyMetrics {
  mae: number;
  rmse: number;
  mape: number | null; // null when an actual is zero
  smape: number;
  mase: number | null; // null when the in-sample naive error is zero
  wape: number | null;
  bias: number; // mean(forecast - actual)
}

export interface ForecastResult {
  sku: string;
  model: string;
  method: MethodId;
  engineVersion: string;
  frequency: Frequency;
  seasonalPeriod: number | null; // the period used, or null when no seasonality was detected/used
  parameters: Record<string, number | string | boolean>;
  search: { candidatesEvaluated: number; milliseconds: number };
  holdout: {
    length: number;
    dates: string[];
    actual: number[];
    forecast: number[];
    metrics: AccuracyMetrics | null; // null when the history is too short to hold any out
  };
  fit: { aicc: number | null; sigma: number; n: number };
  /**
   * Rolling-origin cross-validation (absent from results of engines before 1.4): the forecasts
   * from several past origins, each tuned and fitted only on the data before it. holdout.metrics
   * are the mean of these origins' metrics: out-of-sample for grid and mle alike.
   */
  cv?: CrossValidation | null;
  forecast: {
    dates: string[];
    mean: number[];
    intervals: IntervalBand[]; // one per requested level
  };
  warnings: string[];
}

export interface CrossValidation {
  /** Training lengths, ascending; origin k forecasts values origins[k] .. origins[k] + actual[k].length - 1. */
  origins: number[];
  actual: number[][];
  /** Per origin, or null where the model could not fit that origin's data. */
  forecast: (number[] | null)[];
  /**
   * The model's own intervals per origin (settings.intervalLevels): they calibrate the final
   * intervals, then runForecast drops them, so a stored result stays small.
   */
  bands?: (IntervalBand[] | null)[];
  tuning: MethodId;
  metrics: AccuracyMetrics | null;
  /** Per interval level, the factor the model's half-widths were scaled by to cover these errors (absent: too few points). */
  intervalScale?: number[];
}

/** A problem with the data itself: retrying cannot help, the job fails at once with this message. */
export class InputDataError extends Error {
  override name = 'InputDataError';
}

export interface ParameterSpec {
  name: string;
  description: string;
  grid: number[]; // the values the `grid` method tries
  min: number; // the bounds the `mle` method searches
  max: number;
  integer: boolean;
}

export interface ModelInfo {
  id: string;
  name: string;
  description: string;
  family: string;
  parameters: ParameterSpec[];
  seasonal: boolean;
  intermittent: boolean;
}

export interface MethodInfo {
  id: MethodId;
  name: string;
  description: string;
}
