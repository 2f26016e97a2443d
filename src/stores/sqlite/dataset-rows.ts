import type { DatasetSettings } from '../../datasets/dataset.js';
import * as shared from '../dataset-rows.js';

/** SQLite returns json columns as text. */
export type DatasetRow = shared.DatasetRow<string>;
export type SeriesRow = shared.SeriesRow<string>;

export const datasetFromRow = (row: DatasetRow) => shared.datasetFromRow(row, JSON.parse);
export type ModelResultRow = shared.ModelResultRow<string>;
export const modelResultFromRow = (row: ModelResultRow) => shared.modelResultFromRow(row, JSON.parse);
export type WorkInputRow = shared.WorkInputRow<string>;
export const workInputFromRow = (row: WorkInputRow) => shared.workInputFromRow(row, JSON.parse);
export const seriesFromRow = (row: SeriesRow) => shared.seriesFromRow(row, JSON.parse);
export const seriesSummaryFromRow = (row: SeriesRow) => shared.seriesSummaryFromRow(row, JSON.parse);
export const refuseChangedSettings = (datasetId: string, row: { frequency: string; settings: string }, seen: DatasetSettings | undefined) =>
  shared.refuseChangedSettings(datasetId, row, seen, JSON.parse);
export const attributesFromRow = (row: { attributes: string | null }) => shared.attributesFromJson(row.attributes, JSON.parse);

export { type JobFateRow, jobFateFromRow, attributesToText, editedError, editsToText, numbersToText, provisionalToText, skuOrderBy, } from '../dataset-rows.js';
