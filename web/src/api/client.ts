import createClient from 'openapi-fetch';
import { isKeyInFlight, newIdempotencyKey } from './idempotency-key.js';
import { skuSegment } from './sku-segment.js';
import { spreadsheetCsv, spreadsheetCsvNote, type SpreadsheetCsv } from './spreadsheet-csv.js';
import type { paths } from './schema.js';
import type {
  AccuracyQuery,
  AccuracyResponse,
  ActualsAppended,
  AggregatesResponse,
  ApiErrorBody,
  CleaningApplied,
  Dataset,
  DatasetCreated,
  ForecastsQuery,
  ForecastsResponse,
  JobScope,
  JobStatusQuery,
  JobStatusResponse,
  JobWithResult,
  ModelsResponse,
  OverrideSet,
  SettingsChanged,
  SettingsPatch,
  Snapshot,
  SkuPage,
  SkuPatch,
  SkuPatched,
  SkuQuery,
  SkuSeries,
  UnmetWork,
  UnmetWorkQueued,
  UploadOptions,
} from './types.js';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** A refused or failed request. `status` 0 means the API could not be reached at all. */
export class ApiError extends Error {
  readonly status: number;
  readonly body: ApiErrorBody | null;
  /** The answer's `Retry-After` in seconds (the 409 of an Idempotency-Key still at work), else null. */
  readonly retryAfterSeconds: number | null;
  constructor(status: number, message: string, body: ApiErrorBody | null = null, retryAfterSeconds: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
    this.retryAfterSeconds = retryAfterSeconds;
  }
  /** Unreachable, or the API says its database is (503): the "API down" banner, not a form error. */
  get isUnavailable(): boolean {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

export type JobStatusResult =
  | { notModified: true; etag: string | null }
  | { notModified: false; etag: string | null; body: JobStatusResponse };

/**
 * The web's forecasts.csv is rounded to 2 decimals (units a planner loads into an ERP or a
 * spreadsheet, not 25.413346); the API's and the CLI's keep full precision unless asked.
 */
export const webForecastDecimals = 2;
const exportRounding = (file: 'forecasts.csv' | 'metrics.csv') => (file === 'forecasts.csv' ? { decimals: webForecastDecimals } : {});

function query(params: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length > 0) search.set(key, value.join(','));
    } else if (typeof value === 'object') {
      search.set(key, JSON.stringify(value));
    } else {
      search.set(key, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

const enc = encodeURIComponent;

const tokenKey = 'skucast.apiToken';

/** The API token (when the API runs with API_TOKEN), kept in this browser only. */
export function storedToken(): string | null {
  try {
    return globalThis.localStorage?.getItem(tokenKey) ?? null;
  } catch {
    return null;
  }
}

export function storeToken(token: string | null): void {
  try {
    if (token) globalThis.localStorage?.setItem(tokenKey, token);
    else globalThis.localStorage?.removeItem(tokenKey);
  } catch {
    // Storage may be disabled; the token then lasts until reload.
  }
}

export interface ApiClientOptions {
  baseUrl?: string;
  fetch?: FetchLike;
  getToken?: () => string | null;
  /** The CSV downloads' dialect (spreadsheet-csv.ts); default: the browser language's. */
  csvDialect?: SpreadsheetCsv;
  /** The pause before a create is sent again while its Idempotency-Key is in flight; default a timer. Tests skip it. */
  wait?: (ms: number) => Promise<void>;
}

/** What a POST that creates something takes beside its body: the action's Idempotency-Key (idempotency-key.ts). */
export interface CreateOptions {
  /** The key of the planner's action, the same on each try of it; default a new key (a try of its own). */
  idempotencyKey?: string;
}

/**
 * How long a create waits, in all, for the first request with its key to answer (the 409 of a key
 * in flight, sent again after each Retry-After): an upload the server is still importing, whose
 * answer a proxy's timeout cut, is then answered with its dataset. Past it, the 409 is shown, and
 * the planner's next try (the same key) replays.
 */
export const inFlightPatienceMs = 120_000;

/**
 * The typed client (openapi-fetch) over the generated `paths` (schema.d.ts, `npm run gen:api`):
 * every path, path parameter, query and JSON body below is checked against the API's OpenAPI
 * document at compile time, so a route the server renames or a field it drops breaks the build
 * here instead of a planner's screen. Integrators use the same `paths` with openapi-fetch
 * (README). The CSV uploads (a file as the body, options parsed by hand) go through send() with
 * their answers typed from the same document; the CSV exports are Blobs.
 */
export function createApiClient(options: ApiClientOptions = {}) {
  const baseUrl = options.baseUrl ?? '';
  const doFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const getToken = options.getToken ?? storedToken;
  const wait = options.wait ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const dialect: SpreadsheetCsv = options.csvDialect ?? spreadsheetCsv(globalThis.navigator?.language);

  /** Every request ends here: the token goes on, a refusal becomes an ApiError (304 passes). */
  async function send(url: string, init: RequestInit = {}): Promise<Response> {
    let response: Response;
    const token = getToken();
    if (token) {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${token}`);
      init = { ...init, headers };
    }
    try {
      response = await doFetch(url, init);
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new ApiError(0, 'The API cannot be reached.');
    }
    if (response.ok || response.status === 304) return response;
    let body: ApiErrorBody | null = null;
    try {
      body = (await response.json()) as ApiErrorBody;
    } catch {
      body = null;
    }
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new ApiError(response.status, body?.error ?? `${response.status} ${response.statusText}`, body,
      Number.isInteger(retryAfter) && retryAfter > 0 ? retryAfter : null);
  }

  /**
   * A POST that creates something, with its Idempotency-Key: sent again after Retry-After while
   * the key's first request is still at work (409), for at most inFlightPatienceMs; the body (text,
   * a File, FormData) is sent anew each time.
   */
  async function create<T>(url: string, init: RequestInit, { idempotencyKey = newIdempotencyKey() }: CreateOptions): Promise<T> {
    const headers = new Headers(init.headers);
    headers.set('idempotency-key', idempotencyKey);
    for (let waited = 0; ; ) {
      try {
        return (await (await send(url, { ...init, headers })).json()) as T;
      } catch (error) {
        const pause = (error instanceof ApiError && error.retryAfterSeconds ? error.retryAfterSeconds : 5) * 1000;
        if (!isKeyInFlight(error) || waited + pause > inFlightPatienceMs) throw error;
        await wait(pause);
        waited += pause;
      }
    }
  }

  // openapi-fetch builds a Request from the typed path, parameters and body; this transport hands
  // it to send() as (url, init): same-origin URLs stay relative, as the app always sent them.
  const origin = baseUrl || globalThis.location?.origin || 'http://localhost';
  const api = createClient<paths>({
    baseUrl: origin,
    querySerializer: (params) => query(params as Record<string, unknown>).slice(1),
    async fetch(request: Request) {
      const url = baseUrl ? request.url : request.url.slice(new URL(request.url).origin.length);
      const headers: Record<string, string> = {};
      request.headers.forEach((value, key) => {
        headers[key] = value;
      });
      const body = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
      return send(url, { method: request.method, headers, signal: request.signal, ...(body !== '' && { body }) });
    },
  });

  /** The answer's body; refusals were thrown as ApiError by send(). */
  async function data<T>(call: Promise<{ data?: unknown; response: Response }>): Promise<T> {
    return (await call).data as T;
  }

  async function json<T>(path: string, init: RequestInit = {}): Promise<T> {
    const response = await send(baseUrl + path, init);
    return (await response.json()) as T;
  }

  const id = (datasetId: string) => ({ params: { path: { id: datasetId } } });
  // ".." never reaches the API as a path segment: the "~" escape (sku-segment.ts).
  const idSku = (datasetId: string, sku: string) => ({ params: { path: { id: datasetId, sku: skuSegment(sku) } } });

  return {
    async jobStatus(params: JobStatusQuery, etag?: string | null, signal?: AbortSignal): Promise<JobStatusResult> {
      const { cursor, ...rest } = params;
      const result = await api.GET('/api/jobs/status', {
        params: { query: { ...rest, ...(cursor ? { cursor } : {}) } },
        headers: etag ? { 'if-none-match': etag } : {},
        signal,
      });
      const nextEtag = result.response.headers.get('etag') ?? etag ?? null;
      if (result.response.status === 304 || !result.data) return { notModified: true, etag: nextEtag };
      return { notModified: false, etag: nextEtag, body: result.data };
    },
    listJobs: ({ cursor, ...rest }: JobStatusQuery) =>
      data<JobStatusResponse>(api.GET('/api/jobs/status', { params: { query: { ...rest, ...(cursor ? { cursor } : {}) } } })),
    getJob: (jobId: number) => data<JobWithResult>(api.GET('/api/jobs/{id}', { params: { path: { id: jobId } } })),
    cancelJob: (jobId: number) => data<{ cancelled: number }>(api.POST('/api/jobs/{id}/cancel', { params: { path: { id: jobId } } })),
    retryJob: (jobId: number) => data<{ requeued: number }>(api.POST('/api/jobs/{id}/retry', { params: { path: { id: jobId } } })),
    cancelJobs: (scope: JobScope) => data<{ cancelled: number }>(api.POST('/api/jobs/cancel', { body: scope })),
    retryJobs: (scope: JobScope) => data<{ requeued: number }>(api.POST('/api/jobs/retry', { body: scope })),
    clearCompleted: () => data<{ deleted: number }>(api.POST('/api/jobs/clear-completed')),
    resetQueue: () => data<{ cancelled: number; deleted: number }>(api.POST('/api/jobs/reset')),

    models: () => data<ModelsResponse>(api.GET('/api/models')),
    datasets: () => data<{ datasets: Dataset[] }>(api.GET('/api/datasets')),
    dataset: (datasetId: string) => data<Dataset>(api.GET('/api/datasets/{id}', id(datasetId))),
    deleteDataset: (datasetId: string) => data<{ deleted: boolean }>(api.DELETE('/api/datasets/{id}', id(datasetId))),
    /**
     * A text body, or a File/Blob sent as the multipart field `file`: the browser streams it from
     * disk, so a large file is never read into a string (options go in the query string). An
     * import carries an Idempotency-Key (`create`); a dry run, which stores nothing, none.
     */
    uploadDataset(body: string | Blob, opts: UploadOptions = {}, filename?: string, creating: CreateOptions = {}): Promise<DatasetCreated> {
      const path = `/api/datasets${query({ ...opts })}`;
      let init: RequestInit;
      if (typeof body === 'string') {
        init = { method: 'POST', headers: { 'content-type': 'text/csv' }, body };
      } else {
        const form = new FormData();
        form.append('file', body, filename ?? (body instanceof File ? body.name : 'upload.csv'));
        init = { method: 'POST', body: form };
      }
      return opts.dryRun ? json<DatasetCreated>(path, init) : create<DatasetCreated>(baseUrl + path, init, creating);
    },
    sampleDataset: (skus?: number, creating: CreateOptions = {}) => create<DatasetCreated>(`${baseUrl}/api/datasets/sample`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(skus ? { skus } : {}),
    }, creating),
    patchSettings: (datasetId: string, settings: SettingsPatch) =>
      data<SettingsChanged>(api.PATCH('/api/datasets/{id}/settings', { ...id(datasetId), body: settings })),
    unmetWork: (datasetId: string) => data<UnmetWork>(api.GET('/api/datasets/{id}/unmet-work', id(datasetId))),
    queueUnmetWork: (datasetId: string) => data<UnmetWorkQueued>(api.POST('/api/datasets/{id}/unmet-work', id(datasetId))),
    skus: (datasetId: string, params: SkuQuery) =>
      data<SkuPage>(api.GET('/api/datasets/{id}/skus', { params: { path: { id: datasetId }, query: params } })),
    skuSeries: (datasetId: string, sku: string) => data<SkuSeries>(api.GET('/api/datasets/{id}/skus/{sku}', idSku(datasetId, sku))),
    patchSku: (datasetId: string, sku: string, patch: SkuPatch) =>
      data<SkuPatched>(api.PATCH('/api/datasets/{id}/skus/{sku}', { ...idSku(datasetId, sku), body: patch })),
    forecasts: (datasetId: string, params: ForecastsQuery = {}) =>
      data<ForecastsResponse>(api.GET('/api/datasets/{id}/forecasts', { params: { path: { id: datasetId }, query: params } })),
    setOverride: (datasetId: string, sku: string, modelId: string | null) =>
      data<OverrideSet>(api.PUT('/api/datasets/{id}/skus/{sku}/override', { ...idSku(datasetId, sku), body: { modelId } })),
    uploadCleaning: (datasetId: string, csv: string) =>
      json<CleaningApplied>(`/api/datasets/${enc(datasetId)}/cleaning`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: csv,
      }),
    exportUrl: (datasetId: string, file: 'forecasts.csv' | 'metrics.csv') => `${baseUrl}/api/datasets/${enc(datasetId)}/${file}${query({ ...dialect, ...exportRounding(file) })}`,
    /** The CSV export as a Blob (sent with the token, which a plain link could not carry). */
    async exportCsv(datasetId: string, file: 'forecasts.csv' | 'metrics.csv'): Promise<Blob> {
      return (await send(`${baseUrl}/api/datasets/${enc(datasetId)}/${file}${query({ ...dialect, ...exportRounding(file) })}`)).blob();
    },
    /** What the CSV downloads are written for (their tooltips). */
    csvNote: () => spreadsheetCsvNote(dialect),

    // The planning cycle.
    /** The file itself goes as the body (streamed by the browser, never read into a string). */
    /**
     * `absentSkus: 'zero'`: the dataset's SKUs the file has no line for sold nothing in its periods.
     * `charset`: the file's encoding without a byte order mark (default UTF-8). `dryRun`: the check,
     * the same answer with nothing written. `basedOn`: the check's datasetUpdatedAt, so the append is
     * refused (409 naming basedOn) when the dataset changed since the check.
     */
    uploadActuals: (datasetId: string, csv: string | Blob, options: { absentSkus?: 'keep' | 'zero'; charset?: 'windows-1252'; headerRow?: number; dryRun?: boolean; basedOn?: number } = {}, creating: CreateOptions = {}) => {
      const path = `/api/datasets/${enc(datasetId)}/actuals${query({ absentSkus: options.absentSkus, charset: options.charset, headerRow: options.headerRow, dryRun: options.dryRun ? 'true' : undefined, basedOn: options.basedOn })}`;
      const init: RequestInit = { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv };
      // A check (dryRun) writes nothing: no Idempotency-Key, as an import's dry run has none.
      return options.dryRun ? json<ActualsAppended>(path, init) : create<ActualsAppended>(baseUrl + path, init, creating);
    },
    snapshots: (datasetId: string) => data<{ snapshots: Snapshot[] }>(api.GET('/api/datasets/{id}/snapshots', id(datasetId))),
    /** Names a snapshot kept ("S&OP Dec"), or clears its name (null): no other snapshot is taken. */
    nameSnapshot: (datasetId: string, snapshotId: number, name: string | null) =>
      data<{ snapshot: Snapshot }>(api.PATCH('/api/datasets/{id}/snapshots/{snapshotId}', { params: { path: { id: datasetId, snapshotId } }, body: { name } })),
    accuracy: (datasetId: string, params: AccuracyQuery = {}) =>
      data<AccuracyResponse>(api.GET('/api/datasets/{id}/accuracy', { params: { path: { id: datasetId }, query: params } })),
    snapshotForecast: (datasetId: string, snapshot: number, sku: string) =>
      data<ForecastsResponse>(api.GET('/api/datasets/{id}/forecasts', { params: { path: { id: datasetId }, query: { snapshot, sku } } })),
    aggregates: (datasetId: string, by?: string) =>
      data<AggregatesResponse>(api.GET('/api/datasets/{id}/aggregates', { params: { path: { id: datasetId }, query: by ? { by } : {} } })),
    /** accuracy.csv: with `by`, a column of the SKUs' value of that attribute. */
    async accuracyCsv(id: string, snapshot?: number, by?: string): Promise<Blob> {
      return (await send(`${baseUrl}/api/datasets/${enc(id)}/accuracy.csv${query({ snapshot, by: by || undefined, ...dialect })}`)).blob();
    },
    /** aggregates.csv: the totals (by an attribute when `by` is given) as a long table. */
    async aggregatesCsv(id: string, by?: string): Promise<Blob> {
      return (await send(`${baseUrl}/api/datasets/${enc(id)}/aggregates.csv${query({ by: by || undefined, ...dialect })}`)).blob();
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
