import type { SeriesRecord } from './dataset.js';

/** The values the forecast sees: the original history with the planner's edits applied. */
export function cleanedValues(series: Pick<SeriesRecord, 'original' | 'edits'>): number[] {
  const values = series.original.slice();
  for (const [index, value] of Object.entries(series.edits ?? {})) {
    const i = Number(index);
    if (Number.isInteger(i) && i >= 0 && i < values.length) values[i] = value;
  }
  return values;
}

export function sum(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s;
}
