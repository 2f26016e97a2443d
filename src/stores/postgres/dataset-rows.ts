import type { DatasetSettings, NewSeries } from '../../datasets/dataset.js';
import * as shared from '../dataset-rows.js';
import { attributesToText, editsToText, numbersToText, provisionalToText } from '../dataset-rows.js';
import { parsedJson } from './job-rows.js';
import { pgArrayLiteral } from './pg-array-literal.js';

/** pg returns json columns already parsed. */
export type DatasetRow = shared.DatasetRow<unknown>;
export type SeriesRow = shared.SeriesRow<unknown>;

export const datasetFromRow = (row: DatasetRow) => shared.datasetFromRow(row, parsedJson);
export type ModelResultRow = shared.ModelResultRow<unknown>;
export const modelResultFromRow = (row: ModelResultRow) => shared.modelResultFromRow(row, parsedJson);
export type WorkInputRow = shared.WorkInputRow<unknown>;
export const workInputFromRow = (row: WorkInputRow) => shared.workInputFromRow(row, parsedJson);
export const seriesFromRow = (row: SeriesRow) => shared.seriesFromRow(row, parsedJson);
export const seriesSummaryFromRow = (row: SeriesRow) => shared.seriesSummaryFromRow(row, parsedJson);
export const refuseChangedSettings = (datasetId: string, row: { frequency: string; settings: unknown }, seen: DatasetSettings | undefined) =>
  shared.refuseChangedSettings(datasetId, row, seen, parsedJson);
export const attributesFromRow = (row: { attributes: unknown }) => shared.attributesFromJson(row.attributes, parsedJson);

/**
 * Series as the columns of one array-bound INSERT or UPDATE (finite numbers checked, json as
 * text), for createDataset, appendActuals and migrate-store's import. Each column goes as one
 * array literal (pgArrayLiteral): node-postgres escaped the JSON texts element by element, and an
 * append's 10,000 series (about 1 KB of JSON each) took 1.6 s to send and update where the
 * literals take 1.1-1.2 s (a scratch script against a local server).
 */
export function seriesColumns(datasetId: string, series: NewSeries[]) {
  return {
    datasetId,
    skus: pgArrayLiteral(series.map((s) => s.sku)),
    attributes: pgArrayLiteral(series.map((s) => attributesToText(s.attributes, `series ${s.sku} attributes`))),
    dates: pgArrayLiteral(series.map((s) => JSON.stringify(s.dates))),
    originals: pgArrayLiteral(series.map((s) => numbersToText(s.original, `series ${s.sku} original`))),
    edits: pgArrayLiteral(series.map((s) => editsToText(s.edits, `series ${s.sku} edits`))),
    provisional: pgArrayLiteral(series.map((s) => provisionalToText(s.provisional, `series ${s.sku} provisional`))),
    lengths: pgArrayLiteral(series.map((s) => s.length)),
    volumes: pgArrayLiteral(series.map((s) => s.volume)),
    demandClasses: pgArrayLiteral(series.map((s) => s.demandClass)),
  };
}

export { type JobFateRow, jobFateFromRow, editedError, editsToText, numbersToText, provisionalToText, skuOrderBy, } from '../dataset-rows.js';
