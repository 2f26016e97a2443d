import * as shared from '../dataset-rows.js';

/** SQLite returns json columns as text. */
export type DatasetRow = shared.DatasetRow<string>;
export type SeriesRow = shared.SeriesRow<string>;

export const datasetFromRow = (row: DatasetRow) => shared.datasetFromRow(row, JSON.parse);
export type ModelResultRow = shared.ModelResultRow<string>;
export const modelResultFromRow = (row: ModelResultRow) => shared.modelResultFromRow(row, JSON.parse);
export const seriesFromRow = (row: SeriesRow) => shared.seriesFromRow(row, JSON.parse);

export { editedError, editsToText, numbersToText, seriesSummaryFromRow, skuOrderBy } from '../dataset-rows.js';
