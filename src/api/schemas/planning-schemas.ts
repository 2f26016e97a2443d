import { z } from 'zod';
import { importReportSchema } from './dataset-schemas.js';
import { snapshotNameProblem } from '../../datasets/snapshot-name.js';

/**
 * The planning cycle's answers: actuals, snapshots, forecast vs actual, totals by attribute
 * (src/datasets/planning-cycle-store.ts, accuracy.ts, aggregates.ts).
 */
export const actualsRecordSchema = z.object({
  id: z.string(),
  datasetId: z.string(),
  batchId: z.string().nullable(),
  createdAt: z.number(),
  /** The dataset's mark before this append (its newest job id, or its latest retry's mark when higher): snapshots up to it were made before these actuals. */
  markBefore: z.number(),
  skusChanged: z.number(),
  skusAdded: z.number(),
  periodsAdded: z.number(),
  valuesRevised: z.number(),
  /**
   * The latest date the dataset had once this append was written: its last stored period's date,
   * a provisional one's too (the month to date), or an import's last row's day when later. Not a
   * snapshot's `historyEnd` (the last whole period).
   */
  lastDate: z.string().nullable(),
  /** The same value as `lastDate` (its former name, kept): not what a snapshot's `historyEnd` means. */
  historyEnd: z.string().nullable(),
});

export const actualsListSchema = z.object({ actuals: z.array(actualsRecordSchema) });

export const actualsAppendedSchema = z.object({
  report: importReportSchema,
  /** Null when the file changed nothing. */
  actualsId: z.string().nullable(),
  skusChanged: z.number(),
  skusAdded: z.number(),
  periodsAdded: z.number(),
  valuesRevised: z.number(),
  /** The first 100 values the actuals overwrote. */
  revisions: z.array(z.object({ sku: z.string(), date: z.string(), previous: z.number(), value: z.number() })),
  /**
   * The periods the file covers in part (report.partialPeriods), SKU by SKU. A partial value never
   * replaces a complete one: it is written, as provisional, where no value or a provisional one
   * over fewer days was stored, added to a provisional one whose days it follows (`joined`), else
   * the stored value is kept. `provisional`: values written or left provisional (not a join that
   * completed its period); `settled`: provisional values a whole period's value replaced or a
   * joined one completed.
   */
  partial: z.object({
    provisional: z.number(),
    kept: z.number(),
    settled: z.number(),
    /** The first 100, kept ones first. */
    values: z.array(z.object({
      sku: z.string(),
      /** The period, by the date the SKU's series keeps for it. */
      period: z.string(),
      /** The file's sum over the days it has. */
      value: z.number(),
      /** The value stored before (null: none). */
      previous: z.number().nullable(),
      stored: z.enum(['none', 'complete', 'provisional']),
      /** `joined`: the file's days follow the stored provisional ones with none in common; the sums were added. */
      outcome: z.enum(['provisional', 'kept', 'joined']),
      /** A join that completed the period: counted under `settled`, not `provisional`. */
      settled: z.boolean().optional(),
      /** The days the stored provisional value covered. */
      storedSpan: z.object({ from: z.string(), to: z.string() }).optional(),
    })),
  }),
  /** As the actuals record's: the latest date the dataset has now, a provisional period's too. */
  lastDate: z.string().nullable(),
  /** The same value as `lastDate` (its former name, kept). */
  historyEnd: z.string().nullable(),
  batchId: z.string().nullable(),
  jobsCreated: z.number(),
  jobsReused: z.number(),
  jobsCancelled: z.number(),
  jobsSkipped: z.number(),
  /** The SKUs the file added (the first 100, sorted; skusAdded counts them): a mistyped code is a new SKU. */
  newSkus: z.array(z.string()),
  /**
   * Of the first 20 new SKUs (newSkus' order), those that look like one of the dataset's SKUs: the
   * same code with look-alike characters (O/0, I/l/1, S/5, B/8), case, spaces, dashes or
   * underscores folded, or one edit away from exactly one SKU (A-1O02 like A-1002). Said in report.warnings too.
   */
  newSkusLike: z.array(z.object({ sku: z.string(), like: z.string().describe("the dataset's SKU the new code most likely means") })),
  /** The dataset's SKUs the file has no line for (the first 100, sorted), and how many got 0 (absentSkus=zero). */
  absent: z.object({ count: z.number(), skus: z.array(z.string()), zeroed: z.number() }),
  /**
   * The dataset's SKUs whose every line in the file was rejected (report.rejectedReasons says
   * why), each with its first rejected line (the first 100): not absent, left as they were, never
   * given 0.
   */
  rejectedSkus: z.object({ count: z.number(), skus: z.array(z.object({ sku: z.string(), line: z.number() })) }),
  /**
   * Every value revised, summed up (revisions lists the first 100): SKUs, the earliest period, how
   * many periods before the dataset's last it is; `onlyHistory` (values revised, no SKU of the dataset given a period after its stored last one;
   * new SKUs and gaps filled with 0 do not count)
   * or `old` (further back than the last few periods: 4 weeks, 3 months, 14 days, 2 quarters, 1
   * year) is what an old or full-history export does, warned about in report.warnings.
   */
  revised: z.object({ skus: z.number(), earliest: z.string().nullable(), periodsBack: z.number().nullable(), onlyHistory: z.boolean(), old: z.boolean() }),
  /**
   * A check's (dryRun): the dataset's updatedAt it was merged with, sent as `basedOn` to refuse the
   * append (409) if the dataset changed since. An applied append's: the updatedAt after its write
   * (the value a next append's basedOn must match), or, when it changed nothing, the one it merged with.
   */
  datasetUpdatedAt: z.number().describe("a check's (dryRun): the dataset's updatedAt it was merged with, to send as basedOn (the append is refused, 409, if the dataset changed since); an applied append's: the dataset's updatedAt after its write (unchanged when it changed nothing)"),
  /** A check (`dryRun`): the same outcome, nothing written (no snapshot, actuals record, audit or jobs). */
  dryRun: z.literal(true).optional(),
});

export const snapshotSchema = z.object({
  id: z.number(),
  datasetId: z.string(),
  /** The dataset's mark when the forecasts were final: its newest job id, or its latest retry's mark when higher (docs/planning-cycle.md, "When"). */
  mark: z.number(),
  cause: z.enum(['import', 'actuals', 'edits', 'settings', 'manual']),
  createdAt: z.number(),
  historyEnd: z.string().nullable(),
  forecastStart: z.string().nullable(),
  forecastEnd: z.string().nullable(),
  skuCount: z.number(),
  skusWithForecast: z.number(),
  /** Bytes of forecast values and dates stored. */
  bytes: z.number(),
  portfolio: z.object({ wape: z.number().nullable(), bias: z.number().nullable() }),
  name: z.string().nullable().describe('What a planner named the snapshot ("S&OP Dec", PATCH .../snapshots/:snapshotId); null: unnamed'),
});

export const snapshotListSchema = z.object({ snapshots: z.array(snapshotSchema) });

/**
 * DELETE /api/datasets/:id/snapshots/:snapshotId: the snapshot removed, and the bytes of forecast
 * values and dates it held. The other deletes share no shape to align with (`{deleted: true}` for a
 * dataset, a count for clear-completed and reset), and neither fits: this one removes exactly one
 * thing, known by its id, and what it freed is the news. So `deleted` names that thing.
 */
export const snapshotDeletedSchema = z.object({
  deleted: z.object({ id: z.number().int(), bytes: z.number().int(), name: z.string().nullable().describe('The name it had (a named snapshot is deleted as any other); null: unnamed') }),
});

/** PATCH /api/datasets/:id/snapshots/:snapshotId: a name for the snapshot, trimmed (1 to 120 characters), or null to clear it. */
export const snapshotNamePatchSchema = z.object({
  name: z.string().trim().superRefine((name, ctx) => {
    const problem = snapshotNameProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', message: name === '' ? `${problem} (null clears it)` : problem });
  }).nullable(),
}).strict();

export const snapshotNamedSchema = z.object({ snapshot: snapshotSchema });

export const accuracyFiguresSchema = z.object({
  wape: z.number().nullable(),
  bias: z.number().nullable(),
  mae: z.number().nullable(),
  points: z.number(),
  coverage80: z.number().nullable(),
  coverage95: z.number().nullable(),
});

export const accuracyItemSchema = accuracyFiguresSchema.extend({
  sku: z.string(),
  model: z.string().nullable(),
  /** sum |actual - forecast|: what this SKU contributes to the portfolio's miss. */
  absError: z.number(),
});

/** A summed forecast against the summed actuals, date by date (`points`: the dates). */
const summedFiguresSchema = z.object({ wape: z.number().nullable(), bias: z.number().nullable(), points: z.number() });

export const accuracyReportSchema = z.object({
  snapshot: snapshotSchema,
  /**
   * Periods the snapshot forecast whose actuals are still to date (provisional), not scored until
   * whole: `period` its first day, `from`-`to` the days its SKUs' values cover, `periodDays` the
   * days of the whole period, `skus` how many SKUs have only days to date there.
   */
  provisional: z.array(z.object({ period: z.string(), from: z.string(), to: z.string(), periodDays: z.number(), skus: z.number() })),
  /**
   * Where the snapshot's SKUs' forecasts start after its historyEnd: per first period, how many
   * SKUs, earliest first (its forecastStart is the earliest; a SKU the files left out holds it back).
   */
  starts: z.array(z.object({ period: z.string(), skus: z.number() })),
  startsLabel: z.string().nullable().describe(
    'Where the snapshot\'s forecasts start, as a label to show (the CLI and the web app show this one): the period most SKUs start on and how many '
    + 'start elsewhere, "2026-02-01 (1 SKU from 2026-01-01)" ("2024-01-01 (2 SKUs; 2 SKUs from 2024-02-01)" on a tie; more than 3 others: '
    + '"4 SKUs from 2023-09-01 to 2023-12-01", or "from other dates" around the lead); the snapshot\'s forecastStart when all start together, '
    + 'null when it has none. Dates are ISO: a client may write them its own way. The whole snapshot\'s, whatever `sku`.',
  ),
  actuals: actualsRecordSchema.nullable(),
  portfolio: accuracyFiguresSchema,
  /** The dataset's summed forecast against its summed actuals. */
  summed: summedFiguresSchema,
  /** The attribute of `groups` (`?by=`), or null. */
  by: z.string().nullable(),
  /** The attributes the SKUs have, for a picker. */
  attributes: z.array(z.string()),
  /** Per value of `by` (null: the SKUs without it, listed last): its SKUs' points pooled, and its summed forecast against its summed actuals. */
  groups: z.array(accuracyFiguresSchema.extend({ value: z.string().nullable(), skus: z.number(), summed: summedFiguresSchema })),
  byStep: z.array(accuracyFiguresSchema.extend({ step: z.number() })),
  /** SKUs with at least one point. */
  total: z.number(),
  /** Biggest miss first. */
  items: z.array(accuracyItemSchema),
});

const bandsSchema = z.array(z.number());

const namedSkusSchema = z.object({ count: z.number(), skus: z.array(z.string()) });

export const aggregateSeriesSchema = z.object({
  /** Null: the SKUs without this attribute (and the dataset's total). */
  value: z.string().nullable(),
  skus: z.number(),
  skusWithForecast: z.number(),
  /** The members' average holdout-error correlation the bands use (null: one member or none). */
  correlation: z.number().nullable(),
  /**
   * Where the members' spread came from: their own band (`fromBand`), for a member without one its
   * past forecast errors (`fromHoldout`; `fromCv` of them per step from cross-validation, the
   * others their flat holdout RMS), or nowhere (`unknown`: left out of the band, which is then
   * narrower than the truth; `unknownShare` of the summed mean is theirs). `status`: complete,
   * estimated (some from holdout errors) or partial (some unknown).
   */
  spread: z.object({
    fromBand: z.number(),
    fromHoldout: z.number(),
    fromCv: z.number(),
    unknown: z.number(),
    unknownShare: z.number(),
    status: z.enum(['complete', 'estimated', 'partial']),
  }),
  /**
   * Up to the date most SKUs' histories end on; `skus`: how many SKUs have a value on each date (a
   * period some SKUs have no actuals for yet has fewer).
   */
  /**
   * `provisional`: how many of the SKUs summed on a date have only part of that period yet (actuals
   * to date): the sum is short of a whole period. `provisionalSpan`: on such a date, the days their
   * values cover (earliest `from`, latest `to`) and the days of the whole period; null elsewhere.
   */
  history: z.object({
    dates: z.array(z.string()), original: z.array(z.number()), cleaned: z.array(z.number()), skus: z.array(z.number()), provisional: z.array(z.number()),
    provisionalSpan: z.array(z.object({ from: z.string(), to: z.string(), periodDays: z.number() }).nullable()),
  }),
  /**
   * After the history's last date; `skus`: how many members each date sums, `actuals`: how many of
   * them with their actual (a history running past the total's), not a forecast; `provisional`: how
   * many of those actuals cover only part of their period.
   */
  forecast: z.object({
    dates: z.array(z.string()), mean: bandsSchema, lower80: bandsSchema, upper80: bandsSchema, lower95: bandsSchema, upper95: bandsSchema,
    skus: z.array(z.number()), actuals: z.array(z.number()), provisional: z.array(z.number()),
  }).nullable(),
  /**
   * The members the sums leave out, each counted against `skus` and named (the first 5 by SKU;
   * `count` says how many in all): `noForecast` (no forecast at all: too short, or not forecast
   * yet), `outsideForecast` (a forecast wholly outside the total's forecast dates: a history that
   * ended before the others'), `lastPeriod` (no value on the history's last period, `date`: the
   * SKUs whose histories end latest first; null without a history).
   */
  leftOut: z.object({
    noForecast: namedSkusSchema,
    outsideForecast: namedSkusSchema,
    lastPeriod: namedSkusSchema.extend({ date: z.string() }).nullable(),
    /** Summed on some forecast dates but not all (a horizon ending before the total's); `from`: the first date one misses. */
    partialForecast: namedSkusSchema.extend({ from: z.string().nullable() }),
    /** Not summed on the first forecast date (the store cards' "next period"). */
    firstForecastDate: namedSkusSchema,
  }),
});

export const aggregatesReportSchema = z.object({
  by: z.string().nullable(),
  /** The attributes the dataset's SKUs have, for a picker. */
  attributes: z.array(z.string()),
  bands: z.literal('members-intervals-with-holdout-error-correlation'),
  total: aggregateSeriesSchema,
  groups: z.array(aggregateSeriesSchema),
});
