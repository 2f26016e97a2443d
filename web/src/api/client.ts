import type {
  ApiErrorBody,
  Dataset,
  DatasetCreated,
  DatasetSettings,
  ForecastsResponse,
  JobScope,
  JobStatusQuery,
  JobStatusResponse,
  Job,
  ModelsResponse,
  SkuPage,
  SkuPatch,
  SkuPatched,
  SkuQuery,
  SkuSeries,
  UploadOptions,
} from './types.js';
import type { AccuracyResponse, ActualsAppended, AggregatesResponse, Snapshot, SnapshotForecasts } from './planning-types.js';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** A refused or failed request. `status` 0 means the API could not be reached at all. */
export class ApiError extends Error {
  readonly status: number;
  readonly body: ApiErrorBody | null;
  constructor(status: number, message: string, body: ApiErrorBody | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
  }
  /** Unreachable, or the API says its database is (503): the "API down" banner, not a form error. */
  get isUnavailable(): boolean {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

export type JobStatusResult =
  | { notModified: true; etag: string | null }
  | { notModified: false; etag: string | null; body: JobStatusResponse };

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
}

export function createApiClient(options: ApiClientOptions = {}) {
  const baseUrl = options.baseUrl ?? '';
  const doFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const getToken = options.getToken ?? storedToken;

  async function send(path: string, init: RequestInit = {}): Promise<Response> {
    let response: Response;
    const token = getToken();
    if (token) {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${token}`);
      init = { ...init, headers };
    }
    try {
      response = await doFetch(baseUrl + path, init);
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
    throw new ApiError(response.status, body?.error ?? `${response.status} ${response.statusText}`, body);
  }

  async function json<T>(path: string, init: RequestInit = {}): Promise<T> {
    const response = await send(path, init);
    return (await response.json()) as T;
  }

  function post<T>(path: string, body?: unknown, method = 'POST'): Promise<T> {
    return json<T>(path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  return {
    async jobStatus(params: JobStatusQuery, etag?: string | null, signal?: AbortSignal): Promise<JobStatusResult> {
      const headers: Record<string, string> = {};
      if (etag) headers['if-none-match'] = etag;
      const response = await send(`/api/jobs/status${query({ ...params })}`, { headers, signal });
      const nextEtag = response.headers.get('etag') ?? etag ?? null;
      if (response.status === 304) return { notModified: true, etag: nextEtag };
      return { notModified: false, etag: nextEtag, body: (await response.json()) as JobStatusResponse };
    },
    listJobs: (params: JobStatusQuery) => json<JobStatusResponse>(`/api/jobs/status${query({ ...params })}`),
    getJob: (id: number) => json<Job>(`/api/jobs/${id}`),
    cancelJob: (id: number) => post<{ cancelled: number }>(`/api/jobs/${id}/cancel`),
    retryJob: (id: number) => post<{ requeued: number }>(`/api/jobs/${id}/retry`),
    cancelJobs: (scope: JobScope) => post<{ cancelled: number }>('/api/jobs/cancel', scope),
    retryJobs: (scope: JobScope) => post<{ requeued: number }>('/api/jobs/retry', scope),
    clearCompleted: () => post<{ deleted: number }>('/api/jobs/clear-completed'),
    resetQueue: () => post<{ cancelled: number; deleted: number }>('/api/jobs/reset'),

    models: () => json<ModelsResponse>('/api/models'),
    datasets: () => json<{ datasets: Dataset[] }>('/api/datasets'),
    dataset: (id: string) => json<Dataset>(`/api/datasets/${enc(id)}`),
    deleteDataset: (id: string) => post<{ deleted: boolean }>(`/api/datasets/${enc(id)}`, undefined, 'DELETE'),
    /**
     * A text body, or a File/Blob sent as the multipart field `file`: the browser streams it from
     * disk, so a large file is never read into a string (options go in the query string).
     */
    uploadDataset(body: string | Blob, opts: UploadOptions = {}, filename?: string): Promise<DatasetCreated> {
      if (typeof body === 'string') {
        return json<DatasetCreated>(`/api/datasets${query({ ...opts })}`, {
          method: 'POST',
          headers: { 'content-type': 'text/csv' },
          body,
        });
      }
      const form = new FormData();
      form.append('file', body, filename ?? (body instanceof File ? body.name : 'upload.csv'));
      return json<DatasetCreated>(`/api/datasets${query({ ...opts })}`, { method: 'POST', body: form });
    },
    sampleDataset: (skus?: number) => post<DatasetCreated>('/api/datasets/sample', skus ? { skus } : {}),
    patchSettings: (id: string, settings: Partial<DatasetSettings>) =>
      post<{ settings: DatasetSettings; jobsCreated: number; jobsCancelled: number }>(
        `/api/datasets/${enc(id)}/settings`,
        settings,
        'PATCH',
      ),
    skus: (id: string, params: SkuQuery) => json<SkuPage>(`/api/datasets/${enc(id)}/skus${query({ ...params })}`),
    skuSeries: (id: string, sku: string) => json<SkuSeries>(`/api/datasets/${enc(id)}/skus/${enc(sku)}`),
    patchSku: (id: string, sku: string, patch: SkuPatch) =>
      post<SkuPatched>(`/api/datasets/${enc(id)}/skus/${enc(sku)}`, patch, 'PATCH'),
    forecasts: (id: string, params: { sku?: string; limit?: number; offset?: number } = {}) =>
      json<ForecastsResponse>(`/api/datasets/${enc(id)}/forecasts${query(params)}`),
    setOverride: (id: string, sku: string, modelId: string | null) =>
      post<{ sku: string; modelId: string | null }>(`/api/datasets/${enc(id)}/skus/${enc(sku)}/override`, { modelId }, 'PUT'),
    uploadCleaning: (id: string, csv: string) =>
      json<{ skusTouched: number; jobsCreated: number; jobsCancelled: number }>(`/api/datasets/${enc(id)}/cleaning`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: csv,
      }),
    exportUrl: (id: string, file: 'forecasts.csv' | 'metrics.csv') => `${baseUrl}/api/datasets/${enc(id)}/${file}`,
    /** The CSV export as a Blob (sent with the token, which a plain link could not carry). */
    async exportCsv(id: string, file: 'forecasts.csv' | 'metrics.csv'): Promise<Blob> {
      return (await send(`/api/datasets/${enc(id)}/${file}`)).blob();
    },

    // The planning cycle (api/planning-types.ts).
    /** The file itself goes as the body (streamed by the browser, never read into a string). */
    uploadActuals: (id: string, csv: string | Blob) =>
      json<ActualsAppended>(`/api/datasets/${enc(id)}/actuals`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv }),
    snapshots: (id: string) => json<{ snapshots: Snapshot[] }>(`/api/datasets/${enc(id)}/snapshots`),
    accuracy: (id: string, params: { snapshot?: number; limit?: number } = {}) =>
      json<AccuracyResponse>(`/api/datasets/${enc(id)}/accuracy${query(params)}`),
    snapshotForecast: (id: string, snapshot: number, sku: string) =>
      json<SnapshotForecasts>(`/api/datasets/${enc(id)}/forecasts${query({ snapshot, sku })}`),
    aggregates: (id: string, by?: string) => json<AggregatesResponse>(`/api/datasets/${enc(id)}/aggregates${query({ by })}`),
    async accuracyCsv(id: string, snapshot?: number): Promise<Blob> {
      return (await send(`/api/datasets/${enc(id)}/accuracy.csv${query({ snapshot })}`)).blob();
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
