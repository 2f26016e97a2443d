import { z } from 'zod';
import { snapshotSchema } from './planning-schemas.js';

/**
 * Results as a planner reads them (src/datasets/dataset-forecasts.ts): per SKU the chosen forecast
 * with its bands, its backtest, and every model's metrics; the portfolio's holdout accuracy.
 */
const metricValue = z.number().nullable();

/** Holdout metrics of one model; null where undefined (an actual of zero for MAPE, a flat series for MASE). */
export const accuracyMetricsSchema = z.object({
  mae: metricValue,
  rmse: metricValue,
  mape: metricValue,
  smape: metricValue,
  mase: metricValue,
  wape: metricValue,
  bias: metricValue,
});

export const modelRunSchema = z.object({
  modelId: z.string(),
  method: z.string(),
  jobId: z.number(),
  finishedAt: z.number(),
  metrics: accuracyMetricsSchema.nullable(),
  parameters: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
  aicc: z.number().nullable(),
  /** The model's notes for the planner from its run (a season shrunk or left out, a shorter holdout, ...); [] for none, and for a result of an engine that kept none. */
  warnings: z.array(z.string()),
});

export const intervalBandSchema = z.object({ level: z.number(), lower: z.array(z.number()), upper: z.array(z.number()) });

export const forecastValuesSchema = z.object({
  dates: z.array(z.string()),
  mean: z.array(z.number()),
  /** Null when the dataset's intervalLevels leave that level out. */
  lower80: z.array(z.number()).nullable(),
  upper80: z.array(z.number()).nullable(),
  lower95: z.array(z.number()).nullable(),
  upper95: z.array(z.number()).nullable(),
  /** Every band the dataset asked for (intervalLevels). */
  intervals: z.array(intervalBandSchema),
});

export const forecastItemSchema = z.object({
  sku: z.string(),
  /** The chosen model, or the members of a chosen combination joined by '+'. */
  bestModel: z.string().nullable(),
  selectedBy: z.enum(['metric', 'override']).nullable(),
  /** How the forecast was chosen; members lists the models a combination averages. Null from a snapshot. */
  selection: z.object({ how: z.string(), members: z.array(z.string()) }).nullable(),
  error: z.number().nullable(),
  forecast: forecastValuesSchema.nullable(),
  backtest: z.object({ dates: z.array(z.string()), actual: z.array(z.number()), fitted: z.array(z.number()) }).nullable(),
  /**
   * Set when the forecast is 0 because the SKU reads as stopped (docs/forecasting.md, A SKU that
   * stopped selling): the run without a sale, the sales and periods before it, and the chance of
   * such a run were it still selling. Null otherwise, and from a snapshot.
   */
  inactive: z.object({ zeros: z.number(), sales: z.number(), periods: z.number(), chance: z.number() }).nullable(),
  models: z.array(modelRunSchema),
  /**
   * The `status` forecasts.csv gives the SKU: forecast, inactive (read as stopped, its forecast 0),
   * pending (a job still to run), failed (its current models' jobs failed), none (nothing planned:
   * too short, or cancelled). Always set on the current forecasts. From a snapshot: as recorded
   * when it was taken (`pending` does not occur: a snapshot waits for the dataset's jobs), which
   * the null `inactive` above cannot say (a snapshot keeps no run's figures); null when nothing was
   * recorded: a snapshot taken before migration 042, or a SKU added after the snapshot.
   */
  status: z.enum(['forecast', 'inactive', 'pending', 'failed', 'none']).nullable().optional(),
});

export const portfolioSchema = z.object({
  /** Over the holdouts of the SKUs with a backtest only (skusWithBacktest), volume-weighted. */
  wape: z.number().nullable(),
  bias: z.number().nullable(),
  skus: z.number(),
  skusWithForecast: z.number(),
  /** The SKUs whose shown forecast has a backtest (wape and bias cover these); null from a snapshot. */
  skusWithBacktest: z.number().nullable(),
});

/** GET /api/datasets/:id/forecasts; with ?snapshot=ID the snapshot read is named too. */
export const forecastsResponseSchema = z.object({
  portfolio: portfolioSchema,
  total: z.number(),
  items: z.array(forecastItemSchema),
  snapshot: snapshotSchema.optional(),
});
