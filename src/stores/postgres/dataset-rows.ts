import type { Dataset, DemandClass, Frequency, SeriesRecord } from '../../datasets/dataset.js';

/** Rows as pg returns them: int8 already numbers, json columns already parsed. */
export interface DatasetRow {
  id: string;
  name: string;
  frequency: string;
  settings: Dataset['settings'];
  report: Dataset['report'];
  sku_count: number;
  created_at: number;
  updated_at: number;
}

export interface SeriesRow {
  dataset_id: string;
  sku: string;
  dates?: string[];
  original?: number[];
  edits?: Record<number, number>;
  length: number;
  volume: number;
  demand_class: string;
  updated_at: number;
}

export function datasetFromRow(row: DatasetRow): Dataset {
  return {
    id: row.id,
    name: row.name,
    frequency: row.frequency as Frequency,
    settings: row.settings,
    report: row.report,
    skuCount: row.sku_count,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function seriesSummaryFromRow(row: SeriesRow): Omit<SeriesRecord, 'dates' | 'original' | 'edits'> {
  return {
    datasetId: row.dataset_id,
    sku: row.sku,
    length: row.length,
    volume: row.volume,
    demandClass: row.demand_class as DemandClass,
    updatedAt: row.updated_at,
  };
}

export function seriesFromRow(row: SeriesRow): SeriesRecord {
  return { ...seriesSummaryFromRow(row), dates: row.dates ?? [], original: row.original ?? [], edits: row.edits ?? {} };
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
