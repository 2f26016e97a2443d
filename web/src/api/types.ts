import type { paths } from './schema.js';

/**
 * The HTTP contract (docs/http-api.md) as the web app sees it: every type below is taken from
 * schema.d.ts, generated from the API's OpenAPI document, itself built from the routes' zod
 * schemas (`npm run gen:api`; a test fails when it is stale). Nothing here restates a field:
 * a route that changes its answer changes these types, and the typecheck shows every place that
 * reads it. The only hand-written shapes are at the end: a CSV upload's options (its query string
 * is parsed by hand, for multipart and raw bodies alike, so the document does not describe it) and
 * the app's own parameter forms.
 */

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;

/** The JSON answer of a route with status S, from the generated `paths`. */
export type Answer<P extends keyof paths, M extends keyof paths[P], S extends number = 200> =
  paths[P][M] extends { responses: { [K in S]: infer R } } ? JsonOf<R> : never;

/** The JSON body a route takes. */
export type RequestBody<P extends keyof paths, M extends keyof paths[P]> =
  paths[P][M] extends { requestBody?: infer B } ? JsonOf<NonNullable<B>> : never;

/** The query string a route takes. */
export type Query<P extends keyof paths, M extends keyof paths[P]> =
  paths[P][M] extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

// Jobs and the queue.
type JobStatusAnswer = Answer<'/api/jobs/status', 'get'>;
/**
 * `waitingForThread`, `liveWorkers` and `drainingWorkers` optional here: an API older than the
 * field (a rolling upgrade) leaves it out, and the app then shows every running job as running,
 * and says nothing about workers, as it did (without `drainingWorkers`, as before it was added).
 */
export type JobSummary = Omit<JobStatusAnswer['summary'], 'waitingForThread' | 'liveWorkers' | 'drainingWorkers'>
  & { waitingForThread?: number | null; liveWorkers?: number | null; drainingWorkers?: number | null };
export type JobStatusResponse = Omit<JobStatusAnswer, 'summary'> & { summary: JobSummary };
/** One job with its result (GET /api/jobs/:id). */
export type JobWithResult = Answer<'/api/jobs/{id}', 'get'>;
/** A job as listed; the list leaves the result out, GET /api/jobs/:id has it. */
export type Job = JobStatusResponse['jobs'][number] & Partial<Pick<JobWithResult, 'result'>>;
export type JobStatus = Job['status'];
export type JobsCreated = Answer<'/api/jobs', 'post', 201>;
/** Which jobs POST /api/jobs/cancel and /api/jobs/retry act on. */
export type JobScope = RequestBody<'/api/jobs/cancel', 'post'>;

/** In the order the queue popup shows them; `satisfies` ties the list to the API's enum. */
export const jobStatuses = ['running', 'pending', 'failed', 'completed', 'cancelled'] as const satisfies readonly JobStatus[];

// Models.
export type ModelsResponse = Answer<'/api/models', 'get'>;
export type ModelInfo = ModelsResponse['models'][number];
export type ModelParameter = ModelInfo['parameters'][number];

// Datasets.
export type Dataset = Answer<'/api/datasets/{id}', 'get'>;
export type DatasetSettings = Dataset['settings'];
export type AccuracyMetric = DatasetSettings['metric'];
export type Frequency = Dataset['frequency'];
export type ImportReport = Dataset['report'];
/** The answer to POST /api/datasets (a dry run leaves datasetId null and names the detected mapping and columns). */
export type DatasetCreated = Answer<'/api/datasets', 'post', 201>;
/** PATCH /api/datasets/:id/settings: what may change, and the answer. */
export type SettingsPatch = RequestBody<'/api/datasets/{id}/settings', 'patch'>;
export type SettingsChanged = Answer<'/api/datasets/{id}/settings', 'patch'>;
/** The SKUs whose forecasts were not made with the current settings and data, nothing queued for them. */
export type UnmetWork = Answer<'/api/datasets/{id}/unmet-work', 'get'>;
export type UnmetWorkQueued = Answer<'/api/datasets/{id}/unmet-work', 'post'>;

export const accuracyMetrics = ['mae', 'rmse', 'mape', 'smape', 'mase', 'wape'] as const satisfies readonly AccuracyMetric[];

// SKUs and the cleaning step.
export type SkuPage = Answer<'/api/datasets/{id}/skus', 'get'>;
export type SkuSummary = SkuPage['items'][number];
export type DemandClass = SkuSummary['demandClass'];
export type SkuQuery = Query<'/api/datasets/{id}/skus', 'get'>;
export type SkuSort = NonNullable<SkuQuery['sort']>;
export type SkuSeries = Answer<'/api/datasets/{id}/skus/{sku}', 'get'>;
export type Outlier = SkuSeries['outliers'][number];
export type SkuPatch = RequestBody<'/api/datasets/{id}/skus/{sku}', 'patch'>;
export type SkuPatched = Answer<'/api/datasets/{id}/skus/{sku}', 'patch'>;
export type CleaningApplied = Answer<'/api/datasets/{id}/cleaning', 'post'>;
export type OverrideSet = Answer<'/api/datasets/{id}/skus/{sku}/override', 'put'>;

// Results.
export type ForecastsResponse = Answer<'/api/datasets/{id}/forecasts', 'get'>;
export type ForecastsQuery = Query<'/api/datasets/{id}/forecasts', 'get'>;
export type SkuForecast = ForecastsResponse['items'][number];
export type ModelRun = SkuForecast['models'][number];
export type Portfolio = ForecastsResponse['portfolio'];

// The planning cycle: actuals, snapshots, forecast vs actual, totals by attribute.
export type ActualsAppended = Answer<'/api/datasets/{id}/actuals', 'post'>;
export type ActualsRecord = Answer<'/api/datasets/{id}/actuals', 'get'>['actuals'][number];
export type Snapshot = Answer<'/api/datasets/{id}/snapshots', 'get'>['snapshots'][number];
export type AccuracyResponse = Answer<'/api/datasets/{id}/accuracy', 'get'>;
export type AccuracyQuery = Query<'/api/datasets/{id}/accuracy', 'get'>;
export type AccuracyFigures = AccuracyResponse['portfolio'];
export type AccuracyItem = AccuracyResponse['items'][number];
export type AggregatesResponse = Answer<'/api/datasets/{id}/aggregates', 'get'>;
export type AggregateSeries = AggregatesResponse['total'];

/** A refusal: `{error, details}`, and for an upload what the import saw and the file's header row. */
export type ApiErrorBody = Answer<'/api/datasets', 'post', 400>;

// Shapes the document does not describe.

/** The columns a planner maps in the upload step (the `mapping` option of an upload); `attributes` are kept per SKU (Totals by them). */
export type ColumnMapping = Pick<NonNullable<ImportReport['mapping']>, 'sku' | 'date' | 'quantity' | 'attributes'>;

/** The `mapping` an upload sends: the SKU as one column, or a composite key's columns (`["store", "item"]`: one SKU per pair). */
export type MappingOption = Omit<ColumnMapping, 'sku'> & { sku: string | string[] };

/**
 * The options of a CSV upload (POST /api/datasets), sent in its query string; the client writes
 * lists as comma lists and the mapping as JSON. Parsed by hand on the server (importOptionsFrom),
 * for multipart fields and query alike: docs/http-api.md lists them.
 */
export interface UploadOptions {
  name?: string;
  mapping?: MappingOption;
  dateFormat?: string;
  format?: 'long' | 'wide';
  /** Aggregate to this period (finer data is summed); detected when not given. */
  frequency?: Frequency;
  weekStart?: string;
  /** An .xlsx upload: the sheet to read. */
  sheet?: string;
  /** The header's line, 1-based (default: the API finds it, below a report title too). */
  headerRow?: number;
  /** A CSV's encoding without a byte order mark (default UTF-8). */
  charset?: 'windows-1252';
  models?: string[];
  createJobs?: boolean;
  dryRun?: boolean;
}

/** The app's form of GET /api/jobs/status's query: statuses as a list, no cursor as null. */
export type JobStatusQuery = Omit<Query<'/api/jobs/status', 'get'>, 'status' | 'cursor'> & {
  status?: JobStatus[];
  cursor?: string | null;
};

/** Compile-time guard: an Answer that resolves to never (a route renamed, its schema dropped) fails the typecheck here. */
type Defined<T> = [T] extends [never] ? false : true;
type Assert<T extends true> = T;
export type AnswersDefined = [
  Assert<Defined<JobStatusResponse>>, Assert<Defined<JobWithResult>>, Assert<Defined<JobsCreated>>, Assert<Defined<JobScope>>,
  Assert<Defined<ModelsResponse>>, Assert<Defined<Dataset>>, Assert<Defined<DatasetCreated>>, Assert<Defined<SettingsPatch>>,
  Assert<Defined<SettingsChanged>>, Assert<Defined<SkuPage>>, Assert<Defined<SkuQuery>>, Assert<Defined<SkuSeries>>,
  Assert<Defined<SkuPatch>>, Assert<Defined<SkuPatched>>, Assert<Defined<CleaningApplied>>, Assert<Defined<OverrideSet>>,
  Assert<Defined<ForecastsResponse>>, Assert<Defined<ActualsAppended>>, Assert<Defined<ActualsRecord>>, Assert<Defined<Snapshot>>,
  Assert<Defined<AccuracyResponse>>, Assert<Defined<AggregatesResponse>>, Assert<Defined<ApiErrorBody>>,
  Assert<Defined<UnmetWork>>, Assert<Defined<UnmetWorkQueued>>,
];
