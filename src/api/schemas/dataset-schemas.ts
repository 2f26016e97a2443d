import { z } from 'zod';

/**
 * Datasets as the API answers them (src/datasets/dataset.ts, docs/http-api.md "Datasets"). The
 * response serializer keeps only what is declared here: a field the domain adds reaches clients
 * once it is named below (src/api/response-schemas.test.ts fails on any field dropped or refused).
 */
export const frequencySchema = z.enum(['daily', 'weekly', 'monthly', 'quarterly', 'yearly']);
export const demandClassSchema = z.enum(['smooth', 'erratic', 'intermittent', 'lumpy']);
export const accuracyMetricSchema = z.enum(['mae', 'rmse', 'mape', 'smape', 'mase', 'wape']);

export const datasetSettingsSchema = z.object({
  horizon: z.number(),
  holdout: z.number(),
  models: z.array(z.string()),
  method: z.string(),
  metric: accuracyMetricSchema,
  intervalLevels: z.array(z.number()),
  fillGaps: z.enum(['zero', 'report']),
  /** Seconds one attempt of a job may run; absent or null: the model family's default. */
  runTimeoutS: z.number().nullable().optional(),
});

/** The columns read as sku, date and quantity; a composite key lists its columns in skuColumns. */
export const columnMappingSchema = z.object({
  sku: z.string(),
  date: z.string(),
  quantity: z.string(),
  skuColumns: z.array(z.string()).optional(),
  attributes: z.array(z.string()).optional(),
});

export const importReportSchema = z.object({
  rows: z.number(),
  skus: z.number(),
  dateRange: z.object({ start: z.string(), end: z.string() }).nullable(),
  frequency: frequencySchema.nullable(),
  detectedFrequency: frequencySchema.nullable().optional(),
  weekStart: z.string().optional(),
  periodsDatedLike: z.string().optional(),
  format: z.enum(['long', 'wide']),
  dayOrder: z.enum(['dmy', 'mdy']).nullable().optional(),
  rejected: z.array(z.object({ line: z.number(), reason: z.string() })),
  rejectedCount: z.number(),
  rejectedReasons: z.array(z.object({ reason: z.string(), count: z.number(), lines: z.array(z.number()), example: z.string() })).optional(),
  setAside: z.array(z.object({ reason: z.string(), count: z.number(), lines: z.array(z.number()) })).optional(),
  setAsideCount: z.number().optional(),
  partialPeriods: z.array(z.object({
    edge: z.enum(['first', 'last', 'inside']), period: z.string(), from: z.string(), to: z.string(), days: z.number(), of: z.number(),
    /** Actuals: SKUs whose value for the period was written as provisional, and SKUs whose stored value was kept. */
    values: z.object({ provisional: z.number(), kept: z.number() }).optional(),
  })).optional(),
  returns: z.object({ lines: z.number(), quantity: z.number() }).optional(),
  duplicates: z.number(),
  /** Days summed into a coarser period: the lines on a day of their SKU already seen (orders of a day, or stores left out of the key). */
  sameDayLines: z.number().optional(),
  gaps: z.array(z.object({ sku: z.string(), missing: z.number() })),
  tooShort: z.array(z.object({ sku: z.string(), length: z.number(), needed: z.number() })),
  warnings: z.array(z.string()),
  mapping: columnMappingSchema.optional(),
  delimiter: z.string().optional(),
  fileType: z.enum(['csv', 'xlsx']).optional(),
  /** The header's line (1-based; an .xlsx's sheet row) when lines above it (a report title) were skipped. */
  headerRow: z.number().optional(),
  /** An .xlsx of several sheets: the one read and all of them, in the workbook's order. */
  sheet: z.string().optional(),
  sheets: z.array(z.string()).optional(),
});

export const datasetSchema = z.object({
  id: z.string(),
  name: z.string(),
  frequency: frequencySchema,
  settings: datasetSettingsSchema,
  report: importReportSchema,
  skuCount: z.number(),
  createdAt: z.number(),
  updatedAt: z.number(),
});

export const datasetListSchema = z.object({ datasets: z.array(datasetSchema) });

/** POST /api/datasets (201, or 200 for a dry run, which adds what it detected) and /api/datasets/sample. */
export const datasetImportedSchema = z.object({
  /** Null for a dry run: nothing was stored. */
  datasetId: z.string().nullable(),
  report: importReportSchema,
  jobsCreated: z.number(),
  jobsSkipped: z.number(),
  jobsReused: z.number(),
  batchId: z.string().nullable(),
  dryRun: z.literal(true).optional(),
  mapping: columnMappingSchema.nullable().optional(),
  format: z.enum(['long', 'wide']).optional(),
  columns: z.array(z.string()).optional(),
});

/** What a change that re-queues work says about the jobs (src/datasets/requeue-edits.ts). */
export const requeueOutcomeSchema = z.object({
  batchId: z.string().nullable(),
  jobsCreated: z.number(),
  jobsCancelled: z.number(),
  jobsReused: z.number(),
  jobsSkipped: z.number(),
});

export const settingsChangedSchema = requeueOutcomeSchema.extend({
  settings: datasetSettingsSchema,
  /** SKUs the change queued no job for (too short for it): they keep the forecasts they have, made with the previous settings. */
  skusSkipped: z.number(),
  /** What the settings now in force turn off, as the import report warns it (holdout 0: no cross-validation, so no mix, calibration or score). */
  warnings: z.array(z.string()),
});

export const datasetDeletedSchema = z.object({ deleted: z.boolean() });
