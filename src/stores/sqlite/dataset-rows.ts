import type { Dataset, DemandClass, Frequency, SeriesRecord } from '../../datasets/dataset.js';

export interface DatasetRow {
  id: string;
  name: string;
  frequency: string;
  settings: string;
  report: string;
  sku_count: number;
  created_at: number;
  updated_at: number;
}

export interface SeriesRow {
  dataset_id: string;
  sku: string;
  dates?: string;
  original?: string;
  edits?: string;
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
    settings: JSON.parse(row.settings),
    report: JSON.parse(row.report),
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
  return {
    ...seriesSummaryFromRow(row),
    dates: JSON.parse(row.dates ?? '[]'),
    original: JSON.parse(row.original ?? '[]'),
    edits: JSON.parse(row.edits ?? '{}'),
  };
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
