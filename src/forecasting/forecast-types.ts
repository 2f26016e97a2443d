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
  /**
   * A yearly seasonal profile pooled across other SKUs of the dataset (forecastSku): a SKU with
   * less than two years of history may borrow it where cross-validation shows it helps.
   */
  seasonalProfile?: SeasonalProfile;
}

/** A yearly seasonal profile by calendar slot (seasonal-profile/seasonal-profile.ts). */
export interface SeasonalProfile {
  frequency: Frequency;
  /** One multiplicative index per calendar slot (12 months, 4 quarters, 52 weeks, 365 days), mean 1. */
  indices: number[];
  /** How many SKUs it was pooled from (1: the SKU's own history). */
  skus: number;
  /** Where it came from, as the app shows it: 'dataset', or the attribute group ('category = Drinks'). */
  scope: string;
  /** The last date of the data it was estimated from (ISO): nothing later informed it. */
  through: string;
}

/** A yearly profile a result was seasonally adjusted by, and what the cross-validation said. */
export interface SeasonalProfileUse {
  /** 'pooled': borrowed from other SKUs; 'own': the SKU's own yearly season (365 days over daily data's weekly one; 52 weeks for ETS, which fits no season past 24). */
  source: 'pooled' | 'own';
  /** Slots of the profile (its period): 365, 52, 12 or 4. */
  period: number;
  skus: number;
  scope: string;
  through: string;
  /**
   * How it was decided. 'cross-validation' (a pooled profile): cvWith < cvWithout, the errors by
   * settings.metric. 'seasonal strength' (the SKU's own 365-day season): strength, the adjusted
   * R^2 of the profile on the weekday-adjusted ratios to the yearly mean, reached the threshold;
   * a cross-validation a few points long cannot see a yearly season.
   */
  decidedBy: 'cross-validation' | 'seasonal strength';
  cvWith: number | null;
  cvWithout: number | null;
  strength: number | null;
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
  /** Set when the forecast was made on the history divided by a yearly profile and multiplied back (forecastSku). */
  seasonalProfile?: SeasonalProfileUse | null;
  /**
   * Set when the history ends with a run of zeros that reads as a stop (inactive-demand.ts): the
   * forecast and its bands are 0, whatever the model.
   */
  inactive?: { zeros: number; sales: number; periods: number; chance: number } | null;
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
