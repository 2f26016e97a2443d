import type { Frequency, IntervalBand, ModelInfo } from './forecast-types.js';

/** What a model sees: the history, and the seasonal period in use (null: no seasonality used). */
export interface SeriesContext {
  y: number[];
  period: number | null;
  frequency: Frequency;
  /**
   * The fit only scores (a cross-validation origin, a grid window, the backtest): its forecast is
   * compared with actuals to choose and calibrate, and is not the forecast shown for the future.
   * Optimizers may stop earlier (scoring-tolerance.ts).
   */
  scoring?: boolean;
}

export type ParameterValues = Record<string, number>;

export interface FittedModel {
  /** The parameters in effect (given or estimated), plus any form choice, e.g. {form: 'MAdN'}. */
  parameters: Record<string, number | string | boolean>;
  aicc: number | null; // where the model has a likelihood
  sigma: number; // one-step residual standard deviation
  fitted: number[]; // one-step in-sample fits, same length as y (NaN where undefined)
  forecast(horizon: number, levels: number[]): { mean: number[]; intervals: IntervalBand[] };
  /** How many model forms the fit compared (e.g. additive vs multiplicative by AICc); default 1. */
  candidatesEvaluated?: number;
  /** Notes for the planner about how the model was fitted (e.g. a seasonal adjustment); runForecast adds them to the result's warnings. */
  warnings?: string[];
}

/**
 * A model declares its parameter space once (info.parameters: grid values and bounds); the
 * `grid` method tries the grid, the `mle` method lets the model estimate (params = null).
 */
export interface ModelDefinition {
  info: ModelInfo;
  /** Uses the calendar's season whenever the history is longer than one season, without a seasonality test (the seasonal naive). */
  calendarSeason?: boolean;
  /**
   * Its season goes through the shrunk seasonal adjustment (theta.ts multiplicativeAdjustment), which
   * fades a noisy season by itself: from three seasons runForecast admits a weak one
   * (SHRUNK_SEASON_STRENGTH_THRESHOLD) rather than dropping it.
   */
  shrinksSeason?: boolean;
  /** The shortest history this model can fit, given the seasonal period in use. */
  minLength(period: number | null): number;
  /**
   * Grid candidates; default: the cartesian product of info.parameters[].grid. `shortestTrain` is
   * the length of the shortest history the search fits a candidate on (its earliest origin). An
   * empty list leaves the choice to the model's own estimation (params = null).
   */
  gridCandidates?(ctx: SeriesContext, shortestTrain: number): ParameterValues[];
  /** Fit with the given parameter values, or estimate them (null) by likelihood / SSE. */
  fit(ctx: SeriesContext, params: ParameterValues | null): FittedModel;
}
