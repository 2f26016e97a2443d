import * as shared from '../dataset-rows.js';
import { parsedJson } from './job-rows.js';

/** pg returns json columns already parsed. */
export type DatasetRow = shared.DatasetRow<unknown>;
export type SeriesRow = shared.SeriesRow<unknown>;

export const datasetFromRow = (row: DatasetRow) => shared.datasetFromRow(row, parsedJson);
export const seriesFromRow = (row: SeriesRow) => shared.seriesFromRow(row, parsedJson);

export { editsToText, numbersToText, seriesSummaryFromRow } from '../dataset-rows.js';
