import type { Dataset, DatasetSettings, DemandClass, Frequency, JobFate, ModelResult, ProvisionalPeriod, SeriesRecord, SkuAttributes, SkuQuery, WorkInput } from '../datasets/dataset.js';
import { isDeepStrictEqual } from 'node:util';
import { DatasetChangedError } from '../datasets/dataset-changed-error.js';
import { storedSettings } from '../datasets/dataset-settings.js';
import type { ParseJson } from './job-rows.js';

/**
 * The datasets and series rows of both adapters and their mapping to Dataset and SeriesRecord.
 * `Json` is how a json column arrives: text on SQLite, already parsed by pg.
 */

export interface DatasetRow<Json> {
  id: string;
  name: string;
  frequency: string;
  settings: Json;
  report: Json;
  sku_count: number;
  created_at: number;
  updated_at: number;
}

export interface SeriesRow<Json> {
  dataset_id: string;
  sku: string;
  attributes?: Json | null;
  dates?: Json | null;
  original?: Json | null;
  edits?: Json | null;
  provisional?: Json | null;
  length: number;
  volume: number;
  demand_class: string;
  updated_at: number;
}

export function datasetFromRow<Json>(row: DatasetRow<Json>, parseJson: ParseJson<Json>): Dataset {
  return {
    id: row.id,
    name: row.name,
    frequency: row.frequency as Frequency,
    settings: storedSettings(row.frequency as Frequency, parseJson(row.settings)),
    report: parseJson(row.report) as Dataset['report'],
    skuCount: row.sku_count,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The settings a plan's jobs depend on: what they carry (jobSettingsFor), which models, which method. */
function planned(settings: DatasetSettings) {
  const { horizon, holdout, metric, intervalLevels, models, method } = settings;
  return { horizon, holdout, metric, intervalLevels, models, method };
}

/**
 * Refuses a write whose jobs were planned with settings the dataset no longer has (a settings change
 * landed between the caller's read and this write): read under the write's lock, compared as
 * getDataset gives them (storedSettings), so a caller that passes back what it read always matches.
 * Only what the plan depends on is compared: a change of runTimeoutS alone refuses nothing.
 */
export function refuseChangedSettings<Json>(datasetId: string, row: { frequency: string; settings: Json }, seen: DatasetSettings | undefined, parseJson: ParseJson<Json>): void {
  if (seen === undefined) return;
  const now = storedSettings(row.frequency as Frequency, parseJson(row.settings));
  if (!isDeepStrictEqual(planned(now), planned(seen))) throw new DatasetChangedError(datasetId, 'settings');
}

export function seriesSummaryFromRow<Json>(row: SeriesRow<Json>, parseJson: ParseJson<Json>): Omit<SeriesRecord, 'dates' | 'original' | 'edits'> {
  return {
    datasetId: row.dataset_id,
    sku: row.sku,
    attributes: attributesFromJson(row.attributes, parseJson),
    length: row.length,
    volume: row.volume,
    demandClass: row.demand_class as DemandClass,
    updatedAt: row.updated_at,
  };
}

export function seriesFromRow<Json>(row: SeriesRow<Json>, parseJson: ParseJson<Json>): SeriesRecord {
  const dates = row.dates == null ? [] : (parseJson(row.dates) as string[]);
  const original = row.original == null ? [] : (parseJson(row.original) as number[]);
  return {
    ...seriesSummaryFromRow(row, parseJson),
    dates,
    original,
    edits: row.edits == null ? {} : (parseJson(row.edits) as Record<number, number>),
    ...provisionalFromJson(row.provisional, parseJson, dates, original),
  };
}

/**
 * A series' provisional periods as SeriesRecord carries them: absent when there are none. A flag
 * holds only while the value stored at its date is still the one it was written with: a process
 * older than migration 029 (a rolling upgrade) writes a series' values without this column, and
 * the whole week it stored must not stay flagged as the week to date (a later part of it would
 * then overwrite the complete value). A flag without its value (none is written so) is dropped too.
 */
function provisionalFromJson<Json>(value: Json | null | undefined, parseJson: ParseJson<Json>, dates: string[], original: number[]): Pick<SeriesRecord, 'provisional'> {
  if (value == null) return {};
  const stored = parseJson(value) as Record<string, Partial<ProvisionalPeriod>>;
  const keys = Object.keys(stored);
  if (keys.length === 0) return {};
  const at = new Map(dates.map((d, i) => [d, original[i]]));
  const provisional: Record<string, ProvisionalPeriod> = {};
  for (const date of keys) {
    const p = stored[date];
    if (typeof p.value === 'number' && at.get(date) === p.value) provisional[date] = p as ProvisionalPeriod;
  }
  return Object.keys(provisional).length > 0 ? { provisional } : {};
}

/** Provisional periods as stored: a JSON object of {from, to, value} by the period's date (anything else refused). */
export function provisionalToText(provisional: Record<string, ProvisionalPeriod> | undefined, what: string): string {
  if (provisional === undefined) return '{}';
  for (const [date, p] of Object.entries(provisional)) {
    if (typeof p?.from !== 'string' || typeof p?.to !== 'string' || typeof p?.value !== 'number' || !Number.isFinite(p.value)) {
      throw new TypeError(`${what}.${date} is not a {from, to, value} (dates and the value written): ${JSON.stringify(p)}`);
    }
  }
  return JSON.stringify(provisional);
}

export function attributesFromJson<Json>(value: Json | null | undefined, parseJson: ParseJson<Json>): SkuAttributes {
  return value == null ? {} : (parseJson(value) as SkuAttributes);
}

/** Attributes as stored: a JSON object of strings (anything else is refused, not coerced). */
export function attributesToText(attributes: SkuAttributes | undefined, what: string): string {
  if (attributes === undefined) return '{}';
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value !== 'string') throw new TypeError(`${what}.${name} is not a string: ${String(value)}`);
  }
  return JSON.stringify(attributes);
}

/** A row of job-latest-results(-for-skus).sql. */
export interface ModelResultRow<Json> {
  sku: string;
  model_id: string;
  method: string;
  job_id: number;
  finished_at: number;
  result: Json | null;
}

export function modelResultFromRow<Json>(row: ModelResultRow<Json>, parseJson: ParseJson<Json>): ModelResult {
  return {
    sku: row.sku, modelId: row.model_id, method: row.method, jobId: row.job_id, finishedAt: row.finished_at,
    result: row.result == null ? null : parseJson(row.result),
  };
}

/** A row of job-fates.sql. */
export interface JobFateRow {
  sku: string;
  model_id: string;
  method: string;
  status: JobFate['status'];
  input_hash: string | null;
}

export function jobFateFromRow(row: JobFateRow): JobFate {
  return { sku: row.sku, modelId: row.model_id, method: row.method, status: row.status, inputHash: row.input_hash };
}

/** A row of job-work-inputs.sql. */
export interface WorkInputRow<Json> {
  id: number | string;
  sku: string;
  model_id: string;
  method: string;
  status: WorkInput['status'];
  input_hash: string | null;
  settings: Json;
  created_at: number | string;
}

export function workInputFromRow<Json>(row: WorkInputRow<Json>, parseJson: ParseJson<Json>): WorkInput {
  return {
    jobId: Number(row.id), sku: row.sku, modelId: row.model_id, method: row.method, status: row.status, inputHash: row.input_hash,
    settings: (parseJson(row.settings) ?? {}) as Record<string, unknown>, createdAt: Number(row.created_at),
  };
}

const skuSortColumns = { sku: 'sku', volume: 'volume', length: 'length', demandClass: 'demand_class' } as const;

/** The ORDER BY of listSkus: the sort column, then sku, both in the asked direction. */
export function skuOrderBy(query: Pick<SkuQuery, 'sort' | 'order'>): string {
  const column = skuSortColumns[query.sort ?? 'sku'];
  if (!column) throw new RangeError(`unknown sort: ${query.sort}`);
  const order = query.order === 'desc' ? 'DESC' : 'ASC';
  return `${column} ${order}, sku ${order}`;
}

/** JSON can't hold NaN or Infinity (they would come back as null): refuse them rather than corrupt a series. */
export function numbersToText(values: number[], what: string): string {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new RangeError(`${what}[${i}] is not a finite number: ${values[i]}`);
  }
  return JSON.stringify(values);
}

export function editsToText(edits: Record<number, number>, what: string): string {
  for (const [index, value] of Object.entries(edits)) {
    if (!Number.isFinite(value)) throw new RangeError(`${what}[${index}] is not a finite number: ${value}`);
  }
  return JSON.stringify(edits);
}

/** The reason a job of an edited SKU is cancelled with (updateSeries, both stores). */
export const editedError = 'superseded: the SKU\'s series was edited after this job was queued';
