import { z } from 'zod';
import { demandClassSchema, requeueOutcomeSchema } from './dataset-schemas.js';

/** The cleaning step's answers: SKU pages, one SKU's values and outliers, edits (src/datasets/series-editing.ts). */
export const skuAttributesSchema = z.record(z.string(), z.string());

export const skuSummarySchema = z.object({
  sku: z.string(),
  attributes: skuAttributesSchema,
  length: z.number(),
  volume: z.number(),
  demandClass: demandClassSchema,
  /** The chosen model (a combination's members joined by '+'), null before any result. */
  bestModel: z.string().nullable(),
  /** The chosen forecast's holdout error by the dataset's metric. */
  error: z.number().nullable(),
  /**
   * Whether the chosen forecast has a backtest (points held out: the forecasts endpoint's
   * `backtest`), the test the portfolio's skusWithBacktest counts by: none with holdout 0 or a
   * history too short to hold out a point. It can have one and no `error` (MAPE over actuals of 0).
   */
  backtested: z.boolean(),
  /** The last 48 cleaned values. */
  sparkline: z.array(z.number()),
});

export const skuPageSchema = z.object({ total: z.number(), items: z.array(skuSummarySchema) });

export const outlierSchema = z.object({
  index: z.number(),
  date: z.string(),
  value: z.number(),
  suggested: z.number(),
  score: z.number(),
  accepted: z.boolean(),
});

export const seriesDetailSchema = z.object({
  sku: z.string(),
  attributes: skuAttributesSchema,
  dates: z.array(z.string()),
  original: z.array(z.number()),
  cleaned: z.array(z.number()),
  /** Period index -> the planner's value (JSON keys are strings). */
  edits: z.record(z.string(), z.number()),
  /**
   * Period date -> the days its value covers, for a value actuals summed from part of the period
   * (the current week to date): replaced by the first file that covers the period whole.
   * `periodDays`: the days of the whole period (31 for a December), beside the `from`-`to` it has.
   */
  provisional: z.record(z.string(), z.object({
    from: z.string(),
    to: z.string(),
    /** The value the flag was written with (the period's value). */
    value: z.number(),
    periodDays: z.number(),
  })),
  length: z.number(),
  volume: z.number(),
  demandClass: demandClassSchema,
  outliers: z.array(outlierSchema),
});

/** `changed: false`: the edit left the SKU's values as they were; nothing was stored or queued. */
export const seriesEditedSchema = requeueOutcomeSchema.extend({ series: seriesDetailSchema, changed: z.boolean() });

export const cleaningAppliedSchema = requeueOutcomeSchema.extend({
  skusTouched: z.number(),
  /** The first 100 refused lines; rejectedCount counts them all. */
  rejected: z.array(z.object({ line: z.number(), reason: z.string() })),
  rejectedCount: z.number(),
});

export const overrideSetSchema = z.object({ sku: z.string(), modelId: z.string().nullable() });
