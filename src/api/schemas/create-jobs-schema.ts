import { z } from 'zod';
import { MAX_SKU_LENGTH, skuTooLong } from '../../datasets/max-sku-length.js';
import { parseQuantity } from '../../datasets/quantity-parse.js';
import { isMethodId, isModelId, MAX_ABS_VALUE } from '../../forecasting/index.js';
import { reasonSchema } from './job-schemas.js';

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written yyyy-mm-dd (2023-02-30 is refused). */
export function isIsoDate(value: string): boolean {
  const m = isoDate.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** A number is taken as its text (the seed's front end may send numeric SKUs): 123 is the SKU '123'. */
const skuSchema = z
  .union([z.string(), z.number()], { error: 'a SKU is a non-empty string (or a number)' })
  .transform((v) => String(v).trim())
  .refine((v) => v !== '', 'a SKU is a non-empty string')
  .refine((v) => v.length <= MAX_SKU_LENGTH, { error: (issue) => skuTooLong(String(issue.input)) });

const salesSchema = z
  .union([z.number(), z.string()], { error: 'sales must be a number' })
  .transform((v, ctx) => {
    // A string is read as the CSV import reads a quantity ("1,234.5" yes; "0x10", "NaN", "Infinity" no):
    // Number() would take hex, binary and octal, storing "0x10" as 16.
    const n = typeof v === 'number' ? v : parseQuantity(v) ?? Number.NaN;
    if (!Number.isFinite(n)) {
      ctx.addIssue({ code: 'custom', message: `sales must be a number, got ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    if (n < 0) {
      ctx.addIssue({ code: 'custom', message: `sales cannot be negative, got ${n}` });
      return z.NEVER;
    }
    if (n > MAX_ABS_VALUE) {
      ctx.addIssue({ code: 'custom', message: `sales ${n} is beyond 1e15, the largest the models take (rescale the data)` });
      return z.NEVER;
    }
    return n;
  });

export const salesRowSchema = z.object({
  sku: skuSchema,
  date: z.string({ error: 'a date is a string yyyy-mm-dd' }).refine(isIsoDate, {
    error: (issue) => `unparsable date ${JSON.stringify(issue.input)} (expected yyyy-mm-dd)`,
  }),
  sales: salesSchema,
});

export const modelListSchema = z
  .array(z.string({ error: 'a model id is a string' }), { error: 'models is a list of model ids' })
  .min(1, 'give at least one model')
  .superRefine((models, ctx) => {
    models.forEach((m, i) => {
      if (!isModelId(m)) ctx.addIssue({ code: 'custom', path: [i], message: `unknown model '${m}'` });
    });
  })
  .transform((models) => [...new Set(models)]);

export const methodSchema = z.string().refine(isMethodId, {
  error: (issue) => `unknown method '${String(issue.input)}'`,
});

export const jobSettingsSchema = z
  .object({
    horizon: z.number().int().min(1).max(1000),
    holdout: z.number().int().min(0).max(1000),
    metric: z.enum(['mae', 'rmse', 'mape', 'smape', 'mase', 'wape']),
    intervalLevels: z.array(z.number().gt(0).lt(100)).max(5),
    fillGaps: z.enum(['zero', 'report']),
  })
  .partial()
  .strict();

/**
 * `POST /api/jobs`: either rows of sales (`data`, a new dataset) or a SKU list of an existing
 * dataset (`skus`). One object rather than a union, so an error names the field, not "no union member".
 */
export const createJobsBodySchema = z
  .object(
    {
      data: z.array(salesRowSchema, { error: 'data is a list of {sku, date, sales}' }).min(1, 'data is empty').optional(),
      skus: z
        .array(skuSchema, { error: 'skus is a list of SKUs' })
        .min(1, 'give at least one SKU')
        .transform((skus) => [...new Set(skus)])
        .optional(),
      models: modelListSchema,
      reason: reasonSchema.optional(),
      method: methodSchema.optional(),
      settings: jobSettingsSchema.optional(),
      datasetId: z.string().min(1).optional(),
    },
    { error: 'the body must be a JSON object' },
  )
  // The seed's contract is data, skus, models and reason; the rest are ours. A misspelt field
  // (`setings`, `datasetID`) would otherwise be dropped and the request run without it.
  .strict()
  .superRefine((body, ctx) => {
    if (body.data === undefined && body.skus === undefined) {
      ctx.addIssue({ code: 'custom', path: ['data'], message: 'give either data (rows of sales) or skus' });
    }
    if (body.data !== undefined && body.skus !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['skus'], message: 'give either data or skus, not both' });
    }
    if (body.data !== undefined && body.datasetId !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['datasetId'], message: 'datasetId goes with skus; data creates a new dataset' });
    }
  });

export type CreateJobsBody = z.output<typeof createJobsBodySchema>;

export const createJobsResponseSchema = z.object({
  batchId: z.string().nullable(),
  datasetId: z.string().nullable(),
  jobsCreated: z.number(),
  jobsSkipped: z.number(),
  jobsCancelled: z.number(),
  jobsReused: z.number(),
  skusProcessed: z.number(),
  modelsPerSku: z.number(),
  priority: z.number(),
  /** With `data`: the new dataset's import warnings (too-short SKUs, dates after today, ...), as a CSV upload's report gives them. */
  warnings: z.array(z.string()).optional(),
});
