import type { NewSeries } from '../../datasets/dataset.js';
import * as shared from '../dataset-rows.js';
import { attributesToText, editsToText, numbersToText, provisionalToText } from '../dataset-rows.js';
import { parsedJson } from './job-rows.js';

/** pg returns json columns already parsed. */
export type DatasetRow = shared.DatasetRow<unknown>;
export type SeriesRow = shared.SeriesRow<unknown>;

export const datasetFromRow = (row: DatasetRow) => shared.datasetFromRow(row, parsedJson);
export type ModelResultRow = shared.ModelResultRow<unknown>;
export const modelResultFromRow = (row: ModelResultRow) => shared.modelResultFromRow(row, parsedJson);
export const seriesFromRow = (row: SeriesRow) => shared.seriesFromRow(row, parsedJson);
export const seriesSummaryFromRow = (row: SeriesRow) => shared.seriesSummaryFromRow(row, parsedJson);
export const attributesFromRow = (row: { attributes: unknown }) => shared.attributesFromJson(row.attributes, parsedJson);

/**
 * Series as the columns of one array-bound INSERT (finite numbers checked, json as text), for
 * createDataset and for migrate-store's import.
 */
export function seriesColumns(datasetId: string, series: NewSeries[]) {
  return {
    datasetId,
    skus: series.map((s) => s.sku),
    attributes: series.map((s) => attributesToText(s.attributes, `series ${s.sku} attributes`)),
    dates: series.map((s) => JSON.stringify(s.dates)),
    originals: series.map((s) => numbersToText(s.original, `series ${s.sku} original`)),
    edits: series.map((s) => editsToText(s.edits, `series ${s.sku} edits`)),
    provisional: series.map((s) => provisionalToText(s.provisional, `series ${s.sku} provisional`)),
    lengths: series.map((s) => s.length),
    volumes: series.map((s) => s.volume),
    demandClasses: series.map((s) => s.demandClass),
  };
}

export { editedError, editsToText, numbersToText, provisionalToText, skuOrderBy } from '../dataset-rows.js';
