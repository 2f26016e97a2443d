import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { AccuracyReport } from '../../datasets/accuracy.js';
import type { AggregatesReport } from '../../datasets/aggregates.js';
import type { ForecastItem, ModelSummary, Portfolio } from '../../datasets/dataset-forecasts.js';
import type { Dataset } from '../../datasets/dataset.js';
import type { ActualsRecord, Snapshot } from '../../datasets/planning-cycle-store.js';
import type { SeriesDetail } from '../../datasets/series-editing.js';
import { answerActuals } from '../../datasets/actuals-answer.js';
import { datasetSchema } from './dataset-schemas.js';
import { forecastItemSchema, modelRunSchema, portfolioSchema } from './forecast-schemas.js';
import { accuracyReportSchema, actualsAppendedSchema, actualsRecordSchema, aggregatesReportSchema, snapshotSchema } from './planning-schemas.js';
import { seriesDetailSchema } from './sku-schemas.js';

/**
 * The response schemas restate the domain types by hand, and the serializer strips every field a
 * schema does not name. These checks run in the typecheck (`npm run typecheck`), not at run time:
 * a domain field missing from its schema, at any depth, names itself in `Stripped`; a domain type
 * the schema would refuse (a wider union, a null the schema does not allow) fails `toExtend`.
 * response-schemas.test.ts checks the same on real answers; this covers fields a test run never fills.
 */
type Stripped<D, S> =
  D extends readonly (infer E)[] ? (S extends readonly (infer F)[] ? Stripped<NonNullable<E>, NonNullable<F>> : never)
  : D extends object
    // A record (JSON keys are strings, so a Record<number, ...> is one too): any key is kept.
    ? string extends keyof S ? never : { [K in keyof D]-?: K extends keyof S ? Stripped<NonNullable<D[K]>, NonNullable<S[K]>> : K }[keyof D]
    : never;

describe('response schemas and domain types', () => {
  it('name every domain field and accept every domain value (checked by tsc)', () => {
    expectTypeOf<Stripped<Dataset, z.output<typeof datasetSchema>>>().toEqualTypeOf<never>();
    expectTypeOf<Dataset>().toExtend<z.input<typeof datasetSchema>>();
    expectTypeOf<Stripped<ForecastItem, z.output<typeof forecastItemSchema>>>().toEqualTypeOf<never>();
    expectTypeOf<ForecastItem>().toExtend<z.input<typeof forecastItemSchema>>();
    expectTypeOf<Stripped<ModelSummary, z.output<typeof modelRunSchema>>>().toEqualTypeOf<never>();
    expectTypeOf<Stripped<Portfolio, z.output<typeof portfolioSchema>>>().toEqualTypeOf<never>();
    expectTypeOf<Portfolio>().toExtend<z.input<typeof portfolioSchema>>();
    expectTypeOf<Stripped<SeriesDetail, z.output<typeof seriesDetailSchema>>>().toEqualTypeOf<never>();
    expectTypeOf<SeriesDetail>().toExtend<z.input<typeof seriesDetailSchema>>();
    expectTypeOf<Stripped<Snapshot, z.output<typeof snapshotSchema>>>().toEqualTypeOf<never>();
    expectTypeOf<Snapshot>().toExtend<z.input<typeof snapshotSchema>>();
    expectTypeOf<Stripped<ActualsRecord, z.output<typeof actualsRecordSchema>>>().toEqualTypeOf<never>();
    expectTypeOf<ActualsRecord>().toExtend<z.input<typeof actualsRecordSchema>>();
    // POST .../actuals is not a typed route (its body is a raw upload): its answer is checked here.
    expectTypeOf<Stripped<ReturnType<typeof answerActuals>, z.output<typeof actualsAppendedSchema>>>().toEqualTypeOf<never>();
    expectTypeOf<ReturnType<typeof answerActuals>>().toExtend<z.input<typeof actualsAppendedSchema>>();
    expectTypeOf<Stripped<AccuracyReport, z.output<typeof accuracyReportSchema>>>().toEqualTypeOf<never>();
    expectTypeOf<AccuracyReport>().toExtend<z.input<typeof accuracyReportSchema>>();
    expectTypeOf<Stripped<AggregatesReport, z.output<typeof aggregatesReportSchema>>>().toEqualTypeOf<never>();
    expectTypeOf<AggregatesReport>().toExtend<z.input<typeof aggregatesReportSchema>>();
  });
});
